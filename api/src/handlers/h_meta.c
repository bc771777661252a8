/*
 * h_meta.c — the API about itself: GET /metrics (Prometheus text) and
 * GET /v1/openapi.json, the OpenAPI 3 document merged from the fragments in
 * api/openapi/ (one per resource file, compiled in), so each resource's
 * routes and their description are kept side by side.
 */
#include "http.h"

#include "embedded.h"
#include "metrics.h"

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

json_t *api_openapi_document(void) {
  json_t *doc = NULL;
  for (const struct api_embedded *f = api_openapi; f->name != NULL; f++) {
    json_error_t err;
    json_t *part = json_loadb(f->data, f->len, JSON_REJECT_DUPLICATES, &err);
    if (part == NULL) {
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
  return doc;
}

static enum MHD_Result h_openapi(struct api_req *r) {
  json_t *doc = api_openapi_document();
  if (doc == NULL)
    return api_reply_problem(r, API_E_INTERNAL);
  return api_reply_json(r, MHD_HTTP_OK, doc);
}

const struct api_route api_routes_meta[] = {
    {"GET", "/metrics", h_metrics, API_PUBLIC, NULL},
    {"GET", "/v1/openapi.json", h_openapi, API_PUBLIC, NULL},
    {NULL, NULL, NULL, 0, NULL},
};
