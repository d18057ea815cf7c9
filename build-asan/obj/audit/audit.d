build-asan/obj/audit/audit.o: src/audit/audit.c src/core/banned.h \
 src/audit/audit.h src/core/actor.h src/core/scope.h src/db/db.h \
 src/core/err.h src/core/clock.h
src/core/banned.h:
src/audit/audit.h:
src/core/actor.h:
src/core/scope.h:
src/db/db.h:
src/core/err.h:
src/core/clock.h:
