/* demo_staff.c — the demo step of staff deployment (owned by the staff module; see
 * demo_steps.h): the bureau's 5 staff seconded to the city's epidemic supervision teams and
 * its 227 staff sent to front-line posts (village checkpoints, community prevention) in the
 * townships, from late January 2020.
 *
 * What it makes (the same at every scale):
 *   - seconded S001..S005 to 督导组 1–5 (region 3707), 2020-01-28..2020-04-20; S003 again from
 *     2020-04-21 (open-ended) — a repeated deployment, still one person;
 *   - front line F001..F227, each to a township post for 20–60 days from 2020-01-26..02-15;
 *     every 11th is deployed a second time (a later post, or overlapping the first) and counts
 *     once;
 *   - F228..F230 start on 2020-05-06, after the reported period.
 * So staff.seconded = 5 and staff.front_line = 227 over 2020-01-24..2020-04-26 (and over
 * 2020-01-01..2020-04-26). Written through staff_deployment_create in one transaction; pure
 * function of the seed. */
#include "demo/demo_internal.h"
#include "demo/demo_steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "regions/regions.h"
#include "staff/staff.h"

int demo_staff(struct db *db, const struct actor *sys, const struct demo_options *o,
	       struct demo_report *r, struct err *e);

#define STREAM 0x5354414646000001ULL /* "STAFF" */
#define MAX_TOWNS 400

static const char *const depts[] = {"社会救助科", "养老服务科", "社会事务科", "办公室",
				    "社会组织管理局", "儿童福利科", "规划财务科"};

struct ctx {
	struct db *db;
	const struct actor *a;
	struct demo_rng rng;
	char (*town)[16];
	char (*town_name)[64];
	int ntowns;
	int rows;
};

static int deploy(struct ctx *c, const char *no, const char *post, const char *region,
		  const char *type, int64_t start, int64_t end, struct err *e)
{
	struct staff_deployment_in in;
	char given[16];
	int64_t id;
	memset(&in, 0, sizeof in);
	struct demo_rng name_rng; /* the same person keeps the same name across deployments */
	demo_rng_seed(&name_rng, demo_mix64((uint64_t)no[1] * 1000 + (uint64_t)atoi(no + 1)),
		      STREAM + 1);
	demo_given_name(&name_rng, (int)demo_rng_below(&name_rng, 2), 1970 + (int)demo_rng_below(&name_rng, 25),
			given, sizeof given);
	snprintf(in.staff_no, sizeof in.staff_no, "%s", no);
	snprintf(in.name, sizeof in.name, "%s%s", demo_surname(&name_rng), given);
	snprintf(in.phone, sizeof in.phone, "1386360%04d", atoi(no + 1));
	snprintf(in.from_unit, sizeof in.from_unit, "潍坊市民政局%s",
		 depts[demo_rng_below(&name_rng, 7)]);
	snprintf(in.post, sizeof in.post, "%s", post);
	snprintf(in.region_code, sizeof in.region_code, "%s", region);
	snprintf(in.type, sizeof in.type, "%s", type);
	demo_format_day(start, in.start_date);
	if (end)
		demo_format_day(end, in.end_date);
	c->rows++;
	return staff_deployment_create(c->db, c->a, &in, &id, e);
}

static int run(struct ctx *c, struct err *e)
{
	char no[16], post[128];
	for (int i = 1; i <= 5; i++) {
		snprintf(no, sizeof no, "S%03d", i);
		snprintf(post, sizeof post, "市疫情防控指挥部第%d督导组", i);
		if (deploy(c, no, post, "3707", "seconded", demo_days_from_civil(2020, 1, 28),
			   demo_days_from_civil(2020, 4, 20), e) < 0)
			return -1;
	}
	if (deploy(c, "S003", "市疫情防控指挥部复工复产督导组", "3707", "seconded",
		   demo_days_from_civil(2020, 4, 21), 0, e) < 0)
		return -1;
	int64_t d0 = demo_days_from_civil(2020, 1, 26);
	for (int i = 1; i <= 230; i++) {
		int t = (int)demo_rng_below(&c->rng, (uint32_t)c->ntowns);
		int64_t start = i > 227 ? demo_days_from_civil(2020, 5, 6)
					: d0 + demo_rng_below(&c->rng, 21);
		int64_t end = start + demo_rng_range(&c->rng, 20, 60);
		snprintf(no, sizeof no, "F%03d", i);
		snprintf(post, sizeof post, "%s%s", c->town_name[t],
			 demo_rng_below(&c->rng, 2) ? "疫情防控卡口" : "社区（村）防控专班");
		if (deploy(c, no, post, c->town[t], "front_line", start, end, e) < 0)
			return -1;
		if (i % 11 == 0 && i <= 227) { /* a second deployment: later, or overlapping */
			int t2 = (int)demo_rng_below(&c->rng, (uint32_t)c->ntowns);
			int64_t s2 = i % 22 == 0 ? end - 5 : end + 1 + demo_rng_below(&c->rng, 5);
			snprintf(post, sizeof post, "%s疫情防控卡口", c->town_name[t2]);
			if (deploy(c, no, post, c->town[t2], "front_line", s2, s2 + 14, e) < 0)
				return -1;
		}
	}
	return 0;
}

int demo_staff(struct db *db, const struct actor *sys, const struct demo_options *o,
	       struct demo_report *r, struct err *e)
{
	struct ctx c;
	struct regions_unit *u = NULL;
	int nu = 0, rc = -1;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&c, 0, sizeof c);
	c.db = db;
	c.a = sys;
	demo_rng_seed(&c.rng, o->seed, STREAM);
	c.town = calloc(MAX_TOWNS, sizeof *c.town);
	c.town_name = calloc(MAX_TOWNS, sizeof *c.town_name);
	if (!c.town || !c.town_name) {
		err_oom(e);
		goto out;
	}
	if (regions_units(db, "3707", &u, &nu, e) < 0)
		goto out;
	for (int i = 0; i < nu; i++)
		for (int t = 0; t < u[i].ntownships && c.ntowns < MAX_TOWNS; t++) {
			struct region rg;
			snprintf(c.town[c.ntowns], 16, "%s", u[i].townships[t]);
			snprintf(c.town_name[c.ntowns], 64, "%s",
				 regions_get(db, u[i].townships[t], &rg, e) == 0 ? rg.name : u[i].name);
			c.ntowns++;
		}
	if (!c.ntowns) {
		err_set(e, 500, "internal", NULL, "演示数据：没有镇街");
		goto out;
	}
	if (db_begin_write(db, e) < 0)
		goto out;
	if (run(&c, e) < 0) {
		db_rollback(db);
		goto out;
	}
	if (db_commit(db, e) < 0)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	demo_note(r, "干部下沉：抽调督导 5 人、下沉一线 227 人（2020-01-24..04-26），派驻记录 %d 条"
		     "（含重复派驻；另 3 人 2020-05-06 起派驻）；用时 %.2f 秒", c.rows, secs);
	rc = 0;
out:
	regions_units_free(u, nu);
	free(c.town);
	free(c.town_name);
	return rc;
}
