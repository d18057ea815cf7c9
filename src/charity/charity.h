/* charity.h — 慈善募捐：募捐活动、捐赠、使用与公开: the charity module's whole public face.
 *
 * (Owned by the charity module: charity_rules.c the pure rules — input shapes, the donor's
 * public name, the running balance; charity_schema.c the tables (migration 25);
 * charity_store.c appeals, donations, uses, totals and the reconciliation; charity_public.c
 * the public disclosure; charity_api.c the routes. docs/charity.md for people.)
 *
 * An appeal (募捐活动) belongs to an organisation (the city charity federation, a county's) and
 * carries its organisation's region code (the scope) and a kind: public (an appeal to society)
 * or staff (a donation drive of the bureau's own staff). Donations are money (amount in fen,
 * donor or anonymous, channel, receipt number) or goods (item, quantity, valuation, into which
 * warehouse — received there through goods_receive_txn in the same transaction, the movement
 * keeping the donation id). Uses allocate money or goods to an institution, a township or a
 * project with purpose, date and evidence.
 *
 * The balance (raised − used) can never go negative: a use dated d is refused (409
 * insufficient_balance / insufficient_goods) unless the running balance from d on stays ≥ 0 —
 * checked inside the write transaction, so concurrent uses cannot overdraw. Money and goods
 * are kept apart: raised_fen / used_fen are money only; goods are counted in quantities (and
 * their valuation shown beside).
 *
 * Donors' names are personal data: staff lists mask individual donors' names unless the caller
 * may unmask (registry.unmask) and asks (audited charity.unmask); the public disclosure shows an
 * individual donor's name only when they agreed (disclose), an anonymous donor as 匿名 and
 * others as 爱心人士 — their amounts always count. Every write is audited (charity.appeal,
 * charity.donation, charity.use).
 */
#ifndef MZ_CHARITY_H
#define MZ_CHARITY_H

#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char charity_schema_v1[];
extern const struct api_route charity_routes[];

#define CHARITY_PAGE_MAX 500
#define CHARITY_NAME_SZ 128 /* 40 characters */
#define CHARITY_TEXT_SZ 604 /* 200 characters */

/* ---- appeals -------------------------------------------------------------------------------- */

struct charity_appeal_in {
	char name[CHARITY_NAME_SZ];
	char organisation[CHARITY_NAME_SZ];
	char region_code[16]; /* the organisation's city or county */
	char kind[8];	      /* public staff */
	char started_on[11];
	char purpose[CHARITY_TEXT_SZ];
};

struct charity_totals {
	int64_t raised_fen, used_fen, balance_fen; /* money */
	int64_t goods_value_fen, goods_used_value_fen;
	int64_t donations, donors_money, uses;
	int64_t goods_donated, goods_received; /* quantities (all items): the reconciliation */
};

struct charity_appeal {
	int64_t id;
	char name[CHARITY_NAME_SZ];
	char organisation[CHARITY_NAME_SZ];
	char region_code[16];
	char region_name[128];
	char kind[8];
	char started_on[11];
	char purpose[CHARITY_TEXT_SZ];
	char created_by[64], created_at[32];
	struct charity_totals t; /* to the date asked ("" = all) */
};

struct charity_appeal_list {
	int n;
	struct charity_appeal *items; /* malloc'd; free() */
};

/* New appeal (charity permission 403; region a city or county in scope; 409 duplicate_name).
 * Audited charity.appeal. */
int charity_appeal_create(struct db *db, const struct actor *a, const struct charity_appeal_in *in,
			  int64_t *out_id, struct err *e);
/* Appeals in scope with their totals to `to` ("" = all). */
int charity_appeal_list(struct db *db, const struct actor *a, const char *to,
			struct charity_appeal_list *out, struct err *e);
/* One appeal in scope (404) with its totals to `to`. */
int charity_appeal_get(struct db *db, const struct actor *a, int64_t id, const char *to,
		       struct charity_appeal *out, struct err *e);

/* ---- donations ------------------------------------------------------------------------------ */

struct charity_donation_in {
	int64_t appeal_id;
	char kind[8]; /* money goods */
	char donated_on[11];
	int64_t amount_fen; /* money */
	char donor_kind[16]; /* person organisation */
	char donor_name[CHARITY_NAME_SZ];
	int anonymous; /* no name kept */
	int disclose;  /* the donor agreed to be named in public */
	char channel[16]; /* bank wechat alipay cash other (money); goods: "" */
	char receipt_no[40];
	int64_t item_id, quantity, value_fen, warehouse_id; /* goods */
	char note[CHARITY_TEXT_SZ];
};

struct charity_donation {
	int64_t id, appeal_id;
	char kind[8];
	char donated_on[11];
	int64_t amount_fen;
	char donor_kind[16];
	char donor_name[CHARITY_NAME_SZ]; /* masked in lists unless unmasked */
	int anonymous, disclose;
	char channel[16];
	char receipt_no[40];
	int64_t item_id;
	char item_name[CHARITY_NAME_SZ];
	char unit[32];
	int64_t quantity, value_fen, warehouse_id, movement_id;
	int64_t received; /* quantity received into warehouses for this donation */
	char note[CHARITY_TEXT_SZ];
	char created_by[64], created_at[32];
};

struct charity_page_query {
	int64_t id; /* 0, or only this record */
	char kind[8];
	char from[11], to[11];
	int limit;
	int64_t offset;
};

struct charity_donation_page {
	int n;
	struct charity_donation *items; /* malloc'd; free() */
	int64_t total;
};

/* Record a donation to an appeal in scope (404): date from the appeal's start to today, money
 * amount > 0 with channel, goods with item, quantity > 0 and a warehouse in scope (received
 * there in the same transaction). 409 duplicate_receipt for a receipt number used in the
 * appeal. Audited charity.donation (and goods.move for goods). */
int charity_donation_add(struct db *db, const struct actor *a, const struct charity_donation_in *in,
			 int64_t *out_id, struct err *e);
/* Donations of an appeal in scope, newest first; names of individual donors masked unless
 * unmask (registry.unmask 403; audited charity.unmask). */
int charity_donation_list(struct db *db, const struct actor *a, int64_t appeal_id,
			  const struct charity_page_query *q, int unmask,
			  struct charity_donation_page *out, struct err *e);

/* ---- uses ----------------------------------------------------------------------------------- */

struct charity_use_in {
	int64_t appeal_id;
	char kind[8]; /* money goods */
	char used_on[11];
	int64_t amount_fen; /* money */
	char recipient_kind[16]; /* institution township project */
	char recipient_name[CHARITY_NAME_SZ];
	char purpose[CHARITY_TEXT_SZ];
	char evidence[CHARITY_TEXT_SZ]; /* the voucher: document number, receipt, file reference */
	int64_t item_id, quantity, value_fen; /* goods */
};

struct charity_use {
	int64_t id, appeal_id;
	char kind[8];
	char used_on[11];
	int64_t amount_fen;
	char recipient_kind[16];
	char recipient_name[CHARITY_NAME_SZ];
	char purpose[CHARITY_TEXT_SZ];
	char evidence[CHARITY_TEXT_SZ];
	int64_t item_id;
	char item_name[CHARITY_NAME_SZ];
	char unit[32];
	int64_t quantity, value_fen;
	char created_by[64], created_at[32];
};

struct charity_use_page {
	int n;
	struct charity_use *items; /* malloc'd; free() */
	int64_t total;
};

/* Record a use (appeal in scope 404; date from the appeal's start to today; 409
 * insufficient_balance / insufficient_goods when the balance would go negative on any day from
 * the use's date on). Audited charity.use. */
int charity_use_add(struct db *db, const struct actor *a, const struct charity_use_in *in,
		    int64_t *out_id, struct err *e);
int charity_use_list(struct db *db, const struct actor *a, int64_t appeal_id,
		     const struct charity_page_query *q, struct charity_use_page *out,
		     struct err *e);

/* ---- the public disclosure (no login; charity_public.c) ------------------------------------ */

/* Public appeals (kind public) with totals to `to` ("" = all). */
int charity_public_list(struct db *db, const char *to, struct charity_appeal_list *out,
			struct err *e);
/* One public appeal (404 for a staff drive or none) with its totals to `to`, its uses to `to`
 * and its donations to `to` with donors' public names (charity_rules_public_name). */
int charity_public_get(struct db *db, int64_t id, const char *to, struct charity_appeal *appeal,
		       struct charity_use_page *uses, struct charity_donation_page *donations,
		       struct err *e);

/* ---- statistics ----------------------------------------------------------------------------- */

/* Call fn for each appeal region code and kind with the money raised and used from the appeal's
 * start to `to` (inclusive), in scope; charity permission (403). */
int charity_money_to(struct db *db, const struct actor *a, const char *to,
		     int (*fn)(void *ctx, const char *region, const char *kind, int64_t raised_fen,
			       int64_t used_fen),
		     void *ctx, struct err *e);

/* ---- pure rules (charity_rules.c) ----------------------------------------------------------- */

int charity_rules_appeal(const struct charity_appeal_in *in, struct err *e);
int charity_rules_donation(const struct charity_donation_in *in, struct err *e);
int charity_rules_use(const struct charity_use_in *in, struct err *e);
/* The name the public sees: "匿名" for an anonymous donor, the name of an organisation or of a
 * person who agreed, else "爱心人士". */
void charity_rules_public_name(const char *donor_kind, const char *name, int anonymous,
			       int disclose, char *out, size_t n);
/* The smallest running balance from base on (base, then base + each later net change). */
int64_t charity_rules_min_balance(int64_t base, const int64_t *later, int n);
/* 1 when d is a valid "YYYY-MM-DD" date. */
int charity_rules_date(const char *d);

#endif
