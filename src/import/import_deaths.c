/* import_deaths.c — import of death lists from other departments (health, public security):
 * each row matched to the registry by ID number (see import.h). Owned by the crosscheck module. */
#include "import/import.h"

const char *const import_deaths_header[] = {"身份证号", "姓名", "死亡日期", "来源部门", NULL};
const char *const import_deaths_example[] = {"370702198001010018", "张三", "2020-02-03", "卫生健康委",
					     NULL};

int import_deaths(struct db *db, const struct actor *a, const char *data, size_t len,
		  const struct import_opts *o, struct import_result *out, struct err *e)
{
	(void)db;
	(void)a;
	(void)data;
	(void)len;
	(void)o;
	(void)out;
	return err_set(e, 501, "not_implemented", "kind", "死亡名单导入尚未提供");
}
