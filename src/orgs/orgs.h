/* orgs.h — 社会组织与志愿者 (social organisations, their engagement records and volunteers):
 * public face. (Owned by the orgs module: orgs_rules.c the pure rules — activity types, units of
 * measure, the whole-km² rounding —, orgs_schema.c the tables, orgs_store.c the records and the
 * counts, orgs_api.c the routes. docs/orgs.md explains it for people.)
 *
 * An organisation (name, type, registration number, region, contact) records engagements: one
 * day's work in an area (a region code), of an activity type (disinfection, screening,
 * delivery, donation, other) with its measures — area disinfected in m², households screened,
 * volunteers mobilised. Its volunteers (name, phone, skills) take part in engagements with
 * their hours (activities).
 *
 * Counting rules over a period from..to (days, inclusive), in the caller's scope:
 *   engaged     organisations with at least one engagement dated in the period;
 *   mobilising  organisations that sent volunteers in the period: an engagement with
 *               volunteers > 0, or an activity of one of its volunteers, dated in the period;
 *   volunteers  distinct volunteers with at least one activity in the period (a volunteer in
 *               several activities counts once);
 *   area        the sum of the engagements' areas (m²); shown as whole km², rounded down
 *               (orgs_km2: 400,999,999 m² → 400 km²);
 *   households  the sum of the engagements' households screened.
 * Organisation counts and volunteers are placed by the organisation's region code, area and
 * households by the engagement's region code.
 *
 * Reads return jansson values (the API answers them as they are, the CLI prints them):
 * contact and volunteer phones, and volunteers' names, are masked unless the caller asks
 * unmask and holds registry.unmask (403 forbidden otherwise; audited orgs.unmask).
 *
 * Access: social_org (county staff, township assistants, city admin) and scope: a record whose
 * region code is outside the caller's scope is 404 not_found; creating one there is 403
 * out_of_scope. Every write is one transaction with its audit row (orgs.create,
 * orgs.engagement, orgs.volunteer); inside a transaction the caller opened (the demo) it writes
 * into that one. Errors: 400 required / invalid_value / invalid_phone / invalid_region, 403
 * forbidden / out_of_scope, 404 not_found, 409 duplicate_name / duplicate_reg_no /
 * duplicate_activity.
 */
#ifndef MZ_ORGS_H
#define MZ_ORGS_H

#include <jansson.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char orgs_schema_v1[];
extern const struct api_route orgs_routes[];

#define ORGS_PAGE_MAX 200
#define ORGS_MAX_ACTIVITIES 500 /* volunteers' activities recorded with one engagement */
#define ORGS_MAX_AREA_M2 1000000000LL /* 1,000 km² in one day's work: a typing error above */
#define ORGS_MAX_COUNT 1000000

/* ---- rules (orgs_rules.c, pure) ---- */

/* 1 when the organisation type is known: social_group (社会团体), foundation (基金会),
 * private_non_enterprise (民办非企业单位), volunteer_team (志愿服务队), other. */
int orgs_type_valid(const char *type);
/* 1 when the activity type is known: disinfection, screening, delivery, donation, other. */
int orgs_activity_valid(const char *activity);
/* Chinese label of an organisation type or activity ("" when unknown). */
const char *orgs_label(const char *code);
/* Whole square kilometres from square metres, rounded down. */
int64_t orgs_km2(int64_t m2);
/* 1 when an engagement with these measures sent volunteers (counts as mobilising). */
int orgs_engagement_mobilises(int64_t volunteers, int64_t n_activities);

/* ---- records (orgs_store.c) ---- */

struct orgs_org_in {
	char name[256];
	char type[32];
	char reg_no[64];
	char region_code[24];
	char contact_name[128];
	char contact_phone[48];
};

struct orgs_activity_in {
	int64_t volunteer_id;
	int64_t hours_tenths; /* 1..240 */
};

struct orgs_engagement_in {
	int64_t org_id;
	char date[16];
	char region_code[24]; /* the area worked in */
	char activity[24];
	int64_t area_m2, households, volunteers;
	char note[2048];
	int n_activities;
	struct orgs_activity_in *activities; /* borrowed */
};

struct orgs_volunteer_in {
	int64_t org_id;
	char name[128];
	char phone[48];
	char skills[512];
};

int orgs_create(struct db *db, const struct actor *a, const struct orgs_org_in *in, int64_t *out_id,
		struct err *e);
/* An engagement; its volunteers' activities must be volunteers of the organisation (400
 * invalid_value, field activities[i].volunteer_id), each once (409 duplicate_activity);
 * volunteers mobilised is at least the number of activities (it is raised to it). */
int orgs_engagement_create(struct db *db, const struct actor *a,
			   const struct orgs_engagement_in *in, int64_t *out_id, struct err *e);
int orgs_volunteer_create(struct db *db, const struct actor *a, const struct orgs_volunteer_in *in,
			  int64_t *out_id, struct err *e);
/* Many volunteers of one organisation in one transaction with one audit row
 * (orgs.volunteer_import, detail the count); ids into out_ids[0..n). */
int orgs_volunteer_import(struct db *db, const struct actor *a, int64_t org_id, int n,
			  const struct orgs_volunteer_in *in, int64_t *out_ids, struct err *e);

struct orgs_query {
	char q[64];	 /* name contains */
	char region[16]; /* narrows within scope */
	char type[32];	 /* organisation type, or engagement activity */
	char from[16], to[16];
	int64_t org_id;
	int limit; /* 1..ORGS_PAGE_MAX */
	int64_t offset;
};

/* {"items":[ORG…],"total","limit","offset"}; ORG = {"id","name","type","type_label","reg_no",
 * "region_code","region_name","contact_name","contact_phone","engagements","volunteers",
 * "last_engaged_on"}. */
int orgs_list(struct db *db, const struct actor *a, const struct orgs_query *q, int unmask,
	      json_t **out, struct err *e);
/* ORG plus "recent_engagements":[ENGAGEMENT…] (the latest 20). */
int orgs_get(struct db *db, const struct actor *a, int64_t id, int unmask, json_t **out,
	     struct err *e);
/* ENGAGEMENT = {"id","org_id","org_name","date","region_code","region_name","activity",
 * "activity_label","area_m2","households","volunteers","activities","hours_tenths","note"}. */
int orgs_engagement_list(struct db *db, const struct actor *a, const struct orgs_query *q,
			 json_t **out, struct err *e);
/* VOLUNTEER = {"id","org_id","org_name","name","phone","skills","activities","hours_tenths",
 * "masked"}. */
int orgs_volunteer_list(struct db *db, const struct actor *a, const struct orgs_query *q,
			int unmask, json_t **out, struct err *e);

/* ---- counts (orgs_store.c) ---- */

enum orgs_figure { ORGS_ENGAGED, ORGS_MOBILISING, ORGS_VOLUNTEERS, ORGS_AREA_M2, ORGS_HOUSEHOLDS,
		   ORGS_NFIGURES };

/* The counting rules above over from..to in the caller's scope, per region code: fn is called
 * with (region code, figure, value) for every non-zero partial count; the partial counts of
 * different region codes add up to the whole (every organisation and volunteer lies in one
 * region). social_org is required (403). */
int orgs_figures(struct db *db, const struct actor *a, const char *from, const char *to,
		 void (*fn)(void *ctx, const char *region_code, int figure, int64_t v), void *ctx,
		 struct err *e);
/* The whole scope's figures: {"from","to","engaged","mobilising","volunteers",
 * "disinfected_m2","disinfected_km2","households_screened"}. */
int orgs_summary(struct db *db, const struct actor *a, const char *from, const char *to,
		 json_t **out, struct err *e);

#endif
