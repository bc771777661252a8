/*
 * cli_gov.h — the governance subcommands of the padan command line, which
 * cli.c dispatches to: importing other offices' interventions, the
 * overlap, unserved and verification reports, a resident's verification,
 * correction, export and erasure, and the priority-kelurahan list and pins.
 *
 * Each function takes the subcommand's argv (argv[0] is the command word,
 * e.g. "report"), resets getopt itself, answers --help with its usage, and
 * returns the exit status: 0 done, 1 the work failed (one line on stderr
 * names the problem), 2 the command line was wrong.
 */
#ifndef PADAN_CLI_GOV_H
#define PADAN_CLI_GOV_H

/* padan import interventions FILE [--dry-run] [--data DIR] [--as USER] */
int cli_gov_interventions(int argc, char **argv);

/* padan report overlaps|unserved|verification [--kelurahan CODE] [--csv] ... */
int cli_gov_report(int argc, char **argv);

/* padan resident export|erase|verify|correct|history NIK ... */
int cli_gov_resident(int argc, char **argv);

/* padan priority list|pin|unpin [CODE] ... */
int cli_gov_priority(int argc, char **argv);

#endif
