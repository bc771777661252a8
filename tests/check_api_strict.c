/*
 * Strict input over HTTP against the real server, for every route at once:
 * each route refuses a query parameter it does not know, and repeats of one
 * it does, with a 400 naming the parameter, before its handler runs; the
 * parameters a route accepts are exactly those its OpenAPI operation
 * documents.  Then the validation failures the per-resource suites leave
 * out (item 9): a GET answering 200 for a real object turns 400 with an
 * unknown parameter or a body; measuring course outcomes and logging out
 * refuse a body and change nothing; an employer's report cannot be grouped
 * by kelurahan.
 */
#include "auth.h"
#include "http.h"
#include "testutil.h"
#include "tu_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROUTES 128

static struct tu_server srv;
static char *admin, *officer, *employer, *desk;

static void setup(void) {
  tu_server_start(&srv, 500, 11);
  admin = tu_login(&srv, "admin");
  officer = tu_login(&srv, "officer");
  employer = tu_login(&srv, "employer");
  desk = tu_login(&srv, "desk");
}

static void teardown(void) {
  free(admin);
  free(officer);
  free(employer);
  free(desk);
  tu_server_stop(&srv);
}

/* A token of a role the route admits (admin first), or NULL for a public
 * route. */
static const char *token_for(const struct api_route *rt) {
  if (rt->roles == API_PUBLIC)
    return NULL;
  if (rt->roles & AUTH_ADMIN)
    return admin;
  if (rt->roles & AUTH_OFFICER)
    return officer;
  if (rt->roles & AUTH_DESK)
    return desk;
  return employer;
}

/* pattern with every {..} segment replaced by 1, then query. */
static void concrete(const char *pattern, const char *query, char *out, size_t size) {
  size_t used = 0;
  for (const char *p = pattern; *p != '\0' && used + 2 < size;) {
    if (*p == '{') {
      out[used++] = '1';
      p = strchr(p, '}') + 1;
    } else {
      out[used++] = *p++;
    }
  }
  out[used] = '\0';
  snprintf(out + used, size - used, "%s", query);
}

START_TEST(every_route_refuses_unknown_and_repeated_parameters) {
  const struct api_route *routes[MAX_ROUTES];
  size_t n = api_routes_list(routes, MAX_ROUTES);
  ck_assert_uint_le(n, MAX_ROUTES);
  ck_assert_uint_gt(n, 40);
  char path[256];
  for (size_t i = 0; i < n; i++) {
    const struct api_route *rt = routes[i];
    concrete(rt->pattern, "?bogus=1", path, sizeof path);
    tu_expect_only_field_error(&srv, rt->method, path, token_for(rt), NULL, "bogus",
                               "unknown_parameter");
    /* a parameter the route does accept, given twice */
    if (rt->query != NULL && rt->query[0] != NULL) {
      char q[128];
      snprintf(q, sizeof q, "?%s=1&%s=1", rt->query[0], rt->query[0]);
      concrete(rt->pattern, q, path, sizeof path);
      tu_expect_only_field_error(&srv, rt->method, path, token_for(rt), NULL, rt->query[0],
                                 "repeated_parameter");
    }
  }
}
END_TEST

/* The query parameters of doc's operation method (lower case) on path,
 * $refs resolved, as a new array of names. */
static json_t *documented_query(json_t *doc, const char *path, const char *method) {
  json_t *names = json_array();
  json_t *op = json_object_get(json_object_get(json_object_get(doc, "paths"), path), method);
  ck_assert_msg(op != NULL, "%s %s not documented", method, path);
  size_t i;
  json_t *p;
  json_array_foreach(json_object_get(op, "parameters"), i, p) {
    const char *ref = json_string_value(json_object_get(p, "$ref"));
    if (ref != NULL) {
      const char *prefix = "#/components/parameters/";
      ck_assert_msg(strncmp(ref, prefix, strlen(prefix)) == 0, "%s", ref);
      p = json_object_get(json_object_get(json_object_get(doc, "components"), "parameters"),
                          ref + strlen(prefix));
      ck_assert_msg(p != NULL, "unresolved %s", ref);
    }
    if (strcmp(json_string_value(json_object_get(p, "in")), "query") == 0)
      json_array_append_new(names, json_string(json_string_value(json_object_get(p, "name"))));
  }
  return names;
}

START_TEST(accepted_parameters_are_the_documented_ones) {
  const struct api_route *routes[MAX_ROUTES];
  size_t n = api_routes_list(routes, MAX_ROUTES);
  json_t *doc = api_openapi_document();
  ck_assert_ptr_nonnull(doc);
  for (size_t i = 0; i < n; i++) {
    const struct api_route *rt = routes[i];
    char method[16];
    size_t k = 0;
    for (; rt->method[k] != '\0' && k + 1 < sizeof method; k++)
      method[k] = (char)(rt->method[k] - 'A' + 'a');
    method[k] = '\0';
    json_t *doc_names = documented_query(doc, rt->pattern, method);
    size_t n_route = 0;
    for (; rt->query != NULL && rt->query[n_route] != NULL; n_route++) {
      int found = 0;
      size_t j;
      json_t *name;
      json_array_foreach(doc_names, j, name) found |=
          strcmp(json_string_value(name), rt->query[n_route]) == 0;
      ck_assert_msg(found, "%s %s accepts %s, undocumented", rt->method, rt->pattern,
                    rt->query[n_route]);
    }
    ck_assert_msg(json_array_size(doc_names) == n_route, "%s %s documents %zu, accepts %zu",
                  rt->method, rt->pattern, json_array_size(doc_names), n_route);
    json_decref(doc_names);
  }
  json_decref(doc);
}
END_TEST

/* ---- Item 9's gaps, one by one --------------------------------------------------- */

static int64_t id_of(json_t *j) {
  json_t *id = json_object_get(j, "id");
  ck_assert_msg(json_is_integer(id), "no id");
  return (int64_t)json_integer_value(id);
}

/* The id of a list's first item. */
static int64_t first_id(const char *list_path) {
  json_t *j = tu_call(&srv, "GET", list_path, officer, NULL, 200);
  json_t *items = json_object_get(j, "items");
  ck_assert_msg(json_array_size(items) > 0, "%s is empty", list_path);
  int64_t id = id_of(json_array_get(items, 0));
  json_decref(j);
  return id;
}

/* path answers 200 as it is, and 400 naming the field with an unknown
 * parameter or with a body. */
static void check_get(const char *path, const char *token) {
  char with[300];
  json_decref(tu_call(&srv, "GET", path, token, NULL, 200));
  snprintf(with, sizeof with, "%s%cnope=1", path, strchr(path, '?') != NULL ? '&' : '?');
  tu_expect_only_field_error(&srv, "GET", with, token, NULL, "nope", "unknown_parameter");
  tu_expect_only_field_error(&srv, "GET", path, token, "{\"nope\": 1}", "nope", NULL);
}

START_TEST(gets_refuse_unknown_parameters_and_bodies) {
  char path[128];
  /* objects of every kind, some made here: the seed has no enrolment,
   * match run or referral */
  int64_t resident = first_id("/v1/residents?limit=1");
  int64_t emp = first_id("/v1/employers?limit=1");
  int64_t vacancy = first_id("/v1/vacancies?limit=1");
  json_t *c = tu_call(&srv, "POST", "/v1/courses", officer,
                      "{\"name\":\"Kursus Ketat\",\"vocation\":\"logistics\",\"hours\":160,"
                      "\"batch_capacity\":3,\"schedule\":\"Senin-Jumat 08.00-15.00\","
                      "\"skills\":[\"LOG-001\"]}",
                      201);
  int64_t course = id_of(c);
  json_decref(c);
  snprintf(path, sizeof path, "/v1/courses/%lld/batches", (long long)course);
  json_t *b =
      tu_call(&srv, "POST", path, officer,
              "{\"start_date\":\"2031-03-04\",\"end_date\":\"2031-04-26\",\"capacity\":3}", 201);
  int64_t batch = id_of(b);
  json_decref(b);
  char body[64];
  snprintf(body, sizeof body, "{\"resident_id\":%lld}", (long long)resident);
  snprintf(path, sizeof path, "/v1/batches/%lld/enrolments", (long long)batch);
  json_t *e = tu_call(&srv, "POST", path, officer, body, 201);
  int64_t enrolment = id_of(e);
  json_decref(e);
  json_t *m = tu_call(&srv, "POST", "/v1/match-runs", officer, "{}", 201);
  int64_t run = id_of(m);
  json_decref(m);
  int64_t referral = first_id("/v1/referrals?limit=1");

  static const char *const per_resident[] = {"access-record", "history", "export"};
  for (size_t i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "/v1/residents/%lld/%s", (long long)resident, per_resident[i]);
    check_get(path, officer);
  }
  struct {
    const char *fmt;
    int64_t id;
  } objects[] = {
      {"/v1/match-runs/%lld", run},       {"/v1/referrals/%lld", referral},
      {"/v1/employers/%lld", emp},        {"/v1/vacancies/%lld", vacancy},
      {"/v1/courses/%lld", course},       {"/v1/batches/%lld", batch},
      {"/v1/enrolments/%lld", enrolment},
  };
  for (size_t i = 0; i < sizeof objects / sizeof objects[0]; i++) {
    snprintf(path, sizeof path, objects[i].fmt, (long long)objects[i].id);
    check_get(path, officer);
  }
  check_get("/v1/reports/course-outcomes", officer);
  check_get("/v1/reports/skills-gap", officer);
  check_get("/v1/reports/targeting", officer);
  check_get("/v1/me", officer);
  check_get("/v1/kelurahan", desk);
  /* the employer's own record, through its own token */
  json_t *me = tu_call(&srv, "GET", "/v1/me", employer, NULL, 200);
  int64_t own =
      (int64_t)json_integer_value(json_object_get(json_object_get(me, "scope"), "employer_id"));
  json_decref(me);
  ck_assert_int_gt(own, 0);
  snprintf(path, sizeof path, "/v1/employers/%lld", (long long)own);
  check_get(path, employer);
}
END_TEST

START_TEST(measure_and_logout_refuse_a_body_and_change_nothing) {
  tu_expect_only_field_error(&srv, "POST", "/v1/reports/course-outcomes/measure", officer,
                             "{\"dry_run\": true}", "dry_run", NULL);

  char *token = tu_login(&srv, "officer");
  tu_expect_only_field_error(&srv, "POST", "/v1/auth/logout", token, "{\"reason\": \"done\"}",
                             "reason", NULL);
  /* the refused logout left the token alive; a bare one ends it */
  json_decref(tu_call(&srv, "GET", "/v1/me", token, NULL, 200));
  struct tu_resp r;
  tu_text_request(&srv, "POST", "/v1/auth/logout", token, NULL, &r);
  ck_assert_msg(r.status == 204 || r.status == 200, "%d %s", r.status, r.body);
  tu_resp_free(&r);
  json_decref(tu_call_problem(&srv, "GET", "/v1/me", token, NULL, 401, "unauthenticated"));
  free(token);
}
END_TEST

START_TEST(employers_get_no_report_by_kelurahan) {
  json_t *j = tu_call_problem(&srv, "GET", "/v1/reports/funnel?by=kelurahan", employer, NULL, 403,
                              "forbidden");
  ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(j, "detail")), "kelurahan"));
  json_decref(j);
  /* the default is kecamatan for an employer, kelurahan for staff */
  json_t *own = tu_call(&srv, "GET", "/v1/reports/funnel", employer, NULL, 200);
  ck_assert_str_eq(json_string_value(json_object_get(own, "by")), "kecamatan");
  json_decref(own);
  json_t *city = tu_call(&srv, "GET", "/v1/reports/funnel", officer, NULL, 200);
  ck_assert_str_eq(json_string_value(json_object_get(city, "by")), "kelurahan");
  json_decref(city);
  json_decref(tu_call(&srv, "GET", "/v1/reports/funnel?by=kecamatan", employer, NULL, 200));
  json_decref(tu_call(&srv, "GET", "/v1/reports/funnel?by=kelurahan", desk, NULL, 200));
}
END_TEST

int main(void) {
  Suite *s = suite_create("api_strict");
  TCase *tc = tcase_create("api_strict");
  tcase_set_timeout(tc, 240);
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_add_test(tc, every_route_refuses_unknown_and_repeated_parameters);
  tcase_add_test(tc, accepted_parameters_are_the_documented_ones);
  tcase_add_test(tc, gets_refuse_unknown_parameters_and_bodies);
  tcase_add_test(tc, measure_and_logout_refuse_a_body_and_change_nothing);
  tcase_add_test(tc, employers_get_no_report_by_kelurahan);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
