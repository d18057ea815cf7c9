/* test_documents.c — the documents module (src/documents/): issuing a document to units with
 * its file, the list of units that have not acknowledged, acknowledging for one's own unit
 * (once; 404 for a unit it was not sent to), who may see a document and its file, the file
 * size limit (413), and the count of documents issued per issuing unit.
 */
#include <stdlib.h>

#include "documents/documents.h"
#include "testdb.h"
#include "unit.h"

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

/* 坊子区 with one township and village, 奎文区, and the 峡山 zone. */
static struct db *open_seeded(void)
{
	struct db *db = testdb_open();
	exec(
	    db,
	    "INSERT INTO regions(code, name, level, parent_code, unit_code) VALUES"
	    " ('37', '山东省', 1, NULL, NULL), ('3707', '潍坊市', 2, '37', NULL),"
	    " ('370704', '坊子区', 3, '3707', '370704'), ('370705', '奎文区', 3, '3707', '370705'),"
	    " ('370704008', '太保庄街道', 4, '370704', '370704'),"
	    " ('370705001', '东关街道', 4, '370705', '370705'),"
	    " ('370704008231', '栾家山后村', 5, '370704008', '370704');"
	    "INSERT INTO units(code, name, kind, city_code) VALUES"
	    " ('370704', '坊子区', 'county', '3707'), ('370705', '奎文区', 'county', '3707');");
	return db;
}

static struct actor actor_of(const char *role, const char *region, uint32_t perms)
{
	struct actor a;
	memset(&a, 0, sizeof a);
	snprintf(a.username, sizeof a.username, "%s_%s", role, region);
	snprintf(a.role, sizeof a.role, "%s", role);
	snprintf(a.region_code, sizeof a.region_code, "%s", region);
	a.perms = perms;
	a.scope.n = 1;
	snprintf(a.scope.prefix[0], REGION_CODE_MAX, "%s", region);
	snprintf(a.client, sizeof a.client, "test");
	return a;
}

#define ISSUER (PERM_LOGIN | PERM_DOCUMENTS)

static int issue(struct db *db, const struct actor *a, const char *number, const char *issuer,
		 const char *date, const char *const *codes, int n, size_t file_len, int64_t *id,
		 struct err *e)
{
	struct documents_in in;
	struct documents_recipient_in r[8];
	static unsigned char file[DOCUMENTS_FILE_MAX + 16];
	memset(&in, 0, sizeof in);
	memset(r, 0, sizeof r);
	snprintf(in.number, sizeof in.number, "%s", number);
	snprintf(in.title, sizeof in.title, "关于做好疫情防控工作的通知");
	snprintf(in.issuing_body, sizeof in.issuing_body, "潍坊市民政局");
	snprintf(in.issuer_code, sizeof in.issuer_code, "%s", issuer);
	snprintf(in.issued_on, sizeof in.issued_on, "%s", date);
	for (int i = 0; i < n; i++)
		snprintf(r[i].code, sizeof r[i].code, "%s", codes[i]);
	in.recipients = r;
	in.n_recipients = n;
	if (file_len) {
		memset(file, 'a', sizeof file);
		in.file = file;
		in.file_len = file_len;
		snprintf(in.file_name, sizeof in.file_name, "通知.txt");
		snprintf(in.file_type, sizeof in.file_type, "text/plain");
	}
	return documents_issue(db, a, &in, id, e);
}

static int64_t total(json_t *o)
{
	int64_t n = json_integer_value(json_object_get(o, "total"));
	json_decref(o);
	return n;
}

static void by_issuer(void *ctx, const char *code, int64_t v)
{
	int64_t *c = ctx;
	if (strcmp(code, "3707") == 0)
		c[0] += v;
	else
		c[1] += v;
}

TEST(acknowledgement_and_the_list_of_units_that_have_not)
{
	struct db *db = open_seeded();
	struct actor city = actor_of("city_admin", "3707", ISSUER | PERM_REGISTRY_UNMASK);
	struct actor fz = actor_of("county_staff", "370704", ISSUER);
	struct actor kw = actor_of("county_staff", "370705", ISSUER);
	struct actor town = actor_of("township_assistant", "370704008", PERM_LOGIN);
	struct err e;
	json_t *out;
	int64_t id;
	const char *units[2] = {"370704", "370705"};
	CHECK_EQ_INT(issue(db, &city, "潍民发〔2020〕1号", "3707", "2020-01-24", units, 2, 10, &id, &e), 0);
	CHECK_EQ_INT(documents_pending(db, &city, id, &out, &e), 0);
	CHECK_EQ_INT(total(out), 2);
	CHECK_EQ_INT(documents_acknowledge(db, &fz, id, &e), 0);
	CHECK_EQ_INT(documents_acknowledge(db, &fz, id, &e), -1);
	CHECK_EQ_STR(e.code, "already_acknowledged");
	CHECK_EQ_INT(e.status, 409);
	/* not sent to the township */
	CHECK_EQ_INT(documents_acknowledge(db, &town, id, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(documents_pending(db, &city, id, &out, &e), 0);
	json_t *it = json_array_get(json_object_get(out, "items"), 0);
	CHECK_EQ_STR(json_string_value(json_object_get(it, "code")), "370705");
	CHECK_EQ_INT(total(out), 1);
	/* a recipient sees the document, its own row only, and may not ask who is pending */
	CHECK_EQ_INT(documents_get(db, &kw, id, &out, &e), 0);
	CHECK_EQ_INT(json_array_size(json_object_get(out, "recipients_list")), 2); /* kw issues too: scope holds 370705 */
	json_decref(out);
	struct actor kw_user = actor_of("village_worker", "370705", PERM_LOGIN);
	CHECK_EQ_INT(documents_get(db, &kw_user, id, &out, &e), 0);
	CHECK_EQ_INT(json_array_size(json_object_get(out, "recipients_list")), 1);
	CHECK(json_is_null(json_object_get(json_object_get(out, "mine"), "acknowledged_at")));
	json_decref(out);
	CHECK_EQ_INT(documents_pending(db, &kw_user, id, &out, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(documents_acknowledge(db, &kw_user, id, &e), 0);
	CHECK_EQ_INT(documents_pending(db, &city, id, &out, &e), 0);
	CHECK_EQ_INT(total(out), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'documents.acknowledge'"), 2);
	db_close(db);
}

TEST(who_sees_a_document_and_its_file)
{
	struct db *db = open_seeded();
	struct actor fz = actor_of("county_staff", "370704", ISSUER);
	struct actor kw = actor_of("county_staff", "370705", ISSUER);
	struct actor town = actor_of("township_assistant", "370704008", PERM_LOGIN);
	struct err e;
	json_t *out;
	int64_t id;
	const char *one[1] = {"370704008"};
	CHECK_EQ_INT(issue(db, &fz, "坊民发〔2020〕3号", "", "2020-02-01", one, 1, 100, &id, &e), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM documents WHERE issuer_code = '370704'"), 1);
	CHECK_EQ_INT(documents_get(db, &kw, id, &out, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	char *data;
	size_t len;
	char name[256], type[128];
	CHECK_EQ_INT(documents_file(db, &kw, id, &data, &len, name, type, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(documents_file(db, &town, id, &data, &len, name, type, &e), 0);
	CHECK_EQ_INT((int64_t)len, 100);
	CHECK_EQ_STR(name, "通知.txt");
	CHECK_EQ_STR(type, "text/plain");
	free(data);
	struct documents_query dq;
	memset(&dq, 0, sizeof dq);
	dq.limit = 50;
	CHECK_EQ_INT(documents_list(db, &town, &dq, &out, &e), 0);
	CHECK_EQ_INT(total(out), 1);
	dq.unacknowledged = 1;
	CHECK_EQ_INT(documents_acknowledge(db, &town, id, &e), 0);
	CHECK_EQ_INT(documents_list(db, &town, &dq, &out, &e), 0);
	CHECK_EQ_INT(total(out), 0);
	CHECK_EQ_INT(documents_list(db, &kw, &dq, &out, &e), 0);
	CHECK_EQ_INT(total(out), 0);
	db_close(db);
}

TEST(refused_issues_write_nothing)
{
	struct db *db = open_seeded();
	struct actor fz = actor_of("county_staff", "370704", ISSUER);
	struct actor town = actor_of("township_assistant", "370704008", PERM_LOGIN);
	struct err e;
	int64_t id;
	const char *other[1] = {"370705"};
	const char *mine[1] = {"370704008"};
	CHECK_EQ_INT(issue(db, &fz, "X1", "", "2020-02-01", other, 1, 0, &id, &e), -1);
	CHECK_EQ_STR(e.code, "out_of_scope");
	CHECK_EQ_INT(issue(db, &fz, "X1", "3707", "2020-02-01", mine, 1, 0, &id, &e), -1);
	CHECK_EQ_STR(e.field, "issuer_code");
	CHECK_EQ_INT(issue(db, &fz, "X1", "", "2020-02-01", mine, 0, 0, &id, &e), -1);
	CHECK_EQ_STR(e.field, "recipients");
	CHECK_EQ_INT(issue(db, &fz, "X1", "", "2020-02-01", mine, 1, DOCUMENTS_FILE_MAX + 1, &id, &e), -1);
	CHECK_EQ_INT(e.status, 413);
	CHECK_EQ_STR(e.code, "file_too_large");
	CHECK_EQ_INT(issue(db, &town, "X1", "", "2020-02-01", mine, 1, 0, &id, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(issue(db, &fz, "X1", "", "2020-02-01", mine, 1, DOCUMENTS_FILE_MAX, &id, &e), 0);
	CHECK_EQ_INT(issue(db, &fz, "X1", "", "2020-02-02", mine, 1, 0, &id, &e), -1);
	CHECK_EQ_STR(e.code, "duplicate_number");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM documents"), 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM documents_recipients"), 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log"), 1);
	db_close(db);
}

TEST(documents_issued_are_counted_by_date_and_issuing_unit)
{
	struct db *db = open_seeded();
	struct actor city = actor_of("city_admin", "3707", ISSUER);
	struct actor fz = actor_of("county_staff", "370704", ISSUER);
	struct err e;
	int64_t id;
	const char *units[2] = {"370704", "370705"};
	const char *mine[1] = {"370704008"};
	CHECK_EQ_INT(issue(db, &city, "A1", "3707", "2020-01-24", units, 2, 0, &id, &e), 0);
	CHECK_EQ_INT(issue(db, &city, "A2", "3707", "2020-04-26", units, 2, 0, &id, &e), 0);
	CHECK_EQ_INT(issue(db, &city, "A3", "3707", "2020-01-23", units, 2, 0, &id, &e), 0);
	CHECK_EQ_INT(issue(db, &fz, "B1", "", "2020-03-01", mine, 1, 0, &id, &e), 0);
	int64_t c[2] = {0, 0};
	CHECK_EQ_INT(documents_figures(db, &city, "2020-01-24", "2020-04-26", by_issuer, c, &e), 0);
	CHECK_EQ_INT(c[0], 2);
	CHECK_EQ_INT(c[1], 1);
	int64_t d[2] = {0, 0};
	CHECK_EQ_INT(documents_figures(db, &fz, "2020-01-01", "2020-04-26", by_issuer, d, &e), 0);
	CHECK_EQ_INT(d[0], 0); /* the city's documents are not the county's */
	CHECK_EQ_INT(d[1], 1);
	db_close(db);
}

UNIT_MAIN(acknowledgement_and_the_list_of_units_that_have_not, who_sees_a_document_and_its_file,
	  refused_issues_write_nothing, documents_issued_are_counted_by_date_and_issuing_unit)
