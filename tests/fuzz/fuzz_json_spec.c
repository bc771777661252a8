/*
 * fuzz_json_spec.c — libFuzzer harness for the JSON input specs
 * (http/json_io.h) with the real routes' specs.
 *
 * The first byte picks one of the routes that take a JSON body (the route
 * table itself, so every spec is covered); the rest is the body.  It goes
 * through the steps api_body_load takes before it replies — the depth
 * bound on the raw bytes, jansson with duplicate keys refused, the spec
 * check — and the errors array must have the shape clients rely on:
 * every entry an object with a string field and code, at most
 * API_MAX_FIELD_ERRORS entries.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json_io.h"
#include "request.h"
#include "routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ROUTES 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const struct api_field *specs[MAX_ROUTES];
  static size_t n_specs;
  if (n_specs == 0) {
    const struct api_route *all[MAX_ROUTES];
    size_t n = api_routes_list(all, MAX_ROUTES);
    for (size_t i = 0; i < n && i < MAX_ROUTES; i++)
      if (all[i]->body != NULL)
        specs[n_specs++] = all[i]->body;
    if (n_specs == 0)
      abort();
  }
  if (size < 1)
    return 0;
  const struct api_field *spec = specs[data[0] % n_specs];
  const char *body = (const char *)data + 1;
  size_t len = size - 1;
  if (len > API_BODY_MAX_DEFAULT)
    return 0;
  if (len > 0 && api_json_depth(body, len, API_JSON_DEPTH_MAX) > API_JSON_DEPTH_MAX)
    return 0;
  json_error_t jerr;
  json_t *doc = len == 0 ? json_object() : json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
  if (doc == NULL || !json_is_object(doc)) {
    json_decref(doc);
    return 0;
  }
  json_t *errors = api_spec_check(doc, spec);
  if (errors != NULL) {
    if (!json_is_array(errors) || json_array_size(errors) == 0 ||
        json_array_size(errors) > API_MAX_FIELD_ERRORS)
      abort();
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
      if (!json_is_string(json_object_get(e, "field")) ||
          !json_is_string(json_object_get(e, "code")))
        abort();
    }
  }
  json_decref(errors);
  json_decref(doc);
  return 0;
}
