/* users.c — user accounts: creation, listing, disabling, passwords, and turning a user into an
 * actor (role permissions + expanded region scope). Tables: users (see accounts_schema_v1). */
#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "regions/regions.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

const char accounts_schema_v1[] =
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  username TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL,"
	"  region_code TEXT NOT NULL,"
	"  password_hash TEXT NOT NULL,"
	"  disabled INTEGER NOT NULL DEFAULT 0,"
	"  failed_count INTEGER NOT NULL DEFAULT 0,"
	"  first_failed_at INTEGER NOT NULL DEFAULT 0,"
	"  locked_until INTEGER NOT NULL DEFAULT 0,"
	"  created_at TEXT NOT NULL"
	");"
	/* Session ids and tokens are stored only as SHA-256 hex. scope: the expanded prefixes,
	 * comma-separated, fixed at login. */
	"CREATE TABLE sessions ("
	"  id_hash TEXT PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  csrf TEXT NOT NULL,"
	"  client TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL"
	");"
	"CREATE INDEX sessions_by_user ON sessions(user_id);"
	"CREATE TABLE api_tokens ("
	"  id INTEGER PRIMARY KEY,"
	"  token_hash TEXT NOT NULL UNIQUE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  created_at TEXT NOT NULL,"
	"  revoked INTEGER NOT NULL DEFAULT 0"
	");";

static int valid_username(const char *u)
{
	size_t n = strlen(u);
	if (n < 3 || n > 32)
		return 0;
	for (; *u; u++) {
		char c = *u;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

int accounts_password_check(const char *username, const char *password, struct err *e)
{
	size_t n = strlen(password);
	int upper = 0, lower = 0, digit = 0, other = 0;
	for (const char *c = password; *c; c++) {
		if (*c >= 'A' && *c <= 'Z')
			upper = 1;
		else if (*c >= 'a' && *c <= 'z')
			lower = 1;
		else if (*c >= '0' && *c <= '9')
			digit = 1;
		else
			other = 1;
	}
	if (n < 8)
		return err_set(e, 400, "weak_password", "password", "密码至少 8 位");
	if (n > 128)
		return err_set(e, 400, "weak_password", "password", "密码过长（至多 128 个字节）");
	if (upper + lower + digit + other < 3)
		return err_set(e, 400, "weak_password", "password",
			       "密码须包含大写字母、小写字母、数字、其他符号中的至少三类");
	if (username && username[0] && strstr(password, username))
		return err_set(e, 400, "weak_password", "password", "密码不能包含用户名");
	return 0;
}

int accounts_password_hash(const char *password, char out[128], struct err *e)
{
	if (sodium_init() < 0)
		return err_set(e, 500, "internal", NULL, "加密库初始化失败");
	if (strlen(password) < 8)
		return err_set(e, 400, "weak_password", "password", "密码至少 8 位");
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return err_set(e, 500, "internal", NULL, "密码哈希失败（内存不足）");
	return 0;
}

int accounts_resolve_scope(struct db *db, const char *code, struct scope *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (code[0] == '\0') { /* everything (the system actor) */
		out->n = 1;
		return 0;
	}
	if (strlen(code) >= REGION_CODE_MAX)
		return err_set(e, 400, "invalid_region", "region", "区划代码过长：%s", code);
	/* A functional zone expands to the townships it manages. */
	char townships[SCOPE_MAX_PREFIXES][16];
	int n = 0;
	struct err ignore;
	err_clear(&ignore);
	int units = regions_unit_townships(db, code, townships, SCOPE_MAX_PREFIXES, &n, &ignore);
	if (units < 0 && ignore.status >= 500) { /* a database failure is not "no such unit" */
		*e = ignore;
		return -1;
	}
	int zone = 0;
	if (units == 0 && n > 0) {
		struct db_stmt *st =
		    db_prepare(db, "SELECT 1 FROM units WHERE code = ? AND kind = 'zone'", e);
		if (!st)
			return -1;
		db_bind_text(st, 1, code);
		zone = db_step(st, e);
		db_done(st);
		if (zone < 0) /* e says which database error */
			return -1;
	}
	if (zone > 0) {
		for (int i = 0; i < n; i++)
			snprintf(out->prefix[i], REGION_CODE_MAX, "%s", townships[i]);
		out->n = n;
		return 0;
	}
	struct region r;
	if (regions_get(db, code, &r, e) < 0)
		return e->status >= 500 ? -1
					: err_set(e, 400, "invalid_region", "region",
						  "未知的区划或管理单位代码：%s", code);
	snprintf(out->prefix[0], REGION_CODE_MAX, "%s", code);
	out->n = 1;
	return 0;
}

int accounts_user_add_hashed(struct db *db, const struct actor *by, const char *username,
			     const char *role, const char *region_code, const char *password_hash,
			     struct err *e)
{
	uint32_t perms;
	struct scope scope;
	char at[32], object[96];
	if (!valid_username(username))
		return err_set(e, 400, "invalid_value", "username",
			       "用户名须为 3–32 位字母、数字或 _ . -：%s", username);
	if (roles_perms(role, &perms) < 0)
		return err_set(e, 400, "invalid_value", "role",
			       "未知角色：%s（可选 city_admin, county_staff, township_assistant, "
			       "village_worker, institution_reporter, inspector, rescue_worker, hotline_operator, leader）", role);
	if (accounts_resolve_scope(db, region_code, &scope, e) < 0)
		return -1;
	if (!scope_covers(&by->scope, region_code) && by->user_id != 0)
		return err_set(e, 403, "out_of_scope", "region", "不能在自己的管辖范围之外创建用户");
	clock_now_iso(at);
	int own_txn = !db_in_transaction(db);
	if (own_txn && db_begin_write(db, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "INSERT INTO users(username, role, region_code, "
					    "password_hash, created_at) VALUES (?,?,?,?,?)", e);
	if (!st)
		goto fail;
	db_bind_text(st, 1, username);
	db_bind_text(st, 2, role);
	db_bind_text(st, 3, region_code);
	db_bind_text(st, 4, password_hash);
	db_bind_text(st, 5, at);
	if (db_run(st, e) < 0) {
		if (strcmp(e->code, "conflict") == 0)
			err_set(e, 409, "duplicate_username", "username", "用户名已存在：%s", username);
		goto fail;
	}
	snprintf(object, sizeof object, "user:%s", username);
	char detail[128];
	snprintf(detail, sizeof detail, "role=%s region=%s", role, region_code);
	if (audit_append(db, by, "user.add", object, "ok", detail, e) < 0)
		goto fail;
	if (own_txn && db_commit(db, e) < 0)
		return -1;
	return 0;
fail:
	if (own_txn)
		db_rollback(db);
	return -1;
}

int accounts_user_add(struct db *db, const struct actor *by, const char *username,
		      const char *role, const char *region_code, const char *password,
		      struct err *e)
{
	char hash[128];
	if (accounts_password_hash(password, hash, e) < 0)
		return -1;
	int rc = accounts_user_add_hashed(db, by, username, role, region_code, hash, e);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

static int user_update(struct db *db, const struct actor *by, const char *sql, const char *value,
		       const char *username, const char *action, struct err *e)
{
	char object[96];
	if (db_begin_write(db, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, sql, e);
	if (!st)
		goto fail;
	db_bind_text(st, 1, value);
	db_bind_text(st, 2, username);
	if (db_run(st, e) < 0)
		goto fail;
	if (db_changes(db) == 0) {
		err_set(e, 404, "not_found", "username", "用户不存在：%s", username);
		goto fail;
	}
	snprintf(object, sizeof object, "user:%s", username);
	if (audit_append(db, by, action, object, "ok", NULL, e) < 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}

int accounts_user_disable(struct db *db, const struct actor *by, const char *username,
			  struct err *e)
{
	if (user_update(db, by, "UPDATE users SET disabled = ? WHERE username = ?", "1", username,
			"user.disable", e) < 0)
		return -1;
	/* A disabled user's open sessions end now. */
	struct db_stmt *st = db_prepare(db, "DELETE FROM sessions WHERE user_id IN "
					    "(SELECT id FROM users WHERE username = ?)", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, username);
	return db_run(st, e);
}

int accounts_user_set_password(struct db *db, const struct actor *by, const char *username,
			       const char *password, struct err *e)
{
	char hash[128];
	if (accounts_password_hash(password, hash, e) < 0)
		return -1;
	int rc = user_update(db, by, "UPDATE users SET password_hash = ?, failed_count = 0, "
				     "locked_until = 0 WHERE username = ?", hash, username,
			     "user.password", e);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int accounts_user_list(struct db *db, int (*fn)(const struct user_info *u, void *ctx), void *ctx,
		       struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, username, role, region_code, disabled, "
					    "created_at FROM users ORDER BY username", e);
	if (!st)
		return -1;
	int rc;
	while ((rc = db_step(st, e)) == 1) {
		struct user_info u;
		u.id = db_col_int(st, 0);
		snprintf(u.username, sizeof u.username, "%s", db_col_text(st, 1));
		snprintf(u.role, sizeof u.role, "%s", db_col_text(st, 2));
		snprintf(u.region_code, sizeof u.region_code, "%s", db_col_text(st, 3));
		u.disabled = (int)db_col_int(st, 4);
		snprintf(u.created_at, sizeof u.created_at, "%s", db_col_text(st, 5));
		if (fn(&u, ctx))
			break;
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* Expanded scopes by scope code, per thread, kept for SCOPE_CACHE_SECONDS: resolving a zone's
 * townships costs a few queries, and every authenticated request needs its actor's scope. A
 * change of a zone's townships (a regions import) reaches running servers within that time. */
#define SCOPE_CACHE_SIZE 64
#define SCOPE_CACHE_SECONDS 60
static _Thread_local struct {
	char code[REGION_CODE_MAX];
	struct scope scope;
	int64_t at;
} scope_cache[SCOPE_CACHE_SIZE];

static int resolve_scope_cached(struct db *db, const char *code, struct scope *out, struct err *e)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *c = code; *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211ULL;
	size_t i = (size_t)(h % SCOPE_CACHE_SIZE);
	int64_t now = clock_unix();
	if (scope_cache[i].at && now - scope_cache[i].at < SCOPE_CACHE_SECONDS &&
	    strcmp(scope_cache[i].code, code) == 0) {
		*out = scope_cache[i].scope;
		return 0;
	}
	if (accounts_resolve_scope(db, code, out, e) < 0)
		return -1;
	if (strlen(code) < REGION_CODE_MAX) {
		snprintf(scope_cache[i].code, sizeof scope_cache[i].code, "%s", code);
		scope_cache[i].scope = *out;
		scope_cache[i].at = now;
	}
	return 0;
}

int accounts_actor_fill(struct db *db, int64_t user_id, const char *username, const char *role,
			const char *region_code, int disabled, struct actor *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (disabled)
		return err_set(e, 403, "account_disabled", NULL, "账号已停用");
	out->user_id = user_id;
	snprintf(out->username, sizeof out->username, "%s", username);
	snprintf(out->role, sizeof out->role, "%s", role);
	snprintf(out->region_code, sizeof out->region_code, "%s", region_code);
	if (roles_perms(out->role, &out->perms) < 0)
		return err_set(e, 403, "forbidden", NULL, "账号角色无效：%s", out->role);
	return resolve_scope_cached(db, out->region_code, &out->scope, e);
}

int accounts_user_id(struct db *db, const char *username, int64_t *id, struct err *e)
{
	*id = 0;
	struct db_stmt *st = db_prepare(db, "SELECT id FROM users WHERE username = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, username ? username : "");
	int rc = db_step(st, e);
	if (rc == 1)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int accounts_actor_for_user(struct db *db, int64_t user_id, struct actor *out, struct err *e)
{
	char username[64] = "", role[32] = "", region[REGION_CODE_MAX] = "";
	int disabled = 0;
	struct db_stmt *st = db_prepare(db, "SELECT username, role, region_code, disabled FROM users "
					    "WHERE id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	int rc = db_step(st, e);
	if (rc == 1) {
		snprintf(username, sizeof username, "%s", db_col_text(st, 0));
		snprintf(role, sizeof role, "%s", db_col_text(st, 1));
		snprintf(region, sizeof region, "%s", db_col_text(st, 2));
		disabled = (int)db_col_int(st, 3);
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		memset(out, 0, sizeof *out);
		return err_set(e, 401, "unauthenticated", NULL, "用户不存在");
	}
	return accounts_actor_fill(db, user_id, username, role, region, disabled, out, e);
}
