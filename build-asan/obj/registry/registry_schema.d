build-asan/obj/registry/registry_schema.o: src/registry/registry_schema.c \
 src/core/banned.h src/registry/registry.h src/core/actor.h \
 src/core/scope.h src/core/err.h src/db/db.h src/http/api.h
src/core/banned.h:
src/registry/registry.h:
src/core/actor.h:
src/core/scope.h:
src/core/err.h:
src/db/db.h:
src/http/api.h:
