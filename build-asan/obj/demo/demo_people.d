build-asan/obj/demo/demo_people.o: src/demo/demo_people.c \
 src/core/banned.h src/demo/demo_internal.h src/core/err.h \
 src/core/idnum.h
src/core/banned.h:
src/demo/demo_internal.h:
src/core/err.h:
src/core/idnum.h:
