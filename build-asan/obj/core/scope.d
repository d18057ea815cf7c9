build-asan/obj/core/scope.o: src/core/scope.c src/core/banned.h \
 src/core/scope.h src/core/strbuf.h src/db/db.h src/core/err.h
src/core/banned.h:
src/core/scope.h:
src/core/strbuf.h:
src/db/db.h:
src/core/err.h:
