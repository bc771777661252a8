/*
 * The OpenAPI document against the route table: every route the server
 * dispatches is documented with the same method and path, every documented
 * operation is a route, and each documents the roles it admits exactly as
 * the route table does.
 */
#include "auth.h"
#include "http.h"
#include "testutil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define MAX_ROUTES 256

static void lower(const char *in, char *out, size_t cap) {
  size_t i = 0;
  for (; in[i] && i + 1 < cap; i++)
    out[i] = (char)tolower((unsigned char)in[i]);
  out[i] = '\0';
}

/* The roles a route admits, as the document spells them. */
static json_t *route_roles(const struct api_route *r) {
  json_t *a = json_array();
  if (r->roles == API_PUBLIC) {
    json_array_append_new(a, json_string("public"));
    return a;
  }
  static const unsigned bits[] = {AUTH_ADMIN, AUTH_OFFICER, AUTH_EMPLOYER, AUTH_DESK};
  for (size_t i = 0; i < 4; i++)
    if (r->roles & bits[i])
      json_array_append_new(a, json_string(auth_role_name(bits[i])));
  return a;
}

/* 1 when the two arrays of strings hold the same set. */
static int same_set(json_t *a, json_t *b) {
  if (!json_is_array(a) || !json_is_array(b) || json_array_size(a) != json_array_size(b))
    return 0;
  size_t i;
  json_t *v;
  json_array_foreach(a, i, v) {
    int found = 0;
    for (size_t j = 0; j < json_array_size(b); j++)
      found |= json_equal(v, json_array_get(b, j));
    if (!found)
      return 0;
  }
  return 1;
}

START_TEST(every_route_is_documented_with_its_roles) {
  const struct api_route *routes[MAX_ROUTES];
  size_t n = api_routes_list(routes, MAX_ROUTES);
  ck_assert_uint_le(n, MAX_ROUTES);
  ck_assert_uint_ge(n, 7); /* at least the foundation's routes */
  json_t *doc = api_openapi_document();
  ck_assert_msg(doc != NULL, "the fragments merge into one document");
  ck_assert_str_eq(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
  json_t *paths = json_object_get(doc, "paths");
  for (size_t i = 0; i < n; i++) {
    char m[16];
    lower(routes[i]->method, m, sizeof m);
    json_t *op = json_object_get(json_object_get(paths, routes[i]->pattern), m);
    ck_assert_msg(op != NULL, "route %s %s is not in the OpenAPI document", routes[i]->method,
                  routes[i]->pattern);
    json_t *want = route_roles(routes[i]);
    ck_assert_msg(same_set(json_object_get(op, "x-roles"), want),
                  "%s %s: x-roles in the document differ from the route table", routes[i]->method,
                  routes[i]->pattern);
    json_decref(want);
    ck_assert_msg(json_object_get(op, "responses") != NULL, "%s %s documents no responses",
                  routes[i]->method, routes[i]->pattern);
  }
  json_decref(doc);
}
END_TEST

START_TEST(every_documented_operation_is_a_route) {
  const struct api_route *routes[MAX_ROUTES];
  size_t n = api_routes_list(routes, MAX_ROUTES);
  json_t *doc = api_openapi_document();
  ck_assert_ptr_nonnull(doc);
  const char *path;
  json_t *item;
  size_t ops = 0;
  json_object_foreach(json_object_get(doc, "paths"), path, item) {
    const char *method;
    json_t *op;
    json_object_foreach(item, method, op) {
      if (strcmp(method, "parameters") == 0)
        continue;
      int found = 0;
      for (size_t i = 0; i < n && !found; i++) {
        char m[16];
        lower(routes[i]->method, m, sizeof m);
        found = strcmp(m, method) == 0 && strcmp(routes[i]->pattern, path) == 0;
      }
      ck_assert_msg(found, "the document has %s %s, which no route serves", method, path);
      ops++;
    }
  }
  ck_assert_uint_eq(ops, n);
  json_decref(doc);
}
END_TEST

/* A response object, through its $ref to components/responses. */
static json_t *response_object(json_t *doc, json_t *resp) {
  const char *ref = json_string_value(json_object_get(resp, "$ref"));
  const char *prefix = "#/components/responses/";
  if (ref == NULL || strncmp(ref, prefix, strlen(prefix)) != 0)
    return resp;
  return json_object_get(json_object_get(json_object_get(doc, "components"), "responses"),
                         ref + strlen(prefix));
}

/* Every operation has its own operationId; every response but a 204 names
 * its media types, each with a schema; every error (4xx, 5xx, default) is
 * application/problem+json and nothing else. */
START_TEST(every_operation_is_named_and_every_response_has_a_schema) {
  json_t *doc = api_openapi_document();
  ck_assert_ptr_nonnull(doc);
  json_t *ids = json_object();
  const char *path, *method, *status, *media;
  json_t *item, *op, *resp, *type;
  json_object_foreach(json_object_get(doc, "paths"), path, item) {
    json_object_foreach(item, method, op) {
      if (strcmp(method, "parameters") == 0)
        continue;
      const char *id = json_string_value(json_object_get(op, "operationId"));
      ck_assert_msg(id != NULL && *id != '\0', "%s %s has no operationId", method, path);
      ck_assert_msg(json_object_get(ids, id) == NULL, "operationId %s is used twice", id);
      json_object_set_new(ids, id, json_true());
      json_object_foreach(json_object_get(op, "responses"), status, resp) {
        json_t *r = response_object(doc, resp);
        ck_assert_msg(r != NULL, "%s %s %s: unresolved response", method, path, status);
        if (strcmp(status, "204") == 0)
          continue;
        json_t *content = json_object_get(r, "content");
        ck_assert_msg(json_object_size(content) > 0, "%s %s %s: no content", method, path, status);
        int error = status[0] == '4' || status[0] == '5' || strcmp(status, "default") == 0;
        json_object_foreach(content, media, type) {
          ck_assert_msg(json_object_get(type, "schema") != NULL, "%s %s %s %s: no schema", method,
                        path, status, media);
          ck_assert_msg(!error || strcmp(media, "application/problem+json") == 0,
                        "%s %s %s: an error as %s, not application/problem+json", method, path,
                        status, media);
        }
      }
    }
  }
  json_decref(ids);
  json_decref(doc);
}
END_TEST

int main(void) {
  Suite *s = suite_create("openapi");
  TCase *tc = tcase_create("openapi");
  tcase_add_test(tc, every_route_is_documented_with_its_roles);
  tcase_add_test(tc, every_documented_operation_is_a_route);
  tcase_add_test(tc, every_operation_is_named_and_every_response_has_a_schema);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
