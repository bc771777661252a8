/*
 * store_run_steps.c — the queries of a next-step run (core/runs.c): what the
 * run must know beyond the engine's snapshot (each vacancy's open
 * referrals, residents who already have an open step, pairs that ended
 * recently, batches with seats left), and what it records besides its
 * referrals (course steps, the targeting figures, the reasons given to the
 * residents of priority kelurahan who got no step).
 */
#include "store_int.h"

#include <string.h>

#define OPEN_REFERRAL "('proposed', 'confirmed', 'interviewed')"

static void read_pair(sqlite3_stmt *q, struct store_run_pair *p) {
  p->a = sqlite3_column_int64(q, 0);
  p->b = sqlite3_column_int64(q, 1);
}

int store_run_loads(struct store *s, int (*fn)(void *arg, const struct store_run_pair *p),
                    void *arg) {
  STORE__STMT(s, q,
              "SELECT vacancy_id, count(*) FROM referrals WHERE status IN " OPEN_REFERRAL
              " GROUP BY vacancy_id ORDER BY vacancy_id");
  struct store_run_pair p;
  STORE__EACH_ROW(q, p, read_pair, fn, arg);
}

int store_run_busy(struct store *s, int (*fn)(void *arg, const struct store_run_pair *p),
                   void *arg) {
  STORE__STMT(s, q,
              "SELECT resident_id, 0 FROM referrals WHERE status IN " OPEN_REFERRAL
              " UNION SELECT e.resident_id, 0 FROM enrolments e JOIN batches b ON b.id = "
              "e.batch_id WHERE e.status = 'enrolled' AND b.status <> 'finished' "
              "UNION SELECT resident_id, 0 FROM course_steps WHERE status = 'proposed' "
              "ORDER BY 1");
  struct store_run_pair p;
  STORE__EACH_ROW(q, p, read_pair, fn, arg);
}

int store_run_bans(struct store *s, const char *since,
                   int (*fn)(void *arg, const struct store_run_pair *p), void *arg) {
  STORE__STMT(s, q,
              "SELECT DISTINCT resident_id, vacancy_id FROM referrals WHERE status IN "
              "('rejected', 'withdrawn') AND updated_at >= ?1 ORDER BY 1, 2");
  store__bind_text(q, 1, since);
  struct store_run_pair p;
  STORE__EACH_ROW(q, p, read_pair, fn, arg);
}

static void read_batch(sqlite3_stmt *q, struct store_run_batch *b) {
  b->id = sqlite3_column_int64(q, 0);
  b->course_id = sqlite3_column_int64(q, 1);
  b->seats = sqlite3_column_int64(q, 2);
  store__copy_col(b->start_date, sizeof b->start_date, q, 3);
  store__copy_col(b->end_date, sizeof b->end_date, q, 4);
  store__copy_col(b->course_name, sizeof b->course_name, q, 5);
}

int store_run_batches(struct store *s, const char *today,
                      int (*fn)(void *arg, const struct store_run_batch *b), void *arg) {
  STORE__STMT(s, q,
              "SELECT b.id, b.course_id, b.capacity - "
              "(SELECT count(*) FROM enrolments e WHERE e.batch_id = b.id AND e.status <> "
              "'dropped') - (SELECT count(*) FROM course_steps t WHERE t.batch_id = b.id AND "
              "t.status = 'proposed'), b.start_date, b.end_date, c.name "
              "FROM batches b JOIN courses c ON c.id = b.course_id "
              "WHERE (b.status = 'planned' AND (b.start_date IS NULL OR b.start_date >= ?1)) "
              "OR (b.status = 'running' AND b.start_date >= date(?1, '-14 days')) ORDER BY b.id");
  store__bind_text(q, 1, today);
  struct store_run_batch b;
  STORE__EACH_ROW(q, b, read_batch, fn, arg);
}

int store_course_step_add(struct store *s, const struct store_course_step_new *t, int64_t *id) {
  STORE__STMT(s, q,
              "INSERT INTO course_steps (match_run_id, resident_id, batch_id, status, priority, "
              "rank_key, expected_placement, explanation, created_by, created_at, updated_by, "
              "updated_at) VALUES (?1, ?2, ?3, 'proposed', ?4, ?5, ?6, ?7, ?8, ?9, ?8, ?9)");
  char now[21];
  store_now_iso(now);
  sqlite3_bind_int64(q, 1, t->run_id);
  sqlite3_bind_int64(q, 2, t->resident_id);
  sqlite3_bind_int64(q, 3, t->batch_id);
  sqlite3_bind_double(q, 4, t->priority);
  sqlite3_bind_double(q, 5, t->key);
  sqlite3_bind_double(q, 6, t->expected_placement);
  store__bind_text(q, 7, t->explanation);
  store__bind_opt(q, 8, t->created_by);
  store__bind_text(q, 9, now);
  return store__insert(s, q, id);
}

int store_referral_set_explanation(struct store *s, int64_t referral_id, const char *json) {
  STORE__STMT(s, q, "UPDATE referrals SET explanation = ?2 WHERE id = ?1");
  sqlite3_bind_int64(q, 1, referral_id);
  store__bind_text(q, 2, json);
  return store__done(q);
}

int store_match_run_targeting_add(struct store *s, int64_t run_id,
                                  const struct store_run_targeting *t) {
  STORE__STMT(s, q,
              "INSERT INTO match_run_targeting (match_run_id, grp, eligible, job_steps, "
              "course_steps) VALUES (?1, ?2, ?3, ?4, ?5)");
  sqlite3_bind_int64(q, 1, run_id);
  store__bind_text(q, 2, t->grp);
  sqlite3_bind_int64(q, 3, t->eligible);
  sqlite3_bind_int64(q, 4, t->job_steps);
  sqlite3_bind_int64(q, 5, t->course_steps);
  return store__done(q);
}

static void read_targeting(sqlite3_stmt *q, struct store_run_targeting *t) {
  store__copy_col(t->grp, sizeof t->grp, q, 0);
  t->eligible = sqlite3_column_int64(q, 1);
  t->job_steps = sqlite3_column_int64(q, 2);
  t->course_steps = sqlite3_column_int64(q, 3);
}

int store_match_run_targeting(struct store *s, int64_t run_id,
                              int (*fn)(void *arg, const struct store_run_targeting *t),
                              void *arg) {
  STORE__STMT(s, q,
              "SELECT grp, eligible, job_steps, course_steps FROM match_run_targeting "
              "WHERE match_run_id = ?1 ORDER BY grp");
  sqlite3_bind_int64(q, 1, run_id);
  struct store_run_targeting t;
  STORE__EACH_ROW(q, t, read_targeting, fn, arg);
}

int store_match_run_latest(struct store *s, int64_t *run_id) {
  STORE__STMT(s, q,
              "SELECT max(match_run_id) FROM match_run_targeting HAVING max(match_run_id) "
              "IS NOT NULL");
  return store__int(q, run_id);
}

int store_match_run_reason_add(struct store *s, int64_t run_id, const struct store_reason_row *r) {
  STORE__STMT(s, q,
              "INSERT INTO match_run_reasons (match_run_id, resident_id, code, reason_id, "
              "reason_en, groups, course_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  sqlite3_bind_int64(q, 1, run_id);
  sqlite3_bind_int64(q, 2, r->resident_id);
  store__bind_text(q, 3, r->code);
  store__bind_text(q, 4, r->reason_id);
  store__bind_text(q, 5, r->reason_en);
  sqlite3_bind_int64(q, 6, r->groups);
  store__bind_opt(q, 7, r->course_id);
  return store__done(q);
}

static void read_reason(sqlite3_stmt *q, struct store_run_reason *r) {
  store__copy_col(r->code, sizeof r->code, q, 0);
  store__copy_col(r->reason_id, sizeof r->reason_id, q, 1);
  store__copy_col(r->reason_en, sizeof r->reason_en, q, 2);
  r->n = sqlite3_column_int64(q, 3);
}

int store_match_run_reasons(struct store *s, int64_t run_id, int64_t group_bit, int limit,
                            int (*fn)(void *arg, const struct store_run_reason *r), void *arg) {
  STORE__STMT(s, q,
              "SELECT code, reason_id, reason_en, count(*) FROM match_run_reasons WHERE "
              "match_run_id = ?1 AND groups & ?2 GROUP BY code, reason_id, reason_en "
              "ORDER BY count(*) DESC, code, reason_en LIMIT ?3");
  sqlite3_bind_int64(q, 1, run_id);
  sqlite3_bind_int64(q, 2, group_bit);
  sqlite3_bind_int(q, 3, limit);
  struct store_run_reason r;
  STORE__EACH_ROW(q, r, read_reason, fn, arg);
}

int store_resident_reason(struct store *s, int64_t run_id, int64_t resident_id,
                          struct store_run_reason *out) {
  STORE__STMT(s, q,
              "SELECT code, reason_id, reason_en, 1 FROM match_run_reasons WHERE "
              "match_run_id = ?1 AND resident_id = ?2");
  sqlite3_bind_int64(q, 1, run_id);
  sqlite3_bind_int64(q, 2, resident_id);
  STORE__ONE_ROW(q, out, read_reason);
}

int store_match_run_blocks(struct store *s, int64_t run_id, int64_t group_bit,
                           int (*fn)(void *arg, const struct store_run_reason *r), void *arg) {
  STORE__STMT(s, q,
              "SELECT code, '', '', count(*) FROM match_run_reasons WHERE match_run_id = ?1 "
              "AND groups & ?2 GROUP BY code ORDER BY count(*) DESC, code");
  sqlite3_bind_int64(q, 1, run_id);
  sqlite3_bind_int64(q, 2, group_bit);
  struct store_run_reason r;
  STORE__EACH_ROW(q, r, read_reason, fn, arg);
}

static void read_wait(sqlite3_stmt *q, struct store_course_wait *w) {
  w->course_id = sqlite3_column_int64(q, 0);
  store__copy_col(w->course_name, sizeof w->course_name, q, 1);
  w->n = sqlite3_column_int64(q, 2);
}

int store_match_run_waiting(struct store *s, int64_t run_id, int64_t group_bit,
                            int (*fn)(void *arg, const struct store_course_wait *w), void *arg) {
  STORE__STMT(s, q,
              "SELECT m.course_id, c.name, count(*) FROM match_run_reasons m JOIN courses c ON "
              "c.id = m.course_id WHERE m.match_run_id = ?1 AND m.groups & ?2 GROUP BY "
              "m.course_id ORDER BY count(*) DESC, c.name");
  sqlite3_bind_int64(q, 1, run_id);
  sqlite3_bind_int64(q, 2, group_bit);
  struct store_course_wait w;
  STORE__EACH_ROW(q, w, read_wait, fn, arg);
}

static void read_status(sqlite3_stmt *q, struct store_status_count *c) {
  store__copy_col(c->status, sizeof c->status, q, 0);
  c->n = sqlite3_column_int64(q, 1);
}

int store_match_run_step_statuses(struct store *s, int64_t run_id,
                                  int (*fn)(void *arg, const struct store_status_count *c),
                                  void *arg) {
  STORE__STMT(s, q,
              "SELECT status, count(*) FROM course_steps WHERE match_run_id = ?1 GROUP BY status "
              "ORDER BY status");
  sqlite3_bind_int64(q, 1, run_id);
  struct store_status_count c;
  STORE__EACH_ROW(q, c, read_status, fn, arg);
}

int store_resident_open_steps(struct store *s, int64_t resident_id, int64_t *n) {
  STORE__STMT(
      s, q,
      "SELECT (SELECT count(*) FROM referrals WHERE resident_id = ?1 AND status IN " OPEN_REFERRAL
      ") + (SELECT count(*) FROM course_steps WHERE resident_id = ?1 AND status = "
      "'proposed') + (SELECT count(*) FROM enrolments e JOIN batches b ON b.id = "
      "e.batch_id WHERE e.resident_id = ?1 AND e.status = 'enrolled' AND b.status <> "
      "'finished')");
  sqlite3_bind_int64(q, 1, resident_id);
  return store__int(q, n);
}
