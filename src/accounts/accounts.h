/* accounts.h — users, roles and permissions, passwords, sessions, bearer tokens, login throttle.
 *
 * Roles and what each may do are one table in roles.c. Passwords are argon2id (libsodium).
 * Session ids and bearer tokens are 32 random bytes shown once as hex; only their SHA-256 is
 * stored. Five failed logins within 15 minutes lock the account for 15 minutes. Sessions expire
 * after 8 hours without use.
 */
#ifndef MZ_ACCOUNTS_H
#define MZ_ACCOUNTS_H

#include <stdint.h>
#include <stddef.h>
#include "core/actor.h"
#include "db/db.h"

extern const char accounts_schema_v1[];

#define ACCOUNTS_TOKEN_HEX 65 /* 64 hex chars + NUL */
#define ACCOUNTS_SESSION_IDLE_SECONDS (8 * 3600)
#define ACCOUNTS_LOCK_FAILURES 5
#define ACCOUNTS_LOCK_SECONDS (15 * 60)

/* ---- roles (roles.c) ---- */

/* The permission bits of a role; -1 for an unknown role name. */
int roles_perms(const char *role, uint32_t *out);
/* The role names, NULL-terminated, in display order. */
const char *const *roles_all(void);
/* Chinese label of a role ("" when unknown). */
const char *roles_label(const char *role);
/* Name of each permission bit ("registry.read", …); NULL for unknown bits. */
const char *perm_name(uint32_t bit);

/* ---- users ---- */

struct user_info {
	int64_t id;
	char username[64];
	char role[32];
	char region_code[16];
	int disabled;
	char created_at[32];
};

/* Resolve a scope code (a region code, "" for everything, or a management-unit code) into the
 * prefixes of struct scope. -1 with e when the code is neither a known region nor a unit. */
int accounts_resolve_scope(struct db *db, const char *code, struct scope *out, struct err *e);

/* Create a user (audited, one transaction). Username: 3–32 of [A-Za-z0-9_.-]; password at least
 * 8 characters; role from roles_all(); region a known region code or unit code. */
int accounts_user_add(struct db *db, const struct actor *by, const char *username,
		      const char *role, const char *region_code, const char *password,
		      struct err *e);
/* The same with a password hash made beforehand by accounts_password_hash (bulk creation, e.g.
 * the demo, where hashing each password again would take minutes). */
int accounts_user_add_hashed(struct db *db, const struct actor *by, const char *username,
			     const char *role, const char *region_code, const char *password_hash,
			     struct err *e);
/* The password policy for a password a person chooses (`user add`, `user passwd`): 8 to 128
 * bytes, at least three of upper-case letters, lower-case letters, digits and other characters,
 * and not containing the username. -1 with e (400 weak_password, field password) otherwise. */
int accounts_password_check(const char *username, const char *password, struct err *e);
/* argon2id hash of password (libsodium crypto_pwhash_str) into out[128]. */
int accounts_password_hash(const char *password, char out[128], struct err *e);
int accounts_user_disable(struct db *db, const struct actor *by, const char *username,
			  struct err *e);
int accounts_user_set_password(struct db *db, const struct actor *by, const char *username,
			       const char *password, struct err *e);
/* Calls fn for each user ordered by username; fn returns non-zero to stop. */
int accounts_user_list(struct db *db, int (*fn)(const struct user_info *u, void *ctx), void *ctx,
		       struct err *e);

/* Fill an actor from a user's row already read (by a session or token lookup that joined it):
 * role permissions and the expanded scope (cached per thread for a minute). 403 when disabled. */
int accounts_actor_fill(struct db *db, int64_t user_id, const char *username, const char *role,
			const char *region_code, int disabled, struct actor *out, struct err *e);
/* Fill an actor for a user (role perms, expanded scope). */
int accounts_actor_for_user(struct db *db, int64_t user_id, struct actor *out, struct err *e);
/* The id of the user named username into *id (0 when there is none): 0, or -1 with e on a
 * database error — a user who could not be looked up is not "no such user". */
int accounts_user_id(struct db *db, const char *username, int64_t *id, struct err *e);

/* ---- sessions and tokens ---- */

struct login_result {
	char session[ACCOUNTS_TOKEN_HEX]; /* the cookie value: shown once */
	char csrf[ACCOUNTS_TOKEN_HEX];
	struct actor actor;
};

/* Check the password (throttled/locked), open a session; audited either way.
 * Errors: 401 bad_credentials, 429 account_locked, 403 account_disabled. */
int accounts_login(struct db *db, const char *username, const char *password, const char *client,
		   struct login_result *out, struct err *e);
/* Look up a session cookie value; fills actor and csrf. 401 unauthenticated when unknown or
 * expired. Reads only (so it can share a request's read transaction): *stale (when not NULL) is
 * set when the last use is a minute old, and the caller then calls accounts_session_touch once
 * the read is over. */
int accounts_session_actor(struct db *db, const char *session, struct actor *out,
			   char csrf[ACCOUNTS_TOKEN_HEX], int *stale, struct err *e);
/* Record a session's use now (extends its idle expiry). */
int accounts_session_touch(struct db *db, const char *session, struct err *e);
int accounts_logout(struct db *db, const char *session, const struct actor *a, struct err *e);
/* Create a bearer token for a user (audited); hex into out. */
int accounts_token_create(struct db *db, const struct actor *by, const char *username,
			  char out[ACCOUNTS_TOKEN_HEX], struct err *e);
int accounts_token_actor(struct db *db, const char *token, struct actor *out, struct err *e);
/* Revoke every bearer token of a user (audited); *n gets how many were still valid. A revoked
 * token answers 401 unauthenticated from the next request on. 404 not_found for no such user. */
int accounts_token_revoke(struct db *db, const struct actor *by, const char *username, int *n,
			  struct err *e);

#endif
