build-asan/obj/cmd/cli.o: src/cmd/cli.c src/core/banned.h src/cmd/cli.h \
 src/db/db.h src/core/err.h src/db/migrate.h
src/core/banned.h:
src/cmd/cli.h:
src/db/db.h:
src/core/err.h:
src/db/migrate.h:
