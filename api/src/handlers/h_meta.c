/*
 * h_meta.c — the API about itself: GET /metrics (Prometheus text) and
 * GET /v1/openapi.json, the OpenAPI 3 document merged from the fragments in
 * api/openapi/ (one per resource file, compiled in), so each resource's
 * routes and their description are kept side by side.  The document is
 * merged and encoded once, by the first request that succeeds (27,000
 * allocations), and copied into each answer after that.
 */
#include "http.h"

#include "embedded.h"
#include "jsonmem.h"
#include "metrics.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum MHD_Result h_metrics(struct api_req *r) {
  size_t len = 0;
  char *text = api_metrics_render(r->metrics, r->db, &len);
  if (text == NULL)
    return api_reply_problem(r, API_E_INTERNAL);
  return api_reply_bytes(r, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", text, len);
}

/* Adds every member of from[key] into into[key] (objects), creating it. */
static int merge_member(json_t *into, json_t *from, const char *key) {
  json_t *src = json_object_get(from, key);
  if (src == NULL)
    return 0;
  json_t *dst = json_object_get(into, key);
  if (dst == NULL)
    return json_object_set(into, key, src);
  return json_object_update(dst, src);
}

/* "getResidentsByIdAccessRecord" for GET /v1/residents/{id}/access-record:
 * the name an operation gets when its fragment gives none. */
static json_t *operation_id(const char *method, const char *path) {
  char id[256];
  size_t n = 0;
  int upper = 0;
  for (const char *m = method; *m != '\0' && n + 1 < sizeof id; m++)
    id[n++] = *m;
  if (strncmp(path, "/v1/", 4) == 0)
    path += 3;
  for (const char *p = path; *p != '\0' && n + 3 < sizeof id; p++) {
    if (*p == '{') {
      id[n++] = 'B', id[n++] = 'y';
      upper = 1;
      continue;
    }
    if (*p == '/' || *p == '-' || *p == '_' || *p == '.' || *p == '}') {
      upper = 1;
      continue;
    }
    id[n++] = upper && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
    upper = 0;
  }
  id[n] = '\0';
  return json_string(id);
}

/* Every operation gets an operationId (unless its fragment names one) and a
 * default response: the dispatcher may refuse any request before its
 * handler runs (400, 401, 403, 404, 405, 413, 415, 429, 503), always with
 * application/problem+json. */
static int complete_operations(json_t *doc) {
  const char *path, *method;
  json_t *item, *op;
  json_object_foreach(json_object_get(doc, "paths"), path, item) {
    json_object_foreach(item, method, op) {
      json_t *responses = json_object_get(op, "responses");
      if (!json_is_object(op) || !json_is_object(responses))
        continue;
      if (json_object_get(op, "operationId") == NULL &&
          json_object_set_new(op, "operationId", operation_id(method, path)) != 0)
        return -1;
      if (json_object_get(responses, "default") == NULL &&
          json_object_set_new(responses, "default",
                              json_pack("{s:s}", "$ref", "#/components/responses/Problem")) != 0)
        return -1;
    }
  }
  return 0;
}

json_t *api_openapi_document(void) {
  json_t *doc = NULL;
  for (const struct api_embedded *f = api_openapi; f->name != NULL; f++) {
    json_error_t err;
    int oom;
    json_t *part = jsonmem_loadb(f->data, f->len, JSON_REJECT_DUPLICATES, &err, &oom);
    if (part == NULL) {
      if (!oom)
        fprintf(stderr, "padan: api/openapi/%s: %s (line %d)\n", f->name, err.text, err.line);
      json_decref(doc);
      return NULL;
    }
    if (doc == NULL) { /* _base.json sorts first */
      doc = part;
      continue;
    }
    json_t *comp = json_object_get(doc, "components"), *pcomp = json_object_get(part, "components");
    int rc = merge_member(doc, part, "paths");
    if (rc == 0 && comp != NULL && pcomp != NULL)
      rc = merge_member(comp, pcomp, "schemas");
    json_decref(part);
    if (rc != 0) {
      json_decref(doc);
      return NULL;
    }
  }
  if (doc != NULL && complete_operations(doc) != 0) {
    json_decref(doc);
    return NULL;
  }
  return doc;
}

/* The encoded document, once one request has built it (kept for the
 * process's life), and its length. */
static pthread_mutex_t doc_lock = PTHREAD_MUTEX_INITIALIZER;
static char *doc_text;
static size_t doc_len;

static enum MHD_Result h_openapi(struct api_req *r) {
  pthread_mutex_lock(&doc_lock);
  if (doc_text == NULL) {
    json_t *doc = api_openapi_document();
    doc_text = doc != NULL ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
    doc_len = doc_text != NULL ? strlen(doc_text) : 0;
    json_decref(doc);
  }
  char *copy = doc_text != NULL ? malloc(doc_len) : NULL;
  if (copy != NULL)
    memcpy(copy, doc_text, doc_len);
  pthread_mutex_unlock(&doc_lock);
  if (copy == NULL)
    return api_reply_problem(r, API_E_INTERNAL);
  return api_reply_bytes(r, MHD_HTTP_OK, "application/json", copy, doc_len);
}

const struct api_route api_routes_meta[] = {
    {"GET", "/metrics", h_metrics, API_PUBLIC, NULL},
    {"GET", "/v1/openapi.json", h_openapi, API_PUBLIC, NULL},
    {NULL, NULL, NULL, 0, NULL},
};
