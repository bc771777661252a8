/*
 * Monitoring and evaluation reports (reports.h) on a real SQLite file with
 * the seed reference data and one hand-built scenario: twelve residents in
 * three kelurahan, two employers, three vacancies in two sectors, seven
 * referrals with known dates, and two BLK courses whose batches have
 * seeded outcomes, padan enrolments, or both.  Every figure a test expects
 * is worked out by hand in the comments from the tables below: the funnel
 * by each grouping, medians of odd and even counts, date ranges in local
 * time (WIB), scopes, the skills gap, the targeting shares, byte-exact
 * CSV, and measured course outcomes written beside the seeded ones and
 * read by the engine.
 *
 * Today is 2027-06-01, after every seeded vacancy's deadline (the last is
 * 2027-03-31), so only this file's three vacancies are open.
 */
#include "matcher.h"
#include "nik.h"
#include "reports.h"
#include "runs.h"
#include "seeds.h"
#include "snapshot.h"
#include "store.h"
#include "testutil.h"

#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TODAY "2027-06-01"
#define K1 "36.71.10.1001" /* Neglasari, kecamatan Neglasari (36.71.10) */
#define K2 "36.71.07.1005" /* Cimone, kecamatan Karawaci (36.71.07) */
#define K3 "36.71.10.1002" /* Karang Sari, kecamatan Neglasari */
#define NA -1.0            /* an expected null number */

static char *dir;
static char path[512];
static struct store *s;

/* Database ids of the scenario, filled by setup(). */
static int64_t kel1, kel2, kel3, emp1, emp2, vac1, vac2, vac3;
static int64_t res[13];  /* res[1] .. res[12] */
static int64_t refl[8];  /* refl[1] .. refl[7] */
static int64_t batch[6]; /* C01 b1..b4 = batch[1..4], C02 b1 = batch[5] */

/* ---- Helpers ---------------------------------------------------------------------------- */

static void raw_exec(const char *sql) {
  sqlite3 *db;
  char *msg = NULL;
  ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
  ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "?");
  sqlite3_close(db);
}

static int64_t raw_int(const char *sql) {
  sqlite3 *db;
  sqlite3_stmt *q;
  ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
  ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK, "%s", sql);
  ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(db);
  return v;
}

static int64_t id_of(enum store_table t, const char *code) {
  int64_t id = -1;
  ck_assert_msg(store_id_by_code(s, t, code, &id) == STORE_OK, "no %s", code);
  return id;
}

struct person {
  int64_t *kel;
  char sex;
  const char *birth;
  int desil;
  const char *disability, *work, *school, *verified;
  const char *skills; /* "CODE[*];..." with '*' for certified */
};

static int64_t add_person(int serial, const struct person *p) {
  struct date_ymd birth;
  char nik[17], sex[2] = {p->sex, '\0'};
  ck_assert_int_eq(date_parse(p->birth, strlen(p->birth), &birth), 0);
  ck_assert_int_eq(nik_format(nik, 36, 71, 10, &birth, p->sex, serial), NIK_OK);
  int64_t skill_ids[8];
  uint8_t cert[8];
  size_t n = 0;
  for (const char *c = p->skills; *c != '\0';) {
    char code[16];
    size_t len = strcspn(c, ";*");
    snprintf(code, sizeof code, "%.*s", (int)len, c);
    skill_ids[n] = id_of(STORE_T_SKILLS, code);
    c += len;
    cert[n] = *c == '*';
    if (*c == '*')
      c++;
    if (*c == ';')
      c++;
    n++;
  }
  struct store_resident r = {.nik = nik,
                             .name = "Warga Uji",
                             .sex = sex,
                             .birth_date = p->birth,
                             .kelurahan_id = *p->kel,
                             .education = "sma",
                             .desil = p->desil,
                             .work_status = p->work,
                             .school_status = p->school,
                             .months_without_work = 6,
                             .dependants = 1,
                             .disability = p->disability,
                             .verified_at = p->verified,
                             .skill_ids = skill_ids,
                             .skill_certified = cert,
                             .n_skills = n};
  int64_t id;
  enum store_upsert what;
  ck_assert_int_eq(store_resident_upsert(s, &r, &id, &what), STORE_OK);
  ck_assert_int_eq(what, STORE_NEW);
  return id;
}

static int64_t add_vacancy(const char *code, int64_t employer, const char *vocation, int openings,
                           const char *must, const char *nice) {
  struct store_vacancy v = {.code = code,
                            .title = "Lowongan Uji",
                            .vocation = vocation,
                            .shift = "day",
                            .status = "open",
                            .posted_date = "2026-09-01",
                            .deadline = "2027-12-31",
                            .employer_id = employer,
                            .kelurahan_id = kel1,
                            .min_age = -1,
                            .max_age = -1,
                            .openings = openings,
                            .wage_monthly = 5500000};
  int64_t id;
  ck_assert_int_eq(store_vacancy_add(s, &v, &id), STORE_OK);
  const char *lists[2] = {must, nice}, *kinds[2] = {"must", "nice"};
  for (int k = 0; k < 2; k++)
    for (const char *c = lists[k]; c != NULL && *c != '\0';) {
      char skill[16];
      size_t len = strcspn(c, ";");
      snprintf(skill, sizeof skill, "%.*s", (int)len, c);
      ck_assert_int_eq(store_vacancy_skill_add(s, id, id_of(STORE_T_SKILLS, skill), kinds[k]),
                       STORE_OK);
      c += len + (c[len] == ';');
    }
  return id;
}

/* A referral made at created (ISO UTC) that then moves through the
 * "status@ISO-UTC" steps in order. */
static int64_t add_referral(int64_t resident, int64_t vacancy, const char *created,
                            const char *const *steps) {
  struct store_referral_new r = {.resident_id = resident,
                                 .vacancy_id = vacancy,
                                 .match_run_id = -1,
                                 .created_by = -1,
                                 .created_at = created,
                                 .fit = 70,
                                 .priority = 50,
                                 .rank_key = 90};
  int64_t id;
  ck_assert_int_eq(store_referral_add(s, &r, &id), STORE_OK);
  for (; steps != NULL && *steps != NULL; steps++) {
    char status[16];
    const char *at = strchr(*steps, '@');
    snprintf(status, sizeof status, "%.*s", (int)(at - *steps), *steps);
    ck_assert_int_eq(store_referral_set_status(s, id, status, -1, at + 1, NULL), STORE_OK);
  }
  return id;
}

static int64_t add_batch(int64_t course, int no, const char *start, const char *end) {
  struct store_batch b = {course, no, start, end, "finished", 16};
  int64_t id;
  ck_assert_int_eq(store_batch_add(s, &b, &id), STORE_OK);
  return id;
}

/* An enrolment through the API's own store call, then moved to status. */
static void enrol(int64_t batch_id, int64_t resident, const char *status, const char *end) {
  struct store_enrol e = {batch_id, resident, -1, "Disnaker", "2026-01-01", end};
  int64_t id;
  ck_assert_int_eq(store_enrol(s, &e, &id, NULL), STORE_OK);
  ck_assert_int_eq(store_enrolment_move(
                       s, id, status, strcmp(status, "dropped") == 0 ? "cancelled" : "ended", end),
                   STORE_OK);
}

/* ---- The scenario ----------------------------------------------------------------------- *
 *
 * Residents (kelurahan, sex, birth, desil, disability, work, school,
 * verified, skills; '*' certified).  On 2027-06-01 the eligible population
 * is R2, R5, R6, R11, R12 (5): R1, R3, R4 were hired through padan, R7
 * works, R8's verification is 366 days old, R9 turned 65 today, R10 is in
 * school; R6's unknown work status does not exclude, as in the engine;
 * R12 turns 65 tomorrow and was verified exactly 365 days ago.
 *
 *  R1  K1 L 1995-01-10 d1 none      unemployed          2027-01-15  GAR-001* GAR-002
 *  R2  K1 P 1990-05-05 d3 physical  unemployed          2026-12-01  GAR-001
 *  R3  K2 P 2000-03-03 d5 none      unemployed          2027-02-01  LOG-001*
 *  R4  K2 L 1985-07-07 d2 none      unemployed          2027-03-01  GAR-001 LOG-001
 *  R5  K3 P 1998-09-09 d7 none      unemployed          2027-04-01  GAR-002*
 *  R6  K1 L 1992-02-02 d4 (unknown) (unknown)           2027-05-01  -
 *  R7  K1 L 1993-03-03 d2 none      working             2027-01-01  GAR-001
 *  R8  K2 P 1994-04-04 d2 none      unemployed          2026-05-31  GAR-001
 *  R9  K1 L 1962-06-01 d2 none      unemployed          2027-01-01  GAR-001
 *  R10 K2 L 2008-08-08 d2 none      unemployed, school  2027-01-01  GAR-001
 *  R11 K2 L 2001-01-01 d1 sensory   unemployed          2027-05-20  GAR-001* LOG-001
 *  R12 K3 P 1962-06-02 d9 none      not in labour force 2026-06-01  LOG-001* LOG-002
 *
 * Employers: E1 TST-E1 'PT "Maju", Jaya' (garment), E2 TST-E2 (logistics).
 * Vacancies (deadline 2027-12-31):
 *  V1 E1 garment   3 openings  must GAR-001 GAR-002  nice GAR-003
 *  V2 E1 garment   2 openings  must GAR-001
 *  V3 E2 logistics 4 openings  must LOG-001          nice LOG-002
 * Priority kelurahan: K1 pinned on, K2 and K3 pinned off.
 *
 * Referrals (made at 02:00 UTC = 09:00 WIB unless noted; reached = the
 * furthest stage, 0 proposed .. 5 retained 6 months):
 *  F1 R1→V1 2026-10-05  confirmed 10-06, interviewed 10-08, hired 10-15,
 *                       retained_3m 2027-01-15, retained_6m 2027-04-15   reached 5, 10 days
 *  F2 R2→V1 2027-01-11  confirmed 01-12, interviewed 01-16, rejected 01-18   reached 2
 *  F3 R4→V2 2027-02-01  confirmed 02-02, interviewed 02-05, hired 02-16   reached 3, 15 days
 *  F4 R3→V3 2027-02-10  confirmed 02-11, hired 2027-03-04T20:00Z (= 03-05 WIB)
 *                       (no interview recorded: still counts as interviewed)  reached 3, 23 days
 *  F5 R5→V3 2027-02-28T18:00Z (= 03-01 WIB), still proposed              reached 0
 *  F6 R6→V3 2027-03-05  withdrawn 03-06                                   reached 0
 *  F7 R5→V1 2027-03-12  left, its events lost: by the status alone it was
 *                       hired, with no hire date                           reached 3, undated
 *
 * Courses: TST-C01 (garment; teaches GAR-001, GAR-002), TST-C02 (logistics;
 * teaches LOG-001).
 *  C01 b1 2025-01-06..2025-03-28 seeded 10/8/6/4 (footwear 2, garment 2), no enrolments
 *  C01 b2 2026-01-05..2026-04-24 seeded 12/10/9/5 (garment 5); R3 completed
 *  C01 b3 2026-06-01..2026-09-25 R1 certified, R2 completed, R4 completed, R6 dropped
 *  C01 b4 2027-01-04..2027-03-26 R5 completed
 *  C02 b1 2026-06-01..2026-08-28 R1 completed
 */
static void build_scenario(void) {
  kel1 = id_of(STORE_T_KELURAHAN, K1);
  kel2 = id_of(STORE_T_KELURAHAN, K2);
  kel3 = id_of(STORE_T_KELURAHAN, K3);
  ck_assert_int_eq(store_kelurahan_pin(s, kel1, 1), STORE_OK);
  ck_assert_int_eq(store_kelurahan_pin(s, kel2, 0), STORE_OK);
  ck_assert_int_eq(store_kelurahan_pin(s, kel3, 0), STORE_OK);

  const char *U = "unemployed", *N = "not_in_school";
  const struct person people[13] = {
      {0},
      {&kel1, 'L', "1995-01-10", 1, "none", U, N, "2027-01-15", "GAR-001*;GAR-002"},
      {&kel1, 'P', "1990-05-05", 3, "physical", U, N, "2026-12-01", "GAR-001"},
      {&kel2, 'P', "2000-03-03", 5, "none", U, N, "2027-02-01", "LOG-001*"},
      {&kel2, 'L', "1985-07-07", 2, "none", U, N, "2027-03-01", "GAR-001;LOG-001"},
      {&kel3, 'P', "1998-09-09", 7, "none", U, N, "2027-04-01", "GAR-002*"},
      {&kel1, 'L', "1992-02-02", 4, NULL, NULL, N, "2027-05-01", ""},
      {&kel1, 'L', "1993-03-03", 2, "none", "working", N, "2027-01-01", "GAR-001"},
      {&kel2, 'P', "1994-04-04", 2, "none", U, N, "2026-05-31", "GAR-001"},
      {&kel1, 'L', "1962-06-01", 2, "none", U, N, "2027-01-01", "GAR-001"},
      {&kel2, 'L', "2008-08-08", 2, "none", U, "in_school", "2027-01-01", "GAR-001"},
      {&kel2, 'L', "2001-01-01", 1, "sensory", U, N, "2027-05-20", "GAR-001*;LOG-001"},
      {&kel3, 'P', "1962-06-02", 9, "none", "not_in_labour_force", N, "2026-06-01",
       "LOG-001*;LOG-002"},
  };
  for (int i = 1; i <= 12; i++)
    res[i] = add_person(i, &people[i]);

  struct store_employer e1 = {"TST-E1", "PT \"Maju\", Jaya", "garment", NULL, kel1, 120, 1};
  struct store_employer e2 = {"TST-E2", "CV Sentosa Logistik", "logistics", NULL, kel2, 40, 1};
  ck_assert_int_eq(store_employer_add(s, &e1, &emp1), STORE_OK);
  ck_assert_int_eq(store_employer_add(s, &e2, &emp2), STORE_OK);
  vac1 = add_vacancy("TST-V1", emp1, "garment", 3, "GAR-001;GAR-002", "GAR-003");
  vac2 = add_vacancy("TST-V2", emp1, "garment", 2, "GAR-001", NULL);
  vac3 = add_vacancy("TST-V3", emp2, "logistics", 4, "LOG-001", "LOG-002");

  const char *f1[] = {"confirmed@2026-10-06T02:00:00Z",   "interviewed@2026-10-08T02:00:00Z",
                      "hired@2026-10-15T02:00:00Z",       "retained_3m@2027-01-15T02:00:00Z",
                      "retained_6m@2027-04-15T02:00:00Z", NULL};
  const char *f2[] = {"confirmed@2027-01-12T02:00:00Z", "interviewed@2027-01-16T02:00:00Z",
                      "rejected@2027-01-18T02:00:00Z", NULL};
  const char *f3[] = {"confirmed@2027-02-02T02:00:00Z", "interviewed@2027-02-05T02:00:00Z",
                      "hired@2027-02-16T02:00:00Z", NULL};
  const char *f4[] = {"confirmed@2027-02-11T02:00:00Z", "hired@2027-03-04T20:00:00Z", NULL};
  const char *f6[] = {"withdrawn@2027-03-06T02:00:00Z", NULL};
  const char *f7[] = {"left@2027-03-20T02:00:00Z", NULL};
  refl[1] = add_referral(res[1], vac1, "2026-10-05T02:00:00Z", f1);
  refl[2] = add_referral(res[2], vac1, "2027-01-11T02:00:00Z", f2);
  refl[3] = add_referral(res[4], vac2, "2027-02-01T02:00:00Z", f3);
  refl[4] = add_referral(res[3], vac3, "2027-02-10T02:00:00Z", f4);
  refl[5] = add_referral(res[5], vac3, "2027-02-28T18:00:00Z", NULL);
  refl[6] = add_referral(res[6], vac3, "2027-03-05T02:00:00Z", f6);
  refl[7] = add_referral(res[5], vac1, "2027-03-12T02:00:00Z", f7);
  char sql[128];
  snprintf(sql, sizeof sql, "DELETE FROM referral_events WHERE referral_id = %lld",
           (long long)refl[7]);
  raw_exec(sql);

  struct store_course c1 = {"TST-C01", "Menjahit Uji", "garment", NULL, 200, 16};
  struct store_course c2 = {"TST-C02", "Forklift Uji", "logistics", NULL, 160, 16};
  int64_t course1, course2;
  ck_assert_int_eq(store_course_add(s, &c1, &course1), STORE_OK);
  ck_assert_int_eq(store_course_add(s, &c2, &course2), STORE_OK);
  ck_assert_int_eq(store_course_skill_add(s, course1, id_of(STORE_T_SKILLS, "GAR-001")), STORE_OK);
  ck_assert_int_eq(store_course_skill_add(s, course1, id_of(STORE_T_SKILLS, "GAR-002")), STORE_OK);
  ck_assert_int_eq(store_course_skill_add(s, course2, id_of(STORE_T_SKILLS, "LOG-001")), STORE_OK);
  batch[1] = add_batch(course1, 1, "2025-01-06", "2025-03-28");
  batch[2] = add_batch(course1, 2, "2026-01-05", "2026-04-24");
  batch[3] = add_batch(course1, 3, "2026-06-01", "2026-09-25");
  batch[4] = add_batch(course1, 4, "2027-01-04", "2027-03-26");
  batch[5] = add_batch(course2, 1, "2026-06-01", "2026-08-28");
  struct store_outcome o1 = {batch[1], "seeded", 10, 8, 6, 4};
  struct store_outcome o2 = {batch[2], "seeded", 12, 10, 9, 5};
  ck_assert_int_eq(store_outcome_put(s, &o1), STORE_OK);
  ck_assert_int_eq(store_outcome_put(s, &o2), STORE_OK);
  ck_assert_int_eq(store_outcome_sector_put(s, batch[1], "seeded", "garment", 2), STORE_OK);
  ck_assert_int_eq(store_outcome_sector_put(s, batch[1], "seeded", "footwear", 2), STORE_OK);
  ck_assert_int_eq(store_outcome_sector_put(s, batch[2], "seeded", "garment", 5), STORE_OK);
  enrol(batch[2], res[3], "completed", "2026-04-24");
  enrol(batch[3], res[1], "certified", "2026-09-25");
  enrol(batch[3], res[2], "completed", "2026-09-25");
  enrol(batch[3], res[4], "completed", "2026-09-25");
  enrol(batch[3], res[6], "dropped", "2026-09-25");
  enrol(batch[4], res[5], "completed", "2027-03-26");
  enrol(batch[5], res[1], "completed", "2026-08-28");
}

static void setup(void) {
  dir = tu_tmpdir();
  snprintf(path, sizeof path, "%s/padan.db", dir);
  char err[256] = "";
  ck_assert_msg(store_open(path, &s, err, sizeof err) == STORE_OK, "store_open: %s", err);
  int loaded = 0;
  ck_assert_msg(seeds_load(s, &loaded, err, sizeof err) == 0, "seeds_load: %s", err);
  build_scenario();
}

static void teardown(void) {
  store_close(s);
  s = NULL;
  tu_rmtree(dir);
  free(dir);
}

/* ---- Reading a report --------------------------------------------------------------------- */

static json_t *run_json(enum rep_kind kind, const struct rep_query *q) {
  struct rep_table *t = NULL;
  struct rep_error err = {0};
  int rc = rep_run(s, kind, q, &t, &err);
  ck_assert_msg(rc == REP_OK, "report %s: %d (%s)", rep_kind_name(kind), rc,
                err.field ? err.field : "-");
  json_t *j = rep_table_json(t);
  ck_assert_ptr_nonnull(j);
  rep_table_free(t);
  return j;
}

static char *run_csv(enum rep_kind kind, const struct rep_query *q) {
  struct rep_table *t = NULL;
  ck_assert_int_eq(rep_run(s, kind, q, &t, NULL), REP_OK);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(rep_table_csv(t, f), 0);
  fclose(f);
  rep_table_free(t);
  return buf;
}

/* The row whose key column holds value (NULL: a null key). */
static json_t *row_by(json_t *j, const char *key, const char *value) {
  size_t i;
  json_t *row;
  json_array_foreach(json_object_get(j, "rows"), i, row) {
    json_t *k = json_object_get(row, key);
    if (value == NULL ? json_is_null(k)
                      : json_is_string(k) && strcmp(json_string_value(k), value) == 0)
      return row;
  }
  ck_abort_msg("no row with %s = %s", key, value ? value : "null");
  return NULL;
}

static void expect_int(json_t *row, const char *key, int64_t want) {
  json_t *v = json_object_get(row, key);
  ck_assert_msg(json_is_integer(v), "%s is not an integer", key);
  ck_assert_msg(json_integer_value(v) == want, "%s: %lld, expected %lld", key,
                (long long)json_integer_value(v), (long long)want);
}

/* A number rounded to 4 decimals, or null when want is NA. */
static void expect_num(json_t *row, const char *key, double want) {
  json_t *v = json_object_get(row, key);
  if (want == NA) {
    ck_assert_msg(json_is_null(v), "%s should be null", key);
    return;
  }
  ck_assert_msg(json_is_number(v), "%s is not a number", key);
  ck_assert_msg(fabs(json_number_value(v) - want) < 1e-9, "%s: %.6f, expected %.6f", key,
                json_number_value(v), want);
}

static void expect_text(json_t *row, const char *key, const char *want) {
  json_t *v = json_object_get(row, key);
  if (want == NULL) {
    ck_assert_msg(json_is_null(v), "%s should be null", key);
    return;
  }
  ck_assert_msg(json_is_string(v), "%s is not a string", key);
  ck_assert_str_eq(json_string_value(v), want);
}

/* One funnel row: proposed, confirmed, interviewed, hired, retained_3m,
 * retained_6m, rejected, withdrawn, left; hire rate; dated hires; median. */
struct fun {
  int64_t n[9];
  double rate;
  int64_t dated;
  double median;
};

static void expect_funnel(json_t *row, struct fun f) {
  static const char *const keys[9] = {"proposed", "confirmed",   "interviewed",
                                      "hired",    "retained_3m", "retained_6m",
                                      "rejected", "withdrawn",   "left"};
  for (int i = 0; i < 9; i++)
    expect_int(row, keys[i], f.n[i]);
  expect_num(row, "hire_rate", f.rate);
  expect_int(row, "hires_with_date", f.dated);
  expect_num(row, "median_days_to_hire", f.median);
}

static size_t n_rows(json_t *j) {
  return json_array_size(json_object_get(j, "rows"));
}

static struct rep_query query(void) {
  struct rep_query q;
  rep_query_init(&q);
  q.today = TODAY;
  return q;
}

/* The whole city's total: 7 referrals, reached 5, 2, 3, 3, 0, 0, 3.
 * proposed 7; confirmed (≥1) F1 F2 F3 F4 F7 = 5; interviewed (≥2) the
 * same 5; hired (≥3) F1 F3 F4 F7 = 4; retained_3m, _6m F1 = 1, 1; current
 * rejected F2, withdrawn F6, left F7 = 1 each; hire rate 4/7 = 0.5714;
 * dated hires 10, 15, 23 (F7 has no date): 3, median 15 (odd count). */
static const struct fun CITY_TOTAL = {{7, 5, 5, 4, 1, 1, 1, 1, 1}, 0.5714, 3, 15};

/* ---- Funnel ------------------------------------------------------------------------------- */

START_TEST(funnel_by_kelurahan_and_kecamatan) {
  struct rep_query q = query();
  json_t *j = run_json(REP_FUNNEL, &q);
  /* K2 Cimone: F3 (3), F4 (3): 2 2 2 2 0 0 0 0 0; rate 2/2 = 1; dated 15,
   * 23: median (15 + 23) / 2 = 19 (even count) */
  ck_assert_uint_eq(n_rows(j), 3);
  json_t *r = row_by(j, "kelurahan_code", K2);
  expect_text(r, "kelurahan_name", "Cimone");
  expect_funnel(r, (struct fun){{2, 2, 2, 2, 0, 0, 0, 0, 0}, 1, 2, 19});
  /* K1 Neglasari: F1 (5), F2 (2), F6 (0): proposed 3, confirmed 2,
   * interviewed 2, hired 1, retained 1 and 1, rejected 1, withdrawn 1; rate
   * 1/3 = 0.3333; dated 10: median 10 */
  expect_funnel(row_by(j, "kelurahan_code", K1),
                (struct fun){{3, 2, 2, 1, 1, 1, 1, 1, 0}, 0.3333, 1, 10});
  /* K3 Karang Sari: F5 (0), F7 (3): 2 1 1 1 0 0 0 0 1; rate 0.5; no dated
   * hire: median null */
  expect_funnel(row_by(j, "kelurahan_code", K3),
                (struct fun){{2, 1, 1, 1, 0, 0, 0, 0, 1}, 0.5, 0, NA});
  /* rows in code order: 36.71.07.1005 < 36.71.10.1001 < 36.71.10.1002 */
  json_t *rows = json_object_get(j, "rows");
  expect_text(json_array_get(rows, 0), "kelurahan_code", K2);
  expect_text(json_array_get(rows, 1), "kelurahan_code", K1);
  expect_text(json_array_get(rows, 2), "kelurahan_code", K3);
  expect_funnel(json_object_get(j, "total"), CITY_TOTAL);
  expect_text(json_object_get(j, "total"), "kelurahan_name", "Total");
  expect_text(j, "report", "funnel");
  expect_text(j, "by", "kelurahan");
  json_decref(j);

  /* Kecamatan: Karawaci = K2's row; Neglasari = K1 + K3: F1 F2 F6 F5 F7:
   * 5 3 3 2 1 1 1 1 1; rate 2/5 = 0.4; dated 10: median 10 */
  q.by = REP_BY_KECAMATAN;
  j = run_json(REP_FUNNEL, &q);
  ck_assert_uint_eq(n_rows(j), 2);
  expect_text(row_by(j, "kecamatan_code", "36.71.07"), "kecamatan_name", "Karawaci");
  expect_funnel(row_by(j, "kecamatan_code", "36.71.07"),
                (struct fun){{2, 2, 2, 2, 0, 0, 0, 0, 0}, 1, 2, 19});
  expect_funnel(row_by(j, "kecamatan_code", "36.71.10"),
                (struct fun){{5, 3, 3, 2, 1, 1, 1, 1, 1}, 0.4, 1, 10});
  expect_funnel(json_object_get(j, "total"), CITY_TOTAL);
  json_decref(j);
}
END_TEST

START_TEST(funnel_by_sector_employer_and_course) {
  struct rep_query q = query();
  /* garment = V1 V2: F1 (5), F2 (2), F7 (3), F3 (3): 4 4 4 3 1 1 1 0 1;
   * rate 3/4 = 0.75; dated 10, 15: median 12.5 (even count) */
  const struct fun garment = {{4, 4, 4, 3, 1, 1, 1, 0, 1}, 0.75, 2, 12.5};
  /* logistics = V3: F4 (3), F5 (0), F6 (0): 3 1 1 1 0 0 0 1 0; rate 1/3;
   * dated 23: median 23 */
  const struct fun logistics = {{3, 1, 1, 1, 0, 0, 0, 1, 0}, 0.3333, 1, 23};
  q.by = REP_BY_SECTOR;
  json_t *j = run_json(REP_FUNNEL, &q);
  ck_assert_uint_eq(n_rows(j), 2);
  expect_funnel(row_by(j, "sector_code", "garment"), garment);
  expect_funnel(row_by(j, "sector_code", "logistics"), logistics);
  expect_funnel(json_object_get(j, "total"), CITY_TOTAL);
  json_decref(j);

  /* employers: E1 has V1 V2 (garment), E2 has V3 (logistics) */
  q.by = REP_BY_EMPLOYER;
  j = run_json(REP_FUNNEL, &q);
  ck_assert_uint_eq(n_rows(j), 2);
  expect_text(row_by(j, "employer_code", "TST-E1"), "employer_name", "PT \"Maju\", Jaya");
  expect_funnel(row_by(j, "employer_code", "TST-E1"), garment);
  expect_funnel(row_by(j, "employer_code", "TST-E2"), logistics);
  json_decref(j);

  /* Courses completed before the referral: TST-C01 — R1 (b3 ended
   * 2026-09-25, F1 made 10-05), R2 (F2), R4 (F3), R3 (b2 ended 2026-04-24,
   * F4); TST-C02 — R1 (ended 2026-08-28, F1); R5's course ended 2027-03-26,
   * after F5 and F7, and R6 dropped out: no course.
   * TST-C01: F1 F2 F3 F4 = 4 4 4 3 1 1 1 0 0; rate 0.75; dated 10 15 23:
   * median 15.  TST-C02: F1 = 1 1 1 1 1 1 0 0 0; rate 1; median 10.
   * none: F5 F6 F7 = 3 1 1 1 0 0 0 1 1; rate 1/3; undated: null.
   * F1 counts under both courses, but once in the total. */
  q.by = REP_BY_COURSE;
  j = run_json(REP_FUNNEL, &q);
  ck_assert_uint_eq(n_rows(j), 3);
  expect_text(row_by(j, "course_code", "TST-C01"), "course_name", "Menjahit Uji");
  expect_funnel(row_by(j, "course_code", "TST-C01"),
                (struct fun){{4, 4, 4, 3, 1, 1, 1, 0, 0}, 0.75, 3, 15});
  expect_funnel(row_by(j, "course_code", "TST-C02"),
                (struct fun){{1, 1, 1, 1, 1, 1, 0, 0, 0}, 1, 1, 10});
  json_t *none = row_by(j, "course_code", NULL);
  expect_text(none, "course_name", "Tanpa pelatihan BLK / No BLK course");
  expect_funnel(none, (struct fun){{3, 1, 1, 1, 0, 0, 0, 1, 1}, 0.3333, 0, NA});
  /* the group without a course comes last */
  ck_assert_ptr_eq(json_array_get(json_object_get(j, "rows"), 2), none);
  expect_funnel(json_object_get(j, "total"), CITY_TOTAL);
  json_decref(j);
}
END_TEST

START_TEST(funnel_date_range_uses_local_dates) {
  struct rep_query q = query();
  /* January and February 2027 (WIB): F2, F3, F4.  F5 was made at 18:00
   * UTC on 28 February, 01:00 on 1 March in Tangerang: outside.
   * K2: F3 (3), F4 (3) = 2 2 2 2 0 0 0 0 0; rate 1; median (15 + 23) / 2.
   * K1: F2 (2) = 1 1 1 0 0 0 1 0 0; rate 0; no dated hire.
   * Total 3 3 3 2 0 0 1 0 0; rate 2/3 = 0.6667; median 19. */
  q.from = "2027-01-01";
  q.to = "2027-02-28";
  json_t *j = run_json(REP_FUNNEL, &q);
  ck_assert_uint_eq(n_rows(j), 2);
  expect_funnel(row_by(j, "kelurahan_code", K2),
                (struct fun){{2, 2, 2, 2, 0, 0, 0, 0, 0}, 1, 2, 19});
  expect_funnel(row_by(j, "kelurahan_code", K1),
                (struct fun){{1, 1, 1, 0, 0, 0, 1, 0, 0}, 0, 0, NA});
  expect_funnel(json_object_get(j, "total"),
                (struct fun){{3, 3, 3, 2, 0, 0, 1, 0, 0}, 0.6667, 2, 19});
  expect_text(j, "from", "2027-01-01");
  json_decref(j);

  /* 1 March alone holds F5 only (F6 is 5 March, F7 12 March) */
  q.from = q.to = "2027-03-01";
  j = run_json(REP_FUNNEL, &q);
  ck_assert_uint_eq(n_rows(j), 1);
  expect_funnel(json_object_get(j, "total"), (struct fun){{1, 0, 0, 0, 0, 0, 0, 0, 0}, 0, 0, NA});
  json_decref(j);

  /* a range with no referral: no rows, a total of zeros */
  q.from = q.to = "2030-01-01";
  j = run_json(REP_FUNNEL, &q);
  ck_assert_uint_eq(n_rows(j), 0);
  expect_funnel(json_object_get(j, "total"), (struct fun){{0}, NA, 0, NA});
  json_decref(j);
}
END_TEST

START_TEST(funnel_scope_desk_and_employer) {
  struct rep_query q = query();
  /* a K2 desk: its residents' referrals F3 and F4 only */
  q.scope.kelurahan_id = kel2;
  json_t *j = run_json(REP_FUNNEL, &q);
  ck_assert_uint_eq(n_rows(j), 1);
  expect_funnel(row_by(j, "kelurahan_code", K2),
                (struct fun){{2, 2, 2, 2, 0, 0, 0, 0, 0}, 1, 2, 19});
  expect_funnel(json_object_get(j, "total"), (struct fun){{2, 2, 2, 2, 0, 0, 0, 0, 0}, 1, 2, 19});
  expect_int(json_object_get(j, "scope"), "kelurahan_id", kel2);
  json_decref(j);

  /* employer E1: referrals to V1 and V2 only — F1 F2 (K1), F3 (K2), F7 (K3).
   * K2: F3 = 1 1 1 1 0 0 0 0 0, rate 1, median 15.  K1: F1 (5), F2 (2) =
   * 2 2 2 1 1 1 1 0 0, rate 0.5, median 10.  K3: F7 = 1 1 1 1 0 0 0 0 1,
   * rate 1, undated. */
  q.scope = (struct rep_scope){-1, emp1};
  j = run_json(REP_FUNNEL, &q);
  ck_assert_uint_eq(n_rows(j), 3);
  expect_funnel(row_by(j, "kelurahan_code", K2),
                (struct fun){{1, 1, 1, 1, 0, 0, 0, 0, 0}, 1, 1, 15});
  expect_funnel(row_by(j, "kelurahan_code", K1),
                (struct fun){{2, 2, 2, 1, 1, 1, 1, 0, 0}, 0.5, 1, 10});
  expect_funnel(row_by(j, "kelurahan_code", K3),
                (struct fun){{1, 1, 1, 1, 0, 0, 0, 0, 1}, 1, 0, NA});
  expect_funnel(json_object_get(j, "total"),
                (struct fun){{4, 4, 4, 3, 1, 1, 1, 0, 1}, 0.75, 2, 12.5});
  json_decref(j);

  /* E2 grouped by employer sees only itself */
  q.scope = (struct rep_scope){-1, emp2};
  q.by = REP_BY_EMPLOYER;
  j = run_json(REP_FUNNEL, &q);
  ck_assert_uint_eq(n_rows(j), 1);
  expect_text(json_array_get(json_object_get(j, "rows"), 0), "employer_code", "TST-E2");
  json_decref(j);
}
END_TEST

START_TEST(funnel_csv_is_byte_exact) {
  struct rep_query q = query();
  /* E1's referrals made in February: F3 only (F4 went to E2): 1 1 1 1 0 0
   * 0 0 0, rate 1, one dated hire of 15 days.  The name holds a comma and
   * quotes, so it is quoted with its quotes doubled. */
  q.by = REP_BY_EMPLOYER;
  q.scope = (struct rep_scope){-1, emp1};
  q.from = "2027-02-01";
  q.to = "2027-02-28";
  char *csv = run_csv(REP_FUNNEL, &q);
  ck_assert_str_eq(csv, "level,employer_code,employer_name,proposed,confirmed,interviewed,hired,"
                        "retained_3m,retained_6m,rejected,withdrawn,left,hire_rate,"
                        "hires_with_date,median_days_to_hire\r\n"
                        "group,TST-E1,\"PT \"\"Maju\"\", Jaya\",1,1,1,1,0,0,0,0,0,1,1,15\r\n"
                        "total,,Total,1,1,1,1,0,0,0,0,0,1,1,15\r\n");
  free(csv);

  /* The January–February funnel by kelurahan: a share with decimals and
   * an unknown median as an empty field. */
  q.by = REP_BY_KELURAHAN;
  q.scope = (struct rep_scope){-1, -1};
  q.from = "2027-01-01";
  csv = run_csv(REP_FUNNEL, &q);
  ck_assert_str_eq(csv, "level,kelurahan_code,kelurahan_name,proposed,confirmed,interviewed,hired,"
                        "retained_3m,retained_6m,rejected,withdrawn,left,hire_rate,"
                        "hires_with_date,median_days_to_hire\r\n"
                        "group,36.71.07.1005,Cimone,2,2,2,2,0,0,0,0,0,1,2,19\r\n"
                        "group,36.71.10.1001,Neglasari,1,1,1,0,0,0,1,0,0,0,0,\r\n"
                        "total,,Total,3,3,3,2,0,0,1,0,0,0.6667,2,19\r\n");
  free(csv);
}
END_TEST

START_TEST(query_errors_name_the_parameter) {
  struct rep_query q = query();
  struct rep_table *t = NULL;
  struct rep_error err = {0};
  q.from = "2027-02-30";
  ck_assert_int_eq(rep_run(s, REP_FUNNEL, &q, &t, &err), REP_EINVAL);
  ck_assert_str_eq(err.field, "from");
  ck_assert_ptr_null(t);
  q.from = "2027-3-01";
  ck_assert_int_eq(rep_run(s, REP_FUNNEL, &q, &t, &err), REP_EINVAL);
  q.from = "2027-03-02";
  q.to = "2027-03-01";
  ck_assert_int_eq(rep_run(s, REP_FUNNEL, &q, &t, &err), REP_EINVAL);
  ck_assert_str_eq(err.field, "to");
  ck_assert_str_eq(err.code, "range");
  q = query();
  q.vocation = "astronaut";
  ck_assert_int_eq(rep_run(s, REP_SKILLS_GAP, &q, &t, &err), REP_EINVAL);
  ck_assert_str_eq(err.field, "vocation");
  ck_assert_ptr_nonnull(err.message_id);
  ck_assert_ptr_nonnull(err.message_en);

  enum rep_by by;
  enum rep_kind kind;
  ck_assert_int_eq(rep_by_parse("sector", &by), 0);
  ck_assert_int_eq(by, REP_BY_SECTOR);
  ck_assert_int_eq(rep_by_parse("desil", &by), -1);
  ck_assert_int_eq(rep_kind_parse("skills-gap", &kind), 0);
  ck_assert_int_eq(kind, REP_SKILLS_GAP);
  ck_assert_int_eq(rep_kind_parse("metrics", &kind), -1);
  for (int k = REP_FUNNEL; k <= REP_TARGETING; k++) {
    ck_assert_int_eq(rep_kind_parse(rep_kind_name((enum rep_kind)k), &kind), 0);
    ck_assert_int_eq(kind, k);
  }
}
END_TEST

/* ---- Skills gap -------------------------------------------------------------------------- */

struct gap {
  const char *code;
  int64_t must, nice, supply, cert, gap;
  const char *courses;
};

static void expect_gaps(json_t *j, const struct gap *want, size_t n) {
  json_t *rows = json_object_get(j, "rows");
  ck_assert_uint_eq(json_array_size(rows), n);
  for (size_t i = 0; i < n; i++) {
    json_t *r = json_array_get(rows, i);
    expect_text(r, "skill_code", want[i].code);
    expect_int(r, "demand_must", want[i].must);
    expect_int(r, "demand_nice", want[i].nice);
    expect_int(r, "supply", want[i].supply);
    expect_int(r, "supply_certified", want[i].cert);
    expect_int(r, "gap", want[i].gap);
    expect_text(r, "courses", want[i].courses);
  }
}

#define C_GAR001 "BLK-JHT-01;BLK-JHT-02;BLK-SPT-01;TST-C01"
#define C_GAR002 "BLK-JHT-01;BLK-JHT-02;TST-C01"
#define C_GAR003 "BLK-JHT-01"
#define C_LOG001 "BLK-FKL-01;TST-C02"
#define C_LOG002 "BLK-FKL-01"

START_TEST(skills_gap_city_desk_and_employer) {
  /* Openings still to fill: V1 3 − 1 hired (F1; F7 left) = 2; V2 2 − 1
   * (F3) = 1; V3 4 − 1 (F4) = 3.  Demand: GAR-001 must V1 2 + V2 1 = 3;
   * GAR-002 must 2; GAR-003 nice 2; LOG-001 must 3; LOG-002 nice 3.
   * Supply among R2 R5 R6 R11 R12: GAR-001 R2, R11* = 2 (1 certified);
   * GAR-002 R5* = 1 (1); LOG-001 R11, R12* = 2 (1); LOG-002 R12 = 1 (0).
   * The excluded R7–R10 all have GAR-001 and count for nothing.
   * Gap = must − supply: 1, 1, 0, 1, −1; by gap, then code. */
  const struct gap city[] = {{"GAR-001", 3, 0, 2, 1, 1, C_GAR001},
                             {"GAR-002", 2, 0, 1, 1, 1, C_GAR002},
                             {"LOG-001", 3, 0, 2, 1, 1, C_LOG001},
                             {"GAR-003", 0, 2, 0, 0, 0, C_GAR003},
                             {"LOG-002", 0, 3, 1, 0, -1, C_LOG002}};
  struct rep_query q = query();
  json_t *j = run_json(REP_SKILLS_GAP, &q);
  expect_gaps(j, city, 5);
  expect_text(json_array_get(json_object_get(j, "rows"), 0), "vocation", "garment");
  expect_text(json_array_get(json_object_get(j, "rows"), 0), "skill_name_en",
              "Sewing with an industrial sewing machine");
  json_decref(j);

  /* one vocation */
  q.vocation = "logistics";
  j = run_json(REP_SKILLS_GAP, &q);
  expect_gaps(j, (const struct gap[]){city[2], city[4]}, 2);
  json_decref(j);

  /* a K2 desk: supply from K2's eligible residents, R11 alone (GAR-001*,
   * LOG-001); demand stays the city's.  Gaps: GAR-001 3 − 1 = 2, GAR-002
   * 2 − 0 = 2, LOG-001 3 − 1 = 2, GAR-003 0 − 0 = 0, LOG-002 0 − 0 = 0
   * (its demand is nice-to-have only). */
  q = query();
  q.scope.kelurahan_id = kel2;
  j = run_json(REP_SKILLS_GAP, &q);
  expect_gaps(j,
              (const struct gap[]){{"GAR-001", 3, 0, 1, 1, 2, C_GAR001},
                                   {"GAR-002", 2, 0, 0, 0, 2, C_GAR002},
                                   {"LOG-001", 3, 0, 1, 0, 2, C_LOG001},
                                   {"GAR-003", 0, 2, 0, 0, 0, C_GAR003},
                                   {"LOG-002", 0, 3, 0, 0, 0, C_LOG002}},
              5);
  json_decref(j);

  /* employer E2: demand from V3 only (LOG-001 must 3, LOG-002 nice 3);
   * supply is the city's.  GAR-003 has neither and drops out.
   * LOG-001 3−2 = 1; GAR-002 0−1 = −1; LOG-002 0−1 = −1; GAR-001 0−2 = −2 */
  q = query();
  q.scope.employer_id = emp2;
  j = run_json(REP_SKILLS_GAP, &q);
  expect_gaps(j,
              (const struct gap[]){{"LOG-001", 3, 0, 2, 1, 1, C_LOG001},
                                   {"GAR-002", 0, 0, 1, 1, -1, C_GAR002},
                                   {"LOG-002", 0, 3, 1, 0, -1, C_LOG002},
                                   {"GAR-001", 0, 0, 2, 1, -2, C_GAR001}},
              4);
  json_decref(j);

  /* a day later R12 is 65 and her verification is 366 days old: LOG-001
   * supply 1 (R11), LOG-002 none */
  q = query();
  q.today = "2027-06-02";
  q.vocation = "logistics";
  j = run_json(REP_SKILLS_GAP, &q);
  expect_gaps(j,
              (const struct gap[]){{"LOG-001", 3, 0, 1, 0, 2, C_LOG001},
                                   {"LOG-002", 0, 3, 0, 0, 0, C_LOG002}},
              2);
  json_decref(j);
}
END_TEST

/* ---- Targeting ---------------------------------------------------------------------------- */

/* Counts per stage of poor, extreme_poor, priority_kelurahan, male,
 * female, disability, no_disability, then the stage's total. */
struct tg {
  const char *stage;
  int64_t g[7], n;
};

static void expect_targeting(json_t *j, const struct tg *want, size_t n_stages) {
  static const char *const groups[7] = {"poor",   "extreme_poor", "priority_kelurahan", "male",
                                        "female", "disability",   "no_disability"};
  json_t *rows = json_object_get(j, "rows");
  ck_assert_uint_eq(json_array_size(rows), 5 * 7);
  for (size_t st = 0; st < n_stages; st++)
    for (size_t g = 0; g < 7; g++) {
      json_t *r = json_array_get(rows, st * 7 + g);
      const struct tg *e = &want[0], *w = &want[st];
      expect_text(r, "stage", w->stage);
      expect_text(r, "group", groups[g]);
      expect_int(r, "count", w->g[g]);
      expect_int(r, "stage_total", w->n);
      expect_int(r, "eligible_count", e->g[g]);
      double share = w->n ? (double)w->g[g] / (double)w->n : NA;
      double eshare = e->n ? (double)e->g[g] / (double)e->n : NA;
      expect_num(r, "share", share == NA ? NA : round(share * 1e4) / 1e4);
      expect_num(r, "eligible_share", eshare == NA ? NA : round(eshare * 1e4) / 1e4);
      double ratio = share == NA || eshare == NA || e->g[g] == 0 ? NA : share / eshare;
      expect_num(r, "ratio", ratio == NA ? NA : round(ratio * 1e4) / 1e4);
    }
}

START_TEST(targeting_shares_by_stage) {
  /* Eligible R2 R5 R6 R11 R12 = 5: poor (desil ≤ 4) R2 R6 R11 = 3; extreme
   * (desil 1) R11 = 1; priority (K1) R2 R6 = 2; male R6 R11 = 2; female
   * R2 R5 R12 = 3; disability R2 R11 = 2; none R5 R12 = 2 (R6 unknown).
   * Proposed (any referral): R1..R6 = 6: poor R1 R2 R4 R6 = 4, extreme R1,
   * priority R1 R2 R6 = 3, male R1 R4 R6 = 3, female 3, disability R2,
   * none R1 R3 R4 R5 = 4.
   * Referred (confirmed or further, R5 through F7): R1..R5 = 5: poor R1 R2
   * R4 = 3, extreme 1, priority R1 R2 = 2, male R1 R4 = 2, female R2 R3
   * R5 = 3, disability R2 = 1, none R1 R3 R4 R5 = 4.
   * Hired: R1 R3 R4 R5 = 4: poor R1 R4 = 2, extreme 1, priority R1, male 2,
   * female 2, disability 0, none 4.
   * Retained: R1: 1 1 1 1 0 0 1.
   * So e.g. the hired are 2/4 = 0.5 poor against 3/5 = 0.6 of the eligible:
   * ratio 0.8333; 1/4 extreme poor against 1/5: 1.25. */
  const struct tg want[5] = {{"eligible", {3, 1, 2, 2, 3, 2, 2}, 5},
                             {"proposed", {4, 1, 3, 3, 3, 1, 4}, 6},
                             {"referred", {3, 1, 2, 2, 3, 1, 4}, 5},
                             {"hired", {2, 1, 1, 2, 2, 0, 4}, 4},
                             {"retained", {1, 1, 1, 1, 0, 0, 1}, 1}};
  struct rep_query q = query();
  json_t *j = run_json(REP_TARGETING, &q);
  expect_targeting(j, want, 5);
  /* spot checks of the arithmetic above, written out */
  json_t *rows = json_object_get(j, "rows");
  expect_num(json_array_get(rows, 3 * 7 + 0), "ratio", 0.8333);
  expect_num(json_array_get(rows, 3 * 7 + 1), "ratio", 1.25);
  expect_num(json_array_get(rows, 1 * 7 + 0), "share", 0.6667);
  expect_num(json_array_get(rows, 1 * 7 + 0), "ratio", 1.1111);
  expect_int(j, "desil_poor", 4);
  json_decref(j);

  /* Referrals made in January–February: F2 (R2), F3 (R4), F4 (R3).
   * Proposed = referred = R2 R3 R4: poor R2 R4 = 2, extreme 0, priority
   * R2 = 1, male R4 = 1, female 2, disability R2 = 1, none 2.  Hired R3
   * R4: poor 1, extreme 0, priority 0, male 1, female 1, disability 0,
   * none 2.  Retained: nobody, shares unknown.  Eligible unchanged. */
  q.from = "2027-01-01";
  q.to = "2027-02-28";
  j = run_json(REP_TARGETING, &q);
  expect_targeting(j,
                   (const struct tg[]){want[0],
                                       {"proposed", {2, 0, 1, 1, 2, 1, 2}, 3},
                                       {"referred", {2, 0, 1, 1, 2, 1, 2}, 3},
                                       {"hired", {1, 0, 0, 1, 1, 0, 2}, 2},
                                       {"retained", {0, 0, 0, 0, 0, 0, 0}, 0}},
                   5);
  json_decref(j);

  /* A K1 desk: eligible R2 R6 = 2 (poor 2, extreme 0, priority 2, male R6,
   * female R2, disability R2, none 0); referrals of R1 R2 R6: proposed 3
   * (poor 3, extreme R1, priority 3, male R1 R6, female R2, disability
   * R2, none R1); referred R1 R2; hired and retained R1. */
  q = query();
  q.scope.kelurahan_id = kel1;
  j = run_json(REP_TARGETING, &q);
  expect_targeting(j,
                   (const struct tg[]){{"eligible", {2, 0, 2, 1, 1, 1, 0}, 2},
                                       {"proposed", {3, 1, 3, 2, 1, 1, 1}, 3},
                                       {"referred", {2, 1, 2, 1, 1, 1, 1}, 2},
                                       {"hired", {1, 1, 1, 1, 0, 0, 1}, 1},
                                       {"retained", {1, 1, 1, 1, 0, 0, 1}, 1}},
                   5);
  json_decref(j);

  /* employers never see poverty status */
  q = query();
  q.scope.employer_id = emp1;
  struct rep_table *t = NULL;
  ck_assert_int_eq(rep_run(s, REP_TARGETING, &q, &t, NULL), REP_EFORBIDDEN);
  ck_assert_ptr_null(t);
}
END_TEST

/* The newest run's figures, city-wide: 100 eligible, 20 job and 10 course
 * steps; desil 1–4: 50 eligible, 6 + 9 steps → 15/30 = 0.5 of the steps
 * against 50/100 of the eligible, ratio 1; desil 1: 10 eligible, 1 + 5 →
 * 6/30 = 0.2 against 0.1, ratio 2, and of the course steps 5/10 against
 * 0.1, ratio 5.  A desk sees none of it (the run is city-wide). */
static json_t *row_of(json_t *j, const char *stage, const char *group) {
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(j, "rows"), i, r) {
    if (strcmp(json_string_value(json_object_get(r, "stage")), stage) == 0 &&
        strcmp(json_string_value(json_object_get(r, "group")), group) == 0)
      return r;
  }
  return NULL;
}

START_TEST(targeting_shows_the_newest_run) {
  raw_exec("INSERT INTO match_runs (id, created_at, algorithm, run_date, total_key, total_gain, "
           "n_proposals, n_unmatched, duration_ms) VALUES (77, '2027-01-05T00:00:00Z', 'exact', "
           "'2027-01-05', 0, 0, 20, 70, 1)");
  raw_exec("INSERT INTO match_run_targeting VALUES (77, 'all', 100, 20, 10), "
           "(77, 'desil_1_4', 50, 6, 9), (77, 'desil_1', 10, 1, 5), "
           "(77, 'priority_kelurahan', 30, 5, 4), (77, 'women', 60, 12, 6), "
           "(77, 'disability', 3, 0, 1)");
  struct rep_query q = query();
  json_t *j = run_json(REP_TARGETING, &q);
  ck_assert_uint_eq(json_array_size(json_object_get(j, "rows")), 5 * 7 + 4 * 5);
  expect_int(j, "match_run_id", 77);
  json_t *r = row_of(j, "run_next_steps", "poor");
  ck_assert_ptr_nonnull(r);
  expect_int(r, "count", 15);
  expect_int(r, "stage_total", 30);
  expect_num(r, "share", 0.5);
  expect_int(r, "eligible_count", 50);
  expect_num(r, "eligible_share", 0.5);
  expect_num(r, "ratio", 1.0);
  expect_num(row_of(j, "run_next_steps", "extreme_poor"), "ratio", 2.0);
  expect_num(row_of(j, "run_course_steps", "extreme_poor"), "ratio", 5.0);
  expect_int(row_of(j, "run_job_steps", "female"), "count", 12);
  expect_int(row_of(j, "run_eligible", "disability"), "count", 3);
  ck_assert_ptr_null(row_of(j, "run_next_steps", "all"));
  json_decref(j);
  q.scope.kelurahan_id = kel1;
  j = run_json(REP_TARGETING, &q);
  ck_assert_uint_eq(json_array_size(json_object_get(j, "rows")), 5 * 7);
  json_decref(j);
  raw_exec("DELETE FROM match_run_targeting WHERE match_run_id = 77");
  raw_exec("DELETE FROM match_runs WHERE id = 77");
}
END_TEST

/* A run's targeting document by hand: 100 eligible, 20 job and 10 course
 * steps; desil 1–4 60 eligible with 6 + 9 = 15 steps of 30, so it needs n
 * more with (15 + n)/(30 + n) >= 0.6: n >= (60·30 − 100·15)/(100 − 60) =
 * 7.5 → 8.  Six of its residents went without: three a seat of C01 would
 * serve, two one of C02, one nothing (education).  More seats: 3 of C01,
 * then 2 of C02, and the gap's other 3 have no course to name. */
START_TEST(run_targeting_document_by_hand) {
  raw_exec("INSERT INTO match_runs (id, created_at, algorithm, run_date, total_key, total_gain, "
           "n_proposals, n_unmatched, duration_ms) VALUES (78, '2027-01-05T00:00:00Z', 'exact', "
           "'2027-01-05', 0, 0, 20, 70, 1)");
  raw_exec("INSERT INTO match_run_targeting VALUES (78, 'all', 100, 20, 10), "
           "(78, 'desil_1_4', 60, 6, 9), (78, 'desil_1', 10, 1, 5), "
           "(78, 'priority_kelurahan', 30, 5, 4), (78, 'women', 60, 12, 6), "
           "(78, 'disability', 3, 0, 1)");
  int64_t c01 = raw_int("SELECT id FROM courses WHERE code = 'TST-C01'");
  int64_t c02 = raw_int("SELECT id FROM courses WHERE code = 'TST-C02'");
  for (int i = 1; i <= 6; i++) {
    char sql[400], course[24] = "NULL";
    if (i <= 5)
      snprintf(course, sizeof course, "%lld", (long long)(i <= 3 ? c01 : c02));
    snprintf(sql, sizeof sql,
             "INSERT INTO match_run_reasons VALUES (78, %lld, '%s', 'x', 'y', 2, %s)",
             (long long)res[i], i <= 5 ? "batches_full" : "education", course);
    raw_exec(sql);
  }
  json_t *t = NULL;
  ck_assert_int_eq(runs_targeting_json(s, 78, &t), STORE_OK);
  ck_assert_uint_eq(json_array_size(t), 6);
  json_t *g = json_array_get(t, 1);
  ck_assert_str_eq(json_string_value(json_object_get(g, "group")), "desil_1_4");
  expect_num(g, "share_eligible", 0.6);
  expect_num(g, "share_steps", 0.5);
  expect_num(g, "share_job_steps", 0.3);
  expect_num(g, "share_course_steps", 0.9);
  expect_num(g, "ratio", 0.83);
  expect_int(g, "steps_to_parity", 8);
  json_t *blocked = json_object_get(g, "blocked_by");
  ck_assert_uint_eq(json_array_size(blocked), 2);
  expect_text(json_array_get(blocked, 0), "code", "batches_full");
  expect_int(json_array_get(blocked, 0), "count", 5);
  expect_text(json_array_get(blocked, 1), "code", "education");
  json_t *seats = json_object_get(g, "more_seats");
  ck_assert_uint_eq(json_array_size(seats), 2);
  expect_int(json_array_get(seats, 0), "course_id", c01);
  expect_int(json_array_get(seats, 0), "residents_waiting", 3);
  expect_int(json_array_get(seats, 0), "more_seats", 3);
  expect_int(json_array_get(seats, 1), "course_id", c02);
  expect_int(json_array_get(seats, 1), "more_seats", 2);
  /* desil 1: 6 of 30 steps against 10 of 100: ratio 2, no gap */
  g = json_array_get(t, 0);
  expect_num(g, "ratio", 2.0);
  expect_int(g, "steps_to_parity", 0);
  ck_assert_uint_eq(json_array_size(json_object_get(g, "more_seats")), 0);
  /* women, disability and all carry no blocks */
  ck_assert(json_is_null(json_object_get(json_array_get(t, 3), "blocked_by")));
  json_decref(t);
  /* a run without figures */
  ck_assert_int_eq(runs_targeting_json(s, 999, &t), STORE_OK);
  ck_assert(json_is_null(t));
  raw_exec("DELETE FROM match_run_reasons WHERE match_run_id = 78");
  raw_exec("DELETE FROM match_run_targeting WHERE match_run_id = 78");
  raw_exec("DELETE FROM match_runs WHERE id = 78");
}
END_TEST

/* ---- Course outcomes ---------------------------------------------------------------------- */

struct outc {
  int batch_no;
  const char *source;
  int64_t in_force, enrolled, completed, certified, placed;
  double rate;
  const char *sectors;
};

static void expect_outcomes(json_t *j, const char *course, const struct outc *want, size_t n) {
  json_t *rows = json_object_get(j, "rows"), *r;
  size_t i, k = 0;
  json_array_foreach(rows, i, r) {
    if (strcmp(json_string_value(json_object_get(r, "course_code")), course) != 0)
      continue;
    ck_assert_uint_lt(k, n);
    expect_int(r, "batch_no", want[k].batch_no);
    expect_text(r, "source", want[k].source);
    expect_int(r, "in_force", want[k].in_force);
    expect_int(r, "enrolled", want[k].enrolled);
    expect_int(r, "completed", want[k].completed);
    expect_int(r, "certified", want[k].certified);
    expect_int(r, "placed_6m", want[k].placed);
    expect_num(r, "placement_rate", want[k].rate);
    expect_text(r, "sectors", want[k].sectors);
    k++;
  }
  ck_assert_uint_eq(k, n);
}

/* The course-outcome part of R2's fit for V1 (garment) in an engine built
 * now; R2 completed TST-C01 only. */
static double course_part(void) {
  struct mt_config cfg;
  mt_config_default(&cfg);
  cfg.today = snapshot_day(TODAY);
  struct snapshot *snap = NULL;
  char err[256];
  ck_assert_msg(snapshot_create(s, &cfg, &snap, err, sizeof err) == 0, "%s", err);
  struct mt_explanation ex;
  ck_assert_int_eq(mt_explain(snapshot_engine(snap), (uint32_t)res[2], (uint32_t)vac1, &ex), MT_OK);
  snapshot_free(snap);
  ck_assert_int_eq(ex.fit_parts[MT_FIT_COURSE].known, 1);
  return ex.fit_parts[MT_FIT_COURSE].value;
}

START_TEST(measured_outcomes_written_labelled_and_used) {
  /* Before: TST-C01's outcomes in force are the seeded b1 (8 completed, 2
   * in garment) and b2 (10, 5): 7 of 18 graduates in garment = 0.3889,
   * over the default full-score rate 0.5: 0.7778. */
  ck_assert_double_eq_tol(course_part(), (7.0 / 18.0) / 0.5, 1e-5);

  /* Measuring on 2027-06-01:
   * C01 b2 (ended 2026-04-24; window to 2026-10-24, closed): R3 completed;
   *   R3's hire on 2027-03-05 is outside it: 1/1/0/0, no sectors.
   * C01 b3 (ended 2026-09-25; window to 2027-03-27, closed): enrolled R1 R2
   *   R4 R6 = 4, completed R1 R2 R4 = 3, certified R1 = 1; placed R1 (hired
   *   2026-10-15 at V1, garment) and R4 (2027-02-16 at V2, garment) = 2.
   * C01 b4 (ended 2027-03-26; window to 2027-09-25, open): provisional, not
   *   written: 1/1/0/0 (R5's only hire has no date).
   * C02 b1 (ended 2026-08-28; window to 2027-02-27): R1 completed and was
   *   hired on 2026-10-15 at a garment job: 1/1/0/1, garment 1. */
  struct rep_table *t = NULL;
  ck_assert_int_eq(rep_outcomes_measure(s, TODAY, &t), REP_OK);
  json_t *j = rep_table_json(t);
  rep_table_free(t);
  expect_int(j, "written", 3);
  expect_int(j, "provisional", 1);
  expect_outcomes(j, "TST-C01",
                  (const struct outc[]){{2, "measured", 1, 1, 1, 0, 0, 0, ""},
                                        {3, "measured", 1, 4, 3, 1, 2, 0.6667, "garment:2"},
                                        {4, "provisional", 0, 1, 1, 0, 0, 0, ""}},
                  3);
  expect_outcomes(j, "TST-C02",
                  (const struct outc[]){{1, "measured", 1, 1, 1, 0, 1, 1, "garment:1"}}, 1);
  ck_assert_uint_eq(n_rows(j), 4);
  json_decref(j);

  /* Stored: seeded rows untouched beside the measured ones, and the one in
   * force marked (measured wins for b2; seeded b1 stays in force).  Rows by
   * batch, then source ("measured" before "seeded"). */
  const struct outc stored[] = {{1, "seeded", 1, 10, 8, 6, 4, 0.5, "footwear:2;garment:2"},
                                {2, "measured", 1, 1, 1, 0, 0, 0, ""},
                                {2, "seeded", 0, 12, 10, 9, 5, 0.5, "garment:5"},
                                {3, "measured", 1, 4, 3, 1, 2, 0.6667, "garment:2"}};
  struct rep_query q = query();
  q.course = "TST-C01";
  j = run_json(REP_COURSE_OUTCOMES, &q);
  ck_assert_uint_eq(n_rows(j), 4);
  expect_outcomes(j, "TST-C01", stored, 4);
  json_decref(j);

  /* After: b1 seeded (8, garment 2) + b2 measured (1, 0) + b3 measured (3,
   * garment 2): 4 of 12 = 0.3333, over 0.5: 0.6667. */
  ck_assert_double_eq_tol(course_part(), (4.0 / 12.0) / 0.5, 1e-5);

  /* A stale measured row (say, from enrolments since deleted) is replaced
   * wholesale on the next run; the same data measures the same again. */
  int64_t seeded_batch;
  ck_assert_int_eq(store_batch_id(s, id_of(STORE_T_COURSES, "BLK-JHT-01"), 1, &seeded_batch),
                   STORE_OK);
  struct store_outcome stale = {seeded_batch, "measured", 1, 1, 1, 1};
  ck_assert_int_eq(store_outcome_put(s, &stale), STORE_OK);
  ck_assert_int_eq(rep_outcomes_measure(s, TODAY, NULL), REP_OK);
  ck_assert_int_eq(raw_int("SELECT count(*) FROM batch_outcomes WHERE source = 'measured'"), 3);
  ck_assert_int_eq(raw_int("SELECT count(*) FROM batch_outcome_sectors WHERE source = 'measured'"),
                   2);
  j = run_json(REP_COURSE_OUTCOMES, &q);
  expect_outcomes(j, "TST-C01", stored, 4);
  json_decref(j);
  /* every seeded row of the seed files is still there: 33 courses' past batches
   * (the planned ones have no outcomes yet) */
  ck_assert_int_eq(raw_int("SELECT count(*) FROM batch_outcomes WHERE source = 'seeded'"),
                   raw_int("SELECT count(*) FROM batches b JOIN courses c ON c.id = b.course_id "
                           "WHERE c.code LIKE 'BLK-%' AND b.status = 'finished'") +
                       2);
}
END_TEST

START_TEST(outcomes_csv_before_measuring) {
  struct rep_query q = query();
  q.course = "TST-C01";
  char *csv = run_csv(REP_COURSE_OUTCOMES, &q);
  ck_assert_str_eq(csv, "course_code,course_name,batch_no,start_date,end_date,source,in_force,"
                        "enrolled,completed,certified,placed_6m,placement_rate,sectors\r\n"
                        "TST-C01,Menjahit Uji,1,2025-01-06,2025-03-28,seeded,1,10,8,6,4,0.5,"
                        "footwear:2;garment:2\r\n"
                        "TST-C01,Menjahit Uji,2,2026-01-05,2026-04-24,seeded,1,12,10,9,5,0.5,"
                        "garment:5\r\n");
  free(csv);
}
END_TEST

static Suite *reports_suite(void) {
  Suite *suite = suite_create("reports");
  TCase *t = tcase_create("funnel");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, funnel_by_kelurahan_and_kecamatan);
  tcase_add_test(t, funnel_by_sector_employer_and_course);
  tcase_add_test(t, funnel_date_range_uses_local_dates);
  tcase_add_test(t, funnel_scope_desk_and_employer);
  tcase_add_test(t, funnel_csv_is_byte_exact);
  tcase_add_test(t, query_errors_name_the_parameter);
  suite_add_tcase(suite, t);

  t = tcase_create("skills_and_targeting");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, skills_gap_city_desk_and_employer);
  tcase_add_test(t, targeting_shares_by_stage);
  tcase_add_test(t, targeting_shows_the_newest_run);
  tcase_add_test(t, run_targeting_document_by_hand);
  suite_add_tcase(suite, t);

  t = tcase_create("outcomes");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, measured_outcomes_written_labelled_and_used);
  tcase_add_test(t, outcomes_csv_before_measuring);
  suite_add_tcase(suite, t);
  return suite;
}

int main(void) {
  return tu_run_suite(reports_suite());
}
