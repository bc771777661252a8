/*
 * check_hr_clients.c — employer HR systems as clients (issue 16), against
 * the real server: API keys (shown once, scoped, employer-bound, revoked at
 * once, attributed in the audit log and /metrics).  The webhook tests are
 * in check_webhooks.c.
 */
#include "testutil.h"
#include "tu_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct tu_server srv;
static char *officer, *desk, *employer, *admin;
static int64_t own_employer, own_vacancy, other_employer, other_vacancy;

static void setup(void) {
  tu_server_start(&srv, 300, 5);
  officer = tu_login(&srv, "officer");
  desk = tu_login(&srv, "desk");
  employer = tu_login(&srv, "employer");
  admin = tu_login(&srv, "admin");
  struct tu_resp r;
  tu_request(&srv, "GET", "/v1/me", employer, NULL, NULL, 0, &r);
  json_t *me = tu_json(&r);
  own_employer =
      (int64_t)json_integer_value(json_object_get(json_object_get(me, "scope"), "employer_id"));
  json_decref(me);
  tu_resp_free(&r);
  tu_request(&srv, "GET", "/v1/vacancies?limit=200", officer, NULL, NULL, 0, &r);
  json_t *list = tu_json(&r);
  json_t *items = json_object_get(list, "items");
  for (size_t i = 0; i < json_array_size(items); i++) {
    json_t *v = json_array_get(items, i);
    int64_t id = (int64_t)json_integer_value(json_object_get(v, "id"));
    int64_t emp =
        (int64_t)json_integer_value(json_object_get(json_object_get(v, "employer"), "id"));
    if (emp == own_employer && own_vacancy == 0)
      own_vacancy = id;
    if (emp != own_employer && other_vacancy == 0) {
      other_vacancy = id;
      other_employer = emp;
    }
  }
  json_decref(list);
  tu_resp_free(&r);
  ck_assert_int_gt(own_vacancy, 0);
  ck_assert_int_gt(other_vacancy, 0);
}

static void teardown(void) {
  free(officer);
  free(desk);
  free(employer);
  free(admin);
  tu_server_stop(&srv);
}

/* Creates a key for employer_id as token with scopes (a JSON array text);
 * returns the key (caller frees) and its id. */
static char *new_key(const char *token, int64_t employer_id, const char *scopes, int64_t *id) {
  char path[96];
  snprintf(path, sizeof path, "/v1/employers/%lld/api-keys", (long long)employer_id);
  struct tu_resp r;
  json_error_t e;
  json_t *sc = json_loads(scopes, 0, &e);
  tu_json_request(&srv, "POST", path, token,
                  json_pack("{s:s, s:o}", "name", "hr-system", "scopes", sc), &r);
  ck_assert_msg(r.status == 201, "create key: %d %s", r.status, r.body);
  json_t *j = tu_json(&r);
  const char *text = json_string_value(json_object_get(j, "key"));
  ck_assert_ptr_nonnull(text);
  ck_assert_int_eq(strncmp(text, "pdk_", 4), 0);
  ck_assert_uint_eq(strlen(text), 47);
  char *key = strdup(text);
  *id = (int64_t)json_integer_value(json_object_get(j, "id"));
  json_decref(j);
  tu_resp_free(&r);
  tu_track_employer_token(key);
  return key;
}

static int status_of(const char *method, const char *path, const char *token, json_t *body) {
  struct tu_resp r;
  if (body != NULL || strcmp(method, "GET") != 0)
    tu_json_request(&srv, method, path, token, body, &r);
  else
    tu_request(&srv, method, path, token, NULL, NULL, 0, &r);
  int st = r.status;
  tu_resp_free(&r);
  return st;
}

/* A GET with the key in X-Api-Key instead of Authorization. */
static int x_api_key_status(const char *path, const char *key) {
  int fd = tu_dial(srv.port);
  ck_assert_int_ge(fd, 0);
  char req[512];
  int n =
      snprintf(req, sizeof req,
               "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: %s\r\nConnection: close\r\n\r\n",
               path, key);
  tu_send_all(fd, req, (size_t)n);
  struct tu_resp r;
  ck_assert_int_eq(tu_read_response(fd, 0, &r), 0);
  close(fd);
  int st = r.status;
  tu_resp_free(&r);
  return st;
}

START_TEST(key_is_shown_once_and_works_both_ways) {
  int64_t id;
  char *key = new_key(employer, own_employer, "[\"vacancies:read\"]", &id);
  ck_assert_int_eq(status_of("GET", "/v1/vacancies", key, NULL), 200);
  char path[64];
  snprintf(path, sizeof path, "/v1/vacancies/%lld", (long long)own_vacancy);
  ck_assert_int_eq(x_api_key_status(path, key), 200);
  ck_assert_int_eq(x_api_key_status(path, "pdk_notakeyatallnotakeyatallnotakeyatallnotakey"), 401);

  /* the list shows the key's hint, never the key */
  char lpath[96];
  snprintf(lpath, sizeof lpath, "/v1/employers/%lld/api-keys", (long long)own_employer);
  struct tu_resp r;
  tu_request(&srv, "GET", lpath, employer, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_null(strstr(r.body, key));
  ck_assert_ptr_nonnull(strstr(r.body, key + strlen(key) - 4));
  ck_assert_ptr_nonnull(strstr(r.body, "\"vacancies:read\""));
  tu_resp_free(&r);

  /* every use is in the audit log under the key, and counted in /metrics */
  tu_request(&srv, "GET", "/v1/audit?limit=200", admin, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  char who[32];
  snprintf(who, sizeof who, "apikey:%lld", (long long)id);
  ck_assert_ptr_nonnull(strstr(r.body, who));
  ck_assert_ptr_nonnull(strstr(r.body, "api_key_use"));
  ck_assert_ptr_null(strstr(r.body, key));
  tu_resp_free(&r);
  tu_request(&srv, "GET", "/metrics", NULL, NULL, NULL, 0, &r);
  char line[96];
  snprintf(line, sizeof line, "padan_api_key_requests_total{key_id=\"%lld\",result=\"served\"} 2",
           (long long)id);
  ck_assert_msg(strstr(r.body, line) != NULL, "no %s", line);
  ck_assert_ptr_null(strstr(r.body, key));
  tu_resp_free(&r);
  free(key);
}
END_TEST

START_TEST(scope_and_employer_bound_the_key) {
  int64_t id;
  char *reader = new_key(employer, own_employer, "[\"vacancies:read\"]", &id);
  char own[64], other[64], missing[64];
  snprintf(own, sizeof own, "/v1/vacancies/%lld", (long long)own_vacancy);
  snprintf(other, sizeof other, "/v1/vacancies/%lld", (long long)other_vacancy);
  snprintf(missing, sizeof missing, "/v1/vacancies/%d", 999999999);
  /* outside its scope: 403 */
  ck_assert_int_eq(status_of("PATCH", own, reader, json_pack("{s:i}", "openings", 3)), 403);
  ck_assert_int_eq(
      status_of("PATCH", "/v1/referrals/1", reader, json_pack("{s:s}", "status", "hired")), 403);
  /* routes no key may call: key management, logout, staff routes */
  char kpath[96];
  snprintf(kpath, sizeof kpath, "/v1/employers/%lld/api-keys", (long long)own_employer);
  ck_assert_int_eq(status_of("GET", kpath, reader, NULL), 403);
  ck_assert_int_eq(status_of("POST", "/v1/auth/logout", reader, NULL), 403);
  ck_assert_int_eq(status_of("GET", "/v1/residents", reader, NULL), 403);
  /* another employer's vacancy: 404 byte for byte as a missing one */
  struct tu_resp a, b;
  tu_request(&srv, "GET", other, reader, NULL, NULL, 0, &a);
  tu_request(&srv, "GET", missing, reader, NULL, NULL, 0, &b);
  ck_assert_int_eq(a.status, 404);
  ck_assert_int_eq(b.status, 404);
  ck_assert_uint_eq(a.body_len, b.body_len);
  ck_assert_int_eq(memcmp(a.body, b.body, a.body_len), 0);
  tu_resp_free(&a);
  tu_resp_free(&b);

  /* a writer may change its own vacancy, not another's */
  char *writer = new_key(employer, own_employer, "[\"vacancies:write\"]", &id);
  ck_assert_int_eq(status_of("PATCH", own, writer, json_pack("{s:i}", "openings", 3)), 200);
  tu_json_request(&srv, "PATCH", other, writer, json_pack("{s:i}", "openings", 3), &a);
  tu_json_request(&srv, "PATCH", missing, writer, json_pack("{s:i}", "openings", 3), &b);
  ck_assert_int_eq(a.status, 404);
  ck_assert_int_eq(memcmp(a.body, b.body, a.body_len), 0);
  tu_resp_free(&a);
  tu_resp_free(&b);
  /* but cannot read (no vacancies:read) */
  ck_assert_int_eq(status_of("GET", own, writer, NULL), 403);
  free(reader);
  free(writer);
}
END_TEST

START_TEST(who_may_manage_keys) {
  char own[96], other[96];
  snprintf(own, sizeof own, "/v1/employers/%lld/api-keys", (long long)own_employer);
  snprintf(other, sizeof other, "/v1/employers/%lld/api-keys", (long long)other_employer);
  ck_assert_int_eq(status_of("GET", own, officer, NULL), 403);
  ck_assert_int_eq(status_of("GET", own, desk, NULL), 403);
  ck_assert_int_eq(status_of("GET", own, NULL, NULL), 401);
  /* an employer does not see another employer's keys (404, as missing) */
  struct tu_resp a, b;
  tu_request(&srv, "GET", other, employer, NULL, NULL, 0, &a);
  tu_request(&srv, "GET", "/v1/employers/999999999/api-keys", employer, NULL, NULL, 0, &b);
  ck_assert_int_eq(a.status, 404);
  ck_assert_int_eq(memcmp(a.body, b.body, a.body_len), 0);
  tu_resp_free(&a);
  tu_resp_free(&b);
  /* an admin makes keys for any employer */
  int64_t id;
  char *key = new_key(admin, other_employer, "[\"vacancies:read\"]", &id);
  char kp[64];
  snprintf(kp, sizeof kp, "/v1/api-keys/%lld", (long long)id);
  tu_request(&srv, "GET", kp, employer, NULL, NULL, 0, &a);
  tu_request(&srv, "GET", "/v1/api-keys/999999999", employer, NULL, NULL, 0, &b);
  ck_assert_int_eq(a.status, 404);
  ck_assert_int_eq(memcmp(a.body, b.body, a.body_len), 0);
  tu_resp_free(&a);
  tu_resp_free(&b);
  /* bad input names the field */
  tu_json_request(&srv, "POST", own, employer,
                  json_pack("{s:s, s:[s]}", "name", "x", "scopes", "vacancies:delete"), &a);
  tu_expect_problem(&a, 400, "invalid-input");
  ck_assert_ptr_nonnull(strstr(a.body, "scopes[0]"));
  tu_resp_free(&a);
  tu_json_request(&srv, "POST", own, employer,
                  json_pack("{s:s, s:[s], s:s}", "name", "x", "scopes", "vacancies:read",
                            "expires_at", "2001-01-01T00:00:00Z"),
                  &a);
  tu_expect_problem(&a, 400, "invalid-input");
  ck_assert_ptr_nonnull(strstr(a.body, "expires_at"));
  tu_resp_free(&a);
  free(key);
}
END_TEST

START_TEST(revocation_and_rotation_are_immediate) {
  int64_t id;
  char *key = new_key(employer, own_employer, "[\"vacancies:read\", \"referrals:write\"]", &id);
  ck_assert_int_eq(status_of("GET", "/v1/vacancies", key, NULL), 200);
  char kp[64], rp[80];
  snprintf(kp, sizeof kp, "/v1/api-keys/%lld", (long long)id);
  snprintf(rp, sizeof rp, "/v1/api-keys/%lld/rotate", (long long)id);
  /* rotation: the old key stops, the new one works with the same scopes */
  struct tu_resp r;
  tu_request(&srv, "POST", rp, employer, NULL, NULL, 0, &r);
  ck_assert_msg(r.status == 201, "%d %s", r.status, r.body);
  json_t *j = tu_json(&r);
  char *rotated = strdup(json_string_value(json_object_get(j, "key")));
  int64_t new_id = (int64_t)json_integer_value(json_object_get(j, "id"));
  ck_assert_int_ne(new_id, id);
  ck_assert_int_eq(json_array_size(json_object_get(j, "scopes")), 2);
  json_decref(j);
  tu_resp_free(&r);
  tu_track_employer_token(rotated);
  ck_assert_int_eq(status_of("GET", "/v1/vacancies", key, NULL), 401);
  ck_assert_int_eq(status_of("GET", "/v1/vacancies", rotated, NULL), 200);
  /* revocation: the very next request is refused */
  snprintf(kp, sizeof kp, "/v1/api-keys/%lld", (long long)new_id);
  tu_request(&srv, "DELETE", kp, employer, NULL, NULL, 0, &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  ck_assert_ptr_nonnull(strstr(r.body, "\"revoked\""));
  tu_resp_free(&r);
  tu_request(&srv, "GET", "/v1/vacancies", rotated, NULL, NULL, 0, &r);
  tu_expect_problem(&r, 401, "unauthenticated");
  tu_resp_free(&r);
  ck_assert_int_eq(x_api_key_status("/v1/vacancies", rotated), 401);
  /* revoking twice is a conflict */
  tu_request(&srv, "DELETE", kp, employer, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 409);
  tu_resp_free(&r);
  free(key);
  free(rotated);
}
END_TEST

int main(void) {
  Suite *s = suite_create("hr_clients");
  TCase *tc = tcase_create("api_keys");
  tcase_set_timeout(tc, 240);
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_add_test(tc, key_is_shown_once_and_works_both_ways);
  tcase_add_test(tc, scope_and_employer_bound_the_key);
  tcase_add_test(tc, who_may_manage_keys);
  tcase_add_test(tc, revocation_and_rotation_are_immediate);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
