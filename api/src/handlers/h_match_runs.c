/*
 * h_match_runs.c — city-wide match runs (DESIGN.md §5.4).  POST runs the
 * engine's exact plan of next steps (a vacancy or a BLK batch seat per
 * eligible resident, docs/MATCHING.md §7.1) on the in-memory snapshot
 * with the store's open referrals, busy residents, recent rejections and
 * batch seats (runs_execute), and records the run, its referrals and
 * course steps with their explanations, its targeting figures and the
 * reasons given to the poorest without a step in one transaction; GET
 * lists the runs and shows one with its proposals counted by current
 * status and per vacancy.  A match run only proposes:
 * GET /v1/match-runs/{id}/proposals pages through its proposals with their
 * explanations and POST /v1/proposals/decisions confirms or withdraws many
 * at once (h_proposals.c); PATCH /v1/referrals/{id} moves one referral
 * (h_referrals.c).
 *
 * Only the exact solver is offered; the greedy baseline is for the
 * benchmark's comparison, not for referring people.  A proposed resident
 * has an open referral and so leaves every ranking until the proposal is
 * withdrawn or ends: after the commit each one is refreshed in the engine
 * (a large run rebuilds the snapshot instead, which is cheaper than
 * thousands of single refreshes), so the next run proposes other people.
 *
 * A run is recorded with runs_record() (shared with padan match): besides
 * the proposals, the unmatched residents counted by reason and every
 * considered vacancy's shortlist.  POST replies with the same document GET
 * shows: the run, its outcome as recorded, and its proposals as they stand
 * now.  Runs recorded before those outcomes were stored show them as null.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access.h"
#include "app.h"
#include "http.h"
#include "json_io.h"
#include "listing.h"
#include "metrics.h"
#include "runs.h"
#include "snapshot.h"

#define STAFF (AUTH_ADMIN | AUTH_OFFICER)
/* Above this many proposals a run rebuilds the snapshot instead of
 * refreshing each proposed resident. */
#define REFRESH_EACH_MAX 1000

static json_t *run_json(const struct store_match_run_row *m) {
  json_t *by = m->created_by < 0
                   ? json_null()
                   : json_pack("{s:I, s:s?}", "id", (json_int_t)m->created_by, "username",
                               m->created_by_name[0] ? m->created_by_name : NULL);
  return json_pack("{s:I, s:s, s:o, s:s, s:s, s:f, s:I, s:I, s:I, s:f}", "id", (json_int_t)m->id,
                   "created_at", m->created_at, "created_by", by, "algorithm", m->algorithm,
                   "run_date", m->run_date, "total_key", round(m->total_key * 1e3) / 1e3,
                   "total_gain", (json_int_t)m->total_gain, "n_proposals",
                   (json_int_t)m->n_proposals, "n_unmatched", (json_int_t)m->n_unmatched,
                   "duration_ms", round(m->duration_ms * 100.0) / 100.0);
}

/* ---- Running ------------------------------------------------------------------------ */

static const struct api_field run_spec[] = {
    {"algorithm", API_F_STRING, 0, 0, 0, 16},
    {NULL, 0, 0, 0, 0, 0},
};

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Takes the proposed residents out of the rankings. */
static void refresh_proposed(struct api_req *r, const struct mt_match_result *res) {
  int failed = 0;
  if (res->n_proposals == 0)
    return;
  if (res->n_proposals > REFRESH_EACH_MAX)
    failed = api_engine_rebuild(r->app, r->db) != 0;
  for (size_t i = 0; res->n_proposals <= REFRESH_EACH_MAX && i < res->n_proposals; i++)
    failed |= api_engine_refresh(r->app, r->db, API_REC_RESIDENT, res->proposals[i].resident_id);
  if (failed)
    fprintf(stderr, "padan: match run: the engine snapshot could not be updated\n");
}

/* ---- One run as a document ------------------------------------------------------------ */

static int on_status(void *arg, const struct store_status_count *c) {
  return json_object_set_new(arg, c->status, json_integer(c->n)) == 0 ? 0 : STORE_ENOMEM;
}

static int on_vacancy(void *arg, const struct store_match_run_vacancy *v) {
  json_t *row =
      json_pack("{s:I, s:s, s:s, s:I, s:I, s:o, s:I, s:I, s:I, s:I}", "vacancy_id",
                (json_int_t)v->vacancy_id, "code", v->code, "title", v->title, "employer_id",
                (json_int_t)v->employer_id, "openings", (json_int_t)v->openings, "capacity",
                v->capacity < 0 ? json_null() : json_integer((json_int_t)v->capacity), "proposals",
                (json_int_t)v->proposals, "open", (json_int_t)v->open, "confirmed",
                (json_int_t)v->confirmed, "hired", (json_int_t)v->hired);
  return json_array_append_new(arg, row) == 0 ? 0 : STORE_ENOMEM;
}

static int on_unmatched(void *arg, const struct store_reason_count *c) {
  const char *id = runs_reason_text(c->reason, 0), *en = runs_reason_text(c->reason, 1);
  json_t *row = json_pack("{s:s, s:s?, s:s?, s:I}", "code", c->reason, "reason_id", id, "reason_en",
                          en, "count", (json_int_t)c->n);
  return json_array_append_new(arg, row) == 0 ? 0 : STORE_ENOMEM;
}

static int on_reason(void *arg, const struct store_run_reason *c) {
  json_t *row = json_pack("{s:s, s:s, s:s, s:I}", "code", c->code, "reason_id", c->reason_id,
                          "reason_en", c->reason_en, "count", (json_int_t)c->n);
  return json_array_append_new(arg, row) == 0 ? 0 : STORE_ENOMEM;
}

/* The parts of a next-step run: its course steps by status, targeting
 * figures, and the reasons its priority-kelurahan residents without a step
 * were given, grouped by text (most frequent first, at most REASONS_SHOWN). */
#define REASONS_SHOWN 100
static int next_step_parts(struct store *db, int64_t id, json_t *doc) {
  json_t *steps = json_object(), *reasons = json_array(), *targeting = NULL;
  int rc = steps != NULL && reasons != NULL
               ? store_match_run_step_statuses(db, id, on_status, steps)
               : STORE_ENOMEM;
  if (rc == STORE_OK)
    rc = store_match_run_reasons(db, id, (int64_t)1 << MT_G_PRIORITY_KELURAHAN, REASONS_SHOWN,
                                 on_reason, reasons);
  if (rc == STORE_OK)
    rc = runs_targeting_json(db, id, &targeting);
  if (rc == STORE_OK &&
      json_object_update_new(doc, json_pack("{s:O, s:o, s:O}", "course_steps_by_status", steps,
                                            "targeting", targeting, "priority_kelurahan_reasons",
                                            json_is_null(targeting) ? json_null() : reasons)) != 0)
    rc = STORE_ENOMEM;
  json_decref(steps);
  json_decref(reasons);
  return rc;
}

/* The run with its recorded outcome and its proposals as they stand now,
 * into *out (a new reference); a STORE_* code. */
static int run_doc(struct store *db, int64_t id, json_t **out) {
  struct store_match_run_row m;
  struct store_match_run_fill f = {0};
  json_t *by_status = json_object(), *vacancies = json_array(), *unmatched = json_array();
  json_t *doc = NULL;
  int rc = by_status != NULL && vacancies != NULL && unmatched != NULL
               ? store_match_run_get(db, id, &m)
               : STORE_ENOMEM;
  if (rc == STORE_OK)
    rc = store_match_run_statuses(db, m.id, on_status, by_status);
  if (rc == STORE_OK)
    rc = store_match_run_vacancies(db, m.id, on_vacancy, vacancies);
  if (rc == STORE_OK && m.outcomes_stored)
    rc = store_match_run_unmatched(db, m.id, on_unmatched, unmatched);
  if (rc == STORE_OK && m.outcomes_stored)
    rc = store_match_run_fill(db, m.id, &f);
  if (rc == STORE_OK) {
    json_t *fill =
        m.outcomes_stored
            ? json_pack("{s:I, s:I, s:I, s:I, s:I}", "vacancies", (json_int_t)f.vacancies,
                        "capacity", (json_int_t)f.capacity, "proposed", (json_int_t)f.proposed,
                        "vacancies_full", (json_int_t)f.full, "vacancies_without_proposal",
                        (json_int_t)f.none)
            : json_null();
    doc = run_json(&m);
    if (doc == NULL) {
      json_decref(fill);
      rc = STORE_ENOMEM;
    } else if (json_object_update_new(
                   doc, json_pack("{s:o, s:O, s:O, s:O}", "fill", fill, "unmatched_by_reason",
                                  m.outcomes_stored ? unmatched : json_null(),
                                  "proposals_by_status", by_status, "vacancies", vacancies)) != 0) {
      rc = STORE_ENOMEM;
    }
  }
  if (rc == STORE_OK)
    rc = next_step_parts(db, m.id, doc);
  if (rc == STORE_OK) {
    *out = doc;
    doc = NULL;
  }
  json_decref(doc);
  json_decref(by_status);
  json_decref(vacancies);
  json_decref(unmatched);
  return rc;
}

static enum MHD_Result h_run_create(struct api_req *r) {
  const char *algo = api_body_string(r, "algorithm");
  struct runs_plan plan = {0};
  json_t *doc = NULL;
  int64_t run_id = 0;
  char date[11];
  enum MHD_Result ret;
  if (algo != NULL && strcmp(algo, "exact") != 0) {
    json_t *errors = json_array();
    api_field_error(errors, "algorithm", API_FE_ENUM_VALUE,
                    "Harus \"exact\": pembanding greedy hanya untuk uji kinerja.",
                    "Must be \"exact\": the greedy baseline is for benchmarks only.");
    return api_reply_invalid(r, errors != NULL ? STORE_OK : STORE_ENOMEM, errors);
  }

  double t0 = now_ms();
  const struct mt_engine *e = api_engine_acquire(r->app);
  snapshot_iso_day(mt_engine_config(e)->today, date);
  int rc = runs_execute(r->db, e, MT_EXACT, 0, &plan);
  api_engine_release(r->app);
  double ms = now_ms() - t0;
  api_metrics_match_run(r->metrics, ms / 1e3);
  if (rc != STORE_OK) {
    ret = api_reply_store(r, rc == STORE_ENOTFOUND ? STORE_EIO : rc);
    goto cleanup;
  }
  rc = runs_record(r->db, &plan, "exact", date, ms, r->who.user_id, &run_id);
  if (rc == STORE_ECONSTRAINT) { /* a referral opened between the snapshot and the commit */
    ret = api_reply_problem_detail(
        r, API_E_CONFLICT,
        "Ada rujukan yang dibuka bersamaan dengan pencocokan ini; jalankan lagi.",
        "A referral was opened while this run was computed; run it again.");
    goto cleanup;
  }
  if (rc != STORE_OK) {
    ret = api_reply_store(r, rc == STORE_ENOTFOUND ? STORE_EIO : rc);
    goto cleanup;
  }
  refresh_proposed(r, plan.res);
  /* the run is stored: a failed read-back still answers 201 (json_io.h) */
  rc = run_doc(r->db, run_id, &doc);
  if (rc != STORE_OK) {
    api_reply_header(r, "Location", "/v1/match-runs/%lld", (long long)run_id);
    ret = api_reply_written(r, MHD_HTTP_CREATED, run_id, rc);
    goto cleanup;
  }
  api_reply_header(r, "Location", "/v1/match-runs/%lld", (long long)run_id);
  ret = api_reply_json(r, MHD_HTTP_CREATED, doc);
cleanup:
  runs_plan_free(&plan);
  return ret;
}

/* ---- Reading ------------------------------------------------------------------------- */

struct run_page {
  json_t *items;
  int64_t last_id;
};

static int on_run(void *arg, const struct store_match_run_row *m) {
  struct run_page *p = arg;
  p->last_id = m->id;
  return json_array_append_new(p->items, run_json(m)) == 0 ? 0 : STORE_ENOMEM;
}

static enum MHD_Result h_run_list(struct api_req *r) {
  struct api_page pg;
  struct run_page p = {0};
  if (api_page_parse(r, &pg) != 0)
    return MHD_YES;
  p.items = json_array();
  int rc =
      p.items != NULL ? store_match_run_list(r->db, pg.after, pg.limit, on_run, &p) : STORE_ENOMEM;
  if (rc != STORE_OK) {
    json_decref(p.items);
    return api_reply_store(r, rc == STORE_ENOTFOUND ? STORE_EIO : rc);
  }
  return api_reply_json(r, MHD_HTTP_OK, api_page_body(p.items, &pg, p.last_id));
}

static enum MHD_Result h_run_get(struct api_req *r) {
  json_t *doc = NULL;
  if (api_authorize(r, API_O_MATCH_RUN, r->id[0], API_READ) != 0)
    return MHD_YES;
  int rc = run_doc(r->db, r->id[0], &doc);
  if (rc != STORE_OK)
    return api_reply_store(r, rc);
  return api_reply_json(r, MHD_HTTP_OK, doc);
}

const struct api_route api_routes_match_runs[] = {
    {.method = "GET",
     .pattern = "/v1/match-runs",
     .handler = h_run_list,
     .roles = STAFF,
     .query = api_page_query},
    {.method = "POST",
     .pattern = "/v1/match-runs",
     .handler = h_run_create,
     .roles = STAFF,
     .body = run_spec,
     .engine = 1},
    {"GET", "/v1/match-runs/{id}", h_run_get, STAFF, NULL},
    {NULL, NULL, NULL, 0, NULL},
};
