/* report_stats_orgs.c — the statistics report's organisations.*, staff.*, documents.issued and
 * lottery.outlets_open figures (see report_stats_fill.h), from the orgs, staff, documents and
 * lottery modules' own functions, each only when the actor may read that module (social_org,
 * staff, documents, institution.read); otherwise they stay unknown. The counting rules are in
 * the modules' headers: organisations by their region, engagement measures by the area worked
 * in, staff by the post (each person once per unit and once for the city), documents by the
 * issuing unit (the city's own count for the city only), outlets by their region, open on
 * s->to. */
#include "report/report_stats_fill.h"

#include "documents/documents.h"
#include "lottery/lottery.h"
#include "orgs/orgs.h"
#include "staff/staff.h"

static const int orgs_item[ORGS_NFIGURES] = {
	[ORGS_ENGAGED] = RS_SOCORG_ENGAGED,	  [ORGS_MOBILISING] = RS_SOCORG_MOBILISING,
	[ORGS_VOLUNTEERS] = RS_VOLUNTEERS,	  [ORGS_AREA_M2] = RS_DISINFECTION_KM2,
	[ORGS_HOUSEHOLDS] = RS_SCREENED,
};

/* Known zeros for the items, city and every unit. */
static void zero(struct report_stats *s, const int *items, int n)
{
	for (int i = 0; i < n; i++) {
		rs_set(&s->city, items[i], 0);
		for (int u = 0; u < s->nunits; u++)
			rs_set(&s->units[u], items[i], 0);
	}
}

/* Add v to item for a record under region code: to its unit, and to the city (the chosen
 * county's records only, when one is chosen). */
static void add(struct report_stats *s, const char *code, int item, int64_t v)
{
	int u = rs_unit_of(s, code);
	if (u >= 0)
		rs_add(&s->units[u], item, v);
	if (!s->county[0] || rs_under(code, s->county))
		rs_add(&s->city, item, v);
}

static void orgs_fn(void *ctx, const char *code, int figure, int64_t v)
{
	add(ctx, code, orgs_item[figure], v);
}

static void documents_fn(void *ctx, const char *code, int64_t v)
{
	add(ctx, code, RS_DOCUMENTS, v);
}

static void lottery_fn(void *ctx, const char *code, int64_t v)
{
	add(ctx, code, RS_LOTTERY_OPEN, v);
}

/* The area is summed in m² and shown in whole km², rounded down (orgs_km2). */
static void area_to_km2(struct report_stats_figures *f)
{
	f->v[RS_DISINFECTION_KM2] = orgs_km2(f->v[RS_DISINFECTION_KM2]);
}

static int staff_fill(struct db *db, const struct actor *a, struct report_stats *s, struct err *e)
{
	int64_t c[STAFF_NFIGURES];
	for (int u = -1; u < s->nunits; u++) {
		struct report_stats_figures *f = u < 0 ? &s->city : &s->units[u];
		if (staff_count(db, a, s->from, s->to, u < 0 ? s->county : s->units[u].code, c, e) < 0)
			return -1;
		rs_set(f, RS_STAFF_SECONDED, c[STAFF_SECONDED]);
		rs_set(f, RS_STAFF_FRONTLINE, c[STAFF_FRONT_LINE]);
	}
	return 0;
}

int report_stats_fill_orgs(struct db *db, const struct actor *a, struct report_stats *s,
			   struct err *e)
{
	if (actor_can(a, PERM_SOCIAL_ORG)) {
		static const int items[] = {RS_SOCORG_ENGAGED, RS_SOCORG_MOBILISING, RS_VOLUNTEERS,
					    RS_DISINFECTION_KM2, RS_SCREENED};
		zero(s, items, 5);
		if (orgs_figures(db, a, s->from, s->to, orgs_fn, s, e) < 0)
			return -1;
		area_to_km2(&s->city);
		for (int u = 0; u < s->nunits; u++)
			area_to_km2(&s->units[u]);
	}
	if (actor_can(a, PERM_STAFF) && staff_fill(db, a, s, e) < 0)
		return -1;
	if (actor_can(a, PERM_DOCUMENTS)) {
		static const int items[] = {RS_DOCUMENTS};
		zero(s, items, 1);
		if (documents_figures(db, a, s->from, s->to, documents_fn, s, e) < 0)
			return -1;
	}
	if (actor_can(a, PERM_INSTITUTION_READ)) {
		static const int items[] = {RS_LOTTERY_OPEN};
		zero(s, items, 1);
		if (lottery_figures(db, a, s->to, lottery_fn, s, e) < 0)
			return -1;
	}
	return 0;
}
