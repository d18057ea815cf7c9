build-asan/obj/core/actor.o: src/core/actor.c src/core/banned.h \
 src/core/actor.h src/core/scope.h
src/core/banned.h:
src/core/actor.h:
src/core/scope.h:
