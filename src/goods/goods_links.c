/* goods_links.c — a distribution's links to other modules' records (goods_internal.h): the
 * household or person (registry), the institution (institutions), the temporary-assistance
 * grant (relief), the ledger visit (ledger: the person is the entry) and the street patrol
 * (rescue), each read through its module's public function, so the caller's permission and
 * scope apply exactly as there: a record the caller may not see is 404 here too. */
#include "goods/goods_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "institutions/institutions.h"
#include "ledger/ledger.h"
#include "registry/registry.h"
#include "relief/relief.h"
#include "rescue/rescue.h"

static int missing(struct err *e, const char *field, const char *what)
{
	return err_set(e, 404, "not_found", field, "%s不存在或不在您的管辖范围内", what);
}

static int recipient(struct db *db, const struct actor *a, struct goods_move_in *in,
		     struct err *e)
{
	struct err ignore;
	if (strcmp(in->recipient_kind, "household") == 0) {
		struct registry_household *h = calloc(1, sizeof *h);
		if (!h)
			return err_oom(e);
		int rc = registry_household_get(db, a, in->recipient_id, 0, h, &ignore);
		if (rc == 0 && !in->recipient_name[0]) {
			for (int i = 0; i < h->n_members; i++)
				if (h->members[i].id == h->head_person_id)
					text_copy(in->recipient_name, sizeof in->recipient_name,
						  h->members[i].name);
		}
		free(h);
		return rc < 0 ? missing(e, "recipient_id", "该家庭") : 0;
	}
	if (strcmp(in->recipient_kind, "person") == 0) {
		struct registry_person_detail *p = calloc(1, sizeof *p);
		if (!p)
			return err_oom(e);
		int rc = registry_person_get(db, a, in->recipient_id, 0, p, &ignore);
		if (rc == 0) {
			if (!in->recipient_name[0])
				text_copy(in->recipient_name, sizeof in->recipient_name,
					  p->person.name);
			registry_person_detail_release(p);
		}
		free(p);
		return rc < 0 ? missing(e, "recipient_id", "该人员") : 0;
	}
	if (strcmp(in->recipient_kind, "institution") == 0) {
		struct institution *x = calloc(1, sizeof *x);
		if (!x)
			return err_oom(e);
		int rc = institutions_get(db, a, in->recipient_id, 0, x, &ignore);
		if (rc == 0)
			text_copy(in->recipient_name, sizeof in->recipient_name, x->name);
		free(x);
		return rc < 0 ? missing(e, "recipient_id", "该机构") : 0;
	}
	return 0; /* outreach: the patrol below */
}

int goods_links_check(struct db *db, const struct actor *a, struct goods_move_in *in,
		      struct err *e)
{
	struct err ignore;
	if (strcmp(in->kind, "distribute") != 0)
		return 0;
	if (recipient(db, a, in, e) < 0)
		return -1;
	if (in->relief_grant_id > 0) {
		struct relief_grant *g = calloc(1, sizeof *g);
		if (!g)
			return err_oom(e);
		int rc = relief_grant_get(db, a, in->relief_grant_id, g, NULL, NULL, NULL, &ignore);
		int other = rc == 0 && strcmp(in->recipient_kind, "person") == 0 &&
			    g->person_id != in->recipient_id;
		if (rc == 0 && strcmp(in->recipient_kind, "household") == 0 &&
		    g->household_id != in->recipient_id)
			other = 1;
		free(g);
		if (rc < 0)
			return missing(e, "relief_grant_id", "该临时救助");
		if (other)
			return err_set(e, 400, "invalid_value", "relief_grant_id",
				       "该临时救助不是发给这个家庭或个人的");
	}
	if (in->ledger_visit_id > 0) {
		struct ledger_entry_detail *d = calloc(1, sizeof *d);
		if (!d)
			return err_oom(e);
		int found = 0;
		if (ledger_entry_get(db, a, in->recipient_id, 0, d, &ignore) == 0) {
			for (int i = 0; i < d->n_visits; i++)
				if (d->visits[i].id == in->ledger_visit_id)
					found = 1;
			ledger_entry_detail_release(d);
		}
		free(d);
		if (!found)
			return missing(e, "ledger_visit_id", "该台账走访记录");
	}
	if (in->patrol_id > 0) {
		struct rescue_patrol_detail *p = calloc(1, sizeof *p);
		if (!p)
			return err_oom(e);
		int rc = rescue_patrol_get(db, a, in->patrol_id, p, &ignore);
		if (rc == 0) {
			if (!in->recipient_name[0] && strcmp(in->recipient_kind, "outreach") == 0)
				text_copy(in->recipient_name, sizeof in->recipient_name,
					  p->patrol.area);
			rescue_patrol_detail_release(p);
		}
		free(p);
		if (rc < 0)
			return missing(e, "patrol_id", "该街面巡查记录");
	}
	return 0;
}
