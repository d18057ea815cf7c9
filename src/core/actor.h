/* actor.h — who is acting: the user, their role's permissions and their region scope.
 *
 * Every domain function that reads or writes scoped data takes a const struct actor *. The HTTP
 * layer builds it from the session or bearer token; the CLI builds a system actor with the whole
 * scope (actor_system).
 */
#ifndef MZ_ACTOR_H
#define MZ_ACTOR_H

#include <stdint.h>
#include "core/scope.h"

/* Permissions: bits, granted per role by the table in accounts/roles.c. */
enum perm {
	PERM_PUBLIC = 0,              /* route needs no login */
	PERM_LOGIN = 1u << 0,         /* any logged-in user */
	PERM_REGION_READ = 1u << 1,
	PERM_REGISTRY_READ = 1u << 2,
	PERM_REGISTRY_WRITE = 1u << 3,
	PERM_REGISTRY_UNMASK = 1u << 4,
	PERM_USER_MANAGE = 1u << 5,
	PERM_AUDIT_READ = 1u << 6,
	PERM_POLICY_READ = 1u << 7,         /* policy parameters (standards, rates) */
	PERM_POLICY_WRITE = 1u << 8,
	PERM_ASSISTANCE_READ = 1u << 9,     /* assistance cases and rolls */
	PERM_ASSISTANCE_WRITE = 1u << 10,   /* applications, investigation and appraisal records */
	PERM_ASSISTANCE_APPROVE = 1u << 11, /* county approval, refusal, termination */
	PERM_PAYROLL = 1u << 12,            /* payroll runs and bank files */
	PERM_LEDGER = 1u << 13,             /* hardship ledger: entries, helpers, visits */
	PERM_INSTITUTION_READ = 1u << 14,   /* institutions, their daily reports, alerts, dashboard */
	PERM_INSTITUTION_REPORT = 1u << 15, /* file the daily report of one's own institution */
	PERM_INSTITUTION_MANAGE = 1u << 16, /* institution registry, alerts, chasing non-reporters */
	PERM_INSPECTION = 1u << 17,         /* inspections, findings and rectification */
	PERM_DUTY = 1u << 18,               /* duty rosters and handovers */
	PERM_HOTLINE = 1u << 19,            /* hotline calls and cases (incl. child protection) */
	PERM_RESCUE = 1u << 20,             /* rescue-station intake, isolation, discharge, outreach */
	PERM_FUNERAL = 1u << 21,            /* funeral homes' body-handling records */
	PERM_CROSSCHECK = 1u << 22,         /* death cross-check: death lists, overpayment recovery */
	PERM_MARRIAGE = 1u << 23,           /* marriage offices' slots and the registrar's day list */
	PERM_GOODS = 1u << 24,              /* warehouses, stock and movements of relief goods */
	PERM_CHARITY = 1u << 25,            /* charity appeals, donations and uses */
	PERM_SOCIAL_ORG = 1u << 26,         /* social organisations, engagements, volunteers */
	PERM_STAFF = 1u << 27,              /* deployments of the bureau's own staff */
	PERM_DOCUMENTS = 1u << 28,          /* issuing epidemic policy documents to units */
	PERM_STATS = 1u << 29,              /* aggregate figures of every module (no personal data) */
};

struct actor {
	int64_t user_id;      /* 0 for the system actor (CLI) */
	char username[64];
	char role[32];
	char region_code[REGION_CODE_MAX]; /* the user's scope code (region or unit code) */
	uint32_t perms;
	struct scope scope;   /* expanded prefixes */
	char client[64];      /* client address, or "cli" */
};

/* The CLI's actor: every permission, scope "" (everything), username "system". */
void actor_system(struct actor *a);

static inline int actor_can(const struct actor *a, uint32_t perm)
{
	return (a->perms & perm) == perm;
}

#endif
