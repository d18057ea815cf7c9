build-asan/obj/cmd/init.o: src/cmd/init.c src/core/banned.h src/cmd/cli.h \
 src/db/db.h src/core/err.h src/cmd/commands.h src/db/migrate.h \
 src/regions/regions.h src/core/scope.h src/http/api.h src/core/actor.h
src/core/banned.h:
src/cmd/cli.h:
src/db/db.h:
src/core/err.h:
src/cmd/commands.h:
src/db/migrate.h:
src/regions/regions.h:
src/core/scope.h:
src/http/api.h:
src/core/actor.h:
