/* demo_steps.c — the table of the demo's later steps and the code that runs them (see
 * demo_steps.h). A module adds its step with one line in the table. */
#include "demo/demo_steps.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int demo_relief(struct db *, const struct actor *, const struct demo_options *, struct demo_report *, struct err *);
int demo_institutions(struct db *, const struct actor *, const struct demo_options *, struct demo_report *, struct err *);
int demo_inspections(struct db *, const struct actor *, const struct demo_options *, struct demo_report *, struct err *);
int demo_duty(struct db *, const struct actor *, const struct demo_options *, struct demo_report *, struct err *);
int demo_rescue(struct db *, const struct actor *, const struct demo_options *, struct demo_report *, struct err *);
int demo_price_step(struct db *, const struct actor *, const struct demo_options *, struct demo_report *, struct err *);
int demo_ledger(struct db *, const struct actor *, const struct demo_options *, struct demo_report *, struct err *);
int demo_hotline(struct db *, const struct actor *, const struct demo_options *, struct demo_report *, struct err *);
int demo_funeral(struct db *, const struct actor *, const struct demo_options *, struct demo_report *, struct err *);
int demo_marriage(struct db *, const struct actor *, const struct demo_options *, struct demo_report *, struct err *);
int demo_charity(struct db *, const struct actor *, const struct demo_options *, struct demo_report *, struct err *);
int demo_goods(struct db *, const struct actor *, const struct demo_options *, struct demo_report *, struct err *);
int demo_orgs(struct db *, const struct actor *, const struct demo_options *, struct demo_report *, struct err *);
int demo_staff(struct db *, const struct actor *, const struct demo_options *, struct demo_report *, struct err *);
int demo_documents(struct db *, const struct actor *, const struct demo_options *, struct demo_report *, struct err *);
int demo_lottery(struct db *, const struct actor *, const struct demo_options *, struct demo_report *, struct err *);
const struct demo_step demo_steps[] = {
	{"price_subsidy", demo_price_step},
	{"relief", demo_relief},
	{"institutions", demo_institutions},
	{"inspections", demo_inspections}, /* after institutions: it samples their registry */
	{"duty", demo_duty},
	{"rescue", demo_rescue},
	{"ledger", demo_ledger},
	{"hotline", demo_hotline},
	{"funeral", demo_funeral},
	{"marriage", demo_marriage},
	{"charity", demo_charity},
	{"goods", demo_goods},
	{"orgs", demo_orgs},
	{"staff", demo_staff},
	{"documents", demo_documents},
	{"lottery", demo_lottery},
	{0},
};

int demo_steps_run(struct db *db, const struct actor *sys, const struct demo_options *o,
		   struct demo_report *r, struct err *e)
{
	for (const struct demo_step *s = demo_steps; s->name; s++) {
		if (s->fn(db, sys, o, r, e) < 0) {
			char why[sizeof e->message], code[sizeof e->code], field[sizeof e->field];
			snprintf(why, sizeof why, "%s", e->message);
			snprintf(code, sizeof code, "%s", e->code[0] ? e->code : "internal");
			snprintf(field, sizeof field, "%s", e->field);
			return err_set(e, e->status ? e->status : 500, code, field[0] ? field : NULL,
				       "演示步骤 %s 失败：%s", s->name, why);
		}
	}
	return 0;
}

void demo_note(struct demo_report *r, const char *fmt, ...)
{
	size_t used = strlen(r->notes), room = sizeof r->notes - used;
	if (room < 2)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(r->notes + used, room - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= room - 1) { /* cut: mark it and keep the buffer terminated */
		snprintf(r->notes + sizeof r->notes - 5, 5, "…\n");
		return;
	}
	r->notes[used + (size_t)n] = '\n';
	r->notes[used + (size_t)n + 1] = '\0';
}
