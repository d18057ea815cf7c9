/* paged_list.h — a page of a scoped list as the API gives it: {"items":[…],"total","limit",
 * "offset"}, counted and read over the same FROM and WHERE (the caller's scope on one column,
 * then the list's own filters), each row turned into JSON by the list's function. For the
 * modules whose reads answer JSON directly (social organisations, staff deployments). */
#ifndef MZ_PAGED_LIST_H
#define MZ_PAGED_LIST_H

#include <jansson.h>
#include <stdint.h>

#include "core/err.h"
#include "core/scope.h"
#include "db/db.h"

struct paged_list {
	const char *cols;      /* the SELECT list (literal SQL) */
	const char *from;      /* FROM … (literal SQL) */
	const char *scope_col; /* the region-code column the scope applies to */
	const char *filters;   /* "AND …" after the scope, with ? parameters; may be "" */
	const char *order;     /* ORDER BY … */
	/* bind the filters' parameters from index i; returns the next free index */
	int (*bind)(struct db_stmt *st, int i, const void *query);
	json_t *(*row)(struct db_stmt *st, int unmask);
	const void *query;     /* handed to bind */
	int limit;
	int64_t offset;
	int unmask;            /* handed to row */
};

/* A phone number as list rows show it: null when empty, masked ("138****5678") unless unmask. */
json_t *paged_list_phone(const char *phone, int unmask);

/* *out = the page (new reference), or -1 with e. */
int paged_list_run(struct db *db, const struct scope *scope, const struct paged_list *l,
		   json_t **out, struct err *e);

#endif
