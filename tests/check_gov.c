/*
 * DTSEN data governance (gov.h) on a real SQLite file with the seed
 * reference data: verification and the needing-verification list around
 * the validity window; corrections with their history, and refused
 * corrections that change nothing; the all-or-nothing intervention import;
 * the overlap and unserved reports on hand-built residents where exactly
 * who must be listed is known; a resident's export with their access
 * record; erasure, refused while a service is active, and gone from the
 * database file's bytes afterwards; and the command-line wrappers.
 */
#include "cli_gov.h"
#include "gov.h"
#include "nik.h"
#include "seeds.h"
#include "store.h"
#include "testutil.h"

#include <fcntl.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TODAY "2026-11-27"
#define K1 "36.71.10.1001" /* Neglasari, Neglasari */
#define K2 "36.71.10.1002" /* Karang Sari, Neglasari */
#define K3 "36.71.07.1005" /* Cimone, Karawaci */

static char *dir;
static char path[512];
static struct store *s;

static void setup(void) {
  dir = tu_tmpdir();
  snprintf(path, sizeof path, "%s/padan.db", dir);
  char err[256] = "";
  ck_assert_msg(store_open(path, &s, err, sizeof err) == STORE_OK, "store_open: %s", err);
  int loaded = 0;
  ck_assert_msg(seeds_load(s, &loaded, err, sizeof err) == 0, "seeds_load: %s", err);
}

static void teardown(void) {
  store_close(s);
  s = NULL;
  tu_rmtree(dir);
  free(dir);
}

/* ---- Helpers ------------------------------------------------------------------------ */

static int64_t raw_int(const char *sql) {
  sqlite3 *db;
  sqlite3_stmt *q;
  ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
  ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK, "%s: %s", sql,
                sqlite3_errmsg(db));
  ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(db);
  return v;
}

static void raw_exec(const char *sql) {
  sqlite3 *db;
  char *msg = NULL;
  ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
  ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "?");
  sqlite3_close(db);
}

/* The number of rows matching a WHERE clause on a table. */
static int64_t count_where(const char *table, const char *where) {
  char sql[512];
  snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s", table, where);
  return raw_int(sql);
}

static int64_t kel(const char *code) {
  int64_t id = -1;
  ck_assert_int_eq(store_id_by_code(s, STORE_T_KELURAHAN, code, &id), STORE_OK);
  return id;
}

struct person {
  const char *kel, *name, *birth;
  char sex;
  int serial, desil, months;
  const char *work, *school, *verified;
  const char *phone;
};

/* A resident with a NIK that agrees with the birth date and sex; the NIK is
 * written to nik (may be NULL). */
static int64_t add_person(const struct person *p, char nik[17]) {
  struct date_ymd birth;
  char own[17];
  char *out = nik != NULL ? nik : own;
  ck_assert_int_eq(date_parse(p->birth, strlen(p->birth), &birth), 0);
  ck_assert_int_eq(nik_format(out, 36, 71, 10, &birth, p->sex, p->serial), NIK_OK);
  char sex[2] = {p->sex, '\0'};
  struct store_resident r = {.nik = out,
                             .name = p->name ? p->name : "Warga",
                             .sex = sex,
                             .birth_date = p->birth,
                             .kelurahan_id = kel(p->kel ? p->kel : K1),
                             .phone = p->phone,
                             .education = "sma",
                             .desil = p->desil ? p->desil : 3,
                             .work_status = p->work ? p->work : "unemployed",
                             .school_status = p->school ? p->school : "not_in_school",
                             .months_without_work = p->months,
                             .dependants = -1,
                             .verified_at = p->verified};
  int64_t id = -1;
  enum store_upsert what;
  ck_assert_int_eq(store_resident_upsert(s, &r, &id, &what), STORE_OK);
  ck_assert_int_eq(what, STORE_NEW);
  return id;
}

static int64_t add_user(const char *name, const char *role, const char *kel_code) {
  int64_t id = -1;
  ck_assert_int_eq(store_user_add(s, name, "hash", role, -1, kel_code ? kel(kel_code) : -1, &id),
                   STORE_OK);
  return id;
}

static int has_issue(const struct gov_report *rep, const char *column, const char *code) {
  for (size_t i = 0; i < rep->n_issues; i++)
    if (strcmp(rep->issues[i].column, column) == 0 && strcmp(rep->issues[i].code, code) == 0)
      return 1;
  return 0;
}

static int import_text(const char *csv, struct gov_report *rep) {
  struct gov_import_options o = {.today = TODAY};
  return gov_interventions_import(s, csv, strlen(csv), &o, NULL, rep);
}

static void import_ok(const char *csv) {
  struct gov_report rep;
  int rc = import_text(csv, &rep);
  if (rc != GOV_OK)
    gov_report_print(stderr, &rep);
  ck_assert_int_eq(rc, GOV_OK);
  gov_report_free(&rep);
}

static const struct gov_actor cli = {.user_id = -1, .kelurahan_id = -1};

/* ---- Verification --------------------------------------------------------------------- */

START_TEST(verify_sets_fields_history_and_audit) {
  int64_t desk = add_user("desk-neglasari", "desk", K1);
  int64_t id = add_person(&(struct person){.birth = "1995-03-04", .sex = 'L', .serial = 1}, NULL);
  struct gov_actor by = {.user_id = desk,
                         .username = "desk-neglasari",
                         .role = "desk",
                         .route = "test",
                         .kelurahan_id = kel(K1)};
  struct gov_report rep;
  ck_assert_int_eq(gov_verify(s, id, &by, "2026-01-10", "KTP dan KK dicocokkan", &rep), GOV_OK);
  ck_assert_int_eq(rep.committed, 1);
  gov_report_free(&rep);

  struct store_gov_resident r;
  ck_assert_int_eq(store_gov_resident_read(s, id, &r), STORE_OK);
  ck_assert_str_eq(r.verified_at, "2026-01-10");
  ck_assert_int_eq(r.verified_by, desk);
  ck_assert_str_eq(r.verification_note, "KTP dan KK dicocokkan");
  ck_assert_int_eq(count_where("audit_log", "action = 'verify_resident' AND user_id IS NOT NULL "
                                            "AND role = 'desk'"),
                   1);
  ck_assert_int_eq(count_where("resident_history", "field = 'verified_at' AND old_value IS NULL "
                                                   "AND new_value = '2026-01-10'"),
                   1);

  /* a second verification keeps the first as the old value */
  ck_assert_int_eq(gov_verify(s, id, &by, "2026-02-01", NULL, &rep), GOV_OK);
  gov_report_free(&rep);
  ck_assert_int_eq(count_where("resident_history", "old_value = '2026-01-10' AND new_value = "
                                                   "'2026-02-01'"),
                   1);
  ck_assert_int_eq(store_gov_resident_read(s, id, &r), STORE_OK);
  ck_assert_str_eq(r.verification_note, "");
}
END_TEST

START_TEST(verify_refuses_bad_dates_and_other_kelurahan) {
  int64_t id = add_person(
      &(struct person){.birth = "1995-03-04", .sex = 'P', .serial = 2, .verified = "2026-01-01"},
      NULL);
  struct gov_report rep;
  ck_assert_int_eq(gov_verify(s, id, &cli, "2999-01-01", NULL, &rep), GOV_EINVALID);
  ck_assert(has_issue(&rep, "date", "date_future"));
  gov_report_free(&rep);
  ck_assert_int_eq(gov_verify(s, id, &cli, "2026-02-30", NULL, &rep), GOV_EINVALID);
  ck_assert(has_issue(&rep, "date", "date_format"));
  gov_report_free(&rep);
  ck_assert_int_eq(gov_verify(s, id, &cli, "1990-01-01", NULL, &rep), GOV_EINVALID);
  ck_assert(has_issue(&rep, "date", "verified_before_birth"));
  gov_report_free(&rep);
  /* a desk of another kelurahan does not see the resident at all */
  struct gov_actor other = {.user_id = -1, .kelurahan_id = kel(K2)};
  ck_assert_int_eq(gov_verify(s, id, &other, "2026-03-01", NULL, &rep), GOV_ENOTFOUND);
  gov_report_free(&rep);

  struct store_gov_resident r;
  ck_assert_int_eq(store_gov_resident_read(s, id, &r), STORE_OK);
  ck_assert_str_eq(r.verified_at, "2026-01-01");
  ck_assert_int_eq(count_where("resident_history", "1"), 0);
  ck_assert_int_eq(count_where("audit_log", "action = 'verify_resident'"), 0);
}
END_TEST

struct listed {
  int64_t ids[16], days[16];
  size_t n;
};

static int collect_unverified(void *arg, const struct store_gov_unverified *r) {
  struct listed *l = arg;
  ck_assert_uint_lt(l->n, 16);
  l->ids[l->n] = r->id;
  l->days[l->n] = r->days;
  l->n++;
  return 0;
}

START_TEST(needing_verification_follows_the_window) {
  /* 2025-11-27 is exactly 365 days before TODAY: still valid, as in the
   * engine (expired only when today - verified > validity). */
  int64_t never = add_person(
      &(struct person){.birth = "1990-01-01", .sex = 'L', .serial = 1, .desil = 3}, NULL);
  int64_t edge = add_person(
      &(struct person){
          .birth = "1990-01-01", .sex = 'L', .serial = 2, .desil = 1, .verified = "2025-11-27"},
      NULL);
  int64_t expired = add_person(
      &(struct person){
          .birth = "1990-01-01", .sex = 'L', .serial = 3, .desil = 1, .verified = "2025-11-26"},
      NULL);
  int64_t recent = add_person(
      &(struct person){
          .birth = "1990-01-01", .sex = 'L', .serial = 4, .desil = 1, .verified = "2026-06-01"},
      NULL);
  int64_t expired_old = add_person(
      &(struct person){
          .birth = "1990-01-01", .sex = 'L', .serial = 5, .desil = 1, .verified = "2020-01-01"},
      NULL);
  int64_t elsewhere =
      add_person(&(struct person){.kel = K3, .birth = "1990-01-01", .sex = 'L', .serial = 6}, NULL);
  (void)edge;
  (void)recent;

  struct listed l = {0};
  ck_assert_int_eq(gov_needing_verification(s, NULL, kel(K1), TODAY, 365, collect_unverified, &l),
                   GOV_OK);
  /* desil 1 first, oldest verification first; then desil 3 (never) */
  ck_assert_uint_eq(l.n, 3);
  ck_assert_int_eq(l.ids[0], expired_old);
  ck_assert_int_eq(l.days[0], 2522); /* 2020-01-01 .. 2026-11-27 */
  ck_assert_int_eq(l.ids[1], expired);
  ck_assert_int_eq(l.days[1], 366);
  ck_assert_int_eq(l.ids[2], never);
  ck_assert_int_eq(l.days[2], -1);

  /* the whole city, in kelurahan code order: Cimone (36.71.07) first */
  struct listed all = {0};
  ck_assert_int_eq(gov_needing_verification(s, &cli, -1, TODAY, 365, collect_unverified, &all),
                   GOV_OK);
  ck_assert_uint_eq(all.n, 4);
  ck_assert_int_eq(all.ids[0], elsewhere);
  ck_assert_int_eq(count_where("audit_log", "action = 'report_verification'"), 1);

  /* a narrower window lists the recent one too: 2026-06-01 is 179 days back */
  struct listed narrow = {0};
  ck_assert_int_eq(
      gov_needing_verification(s, NULL, kel(K1), TODAY, 178, collect_unverified, &narrow), GOV_OK);
  ck_assert_uint_eq(narrow.n, 5);
  struct listed wide = {0};
  ck_assert_int_eq(
      gov_needing_verification(s, NULL, kel(K1), TODAY, 179, collect_unverified, &wide), GOV_OK);
  ck_assert_uint_eq(wide.n, 4);

  /* verifying takes a resident off the list */
  struct gov_report rep;
  ck_assert_int_eq(gov_verify(s, expired, &cli, "2026-11-01", NULL, &rep), GOV_OK);
  gov_report_free(&rep);
  struct listed after = {0};
  ck_assert_int_eq(
      gov_needing_verification(s, NULL, kel(K1), TODAY, 365, collect_unverified, &after), GOV_OK);
  ck_assert_uint_eq(after.n, 2);
  ck_assert_int_eq(after.ids[0], expired_old);
  ck_assert_int_eq(after.ids[1], never);
}
END_TEST

struct summary_pick {
  int64_t id;
  struct store_gov_verification_row row;
  int found;
};

static int pick_summary(void *arg, const struct store_gov_verification_row *k) {
  struct summary_pick *w = arg;
  if (k->kelurahan_id == w->id) {
    w->row = *k;
    w->found++;
  } else {
    ck_assert_int_eq(k->residents, 0);
  }
  return 0;
}

START_TEST(verification_summary_counts) {
  add_person(&(struct person){.birth = "1990-01-01", .sex = 'L', .serial = 1}, NULL);
  add_person(
      &(struct person){.birth = "1990-01-01", .sex = 'L', .serial = 2, .verified = "2026-01-01"},
      NULL);
  add_person(
      &(struct person){.birth = "1990-01-01", .sex = 'L', .serial = 3, .verified = "2024-01-01"},
      NULL);
  struct summary_pick w = {.id = kel(K1)};
  ck_assert_int_eq(store_gov_verification_summary(s, TODAY, 365, pick_summary, &w), STORE_OK);
  ck_assert_int_eq(w.found, 1);
  ck_assert_int_eq(w.row.residents, 3);
  ck_assert_int_eq(w.row.current, 1);
  ck_assert_int_eq(w.row.expired, 1);
  ck_assert_int_eq(w.row.never, 1);
}
END_TEST

/* ---- Corrections -------------------------------------------------------------------------- */

START_TEST(correction_writes_history_with_old_and_new) {
  int64_t officer = add_user("officer1", "officer", NULL);
  int64_t id = add_person(
      &(struct person){.name = "Budi", .birth = "1995-03-04", .sex = 'L', .serial = 7, .desil = 5},
      NULL);
  struct gov_actor by = {
      .user_id = officer, .username = "officer1", .role = "officer", .kelurahan_id = -1};
  const struct gov_change ch[] = {{"name", "Budi Santoso"},
                                  {"phone", "0812-3456-7890"},
                                  {"desil", "2"},
                                  {"skills", "MFG-002*;MFG-001"},
                                  {"education", "sma"}}; /* unchanged: no history */
  struct gov_report rep;
  ck_assert_int_eq(gov_correct(s, id, &by, ch, 5, "Pemutakhiran lapangan", &rep), GOV_OK);
  ck_assert_int_eq(rep.updated, 4);
  ck_assert_int_eq(rep.committed, 1);
  gov_report_free(&rep);

  struct store_gov_resident r;
  ck_assert_int_eq(store_gov_resident_read(s, id, &r), STORE_OK);
  ck_assert_str_eq(r.name, "Budi Santoso");
  ck_assert_str_eq(r.phone, "0812-3456-7890");
  ck_assert_int_eq(r.desil, 2);
  ck_assert_str_eq(r.skills, "MFG-001;MFG-002*");
  ck_assert_int_eq(count_where("resident_skills", "certified = 1"), 1);

  ck_assert_int_eq(count_where("resident_history", "1"), 4);
  ck_assert_int_eq(count_where("resident_history",
                               "field = 'name' AND old_value = 'Budi' AND new_value = 'Budi "
                               "Santoso' AND reason = 'Pemutakhiran lapangan' AND by_user = 1"),
                   1);
  ck_assert_int_eq(count_where("resident_history", "field = 'phone' AND old_value IS NULL AND "
                                                   "new_value = '0812-3456-7890'"),
                   1);
  ck_assert_int_eq(
      count_where("resident_history", "field = 'desil' AND old_value = '5' AND new_value = '2'"),
      1);
  ck_assert_int_eq(count_where("resident_history", "field = 'skills' AND old_value IS NULL AND "
                                                   "new_value = 'MFG-001;MFG-002*'"),
                   1);
  ck_assert_int_eq(count_where("audit_log", "action = 'correct_resident' AND detail = 'fields "
                                            "name,phone,desil,skills'"),
                   1);

  /* clearing an optional field records the old value and NULL */
  ck_assert_int_eq(
      gov_correct(s, id, &by, (struct gov_change[]){{"phone", ""}}, 1, "Nomor mati", &rep), GOV_OK);
  gov_report_free(&rep);
  ck_assert_int_eq(count_where("resident_history", "field = 'phone' AND old_value = "
                                                   "'0812-3456-7890' AND new_value IS NULL"),
                   1);

  /* the same value again changes nothing and writes nothing */
  ck_assert_int_eq(
      gov_correct(s, id, &by, (struct gov_change[]){{"desil", "2"}}, 1, "Cek ulang", &rep), GOV_OK);
  ck_assert_int_eq(rep.unchanged, 1);
  ck_assert_int_eq(rep.committed, 0);
  gov_report_free(&rep);
  ck_assert_int_eq(count_where("resident_history", "1"), 5);
  ck_assert_int_eq(count_where("audit_log", "action = 'correct_resident'"), 2);
}
END_TEST

START_TEST(bad_corrections_change_nothing) {
  char nik_a[17], nik_b[17];
  int64_t id = add_person(
      &(struct person){.name = "Budi", .birth = "1995-03-04", .sex = 'L', .serial = 7, .desil = 5},
      nik_a);
  add_person(&(struct person){.birth = "1996-05-06", .sex = 'P', .serial = 8}, nik_b);
  struct store_gov_resident before, after;
  memset(&before, 0, sizeof before); /* compared bytewise below */
  memset(&after, 0, sizeof after);
  ck_assert_int_eq(store_gov_resident_read(s, id, &before), STORE_OK);

  const struct gov_change ch[] = {{"desil", "11"},
                                  {"education", "college"},
                                  {"hobby", "chess"},
                                  {"verified_at", "2026-01-01"},
                                  {"phone", "12"},
                                  {"name", ""},
                                  {"nik", nik_b},
                                  {"birth_date", "2999-01-01"},
                                  {"kelurahan_code", "36.71.99.9999"},
                                  {"skills", "MFG-001;NOPE-1"},
                                  {"shifts", "day;day"},
                                  {"months_without_work", "x"}};
  size_t n = sizeof ch / sizeof ch[0];
  struct gov_report rep;
  ck_assert_int_eq(gov_correct(s, id, &cli, ch, n, "Koreksi", &rep), GOV_EINVALID);
  ck_assert_int_eq(rep.errors, n);
  ck_assert(has_issue(&rep, "desil", "desil_range"));
  ck_assert(has_issue(&rep, "education", "enum_value"));
  ck_assert(has_issue(&rep, "hobby", "field_unknown"));
  ck_assert(has_issue(&rep, "verified_at", "field_not_correctable"));
  ck_assert(has_issue(&rep, "phone", "phone_format"));
  ck_assert(has_issue(&rep, "name", "required"));
  ck_assert(has_issue(&rep, "nik", "nik_duplicate"));
  ck_assert(has_issue(&rep, "birth_date", "date_future"));
  ck_assert(has_issue(&rep, "kelurahan_code", "kelurahan_unknown"));
  ck_assert(has_issue(&rep, "skills", "skill_unknown"));
  ck_assert(has_issue(&rep, "shifts", "list_duplicate"));
  ck_assert(has_issue(&rep, "months_without_work", "integer"));
  ck_assert_int_eq(rep.committed, 0);
  gov_report_free(&rep);

  /* rules between fields, and the same field twice */
  const struct gov_change cross[] = {{"smk_vocation", "garment"},
                                     {"work_status", "working"},
                                     {"months_without_work", "5"},
                                     {"desil", "2"},
                                     {"desil", "3"}};
  ck_assert_int_eq(gov_correct(s, id, &cli, cross, 5, "Koreksi", &rep), GOV_EINVALID);
  ck_assert(has_issue(&rep, "smk_vocation", "smk_vocation_education"));
  ck_assert(has_issue(&rep, "months_without_work", "months_while_working"));
  ck_assert(has_issue(&rep, "desil", "field_repeated"));
  ck_assert_int_eq(rep.errors, 3);
  gov_report_free(&rep);

  /* a reason is required */
  ck_assert_int_eq(gov_correct(s, id, &cli, (struct gov_change[]){{"desil", "2"}}, 1, "", &rep),
                   GOV_EINVALID);
  ck_assert(has_issue(&rep, "reason", "reason_required"));
  gov_report_free(&rep);

  ck_assert_int_eq(store_gov_resident_read(s, id, &after), STORE_OK);
  ck_assert_mem_eq(&before, &after, sizeof before);
  ck_assert_int_eq(count_where("resident_history", "1"), 0);
  ck_assert_int_eq(count_where("audit_log", "action = 'correct_resident'"), 0);
  ck_assert_int_eq(count_where("resident_skills", "1"), 0);
}
END_TEST

START_TEST(nik_correction_flags_a_mismatch_like_an_import) {
  char nik[17];
  int64_t id = add_person(&(struct person){.birth = "1995-03-04", .sex = 'L', .serial = 9}, nik);
  /* the same NIK with the day moved: valid, but not this birth date */
  struct date_ymd other = {1995, 3, 5};
  char moved[17];
  ck_assert_int_eq(nik_format(moved, 36, 71, 10, &other, 'L', 9), NIK_OK);
  struct gov_report rep;
  ck_assert_int_eq(
      gov_correct(s, id, &cli, (struct gov_change[]){{"nik", moved}}, 1, "Salah ketik NIK", &rep),
      GOV_OK);
  ck_assert_int_eq(rep.warnings, 1);
  ck_assert(has_issue(&rep, "nik", "nik_birth_date_mismatch"));
  ck_assert_int_eq(rep.updated, 2); /* nik and nik_flag */
  gov_report_free(&rep);
  struct store_gov_resident r;
  ck_assert_int_eq(store_gov_resident_read(s, id, &r), STORE_OK);
  ck_assert_str_eq(r.nik, moved);
  ck_assert_str_eq(r.nik_flag, "birth_date_mismatch");
  char where[160];
  snprintf(where, sizeof where, "field = 'nik' AND old_value = '%s' AND new_value = '%s'", nik,
           moved);
  ck_assert_int_eq(count_where("resident_history", where), 1);

  /* correcting the birth date to agree clears the flag */
  ck_assert_int_eq(gov_correct(s, id, &cli, (struct gov_change[]){{"birth_date", "1995-03-05"}}, 1,
                               "Akta kelahiran", &rep),
                   GOV_OK);
  ck_assert_int_eq(rep.warnings, 0);
  gov_report_free(&rep);
  ck_assert_int_eq(store_gov_resident_read(s, id, &r), STORE_OK);
  ck_assert_str_eq(r.nik_flag, "");
  ck_assert_int_eq(count_where("resident_history", "field = 'nik_flag' AND old_value = "
                                                   "'birth_date_mismatch' AND new_value IS NULL"),
                   1);
}
END_TEST

START_TEST(desk_corrects_only_its_own_kelurahan) {
  int64_t id =
      add_person(&(struct person){.kel = K3, .birth = "1995-03-04", .sex = 'L', .serial = 1}, NULL);
  struct gov_actor desk = {.user_id = -1, .kelurahan_id = kel(K1)};
  struct gov_report rep;
  ck_assert_int_eq(gov_correct(s, id, &desk, (struct gov_change[]){{"desil", "2"}}, 1, "x", &rep),
                   GOV_ENOTFOUND);
  gov_report_free(&rep);
  ck_assert_int_eq(count_where("residents", "desil = 3"), 1);
}
END_TEST

/* ---- Intervention import ------------------------------------------------------------------ */

static char nik1[17], nik2[17], nik3[17];
static int64_t r1, r2, r3;

static void three_residents(void) {
  r1 = add_person(
      &(struct person){.birth = "1990-01-01", .sex = 'L', .serial = 1, .verified = "2026-06-01"},
      nik1);
  r2 = add_person(
      &(struct person){.birth = "1991-02-02", .sex = 'P', .serial = 2, .verified = "2026-06-01"},
      nik2);
  r3 = add_person(
      &(struct person){.birth = "1992-03-03", .sex = 'L', .serial = 3, .verified = "2026-06-01"},
      nik3);
}

/* CSV text built from a format with the three NIKs, in order. */
static char *csv3(const char *fmt) {
  static char buf[4096];
  snprintf(buf, sizeof buf, fmt, nik1, nik2, nik3);
  return buf;
}

#define VALID_FILE                                                                                 \
  "nik,kind,office,start_date,end_date,status,source_ref\n"                                        \
  "%s,business_capital,Dinkop UKM,2026-02-01,2026-12-31,active,DK-001\n"                           \
  "%s,social_aid,Dinsos,2026-01-01,,active,\n"                                                     \
  "%s,training,Dinsos,2025-01-01,2025-03-01,ended,DS-7\n"

START_TEST(import_valid_file_then_again_changes_nothing) {
  three_residents();
  struct gov_report rep;
  ck_assert_int_eq(import_text(csv3(VALID_FILE), &rep), GOV_OK);
  ck_assert_int_eq(rep.rows, 3);
  ck_assert_int_eq(rep.new_rows, 3);
  ck_assert_int_eq(rep.committed, 1);
  gov_report_free(&rep);
  ck_assert_int_eq(count_where("interventions", "1"), 3);
  char where[200];
  snprintf(where, sizeof where,
           "resident_id = %lld AND kind = 'business_capital' AND office = 'Dinkop UKM' AND "
           "start_date = '2026-02-01' AND end_date = '2026-12-31' AND status = 'active' AND "
           "source_ref = 'DK-001'",
           (long long)r1);
  ck_assert_int_eq(count_where("interventions", where), 1);
  snprintf(where, sizeof where, "resident_id = %lld AND end_date IS NULL AND source_ref IS NULL",
           (long long)r2);
  ck_assert_int_eq(count_where("interventions", where), 1);

  ck_assert_int_eq(import_text(csv3(VALID_FILE), &rep), GOV_OK);
  ck_assert_int_eq(rep.new_rows, 0);
  ck_assert_int_eq(rep.unchanged, 3);
  ck_assert_int_eq(rep.updated, 0);
  gov_report_free(&rep);
  ck_assert_int_eq(count_where("interventions", "1"), 3);
  ck_assert_int_eq(count_where("audit_log", "action = 'import_interventions'"), 2);

  /* the office closes the programme early: the same source_ref is updated */
  ck_assert_int_eq(import_text(csv3("nik,kind,office,start_date,end_date,status,source_ref\n"
                                    "%s,business_capital,Dinkop UKM,2026-02-01,2026-06-30,ended,"
                                    "DK-001\n"),
                               &rep),
                   GOV_OK);
  ck_assert_int_eq(rep.updated, 1);
  gov_report_free(&rep);
  ck_assert_int_eq(count_where("interventions", "source_ref = 'DK-001' AND status = 'ended' AND "
                                                "end_date = '2026-06-30'"),
                   1);
  ck_assert_int_eq(count_where("interventions", "1"), 3);
}
END_TEST

START_TEST(import_reports_every_bad_row_and_writes_nothing) {
  three_residents();
  import_ok(csv3(VALID_FILE));
  /* line numbers: header 1, rows from 2 */
  const char *fmt = "nik,kind,office,start_date,end_date,status,source_ref\n"
                    "%s,business_capital,Dinkop UKM,2026-03-01,,active,DK-100\n" /* 2 valid */
                    "3671100101900999,training,BLK,2026-01-01,,active,\n"        /* 3 nobody */
                    "123,training,BLK,2026-01-01,,active,\n"                     /* 4 nik */
                    "%s,loan,Bank,2026-01-01,,active,\n"                         /* 5 kind */
                    "%s,training,BLK,2026-13-01,,active,\n"                      /* 6 date */
                    "%s,training,BLK,2026-05-01,2026-04-01,active,\n"            /* 7 end<start */
                    "%s,training,BLK,2026-05-01,,done,\n"                        /* 8 status */
                    "%s,training,BLK,2026-05-01,,ended,\n"                       /* 9 no end */
                    "%s,training,BLK,2026-05-01,,active,DK-100\n"                /* 10 ok: BLK */
                    "%s,business_capital,Dinkop UKM,2026-04-01,,active,DK-100\n" /* 11 dup ref */
                    "%s,business_capital,Dinkop UKM,2026-04-01,,active,DK-001\n" /* 12 conflict */
                    "%s,training,BLK,2027-01-01,,active,\n"                      /* 13 future */
                    "%s,training\n";                                             /* 14 fields */
  char buf[4096];
  snprintf(buf, sizeof buf, fmt, nik1, nik1, nik1, nik1, nik1, nik1, nik2, nik3, nik2, nik1, nik1);
  struct gov_report rep;
  ck_assert_int_eq(import_text(buf, &rep), GOV_EINVALID);
  ck_assert_int_eq(rep.rows, 13);
  ck_assert_int_eq(rep.error_rows, 11);
  ck_assert_int_eq(rep.errors, 11);
  ck_assert_int_eq(rep.committed, 0);
  static const struct {
    size_t line;
    const char *column, *code;
  } want[] = {{3, "nik", "resident_unknown"},
              {4, "nik", "nik_length"},
              {5, "kind", "enum_value"},
              {6, "start_date", "date_format"},
              {7, "end_date", "end_before_start"},
              {8, "status", "enum_value"},
              {9, "end_date", "end_date_required"},
              {11, "source_ref", "source_ref_duplicate"},
              {12, "source_ref", "source_ref_conflict"},
              {13, "start_date", "date_future"},
              {14, "", "field_count"}};
  ck_assert_uint_eq(rep.n_issues, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < rep.n_issues; i++) {
    ck_assert_uint_eq(rep.issues[i].line, want[i].line);
    ck_assert_uint_eq(rep.issues[i].row, want[i].line - 1);
    ck_assert_str_eq(rep.issues[i].column, want[i].column);
    ck_assert_str_eq(rep.issues[i].code, want[i].code);
    ck_assert(rep.issues[i].message_id[0] && rep.issues[i].message_en[0]);
  }
  gov_report_free(&rep);
  ck_assert_int_eq(count_where("interventions", "1"), 3);
  ck_assert_int_eq(count_where("audit_log", "action = 'import_interventions_rejected'"), 1);

  /* the header: a missing required column, an unknown one, a repeated one */
  ck_assert_int_eq(import_text("nik,office,start_date,status,status,colour\n", &rep), GOV_EINVALID);
  ck_assert(has_issue(&rep, "kind", "header_missing_column"));
  ck_assert(has_issue(&rep, "colour", "header_unknown_column"));
  ck_assert(has_issue(&rep, "status", "header_duplicate_column"));
  ck_assert_int_eq(rep.errors, 3);
  gov_report_free(&rep);
  ck_assert_int_eq(import_text("", &rep), GOV_EINVALID);
  ck_assert(has_issue(&rep, "", "file_empty"));
  gov_report_free(&rep);

  /* the same row twice without source_ref */
  snprintf(buf, sizeof buf,
           "nik,kind,office,start_date,status\n%s,training,BLK,2026-05-01,active\n"
           "%s,training,BLK,2026-05-01,active\n",
           nik1, nik1);
  ck_assert_int_eq(import_text(buf, &rep), GOV_EINVALID);
  ck_assert_int_eq(rep.n_issues, 0 + 1);
  ck_assert_str_eq(rep.issues[0].code, "intervention_duplicate");
  ck_assert_uint_eq(rep.issues[0].line, 3);
  gov_report_free(&rep);
  ck_assert_int_eq(count_where("interventions", "1"), 3);
}
END_TEST

START_TEST(dry_run_counts_and_writes_nothing) {
  three_residents();
  struct gov_import_options o = {.dry_run = 1, .today = TODAY};
  struct gov_report rep;
  const char *csv = csv3(VALID_FILE);
  ck_assert_int_eq(gov_interventions_import(s, csv, strlen(csv), &o, NULL, &rep), GOV_OK);
  ck_assert_int_eq(rep.new_rows, 3);
  ck_assert_int_eq(rep.dry_run, 1);
  ck_assert_int_eq(rep.committed, 0);
  gov_report_free(&rep);
  ck_assert_int_eq(count_where("interventions", "1"), 0);
  ck_assert_int_eq(count_where("audit_log", "1"), 0);
}
END_TEST

START_TEST(active_business_capital_blocks_matching) {
  three_residents();
  import_ok(csv3(VALID_FILE));
  struct store_engine_resident er;
  ck_assert_int_eq(store_engine_resident(s, r1, &er), STORE_OK);
  ck_assert_int_eq(er.blocked, 1); /* business capital, active */
  ck_assert_int_eq(store_engine_resident(s, r2, &er), STORE_OK);
  ck_assert_int_eq(er.blocked, 0); /* social aid does not conflict with a job */
  ck_assert_int_eq(store_engine_resident(s, r3, &er), STORE_OK);
  ck_assert_int_eq(er.blocked, 0); /* ended */
}
END_TEST

/* ---- Overlaps and unserved ------------------------------------------------------------------ */

struct pairs {
  int64_t resident[8];
  char a[8][24], b[8][24], reason[8][160];
  size_t n;
};

static int collect_pair(void *arg, const struct store_gov_overlap *o) {
  struct pairs *p = arg;
  ck_assert_uint_lt(p->n, 8);
  p->resident[p->n] = o->resident_id;
  snprintf(p->a[p->n], sizeof p->a[0], "%s", o->a.kind);
  snprintf(p->b[p->n], sizeof p->b[0], "%s", o->b.kind);
  snprintf(p->reason[p->n], sizeof p->reason[0], "%s", o->reason_en);
  p->n++;
  return 0;
}

/* A running batch of the first seeded course. */
static int64_t running_batch(void) {
  int64_t course = -1, batch = -1;
  ck_assert_int_eq(store_id_by_code(s, STORE_T_COURSES, "BLK-JHT-01", &course), STORE_OK);
  struct store_batch b = {.course_id = course,
                          .batch_no = 90,
                          .start_date = "2026-10-01",
                          .end_date = "2026-12-31",
                          .status = "running",
                          .capacity = 16};
  ck_assert_int_eq(store_batch_add(s, &b, &batch), STORE_OK);
  return batch;
}

static void enrol(int64_t batch, int64_t resident, const char *status) {
  char sql[256];
  snprintf(sql, sizeof sql,
           "INSERT INTO enrolments (batch_id, resident_id, status, created_at, updated_at) "
           "VALUES (%lld, %lld, '%s', '2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z')",
           (long long)batch, (long long)resident, status);
  raw_exec(sql);
}

/* A referral of resident to the first seeded vacancy, set to status. */
static void refer(int64_t resident, const char *status) {
  int64_t run = -1, vacancy = -1, ref = -1;
  struct store_match_run m = {.created_by = -1, .algorithm = "test", .run_date = TODAY};
  ck_assert_int_eq(store_match_run_add(s, &m, &run), STORE_OK);
  ck_assert_int_eq(store_id_by_code(s, STORE_T_VACANCIES, "VAC-0001", &vacancy), STORE_OK);
  ck_assert_int_eq(store_referral_propose(s, run, resident, vacancy, 50, 50, 50, -1, &ref),
                   STORE_OK);
  char sql[160];
  snprintf(sql, sizeof sql, "UPDATE referrals SET status = '%s' WHERE id = %lld", status,
           (long long)ref);
  raw_exec(sql);
}

START_TEST(overlaps_lists_exactly_the_conflicting_pairs) {
  char n[8][17];
  int64_t id[8];
  for (int i = 0; i < 8; i++)
    id[i] = add_person(&(struct person){.birth = "1990-01-01", .sex = 'L', .serial = i + 1}, n[i]);
  int64_t elsewhere = add_person(
      &(struct person){.kel = K2, .birth = "1990-01-01", .sex = 'P', .serial = 50}, NULL);
  char other_nik[17];
  struct store_gov_resident er;
  ck_assert_int_eq(store_gov_resident_read(s, elsewhere, &er), STORE_OK);
  snprintf(other_nik, sizeof other_nik, "%s", er.nik);
  char csv[4096];
  snprintf(csv, sizeof csv,
           "nik,kind,office,start_date,end_date,status,source_ref\n"
           /* 0: capital + a confirmed referral (below): listed */
           "%s,business_capital,Dinkop UKM,2026-02-01,,active,A0\n"
           /* 1: two capital grants whose periods overlap: listed */
           "%s,business_capital,Dinkop UKM,2026-01-01,2026-06-30,active,A1\n"
           "%s,business_capital,Baznas,2026-03-01,,active,B1\n"
           /* 2: two capital grants one after the other: not listed */
           "%s,business_capital,Dinkop UKM,2025-01-01,2025-06-30,active,A2\n"
           "%s,business_capital,Baznas,2025-07-01,,active,B2\n"
           /* 3: social aid with capital: no conflict */
           "%s,social_aid,Dinsos,2026-01-01,,active,A3\n"
           "%s,business_capital,Dinkop UKM,2026-01-01,,active,B3\n"
           /* 4: an ended capital grant and a placement: not listed */
           "%s,business_capital,Dinkop UKM,2026-01-01,2026-12-31,ended,A4\n"
           "%s,job_placement,Disnaker,2026-05-01,,active,B4\n"
           /* 5: a placement during a running course (enrolment below): listed */
           "%s,job_placement,Disnaker,2026-11-01,,active,A5\n"
           /* 6: capital and training: complementary, not listed */
           "%s,business_capital,Dinkop UKM,2026-01-01,,active,A6\n"
           "%s,training,Dinsos,2026-01-01,2026-12-31,active,B6\n"
           /* 7: a proposed (not yet confirmed) referral with capital: not listed */
           "%s,business_capital,Dinkop UKM,2026-01-01,,active,A7\n"
           /* elsewhere: two grants at once, another kelurahan */
           "%s,business_capital,Dinkop UKM,2026-01-01,,active,E1\n"
           "%s,business_capital,Baznas,2026-01-01,,active,E2\n",
           n[0], n[1], n[1], n[2], n[2], n[3], n[3], n[4], n[4], n[5], n[6], n[6], n[7], other_nik,
           other_nik);
  import_ok(csv);
  refer(id[0], "confirmed");
  refer(id[7], "proposed");
  enrol(running_batch(), id[5], "enrolled");

  struct pairs p = {0};
  ck_assert_int_eq(gov_overlaps(s, &cli, kel(K1), collect_pair, &p), GOV_OK);
  ck_assert_uint_eq(p.n, 3);
  ck_assert_int_eq(p.resident[0], id[0]);
  ck_assert_str_eq(p.a[0], "business_capital"); /* intervention sorts before referral */
  ck_assert_str_eq(p.b[0], "job_referral");
  ck_assert_str_eq(p.reason[0],
                   "A job referral or placement during an active business-capital programme");
  ck_assert_int_eq(p.resident[1], id[1]);
  ck_assert_str_eq(p.a[1], "business_capital");
  ck_assert_str_eq(p.b[1], "business_capital");
  ck_assert_str_eq(p.reason[1], "Two business-capital programmes at once");
  ck_assert_int_eq(p.resident[2], id[5]);
  ck_assert_str_eq(p.a[2], "training"); /* enrolment sorts before intervention */
  ck_assert_str_eq(p.b[2], "job_placement");
  ck_assert_int_eq(count_where("audit_log", "action = 'report_overlaps'"), 1);

  struct pairs all = {0};
  ck_assert_int_eq(gov_overlaps(s, NULL, -1, collect_pair, &all), GOV_OK);
  ck_assert_uint_eq(all.n, 4);
  ck_assert_int_eq(all.resident[3], elsewhere); /* 36.71.10.1002 after 1001 */

  /* a hired referral is a placement: with the capital grant it still conflicts */
  raw_exec("UPDATE referrals SET status = 'hired' WHERE status = 'confirmed'");
  struct pairs hired = {0};
  ck_assert_int_eq(gov_overlaps(s, NULL, kel(K1), collect_pair, &hired), GOV_OK);
  ck_assert_uint_eq(hired.n, 3);
  ck_assert_str_eq(hired.b[0], "job_placement");
}
END_TEST

struct unserved {
  int64_t ids[16];
  int64_t kel[16];
  size_t n;
};

static int collect_unserved(void *arg, const struct priority_kelurahan *k,
                            const struct store_gov_unserved *u) {
  struct unserved *l = arg;
  ck_assert_uint_lt(l->n, 16);
  ck_assert_int_eq(k->priority, 1);
  l->ids[l->n] = u->id;
  l->kel[l->n] = k->k.id;
  l->n++;
  return 0;
}

/* A target resident of K1 unless p says otherwise: productive age,
 * unemployed, not in school, verified in May 2026, desil 2. */
static int64_t target(struct person p) {
  p.sex = 'L';
  p.birth = p.birth ? p.birth : "1990-05-05";
  p.verified = p.verified == NULL                 ? "2026-05-01"
               : strcmp(p.verified, "never") == 0 ? NULL
                                                  : p.verified;
  p.desil = p.desil ? p.desil : 2;
  return add_person(&p, NULL);
}

START_TEST(unserved_lists_exactly_the_missed_target_residents) {
  int64_t e1 = target((struct person){.serial = 1, .months = 6});
  int64_t e2 = target((struct person){.serial = 2}); /* social aid once */
  int64_t e3 = target((struct person){.serial = 3}); /* a rejected referral */
  int64_t e4 = target((struct person){.serial = 4}); /* a dropped enrolment */
  target((struct person){.serial = 5, .work = "working"});
  target((struct person){.serial = 6, .school = "in_school"});
  target((struct person){.serial = 7, .birth = "1956-01-01"});    /* 70 years old */
  target((struct person){.serial = 8, .verified = "2025-01-01"}); /* verification expired */
  target((struct person){.serial = 9, .verified = "never"});
  target((struct person){.serial = 10, .desil = 7}); /* not poor */
  int64_t e11 = target((struct person){.serial = 11, .desil = 1, .months = 12});
  int64_t e12 = target((struct person){.serial = 12, .months = 30});
  int64_t e13 = target((struct person){.serial = 13,
                                       .birth = "2011-11-27",
                                       .desil = 3,
                                       .months = -1}); /* 15 today; months unknown */
  target((struct person){.serial = 14, .birth = "2011-11-28", .desil = 3}); /* 14 today */
  int64_t e15 = target((struct person){.serial = 15, .birth = "1961-11-28", .desil = 3}); /* 64 */
  target((struct person){.serial = 16, .birth = "1961-11-27", .desil = 3}); /* 65 today */
  int64_t other = target((struct person){.serial = 17, .kel = K2});
  /* a proposal is not service, even withdrawn; a referral an officer
   * confirmed is, even if withdrawn since */
  int64_t e18 = target((struct person){.serial = 18, .months = 3}); /* proposed only */
  int64_t e19 = target((struct person){.serial = 19, .months = 2}); /* proposal withdrawn */
  int64_t c20 = target((struct person){.serial = 20});              /* confirmed, withdrawn */
  int64_t c21 = target((struct person){.serial = 21});              /* another office's, active */
  refer(e18, "proposed");
  refer(e19, "withdrawn");
  refer(c20, "confirmed");
  raw_exec("INSERT INTO referral_events (referral_id, from_status, to_status, at) SELECT id, "
           "'proposed', 'confirmed', '2026-10-02T00:00:00Z' FROM referrals WHERE status = "
           "'confirmed'");
  raw_exec("UPDATE referrals SET status = 'withdrawn' WHERE status = 'confirmed'");
  (void)c20;
  char csv[512];
  struct store_gov_resident r;
  ck_assert_int_eq(store_gov_resident_read(s, e2, &r), STORE_OK);
  snprintf(csv, sizeof csv,
           "nik,kind,office,start_date,end_date,status\n%s,social_aid,Dinsos,2024-01-01,"
           "2024-12-31,ended\n",
           r.nik);
  import_ok(csv);
  ck_assert_int_eq(store_gov_resident_read(s, c21, &r), STORE_OK);
  snprintf(csv, sizeof csv,
           "nik,kind,office,start_date,status\n%s,business_capital,Dinas Koperasi,2026-01-01,"
           "active\n",
           r.nik);
  import_ok(csv);
  refer(e3, "rejected");
  enrol(running_batch(), e4, "dropped");
  ck_assert_int_eq(store_kelurahan_pin(s, kel(K2), 0), STORE_OK);

  struct mt_config cfg;
  mt_config_default(&cfg);
  struct unserved l = {0};
  ck_assert_int_eq(gov_unserved(s, &cli, TODAY, &cfg, -1, collect_unserved, &l), GOV_OK);
  /* desil, then the longest without work, then id; NULL months last.  e2's
   * social aid ended, so nobody serves e2 now (served means another
   * office's active intervention); e18 and e19 were only proposed. */
  int64_t want[] = {e11, e12, e1, e18, e19, e2, e15, e13};
  ck_assert_uint_eq(l.n, 8);
  for (size_t i = 0; i < 8; i++) {
    ck_assert_int_eq(l.ids[i], want[i]);
    ck_assert_int_eq(l.kel[i], kel(K1));
  }
  ck_assert_int_eq(count_where("audit_log", "action = 'report_unserved'"), 1);

  /* unpinned, K2 is a priority kelurahan by its index again */
  ck_assert_int_eq(store_kelurahan_pin(s, kel(K2), -1), STORE_OK);
  struct unserved again = {0};
  ck_assert_int_eq(gov_unserved(s, NULL, TODAY, &cfg, kel(K2), collect_unserved, &again), GOV_OK);
  ck_assert_uint_eq(again.n, 1);
  ck_assert_int_eq(again.ids[0], other);

  /* serving someone takes them off the list */
  ck_assert_int_eq(store_gov_resident_read(s, e11, &r), STORE_OK);
  snprintf(csv, sizeof csv,
           "nik,kind,office,start_date,status\n%s,training,Dinsos,2026-11-01,active\n", r.nik);
  import_ok(csv);
  struct unserved after = {0};
  ck_assert_int_eq(gov_unserved(s, NULL, TODAY, &cfg, kel(K1), collect_unserved, &after), GOV_OK);
  ck_assert_uint_eq(after.n, 7);
  ck_assert_int_eq(after.ids[0], e12);
}
END_TEST

/* ---- Export -------------------------------------------------------------------------------------
 */

static int has_action(json_t *access, const char *action) {
  size_t i;
  json_t *row;
  json_array_foreach(access, i, row) {
    if (strcmp(json_string_value(json_object_get(row, "action")), action) == 0)
      return 1;
  }
  return 0;
}

START_TEST(export_holds_the_record_and_its_access_record) {
  char nik[17];
  int64_t id = add_person(&(struct person){.name = "Siti Rahma",
                                           .birth = "1993-07-08",
                                           .sex = 'P',
                                           .serial = 4,
                                           .phone = "081234567890"},
                          nik);
  struct gov_report rep;
  ck_assert_int_eq(gov_correct(s, id, &cli, (struct gov_change[]){{"skills", "GAR-001*;GAR-002"}},
                               1, "Sertifikat BLK", &rep),
                   GOV_OK);
  gov_report_free(&rep);
  char csv[256];
  snprintf(csv, sizeof csv,
           "nik,kind,office,start_date,status,source_ref\n%s,social_aid,Dinsos,2026-01-01,"
           "active,PKH-9\n",
           nik);
  import_ok(csv);
  struct store_audit read = {.user_id = -1,
                             .username = "officer1",
                             .role = "officer",
                             .action = "read_resident",
                             .route = "GET /v1/residents/1",
                             .resident_id = id,
                             .purpose = "referral"};
  ck_assert_int_eq(store_audit_add(s, &read), STORE_OK);

  json_t *j = NULL;
  ck_assert_int_eq(gov_export_resident(s, id, &cli, "permintaan warga", &j), GOV_OK);
  json_t *res = json_object_get(j, "resident");
  ck_assert_ptr_nonnull(res);
  ck_assert_str_eq(json_string_value(json_object_get(res, "nik")), nik);
  ck_assert_str_eq(json_string_value(json_object_get(res, "name")), "Siti Rahma");
  ck_assert_str_eq(json_string_value(json_object_get(res, "phone")), "081234567890");
  ck_assert_str_eq(json_string_value(json_object_get(res, "kelurahan_code")), K1);
  /* every column of the residents table is there, plus the kelurahan's code and name */
  ck_assert_int_eq((int64_t)json_object_size(res),
                   raw_int("SELECT count(*) FROM pragma_table_info('residents')") + 2);
  json_t *skills = json_object_get(j, "skills");
  ck_assert_uint_eq(json_array_size(skills), 2);
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(skills, 0), "code")),
                   "GAR-001");
  ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(skills, 0), "certified")), 1);
  json_t *history = json_object_get(j, "history");
  ck_assert_uint_eq(json_array_size(history), 1);
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(history, 0), "new_value")),
                   "GAR-001*;GAR-002");
  json_t *iv = json_object_get(j, "interventions");
  ck_assert_uint_eq(json_array_size(iv), 1);
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(iv, 0), "source_ref")),
                   "PKH-9");
  ck_assert_uint_eq(json_array_size(json_object_get(j, "referrals")), 0);
  ck_assert_uint_eq(json_array_size(json_object_get(j, "enrolments")), 0);
  json_t *access = json_object_get(j, "access_record");
  ck_assert_uint_eq(json_array_size(access), 3);
  ck_assert(has_action(access, "correct_resident"));
  ck_assert(has_action(access, "read_resident"));
  ck_assert(has_action(access, "export_resident")); /* the export itself */
  json_decref(j);
  ck_assert_int_eq(count_where("audit_log", "action = 'export_resident' AND purpose = "
                                            "'permintaan warga'"),
                   1);

  /* a desk of another kelurahan cannot export, and its attempt reads nothing */
  struct gov_actor desk = {.user_id = -1, .kelurahan_id = kel(K3)};
  ck_assert_int_eq(gov_export_resident(s, id, &desk, NULL, &j), GOV_ENOTFOUND);
  ck_assert_ptr_null(j);
  ck_assert_int_eq(count_where("audit_log", "action = 'export_resident'"), 1);
}
END_TEST

/* ---- Erasure
 * ------------------------------------------------------------------------------------- */

/* Whether needle's bytes appear in the file at p (absent file: no). */
static int file_contains(const char *p, const char *needle) {
  FILE *f = fopen(p, "rb");
  if (f == NULL)
    return 0;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc(size > 0 ? (size_t)size : 1);
  ck_assert_ptr_nonnull(buf);
  size_t got = fread(buf, 1, (size_t)size, f);
  fclose(f);
  int found = memmem(buf, got, needle, strlen(needle)) != NULL;
  free(buf);
  return found;
}

static int db_files_contain(const char *needle) {
  char wal[600];
  snprintf(wal, sizeof wal, "%s-wal", path);
  return file_contains(path, needle) || file_contains(wal, needle);
}

START_TEST(erase_is_refused_while_a_service_is_active) {
  char nik[17];
  int64_t id = add_person(&(struct person){.birth = "1990-01-01", .sex = 'L', .serial = 1}, nik);
  char csv[256];
  snprintf(csv, sizeof csv,
           "nik,kind,office,start_date,end_date,status,source_ref\n%s,business_capital,Dinkop "
           "UKM,2026-01-01,,active,X1\n",
           nik);
  import_ok(csv);
  refer(id, "interviewed");
  enrol(running_batch(), id, "enrolled");
  struct gov_report rep;
  ck_assert_int_eq(gov_erase_resident(s, id, &cli, "Permintaan warga", &rep), GOV_EREFUSED);
  ck_assert(has_issue(&rep, "", "erase_active_intervention"));
  ck_assert(has_issue(&rep, "", "erase_open_referral"));
  ck_assert(has_issue(&rep, "", "erase_current_enrolment"));
  ck_assert_int_eq(rep.errors, 3);
  gov_report_free(&rep);
  raw_exec("UPDATE referrals SET status = 'hired'");
  raw_exec("UPDATE enrolments SET status = 'completed'");
  snprintf(csv, sizeof csv,
           "nik,kind,office,start_date,end_date,status,source_ref\n%s,business_capital,Dinkop "
           "UKM,2026-01-01,2026-10-31,ended,X1\n",
           nik);
  import_ok(csv);
  ck_assert_int_eq(gov_erase_resident(s, id, &cli, "Permintaan warga", &rep), GOV_EREFUSED);
  ck_assert(has_issue(&rep, "", "erase_placement_followup"));
  ck_assert_int_eq(rep.errors, 1);
  gov_report_free(&rep);
  ck_assert_int_eq(store_gov_resident_by_nik(s, nik, &id), STORE_OK);
  ck_assert_int_eq(count_where("audit_log", "action = 'erase_resident'"), 0);

  raw_exec("UPDATE referrals SET status = 'retained_6m'");
  ck_assert_int_eq(gov_erase_resident(s, id, &cli, "Permintaan warga", &rep), GOV_OK);
  gov_report_free(&rep);
}
END_TEST

START_TEST(erase_removes_the_nik_from_the_database_files) {
  char nik[17], first_nik[17];
  int64_t id = add_person(&(struct person){.name = "Sutrisno Wibawa Mandala",
                                           .birth = "1990-01-01",
                                           .sex = 'L',
                                           .serial = 77,
                                           .phone = "0811-2233-4455"},
                          first_nik);
  int64_t keep = add_person(
      &(struct person){.name = "Tetap Ada", .birth = "1991-01-01", .sex = 'L', .serial = 78}, NULL);
  /* an earlier NIK in the history, the NIK quoted in free text, skills */
  struct date_ymd b = {1990, 1, 1};
  ck_assert_int_eq(nik_format(nik, 36, 71, 10, &b, 'L', 79), NIK_OK);
  struct gov_report rep;
  char reason[96];
  snprintf(reason, sizeof reason, "NIK lama %s salah", first_nik);
  ck_assert_int_eq(gov_correct(s, id, &cli,
                               (struct gov_change[]){{"nik", nik}, {"skills", "MFG-001"}}, 2,
                               reason, &rep),
                   GOV_OK);
  gov_report_free(&rep);
  ck_assert_int_eq(gov_verify(s, id, &cli, "2026-03-01", "Dicek oleh desk", &rep), GOV_OK);
  gov_report_free(&rep);
  char detail[96];
  snprintf(detail, sizeof detail, "looked up %s at the desk", nik);
  struct store_audit a = {
      .user_id = -1, .action = "read_resident", .resident_id = id, .detail = detail};
  ck_assert_int_eq(store_audit_add(s, &a), STORE_OK);
  char csv[256];
  snprintf(csv, sizeof csv,
           "nik,kind,office,start_date,end_date,status\n%s,social_aid,Dinsos,2025-01-01,"
           "2025-12-31,ended\n",
           nik);
  import_ok(csv);

  /* control: the bytes are found before erasure */
  ck_assert_int_eq(store_gov_checkpoint(s), STORE_OK);
  ck_assert(db_files_contain(nik));
  ck_assert(db_files_contain(first_nik));

  snprintf(reason, sizeof reason, "Permintaan warga (NIK %s)", nik);
  ck_assert_int_eq(gov_erase_resident(s, id, &cli, reason, &rep), GOV_OK);
  ck_assert_int_eq(rep.warnings, 0); /* the checkpoint completed */
  gov_report_free(&rep);

  struct store_gov_resident r;
  ck_assert_int_eq(store_gov_resident_read(s, id, &r), STORE_OK);
  ck_assert_str_eq(r.nik, "");
  ck_assert_str_eq(r.name, "");
  ck_assert_str_eq(r.phone, "");
  ck_assert_str_eq(r.birth_date, "");
  ck_assert_str_eq(r.verified_at, "");
  ck_assert_str_eq(r.skills, "");
  ck_assert_str_ne(r.erased_at, "");
  ck_assert_str_eq(r.kelurahan_code, K1); /* kept for aggregate reports */
  ck_assert_int_eq(r.desil, 3);
  ck_assert_int_eq(count_where("resident_history", "old_value IS NOT NULL OR new_value IS NOT "
                                                   "NULL OR reason IS NOT NULL"),
                   0);
  ck_assert_int_eq(count_where("audit_log", "action = 'erase_resident' AND purpose LIKE "
                                            "'Permintaan warga (NIK [NIK dihapus/erased])'"),
                   1);
  ck_assert_int_eq(count_where("interventions", "1"), 1); /* the service stays, anonymous */

  /* gone from both files, and the other resident untouched */
  store_close(s);
  s = NULL;
  ck_assert(!db_files_contain(nik));
  ck_assert(!db_files_contain(first_nik));
  ck_assert(!db_files_contain("Sutrisno Wibawa Mandala"));
  ck_assert(!db_files_contain("0811-2233-4455"));
  ck_assert(db_files_contain("Tetap Ada"));
  ck_assert_int_eq(raw_int("SELECT count(*) FROM pragma_integrity_check WHERE "
                           "integrity_check = 'ok'"),
                   1);

  char err[256];
  ck_assert_int_eq(store_open(path, &s, err, sizeof err), STORE_OK);
  int64_t found = -1;
  ck_assert_int_eq(store_gov_resident_by_nik(s, nik, &found), STORE_ENOTFOUND);
  json_t *j = NULL;
  ck_assert_int_eq(gov_export_resident(s, id, &cli, NULL, &j), GOV_ENOTFOUND);
  ck_assert_int_eq(gov_verify(s, id, &cli, NULL, NULL, &rep), GOV_ENOTFOUND);
  gov_report_free(&rep);
  ck_assert_int_eq(gov_erase_resident(s, id, &cli, "lagi", &rep), GOV_ENOTFOUND);
  gov_report_free(&rep);
  struct store_engine_resident er;
  ck_assert_int_eq(store_engine_resident(s, id, &er), STORE_ENOTFOUND);
  ck_assert_int_eq(store_engine_resident(s, keep, &er), STORE_OK);
}
END_TEST

/* ---- Command line -------------------------------------------------------------------------------
 */

/* What the last run() printed on stdout and stderr. */
static char output[1 << 16];

/* Runs a command-line function with args, its output captured into
 * output, and returns its exit status. */
static int run(int (*fn)(int, char **), const char *const *args) {
  char *argv[16];
  int argc = 0;
  for (; args[argc] != NULL; argc++)
    argv[argc] = (char *)args[argc];
  argv[argc] = NULL;
  char file[600];
  snprintf(file, sizeof file, "%s/output.txt", dir);
  fflush(stdout);
  fflush(stderr);
  int out = dup(STDOUT_FILENO), err = dup(STDERR_FILENO);
  int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ck_assert(out >= 0 && err >= 0 && fd >= 0);
  dup2(fd, STDOUT_FILENO);
  dup2(fd, STDERR_FILENO);
  close(fd);
  int status = fn(argc, argv);
  fflush(stdout);
  fflush(stderr);
  dup2(out, STDOUT_FILENO);
  dup2(err, STDERR_FILENO);
  close(out);
  close(err);
  FILE *f = fopen(file, "rb");
  ck_assert_ptr_nonnull(f);
  size_t n = fread(output, 1, sizeof output - 1, f);
  output[n] = '\0';
  fclose(f);
  return status;
}

START_TEST(cli_usage_errors_and_help) {
  const char *d = dir;
  ck_assert_int_eq(run(cli_gov_report, (const char *[]){"report", "--help", NULL}), 0);
  ck_assert_ptr_eq(strstr(output, "usage: padan report"), output);
  ck_assert_int_eq(run(cli_gov_report, (const char *[]){"report", NULL}), 2);
  /* one line that names the problem */
  ck_assert_ptr_eq(strstr(output, "padan: report: expected one of"), output);
  ck_assert_ptr_eq(strchr(output, '\n'), output + strlen(output) - 1);
  ck_assert_int_eq(run(cli_gov_report, (const char *[]){"report", "sideways", "--data", d, NULL}),
                   2);
  ck_assert_int_eq(run(cli_gov_report, (const char *[]){"report", "overlaps", "--bogus", NULL}), 2);
  ck_assert_int_eq(
      run(cli_gov_report, (const char *[]){"report", "overlaps", "--date", "2026-02-30", NULL}), 2);
  ck_assert_int_eq(run(cli_gov_resident, (const char *[]){"resident", "erase", "1", NULL}), 2);
  ck_assert_int_eq(run(cli_gov_priority, (const char *[]){"priority", "pin", NULL}), 2);
  ck_assert_int_eq(run(cli_gov_interventions, (const char *[]){"interventions", NULL}), 2);
  /* a missing file and a missing database are failures, not usage errors */
  ck_assert_int_eq(run(cli_gov_interventions,
                       (const char *[]){"interventions", "/nonexistent.csv", "--data", d, NULL}),
                   1);
  ck_assert_int_eq(run(cli_gov_report,
                       (const char *[]){"report", "overlaps", "--data", "/nonexistent-dir", NULL}),
                   1);
}
END_TEST

START_TEST(cli_import_report_pin_and_resident) {
  three_residents();
  store_close(s); /* the command line opens its own connection */
  s = NULL;
  char file[600];
  snprintf(file, sizeof file, "%s/iv.csv", dir);
  FILE *f = fopen(file, "w");
  ck_assert_ptr_nonnull(f);
  fputs(csv3(VALID_FILE), f);
  fclose(f);
  const char *d = dir;
  ck_assert_int_eq(run(cli_gov_interventions, (const char *[]){"import", "interventions", file,
                                                               "--data", d, "--dry-run", NULL}),
                   0);
  ck_assert_int_eq(count_where("interventions", "1"), 0);
  ck_assert_int_eq(
      run(cli_gov_interventions, (const char *[]){"interventions", file, "--data", d, NULL}), 0);
  ck_assert_int_eq(count_where("interventions", "1"), 3);
  ck_assert_int_eq(
      run(cli_gov_report, (const char *[]){"report", "overlaps", "--csv", "--data", d, NULL}), 0);
  ck_assert_str_eq(output, "kelurahan_code,kelurahan,resident_id,nik,name,a_source,a_id,a_kind,"
                           "a_office,a_start,a_end,b_source,b_id,b_kind,b_office,b_start,b_end,"
                           "reason_id,reason_en\n");
  ck_assert_int_eq(
      run(cli_gov_report, (const char *[]){"report", "verification", "--summary", "--csv", "--data",
                                           d, "--kelurahan", K1, "--date", TODAY, NULL}),
      0);
  ck_assert_ptr_nonnull(strstr(output, "\n36.71.10.1001,Neglasari,3,3,0,0\n"));
  ck_assert_int_eq(run(cli_gov_report,
                       (const char *[]){"report", "unserved", "--data", d, "--date", TODAY, NULL}),
                   0);
  ck_assert_int_eq(count_where("audit_log", "action LIKE 'report_%' AND username = 'cli'"), 3);

  ck_assert_int_eq(
      run(cli_gov_priority, (const char *[]){"priority", "pin", K3, "--data", d, NULL}), 0);
  ck_assert_int_eq(count_where("kelurahan", "priority_pinned = 1"), 1);
  ck_assert_str_eq(output, "kelurahan " K3 " pinned on\n");
  ck_assert_int_eq(
      run(cli_gov_priority, (const char *[]){"priority", "list", "--csv", "--data", d, NULL}), 0);
  size_t lines = 0;
  for (const char *c = output; *c; c++)
    lines += *c == '\n';
  ck_assert_uint_eq(lines, 1 + 104);
  ck_assert_ptr_nonnull(strstr(output, "," K3 ",Cimone,Karawaci,"));
  ck_assert_int_eq(
      run(cli_gov_priority, (const char *[]){"priority", "pin", K3, "--off", "--data", d, NULL}),
      0);
  ck_assert_int_eq(count_where("kelurahan", "priority_pinned = 0"), 1);
  ck_assert_int_eq(
      run(cli_gov_priority, (const char *[]){"priority", "unpin", K3, "--data", d, NULL}), 0);
  ck_assert_int_eq(count_where("kelurahan", "priority_pinned IS NOT NULL"), 0);
  ck_assert_int_eq(count_where("audit_log", "action = 'priority_pin'"), 3);
  ck_assert_int_eq(run(cli_gov_priority,
                       (const char *[]){"priority", "pin", "36.71.99.9999", "--data", d, NULL}),
                   1);

  ck_assert_int_eq(
      run(cli_gov_resident, (const char *[]){"resident", "correct", nik2, "--set", "desil=1",
                                             "--set", "phone=0812 1111 2222", "--reason",
                                             "Kunjungan rumah", "--data", d, NULL}),
      0);
  ck_assert_int_eq(count_where("resident_history", "1"), 2);
  ck_assert_int_eq(
      run(cli_gov_resident, (const char *[]){"resident", "correct", nik2, "--set", "desil=99",
                                             "--reason", "x", "--data", d, NULL}),
      1);
  char out[600];
  snprintf(out, sizeof out, "%s/export.json", dir);
  ck_assert_int_eq(run(cli_gov_resident, (const char *[]){"resident", "export", nik2, "--out", out,
                                                          "--data", d, NULL}),
                   0);
  json_error_t jerr;
  json_t *j = json_load_file(out, 0, &jerr);
  ck_assert_ptr_nonnull(j);
  ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "resident"), "nik")), nik2);
  json_decref(j);
  ck_assert_int_eq(run(cli_gov_resident, (const char *[]){"resident", "erase", nik2, "--reason",
                                                          "Permintaan warga", "--data", d, NULL}),
                   1); /* social aid still active */
  ck_assert_int_eq(run(cli_gov_resident, (const char *[]){"resident", "erase", nik3, "--reason",
                                                          "Permintaan warga", "--data", d, NULL}),
                   0);
  ck_assert_int_eq(
      run(cli_gov_resident, (const char *[]){"resident", "export", nik3, "--data", d, NULL}), 1);
}
END_TEST

static Suite *gov_suite(void) {
  Suite *suite = suite_create("gov");
  TCase *t = tcase_create("verification");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, verify_sets_fields_history_and_audit);
  tcase_add_test(t, verify_refuses_bad_dates_and_other_kelurahan);
  tcase_add_test(t, needing_verification_follows_the_window);
  tcase_add_test(t, verification_summary_counts);
  suite_add_tcase(suite, t);

  t = tcase_create("corrections");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, correction_writes_history_with_old_and_new);
  tcase_add_test(t, bad_corrections_change_nothing);
  tcase_add_test(t, nik_correction_flags_a_mismatch_like_an_import);
  tcase_add_test(t, desk_corrects_only_its_own_kelurahan);
  suite_add_tcase(suite, t);

  t = tcase_create("interventions");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, import_valid_file_then_again_changes_nothing);
  tcase_add_test(t, import_reports_every_bad_row_and_writes_nothing);
  tcase_add_test(t, dry_run_counts_and_writes_nothing);
  tcase_add_test(t, active_business_capital_blocks_matching);
  suite_add_tcase(suite, t);

  t = tcase_create("reports");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, overlaps_lists_exactly_the_conflicting_pairs);
  tcase_add_test(t, unserved_lists_exactly_the_missed_target_residents);
  suite_add_tcase(suite, t);

  t = tcase_create("rights");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, export_holds_the_record_and_its_access_record);
  tcase_add_test(t, erase_is_refused_while_a_service_is_active);
  tcase_add_test(t, erase_removes_the_nik_from_the_database_files);
  suite_add_tcase(suite, t);

  t = tcase_create("cli");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, cli_usage_errors_and_help);
  tcase_add_test(t, cli_import_report_pin_and_resident);
  suite_add_tcase(suite, t);
  return suite;
}

int main(void) {
  return tu_run_suite(gov_suite());
}
