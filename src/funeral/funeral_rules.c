/* funeral_rules.c — the funeral module's pure rules (see funeral.h): a body record's fields, the
 * order of the steps, the epidemic procedure for confirmed and suspected cases, and the
 * farewell-gathering rules. No I/O: the store gathers the state and asks here. */
#include "funeral/funeral.h"

#include <stdio.h>
#include <string.h>

#include "core/idnum.h"
#include "core/text.h"
#include "institutions/institutions.h"

static const char *const step_names[FUNERAL_NSTEPS] = {"transfer", "cremation", "disinfection",
							 "ashes"};
static const char *const step_labels[FUNERAL_NSTEPS] = {"遗体接运", "火化", "终末消毒",
							  "骨灰交付"};

const char *funeral_step_name(int step)
{
	return step >= 0 && step < FUNERAL_NSTEPS ? step_names[step] : "";
}

int funeral_step_of(const char *name)
{
	for (int i = 0; name && i < FUNERAL_NSTEPS; i++)
		if (strcmp(name, step_names[i]) == 0)
			return i;
	return -1;
}

int funeral_cause_epidemic(const char *cause)
{
	return cause && (strcmp(cause, "confirmed") == 0 || strcmp(cause, "suspected") == 0);
}

static int one_of(const char *z, const char *a, const char *b, const char *c)
{
	return strcmp(z, a) == 0 || strcmp(z, b) == 0 || (c && strcmp(z, c) == 0);
}

int funeral_body_check(struct funeral_body_in *in, const char *today, struct err *e)
{
	if (in->institution_id <= 0)
		return err_set(e, 400, "required", "institution_id", "请选择殡仪馆");
	if (in->unidentified) {
		if (in->id_number[0])
			return err_set(e, 400, "invalid_value", "id_number",
				       "身份不明的遗体不填写身份证号");
		if (text_check(in->description, 200, 1, 1, "description", "体貌特征描述", e) < 0 ||
		    text_check(in->name, 40, 0, 0, "name", "姓名", e) < 0)
			return -1;
	} else {
		struct idnum id;
		if (!in->id_number[0])
			return err_set(e, 400, "required", "id_number",
				       "请填写身份证号（身份不明的请选择“身份不明”并描述体貌特征）");
		if (idnum_parse(in->id_number, today, &id, e) < 0)
			return -1;
		text_copy(in->id_number, sizeof in->id_number, id.number);
		if (text_check(in->name, 40, 1, 0, "name", "姓名", e) < 0 ||
		    text_check(in->description, 200, 0, 1, "description", "体貌特征描述", e) < 0)
			return -1;
	}
	if (!in->died_on[0])
		return err_set(e, 400, "required", "died_on", "请填写死亡日期");
	if (!institutions_date_valid(in->died_on))
		return err_set(e, 400, "invalid_value", "died_on", "死亡日期应为 YYYY-MM-DD");
	if (today && strcmp(in->died_on, today) > 0)
		return err_set(e, 400, "invalid_value", "died_on", "死亡日期不能晚于今天");
	if (!in->source[0])
		return err_set(e, 400, "required", "source", "请选择遗体来源");
	if (!one_of(in->source, "hospital", "home", "other"))
		return err_set(e, 400, "invalid_value", "source",
			       "遗体来源应为 hospital（医院）、home（家中）或 other（其他）");
	if (!in->cause[0])
		return err_set(e, 400, "required", "cause", "请选择死亡原因类别");
	if (!one_of(in->cause, "confirmed", "suspected", "other"))
		return err_set(e, 400, "invalid_value", "cause",
			       "死亡原因类别应为 confirmed（确诊）、suspected（疑似）或 other（其他）");
	return text_check(in->note, 200, 0, 1, "note", "备注", e);
}

int funeral_time_norm(const char *in, char out[17])
{
	int y, mo, d, h, mi;
	char date[11];
	if (!in || strlen(in) < 16 || (in[10] != 'T' && in[10] != ' ') || in[13] != ':')
		return -1;
	if (sscanf(in, "%4d-%2d-%2d%*c%2d:%2d", &y, &mo, &d, &h, &mi) != 5)
		return -1;
	memcpy(date, in, 10);
	date[10] = '\0';
	if (!institutions_date_valid(date) || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    strspn(in + 11, "0123456789") != 2 || strspn(in + 14, "0123456789") != 2)
		return -1;
	const char *rest = in + 16;
	if (*rest && *rest != ':' && *rest != '+')
		return -1;
	memcpy(out, in, 16);
	out[10] = 'T';
	out[16] = '\0';
	return 0;
}

int funeral_next_step(const struct funeral_state *s)
{
	for (int i = 0; i < FUNERAL_NSTEPS; i++) {
		if (s->done & (1u << i))
			continue;
		/* an other case may leave out the disinfection; once its ashes are recorded the
		 * disinfection can no longer come */
		if (i == FUNERAL_DISINFECTION && !s->epidemic && (s->done & (1u << FUNERAL_ASHES)))
			continue;
		return i;
	}
	return FUNERAL_NSTEPS;
}

int funeral_step_check(const struct funeral_state *s, struct funeral_step_in *in, const char *now,
		       struct err *e)
{
	const int k = in->step;
	char at[17];
	if (k == FUNERAL_STEP_NONE)
		return err_set(e, 400, "required", "step", "请选择步骤");
	if (k < 0 || k >= FUNERAL_NSTEPS)
		return err_set(e, 400, "invalid_value", "step",
			       "步骤应为 transfer、cremation、disinfection 或 ashes");
	if (s->done & (1u << k))
		return err_set(e, 409, "step_done", "step", "该遗体的“%s”已记录", step_labels[k]);
	if (s->epidemic) {
		const int next = funeral_next_step(s);
		if (k != next)
			return err_set(e, 409, "epidemic_procedure", "step",
				       "确诊、疑似病例须按疫情防控程序逐步办理，不得跳过或颠倒：应先记录“%s”",
				       step_labels[next]);
	} else {
		for (int j = 0; j < k; j++) {
			if (j == FUNERAL_DISINFECTION)
				continue;
			if (!(s->done & (1u << j)))
				return err_set(e, 409, "step_order", "step", "应先记录“%s”",
					       step_labels[j]);
		}
		for (int j = k + 1; j < FUNERAL_NSTEPS; j++)
			if (s->done & (1u << j))
				return err_set(e, 409, "step_order", "step",
					       "“%s”已记录，不能再补记此前的“%s”", step_labels[j],
					       step_labels[k]);
	}
	if (!in->at[0])
		return err_set(e, 400, "required", "at", "请填写时间");
	if (funeral_time_norm(in->at, at) < 0)
		return err_set(e, 400, "invalid_value", "at", "时间应为 YYYY-MM-DDTHH:MM");
	if (strncmp(at, s->died_on, 10) < 0)
		return err_set(e, 400, "invalid_value", "at", "时间不能早于死亡日期");
	if (s->last_at[0] && strcmp(at, s->last_at) < 0)
		return err_set(e, 400, "invalid_value", "at", "时间不能早于上一步骤（%s）", s->last_at);
	if (now && now[0] && strcmp(at, now) > 0)
		return err_set(e, 400, "invalid_value", "at", "时间不能晚于现在");
	text_copy(in->at, sizeof in->at, at);
	if (text_check(in->staff, 40, 1, 0, "staff", "经办人员", e) < 0 ||
	    text_check(in->vehicle, 20, 0, 0, "vehicle", "车辆", e) < 0 ||
	    text_check(in->cremator, 20, 0, 0, "cremator", "火化炉", e) < 0 ||
	    text_check(in->note, 200, 0, 1, "note", "备注", e) < 0)
		return -1;
	if (s->epidemic && k == FUNERAL_TRANSFER && !in->dedicated)
		return err_set(e, 409, "epidemic_procedure", "dedicated",
			       "确诊、疑似病例遗体须使用专用车辆、经专用通道接运");
	if (s->epidemic && k == FUNERAL_CREMATION && !in->dedicated)
		return err_set(e, 409, "epidemic_procedure", "dedicated",
			       "确诊、疑似病例遗体须使用专用火化炉");
	if (k != FUNERAL_TRANSFER && k != FUNERAL_CREMATION)
		in->dedicated = 0;
	if (k == FUNERAL_ASHES) {
		if (strcmp(in->ashes, "handed") != 0 && strcmp(in->ashes, "held") != 0)
			return err_set(e, 400, in->ashes[0] ? "invalid_value" : "required", "ashes",
				       "骨灰去向应为 handed（交家属）或 held（暂存）");
		if (strcmp(in->ashes, "handed") == 0 &&
		    text_check(in->receiver, 40, 1, 0, "receiver", "领取人", e) < 0)
			return -1;
		if (strcmp(in->ashes, "held") == 0)
			in->receiver[0] = '\0';
	} else {
		in->ashes[0] = '\0';
		in->receiver[0] = '\0';
	}
	return 0;
}

int funeral_farewell_check(const struct funeral_state *s, const char *day, int suspended,
			   struct err *e)
{
	if (!day || !*day)
		return err_set(e, 400, "required", "on", "请填写告别仪式日期");
	if (!institutions_date_valid(day))
		return err_set(e, 400, "invalid_value", "on", "告别仪式日期应为 YYYY-MM-DD");
	if (strcmp(day, s->died_on) < 0)
		return err_set(e, 400, "invalid_value", "on", "告别仪式日期不能早于死亡日期");
	if (s->epidemic)
		return err_set(e, 409, "farewell_not_allowed", "on",
			       "确诊、疑似病例遗体不举行告别仪式");
	if (suspended)
		return err_set(e, 409, "farewell_suspended", "on",
			       "%s 处于暂停举办告别仪式期间，不能登记告别仪式", day);
	if (s->done & (1u << FUNERAL_CREMATION))
		return err_set(e, 409, "step_order", "on", "已火化，不能再登记告别仪式");
	return 0;
}

