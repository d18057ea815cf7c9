/* demo_rescue.c — the demo step of the rescue stations (owned by the rescue module; see
 * demo_steps.h): the city's 救助管理站 and one station in every county-level city and district,
 * with general and isolation rooms; arrivals from January to April 2020 — screened at the door,
 * admitted, isolated (most arrivals after 24 January), sent to hospital with a fever, or turned
 * away —, their observations, nucleic-acid tests, isolation extensions and reductions, early
 * leaves on a negative test, the end of isolation and the discharges; and the night patrols
 * with the masks, warm clothing and food given to people who would not come in.
 *
 * Everything goes through the rescue module's own functions (src/rescue/), with the moment of
 * each event passed as `now`, so the demo obeys the same rules as a person at the counter: the
 * rooms' beds, the fever threshold, isolation before admission from risk areas, no early leave
 * without a negative test. The arrivals are replayed in time order; a departure is an event
 * processed when time passes it, so a bed is free again exactly when its occupant has left.
 * People whose departure would fall after 30 April are still in the station at the demo's end.
 * Pure function of (seed, scale): its own random stream, no clock. One write transaction.
 */
#include "demo/demo_internal.h"
#include "demo/demo_steps.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/idnum.h"
#include "rescue/rescue.h"

#define STREAM 0x5245534355450001ULL /* "RESCUE" */
#define MAX_STATIONS 24
#define MAX_ROOMS 6
#define DAY 86400

int demo_rescue(struct db *db, const struct actor *sys, const struct demo_options *o,
		struct demo_report *r, struct err *e);

struct station {
	int64_t id;
	char code[RESCUE_CODE_SZ];
	char name[RESCUE_SHORT_SZ]; /* the county's (the city's: 潍坊市) */
	int city;
	int ngeneral, nisolation;
	int64_t general[MAX_ROOMS], isolation[MAX_ROOMS];
};

enum ev_kind { EV_DISCHARGE = 1, EV_END_ISOLATION };

struct event {
	int64_t at;
	int kind;
	int64_t intake;
	int st; /* station index */
	char leave[RESCUE_WORD_SZ];
	int then_days; /* EV_END_ISOLATION: discharge this many days later */
};

struct sim {
	struct db *db;
	const struct actor *a;
	struct demo_rng rng;
	struct station st[MAX_STATIONS];
	int nst;
	struct event *ev;
	int nev, evalloc;
	int64_t end; /* 2020-04-30T23:59:59 */
	/* counts for the summary */
	int arrivals, isolated, admitted, referred, refused, discharged, early, extended, reduced;
	int ended_isolation, tests, observations, patrols, people_met, masks, warm, food;
};

static int64_t at_of(const char *text)
{
	int64_t t = 0;
	rescue_time_parse(text, &t);
	return t;
}

static void fmt(int64_t t, char out[RESCUE_TIME_SZ])
{
	rescue_time_format(t, out);
}

/* The moment `days` after the start of t's day, at hh:mm. */
static int64_t day_at(int64_t t, int days, int hh, int mm)
{
	char date[RESCUE_DATE_SZ], text[RESCUE_TIME_SZ];
	rescue_time_date(t, date);
	snprintf(text, sizeof text, "%sT%02d:%02d", date, hh, mm);
	return at_of(text) + (int64_t)days * DAY;
}

static int push(struct sim *s, const struct event *x, struct err *e)
{
	if (x->at > s->end)
		return 0; /* still in the station when the demo ends */
	if (s->nev == s->evalloc) {
		int n = s->evalloc ? s->evalloc * 2 : 64;
		struct event *p = realloc(s->ev, (size_t)n * sizeof *p);
		if (!p)
			return err_set(e, 500, "internal", NULL, "内存不足");
		s->ev = p;
		s->evalloc = n;
	}
	s->ev[s->nev++] = *x;
	return 0;
}

/* ---- stations ------------------------------------------------------------------------------ */

static int add_room(struct sim *s, struct station *x, const char *name, const char *zone, int beds,
		    const char *now, struct err *e)
{
	struct rescue_room_in in;
	int64_t id;
	memset(&in, 0, sizeof in);
	snprintf(in.name, sizeof in.name, "%s", name);
	snprintf(in.zone, sizeof in.zone, "%s", zone);
	in.beds = beds;
	in.has = RESCUE_ROOM_HAS_NAME | RESCUE_ROOM_HAS_ZONE | RESCUE_ROOM_HAS_BEDS;
	if (rescue_room_create(s->db, s->a, x->id, &in, now, &id, e) < 0)
		return -1;
	if (strcmp(zone, "isolation") == 0)
		x->isolation[x->nisolation++] = id;
	else
		x->general[x->ngeneral++] = id;
	return 0;
}

static int make_stations(struct sim *s, struct err *e)
{
	const char *now = "2019-12-20T09:00:00+08:00";
	struct db_stmt *q = db_prepare(s->db,
				       "SELECT code, name FROM regions WHERE level = 3 AND "
				       "parent_code = ? ORDER BY code",
				       e);
	char codes[MAX_STATIONS][RESCUE_CODE_SZ], names[MAX_STATIONS][RESCUE_SHORT_SZ];
	int n = 0, rc;
	if (!q)
		return -1;
	db_bind_text(q, 1, DEMO_CITY);
	while ((rc = db_step(q, e)) == 1 && n < MAX_STATIONS - 1) {
		snprintf(codes[n], sizeof codes[n], "%s", db_col_text(q, 0));
		snprintf(names[n], sizeof names[n], "%s", db_col_text(q, 1));
		n++;
	}
	db_done(q);
	if (rc < 0)
		return -1;
	for (int i = -1; i < n; i++) {
		struct rescue_station_in in;
		struct station *x = &s->st[s->nst];
		memset(&in, 0, sizeof in);
		memset(x, 0, sizeof *x);
		x->city = i < 0;
		snprintf(x->code, sizeof x->code, "%s", x->city ? DEMO_CITY : codes[i]);
		snprintf(x->name, sizeof x->name, "%s", x->city ? "潍坊市" : names[i]);
		snprintf(in.name, sizeof in.name, "%s救助管理站", x->city ? "潍坊市" : names[i]);
		snprintf(in.region_code, sizeof in.region_code, "%s", x->code);
		snprintf(in.address, sizeof in.address, "%s%s", x->city ? "潍坊市" : names[i],
			 x->city ? "奎文区北宫东街 1 号" : "民政局院内");
		snprintf(in.phone, sizeof in.phone, "0536-%07u", 8200000u + (unsigned)s->nst * 37u);
		if (rescue_station_create(s->db, s->a, &in, now, &x->id, e) < 0)
			return -1;
		s->nst++;
		if (x->city) {
			if (add_room(s, x, "男宿舍一", "general", 12, now, e) < 0 ||
			    add_room(s, x, "男宿舍二", "general", 12, now, e) < 0 ||
			    add_room(s, x, "女宿舍", "general", 8, now, e) < 0 ||
			    add_room(s, x, "隔离区 A 栋", "isolation", 8, now, e) < 0 ||
			    add_room(s, x, "隔离区 B 栋", "isolation", 8, now, e) < 0)
				return -1;
		} else if (add_room(s, x, "宿舍", "general", 6, now, e) < 0 ||
			   add_room(s, x, "隔离观察室", "isolation", 4, now, e) < 0) {
			return -1;
		}
	}
	return 0;
}

/* A room of the zone with a free bed, 0 when none. */
static int64_t free_room(struct sim *s, const struct station *x, int isolation, struct err *e)
{
	const int64_t *rooms = isolation ? x->isolation : x->general;
	int n = isolation ? x->nisolation : x->ngeneral;
	for (int i = 0; i < n; i++) {
		struct db_stmt *q = db_prepare(
		    s->db,
		    "SELECT r.beds - (SELECT count(*) FROM rescue_intakes i WHERE i.room_id = r.id "
		    "AND i.status IN ('in_station','isolation')) FROM rescue_rooms r WHERE r.id = "
		    "?",
		    e);
		if (!q)
			return -1;
		db_bind_int(q, 1, rooms[i]);
		int rc = db_step(q, e);
		int64_t left = rc == 1 ? db_col_int(q, 0) : 0;
		db_done(q);
		if (rc < 0)
			return -1;
		if (left > 0)
			return rooms[i];
	}
	return 0;
}

/* ---- people -------------------------------------------------------------------------------- */

static const char *const ORIGINS[] = {"410102", "130102", "230102", "511002", "340102",
				      "370105", "370702", "370783", "420102", "220102"};
static const char *const ORIGIN_NAMES[] = {"河南郑州", "河北石家庄", "黑龙江哈尔滨", "四川内江",
					   "安徽合肥", "山东济南",   "潍坊潍城",     "山东寿光",
					   "湖北武汉", "吉林长春"};
static const char *const LOOKS[] = {
    "男，约 60 岁，身高约 1.70 米，灰白短发，身穿蓝色棉衣，言语不清",
    "男，约 45 岁，偏瘦，右手有旧伤疤，自述姓李，说不清住址",
    "女，约 50 岁，身穿红色羽绒服，精神状态不佳，不能说出姓名",
    "男，约 30 岁，身穿黑色外套，听力障碍，以手势交流",
};
static const char *const PLACES[] = {"潍坊火车站广场", "汽车总站候车厅", "人民公园东门",
				     "胜利街地下通道", "风筝广场",	 "白浪河桥下",
				     "东风街商场门口"};

static void person_id(struct sim *s, int origin, int male, int year, char out[19])
{
	char id17[18];
	int month = 1 + (int)demo_rng_below(&s->rng, 12),
	    day = 1 + (int)demo_rng_below(&s->rng, 28);
	int seq = (int)demo_rng_below(&s->rng, 500) * 2 + (male ? 1 : 0);
	snprintf(id17, sizeof id17, "%s%04d%02d%02d%03d", ORIGINS[origin], year, month, day, seq);
	snprintf(out, 19, "%s%c", id17, idnum_check_char(id17));
}

static const char *pick_leave(struct sim *s)
{
	static const uint32_t w[] = {55, 15, 30};
	static const char *const k[] = {"return_home", "transfer", "voluntary"};
	return k[demo_rng_pick(&s->rng, w, 3)];
}

static int discharge(struct sim *s, int64_t intake, int64_t at, const char *kind, struct err *e)
{
	struct rescue_discharge_in in;
	char now[RESCUE_TIME_SZ];
	memset(&in, 0, sizeof in);
	fmt(at, now);
	snprintf(in.kind, sizeof in.kind, "%s", kind);
	int o = (int)demo_rng_below(&s->rng, 10);
	if (strcmp(kind, "return_home") == 0) {
		snprintf(
		    in.ticket, sizeof in.ticket, "%c%d 次 %02d 车 %02d 号",
		    "KTZG"[demo_rng_below(&s->rng, 4)], 100 + (int)demo_rng_below(&s->rng, 8900),
		    1 + (int)demo_rng_below(&s->rng, 16), 1 + (int)demo_rng_below(&s->rng, 90));
		snprintf(in.destination, sizeof in.destination, "%s", ORIGIN_NAMES[o]);
	} else if (strcmp(kind, "transfer") == 0) {
		snprintf(in.transfer_to, sizeof in.transfer_to, "%s",
			 o < 5 ? "潍坊市社会福利院" : "户籍地救助管理站（跨省接送）");
	} else if (strcmp(kind, "hospital") == 0) {
		snprintf(in.transfer_to, sizeof in.transfer_to, "潍坊市人民医院发热门诊");
	} else if (strcmp(kind, "voluntary") == 0) {
		in.declaration_signed = 1;
	}
	if (rescue_discharge(s->db, s->a, intake, &in, now, e) < 0)
		return -1;
	s->discharged++;
	return 0;
}

static int observe(struct sim *s, int64_t intake, int64_t at, int64_t temp, const char *report,
		   struct err *e)
{
	struct rescue_observation_in in;
	char now[RESCUE_TIME_SZ];
	int fever;
	if (at > s->end)
		return 0;
	memset(&in, 0, sizeof in);
	fmt(at, now);
	in.temperature_tenths = temp;
	if (report) {
		snprintf(in.report_to, sizeof in.report_to, "%s", report);
		snprintf(in.symptoms, sizeof in.symptoms, "发热、乏力");
	}
	if (rescue_observation_add(s->db, s->a, intake, &in, now, &fever, e) < 0)
		return -1;
	s->observations++;
	return 0;
}

static int test(struct sim *s, int64_t intake, int64_t at, struct err *e)
{
	char now[RESCUE_TIME_SZ];
	if (at > s->end)
		return 0;
	fmt(at, now);
	if (rescue_test_add(s->db, s->a, intake, now, "negative", "潍坊市疾病预防控制中心", now,
			    NULL, e) < 0)
		return -1;
	s->tests++;
	return 0;
}

/* One arrival at t in station k, and what will happen to them. */
static int arrival(struct sim *s, int k, int64_t t, struct err *e)
{
	struct station *x = &s->st[k];
	struct rescue_intake_in *in = calloc(1, sizeof *in);
	char now[RESCUE_TIME_SZ], date[RESCUE_DATE_SZ];
	int64_t id = 0;
	int rc = -1;
	if (!in)
		return err_set(e, 500, "internal", NULL, "内存不足");
	fmt(t, now);
	rescue_time_date(t, date);
	int epidemic = strcmp(date, "2020-01-24") >= 0;
	int male = demo_rng_bp(&s->rng, 8200);
	int year = 1950 + (int)demo_rng_below(&s->rng, 50);
	int origin = (int)demo_rng_below(&s->rng, 10);

	in->station_id = x->id;
	snprintf(in->arrived_at, sizeof in->arrived_at, "%s", now);
	if (demo_rng_bp(&s->rng, 1500)) {
		in->unidentified = 1;
		snprintf(in->description, sizeof in->description, "%s",
			 LOOKS[demo_rng_below(&s->rng, 4)]);
		male = !strstr(in->description, "女");
	} else {
		char given[32];
		demo_given_name(&s->rng, male, year, given, sizeof given);
		snprintf(in->name, sizeof in->name, "%s%s", demo_surname(&s->rng), given);
		if (demo_rng_bp(&s->rng, 6000))
			person_id(s, origin, male, year, in->id_number);
		snprintf(in->origin, sizeof in->origin, "%s", ORIGIN_NAMES[origin]);
	}
	snprintf(in->sex, sizeof in->sex, "%s", male ? "male" : "female");
	snprintf(in->belongings, sizeof in->belongings, "%s",
		 demo_rng_bp(&s->rng, 5000) ? "编织袋 1 个（衣物）、手机 1 部"
					    : "随身衣物，现金若干");
	in->temperature_tenths = 360 + demo_rng_below(&s->rng, 13); /* 36.0–37.2 */
	int fever = epidemic && demo_rng_bp(&s->rng, 300);
	if (fever)
		in->temperature_tenths = 374 + demo_rng_below(&s->rng, 12);
	in->mask = epidemic ? demo_rng_bp(&s->rng, 9000) : demo_rng_bp(&s->rng, 500);
	snprintf(in->travel_history, sizeof in->travel_history, "近 14 天在%s、潍坊",
		 ORIGIN_NAMES[origin]);
	const char *risk = "low";
	if (epidemic && (origin == 8 || demo_rng_bp(&s->rng, 2000)))
		risk = "medium_high";
	else if (epidemic && (in->unidentified || demo_rng_bp(&s->rng, 1200)))
		risk = "unverifiable";
	snprintf(in->risk, sizeof in->risk, "%s", risk);
	if (epidemic && demo_rng_bp(&s->rng, 4000))
		snprintf(in->health_certificate, sizeof in->health_certificate,
			 "健康通行码（绿码）");

	int isolate = strcmp(risk, "low") != 0 || (epidemic && demo_rng_bp(&s->rng, 5000));
	int64_t room = 0;
	if (fever) {
		snprintf(in->decision, sizeof in->decision, "hospital");
		snprintf(in->hospital, sizeof in->hospital, "潍坊市人民医院发热门诊");
		snprintf(in->report_to, sizeof in->report_to,
			 "%s新冠肺炎疫情处置工作领导小组指挥部", x->name);
		snprintf(in->symptoms, sizeof in->symptoms, "发热，咳嗽");
	} else if (demo_rng_bp(&s->rng, 300)) {
		snprintf(in->decision, sizeof in->decision, "refuse");
		snprintf(in->reason, sizeof in->reason,
			 "有固定住所和收入来源，不属于救助对象，已劝导返回");
	} else {
		room = free_room(s, x, isolate, e);
		if (room < 0)
			goto out;
		if (room == 0) {
			snprintf(in->decision, sizeof in->decision, "refuse");
			snprintf(in->reason, sizeof in->reason,
				 "本站%s床位已满，已联系潍坊市救助管理站接收",
				 isolate ? "隔离" : "");
		} else {
			snprintf(in->decision, sizeof in->decision, "%s",
				 isolate ? "isolate" : "admit");
			in->room_id = room;
		}
	}
	if (rescue_intake_create(s->db, s->a, in, now, &id, e) < 0)
		goto out;
	s->arrivals++;
	if (fever)
		s->referred++;
	if (strcmp(in->decision, "refuse") == 0)
		s->refused++;
	if (!room) {
		rc = 0;
		goto out;
	}
	if (in->unidentified && demo_rng_bp(&s->rng, 9000)) {
		char posted[RESCUE_TIME_SZ];
		fmt(t + 3600 * (2 + (int64_t)demo_rng_below(&s->rng, 20)), posted);
		if (strcmp(posted, "2020-04-30T23:59:59+08:00") < 0 &&
		    rescue_family_search(s->db, s->a, id, posted, "全国救助寻亲网",
					 "本站救助一名身份不明人员，请知情者与本站联系", posted,
					 e) < 0)
			goto out;
	}
	struct event ev = {.intake = id, .st = k, .kind = EV_DISCHARGE};
	if (isolate) {
		int64_t end = day_at(t, 14, 0, 0); /* the planned end: arrival date + 14 */
		s->isolated++;
		if (demo_rng_bp(&s->rng, 600) && day_at(t, 12, 9, 0) <= s->end) {
			char new_end[RESCUE_DATE_SZ], cnow[RESCUE_TIME_SZ];
			rescue_time_date(end + 3 * DAY, new_end);
			fmt(day_at(t, 12, 9, 0), cnow);
			if (rescue_isolation_change(s->db, s->a, id, new_end,
						    "第 12 天复检结果未出，延长观察", cnow, e) < 0)
				goto out;
			end += 3 * DAY;
			s->extended++;
		} else if (strcmp(risk, "unverifiable") == 0 && demo_rng_bp(&s->rng, 1500) &&
			   day_at(t, 3, 9, 0) <= s->end) {
			char new_end[RESCUE_DATE_SZ], cnow[RESCUE_TIME_SZ];
			rescue_time_date(day_at(t, 7, 0, 0), new_end);
			fmt(day_at(t, 3, 9, 0), cnow);
			if (rescue_isolation_change(
				s->db, s->a, id, new_end,
				"经公安核实 14 天内未到过中高风险地区，缩短观察期", cnow, e) < 0)
				goto out;
			end = day_at(t, 7, 0, 0);
			s->reduced++;
		}
		int days = (int)((end - day_at(t, 0, 0, 0)) / DAY);
		int fever_day = demo_rng_bp(&s->rng, 100) ? 5 : 0;
		int early = !fever_day && demo_rng_bp(&s->rng, 1000) && days > 5;
		int last = fever_day ? fever_day
			   : early   ? days - 3
				     : days; /* observed until then */
		for (int d = 1; d < last; d += 3)
			if (observe(s, id, day_at(t, d, 8, 0), 360 + demo_rng_below(&s->rng, 10),
				    NULL, e) < 0)
				goto out;
		if (fever_day) { /* a fever during isolation: to hospital */
			if (observe(s, id, day_at(t, 5, 8, 0), 378,
				    "潍坊市新冠肺炎疫情处置工作领导小组指挥部", e) < 0)
				goto out;
			ev.at = day_at(t, 5, 10, 0);
			snprintf(ev.leave, sizeof ev.leave, "hospital");
		} else if (early) { /* early, on a negative test */
			if (test(s, id, day_at(t, days - 4, 9, 0), e) < 0)
				goto out;
			ev.at = day_at(t, days - 3, 10, 0);
			snprintf(ev.leave, sizeof ev.leave, "return_home");
			s->early += ev.at <= s->end;
		} else {
			if (test(s, id, day_at(t, days - 1, 9, 0), e) < 0)
				goto out;
			if (demo_rng_bp(&s->rng, 2000)) {
				ev.kind = EV_END_ISOLATION;
				ev.at = day_at(t, days, 10, 0);
				ev.then_days = 1 + (int)demo_rng_below(&s->rng, 3);
			} else {
				ev.at = day_at(t, days + (int)demo_rng_below(&s->rng, 2), 10, 0);
				/* max_stay: only when the stay limit (14) has been reached */
				snprintf(ev.leave, sizeof ev.leave, "%s",
					 days >= 14 && demo_rng_bp(&s->rng, 1000) ? "max_stay"
										  : pick_leave(s));
			}
		}
	} else {
		int stay = 1 + (int)demo_rng_below(&s->rng, 16);
		s->admitted++;
		if (observe(s, id, day_at(t, 1, 8, 0), 360 + demo_rng_below(&s->rng, 10), NULL, e) <
		    0)
			goto out;
		if (stay >= 14) { /* the limit (14 in the epidemic): leave at it, a few extended */
			stay = 14;
			snprintf(ev.leave, sizeof ev.leave, "max_stay");
			if (demo_rng_bp(&s->rng, 3000) && day_at(t, 13, 9, 0) <= s->end) {
				char until[RESCUE_DATE_SZ], cnow[RESCUE_TIME_SZ];
				rescue_time_date(day_at(t, 19, 0, 0), until);
				fmt(day_at(t, 13, 9, 0), cnow);
				if (rescue_stay_extend(s->db, s->a, id, until,
						       "等待户籍地救助站接送", "站长 王建国", cnow,
						       e) < 0)
					goto out;
				stay = 19;
			}
		} else {
			snprintf(ev.leave, sizeof ev.leave, "%s", pick_leave(s));
		}
		ev.at = day_at(t, stay, 10, 0);
	}
	rc = push(s, &ev, e);
out:
	free(in);
	return rc;
}

/* Process the departures due by t, earliest first. */
static int pass_time(struct sim *s, int64_t t, struct err *e)
{
	for (;;) {
		int best = -1;
		for (int i = 0; i < s->nev; i++)
			if (s->ev[i].at <= t && (best < 0 || s->ev[i].at < s->ev[best].at))
				best = i;
		if (best < 0)
			return 0;
		struct event x = s->ev[best];
		s->ev[best] = s->ev[--s->nev];
		if (x.kind == EV_DISCHARGE) {
			if (discharge(s, x.intake, x.at, x.leave, e) < 0)
				return -1;
			continue;
		}
		int64_t room = free_room(s, &s->st[x.st], 0, e);
		char now[RESCUE_TIME_SZ];
		if (room < 0)
			return -1;
		fmt(x.at, now);
		if (room == 0) { /* no general bed: straight home from isolation */
			if (discharge(s, x.intake, x.at, "return_home", e) < 0)
				return -1;
			continue;
		}
		if (rescue_isolation_end_now(s->db, s->a, x.intake, now, room, now, e) < 0)
			return -1;
		s->ended_isolation++;
		struct event next = {.at = day_at(x.at, x.then_days, 10, 0),
				     .kind = EV_DISCHARGE,
				     .intake = x.intake,
				     .st = x.st};
		snprintf(next.leave, sizeof next.leave, "%s", pick_leave(s));
		if (push(s, &next, e) < 0)
			return -1;
	}
}

/* ---- patrols ------------------------------------------------------------------------------- */

static int patrols(struct sim *s, int k, int n, struct err *e)
{
	const struct station *x = &s->st[k];
	struct rescue_patrol_in *in = calloc(1, sizeof *in);
	int64_t first = at_of("2020-01-02T00:00");
	int rc = -1;
	if (!in)
		return err_set(e, 500, "internal", NULL, "内存不足");
	for (int p = 0; p < n; p++) {
		int64_t day = first + (int64_t)((p * 118) / (n > 1 ? n : 1)) * DAY;
		char now[RESCUE_TIME_SZ];
		memset(in, 0, sizeof *in);
		in->station_id = x->id;
		rescue_time_date(day, in->date);
		int cold = strcmp(in->date, "2020-03-01") < 0;
		int masks = strcmp(in->date, "2020-01-24") >= 0;
		snprintf(in->area, sizeof in->area, "%s",
			 x->city ? PLACES[p % 7] : "城区主要街道、桥洞");
		snprintf(in->staff, sizeof in->staff, "%s", p % 2 ? "刘强、孙丽" : "赵军、陈明");
		snprintf(in->note, sizeof in->note, "夜间巡查 20:00—23:30");
		in->n_contacts = 1 + (int)demo_rng_below(&s->rng, x->city ? 5 : 3);
		for (int c = 0; c < in->n_contacts; c++) {
			struct rescue_contact *ct = &in->contacts[c];
			if (demo_rng_bp(&s->rng, 3000)) {
				char given[32];
				int male = demo_rng_bp(&s->rng, 8500);
				demo_given_name(&s->rng, male, 1960, given, sizeof given);
				snprintf(ct->name, sizeof ct->name, "%s%s", demo_surname(&s->rng),
					 given);
			} else {
				snprintf(ct->description, sizeof ct->description, "%s",
					 LOOKS[demo_rng_below(&s->rng, 4)]);
			}
			ct->accepted = demo_rng_bp(&s->rng, 2500);
			ct->masks = masks ? 1 + demo_rng_below(&s->rng, 3) : 0;
			ct->warm_clothing = cold ? demo_rng_below(&s->rng, 2) : 0;
			ct->food = 1 + demo_rng_below(&s->rng, 2);
			if (!ct->accepted)
				snprintf(ct->note, sizeof ct->note, "劝导入站未果，留下救助站电话");
			s->people_met++;
			s->masks += (int)ct->masks;
			s->warm += (int)ct->warm_clothing;
			s->food += (int)ct->food;
		}
		snprintf(now, sizeof now, "%sT23:30:00+08:00", in->date);
		int64_t id;
		if (rescue_patrol_create(s->db, s->a, in, now, &id, e) < 0)
			goto out;
		s->patrols++;
	}
	rc = 0;
out:
	free(in);
	return rc;
}

/* ---- the step ------------------------------------------------------------------------------ */

static int cmp_time(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;
	return x[0] < y[0] ? -1 : x[0] > y[0];
}

static int run(struct sim *s, double scale, struct err *e)
{
	double f = scale < 0.1 ? 0.1 : scale > 1.0 ? 1.0 : scale;
	int total = (int)(360.0 * f + 0.5);
	int64_t start = at_of("2020-01-01T00:00"), days = 121;
	if (make_stations(s, e) < 0)
		return -1;
	/* arrivals: (time, station) pairs, 40 % at the city's station, at least 2 per station */
	int want = total > s->nst * 2 ? total : s->nst * 2, n = 0;
	int64_t(*arr)[2] = calloc((size_t)want, sizeof *arr);
	if (!arr)
		return err_set(e, 500, "internal", NULL, "内存不足");
	for (int k = 0; k < s->nst; k++)
		for (int j = 0; j < 2; j++)
			arr[n++][1] = k;
	for (; n < want; n++)
		arr[n][1] = demo_rng_bp(&s->rng, 4000)
				? 0
				: 1 + (int)demo_rng_below(&s->rng, (uint32_t)(s->nst - 1));
	for (int i = 0; i < n; i++) {
		int64_t day = (int64_t)demo_rng_below(&s->rng, (uint32_t)days);
		int night = demo_rng_bp(&s->rng, 6000);
		int64_t sec = night ? (19 * 3600 + (int64_t)demo_rng_below(&s->rng, 7 * 3600)) % DAY
				    : 8 * 3600 + (int64_t)demo_rng_below(&s->rng, 11 * 3600);
		if (night && sec < 19 * 3600)
			day = day + 1 < days ? day + 1 : day; /* after midnight: the next day */
		arr[i][0] = start + day * DAY + sec;
	}
	qsort(arr, (size_t)n, sizeof *arr, cmp_time);
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		rc = pass_time(s, arr[i][0], e);
		if (rc == 0)
			rc = arrival(s, (int)arr[i][1], arr[i][0], e);
	}
	free(arr);
	if (rc == 0)
		rc = pass_time(s, s->end, e);
	for (int k = 0; k < s->nst && rc == 0; k++)
		rc = patrols(s, k, (int)((k == 0 ? 40.0 : 12.0) * f + 0.5) + 1, e);
	return rc;
}

int demo_rescue(struct db *db, const struct actor *sys, const struct demo_options *o,
		struct demo_report *r, struct err *e)
{
	struct sim *s = calloc(1, sizeof *s);
	struct timespec t0, t1;
	if (!s)
		return err_set(e, 500, "internal", NULL, "内存不足");
	clock_gettime(CLOCK_MONOTONIC, &t0); /* for the summary line only */
	s->db = db;
	s->a = sys;
	s->end = at_of("2020-04-30T23:59:59");
	demo_rng_seed(&s->rng, o->seed, STREAM);
	int rc = db_begin_write(db, e);
	if (rc == 0)
		rc = run(s, o->scale, e);
	if (rc == 0)
		rc = db_commit(db, e);
	else
		db_rollback(db);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc == 0 && r)
		demo_note(
		    r,
		    "救助站：%d 个站（市站及各县市区），2020 年 1—4 月到站 %d 人次（隔离观察 %d、"
		    "收入生活区 %d、送医 %d、不予收留 %d），离站 %d "
		    "人次（隔离期未满凭阴性检测提前离站 "
		    "%d），隔离期延长 %d、缩短 %d，核酸检测 %d 次，夜间巡查 %d 次、遇见 %d "
		    "人，发放口罩 "
		    "%d 只、御寒衣物 %d 件、食品 %d 份；用时 %.2f 秒",
		    s->nst, s->arrivals, s->isolated, s->admitted, s->referred, s->refused,
		    s->discharged, s->early, s->extended, s->reduced, s->tests, s->patrols,
		    s->people_met, s->masks, s->warm, s->food,
		    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	free(s->ev);
	free(s);
	return rc;
}
