/* actor.c — the CLI's system actor (see actor.h). */
#include "core/actor.h"

#include <stdio.h>
#include <string.h>

void actor_system(struct actor *a)
{
	memset(a, 0, sizeof *a);
	snprintf(a->username, sizeof a->username, "system");
	snprintf(a->role, sizeof a->role, "city_admin");
	a->perms = 0xffffffffu;
	a->scope.n = 1; /* prefix "": everything */
	snprintf(a->client, sizeof a->client, "cli");
}
