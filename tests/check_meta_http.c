/*
 * Over HTTP against the real server: the officer upload endpoints for DTSEN
 * extracts and interventions (all or nothing, dry run, roles, media type),
 * GET /metrics in Prometheus text and GET /v1/openapi.json.
 */
#include "testutil.h"
#include "tu_http.h"

#include "dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct tu_server srv;
static char *officer, *desk, *employer;
static char *sample;
static size_t sample_len;

/* The server holds residents 1–300 of generator seed 1; the shipped sample
 * is residents 1–1000 of the same seed, so 700 are new and 300 unchanged. */
#define SEEDED 300

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  ck_assert_msg(f != NULL, "cannot read %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  ck_assert_ptr_nonnull(buf);
  ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = '\0';
  fclose(f);
  *len = (size_t)n;
  return buf;
}

static void setup(void) {
  tu_server_start(&srv, SEEDED, 1);
  officer = tu_login(&srv, "officer");
  desk = tu_login(&srv, "desk");
  employer = tu_login(&srv, "employer");
  sample = read_file(PADAN_SOURCE_DIR "/seeds/dtsen-sample.csv", &sample_len);
}

static void teardown(void) {
  tu_server_stop(&srv);
  free(officer);
  free(desk);
  free(employer);
  free(sample);
}

/* Total residents over the 104 kelurahan, as an officer sees them. */
static long long resident_total(void) {
  struct tu_resp r;
  tu_request(&srv, "GET", "/v1/kelurahan", officer, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  json_t *j = tu_json(&r);
  long long total = 0;
  size_t i;
  json_t *k;
  json_array_foreach(json_object_get(j, "items"), i, k) total +=
      json_integer_value(json_object_get(json_object_get(k, "counts"), "residents"));
  json_decref(j);
  tu_resp_free(&r);
  return total;
}

static json_t *upload(const char *path, const char *token, const char *ctype, const char *body,
                      size_t len, int status) {
  struct tu_resp r;
  tu_request(&srv, "POST", path, token, ctype, body, len, &r);
  ck_assert_msg(r.status == status, "POST %s: %d, expected %d: %s", path, r.status, status, r.body);
  json_t *j = r.status == 204 ? NULL : tu_json(&r);
  tu_resp_free(&r);
  return j;
}

static long long count(json_t *report, const char *key) {
  json_t *v = json_object_get(report, key);
  if (v == NULL)
    v = json_object_get(json_object_get(report, "counts"), key);
  ck_assert_msg(json_is_integer(v), "report has no integer %s", key);
  return json_integer_value(v);
}

START_TEST(dtsen_upload_is_all_or_nothing) {
  ck_assert_int_eq(resident_total(), SEEDED);
  /* dry run: counted, not written */
  json_t *rep =
      upload("/v1/imports/dtsen?dry_run=true", officer, "text/csv", sample, sample_len, 200);
  ck_assert_int_eq(count(rep, "new"), 1000 - SEEDED);
  ck_assert_int_eq(count(rep, "unchanged"), SEEDED);
  json_decref(rep);
  ck_assert_int_eq(resident_total(), SEEDED);

  /* one bad NIK and one bad desil: refused, both named, nothing written */
  char *bad = malloc(sample_len + 16); /* room for the longer desil */
  ck_assert_ptr_nonnull(bad);
  memcpy(bad, sample, sample_len + 1);
  char *row3 = bad;
  for (int i = 0; i < 3; i++)
    row3 = strchr(row3, '\n') + 1;
  row3[0] = 'X'; /* the NIK of data row 3 */
  char *row5 = row3;
  for (int i = 0; i < 2; i++)
    row5 = strchr(row5, '\n') + 1;
  /* desil is the 12th column: replace it with 11 */
  char *p = row5;
  for (int i = 0; i < 11; i++) {
    if (*p == '"')
      p = strchr(p + 1, '"') + 1;
    p = strchr(p, ',') + 1;
  }
  ck_assert(p[0] >= '1' && p[0] <= '9');
  char *end = strchr(p, ',');
  memmove(p + 2, end, strlen(end) + 1);
  p[0] = '1';
  p[1] = '1';
  rep = upload("/v1/imports/dtsen", officer, "text/csv", bad, strlen(bad), 422);
  ck_assert_str_eq(json_string_value(json_object_get(rep, "code")), "unprocessable");
  ck_assert(json_is_array(json_object_get(json_object_get(rep, "report"), "issues")));
  char *text = json_dumps(rep, JSON_COMPACT);
  ck_assert_msg(strstr(text, "\"nik\"") != NULL, "names the nik column: %s", text);
  ck_assert_msg(strstr(text, "\"desil\"") != NULL, "names the desil column: %s", text);
  free(text);
  json_decref(rep);
  free(bad);
  ck_assert_int_eq(resident_total(), SEEDED);

  /* the real thing, then again: the second changes nothing */
  rep = upload("/v1/imports/dtsen", officer, "text/csv", sample, sample_len, 200);
  ck_assert_int_eq(count(rep, "new"), 1000 - SEEDED);
  json_decref(rep);
  ck_assert_int_eq(resident_total(), 1000);
  rep = upload("/v1/imports/dtsen", officer, "text/csv", sample, sample_len, 200);
  ck_assert_int_eq(count(rep, "unchanged"), 1000);
  json_decref(rep);
}
END_TEST

START_TEST(uploads_refuse_wrong_roles_and_types) {
  struct tu_resp r;
  tu_request(&srv, "POST", "/v1/imports/dtsen", desk, "text/csv", sample, sample_len, &r);
  tu_expect_problem(&r, 403, "forbidden");
  tu_resp_free(&r);
  tu_request(&srv, "POST", "/v1/imports/dtsen", employer, "text/csv", sample, sample_len, &r);
  tu_expect_problem(&r, 403, "forbidden");
  tu_resp_free(&r);
  tu_request(&srv, "POST", "/v1/imports/interventions", NULL, "text/csv", "x", 1, &r);
  tu_expect_problem(&r, 401, "unauthenticated");
  tu_resp_free(&r);
  tu_request(&srv, "POST", "/v1/imports/dtsen", officer, "application/json", "{}", 2, &r);
  tu_expect_problem(&r, 415, "unsupported-media-type");
  tu_resp_free(&r);
  tu_request(&srv, "POST", "/v1/imports/dtsen?dry_run=maybe", officer, "text/csv", sample,
             sample_len, &r);
  ck_assert_int_eq(r.status, 400);
  ck_assert_ptr_nonnull(strstr(r.body, "dry_run"));
  tu_resp_free(&r);
  ck_assert_int_eq(resident_total(), SEEDED);
}
END_TEST

START_TEST(interventions_upload_records_once) {
  /* the first seeded resident's NIK is the sample's first row */
  char nik[17];
  const char *row1 = strchr(sample, '\n') + 1;
  memcpy(nik, row1, 16);
  nik[16] = '\0';
  char csv[512];
  snprintf(csv, sizeof csv,
           "nik,kind,office,start_date,end_date,status,source_ref\n"
           "%s,business_capital,Dinkop UKM,2026-03-01,,active,KUR-2026-0001\n",
           nik);
  json_t *rep = upload("/v1/imports/interventions", officer, "text/csv", csv, strlen(csv), 200);
  ck_assert_int_eq(count(rep, "new"), 1);
  json_decref(rep);
  rep = upload("/v1/imports/interventions", officer, "text/csv", csv, strlen(csv), 200);
  ck_assert_int_eq(count(rep, "new"), 0);
  ck_assert_int_eq(count(rep, "unchanged"), 1);
  json_decref(rep);
  snprintf(csv, sizeof csv,
           "nik,kind,office,start_date,end_date,status,source_ref\n"
           "%s,spaceflight,Dinkop UKM,2026-03-01,,active,X\n",
           nik);
  rep = upload("/v1/imports/interventions", officer, "text/csv", csv, strlen(csv), 422);
  char *text = json_dumps(rep, JSON_COMPACT);
  ck_assert_msg(strstr(text, "\"kind\"") != NULL, "names the kind column: %s", text);
  free(text);
  json_decref(rep);
}
END_TEST

/* The value of a metric line that starts with prefix, or -1. */
static double metric(const char *text, const char *prefix) {
  for (const char *line = text; line && *line;
       line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
    if (strncmp(line, prefix, strlen(prefix)) == 0)
      return strtod(line + strlen(prefix), NULL);
  }
  return -1;
}

START_TEST(metrics_count_requests_and_imports) {
  struct tu_resp r;
  for (int i = 0; i < 3; i++) {
    tu_request(&srv, "GET", "/v1/me", officer, NULL, NULL, 0, &r);
    tu_resp_free(&r);
  }
  tu_request(&srv, "GET", "/v1/me", NULL, NULL, NULL, 0, &r);
  tu_resp_free(&r);
  json_t *rep =
      upload("/v1/imports/dtsen?dry_run=true", officer, "text/csv", sample, sample_len, 200);
  json_decref(rep);

  tu_request(&srv, "GET", "/metrics", NULL, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  char ct[128];
  ck_assert(tu_header(&r, "Content-Type", ct, sizeof ct));
  ck_assert_ptr_nonnull(strstr(ct, "text/plain"));
  ck_assert(metric(r.body, "padan_http_requests_total{method=\"GET\",route=\"/v1/me\","
                           "status=\"200\"} ") >= 3);
  ck_assert(metric(r.body, "padan_http_requests_total{method=\"GET\",route=\"/v1/me\","
                           "status=\"401\"} ") >= 1);
  ck_assert(metric(r.body, "padan_http_request_duration_seconds_count{method=\"GET\","
                           "route=\"/v1/me\"} ") >= 4);
  ck_assert(metric(r.body, "padan_imports_total{kind=\"dtsen\",result=\"committed\"} ") == 0);
  /* the dry run is counted as one, not as a rejected import, and its rows not at all */
  ck_assert(metric(r.body, "padan_imports_total{kind=\"dtsen\",result=\"dry_run\"} ") >= 1);
  ck_assert(metric(r.body, "padan_imports_total{kind=\"dtsen\",result=\"rejected\"} ") == 0);
  ck_assert(metric(r.body, "padan_import_rows_total{kind=\"dtsen\",outcome=\"new\"} ") == 0);
  ck_assert(metric(r.body, "padan_database_size_bytes ") > 0);
  ck_assert_ptr_nonnull(strstr(r.body, "# TYPE padan_match_run_duration_seconds histogram"));
  double runs = metric(r.body, "padan_match_run_duration_seconds_count ");
  tu_resp_free(&r);

  /* a match run served by the API is counted once */
  tu_request(&srv, "POST", "/v1/match-runs", officer, "application/json", "{}", 2, &r);
  ck_assert_int_eq(r.status, 201);
  tu_resp_free(&r);
  tu_request(&srv, "GET", "/metrics", NULL, NULL, NULL, 0, &r);
  ck_assert(metric(r.body, "padan_match_run_duration_seconds_count ") == runs + 1);
  tu_resp_free(&r);
}
END_TEST

/* as_of is the day in Kota Tangerang (WIB), not the UTC day: between 17:00
 * and 24:00 UTC the two differ, and the reports date by WIB. */
START_TEST(kelurahan_as_of_is_the_wib_day) {
  char before[11], after[11];
  struct tu_resp r;
  date_wib_iso(time(NULL), before);
  tu_request(&srv, "GET", "/v1/kelurahan", officer, NULL, NULL, 0, &r);
  date_wib_iso(time(NULL), after);
  ck_assert_int_eq(r.status, 200);
  json_t *j = tu_json(&r);
  const char *as_of = json_string_value(json_object_get(j, "as_of"));
  ck_assert_ptr_nonnull(as_of);
  ck_assert_msg(strcmp(as_of, before) == 0 || strcmp(as_of, after) == 0, "as_of %s, WIB day %s",
                as_of, before);
  json_decref(j);
  tu_resp_free(&r);
}
END_TEST

START_TEST(openapi_document_is_served) {
  struct tu_resp r;
  tu_request(&srv, "GET", "/v1/openapi.json", NULL, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  json_t *j = tu_json(&r);
  ck_assert_str_eq(json_string_value(json_object_get(j, "openapi")), "3.0.3");
  ck_assert_ptr_nonnull(json_object_get(json_object_get(j, "paths"), "/v1/imports/dtsen"));
  json_decref(j);
  tu_resp_free(&r);
}
END_TEST

int main(void) {
  Suite *s = suite_create("meta_http");
  TCase *tc = tcase_create("meta_http");
  tcase_set_timeout(tc, 240);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, dtsen_upload_is_all_or_nothing);
  tcase_add_test(tc, uploads_refuse_wrong_roles_and_types);
  tcase_add_test(tc, interventions_upload_records_once);
  tcase_add_test(tc, metrics_count_requests_and_imports);
  tcase_add_test(tc, openapi_document_is_served);
  tcase_add_test(tc, kelurahan_as_of_is_the_wib_day);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
