/*
 * cli/cli.h — the subcommands of the `mmulab` binary.  Each returns the
 * process exit status: 0 success, 1 an expectation did not hold, 2 invalid
 * input or usage, or a run-time error.
 */
#ifndef MMULAB_CLI_CLI_H
#define MMULAB_CLI_CLI_H

#define EXIT_MISMATCH 1
#define EXIT_INVALID 2

int cmd_validate(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_gen(int argc, char **argv);

#endif
