/*
 * tx.c — a handler's write transaction (see tx.h): the one place where a
 * request's writes begin, commit and roll back.
 */
#include "tx.h"

#include "request.h"
#include "store.h"

int api_tx_begin(struct api_req *r) {
  return store_begin(r->db);
}

int api_tx_end(struct api_req *r, int rc) {
  if (rc == STORE_OK)
    rc = store_commit(r->db);
  if (rc != STORE_OK)
    store_rollback(r->db);
  return rc;
}

void api_tx_abort(struct api_req *r) {
  store_rollback(r->db);
}
