/*
 * h_apikeys.c — an employer's API keys (issue 16): an employer user (its own
 * employer) or an admin (any employer) creates, lists, rotates and revokes
 * them.  The key itself is in the answer to create and rotate only; lists
 * show its name, scopes, hint (last 4 characters), times and state.  Keys
 * cannot manage keys (scopes.c has no row for these routes).  Every change
 * is audited in the same transaction, with the key's id and never the key.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "access.h"
#include "apikeys.h"
#include "http.h"

#define KEY_ROLES (AUTH_ADMIN | AUTH_EMPLOYER)

static json_t *key_json(const struct store_apikey *k, int64_t now) {
  json_t *scopes = json_array();
  for (unsigned bit = 1; bit <= APIKEY_ALL_SCOPES; bit <<= 1)
    if ((k->scopes & bit) != 0)
      json_array_append_new(scopes, json_string(apikey_scope_name(bit)));
  char created[21], expires[21], revoked[21], used[21];
  api_iso_time(k->created_at, created);
  if (k->expires_at >= 0)
    api_iso_time(k->expires_at, expires);
  if (k->revoked_at >= 0)
    api_iso_time(k->revoked_at, revoked);
  if (k->last_used_at >= 0)
    api_iso_time(k->last_used_at, used);
  const char *state = k->revoked_at >= 0                           ? "revoked"
                      : k->expires_at >= 0 && k->expires_at <= now ? "expired"
                                                                   : "active";
  return json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:s?, s:s?, s:s?, s:s}", "id", (json_int_t)k->id,
                   "employer_id", (json_int_t)k->employer_id, "name", k->name, "hint", k->hint,
                   "scopes", scopes, "created_at", created, "expires_at",
                   k->expires_at >= 0 ? expires : NULL, "revoked_at",
                   k->revoked_at >= 0 ? revoked : NULL, "last_used_at",
                   k->last_used_at >= 0 ? used : NULL, "state", state);
}

/* "2027-01-31T00:00:00Z" → Unix seconds; -1 when malformed. */
static int64_t parse_iso(const char *s) {
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (end == NULL || *end != '\0')
    return -1;
  return (int64_t)timegm(&tm);
}

static int audit(struct api_req *r, const char *action, int64_t key_id) {
  char detail[48];
  snprintf(detail, sizeof detail, "api key %lld", (long long)key_id);
  return api_audit_action(r, action, detail);
}

/* Inserts key k with a fresh secret and audits action, in the caller's
 * transaction; text receives the secret. */
static int add_key(struct api_req *r, struct store_apikey *k, const char *action,
                   char text[APIKEY_TEXT_BYTES]) {
  uint8_t hash[32];
  apikey_generate(r->auth, text, hash, k->hint);
  k->created_by = r->who.user_id;
  k->created_at = r->now;
  k->revoked_at = -1;
  k->last_used_at = -1;
  int rc = store_apikey_add(r->db, k, hash, &k->id);
  if (rc == STORE_OK)
    rc = audit(r, action, k->id);
  return rc;
}

/* Replies 201 with the key and its secret, which is then wiped. */
static enum MHD_Result reply_secret(struct api_req *r, const struct store_apikey *k,
                                    char text[APIKEY_TEXT_BYTES]) {
  json_t *doc = key_json(k, r->now);
  if (doc != NULL)
    json_object_set_new(doc, "key", json_string(text));
  sodium_memzero(text, APIKEY_TEXT_BYTES);
  api_reply_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  return api_reply_json(r, MHD_HTTP_CREATED, doc);
}

static const struct api_field create_spec[] = {
    {"name", API_F_STRING, API_REQUIRED, 0, 0, 80},
    {"scopes", API_F_ARRAY, API_REQUIRED, 1, 0, 3},
    {"scopes[]", API_F_STRING, 0, 0, 0, 32},
    {"expires_at", API_F_STRING, API_NULLABLE, 0, 0, 20},
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

static enum MHD_Result h_key_create(struct api_req *r) {
  int64_t employer_id = r->id[0];
  if (api_authorize(r, API_O_EMPLOYER, employer_id, API_WRITE) != 0)
    return MHD_YES;
  struct store_apikey k;
  memset(&k, 0, sizeof k);
  k.employer_id = employer_id;
  k.expires_at = -1;
  json_t *errors = json_array();
  snprintf(k.name, sizeof k.name, "%s", api_body_string(r, "name"));
  if (!api_text_ok(k.name))
    api_field_error(errors, "name", API_FE_BLANK, "Nama kunci tidak boleh kosong.",
                    "The key's name must not be blank.");
  const json_t *scopes = api_body_get(r, "scopes");
  size_t i;
  const json_t *v;
  json_array_foreach(scopes, i, v) {
    unsigned bit = apikey_scope_parse(json_string_value(v));
    if (bit == 0) {
      char field[32];
      snprintf(field, sizeof field, "scopes[%zu]", i);
      api_field_error(errors, field, API_FE_ENUM_VALUE,
                      "Cakupan harus vacancies:read, vacancies:write atau referrals:write.",
                      "A scope is vacancies:read, vacancies:write or referrals:write.");
    }
    k.scopes |= bit;
  }
  const char *exp = api_body_string(r, "expires_at");
  if (exp != NULL) {
    k.expires_at = parse_iso(exp);
    if (k.expires_at <= r->now)
      api_field_error(errors, "expires_at", API_FE_FORMAT,
                      "Kedaluwarsa ditulis YYYY-MM-DDThh:mm:ssZ dan harus di masa depan.",
                      "The expiry is written YYYY-MM-DDThh:mm:ssZ and must be in the future.");
  }
  if (json_array_size(errors) > 0)
    return api_reply_invalid(r, STORE_OK, errors);
  json_decref(errors);
  char text[APIKEY_TEXT_BYTES];
  int rc = store_begin(r->db);
  if (rc == STORE_OK)
    rc = add_key(r, &k, "api_key_create", text);
  if (rc == STORE_OK)
    rc = store_commit(r->db);
  if (rc != STORE_OK) {
    store_rollback(r->db);
    sodium_memzero(text, sizeof text);
    return api_reply_store(r, rc);
  }
  api_reply_header(r, MHD_HTTP_HEADER_LOCATION, "/v1/api-keys/%lld", (long long)k.id);
  return reply_secret(r, &k, text);
}

static int add_item(void *arg, const struct store_apikey *k) {
  json_t **acc = arg;
  return json_array_append_new(acc[0], key_json(k, (int64_t)json_integer_value(acc[1]))) == 0
             ? STORE_OK
             : STORE_ENOMEM;
}

static enum MHD_Result h_key_list(struct api_req *r) {
  if (api_authorize(r, API_O_EMPLOYER, r->id[0], API_WRITE) != 0)
    return MHD_YES;
  json_t *acc[2] = {json_array(), json_integer(r->now)};
  int rc = acc[0] != NULL && acc[1] != NULL ? store_apikey_list(r->db, r->id[0], add_item, acc)
                                            : STORE_ENOMEM;
  json_decref(acc[1]);
  if (rc != STORE_OK) {
    json_decref(acc[0]);
    return api_reply_store(r, rc);
  }
  return api_reply_json(r, MHD_HTTP_OK, json_pack("{s:o}", "items", acc[0]));
}

/* The key of the path, if the caller may manage its employer's keys;
 * otherwise the reply is queued (404 as for a missing key) and -1. */
static int own_key(struct api_req *r, struct store_apikey *k) {
  int rc = store_apikey_get(r->db, r->id[0], k);
  if (rc != STORE_OK) {
    api_reply_store(r, rc); /* 404 for a missing one */
    return -1;
  }
  return api_authorize(r, API_O_EMPLOYER, k->employer_id, API_WRITE);
}

static enum MHD_Result h_key_get(struct api_req *r) {
  struct store_apikey k;
  if (own_key(r, &k) != 0)
    return MHD_YES;
  return api_reply_json(r, MHD_HTTP_OK, key_json(&k, r->now));
}

static enum MHD_Result h_key_revoke(struct api_req *r) {
  struct store_apikey k;
  if (own_key(r, &k) != 0)
    return MHD_YES;
  int rc = store_begin(r->db);
  if (rc == STORE_OK)
    rc = store_apikey_revoke(r->db, k.id, r->now);
  if (rc == STORE_OK)
    rc = audit(r, "api_key_revoke", k.id);
  if (rc == STORE_OK)
    rc = store_commit(r->db);
  if (rc != STORE_OK) {
    store_rollback(r->db);
    if (rc == STORE_ENOTFOUND)
      return api_reply_problem_detail(r, API_E_CONFLICT, "Kunci ini sudah dicabut.",
                                      "This key is already revoked.");
    return api_reply_store(r, rc);
  }
  k.revoked_at = r->now;
  return api_reply_json(r, MHD_HTTP_OK, key_json(&k, r->now));
}

/* Rotation: the old key is revoked and a new one with the same name,
 * scopes and expiry issued, in one transaction. */
static enum MHD_Result h_key_rotate(struct api_req *r) {
  struct store_apikey k;
  if (own_key(r, &k) != 0)
    return MHD_YES;
  char text[APIKEY_TEXT_BYTES];
  int rc = store_begin(r->db);
  if (rc == STORE_OK)
    rc = store_apikey_revoke(r->db, k.id, r->now);
  if (rc == STORE_OK)
    rc = add_key(r, &k, "api_key_rotate", text);
  if (rc == STORE_OK)
    rc = store_commit(r->db);
  if (rc != STORE_OK) {
    store_rollback(r->db);
    sodium_memzero(text, sizeof text);
    if (rc == STORE_ENOTFOUND)
      return api_reply_problem_detail(r, API_E_CONFLICT, "Kunci yang dicabut tidak dapat dirotasi.",
                                      "A revoked key cannot be rotated.");
    return api_reply_store(r, rc);
  }
  api_reply_header(r, MHD_HTTP_HEADER_LOCATION, "/v1/api-keys/%lld", (long long)k.id);
  return reply_secret(r, &k, text);
}

const struct api_route api_routes_apikeys[] = {
    {.method = "GET",
     .pattern = "/v1/employers/{id}/api-keys",
     .handler = h_key_list,
     .roles = KEY_ROLES},
    {.method = "POST",
     .pattern = "/v1/employers/{id}/api-keys",
     .handler = h_key_create,
     .roles = KEY_ROLES,
     .body = create_spec},
    {.method = "GET", .pattern = "/v1/api-keys/{id}", .handler = h_key_get, .roles = KEY_ROLES},
    {.method = "DELETE",
     .pattern = "/v1/api-keys/{id}",
     .handler = h_key_revoke,
     .roles = KEY_ROLES},
    {.method = "POST",
     .pattern = "/v1/api-keys/{id}/rotate",
     .handler = h_key_rotate,
     .roles = KEY_ROLES},
    {NULL, NULL, NULL, 0, NULL},
};
