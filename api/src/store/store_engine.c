/*
 * store_engine.c — the queries that feed the matching engine's snapshot and
 * record what a match run proposed.  Lists that belong to a row (skills,
 * completed courses, placements by sector) come back as compact strings
 * built by group_concat, so one statement reads 50,000 residents.
 */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* padan's own referrals and enrolments count through in_course and the open
 * referral test above, not as registry rows.  Another office's active
 * intervention conflicts with a new job referral when its kind's
 * group conflicts with the job group (api/sql/0002-governance.sql: another
 * job placement, a business-capital programme, a training course run by
 * another office). */
#define CONFLICTING_KINDS                                                                          \
  "(SELECT k.kind FROM intervention_kinds k JOIN intervention_conflicts c ON c.grp_a = k.grp "     \
  "AND c.grp_b = 'job')"
#define OPEN_REFERRAL "('proposed', 'confirmed', 'interviewed')"
#define HIRED "('hired', 'retained_3m', 'retained_6m')"

#define RESIDENT_SELECT                                                                            \
  "SELECT r.id, r.kelurahan_id, r.birth_date, r.verified_at, r.sex, r.religion, "                  \
  "r.marital_status, r.education, r.smk_vocation, r.disability, r.work_status, "                   \
  "r.school_status, r.shifts, r.preferred_vocations, r.desil, r.dependants, "                      \
  "r.months_without_work, "                                                                        \
  "EXISTS (SELECT 1 FROM enrolments e JOIN batches b ON b.id = e.batch_id "                        \
  "  WHERE e.resident_id = r.id AND e.status = 'enrolled' AND b.status <> 'finished'), "           \
  "EXISTS (SELECT 1 FROM referrals f WHERE f.resident_id = r.id AND f.status IN " HIRED "), "      \
  "EXISTS (SELECT 1 FROM referrals f WHERE f.resident_id = r.id AND f.status IN " OPEN_REFERRAL    \
  ") OR EXISTS (SELECT 1 FROM interventions i WHERE i.resident_id = r.id AND i.status = "          \
  "'active' AND i.enrolment_id IS NULL AND i.referral_id IS NULL AND i.kind IN " CONFLICTING_KINDS \
  "), "                                                                                            \
  "(SELECT group_concat(skill_id || ':' || certified, ';') FROM resident_skills k "                \
  "  WHERE k.resident_id = r.id), "                                                                \
  "(SELECT group_concat(DISTINCT b.course_id) FROM enrolments e JOIN batches b "                   \
  "  ON b.id = e.batch_id WHERE e.resident_id = r.id AND e.status IN ('completed', 'certified')) " \
  "FROM residents r WHERE r.erased_at IS NULL"

/* The plain columns 0-16 of RESIDENT_SELECT (and of the lean walk). */
static void read_resident_columns(sqlite3_stmt *q, struct store_engine_resident *r) {
  r->id = sqlite3_column_int64(q, 0);
  r->kelurahan_id = store__col_opt(q, 1);
  store__copy_col(r->birth_date, sizeof r->birth_date, q, 2);
  store__copy_col(r->verified_at, sizeof r->verified_at, q, 3);
  store__copy_col(r->sex, sizeof r->sex, q, 4);
  store__copy_col(r->religion, sizeof r->religion, q, 5);
  store__copy_col(r->marital_status, sizeof r->marital_status, q, 6);
  store__copy_col(r->education, sizeof r->education, q, 7);
  store__copy_col(r->smk_vocation, sizeof r->smk_vocation, q, 8);
  store__copy_col(r->disability, sizeof r->disability, q, 9);
  store__copy_col(r->work_status, sizeof r->work_status, q, 10);
  store__copy_col(r->school_status, sizeof r->school_status, q, 11);
  store__copy_col(r->shifts, sizeof r->shifts, q, 12);
  store__copy_col(r->preferred_vocations, sizeof r->preferred_vocations, q, 13);
  r->desil = (int)store__col_opt(q, 14);
  r->dependants = (int)store__col_opt(q, 15);
  r->months_without_work = (int)store__col_opt(q, 16);
}

static void read_resident(sqlite3_stmt *q, struct store_engine_resident *r) {
  read_resident_columns(q, r);
  r->in_course = sqlite3_column_int(q, 17);
  r->hired = sqlite3_column_int(q, 18);
  r->blocked = sqlite3_column_int(q, 19);
  const unsigned char *sk = sqlite3_column_text(q, 20);
  r->skills = sk ? (const char *)sk : "";
  const unsigned char *co = sqlite3_column_text(q, 21);
  r->courses = co ? (const char *)co : "";
}

/* Copies the lists a row points at into the struct's own buffer, so the
 * statement can be reset (a statement left on a row would hold a read
 * transaction open on the connection). */
static void keep(char *buf, size_t cap, const char **a, const char **b) {
  size_t la = strlen(*a), lb = strlen(*b);
  if (la + lb + 2 > cap) { /* cannot happen with the schema's limits; cut */
    la = la < cap / 2 ? la : cap / 2 - 1;
    lb = lb < cap / 2 ? lb : cap / 2 - 1;
  }
  memcpy(buf, *a, la);
  buf[la] = '\0';
  memcpy(buf + la + 1, *b, lb);
  buf[la + 1 + lb] = '\0';
  *a = buf;
  *b = buf + la + 1;
}

int store_engine_residents(struct store *s,
                           int (*fn)(void *arg, const struct store_engine_resident *r), void *arg) {
  STORE__STMT(s, q, RESIDENT_SELECT " ORDER BY r.id");
  struct store_engine_resident r;
  STORE__EACH_ROW(q, r, read_resident, fn, arg);
}

/* The residents the engine can ever rank (see store.h): the terms after
 * r.erased_at IS NULL repeat the WHERE of migration 0009's partial index
 * word for word, which is what lets SQLite read that index (in id order)
 * instead of every resident's row. */
#define IN_SCOPE                                                                                   \
  "r.work_status IS NOT 'working' AND r.school_status IS NOT 'in_school' "                         \
  "AND r.birth_date BETWEEN ?1 AND ?2 AND r.verified_at >= ?3"

/* ---- The lean walk of the residents in scope ----------------------------------------------
 * At a city's size the per-row subqueries of RESIDENT_SELECT cost three
 * times the rows themselves (1.45 s against 0.5 s of CPU for 261,530
 * residents).  So the walk reads the plain columns in one statement, the
 * skills of the same residents in a second one in the same order (merged
 * as they come), and the few residents in a course, hired, blocked or with
 * completed courses as sorted lists beforehand: the same rows, as
 * store_engine_residents gives them. */

/* A sorted list of (resident id, value) pairs read from one statement. */
struct idlist {
  int64_t (*v)[2];
  size_t n, cap, at; /* at: the walk's cursor */
};

static int idlist_read(struct store *s, const char *sql, struct idlist *l) {
  sqlite3_stmt *q = store__sql(s, sql);
  if (q == NULL)
    return STORE_EIO;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    if (l->n == l->cap) {
      size_t cap = l->cap ? l->cap * 2 : 256;
      void *p = realloc(l->v, cap * sizeof *l->v);
      if (p == NULL) {
        sqlite3_reset(q);
        return STORE_ENOMEM;
      }
      l->v = p;
      l->cap = cap;
    }
    l->v[l->n][0] = sqlite3_column_int64(q, 0);
    l->v[l->n][1] = sqlite3_column_count(q) > 1 ? sqlite3_column_int64(q, 1) : 0;
    l->n++;
  }
  sqlite3_reset(q);
  return rc == SQLITE_DONE ? STORE_OK : store__rc(rc);
}

/* Moves l's cursor to the first pair of id (ids come in ascending order);
 * 1 when there is one. */
static int idlist_at(struct idlist *l, int64_t id) {
  while (l->at < l->n && l->v[l->at][0] < id)
    l->at++;
  return l->at < l->n && l->v[l->at][0] == id;
}

/* Appends a decimal number to buf (cap bytes, len used) without printf
 * (the walk writes half a million of them); 0, or -1 when full. */
static int put_num(char *buf, size_t cap, size_t *len, int64_t v, char sep) {
  char d[24];
  size_t n = 0;
  uint64_t u = v < 0 ? 0 : (uint64_t)v;
  do {
    d[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (*len + n + 2 >= cap)
    return -1;
  if (*len > 0 && sep != '\0')
    buf[(*len)++] = sep;
  while (n > 0)
    buf[(*len)++] = d[--n];
  buf[*len] = '\0';
  return 0;
}

#define SCOPE_COLUMNS                                                                              \
  "SELECT r.id, r.kelurahan_id, r.birth_date, r.verified_at, r.sex, r.religion, "                  \
  "r.marital_status, r.education, r.smk_vocation, r.disability, r.work_status, "                   \
  "r.school_status, r.shifts, r.preferred_vocations, r.desil, r.dependants, "                      \
  "r.months_without_work FROM residents r WHERE r.erased_at IS NULL AND " IN_SCOPE                 \
  " ORDER BY r.id"
#define SCOPE_SKILLS                                                                               \
  "SELECT k.resident_id, k.skill_id, k.certified FROM residents r JOIN resident_skills k ON "      \
  "k.resident_id = r.id WHERE r.erased_at IS NULL AND " IN_SCOPE " ORDER BY r.id, k.skill_id"

struct scope_walk {
  struct idlist in_course, hired, blocked, courses;
  sqlite3_stmt *skills;
  int skills_rc; /* the skills statement's last step */
};

/* The row of the columns statement q, with its lists and flags. */
static void scope_row(sqlite3_stmt *q, struct scope_walk *w, struct store_engine_resident *r) {
  read_resident_columns(q, r);
  r->in_course = idlist_at(&w->in_course, r->id);
  r->hired = idlist_at(&w->hired, r->id);
  r->blocked = idlist_at(&w->blocked, r->id);
  size_t len = 0, half = sizeof r->buf / 2;
  r->buf[0] = '\0';
  while (w->skills_rc == SQLITE_ROW && sqlite3_column_int64(w->skills, 0) < r->id)
    w->skills_rc = sqlite3_step(w->skills);
  while (w->skills_rc == SQLITE_ROW && sqlite3_column_int64(w->skills, 0) == r->id) {
    if (put_num(r->buf, half, &len, sqlite3_column_int64(w->skills, 1), ';') == 0 &&
        len + 3 < half) {
      r->buf[len++] = ':';
      r->buf[len++] = sqlite3_column_int(w->skills, 2) ? '1' : '0';
      r->buf[len] = '\0';
    }
    w->skills_rc = sqlite3_step(w->skills);
  }
  char *courses = r->buf + half;
  size_t clen = 0;
  courses[0] = '\0';
  for (int more = idlist_at(&w->courses, r->id); more && w->courses.v[w->courses.at][0] == r->id;
       more = ++w->courses.at < w->courses.n)
    put_num(courses, half, &clen, w->courses.v[w->courses.at][1], ';');
  r->skills = r->buf;
  r->courses = courses;
}

int store_engine_residents_in_scope(struct store *s, const struct store_engine_scope *sc,
                                    int (*fn)(void *arg, const struct store_engine_resident *r),
                                    void *arg) {
  struct scope_walk w = {0};
  int rc =
      idlist_read(s,
                  "SELECT DISTINCT e.resident_id FROM enrolments e JOIN batches b ON b.id = "
                  "e.batch_id WHERE e.status = 'enrolled' AND b.status <> 'finished' ORDER BY 1",
                  &w.in_course);
  if (rc == STORE_OK)
    rc = idlist_read(
        s, "SELECT DISTINCT resident_id FROM referrals WHERE status IN " HIRED " ORDER BY 1",
        &w.hired);
  if (rc == STORE_OK)
    rc = idlist_read(s,
                     "SELECT resident_id FROM referrals WHERE status IN " OPEN_REFERRAL
                     " UNION SELECT resident_id FROM interventions WHERE status = 'active' AND "
                     "enrolment_id IS NULL AND referral_id IS NULL AND kind IN " CONFLICTING_KINDS
                     " ORDER BY 1",
                     &w.blocked);
  if (rc == STORE_OK)
    rc = idlist_read(s,
                     "SELECT DISTINCT e.resident_id, b.course_id FROM enrolments e JOIN batches b "
                     "ON b.id = e.batch_id WHERE e.status IN ('completed', 'certified') "
                     "ORDER BY 1, 2",
                     &w.courses);
  sqlite3_stmt *q = rc == STORE_OK ? store__sql(s, SCOPE_COLUMNS) : NULL;
  w.skills = q != NULL ? store__sql(s, SCOPE_SKILLS) : NULL;
  if (rc == STORE_OK && (q == NULL || w.skills == NULL))
    rc = STORE_EIO;
  if (rc == STORE_OK) {
    sqlite3_stmt *both[2] = {q, w.skills};
    for (int i = 0; i < 2; i++) {
      store__bind_text(both[i], 1, sc->born_from);
      store__bind_text(both[i], 2, sc->born_to);
      store__bind_text(both[i], 3, sc->verified_from);
    }
    w.skills_rc = sqlite3_step(w.skills);
    struct store_engine_resident r;
    int step = SQLITE_DONE;
    while (rc == STORE_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
      scope_row(q, &w, &r);
      rc = fn(arg, &r);
    }
    if (rc == STORE_OK && step != SQLITE_DONE)
      rc = store__rc(step);
    if (rc == STORE_OK && w.skills_rc != SQLITE_ROW && w.skills_rc != SQLITE_DONE)
      rc = store__rc(w.skills_rc);
  }
  if (q != NULL)
    sqlite3_reset(q);
  if (w.skills != NULL)
    sqlite3_reset(w.skills);
  free(w.in_course.v);
  free(w.hired.v);
  free(w.blocked.v);
  free(w.courses.v);
  return rc;
}

int store_engine_residents_referred(struct store *s, const struct store_engine_scope *sc,
                                    int (*fn)(void *arg, const struct store_engine_resident *r),
                                    void *arg) {
  STORE__STMT(s, q,
              RESIDENT_SELECT " AND r.id IN (SELECT resident_id FROM referrals) AND NOT "
                              "coalesce(" IN_SCOPE ", 0) ORDER BY r.id");
  store__bind_text(q, 1, sc->born_from);
  store__bind_text(q, 2, sc->born_to);
  store__bind_text(q, 3, sc->verified_from);
  struct store_engine_resident r;
  STORE__EACH_ROW(q, r, read_resident, fn, arg);
}

void store_engine_loaded(struct store *s) {
  sqlite3_db_release_memory(s->db);
}

/* SQLite's progress handler: a non-zero answer interrupts the statement. */
#define STOP_EVERY_STEPS 20000

void store_engine_stop_when(struct store *s, int (*stopped)(void *arg), void *arg) {
  sqlite3_progress_handler(s->db, stopped != NULL ? STOP_EVERY_STEPS : 0, stopped, arg);
}

static void read_resident_kept(sqlite3_stmt *q, struct store_engine_resident *r) {
  read_resident(q, r);
  keep(r->buf, sizeof r->buf, &r->skills, &r->courses);
}

int store_engine_resident(struct store *s, int64_t id, struct store_engine_resident *out) {
  STORE__STMT(s, q, RESIDENT_SELECT " AND r.id = ?1");
  sqlite3_bind_int64(q, 1, id);
  STORE__ONE_ROW(q, out, read_resident_kept);
}

#define VACANCY_SELECT                                                                             \
  "SELECT v.id, v.employer_id, v.kelurahan_id, v.vocation, v.min_education, v.shift, v.status, "   \
  "v.deadline, v.min_age, v.max_age, v.openings, "                                                 \
  "(SELECT count(*) FROM referrals f WHERE f.vacancy_id = v.id AND f.status IN " HIRED "), "       \
  "v.wage_monthly, "                                                                               \
  "(SELECT group_concat(skill_id, ';') FROM vacancy_skills k WHERE k.vacancy_id = v.id "           \
  "  AND k.kind = 'must'), "                                                                       \
  "(SELECT group_concat(skill_id, ';') FROM vacancy_skills k WHERE k.vacancy_id = v.id "           \
  "  AND k.kind = 'nice') FROM vacancies v"

static void read_vacancy(sqlite3_stmt *q, struct store_engine_vacancy *v) {
  v->id = sqlite3_column_int64(q, 0);
  v->employer_id = sqlite3_column_int64(q, 1);
  v->kelurahan_id = sqlite3_column_int64(q, 2);
  store__copy_col(v->vocation, sizeof v->vocation, q, 3);
  store__copy_col(v->min_education, sizeof v->min_education, q, 4);
  store__copy_col(v->shift, sizeof v->shift, q, 5);
  store__copy_col(v->status, sizeof v->status, q, 6);
  store__copy_col(v->deadline, sizeof v->deadline, q, 7);
  v->min_age = (int)store__col_opt(q, 8);
  v->max_age = (int)store__col_opt(q, 9);
  v->openings = sqlite3_column_int(q, 10);
  v->hired = sqlite3_column_int(q, 11);
  v->wage_monthly = sqlite3_column_int64(q, 12);
  const unsigned char *m = sqlite3_column_text(q, 13), *n = sqlite3_column_text(q, 14);
  v->must = m ? (const char *)m : "";
  v->nice = n ? (const char *)n : "";
}

int store_engine_vacancies(struct store *s,
                           int (*fn)(void *arg, const struct store_engine_vacancy *v), void *arg) {
  STORE__STMT(s, q, VACANCY_SELECT " ORDER BY v.id");
  struct store_engine_vacancy v;
  STORE__EACH_ROW(q, v, read_vacancy, fn, arg);
}

static void read_vacancy_kept(sqlite3_stmt *q, struct store_engine_vacancy *v) {
  read_vacancy(q, v);
  keep(v->buf, sizeof v->buf, &v->must, &v->nice);
}

int store_engine_vacancy(struct store *s, int64_t id, struct store_engine_vacancy *out) {
  STORE__STMT(s, q, VACANCY_SELECT " WHERE v.id = ?1");
  sqlite3_bind_int64(q, 1, id);
  STORE__ONE_ROW(q, out, read_vacancy_kept);
}

static void read_skill(sqlite3_stmt *q, struct store_skill_row *k) {
  k->id = sqlite3_column_int64(q, 0);
  store__copy_col(k->code, sizeof k->code, q, 1);
  store__copy_col(k->vocation, sizeof k->vocation, q, 2);
  store__copy_col(k->name_id, sizeof k->name_id, q, 3);
  store__copy_col(k->name_en, sizeof k->name_en, q, 4);
}

int store_skill_each(struct store *s, int (*fn)(void *arg, const struct store_skill_row *k),
                     void *arg) {
  STORE__STMT(s, q, "SELECT id, code, vocation, name_id, name_en FROM skills ORDER BY id");
  struct store_skill_row k;
  STORE__EACH_ROW(q, k, read_skill, fn, arg);
}

/* Per batch, measured outcomes win over seeded ones: once padan has followed
 * a batch's graduates itself, its own figures are the better evidence. */
#define BATCH_OUTCOME                                                                              \
  "(SELECT o.* FROM batch_outcomes o WHERE NOT (o.source = 'seeded' AND EXISTS (SELECT 1 FROM "    \
  "batch_outcomes m WHERE m.batch_id = o.batch_id AND m.source = 'measured')))"
#define BATCH_SECTORS                                                                              \
  "(SELECT o.* FROM batch_outcome_sectors o WHERE NOT (o.source = 'seeded' AND EXISTS (SELECT 1 "  \
  "FROM batch_outcomes m WHERE m.batch_id = o.batch_id AND m.source = 'measured')))"

static void read_course(sqlite3_stmt *q, struct store_engine_course *c) {
  STORE__READ_COURSE_HEAD(q, c);
  c->enrolled = sqlite3_column_int64(q, 6);
  c->completed = sqlite3_column_int64(q, 7);
  c->certified = sqlite3_column_int64(q, 8);
  c->placed_6m = sqlite3_column_int64(q, 9);
  const unsigned char *k = sqlite3_column_text(q, 10), *p = sqlite3_column_text(q, 11);
  c->skills = k ? (const char *)k : "";
  c->sectors = p ? (const char *)p : "";
}

int store_engine_courses(struct store *s, int (*fn)(void *arg, const struct store_engine_course *c),
                         void *arg) {
  STORE__STMT(s, q,
              "SELECT c.id, c.code, c.name, c.vocation, c.hours, c.batch_capacity, "
              "coalesce(sum(o.enrolled), 0), coalesce(sum(o.completed), 0), "
              "coalesce(sum(o.certified), 0), coalesce(sum(o.placed_6m), 0), "
              "(SELECT group_concat(skill_id, ';') FROM course_skills k WHERE k.course_id = c.id), "
              "(SELECT group_concat(sector || ':' || placed, ';') FROM (SELECT x.sector, "
              "  sum(x.placed) AS placed FROM " BATCH_SECTORS " x JOIN batches b ON b.id = "
              "  x.batch_id WHERE b.course_id = c.id GROUP BY x.sector ORDER BY x.sector)) "
              "FROM courses c LEFT JOIN batches b ON b.course_id = c.id "
              "LEFT JOIN " BATCH_OUTCOME " o ON o.batch_id = b.id "
              "GROUP BY c.id ORDER BY c.id");
  struct store_engine_course c;
  STORE__EACH_ROW(q, c, read_course, fn, arg);
}

int store_match_run_add(struct store *s, const struct store_match_run *m, int64_t *id) {
  STORE__STMT(s, q,
              "INSERT INTO match_runs (created_by, created_at, algorithm, run_date, total_key, "
              "total_gain, n_proposals, n_unmatched, duration_ms, outcomes_stored) VALUES (?1, "
              "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1)");
  char now[21];
  store_now_iso(now);
  store__bind_opt(q, 1, m->created_by);
  store__bind_text(q, 2, now);
  store__bind_text(q, 3, m->algorithm);
  store__bind_text(q, 4, m->run_date);
  sqlite3_bind_double(q, 5, m->total_key);
  sqlite3_bind_int64(q, 6, m->total_gain);
  sqlite3_bind_int64(q, 7, m->n_proposals);
  sqlite3_bind_int64(q, 8, m->n_unmatched);
  sqlite3_bind_double(q, 9, m->duration_ms);
  return store__insert(s, q, id);
}

int store_match_run_unmatched_add(struct store *s, int64_t run_id, const char *reason, int64_t n) {
  STORE__STMT(s, q,
              "INSERT INTO match_run_unmatched (match_run_id, reason, n) VALUES (?1, ?2, ?3)");
  sqlite3_bind_int64(q, 1, run_id);
  store__bind_text(q, 2, reason);
  sqlite3_bind_int64(q, 3, n);
  return store__done(q);
}

int store_match_run_fill_add(struct store *s, int64_t run_id, int64_t vacancy_id, int64_t capacity,
                             int64_t proposed) {
  STORE__STMT(s, q,
              "INSERT INTO match_run_fill (match_run_id, vacancy_id, capacity, proposed) VALUES "
              "(?1, ?2, ?3, ?4)");
  sqlite3_bind_int64(q, 1, run_id);
  sqlite3_bind_int64(q, 2, vacancy_id);
  sqlite3_bind_int64(q, 3, capacity);
  sqlite3_bind_int64(q, 4, proposed);
  return store__done(q);
}

int store_referral_propose(struct store *s, int64_t run_id, int64_t resident_id, int64_t vacancy_id,
                           double fit, double priority, double key, int64_t created_by,
                           int64_t *id) {
  STORE__STMT(s, q,
              "INSERT INTO referrals (resident_id, vacancy_id, match_run_id, status, fit, "
              "priority, rank_key, created_by, created_at, updated_by, updated_at) VALUES (?1, "
              "?2, ?3, 'proposed', ?4, ?5, ?6, ?7, ?8, ?7, ?8)");
  char now[21];
  store_now_iso(now);
  sqlite3_bind_int64(q, 1, resident_id);
  sqlite3_bind_int64(q, 2, vacancy_id);
  sqlite3_bind_int64(q, 3, run_id);
  sqlite3_bind_double(q, 4, fit);
  sqlite3_bind_double(q, 5, priority);
  sqlite3_bind_double(q, 6, key);
  store__bind_opt(q, 7, created_by);
  store__bind_text(q, 8, now);
  return store__insert(s, q, id);
}
