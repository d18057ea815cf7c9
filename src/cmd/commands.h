/* commands.h — the subcommands of the minzheng binary, one file each under src/cmd/. Each takes
 * argc/argv with argv[0] the subcommand name and returns the process exit status. */
#ifndef MZ_COMMANDS_H
#define MZ_COMMANDS_H

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_duty(int argc, char **argv);
int cmd_inspections(int argc, char **argv);
int cmd_institutions(int argc, char **argv);
/* `minzheng report institutions …` (argv[0] = "institutions"), owned by cmd/institutions.c */
int cmd_report_institutions(int argc, char **argv);
int cmd_ledger(int argc, char **argv);
int cmd_price(int argc, char **argv);
int cmd_relief(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_rescue(int argc, char **argv);
int cmd_hotline(int argc, char **argv);
int cmd_funeral(int argc, char **argv);
int cmd_crosscheck(int argc, char **argv);
int cmd_marriage(int argc, char **argv);
int cmd_goods(int argc, char **argv);
int cmd_charity(int argc, char **argv);
int cmd_orgs(int argc, char **argv);
int cmd_staff(int argc, char **argv);
int cmd_documents(int argc, char **argv);
int cmd_lottery(int argc, char **argv);

/* `minzheng backup` and `minzheng restore` (cmd/backup.c) */
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
/* `minzheng decrypt` and `minzheng unzip-export` (cmd/crypt.c) */
int cmd_decrypt(int argc, char **argv);
int cmd_unzip_export(int argc, char **argv);

#endif
