/* demo_funeral.c — the demo step of the funeral homes and the death cross-check (owned by the
 * funeral module; see demo_steps.h):
 *   - the city's suspension of farewell gatherings from 24 January 2020 (an attempt to book one
 *     in March is refused, so funeral.gatherings stays 0);
 *   - at each of the 10 funeral homes, bodies collected and cremated over January–April 2020:
 *     a fixed number per home (the same at every scale), among them a few confirmed and
 *     suspected COVID-19 cases taken through the epidemic procedure (dedicated vehicle and
 *     cremator, every step in order), a few unidentified bodies, and the last ones of April
 *     still waiting for their ashes to be collected;
 *   - deaths among the assistance recipients paid in January (their number follows the scale):
 *     most cremated at a funeral home of their county, every fourth reported on the health
 *     commission's death list instead; those who died in January or February had already been
 *     paid for later months by the payroll of 2020-01..04 (run before this step), so the
 *     cross-check finds overpayments; some are notified, some recovered, one written off.
 * Everything goes through the modules' own functions (funeral.h, crosscheck.h) in one write
 * transaction. A pure function of (seed, scale): its own random stream, no clock (steps carry
 * their times, and `today` is passed as 2020-04-30).
 */
#include "demo/demo_internal.h"
#include "demo/demo_steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/idnum.h"
#include "core/text.h"
#include "crosscheck/crosscheck.h"
#include "funeral/funeral.h"

#define STREAM 0x46554e4552414c01ULL /* "FUNERAL" */
#define MAX_HOMES 16
#define TODAY "2020-04-30"
#define NOW "2020-04-30T23:59"

int demo_funeral(struct db *db, const struct actor *sys, const struct demo_options *o,
		 struct demo_report *r, struct err *e);

struct home {
	int64_t id;
	char region[16];
};

struct tally {
	int bodies, covid, unidentified, open, recipients, listed, refused_gatherings;
};

static void day_of(int64_t day, char out[11])
{
	demo_format_day(day, out);
}

/* A valid ID number under the county `county` for a person born on `birth` that no one in the
 * registry has. */
static int stranger_id(struct db *db, const char *county, int64_t birth, int seq, char out[19],
		       struct err *e)
{
	int y, m, d;
	demo_civil_from_days(birth, &y, &m, &d);
	for (int k = 0; k < 50; k++) {
		snprintf(out, 19, "%.6s%04d%02d%02d%03d", county, y % 10000, m % 100, d % 100,
			 (900 + seq + k * 7) % 1000);
		out[17] = idnum_check_char(out);
		out[18] = '\0';
		struct db_stmt *st = db_prepare(db, "SELECT 1 FROM persons WHERE id_number = ?", e);
		if (!st)
			return -1;
		db_bind_text(st, 1, out);
		int rc = db_step(st, e);
		db_done(st);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return 0;
	}
	return err_set(e, 500, "internal", NULL, "演示：找不到未使用的身份证号");
}

/* Take a registered body through its steps; `upto` the number of steps (4 = all; an other case
 * leaves the disinfection out when `skip_disinfection`). */
static int steps(struct db *db, const struct actor *a, struct demo_rng *rng, int64_t id,
		 int64_t died, int epidemic, int upto, int skip_disinfection, struct err *e)
{
	static const char *const staff[] = {"王师傅", "李师傅", "张师傅", "刘师傅", "陈师傅"};
	int64_t minute = died * 1440 + 8 * 60 + (int64_t)demo_rng_below(rng, 10 * 60);
	for (int k = 0; k < upto && k < FUNERAL_NSTEPS; k++) {
		if (k == FUNERAL_DISINFECTION && !epidemic && skip_disinfection)
			continue;
		struct funeral_step_in in;
		memset(&in, 0, sizeof in);
		in.step = k;
		minute += k == FUNERAL_ASHES ? 1440 + (int64_t)demo_rng_below(rng, 2 * 1440)
					     : 60 + (int64_t)demo_rng_below(rng, 180);
		char day[11];
		day_of(minute / 1440, day);
		snprintf(in.at, sizeof in.at, "%sT%02d:%02d", day, (int)(minute % 1440 / 60),
			 (int)(minute % 60));
		text_copy(in.staff, sizeof in.staff, staff[demo_rng_below(rng, 5)]);
		if (k == FUNERAL_TRANSFER) {
			in.dedicated = epidemic;
			text_copy(in.vehicle, sizeof in.vehicle, epidemic ? "专用车 鲁G·F0001" : "鲁G·F2101");
		}
		if (k == FUNERAL_CREMATION) {
			in.dedicated = epidemic;
			text_copy(in.cremator, sizeof in.cremator, epidemic ? "专用炉" : "2号炉");
		}
		if (k == FUNERAL_ASHES) {
			if (demo_rng_below(rng, 5) == 0)
				text_copy(in.ashes, sizeof in.ashes, "held");
			else {
				text_copy(in.ashes, sizeof in.ashes, "handed");
				text_copy(in.receiver, sizeof in.receiver, "家属");
			}
		}
		if (funeral_step_record(db, a, id, &in, NOW, e) < 0)
			return -1;
	}
	return 0;
}

static int register_body(struct db *db, const struct actor *a, const struct home *h,
			 const char *id_number, const char *name, const char *description,
			 int64_t died, const char *source, const char *cause, int64_t *out,
			 struct err *e)
{
	struct funeral_body_in in;
	memset(&in, 0, sizeof in);
	in.institution_id = h->id;
	in.unidentified = id_number == NULL;
	if (id_number)
		text_copy(in.id_number, sizeof in.id_number, id_number);
	text_copy(in.name, sizeof in.name, name);
	text_copy(in.description, sizeof in.description, description);
	day_of(died, in.died_on);
	text_copy(in.source, sizeof in.source, source);
	text_copy(in.cause, sizeof in.cause, cause);
	return funeral_body_create(db, a, &in, TODAY, out, e);
}

/* The bodies of people outside the assistance rolls, the same at every scale. */
static int strangers(struct db *db, const struct actor *a, struct demo_rng *rng,
		     const struct home *homes, int nh, struct tally *t, struct err *e)
{
	static const char *const sources[] = {"hospital", "home", "home", "other"};
	const int64_t jan1 = demo_days_from_civil(2020, 1, 1);
	const int64_t apr26 = demo_days_from_civil(2020, 4, 26);
	/* the COVID-19 cases per home (confirmed and suspected alternately): 7 in all */
	static const int covid_at[MAX_HOMES] = {2, 1, 0, 1, 0, 1, 0, 1, 0, 1};
	int covid_serial = 0;
	for (int h = 0; h < nh; h++) {
		int n = 14 + (int)demo_rng_below(rng, 9);
		for (int i = 0; i < n; i++) {
			int64_t died = jan1 + (int64_t)demo_rng_below(rng, (uint32_t)(apr26 - jan1 + 1));
			int unidentified = i == 0 && h % 3 == 0;
			const char *cause = "other";
			if (!unidentified && i <= covid_at[h] && i >= 1)
				cause = covid_serial++ % 3 == 0 ? "confirmed" : "suspected";
			int epidemic = funeral_cause_epidemic(cause);
			char idn[19], name[64];
			int male = (int)demo_rng_below(rng, 2);
			int64_t birth = demo_days_from_civil(1925 + (int)demo_rng_below(rng, 40), 1, 1) +
					(int64_t)demo_rng_below(rng, 365);
			int64_t id;
			if (unidentified) {
				if (register_body(db, a, &homes[h], NULL, "",
						  male ? "男性，约六十岁，身着深色棉衣，无随身证件"
						       : "女性，约七十岁，白发，无随身证件",
						  died, "other", "other", &id, e) < 0)
					return -1;
				t->unidentified++;
			} else {
				char given[32];
				demo_given_name(rng, male, 1950, given, sizeof given);
				snprintf(name, sizeof name, "%s%s", demo_surname(rng), given);
				if (stranger_id(db, homes[h].region, birth, h * 31 + i, idn, e) < 0 ||
				    register_body(db, a, &homes[h], idn, name, "", died,
						  epidemic ? "hospital" : sources[demo_rng_below(rng, 4)],
						  cause, &id, e) < 0)
					return -1;
			}
			/* bodies of the last days are not all finished */
			int upto = died >= apr26 - 2 ? 1 + (int)demo_rng_below(rng, 3) : FUNERAL_NSTEPS;
			if (upto < FUNERAL_NSTEPS)
				t->open++;
			if (steps(db, a, rng, id, died, epidemic, upto, demo_rng_below(rng, 3) == 0, e) < 0)
				return -1;
			t->bodies++;
			t->covid += epidemic;
		}
	}
	/* the suspension holds: a family asking for a farewell gathering in March is refused */
	int64_t id;
	struct err re;
	char idn[19];
	if (stranger_id(db, homes[0].region, demo_days_from_civil(1941, 5, 6), 77, idn, e) < 0 ||
	    register_body(db, a, &homes[0], idn, "周桂兰", "", demo_days_from_civil(2020, 3, 2),
			  "home", "other", &id, e) < 0)
		return -1;
	if (funeral_farewell_record(db, a, id, "2020-03-04", 30, &re) == 0)
		return err_set(e, 500, "internal", NULL, "演示：暂停期间的告别仪式未被拒绝");
	t->refused_gatherings++;
	t->bodies++;
	return steps(db, a, rng, id, demo_days_from_civil(2020, 3, 2), 0, FUNERAL_NSTEPS, 0, e);
}

/* Deaths among the recipients paid in January. */
static int recipients(struct db *db, const struct actor *a, const struct demo_options *o,
		      struct demo_rng *rng, const struct home *homes, int nh, struct tally *t,
		      struct err *e)
{
	int want = (int)(40.0 * o->scale + 0.5);
	if (want < 4)
		want = 4;
	/* the persons paid in January, one per payment (the first person of each) */
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT min(pp.person_id), p.region_code FROM payments p JOIN payment_persons pp ON "
	    "pp.payment_id = p.id WHERE p.month = '2020-01' AND p.status = 'paid' AND p.program IN "
	    "('dibao','tekun') AND p.reissue_of IS NULL GROUP BY p.id ORDER BY p.id",
	    e);
	if (!st)
		return -1;
	struct cand {
		int64_t pid;
		char region[16];
	} *v = NULL;
	int n = 0, alloc = 0, rc;
	while ((rc = db_step(st, e)) == 1) {
		if (n == alloc) {
			int na = alloc ? alloc * 2 : 1024;
			struct cand *nv = realloc(v, (size_t)na * sizeof *nv);
			if (!nv) {
				rc = err_oom(e);
				break;
			}
			v = nv;
			alloc = na;
		}
		v[n].pid = db_col_int(st, 0);
		text_copy(v[n].region, sizeof v[n].region, db_col_text(st, 1));
		n++;
	}
	db_done(st);
	if (rc < 0) {
		free(v);
		return -1;
	}
	rc = 0;
	for (int k = 0; rc == 0 && k < want && n > 0; k++) {
		int i = (int)demo_rng_below(rng, (uint32_t)n);
		struct cand c = v[i];
		v[i] = v[--n];
		char idn[19] = "", name[128] = "";
		if (!(st = db_prepare(db, "SELECT id_number, name FROM persons WHERE id = ?", e))) {
			rc = -1;
			break;
		}
		db_bind_int(st, 1, c.pid);
		if ((rc = db_step(st, e)) == 1) {
			text_copy(idn, sizeof idn, db_col_text(st, 0));
			text_copy(name, sizeof name, db_col_text(st, 1));
		}
		db_done(st);
		if (rc < 0)
			break;
		rc = 0;
		/* a third died in each of January, February and March */
		int month = 1 + k % 3;
		int64_t died = demo_days_from_civil(2020, month, 1) + (int64_t)demo_rng_below(rng, 28);
		char day[11];
		day_of(died, day);
		if (k % 4 == 3) {
			if (crosscheck_death_record(db, a, idn, day, "import", "市卫生健康委", NULL, NULL,
						    e) < 0)
				rc = -1;
			t->listed++;
			continue;
		}
		/* the home of the person's county, else the city's */
		int hh = 0;
		for (int h = 0; h < nh; h++)
			if (strncmp(c.region, homes[h].region, strlen(homes[h].region)) == 0 &&
			    strlen(homes[h].region) >= 6)
				hh = h;
		int64_t id;
		if (register_body(db, a, &homes[hh], idn, name, "", died,
				  k % 2 ? "hospital" : "home", "other", &id, e) < 0 ||
		    steps(db, a, rng, id, died, 0, FUNERAL_NSTEPS, 0, e) < 0)
			rc = -1;
		t->bodies++;
		t->recipients++;
	}
	free(v);
	return rc;
}

/* Recovery: every third overpayment notified, every fourth recovered, one written off. */
static int recovery(struct db *db, const struct actor *a, int *notified, int *recovered,
		    int *written_off, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT id FROM crosscheck_overpayments ORDER BY id", e);
	if (!st)
		return -1;
	int64_t *ids = NULL;
	int n = 0, alloc = 0, rc;
	while ((rc = db_step(st, e)) == 1) {
		if (n == alloc) {
			int na = alloc ? alloc * 2 : 64;
			int64_t *nv = realloc(ids, (size_t)na * sizeof *nv);
			if (!nv) {
				rc = err_oom(e);
				break;
			}
			ids = nv;
			alloc = na;
		}
		ids[n++] = db_col_int(st, 0);
	}
	db_done(st);
	rc = rc < 0 ? -1 : 0;
	for (int i = 0; rc == 0 && i < n; i++) {
		if (i == 5) {
			rc = crosscheck_overpayment_act(db, a, ids[i], "write_off",
							"死亡人员无遗产且无继承人，经县局集体研究予以核销", e);
			(*written_off)++;
		} else if (i % 4 == 0) {
			rc = crosscheck_overpayment_act(db, a, ids[i], "notify", "", e);
			if (rc == 0)
				rc = crosscheck_overpayment_act(db, a, ids[i], "recover", "", e);
			(*recovered)++;
		} else if (i % 3 == 0) {
			rc = crosscheck_overpayment_act(db, a, ids[i], "notify", "", e);
			(*notified)++;
		}
	}
	free(ids);
	return rc;
}

int demo_funeral(struct db *db, const struct actor *sys, const struct demo_options *o,
		 struct demo_report *r, struct err *e)
{
	struct home homes[MAX_HOMES];
	int nh = 0, rc;
	struct db_stmt *st = db_prepare(
	    db, "SELECT id, region_code FROM institutions WHERE type = 'funeral_home' ORDER BY id", e);
	if (!st)
		return -1;
	while ((rc = db_step(st, e)) == 1 && nh < MAX_HOMES) {
		homes[nh].id = db_col_int(st, 0);
		text_copy(homes[nh].region, sizeof homes[nh].region, db_col_text(st, 1));
		nh++;
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (nh == 0) {
		demo_note(r, "殡葬服务：没有殡仪馆，跳过");
		return 0;
	}
	struct demo_rng rng;
	demo_rng_seed(&rng, o->seed, STREAM);
	struct tally t;
	memset(&t, 0, sizeof t);
	int notified = 0, recovered = 0, written_off = 0;
	if (db_begin_write(db, e) < 0)
		return -1;
	rc = funeral_suspension_add(db, sys, "2020-01-24", "2020-06-30",
				    "新冠肺炎疫情防控期间，暂停举办遗体告别仪式", NULL, e);
	if (rc == 0)
		rc = strangers(db, sys, &rng, homes, nh, &t, e);
	if (rc == 0 && o->assistance)
		rc = recipients(db, sys, o, &rng, homes, nh, &t, e);
	if (rc == 0 && o->assistance)
		rc = recovery(db, sys, &notified, &recovered, &written_off, e);
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	if (db_commit(db, e) < 0)
		return -1;
	int64_t deaths = db_query_int(db, "SELECT count(DISTINCT person_id) FROM crosscheck_deaths",
				      NULL);
	int64_t over = db_query_int(db, "SELECT count(*) FROM crosscheck_overpayments", NULL);
	int64_t fen = db_query_int(db, "SELECT coalesce(sum(amount_fen), 0) FROM crosscheck_overpayments",
				   NULL);
	demo_note(r, "殡葬服务：%d 家殡仪馆接运火化遗体 %d 具，其中新冠肺炎确诊、疑似 %d 具（专用车辆、专用火化炉），"
		     "身份不明 %d 具，尚未办结 %d 具；暂停告别仪式（2020-01-24 起），期间申请被拒 %d 次，举办 0 场",
		  nh, t.bodies, t.covid, t.unidentified, t.open, t.refused_gatherings);
	demo_note(r, "死亡比对：比对死亡人员 %lld 人（殡仪馆记录 %d 人、卫健委名单 %d 人），死亡后多发 %lld 笔 %lld.%02lld 元；"
		     "已追回 %d 笔，已通知 %d 笔，核销 %d 笔",
		  (long long)deaths, t.recipients, t.listed, (long long)over, (long long)(fen / 100),
		  (long long)(fen % 100), recovered, notified, written_off);
	return 0;
}
