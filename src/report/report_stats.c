/* report_stats.c — the bureau's statistics report (统计报表): every figure of the published table
 * (DOMAIN.md, "The published figures") that the modules record, for the city and per management
 * unit, computed each time from the individual records through the modules' own functions:
 * report_assistance (低保, 特困, price subsidy, temporary assistance), institutions_period_report
 * (institutions by type, residents, staff, infections, report completeness),
 * inspections_team_list, rescue_dashboard_get, hotline_overview and ledger_stats_get. Figures
 * whose modules do not exist yet are "not yet recorded" (unknown, JSON null), never invented;
 * a section the caller has no permission for is unknown too.
 *
 * The figures are one flat table of items (report_stats_items): the JSON, the HTML (A4 print)
 * and the Excel forms all walk it, so they always agree. */
#include "report/report.h"
#include "report/report_stats_fill.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "accounts/accounts.h"
#include "core/strbuf.h"
#include "hotline/hotline.h"
#include "inspections/inspections.h"
#include "institutions/institutions.h"
#include "ledger/ledger.h"
#include "payroll/payroll.h"
#include "rescue/rescue.h"

#define FEN RS_FEN
#define CNT RS_COUNT
#define BP RS_BP

static const struct report_stats_item items[RS_NITEMS] = {
    [RS_UNITS] = {"county_units", "概况", "县级单位", "个", CNT, "regions", 1},
    [RS_DIBAO_PERSONS] = {"dibao_persons", "社会救助", "低保人数", "人", CNT, "assistance", 0},
    [RS_DIBAO_FEN] = {"dibao_amount_fen", "社会救助", "低保金额", "元", FEN, "assistance", 0},
    [RS_TEKUN_PERSONS] = {"tekun_persons", "社会救助", "特困人数", "人", CNT, "assistance", 0},
    [RS_TEKUN_FEN] = {"tekun_amount_fen", "社会救助", "特困金额", "元", FEN, "assistance", 0},
    [RS_DIBAO_TEKUN_FEN] = {"dibao_tekun_amount_fen", "社会救助", "低保、特困合计金额", "元", FEN,
			    "assistance", 0},
    [RS_RELIEF_TIMES] = {"temp_relief_person_times", "社会救助", "临时救助人次", "人次", CNT,
			 "relief", 0},
    [RS_RELIEF_FEN] = {"temp_relief_amount_fen", "社会救助", "临时救助金额", "元", FEN, "relief",
		       0},
    [RS_PRICE_PERSONS] = {"price_subsidy_persons", "社会救助", "价格临时补贴人数", "人", CNT,
			  "price", 0},
    [RS_PRICE_FEN] = {"price_subsidy_amount_fen", "社会救助", "价格临时补贴金额", "元", FEN,
		      "price", 0},
    [RS_ELDERLY_HOMES] = {"elderly_homes", "服务机构", "养老机构", "家", CNT, "institutions", 0},
    [RS_ELDERLY_RESIDENTS] = {"elderly_residents", "服务机构", "养老机构在院老人", "人", CNT,
			      "institutions", 0},
    [RS_ELDERLY_STAFF] = {"elderly_staff", "服务机构", "养老机构工作人员", "人", CNT,
			  "institutions", 0},
    [RS_ELDERLY_INFECTIONS] = {"elderly_infections", "服务机构", "养老机构感染", "人", CNT,
			       "institutions", 0},
    [RS_CHILD_STAFF] = {"children_home_staff_on_site", "服务机构", "儿童福利院在岗工作人员", "人",
			CNT, "institutions", 0},
    [RS_CHILD_CHILDREN] = {"children_home_children", "服务机构", "儿童福利院在院儿童", "人", CNT,
			   "institutions", 0},
    [RS_FUNERAL_HOMES] = {"funeral.homes", "服务机构", "殡仪馆", "家", CNT, "institutions", 0},
    [RS_RESCUE_STATIONS] = {"rescue_stations", "服务机构", "救助管理站", "家", CNT, "institutions",
			    0},
    [RS_MARRIAGE_OFFICES] = {"marriage.offices", "服务机构", "婚姻登记机关", "家", CNT,
			     "institutions", 0},
    [RS_LOTTERY_OUTLETS] = {"lottery_outlets", "服务机构", "福利彩票销售网点", "家", CNT,
			    "institutions", 0},
    [RS_INST_INFECTIONS] = {"institution_infections", "服务机构", "各类机构感染合计", "人", CNT,
			    "institutions", 0},
    [RS_REPORTS_EXPECTED] = {"reports_expected", "服务机构", "应报日报告", "份", CNT,
			     "institutions", 0},
    [RS_REPORTS_RECEIVED] = {"reports_received", "服务机构", "已收日报告", "份", CNT,
			     "institutions", 0},
    [RS_REPORTS_BP] = {"reports_completeness_bp", "服务机构", "日报告完整率", "%", BP,
		       "institutions", 0},
    [RS_INSPECTION_TEAMS] = {"inspection_teams", "督导检查", "督导组", "个", CNT, "inspections", 0},
    [RS_RESCUE_ARRIVALS] = {"rescue_arrivals", "救助管理", "救助站到站人数", "人次", CNT, "rescue",
			    0},
    [RS_RESCUE_ISOLATED] = {"rescue_isolated", "救助管理", "其中隔离观察", "人次", CNT, "rescue",
			    0},
    [RS_HOTLINE_CALLS] = {"hotline_calls", "热线", "热线来电", "次", CNT, "hotline", 0},
    [RS_HOTLINE_CASES] = {"hotline_cases", "热线", "热线立案", "件", CNT, "hotline", 0},
    [RS_LEDGER_ENTRIES] = {"ledger_entries", "特殊困难群众", "台账在册人数", "人", CNT, "ledger",
			   0},
    [RS_LEDGER_VISITS] = {"ledger_visits", "特殊困难群众", "走访次数", "次", CNT, "ledger", 0},
    [RS_LEDGER_OVERDUE] = {"ledger_overdue", "特殊困难群众", "逾期未走访", "人", CNT, "ledger", 0},
    [RS_FUNERAL_BODIES] = {"funeral.bodies", "殡葬服务", "接运火化遗体", "具", CNT, "funeral", 0},
    [RS_FUNERAL_COVID] = {"funeral.covid_bodies", "殡葬服务", "其中新冠肺炎确诊、疑似", "具", CNT,
			  "funeral", 0},
    [RS_FUNERAL_GATHERINGS] = {"funeral.gatherings", "殡葬服务", "举办告别仪式", "场", CNT,
			       "funeral", 0},
    [RS_XC_MATCHED] = {"crosscheck.matched", "死亡比对", "比对死亡人员", "人", CNT, "crosscheck",
		       0},
    [RS_XC_OVERPAYMENTS] = {"crosscheck.overpayments", "死亡比对", "死亡后多发", "笔", CNT,
			    "crosscheck", 0},
    [RS_XC_OVERPAID_FEN] = {"crosscheck.overpaid_fen", "死亡比对", "死亡后多发金额", "元", FEN,
			    "crosscheck", 0},
    [RS_MARRIAGE_BOOKED] = {"marriage.booked", "婚姻登记", "预约", "对", CNT, "marriage", 0},
    [RS_MARRIAGE_REGISTERED] = {"marriage.registered", "婚姻登记", "办理登记", "对", CNT,
				"marriage", 0},
    [RS_MARRIAGE_NO_SHOW] = {"marriage.no_show", "婚姻登记", "预约未到", "对", CNT, "marriage",
			     0},
    [RS_MASKS] = {"goods.masks", "物资", "发放口罩", "个", CNT, "goods", 0},
    [RS_SUITS] = {"goods.protective_suits", "物资", "发放防护服", "套", CNT, "goods", 0},
    [RS_DISINFECTANT] = {"goods.disinfectant_kg", "物资", "发放消毒液", "千克", CNT, "goods", 0},
    [RS_ALCOHOL] = {"goods.alcohol_kg", "物资", "发放酒精", "千克", CNT, "goods", 0},
    [RS_OTHER_GOODS] = {"goods.other_items", "物资", "其他物资", "件", CNT, "goods", 0},
    [RS_CHARITY_RAISED] = {"charity.raised_fen", "慈善", "慈善募集", "元", FEN, "charity", 0},
    [RS_CHARITY_USED] = {"charity.used_fen", "慈善", "慈善使用", "元", FEN, "charity", 0},
    [RS_DONATIONS] = {"charity.staff_donations_fen", "慈善", "干部职工捐款", "元", FEN, "charity",
		      0},
    [RS_SOCORG_ENGAGED] = {"organisations.engaged", "社会力量", "参与社会组织", "个", CNT, "orgs",
			   0},
    [RS_SOCORG_MOBILISING] = {"organisations.mobilising", "社会力量", "发动志愿者的社会组织", "个",
			      CNT, "orgs", 0},
    [RS_VOLUNTEERS] = {"organisations.volunteers", "社会力量", "志愿者", "人", CNT, "orgs", 0},
    [RS_DISINFECTION_KM2] = {"organisations.disinfected_km2", "社会力量", "消杀面积", "平方千米",
			     CNT, "orgs", 0},
    [RS_SCREENED] = {"organisations.households_screened", "社会力量", "排查住户", "户", CNT, "orgs",
		     0},
    [RS_STAFF_SECONDED] = {"staff.seconded", "干部", "抽调督导干部", "人", CNT, "staff", 0},
    [RS_STAFF_FRONTLINE] = {"staff.front_line", "干部", "下沉一线干部", "人", CNT, "staff", 0},
    [RS_DOCUMENTS] = {"documents.issued", "政策文件", "下发疫情防控政策文件", "件", CNT,
		      "documents", 0},
    [RS_LOTTERY_OPEN] = {"lottery.outlets_open", "服务机构", "已复业福彩销售网点", "家", CNT,
			 "lottery", 0},
};

const struct report_stats_item *report_stats_items(void)
{
	return items;
}

/* ================================================================ computing */

static int valid_date(const char *s)
{
	return s && strlen(s) == 10 && institutions_date_valid(s);
}

static void institutions_fill(struct report_stats_figures *f, const struct institutions_period *p)
{
	int n;
	const struct institutions_type *t = institutions_types(&n);
	int64_t infections = 0;
	for (int i = 0; i < n; i++) {
		const struct institutions_period_type *pt = &p->types[i];
		infections += pt->infections;
		if (strcmp(t[i].code, "elderly_home") == 0) {
			rs_set(f, RS_ELDERLY_HOMES, pt->count);
			rs_set(f, RS_ELDERLY_RESIDENTS, pt->residents);
			rs_set(f, RS_ELDERLY_STAFF, pt->staff);
			rs_set(f, RS_ELDERLY_INFECTIONS, pt->infections);
		} else if (strcmp(t[i].code, "children_welfare_home") == 0) {
			rs_set(f, RS_CHILD_STAFF, pt->staff);
			rs_set(f, RS_CHILD_CHILDREN, pt->residents);
		} else if (strcmp(t[i].code, "funeral_home") == 0) {
			rs_set(f, RS_FUNERAL_HOMES, pt->count);
		} else if (strcmp(t[i].code, "rescue_station") == 0) {
			rs_set(f, RS_RESCUE_STATIONS, pt->count);
		} else if (strcmp(t[i].code, "marriage_office") == 0) {
			rs_set(f, RS_MARRIAGE_OFFICES, pt->count);
		} else if (strcmp(t[i].code, "lottery_outlet") == 0) {
			rs_set(f, RS_LOTTERY_OUTLETS, pt->count);
		}
	}
	rs_set(f, RS_INST_INFECTIONS, infections);
	rs_set(f, RS_REPORTS_EXPECTED, p->reports.expected);
	rs_set(f, RS_REPORTS_RECEIVED, p->reports.received);
	int64_t bp = institutions_rate_bp(p->reports.received, p->reports.expected);
	if (bp >= 0)
		rs_set(f, RS_REPORTS_BP, bp);
}

static void assistance_fill(struct report_stats_figures *f, const struct report_assistance *r,
			    int unit)
{
	const struct report_cell *d = report_cell_at(r, unit, r->nmonths, 0);
	const struct report_cell *t = report_cell_at(r, unit, r->nmonths, 1);
	const struct report_cell *p = report_cell_at(r, unit, r->nmonths, REPORT_PRICE);
	const struct report_relief_cell *rl = report_relief_at(r, unit, r->nmonths);
	rs_set(f, RS_DIBAO_PERSONS, d->persons);
	rs_set(f, RS_DIBAO_FEN, d->amount_fen);
	rs_set(f, RS_TEKUN_PERSONS, t->persons);
	rs_set(f, RS_TEKUN_FEN, t->amount_fen);
	rs_set(f, RS_DIBAO_TEKUN_FEN, d->amount_fen + t->amount_fen);
	rs_set(f, RS_PRICE_PERSONS, p->persons);
	rs_set(f, RS_PRICE_FEN, p->amount_fen);
	rs_set(f, RS_RELIEF_TIMES, rl->person_times);
	rs_set(f, RS_RELIEF_FEN, rl->amount_fen);
}

static int rescue_fill(struct db *db, const struct actor *a, struct report_stats *s, struct err *e)
{
	struct rescue_dashboard d;
	memset(&d, 0, sizeof d);
	if (rescue_dashboard_get(db, a, 0, s->from, s->to, NULL, &d, e) < 0)
		return -1;
	if (!s->county[0]) {
		rs_set(&s->city, RS_RESCUE_ARRIVALS, d.arrivals);
		rs_set(&s->city, RS_RESCUE_ISOLATED, d.isolated);
	}
	rescue_dashboard_release(&d);
	struct rescue_station_list l = {0};
	if (rescue_station_list(db, a, &l, e) < 0)
		return -1;
	int rc = 0;
	for (int u = 0; u < s->nunits; u++) {
		rs_set(&s->units[u], RS_RESCUE_ARRIVALS, 0);
		rs_set(&s->units[u], RS_RESCUE_ISOLATED, 0);
	}
	for (int i = 0; i < l.n && rc == 0; i++) {
		const struct rescue_station *st = &l.items[i];
		int u = 0;
		while (u < s->nunits && !rs_under(st->region_code, s->units[u].code))
			u++;
		if (u == s->nunits)
			continue; /* the city's own station: in the city's figure only */
		memset(&d, 0, sizeof d);
		rc = rescue_dashboard_get(db, a, st->id, s->from, s->to, NULL, &d, e);
		if (rc == 0) {
			rs_add(&s->units[u], RS_RESCUE_ARRIVALS, d.arrivals);
			rs_add(&s->units[u], RS_RESCUE_ISOLATED, d.isolated);
			if (s->county[0]) {
				rs_add(&s->city, RS_RESCUE_ARRIVALS, d.arrivals);
				rs_add(&s->city, RS_RESCUE_ISOLATED, d.isolated);
			}
		}
		rescue_dashboard_release(&d);
	}
	rescue_station_list_release(&l);
	return rc;
}

static int hotline_fill(struct db *db, const struct actor *a, struct report_stats *s, struct err *e)
{
	struct hotline_overview_row *rows = NULL;
	int n = 0;
	if (hotline_overview(db, a, s->from, s->to, &rows, &n, e) < 0)
		return -1;
	for (int u = 0; u < s->nunits; u++) {
		rs_set(&s->units[u], RS_HOTLINE_CALLS, 0);
		rs_set(&s->units[u], RS_HOTLINE_CASES, 0);
	}
	rs_set(&s->city, RS_HOTLINE_CALLS, 0);
	rs_set(&s->city, RS_HOTLINE_CASES, 0);
	for (int i = 0; i < n; i++) {
		int in_unit = 0;
		for (int u = 0; u < s->nunits; u++)
			if (rs_under(rows[i].region_code, s->units[u].code)) {
				rs_add(&s->units[u], RS_HOTLINE_CALLS, rows[i].calls);
				rs_add(&s->units[u], RS_HOTLINE_CASES, rows[i].opened);
				in_unit = 1;
				break;
			}
		if (in_unit || !s->county[0]) {
			rs_add(&s->city, RS_HOTLINE_CALLS, rows[i].calls);
			rs_add(&s->city, RS_HOTLINE_CASES, rows[i].opened);
		}
	}
	free(rows);
	return 0;
}

static int ledger_fill(struct db *db, const struct actor *a, struct report_stats *s, struct err *e)
{
	for (int u = -1; u < s->nunits; u++) {
		if (u < 0 && s->county[0])
			continue; /* one county: its figures are the city's */
		struct ledger_stats l;
		memset(&l, 0, sizeof l);
		if (ledger_stats_get(db, a, s->months_from, s->months_to,
				     u < 0 ? "" : s->units[u].code, &l, e) < 0) {
			/* the ledger reads the region tree: a functional zone that only overlaps
			 * the caller's scope is not a region it can narrow to (its figures stay
			 * unknown) */
			if (e->status == 404 && u >= 0)
				continue;
			return -1;
		}
		struct report_stats_figures *f = u < 0 ? &s->city : &s->units[u];
		rs_set(f, RS_LEDGER_ENTRIES, l.total.entries);
		rs_set(f, RS_LEDGER_VISITS, l.total.visits);
		rs_set(f, RS_LEDGER_OVERDUE, l.total.overdue);
		if (u >= 0 && s->county[0]) {
			rs_set(&s->city, RS_LEDGER_ENTRIES, l.total.entries);
			rs_set(&s->city, RS_LEDGER_VISITS, l.total.visits);
			rs_set(&s->city, RS_LEDGER_OVERDUE, l.total.overdue);
		}
		ledger_stats_release(&l);
	}
	return 0;
}

static int inspections_fill(struct db *db, const struct actor *a, struct report_stats *s,
			    struct err *e)
{
	struct inspections_team *t = NULL;
	int n = 0;
	if (inspections_team_list(db, a, 0, &t, &n, e) < 0)
		return -1;
	int64_t city = 0;
	for (int u = 0; u < s->nunits; u++)
		rs_set(&s->units[u], RS_INSPECTION_TEAMS, 0);
	for (int i = 0; i < n; i++) {
		int any = 0;
		for (int u = 0; u < s->nunits; u++) {
			int covers = 0;
			for (int k = 0; k < t[i].n_areas && !covers; k++)
				covers = rs_under(t[i].areas[k], s->units[u].code) ||
					 rs_under(s->units[u].code, t[i].areas[k]);
			if (covers) {
				rs_add(&s->units[u], RS_INSPECTION_TEAMS, 1);
				any = 1;
			}
		}
		if (any || !s->county[0])
			city++;
	}
	rs_set(&s->city, RS_INSPECTION_TEAMS, city);
	free(t);
	return 0;
}

int report_stats(struct db *db, const struct actor *a, const char *from, const char *to,
		 const char *county, struct report_stats *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!from || !*from)
		return err_set(e, 400, "required", "from", "请填写开始日期（YYYY-MM-DD）");
	if (!to || !*to)
		return err_set(e, 400, "required", "to", "请填写结束日期（YYYY-MM-DD）");
	if (!valid_date(from))
		return err_set(e, 400, "invalid_value", "from",
			       "开始日期应为 YYYY-MM-DD 格式的有效日期");
	if (!valid_date(to))
		return err_set(e, 400, "invalid_value", "to",
			       "结束日期应为 YYYY-MM-DD 格式的有效日期");
	if (strcmp(from, to) > 0)
		return err_set(e, 400, "invalid_value", "to", "结束日期不能早于开始日期");
	if (institutions_day(to) - institutions_day(from) + 1 > 120)
		return err_set(e, 400, "invalid_value", "to", "统计期间最长 120 天");
	memcpy(out->from, from, 10);
	memcpy(out->to, to, 10);
	memcpy(out->months_from, from, 7);
	memcpy(out->months_to, to, 7);
	snprintf(out->county, sizeof out->county, "%s", county ? county : "");

	/* the assistance report first: it checks assistance.read and the county's scope (404) and
	 * lists the units */
	struct report_assistance r;
	if (report_assistance(db, a, out->months_from, out->months_to, out->county, &r, e) < 0)
		return -1;
	out->nunits = r.nunits;
	for (int u = 0; u < r.nunits; u++) {
		memcpy(out->units[u].code, r.units[u].code, sizeof out->units[u].code);
		memcpy(out->units[u].name, r.units[u].name, sizeof out->units[u].name);
		assistance_fill(&out->units[u], &r, u);
	}
	assistance_fill(&out->city, &r, r.nunits);
	report_assistance_release(&r);
	rs_set(&out->city, RS_UNITS, out->nunits);
	for (int u = 0; u < out->nunits; u++) {
		struct err ignore;
		if (accounts_resolve_scope(db, out->units[u].code, &out->unit_scope[u], &ignore) < 0) {
			/* not a known code: its own prefix */
			struct scope *us = &out->unit_scope[u];
			const char *code = out->units[u].code;
			size_t n = strnlen(code, sizeof us->prefix[0] - 1);
			memcpy(us->prefix[0], code, n);
			us->prefix[0][n] = '\0';
			us->n = 1;
		}
	}

	/* stats.read (the leader's role) reads every module's aggregate figures, in the caller's
	 * scope; only counts and sums leave this function, never a record */
	struct actor reader = *a;
	if (actor_can(a, PERM_STATS))
		reader.perms |= REPORT_STATS_READ_PERMS;
	const struct actor *rd = &reader;

	if (actor_can(rd, PERM_INSTITUTION_READ)) {
		struct institutions_period *p = malloc(sizeof *p);
		if (!p)
			return err_set(e, 500, "internal", NULL, "内存不足");
		int rc = 0;
		for (int u = -1; u < out->nunits && rc == 0; u++) {
			if (u < 0 && out->county[0])
				continue;
			rc = institutions_period_report(db, rd, from, to,
							u < 0 ? "" : out->units[u].code, p, e);
			if (rc == 0) {
				institutions_fill(u < 0 ? &out->city : &out->units[u], p);
				if (u >= 0 && out->county[0])
					institutions_fill(&out->city, p);
			}
		}
		free(p);
		if (rc < 0)
			return -1;
	}
	if (actor_can(rd, PERM_INSPECTION) && inspections_fill(db, rd, out, e) < 0)
		return -1;
	if (actor_can(rd, PERM_RESCUE) && rescue_fill(db, rd, out, e) < 0)
		return -1;
	if (actor_can(rd, PERM_HOTLINE) && hotline_fill(db, rd, out, e) < 0)
		return -1;
	if (actor_can(rd, PERM_LEDGER) && ledger_fill(db, rd, out, e) < 0)
		return -1;
	if (report_stats_fill_funeral(db, rd, out, e) < 0 ||
	    report_stats_fill_marriage(db, rd, out, e) < 0 ||
	    report_stats_fill_goods(db, rd, out, e) < 0 || report_stats_fill_orgs(db, rd, out, e) < 0)
		return -1;
	return 0;
}

/* ================================================================ JSON */

static json_t *figures_json(const struct report_stats_figures *f, int city)
{
	json_t *o = json_object();
	for (int i = 0; o && i < RS_NITEMS; i++) {
		if (items[i].city_only && !city)
			continue;
		json_object_set_new(o, items[i].key,
				    f->known[i] ? json_integer(f->v[i]) : json_null());
	}
	return o;
}

json_t *report_stats_json(const struct report_stats *s)
{
	json_t *items_j = json_array(), *nr = json_array(), *counties = json_object();
	for (int i = 0; i < RS_NITEMS; i++) {
		const struct report_stats_item *it = &items[i];
		json_array_append_new(
		    items_j,
		    json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "key", it->key, "section", it->section,
			      "label", it->label, "unit", it->unit, "kind",
			      it->kind == RS_FEN  ? "fen"
			      : it->kind == RS_BP ? "bp"
						  : "count",
			      "source", it->source ? json_string(it->source) : json_null()));
		if (!it->source)
			json_array_append_new(nr, json_string(it->key));
	}
	for (int u = 0; u < s->nunits; u++) {
		json_t *c = figures_json(&s->units[u], 0);
		json_object_set_new(c, "name", json_string(s->units[u].name));
		json_object_set_new(counties, s->units[u].code, c);
	}
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "from", s->from, "to", s->to,
			 "county", s->county, "months_from", s->months_from, "months_to",
			 s->months_to, "city", figures_json(&s->city, 1), "counties", counties,
			 "items", items_j, "not_recorded", nr);
}

/* ================================================================ HTML (A4) */

static void value_text(const struct report_stats_figures *f, int i, char *buf, size_t n)
{
	if (!f->known[i]) {
		snprintf(buf, n, "%s", items[i].source ? "无权查看" : "尚未记录");
		return;
	}
	int64_t v = f->v[i];
	if (items[i].kind == RS_FEN)
		snprintf(buf, n, "%s%" PRId64 ".%02" PRId64, v < 0 ? "-" : "",
			 (v < 0 ? -v : v) / 100, (v < 0 ? -v : v) % 100);
	else if (items[i].kind == RS_BP)
		snprintf(buf, n, "%" PRId64 ".%02" PRId64, v / 100, v % 100);
	else
		snprintf(buf, n, "%" PRId64, v);
}

static void esc(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			strbuf_addstr(sb, "&lt;");
		else if (*s == '>')
			strbuf_addstr(sb, "&gt;");
		else if (*s == '&')
			strbuf_addstr(sb, "&amp;");
		else if (*s == '"')
			strbuf_addstr(sb, "&quot;");
		else
			strbuf_addch(sb, *s);
	}
}

static const char css[] =
    "@page{size:A4;margin:15mm 12mm}"
    "body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif;"
    "font-size:10.5pt;color:#000;margin:0 auto;max-width:190mm}"
    "h1{font-size:16pt;text-align:center;margin:0 0 4mm}"
    "h2{font-size:12.5pt;margin:6mm 0 2mm;page-break-after:avoid;break-after:avoid}"
    "p.meta{text-align:center;margin:0 0 4mm}"
    "table{border-collapse:collapse;width:100%;margin-bottom:4mm}"
    "thead{display:table-header-group}"
    "tr{page-break-inside:avoid;break-inside:avoid}"
    "th,td{border:0.5pt solid #000;padding:1mm 1.5mm}"
    "th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "td.nr{color:#666;text-align:center}"
    "section.unit{page-break-before:always;break-before:page}"
    "@media print{body{max-width:none}}";

static void html_table(struct strbuf *sb, const struct report_stats_figures *f, int city)
{
	strbuf_addstr(sb, "<table><thead><tr><th>类别</th><th>项目</th><th>单位</th><th>数值</th>"
			  "</tr></thead><tbody>\n");
	for (int i = 0; i < RS_NITEMS; i++) {
		if (items[i].city_only && !city)
			continue;
		char v[48];
		value_text(f, i, v, sizeof v);
		strbuf_addstr(sb, "<tr><td>");
		esc(sb, items[i].section);
		strbuf_addstr(sb, "</td><td>");
		esc(sb, items[i].label);
		strbuf_addstr(sb, "</td><td>");
		esc(sb, items[i].unit);
		strbuf_addf(sb, "</td><td class=\"%s\">%s</td></tr>\n", f->known[i] ? "n" : "nr",
			    v);
	}
	strbuf_addstr(sb, "</tbody></table>\n");
}

/* The per-unit comparison table: units as rows, the recorded items as columns would be too wide
 * for A4, so it lists the main figures only. */
static const int compare[] = {RS_DIBAO_PERSONS, RS_DIBAO_FEN,	  RS_TEKUN_PERSONS, RS_TEKUN_FEN,
			      RS_RELIEF_TIMES,	RS_RELIEF_FEN,	  RS_PRICE_PERSONS, RS_PRICE_FEN,
			      RS_ELDERLY_HOMES, RS_LEDGER_ENTRIES};

char *report_stats_html(const struct report_stats *s, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb,
		    "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		    "<title>民政统计报表 %s 至 %s</title><style>%s</style></head><body>\n",
		    s->from, s->to, css);
	strbuf_addstr(&sb, "<h1>民政工作统计报表</h1>\n<p class=\"meta\">统计期间：");
	strbuf_addf(&sb, "%s 至 %s（按月统计项目：%s 至 %s）", s->from, s->to, s->months_from,
		    s->months_to);
	if (s->county[0] && s->nunits == 1) {
		strbuf_addstr(&sb, "　范围：");
		esc(&sb, s->units[0].name);
	} else {
		strbuf_addstr(&sb, "　范围：全市");
	}
	strbuf_addstr(
	    &sb,
	    "<br>金额单位：元；所有数字均由个案记录即时计算；无权查看的模块标为“无权查看”。</p>\n");
	strbuf_addstr(&sb, "<h2>一、合计</h2>\n");
	html_table(&sb, &s->city, 1);
	if (s->nunits > 0) {
		strbuf_addstr(&sb, "<h2>二、各县市区对比</h2>\n<table><thead><tr><th>单位</th>");
		for (size_t k = 0; k < sizeof compare / sizeof compare[0]; k++) {
			strbuf_addstr(&sb, "<th>");
			esc(&sb, items[compare[k]].label);
			if (items[compare[k]].kind == RS_FEN)
				strbuf_addstr(&sb, "（元）");
			strbuf_addstr(&sb, "</th>");
		}
		strbuf_addstr(&sb, "</tr></thead><tbody>\n");
		for (int u = 0; u < s->nunits; u++) {
			strbuf_addstr(&sb, "<tr><td>");
			esc(&sb, s->units[u].name);
			strbuf_addstr(&sb, "</td>");
			for (size_t k = 0; k < sizeof compare / sizeof compare[0]; k++) {
				char v[48];
				value_text(&s->units[u], compare[k], v, sizeof v);
				strbuf_addf(&sb, "<td class=\"%s\">%s</td>",
					    s->units[u].known[compare[k]] ? "n" : "nr", v);
			}
			strbuf_addstr(&sb, "</tr>\n");
		}
		strbuf_addstr(&sb, "</tbody></table>\n");
	}
	for (int u = 0; u < s->nunits; u++) {
		strbuf_addstr(&sb, "<section class=\"unit\"><h2>");
		esc(&sb, s->units[u].name);
		strbuf_addf(&sb, "（%s）</h2>\n", s->units[u].code);
		html_table(&sb, &s->units[u], 0);
		strbuf_addstr(&sb, "</section>\n");
	}
	strbuf_addstr(&sb, "</body></html>\n");
	return strbuf_detach(&sb, len);
}

/* ================================================================ Excel */

int report_stats_xlsx(const struct report_stats *s, char **data, size_t *len, struct err *e)
{
	lxw_workbook *wb;
	char path[64];
	if (payroll_xlsx_begin(&wb, path, e) < 0)
		return -1;
	lxw_worksheet *ws = workbook_add_worksheet(wb, "统计报表");
	lxw_format *bold = workbook_add_format(wb), *money = workbook_add_format(wb),
		   *num = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_num_format(money, "#,##0.00");
	format_set_num_format(num, "#,##0");
	char title[128];
	snprintf(title, sizeof title, "民政工作统计报表 %s 至 %s", s->from, s->to);
	worksheet_write_string(ws, 0, 0, title, bold);
	lxw_row_t hr = 2;
	worksheet_write_string(ws, hr, 0, "类别", bold);
	worksheet_write_string(ws, hr, 1, "项目", bold);
	worksheet_write_string(ws, hr, 2, "单位", bold);
	worksheet_write_string(ws, hr, 3, s->county[0] ? "合计（所选单位）" : "全市", bold);
	for (int u = 0; u < s->nunits; u++)
		worksheet_write_string(ws, hr, (lxw_col_t)(4 + u), s->units[u].name, bold);
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, 24, NULL);
	worksheet_set_column(ws, 2, 2, 8, NULL);
	worksheet_set_column(ws, 3, (lxw_col_t)(3 + s->nunits), 14, NULL);
	worksheet_freeze_panes(ws, hr + 1, 3);
	lxw_row_t row = hr + 1;
	for (int i = 0; i < RS_NITEMS; i++, row++) {
		worksheet_write_string(ws, row, 0, items[i].section, NULL);
		worksheet_write_string(ws, row, 1, items[i].label, NULL);
		worksheet_write_string(ws, row, 2, items[i].kind == RS_BP ? "%" : items[i].unit,
				       NULL);
		for (int u = -1; u < s->nunits; u++) {
			const struct report_stats_figures *f = u < 0 ? &s->city : &s->units[u];
			lxw_col_t col = (lxw_col_t)(4 + u);
			if (items[i].city_only && u >= 0)
				continue;
			if (!f->known[i])
				worksheet_write_string(
				    ws, row, col, items[i].source ? "无权查看" : "尚未记录", NULL);
			else if (items[i].kind == RS_COUNT)
				worksheet_write_number(ws, row, col, (double)f->v[i], num);
			else
				worksheet_write_number(ws, row, col, (double)f->v[i] / 100.0,
						       money);
		}
	}
	return payroll_xlsx_end(wb, path, data, len, e);
}
