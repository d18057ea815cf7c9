/* policy.h (cmd) — the `minzheng policy` command: show and set policy parameters. */
#ifndef MZ_CMD_POLICY_H
#define MZ_CMD_POLICY_H

/* argv[0] is "policy", argv[1] the subcommand (show, set, keys). Returns the exit status: 0 done,
 * 1 failed, 2 usage error. */
int cmd_policy(int argc, char **argv);

#endif
