/* charity_public.c — the public disclosure of charity appeals (charity.h; no login): each
 * public appeal's totals raised and used to a date, its uses, and its donations with the
 * donors' public names (charity_rules_public_name). Staff donation drives are internal and
 * not listed. */
#include "charity/charity_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/array_grow.h"

static int valid_to(const char *to, struct err *e)
{
	if (to && *to && !charity_rules_date(to))
		return err_set(e, 400, "invalid_value", "to", "截止日期应为 YYYY-MM-DD 格式的有效日期");
	return 0;
}

#define COLS                                                                                       \
	"p.id, p.name, p.organisation, p.region_code, coalesce(g.name, ''), p.kind, p.started_on, " \
	"p.purpose, '', ''"

int charity_public_list(struct db *db, const char *to, struct charity_appeal_list *out,
			struct err *e)
{
	memset(out, 0, sizeof *out);
	if (valid_to(to, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db,
					"SELECT " COLS " FROM charity_appeals p LEFT JOIN regions g "
					"ON g.code = p.region_code WHERE p.kind = 'public' "
					"ORDER BY p.started_on, p.id",
					e);
	if (!st)
		return -1;
	int rc, alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, 8) < 0) {
			rc = err_oom(e);
			break;
		}
		charity_appeal_from_row(st, &out->items[out->n++]);
	}
	db_done(st);
	for (int i = 0; rc == 0 && i < out->n; i++)
		rc = charity_totals_to(db, out->items[i].id, to, &out->items[i].t, e);
	if (rc < 0) {
		free(out->items);
		memset(out, 0, sizeof *out);
		return -1;
	}
	return 0;
}

int charity_public_get(struct db *db, int64_t id, const char *to, struct charity_appeal *appeal,
		       struct charity_use_page *uses, struct charity_donation_page *donations,
		       struct err *e)
{
	memset(uses, 0, sizeof *uses);
	memset(donations, 0, sizeof *donations);
	if (valid_to(to, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db,
					"SELECT " COLS " FROM charity_appeals p LEFT JOIN regions g "
					"ON g.code = p.region_code WHERE p.id = ? AND "
					"p.kind = 'public'",
					e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st, e);
	if (rc == 1)
		charity_appeal_from_row(st, appeal);
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 404, "not_found", NULL, "该募捐活动不存在或未公开");
	struct charity_page_query q;
	memset(&q, 0, sizeof q);
	if (to)
		memcpy(q.to, to, strlen(to) < 10 ? strlen(to) : 10);
	q.limit = 100000;
	if (charity_totals_to(db, id, to, &appeal->t, e) < 0 ||
	    charity_use_page(db, id, &q, uses, e) < 0)
		return -1;
	if (charity_donation_page(db, id, &q, 2, donations, e) < 0) {
		free(uses->items);
		memset(uses, 0, sizeof *uses);
		return -1;
	}
	return 0;
}
