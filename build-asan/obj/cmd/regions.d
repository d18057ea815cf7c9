build-asan/obj/cmd/regions.o: src/cmd/regions.c src/core/banned.h \
 src/cmd/regions.h src/cmd/cli.h src/db/db.h src/core/err.h \
 src/core/actor.h src/core/scope.h src/regions/regions.h src/http/api.h
src/core/banned.h:
src/cmd/regions.h:
src/cmd/cli.h:
src/db/db.h:
src/core/err.h:
src/core/actor.h:
src/core/scope.h:
src/regions/regions.h:
src/http/api.h:
