build-asan/obj/accounts/sessions.o: src/accounts/sessions.c \
 src/core/banned.h src/accounts/accounts.h src/core/actor.h \
 src/core/scope.h src/db/db.h src/core/err.h src/audit/audit.h \
 src/core/clock.h
src/core/banned.h:
src/accounts/accounts.h:
src/core/actor.h:
src/core/scope.h:
src/db/db.h:
src/core/err.h:
src/audit/audit.h:
src/core/clock.h:
