build-asan/obj/http/routes.o: src/http/routes.c src/core/banned.h \
 src/http/routes.h src/http/api.h src/core/actor.h src/core/scope.h \
 src/core/err.h src/db/db.h src/regions/regions.h src/registry/registry.h
src/core/banned.h:
src/http/routes.h:
src/http/api.h:
src/core/actor.h:
src/core/scope.h:
src/core/err.h:
src/db/db.h:
src/regions/regions.h:
src/registry/registry.h:
