/*
 * check_api_review.c — an officer's side of a match run over HTTP against
 * the real server (issue 17): the review of a run's proposals with their
 * explanations and filters, bulk decisions (all or nothing, per-item
 * errors), the intervention registry's check on every confirmation and on
 * enrolment, priority pins applied by the running engine, and what a
 * completed or certified course adds to a resident's record.
 *
 * One server, seeded with 2,000 synthetic residents, serves the whole
 * file (an unchecked fixture); the tests run in order, each in its own
 * process with its own SQLite connection, and each builds the cases it
 * needs by hand on the state the ones before it left.  Course steps are
 * written as fixtures with plain SQL, since the run that proposes them is
 * another module's (runs.c).  Expected values are read back from the
 * database by independent SQL, never from the API under test.
 */
#include <check.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tu_http.h"

static struct tu_server srv;
static char *officer, *admin, *desk, *employer;
static sqlite3 *db;
static int64_t run_id;

/* ---- Helpers ----------------------------------------------------------------------- */

/* This process's connection to the server's database (each forked test
 * opens its own: a connection must not cross a fork). */
static sqlite3 *dbh(void) {
  if (db == NULL) {
    char path[600];
    snprintf(path, sizeof path, "%s/padan.db", srv.dir);
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
  }
  return db;
}

static void sql_exec(const char *fmt, ...) {
  char sql[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sql, sizeof sql, fmt, ap);
  va_end(ap);
  char *err = NULL;
  int rc = sqlite3_exec(dbh(), sql, NULL, NULL, &err);
  ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, err ? err : "?");
}

static int64_t sql_int(const char *fmt, ...) {
  char sql[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sql, sizeof sql, fmt, ap);
  va_end(ap);
  sqlite3_stmt *q = NULL;
  ck_assert_msg(sqlite3_prepare_v2(dbh(), sql, -1, &q, NULL) == SQLITE_OK, "%s: %s", sql,
                sqlite3_errmsg(db));
  int64_t v = -1;
  if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
    v = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return v;
}

static void sql_text(char *out, size_t size, const char *fmt, ...) {
  char sql[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sql, sizeof sql, fmt, ap);
  va_end(ap);
  sqlite3_stmt *q = NULL;
  ck_assert(sqlite3_prepare_v2(dbh(), sql, -1, &q, NULL) == SQLITE_OK);
  out[0] = '\0';
  if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) != NULL)
    snprintf(out, size, "%s", (const char *)sqlite3_column_text(q, 0));
  sqlite3_finalize(q);
}

static int64_t jint(const json_t *o, const char *k) {
  return json_integer_value(json_object_get(o, k));
}

static const char *jstr(const json_t *o, const char *k) {
  return json_string_value(json_object_get(o, k));
}

/* Every item of a proposals page walk from path (a query string ending in
 * '?' or with parameters), in order, into one array (caller decrefs). */
static json_t *all_proposals(const char *query) {
  json_t *all = json_array();
  char path[512], cursor[128] = "";
  for (;;) {
    snprintf(path, sizeof path, "/v1/match-runs/%lld/proposals?limit=200%s%s%s%s",
             (long long)run_id, query[0] ? "&" : "", query, cursor[0] ? "&cursor=" : "", cursor);
    json_t *j = tu_call(&srv, "GET", path, officer, NULL, 200);
    json_array_extend(all, json_object_get(j, "items"));
    json_t *next = json_object_get(j, "next_cursor");
    if (!json_is_string(next)) {
      json_decref(j);
      return all;
    }
    snprintf(cursor, sizeof cursor, "%s", json_string_value(next));
    json_decref(j);
  }
}

/* A course step row for resident in batch, proposed by the run. */
static int64_t add_step(int64_t resident, int64_t batch) {
  int64_t course = sql_int("SELECT course_id FROM batches WHERE id = %lld", (long long)batch);
  sql_exec("INSERT INTO course_steps (match_run_id, resident_id, batch_id, status, priority, "
           "rank_key, expected_placement, explanation, created_at, updated_at) VALUES (%lld, "
           "%lld, %lld, 'proposed', 40.0, 0.5, 0.25, '{\"course_id\": %lld, \"course_name\": "
           "\"x\", \"batch_id\": %lld, \"expected_placement\": 0.25, \"unlocked_vacancies\": [1], "
           "\"reason_id\": \"Kursus ini membuka lowongan.\", \"reason_en\": \"This course opens "
           "vacancies.\"}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
           (long long)run_id, (long long)resident, (long long)batch, (long long)course,
           (long long)batch);
  return sql_int("SELECT max(id) FROM course_steps");
}

/* A resident of the seed nobody has referred, enrolled or stepped yet,
 * after resident id after. */
static int64_t fresh_resident(int64_t after) {
  return sql_int("SELECT id FROM residents r WHERE id > %lld AND erased_at IS NULL AND NOT EXISTS "
                 "(SELECT 1 FROM referrals f WHERE f.resident_id = r.id) AND NOT EXISTS (SELECT 1 "
                 "FROM enrolments e WHERE e.resident_id = r.id) AND NOT EXISTS (SELECT 1 FROM "
                 "course_steps c WHERE c.resident_id = r.id) AND NOT EXISTS (SELECT 1 FROM "
                 "interventions i WHERE i.resident_id = r.id) ORDER BY id LIMIT 1",
                 (long long)after);
}

/* An open or planned batch with room for n more, of a course other than
 * not_course (-1: any). */
static int64_t open_batch(int n, int64_t not_course) {
  int64_t b = sql_int("SELECT b.id FROM batches b WHERE b.status <> 'finished' AND b.course_id <> "
                      "%lld AND b.capacity - (SELECT count(*) FROM enrolments e WHERE e.batch_id = "
                      "b.id AND e.status <> 'dropped') >= %d ORDER BY b.id LIMIT 1",
                      (long long)not_course, n);
  if (b > 0)
    return b;
  /* the seed's batches have all finished: plan one of 16 places */
  int64_t course = sql_int("SELECT min(id) FROM courses WHERE id <> %lld", (long long)not_course);
  sql_exec("INSERT INTO batches (course_id, batch_no, start_date, end_date, capacity, status) "
           "VALUES (%lld, (SELECT coalesce(max(batch_no), 0) + 1 FROM batches WHERE course_id = "
           "%lld), date('now', '+30 days'), date('now', '+90 days'), 16, 'planned')",
           (long long)course, (long long)course);
  return sql_int("SELECT max(id) FROM batches");
}

static char *decisions(const char *items) {
  static char body[4096];
  snprintf(body, sizeof body, "{\"decisions\": [%s]}", items);
  return body;
}

/* ---- Fixture ------------------------------------------------------------------------ */

static void setup(void) {
  tu_server_start(&srv, 2000, 11);
  officer = tu_login(&srv, "officer");
  admin = tu_login(&srv, "admin");
  desk = tu_login(&srv, "desk");
  employer = tu_login(&srv, "employer");
  json_t *run = tu_call(&srv, "POST", "/v1/match-runs", officer, "{}", 201);
  run_id = jint(run, "id");
  ck_assert_int_gt(jint(run, "n_proposals"), 20);
  json_decref(run);
}

static void teardown(void) {
  sqlite3_close(db); /* opened when the tests run in this process (CK_FORK=no) */
  db = NULL;
  free(officer);
  free(admin);
  free(desk);
  free(employer);
  tu_server_stop(&srv);
}

/* ---- The review list ------------------------------------------------------------------ */

/* A run's proposals of both kinds as one table f(match_run_id,
 * resident_id), for the expected counts: once the run proposes course steps
 * too (runs.c), they are in the list as well. */
#define PROPOSALS                                                                                  \
  "(SELECT match_run_id, resident_id FROM referrals UNION ALL SELECT match_run_id, resident_id "   \
  "FROM course_steps) f"

START_TEST(review_lists_every_proposal_with_its_explanation) {
  json_t *all = all_proposals("");
  int64_t n =
      sql_int("SELECT count(*) FROM " PROPOSALS " WHERE f.match_run_id = %lld", (long long)run_id);
  ck_assert_int_eq((int64_t)json_array_size(all), n);
  size_t i;
  json_t *it;
  int64_t last = 0;
  json_array_foreach(all, i, it) {
    if (strcmp(jstr(it, "kind"), "course_step") == 0) { /* after every referral */
      last = INT64_MAX;
      ck_assert_ptr_nonnull(jstr(json_object_get(it, "batch"), "course_name"));
      continue;
    }
    ck_assert_str_eq(jstr(it, "kind"), "referral");
    ck_assert_int_gt(jint(it, "id"), last); /* by id, each once */
    last = jint(it, "id");
    json_t *res = json_object_get(it, "resident");
    ck_assert_int_eq(jint(res, "id"),
                     sql_int("SELECT resident_id FROM referrals WHERE id = %lld", (long long)last));
    ck_assert_ptr_nonnull(jstr(json_object_get(it, "vacancy"), "title"));
    ck_assert_ptr_nonnull(jstr(json_object_get(it, "vacancy"), "employer_name"));
    json_t *x = json_object_get(it, "explanation");
    ck_assert_msg(json_array_size(json_object_get(x, "fit_components")) > 0, "no fit parts");
    ck_assert_msg(json_array_size(json_object_get(x, "priority_components")) == 5,
                  "no priority parts");
    ck_assert(json_is_number(json_object_get(it, "fit")));
    ck_assert(json_is_number(json_object_get(it, "key")));
  }
  /* every page named its residents in the audit log */
  ck_assert_int_ge(sql_int("SELECT count(*) FROM audit_log WHERE purpose = 'match_run'"), n);
  json_decref(all);
}
END_TEST

START_TEST(review_filters_agree_with_the_database) {
  char code[32], query[96];
  /* kelurahan and kecamatan of the first proposal's resident */
  int64_t rid = sql_int("SELECT resident_id FROM referrals WHERE match_run_id = %lld ORDER BY id "
                        "LIMIT 1",
                        (long long)run_id);
  sql_text(code, sizeof code,
           "SELECT k.code FROM residents r JOIN kelurahan k ON k.id = r.kelurahan_id WHERE r.id = "
           "%lld",
           (long long)rid);
  snprintf(query, sizeof query, "kelurahan=%s", code);
  json_t *got = all_proposals(query);
  ck_assert_int_gt((int64_t)json_array_size(got), 0);
  ck_assert_int_eq((int64_t)json_array_size(got),
                   sql_int("SELECT count(*) FROM " PROPOSALS " JOIN residents r ON r.id = "
                           "f.resident_id JOIN kelurahan k ON k.id = r.kelurahan_id WHERE "
                           "f.match_run_id = %lld AND k.code = '%s'",
                           (long long)run_id, code));
  size_t i;
  json_t *it;
  json_array_foreach(got, i, it) {
    ck_assert_str_eq(jstr(json_object_get(json_object_get(it, "resident"), "kelurahan"), "code"),
                     code);
  }
  json_decref(got);
  sql_text(code, sizeof code,
           "SELECT c.code FROM residents r JOIN kelurahan k ON k.id = r.kelurahan_id JOIN "
           "kecamatan c ON c.id = k.kecamatan_id WHERE r.id = %lld",
           (long long)rid);
  snprintf(query, sizeof query, "kecamatan=%s", code);
  got = all_proposals(query);
  ck_assert_int_eq((int64_t)json_array_size(got),
                   sql_int("SELECT count(*) FROM " PROPOSALS " JOIN residents r ON r.id = "
                           "f.resident_id JOIN kelurahan k ON k.id = r.kelurahan_id JOIN kecamatan "
                           "c ON c.id = k.kecamatan_id WHERE f.match_run_id = %lld AND c.code = "
                           "'%s'",
                           (long long)run_id, code));
  json_decref(got);

  /* desil bands partition the residents of known desil */
  static const char *const bands[] = {"desil=1", "desil=1-4", "desil=5-10"};
  static const char *const where[] = {"r.desil = 1", "r.desil BETWEEN 1 AND 4",
                                      "r.desil BETWEEN 5 AND 10"};
  for (int b = 0; b < 3; b++) {
    got = all_proposals(bands[b]);
    ck_assert_int_eq((int64_t)json_array_size(got),
                     sql_int("SELECT count(*) FROM " PROPOSALS " JOIN residents r ON r.id = "
                             "f.resident_id WHERE f.match_run_id = %lld AND %s",
                             (long long)run_id, where[b]));
    json_array_foreach(got, i, it) {
      int64_t d = jint(json_object_get(it, "resident"), "desil");
      ck_assert(b == 0 ? d == 1 : b == 1 ? d >= 1 && d <= 4 : d >= 5);
    }
    json_decref(got);
  }

  /* one vacancy */
  int64_t vid = sql_int("SELECT vacancy_id FROM referrals WHERE match_run_id = %lld GROUP BY "
                        "vacancy_id ORDER BY count(*) DESC LIMIT 1",
                        (long long)run_id);
  snprintf(query, sizeof query, "vacancy_id=%lld", (long long)vid);
  got = all_proposals(query);
  ck_assert_int_eq((int64_t)json_array_size(got),
                   sql_int("SELECT count(*) FROM referrals WHERE match_run_id = %lld AND "
                           "vacancy_id = %lld",
                           (long long)run_id, (long long)vid));
  json_array_foreach(got, i, it) {
    ck_assert_int_eq(jint(json_object_get(it, "vacancy"), "id"), vid);
  }
  json_decref(got);

  /* bad filters are named; other roles are refused */
  char path[160];
  snprintf(path, sizeof path, "/v1/match-runs/%lld/proposals?kelurahan=99.99", (long long)run_id);
  tu_expect_only_field_error(&srv, "GET", path, officer, NULL, "kelurahan", NULL);
  snprintf(path, sizeof path, "/v1/match-runs/%lld/proposals?desil=2", (long long)run_id);
  tu_expect_field_error(&srv, "GET", path, officer, NULL, "desil", NULL);
  snprintf(path, sizeof path, "/v1/match-runs/%lld/proposals?kind=job", (long long)run_id);
  tu_expect_field_error(&srv, "GET", path, officer, NULL, "kind", NULL);
  snprintf(path, sizeof path, "/v1/match-runs/%lld/proposals", (long long)run_id);
  json_decref(tu_call_problem(&srv, "GET", path, desk, NULL, 403, "forbidden"));
  json_decref(tu_call_problem(&srv, "GET", path, employer, NULL, 403, "forbidden"));
  json_decref(tu_call_problem(&srv, "GET", "/v1/match-runs/999999/proposals", officer, NULL, 404,
                              "not-found"));
}
END_TEST

START_TEST(review_shows_course_steps_after_referrals) {
  int64_t batch = open_batch(3, -1);
  int64_t r1 = fresh_resident(0);
  int64_t s1 = add_step(r1, batch);
  int64_t r2 = fresh_resident(r1);
  int64_t s2 = add_step(r2, batch);
  int64_t course = sql_int("SELECT course_id FROM batches WHERE id = %lld", (long long)batch);
  json_t *all = all_proposals("");
  size_t n = json_array_size(all), i;
  json_t *it;
  json_t *a = json_array_get(all, n - 2), *b = json_array_get(all, n - 1);
  ck_assert_str_eq(jstr(a, "kind"), "course_step");
  ck_assert_int_eq(jint(a, "id"), s1);
  ck_assert_int_eq(jint(b, "id"), s2);
  json_t *bt = json_object_get(a, "batch");
  ck_assert_int_eq(jint(bt, "id"), batch);
  ck_assert_int_eq(jint(bt, "course_id"), course);
  ck_assert_ptr_nonnull(jstr(bt, "course_name"));
  ck_assert_ptr_null(json_object_get(a, "vacancy"));
  ck_assert_str_eq(jstr(json_object_get(a, "explanation"), "reason_en"),
                   "This course opens vacancies.");
  ck_assert_int_eq(jint(json_object_get(a, "resident"), "id"), r1);
  json_decref(all);
  char q[64];
  snprintf(q, sizeof q, "kind=course_step&course_id=%lld", (long long)course);
  all = all_proposals(q);
  ck_assert_int_eq((int64_t)json_array_size(all),
                   sql_int("SELECT count(*) FROM course_steps c JOIN batches b ON b.id = "
                           "c.batch_id WHERE c.match_run_id = %lld AND b.course_id = %lld",
                           (long long)run_id, (long long)course));
  json_array_foreach(all, i, it) {
    ck_assert_str_eq(jstr(it, "kind"), "course_step");
    ck_assert_int_eq(jint(json_object_get(it, "batch"), "course_id"), course);
  }
  json_decref(all);
  all = all_proposals("kind=referral");
  ck_assert_int_eq(
      (int64_t)json_array_size(all),
      sql_int("SELECT count(*) FROM referrals WHERE match_run_id = %lld", (long long)run_id));
  json_decref(all);
  /* withdraw them again so that later tests start clean */
  char items[200];
  snprintf(items, sizeof items,
           "{\"kind\": \"course_step\", \"id\": %lld, \"action\": \"withdraw\"}, {\"kind\": "
           "\"course_step\", \"id\": %lld, \"action\": \"withdraw\"}",
           (long long)s1, (long long)s2);
  json_decref(tu_call(&srv, "POST", "/v1/proposals/decisions", officer, decisions(items), 200));
  ck_assert_int_eq(sql_int("SELECT count(*) FROM course_steps WHERE status = 'withdrawn' AND id IN "
                           "(%lld, %lld)",
                           (long long)s1, (long long)s2),
                   2);
}
END_TEST

/* ---- Decisions ------------------------------------------------------------------------- */

/* The run's n-th proposed referral (0-based) still proposed. */
static int64_t proposed(int nth) {
  return sql_int("SELECT id FROM referrals WHERE match_run_id = %lld AND status = 'proposed' "
                 "ORDER BY id LIMIT 1 OFFSET %d",
                 (long long)run_id, nth);
}

START_TEST(decisions_apply_all_or_nothing) {
  int64_t a = proposed(0), b = proposed(1), c = proposed(2);
  int64_t batch = open_batch(2, -1);
  int64_t rs = fresh_resident(0);
  int64_t s = add_step(rs, batch);
  int64_t enrolments = sql_int("SELECT count(*) FROM enrolments");
  char items[600];
  snprintf(items, sizeof items,
           "{\"kind\": \"referral\", \"id\": %lld, \"action\": \"confirm\"}, {\"kind\": "
           "\"referral\", \"id\": %lld, \"action\": \"withdraw\"}, {\"kind\": \"course_step\", "
           "\"id\": %lld, \"action\": \"confirm\"}",
           (long long)a, (long long)b, (long long)s);
  json_t *j = tu_call(&srv, "POST", "/v1/proposals/decisions", officer, decisions(items), 200);
  json_t *res = json_object_get(j, "results");
  ck_assert_uint_eq(json_array_size(res), 3);
  ck_assert_str_eq(jstr(json_array_get(res, 0), "status"), "confirmed");
  ck_assert_str_eq(jstr(json_array_get(res, 1), "status"), "withdrawn");
  ck_assert_str_eq(jstr(json_array_get(res, 2), "kind"), "course_step");
  ck_assert_str_eq(jstr(json_array_get(res, 2), "status"), "confirmed");
  json_decref(j);
  char st[16];
  sql_text(st, sizeof st, "SELECT status FROM referrals WHERE id = %lld", (long long)a);
  ck_assert_str_eq(st, "confirmed");
  sql_text(st, sizeof st, "SELECT status FROM referrals WHERE id = %lld", (long long)b);
  ck_assert_str_eq(st, "withdrawn");
  /* the confirmed step is an enrolment of its resident in its batch, linked */
  int64_t e = sql_int("SELECT enrolment_id FROM course_steps WHERE id = %lld", (long long)s);
  ck_assert_int_gt(e, 0);
  ck_assert_int_eq(sql_int("SELECT count(*) FROM enrolments WHERE id = %lld AND resident_id = "
                           "%lld AND batch_id = %lld AND status = 'enrolled'",
                           (long long)e, (long long)rs, (long long)batch),
                   1);
  ck_assert_int_eq(sql_int("SELECT count(*) FROM enrolments"), enrolments + 1);
  /* each referral move has its event by the officer */
  ck_assert_int_eq(sql_int("SELECT count(*) FROM referral_events v JOIN users u ON u.id = "
                           "v.by_user WHERE v.referral_id = %lld AND v.to_status = 'confirmed' AND "
                           "u.username = '%s'",
                           (long long)a, tu_demo(&srv, "officer", "username")),
                   1);

  /* one bad item: nothing changes, the item is named */
  snprintf(items, sizeof items,
           "{\"kind\": \"referral\", \"id\": %lld, \"action\": \"confirm\"}, {\"kind\": "
           "\"referral\", \"id\": %lld, \"action\": \"confirm\"}",
           (long long)c, (long long)b);
  j = tu_call_problem(&srv, "POST", "/v1/proposals/decisions", officer, decisions(items), 409,
                      "conflict");
  ck_assert_str_eq(jstr(j, "code"), "conflict");
  json_t *err = json_object_get(j, "errors");
  ck_assert_uint_eq(json_array_size(err), 1);
  ck_assert_int_eq(jint(json_array_get(err, 0), "index"), 1);
  ck_assert_int_eq(jint(json_array_get(err, 0), "id"), b);
  ck_assert_str_eq(jstr(json_array_get(err, 0), "kind"), "referral");
  ck_assert_str_eq(jstr(json_array_get(err, 0), "code"), "illegal_move");
  ck_assert_ptr_nonnull(jstr(json_array_get(err, 0), "detail"));
  json_decref(j);
  sql_text(st, sizeof st, "SELECT status FROM referrals WHERE id = %lld", (long long)c);
  ck_assert_str_eq(st, "proposed");

  /* a missing item: 404, nothing changes */
  snprintf(items, sizeof items,
           "{\"kind\": \"referral\", \"id\": %lld, \"action\": \"withdraw\"}, {\"kind\": "
           "\"course_step\", \"id\": 4000000, \"action\": \"withdraw\"}",
           (long long)c);
  j = tu_call_problem(&srv, "POST", "/v1/proposals/decisions", officer, decisions(items), 404,
                      "not-found");
  ck_assert_str_eq(jstr(json_array_get(json_object_get(j, "errors"), 0), "code"), "not_found");
  ck_assert_int_eq(jint(json_array_get(json_object_get(j, "errors"), 0), "index"), 1);
  json_decref(j);
  sql_text(st, sizeof st, "SELECT status FROM referrals WHERE id = %lld", (long long)c);
  ck_assert_str_eq(st, "proposed");

  /* invalid items: 422 before anything is read */
  snprintf(items, sizeof items,
           "{\"kind\": \"vacancy\", \"id\": %lld, \"action\": \"confirm\"}, {\"kind\": "
           "\"referral\", \"id\": %lld, \"action\": \"approve\"}, {\"kind\": \"referral\", \"id\": "
           "%lld, \"action\": \"withdraw\"}, {\"kind\": \"referral\", \"id\": %lld, \"action\": "
           "\"confirm\"}",
           (long long)c, (long long)c, (long long)c, (long long)c);
  j = tu_call_problem(&srv, "POST", "/v1/proposals/decisions", officer, decisions(items), 422,
                      "unprocessable");
  err = json_object_get(j, "errors");
  ck_assert_uint_eq(json_array_size(err), 3);
  ck_assert_int_eq(jint(json_array_get(err, 0), "index"), 0);
  ck_assert_int_eq(jint(json_array_get(err, 1), "index"), 1);
  ck_assert_int_eq(jint(json_array_get(err, 2), "index"), 3);
  ck_assert_str_eq(jstr(json_array_get(err, 2), "code"), "duplicate");
  json_decref(j);
  /* the body's shape */
  tu_expect_field_error(&srv, "POST", "/v1/proposals/decisions", officer, "{\"decisions\": []}",
                        "decisions", NULL);
  tu_expect_field_error(&srv, "POST", "/v1/proposals/decisions", officer, "{}", "decisions", NULL);
  json_decref(tu_call_problem(&srv, "POST", "/v1/proposals/decisions", desk, decisions(items), 403,
                              "forbidden"));
  json_decref(tu_call_problem(&srv, "POST", "/v1/proposals/decisions", employer, decisions(items),
                              403, "forbidden"));
  sql_text(st, sizeof st, "SELECT status FROM referrals WHERE id = %lld", (long long)c);
  ck_assert_str_eq(st, "proposed");
}
END_TEST

/* ---- The intervention registry -------------------------------------------------------------- */

START_TEST(confirming_checks_the_registry) {
  char items[300], path[96];
  /* A: a resident with another office's active business-capital programme */
  int64_t a = proposed(0);
  int64_t ra = sql_int("SELECT resident_id FROM referrals WHERE id = %lld", (long long)a);
  sql_exec("INSERT INTO interventions (resident_id, kind, office, start_date, status, created_at) "
           "VALUES (%lld, 'business_capital', 'Dinas Koperasi dan UKM', '2025-01-01', 'active', "
           "'2025-01-01T00:00:00Z')",
           (long long)ra);
  snprintf(path, sizeof path, "/v1/referrals/%lld", (long long)a);
  json_t *j =
      tu_call_problem(&srv, "PATCH", path, officer, "{\"status\": \"confirmed\"}", 409, "conflict");
  ck_assert_ptr_nonnull(strstr(jstr(j, "detail"), "business_capital"));
  ck_assert_ptr_nonnull(strstr(jstr(j, "detail"), "Dinas Koperasi dan UKM"));
  ck_assert_ptr_nonnull(strstr(jstr(j, "detail"), "2025-01-01"));
  ck_assert_ptr_nonnull(strstr(jstr(j, "detail_id"), "business_capital"));
  json_decref(j);
  char st[16];
  sql_text(st, sizeof st, "SELECT status FROM referrals WHERE id = %lld", (long long)a);
  ck_assert_str_eq(st, "proposed");
  /* the same in bulk, naming the item */
  snprintf(items, sizeof items, "{\"kind\": \"referral\", \"id\": %lld, \"action\": \"confirm\"}",
           (long long)a);
  j = tu_call_problem(&srv, "POST", "/v1/proposals/decisions", officer, decisions(items), 409,
                      "conflict");
  json_t *e0 = json_array_get(json_object_get(j, "errors"), 0);
  ck_assert_str_eq(jstr(e0, "code"), "registry_conflict");
  ck_assert_ptr_nonnull(strstr(jstr(e0, "detail"), "Dinas Koperasi dan UKM"));
  json_decref(j);
  /* social aid conflicts with nothing: once the programme ended, it goes */
  sql_exec("UPDATE interventions SET status = 'ended', end_date = '2025-06-30' WHERE resident_id = "
           "%lld AND kind = 'business_capital'",
           (long long)ra);
  sql_exec("INSERT INTO interventions (resident_id, kind, office, start_date, status, created_at) "
           "VALUES (%lld, 'social_aid', 'Dinas Sosial', '2025-01-01', 'active', "
           "'2025-01-01T00:00:00Z')",
           (long long)ra);
  json_decref(tu_call(&srv, "PATCH", path, officer, "{\"status\": \"confirmed\"}", 200));

  /* B: a course step for the resident of A, whose confirmed referral is a
   * live job service: the enrolment is refused, naming the referral */
  int64_t batch = open_batch(1, -1);
  int64_t s = add_step(ra, batch);
  snprintf(items, sizeof items,
           "{\"kind\": \"course_step\", \"id\": %lld, \"action\": \"confirm\"}", (long long)s);
  j = tu_call_problem(&srv, "POST", "/v1/proposals/decisions", officer, decisions(items), 409,
                      "conflict");
  e0 = json_array_get(json_object_get(j, "errors"), 0);
  ck_assert_str_eq(jstr(e0, "code"), "registry_conflict");
  ck_assert_ptr_nonnull(strstr(jstr(e0, "detail"), "job_referral"));
  json_decref(j);
  ck_assert_int_eq(
      sql_int("SELECT count(*) FROM enrolments WHERE resident_id = %lld", (long long)ra), 0);
  /* and enrolling the same resident by hand is refused the same way */
  snprintf(path, sizeof path, "/v1/batches/%lld/enrolments", (long long)batch);
  char body[64];
  snprintf(body, sizeof body, "{\"resident_id\": %lld}", (long long)ra);
  j = tu_call_problem(&srv, "POST", path, officer, body, 409, "conflict");
  ck_assert_ptr_nonnull(strstr(jstr(j, "detail"), "job_referral"));
  json_decref(j);

  /* C: a full batch refuses a course step's confirmation */
  int64_t rc_ = fresh_resident(0);
  int64_t s2 = add_step(rc_, batch);
  int64_t cap = sql_int("SELECT capacity FROM batches WHERE id = %lld", (long long)batch);
  sql_exec("UPDATE batches SET capacity = max(1, (SELECT count(*) FROM enrolments WHERE batch_id "
           "= %lld AND status <> 'dropped')) WHERE id = %lld",
           (long long)batch, (long long)batch);
  if (sql_int("SELECT count(*) FROM enrolments WHERE batch_id = %lld AND status <> 'dropped'",
              (long long)batch) == 0) {
    /* an empty batch: take its one place with someone else */
    int64_t other = fresh_resident(rc_);
    snprintf(body, sizeof body, "{\"resident_id\": %lld}", (long long)other);
    json_decref(tu_call(&srv, "POST", path, officer, body, 201));
  }
  snprintf(items, sizeof items,
           "{\"kind\": \"course_step\", \"id\": %lld, \"action\": \"confirm\"}", (long long)s2);
  j = tu_call_problem(&srv, "POST", "/v1/proposals/decisions", officer, decisions(items), 409,
                      "conflict");
  ck_assert_str_eq(jstr(json_array_get(json_object_get(j, "errors"), 0), "code"), "batch_full");
  json_decref(j);
  sql_exec("UPDATE batches SET capacity = %lld WHERE id = %lld", (long long)cap, (long long)batch);
  sql_text(st, sizeof st, "SELECT status FROM course_steps WHERE id = %lld", (long long)s2);
  ck_assert_str_eq(st, "proposed");
}
END_TEST

/* ---- Priority pins ------------------------------------------------------------------------ */

/* The kelurahan component's value in an explanation's priority parts. */
static double kelurahan_part(const json_t *explanation) {
  size_t i;
  json_t *part;
  json_array_foreach(json_object_get(explanation, "priority_components"), i, part) {
    if (strcmp(jstr(part, "component"), "kelurahan") == 0)
      return json_number_value(json_object_get(part, "value"));
  }
  ck_abort_msg("no kelurahan component");
  return -1;
}

/* The run's proposal of resident rid in a proposals array, or NULL. */
static json_t *proposal_of(json_t *items, int64_t rid) {
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    if (jint(json_object_get(it, "resident"), "id") == rid)
      return it;
  }
  return NULL;
}

START_TEST(pins_apply_to_the_next_ranking_and_run) {
  /* K: the kelurahan, not a priority one, whose residents the first run
   * proposed most often (still proposed) */
  json_t *list = tu_call(&srv, "GET", "/v1/kelurahan", officer, NULL, 200);
  size_t i;
  json_t *it;
  char code[32] = "", q[128];
  int64_t best = 0;
  json_array_foreach(json_object_get(list, "items"), i, it) {
    if (json_is_true(json_object_get(it, "priority")))
      continue;
    int64_t n = sql_int("SELECT count(*) FROM referrals f JOIN residents r ON r.id = f.resident_id "
                        "JOIN kelurahan k ON k.id = r.kelurahan_id WHERE f.match_run_id = %lld AND "
                        "f.status = 'proposed' AND k.code = '%s'",
                        (long long)run_id, jstr(it, "code"));
    if (n > best) {
      best = n;
      snprintf(code, sizeof code, "%s", jstr(it, "code"));
    }
  }
  json_decref(list);
  ck_assert_int_gt(best, 0);
  snprintf(q, sizeof q, "kelurahan=%s&status=proposed&kind=referral", code);
  json_t *before = all_proposals(q);
  ck_assert_int_eq((int64_t)json_array_size(before), best);
  json_array_foreach(before, i, it) {
    ck_assert(kelurahan_part(json_object_get(it, "explanation")) == 0.0);
  }
  /* withdraw them all in one request: they return to the rankings */
  json_t *ds = json_array();
  json_array_foreach(before, i, it) {
    json_array_append_new(ds, json_pack("{s:s, s:I, s:s}", "kind", "referral", "id",
                                        (json_int_t)jint(it, "id"), "action", "withdraw"));
  }
  json_t *doc = json_pack("{s:o}", "decisions", ds);
  char *body = json_dumps(doc, 0);
  json_decref(doc);
  json_decref(tu_call(&srv, "POST", "/v1/proposals/decisions", officer, body, 200));
  free(body);

  /* pin K: the item as the list shows it, audited */
  char path[96];
  snprintf(path, sizeof path, "/v1/kelurahan/%s/pin", code);
  int64_t audits = sql_int("SELECT count(*) FROM audit_log WHERE action = 'priority_pin'");
  json_decref(tu_call_problem(&srv, "POST", path, desk, NULL, 403, "forbidden"));
  json_decref(tu_call_problem(&srv, "POST", path, employer, NULL, 403, "forbidden"));
  json_t *k = tu_call(&srv, "POST", path, officer, NULL, 200);
  ck_assert_str_eq(jstr(k, "code"), code);
  ck_assert(json_is_true(json_object_get(k, "priority")));
  ck_assert_str_eq(jstr(k, "priority_source"), "pinned");
  ck_assert_ptr_nonnull(json_object_get(k, "counts"));
  json_decref(k);
  ck_assert_int_eq(sql_int("SELECT count(*) FROM audit_log WHERE action = 'priority_pin' AND "
                           "detail = 'kelurahan %s pinned on' AND route = "
                           "'/v1/kelurahan/{code}/pin'",
                           code),
                   1);
  ck_assert_int_eq(sql_int("SELECT count(*) FROM audit_log WHERE action = 'priority_pin'"),
                   audits + 1);

  /* the next run: K's residents carry the kelurahan component, and those
   * proposed again rank with a higher priority than before the pin */
  json_t *run2 = tu_call(&srv, "POST", "/v1/match-runs", officer, "{}", 201);
  int64_t first_run = run_id;
  run_id = jint(run2, "id");
  json_decref(run2);
  snprintf(q, sizeof q, "kelurahan=%s&kind=referral", code);
  json_t *after = all_proposals(q);
  ck_assert_int_gt((int64_t)json_array_size(after), 0);
  int again = 0;
  json_array_foreach(after, i, it) {
    ck_assert(kelurahan_part(json_object_get(it, "explanation")) == 1.0);
    int64_t rid = jint(json_object_get(it, "resident"), "id");
    json_t *old = proposal_of(before, rid);
    double p_now = sql_int("SELECT CAST(priority * 1000 AS INTEGER) FROM referrals WHERE id = %lld",
                           (long long)jint(it, "id")) /
                   1000.0;
    ck_assert(p_now > 0);
    if (old != NULL) {
      again++;
      ck_assert_msg(json_number_value(json_object_get(old, "priority")) + 1.0 < p_now,
                    "resident %lld: priority %.2f before the pin, %.2f after", (long long)rid,
                    json_number_value(json_object_get(old, "priority")), p_now);
    }
  }
  json_decref(after);

  /* withdraw the second run's proposals of K, so that its residents are
   * ranked again; a ranking now still gives them the part */
  json_t *after2 = all_proposals(q);
  ds = json_array();
  json_array_foreach(after2, i, it) {
    json_array_append_new(ds, json_pack("{s:s, s:I, s:s}", "kind", "referral", "id",
                                        (json_int_t)jint(it, "id"), "action", "withdraw"));
  }
  doc = json_pack("{s:o}", "decisions", ds);
  body = json_dumps(doc, 0);
  json_decref(doc);
  json_decref(tu_call(&srv, "POST", "/v1/proposals/decisions", officer, body, 200));
  free(body);
  int64_t rid = jint(json_object_get(json_array_get(after2, 0), "resident"), "id");
  json_decref(after2);
  char rec_path[96];
  snprintf(rec_path, sizeof rec_path, "/v1/residents/%lld/recommendations", (long long)rid);
  json_t *rec = tu_call(&srv, "GET", rec_path, officer, NULL, 200);
  json_t *hits = json_object_get(rec, "vacancies");
  ck_assert_uint_gt(json_array_size(hits), 0); /* the run proposed them a vacancy */
  ck_assert(kelurahan_part(json_object_get(json_array_get(hits, 0), "explanation")) == 1.0);
  json_decref(rec);

  /* unpin: the index decides again, and the next ranking drops the part */
  k = tu_call(&srv, "DELETE", path, officer, NULL, 200);
  ck_assert(json_is_false(json_object_get(k, "priority")));
  ck_assert_str_eq(jstr(k, "priority_source"), "index");
  json_decref(k);
  rec = tu_call(&srv, "GET", rec_path, officer, NULL, 200);
  hits = json_object_get(rec, "vacancies");
  ck_assert_uint_gt(json_array_size(hits), 0);
  ck_assert(kelurahan_part(json_object_get(json_array_get(hits, 0), "explanation")) == 0.0);
  json_decref(rec);
  snprintf(path, sizeof path, "/v1/kelurahan/99.99.99.9999/pin");
  json_decref(tu_call_problem(&srv, "POST", path, officer, NULL, 404, "not-found"));
  json_decref(tu_call_problem(&srv, "DELETE", "/v1/kelurahan/36%2071/pin", officer, NULL, 404,
                              "not-found"));
  json_decref(before);
  run_id = first_run;
  ck_assert_int_gt(again, 0);
}
END_TEST

/* ---- Overlaps and unserved --------------------------------------------------------------- */

/* The resident ids of a report's rows, in order, into ids; how many. */
static size_t report_ids(json_t *rep, int64_t *ids, size_t max) {
  size_t n = 0, i;
  json_t *row;
  json_array_foreach(json_object_get(rep, "rows"), i, row) {
    ck_assert_uint_lt(n, max);
    ids[n++] = jint(row, "resident_id");
  }
  return n;
}

START_TEST(overlaps_and_unserved_over_http) {
  /* a kelurahan of our own, with seven target residents: productive age,
   * unemployed, not in school, verified today, desil 2 */
  const char *code = "36.71.10.9901";
  sql_exec("INSERT INTO kelurahan (code, kecamatan_id, name, lat, lon) SELECT '%s', kecamatan_id, "
           "'Uji Laporan', lat, lon FROM kelurahan WHERE code = '36.71.10.1001'",
           code);
  int64_t kel = sql_int("SELECT id FROM kelurahan WHERE code = '%s'", code);
  int64_t id[8];
  for (int i = 1; i <= 7; i++) {
    sql_exec("INSERT INTO residents (nik, name, sex, birth_date, kelurahan_id, education, desil, "
             "work_status, school_status, months_without_work, verified_at, synthetic, "
             "created_at, updated_at) VALUES ('36711041019000%02d', 'Warga Uji %d', 'P', "
             "'1990-01-01', %lld, 'SMA', 2, 'unemployed', 'not_in_school', 5, date('now'), 1, "
             "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
             i, i, (long long)kel);
    id[i] = sql_int("SELECT max(id) FROM residents");
  }
  int64_t v = sql_int("SELECT min(id) FROM vacancies");
  /* 1: nothing.  2: a proposal.  3: a proposal withdrawn.  4: a confirmed
   * referral.  5: another office's active programme.  6: both 4 and 5, at
   * once: an overlap.  7: another office's programme that ended. */
  static const char *const status[8] = {NULL,        NULL, "proposed", "withdrawn",
                                        "confirmed", NULL, "confirmed"};
  for (int i = 2; i <= 6; i++)
    if (status[i] != NULL)
      sql_exec("INSERT INTO referrals (resident_id, vacancy_id, status, created_at, updated_at) "
               "VALUES (%lld, %lld, '%s', '2026-02-01T00:00:00Z', '2026-02-01T00:00:00Z')",
               (long long)id[i], (long long)v, status[i]);
  sql_exec("INSERT INTO referral_events (referral_id, from_status, to_status, at) SELECT id, NULL, "
           "'confirmed', created_at FROM referrals WHERE resident_id IN (%lld, %lld)",
           (long long)id[4], (long long)id[6]);
  for (int i = 5; i <= 7; i++)
    sql_exec("INSERT INTO interventions (resident_id, kind, office, start_date, end_date, status, "
             "created_at) VALUES (%lld, 'business_capital', 'Dinas Koperasi', '2026-01-15', %s, "
             "'%s', '2026-01-15T00:00:00Z')",
             (long long)id[i], i == 7 ? "'2026-03-31'" : "NULL", i == 7 ? "ended" : "active");

  /* unserved lists priority kelurahan only: pin ours */
  char path[128];
  snprintf(path, sizeof path, "/v1/kelurahan/%s/pin", code);
  json_decref(tu_call(&srv, "POST", path, officer, NULL, 200));

  int64_t got[16];
  snprintf(path, sizeof path, "/v1/reports/unserved?kelurahan=%s", code);
  json_t *rep = tu_call(&srv, "GET", path, officer, NULL, 200);
  ck_assert_str_eq(jstr(rep, "report"), "unserved");
  size_t n = report_ids(rep, got, 16);
  int64_t want[] = {id[1], id[2], id[3], id[7]};
  ck_assert_uint_eq(n, 4);
  for (size_t i = 0; i < n; i++)
    ck_assert_int_eq(got[i], want[i]);
  json_t *row0 = json_array_get(json_object_get(rep, "rows"), 0);
  ck_assert_str_eq(jstr(row0, "kelurahan_code"), code);
  ck_assert_int_eq(jint(row0, "desil"), 2);
  json_decref(rep);

  /* the same as CSV: a header and four rows */
  struct tu_resp r;
  snprintf(path, sizeof path, "/v1/reports/unserved?kelurahan=%s&format=csv", code);
  tu_request(&srv, "GET", path, officer, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "priority_rank,kelurahan_code"));
  size_t lines = 0;
  for (const char *p = r.body; (p = strstr(p, "\r\n")) != NULL; p += 2)
    lines++;
  ck_assert_uint_eq(lines, 5);
  tu_resp_free(&r);

  /* the command line agrees: the same four residents */
  char *argv[] = {PADAN_BIN, "report", "unserved", "--kelurahan", (char *)code,
                  "--csv",   "--data", srv.dir,    NULL};
  struct tu_proc proc;
  tu_run(argv, NULL, &proc);
  ck_assert_msg(proc.status == 0, "%s", proc.err);
  size_t cli_lines = 0;
  for (const char *p = proc.out; (p = strchr(p, '\n')) != NULL; p++)
    cli_lines++;
  ck_assert_uint_eq(cli_lines, 5);
  for (int i = 1; i <= 7; i++) {
    char nik[24];
    snprintf(nik, sizeof nik, "36711041019000%02d", i);
    ck_assert_msg((strstr(proc.out, nik) != NULL) == (i <= 3 || i == 7), "resident %d", i);
  }
  tu_proc_free(&proc);

  /* overlaps: exactly resident 6, the capital programme beside the job */
  snprintf(path, sizeof path, "/v1/reports/overlaps?kelurahan=%s", code);
  rep = tu_call(&srv, "GET", path, officer, NULL, 200);
  n = report_ids(rep, got, 16);
  ck_assert_uint_eq(n, 1);
  ck_assert_int_eq(got[0], id[6]);
  row0 = json_array_get(json_object_get(rep, "rows"), 0);
  ck_assert_str_eq(jstr(row0, "a_kind"), "business_capital");
  ck_assert_str_eq(jstr(row0, "b_kind"), "job_referral");
  ck_assert_ptr_nonnull(jstr(row0, "reason_en"));
  json_decref(rep);
  snprintf(path, sizeof path, "/v1/reports/overlaps?kelurahan=%s&format=csv", code);
  tu_request(&srv, "GET", path, officer, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "business_capital"));
  tu_resp_free(&r);
  ck_assert_int_ge(sql_int("SELECT count(*) FROM audit_log WHERE action IN ('report_overlaps', "
                           "'report_unserved') AND route LIKE '/v1/reports/%%'"),
                   3);

  /* a desk: its own kelurahan only */
  json_decref(tu_call_problem(&srv, "GET", path, desk, NULL, 403, "forbidden"));
  rep = tu_call(&srv, "GET", "/v1/reports/unserved", desk, NULL, 200);
  size_t i;
  json_t *row;
  json_array_foreach(json_object_get(rep, "rows"), i, row) {
    ck_assert_str_eq(jstr(row, "kelurahan_code"), strchr(tu_demo(&srv, "desk", "scope"), ':') + 1);
  }
  json_decref(rep);
  rep = tu_call(&srv, "GET", "/v1/reports/overlaps", desk, NULL, 200);
  json_array_foreach(json_object_get(rep, "rows"), i, row) {
    ck_assert_int_ne(jint(row, "resident_id"), id[6]);
  }
  json_decref(rep);
  json_decref(
      tu_call_problem(&srv, "GET", "/v1/reports/overlaps", employer, NULL, 403, "forbidden"));
  tu_expect_field_error(&srv, "GET", "/v1/reports/unserved?kelurahan=99.99", officer, NULL,
                        "kelurahan", NULL);
}
END_TEST

/* ---- Courses change the record ------------------------------------------------------------ */

/* 1 when the array of {code, ...} holds code. */
static int has_code(const json_t *skills, const char *code) {
  size_t i;
  json_t *k;
  json_array_foreach(skills, i, k) {
    if (strcmp(jstr(k, "code"), code) == 0)
      return 1;
  }
  return 0;
}

/* The live explanation of referral id, through the review list. */
static json_t *explanation_of(int64_t vacancy, int64_t referral) {
  char q[64];
  snprintf(q, sizeof q, "vacancy_id=%lld", (long long)vacancy);
  json_t *all = all_proposals(q);
  size_t i;
  json_t *it, *x = NULL;
  json_array_foreach(all, i, it) {
    if (jint(it, "id") == referral)
      x = json_incref(json_object_get(it, "explanation"));
  }
  json_decref(all);
  ck_assert_ptr_nonnull(x);
  return x;
}

START_TEST(courses_change_the_record) {
  /* V needs skill S, which course C teaches; C teaches at least two */
  int64_t v = sql_int("SELECT vs.vacancy_id FROM vacancy_skills vs JOIN course_skills cs ON "
                      "cs.skill_id = vs.skill_id JOIN vacancies v ON v.id = vs.vacancy_id WHERE "
                      "vs.kind = 'must' AND v.status = 'open' AND (SELECT count(*) FROM "
                      "course_skills c2 WHERE c2.course_id = cs.course_id) >= 2 ORDER BY "
                      "vs.vacancy_id, vs.skill_id LIMIT 1");
  ck_assert_int_gt(v, 0);
  int64_t skill = sql_int("SELECT vs.skill_id FROM vacancy_skills vs JOIN course_skills cs ON "
                          "cs.skill_id = vs.skill_id WHERE vs.vacancy_id = %lld AND vs.kind = "
                          "'must' AND (SELECT count(*) FROM course_skills c2 WHERE c2.course_id = "
                          "cs.course_id) >= 2 ORDER BY vs.skill_id LIMIT 1",
                          (long long)v);
  int64_t course = sql_int("SELECT min(course_id) FROM course_skills cs WHERE skill_id = %lld AND "
                           "(SELECT count(*) FROM course_skills c2 WHERE c2.course_id = "
                           "cs.course_id) >= 2",
                           (long long)skill);
  int64_t other = sql_int("SELECT min(skill_id) FROM course_skills WHERE course_id = %lld AND "
                          "skill_id <> %lld",
                          (long long)course, (long long)skill);
  int64_t taught =
      sql_int("SELECT count(*) FROM course_skills WHERE course_id = %lld", (long long)course);
  char s_code[16], o_code[16];
  sql_text(s_code, sizeof s_code, "SELECT code FROM skills WHERE id = %lld", (long long)skill);
  sql_text(o_code, sizeof o_code, "SELECT code FROM skills WHERE id = %lld", (long long)other);

  /* R: a fresh resident without S who declared the course's other skill */
  int64_t rid = fresh_resident(0);
  sql_exec("DELETE FROM resident_skills WHERE resident_id = %lld AND skill_id IN (SELECT skill_id "
           "FROM course_skills WHERE course_id = %lld)",
           (long long)rid, (long long)course);
  sql_exec("INSERT INTO resident_skills (resident_id, skill_id, certified) VALUES (%lld, %lld, 0)",
           (long long)rid, (long long)other);
  /* a proposal R → V, so that the review shows the engine's explanation */
  sql_exec("INSERT INTO referrals (resident_id, vacancy_id, match_run_id, status, created_at, "
           "updated_at) VALUES (%lld, %lld, %lld, 'proposed', '2026-02-01T00:00:00Z', "
           "'2026-02-01T00:00:00Z')",
           (long long)rid, (long long)v, (long long)run_id);
  int64_t ref = sql_int("SELECT max(id) FROM referrals");
  char path[96], body[64];
  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)rid);
  json_decref(tu_call(&srv, "PATCH", path, officer, "{\"dependants\": 1, \"reason\": \"Uji\"}",
                      200)); /* and the engine re-reads R */
  int64_t history =
      sql_int("SELECT count(*) FROM resident_history WHERE resident_id = %lld", (long long)rid);
  json_t *x = explanation_of(v, ref);
  ck_assert(has_code(json_object_get(x, "missing_skills"), s_code));
  ck_assert(!has_code(json_object_get(x, "matched_skills"), s_code));
  json_decref(x);

  /* a running batch of C; enrol, complete */
  sql_exec("INSERT INTO batches (course_id, batch_no, start_date, end_date, capacity, status) "
           "VALUES (%lld, (SELECT coalesce(max(batch_no), 0) + 1 FROM batches WHERE course_id = "
           "%lld), date('now', '-60 days'), date('now', '-1 days'), 16, 'running')",
           (long long)course, (long long)course);
  int64_t batch = sql_int("SELECT max(id) FROM batches");
  snprintf(path, sizeof path, "/v1/batches/%lld/enrolments", (long long)batch);
  snprintf(body, sizeof body, "{\"resident_id\": %lld}", (long long)rid);
  json_t *e = tu_call(&srv, "POST", path, officer, body, 201);
  int64_t eid = jint(e, "id");
  json_decref(e);
  snprintf(path, sizeof path, "/v1/enrolments/%lld", (long long)eid);
  json_decref(tu_call(&srv, "PATCH", path, officer, "{\"status\": \"completed\"}", 200));

  /* every taught skill is held, course-taught, not certified */
  ck_assert_int_eq(sql_int("SELECT count(*) FROM resident_skills rs JOIN course_skills cs ON "
                           "cs.skill_id = rs.skill_id AND cs.course_id = %lld WHERE "
                           "rs.resident_id = %lld AND rs.source = 'course' AND rs.certified = 0",
                           (long long)course, (long long)rid),
                   taught);
  /* one history row per skill, read over HTTP */
  snprintf(path, sizeof path, "/v1/residents/%lld/history", (long long)rid);
  json_t *h = tu_call(&srv, "GET", path, officer, NULL, 200);
  json_t *items = json_object_get(h, "items");
  ck_assert_int_eq((int64_t)json_array_size(items), history + taught);
  char want_old[48], want_new[48];
  snprintf(want_old, sizeof want_old, "%s (self-reported)", o_code);
  snprintf(want_new, sizeof want_new, "%s (course-taught)", o_code);
  int seen_other = 0, seen_new = 0;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    if (strcmp(jstr(it, "field"), "skills") != 0)
      continue;
    ck_assert_ptr_nonnull(strstr(jstr(it, "reason"), "completed"));
    if (jstr(it, "old_value") != NULL && strcmp(jstr(it, "old_value"), want_old) == 0) {
      ck_assert_str_eq(jstr(it, "new_value"), want_new);
      seen_other = 1;
    }
    if (json_is_null(json_object_get(it, "old_value")) &&
        strncmp(jstr(it, "new_value"), s_code, strlen(s_code)) == 0)
      seen_new = 1;
  }
  ck_assert(seen_other && seen_new);
  json_decref(h);

  /* the next ranking uses it: S is now matched */
  x = explanation_of(v, ref);
  ck_assert(has_code(json_object_get(x, "matched_skills"), s_code));
  ck_assert(!has_code(json_object_get(x, "missing_skills"), s_code));
  json_decref(x);

  /* certified: every taught skill certified, in the history again */
  snprintf(path, sizeof path, "/v1/enrolments/%lld", (long long)eid);
  json_decref(tu_call(&srv, "PATCH", path, officer, "{\"status\": \"certified\"}", 200));
  ck_assert_int_eq(sql_int("SELECT count(*) FROM resident_skills rs JOIN course_skills cs ON "
                           "cs.skill_id = rs.skill_id AND cs.course_id = %lld WHERE "
                           "rs.resident_id = %lld AND rs.certified = 1",
                           (long long)course, (long long)rid),
                   taught);
  ck_assert_int_eq(sql_int("SELECT count(*) FROM resident_history WHERE resident_id = %lld AND "
                           "field = 'skills' AND new_value LIKE '%%* (certified)' AND reason LIKE "
                           "'%%certified'",
                           (long long)rid),
                   taught);
}
END_TEST

/* A course step confirmed through the decisions enrols its resident in the
 * batch and links the enrolment; a confirmed step then neither withdraws
 * nor confirms again (409 illegal_move naming its status), and nothing
 * changes. */
START_TEST(a_confirmed_course_step_is_enrolled_and_stays) {
  char items[200];
  int64_t batch = open_batch(1, -1);
  int64_t rid = fresh_resident(0);
  int64_t s = add_step(rid, batch);
  snprintf(items, sizeof items,
           "{\"kind\": \"course_step\", \"id\": %lld, \"action\": \"confirm\"}", (long long)s);
  json_t *j = tu_call(&srv, "POST", "/v1/proposals/decisions", officer, decisions(items), 200);
  json_t *res = json_array_get(json_object_get(j, "results"), 0);
  ck_assert_str_eq(jstr(res, "kind"), "course_step");
  ck_assert_int_eq(jint(res, "id"), s);
  ck_assert_str_eq(jstr(res, "status"), "confirmed");
  json_decref(j);
  int64_t enrolment =
      sql_int("SELECT id FROM enrolments WHERE resident_id = %lld AND batch_id = %lld",
              (long long)rid, (long long)batch);
  ck_assert_int_gt(enrolment, 0);
  ck_assert_int_eq(sql_int("SELECT enrolment_id FROM course_steps WHERE id = %lld", (long long)s),
                   enrolment);
  static const char *const again[] = {"withdraw", "confirm"};
  for (size_t k = 0; k < 2; k++) {
    snprintf(items, sizeof items, "{\"kind\": \"course_step\", \"id\": %lld, \"action\": \"%s\"}",
             (long long)s, again[k]);
    j = tu_call_problem(&srv, "POST", "/v1/proposals/decisions", officer, decisions(items), 409,
                        "conflict");
    json_t *e0 = json_array_get(json_object_get(j, "errors"), 0);
    ck_assert_str_eq(jstr(e0, "code"), "illegal_move");
    ck_assert_ptr_nonnull(strstr(jstr(e0, "detail"), "'confirmed'"));
    json_decref(j);
  }
  char st[16];
  sql_text(st, sizeof st, "SELECT status FROM course_steps WHERE id = %lld", (long long)s);
  ck_assert_str_eq(st, "confirmed");
  ck_assert_int_eq(
      sql_int("SELECT count(*) FROM enrolments WHERE resident_id = %lld", (long long)rid), 1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("api_review");
  TCase *tc = tcase_create("review");
  tcase_set_timeout(tc, 600);
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_add_test(tc, review_lists_every_proposal_with_its_explanation);
  tcase_add_test(tc, review_filters_agree_with_the_database);
  tcase_add_test(tc, review_shows_course_steps_after_referrals);
  tcase_add_test(tc, decisions_apply_all_or_nothing);
  tcase_add_test(tc, confirming_checks_the_registry);
  tcase_add_test(tc, pins_apply_to_the_next_ranking_and_run);
  tcase_add_test(tc, overlaps_and_unserved_over_http);
  tcase_add_test(tc, courses_change_the_record);
  tcase_add_test(tc, a_confirmed_course_step_is_enrolled_and_stays);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
