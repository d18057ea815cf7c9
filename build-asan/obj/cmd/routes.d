build-asan/obj/cmd/routes.o: src/cmd/routes.c src/core/banned.h \
 src/cmd/commands.h src/http/router.h src/db/db.h src/core/err.h
src/core/banned.h:
src/cmd/commands.h:
src/http/router.h:
src/db/db.h:
src/core/err.h:
