build-asan/obj/core/phone.o: src/core/phone.c src/core/banned.h \
 src/core/phone.h src/core/err.h
src/core/banned.h:
src/core/phone.h:
src/core/err.h:
