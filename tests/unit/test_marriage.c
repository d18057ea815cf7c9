/* test_marriage.c — the marriage module against a fresh database: slots across holidays and
 * the weekend made a working day, capacity cut by a dated rule without cancelling anyone (the
 * bookings over it listed to call), the age rule on the boundary day, one active booking per
 * person, lookups by code and ID number that reveal nothing on a miss, check-in with fever,
 * outcomes, the day's statistics, scope, the audit rows and the period counts.
 *
 * Bookings in 2020 are made with a given moment (`at`), so nothing depends on when the test
 * runs; changes and cancellations act "now" and use dates after today. */
#include "unit.h"
#include "testdb.h"

#include "accounts/accounts.h"
#include "calendar/calendar.h"
#include "core/clock.h"
#include "core/idnum.h"
#include "institutions/institutions.h"
#include "marriage/marriage.h"
#include "policy/policy.h"
#include "regions/regions.h"
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

#define WEEK "09:00-12:00,13:30-17:00;09:00-12:00,13:30-17:00;09:00-12:00,13:30-17:00;" \
	     "09:00-12:00,13:30-17:00;09:00-12:00,13:30-17:00;;"

static struct actor sys;

static struct db *setup(void)
{
	struct db *db = testdb_open();
	struct err e;
	actor_system(&sys);
	if (regions_load_builtin(db, &e) < 0 || policy_load_demo_defaults(db, &sys, &e) < 0) {
		fprintf(stderr, "setup: %s\n", e.message);
		abort();
	}
	return db;
}

static struct actor user(struct db *db, const char *name, const char *role, const char *region)
{
	struct actor a;
	struct err e;
	static char hash[128];
	if (!hash[0] && accounts_password_hash("password-123", hash, &e) < 0)
		abort();
	if (accounts_user_add_hashed(db, &sys, name, role, region, hash, &e) < 0) {
		fprintf(stderr, "user %s: %s\n", name, e.message);
		abort();
	}
	int64_t id = db_query_int(db, "SELECT id FROM users WHERE username = ?", name);
	if (accounts_actor_for_user(db, id, &a, &e) < 0)
		abort();
	return a;
}

/* A marriage office in county 370704 with 30-minute slots and `capacity` couples per slot. */
static int64_t office(struct db *db, int capacity)
{
	struct institution_in in;
	struct err e;
	int64_t id;
	memset(&in, 0, sizeof in);
	in.has = INST_HAS_NAME | INST_HAS_TYPE | INST_HAS_REGION | INST_HAS_OPENED;
	snprintf(in.name, sizeof in.name, "坊子区婚姻登记处");
	snprintf(in.type, sizeof in.type, "marriage_office");
	snprintf(in.region_code, sizeof in.region_code, "370704");
	snprintf(in.opened_on, sizeof in.opened_on, "2019-01-01");
	if (institutions_create(db, &sys, &in, &id, &e) < 0) {
		fprintf(stderr, "office: %s\n", e.message);
		abort();
	}
	struct marriage_office_in s;
	memset(&s, 0, sizeof s);
	snprintf(s.hours, sizeof s.hours, WEEK);
	s.slot_minutes = 30;
	s.capacity = capacity;
	if (marriage_office_set(db, &sys, id, &s, &e) < 0) {
		fprintf(stderr, "office set: %s\n", e.message);
		abort();
	}
	return id;
}

/* A valid ID number born on `birth` (YYYYMMDD); odd seq = male. */
static void idn(char out[19], const char *birth, int seq)
{
	char s17[18];
	snprintf(s17, sizeof s17, "370704%s%03d", birth, seq);
	snprintf(out, 19, "%s%c", s17, idnum_check_char(s17));
}

static void couple(struct marriage_booking_in *in, int64_t office_id, const char *date,
		   const char *time, const char *man_birth, int man_seq, const char *woman_birth,
		   int woman_seq)
{
	memset(in, 0, sizeof *in);
	in->office_id = office_id;
	snprintf(in->date, sizeof in->date, "%s", date);
	snprintf(in->time, sizeof in->time, "%s", time);
	snprintf(in->party[0].name, sizeof in->party[0].name, "张伟");
	snprintf(in->party[1].name, sizeof in->party[1].name, "李娜");
	idn(in->party[0].id_number, man_birth, man_seq);
	idn(in->party[1].id_number, woman_birth, woman_seq);
	snprintf(in->phone, sizeof in->phone, "13812345678");
}

#define AT "2020-01-06T10:00:00+08:00" /* a Monday: bookings up to 2020-02-05 */

TEST(day_plan_follows_hours_holidays_and_closed_dates)
{
	struct db *db = setup();
	int64_t id = office(db, 2);
	struct marriage_day_plan p;
	struct err e;
	CHECK_EQ_INT(marriage_day_plan(db, id, "2020-01-13", &p, &e), 0); /* Monday */
	CHECK_EQ_INT(p.open, 1);
	CHECK_EQ_INT(p.nslots, 13);
	CHECK_EQ_INT(p.slots[0].capacity, 2);
	CHECK_EQ_STR(p.slots[12].time, "16:30");
	CHECK_EQ_INT(marriage_day_plan(db, id, "2020-01-18", &p, &e), 0); /* Saturday */
	CHECK_EQ_INT(p.open, 0);
	/* Sunday 2020-01-19 is a working day (春节调休上班): Monday's hours */
	CHECK_EQ_INT(marriage_day_plan(db, id, "2020-01-19", &p, &e), 0);
	CHECK_EQ_INT(p.open, 1);
	CHECK_EQ_INT(p.nslots, 13);
	/* Friday 2020-01-31: the Spring Festival holiday extended to 2 February */
	CHECK_EQ_INT(marriage_day_plan(db, id, "2020-01-31", &p, &e), 0);
	CHECK_EQ_INT(p.open, 0);
	CHECK(strstr(p.reason, "法定节假日") != NULL);
	CHECK_EQ_INT(marriage_closed_set(db, &sys, id, "2020-01-14", 1, "设备检修", &e), 0);
	CHECK_EQ_INT(marriage_day_plan(db, id, "2020-01-14", &p, &e), 0);
	CHECK_EQ_INT(p.open, 0);
	CHECK(strstr(p.reason, "设备检修") != NULL);
	CHECK_EQ_INT(marriage_closed_set(db, &sys, id, "2020-01-14", 0, "", &e), 0);
	CHECK_EQ_INT(marriage_day_plan(db, id, "2020-01-14", &p, &e), 0);
	CHECK_EQ_INT(p.open, 1);
	CHECK_EQ_INT(marriage_day_plan(db, 999, "2020-01-14", &p, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	db_close(db);
}

TEST(capacity_cut_lists_the_bookings_over_it_and_cancels_none)
{
	struct db *db = setup();
	int64_t id = office(db, 2);
	struct marriage_booking_in in;
	struct marriage_booking b1, b2;
	struct marriage_day_plan p;
	struct marriage_over_list over;
	struct err e;
	couple(&in, id, "2020-01-13", "09:00", "19900101", 11, "19920101", 12);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, &b1, &e), 0);
	couple(&in, id, "2020-01-13", "09:00", "19900101", 13, "19920101", 14);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, &b2, &e), 0);
	couple(&in, id, "2020-01-13", "09:00", "19900101", 15, "19920101", 16);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, NULL, &e), -1); /* two places, both taken */
	CHECK_EQ_STR(e.code, "slot_full");
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_INT(marriage_over_capacity(db, &sys, id, "2020-01-01", &over, &e), 0);
	CHECK_EQ_INT(over.n, 0);
	marriage_over_list_release(&over);

	/* the epidemic flares: from 2020-01-12 one couple at a time */
	struct marriage_rule r;
	memset(&r, 0, sizeof r);
	snprintf(r.effective_from, sizeof r.effective_from, "2020-01-12");
	r.one_couple = 1;
	r.ceremony_suspended = 1;
	CHECK_EQ_INT(marriage_rule_set(db, &sys, id, &r, &e), 0);
	CHECK_EQ_INT(marriage_day_plan(db, id, "2020-01-13", &p, &e), 0);
	CHECK_EQ_INT(p.slots[0].capacity, 1);
	CHECK_EQ_INT(p.slots[0].booked, 2);
	CHECK_EQ_INT(p.rule.ceremony_suspended, 1);
	CHECK_EQ_INT(marriage_day_plan(db, id, "2020-01-10", &p, &e), 0); /* before the rule */
	CHECK_EQ_INT(p.slots[0].capacity, 2);
	CHECK_EQ_INT(marriage_over_capacity(db, &sys, id, "2020-01-01", &over, &e), 0);
	CHECK_EQ_INT(over.n, 1);
	if (over.n == 1) {
		CHECK_EQ_INT(over.items[0].b.id, b2.id); /* the later booking is the one over */
		CHECK_EQ_STR(over.items[0].why, "over_capacity");
		CHECK_EQ_INT(over.items[0].capacity, 1);
	}
	marriage_over_list_release(&over);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM marriage_bookings WHERE status = 'booked'",
				  NULL), 2);
	/* a slot still full under the new rule refuses the next couple at another time too */
	couple(&in, id, "2020-01-13", "09:30", "19900101", 15, "19920101", 16);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, NULL, &e), 0);
	couple(&in, id, "2020-01-13", "09:30", "19900101", 17, "19920101", 18);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "slot_full");

	/* closing the day lists every booking on it */
	CHECK_EQ_INT(marriage_closed_set(db, &sys, id, "2020-01-13", 1, "疫情防控临时闭馆", &e), 0);
	CHECK_EQ_INT(marriage_over_capacity(db, &sys, id, "2020-01-01", &over, &e), 0);
	CHECK_EQ_INT(over.n, 3);
	if (over.n == 3)
		CHECK_EQ_STR(over.items[0].why, "closed");
	marriage_over_list_release(&over);
	/* a shorter slot length moves the 09:30 slot away: 45 minutes gives 09:00, 09:45 … */
	CHECK_EQ_INT(marriage_closed_set(db, &sys, id, "2020-01-13", 0, "", &e), 0);
	struct marriage_office_in s;
	memset(&s, 0, sizeof s);
	snprintf(s.hours, sizeof s.hours, WEEK);
	s.slot_minutes = 45;
	s.capacity = 2;
	CHECK_EQ_INT(marriage_office_set(db, &sys, id, &s, &e), 0);
	CHECK_EQ_INT(marriage_over_capacity(db, &sys, id, "2020-01-01", &over, &e), 0);
	CHECK_EQ_INT(over.n, 2); /* b2 over the one-couple rule, the 09:30 one without a slot */
	if (over.n == 2)
		CHECK_EQ_STR(over.items[1].why, "no_slot");
	marriage_over_list_release(&over);
	db_close(db);
}

TEST(legal_age_is_checked_on_the_appointment_date)
{
	struct db *db = setup();
	int64_t id = office(db, 2);
	struct marriage_booking_in in;
	struct err e;
	/* the man turns 22 on 2020-01-14 (a Tuesday) */
	couple(&in, id, "2020-01-13", "09:00", "19980114", 11, "19920101", 12);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "under_age");
	CHECK_EQ_STR(e.field, "party[0].id_number");
	couple(&in, id, "2020-01-14", "09:00", "19980114", 11, "19920101", 12);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, NULL, &e), 0);
	/* the woman turns 20 on 2020-01-15 */
	couple(&in, id, "2020-01-14", "09:30", "19900101", 13, "20000115", 14);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "under_age");
	CHECK_EQ_STR(e.field, "party[1].id_number");
	couple(&in, id, "2020-01-15", "09:30", "19900101", 13, "20000115", 14);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, NULL, &e), 0);
	db_close(db);
}

TEST(bad_input_is_refused_with_the_field_and_changes_nothing)
{
	struct db *db = setup();
	int64_t id = office(db, 2);
	struct marriage_booking_in in;
	struct err e;
	couple(&in, id, "2020-01-13", "09:00", "19900101", 11, "19920101", 12);
	in.party[1].id_number[17] = in.party[1].id_number[17] == '0' ? '1' : '0';
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_id_number");
	CHECK_EQ_STR(e.field, "party[1].id_number");
	couple(&in, id, "2020-01-13", "09:00", "19900101", 11, "19900101", 11);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "same_person");
	couple(&in, id, "2020-01-13", "09:00", "19900101", 11, "19920101", 12);
	snprintf(in.phone, sizeof in.phone, "12345");
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_phone");
	couple(&in, id, "2020-01-13", "09:10", "19900101", 11, "19920101", 12);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, NULL, &e), -1); /* not a slot start */
	CHECK_EQ_STR(e.code, "slot_unavailable");
	couple(&in, id, "2020-01-18", "09:00", "19900101", 11, "19920101", 12);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, NULL, &e), -1); /* Saturday */
	CHECK_EQ_STR(e.code, "slot_unavailable");
	couple(&in, id, "2020-01-06", "09:00", "19900101", 11, "19920101", 12);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, NULL, &e), -1); /* today: from tomorrow on */
	CHECK_EQ_STR(e.field, "date");
	couple(&in, id, "2020-02-06", "09:00", "19900101", 11, "19920101", 12);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, NULL, &e), -1); /* 31 days ahead */
	CHECK_EQ_STR(e.field, "date");
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM marriage_bookings", NULL), 0);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log WHERE action = 'marriage.book'",
				  NULL), 0);
	db_close(db);
}

TEST(one_active_booking_per_person_and_id_numbers_are_not_stored)
{
	struct db *db = setup();
	int64_t id = office(db, 2);
	struct marriage_booking_in in;
	struct marriage_booking b;
	struct err e;
	couple(&in, id, "2020-01-13", "09:00", "19900101", 11, "19920101", 12);
	char full[19];
	snprintf(full, sizeof full, "%s", in.party[0].id_number);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, &b, &e), 0);
	CHECK_EQ_INT(strlen(b.id_masked[0]), 18);
	CHECK_EQ_INT(strncmp(b.id_masked[0], "370704********", 14), 0);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM marriage_bookings WHERE a_id_masked = ?1 "
				      "OR a_id_hash = ?1 OR b_id_hash = ?1", full), 0);
	/* the woman with another man, the next day */
	couple(&in, id, "2020-01-14", "09:00", "19900101", 13, "19920101", 12);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "already_booked");
	/* after an outcome the booking is no longer active */
	CHECK_EQ_INT(marriage_outcome(db, &sys, b.id, "no_show", "", &e), 0);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, NULL, &e), 0);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log WHERE action = 'marriage.book'",
				  NULL), 2);
	db_close(db);
}

/* The first Monday–Friday at least `ahead` days after today (no holiday rows after 2021). */
static void future_weekday(int ahead, char out[11])
{
	char today[11];
	clock_today(today);
	calendar_add_days(today, ahead, out);
	while (calendar_weekday(out) > 5) {
		char next[11];
		calendar_add_days(out, 1, next);
		memcpy(out, next, 11);
	}
}

TEST(code_and_id_number_show_change_and_cancel)
{
	struct db *db = setup();
	int64_t id = office(db, 1);
	struct marriage_booking_in in;
	struct marriage_booking b, g;
	struct err e, e2;
	char d1[11], d2[11], woman[19];
	future_weekday(3, d1);
	future_weekday(10, d2);
	couple(&in, id, d1, "09:00", "19900101", 11, "19920101", 12);
	snprintf(woman, sizeof woman, "%s", in.party[1].id_number);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, NULL, &b, &e), 0);
	CHECK_EQ_INT(marriage_code_valid(b.code), 1);
	CHECK_EQ_INT(marriage_public_get(db, b.code, woman, &g, &e), 0);
	CHECK_EQ_INT(g.id, b.id);
	char lower[16];
	for (int i = 0; i <= MARRIAGE_CODE_LEN; i++)
		lower[i] = (char)(b.code[i] >= 'A' && b.code[i] <= 'Z' ? b.code[i] + 32 : b.code[i]);
	CHECK_EQ_INT(marriage_public_get(db, lower, woman, &g, &e), 0); /* case does not matter */
	/* a wrong ID number and a wrong code answer alike */
	char other[19];
	idn(other, "19920101", 22);
	CHECK_EQ_INT(marriage_public_get(db, b.code, other, &g, &e), -1);
	CHECK_EQ_INT(marriage_public_get(db, "ZZZZZZZZ", woman, &g, &e2), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_STR(e.message, e2.message);
	CHECK_EQ_STR(e.code, e2.code);
	/* change to another day; the old slot is free again */
	CHECK_EQ_INT(marriage_public_change(db, &sys, b.code, woman, d2, "14:00", &g, &e), 0);
	CHECK_EQ_STR(g.date, d2);
	CHECK_EQ_STR(g.time, "14:00");
	couple(&in, id, d1, "09:00", "19900101", 31, "19920101", 32);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, NULL, NULL, &e), 0);
	/* the moved booking cannot move into that full slot */
	CHECK_EQ_INT(marriage_public_change(db, &sys, b.code, woman, d1, "09:00", &g, &e), -1);
	CHECK_EQ_STR(e.code, "slot_full");
	CHECK_EQ_INT(marriage_public_cancel(db, &sys, b.code, woman, &g, &e), 0);
	CHECK_EQ_STR(g.status, "cancelled");
	CHECK_EQ_INT(marriage_public_cancel(db, &sys, b.code, woman, &g, &e), -1);
	CHECK_EQ_STR(e.code, "booking_closed");
	db_close(db);
}

TEST(check_in_fever_outcomes_and_day_statistics)
{
	struct db *db = setup();
	int64_t id = office(db, 4);
	struct marriage_booking_in in;
	struct marriage_booking b[4];
	struct marriage_day_list l;
	struct err e;
	for (int i = 0; i < 4; i++) {
		couple(&in, id, "2020-01-13", "09:00", "19900101", 11 + 2 * i, "19920101", 12 + 2 * i);
		CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, &b[i], &e), 0);
	}
	CHECK_EQ_INT(marriage_outcome(db, &sys, b[0].id, "registered", "", &e), -1);
	CHECK_EQ_STR(e.code, "not_checked_in");
	CHECK_EQ_INT(marriage_checkin(db, &sys, b[0].id, 365, "2020-01-13T08:55:00+08:00", &e), 0);
	CHECK_EQ_INT(marriage_outcome(db, &sys, b[0].id, "registered", "", &e), 0);
	CHECK_EQ_INT(marriage_outcome(db, &sys, b[0].id, "no_show", "", &e), -1);
	CHECK_EQ_STR(e.code, "outcome_recorded");
	/* 37.3 °C is the demo policy's threshold: at it the couple is turned away */
	CHECK_EQ_INT(marriage_checkin(db, &sys, b[1].id, 373, "2020-01-13T09:01:00+08:00", &e), 0);
	CHECK_EQ_INT(marriage_checkin(db, &sys, b[2].id, 372, "2020-01-13T09:02:00+08:00", &e), 0);
	CHECK_EQ_INT(marriage_outcome(db, &sys, b[2].id, "not_registered", "", &e), -1);
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_INT(marriage_outcome(db, &sys, b[2].id, "not_registered", "证件不全", &e), 0);
	CHECK_EQ_INT(marriage_outcome(db, &sys, b[3].id, "no_show", "", &e), 0);
	CHECK_EQ_INT(marriage_checkin(db, &sys, b[3].id, 365, NULL, &e), -1);
	CHECK_EQ_INT(marriage_checkin(db, &sys, b[2].id, 500, NULL, &e), -1);
	CHECK_EQ_STR(e.field, "temperature");
	CHECK_EQ_INT(marriage_day(db, &sys, id, "2020-01-13", 0, &l, &e), 0);
	CHECK_EQ_INT(l.n, 4);
	CHECK_EQ_INT(l.stats.booked, 4);
	CHECK_EQ_INT(l.stats.arrived, 3);
	CHECK_EQ_INT(l.stats.registered, 1);
	CHECK_EQ_INT(l.stats.not_registered, 2);
	CHECK_EQ_INT(l.stats.no_show, 1);
	CHECK_EQ_INT(l.stats.fever, 1);
	if (l.n == 4) {
		CHECK_EQ_INT(l.items[1].fever, 1);
		CHECK_EQ_STR(l.items[1].outcome, "not_registered");
	}
	marriage_day_list_release(&l);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log WHERE action IN "
				      "('marriage.checkin','marriage.outcome')", NULL), 6);
	db_close(db);
}

TEST(scope_permission_and_unmask)
{
	struct db *db = setup();
	int64_t id = office(db, 2);
	struct actor reg = user(db, "reg", "registrar", "3707");
	struct actor here = user(db, "here", "county_staff", "370704");
	struct actor there = user(db, "there", "county_staff", "370705");
	struct actor leader = user(db, "boss", "leader", "3707");
	struct marriage_booking_in in;
	struct marriage_booking b;
	struct marriage_office o;
	struct marriage_day_list l;
	struct marriage_office_list ol;
	struct err e;
	couple(&in, id, "2020-01-13", "09:00", "19900101", 11, "19920101", 12);
	CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, &b, &e), 0);
	CHECK_EQ_INT(marriage_office_get(db, &reg, id, &o, &e), 0);
	CHECK_EQ_INT(o.configured, 1);
	CHECK_EQ_INT(marriage_office_get(db, &here, id, &o, &e), 0);
	CHECK_EQ_INT(marriage_office_get(db, &there, id, &o, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(marriage_booking_get(db, &there, b.id, &b, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(marriage_checkin(db, &there, b.id, 365, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(marriage_office_get(db, &leader, id, &o, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(marriage_office_list(db, &there, &ol, &e), 0);
	CHECK_EQ_INT(ol.n, 0);
	marriage_office_list_release(&ol);
	CHECK_EQ_INT(marriage_office_list(db, &reg, &ol, &e), 0);
	CHECK_EQ_INT(ol.n, 1);
	marriage_office_list_release(&ol);
	CHECK_EQ_INT(marriage_day(db, &reg, id, "2020-01-13", 1, &l, &e), 0);
	CHECK_EQ_INT(l.n, 1);
	if (l.n == 1) {
		CHECK_EQ_INT(l.items[0].unmasked, 1);
		CHECK_EQ_STR(l.items[0].names[0], "张伟");
	}
	marriage_day_list_release(&l);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log WHERE action = 'marriage.unmask'",
				  NULL), 1);
	db_close(db);
}

struct sums {
	int64_t booked, registered, no_show;
};

static int sum_rows(const struct marriage_period_row *r, void *ctx)
{
	struct sums *s = ctx;
	s->booked += r->booked;
	s->registered += r->registered;
	s->no_show += r->no_show;
	return 0;
}

TEST(period_counts_count_slot_dates_in_the_period)
{
	struct db *db = setup();
	int64_t id = office(db, 2);
	struct actor there = user(db, "there", "county_staff", "370705");
	struct marriage_booking_in in;
	struct marriage_booking b[3];
	struct err e;
	const char *dates[3] = {"2020-01-13", "2020-01-14", "2020-02-03"};
	for (int i = 0; i < 3; i++) {
		couple(&in, id, dates[i], "09:00", "19900101", 11 + 2 * i, "19920101", 12 + 2 * i);
		CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, &b[i], &e), 0);
	}
	CHECK_EQ_INT(marriage_checkin(db, &sys, b[0].id, 365, NULL, &e), 0);
	CHECK_EQ_INT(marriage_outcome(db, &sys, b[0].id, "registered", "", &e), 0);
	CHECK_EQ_INT(marriage_outcome(db, &sys, b[1].id, "no_show", "", &e), 0);
	struct sums s = {0, 0, 0};
	CHECK_EQ_INT(marriage_period_counts(db, &sys, "2020-01-01", "2020-01-31", sum_rows, &s, &e), 0);
	CHECK_EQ_INT(s.booked, 2);
	CHECK_EQ_INT(s.registered, 1);
	CHECK_EQ_INT(s.no_show, 1);
	memset(&s, 0, sizeof s);
	CHECK_EQ_INT(marriage_period_counts(db, &there, "2020-01-01", "2020-12-31", sum_rows, &s, &e), 0);
	CHECK_EQ_INT(s.booked, 0);
	db_close(db);
}

TEST(statistics_report_counts_per_unit_and_only_with_permission)
{
	struct db *db = setup();
	int64_t id = office(db, 2);
	struct actor hot = user(db, "hot", "hotline_operator", "3707");
	struct marriage_booking_in in;
	struct marriage_booking b[2];
	struct err e;
	for (int i = 0; i < 2; i++) {
		couple(&in, id, "2020-01-13", "09:00", "19900101", 11 + 2 * i, "19920101", 12 + 2 * i);
		CHECK_EQ_INT(marriage_book(db, &sys, &in, AT, &b[i], &e), 0);
	}
	CHECK_EQ_INT(marriage_outcome(db, &sys, b[1].id, "no_show", "", &e), 0);
	struct report_stats *r = malloc(sizeof *r);
	CHECK_EQ_INT(report_stats(db, &sys, "2020-01-01", "2020-01-31", "", r, &e), 0);
	CHECK_EQ_INT(r->city.v[RS_MARRIAGE_BOOKED], 2);
	CHECK_EQ_INT(r->city.v[RS_MARRIAGE_NO_SHOW], 1);
	CHECK_EQ_INT(r->city.v[RS_MARRIAGE_REGISTERED], 0);
	CHECK_EQ_INT(r->city.known[RS_MARRIAGE_REGISTERED], 1);
	for (int u = 0; u < r->nunits; u++)
		CHECK_EQ_INT(r->units[u].v[RS_MARRIAGE_BOOKED], strcmp(r->units[u].code, "370704") == 0 ? 2 : 0);
	CHECK_EQ_INT(report_stats(db, &sys, "2020-01-14", "2020-01-31", "", r, &e), 0);
	CHECK_EQ_INT(r->city.v[RS_MARRIAGE_BOOKED], 0); /* by appointment date */
	CHECK_EQ_INT(report_stats(db, &hot, "2020-01-01", "2020-01-31", "", r, &e), 0);
	CHECK_EQ_INT(r->city.known[RS_MARRIAGE_BOOKED], 0); /* no marriage permission */
	free(r);
	db_close(db);
}

UNIT_MAIN(day_plan_follows_hours_holidays_and_closed_dates,
	  capacity_cut_lists_the_bookings_over_it_and_cancels_none,
	  legal_age_is_checked_on_the_appointment_date,
	  bad_input_is_refused_with_the_field_and_changes_nothing,
	  one_active_booking_per_person_and_id_numbers_are_not_stored,
	  code_and_id_number_show_change_and_cancel, check_in_fever_outcomes_and_day_statistics,
	  scope_permission_and_unmask, period_counts_count_slot_dates_in_the_period,
	  statistics_report_counts_per_unit_and_only_with_permission)
