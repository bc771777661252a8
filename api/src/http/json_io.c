/*
 * json_io.c — request bodies in, responses out (see json_io.h), and the
 * tables of errors.h and field_errors.h turned into data.
 *
 * Every response carries Cache-Control: no-store (tokens and personal data
 * must not linger in caches) unless the reply sets its own (only the pages'
 * static files do), and X-Content-Type-Options: nosniff.  Bodies
 * are serialised by jansson into malloc'd memory and handed to MHD, which
 * frees them after sending.
 */
#include "json_io.h"

#include "request.h"
#include "dates.h"
#include "jsonmem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct api_error_info error_table[] = {
#define API_ERROR_ROW(name, status, slug, title, detail_id, detail_en)                             \
  {status, slug, title, detail_id, detail_en},
    API_ERRORS(API_ERROR_ROW)
#undef API_ERROR_ROW
};

#define API_FE_DEFINE(name, code, meaning) const char name[] = code;
API_FIELD_ERRORS(API_FE_DEFINE)
#undef API_FE_DEFINE

const char *const api_field_codes[] = {
#define API_FE_CODE(name, code, meaning) code,
    API_FIELD_ERRORS(API_FE_CODE)
#undef API_FE_CODE
        NULL};

const struct api_error_info *api_error_info(enum api_error e) {
  if ((unsigned)e >= API_E__COUNT)
    e = API_E_INTERNAL;
  return &error_table[e];
}

/* ---- Body upload ----------------------------------------------------------- */

int api_upload_add(struct api_upload *u, const char *data, size_t n, size_t limit) {
  if (n > limit || u->len > limit - n)
    return -1;
  if (u->len + n > u->cap) {
    size_t cap = u->cap == 0 ? 1024 : u->cap;
    while (cap < u->len + n)
      cap *= 2;
    if (cap > limit)
      cap = limit;
    char *grown = realloc(u->data, cap);
    if (grown == NULL)
      return -2;
    u->data = grown;
    u->cap = cap;
  }
  memcpy(u->data + u->len, data, n);
  u->len += n;
  return 0;
}

void api_upload_free(struct api_upload *u) {
  if (u == NULL)
    return;
  free(u->data);
  memset(u, 0, sizeof *u);
}

/* ---- Input ------------------------------------------------------------------- */

/* A body is checked object by object.  Two paths grow as the walk
 * descends: the spec prefix ("skills[]." — the start of the names of the
 * rows that describe this object's fields) and the value path ("skills[2]."
 * — what an error names).  Both live in fixed buffers: API_JSON_DEPTH_MAX
 * bounds the descent (api_body_load checks it before parsing), and a path
 * that would not fit is cut, never overrun. */

#define SPEC_PATH_MAX 128

struct walk {
  json_t *errors;
  int oom; /* an error could not be recorded: the body must not pass */
  const struct api_field *spec;
  char path[API_FIELD_PATH_MAX]; /* the current value's path, NUL-terminated */
};

/* Length of the first n bytes of s cut back to a UTF-8 boundary. */
static size_t utf8_cut(const char *s, size_t n) {
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
    n--;
  return n;
}

/* Appends text (cut to 64 bytes, then to what fits) to buf holding used
 * bytes; returns the new length. */
static size_t path_append(char *buf, size_t size, size_t used, const char *text) {
  size_t n = strlen(text);
  if (n > 64)
    n = utf8_cut(text, 64);
  if (used + n + 1 > size)
    n = used + 1 < size ? utf8_cut(text, size - used - 1) : 0;
  memcpy(buf + used, text, n);
  buf[used + n] = '\0';
  return used + n;
}

static int add_error(json_t *errors, const char *field, const char *code, const char *detail_id,
                     const char *detail_en) {
  if (json_array_size(errors) >= API_MAX_FIELD_ERRORS)
    return 0;
  json_t *e = json_pack("{s:s, s:s, s:s, s:s}", "field", field, "code", code, "detail_id",
                        detail_id, "detail_en", detail_en);
  if (e == NULL)
    return -1;
  return json_array_append_new(errors, e);
}

/* An error about the value at w->path + name. */
static void walk_error(struct walk *w, const char *name, const char *code, const char *detail_id,
                       const char *detail_en) {
  char field[API_FIELD_PATH_MAX];
  size_t used = path_append(field, sizeof field, 0, w->path);
  path_append(field, sizeof field, used, name);
  if (add_error(w->errors, field, code, detail_id, detail_en) != 0)
    w->oom = 1;
}

static const char *type_name_en(enum api_ftype t) {
  switch (t) {
  case API_F_STRING:
    return "a string";
  case API_F_INT:
    return "an integer";
  case API_F_NUMBER:
    return "a number";
  case API_F_BOOL:
    return "true or false";
  case API_F_ARRAY:
    return "an array";
  case API_F_OBJECT:
    return "an object";
  }
  return "?";
}

static const char *type_name_id(enum api_ftype t) {
  switch (t) {
  case API_F_STRING:
    return "teks";
  case API_F_INT:
    return "bilangan bulat";
  case API_F_NUMBER:
    return "angka";
  case API_F_BOOL:
    return "true atau false";
  case API_F_ARRAY:
    return "daftar (array)";
  case API_F_OBJECT:
    return "objek";
  }
  return "?";
}

static int type_ok(enum api_ftype t, const json_t *v) {
  switch (t) {
  case API_F_STRING:
    return json_is_string(v);
  case API_F_INT:
    return json_is_integer(v);
  case API_F_NUMBER:
    return json_is_number(v);
  case API_F_BOOL:
    return json_is_boolean(v);
  case API_F_ARRAY:
    return json_is_array(v);
  case API_F_OBJECT:
    return json_is_object(v);
  }
  return 0;
}

/* The row named prefix + name (name_len bytes), or NULL. */
static const struct api_field *row_find(const struct api_field *spec, const char *prefix,
                                        const char *name, size_t name_len) {
  size_t plen = strlen(prefix);
  for (const struct api_field *f = spec; f != NULL && f->name != NULL; f++)
    if (strncmp(f->name, prefix, plen) == 0 && strlen(f->name + plen) == name_len &&
        memcmp(f->name + plen, name, name_len) == 0)
      return f;
  return NULL;
}

/* The part of a row's name after prefix when the row is a direct field of
 * the object prefix describes; NULL otherwise. */
static const char *row_child(const struct api_field *f, const char *prefix) {
  size_t plen = strlen(prefix);
  if (strncmp(f->name, prefix, plen) != 0)
    return NULL;
  const char *rest = f->name + plen;
  return rest[0] != '\0' && strpbrk(rest, ".[") == NULL ? rest : NULL;
}

static void walk_object(struct walk *w, const char *prefix, const json_t *obj);

/* Checks one present value v against row f; name is what w->path gets
 * extended by ("code", "[2]"). */
static void walk_value(struct walk *w, const struct api_field *f, const char *name,
                       const json_t *v) {
  char id[160], en[160];
  if (json_is_null(v) && (f->flags & API_NULLABLE))
    return;
  if (!type_ok(f->type, v)) {
    snprintf(id, sizeof id, "Harus berupa %s.", type_name_id(f->type));
    snprintf(en, sizeof en, "Must be %s.", type_name_en(f->type));
    walk_error(w, name, API_FE_TYPE, id, en);
    return;
  }
  switch (f->type) {
  case API_F_STRING: {
    size_t max = f->max_len != 0 ? f->max_len : API_STRING_MAX_DEFAULT;
    if ((f->flags & API_NULLABLE) && json_string_length(v) == 0) {
      /* "" is not null: a field that may be cleared is cleared with null,
       * so that an empty enumeration or date is never taken as "none" */
      walk_error(w, name, API_FE_EMPTY, "Kosong tidak boleh; pakai null untuk mengosongkan.",
                 "Empty is not allowed; use null to clear.");
      return;
    }
    if (json_string_length(v) > max) {
      snprintf(id, sizeof id, "Paling panjang %zu byte.", max);
      snprintf(en, sizeof en, "At most %zu bytes long.", max);
      walk_error(w, name, API_FE_TOO_LONG, id, en);
    }
    return;
  }
  case API_F_INT:
    if ((double)json_integer_value(v) < f->min || (double)json_integer_value(v) > f->max) {
      snprintf(id, sizeof id, "Harus antara %lld dan %lld.", (long long)f->min, (long long)f->max);
      snprintf(en, sizeof en, "Must be between %lld and %lld.", (long long)f->min,
               (long long)f->max);
      walk_error(w, name, API_FE_OUT_OF_RANGE, id, en);
    }
    return;
  case API_F_NUMBER:
    if (json_number_value(v) < f->min || json_number_value(v) > f->max) {
      snprintf(id, sizeof id, "Harus antara %g dan %g.", f->min, f->max);
      snprintf(en, sizeof en, "Must be between %g and %g.", f->min, f->max);
      walk_error(w, name, API_FE_OUT_OF_RANGE, id, en);
    }
    return;
  case API_F_BOOL:
    return;
  case API_F_ARRAY:
  case API_F_OBJECT:
    break;
  }

  /* Descend with the value path extended by name; restored on the way out. */
  size_t path_used = strlen(w->path);
  path_append(w->path, sizeof w->path, path_used, name);
  if (f->type == API_F_OBJECT) {
    char prefix[SPEC_PATH_MAX];
    snprintf(prefix, sizeof prefix, "%s.", f->name);
    path_append(w->path, sizeof w->path, strlen(w->path), ".");
    walk_object(w, prefix, v);
  } else {
    size_t n = json_array_size(v);
    size_t max = f->max_len != 0 ? f->max_len : API_ARRAY_MAX_DEFAULT;
    if (n > max) {
      snprintf(id, sizeof id, "Paling banyak %zu butir.", max);
      snprintf(en, sizeof en, "At most %zu items.", max);
      walk_error(w, "", API_FE_TOO_MANY, id, en);
    } else if ((double)n < f->min) {
      snprintf(id, sizeof id, "Paling sedikit %.0f butir.", f->min);
      snprintf(en, sizeof en, "At least %.0f items.", f->min);
      walk_error(w, "", API_FE_TOO_FEW, id, en);
    }
    const struct api_field *item = row_find(w->spec, f->name, "[]", 2);
    if (item == NULL && n > 0) /* api_spec_valid refuses such a spec */
      walk_error(w, "", API_FE_TYPE, "Daftar ini harus kosong.", "This array must be empty.");
    for (size_t i = 0; item != NULL && i < n && i < max; i++) {
      char index[24];
      snprintf(index, sizeof index, "[%zu]", i);
      walk_value(w, item, index, json_array_get(v, i));
    }
  }
  w->path[path_used] = '\0';
}

/* Checks the fields of obj against the rows named prefix + a field name:
 * the spec's rows first, in spec order, then unknown keys in the object's
 * order. */
static void walk_object(struct walk *w, const char *prefix, const json_t *obj) {
  for (const struct api_field *f = w->spec; f != NULL && f->name != NULL; f++) {
    const char *child = row_child(f, prefix);
    if (child == NULL)
      continue;
    const json_t *v = json_object_get(obj, child);
    if (v == NULL) {
      if (f->flags & API_REQUIRED)
        walk_error(w, child, API_FE_REQUIRED, "Kolom ini wajib diisi.", "This field is required.");
      continue;
    }
    walk_value(w, f, child, v);
  }
  const char *key;
  const json_t *v;
  json_object_foreach((json_t *)obj, key, v) {
    if (strpbrk(key, ".[") != NULL || row_find(w->spec, prefix, key, strlen(key)) == NULL)
      walk_error(w, key, API_FE_UNKNOWN_FIELD, "Kolom ini tidak dikenal.",
                 "This field is not recognised.");
  }
}

/* 0 when body passes, 1 with *errors set (the caller's), -1 when out of
 * memory: then whether it passes is unknown, and it must not. */
static int spec_check(const json_t *body, const struct api_field *spec, json_t **errors) {
  struct walk w = {.errors = json_array(), .spec = spec};
  *errors = NULL;
  if (w.errors == NULL)
    return -1;
  walk_object(&w, "", body);
  if (w.oom) {
    json_decref(w.errors);
    return -1;
  }
  if (json_array_size(w.errors) == 0) {
    json_decref(w.errors);
    return 0;
  }
  *errors = w.errors;
  return 1;
}

json_t *api_spec_check(const json_t *body, const struct api_field *spec) {
  json_t *errors;
  return spec_check(body, spec, &errors) == 1 ? errors : NULL;
}

int api_spec_valid(const struct api_field *spec, char *why, size_t size) {
  for (const struct api_field *f = spec; f != NULL && f->name != NULL; f++) {
    const char *bad = NULL;
    size_t len = strlen(f->name);
    int depth = 1;
    for (const char *c = f->name; *c != '\0'; c++)
      depth += *c == '.' || *c == '[';
    if (f->type == API_F_ARRAY || f->type == API_F_OBJECT)
      depth++; /* the value itself opens one more level */
    if (len == 0 || len + 3 > SPEC_PATH_MAX || depth > API_JSON_DEPTH_MAX)
      bad = "name empty, too long or nested too deep";
    else if ((f->type == API_F_INT || f->type == API_F_NUMBER || f->type == API_F_ARRAY) &&
             f->min > f->max && !(f->type == API_F_ARRAY && f->max == 0))
      bad = "min > max";
    else if (f->type == API_F_ARRAY && row_find(spec, f->name, "[]", 2) == NULL)
      bad = "array without its \"[]\" item row";
    for (const struct api_field *g = spec; bad == NULL && g < f; g++)
      if (strcmp(g->name, f->name) == 0)
        bad = "name given twice";
    if (bad == NULL && strpbrk(f->name, ".[") != NULL) {
      /* the parent is the name up to the last '.' (an object) or the "[]"
       * that ends it (an array item row) */
      size_t plen = len;
      enum api_ftype want = API_F_OBJECT;
      if (len >= 2 && memcmp(f->name + len - 2, "[]", 2) == 0) {
        plen = len - 2;
        want = API_F_ARRAY;
      } else {
        while (plen > 0 && f->name[plen - 1] != '.')
          plen--;
        plen = plen > 0 ? plen - 1 : 0;
      }
      const struct api_field *parent = NULL;
      for (const struct api_field *g = spec; g->name != NULL; g++)
        if (strlen(g->name) == plen && strncmp(g->name, f->name, plen) == 0)
          parent = g;
      if (parent == NULL || parent->type != want)
        bad = want == API_F_ARRAY ? "item row without an array" : "field without an object";
      else if (want == API_F_OBJECT && strpbrk(f->name + plen + 1, ".[") != NULL)
        bad = "malformed path";
    }
    if (bad != NULL) {
      if (size > 0)
        snprintf(why, size, "%s: %s", f->name, bad);
      return 0;
    }
  }
  return 1;
}

int api_json_depth(const char *data, size_t len, int limit) {
  int depth = 0, deepest = 0, in_string = 0;
  for (size_t i = 0; i < len; i++) {
    char c = data[i];
    if (in_string) {
      if (c == '\\')
        i++; /* the escaped character cannot end the string */
      else if (c == '"')
        in_string = 0;
    } else if (c == '"') {
      in_string = 1;
    } else if (c == '{' || c == '[') {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit)
          return limit + 1;
      }
    } else if ((c == '}' || c == ']') && depth > 0) {
      depth--;
    }
  }
  return deepest;
}

int api_body_load(struct api_req *r, const char *data, size_t len, const struct api_field *spec) {
  json_error_t jerr;
  if (len > 0 && api_json_depth(data, len, API_JSON_DEPTH_MAX) > API_JSON_DEPTH_MAX) {
    char id[160], en[160];
    snprintf(id, sizeof id, "Isi permintaan bersarang lebih dari %d tingkat.", API_JSON_DEPTH_MAX);
    snprintf(en, sizeof en, "The request body is nested more than %d levels deep.",
             API_JSON_DEPTH_MAX);
    api_reply_problem_detail(r, API_E_MALFORMED_JSON, id, en);
    return -1;
  }
  int oom = 0;
  json_t *doc =
      len == 0 ? json_object() : jsonmem_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr, &oom);
  if (doc == NULL && (len == 0 || oom)) { /* out of memory, not bad JSON */
    api_reply_problem(r, API_E_INTERNAL);
    return -1;
  }
  if (doc == NULL || !json_is_object(doc)) {
    char id[256], en[256];
    if (doc == NULL) {
      snprintf(id, sizeof id, "Isi permintaan bukan JSON yang sah (baris %d, kolom %d).", jerr.line,
               jerr.column);
      snprintf(en, sizeof en, "The request body is not valid JSON (line %d, column %d: %s).",
               jerr.line, jerr.column, jerr.text);
    } else {
      snprintf(id, sizeof id, "Isi permintaan harus berupa satu objek JSON.");
      snprintf(en, sizeof en, "The request body must be one JSON object.");
    }
    json_decref(doc);
    api_reply_problem_detail(r, API_E_MALFORMED_JSON, id, en);
    return -1;
  }
  json_t *errors = NULL;
  int checked = spec_check(doc, spec, &errors);
  if (checked != 0) {
    /* out of memory while checking: refused, never let through unchecked */
    json_decref(doc);
    if (checked < 0)
      api_reply_problem(r, API_E_INTERNAL);
    else
      api_reply_problem_errors(r, API_E_INVALID_INPUT, errors);
    return -1;
  }
  json_decref(r->body);
  r->body = doc;
  return 0;
}

const char *api_body_string(const struct api_req *r, const char *name) {
  return json_string_value(json_object_get(r->body, name));
}

int64_t api_body_int(const struct api_req *r, const char *name, int64_t fallback) {
  const json_t *v = json_object_get(r->body, name);
  return json_is_integer(v) ? (int64_t)json_integer_value(v) : fallback;
}

int api_body_bool(const struct api_req *r, const char *name, int fallback) {
  const json_t *v = json_object_get(r->body, name);
  return json_is_boolean(v) ? json_is_true(v) : fallback;
}

const json_t *api_body_get(const struct api_req *r, const char *name) {
  return json_object_get(r->body, name);
}

/* ---- Replies ----------------------------------------------------------------- */

int api_reply_header(struct api_req *r, const char *name, const char *fmt, ...) {
  if (r->n_hdr >= API_MAX_EXTRA_HEADERS)
    return -1;
  struct api_header *h = &r->hdr[r->n_hdr];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(h->value, sizeof h->value, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof h->value)
    return -1;
  h->name = name;
  r->n_hdr++;
  return 0;
}

/* Queues body (malloc'd, owned from here on; NULL when len is 0). */
/* Queues the reply; body is malloc'd and stolen, or (fixed) a static
 * string that nothing allocates, for the answers out of memory leaves. */
static enum MHD_Result queue_body(struct api_req *r, unsigned status, char *body, size_t len,
                                  const char *content_type, const char *fixed) {
  if (r->status != 0) {
    fprintf(stderr, "padan: %s %s replied twice\n", r->method, r->path);
    free(body);
    return MHD_NO;
  }
  struct MHD_Response *resp =
      body != NULL ? MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE)
      : fixed != NULL
          ? MHD_create_response_from_buffer(strlen(fixed), (void *)fixed, MHD_RESPMEM_PERSISTENT)
          : MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
  if (resp == NULL) {
    free(body);
    return MHD_NO;
  }
  if (content_type != NULL)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
  /* a reply may set its own caching (the pages' files, h_web.c) */
  int cache_set = 0;
  for (size_t i = 0; i < r->n_hdr; i++) {
    MHD_add_response_header(resp, r->hdr[i].name, r->hdr[i].value);
    cache_set |= strcmp(r->hdr[i].name, MHD_HTTP_HEADER_CACHE_CONTROL) == 0;
  }
  if (!cache_set)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  enum MHD_Result ret = MHD_queue_response(r->conn, status, resp);
  MHD_destroy_response(resp);
  r->status = status;
  return ret;
}

static enum MHD_Result queue(struct api_req *r, unsigned status, char *body, size_t len,
                             const char *content_type) {
  return queue_body(r, status, body, len, content_type, NULL);
}

/* Out of memory before the answer could be written.  A write answered
 * 2xx has committed (handlers reply 2xx after the commit only: a 201, a
 * PATCH or DELETE, or a POST that said so in r->committed), so it stays a
 * 2xx, with a body that says only that: a 500 would have a client retry a
 * write that is stored.  Anything else (a read, a search or a login by
 * POST) is a 500 problem. */
static enum MHD_Result reply_unencoded(struct api_req *r, unsigned status,
                                       const char *content_type) {
  int write = r->committed || status == MHD_HTTP_CREATED || strcmp(r->method, "PATCH") == 0 ||
              strcmp(r->method, "DELETE") == 0 || strcmp(r->method, "PUT") == 0;
  if (write && status >= 200 && status <= 299)
    return queue_body(r, status, NULL, 0, content_type, "{\"stored\":true}");
  return queue_body(r, 500, NULL, 0, "application/problem+json",
                    "{\"type\":\"urn:padan:problem:internal\",\"title\":\"Internal error\","
                    "\"status\":500,\"code\":\"internal\"}");
}

static enum MHD_Result reply_dump(struct api_req *r, unsigned status, json_t *doc,
                                  const char *content_type) {
  char *text = doc != NULL ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
  json_decref(doc);
  if (text == NULL)
    return reply_unencoded(r, status, content_type);
  return queue(r, status, text, strlen(text), content_type);
}

enum MHD_Result api_reply_json(struct api_req *r, unsigned status, json_t *body) {
  return reply_dump(r, status, body, "application/json");
}

enum MHD_Result api_reply_bytes(struct api_req *r, unsigned status, const char *content_type,
                                char *body, size_t len) {
  return queue(r, status, body, len, content_type);
}

enum MHD_Result api_reply_empty(struct api_req *r, unsigned status) {
  return queue(r, status, NULL, 0, NULL);
}

enum MHD_Result api_reply_written(struct api_req *r, unsigned status, int64_t id, int rc) {
  if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0)
    return api_reply_store(r, rc);
  fprintf(stderr, "padan: %s %s: stored, but the record could not be read back\n", r->method,
          r->route->pattern);
  r->committed = 1;
  return api_reply_json(r, status, json_pack("{s:I, s:b}", "id", (json_int_t)id, "stored", 1));
}

/* The problem document; errors (stolen) becomes "errors", extra (stolen)
 * becomes member key. */
static enum MHD_Result problem(struct api_req *r, enum api_error e, const char *detail_id,
                               const char *detail_en, json_t *errors, const char *key,
                               json_t *extra) {
  const struct api_error_info *info = api_error_info(e);
  char type[96];
  snprintf(type, sizeof type, "urn:padan:problem:%s", info->slug);
  json_t *doc = json_object();
  if (doc != NULL) {
    json_object_set_new(doc, "type", json_string(type));
    json_object_set_new(doc, "title", json_string(info->title));
    json_object_set_new(doc, "status", json_integer(info->status));
    json_object_set_new(doc, "detail",
                        json_string(detail_en != NULL ? detail_en : info->detail_en));
    json_object_set_new(doc, "detail_id",
                        json_string(detail_id != NULL ? detail_id : info->detail_id));
    json_object_set_new(doc, "code", json_string(info->slug));
    /* a 404 names no path: a hidden object's answer must be byte for byte
     * a missing one's */
    if (r->path != NULL && e != API_E_NOT_FOUND && e != API_E_URI_TOO_LONG)
      json_object_set_new(doc, "instance", json_string(r->path));
    if (errors != NULL)
      json_object_set(doc, "errors", errors);
    if (key != NULL && extra != NULL)
      json_object_set(doc, key, extra);
  }
  json_decref(errors);
  json_decref(extra);
  return reply_dump(r, info->status, doc, "application/problem+json");
}

enum MHD_Result api_reply_problem(struct api_req *r, enum api_error e) {
  return problem(r, e, NULL, NULL, NULL, NULL, NULL);
}

enum MHD_Result api_reply_problem_detail(struct api_req *r, enum api_error e, const char *detail_id,
                                         const char *detail_en) {
  return problem(r, e, detail_id, detail_en, NULL, NULL, NULL);
}

enum MHD_Result api_reply_problem_errors(struct api_req *r, enum api_error e, json_t *errors) {
  return problem(r, e, NULL, NULL, errors, NULL, NULL);
}

enum MHD_Result api_reply_problem_member(struct api_req *r, enum api_error e, const char *detail_id,
                                         const char *detail_en, const char *key, json_t *value) {
  return problem(r, e, detail_id, detail_en, NULL, key, value);
}

void api_iso_time(int64_t t, char buf[21]) {
  time_t tt = (time_t)t;
  struct tm tm;
  if (gmtime_r(&tt, &tm) == NULL || strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    snprintf(buf, 21, "1970-01-01T00:00:00Z");
}

enum MHD_Result api_reply_store(struct api_req *r, int rc) {
  switch (rc) {
  case STORE_ENOTFOUND:
    return api_reply_problem(r, API_E_NOT_FOUND);
  case STORE_ECONSTRAINT:
    return api_reply_problem(r, API_E_CONFLICT);
  case STORE_EBUSY:
    api_reply_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    return api_reply_problem(r, API_E_UNAVAILABLE);
  case STORE_EFULL:
    fprintf(stderr, "padan: %s %s: the database is full (disk or page limit)\n", r->method,
            r->route->pattern);
    return api_reply_problem(r, API_E_INSUFFICIENT_STORAGE);
  default:
    fprintf(stderr, "padan: %s %s: store error %d: %s\n", r->method, r->route->pattern, rc,
            store_errmsg(r->db));
    return api_reply_problem(r, API_E_INTERNAL);
  }
}

enum MHD_Result api_reply_invalid(struct api_req *r, int rc, json_t *errors) {
  if (rc != STORE_OK) {
    json_decref(errors);
    return api_reply_store(r, rc);
  }
  return api_reply_problem_errors(r, API_E_INVALID_INPUT, errors);
}

/* ---- Checks and values that handlers share ------------------------------------ */

void api_field_error(json_t *errors, const char *field, const char *code, const char *detail_id,
                     const char *detail_en) {
  json_array_append_new(errors, json_pack("{s:s, s:s, s:s, s:s}", "field", field, "code", code,
                                          "detail_id", detail_id, "detail_en", detail_en));
}

int api_query_code(struct api_req *r, const char *name, enum store_table t, int64_t *id,
                   json_t *errors) {
  const char *code = api_query(r, name);
  *id = -1;
  if (code == NULL)
    return STORE_OK;
  int rc = store_id_by_code(r->db, t, code, id);
  if (rc != STORE_ENOTFOUND)
    return rc;
  *id = -1;
  api_field_error(errors, name, API_FE_UNKNOWN_CODE, "Kode ini tidak dikenal.",
                  "There is no such code.");
  return STORE_OK;
}

int api_query_places(struct api_req *r, int64_t *kelurahan_id, int64_t *kecamatan_id,
                     json_t *errors) {
  int rc = api_query_code(r, "kelurahan", STORE_T_KELURAHAN, kelurahan_id, errors);
  if (rc == STORE_OK)
    rc = api_query_code(r, "kecamatan", STORE_T_KECAMATAN, kecamatan_id, errors);
  return rc;
}

int api_text_ok(const char *text) {
  int visible = 0;
  for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
    if (*p < 0x20 || *p == 0x7f)
      return 0;
    visible |= *p != ' ';
  }
  return visible;
}

int api_date_ok(const char *s) {
  int64_t day;
  return date_iso_days(s, &day) == 0;
}

json_t *api_json_opt_string(const char *s) {
  return s != NULL && s[0] != '\0' ? json_string(s) : json_null();
}

json_t *api_json_opt_int(int64_t v) {
  return v >= 0 ? json_integer((json_int_t)v) : json_null();
}
