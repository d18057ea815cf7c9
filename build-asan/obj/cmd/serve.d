build-asan/obj/cmd/serve.o: src/cmd/serve.c src/core/banned.h \
 src/cmd/cli.h src/db/db.h src/core/err.h src/cmd/commands.h \
 src/http/server.h
src/core/banned.h:
src/cmd/cli.h:
src/db/db.h:
src/core/err.h:
src/cmd/commands.h:
src/http/server.h:
