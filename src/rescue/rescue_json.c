/* rescue_json.c — the rescue module's records as JSON (docs/api.md, "Rescue stations") and JSON
 * input into the domain's structs; shared by the API handlers and the CLI.
 *
 * Output masks names ("张**") and ID numbers ("370704********123X") unless the intake was read
 * with unmask; lists, the dashboard and patrol contacts are always masked. Input copies what is
 * there: a wrong JSON type or a string longer than its buffer is 400 invalid_value naming the
 * field; everything else is checked by the domain functions.
 */
#include "rescue/rescue.h"
#include "rescue/rescue_internal.h"

#include <string.h>

#include "core/idnum.h"
#include "core/text.h"

/* ---- helpers ------------------------------------------------------------------------------ */

static json_t *str(const char *s)
{
	return json_string(s ? s : "");
}

/* "" → null, else the string. */
static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *id_or_null(int64_t v)
{
	return v > 0 ? json_integer(v) : json_null();
}

static void set(json_t *o, const char *k, json_t *v)
{
	json_object_set_new(o, k, v ? v : json_null());
}

static json_t *masked_name(const char *name, int unmasked)
{
	char out[RESCUE_NAME_SZ];
	if (unmasked)
		return str(name);
	text_mask_name(name, out, sizeof out);
	return str(out);
}

static json_t *masked_id(const char *id, int unmasked)
{
	char out[32];
	if (!id || !*id)
		return str("");
	if (unmasked)
		return str(id);
	idnum_mask(id, out);
	return str(out);
}

static json_t *degrees(int64_t tenths)
{
	char buf[16];
	int64_t a = tenths < 0 ? -tenths : tenths;
	snprintf(buf, sizeof buf, "%s%lld.%lld", tenths < 0 ? "-" : "", (long long)(a / 10),
		 (long long)(a % 10));
	return json_string(buf);
}

/* ---- stations and rooms ------------------------------------------------------------------- */

json_t *rescue_station_json(const struct rescue_station *s)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	set(o, "id", json_integer(s->id));
	set(o, "name", str(s->name));
	set(o, "region_code", str(s->region_code));
	set(o, "region_name", str(s->region_name));
	set(o, "unit_code", str(s->unit_code));
	set(o, "institution_id", id_or_null(s->institution_id));
	set(o, "address", str(s->address));
	set(o, "phone", str(s->phone));
	set(o, "created_at", str(s->created_at));
	set(o, "rooms", json_integer(s->rooms));
	set(o, "beds", json_integer(s->beds));
	set(o, "beds_used", json_integer(s->beds_used));
	set(o, "beds_free", json_integer(s->beds > s->beds_used ? s->beds - s->beds_used : 0));
	set(o, "isolation_beds", json_integer(s->isolation_beds));
	set(o, "isolation_used", json_integer(s->isolation_used));
	set(o, "isolation_free",
	    json_integer(
		s->isolation_beds > s->isolation_used ? s->isolation_beds - s->isolation_used : 0));
	set(o, "in_station", json_integer(s->in_station));
	set(o, "in_isolation", json_integer(s->in_isolation));
	set(o, "params",
	    json_pack("{s:I, s:I, s:I, s:I}", "fever_threshold_tenths",
		      (json_int_t)s->fever_threshold, "isolation_days",
		      (json_int_t)s->isolation_days, "max_stay_days", (json_int_t)s->max_stay_days,
		      "test_valid_hours", (json_int_t)s->test_valid_hours));
	return o;
}

json_t *rescue_room_json(const struct rescue_room *r)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:i, s:i, s:i}", "id", (json_int_t)r->id,
			 "station_id", (json_int_t)r->station_id, "region_code", r->region_code,
			 "name", r->name, "zone", r->zone, "beds", r->beds, "used", r->used, "free",
			 r->beds > r->used ? r->beds - r->used : 0);
}

json_t *rescue_station_detail_json(const struct rescue_station_detail *d)
{
	json_t *o = rescue_station_json(&d->station), *rooms = json_array();
	if (!o || !rooms) {
		json_decref(o);
		json_decref(rooms);
		return NULL;
	}
	for (int i = 0; i < d->n_rooms; i++)
		json_array_append_new(rooms, rescue_room_json(&d->rooms[i]));
	set(o, "room_list", rooms);
	return o;
}

/* ---- intakes ------------------------------------------------------------------------------ */

static json_t *next_steps(const struct rescue_intake *x)
{
	json_t *a = json_array();
	int in_station = strcmp(x->status, "in_station") == 0;
	int isolation = strcmp(x->status, "isolation") == 0;
	if (!a)
		return NULL;
	if (!in_station && !isolation)
		return a;
	json_array_append_new(a, json_string("observe"));
	json_array_append_new(a, json_string("test"));
	if (in_station)
		json_array_append_new(a, json_string("isolate"));
	if (isolation) {
		json_array_append_new(a, json_string("change_isolation"));
		json_array_append_new(a, json_string("end_isolation"));
	}
	json_array_append_new(a, json_string("extend_stay"));
	if (x->unidentified)
		json_array_append_new(a, json_string("family_search"));
	json_array_append_new(a, json_string("discharge"));
	return a;
}

json_t *rescue_intake_detail_json(const struct rescue_intake_detail *d)
{
	const struct rescue_intake *x = &d->in;
	int um = d->unmasked;
	char today[RESCUE_DATE_SZ];
	json_t *o = json_object();
	if (!o)
		return NULL;
	text_copy(today, sizeof today, d->now);
	set(o, "id", json_integer(x->id));
	set(o, "station_id", json_integer(x->station_id));
	set(o, "station_name", str(x->station_name));
	set(o, "region_code", str(x->region_code));
	set(o, "arrived_at", str(x->arrived_at));
	set(o, "unidentified", json_boolean(x->unidentified));
	set(o, "name", masked_name(x->name, um));
	set(o, "id_number", masked_id(x->id_number, um));
	set(o, "sex", str(x->sex));
	set(o, "description", str(x->description));
	set(o, "origin", str(x->origin));
	set(o, "belongings", str(x->belongings));
	set(o, "temperature_tenths", json_integer(x->temperature_tenths));
	set(o, "temperature", degrees(x->temperature_tenths));
	set(o, "fever", json_boolean(x->fever));
	set(o, "mask", json_boolean(x->mask));
	set(o, "symptoms", str(x->symptoms));
	set(o, "travel_history", str(x->travel_history));
	set(o, "contact_history", str(x->contact_history));
	set(o, "risk", str(x->risk));
	set(o, "health_certificate", str(x->health_certificate));
	set(o, "decision", str(x->decision));
	set(o, "reason", str(x->reason));
	set(o, "hospital", str(x->hospital));
	set(o, "epidemic_report",
	    x->report_to[0] ? json_pack("{s:s, s:s, s:s}", "reported_to", x->report_to,
					"reported_at", x->report_at, "note", x->report_note)
			    : json_null());
	set(o, "status", str(x->status));
	set(o, "room_id", id_or_null(x->room_id));
	set(o, "room_name", str(x->room_name));
	set(o, "room_zone", str(x->room_zone));
	set(o, "stay_limit_days", json_integer(x->stay_limit_days));
	set(o, "stay_until", str(x->stay_until));
	set(o, "days_in_station", json_integer(d->days_in_station));
	set(o, "over_stay", json_boolean(d->over_stay));
	set(o, "family_search",
	    x->unidentified
		? json_pack("{s:s, s:o, s:s, s:s, s:b}", "due", x->family_search_due, "posted_at",
			    str_or_null(x->family_search_at), "channel", x->family_search_channel,
			    "text", x->family_search_text, "overdue", d->family_search_overdue)
		: json_null());
	set(o, "isolation",
	    x->isolation_start[0]
		? json_pack(
		      "{s:s, s:s, s:o, s:b, s:I}", "start", x->isolation_start, "planned_end",
		      x->isolation_end, "ended_at", str_or_null(x->isolation_ended_at), "early",
		      x->isolation_early, "days_left",
		      (json_int_t)(x->isolation_ended_at[0] || !rescue_date_valid(x->isolation_end)
				       ? 0
				       : rescue_days_between(today, x->isolation_end)))
		: json_null());
	set(o, "discharge",
	    x->left_at[0]
		? json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:o}", "at", x->left_at, "kind",
			    x->discharge_kind, "ticket", x->ticket, "destination", x->destination,
			    "transfer_to", x->transfer_to, "declaration_signed",
			    x->declaration_signed, "note", x->discharge_note, "early_test_id",
			    id_or_null(x->early_test_id))
		: json_null());
	set(o, "leave",
	    json_pack("{s:b, s:b, s:s, s:I}", "early", d->early_leave_now, "allowed",
		      d->leave_allowed_now, "reason", d->leave_reason, "test_valid_hours",
		      (json_int_t)d->test_valid_hours));
	set(o, "fever_threshold_tenths", json_integer(d->fever_threshold));

	json_t *arr = json_array();
	for (int i = 0; arr && i < d->n_observations; i++) {
		const struct rescue_observation *ob = &d->observations[i];
		json_array_append_new(
		    arr,
		    json_pack("{s:I, s:s, s:I, s:o, s:b, s:s, s:s, s:s}", "id", (json_int_t)ob->id,
			      "observed_at", ob->observed_at, "temperature_tenths",
			      (json_int_t)ob->temperature_tenths, "temperature",
			      degrees(ob->temperature_tenths), "fever", ob->fever, "symptoms",
			      ob->symptoms, "report_to", ob->report_to, "by", ob->by_user));
	}
	set(o, "observations", arr);
	arr = json_array();
	for (int i = 0; arr && i < d->n_tests; i++) {
		const struct rescue_test *t = &d->tests[i];
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id",
						     (json_int_t)t->id, "sampled_at", t->sampled_at,
						     "result", t->result, "lab", t->lab, "by",
						     t->by_user, "at", t->at));
	}
	set(o, "tests", arr);
	arr = json_array();
	for (int i = 0; arr && i < d->n_changes; i++) {
		const struct rescue_change *c = &d->changes[i];
		json_array_append_new(arr,
				      json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
						"id", (json_int_t)c->id, "what", c->what, "kind",
						c->kind, "previous_end", c->previous_end, "new_end",
						c->new_end, "reason", c->reason, "approved_by",
						c->approved_by, "at", c->at, "by", c->by_user));
	}
	set(o, "changes", arr);
	set(o, "next_steps", next_steps(x));
	set(o, "created_by", str(x->created_by));
	set(o, "created_at", str(x->created_at));
	set(o, "as_of", str(d->now));
	set(o, "masked", json_boolean(!um));
	return o;
}

json_t *rescue_intake_row_json(const struct rescue_intake_row *r)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	set(o, "id", json_integer(r->id));
	set(o, "station_id", json_integer(r->station_id));
	set(o, "station_name", str(r->station_name));
	set(o, "region_code", str(r->region_code));
	set(o, "arrived_at", str(r->arrived_at));
	set(o, "unidentified", json_boolean(r->unidentified));
	set(o, "name", masked_name(r->name, 0));
	set(o, "id_number", masked_id(r->id_number, 0));
	set(o, "sex", str(r->sex));
	set(o, "temperature_tenths", json_integer(r->temperature_tenths));
	set(o, "temperature", degrees(r->temperature_tenths));
	set(o, "fever", json_boolean(r->fever));
	set(o, "risk", str(r->risk));
	set(o, "decision", str(r->decision));
	set(o, "status", str(r->status));
	set(o, "room_name", str(r->room_name));
	set(o, "isolation_end", str(r->isolation_end));
	set(o, "stay_until", str(r->stay_until));
	set(o, "left_at", str(r->left_at));
	set(o, "discharge_kind", str(r->discharge_kind));
	set(o, "family_search_due", str(r->family_search_due));
	set(o, "family_search_at", str(r->family_search_at));
	set(o, "masked", json_true());
	return o;
}

/* ---- patrols and dashboard ---------------------------------------------------------------- */

json_t *rescue_patrol_json(const struct rescue_patrol *p)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	set(o, "id", json_integer(p->id));
	set(o, "station_id", json_integer(p->station_id));
	set(o, "station_name", str(p->station_name));
	set(o, "region_code", str(p->region_code));
	set(o, "date", str(p->date));
	set(o, "area", str(p->area));
	set(o, "staff", str(p->staff));
	set(o, "note", str(p->note));
	set(o, "people", json_integer(p->people));
	set(o, "accepted", json_integer(p->accepted));
	set(o, "masks", json_integer(p->masks));
	set(o, "warm_clothing", json_integer(p->warm_clothing));
	set(o, "food", json_integer(p->food));
	set(o, "created_by", str(p->created_by));
	set(o, "created_at", str(p->created_at));
	return o;
}

json_t *rescue_patrol_detail_json(const struct rescue_patrol_detail *d)
{
	json_t *o = rescue_patrol_json(&d->patrol), *arr = json_array();
	if (!o || !arr) {
		json_decref(o);
		json_decref(arr);
		return NULL;
	}
	for (int i = 0; i < d->n_contacts; i++) {
		const struct rescue_contact *c = &d->contacts[i];
		json_array_append_new(arr, json_pack("{s:o, s:o, s:s, s:b, s:I, s:I, s:I, s:s}",
						     "name", masked_name(c->name, 0), "id_number",
						     masked_id(c->id_number, 0), "description",
						     c->description, "accepted", c->accepted,
						     "masks", (json_int_t)c->masks, "warm_clothing",
						     (json_int_t)c->warm_clothing, "food",
						     (json_int_t)c->food, "note", c->note));
	}
	set(o, "contacts", arr);
	set(o, "masked", json_true());
	return o;
}

json_t *rescue_dashboard_json(const struct rescue_dashboard *d)
{
	json_t *o = json_object(), *days = json_array(), *iso = json_array();
	if (!o || !days || !iso) {
		json_decref(o);
		json_decref(days);
		json_decref(iso);
		return NULL;
	}
	for (int i = 0; i < d->n_days; i++) {
		const struct rescue_dash_day *x = &d->days[i];
		json_array_append_new(days, json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i}", "date",
						      x->date, "arrivals", x->arrivals, "admitted",
						      x->admitted, "isolated", x->isolated,
						      "referred", x->referred, "refused",
						      x->refused, "discharges", x->discharges));
	}
	for (int i = 0; i < d->n_isolation; i++) {
		const struct rescue_dash_isolation *x = &d->isolation[i];
		json_array_append_new(
		    iso, json_pack("{s:I, s:I, s:s, s:o, s:b, s:s, s:s, s:s, s:I}", "intake_id",
				   (json_int_t)x->intake_id, "station_id",
				   (json_int_t)x->station_id, "station_name", x->station_name,
				   "name", masked_name(x->name, 0), "unidentified", x->unidentified,
				   "room_name", x->room_name, "start", x->start, "planned_end",
				   x->planned_end, "days_left", (json_int_t)x->days_left));
	}
	set(o, "as_of", str(d->now));
	set(o, "today", str(d->today));
	set(o, "from", str(d->from));
	set(o, "to", str(d->to));
	set(o, "station_id", id_or_null(d->station_id));
	set(o, "stations", json_integer(d->stations));
	set(o, "last_arrival", str_or_null(d->last_arrival));
	set(o, "in_station", json_integer(d->in_station));
	set(o, "in_isolation", json_integer(d->in_isolation));
	set(o, "beds", json_integer(d->beds));
	set(o, "beds_used", json_integer(d->beds_used));
	set(o, "beds_free", json_integer(d->beds_free));
	set(o, "isolation_beds", json_integer(d->isolation_beds));
	set(o, "isolation_used", json_integer(d->isolation_used));
	set(o, "isolation_free", json_integer(d->isolation_free));
	set(o, "over_stay", json_integer(d->over_stay));
	set(o, "family_search_overdue", json_integer(d->family_search_overdue));
	set(o, "totals",
	    json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "arrivals", d->arrivals, "admitted",
		      d->admitted, "isolated", d->isolated, "referred", d->referred, "refused",
		      d->refused, "discharges", d->discharges));
	set(o, "outreach",
	    json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "patrols", (json_int_t)d->patrols,
		      "people_met", (json_int_t)d->people_met, "accepted", (json_int_t)d->accepted,
		      "masks", (json_int_t)d->masks, "warm_clothing", (json_int_t)d->warm_clothing,
		      "food", (json_int_t)d->food));
	set(o, "days", days);
	set(o, "isolation", iso);
	return o;
}

/* ---- input -------------------------------------------------------------------------------- */

int rescue_json_str(const json_t *o, const char *key, char *buf, size_t n, struct err *e)
{
	const json_t *v = json_object_get(o, key);
	buf[0] = '\0';
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return err_set(e, 400, "invalid_value", key, "%s 应为字符串", key);
	size_t len = json_string_length(v);
	if (len >= n || strlen(json_string_value(v)) != len)
		return err_set(e, 400, "invalid_value", key, "%s 过长或含有无效字符", key);
	memcpy(buf, json_string_value(v), len + 1);
	return 0;
}

int rescue_json_int(const json_t *o, const char *key, int64_t def, int64_t *out, struct err *e)
{
	const json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) {
		*out = def;
		return 0;
	}
	if (!json_is_integer(v))
		return err_set(e, 400, "invalid_value", key, "%s 应为整数", key);
	*out = json_integer_value(v);
	return 0;
}

static int json_flag(const json_t *o, const char *key, int *out, struct err *e)
{
	const json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) {
		*out = 0;
		return 0;
	}
	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return 0;
	}
	if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1)) {
		*out = (int)json_integer_value(v);
		return 0;
	}
	return err_set(e, 400, "invalid_value", key, "%s 应为 true 或 false", key);
}

#define S(key, field) rescue_json_str(o, key, out->field, sizeof out->field, e) < 0

int rescue_station_from_json(const json_t *o, struct rescue_station_in *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (S("name", name) || S("region_code", region_code) || S("address", address) ||
	    S("phone", phone) ||
	    rescue_json_int(o, "institution_id", 0, &out->institution_id, e) < 0)
		return -1;
	return 0;
}

int rescue_room_from_json(const json_t *o, struct rescue_room_in *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (S("name", name) || S("zone", zone) || rescue_json_int(o, "beds", -1, &out->beds, e) < 0)
		return -1;
	if (json_object_get(o, "name"))
		out->has |= RESCUE_ROOM_HAS_NAME;
	if (json_object_get(o, "zone"))
		out->has |= RESCUE_ROOM_HAS_ZONE;
	if (json_object_get(o, "beds"))
		out->has |= RESCUE_ROOM_HAS_BEDS;
	return 0;
}

int rescue_intake_from_json(const json_t *o, struct rescue_intake_in *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (rescue_json_int(o, "station_id", 0, &out->station_id, e) < 0 ||
	    json_flag(o, "unidentified", &out->unidentified, e) < 0 ||
	    json_flag(o, "mask", &out->mask, e) < 0 ||
	    rescue_json_int(o, "temperature_tenths", 0, &out->temperature_tenths, e) < 0 ||
	    rescue_json_int(o, "room_id", 0, &out->room_id, e) < 0 || S("arrived_at", arrived_at) ||
	    S("name", name) || S("id_number", id_number) || S("sex", sex) ||
	    S("description", description) || S("origin", origin) || S("belongings", belongings) ||
	    S("symptoms", symptoms) || S("travel_history", travel_history) ||
	    S("contact_history", contact_history) || S("risk", risk) ||
	    S("health_certificate", health_certificate) || S("decision", decision) ||
	    S("reason", reason) || S("hospital", hospital) || S("report_to", report_to) ||
	    S("report_at", report_at) || S("report_note", report_note))
		return -1;
	if (!json_object_get(o, "temperature_tenths"))
		return err_set(e, 400, "required", "temperature_tenths",
			       "请填写入站测温结果（以 0.1 °C 计，如 36.5 °C 填 365）");
	if (!out->station_id)
		return err_set(e, 400, "required", "station_id", "请选择救助站");
	return 0;
}

int rescue_observation_from_json(const json_t *o, struct rescue_observation_in *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (S("observed_at", observed_at) || S("symptoms", symptoms) || S("report_to", report_to) ||
	    rescue_json_int(o, "temperature_tenths", 0, &out->temperature_tenths, e) < 0)
		return -1;
	return 0;
}

int rescue_discharge_from_json(const json_t *o, struct rescue_discharge_in *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (S("at", at) || S("kind", kind) || S("ticket", ticket) ||
	    S("destination", destination) || S("transfer_to", transfer_to) || S("note", note) ||
	    json_flag(o, "declaration_signed", &out->declaration_signed, e) < 0)
		return -1;
	return 0;
}

#undef S

int rescue_patrol_from_json(const json_t *o, struct rescue_patrol_in *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (rescue_json_int(o, "station_id", 0, &out->station_id, e) < 0 ||
	    rescue_json_str(o, "date", out->date, sizeof out->date, e) < 0 ||
	    rescue_json_str(o, "area", out->area, sizeof out->area, e) < 0 ||
	    rescue_json_str(o, "staff", out->staff, sizeof out->staff, e) < 0 ||
	    rescue_json_str(o, "note", out->note, sizeof out->note, e) < 0)
		return -1;
	if (!out->station_id)
		return err_set(e, 400, "required", "station_id", "请选择救助站");
	const json_t *arr = json_object_get(o, "contacts");
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return err_set(e, 400, "invalid_value", "contacts", "contacts 应为数组");
	if (json_array_size(arr) > RESCUE_MAX_CONTACTS)
		return err_set(e, 400, "invalid_value", "contacts", "一次巡查最多登记 %d 人",
			       RESCUE_MAX_CONTACTS);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *c = json_array_get(arr, i);
		struct rescue_contact *x = &out->contacts[i];
		char prefix[24];
		snprintf(prefix, sizeof prefix, "contacts[%zu]", i);
		if (!json_is_object(c))
			return err_set(e, 400, "invalid_value", prefix, "%s 应为对象", prefix);
		if (rescue_json_str(c, "name", x->name, sizeof x->name, e) < 0 ||
		    rescue_json_str(c, "id_number", x->id_number, sizeof x->id_number, e) < 0 ||
		    rescue_json_str(c, "description", x->description, sizeof x->description, e) <
			0 ||
		    rescue_json_str(c, "note", x->note, sizeof x->note, e) < 0 ||
		    json_flag(c, "accepted", &x->accepted, e) < 0 ||
		    rescue_json_int(c, "masks", 0, &x->masks, e) < 0 ||
		    rescue_json_int(c, "warm_clothing", 0, &x->warm_clothing, e) < 0 ||
		    rescue_json_int(c, "food", 0, &x->food, e) < 0) {
			err_prefix_field(e, prefix);
			return -1;
		}
		out->n_contacts++;
	}
	return 0;
}
