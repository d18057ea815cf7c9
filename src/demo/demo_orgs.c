/* demo_orgs.c — the demo step of the social organisations (owned by the orgs module; see
 * demo_steps.h): 1,526 registered organisations over the city's townships, each with an
 * engagement record; 87 of them mobilise the city's 12,000 volunteers for disinfection and
 * household screening between 24 January and 26 April 2020.
 *
 * What it makes (the same at every scale: these figures do not depend on the population):
 *   - organisations 0..1511 engage in 2020-01-24..2020-04-26; 1512..1525 only in
 *     2020-01-10..2020-01-20 (before the period the bureau reports on);
 *   - the 87 organisations i % 17 == 0 (i < 1479) are volunteer teams: 138 volunteers each for
 *     the first 81, 137 for the last 6 (12,000); each runs a disinfection (4.6–5.4 km²) and a
 *     household screening (58–70 households); volunteer j joins the disinfection when
 *     j % 3 != 1 and the screening when j % 3 != 0 (so a third take part in both and are still
 *     one volunteer each);
 *   - the others deliver or donate, without volunteers.
 * Everything is written through the orgs module's functions in one transaction; pure function
 * of the seed (its own random stream, no clock). */
#include "demo/demo_internal.h"
#include "demo/demo_steps.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "orgs/orgs.h"
#include "regions/regions.h"

int demo_orgs(struct db *db, const struct actor *sys, const struct demo_options *o,
	      struct demo_report *r, struct err *e);

#define STREAM 0x4f52475300000001ULL /* "ORGS" */
#define ORGS_N 1526
#define ORGS_IN_PERIOD 1512
#define MOBILISING 87
#define VOLUNTEERS 12000
#define PERIOD_FROM demo_days_from_civil(2020, 1, 24)
#define PERIOD_DAYS 94	  /* .. 2020-04-26 */

static const char *const words[] = {"爱心", "蓝天", "红十字", "阳光", "同心", "志愿", "义工",
				    "邻里", "暖心", "青年", "巾帼", "夕阳红", "春晖", "善行"};
static const char *const kinds[] = {"志愿服务队", "协会", "促进会", "服务中心", "基金会"};
static const char *const kind_type[] = {"volunteer_team", "social_group", "social_group",
					"private_non_enterprise", "foundation"};

struct town {
	char code[16];
	char name[64];
};

static int towns_load(struct db *db, struct town **out, int *n, struct err *e)
{
	struct regions_unit *u = NULL;
	int nu = 0, alloc = 0;
	*out = NULL;
	*n = 0;
	if (regions_units(db, "3707", &u, &nu, e) < 0)
		return -1;
	for (int i = 0; i < nu; i++)
		alloc += u[i].ntownships;
	*out = calloc((size_t)alloc + 1, sizeof **out);
	if (!*out) {
		regions_units_free(u, nu);
		return err_oom(e);
	}
	for (int i = 0; i < nu; i++)
		for (int t = 0; t < u[i].ntownships; t++) {
			struct region rg;
			struct town *x = &(*out)[*n];
			snprintf(x->code, sizeof x->code, "%s", u[i].townships[t]);
			if (regions_get(db, x->code, &rg, e) == 0)
				snprintf(x->name, sizeof x->name, "%s", rg.name);
			else
				snprintf(x->name, sizeof x->name, "%s", u[i].name);
			(*n)++;
		}
	regions_units_free(u, nu);
	if (*n == 0)
		return err_set(e, 500, "internal", NULL, "演示数据：没有镇街");
	return 0;
}

struct totals {
	int64_t area_m2, households, activities, engagements;
};

static int volunteer_team(struct db *db, const struct actor *a, struct demo_rng *rng,
			  int64_t org, const char *town, int nvol, struct totals *t, struct err *e)
{
	struct orgs_volunteer_in *v = calloc((size_t)nvol, sizeof *v);
	int64_t *ids = calloc((size_t)nvol, sizeof *ids);
	struct orgs_activity_in *acts = calloc((size_t)nvol, sizeof *acts);
	int rc = -1;
	if (!v || !ids || !acts) {
		err_oom(e);
		goto out;
	}
	static const char *const skills[] = {"消杀", "测温", "入户排查", "物资配送", "心理疏导", "驾驶"};
	for (int j = 0; j < nvol; j++) {
		char given[16];
		int male = (int)demo_rng_below(rng, 2);
		demo_given_name(rng, male, 1965 + (int)demo_rng_below(rng, 38), given, sizeof given);
		v[j].org_id = org;
		snprintf(v[j].name, sizeof v[j].name, "%s%s", demo_surname(rng), given);
		snprintf(v[j].phone, sizeof v[j].phone, "13%d%08u", 5 + (int)demo_rng_below(rng, 5),
			 (unsigned)demo_rng_below(rng, 100000000));
		snprintf(v[j].skills, sizeof v[j].skills, "%s", skills[demo_rng_below(rng, 6)]);
	}
	if (orgs_volunteer_import(db, a, org, nvol, v, ids, e) < 0)
		goto out;
	for (int pass = 0; pass < 2; pass++) {
		struct orgs_engagement_in in;
		int64_t id;
		memset(&in, 0, sizeof in);
		in.org_id = org;
		demo_format_day(PERIOD_FROM + 3 + demo_rng_below(rng, PERIOD_DAYS - 10), in.date);
		snprintf(in.region_code, sizeof in.region_code, "%s", town);
		snprintf(in.activity, sizeof in.activity, "%s", pass ? "screening" : "disinfection");
		if (pass)
			in.households = demo_rng_range(rng, 58, 70);
		else
			in.area_m2 = demo_rng_range(rng, 4600000, 5400000);
		for (int j = 0; j < nvol; j++)
			if (j % 3 != (pass ? 0 : 1)) {
				acts[in.n_activities].volunteer_id = ids[j];
				acts[in.n_activities++].hours_tenths = demo_rng_range(rng, 20, 60);
			}
		in.activities = acts;
		in.volunteers = in.n_activities;
		snprintf(in.note, sizeof in.note, "%s", pass ? "入户排查登记" : "公共区域消杀");
		if (orgs_engagement_create(db, a, &in, &id, e) < 0)
			goto out;
		t->area_m2 += in.area_m2;
		t->households += in.households;
		t->activities += in.n_activities;
		t->engagements++;
	}
	rc = 0;
out:
	free(v);
	free(ids);
	free(acts);
	return rc;
}

static int run(struct db *db, const struct actor *a, struct demo_rng *rng, const struct town *tw,
	       int ntowns, struct totals *t, struct err *e)
{
	int k = 0; /* mobilising organisations so far */
	for (int i = 0; i < ORGS_N; i++) {
		const struct town *town = &tw[i % ntowns];
		int mob = i % 17 == 0 && k < MOBILISING;
		int kind = mob ? 0 : 1 + (int)demo_rng_below(rng, 4);
		struct orgs_org_in in;
		int64_t org, id;
		memset(&in, 0, sizeof in);
		snprintf(in.name, sizeof in.name, "%s%s%s", town->name,
			 words[(i / ntowns) % (int)(sizeof words / sizeof words[0])], kinds[kind]);
		snprintf(in.type, sizeof in.type, "%s", kind_type[kind]);
		snprintf(in.reg_no, sizeof in.reg_no, "5237%02d00MJ%05dX", i % 16, i);
		snprintf(in.region_code, sizeof in.region_code, "%s", town->code);
		char given[16];
		demo_given_name(rng, (int)demo_rng_below(rng, 2), 1970, given, sizeof given);
		snprintf(in.contact_name, sizeof in.contact_name, "%s%s", demo_surname(rng), given);
		snprintf(in.contact_phone, sizeof in.contact_phone, "1390536%04u",
			 (unsigned)(i % 10000));
		if (orgs_create(db, a, &in, &org, e) < 0) {
			/* two townships of the same name: the second one's organisation is numbered */
			if (strcmp(e->code, "duplicate_name") != 0)
				return -1;
			size_t n = strlen(in.name);
			snprintf(in.name + n, sizeof in.name - n, "%d", i);
			if (orgs_create(db, a, &in, &org, e) < 0)
				return -1;
		}
		if (mob) {
			int nvol = k < 81 ? 138 : 137;
			k++;
			if (volunteer_team(db, a, rng, org, town->code, nvol, t, e) < 0)
				return -1;
			continue;
		}
		struct orgs_engagement_in g;
		memset(&g, 0, sizeof g);
		g.org_id = org;
		if (i >= ORGS_IN_PERIOD)
			demo_format_day(PERIOD_FROM - 14 + demo_rng_below(rng, 11), g.date);
		else
			demo_format_day(PERIOD_FROM + demo_rng_below(rng, PERIOD_DAYS), g.date);
		snprintf(g.region_code, sizeof g.region_code, "%s", town->code);
		snprintf(g.activity, sizeof g.activity, "%s", demo_rng_below(rng, 2) ? "donation" : "delivery");
		snprintf(g.note, sizeof g.note, "%s",
			 g.activity[1] == 'o' ? "捐赠防疫物资" : "为居家隔离家庭配送生活物资");
		if (orgs_engagement_create(db, a, &g, &id, e) < 0)
			return -1;
		t->engagements++;
	}
	return 0;
}

int demo_orgs(struct db *db, const struct actor *sys, const struct demo_options *o,
	      struct demo_report *r, struct err *e)
{
	struct demo_rng rng;
	struct town *tw = NULL;
	int ntowns = 0;
	struct totals t = {0};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	demo_rng_seed(&rng, o->seed, STREAM);
	if (towns_load(db, &tw, &ntowns, e) < 0)
		return -1;
	if (db_begin_write(db, e) < 0) {
		free(tw);
		return -1;
	}
	int rc = run(db, sys, &rng, tw, ntowns, &t, e);
	free(tw);
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	if (db_commit(db, e) < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	demo_note(r, "社会组织 %d 个，参与记录 %" PRId64 " 条：2020-01-24..04-26 参与 %d 个、发动志愿者 %d 个",
		  ORGS_N, t.engagements, ORGS_IN_PERIOD, MOBILISING);
	demo_note(r, "志愿者 %d 人（服务 %" PRId64 " 人次），消杀 %" PRId64 " 平方米（%" PRId64
		     " 平方千米），排查 %" PRId64 " 户；用时 %.2f 秒",
		  VOLUNTEERS, t.activities, t.area_m2, orgs_km2(t.area_m2), t.households, secs);
	return 0;
}
