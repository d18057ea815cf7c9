/* demo_ledger.c — the demo city's hardship ledger (特殊困难群众台账), January–April 2020: who is on
 * it, their helpers, the townships' 24-hour numbers, and visits with the needs collected on them.
 * (A demo step, see demo_steps.h; owned by the ledger module.)
 *
 * - Membership is the ledger module's own sync (ledger_sync) as of 2020-01-01: every person with
 *   a hardship tag, every 低保 household head and 特困 person on the rolls (with --no-assistance
 *   only the tagged persons).
 * - Each township gets a 24-hour number (0536-8 + the township's code digits 4–9), each demo
 *   village and township user a name and a phone as a helper (包帮责任人); every entry has the
 *   helper the sync gives by default (the village's worker where the demo has one, else the
 *   township's assistant), except about 3 % left for the township to assign.
 * - Visits: writing every entry's four months of visits would cost seconds at scale 1, so they
 *   are written for a sample. The entries of every village that has a demo village worker (the
 *   first village of each township, 栾家山后村 among them) get their whole history: visits at the
 *   frequency of the entry's categories (the parameters in force in January 2020), mostly on
 *   time, some late, and for about 8 % of the entries none after March (they are overdue at the
 *   end of April) — for families contacted every few days, only their last two weeks; about
 *   6 % of visits collect a need, most met within days. The rest of 坊子区
 *   (the demo county login's) gets each entry's latest visit only — in its last interval before
 *   2020-04-30, or for about 8 % long before it (overdue) — so the county's and its townships'
 *   overdue views look as they would. Entries elsewhere have no visits: as of 2020-04-30 they show
 *   as never visited.
 * Deterministic in (seed, scale): the demo's PRNG, time stamps from the visit days.
 */
#include "demo/demo_internal.h"
#include "demo/demo_steps.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "core/array_grow.h"
#include "ledger/ledger.h"

int demo_ledger(struct db *db, const struct actor *sys, const struct demo_options *o,
		struct demo_report *r, struct err *e);

#define JOINED "2020-01-01"
#define LAST_DAY "2020-04-30"
#define SAMPLE_COUNTY "370704"     /* 坊子区: the demo county login's */
#define STREAM 0x4c454447u /* "LEDG" */

struct sample {
	int64_t id;
	unsigned categories;
	int freq;
	char region[16];
	char helper[64];    /* username, "" when unassigned */
	char visitor[64];   /* the helper's name */
	int full;           /* the whole history; else the latest visit only */
};

static const char *const findings_ok[] = {
    "身体状况良好，生活物资充足，已告知 24 小时值守电话。",
    "老人精神状态稳定，家中粮油、蔬菜够用一周。",
    "询问近期身体情况，无发热、咳嗽，按时服药。",
    "家中卫生整洁，取暖做饭安全，无异常。",
    "监护人在家照看，儿童学习生活正常。",
    "已提醒做好居家防护，减少外出。",
};

static const struct {
	const char *kind;
	uint32_t weight;
	const char *detail;
	const char *done;
} need_kinds[] = {
    {"food", 30, "米面油等生活物资不足", "已协调送去米、面、油各一份"},
    {"medicine", 25, "慢性病药品将用完，行动不便无法购药", "已代购药品送达"},
    {"masks", 20, "缺少口罩和消毒用品", "已发放口罩 20 只、消毒液 1 瓶"},
    {"care", 10, "子女在外地无法返回，需要有人照看", "已安排邻居和网格员每日探视"},
    {"money", 10, "收入中断，生活费用紧张", "已告知临时救助申请渠道并协助申请"},
    {"other", 5, "家中取暖设备故障", "已联系村委会帮助维修"},
};

static int load_sample(struct db *db, struct sample **out, int *n, struct err *e)
{
	int alloc = 0, rc;
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT e.person_id, e.categories, e.frequency_days, e.region_code, "
	    "coalesce(u.username, ''), coalesce(lh.name, ''), EXISTS (SELECT 1 FROM users v WHERE "
	    "v.username = 'village_' || e.region_code) AS full FROM ledger_entries e LEFT JOIN "
	    "users u ON u.id = e.helper_user_id LEFT JOIN ledger_helpers lh ON lh.user_id = "
	    "e.helper_user_id WHERE e.status = 'active' AND (substr(e.region_code, 1, 6) = ? OR "
	    "EXISTS (SELECT 1 FROM users v WHERE v.username = 'village_' || e.region_code)) "
	    "ORDER BY e.person_id",
	    e);
	if (!st)
		return -1;
	db_bind_text(st, 1, SAMPLE_COUNTY);
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(out, *n, &alloc, sizeof **out, 1024) < 0) {
			db_done(st);
			return err_set(e, 500, "internal", NULL, "内存不足");
		}
		struct sample *s = &(*out)[(*n)++];
		memset(s, 0, sizeof *s);
		s->id = db_col_int(st, 0);
		s->categories = (unsigned)db_col_int(st, 1);
		s->freq = (int)db_col_int(st, 2);
		snprintf(s->region, sizeof s->region, "%s", db_col_text(st, 3));
		snprintf(s->helper, sizeof s->helper, "%s", db_col_text(st, 4));
		snprintf(s->visitor, sizeof s->visitor, "%s", db_col_text(st, 5));
		s->full = (int)db_col_int(st, 6);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

struct counts {
	int64_t visits, needs, met, unmet, sampled;
};

/* One sampled entry's visits from January to April, and its schedule after them. */
static int visit_entry(struct db *db, struct demo_rng *rng, const struct sample *s,
		       struct counts *k, struct err *e)
{
	char day[11], due[11], next[11], last[11] = "", at[32];
	int freq = s->freq > 0 ? s->freq : 30;
	int64_t nvisits = 0, open = 0;
	const int stops = demo_rng_bp(rng, 800); /* nobody comes after March (or, latest visit
						   * only: long before the end) */
	const char *stop_after = stops && s->full ? "2020-03-31" : LAST_DAY;
	snprintf(due, sizeof due, "%s", JOINED);
	if (s->full && freq >= 7) {
		if (ledger_date_add(JOINED, (int)demo_rng_below(rng, (uint32_t)(freq < 10 ? freq : 10)), day) < 0)
			return err_set(e, 500, "internal", NULL, "日期计算失败");
	} else if (s->full) {
		/* daily or every few days (families in isolation, of patients): the calls of their
		 * last two weeks are kept, not four months of them */
		if (ledger_date_add(LAST_DAY, -14 - (int)demo_rng_below(rng, (uint32_t)freq), day) < 0)
			return err_set(e, 500, "internal", NULL, "日期计算失败");
		snprintf(due, sizeof due, "%s", day);
	} else {
		/* the latest visit only: in its last interval, or 1–30 days before that */
		int back = (int)demo_rng_below(rng, (uint32_t)freq);
		if (stops)
			back += freq + 1 + (int)demo_rng_below(rng, 30);
		if (ledger_date_add(LAST_DAY, -back, day) < 0)
			return err_set(e, 500, "internal", NULL, "日期计算失败");
		snprintf(due, sizeof due, "%s", day); /* the visits before it are not recorded */
	}
	struct db_stmt *vst = NULL;
	while (strcmp(day, stop_after) <= 0) {
		int late = ledger_date_diff(day, due);
		if (ledger_date_add(day, freq, next) < 0)
			return err_set(e, 500, "internal", NULL, "日期计算失败");
		const char *mode;
		uint32_t m = demo_rng_below(rng, 100);
		if (freq <= 3)
			mode = m < 70 ? "phone" : "wechat";
		else
			mode = m < 60 ? "home" : m < 90 ? "phone" : "wechat";
		snprintf(at, sizeof at, "%sT18:00:00+08:00", day);
		vst = db_prepare(db,
				 "INSERT INTO ledger_visits(person_id, region_code, visited_on, mode, "
				 "visitor, findings, actions, due_on, next_due, late_days, recorded_by, "
				 "recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
				 e);
		if (!vst)
			return -1;
		db_bind_int(vst, 1, s->id);
		db_bind_text(vst, 2, s->region);
		db_bind_text(vst, 3, day);
		db_bind_text(vst, 4, mode);
		db_bind_text(vst, 5, s->visitor[0] ? s->visitor : "村（居）委会");
		db_bind_text(vst, 6, findings_ok[demo_rng_below(rng, sizeof findings_ok / sizeof findings_ok[0])]);
		db_bind_text(vst, 7, "");
		db_bind_text(vst, 8, due);
		db_bind_text(vst, 9, next);
		db_bind_int(vst, 10, late > 0 ? late : 0);
		db_bind_text(vst, 11, s->helper[0] ? s->helper : "system");
		db_bind_text(vst, 12, at);
		if (db_run(vst, e) < 0)
			return -1;
		int64_t visit_id = db_last_id(db);
		k->visits++;
		nvisits++;
		if (demo_rng_bp(rng, 600)) {
			uint32_t w[6];
			for (int i = 0; i < 6; i++)
				w[i] = need_kinds[i].weight;
			int kind = demo_rng_pick(rng, w, 6);
			char resolved[11] = "";
			const char *status = "open", *resolution = "";
			uint32_t fate = demo_rng_below(rng, 100);
			if (fate < 85 && ledger_date_add(day, 1 + (int)demo_rng_below(rng, 5), resolved) == 0 &&
			    strcmp(resolved, LAST_DAY) <= 0) {
				status = "met";
				resolution = need_kinds[kind].done;
			} else if (fate < 88) {
				snprintf(resolved, sizeof resolved, "%s", day);
				status = "unmet";
				resolution = "本人拒绝帮助，已做好记录并继续关注";
			} else {
				resolved[0] = '\0';
			}
			if (strcmp(status, "open") == 0)
				open++;
			struct db_stmt *nst = db_prepare(
			    db,
			    "INSERT INTO ledger_needs(person_id, visit_id, region_code, kind, detail, "
			    "raised_on, status, resolved_on, resolution, resolved_by, created_at) "
			    "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
			    e);
			if (!nst)
				return -1;
			db_bind_int(nst, 1, s->id);
			db_bind_int(nst, 2, visit_id);
			db_bind_text(nst, 3, s->region);
			db_bind_text(nst, 4, need_kinds[kind].kind);
			db_bind_text(nst, 5, need_kinds[kind].detail);
			db_bind_text(nst, 6, day);
			db_bind_text(nst, 7, status);
			db_bind_text(nst, 8, resolved);
			db_bind_text(nst, 9, resolution);
			db_bind_text(nst, 10, strcmp(status, "open") ? (s->helper[0] ? s->helper : "system") : "");
			db_bind_text(nst, 11, at);
			if (db_run(nst, e) < 0)
				return -1;
			k->needs++;
			k->met += strcmp(status, "met") == 0;
			k->unmet += strcmp(status, "unmet") == 0;
		}
		snprintf(last, sizeof last, "%s", day);
		snprintf(due, sizeof due, "%s", next);
		if (!s->full)
			break;
		/* mostly on time; one visit in ten late by up to the interval again */
		int gap = freq + (freq >= 7 ? (int)demo_rng_below(rng, 3) - 1 : 0);
		if (demo_rng_bp(rng, 1000))
			gap += 1 + (int)demo_rng_below(rng, (uint32_t)freq);
		if (gap < 1)
			gap = 1;
		if (ledger_date_add(day, gap, day) < 0)
			return err_set(e, 500, "internal", NULL, "日期计算失败");
	}
	if (!nvisits)
		return 0;
	k->sampled++;
	struct db_stmt *st = db_prepare(db,
					"UPDATE ledger_entries SET last_visit_on = ?, next_due = ?, "
					"visits = ?, open_needs = ?, frequency_days = ?, updated_at = ? "
					"WHERE person_id = ?",
					e);
	if (!st)
		return -1;
	snprintf(at, sizeof at, "%sT18:00:00+08:00", last);
	db_bind_text(st, 1, last);
	db_bind_text(st, 2, due);
	db_bind_int(st, 3, nvisits);
	db_bind_int(st, 4, open);
	db_bind_int(st, 5, freq);
	db_bind_text(st, 6, at);
	db_bind_int(st, 7, s->id);
	return db_run(st, e);
}

/* The demo village and township users as helpers, with a name and a mobile number each. */
static int helpers(struct db *db, struct demo_rng *rng, int64_t *n, struct err *e)
{
	int64_t *ids = NULL;
	int nids = 0, alloc = 0, rc;
	struct db_stmt *st = db_prepare(db,
					"SELECT id FROM users WHERE role IN ('village_worker', "
					"'township_assistant') ORDER BY username",
					e);
	if (!st)
		return -1;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&ids, nids, &alloc, sizeof *ids, 256) < 0) {
			rc = err_set(e, 500, "internal", NULL, "内存不足");
			break;
		}
		ids[nids++] = db_col_int(st, 0);
	}
	db_done(st);
	for (int i = 0; rc == 0 && i < nids; i++) {
		char name[64], given[32], phone[16];
		int male = (int)demo_rng_below(rng, 2);
		demo_given_name(rng, male, 1975 + (int)demo_rng_below(rng, 25), given, sizeof given);
		snprintf(name, sizeof name, "%s%s", demo_surname(rng), given);
		snprintf(phone, sizeof phone, "13%u%08u", 5 + demo_rng_below(rng, 5),
			 demo_rng_below(rng, 100000000));
		st = db_prepare(db,
				"INSERT INTO ledger_helpers(user_id, name, phone, updated_by, updated_at) "
				"VALUES (?,?,?,'system','" JOINED "T00:00:00+08:00') ON CONFLICT (user_id) "
				"DO NOTHING",
				e);
		if (!st) {
			rc = -1;
			break;
		}
		db_bind_int(st, 1, ids[i]);
		db_bind_text(st, 2, name);
		db_bind_text(st, 3, phone);
		rc = db_run(st, e);
	}
	free(ids);
	*n = nids;
	return rc < 0 ? -1 : 0;
}

static int step_txn(struct db *db, const struct actor *sys, const struct demo_options *o,
		    struct counts *k, int64_t *nhelpers, int64_t *ncontacts, struct err *e)
{
	struct demo_rng rng;
	struct sample *s = NULL;
	int ns = 0, rc;
	demo_rng_seed(&rng, o->seed, STREAM);
	/* the townships' 24-hour numbers */
	if (db_exec(db,
		    "INSERT INTO ledger_contacts(township_code, phone, note, set_by, set_at) "
		    "SELECT code, '0536-8' || substr(code, 4, 6), '民政办 24 小时值守', 'system', '"
		    JOINED "T00:00:00+08:00' FROM regions WHERE level = 4 AND code LIKE '3707%' "
		    "ON CONFLICT (township_code) DO NOTHING",
		    e) < 0)
		return -1;
	*ncontacts = db_changes(db);
	if (helpers(db, &rng, nhelpers, e) < 0)
		return -1;
	/* the sync gave every entry its default helper (the village's worker, else the township's
	 * assistant); about 3 % are left for the township to assign */
	if (db_exec(db,
		    "UPDATE ledger_entries SET helper_user_id = NULL WHERE status = 'active' AND "
		    "(person_id * 2654435761) % 100 < 3",
		    e) < 0)
		return -1;
	if (load_sample(db, &s, &ns, e) < 0) {
		free(s);
		return -1;
	}
	rc = 0;
	for (int i = 0; rc == 0 && i < ns; i++)
		rc = visit_entry(db, &rng, &s[i], k, e);
	free(s);
	if (rc < 0)
		return -1;
	char detail[256];
	snprintf(detail, sizeof detail,
		 "{\"helpers\":%" PRId64 ",\"contacts\":%" PRId64 ",\"visits\":%" PRId64
		 ",\"needs\":%" PRId64 "}",
		 *nhelpers, *ncontacts, k->visits, k->needs);
	return audit_append(db, sys, "demo.ledger", "ledger", "ok", detail, e);
}

static double seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int demo_ledger(struct db *db, const struct actor *sys, const struct demo_options *o,
		struct demo_report *r, struct err *e)
{
	const double t0 = seconds();
	struct ledger_sync_result res;
	struct counts k = {0};
	int64_t nhelpers = 0, ncontacts = 0;
	if (ledger_sync(db, sys, "", JOINED, &res, e) < 0)
		return -1;
	const double t1 = seconds();
	if (db_begin_write(db, e) < 0)
		return -1;
	int rc = step_txn(db, sys, o, &k, &nhelpers, &ncontacts, e);
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	if (db_commit(db, e) < 0)
		return -1;
	int64_t active = db_query_int(db, "SELECT count(*) FROM ledger_entries WHERE status = 'active'", NULL);
	int64_t overdue = db_query_int(db,
				       "SELECT count(*) FROM ledger_entries WHERE status = 'active' "
				       "AND next_due <= '" LAST_DAY "'",
				       NULL);
	int64_t overdue_sample = db_query_int(
	    db,
	    "SELECT count(*) FROM ledger_entries WHERE status = 'active' AND next_due <= '" LAST_DAY
	    "' AND visits > 0",
	    NULL);
	demo_note(r, "困难群众台账 ledger   在册 %" PRId64 " 人（户籍标签与低保、特困名册自动纳入）；"
		     "包帮责任人 %" PRId64 " 名，24 小时值守电话 %" PRId64 " 个镇街",
		  active, nhelpers, ncontacts);
	demo_note(r, "  走访 %" PRId64 " 次（坊子区及各演示村居 %" PRId64 " 人，2020-01..04），"
		     "需求 %" PRId64 " 项（已解决 %" PRId64 "，无法解决 %" PRId64 "）；"
		     "截至 " LAST_DAY " 应访未访 %" PRId64 " 人（其中已走访过的 %" PRId64 " 人）；"
		     "用时 %.2f 秒（同步 %.2f）",
		  k.visits, k.sampled, k.needs, k.met, k.unmet, overdue, overdue_sample,
		  seconds() - t0, t1 - t0);
	return 0;
}
