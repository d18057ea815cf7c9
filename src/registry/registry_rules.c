/* registry_rules.c — what a valid person and household look like. Pure: no I/O, no allocation.
 *
 * The rules here are the ones docs/api.md states for the registry input: ID numbers by GB 11643
 * (core/idnum.c, future birth dates rejected against `today`), names 1–30 characters without
 * control characters, the relation / labour / income-type / tag word lists, phones by
 * core/phone.c, amounts in fen, and for a household: a 12-digit village code, 1–20 members,
 * exactly one head, no ID twice. Checks run in field order so the first error names the first
 * bad field; errors carry the field path relative to the struct checked, and the household check
 * prefixes member errors with "members[i]".
 */
#include "core/utf8.h"
#include "registry/registry.h"

#include <stdio.h>
#include <string.h>

#include "core/idnum.h"
#include "core/clock.h"
#include "core/phone.h"

static const char *const relations[] = {"head",  "spouse",      "child",   "parent",
					"grandchild", "grandparent", "sibling", "other", NULL};
static const char *const labour_words[] = {"full", "partial", "none", NULL};
static const char *const income_types[] = {"wage",     "business", "farming", "pension",
					   "transfer", "property", "other",   NULL};
static const char *const tag_words[] = {"elderly_alone",	"left_behind_child",
					"orphan",		"unsupported_child",
					"child_in_difficulty",	"severely_disabled",
					"seriously_ill",	"covid_patient_family",
					"isolated_family",	"left_behind_elderly",
					"entitled_veteran",	"unemployment_insurance",
					"unemployment_assistance", NULL};

static int in_list(const char *const *list, const char *w)
{
	for (; *list; list++)
		if (strcmp(*list, w) == 0)
			return 1;
	return 0;
}

int registry_relation_valid(const char *word)
{
	return word && in_list(relations, word);
}

int registry_tag_valid(const char *word)
{
	return word && in_list(tag_words, word);
}

/* Remove surrounding ASCII spaces in place. */
static void trim(char *z)
{
	size_t n = strlen(z), i = 0;
	while (i < n && (z[i] == ' ' || z[i] == '\t'))
		i++;
	while (n > i && (z[n - 1] == ' ' || z[n - 1] == '\t'))
		n--;
	memmove(z, z + i, n - i);
	z[n - i] = '\0';
}

static int check_text(const char *z, long max_chars, const char *field, const char *what,
		      struct err *e)
{
	long n = utf8_text_chars(z, 0);
	if (n < 0)
		return err_set(e, 400, "invalid_value", field, "%s含有控制字符或无效编码", what);
	if (n > max_chars)
		return err_set(e, 400, "invalid_value", field, "%s过长：最多 %ld 个字，实为 %ld 个", what,
			       max_chars, n);
	return 0;
}

static int check_phone(char *phone, struct err *e)
{
	char norm[24];
	trim(phone);
	if (!phone[0])
		return 0;
	if (phone_validate(phone, norm, e) < 0)
		return -1;
	snprintf(phone, REGISTRY_RAW_SZ, "%s", norm);
	return 0;
}

int registry_person_check(struct registry_person_in *p, const char *today, struct err *e)
{
	struct idnum id;
	char field[48];

	if (!p->id_number[0])
		return err_set(e, 400, "required", "id_number", "请填写身份证号");
	if (idnum_parse(p->id_number, today, &id, e) < 0)
		return -1;
	snprintf(p->id_number, sizeof p->id_number, "%s", id.number);
	snprintf(p->birth_date, sizeof p->birth_date, "%s", id.birth_date);
	snprintf(p->sex, sizeof p->sex, "%s", id.male ? "male" : "female");

	trim(p->name);
	if (!p->name[0])
		return err_set(e, 400, "required", "name", "请填写姓名");
	if (check_text(p->name, REGISTRY_NAME_CHARS, "name", "姓名", e) < 0)
		return -1;

	if (!p->relation[0])
		return err_set(e, 400, "required", "relation", "请填写与户主关系");
	if (!registry_relation_valid(p->relation))
		return err_set(e, 400, "invalid_value", "relation",
			       "与户主关系无效：应为 head、spouse、child、parent、grandchild、"
			       "grandparent、sibling、other 之一");

	if (check_phone(p->phone, e) < 0)
		return -1;

	if (p->disability_grade < 0 || p->disability_grade > 4)
		return err_set(e, 400, "invalid_value", "disability_grade",
			       "残疾等级应为 0（无）或 1–4，实为 %d", p->disability_grade);
	if (p->serious_illness != 0 && p->serious_illness != 1)
		return err_set(e, 400, "invalid_value", "serious_illness", "重病标记应为是或否");

	if (!p->labour_capacity[0])
		snprintf(p->labour_capacity, sizeof p->labour_capacity, "full");
	if (!in_list(labour_words, p->labour_capacity))
		return err_set(e, 400, "invalid_value", "labour_capacity",
			       "劳动能力无效：应为 full、partial、none 之一");

	if (p->n_income < 0 || p->n_income > REGISTRY_MAX_INCOME)
		return err_set(e, 400, "invalid_value", "income_items", "收入项最多 %d 项",
			       REGISTRY_MAX_INCOME);
	p->monthly_income_fen = 0;
	for (int i = 0; i < p->n_income; i++) {
		const struct registry_income *it = &p->income[i];
		if (!in_list(income_types, it->type)) {
			snprintf(field, sizeof field, "income_items[%d].type", i);
			return err_set(e, 400, "invalid_value", field,
				       "收入类型无效：应为 wage、business、farming、pension、transfer、"
				       "property、other 之一");
		}
		if (it->amount_fen < 0 || it->amount_fen > REGISTRY_MAX_INCOME_FEN) {
			snprintf(field, sizeof field, "income_items[%d].amount_fen", i);
			return err_set(e, 400, "invalid_value", field,
				       "收入金额应在 0 至 %d 分（每月）之间", REGISTRY_MAX_INCOME_FEN);
		}
		p->monthly_income_fen += it->amount_fen;
	}

	if (p->n_tags < 0 || p->n_tags > REGISTRY_MAX_TAGS)
		return err_set(e, 400, "invalid_value", "tags", "标签最多 %d 个", REGISTRY_MAX_TAGS);
	int kept = 0;
	for (int i = 0; i < p->n_tags; i++) {
		if (!registry_tag_valid(p->tags[i])) {
			snprintf(field, sizeof field, "tags[%d]", i);
			return err_set(e, 400, "invalid_value", field, "标签无效：%.30s", p->tags[i]);
		}
		int seen = 0;
		for (int j = 0; j < kept; j++)
			if (strcmp(p->tags[j], p->tags[i]) == 0)
				seen = 1;
		if (!seen && kept != i)
			memcpy(p->tags[kept], p->tags[i], sizeof p->tags[kept]);
		kept += !seen;
	}
	p->n_tags = kept;
	return 0;
}

static int check_region_code(const char *code, struct err *e)
{
	size_t n = strlen(code);
	if (n == 0)
		return err_set(e, 400, "required", "region_code", "请选择所在村（社区）");
	int digits = 1;
	for (size_t i = 0; i < n; i++)
		if (code[i] < '0' || code[i] > '9')
			digits = 0;
	if (n != 12 || !digits)
		return err_set(e, 400, "invalid_region", "region_code",
			       "区划代码应为 12 位数字的村（社区）代码");
	return 0;
}

static int check_household_fields(struct registry_household_in *h, struct err *e)
{
	if (h->has & REGISTRY_HAS_RESIDENCE) {
		if (!h->residence_type[0])
			return err_set(e, 400, "required", "residence_type", "请选择城乡类别");
		if (strcmp(h->residence_type, "urban") != 0 && strcmp(h->residence_type, "rural") != 0)
			return err_set(e, 400, "invalid_value", "residence_type",
				       "城乡类别应为 urban（城市）或 rural（农村）");
	}
	if (h->has & REGISTRY_HAS_ADDRESS) {
		trim(h->address);
		if (check_text(h->address, REGISTRY_ADDRESS_CHARS, "address", "地址", e) < 0)
			return -1;
	}
	if (h->has & REGISTRY_HAS_PHONE)
		return check_phone(h->phone, e);
	return 0;
}

int registry_household_check(struct registry_household_in *h, const char *today, struct err *e)
{
	char prefix[48];
	char today_buf[11];

	if (!today) {
		clock_today(today_buf);
		today = today_buf;
	}
	if (check_region_code(h->region_code, e) < 0)
		return -1;
	h->has |= REGISTRY_HAS_RESIDENCE | REGISTRY_HAS_ADDRESS | REGISTRY_HAS_PHONE;
	if (check_household_fields(h, e) < 0)
		return -1;
	if (h->n_members < 1 || h->n_members > REGISTRY_MAX_MEMBERS)
		return err_set(e, 400, h->n_members < 1 ? "required" : "invalid_value", "members",
			       "每户应有 1 至 %d 名成员，实为 %d 名", REGISTRY_MAX_MEMBERS, h->n_members);
	int heads = 0;
	for (int i = 0; i < h->n_members; i++) {
		if (registry_person_check(&h->members[i], today, e) < 0) {
			snprintf(prefix, sizeof prefix, "members[%d]", i);
			err_prefix_field(e, prefix);
			return -1;
		}
		heads += strcmp(h->members[i].relation, "head") == 0;
		for (int j = 0; j < i; j++) {
			if (strcmp(h->members[j].id_number, h->members[i].id_number) == 0) {
				snprintf(prefix, sizeof prefix, "members[%d].id_number", i);
				return err_set(e, 400, "duplicate_id_number", prefix,
					       "身份证号与第 %d 位成员重复", j + 1);
			}
		}
	}
	if (heads != 1)
		return err_set(e, 400, "head_count", "members", "每户须有且只有一名户主，实有 %d 名",
			       heads);
	return 0;
}

int registry_household_patch_check(struct registry_household_in *h, struct err *e)
{
	/* region_code may come along unchanged (a client sending back what it read); the store
	 * refuses a different one. */
	if (!(h->has & (REGISTRY_HAS_ADDRESS | REGISTRY_HAS_RESIDENCE | REGISTRY_HAS_PHONE)))
		return err_set(e, 400, "required", NULL,
			       "请至少提供一个要修改的字段：address、residence_type、phone");
	return check_household_fields(h, e);
}

int registry_reason_check(const char *reason, int required, struct err *e)
{
	const char *z = reason ? reason : "";
	while (*z == ' ' || *z == '\t')
		z++;
	if (required && !*z)
		return err_set(e, 400, "required", "reason", "请填写原因");
	return check_text(reason ? reason : "", REGISTRY_REASON_CHARS, "reason", "原因", e);
}
