/*
 * store_residents.c — the queries behind the API's access table (whose is
 * an object: one query per kind of object), the resident list with its
 * filters, the parts of a resident's record the governance reads do not
 * cover (skill names, interventions, services), and the audit log's reads.
 * Lists page by id (WHERE id > ?after ORDER BY id LIMIT ?limit), which is
 * stable under inserts and costs one index range per page.
 */
#include "store_int.h"

#include "dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Owners ------------------------------------------------------------------ */

int store_object_owner(struct store *s, enum store_object kind, int64_t id,
                       struct store_owner *out) {
  /* Every statement answers (kelurahan_id, employer_id, open) for one id. */
  static const char *const sql[] = {
      [STORE_O_RESIDENT] = "SELECT kelurahan_id, NULL, 0 FROM residents "
                           "WHERE id = ?1 AND erased_at IS NULL",
      [STORE_O_EMPLOYER] = "SELECT NULL, id, 0 FROM employers WHERE id = ?1",
      [STORE_O_VACANCY] = "SELECT NULL, employer_id, status = 'open' FROM vacancies WHERE id = ?1",
      [STORE_O_COURSE] = "SELECT NULL, NULL, 0 FROM courses WHERE id = ?1",
      [STORE_O_BATCH] = "SELECT NULL, NULL, 0 FROM batches WHERE id = ?1",
      [STORE_O_ENROLMENT] = "SELECT r.kelurahan_id, NULL, 0 FROM enrolments e "
                            "JOIN residents r ON r.id = e.resident_id WHERE e.id = ?1",
      [STORE_O_MATCH_RUN] = "SELECT NULL, NULL, 0 FROM match_runs WHERE id = ?1",
      [STORE_O_REFERRAL] = "SELECT r.kelurahan_id, v.employer_id, v.status = 'open' "
                           "FROM referrals f JOIN residents r ON r.id = f.resident_id "
                           "JOIN vacancies v ON v.id = f.vacancy_id WHERE f.id = ?1",
  };
  if ((unsigned)kind >= sizeof sql / sizeof sql[0])
    return STORE_ENOTFOUND;
  STORE__STMT(s, q, sql[kind]);
  sqlite3_bind_int64(q, 1, id);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    out->kelurahan_id = store__col_opt(q, 0);
    out->employer_id = store__col_opt(q, 1);
    out->open = sqlite3_column_int(q, 2);
  }
  sqlite3_reset(q);
  return store__found(rc);
}

/* ---- Audit --------------------------------------------------------------------- */

int store_audit_add_each(struct store *s, const struct store_audit *a, const int64_t *ids,
                         size_t n) {
  /* One statement for the whole list: atomic without a savepoint, and one
   * step instead of n (a page of 500 residents costs about a millisecond). */
  STORE__STMT(s, q,
              "INSERT INTO audit_log (at, user_id, username, role, action, route, resident_id, "
              "purpose, detail) SELECT ?1, ?2, ?3, ?4, ?5, ?6, j.value, ?8, ?9 "
              "FROM json_each(?7) j ORDER BY j.key");
  if (n == 0)
    return STORE_OK;
  char now[21];
  store_now_iso(now);
  store__bind_audit(q, a, now);
  if (store__bind_id_list(q, 7, ids, n) != STORE_OK)
    return STORE_ENOMEM;
  return store__done(q);
}

int store__bind_id_list(sqlite3_stmt *q, int i, const int64_t *ids, size_t n) {
  char *list = malloc(n * 22 + 2); /* "," and up to 20 digits and a sign per id */
  if (list == NULL)
    return STORE_ENOMEM;
  size_t used = 0;
  list[used++] = '[';
  for (size_t k = 0; k < n; k++)
    used += (size_t)snprintf(list + used, 22, "%s%lld", k > 0 ? "," : "", (long long)ids[k]);
  list[used++] = ']';
  int rc = sqlite3_bind_text(q, i, list, (int)used, SQLITE_TRANSIENT);
  free(list);
  return rc == SQLITE_OK ? STORE_OK : STORE_ENOMEM;
}

/* ---- Resident list ------------------------------------------------------------- */

/* Verification age in days, the rule of store_gov_unverified_each. */
#define VERIFIED_DAYS "(julianday(?1) - julianday(date(r.verified_at)))"

/* Parameters: ?1 today, ?2 validity days, ?3 after, ?4 limit, ?5 kelurahan,
 * ?6 kecamatan, ?7 status, ?8 verification, ?9 priority ids, ?10 priority
 * flag, ?11 oldest birth date (exclusive), ?12 youngest birth date. */
#define RES_LIST_SQL(KELURAHAN)                                                                    \
  "SELECT r.id, r.kelurahan_id, k.code, r.nik, r.name, r.sex, r.birth_date, r.education, "         \
  "r.work_status, r.school_status, r.verified_at, r.desil, "                                       \
  "CASE WHEN julianday(date(r.verified_at)) IS NULL THEN -1 ELSE CAST(" VERIFIED_DAYS              \
  " AS INTEGER) END "                                                                              \
  "FROM residents r LEFT JOIN kelurahan k ON k.id = r.kelurahan_id "                               \
  "WHERE r.erased_at IS NULL AND r.id > ?3 " KELURAHAN "AND (?6 IS NULL OR k.kecamatan_id = ?6) "  \
  "AND (?7 = 0 "                                                                                   \
  "  OR (?7 = 1 AND r.birth_date > ?11 AND r.birth_date <= ?12 "                                   \
  "      AND r.work_status IN ('unemployed', 'not_in_labour_force') "                              \
  "      AND r.school_status = 'not_in_school') "                                                  \
  "  OR (?7 = 2 AND r.work_status = 'working') "                                                   \
  "  OR (?7 = 3 AND r.work_status = 'unemployed') "                                                \
  "  OR (?7 = 4 AND r.work_status = 'not_in_labour_force') "                                       \
  "  OR (?7 = 5 AND r.school_status = 'in_school')) "                                              \
  "AND (?8 = 0 "                                                                                   \
  "  OR (?8 = 1 AND julianday(date(r.verified_at)) IS NOT NULL AND " VERIFIED_DAYS " <= ?2) "      \
  "  OR (?8 = 2 AND " VERIFIED_DAYS " > ?2) "                                                      \
  "  OR (?8 = 3 AND julianday(date(r.verified_at)) IS NULL) "                                      \
  "  OR (?8 = 4 AND (julianday(date(r.verified_at)) IS NULL OR " VERIFIED_DAYS " > ?2))) "         \
  "AND (?10 < 0 OR (r.kelurahan_id IS NOT NULL AND r.kelurahan_id IN "                             \
  "  (SELECT value FROM json_each(?9))) = ?10) "                                                   \
  "ORDER BY r.id LIMIT ?4"

static void read_summary(sqlite3_stmt *q, struct store_res_summary *r) {
  r->id = sqlite3_column_int64(q, 0);
  r->kelurahan_id = store__col_opt(q, 1);
  store__copy_col(r->kelurahan_code, sizeof r->kelurahan_code, q, 2);
  store__copy_col(r->nik, sizeof r->nik, q, 3);
  store__copy_col(r->name, sizeof r->name, q, 4);
  store__copy_col(r->sex, sizeof r->sex, q, 5);
  store__copy_col(r->birth_date, sizeof r->birth_date, q, 6);
  store__copy_col(r->education, sizeof r->education, q, 7);
  store__copy_col(r->work_status, sizeof r->work_status, q, 8);
  store__copy_col(r->school_status, sizeof r->school_status, q, 9);
  store__copy_col(r->verified_at, sizeof r->verified_at, q, 10);
  r->desil = (int)store__col_opt(q, 11);
  r->verified_days = sqlite3_column_int64(q, 12);
}

int store_res_list(struct store *s, const struct store_res_filter *f,
                   int (*fn)(void *arg, const struct store_res_summary *r), void *arg) {
  /* productive age on today: born after (today - max_age - 1 years) and on
   * or before (today - min_age years), as store_kelurahan_poverty */
  char oldest[11], youngest[11];
  if (date_iso_years_before(f->today, f->max_age + 1, oldest) != 0 ||
      date_iso_years_before(f->today, f->min_age, youngest) != 0)
    return STORE_EIO;
  /* With a kelurahan the index on residents(kelurahan_id) serves the
   * page, which a "?5 IS NULL OR" condition would keep SQLite from using. */
  sqlite3_stmt *q = f->kelurahan_id >= 0 ? store__sql(s, RES_LIST_SQL("AND r.kelurahan_id = ?5 "))
                                         : store__sql(s, RES_LIST_SQL("AND ?5 IS NULL "));
  if (q == NULL)
    return STORE_EIO;
  store__bind_text(q, 1, f->today);
  sqlite3_bind_int(q, 2, f->validity_days);
  sqlite3_bind_int64(q, 3, f->after);
  sqlite3_bind_int(q, 4, f->limit);
  store__bind_opt(q, 5, f->kelurahan_id);
  store__bind_opt(q, 6, f->kecamatan_id);
  sqlite3_bind_int(q, 7, (int)f->status);
  sqlite3_bind_int(q, 8, (int)f->verification);
  store__bind_text(q, 9, f->priority_ids != NULL ? f->priority_ids : "[]");
  sqlite3_bind_int(q, 10, f->priority);
  store__bind_text(q, 11, oldest);
  store__bind_text(q, 12, youngest);
  struct store_res_summary r;
  STORE__EACH_ROW(q, r, read_summary, fn, arg);
}

/* ---- Resident search --------------------------------------------------------------- */

static void read_hit(sqlite3_stmt *q, struct store_res_hit *h) {
  h->id = sqlite3_column_int64(q, 0);
  store__copy_col(h->name, sizeof h->name, q, 1);
  store__copy_col(h->birth_date, sizeof h->birth_date, q, 2);
  store__copy_col(h->address, sizeof h->address, q, 3);
  store__copy_col(h->kelurahan_code, sizeof h->kelurahan_code, q, 4);
  store__copy_col(h->kelurahan_name, sizeof h->kelurahan_name, q, 5);
}

int store_res_search(struct store *s, const struct store_res_search *f,
                     int (*fn)(void *arg, const struct store_res_hit *h), void *arg) {
  /* A NIK is unique (its index answers); a name scans the kelurahan by its
   * index, or every resident for an officer's city-wide search.  lower()
   * folds ASCII only, which DTSEN names are. */
  STORE__STMT(s, q,
              "SELECT r.id, r.name, r.birth_date, r.address, k.code, k.name "
              "FROM residents r LEFT JOIN kelurahan k ON k.id = r.kelurahan_id "
              "WHERE r.erased_at IS NULL AND r.id > ?1 "
              "AND (?2 IS NULL OR r.nik = ?2) "
              "AND (?3 IS NULL OR instr(lower(r.name), lower(?3)) > 0) "
              "AND (?4 IS NULL OR r.kelurahan_id = ?4) "
              "ORDER BY r.id LIMIT ?5");
  sqlite3_bind_int64(q, 1, f->after);
  store__bind_text(q, 2, f->nik);
  store__bind_text(q, 3, f->name);
  store__bind_opt(q, 4, f->kelurahan_id);
  sqlite3_bind_int(q, 5, f->limit);
  struct store_res_hit h;
  STORE__EACH_ROW(q, h, read_hit, fn, arg);
}

/* ---- Parts of one record ---------------------------------------------------------- */

/* A skill's six columns from column c. */
static void read_skill_at(sqlite3_stmt *q, int c, struct store_res_skill *k) {
  k->id = sqlite3_column_int64(q, c);
  store__copy_col(k->code, sizeof k->code, q, c + 1);
  store__copy_col(k->vocation, sizeof k->vocation, q, c + 2);
  store__copy_col(k->name_id, sizeof k->name_id, q, c + 3);
  store__copy_col(k->name_en, sizeof k->name_en, q, c + 4);
  k->certified = sqlite3_column_int(q, c + 5);
}

static void read_skill(sqlite3_stmt *q, struct store_res_skill *k) {
  read_skill_at(q, 0, k);
}

int store_res_skills_each(struct store *s, int64_t resident_id,
                          int (*fn)(void *arg, const struct store_res_skill *k), void *arg) {
  STORE__STMT(s, q,
              "SELECT k.id, k.code, k.vocation, k.name_id, k.name_en, rs.certified "
              "FROM resident_skills rs JOIN skills k ON k.id = rs.skill_id "
              "WHERE rs.resident_id = ?1 ORDER BY k.code");
  sqlite3_bind_int64(q, 1, resident_id);
  struct store_res_skill k;
  STORE__EACH_ROW(q, k, read_skill, fn, arg);
}

/* An intervention's seven columns from column c. */
static void read_intervention_at(sqlite3_stmt *q, int c, struct store_gov_intervention_row *iv) {
  iv->id = sqlite3_column_int64(q, c);
  iv->resident_id = sqlite3_column_int64(q, c + 1);
  store__copy_col(iv->kind, sizeof iv->kind, q, c + 2);
  store__copy_col(iv->office, sizeof iv->office, q, c + 3);
  store__copy_col(iv->start_date, sizeof iv->start_date, q, c + 4);
  store__copy_col(iv->end_date, sizeof iv->end_date, q, c + 5);
  store__copy_col(iv->status, sizeof iv->status, q, c + 6);
}

static void read_intervention(sqlite3_stmt *q, struct store_gov_intervention_row *iv) {
  read_intervention_at(q, 0, iv);
}

int store_res_interventions_each(struct store *s, int64_t resident_id,
                                 int (*fn)(void *arg, const struct store_gov_intervention_row *iv),
                                 void *arg) {
  STORE__STMT(s, q,
              "SELECT id, resident_id, kind, office, start_date, end_date, status "
              "FROM interventions WHERE resident_id = ?1 ORDER BY start_date DESC, id DESC");
  sqlite3_bind_int64(q, 1, resident_id);
  struct store_gov_intervention_row iv;
  STORE__EACH_ROW(q, iv, read_intervention, fn, arg);
}

int store_res_services(struct store *s, int64_t resident_id, struct store_res_services *out) {
  STORE__STMT(s, q,
              "SELECT (SELECT group_concat(status || ':' || n, ';') FROM (SELECT status, count(*) "
              "  AS n FROM referrals WHERE resident_id = ?1 GROUP BY status ORDER BY status)), "
              "(SELECT group_concat(status || ':' || n, ';') FROM (SELECT status, count(*) AS n "
              "  FROM enrolments WHERE resident_id = ?1 GROUP BY status ORDER BY status))");
  sqlite3_bind_int64(q, 1, resident_id);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    store__copy_col(out->referrals, sizeof out->referrals, q, 0);
    store__copy_col(out->enrolments, sizeof out->enrolments, q, 1);
  }
  sqlite3_reset(q);
  return rc == SQLITE_ROW ? STORE_OK : store__rc(rc);
}

/* ---- One record in one statement ---------------------------------------------------- */

/* Three arms, told apart by the first column (0 the resident with its
 * services, 1 a skill, 2 an intervention) and put in the record's order by
 * the next three: a skill's code, an intervention's start and id (both
 * newest first).  Each arm's own columns start at column 4; the narrower
 * arms are padded with NULLs to the resident's 29 (its record's columns,
 * skills NULL as they come as rows of their own, and its two service
 * counts). */
#define NULL4 "NULL, NULL, NULL, NULL, "
#define NULL16 NULL4 NULL4 NULL4 NULL4
#define RECORD_SQL                                                                                 \
  "SELECT 0, NULL, NULL, NULL, " STORE__GOV_RESIDENT_COLS(                                         \
      "NULL") ", "                                                                                 \
              "(SELECT group_concat(status || ':' || n, ';') FROM (SELECT status, count(*) AS n "  \
              "  FROM referrals WHERE resident_id = ?1 GROUP BY status ORDER BY status)), "        \
              "(SELECT group_concat(status || ':' || n, ';') FROM (SELECT status, count(*) AS n "  \
              "  FROM enrolments WHERE resident_id = ?1 GROUP BY status ORDER BY status)) "        \
              "FROM residents r LEFT JOIN kelurahan k ON k.id = r.kelurahan_id WHERE r.id = ?1 "   \
              "UNION ALL SELECT 1, k.code, NULL, NULL, k.id, k.code, k.vocation, k.name_id, "      \
              "k.name_en, "                                                                        \
              "rs.certified, " NULL16 NULL4 "NULL, NULL, NULL "                                    \
              "FROM resident_skills rs JOIN skills k ON k.id = rs.skill_id WHERE rs.resident_id "  \
              "= ?1 "                                                                              \
              "UNION ALL SELECT 2, NULL, start_date, id, id, resident_id, kind, office, "          \
              "start_date, "                                                                       \
              "end_date, status, " NULL16 NULL4 "NULL, NULL "                                      \
              "FROM interventions WHERE resident_id = ?1 "                                         \
              "ORDER BY 1, 2, 3 DESC, 4 DESC"

/* The resident arm's columns, from column 4. */
static void read_record(sqlite3_stmt *q, struct store_res_record *o) {
  store__read_gov_resident(q, 4, &o->g);
  int c = 4 + STORE__GOV_RESIDENT_NCOLS;
  store__copy_col(o->services.referrals, sizeof o->services.referrals, q, c);
  store__copy_col(o->services.enrolments, sizeof o->services.enrolments, q, c + 1);
}

/* One row of a skill (arm 1) or an intervention (arm 2) to its callback. */
static int
record_part(sqlite3_stmt *q, int arm, int (*fn_skill)(void *arg, const struct store_res_skill *k),
            int (*fn_intervention)(void *arg, const struct store_gov_intervention_row *iv),
            void *arg) {
  if (arm == 1) {
    struct store_res_skill k;
    read_skill_at(q, 4, &k);
    return fn_skill(arg, &k);
  }
  struct store_gov_intervention_row iv;
  read_intervention_at(q, 4, &iv);
  return fn_intervention(arg, &iv);
}

int store_res_record(struct store *s, int64_t id, struct store_res_record *out,
                     int (*fn_skill)(void *arg, const struct store_res_skill *k),
                     int (*fn_intervention)(void *arg, const struct store_gov_intervention_row *iv),
                     void *arg) {
  STORE__STMT(s, q, RECORD_SQL);
  sqlite3_bind_int64(q, 1, id);
  int rc = SQLITE_DONE, found = 0, err = STORE_OK;
  while (err == STORE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
    int arm = sqlite3_column_int(q, 0);
    if (arm == 0) {
      read_record(q, out);
      found = 1;
    } else if (found) { /* a resident's parts: never without the resident */
      err = record_part(q, arm, fn_skill, fn_intervention, arg);
    }
  }
  sqlite3_reset(q);
  if (err != STORE_OK)
    return err;
  if (rc != SQLITE_DONE)
    return store__rc(rc);
  return found ? STORE_OK : STORE_ENOTFOUND;
}

int store_kecamatan_id(struct store *s, const char *code, int64_t *id) {
  STORE__STMT(s, q, "SELECT id FROM kecamatan WHERE code = ?1");
  store__bind_text(q, 1, code);
  return store__int(q, id);
}

/* ---- Audit reads ------------------------------------------------------------------ */

static void read_audit(sqlite3_stmt *q, struct store_audit_row *a) {
  a->id = sqlite3_column_int64(q, 0);
  store__copy_col(a->at, sizeof a->at, q, 1);
  a->user_id = store__col_opt(q, 2);
  store__copy_col(a->username, sizeof a->username, q, 3);
  store__copy_col(a->role, sizeof a->role, q, 4);
  store__copy_col(a->action, sizeof a->action, q, 5);
  store__copy_col(a->route, sizeof a->route, q, 6);
  a->resident_id = store__col_opt(q, 7);
  store__copy_col(a->purpose, sizeof a->purpose, q, 8);
  a->detail = (const char *)sqlite3_column_text(q, 9);
}

int store_audit_each(struct store *s, const struct store_audit_filter *f,
                     int (*fn)(void *arg, const struct store_audit_row *a), void *arg) {
#define AUDIT_SQL(RESIDENT)                                                                        \
  "SELECT id, at, user_id, username, role, action, route, resident_id, purpose, detail "           \
  "FROM audit_log WHERE id > ?1 " RESIDENT                                                         \
  "AND (?3 IS NULL OR username = ?3) AND (?4 IS NULL OR action = ?4) "                             \
  "AND (?6 IS NULL OR at >= ?6) AND (?7 IS NULL OR at <= ?7) ORDER BY id LIMIT ?2"
  /* A resident's access record reads through the audit_resident index. */
  sqlite3_stmt *q = f->resident_id >= 0 ? store__sql(s, AUDIT_SQL("AND resident_id = ?5 "))
                                        : store__sql(s, AUDIT_SQL("AND ?5 IS NULL "));
  if (q == NULL)
    return STORE_EIO;
  sqlite3_bind_int64(q, 1, f->after);
  sqlite3_bind_int(q, 2, f->limit);
  store__bind_text(q, 3, f->username);
  store__bind_text(q, 4, f->action);
  store__bind_opt(q, 5, f->resident_id);
  store__bind_text(q, 6, f->from);
  store__bind_text(q, 7, f->to);
  struct store_audit_row a;
  STORE__EACH_ROW(q, a, read_audit, fn, arg);
}
