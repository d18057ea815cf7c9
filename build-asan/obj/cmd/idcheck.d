build-asan/obj/cmd/idcheck.o: src/cmd/idcheck.c src/core/banned.h \
 src/cmd/idcheck.h src/core/err.h src/core/idnum.h
src/core/banned.h:
src/cmd/idcheck.h:
src/core/err.h:
src/core/idnum.h:
