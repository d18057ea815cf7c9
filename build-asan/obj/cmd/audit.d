build-asan/obj/cmd/audit.o: src/cmd/audit.c src/core/banned.h \
 src/audit/audit.h src/core/actor.h src/core/scope.h src/db/db.h \
 src/core/err.h src/cmd/cli.h src/cmd/commands.h
src/core/banned.h:
src/audit/audit.h:
src/core/actor.h:
src/core/scope.h:
src/db/db.h:
src/core/err.h:
src/cmd/cli.h:
src/cmd/commands.h:
