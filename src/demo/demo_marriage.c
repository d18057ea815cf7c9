/* demo_marriage.c — the demo's marriage step (see demo_steps.h), owned by the marriage module:
 * every marriage office the institutions step made (one per county) gets its settings (Monday to
 * Friday 09:00–11:30 and 13:30–17:00, 30-minute slots, 3–5 couples per slot), the epidemic rules
 * from 2020-01-28 (one couple at a time, counselling and ceremonies suspended) relaxed from
 * 2020-03-16 (two couples per slot, ceremonies still suspended), registration suspended
 * 2020-02-03 … 2020-02-14 (closed dates), and bookings over 2020-01-02 … 2020-04-30 with their
 * check-in, temperature and outcome — all written through the module's own functions, in one
 * write transaction, as a pure function of (seed, scale): no clock (every booking is made a few
 * days before its date with that moment given).
 *
 * Bookings follow population (none of them is a published figure): per office and open day a
 * draw of 0 … 2 × couples-per-day × scale (at least 0 … 1), fewer during the strict rules. Of
 * the bookings 88 % come (1.5 % of those with fever, turned away), 97 % of the others register;
 * the rest are no-shows. People are synthetic couples (ID numbers of the office's county).
 */
#include "demo/demo_steps.h"
#include "demo/demo_internal.h"
#include "marriage/marriage.h"
#include "core/idnum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STREAM 0x6d617272696167ULL /* "marriag" */
#define FIRST "2020-01-02"
#define LAST "2020-04-30"
#define HOURS "09:00-11:30,13:30-17:00;09:00-11:30,13:30-17:00;09:00-11:30,13:30-17:00;" \
	      "09:00-11:30,13:30-17:00;09:00-11:30,13:30-17:00;;"

struct tally {
	int offices, days_open, booked, arrived, fever, registered, not_registered, no_show;
};

/* A synthetic person of the county: born so that they are 22–40 (men) / 20–38 (women) in 2020. */
static void person(struct demo_rng *r, const char *county, int male, struct marriage_party_in *p,
		   int *serial)
{
	int year = (male ? 1980 : 1982) + (int)demo_rng_below(r, 17);
	int month = 1 + (int)demo_rng_below(r, 12), day = 1 + (int)demo_rng_below(r, 28);
	/* sequence numbers 001–999 by a running serial: unique per office run, odd for men */
	int seq = (*serial)++ % 499 * 2 + (male ? 1 : 2);
	char id17[18], given[32];
	snprintf(id17, sizeof id17, "%.6s%04d%02d%02d%03d", county, year, month, day, seq);
	snprintf(p->id_number, sizeof p->id_number, "%s%c", id17, idnum_check_char(id17));
	demo_given_name(r, male, year, given, sizeof given);
	snprintf(p->name, sizeof p->name, "%s%s", demo_surname(r), given);
}

static void phone(struct demo_rng *r, char out[32])
{
	static const char *const pre[] = {"138", "139", "150", "152", "158", "186", "187", "135"};
	snprintf(out, 32, "%s%08u", pre[demo_rng_below(r, 8)], (unsigned)demo_rng_below(r, 100000000));
}

static int office_day(struct db *db, const struct actor *sys, struct demo_rng *r,
		      const struct marriage_office *o, const char *date, double scale,
		      int *serial, struct tally *t, struct err *e)
{
	struct marriage_day_plan *p = calloc(1, sizeof *p);
	if (!p)
		return err_oom(e);
	int rc = marriage_day_plan(db, o->id, date, p, e);
	if (rc < 0 || !p->open) {
		free(p);
		return rc;
	}
	t->days_open++;
	int places = 0;
	for (int i = 0; i < p->nslots; i++)
		places += p->slots[i].capacity;
	/* couples per day: about a third of the places in normal times, fewer under the rules */
	double mean = places / 3.0 * scale;
	if (p->rule.id && p->rule.one_couple)
		mean /= 2;
	int max = (int)(2 * mean + 0.5);
	if (max < 1)
		max = 1;
	int n = (int)demo_rng_below(r, (uint32_t)max + 1);
	char at[32], made[11];
	int64_t day;
	demo_parse_day(date, &day);
	for (int k = 0; k < n && rc == 0; k++) {
		int s = (int)demo_rng_below(r, (uint32_t)p->nslots), tries = 0;
		while (p->slots[s].booked >= p->slots[s].capacity && tries++ < p->nslots)
			s = (s + 1) % p->nslots;
		if (p->slots[s].booked >= p->slots[s].capacity)
			break; /* the day is full */
		struct marriage_booking_in in;
		struct marriage_booking b;
		memset(&in, 0, sizeof in);
		in.office_id = o->id;
		snprintf(in.date, sizeof in.date, "%s", date);
		snprintf(in.time, sizeof in.time, "%s", p->slots[s].time);
		person(r, o->region_code, 1, &in.party[0], serial);
		person(r, o->region_code, 0, &in.party[1], serial);
		phone(r, in.phone);
		/* the code from the demo's stream, so the database is the same on every run */
		unsigned char bytes[MARRIAGE_CODE_LEN];
		for (int i = 0; i < MARRIAGE_CODE_LEN; i++)
			bytes[i] = (unsigned char)demo_rng_below(r, 256);
		marriage_code_from_bytes(bytes, in.code);
		demo_format_day(day - 1 - (int64_t)demo_rng_below(r, 10), made);
		snprintf(at, sizeof at, "%sT%02u:%02u:00+08:00", made, 8 + demo_rng_below(r, 14),
			 demo_rng_below(r, 60));
		if (marriage_book(db, sys, &in, at, &b, e) < 0) {
			if (strcmp(e->code, "conflict") == 0 || strcmp(e->code, "already_booked") == 0) {
				rc = 0; /* a repeated code or person: that couple does not book */
				continue;
			}
			rc = -1;
			break;
		}
		p->slots[s].booked++;
		t->booked++;
		/* the day itself */
		if (demo_rng_bp(r, 8800)) {
			int fever = demo_rng_bp(r, 150);
			int temp = fever ? 373 + (int)demo_rng_below(r, 12) : 358 + (int)demo_rng_below(r, 14);
			snprintf(at, sizeof at, "%sT%.2s:%02u:00+08:00", date, in.time,
				 demo_rng_below(r, 10));
			rc = marriage_checkin(db, sys, b.id, temp, at, e);
			t->arrived++;
			if (rc == 0 && fever) {
				t->fever++;
				t->not_registered++;
			} else if (rc == 0 && demo_rng_bp(r, 9700)) {
				rc = marriage_outcome(db, sys, b.id, "registered", "", e);
				t->registered++;
			} else if (rc == 0) {
				rc = marriage_outcome(db, sys, b.id, "not_registered",
						      demo_rng_bp(r, 5000) ? "证件材料不齐全" : "一方户口簿信息有误",
						      e);
				t->not_registered++;
			}
		} else {
			rc = marriage_outcome(db, sys, b.id, "no_show", "", e);
			t->no_show++;
		}
	}
	free(p);
	return rc;
}

static int run(struct db *db, const struct actor *sys, const struct demo_options *o,
	       struct tally *t, struct err *e)
{
	struct demo_rng r;
	struct marriage_office_list l;
	demo_rng_seed(&r, o->seed, STREAM);
	if (marriage_office_list(db, sys, &l, e) < 0)
		return -1;
	int rc = 0;
	for (int i = 0; i < l.n && rc == 0; i++) {
		struct marriage_office_in in;
		memset(&in, 0, sizeof in);
		snprintf(in.hours, sizeof in.hours, HOURS);
		in.slot_minutes = 30;
		in.capacity = 3 + (int)demo_rng_below(&r, 3);
		rc = marriage_office_set(db, sys, l.items[i].id, &in, e);
		struct marriage_rule rule;
		memset(&rule, 0, sizeof rule);
		snprintf(rule.effective_from, sizeof rule.effective_from, "2020-01-28");
		rule.one_couple = 1;
		rule.counselling_suspended = 1;
		rule.ceremony_suspended = 1;
		snprintf(rule.note, sizeof rule.note, "疫情防控：全面预约、错峰办理，每个时段只接待一对，暂停婚姻家庭辅导和颁证仪式");
		if (rc == 0)
			rc = marriage_rule_set(db, sys, l.items[i].id, &rule, e);
		snprintf(rule.effective_from, sizeof rule.effective_from, "2020-03-16");
		rule.one_couple = 0;
		rule.capacity_limit = 2;
		rule.counselling_suspended = 0;
		snprintf(rule.note, sizeof rule.note, "有序恢复：每个时段限两对，恢复婚姻家庭辅导，颁证仪式继续暂停");
		if (rc == 0)
			rc = marriage_rule_set(db, sys, l.items[i].id, &rule, e);
		for (int64_t d = 0; rc == 0 && d < 12; d++) {
			char day[11];
			demo_format_day(demo_days_from_civil(2020, 2, 3) + d, day);
			rc = marriage_closed_set(db, sys, l.items[i].id, day, 1, "疫情防控：暂停办理婚姻登记",
						 e);
		}
		t->offices++;
	}
	int64_t first, last;
	demo_parse_day(FIRST, &first);
	demo_parse_day(LAST, &last);
	int serial = 0;
	for (int64_t d = first; rc == 0 && d <= last; d++) {
		char day[11];
		demo_format_day(d, day);
		for (int i = 0; i < l.n && rc == 0; i++) {
			l.items[i].configured = 1;
			rc = office_day(db, sys, &r, &l.items[i], day, o->scale, &serial, t, e);
		}
	}
	marriage_office_list_release(&l);
	return rc;
}

int demo_marriage(struct db *db, const struct actor *sys, const struct demo_options *o,
		  struct demo_report *r, struct err *e)
{
	struct tally t;
	struct timespec t0, t1;
	memset(&t, 0, sizeof t);
	clock_gettime(CLOCK_MONOTONIC, &t0); /* for the summary line only */
	int rc = db_begin_write(db, e);
	if (rc == 0)
		rc = run(db, sys, o, &t, e);
	if (rc == 0)
		rc = db_commit(db, e);
	else
		db_rollback(db);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc == 0 && r)
		demo_note(r,
			  "婚姻登记：%d 个登记处（2020-01-28 起每时段一对、暂停辅导和颁证，2-3—2-14 暂停办理），"
			  "2020 年 1—4 月预约 %d 对（开放 %d 个处·日），到场 %d 对（发热劝返 %d），"
			  "办理登记 %d 对，未办理 %d 对，预约未到 %d 对；用时 %.2f 秒",
			  t.offices, t.booked, t.days_open, t.arrived, t.fever, t.registered,
			  t.not_registered, t.no_show,
			  (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return rc;
}
