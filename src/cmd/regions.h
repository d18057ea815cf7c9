/* regions.h — the `minzheng regions` command: import the region tree and list it. */
#ifndef MZ_CMD_REGIONS_H
#define MZ_CMD_REGIONS_H

/* argv[0] is "regions", argv[1] the subcommand (import, list). Returns the exit status: 0 done,
 * 1 failed, 2 usage error. */
int cmd_regions(int argc, char **argv);

#endif
