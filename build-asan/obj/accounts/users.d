build-asan/obj/accounts/users.o: src/accounts/users.c src/core/banned.h \
 src/accounts/accounts.h src/core/actor.h src/core/scope.h src/db/db.h \
 src/core/err.h src/audit/audit.h src/core/clock.h src/regions/regions.h \
 src/http/api.h
src/core/banned.h:
src/accounts/accounts.h:
src/core/actor.h:
src/core/scope.h:
src/db/db.h:
src/core/err.h:
src/audit/audit.h:
src/core/clock.h:
src/regions/regions.h:
src/http/api.h:
