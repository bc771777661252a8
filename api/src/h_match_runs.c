/*
 * h_match_runs.c — city-wide match runs (DESIGN.md §5.4).  POST runs the
 * engine's exact assignment on the in-memory snapshot and records the run
 * and its proposals — referrals with status proposed, each with its first
 * event — in one transaction; GET lists the runs and shows one with its
 * proposals counted by current status and per vacancy.  A match run only
 * proposes: an officer confirms or withdraws each proposal with PATCH
 * /v1/referrals/{id}, and GET /v1/match-runs/{id}/proposals pages through
 * them (both in h_referrals.c).
 *
 * Only the exact solver is offered; the greedy baseline is for the
 * benchmark's comparison, not for referring people.  A proposed resident
 * has an open referral and so leaves every ranking until the proposal is
 * withdrawn or ends: after the commit each one is refreshed in the engine
 * (a large run rebuilds the snapshot instead, which is cheaper than
 * thousands of single refreshes), so the next run proposes other people.
 *
 * The schema stores a run's totals, not its per-reason unmatched counts or
 * each vacancy's capacity; the POST reply carries those, and GET shows
 * what is stored plus the proposals as they stand now.
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

/* The run and its proposals, each with its creation event, all or nothing. */
static int record(struct api_req *r, const struct mt_match_result *res, const char *date, double ms,
                  int64_t *run_id) {
  struct store_match_run m = {.created_by = r->who.user_id,
                              .algorithm = "exact",
                              .run_date = date,
                              .total_key = res->total_key,
                              .duration_ms = ms,
                              .total_gain = res->total_gain,
                              .n_proposals = (int64_t)res->n_proposals,
                              .n_unmatched = (int64_t)res->n_unmatched};
  char now[21];
  store_now_iso(now);
  int rc = store_begin(r->db);
  if (rc != STORE_OK)
    return rc;
  rc = store_match_run_add(r->db, &m, run_id);
  for (size_t i = 0; rc == STORE_OK && i < res->n_proposals; i++) {
    const struct mt_proposal *p = &res->proposals[i];
    int64_t ref = 0;
    rc = store_referral_propose(r->db, *run_id, p->resident_id, p->vacancy_id, p->fit, p->priority,
                                p->key, r->who.user_id, &ref);
    if (rc == STORE_OK)
      rc = store_referral_event_add(r->db, ref, NULL, "proposed", r->who.user_id, now, NULL);
  }
  if (rc == STORE_OK)
    rc = store_commit(r->db);
  if (rc != STORE_OK)
    store_rollback(r->db);
  return rc;
}

/* Takes the proposed residents out of the rankings. */
static void refresh_proposed(struct api_req *r, const struct mt_match_result *res) {
  int failed = 0;
  if (res->n_proposals > REFRESH_EACH_MAX)
    failed = api_engine_rebuild(r->app, r->db) != 0;
  for (size_t i = 0; res->n_proposals <= REFRESH_EACH_MAX && i < res->n_proposals; i++)
    failed |= api_engine_refresh(r->app, r->db, API_REC_RESIDENT, res->proposals[i].resident_id);
  if (failed)
    fprintf(stderr, "padan: match run: the engine snapshot could not be updated\n");
}

/* The eligible residents left without a proposal, counted by reason. */
static json_t *unmatched_json(const struct mt_match_result *res) {
  size_t count[MT_N_REASONS] = {0};
  for (size_t i = 0; i < res->n_unmatched; i++)
    if ((unsigned)res->unmatched[i].reason < MT_N_REASONS)
      count[res->unmatched[i].reason]++;
  json_t *a = json_array();
  for (size_t k = 0; a != NULL && k < MT_N_REASONS; k++) {
    if (count[k] == 0)
      continue;
    enum mt_reason why = (enum mt_reason)k;
    /* "eligible" here means every vacancy the resident fits was full */
    if (json_array_append_new(
            a, json_pack("{s:s, s:s, s:s, s:I}", "code",
                         why == MT_R_ELIGIBLE ? "capacity_full" : mt_reason_code(why), "reason_id",
                         why == MT_R_ELIGIBLE ? "Semua lowongan yang cocok sudah penuh."
                                              : mt_reason_text_id(why),
                         "reason_en",
                         why == MT_R_ELIGIBLE ? "Every vacancy that fits was full."
                                              : mt_reason_text_en(why),
                         "count", (json_int_t)count[k])) != 0) {
      json_decref(a);
      a = NULL;
    }
  }
  return a;
}

static json_t *fill_json(const struct mt_match_result *res) {
  int64_t capacity = 0, proposed = 0, full = 0, none = 0;
  for (size_t i = 0; i < res->n_fill; i++) {
    const struct mt_fill *f = &res->fill[i];
    capacity += f->capacity;
    proposed += f->proposed;
    full += f->capacity > 0 && f->proposed >= f->capacity;
    none += f->proposed == 0;
  }
  return json_pack("{s:I, s:I, s:I, s:I, s:I}", "vacancies", (json_int_t)res->n_fill, "capacity",
                   (json_int_t)capacity, "proposed", (json_int_t)proposed, "vacancies_full",
                   (json_int_t)full, "vacancies_without_proposal", (json_int_t)none);
}

static enum MHD_Result h_run_create(struct api_req *r) {
  const char *algo = api_body_string(r, "algorithm");
  struct mt_match_result *res = NULL;
  struct store_match_run_row row;
  int64_t run_id = 0;
  char date[11];
  enum MHD_Result ret;
  if (algo != NULL && strcmp(algo, "exact") != 0) {
    json_t *errors = json_array();
    api_field_error(errors, "algorithm", "enum_value",
                    "Harus \"exact\": pembanding greedy hanya untuk uji kinerja.",
                    "Must be \"exact\": the greedy baseline is for benchmarks only.");
    return api_reply_invalid(r, errors != NULL ? STORE_OK : STORE_ENOMEM, errors);
  }

  double t0 = now_ms();
  const struct mt_engine *e = api_engine_acquire(r->app);
  snapshot_iso_day(mt_engine_config(e)->today, date);
  enum mt_status st = mt_match_run(e, MT_EXACT, &res);
  api_engine_release(r->app);
  double ms = now_ms() - t0;
  if (st != MT_OK) {
    ret = api_reply_problem(r, API_E_INTERNAL);
    goto cleanup;
  }
  int rc = record(r, res, date, ms, &run_id);
  if (rc == STORE_ECONSTRAINT) { /* a referral opened between the snapshot and the commit */
    ret = api_reply_problem_detail(
        r, API_E_CONFLICT,
        "Ada rujukan yang dibuka bersamaan dengan pencocokan ini; jalankan lagi.",
        "A referral was opened while this run was computed; run it again.");
    goto cleanup;
  }
  if (rc == STORE_OK)
    refresh_proposed(r, res);
  if (rc == STORE_OK)
    rc = store_match_run_get(r->db, run_id, &row);
  if (rc != STORE_OK) {
    ret = api_reply_store(r, rc == STORE_ENOTFOUND ? STORE_EIO : rc);
    goto cleanup;
  }
  json_t *doc = run_json(&row);
  if (doc == NULL ||
      json_object_update_new(doc, json_pack("{s:o, s:o}", "unmatched_by_reason",
                                            unmatched_json(res), "fill", fill_json(res))) != 0) {
    json_decref(doc);
    ret = api_reply_problem(r, API_E_INTERNAL);
    goto cleanup;
  }
  api_reply_header(r, "Location", "/v1/match-runs/%lld", (long long)run_id);
  ret = api_reply_json(r, MHD_HTTP_CREATED, doc);
cleanup:
  mt_match_result_free(res);
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

static int on_status(void *arg, const struct store_status_count *c) {
  return json_object_set_new(arg, c->status, json_integer(c->n)) == 0 ? 0 : STORE_ENOMEM;
}

static int on_vacancy(void *arg, const struct store_match_run_vacancy *v) {
  json_t *row = json_pack(
      "{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "vacancy_id", (json_int_t)v->vacancy_id,
      "code", v->code, "title", v->title, "employer_id", (json_int_t)v->employer_id, "openings",
      (json_int_t)v->openings, "proposals", (json_int_t)v->proposals, "open", (json_int_t)v->open,
      "confirmed", (json_int_t)v->confirmed, "hired", (json_int_t)v->hired);
  return json_array_append_new(arg, row) == 0 ? 0 : STORE_ENOMEM;
}

static enum MHD_Result h_run_get(struct api_req *r) {
  struct store_match_run_row m;
  json_t *by_status = json_object(), *vacancies = json_array(), *doc = NULL;
  enum MHD_Result ret = MHD_YES;
  if (api_authorize(r, API_O_MATCH_RUN, r->id[0], API_READ) != 0)
    goto cleanup;
  int rc = by_status != NULL && vacancies != NULL ? store_match_run_get(r->db, r->id[0], &m)
                                                  : STORE_ENOMEM;
  if (rc == STORE_OK)
    rc = store_match_run_statuses(r->db, m.id, on_status, by_status);
  if (rc == STORE_OK)
    rc = store_match_run_vacancies(r->db, m.id, on_vacancy, vacancies);
  if (rc != STORE_OK) {
    ret = api_reply_store(r, rc);
    goto cleanup;
  }
  doc = run_json(&m);
  if (doc == NULL || json_object_set(doc, "proposals_by_status", by_status) != 0 ||
      json_object_set(doc, "vacancies", vacancies) != 0) {
    ret = api_reply_problem(r, API_E_INTERNAL);
    goto cleanup;
  }
  ret = api_reply_json(r, MHD_HTTP_OK, doc);
  doc = NULL;
cleanup:
  json_decref(doc);
  json_decref(by_status);
  json_decref(vacancies);
  return ret;
}

const struct api_route api_routes_match_runs[] = {
    {.method = "GET",
     .pattern = "/v1/match-runs",
     .handler = h_run_list,
     .roles = STAFF,
     .query = api_page_query},
    {"POST", "/v1/match-runs", h_run_create, STAFF, run_spec},
    {"GET", "/v1/match-runs/{id}", h_run_get, STAFF, NULL},
    {NULL, NULL, NULL, 0, NULL},
};
