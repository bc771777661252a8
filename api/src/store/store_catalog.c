/*
 * store_catalog.c — the catalog the API serves: employers, vacancies, BLK
 * courses with their batches and outcomes, and enrolments with the registry
 * row that records each of them (see store.h, "Catalog").  Every list is one
 * statement with optional filters bound as NULL when unused, walked in id
 * order from a page's "after"; a row's skill lists come from a second,
 * small statement per row, so that a reply can name every skill in both
 * languages.  Single reads are the list with an id filter.
 */
#include "store_int.h"

#include <stdio.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

/* Referral states that fill an opening (store_engine.c counts the same). */
#define FILLED "('hired', 'retained_3m', 'retained_6m')"

/* A single read through a list function: the callback copies the one row
 * and stops the walk with 1. */
#define GET_VIA_LIST(list, filter, copy, out)                                                      \
  do {                                                                                             \
    int rc_ = list(s, &(filter), copy, (out));                                                     \
    return rc_ == 1 ? STORE_OK : rc_ == STORE_OK ? STORE_ENOTFOUND : rc_;                          \
  } while (0)

/* ---- Shared pieces ---------------------------------------------------------------- */

/* The first code "<prefix><n>" (n zero-padded to width digits) not yet used
 * in table t, trying from the table's row count + 1 upwards: seeded codes
 * are numbered by row, so the first try is normally free. */
static int next_code(struct store *s, enum store_table t, const char *prefix, int width, char *out,
                     size_t cap) {
  int64_t n, id;
  int rc = store_count(s, t, &n);
  if (rc != STORE_OK)
    return rc;
  for (int tries = 0; tries < 100000; tries++) {
    int len = snprintf(out, cap, "%s%0*lld", prefix, width, (long long)(n + 1 + tries));
    if (len < 0 || (size_t)len >= cap)
      return STORE_ECONSTRAINT; /* the code would not fit the caller's buffer */
    rc = store_id_by_code(s, t, out, &id);
    if (rc == STORE_ENOTFOUND)
      return STORE_OK;
    if (rc != STORE_OK)
      return rc;
  }
  return STORE_ECONSTRAINT;
}

/* Binds an id filter: row ids are positive, so 0 (a zero-initialised
 * filter) and -1 both mean "any" and bind NULL. */
static void bind_id(sqlite3_stmt *q, int i, int64_t id) {
  if (id > 0)
    sqlite3_bind_int64(q, i, id);
  else
    sqlite3_bind_null(q, i);
}

static void read_skill_ref(sqlite3_stmt *q, int col, struct store_skill_ref *k) {
  k->id = sqlite3_column_int64(q, col);
  store__copy_col(k->code, sizeof k->code, q, col + 1);
  store__copy_col(k->name_id, sizeof k->name_id, q, col + 2);
  store__copy_col(k->name_en, sizeof k->name_en, q, col + 3);
}

/* Copies the row a list callback got into arg (a row of the same type). */
#define COPY_ROW(type)                                                                             \
  static int copy_##type(void *arg, const struct type *row) {                                      \
    memcpy(arg, row, sizeof *row);                                                                 \
    return 1;                                                                                      \
  }

/* ---- Employers ------------------------------------------------------------------------ */

static void read_employer(sqlite3_stmt *q, struct store_employer_row *e) {
  e->id = sqlite3_column_int64(q, 0);
  store__copy_col(e->code, sizeof e->code, q, 1);
  store__copy_col(e->name, sizeof e->name, q, 2);
  store__copy_col(e->sector, sizeof e->sector, q, 3);
  e->kelurahan_id = sqlite3_column_int64(q, 4);
  store__copy_col(e->kelurahan_code, sizeof e->kelurahan_code, q, 5);
  store__copy_col(e->kelurahan_name, sizeof e->kelurahan_name, q, 6);
  store__copy_col(e->kecamatan_code, sizeof e->kecamatan_code, q, 7);
  store__copy_col(e->kecamatan_name, sizeof e->kecamatan_name, q, 8);
  store__copy_col(e->address, sizeof e->address, q, 9);
  e->employees = store__col_opt(q, 10);
  e->synthetic = sqlite3_column_int(q, 11);
  store__copy_col(e->created_at, sizeof e->created_at, q, 12);
  e->vacancies = sqlite3_column_int64(q, 13);
  e->open_vacancies = sqlite3_column_int64(q, 14);
}

int store_employer_list(struct store *s, const struct store_employer_filter *f,
                        int (*fn)(void *arg, const struct store_employer_row *e), void *arg) {
  STORE__STMT(
      s, q,
      "SELECT e.id, e.code, e.name, e.sector, e.kelurahan_id, k.code, k.name, c.code, "
      "c.name, e.address, e.employees, e.synthetic, e.created_at, "
      "(SELECT count(*) FROM vacancies v WHERE v.employer_id = e.id), "
      "(SELECT count(*) FROM vacancies v WHERE v.employer_id = e.id AND v.status = 'open') "
      "FROM employers e JOIN kelurahan k ON k.id = e.kelurahan_id "
      "JOIN kecamatan c ON c.id = k.kecamatan_id "
      "WHERE e.id > ?1 AND (?2 IS NULL OR e.id = ?2) AND (?3 IS NULL OR e.kelurahan_id = ?3) "
      "AND (?4 IS NULL OR k.kecamatan_id = ?4) AND (?5 IS NULL OR e.sector = ?5) "
      "ORDER BY e.id LIMIT ?6");
  sqlite3_bind_int64(q, 1, f->after);
  bind_id(q, 2, f->id);
  bind_id(q, 3, f->kelurahan_id);
  bind_id(q, 4, f->kecamatan_id);
  store__bind_text(q, 5, f->sector);
  sqlite3_bind_int(q, 6, f->limit);
  struct store_employer_row row;
  STORE__EACH_ROW(q, row, read_employer, fn, arg);
}

COPY_ROW(store_employer_row)

int store_employer_get(struct store *s, int64_t id, struct store_employer_row *out) {
  struct store_employer_filter f = {
      .id = id, .kelurahan_id = -1, .kecamatan_id = -1, .after = 0, .limit = 1};
  GET_VIA_LIST(store_employer_list, f, copy_store_employer_row, out);
}

int store_employer_create(struct store *s, const struct store_employer *e, int64_t *id) {
  struct store_employer copy = *e;
  char code[32];
  if (copy.code == NULL) {
    int rc = next_code(s, STORE_T_EMPLOYERS, "EMP-", 3, code, sizeof code);
    if (rc != STORE_OK)
      return rc;
    copy.code = code;
  }
  return store_employer_add(s, &copy, id);
}

int store_employer_update(struct store *s, int64_t id, const struct store_employer *e) {
  STORE__STMT(s, q,
              "UPDATE employers SET name = ?2, sector = ?3, kelurahan_id = ?4, address = ?5, "
              "employees = ?6 WHERE id = ?1");
  sqlite3_bind_int64(q, 1, id);
  store__bind_text(q, 2, e->name);
  store__bind_text(q, 3, e->sector);
  sqlite3_bind_int64(q, 4, e->kelurahan_id);
  store__bind_text(q, 5, e->address);
  store__bind_opt(q, 6, e->employees);
  int rc = store__done(q);
  if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
    rc = STORE_ENOTFOUND;
  return rc;
}

/* ---- Vacancies -------------------------------------------------------------------------- */

/* The vacancy's must-have and nice-to-have skills, by code. */
static int vacancy_skills(struct store *s, struct store_vacancy_row *v) {
  STORE__STMT(s, q,
              "SELECT s.id, s.code, s.name_id, s.name_en, k.kind FROM vacancy_skills k "
              "JOIN skills s ON s.id = k.skill_id WHERE k.vacancy_id = ?1 ORDER BY s.code");
  sqlite3_bind_int64(q, 1, v->id);
  v->n_must = v->n_nice = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    int must = strcmp((const char *)sqlite3_column_text(q, 4), "must") == 0;
    size_t *n = must ? &v->n_must : &v->n_nice;
    if (*n < STORE_ROW_SKILLS)
      read_skill_ref(q, 0, must ? &v->must[(*n)++] : &v->nice[(*n)++]);
  }
  sqlite3_reset(q);
  return rc == SQLITE_DONE ? STORE_OK : store__rc(rc);
}

static int read_vacancy(struct store *s, sqlite3_stmt *q, struct store_vacancy_row *v) {
  v->id = sqlite3_column_int64(q, 0);
  store__copy_col(v->code, sizeof v->code, q, 1);
  v->employer_id = sqlite3_column_int64(q, 2);
  store__copy_col(v->employer_code, sizeof v->employer_code, q, 3);
  store__copy_col(v->employer_name, sizeof v->employer_name, q, 4);
  store__copy_col(v->title, sizeof v->title, q, 5);
  store__copy_col(v->kbji, sizeof v->kbji, q, 6);
  store__copy_col(v->vocation, sizeof v->vocation, q, 7);
  v->kelurahan_id = sqlite3_column_int64(q, 8);
  store__copy_col(v->kelurahan_code, sizeof v->kelurahan_code, q, 9);
  store__copy_col(v->kelurahan_name, sizeof v->kelurahan_name, q, 10);
  store__copy_col(v->kecamatan_code, sizeof v->kecamatan_code, q, 11);
  store__copy_col(v->kecamatan_name, sizeof v->kecamatan_name, q, 12);
  store__copy_col(v->min_education, sizeof v->min_education, q, 13);
  v->min_age = (int)store__col_opt(q, 14);
  v->max_age = (int)store__col_opt(q, 15);
  v->openings = sqlite3_column_int(q, 16);
  v->filled = sqlite3_column_int(q, 17);
  v->wage_monthly = sqlite3_column_int64(q, 18);
  store__copy_col(v->shift, sizeof v->shift, q, 19);
  store__copy_col(v->status, sizeof v->status, q, 20);
  store__copy_col(v->posted_date, sizeof v->posted_date, q, 21);
  store__copy_col(v->deadline, sizeof v->deadline, q, 22);
  store__copy_col(v->created_at, sizeof v->created_at, q, 23);
  store__copy_col(v->updated_at, sizeof v->updated_at, q, 24);
  return vacancy_skills(s, v);
}

#define VACANCY_FILLED                                                                             \
  "(SELECT count(*) FROM referrals f WHERE f.vacancy_id = v.id AND f.status IN " FILLED ")"

int store_vacancy_list(struct store *s, const struct store_vacancy_filter *f,
                       int (*fn)(void *arg, const struct store_vacancy_row *v), void *arg) {
  STORE__STMT(
      s, q,
      "SELECT v.id, v.code, v.employer_id, e.code, e.name, v.title, v.kbji, v.vocation, "
      "v.kelurahan_id, k.code, k.name, c.code, c.name, v.min_education, v.min_age, v.max_age, "
      "v.openings, " VACANCY_FILLED ", v.wage_monthly, v.shift, v.status, v.posted_date, "
      "v.deadline, v.created_at, v.updated_at "
      "FROM vacancies v JOIN employers e ON e.id = v.employer_id "
      "JOIN kelurahan k ON k.id = v.kelurahan_id JOIN kecamatan c ON c.id = k.kecamatan_id "
      "WHERE v.id > ?1 AND (?2 IS NULL OR v.id = ?2) AND (?3 IS NULL OR v.employer_id = ?3) "
      "AND (?4 IS NULL OR v.kelurahan_id = ?4) AND (?5 IS NULL OR k.kecamatan_id = ?5) "
      "AND (?6 IS NULL OR v.status = ?6) AND (?7 IS NULL OR v.vocation = ?7) "
      "AND (?8 = 0 OR (v.wage_monthly < " STR(
          STORE_UMK_MONTHLY) ") = (?8 = 1)) "
                             "AND (?9 = 0 OR v.status = 'open') "
                             "AND (?10 IS NULL OR (v.status = 'open' AND coalesce(v.deadline, ?10) "
                             ">= ?10 "
                             "  AND v.openings > " VACANCY_FILLED ")) "
                             "ORDER BY v.id LIMIT ?11");
  sqlite3_bind_int64(q, 1, f->after);
  bind_id(q, 2, f->id);
  bind_id(q, 3, f->employer_id);
  bind_id(q, 4, f->kelurahan_id);
  bind_id(q, 5, f->kecamatan_id);
  store__bind_text(q, 6, f->status);
  store__bind_text(q, 7, f->vocation);
  sqlite3_bind_int(q, 8, f->umk);
  sqlite3_bind_int(q, 9, f->status_open ? 1 : 0);
  store__bind_text(q, 10, f->open_on);
  sqlite3_bind_int(q, 11, f->limit);
  struct store_vacancy_row row;
  STORE__WALK(q, row, read_vacancy(s, q, &row), fn, arg);
}

COPY_ROW(store_vacancy_row)

int store_vacancy_get(struct store *s, int64_t id, struct store_vacancy_row *out) {
  struct store_vacancy_filter f = {
      .id = id, .employer_id = -1, .kelurahan_id = -1, .kecamatan_id = -1, .after = 0, .limit = 1};
  GET_VIA_LIST(store_vacancy_list, f, copy_store_vacancy_row, out);
}

static int vacancy_skills_put(struct store *s, int64_t id, const struct store_vacancy_skills *k) {
  STORE__STMT(s, q, "DELETE FROM vacancy_skills WHERE vacancy_id = ?1");
  sqlite3_bind_int64(q, 1, id);
  int rc = store__done(q);
  for (size_t i = 0; rc == STORE_OK && i < k->n_must; i++)
    rc = store_vacancy_skill_add(s, id, k->must[i], "must");
  for (size_t i = 0; rc == STORE_OK && i < k->n_nice; i++)
    rc = store_vacancy_skill_add(s, id, k->nice[i], "nice");
  return rc;
}

int store_vacancy_create(struct store *s, const struct store_vacancy *v,
                         const struct store_vacancy_skills *k, int64_t *id) {
  struct store_vacancy copy = *v;
  char code[24];
  int64_t new_id;
  int rc = next_code(s, STORE_T_VACANCIES, "VAC-", 4, code, sizeof code);
  if (rc != STORE_OK)
    return rc;
  copy.code = code;
  rc = store_vacancy_add(s, &copy, &new_id);
  if (rc == STORE_OK)
    rc = vacancy_skills_put(s, new_id, k);
  if (rc == STORE_OK && id != NULL)
    *id = new_id;
  return rc;
}

int store_vacancy_update(struct store *s, int64_t id, const struct store_vacancy *v,
                         const struct store_vacancy_skills *k) {
  char now[21];
  store_now_iso(now);
  STORE__STMT(s, q,
              "UPDATE vacancies SET title = ?2, kbji = ?3, vocation = ?4, kelurahan_id = ?5, "
              "min_education = ?6, min_age = ?7, max_age = ?8, openings = ?9, wage_monthly = ?10, "
              "shift = ?11, status = ?12, deadline = ?13, updated_at = ?14 WHERE id = ?1");
  sqlite3_bind_int64(q, 1, id);
  store__bind_text(q, 2, v->title);
  store__bind_text(q, 3, v->kbji);
  store__bind_text(q, 4, v->vocation);
  sqlite3_bind_int64(q, 5, v->kelurahan_id);
  store__bind_text(q, 6, v->min_education);
  store__bind_opt(q, 7, v->min_age);
  store__bind_opt(q, 8, v->max_age);
  sqlite3_bind_int(q, 9, v->openings);
  sqlite3_bind_int64(q, 10, v->wage_monthly);
  store__bind_text(q, 11, v->shift);
  store__bind_text(q, 12, v->status);
  store__bind_text(q, 13, v->deadline);
  store__bind_text(q, 14, now);
  int rc = store__done(q);
  if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
    rc = STORE_ENOTFOUND;
  if (rc == STORE_OK && k != NULL)
    rc = vacancy_skills_put(s, id, k);
  return rc;
}

/* ---- Courses ------------------------------------------------------------------------------ */

static int course_skills(struct store *s, struct store_course_row *c) {
  STORE__STMT(s, q,
              "SELECT s.id, s.code, s.name_id, s.name_en FROM course_skills k "
              "JOIN skills s ON s.id = k.skill_id WHERE k.course_id = ?1 ORDER BY s.code");
  sqlite3_bind_int64(q, 1, c->id);
  c->n_skills = 0;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW)
    if (c->n_skills < STORE_ROW_SKILLS)
      read_skill_ref(q, 0, &c->skills[c->n_skills++]);
  sqlite3_reset(q);
  return rc == SQLITE_DONE ? STORE_OK : store__rc(rc);
}

static int read_course(struct store *s, sqlite3_stmt *q, struct store_course_row *c) {
  STORE__READ_COURSE_HEAD(q, c);
  store__copy_col(c->schedule, sizeof c->schedule, q, 6);
  c->batches = sqlite3_column_int64(q, 7);
  c->batches_open = sqlite3_column_int64(q, 8);
  return course_skills(s, c);
}

int store_course_list(struct store *s, const struct store_course_filter *f,
                      int (*fn)(void *arg, const struct store_course_row *c), void *arg) {
  STORE__STMT(s, q,
              "SELECT c.id, c.code, c.name, c.vocation, c.hours, c.batch_capacity, c.schedule, "
              "(SELECT count(*) FROM batches b WHERE b.course_id = c.id), "
              "(SELECT count(*) FROM batches b WHERE b.course_id = c.id "
              "  AND b.status <> 'finished') "
              "FROM courses c WHERE c.id > ?1 AND (?2 IS NULL OR c.id = ?2) "
              "AND (?3 IS NULL OR c.vocation = ?3) ORDER BY c.id LIMIT ?4");
  sqlite3_bind_int64(q, 1, f->after);
  bind_id(q, 2, f->id);
  store__bind_text(q, 3, f->vocation);
  sqlite3_bind_int(q, 4, f->limit);
  struct store_course_row row;
  STORE__WALK(q, row, read_course(s, q, &row), fn, arg);
}

COPY_ROW(store_course_row)

int store_course_get(struct store *s, int64_t id, struct store_course_row *out) {
  struct store_course_filter f = {.id = id, .after = 0, .limit = 1};
  GET_VIA_LIST(store_course_list, f, copy_store_course_row, out);
}

int store_course_create(struct store *s, const struct store_course *c, const int64_t *skill_ids,
                        size_t n_skills, int64_t *id) {
  struct store_course copy = *c;
  char code[24];
  int64_t new_id;
  int rc = STORE_OK;
  if (copy.code == NULL) {
    rc = next_code(s, STORE_T_COURSES, "BLK-", 3, code, sizeof code);
    copy.code = code;
  }
  if (rc == STORE_OK)
    rc = store_course_add(s, &copy, &new_id);
  for (size_t i = 0; rc == STORE_OK && i < n_skills; i++)
    rc = store_course_skill_add(s, new_id, skill_ids[i]);
  if (rc == STORE_OK && id != NULL)
    *id = new_id;
  return rc;
}

static void read_outcome(sqlite3_stmt *q, struct store_course_outcome *o) {
  o->batch_id = sqlite3_column_int64(q, 0);
  o->batch_no = sqlite3_column_int(q, 1);
  store__copy_col(o->start_date, sizeof o->start_date, q, 2);
  store__copy_col(o->end_date, sizeof o->end_date, q, 3);
  store__copy_col(o->source, sizeof o->source, q, 4);
  o->enrolled = sqlite3_column_int64(q, 5);
  o->completed = sqlite3_column_int64(q, 6);
  o->certified = sqlite3_column_int64(q, 7);
  o->placed_6m = sqlite3_column_int64(q, 8);
  o->in_force = sqlite3_column_int(q, 9);
  const unsigned char *sectors = sqlite3_column_text(q, 10);
  o->sectors = sectors != NULL ? (const char *)sectors : "";
}

/* Per batch, measured outcomes win over seeded ones (store_engine.c reads
 * the same rule into the engine). */
int store_course_outcomes_each(struct store *s, int64_t course_id,
                               int (*fn)(void *arg, const struct store_course_outcome *o),
                               void *arg) {
  STORE__STMT(s, q,
              "SELECT o.batch_id, b.batch_no, b.start_date, b.end_date, o.source, o.enrolled, "
              "o.completed, o.certified, o.placed_6m, "
              "NOT (o.source = 'seeded' AND EXISTS (SELECT 1 FROM batch_outcomes m "
              "  WHERE m.batch_id = o.batch_id AND m.source = 'measured')), "
              "(SELECT group_concat(x.sector || ':' || x.placed, ';') FROM (SELECT sector, placed "
              "  FROM batch_outcome_sectors y WHERE y.batch_id = o.batch_id "
              "  AND y.source = o.source ORDER BY sector) x) "
              "FROM batch_outcomes o JOIN batches b ON b.id = o.batch_id "
              "WHERE b.course_id = ?1 ORDER BY b.batch_no, o.source");
  sqlite3_bind_int64(q, 1, course_id);
  struct store_course_outcome o;
  STORE__EACH_ROW(q, o, read_outcome, fn, arg);
}

/* ---- Batches ------------------------------------------------------------------------------ */

static void read_batch(sqlite3_stmt *q, struct store_batch_row *b) {
  b->id = sqlite3_column_int64(q, 0);
  b->course_id = sqlite3_column_int64(q, 1);
  store__copy_col(b->course_code, sizeof b->course_code, q, 2);
  store__copy_col(b->course_name, sizeof b->course_name, q, 3);
  b->batch_no = sqlite3_column_int(q, 4);
  b->capacity = sqlite3_column_int(q, 5);
  store__copy_col(b->start_date, sizeof b->start_date, q, 6);
  store__copy_col(b->end_date, sizeof b->end_date, q, 7);
  store__copy_col(b->status, sizeof b->status, q, 8);
  b->enrolled = sqlite3_column_int64(q, 9);
  b->completed = sqlite3_column_int64(q, 10);
  b->certified = sqlite3_column_int64(q, 11);
  b->dropped = sqlite3_column_int64(q, 12);
}

int store_batch_list(struct store *s, const struct store_batch_filter *f,
                     int (*fn)(void *arg, const struct store_batch_row *b), void *arg) {
  STORE__STMT(s, q,
              "SELECT b.id, b.course_id, c.code, c.name, b.batch_no, b.capacity, b.start_date, "
              "b.end_date, b.status, coalesce(sum(e.status = 'enrolled'), 0), "
              "coalesce(sum(e.status = 'completed'), 0), coalesce(sum(e.status = 'certified'), 0), "
              "coalesce(sum(e.status = 'dropped'), 0) "
              "FROM batches b JOIN courses c ON c.id = b.course_id "
              "LEFT JOIN enrolments e ON e.batch_id = b.id "
              "WHERE b.id > ?1 AND (?2 IS NULL OR b.id = ?2) AND (?3 IS NULL OR b.course_id = ?3) "
              "AND (?4 IS NULL OR b.status = ?4) GROUP BY b.id ORDER BY b.id LIMIT ?5");
  sqlite3_bind_int64(q, 1, f->after);
  bind_id(q, 2, f->id);
  bind_id(q, 3, f->course_id);
  store__bind_text(q, 4, f->status);
  sqlite3_bind_int(q, 5, f->limit);
  struct store_batch_row row;
  STORE__EACH_ROW(q, row, read_batch, fn, arg);
}

COPY_ROW(store_batch_row)

int store_batch_get(struct store *s, int64_t id, struct store_batch_row *out) {
  struct store_batch_filter f = {.id = id, .course_id = -1, .after = 0, .limit = 1};
  GET_VIA_LIST(store_batch_list, f, copy_store_batch_row, out);
}

int store_batch_next_no(struct store *s, int64_t course_id, int *batch_no) {
  STORE__STMT(s, q, "SELECT coalesce(max(batch_no), 0) + 1 FROM batches WHERE course_id = ?1");
  sqlite3_bind_int64(q, 1, course_id);
  int64_t n = 0;
  int rc = store__int(q, &n);
  *batch_no = (int)n;
  return rc;
}

int store_batch_update(struct store *s, int64_t id, const struct store_batch *b) {
  STORE__STMT(s, q,
              "UPDATE batches SET start_date = ?2, end_date = ?3, capacity = ?4, status = ?5 "
              "WHERE id = ?1");
  sqlite3_bind_int64(q, 1, id);
  store__bind_text(q, 2, b->start_date);
  store__bind_text(q, 3, b->end_date);
  sqlite3_bind_int(q, 4, b->capacity);
  store__bind_text(q, 5, b->status);
  int rc = store__done(q);
  if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
    rc = STORE_ENOTFOUND;
  return rc;
}

int store_batch_residents_each(struct store *s, int64_t batch_id,
                               int (*fn)(void *arg, int64_t resident_id), void *arg) {
  STORE__STMT(s, q, "SELECT resident_id FROM enrolments WHERE batch_id = ?1 ORDER BY id");
  sqlite3_bind_int64(q, 1, batch_id);
  int rc, res = STORE_OK;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    res = fn(arg, sqlite3_column_int64(q, 0));
    if (res != 0)
      break;
  }
  if (res == STORE_OK && rc != SQLITE_DONE)
    res = store__rc(rc);
  sqlite3_reset(q);
  return res;
}

/* The registry is indexed by resident, not by enrolment: the resident
 * condition lets the update use that index. */
int store_batch_end_interventions(struct store *s, int64_t batch_id, const char *end_date) {
  STORE__STMT(s, q,
              "UPDATE interventions SET status = 'ended', end_date = ?2 WHERE status = 'active' "
              "AND resident_id IN (SELECT resident_id FROM enrolments WHERE batch_id = ?1) "
              "AND enrolment_id IN (SELECT id FROM enrolments WHERE batch_id = ?1)");
  sqlite3_bind_int64(q, 1, batch_id);
  store__bind_text(q, 2, end_date);
  return store__done(q);
}

/* ---- Enrolments ------------------------------------------------------------------------- */

static void read_enrolment(sqlite3_stmt *q, struct store_enrolment_row *e) {
  e->id = sqlite3_column_int64(q, 0);
  e->batch_id = sqlite3_column_int64(q, 1);
  e->course_id = sqlite3_column_int64(q, 2);
  e->resident_id = sqlite3_column_int64(q, 3);
  e->created_by = store__col_opt(q, 4);
  e->resident_kelurahan_id = store__col_opt(q, 5);
  e->intervention_id = store__col_opt(q, 6);
  store__copy_col(e->status, sizeof e->status, q, 7);
  store__copy_col(e->created_at, sizeof e->created_at, q, 8);
  store__copy_col(e->updated_at, sizeof e->updated_at, q, 9);
  store__copy_col(e->course_code, sizeof e->course_code, q, 10);
  store__copy_col(e->course_name, sizeof e->course_name, q, 11);
  store__copy_col(e->batch_status, sizeof e->batch_status, q, 12);
  e->batch_no = sqlite3_column_int(q, 13);
  store__copy_col(e->resident_name, sizeof e->resident_name, q, 14);
  store__copy_col(e->kelurahan_code, sizeof e->kelurahan_code, q, 15);
}

int store_enrolment_list(struct store *s, const struct store_enrolment_filter *f,
                         int (*fn)(void *arg, const struct store_enrolment_row *e), void *arg) {
  STORE__STMT(s, q,
              "SELECT e.id, e.batch_id, b.course_id, e.resident_id, e.created_by, r.kelurahan_id, "
              "(SELECT min(i.id) FROM interventions i WHERE i.resident_id = e.resident_id "
              "  AND i.enrolment_id = e.id), "
              "e.status, e.created_at, e.updated_at, c.code, c.name, b.status, b.batch_no, r.name, "
              "k.code FROM enrolments e JOIN batches b ON b.id = e.batch_id "
              "JOIN courses c ON c.id = b.course_id JOIN residents r ON r.id = e.resident_id "
              "LEFT JOIN kelurahan k ON k.id = r.kelurahan_id "
              "WHERE e.id > ?1 AND (?2 IS NULL OR e.id = ?2) AND (?3 IS NULL OR e.batch_id = ?3) "
              "AND (?4 IS NULL OR r.kelurahan_id = ?4) AND (?5 IS NULL OR e.status = ?5) "
              "ORDER BY e.id LIMIT ?6");
  sqlite3_bind_int64(q, 1, f->after);
  bind_id(q, 2, f->id);
  bind_id(q, 3, f->batch_id);
  bind_id(q, 4, f->kelurahan_id);
  store__bind_text(q, 5, f->status);
  sqlite3_bind_int(q, 6, f->limit);
  struct store_enrolment_row row;
  STORE__EACH_ROW(q, row, read_enrolment, fn, arg);
}

COPY_ROW(store_enrolment_row)

int store_enrolment_get(struct store *s, int64_t id, struct store_enrolment_row *out) {
  struct store_enrolment_filter f = {
      .id = id, .batch_id = -1, .kelurahan_id = -1, .after = 0, .limit = 1};
  GET_VIA_LIST(store_enrolment_list, f, copy_store_enrolment_row, out);
}

int store_batch_taken(struct store *s, int64_t batch_id, int64_t *n) {
  STORE__STMT(s, q, "SELECT count(*) FROM enrolments WHERE batch_id = ?1 AND status <> 'dropped'");
  sqlite3_bind_int64(q, 1, batch_id);
  return store__int(q, n);
}

int store_enrolment_find(struct store *s, int64_t batch_id, int64_t resident_id, int64_t *id) {
  STORE__STMT(s, q, "SELECT id FROM enrolments WHERE batch_id = ?1 AND resident_id = ?2");
  sqlite3_bind_int64(q, 1, batch_id);
  sqlite3_bind_int64(q, 2, resident_id);
  return store__int(q, id);
}

int store_enrolment_clash(struct store *s, int64_t resident_id, int64_t batch_id,
                          int64_t *other_batch_id) {
  STORE__STMT(s, q,
              "SELECT o.id FROM enrolments e JOIN batches o ON o.id = e.batch_id "
              "JOIN batches b ON b.id = ?2 "
              "WHERE e.resident_id = ?1 AND e.batch_id <> ?2 AND e.status = 'enrolled' "
              "AND o.status <> 'finished' "
              "AND coalesce(o.start_date, '0000-00-00') <= coalesce(b.end_date, '9999-12-31') "
              "AND coalesce(b.start_date, '0000-00-00') <= coalesce(o.end_date, '9999-12-31') "
              "ORDER BY o.id LIMIT 1");
  sqlite3_bind_int64(q, 1, resident_id);
  sqlite3_bind_int64(q, 2, batch_id);
  return store__int(q, other_batch_id);
}

int store_enrol(struct store *s, const struct store_enrol *e, int64_t *enrolment_id,
                int64_t *intervention_id) {
  char now[21];
  int64_t eid, iid;
  store_now_iso(now);
  STORE__STMT(s, add,
              "INSERT INTO enrolments (batch_id, resident_id, status, created_by, created_at, "
              "updated_at) VALUES (?1, ?2, 'enrolled', ?3, ?4, ?4)");
  sqlite3_bind_int64(add, 1, e->batch_id);
  sqlite3_bind_int64(add, 2, e->resident_id);
  store__bind_opt(add, 3, e->created_by);
  store__bind_text(add, 4, now);
  int rc = store__insert(s, add, &eid);
  if (rc != STORE_OK)
    return rc;
  STORE__STMT(s, iv,
              "INSERT INTO interventions (resident_id, kind, office, start_date, end_date, status, "
              "enrolment_id, created_by, created_at) "
              "VALUES (?1, 'training', ?2, ?3, ?4, 'active', ?5, ?6, ?7)");
  sqlite3_bind_int64(iv, 1, e->resident_id);
  store__bind_text(iv, 2, e->office);
  store__bind_text(iv, 3, e->start_date);
  store__bind_text(iv, 4, e->end_date);
  sqlite3_bind_int64(iv, 5, eid);
  store__bind_opt(iv, 6, e->created_by);
  store__bind_text(iv, 7, now);
  rc = store__insert(s, iv, &iid);
  if (rc != STORE_OK)
    return rc;
  if (enrolment_id != NULL)
    *enrolment_id = eid;
  if (intervention_id != NULL)
    *intervention_id = iid;
  return STORE_OK;
}

int store_enrolment_move(struct store *s, int64_t id, const char *status, const char *iv_status,
                         const char *iv_end) {
  char now[21];
  store_now_iso(now);
  STORE__STMT(s, q, "UPDATE enrolments SET status = ?2, updated_at = ?3 WHERE id = ?1");
  sqlite3_bind_int64(q, 1, id);
  store__bind_text(q, 2, status);
  store__bind_text(q, 3, now);
  int rc = store__done(q);
  if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
    return STORE_ENOTFOUND;
  if (rc != STORE_OK)
    return rc;
  STORE__STMT(s, iv,
              "UPDATE interventions SET status = ?2, end_date = coalesce(?3, end_date) "
              "WHERE enrolment_id = ?1 "
              "AND resident_id = (SELECT resident_id FROM enrolments WHERE id = ?1)");
  sqlite3_bind_int64(iv, 1, id);
  store__bind_text(iv, 2, iv_status);
  store__bind_text(iv, 3, iv_end);
  return store__done(iv);
}
