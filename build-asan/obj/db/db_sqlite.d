build-asan/obj/db/db_sqlite.o: src/db/db_sqlite.c src/core/banned.h \
 src/db/db.h src/core/err.h
src/core/banned.h:
src/db/db.h:
src/core/err.h:
