/* demo.h — the `minzheng demo` command: fill an empty database with the demo city. */
#ifndef MZ_CMD_DEMO_H
#define MZ_CMD_DEMO_H

/* argv[0] is "demo". Options: --db PATH (required), --seed N (default 1), --scale F (default
 * 1.0 ≈ 150,000 households), --help. Returns the exit status: 0 done, 1 refused or failed
 * (e.g. the database already has households), 2 usage error. */
int cmd_demo(int argc, char **argv);

#endif
