/* lottery_rules.c — the lottery module's pure rules: when a reopening checklist is complete and
 * the gate an outlet passes before it may be marked open again. No I/O. */
#include "lottery/lottery.h"

#include <stdio.h>
#include <string.h>

int lottery_checklist_complete(const struct lottery_checklist *c)
{
	return c && c->temperature && c->masks && c->distance && c->disinfection &&
	       c->checked_on[0] && c->checked_by[0];
}

int lottery_reopen_check(const char *closed_on, const char *date,
			 const struct lottery_checklist *latest, struct err *e)
{
	if (!closed_on || !closed_on[0])
		return err_set(e, 409, "not_closed", NULL, "该网点未停业，无需复业");
	if (strcmp(date, closed_on) < 0)
		return err_set(e, 409, "invalid_step", "date", "复业日期不能早于停业日期 %s",
			       closed_on);
	if (!latest || strcmp(latest->checked_on, closed_on) < 0 ||
	    strcmp(latest->checked_on, date) > 0)
		return err_set(e, 409, "checklist_required", NULL,
			       "复业前须完成复业核查（测温、佩戴口罩、保持间距、消毒），"
			       "停业（%s）后尚无核查记录",
			       closed_on);
	if (!lottery_checklist_complete(latest)) {
		char missing[200] = "";
		static const char *const names[4] = {"测温", "佩戴口罩", "保持间距", "消毒"};
		int done[4] = {latest->temperature, latest->masks, latest->distance,
			       latest->disinfection};
		size_t o = 0;
		for (int i = 0; i < 4; i++)
			if (!done[i])
				o += (size_t)snprintf(missing + o, sizeof missing - o, "%s%s",
						      o ? "、" : "", names[i]);
		if (!latest->checked_by[0])
			o += (size_t)snprintf(missing + o, sizeof missing - o, "%s核查人",
					      o ? "、" : "");
		(void)o;
		return err_set(e, 409, "checklist_required", NULL,
			       "复业核查未完成（%s 的核查缺少：%s），不能标记复业",
			       latest->checked_on, missing);
	}
	return 0;
}
