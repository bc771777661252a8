/*
 * The reports over HTTP against the real server: JSON and CSV, the
 * caller's scope applied (a desk's funnel holds only its kelurahan), the
 * targeting report refused to employers, bad parameters named, and the
 * measurement of course outcomes restricted to officers.  The figures
 * themselves are checked by hand in check_reports.
 */
#include "testutil.h"
#include "tu_http.h"

#include <stdlib.h>
#include <string.h>

static struct tu_server srv;
static char *officer, *desk, *employer;

static void setup(void) {
  tu_server_start(&srv, 1500, 3);
  officer = tu_login(&srv, "officer");
  desk = tu_login(&srv, "desk");
  employer = tu_login(&srv, "employer");
}

static void teardown(void) {
  free(officer);
  free(desk);
  free(employer);
  tu_server_stop(&srv);
}

START_TEST(funnel_as_json_and_csv) {
  json_t *j = tu_call(&srv, "GET", "/v1/reports/funnel?by=kecamatan", officer, NULL, 200);
  ck_assert(json_is_array(json_object_get(j, "rows")));
  ck_assert_ptr_nonnull(json_object_get(j, "total"));
  json_decref(j);

  struct tu_resp r;
  tu_text_request(&srv, "GET", "/v1/reports/skills-gap?format=csv", officer, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  tu_expect_header(&r, "Content-Type", "text/csv; charset=utf-8");
  char cd[160];
  ck_assert(tu_header(&r, "Content-Disposition", cd, sizeof cd));
  ck_assert_ptr_nonnull(strstr(cd, ".csv"));
  /* a header row, then data rows, CRLF line ends */
  ck_assert_ptr_nonnull(strstr(r.body, "\r\n"));
  ck_assert_int_gt(r.body_len, 100);
  tu_resp_free(&r);
}
END_TEST

START_TEST(scope_is_the_callers) {
  /* the desk's skill supply counts only its kelurahan's residents: its
   * report lists no more skills than the city's, with other totals */
  json_t *city = tu_call(&srv, "GET", "/v1/reports/skills-gap", officer, NULL, 200);
  json_t *own = tu_call(&srv, "GET", "/v1/reports/skills-gap", desk, NULL, 200);
  json_t *crows = json_object_get(city, "rows"), *orows = json_object_get(own, "rows");
  ck_assert_uint_ge(json_array_size(crows), json_array_size(orows));
  ck_assert_uint_gt(json_array_size(orows), 0);
  /* summed supply over every skill: the desk's is smaller */
  long long city_supply = 0, own_supply = 0;
  size_t i;
  json_t *row;
  json_array_foreach(crows, i, row) city_supply +=
      json_integer_value(json_object_get(row, "supply"));
  json_array_foreach(orows, i, row) own_supply +=
      json_integer_value(json_object_get(row, "supply"));
  ck_assert_msg(own_supply > 0 && own_supply < city_supply, "desk supply %lld, city %lld",
                own_supply, city_supply);
  json_decref(city);
  json_decref(own);

  json_decref(
      tu_call_problem(&srv, "GET", "/v1/reports/targeting", employer, NULL, 403, "forbidden"));
  json_decref(tu_call(&srv, "GET", "/v1/reports/funnel", employer, NULL, 200));
  json_decref(tu_call(&srv, "GET", "/v1/reports/targeting", officer, NULL, 200));
}
END_TEST

START_TEST(bad_parameters_are_named) {
  tu_expect_field_error(&srv, "GET", "/v1/reports/funnel?by=planet", officer, NULL, "by", NULL);
  json_decref(tu_call_problem(&srv, "GET", "/v1/reports/funnel?from=2026-12-01&to=2026-01-01",
                              officer, NULL, 400, "invalid-input"));
  tu_expect_field_error(&srv, "GET", "/v1/reports/funnel?colour=red", officer, NULL, "colour",
                        "unknown_parameter");
  json_decref(
      tu_call_problem(&srv, "GET", "/v1/reports/funnel", NULL, NULL, 401, "unauthenticated"));
}
END_TEST

START_TEST(measuring_is_for_officers) {
  json_decref(tu_call_problem(&srv, "POST", "/v1/reports/course-outcomes/measure", desk, NULL, 403,
                              "forbidden"));
  json_decref(tu_call(&srv, "POST", "/v1/reports/course-outcomes/measure", officer, NULL, 200));
  /* seeded outcomes are still reported, labelled */
  struct tu_resp r;
  tu_text_request(&srv, "GET", "/v1/reports/course-outcomes", desk, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "seeded"));
  tu_resp_free(&r);
}
END_TEST

int main(void) {
  Suite *s = suite_create("reports_http");
  TCase *tc = tcase_create("reports_http");
  tcase_set_timeout(tc, 240);
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_add_test(tc, funnel_as_json_and_csv);
  tcase_add_test(tc, scope_is_the_callers);
  tcase_add_test(tc, bad_parameters_are_named);
  tcase_add_test(tc, measuring_is_for_officers);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
