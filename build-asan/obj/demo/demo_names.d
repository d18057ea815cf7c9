build-asan/obj/demo/demo_names.o: src/demo/demo_names.c src/core/banned.h \
 src/demo/demo_internal.h src/core/err.h
src/core/banned.h:
src/demo/demo_internal.h:
src/core/err.h:
