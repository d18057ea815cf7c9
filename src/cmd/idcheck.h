/* idcheck.h — the `minzheng idcheck` command: validate citizen ID numbers from the command line. */
#ifndef MZ_CMD_IDCHECK_H
#define MZ_CMD_IDCHECK_H

/* argv[0] is "idcheck", the IDs follow. Prints one tab-separated line per valid ID on stdout and
 * one "ID<TAB>错误：reason" line per invalid ID on stderr. Returns the exit status: 0 all valid,
 * 1 any invalid, 2 usage error. */
int cmd_idcheck(int argc, char **argv);

#endif
