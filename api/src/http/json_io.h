/*
 * json_io.h — what goes into and out of a handler: the request body (read
 * with a hard cap, parsed strictly, checked against a declarative spec) and
 * every reply (JSON, empty, or an RFC 9457 application/problem+json error
 * built from errors.h).
 *
 * An input spec is an array of struct api_field ending with a row whose
 * name is NULL.  A body is accepted only if it is one JSON object without
 * duplicate keys, nested at most API_JSON_DEPTH_MAX deep, every field has
 * its declared type and bounds, every required field is present and no
 * other field is.  A rejected body gets one 400 answer whose "errors" array
 * lists every bad field by its path ("skills[2].code"), each with a machine
 * code and a message in Indonesian and English.
 *
 * Nested values are described by more rows of the same flat spec, named by
 * their path, so that a spec stays one readable table of positional rows:
 *
 *   {"skills", API_F_ARRAY, API_REQUIRED, 0, 0, 50},        up to 50 items
 *   {"skills[]", API_F_OBJECT, 0, 0, 0, 0},                 each item is an object
 *   {"skills[].code", API_F_STRING, API_REQUIRED, 0, 0, 16},
 *   {"skills[].certified", API_F_BOOL, 0, 0, 0, 0},
 *   {"tags", API_F_ARRAY, 0, 0, 0, 10},
 *   {"tags[]", API_F_STRING, 0, 0, 0, 32},                  items: strings of ≤ 32 bytes
 *   {"home", API_F_OBJECT, 0, 0, 0, 0},
 *   {"home.rt", API_F_INT, API_REQUIRED, 1, 999, 0},
 *
 * An API_F_ARRAY row must be followed somewhere by its item row "<name>[]"
 * (whose flags may say API_NULLABLE; API_REQUIRED means nothing there); an
 * API_F_OBJECT row's fields are the rows "<name>.<field>".
 * api_spec_valid() checks a spec for these rules (the tests run it over
 * every route).
 *
 * Reply helpers queue the response on the request's connection and return
 * what MHD_queue_response returned; a handler returns that value.  Exactly
 * one reply per request.
 */
#ifndef PADAN_JSON_IO_H
#define PADAN_JSON_IO_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <jansson.h>
#include <microhttpd.h>

#include "errors.h"
#include "field_errors.h"
#include "store.h"

struct api_req; /* http.h */

/* Largest request body accepted by default (opts may lower or raise it). */
#define API_BODY_MAX_DEFAULT (64 * 1024)
/* A string field's byte limit when its spec says 0. */
#define API_STRING_MAX_DEFAULT 1024
/* An array field's item limit when its spec says 0. */
#define API_ARRAY_MAX_DEFAULT 100
/* Deepest nesting of arrays and objects a body may have (the body object
 * itself is depth 1); checked on the raw bytes before parsing, so a body of
 * 60,000 '[' costs neither stack nor time. */
#define API_JSON_DEPTH_MAX 8
/* Longest path reported for a bad field; longer ones are cut. */
#define API_FIELD_PATH_MAX 160
/* At most this many entries in a problem's "errors" array. */
#define API_MAX_FIELD_ERRORS 50

enum api_ftype {
  API_F_STRING, /* max_len bounds the UTF-8 byte length */
  API_F_INT,    /* an integer within [min, max] */
  API_F_NUMBER, /* any number within [min, max] */
  API_F_BOOL,
  API_F_ARRAY,  /* min..max_len items (max_len 0: API_ARRAY_MAX_DEFAULT); row "<name>[]"
                   describes every item */
  API_F_OBJECT, /* an object whose fields are the rows "<name>.<field>" */
};

enum api_fflag {
  API_REQUIRED = 1u << 0,
  API_NULLABLE = 1u << 1, /* JSON null is accepted (for "clear this field") */
};

/* Numbers are always range-checked: a spec states min and max explicitly. */
struct api_field {
  const char *name;
  enum api_ftype type;
  unsigned flags; /* enum api_fflag bits */
  double min, max;
  size_t max_len;
};

/* ---- Body upload ----------------------------------------------------------- */

struct api_upload {
  char *data; /* malloc'd; api_upload_free() */
  size_t len, cap;
};

/* Appends n bytes unless the total would pass limit.  0, -1 past the limit
 * (nothing appended), -2 out of memory. */
int api_upload_add(struct api_upload *u, const char *data, size_t n, size_t limit);
void api_upload_free(struct api_upload *u);

/* ---- Input ------------------------------------------------------------------- */

/* Checks body (a JSON object) against spec.  NULL when it passes, else a
 * new JSON array of {field, code, detail_id, detail_en} that the caller
 * owns (json_decref).  field is the path of the bad value: "name",
 * "skills[2].code", "home.rt".  Codes: required, type, too_long,
 * out_of_range, too_many, too_few, unknown_field. */
json_t *api_spec_check(const json_t *body, const struct api_field *spec);

/* 1 when spec keeps the rules above (every array has its item row, every
 * nested row has an array or object parent, no name twice, min <= max for
 * numbers, nesting within API_JSON_DEPTH_MAX); else 0 with the first bad
 * row's name in why (size bytes, may be 0). */
int api_spec_valid(const struct api_field *spec, char *why, size_t size);

/* The deepest nesting of arrays and objects in data[0..len), counting
 * brackets outside strings and stopping once past limit (then limit + 1 is
 * returned).  Malformed text is the parser's business: this only bounds
 * it. */
int api_json_depth(const char *data, size_t len, int limit);

/* Parses data[0..len) (len 0 means "{}") and checks it against spec (NULL
 * spec: no field is allowed).  On success sets r->body (freed with the
 * request) and returns 0; otherwise queues the 400 reply and returns -1. */
int api_body_load(struct api_req *r, const char *data, size_t len, const struct api_field *spec);

/* Field accessors for a body that passed its spec: the value, or NULL / 0
 * / the fallback when the field is absent or null. */
const char *api_body_string(const struct api_req *r, const char *name);
int64_t api_body_int(const struct api_req *r, const char *name, int64_t fallback);
/* true → 1, false → 0, absent or null → fallback. */
int api_body_bool(const struct api_req *r, const char *name, int fallback);
/* The raw value (an array or object field, say), borrowed from the body;
 * NULL when absent. */
const json_t *api_body_get(const struct api_req *r, const char *name);

/* ---- Replies ----------------------------------------------------------------- */

/* Adds a header to the reply this request will send (at most
 * API_MAX_EXTRA_HEADERS; the value is formatted and copied).  0 or -1. */
int api_reply_header(struct api_req *r, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Replies with body as application/json; steals body (even on failure).
 * A NULL body, or one that cannot be encoded (out of memory), answers a
 * committed write's 2xx (a 201, a PATCH or DELETE, or r->committed set)
 * with {"stored":true}: never a failure a client would retry; anything
 * else with a 500 problem. */
enum MHD_Result api_reply_json(struct api_req *r, unsigned status, json_t *body);
/* Replies with body (malloc'd, len bytes; stolen even on failure) as
 * content_type: CSV reports, Prometheus text. */
enum MHD_Result api_reply_bytes(struct api_req *r, unsigned status, const char *content_type,
                                char *body, size_t len);
/* Replies with no body (204, or 200 with Content-Length 0). */
enum MHD_Result api_reply_empty(struct api_req *r, unsigned status);
/* The answer to a write that has committed but whose record cannot be
 * read back (out of memory, busy): status with {"id": id, "stored": true},
 * never a failure a client would retry.  For a GET, api_reply_store. */
enum MHD_Result api_reply_written(struct api_req *r, unsigned status, int64_t id, int rc);

/* Replies with the problem+json for e and its default details.  For an
 * object the caller may not see, use API_E_NOT_FOUND with the default
 * details: the answer is then byte-identical to a missing object's. */
enum MHD_Result api_reply_problem(struct api_req *r, enum api_error e);
/* The same with details of the caller's own (copied). */
enum MHD_Result api_reply_problem_detail(struct api_req *r, enum api_error e, const char *detail_id,
                                         const char *detail_en);
/* The same with an "errors" array, which it steals. */
enum MHD_Result api_reply_problem_errors(struct api_req *r, enum api_error e, json_t *errors);
/* A problem with one more member, key: value (stolen), such as an import's
 * report beside the problem's own fields. */
enum MHD_Result api_reply_problem_member(struct api_req *r, enum api_error e, const char *detail_id,
                                         const char *detail_en, const char *key, json_t *value);

/* The reply for a failed store call (rc is never STORE_OK): 404 for
 * STORE_ENOTFOUND, 409 for STORE_ECONSTRAINT, 503 with Retry-After for
 * STORE_EBUSY, else 500 after logging the store's message (which never
 * reaches the client). */
enum MHD_Result api_reply_store(struct api_req *r, int rc);
/* Replies 400 with errors when rc is STORE_OK, else api_reply_store(rc);
 * steals errors either way. */
enum MHD_Result api_reply_invalid(struct api_req *r, int rc, json_t *errors);

/* "2026-11-27T20:05:00Z" for Unix seconds t, into buf[21]. */
void api_iso_time(int64_t t, char buf[21]);

/* ---- Checks and values that handlers share ------------------------------------ */

/* Appends one {field, code, detail_id, detail_en} entry, the shape of a
 * problem's "errors" array, to errors. */
void api_field_error(json_t *errors, const char *field, const char *code, const char *detail_id,
                     const char *detail_en);

/* The code query parameter name resolved to its row id in t into *id
 * (absent: -1); an unknown code leaves *id at -1 and is appended to errors.
 * Returns STORE_OK, or the store's failure other than "not found". */
int api_query_code(struct api_req *r, const char *name, enum store_table t, int64_t *id,
                   json_t *errors);

/* The "kelurahan" and "kecamatan" query codes of a list, as api_query_code
 * resolves each: the place filter several lists share. */
int api_query_places(struct api_req *r, int64_t *kelurahan_id, int64_t *kecamatan_id,
                     json_t *errors);

/* 1 when text has a visible character and no control character. */
int api_text_ok(const char *text);
/* 1 when s is a real calendar date written YYYY-MM-DD. */
int api_date_ok(const char *s);

/* New JSON values for optional columns: the string, or null for NULL and
 * ""; the integer, or null when negative (unknown). */
json_t *api_json_opt_string(const char *s);
json_t *api_json_opt_int(int64_t v);

#endif
