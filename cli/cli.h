/*
 * cli/cli.h — the subcommands of the `mmulab` binary.  Each returns the
 * process exit status: 0 success, 1 an expectation did not hold, 2 invalid
 * input or usage, or a run-time error, 3 nothing failed but something was
 * skipped because the CPU the executor runs on cannot run it (kmod).
 */
#ifndef MMULAB_CLI_CLI_H
#define MMULAB_CLI_CLI_H

#define EXIT_MISMATCH 1
#define EXIT_INVALID 2
#define EXIT_SKIPPED 3

int cmd_validate(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_gen(int argc, char **argv);

#endif
