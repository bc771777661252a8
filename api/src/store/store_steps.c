/*
 * store_steps.c — the queries behind an officer's review of a match run:
 * the run's proposals of both kinds (referrals to vacancies and seats in
 * BLK batches, the course steps of migration 0004) in one filtered,
 * paginated list with the explanation each was proposed with, and a course
 * step read and moved through its short life (proposed → confirmed |
 * withdrawn), and what a completed or certified course adds to a
 * resident's skills.  The run writes course steps (runs.c); these
 * functions only read and update them.  Nothing here opens a transaction: the handler
 * wraps a batch of decisions in one.
 */
#include "store_int.h"

#include <string.h>

/* A REAL column, -1 for NULL (fit, priority and key are never negative). */
static double col_real_opt(sqlite3_stmt *q, int col) {
  return sqlite3_column_type(q, col) == SQLITE_NULL ? -1.0 : sqlite3_column_double(q, col);
}

/* ---- The review list ---------------------------------------------------------------- */

static void read_proposal(sqlite3_stmt *q, struct store_proposal *p) {
  memset(p, 0, sizeof *p);
  p->kind = sqlite3_column_int(q, 0) == 1 ? STORE_PK_REFERRAL : STORE_PK_COURSE_STEP;
  p->list_key = sqlite3_column_int64(q, 1);
  p->id = sqlite3_column_int64(q, 2);
  p->resident_id = sqlite3_column_int64(q, 3);
  store__copy_col(p->status, sizeof p->status, q, 4);
  store__copy_col(p->resident_name, sizeof p->resident_name, q, 5);
  store__copy_col(p->kelurahan_code, sizeof p->kelurahan_code, q, 6);
  store__copy_col(p->kelurahan_name, sizeof p->kelurahan_name, q, 7);
  p->desil = (int)store__col_opt(q, 8);
  p->vacancy_id = store__col_opt(q, 9);
  store__copy_col(p->vacancy_title, sizeof p->vacancy_title, q, 10);
  store__copy_col(p->employer_name, sizeof p->employer_name, q, 11);
  p->batch_id = store__col_opt(q, 12);
  p->course_id = store__col_opt(q, 13);
  store__copy_col(p->course_name, sizeof p->course_name, q, 14);
  store__copy_col(p->start_date, sizeof p->start_date, q, 15);
  store__copy_col(p->end_date, sizeof p->end_date, q, 16);
  p->fit = col_real_opt(q, 17);
  p->priority = col_real_opt(q, 18);
  p->rank_key = col_real_opt(q, 19);
  p->explanation = (const char *)sqlite3_column_text(q, 20);
  p->erased = sqlite3_column_int(q, 21);
}

int store_proposal_list(struct store *s, const struct store_proposal_filter *f,
                        int (*fn)(void *arg, const struct store_proposal *p), void *arg) {
  /* Referrals first by id, then course steps by id (their list key is
   * STORE_STEP_KEY_BASE + id), so one "after" cursor pages through both. */
  STORE__STMT(s, q,
              "SELECT kind, k, id, resident_id, status, name, kel_code, kel_name, desil, "
              "vacancy_id, title, employer, batch_id, course_id, course_name, start_date, "
              "end_date, fit, priority, rank_key, explanation, erased FROM ("
              "SELECT 1 AS kind, f.id AS k, f.id, f.resident_id, f.status, r.name, "
              "  kl.code AS kel_code, kl.name AS kel_name, r.desil, f.vacancy_id, v.title, "
              "  e.name AS employer, NULL AS batch_id, NULL AS course_id, NULL AS course_name, "
              "  NULL AS start_date, NULL AS end_date, f.fit, f.priority, f.rank_key, "
              "  f.explanation, r.erased_at IS NOT NULL AS erased, r.kelurahan_id AS kel_id, "
              "  kl.kecamatan_id AS kec_id "
              "  FROM referrals f JOIN vacancies v ON v.id = f.vacancy_id "
              "  JOIN employers e ON e.id = v.employer_id JOIN residents r ON r.id = "
              "  f.resident_id LEFT JOIN kelurahan kl ON kl.id = r.kelurahan_id "
              "  WHERE f.match_run_id = ?1 AND ?2 IN (0, 1) AND (?5 IS NULL OR f.vacancy_id = "
              "  ?5) AND ?6 IS NULL "
              "UNION ALL "
              "SELECT 2, ?12 + c.id, c.id, c.resident_id, c.status, r.name, kl.code, kl.name, "
              "  r.desil, NULL, NULL, NULL, c.batch_id, b.course_id, co.name, b.start_date, "
              "  b.end_date, c.expected_placement, c.priority, c.rank_key, c.explanation, "
              "  r.erased_at IS NOT NULL, r.kelurahan_id, kl.kecamatan_id "
              "  FROM course_steps c JOIN batches b ON b.id = c.batch_id "
              "  JOIN courses co ON co.id = b.course_id JOIN residents r ON r.id = "
              "  c.resident_id LEFT JOIN kelurahan kl ON kl.id = r.kelurahan_id "
              "  WHERE c.match_run_id = ?1 AND ?2 IN (0, 2) AND ?5 IS NULL AND (?6 IS NULL OR "
              "  b.course_id = ?6)) "
              "WHERE k > ?10 AND (?3 IS NULL OR kel_id = ?3) AND (?4 IS NULL OR kec_id = ?4) "
              "AND (?7 IS NULL OR desil >= ?7) AND (?8 IS NULL OR desil <= ?8) "
              "AND (?9 IS NULL OR status = ?9) ORDER BY k LIMIT ?11");
  sqlite3_bind_int64(q, 1, f->run_id);
  sqlite3_bind_int(q, 2, (int)f->kind);
  store__bind_opt(q, 3, f->kelurahan_id);
  store__bind_opt(q, 4, f->kecamatan_id);
  store__bind_opt(q, 5, f->vacancy_id);
  store__bind_opt(q, 6, f->course_id);
  store__bind_opt(q, 7, f->desil_min > 0 ? f->desil_min : -1);
  store__bind_opt(q, 8, f->desil_max > 0 ? f->desil_max : -1);
  store__bind_text(q, 9, f->status);
  sqlite3_bind_int64(q, 10, f->after);
  sqlite3_bind_int64(q, 11, f->limit);
  sqlite3_bind_int64(q, 12, STORE_STEP_KEY_BASE);
  struct store_proposal row;
  STORE__EACH_ROW(q, row, read_proposal, fn, arg);
}

/* ---- One course step ---------------------------------------------------------------- */

static void read_step(sqlite3_stmt *q, struct store_course_step *c) {
  c->id = sqlite3_column_int64(q, 0);
  c->match_run_id = sqlite3_column_int64(q, 1);
  c->resident_id = sqlite3_column_int64(q, 2);
  c->batch_id = sqlite3_column_int64(q, 3);
  store__copy_col(c->status, sizeof c->status, q, 4);
  c->enrolment_id = store__col_opt(q, 5);
  c->course_id = sqlite3_column_int64(q, 6);
}

int store_course_step_get(struct store *s, int64_t id, struct store_course_step *out) {
  STORE__STMT(s, q,
              "SELECT c.id, c.match_run_id, c.resident_id, c.batch_id, c.status, c.enrolment_id, "
              "b.course_id FROM course_steps c JOIN batches b ON b.id = c.batch_id WHERE c.id = "
              "?1");
  sqlite3_bind_int64(q, 1, id);
  STORE__ONE_ROW(q, out, read_step);
}

int store_course_step_move(struct store *s, int64_t id, const char *from, const char *to,
                           int64_t by_user, int64_t enrolment_id) {
  STORE__STMT(s, q,
              "UPDATE course_steps SET status = ?3, updated_by = ?4, updated_at = ?5, "
              "enrolment_id = coalesce(?6, enrolment_id) WHERE id = ?1 AND status = ?2");
  char now[21];
  store_now_iso(now);
  store__bind_move(q, id, from, to, by_user, now);
  store__bind_opt(q, 6, enrolment_id);
  int rc = store__done(q);
  if (rc == STORE_OK && sqlite3_changes(s->db) != 1)
    rc = STORE_ENOTFOUND;
  return rc;
}

/* ---- What a course teaches a resident ------------------------------------------------ */

static void read_taught(sqlite3_stmt *q, struct store_taught_skill *k) {
  k->skill_id = sqlite3_column_int64(q, 0);
  store__copy_col(k->code, sizeof k->code, q, 1);
  k->held = sqlite3_column_type(q, 2) != SQLITE_NULL;
  k->certified = sqlite3_column_int(q, 2);
  store__copy_col(k->source, sizeof k->source, q, 3);
}

int store_taught_skills_each(struct store *s, int64_t resident_id, int64_t course_id,
                             int (*fn)(void *arg, const struct store_taught_skill *k), void *arg) {
  STORE__STMT(s, q,
              "SELECT cs.skill_id, k.code, rs.certified, rs.source FROM course_skills cs "
              "JOIN skills k ON k.id = cs.skill_id LEFT JOIN resident_skills rs ON "
              "rs.resident_id = ?1 AND rs.skill_id = cs.skill_id WHERE cs.course_id = ?2 "
              "ORDER BY k.code");
  sqlite3_bind_int64(q, 1, resident_id);
  sqlite3_bind_int64(q, 2, course_id);
  struct store_taught_skill k;
  STORE__EACH_ROW(q, k, read_taught, fn, arg);
}

int store_resident_skill_taught(struct store *s, int64_t resident_id, int64_t skill_id,
                                int certified) {
  STORE__STMT(s, q,
              "INSERT INTO resident_skills (resident_id, skill_id, certified, source) VALUES "
              "(?1, ?2, ?3, 'course') ON CONFLICT (resident_id, skill_id) DO UPDATE SET "
              "certified = max(certified, excluded.certified), source = 'course'");
  sqlite3_bind_int64(q, 1, resident_id);
  sqlite3_bind_int64(q, 2, skill_id);
  sqlite3_bind_int(q, 3, certified != 0);
  return store__done(q);
}
