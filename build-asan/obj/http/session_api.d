build-asan/obj/http/session_api.o: src/http/session_api.c \
 src/core/banned.h src/http/api.h src/core/actor.h src/core/scope.h \
 src/core/err.h src/db/db.h src/accounts/accounts.h src/regions/regions.h
src/core/banned.h:
src/http/api.h:
src/core/actor.h:
src/core/scope.h:
src/core/err.h:
src/db/db.h:
src/accounts/accounts.h:
src/regions/regions.h:
