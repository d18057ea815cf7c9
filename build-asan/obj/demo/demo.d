build-asan/obj/demo/demo.o: src/demo/demo.c src/core/banned.h \
 src/demo/demo.h src/core/err.h src/db/db.h src/demo/demo_internal.h \
 src/accounts/accounts.h src/core/actor.h src/core/scope.h \
 src/audit/audit.h src/regions/regions.h src/http/api.h
src/core/banned.h:
src/demo/demo.h:
src/core/err.h:
src/db/db.h:
src/demo/demo_internal.h:
src/accounts/accounts.h:
src/core/actor.h:
src/core/scope.h:
src/audit/audit.h:
src/regions/regions.h:
src/http/api.h:
