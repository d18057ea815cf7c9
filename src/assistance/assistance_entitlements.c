/* assistance_entitlements.c — what every case is owed for a month (assistance_entitlements(), the
 * payroll's input) and one case's month in detail (assistance_case_calc(), for the case page,
 * approvals and reviews). Both run the same code, so they cannot disagree.
 *
 * How it works (one month, one scope):
 * - Three streaming queries, each one pass in (unit_code, region_code, id) order over the
 *   partial index assistance_cases_pay, which holds only cases that have ever been paid and
 *   carries the months, so cases out of the month are skipped on the index alone:
 *     1. the 特困 roll of the month: the person ids, read once into a sorted array (a 特困
 *        member of a 低保 household is not counted in its amount);
 *     2. the cases, with the household head and, for one-person programs, the person;
 *     3. the members of the 低保 households, in the same case order — merged with (2) in C,
 *        so a household's members arrive right after its case without one query per case.
 *   The payroll's 1 M rows therefore cost three index walks, not millions of statements.
 * - Parameters come from the policy module, once per (unit, residence type) — a city has a few
 *   dozen — and are cached for the run.
 * - Every figure is computed by assistance_rules.c: ages on the month's first day, the 低保
 *   amount with its uplifts and minimum, the 特困 basic + care, the child allowance and its age
 *   limit, the pay status with phase-out and epidemic hold. This file only gathers inputs.
 * - The pay status of a month (pay_eval): not before start_month; not in a suspension
 *   interval; a phase-out found in month F pays F+1..F+N at the amount decided last, then ends
 *   (an exit inside an epidemic period is held: paid "held" until the period is over); a
 *   termination in month T pays up to T, then ends — held likewise unless its cause is a death
 *   or a move away. A person removed from the registry counts (and is paid) up to the month of
 *   the removal and not after; so does a person whose death the cross-check recorded
 *   (crosscheck_deaths), up to the month of death. An active 低保 case whose registry income has reached the
 *   standard keeps the amount decided last until a review decides otherwise (an exit only
 *   happens through a review or a termination, never silently).
 * - Job-offer refusals: the refusals counting in the month (dated in the 12 months before it
 *   and recorded before it) are read once per run into an array by person; each member's count
 *   goes to the rules, which withhold the share of a member with 3 (refusals_load).
 * - One management unit (assistance_entitlements_unit, the per-unit payroll): the same passes
 *   over that unit's index ranges only, the 特困 roll asked per member (see there).
 * - Runs inside the caller's transaction when one is open (the payroll's), else in a read
 *   transaction of its own, so every row comes from one snapshot.
 */
#include "core/array_grow.h"
#include "assistance/assistance_internal.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/text.h"
#include "policy/policy.h"

/* ------------------------------------------------------------------------------------------ */
/* small helpers                                                                              */
/* ------------------------------------------------------------------------------------------ */

int assistance_month_or_zero(const char *z)
{
	int m;
	if (!z || !*z || assistance_month_parse(z, &m) < 0 || !assistance_month_valid(m))
		return 0;
	return m;
}

enum program { P_DIBAO = 1, P_TEKUN, P_ORPHAN, P_UNSUPPORTED };

static int program_of(const char *z)
{
	if (strcmp(z, ASSISTANCE_DIBAO) == 0)
		return P_DIBAO;
	if (strcmp(z, ASSISTANCE_TEKUN) == 0)
		return P_TEKUN;
	if (strcmp(z, ASSISTANCE_ORPHAN) == 0)
		return P_ORPHAN;
	if (strcmp(z, ASSISTANCE_UNSUPPORTED_CHILD) == 0)
		return P_UNSUPPORTED;
	return 0;
}

/* A parent as the rules need them, rebuilt from the condition recorded at approval: the rules
 * then give the same category every month, and the age limit with it. */
static void parent_from_code(const char *code, struct assistance_parent *pa)
{
	memset(pa, 0, sizeof *pa);
	if (strcmp(code, "dead") == 0)
		pa->dead = 1;
	else if (strcmp(code, "missing") == 0)
		pa->missing = 1;
	else if (strcmp(code, "severely_disabled") == 0)
		pa->disability_grade = 1;
	else if (strcmp(code, "seriously_ill") == 0)
		pa->seriously_ill = 1;
	else if (strcmp(code, "detained") == 0)
		pa->detained_months = ASSISTANCE_ABSENCE_MONTHS;
	else if (strcmp(code, "out_of_contact") == 0)
		pa->out_of_contact_months = ASSISTANCE_ABSENCE_MONTHS;
}

/* ------------------------------------------------------------------------------------------ */
/* parameters                                                                                 */
/* ------------------------------------------------------------------------------------------ */

#define G_URBAN_STD 0x100u
#define G_RURAL_STD 0x200u

#define F64(f) offsetof(struct assistance_params, f), 1
#define F32(f) offsetof(struct assistance_params, f), 0

static const struct {
	const char *key;
	unsigned groups;
	size_t off;
	int wide;
} param_keys[] = {
	{"dibao_standard_urban_month_fen", G_URBAN_STD, F64(dibao_standard_urban_month_fen)},
	{"dibao_standard_rural_year_fen", G_RURAL_STD, F64(dibao_standard_rural_year_fen)},
	{"dibao_min_payment_fen", ASSISTANCE_PG_DIBAO, F64(dibao_min_payment_fen)},
	{"dibao_uplift_elderly_bp", ASSISTANCE_PG_DIBAO, F32(dibao_uplift_elderly_bp)},
	{"dibao_uplift_severe_disability_bp", ASSISTANCE_PG_DIBAO,
	 F32(dibao_uplift_severe_disability_bp)},
	{"dibao_uplift_serious_illness_bp", ASSISTANCE_PG_DIBAO, F32(dibao_uplift_serious_illness_bp)},
	{"dibao_uplift_minor_bp", ASSISTANCE_PG_DIBAO, F32(dibao_uplift_minor_bp)},
	{"dibao_elderly_age", ASSISTANCE_PG_DIBAO, F32(dibao_elderly_age)},
	{"tekun_basic_factor_bp", ASSISTANCE_PG_TEKUN, F32(tekun_basic_factor_bp)},
	{"tekun_care_centralised_full_year_fen", ASSISTANCE_PG_TEKUN,
	 F64(tekun_care_centralised_full_year_fen)},
	{"tekun_care_centralised_half_year_fen", ASSISTANCE_PG_TEKUN,
	 F64(tekun_care_centralised_half_year_fen)},
	{"tekun_care_centralised_self_year_fen", ASSISTANCE_PG_TEKUN,
	 F64(tekun_care_centralised_self_year_fen)},
	{"tekun_care_scattered_full_year_fen", ASSISTANCE_PG_TEKUN,
	 F64(tekun_care_scattered_full_year_fen)},
	{"tekun_care_scattered_half_year_fen", ASSISTANCE_PG_TEKUN,
	 F64(tekun_care_scattered_half_year_fen)},
	{"tekun_care_scattered_self_year_fen", ASSISTANCE_PG_TEKUN,
	 F64(tekun_care_scattered_self_year_fen)},
	{"orphan_institutional_month_fen", ASSISTANCE_PG_CHILD, F64(orphan_institutional_month_fen)},
	{"orphan_scattered_month_fen", ASSISTANCE_PG_CHILD, F64(orphan_scattered_month_fen)},
	{"unsupported_child_month_fen", ASSISTANCE_PG_CHILD, F64(unsupported_child_month_fen)},
	{"dibao_phaseout_months", ASSISTANCE_PG_CASEWORK, F32(dibao_phaseout_months)},
	{"review_stable_months", ASSISTANCE_PG_CASEWORK, F32(review_stable_months)},
	{"review_irregular_months", ASSISTANCE_PG_CASEWORK, F32(review_irregular_months)},
	{"notice_days", ASSISTANCE_PG_CASEWORK, F32(notice_days)},
};

int assistance_params_load(struct db *db, const char *unit_code, const char *residence,
			   const char *month, unsigned groups, struct assistance_params *p,
			   struct err *e)
{
	const int urban = strcmp(residence, "urban") == 0;
	if (groups & (ASSISTANCE_PG_DIBAO | ASSISTANCE_PG_TEKUN))
		groups |= urban ? G_URBAN_STD : G_RURAL_STD;
	for (size_t i = 0; i < sizeof param_keys / sizeof param_keys[0]; i++) {
		int64_t v;
		if (!(param_keys[i].groups & groups))
			continue;
		if (policy_value(db, unit_code, residence, param_keys[i].key, month, &v, e) < 0)
			return -1;
		char *f = (char *)p + param_keys[i].off;
		if (param_keys[i].wide)
			memcpy(f, &v, sizeof v);
		else {
			int32_t v32 = v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
			memcpy(f, &v32, sizeof v32);
		}
	}
	return 0;
}

struct pcache_entry {
	char unit[16];
	int residence; /* enum assistance_residence */
	unsigned loaded;
	struct assistance_params p;
};

struct pcache {
	int n, alloc;
	struct pcache_entry *v;
	struct pcache_entry *last;
};

/* The parameters for (unit, residence) with at least `groups` loaded; NULL with e on error. */
static struct assistance_params *params_for(struct db *db, struct pcache *pc, const char *unit,
					    int residence, const char *month, unsigned groups,
					    struct err *e)
{
	struct pcache_entry *x = pc->last;
	if (!x || x->residence != residence || strcmp(x->unit, unit) != 0) {
		x = NULL;
		for (int i = 0; i < pc->n; i++)
			if (pc->v[i].residence == residence && strcmp(pc->v[i].unit, unit) == 0) {
				x = &pc->v[i];
				break;
			}
		if (!x) {
			if (pc->n == pc->alloc) {
				int na = pc->alloc ? pc->alloc * 2 : 16;
				struct pcache_entry *nv = realloc(pc->v, (size_t)na * sizeof *nv);
				if (!nv) {
					err_oom(e);
					return NULL;
				}
				pc->v = nv;
				pc->alloc = na;
			}
			x = &pc->v[pc->n++];
			memset(x, 0, sizeof *x);
			text_copy(x->unit, sizeof x->unit, unit);
			x->residence = residence;
		}
		pc->last = x;
	}
	if ((x->loaded & groups) != groups) {
		unsigned need = groups & ~x->loaded;
		if (assistance_params_load(db, unit, residence == ASSISTANCE_URBAN ? "urban" : "rural",
					   month, need, &x->p, e) < 0)
			return NULL;
		x->loaded |= need;
	}
	return &x->p;
}

/* ------------------------------------------------------------------------------------------ */
/* epidemic periods and the 特困 roll                                                          */
/* ------------------------------------------------------------------------------------------ */

int assistance_periods_load(struct db *db, struct assistance_period **out, int *n, struct err *e)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_prepare(
	    db, "SELECT start_month, end_month FROM epidemic_periods ORDER BY start_month, id", e);
	if (!st)
		return -1;
	int rc, alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		int a = assistance_month_or_zero(db_col_text(st, 0));
		int b = assistance_month_or_zero(db_col_text(st, 1));
		if (!a || !b || a > b)
			continue; /* the store never writes such a row */
		if (array_grow(out, *n, &alloc, sizeof **out, 8) < 0) {
			rc = err_oom(e);
			break;
		}
		(*out)[*n].start_month = a;
		(*out)[(*n)++].end_month = b;
	}
	db_done(st);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

struct idset {
	int64_t *v;
	int n, alloc;
};

static int idset_add(struct idset *s, int64_t id, struct err *e)
{
	if (s->n == s->alloc) {
		int na = s->alloc ? s->alloc * 2 : 1024;
		int64_t *nv = realloc(s->v, (size_t)na * sizeof *nv);
		if (!nv)
			return err_oom(e);
		s->v = nv;
		s->alloc = na;
	}
	s->v[s->n++] = id;
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int idset_has(const struct idset *s, int64_t id)
{
	return s->n && bsearch(&id, s->v, (size_t)s->n, sizeof id, cmp_i64) != NULL;
}

/* The filter "paid or possibly paid in month ?1" (?2: the last month any epidemic period
 * covers, '' when none): the same terms as the partial index assistance_cases_pay, so the
 * index answers them. PAY_FILTER_SCAN is the same filter written so that no index matches it:
 * a pass that wants the table in storage order (its cheapest order) says so with it. */
#define PAY_FILTER_AS(t)                                                                           \
	t ".status IN ('active','suspended','phaseout','terminated') AND " t ".start_month <> '' " \
	"AND " t ".start_month <= ?1 AND (" t ".end_month = '' OR " t ".end_month >= ?1 "          \
	"OR (" t ".exit_holdable = 1 AND ?1 <= ?2))"
#define PAY_FILTER PAY_FILTER_AS("c")
#define PAY_FILTER_SCAN                                                                            \
	"(c.status || '') IN ('active','suspended','phaseout','terminated') AND "                 \
	"c.start_month <> '' AND c.start_month <= ?1 AND (c.end_month = '' OR "                    \
	"c.end_month >= ?1 OR (c.exit_holdable = 1 AND ?1 <= ?2))"

/* ------------------------------------------------------------------------------------------ */
/* the rows                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/* The case columns the month needs — all of them in assistance_cases_pay, so the ordered pass
 * reads the index alone. */
#define ORDER_COLS                                                                                 \
	"c.id, c.program, c.household_id, coalesce(c.person_id, 0), c.region_code, c.unit_code, "  \
	"c.residence_type, c.status, c.start_month, c.end_month, c.exit_holdable, "               \
	"c.suspended_from, c.suspended_until, c.monthly_amount_fen, c.phaseout_from, "             \
	"c.phaseout_months, c.adl_mask, c.support_form, c.child_placement, c.parent_condition_1, " \
	"c.parent_condition_2, c.payee_name, c.bank_name, c.bank_account "

/* A death recorded by the cross-check (crosscheck_deaths: a funeral home's record or another
 * department's death list) counts as a removal dated the day of death: the person is gone from
 * the month after. DIED_ON is the earliest recorded day, NULL when none. */
#define DIED_ON                                                                                    \
	"(SELECT min(xd.died_on) FROM crosscheck_deaths xd WHERE xd.person_id = p.id)"
/* 1 when the person is removed from the registry or recorded dead. */
#define GONE "(p.status = 'removed' OR " DIED_ON " IS NOT NULL)"
/* A removal's month: the latest 'removed' history row of a removed person, or the day of death
 * when that is earlier ('' otherwise). */
#define REMOVED_AT                                                                                 \
	"CASE WHEN p.status = 'removed' THEN min(coalesce((SELECT max(ph.at) FROM person_history ph " \
	"WHERE ph.person_id = p.id AND ph.action = 'removed'), ''), coalesce(" DIED_ON ", '9')) "    \
	"ELSE coalesce(" DIED_ON ", '') END"

/* The 低保 members: one row per person of the household, the case's rows together. */
#define MEMBER_COLS                                                                                \
	"SELECT c.id, c.unit_code, c.residence_type, p.id, p.name, p.relation, p.birth_date, "     \
	"p.disability_grade, p.serious_illness, p.monthly_income_fen, " GONE ", "     \
	REMOVED_AT
#define MEMBER_SELECT                                                                              \
	MEMBER_COLS " FROM assistance_cases c JOIN persons p ON p.household_id = c.household_id "
/* The person of a one-person program. */
#define PERSON_SELECT                                                                              \
	"SELECT c.id, p.name, p.birth_date, " GONE ", " REMOVED_AT                     \
	" FROM assistance_cases c JOIN persons p ON p.id = c.person_id "

/* One case row as read. */
struct crow {
	int64_t id;
	int program;
	char program_name[20];
	int64_t household_id, person_id;
	char region[16], unit[16];
	int residence;
	char status[16];
	int start, end, holdable, susp_from, susp_until;
	int64_t amount;
	int po_from, po_n;
	unsigned adl;
	int form, placement;
	char cond[2][24];
	char payee[128], bank_name[128], bank_account[40];
};

/* 1 when a person removed at `at` (ISO timestamp, '' when unknown) is gone in `month`: from the
 * month after the removal on. A removal without a date counts as long gone. */
static int removed_before(const char *at, int month)
{
	char m[8];
	if (!at || strlen(at) < 7)
		return 1;
	memcpy(m, at, 7);
	m[7] = '\0';
	int rm = assistance_month_or_zero(m);
	return !rm || month > rm;
}

static void crow_read(struct db_stmt *st, struct crow *c)
{
	const char *z;
	c->id = db_col_int(st, 0);
	text_copy(c->program_name, sizeof c->program_name, db_col_text(st, 1));
	c->program = program_of(c->program_name);
	c->household_id = db_col_int(st, 2);
	c->person_id = db_col_int(st, 3);
	text_copy(c->region, sizeof c->region, db_col_text(st, 4));
	text_copy(c->unit, sizeof c->unit, db_col_text(st, 5));
	c->residence = strcmp(db_col_text(st, 6), "urban") == 0 ? ASSISTANCE_URBAN : ASSISTANCE_RURAL;
	text_copy(c->status, sizeof c->status, db_col_text(st, 7));
	c->start = assistance_month_or_zero(db_col_text(st, 8));
	c->end = assistance_month_or_zero(db_col_text(st, 9));
	c->holdable = (int)db_col_int(st, 10);
	c->susp_from = assistance_month_or_zero(db_col_text(st, 11));
	c->susp_until = assistance_month_or_zero(db_col_text(st, 12));
	c->amount = db_col_int(st, 13);
	c->po_from = assistance_month_or_zero(db_col_text(st, 14));
	c->po_n = (int)db_col_int(st, 15);
	c->adl = (unsigned)db_col_int(st, 16);
	z = db_col_text(st, 17);
	c->form = strcmp(z, "centralised") == 0 ? ASSISTANCE_SUPPORT_CENTRALISED
		  : strcmp(z, "scattered") == 0 ? ASSISTANCE_SUPPORT_SCATTERED
						: 0;
	z = db_col_text(st, 18);
	c->placement = strcmp(z, "institutional") == 0 ? ASSISTANCE_PLACEMENT_INSTITUTIONAL
		       : strcmp(z, "scattered") == 0   ? ASSISTANCE_PLACEMENT_SCATTERED
						       : 0;
	text_copy(c->cond[0], sizeof c->cond[0], db_col_text(st, 19));
	text_copy(c->cond[1], sizeof c->cond[1], db_col_text(st, 20));
	text_copy(c->payee, sizeof c->payee, db_col_text(st, 21));
	text_copy(c->bank_name, sizeof c->bank_name, db_col_text(st, 22));
	text_copy(c->bank_account, sizeof c->bank_account, db_col_text(st, 23));
}

/* ------------------------------------------------------------------------------------------ */
/* facts gathered before the ordered pass                                                     */
/* ------------------------------------------------------------------------------------------ */

/* What the month of a 低保 case needs from its household, computed by the rules. */
struct dfact {
	int64_t case_id;
	int64_t amount;		/* the rules' amount (0 when nothing is payable) */
	int64_t beneficiary_id; /* the head, else the first counted member */
	uint32_t ids_off;	/* the counted members: run.ids[ids_off .. + n_ids) */
	uint32_t payee_off;	/* the head's name: run.names + payee_off */
	uint8_t n_ids;		/* counted members */
	uint8_t reason;		/* enum assistance_dibao_reason */
};

/* What the month of a one-person case needs from the registry. */
struct pfact {
	int64_t case_id;
	int32_t birth_month; /* 0 when the date is unreadable */
	uint32_t name_off;   /* run.names + name_off */
	uint8_t removed_before;
};

/* A case id → fact index: a dense array when the ids are dense enough, else binary search. */
struct fidx {
	int64_t base;
	size_t span;
	int32_t *slot;
};

/* A person's job-offer refusals counted in the month. */
struct pcount {
	int64_t person_id;
	int n;
};

struct run {
	struct db *db;
	int month;
	char month_s[8];
	char maxend[8];
	char window_s[8]; /* first month of the refusal window (month − 12); "" before 1901 */
	struct pcount *refusals; /* by person id, ascending (refusals_load) */
	int n_refusals;
	int tekun_col; /* > 0: member rows say whether the person is on the 特困 roll in this
			* column (a unit's run); 0: r.tekun says */
	struct assistance_period *periods;
	int n_periods;
	struct idset tekun;
	struct pcache pc;
	int assume_active;
	struct dfact *df;
	int n_df;
	size_t alloc_df;
	struct pfact *pf;
	int n_pf;
	size_t alloc_pf;
	int64_t *ids;
	size_t n_ids, alloc_ids;
	char *names;
	size_t n_names, alloc_names;
	struct fidx dix, pix;
};

static int grow(void **v, size_t *alloc, size_t need, size_t size, struct err *e)
{
	if (need <= *alloc)
		return 0;
	size_t na = *alloc ? *alloc : 256;
	while (na < need)
		na *= 2;
	void *nv = realloc(*v, na * size);
	if (!nv)
		return err_oom(e);
	*v = nv;
	*alloc = na;
	return 0;
}

/* Keep a name; its offset into run.names. */
static int name_keep(struct run *r, const char *z, uint32_t *off, struct err *e)
{
	size_t n = strlen(z) + 1;
	if (r->n_names + n > UINT32_MAX)
		return err_oom(e);
	if (grow((void **)&r->names, &r->alloc_names, r->n_names + n, 1, e) < 0)
		return -1;
	memcpy(r->names + r->n_names, z, n);
	*off = (uint32_t)r->n_names;
	r->n_names += n;
	return 0;
}

/* The job-offer refusals that count in r->month, per person, into r->refusals: those dated in
 * the window month − 12 … month − 1 and recorded before the month. So a refusal counts from the
 * month after it happened (and never in a month before it was recorded: a refusal entered late
 * does not change a month the payroll may already have paid) until the twelfth month after the
 * month it happened; the rules withhold a member's share in a month where they have
 * ASSISTANCE_REFUSALS_LIMIT (3) or more. household_id > 0: that household's persons only (one
 * case's month). Refusals are few beside the cases, so the whole window is read once per run. */
static int refusals_load(struct run *r, int64_t household_id, struct err *e)
{
	struct db_stmt *st =
	    household_id
		? db_prepare(r->db,
			     "SELECT f.person_id FROM persons p JOIN assistance_job_refusals f ON "
			     "f.person_id = p.id WHERE p.household_id = ?3 AND f.refused_on >= ?2 "
			     "AND f.refused_on < ?1 AND f.at < ?1 ORDER BY f.person_id",
			     e)
		: db_prepare(r->db,
			     "SELECT person_id FROM assistance_job_refusals WHERE refused_on >= ?2 "
			     "AND refused_on < ?1 AND at < ?1 ORDER BY person_id",
			     e);
	if (!st)
		return -1;
	db_bind_text(st, 1, r->month_s);
	db_bind_text(st, 2, r->window_s);
	if (household_id)
		db_bind_int(st, 3, household_id);
	size_t alloc = 0;
	int rc;
	while ((rc = db_step(st, e)) == 1) {
		const int64_t pid = db_col_int(st, 0);
		if (r->n_refusals && r->refusals[r->n_refusals - 1].person_id == pid) {
			r->refusals[r->n_refusals - 1].n++;
			continue;
		}
		if (grow((void **)&r->refusals, &alloc, (size_t)r->n_refusals + 1,
			 sizeof *r->refusals, e) < 0) {
			rc = -1;
			break;
		}
		r->refusals[r->n_refusals].person_id = pid;
		r->refusals[r->n_refusals++].n = 1;
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* A person's refusals counted in the month (0 when none). */
static int refusals_of(const struct run *r, int64_t person_id)
{
	int lo = 0, hi = r->n_refusals - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (r->refusals[mid].person_id == person_id)
			return r->refusals[mid].n;
		if (r->refusals[mid].person_id < person_id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return 0;
}

/* Read the member rows of the case the statement is on (column 0) into out->members;
 * *rc is the step result after them (1: the next case's first row is ready). */
static int gather_members(struct run *r, struct db_stmt *st, int *rc,
			  struct assistance_case_calc *out, struct err *e)
{
	const int64_t id = db_col_int(st, 0);
	out->n_members = 0;
	while (*rc == 1 && db_col_int(st, 0) == id) {
		int removed = (int)db_col_int(st, 10);
		if (out->n_members < ASSISTANCE_MAX_MEMBERS &&
		    !(removed && removed_before(db_col_text(st, 11), r->month))) {
			struct assistance_calc_member *mb = &out->members[out->n_members++];
			mb->person_id = db_col_int(st, 3);
			text_copy(mb->name, sizeof mb->name, db_col_text(st, 4));
			text_copy(mb->relation, sizeof mb->relation, db_col_text(st, 5));
			if (assistance_age_on_month(db_col_text(st, 6), r->month, &mb->age) < 0)
				mb->age = -1; /* not born by the 1st (or no valid date) */
			mb->disability_grade = (int)db_col_int(st, 7);
			mb->serious_illness = db_col_int(st, 8) != 0;
			mb->income_month_fen = db_col_int(st, 9);
			mb->removed = 0;
			mb->is_tekun = r->tekun_col ? db_col_int(st, r->tekun_col) != 0
						    : idset_has(&r->tekun, mb->person_id);
			mb->job_refusals = refusals_of(r, mb->person_id);
			mb->considered = 0;
			mb->rules_index = -1;
		}
		*rc = db_step(st, e);
	}
	return *rc < 0 ? -1 : 0;
}

/* The 低保 amount of the month by the rules, from the gathered members. */
static int dibao_month(struct run *r, const char *unit, int residence,
		       struct assistance_case_calc *out, struct err *e)
{
	struct assistance_member mem[ASSISTANCE_MAX_MEMBERS];
	int n = 0;
	for (int i = 0; i < out->n_members; i++) {
		struct assistance_calc_member *mb = &out->members[i];
		if (mb->age < 0 || mb->age > ASSISTANCE_MAX_AGE)
			continue;
		memset(&mem[n], 0, sizeof mem[n]);
		mem[n].age = mb->age;
		mem[n].disability_grade = mb->disability_grade;
		mem[n].seriously_ill = mb->serious_illness;
		mem[n].is_tekun = mb->is_tekun;
		mem[n].income_month_fen = mb->income_month_fen;
		mem[n].job_refusals = mb->job_refusals;
		mb->considered = 1;
		mb->rules_index = n++;
	}
	memset(&out->dibao, 0, sizeof out->dibao);
	out->has_dibao = 1;
	if (n == 0) {
		out->dibao.reason = ASSISTANCE_DIBAO_NO_COUNTED_MEMBERS;
		return 0;
	}
	const struct assistance_params *p =
	    params_for(r->db, &r->pc, unit, residence, r->month_s, ASSISTANCE_PG_DIBAO, e);
	if (!p || assistance_dibao_amount(p, residence, mem, n, &out->dibao, e) < 0)
		return -1;
	return 0;
}

/* The fact of one 低保 case from its computed members. */
static int dfact_add(struct run *r, int64_t case_id, const struct assistance_case_calc *k,
		     struct err *e)
{
	if (grow((void **)&r->df, &r->alloc_df, (size_t)r->n_df + 1, sizeof *r->df, e) < 0 ||
	    grow((void **)&r->ids, &r->alloc_ids, r->n_ids + ASSISTANCE_MAX_MEMBERS, sizeof *r->ids,
		 e) < 0)
		return -1;
	struct dfact *d = &r->df[r->n_df];
	memset(d, 0, sizeof *d);
	d->case_id = case_id;
	d->amount = k->dibao.amount_fen;
	d->reason = (uint8_t)k->dibao.reason;
	d->ids_off = (uint32_t)r->n_ids;
	const struct assistance_calc_member *head = NULL, *first = NULL;
	for (int i = 0; i < k->n_members; i++) {
		const struct assistance_calc_member *mb = &k->members[i];
		if (!mb->considered || mb->is_tekun)
			continue;
		r->ids[r->n_ids++] = mb->person_id;
		d->n_ids++;
		if (!first)
			first = mb;
		if (!head && strcmp(mb->relation, "head") == 0)
			head = mb;
	}
	/* the head is paid; a household whose head is gone pays its first counted member */
	if (!head)
		head = first;
	d->beneficiary_id = head ? head->person_id : 0;
	if (name_keep(r, head ? head->name : "", &d->payee_off, e) < 0)
		return -1;
	r->n_df++;
	return 0;
}

static int pfact_add(struct run *r, struct db_stmt *st, struct err *e)
{
	int by, bm;
	if (grow((void **)&r->pf, &r->alloc_pf, (size_t)r->n_pf + 1, sizeof *r->pf, e) < 0)
		return -1;
	struct pfact *f = &r->pf[r->n_pf];
	memset(f, 0, sizeof *f);
	f->case_id = db_col_int(st, 0);
	if (name_keep(r, db_col_text(st, 1), &f->name_off, e) < 0)
		return -1;
	if (sscanf(db_col_text(st, 2), "%4d-%2d", &by, &bm) == 2 && bm >= 1 && bm <= 12)
		f->birth_month = assistance_month_make(by, bm);
	f->removed_before = db_col_int(st, 3) && removed_before(db_col_text(st, 4), r->month);
	r->n_pf++;
	return 0;
}

/* Index facts (sorted by case id, stride apart) by case id. */
static int fidx_build(struct fidx *x, const void *v, int n, size_t stride, struct err *e)
{
	memset(x, 0, sizeof *x);
	if (n == 0)
		return 0;
	const int64_t lo = *(const int64_t *)v;
	const int64_t hi = *(const int64_t *)((const char *)v + (size_t)(n - 1) * stride);
	const uint64_t span = (uint64_t)(hi - lo) + 1;
	if (span > (uint64_t)n * 4 + 65536)
		return 0; /* sparse: binary search */
	x->slot = malloc(span * sizeof *x->slot);
	if (!x->slot)
		return err_oom(e);
	memset(x->slot, 0xff, span * sizeof *x->slot);
	for (int i = 0; i < n; i++)
		x->slot[*(const int64_t *)((const char *)v + (size_t)i * stride) - lo] = i;
	x->base = lo;
	x->span = (size_t)span;
	return 0;
}

static int fidx_find(const struct fidx *x, const void *v, int n, size_t stride, int64_t id)
{
	if (x->slot) {
		if (id < x->base || (uint64_t)(id - x->base) >= x->span)
			return -1;
		return x->slot[id - x->base];
	}
	int lo = 0, hi = n - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		int64_t m = *(const int64_t *)((const char *)v + (size_t)mid * stride);
		if (m == id)
			return mid;
		if (m < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* one case's month                                                                           */
/* ------------------------------------------------------------------------------------------ */

/* Name the case in an error from the rules or the policy module. A policy_missing keeps its
 * status, and so does a database error (503 busy stays retryable, 507 disk_full says why);
 * anything else is the server's problem (stored data the rules refuse). */
static int case_error(struct err *e, int64_t id, const char *region)
{
	char what[300], code[40], field[80];
	int status = e->status == 404 || e->status >= 500 ? e->status : 500;
	text_copy(what, sizeof what, e->message);
	text_copy(code, sizeof code, e->code[0] ? e->code : "internal");
	text_copy(field, sizeof field, e->field);
	return err_set(e, status, code, field[0] ? field : NULL, "案件 %lld（%s）无法计算：%s",
		       (long long)id, region, what);
}

/* The pay state of c in r->month (see the top of the file). */
static int pay_eval(const struct run *r, const struct crow *c, struct assistance_case_calc *out,
		    struct err *e)
{
	const int m = r->month;
	if (r->assume_active) {
		out->state = ASSISTANCE_PAY_ACTIVE;
		return 0;
	}
	if (!c->start || m < c->start) {
		out->state = ASSISTANCE_PAY_NOT_STARTED;
		text_copy(out->why, sizeof out->why, "not_started");
		return 0;
	}
	if (c->susp_from && m >= c->susp_from && (!c->susp_until || m < c->susp_until)) {
		out->state = ASSISTANCE_PAY_ENDED;
		text_copy(out->why, sizeof out->why, "suspended");
		return 0;
	}
	enum assistance_pay_state st = ASSISTANCE_PAY_ACTIVE;
	if (c->po_from) {
		struct assistance_case_months cm = {c->start, c->po_from, c->po_n};
		struct assistance_pay_status ps;
		if (assistance_pay_status(&cm, r->periods, r->n_periods, m, &ps, e) < 0)
			return -1;
		st = ps.state;
		out->phaseout_k = ps.phaseout_k;
		out->phaseout_n = ps.phaseout_n;
		out->exit_month = ps.exit_month;
		out->exit_held = ps.exit_month != c->po_from + c->po_n + 1;
	}
	if (strcmp(c->status, "terminated") == 0 && c->end) {
		int exit = c->end + 1, held = exit;
		if (c->holdable &&
		    assistance_exit_hold(exit, r->periods, r->n_periods, &held, e) < 0)
			return -1;
		if (!out->exit_month || held < out->exit_month) {
			out->exit_month = held;
			out->exit_held = held != exit;
		}
		if (m >= held)
			st = ASSISTANCE_PAY_ENDED;
		else if (m > c->end && st != ASSISTANCE_PAY_ENDED)
			st = ASSISTANCE_PAY_HELD;
	}
	out->state = st;
	if (st == ASSISTANCE_PAY_ENDED)
		text_copy(out->why, sizeof out->why, "ended");
	return 0;
}

static void not_owed(struct assistance_case_calc *out, const char *why)
{
	out->owed = 0;
	text_copy(out->why, sizeof out->why, why);
}

/* Compute case c for r->month into out, from its fact (df for 低保, pf for the others; NULL
 * when the registry has nothing). */
static int case_month(struct run *r, const struct crow *c, const struct dfact *df,
		      const struct pfact *pf, struct assistance_case_calc *out, struct err *e)
{
	struct assistance_entitlement *ent = &out->ent;
	int64_t amount = 0;

	memset(ent, 0, sizeof *ent); /* every byte defined: callers may copy and compare it */
	out->owed = 0;
	out->why[0] = '\0';
	out->phaseout_k = out->phaseout_n = out->exit_month = out->exit_held = 0;
	if (pay_eval(r, c, out, e) < 0)
		return -1;
	if (out->state == ASSISTANCE_PAY_NOT_STARTED || out->state == ASSISTANCE_PAY_ENDED)
		return 0;

	if (c->program == P_DIBAO) {
		if (!df || df->n_ids == 0) {
			not_owed(out, "no_counted_members");
			return 0;
		}
		amount = df->amount;
		if (out->state == ASSISTANCE_PAY_ACTIVE &&
		    df->reason == ASSISTANCE_DIBAO_INCOME_NOT_BELOW_STANDARD && !r->assume_active)
			amount = c->amount; /* the decision stands until a review */
		else if (out->state == ASSISTANCE_PAY_ACTIVE && amount <= 0) {
			not_owed(out, assistance_dibao_reason_code(df->reason));
			return 0;
		}
	} else {
		if (!pf || pf->removed_before) {
			not_owed(out, "person_removed");
			return 0;
		}
		if (c->program == P_TEKUN && out->state == ASSISTANCE_PAY_ACTIVE) {
			enum assistance_care_level level;
			const struct assistance_params *p = params_for(
			    r->db, &r->pc, c->unit, c->residence, r->month_s, ASSISTANCE_PG_TEKUN, e);
			if (!p || assistance_tekun_care_level(c->adl, &level, e) < 0 ||
			    assistance_tekun_amount(p, c->residence, c->form, level, &out->tekun, e) < 0)
				return -1;
			out->has_tekun = 1;
			amount = out->tekun.total_fen;
		} else if (c->program != P_TEKUN) {
			/* children: the category and the age limit every month, paid or held */
			struct assistance_child ch;
			memset(&ch, 0, sizeof ch);
			if (!pf->birth_month)
				return err_set(e, 500, "invalid_value", "birth_date", "出生日期无效");
			ch.birth_month = pf->birth_month;
			ch.placement = c->placement ? c->placement : ASSISTANCE_PLACEMENT_SCATTERED;
			parent_from_code(c->cond[0], &ch.parents[0]);
			parent_from_code(c->cond[1], &ch.parents[1]);
			const struct assistance_params *p = params_for(
			    r->db, &r->pc, c->unit, c->residence, r->month_s, ASSISTANCE_PG_CHILD, e);
			if (!p || assistance_child_assess(p, &ch, r->month, &out->child, e) < 0)
				return -1;
			out->has_child = 1;
			if (out->child.category == ASSISTANCE_CHILD_NONE) {
				not_owed(out, out->child.reason == ASSISTANCE_CHILD_OVER_AGE
						  ? "over_age"
						  : "parent_able");
				return 0;
			}
			amount = out->child.amount_fen;
		}
	}
	if (out->state == ASSISTANCE_PAY_PHASEOUT || out->state == ASSISTANCE_PAY_HELD)
		amount = c->amount; /* paid unchanged: the amount decided last */
	if (amount <= 0) {
		not_owed(out, "zero_amount");
		return 0;
	}

	ent->case_id = c->id;
	text_copy(ent->program, sizeof ent->program, c->program_name);
	ent->household_id = c->household_id;
	text_copy(ent->region_code, sizeof ent->region_code, c->region);
	text_copy(ent->unit_code, sizeof ent->unit_code, c->unit);
	ent->amount_fen = amount;
	text_copy(ent->pay_status, sizeof ent->pay_status, assistance_pay_state_code(out->state));
	text_copy(ent->bank_name, sizeof ent->bank_name, c->bank_name);
	text_copy(ent->bank_account, sizeof ent->bank_account, c->bank_account);
	if (c->program == P_DIBAO) {
		ent->beneficiary_id = df->beneficiary_id;
		ent->n_persons = df->n_ids;
		memcpy(ent->person_ids, r->ids + df->ids_off, (size_t)df->n_ids * sizeof *r->ids);
		text_copy(ent->payee_name, sizeof ent->payee_name,
		     c->payee[0] ? c->payee : r->names + df->payee_off);
	} else {
		ent->beneficiary_id = c->person_id;
		ent->n_persons = 1;
		ent->person_ids[0] = c->person_id;
		text_copy(ent->payee_name, sizeof ent->payee_name,
		     c->payee[0] ? c->payee : r->names + pf->name_off);
	}
	out->owed = 1;
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* the runs                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static int run_init(struct run *r, struct db *db, const char *month, struct err *e)
{
	memset(r, 0, sizeof *r);
	r->db = db;
	if (!month || assistance_month_parse(month, &r->month) < 0 ||
	    !assistance_month_valid(r->month))
		return err_set(e, 400, "invalid_value", "month", "月份应为 YYYY-MM 格式：%.16s",
			       month ? month : "");
	text_copy(r->month_s, sizeof r->month_s, month);
	if (assistance_periods_load(db, &r->periods, &r->n_periods, e) < 0)
		return -1;
	/* the last month any period covers: a held exit cannot reach past it */
	int mx = 0;
	for (int i = 0; i < r->n_periods; i++)
		if (r->periods[i].end_month > mx)
			mx = r->periods[i].end_month;
	if (mx)
		assistance_month_format(mx, r->maxend);
	assistance_month_format(r->month - ASSISTANCE_REFUSAL_WINDOW_MONTHS, r->window_s);
	return 0;
}

static void run_release(struct run *r)
{
	free(r->periods);
	free(r->tekun.v);
	free(r->pc.v);
	free(r->df);
	free(r->pf);
	free(r->ids);
	free(r->names);
	free(r->dix.slot);
	free(r->pix.slot);
	free(r->refusals);
}

/* Read the 特困 roll (person ids) with the prepared statement st into r->tekun, sorted. */
static int load_tekun(struct run *r, struct db_stmt *st, struct err *e)
{
	int rc;
	while ((rc = db_step(st, e)) == 1)
		if (idset_add(&r->tekun, db_col_int(st, 0), e) < 0) {
			rc = -1;
			break;
		}
	db_done(st);
	if (rc < 0)
		return -1;
	if (r->tekun.n)
		qsort(r->tekun.v, (size_t)r->tekun.n, sizeof *r->tekun.v, cmp_i64);
	return 0;
}

/* Every 低保 case's fact from the member statement st (rows grouped by case, ascending ids).
 * k is scratch; in a one-case run it keeps the members and the rules' result for the page. */
static int load_dibao(struct run *r, struct db_stmt *st, struct assistance_case_calc *k,
		      struct err *e)
{
	int rc = db_step(st, e);
	while (rc == 1) {
		const int64_t id = db_col_int(st, 0);
		char unit[16];
		text_copy(unit, sizeof unit, db_col_text(st, 1));
		const int res =
		    strcmp(db_col_text(st, 2), "urban") == 0 ? ASSISTANCE_URBAN : ASSISTANCE_RURAL;
		if (gather_members(r, st, &rc, k, e) < 0)
			break;
		if (dibao_month(r, unit, res, k, e) < 0 || dfact_add(r, id, k, e) < 0) {
			case_error(e, id, unit);
			rc = -1;
			break;
		}
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int load_persons(struct run *r, struct db_stmt *st, struct err *e)
{
	int rc;
	while ((rc = db_step(st, e)) == 1)
		if (pfact_add(r, st, e) < 0) {
			rc = -1;
			break;
		}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int begin_snapshot(struct db *db, struct err *e)
{
	if (db_in_transaction(db))
		return 0;
	return db_begin_read(db, e) < 0 ? -1 : 1;
}

static void end_snapshot(struct db *db, int began)
{
	if (began == 1)
		db_rollback(db);
}

/* "<head> AND <scope on col> <tail>" into sb. */
static int scoped_sql(struct strbuf *sb, const char *head, const struct scope *scope,
		      const char *col, const char *tail)
{
	if (strbuf_addstr(sb, head) < 0 || strbuf_addstr(sb, " AND ") < 0 ||
	    scope_sql(sb, scope, col) < 0 || strbuf_addstr(sb, tail) < 0)
		return -1;
	return 0;
}

/* Prepare sql (built in sb) and bind the month, the periods' end and the scope. */
static struct db_stmt *prepare_pass(struct run *r, struct strbuf *sb, const struct scope *scope,
				    struct err *e)
{
	struct db_stmt *st = db_prepare(r->db, strbuf_str(sb), e);
	if (!st)
		return NULL;
	db_bind_text(st, 1, r->month_s);
	db_bind_text(st, 2, r->maxend);
	scope_bind(st, scope, 3);
	return st;
}

/* The narrow form of a pass over cases (a county's or township's run): only the index ranges
 * of assistance_cases_pay of the units that manage villages in the scope, in delivery order.
 * Binds: ?1 ?2, the scope for the units (prepare_pass), the scope again (scope_bind_again). */
static int narrow_sql(struct strbuf *sb, const char *head, const struct scope *scope)
{
	if (strbuf_addstr(sb, head) < 0 ||
	    strbuf_addstr(sb, " AND c.unit_code IN (SELECT unit_code FROM regions WHERE ") < 0 ||
	    scope_sql(sb, scope, "code") < 0 || strbuf_addstr(sb, ") AND ") < 0 ||
	    scope_sql(sb, scope, "c.region_code") < 0 ||
	    strbuf_addstr(sb, " ORDER BY c.unit_code, c.region_code, c.id") < 0)
		return -1;
	return 0;
}

/* The second copy of the scope's values in a narrow pass (after those prepare_pass binds). */
static int scope_bind_again(struct db_stmt *st, const struct scope *scope)
{
	scope_bind(st, scope, 3 + 2 * scope->n);
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* the facts by one pass over the registry (city-wide runs)                                   */
/* ------------------------------------------------------------------------------------------ */

/* A city-wide run needs most of the registry's persons anyway: then one sequential pass over
 * the persons table, probing an in-memory hash of the households and persons the cases name,
 * costs less than one index lookup per household in case order (measured on 1 M cases and
 * 1.7 M persons: 0.3 s against 0.95 s). When the cases are few beside the population (a
 * county's run, or a city whose rolls are a small share of its people) the lookups win, and
 * the SQL join above is used. Both give the same facts: members in person-id order, the
 * same cap of ASSISTANCE_MAX_MEMBERS, the same rules. */

struct slot {
	int64_t case_id, key; /* key: the household (低保) or the person */
	int32_t next;	      /* next slot with the same key, -1 */
	int32_t first, last;  /* 低保: the member records, -1 when none */
	uint8_t n;	      /* members kept */
	uint8_t residence;
	uint8_t found;	      /* the others: the person was seen */
	char unit[16];
	struct pfact pf;
};

struct mrec {
	int64_t person_id, income;
	int32_t next;
	uint32_t name_off; /* the name, for the head's (payee) only; UINT32_MAX otherwise */
	int16_t age;	   /* -1: not born by the 1st */
	uint8_t disability, illness, head;
};

/* key → first slot. Dense (an array over [base, base + span)) when the keys are dense enough,
 * which ids made by one sequence are; else open addressing with the key and slot side by side,
 * so a probe costs one cache line. */
struct kv {
	int64_t key;
	int32_t val; /* -1 = empty */
};

struct keymap {
	int32_t *dense;
	int64_t base;
	size_t span;
	struct kv *t;
	size_t cap;
};

static uint64_t mix(int64_t k)
{
	uint64_t x = (uint64_t)k * 0x9E3779B97F4A7C15ULL;
	return x ^ (x >> 31);
}

static int keymap_init(struct keymap *m, const struct slot *slots, size_t n, struct err *e)
{
	memset(m, 0, sizeof *m);
	if (n == 0)
		return 0;
	int64_t lo = slots[0].key, hi = slots[0].key;
	for (size_t i = 1; i < n; i++) {
		if (slots[i].key < lo)
			lo = slots[i].key;
		if (slots[i].key > hi)
			hi = slots[i].key;
	}
	const uint64_t span = (uint64_t)(hi - lo) + 1;
	if (span <= (uint64_t)n * 8 + (1u << 20)) {
		if (!(m->dense = malloc(span * sizeof *m->dense)))
			return err_oom(e);
		memset(m->dense, 0xff, span * sizeof *m->dense);
		m->base = lo;
		m->span = (size_t)span;
		return 0;
	}
	m->cap = 64;
	while (m->cap < n * 2)
		m->cap *= 2;
	if (!(m->t = malloc(m->cap * sizeof *m->t)))
		return err_oom(e);
	for (size_t i = 0; i < m->cap; i++)
		m->t[i].val = -1;
	return 0;
}

static void keymap_release(struct keymap *m)
{
	free(m->dense);
	free(m->t);
	memset(m, 0, sizeof *m);
}

/* Where key's first slot is kept (found or empty); NULL when outside a dense map. */
static int32_t *keymap_ref(const struct keymap *m, int64_t key)
{
	if (m->dense) {
		if (key < m->base || (uint64_t)(key - m->base) >= m->span)
			return NULL;
		return &m->dense[key - m->base];
	}
	if (!m->t)
		return NULL;
	size_t i = mix(key) & (m->cap - 1);
	while (m->t[i].val >= 0 && m->t[i].key != key)
		i = (i + 1) & (m->cap - 1);
	m->t[i].key = key; /* harmless for a miss: the slot stays empty (val -1) */
	return &m->t[i].val;
}

/* Add slot index si under its key (chained after the slots already there). */
static void keymap_add(struct keymap *m, struct slot *slots, int32_t si)
{
	int32_t *ref = keymap_ref(m, slots[si].key);
	if (*ref < 0) {
		*ref = si;
		return;
	}
	int32_t t = *ref;
	while (slots[t].next >= 0)
		t = slots[t].next;
	slots[t].next = si;
}

static int32_t keymap_get(const struct keymap *m, int64_t key)
{
	const int32_t *ref = keymap_ref(m, key);
	return ref ? *ref : -1;
}

struct scan {
	struct slot *d, *p; /* 低保 slots and the others', each in case-id order */
	size_t nd, np, alloc_d, alloc_p;
	struct mrec *m;
	size_t nm, alloc_m;
	struct keymap hd, hp;
};

static void scan_release(struct scan *x)
{
	free(x->d);
	free(x->p);
	free(x->m);
	keymap_release(&x->hd);
	keymap_release(&x->hp);
}

/* The cases of the run (statement st: id, program, household_id, person_id, unit_code,
 * residence_type, ascending ids) into slots. */
static int scan_cases(struct scan *x, struct db_stmt *st, struct err *e)
{
	int rc;
	while ((rc = db_step(st, e)) == 1) {
		const int dibao = strcmp(db_col_text(st, 1), ASSISTANCE_DIBAO) == 0;
		struct slot **v = dibao ? &x->d : &x->p;
		size_t *n = dibao ? &x->nd : &x->np, *alloc = dibao ? &x->alloc_d : &x->alloc_p;
		if (*n >= INT32_MAX || grow((void **)v, alloc, *n + 1, sizeof **v, e) < 0) {
			rc = *n >= INT32_MAX ? err_oom(e) : -1;
			break;
		}
		struct slot *sl = &(*v)[(*n)++];
		memset(sl, 0, sizeof *sl);
		sl->case_id = db_col_int(st, 0);
		sl->key = dibao ? db_col_int(st, 2) : db_col_int(st, 3);
		sl->next = sl->first = sl->last = -1;
		text_copy(sl->unit, sizeof sl->unit, db_col_text(st, 4));
		sl->residence =
		    strcmp(db_col_text(st, 5), "urban") == 0 ? ASSISTANCE_URBAN : ASSISTANCE_RURAL;
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* One pass over the persons (statement st: id, household_id, name, relation, birth_date,
 * disability_grade, serious_illness, monthly_income_fen, removed, removed_at). */
static int scan_persons(struct run *r, struct scan *x, struct db_stmt *st, struct err *e)
{
	int rc;
	while ((rc = db_step(st, e)) == 1) {
		const int64_t pid = db_col_int(st, 0);
		int32_t di = x->nd ? keymap_get(&x->hd, db_col_int(st, 1)) : -1;
		int32_t pi = x->np ? keymap_get(&x->hp, pid) : -1;
		if (di < 0 && pi < 0)
			continue;
		const int gone = db_col_int(st, 8) && removed_before(db_col_text(st, 9), r->month);
		for (; pi >= 0; pi = x->p[pi].next) {
			struct slot *sl = &x->p[pi];
			int by, bm;
			sl->found = 1;
			sl->pf.case_id = sl->case_id;
			sl->pf.removed_before = (uint8_t)gone;
			if (sscanf(db_col_text(st, 4), "%4d-%2d", &by, &bm) == 2 && bm >= 1 && bm <= 12)
				sl->pf.birth_month = assistance_month_make(by, bm);
			if (name_keep(r, db_col_text(st, 2), &sl->pf.name_off, e) < 0)
				goto fail;
		}
		if (di < 0 || gone)
			continue;
		int age;
		if (assistance_age_on_month(db_col_text(st, 4), r->month, &age) < 0)
			age = -1;
		const int head = strcmp(db_col_text(st, 3), "head") == 0;
		for (; di >= 0; di = x->d[di].next) {
			struct slot *sl = &x->d[di];
			if (sl->n >= ASSISTANCE_MAX_MEMBERS)
				continue;
			if (x->nm >= INT32_MAX ||
			    grow((void **)&x->m, &x->alloc_m, x->nm + 1, sizeof *x->m, e) < 0)
				goto fail;
			struct mrec *mr = &x->m[x->nm];
			mr->person_id = pid;
			mr->income = db_col_int(st, 7);
			mr->next = -1;
			mr->name_off = UINT32_MAX;
			mr->age = (int16_t)age;
			mr->disability = (uint8_t)db_col_int(st, 5);
			mr->illness = db_col_int(st, 6) != 0;
			mr->head = (uint8_t)head;
			if (head && name_keep(r, db_col_text(st, 2), &mr->name_off, e) < 0)
				goto fail;
			if (sl->last >= 0)
				x->m[sl->last].next = (int32_t)x->nm;
			else
				sl->first = (int32_t)x->nm;
			sl->last = (int32_t)x->nm++;
			sl->n++;
		}
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
fail:
	db_done(st);
	return -1;
}

/* The facts from the slots: each 低保 household by the rules, in case-id order. */
static int scan_facts(struct run *r, struct scan *x, struct assistance_case_calc *k,
		      struct err *e)
{
	for (size_t i = 0; i < x->nd; i++) {
		const struct slot *sl = &x->d[i];
		k->n_members = 0;
		for (int32_t mi = sl->first; mi >= 0; mi = x->m[mi].next) {
			const struct mrec *mr = &x->m[mi];
			struct assistance_calc_member *mb = &k->members[k->n_members++];
			memset(mb, 0, sizeof *mb);
			mb->person_id = mr->person_id;
			text_copy(mb->name, sizeof mb->name,
			     mr->name_off == UINT32_MAX ? "" : r->names + mr->name_off);
			text_copy(mb->relation, sizeof mb->relation, mr->head ? "head" : "");
			mb->age = mr->age;
			mb->disability_grade = mr->disability;
			mb->serious_illness = mr->illness;
			mb->income_month_fen = mr->income;
			mb->is_tekun = idset_has(&r->tekun, mr->person_id);
			mb->job_refusals = refusals_of(r, mr->person_id);
			mb->rules_index = -1;
		}
		if (dibao_month(r, sl->unit, sl->residence, k, e) < 0 ||
		    dfact_add(r, sl->case_id, k, e) < 0)
			return case_error(e, sl->case_id, sl->unit);
	}
	for (size_t i = 0; i < x->np; i++) {
		if (!x->p[i].found)
			continue;
		if (grow((void **)&r->pf, &r->alloc_pf, (size_t)r->n_pf + 1, sizeof *r->pf, e) < 0)
			return -1;
		r->pf[r->n_pf++] = x->p[i].pf;
	}
	return 0;
}

/* Steps 2 and 3 by one pass over the persons when that is cheaper (see above): 1 done, 0 not
 * worth it (nothing read but the cases), -1 error. */
static int facts_by_scan(struct run *r, const struct scope *scope, struct assistance_case_calc *k,
			 struct err *e)
{
	struct scan x;
	struct strbuf q = STRBUF_INIT;
	int rc = -1;
	memset(&x, 0, sizeof x);
	if (scoped_sql(&q,
		       "SELECT c.id, c.program, c.household_id, coalesce(c.person_id, 0), "
		       "c.unit_code, c.residence_type FROM assistance_cases c WHERE " PAY_FILTER_SCAN,
		       scope, "(c.region_code || '')", " ORDER BY c.id") < 0) {
		err_oom(e);
		goto out;
	}
	struct db_stmt *st = prepare_pass(r, &q, scope, e);
	if (!st || scan_cases(&x, st, e) < 0)
		goto out;
	/* a household has about 2.5 members; a lookup costs about three rows of a scan */
	const int64_t persons = db_query_int(r->db, "SELECT count(*) FROM persons", NULL);
	if (persons < 0 || (double)persons > 3.0 * (2.5 * (double)x.nd + (double)x.np)) {
		rc = 0;
		goto out;
	}
	if (keymap_init(&x.hd, x.d, x.nd, e) < 0 || keymap_init(&x.hp, x.p, x.np, e) < 0 ||
	    grow((void **)&x.m, &x.alloc_m, x.nd * 5 / 2 + 16, sizeof *x.m, e) < 0)
		goto out;
	for (size_t i = 0; i < x.nd; i++)
		keymap_add(&x.hd, x.d, (int32_t)i);
	for (size_t i = 0; i < x.np; i++)
		keymap_add(&x.hp, x.p, (int32_t)i);
	if (!(st = db_prepare(r->db,
			      "SELECT p.id, p.household_id, p.name, p.relation, p.birth_date, "
			      "p.disability_grade, p.serious_illness, p.monthly_income_fen, "
			      "" GONE ", " REMOVED_AT " FROM persons p",
			      e)) ||
	    scan_persons(r, &x, st, e) < 0 || scan_facts(r, &x, k, e) < 0)
		goto out;
	rc = 1;
out:
	strbuf_release(&q);
	scan_release(&x);
	return rc;
}

/* Index the facts by case id (sorting them first when they were not read in id order). */
static int facts_index(struct run *r, int sort, struct err *e)
{
	if (sort && r->n_df)
		qsort(r->df, (size_t)r->n_df, sizeof *r->df, cmp_i64);
	if (sort && r->n_pf)
		qsort(r->pf, (size_t)r->n_pf, sizeof *r->pf, cmp_i64);
	return fidx_build(&r->dix, r->df, r->n_df, sizeof *r->df, e) < 0 ||
		       fidx_build(&r->pix, r->pf, r->n_pf, sizeof *r->pf, e) < 0
		   ? -1
		   : 0;
}

/* The last pass: every case row of st (ORDER_COLS, in delivery order) meets its fact, is
 * computed, and fn gets what is owed. Finishes st. 0, or -1 with e. */
static int deliver(struct run *r, struct db_stmt *st, struct assistance_case_calc *k,
		   int (*fn)(const struct assistance_entitlement *ent, void *ctx), void *ctx,
		   struct err *e)
{
	struct crow c;
	int step, failed = 0;
	while ((step = db_step(st, e)) == 1) {
		crow_read(st, &c);
		const struct dfact *df = NULL;
		const struct pfact *pf = NULL;
		int i;
		if (c.program == P_DIBAO) {
			if ((i = fidx_find(&r->dix, r->df, r->n_df, sizeof *r->df, c.id)) >= 0)
				df = &r->df[i];
		} else if ((i = fidx_find(&r->pix, r->pf, r->n_pf, sizeof *r->pf, c.id)) >= 0) {
			pf = &r->pf[i];
		}
		k->has_tekun = k->has_child = 0;
		if (case_month(r, &c, df, pf, k, e) < 0) {
			case_error(e, c.id, c.region);
			failed = 1;
			break;
		}
		if (k->owed && fn(&k->ent, ctx) != 0)
			break;
	}
	db_done(st);
	return step < 0 || failed ? -1 : 0;
}

int assistance_entitlements(struct db *db, const struct scope *scope, const char *month,
			    int (*fn)(const struct assistance_entitlement *ent, void *ctx),
			    void *ctx, struct err *e)
{
	struct run r;
	struct strbuf qd = STRBUF_INIT, qp = STRBUF_INIT, qo = STRBUF_INIT;
	struct db_stmt *st = NULL;
	struct assistance_case_calc *k = NULL;
	int began = 0, rc = -1;

	if (!scope || !fn)
		return err_set(e, 500, "internal", NULL, "assistance_entitlements: 缺少参数");
	if (run_init(&r, db, month, e) < 0)
		goto out;
	if (!(k = malloc(sizeof *k))) {
		err_oom(e);
		goto out;
	}
	/* A city-wide run reads the cases table in storage order (no index, see PAY_FILTER_SCAN)
	 * and the ordered pass walks the whole covering index; a county's or township's run takes
	 * the region index, and the ordered pass only the index ranges of the units that manage
	 * villages in the scope (a county's own and a zone's), so the sixteen runs of a payroll do
	 * not each walk the whole city. */
	const int wide = scope->n == 1 && strlen(scope->prefix[0]) <= 4;
	struct strbuf qt = STRBUF_INIT;
	int ok;
	if (wide)
		ok = scoped_sql(&qd,
				MEMBER_SELECT "WHERE (c.program || '') = 'dibao' AND " PAY_FILTER_SCAN,
				scope, "(c.region_code || '')", " ORDER BY c.id") == 0 &&
		     scoped_sql(&qp,
				PERSON_SELECT "WHERE (c.program || '') <> 'dibao' AND " PAY_FILTER_SCAN,
				scope, "(c.region_code || '')", " ORDER BY c.id") == 0 &&
		     scoped_sql(&qo, "SELECT " ORDER_COLS "FROM assistance_cases c WHERE " PAY_FILTER,
				scope, "(c.region_code || '')",
				" ORDER BY c.unit_code, c.region_code, c.id") == 0 &&
		     strbuf_addstr(&qt, "SELECT c.person_id FROM assistance_cases c WHERE "
					"c.program = 'tekun' AND " PAY_FILTER) == 0;
	else
		ok = narrow_sql(&qd, MEMBER_SELECT "WHERE c.program = 'dibao' AND " PAY_FILTER,
				scope) == 0 &&
		     narrow_sql(&qp, PERSON_SELECT "WHERE c.program <> 'dibao' AND " PAY_FILTER,
				scope) == 0 &&
		     narrow_sql(&qo, "SELECT " ORDER_COLS "FROM assistance_cases c WHERE " PAY_FILTER,
				scope) == 0 &&
		     scoped_sql(&qt,
				"SELECT c.person_id FROM persons p JOIN assistance_cases c ON "
				"c.person_id = p.id WHERE c.program = 'tekun' AND " PAY_FILTER,
				scope, "p.region_code", "") == 0;
	if (!ok) {
		strbuf_release(&qt);
		err_oom(e);
		goto out;
	}
	if ((began = begin_snapshot(db, e)) < 0) {
		strbuf_release(&qt);
		goto out;
	}
	if (refusals_load(&r, 0, e) < 0) {
		strbuf_release(&qt);
		goto out;
	}

	/* 1. the 特困 roll of the month: a 特困 member of a household is not counted in its 低保.
	 *    City-wide: every 特困 case; else the 特困 persons living in the scope. */
	st = prepare_pass(&r, &qt, wide ? &(struct scope){0} : scope, e);
	strbuf_release(&qt);
	if (!st || load_tekun(&r, st, e) < 0)
		goto out;
	/* 2. every 低保 household's amount by the rules; 3. every other case's person — by one
	 *    pass over the registry when that is cheaper, else by lookups */
	int scanned = 0;
	st = NULL;
	if (wide && (scanned = facts_by_scan(&r, scope, k, e)) < 0)
		goto out;
	if (!scanned &&
	    (!(st = prepare_pass(&r, &qd, scope, e)) || (!wide && scope_bind_again(st, scope)) ||
	     load_dibao(&r, st, k, e) < 0 || !(st = prepare_pass(&r, &qp, scope, e)) ||
	     (!wide && scope_bind_again(st, scope)) || load_persons(&r, st, e) < 0))
		goto out;
	st = NULL;
	/* (read in delivery order, facts are sorted by case id for the lookups) */
	if (facts_index(&r, !wide, e) < 0)
		goto out;
	/* 4. the cases in delivery order, each with its fact */
	if (!(st = prepare_pass(&r, &qo, scope, e)))
		goto out;
	if (!wide)
		scope_bind_again(st, scope);
	rc = deliver(&r, st, k, fn, ctx, e);
	st = NULL;
out:
	if (st)
		db_done(st);
	end_snapshot(db, began);
	run_release(&r);
	free(k);
	strbuf_release(&qd);
	strbuf_release(&qp);
	strbuf_release(&qo);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* one management unit's run                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* A unit's run reads only that unit's cases: the fact passes through assistance_cases_by_unit
 * (unit_code, status, program) — one index range per status and program, in case-id order, which
 * is also about the order the households and persons were made in, so their lookups stay close
 * together — and the ordered pass one range of assistance_cases_pay. (CROSS JOIN keeps the case
 * as the outer loop, so a household's member rows arrive together.) The 特困 roll is not read
 * as a whole: each member row asks whether the person is on it (one probe of
 * assistance_cases_by_person), so a 特困 person whose own case lies in another unit, or who moved
 * into the household, is still left out of the 低保 count, exactly as in a city-wide run. */
#define UNIT_TEKUN_COL 12 /* the column after MEMBER_COLS */
static const char unit_members_sql[] =
	MEMBER_COLS ", EXISTS (SELECT 1 FROM assistance_cases t WHERE t.person_id = p.id AND "
		    "t.program = 'tekun' AND " PAY_FILTER_AS("t") ") "
		    "FROM assistance_cases c INDEXED BY assistance_cases_by_unit CROSS JOIN persons p "
		    "ON p.household_id = c.household_id WHERE c.unit_code = ?3 AND c.program = 'dibao' "
		    "AND " PAY_FILTER;
static const char unit_persons_sql[] =
	"SELECT c.id, p.name, p.birth_date, " GONE ", " REMOVED_AT
	" FROM assistance_cases c INDEXED BY assistance_cases_by_unit CROSS JOIN persons p "
	"ON p.id = c.person_id WHERE c.unit_code = ?3 AND "
	"c.program IN ('tekun','orphan','unsupported_child') AND " PAY_FILTER;
static const char unit_order_sql[] = "SELECT " ORDER_COLS "FROM assistance_cases c WHERE "
				     "c.unit_code = ?3 AND " PAY_FILTER
				     " ORDER BY c.unit_code, c.region_code, c.id";

/* Prepare one of the unit's passes and bind the month, the periods' end and the unit. */
static struct db_stmt *prepare_unit(struct run *r, const char *sql, const char *unit,
				    struct err *e)
{
	struct db_stmt *st = db_prepare(r->db, sql, e);
	if (!st)
		return NULL;
	db_bind_text(st, 1, r->month_s);
	db_bind_text(st, 2, r->maxend);
	db_bind_text(st, 3, unit);
	return st;
}

int assistance_entitlements_unit(struct db *db, const char *unit_code, const char *month,
				 int (*fn)(const struct assistance_entitlement *ent, void *ctx),
				 void *ctx, struct err *e)
{
	struct run r;
	struct db_stmt *st = NULL;
	struct assistance_case_calc *k = NULL;
	int began = 0, rc = -1;

	if (!fn)
		return err_set(e, 500, "internal", NULL, "assistance_entitlements_unit: 缺少参数");
	if (!unit_code || !*unit_code || strlen(unit_code) >= sizeof((struct crow *)0)->unit ||
	    strspn(unit_code, "0123456789") != strlen(unit_code))
		return err_set(e, 400, "invalid_value", "unit_code", "管理单位代码无效：%.16s",
			       unit_code ? unit_code : "");
	if (run_init(&r, db, month, e) < 0)
		goto out;
	r.tekun_col = UNIT_TEKUN_COL;
	if (!(k = malloc(sizeof *k))) {
		err_oom(e);
		goto out;
	}
	if ((began = begin_snapshot(db, e)) < 0 || refusals_load(&r, 0, e) < 0)
		goto out;
	/* 1. every 低保 household's amount by the rules (the 特困 roll asked per member);
	 * 2. every other case's person */
	if (!(st = prepare_unit(&r, unit_members_sql, unit_code, e)) || load_dibao(&r, st, k, e) < 0 ||
	    !(st = prepare_unit(&r, unit_persons_sql, unit_code, e)) || load_persons(&r, st, e) < 0) {
		st = NULL;
		goto out;
	}
	st = NULL;
	if (facts_index(&r, 1, e) < 0)
		goto out;
	/* 3. the unit's cases in delivery order, each with its fact */
	if (!(st = prepare_unit(&r, unit_order_sql, unit_code, e)))
		goto out;
	rc = deliver(&r, st, k, fn, ctx, e);
	st = NULL;
out:
	if (st)
		db_done(st);
	end_snapshot(db, began);
	run_release(&r);
	free(k);
	return rc;
}

int assistance_case_calc(struct db *db, int64_t case_id, const char *month, int assume_active,
			 struct assistance_case_calc *out, struct err *e)
{
	struct run r;
	struct crow c;
	struct db_stmt *st = NULL;
	int began = 0, rc = -1;

	memset(out, 0, sizeof *out);
	if (run_init(&r, db, month, e) < 0)
		goto out;
	r.assume_active = assume_active;
	if ((began = begin_snapshot(db, e)) < 0)
		goto out;
	if (!(st = db_prepare(db, "SELECT " ORDER_COLS "FROM assistance_cases c WHERE c.id = ?1", e)))
		goto out;
	db_bind_int(st, 1, case_id);
	int found = db_step(st, e);
	if (found == 1)
		crow_read(st, &c);
	db_done(st);
	st = NULL;
	if (found < 0)
		goto out;
	if (found == 0) {
		err_set(e, 404, "not_found", NULL, "案件不存在或不在您的管辖范围内");
		goto out;
	}
	if (refusals_load(&r, c.household_id, e) < 0)
		goto out;
	/* the 特困 roll, for the household's own members only */
	if (!(st = db_prepare(db,
			      "SELECT c.person_id FROM assistance_cases c "
			      "JOIN persons p ON p.id = c.person_id WHERE p.household_id = ?3 "
			      "AND c.program = 'tekun' AND " PAY_FILTER,
			      e)))
		goto out;
	db_bind_text(st, 1, r.month_s);
	db_bind_text(st, 2, r.maxend);
	db_bind_int(st, 3, c.household_id);
	if (load_tekun(&r, st, e) < 0)
		goto out;
	st = NULL;
	if (c.program == P_DIBAO) {
		if (!(st = db_prepare(db, MEMBER_SELECT "WHERE c.id = ?1", e)))
			goto out;
		db_bind_int(st, 1, case_id);
		if (load_dibao(&r, st, out, e) < 0)
			goto out;
	} else {
		if (!(st = db_prepare(db, PERSON_SELECT "WHERE c.id = ?1", e)))
			goto out;
		db_bind_int(st, 1, case_id);
		if (load_persons(&r, st, e) < 0)
			goto out;
	}
	st = NULL;
	if (case_month(&r, &c, r.n_df ? &r.df[0] : NULL, r.n_pf ? &r.pf[0] : NULL, out, e) < 0)
		goto out;
	rc = 0;
out:
	if (st)
		db_done(st);
	end_snapshot(db, began);
	run_release(&r);
	return rc;
}
