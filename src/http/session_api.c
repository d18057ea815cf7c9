/* session_api.c — logging in and out over HTTP: POST/GET/DELETE /api/v1/session. */
#include "http/api.h"
#include "accounts/accounts.h"
#include "regions/regions.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static json_t *user_json(struct db *db, const struct actor *a)
{
	json_t *perms = json_array();
	for (uint32_t bit = 1u << 1; bit; bit <<= 1)
		if ((a->perms & bit) && perm_name(bit))
			json_array_append_new(perms, json_string(perm_name(bit)));
	struct region r;
	struct err ignore;
	const char *region_name = "";
	if (regions_get(db, a->region_code, &r, &ignore) == 0)
		region_name = r.name;
	json_t *u = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "username", a->username, "role", a->role,
			      "role_label", roles_label(a->role), "region_code", a->region_code,
			      "region_name", region_name, "permissions", perms);
	if (!region_name[0]) { /* a functional zone: its name is in units */
		struct db_stmt *st = db_prepare(db, "SELECT name FROM units WHERE code = ?", &ignore);
		if (st) {
			db_bind_text(st, 1, a->region_code);
			if (db_step(st, &ignore) == 1)
				json_object_set_new(u, "region_name", json_string(db_col_text(st, 0)));
			db_done(st);
		}
	}
	return u;
}

static int session_create(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	const char *username = json_string_value(json_object_get(body, "username"));
	const char *password = json_string_value(json_object_get(body, "password"));
	if (!username || !*username) {
		json_decref(body);
		return err_set(e, 400, "required", "username", "请输入用户名");
	}
	if (!password || !*password) {
		json_decref(body);
		return err_set(e, 400, "required", "password", "请输入密码");
	}
	struct login_result lr;
	int rc = accounts_login(rq->db, username, password, rq->client, &lr, e);
	json_decref(body);
	if (rc < 0)
		return -1;
	/* A session the client already held ends here: a login always starts a fresh session, and
	 * no id known before it (planted or left over) stays valid beside it. Best effort. */
	struct actor prev;
	struct err ignore;
	char prev_csrf[ACCOUNTS_TOKEN_HEX];
	if (rq->session_id[0] &&
	    accounts_session_actor(rq->db, rq->session_id, &prev, prev_csrf, NULL, &ignore) == 0)
		accounts_logout(rq->db, rq->session_id, &prev, &ignore); /* audited as its owner's */
	snprintf(rs->cookie_buf, sizeof rs->cookie_buf,
		 "mz_session=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%d", lr.session,
		 ACCOUNTS_SESSION_IDLE_SECONDS);
	rs->set_cookie = rs->cookie_buf;
	rs->body = json_pack("{s:o,s:s}", "user", user_json(rq->db, &lr.actor), "csrf_token", lr.csrf);
	sodium_memzero(lr.session, sizeof lr.session);
	return 0;
}

static int session_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	rs->body = json_pack("{s:o,s:s}", "user", user_json(rq->db, rq->actor), "csrf_token", rq->csrf);
	return 0;
}

static int session_delete(struct api_req *rq, struct api_res *rs, struct err *e)
{
	if (rq->session_id[0] && accounts_logout(rq->db, rq->session_id, rq->actor, e) < 0)
		return -1;
	rs->status = 204;
	rs->set_cookie = "mz_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0";
	return 0;
}

const struct api_route session_routes[] = {
	{"POST", "/api/v1/session", session_create, PERM_PUBLIC, API_NO_CSRF},
	{"GET", "/api/v1/session", session_get, PERM_LOGIN, 0},
	{"DELETE", "/api/v1/session", session_delete, PERM_LOGIN, 0},
	{0},
};
