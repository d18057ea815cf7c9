build-asan/obj/http/router.o: src/http/router.c src/core/banned.h \
 src/http/router.h src/db/db.h src/core/err.h src/http/api.h \
 src/core/actor.h src/core/scope.h src/http/routes.h \
 src/accounts/accounts.h
src/core/banned.h:
src/http/router.h:
src/db/db.h:
src/core/err.h:
src/http/api.h:
src/core/actor.h:
src/core/scope.h:
src/http/routes.h:
src/accounts/accounts.h:
