/*
 * auditq.h — the audit writer: one thread with its own SQLite connection
 * that commits the audit rows of personal reads in groups, one transaction
 * per group, while each request waits for the commit of its group.
 *
 * Every personal read is still audited before it is answered
 * (api_auditq_write returns only after the row is committed), but a busy
 * server pays one commit for many reads instead of one each, and its
 * request threads never contend for SQLite's write lock to audit (that
 * contention, with the busy handler's sleeps of 1-100 ms, set the resident
 * read's 99th percentile).  The writer's thread also runs the checkpoints
 * that the request connections and its own commits no longer run
 * (store_autocheckpoint 0): after every CHECKPOINT_EVERY groups and after a
 * second without work.
 */
#ifndef PADAN_AUDITQ_H
#define PADAN_AUDITQ_H

#include <stddef.h>
#include <stdint.h>

struct store_audit;
struct api_auditq;

/* Opens the writer's connection to db_path and starts its thread.  *out
 * is owned by the caller (api_auditq_free).  0, or -1 with a one-line
 * message in err. */
int api_auditq_create(const char *db_path, struct api_auditq **out, char *err, size_t errlen);

/* Commits what is queued, stops the thread and closes the connection.
 * Accepts NULL.  No api_auditq_write may be running or start. */
void api_auditq_free(struct api_auditq *q);

/* Writes a (borrowed, and left untouched until the call returns) as one
 * row, or with ids (n > 0) as one row per id, in the writer's next group,
 * and returns when that group has committed.  0, or a STORE_* code when
 * the row could not be written (a failing row fails alone: its group is
 * retried row by row). */
int api_auditq_write(struct api_auditq *q, const struct store_audit *a, const int64_t *ids,
                     size_t n);

#endif
