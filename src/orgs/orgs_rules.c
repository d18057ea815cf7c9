/* orgs_rules.c — the orgs module's pure rules: the codes it accepts, their Chinese labels, and
 * the rounding of the disinfected area to whole km². No I/O. */
#include "orgs/orgs.h"

#include <string.h>

static const struct {
	const char *code, *label;
	int activity;
} codes[] = {
	{"social_group", "社会团体", 0},
	{"foundation", "基金会", 0},
	{"private_non_enterprise", "民办非企业单位", 0},
	{"volunteer_team", "志愿服务队", 0},
	{"disinfection", "消杀", 1},
	{"screening", "排查", 1},
	{"delivery", "配送", 1},
	{"donation", "捐赠", 1},
	{"other", "其他", 2}, /* both an organisation type and an activity */
};

static int find(const char *code, int activity)
{
	if (!code)
		return 0;
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (strcmp(codes[i].code, code) == 0 &&
		    (codes[i].activity == 2 || codes[i].activity == activity))
			return 1;
	return 0;
}

int orgs_type_valid(const char *type)
{
	return find(type, 0);
}

int orgs_activity_valid(const char *activity)
{
	return find(activity, 1);
}

const char *orgs_label(const char *code)
{
	for (size_t i = 0; code && i < sizeof codes / sizeof codes[0]; i++)
		if (strcmp(codes[i].code, code) == 0)
			return codes[i].label;
	return "";
}

int64_t orgs_km2(int64_t m2)
{
	return m2 > 0 ? m2 / 1000000 : 0;
}

int orgs_engagement_mobilises(int64_t volunteers, int64_t n_activities)
{
	return volunteers > 0 || n_activities > 0;
}
