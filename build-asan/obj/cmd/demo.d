build-asan/obj/cmd/demo.o: src/cmd/demo.c src/core/banned.h \
 src/cmd/demo.h src/cmd/cli.h src/db/db.h src/core/err.h src/demo/demo.h
src/core/banned.h:
src/cmd/demo.h:
src/cmd/cli.h:
src/db/db.h:
src/core/err.h:
src/demo/demo.h:
