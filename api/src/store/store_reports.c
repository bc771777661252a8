/*
 * store_reports.c — the SQL of monitoring and evaluation (store.h, section
 * "Reports"): two referral writes with the caller's timestamps, and the
 * reads behind the placement funnel, the targeting report, the skills gap
 * and the BLK course outcomes.  What a row means (which stages a referral
 * reached, who counts as placed within six months) is decided in reports.c;
 * this file only reads and writes, and aggregates in SQL only where the
 * rule is a plain count (the skills gap).  docs/REPORTS.md has the rules.
 *
 * Report dates are local dates in Kota Tangerang: the city is on WIB
 * (UTC+7) and a referral made at 20:00 UTC on the 27th was made on the 28th
 * there.  Referral events are read through one aggregate over the events
 * table per statement, since the table has no index by referral.
 */
#include "store_int.h"

#include <stdio.h>
#include <string.h>

/* A referral's local date of creation; the local date of its first hire. */
#define CREATED_DAY "date(f.created_at, '+7 hours')"
#define HIRED_DAY "date(ev.hired, '+7 hours')"
#define HIRED "('hired', 'retained_3m', 'retained_6m')"

/* ---- Life cycle writes ------------------------------------------------------------ */

enum savepoint_op { SP_BEGIN, SP_RELEASE, SP_UNDO };

/* A savepoint makes two writes one, inside a caller's transaction or not. */
static int savepoint(struct store *s, enum savepoint_op op) {
  STORE__STMT(s, begin, "SAVEPOINT store_reports");
  STORE__STMT(s, release, "RELEASE store_reports");
  STORE__STMT(s, undo, "ROLLBACK TO store_reports");
  if (op == SP_BEGIN)
    return store__done(begin);
  if (op == SP_UNDO && store__done(undo) != STORE_OK)
    return STORE_EIO;
  return store__done(release);
}

/* Binds a score, negative as NULL. */
static void bind_score(sqlite3_stmt *q, int i, double v) {
  if (v < 0)
    sqlite3_bind_null(q, i);
  else
    sqlite3_bind_double(q, i, v);
}

int store_referral_add(struct store *s, const struct store_referral_new *r, int64_t *id) {
  STORE__STMT(s, ins,
              "INSERT INTO referrals (resident_id, vacancy_id, match_run_id, status, fit, "
              "priority, rank_key, created_by, created_at, updated_by, updated_at) VALUES (?1, "
              "?2, ?3, 'proposed', ?4, ?5, ?6, ?7, ?8, ?7, ?8)");
  STORE__STMT(s, ev,
              "INSERT INTO referral_events (referral_id, from_status, to_status, by_user, at) "
              "VALUES (?1, NULL, 'proposed', ?2, ?3)");
  char now[21];
  store_now_iso(now);
  const char *at = r->created_at != NULL ? r->created_at : now;
  int64_t new_id = -1;
  sqlite3_bind_int64(ins, 1, r->resident_id);
  sqlite3_bind_int64(ins, 2, r->vacancy_id);
  store__bind_opt(ins, 3, r->match_run_id);
  bind_score(ins, 4, r->fit);
  bind_score(ins, 5, r->priority);
  bind_score(ins, 6, r->rank_key);
  store__bind_opt(ins, 7, r->created_by);
  store__bind_text(ins, 8, at);
  int rc = savepoint(s, SP_BEGIN);
  if (rc != STORE_OK)
    return rc;
  rc = store__insert(s, ins, &new_id);
  if (rc == STORE_OK) {
    sqlite3_bind_int64(ev, 1, new_id);
    store__bind_opt(ev, 2, r->created_by);
    store__bind_text(ev, 3, at);
    rc = store__done(ev);
  }
  int end = savepoint(s, rc == STORE_OK ? SP_RELEASE : SP_UNDO);
  if (rc == STORE_OK)
    rc = end;
  if (rc == STORE_OK && id != NULL)
    *id = new_id;
  return rc;
}

/* The referral's current status into status[16]. */
static int referral_status(struct store *s, int64_t id, char status[16]) {
  STORE__STMT(s, q, "SELECT status FROM referrals WHERE id = ?1");
  sqlite3_bind_int64(q, 1, id);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW)
    store__copy_col(status, 16, q, 0);
  sqlite3_reset(q);
  return store__found(rc);
}

int store_referral_set_status(struct store *s, int64_t id, const char *status, int64_t by_user,
                              const char *at, const char *note) {
  STORE__STMT(s, upd,
              "UPDATE referrals SET status = ?2, updated_by = ?3, updated_at = ?4 WHERE id = ?1");
  STORE__STMT(s, ev,
              "INSERT INTO referral_events (referral_id, from_status, to_status, by_user, at, "
              "note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  char now[21], old[16];
  store_now_iso(now);
  if (at == NULL)
    at = now;
  int rc = savepoint(s, SP_BEGIN);
  if (rc != STORE_OK)
    return rc;
  rc = referral_status(s, id, old);
  if (rc == STORE_OK) {
    sqlite3_bind_int64(upd, 1, id);
    store__bind_text(upd, 2, status);
    store__bind_opt(upd, 3, by_user);
    store__bind_text(upd, 4, at);
    rc = store__done(upd);
  }
  if (rc == STORE_OK) {
    sqlite3_bind_int64(ev, 1, id);
    store__bind_text(ev, 2, old);
    store__bind_text(ev, 3, status);
    store__bind_opt(ev, 4, by_user);
    store__bind_text(ev, 5, at);
    store__bind_text(ev, 6, note);
    rc = store__done(ev);
  }
  int end = savepoint(s, rc == STORE_OK ? SP_RELEASE : SP_UNDO);
  return rc == STORE_OK ? end : rc;
}

int store_read_begin(struct store *s) {
  STORE__STMT(s, q, "BEGIN DEFERRED");
  return store__done(q);
}

/* ---- Referrals by group ------------------------------------------------------------- */

/* Every statement below binds ?1 from, ?2 to, ?3 kelurahan, ?4 employer and
 * names its group's columns g_id, g_code, g_name. */
#define REF_COLS                                                                                   \
  ", f.id, f.resident_id, r.kelurahan_id, f.status, " CREATED_DAY ", " HIRED_DAY                   \
  ", ev.events, r.desil, r.sex, r.disability "
#define REF_FROM                                                                                   \
  "FROM referrals f JOIN residents r ON r.id = f.resident_id "                                     \
  "JOIN vacancies v ON v.id = f.vacancy_id "                                                       \
  "LEFT JOIN (SELECT referral_id, group_concat(to_status) AS events, "                             \
  "  min(CASE WHEN to_status = 'hired' THEN at END) AS hired "                                     \
  "  FROM referral_events GROUP BY referral_id) ev ON ev.referral_id = f.id "
#define REF_WHERE                                                                                  \
  "WHERE (?1 IS NULL OR " CREATED_DAY " >= ?1) AND (?2 IS NULL OR " CREATED_DAY " <= ?2) "         \
  "AND (?3 < 0 OR r.kelurahan_id = ?3) AND (?4 < 0 OR v.employer_id = ?4) "
#define REF_ORDER "ORDER BY g_code IS NULL, g_code, f.resident_id, f.id"

static void read_referral(sqlite3_stmt *q, struct store_rep_referral *r) {
  r->group_id = store__col_opt(q, 0);
  store__copy_col(r->group_code, sizeof r->group_code, q, 1);
  store__copy_col(r->group_name, sizeof r->group_name, q, 2);
  r->id = sqlite3_column_int64(q, 3);
  r->resident_id = sqlite3_column_int64(q, 4);
  r->kelurahan_id = store__col_opt(q, 5);
  store__copy_col(r->status, sizeof r->status, q, 6);
  store__copy_col(r->created, sizeof r->created, q, 7);
  store__copy_col(r->hired, sizeof r->hired, q, 8);
  const unsigned char *ev = sqlite3_column_text(q, 9);
  r->events = ev ? (const char *)ev : "";
  r->desil = (int)store__col_opt(q, 10);
  store__copy_col(r->sex, sizeof r->sex, q, 11);
  store__copy_col(r->disability, sizeof r->disability, q, 12);
}

/* The statement for one grouping; each is a literal of its own, so each is
 * prepared once and cached. */
static sqlite3_stmt *referral_stmt(struct store *s, enum store_rep_by by) {
  switch (by) {
  case STORE_REP_ALL:
    return store__sql(
        s, "SELECT -1 AS g_id, NULL AS g_code, NULL AS g_name" REF_COLS REF_FROM REF_WHERE
           "ORDER BY f.resident_id, f.id");
  case STORE_REP_KELURAHAN:
    return store__sql(s, "SELECT k.id AS g_id, k.code AS g_code, k.name AS g_name" REF_COLS REF_FROM
                         "LEFT JOIN kelurahan k ON k.id = r.kelurahan_id " REF_WHERE REF_ORDER);
  case STORE_REP_KECAMATAN:
    return store__sql(s, "SELECT c.id AS g_id, c.code AS g_code, c.name AS g_name" REF_COLS REF_FROM
                         "LEFT JOIN kelurahan k ON k.id = r.kelurahan_id "
                         "LEFT JOIN kecamatan c ON c.id = k.kecamatan_id " REF_WHERE REF_ORDER);
  case STORE_REP_COURSE:
    /* a course counts for a referral when the resident completed it (or
     * was certified) in a batch that had ended by the referral's date */
    return store__sql(s,
                      "SELECT co.id AS g_id, co.code AS g_code, co.name AS g_name" REF_COLS REF_FROM
                      "LEFT JOIN courses co ON co.id IN (SELECT b.course_id FROM "
                      "enrolments e JOIN batches b ON b.id = e.batch_id WHERE "
                      "e.resident_id = f.resident_id AND e.status IN ('completed', "
                      "'certified') AND (b.end_date IS NULL OR b.end_date <= " CREATED_DAY
                      ")) " REF_WHERE REF_ORDER);
  case STORE_REP_SECTOR:
    return store__sql(
        s, "SELECT 0 AS g_id, v.vocation AS g_code, v.vocation AS g_name" REF_COLS REF_FROM
               REF_WHERE REF_ORDER);
  case STORE_REP_EMPLOYER:
    return store__sql(s, "SELECT m.id AS g_id, m.code AS g_code, m.name AS g_name" REF_COLS REF_FROM
                         "JOIN employers m ON m.id = v.employer_id " REF_WHERE REF_ORDER);
  }
  return NULL;
}

int store_rep_referrals(struct store *s, enum store_rep_by by, const struct store_rep_filter *f,
                        int (*fn)(void *arg, const struct store_rep_referral *r), void *arg) {
  sqlite3_stmt *q = referral_stmt(s, by);
  if (q == NULL)
    return STORE_EIO;
  store__bind_text(q, 1, f->from);
  store__bind_text(q, 2, f->to);
  sqlite3_bind_int64(q, 3, f->kelurahan_id);
  sqlite3_bind_int64(q, 4, f->employer_id);
  struct store_rep_referral r;
  STORE__EACH_ROW(q, r, read_referral, fn, arg);
}

/* ---- The eligible population and the skills gap --------------------------------------- */

/* Binds ?1 today, ?2 min_age, ?3 max_age, ?4 validity_days, ?5 kelurahan.
 * Unknown work or school status does not exclude, as in the engine; a
 * resident hired through padan is placed, not supply. */
#define ELIGIBLE                                                                                   \
  "r.erased_at IS NULL "                                                                           \
  "AND r.birth_date > date(?1, printf('-%d years', ?3 + 1)) "                                      \
  "AND r.birth_date <= date(?1, printf('-%d years', ?2)) "                                         \
  "AND coalesce(r.work_status, '') <> 'working' "                                                  \
  "AND coalesce(r.school_status, '') <> 'in_school' "                                              \
  "AND julianday(date(r.verified_at)) IS NOT NULL "                                                \
  "AND julianday(?1) - julianday(date(r.verified_at)) <= ?4 "                                      \
  "AND NOT EXISTS (SELECT 1 FROM referrals h WHERE h.resident_id = r.id AND h.status IN " HIRED    \
  ") AND (?5 < 0 OR r.kelurahan_id = ?5)"

static void bind_population(sqlite3_stmt *q, const struct store_rep_population *p) {
  store__bind_text(q, 1, p->today);
  sqlite3_bind_int(q, 2, p->min_age);
  sqlite3_bind_int(q, 3, p->max_age);
  sqlite3_bind_int(q, 4, p->validity_days);
  sqlite3_bind_int64(q, 5, p->kelurahan_id);
}

static void read_resident(sqlite3_stmt *q, struct store_rep_resident *r) {
  r->id = sqlite3_column_int64(q, 0);
  r->kelurahan_id = store__col_opt(q, 1);
  r->desil = (int)store__col_opt(q, 2);
  store__copy_col(r->sex, sizeof r->sex, q, 3);
  store__copy_col(r->disability, sizeof r->disability, q, 4);
}

int store_rep_eligible_each(struct store *s, const struct store_rep_population *p,
                            int (*fn)(void *arg, const struct store_rep_resident *r), void *arg) {
  STORE__STMT(s, q,
              "SELECT r.id, r.kelurahan_id, r.desil, r.sex, r.disability FROM residents r "
              "WHERE " ELIGIBLE " ORDER BY r.id");
  bind_population(q, p);
  struct store_rep_resident r;
  STORE__EACH_ROW(q, r, read_resident, fn, arg);
}

static void read_skill(sqlite3_stmt *q, struct store_rep_skill *k) {
  k->id = sqlite3_column_int64(q, 0);
  store__copy_col(k->code, sizeof k->code, q, 1);
  store__copy_col(k->vocation, sizeof k->vocation, q, 2);
  store__copy_col(k->name_id, sizeof k->name_id, q, 3);
  store__copy_col(k->name_en, sizeof k->name_en, q, 4);
  k->demand_must = sqlite3_column_int64(q, 5);
  k->demand_nice = sqlite3_column_int64(q, 6);
  k->supply = sqlite3_column_int64(q, 7);
  k->supply_certified = sqlite3_column_int64(q, 8);
  const unsigned char *c = sqlite3_column_text(q, 9);
  k->courses = c ? (const char *)c : "";
}

int store_rep_skills_gap(struct store *s, const struct store_rep_population *p, int64_t employer_id,
                         const char *vocation,
                         int (*fn)(void *arg, const struct store_rep_skill *k), void *arg) {
  STORE__STMT(
      s, q,
      "WITH elig AS (SELECT r.id FROM residents r WHERE " ELIGIBLE "), "
      "open_v AS (SELECT v.id, max(v.openings - (SELECT count(*) FROM referrals f "
      "  WHERE f.vacancy_id = v.id AND f.status IN " HIRED "), 0) AS left_n FROM vacancies v "
      "  WHERE v.status = 'open' AND (v.deadline IS NULL OR v.deadline >= ?1) "
      "  AND (?6 < 0 OR v.employer_id = ?6)), "
      "dem AS (SELECT k.skill_id, sum(CASE WHEN k.kind = 'must' THEN o.left_n ELSE 0 END) AS must, "
      "  sum(CASE WHEN k.kind = 'nice' THEN o.left_n ELSE 0 END) AS nice "
      "  FROM vacancy_skills k JOIN open_v o ON o.id = k.vacancy_id GROUP BY k.skill_id), "
      "sup AS (SELECT rs.skill_id, count(*) AS n, sum(rs.certified) AS cert "
      "  FROM resident_skills rs JOIN elig e ON e.id = rs.resident_id GROUP BY rs.skill_id) "
      "SELECT s.id, s.code, s.vocation, s.name_id, s.name_en, coalesce(d.must, 0), "
      "coalesce(d.nice, 0), coalesce(u.n, 0), coalesce(u.cert, 0), "
      "(SELECT group_concat(code, ';') FROM (SELECT c.code FROM course_skills cs "
      "  JOIN courses c ON c.id = cs.course_id WHERE cs.skill_id = s.id ORDER BY c.code)) "
      "FROM skills s LEFT JOIN dem d ON d.skill_id = s.id LEFT JOIN sup u ON u.skill_id = s.id "
      "WHERE coalesce(d.must, 0) + coalesce(d.nice, 0) + coalesce(u.n, 0) > 0 "
      "AND (?7 IS NULL OR s.vocation = ?7) "
      "ORDER BY coalesce(d.must, 0) - coalesce(u.n, 0) DESC, s.code");
  bind_population(q, p);
  sqlite3_bind_int64(q, 6, employer_id);
  store__bind_text(q, 7, vocation);
  struct store_rep_skill k;
  STORE__EACH_ROW(q, k, read_skill, fn, arg);
}

/* ---- Course outcomes -------------------------------------------------------------------- */

static void read_enrolment(sqlite3_stmt *q, struct store_rep_enrolment *e) {
  e->id = sqlite3_column_int64(q, 0);
  e->batch_id = sqlite3_column_int64(q, 1);
  e->course_id = sqlite3_column_int64(q, 2);
  e->resident_id = sqlite3_column_int64(q, 3);
  store__copy_col(e->course_code, sizeof e->course_code, q, 4);
  store__copy_col(e->course_name, sizeof e->course_name, q, 5);
  e->batch_no = sqlite3_column_int(q, 6);
  store__copy_col(e->start_date, sizeof e->start_date, q, 7);
  store__copy_col(e->end_date, sizeof e->end_date, q, 8);
  store__copy_col(e->status, sizeof e->status, q, 9);
}

int store_rep_enrolments_each(struct store *s,
                              int (*fn)(void *arg, const struct store_rep_enrolment *e),
                              void *arg) {
  STORE__STMT(s, q,
              "SELECT e.id, e.batch_id, b.course_id, e.resident_id, c.code, c.name, b.batch_no, "
              "b.start_date, b.end_date, e.status FROM enrolments e "
              "JOIN batches b ON b.id = e.batch_id JOIN courses c ON c.id = b.course_id "
              "ORDER BY e.batch_id, e.resident_id");
  struct store_rep_enrolment e;
  STORE__EACH_ROW(q, e, read_enrolment, fn, arg);
}

static void read_hire(sqlite3_stmt *q, struct store_rep_hire *h) {
  h->referral_id = sqlite3_column_int64(q, 0);
  h->resident_id = sqlite3_column_int64(q, 1);
  store__copy_col(h->hired, sizeof h->hired, q, 2);
  store__copy_col(h->sector, sizeof h->sector, q, 3);
}

int store_rep_hires_each(struct store *s, int (*fn)(void *arg, const struct store_rep_hire *h),
                         void *arg) {
  STORE__STMT(s, q,
              "SELECT f.id, f.resident_id, date(h.at, '+7 hours'), v.vocation FROM referrals f "
              "JOIN vacancies v ON v.id = f.vacancy_id "
              "JOIN (SELECT referral_id, min(at) AS at FROM referral_events "
              "  WHERE to_status = 'hired' GROUP BY referral_id) h ON h.referral_id = f.id "
              "ORDER BY f.resident_id, h.at, f.id");
  struct store_rep_hire h;
  STORE__EACH_ROW(q, h, read_hire, fn, arg);
}

int store_outcomes_measured_clear(struct store *s) {
  STORE__STMT(s, sectors, "DELETE FROM batch_outcome_sectors WHERE source = 'measured'");
  STORE__STMT(s, totals, "DELETE FROM batch_outcomes WHERE source = 'measured'");
  int rc = store__done(sectors);
  return rc == STORE_OK ? store__done(totals) : rc;
}

static void read_outcome(sqlite3_stmt *q, struct store_rep_outcome *o) {
  o->batch_id = sqlite3_column_int64(q, 0);
  o->course_id = sqlite3_column_int64(q, 1);
  store__copy_col(o->course_code, sizeof o->course_code, q, 2);
  store__copy_col(o->course_name, sizeof o->course_name, q, 3);
  o->batch_no = sqlite3_column_int(q, 4);
  store__copy_col(o->start_date, sizeof o->start_date, q, 5);
  store__copy_col(o->end_date, sizeof o->end_date, q, 6);
  store__copy_col(o->source, sizeof o->source, q, 7);
  o->enrolled = sqlite3_column_int64(q, 8);
  o->completed = sqlite3_column_int64(q, 9);
  o->certified = sqlite3_column_int64(q, 10);
  o->placed_6m = sqlite3_column_int64(q, 11);
  o->in_force = sqlite3_column_int(q, 12);
  const unsigned char *p = sqlite3_column_text(q, 13);
  o->sectors = p ? (const char *)p : "";
}

int store_rep_outcomes_each(struct store *s, const char *course_code,
                            int (*fn)(void *arg, const struct store_rep_outcome *o), void *arg) {
  /* in force: the rule of store_engine.c's BATCH_OUTCOME */
  STORE__STMT(s, q,
              "SELECT o.batch_id, b.course_id, c.code, c.name, b.batch_no, b.start_date, "
              "b.end_date, o.source, o.enrolled, o.completed, o.certified, o.placed_6m, "
              "NOT (o.source = 'seeded' AND EXISTS (SELECT 1 FROM batch_outcomes m "
              "  WHERE m.batch_id = o.batch_id AND m.source = 'measured')), "
              "(SELECT group_concat(sector || ':' || placed, ';') FROM (SELECT x.sector, "
              "  x.placed FROM batch_outcome_sectors x WHERE x.batch_id = o.batch_id "
              "  AND x.source = o.source ORDER BY x.sector)) "
              "FROM batch_outcomes o JOIN batches b ON b.id = o.batch_id "
              "JOIN courses c ON c.id = b.course_id WHERE (?1 IS NULL OR c.code = ?1) "
              "ORDER BY c.code, b.batch_no, o.source");
  store__bind_text(q, 1, course_code);
  struct store_rep_outcome o;
  STORE__EACH_ROW(q, o, read_outcome, fn, arg);
}
