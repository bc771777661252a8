/*
 * listing.c — the query side of every list endpoint (see listing.h): limit
 * and cursor, the check that no unknown or repeated parameter slipped in,
 * typed filters, and the {"items", "next_cursor"} reply.
 *
 * The cursor is base64url without padding of "v1:<after id>".  The version
 * prefix lets a later release change what a cursor holds and still refuse
 * (with a 400 naming "cursor") the old ones cleanly; decoding insists on the
 * one canonical spelling, so a cursor cannot be tampered into a second form
 * of the same position.  Query errors use the body's problem shape: an
 * "errors" array whose "field" is the parameter's name.
 */
#include "listing.h"

#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "json_io.h"

#define CURSOR_PREFIX "v1:"
#define CURSOR_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

/* ---- Cursor ------------------------------------------------------------------ */

int api_cursor_encode(int64_t after, char *out, size_t size) {
  char plain[32];
  int n = snprintf(plain, sizeof plain, CURSOR_PREFIX "%lld", (long long)after);
  if (after < 0 || n < 0 || (size_t)n >= sizeof plain ||
      size < sodium_base64_ENCODED_LEN((size_t)n, CURSOR_VARIANT))
    return -1;
  sodium_bin2base64(out, size, (const unsigned char *)plain, (size_t)n, CURSOR_VARIANT);
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

int api_cursor_decode(const char *text, int64_t *after) {
  unsigned char plain[32];
  size_t n = 0, len = strlen(text);
  const char *end = NULL;
  if (len == 0 || len > 40 ||
      sodium_base642bin(plain, sizeof plain, text, len, NULL, &n, &end, CURSOR_VARIANT) != 0 ||
      end != text + len)
    return -1;
  int64_t v;
  size_t pre = sizeof CURSOR_PREFIX - 1;
  if (n <= pre || memcmp(plain, CURSOR_PREFIX, pre) != 0 ||
      parse_canonical((const char *)plain + pre, n - pre, &v) != 0)
    return -1;
  /* The same bytes must encode back to text: no second spelling. */
  char again[64];
  if (api_cursor_encode(v, again, sizeof again) != 0 || strcmp(again, text) != 0)
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
  if (cursor != NULL && api_cursor_decode(cursor, &p->after) != 0)
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

int api_page_parse(struct api_req *r, struct api_page *p) {
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
  char cursor[64];
  if (json_array_size(items) >= (size_t)p->limit && last_id > 0 &&
      api_cursor_encode(last_id, cursor, sizeof cursor) == 0)
    next = json_string(cursor);
  return json_pack("{s:o, s:o}", "items", items != NULL ? items : json_array(), "next_cursor",
                   next);
}
