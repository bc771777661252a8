/*
 * cli_ops.h — the operator's subcommands: padan backup, padan restore, and
 * the lock by which `padan serve` says it holds a data directory.
 */
#ifndef PADAN_CLI_OPS_H
#define PADAN_CLI_OPS_H

/* padan backup FILE [--data DIR] */
int cli_ops_backup(int argc, char **argv);

/* padan restore FILE [--data DIR] */
int cli_ops_restore(int argc, char **argv);

/* padan audit archive --before DATE FILE [--data DIR] */
int cli_ops_audit(int argc, char **argv);

/* Takes DIR/serve.lock (flock, exclusive) for the life of the process:
 * `padan restore` refuses while it is held.  The descriptor, or -1 after
 * saying on stderr that another server holds the directory. */
int cli_serve_lock(const char *dir);

#endif
