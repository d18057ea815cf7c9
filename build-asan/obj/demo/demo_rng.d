build-asan/obj/demo/demo_rng.o: src/demo/demo_rng.c src/core/banned.h \
 src/demo/demo_internal.h src/core/err.h
src/core/banned.h:
src/demo/demo_internal.h:
src/core/err.h:
