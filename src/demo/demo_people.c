/* demo_people.c — one synthetic household at a time: members, ID numbers, incomes, tags.
 *
 * A household has 1–6 members (mean ≈ 2.8; urban ones smaller) in a shape drawn from a table
 * of plausible compositions: a couple, a couple with children, with the head's parents, three
 * generations, grandparents raising grandchildren, … Members are made in dependency order (head,
 * spouse, parents, children, child's spouse, grandchildren), each birth day drawn inside the
 * window its relations allow, so a child is always at least 20 years younger than each of its
 * parents and a parent at least 20 years older than the head, and nobody is born on or after
 * the as-of day. Everything else (disability, illness, labour capacity, incomes, hardship tags)
 * follows from age, residence and small base rates.
 *
 * ID numbers (GB 11643) are the county code of the village, the birth date, a sequence number
 * whose parity is the sex, and the check character. struct demo_ids counts the sequence
 * numbers used per (county, birth day, sex) — 500 odd ones for men, 499 even non-zero ones for
 * women — so IDs are unique by construction; a full slot (never seen at realistic scales) moves
 * the birth a day within the allowed window, deterministically.
 */
#include "demo/demo_internal.h"

#include "core/idnum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- ID numbers ---- */

int demo_ids_init(struct demo_ids *ids, int ncounties, const char (*county)[7], int64_t day0,
		  int64_t day_end, uint64_t seed, struct err *e)
{
	memset(ids, 0, sizeof *ids);
	if (ncounties <= 0 || ncounties > (int)(sizeof ids->county / sizeof ids->county[0]))
		return err_set(e, 500, "internal", NULL, "演示数据：县级区划数量异常（%d）",
			       ncounties);
	if (day_end <= day0)
		return err_set(e, 500, "internal", NULL, "演示数据：出生日期范围为空");
	ids->ncounties = ncounties;
	for (int i = 0; i < ncounties; i++)
		memcpy(ids->county[i], county[i], 7);
	ids->day0 = day0;
	ids->ndays = day_end - day0;
	ids->salt = demo_mix64(seed ^ 0x1d5eedULL);
	ids->used = calloc((size_t)ncounties * (size_t)ids->ndays * 2, sizeof *ids->used);
	if (!ids->used)
		return err_set(e, 500, "internal", NULL, "内存不足");
	return 0;
}

void demo_ids_release(struct demo_ids *ids)
{
	free(ids->used);
	ids->used = NULL;
}

static void put_digits(char *out, int v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Take a free sequence number for (county, day, sex); 0, or -1 when the slot is full. */
static int ids_take(struct demo_ids *ids, int county, int64_t day, int male, char out[19])
{
	size_t idx =
	    (((size_t)county * (size_t)ids->ndays) + (size_t)(day - ids->day0)) * 2 + (size_t)male;
	uint32_t cap = male ? 500 : 499; /* men 001…999 odd, women 002…998 even */
	uint32_t k = ids->used[idx];
	if (k >= cap)
		return -1;
	ids->used[idx]++;
	uint32_t slot = (uint32_t)((demo_mix64(ids->salt ^ idx) % cap + k) % cap);
	int seq = male ? 1 + 2 * (int)slot : 2 + 2 * (int)slot;
	int y, m, d;
	demo_civil_from_days(day, &y, &m, &d);
	memcpy(out, ids->county[county], 6);
	put_digits(out + 6, y, 4);
	put_digits(out + 10, m, 2);
	put_digits(out + 12, d, 2);
	put_digits(out + 14, seq, 3);
	out[17] = '\0';
	out[17] = idnum_check_char(out);
	out[18] = '\0';
	return 0;
}

/* An ID for someone born on *day (inside [lo, hi]); on a full slot try the nearest other days
 * of the window, earlier first. *day is updated to the birth day used. */
static int ids_assign(struct demo_ids *ids, int county, int male, int64_t lo, int64_t hi,
		      int64_t *day, char out[19], struct err *e)
{
	if (lo < ids->day0)
		lo = ids->day0;
	if (hi > ids->day0 + ids->ndays - 1)
		hi = ids->day0 + ids->ndays - 1;
	int64_t want = *day < lo ? lo : *day > hi ? hi : *day;
	for (int64_t k = 0; want - k >= lo || want + k <= hi; k++) {
		if (want - k >= lo && ids_take(ids, county, want - k, male, out) == 0) {
			*day = want - k;
			return 0;
		}
		if (k > 0 && want + k <= hi && ids_take(ids, county, want + k, male, out) == 0) {
			*day = want + k;
			return 0;
		}
	}
	return err_set(e, 500, "id_space_exhausted", NULL,
		       "演示数据：县 %s 的身份证顺序码已用尽，请减小 --scale", ids->county[county]);
}

/* ---- dates of relatives ---- */

/* The latest birth day p with p + years <= day: a parent of someone born on `day`. */
static int64_t latest_before(int64_t day, int years)
{
	int64_t p = demo_add_years(day, -years);
	while (demo_add_years(p, years) > day)
		p--;
	while (demo_add_years(p + 1, years) <= day)
		p++;
	return p;
}

/* Birth-day window for an age range [a_lo, a_hi] in whole years on as_of. */
static void age_window(int64_t as_of, int a_lo, int a_hi, int64_t *lo, int64_t *hi)
{
	*lo = demo_add_years(as_of, -(a_hi + 1)) + 1;
	*hi = demo_add_years(as_of, -a_lo);
	if (*hi > as_of - 1)
		*hi = as_of - 1;
}

static int age_on(int64_t birth, int64_t as_of)
{
	int by, bm, bd, y, m, d;
	demo_civil_from_days(birth, &by, &bm, &bd);
	demo_civil_from_days(as_of, &y, &m, &d);
	int age = y - by;
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* ---- compositions ---- */

/* Letters: H head, S spouse, C child, P parent (of the head), A grandparent (of the head),
 * B sibling, O the first child's spouse, G grandchild. */
struct shape {
	const char *letters;
	uint32_t weight;
};

static const struct shape shapes1[] = {{"H", 1}};
static const struct shape shapes2[] = {{"HS", 7800}, {"HC", 1000}, {"HP", 600},
				       {"HG", 200},  {"HB", 200},  {"HA", 200}};
static const struct shape shapes3[] = {
    {"HSC", 7900}, {"HSP", 800}, {"HCC", 500}, {"HPP", 500}, {"HSG", 300}};
static const struct shape shapes4[] = {
    {"HSCC", 5800}, {"HSCP", 2700}, {"HSPP", 800}, {"HCCC", 500}, {"HSGG", 200}};
static const struct shape shapes5[] = {
    {"HSCCP", 3500}, {"HSCPP", 3000}, {"HSCOG", 2500}, {"HSCCC", 1000}};
static const struct shape shapes6[] = {{"HSCCPP", 4500}, {"HSCOGG", 4500}, {"HSCCCP", 1000}};

static const struct shape *const shapes_by_size[7] = {NULL,    shapes1, shapes2, shapes3,
						      shapes4, shapes5, shapes6};
static const int nshapes_by_size[7] = {0, 1, 6, 5, 5, 4, 3};

/* Household size 1–6: urban mean ≈ 2.6, rural ≈ 2.95, the city ≈ 2.8. */
static const uint32_t size_urban[6] = {1800, 3200, 3000, 1400, 450, 150};
static const uint32_t size_rural[6] = {1500, 2900, 2200, 1900, 1000, 500};

struct age_bucket {
	int lo, hi;
	uint32_t weight;
};

/* People living alone: many are old. */
static const struct age_bucket age_single[] = {{20, 29, 1200}, {30, 39, 800},  {40, 49, 800},
					       {50, 59, 1400}, {60, 69, 2200}, {70, 79, 2200},
					       {80, 90, 1400}};
/* Two-person couples: young couples, and many more whose children have left. */
static const struct age_bucket age_couple[] = {{22, 34, 2500}, {35, 54, 1500}, {55, 88, 6000}};

static int pick_age(struct demo_rng *r, const struct age_bucket *b, int n)
{
	uint32_t w[8];
	for (int i = 0; i < n; i++)
		w[i] = b[i].weight;
	int i = demo_rng_pick(r, w, n);
	return (int)demo_rng_range(r, b[i].lo, b[i].hi);
}

static int has(const char *letters, char c)
{
	return strchr(letters, c) != NULL;
}

/* ---- members ---- */

struct gen {
	struct demo_rng *r;
	struct demo_ids *ids;
	const struct demo_village *v;
	int64_t as_of;
	int64_t oldest; /* earliest birth day allowed: 100 years before as_of */
	struct demo_household *h;
	struct err *e;
};

/* Add a member born near `want` inside [lo, hi]; returns its index or -1. */
static int add_member(struct gen *g, const char *relation, int male, const char *surname,
		      int64_t lo, int64_t hi, int64_t want)
{
	struct demo_household *h = g->h;
	if (h->n >= DEMO_MAX_MEMBERS)
		return err_set(g->e, 500, "internal", NULL, "演示数据：家庭成员过多");
	lo = max64(lo, g->oldest);
	hi = min64(hi, g->as_of - 1);
	if (lo > hi)
		return err_set(g->e, 500, "internal", NULL, "演示数据：%s 的出生日期范围为空",
			       relation);
	struct demo_person *p = &h->m[h->n];
	memset(p, 0, sizeof *p);
	int64_t day = want;
	if (ids_assign(g->ids, g->v->county, male, lo, hi, &day, p->id_number, g->e) < 0)
		return -1;
	for (int i = 0; i < 18; i++)
		p->id_rev[i] = p->id_number[17 - i];
	p->id_rev[18] = '\0';
	p->birth_day = day;
	demo_format_day(day, p->birth_date);
	p->relation = relation;
	p->male = male;
	char given[16];
	int y, m, d;
	demo_civil_from_days(day, &y, &m, &d);
	demo_given_name(g->r, male, y, given, sizeof given);
	snprintf(p->name, sizeof p->name, "%s%s", surname, given);
	p->surname = surname;
	p->labour = "full";
	return h->n++;
}

/* A uniformly random day in [lo, hi]. */
static int64_t any_day(struct gen *g, int64_t lo, int64_t hi)
{
	return demo_rng_range(g->r, lo, hi);
}

/* The surname of the father among members a and b (indexes, -1 for none), else fallback. */
static const char *father_surname(const struct demo_household *h, int a, int b,
				  const char *fallback)
{
	if (a >= 0 && h->m[a].male)
		return h->m[a].surname;
	if (b >= 0 && h->m[b].male)
		return h->m[b].surname;
	return fallback;
}

/* Window for a child of members a and b (b may be -1): at least 20 years younger than each. */
static void child_window(const struct gen *g, int a, int b, int64_t *lo, int64_t *hi)
{
	const struct demo_household *h = g->h;
	int64_t young = h->m[a].birth_day;
	if (b >= 0)
		young = max64(young, h->m[b].birth_day);
	*lo = demo_add_years(young, 20);
	if (b >= 0)
		*lo = max64(demo_add_years(h->m[a].birth_day, 20),
			    demo_add_years(h->m[b].birth_day, 20));
	*hi = min64(demo_add_years(young, 42), g->as_of - 1);
}

/* A child's birth near the common ages of parenthood (mother 22–35) when the window allows. */
static int64_t child_day(struct gen *g, int64_t lo, int64_t hi)
{
	int64_t plo = demo_add_years(lo, 2), phi = demo_add_years(lo, 15);
	if (demo_rng_bp(g->r, 8000) && plo <= hi)
		return any_day(g, plo, min64(phi, hi));
	return any_day(g, lo, hi);
}

static int male_bp(struct gen *g, uint32_t bp)
{
	return demo_rng_bp(g->r, bp);
}

/* Head sex and age range for a shape. */
static void head_profile(struct gen *g, const char *L, int *male, int *a_lo, int *a_hi)
{
	int age;
	if (strcmp(L, "H") == 0) {
		age = pick_age(g->r, age_single, (int)(sizeof age_single / sizeof age_single[0]));
		*a_lo = *a_hi = age;
		*male = male_bp(g, age >= 65 ? 3800 : 5500);
		return;
	}
	if (strcmp(L, "HS") == 0) {
		age = pick_age(g->r, age_couple, (int)(sizeof age_couple / sizeof age_couple[0]));
		*a_lo = *a_hi = age;
		*male = male_bp(g, 7800);
		return;
	}
	if (has(L, 'G') && has(L, 'O')) { /* three generations, the head the grandparent */
		*a_lo = 50, *a_hi = 85;
	} else if (has(L, 'G')) { /* grandparents raising grandchildren */
		*a_lo = 55, *a_hi = 80;
	} else if (has(L, 'P')) {
		*a_lo = 22, *a_hi = 60;
	} else if (has(L, 'A')) {
		*a_lo = 20, *a_hi = 38;
	} else if (has(L, 'C')) {
		*a_lo = has(L, 'S') ? 24 : 28;
		*a_hi = has(L, 'S') ? 62 : 70;
	} else { /* HB */
		*a_lo = 30, *a_hi = 85;
	}
	if (has(L, 'S'))
		*male = male_bp(g, 7800);
	else if (has(L, 'C') || has(L, 'G'))
		*male = male_bp(g, 4000); /* single parents and lone grandparents: mostly women */
	else
		*male = male_bp(g, 6000);
}

static int build_members(struct gen *g, const char *L)
{
	struct demo_household *h = g->h;
	int male, a_lo, a_hi;
	int64_t lo, hi;
	head_profile(g, L, &male, &a_lo, &a_hi);
	age_window(g->as_of, a_lo, a_hi, &lo, &hi);
	const char *surname = demo_surname(g->r);
	int head = add_member(g, "head", male, surname, lo, hi, any_day(g, lo, hi));
	if (head < 0)
		return -1;
	int64_t hb = h->m[head].birth_day;
	int spouse = -1;

	if (has(L, 'S')) {
		/* Husbands are usually a little older: wife from 3 years older to 7 younger. */
		int smale = !male;
		int64_t delta = demo_rng_range(g->r, -3 * 365, 7 * 365);
		int64_t want = smale ? hb - delta : hb + delta;
		int min_age = smale ? 22 : 20; /* legal marriage ages */
		if (has(L, 'C') || has(L, 'G'))
			min_age = smale ? 22 : 21; /* leaves room for a child born before as_of */
		spouse = add_member(g, "spouse", smale, demo_surname(g->r), g->oldest,
				    demo_add_years(g->as_of, -min_age), want);
		if (spouse < 0)
			return -1;
	}

	/* The head's parents and grandparents: father keeps the head's surname. */
	int nparents = 0;
	for (const char *c = L; *c; c++)
		nparents += *c == 'P';
	if (nparents) {
		lo = max64(g->oldest, demo_add_years(hb, -42));
		hi = latest_before(hb, 20);
		for (int i = 0; i < nparents; i++) {
			int pmale = nparents == 2 ? i == 0 : male_bp(g, 3500);
			if (add_member(g, "parent", pmale,
				       pmale ? h->m[head].surname : demo_surname(g->r), lo, hi,
				       any_day(g, lo, hi)) < 0)
				return -1;
		}
	}
	if (has(L, 'A')) {
		lo = max64(g->oldest, demo_add_years(hb, -70));
		hi = latest_before(hb, 40);
		int amale = male_bp(g, 3500);
		if (add_member(g, "grandparent", amale,
			       amale ? h->m[head].surname : demo_surname(g->r), lo, hi,
			       any_day(g, lo, hi)) < 0)
			return -1;
	}
	if (has(L, 'B')) {
		lo = max64(g->oldest, demo_add_years(hb, -8));
		hi = min64(demo_add_years(hb, 8), demo_add_years(g->as_of, -18));
		if (add_member(g, "sibling", male_bp(g, 5000), h->m[head].surname, lo, hi,
			       any_day(g, lo, hi)) < 0)
			return -1;
	}

	/* Children of the head (and spouse). In three-generation homes the first child is grown
	 * up, usually a son, and lives here with his wife and children. */
	int three_gen = has(L, 'O');
	int first_child = -1;
	const char *child_surname = father_surname(h, head, spouse, h->m[head].surname);
	for (const char *c = L; *c; c++) {
		if (*c != 'C')
			continue;
		child_window(g, head, spouse, &lo, &hi);
		int cmale = male_bp(g, 5100);
		int64_t want;
		if (three_gen && first_child < 0) {
			hi = min64(hi, latest_before(g->as_of - 1, 21));
			cmale = male_bp(g, 8500);
			want = any_day(g, lo, hi);
		} else {
			want = child_day(g, lo, hi);
		}
		int idx = add_member(g, "child", cmale, child_surname, lo, hi, want);
		if (idx < 0)
			return -1;
		if (first_child < 0)
			first_child = idx;
	}
	int in_law = -1;
	if (three_gen) {
		const struct demo_person *c = &h->m[first_child];
		lo = max64(g->oldest, demo_add_years(c->birth_day, -4));
		hi = min64(demo_add_years(c->birth_day, 4), latest_before(g->as_of - 1, 21));
		in_law = add_member(g, "other", !c->male, demo_surname(g->r), lo, hi,
				    any_day(g, lo, hi));
		if (in_law < 0)
			return -1;
	}

	/* Grandchildren: of the first child and spouse, or (skipped generation) of the head,
	 * then under 18 and at least 40 years younger than the grandparents. */
	for (const char *c = L; *c; c++) {
		if (*c != 'G')
			continue;
		const char *gs;
		if (three_gen) {
			child_window(g, first_child, in_law, &lo, &hi);
			gs = father_surname(h, first_child, in_law, h->m[first_child].surname);
		} else {
			lo = demo_add_years(hb, 40);
			if (spouse >= 0)
				lo = max64(lo, demo_add_years(h->m[spouse].birth_day, 40));
			lo = max64(lo, demo_add_years(g->as_of, -18) + 1);
			hi = g->as_of - 1;
			gs = father_surname(h, head, spouse, demo_surname(g->r));
		}
		if (add_member(g, "grandchild", male_bp(g, 5100), gs, lo, hi, any_day(g, lo, hi)) <
		    0)
			return -1;
	}
	return 0;
}

/* ---- health, work and income ---- */

/* Whole yuan in [lo, hi] divided by div, in fen. */
static int64_t yuan(struct gen *g, int lo, int hi, int div)
{
	return demo_rng_range(g->r, lo, hi) / div * 100;
}

static void add_income(struct demo_person *p, const char *type, int64_t fen)
{
	if (p->nincome >= DEMO_MAX_INCOMES || fen <= 0)
		return;
	p->income[p->nincome].type = type;
	p->income[p->nincome].fen = fen;
	p->nincome++;
	p->income_fen += fen;
}

static void add_tag(struct demo_person *p, const char *tag)
{
	for (int i = 0; i < p->ntags; i++)
		if (strcmp(p->tags[i], tag) == 0)
			return;
	if (p->ntags < DEMO_MAX_TAGS)
		p->tags[p->ntags++] = tag;
}

static int has_tag(const struct demo_person *p, const char *tag)
{
	for (int i = 0; i < p->ntags; i++)
		if (strcmp(p->tags[i], tag) == 0)
			return 1;
	return 0;
}

static void health_and_work(struct gen *g, struct demo_person *p, int age)
{
	uint32_t dis_bp = age < 18 ? 60 : age < 60 ? 250 : age < 80 ? 700 : 1200;
	if (demo_rng_bp(g->r, dis_bp)) {
		static const uint32_t grade_w[4] = {1500, 2000, 3000, 3500};
		p->disability_grade = 1 + demo_rng_pick(g->r, grade_w, 4);
	}
	uint32_t ill_bp = age < 18 ? 30 : age < 60 ? 120 : 450;
	p->serious_illness = demo_rng_bp(g->r, ill_bp);

	if (age < 16 || age >= 70)
		p->labour = "none";
	else if (age >= 60)
		p->labour = demo_rng_bp(g->r, 7000) ? "partial" : "none";
	else
		p->labour = "full";
	if (p->disability_grade == 1 || p->disability_grade == 2)
		p->labour = "none";
	else if (p->disability_grade && strcmp(p->labour, "full") == 0)
		p->labour = "partial";
	if (p->serious_illness && strcmp(p->labour, "none") != 0)
		p->labour = demo_rng_bp(g->r, 7000) ? "none" : "partial";
}

/* Monthly income items in fen (whole yuan), by age, residence and capacity. */
static void incomes(struct gen *g, struct demo_person *p, int age, int urban)
{
	int full = strcmp(p->labour, "full") == 0;
	int partial = strcmp(p->labour, "partial") == 0;
	if (age < 16)
		return;
	if (age <= 22 && demo_rng_bp(g->r, 7000))
		return; /* a student */
	if (age < 60) {
		if (full || (partial && demo_rng_bp(g->r, 5000))) {
			int div = full ? 1 : 2;
			if (urban) {
				if (demo_rng_bp(g->r, 8000))
					add_income(p, "wage", yuan(g, 2200, 7500, div));
				else if (demo_rng_bp(g->r, 4000))
					add_income(p, "business", yuan(g, 3000, 12000, div));
			} else {
				if (demo_rng_bp(g->r, 6000))
					add_income(p, "farming", yuan(g, 500, 2000, div));
				if (demo_rng_bp(g->r, 5500))
					add_income(p, "wage", yuan(g, 1800, 5000, div));
			}
		}
	} else {
		if (urban) {
			if (demo_rng_bp(g->r, 8500))
				add_income(p, "pension", yuan(g, 2000, 4800, 1));
		} else {
			if (demo_rng_bp(g->r, 9500)) /* the rural basic pension */
				add_income(p, "pension", yuan(g, 142, 300, 1));
			if (strcmp(p->labour, "none") != 0 && demo_rng_bp(g->r, 3500))
				add_income(p, "farming", yuan(g, 300, 1200, 1));
			if (demo_rng_bp(g->r, 1200)) /* support from children living elsewhere */
				add_income(p, "transfer", yuan(g, 200, 1000, 1));
		}
		if (age < 65 && full && demo_rng_bp(g->r, urban ? 1500 : 2000))
			add_income(p, "wage", yuan(g, 1500, 3500, 1));
	}
	if (urban && age >= 25 && age <= 75 && demo_rng_bp(g->r, 300))
		add_income(p, "property", yuan(g, 800, 3000, 1));
}

/* Mobile numbers: 1 + a real operator prefix + 8 random digits. */
static void mobile(struct gen *g, char out[12])
{
	static const int prefixes[] = {130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151,
				       152, 153, 155, 156, 157, 158, 159, 166, 176, 177, 178, 180,
				       181, 182, 183, 184, 185, 186, 187, 188, 189, 198, 199};
	int pre = prefixes[demo_rng_below(g->r, sizeof prefixes / sizeof prefixes[0])];
	snprintf(out, 12, "%03d%08u", pre, demo_rng_below(g->r, 100000000));
}

/* Hardship tags: from the household's shape and its members' health. */
static void tags(struct gen *g, const char *L, int *ages)
{
	struct demo_household *h = g->h;
	int rural = !h->urban;
	for (int i = 0; i < h->n; i++) {
		struct demo_person *p = &h->m[i];
		if (p->disability_grade == 1 || p->disability_grade == 2)
			add_tag(p, "severely_disabled");
		if (p->serious_illness)
			add_tag(p, "seriously_ill");
	}
	if (h->n == 1 && ages[0] >= 60)
		add_tag(&h->m[0], "elderly_alone");
	if (rural && h->n == 2 && ages[0] >= 60 && ages[1] >= 60 && demo_rng_bp(g->r, 1500)) {
		add_tag(&h->m[0], "left_behind_elderly");
		add_tag(&h->m[1], "left_behind_elderly");
	}

	/* Parents who cannot care: severely disabled or seriously ill. */
	int carers = 0, unable = 0;
	for (int i = 0; i < h->n; i++) {
		const struct demo_person *p = &h->m[i];
		if (strcmp(p->relation, "head") != 0 && strcmp(p->relation, "spouse") != 0)
			continue;
		carers++;
		unable += has_tag(p, "severely_disabled") || has_tag(p, "seriously_ill");
	}
	int skipped = has(L, 'G') && !has(L, 'O');
	int left_behind = rural && has(L, 'C') && demo_rng_bp(g->r, 300);
	for (int i = 0; i < h->n; i++) {
		struct demo_person *p = &h->m[i];
		if (ages[i] >= 18)
			continue;
		if (skipped && strcmp(p->relation, "grandchild") == 0) {
			/* Raised by grandparents: why the parents are absent. */
			static const uint32_t why_w[4] = {3000, 2000, 3500, 1500};
			int why = demo_rng_pick(g->r, why_w, 4);
			if (why == 2 && !(rural && ages[i] < 16))
				why = 3;
			add_tag(p, why == 0   ? "orphan"
				   : why == 1 ? "unsupported_child"
				   : why == 2 ? "left_behind_child"
					      : "child_in_difficulty");
			continue;
		}
		if (strcmp(p->relation, "child") != 0)
			continue;
		if (unable && unable == carers)
			add_tag(p, "unsupported_child");
		else if (unable)
			add_tag(p, "child_in_difficulty");
		else if (left_behind && ages[i] < 16)
			add_tag(p, "left_behind_child");
	}

	/* The epidemic (January–April 2020): a few families of patients, more in isolation. */
	const char *family = demo_rng_bp(g->r, 3)    ? "covid_patient_family"
			     : demo_rng_bp(g->r, 30) ? "isolated_family"
						     : NULL;
	if (family)
		for (int i = 0; i < h->n; i++)
			add_tag(&h->m[i], family);
}

static void address(struct gen *g, int house_no)
{
	struct demo_household *h = g->h;
	if (g->v->community) {
		int k = house_no - 1;
		int building = 1 + k / 24, unit = 1 + (k / 8) % 3, floor = 1 + (k % 8) / 2;
		snprintf(h->address, sizeof h->address, "%s%d号楼%d单元%d%02d室", g->v->name,
			 building, unit, floor, 1 + k % 2);
	} else {
		snprintf(h->address, sizeof h->address, "%s%d号", g->v->name, house_no);
	}
}

int demo_make_household(struct demo_rng *r, struct demo_ids *ids, const struct demo_village *v,
			int64_t as_of, int house_no, struct demo_household *h, struct err *e)
{
	struct gen g = {r, ids, v, as_of, demo_add_years(as_of, -100), h, e};
	memset(h, 0, sizeof *h);
	h->urban = v->community || (v->urban_district && demo_rng_bp(r, 3000));
	int size = 1 + demo_rng_pick(r, h->urban ? size_urban : size_rural, 6);
	const struct shape *shapes = shapes_by_size[size];
	uint32_t w[8];
	for (int i = 0; i < nshapes_by_size[size]; i++)
		w[i] = shapes[i].weight;
	const char *L = shapes[demo_rng_pick(r, w, nshapes_by_size[size])].letters;
	if (build_members(&g, L) < 0)
		return -1;

	int ages[DEMO_MAX_MEMBERS];
	for (int i = 0; i < h->n; i++) {
		struct demo_person *p = &h->m[i];
		ages[i] = age_on(p->birth_day, as_of);
		health_and_work(&g, p, ages[i]);
		incomes(&g, p, ages[i], h->urban);
		uint32_t phone_bp = i == 0				 ? 7000
				    : strcmp(p->relation, "spouse") == 0 ? 3500
									 : 2500;
		if (ages[i] >= 16 && ages[i] <= 80 && demo_rng_bp(r, phone_bp))
			mobile(&g, p->phone);
		else if (i == 0 && ages[i] > 80 && demo_rng_bp(r, phone_bp))
			mobile(&g, p->phone);
	}
	tags(&g, L, ages);
	for (int i = 0; i < h->n && !h->phone[0]; i++)
		memcpy(h->phone, h->m[i].phone, sizeof h->phone);
	address(&g, house_no);
	return 0;
}

/* ---- village names ---- */

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

void demo_village_display_name(const char *name, char *out, int outlen)
{
	static const struct {
		const char *suffix, *replace;
	} rules[] = {
	    {"社区居民委员会", "社区"},
	    {"社区居委会", "社区"},
	    {"居民委员会", "社区"},
	    {"居委会", "社区"},
	    {"村民委员会", "村"},
	    {"村委会", "村"},
	    {"村会", "村"},
	};
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		if (!ends_with(name, n, rules[i].suffix))
			continue;
		size_t stem = n - strlen(rules[i].suffix);
		const char *rep = rules[i].replace;
		if (ends_with(name, stem, rep)) /* 石坑村村委会 → 石坑村, not 石坑村村 */
			rep = "";
		snprintf(out, (size_t)outlen, "%.*s%s", (int)stem, name, rep);
		return;
	}
	snprintf(out, (size_t)outlen, "%s", name);
}
