/*
 * tx.h — a handler's write transaction.  Every write a request makes runs
 * in one transaction opened with api_tx_begin() and closed with
 * api_tx_end(), which commits on success and rolls back on any failure;
 * a refusal found inside it (a 409 after reading the row) closes it with
 * api_tx_abort().  A store another writer holds past the busy timeout
 * yields STORE_EBUSY, which api_reply_store() answers 503 with
 * Retry-After, so the client knows to try again and nothing was written.
 */
#ifndef PADAN_TX_H
#define PADAN_TX_H

struct api_req;

/* Opens the request's write transaction (BEGIN IMMEDIATE: the writer waits
 * for the lock up front).  A STORE_* code; on failure nothing is open. */
int api_tx_begin(struct api_req *r);

/* Ends the open write transaction with rc, the outcome of the work done in
 * it: commits when rc is STORE_OK, else rolls back (and rolls back when the
 * commit itself fails).  Returns rc, or the commit's code when that failed;
 * reply with api_reply_store() when it is not STORE_OK. */
int api_tx_end(struct api_req *r, int rc);

/* Rolls the open write transaction back: the request was refused. */
void api_tx_abort(struct api_req *r);

#endif
