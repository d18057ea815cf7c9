build-asan/obj/regions/regions_store.o: src/regions/regions_store.c \
 src/core/banned.h src/regions/regions.h src/core/err.h src/core/scope.h \
 src/db/db.h src/http/api.h src/core/actor.h src/core/strbuf.h
src/core/banned.h:
src/regions/regions.h:
src/core/err.h:
src/core/scope.h:
src/db/db.h:
src/http/api.h:
src/core/actor.h:
src/core/strbuf.h:
