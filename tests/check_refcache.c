/*
 * The reference data that recommendations are dressed in from memory
 * (core/refcache.c) says what the store says: on the seeded city, every
 * vacancy's and course's brief from the cache — read once from the store,
 * then from memory — equals store_vacancy_brief / store_course_brief field
 * by field; an unknown id is STORE_ENOTFOUND both times; a forgotten
 * vacancy is read again; and the skills table holds every skill, in id
 * order.  Answers kept per engine generation (core/respcache.c) are found
 * only under their own key and generation; over HTTP, a recommendation
 * answered from memory is the one computed, and a correction of the
 * resident (which refreshes the snapshot) changes the very next answer;
 * so does the correction of a vacancy's kept candidate.
 */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refcache.h"
#include "respcache.h"
#include "seeds.h"
#include "store.h"
#include "tu_http.h"

static void same_vacancy(const struct store_vacancy_brief *a, const struct store_vacancy_brief *b) {
  ck_assert_int_eq(a->id, b->id);
  ck_assert_int_eq(a->employer_id, b->employer_id);
  ck_assert_str_eq(a->code, b->code);
  ck_assert_str_eq(a->title, b->title);
  ck_assert_str_eq(a->employer_name, b->employer_name);
}

START_TEST(briefs_and_skills_equal_the_store) {
  char *dir = tu_tmpdir(), path[600], err[256];
  snprintf(path, sizeof path, "%s/padan.db", dir);
  struct store *s;
  ck_assert_msg(store_open(path, &s, err, sizeof err) == STORE_OK, "%s", err);
  int loaded = 0;
  ck_assert_msg(seeds_load(s, &loaded, err, sizeof err) == 0, "%s", err);
  struct refcache *c;
  ck_assert_int_eq(refcache_create(s, &c), STORE_OK);

  int64_t lowest = 0;
  ck_assert_int_eq(store_vacancy_lowest(s, &lowest), STORE_OK);
  int found = 0;
  for (int64_t id = lowest; id < lowest + 400; id++) {
    struct store_vacancy_brief want, got;
    int rc = store_vacancy_brief(s, id, &want);
    for (int pass = 0; pass < 2; pass++) { /* from the store, then from memory */
      ck_assert_int_eq(refcache_vacancy(c, s, id, &got), rc);
      if (rc == STORE_OK)
        same_vacancy(&got, &want);
    }
    found += rc == STORE_OK;
  }
  ck_assert_int_gt(found, 10);
  struct store_vacancy_brief got;
  ck_assert_int_eq(refcache_vacancy(c, s, 1 << 30, &got), STORE_ENOTFOUND);
  refcache_forget_vacancy(c, lowest);
  ck_assert_int_eq(refcache_vacancy(c, s, lowest, &got), STORE_OK);
  ck_assert_int_eq(got.id, lowest);
  refcache_forget_all(c);
  ck_assert_int_eq(refcache_vacancy(c, s, lowest, &got), STORE_OK);

  int courses = 0;
  for (int64_t id = 1; id < 200; id++) {
    struct store_course_brief want, co;
    int rc = store_course_brief(s, id, &want);
    for (int pass = 0; pass < 2; pass++) {
      ck_assert_int_eq(refcache_course(c, s, id, &co), rc);
      if (rc == STORE_OK) {
        ck_assert_str_eq(co.code, want.code);
        ck_assert_str_eq(co.name, want.name);
      }
    }
    courses += rc == STORE_OK;
  }
  ck_assert_int_gt(courses, 3);

  const struct xj_skills *t = refcache_skills(c);
  sqlite3 *h;
  ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  sqlite3_stmt *q;
  ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT id FROM skills ORDER BY id", -1, &q, NULL),
                   SQLITE_OK);
  size_t i = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    ck_assert_uint_lt(i, t->n);
    ck_assert_int_eq(t->row[i++].id, sqlite3_column_int64(q, 0));
  }
  ck_assert_uint_eq(i, t->n);
  ck_assert_uint_gt(t->n, 100);
  sqlite3_finalize(q);
  sqlite3_close(h);

  refcache_free(c);
  store_close(s);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

START_TEST(answers_only_under_their_key_and_generation) {
  struct respcache *c;
  ck_assert_int_eq(respcache_create(&c), 0);
  const int64_t k1[3] = {5, 10, 3}, k2[3] = {5, 10, 4};
  char *body;
  size_t len;
  ck_assert_int_eq(respcache_get(c, k1, 1, &body, &len), 0);
  respcache_put(c, k1, 1, "{\"a\":1}", 7);
  ck_assert_int_eq(respcache_get(c, k1, 1, &body, &len), 1);
  ck_assert_uint_eq(len, 7);
  ck_assert_str_eq(body, "{\"a\":1}");
  free(body);
  ck_assert_int_eq(respcache_get(c, k1, 2, &body, &len), 0); /* the snapshot moved on */
  ck_assert_int_eq(respcache_get(c, k2, 1, &body, &len), 0); /* another question */
  respcache_put(c, k1, 2, "{\"a\":2}", 7);
  ck_assert_int_eq(respcache_get(c, k1, 1, &body, &len), 0);
  ck_assert_int_eq(respcache_get(c, k1, 2, &body, &len), 1);
  ck_assert_str_eq(body, "{\"a\":2}");
  free(body);
  respcache_free(c);
}
END_TEST

static char *recommendations(struct tu_server *s, const char *token, int64_t id) {
  char path[96];
  snprintf(path, sizeof path, "/v1/residents/%lld/recommendations?limit=10", (long long)id);
  struct tu_resp r;
  tu_request(s, "GET", path, token, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  return r.body; /* the caller frees it */
}

START_TEST(a_kept_answer_is_the_computed_one_until_the_resident_changes) {
  struct tu_server s;
  tu_server_start(&s, 300, 5);
  char *token = tu_login(&s, "officer");
  /* the first resident with something to recommend */
  int64_t id = 0;
  char *first = NULL;
  for (int64_t i = 1; i <= 300 && id == 0; i++) {
    first = recommendations(&s, token, i);
    json_error_t e;
    json_t *j = json_loads(first, 0, &e);
    if (json_array_size(json_object_get(j, "vacancies")) > 0)
      id = i;
    else
      free(first);
    json_decref(j);
  }
  ck_assert_int_gt(id, 0);
  char *again = recommendations(&s, token, id);
  ck_assert_str_eq(again, first);
  free(again);

  char path[64];
  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)id);
  static const char body[] = "{\"work_status\": \"working\", \"months_without_work\": 0, "
                             "\"reason\": \"Sudah bekerja di pabrik\"}";
  struct tu_resp r;
  tu_request(&s, "PATCH", path, token, "application/json", body, sizeof body - 1, &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  tu_resp_free(&r);
  char *after = recommendations(&s, token, id);
  json_error_t e;
  json_t *j = json_loads(after, 0, &e);
  ck_assert_uint_eq(json_array_size(json_object_get(j, "vacancies")), 0);
  ck_assert(!json_is_null(json_object_get(j, "not_matched_because")));
  json_decref(j);
  free(after);
  free(first);
  free(token);
  tu_server_stop(&s);
}
END_TEST

/* The officer's candidates for vacancy vid (body, which the caller frees). */
static char *candidates(struct tu_server *s, const char *token, int64_t vid) {
  char path[80];
  snprintf(path, sizeof path, "/v1/vacancies/%lld/candidates?limit=20", (long long)vid);
  struct tu_resp r;
  tu_request(s, "GET", path, token, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  return r.body;
}

/* Candidate rankings are kept per generation too (h_matching.c): the same
 * answer twice, and after a correction of the first candidate (now
 * working, so no longer eligible) the very next answer leaves them out. */
START_TEST(kept_candidates_change_with_the_resident) {
  struct tu_server s;
  tu_server_start(&s, 300, 5);
  char *token = tu_login(&s, "officer");
  int64_t vid = 0, rid = 0;
  char *first = NULL;
  for (int64_t v = 1; v <= 50 && vid == 0; v++) {
    first = candidates(&s, token, v);
    json_error_t e;
    json_t *j = json_loads(first, 0, &e);
    json_t *items = json_object_get(j, "items");
    if (json_array_size(items) > 0) {
      vid = v;
      rid = json_integer_value(json_object_get(json_array_get(items, 0), "resident_id"));
    } else {
      free(first);
    }
    json_decref(j);
  }
  ck_assert_int_gt(vid, 0);
  ck_assert_int_gt(rid, 0);
  char *again = candidates(&s, token, vid);
  ck_assert_str_eq(again, first);
  free(again);

  char path[64];
  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)rid);
  static const char body[] = "{\"work_status\": \"working\", \"months_without_work\": 0, "
                             "\"reason\": \"Sudah bekerja di pabrik\"}";
  struct tu_resp r;
  tu_request(&s, "PATCH", path, token, "application/json", body, sizeof body - 1, &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  tu_resp_free(&r);
  char *after = candidates(&s, token, vid);
  json_error_t e;
  json_t *j = json_loads(after, 0, &e);
  json_t *items = json_object_get(j, "items");
  for (size_t i = 0; i < json_array_size(items); i++)
    ck_assert_int_ne(json_integer_value(json_object_get(json_array_get(items, i), "resident_id")),
                     rid);
  json_decref(j);
  free(after);
  free(first);
  free(token);
  tu_server_stop(&s);
}
END_TEST

/* The id of item i of a candidates answer, or 0. */
static int64_t item_id(const char *text, size_t i) {
  json_error_t e;
  json_t *j = json_loads(text, 0, &e);
  int64_t id = json_integer_value(
      json_object_get(json_array_get(json_object_get(j, "items"), i), "resident_id"));
  json_decref(j);
  return id;
}

/* The kept page holds only what the snapshot decides (who, in which order,
 * fit and explanation); the rows it shows are read every time: a second
 * candidate's corrected name is in the very next answer, an erased third
 * candidate is left out of it. */
START_TEST(kept_candidates_show_the_live_rows) {
  struct tu_server s;
  tu_server_start(&s, 2000, 5);
  char *token = tu_login(&s, "officer"), *admin = tu_login(&s, "admin");
  int64_t vid = 0;
  char *first = NULL;
  for (int64_t v = 1; v <= 50 && vid == 0; v++) {
    first = candidates(&s, token, v);
    if (item_id(first, 2) > 0)
      vid = v;
    else
      free(first);
  }
  ck_assert_int_gt(vid, 0);
  int64_t second = item_id(first, 1), third = item_id(first, 2);
  char path[64];
  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)second);
  static const char body[] = "{\"name\": \"Nama Koreksi Baru\", \"reason\": \"Salah ketik\"}";
  struct tu_resp r;
  tu_request(&s, "PATCH", path, token, "application/json", body, sizeof body - 1, &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  tu_resp_free(&r);
  char *named = candidates(&s, token, vid);
  ck_assert_ptr_nonnull(strstr(named, "\"name\":\"Nama Koreksi Baru\""));
  ck_assert_ptr_null(strstr(first, "Nama Koreksi Baru"));

  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)third);
  static const char why[] = "{\"reason\": \"Permintaan penghapusan\"}";
  tu_request(&s, "DELETE", path, admin, "application/json", why, sizeof why - 1, &r);
  ck_assert_msg(r.status == 204, "%d %s", r.status, r.body);
  tu_resp_free(&r);
  char *erased = candidates(&s, token, vid);
  for (size_t i = 0; item_id(erased, i) > 0; i++)
    ck_assert_int_ne(item_id(erased, i), third);
  ck_assert_int_eq(item_id(erased, 1), second);
  free(erased);
  free(named);
  free(first);
  free(admin);
  free(token);
  tu_server_stop(&s);
}
END_TEST

static Suite *refcache_suite(void) {
  Suite *suite = suite_create("refcache");
  TCase *t = tcase_create("refcache");
  tcase_set_timeout(t, 120);
  tcase_add_test(t, briefs_and_skills_equal_the_store);
  tcase_add_test(t, answers_only_under_their_key_and_generation);
  tcase_add_test(t, a_kept_answer_is_the_computed_one_until_the_resident_changes);
  tcase_add_test(t, kept_candidates_change_with_the_resident);
  tcase_add_test(t, kept_candidates_show_the_live_rows);
  suite_add_tcase(suite, t);
  return suite;
}

int main(void) {
  return tu_run_suite(refcache_suite());
}
