build-asan/obj/http/assets.o: src/http/assets.c src/core/banned.h \
 src/http/assets.h
src/core/banned.h:
src/http/assets.h:
