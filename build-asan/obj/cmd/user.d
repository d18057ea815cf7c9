build-asan/obj/cmd/user.o: src/cmd/user.c src/core/banned.h \
 src/accounts/accounts.h src/core/actor.h src/core/scope.h src/db/db.h \
 src/core/err.h src/cmd/cli.h src/cmd/commands.h
src/core/banned.h:
src/accounts/accounts.h:
src/core/actor.h:
src/core/scope.h:
src/db/db.h:
src/core/err.h:
src/cmd/cli.h:
src/cmd/commands.h:
