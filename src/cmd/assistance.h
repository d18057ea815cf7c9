/* assistance.h (cmd) — the `minzheng assistance` command: what the assistance rolls owe for a
 * month, from the command line. */
#ifndef MZ_CMD_ASSISTANCE_H
#define MZ_CMD_ASSISTANCE_H

/* argv[0] is "assistance", argv[1] the subcommand (entitlements). Returns the exit status: 0
 * done, 1 failed, 2 usage error. */
int cmd_assistance(int argc, char **argv);

#endif
