/* rescue_outreach.c — street outreach patrols (街面巡查) and the rescue dashboard (see rescue.h).
 *
 * A patrol is one row with its totals and one row per person met (identified by name and ID
 * number, or described), with whether they accepted to come to the station and the masks, warm
 * clothing and food given; the totals are kept on the patrol so the statistics read one row per
 * patrol. Both carry the station's region code and are read through the scope like the intakes.
 *
 * The dashboard is a handful of aggregate queries over the present intakes, the rooms, the
 * arrivals and departures of each day of the period and the patrols of the period, all in one
 * read transaction so its figures agree with each other.
 */
#include "rescue/rescue.h"
#include "rescue/rescue_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/array_grow.h"
#include "core/scope.h"
#include "core/text.h"

#define DASH_ISOLATION_MAX 500

static int forbidden(struct err *e)
{
	return err_set(e, 403, "forbidden", NULL, "您没有救助站业务的权限");
}

/* ------------------------------------------------------------------------------------------ */
/* patrols                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static int contact_check(struct rescue_contact *c, int i, const char *today, struct err *e)
{
	char field[48], id[19];
	snprintf(field, sizeof field, "contacts[%d].name", i);
	if (rescue_text_check(c->name, RESCUE_NAME_CHARS, 0, 0, field, "姓名", e) < 0)
		return -1;
	snprintf(field, sizeof field, "contacts[%d].id_number", i);
	if (rescue_id_check(c->id_number, field, today, id, e) < 0)
		return -1;
	text_copy(c->id_number, sizeof c->id_number, id);
	snprintf(field, sizeof field, "contacts[%d].description", i);
	if (rescue_text_check(c->description, RESCUE_TEXT_CHARS, 1, !c->name[0], field,
			      "体貌特征（不知姓名的须描述）", e) < 0)
		return -1;
	snprintf(field, sizeof field, "contacts[%d].note", i);
	if (rescue_text_check(c->note, RESCUE_TEXT_CHARS, 1, 0, field, "备注", e) < 0)
		return -1;
	const struct {
		int64_t v;
		const char *key, *label;
	} goods[] = {{c->masks, "masks", "口罩"},
		     {c->warm_clothing, "warm_clothing", "御寒衣物"},
		     {c->food, "food", "食品"}};
	for (size_t k = 0; k < sizeof goods / sizeof goods[0]; k++)
		if (goods[k].v < 0 || goods[k].v > RESCUE_MAX_GOODS) {
			snprintf(field, sizeof field, "contacts[%d].%s", i, goods[k].key);
			return err_set(e, 400, "invalid_value", field, "%s数量应为 0 到 %d",
				       goods[k].label, RESCUE_MAX_GOODS);
		}
	return 0;
}

static int patrol_create_txn(struct db *db, const struct actor *a, struct rescue_patrol_in *in,
			     const char *now_text, int64_t now, int64_t *out_id, struct err *e)
{
	struct rescue_station s;
	char today[RESCUE_DATE_SZ], detail[200];
	int64_t people = in->n_contacts, accepted = 0, masks = 0, warm = 0, food = 0;
	if (rescue_station_load(db, a, in->station_id, &s, e) < 0)
		return -1;
	rescue_time_date(now, today);
	if (!in->date[0])
		return err_set(e, 400, "required", "date", "请填写巡查日期");
	if (!rescue_date_valid(in->date))
		return err_set(e, 400, "invalid_value", "date", "巡查日期应为 YYYY-MM-DD");
	if (strcmp(in->date, today) > 0)
		return err_set(e, 400, "invalid_value", "date", "巡查日期不能晚于今天（%s）",
			       today);
	if (rescue_text_check(in->area, RESCUE_SHORT_CHARS, 0, 1, "area", "巡查区域", e) < 0 ||
	    rescue_text_check(in->staff, RESCUE_SHORT_CHARS, 0, 1, "staff", "巡查人员", e) < 0 ||
	    rescue_text_check(in->note, RESCUE_TEXT_CHARS, 1, 0, "note", "备注", e) < 0)
		return -1;
	if (in->n_contacts < 0 || in->n_contacts > RESCUE_MAX_CONTACTS)
		return err_set(e, 400, "invalid_value", "contacts", "一次巡查最多登记 %d 人",
			       RESCUE_MAX_CONTACTS);
	for (int i = 0; i < in->n_contacts; i++) {
		struct rescue_contact *c = &in->contacts[i];
		if (contact_check(c, i, in->date, e) < 0)
			return -1;
		accepted += c->accepted ? 1 : 0;
		masks += c->masks;
		warm += c->warm_clothing;
		food += c->food;
	}
	struct db_stmt *st =
	    db_prepare(db,
		       "INSERT INTO rescue_patrols(station_id, region_code, patrol_date, "
		       "area, staff, note, people, accepted, masks, warm_clothing, food, "
		       "created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
		       e);
	if (!st)
		return -1;
	db_bind_int(st, 1, s.id);
	db_bind_text(st, 2, s.region_code);
	db_bind_text(st, 3, in->date);
	db_bind_text(st, 4, in->area);
	db_bind_text(st, 5, in->staff);
	db_bind_text(st, 6, in->note);
	db_bind_int(st, 7, people);
	db_bind_int(st, 8, accepted);
	db_bind_int(st, 9, masks);
	db_bind_int(st, 10, warm);
	db_bind_int(st, 11, food);
	db_bind_text(st, 12, a->username);
	db_bind_text(st, 13, now_text);
	if (db_run(st, e) < 0)
		return -1;
	int64_t pid = db_last_id(db);
	for (int i = 0; i < in->n_contacts; i++) {
		const struct rescue_contact *c = &in->contacts[i];
		st = db_prepare(
		    db,
		    "INSERT INTO rescue_patrol_contacts(patrol_id, region_code, name, "
		    "id_number, description, accepted, masks, warm_clothing, food, note) "
		    "VALUES (?,?,?,?,?,?,?,?,?,?)",
		    e);
		if (!st)
			return -1;
		db_bind_int(st, 1, pid);
		db_bind_text(st, 2, s.region_code);
		db_bind_text(st, 3, c->name);
		db_bind_text(st, 4, c->id_number);
		db_bind_text(st, 5, c->description);
		db_bind_int(st, 6, c->accepted ? 1 : 0);
		db_bind_int(st, 7, c->masks);
		db_bind_int(st, 8, c->warm_clothing);
		db_bind_int(st, 9, c->food);
		db_bind_text(st, 10, c->note);
		if (db_run(st, e) < 0)
			return -1;
	}
	*out_id = pid;
	snprintf(detail, sizeof detail,
		 "{\"station_id\":%" PRId64 ",\"date\":\"%s\",\"people\":%" PRId64
		 ",\"accepted\":%" PRId64 "}",
		 s.id, in->date, people, accepted);
	return audit_append_id(db, a, "rescue.patrol", "rescue_patrol", pid, detail, e);
}

int rescue_patrol_create(struct db *db, const struct actor *a, struct rescue_patrol_in *in,
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
	return rescue_finish(db, began, patrol_create_txn(db, a, in, now_text, t, out_id, e), e);
}

#define PATROL_COLS                                                                                \
	"p.id, p.station_id, s.name, p.region_code, p.patrol_date, p.area, p.staff, p.note, "      \
	"p.people, p.accepted, p.masks, p.warm_clothing, p.food, p.created_by, p.created_at"

static void patrol_from_row(struct db_stmt *st, struct rescue_patrol *p)
{
	memset(p, 0, sizeof *p);
	p->id = db_col_int(st, 0);
	p->station_id = db_col_int(st, 1);
	text_copy(p->station_name, sizeof p->station_name, db_col_text(st, 2));
	text_copy(p->region_code, sizeof p->region_code, db_col_text(st, 3));
	text_copy(p->date, sizeof p->date, db_col_text(st, 4));
	text_copy(p->area, sizeof p->area, db_col_text(st, 5));
	text_copy(p->staff, sizeof p->staff, db_col_text(st, 6));
	text_copy(p->note, sizeof p->note, db_col_text(st, 7));
	p->people = db_col_int(st, 8);
	p->accepted = db_col_int(st, 9);
	p->masks = db_col_int(st, 10);
	p->warm_clothing = db_col_int(st, 11);
	p->food = db_col_int(st, 12);
	text_copy(p->created_by, sizeof p->created_by, db_col_text(st, 13));
	text_copy(p->created_at, sizeof p->created_at, db_col_text(st, 14));
}

int rescue_patrol_get(struct db *db, const struct actor *a, int64_t id,
		      struct rescue_patrol_detail *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_RESCUE))
		return rescue_not_found(e, "该巡查记录");
	int began = rescue_begin_read(db, e), rc, alloc = 0;
	if (began < 0)
		return -1;
	struct db_stmt *st = scope_prepare(
	    db, &a->scope,
	    "SELECT " PATROL_COLS " FROM rescue_patrols p JOIN rescue_stations s ON "
	    "s.id = p.station_id WHERE p.id = ? AND ",
	    "p.region_code", "", e);
	if (!st)
		goto fail;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	rc = db_step(st, e);
	if (rc == 1)
		patrol_from_row(st, &out->patrol);
	db_done(st);
	if (rc == 0)
		rc = rescue_not_found(e, "该巡查记录");
	if (rc < 0)
		goto fail;
	st =
	    db_prepare(db,
		       "SELECT name, id_number, description, accepted, masks, warm_clothing, food, "
		       "note FROM rescue_patrol_contacts WHERE patrol_id = ? ORDER BY id",
		       e);
	if (!st)
		goto fail;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->contacts, out->n_contacts, &alloc, sizeof *out->contacts, 4) <
		    0) {
			rc = err_oom(e);
			break;
		}
		struct rescue_contact *c = &out->contacts[out->n_contacts++];
		memset(c, 0, sizeof *c);
		text_copy(c->name, sizeof c->name, db_col_text(st, 0));
		text_copy(c->id_number, sizeof c->id_number, db_col_text(st, 1));
		text_copy(c->description, sizeof c->description, db_col_text(st, 2));
		c->accepted = (int)db_col_int(st, 3);
		c->masks = db_col_int(st, 4);
		c->warm_clothing = db_col_int(st, 5);
		c->food = db_col_int(st, 6);
		text_copy(c->note, sizeof c->note, db_col_text(st, 7));
	}
	db_done(st);
	if (rc < 0)
		goto fail;
	rescue_end_read(db, began);
	return 0;
fail:
	rescue_end_read(db, began);
	rescue_patrol_detail_release(out);
	return -1;
}

void rescue_patrol_detail_release(struct rescue_patrol_detail *d)
{
	free(d->contacts);
	d->contacts = NULL;
	d->n_contacts = 0;
}

#define PATROL_WHERE                                                                               \
	" AND (? = 0 OR p.station_id = ?) AND (? = '' OR p.patrol_date >= ?)"                      \
	" AND (? = '' OR p.patrol_date <= ?)"

static int patrol_bind(struct db_stmt *st, const struct rescue_patrol_query *q, int i)
{
	db_bind_int(st, i++, q->station_id);
	db_bind_int(st, i++, q->station_id);
	db_bind_text(st, i++, q->from);
	db_bind_text(st, i++, q->from);
	db_bind_text(st, i++, q->to);
	db_bind_text(st, i++, q->to);
	return i;
}

int rescue_patrol_list(struct db *db, const struct actor *a, const struct rescue_patrol_query *q,
		       struct rescue_patrol_page *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_RESCUE))
		return forbidden(e);
	if ((q->from[0] && !rescue_date_valid(q->from)) || (q->to[0] && !rescue_date_valid(q->to)))
		return err_set(e, 400, "invalid_value",
			       q->from[0] && !rescue_date_valid(q->from) ? "from" : "to",
			       "日期应为 YYYY-MM-DD");
	if (q->limit < 0 || q->limit > RESCUE_PAGE_MAX || q->offset < 0)
		return err_set(e, 400, "invalid_value", "limit", "limit 应为 1 到 %d",
			       RESCUE_PAGE_MAX);
	out->limit = q->limit ? q->limit : 50;
	out->offset = q->offset;
	int began = rescue_begin_read(db, e), rc, alloc = 0, i;
	if (began < 0)
		return -1;
	struct db_stmt *st =
	    scope_prepare(db, &a->scope, "SELECT count(*) FROM rescue_patrols p WHERE ",
				  "p.region_code", PATROL_WHERE, e);
	if (!st)
		goto fail;
	patrol_bind(st, q, scope_bind(st, &a->scope, 1));
	rc = db_step(st, e);
	out->total = rc == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc < 0)
		goto fail;
	st = scope_prepare(
	    db, &a->scope,
	    "SELECT " PATROL_COLS " FROM rescue_patrols p JOIN rescue_stations s "
	    "ON s.id = p.station_id WHERE ",
	    "p.region_code",
	    PATROL_WHERE " ORDER BY p.patrol_date DESC, p.id DESC LIMIT ? OFFSET ?", e);
	if (!st)
		goto fail;
	i = patrol_bind(st, q, scope_bind(st, &a->scope, 1));
	db_bind_int(st, i++, out->limit);
	db_bind_int(st, i, out->offset);
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, 16) < 0) {
			rc = err_oom(e);
			break;
		}
		patrol_from_row(st, &out->items[out->n++]);
	}
	db_done(st);
	if (rc < 0)
		goto fail;
	rescue_end_read(db, began);
	return 0;
fail:
	rescue_end_read(db, began);
	rescue_patrol_page_release(out);
	return -1;
}

void rescue_patrol_page_release(struct rescue_patrol_page *p)
{
	free(p->items);
	p->items = NULL;
	p->n = 0;
}

/* ------------------------------------------------------------------------------------------ */
/* dashboard                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* A scoped aggregate: head + scope(col) + " AND (? = 0 OR <station col> = ?)" + tail. The
 * station filter is part of tail (literal); binds: scope, station twice, then the caller's. */
static struct db_stmt *dash_prepare(struct db *db, const struct actor *a, const char *head,
				    const char *col, const char *tail, int64_t station_id,
				    int *next, struct err *e)
{
	struct db_stmt *st = scope_prepare(db, &a->scope, head, col, tail, e);
	if (!st)
		return NULL;
	int i = scope_bind(st, &a->scope, 1);
	db_bind_int(st, i++, station_id);
	db_bind_int(st, i++, station_id);
	*next = i;
	return st;
}

static int dash_counts(struct db *db, const struct actor *a, struct rescue_dashboard *d,
		       struct err *e)
{
	int i, rc;
	/* the two leading parameters come before the scope's */
	struct db_stmt *st = scope_prepare(
	    db, &a->scope,
	    "SELECT count(*), coalesce(sum(i.status = 'isolation'), 0), "
	    "coalesce(sum(i.stay_until <> '' AND i.stay_until < ?), 0), "
	    "coalesce(sum(i.unidentified = 1 AND i.family_search_at = '' "
	    "  AND i.family_search_due <> '' AND i.family_search_due < ?), 0) "
	    "FROM rescue_intakes i WHERE ",
	    "i.region_code",
	    " AND (? = 0 OR i.station_id = ?) AND i.status IN ('in_station','isolation')", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, d->today);
	db_bind_text(st, 2, d->now);
	i = scope_bind(st, &a->scope, 3);
	db_bind_int(st, i++, d->station_id);
	db_bind_int(st, i, d->station_id);
	rc = db_step(st, e);
	if (rc == 1) {
		d->in_station = (int)db_col_int(st, 0);
		d->in_isolation = (int)db_col_int(st, 1);
		d->over_stay = (int)db_col_int(st, 2);
		d->family_search_overdue = (int)db_col_int(st, 3);
	}
	db_done(st);
	if (rc < 0)
		return -1;

	st =
	    dash_prepare(db, a,
			 "SELECT count(DISTINCT r.station_id), coalesce(sum(r.beds), 0), "
			 "coalesce(sum(CASE WHEN r.zone = 'isolation' THEN r.beds END), 0) "
			 "FROM rescue_rooms r WHERE ",
			 "r.region_code", " AND (? = 0 OR r.station_id = ?)", d->station_id, &i, e);
	if (!st)
		return -1;
	rc = db_step(st, e);
	if (rc == 1) {
		d->beds = (int)db_col_int(st, 1);
		d->isolation_beds = (int)db_col_int(st, 2);
	}
	db_done(st);
	if (rc < 0)
		return -1;

	st = dash_prepare(
	    db, a,
	    "SELECT coalesce(sum(r.zone = 'general'), 0), "
	    "coalesce(sum(r.zone = 'isolation'), 0) FROM rescue_intakes i "
	    "JOIN rescue_rooms r ON r.id = i.room_id WHERE ",
	    "i.region_code",
	    " AND (? = 0 OR i.station_id = ?) AND i.status IN ('in_station','isolation')",
	    d->station_id, &i, e);
	if (!st)
		return -1;
	rc = db_step(st, e);
	if (rc == 1) {
		d->isolation_used = (int)db_col_int(st, 1);
		d->beds_used = (int)db_col_int(st, 0) + d->isolation_used;
	}
	db_done(st);
	if (rc < 0)
		return -1;
	d->beds_free = d->beds > d->beds_used ? d->beds - d->beds_used : 0;
	d->isolation_free =
	    d->isolation_beds > d->isolation_used ? d->isolation_beds - d->isolation_used : 0;

	st = dash_prepare(db, a, "SELECT count(*) FROM rescue_stations s WHERE ", "s.region_code",
			  " AND (? = 0 OR s.id = ?)", d->station_id, &i, e);
	if (!st)
		return -1;
	rc = db_step(st, e);
	if (rc == 1)
		d->stations = (int)db_col_int(st, 0);
	db_done(st);
	if (rc < 0)
		return -1;

	st = dash_prepare(
	    db, a, "SELECT coalesce(max(i.arrived_date), '') FROM rescue_intakes i WHERE ",
	    "i.region_code", " AND (? = 0 OR i.station_id = ?)", d->station_id, &i, e);
	if (!st)
		return -1;
	rc = db_step(st, e);
	if (rc == 1)
		text_copy(d->last_arrival, sizeof d->last_arrival, db_col_text(st, 0));
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static struct rescue_dash_day *day_of(struct rescue_dashboard *d, const char *date)
{
	if (!rescue_date_valid(date))
		return NULL;
	int64_t k = rescue_days_between(d->from, date);
	return k >= 0 && k < d->n_days ? &d->days[k] : NULL;
}

static int dash_days(struct db *db, const struct actor *a, struct rescue_dashboard *d,
		     struct err *e)
{
	int i, rc;
	for (int k = 0; k < d->n_days; k++) {
		memset(&d->days[k], 0, sizeof d->days[k]);
		rescue_date_add(d->from, k, d->days[k].date);
	}
	struct db_stmt *st = dash_prepare(
	    db, a,
	    "SELECT i.arrived_date, count(*), coalesce(sum(i.decision = 'admit'), 0), "
	    "coalesce(sum(i.decision = 'isolate'), 0), coalesce(sum(i.decision = 'hospital'), 0), "
	    "coalesce(sum(i.decision = 'refuse'), 0) FROM rescue_intakes i WHERE ",
	    "i.region_code",
	    " AND (? = 0 OR i.station_id = ?) AND i.arrived_date >= ? AND i.arrived_date <= ? "
	    "GROUP BY i.arrived_date",
	    d->station_id, &i, e);
	if (!st)
		return -1;
	db_bind_text(st, i++, d->from);
	db_bind_text(st, i, d->to);
	while ((rc = db_step(st, e)) == 1) {
		struct rescue_dash_day *day = day_of(d, db_col_text(st, 0));
		if (!day)
			continue;
		day->arrivals = (int)db_col_int(st, 1);
		day->admitted = (int)db_col_int(st, 2);
		day->isolated = (int)db_col_int(st, 3);
		day->referred = (int)db_col_int(st, 4);
		day->refused = (int)db_col_int(st, 5);
	}
	db_done(st);
	if (rc < 0)
		return -1;
	st = dash_prepare(db, a, "SELECT i.left_date, count(*) FROM rescue_intakes i WHERE ",
			  "i.region_code",
			  " AND (? = 0 OR i.station_id = ?) AND i.status = 'discharged' "
			  "AND i.left_date >= ? AND i.left_date <= ? GROUP BY i.left_date",
			  d->station_id, &i, e);
	if (!st)
		return -1;
	db_bind_text(st, i++, d->from);
	db_bind_text(st, i, d->to);
	while ((rc = db_step(st, e)) == 1) {
		struct rescue_dash_day *day = day_of(d, db_col_text(st, 0));
		if (day)
			day->discharges = (int)db_col_int(st, 1);
	}
	db_done(st);
	if (rc < 0)
		return -1;
	for (int k = 0; k < d->n_days; k++) {
		d->arrivals += d->days[k].arrivals;
		d->admitted += d->days[k].admitted;
		d->isolated += d->days[k].isolated;
		d->referred += d->days[k].referred;
		d->refused += d->days[k].refused;
		d->discharges += d->days[k].discharges;
	}

	st = dash_prepare(
	    db, a,
	    "SELECT count(*), coalesce(sum(p.people), 0), coalesce(sum(p.accepted), 0), "
	    "coalesce(sum(p.masks), 0), coalesce(sum(p.warm_clothing), 0), "
	    "coalesce(sum(p.food), 0) FROM rescue_patrols p WHERE ",
	    "p.region_code",
	    " AND (? = 0 OR p.station_id = ?) AND p.patrol_date >= ? "
	    "AND p.patrol_date <= ?",
	    d->station_id, &i, e);
	if (!st)
		return -1;
	db_bind_text(st, i++, d->from);
	db_bind_text(st, i, d->to);
	rc = db_step(st, e);
	if (rc == 1) {
		d->patrols = db_col_int(st, 0);
		d->people_met = db_col_int(st, 1);
		d->accepted = db_col_int(st, 2);
		d->masks = db_col_int(st, 3);
		d->warm_clothing = db_col_int(st, 4);
		d->food = db_col_int(st, 5);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int dash_isolation(struct db *db, const struct actor *a, struct rescue_dashboard *d,
			  struct err *e)
{
	int i, rc, alloc = 0;
	struct db_stmt *st = dash_prepare(
	    db, a,
	    "SELECT i.id, i.station_id, s.name, i.name, i.unidentified, coalesce(r.name, ''), "
	    "i.isolation_start, i.isolation_end FROM rescue_intakes i "
	    "JOIN rescue_stations s ON s.id = i.station_id "
	    "LEFT JOIN rescue_rooms r ON r.id = i.room_id WHERE ",
	    "i.region_code",
	    " AND (? = 0 OR i.station_id = ?) AND i.status = 'isolation' "
	    "ORDER BY i.isolation_end, i.id LIMIT ?",
	    d->station_id, &i, e);
	if (!st)
		return -1;
	db_bind_int(st, i, DASH_ISOLATION_MAX);
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&d->isolation, d->n_isolation, &alloc, sizeof *d->isolation, 16) <
		    0) {
			rc = err_oom(e);
			break;
		}
		struct rescue_dash_isolation *x = &d->isolation[d->n_isolation++];
		memset(x, 0, sizeof *x);
		x->intake_id = db_col_int(st, 0);
		x->station_id = db_col_int(st, 1);
		text_copy(x->station_name, sizeof x->station_name, db_col_text(st, 2));
		text_copy(x->name, sizeof x->name, db_col_text(st, 3));
		x->unidentified = (int)db_col_int(st, 4);
		text_copy(x->room_name, sizeof x->room_name, db_col_text(st, 5));
		text_copy(x->start, sizeof x->start, db_col_text(st, 6));
		text_copy(x->planned_end, sizeof x->planned_end, db_col_text(st, 7));
		x->days_left = rescue_date_valid(x->planned_end)
				   ? rescue_days_between(d->today, x->planned_end)
				   : 0;
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int rescue_dashboard_get(struct db *db, const struct actor *a, int64_t station_id, const char *from,
			 const char *to, const char *now, struct rescue_dashboard *out,
			 struct err *e)
{
	int64_t t;
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_RESCUE))
		return forbidden(e);
	if (rescue_now(now, out->now, &t, e) < 0)
		return -1;
	rescue_time_date(t, out->today);
	out->station_id = station_id > 0 ? station_id : 0;
	if (to && *to && !rescue_date_valid(to))
		return err_set(e, 400, "invalid_value", "to", "to 应为日期 YYYY-MM-DD");
	if (from && *from && !rescue_date_valid(from))
		return err_set(e, 400, "invalid_value", "from", "from 应为日期 YYYY-MM-DD");
	text_copy(out->to, sizeof out->to, to && *to ? to : out->today);
	if (from && *from)
		text_copy(out->from, sizeof out->from, from);
	else
		rescue_date_add(out->to, -13, out->from);
	int64_t span = rescue_days_between(out->from, out->to) + 1;
	if (span < 1)
		return err_set(e, 400, "invalid_value", "from", "起始日期不能晚于截止日期");
	if (span > RESCUE_DASH_MAX_DAYS)
		return err_set(e, 400, "invalid_value", "from", "统计期间最长 %d 天",
			       RESCUE_DASH_MAX_DAYS);
	out->n_days = (int)span;
	int began = rescue_begin_read(db, e), rc = 0;
	if (began < 0)
		return -1;
	if (out->station_id) {
		struct rescue_station s;
		rc = rescue_station_load(db, a, out->station_id, &s, e);
	}
	if (rc == 0)
		rc = dash_counts(db, a, out, e);
	if (rc == 0)
		rc = dash_days(db, a, out, e);
	if (rc == 0)
		rc = dash_isolation(db, a, out, e);
	rescue_end_read(db, began);
	if (rc < 0)
		rescue_dashboard_release(out);
	return rc;
}

void rescue_dashboard_release(struct rescue_dashboard *d)
{
	free(d->isolation);
	d->isolation = NULL;
	d->n_isolation = 0;
}
