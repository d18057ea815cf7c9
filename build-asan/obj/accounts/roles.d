build-asan/obj/accounts/roles.o: src/accounts/roles.c src/core/banned.h \
 src/accounts/accounts.h src/core/actor.h src/core/scope.h src/db/db.h \
 src/core/err.h
src/core/banned.h:
src/accounts/accounts.h:
src/core/actor.h:
src/core/scope.h:
src/db/db.h:
src/core/err.h:
