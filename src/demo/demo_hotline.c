/* demo_hotline.c — the demo city's hotlines, January–April 2020: the 24-hour assistance line and
 * the child-protection line, a few hundred call records, and the child-protection cases that came
 * of them (children whose guardians were confirmed, suspected or isolated, or away on epidemic
 * duty) with their whole record — assessment, plan, temporary care (relatives, foster families,
 * the children's welfare home, the village committee), follow-ups every few days, the care ended
 * when the guardian came back, closure — and a few assistance-line cases. Most cases are closed;
 * a few of late April are still open (so the queue and the overview have something to show). (A
 * demo step, see demo_steps.h; owned by the hotline module.)
 *
 * The records are written straight into the hotline tables with their 2020 time stamps (the
 * module's functions stamp the current time), in one write transaction with one audit row
 * (demo.hotline). Everything is a pure function of the seed and of the registry the demo made:
 * the children are registry persons found from random points of the person id range, their
 * guardians the heads of their households. The counts do not depend on the scale.
 */
#include "demo/demo_internal.h"
#include "demo/demo_steps.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "hotline/hotline.h"
#include "policy/policy.h"

int demo_hotline(struct db *db, const struct actor *sys, const struct demo_options *o,
		 struct demo_report *r, struct err *e);

#define N_CALLS 360	      /* call records, latest versions */
#define N_CHILD_CASES 36      /* child-protection cases (4 still open at the end of April) */
#define N_ASSIST_CASES 12     /* assistance-line cases, all closed */
#define N_CORRECTIONS 6       /* calls corrected by a later record */
#define STREAM 0x484f544c4eULL /* "HOTLN": this step's own random stream */
#define OPERATOR "hotline"    /* the demo's hotline operator */
#define ZONE (8 * 3600)

struct village {
	char code[16];
};

struct child {
	int64_t id, guardian_id;
	char name[128], id_number[19], birth_date[11], region[16];
	char guardian_name[128], guardian_phone[24];
};

struct ctx {
	struct db *db;
	struct demo_rng rng;
	struct village *v;
	int nv;
	int64_t params[2][3]; /* response minutes: [assistance, child][emergency, urgent, normal] */
	int64_t followup[2];
	int calls, cases, closed, steps, placements, callbacks;
};

/* 2020-MM-DD HH:MM:SS local → "…+08:00". */
static void stamp(int64_t day, int sec, char out[32])
{
	hotline_time_format(day * 86400 + sec - ZONE, out);
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void later(const char *iso, int64_t seconds, char out[32])
{
	int64_t t = 0;
	hotline_time_parse(iso, &t);
	hotline_time_format(t + seconds, out);
}

static int run(struct db_stmt *st, struct err *e)
{
	return st ? db_run(st, e) : -1;
}

static int load_villages(struct ctx *c, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    c->db, "SELECT code FROM regions WHERE level = 5 AND code LIKE '3707%' ORDER BY code", e);
	if (!st)
		return -1;
	int rc, alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (c->nv == alloc) {
			alloc = alloc ? alloc * 2 : 1024;
			struct village *nv = realloc(c->v, (size_t)alloc * sizeof *nv);
			if (!nv) {
				db_done(st);
				return err_set(e, 500, "internal", NULL, "内存不足");
			}
			c->v = nv;
		}
		snprintf(c->v[c->nv++].code, 16, "%s", db_col_text(st, 0));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (c->nv == 0)
		return err_set(e, 500, "internal", NULL, "演示热线：区划中没有村居");
	return 0;
}

static int load_params(struct ctx *c, struct err *e)
{
	static const char *const kinds[2] = {"assistance", "child_protection"};
	static const char *const urg[3] = {"emergency", "urgent", "normal"};
	for (int k = 0; k < 2; k++) {
		for (int u = 0; u < 3; u++)
			if (policy_value(c->db, POLICY_DEMO_CITY, "all", hotline_response_key(kinds[k], urg[u]),
					 "2020-01", &c->params[k][u], e) < 0)
				return -1;
		if (policy_value(c->db, POLICY_DEMO_CITY, "all", hotline_followup_key(kinds[k]),
				 "2020-01", &c->followup[k], e) < 0)
			return -1;
	}
	return 0;
}

/* A child (under 16 in 2020, not the head) from a random point of the person ids; 0 found, 1
 * none there. */
static int pick_child(struct ctx *c, int64_t from, struct child *ch, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    c->db,
	    "SELECT p.id, p.name, p.id_number, p.birth_date, p.region_code, hp.id, hp.name, "
	    "hp.phone FROM persons p JOIN households h ON h.id = p.household_id JOIN persons hp ON "
	    "hp.id = h.head_person_id WHERE p.id >= ? AND p.status = 'active' AND p.id <> hp.id AND "
	    "p.birth_date > '2004-06-30' AND p.birth_date < '2019-01-01' ORDER BY p.id LIMIT 1",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, from);
	int rc = db_step(st, e);
	if (rc == 1) {
		ch->id = db_col_int(st, 0);
		snprintf(ch->name, sizeof ch->name, "%s", db_col_text(st, 1));
		snprintf(ch->id_number, sizeof ch->id_number, "%s", db_col_text(st, 2));
		snprintf(ch->birth_date, sizeof ch->birth_date, "%s", db_col_text(st, 3));
		snprintf(ch->region, sizeof ch->region, "%s", db_col_text(st, 4));
		ch->guardian_id = db_col_int(st, 5);
		snprintf(ch->guardian_name, sizeof ch->guardian_name, "%s", db_col_text(st, 6));
		snprintf(ch->guardian_phone, sizeof ch->guardian_phone, "%s", db_col_text(st, 7));
	}
	db_done(st);
	return rc < 0 ? -1 : rc == 1 ? 0 : 1;
}

static void caller(struct ctx *c, char name[64], char phone[16])
{
	if (demo_rng_bp(&c->rng, 1000)) {
		snprintf(name, 64, "匿名");
	} else {
		char given[16];
		int male = (int)demo_rng_below(&c->rng, 2);
		demo_given_name(&c->rng, male, 1950 + (int)demo_rng_below(&c->rng, 50), given,
				sizeof given);
		snprintf(name, 64, "%s%s", demo_surname(&c->rng), given);
	}
	static const char *const pre[] = {"135", "136", "138", "139", "150", "152", "158", "186"};
	snprintf(phone, 16, "%s%08u", pre[demo_rng_below(&c->rng, 8)],
		 (unsigned)demo_rng_below(&c->rng, 100000000));
}

struct call_row {
	const char *line, *category, *urgency, *outcome, *advice;
	char called_at[32], callback_due[32], region[16], description[256];
	int duration;
	char name[64], phone[16];
};

static int insert_call(struct ctx *c, const struct call_row *k, int64_t corrects, int64_t root,
		       const char *reason, const char *recorded_at, int64_t *id, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    c->db,
	    "INSERT INTO hotline_calls(line_code, called_at, duration_seconds, caller_name, "
	    "caller_phone, region_code, address, category, description, urgency, operator, outcome, "
	    "advice, callback_due, corrects_id, root_id, correction_reason, recorded_at, recorded_by) "
	    "VALUES (?,?,?,?,?,?,'',?,?,?,?,?,?,?,?,?,?,?,?)",
	    e);
	if (!st)
		return -1;
	db_bind_text(st, 1, k->line);
	db_bind_text(st, 2, k->called_at);
	db_bind_int(st, 3, k->duration);
	db_bind_text(st, 4, k->name);
	db_bind_text(st, 5, k->phone);
	db_bind_text(st, 6, k->region);
	db_bind_text(st, 7, k->category);
	db_bind_text(st, 8, k->description);
	db_bind_text(st, 9, k->urgency);
	db_bind_text(st, 10, OPERATOR);
	db_bind_text(st, 11, k->outcome);
	db_bind_text(st, 12, k->advice ? k->advice : "");
	db_bind_text(st, 13, k->callback_due);
	if (corrects)
		db_bind_int(st, 14, corrects);
	else
		db_bind_null(st, 14);
	if (root)
		db_bind_int(st, 15, root);
	else
		db_bind_null(st, 15);
	db_bind_text(st, 16, reason ? reason : "");
	db_bind_text(st, 17, recorded_at);
	db_bind_text(st, 18, OPERATOR);
	if (db_run(st, e) < 0)
		return -1;
	*id = db_last_id(c->db);
	c->calls += corrects ? 0 : 1;
	return 0;
}

static int step(struct ctx *c, int64_t case_id, const char *name, const char *at, const char *by,
		json_t *rec, struct err *e)
{
	char *text = rec ? json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(rec);
	if (!text)
		return err_set(e, 500, "internal", NULL, "内存不足");
	struct db_stmt *st = db_prepare(
	    c->db,
	    "INSERT INTO hotline_case_steps(case_id, step, at, by_user, record) VALUES (?,?,?,?,?)",
	    e);
	int rc = -1;
	if (st) {
		db_bind_int(st, 1, case_id);
		db_bind_text(st, 2, name);
		db_bind_text(st, 3, at);
		db_bind_text(st, 4, by);
		db_bind_text(st, 5, text);
		rc = db_run(st, e);
	}
	free(text);
	c->steps++;
	return rc;
}

/* The situations and how often (basis points of the cases). */
static const struct {
	const char *code, *note;
	uint32_t weight;
} situations[] = {
	{"isolated", "父母均在集中隔离点隔离观察", 4000},
	{"confirmed", "监护人确诊新冠肺炎住院治疗", 1500},
	{"suspected", "监护人为疑似病例，在定点医院隔离治疗", 1500},
	{"epidemic_duty", "父母均为医护人员，在一线参加疫情防控", 2000},
	{"unable_other", "监护人因病住院，家中无其他成年人", 1000},
};

static const struct {
	const char *kind, *place;
	uint32_t weight;
} places[] = {
	{"relatives", "由祖父母临时照料", 4500},
	{"institution", "潍坊市儿童福利院临时照料区", 2500},
	{"village", "村（居）委会安排专人照料", 2000},
	{"foster", "爱心家庭临时寄养", 1000},
};

/* One child-protection case from its call: the whole record up to `end_day` (day number). */
static int child_case(struct ctx *c, int64_t call_id, const struct call_row *k,
		      const struct child *ch, int open_stage, struct err *e)
{
	uint32_t sw[5], pw[4];
	for (int i = 0; i < 5; i++)
		sw[i] = situations[i].weight;
	for (int i = 0; i < 4; i++)
		pw[i] = places[i].weight;
	int si = demo_rng_pick(&c->rng, sw, 5), pi = demo_rng_pick(&c->rng, pw, 4);
	int u = strcmp(k->urgency, "emergency") == 0 ? 0 : strcmp(k->urgency, "urgent") == 0 ? 1 : 2;
	char county_user[32], opened[32], due[32], assessed[32], planned[32], at[32];
	snprintf(county_user, sizeof county_user, "county_%.6s", ch->region);
	later(k->called_at, k->duration + 60, opened);
	hotline_assess_due(opened, c->params[1][u], due);
	/* assessed within the target 9 times in 10, late otherwise */
	int64_t target = c->params[1][u] * 60;
	int64_t took = demo_rng_bp(&c->rng, 9000) ? demo_rng_range(&c->rng, target / 4, target)
						  : target + demo_rng_range(&c->rng, 600, 3600);
	later(opened, took, assessed);
	later(assessed, demo_rng_range(&c->rng, 1800, 7200), planned);
	const char *status = open_stage == 1 ? "intake" : open_stage == 2 ? "assessed" : open_stage == 3 ? "active" : "closed";
	int64_t followup_days = c->followup[1];
	/* the care: starts the day of the plan, ends 10–21 days later when the guardian is back */
	int64_t start_day = 0, end_day;
	hotline_time_parse(planned, &start_day);
	start_day = (start_day + ZONE) / 86400;
	end_day = start_day + demo_rng_range(&c->rng, 10, 21);
	char start[11], end[11], next_due[11] = "", closed_at[32] = "";
	demo_format_day(start_day, start);
	demo_format_day(end_day, end);
	if (open_stage == 3) { /* the follow-ups recorded up to 30 April, the next one due after */
		int64_t lastf = start_day, apr30 = demo_days_from_civil(2020, 4, 30);
		for (int64_t d = start_day + followup_days; d <= apr30; d += followup_days)
			lastf = d;
		demo_format_day(lastf + followup_days, next_due);
	}
	if (!open_stage)
		stamp(end_day + 1, 10 * 3600 + (int)demo_rng_below(&c->rng, 7200), closed_at);

	struct db_stmt *st = db_prepare(
	    c->db,
	    "INSERT INTO hotline_cases(kind, line_code, call_id, region_code, urgency, status, "
	    "subject_name, subject_person_id, subject_id_number, subject_birth_date, guardian_name, "
	    "guardian_person_id, guardian_phone, guardian_situation, guardian_note, "
	    "care_arrangement, care_note, summary, risk, in_scope, plan, followup_days, assigned_to, "
	    "opened_at, opened_by, assess_due, assessed_at, next_followup_due, closed_at, closed_by, "
	    "outcome, outcome_note, updated_at) VALUES ('child_protection','child',?,?,?,?,?,?,?,?,"
	    "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	    e);
	if (!st)
		return -1;
	int i = 1;
	const int assessed_yet = open_stage != 1, planned_yet = open_stage == 0 || open_stage == 3;
	db_bind_int(st, i++, call_id);
	db_bind_text(st, i++, ch->region);
	db_bind_text(st, i++, k->urgency);
	db_bind_text(st, i++, status);
	db_bind_text(st, i++, ch->name);
	db_bind_int(st, i++, ch->id);
	db_bind_text(st, i++, ch->id_number);
	db_bind_text(st, i++, ch->birth_date);
	db_bind_text(st, i++, ch->guardian_name);
	db_bind_int(st, i++, ch->guardian_id);
	db_bind_text(st, i++, ch->guardian_phone);
	db_bind_text(st, i++, situations[si].code);
	db_bind_text(st, i++, situations[si].note);
	db_bind_text(st, i++, open_stage == 0 ? "guardian" : planned_yet ? places[pi].kind : "none");
	db_bind_text(st, i++, open_stage == 0 ? "监护人解除隔离（出院）后接回家中" : planned_yet ? places[pi].place : "");
	db_bind_text(st, i++, k->description);
	db_bind_text(st, i++, assessed_yet ? (u == 0 ? "high" : "medium") : "");
	if (assessed_yet)
		db_bind_int(st, i++, 1);
	else
		db_bind_null(st, i++);
	db_bind_text(st, i++, planned_yet ? "安排临时照料，落实生活物资，每 3 天回访一次，监护人恢复监护能力后接回" : "");
	db_bind_int(st, i++, planned_yet ? followup_days : 0);
	db_bind_text(st, i++, county_user);
	db_bind_text(st, i++, opened);
	db_bind_text(st, i++, OPERATOR);
	db_bind_text(st, i++, due);
	db_bind_text(st, i++, assessed_yet ? assessed : "");
	db_bind_text(st, i++, next_due);
	db_bind_text(st, i++, closed_at);
	db_bind_text(st, i++, open_stage ? "" : county_user);
	db_bind_text(st, i++, open_stage ? "" : "guardian_resumed");
	db_bind_text(st, i++, open_stage ? "" : "监护人恢复监护，儿童返回家中");
	db_bind_text(st, i++, open_stage ? (assessed_yet ? planned : opened) : closed_at);
	if (db_run(st, e) < 0)
		return -1;
	int64_t id = db_last_id(c->db);
	c->cases++;
	c->closed += open_stage == 0;
	/* the record */
	if (step(c, id, "open", opened, OPERATOR,
		 json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:s, s:s}", "line", "child", "kind",
			   "child_protection", "urgency", k->urgency, "region_code", ch->region,
			   "response_minutes", (json_int_t)c->params[1][u], "assess_due", due, "call_id",
			   (json_int_t)call_id, "guardian_situation", situations[si].code,
			   "assigned_to", county_user),
		 e) < 0)
		return -1;
	if (!assessed_yet)
		return 0;
	if (step(c, id, "assess", assessed, county_user,
		 json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:b, s:s, s:s}", "risk",
			   u == 0 ? "high" : "medium", "findings", "电话联系并入户核实，儿童无人照料",
			   "guardian_situation", situations[si].code, "in_scope", 1, "care_arrangement",
			   "none", "assess_due", due, "on_time", took <= target, "status_before",
			   "intake", "status", "assessed"),
		 e) < 0)
		return -1;
	if (!planned_yet)
		return 0;
	if (step(c, id, "plan", planned, county_user,
		 json_pack("{s:s, s:I, s:s, s:s}", "plan",
			   "安排临时照料，落实生活物资，每 3 天回访一次，监护人恢复监护能力后接回",
			   "followup_days", (json_int_t)followup_days, "status_before", "assessed",
			   "status", "active"),
		 e) < 0)
		return -1;
	later(planned, 3600, at);
	st = db_prepare(c->db,
			"INSERT INTO hotline_placements(case_id, kind, place_name, carer_name, "
			"start_date, end_date, end_note, started_by, ended_by) VALUES (?,?,?,?,?,?,?,?,?)",
			e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, places[pi].kind);
	db_bind_text(st, 3, places[pi].place);
	db_bind_text(st, 4, strcmp(places[pi].kind, "relatives") == 0 ? "祖父母" : "");
	db_bind_text(st, 5, start);
	db_bind_text(st, 6, open_stage ? "" : end);
	db_bind_text(st, 7, open_stage ? "" : "监护人恢复监护，接回家中");
	db_bind_text(st, 8, county_user);
	db_bind_text(st, 9, open_stage ? "" : county_user);
	if (db_run(st, e) < 0)
		return -1;
	int64_t pid = db_last_id(c->db);
	c->placements++;
	if (step(c, id, "place", at, county_user,
		 json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "placement_id", (json_int_t)pid, "kind",
			   places[pi].kind, "place_name", places[pi].place, "start_date", start,
			   "status_before", "active", "status", "active"),
		 e) < 0)
		return -1;
	if (step(c, id, "resource", at, county_user,
		 json_pack("{s:s, s:s, s:I, s:s, s:s, s:s}", "kind", "goods", "note",
			   "口罩、消毒液和生活用品", "amount_fen", (json_int_t)20000, "resource_status", "linked",
			   "status_before", "active", "status", "active"),
		 e) < 0)
		return -1;
	/* follow-ups every followup_days until the care ends (or until the end of April) */
	int64_t last = open_stage ? demo_days_from_civil(2020, 4, 30) : end_day;
	for (int64_t d = start_day + followup_days; d <= last; d += followup_days) {
		char fat[32], day[11], nd[11];
		stamp(d, 9 * 3600 + (int)demo_rng_below(&c->rng, 8 * 3600), fat);
		demo_format_day(d, day);
		hotline_followup_due(day, followup_days, nd);
		if (step(c, id, "followup", fat, county_user,
			 json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "method",
				   demo_rng_bp(&c->rng, 6000) ? "phone" : "home", "date", day, "note",
				   "儿童生活正常，情绪稳定", "next_followup_due", nd, "status_before",
				   "active", "status", "active"),
			 e) < 0)
			return -1;
	}
	if (open_stage)
		return 0;
	stamp(end_day, 15 * 3600, at);
	if (step(c, id, "place_end", at, county_user,
		 json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "placement_id", (json_int_t)pid,
			   "end_date", end, "note", "监护人恢复监护，接回家中", "care_arrangement",
			   "guardian", "status_before", "active", "status", "active"),
		 e) < 0)
		return -1;
	return step(c, id, "close", closed_at, county_user,
		    json_pack("{s:s, s:s, s:s, s:s}", "outcome", "guardian_resumed", "note",
			      "监护人恢复监护，儿童返回家中", "status_before", "active", "status",
			      "closed"),
		    e);
}

/* An assistance-line case: assessed, planned, goods linked, one follow-up, resolved. */
static int assist_case(struct ctx *c, int64_t call_id, const struct call_row *k, struct err *e)
{
	char county_user[32], opened[32], due[32], assessed[32], planned[32], closed[32];
	int u = strcmp(k->urgency, "emergency") == 0 ? 0 : strcmp(k->urgency, "urgent") == 0 ? 1 : 2;
	snprintf(county_user, sizeof county_user, "county_%.6s", k->region);
	later(k->called_at, k->duration + 60, opened);
	hotline_assess_due(opened, c->params[0][u], due);
	later(opened, c->params[0][u] * 30, assessed);
	later(assessed, 3600, planned);
	later(planned, 86400 * 3, closed);
	struct db_stmt *st = db_prepare(
	    c->db,
	    "INSERT INTO hotline_cases(kind, line_code, call_id, region_code, urgency, status, "
	    "subject_name, summary, risk, in_scope, plan, followup_days, assigned_to, opened_at, "
	    "opened_by, assess_due, assessed_at, closed_at, closed_by, outcome, outcome_note, "
	    "updated_at) VALUES ('assistance','assist',?,?,?,'closed',?,?,'low',1,?,?,?,?,?,?,?,?,?,"
	    "'resolved','已链接物资和临时救助政策，问题已解决',?)",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, call_id);
	db_bind_text(st, 2, k->region);
	db_bind_text(st, 3, k->urgency);
	db_bind_text(st, 4, strcmp(k->name, "匿名") == 0 ? "求助人" : k->name);
	db_bind_text(st, 5, k->description);
	db_bind_text(st, 6, "送去生活物资，指导申请临时救助");
	db_bind_int(st, 7, c->followup[0]);
	db_bind_text(st, 8, county_user);
	db_bind_text(st, 9, opened);
	db_bind_text(st, 10, OPERATOR);
	db_bind_text(st, 11, due);
	db_bind_text(st, 12, assessed);
	db_bind_text(st, 13, closed);
	db_bind_text(st, 14, county_user);
	db_bind_text(st, 15, closed);
	if (db_run(st, e) < 0)
		return -1;
	int64_t id = db_last_id(c->db);
	c->cases++;
	c->closed++;
	if (step(c, id, "open", opened, OPERATOR,
		 json_pack("{s:s, s:s, s:s, s:I, s:s, s:I}", "line", "assist", "kind", "assistance",
			   "urgency", k->urgency, "response_minutes", (json_int_t)c->params[0][u],
			   "assess_due", due, "call_id", (json_int_t)call_id),
		 e) < 0 ||
	    step(c, id, "assess", assessed, county_user,
		 json_pack("{s:s, s:s, s:s, s:b}", "risk", "low", "findings", "电话核实情况属实",
			   "assess_due", due, "on_time", 1),
		 e) < 0 ||
	    step(c, id, "plan", planned, county_user,
		 json_pack("{s:s, s:I}", "plan", "送去生活物资，指导申请临时救助", "followup_days",
			   (json_int_t)c->followup[0]),
		 e) < 0 ||
	    step(c, id, "resource", planned, county_user,
		 json_pack("{s:s, s:s, s:I, s:s}", "kind", "goods", "note", "米、面、油和口罩",
			   "amount_fen", (json_int_t)30000, "resource_status", "linked"),
		 e) < 0)
		return -1;
	return step(c, id, "close", closed, county_user,
		    json_pack("{s:s, s:s}", "outcome", "resolved", "note",
			      "已链接物资和临时救助政策，问题已解决"),
		    e);
}

/* The day of call n: an eighth of the calls before 20 January, the rest to 30 April. */
static int64_t call_day(int n, int64_t jan1, int64_t jan20, int64_t apr30)
{
	if (n < N_CALLS / 8)
		return jan1 + ((int64_t)n * (jan20 - jan1)) / (N_CALLS / 8);
	return jan20 + ((int64_t)(n - N_CALLS / 8) * (apr30 - jan20)) / (N_CALLS - N_CALLS / 8);
}

static const struct {
	const char *category, *text;
	uint32_t weight;
} assist_topics[] = {
	{"epidemic", "居家隔离期间生活物资短缺，请求帮助", 2400},
	{"living", "因疫情停工，家庭生活暂时困难", 1800},
	{"relief", "咨询临时救助如何申请", 1400},
	{"elderly", "独居老人无人照料，子女在外地无法返回", 1200},
	{"policy", "咨询低保申请条件和疫情期间的办理方式", 1400},
	{"homeless", "发现街头流浪人员，请求救助站处置", 600},
	{"disability", "重度残疾人家属被隔离，生活无人照料", 400},
	{"complaint", "反映社区物资分配问题", 400},
	{"other", "其他求助", 400},
};

int demo_hotline(struct db *db, const struct actor *sys, const struct demo_options *o,
		 struct demo_report *r, struct err *e)
{
	struct ctx c;
	double t0 = now_s();
	memset(&c, 0, sizeof c);
	c.db = db;
	demo_rng_seed(&c.rng, o->seed, STREAM);
	if (db_begin_write(db, e) < 0)
		return -1;
	int rc = -1;
	if (load_villages(&c, e) < 0 || load_params(&c, e) < 0)
		goto out;
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO hotline_lines(code, name, number, kind, active, updated_at, updated_by) "
	    "VALUES ('assist', '24小时救助热线', '0536-12345', 'assistance', 1, "
	    "'2020-01-01T00:00:00+08:00', 'system'), ('child', '儿童救助保护热线', '0536-12349', "
	    "'child_protection', 1, '2020-01-01T00:00:00+08:00', 'system') ON CONFLICT(code) DO "
	    "NOTHING",
	    e);
	if (run(st, e) < 0)
		goto out;
	int64_t max_person = db_query_int(db, "SELECT coalesce(max(id), 0) FROM persons", NULL);
	int64_t min_person = db_query_int(db, "SELECT coalesce(min(id), 0) FROM persons", NULL);
	int64_t jan1 = demo_days_from_civil(2020, 1, 1), jan20 = demo_days_from_civil(2020, 1, 20);
	int64_t apr30 = demo_days_from_civil(2020, 4, 30);
	/* which calls open which cases: the child line's first N_CHILD_CASES in-scope calls from
	 * 20 January on, the last 4 of them (late April) still open */
	int child_made = 0, assist_made = 0, corrections = 0;
	int64_t *picked = calloc(N_CHILD_CASES, sizeof *picked);
	if (!picked) {
		err_set(e, 500, "internal", NULL, "内存不足");
		goto out;
	}
	uint32_t tw[9];
	for (int i = 0; i < 9; i++)
		tw[i] = assist_topics[i].weight;
	int eligible_left = 0; /* child-line calls from 20 January on */
	for (int n = 0; n < N_CALLS; n++)
		eligible_left += n % 4 == 3 && call_day(n, jan1, jan20, apr30) >= jan20;
	for (int n = 0; n < N_CALLS; n++) {
		struct call_row k;
		memset(&k, 0, sizeof k);
		/* spread over the four months, more from late January */
		int64_t day = call_day(n, jan1, jan20, apr30);
		int sec = demo_rng_bp(&c.rng, 8500) ? 8 * 3600 + (int)demo_rng_below(&c.rng, 12 * 3600)
						    : (int)demo_rng_below(&c.rng, 86400);
		stamp(day, sec, k.called_at);
		k.duration = (int)demo_rng_range(&c.rng, 60, 900);
		caller(&c, k.name, k.phone);
		int child_line = n % 4 == 3; /* a quarter of the calls */
		k.line = child_line ? "child" : "assist";
		k.urgency = demo_rng_bp(&c.rng, 2000) ? "emergency"
			    : demo_rng_bp(&c.rng, 4000) ? "urgent"
							 : "normal";
		snprintf(k.region, sizeof k.region, "%s",
			 c.v[demo_rng_below(&c.rng, (uint32_t)c.nv)].code);
		struct child ch;
		int makes_child = 0;
		if (child_line) {
			k.category = "child_care";
			/* selection sampling: exactly the cases still needed from the calls left */
			int chosen = day >= jan20 && eligible_left > 0 &&
				     demo_rng_below(&c.rng, (uint32_t)eligible_left) <
					 (uint32_t)(N_CHILD_CASES - child_made);
			if (day >= jan20)
				eligible_left--;
			if (chosen && child_made < N_CHILD_CASES && max_person > 0) {
				int64_t from = demo_rng_range(&c.rng, min_person, max_person);
				int r2 = pick_child(&c, from, &ch, e);
				if (r2 < 0)
					goto out_free;
				for (int i = 0; r2 == 0 && i < child_made; i++)
					if (picked[i] == ch.id)
						r2 = 1;
				if (r2 == 0) {
					makes_child = 1;
					picked[child_made] = ch.id;
					snprintf(k.region, sizeof k.region, "%s", ch.region);
				}
			}
			if (makes_child) {
				snprintf(k.description, sizeof k.description,
					 "来电反映%s的监护人因疫情无法照料，孩子需要临时照料", ch.name);
				k.outcome = "case_opened";
			} else {
				snprintf(k.description, sizeof k.description, "%s",
					 "咨询疫情期间儿童居家照料和心理疏导");
				k.outcome = "advice";
				k.advice = "告知社区儿童主任联系方式，提供心理疏导热线";
			}
		} else {
			int t = demo_rng_pick(&c.rng, tw, 9);
			k.category = assist_topics[t].category;
			snprintf(k.description, sizeof k.description, "%s", assist_topics[t].text);
			if (assist_made < N_ASSIST_CASES && day >= jan20 &&
			    (t == 0 || t == 1 || t == 3) && demo_rng_bp(&c.rng, 3000)) {
				k.outcome = "case_opened";
			} else if (t == 5) {
				k.outcome = "referred";
				k.advice = "转救助管理站街面巡查处置";
			} else if (t == 8 && demo_rng_bp(&c.rng, 5000)) {
				k.outcome = "no_action";
			} else {
				k.outcome = "advice";
				k.advice = "解答政策，告知所在镇街民政办联系方式";
			}
		}
		if (strcmp(k.outcome, "advice") == 0 && demo_rng_bp(&c.rng, 1500)) {
			later(k.called_at, 86400, k.callback_due);
		}
		int64_t id;
		if (insert_call(&c, &k, 0, 0, NULL, k.called_at, &id, e) < 0)
			goto out_free;
		if (k.callback_due[0]) {
			char done[32];
			later(k.callback_due, -(int64_t)demo_rng_range(&c.rng, 600, 20000), done);
			st = db_prepare(db,
					"INSERT INTO hotline_callbacks(call_id, done_at, done_by, note) "
					"VALUES (?,?,?,?)",
					e);
			if (!st)
				goto out_free;
			db_bind_int(st, 1, id);
			db_bind_text(st, 2, done);
			db_bind_text(st, 3, OPERATOR);
			db_bind_text(st, 4, "已回电，来电人问题已解决");
			if (db_run(st, e) < 0)
				goto out_free;
			c.callbacks++;
		}
		if (makes_child) {
			/* the last four: still open at the end of April, at different stages */
			int left = N_CHILD_CASES - child_made;
			int stage = left > 4 ? 0 : left == 4 ? 1 : left == 3 ? 2 : 3;
			if (child_case(&c, id, &k, &ch, stage, e) < 0)
				goto out_free;
			child_made++;
		} else if (strcmp(k.outcome, "case_opened") == 0) {
			if (assist_case(&c, id, &k, e) < 0)
				goto out_free;
			assist_made++;
		} else if (corrections < N_CORRECTIONS && n % 53 == 7) {
			/* the caller called back to correct where they are */
			struct call_row fix = k;
			char at[32];
			snprintf(fix.region, sizeof fix.region, "%s",
				 c.v[demo_rng_below(&c.rng, (uint32_t)c.nv)].code);
			fix.callback_due[0] = '\0';
			later(k.called_at, 1800, at);
			int64_t nid;
			if (insert_call(&c, &fix, id, id, "来电人再次来电更正所在村居", at, &nid, e) < 0)
				goto out_free;
			corrections++;
		}
	}
	char detail[256];
	snprintf(detail, sizeof detail,
		 "{\"lines\":2,\"calls\":%d,\"corrections\":%d,\"cases\":%d,\"child_cases\":%d,"
		 "\"closed\":%d,\"steps\":%d}",
		 c.calls, corrections, c.cases, child_made, c.closed, c.steps);
	if (audit_append(db, sys, "demo.hotline", "city:3707", "ok", detail, e) < 0)
		goto out_free;
	rc = 0;
	if (r)
		demo_note(r,
			  "热线 hotline：2 条热线，2020 年 1–4 月来电 %d 次（更正 %d 次，约定回电 %d "
			  "次），立案 %d 件（儿童救助保护 %d 件，临时照料 %d 人次），已结案 %d 件；用时 "
			  "%.2f 秒",
			  c.calls, corrections, c.callbacks, c.cases, child_made, c.placements, c.closed,
			  now_s() - t0);
out_free:
	free(picked);
out:
	free(c.v);
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}
