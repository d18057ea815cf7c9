/* demo_lottery.c — the demo step of the lottery outlets (owned by the lottery module; see
 * demo_steps.h): every lottery outlet the institutions step made closes on 2020-01-26; seven
 * in eight pass the reopening checklist (temperature checks, masks, distance, disinfection)
 * one or two days before reopening between 2020-03-10 and 2020-04-19; every eighth outlet
 * (i % 8 == 7, in the institutions' list order) has a checklist with distance not yet in
 * place and stays closed. lottery.outlets_open on 2020-04-26 = outlets − ⌊outlets / 8⌋
 * (35 of 40 at scale 1). Written through the lottery module's functions in one transaction;
 * pure function of the seed. */
#include "demo/demo_internal.h"
#include "demo/demo_steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/array_grow.h"
#include "institutions/institutions.h"
#include "lottery/lottery.h"

int demo_lottery(struct db *db, const struct actor *sys, const struct demo_options *o,
		 struct demo_report *r, struct err *e);

#define STREAM 0x4c4f54544552590ULL /* "LOTTERY" */

struct ids {
	int n, alloc, oom;
	int64_t *v;
};

static int collect(const struct institutions_row *row, void *ctx)
{
	struct ids *x = ctx;
	if (array_grow(&x->v, x->n, &x->alloc, sizeof *x->v, 16) < 0) {
		x->oom = 1;
		return 1;
	}
	x->v[x->n++] = row->inst.id;
	return 0;
}

static int run(struct db *db, const struct actor *a, struct demo_rng *rng, const struct ids *x,
	       int *open, struct err *e)
{
	static const char *const checkers[] = {"市福彩中心 王工", "市福彩中心 刘工", "县区民政局 张工"};
	for (int i = 0; i < x->n; i++) {
		struct lottery_checklist c;
		char day[11];
		if (lottery_close(db, a, x->v[i], "2020-01-26", "疫情防控：暂停销售", e) < 0)
			return -1;
		int64_t reopen = demo_days_from_civil(2020, 3, 10) + demo_rng_below(rng, 41);
		memset(&c, 0, sizeof c);
		demo_format_day(reopen - 1 - demo_rng_below(rng, 2), c.checked_on);
		snprintf(c.checked_by, sizeof c.checked_by, "%s", checkers[demo_rng_below(rng, 3)]);
		c.temperature = c.masks = c.disinfection = 1;
		c.distance = i % 8 != 7;
		if (lottery_checklist_record(db, a, x->v[i], &c,
					     c.distance ? "" : "一米线尚未设置", e) < 0)
			return -1;
		if (i % 8 == 7)
			continue;
		demo_format_day(reopen, day);
		if (lottery_reopen(db, a, x->v[i], day, "复业核查合格", e) < 0)
			return -1;
		(*open)++;
	}
	return 0;
}

int demo_lottery(struct db *db, const struct actor *sys, const struct demo_options *o,
		 struct demo_report *r, struct err *e)
{
	struct institutions_filter f;
	struct ids x = {0};
	struct demo_rng rng;
	int open = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	demo_rng_seed(&rng, o->seed, STREAM);
	memset(&f, 0, sizeof f);
	snprintf(f.type, sizeof f.type, "lottery_outlet");
	snprintf(f.date, sizeof f.date, "2020-04-26");
	if (institutions_list(db, sys, &f, collect, &x, e) < 0)
		goto fail;
	if (x.oom) {
		err_oom(e);
		goto fail;
	}
	if (db_begin_write(db, e) < 0)
		goto fail;
	if (run(db, sys, &rng, &x, &open, e) < 0) {
		db_rollback(db);
		goto fail;
	}
	if (db_commit(db, e) < 0)
		goto fail;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	demo_note(r, "福彩网点：%d 个于 2020-01-26 停业，%d 个经复业核查于 3—4 月复业，%d 个核查未通过仍停业；用时 %.2f 秒",
		  x.n, open, x.n - open, secs);
	free(x.v);
	return 0;
fail:
	free(x.v);
	return -1;
}
