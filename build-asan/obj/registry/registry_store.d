build-asan/obj/registry/registry_store.o: src/registry/registry_store.c \
 src/core/banned.h src/registry/registry.h src/core/actor.h \
 src/core/scope.h src/core/err.h src/db/db.h src/http/api.h \
 src/audit/audit.h src/core/clock.h src/core/idnum.h src/core/strbuf.h
src/core/banned.h:
src/registry/registry.h:
src/core/actor.h:
src/core/scope.h:
src/core/err.h:
src/db/db.h:
src/http/api.h:
src/audit/audit.h:
src/core/clock.h:
src/core/idnum.h:
src/core/strbuf.h:
