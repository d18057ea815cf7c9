/* sessions.c — logging in and out, session cookies, bearer tokens, and the login throttle.
 *
 * A session id or token is 32 random bytes in hex, given to the client once; the database keeps
 * only its SHA-256 (hex), so a copy of the database cannot be used to log in. Five failures
 * within 15 minutes lock the account for 15 minutes; an unknown username costs the same argon2id
 * work as a known one so timing does not reveal which usernames exist.
 */
#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/clock.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void random_hex(char out[ACCOUNTS_TOKEN_HEX])
{
	unsigned char b[32];
	randombytes_buf(b, sizeof b);
	sodium_bin2hex(out, ACCOUNTS_TOKEN_HEX, b, sizeof b);
	sodium_memzero(b, sizeof b);
}

static void sha256_hex(const char *s, char out[ACCOUNTS_TOKEN_HEX])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, ACCOUNTS_TOKEN_HEX, d, sizeof d);
}

static void actor_for_audit(struct actor *a, const char *username, const char *client)
{
	memset(a, 0, sizeof *a);
	snprintf(a->username, sizeof a->username, "%s", username);
	snprintf(a->client, sizeof a->client, "%s", client ? client : "");
}

/* A fixed argon2id string to verify against when the username is unknown. */
static const char *dummy_hash(void)
{
	static char h[128];
	static int ready;
	if (!ready) { /* computed once at first use; benign race: both threads write the same */
		struct err e;
		accounts_password_hash("minzheng-dummy-password", h, &e);
		ready = 1;
	}
	return h;
}

int accounts_login(struct db *db, const char *username, const char *password, const char *client,
		   struct login_result *out, struct err *e)
{
	struct actor who;
	char object[96];
	int64_t now = clock_unix();
	actor_for_audit(&who, username, client);
	snprintf(object, sizeof object, "user:%.64s", username);
	if (sodium_init() < 0)
		return err_set(e, 500, "internal", NULL, "加密库初始化失败");

	struct db_stmt *st = db_prepare(db, "SELECT id, password_hash, disabled, failed_count, "
					    "first_failed_at, locked_until FROM users WHERE username = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, username);
	int rc = db_step(st, e);
	int64_t user_id = 0, failed = 0, first_failed = 0, locked_until = 0;
	int disabled = 0;
	char hash[128] = "";
	if (rc == 1) {
		user_id = db_col_int(st, 0);
		snprintf(hash, sizeof hash, "%s", db_col_text(st, 1));
		disabled = (int)db_col_int(st, 2);
		failed = db_col_int(st, 3);
		first_failed = db_col_int(st, 4);
		locked_until = db_col_int(st, 5);
	}
	db_done(st);
	if (rc < 0)
		return -1;

	if (user_id && locked_until > now) {
		struct err ignore;
		audit_record(db, &who, "login", object, "locked", NULL, &ignore);
		return err_set(e, 429, "account_locked", NULL,
			       "登录失败次数过多，账号已锁定，请 %lld 分钟后再试",
			       (long long)((locked_until - now + 59) / 60));
	}
	int ok = crypto_pwhash_str_verify(user_id ? hash : dummy_hash(), password,
					  strlen(password)) == 0;
	sodium_memzero(hash, sizeof hash);
	if (!user_id || !ok) {
		if (db_begin_write(db, e) < 0)
			return -1;
		if (user_id) {
			if (now - first_failed > ACCOUNTS_LOCK_SECONDS) {
				failed = 0;
				first_failed = now;
			}
			failed++;
			st = db_prepare(db, "UPDATE users SET failed_count = ?, first_failed_at = ?, "
					    "locked_until = ? WHERE id = ?", e);
			if (!st)
				goto fail;
			db_bind_int(st, 1, failed);
			db_bind_int(st, 2, first_failed);
			db_bind_int(st, 3, failed >= ACCOUNTS_LOCK_FAILURES ? now + ACCOUNTS_LOCK_SECONDS : 0);
			db_bind_int(st, 4, user_id);
			if (db_run(st, e) < 0)
				goto fail;
		}
		if (audit_append(db, &who, "login", object, "failed", NULL, e) < 0 || db_commit(db, e) < 0)
			goto fail;
		if (user_id && failed >= ACCOUNTS_LOCK_FAILURES)
			return err_set(e, 429, "account_locked", NULL,
				       "登录失败次数过多，账号已锁定 15 分钟");
		return err_set(e, 401, "bad_credentials", NULL, "用户名或密码错误");
	}
	if (disabled) {
		struct err ignore;
		audit_record(db, &who, "login", object, "disabled", NULL, &ignore);
		return err_set(e, 403, "account_disabled", NULL, "账号已停用，请联系管理员");
	}
	if (accounts_actor_for_user(db, user_id, &out->actor, e) < 0)
		return -1;
	snprintf(out->actor.client, sizeof out->actor.client, "%s", client ? client : "");

	char id_hash[ACCOUNTS_TOKEN_HEX];
	random_hex(out->session);
	random_hex(out->csrf);
	sha256_hex(out->session, id_hash);
	if (db_begin_write(db, e) < 0)
		return -1;
	st = db_prepare(db, "UPDATE users SET failed_count = 0, locked_until = 0 WHERE id = ?", e);
	if (!st)
		goto fail;
	db_bind_int(st, 1, user_id);
	if (db_run(st, e) < 0)
		goto fail;
	st = db_prepare(db, "INSERT INTO sessions(id_hash, user_id, csrf, client, created_at, last_seen) "
			    "VALUES (?,?,?,?,?,?)", e);
	if (!st)
		goto fail;
	db_bind_text(st, 1, id_hash);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, out->csrf);
	db_bind_text(st, 4, client ? client : "");
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, now);
	if (db_run(st, e) < 0)
		goto fail;
	/* Expired sessions are swept here, at the rare moment someone logs in. */
	st = db_prepare(db, "DELETE FROM sessions WHERE last_seen < ?", e);
	if (!st)
		goto fail;
	db_bind_int(st, 1, now - ACCOUNTS_SESSION_IDLE_SECONDS);
	if (db_run(st, e) < 0)
		goto fail;
	if (audit_append(db, &out->actor, "login", object, "ok", NULL, e) < 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}

int accounts_session_actor(struct db *db, const char *session, struct actor *out,
			   char csrf[ACCOUNTS_TOKEN_HEX], int *stale, struct err *e)
{
	char id_hash[ACCOUNTS_TOKEN_HEX];
	int64_t now = clock_unix();
	if (strlen(session) != ACCOUNTS_TOKEN_HEX - 1)
		return err_set(e, 401, "unauthenticated", NULL, "未登录或登录已过期");
	sha256_hex(session, id_hash);
	/* One query on the hot path: the session and its user together. */
	struct db_stmt *st = db_prepare(db, "SELECT s.user_id, s.csrf, s.last_seen, u.username, u.role, "
					    "u.region_code, u.disabled FROM sessions s JOIN users u "
					    "ON u.id = s.user_id WHERE s.id_hash = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, id_hash);
	int rc = db_step(st, e);
	int64_t user_id = 0, last_seen = 0;
	char username[64] = "", role[32] = "", region[REGION_CODE_MAX] = "";
	int disabled = 0;
	if (rc == 1) {
		user_id = db_col_int(st, 0);
		snprintf(csrf, ACCOUNTS_TOKEN_HEX, "%s", db_col_text(st, 1));
		last_seen = db_col_int(st, 2);
		snprintf(username, sizeof username, "%s", db_col_text(st, 3));
		snprintf(role, sizeof role, "%s", db_col_text(st, 4));
		snprintf(region, sizeof region, "%s", db_col_text(st, 5));
		disabled = (int)db_col_int(st, 6);
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0 || now - last_seen > ACCOUNTS_SESSION_IDLE_SECONDS)
		return err_set(e, 401, "unauthenticated", NULL, "未登录或登录已过期");
	if (accounts_actor_fill(db, user_id, username, role, region, disabled, out, e) < 0)
		return -1;
	if (stale)
		*stale = now - last_seen >= 60;
	return 0;
}

int accounts_session_touch(struct db *db, const char *session, struct err *e)
{
	char id_hash[ACCOUNTS_TOKEN_HEX];
	sha256_hex(session, id_hash);
	struct db_stmt *st = db_prepare(db, "UPDATE sessions SET last_seen = ? WHERE id_hash = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, clock_unix());
	db_bind_text(st, 2, id_hash);
	return db_run(st, e);
}

int accounts_logout(struct db *db, const char *session, const struct actor *a, struct err *e)
{
	char id_hash[ACCOUNTS_TOKEN_HEX], object[96];
	sha256_hex(session, id_hash);
	if (db_begin_write(db, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "DELETE FROM sessions WHERE id_hash = ?", e);
	if (!st)
		goto fail;
	db_bind_text(st, 1, id_hash);
	if (db_run(st, e) < 0)
		goto fail;
	snprintf(object, sizeof object, "user:%s", a->username);
	if (audit_append(db, a, "logout", object, "ok", NULL, e) < 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}

int accounts_token_create(struct db *db, const struct actor *by, const char *username,
			  char out[ACCOUNTS_TOKEN_HEX], struct err *e)
{
	char token_hash[ACCOUNTS_TOKEN_HEX], object[96], at[32];
	if (sodium_init() < 0)
		return err_set(e, 500, "internal", NULL, "加密库初始化失败");
	int64_t user_id;
	if (accounts_user_id(db, username, &user_id, e) < 0)
		return -1;
	if (user_id <= 0)
		return err_set(e, 404, "not_found", "username", "用户不存在：%s", username);
	random_hex(out);
	sha256_hex(out, token_hash);
	clock_now_iso(at);
	if (db_begin_write(db, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "INSERT INTO api_tokens(token_hash, user_id, created_at) "
					    "VALUES (?,?,?)", e);
	if (!st)
		goto fail;
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, at);
	if (db_run(st, e) < 0)
		goto fail;
	snprintf(object, sizeof object, "user:%s", username);
	if (audit_append(db, by, "token.create", object, "ok", NULL, e) < 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	sodium_memzero(out, ACCOUNTS_TOKEN_HEX);
	return -1;
}

int accounts_token_actor(struct db *db, const char *token, struct actor *out, struct err *e)
{
	char token_hash[ACCOUNTS_TOKEN_HEX];
	if (strlen(token) != ACCOUNTS_TOKEN_HEX - 1)
		return err_set(e, 401, "unauthenticated", NULL, "令牌无效");
	sha256_hex(token, token_hash);
	struct db_stmt *st = db_prepare(db, "SELECT u.id, u.username, u.role, u.region_code, u.disabled "
					    "FROM api_tokens t JOIN users u ON u.id = t.user_id "
					    "WHERE t.token_hash = ? AND t.revoked = 0", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, token_hash);
	int rc = db_step(st, e);
	int64_t user_id = 0;
	char username[64] = "", role[32] = "", region[REGION_CODE_MAX] = "";
	int disabled = 0;
	if (rc == 1) {
		user_id = db_col_int(st, 0);
		snprintf(username, sizeof username, "%s", db_col_text(st, 1));
		snprintf(role, sizeof role, "%s", db_col_text(st, 2));
		snprintf(region, sizeof region, "%s", db_col_text(st, 3));
		disabled = (int)db_col_int(st, 4);
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (!user_id)
		return err_set(e, 401, "unauthenticated", NULL, "令牌无效或已撤销");
	return accounts_actor_fill(db, user_id, username, role, region, disabled, out, e);
}

int accounts_token_revoke(struct db *db, const struct actor *by, const char *username, int *n,
			  struct err *e)
{
	char object[96];
	*n = 0;
	int64_t user_id;
	if (accounts_user_id(db, username, &user_id, e) < 0)
		return -1;
	if (user_id <= 0)
		return err_set(e, 404, "not_found", "username", "用户不存在：%s", username);
	if (db_begin_write(db, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "UPDATE api_tokens SET revoked = 1 "
					    "WHERE user_id = ? AND revoked = 0", e);
	if (!st)
		goto fail;
	db_bind_int(st, 1, user_id);
	if (db_run(st, e) < 0)
		goto fail;
	*n = db_changes(db);
	snprintf(object, sizeof object, "user:%s", username);
	if (audit_append(db, by, "token.revoke", object, "ok", NULL, e) < 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}
