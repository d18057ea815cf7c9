/* registry_json.c — registry structs to and from JSON, in the PERSON and HOUSEHOLD shapes of
 * docs/api.md.
 *
 * Output masks the ID number (idnum_mask) and phone (phone_mask) unless the read was unmasked,
 * and says so in "masked"; age is computed for today from the birth date. Input copies what is
 * present into the input structs and sets their has bits; it only checks JSON types and that a
 * string fits its buffer — what the values mean is registry_rules.c's job. Unknown keys are
 * ignored so a client may send a PERSON it read back (sex, birth_date, age are derived and never
 * taken from input).
 */
#include "registry/registry.h"

#include <stdio.h>
#include <string.h>

#include "core/idnum.h"
#include "core/clock.h"
#include "core/phone.h"

/* ------------------------------------------------------------------------------------------ */
/* out                                                                                        */
/* ------------------------------------------------------------------------------------------ */

static json_t *id_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

static json_t *person_json_today(const struct registry_person *p, int unmasked, const char *today)
{
	char id[19], phone[24];
	if (unmasked) {
		snprintf(id, sizeof id, "%s", p->id_number);
		snprintf(phone, sizeof phone, "%s", p->phone);
	} else {
		idnum_mask(p->id_number, id);
		if (p->phone[0])
			phone_mask(p->phone, phone);
		else
			phone[0] = '\0';
	}
	json_t *incomes = json_array(), *tags = json_array();
	for (int i = 0; i < p->n_income; i++)
		json_array_append_new(incomes, json_pack("{s:s, s:I}", "type", p->income[i].type,
							 "amount_fen", (json_int_t)p->income[i].amount_fen));
	for (int i = 0; i < p->n_tags; i++)
		json_array_append_new(tags, json_string(p->tags[i]));
	int age = idnum_age_on(p->birth_date, today);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "household_id", id_or_null(p->household_id));
	json_object_set_new(o, "region_code", json_string(p->region_code));
	json_object_set_new(o, "id_number", json_string(id));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "relation", json_string(p->relation));
	json_object_set_new(o, "sex", json_string(p->sex));
	json_object_set_new(o, "birth_date", json_string(p->birth_date));
	json_object_set_new(o, "age", age < 0 ? json_null() : json_integer(age));
	json_object_set_new(o, "phone", json_string(phone));
	json_object_set_new(o, "disability_grade", json_integer(p->disability_grade));
	json_object_set_new(o, "serious_illness", json_boolean(p->serious_illness));
	json_object_set_new(o, "labour_capacity", json_string(p->labour_capacity));
	json_object_set_new(o, "income_items", incomes);
	json_object_set_new(o, "monthly_income_fen", json_integer(p->monthly_income_fen));
	json_object_set_new(o, "tags", tags);
	json_object_set_new(o, "status", json_string(p->status));
	json_object_set_new(o, "masked", json_boolean(!unmasked));
	return o;
}

json_t *registry_person_json(const struct registry_person *p, int unmasked, const char *today)
{
	char buf[11];
	if (!today) {
		clock_today(buf);
		today = buf;
	}
	return person_json_today(p, unmasked, today);
}

json_t *registry_person_detail_json(const struct registry_person_detail *d, const char *today)
{
	json_t *o = registry_person_json(&d->person, d->unmasked, today);
	json_t *hist = json_array();
	for (int i = 0; i < d->n_history; i++) {
		const struct registry_history *h = &d->history[i];
		json_t *x = json_object();
		json_object_set_new(x, "at", json_string(h->at));
		json_object_set_new(x, "action", json_string(h->action));
		json_object_set_new(x, "from_household_id", id_or_null(h->from_household_id));
		json_object_set_new(x, "to_household_id", id_or_null(h->to_household_id));
		json_object_set_new(x, "by", json_string(h->by));
		json_object_set_new(x, "reason", json_string(h->reason));
		json_array_append_new(hist, x);
	}
	json_object_set_new(o, "history", hist);
	return o;
}

json_t *registry_household_json(const struct registry_household *h, const char *today)
{
	char buf[11], phone[24];
	if (!today) {
		clock_today(buf);
		today = buf;
	}
	if (h->unmasked || !h->phone[0])
		snprintf(phone, sizeof phone, "%s", h->phone);
	else
		phone_mask(h->phone, phone);
	json_t *members = json_array();
	for (int i = 0; i < h->n_members; i++)
		json_array_append_new(members, person_json_today(&h->members[i], h->unmasked, today));
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(h->id));
	json_object_set_new(o, "region_code", json_string(h->region_code));
	json_object_set_new(o, "region_name", json_string(h->region_name));
	json_object_set_new(o, "address", json_string(h->address));
	json_object_set_new(o, "residence_type", json_string(h->residence_type));
	json_object_set_new(o, "phone", json_string(phone));
	json_object_set_new(o, "head_person_id", id_or_null(h->head_person_id));
	json_object_set_new(o, "member_count", json_integer(h->n_members));
	json_object_set_new(o, "members", members);
	json_object_set_new(o, "created_at", json_string(h->created_at));
	json_object_set_new(o, "updated_at", json_string(h->updated_at));
	return o;
}

/* ------------------------------------------------------------------------------------------ */
/* in                                                                                         */
/* ------------------------------------------------------------------------------------------ */

/* Copy the string member `key` of o into buf. 0 when absent, 1 when copied, -1 (e filled) when
 * it is not a string or does not fit. null counts as absent. */
static int get_str(const json_t *o, const char *key, char *buf, size_t n, const char *code,
		   struct err *e)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return err_set(e, 400, code, key, "%s 应为字符串", key);
	size_t len = json_string_length(v);
	if (len >= n)
		return err_set(e, 400, code, key, "%s 过长", key);
	/* jansson rejects \u0000 unless asked to allow it, so the value has no NUL inside */
	memcpy(buf, json_string_value(v), len + 1);
	return 1;
}

static int get_int(const json_t *o, const char *key, int *out, struct err *e)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return err_set(e, 400, "invalid_value", key, "%s 应为整数", key);
	json_int_t x = json_integer_value(v);
	if (x < -1000000 || x > 1000000)
		return err_set(e, 400, "invalid_value", key, "%s 超出范围", key);
	*out = (int)x;
	return 1;
}

static int get_incomes(const json_t *o, struct registry_person_in *p, struct err *e)
{
	char field[48];
	json_t *arr = json_object_get(o, "income_items");
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return err_set(e, 400, "invalid_value", "income_items", "income_items 应为数组");
	if (json_array_size(arr) > REGISTRY_MAX_INCOME)
		return err_set(e, 400, "invalid_value", "income_items", "收入项最多 %d 项",
			       REGISTRY_MAX_INCOME);
	p->n_income = 0;
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *it = json_array_get(arr, i);
		struct registry_income *dst = &p->income[p->n_income];
		snprintf(field, sizeof field, "income_items[%d]", (int)i);
		if (!json_is_object(it))
			return err_set(e, 400, "invalid_value", field, "收入项应为对象");
		json_t *t = json_object_get(it, "type"), *amt = json_object_get(it, "amount_fen");
		if (!t || !json_is_string(t) || json_string_length(t) >= sizeof dst->type) {
			snprintf(field, sizeof field, "income_items[%d].type", (int)i);
			return err_set(e, 400, t ? "invalid_value" : "required", field,
				       t ? "收入类型无效" : "请填写收入类型");
		}
		if (!amt || !json_is_integer(amt)) {
			snprintf(field, sizeof field, "income_items[%d].amount_fen", (int)i);
			return err_set(e, 400, amt ? "invalid_value" : "required", field,
				       amt ? "收入金额应为整数（分）" : "请填写收入金额（分）");
		}
		memcpy(dst->type, json_string_value(t), json_string_length(t) + 1);
		dst->amount_fen = json_integer_value(amt);
		p->n_income++;
	}
	return 1;
}

static int get_tags(const json_t *o, struct registry_person_in *p, struct err *e)
{
	char field[48];
	json_t *arr = json_object_get(o, "tags");
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return err_set(e, 400, "invalid_value", "tags", "tags 应为数组");
	if (json_array_size(arr) > REGISTRY_MAX_TAGS)
		return err_set(e, 400, "invalid_value", "tags", "标签最多 %d 个", REGISTRY_MAX_TAGS);
	p->n_tags = 0;
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *t = json_array_get(arr, i);
		if (!json_is_string(t) || json_string_length(t) >= sizeof p->tags[0]) {
			snprintf(field, sizeof field, "tags[%d]", (int)i);
			return err_set(e, 400, "invalid_value", field, "标签无效");
		}
		memcpy(p->tags[p->n_tags++], json_string_value(t), json_string_length(t) + 1);
	}
	return 1;
}

#define HAS(rc, bit)                                                                           \
	do {                                                                                   \
		int rc_ = (rc);                                                                \
		if (rc_ < 0)                                                                   \
			return -1;                                                             \
		if (rc_ > 0)                                                                   \
			out->has |= (bit);                                                     \
	} while (0)

int registry_person_from_json(const json_t *o, struct registry_person_in *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!json_is_object(o))
		return err_set(e, 400, "invalid_json", NULL, "请求体应为 JSON 对象");
	HAS(get_str(o, "id_number", out->id_number, sizeof out->id_number, "invalid_id_number", e),
	    REGISTRY_HAS_ID_NUMBER);
	HAS(get_str(o, "name", out->name, sizeof out->name, "invalid_value", e), REGISTRY_HAS_NAME);
	HAS(get_str(o, "relation", out->relation, sizeof out->relation, "invalid_value", e),
	    REGISTRY_HAS_RELATION);
	HAS(get_str(o, "phone", out->phone, sizeof out->phone, "invalid_phone", e),
	    REGISTRY_HAS_PHONE);
	HAS(get_int(o, "disability_grade", &out->disability_grade, e), REGISTRY_HAS_DISABILITY);
	HAS(api_json_bool(o, "serious_illness", &out->serious_illness, e), REGISTRY_HAS_ILLNESS);
	HAS(get_str(o, "labour_capacity", out->labour_capacity, sizeof out->labour_capacity,
		    "invalid_value", e),
	    REGISTRY_HAS_LABOUR);
	HAS(get_incomes(o, out, e), REGISTRY_HAS_INCOME);
	HAS(get_tags(o, out, e), REGISTRY_HAS_TAGS);
	return 0;
}

int registry_household_from_json(const json_t *o, struct registry_household_in *out,
				 struct err *e)
{
	char prefix[48];
	memset(out, 0, sizeof *out);
	if (!json_is_object(o))
		return err_set(e, 400, "invalid_json", NULL, "请求体应为 JSON 对象");
	HAS(get_str(o, "region_code", out->region_code, sizeof out->region_code, "invalid_region", e),
	    REGISTRY_HAS_REGION);
	HAS(get_str(o, "address", out->address, sizeof out->address, "invalid_value", e),
	    REGISTRY_HAS_ADDRESS);
	HAS(get_str(o, "residence_type", out->residence_type, sizeof out->residence_type,
		    "invalid_value", e),
	    REGISTRY_HAS_RESIDENCE);
	HAS(get_str(o, "phone", out->phone, sizeof out->phone, "invalid_phone", e),
	    REGISTRY_HAS_PHONE);
	json_t *arr = json_object_get(o, "members");
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return err_set(e, 400, "invalid_value", "members", "members 应为数组");
	if (json_array_size(arr) > REGISTRY_MAX_MEMBERS)
		return err_set(e, 400, "invalid_value", "members", "每户最多 %d 名成员",
			       REGISTRY_MAX_MEMBERS);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		if (registry_person_from_json(json_array_get(arr, i), &out->members[i], e) < 0) {
			snprintf(prefix, sizeof prefix, "members[%d]", (int)i);
			if (strcmp(e->code, "invalid_json") == 0)
				err_set(e, 400, "invalid_value", NULL, "成员应为对象");
			err_prefix_field(e, prefix);
			return -1;
		}
		out->n_members = (int)i + 1;
	}
	return 0;
}
