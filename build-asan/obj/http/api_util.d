build-asan/obj/http/api_util.o: src/http/api_util.c src/core/banned.h \
 src/http/api.h src/core/actor.h src/core/scope.h src/core/err.h \
 src/db/db.h
src/core/banned.h:
src/http/api.h:
src/core/actor.h:
src/core/scope.h:
src/core/err.h:
src/db/db.h:
