build-asan/obj/core/clock.o: src/core/clock.c src/core/banned.h \
 src/core/clock.h
src/core/banned.h:
src/core/clock.h:
