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

#endif
