/* db_backup.c — consistent copies of a database file with SQLite's online backup API (see
 * db_backup.h).
 *
 * The source connection holds one read transaction for the whole copy: in WAL mode writers go
 * on undisturbed, the copy is the snapshot the transaction began with, and sqlite3_backup_step()
 * never has to start over because another connection wrote (it would, were each step its own
 * read). Steps are a few MiB each so that a terminal can show progress.
 */
#include "db/db_backup.h"
#include "db/db_internal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define STEP_PAGES 1024 /* 4 MiB at the default page size */

/* A PostgreSQL database is backed up with pg_dump (db_backup_pg.c): the copy here is SQLite's
 * page-level one. */
static int refuse_pg(struct err *e)
{
	return err_set(e, 400, "backup_postgresql", NULL,
		       "PostgreSQL 数据库的备份与恢复由 pg_dump / pg_restore 完成，不能按 SQLite "
		       "文件复制");
}

int db_backup_is_pg(const char *path)
{
	return db_is_pg_url(path);
}

static void remove_db_files(const char *path)
{
	char side[4200];
	unlink(path);
	snprintf(side, sizeof side, "%s-journal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

/* Run the backup from src (schema "main") into a new file dest; both handles owned by caller. */
static int run_backup(sqlite3 *src, sqlite3 *dst, db_backup_progress_fn progress, void *ctx,
		      int *pages, struct err *e)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b)
		return err_set(e, 500, "backup_failed", NULL, "无法开始备份：%s", sqlite3_errmsg(dst));
	int rc;
	for (;;) {
		rc = sqlite3_backup_step(b, STEP_PAGES);
		if (progress)
			progress(sqlite3_backup_pagecount(b) - sqlite3_backup_remaining(b),
				 sqlite3_backup_pagecount(b), ctx);
		if (rc == SQLITE_OK)
			continue;
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			sqlite3_sleep(50);
			continue;
		}
		break;
	}
	if (pages)
		*pages = sqlite3_backup_pagecount(b);
	sqlite3_backup_finish(b);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
		return err_set(e, 400, "bad_backup", NULL, "不是有效的 SQLite 数据库文件（%s）",
			       sqlite3_errstr(rc));
	return err_set(e, 500, "backup_failed", NULL, "备份复制失败：%s", sqlite3_errstr(rc));
}

static int open_dest(const char *dest, sqlite3 **out, struct err *e)
{
	if (access(dest, F_OK) == 0)
		return err_set(e, 409, "exists", NULL, "目标文件已存在：%s", dest);
	if (sqlite3_open_v2(dest, out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					       SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		err_set(e, 500, "backup_failed", NULL, "无法创建文件 %s：%s", dest,
			*out ? sqlite3_errmsg(*out) : "内存不足");
		sqlite3_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* The copy carries the source's WAL flag in its header; make it one self-contained file. */
static int finish_dest(sqlite3 *dst, struct err *e)
{
	if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
		return err_set(e, 500, "backup_failed", NULL, "备份文件收尾失败：%s",
			       sqlite3_errmsg(dst));
	return 0;
}

int db_backup_copy(struct db *db, const char *dest, db_backup_progress_fn progress, void *ctx,
		   int *pages, struct err *e)
{
	if (db_is_pg(db))
		return refuse_pg(e);
	sqlite3 *src = db_sqlite_handle(db), *dst = NULL;
	if (db_in_transaction(db))
		return err_set(e, 500, "internal", NULL, "备份时连接上不应有未结束的事务");
	if (open_dest(dest, &dst, e) < 0)
		return -1;
	/* Hold one read snapshot for the whole copy (a deferred BEGIN reads nothing until asked). */
	int rc = -1;
	if (sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_master;", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		err_set(e, 503, "busy", NULL, "无法读取数据库：%s", sqlite3_errmsg(src));
		goto out;
	}
	rc = run_backup(src, dst, progress, ctx, pages, e);
	sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
	if (rc == 0)
		rc = finish_dest(dst, e);
out:
	if (sqlite3_close(dst) != SQLITE_OK && rc == 0)
		rc = err_set(e, 500, "backup_failed", NULL, "无法关闭备份文件 %s", dest);
	if (rc < 0)
		remove_db_files(dest);
	return rc;
}

int db_backup_copy_file(const char *src_path, const char *dest, db_backup_progress_fn progress,
			void *ctx, struct err *e)
{
	if (db_is_pg_url(src_path) || db_is_pg_url(dest))
		return refuse_pg(e);
	sqlite3 *src = NULL, *dst = NULL;
	if (access(src_path, R_OK) != 0)
		return err_set(e, 404, "not_found", NULL, "无法读取备份文件：%s", src_path);
	if (sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		err_set(e, 400, "bad_backup", NULL, "无法打开备份文件 %s：%s", src_path,
			src ? sqlite3_errmsg(src) : "内存不足");
		sqlite3_close(src);
		return -1;
	}
	int rc = open_dest(dest, &dst, e);
	if (rc == 0) {
		rc = run_backup(src, dst, progress, ctx, NULL, e);
		if (rc == 0)
			rc = finish_dest(dst, e);
		if (sqlite3_close(dst) != SQLITE_OK && rc == 0)
			rc = err_set(e, 500, "backup_failed", NULL, "无法关闭文件 %s", dest);
		if (rc < 0)
			remove_db_files(dest);
	}
	sqlite3_close(src);
	return rc;
}

int db_backup_integrity(struct db *db, struct err *e)
{
	if (db_is_pg(db))
		return refuse_pg(e);
	sqlite3 *h = db_sqlite_handle(db);
	sqlite3_stmt *st = NULL;
	/* The first three problems are enough to say why a file is refused. */
	if (sqlite3_prepare_v2(h, "PRAGMA integrity_check(3)", -1, &st, NULL) != SQLITE_OK)
		return err_set(e, 400, "bad_backup", NULL, "完整性检查无法进行：%s",
			       sqlite3_errmsg(h));
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(st, 0);
		if (r && strcmp(r, "ok") == 0) {
			sqlite3_finalize(st);
			return 0;
		}
		err_set(e, 400, "bad_backup", NULL, "完整性检查未通过：%s", r ? r : "");
		for (char *c = e ? e->message : NULL; c && *c; c++)
			if (*c == '\n')
				*c = ' ';
	} else {
		err_set(e, 400, "bad_backup", NULL, "完整性检查未通过：%s", sqlite3_errmsg(h));
	}
	sqlite3_finalize(st);
	return -1;
}

int db_backup_single_file(struct db *db, struct err *e)
{
	if (db_is_pg(db))
		return refuse_pg(e);
	return finish_dest(db_sqlite_handle(db), e);
}
