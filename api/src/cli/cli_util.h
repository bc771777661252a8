/*
 * cli_util.h — what every padan subcommand shares (cli.c, cli_gov.c): the
 * one-line error on stderr, getopt's rejected options, the data directory
 * and its database, and reading a whole file.  Each function that fails
 * has already said why on stderr and returns the exit status to use.
 */
#ifndef PADAN_CLI_UTIL_H
#define PADAN_CLI_UTIL_H

#include <stddef.h>

struct store; /* store.h */

/* Exit status for a wrong command line (1 is a failed piece of work). */
#define CLI_EXIT_USAGE 2

/* Prints "padan: <message>" and a newline on stderr; returns status. */
int cli_die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Starts option parsing over a subcommand's argv (GNU getopt, silent). */
void cli_reset_getopt(void);

/* Takes the option getopt_long just returned when it is one of those many
 * subcommands share: 'd' (--data DIR) into *dir, 'n' (--dry-run) as 1 into
 * *dry.  1 when it took c; 0 leaves c to the subcommand's own switch. */
int cli_shared_option(int c, const char **dir, int *dry);

/* Reports the option getopt just rejected for subcommand cmd; returns
 * CLI_EXIT_USAGE.  value_opts lists the short options that take a value,
 * so that the message can say which fault it was; NULL says "is unknown or
 * needs a value". */
int cli_bad_option(const char *cmd, char **argv, const char *value_opts);

/* s as a base-10 integer within [lo, hi] into *out: 0, or -1 (nothing
 * written) when s is not one. */
int cli_parse_long(const char *s, long lo, long hi, long *out);

/* The data directory: opt, else $PADAN_DATA, else "data" (borrowed). */
const char *cli_data_dir(const char *opt);

/* Makes sure dir exists (creating it when create is set) and is a writable
 * directory: 0, or 1 after saying why. */
int cli_check_dir(const char *dir, int create);

/* Opens DIR/padan.db into *s (the caller closes it with store_close); when
 * must_exist, a missing file is an error rather than a new empty
 * database.  0, or 1 after saying why. */
int cli_open_db(const char *dir, int must_exist, struct store **s);

/* Reads the whole file at path into *out (malloc'd, the caller frees; not
 * NUL-terminated) and its length into *len: 0, or -1 with errno set. */
int cli_slurp(const char *path, char **out, size_t *len);

#endif
