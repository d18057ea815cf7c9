/* report.h (cmd) — the `minzheng report` command: statistics computed from individual records. */
#ifndef MZ_CMD_REPORT_H
#define MZ_CMD_REPORT_H

/* argv[0] is "report", argv[1] the report (assistance). Returns the exit status: 0 done,
 * 1 failed, 2 usage error. */
int cmd_report(int argc, char **argv);

#endif
