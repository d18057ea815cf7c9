build-asan/obj/core/idnum.o: src/core/idnum.c src/core/banned.h \
 src/core/idnum.h src/core/err.h src/core/clock.h
src/core/banned.h:
src/core/idnum.h:
src/core/err.h:
src/core/clock.h:
