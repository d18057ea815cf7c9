/* rescue_store.c — the rescue module's SQL for stations, rooms and intakes: the arrival with
 * its screening and decision, observations, tests, isolation (start, change, end), the stay
 * limit and the discharge (see rescue.h).
 *
 * How it works:
 * - Every read goes through scope_prepare() on the row's region_code (the station's),
 *   so a record outside the caller's scope is simply not found. An actor without the rescue
 *   permission is told 404 for a record by id too (the routes by id are open to any login so
 *   that the answer is the same as for a record out of scope).
 * - A write loads the record with the scope, checks the input and the rules (rescue_rules.c)
 *   with the policy parameters in force for the station's unit, then changes the rows and
 *   appends its audit row, all in one transaction (or inside the caller's, see rescue_begin);
 *   a refusal writes nothing.
 * - Beds: a room's beds in use are the intakes present (in_station, isolation) in it; a bed is
 *   checked free inside the write transaction (BEGIN IMMEDIATE), so two intakes cannot take the
 *   last bed twice.
 */
#include "rescue/rescue.h"
#include "rescue/rescue_internal.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/array_grow.h"
#include "core/clock.h"
#include "core/phone.h"
#include "core/scope.h"
#include "core/text.h"

/* ------------------------------------------------------------------------------------------ */
/* helpers                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static int forbidden(struct err *e)
{
	return err_set(e, 403, "forbidden", NULL, "您没有救助站业务的权限");
}

static int present(const char *status)
{
	return strcmp(status, "in_station") == 0 || strcmp(status, "isolation") == 0;
}

static int not_present(struct err *e, const char *status)
{
	const char *what = strcmp(status, "discharged") == 0 ? "已离站"
			   : strcmp(status, "referred") == 0 ? "已送医"
			   : strcmp(status, "refused") == 0  ? "未予收留"
							     : "不在站内";
	return err_set(e, 409, "invalid_step", NULL, "该受助人员%s，不能办理此项", what);
}

/* ------------------------------------------------------------------------------------------ */
/* stations and rooms                                                                         */
/* ------------------------------------------------------------------------------------------ */

/* The occupancy columns of a station s (rooms, beds, used, isolation beds and used, present,
 * in isolation), appended to a SELECT. */
#define OCCUPANCY_COLS                                                                             \
	"(SELECT count(*) FROM rescue_rooms r WHERE r.station_id = s.id), "                        \
	"(SELECT coalesce(sum(r.beds), 0) FROM rescue_rooms r WHERE r.station_id = s.id), "        \
	"(SELECT count(*) FROM rescue_intakes i WHERE i.station_id = s.id "                        \
	"  AND i.status IN ('in_station','isolation') AND i.room_id IS NOT NULL), "                \
	"(SELECT coalesce(sum(r.beds), 0) FROM rescue_rooms r WHERE r.station_id = s.id "          \
	"  AND r.zone = 'isolation'), "                                                            \
	"(SELECT count(*) FROM rescue_intakes i JOIN rescue_rooms r ON r.id = i.room_id "          \
	"  WHERE i.station_id = s.id AND i.status IN ('in_station','isolation') "                  \
	"  AND r.zone = 'isolation'), "                                                            \
	"(SELECT count(*) FROM rescue_intakes i WHERE i.station_id = s.id "                        \
	"  AND i.status IN ('in_station','isolation')), "                                          \
	"(SELECT count(*) FROM rescue_intakes i WHERE i.station_id = s.id "                        \
	"  AND i.status = 'isolation')"

#define STATION_COLS                                                                               \
	"s.id, s.name, s.region_code, coalesce(g.name, ''), s.unit_code, "                         \
	"coalesce(s.institution_id, 0), s.address, s.phone, s.created_at, " OCCUPANCY_COLS

static void station_from_row(struct db_stmt *st, struct rescue_station *s)
{
	memset(s, 0, sizeof *s);
	s->id = db_col_int(st, 0);
	text_copy(s->name, sizeof s->name, db_col_text(st, 1));
	text_copy(s->region_code, sizeof s->region_code, db_col_text(st, 2));
	text_copy(s->region_name, sizeof s->region_name, db_col_text(st, 3));
	text_copy(s->unit_code, sizeof s->unit_code, db_col_text(st, 4));
	s->institution_id = db_col_int(st, 5);
	text_copy(s->address, sizeof s->address, db_col_text(st, 6));
	text_copy(s->phone, sizeof s->phone, db_col_text(st, 7));
	text_copy(s->created_at, sizeof s->created_at, db_col_text(st, 8));
	s->rooms = (int)db_col_int(st, 9);
	s->beds = (int)db_col_int(st, 10);
	s->beds_used = (int)db_col_int(st, 11);
	s->isolation_beds = (int)db_col_int(st, 12);
	s->isolation_used = (int)db_col_int(st, 13);
	s->in_station = (int)db_col_int(st, 14);
	s->in_isolation = (int)db_col_int(st, 15);
}

/* The parameters in force today for the station's unit (what the intake form shows). */
static void station_params(struct db *db, struct rescue_station *s)
{
	char today[RESCUE_DATE_SZ];
	struct err ignore;
	clock_today(today);
	if (rescue_policy(db, s->unit_code, "rescue_fever_tenths_c", today, &s->fever_threshold,
			  &ignore) < 0)
		s->fever_threshold = 0;
	if (rescue_policy(db, s->unit_code, "rescue_isolation_days", today, &s->isolation_days,
			  &ignore) < 0)
		s->isolation_days = 0;
	if (rescue_policy(db, s->unit_code, "rescue_max_stay_days", today, &s->max_stay_days,
			  &ignore) < 0)
		s->max_stay_days = 0;
	if (rescue_policy(db, s->unit_code, "rescue_test_valid_hours", today, &s->test_valid_hours,
			  &ignore) < 0)
		s->test_valid_hours = 0;
}

/* The unit whose parameters apply to a station in `code`: the city code itself, else the
 * region's management unit. 400 invalid_region for an unknown code or a village. */
static int station_unit(struct db *db, const char *code, char unit[RESCUE_CODE_SZ], struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT level, coalesce(unit_code, '') FROM regions WHERE code = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	int rc = db_step(st, e);
	int64_t level = rc == 1 ? db_col_int(st, 0) : 0;
	if (rc == 1)
		text_copy(unit, RESCUE_CODE_SZ, db_col_text(st, 1));
	db_done(st);
	if (rc < 0)
		return -1;
	if (level < 2 || level > 4)
		return err_set(e, 400, "invalid_region", "region_code",
			       "区划代码 %.15s 不是已知的市、县（市、区）或镇（街道）", code);
	if (level == 2)
		text_copy(unit, RESCUE_CODE_SZ, code);
	return 0;
}

static int station_create_txn(struct db *db, const struct actor *a,
			      const struct rescue_station_in *in, const char *now_text,
			      const char *phone, int64_t *out_id, struct err *e)
{
	char unit[RESCUE_CODE_SZ] = "", detail[160];
	if (station_unit(db, in->region_code, unit, e) < 0)
		return -1;
	if (!scope_contains(&a->scope, in->region_code))
		return err_set(e, 403, "out_of_scope", "region_code", "%.15s 不在您的管辖范围内",
			       in->region_code);
	if (db_query_int(db, "SELECT count(*) FROM rescue_stations WHERE name = ?", in->name) > 0)
		return err_set(e, 409, "duplicate_name", "name", "已有同名的救助站：%s", in->name);
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO rescue_stations(name, region_code, unit_code, institution_id, address, "
	    "phone, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
	    e);
	if (!st)
		return -1;
	db_bind_text(st, 1, in->name);
	db_bind_text(st, 2, in->region_code);
	db_bind_text(st, 3, unit);
	if (in->institution_id > 0)
		db_bind_int(st, 4, in->institution_id);
	else
		db_bind_null(st, 4);
	db_bind_text(st, 5, in->address);
	db_bind_text(st, 6, phone);
	db_bind_text(st, 7, a->username);
	db_bind_text(st, 8, now_text);
	db_bind_text(st, 9, now_text);
	if (db_run(st, e) < 0)
		return -1;
	*out_id = db_last_id(db);
	snprintf(detail, sizeof detail, "{\"region_code\":\"%s\",\"unit_code\":\"%s\"}",
		 in->region_code, unit);
	return audit_append_id(db, a, "rescue.station", "rescue_station", *out_id, detail, e);
}

int rescue_station_create(struct db *db, const struct actor *a, const struct rescue_station_in *in,
			  const char *now, int64_t *out_id, struct err *e)
{
	char now_text[RESCUE_TIME_SZ], phone[24] = "";
	int64_t t;
	if (!actor_can(a, PERM_RESCUE))
		return forbidden(e);
	if (rescue_now(now, now_text, &t, e) < 0 ||
	    rescue_text_check(in->name, RESCUE_SHORT_CHARS, 0, 1, "name", "救助站名称", e) < 0 ||
	    rescue_text_check(in->address, RESCUE_TEXT_CHARS, 0, 0, "address", "地址", e) < 0)
		return -1;
	if (!in->region_code[0])
		return err_set(e, 400, "required", "region_code", "请选择救助站所在的区划");
	if (in->institution_id < 0)
		return err_set(e, 400, "invalid_value", "institution_id", "机构编号应为正整数");
	if (in->phone[0] && phone_validate(in->phone, phone, e) < 0)
		return -1;
	int began = rescue_begin(db, e);
	if (began < 0)
		return -1;
	return rescue_finish(db, began, station_create_txn(db, a, in, now_text, phone, out_id, e),
			     e);
}

int rescue_station_list(struct db *db, const struct actor *a, struct rescue_station_list *out,
			struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_RESCUE))
		return forbidden(e);
	struct db_stmt *st =
	    scope_prepare(db, &a->scope,
				  "SELECT " STATION_COLS " FROM rescue_stations s "
				  "LEFT JOIN regions g ON g.code = s.region_code WHERE ",
				  "s.region_code", " ORDER BY s.region_code, s.name", e);
	if (!st)
		return -1;
	scope_bind(st, &a->scope, 1);
	int rc, alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, 8) < 0) {
			rc = err_oom(e);
			break;
		}
		station_from_row(st, &out->items[out->n++]);
	}
	db_done(st);
	if (rc < 0) {
		rescue_station_list_release(out);
		return -1;
	}
	for (int i = 0; i < out->n; i++)
		station_params(db, &out->items[i]);
	return 0;
}

void rescue_station_list_release(struct rescue_station_list *l)
{
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

static void room_from_row(struct db_stmt *st, struct rescue_room *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, 0);
	r->station_id = db_col_int(st, 1);
	text_copy(r->region_code, sizeof r->region_code, db_col_text(st, 2));
	text_copy(r->name, sizeof r->name, db_col_text(st, 3));
	text_copy(r->zone, sizeof r->zone, db_col_text(st, 4));
	r->beds = (int)db_col_int(st, 5);
	r->used = (int)db_col_int(st, 6);
}

#define ROOM_COLS                                                                                  \
	"r.id, r.station_id, r.region_code, r.name, r.zone, r.beds, "                              \
	"(SELECT count(*) FROM rescue_intakes i WHERE i.room_id = r.id "                           \
	"  AND i.status IN ('in_station','isolation'))"

int rescue_station_get(struct db *db, const struct actor *a, int64_t id,
		       struct rescue_station_detail *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_RESCUE))
		return rescue_not_found(e, "该救助站");
	int began = rescue_begin_read(db, e), rc, alloc = 0;
	if (began < 0)
		return -1;
	struct db_stmt *st = scope_prepare(
	    db, &a->scope,
	    "SELECT " STATION_COLS " FROM rescue_stations s "
	    "LEFT JOIN regions g ON g.code = s.region_code WHERE s.id = ? AND ",
	    "s.region_code", "", e);
	if (!st) {
		rescue_end_read(db, began);
		return -1;
	}
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	rc = db_step(st, e);
	if (rc == 1)
		station_from_row(st, &out->station);
	db_done(st);
	if (rc == 1)
		station_params(db, &out->station);
	if (rc == 0)
		rc = rescue_not_found(e, "该救助站");
	if (rc < 0) {
		rescue_end_read(db, began);
		return -1;
	}
	st = db_prepare(db,
			"SELECT " ROOM_COLS " FROM rescue_rooms r WHERE r.station_id = ? "
			"ORDER BY r.zone, r.name",
			e);
	if (!st) {
		rescue_end_read(db, began);
		return -1;
	}
	db_bind_int(st, 1, id);
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->rooms, out->n_rooms, &alloc, sizeof *out->rooms, 8) < 0) {
			rc = err_oom(e);
			break;
		}
		room_from_row(st, &out->rooms[out->n_rooms++]);
	}
	db_done(st);
	rescue_end_read(db, began);
	if (rc < 0) {
		rescue_station_detail_release(out);
		return -1;
	}
	return 0;
}

void rescue_station_detail_release(struct rescue_station_detail *d)
{
	free(d->rooms);
	d->rooms = NULL;
	d->n_rooms = 0;
}

static int room_check(const struct rescue_room_in *in, int creating, struct err *e)
{
	if ((creating || (in->has & RESCUE_ROOM_HAS_NAME)) &&
	    rescue_text_check(in->name, RESCUE_SHORT_CHARS, 0, 1, "name", "房间名称", e) < 0)
		return -1;
	if (creating && strcmp(in->zone, "general") != 0 && strcmp(in->zone, "isolation") != 0)
		return err_set(e, 400, in->zone[0] ? "invalid_value" : "required", "zone",
			       "区域应为 general（生活区）或 isolation（隔离区）");
	if ((creating || (in->has & RESCUE_ROOM_HAS_BEDS)) &&
	    (in->beds < 0 || in->beds > RESCUE_MAX_BEDS))
		return err_set(e, 400, "invalid_value", "beds", "床位数应为 0 到 %d",
			       RESCUE_MAX_BEDS);
	return 0;
}

static int room_name_taken(struct db *db, int64_t station_id, const char *name, int64_t except,
			   struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT count(*) FROM rescue_rooms WHERE station_id = ? AND name = ? AND id <> ?",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, station_id);
	db_bind_text(st, 2, name);
	db_bind_int(st, 3, except);
	int rc = db_step(st, e);
	int64_t n = rc == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc < 0)
		return -1;
	return n > 0 ? err_set(e, 409, "duplicate_name", "name", "本站已有同名房间：%s", name) : 0;
}

static int room_create_txn(struct db *db, const struct actor *a, int64_t station_id,
			   const struct rescue_room_in *in, const char *now_text, int64_t *out_id,
			   struct err *e)
{
	struct rescue_station s;
	char detail[96];
	if (rescue_station_load(db, a, station_id, &s, e) < 0 || room_check(in, 1, e) < 0 ||
	    room_name_taken(db, station_id, in->name, 0, e) < 0)
		return -1;
	struct db_stmt *st =
	    db_prepare(db,
		       "INSERT INTO rescue_rooms(station_id, region_code, name, zone, "
		       "beds, created_at, updated_at) VALUES (?,?,?,?,?,?,?)",
		       e);
	if (!st)
		return -1;
	db_bind_int(st, 1, station_id);
	db_bind_text(st, 2, s.region_code);
	db_bind_text(st, 3, in->name);
	db_bind_text(st, 4, in->zone);
	db_bind_int(st, 5, in->beds);
	db_bind_text(st, 6, now_text);
	db_bind_text(st, 7, now_text);
	if (db_run(st, e) < 0)
		return -1;
	*out_id = db_last_id(db);
	snprintf(detail, sizeof detail,
		 "{\"station_id\":%" PRId64 ",\"zone\":\"%s\",\"beds\":%" PRId64 "}", station_id,
		 in->zone, in->beds);
	return audit_append_id(db, a, "rescue.room", "rescue_room", *out_id, detail, e);
}

int rescue_room_create(struct db *db, const struct actor *a, int64_t station_id,
		       const struct rescue_room_in *in, const char *now, int64_t *out_id,
		       struct err *e)
{
	char now_text[RESCUE_TIME_SZ];
	int64_t t;
	if (!actor_can(a, PERM_RESCUE))
		return rescue_not_found(e, "该救助站");
	if (rescue_now(now, now_text, &t, e) < 0)
		return -1;
	int began = rescue_begin(db, e);
	if (began < 0)
		return -1;
	return rescue_finish(db, began, room_create_txn(db, a, station_id, in, now_text, out_id, e),
			     e);
}

static int room_update_txn(struct db *db, const struct actor *a, int64_t room_id,
			   const struct rescue_room_in *in, const char *now_text, struct err *e)
{
	struct rescue_room r;
	char detail[96];
	struct db_stmt *st = scope_prepare(
	    db, &a->scope, "SELECT " ROOM_COLS " FROM rescue_rooms r WHERE r.id = ? AND ",
	    "r.region_code", "", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, room_id);
	scope_bind(st, &a->scope, 2);
	int rc = db_step(st, e);
	if (rc == 1)
		room_from_row(st, &r);
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return rescue_not_found(e, "该房间");
	if (!(in->has & (RESCUE_ROOM_HAS_NAME | RESCUE_ROOM_HAS_BEDS | RESCUE_ROOM_HAS_ZONE)))
		return err_set(e, 400, "required", NULL, "请提供要修改的房间名称或床位数");
	if ((in->has & RESCUE_ROOM_HAS_ZONE) && strcmp(in->zone, r.zone) != 0)
		return err_set(e, 400, "invalid_value", "zone",
			       "房间的区域（生活区 / 隔离区）建成后不能更改；请新建房间");
	if (room_check(in, 0, e) < 0)
		return -1;
	if ((in->has & RESCUE_ROOM_HAS_NAME) &&
	    room_name_taken(db, r.station_id, in->name, r.id, e) < 0)
		return -1;
	if ((in->has & RESCUE_ROOM_HAS_BEDS) && in->beds < r.used)
		return err_set(e, 409, "beds_in_use", "beds",
			       "该房间现有 %d 人在住，床位数不能少于 %d", r.used, r.used);
	st = db_prepare(
	    db, "UPDATE rescue_rooms SET name = ?, beds = ?, updated_at = ? WHERE id = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, (in->has & RESCUE_ROOM_HAS_NAME) ? in->name : r.name);
	db_bind_int(st, 2, (in->has & RESCUE_ROOM_HAS_BEDS) ? in->beds : r.beds);
	db_bind_text(st, 3, now_text);
	db_bind_int(st, 4, room_id);
	if (db_run(st, e) < 0)
		return -1;
	snprintf(detail, sizeof detail, "{\"beds_before\":%d,\"beds\":%" PRId64 "}", r.beds,
		 (in->has & RESCUE_ROOM_HAS_BEDS) ? in->beds : (int64_t)r.beds);
	return audit_append_id(db, a, "rescue.room", "rescue_room", room_id, detail, e);
}

int rescue_room_update(struct db *db, const struct actor *a, int64_t room_id,
		       const struct rescue_room_in *in, const char *now, struct err *e)
{
	char now_text[RESCUE_TIME_SZ];
	int64_t t;
	if (!actor_can(a, PERM_RESCUE))
		return rescue_not_found(e, "该房间");
	if (rescue_now(now, now_text, &t, e) < 0)
		return -1;
	int began = rescue_begin(db, e);
	if (began < 0)
		return -1;
	return rescue_finish(db, began, room_update_txn(db, a, room_id, in, now_text, e), e);
}

/* A room of the station in the zone with a free bed: 400 invalid_value when not the station's,
 * 409 wrong_zone, 409 room_full. *name gets its name. */
static int room_take(struct db *db, int64_t station_id, int64_t room_id, const char *zone,
		     char name[RESCUE_SHORT_SZ], struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT r.name, r.zone, r.beds, (SELECT count(*) FROM "
					"rescue_intakes i WHERE i.room_id = r.id AND i.status IN "
					"('in_station','isolation')) FROM rescue_rooms r "
					"WHERE r.id = ? AND r.station_id = ?",
					e);
	char rzone[RESCUE_WORD_SZ] = "";
	int64_t beds = 0, used = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, room_id);
	db_bind_int(st, 2, station_id);
	int rc = db_step(st, e);
	if (rc == 1) {
		text_copy(name, RESCUE_SHORT_SZ, db_col_text(st, 0));
		text_copy(rzone, sizeof rzone, db_col_text(st, 1));
		beds = db_col_int(st, 2);
		used = db_col_int(st, 3);
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 400, "invalid_value", "room_id",
			       "房间 %" PRId64 " 不是本站的房间", room_id);
	if (strcmp(rzone, zone) != 0)
		return err_set(e, 409, "wrong_zone", "room_id",
			       strcmp(zone, "isolation") == 0
				   ? "%s 在生活区：隔离观察须安排在隔离区的房间"
				   : "%s 在隔离区：不需隔离的人员应安排在生活区的房间",
			       name);
	if (used >= beds)
		return err_set(e, 409, "room_full", "room_id", "%s 的 %" PRId64 " 张床位已满", name,
			       beds);
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* intakes: reading                                                                           */
/* ------------------------------------------------------------------------------------------ */

#define INTAKE_COLS                                                                                \
	"i.id, i.station_id, s.name, i.region_code, s.unit_code, i.arrived_at, i.arrived_date, "   \
	"i.unidentified, i.name, i.id_number, i.sex, i.description, i.origin, i.belongings, "      \
	"i.temperature_tenths, i.fever, i.mask, i.symptoms, i.travel_history, i.contact_history, " \
	"i.risk, i.health_certificate, i.decision, i.reason, i.hospital, i.report_to, "            \
	"i.report_at, i.report_note, i.status, coalesce(i.room_id, 0), coalesce(r.name, ''), "     \
	"coalesce(r.zone, ''), i.stay_limit_days, i.stay_until, i.family_search_due, "             \
	"i.family_search_at, i.family_search_channel, i.family_search_text, i.isolation_start, "   \
	"i.isolation_end, i.isolation_ended_at, i.isolation_early, i.left_at, i.discharge_kind, "  \
	"i.ticket, i.destination, i.transfer_to, i.declaration_signed, i.discharge_note, "         \
	"coalesce(i.early_test_id, 0), i.created_by, i.created_at"

#define INTAKE_FROM                                                                                \
	" FROM rescue_intakes i JOIN rescue_stations s ON s.id = i.station_id "                    \
	"LEFT JOIN rescue_rooms r ON r.id = i.room_id "

static void intake_from_row(struct db_stmt *st, struct rescue_intake *x)
{
	int c = 0;
	memset(x, 0, sizeof *x);
#define T(f) text_copy(x->f, sizeof x->f, db_col_text(st, c++))
#define I(f) x->f = db_col_int(st, c++)
	I(id);
	I(station_id);
	T(station_name);
	T(region_code);
	T(unit_code);
	T(arrived_at);
	T(arrived_date);
	x->unidentified = (int)db_col_int(st, c++);
	T(name);
	T(id_number);
	T(sex);
	T(description);
	T(origin);
	T(belongings);
	I(temperature_tenths);
	x->fever = (int)db_col_int(st, c++);
	x->mask = (int)db_col_int(st, c++);
	T(symptoms);
	T(travel_history);
	T(contact_history);
	T(risk);
	T(health_certificate);
	T(decision);
	T(reason);
	T(hospital);
	T(report_to);
	T(report_at);
	T(report_note);
	T(status);
	I(room_id);
	T(room_name);
	T(room_zone);
	I(stay_limit_days);
	T(stay_until);
	T(family_search_due);
	T(family_search_at);
	T(family_search_channel);
	T(family_search_text);
	T(isolation_start);
	T(isolation_end);
	T(isolation_ended_at);
	x->isolation_early = (int)db_col_int(st, c++);
	T(left_at);
	T(discharge_kind);
	T(ticket);
	T(destination);
	T(transfer_to);
	x->declaration_signed = (int)db_col_int(st, c++);
	T(discharge_note);
	I(early_test_id);
	T(created_by);
	T(created_at);
#undef T
#undef I
}

/* The intake by id within the actor's scope; 404 when missing, out of scope or the actor lacks
 * the rescue permission. */
static int intake_load(struct db *db, const struct actor *a, int64_t id, struct rescue_intake *x,
		       struct err *e)
{
	if (!actor_can(a, PERM_RESCUE))
		return rescue_not_found(e, "该受助人员记录");
	struct db_stmt *st = scope_prepare(
	    db, &a->scope, "SELECT " INTAKE_COLS INTAKE_FROM "WHERE i.id = ? AND ", "i.region_code",
	    "", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	int rc = db_step(st, e);
	if (rc == 1)
		intake_from_row(st, x);
	db_done(st);
	if (rc < 0)
		return -1;
	return rc == 0 ? rescue_not_found(e, "该受助人员记录") : 0;
}

/* The tests of an intake (oldest sample first) as rules records; *n ≤ max. */
static int tests_load(struct db *db, int64_t intake_id, struct rescue_test *full,
		      struct rescue_test_rec *recs, int max, int *n, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db,
		       "SELECT id, sampled_at, sampled_unix, result, lab, by_user, at "
		       "FROM rescue_tests WHERE intake_id = ? ORDER BY sampled_unix, id",
		       e);
	int rc;
	if (!st)
		return -1;
	db_bind_int(st, 1, intake_id);
	*n = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (*n >= max) { /* keep the latest: shift the oldest out */
			if (full)
				memmove(full, full + 1, (size_t)(max - 1) * sizeof *full);
			memmove(recs, recs + 1, (size_t)(max - 1) * sizeof *recs);
			(*n)--;
		}
		recs[*n].sampled = db_col_int(st, 2);
		recs[*n].positive = strcmp(db_col_text(st, 3), "positive") == 0;
		if (full) {
			struct rescue_test *t = &full[*n];
			memset(t, 0, sizeof *t);
			t->id = db_col_int(st, 0);
			text_copy(t->sampled_at, sizeof t->sampled_at, db_col_text(st, 1));
			text_copy(t->result, sizeof t->result, db_col_text(st, 3));
			text_copy(t->lab, sizeof t->lab, db_col_text(st, 4));
			text_copy(t->by_user, sizeof t->by_user, db_col_text(st, 5));
			text_copy(t->at, sizeof t->at, db_col_text(st, 6));
		}
		(*n)++;
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

#define MAX_TESTS 64 /* the early-leave rule needs the latest ones only */

/* May the person leave the running isolation at `at`? Reads the tests and the window in force.
 * *early / *test_id as rescue_early_leave_check (test_id the row's id, 0 when none). */
static int leave_check(struct db *db, const struct rescue_intake *x, int64_t at, int *early,
		       int64_t *test_id, struct err *e)
{
	struct rescue_test_rec recs[MAX_TESTS];
	struct rescue_test *full = calloc(MAX_TESTS, sizeof *full);
	char date[RESCUE_DATE_SZ];
	int n = 0, used = -1, rc = -1;
	int64_t hours = 0;
	*early = 0;
	*test_id = 0;
	if (!full)
		return err_oom(e);
	rescue_time_date(at, date);
	if (tests_load(db, x->id, full, recs, MAX_TESTS, &n, e) == 0 &&
	    rescue_policy(db, x->unit_code, "rescue_test_valid_hours", date, &hours, e) == 0 &&
	    rescue_early_leave_check(x->isolation_end, at, recs, n, hours, early, &used, e) == 0) {
		if (used >= 0)
			*test_id = full[used].id;
		rc = 0;
	}
	free(full);
	return rc;
}

static int observations_load(struct db *db, struct rescue_intake_detail *d, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db,
		       "SELECT id, observed_at, temperature_tenths, fever, symptoms, "
		       "report_to, by_user FROM rescue_observations WHERE intake_id = ? "
		       "ORDER BY observed_at, id",
		       e);
	int rc, alloc = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, d->in.id);
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&d->observations, d->n_observations, &alloc, sizeof *d->observations,
			       8) < 0) {
			rc = err_oom(e);
			break;
		}
		struct rescue_observation *o = &d->observations[d->n_observations++];
		memset(o, 0, sizeof *o);
		o->id = db_col_int(st, 0);
		text_copy(o->observed_at, sizeof o->observed_at, db_col_text(st, 1));
		o->temperature_tenths = db_col_int(st, 2);
		o->fever = (int)db_col_int(st, 3);
		text_copy(o->symptoms, sizeof o->symptoms, db_col_text(st, 4));
		text_copy(o->report_to, sizeof o->report_to, db_col_text(st, 5));
		text_copy(o->by_user, sizeof o->by_user, db_col_text(st, 6));
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int detail_tests_load(struct db *db, struct rescue_intake_detail *d, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db,
		       "SELECT id, sampled_at, result, lab, by_user, at FROM rescue_tests "
		       "WHERE intake_id = ? ORDER BY sampled_unix, id",
		       e);
	int rc, alloc = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, d->in.id);
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&d->tests, d->n_tests, &alloc, sizeof *d->tests, 4) < 0) {
			rc = err_oom(e);
			break;
		}
		struct rescue_test *t = &d->tests[d->n_tests++];
		memset(t, 0, sizeof *t);
		t->id = db_col_int(st, 0);
		text_copy(t->sampled_at, sizeof t->sampled_at, db_col_text(st, 1));
		text_copy(t->result, sizeof t->result, db_col_text(st, 2));
		text_copy(t->lab, sizeof t->lab, db_col_text(st, 3));
		text_copy(t->by_user, sizeof t->by_user, db_col_text(st, 4));
		text_copy(t->at, sizeof t->at, db_col_text(st, 5));
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int changes_load(struct db *db, struct rescue_intake_detail *d, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db,
		       "SELECT id, what, kind, previous_end, new_end, reason, "
		       "approved_by, at, by_user FROM rescue_changes WHERE intake_id = ? "
		       "ORDER BY id",
		       e);
	int rc, alloc = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, d->in.id);
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&d->changes, d->n_changes, &alloc, sizeof *d->changes, 4) < 0) {
			rc = err_oom(e);
			break;
		}
		struct rescue_change *c = &d->changes[d->n_changes++];
		memset(c, 0, sizeof *c);
		c->id = db_col_int(st, 0);
		text_copy(c->what, sizeof c->what, db_col_text(st, 1));
		text_copy(c->kind, sizeof c->kind, db_col_text(st, 2));
		text_copy(c->previous_end, sizeof c->previous_end, db_col_text(st, 3));
		text_copy(c->new_end, sizeof c->new_end, db_col_text(st, 4));
		text_copy(c->reason, sizeof c->reason, db_col_text(st, 5));
		text_copy(c->approved_by, sizeof c->approved_by, db_col_text(st, 6));
		text_copy(c->at, sizeof c->at, db_col_text(st, 7));
		text_copy(c->by_user, sizeof c->by_user, db_col_text(st, 8));
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* The fields derived at now: days, over stay, family search overdue, whether leaving now is
 * early and allowed. A missing parameter does not fail a read: the reason says so. */
static int derive(struct db *db, struct rescue_intake_detail *d, int64_t now, struct err *e)
{
	struct rescue_intake *x = &d->in;
	char today[RESCUE_DATE_SZ], left[RESCUE_DATE_SZ];
	struct err pe;
	int64_t due;
	rescue_time_date(now, today);
	text_copy(d->now, sizeof d->now, "");
	rescue_time_format(now, d->now);
	text_copy(left, sizeof left, today);
	if (x->left_at[0])
		text_copy(left, sizeof left, x->left_at); /* cut to its date */
	d->days_in_station = rescue_days_between(x->arrived_date, left);
	d->over_stay = present(x->status) && x->stay_until[0] && strcmp(today, x->stay_until) > 0;
	d->family_search_overdue = x->unidentified && !x->family_search_at[0] &&
				   present(x->status) &&
				   rescue_time_parse(x->family_search_due, &due) == 0 && now > due;
	if (rescue_policy(db, x->unit_code, "rescue_fever_tenths_c", today, &d->fever_threshold,
			  &pe) < 0)
		d->fever_threshold = 0;
	if (rescue_policy(db, x->unit_code, "rescue_test_valid_hours", today, &d->test_valid_hours,
			  &pe) < 0)
		d->test_valid_hours = 0;
	if (strcmp(x->status, "isolation") == 0 && strcmp(today, x->isolation_end) < 0) {
		int early;
		int64_t test_id;
		d->early_leave_now = 1;
		if (leave_check(db, x, now, &early, &test_id, &pe) == 0) {
			d->leave_allowed_now = 1;
		} else {
			if (pe.status >= 500) {
				*e = pe;
				return -1;
			}
			text_copy(d->leave_reason, sizeof d->leave_reason, pe.message);
		}
	} else {
		d->leave_allowed_now = present(x->status);
	}
	return 0;
}

static int detail_load(struct db *db, const struct actor *a, int64_t id, int64_t now,
		       struct rescue_intake_detail *out, struct err *e)
{
	if (intake_load(db, a, id, &out->in, e) < 0 || observations_load(db, out, e) < 0 ||
	    detail_tests_load(db, out, e) < 0 || changes_load(db, out, e) < 0)
		return -1;
	return derive(db, out, now, e);
}

int rescue_intake_get(struct db *db, const struct actor *a, int64_t id, int unmask, const char *now,
		      struct rescue_intake_detail *out, struct err *e)
{
	char now_text[RESCUE_TIME_SZ];
	int64_t t;
	int rc;
	memset(out, 0, sizeof *out);
	if (rescue_now(now, now_text, &t, e) < 0)
		return -1;
	if (unmask) {
		/* existence first (404 beats 403), then the permission, then the audited read */
		if (!actor_can(a, PERM_RESCUE))
			return rescue_not_found(e, "该受助人员记录");
		if (db_begin_write(db, e) < 0)
			return -1;
		rc = detail_load(db, a, id, t, out, e);
		if (rc == 0 && !actor_can(a, PERM_REGISTRY_UNMASK))
			rc = err_set(e, 403, "forbidden", NULL,
				     "您没有查看完整姓名和身份证号的权限");
		if (rc == 0)
			rc = audit_append_id(db, a, "rescue.unmask", "rescue_intake", id, NULL, e);
		if (rc < 0) {
			db_rollback(db);
			rescue_intake_detail_release(out);
			return -1;
		}
		if (db_commit(db, e) < 0) {
			rescue_intake_detail_release(out);
			return -1;
		}
		out->unmasked = 1;
		return 0;
	}
	int began = rescue_begin_read(db, e);
	if (began < 0)
		return -1;
	rc = detail_load(db, a, id, t, out, e);
	rescue_end_read(db, began);
	if (rc < 0)
		rescue_intake_detail_release(out);
	return rc;
}

void rescue_intake_detail_release(struct rescue_intake_detail *d)
{
	free(d->observations);
	free(d->tests);
	free(d->changes);
	d->observations = NULL;
	d->tests = NULL;
	d->changes = NULL;
	d->n_observations = d->n_tests = d->n_changes = 0;
}

/* The list's filters, after the scope condition; bound from index `first`. */
#define LIST_WHERE                                                                                 \
	" AND (? = 0 OR i.station_id = ?)"                                                         \
	" AND ((? = 'present' AND i.status IN ('in_station','isolation'))"                         \
	"   OR (? <> 'present' AND (? = '' OR i.status = ?)))"                                     \
	" AND (? = '' OR i.arrived_date >= ?) AND (? = '' OR i.arrived_date <= ?)"                 \
	" AND (? = '' OR substr(i.name, 1, length(?)) = ? OR i.id_number = ?)"

static int list_bind(struct db_stmt *st, const struct rescue_intake_query *q, int i)
{
	db_bind_int(st, i++, q->station_id);
	db_bind_int(st, i++, q->station_id);
	db_bind_text(st, i++, q->status);
	db_bind_text(st, i++, q->status);
	db_bind_text(st, i++, q->status);
	db_bind_text(st, i++, q->status);
	db_bind_text(st, i++, q->from);
	db_bind_text(st, i++, q->from);
	db_bind_text(st, i++, q->to);
	db_bind_text(st, i++, q->to);
	db_bind_text(st, i++, q->q);
	db_bind_text(st, i++, q->q);
	db_bind_text(st, i++, q->q);
	db_bind_text(st, i++, q->q);
	return i;
}

static int query_check(const struct rescue_intake_query *q, struct err *e)
{
	static const char *const statuses[] = {"",	   "present", "in_station", "isolation",
					       "referred", "refused", "discharged"};
	int ok = 0;
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		ok |= strcmp(q->status, statuses[i]) == 0;
	if (!ok)
		return err_set(e, 400, "invalid_value", "status",
			       "status 应为 present、in_station、isolation、referred、refused 或 "
			       "discharged");
	if (q->from[0] && !rescue_date_valid(q->from))
		return err_set(e, 400, "invalid_value", "from", "from 应为日期 YYYY-MM-DD");
	if (q->to[0] && !rescue_date_valid(q->to))
		return err_set(e, 400, "invalid_value", "to", "to 应为日期 YYYY-MM-DD");
	if (q->limit < 0 || q->limit > RESCUE_PAGE_MAX || q->offset < 0)
		return err_set(e, 400, "invalid_value", "limit", "limit 应为 1 到 %d",
			       RESCUE_PAGE_MAX);
	return 0;
}

int rescue_intake_list(struct db *db, const struct actor *a, const struct rescue_intake_query *q,
		       struct rescue_intake_page *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_RESCUE))
		return forbidden(e);
	if (query_check(q, e) < 0)
		return -1;
	out->limit = q->limit ? q->limit : 50;
	out->offset = q->offset;
	int began = rescue_begin_read(db, e), rc, alloc = 0, i;
	if (began < 0)
		return -1;
	struct db_stmt *st =
	    scope_prepare(db, &a->scope, "SELECT count(*) FROM rescue_intakes i WHERE ",
				  "i.region_code", LIST_WHERE, e);
	if (!st)
		goto fail;
	i = scope_bind(st, &a->scope, 1);
	list_bind(st, q, i);
	rc = db_step(st, e);
	out->total = rc == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc < 0)
		goto fail;
	st = scope_prepare(
	    db, &a->scope,
	    "SELECT i.id, i.station_id, s.name, i.region_code, i.arrived_at, i.unidentified, "
	    "i.name, i.id_number, i.sex, i.temperature_tenths, i.fever, i.risk, i.decision, "
	    "i.status, coalesce(r.name, ''), i.isolation_end, i.stay_until, i.left_at, "
	    "i.discharge_kind, i.family_search_due, i.family_search_at" INTAKE_FROM "WHERE ",
	    "i.region_code", LIST_WHERE " ORDER BY i.arrived_at DESC, i.id DESC LIMIT ? OFFSET ?",
	    e);
	if (!st)
		goto fail;
	i = scope_bind(st, &a->scope, 1);
	i = list_bind(st, q, i);
	db_bind_int(st, i++, out->limit);
	db_bind_int(st, i, out->offset);
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, 16) < 0) {
			rc = err_oom(e);
			break;
		}
		struct rescue_intake_row *r = &out->items[out->n++];
		int c = 0;
		memset(r, 0, sizeof *r);
		r->id = db_col_int(st, c++);
		r->station_id = db_col_int(st, c++);
		text_copy(r->station_name, sizeof r->station_name, db_col_text(st, c++));
		text_copy(r->region_code, sizeof r->region_code, db_col_text(st, c++));
		text_copy(r->arrived_at, sizeof r->arrived_at, db_col_text(st, c++));
		r->unidentified = (int)db_col_int(st, c++);
		text_copy(r->name, sizeof r->name, db_col_text(st, c++));
		text_copy(r->id_number, sizeof r->id_number, db_col_text(st, c++));
		text_copy(r->sex, sizeof r->sex, db_col_text(st, c++));
		r->temperature_tenths = db_col_int(st, c++);
		r->fever = (int)db_col_int(st, c++);
		text_copy(r->risk, sizeof r->risk, db_col_text(st, c++));
		text_copy(r->decision, sizeof r->decision, db_col_text(st, c++));
		text_copy(r->status, sizeof r->status, db_col_text(st, c++));
		text_copy(r->room_name, sizeof r->room_name, db_col_text(st, c++));
		text_copy(r->isolation_end, sizeof r->isolation_end, db_col_text(st, c++));
		text_copy(r->stay_until, sizeof r->stay_until, db_col_text(st, c++));
		text_copy(r->left_at, sizeof r->left_at, db_col_text(st, c++));
		text_copy(r->discharge_kind, sizeof r->discharge_kind, db_col_text(st, c++));
		text_copy(r->family_search_due, sizeof r->family_search_due,
			    db_col_text(st, c++));
		text_copy(r->family_search_at, sizeof r->family_search_at, db_col_text(st, c++));
	}
	db_done(st);
	if (rc < 0)
		goto fail;
	rescue_end_read(db, began);
	return 0;
fail:
	rescue_end_read(db, began);
	rescue_intake_page_release(out);
	return -1;
}

void rescue_intake_page_release(struct rescue_intake_page *p)
{
	free(p->items);
	p->items = NULL;
	p->n = 0;
}

/* ------------------------------------------------------------------------------------------ */
/* intakes: the arrival                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* Everything about the input that needs no database: the person and the texts. */
static int intake_input_check(struct rescue_intake_in *in, const char *today, struct err *e)
{
	char id[19];
	if (in->unidentified) {
		if (in->id_number[0])
			return err_set(
			    e, 400, "invalid_value", "id_number",
			    "身份不明的人员不登记身份证号；已知身份证号的请按身份明确登记");
		if (rescue_text_check(in->description, RESCUE_TEXT_CHARS, 1, 1, "description",
				      "体貌特征等描述（身份不明人员须填写）", e) < 0)
			return -1;
		if (rescue_text_check(in->name, RESCUE_NAME_CHARS, 0, 0, "name", "自报姓名", e) < 0)
			return -1;
	} else {
		if (rescue_text_check(in->name, RESCUE_NAME_CHARS, 0, 1, "name",
				      "姓名（身份不明的请勾选“身份不明”并填写体貌特征）", e) < 0)
			return -1;
		if (rescue_id_check(in->id_number, "id_number", today, id, e) < 0)
			return -1;
		text_copy(in->id_number, sizeof in->id_number, id);
		if (rescue_text_check(in->description, RESCUE_TEXT_CHARS, 1, 0, "description",
				      "描述", e) < 0)
			return -1;
	}
	if (in->sex[0] && strcmp(in->sex, "male") != 0 && strcmp(in->sex, "female") != 0)
		return err_set(e, 400, "invalid_value", "sex", "性别应为 male 或 female");
	if (!in->sex[0] && in->id_number[0]) /* the 17th digit: odd male, even female */
		text_copy(in->sex, sizeof in->sex,
			    (in->id_number[16] - '0') % 2 ? "male" : "female");
	if (in->temperature_tenths < RESCUE_TEMP_MIN || in->temperature_tenths > RESCUE_TEMP_MAX)
		return err_set(e, 400, "invalid_value", "temperature_tenths",
			       "体温应在 30.0 到 45.0 °C 之间（以 0.1 °C 计，如 36.5 °C 填 365）");
	if (rescue_text_check(in->origin, RESCUE_SHORT_CHARS, 0, 0, "origin", "来自何处", e) < 0 ||
	    rescue_text_check(in->belongings, RESCUE_TEXT_CHARS, 1, 0, "belongings", "随身物品",
			      e) < 0 ||
	    rescue_text_check(in->symptoms, RESCUE_TEXT_CHARS, 1, 0, "symptoms", "症状", e) < 0 ||
	    rescue_text_check(in->travel_history, RESCUE_TEXT_CHARS, 1, 0, "travel_history",
			      "14 天行程", e) < 0 ||
	    rescue_text_check(in->contact_history, RESCUE_TEXT_CHARS, 1, 0, "contact_history",
			      "14 天接触史", e) < 0 ||
	    rescue_text_check(in->health_certificate, RESCUE_SHORT_CHARS, 0, 0,
			      "health_certificate", "健康证明", e) < 0 ||
	    rescue_text_check(in->reason, RESCUE_TEXT_CHARS, 1, 0, "reason", "理由或备注", e) < 0 ||
	    rescue_text_check(in->hospital, RESCUE_SHORT_CHARS, 0, 0, "hospital", "医院", e) < 0 ||
	    rescue_text_check(in->report_to, RESCUE_SHORT_CHARS, 0, 0, "report_to", "报告对象", e) <
		0 ||
	    rescue_text_check(in->report_note, RESCUE_TEXT_CHARS, 1, 0, "report_note", "报告内容",
			      e) < 0)
		return -1;
	return 0;
}

static int change_add(struct db *db, const struct rescue_intake *x, const char *what,
		      const char *kind, const char *previous_end, const char *new_end,
		      const char *reason, const char *approved_by, const char *at,
		      const struct actor *a, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db,
		       "INSERT INTO rescue_changes(intake_id, region_code, what, kind, "
		       "previous_end, new_end, reason, approved_by, at, by_user) "
		       "VALUES (?,?,?,?,?,?,?,?,?,?)",
		       e);
	if (!st)
		return -1;
	db_bind_int(st, 1, x->id);
	db_bind_text(st, 2, x->region_code);
	db_bind_text(st, 3, what);
	db_bind_text(st, 4, kind);
	db_bind_text(st, 5, previous_end ? previous_end : "");
	db_bind_text(st, 6, new_end ? new_end : "");
	db_bind_text(st, 7, reason ? reason : "");
	db_bind_text(st, 8, approved_by ? approved_by : "");
	db_bind_text(st, 9, at);
	db_bind_text(st, 10, a->username);
	return db_run(st, e);
}

static int intake_create_txn(struct db *db, const struct actor *a, struct rescue_intake_in *in,
			     const char *now_text, int64_t now, int64_t *out_id, struct err *e)
{
	struct rescue_station s;
	struct rescue_intake x;
	char arrived[RESCUE_TIME_SZ], date[RESCUE_DATE_SZ], report_at[RESCUE_TIME_SZ] = "";
	char room[RESCUE_SHORT_SZ] = "", due[RESCUE_TIME_SZ] = "", iso_end[RESCUE_DATE_SZ] = "";
	char until[RESCUE_DATE_SZ], detail[200];
	int64_t t, rt, fever_limit, iso_days = 0, stay_days, search_hours;

	if (rescue_station_load(db, a, in->station_id, &s, e) < 0)
		return -1;
	if (rescue_event_time(in->arrived_at, "arrived_at", now, INT64_MIN, NULL, arrived, &t, e) <
	    0)
		return -1;
	rescue_time_date(t, date);
	if (intake_input_check(in, date, e) < 0)
		return -1;
	if (rescue_policy(db, s.unit_code, "rescue_fever_tenths_c", date, &fever_limit, e) < 0 ||
	    rescue_policy(db, s.unit_code, "rescue_max_stay_days", date, &stay_days, e) < 0 ||
	    rescue_policy(db, s.unit_code, "rescue_family_search_hours", date, &search_hours, e) <
		0)
		return -1;
	struct rescue_screening sc = {
	    .temperature_tenths = in->temperature_tenths,
	    .fever_threshold = fever_limit,
	    .risk = in->risk,
	    .decision = in->decision,
	    .reason = in->reason,
	    .hospital = in->hospital,
	    .report_to = in->report_to,
	    .room_id = in->room_id,
	};
	if (rescue_screening_check(&sc, e) < 0)
		return -1;
	int fever = rescue_is_fever(in->temperature_tenths, fever_limit);
	const char *d = in->decision;
	const char *status = strcmp(d, "admit") == 0	  ? "in_station"
			     : strcmp(d, "isolate") == 0  ? "isolation"
			     : strcmp(d, "hospital") == 0 ? "referred"
							  : "refused";
	int housed = strcmp(d, "admit") == 0 || strcmp(d, "isolate") == 0;
	if (housed && room_take(db, s.id, in->room_id,
				strcmp(d, "isolate") == 0 ? "isolation" : "general", room, e) < 0)
		return -1;
	if (strcmp(d, "isolate") == 0) {
		if (rescue_policy(db, s.unit_code, "rescue_isolation_days", date, &iso_days, e) < 0)
			return -1;
		rescue_isolation_end(date, iso_days, iso_end);
	}
	if (fever || in->report_to[0]) {
		if (rescue_event_time(in->report_at[0] ? in->report_at : arrived, "report_at", now,
				      t, "到站时间", report_at, &rt, e) < 0)
			return -1;
	}
	rescue_stay_until(date, stay_days, iso_end, until);
	if (in->unidentified)
		rescue_time_format(rescue_family_search_due(t, search_hours), due);

	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO rescue_intakes(station_id, region_code, arrived_at, arrived_date, "
	    "unidentified, name, id_number, sex, description, origin, belongings, "
	    "temperature_tenths, fever, mask, symptoms, travel_history, contact_history, risk, "
	    "health_certificate, decision, reason, hospital, report_to, report_at, report_note, "
	    "status, room_id, stay_limit_days, stay_until, family_search_due, isolation_start, "
	    "isolation_end, created_by, created_at, updated_at) VALUES "
	    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	    e);
	if (!st)
		return -1;
	int c = 1;
	db_bind_int(st, c++, s.id);
	db_bind_text(st, c++, s.region_code);
	db_bind_text(st, c++, arrived);
	db_bind_text(st, c++, date);
	db_bind_int(st, c++, in->unidentified ? 1 : 0);
	db_bind_text(st, c++, in->name);
	db_bind_text(st, c++, in->id_number);
	db_bind_text(st, c++, in->sex);
	db_bind_text(st, c++, in->description);
	db_bind_text(st, c++, in->origin);
	db_bind_text(st, c++, in->belongings);
	db_bind_int(st, c++, in->temperature_tenths);
	db_bind_int(st, c++, fever);
	db_bind_int(st, c++, in->mask ? 1 : 0);
	db_bind_text(st, c++, in->symptoms);
	db_bind_text(st, c++, in->travel_history);
	db_bind_text(st, c++, in->contact_history);
	db_bind_text(st, c++, in->risk);
	db_bind_text(st, c++, in->health_certificate);
	db_bind_text(st, c++, d);
	db_bind_text(st, c++, in->reason);
	db_bind_text(st, c++, strcmp(d, "hospital") == 0 ? in->hospital : "");
	db_bind_text(st, c++, in->report_to);
	db_bind_text(st, c++, report_at);
	db_bind_text(st, c++, in->report_note);
	db_bind_text(st, c++, status);
	if (housed)
		db_bind_int(st, c++, in->room_id);
	else
		db_bind_null(st, c++);
	db_bind_int(st, c++, housed ? stay_days : 0);
	db_bind_text(st, c++, housed ? until : "");
	db_bind_text(st, c++, due);
	db_bind_text(st, c++, iso_end[0] ? date : "");
	db_bind_text(st, c++, iso_end);
	db_bind_text(st, c++, a->username);
	db_bind_text(st, c++, now_text);
	db_bind_text(st, c, now_text);
	if (db_run(st, e) < 0)
		return -1;
	*out_id = db_last_id(db);
	memset(&x, 0, sizeof x);
	x.id = *out_id;
	text_copy(x.region_code, sizeof x.region_code, s.region_code);
	if (iso_end[0] && change_add(db, &x, "isolation", "start", "", iso_end, "入站隔离观察", "",
				     now_text, a, e) < 0)
		return -1;
	snprintf(detail, sizeof detail,
		 "{\"station_id\":%" PRId64 ",\"decision\":\"%s\",\"fever\":%d,\"risk\":\"%s\","
		 "\"unidentified\":%d}",
		 s.id, d, fever, in->risk, in->unidentified ? 1 : 0);
	return audit_append_id(db, a, "rescue.intake", "rescue_intake", *out_id, detail, e);
}

int rescue_intake_create(struct db *db, const struct actor *a, struct rescue_intake_in *in,
			 const char *now, int64_t *out_id, struct err *e)
{
	char now_text[RESCUE_TIME_SZ];
	int64_t t;
	if (!actor_can(a, PERM_RESCUE))
		return forbidden(e);
	if (rescue_now(now, now_text, &t, e) < 0)
		return -1;
	int began = rescue_begin(db, e);
	if (began < 0)
		return -1;
	return rescue_finish(db, began, intake_create_txn(db, a, in, now_text, t, out_id, e), e);
}

/* ------------------------------------------------------------------------------------------ */
/* intakes: what happens during the stay                                                      */
/* ------------------------------------------------------------------------------------------ */

/* The common start of a write on an intake: now, a transaction, the scoped record. The caller
 * runs fn inside and the transaction ends here. */
typedef int (*intake_step_fn)(struct db *db, const struct actor *a, struct rescue_intake *x,
			      const char *now_text, int64_t now, void *arg, struct err *e);

static int intake_step(struct db *db, const struct actor *a, int64_t id, const char *now,
		       intake_step_fn fn, void *arg, struct err *e)
{
	char now_text[RESCUE_TIME_SZ];
	int64_t t;
	if (rescue_now(now, now_text, &t, e) < 0)
		return -1;
	struct rescue_intake *x = calloc(1, sizeof *x);
	if (!x)
		return err_oom(e);
	int began = rescue_begin(db, e);
	if (began < 0) {
		free(x);
		return -1;
	}
	int rc = intake_load(db, a, id, x, e);
	if (rc == 0)
		rc = fn(db, a, x, now_text, t, arg, e);
	rc = rescue_finish(db, began, rc, e);
	free(x);
	return rc;
}

static int64_t arrived_unix(const struct rescue_intake *x)
{
	int64_t t = 0;
	rescue_time_parse(x->arrived_at, &t);
	return t;
}

static int touch(struct db *db, int64_t id, const char *now_text, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE rescue_intakes SET updated_at = ? WHERE id = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, now_text);
	db_bind_int(st, 2, id);
	return db_run(st, e);
}

/* ---- family search ---- */

struct search_arg {
	const char *posted_at, *channel, *text;
};

static int search_fn(struct db *db, const struct actor *a, struct rescue_intake *x,
		     const char *now_text, int64_t now, void *arg, struct err *e)
{
	struct search_arg *s = arg;
	char at[RESCUE_TIME_SZ];
	int64_t t;
	if (!x->unidentified)
		return err_set(e, 409, "invalid_step", NULL,
			       "该受助人员身份明确，无需发布寻亲公告");
	if (rescue_event_time(s->posted_at, "posted_at", now, arrived_unix(x), "到站时间", at, &t,
			      e) < 0 ||
	    rescue_text_check(s->channel, RESCUE_SHORT_CHARS, 0, 1, "channel",
			      "发布渠道（如全国救助寻亲网、报纸、公安协查）", e) < 0 ||
	    rescue_text_check(s->text, RESCUE_TEXT_CHARS, 1, 0, "text", "公告内容", e) < 0)
		return -1;
	struct db_stmt *st =
	    db_prepare(db,
		       "UPDATE rescue_intakes SET family_search_at = ?, "
		       "family_search_channel = ?, family_search_text = ?, updated_at = ? "
		       "WHERE id = ?",
		       e);
	if (!st)
		return -1;
	db_bind_text(st, 1, at);
	db_bind_text(st, 2, s->channel);
	db_bind_text(st, 3, s->text ? s->text : "");
	db_bind_text(st, 4, now_text);
	db_bind_int(st, 5, x->id);
	if (db_run(st, e) < 0)
		return -1;
	char detail[80];
	snprintf(detail, sizeof detail, "{\"late\":%d}", strcmp(at, x->family_search_due) > 0);
	return audit_append_id(db, a, "rescue.family_search", "rescue_intake", x->id, detail, e);
}

int rescue_family_search(struct db *db, const struct actor *a, int64_t id, const char *posted_at,
			 const char *channel, const char *text, const char *now, struct err *e)
{
	struct search_arg s = {posted_at, channel, text};
	return intake_step(db, a, id, now, search_fn, &s, e);
}

/* ---- observations ---- */

struct observe_arg {
	const struct rescue_observation_in *in;
	int *fever;
};

static int observe_fn(struct db *db, const struct actor *a, struct rescue_intake *x,
		      const char *now_text, int64_t now, void *arg, struct err *e)
{
	struct observe_arg *o = arg;
	char at[RESCUE_TIME_SZ], date[RESCUE_DATE_SZ], t_text[16];
	int64_t t, limit;
	if (!present(x->status))
		return not_present(e, x->status);
	if (rescue_event_time(o->in->observed_at, "observed_at", now, arrived_unix(x), "到站时间",
			      at, &t, e) < 0)
		return -1;
	if (o->in->temperature_tenths < RESCUE_TEMP_MIN ||
	    o->in->temperature_tenths > RESCUE_TEMP_MAX)
		return err_set(e, 400, "invalid_value", "temperature_tenths",
			       "体温应在 30.0 到 45.0 °C 之间（以 0.1 °C 计）");
	if (rescue_text_check(o->in->symptoms, RESCUE_TEXT_CHARS, 1, 0, "symptoms", "症状", e) <
		0 ||
	    rescue_text_check(o->in->report_to, RESCUE_SHORT_CHARS, 0, 0, "report_to", "报告对象",
			      e) < 0)
		return -1;
	rescue_time_date(t, date);
	if (rescue_policy(db, x->unit_code, "rescue_fever_tenths_c", date, &limit, e) < 0)
		return -1;
	int fever = rescue_is_fever(o->in->temperature_tenths, limit);
	if (fever && rescue_text_check(o->in->report_to, RESCUE_SHORT_CHARS, 0, 1, "report_to",
				       "报告对象：发热人员须报告疫情防控指挥部", e) < 0)
		return -1;
	struct db_stmt *st =
	    db_prepare(db,
		       "INSERT INTO rescue_observations(intake_id, region_code, "
		       "observed_at, temperature_tenths, fever, symptoms, report_to, "
		       "by_user, at) VALUES (?,?,?,?,?,?,?,?,?)",
		       e);
	if (!st)
		return -1;
	db_bind_int(st, 1, x->id);
	db_bind_text(st, 2, x->region_code);
	db_bind_text(st, 3, at);
	db_bind_int(st, 4, o->in->temperature_tenths);
	db_bind_int(st, 5, fever);
	db_bind_text(st, 6, o->in->symptoms);
	db_bind_text(st, 7, o->in->report_to);
	db_bind_text(st, 8, a->username);
	db_bind_text(st, 9, now_text);
	if (db_run(st, e) < 0 || touch(db, x->id, now_text, e) < 0)
		return -1;
	*o->fever = fever;
	snprintf(t_text, sizeof t_text, "%" PRId64, o->in->temperature_tenths);
	char detail[80];
	snprintf(detail, sizeof detail, "{\"temperature_tenths\":%s,\"fever\":%d}", t_text, fever);
	return audit_append_id(db, a, "rescue.observation", "rescue_intake", x->id, detail, e);
}

int rescue_observation_add(struct db *db, const struct actor *a, int64_t id,
			   const struct rescue_observation_in *in, const char *now, int *fever,
			   struct err *e)
{
	int f = 0;
	struct observe_arg o = {in, &f};
	int rc = intake_step(db, a, id, now, observe_fn, &o, e);
	if (fever)
		*fever = f;
	return rc;
}

/* ---- tests ---- */

struct test_arg {
	const char *sampled_at, *result, *lab;
	int64_t *out_id;
};

static int test_fn(struct db *db, const struct actor *a, struct rescue_intake *x,
		   const char *now_text, int64_t now, void *arg, struct err *e)
{
	struct test_arg *ta = arg;
	char at[RESCUE_TIME_SZ];
	int64_t t;
	if (!present(x->status))
		return not_present(e, x->status);
	/* a test taken up to 14 days before the arrival (a certificate brought along) counts */
	if (rescue_event_time(ta->sampled_at, "sampled_at", now, arrived_unix(x) - 14 * 86400,
			      "到站前 14 天", at, &t, e) < 0)
		return -1;
	const char *r = ta->result ? ta->result : "";
	if (strcmp(r, "negative") != 0 && strcmp(r, "positive") != 0)
		return err_set(e, 400, *r ? "invalid_value" : "required", "result",
			       "检测结果应为 negative（阴性）或 positive（阳性）");
	if (rescue_text_check(ta->lab, RESCUE_SHORT_CHARS, 0, 0, "lab", "检测机构", e) < 0)
		return -1;
	struct db_stmt *st =
	    db_prepare(db,
		       "INSERT INTO rescue_tests(intake_id, region_code, sampled_at, "
		       "sampled_unix, result, lab, by_user, at) VALUES (?,?,?,?,?,?,?,?)",
		       e);
	if (!st)
		return -1;
	db_bind_int(st, 1, x->id);
	db_bind_text(st, 2, x->region_code);
	db_bind_text(st, 3, at);
	db_bind_int(st, 4, t);
	db_bind_text(st, 5, r);
	db_bind_text(st, 6, ta->lab ? ta->lab : "");
	db_bind_text(st, 7, a->username);
	db_bind_text(st, 8, now_text);
	if (db_run(st, e) < 0)
		return -1;
	int64_t tid = db_last_id(db);
	if (ta->out_id)
		*ta->out_id = tid;
	if (touch(db, x->id, now_text, e) < 0)
		return -1;
	char detail[96];
	snprintf(detail, sizeof detail, "{\"test_id\":%" PRId64 ",\"result\":\"%s\"}", tid, r);
	return audit_append_id(db, a, "rescue.test", "rescue_intake", x->id, detail, e);
}

int rescue_test_add(struct db *db, const struct actor *a, int64_t id, const char *sampled_at,
		    const char *result, const char *lab, const char *now, int64_t *out_id,
		    struct err *e)
{
	struct test_arg ta = {sampled_at, result, lab, out_id};
	return intake_step(db, a, id, now, test_fn, &ta, e);
}

/* ---- isolation ---- */

struct iso_arg {
	const char *at, *new_end, *reason;
	int64_t room_id;
};

static int iso_start_fn(struct db *db, const struct actor *a, struct rescue_intake *x,
			const char *now_text, int64_t now, void *arg, struct err *e)
{
	struct iso_arg *ia = arg;
	char at[RESCUE_TIME_SZ], date[RESCUE_DATE_SZ], end[RESCUE_DATE_SZ], room[RESCUE_SHORT_SZ];
	char until[RESCUE_DATE_SZ];
	int64_t t, days;
	if (strcmp(x->status, "isolation") == 0)
		return err_set(e, 409, "invalid_step", NULL, "该受助人员已在隔离观察中");
	if (!present(x->status))
		return not_present(e, x->status);
	if (rescue_event_time(ia->at, "at", now, arrived_unix(x), "到站时间", at, &t, e) < 0 ||
	    rescue_text_check(ia->reason, RESCUE_TEXT_CHARS, 1, 1, "reason", "转入隔离的理由", e) <
		0)
		return -1;
	if (ia->room_id <= 0)
		return err_set(e, 400, "required", "room_id", "请选择隔离区的房间");
	if (room_take(db, x->station_id, ia->room_id, "isolation", room, e) < 0)
		return -1;
	rescue_time_date(t, date);
	if (rescue_policy(db, x->unit_code, "rescue_isolation_days", date, &days, e) < 0)
		return -1;
	rescue_isolation_end(date, days, end);
	text_copy(until, sizeof until, x->stay_until);
	if (strcmp(end, until) > 0)
		text_copy(until, sizeof until, end);
	struct db_stmt *st =
	    db_prepare(db,
		       "UPDATE rescue_intakes SET status = 'isolation', room_id = ?, "
		       "isolation_start = ?, isolation_end = ?, isolation_ended_at = '', "
		       "isolation_early = 0, stay_until = ?, updated_at = ? WHERE id = ?",
		       e);
	if (!st)
		return -1;
	db_bind_int(st, 1, ia->room_id);
	db_bind_text(st, 2, date);
	db_bind_text(st, 3, end);
	db_bind_text(st, 4, until);
	db_bind_text(st, 5, now_text);
	db_bind_int(st, 6, x->id);
	if (db_run(st, e) < 0 ||
	    change_add(db, x, "isolation", "start", "", end, ia->reason, "", at, a, e) < 0)
		return -1;
	char detail[96];
	snprintf(detail, sizeof detail, "{\"kind\":\"start\",\"planned_end\":\"%s\"}", end);
	return audit_append_id(db, a, "rescue.isolation", "rescue_intake", x->id, detail, e);
}

int rescue_isolation_start(struct db *db, const struct actor *a, int64_t id, const char *at,
			   int64_t room_id, const char *reason, const char *now, struct err *e)
{
	struct iso_arg ia = {at, NULL, reason, room_id};
	return intake_step(db, a, id, now, iso_start_fn, &ia, e);
}

static int iso_change_fn(struct db *db, const struct actor *a, struct rescue_intake *x,
			 const char *now_text, int64_t now, void *arg, struct err *e)
{
	struct iso_arg *ia = arg;
	const char *kind = NULL;
	char until[RESCUE_DATE_SZ];
	(void)now;
	if (strcmp(x->status, "isolation") != 0)
		return err_set(e, 409, "invalid_step", NULL, "该受助人员不在隔离观察中");
	if (rescue_end_change_check(x->isolation_start, x->isolation_end, ia->new_end, ia->reason,
				    &kind, e) < 0 ||
	    rescue_text_check(ia->reason, RESCUE_TEXT_CHARS, 1, 1, "reason", "理由", e) < 0)
		return -1;
	/* the stay: arrival + the limit, or an approved extension, or the new end if later */
	rescue_stay_until(x->arrived_date, x->stay_limit_days, ia->new_end, until);
	struct db_stmt *st = db_prepare(db,
					"SELECT coalesce(max(new_end), '') FROM rescue_changes "
					"WHERE intake_id = ? AND what = 'stay'",
					e);
	if (!st)
		return -1;
	db_bind_int(st, 1, x->id);
	int rc = db_step(st, e);
	if (rc == 1 && strcmp(db_col_text(st, 0), until) > 0)
		text_copy(until, sizeof until, db_col_text(st, 0));
	db_done(st);
	if (rc < 0)
		return -1;
	st = db_prepare(db,
			"UPDATE rescue_intakes SET isolation_end = ?, stay_until = ?, "
			"updated_at = ? WHERE id = ?",
			e);
	if (!st)
		return -1;
	db_bind_text(st, 1, ia->new_end);
	db_bind_text(st, 2, until);
	db_bind_text(st, 3, now_text);
	db_bind_int(st, 4, x->id);
	if (db_run(st, e) < 0 || change_add(db, x, "isolation", kind, x->isolation_end, ia->new_end,
					    ia->reason, "", now_text, a, e) < 0)
		return -1;
	char detail[128];
	snprintf(detail, sizeof detail,
		 "{\"kind\":\"%s\",\"previous_end\":\"%s\",\"planned_end\":\"%s\"}", kind,
		 x->isolation_end, ia->new_end);
	return audit_append_id(db, a, "rescue.isolation", "rescue_intake", x->id, detail, e);
}

int rescue_isolation_change(struct db *db, const struct actor *a, int64_t id, const char *new_end,
			    const char *reason, const char *now, struct err *e)
{
	struct iso_arg ia = {NULL, new_end, reason, 0};
	return intake_step(db, a, id, now, iso_change_fn, &ia, e);
}

static int iso_end_fn(struct db *db, const struct actor *a, struct rescue_intake *x,
		      const char *now_text, int64_t now, void *arg, struct err *e)
{
	struct iso_arg *ia = arg;
	char at[RESCUE_TIME_SZ], room[RESCUE_SHORT_SZ], start[RESCUE_TIME_SZ];
	int64_t t, start_t, test_id = 0;
	int early = 0;
	if (strcmp(x->status, "isolation") != 0)
		return err_set(e, 409, "invalid_step", NULL, "该受助人员不在隔离观察中");
	snprintf(start, sizeof start, "%sT00:00:00+08:00", x->isolation_start);
	if (rescue_time_parse(start, &start_t) < 0)
		start_t = arrived_unix(x);
	if (start_t < arrived_unix(x))
		start_t = arrived_unix(x);
	if (rescue_event_time(ia->at, "at", now, start_t, "隔离开始", at, &t, e) < 0)
		return -1;
	if (leave_check(db, x, t, &early, &test_id, e) < 0)
		return -1;
	if (ia->room_id <= 0)
		return err_set(e, 400, "required", "room_id", "解除隔离后请安排生活区的房间");
	if (room_take(db, x->station_id, ia->room_id, "general", room, e) < 0)
		return -1;
	struct db_stmt *st =
	    db_prepare(db,
		       "UPDATE rescue_intakes SET status = 'in_station', room_id = ?, "
		       "isolation_ended_at = ?, isolation_early = ?, early_test_id = ?, "
		       "updated_at = ? WHERE id = ?",
		       e);
	if (!st)
		return -1;
	db_bind_int(st, 1, ia->room_id);
	db_bind_text(st, 2, at);
	db_bind_int(st, 3, early);
	if (test_id)
		db_bind_int(st, 4, test_id);
	else
		db_bind_null(st, 4);
	db_bind_text(st, 5, now_text);
	db_bind_int(st, 6, x->id);
	if (db_run(st, e) < 0 ||
	    change_add(db, x, "isolation", early ? "early_end" : "end", x->isolation_end, "",
		       early ? "隔离期未满，凭核酸检测阴性结果解除" : "隔离期满解除", "", at, a,
		       e) < 0)
		return -1;
	char detail[96];
	snprintf(detail, sizeof detail, "{\"kind\":\"end\",\"early\":%d,\"test_id\":%" PRId64 "}",
		 early, test_id);
	return audit_append_id(db, a, "rescue.isolation", "rescue_intake", x->id, detail, e);
}

int rescue_isolation_end_now(struct db *db, const struct actor *a, int64_t id, const char *at,
			     int64_t room_id, const char *now, struct err *e)
{
	struct iso_arg ia = {at, NULL, NULL, room_id};
	return intake_step(db, a, id, now, iso_end_fn, &ia, e);
}

/* ---- stay ---- */

struct stay_arg {
	const char *until, *reason, *approved_by;
};

static int stay_fn(struct db *db, const struct actor *a, struct rescue_intake *x,
		   const char *now_text, int64_t now, void *arg, struct err *e)
{
	struct stay_arg *sa = arg;
	(void)now;
	if (!present(x->status))
		return not_present(e, x->status);
	if (rescue_stay_extend_check(x->stay_until, sa->until, sa->reason, sa->approved_by, e) <
		0 ||
	    rescue_text_check(sa->reason, RESCUE_TEXT_CHARS, 1, 1, "reason", "理由", e) < 0 ||
	    rescue_text_check(sa->approved_by, RESCUE_SHORT_CHARS, 0, 1, "approved_by", "批准人",
			      e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(
	    db, "UPDATE rescue_intakes SET stay_until = ?, updated_at = ? WHERE id = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, sa->until);
	db_bind_text(st, 2, now_text);
	db_bind_int(st, 3, x->id);
	if (db_run(st, e) < 0 || change_add(db, x, "stay", "extend", x->stay_until, sa->until,
					    sa->reason, sa->approved_by, now_text, a, e) < 0)
		return -1;
	char detail[96];
	snprintf(detail, sizeof detail, "{\"previous_until\":\"%s\",\"until\":\"%s\"}",
		 x->stay_until, sa->until);
	return audit_append_id(db, a, "rescue.stay", "rescue_intake", x->id, detail, e);
}

int rescue_stay_extend(struct db *db, const struct actor *a, int64_t id, const char *until,
		       const char *reason, const char *approved_by, const char *now, struct err *e)
{
	struct stay_arg sa = {until, reason, approved_by};
	return intake_step(db, a, id, now, stay_fn, &sa, e);
}

/* ---- discharge ---- */

static int discharge_fn(struct db *db, const struct actor *a, struct rescue_intake *x,
			const char *now_text, int64_t now, void *arg, struct err *e)
{
	const struct rescue_discharge_in *in = arg;
	char at[RESCUE_TIME_SZ], date[RESCUE_DATE_SZ];
	int64_t t, test_id = 0;
	int early = 0, isolated = strcmp(x->status, "isolation") == 0;
	if (!present(x->status))
		return not_present(e, x->status);
	struct rescue_discharge_rec rec = {in->kind, in->ticket, in->destination, in->transfer_to,
					   in->declaration_signed};
	if (rescue_discharge_check(&rec, e) < 0 ||
	    rescue_text_check(in->ticket, RESCUE_SHORT_CHARS, 0, 0, "ticket", "车（船）票", e) <
		0 ||
	    rescue_text_check(in->destination, RESCUE_SHORT_CHARS, 0, 0, "destination", "目的地",
			      e) < 0 ||
	    rescue_text_check(in->transfer_to, RESCUE_SHORT_CHARS, 0, 0, "transfer_to", "接收机构",
			      e) < 0 ||
	    rescue_text_check(in->note, RESCUE_TEXT_CHARS, 1, 0, "note", "备注", e) < 0)
		return -1;
	if (rescue_event_time(in->at, "at", now, arrived_unix(x), "到站时间", at, &t, e) < 0)
		return -1;
	rescue_time_date(t, date);
	if (strcmp(in->kind, "max_stay") == 0 && rescue_max_stay_check(x->stay_until, date, e) < 0)
		return -1;
	if (isolated && strcmp(in->kind, "hospital") != 0 &&
	    leave_check(db, x, t, &early, &test_id, e) < 0)
		return -1;
	const char *k = in->kind;
	int is_home = strcmp(k, "return_home") == 0;
	int is_transfer = strcmp(k, "transfer") == 0 || strcmp(k, "hospital") == 0;
	struct db_stmt *st = db_prepare(
	    db,
	    "UPDATE rescue_intakes SET status = 'discharged', left_at = ?, left_date = ?, "
	    "discharge_kind = ?, ticket = ?, destination = ?, transfer_to = ?, "
	    "declaration_signed = ?, discharge_note = ?, "
	    "isolation_ended_at = CASE WHEN status = 'isolation' THEN ? ELSE isolation_ended_at "
	    "END, "
	    "isolation_early = CASE WHEN status = 'isolation' THEN ? ELSE isolation_early END, "
	    "early_test_id = CASE WHEN ? > 0 THEN ? ELSE early_test_id END, updated_at = ? "
	    "WHERE id = ?",
	    e);
	if (!st)
		return -1;
	int c = 1;
	db_bind_text(st, c++, at);
	db_bind_text(st, c++, date);
	db_bind_text(st, c++, k);
	db_bind_text(st, c++, is_home ? in->ticket : "");
	db_bind_text(st, c++, is_home ? in->destination : "");
	db_bind_text(st, c++, is_transfer ? in->transfer_to : "");
	db_bind_int(st, c++, strcmp(k, "voluntary") == 0 && in->declaration_signed);
	db_bind_text(st, c++, in->note);
	db_bind_text(st, c++, at);
	db_bind_int(st, c++, early);
	db_bind_int(st, c++, test_id);
	db_bind_int(st, c++, test_id);
	db_bind_text(st, c++, now_text);
	db_bind_int(st, c, x->id);
	if (db_run(st, e) < 0)
		return -1;
	if (isolated &&
	    change_add(db, x, "isolation", early ? "early_end" : "end", x->isolation_end, "",
		       strcmp(k, "hospital") == 0 ? "送医"
		       : early ? "隔离期未满，凭核酸检测阴性结果离站"
			       : "隔离期满离站",
		       "", at, a, e) < 0)
		return -1;
	char detail[128];
	snprintf(detail, sizeof detail,
		 "{\"kind\":\"%s\",\"from_isolation\":%d,\"early\":%d,\"test_id\":%" PRId64 "}", k,
		 isolated, early, test_id);
	return audit_append_id(db, a, "rescue.discharge", "rescue_intake", x->id, detail, e);
}

int rescue_discharge(struct db *db, const struct actor *a, int64_t id,
		     const struct rescue_discharge_in *in, const char *now, struct err *e)
{
	return intake_step(db, a, id, now, discharge_fn, (void *)in, e);
}
