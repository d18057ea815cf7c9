build-asan/obj/regions/regions_import.o: src/regions/regions_import.c \
 src/core/banned.h src/regions/regions.h src/core/err.h src/core/scope.h \
 src/db/db.h src/http/api.h src/core/actor.h src/audit/audit.h \
 src/core/strbuf.h src/http/assets.h
src/core/banned.h:
src/regions/regions.h:
src/core/err.h:
src/core/scope.h:
src/db/db.h:
src/http/api.h:
src/core/actor.h:
src/audit/audit.h:
src/core/strbuf.h:
src/http/assets.h:
