/* report.h — statistics computed from individual records: public face.
 * (Owned by the report module: report_assistance.c the assistance payments report,
 * report_stats.c the bureau's statistics report, report_dashboard.c the leadership dashboard,
 * report_api.c the routes. The figures are never stored: every call computes them from the rows
 * — the dashboard keeps its last answers only until the next write.)
 *
 * The assistance report: for a range of months, per program (dibao, tekun, orphan,
 * unsupported_child, price_subsidy), the number of distinct persons paid and the amount, for
 * the whole scope, per management unit ("county") and per month, and per unit and month; and
 * beside them the temporary assistance (temp_relief) the relief module paid: person-times and
 * amount (relief/relief.h, relief_report_totals: grants paid in the months, by payment date).
 * "total" is the monthly allowances only (低保, 特困, 孤儿, 事实无人抚养儿童 — what the bureau
 * publishes as "低保 + 特困 paid"); the price subsidy and the temporary assistance are one-off
 * payments reported beside it, never added in.
 *
 * What counts (docs/payroll.md, "Reports"):
 *   - payments with status 'paid' in confirmed runs: handed to the bank and not returned.
 *     Drafts (status 'pending') are not money paid yet; a payment the bank returned ('failed',
 *     and 'reissued' once a later run carries it again) did not reach anyone — its re-issue
 *     counts instead, once that run is confirmed. So each sum of money is counted exactly once.
 *   - the month is the month of the run that paid it (a re-issue in March of February's
 *     allowance counts in March): the report says what left the bureau's accounts when;
 *   - persons are distinct over the whole cell: a person paid in four months counts once in a
 *     four-month total, once per month in the monthly figures; a person in two programs counts
 *     once in each program and once in the all-programs total. Persons come from
 *     payment_persons (低保: the household's counted members; other programs: the person).
 * Scope: only payments whose village lies in the caller's scope are read (scope_sql); a county
 * filter outside the scope is 404.
 */
#ifndef MZ_REPORT_H
#define MZ_REPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

/* The routes (report_api.c), ending with {0}: GET /api/v1/reports/assistance,
 * GET /api/v1/reports/stats, GET /api/v1/dashboard. */
extern const struct api_route report_routes[];

/* The module's migration (report_schema.c): an index over the paid payments. */
extern const char report_schema_v1[];

#define REPORT_MAX_MONTHS 120
#define REPORT_MAX_UNITS 64
#define REPORT_NPROGRAMS 4 /* the allowances: the first PAYROLL_NALLOWANCES payroll_programs */
#define REPORT_PRICE (REPORT_NPROGRAMS + 1) /* the price subsidy's cells (after "all") */

struct report_cell {
	int64_t persons;    /* distinct persons */
	int64_t payments;   /* payments counted */
	int64_t amount_fen; /* their sum */
};

struct report_unit {
	char code[16];
	char name[128];
};

/* Temporary assistance of one (unit, month) cell. */
struct report_relief_cell {
	int64_t person_times;
	int64_t amount_fen;
};

/* Cells for every (unit, month, program), with one extra index on each axis for "all": unit
 * nunits = every unit, month nmonths = the whole range, program REPORT_NPROGRAMS = every
 * allowance ("total"); and program REPORT_PRICE = the price subsidy. Use report_cell_at(); the
 * temporary assistance with report_relief_at(). */
struct report_assistance {
	char from[8], to[8];
	char county[16]; /* "" = every unit in scope */
	int nmonths;
	char months[REPORT_MAX_MONTHS][8];
	int nunits;
	struct report_unit units[REPORT_MAX_UNITS];
	struct report_cell *cells; /* malloc'd: report_assistance_release */
	struct report_relief_cell *relief; /* malloc'd: (nunits + 1) × (nmonths + 1) */
};

/* The cell of (unit index or nunits, month index or nmonths, program index (0..3), or
 * REPORT_NPROGRAMS for all the allowances, or REPORT_PRICE). */
struct report_cell *report_cell_at(const struct report_assistance *r, int unit, int month,
				   int program);
/* The temporary assistance of (unit index or nunits, month index or nmonths). */
struct report_relief_cell *report_relief_at(const struct report_assistance *r, int unit,
					    int month);

/* Compute the report. from / to "YYYY-MM", from <= to, at most REPORT_MAX_MONTHS months (400
 * invalid_value, field from / to); county "" or NULL for every unit in scope, else a unit code
 * that overlaps the caller's scope (404 not_found). Needs assistance.read (403 forbidden). The
 * units listed are those overlapping the scope (or the one county), in code order, with zero
 * cells when nothing was paid. */
int report_assistance(struct db *db, const struct actor *a, const char *from, const char *to,
		      const char *county, struct report_assistance *out, struct err *e);
void report_assistance_release(struct report_assistance *r);
/* Only the units part of report_assistance: r->units / r->nunits for the actor's scope (or the
 * one county; 404 outside it). r must be zeroed first. */
int report_units_list(struct db *db, const struct actor *a, const char *county,
		      struct report_assistance *r, struct err *e);

/* {"from","to","county","counted_statuses":["paid"],"month_basis":"run",
 *  "programs":{"dibao":{"label","persons","amount_fen","payments"},…,
 *              "price_subsidy":{"label","persons","amount_fen","payments"},
 *              "temp_relief":{"label","person_times","amount_fen"}},"total":{…},
 *  "months":{"2020-01":{"programs":{…},"total":{…}},…},
 *  "counties":{"370704":{"name","programs":{…},"total":{…},"months":{…}},…}}
 * These key names are a contract (scripts and the published-figure tests read them). */
json_t *report_assistance_json(const struct report_assistance *r);

/* The same as an Excel workbook (sheet 救助发放统计): one block per unit and one for all,
 * a row per month and a 合计 row over the range; persons and yuan per allowance, their total,
 * then the price subsidy (persons, yuan) and the temporary assistance (person-times, yuan).
 * *data malloc'd. */
int report_assistance_xlsx(const struct report_assistance *r, char **data, size_t *len,
			   struct err *e);

/* ================================================================ the statistics report
 * (report_stats.c; docs/stats.md) — every figure of the published table the modules record, for
 * the city (or the one county) and per management unit, from the modules' own functions. */

enum report_stats_kind { RS_COUNT, RS_FEN, RS_BP };

enum report_stats_index {
	RS_UNITS, RS_DIBAO_PERSONS, RS_DIBAO_FEN, RS_TEKUN_PERSONS, RS_TEKUN_FEN,
	RS_DIBAO_TEKUN_FEN, RS_RELIEF_TIMES, RS_RELIEF_FEN, RS_PRICE_PERSONS, RS_PRICE_FEN,
	RS_ELDERLY_HOMES, RS_ELDERLY_RESIDENTS, RS_ELDERLY_STAFF, RS_ELDERLY_INFECTIONS,
	RS_CHILD_STAFF, RS_CHILD_CHILDREN, RS_FUNERAL_HOMES, RS_RESCUE_STATIONS,
	RS_MARRIAGE_OFFICES, RS_LOTTERY_OUTLETS, RS_INST_INFECTIONS, RS_REPORTS_EXPECTED,
	RS_REPORTS_RECEIVED, RS_REPORTS_BP, RS_INSPECTION_TEAMS, RS_RESCUE_ARRIVALS,
	RS_RESCUE_ISOLATED, RS_HOTLINE_CALLS, RS_HOTLINE_CASES, RS_LEDGER_ENTRIES,
	RS_LEDGER_VISITS, RS_LEDGER_OVERDUE,
	/* funeral homes and the death cross-check (report_stats_funeral.c) */
	RS_FUNERAL_BODIES, RS_FUNERAL_COVID, RS_FUNERAL_GATHERINGS, RS_XC_MATCHED,
	RS_XC_OVERPAYMENTS, RS_XC_OVERPAID_FEN,
	/* marriage registration (report_stats_marriage.c) */
	RS_MARRIAGE_BOOKED, RS_MARRIAGE_REGISTERED, RS_MARRIAGE_NO_SHOW,
	/* goods and charity (report_stats_goods.c) */
	RS_MASKS, RS_SUITS, RS_DISINFECTANT, RS_ALCOHOL, RS_OTHER_GOODS, RS_CHARITY_RAISED,
	RS_CHARITY_USED, RS_DONATIONS,
	/* social organisations, staff, documents, lottery (report_stats_orgs.c) */
	RS_SOCORG_ENGAGED, RS_SOCORG_MOBILISING, RS_VOLUNTEERS, RS_DISINFECTION_KM2, RS_SCREENED,
	RS_STAFF_SECONDED, RS_STAFF_FRONTLINE, RS_DOCUMENTS, RS_LOTTERY_OPEN,
	RS_NITEMS
};

struct report_stats_item {
	const char *key;     /* the JSON key (a contract: docs/stats.md) */
	const char *section; /* 社会救助 … */
	const char *label;
	const char *unit;    /* display unit (元 for amounts kept in fen) */
	enum report_stats_kind kind;
	const char *source;  /* the module that records it; NULL = not yet recorded */
	int city_only;       /* only meaningful for the whole area */
};

/* The items in display order (RS_NITEMS of them). */
const struct report_stats_item *report_stats_items(void);

struct report_stats_figures {
	char code[16];
	char name[128];
	int64_t v[RS_NITEMS];
	char known[RS_NITEMS]; /* 0: not recorded, or the caller may not read that module */
};

struct report_stats {
	char from[11], to[11];               /* days, inclusive */
	char months_from[8], months_to[8];   /* the months they fall in (monthly programs) */
	char county[16];
	int nunits;
	struct report_stats_figures units[REPORT_MAX_UNITS];
	struct report_stats_figures city;    /* the whole scope, or the one county */
	struct scope unit_scope[REPORT_MAX_UNITS]; /* each unit's region prefixes (a functional
						    * zone: its townships) */
};

/* What stats.read lets the report (and the dashboard) read for their aggregate figures. */
#define REPORT_STATS_READ_PERMS                                                                   \
	(PERM_ASSISTANCE_READ | PERM_INSTITUTION_READ | PERM_LEDGER | PERM_INSPECTION |           \
	 PERM_RESCUE | PERM_HOTLINE | PERM_FUNERAL | PERM_CROSSCHECK | PERM_MARRIAGE | PERM_GOODS | \
	 PERM_CHARITY | PERM_SOCIAL_ORG | PERM_STAFF | PERM_DOCUMENTS)

/* Compute the report for days from..to ("YYYY-MM-DD", at most 120 days; 400 required /
 * invalid_value with field from / to), county "" for every unit in scope (else 404 outside it).
 * Needs assistance.read (403); sections of modules the caller may not read are unknown. */
int report_stats(struct db *db, const struct actor *a, const char *from, const char *to,
		 const char *county, struct report_stats *out, struct err *e);
/* {"from","to","county","months_from","months_to","city":{KEY:n|null…},
 *  "counties":{CODE:{"name",KEY:n|null…}},"items":[{"key","section","label","unit","kind",
 *  "source"}],"not_recorded":[KEY…]}. */
json_t *report_stats_json(const struct report_stats *s);
/* A printable A4 HTML document; malloc'd (NULL when out of memory). */
char *report_stats_html(const struct report_stats *s, size_t *len);
/* The same as an Excel workbook (sheet 统计报表: an item per row, the city and units as
 * columns). *data malloc'd. */
int report_stats_xlsx(const struct report_stats *s, char **data, size_t *len, struct err *e);

/* ================================================================ the dashboard
 * (report_dashboard.c; docs/stats.md, "驾驶舱") — GET /api/v1/dashboard. New reference, or NULL
 * with e set. county "" = every unit in scope; from / to "YYYY-MM-DD" (default: the 30 days up
 * to the latest institution report). */
json_t *report_dashboard(struct db *db, const struct actor *a, const char *county,
			 const char *from, const char *to, struct err *e);

#endif
