/* marriage_booking.c — the public booking (see marriage.h): book a slot, show, change or cancel
 * a booking by its code and one party's ID number, and the per-address throttle. The last
 * place of a slot is decided inside one write transaction (BEGIN IMMEDIATE), so of two couples
 * racing for it exactly one wins. */
#include "marriage/marriage_internal.h"
#include "audit/audit.h"
#include "calendar/calendar.h"
#include "core/clock.h"
#include "core/idnum.h"
#include "core/phone.h"
#include "core/text.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

void mar_booking_from_row(struct db_stmt *st, struct marriage_booking *b, char birth[2][11])
{
	memset(b, 0, sizeof *b);
	b->id = db_col_int(st, 0);
	text_copy(b->code, sizeof b->code, db_col_text(st, 1));
	b->office_id = db_col_int(st, 2);
	text_copy(b->office_name, sizeof b->office_name, db_col_text(st, 3));
	text_copy(b->office_address, sizeof b->office_address, db_col_text(st, 4));
	text_copy(b->region_code, sizeof b->region_code, db_col_text(st, 5));
	text_copy(b->date, sizeof b->date, db_col_text(st, 6));
	text_copy(b->time, sizeof b->time, db_col_text(st, 7));
	text_copy(b->status, sizeof b->status, db_col_text(st, 8));
	text_copy(b->names[0], sizeof b->names[0], db_col_text(st, 9));
	text_copy(b->names[1], sizeof b->names[1], db_col_text(st, 10));
	text_copy(b->id_masked[0], sizeof b->id_masked[0], db_col_text(st, 11));
	text_copy(b->id_masked[1], sizeof b->id_masked[1], db_col_text(st, 12));
	text_copy(b->sex[0], sizeof b->sex[0], db_col_text(st, 13));
	text_copy(b->sex[1], sizeof b->sex[1], db_col_text(st, 14));
	text_copy(b->phone, sizeof b->phone, db_col_text(st, 15));
	text_copy(b->checked_in_at, sizeof b->checked_in_at, db_col_text(st, 16));
	b->temperature_tenths = (int)db_col_int(st, 17);
	b->fever = (int)db_col_int(st, 18);
	text_copy(b->outcome, sizeof b->outcome, db_col_text(st, 19));
	text_copy(b->outcome_reason, sizeof b->outcome_reason, db_col_text(st, 20));
	text_copy(b->created_at, sizeof b->created_at, db_col_text(st, 21));
	if (birth) {
		text_copy(birth[0], 11, db_col_text(st, 22));
		text_copy(birth[1], 11, db_col_text(st, 23));
	}
}

static int finish(struct db *db, int rc, struct err *e)
{
	if (rc == 0)
		return db_commit(db, e);
	db_rollback(db);
	return -1;
}

/* The date is tomorrow … MARRIAGE_BOOK_DAYS ahead of today. */
static int check_window(const char *date, const char *today, struct err *e)
{
	if (!date[0])
		return err_set(e, 400, "required", "date", "请选择预约日期");
	if (!calendar_date_valid(date))
		return err_set(e, 400, "invalid_value", "date", "预约日期格式不正确");
	int64_t d = calendar_days_from_date(date), t = calendar_days_from_date(today);
	if (d <= t || d > t + MARRIAGE_BOOK_DAYS)
		return err_set(e, 400, "invalid_value", "date",
			       "只能预约明天起 %d 天内的日期", MARRIAGE_BOOK_DAYS);
	return 0;
}

/* The slot is open (409 slot_unavailable) and, inside the write transaction, has a place left
 * (409 slot_full). `skip` is a booking that does not count (the one being moved). */
static int check_slot(struct db *db, int64_t office_id, const char *date, const char *time,
		      int64_t skip, struct err *e)
{
	struct marriage_day_plan *p = calloc(1, sizeof *p);
	if (!p)
		return err_oom(e);
	int rc = marriage_day_plan(db, office_id, date, p, e);
	if (rc == 0 && !p->open)
		rc = err_set(e, 409, "slot_unavailable", "date", "该日不可预约（%s），请选择其他日期",
			     p->reason);
	int found = -1;
	for (int i = 0; rc == 0 && i < p->nslots; i++)
		if (strcmp(p->slots[i].time, time) == 0)
			found = i;
	if (rc == 0 && found < 0)
		rc = err_set(e, 409, "slot_unavailable", "time", "该时段不可预约：%.8s", time);
	if (rc == 0) {
		int booked = p->slots[found].booked;
		if (skip) {
			struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM marriage_bookings WHERE id = ? "
							    "AND office_id = ? AND slot_date = ? AND slot_time = ? "
							    "AND status = 'booked'", e);
			if (!st) {
				rc = -1;
			} else {
				db_bind_int(st, 1, skip);
				db_bind_int(st, 2, office_id);
				db_bind_text(st, 3, date);
				db_bind_text(st, 4, time);
				if ((rc = db_step(st, e)) == 1) {
					booked -= (int)db_col_int(st, 0);
					rc = 0;
				}
				db_done(st);
			}
		}
		if (rc == 0 && booked >= p->slots[found].capacity)
			rc = err_set(e, 409, "slot_full", "time",
				     "该时段已约满，请选择其他时段");
	}
	free(p);
	return rc;
}

/* No other active booking (booked, no outcome, date not before today) of either hash. */
static int check_no_active(struct db *db, char hash[2][65], const char *today, int64_t skip,
			   struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM marriage_bookings WHERE status = "
					    "'booked' AND outcome = '' AND slot_date >= ? AND id <> ? AND "
					    "(a_id_hash IN (?, ?) OR b_id_hash IN (?, ?))", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, today);
	db_bind_int(st, 2, skip);
	for (int i = 0; i < 2; i++) {
		db_bind_text(st, 3 + i, hash[i]);
		db_bind_text(st, 5 + i, hash[i]);
	}
	int rc = db_step(st, e);
	int64_t n = rc == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc < 0)
		return -1;
	if (n > 0)
		return err_set(e, 409, "already_booked", NULL,
			       "双方中有人已有未办理的预约，请先取消原预约或按原预约办理");
	return 0;
}

static int load_by_id(struct db *db, int64_t id, struct marriage_booking *out, char birth[2][11],
		      struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT " MAR_BOOKING_COLS MAR_BOOKING_FROM
					    "WHERE b.id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st, e);
	if (rc == 1)
		mar_booking_from_row(st, out, birth);
	db_done(st);
	if (rc == 0)
		return err_set(e, 404, "not_found", NULL, "预约不存在");
	return rc < 0 ? -1 : 0;
}

int marriage_book(struct db *db, const struct actor *a, struct marriage_booking_in *in,
		  const char *at, struct marriage_booking *out, struct err *e)
{
	char now[32], today[11], phone[24], hash[2][65], masked[2][19];
	struct idnum id[2];
	struct marriage_office o;
	mar_now(at, now, today);
	memset(&o, 0, sizeof o);
	int rc = mar_office_row(db, in->office_id, &o, e);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 404, "not_found", "office_id", "婚姻登记处不存在或尚未开放预约");
	if (check_window(in->date, today, e) < 0)
		return -1;
	if (!in->time[0])
		return err_set(e, 400, "required", "time", "请选择预约时段");
	if (marriage_time_parse(in->time) < 0)
		return err_set(e, 400, "invalid_value", "time", "预约时段格式不正确");
	static const char *const who[2] = {"男方或一方", "另一方"};
	for (int i = 0; i < 2; i++) {
		char field[32];
		snprintf(field, sizeof field, "party[%d].name", i);
		if (text_check(in->party[i].name, MARRIAGE_NAME_CHARS, 1, 0, field, "姓名", e) < 0)
			return -1;
		if (!in->party[i].id_number[0]) {
			snprintf(field, sizeof field, "party[%d].id_number", i);
			return err_set(e, 400, "required", field, "请填写%s的身份证号码", who[i]);
		}
		if (idnum_parse(in->party[i].id_number, today, &id[i], e) < 0) {
			snprintf(field, sizeof field, "party[%d]", i);
			err_prefix_field(e, field);
			return -1;
		}
	}
	if (strcmp(id[0].number, id[1].number) == 0)
		return err_set(e, 400, "same_person", "party[1].id_number",
			       "双方的身份证号码相同：须为两个不同的人");
	for (int i = 0; i < 2; i++)
		if (!marriage_age_ok(id[i].birth_date, id[i].male, in->date)) {
			char field[32];
			snprintf(field, sizeof field, "party[%d].id_number", i);
			return err_set(e, 400, "under_age", field,
				       "%s在预约日（%s）未达法定婚龄（%s不得早于 %d 周岁）", in->party[i].name,
				       in->date, id[i].male ? "男" : "女", id[i].male ? 22 : 20);
		}
	if (!in->phone[0])
		return err_set(e, 400, "required", "phone", "请填写联系电话");
	if (phone_validate(in->phone, phone, e) < 0)
		return -1;
	if (in->code[0] && !marriage_code_valid(in->code))
		return err_set(e, 400, "invalid_value", "code", "预约码格式不正确");
	for (int i = 0; i < 2; i++) {
		idnum_mask(id[i].number, masked[i]);
		if (mar_id_hash(db, id[i].number, hash[i], e) < 0)
			return -1;
	}

	int own = mar_begin(db, e);
	if (own < 0)
		return -1;
	rc = check_no_active(db, hash, today, 0, e);
	if (rc == 0)
		rc = check_slot(db, in->office_id, in->date, in->time, 0, e);
	char code[MARRIAGE_CODE_LEN + 1];
	for (int tries = 0; rc == 0; tries++) {
		if (in->code[0]) {
			text_copy(code, sizeof code, in->code);
		} else {
			unsigned char bytes[MARRIAGE_CODE_LEN];
			randombytes_buf(bytes, sizeof bytes);
			marriage_code_from_bytes(bytes, code);
		}
		struct db_stmt *st = db_prepare(db, "INSERT INTO marriage_bookings(code, office_id, "
						    "region_code, slot_date, slot_time, status, a_name, "
						    "a_id_masked, a_id_hash, a_sex, a_birth, b_name, "
						    "b_id_masked, b_id_hash, b_sex, b_birth, phone, "
						    "created_at, updated_at) VALUES "
						    "(?,?,?,?,?,'booked',?,?,?,?,?,?,?,?,?,?,?,?,?) "
						    "ON CONFLICT(code) DO NOTHING", e);
		if (!st) {
			rc = -1;
			break;
		}
		int p = 1;
		db_bind_text(st, p++, code);
		db_bind_int(st, p++, in->office_id);
		db_bind_text(st, p++, o.region_code);
		db_bind_text(st, p++, in->date);
		db_bind_text(st, p++, in->time);
		for (int i = 0; i < 2; i++) {
			db_bind_text(st, p++, in->party[i].name);
			db_bind_text(st, p++, masked[i]);
			db_bind_text(st, p++, hash[i]);
			db_bind_text(st, p++, id[i].male ? "male" : "female");
			db_bind_text(st, p++, id[i].birth_date);
		}
		db_bind_text(st, p++, phone);
		db_bind_text(st, p++, now);
		db_bind_text(st, p++, now);
		if ((rc = db_run(st, e)) < 0)
			break;
		if (db_changes(db) == 1)
			break;
		if (in->code[0] || tries > 5)
			rc = err_set(e, 409, "conflict", "code", "预约码重复，请重试");
	}
	int64_t bid = rc == 0 ? db_last_id(db) : 0;
	if (rc == 0) {
		char detail[120];
		snprintf(detail, sizeof detail, "{\"office_id\":%lld,\"date\":\"%s\",\"time\":\"%s\"}",
			 (long long)in->office_id, in->date, in->time);
		rc = audit_append_id(db, a, "marriage.book", "marriage_booking", bid, detail, e);
	}
	if (mar_end(db, own, rc, e) < 0)
		return -1;
	return out ? load_by_id(db, bid, out, NULL, e) : 0;
}

/* The booking of code whose party has id_number: its id, or -1 with the one 404 for any miss. */
static int find_public(struct db *db, const char *code_in, const char *id_number, int64_t *out,
		       struct err *e)
{
	char code[MARRIAGE_CODE_LEN + 8], hash[65];
	struct idnum id;
	struct err ignore;
	size_t n = code_in ? strlen(code_in) : 0;
	if (n == 0)
		return err_set(e, 400, "required", "code", "请填写预约码");
	if (!id_number || !id_number[0])
		return err_set(e, 400, "required", "id_number", "请填写一方的身份证号码");
	if (n >= sizeof code)
		goto miss;
	for (size_t i = 0; i <= n; i++)
		code[i] = (char)toupper((unsigned char)code_in[i]);
	if (!marriage_code_valid(code) || idnum_parse(id_number, NULL, &id, &ignore) < 0)
		goto miss;
	if (mar_id_hash(db, id.number, hash, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "SELECT id FROM marriage_bookings WHERE code = ? AND "
					    "(a_id_hash = ? OR b_id_hash = ?)", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	db_bind_text(st, 2, hash);
	db_bind_text(st, 3, hash);
	int rc = db_step(st, e);
	if (rc == 1)
		*out = db_col_int(st, 0);
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return 0;
miss:
	return err_set(e, 404, "not_found", NULL, "未找到预约：请核对预约码和身份证号码");
}

int marriage_public_get(struct db *db, const char *code, const char *id_number,
			struct marriage_booking *out, struct err *e)
{
	int64_t id;
	if (find_public(db, code, id_number, &id, e) < 0)
		return -1;
	return load_by_id(db, id, out, NULL, e);
}

/* The booking may still change: booked, no outcome, its date not before today. */
static int check_open(const struct marriage_booking *b, const char *today, struct err *e)
{
	if (strcmp(b->status, "booked") != 0)
		return err_set(e, 409, "booking_closed", NULL, "该预约已取消");
	if (b->outcome[0] || strcmp(b->date, today) < 0)
		return err_set(e, 409, "booking_closed", NULL, "该预约已办理或已过期，不能再更改");
	return 0;
}

int marriage_public_change(struct db *db, const struct actor *a, const char *code,
			   const char *id_number, const char *date, const char *time,
			   struct marriage_booking *out, struct err *e)
{
	char now[32], today[11], birth[2][11];
	struct marriage_booking *b = out;
	int64_t id;
	mar_now(NULL, now, today);
	if (find_public(db, code, id_number, &id, e) < 0)
		return -1;
	if (check_window(date ? date : "", today, e) < 0)
		return -1;
	if (!time || !time[0])
		return err_set(e, 400, "required", "time", "请选择预约时段");
	if (marriage_time_parse(time) < 0)
		return err_set(e, 400, "invalid_value", "time", "预约时段格式不正确");
	int own = mar_begin(db, e);
	if (own < 0)
		return -1;
	int rc = load_by_id(db, id, b, birth, e);
	if (rc == 0)
		rc = check_open(b, today, e);
	for (int i = 0; rc == 0 && i < 2; i++)
		if (!marriage_age_ok(birth[i], strcmp(b->sex[i], "male") == 0, date))
			rc = err_set(e, 400, "under_age", "date",
				     "%s在新的预约日（%s）未达法定婚龄", b->names[i], date);
	if (rc == 0)
		rc = check_slot(db, b->office_id, date, time, id, e);
	if (rc == 0) {
		struct db_stmt *st = db_prepare(db, "UPDATE marriage_bookings SET slot_date = ?, "
						    "slot_time = ?, updated_at = ? WHERE id = ?", e);
		if (!st) {
			rc = -1;
		} else {
			db_bind_text(st, 1, date);
			db_bind_text(st, 2, time);
			db_bind_text(st, 3, now);
			db_bind_int(st, 4, id);
			rc = db_run(st, e);
		}
	}
	if (rc == 0) {
		char detail[120];
		snprintf(detail, sizeof detail,
			 "{\"from\":\"%s %s\",\"to\":\"%.10s %.5s\"}", b->date, b->time, date, time);
		rc = audit_append_id(db, a, "marriage.change", "marriage_booking", id, detail, e);
	}
	if (mar_end(db, own, rc, e) < 0)
		return -1;
	return load_by_id(db, id, out, NULL, e);
}

int marriage_public_cancel(struct db *db, const struct actor *a, const char *code,
			   const char *id_number, struct marriage_booking *out, struct err *e)
{
	char now[32], today[11];
	int64_t id;
	mar_now(NULL, now, today);
	if (find_public(db, code, id_number, &id, e) < 0)
		return -1;
	int own = mar_begin(db, e);
	if (own < 0)
		return -1;
	int rc = load_by_id(db, id, out, NULL, e);
	if (rc == 0)
		rc = check_open(out, today, e);
	if (rc == 0) {
		struct db_stmt *st = db_prepare(db, "UPDATE marriage_bookings SET status = 'cancelled', "
						    "updated_at = ? WHERE id = ?", e);
		if (!st) {
			rc = -1;
		} else {
			db_bind_text(st, 1, now);
			db_bind_int(st, 2, id);
			rc = db_run(st, e);
		}
	}
	if (rc == 0)
		rc = audit_append_id(db, a, "marriage.cancel", "marriage_booking", id, NULL, e);
	if (mar_end(db, own, rc, e) < 0)
		return -1;
	return load_by_id(db, id, out, NULL, e);
}

int marriage_throttle(struct db *db, const char *client, struct err *e)
{
	int64_t now = clock_unix(), start = 0, count = 0;
	if (db_begin_write(db, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "SELECT window_start, count FROM marriage_throttle "
					    "WHERE client = ?", e);
	int rc = st ? 0 : -1;
	if (st) {
		db_bind_text(st, 1, client ? client : "");
		rc = db_step(st, e);
		if (rc == 1) {
			start = db_col_int(st, 0);
			count = db_col_int(st, 1);
		}
		db_done(st);
		rc = rc < 0 ? -1 : 0;
	}
	int64_t was = start;
	int allowed = rc == 0 && marriage_throttle_step(now, &start, &count);
	if (allowed && start != was) {
		/* a new window: drop the counters of addresses whose window has long ended */
		st = db_prepare(db, "DELETE FROM marriage_throttle WHERE window_start < ?", e);
		if (!st) {
			rc = -1;
		} else {
			db_bind_int(st, 1, now - 2 * MARRIAGE_THROTTLE_WINDOW);
			rc = db_run(st, e);
		}
	}
	if (allowed && rc == 0) {
		st = db_prepare(db, "INSERT INTO marriage_throttle(client, window_start, count) "
				    "VALUES (?,?,?) ON CONFLICT(client) DO UPDATE SET "
				    "window_start = excluded.window_start, count = excluded.count", e);
		if (!st) {
			rc = -1;
		} else {
			db_bind_text(st, 1, client ? client : "");
			db_bind_int(st, 2, start);
			db_bind_int(st, 3, count);
			rc = db_run(st, e);
		}
	}
	if (finish(db, rc, e) < 0)
		return -1;
	if (!allowed)
		return err_set(e, 429, "throttled", NULL, "请求过于频繁，请 %d 分钟后再试",
			       MARRIAGE_THROTTLE_WINDOW / 60);
	return 0;
}
