/*
 * A busy store over HTTP: while another process holds the database's
 * write lock (sqlite3 on the same file, BEGIN IMMEDIATE), a write route
 * waits the store's busy timeout and then answers 503 with Retry-After
 * (problem code "unavailable"), and nothing it would have written is
 * there once the lock is gone.  The same calls succeed without the lock,
 * so the 503 is the lock's doing.  Each locked call waits the busy timeout
 * (5 s), so this file makes few of them.
 */
#include "testutil.h"
#include "tu_http.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct tu_server srv;
static char *officer;

static void setup(void) {
  tu_server_start(&srv, 200, 5);
  officer = tu_login(&srv, "officer");
}

static void teardown(void) {
  free(officer);
  tu_server_stop(&srv);
}

/* A second connection to the server's database, as another process's. */
static sqlite3 *db_open(void) {
  char path[600];
  sqlite3 *db = NULL;
  snprintf(path, sizeof path, "%s/padan.db", srv.dir);
  ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);
  return db;
}

static int64_t count_where(sqlite3 *db, const char *sql, const char *arg) {
  sqlite3_stmt *q = NULL;
  ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
  sqlite3_bind_text(q, 1, arg, -1, SQLITE_STATIC);
  ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
  int64_t n = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return n;
}

/* Asserts the 503 a busy store gets: problem+json "unavailable" with a
 * Retry-After of whole seconds. */
static void expect_busy(const struct tu_resp *r) {
  char retry[32];
  tu_expect_problem(r, 503, "unavailable");
  ck_assert_msg(tu_header(r, "Retry-After", retry, sizeof retry), "no Retry-After: %s", r->head);
  ck_assert_int_gt(strtol(retry, NULL, 10), 0);
}

START_TEST(create_while_locked_is_503_and_writes_nothing) {
  sqlite3 *lock = db_open();
  struct tu_resp r;
  ck_assert_int_eq(sqlite3_exec(lock, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
  tu_json_request(&srv, "POST", "/v1/employers", officer,
                  json_pack("{s:s, s:s, s:s}", "name", "PT Uji Sibuk", "sector", "office",
                            "kelurahan", "36.71.10.1001"),
                  &r);
  expect_busy(&r);
  tu_resp_free(&r);
  ck_assert_int_eq(sqlite3_exec(lock, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
  ck_assert_int_eq(
      count_where(lock, "SELECT count(*) FROM employers WHERE name = ?", "PT Uji Sibuk"), 0);

  /* without the lock the same call writes the employer */
  tu_json_request(&srv, "POST", "/v1/employers", officer,
                  json_pack("{s:s, s:s, s:s}", "name", "PT Uji Sibuk", "sector", "office",
                            "kelurahan", "36.71.10.1001"),
                  &r);
  ck_assert_msg(r.status == 201, "%d %s", r.status, r.body);
  tu_resp_free(&r);
  ck_assert_int_eq(
      count_where(lock, "SELECT count(*) FROM employers WHERE name = ?", "PT Uji Sibuk"), 1);
  sqlite3_close(lock);
}
END_TEST

START_TEST(update_while_locked_is_503_and_changes_nothing) {
  sqlite3 *lock = db_open();
  struct tu_resp r;
  /* the read-merge-write of a patch opens its transaction first */
  ck_assert_int_eq(sqlite3_exec(lock, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
  tu_json_request(&srv, "PATCH", "/v1/employers/1", officer,
                  json_pack("{s:s}", "name", "PT Uji Terkunci"), &r);
  expect_busy(&r);
  tu_resp_free(&r);
  ck_assert_int_eq(sqlite3_exec(lock, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
  ck_assert_int_eq(
      count_where(lock, "SELECT count(*) FROM employers WHERE name = ?", "PT Uji Terkunci"), 0);

  tu_json_request(&srv, "PATCH", "/v1/employers/1", officer,
                  json_pack("{s:s}", "name", "PT Uji Terkunci"), &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  tu_resp_free(&r);
  ck_assert_int_eq(
      count_where(lock, "SELECT count(*) FROM employers WHERE name = ?", "PT Uji Terkunci"), 1);
  sqlite3_close(lock);
}
END_TEST

START_TEST(course_while_locked_is_503_and_writes_nothing) {
  static const char body[] = "{\"name\":\"Kursus Sibuk\",\"vocation\":\"logistics\","
                             "\"hours\":160,\"batch_capacity\":3,\"skills\":[\"LOG-001\"]}";
  sqlite3 *lock = db_open();
  struct tu_resp r;
  ck_assert_int_eq(sqlite3_exec(lock, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
  tu_request(&srv, "POST", "/v1/courses", officer, "application/json", body, strlen(body), &r);
  expect_busy(&r);
  tu_resp_free(&r);
  ck_assert_int_eq(sqlite3_exec(lock, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
  ck_assert_int_eq(count_where(lock, "SELECT count(*) FROM courses WHERE name = ?", "Kursus Sibuk"),
                   0);

  json_decref(tu_call(&srv, "POST", "/v1/courses", officer, body, 201));
  ck_assert_int_eq(count_where(lock, "SELECT count(*) FROM courses WHERE name = ?", "Kursus Sibuk"),
                   1);
  sqlite3_close(lock);
}
END_TEST

int main(void) {
  Suite *s = suite_create("api_busy");
  TCase *tc = tcase_create("busy");
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, create_while_locked_is_503_and_writes_nothing);
  tcase_add_test(tc, update_while_locked_is_503_and_changes_nothing);
  tcase_add_test(tc, course_while_locked_is_503_and_writes_nothing);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
