/*
 * The reference data that recommendations are dressed in from memory
 * (core/refcache.c) says what the store says: on the seeded city, every
 * vacancy's and course's brief from the cache — read once from the store,
 * then from memory — equals store_vacancy_brief / store_course_brief field
 * by field; an unknown id is STORE_ENOTFOUND both times; a forgotten
 * vacancy is read again; and the skills table holds every skill, in id
 * order.
 */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refcache.h"
#include "seeds.h"
#include "store.h"

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

static Suite *refcache_suite(void) {
  Suite *suite = suite_create("refcache");
  TCase *t = tcase_create("refcache");
  tcase_set_timeout(t, 120);
  tcase_add_test(t, briefs_and_skills_equal_the_store);
  suite_add_tcase(suite, t);
  return suite;
}

int main(void) {
  return tu_run_suite(refcache_suite());
}
