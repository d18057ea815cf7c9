/* demo_inspections.c — two later steps of the demo (demo_steps.h), owned by the inspections and
 * duty modules:
 *
 *   demo_inspections  the city's six inspection teams (督导组, DOMAIN.md) with their members and
 *                     areas (every county-level unit in one team's area; a functional zone by
 *                     its townships), a visit to every unit about every two weeks from
 *                     2020-02-03 to 2020-04-24 and to a sample of institutions (two per unit
 *                     from the institutions registry, when that step has filled it), each with
 *                     the full checklist. A few items fail; each becomes a rectification item
 *                     that the unit's staff close with evidence and an inspector verifies —
 *                     mostly in time, some late, one in eight rejected once; items from the
 *                     last visits stay open, a few past their deadline.
 *   demo_duty         24-hour duty rosters of the city and its thirteen counties for
 *                     2020-02-01..2020-04-30 (from the night shift that begins on 31 January at
 *                     20:00): a leader per day (08:00 to 08:00), a day officer
 *                     (08:00–20:00) and a night officer (20:00–08:00), every officer shift with
 *                     its report (a zero report, or what happened) and its handover.
 *
 * What they make is a pure function of the seed (a private PRNG stream each; no clock in any
 * choice). The inspections go through the module's own functions (inspections_record,
 * inspections_rect_act: every check and audit row as in real use, the actors being the demo's
 * inspector and county users), so their records carry the time the demo ran, as the payroll's
 * runs do, beside the days they describe; the ten thousand duty rows go through the duty
 * module's bulk loader, stamped with the days they describe, in one transaction with one audit
 * row. Both steps cost about 0.05 s at any scale (the city's units do not grow with it).
 */
#include "demo/demo_internal.h"
#include "demo/demo_steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "duty/duty.h"
#include "inspections/inspections.h"
#include "institutions/institutions.h"
#include "regions/regions.h"

#define CITY "3707"
#define NTEAMS 6
#define STREAM_INSPECTIONS 0x1a5bec7ULL
#define STREAM_DUTY 0xd077ULL

/* ------------------------------------------------------------------------------------------ */
/* helpers                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The demo user's actor, or the system actor under that name when the user is missing. */
static void actor_named(struct db *db, const char *username, struct actor *a)
{
	struct err ignore;
	int64_t id = db_query_int(db, "SELECT id FROM users WHERE username = ?", username);
	if (id <= 0 || accounts_actor_for_user(db, id, a, &ignore) < 0) {
		actor_system(a);
		snprintf(a->username, sizeof a->username, "%s", username);
	}
	snprintf(a->client, sizeof a->client, "demo");
}

static void person_name(struct demo_rng *r, char *out, size_t n)
{
	char given[16];
	int male = demo_rng_bp(r, 6000);
	demo_given_name(r, male, (int)demo_rng_range(r, 1966, 1995), given, sizeof given);
	snprintf(out, n, "%s%s", demo_surname(r), given);
}

static void mobile(struct demo_rng *r, char out[24])
{
	static const char *const prefix[] = {"135", "136", "137", "138", "139", "150", "151", "152",
					      "158", "159", "182", "187", "188", "133", "153", "189"};
	snprintf(out, 24, "%s%08u", prefix[demo_rng_below(r, 16)],
		 (unsigned)demo_rng_below(r, 100000000u));
}

static void day_text(int64_t day, char out[11])
{
	demo_format_day(day, out);
}

/* ------------------------------------------------------------------------------------------ */
/* inspections                                                                                */
/* ------------------------------------------------------------------------------------------ */

static const char *const team_names[NTEAMS] = {
	"第一督导组", "第二督导组", "第三督导组", "第四督导组", "第五督导组", "第六督导组",
};

static const char *const titles[] = {
	"市民政局副局长", "社会救助科科长", "养老服务科科长", "儿童福利科副科长", "社会事务科科员",
	"办公室主任", "市社会福利院副院长", "市救助管理站副站长",
};

/* What inspectors wrote when an item failed, per checklist code. */
static const struct {
	const char *code;
	const char *notes[3];
} fail_notes[] = {
	{"closed_staff_stay", {"个别工作人员轮休外出未经审批", "轮换人员返岗未隔离观察", "门卫夜间换班外出"}},
	{"closed_no_visitors", {"门岗登记不全", "送餐人员进入院内", "家属探视未劝返"}},
	{"closed_residents_stay", {"一名老人外出就医返院后未隔离", "外出审批单缺签字", "就医陪同记录不全"}},
	{"closed_goods_contactless", {"物资交接区未设置", "快递直接送入院内", "交接物资未消毒"}},
	{"disinfection", {"消毒记录缺两天", "消毒液配比不规范", "公共区域消毒频次不够"}},
	{"temperature_log", {"体温台账只记一次", "工作人员测温记录缺失", "发热处置流程未上墙"}},
	{"goods_stock", {"口罩储备不足 7 天", "防护服储备不足", "消毒液库存偏低"}},
	{"emergency_plan", {"隔离观察室未设置", "应急预案未演练", "送医流程不清楚"}},
	{"daily_report", {"个别机构迟报未催报", "零报告漏报一天", "催报记录不全"}},
	{"duty_roster", {"夜间值班电话无人接听", "带班领导未落实", "交接班记录不全"}},
};

static const char *fail_note(struct demo_rng *r, const char *code)
{
	for (size_t i = 0; i < sizeof fail_notes / sizeof fail_notes[0]; i++)
		if (strcmp(fail_notes[i].code, code) == 0)
			return fail_notes[i].notes[demo_rng_below(r, 3)];
	return "未落实";
}

static const char *const evidence[] = {
	"已整改到位，附整改前后照片和制度文本",
	"已补齐台账并明确专人负责，附台账扫描件",
	"已采购补充，附入库单",
	"已召开专题会部署整改，附会议纪要和现场照片",
	"已组织演练并修订预案，附演练记录",
};

struct target {
	char kind[16];
	char region[16];
	int64_t institution_id;
	char name[INSPECTIONS_NAME_SZ];
	char unit[16];
	int zone; /* the unit is a functional zone (its staff log in as zone_CODE) */
	int team;
};

struct plan {
	int nunits;
	struct regions_unit *units;
	int ntargets;
	struct target targets[160];
};

static int collect_institution(const struct institutions_row *row, void *ctx)
{
	struct plan *p = ctx;
	const struct institution *in = &row->inst;
	/* two per unit, elderly homes and the children's welfare home first (the list is ordered
	 * by unit, type, name) */
	int have = 0;
	for (int i = 0; i < p->ntargets; i++)
		have += strcmp(p->targets[i].kind, "institution") == 0 &&
			strcmp(p->targets[i].unit, in->unit_code) == 0;
	if (have >= 2 || p->ntargets >= (int)(sizeof p->targets / sizeof p->targets[0]) ||
	    in->closed_on[0])
		return 0;
	struct target *t = &p->targets[p->ntargets++];
	memset(t, 0, sizeof *t);
	snprintf(t->kind, sizeof t->kind, "institution");
	snprintf(t->region, sizeof t->region, "%s", in->region_code);
	t->institution_id = in->id;
	snprintf(t->name, sizeof t->name, "%s", in->name);
	snprintf(t->unit, sizeof t->unit, "%s", in->unit_code);
	return 0;
}

static int make_teams(struct db *db, const struct actor *city, struct demo_rng *r,
		      struct plan *p, int64_t team_id[NTEAMS], struct err *e)
{
	struct inspections_team_in *in = malloc(sizeof *in);
	if (!in)
		return err_set(e, 500, "internal", NULL, "内存不足");
	for (int t = 0; t < NTEAMS; t++) {
		memset(in, 0, sizeof *in);
		snprintf(in->name, sizeof in->name, "%s", team_names[t]);
		snprintf(in->region_code, sizeof in->region_code, CITY);
		size_t used = 0;
		for (int u = t; u < p->nunits; u += NTEAMS) {
			const struct regions_unit *unit = &p->units[u];
			used += (size_t)snprintf(in->area + used, sizeof in->area - used, "%s%s",
						 used ? "、" : "", unit->name);
			if (used >= sizeof in->area)
				used = sizeof in->area - 1;
			if (strcmp(unit->kind, "zone") != 0) {
				if (in->n_areas < INSPECTIONS_MAX_AREAS)
					snprintf(in->areas[in->n_areas++], 16, "%s", unit->code);
			} else {
				for (int k = 0; k < unit->ntownships && in->n_areas < INSPECTIONS_MAX_AREAS; k++)
					snprintf(in->areas[in->n_areas++], 16, "%s", unit->townships[k]);
			}
		}
		in->n_members = 4 + (int)demo_rng_below(r, 2);
		for (int m = 0; m < in->n_members; m++) {
			struct inspections_member *mm = &in->members[m];
			person_name(r, mm->name, sizeof mm->name);
			snprintf(mm->role, sizeof mm->role, "%s", m == 0 ? "leader" : "member");
			snprintf(mm->title, sizeof mm->title, "%s",
				 m == 0 ? titles[t % 2] : titles[2 + demo_rng_below(r, 6)]);
			mobile(r, mm->phone);
		}
		snprintf(in->note, sizeof in->note, "疫情防控期间民政服务机构督导");
		if (inspections_team_create(db, city, in, &team_id[t], e) < 0) {
			free(in);
			return -1;
		}
	}
	free(in);
	return 0;
}

/* One visit with the full checklist; failed items get a note. */
static int one_visit(struct db *db, const struct actor *insp, struct demo_rng *r,
		     const struct target *t, int64_t team_id, const char *day,
		     const struct inspections_check_item *items, int nitems, int64_t *visit_id,
		     struct err *e)
{
	struct inspections_in in;
	struct inspections_result_in *res = calloc((size_t)nitems, sizeof *res);
	if (!res)
		return err_set(e, 500, "internal", NULL, "内存不足");
	memset(&in, 0, sizeof in);
	in.team_id = team_id;
	snprintf(in.target_kind, sizeof in.target_kind, "%s", t->kind);
	snprintf(in.region_code, sizeof in.region_code, "%s", t->region);
	in.institution_id = t->institution_id;
	snprintf(in.target_name, sizeof in.target_name, "%s", t->name);
	snprintf(in.visited_on, sizeof in.visited_on, "%s", day);
	snprintf(in.inspectors, sizeof in.inspectors, "%s督导组成员", team_names[t->team]);
	int institution = strcmp(t->kind, "institution") == 0, fails = 0;
	for (int i = 0; i < nitems; i++) {
		const struct inspections_check_item *it = &items[i];
		if (strcmp(it->applies_to, "all") != 0 &&
		    strcmp(it->applies_to, institution ? "institution" : "region") != 0)
			continue;
		struct inspections_result_in *x = &res[in.n_results++];
		x->item_id = it->id;
		/* about one item in 30 fails, a little more often early in the period */
		uint32_t bp = strcmp(day, "2020-03-01") < 0 ? 450 : 250;
		if (demo_rng_bp(r, bp)) {
			snprintf(x->result, sizeof x->result, "fail");
			snprintf(x->note, sizeof x->note, "%s", fail_note(r, it->code));
			fails++;
		} else if (institution && strcmp(it->code, "closed_goods_contactless") == 0 &&
			   demo_rng_bp(r, 500)) {
			snprintf(x->result, sizeof x->result, "na");
			snprintf(x->note, sizeof x->note, "食堂自给，无外购");
		} else {
			snprintf(x->result, sizeof x->result, "pass");
		}
	}
	snprintf(in.summary, sizeof in.summary, "%s",
		 fails ? "总体落实较好，发现问题已反馈并限期整改" : "各项防控措施落实到位");
	in.results = res;
	int rc = inspections_record(db, insp, &in, visit_id, e);
	free(res);
	return rc;
}

/* Take an item through its life: the unit submits (mostly in time), the inspector verifies
 * (one in eight first rejected); items whose deadline is after the period's end stay open, a
 * few earlier ones too (they are the overdue list). */
static int settle_item(struct db *db, const struct actor *insp, const struct actor *owner,
		       struct demo_rng *r, int64_t id, const char *visited, const char *deadline,
		       int *open_left, struct err *e)
{
	struct inspections_rect_action_in a;
	int64_t v = 0, dl = 0, last;
	demo_parse_day(visited, &v);
	demo_parse_day(deadline, &dl);
	demo_parse_day("2020-04-28", &last);
	int leave_open = dl > last || (*open_left > 0 && demo_rng_bp(r, 600));
	memset(&a, 0, sizeof a);
	a.action = INSPECTIONS_START;
	day_text(v + 1, a.on);
	if (inspections_rect_act(db, owner, id, &a, e) < 0)
		return -1;
	if (leave_open) {
		if (dl <= last)
			(*open_left)--;
		return 0;
	}
	/* submitted 1..(deadline - visit + 2) days after the visit: sometimes a day or two late */
	int64_t span = dl - v + 2;
	int64_t sub = v + 1 + (int64_t)demo_rng_below(r, (uint32_t)(span > 1 ? span : 1));
	memset(&a, 0, sizeof a);
	a.action = INSPECTIONS_SUBMIT;
	day_text(sub, a.on);
	snprintf(a.text, sizeof a.text, "%s", evidence[demo_rng_below(r, 5)]);
	if (inspections_rect_act(db, owner, id, &a, e) < 0)
		return -1;
	int64_t ver = sub + 1 + (int64_t)demo_rng_below(r, 3);
	if (demo_rng_bp(r, 1250)) {
		memset(&a, 0, sizeof a);
		a.action = INSPECTIONS_REJECT;
		day_text(ver, a.on);
		snprintf(a.text, sizeof a.text, "佐证材料不全，请补充整改后的现场照片");
		day_text(ver + 3, a.deadline);
		if (inspections_rect_act(db, insp, id, &a, e) < 0)
			return -1;
		sub = ver + 1 + (int64_t)demo_rng_below(r, 2);
		memset(&a, 0, sizeof a);
		a.action = INSPECTIONS_SUBMIT;
		day_text(sub, a.on);
		snprintf(a.text, sizeof a.text, "已补充现场照片");
		if (inspections_rect_act(db, owner, id, &a, e) < 0)
			return -1;
		ver = sub + 1 + (int64_t)demo_rng_below(r, 2);
	}
	memset(&a, 0, sizeof a);
	a.action = INSPECTIONS_VERIFY;
	day_text(ver, a.on);
	snprintf(a.text, sizeof a.text, "复查合格，予以销号");
	return inspections_rect_act(db, insp, id, &a, e);
}

int demo_inspections(struct db *db, const struct actor *sys, const struct demo_options *o,
		     struct demo_report *rep, struct err *e)
{
	struct plan *p = calloc(1, sizeof *p);
	struct inspections_check_item *items = NULL;
	struct demo_rng r;
	struct actor city, insp, owner;
	int64_t team_id[NTEAMS] = {0};
	int nitems = 0, rc = -1, visits = 0, nrect = 0, open_left = 3, began = 0;
	double t0 = seconds();
	if (!p)
		return err_set(e, 500, "internal", NULL, "内存不足");
	demo_rng_seed(&r, o->seed, STREAM_INSPECTIONS);
	actor_named(db, "admin", &city);
	actor_named(db, "inspector", &insp);
	if (regions_units(db, CITY, &p->units, &p->nunits, e) < 0)
		goto out;
	if (db_begin_write(db, e) < 0)
		goto out;
	began = 1;
	/* the targets: each unit (a county itself; a zone by its first township), then sampled
	 * institutions when the registry has any */
	for (int u = 0; u < p->nunits && p->ntargets < 32; u++) {
		const struct regions_unit *unit = &p->units[u];
		struct target *t = &p->targets[p->ntargets];
		memset(t, 0, sizeof *t);
		snprintf(t->kind, sizeof t->kind, "region");
		if (strcmp(unit->kind, "zone") == 0) {
			if (unit->ntownships == 0)
				continue;
			snprintf(t->region, sizeof t->region, "%s", unit->townships[0]);
		} else {
			snprintf(t->region, sizeof t->region, "%s", unit->code);
		}
		snprintf(t->unit, sizeof t->unit, "%s", unit->code);
		t->zone = strcmp(unit->kind, "zone") == 0;
		t->team = u % NTEAMS;
		p->ntargets++;
	}
	int nregion = p->ntargets;
	struct institutions_filter f;
	memset(&f, 0, sizeof f);
	struct err ignore;
	if (institutions_list(db, sys, &f, collect_institution, p, &ignore) < 0)
		p->ntargets = nregion; /* no registry yet: the units alone */
	for (int i = nregion; i < p->ntargets; i++)
		for (int u = 0; u < p->nunits; u++)
			if (strcmp(p->units[u].code, p->targets[i].unit) == 0) {
				p->targets[i].team = u % NTEAMS;
				p->targets[i].zone = strcmp(p->units[u].kind, "zone") == 0;
			}
	if (make_teams(db, &city, &r, p, team_id, e) < 0 ||
	    inspections_checklist(db, sys, 0, &items, &nitems, e) < 0)
		goto out;
	/* visits: units every 14 days from the team's start day, institutions once or twice */
	int64_t first, last;
	demo_parse_day("2020-02-03", &first);
	demo_parse_day("2020-04-24", &last);
	for (int i = 0; i < p->ntargets; i++) {
		struct target *t = &p->targets[i];
		int institution = i >= nregion;
		int64_t day = first + t->team + (int64_t)demo_rng_below(&r, institution ? 30 : 4);
		int step = institution ? 35 + (int)demo_rng_below(&r, 10) : 14;
		char owner_user[64];
		snprintf(owner_user, sizeof owner_user, "%s%s", t->zone ? "zone_" : "county_", t->unit);
		actor_named(db, owner_user, &owner);
		for (; day <= last; day += step) {
			char dtext[11];
			int64_t visit;
			day_text(day, dtext);
			if (one_visit(db, &insp, &r, t, team_id[t->team], dtext, items, nitems, &visit, e) < 0)
				goto out;
			visits++;
			struct inspections_rect_query q;
			struct inspections_rect_page pg;
			memset(&q, 0, sizeof q);
			q.inspection_id = visit;
			q.limit = 50;
			snprintf(q.as_of, sizeof q.as_of, "%s", dtext);
			if (inspections_rect_list(db, sys, &q, &pg, e) < 0)
				goto out;
			for (int k = 0; k < pg.n; k++) {
				nrect++;
				if (settle_item(db, &insp, &owner, &r, pg.items[k].id, dtext,
						pg.items[k].deadline, &open_left, e) < 0) {
					inspections_rect_page_release(&pg);
					goto out;
				}
			}
			inspections_rect_page_release(&pg);
		}
	}
	char detail[128];
	snprintf(detail, sizeof detail, "{\"teams\":%d,\"visits\":%d,\"rectifications\":%d}", NTEAMS,
		 visits, nrect);
	if (audit_append(db, sys, "demo.inspections", "inspections", "ok", detail, e) < 0 ||
	    db_commit(db, e) < 0)
		goto out;
	began = 0;
	demo_note(rep, "督导检查：%d 个督导组，%d 次检查（%d 个县级单位、%d 家机构），%d 个整改事项；"
		  "用时 %.2f 秒", NTEAMS, visits, nregion, p->ntargets - nregion, nrect, seconds() - t0);
	rc = 0;
out:
	if (began)
		db_rollback(db);
	free(items);
	if (p->units)
		regions_units_free(p->units, p->nunits);
	free(p);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* duty rosters                                                                               */
/* ------------------------------------------------------------------------------------------ */

static const char *const duty_events[] = {
	"接市疫情防控指挥部通知，已转发各镇街并电话确认收到",
	"一家养老机构报告一名老人发热，已督促送医排查，结果为普通感冒",
	"接群众来电反映困难，已登记并转所在镇街核实",
	"救助管理站夜间接收一名流浪人员，已按规定测温隔离",
	"接上级电话抽查值班情况，在岗",
	"凌晨接报一处隔离点物资短缺，已协调调配",
};

static const char *const handover_notes[] = {
	"无待办事项", "无待办事项", "无待办事项", "上级通知已转发，待各镇街回复落实情况",
	"发热老人排查结果待反馈", "明日上午督导组来检查，材料已备齐",
};

int demo_duty(struct db *db, const struct actor *sys, const struct demo_options *o,
	      struct demo_report *rep, struct err *e)
{
	struct demo_rng r;
	struct regions_unit *units = NULL;
	int nunits = 0, rc = -1, began = 0, nrosters = 0;
	int64_t nshifts = 0, nreports = 0, nevents = 0, nhandovers = 0;
	double t0 = seconds();
	demo_rng_seed(&r, o->seed, STREAM_DUTY);
	if (regions_units(db, CITY, &units, &nunits, e) < 0)
		return -1;
	if (db_begin_write(db, e) < 0)
		goto out;
	began = 1;
	int64_t first, last;
	demo_parse_day("2020-02-01", &first);
	demo_parse_day("2020-04-30", &last);
	/* the city, then every official county (a functional zone has no region code of its own
	 * to keep a roster under) */
	for (int u = -1; u < nunits; u++) {
		if (u >= 0 && strcmp(units[u].kind, "county") != 0)
			continue;
		const char *code = u < 0 ? CITY : units[u].code;
		char username[64];
		struct actor who;
		snprintf(username, sizeof username, u < 0 ? "admin" : "county_%s", code);
		actor_named(db, username, &who);
		struct duty_roster ro;
		int64_t roster;
		memset(&ro, 0, sizeof ro);
		snprintf(ro.unit_kind, sizeof ro.unit_kind, "%s", u < 0 ? "city" : "county");
		snprintf(ro.region_code, sizeof ro.region_code, "%s", code);
		snprintf(ro.duty_phone, sizeof ro.duty_phone, "0536-8%03u%04u",
			 (unsigned)(u < 0 ? 100 : 200 + u), (unsigned)demo_rng_below(&r, 10000));
		snprintf(ro.note, sizeof ro.note, "疫情防控期间 24 小时值班，带班领导 24 小时在岗");
		if (duty_roster_create(db, sys, &ro, &roster, e) < 0)
			goto out;
		nrosters++;
		/* the unit's staff: 4 leaders, 10 officers, each with a phone */
		char leaders[4][64], officers[10][64], lphone[4][24], ophone[10][24];
		for (int i = 0; i < 4; i++) {
			person_name(&r, leaders[i], sizeof leaders[i]);
			mobile(&r, lphone[i]);
		}
		for (int i = 0; i < 10; i++) {
			person_name(&r, officers[i], sizeof officers[i]);
			mobile(&r, ophone[i]);
		}
		int64_t prev_officer = 0;
		int o_next = (int)demo_rng_below(&r, 10);
		/* from the night before the period, so its first hours are covered too */
		for (int64_t d = first - 1; d <= last; d++) {
			char day[11], next[11], at[DUTY_TIME_SZ], end[DUTY_TIME_SZ], created[32];
			day_text(d, day);
			day_text(d + 1, next);
			snprintf(created, sizeof created, "%sT08:00:00+08:00", day);
			int64_t id;
			int li = (int)((d - first + 4) % 4);
			snprintf(at, sizeof at, "%sT08:00", day);
			snprintf(end, sizeof end, "%sT08:00", next);
			if (duty_bulk_shift(db, roster, code, "leader", leaders[li], lphone[li], at, end,
					    created, who.username, &id, e) < 0)
				goto out;
			nshifts++;
			for (int half = d < first; half < 2; half++) {
				int oi = o_next;
				o_next = (o_next + 3) % 10;
				snprintf(at, sizeof at, "%sT%s", day, half ? "20:00" : "08:00");
				snprintf(end, sizeof end, "%sT%s", half ? next : day, half ? "08:00" : "20:00");
				if (duty_bulk_shift(db, roster, code, "officer", officers[oi], ophone[oi], at,
						    end, created, who.username, &id, e) < 0)
					goto out;
				nshifts++;
				char reported[32];
				snprintf(reported, sizeof reported, "%s:05+08:00", end);
				int events = demo_rng_bp(&r, 700);
				if (duty_bulk_report(db, id, !events,
						     events ? duty_events[demo_rng_below(&r, 6)] : "",
						     reported, who.username, e) < 0)
					goto out;
				nreports++;
				nevents += events;
				if (prev_officer) {
					char handed[DUTY_TIME_SZ];
					snprintf(handed, sizeof handed, "%s", at);
					if (duty_bulk_handover(db, prev_officer, id, roster, code, handed,
							       handover_notes[demo_rng_below(&r, 6)],
							       created, who.username, e) < 0)
						goto out;
					nhandovers++;
				}
				prev_officer = id;
			}
		}
	}
	char detail[160];
	snprintf(detail, sizeof detail,
		 "{\"rosters\":%d,\"shifts\":%lld,\"reports\":%lld,\"handovers\":%lld}", nrosters,
		 (long long)nshifts, (long long)nreports, (long long)nhandovers);
	if (audit_append(db, sys, "demo.duty", "duty", "ok", detail, e) < 0 || db_commit(db, e) < 0)
		goto out;
	began = 0;
	demo_note(rep, "值班值守：%d 张值班表（市和 %d 个县市区），%lld 个班次，%lld 份值班报告（其中 %lld "
		  "份有情况，其余为零报告），%lld 次交接班；用时 %.2f 秒",
		  nrosters, nrosters - 1, (long long)nshifts, (long long)nreports, (long long)nevents,
		  (long long)nhandovers, seconds() - t0);
	rc = 0;
out:
	if (began)
		db_rollback(db);
	regions_units_free(units, nunits);
	return rc;
}
