/*
 * json_io.c — request bodies in, responses out (see json_io.h), and the
 * error table of errors.h turned into data.
 *
 * Every response carries Cache-Control: no-store (tokens and personal data
 * must not linger in caches) and X-Content-Type-Options: nosniff.  Bodies
 * are serialised by jansson into malloc'd memory and handed to MHD, which
 * frees them after sending.
 */
#include "json_io.h"

#include "http.h"

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

/* A copy of name short enough to echo back, cut at a UTF-8 boundary. */
static json_t *field_name(const char *name) {
  size_t n = strlen(name);
  if (n > 64) {
    n = 64;
    while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
      n--;
  }
  return json_stringn(name, n);
}

static int add_error(json_t *errors, const char *field, const char *code, const char *detail_id,
                     const char *detail_en) {
  if (json_array_size(errors) >= API_MAX_FIELD_ERRORS)
    return 0;
  json_t *e = json_object();
  if (e == NULL)
    return -1;
  json_object_set_new(e, "field", field_name(field));
  json_object_set_new(e, "code", json_string(code));
  json_object_set_new(e, "detail_id", json_string(detail_id));
  json_object_set_new(e, "detail_en", json_string(detail_en));
  return json_array_append_new(errors, e);
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
  }
  return "?";
}

/* Appends the errors of one present field's value to errors. */
static void check_value(json_t *errors, const struct api_field *f, const json_t *v) {
  char id[160], en[160];
  if (json_is_null(v) && (f->flags & API_NULLABLE))
    return;
  int type_ok = (f->type == API_F_STRING && json_is_string(v)) ||
                (f->type == API_F_INT && json_is_integer(v)) ||
                (f->type == API_F_NUMBER && json_is_number(v)) ||
                (f->type == API_F_BOOL && json_is_boolean(v));
  if (!type_ok) {
    snprintf(id, sizeof id, "Harus berupa %s.", type_name_id(f->type));
    snprintf(en, sizeof en, "Must be %s.", type_name_en(f->type));
    add_error(errors, f->name, "type", id, en);
    return;
  }
  if (f->type == API_F_STRING) {
    size_t max = f->max_len != 0 ? f->max_len : API_STRING_MAX_DEFAULT;
    if (json_string_length(v) > max) {
      snprintf(id, sizeof id, "Paling panjang %zu byte.", max);
      snprintf(en, sizeof en, "At most %zu bytes long.", max);
      add_error(errors, f->name, "too_long", id, en);
    }
    return;
  }
  if (f->type == API_F_INT || f->type == API_F_NUMBER) {
    double x = json_number_value(v);
    int out = f->type == API_F_INT ? ((double)json_integer_value(v) < f->min ||
                                      (double)json_integer_value(v) > f->max)
                                   : (x < f->min || x > f->max);
    if (out) {
      if (f->type == API_F_INT) {
        snprintf(id, sizeof id, "Harus antara %lld dan %lld.", (long long)f->min,
                 (long long)f->max);
        snprintf(en, sizeof en, "Must be between %lld and %lld.", (long long)f->min,
                 (long long)f->max);
      } else {
        snprintf(id, sizeof id, "Harus antara %g dan %g.", f->min, f->max);
        snprintf(en, sizeof en, "Must be between %g and %g.", f->min, f->max);
      }
      add_error(errors, f->name, "out_of_range", id, en);
    }
  }
}

json_t *api_spec_check(const json_t *body, const struct api_field *spec) {
  json_t *errors = json_array();
  if (errors == NULL)
    return NULL;
  for (const struct api_field *f = spec; f != NULL && f->name != NULL; f++) {
    const json_t *v = json_object_get(body, f->name);
    if (v == NULL) {
      if (f->flags & API_REQUIRED)
        add_error(errors, f->name, "required", "Kolom ini wajib diisi.", "This field is required.");
      continue;
    }
    check_value(errors, f, v);
  }
  const char *key;
  const json_t *v;
  json_object_foreach((json_t *)body, key, v) {
    const struct api_field *f = spec;
    while (f != NULL && f->name != NULL && strcmp(f->name, key) != 0)
      f++;
    if (f == NULL || f->name == NULL)
      add_error(errors, key, "unknown_field", "Kolom ini tidak dikenal.",
                "This field is not recognised.");
  }
  if (json_array_size(errors) == 0) {
    json_decref(errors);
    return NULL;
  }
  return errors;
}

int api_body_load(struct api_req *r, const char *data, size_t len, const struct api_field *spec) {
  json_error_t jerr;
  json_t *doc = len == 0 ? json_object() : json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
  if (doc == NULL && len == 0) {
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
  json_t *errors = api_spec_check(doc, spec);
  if (errors != NULL) {
    json_decref(doc);
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
static enum MHD_Result queue(struct api_req *r, unsigned status, char *body, size_t len,
                             const char *content_type) {
  if (r->status != 0) {
    fprintf(stderr, "padan: %s %s replied twice\n", r->method, r->path);
    free(body);
    return MHD_NO;
  }
  struct MHD_Response *resp =
      body != NULL ? MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE)
                   : MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
  if (resp == NULL) {
    free(body);
    return MHD_NO;
  }
  if (content_type != NULL)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  for (size_t i = 0; i < r->n_hdr; i++)
    MHD_add_response_header(resp, r->hdr[i].name, r->hdr[i].value);
  enum MHD_Result ret = MHD_queue_response(r->conn, status, resp);
  MHD_destroy_response(resp);
  r->status = status;
  return ret;
}

static enum MHD_Result reply_dump(struct api_req *r, unsigned status, json_t *doc,
                                  const char *content_type) {
  char *text = doc != NULL ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
  json_decref(doc);
  if (text == NULL) {
    static const char fallback[] = "{\"status\":500,\"title\":\"Internal error\"}";
    char *copy = strdup(fallback);
    return queue(r, 500, copy, copy != NULL ? strlen(copy) : 0, "application/problem+json");
  }
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

static enum MHD_Result problem(struct api_req *r, enum api_error e, const char *detail_id,
                               const char *detail_en, json_t *errors) {
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
    if (r->path != NULL)
      json_object_set_new(doc, "instance", json_string(r->path));
    if (errors != NULL)
      json_object_set(doc, "errors", errors);
  }
  json_decref(errors);
  return reply_dump(r, info->status, doc, "application/problem+json");
}

enum MHD_Result api_reply_problem(struct api_req *r, enum api_error e) {
  return problem(r, e, NULL, NULL, NULL);
}

enum MHD_Result api_reply_problem_detail(struct api_req *r, enum api_error e, const char *detail_id,
                                         const char *detail_en) {
  return problem(r, e, detail_id, detail_en, NULL);
}

enum MHD_Result api_reply_problem_errors(struct api_req *r, enum api_error e, json_t *errors) {
  return problem(r, e, NULL, NULL, errors);
}

void api_iso_time(int64_t t, char buf[21]) {
  time_t tt = (time_t)t;
  struct tm tm;
  if (gmtime_r(&tt, &tm) == NULL || strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    snprintf(buf, 21, "1970-01-01T00:00:00Z");
}
