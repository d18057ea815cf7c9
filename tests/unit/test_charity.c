/* test_charity.c — the charity module against a fresh database (src/charity): the appeal's
 * balance (raised − used) never negative, also for a back-dated use; goods donations received
 * into the warehouse in the same transaction and reconciled; the public disclosure's totals to
 * a date and its donor names (agreed, anonymous, 爱心人士); staff drives kept out of it;
 * masking and scope; the money sums the statistics report reads. */
#include "charity/charity.h"
#include "core/text.h"
#include "goods/goods.h"
#include "testdb.h"
#include "unit.h"

#include <string.h>

static void exec(struct db *db, const char *sql)
{
	struct err e;
	if (db_exec(db, sql, &e) < 0) {
		fprintf(stderr, "exec: %s\n%s\n", e.message, sql);
		abort();
	}
}

static int64_t q(struct db *db, const char *sql)
{
	return db_query_int(db, sql, NULL);
}

static struct db *open_seeded(void)
{
	struct db *db = testdb_open();
	exec(db,
	     "INSERT INTO regions(code, name, level, parent_code, unit_code) VALUES"
	     " ('37', '山东省', 1, NULL, NULL), ('3707', '潍坊市', 2, '37', NULL),"
	     " ('370704', '坊子区', 3, '3707', '370704'), ('370705', '奎文区', 3, '3707', '370705');");
	return db;
}

static struct actor actor_of(const char *region, uint32_t perms)
{
	struct actor a;
	memset(&a, 0, sizeof a);
	a.user_id = 9;
	snprintf(a.username, sizeof a.username, "charity_%s", region);
	snprintf(a.role, sizeof a.role, "charity_officer");
	snprintf(a.region_code, sizeof a.region_code, "%s", region);
	a.perms = perms;
	a.scope.n = 1;
	snprintf(a.scope.prefix[0], REGION_CODE_MAX, "%s", region);
	snprintf(a.client, sizeof a.client, "test");
	return a;
}

#define OFFICER (PERM_LOGIN | PERM_REGION_READ | PERM_CHARITY | PERM_GOODS)

static int64_t appeal(struct db *db, const struct actor *a, const char *name, const char *code,
		      const char *kind)
{
	struct charity_appeal_in in;
	struct err e;
	int64_t id = 0;
	memset(&in, 0, sizeof in);
	snprintf(in.name, sizeof in.name, "%s", name);
	snprintf(in.organisation, sizeof in.organisation, "市慈善总会");
	snprintf(in.region_code, sizeof in.region_code, "%s", code);
	snprintf(in.kind, sizeof in.kind, "%s", kind);
	snprintf(in.started_on, sizeof in.started_on, "2020-01-26");
	if (charity_appeal_create(db, a, &in, &id, &e) < 0) {
		fprintf(stderr, "appeal: %s\n", e.message);
		abort();
	}
	return id;
}

static int give(struct db *db, const struct actor *a, int64_t ap, int64_t fen, const char *on,
		const char *donor, int anonymous, int disclose, struct err *e)
{
	struct charity_donation_in in;
	int64_t id;
	memset(&in, 0, sizeof in);
	in.appeal_id = ap;
	snprintf(in.kind, sizeof in.kind, "money");
	snprintf(in.donated_on, sizeof in.donated_on, "%s", on);
	in.amount_fen = fen;
	snprintf(in.donor_kind, sizeof in.donor_kind, "person");
	snprintf(in.donor_name, sizeof in.donor_name, "%s", donor);
	in.anonymous = anonymous;
	in.disclose = disclose;
	snprintf(in.channel, sizeof in.channel, "bank");
	return charity_donation_add(db, a, &in, &id, e);
}

static int use(struct db *db, const struct actor *a, int64_t ap, int64_t fen, const char *on,
	       struct err *e)
{
	struct charity_use_in in;
	int64_t id;
	memset(&in, 0, sizeof in);
	in.appeal_id = ap;
	snprintf(in.kind, sizeof in.kind, "money");
	snprintf(in.used_on, sizeof in.used_on, "%s", on);
	in.amount_fen = fen;
	snprintf(in.recipient_kind, sizeof in.recipient_kind, "institution");
	snprintf(in.recipient_name, sizeof in.recipient_name, "潍坊市社会福利院");
	snprintf(in.purpose, sizeof in.purpose, "购置防疫物资");
	snprintf(in.evidence, sizeof in.evidence, "潍慈拨〔2020〕1号");
	return charity_use_add(db, a, &in, &id, e);
}

TEST(balance_never_goes_negative_and_a_refusal_changes_nothing)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("3707", OFFICER);
	struct err e;
	int64_t ap = appeal(db, &a, "抗击疫情募捐", "3707", "public");
	CHECK_EQ_INT(give(db, &a, ap, 100000, "2020-02-01", "张三", 0, 0, &e), 0);
	CHECK_EQ_INT(use(db, &a, ap, 60000, "2020-02-05", &e), 0);
	int64_t audits = q(db, "SELECT count(*) FROM audit_log");
	CHECK_EQ_INT(use(db, &a, ap, 40001, "2020-02-06", &e), -1);
	CHECK_EQ_STR(e.code, "insufficient_balance");
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM charity_uses"), 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log"), audits);
	/* back-dated: on 02-03 there were 1,000 yuan, but 600 leave on 02-05 */
	CHECK_EQ_INT(use(db, &a, ap, 50000, "2020-02-03", &e), -1);
	CHECK_EQ_STR(e.code, "insufficient_balance");
	/* before any donation nothing can be used */
	CHECK_EQ_INT(use(db, &a, ap, 1, "2020-01-30", &e), -1);
	CHECK_EQ_INT(use(db, &a, ap, 40000, "2020-02-06", &e), 0);
	struct charity_appeal p;
	CHECK_EQ_INT(charity_appeal_get(db, &a, ap, "", &p, &e), 0);
	CHECK_EQ_INT(p.t.raised_fen, 100000);
	CHECK_EQ_INT(p.t.used_fen, 100000);
	CHECK_EQ_INT(p.t.balance_fen, 0);
	/* totals to a date */
	CHECK_EQ_INT(charity_appeal_get(db, &a, ap, "2020-02-05", &p, &e), 0);
	CHECK_EQ_INT(p.t.used_fen, 60000);
	CHECK_EQ_INT(p.t.balance_fen, 40000);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action IN ('charity.donation', "
			   "'charity.use')"),
		     3);
	db_close(db);
}

TEST(goods_donation_is_received_into_the_warehouse_and_reconciled)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("3707", OFFICER);
	struct err e;
	int64_t ap = appeal(db, &a, "抗击疫情募捐", "3707", "public");
	struct goods_warehouse w;
	int64_t wid = 0, did = 0;
	memset(&w, 0, sizeof w);
	snprintf(w.name, sizeof w.name, "市救灾物资仓库");
	snprintf(w.region_code, sizeof w.region_code, "3707");
	CHECK_EQ_INT(goods_warehouse_create(db, &a, &w, &wid, &e), 0);
	struct charity_donation_in in;
	memset(&in, 0, sizeof in);
	in.appeal_id = ap;
	snprintf(in.kind, sizeof in.kind, "goods");
	snprintf(in.donated_on, sizeof in.donated_on, "2020-02-02");
	snprintf(in.donor_kind, sizeof in.donor_kind, "organisation");
	snprintf(in.donor_name, sizeof in.donor_name, "潍坊某医药公司");
	in.item_id = q(db, "SELECT id FROM goods_items WHERE code = 'masks'");
	in.quantity = 20000;
	in.value_fen = 5000000;
	in.warehouse_id = wid;
	CHECK_EQ_INT(charity_donation_add(db, &a, &in, &did, &e), 0);
	int64_t st = -1;
	CHECK_EQ_INT(goods_stock_at(db, wid, in.item_id, "2020-02-02", &st, &e), 0);
	CHECK_EQ_INT(st, 20000);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM goods_movements WHERE kind = 'receive' AND "
			   "source = 'donation' AND donation_id IS NOT NULL"),
		     1);
	struct charity_appeal p;
	CHECK_EQ_INT(charity_appeal_get(db, &a, ap, "", &p, &e), 0);
	CHECK_EQ_INT(p.t.goods_donated, 20000);
	CHECK_EQ_INT(p.t.goods_received, 20000);
	CHECK_EQ_INT(p.t.raised_fen, 0); /* valuations are not money raised */
	CHECK_EQ_INT(p.t.goods_value_fen, 5000000);
	/* a warehouse out of scope refuses the donation and leaves nothing */
	struct actor county = actor_of("370704", OFFICER);
	int64_t cap = appeal(db, &county, "坊子区募捐", "370704", "public");
	in.appeal_id = cap;
	CHECK_EQ_INT(charity_donation_add(db, &county, &in, &did, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM charity_donations"), 1);
	db_close(db);
}

TEST(public_disclosure_hides_donors_who_did_not_agree)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("3707", OFFICER);
	struct err e;
	int64_t ap = appeal(db, &a, "抗击疫情募捐", "3707", "public");
	int64_t staff = appeal(db, &a, "机关干部职工捐款", "3707", "staff");
	CHECK_EQ_INT(give(db, &a, ap, 10000, "2020-02-01", "王同意", 0, 1, &e), 0);
	CHECK_EQ_INT(give(db, &a, ap, 20000, "2020-02-02", "李不愿", 0, 0, &e), 0);
	CHECK_EQ_INT(give(db, &a, ap, 30000, "2020-02-03", "", 1, 0, &e), 0);
	CHECK_EQ_INT(give(db, &a, staff, 50000, "2020-02-03", "赵干部", 0, 0, &e), 0);
	CHECK_EQ_INT(use(db, &a, ap, 15000, "2020-02-04", &e), 0);
	struct charity_appeal p;
	struct charity_use_page u;
	struct charity_donation_page d;
	CHECK_EQ_INT(charity_public_get(db, ap, "2020-03-17", &p, &u, &d, &e), 0);
	CHECK_EQ_INT(p.t.raised_fen, 60000);
	CHECK_EQ_INT(p.t.used_fen, 15000);
	CHECK_EQ_INT(u.n, 1);
	CHECK_EQ_INT(d.n, 3);
	int named = 0, hidden = 0, anon = 0;
	for (int i = 0; i < d.n; i++) {
		named += strcmp(d.items[i].donor_name, "王同意") == 0;
		hidden += strcmp(d.items[i].donor_name, "爱心人士") == 0;
		anon += strcmp(d.items[i].donor_name, "匿名") == 0;
		CHECK(strcmp(d.items[i].donor_name, "李不愿") != 0);
	}
	CHECK_EQ_INT(named, 1);
	CHECK_EQ_INT(hidden, 1);
	CHECK_EQ_INT(anon, 1);
	free(u.items);
	free(d.items);
	/* to a date before the use */
	CHECK_EQ_INT(charity_public_get(db, ap, "2020-02-02", &p, &u, &d, &e), 0);
	CHECK_EQ_INT(p.t.raised_fen, 30000);
	CHECK_EQ_INT(p.t.used_fen, 0);
	CHECK_EQ_INT(u.n, 0);
	free(u.items);
	free(d.items);
	/* the staff drive is not disclosed */
	CHECK_EQ_INT(charity_public_get(db, staff, "", &p, &u, &d, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	struct charity_appeal_list l;
	CHECK_EQ_INT(charity_public_list(db, "", &l, &e), 0);
	CHECK_EQ_INT(l.n, 1);
	free(l.items);
	/* staff lists mask individuals */
	struct charity_page_query pq;
	memset(&pq, 0, sizeof pq);
	CHECK_EQ_INT(charity_donation_list(db, &a, ap, &pq, 0, &d, &e), 0);
	for (int i = 0; i < d.n; i++)
		CHECK(strcmp(d.items[i].donor_name, "李不愿") != 0);
	free(d.items);
	CHECK_EQ_INT(charity_donation_list(db, &a, ap, &pq, 1, &d, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	db_close(db);
}

struct sums {
	int64_t raised, used, staff;
};

static int add_sum(void *ctx, const char *region, const char *kind, int64_t raised, int64_t used)
{
	struct sums *s = ctx;
	(void)region;
	if (strcmp(kind, "staff") == 0)
		s->staff += raised;
	else {
		s->raised += raised;
		s->used += used;
	}
	return 0;
}

TEST(money_to_a_date_counts_from_each_appeal_start_and_keeps_staff_apart)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("3707", OFFICER);
	struct actor county = actor_of("370705", OFFICER);
	struct err e;
	int64_t ap = appeal(db, &a, "抗击疫情募捐", "3707", "public");
	int64_t staff = appeal(db, &a, "机关干部职工捐款", "3707", "staff");
	CHECK_EQ_INT(give(db, &a, ap, 10000, "2020-02-01", "甲", 0, 0, &e), 0);
	CHECK_EQ_INT(give(db, &a, ap, 20000, "2020-03-18", "乙", 0, 0, &e), 0);
	CHECK_EQ_INT(give(db, &a, staff, 5000, "2020-02-10", "丙", 0, 0, &e), 0);
	CHECK_EQ_INT(use(db, &a, ap, 7000, "2020-03-17", &e), 0);
	struct sums s = {0, 0, 0};
	CHECK_EQ_INT(charity_money_to(db, &a, "2020-03-17", add_sum, &s, &e), 0);
	CHECK_EQ_INT(s.raised, 10000);
	CHECK_EQ_INT(s.used, 7000);
	CHECK_EQ_INT(s.staff, 5000);
	/* another county sees none of the city's appeals */
	memset(&s, 0, sizeof s);
	CHECK_EQ_INT(charity_money_to(db, &county, "2020-03-17", add_sum, &s, &e), 0);
	CHECK_EQ_INT(s.raised, 0);
	struct charity_appeal p;
	CHECK_EQ_INT(charity_appeal_get(db, &county, ap, "", &p, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	db_close(db);
}

TEST(input_rules)
{
	struct charity_donation_in d;
	struct err e;
	memset(&d, 0, sizeof d);
	d.appeal_id = 1;
	snprintf(d.kind, sizeof d.kind, "money");
	snprintf(d.donor_kind, sizeof d.donor_kind, "person");
	CHECK_EQ_INT(charity_rules_donation(&d, &e), -1);
	CHECK_EQ_STR(e.field, "donor_name");
	d.anonymous = 1;
	CHECK_EQ_INT(charity_rules_donation(&d, &e), -1);
	CHECK_EQ_STR(e.field, "amount_fen");
	d.amount_fen = 100;
	CHECK_EQ_INT(charity_rules_donation(&d, &e), -1);
	CHECK_EQ_STR(e.field, "channel");
	snprintf(d.channel, sizeof d.channel, "wechat");
	CHECK_EQ_INT(charity_rules_donation(&d, &e), 0);
	snprintf(d.kind, sizeof d.kind, "goods");
	CHECK_EQ_INT(charity_rules_donation(&d, &e), -1);
	CHECK_EQ_STR(e.field, "item_id");
	char out[64];
	charity_rules_public_name("person", "王五", 0, 0, out, sizeof out);
	CHECK_EQ_STR(out, "爱心人士");
	charity_rules_public_name("person", "王五", 0, 1, out, sizeof out);
	CHECK_EQ_STR(out, "王五");
	charity_rules_public_name("organisation", "某公司", 0, 0, out, sizeof out);
	CHECK_EQ_STR(out, "某公司");
	charity_rules_public_name("person", "", 1, 1, out, sizeof out);
	CHECK_EQ_STR(out, "匿名");
	text_mask_name("王小五", out, sizeof out);
	CHECK_EQ_STR(out, "王**");
	int64_t later[] = {-5, 3};
	CHECK_EQ_INT(charity_rules_min_balance(4, later, 2), -1);
}

UNIT_MAIN(balance_never_goes_negative_and_a_refusal_changes_nothing,
	  goods_donation_is_received_into_the_warehouse_and_reconciled,
	  public_disclosure_hides_donors_who_did_not_agree,
	  money_to_a_date_counts_from_each_appeal_start_and_keeps_staff_apart, input_rules)
