/*
 * listing.c — the query side of every list endpoint (see listing.h): limit
 * and cursor, the check that no unknown or repeated parameter slipped in,
 * typed filters, and the {"items", "next_cursor"} reply.
 *
 * The cursor is base64url without padding of "v2:<after id>" followed by a
 * 16-byte keyed BLAKE2b MAC over the list's binding and that text.  The key
 * is drawn at random once per process, so a cursor is good only on the
 * server that issued it (a restart ends it: the client starts the list
 * again); the binding is a digest of the route, its path ids and its
 * filters (every query parameter but limit and cursor), so a cursor from
 * one list, or one with other filters, is refused.  A forged, altered or
 * foreign cursor is a 400 naming "cursor".  The version prefix lets a
 * later release change what a cursor holds and refuse the old ones cleanly
 * (v1 cursors, unsigned, are refused now); decoding insists on the one
 * canonical spelling.  Query errors use the body's problem shape: an
 * "errors" array whose "field" is the parameter's name.
 */
#include "listing.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "json_io.h"

#define CURSOR_PREFIX "v2:"
#define CURSOR_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define CURSOR_MAC 16

/* ---- Cursor ------------------------------------------------------------------ */

static unsigned char cursor_key[crypto_generichash_KEYBYTES];
static pthread_once_t cursor_key_once = PTHREAD_ONCE_INIT;

static void cursor_key_init(void) {
  if (sodium_init() < 0)
    abort(); /* no randomness: nothing here can be trusted */
  randombytes_buf(cursor_key, sizeof cursor_key);
}

/* The MAC of plain[0..n) for a list's binding. */
static void cursor_mac(const unsigned char bind[API_CURSOR_BIND], const unsigned char *plain,
                       size_t n, unsigned char mac[CURSOR_MAC]) {
  pthread_once(&cursor_key_once, cursor_key_init);
  crypto_generichash_state st;
  crypto_generichash_init(&st, cursor_key, sizeof cursor_key, CURSOR_MAC);
  crypto_generichash_update(&st, bind, API_CURSOR_BIND);
  crypto_generichash_update(&st, plain, n);
  crypto_generichash_final(&st, mac, CURSOR_MAC);
}

int api_cursor_encode(int64_t after, const unsigned char bind[API_CURSOR_BIND], char *out,
                      size_t size) {
  unsigned char buf[32 + CURSOR_MAC];
  int n = snprintf((char *)buf, 32, CURSOR_PREFIX "%lld", (long long)after);
  if (after < 0 || n < 0 || n >= 32 ||
      size < sodium_base64_ENCODED_LEN((size_t)n + CURSOR_MAC, CURSOR_VARIANT))
    return -1;
  cursor_mac(bind, buf, (size_t)n, buf + n);
  sodium_bin2base64(out, size, buf, (size_t)n + CURSOR_MAC, CURSOR_VARIANT);
  return 0;
}

/* A canonical decimal int64 ≥ 0: digits only, no leading zero. */
static int parse_canonical(const char *s, size_t len, int64_t *out) {
  if (len == 0 || len > 19 || (s[0] == '0' && len > 1))
    return -1;
  int64_t v = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    int d = s[i] - '0';
    if (v > (INT64_MAX - d) / 10)
      return -1;
    v = v * 10 + d;
  }
  *out = v;
  return 0;
}

int api_cursor_decode(const char *text, const unsigned char bind[API_CURSOR_BIND], int64_t *after) {
  unsigned char buf[32 + CURSOR_MAC], mac[CURSOR_MAC];
  size_t n = 0, len = strlen(text);
  const char *end = NULL;
  if (len == 0 || len > 64 ||
      sodium_base642bin(buf, sizeof buf, text, len, NULL, &n, &end, CURSOR_VARIANT) != 0 ||
      end != text + len || n <= CURSOR_MAC)
    return -1;
  n -= CURSOR_MAC;
  cursor_mac(bind, buf, n, mac);
  if (sodium_memcmp(mac, buf + n, CURSOR_MAC) != 0)
    return -1;
  int64_t v;
  size_t pre = sizeof CURSOR_PREFIX - 1;
  if (n <= pre || memcmp(buf, CURSOR_PREFIX, pre) != 0 ||
      parse_canonical((const char *)buf + pre, n - pre, &v) != 0)
    return -1;
  /* The same bytes must encode back to text: no second spelling. */
  char again[96];
  if (api_cursor_encode(v, bind, again, sizeof again) != 0 || strcmp(again, text) != 0)
    return -1;
  *after = v;
  return 0;
}

/* ---- Parameters ------------------------------------------------------------------ */

static void param_error(json_t *errors, const char *name, const char *code, const char *detail_id,
                        const char *detail_en) {
  if (json_array_size(errors) >= API_MAX_FIELD_ERRORS)
    return;
  char field[72];
  snprintf(field, sizeof field, "%.64s", name);
  json_array_append_new(errors, json_pack("{s:s, s:s, s:s, s:s}", "field", field, "code", code,
                                          "detail_id", detail_id, "detail_en", detail_en));
}

/* Parses a decimal integer (optional '-') filling all of text; 0 or -1. */
static int parse_int(const char *text, int64_t *out) {
  if (text == NULL || text[0] == '\0' || (text[0] != '-' && (text[0] < '0' || text[0] > '9')))
    return -1;
  char *end;
  errno = 0;
  long long v = strtoll(text, &end, 10);
  if (errno != 0 || *end != '\0')
    return -1;
  *out = (int64_t)v;
  return 0;
}

/* Checks one integer parameter's text; appends its error to errors. */
static void check_int(json_t *errors, const char *name, const char *text, int64_t min, int64_t max,
                      int64_t *out) {
  int64_t v;
  char id[160], en[160];
  if (parse_int(text, &v) != 0) {
    param_error(errors, name, API_FE_TYPE, "Harus berupa bilangan bulat.", "Must be an integer.");
    return;
  }
  if (v < min || v > max) {
    snprintf(id, sizeof id, "Harus antara %lld dan %lld.", (long long)min, (long long)max);
    snprintf(en, sizeof en, "Must be between %lld and %lld.", (long long)min, (long long)max);
    param_error(errors, name, API_FE_OUT_OF_RANGE, id, en);
    return;
  }
  *out = v;
}

json_t *api_page_check(const char *limit, const char *cursor, struct api_page *p) {
  json_t *errors = json_array();
  if (errors == NULL)
    return NULL;
  p->after = 0;
  p->limit = API_LIST_DEFAULT;
  if (limit != NULL) {
    int64_t v = API_LIST_DEFAULT;
    check_int(errors, "limit", limit, 1, API_LIST_MAX, &v);
    p->limit = (int)v;
  }
  if (cursor != NULL && api_cursor_decode(cursor, p->bind, &p->after) != 0)
    param_error(errors, "cursor", API_FE_INVALID_CURSOR,
                "Kursor tidak sah; pakai next_cursor dari halaman sebelumnya.",
                "Invalid cursor; use the next_cursor of the previous page.");
  if (json_array_size(errors) == 0) {
    json_decref(errors);
    return NULL;
  }
  return errors;
}

/* Queues the 400 for errors (stolen) when there are any; 0 or -1. */
static int reply_errors(struct api_req *r, json_t *errors) {
  if (errors == NULL)
    return 0;
  api_reply_problem_errors(r, API_E_INVALID_INPUT, errors);
  return -1;
}

/* Queues the 400 naming one bad parameter; returns -1. */
static int reply_param(struct api_req *r, const char *name, const char *code, const char *detail_id,
                       const char *detail_en) {
  json_t *errors = json_array();
  if (errors == NULL) {
    api_reply_problem(r, API_E_INTERNAL);
    return -1;
  }
  param_error(errors, name, code, detail_id, detail_en);
  return reply_errors(r, errors);
}

/* Folds one query parameter other than limit and cursor into the binding:
 * each pair's keyed digest is XORed in, so the order of the parameters does
 * not matter (a repeated one is refused before any handler runs). */
static enum MHD_Result bind_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                  size_t key_size, const char *value, size_t value_size) {
  (void)kind;
  unsigned char *bind = cls, d[API_CURSOR_BIND];
  if (strcmp(key, "limit") == 0 || strcmp(key, "cursor") == 0)
    return MHD_YES;
  crypto_generichash_state st;
  crypto_generichash_init(&st, NULL, 0, sizeof d);
  crypto_generichash_update(&st, (const unsigned char *)key, key_size + 1);
  if (value != NULL)
    crypto_generichash_update(&st, (const unsigned char *)value, value_size);
  crypto_generichash_final(&st, d, sizeof d);
  for (size_t i = 0; i < sizeof d; i++)
    bind[i] ^= d[i];
  return MHD_YES;
}

/* The list a cursor belongs to: its route, path ids and filters. */
static void page_bind(struct api_req *r, unsigned char bind[API_CURSOR_BIND]) {
  unsigned char filters[API_CURSOR_BIND] = {0};
  MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, bind_param, filters);
  crypto_generichash_state st;
  crypto_generichash_init(&st, NULL, 0, API_CURSOR_BIND);
  const char *pattern = r->route != NULL ? r->route->pattern : "";
  crypto_generichash_update(&st, (const unsigned char *)pattern, strlen(pattern) + 1);
  for (size_t i = 0; i < r->n_id; i++) {
    char id[24];
    int n = snprintf(id, sizeof id, "%lld/", (long long)r->id[i]);
    crypto_generichash_update(&st, (const unsigned char *)id, (size_t)n);
  }
  crypto_generichash_update(&st, filters, sizeof filters);
  crypto_generichash_final(&st, bind, API_CURSOR_BIND);
}

int api_page_parse(struct api_req *r, struct api_page *p) {
  page_bind(r, p->bind);
  const char *limit = api_query(r, "limit"), *cursor = api_query(r, "cursor");
  /* "?limit" without a value is a bad limit, not an absent one */
  if (limit == NULL && MHD_lookup_connection_value_n(r->conn, MHD_GET_ARGUMENT_KIND, "limit", 5,
                                                     NULL, NULL) == MHD_YES)
    limit = "";
  if (cursor == NULL && MHD_lookup_connection_value_n(r->conn, MHD_GET_ARGUMENT_KIND, "cursor", 6,
                                                      NULL, NULL) == MHD_YES)
    cursor = "";
  return reply_errors(r, api_page_check(limit, cursor, p));
}

const char *const api_page_query[] = {"limit", "cursor", NULL};

struct query_walk {
  const char *const *allowed;
  json_t *errors;
  const char *seen[64]; /* names met so far, to catch a repeated one */
  size_t n_seen;
};

static int is_allowed(const char *const *allowed, const char *name) {
  for (size_t i = 0; allowed != NULL && allowed[i] != NULL; i++)
    if (strcmp(allowed[i], name) == 0)
      return 1;
  return 0;
}

static enum MHD_Result query_each(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value) {
  (void)kind;
  (void)value;
  struct query_walk *q = cls;
  if (!is_allowed(q->allowed, key)) {
    param_error(q->errors, key, API_FE_UNKNOWN_PARAMETER, "Parameter ini tidak dikenal.",
                "This query parameter is not recognised.");
    return MHD_YES;
  }
  for (size_t i = 0; i < q->n_seen; i++)
    if (strcmp(q->seen[i], key) == 0) {
      param_error(q->errors, key, API_FE_REPEATED_PARAMETER,
                  "Parameter ini hanya boleh muncul sekali.",
                  "This query parameter may appear only once.");
      return MHD_YES;
    }
  if (q->n_seen < sizeof q->seen / sizeof q->seen[0])
    q->seen[q->n_seen++] = key;
  return MHD_YES;
}

int api_query_check(struct api_req *r, const char *const *allowed) {
  struct query_walk q = {.allowed = allowed, .errors = json_array()};
  if (q.errors == NULL) {
    api_reply_problem(r, API_E_INTERNAL);
    return -1;
  }
  MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, query_each, &q);
  if (json_array_size(q.errors) == 0) {
    json_decref(q.errors);
    return 0;
  }
  return reply_errors(r, q.errors);
}

/* MHD gives NULL as the value of "?name" without '='; "" for "?name=". */
static int present(struct api_req *r, const char *name, const char **text) {
  *text = api_query(r, name);
  return *text != NULL || MHD_lookup_connection_value_n(r->conn, MHD_GET_ARGUMENT_KIND, name,
                                                        strlen(name), NULL, NULL) == MHD_YES;
}

int api_query_int(struct api_req *r, const char *name, int64_t min, int64_t max, int64_t *out) {
  const char *text;
  if (!present(r, name, &text))
    return 0;
  json_t *errors = json_array();
  if (errors == NULL) {
    api_reply_problem(r, API_E_INTERNAL);
    return -1;
  }
  check_int(errors, name, text, min, max, out);
  if (json_array_size(errors) > 0)
    return reply_errors(r, errors);
  json_decref(errors);
  return 0;
}

int api_query_bool(struct api_req *r, const char *name, int *out) {
  const char *text;
  if (!present(r, name, &text))
    return 0;
  if (text != NULL && (strcmp(text, "true") == 0 || strcmp(text, "false") == 0)) {
    *out = text[0] == 't';
    return 0;
  }
  return reply_param(r, name, API_FE_TYPE, "Harus true atau false.", "Must be true or false.");
}

int api_query_enum(struct api_req *r, const char *name, const char *const *values, int *out) {
  const char *text;
  if (!present(r, name, &text))
    return 0;
  for (int i = 0; text != NULL && values[i] != NULL; i++)
    if (strcmp(values[i], text) == 0) {
      *out = i;
      return 0;
    }
  char en[256], id[256];
  size_t used_en = (size_t)snprintf(en, sizeof en, "Must be one of:");
  size_t used_id = (size_t)snprintf(id, sizeof id, "Harus salah satu dari:");
  for (int i = 0; values[i] != NULL && used_en < sizeof en && used_id < sizeof id; i++) {
    used_en +=
        (size_t)snprintf(en + used_en, sizeof en - used_en, "%s %s", i > 0 ? "," : "", values[i]);
    used_id +=
        (size_t)snprintf(id + used_id, sizeof id - used_id, "%s %s", i > 0 ? "," : "", values[i]);
  }
  return reply_param(r, name, API_FE_ENUM_VALUE, id, en);
}

/* ---- Reply ----------------------------------------------------------------------- */

json_t *api_page_body(json_t *items, const struct api_page *p, int64_t last_id) {
  json_t *next = json_null();
  char cursor[96];
  if (json_array_size(items) >= (size_t)p->limit && last_id > 0 &&
      api_cursor_encode(last_id, p->bind, cursor, sizeof cursor) == 0)
    next = json_string(cursor);
  return json_pack("{s:o, s:o}", "items", items != NULL ? items : json_array(), "next_cursor",
                   next);
}
