/*
 * store_ops.c — the operator's copies of the database: an online backup
 * through SQLite's backup API, the check of a copy (integrity and schema
 * version), and a restore that writes a checked copy into the database
 * through the same API (see store.h, "Backup and restore").
 *
 * The backup API copies pages under SQLite's own locks, so a backup taken
 * while the server writes is a consistent snapshot of one moment (a write
 * committed during the copy restarts it; steps of 256 pages with a short
 * pause between them let the writers through).  Nothing here uses the
 * prepared statements of a struct store: these functions open their own
 * connections by path.
 */
#include "store.h"
#include "store_int.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Copies every page of from into to; STORE_OK or the failure. */
static int copy_pages(sqlite3 *to, sqlite3 *from, char *err, size_t errlen) {
  sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
  if (b == NULL) {
    snprintf(err, errlen, "cannot start the copy: %s", sqlite3_errmsg(to));
    return STORE_EIO;
  }
  int rc;
  do {
    rc = sqlite3_backup_step(b, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
      sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  int fin = sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE || fin != SQLITE_OK) {
    snprintf(err, errlen, "the copy failed: %s", sqlite3_errstr(rc != SQLITE_DONE ? rc : fin));
    return rc == SQLITE_FULL || fin == SQLITE_FULL ? STORE_EFULL : STORE_EIO;
  }
  return STORE_OK;
}

/* "ok" from PRAGMA integrity_check and the user_version of db. */
static int check_db(sqlite3 *db, int *version, char *err, size_t errlen) {
  sqlite3_stmt *q = NULL;
  int ok = 0;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW) {
    const char *r = (const char *)sqlite3_column_text(q, 0);
    ok = r != NULL && strcmp(r, "ok") == 0;
    if (!ok)
      snprintf(err, errlen, "integrity check failed: %s", r != NULL ? r : "?");
  } else {
    snprintf(err, errlen, "not a padan database: %s", sqlite3_errmsg(db));
  }
  sqlite3_finalize(q);
  if (!ok)
    return STORE_EIO;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK ||
      sqlite3_step(q) != SQLITE_ROW) {
    snprintf(err, errlen, "cannot read the schema version: %s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    return STORE_EIO;
  }
  *version = sqlite3_column_int(q, 0);
  sqlite3_finalize(q);
  return STORE_OK;
}

int store_file_check(const char *path, int *version, char *err, size_t errlen) {
  sqlite3 *db = NULL;
  int rc = STORE_EIO;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
    goto done;
  }
  sqlite3_busy_timeout(db, 5000);
  rc = check_db(db, version, err, errlen);
  if (rc == STORE_OK && (*version < 1 || *version > store_latest_version())) {
    snprintf(err, errlen, "schema version %d is not one this padan knows (1-%d)", *version,
             store_latest_version());
    rc = STORE_ESCHEMA;
  }
done:
  sqlite3_close(db);
  return rc;
}

int store_backup(const char *db_path, const char *dest, char *err, size_t errlen) {
  sqlite3 *from = NULL, *to = NULL;
  char tmp[4096];
  int rc = STORE_EIO, version = 0;
  if ((size_t)snprintf(tmp, sizeof tmp, "%s.partial", dest) >= sizeof tmp) {
    snprintf(err, errlen, "backup path too long");
    return STORE_EIO;
  }
  unlink(tmp);
  /* created 0600 before SQLite opens it: a backup holds personal data */
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    snprintf(err, errlen, "cannot create %s", tmp);
    return STORE_EIO;
  }
  close(fd);
  if (sqlite3_open_v2(db_path, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_open_v2(tmp, &to, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "cannot open %s", from == NULL || to == NULL ? tmp : db_path);
    goto done;
  }
  sqlite3_busy_timeout(from, 5000);
  rc = copy_pages(to, from, err, errlen);
  /* the copy is one self-contained file: no -wal or -shm beside it */
  if (rc == STORE_OK &&
      sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "cannot finish the copy: %s", sqlite3_errmsg(to));
    rc = STORE_EIO;
  }
  if (rc == STORE_OK)
    rc = check_db(to, &version, err, errlen);
  if (rc == STORE_OK && version != store_latest_version()) {
    snprintf(err, errlen, "the copy has schema version %d, not %d", version,
             store_latest_version());
    rc = STORE_EIO;
  }
done:
  sqlite3_close(from);
  sqlite3_close(to);
  if (rc == STORE_OK && rename(tmp, dest) != 0) {
    snprintf(err, errlen, "cannot rename the copy to %s", dest);
    rc = STORE_EIO;
  }
  if (rc != STORE_OK)
    unlink(tmp);
  return rc;
}

int store_restore(const char *src, const char *db_path, char *err, size_t errlen) {
  int version = 0;
  int rc = store_file_check(src, &version, err, errlen);
  if (rc != STORE_OK)
    return rc;
  sqlite3 *from = NULL, *to = NULL;
  rc = STORE_EIO;
  if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_open_v2(db_path, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
          SQLITE_OK) {
    snprintf(err, errlen, "cannot open %s", to == NULL ? db_path : src);
    goto done;
  }
  sqlite3_busy_timeout(to, 5000);
  chmod(db_path, 0600);
  /* the copy is one write transaction on the database: all or nothing */
  rc = copy_pages(to, from, err, errlen);
  if (rc == STORE_OK)
    rc = check_db(to, &version, err, errlen);
  if (rc == STORE_OK)
    sqlite3_wal_checkpoint_v2(to, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
done:
  sqlite3_close(from);
  sqlite3_close(to);
  return rc;
}

/* Runs sql on db with before bound to ?1; STORE_OK or the failure. */
static int run_before(sqlite3 *db, const char *sql, const char *before, int64_t *changes) {
  sqlite3_stmt *q = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(q, 1, before, -1, SQLITE_STATIC);
    rc = sqlite3_step(q);
  }
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE)
    return store__rc(rc == SQLITE_OK ? SQLITE_ERROR : rc);
  if (changes != NULL)
    *changes = sqlite3_changes64(db);
  return STORE_OK;
}

int store_audit_archive(struct store *s, const char *before, const char *dest, int64_t *moved,
                        char *err, size_t errlen) {
  *moved = 0;
  /* created 0600 first: the rows name users and residents' ids */
  int fd = open(dest, O_WRONLY | O_CREAT, 0600);
  if (fd < 0) {
    snprintf(err, errlen, "cannot create %s", dest);
    return STORE_EIO;
  }
  close(fd);
  sqlite3_stmt *q = NULL;
  int rc = sqlite3_prepare_v2(s->db, "ATTACH DATABASE ?1 AS archive", -1, &q, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(q, 1, dest, -1, SQLITE_STATIC);
    rc = sqlite3_step(q);
  }
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) {
    snprintf(err, errlen, "cannot open %s: %s", dest, sqlite3_errmsg(s->db));
    return STORE_EIO;
  }
  int64_t copied = 0, deleted = 0;
  rc =
      store__rc(sqlite3_exec(s->db,
                             "BEGIN IMMEDIATE; "
                             "CREATE TABLE IF NOT EXISTS archive.audit_log (id INTEGER PRIMARY KEY,"
                             " at TEXT NOT NULL, user_id INTEGER, username TEXT, role TEXT,"
                             " action TEXT NOT NULL, route TEXT, resident_id INTEGER,"
                             " purpose TEXT, detail TEXT)",
                             NULL, NULL, NULL));
  if (rc == STORE_OK)
    rc = run_before(s->db,
                    "INSERT OR IGNORE INTO archive.audit_log SELECT id, at, user_id, username, "
                    "role, action, route, resident_id, purpose, detail FROM main.audit_log "
                    "WHERE at < ?1",
                    before, &copied);
  if (rc == STORE_OK)
    rc = run_before(s->db, "DELETE FROM main.audit_log WHERE at < ?1", before, &deleted);
  /* a row whose id the archive already holds for another row (ids reused
   * after everything was archived once) would be lost: refuse instead */
  if (rc == STORE_OK && copied != deleted) {
    rc = STORE_ECONSTRAINT;
    snprintf(err, errlen, "%s already holds %lld of these ids: archive into a new file", dest,
             (long long)(deleted - copied));
  } else if (rc == STORE_OK) {
    rc = store__rc(sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL));
  }
  if (rc != STORE_OK) {
    if (rc != STORE_ECONSTRAINT)
      snprintf(err, errlen, "the archive failed: %s", sqlite3_errmsg(s->db));
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
  } else {
    *moved = deleted;
  }
  sqlite3_exec(s->db, "DETACH DATABASE archive", NULL, NULL, NULL);
  return rc;
}
