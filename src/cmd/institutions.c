/* institutions.c (cmd) — `minzheng institutions list|add|attach|report|calls|alerts|dashboard`
 * and `minzheng report institutions`: the institutions module (src/institutions/) from the
 * command line, as the system actor (the whole city). This file parses options and prints; the
 * rules, checks and audit rows are the module's, exactly as for the API. --at (a time of day in
 * Asia/Shanghai) lets scripts and tests say when a report is filed or a list is looked at. */
#include "cmd/commands.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "core/actor.h"
#include "institutions/institutions.h"

static const char usage[] =
    "用法：\n"
    "  minzheng institutions list --db PATH [--county CODE] [--type TYPE] [--date YYYY-MM-DD]\n"
    "      机构名录及当日报送状态：编号 类型 区划 管理单位 名称 在院 工作人员 状态。\n"
    "  minzheng institutions add --db PATH --name NAME --type TYPE --region CODE\n"
    "      [--address A] [--capacity N] [--residents N] [--staff N] [--contact-name N]\n"
    "      [--contact-phone P] [--opened YYYY-MM-DD] [--closed YYYY-MM-DD]\n"
    "      [--closed-management-from YYYY-MM-DD] [--closed-management-to YYYY-MM-DD]\n"
    "      登记机构；TYPE 为 elderly_home children_welfare_home rescue_station funeral_home\n"
    "      marriage_office lottery_outlet other。输出新机构的编号。\n"
    "  minzheng institutions attach --db PATH --institution ID --username U\n"
    "      把填报员账号（须有 institution.report 权限）关联到机构（每个账号只属于一个机构）。\n"
    "  minzheng institutions report --db PATH --institution ID [--date YYYY-MM-DD]\n"
    "      (--zero | --residents-present N --staff-on-site N --admissions N --departures N\n"
    "       --temperature-checks N --fever N --suspected N --confirmed N --isolated N\n"
    "       --deaths N [--goods-days N]) [--note TEXT] [--reason TEXT] [--at TIME]\n"
    "      代机构报送当日日报或零报告（零报告沿用上次报告的人数）；已报送的须给 --reason 更正。\n"
    "      TIME 形如 2020-03-01T09:30:00+08:00，缺省为现在。\n"
    "  minzheng institutions calls --db PATH [--date YYYY-MM-DD] [--county CODE] [--at TIME]\n"
    "      当日未报名单（催报名单）：逾期在前。\n"
    "  minzheng institutions alerts --db PATH [--status open|acknowledged|closed|active]\n"
    "  minzheng institutions dashboard --db PATH [--date YYYY-MM-DD] [--at TIME]\n"
    "      当日各县区应报、已报、按时、零报告、迟报、未报，预警，封闭管理人数。\n"
    "  minzheng report institutions --db PATH --from YYYY-MM-DD --to YYYY-MM-DD\n"
    "      [--county CODE] [--format json]\n"
    "      期间统计（JSON）：institutions.<类型>.{count,residents,staff,infections}，\n"
    "      reports.{expected,received,on_time,zero,…}；口径见 docs/institutions.md。\n"
    "\n"
    "usage:\n"
    "  minzheng institutions list|add|attach|report|calls|alerts|dashboard --db PATH …\n"
    "      The registry with each institution's state for a day; register one; attach a\n"
    "      reporter account; file a daily or zero report on an institution's behalf (--at sets\n"
    "      the filing time); the call list of non-reporters; alerts; the day's dashboard.\n"
    "  minzheng report institutions --db PATH --from DATE --to DATE [--county CODE]\n"
    "      The period report as JSON: institutions.<type>.{count,residents,staff,infections}\n"
    "      and reports.{expected,received,on_time,zero,late,missing,…}.\n"
    "\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

static int parse_int(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || !*s || *end)
		return -1;
	*out = v;
	return 0;
}

/* Open the database as the system actor; 0 or -1 (printed). */
static int open_sys(int argc, char **argv, struct db **db, struct actor *sys)
{
	actor_system(sys);
	return cli_open_db(cli_opt(argc, argv, "db"), db);
}

static int fail(struct db *db, const struct err *e)
{
	cli_print_err(e);
	db_close(db);
	return 1;
}

/* ---- list ---- */

static int print_row(const struct institutions_row *r, void *ctx)
{
	(void)ctx;
	printf("%" PRId64 "\t%s\t%s\t%s\t%s\t%" PRId64 "\t%" PRId64 "\t%s%s\n", r->inst.id,
	       r->inst.type, r->inst.region_code, r->inst.unit_code, r->inst.name, r->inst.residents,
	       r->inst.staff, r->day_status, r->kind[0] && strcmp(r->kind, "zero") == 0 ? "(zero)" : "");
	return 0;
}

static int do_list(int argc, char **argv)
{
	struct db *db;
	struct actor sys;
	struct err e;
	struct institutions_filter f;
	memset(&f, 0, sizeof f);
	snprintf(f.unit, sizeof f.unit, "%s", cli_opt_or_empty(argc, argv, "county"));
	snprintf(f.type, sizeof f.type, "%s", cli_opt_or_empty(argc, argv, "type"));
	snprintf(f.date, sizeof f.date, "%s", cli_opt_or_empty(argc, argv, "date"));
	f.at = cli_opt(argc, argv, "at");
	if (open_sys(argc, argv, &db, &sys) < 0)
		return 1;
	if (institutions_list(db, &sys, &f, print_row, NULL, &e) < 0)
		return fail(db, &e);
	db_close(db);
	return 0;
}

/* ---- add ---- */

static int do_add(int argc, char **argv)
{
	struct institution_in *in = calloc(1, sizeof *in);
	struct db *db;
	struct actor sys;
	struct err e;
	int64_t id;
	if (!in)
		return 1;
	struct {
		const char *opt;
		char *buf;
		size_t n;
		uint32_t bit;
	} strs[] = {
		{"name", in->name, sizeof in->name, INST_HAS_NAME},
		{"type", in->type, sizeof in->type, INST_HAS_TYPE},
		{"region", in->region_code, sizeof in->region_code, INST_HAS_REGION},
		{"address", in->address, sizeof in->address, INST_HAS_ADDRESS},
		{"contact-name", in->contact_name, sizeof in->contact_name, INST_HAS_CONTACT_NAME},
		{"contact-phone", in->contact_phone, sizeof in->contact_phone, INST_HAS_CONTACT_PHONE},
		{"opened", in->opened_on, sizeof in->opened_on, INST_HAS_OPENED},
		{"closed", in->closed_on, sizeof in->closed_on, INST_HAS_CLOSED},
		{"closed-management-from", in->cm_from, sizeof in->cm_from, INST_HAS_CM_FROM},
		{"closed-management-to", in->cm_to, sizeof in->cm_to, INST_HAS_CM_TO},
	};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		const char *v = cli_opt(argc, argv, strs[i].opt);
		if (!v)
			continue;
		snprintf(strs[i].buf, strs[i].n, "%s", v);
		in->has |= strs[i].bit;
	}
	struct {
		const char *opt;
		int64_t *v;
		uint32_t bit;
	} ints[] = {
		{"capacity", &in->capacity, INST_HAS_CAPACITY},
		{"residents", &in->residents, INST_HAS_RESIDENTS},
		{"staff", &in->staff, INST_HAS_STAFF},
	};
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		const char *v = cli_opt(argc, argv, ints[i].opt);
		if (!v)
			continue;
		if (parse_int(v, ints[i].v) < 0) {
			fprintf(stderr, "错误：--%s 应为整数：%s\n", ints[i].opt, v);
			free(in);
			return 2;
		}
		in->has |= ints[i].bit;
	}
	if (open_sys(argc, argv, &db, &sys) < 0) {
		free(in);
		return 1;
	}
	int rc = institutions_create(db, &sys, in, &id, &e);
	free(in);
	if (rc < 0)
		return fail(db, &e);
	printf("%" PRId64 "\n", id);
	db_close(db);
	return 0;
}

/* ---- attach ---- */

static int do_attach(int argc, char **argv)
{
	struct db *db;
	struct actor sys;
	struct err e;
	int64_t id;
	const char *username = cli_opt(argc, argv, "username");
	if (parse_int(cli_opt_or_empty(argc, argv, "institution"), &id) < 0 || !username) {
		fprintf(stderr, "错误：需要 --institution ID 和 --username U\n");
		return 2;
	}
	if (open_sys(argc, argv, &db, &sys) < 0)
		return 1;
	if (institutions_attach(db, &sys, id, username, &e) < 0)
		return fail(db, &e);
	printf("已关联 / attached: %s → %" PRId64 "\n", username, id);
	db_close(db);
	return 0;
}

/* ---- report ---- */

static int do_report(int argc, char **argv)
{
	struct institutions_report_in *in = calloc(1, sizeof *in);
	struct institutions_file_result *res = calloc(1, sizeof *res);
	struct db *db = NULL;
	struct actor sys;
	struct err e;
	int64_t id;
	int rc = 2;
	if (!in || !res)
		goto out;
	if (parse_int(cli_opt_or_empty(argc, argv, "institution"), &id) < 0) {
		fprintf(stderr, "错误：需要 --institution ID\n");
		goto out;
	}
	snprintf(in->report_date, sizeof in->report_date, "%s", cli_opt_or_empty(argc, argv, "date"));
	snprintf(in->kind, sizeof in->kind, "%s", cli_flag(argc, argv, "zero") ? "zero" : "daily");
	snprintf(in->note, sizeof in->note, "%s", cli_opt_or_empty(argc, argv, "note"));
	snprintf(in->reason, sizeof in->reason, "%s", cli_opt_or_empty(argc, argv, "reason"));
	in->at = cli_opt(argc, argv, "at");
	for (int f = 0; f < INSTITUTIONS_NFIELDS; f++) {
		char name[40];
		snprintf(name, sizeof name, "%s", institutions_field_names[f]);
		for (char *c = name; *c; c++)
			if (*c == '_')
				*c = '-';
		const char *v = cli_opt(argc, argv, name);
		if (!v)
			continue;
		if (parse_int(v, &in->v[f]) < 0) {
			fprintf(stderr, "错误：--%s 应为整数：%s\n", name, v);
			goto out;
		}
		in->present |= 1u << f;
	}
	rc = 1;
	if (open_sys(argc, argv, &db, &sys) < 0)
		goto out;
	if (!in->report_date[0]) {
		char now[32];
		institutions_now(in->at, now);
		snprintf(in->report_date, sizeof in->report_date, "%.10s", now);
	}
	if (institutions_report_file(db, &sys, id, in, res, &e) < 0) {
		cli_print_err(&e);
		goto out;
	}
	const struct institutions_report *r = &res->report;
	printf("%s\treport=%" PRId64 "\t%s\t%s\tversion=%d\t%s\tdeadline=%s\n",
	       res->created ? "已报送 / filed" : "已更正 / corrected", r->id, r->report_date, r->kind,
	       r->version, r->on_time ? "on_time" : "late", r->deadline_at);
	for (int i = 0; i < res->n_alerts; i++)
		printf("预警 / alert\t%" PRId64 "\t%s\n", res->alert_id[i], res->alert_kind[i]);
	rc = 0;
out:
	if (db)
		db_close(db);
	free(in);
	free(res);
	return rc;
}

/* ---- calls ---- */

static int print_call(const struct institutions_call *c, void *ctx)
{
	(void)ctx;
	printf("%" PRId64 "\t%s\t%s\t%s\t%s\t%s\t%s\tchases=%d%s\n", c->inst.id, c->status,
	       c->deadline_at, c->inst.unit_code, c->inst.name, c->inst.contact_name,
	       c->inst.contact_phone, c->chases, c->escalated ? "\tescalated" : "");
	return 0;
}

static int do_calls(int argc, char **argv)
{
	struct db *db;
	struct actor sys;
	struct err e;
	if (open_sys(argc, argv, &db, &sys) < 0)
		return 1;
	if (institutions_calls(db, &sys, cli_opt_or_empty(argc, argv, "date"), cli_opt_or_empty(argc, argv, "county"), 0,
			       cli_opt(argc, argv, "at"), print_call, NULL, &e) < 0)
		return fail(db, &e);
	db_close(db);
	return 0;
}

/* ---- alerts ---- */

static int print_alert(const struct institutions_alert *a, void *ctx)
{
	(void)ctx;
	printf("%" PRId64 "\t%s\t%s\t%s\t%s\t%s\t%s\n", a->id, a->report_date, a->kind, a->status,
	       a->unit_code, a->institution_name, a->summary);
	return 0;
}

static int do_alerts(int argc, char **argv)
{
	struct db *db;
	struct actor sys;
	struct err e;
	struct institutions_alert_filter f;
	memset(&f, 0, sizeof f);
	snprintf(f.status, sizeof f.status, "%s", cli_opt_or_empty(argc, argv, "status"));
	snprintf(f.unit, sizeof f.unit, "%s", cli_opt_or_empty(argc, argv, "county"));
	if (open_sys(argc, argv, &db, &sys) < 0)
		return 1;
	if (institutions_alerts_list(db, &sys, &f, print_alert, NULL, &e) < 0)
		return fail(db, &e);
	db_close(db);
	return 0;
}

/* ---- dashboard ---- */

static void pct(int64_t bp, char out[16])
{
	if (bp < 0)
		snprintf(out, 16, "—");
	else
		snprintf(out, 16, "%" PRId64 ".%02" PRId64 "%%", bp / 100, bp % 100);
}

static void print_unit_day(const struct institutions_unit_day *u, const char *code,
			   const char *name)
{
	char c[16], t[16];
	pct(institutions_rate_bp(u->t.received, u->t.expected), c);
	pct(institutions_rate_bp(u->t.on_time, u->t.expected), t);
	printf("%s\t%s\texpected=%" PRId64 "\treceived=%" PRId64 "\ton_time=%" PRId64
	       "\tzero=%" PRId64 "\tlate=%" PRId64 "\tmissing=%" PRId64 "\toverdue=%" PRId64
	       "\tcompleteness=%s\ttimeliness=%s\n",
	       code, name, u->t.expected, u->t.received, u->t.on_time, u->t.zero,
	       u->t.received - u->t.on_time, u->t.expected - u->t.received, u->overdue, c, t);
}

static int do_dashboard(int argc, char **argv)
{
	struct db *db;
	struct actor sys;
	struct err e;
	struct institutions_dashboard *d = malloc(sizeof *d);
	if (!d)
		return 1;
	if (open_sys(argc, argv, &db, &sys) < 0) {
		free(d);
		return 1;
	}
	if (institutions_dashboard(db, &sys, cli_opt_or_empty(argc, argv, "date"), 7, cli_opt(argc, argv, "at"), d,
				   &e) < 0) {
		free(d);
		return fail(db, &e);
	}
	printf("%s（%s）\n", d->date, d->now);
	for (int i = 0; i < d->nunits; i++)
		print_unit_day(&d->units[i], d->units[i].code, d->units[i].name);
	print_unit_day(&d->total, "total", "合计");
	printf("alerts\topen=%" PRId64 "\tacknowledged=%" PRId64 "\n", d->alerts_open,
	       d->alerts_acknowledged);
	printf("closed_management\tinstitutions=%" PRId64 "\tresidents=%" PRId64 "\tstaff=%" PRId64
	       "\n",
	       d->cm_total.institutions, d->cm_total.residents, d->cm_total.staff);
	free(d);
	db_close(db);
	return 0;
}

int cmd_institutions(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} subs[] = {
		{"list", do_list},     {"add", do_add},     {"attach", do_attach},
		{"report", do_report}, {"calls", do_calls}, {"alerts", do_alerts},
		{"dashboard", do_dashboard},
	};
	if (cli_flag(argc, argv, "help") || cli_flag(argc, argv, "h") ||
	    (argc >= 2 && strcmp(argv[1], "help") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	for (size_t i = 0; argc >= 2 && i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].fn(argc - 1, argv + 1);
	fputs(usage, stderr);
	return 2;
}

/* `minzheng report institutions` (argv[0] = "institutions"). */
int cmd_report_institutions(int argc, char **argv)
{
	const char *from = cli_opt(argc, argv, "from"), *to = cli_opt(argc, argv, "to");
	const char *format = cli_opt(argc, argv, "format");
	struct db *db;
	struct actor sys;
	struct err e;
	if (cli_flag(argc, argv, "help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!from || !to) {
		fprintf(stderr, "错误：需要 --from YYYY-MM-DD 和 --to YYYY-MM-DD\n\n%s", usage);
		return 2;
	}
	if (format && strcmp(format, "json") != 0) {
		fprintf(stderr, "错误：--format 只支持 json\n");
		return 2;
	}
	struct institutions_period *p = malloc(sizeof *p);
	if (!p)
		return 1;
	if (open_sys(argc, argv, &db, &sys) < 0) {
		free(p);
		return 1;
	}
	int rc = institutions_period_report(db, &sys, from, to, cli_opt_or_empty(argc, argv, "county"), p, &e);
	if (rc < 0) {
		free(p);
		return fail(db, &e);
	}
	json_t *j = institutions_period_json(p);
	char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	free(p);
	db_close(db);
	if (!text) {
		fprintf(stderr, "错误：内存不足\n");
		return 1;
	}
	printf("%s\n", text);
	free(text);
	return 0;
}
