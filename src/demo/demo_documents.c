/* demo_documents.c — the demo step of the epidemic policy documents (owned by the documents
 * module; see demo_steps.h): the 32 documents the bureau issued from 24 January to 20 April
 * 2020, each distributed to the city's 16 management units with a short text file attached,
 * and the units' acknowledgements of receipt — all but a few of the last documents, which
 * some units have not acknowledged yet.
 *
 * What it makes (the same at every scale): documents 1..32 dated 2020-01-24 + 2.8 days × (n−1)
 * (up to 2020-04-20), issued by the city (3707): documents.issued = 32 for the city over
 * 2020-01-24..2020-04-26 (and 2020-01-01..2020-04-26), 0 for each unit (the units did not
 * issue them). Document n ≥ 30 is not yet acknowledged by unit u when (u + n) % 3 == 0.
 * Each acknowledgement is made as the unit's own county user (county_… / zone_…), through
 * documents_acknowledge. One transaction; pure function of the seed. */
#include "demo/demo_internal.h"
#include "demo/demo_steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/scope.h"
#include "documents/documents.h"
#include "regions/regions.h"

int demo_documents(struct db *db, const struct actor *sys, const struct demo_options *o,
		   struct demo_report *r, struct err *e);

#define DOCS 32

static const char *const titles[] = {
    "关于做好新型冠状病毒感染的肺炎疫情防控工作的紧急通知",
    "关于养老机构实行封闭管理的通知",
    "关于加强儿童福利机构疫情防控工作的通知",
    "关于做好救助管理机构疫情防控工作的通知",
    "关于暂停婚姻登记现场办理、实行预约办理的通知",
    "关于做好殡葬服务机构疫情防控工作的通知",
    "关于暂停福利彩票销售网点营业的通知",
    "关于做好困难群众基本生活保障工作的通知",
    "关于动员社会组织和志愿者参与疫情防控的倡议",
    "关于进一步做好社会救助兜底保障工作的通知",
    "关于做好特困人员照料服务工作的通知",
    "关于做好事实无人抚养儿童等困境儿童关爱保护工作的通知",
    "关于开展社会救助“先行救助”工作的通知",
    "关于阶段性提高价格临时补贴标准的通知",
    "关于做好福利彩票销售网点有序复业工作的通知",
    "关于做好养老机构有序恢复探视的通知",
};

static const char *const bodies[] = {"潍坊市民政局", "潍坊市民政局办公室",
				     "潍坊市新冠肺炎疫情处置工作领导小组民政工作组"};

static int run(struct db *db, const struct actor *sys, const struct regions_unit *u, int nu,
	       int *pending, struct err *e)
{
	int64_t day0 = demo_days_from_civil(2020, 1, 24);
	for (int n = 1; n <= DOCS; n++) {
		struct documents_in in;
		char text[600];
		int64_t id;
		memset(&in, 0, sizeof in);
		snprintf(in.number, sizeof in.number, "潍民发〔2020〕%d号", n);
		snprintf(in.title, sizeof in.title, "%s%s", titles[(n - 1) % 16],
			 n > 16 ? "（补充通知）" : "");
		snprintf(in.issuing_body, sizeof in.issuing_body, "%s", bodies[n % 3]);
		snprintf(in.issuer_code, sizeof in.issuer_code, "3707");
		demo_format_day(day0 + (n - 1) * 14 / 5, in.issued_on);
		snprintf(in.scope_text, sizeof in.scope_text, "各县市区民政局，市属各开发区民政部门");
		int len = snprintf(text, sizeof text, "%s\n%s\n\n各县市区民政局：\n　　现将有关事项通知如下……\n\n%s\n%s\n",
				   in.number, in.title, in.issuing_body, in.issued_on);
		snprintf(in.file_name, sizeof in.file_name, "潍民发2020-%02d.txt", n);
		snprintf(in.file_type, sizeof in.file_type, "text/plain");
		in.file = (const unsigned char *)text;
		in.file_len = (size_t)len;
		in.all_units = 1;
		if (documents_issue(db, sys, &in, &id, e) < 0)
			return -1;
		for (int k = 0; k < nu; k++) {
			if (n >= 30 && (k + n) % 3 == 0) {
				(*pending)++;
				continue;
			}
			struct actor unit = *sys;
			snprintf(unit.username, sizeof unit.username, "%s_%s",
				 strcmp(u[k].kind, "zone") == 0 ? "zone" : "county", u[k].code);
			snprintf(unit.region_code, sizeof unit.region_code, "%s", u[k].code);
			unit.perms = PERM_LOGIN;
			unit.scope.n = 1;
			snprintf(unit.scope.prefix[0], sizeof unit.scope.prefix[0], "%s", u[k].code);
			if (documents_acknowledge(db, &unit, id, e) < 0)
				return -1;
		}
	}
	return 0;
}

int demo_documents(struct db *db, const struct actor *sys, const struct demo_options *o,
		   struct demo_report *r, struct err *e)
{
	struct regions_unit *u = NULL;
	int nu = 0, pending = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	(void)o;
	if (regions_units(db, "3707", &u, &nu, e) < 0)
		return -1;
	if (db_begin_write(db, e) < 0) {
		regions_units_free(u, nu);
		return -1;
	}
	int rc = run(db, sys, u, nu, &pending, e);
	regions_units_free(u, nu);
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	if (db_commit(db, e) < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	demo_note(r, "防疫文件：市局下发 %d 件（2020-01-24..04-20），每件下发 %d 个县级单位；"
		     "未签收 %d 件次（第 30—32 号）；用时 %.2f 秒",
		  DOCS, nu, pending, secs);
	return 0;
}
