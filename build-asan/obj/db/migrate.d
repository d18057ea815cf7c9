build-asan/obj/db/migrate.o: src/db/migrate.c src/core/banned.h \
 src/db/migrate.h src/db/db.h src/core/err.h src/accounts/accounts.h \
 src/core/actor.h src/core/scope.h src/audit/audit.h \
 src/regions/regions.h src/http/api.h src/registry/registry.h
src/core/banned.h:
src/db/migrate.h:
src/db/db.h:
src/core/err.h:
src/accounts/accounts.h:
src/core/actor.h:
src/core/scope.h:
src/audit/audit.h:
src/regions/regions.h:
src/http/api.h:
src/registry/registry.h:
