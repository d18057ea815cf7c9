build-asan/obj/registry/registry_json.o: src/registry/registry_json.c \
 src/core/banned.h src/registry/registry.h src/core/actor.h \
 src/core/scope.h src/core/err.h src/db/db.h src/http/api.h \
 src/core/idnum.h src/core/clock.h src/core/phone.h
src/core/banned.h:
src/registry/registry.h:
src/core/actor.h:
src/core/scope.h:
src/core/err.h:
src/db/db.h:
src/http/api.h:
src/core/idnum.h:
src/core/clock.h:
src/core/phone.h:
