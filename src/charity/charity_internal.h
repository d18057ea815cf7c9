/* charity_internal.h — what the charity module's files share and no one else sees. */
#ifndef MZ_CHARITY_INTERNAL_H
#define MZ_CHARITY_INTERNAL_H

#include "charity/charity.h"

struct scope;

/* An appeal's totals to `to` ("" = all). */
int charity_totals_to(struct db *db, int64_t appeal_id, const char *to, struct charity_totals *t,
		      struct err *e);
/* Columns: id, name, organisation, region_code, region name, kind, started_on, purpose,
 * created_by, created_at. */
void charity_appeal_from_row(struct db_stmt *st, struct charity_appeal *p);
/* A page of an appeal's donations; mode 0 names masked, 1 unmasked, 2 the public names. No
 * permission check (the callers did it). */
int charity_donation_page(struct db *db, int64_t appeal_id, const struct charity_page_query *q,
			  int mode, struct charity_donation_page *out, struct err *e);
int charity_use_page(struct db *db, int64_t appeal_id, const struct charity_page_query *q,
		     struct charity_use_page *out, struct err *e);

#endif
