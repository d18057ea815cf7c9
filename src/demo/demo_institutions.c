/* demo_institutions.c — the demo step "institutions": the city's service institutions under
 * closed management and their daily reports of 2020-01-24..2020-04-26 (DOMAIN.md, "Emergency
 * operations" and "The published figures"). Owned by the institutions module; run by
 * demo_steps.c whether or not the assistance scenario is on.
 *
 * What it makes (scale 1; other scales scale the elderly homes — at least 3 — and the lottery
 * outlets, the rest stays):
 *   - 147 elderly homes: one 敬老院 per township (122) and 25 county-level homes (the first,
 *     潍城区社会福利中心, is the home of the demo login `institution`), with 11,840 residents
 *     and 2,085 staff split over them exactly (largest remainder over random weights);
 *   - the children's welfare home (潍坊市儿童福利院): 108 children, 120 staff in two shifts on
 *     the register, 53 staying on site under closed management (what its reports say);
 *   - 13 rescue stations (the city's and 12 counties'), 10 funeral homes, a marriage office per
 *     county, 40 lottery outlets;
 *   - all opened before 2020 and under closed management from 2020-01-24 (still in force);
 *   - every day of 2020-01-24..2020-04-26, a report from each: a full daily report on the first
 *     day and about one day in seven, zero reports otherwise (headcounts carried — nobody moved);
 *     filed between 07:00 and the deadline in force (the policy parameter per type, 10:00 in the
 *     demo), 0.3 % late; no infections; six fevers (one per scale, at least one) in elderly
 *     homes, each an alert acknowledged by the county within the hour and closed the next morning
 *     after a normal re-check.
 * The report's figures for the period (institutions_period_report) are then read back from the
 * records for the summary: 147 / 11,840 / 2,085 / 0 for elderly homes at scale 1.
 *
 * Reports of the demo home are filed by `institution`; the others — institutions without an
 * account in the demo — were phoned in and entered by their county's staff (on_behalf = 1).
 * Everything is one transaction with multi-row-free prepared INSERTs (≈ 21,000 reports and as
 * many versions at scale 1) and one audit row; the counters (inst_report_stats) are filled by
 * one INSERT … SELECT, the same sums each report's own transaction would have added. */
#include "demo/demo_steps.h"
#include "demo/demo_internal.h"

#include "audit/audit.h"
#include "institutions/institutions.h"
#include "policy/policy.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FROM "2020-01-24"
#define TO "2020-04-26"
#define PUBLISHED_HOMES 147
#define PUBLISHED_RESIDENTS 11840
#define PUBLISHED_STAFF 2085
#define DEMO_HOME_COUNTY "370702" /* the `institution` login's county (demo.c) */

struct place {
	char code[16];
	char name[128];
	char unit[16];
	int county; /* 1 for a county-level unit (its staff user is county_CODE, else zone_CODE) */
};

struct inst {
	int64_t id;
	const struct institutions_type *t;
	char name[160];
	char region[16], unit[16], area[16];
	int64_t capacity, residents, staff;  /* registered */
	int64_t on_site_staff;               /* what its reports say */
	char contact[32], phone[16], opened[11];
	char deadline_hhmm[8];
	int64_t deadline_min;
	char filer[40];
	int on_behalf;
};

struct world {
	int ncounties, ntowns;
	struct place county[32];
	struct place *town;
	int n, alloc;
	struct inst *v;
};

static int load_places(struct db *db, struct world *w, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT r.code, r.name, coalesce(r.unit_code, ''), "
					    "coalesce(u.kind, 'county') FROM regions r "
					    "LEFT JOIN units u ON u.code = r.unit_code WHERE r.level = ? "
					    "AND r.code >= ? AND r.code < ? ORDER BY r.code", e);
	if (!st)
		return -1;
	for (int level = 3; level <= 4; level++) {
		db_bind_int(st, 1, level);
		db_bind_text(st, 2, DEMO_CITY);
		db_bind_text(st, 3, DEMO_CITY "z");
		int rc, alloc = 0;
		while ((rc = db_step(st, e)) == 1) {
			struct place *p;
			if (level == 3) {
				if (w->ncounties == 32)
					continue;
				p = &w->county[w->ncounties++];
			} else {
				if (w->ntowns == alloc) {
					int na = alloc ? alloc * 2 : 128;
					struct place *more = realloc(w->town, (size_t)na * sizeof *more);
					if (!more) {
						db_done(st);
						return err_oom(e);
					}
					w->town = more;
					alloc = na;
				}
				p = &w->town[w->ntowns++];
			}
			snprintf(p->code, sizeof p->code, "%s", db_col_text(st, 0));
			snprintf(p->name, sizeof p->name, "%s", db_col_text(st, 1));
			snprintf(p->unit, sizeof p->unit, "%s", db_col_text(st, 2));
			p->county = strcmp(db_col_text(st, 3), "zone") != 0;
		}
		db_done(st);
		if (rc < 0)
			return -1;
	}
	if (w->ncounties == 0 || w->ntowns == 0)
		return err_set(e, 500, "internal", NULL, "区划数据中没有 %s 的县区和镇街", DEMO_CITY);
	return 0;
}

static struct inst *add(struct world *w, const struct institutions_type *t, const struct place *p,
			int level_county, const char *name, struct err *e)
{
	if (w->n == w->alloc) {
		int na = w->alloc ? w->alloc * 2 : 256;
		struct inst *more = realloc(w->v, (size_t)na * sizeof *more);
		if (!more) {
			err_oom(e);
			return NULL;
		}
		w->v = more;
		w->alloc = na;
	}
	struct inst *x = &w->v[w->n++];
	memset(x, 0, sizeof *x);
	x->t = t;
	snprintf(x->name, sizeof x->name, "%s", name);
	snprintf(x->region, sizeof x->region, "%s", p->code);
	snprintf(x->unit, sizeof x->unit, "%s", p->unit);
	snprintf(x->area, sizeof x->area, "%.*s", level_county ? 6 : 9, p->code);
	return x;
}

static const struct place *county_of(const struct world *w, const char *code)
{
	for (int i = 0; i < w->ncounties; i++)
		if (strcmp(w->county[i].code, code) == 0)
			return &w->county[i];
	return &w->county[0];
}

/* Split total over n parts by weights (largest remainder): exact sum, each ≥ floor. */
static void split(int64_t total, const uint32_t *weight, int n, int64_t min_each, int64_t *out)
{
	uint64_t wsum = 0;
	for (int i = 0; i < n; i++)
		wsum += weight[i];
	int64_t rest = total - min_each * n, used = 0;
	if (rest < 0)
		rest = 0;
	for (int i = 0; i < n; i++) {
		out[i] = min_each + (int64_t)((uint64_t)rest * weight[i] / wsum);
		used += out[i];
	}
	/* hand out what is left one by one, largest weights first (a few steps) */
	for (int64_t left = total - used; left > 0;) {
		int best = 0;
		for (int i = 1; i < n; i++)
			if (weight[i] > weight[best])
				best = i;
		for (int i = 0; i < n && left > 0; i++) {
			int k = (best + i) % n;
			out[k]++;
			left--;
		}
	}
}

static void person(struct demo_rng *r, struct inst *x)
{
	char given[16];
	int male = demo_rng_bp(r, 5000);
	demo_given_name(r, male, (int)demo_rng_range(r, 1960, 1990), given, sizeof given);
	snprintf(x->contact, sizeof x->contact, "%s%s", demo_surname(r), given);
	snprintf(x->phone, sizeof x->phone, "13%d%08" PRId64, (int)demo_rng_range(r, 5, 9),
		 demo_rng_range(r, 0, 99999999));
	int64_t day = demo_rng_range(r, demo_days_from_civil(1995, 1, 1),
				     demo_days_from_civil(2019, 6, 30));
	demo_format_day(day, x->opened);
}

/* Plan every institution (no writes). */
static int plan(struct world *w, const struct demo_options *o, struct demo_rng *r, struct err *e)
{
	const struct institutions_type *elderly = institutions_type_find("elderly_home"),
				       *welfare = institutions_type_find("children_welfare_home"),
				       *rescue = institutions_type_find("rescue_station"),
				       *funeral = institutions_type_find("funeral_home"),
				       *marriage = institutions_type_find("marriage_office"),
				       *lottery = institutions_type_find("lottery_outlet");
	char name[160];
	int homes = (int)(PUBLISHED_HOMES * o->scale + 0.5);
	if (homes < 3)
		homes = 3;
	const struct place *home_county = county_of(w, DEMO_HOME_COUNTY);

	/* elderly homes: the demo login's first, then one per township (spread evenly when fewer),
	 * then county-level homes round the counties */
	static const char *const suffix[] = {"社会福利中心", "颐养院", "老年公寓", "康养中心", "护理院"};
	int first = w->n;
	snprintf(name, sizeof name, "%s社会福利中心", home_county->name);
	if (!add(w, elderly, home_county, 1, name, e))
		return -1;
	int towns = homes - 1 < w->ntowns ? homes - 1 : w->ntowns;
	for (int i = 0; i < towns; i++) {
		const struct place *p = &w->town[(int64_t)i * w->ntowns / towns];
		snprintf(name, sizeof name, "%s敬老院", p->name);
		if (!add(w, elderly, p, 0, name, e))
			return -1;
	}
	int per_county[32] = {0};
	per_county[home_county - w->county] = 1;
	for (int i = 0; w->n - first < homes; i++) {
		int c = (int)((home_county - w->county) + 1 + i) % w->ncounties;
		const struct place *p = &w->county[c];
		int k = per_county[c]++ % (int)(sizeof suffix / sizeof suffix[0]);
		snprintf(name, sizeof name, "%s%s%s", p->name, suffix[k], per_county[c] > 5 ? "分院" : "");
		if (!add(w, elderly, p, 1, name, e))
			return -1;
	}
	/* residents and staff: the published totals (× homes / 147 at other scales), exactly */
	int64_t residents = (int64_t)PUBLISHED_RESIDENTS * homes / PUBLISHED_HOMES;
	int64_t staff = (int64_t)PUBLISHED_STAFF * homes / PUBLISHED_HOMES;
	if (homes == PUBLISHED_HOMES) {
		residents = PUBLISHED_RESIDENTS;
		staff = PUBLISHED_STAFF;
	}
	uint32_t *wt = calloc((size_t)homes, sizeof *wt);
	int64_t *res = calloc((size_t)homes, sizeof *res), *stf = calloc((size_t)homes, sizeof *stf);
	if (!wt || !res || !stf) {
		free(wt);
		free(res);
		free(stf);
		return err_oom(e);
	}
	for (int i = 0; i < homes; i++)
		wt[i] = (uint32_t)demo_rng_range(r, 40, 130);
	split(residents, wt, homes, 1, res);
	for (int i = 0; i < homes; i++) /* about one staff for 5–6 residents, jittered */
		wt[i] = (uint32_t)(res[i] * (uint32_t)demo_rng_range(r, 80, 120));
	split(staff, wt, homes, 1, stf);
	for (int i = 0; i < homes; i++) {
		struct inst *x = &w->v[first + i];
		x->residents = res[i];
		x->staff = x->on_site_staff = stf[i];
		x->capacity = res[i] + res[i] * demo_rng_range(r, 10, 40) / 100 + 2;
		person(r, x);
	}
	free(wt);
	free(res);
	free(stf);

	/* the children's welfare home: 53 staff on site instead of 120 in two shifts */
	const struct place *city_seat = county_of(w, "370705");
	struct inst *x = add(w, welfare, city_seat, 1, "潍坊市儿童福利院", e);
	if (!x)
		return -1;
	x->residents = 108;
	x->capacity = 150;
	x->staff = 120;
	x->on_site_staff = 53;
	person(r, x);

	/* rescue stations: the city's and one per other county */
	for (int c = -1; c < w->ncounties; c++) {
		if (c >= 0 && w->county + c == city_seat)
			continue;
		if (c < 0)
			snprintf(name, sizeof name, "潍坊市救助管理站");
		else
			snprintf(name, sizeof name, "%s救助管理站", w->county[c].name);
		if (!(x = add(w, rescue, c < 0 ? city_seat : &w->county[c], 1, name, e)))
			return -1;
		x->residents = demo_rng_range(r, 4, 40);
		x->capacity = x->residents + demo_rng_range(r, 10, 40);
		x->staff = x->on_site_staff = demo_rng_range(r, 6, 20);
		person(r, x);
	}
	/* funeral homes: the city's and nine counties' */
	static const char *const funeral_at[] = {"370705", "370703", "370724", "370725", "370781",
						 "370782", "370783", "370784", "370785", "370786"};
	for (size_t i = 0; i < sizeof funeral_at / sizeof funeral_at[0]; i++) {
		const struct place *p = county_of(w, funeral_at[i]);
		snprintf(name, sizeof name, "%s殡仪馆", i == 0 ? "潍坊市" : p->name);
		if (!(x = add(w, funeral, p, 1, name, e)))
			return -1;
		x->staff = x->on_site_staff = demo_rng_range(r, 15, 45);
		person(r, x);
	}
	/* marriage registration offices: one per county */
	for (int c = 0; c < w->ncounties; c++) {
		snprintf(name, sizeof name, "%s婚姻登记处", w->county[c].name);
		if (!(x = add(w, marriage, &w->county[c], 1, name, e)))
			return -1;
		x->staff = x->on_site_staff = demo_rng_range(r, 4, 12);
		person(r, x);
	}
	/* lottery outlets: 40 × scale (at least 2) over the townships */
	int outlets = (int)(40 * o->scale + 0.5);
	if (outlets < 2)
		outlets = 2;
	for (int i = 0; i < outlets; i++) {
		const struct place *p = &w->town[demo_rng_below(r, (uint32_t)w->ntowns)];
		snprintf(name, sizeof name, "中国福利彩票第 %s%02d 号投注站（%s）", p->code + 4, i % 100,
			 p->name);
		if (!(x = add(w, lottery, p, 0, name, e)))
			return -1;
		x->staff = x->on_site_staff = demo_rng_range(r, 1, 3);
		person(r, x);
	}
	return 0;
}

/* Deadlines from the policy in force (every month of the period reads the same demo value, but
 * the step asks per unit and type as the module does). */
static int deadlines(struct db *db, struct world *w, struct err *e)
{
	for (int i = 0; i < w->n; i++) {
		struct inst *x = &w->v[i];
		if (policy_value(db, x->unit, "all", x->t->deadline_key, "2020-01", &x->deadline_min, e) < 0)
			return -1;
	}
	return 0;
}

static int write_institutions(struct db *db, struct world *w, int64_t demo_user, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO institutions(name, type, region_code, unit_code, area_code, address, "
	    "capacity, residents, staff, contact_name, contact_phone, opened_on, cm_from, "
	    "created_at, created_by, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	    e);
	if (!st)
		return -1;
	for (int i = 0; i < w->n; i++) {
		struct inst *x = &w->v[i];
		char address[200];
		snprintf(address, sizeof address, "%s", x->name);
		db_bind_text(st, 1, x->name);
		db_bind_text(st, 2, x->t->code);
		db_bind_text(st, 3, x->region);
		db_bind_text(st, 4, x->unit);
		db_bind_text(st, 5, x->area);
		db_bind_text(st, 6, address);
		db_bind_int(st, 7, x->capacity);
		db_bind_int(st, 8, x->residents);
		db_bind_int(st, 9, x->staff);
		db_bind_text(st, 10, x->contact);
		db_bind_text(st, 11, x->phone);
		db_bind_text(st, 12, x->opened);
		db_bind_text(st, 13, FROM);
		db_bind_text(st, 14, "2020-01-23T18:00:00+08:00");
		db_bind_text(st, 15, "system");
		db_bind_text(st, 16, "2020-01-23T18:00:00+08:00");
		if (db_run(st, e) < 0)
			return -1;
		x->id = db_last_id(db);
		const struct place *c = NULL;
		for (int k = 0; k < w->ncounties && !c; k++)
			if (strcmp(w->county[k].code, x->unit) == 0)
				c = &w->county[k];
		snprintf(x->filer, sizeof x->filer, "%s_%s", c ? "county" : "zone", x->unit);
		x->on_behalf = 1;
	}
	/* the demo login reports for the first elderly home */
	struct inst *home = &w->v[0];
	snprintf(home->filer, sizeof home->filer, "institution");
	home->on_behalf = 0;
	if (demo_user > 0) {
		st = db_prepare(db, "INSERT INTO institution_reporters(user_id, institution_id, "
				    "attached_at, attached_by) VALUES (?,?,?,?)", e);
		if (!st)
			return -1;
		db_bind_int(st, 1, demo_user);
		db_bind_int(st, 2, home->id);
		db_bind_text(st, 3, "2020-01-23T18:00:00+08:00");
		db_bind_text(st, 4, "system");
		if (db_run(st, e) < 0)
			return -1;
	}
	return 0;
}

struct tallies {
	int64_t reports, zero, late, fevers;
};

static void at_time(const char *day, int minutes, char out[32])
{
	snprintf(out, 32, "%sT%02d:%02d:%02d+08:00", day, minutes / 60, minutes % 60,
		 (minutes * 37) % 60);
}

static int write_reports(struct db *db, struct world *w, const struct demo_options *o,
			 struct demo_rng *r, struct tallies *tl, struct err *e)
{
	int64_t d0, d1;
	if (demo_parse_day(FROM, &d0) < 0 || demo_parse_day(TO, &d1) < 0)
		return err_set(e, 500, "internal", NULL, "演示日期有误");
	int ndays = (int)(d1 - d0 + 1);
	/* fevers: (institution, day) pairs among the elderly homes, not on the first day */
	int nfever = (int)(6 * o->scale + 0.5);
	if (nfever < 1)
		nfever = 1;
	int homes = 0;
	while (homes < w->n && strcmp(w->v[homes].t->code, "elderly_home") == 0)
		homes++;
	int fever_inst[16], fever_day[16];
	if (nfever > 16)
		nfever = 16;
	for (int i = 0; i < nfever; i++) {
		fever_inst[i] = (int)demo_rng_below(r, (uint32_t)homes);
		fever_day[i] = 1 + (int)demo_rng_below(r, (uint32_t)(ndays - 2));
	}
	struct db_stmt *rep = db_prepare(
	    db,
	    "INSERT INTO inst_reports(id, institution_id, report_date, region_code, kind, "
	    "residents_present, staff_on_site, admissions, departures, temperature_checks, fever, "
	    "suspected, confirmed, isolated, deaths, goods_days, note, submitted_at, submitted_by, "
	    "deadline_at, on_time, on_behalf, version, updated_at, updated_by) "
	    "VALUES (?,?,?,?,?,?,?,?,?,?,?,0,0,?,0,?,?,?,?,?,?,?,1,?,?)",
	    e);
	if (!rep)
		return -1;
	int64_t next = db_query_int(db, "SELECT coalesce(max(id), 0) + 1 FROM inst_reports", NULL);
	if (next < 1)
		return err_set(e, 500, "internal", NULL, "无法读取日报编号");
	int64_t *goods = calloc((size_t)w->n, sizeof *goods);
	if (!goods)
		return err_oom(e);
	int rc = -1;
	for (int d = 0; d < ndays; d++) {
		char day[11];
		demo_format_day(d0 + d, day);
		for (int i = 0; i < w->n; i++) {
			struct inst *x = &w->v[i];
			int fever = 0;
			for (int k = 0; k < nfever; k++)
				fever |= fever_inst[k] == i && fever_day[k] == d;
			int daily = d == 0 || fever || demo_rng_bp(r, 1400);
			if (daily)
				goods[i] = demo_rng_range(r, 15, 60);
			char deadline[32], sub[32];
			institutions_deadline_at(day, x->deadline_min, deadline);
			int late = d > 0 && demo_rng_bp(r, 30);
			int minute = late ? (int)(x->deadline_min + demo_rng_range(r, 3, 240))
					  : (int)demo_rng_range(r, 7 * 60, x->deadline_min - 1);
			at_time(day, minute, sub);
			int on_time = institutions_on_time(sub, deadline);
			int has_res = x->t->has_residents;
			int64_t people = (has_res ? x->residents : 0) + x->on_site_staff;
			int p = 1;
			db_bind_int(rep, p++, next);
			db_bind_int(rep, p++, x->id);
			db_bind_text(rep, p++, day);
			db_bind_text(rep, p++, x->region);
			db_bind_text(rep, p++, daily ? "daily" : "zero");
			if (has_res)
				db_bind_int(rep, p++, x->residents);
			else
				db_bind_null(rep, p++);
			db_bind_int(rep, p++, x->on_site_staff);
			if (has_res) {
				db_bind_int(rep, p++, 0);
				db_bind_int(rep, p++, 0);
			} else {
				db_bind_null(rep, p++);
				db_bind_null(rep, p++);
			}
			db_bind_int(rep, p++, people);
			db_bind_int(rep, p++, fever);
			db_bind_int(rep, p++, fever); /* isolated for observation */
			db_bind_int(rep, p++, goods[i]);
			db_bind_text(rep, p++, fever ? "一名老人晨检体温 37.5℃，已单间隔离观察并报告县区" : "");
			db_bind_text(rep, p++, sub);
			db_bind_text(rep, p++, x->filer);
			db_bind_text(rep, p++, deadline);
			db_bind_int(rep, p++, on_time);
			db_bind_int(rep, p++, x->on_behalf);
			db_bind_text(rep, p++, sub);
			db_bind_text(rep, p++, x->filer);
			if (db_run(rep, e) < 0)
				goto out;
			tl->reports++;
			tl->zero += !daily;
			tl->late += !on_time;
			if (fever) {
				/* the alert: acknowledged within the hour, closed the next morning */
				char ack[32], closed[32], next_day[11];
				at_time(day, minute + 25, ack);
				demo_format_day(d0 + d + 1, next_day);
				at_time(next_day, 10 * 60 + 30, closed);
				struct db_stmt *al = db_prepare(
				    db,
				    "INSERT INTO inst_alerts(institution_id, region_code, unit_code, "
				    "report_date, kind, summary, status, raised_at, ack_at, ack_by, "
				    "ack_note, closed_at, closed_by, action) VALUES (?,?,?,?,'health',"
				    "'发热 1 人，隔离观察 1 人','closed',?,?,?,?,?,?,?)",
				    e);
				if (!al)
					goto out;
				const char *who = x->filer[0] == 'i' ? "county_" DEMO_HOME_COUNTY : x->filer;
				db_bind_int(al, 1, x->id);
				db_bind_text(al, 2, x->region);
				db_bind_text(al, 3, x->unit);
				db_bind_text(al, 4, day);
				db_bind_text(al, 5, sub);
				db_bind_text(al, 6, ack);
				db_bind_text(al, 7, who);
				db_bind_text(al, 8, "已电话核实，发热老人单间隔离观察，联系定点医院");
				db_bind_text(al, 9, closed);
				db_bind_text(al, 10, who);
				db_bind_text(al, 11, "次日复测体温正常，核酸检测阴性，排除疑似，解除隔离观察");
				if (db_run(al, e) < 0)
					goto out;
				tl->fevers++;
			}
			next++;
		}
	}
	/* every report's first version, and the counters its transaction would have kept */
	if (db_exec(db,
		    "INSERT INTO inst_report_versions(report_id, version, kind, residents_present, "
		    "staff_on_site, admissions, departures, temperature_checks, fever, suspected, "
		    "confirmed, isolated, deaths, goods_days, note, changed_at, changed_by, reason, "
		    "changes) SELECT id, 1, kind, residents_present, staff_on_site, admissions, "
		    "departures, temperature_checks, fever, suspected, confirmed, isolated, deaths, "
		    "goods_days, note, submitted_at, submitted_by, '', '{}' FROM inst_reports "
		    "ORDER BY id;"
		    "INSERT INTO inst_report_stats(report_date, area_code, type, unit_code, received, "
		    "on_time, zero) SELECT r.report_date, i.area_code, i.type, i.unit_code, count(*), "
		    "sum(r.on_time), sum(CASE WHEN r.kind = 'zero' THEN 1 ELSE 0 END) "
		    "FROM inst_reports r JOIN institutions i ON i.id = r.institution_id "
		    "GROUP BY r.report_date, i.area_code, i.type, i.unit_code;",
		    e) < 0)
		goto out;
	rc = 0;
out:
	free(goods);
	return rc;
}

int demo_institutions(struct db *db, const struct actor *sys, const struct demo_options *o,
		      struct demo_report *r, struct err *e);

int demo_institutions(struct db *db, const struct actor *sys, const struct demo_options *o,
		      struct demo_report *r, struct err *e)
{
	struct world w;
	struct demo_rng rng;
	struct tallies tl = {0};
	struct timespec t0, t1;
	int rc = -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&w, 0, sizeof w);
	demo_rng_seed(&rng, o->seed, 0x1457);
	int64_t have = db_query_int(db, "SELECT count(*) FROM institutions", NULL);
	if (have != 0) {
		demo_note(r, "机构：数据库中已有机构，未生成演示机构");
		return have < 0 ? err_set(e, 500, "internal", NULL, "无法读取机构表") : 0;
	}
	int64_t demo_user = db_query_int(db, "SELECT id FROM users WHERE username = 'institution'", NULL);
	if (load_places(db, &w, e) < 0 || plan(&w, o, &rng, e) < 0)
		goto out;
	if (db_begin_write(db, e) < 0)
		goto out;
	if (deadlines(db, &w, e) < 0 || write_institutions(db, &w, demo_user, e) < 0 ||
	    write_reports(db, &w, o, &rng, &tl, e) < 0) {
		db_rollback(db);
		goto out;
	}
	char detail[200];
	snprintf(detail, sizeof detail,
		 "{\"institutions\":%d,\"reports\":%" PRId64 ",\"from\":\"%s\",\"to\":\"%s\","
		 "\"zero\":%" PRId64 ",\"late\":%" PRId64 ",\"alerts\":%" PRId64 "}",
		 w.n, tl.reports, FROM, TO, tl.zero, tl.late, tl.fevers);
	if (audit_append(db, sys, "demo.institutions", "city:" DEMO_CITY, "ok", detail, e) < 0 ||
	    db_commit(db, e) < 0) {
		db_rollback(db);
		goto out;
	}

	/* the summary: the period report, from the records */
	struct institutions_period *p = malloc(sizeof *p);
	if (!p) {
		err_oom(e);
		goto out;
	}
	if (institutions_period_report(db, sys, FROM, TO, "", p, e) < 0) {
		free(p);
		goto out;
	}
	int n;
	const struct institutions_type *types = institutions_types(&n);
	const struct institutions_period_type *eh = &p->types[0];
	clock_gettime(CLOCK_MONOTONIC, &t1);
	demo_note(r, "机构与日报：%d 家机构，%s..%s 日报 %" PRId64 " 份（零报告 %" PRId64
		     "，迟报 %" PRId64 "），发热预警 %" PRId64 " 条（均已确认、关闭）；%.2f 秒",
		  w.n, FROM, TO, tl.reports, tl.zero, tl.late, tl.fevers,
		  (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (int i = 0; i < n; i++) {
		const struct institutions_period_type *x = &p->types[i];
		if (!x->count)
			continue;
		demo_note(r, "  %-12s count %" PRId64 "  residents %" PRId64 "  staff %" PRId64
			     "  infections %" PRId64 "  （%s）",
			  types[i].code, x->count, x->residents, x->staff, x->infections, types[i].label);
	}
	demo_note(r, "  reports expected %" PRId64 "  received %" PRId64 "  on_time %" PRId64
		     "  zero %" PRId64,
		  p->reports.expected, p->reports.received, p->reports.on_time, p->reports.zero);
	if (eh->count == PUBLISHED_HOMES && eh->residents == PUBLISHED_RESIDENTS &&
	    eh->staff == PUBLISHED_STAFF && eh->infections == 0)
		demo_note(r, "  养老机构 147 家、在院 11,840 人、工作人员 2,085 人、感染 0：与公布数字一致");
	else
		demo_note(r, "  养老机构 %" PRId64 " 家（规模 %g；公布数字 147 / 11,840 / 2,085 / 0 在规模 1 时精确）",
			  eh->count, o->scale);
	free(p);
	rc = 0;
out:
	free(w.town);
	free(w.v);
	return rc;
}
