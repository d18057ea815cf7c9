/* demo_relief.c — the demo city's temporary assistance (临时救助), January–April 2020: the grants
 * whose payments reproduce the published figure (DOMAIN.md: 2,198 person-times, 4,427,000 yuan;
 * at other scales the targets are round(2,198 × scale) grants and round(4,427,000 × scale) yuan),
 * each made through the relief module's own functions as the demo users would make them, so every
 * grant obeys the rules: dated in 2020, approved at the level its amount needs, the pay-first ones
 * drawn from township reserves that the county allocated (and replenished when a grant found the
 * reserve short — the refusal stays on the replenishment list, met), case decisions (一事一议) for
 * the few above the normal maximum, one grant per person per cause per year except a few repeats
 * the county approved with a reason. (A demo step, see demo_steps.h; owned by the relief module.)
 *
 * How the figures come out exact: the persons are drawn from the registry (families in epidemic
 * isolation and of patients, the seriously ill, elderly living alone and severely disabled,
 * 低保 household heads), each grant's amount is drawn in whole hundreds of yuan between its rule
 * limits (emergency: at least 2 × the 低保 standard; at most 10 ×), and the drawn amounts are
 * then moved by 100 yuan at a time inside those limits until they add up to the target; the last
 * few yuan go to one grant. Everything is one write transaction with the relief module's own
 * audit rows; the only clock it reads is the time stamps of those rows.
 */
#include "demo/demo_internal.h"
#include "demo/demo_steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/accounts.h"
#include "calendar/calendar.h"
#include "relief/relief.h"

int demo_relief(struct db *db, const struct actor *sys, const struct demo_options *o,
		struct demo_report *r, struct err *e);

#define PUBLISHED_TIMES 2198
#define PUBLISHED_YUAN 4427000
#define RESERVE_START_FEN 500000  /* 5,000 yuan per township, 2020-01-02 */
#define RESERVE_TOPUP_FEN 1000000 /* replenished in steps of 10,000 yuan */
#define HUNDRED 10000		  /* 100 yuan in fen */

enum cat { CAT_EPIDEMIC, CAT_ILLNESS, CAT_LIVING, CAT_INCOME, NCAT };

struct pool {
	int64_t *id;
	int8_t *covid; /* CAT_EPIDEMIC: a patient's family (else isolation) */
	int n, alloc;
};

struct plan {
	int64_t person_id;
	const char *kind, *cause, *applied_by;
	int64_t amount, lo, hi, township_limit;
	int64_t day;
	int pay_first, goods, decision, repeat, adjustable;
	char township[16], unit[16];
};

struct actors {
	int n;
	char code[256][16];
	struct actor a[256];
};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int pool_add(struct pool *p, int64_t id, int covid)
{
	if (p->n == p->alloc) {
		int na = p->alloc ? p->alloc * 2 : 256;
		int64_t *ni = realloc(p->id, (size_t)na * sizeof *ni);
		if (!ni)
			return -1;
		p->id = ni;
		int8_t *nc = realloc(p->covid, (size_t)na);
		if (!nc)
			return -1;
		p->covid = nc;
		p->alloc = na;
	}
	p->id[p->n] = id;
	p->covid[p->n] = (int8_t)covid;
	p->n++;
	return 0;
}

static int pool_load(struct db *db, struct pool *p, const char *sql, struct err *e)
{
	struct db_stmt *st = db_prepare(db, sql, e);
	if (!st)
		return -1;
	int rc;
	while ((rc = db_step(st, e)) == 1)
		if (pool_add(p, db_col_int(st, 0), (int)db_col_int(st, 1)) < 0) {
			db_done(st);
			return err_oom(e);
		}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* A set of person ids (open addressing). */
struct used {
	int64_t *slot;
	size_t cap;
};

static int used_add(struct used *u, int64_t id) /* 1 added, 0 present */
{
	size_t i = (size_t)(demo_mix64((uint64_t)id) & (u->cap - 1));
	while (u->slot[i]) {
		if (u->slot[i] == id)
			return 0;
		i = (i + 1) & (u->cap - 1);
	}
	u->slot[i] = id;
	return 1;
}

/* Draw an unused person from the pool (swap-remove); 0 when the pool is empty. */
static int64_t pool_draw(struct demo_rng *rng, struct pool *p, struct used *u, int *covid)
{
	while (p->n > 0) {
		int k = (int)demo_rng_below(rng, (uint32_t)p->n);
		int64_t id = p->id[k];
		*covid = p->covid[k];
		p->id[k] = p->id[p->n - 1];
		p->covid[k] = p->covid[p->n - 1];
		p->n--;
		if (used_add(u, id))
			return id;
	}
	return 0;
}

/* The demo user acting for a township or a unit (system when there is none). */
static const struct actor *actor_of(struct db *db, struct actors *c, const char *role,
				    const char *code, const struct actor *sys)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->code[i], code) == 0)
			return &c->a[i];
	if (c->n == (int)(sizeof c->code / sizeof c->code[0]))
		return sys;
	struct err ignore;
	struct db_stmt *st = db_prepare(db,
					"SELECT id FROM users WHERE role = ? AND region_code = ? "
					"AND disabled = 0 ORDER BY id LIMIT 1",
					&ignore);
	int64_t id = 0;
	if (st) {
		db_bind_text(st, 1, role);
		db_bind_text(st, 2, code);
		if (db_step(st, &ignore) == 1)
			id = db_col_int(st, 0);
		db_done(st);
	}
	if (id <= 0 || accounts_actor_for_user(db, id, &c->a[c->n], &ignore) < 0)
		return sys;
	snprintf(c->a[c->n].client, sizeof c->a[c->n].client, "demo");
	snprintf(c->code[c->n], sizeof c->code[0], "%s", code);
	return &c->a[c->n++];
}

static int cmp_plan(const void *x, const void *y)
{
	const struct plan *a = x, *b = y;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return a->person_id < b->person_id ? -1 : a->person_id > b->person_id;
}

/* Move the adjustable amounts by 100 yuan at a time inside their limits until they add up to
 * target; the last few yuan go to one grant with room. 0 when exact. */
static int adjust(struct plan *p, int n, int64_t target, struct demo_rng *rng)
{
	int64_t sum = 0;
	for (int i = 0; i < n; i++)
		sum += p[i].amount;
	int64_t d = target - sum;
	int start = n ? (int)demo_rng_below(rng, (uint32_t)n) : 0;
	for (int moved = 1; moved && (d >= HUNDRED || d <= -HUNDRED);) {
		moved = 0;
		for (int k = 0; k < n && (d >= HUNDRED || d <= -HUNDRED); k++) {
			struct plan *x = &p[(start + k) % n];
			if (!x->adjustable)
				continue;
			if (d > 0 && x->amount + HUNDRED <= x->hi) {
				x->amount += HUNDRED;
				d -= HUNDRED;
				moved = 1;
			} else if (d < 0 && x->amount - HUNDRED >= x->lo) {
				x->amount -= HUNDRED;
				d += HUNDRED;
				moved = 1;
			}
		}
	}
	for (int k = 0; k < n && d != 0; k++) {
		struct plan *x = &p[(start + k) % n];
		if (x->adjustable && x->amount + d >= x->lo && x->amount + d <= x->hi) {
			x->amount += d;
			d = 0;
		}
	}
	return d == 0 ? 0 : -1;
}

static int64_t day_of(const char *s)
{
	int64_t d = 0;
	demo_parse_day(s, &d);
	return d;
}

static int add_wd(struct db *db, const char *day, int n, char out[11], struct err *e)
{
	return calendar_add_working_days(db, day, n, out, e);
}

static const char *min_day(const char *a, const char *b)
{
	return strcmp(a, b) <= 0 ? a : b;
}

/* One planned grant, applied and taken through its steps. */
static int write_grant(struct db *db, struct actors *acts, const struct actor *sys,
		       const struct plan *p, struct demo_rng *rng, int64_t *replenished,
		       int64_t *refused, struct err *e)
{
	char day[11], d1[11], d2[11], goods[160];
	demo_format_day(p->day, day);
	const struct actor *town = actor_of(db, acts, "township_assistant", p->township, sys);
	const struct actor *county = actor_of(db, acts, "county_staff", p->unit, sys);
	int county_level = p->repeat || p->amount > p->township_limit;
	const struct actor *approver = county_level ? county : town;
	snprintf(goods, sizeof goods, "米、面、食用油、蔬菜、口罩、消毒液等生活物资，折价 %lld 元",
		 (long long)(p->amount / 100));
	struct relief_apply_in in = {
	    .person_id = p->person_id,
	    .kind = p->kind,
	    .cause = p->cause,
	    .amount_fen = p->amount,
	    .form = p->goods ? "goods" : "cash",
	    .goods_note = p->goods ? goods : "",
	    .applied_by = p->applied_by,
	    .source_ref = "",
	    .pay_first = p->pay_first,
	    .reason = p->repeat	     ? "隔离期延长，家庭生活仍有困难，再次申请"
		      : p->pay_first ? "情况紧急，镇街先行救助"
				     : "",
	};
	int64_t id = 0;
	if (relief_apply_on(db, town, &in, day, &id, e) < 0) {
		if (strcmp(e->code, "reserve_insufficient") != 0)
			return -1;
		/* the county tops the reserve up that day (the refusal stays on the list, met) */
		(*refused)++;
		int64_t amount = RESERVE_TOPUP_FEN;
		while (amount < p->amount)
			amount += RESERVE_TOPUP_FEN;
		if (relief_reserve_add(db, county, p->township, "replenishment", amount, day,
				       "先行救助备用金补充", NULL, e) < 0 ||
		    relief_apply_on(db, town, &in, day, &id, e) < 0)
			return -1;
		(*replenished)++;
	}
	struct relief_step_in s = {0};
	if (p->pay_first) {
		if (p->goods) {
			calendar_add_days(day, 1, d1);
			s.on = d1;
			if (relief_deliver(db, town, id, &s, e) < 0)
				return -1;
		}
		char due[11];
		if (add_wd(db, day, 5, due, e) < 0 ||
		    add_wd(db, day, 1 + (int)demo_rng_below(rng, 5), d1, e) < 0)
			return -1;
		s.on = min_day(d1, due);
		if (relief_papers(db, town, id, &s, e) < 0)
			return -1;
		if (add_wd(db, s.on, (int)demo_rng_below(rng, 3), d2, e) < 0)
			return -1;
		s.on = d2;
		s.note = "材料齐全，同意先行救助";
		return relief_approve(db, approver, id, &s, e);
	}
	if (add_wd(db, day, 1 + (int)demo_rng_below(rng, 8), d1, e) < 0)
		return -1;
	if (strcmp(d1, "2020-04-30") > 0)
		snprintf(d1, sizeof d1, "2020-04-30");
	if (p->decision) {
		s.on = d1;
		s.participants =
		    "县民政局局长、分管副局长、社会救助科科长、镇街民政助理、村（居）代表";
		s.decision =
		    "家庭遭遇重大变故，基本生活严重困难，经集体研究，同意超过一般上限给予临时救助";
		if (relief_decide_case(db, county, id, &s, e) < 0)
			return -1;
		s.participants = s.decision = NULL;
	}
	s.on = d1;
	s.note = p->repeat ? "隔离期延长，生活仍有困难，县级同意本年度再次救助" : "同意";
	if (relief_approve(db, approver, id, &s, e) < 0)
		return -1;
	s.note = NULL;
	return relief_pay(db, town, id, &s, e);
}

int demo_relief(struct db *db, const struct actor *sys, const struct demo_options *o,
		struct demo_report *r, struct err *e)
{
	if (!o->assistance)
		return 0;
	double t0 = now_s();
	int64_t n_target = (int64_t)(PUBLISHED_TIMES * o->scale + 0.5);
	int64_t fen_target = (int64_t)(PUBLISHED_YUAN * o->scale + 0.5) * 100;
	if (n_target == 0) {
		demo_note(r, "临时救助 relief：规模过小，目标为 0 人次");
		return 0;
	}
	struct pool pools[NCAT];
	memset(pools, 0, sizeof pools);
	struct used used = {0};
	struct plan *plan = NULL;
	struct actors *acts = calloc(1, sizeof *acts);
	int rc = -1, n = 0, began = 0;
	int64_t refused = 0, replenished = 0, n_pay_first = 0, n_goods = 0, n_decision = 0,
		n_repeat = 0, n_township = 0;
	struct demo_rng rng;
	demo_rng_seed(&rng, o->seed, 0x72656c696566ULL); /* "relief" */
	if (!acts)
		return err_oom(e);

	/* the registry's candidates, in id order */
	if (pool_load(db, &pools[CAT_EPIDEMIC],
		      "SELECT p.id, max(t.tag = 'covid_patient_family') FROM person_tags t JOIN "
		      "persons p ON p.id = t.person_id WHERE t.tag IN ('isolated_family', "
		      "'covid_patient_family') AND p.status = 'active' AND p.relation = 'head' "
		      "GROUP BY p.id ORDER BY p.id",
		      e) < 0 ||
	    pool_load(
		db, &pools[CAT_ILLNESS],
		"SELECT p.id, 0 FROM person_tags t JOIN persons p ON p.id = t.person_id WHERE "
		"t.tag = 'seriously_ill' AND p.status = 'active' ORDER BY p.id",
		e) < 0 ||
	    pool_load(db, &pools[CAT_LIVING],
		      "SELECT DISTINCT p.id, 0 FROM person_tags t JOIN persons p ON p.id = "
		      "t.person_id WHERE t.tag IN ('elderly_alone', 'severely_disabled') AND "
		      "p.status = 'active' ORDER BY p.id",
		      e) < 0 ||
	    pool_load(
		db, &pools[CAT_INCOME],
		"SELECT h.head_person_id, 0 FROM assistance_cases c JOIN households h ON h.id "
		"= c.household_id JOIN persons p ON p.id = h.head_person_id WHERE c.program = "
		"'dibao' AND c.status IN ('active', 'phaseout') AND p.status = 'active' ORDER "
		"BY c.id",
		e) < 0)
		goto out;
	int64_t candidates = 0;
	for (int k = 0; k < NCAT; k++)
		candidates += pools[k].n;
	used.cap = 1;
	while (used.cap < (size_t)candidates * 2 + 16)
		used.cap <<= 1;
	used.slot = calloc(used.cap, sizeof *used.slot);
	plan = calloc((size_t)n_target, sizeof *plan);
	if (!used.slot || !plan) {
		err_oom(e);
		goto out;
	}

	/* choose the persons, causes, days and first amounts */
	int64_t want_decision = n_target / 100, want_repeat = n_target / 200;
	int64_t first = n_target - want_repeat;
	static const uint32_t weights[NCAT] = {40, 20, 20, 20};
	int64_t jan24 = day_of("2020-01-24"), mar31 = day_of("2020-03-31");
	int64_t jan02 = day_of("2020-01-02"), apr15 = day_of("2020-04-15");
	int64_t apr01 = day_of("2020-04-01");
	for (int64_t i = 0; i < first; i++) {
		int cat = demo_rng_pick(&rng, weights, NCAT), covid = 0;
		int64_t pid = 0;
		for (int k = 0; k < NCAT && !pid; k++)
			pid = pool_draw(&rng, &pools[(cat + k) % NCAT], &used, &covid),
			cat = pid ? (cat + k) % NCAT : cat;
		if (!pid) {
			err_set(e, 500, "internal", NULL,
				"演示城市的困难人员不足以安排 %lld 人次临时救助",
				(long long)n_target);
			goto out;
		}
		struct plan *p = &plan[n++];
		p->person_id = pid;
		p->adjustable = 1;
		p->applied_by = "self";
		switch (cat) {
		case CAT_EPIDEMIC:
			p->kind = "emergency";
			p->cause = covid ? "epidemic_infection" : "epidemic_isolation";
			p->applied_by = demo_rng_bp(&rng, 5000) ? "village_worker" : "hotline";
			p->day = demo_rng_range(&rng, jan24, mar31);
			break;
		case CAT_ILLNESS:
			p->kind = demo_rng_bp(&rng, 5000) ? "emergency" : "expense";
			p->cause = p->kind[1] == 'm' ? "sudden_illness" : "medical";
			p->day = demo_rng_range(&rng, jan02, apr15);
			break;
		case CAT_LIVING:
			p->kind = "expense";
			p->cause = "basic_living";
			p->applied_by = demo_rng_bp(&rng, 5000) ? "village_worker" : "self";
			p->day = demo_rng_range(&rng, jan02, apr15);
			break;
		default:
			p->kind = "expense";
			p->cause = "epidemic_income_loss";
			p->day = demo_rng_range(&rng, jan24, apr15);
			break;
		}
		if (i < want_decision) { /* a house fire, a serious accident: above the maximum */
			static const char *const big[] = {"fire", "traffic_accident",
							  "sudden_illness"};
			p->kind = "emergency";
			p->cause = big[demo_rng_below(&rng, 3)];
			p->applied_by = "village_worker";
			p->decision = 1;
			p->adjustable = 0;
			p->day = demo_rng_range(&rng, jan02, apr01);
		}
	}
	for (int64_t i = 0; i < want_repeat;
	     i++) { /* isolation extended: the county approves another */
		struct plan *src = NULL;
		for (int tries = 0; tries < 64 && !src; tries++) {
			struct plan *c = &plan[demo_rng_below(&rng, (uint32_t)first)];
			if (c->adjustable && !c->repeat && c->day <= apr01 - 14)
				src = c;
		}
		if (!src)
			break;
		struct plan *p = &plan[n++];
		*p = *src;
		p->repeat = 1;
		p->pay_first = 0;
		p->applied_by = "village_worker";
		p->day = src->day + 14 + (int64_t)demo_rng_below(&rng, 14);
		src->repeat = 2; /* its first grant: not repeated twice */
	}

	/* each grant's limits from the parameters in force, then its amount */
	for (int i = 0; i < n; i++) {
		struct plan *p = &plan[i];
		struct relief_limits l;
		char day[11];
		demo_format_day(p->day, day);
		if (relief_person_limits(db, sys, p->person_id, day, &l, e) < 0)
			goto out;
		snprintf(p->township, sizeof p->township, "%s", l.township_code);
		snprintf(p->unit, sizeof p->unit, "%s", l.unit_code);
		p->township_limit = l.p.township_limit_fen;
		int64_t hi = l.max_fen / HUNDRED * HUNDRED;
		int64_t lo = strcmp(p->kind, "emergency") == 0
				 ? (l.emergency_min_fen + HUNDRED - 1) / HUNDRED * HUNDRED
				 : 5 * HUNDRED;
		if (p->decision) {
			p->amount = hi + HUNDRED * (int64_t)demo_rng_range(&rng, 5, hi / HUNDRED);
			p->lo = p->hi = p->amount;
			continue;
		}
		uint64_t u = demo_rng_below(&rng, 1001);
		p->lo = lo;
		p->hi = hi;
		p->amount = lo + (int64_t)((uint64_t)(hi - lo) * (u * u * u) / 1000000000ULL);
		p->amount = lo + (p->amount - lo) / HUNDRED * HUNDRED;
		if (p->repeat != 1 && strcmp(p->kind, "emergency") == 0 &&
		    demo_rng_bp(&rng, 4000)) {
			p->pay_first = 1;
			p->goods =
			    strcmp(p->cause, "epidemic_isolation") == 0 && demo_rng_bp(&rng, 5000);
		}
	}
	if (adjust(plan, n, fen_target, &rng) < 0) {
		err_set(e, 500, "internal", NULL, "临时救助演示金额无法在规则限额内凑足目标");
		goto out;
	}
	qsort(plan, (size_t)n, sizeof *plan, cmp_plan);

	/* write: the reserves, then the grants in date order */
	if (db_begin_write(db, e) < 0)
		goto out;
	began = 1;
	{
		struct db_stmt *st =
		    db_prepare(db,
			       "SELECT code, coalesce(unit_code, '') FROM regions WHERE "
			       "level = 4 AND code LIKE '3707%' ORDER BY code",
			       e);
		if (!st)
			goto out;
		char(*towns)[2][16] = NULL;
		int nt = 0, at = 0, s;
		while ((s = db_step(st, e)) == 1) {
			if (nt == at) {
				at = at ? at * 2 : 128;
				void *m = realloc(towns, (size_t)at * sizeof *towns);
				if (!m) {
					s = err_oom(e);
					break;
				}
				towns = m;
			}
			snprintf(towns[nt][0], 16, "%s", db_col_text(st, 0));
			snprintf(towns[nt][1], 16, "%s", db_col_text(st, 1));
			nt++;
		}
		db_done(st);
		for (int i = 0; s == 0 && i < nt; i++) {
			const struct actor *county =
			    actor_of(db, acts, "county_staff", towns[i][1], sys);
			if (relief_reserve_add(db, county, towns[i][0], "allocation",
					       RESERVE_START_FEN, "2020-01-02",
					       "临时救助备用金（2020 年度）", NULL, e) < 0)
				s = -1;
		}
		free(towns);
		if (s < 0)
			goto out;
	}
	for (int i = 0; i < n; i++) {
		if (write_grant(db, acts, sys, &plan[i], &rng, &replenished, &refused, e) < 0)
			goto out;
		n_pay_first += plan[i].pay_first;
		n_goods += plan[i].goods;
		n_decision += plan[i].decision;
		n_repeat += plan[i].repeat == 1;
		n_township += !(plan[i].repeat == 1 || plan[i].amount > plan[i].township_limit);
	}
	if (db_commit(db, e) < 0)
		goto out;
	began = 0;

	struct scope all = {0};
	all.n = 1;
	struct relief_totals t;
	if (relief_report_totals(db, &all, "2020-01", "2020-04", NULL, NULL, &t, e) != 0)
		goto out;
	int bad = 0;
	if (relief_reconcile(db, sys, "", NULL, NULL, &bad, e) < 0)
		goto out;
	demo_note(r, "临时救助 relief      person_times %lld amount_fen %lld（目标 %lld / %lld）%s",
		  (long long)t.person_times, (long long)t.amount_fen, (long long)n_target,
		  (long long)fen_target,
		  t.person_times == n_target && t.amount_fen == fen_target ? "，与公布数字一致"
									   : "，与目标不一致");
	demo_note(
	    r,
	    "  先行救助 %lld（实物 %lld），一事一议 %lld，同一事由再次救助 %lld，镇街审批 %lld；"
	    "备用金不足 %lld 次、县级补充 %lld 次，核对%s；用时 %.2f 秒",
	    (long long)n_pay_first, (long long)n_goods, (long long)n_decision, (long long)n_repeat,
	    (long long)n_township, (long long)refused, (long long)replenished,
	    bad ? "不符" : "一致", now_s() - t0);
	rc = 0;
out:
	if (began)
		db_rollback(db);
	for (int k = 0; k < NCAT; k++) {
		free(pools[k].id);
		free(pools[k].covid);
	}
	free(used.slot);
	free(plan);
	free(acts);
	return rc;
}
