/*
 * store_hr.c — the queries behind employer HR systems as clients (issue 16,
 * migration 0008): API keys (only their keyed hash is stored), webhook
 * endpoints, and the durable delivery queue that the triggers of 0008 fill
 * in the same transaction as the change that causes an event.  The delivery
 * worker (core/webhooks.c) reads due deliveries and records each attempt
 * here; nothing here opens a transaction.
 */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- API keys ----------------------------------------------------------------------- */

#define KEY_COLS                                                                                   \
  "id, employer_id, name, hint, scopes, created_by, created_at, expires_at, revoked_at, "          \
  "last_used_at"

static int read_key(sqlite3_stmt *q, struct store_apikey *k) {
  memset(k, 0, sizeof *k);
  k->id = sqlite3_column_int64(q, 0);
  k->employer_id = sqlite3_column_int64(q, 1);
  store__copy_col(k->name, sizeof k->name, q, 2);
  store__copy_col(k->hint, sizeof k->hint, q, 3);
  k->scopes = (unsigned)sqlite3_column_int(q, 4);
  k->created_by = store__col_opt(q, 5);
  k->created_at = sqlite3_column_int64(q, 6);
  k->expires_at = store__col_opt(q, 7);
  k->revoked_at = store__col_opt(q, 8);
  k->last_used_at = store__col_opt(q, 9);
  return STORE_OK;
}

int store_apikey_add(struct store *s, const struct store_apikey *k, const uint8_t hash[32],
                     int64_t *id) {
  STORE__STMT(s, q,
              "INSERT INTO api_keys (employer_id, name, key_hash, hint, scopes, created_by, "
              "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  sqlite3_bind_int64(q, 1, k->employer_id);
  store__bind_text(q, 2, k->name);
  sqlite3_bind_blob(q, 3, hash, 32, SQLITE_STATIC);
  store__bind_text(q, 4, k->hint);
  sqlite3_bind_int(q, 5, (int)k->scopes);
  store__bind_opt(q, 6, k->created_by);
  sqlite3_bind_int64(q, 7, k->created_at);
  store__bind_opt(q, 8, k->expires_at);
  return store__insert(s, q, id);
}

static int one_key(sqlite3_stmt *q, struct store_apikey *out) {
  int rc = sqlite3_step(q);
  int res = store__found(rc);
  if (rc == SQLITE_ROW)
    read_key(q, out);
  sqlite3_reset(q);
  return res;
}

int store_apikey_get(struct store *s, int64_t id, struct store_apikey *out) {
  STORE__STMT(s, q, "SELECT " KEY_COLS " FROM api_keys WHERE id = ?");
  sqlite3_bind_int64(q, 1, id);
  return one_key(q, out);
}

int store_apikey_by_hash(struct store *s, const uint8_t hash[32], int64_t now,
                         struct store_apikey *out) {
  STORE__STMT(s, q,
              "SELECT " KEY_COLS " FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL "
              "AND (expires_at IS NULL OR expires_at > ?)");
  sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
  sqlite3_bind_int64(q, 2, now);
  return one_key(q, out);
}

int store_apikey_list(struct store *s, int64_t employer_id,
                      int (*fn)(void *arg, const struct store_apikey *k), void *arg) {
  STORE__STMT(s, q, "SELECT " KEY_COLS " FROM api_keys WHERE employer_id = ? ORDER BY id DESC");
  sqlite3_bind_int64(q, 1, employer_id);
  struct store_apikey k;
  STORE__WALK(q, k, read_key(q, &k), fn, arg);
}

int store_apikey_revoke(struct store *s, int64_t id, int64_t now) {
  STORE__STMT(s, q, "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  sqlite3_bind_int64(q, 1, now);
  sqlite3_bind_int64(q, 2, id);
  int rc = store__done(q);
  if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
    rc = STORE_ENOTFOUND;
  return rc;
}

int store_apikey_touch(struct store *s, int64_t id, int64_t now) {
  STORE__STMT(s, q, "UPDATE api_keys SET last_used_at = ? WHERE id = ?");
  sqlite3_bind_int64(q, 1, now);
  sqlite3_bind_int64(q, 2, id);
  return store__done(q);
}

/* ---- Webhook endpoints -------------------------------------------------------------- */

#define HOOK_COLS "id, employer_id, url, events, secret_salt, created_by, created_at"

static void copy_salt(uint8_t salt[16], sqlite3_stmt *q, int col) {
  memset(salt, 0, 16);
  int n = sqlite3_column_bytes(q, col);
  const void *b = sqlite3_column_blob(q, col);
  if (b != NULL)
    memcpy(salt, b, n < 16 ? (size_t)n : 16);
}

static int read_hook(sqlite3_stmt *q, struct store_webhook *w) {
  memset(w, 0, sizeof *w);
  w->id = sqlite3_column_int64(q, 0);
  w->employer_id = sqlite3_column_int64(q, 1);
  store__copy_col(w->url, sizeof w->url, q, 2);
  w->events = (unsigned)sqlite3_column_int(q, 3);
  copy_salt(w->salt, q, 4);
  w->created_by = store__col_opt(q, 5);
  w->created_at = sqlite3_column_int64(q, 6);
  return STORE_OK;
}

int store_webhook_add(struct store *s, const struct store_webhook *w, int64_t *id) {
  STORE__STMT(s, q,
              "INSERT INTO webhook_endpoints (employer_id, url, events, secret_salt, created_by, "
              "created_at) VALUES (?, ?, ?, ?, ?, ?)");
  sqlite3_bind_int64(q, 1, w->employer_id);
  store__bind_text(q, 2, w->url);
  sqlite3_bind_int(q, 3, (int)w->events);
  sqlite3_bind_blob(q, 4, w->salt, 16, SQLITE_STATIC);
  store__bind_opt(q, 5, w->created_by);
  sqlite3_bind_int64(q, 6, w->created_at);
  return store__insert(s, q, id);
}

int store_webhook_get(struct store *s, int64_t id, struct store_webhook *out) {
  STORE__STMT(s, q,
              "SELECT " HOOK_COLS " FROM webhook_endpoints WHERE id = ? AND deleted_at IS NULL");
  sqlite3_bind_int64(q, 1, id);
  int rc = sqlite3_step(q);
  int res = store__found(rc);
  if (rc == SQLITE_ROW)
    read_hook(q, out);
  sqlite3_reset(q);
  return res;
}

int store_webhook_list(struct store *s, int64_t employer_id,
                       int (*fn)(void *arg, const struct store_webhook *w), void *arg) {
  STORE__STMT(s, q,
              "SELECT " HOOK_COLS " FROM webhook_endpoints WHERE employer_id = ? "
              "AND deleted_at IS NULL ORDER BY id");
  sqlite3_bind_int64(q, 1, employer_id);
  struct store_webhook w;
  STORE__WALK(q, w, read_hook(q, &w), fn, arg);
}

int store_webhook_count(struct store *s, int64_t employer_id, int64_t *n) {
  STORE__STMT(
      s, q, "SELECT count(*) FROM webhook_endpoints WHERE employer_id = ? AND deleted_at IS NULL");
  sqlite3_bind_int64(q, 1, employer_id);
  return store__int(q, n);
}

int store_webhook_delete(struct store *s, int64_t id, int64_t now) {
  STORE__STMT(s, q,
              "UPDATE webhook_endpoints SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL");
  sqlite3_bind_int64(q, 1, now);
  sqlite3_bind_int64(q, 2, id);
  int rc = store__done(q);
  if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
    return STORE_ENOTFOUND;
  if (rc != STORE_OK)
    return rc;
  STORE__STMT(s, d,
              "UPDATE webhook_deliveries SET status = 'dead', last_error = 'endpoint deleted', "
              "done_at = ? WHERE endpoint_id = ? AND status = 'pending'");
  sqlite3_bind_int64(d, 1, now);
  sqlite3_bind_int64(d, 2, id);
  return store__done(d);
}

/* ---- Deliveries --------------------------------------------------------------------- */

#define DELIVERY_COLS                                                                              \
  "d.id, d.event_id, d.endpoint_id, ev.employer_id, ev.vacancy_id, ev.referral_id, ev.uid, "       \
  "ev.type, d.status, ev.created_at, d.attempts, d.next_at, d.done_at, d.last_status, "            \
  "d.last_error, e.url, e.secret_salt, ev.body"

static int read_delivery(sqlite3_stmt *q, struct store_delivery *d) {
  memset(d, 0, sizeof *d);
  d->id = sqlite3_column_int64(q, 0);
  d->event_id = sqlite3_column_int64(q, 1);
  d->endpoint_id = sqlite3_column_int64(q, 2);
  d->employer_id = sqlite3_column_int64(q, 3);
  d->vacancy_id = sqlite3_column_int64(q, 4);
  d->referral_id = store__col_opt(q, 5);
  store__copy_col(d->uid, sizeof d->uid, q, 6);
  store__copy_col(d->type, sizeof d->type, q, 7);
  store__copy_col(d->status, sizeof d->status, q, 8);
  d->created_at = sqlite3_column_int64(q, 9);
  d->attempts = sqlite3_column_int64(q, 10);
  d->next_at = sqlite3_column_int64(q, 11);
  d->done_at = store__col_opt(q, 12);
  d->last_status = (int)store__col_opt(q, 13);
  if (d->last_status < 0)
    d->last_status = 0;
  store__copy_col(d->last_error, sizeof d->last_error, q, 14);
  store__copy_col(d->url, sizeof d->url, q, 15);
  copy_salt(d->salt, q, 16);
  if (sqlite3_column_type(q, 17) != SQLITE_NULL) {
    const char *b = (const char *)sqlite3_column_text(q, 17);
    d->body = strdup(b != NULL ? b : "");
    if (d->body == NULL)
      return STORE_ENOMEM;
  }
  return STORE_OK;
}

/* Steps q, handing each delivery to fn and freeing its body after. */
static int walk_deliveries(sqlite3_stmt *q, int (*fn)(void *arg, const struct store_delivery *d),
                           void *arg) {
  int rc, res = STORE_OK;
  struct store_delivery d;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    res = read_delivery(q, &d);
    if (res == STORE_OK)
      res = fn(arg, &d);
    free(d.body);
    if (res != STORE_OK)
      break;
  }
  if (res == STORE_OK && rc != SQLITE_DONE)
    res = store__rc(rc);
  sqlite3_reset(q);
  return res;
}

int store_delivery_due(struct store *s, int64_t now, int limit,
                       int (*fn)(void *arg, const struct store_delivery *d), void *arg) {
  STORE__STMT(s, q,
              "SELECT " DELIVERY_COLS " FROM webhook_deliveries d "
              "JOIN webhook_events ev ON ev.id = d.event_id "
              "JOIN webhook_endpoints e ON e.id = d.endpoint_id "
              "WHERE d.status = 'pending' AND d.next_at <= ? AND NOT EXISTS ("
              "  SELECT 1 FROM webhook_deliveries o WHERE o.endpoint_id = d.endpoint_id "
              "  AND o.status = 'pending' AND o.event_id < d.event_id) "
              "ORDER BY d.event_id, d.endpoint_id LIMIT ?");
  sqlite3_bind_int64(q, 1, now);
  sqlite3_bind_int(q, 2, limit);
  return walk_deliveries(q, fn, arg);
}

int store_delivery_list(struct store *s, int64_t endpoint_id, const char *status,
                        int (*fn)(void *arg, const struct store_delivery *d), void *arg) {
  STORE__STMT(s, q,
              "SELECT " DELIVERY_COLS " FROM webhook_deliveries d "
              "JOIN webhook_events ev ON ev.id = d.event_id "
              "JOIN webhook_endpoints e ON e.id = d.endpoint_id "
              "WHERE d.endpoint_id = ? AND (?2 IS NULL OR d.status = ?2) "
              "ORDER BY d.id DESC LIMIT 500");
  sqlite3_bind_int64(q, 1, endpoint_id);
  store__bind_text(q, 2, status);
  return walk_deliveries(q, fn, arg);
}

int store_delivery_endpoint(struct store *s, int64_t delivery_id, int64_t *endpoint_id) {
  STORE__STMT(s, q, "SELECT endpoint_id FROM webhook_deliveries WHERE id = ?");
  sqlite3_bind_int64(q, 1, delivery_id);
  return store__int(q, endpoint_id);
}

int store_delivery_replay(struct store *s, int64_t delivery_id, int64_t now) {
  STORE__STMT(s, q,
              "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_at = ?, "
              "done_at = NULL WHERE id = ? AND status = 'dead' AND endpoint_id IN "
              "(SELECT id FROM webhook_endpoints WHERE deleted_at IS NULL)");
  sqlite3_bind_int64(q, 1, now);
  sqlite3_bind_int64(q, 2, delivery_id);
  int rc = store__done(q);
  if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
    rc = STORE_ENOTFOUND;
  return rc;
}

int store_event_set_body(struct store *s, int64_t event_id, const char *body) {
  STORE__STMT(s, q, "UPDATE webhook_events SET body = ? WHERE id = ? AND body IS NULL");
  store__bind_text(q, 1, body);
  sqlite3_bind_int64(q, 2, event_id);
  return store__done(q);
}

int store_delivery_result(struct store *s, int64_t id, const char *status, int64_t next_at,
                          int http_status, const char *error, int64_t now) {
  STORE__STMT(s, q,
              "UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, next_at = ?, "
              "last_status = ?, last_error = ?, done_at = CASE WHEN ? = 'pending' THEN NULL "
              "ELSE ? END WHERE id = ?");
  store__bind_text(q, 1, status);
  sqlite3_bind_int64(q, 2, next_at);
  store__bind_opt(q, 3, http_status > 0 ? http_status : -1);
  store__bind_text(q, 4, error);
  store__bind_text(q, 5, status);
  sqlite3_bind_int64(q, 6, now);
  sqlite3_bind_int64(q, 7, id);
  return store__done(q);
}

int store_event_closing_scan(struct store *s, const char *today, int64_t now, int64_t *added) {
  *added = 0;
  STORE__STMT(s, q,
              "INSERT INTO webhook_events (uid, type, employer_id, vacancy_id, created_at) "
              "SELECT lower(hex(randomblob(16))), 'vacancy.closing', v.employer_id, v.id, ? "
              "FROM vacancies v WHERE v.status = 'open' AND v.deadline IS NOT NULL "
              "AND v.deadline <> '' AND v.deadline <= ? AND EXISTS (SELECT 1 FROM "
              "webhook_endpoints e WHERE e.employer_id = v.employer_id AND e.deleted_at IS NULL "
              "AND (e.events & 8) <> 0) AND NOT EXISTS (SELECT 1 FROM webhook_events x "
              "WHERE x.vacancy_id = v.id AND x.type = 'vacancy.closing') ORDER BY v.id");
  sqlite3_bind_int64(q, 1, now);
  store__bind_text(q, 2, today);
  int rc = store__done(q);
  if (rc != STORE_OK)
    return rc;
  *added = sqlite3_changes(s->db);
  if (*added == 0)
    return STORE_OK;
  STORE__STMT(s, d,
              "INSERT OR IGNORE INTO webhook_deliveries (event_id, endpoint_id, next_at) "
              "SELECT ev.id, e.id, ? FROM webhook_events ev JOIN webhook_endpoints e "
              "ON e.employer_id = ev.employer_id WHERE ev.type = 'vacancy.closing' "
              "AND ev.created_at = ? AND e.deleted_at IS NULL AND (e.events & 8) <> 0");
  sqlite3_bind_int64(d, 1, now);
  sqlite3_bind_int64(d, 2, now);
  return store__done(d);
}
