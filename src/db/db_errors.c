/* db_errors.c — the messages of database-level failures shared by both backends (db_errors.h). */
#include "db/db_errors.h"
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>

int db_err_busy(struct err *e, const char *what)
{
	return err_set(e, 503, "busy", NULL,
		       "数据库正被其他程序占用或繁忙，等待 %d 毫秒后仍未能取得，请稍后重试（%s）",
		       db_busy_timeout(), what);
}

int db_err_disk_full(struct err *e, const char *where, const char *what)
{
	return err_set(e, 507, "disk_full", NULL,
		       "磁盘已满，数据库 %s 无法写入，本次修改未保存；请清理磁盘空间后重试（%s）", where,
		       what);
}

int db_err_readonly(struct err *e, int server, const char *where, const char *what)
{
	if (server)
		return err_set(e, 503, "db_readonly", NULL,
			       "数据库服务器只读（备库或只读事务）：%s，无法保存修改；请检查该数据库的"
			       "只读设置或连接到主库（%s）",
			       where, what);
	return err_set(e, 503, "db_readonly", NULL,
		       "数据库文件只读：%s，无法保存修改；请检查该文件及所在目录的写权限（%s）", where,
		       what);
}

int db_err_io(struct err *e, const char *where, const char *what)
{
	return err_set(e, 500, "io_error", NULL,
		       "数据库读写出错（磁盘 I/O 错误）：%s，本次操作未完成，修改未保存（%s）", where,
		       what);
}

int db_err_nomem(struct err *e, const char *what)
{
	return err_set(e, 503, "out_of_memory", NULL, "服务器内存不足，请稍后重试（%s）", what);
}

int db_err_corrupt(struct err *e, int server, const char *where, const char *what)
{
	if (server)
		return err_set(e, 500, "db_corrupt", NULL, "数据库数据已损坏：%s（%s）", where, what);
	return err_set(e, 500, "db_corrupt", NULL,
		       "数据库文件已损坏或不是 minzheng 的数据库：%s（%s）", where, what);
}

int db_err_txn_aborted(struct err *e)
{
	return err_set(e, 500, "txn_aborted", NULL,
		       "数据库事务已因先前的错误中止，本次修改未保存，请重试");
}

void db_fault_trace(const char *what, const char *sql)
{
	if (getenv("MZ_FAULT_TRACE"))
		fprintf(stderr, "故障注入：%s %.200s\n", what, sql ? sql : "");
}
