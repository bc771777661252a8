/*
 * The whole city (issue 14 point 6): a snapshot holds only the residents
 * who could be eligible (core/snapshot.c), the engine loads after the
 * server starts (core/app.c), and neither changes an answer.
 *
 * scope_changes_no_answer builds, on one seeded city, the snapshot of every
 * resident (SNAPSHOT_ALL_RESIDENTS, what the code did before) and the
 * scoped one, and compares what the engine answers: the candidates of every
 * vacancy in both orders, the recommendations and course advice of every
 * resident, the explanation of sampled pairs, the whole match run
 * (proposals, course steps, unmatched residents and their reasons, fill,
 * targeting, the solved instance) and the training plan — on the run date
 * and 60 days later, when some children have turned 15 and some
 * verifications have expired.  A resident with a referral who has since
 * started working is held (a proposal list explains them); the residents
 * left out are brought in one by one (snapshot_hold_resident) and give the
 * full snapshot's reason.  The test fails if the scope leaves nobody out.
 *
 * engine_not_ready_until_loaded starts the server with its first build held
 * back (PADAN_TEST_ENGINE_DELAY_MS): /healthz says "loading", the routes
 * that need the engine answer 503 engine-not-ready with Retry-After: 1,
 * the others (a resident read, a correction) are served; once /healthz
 * says "ready", the correction made while loading — after the build had
 * read the store — is in the engine (the refresh was noted and replayed).
 */
#include "testutil.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "cli.h"
#include "matcher.h"
#include "runs.h"
#include "seedgen.h"
#include "snapshot.h"
#include "store.h"
#include "tu_http.h"

#define RESIDENTS 3000
#define TOP 200

static void exec_sql(const char *path, const char *sql) {
  sqlite3 *db;
  ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
  char *msg = NULL;
  ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK, "%s", msg ? msg : "");
  sqlite3_close(db);
}

static void ids_of(const char *path, const char *sql, int64_t **out, size_t *n) {
  sqlite3 *db;
  sqlite3_stmt *q;
  ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
  size_t cap = 1024;
  *out = malloc(cap * sizeof **out);
  *n = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    if (*n == cap)
      *out = realloc(*out, (cap *= 2) * sizeof **out);
    (*out)[(*n)++] = sqlite3_column_int64(q, 0);
  }
  sqlite3_finalize(q);
  sqlite3_close(db);
}

static void same_hits(const struct mt_hit *a, size_t na, const struct mt_hit *b, size_t nb,
                      const char *what, int64_t id) {
  ck_assert_msg(na == nb, "%s %lld: %zu hits against %zu", what, (long long)id, na, nb);
  for (size_t i = 0; i < na; i++)
    ck_assert_msg(a[i].id == b[i].id && a[i].key == b[i].key && a[i].fit == b[i].fit &&
                      a[i].priority == b[i].priority,
                  "%s %lld: hit %zu differs (%u against %u)", what, (long long)id, i, a[i].id,
                  b[i].id);
}

static void same_explanation(const struct mt_engine *full, const struct mt_engine *part,
                             uint32_t rid, uint32_t vid) {
  struct mt_explanation x, y;
  ck_assert_int_eq(mt_explain(full, rid, vid, &x), MT_OK);
  ck_assert_int_eq(mt_explain(part, rid, vid, &y), MT_OK);
  ck_assert_msg(x.reason == y.reason && x.fit == y.fit && x.priority == y.priority &&
                    x.key == y.key && x.n_matched == y.n_matched && x.n_missing == y.n_missing,
                "explanation of resident %u for vacancy %u differs", rid, vid);
}

static void same_candidates(const struct mt_engine *full, const struct mt_engine *part,
                            const int64_t *vac, size_t n_vac) {
  static struct mt_hit a[TOP], b[TOP];
  for (size_t i = 0; i < n_vac; i++)
    for (int order = MT_BY_KEY; order <= MT_BY_FIT; order++) {
      size_t na = 0, nb = 0;
      ck_assert_int_eq(mt_rank_candidates(full, (uint32_t)vac[i], order, TOP, a, &na), MT_OK);
      ck_assert_int_eq(mt_rank_candidates(part, (uint32_t)vac[i], order, TOP, b, &nb), MT_OK);
      same_hits(a, na, b, nb, "candidates of vacancy", vac[i]);
    }
}

/* Recommendations of every resident the scoped engine holds; returns how
 * many of the full engine's residents it does not hold. */
static size_t same_recommendations(const struct mt_engine *full, const struct mt_engine *part,
                                   const int64_t *res, size_t n_res, uint32_t probe) {
  static struct mt_hit a[TOP], b[TOP];
  size_t left_out = 0;
  for (size_t i = 0; i < n_res; i++) {
    uint32_t id = (uint32_t)res[i];
    size_t na = 0, nb = 0;
    ck_assert_int_eq(mt_rank_vacancies(full, id, MT_BY_KEY, TOP, a, &na), MT_OK);
    if (mt_resident_groups(part, id) == 0) {
      /* left out: the full engine can rank them for nothing */
      left_out++;
      ck_assert_msg(na == 0, "resident %u was left out but has %zu vacancies", id, na);
      struct mt_course_recs *c = NULL;
      ck_assert_int_eq(mt_recommend_courses(full, id, 0, &c), MT_OK);
      ck_assert_msg(c->n == 0, "resident %u was left out but has %zu courses", id, c->n);
      mt_course_recs_free(c);
      continue;
    }
    ck_assert_int_eq(mt_rank_vacancies(part, id, MT_BY_KEY, TOP, b, &nb), MT_OK);
    same_hits(a, na, b, nb, "recommendations of resident", id);
    struct mt_course_recs *c = NULL, *d = NULL;
    ck_assert_int_eq(mt_recommend_courses(full, id, 0, &c), MT_OK);
    ck_assert_int_eq(mt_recommend_courses(part, id, 0, &d), MT_OK);
    ck_assert_uint_eq(c->n, d->n);
    for (size_t k = 0; k < c->n; k++)
      ck_assert_msg(c->recs[k].course_id == d->recs[k].course_id &&
                        c->recs[k].expected_placements == d->recs[k].expected_placements,
                    "course advice of resident %u differs", id);
    mt_course_recs_free(c);
    mt_course_recs_free(d);
    if (i % 7 == 0)
      same_explanation(full, part, id, probe);
  }
  return left_out;
}

static void same_run(struct store *s, const struct mt_engine *full, const struct mt_engine *part) {
  struct runs_plan p = {0}, q = {0};
  ck_assert_int_eq(runs_execute(s, full, MT_EXACT, 0, &p), STORE_OK);
  ck_assert_int_eq(runs_execute(s, part, MT_EXACT, 0, &q), STORE_OK);
  const struct mt_match_result *a = p.res, *b = q.res;
  ck_assert_uint_gt(a->n_proposals + a->n_steps + a->n_unmatched, 0);
  ck_assert_int_eq(a->total_gain, b->total_gain);
  ck_assert_uint_eq(a->n_proposals, b->n_proposals);
  for (size_t i = 0; i < a->n_proposals; i++)
    ck_assert_msg(a->proposals[i].resident_id == b->proposals[i].resident_id &&
                      a->proposals[i].vacancy_id == b->proposals[i].vacancy_id &&
                      a->proposals[i].key == b->proposals[i].key,
                  "proposal %zu differs", i);
  ck_assert_uint_eq(a->n_steps, b->n_steps);
  for (size_t i = 0; i < a->n_steps; i++)
    ck_assert(a->steps[i].resident_id == b->steps[i].resident_id &&
              a->steps[i].batch_id == b->steps[i].batch_id);
  ck_assert_uint_eq(a->n_unmatched, b->n_unmatched);
  for (size_t i = 0; i < a->n_unmatched; i++)
    ck_assert(a->unmatched[i].resident_id == b->unmatched[i].resident_id &&
              a->unmatched[i].reason == b->unmatched[i].reason &&
              a->unmatched[i].course_id == b->unmatched[i].course_id);
  ck_assert_uint_eq(a->n_fill, b->n_fill);
  for (size_t i = 0; i < a->n_fill; i++)
    ck_assert(a->fill[i].vacancy_id == b->fill[i].vacancy_id &&
              a->fill[i].proposed == b->fill[i].proposed);
  ck_assert_int_eq(memcmp(a->targeting, b->targeting, sizeof a->targeting), 0);
  ck_assert_uint_eq(a->n_arcs, b->n_arcs);
  for (size_t i = 0; i < a->n_arcs; i++)
    ck_assert(a->arcs[i].resident_id == b->arcs[i].resident_id &&
              a->arcs[i].vacancy_id == b->arcs[i].vacancy_id &&
              a->arcs[i].batch_id == b->arcs[i].batch_id && a->arcs[i].gain == b->arcs[i].gain);
  ck_assert_uint_eq(p.n_reasons, q.n_reasons);
  runs_plan_free(&p);
  runs_plan_free(&q);

  struct mt_training_plan *x = NULL, *y = NULL;
  ck_assert_int_eq(mt_training_plan(full, 10, &x), MT_OK);
  ck_assert_int_eq(mt_training_plan(part, 10, &y), MT_OK);
  ck_assert_uint_eq(x->n_batches, y->n_batches);
  for (size_t i = 0; i < x->n_batches; i++) {
    ck_assert_uint_eq(x->batches[i].course_id, y->batches[i].course_id);
    ck_assert_uint_eq(x->batches[i].n_residents, y->batches[i].n_residents);
    ck_assert_int_eq(memcmp(x->batches[i].residents, y->batches[i].residents,
                            x->batches[i].n_residents * sizeof *x->batches[i].residents),
                     0);
  }
  mt_training_plan_free(x);
  mt_training_plan_free(y);
}

START_TEST(scope_changes_no_answer) {
  char *dir = tu_tmpdir(), path[600], err[256], n_arg[16];
  snprintf(n_arg, sizeof n_arg, "%d", RESIDENTS);
  char *seed[] = {"padan", "seed", "--data", dir, "--residents", n_arg, "--seed", "3", NULL};
  ck_assert_int_eq(cli_main(8, seed), 0);
  snprintf(path, sizeof path, "%s/padan.db", dir);

  struct mt_config cfg;
  mt_config_default(&cfg);
  cfg.today = snapshot_day(SEEDGEN_REFERENCE_DATE) + 10;
  struct store *s;
  ck_assert_msg(store_open(path, &s, err, sizeof err) == STORE_OK, "%s", err);

  /* a run, recorded, so that residents have referrals; then one of them
   * starts working: out of scope, but their proposal is still listed */
  struct snapshot *full = NULL, *part = NULL;
  ck_assert_msg(snapshot_create_ex(s, &cfg, SNAPSHOT_ALL_RESIDENTS, &full, err, sizeof err) == 0,
                "%s", err);
  struct runs_plan plan = {0};
  int64_t run = 0;
  ck_assert_int_eq(runs_execute(s, snapshot_engine(full), MT_EXACT, 0, &plan), STORE_OK);
  ck_assert_int_gt(plan.res->n_proposals, 0);
  uint32_t working = plan.res->proposals[0].resident_id;
  ck_assert_int_eq(runs_record(s, &plan, "exact", "2026-12-07", 1.0, -1, &run), STORE_OK);
  runs_plan_free(&plan);
  snapshot_free(full);
  char sql[160];
  snprintf(sql, sizeof sql, "UPDATE residents SET work_status = 'working' WHERE id = %u", working);
  exec_sql(path, sql);
  /* courses completed (two for some) and courses under way */
  exec_sql(path,
           "INSERT INTO enrolments (batch_id, resident_id, status, created_at, updated_at) "
           "SELECT CASE r.id % 3 WHEN 0 THEN (SELECT min(id) FROM batches WHERE status = "
           "'finished') ELSE (SELECT max(id) FROM batches WHERE status = 'finished') END, r.id, "
           "CASE r.id % 2 WHEN 0 THEN 'completed' ELSE 'certified' END, '2026-01-01', "
           "'2026-01-01' FROM residents r WHERE r.id % 5 = 0;"
           "INSERT OR IGNORE INTO enrolments (batch_id, resident_id, status, created_at, "
           "updated_at) SELECT (SELECT max(id) FROM batches WHERE status = 'finished'), r.id, "
           "'completed', '2026-01-01', '2026-01-01' FROM residents r WHERE r.id % 10 = 0;"
           "INSERT INTO enrolments (batch_id, resident_id, status, created_at, updated_at) "
           "SELECT (SELECT min(id) FROM batches WHERE status <> 'finished'), r.id, 'enrolled', "
           "'2026-01-01', '2026-01-01' FROM residents r WHERE r.id % 11 = 1;");
  /* children who turn 15 within the 60 days, out of school and verified:
   * eligible on the later date, so the scope must reach that far */
  char day[11], until[11], young[1024];
  snapshot_iso_day(cfg.today, day);
  snapshot_iso_day(cfg.today + 59, until);
  snprintf(young, sizeof young,
           "UPDATE residents SET school_status = 'not_in_school', work_status = 'unemployed', "
           "months_without_work = 1, verified_at = '%s' WHERE birth_date > date('%s', '-15 "
           "years') AND birth_date <= date('%s', '-15 years')",
           day, day, until);
  exec_sql(path, young);
  int64_t *turning;
  size_t n_turning;
  snprintf(young, sizeof young,
           "SELECT id FROM residents WHERE birth_date > date('%s', '-15 years') AND birth_date <= "
           "date('%s', '-15 years')",
           day, until);
  ids_of(path, young, &turning, &n_turning);
  ck_assert_uint_gt(n_turning, 0);
  free(turning);

  ck_assert_msg(snapshot_create_ex(s, &cfg, SNAPSHOT_ALL_RESIDENTS, &full, err, sizeof err) == 0,
                "%s", err);
  ck_assert_msg(snapshot_create(s, &cfg, &part, err, sizeof err) == 0, "%s", err);
  ck_assert_int_ge(snapshot_valid_until(part), cfg.today + 60);
  ck_assert_msg(mt_resident_groups(snapshot_engine(part), working) != 0,
                "a resident with a referral was left out");

  int64_t *vac, *res;
  size_t n_vac, n_res;
  ids_of(path, "SELECT id FROM vacancies ORDER BY id", &vac, &n_vac);
  ids_of(path, "SELECT id FROM residents WHERE erased_at IS NULL ORDER BY id", &res, &n_res);
  ck_assert_uint_eq(n_res, RESIDENTS);
  const struct mt_engine *ef = snapshot_engine(full), *ep = snapshot_engine(part);

  /* on the run date, then 60 days on (children turn 15, checks expire) */
  for (int later = 0; later <= 60; later += 60) {
    struct mt_config c = cfg;
    c.today += later;
    ck_assert_int_eq(mt_engine_set_config(snapshot_engine(full), &c), MT_OK);
    ck_assert_int_eq(mt_engine_set_config(snapshot_engine(part), &c), MT_OK);
    same_candidates(ef, ep, vac, n_vac);
    size_t left_out = same_recommendations(ef, ep, res, n_res, (uint32_t)vac[0]);
    /* most of a registry cannot be ranked: the scope must leave them out */
    ck_assert_msg(left_out > n_res / 2, "only %zu of %zu residents left out", left_out, n_res);
    same_run(s, ef, ep);
  }

  /* each one left out, brought in, gives the full snapshot's reason */
  size_t held = 0;
  for (size_t i = 0; i < n_res; i++) {
    uint32_t id = (uint32_t)res[i];
    if (mt_resident_groups(ep, id) != 0)
      continue;
    ck_assert_int_eq(snapshot_hold_resident(part, s, id), 0);
    ck_assert_uint_ne(mt_resident_groups(ep, id), 0);
    same_explanation(ef, ep, id, (uint32_t)vac[i % n_vac]);
    held++;
  }
  ck_assert_uint_gt(held, 0);
  /* and all of them together change no run */
  same_run(s, ef, ep);

  free(vac);
  free(res);
  snapshot_free(full);
  snapshot_free(part);
  store_close(s);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* ---- A load told to stop ----------------------------------------------------------------- */

/* stopped() for snapshot_create_stoppable: says stop from its at-th
 * question on (0: never), and counts the questions. */
struct stop_after {
  int at, asked;
};
static int stop_after_asked(void *arg) {
  struct stop_after *t = arg;
  t->asked++;
  return t->at > 0 && t->asked >= t->at;
}

/* The loader's build of a city gives up when told to (SIGTERM while the
 * engine loads): it is asked between batches of residents and by the
 * store's statements, gives back everything it made (ASan's leak check),
 * and leaves the connection as it was (a build after it succeeds). */
START_TEST(load_stops_when_told) {
  char *dir = tu_tmpdir(), path[600], err[256], n_arg[16];
  snprintf(n_arg, sizeof n_arg, "%d", RESIDENTS);
  char *seed[] = {"padan", "seed", "--data", dir, "--residents", n_arg, "--seed", "5", NULL};
  ck_assert_int_eq(cli_main(8, seed), 0);
  snprintf(path, sizeof path, "%s/padan.db", dir);
  struct mt_config cfg;
  mt_config_default(&cfg);
  cfg.today = snapshot_day(SEEDGEN_REFERENCE_DATE);
  struct store *s;
  ck_assert_msg(store_open(path, &s, err, sizeof err) == STORE_OK, "%s", err);

  /* never told: a whole snapshot, asked many times on the way */
  struct stop_after never = {0, 0};
  struct snapshot *snap = NULL;
  ck_assert_msg(
      snapshot_create_stoppable(s, &cfg, stop_after_asked, &never, &snap, err, sizeof err) == 0,
      "%s", err);
  ck_assert_ptr_nonnull(snap);
  int asked = never.asked;
  ck_assert_int_ge(asked, 3); /* each batch of residents at least */
  snapshot_free(snap);

  /* told at each question in turn: it stops there, and nothing is left */
  for (int at = 1; at <= asked; at += at < 8 ? 1 : asked / 8 + 1) {
    struct stop_after told = {at, 0};
    snap = (struct snapshot *)&told; /* must come back NULL */
    int rc = snapshot_create_stoppable(s, &cfg, stop_after_asked, &told, &snap, err, sizeof err);
    ck_assert_msg(rc == 1, "told at question %d of %d: %d (%s)", at, asked, rc, err);
    ck_assert_ptr_null(snap);
    ck_assert_int_ge(told.asked, at);
    ck_assert_msg(told.asked <= at + 1, "asked %d times after the stop at %d", told.asked, at);
  }
  /* the connection's statements are not stopped any more */
  ck_assert_msg(snapshot_create(s, &cfg, &snap, err, sizeof err) == 0, "%s", err);
  snapshot_free(snap);
  store_close(s);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* ---- The 90-day scope and its rebuild ------------------------------------------------------ */

/* Why resident id cannot take vacancy 1 in a's engine on its run date:
 * MT_R_ELIGIBLE or a vacancy's reason when the resident's own rules let
 * them be ranked; -1 when the engine does not hold them. */
static int resident_reason(struct api_app *a, uint32_t id) {
  struct mt_explanation x;
  const struct mt_engine *e = api_engine_acquire(a);
  enum mt_status st = mt_explain(e, id, 1, &x);
  api_engine_release(a);
  if (st == MT_ENOTFOUND)
    return -1;
  ck_assert_int_eq(st, MT_OK);
  return (int)x.reason;
}

/* 1 when the resident's own rules let them be ranked. */
static int eligible(struct api_app *a, uint32_t id) {
  int r = resident_reason(a, id);
  return r >= 0 && !(r >= MT_R_AGE_UNKNOWN && r <= MT_R_VERIFICATION_EXPIRED);
}

/* Waits (bounded by tries, not asserted as a time) until the snapshot in
 * force covers up to until. */
static int valid_until_becomes(struct api_app *a, int32_t until) {
  for (int i = 0; i < 3000; i++) {
    if (api_engine_valid_until(a) == until)
      return 1;
    struct timespec t = {0, 20 * 1000 * 1000};
    nanosleep(&t, NULL);
  }
  return 0;
}

/* The snapshot holds the residents who could be eligible on some day of
 * the next 90 (snapshot.h), and the server builds anew once the run date
 * comes within 30 days of that window's end (app.c), the run date moved on
 * by api_today_set as by the clock.  Residents who turn 15 on day 45 and
 * on the window's last day are held from the start and eligible on their
 * birthday without a rebuild; one whose verification runs out after day 20
 * is eligible until then; one who turns 15 on day 100, past the window, is
 * left out until the rebuild on day 61 (none on day 60) and eligible on
 * day 100. */
START_TEST(scope_rebuilt_before_it_runs_out) {
  char *dir = tu_tmpdir(), path[600], err[256];
  char *seed[] = {"padan", "seed", "--data", dir, "--residents", "400", "--seed", "6", NULL};
  ck_assert_int_eq(cli_main(8, seed), 0);
  snprintf(path, sizeof path, "%s/padan.db", dir);
  int32_t d = snapshot_day(SEEDGEN_REFERENCE_DATE);
  int64_t *ids;
  size_t n;
  ids_of(path,
         "SELECT id FROM residents WHERE erased_at IS NULL AND id NOT IN (SELECT resident_id "
         "FROM enrolments) AND id NOT IN (SELECT resident_id FROM referrals) AND id NOT IN "
         "(SELECT resident_id FROM interventions) ORDER BY id LIMIT 4",
         &ids, &n);
  ck_assert_uint_eq(n, 4);
  /* 15 on day 45, on day 90 (the window's last), on day 100; and 30 years
   * old, verified 345 days ago (365 are valid) */
  const int turns[4] = {45, 90, 100, 0};
  for (size_t i = 0; i < 4; i++) {
    char born[11], verified[11], sql[512];
    snapshot_iso_day(d + turns[i], born);
    snapshot_iso_day(i < 3 ? d : d - 345, verified);
    snprintf(sql, sizeof sql,
             "UPDATE residents SET birth_date = date('%s', '-%d years'), school_status = "
             "'not_in_school', work_status = 'unemployed', months_without_work = 1, "
             "verified_at = '%s' WHERE id = %lld",
             born, i < 3 ? 15 : 30, verified, (long long)ids[i]);
    exec_sql(path, sql);
  }
  uint32_t at45 = (uint32_t)ids[0], at90 = (uint32_t)ids[1], at100 = (uint32_t)ids[2],
           expiring = (uint32_t)ids[3];
  free(ids);

  struct mt_config cfg;
  mt_config_default(&cfg);
  api_today_set(d);
  struct api_app *a = NULL;
  ck_assert_msg(api_app_create(path, &cfg, &a, err, sizeof err) == 0, "%s", err);
  ck_assert(valid_until_becomes(a, d + 90));
  ck_assert_int_eq(resident_reason(a, at45), MT_R_NOT_PRODUCTIVE_AGE);
  ck_assert_int_eq(resident_reason(a, at90), MT_R_NOT_PRODUCTIVE_AGE);
  ck_assert_int_eq(resident_reason(a, at100), -1); /* left out */
  ck_assert(eligible(a, expiring));

  api_today_set(d + 20);
  ck_assert(eligible(a, expiring)); /* the 365th day since */
  api_today_set(d + 21);
  ck_assert_int_eq(resident_reason(a, expiring), MT_R_VERIFICATION_EXPIRED);
  api_today_set(d + 44);
  ck_assert_int_eq(resident_reason(a, at45), MT_R_NOT_PRODUCTIVE_AGE);
  api_today_set(d + 45);
  ck_assert(eligible(a, at45));
  /* 30 days before the window's end: no rebuild yet */
  api_today_set(d + 60);
  api_engine_generation(a); /* a reader: the run date moves on */
  ck_assert_int_eq(api_config(a).today, d + 60);
  struct timespec settle = {0, 300 * 1000 * 1000};
  nanosleep(&settle, NULL);
  ck_assert_int_eq(api_engine_valid_until(a), d + 90);
  ck_assert_int_eq(resident_reason(a, at100), -1);
  /* within 30 days: the loader builds the next window, asked by the serve
   * loop's tick alone (no request needs the engine that day) */
  api_today_set(d + 61);
  api_app_tick(a);
  ck_assert_int_eq(api_config(a).today, d + 61);
  ck_assert_msg(valid_until_becomes(a, d + 61 + 90), "no rebuild: valid until day %d",
                api_engine_valid_until(a) - d);
  ck_assert_int_eq(resident_reason(a, at100), MT_R_NOT_PRODUCTIVE_AGE);
  api_today_set(d + 90);
  ck_assert(eligible(a, at90));
  api_today_set(d + 99);
  ck_assert_int_eq(resident_reason(a, at100), MT_R_NOT_PRODUCTIVE_AGE);
  api_today_set(d + 100);
  ck_assert(eligible(a, at100));
  ck_assert(eligible(a, at45));

  api_app_free(a);
  api_today_set(0);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* ---- The server while the engine loads ------------------------------------------------ */

static int healthz_says(struct tu_server *s, const char *state) {
  struct tu_resp r;
  tu_request(s, "GET", "/healthz", NULL, NULL, NULL, 0, &r);
  char want[40];
  snprintf(want, sizeof want, "\"engine\":\"%s\"", state);
  int yes = r.status == 200 && r.body != NULL && strstr(r.body, want) != NULL;
  tu_resp_free(&r);
  return yes;
}

/* Starts padan serve on s->dir with its first build held back delay_ms,
 * and waits until /healthz answers (the engine still loading). */
static void launch_delayed(struct tu_server *s, const char *delay_ms) {
  char port_arg[16], log[4096];
  s->port = (uint16_t)tu_free_port();
  snprintf(port_arg, sizeof port_arg, "%u", (unsigned)s->port);
  snprintf(log, sizeof log, "%s/serve-delayed.log", s->dir);
  s->pid = fork();
  if (s->pid == 0) {
    FILE *f = freopen(log, "w", stderr);
    (void)f;
    setenv("PADAN_TEST_ENGINE_DELAY_MS", delay_ms, 1);
    execl(PADAN_BIN, "padan", "serve", "--data", s->dir, "--port", port_arg, (char *)NULL);
    _exit(127);
  }
  ck_assert_int_gt(s->pid, 0);
  for (int i = 0; i < 600; i++) {
    int fd = tu_dial(s->port);
    if (fd >= 0) {
      close(fd);
      return;
    }
    struct timespec t = {0, 20 * 1000 * 1000};
    nanosleep(&t, NULL);
  }
  ck_abort_msg("padan serve did not listen within 12 s");
}

START_TEST(engine_not_ready_until_loaded) {
  struct tu_server srv;
  tu_server_start(&srv, 300, 4);
  char *officer = tu_login(&srv, "officer");
  /* a resident who is eligible now: the first with a recommendation */
  int64_t rid = 0;
  char path[96];
  for (int64_t id = 1; id <= 300 && rid == 0; id++) {
    snprintf(path, sizeof path, "/v1/residents/%lld/recommendations", (long long)id);
    json_t *j = tu_call(&srv, "GET", path, officer, NULL, 200);
    if (json_is_null(json_object_get(j, "not_matched_because")) &&
        json_array_size(json_object_get(j, "vacancies")) > 0)
      rid = id;
    json_decref(j);
  }
  ck_assert_int_gt(rid, 0);
  int st = 0;
  kill(srv.pid, SIGTERM);
  ck_assert_int_eq(waitpid(srv.pid, &st, 0), srv.pid);

  launch_delayed(&srv, "4000");
  ck_assert(healthz_says(&srv, "loading"));
  static const char *const engine_routes[][2] = {
      {"GET", "/v1/vacancies/1/candidates"},
      {"GET", "/v1/residents/1/recommendations"},
      {"GET", "/v1/training-plan"},
      {"GET", "/v1/match-runs/1/proposals"},
  };
  for (size_t i = 0; i < sizeof engine_routes / sizeof engine_routes[0]; i++) {
    struct tu_resp r;
    char v[16];
    tu_request(&srv, engine_routes[i][0], engine_routes[i][1], officer, NULL, NULL, 0, &r);
    tu_expect_problem(&r, 503, "engine-not-ready");
    ck_assert(tu_header(&r, "Retry-After", v, sizeof v));
    ck_assert_str_eq(v, "1");
    ck_assert(strstr(r.body, "dimuat") != NULL); /* Indonesian detail too */
    tu_resp_free(&r);
  }
  /* everything else is served: a read, and a correction (which the
   * engine must not lose) */
  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)rid);
  json_decref(tu_call(&srv, "GET", path, officer, NULL, 200));
  json_decref(tu_call(&srv, "PATCH", path, officer,
                      "{\"work_status\":\"working\",\"months_without_work\":0,"
                      "\"reason\":\"took a job\"}",
                      200));
  ck_assert(healthz_says(&srv, "loading"));

  int ready = 0;
  for (int i = 0; i < 1500 && !ready; i++) {
    ready = healthz_says(&srv, "ready");
    if (!ready) {
      struct timespec t = {0, 20 * 1000 * 1000};
      nanosleep(&t, NULL);
    }
  }
  ck_assert_msg(ready, "the engine never became ready");
  snprintf(path, sizeof path, "/v1/residents/%lld/recommendations", (long long)rid);
  json_t *j = tu_call(&srv, "GET", path, officer, NULL, 200);
  json_t *why = json_object_get(j, "not_matched_because");
  ck_assert_msg(json_is_object(why), "the correction made while loading was lost");
  ck_assert_str_eq(json_string_value(json_object_get(why, "code")), "employed");
  ck_assert_uint_eq(json_array_size(json_object_get(j, "vacancies")), 0);
  json_decref(j);
  json_decref(tu_call(&srv, "GET", "/v1/vacancies/1/candidates", officer, NULL, 200));
  free(officer);
  tu_server_stop(&srv);
}
END_TEST

/* 1 when the file at path holds needle. */
static int log_has(const char *path, const char *needle) {
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return 0;
  char *data = calloc(1, 1 << 20);
  size_t len = data != NULL ? fread(data, 1, (1 << 20) - 1, f) : 0;
  fclose(f);
  int found = len > 0 && strstr(data, needle) != NULL;
  free(data);
  return found;
}

/* SIGTERM while the engine loads (its first build held back a minute,
 * after it read the store): the server does not wait for the load, which
 * says it stopped; the stop is logged, the exit is clean and the database
 * intact. */
START_TEST(sigterm_while_loading) {
  struct tu_server srv;
  tu_server_start(&srv, 50, 2);
  int st = 0;
  kill(srv.pid, SIGTERM);
  ck_assert_int_eq(waitpid(srv.pid, &st, 0), srv.pid);
  for (int round = 0; round < 2; round++) {
    launch_delayed(&srv, "60000");
    ck_assert(healthz_says(&srv, "loading"));
    kill(srv.pid, SIGTERM);
    ck_assert_int_eq(waitpid(srv.pid, &st, 0), srv.pid);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exit status %d", st);
    char log[600], db[600];
    snprintf(log, sizeof log, "%s/serve-delayed.log", srv.dir);
    snprintf(db, sizeof db, "%s/padan.db", srv.dir);
    ck_assert_msg(log_has(log, "\"stopping: "), "no stopping line");
    ck_assert_msg(log_has(log, "the engine's load stopped"), "the stop waited for the load");
    ck_assert(!log_has(log, "Sanitizer"));
    sqlite3 *h = NULL;
    sqlite3_stmt *q = NULL;
    ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
    ck_assert_str_eq((const char *)sqlite3_column_text(q, 0), "ok");
    sqlite3_finalize(q);
    sqlite3_close(h);
  }
  srv.pid = -1;
  tu_server_stop(&srv);
}
END_TEST

int main(void) {
  Suite *s = suite_create("city");
  TCase *tc = tcase_create("scope");
  tcase_set_timeout(tc, 900);
  tcase_add_test(tc, scope_changes_no_answer);
  tcase_add_test(tc, engine_not_ready_until_loaded);
  tcase_add_test(tc, load_stops_when_told);
  tcase_add_test(tc, scope_rebuilt_before_it_runs_out);
  tcase_add_test(tc, sigterm_while_loading);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
