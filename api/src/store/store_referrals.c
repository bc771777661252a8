/*
 * store_referrals.c — the queries behind the matching endpoints: referrals
 * as the API reads and moves them (each move and its event together, with
 * the job placement it starts or ends in the intervention registry), the
 * recorded match runs with their proposals counted per vacancy and status,
 * and the few facts about a resident, a vacancy or a course that a ranking
 * needs to be shown to a person.  Nothing here opens a transaction: the
 * handler wraps a change and its side effects in one.
 */
#include "store_int.h"

#include <string.h>

#define OPEN_STATUSES "('proposed', 'confirmed', 'interviewed')"
#define HIRED_STATUSES "('hired', 'retained_3m', 'retained_6m')"

/* A REAL column, -1 for NULL (fit, priority and key are never negative). */
static double col_real_opt(sqlite3_stmt *q, int col) {
  return sqlite3_column_type(q, col) == SQLITE_NULL ? -1.0 : sqlite3_column_double(q, col);
}

static void bind_real_opt(sqlite3_stmt *q, int i, double v) {
  if (v < 0.0)
    sqlite3_bind_null(q, i);
  else
    sqlite3_bind_double(q, i, v);
}

/* ---- Referrals ------------------------------------------------------------------- */

#define REFERRAL_SELECT                                                                            \
  "SELECT f.id, f.resident_id, f.vacancy_id, f.match_run_id, v.employer_id, r.kelurahan_id, "      \
  "f.status, f.fit, f.priority, f.rank_key, f.created_by, f.updated_by, f.created_at, "            \
  "f.updated_at, v.code, v.title, e.name, r.name, r.phone, k.name, r.erased_at IS NOT NULL "       \
  "FROM referrals f JOIN vacancies v ON v.id = f.vacancy_id JOIN employers e ON e.id = "           \
  "v.employer_id JOIN residents r ON r.id = f.resident_id LEFT JOIN kelurahan k ON k.id = "        \
  "r.kelurahan_id "

static void read_referral(sqlite3_stmt *q, struct store_referral *f) {
  f->id = sqlite3_column_int64(q, 0);
  f->resident_id = sqlite3_column_int64(q, 1);
  f->vacancy_id = sqlite3_column_int64(q, 2);
  f->match_run_id = store__col_opt(q, 3);
  f->employer_id = sqlite3_column_int64(q, 4);
  f->kelurahan_id = store__col_opt(q, 5);
  store__copy_col(f->status, sizeof f->status, q, 6);
  f->fit = col_real_opt(q, 7);
  f->priority = col_real_opt(q, 8);
  f->rank_key = col_real_opt(q, 9);
  f->created_by = store__col_opt(q, 10);
  f->updated_by = store__col_opt(q, 11);
  store__copy_col(f->created_at, sizeof f->created_at, q, 12);
  store__copy_col(f->updated_at, sizeof f->updated_at, q, 13);
  store__copy_col(f->vacancy_code, sizeof f->vacancy_code, q, 14);
  store__copy_col(f->vacancy_title, sizeof f->vacancy_title, q, 15);
  store__copy_col(f->employer_name, sizeof f->employer_name, q, 16);
  store__copy_col(f->resident_name, sizeof f->resident_name, q, 17);
  store__copy_col(f->resident_phone, sizeof f->resident_phone, q, 18);
  store__copy_col(f->kelurahan_name, sizeof f->kelurahan_name, q, 19);
  f->erased = sqlite3_column_int(q, 20);
}

int store_referral_get(struct store *s, int64_t id, struct store_referral *out) {
  STORE__STMT(s, q, REFERRAL_SELECT "WHERE f.id = ?1");
  sqlite3_bind_int64(q, 1, id);
  STORE__ONE_ROW(q, out, read_referral);
}

int store_referral_list(struct store *s, const struct store_referral_filter *f,
                        int (*fn)(void *arg, const struct store_referral *row), void *arg) {
  STORE__STMT(s, q,
              REFERRAL_SELECT
              "WHERE f.id > ?1 AND (?2 IS NULL OR f.resident_id = ?2) AND (?3 IS NULL OR "
              "f.vacancy_id = ?3) AND (?4 IS NULL OR f.match_run_id = ?4) AND (?5 IS NULL OR "
              "v.employer_id = ?5) AND (?6 IS NULL OR r.kelurahan_id = ?6) AND (?7 IS NULL OR "
              "f.status = ?7) ORDER BY f.id LIMIT ?8");
  sqlite3_bind_int64(q, 1, f->after);
  store__bind_opt(q, 2, f->resident_id);
  store__bind_opt(q, 3, f->vacancy_id);
  store__bind_opt(q, 4, f->match_run_id);
  store__bind_opt(q, 5, f->employer_id);
  store__bind_opt(q, 6, f->kelurahan_id);
  store__bind_text(q, 7, f->status);
  sqlite3_bind_int64(q, 8, f->limit);
  struct store_referral row;
  STORE__EACH_ROW(q, row, read_referral, fn, arg);
}

int store_referral_open_find(struct store *s, int64_t resident_id, int64_t vacancy_id,
                             int64_t *id) {
  STORE__STMT(s, q,
              "SELECT id FROM referrals WHERE resident_id = ?1 AND vacancy_id = ?2 AND status "
              "IN " OPEN_STATUSES);
  sqlite3_bind_int64(q, 1, resident_id);
  sqlite3_bind_int64(q, 2, vacancy_id);
  return store__int(q, id);
}

int store_referral_event_add(struct store *s, int64_t referral_id, const char *from, const char *to,
                             int64_t by_user, const char *at, const char *note) {
  STORE__STMT(s, q,
              "INSERT INTO referral_events (referral_id, from_status, to_status, by_user, at, "
              "note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  sqlite3_bind_int64(q, 1, referral_id);
  store__bind_text(q, 2, from);
  store__bind_text(q, 3, to);
  store__bind_opt(q, 4, by_user);
  store__bind_text(q, 5, at);
  store__bind_text(q, 6, note != NULL && note[0] != '\0' ? note : NULL);
  return store__done(q);
}

int store_referral_create(struct store *s, const struct store_referral_create *c, int64_t *id) {
  STORE__STMT(s, q,
              "INSERT INTO referrals (resident_id, vacancy_id, status, fit, priority, rank_key, "
              "created_by, created_at, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
              "?7, ?8, ?7, ?8)");
  char now[21];
  int64_t new_id = 0;
  store_now_iso(now);
  sqlite3_bind_int64(q, 1, c->resident_id);
  sqlite3_bind_int64(q, 2, c->vacancy_id);
  store__bind_text(q, 3, c->status);
  bind_real_opt(q, 4, c->fit);
  bind_real_opt(q, 5, c->priority);
  bind_real_opt(q, 6, c->rank_key);
  store__bind_opt(q, 7, c->created_by);
  store__bind_text(q, 8, now);
  int rc = store__insert(s, q, &new_id);
  if (rc == STORE_OK)
    rc = store_referral_event_add(s, new_id, NULL, c->status, c->created_by, now, c->note);
  if (rc == STORE_OK && id != NULL)
    *id = new_id;
  return rc;
}

int store_referral_move(struct store *s, int64_t id, const char *from, const char *to,
                        int64_t by_user, const char *note) {
  STORE__STMT(s, q,
              "UPDATE referrals SET status = ?3, updated_by = ?4, updated_at = ?5 WHERE id = ?1 "
              "AND status = ?2");
  char now[21];
  store_now_iso(now);
  store__bind_move(q, id, from, to, by_user, now);
  int rc = store__done(q);
  if (rc == STORE_OK && sqlite3_changes(s->db) != 1)
    rc = STORE_ENOTFOUND;
  if (rc == STORE_OK)
    rc = store_referral_event_add(s, id, from, to, by_user, now, note);
  return rc;
}

static void read_at(sqlite3_stmt *q, char *at) {
  store__copy_col(at, 21, q, 0);
}

int store_referral_reached(struct store *s, int64_t id, const char *status, char at[21]) {
  STORE__STMT(s, q,
              "SELECT at FROM referral_events WHERE referral_id = ?1 AND to_status = ?2 ORDER BY "
              "id DESC LIMIT 1");
  sqlite3_bind_int64(q, 1, id);
  store__bind_text(q, 2, status);
  STORE__ONE_ROW(q, at, read_at);
}

static void read_event(sqlite3_stmt *q, struct store_referral_event *ev) {
  ev->id = sqlite3_column_int64(q, 0);
  store__copy_col(ev->from, sizeof ev->from, q, 1);
  store__copy_col(ev->to, sizeof ev->to, q, 2);
  ev->by_user = store__col_opt(q, 3);
  store__copy_col(ev->by_username, sizeof ev->by_username, q, 4);
  store__copy_col(ev->at, sizeof ev->at, q, 5);
  ev->note = (const char *)sqlite3_column_text(q, 6);
}

int store_referral_events(struct store *s, int64_t id,
                          int (*fn)(void *arg, const struct store_referral_event *ev), void *arg) {
  STORE__STMT(s, q,
              "SELECT ev.id, ev.from_status, ev.to_status, ev.by_user, u.username, ev.at, ev.note "
              "FROM referral_events ev LEFT JOIN users u ON u.id = ev.by_user WHERE "
              "ev.referral_id = ?1 ORDER BY ev.id");
  sqlite3_bind_int64(q, 1, id);
  struct store_referral_event ev;
  STORE__EACH_ROW(q, ev, read_event, fn, arg);
}

int store_placement_start(struct store *s, int64_t referral_id, int64_t resident_id,
                          const char *date, int64_t by_user) {
  STORE__STMT(s, q,
              "INSERT INTO interventions (resident_id, kind, office, start_date, status, "
              "referral_id, created_by, created_at) VALUES (?1, 'job_placement', 'Disnaker', ?2, "
              "'active', ?3, ?4, ?5)");
  char now[21];
  store_now_iso(now);
  sqlite3_bind_int64(q, 1, resident_id);
  store__bind_text(q, 2, date);
  sqlite3_bind_int64(q, 3, referral_id);
  store__bind_opt(q, 4, by_user);
  store__bind_text(q, 5, now);
  return store__done(q);
}

int store_placement_end(struct store *s, int64_t referral_id, const char *date) {
  STORE__STMT(s, q,
              "UPDATE interventions SET status = 'ended', end_date = ?2 WHERE referral_id = ?1 "
              "AND kind = 'job_placement' AND status = 'active'");
  sqlite3_bind_int64(q, 1, referral_id);
  store__bind_text(q, 2, date);
  return store__done(q);
}

/* ---- Match runs ------------------------------------------------------------------- */

#define RUN_SELECT                                                                                 \
  "SELECT m.id, m.created_by, u.username, m.created_at, m.algorithm, m.run_date, m.total_key, "    \
  "m.total_gain, m.n_proposals, m.n_unmatched, m.duration_ms, m.outcomes_stored FROM match_runs "  \
  "m LEFT JOIN users u ON u.id = m.created_by "

static void read_run(sqlite3_stmt *q, struct store_match_run_row *m) {
  m->id = sqlite3_column_int64(q, 0);
  m->created_by = store__col_opt(q, 1);
  store__copy_col(m->created_by_name, sizeof m->created_by_name, q, 2);
  store__copy_col(m->created_at, sizeof m->created_at, q, 3);
  store__copy_col(m->algorithm, sizeof m->algorithm, q, 4);
  store__copy_col(m->run_date, sizeof m->run_date, q, 5);
  m->total_key = sqlite3_column_double(q, 6);
  m->total_gain = sqlite3_column_int64(q, 7);
  m->n_proposals = sqlite3_column_int64(q, 8);
  m->n_unmatched = sqlite3_column_int64(q, 9);
  m->duration_ms = sqlite3_column_double(q, 10);
  m->outcomes_stored = sqlite3_column_int(q, 11) != 0;
}

int store_match_run_get(struct store *s, int64_t id, struct store_match_run_row *out) {
  STORE__STMT(s, q, RUN_SELECT "WHERE m.id = ?1");
  sqlite3_bind_int64(q, 1, id);
  STORE__ONE_ROW(q, out, read_run);
}

int store_match_run_list(struct store *s, int64_t after, int limit,
                         int (*fn)(void *arg, const struct store_match_run_row *m), void *arg) {
  STORE__STMT(s, q, RUN_SELECT "WHERE m.id > ?1 ORDER BY m.id LIMIT ?2");
  sqlite3_bind_int64(q, 1, after);
  sqlite3_bind_int(q, 2, limit);
  struct store_match_run_row m;
  STORE__EACH_ROW(q, m, read_run, fn, arg);
}

static void read_status_count(sqlite3_stmt *q, struct store_status_count *c) {
  store__copy_col(c->status, sizeof c->status, q, 0);
  c->n = sqlite3_column_int64(q, 1);
}

int store_match_run_statuses(struct store *s, int64_t run_id,
                             int (*fn)(void *arg, const struct store_status_count *c), void *arg) {
  STORE__STMT(s, q,
              "SELECT status, count(*) FROM referrals WHERE match_run_id = ?1 GROUP BY status "
              "ORDER BY status");
  sqlite3_bind_int64(q, 1, run_id);
  struct store_status_count c;
  STORE__EACH_ROW(q, c, read_status_count, fn, arg);
}

static void read_run_vacancy(sqlite3_stmt *q, struct store_match_run_vacancy *v) {
  v->vacancy_id = sqlite3_column_int64(q, 0);
  store__copy_col(v->code, sizeof v->code, q, 1);
  store__copy_col(v->title, sizeof v->title, q, 2);
  v->employer_id = sqlite3_column_int64(q, 3);
  v->openings = sqlite3_column_int64(q, 4);
  v->proposals = sqlite3_column_int64(q, 5);
  v->open = sqlite3_column_int64(q, 6);
  v->confirmed = sqlite3_column_int64(q, 7);
  v->hired = sqlite3_column_int64(q, 8);
  v->capacity = store__col_opt(q, 9);
}

int store_match_run_vacancies(struct store *s, int64_t run_id,
                              int (*fn)(void *arg, const struct store_match_run_vacancy *v),
                              void *arg) {
  STORE__STMT(s, q,
              "SELECT v.id, v.code, v.title, v.employer_id, v.openings, count(*), "
              "sum(f.status IN " OPEN_STATUSES "), sum(f.status = 'confirmed'), "
              "sum(f.status IN " HIRED_STATUSES " OR f.status = 'left'), "
              "(SELECT capacity FROM match_run_fill WHERE match_run_id = ?1 AND vacancy_id = v.id) "
              "FROM referrals f JOIN vacancies v ON v.id = f.vacancy_id WHERE f.match_run_id = ?1 "
              "GROUP BY v.id ORDER BY v.id");
  sqlite3_bind_int64(q, 1, run_id);
  struct store_match_run_vacancy v;
  STORE__EACH_ROW(q, v, read_run_vacancy, fn, arg);
}

static void read_reason_count(sqlite3_stmt *q, struct store_reason_count *c) {
  store__copy_col(c->reason, sizeof c->reason, q, 0);
  c->n = sqlite3_column_int64(q, 1);
}

int store_match_run_unmatched(struct store *s, int64_t run_id,
                              int (*fn)(void *arg, const struct store_reason_count *c), void *arg) {
  STORE__STMT(s, q,
              "SELECT reason, n FROM match_run_unmatched WHERE match_run_id = ?1 ORDER BY reason");
  sqlite3_bind_int64(q, 1, run_id);
  struct store_reason_count c;
  STORE__EACH_ROW(q, c, read_reason_count, fn, arg);
}

static void read_fill(sqlite3_stmt *q, struct store_match_run_fill *f) {
  f->vacancies = sqlite3_column_int64(q, 0);
  f->capacity = sqlite3_column_int64(q, 1);
  f->proposed = sqlite3_column_int64(q, 2);
  f->full = sqlite3_column_int64(q, 3);
  f->none = sqlite3_column_int64(q, 4);
}

int store_match_run_fill(struct store *s, int64_t run_id, struct store_match_run_fill *out) {
  STORE__STMT(s, q,
              "SELECT count(*), coalesce(sum(capacity), 0), coalesce(sum(proposed), 0), "
              "coalesce(sum(capacity > 0 AND proposed >= capacity), 0), "
              "coalesce(sum(proposed = 0), 0) FROM match_run_fill WHERE match_run_id = ?1");
  sqlite3_bind_int64(q, 1, run_id);
  STORE__ONE_ROW(q, out, read_fill);
}

/* ---- What a ranking shows ----------------------------------------------------------- */

static void read_candidate(sqlite3_stmt *q, struct store_candidate *c) {
  c->id = sqlite3_column_int64(q, 0);
  store__copy_col(c->name, sizeof c->name, q, 1);
  store__copy_col(c->birth_date, sizeof c->birth_date, q, 2);
  store__copy_col(c->education, sizeof c->education, q, 3);
  c->kelurahan_id = store__col_opt(q, 4);
  store__copy_col(c->kelurahan_name, sizeof c->kelurahan_name, q, 5);
  store__copy_col(c->kecamatan_name, sizeof c->kecamatan_name, q, 6);
  store__copy_col(c->skills, sizeof c->skills, q, 7);
}

int store_candidate_get(struct store *s, int64_t resident_id, struct store_candidate *out) {
  STORE__STMT(s, q,
              "SELECT r.id, r.name, r.birth_date, r.education, r.kelurahan_id, k.name, c.name, "
              "(SELECT group_concat(x, ';') FROM (SELECT skill_id || ':' || certified AS x FROM "
              "resident_skills WHERE resident_id = r.id ORDER BY skill_id)) FROM residents r "
              "LEFT JOIN kelurahan k ON k.id = r.kelurahan_id LEFT JOIN kecamatan c ON c.id = "
              "k.kecamatan_id WHERE r.id = ?1 AND r.erased_at IS NULL");
  sqlite3_bind_int64(q, 1, resident_id);
  STORE__ONE_ROW(q, out, read_candidate);
}

int store_candidates_get(struct store *s, const int64_t *ids, size_t n,
                         struct store_candidate *out) {
  /* One statement for the whole page: j.key is the id's place in the list */
  STORE__STMT(s, q,
              "SELECT r.id, r.name, r.birth_date, r.education, r.kelurahan_id, k.name, c.name, "
              "(SELECT group_concat(x, ';') FROM (SELECT skill_id || ':' || certified AS x FROM "
              "resident_skills WHERE resident_id = r.id ORDER BY skill_id)), j.key "
              "FROM json_each(?1) j JOIN residents r ON r.id = j.value "
              "LEFT JOIN kelurahan k ON k.id = r.kelurahan_id LEFT JOIN kecamatan c ON c.id = "
              "k.kecamatan_id WHERE r.erased_at IS NULL");
  for (size_t i = 0; i < n; i++)
    out[i].id = -1;
  if (n == 0)
    return STORE_OK;
  if (store__bind_id_list(q, 1, ids, n) != STORE_OK)
    return STORE_ENOMEM;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    sqlite3_int64 at = sqlite3_column_int64(q, 8);
    if (at >= 0 && (uint64_t)at < n)
      read_candidate(q, &out[at]);
  }
  sqlite3_reset(q);
  return rc == SQLITE_DONE ? STORE_OK : store__rc(rc);
}

static void read_vacancy_brief(sqlite3_stmt *q, struct store_vacancy_brief *v) {
  v->id = sqlite3_column_int64(q, 0);
  v->employer_id = sqlite3_column_int64(q, 1);
  store__copy_col(v->code, sizeof v->code, q, 2);
  store__copy_col(v->title, sizeof v->title, q, 3);
  store__copy_col(v->employer_name, sizeof v->employer_name, q, 4);
  store__copy_col(v->status, sizeof v->status, q, 5);
  v->openings = sqlite3_column_int64(q, 6);
}

int store_vacancy_brief(struct store *s, int64_t id, struct store_vacancy_brief *out) {
  STORE__STMT(s, q,
              "SELECT v.id, v.employer_id, v.code, v.title, e.name, v.status, v.openings FROM "
              "vacancies v JOIN employers e ON e.id = v.employer_id WHERE v.id = ?1");
  sqlite3_bind_int64(q, 1, id);
  STORE__ONE_ROW(q, out, read_vacancy_brief);
}

int store_vacancy_lowest(struct store *s, int64_t *id) {
  STORE__STMT(s, q, "SELECT id FROM vacancies ORDER BY id LIMIT 1");
  return store__int(q, id);
}

static void read_course_brief(sqlite3_stmt *q, struct store_course_brief *c) {
  store__copy_col(c->code, sizeof c->code, q, 0);
  store__copy_col(c->name, sizeof c->name, q, 1);
}

int store_course_brief(struct store *s, int64_t id, struct store_course_brief *out) {
  STORE__STMT(s, q, "SELECT code, name FROM courses WHERE id = ?1");
  sqlite3_bind_int64(q, 1, id);
  STORE__ONE_ROW(q, out, read_course_brief);
}
