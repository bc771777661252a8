/*
 * h_proposals.c — an officer's review of a match run (issue 17, point 5):
 *
 *   GET  /v1/match-runs/{id}/proposals   the run's proposals of both kinds,
 *        referrals to vacancies and seats in BLK batches (course steps),
 *        filtered by the resident's kelurahan, kecamatan and desil band, by
 *        vacancy, course, status and kind, paginated, each with the full
 *        explanation it was proposed with;
 *   POST /v1/proposals/decisions         confirm or withdraw up to 500 of
 *        them in one request, all or nothing.
 *
 * Both are for officers and admins (the route table), who see every run.
 *
 * An item's explanation is the one the run stored (referrals.explanation,
 * course_steps.explanation); a referral stored without one (made by a run
 * before migration 0004) gets it computed now from the engine with
 * mt_explain, through the same writer as the candidates route, so an
 * officer always sees fit and priority components.  Referrals come first
 * in the list, then course steps, each by id; the cursor pages through
 * both.  Every resident a page names is one audit row (purpose
 * "match_run").
 *
 * Decisions run in one transaction.  Each item is checked in order with
 * the effects of the items before it: a referral is confirmed from
 * proposed or withdrawn from proposed or confirmed (as PATCH
 * /v1/referrals/{id} would); a course step is confirmed from proposed —
 * which enrols the resident in the batch (steps_enrol: batch open, not
 * full, no other course at the time) and links the enrolment — or
 * withdrawn from proposed.  Confirming either checks the intervention
 * registry (steps.h).  If any item fails nothing is written and the
 * problem lists every failing item {index, kind, id, code, detail,
 * detail_id}: 422 for items whose kind or action is unknown or that repeat
 * another item (checked before anything is read), else 404 when an item
 * does not exist, else 409 (a move the item's status does not allow, a
 * registry conflict, a full batch …).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "app.h"
#include "explain_json.h"
#include "http.h"
#include "json_io.h"
#include "jsonmem.h"
#include "tx.h"
#include "listing.h"
#include "steps.h"

#define STAFF (AUTH_ADMIN | AUTH_OFFICER)
#define DECISIONS_MAX 500
#define ID_MAX 4294967295.0
/* Above this many residents a decision rebuilds the snapshot instead of
 * refreshing each one (as a match run does). */
#define REFRESH_EACH_MAX 1000

/* Every status either kind can hold. */
static const char *const statuses[] = {"proposed",  "confirmed",   "interviewed", "hired",
                                       "rejected",  "retained_3m", "retained_6m", "left",
                                       "withdrawn", NULL};
static const char *const kinds[] = {"referral", "course_step", NULL};
static const char *const desil_bands[] = {"1", "1-4", "5-10", NULL};

/* ---- The review list -------------------------------------------------------------------- */

static json_t *real_or_null(double v) {
  return v < 0.0 ? json_null() : json_real((double)(int64_t)(v * 100.0 + 0.5) / 100.0);
}

/* The item without its explanation. */
static json_t *item_json(const struct store_proposal *p) {
  json_t *kel = p->kelurahan_code[0]
                    ? json_pack("{s:s, s:s}", "code", p->kelurahan_code, "name", p->kelurahan_name)
                    : json_null();
  json_t *resident = json_pack("{s:I, s:o, s:o, s:o}", "id", (json_int_t)p->resident_id, "name",
                               p->erased ? json_null() : api_json_opt_string(p->resident_name),
                               "kelurahan", kel, "desil", api_json_opt_int(p->desil));
  json_t *item =
      json_pack("{s:s, s:I, s:s, s:o, s:o, s:o, s:o}", "kind",
                p->kind == STORE_PK_REFERRAL ? "referral" : "course_step", "id", (json_int_t)p->id,
                "status", p->status, "resident", resident, "fit", real_or_null(p->fit), "priority",
                real_or_null(p->priority), "key", real_or_null(p->rank_key));
  if (item == NULL)
    return NULL;
  json_t *what = p->kind == STORE_PK_REFERRAL
                     ? json_pack("{s:I, s:s, s:s}", "id", (json_int_t)p->vacancy_id, "title",
                                 p->vacancy_title, "employer_name", p->employer_name)
                     : json_pack("{s:I, s:I, s:s, s:o, s:o}", "id", (json_int_t)p->batch_id,
                                 "course_id", (json_int_t)p->course_id, "course_name",
                                 p->course_name, "start_date", api_json_opt_string(p->start_date),
                                 "end_date", api_json_opt_string(p->end_date));
  if (json_object_set_new(item, p->kind == STORE_PK_REFERRAL ? "vacancy" : "batch", what) != 0) {
    json_decref(item);
    return NULL;
  }
  return item;
}

struct review_page {
  json_t *items;
  int64_t *residents; /* for the audit */
  int64_t *vacancies; /* per item: a referral's vacancy whose explanation is computed, else -1 */
  size_t n;
  int64_t last_key;
};

static int on_proposal(void *arg, const struct store_proposal *p) {
  struct review_page *pg = arg;
  json_t *item = item_json(p);
  json_t *x = NULL;
  pg->vacancies[pg->n] = -1;
  int oom = 0;
  if (p->explanation != NULL) {
    x = jsonmem_loadb(p->explanation, strlen(p->explanation), 0, NULL, &oom);
  } else if (p->kind == STORE_PK_REFERRAL) {
    pg->vacancies[pg->n] = p->vacancy_id; /* computed after the walk */
  }
  if (item == NULL || oom) {
    json_decref(item);
    json_decref(x);
    return STORE_ENOMEM;
  }
  if (json_object_set_new(item, "explanation", x ? x : json_null()) != 0) {
    json_decref(item);
    return STORE_ENOMEM;
  }
  if (json_array_append_new(pg->items, item) != 0)
    return STORE_ENOMEM;
  pg->residents[pg->n++] = p->resident_id;
  pg->last_key = p->list_key;
  return 0;
}

/* Fills the explanations the run did not store from the engine. */
static int explain_missing(struct api_req *r, struct review_page *pg) {
  struct mt_explanation *xs = calloc(pg->n ? pg->n : 1, sizeof *xs);
  const struct mt_explanation **ptr = calloc(pg->n ? pg->n : 1, sizeof *ptr);
  size_t wanted = 0;
  int rc = xs != NULL && ptr != NULL ? STORE_OK : STORE_ENOMEM;
  if (rc == STORE_OK) {
    const struct mt_engine *e = api_engine_acquire(r->app);
    for (size_t i = 0; i < pg->n; i++)
      if (pg->vacancies[i] >= 0) {
        wanted++;
        if (mt_explain(e, (uint32_t)pg->residents[i], (uint32_t)pg->vacancies[i], &xs[i]) == MT_OK)
          ptr[i] = &xs[i];
      }
    api_engine_release(r->app);
  }
  if (rc == STORE_OK && wanted > 0) {
    json_t *a = xj_explanations(r->db, ptr, pg->n);
    for (size_t i = 0; a != NULL && i < pg->n; i++)
      if (pg->vacancies[i] >= 0)
        json_object_set(json_array_get(pg->items, i), "explanation", json_array_get(a, i));
    rc = a != NULL ? STORE_OK : STORE_ENOMEM;
    json_decref(a);
  }
  free(xs);
  free(ptr);
  return rc;
}

static enum MHD_Result h_proposals(struct api_req *r) {
  struct api_page pg;
  int st = -1, kind = -1, band = -1;
  struct store_proposal_filter f = {.run_id = r->id[0],
                                    .kelurahan_id = -1,
                                    .kecamatan_id = -1,
                                    .vacancy_id = -1,
                                    .course_id = -1};
  if (api_page_parse(r, &pg) != 0 || api_query_enum(r, "status", statuses, &st) != 0 ||
      api_query_enum(r, "kind", kinds, &kind) != 0 ||
      api_query_enum(r, "desil", desil_bands, &band) != 0 ||
      api_query_int(r, "vacancy_id", 1, INT64_MAX, &f.vacancy_id) != 0 ||
      api_query_int(r, "course_id", 1, INT64_MAX, &f.course_id) != 0)
    return MHD_YES;
  json_t *errors = json_array();
  int rc = api_query_places(r, &f.kelurahan_id, &f.kecamatan_id, errors);
  if (rc != STORE_OK || json_array_size(errors) > 0)
    return api_reply_invalid(r, rc, errors);
  json_decref(errors);
  if (api_authorize(r, API_O_MATCH_RUN, r->id[0], API_READ) != 0)
    return MHD_YES;
  f.status = st >= 0 ? statuses[st] : NULL;
  f.kind = kind == 0 ? STORE_PK_REFERRAL : kind == 1 ? STORE_PK_COURSE_STEP : STORE_PK_ANY;
  f.desil_min = band < 0 ? 0 : band == 2 ? 5 : 1;
  f.desil_max = band < 0 ? 0 : band == 0 ? 1 : band == 1 ? 4 : 10;
  f.after = pg.after;
  f.limit = pg.limit;

  struct review_page p = {.items = json_array(),
                          .residents = calloc((size_t)pg.limit, sizeof(int64_t)),
                          .vacancies = calloc((size_t)pg.limit, sizeof(int64_t))};
  enum MHD_Result ret = MHD_YES;
  rc = p.items != NULL && p.residents != NULL && p.vacancies != NULL
           ? store_proposal_list(r->db, &f, on_proposal, &p)
           : STORE_ENOMEM;
  if (rc == STORE_OK)
    rc = explain_missing(r, &p);
  if (rc != STORE_OK) {
    ret = api_reply_store(r, rc);
    goto cleanup;
  }
  if (api_audit_personal_each(r, p.residents, p.n, "match_run") != 0)
    goto cleanup;
  ret = api_reply_json(r, MHD_HTTP_OK, api_page_body(p.items, &pg, p.last_key));
  p.items = NULL;
cleanup:
  json_decref(p.items);
  free(p.residents);
  free(p.vacancies);
  return ret;
}

/* ---- Decisions ------------------------------------------------------------------------ */

static const struct api_field decisions_spec[] = {
    {"decisions", API_F_ARRAY, API_REQUIRED, 1, 0, DECISIONS_MAX},
    {"decisions[]", API_F_OBJECT, 0, 0, 0, 0},
    {"decisions[].kind", API_F_STRING, API_REQUIRED, 0, 0, 16},
    {"decisions[].id", API_F_INT, API_REQUIRED, 1, ID_MAX, 0},
    {"decisions[].action", API_F_STRING, API_REQUIRED, 0, 0, 16},
    {NULL, 0, 0, 0, 0, 0},
};

enum failure { F_NONE, F_INVALID, F_NOT_FOUND, F_CONFLICT };

struct decision {
  int course_step; /* 0: referral */
  int confirm;     /* 0: withdraw */
  int invalid;     /* its kind or action is unknown */
  int64_t id;
  int64_t resident_id, vacancy_id; /* for the engine refresh */
  char status[16];                 /* after the decision */
};

struct outcome {
  json_t *errors;
  enum failure worst;
};

static void fail(struct outcome *o, size_t index, const struct decision *d, enum failure how,
                 const char *code, const char *detail_id, const char *detail_en) {
  json_t *e = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s}", "index", (json_int_t)index, "kind",
                        d->course_step ? "course_step" : "referral", "id", (json_int_t)d->id,
                        "code", code, "detail", detail_en, "detail_id", detail_id);
  if (e != NULL && json_array_append_new(o->errors, e) != 0)
    json_decref(e);
  /* the answer's status: 422 before 404 before 409 */
  if (o->worst == F_NONE || (how == F_INVALID) || (how == F_NOT_FOUND && o->worst == F_CONFLICT))
    o->worst = how;
}

static void fail_move(struct outcome *o, size_t i, const struct decision *d, const char *from) {
  char id_text[160], en_text[160];
  const char *to = d->confirm ? "confirmed" : "withdrawn";
  snprintf(id_text, sizeof id_text, "Usulan berstatus '%s' tidak dapat menjadi '%s'.", from, to);
  snprintf(en_text, sizeof en_text, "A proposal with status '%s' cannot become '%s'.", from, to);
  fail(o, i, d, F_CONFLICT, "illegal_move", id_text, en_text);
}

static void fail_missing(struct outcome *o, size_t i, const struct decision *d) {
  fail(o, i, d, F_NOT_FOUND, "not_found", "Usulan ini tidak ada.", "There is no such proposal.");
}

/* The item a decision names, whichever its kind. */
struct item {
  int64_t id, resident_id, vacancy_id, batch_id; /* vacancy_id -1 for a course step */
  char status[16];
};

static int item_get(struct api_req *r, const struct decision *d, struct item *it) {
  int rc;
  if (d->course_step) {
    struct store_course_step c;
    rc = store_course_step_get(r->db, d->id, &c);
    if (rc == STORE_OK) {
      *it = (struct item){c.id, c.resident_id, -1, c.batch_id, ""};
      snprintf(it->status, sizeof it->status, "%s", c.status);
    }
  } else {
    struct store_referral f;
    rc = store_referral_get(r->db, d->id, &f);
    if (rc == STORE_OK) {
      *it = (struct item){f.id, f.resident_id, f.vacancy_id, -1, ""};
      snprintf(it->status, sizeof it->status, "%s", f.status);
    }
  }
  return rc;
}

/* A referral is confirmed from proposed or withdrawn from proposed or
 * confirmed (as PATCH /v1/referrals/{id} would); a course step only
 * leaves proposed. */
static int legal_move(const struct decision *d, const char *from) {
  return strcmp(from, "proposed") == 0 ||
         (!d->course_step && !d->confirm && strcmp(from, "confirmed") == 0);
}

/* What confirming needs first: for a referral the registry's word on the
 * job, for a course step the enrolment in its batch (steps_enrol), whose
 * id goes to *enrolment_id.  A refusal comes back in why. */
static int confirm_first(struct api_req *r, const struct decision *d, const struct item *it,
                         const char *today, struct steps_refusal *why, int64_t *enrolment_id) {
  if (d->course_step)
    return steps_enrol(r->db, it->batch_id, it->resident_id, r->who.user_id, today, why,
                       enrolment_id);
  return steps_check_job(r->db, it->resident_id, today, why);
}

static int item_move(struct api_req *r, const struct decision *d, const struct item *it,
                     const char *to, int64_t enrolment_id) {
  if (d->course_step)
    return store_course_step_move(r->db, it->id, it->status, to, r->who.user_id, enrolment_id);
  return store_referral_move(r->db, it->id, it->status, to, r->who.user_id, NULL);
}

/* One decision inside the transaction: a refusal goes to o; STORE_OK or a
 * store failure. */
static int decide(struct api_req *r, struct outcome *o, size_t i, struct decision *d,
                  const char *today) {
  struct item it;
  struct steps_refusal why = {0};
  int64_t enrolment_id = -1;
  int rc = item_get(r, d, &it);
  if (rc == STORE_ENOTFOUND) {
    fail_missing(o, i, d);
    return STORE_OK;
  }
  if (rc != STORE_OK)
    return rc;
  d->resident_id = it.resident_id;
  d->vacancy_id = it.vacancy_id;
  if (!legal_move(d, it.status)) {
    fail_move(o, i, d, it.status);
    return STORE_OK;
  }
  if (d->confirm) {
    rc = confirm_first(r, d, &it, today, &why, &enrolment_id);
    if (rc != STORE_OK)
      return rc;
    if (why.refused) {
      fail(o, i, d, F_CONFLICT, why.code, why.detail_id, why.detail_en);
      return STORE_OK;
    }
  }
  const char *to = d->confirm ? "confirmed" : "withdrawn";
  rc = item_move(r, d, &it, to, enrolment_id);
  if (rc == STORE_ECONSTRAINT || rc == STORE_ENOTFOUND) { /* moved meanwhile */
    fail_move(o, i, d, it.status);
    return STORE_OK;
  }
  snprintf(d->status, sizeof d->status, "%s", to);
  return rc;
}

/* Reads the body's items into ds; the invalid ones go to o. */
static void read_decisions(struct api_req *r, struct decision *ds, size_t n, struct outcome *o) {
  const json_t *list = api_body_get(r, "decisions");
  for (size_t i = 0; i < n; i++) {
    const json_t *it = json_array_get(list, i);
    const char *kind = json_string_value(json_object_get(it, "kind"));
    const char *action = json_string_value(json_object_get(it, "action"));
    struct decision *d = &ds[i];
    d->id = json_integer_value(json_object_get(it, "id"));
    d->course_step = strcmp(kind, "course_step") == 0;
    d->confirm = strcmp(action, "confirm") == 0;
    if (!d->course_step && strcmp(kind, "referral") != 0) {
      fail(o, i, d, F_INVALID, "enum_value", "kind: referral atau course_step.",
           "kind: referral or course_step.");
      d->invalid = 1;
      continue;
    }
    if (!d->confirm && strcmp(action, "withdraw") != 0) {
      fail(o, i, d, F_INVALID, "enum_value", "action: confirm atau withdraw.",
           "action: confirm or withdraw.");
      d->invalid = 1;
      continue;
    }
    for (size_t j = 0; j < i; j++)
      if (!ds[j].invalid && ds[j].course_step == d->course_step && ds[j].id == d->id) {
        fail(o, i, d, F_INVALID, "duplicate", "Usulan ini sudah ada di daftar keputusan.",
             "This proposal is already in the list of decisions.");
        break;
      }
  }
}

/* Takes decided residents in or out of the rankings. */
static void refresh(struct api_req *r, const struct decision *ds, size_t n) {
  int failed = 0;
  if (n > REFRESH_EACH_MAX) {
    failed = api_engine_rebuild(r->app, r->db) != 0;
  } else {
    for (size_t i = 0; i < n; i++) {
      failed |= api_engine_refresh(r->app, r->db, API_REC_RESIDENT, ds[i].resident_id) != 0;
      if (ds[i].vacancy_id > 0)
        failed |= api_engine_refresh(r->app, r->db, API_REC_VACANCY, ds[i].vacancy_id) != 0;
    }
  }
  if (failed)
    fprintf(stderr, "padan: decisions: the engine snapshot could not be updated\n");
}

static enum MHD_Result h_decisions(struct api_req *r) {
  size_t n = json_array_size(api_body_get(r, "decisions"));
  struct decision *ds = calloc(n ? n : 1, sizeof *ds);
  struct outcome o = {.errors = json_array(), .worst = F_NONE};
  json_t *results = json_array();
  enum MHD_Result ret;
  char today[11];
  if (ds == NULL || o.errors == NULL || results == NULL) {
    ret = api_reply_problem(r, API_E_INTERNAL);
    goto cleanup;
  }
  api_today(today);
  read_decisions(r, ds, n, &o);
  if (o.worst != F_NONE) {
    ret = api_reply_problem_errors(r, API_E_UNPROCESSABLE, o.errors);
    o.errors = NULL;
    goto cleanup;
  }

  int rc = api_tx_begin(r);
  for (size_t i = 0; rc == STORE_OK && i < n; i++)
    rc = decide(r, &o, i, &ds[i], today);
  if (rc == STORE_OK && o.worst != F_NONE)
    api_tx_abort(r); /* a refusal: nothing of the batch is kept */
  else
    rc = api_tx_end(r, rc);
  if (rc != STORE_OK || o.worst != F_NONE) {
    if (rc != STORE_OK) {
      ret = api_reply_store(r, rc == STORE_ENOTFOUND ? STORE_EIO : rc);
    } else {
      ret = api_reply_problem_errors(r, o.worst == F_NOT_FOUND ? API_E_NOT_FOUND : API_E_CONFLICT,
                                     o.errors);
      o.errors = NULL;
    }
    goto cleanup;
  }
  refresh(r, ds, n);
  r->committed = 1;
  for (size_t i = 0; i < n; i++)
    if (json_array_append_new(results,
                              json_pack("{s:s, s:I, s:s}", "kind",
                                        ds[i].course_step ? "course_step" : "referral", "id",
                                        (json_int_t)ds[i].id, "status", ds[i].status)) != 0) {
      /* committed: no body is {"stored":true} with the status (json_io.h) */
      ret = api_reply_json(r, MHD_HTTP_OK, NULL);
      goto cleanup;
    }
  ret = api_reply_json(r, MHD_HTTP_OK, json_pack("{s:O}", "results", results));
cleanup:
  json_decref(results);
  json_decref(o.errors);
  free(ds);
  return ret;
}

static const char *const proposals_query[] = {"limit",      "cursor",    "kelurahan", "kecamatan",
                                              "vacancy_id", "course_id", "desil",     "status",
                                              "kind",       NULL};

const struct api_route api_routes_proposals[] = {
    {.method = "GET",
     .pattern = "/v1/match-runs/{id}/proposals",
     .handler = h_proposals,
     .roles = STAFF,
     .query = proposals_query,
     .engine = 1},
    {"POST", "/v1/proposals/decisions", h_decisions, STAFF, decisions_spec},
    {NULL, NULL, NULL, 0, NULL},
};
