/* roles.c — the roles and what each may do: the one table of permissions (see accounts.h). */
#include "accounts/accounts.h"

#include <string.h>

struct role_def {
	const char *name;
	const char *label;
	uint32_t perms;
};

#define REGISTRY_WORK (PERM_LOGIN | PERM_REGION_READ | PERM_REGISTRY_READ | \
		       PERM_REGISTRY_WRITE | PERM_REGISTRY_UNMASK | PERM_POLICY_READ | \
		       PERM_ASSISTANCE_READ | PERM_ASSISTANCE_WRITE)
#define READ_ONLY (PERM_LOGIN | PERM_REGION_READ | PERM_REGISTRY_READ | PERM_POLICY_READ | \
		   PERM_ASSISTANCE_READ)

/* The county approves and pays; townships and villages prepare; the city does everything. */
static const struct role_def roles[] = {
	{"city_admin", "市局管理员", 0xffffffffu},
	{"county_staff", "县区工作人员",
	 REGISTRY_WORK | PERM_POLICY_WRITE | PERM_ASSISTANCE_APPROVE | PERM_PAYROLL | PERM_LEDGER |
	     PERM_INSTITUTION_READ | PERM_INSTITUTION_MANAGE | PERM_INSPECTION | PERM_DUTY |
	     PERM_HOTLINE | PERM_RESCUE | PERM_FUNERAL | PERM_CROSSCHECK | PERM_MARRIAGE | PERM_GOODS |
	     PERM_SOCIAL_ORG | PERM_STAFF | PERM_DOCUMENTS},
	{"township_assistant", "镇街民政助理",
	 REGISTRY_WORK | PERM_LEDGER | PERM_INSTITUTION_READ | PERM_DUTY | PERM_GOODS | PERM_SOCIAL_ORG},
	{"village_worker", "村居工作人员", REGISTRY_WORK | PERM_LEDGER},
	{"institution_reporter", "机构填报员",
	 PERM_LOGIN | PERM_REGION_READ | PERM_INSTITUTION_REPORT | PERM_DUTY},
	{"inspector", "督导组成员",
	 PERM_LOGIN | PERM_REGION_READ | PERM_INSTITUTION_READ | PERM_INSPECTION},
	{"rescue_worker", "救助站工作人员",
	 PERM_LOGIN | PERM_REGION_READ | PERM_RESCUE | PERM_REGISTRY_UNMASK | PERM_INSTITUTION_REPORT |
	     PERM_DUTY},
	{"hotline_operator", "热线接线员", READ_ONLY | PERM_HOTLINE | PERM_DUTY},
	{"funeral_worker", "殡仪馆工作人员",
	 PERM_LOGIN | PERM_REGION_READ | PERM_FUNERAL | PERM_REGISTRY_UNMASK | PERM_INSTITUTION_REPORT |
	     PERM_DUTY},
	{"registrar", "婚姻登记员",
	 PERM_LOGIN | PERM_REGION_READ | PERM_MARRIAGE | PERM_REGISTRY_UNMASK | PERM_INSTITUTION_REPORT |
	     PERM_DUTY},
	{"charity_officer", "慈善总会工作人员", PERM_LOGIN | PERM_REGION_READ | PERM_CHARITY | PERM_GOODS},
	{"leader", "领导（只读）", READ_ONLY | PERM_INSTITUTION_READ | PERM_STATS},
};

static const char *const role_names[] = {
	"city_admin", "county_staff", "township_assistant", "village_worker",
	"institution_reporter", "inspector", "rescue_worker", "hotline_operator", "funeral_worker",
	"registrar", "charity_officer", "leader", NULL,
};

static const struct role_def *role_find(const char *role)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(roles[i].name, role) == 0)
			return &roles[i];
	return NULL;
}

int roles_perms(const char *role, uint32_t *out)
{
	const struct role_def *r = role_find(role);
	if (!r)
		return -1;
	*out = r->perms;
	return 0;
}

const char *const *roles_all(void)
{
	return role_names;
}

const char *roles_label(const char *role)
{
	const struct role_def *r = role_find(role);
	return r ? r->label : "";
}

const char *perm_name(uint32_t bit)
{
	switch (bit) {
	case PERM_REGION_READ: return "region.read";
	case PERM_REGISTRY_READ: return "registry.read";
	case PERM_REGISTRY_WRITE: return "registry.write";
	case PERM_REGISTRY_UNMASK: return "registry.unmask";
	case PERM_USER_MANAGE: return "user.manage";
	case PERM_AUDIT_READ: return "audit.read";
	case PERM_POLICY_READ: return "policy.read";
	case PERM_POLICY_WRITE: return "policy.write";
	case PERM_ASSISTANCE_READ: return "assistance.read";
	case PERM_ASSISTANCE_WRITE: return "assistance.write";
	case PERM_ASSISTANCE_APPROVE: return "assistance.approve";
	case PERM_PAYROLL: return "payroll";
	case PERM_LEDGER: return "ledger";
	case PERM_INSTITUTION_READ: return "institution.read";
	case PERM_INSTITUTION_REPORT: return "institution.report";
	case PERM_INSTITUTION_MANAGE: return "institution.manage";
	case PERM_INSPECTION: return "inspection";
	case PERM_DUTY: return "duty";
	case PERM_HOTLINE: return "hotline";
	case PERM_RESCUE: return "rescue";
	case PERM_FUNERAL: return "funeral";
	case PERM_CROSSCHECK: return "crosscheck";
	case PERM_MARRIAGE: return "marriage";
	case PERM_GOODS: return "goods";
	case PERM_CHARITY: return "charity";
	case PERM_SOCIAL_ORG: return "social_org";
	case PERM_STAFF: return "staff";
	case PERM_DOCUMENTS: return "documents";
	case PERM_STATS: return "stats.read";
	default: return NULL;
	}
}
