/* api_util.c — reading query strings, path parameters and JSON body members for handlers, and
 * setting their replies (api.h). */
#include "http/api.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/fault.h"
#include "core/text.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* URL-decode [s, s+len) into out (size n); -1 when it does not fit or is malformed. */
static int url_decode(const char *s, size_t len, char *out, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '+')
			c = ' ';
		else if (c == '%') {
			if (i + 2 >= len)
				return -1;
			int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			c = (char)(h * 16 + l);
			i += 2;
		}
		if (o + 1 >= n)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

int api_query_str(const struct api_req *rq, const char *name, char *buf, size_t n, struct err *e)
{
	size_t nl = strlen(name);
	const char *q = rq->query;
	while (q && *q) {
		size_t seg = strcspn(q, "&");
		if (seg > nl && strncmp(q, name, nl) == 0 && q[nl] == '=') {
			if (url_decode(q + nl + 1, seg - nl - 1, buf, n) < 0)
				return err_set(e, 400, "invalid_value", name,
					       "参数 %s 过长或编码有误（最多 %zu 字节）", name, n - 1);
			return 1;
		}
		if (seg == nl && strncmp(q, name, nl) == 0) {
			buf[0] = '\0';
			return 1;
		}
		q += seg;
		if (*q == '&')
			q++;
	}
	return 0;
}

int api_query_int(const struct api_req *rq, const char *name, long def, long min, long max,
		  long *out, struct err *e)
{
	char buf[32];
	int have = api_query_str(rq, name, buf, sizeof buf, e);
	if (have < 0)
		return -1;
	const char *v = buf;
	if (!have || !*v) {
		*out = def;
		return 0;
	}
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	if (errno || *end || x < min || x > max)
		return err_set(e, 400, "invalid_value", name, "参数 %s 应为 %ld 到 %ld 之间的整数", name,
			       min, max);
	*out = x;
	return 0;
}

json_t *api_body_object(const struct api_req *rq, struct err *e)
{
	json_error_t je;
	if (!rq->body || rq->body_len == 0) {
		err_set(e, 400, "invalid_json", NULL, "请求体为空，应为 JSON 对象");
		return NULL;
	}
	fault_json_failed(); /* forget an earlier failure: only this parse's counts */
	json_t *j = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!j && (fault_json_failed() || json_error_code(&je) == json_error_out_of_memory)) {
		err_set(e, 503, "out_of_memory", NULL, "服务器内存不足，请稍后重试");
		return NULL;
	}
	if (!j) {
		err_set(e, 400, "invalid_json", NULL, "请求体不是有效的 JSON（第 %d 行第 %d 列：%s）",
			je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		err_set(e, 400, "invalid_json", NULL, "请求体应为 JSON 对象");
		return NULL;
	}
	return j;
}

int api_param_id(const struct api_req *rq, int i, int64_t *out, struct err *e)
{
	if (i >= rq->nparams)
		return err_set(e, 404, "not_found", NULL, "记录不存在");
	char *end;
	errno = 0;
	long long v = strtoll(rq->params[i], &end, 10);
	if (errno || *end || v <= 0)
		return err_set(e, 404, "not_found", NULL, "记录不存在");
	*out = v;
	return 0;
}

int api_query_flag(const struct api_req *rq, const char *name)
{
	char buf[8];
	struct err ignore;
	return api_query_str(rq, name, buf, sizeof buf, &ignore) == 1 &&
	       (strcmp(buf, "1") == 0 || strcmp(buf, "true") == 0);
}

/* ---- JSON body members ---------------------------------------------------------------------- */

int api_json_str(const json_t *o, const char *name, char *buf, size_t n, struct err *e)
{
	json_t *v = json_object_get(o, name);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return err_set(e, 400, "invalid_value", name, "%s 应为字符串", name);
	if (json_string_length(v) >= n)
		return err_set(e, 400, "invalid_value", name, "%s 过长", name);
	text_copy(buf, n, json_string_value(v));
	return 1;
}

int api_json_str_ref(const json_t *o, const char *name, const char **out, const char *absent,
		     struct err *e)
{
	json_t *v = json_object_get(o, name);
	*out = absent;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return err_set(e, 400, "invalid_value", name, "%s 应为字符串", name);
	*out = json_string_value(v);
	return 1;
}

int api_json_int(const json_t *o, const char *name, int64_t min, int64_t max, int64_t *out,
		 struct err *e)
{
	json_t *v = json_object_get(o, name);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return err_set(e, 400, "invalid_value", name, "%s 应为 %lld–%lld 的整数", name,
			       (long long)min, (long long)max);
	*out = (int64_t)json_integer_value(v);
	return 1;
}

int api_json_id(const json_t *o, const char *name, int64_t *out, struct err *e)
{
	json_t *v = json_object_get(o, name);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return err_set(e, 400, "invalid_value", name, "%s 应为正整数", name);
	*out = (int64_t)json_integer_value(v);
	return 1;
}

int api_json_bool(const json_t *o, const char *name, int *out, struct err *e)
{
	json_t *v = json_object_get(o, name);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return err_set(e, 400, "invalid_value", name, "%s 应为 true 或 false", name);
	*out = json_is_true(v);
	return 1;
}

/* ---- JSON out ------------------------------------------------------------------------------- */

json_t *api_json_opt_str(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

json_t *api_json_opt_id(int64_t id)
{
	return id > 0 ? json_integer((json_int_t)id) : json_null();
}

int api_reply(struct api_res *rs, int status, json_t *body, struct err *e)
{
	if (!body)
		return err_oom(e);
	rs->status = status;
	rs->body = body;
	return 0;
}
