/*
 * Storage tests on a real SQLite file: migrations on a fresh file and on
 * reopen, refusing a newer schema, round trips of every kind of row the
 * foundation writes, the rules the schema enforces, and the seed loader.
 */
#include "seeds.h"
#include "store.h"
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir;
static char path[512];

static void setup(void) {
  dir = tu_tmpdir();
  snprintf(path, sizeof path, "%s/padan.db", dir);
}

static void teardown(void) {
  tu_rmtree(dir);
  free(dir);
}

static struct store *open_or_fail(void) {
  struct store *s = NULL;
  char err[256] = "";
  int rc = store_open(path, &s, err, sizeof err);
  ck_assert_msg(rc == STORE_OK, "store_open: %s", err);
  return s;
}

/* Runs one SQL statement on the file behind the store's back, as an
 * operator with the sqlite3 shell would. */
static void raw_exec(const char *sql) {
  sqlite3 *db;
  ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
  ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
}

static int64_t raw_int(const char *sql) {
  sqlite3 *db;
  sqlite3_stmt *q;
  ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
  ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(db);
  return v;
}

START_TEST(fresh_file_is_migrated_to_latest) {
  struct store *s = open_or_fail();
  int v = -1;
  ck_assert_int_eq(store_schema_version(s, &v), STORE_OK);
  ck_assert_int_ge(store_latest_version(), 1);
  ck_assert_int_eq(v, store_latest_version());
  store_close(s);
  ck_assert_int_eq(raw_int("PRAGMA user_version"), store_latest_version());
  ck_assert_int_eq(raw_int("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name "
                           "IN ('kecamatan','kelurahan','skills','residents','resident_skills',"
                           "'employers','vacancies','vacancy_skills','courses','course_skills',"
                           "'batches','batch_outcomes','enrolments','referrals','interventions',"
                           "'users','tokens','audit_log')"),
                   18);
  /* WAL and foreign keys are on for every connection the store opens */
  ck_assert_int_eq(raw_int("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"),
                   1);
}
END_TEST

START_TEST(reopen_keeps_data_and_version) {
  struct store *s = open_or_fail();
  ck_assert_int_eq(store_kecamatan_add(s, "36.71.10", "Neglasari", -6.11, 106.64, NULL), STORE_OK);
  store_close(s);
  s = open_or_fail();
  int64_t id = 0;
  ck_assert_int_eq(store_id_by_code(s, STORE_T_KECAMATAN, "36.71.10", &id), STORE_OK);
  ck_assert_int_gt(id, 0);
  int v = 0;
  store_schema_version(s, &v);
  ck_assert_int_eq(v, store_latest_version());
  store_close(s);
}
END_TEST

START_TEST(newer_schema_is_refused) {
  store_close(open_or_fail());
  raw_exec("PRAGMA user_version = 999");
  struct store *s = NULL;
  char err[256] = "";
  ck_assert_int_eq(store_open(path, &s, err, sizeof err), STORE_ESCHEMA);
  ck_assert_ptr_null(s);
  ck_assert_msg(strstr(err, "999") != NULL, "message names the version: %s", err);
}
END_TEST

START_TEST(reference_rows_round_trip_and_rules_hold) {
  struct store *s = open_or_fail();
  int64_t kec, kel, skill, emp, id;
  ck_assert_int_eq(store_kecamatan_add(s, "36.71.10", "Neglasari", -6.11, 106.64, &kec), STORE_OK);
  ck_assert_int_eq(store_kelurahan_add(s, "36.71.10.1001", kec, "Neglasari", -6.1, 106.6, &kel),
                   STORE_OK);
  /* duplicate code and dangling foreign key are refused */
  ck_assert_int_eq(store_kelurahan_add(s, "36.71.10.1001", kec, "X", 0, 0, NULL),
                   STORE_ECONSTRAINT);
  ck_assert_int_eq(store_kelurahan_add(s, "36.71.10.1002", kec + 100, "X", 0, 0, NULL),
                   STORE_ECONSTRAINT);
  ck_assert_int_eq(
      store_skill_add(s, "WLD-001", "welding_metal", "Las SMAW", "SMAW welding", &skill), STORE_OK);
  struct store_employer e = {.code = "EMP-1",
                             .name = "PT Uji",
                             .sector = "logistics",
                             .kelurahan_id = kel,
                             .employees = 40,
                             .synthetic = 1};
  ck_assert_int_eq(store_employer_add(s, &e, &emp), STORE_OK);
  char code[32];
  int64_t first;
  ck_assert_int_eq(store_employer_first(s, &first, code), STORE_OK);
  ck_assert_int_eq(first, emp);
  ck_assert_str_eq(code, "EMP-1");
  struct store_vacancy v = {.code = "VAC-1",
                            .title = "Operator",
                            .vocation = "logistics",
                            .employer_id = emp,
                            .kelurahan_id = kel,
                            .min_age = -1,
                            .max_age = 35,
                            .openings = 3,
                            .wage_monthly = 5400000};
  ck_assert_int_eq(store_vacancy_add(s, &v, &id), STORE_OK);
  ck_assert_int_eq(store_vacancy_skill_add(s, id, skill, "must"), STORE_OK);
  ck_assert_int_eq(store_vacancy_skill_add(s, id, skill, "nice"), STORE_ECONSTRAINT);
  v.code = "VAC-2";
  v.openings = -1; /* CHECK (openings >= 0) */
  ck_assert_int_eq(store_vacancy_add(s, &v, NULL), STORE_ECONSTRAINT);
  int64_t n = 0;
  ck_assert_int_eq(store_count(s, STORE_T_VACANCIES, &n), STORE_OK);
  ck_assert_int_eq(n, 1);
  ck_assert_int_eq(store_id_by_code(s, STORE_T_SKILLS, "NOPE", &id), STORE_ENOTFOUND);
  store_close(s);
  ck_assert_int_eq(raw_int("SELECT max_age FROM vacancies WHERE code = 'VAC-1'"), 35);
  ck_assert_int_eq(raw_int("SELECT min_age IS NULL FROM vacancies WHERE code = 'VAC-1'"), 1);
}
END_TEST

START_TEST(resident_upsert_counts_new_updated_unchanged) {
  struct store *s = open_or_fail();
  int64_t kec, kel, s1, s2, id, id2;
  store_kecamatan_add(s, "36.71.07", "Karawaci", -6.17, 106.61, &kec);
  store_kelurahan_add(s, "36.71.07.1005", kec, "Cimone", -6.17, 106.61, &kel);
  store_skill_add(s, "GAR-001", "garment", "Menjahit", "Sewing", &s1);
  store_skill_add(s, "GAR-002", "garment", "Pola", "Patterns", &s2);
  int64_t skills[] = {s1, s2};
  uint8_t cert[] = {1, 0};
  struct store_resident r = {.nik = "3671074501990001",
                             .name = "Siti Rahma",
                             .sex = "P",
                             .birth_date = "1999-01-05",
                             .kelurahan_id = kel,
                             .desil = 2,
                             .months_without_work = -1,
                             .dependants = 3,
                             .synthetic = 1,
                             .skill_ids = skills,
                             .skill_certified = cert,
                             .n_skills = 2};
  enum store_upsert what;
  ck_assert_int_eq(store_resident_upsert(s, &r, &id, &what), STORE_OK);
  ck_assert_int_eq(what, STORE_NEW);
  ck_assert_int_eq(store_resident_upsert(s, &r, &id2, &what), STORE_OK);
  ck_assert_int_eq(what, STORE_UNCHANGED);
  ck_assert_int_eq(id, id2);
  /* same skills in another order are the same record */
  int64_t rev[] = {s2, s1};
  uint8_t revc[] = {0, 1};
  r.skill_ids = rev;
  r.skill_certified = revc;
  ck_assert_int_eq(store_resident_upsert(s, &r, &id2, &what), STORE_OK);
  ck_assert_int_eq(what, STORE_UNCHANGED);
  /* a certification change alone is an update */
  revc[0] = 1;
  ck_assert_int_eq(store_resident_upsert(s, &r, &id2, &what), STORE_OK);
  ck_assert_int_eq(what, STORE_UPDATED);
  r.desil = 3;
  ck_assert_int_eq(store_resident_upsert(s, &r, &id2, &what), STORE_OK);
  ck_assert_int_eq(what, STORE_UPDATED);
  ck_assert_int_eq(id, id2);
  /* a malformed NIK never reaches the table */
  r.nik = "367107450199000";
  ck_assert_int_eq(store_resident_upsert(s, &r, &id2, &what), STORE_ECONSTRAINT);
  store_close(s);
  ck_assert_int_eq(raw_int("SELECT count(*) FROM residents"), 1);
  ck_assert_int_eq(raw_int("SELECT desil FROM residents"), 3);
  ck_assert_int_eq(raw_int("SELECT months_without_work IS NULL FROM residents"), 1);
  ck_assert_int_eq(raw_int("SELECT sum(certified) FROM resident_skills"), 2);
}
END_TEST

START_TEST(users_and_tokens_round_trip) {
  struct store *s = open_or_fail();
  int64_t uid;
  ck_assert_int_eq(store_user_add(s, "officer1", "$argon2id$x", "officer", -1, -1, &uid), STORE_OK);
  ck_assert_int_eq(store_user_add(s, "officer1", "$argon2id$y", "officer", -1, -1, NULL),
                   STORE_ECONSTRAINT);
  /* a desk without a kelurahan breaks the scope rule */
  ck_assert_int_eq(store_user_add(s, "desk1", "$argon2id$z", "desk", -1, -1, NULL),
                   STORE_ECONSTRAINT);
  struct store_user u;
  ck_assert_int_eq(store_user_by_name(s, "officer1", &u), STORE_OK);
  ck_assert_int_eq(u.id, uid);
  ck_assert_str_eq(u.role, "officer");
  ck_assert_int_eq(u.employer_id, -1);

  uint8_t h[32], other[32];
  memset(h, 0xA5, sizeof h);
  memset(other, 0x5A, sizeof other);
  ck_assert_int_eq(store_token_add(s, uid, h, 1000, 2000), STORE_OK);
  int64_t exp = 0;
  ck_assert_int_eq(store_token_user(s, h, 1500, &u, &exp), STORE_OK);
  ck_assert_int_eq(exp, 2000);
  ck_assert_str_eq(u.username, "officer1");
  ck_assert_int_eq(store_token_user(s, h, 2000, &u, NULL), STORE_ENOTFOUND); /* expired */
  ck_assert_int_eq(store_token_user(s, other, 1500, &u, NULL), STORE_ENOTFOUND);
  ck_assert_int_eq(store_user_set_disabled(s, "officer1", 1), STORE_OK);
  ck_assert_int_eq(store_token_user(s, h, 1500, &u, NULL), STORE_ENOTFOUND); /* disabled */
  ck_assert_int_eq(store_user_set_disabled(s, "officer1", 0), STORE_OK);
  ck_assert_int_eq(store_token_revoke(s, h, 1600), STORE_OK);
  ck_assert_int_eq(store_token_user(s, h, 1700, &u, NULL), STORE_ENOTFOUND); /* revoked */
  ck_assert_int_eq(store_token_revoke(s, h, 1700), STORE_ENOTFOUND);
  ck_assert_int_eq(store_user_set_disabled(s, "nobody", 1), STORE_ENOTFOUND);
  store_close(s);
}
END_TEST

START_TEST(transaction_rollback_discards) {
  struct store *s = open_or_fail();
  ck_assert_int_eq(store_begin(s), STORE_OK);
  ck_assert_int_eq(store_kecamatan_add(s, "36.71.01", "Tangerang", -6.17, 106.63, NULL), STORE_OK);
  ck_assert_int_eq(store_rollback(s), STORE_OK);
  int64_t n = -1;
  ck_assert_int_eq(store_count(s, STORE_T_KECAMATAN, &n), STORE_OK);
  ck_assert_int_eq(n, 0);
  store_close(s);
}
END_TEST

static int count_rows(void *arg, const struct store_kelurahan_row *k) {
  int64_t *sum = arg;
  sum[0]++;
  sum[1] += k->residents;
  if (strncmp(k->kecamatan_code, "36.71.", 6) != 0)
    sum[2]++;
  return 0;
}

START_TEST(seeds_load_the_city) {
  struct store *s = open_or_fail();
  char err[512] = "";
  int loaded = -1;
  ck_assert_msg(seeds_load(s, &loaded, err, sizeof err) == 0, "seeds_load: %s", err);
  ck_assert_int_eq(loaded, 1);
  int64_t n;
  store_count(s, STORE_T_KECAMATAN, &n);
  ck_assert_int_eq(n, 13);
  store_count(s, STORE_T_KELURAHAN, &n);
  ck_assert_int_eq(n, 104);
  store_count(s, STORE_T_SKILLS, &n);
  ck_assert_int_ge(n, 150);
  store_count(s, STORE_T_COURSES, &n);
  ck_assert_int_ge(n, 25);
  store_count(s, STORE_T_EMPLOYERS, &n);
  ck_assert_int_ge(n, 100);
  store_count(s, STORE_T_VACANCIES, &n);
  ck_assert_int_ge(n, 500);
  /* the official code of kelurahan Neglasari, in kecamatan Neglasari */
  int64_t id;
  ck_assert_int_eq(store_id_by_code(s, STORE_T_KELURAHAN, "36.71.10.1001", &id), STORE_OK);
  int64_t sum[3] = {0, 0, 0};
  ck_assert_int_eq(store_kelurahan_each(s, "2026-11-27", 4, 15, 64, count_rows, sum), STORE_OK);
  ck_assert_int_eq(sum[0], 104);
  ck_assert_int_eq(sum[1], 0);
  ck_assert_int_eq(sum[2], 0);
  /* loading again changes nothing */
  ck_assert_int_eq(seeds_load(s, &loaded, err, sizeof err), 0);
  ck_assert_int_eq(loaded, 0);
  store_count(s, STORE_T_KELURAHAN, &n);
  ck_assert_int_eq(n, 104);
  store_close(s);
  /* every vacancy has at least one must-have skill and a wage */
  ck_assert_int_eq(raw_int("SELECT count(*) FROM vacancies v WHERE NOT EXISTS (SELECT 1 FROM "
                           "vacancy_skills k WHERE k.vacancy_id = v.id AND k.kind = 'must')"),
                   0);
  ck_assert_int_eq(raw_int("SELECT count(*) FROM batch_outcomes WHERE source = 'seeded'") > 0, 1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("store");
  TCase *tc = tcase_create("store");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, fresh_file_is_migrated_to_latest);
  tcase_add_test(tc, reopen_keeps_data_and_version);
  tcase_add_test(tc, newer_schema_is_refused);
  tcase_add_test(tc, reference_rows_round_trip_and_rules_hold);
  tcase_add_test(tc, resident_upsert_counts_new_updated_unchanged);
  tcase_add_test(tc, users_and_tokens_round_trip);
  tcase_add_test(tc, transaction_rollback_discards);
  tcase_add_test(tc, seeds_load_the_city);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
