/* cli.h — helpers shared by the subcommands in src/cmd/: option parsing and opening the db. */
#ifndef MZ_CLI_H
#define MZ_CLI_H

#include <stdint.h>

#include "db/db.h"

/* Open the database at path and bring its schema up to date; prints the error and returns -1. */
int cli_open_db(const char *path, struct db **out);

/* Find "--name VALUE" or "--name=VALUE" in argv; returns the value or NULL. */
const char *cli_opt(int argc, char **argv, const char *name);
/* cli_opt, or "" when the option is absent. */
const char *cli_opt_or_empty(int argc, char **argv, const char *name);
/* An integer option: 0 when absent; when malformed prints "错误：--name 应为整数", sets *bad and
 * returns 0. */
int64_t cli_opt_int64(int argc, char **argv, const char *name, int *bad);
/* The usage and subcommand check of a command with subcommands cmds (NULL-terminated): prints
 * the usage for --help / help (0) or without a subcommand (2), an error for an unknown one (2);
 * -1 when argv[1] is one of cmds and the command goes on. */
int cli_subcommand(int argc, char **argv, const char *usage, const char *const *cmds);
/* 1 when the flag "--name" is present. */
int cli_flag(int argc, char **argv, const char *name);
/* Print an error value to stderr ("错误：message (code)"), with a hint for the database-level
 * codes (busy, disk_full, db_readonly). */
void cli_print_err(const struct err *e);
/* The database options of the process's command line or configuration, applied before any
 * database is opened: --busy-timeout MS (how long to wait for another process's lock). 0, or
 * -1 with the message printed when malformed. */
int cli_db_setup(void);
/* Warn on stderr when the database at path can only be read (for `serve`). */
void cli_warn_readonly(const char *path);

#endif
