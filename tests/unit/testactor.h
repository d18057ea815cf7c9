/* testactor.h — the user fixture unit tests share: a new user with a role and a region, returned
 * as the actor the domain functions take. */
#ifndef MZ_TESTACTOR_H
#define MZ_TESTACTOR_H

#include <stdio.h>
#include <stdlib.h>

#include "accounts/accounts.h"
#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"

/* Add user `name` (password "password-123") with role and region as the system actor, and
 * return their actor; aborts the test binary when anything fails. */
static inline struct actor testactor_user(struct db *db, const char *name, const char *role,
					  const char *region)
{
	struct actor sys, a;
	struct err e;
	char hash[128];
	actor_system(&sys);
	if (accounts_password_hash("password-123", hash, &e) < 0 ||
	    accounts_user_add_hashed(db, &sys, name, role, region, hash, &e) < 0) {
		fprintf(stderr, "user: %s\n", e.message);
		abort();
	}
	int64_t id = db_query_int(db, "SELECT id FROM users WHERE username = ?", name);
	if (accounts_actor_for_user(db, id, &a, &e) < 0)
		abort();
	return a;
}

#endif
