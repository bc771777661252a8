/*
 * cli.h — the padan command line: option parsing and one function per
 * subcommand (serve, seed, import, match, user, version).  main.c only calls
 * cli_main(); tests call it too, with their own argv.
 */
#ifndef PADAN_CLI_H
#define PADAN_CLI_H

/* Runs the command line; returns the process exit status: 0 success, 1 the
 * work failed, 2 the command line was wrong. */
int cli_main(int argc, char **argv);

#endif
