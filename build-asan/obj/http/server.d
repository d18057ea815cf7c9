build-asan/obj/http/server.o: src/http/server.c src/core/banned.h \
 src/http/server.h src/http/assets.h src/http/router.h src/db/db.h \
 src/core/err.h src/core/clock.h src/db/migrate.h
src/core/banned.h:
src/http/server.h:
src/http/assets.h:
src/http/router.h:
src/db/db.h:
src/core/err.h:
src/core/clock.h:
src/db/migrate.h:
