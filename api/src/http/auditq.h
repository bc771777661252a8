/*
 * auditq.h — the audit group commit: the audit rows of personal reads are
 * committed in groups, one transaction per group, on one connection, while
 * each request waits for the commit of its group; and the one checkpointer
 * of the server's WAL.
 *
 * Every personal read is still audited before it is answered
 * (api_auditq_write returns only after the row is committed), but a busy
 * server pays one commit for many reads instead of one each, and its
 * request threads never contend for SQLite's write lock to audit (that
 * contention, with the busy handler's sleeps of 1-100 ms, set the resident
 * read's 99th percentile).  The first waiting request commits the group
 * itself (no writer thread).  No connection of the server checkpoints on
 * its own (store_autocheckpoint 0): the serve loop calls
 * api_auditq_checkpoint every second.
 */
#ifndef PADAN_AUDITQ_H
#define PADAN_AUDITQ_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct store_audit;
struct api_auditq;

/* Opens the group connection and the checkpointer's to db_path.  *out
 * is owned by the caller (api_auditq_free).  0, or -1 with a one-line
 * message in err. */
int api_auditq_create(const char *db_path, struct api_auditq **out, char *err, size_t errlen);

/* Checkpoints a last time and closes the connections.  Accepts NULL.  No
 * api_auditq_write or api_auditq_checkpoint may be running or start. */
void api_auditq_free(struct api_auditq *q);

/* Writes a (borrowed, and left untouched until the call returns) as one
 * row, or with ids (n > 0) as one row per id, in the writer's next group,
 * and returns when that group has committed.  0, or a STORE_* code when
 * the row could not be written (a failing row fails alone: its group is
 * retried row by row). */
int api_auditq_write(struct api_auditq *q, const struct store_audit *a, const int64_t *ids,
                     size_t n);

/* A read and its audit row in one transaction of the writer's next group,
 * on the group connection: read(arg, db) runs there first (by whichever
 * request leads the group, so it must only read db and fill arg), and
 * returns 0 when a's row is to be written, non-zero when the read is not
 * to be answered (*refused set, no row written).  The group connection
 * is the one the audit's commits do not make drop its page cache, so the
 * read finds its pages in memory, and the read and its row are one
 * snapshot.  Should the group fail and be written again row by row, read
 * runs again: it starts afresh each time.  Returns as api_auditq_write. */
int api_auditq_read(struct api_auditq *q, int (*read)(void *arg, struct store *db), void *arg,
                    const struct store_audit *a, int *refused);

/* The server's one checkpointer, for its loop's thread (never a request's):
 * passive checkpoints that copy what they can of the WAL while groups go
 * on committing, then, when the WAL is not empty, a RESTART between two
 * groups, after which the next group writes the WAL from its start (the
 * requests queued meanwhile wait for it: at most RESTART_WAIT_MS in
 * auditq.c to get in).  Under constant reads only that resets the WAL,
 * since some reader always reads in it.
 * STORE_OK, STORE_EBUSY when it could not get in (the next call retries), or
 * another STORE_* code (also printed). */
int api_auditq_checkpoint(struct api_auditq *q);

#endif
