/*
 * pool.h — a small bounded pool of threads for slow work a request must not
 * do on an HTTP worker thread (Argon2id password checks: about 130 ms and
 * 64 MiB each).  A request hands its work over with its connection
 * suspended (MHD_suspend_connection); when the work is done the pool
 * resumes the connection and MHD calls the handler again to reply.  When
 * the queue is full the work is refused at once, so that the caller can
 * answer 503 with Retry-After instead of holding a connection.
 */
#ifndef PADAN_POOL_H
#define PADAN_POOL_H

#include <stddef.h>

#include <microhttpd.h>

#include "store.h"

struct api_pool;

/* The work: runs on a pool thread with that thread's own database
 * connection (NULL when it could not be opened: the work must then fail
 * cleanly). */
typedef void (*api_pool_work)(void *arg, struct store *db);

/* A pool of threads threads with room for capacity waiting jobs, each
 * thread opening db_path on first use.  NULL when out of memory or a
 * thread cannot start.  Free with api_pool_free. */
struct api_pool *api_pool_create(const char *db_path, unsigned threads, size_t capacity);

/* Suspends conn (the caller is its access handler) and queues work(arg);
 * the pool resumes conn when work has run.  0, or -1 when the queue is full
 * (conn is left as it was).  arg is borrowed and must outlive the work. */
int api_pool_submit(struct api_pool *p, struct MHD_Connection *conn, api_pool_work work, void *arg);

/* Runs every queued job, stops the threads and frees the pool; call before
 * the daemon stops, so that no connection is resumed after.  NULL is
 * fine. */
void api_pool_free(struct api_pool *p);

#endif
