/* test_registry.c — the registry module (src/registry/) against a fresh database.
 *
 * The region tree used throughout (inserted by seed()):
 *   37 山东省 > 3707 潍坊市 > 370704 坊子区 > 370704008 太保庄街道 > 370704008231 栾家山后村
 *                                                                   > 370704008232 北村
 *                                          > 370704001 凤凰街道     > 370704001001 凤凰村
 *                          > 370705 奎文区 > 370705001 东关街道     > 370705001001 东关社区
 * Actors are built by hand with a scope prefix and every registry permission.
 *
 * ID numbers are made from 17 digits plus idnum_check_char(); where a test depends on the
 * derived fields the ID is written out: 370704196001021239 (check 9, see test_idnum.c), born
 * 1960-01-02, sequence 123 odd → male.
 */
#include "audit/audit.h"
#include "core/idnum.h"
#include "registry/registry.h"
#include "testdb.h"
#include "unit.h"

#include <stdlib.h>

#define VILLAGE_A "370704008231" /* 栾家山后村, 太保庄街道, 坊子区 */
#define VILLAGE_A2 "370704008232" /* 北村, same township */
#define VILLAGE_B "370704001001" /* 凤凰村, 凤凰街道, 坊子区 */
#define VILLAGE_K "370705001001" /* 东关社区, 奎文区 */

static void seed(struct db *db)
{
	struct err e;
	if (db_exec(db,
		    "INSERT INTO regions(code, name, level, parent_code, unit_code) VALUES"
		    " ('37', '山东省', 1, NULL, NULL),"
		    " ('3707', '潍坊市', 2, '37', NULL),"
		    " ('370704', '坊子区', 3, '3707', '370704'),"
		    " ('370705', '奎文区', 3, '3707', '370705'),"
		    " ('370704008', '太保庄街道', 4, '370704', '370704'),"
		    " ('370704001', '凤凰街道', 4, '370704', '370704'),"
		    " ('370705001', '东关街道', 4, '370705', '370705'),"
		    " ('370704008231', '栾家山后村', 5, '370704008', '370704'),"
		    " ('370704008232', '北村', 5, '370704008', '370704'),"
		    " ('370704001001', '凤凰村', 5, '370704001', '370704'),"
		    " ('370705001001', '东关社区', 5, '370705001', '370705');"
		    "INSERT INTO units(code, name, kind, city_code) VALUES"
		    " ('370704', '坊子区', 'county', '3707'), ('370705', '奎文区', 'county', '3707');",
		    &e) < 0) {
		fprintf(stderr, "seed: %s\n", e.message);
		abort();
	}
}

static struct db *open_seeded(void)
{
	struct db *db = testdb_open();
	seed(db);
	return db;
}

static struct actor actor_for(const char *scope)
{
	struct actor a;
	memset(&a, 0, sizeof a);
	a.user_id = 1;
	snprintf(a.username, sizeof a.username, "u%s", scope);
	snprintf(a.role, sizeof a.role, "township_assistant");
	snprintf(a.region_code, sizeof a.region_code, "%s", scope);
	a.perms = PERM_REGION_READ | PERM_REGISTRY_READ | PERM_REGISTRY_WRITE | PERM_REGISTRY_UNMASK;
	a.scope.n = 1;
	snprintf(a.scope.prefix[0], sizeof a.scope.prefix[0], "%s", scope);
	snprintf(a.client, sizeof a.client, "test");
	return a;
}

/* A valid ID from 17 digits (check character computed). */
static const char *mkid(const char *d17, char out[19])
{
	memcpy(out, d17, 17);
	out[17] = idnum_check_char(d17);
	out[18] = '\0';
	return out;
}

static void set_member(struct registry_person_in *p, const char *id, const char *name,
		       const char *rel)
{
	memset(p, 0, sizeof *p);
	snprintf(p->id_number, sizeof p->id_number, "%s", id);
	snprintf(p->name, sizeof p->name, "%s", name);
	snprintf(p->relation, sizeof p->relation, "%s", rel);
}

static void set_household(struct registry_household_in *h, const char *village)
{
	memset(h, 0, sizeof *h);
	snprintf(h->region_code, sizeof h->region_code, "%s", village);
	snprintf(h->address, sizeof h->address, "测试路1号");
	snprintf(h->residence_type, sizeof h->residence_type, "rural");
}

/* Create a one-person household (the head) and return its id, or 0. */
static int64_t one_person(struct db *db, const struct actor *a, const char *village,
			  const char *id, const char *name)
{
	struct registry_household_in *h = calloc(1, sizeof *h);
	struct err e;
	int64_t hid = 0;
	set_household(h, village);
	h->n_members = 1;
	set_member(&h->members[0], id, name, "head");
	if (registry_household_create(db, a, h, &hid, &e) < 0)
		fprintf(stderr, "  one_person(%s): %s %s\n", name, e.code, e.message);
	free(h);
	return hid;
}

static int64_t count(struct db *db, const char *sql)
{
	return db_query_int(db, sql, NULL);
}

static int64_t person_id_of(struct db *db, const char *id_number)
{
	return db_query_int(db, "SELECT id FROM persons WHERE id_number = ?", id_number);
}

/* ---- creation and validation ---- */

TEST(create_household_derives_birth_date_and_sex)
{
	struct db *db = open_seeded();
	struct actor a = actor_for("370704008");
	struct registry_household_in *in = calloc(1, sizeof *in);
	struct registry_household *h = calloc(1, sizeof *h);
	struct err e;
	int64_t hid = 0;
	char id2[19];
	set_household(in, VILLAGE_A);
	in->n_members = 2;
	set_member(&in->members[0], "370704196001021239", "张三", "head");
	set_member(&in->members[1], mkid("37070419621103002", id2), "李四", "spouse");
	/* income: 120000 + 30000 = 150000 fen */
	in->members[0].n_income = 2;
	snprintf(in->members[0].income[0].type, REGISTRY_WORD_SZ, "wage");
	in->members[0].income[0].amount_fen = 120000;
	snprintf(in->members[0].income[1].type, REGISTRY_WORD_SZ, "farming");
	in->members[0].income[1].amount_fen = 30000;
	CHECK_EQ_INT(registry_household_create(db, &a, in, &hid, &e), 0);
	CHECK(hid > 0);
	CHECK_EQ_INT(registry_household_get(db, &a, hid, 0, h, &e), 0);
	CHECK_EQ_STR(h->region_name, "栾家山后村");
	CHECK_EQ_INT(h->n_members, 2);
	CHECK_EQ_STR(h->members[0].name, "张三");
	CHECK_EQ_STR(h->members[0].birth_date, "1960-01-02");
	CHECK_EQ_STR(h->members[0].sex, "male"); /* sequence 123: odd */
	CHECK_EQ_STR(h->members[1].birth_date, "1962-11-03");
	CHECK_EQ_STR(h->members[1].sex, "female"); /* sequence 002: even */
	CHECK_EQ_INT(h->members[0].monthly_income_fen, 150000);
	CHECK_EQ_INT(h->head_person_id, h->members[0].id);
	CHECK_EQ_STR(h->members[0].region_code, VILLAGE_A);
	/* id_rev is the ID reversed */
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM persons WHERE id_rev = '932120100691407073'",
				  NULL),
		     1);
	free(in);
	free(h);
	db_close(db);
}

TEST(bad_check_digit_rejected_with_member_field_and_nothing_stored)
{
	struct db *db = open_seeded();
	struct actor a = actor_for("370704008");
	struct registry_household_in *in = calloc(1, sizeof *in);
	struct err e;
	int64_t hid = 0;
	int64_t persons = count(db, "SELECT count(*) FROM persons");
	int64_t households = count(db, "SELECT count(*) FROM households");
	set_household(in, VILLAGE_A);
	in->n_members = 1;
	set_member(&in->members[0], "370704196001021235", "张三", "head"); /* check is 9, not 5 */
	CHECK_EQ_INT(registry_household_create(db, &a, in, &hid, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.code, "invalid_id_number");
	CHECK_EQ_STR(e.field, "members[0].id_number");
	CHECK(strstr(e.message, "应为 9") != NULL);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM persons"), persons);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM households"), households);
	free(in);
	db_close(db);
}

TEST(two_heads_rejected_with_head_count)
{
	struct db *db = open_seeded();
	struct actor a = actor_for("370704008");
	struct registry_household_in *in = calloc(1, sizeof *in);
	struct err e;
	int64_t hid = 0;
	char id1[19], id2[19];
	set_household(in, VILLAGE_A);
	in->n_members = 2;
	set_member(&in->members[0], mkid("37070419700101001", id1), "甲", "head");
	set_member(&in->members[1], mkid("37070419700101002", id2), "乙", "head");
	CHECK_EQ_INT(registry_household_create(db, &a, in, &hid, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.code, "head_count");
	CHECK_EQ_STR(e.field, "members");
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM households"), 0);
	free(in);
	db_close(db);
}

TEST(same_id_twice_in_one_request_rejected)
{
	struct db *db = open_seeded();
	struct actor a = actor_for("370704008");
	struct registry_household_in *in = calloc(1, sizeof *in);
	struct err e;
	int64_t hid = 0;
	char id1[19];
	set_household(in, VILLAGE_A);
	in->n_members = 2;
	set_member(&in->members[0], mkid("37070419700101001", id1), "甲", "head");
	set_member(&in->members[1], id1, "乙", "child");
	CHECK_EQ_INT(registry_household_create(db, &a, in, &hid, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.code, "duplicate_id_number");
	CHECK_EQ_STR(e.field, "members[1].id_number");
	free(in);
	db_close(db);
}

TEST(member_rules_name_relation_income_tags)
{
	struct registry_person_in p;
	struct err e;
	set_member(&p, "370704196001021239", "  张三  ", "head");
	p.n_tags = 3;
	snprintf(p.tags[0], REGISTRY_WORD_SZ, "orphan");
	snprintf(p.tags[1], REGISTRY_WORD_SZ, "elderly_alone");
	snprintf(p.tags[2], REGISTRY_WORD_SZ, "orphan");
	CHECK_EQ_INT(registry_person_check(&p, "2025-06-01", &e), 0);
	CHECK_EQ_STR(p.name, "张三");                /* trimmed */
	CHECK_EQ_STR(p.labour_capacity, "full"); /* default */
	CHECK_EQ_INT(p.n_tags, 2);               /* duplicate collapsed */

	set_member(&p, "370704196001021239", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一",
		   "head"); /* 31 characters */
	CHECK_EQ_INT(registry_person_check(&p, "2025-06-01", &e), -1);
	CHECK_EQ_STR(e.field, "name");

	set_member(&p, "370704196001021239", "张\x01三", "head");
	CHECK_EQ_INT(registry_person_check(&p, "2025-06-01", &e), -1);
	CHECK_EQ_STR(e.field, "name");

	set_member(&p, "370704196001021239", "张三", "uncle");
	CHECK_EQ_INT(registry_person_check(&p, "2025-06-01", &e), -1);
	CHECK_EQ_STR(e.field, "relation");

	set_member(&p, "370704196001021239", "张三", "head");
	p.n_income = 1;
	snprintf(p.income[0].type, REGISTRY_WORD_SZ, "wage");
	p.income[0].amount_fen = 10000001; /* one fen over the 10,000,000 limit */
	CHECK_EQ_INT(registry_person_check(&p, "2025-06-01", &e), -1);
	CHECK_EQ_STR(e.field, "income_items[0].amount_fen");

	set_member(&p, "370704196001021239", "张三", "head");
	p.disability_grade = 5;
	CHECK_EQ_INT(registry_person_check(&p, "2025-06-01", &e), -1);
	CHECK_EQ_STR(e.field, "disability_grade");

	set_member(&p, "370704196001021239", "张三", "head");
	snprintf(p.phone, sizeof p.phone, "12345");
	CHECK_EQ_INT(registry_person_check(&p, "2025-06-01", &e), -1);
	CHECK_EQ_STR(e.code, "invalid_phone");
	CHECK_EQ_STR(e.field, "phone");

	set_member(&p, "370704196001021239", "张三", "head");
	p.n_tags = 1;
	snprintf(p.tags[0], REGISTRY_WORD_SZ, "rich");
	CHECK_EQ_INT(registry_person_check(&p, "2025-06-01", &e), -1);
	CHECK_EQ_STR(e.field, "tags[0]");

	/* born 1960-01-02: future relative to a "today" of 1959-12-31 */
	set_member(&p, "370704196001021239", "张三", "head");
	CHECK_EQ_INT(registry_person_check(&p, "1959-12-31", &e), -1);
	CHECK_EQ_STR(e.code, "invalid_id_number");
}

TEST(household_rules_region_residence_address)
{
	struct registry_household_in *h = calloc(1, sizeof *h);
	struct err e;
	set_household(h, "370704008"); /* a township: 9 digits */
	h->n_members = 1;
	set_member(&h->members[0], "370704196001021239", "张三", "head");
	CHECK_EQ_INT(registry_household_check(h, "2025-06-01", &e), -1);
	CHECK_EQ_STR(e.code, "invalid_region");
	CHECK_EQ_STR(e.field, "region_code");

	set_household(h, VILLAGE_A);
	h->n_members = 1;
	set_member(&h->members[0], "370704196001021239", "张三", "head");
	snprintf(h->residence_type, sizeof h->residence_type, "suburban");
	CHECK_EQ_INT(registry_household_check(h, "2025-06-01", &e), -1);
	CHECK_EQ_STR(e.field, "residence_type");

	set_household(h, VILLAGE_A);
	h->n_members = 0;
	CHECK_EQ_INT(registry_household_check(h, "2025-06-01", &e), -1);
	CHECK_EQ_STR(e.field, "members");
	free(h);
}

/* ---- regions and scope ---- */

TEST(out_of_scope_village_forbidden_and_non_village_invalid)
{
	struct db *db = open_seeded();
	struct actor a = actor_for("370704008");
	struct registry_household_in *in = calloc(1, sizeof *in);
	struct err e;
	int64_t hid = 0;
	set_household(in, VILLAGE_B); /* another township */
	in->n_members = 1;
	set_member(&in->members[0], "370704196001021239", "张三", "head");
	CHECK_EQ_INT(registry_household_create(db, &a, in, &hid, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_STR(e.code, "out_of_scope");
	CHECK_EQ_STR(e.field, "region_code");

	snprintf(in->region_code, sizeof in->region_code, "370704008999"); /* unknown village */
	CHECK_EQ_INT(registry_household_create(db, &a, in, &hid, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.code, "invalid_region");
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM persons"), 0);
	free(in);
	db_close(db);
}

TEST(out_of_scope_read_is_not_found)
{
	struct db *db = open_seeded();
	struct actor a = actor_for("370704008"), b = actor_for("370704001");
	struct registry_household *h = calloc(1, sizeof *h);
	struct registry_person_detail d;
	struct err e;
	int64_t hid = one_person(db, &a, VILLAGE_A, "370704196001021239", "张三");
	int64_t pid = person_id_of(db, "370704196001021239");
	CHECK(hid > 0);
	CHECK_EQ_INT(registry_household_get(db, &b, hid, 0, h, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_STR(e.code, "not_found");
	CHECK_EQ_INT(registry_person_get(db, &b, pid, 0, &d, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	/* the same answer as for an id that does not exist */
	CHECK_EQ_INT(registry_household_get(db, &b, hid + 1000, 0, h, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	free(h);
	db_close(db);
}

TEST(duplicate_id_in_scope_names_village_and_household)
{
	struct db *db = open_seeded();
	struct actor a = actor_for("370704008");
	struct registry_household_in *in = calloc(1, sizeof *in);
	struct err e;
	int64_t hid = one_person(db, &a, VILLAGE_A, "370704196001021239", "张三"), hid2 = 0;
	char id2[19], want[200];
	set_household(in, VILLAGE_A2);
	in->n_members = 2;
	set_member(&in->members[0], mkid("37070419800101001", id2), "王五", "head");
	set_member(&in->members[1], "370704196001021239", "张三", "parent");
	CHECK_EQ_INT(registry_household_create(db, &a, in, &hid2, &e), -1);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "duplicate_id_number");
	CHECK_EQ_STR(e.field, "members[1].id_number");
	snprintf(want, sizeof want, "身份证号 370704********1239 已登记在 坊子区太保庄街道栾家山后村（户编号 %lld）",
		 (long long)hid);
	CHECK_EQ_STR(e.message, want);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM households"), 1);
	free(in);
	db_close(db);
}

TEST(duplicate_id_out_of_scope_names_only_the_county)
{
	struct db *db = open_seeded();
	struct actor a = actor_for("370704008"), k = actor_for("370705");
	struct err e;
	struct registry_household_in *in = calloc(1, sizeof *in);
	int64_t hid = 0;
	one_person(db, &a, VILLAGE_A, "370704196001021239", "张三");
	set_household(in, VILLAGE_K);
	in->n_members = 1;
	set_member(&in->members[0], "370704196001021239", "张三", "head");
	CHECK_EQ_INT(registry_household_create(db, &k, in, &hid, &e), -1);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "duplicate_id_number");
	CHECK_EQ_STR(e.message, "身份证号 370704********1239 已在 坊子区 登记，不在您的管辖范围内");
	CHECK(strstr(e.message, "栾家山后村") == NULL);
	free(in);
	db_close(db);
}

/* ---- search ---- */

/* Five persons: 张三, 张三丰, 张伟 in VILLAGE_A; 李四 in VILLAGE_A2; 赵六 in VILLAGE_B. */
static void seed_people(struct db *db)
{
	struct actor city = actor_for("3707");
	char id[19];
	one_person(db, &city, VILLAGE_A, "370704196001021239", "张三");
	one_person(db, &city, VILLAGE_A, mkid("37070419700101011", id), "张三丰");
	one_person(db, &city, VILLAGE_A, mkid("37070419750101021", id), "张伟");
	one_person(db, &city, VILLAGE_A2, mkid("37070419800101031", id), "李四");
	one_person(db, &city, VILLAGE_B, mkid("37070419850101041", id), "赵六");
}

static int search(struct db *db, const struct actor *a, const char *q, const char *region,
		  const char *tag, int limit, int offset, struct registry_person_page *pg)
{
	struct registry_person_query qq;
	struct err e;
	memset(&qq, 0, sizeof qq);
	snprintf(qq.q, sizeof qq.q, "%s", q);
	snprintf(qq.region, sizeof qq.region, "%s", region);
	snprintf(qq.tag, sizeof qq.tag, "%s", tag);
	qq.limit = limit;
	qq.offset = offset;
	int rc = registry_person_search(db, a, &qq, pg, &e);
	if (rc < 0)
		fprintf(stderr, "  search(%s): %s %s\n", q, e.code, e.message);
	return rc;
}

TEST(search_by_name_prefix)
{
	struct db *db = open_seeded();
	struct actor city = actor_for("3707");
	struct registry_person_page pg;
	seed_people(db);
	CHECK_EQ_INT(search(db, &city, "张三", "", "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 2);
	CHECK_EQ_INT(pg.n, 2);
	CHECK_EQ_STR(pg.items[0].name, "张三"); /* name order: 张三 < 张三丰 */
	CHECK_EQ_STR(pg.items[1].name, "张三丰");
	registry_person_page_release(&pg);
	CHECK_EQ_INT(search(db, &city, "张", "", "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 3);
	registry_person_page_release(&pg);
	CHECK_EQ_INT(search(db, &city, "王", "", "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 0);
	registry_person_page_release(&pg);
	db_close(db);
}

TEST(search_by_full_id_normalizes_case)
{
	struct db *db = open_seeded();
	struct actor city = actor_for("3707");
	struct registry_person_page pg;
	seed_people(db);
	CHECK_EQ_INT(search(db, &city, "370704196001021239", "", "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 1);
	CHECK_EQ_STR(pg.items[0].name, "张三");
	registry_person_page_release(&pg);
	/* 11010519491231002X written with a lower-case x finds the upper-case stored form */
	one_person(db, &city, VILLAGE_A2, "11010519491231002X", "孙七");
	CHECK_EQ_INT(search(db, &city, "11010519491231002x", "", "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 1);
	registry_person_page_release(&pg);
	db_close(db);
}

TEST(search_by_4_and_6_character_suffix)
{
	struct db *db = open_seeded();
	struct actor city = actor_for("3707");
	struct registry_person_page pg;
	seed_people(db);
	one_person(db, &city, VILLAGE_A2, "11010519491231002X", "孙七");
	CHECK_EQ_INT(search(db, &city, "1239", "", "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 1);
	CHECK_EQ_STR(pg.items[0].name, "张三");
	registry_person_page_release(&pg);
	CHECK_EQ_INT(search(db, &city, "021239", "", "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 1);
	registry_person_page_release(&pg);
	CHECK_EQ_INT(search(db, &city, "002x", "", "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 1);
	CHECK_EQ_STR(pg.items[0].name, "孙七");
	registry_person_page_release(&pg);
	CHECK_EQ_INT(search(db, &city, "9999", "", "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 0);
	registry_person_page_release(&pg);
	db_close(db);
}

TEST(search_by_tag)
{
	struct db *db = open_seeded();
	struct actor city = actor_for("3707");
	struct registry_person_page pg;
	struct registry_person_in patch;
	struct err e;
	seed_people(db);
	memset(&patch, 0, sizeof patch);
	patch.has = REGISTRY_HAS_TAGS;
	patch.n_tags = 1;
	snprintf(patch.tags[0], REGISTRY_WORD_SZ, "elderly_alone");
	CHECK_EQ_INT(registry_person_patch(db, &city, person_id_of(db, "370704196001021239"), &patch,
					   &e),
		     0);
	CHECK_EQ_INT(search(db, &city, "", "", "elderly_alone", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 1);
	CHECK_EQ_STR(pg.items[0].name, "张三");
	CHECK_EQ_INT(pg.items[0].n_tags, 1);
	registry_person_page_release(&pg);
	CHECK_EQ_INT(search(db, &city, "", "", "orphan", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 0);
	registry_person_page_release(&pg);
	/* the tag row carries the person's region code */
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM person_tags WHERE region_code = '370704008231'"),
		     1);
	db_close(db);
}

TEST(search_totals_and_paging)
{
	struct db *db = open_seeded();
	struct actor city = actor_for("3707");
	struct registry_person_page pg;
	seed_people(db);
	CHECK_EQ_INT(search(db, &city, "", "", "", 2, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 5);
	CHECK_EQ_INT(pg.n, 2);
	/* listing order: region_code, household_id, id → VILLAGE_B (370704001001) first */
	CHECK_EQ_STR(pg.items[0].name, "赵六");
	CHECK_EQ_STR(pg.items[1].name, "张三");
	registry_person_page_release(&pg);
	CHECK_EQ_INT(search(db, &city, "", "", "", 2, 4, &pg), 0);
	CHECK_EQ_INT(pg.total, 5);
	CHECK_EQ_INT(pg.n, 1);
	CHECK_EQ_STR(pg.items[0].name, "李四");
	registry_person_page_release(&pg);
	/* region narrows within scope */
	CHECK_EQ_INT(search(db, &city, "", VILLAGE_A, "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 3);
	registry_person_page_release(&pg);
	db_close(db);
}

TEST(search_never_shows_another_townships_persons)
{
	struct db *db = open_seeded();
	struct actor t = actor_for("370704008");
	struct registry_person_page pg;
	struct registry_person_query q;
	struct err e;
	seed_people(db);
	CHECK_EQ_INT(search(db, &t, "", "", "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 4);
	for (int i = 0; i < pg.n; i++)
		CHECK(strncmp(pg.items[i].region_code, "370704008", 9) == 0);
	registry_person_page_release(&pg);
	CHECK_EQ_INT(search(db, &t, "赵", "", "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 0);
	registry_person_page_release(&pg);
	/* a region filter outside the scope is refused, not widened */
	memset(&q, 0, sizeof q);
	snprintf(q.region, sizeof q.region, "%s", "370704001");
	CHECK_EQ_INT(registry_person_search(db, &t, &q, &pg, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	/* a wider filter overlapping the scope still only shows the scope */
	CHECK_EQ_INT(search(db, &t, "", "370704", "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 4);
	registry_person_page_release(&pg);
	db_close(db);
}

TEST(search_with_a_multi_prefix_scope_pages_across_prefixes)
{
	struct db *db = open_seeded();
	struct actor zone = actor_for("370704008");
	struct actor city = actor_for("3707");
	struct registry_person_page pg;
	char id[19];
	seed_people(db);
	one_person(db, &city, VILLAGE_K, mkid("37070519900101061", id), "钱八");
	/* a functional zone: one township of 坊子区 and one of 奎文区, listed out of order */
	zone.scope.n = 2;
	snprintf(zone.scope.prefix[0], sizeof zone.scope.prefix[0], "370705001");
	snprintf(zone.scope.prefix[1], sizeof zone.scope.prefix[1], "370704008");
	/* 370704008231: 张三 张三丰 张伟; 370704008232: 李四; 370705001001: 钱八 (赵六 is outside) */
	CHECK_EQ_INT(search(db, &zone, "", "", "", 2, 3, &pg), 0);
	CHECK_EQ_INT(pg.total, 5);
	CHECK_EQ_INT(pg.n, 2);
	if (pg.n == 2) {
		CHECK_EQ_STR(pg.items[0].name, "李四");
		CHECK_EQ_STR(pg.items[1].name, "钱八");
	}
	registry_person_page_release(&pg);
	CHECK_EQ_INT(search(db, &zone, "", "", "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.n, 5);
	for (int i = 0; i < pg.n; i++)
		CHECK(strcmp(pg.items[i].name, "赵六") != 0);
	registry_person_page_release(&pg);
	CHECK_EQ_INT(search(db, &zone, "赵", "", "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 0);
	registry_person_page_release(&pg);
	/* overlapping prefixes count each person once */
	zone.scope.n = 2;
	snprintf(zone.scope.prefix[0], sizeof zone.scope.prefix[0], "370704008");
	snprintf(zone.scope.prefix[1], sizeof zone.scope.prefix[1], "370704");
	CHECK_EQ_INT(search(db, &zone, "", "", "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 5);
	CHECK_EQ_INT(pg.n, 5);
	registry_person_page_release(&pg);
	db_close(db);
}

TEST(search_lists_only_active_persons)
{
	struct db *db = open_seeded();
	struct actor city = actor_for("3707");
	struct registry_person_page pg;
	struct err e;
	seed_people(db);
	int64_t pid = person_id_of(db, "370704196001021239");
	int64_t hid = db_query_int(db, "SELECT household_id FROM persons WHERE id_number = ?",
				   "370704196001021239");
	CHECK_EQ_INT(registry_member_remove(db, &city, hid, pid, "死亡", &e), 0);
	CHECK_EQ_INT(search(db, &city, "张三", "", "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 1); /* 张三丰 only */
	registry_person_page_release(&pg);
	CHECK_EQ_INT(search(db, &city, "370704196001021239", "", "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 0);
	registry_person_page_release(&pg);
	CHECK_EQ_INT(search(db, &city, "", "", "", 20, 0, &pg), 0);
	CHECK_EQ_INT(pg.total, 4);
	registry_person_page_release(&pg);
	db_close(db);
}

TEST(search_rejects_bad_queries)
{
	struct db *db = open_seeded();
	struct actor city = actor_for("3707");
	struct registry_person_query q;
	struct registry_person_page pg;
	struct err e;
	memset(&q, 0, sizeof q);
	snprintf(q.q, sizeof q.q, "123"); /* digits, but neither 4-6 nor a whole ID */
	CHECK_EQ_INT(registry_person_search(db, &city, &q, &pg, &e), -1);
	CHECK_EQ_STR(e.field, "q");
	memset(&q, 0, sizeof q);
	snprintf(q.tag, sizeof q.tag, "rich");
	CHECK_EQ_INT(registry_person_search(db, &city, &q, &pg, &e), -1);
	CHECK_EQ_STR(e.field, "tag");
	memset(&q, 0, sizeof q);
	q.limit = 201;
	CHECK_EQ_INT(registry_person_search(db, &city, &q, &pg, &e), -1);
	CHECK_EQ_STR(e.field, "limit");
	db_close(db);
}

/* ---- changes ---- */

TEST(move_writes_history_and_keeps_region_code_in_step)
{
	struct db *db = open_seeded();
	struct actor county = actor_for("370704");
	struct registry_person_in patch;
	struct registry_person_detail d;
	struct err e;
	char id[19];
	int64_t h1 = one_person(db, &county, VILLAGE_A, "370704196001021239", "张三");
	int64_t h2 = one_person(db, &county, VILLAGE_B, mkid("37070419800101031", id), "李四");
	(void)h1;
	/* give 张三 a second member to move */
	struct registry_person_in m;
	int64_t pid = 0;
	set_member(&m, mkid("37070420100101051", id), "张小", "child");
	m.n_tags = 1;
	snprintf(m.tags[0], REGISTRY_WORD_SZ, "left_behind_child");
	CHECK_EQ_INT(registry_member_add(db, &county, h1, &m, &pid, &e), 0);
	CHECK_EQ_INT(registry_person_move(db, &county, pid, h2, "grandchild", "随祖父母生活", &e), 0);
	CHECK_EQ_INT(registry_person_get(db, &county, pid, 0, &d, &e), 0);
	CHECK_EQ_INT(d.person.household_id, h2);
	CHECK_EQ_STR(d.person.region_code, VILLAGE_B);
	CHECK_EQ_STR(d.person.relation, "grandchild");
	CHECK_EQ_INT(d.n_history, 2);
	if (d.n_history == 2) {
		CHECK_EQ_STR(d.history[0].action, "registered");
		CHECK_EQ_STR(d.history[1].action, "moved");
		CHECK_EQ_INT(d.history[1].from_household_id, h1);
		CHECK_EQ_INT(d.history[1].to_household_id, h2);
		CHECK_EQ_STR(d.history[1].reason, "随祖父母生活");
		CHECK_EQ_STR(d.history[1].by, "u370704");
	}
	registry_person_detail_release(&d);
	/* tags follow the person's region */
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM person_tags WHERE region_code = '370704001001'"),
		     1);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM persons p JOIN households h ON h.id = "
			       "p.household_id WHERE p.region_code <> h.region_code"),
		     0);
	(void)patch;
	db_close(db);
}

TEST(moving_the_head_out_is_refused_while_others_remain)
{
	struct db *db = open_seeded();
	struct actor a = actor_for("370704008");
	struct registry_person_in m;
	struct err e;
	char id[19];
	int64_t pid = 0;
	int64_t h1 = one_person(db, &a, VILLAGE_A, "370704196001021239", "张三");
	int64_t h2 = one_person(db, &a, VILLAGE_A2, mkid("37070419800101031", id), "李四");
	set_member(&m, mkid("37070419620101022", id), "王芳", "spouse");
	CHECK_EQ_INT(registry_member_add(db, &a, h1, &m, &pid, &e), 0);
	int64_t head = person_id_of(db, "370704196001021239");
	CHECK_EQ_INT(registry_person_move(db, &a, head, h2, "parent", "", &e), -1);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "head_required");
	/* moving in as a second head is refused too */
	CHECK_EQ_INT(registry_person_move(db, &a, pid, h2, "head", "", &e), -1);
	CHECK_EQ_STR(e.code, "head_count");
	db_close(db);
}

TEST(head_cannot_be_removed_while_others_remain)
{
	struct db *db = open_seeded();
	struct actor a = actor_for("370704008");
	struct registry_person_in m;
	struct err e;
	char id[19];
	int64_t pid = 0;
	int64_t h1 = one_person(db, &a, VILLAGE_A, "370704196001021239", "张三");
	set_member(&m, mkid("37070419620101022", id), "王芳", "spouse");
	CHECK_EQ_INT(registry_member_add(db, &a, h1, &m, &pid, &e), 0);
	int64_t head = person_id_of(db, "370704196001021239");
	CHECK_EQ_INT(registry_member_remove(db, &a, h1, head, "死亡", &e), -1);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "head_required");
	CHECK_EQ_INT(registry_member_remove(db, &a, h1, pid, "", &e), -1); /* reason required */
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_STR(e.field, "reason");
	/* promoting the spouse demotes the old head, after which he can be removed */
	struct registry_person_in patch;
	memset(&patch, 0, sizeof patch);
	patch.has = REGISTRY_HAS_RELATION;
	snprintf(patch.relation, sizeof patch.relation, "head");
	CHECK_EQ_INT(registry_person_patch(db, &a, pid, &patch, &e), 0);
	CHECK_EQ_INT(db_query_int(db, "SELECT head_person_id FROM households", NULL), pid);
	CHECK_EQ_INT(registry_member_remove(db, &a, h1, head, "死亡", &e), 0);
	db_close(db);
}

TEST(household_patch_changes_only_given_fields_and_never_the_village)
{
	struct db *db = open_seeded();
	struct actor a = actor_for("370704008");
	struct registry_household_in *in = calloc(1, sizeof *in);
	struct registry_household *h = calloc(1, sizeof *h);
	struct err e;
	int64_t hid = one_person(db, &a, VILLAGE_A, "370704196001021239", "张三");
	in->has = REGISTRY_HAS_PHONE | REGISTRY_HAS_REGION;
	snprintf(in->phone, sizeof in->phone, "0536 8123456");
	snprintf(in->region_code, sizeof in->region_code, VILLAGE_A); /* unchanged: accepted */
	CHECK_EQ_INT(registry_household_patch(db, &a, hid, in, &e), 0);
	CHECK_EQ_INT(registry_household_get(db, &a, hid, 0, h, &e), 0);
	CHECK_EQ_STR(h->phone, "0536-8123456"); /* normalized */
	CHECK_EQ_STR(h->address, "测试路1号");   /* untouched */
	snprintf(in->region_code, sizeof in->region_code, VILLAGE_A2);
	CHECK_EQ_INT(registry_household_patch(db, &a, hid, in, &e), -1);
	CHECK_EQ_STR(e.field, "region_code");
	memset(in, 0, sizeof *in);
	CHECK_EQ_INT(registry_household_patch(db, &a, hid, in, &e), -1);
	CHECK_EQ_STR(e.code, "required");
	free(in);
	free(h);
	db_close(db);
}

TEST(remove_then_reregister_restores_the_same_person)
{
	struct db *db = open_seeded();
	struct actor a = actor_for("370704008");
	struct registry_person_detail d;
	struct err e;
	int64_t h1 = one_person(db, &a, VILLAGE_A, "370704196001021239", "张三");
	int64_t pid = person_id_of(db, "370704196001021239");
	CHECK_EQ_INT(registry_member_remove(db, &a, h1, pid, "外出务工", &e), 0);
	CHECK_EQ_INT(db_query_int(db, "SELECT head_person_id IS NULL FROM households", NULL), 1);
	int64_t h2 = one_person(db, &a, VILLAGE_A2, "370704196001021239", "张三");
	CHECK(h2 > 0);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM persons"), 1);
	CHECK_EQ_INT(person_id_of(db, "370704196001021239"), pid);
	CHECK_EQ_INT(registry_person_get(db, &a, pid, 0, &d, &e), 0);
	CHECK_EQ_STR(d.person.status, "active");
	CHECK_EQ_INT(d.person.household_id, h2);
	CHECK_EQ_STR(d.person.region_code, VILLAGE_A2);
	CHECK_EQ_INT(d.n_history, 3);
	if (d.n_history == 3) {
		CHECK_EQ_STR(d.history[1].action, "removed");
		CHECK_EQ_STR(d.history[1].reason, "外出务工");
		CHECK_EQ_STR(d.history[2].action, "restored");
		CHECK_EQ_INT(d.history[2].from_household_id, h1);
		CHECK_EQ_INT(d.history[2].to_household_id, h2);
	}
	registry_person_detail_release(&d);
	db_close(db);
}

TEST(every_write_is_audited_and_a_failed_write_is_not)
{
	struct db *db = open_seeded();
	struct actor a = actor_for("370704008");
	struct registry_person_in m;
	struct registry_household_in *hp = calloc(1, sizeof *hp);
	struct err e;
	char id[19];
	int64_t pid = 0;
	int64_t h1 = one_person(db, &a, VILLAGE_A, "370704196001021239", "张三");
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM audit_log WHERE action = 'household.create' AND "
			       "outcome = 'ok'"),
		     1);
	int64_t h2 = one_person(db, &a, VILLAGE_A2, mkid("37070419800101031", id), "李四");
	set_member(&m, mkid("37070419620101022", id), "王芳", "spouse");
	CHECK_EQ_INT(registry_member_add(db, &a, h1, &m, &pid, &e), 0);
	hp->has = REGISTRY_HAS_ADDRESS;
	snprintf(hp->address, sizeof hp->address, "新地址");
	CHECK_EQ_INT(registry_household_patch(db, &a, h1, hp, &e), 0);
	struct registry_person_in patch;
	memset(&patch, 0, sizeof patch);
	patch.has = REGISTRY_HAS_NAME;
	snprintf(patch.name, sizeof patch.name, "王芳芳");
	CHECK_EQ_INT(registry_person_patch(db, &a, pid, &patch, &e), 0);
	CHECK_EQ_INT(registry_person_move(db, &a, pid, h2, "spouse", "", &e), 0);
	CHECK_EQ_INT(registry_member_remove(db, &a, h2, pid, "迁出本市", &e), 0);
	int64_t total = count(db, "SELECT count(*) FROM audit_log");
	CHECK_EQ_INT(total, 7);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM audit_log WHERE action IN ('person.add', "
			       "'household.update', 'person.update', 'person.move', 'person.remove')"),
		     5);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM audit_log WHERE object = 'household:1'"), 2);

	/* failures: duplicate ID, out of scope, bad relation — no audit row, no change */
	set_member(&m, "370704196001021239", "张三", "child");
	CHECK_EQ_INT(registry_member_add(db, &a, h2, &m, &pid, &e), -1);
	CHECK_EQ_INT(registry_person_move(db, &a, person_id_of(db, "370704196001021239"), h2, "uncle",
					  "", &e),
		     -1);
	patch.has = REGISTRY_HAS_RELATION;
	snprintf(patch.relation, sizeof patch.relation, "uncle");
	CHECK_EQ_INT(registry_person_patch(db, &a, person_id_of(db, "370704196001021239"), &patch, &e),
		     -1);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM audit_log"), total);
	struct actor b = actor_for("370704001");
	CHECK_EQ_INT(registry_household_patch(db, &b, h1, hp, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM audit_log"), total);
	free(hp);
	db_close(db);
}

TEST(unmask_needs_the_permission_and_is_audited)
{
	struct db *db = open_seeded();
	struct actor a = actor_for("370704008");
	struct actor reader = a;
	struct registry_household *h = calloc(1, sizeof *h);
	struct registry_person_detail d;
	struct err e;
	reader.perms = PERM_REGISTRY_READ;
	int64_t hid = one_person(db, &a, VILLAGE_A, "370704196001021239", "张三");
	int64_t pid = person_id_of(db, "370704196001021239");
	int64_t before = count(db, "SELECT count(*) FROM audit_log");
	CHECK_EQ_INT(registry_household_get(db, &reader, hid, 1, h, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_STR(e.code, "forbidden");
	CHECK_EQ_INT(registry_household_get(db, &a, hid, 1, h, &e), 0);
	CHECK_EQ_INT(h->unmasked, 1);
	CHECK_EQ_INT(registry_person_get(db, &a, pid, 1, &d, &e), 0);
	registry_person_detail_release(&d);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM audit_log"), before + 2);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM audit_log WHERE action = 'person.unmask'"), 1);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM audit_log WHERE action = 'household.unmask'"), 1);
	/* a plain read is not audited */
	CHECK_EQ_INT(registry_household_get(db, &reader, hid, 0, h, &e), 0);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM audit_log"), before + 2);
	free(h);
	db_close(db);
}

/* ---- JSON ---- */

TEST(person_json_masks_and_computes_age)
{
	struct registry_person p;
	memset(&p, 0, sizeof p);
	p.id = 12;
	p.household_id = 5;
	snprintf(p.region_code, sizeof p.region_code, VILLAGE_A);
	snprintf(p.id_number, sizeof p.id_number, "370704196001021239");
	snprintf(p.name, sizeof p.name, "张三");
	snprintf(p.relation, sizeof p.relation, "head");
	snprintf(p.sex, sizeof p.sex, "male");
	snprintf(p.birth_date, sizeof p.birth_date, "1960-01-02");
	snprintf(p.phone, sizeof p.phone, "13812345678");
	snprintf(p.labour_capacity, sizeof p.labour_capacity, "full");
	snprintf(p.status, sizeof p.status, "active");
	json_t *o = registry_person_json(&p, 0, "2026-01-01");
	CHECK_EQ_STR(json_string_value(json_object_get(o, "id_number")), "370704********1239");
	CHECK_EQ_STR(json_string_value(json_object_get(o, "phone")), "138****5678");
	CHECK_EQ_INT(json_integer_value(json_object_get(o, "age")), 65); /* birthday on 01-02 */
	CHECK(json_is_true(json_object_get(o, "masked")));
	CHECK(json_is_array(json_object_get(o, "tags")));
	json_decref(o);
	o = registry_person_json(&p, 1, "2026-01-02");
	CHECK_EQ_STR(json_string_value(json_object_get(o, "id_number")), "370704196001021239");
	CHECK_EQ_INT(json_integer_value(json_object_get(o, "age")), 66);
	CHECK(json_is_false(json_object_get(o, "masked")));
	json_decref(o);
}

TEST(household_json_has_the_documented_keys)
{
	struct db *db = open_seeded();
	struct actor a = actor_for("370704008");
	struct registry_household *h = calloc(1, sizeof *h);
	struct err e;
	int64_t hid = one_person(db, &a, VILLAGE_A, "370704196001021239", "张三");
	CHECK_EQ_INT(registry_household_get(db, &a, hid, 0, h, &e), 0);
	json_t *o = registry_household_json(h, NULL);
	const char *keys[] = {"id",	       "region_code", "region_name", "address",
			      "residence_type", "phone",       "head_person_id", "member_count",
			      "members",	"created_at",  "updated_at"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		CHECK(json_object_get(o, keys[i]) != NULL);
	CHECK_EQ_INT(json_integer_value(json_object_get(o, "member_count")), 1);
	CHECK_EQ_STR(json_string_value(json_object_get(o, "region_name")), "栾家山后村");
	json_decref(o);
	free(h);
	db_close(db);
}

TEST(household_from_json_names_the_bad_field)
{
	struct registry_household_in *h = calloc(1, sizeof *h);
	struct err e;
	json_error_t je;
	json_t *o = json_loads("{\"region_code\":\"370704008231\",\"residence_type\":\"rural\","
			       "\"members\":[{\"id_number\":\"370704196001021239\",\"name\":\"张三\","
			       "\"relation\":\"head\",\"disability_grade\":\"two\"}]}",
			       0, &je);
	CHECK_EQ_INT(registry_household_from_json(o, h, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.code, "invalid_value");
	CHECK_EQ_STR(e.field, "members[0].disability_grade");
	json_decref(o);
	o = json_loads("{\"region_code\":\"370704008231\",\"members\":[{\"id_number\":\"x\","
		       "\"income_items\":[{\"type\":\"wage\",\"amount_fen\":1.5}],\"unknown\":1}]}",
		       0, &je);
	CHECK_EQ_INT(registry_household_from_json(o, h, &e), -1);
	CHECK_EQ_STR(e.field, "members[0].income_items[0].amount_fen");
	json_decref(o);
	o = json_loads("{\"region_code\":\"370704008231\",\"members\":[{\"id_number\":\"x\","
		       "\"tags\":[\"orphan\"],\"serious_illness\":true,\"sex\":\"female\"}]}",
		       0, &je);
	CHECK_EQ_INT(registry_household_from_json(o, h, &e), 0);
	CHECK_EQ_INT(h->n_members, 1);
	CHECK_EQ_INT(h->members[0].serious_illness, 1);
	CHECK_EQ_INT(h->members[0].n_tags, 1);
	CHECK(h->has & REGISTRY_HAS_REGION);
	CHECK(!(h->has & REGISTRY_HAS_ADDRESS));
	json_decref(o);
	free(h);
}

/* ---- HTTP handlers (the router's checks are the router's tests) ---- */

static const struct api_route *route(const char *method, const char *pattern)
{
	for (const struct api_route *r = registry_routes; r->method; r++)
		if (strcmp(r->method, method) == 0 && strcmp(r->pattern, pattern) == 0)
			return r;
	return NULL;
}

/* Call the handler of method+pattern with up to two path parameters; the reply in *rs. */
static int call(struct db *db, const struct actor *a, const char *method, const char *pattern,
		const char *p0, const char *p1, const char *query, const char *body,
		struct api_res *rs, struct err *e)
{
	const struct api_route *r = route(method, pattern);
	struct api_req rq;
	memset(&rq, 0, sizeof rq);
	memset(rs, 0, sizeof *rs);
	rs->status = 200;
	rq.method = method;
	rq.path = pattern;
	rq.query = query ? query : "";
	rq.body = body;
	rq.body_len = body ? strlen(body) : 0;
	rq.params[0] = p0;
	rq.params[1] = p1;
	rq.nparams = p1 ? 2 : p0 ? 1 : 0;
	rq.actor = a;
	rq.db = db;
	if (!r)
		return err_set(e, 404, "no_route", NULL, "no route");
	return r->fn(&rq, rs, e);
}

TEST(routes_need_read_or_write_permission)
{
	int n = 0;
	for (const struct api_route *r = registry_routes; r->method; r++, n++) {
		if (strcmp(r->method, "GET") == 0)
			CHECK_EQ_INT(r->perm, PERM_REGISTRY_READ);
		else
			CHECK_EQ_INT(r->perm, PERM_REGISTRY_WRITE);
	}
	CHECK_EQ_INT(n, 9);
}

TEST(api_create_household_answers_201_with_masked_members)
{
	struct db *db = open_seeded();
	struct actor a = actor_for("370704008");
	struct api_res rs;
	struct err e;
	CHECK_EQ_INT(call(db, &a, "POST", "/api/v1/households", NULL, NULL, NULL,
			  "{\"region_code\":\"370704008231\",\"address\":\"栾家山后村1号\","
			  "\"residence_type\":\"rural\",\"phone\":\"0536-8123456\",\"members\":["
			  "{\"id_number\":\"370704196001021239\",\"name\":\"张三\",\"relation\":\"head\","
			  "\"phone\":\"138 1234 5678\",\"tags\":[\"elderly_alone\"],"
			  "\"income_items\":[{\"type\":\"pension\",\"amount_fen\":150000}]}]}",
			  &rs, &e),
		     0);
	CHECK_EQ_INT(rs.status, 201);
	json_t *h = rs.body;
	CHECK_EQ_STR(json_string_value(json_object_get(h, "phone")), "0536-*****56");
	CHECK_EQ_INT(json_integer_value(json_object_get(h, "member_count")), 1);
	json_t *m = json_array_get(json_object_get(h, "members"), 0);
	CHECK_EQ_STR(json_string_value(json_object_get(m, "id_number")), "370704********1239");
	CHECK_EQ_STR(json_string_value(json_object_get(m, "phone")), "138****5678");
	CHECK_EQ_STR(json_string_value(json_object_get(m, "sex")), "male");
	CHECK_EQ_INT(json_integer_value(json_object_get(m, "monthly_income_fen")), 150000);
	CHECK(json_is_true(json_object_get(m, "masked")));
	CHECK_EQ_INT(json_integer_value(json_object_get(h, "head_person_id")),
		     json_integer_value(json_object_get(m, "id")));
	json_decref(rs.body);

	/* the same body again: 409 naming the household */
	CHECK_EQ_INT(call(db, &a, "POST", "/api/v1/households", NULL, NULL, NULL,
			  "{\"region_code\":\"370704008231\",\"residence_type\":\"rural\","
			  "\"members\":[{\"id_number\":\"370704196001021239\",\"name\":\"张三\","
			  "\"relation\":\"head\"}]}",
			  &rs, &e),
		     -1);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.field, "members[0].id_number");
	db_close(db);
}

TEST(api_person_search_answers_items_total_limit_offset)
{
	struct db *db = open_seeded();
	struct actor city = actor_for("3707");
	struct api_res rs;
	struct err e;
	seed_people(db);
	CHECK_EQ_INT(call(db, &city, "GET", "/api/v1/persons", NULL, NULL,
			  "q=%E5%BC%A0&limit=2&offset=1", NULL, &rs, &e), /* q=张 */
		     0);
	CHECK_EQ_INT(rs.status, 200);
	CHECK_EQ_INT(json_integer_value(json_object_get(rs.body, "total")), 3);
	CHECK_EQ_INT(json_integer_value(json_object_get(rs.body, "limit")), 2);
	CHECK_EQ_INT(json_integer_value(json_object_get(rs.body, "offset")), 1);
	CHECK_EQ_INT(json_array_size(json_object_get(rs.body, "items")), 2);
	json_decref(rs.body);
	CHECK_EQ_INT(call(db, &city, "GET", "/api/v1/persons", NULL, NULL, "limit=500", NULL, &rs, &e),
		     -1);
	CHECK_EQ_INT(e.status, 400);
	db_close(db);
}

TEST(api_person_detail_unmasks_and_shows_history)
{
	struct db *db = open_seeded();
	struct actor a = actor_for("370704008");
	struct api_res rs;
	struct err e;
	char id[24];
	one_person(db, &a, VILLAGE_A, "370704196001021239", "张三");
	snprintf(id, sizeof id, "%lld", (long long)person_id_of(db, "370704196001021239"));
	CHECK_EQ_INT(call(db, &a, "GET", "/api/v1/persons/{id}", id, NULL, "unmask=1", NULL, &rs, &e),
		     0);
	CHECK_EQ_STR(json_string_value(json_object_get(rs.body, "id_number")), "370704196001021239");
	CHECK(json_is_false(json_object_get(rs.body, "masked")));
	json_t *h0 = json_array_get(json_object_get(rs.body, "history"), 0);
	CHECK_EQ_STR(json_string_value(json_object_get(h0, "action")), "registered");
	CHECK(json_is_null(json_object_get(h0, "from_household_id")));
	json_decref(rs.body);
	/* DELETE without a body: the reason is required */
	CHECK_EQ_INT(call(db, &a, "DELETE", "/api/v1/households/{id}/members/{person_id}", "1", id,
			  NULL, NULL, &rs, &e),
		     -1);
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_STR(e.field, "reason");
	CHECK_EQ_INT(call(db, &a, "POST", "/api/v1/persons/{id}/move", id, NULL, NULL,
			  "{\"relation\":\"child\"}", &rs, &e),
		     -1);
	CHECK_EQ_STR(e.field, "household_id");
	db_close(db);
}

UNIT_MAIN(create_household_derives_birth_date_and_sex,
	  bad_check_digit_rejected_with_member_field_and_nothing_stored, two_heads_rejected_with_head_count,
	  same_id_twice_in_one_request_rejected, member_rules_name_relation_income_tags,
	  household_rules_region_residence_address, out_of_scope_village_forbidden_and_non_village_invalid,
	  out_of_scope_read_is_not_found, duplicate_id_in_scope_names_village_and_household,
	  duplicate_id_out_of_scope_names_only_the_county, search_by_name_prefix,
	  search_by_full_id_normalizes_case, search_by_4_and_6_character_suffix, search_by_tag,
	  search_totals_and_paging, search_never_shows_another_townships_persons,
	  search_with_a_multi_prefix_scope_pages_across_prefixes, search_lists_only_active_persons,
	  search_rejects_bad_queries,
	  move_writes_history_and_keeps_region_code_in_step,
	  moving_the_head_out_is_refused_while_others_remain,
	  head_cannot_be_removed_while_others_remain,
	  household_patch_changes_only_given_fields_and_never_the_village,
	  remove_then_reregister_restores_the_same_person,
	  every_write_is_audited_and_a_failed_write_is_not, unmask_needs_the_permission_and_is_audited,
	  person_json_masks_and_computes_age, household_json_has_the_documented_keys,
	  household_from_json_names_the_bad_field, routes_need_read_or_write_permission,
	  api_create_household_answers_201_with_masked_members,
	  api_person_search_answers_items_total_limit_offset,
	  api_person_detail_unmasks_and_shows_history)
