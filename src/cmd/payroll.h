/* payroll.h (cmd) — the `minzheng payroll` command: compute, review, confirm runs; bank files;
 * bank return files. */
#ifndef MZ_CMD_PAYROLL_H
#define MZ_CMD_PAYROLL_H

/* argv[0] is "payroll", argv[1] the subcommand (run, confirm, show, list, bank-file, returns).
 * Returns the exit status: 0 done, 1 failed, 2 usage error. */
int cmd_payroll(int argc, char **argv);

#endif
