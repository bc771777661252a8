/*
 * store_server.c — what the server, and only the server, asks of a
 * connection so that no request pays for housekeeping: automatic
 * checkpoints switched off on the request connections (a checkpoint copies
 * the write-ahead log into the database file and syncs it, a few
 * milliseconds that would land on whichever request happened to commit the
 * thousandth page), the passive and truncating checkpoints that the serve
 * loop's thread runs instead (http/auditq.c), and a test of whether a connection is inside a write
 * transaction (a personal read audited there keeps its row in that
 * transaction rather than queueing it for another connection that would
 * wait for this one's lock).
 */
#include "store_int.h"

int store_autocheckpoint(struct store *s, int pages) {
  return sqlite3_wal_autocheckpoint(s->db, pages) == SQLITE_OK ? STORE_OK : STORE_EIO;
}

int store_checkpoint_restart(struct store *s, int wait_ms, int *wal_pages) {
  int log = -1;
  sqlite3_busy_timeout(s->db, wait_ms);
  int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_RESTART, &log, NULL);
  sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
  if (wal_pages != NULL)
    *wal_pages = log;
  return rc == SQLITE_OK ? STORE_OK : rc == SQLITE_BUSY ? STORE_EBUSY : STORE_EIO;
}

int store_checkpoint_passive(struct store *s, int *wal_pages, int *moved_pages) {
  int log = 0, moved = 0;
  int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &moved);
  if (wal_pages != NULL)
    *wal_pages = log;
  if (moved_pages != NULL)
    *moved_pages = moved;
  return rc == SQLITE_OK ? STORE_OK : rc == SQLITE_BUSY ? STORE_EBUSY : STORE_EIO;
}

int store_in_write_transaction(struct store *s) {
  return sqlite3_txn_state(s->db, NULL) == SQLITE_TXN_WRITE;
}

int store_in_transaction(struct store *s) {
  return !sqlite3_get_autocommit(s->db);
}
