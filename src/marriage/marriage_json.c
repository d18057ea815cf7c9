/* marriage_json.c — the marriage module's JSON in and out, shared by the API and the CLI. The
 * public view never carries a phone, a full name or a full ID number; the registrar's view masks
 * names and the phone unless the read was unmasked. */
#include "marriage/marriage.h"
#include "core/text.h"
#include "core/phone.h"

#include <stdio.h>
#include <string.h>

json_t *marriage_office_json(const struct marriage_office *o)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)o->id, "name",
			      o->name, "region_code", o->region_code, "unit_code", o->unit_code,
			      "address", o->address, "configured", o->configured);
	if (j && o->configured) {
		json_object_set_new(j, "hours", json_string(o->hours));
		json_object_set_new(j, "slot_minutes", json_integer(o->slot_minutes));
		json_object_set_new(j, "capacity", json_integer(o->capacity));
		json_object_set_new(j, "updated_at", json_string(o->updated_at));
	}
	return j;
}

json_t *marriage_rule_json(const struct marriage_rule *r)
{
	return json_pack("{s:I, s:s, s:i, s:b, s:b, s:b, s:s, s:s, s:s}", "id", (json_int_t)r->id,
			 "effective_from", r->effective_from, "capacity_limit", r->capacity_limit,
			 "one_couple", r->one_couple, "counselling_suspended",
			 r->counselling_suspended, "ceremony_suspended", r->ceremony_suspended, "note",
			 r->note, "set_by", r->set_by, "set_at", r->set_at);
}

static json_t *parties(const struct marriage_booking *b, int full)
{
	json_t *a = json_array();
	for (int i = 0; a && i < 2; i++) {
		char name[MARRIAGE_NAME_SZ];
		if (full)
			snprintf(name, sizeof name, "%s", b->names[i]);
		else
			text_mask_name(b->names[i], name, sizeof name);
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "name", name, "id_number",
						   b->id_masked[i], "sex", b->sex[i]));
	}
	return a;
}

json_t *marriage_booking_json(const struct marriage_booking *b)
{
	char phone[24];
	if (b->unmasked)
		snprintf(phone, sizeof phone, "%s", b->phone);
	else
		phone_mask(b->phone, phone);
	json_t *j = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:b, s:b}", "id",
			      (json_int_t)b->id, "code", b->code, "office_id",
			      (json_int_t)b->office_id, "office_name", b->office_name, "region_code",
			      b->region_code, "date", b->date, "time", b->time, "status", b->status,
			      "parties", parties(b, b->unmasked), "phone", phone, "fever", b->fever,
			      "masked", !b->unmasked);
	if (!j)
		return NULL;
	for (int i = 0; i < 2; i++) {
		char name[MARRIAGE_NAME_SZ];
		if (b->unmasked)
			snprintf(name, sizeof name, "%s", b->names[i]);
		else
			text_mask_name(b->names[i], name, sizeof name);
		json_object_set_new(j, i ? "party_b" : "party_a", json_string(name));
	}
	json_object_set_new(j, "checked_in_at", api_json_opt_str(b->checked_in_at));
	json_object_set_new(j, "temperature_tenths",
			    b->temperature_tenths ? json_integer(b->temperature_tenths) : json_null());
	json_object_set_new(j, "outcome", api_json_opt_str(b->outcome));
	json_object_set_new(j, "outcome_reason", json_string(b->outcome_reason));
	json_object_set_new(j, "created_at", json_string(b->created_at));
	return j;
}

json_t *marriage_public_booking_json(const struct marriage_booking *b)
{
	json_t *j = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:o}", "code", b->code,
			      "office_id", (json_int_t)b->office_id, "office_name", b->office_name,
			      "office_address", b->office_address, "date", b->date, "time", b->time,
			      "status", b->status, "parties", parties(b, 0));
	if (j)
		json_object_set_new(j, "outcome", api_json_opt_str(b->outcome));
	return j;
}

json_t *marriage_stats_json(const struct marriage_day_stats *s)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "booked", (json_int_t)s->booked,
			 "arrived", (json_int_t)s->arrived, "registered", (json_int_t)s->registered,
			 "not_registered", (json_int_t)s->not_registered, "no_show",
			 (json_int_t)s->no_show, "fever", (json_int_t)s->fever);
}

json_t *marriage_plan_json(const struct marriage_day_plan *p, int public_view)
{
	json_t *slots = json_array();
	for (int i = 0; slots && i < p->nslots; i++) {
		const struct marriage_slot *s = &p->slots[i];
		json_t *o = public_view
				    ? json_pack("{s:s, s:b}", "time", s->time, "available",
						s->booked < s->capacity)
				    : json_pack("{s:s, s:i, s:i, s:i}", "time", s->time, "capacity",
						s->capacity, "booked", s->booked, "free",
						s->booked < s->capacity ? s->capacity - s->booked : 0);
		json_array_append_new(slots, o);
	}
	json_t *j = json_pack("{s:I, s:s, s:b, s:s, s:i, s:o}", "office_id", (json_int_t)p->office_id,
			      "date", p->date, "open", p->open, "reason", p->reason, "slot_minutes",
			      p->slot_minutes, "slots", slots);
	if (j) {
		const struct marriage_rule *r = &p->rule;
		json_object_set_new(j, "one_couple", json_boolean(r->id && r->one_couple));
		json_object_set_new(j, "counselling_suspended",
				    json_boolean(r->id && r->counselling_suspended));
		json_object_set_new(j, "ceremony_suspended", json_boolean(r->id && r->ceremony_suspended));
	}
	return j;
}

int marriage_booking_from_json(const json_t *o, struct marriage_booking_in *in, struct err *e)
{
	memset(in, 0, sizeof *in);
	if (api_json_id(o, "office_id", &in->office_id, e) < 0)
		return -1;
	if (!in->office_id)
		return err_set(e, 400, "required", "office_id", "请选择婚姻登记处");
	if (api_json_str(o, "date", in->date, sizeof in->date, e) < 0 ||
	    api_json_str(o, "time", in->time, sizeof in->time, e) < 0 ||
	    api_json_str(o, "phone", in->phone, sizeof in->phone, e) < 0)
		return -1;
	const json_t *p = json_object_get(o, "party");
	if (p && !json_is_array(p))
		return err_set(e, 400, "invalid_value", "party", "party 须为两方的数组");
	for (int i = 0; i < 2; i++) {
		const json_t *x = p ? json_array_get(p, (size_t)i) : NULL;
		char field[24];
		snprintf(field, sizeof field, "party[%d]", i);
		if (x && !json_is_object(x))
			return err_set(e, 400, "invalid_value", field, "每一方须为对象");
		if (x && (api_json_str(x, "name", in->party[i].name, sizeof in->party[i].name, e) < 0 ||
			  api_json_str(x, "id_number", in->party[i].id_number,
				       sizeof in->party[i].id_number, e) < 0)) {
			char pre[24];
			snprintf(pre, sizeof pre, "party[%d]", i);
			err_prefix_field(e, pre);
			return -1;
		}
		if (!x || !in->party[i].name[0]) {
			snprintf(field, sizeof field, "party[%d].name", i);
			return err_set(e, 400, "required", field, "请填写双方姓名");
		}
	}
	return 0;
}

int marriage_office_from_json(const json_t *o, struct marriage_office_in *in, struct err *e)
{
	memset(in, 0, sizeof *in);
	int has = api_json_str(o, "hours", in->hours, sizeof in->hours, e);
	if (has < 0)
		return -1;
	if (has == 0)
		return err_set(e, 400, "required", "hours", "请填写每周开放时间");
	has = api_json_int(o, "slot_minutes", 10, 240, &in->slot_minutes, e);
	if (has < 0)
		return -1;
	if (has == 0)
		return err_set(e, 400, "required", "slot_minutes", "请填写每个时段的分钟数");
	has = api_json_int(o, "capacity", 1, MARRIAGE_MAX_CAPACITY, &in->capacity, e);
	if (has < 0)
		return -1;
	if (has == 0)
		return err_set(e, 400, "required", "capacity", "请填写每个时段可预约的对数");
	return 0;
}

int marriage_rule_from_json(const json_t *o, struct marriage_rule *in, struct err *e)
{
	int64_t cap = 0;
	memset(in, 0, sizeof *in);
	if (api_json_str(o, "effective_from", in->effective_from, sizeof in->effective_from, e) < 0 ||
	    api_json_int(o, "capacity_limit", 0, MARRIAGE_MAX_CAPACITY, &cap, e) < 0 ||
	    api_json_bool(o, "one_couple", &in->one_couple, e) < 0 ||
	    api_json_bool(o, "counselling_suspended", &in->counselling_suspended, e) < 0 ||
	    api_json_bool(o, "ceremony_suspended", &in->ceremony_suspended, e) < 0 ||
	    api_json_str(o, "note", in->note, sizeof in->note, e) < 0)
		return -1;
	in->capacity_limit = (int)cap;
	return 0;
}
