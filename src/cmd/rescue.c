/* rescue.c (cmd) — `minzheng rescue …`: rescue stations from the command line, as the system
 * actor (every station, every permission). The work is done by src/rescue/ — the same domain
 * functions the API calls; records go in as the API's JSON bodies (a file or - for stdin) and
 * come out as the API's JSON. --now injects the moment of the call (tests, replaying a night's
 * paper records); without it the clock (Asia/Shanghai) is used. */
#include "cmd/commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "core/actor.h"
#include "rescue/rescue.h"

static const char usage[] =
    "用法：\n"
    "  minzheng rescue stations --db PATH\n"
    "      列出救助站及床位占用：编号 名称 区划 床位 已用 隔离床位 已用 在站 隔离中。\n"
    "  minzheng rescue station-add --db PATH --name 名称 --region CODE [--address 地址]\n"
    "                              [--phone 电话] [--institution ID]\n"
    "  minzheng rescue room-add --db PATH --station ID --name 名称 --zone general|isolation\n"
    "                           --beds N\n"
    "  minzheng rescue intake --db PATH --json FILE|- [--now TIME]\n"
    "      登记到站人员（JSON 与 POST /api/v1/rescue/intakes 相同），打印记录（JSON）。\n"
    "  minzheng rescue show --db PATH --id N [--unmask] [--now TIME]\n"
    "  minzheng rescue list --db PATH [--station ID] [--status present|in_station|isolation|\n"
    "                       referred|refused|discharged] [--from DATE] [--to DATE]\n"
    "  minzheng rescue test --db PATH --id N --result negative|positive [--sampled-at TIME]\n"
    "                       [--lab 机构] [--now TIME]\n"
    "  minzheng rescue isolation-change --db PATH --id N --end DATE --reason 理由 [--now TIME]\n"
    "  minzheng rescue discharge --db PATH --id N --json FILE|- [--now TIME]\n"
    "      离站（JSON 与 POST /api/v1/rescue/intakes/{id}/discharge 相同）。隔离期未满须有\n"
    "      有效时限内的核酸检测阴性结果，否则拒绝（退出码 1，打印原因）。\n"
    "  minzheng rescue patrol --db PATH --json FILE|- [--now TIME]\n"
    "  minzheng rescue dashboard --db PATH [--station ID] [--from DATE] [--to DATE] [--now TIME]\n"
    "  TIME 为北京时间 YYYY-MM-DDTHH:MM[:SS]；DATE 为 YYYY-MM-DD。以 system "
    "身份写入并记审计日志。\n"
    "\n"
    "usage: the same commands — stations and rooms; record an arrival (the API's JSON); show or\n"
    "list arrivals; record a nucleic-acid test; change an isolation's end; discharge (refused\n"
    "before the isolation's end without a valid negative test); record a street patrol; the\n"
    "dashboard. --now sets the moment of the call.\n"
    "\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

/* The whole of a file (or stdin for "-"), NUL-terminated, at most 1 MiB; NULL on failure. */
static char *slurp(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap + 1);
	if (buf) {
		n = fread(buf, 1, cap, f);
		if (n == cap && fgetc(f) != EOF) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
		}
	}
	if (f != stdin)
		fclose(f);
	return buf;
}

static json_t *read_json(int argc, char **argv)
{
	const char *path = cli_opt(argc, argv, "json");
	json_error_t je;
	if (!path) {
		fprintf(stderr, "错误：缺少 --json FILE（或 - 表示标准输入）\n");
		return NULL;
	}
	char *text = slurp(path);
	if (!text) {
		fprintf(stderr, "错误：无法读取 %s（或超过 1 MiB）\n", path);
		return NULL;
	}
	json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	free(text);
	if (!j || !json_is_object(j)) {
		fprintf(stderr, "错误：%s 不是 JSON 对象（%s）\n", path, j ? "" : je.text);
		json_decref(j);
		return NULL;
	}
	return j;
}

static int print_json(json_t *j)
{
	if (!j) {
		fprintf(stderr, "错误：内存不足\n");
		return 1;
	}
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(j);
	if (!s)
		return 1;
	puts(s);
	free(s);
	return 0;
}

static int64_t opt_id(int argc, char **argv, const char *name)
{
	const char *v = cli_opt(argc, argv, name);
	char *end;
	if (!v)
		return 0;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	return errno || *end || x <= 0 ? -1 : (int64_t)x;
}

/* The intake as stored, printed as JSON. */
static int show(struct db *db, const struct actor *a, int64_t id, int unmask, const char *now)
{
	struct rescue_intake_detail *d = calloc(1, sizeof *d);
	struct err e;
	if (!d)
		return 1;
	int rc = rescue_intake_get(db, a, id, unmask, now, d, &e);
	if (rc < 0) {
		cli_print_err(&e);
		free(d);
		return 1;
	}
	rc = print_json(rescue_intake_detail_json(d));
	rescue_intake_detail_release(d);
	free(d);
	return rc;
}

static int do_stations(struct db *db, const struct actor *a)
{
	struct rescue_station_list l;
	struct err e;
	if (rescue_station_list(db, a, &l, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	for (int i = 0; i < l.n; i++) {
		const struct rescue_station *s = &l.items[i];
		printf("%lld\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\n", (long long)s->id, s->name,
		       s->region_code, s->beds, s->beds_used, s->isolation_beds, s->isolation_used,
		       s->in_station, s->in_isolation);
	}
	rescue_station_list_release(&l);
	return 0;
}

static int do_station_add(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct rescue_station_in in;
	struct err e;
	int64_t id = 0;
	memset(&in, 0, sizeof in);
	if (!cli_opt(argc, argv, "name") || !cli_opt(argc, argv, "region")) {
		fprintf(stderr, "错误：--name 和 --region 是必需的\n");
		return 2;
	}
	snprintf(in.name, sizeof in.name, "%s", cli_opt_or_empty(argc, argv, "name"));
	snprintf(in.region_code, sizeof in.region_code, "%s", cli_opt_or_empty(argc, argv, "region"));
	snprintf(in.address, sizeof in.address, "%s", cli_opt_or_empty(argc, argv, "address"));
	snprintf(in.phone, sizeof in.phone, "%s", cli_opt_or_empty(argc, argv, "phone"));
	in.institution_id = opt_id(argc, argv, "institution");
	if (rescue_station_create(db, a, &in, cli_opt(argc, argv, "now"), &id, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("%lld\n", (long long)id);
	return 0;
}

static int do_room_add(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct rescue_room_in in;
	struct err e;
	int64_t id = 0, station = opt_id(argc, argv, "station");
	memset(&in, 0, sizeof in);
	if (station <= 0 || !cli_opt(argc, argv, "beds")) {
		fprintf(stderr, "错误：--station ID、--name、--zone、--beds 是必需的\n");
		return 2;
	}
	snprintf(in.name, sizeof in.name, "%s", cli_opt_or_empty(argc, argv, "name"));
	snprintf(in.zone, sizeof in.zone, "%s", cli_opt_or_empty(argc, argv, "zone"));
	in.beds = atoll(cli_opt_or_empty(argc, argv, "beds"));
	in.has = RESCUE_ROOM_HAS_NAME | RESCUE_ROOM_HAS_ZONE | RESCUE_ROOM_HAS_BEDS;
	if (rescue_room_create(db, a, station, &in, cli_opt(argc, argv, "now"), &id, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("%lld\n", (long long)id);
	return 0;
}

static int do_intake(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct err e;
	int64_t id = 0;
	json_t *j = read_json(argc, argv);
	if (!j)
		return 2;
	struct rescue_intake_in *in = calloc(1, sizeof *in);
	int rc = 1;
	if (in && rescue_intake_from_json(j, in, &e) == 0 &&
	    rescue_intake_create(db, a, in, cli_opt(argc, argv, "now"), &id, &e) == 0)
		rc = show(db, a, id, 0, cli_opt(argc, argv, "now"));
	else if (in)
		cli_print_err(&e);
	free(in);
	json_decref(j);
	return rc;
}

static int do_list(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct rescue_intake_query q;
	struct rescue_intake_page pg;
	struct err e;
	memset(&q, 0, sizeof q);
	q.station_id = opt_id(argc, argv, "station");
	snprintf(q.status, sizeof q.status, "%s", cli_opt_or_empty(argc, argv, "status"));
	snprintf(q.from, sizeof q.from, "%s", cli_opt_or_empty(argc, argv, "from"));
	snprintf(q.to, sizeof q.to, "%s", cli_opt_or_empty(argc, argv, "to"));
	q.limit = RESCUE_PAGE_MAX;
	if (q.station_id < 0) {
		fprintf(stderr, "错误：--station 应为正整数\n");
		return 2;
	}
	for (;;) {
		if (rescue_intake_list(db, a, &q, &pg, &e) < 0) {
			cli_print_err(&e);
			return 1;
		}
		for (int i = 0; i < pg.n; i++) {
			const struct rescue_intake_row *r = &pg.items[i];
			printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)r->id, r->arrived_at,
			       r->station_name, r->unidentified ? "身份不明" : r->name, r->decision,
			       r->status, r->isolation_end);
		}
		int n = pg.n;
		rescue_intake_page_release(&pg);
		q.offset += n;
		if (n < q.limit)
			return 0;
	}
}

static int do_test(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct err e;
	int64_t id = opt_id(argc, argv, "id");
	const char *now = cli_opt(argc, argv, "now");
	if (id <= 0 || !cli_opt(argc, argv, "result")) {
		fprintf(stderr, "错误：--id N 和 --result negative|positive 是必需的\n");
		return 2;
	}
	if (rescue_test_add(db, a, id, cli_opt_or_empty(argc, argv, "sampled-at"), cli_opt_or_empty(argc, argv, "result"),
			    cli_opt_or_empty(argc, argv, "lab"), now, NULL, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	return show(db, a, id, 0, now);
}

static int do_isolation_change(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct err e;
	int64_t id = opt_id(argc, argv, "id");
	const char *now = cli_opt(argc, argv, "now");
	if (id <= 0) {
		fprintf(stderr, "错误：缺少 --id N\n");
		return 2;
	}
	if (rescue_isolation_change(db, a, id, cli_opt_or_empty(argc, argv, "end"), cli_opt_or_empty(argc, argv, "reason"),
				    now, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	return show(db, a, id, 0, now);
}

static int do_discharge(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct err e;
	struct rescue_discharge_in in;
	int64_t id = opt_id(argc, argv, "id");
	const char *now = cli_opt(argc, argv, "now");
	if (id <= 0) {
		fprintf(stderr, "错误：缺少 --id N\n");
		return 2;
	}
	json_t *j = read_json(argc, argv);
	if (!j)
		return 2;
	int rc = 1;
	if (rescue_discharge_from_json(j, &in, &e) == 0 &&
	    rescue_discharge(db, a, id, &in, now, &e) == 0)
		rc = show(db, a, id, 0, now);
	else
		cli_print_err(&e);
	json_decref(j);
	return rc;
}

static int do_patrol(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct err e;
	int64_t id = 0;
	json_t *j = read_json(argc, argv);
	if (!j)
		return 2;
	struct rescue_patrol_in *in = calloc(1, sizeof *in);
	int rc = 1;
	if (in && rescue_patrol_from_json(j, in, &e) == 0 &&
	    rescue_patrol_create(db, a, in, cli_opt(argc, argv, "now"), &id, &e) == 0) {
		struct rescue_patrol_detail d;
		if (rescue_patrol_get(db, a, id, &d, &e) == 0) {
			rc = print_json(rescue_patrol_detail_json(&d));
			rescue_patrol_detail_release(&d);
		} else {
			cli_print_err(&e);
		}
	} else if (in) {
		cli_print_err(&e);
	}
	free(in);
	json_decref(j);
	return rc;
}

static int do_dashboard(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct err e;
	int64_t station = opt_id(argc, argv, "station");
	if (station < 0) {
		fprintf(stderr, "错误：--station 应为正整数\n");
		return 2;
	}
	struct rescue_dashboard *d = calloc(1, sizeof *d);
	if (!d)
		return 1;
	int rc = 1;
	if (rescue_dashboard_get(db, a, station, cli_opt_or_empty(argc, argv, "from"), cli_opt_or_empty(argc, argv, "to"),
				 cli_opt(argc, argv, "now"), d, &e) == 0) {
		rc = print_json(rescue_dashboard_json(d));
		rescue_dashboard_release(d);
	} else {
		cli_print_err(&e);
	}
	free(d);
	return rc;
}

int cmd_rescue(int argc, char **argv)
{
	static const char *const cmds[] = {
	    "stations", "station-add",	    "room-add",	 "intake", "show",	"list",
	    "test",	"isolation-change", "discharge", "patrol", "dashboard", NULL};
	int early = cli_subcommand(argc, argv, usage, cmds);
	if (early >= 0)
		return early;
	const char *sub = argv[1];
	argc--;
	argv++;
	struct actor sys;
	struct db *db;
	actor_system(&sys);
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 1;
	int rc;
	if (strcmp(sub, "stations") == 0)
		rc = do_stations(db, &sys);
	else if (strcmp(sub, "station-add") == 0)
		rc = do_station_add(db, &sys, argc, argv);
	else if (strcmp(sub, "room-add") == 0)
		rc = do_room_add(db, &sys, argc, argv);
	else if (strcmp(sub, "intake") == 0)
		rc = do_intake(db, &sys, argc, argv);
	else if (strcmp(sub, "show") == 0) {
		int64_t id = opt_id(argc, argv, "id");
		rc = id > 0 ? show(db, &sys, id, cli_flag(argc, argv, "unmask"),
				   cli_opt(argc, argv, "now"))
			    : (fprintf(stderr, "错误：缺少 --id N\n"), 2);
	} else if (strcmp(sub, "list") == 0)
		rc = do_list(db, &sys, argc, argv);
	else if (strcmp(sub, "test") == 0)
		rc = do_test(db, &sys, argc, argv);
	else if (strcmp(sub, "isolation-change") == 0)
		rc = do_isolation_change(db, &sys, argc, argv);
	else if (strcmp(sub, "discharge") == 0)
		rc = do_discharge(db, &sys, argc, argv);
	else if (strcmp(sub, "patrol") == 0)
		rc = do_patrol(db, &sys, argc, argv);
	else
		rc = do_dashboard(db, &sys, argc, argv);
	db_close(db);
	return rc;
}
