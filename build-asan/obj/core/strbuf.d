build-asan/obj/core/strbuf.o: src/core/strbuf.c src/core/banned.h \
 src/core/strbuf.h
src/core/banned.h:
src/core/strbuf.h:
