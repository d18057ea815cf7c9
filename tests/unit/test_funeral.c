/* test_funeral.c — the funeral module: the rules of a body record, the order of the steps and the
 * epidemic procedure (src/funeral/funeral_rules.c), and the records against a fresh database
 * (funeral_store.c): a COVID-19 case from collection to ashes, refusals that leave nothing
 * behind, the farewell-gathering suspension, scope (404), masking and the audited unmask, a
 * home's daily figures, and the registry match that records the death for the cross-check.
 *
 * Homes: 奎文区殡仪馆 (370705) and 坊子区殡仪馆 (370704), institutions written with SQL. */
#include "funeral/funeral.h"
#include "testdb.h"
#include "testactor.h"
#include "unit.h"

#include <string.h>

static void exec(struct db *db, const char *sql)
{
	struct err e;
	if (db_exec(db, sql, &e) < 0) {
		fprintf(stderr, "exec: %s\n%s\n", e.message, sql);
		abort();
	}
}

static int64_t q(struct db *db, const char *sql)
{
	return db_query_int(db, sql, NULL);
}

static struct db *open_seeded(void)
{
	struct db *db = testdb_open();
	exec(db,
	     "INSERT INTO regions(code, name, level, parent_code, unit_code) VALUES"
	     " ('37', '山东省', 1, NULL, NULL), ('3707', '潍坊市', 2, '37', NULL),"
	     " ('370704', '坊子区', 3, '3707', '370704'), ('370705', '奎文区', 3, '3707', '370705'),"
	     " ('370704001', '凤凰街道', 4, '370704', '370704'),"
	     " ('370704001001', '凤凰村', 5, '370704001', '370704');"
	     "INSERT INTO units(code, name, kind, city_code) VALUES"
	     " ('370704', '坊子区', 'county', '3707'), ('370705', '奎文区', 'county', '3707');"
	     "INSERT INTO institutions(id, name, type, region_code, unit_code, area_code, opened_on,"
	     " created_at, created_by, updated_at) VALUES"
	     " (1, '奎文区殡仪馆', 'funeral_home', '370705', '370705', '370705', '2000-01-01', 'x', 'x', 'x'),"
	     " (2, '坊子区殡仪馆', 'funeral_home', '370704', '370704', '370704', '2000-01-01', 'x', 'x', 'x'),"
	     " (3, '奎文区养老院', 'elderly_home', '370705', '370705', '370705', '2000-01-01', 'x', 'x', 'x');"
	     "INSERT INTO households(id, region_code, residence_type, created_at, updated_at) VALUES"
	     " (9, '370704001001', 'urban', 'x', 'x');"
	     "INSERT INTO persons(id, household_id, region_code, id_number, id_rev, name, relation,"
	     " sex, birth_date, created_at, updated_at) VALUES (90, 9, '370704001001',"
	     " '11010519491231002X', 'X20013219491501011', '王秀英', 'head', 'female', '1949-12-31',"
	     " 'x', 'x');");
	return db;
}

static struct funeral_body_in covid_case(int64_t home)
{
	struct funeral_body_in in;
	memset(&in, 0, sizeof in);
	in.institution_id = home;
	snprintf(in.id_number, sizeof in.id_number, "11010519491231002X");
	snprintf(in.name, sizeof in.name, "王秀英");
	snprintf(in.died_on, sizeof in.died_on, "2020-02-03");
	snprintf(in.source, sizeof in.source, "hospital");
	snprintf(in.cause, sizeof in.cause, "confirmed");
	return in;
}

static struct funeral_step_in step(int k, const char *at, int dedicated)
{
	struct funeral_step_in s;
	memset(&s, 0, sizeof s);
	s.step = k;
	snprintf(s.at, sizeof s.at, "%s", at);
	snprintf(s.staff, sizeof s.staff, "李师傅");
	s.dedicated = dedicated;
	if (k == FUNERAL_ASHES) {
		snprintf(s.ashes, sizeof s.ashes, "handed");
		snprintf(s.receiver, sizeof s.receiver, "王建国");
	}
	return s;
}

static struct funeral_state state(int epidemic, unsigned done, const char *last)
{
	struct funeral_state s;
	memset(&s, 0, sizeof s);
	s.epidemic = epidemic;
	snprintf(s.died_on, sizeof s.died_on, "2020-02-03");
	s.done = done;
	snprintf(s.last_at, sizeof s.last_at, "%s", last);
	return s;
}

#define BIT(k) (1u << (k))
#define NOW "2020-03-01T00:00"

/* ---- rules -------------------------------------------------------------------------------- */

TEST(an_epidemic_case_takes_every_step_in_order_and_none_may_be_skipped)
{
	struct err e;
	struct funeral_state s = state(1, 0, "");
	struct funeral_step_in in = step(FUNERAL_CREMATION, "2020-02-03T12:00", 1);
	/* cremation before the transfer */
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), -1);
	CHECK_EQ_STR(e.code, "epidemic_procedure");
	/* disinfection skipped: after the cremation comes the disinfection, not the ashes */
	s = state(1, BIT(FUNERAL_TRANSFER) | BIT(FUNERAL_CREMATION), "2020-02-03T12:00");
	in = step(FUNERAL_ASHES, "2020-02-03T15:00", 0);
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), -1);
	CHECK_EQ_STR(e.code, "epidemic_procedure");
	in = step(FUNERAL_DISINFECTION, "2020-02-03T13:00", 0);
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), 0);
	CHECK_EQ_INT(funeral_next_step(&s), FUNERAL_DISINFECTION);
}

TEST(an_epidemic_transfer_and_cremation_must_be_dedicated)
{
	struct err e;
	struct funeral_state s = state(1, 0, "");
	struct funeral_step_in in = step(FUNERAL_TRANSFER, "2020-02-03T10:00", 0);
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), -1);
	CHECK_EQ_STR(e.code, "epidemic_procedure");
	CHECK_EQ_STR(e.field, "dedicated");
	s = state(1, BIT(FUNERAL_TRANSFER), "2020-02-03T10:00");
	in = step(FUNERAL_CREMATION, "2020-02-03T12:00", 0);
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), -1);
	CHECK_EQ_STR(e.field, "dedicated");
	in.dedicated = 1;
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), 0);
}

TEST(an_other_case_may_leave_out_the_disinfection_but_not_reorder)
{
	struct err e;
	struct funeral_state s = state(0, BIT(FUNERAL_TRANSFER) | BIT(FUNERAL_CREMATION),
				       "2020-02-04T09:00");
	struct funeral_step_in in = step(FUNERAL_ASHES, "2020-02-04T15:00", 0);
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), 0);
	/* the disinfection cannot come after the ashes */
	s.done |= BIT(FUNERAL_ASHES);
	in = step(FUNERAL_DISINFECTION, "2020-02-04T16:00", 0);
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), -1);
	CHECK_EQ_STR(e.code, "step_order");
	CHECK_EQ_INT(funeral_next_step(&s), FUNERAL_NSTEPS);
	/* cremation needs the transfer */
	s = state(0, 0, "");
	in = step(FUNERAL_CREMATION, "2020-02-04T09:00", 0);
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), -1);
	CHECK_EQ_STR(e.code, "step_order");
	/* no step twice */
	s = state(0, BIT(FUNERAL_TRANSFER), "2020-02-04T08:00");
	in = step(FUNERAL_TRANSFER, "2020-02-04T09:00", 0);
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), -1);
	CHECK_EQ_STR(e.code, "step_done");
}

TEST(a_step_time_is_not_before_the_last_step_nor_the_death_nor_in_the_future)
{
	struct err e;
	struct funeral_state s = state(0, BIT(FUNERAL_TRANSFER), "2020-02-04T08:00");
	struct funeral_step_in in = step(FUNERAL_CREMATION, "2020-02-04T07:59", 0);
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), -1);
	CHECK_EQ_STR(e.field, "at");
	s = state(0, 0, "");
	in = step(FUNERAL_TRANSFER, "2020-02-02T23:00", 0);
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), -1);
	in = step(FUNERAL_TRANSFER, "2020-03-01T00:01", 0);
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), -1);
	in = step(FUNERAL_TRANSFER, "2020-02-3T10:00", 0);
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), -1);
	/* a space and seconds with an offset are accepted and normalized */
	in = step(FUNERAL_TRANSFER, "2020-02-03 10:00:30+08:00", 0);
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), 0);
	CHECK_EQ_STR(in.at, "2020-02-03T10:00");
	in = step(FUNERAL_TRANSFER, "2020-02-03T10:00", 0);
	in.staff[0] = '\0';
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), -1);
	CHECK_EQ_STR(e.code, "required");
	/* no step named, or an unknown one */
	in = step(FUNERAL_STEP_NONE, "2020-02-03T10:00", 0);
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), -1);
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_STR(e.field, "step");
	in = step(-1, "2020-02-03T10:00", 0);
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_value");
}

TEST(handed_ashes_need_the_receiver_and_held_ones_none)
{
	struct err e;
	struct funeral_state s = state(0, BIT(FUNERAL_TRANSFER) | BIT(FUNERAL_CREMATION),
				       "2020-02-04T09:00");
	struct funeral_step_in in = step(FUNERAL_ASHES, "2020-02-04T15:00", 0);
	in.receiver[0] = '\0';
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), -1);
	CHECK_EQ_STR(e.field, "receiver");
	snprintf(in.ashes, sizeof in.ashes, "held");
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), 0);
	snprintf(in.ashes, sizeof in.ashes, "lost");
	CHECK_EQ_INT(funeral_step_check(&s, &in, NOW, &e), -1);
	CHECK_EQ_STR(e.field, "ashes");
}

TEST(a_farewell_gathering_is_refused_for_covid_cases_during_a_suspension_and_after_cremation)
{
	struct err e;
	struct funeral_state s = state(1, 0, "");
	CHECK_EQ_INT(funeral_farewell_check(&s, "2020-02-05", 0, &e), -1);
	CHECK_EQ_STR(e.code, "farewell_not_allowed");
	s = state(0, 0, "");
	CHECK_EQ_INT(funeral_farewell_check(&s, "2020-02-05", 1, &e), -1);
	CHECK_EQ_STR(e.code, "farewell_suspended");
	CHECK_EQ_INT(funeral_farewell_check(&s, "2020-02-05", 0, &e), 0);
	CHECK_EQ_INT(funeral_farewell_check(&s, "2020-02-01", 0, &e), -1); /* before the death */
	CHECK_EQ_INT(funeral_farewell_check(&s, "", 0, &e), -1);
	CHECK_EQ_STR(e.code, "required");
	s.done = BIT(FUNERAL_TRANSFER) | BIT(FUNERAL_CREMATION);
	CHECK_EQ_INT(funeral_farewell_check(&s, "2020-02-05", 0, &e), -1);
	CHECK_EQ_STR(e.code, "step_order");
}

TEST(a_body_needs_an_id_number_and_name_or_a_description_when_unidentified)
{
	struct err e;
	struct funeral_body_in in = covid_case(1);
	CHECK_EQ_INT(funeral_body_check(&in, "2020-03-01", &e), 0);
	in.id_number[17] = '1'; /* wrong check character */
	CHECK_EQ_INT(funeral_body_check(&in, "2020-03-01", &e), -1);
	CHECK_EQ_STR(e.code, "invalid_id_number");
	in = covid_case(1);
	in.unidentified = 1;
	CHECK_EQ_INT(funeral_body_check(&in, "2020-03-01", &e), -1); /* an ID number with it */
	in.id_number[0] = '\0';
	CHECK_EQ_INT(funeral_body_check(&in, "2020-03-01", &e), -1); /* no description */
	CHECK_EQ_STR(e.field, "description");
	snprintf(in.description, sizeof in.description, "男性，约六十岁，身高一米七");
	CHECK_EQ_INT(funeral_body_check(&in, "2020-03-01", &e), 0);
	in = covid_case(1);
	snprintf(in.died_on, sizeof in.died_on, "2020-03-02");
	CHECK_EQ_INT(funeral_body_check(&in, "2020-03-01", &e), -1); /* in the future */
	in = covid_case(1);
	snprintf(in.cause, sizeof in.cause, "flu");
	CHECK_EQ_INT(funeral_body_check(&in, "2020-03-01", &e), -1);
	CHECK_EQ_STR(e.field, "cause");
}

/* ---- records ------------------------------------------------------------------------------ */

TEST(a_covid_case_is_recorded_from_collection_to_ashes_and_marks_the_person_deceased)
{
	struct db *db = open_seeded();
	struct actor w = testactor_user(db, "fwk", "funeral_worker", "3707");
	struct err e;
	struct funeral_body_in in = covid_case(1);
	int64_t id = 0;
	CHECK_EQ_INT(funeral_body_create(db, &w, &in, "2020-03-01", &id, &e), 0);
	CHECK(id > 0);
	CHECK_EQ_INT(q(db, "SELECT free_transfer FROM funeral_bodies"), 1); /* from a hospital */
	CHECK_EQ_INT(q(db, "SELECT person_id FROM funeral_bodies"), 90);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM crosscheck_deaths WHERE person_id = 90 AND "
			   "died_on = '2020-02-03' AND source = 'funeral'"), 1);
	struct funeral_step_in s = step(FUNERAL_TRANSFER, "2020-02-03T10:00", 1);
	CHECK_EQ_INT(funeral_step_record(db, &w, id, &s, NOW, &e), 0);
	s = step(FUNERAL_ASHES, "2020-02-03T11:00", 0);
	CHECK_EQ_INT(funeral_step_record(db, &w, id, &s, NOW, &e), -1); /* skipping: refused */
	CHECK_EQ_STR(e.code, "epidemic_procedure");
	s = step(FUNERAL_CREMATION, "2020-02-03T12:00", 1);
	CHECK_EQ_INT(funeral_step_record(db, &w, id, &s, NOW, &e), 0);
	s = step(FUNERAL_DISINFECTION, "2020-02-03T13:00", 0);
	CHECK_EQ_INT(funeral_step_record(db, &w, id, &s, NOW, &e), 0);
	s = step(FUNERAL_ASHES, "2020-02-04T09:00", 0);
	CHECK_EQ_INT(funeral_step_record(db, &w, id, &s, NOW, &e), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM funeral_steps"), 4);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM funeral_bodies WHERE status = 'ashes'"), 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'funeral.step'"), 4);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'funeral.body'"), 1);
	struct funeral_body b;
	CHECK_EQ_INT(funeral_body_get(db, &w, id, 0, &b, &e), 0);
	CHECK_EQ_INT(b.n_steps, 4);
	CHECK_EQ_STR(b.name, "王**");
	CHECK_EQ_STR(b.id_number, "110105********002X");
	CHECK_EQ_STR(b.next_step, "");
	CHECK_EQ_INT(funeral_body_get(db, &w, id, 1, &b, &e), 0);
	CHECK_EQ_STR(b.name, "王秀英");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'funeral.unmask'"), 1);
	/* the home's day */
	struct funeral_daily d;
	CHECK_EQ_INT(funeral_daily_get(db, &w, 1, "2020-02-03", &d, &e), 0);
	CHECK_EQ_INT(d.transfers, 1);
	CHECK_EQ_INT(d.cremations, 1);
	CHECK_EQ_INT(d.epidemic_cremations, 1);
	CHECK_EQ_INT(d.disinfections, 1);
	CHECK_EQ_INT(d.open, 1); /* the ashes were handed over the next day */
	CHECK_EQ_INT(funeral_daily_get(db, &w, 1, "2020-02-04", &d, &e), 0);
	CHECK_EQ_INT(d.ashes, 1);
	CHECK_EQ_INT(d.open, 0);
	db_close(db);
}

TEST(a_refused_record_or_step_changes_nothing)
{
	struct db *db = open_seeded();
	struct actor w = testactor_user(db, "fwk", "funeral_worker", "3707");
	struct err e;
	struct funeral_body_in in = covid_case(3); /* an elderly home, not a funeral home */
	int64_t id = 0;
	CHECK_EQ_INT(funeral_body_create(db, &w, &in, "2020-03-01", &id, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM funeral_bodies"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM crosscheck_deaths"), 0);
	in = covid_case(1);
	CHECK_EQ_INT(funeral_body_create(db, &w, &in, "2020-03-01", &id, &e), 0);
	int64_t audits = q(db, "SELECT count(*) FROM audit_log");
	struct funeral_step_in s = step(FUNERAL_TRANSFER, "2020-02-03T10:00", 0);
	CHECK_EQ_INT(funeral_step_record(db, &w, id, &s, NOW, &e), -1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM funeral_steps"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log"), audits);
	db_close(db);
}

TEST(records_of_another_county_are_404_and_the_permission_is_needed)
{
	struct db *db = open_seeded();
	struct actor w = testactor_user(db, "fwk", "funeral_worker", "3707");
	struct actor c704 = testactor_user(db, "c704", "county_staff", "370704");
	struct actor vw = testactor_user(db, "vwk", "village_worker", "370705");
	struct err e;
	struct funeral_body_in in = covid_case(1); /* 奎文区 */
	int64_t id = 0;
	CHECK_EQ_INT(funeral_body_create(db, &w, &in, "2020-03-01", &id, &e), 0);
	struct funeral_body b;
	CHECK_EQ_INT(funeral_body_get(db, &c704, id, 0, &b, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	struct funeral_step_in s = step(FUNERAL_TRANSFER, "2020-02-03T10:00", 1);
	CHECK_EQ_INT(funeral_step_record(db, &c704, id, &s, NOW, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	in = covid_case(1);
	CHECK_EQ_INT(funeral_body_create(db, &c704, &in, "2020-03-01", &id, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(funeral_body_create(db, &vw, &in, "2020-03-01", &id, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	db_close(db);
}

TEST(no_gathering_is_recorded_while_the_suspension_is_in_force)
{
	struct db *db = open_seeded();
	struct actor w = testactor_user(db, "fwk", "funeral_worker", "3707");
	struct actor c704 = testactor_user(db, "c704", "county_staff", "370704");
	struct err e;
	int64_t sid;
	CHECK_EQ_INT(funeral_suspension_add(db, &c704, "2020-01-24", "", "", &sid, &e), -1);
	CHECK_EQ_INT(e.status, 403); /* the city sets it */
	CHECK_EQ_INT(funeral_suspension_add(db, &w, "2020-01-24", "2020-05-31", "疫情防控", &sid, &e), 0);
	struct funeral_body_in in = covid_case(2);
	snprintf(in.cause, sizeof in.cause, "other");
	in.id_number[0] = '\0';
	in.unidentified = 1;
	snprintf(in.description, sizeof in.description, "老年男性");
	int64_t id;
	CHECK_EQ_INT(funeral_body_create(db, &w, &in, "2020-07-01", &id, &e), 0);
	CHECK_EQ_INT(funeral_farewell_record(db, &w, id, "2020-05-31", 20, &e), -1);
	CHECK_EQ_STR(e.code, "farewell_suspended");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM funeral_bodies WHERE farewell_on <> ''"), 0);
	CHECK_EQ_INT(funeral_farewell_record(db, &w, id, "2020-06-01", 20, &e), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM funeral_bodies WHERE farewell_on = '2020-06-01'"), 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM crosscheck_deaths"), 0); /* unidentified */
	db_close(db);
}

UNIT_MAIN(an_epidemic_case_takes_every_step_in_order_and_none_may_be_skipped,
	  an_epidemic_transfer_and_cremation_must_be_dedicated,
	  an_other_case_may_leave_out_the_disinfection_but_not_reorder,
	  a_step_time_is_not_before_the_last_step_nor_the_death_nor_in_the_future,
	  handed_ashes_need_the_receiver_and_held_ones_none,
	  a_farewell_gathering_is_refused_for_covid_cases_during_a_suspension_and_after_cremation,
	  a_body_needs_an_id_number_and_name_or_a_description_when_unidentified,
	  a_covid_case_is_recorded_from_collection_to_ashes_and_marks_the_person_deceased,
	  a_refused_record_or_step_changes_nothing,
	  records_of_another_county_are_404_and_the_permission_is_needed,
	  no_gathering_is_recorded_while_the_suspension_is_in_force)
