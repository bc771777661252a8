/*
 * h_referrals.c — referrals and their life cycle (DESIGN.md §5.4, §6).  A
 * match run's proposals are referrals too; their review, with the course
 * steps a run proposes, is h_proposals.c.
 *
 * The life cycle, and who moves it (every other move answers 409 naming
 * both statuses):
 *
 *   proposed ──► confirmed ──► interviewed ──► hired ──► retained_3m ──► retained_6m
 *      │            │              │  └──► rejected   │          │
 *      └────────────┴──────────────┴──► withdrawn     └──► left ◄┘
 *
 * confirmed and withdrawn are Disnaker's decisions (officer, admin), and
 * confirming is refused (409 naming it) while the resident receives a
 * service the intervention registry says conflicts with a job (steps.h); the
 * outcomes (interviewed, hired, rejected, retained_*, left) may also be
 * set by the vacancy's own employer.  A retention status needs its 3 or 6
 * calendar months since the hire (Kota Tangerang dates), so that retention
 * figures stay true.  A referral an officer or admin makes by hand starts
 * confirmed (a person decided); one a kelurahan desk makes starts proposed
 * and waits for an officer, like a match run's proposals.  A pair has at
 * most one open (proposed, confirmed, interviewed) referral, and a new one
 * must pass the engine's eligibility rules (422 with the reason).
 *
 * Every move writes its event (who, when, from, to, note) and the
 * referral's updated_by/at in one transaction with its side effects: a
 * hire starts a job placement in the intervention registry (kind
 * job_placement, office Disnaker), a departure ends it.  After the commit
 * the resident and the vacancy are refreshed in the engine, so an open
 * referral or a hire takes the resident out of every ranking and a hire
 * uses up an opening.
 *
 * Views: officers, admins and desks see the referral with the resident's
 * id, name and kelurahan and its event history.  An employer sees status
 * only: the referral, its vacancy, the candidate's pseudonym for that
 * vacancy (the id of the candidates list), fit and times — and, once
 * Disnaker has confirmed the referral ("accepted") and while it has not
 * ended in rejected or withdrawn, the resident's name and phone and
 * nothing else.  Every reply that shows a resident's name is audited.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "app.h"
#include "dates.h"
#include "http.h"
#include "json_io.h"
#include "tx.h"
#include "listing.h"
#include "snapshot.h"
#include "steps.h"

#define STAFF (AUTH_ADMIN | AUTH_OFFICER)
#define NOTE_MAX 1000
#define ID_MAX 4294967295.0 /* the engine's ids are 32-bit */

static const char *const statuses[] = {"proposed",  "confirmed",   "interviewed", "hired",
                                       "rejected",  "retained_3m", "retained_6m", "left",
                                       "withdrawn", NULL};

/* Every legal move of the life cycle. */
static const struct {
  const char *from, *to;
} moves[] = {
    {"proposed", "confirmed"},      {"proposed", "withdrawn"}, {"confirmed", "interviewed"},
    {"confirmed", "withdrawn"},     {"interviewed", "hired"},  {"interviewed", "rejected"},
    {"interviewed", "withdrawn"},   {"hired", "retained_3m"},  {"hired", "left"},
    {"retained_3m", "retained_6m"}, {"retained_3m", "left"},
};

static int is_status(const char *s) {
  for (size_t i = 0; statuses[i] != NULL; i++)
    if (strcmp(statuses[i], s) == 0)
      return 1;
  return 0;
}

static int legal_move(const char *from, const char *to) {
  for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
    if (strcmp(moves[i].from, from) == 0 && strcmp(moves[i].to, to) == 0)
      return 1;
  return 0;
}

/* The statuses at which the employer sees the resident's name and phone. */
static int contact_shown(const char *status) {
  static const char *const shown[] = {"confirmed",   "interviewed", "hired",
                                      "retained_3m", "retained_6m", "left"};
  for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
    if (strcmp(shown[i], status) == 0)
      return 1;
  return 0;
}

/* ---- Views ------------------------------------------------------------------------ */

/* A score to two decimals (the engine computes in float), or null. */
static json_t *real_or_null(double v) {
  return v < 0.0 ? json_null() : json_real(round(v * 100.0) / 100.0);
}

/* 1 when access.c gives the caller the full view of referrals (staff);
 * else an employer's, personal only after acceptance. */
static int full(const struct api_req *r) {
  return api_view_of(r, API_O_REFERRAL) == API_VIEW_FULL;
}

/* 1 when the view of f for this caller shows the resident's personal data. */
static int view_is_personal(const struct api_req *r, const struct store_referral *f) {
  if (f->erased)
    return 0;
  return full(r) || contact_shown(f->status);
}

static json_t *full_view(const struct store_referral *f) {
  json_t *kel = f->kelurahan_id < 0 ? json_null()
                                    : json_pack("{s:I, s:s}", "id", (json_int_t)f->kelurahan_id,
                                                "name", f->kelurahan_name);
  return json_pack(
      "{s:I, s:s, s:{s:I, s:s?, s:o}, s:{s:I, s:s, s:s, s:{s:I, s:s}}, s:o, s:o, "
      "s:o, s:o, s:s, s:o, s:s, s:o}",
      "id", (json_int_t)f->id, "status", f->status, "resident", "id", (json_int_t)f->resident_id,
      "name", f->erased || f->resident_name[0] == '\0' ? NULL : f->resident_name, "kelurahan", kel,
      "vacancy", "id", (json_int_t)f->vacancy_id, "code", f->vacancy_code, "title",
      f->vacancy_title, "employer", "id", (json_int_t)f->employer_id, "name", f->employer_name,
      "match_run_id", api_json_opt_int(f->match_run_id), "fit", real_or_null(f->fit), "priority",
      real_or_null(f->priority), "key", real_or_null(f->rank_key), "created_at", f->created_at,
      "created_by", api_json_opt_int(f->created_by), "updated_at", f->updated_at, "updated_by",
      api_json_opt_int(f->updated_by));
}

/* Status only, and the contact once accepted; never the resident's id,
 * which would link the per-vacancy pseudonyms.  The fit (0-100) to the
 * nearest 5: beside the candidates view, whose commute value is cut to a
 * quarter (at most 2.5 fit points), a finer fit would give the distance
 * back. */
static json_t *employer_view(struct api_req *r, const struct store_referral *f) {
  char cid[API_CANDIDATE_ID_SIZE];
  if (api_candidate_id(r, f->vacancy_id, f->resident_id, cid) != 0)
    return NULL;
  json_t *contact =
      view_is_personal(r, f)
          ? json_pack("{s:s?, s:s?}", "name", f->resident_name[0] ? f->resident_name : NULL,
                      "phone", f->resident_phone[0] ? f->resident_phone : NULL)
          : json_null();
  return json_pack("{s:I, s:s, s:s, s:{s:I, s:s, s:s}, s:o, s:s, s:s, s:o}", "id",
                   (json_int_t)f->id, "status", f->status, "candidate_id", cid, "vacancy", "id",
                   (json_int_t)f->vacancy_id, "code", f->vacancy_code, "title", f->vacancy_title,
                   "fit", f->fit < 0.0 ? json_null() : json_real(round(f->fit / 5.0) * 5.0),
                   "created_at", f->created_at, "updated_at", f->updated_at, "contact", contact);
}

json_t *api_referral_employer_json(struct api_req *r, const struct store_referral *f) {
  return employer_view(r, f);
}

static json_t *view(struct api_req *r, const struct store_referral *f) {
  return full(r) ? full_view(f) : employer_view(r, f);
}

static int on_event(void *arg, const struct store_referral_event *ev) {
  json_t *by = ev->by_user < 0 ? json_null()
                               : json_pack("{s:I, s:s?}", "id", (json_int_t)ev->by_user, "username",
                                           ev->by_username[0] ? ev->by_username : NULL);
  json_t *row = json_pack("{s:I, s:s?, s:s, s:s, s:o, s:s?}", "id", (json_int_t)ev->id, "from",
                          ev->from[0] ? ev->from : NULL, "to", ev->to, "at", ev->at, "by", by,
                          "note", ev->note);
  return json_array_append_new(arg, row) == 0 ? 0 : STORE_ENOMEM;
}

/* Replies with referral id as the caller sees it (with its events unless
 * the caller is an employer), auditing a view that shows personal data.
 * After a write, nothing here may turn the committed write into a failure:
 * api_reply_written, without the personal data when its view could not be
 * audited. */
static enum MHD_Result reply_one(struct api_req *r, int64_t id, unsigned status) {
  struct store_referral f;
  json_t *doc = NULL, *events = NULL;
  int rc = store_referral_get(r->db, id, &f);
  if (rc != STORE_OK)
    return api_reply_written(r, status, id, rc);
  doc = view(r, &f);
  if (doc != NULL && full(r)) {
    events = json_array();
    if (events == NULL || store_referral_events(r->db, id, on_event, events) != STORE_OK ||
        json_object_set(doc, "events", events) != 0) {
      json_decref(doc);
      doc = NULL;
    }
  }
  json_decref(events);
  if (doc == NULL)
    return api_reply_written(r, status, id, STORE_ENOMEM);
  const char *purpose = full(r) ? "referral" : "referral_contact";
  if (view_is_personal(r, &f) && strcmp(r->method, "GET") == 0 &&
      api_audit_personal(r, f.resident_id, purpose) != 0) {
    json_decref(doc);
    return MHD_YES;
  }
  /* a write's answer shows the personal data only once its view is audited */
  if (view_is_personal(r, &f) && strcmp(r->method, "GET") != 0 &&
      (rc = api_audit_personal_written(r, f.resident_id, purpose)) != STORE_OK) {
    json_decref(doc);
    return api_reply_written(r, status, id, rc);
  }
  if (status == MHD_HTTP_CREATED)
    api_reply_header(r, "Location", "/v1/referrals/%lld", (long long)id);
  return api_reply_json(r, status, doc);
}

/* ---- Lists --------------------------------------------------------------------------- */

struct page {
  struct api_req *r;
  json_t *items;
  int64_t *personal; /* residents whose data the page shows, for the audit */
  size_t n_personal;
  int64_t last_id;
};

static int on_referral(void *arg, const struct store_referral *f) {
  struct page *p = arg;
  if (json_array_append_new(p->items, view(p->r, f)) != 0)
    return STORE_ENOMEM;
  if (view_is_personal(p->r, f))
    p->personal[p->n_personal++] = f->resident_id;
  p->last_id = f->id;
  return 0;
}

/* Replies with one page of the referrals f selects. */
static enum MHD_Result reply_page(struct api_req *r, struct store_referral_filter *f,
                                  const struct api_page *pg, const char *purpose) {
  struct page p = {
      .r = r, .items = json_array(), .personal = calloc((size_t)pg->limit, sizeof(int64_t))};
  enum MHD_Result ret = MHD_YES;
  f->after = pg->after;
  f->limit = pg->limit;
  int rc = p.items != NULL && p.personal != NULL ? store_referral_list(r->db, f, on_referral, &p)
                                                 : STORE_ENOMEM;
  if (rc != STORE_OK) {
    ret = api_reply_store(r, rc);
    goto cleanup;
  }
  if (api_audit_personal_each(r, p.personal, p.n_personal,
                              full(r) ? purpose : "referral_contact") != 0)
    goto cleanup;
  ret = api_reply_json(r, MHD_HTTP_OK, api_page_body(p.items, pg, p.last_id));
  p.items = NULL;
cleanup:
  json_decref(p.items);
  free(p.personal);
  return ret;
}

static enum MHD_Result h_referral_list(struct api_req *r) {
  /* an employer filtering by resident would learn who stands behind a
   * pseudonym: its list narrows the route's */
  static const char *const employer_query[] = {"limit", "cursor", "status", "vacancy_id", NULL};
  struct api_page pg;
  struct api_scope sc;
  int st = -1;
  struct store_referral_filter f = {.resident_id = -1, .vacancy_id = -1, .match_run_id = -1};
  if ((!full(r) && api_query_check(r, employer_query) != 0) || api_page_parse(r, &pg) != 0 ||
      api_query_enum(r, "status", statuses, &st) != 0 ||
      api_query_int(r, "vacancy_id", 1, INT64_MAX, &f.vacancy_id) != 0 ||
      api_query_int(r, "resident_id", 1, INT64_MAX, &f.resident_id) != 0 ||
      api_query_int(r, "match_run_id", 1, INT64_MAX, &f.match_run_id) != 0)
    return MHD_YES;
  api_scope_of(r, &sc);
  f.employer_id = sc.employer_id;
  f.kelurahan_id = sc.kelurahan_id;
  f.status = st >= 0 ? statuses[st] : NULL;
  return reply_page(r, &f, &pg, "referrals");
}

static enum MHD_Result h_referral_get(struct api_req *r) {
  if (api_authorize(r, API_O_REFERRAL, r->id[0], API_READ) != 0)
    return MHD_YES;
  return reply_one(r, r->id[0], MHD_HTTP_OK);
}

/* ---- Making a referral ------------------------------------------------------------------ */

static const struct api_field create_spec[] = {
    {"resident_id", API_F_INT, API_REQUIRED, 1, ID_MAX, 0},
    {"vacancy_id", API_F_INT, API_REQUIRED, 1, ID_MAX, 0},
    {"note", API_F_STRING, API_NULLABLE, 0, 0, NOTE_MAX},
    {NULL, 0, 0, 0, 0, 0},
};

/* 422 for a pair the engine does not let through, naming the field the
 * reason is about and the engine's reason code and texts. */
static enum MHD_Result reply_ineligible(struct api_req *r, enum mt_reason why) {
  int about_vacancy =
      why == MT_R_VACANCY_CLOSED || why == MT_R_DEADLINE_PASSED || why == MT_R_NO_OPENINGS;
  json_t *errors = json_array();
  if (errors == NULL)
    return api_reply_problem(r, API_E_INTERNAL);
  api_field_error(errors, about_vacancy ? "vacancy_id" : "resident_id", mt_reason_code(why),
                  mt_reason_text_id(why), mt_reason_text_en(why));
  return api_reply_problem_errors(r, API_E_UNPROCESSABLE, errors);
}

static enum MHD_Result h_referral_create(struct api_req *r) {
  int64_t rid = api_body_int(r, "resident_id", 0), vid = api_body_int(r, "vacancy_id", 0);
  int64_t id = 0;
  char id_text[160], en_text[160];
  if (api_authorize(r, API_O_RESIDENT, rid, API_READ) != 0 ||
      api_authorize(r, API_O_VACANCY, vid, API_READ) != 0)
    return MHD_YES;

  int rc = store_referral_open_find(r->db, rid, vid, &id);
  if (rc == STORE_OK) {
    snprintf(id_text, sizeof id_text,
             "Penduduk ini sudah punya rujukan terbuka ke lowongan ini "
             "(rujukan %lld).",
             (long long)id);
    snprintf(en_text, sizeof en_text,
             "This resident already has an open referral to this "
             "vacancy (referral %lld).",
             (long long)id);
    return api_reply_problem_detail(r, API_E_CONFLICT, id_text, en_text);
  }
  if (rc != STORE_ENOTFOUND)
    return api_reply_store(r, rc);

  struct mt_explanation x;
  if (api_engine_hold_resident(r->app, r->db, rid) != 0)
    return api_reply_problem(r, API_E_INTERNAL);
  const struct mt_engine *e = api_engine_acquire(r->app);
  enum mt_status st = mt_explain(e, (uint32_t)rid, (uint32_t)vid, &x);
  api_engine_release(r->app);
  if (st != MT_OK) {
    fprintf(stderr, "padan: referral: the engine does not hold resident %lld or vacancy %lld\n",
            (long long)rid, (long long)vid);
    return api_reply_problem(r, API_E_INTERNAL);
  }
  if (x.reason != MT_R_ELIGIBLE)
    return reply_ineligible(r, x.reason);

  struct store_referral_create c = {
      .resident_id = rid,
      .vacancy_id = vid,
      .created_by = r->who.user_id,
      .status = api_may(r, API_P_CONFIRM_REFERRAL) ? "confirmed" : "proposed",
      .note = api_body_string(r, "note"),
      .fit = x.fit,
      .priority = x.priority,
      .rank_key = x.key,
  };
  rc = api_tx_begin(r);
  if (rc == STORE_OK)
    rc = store_referral_create(r->db, &c, &id);
  rc = api_tx_end(r, rc);
  if (rc != STORE_OK) {
    if (rc == STORE_ECONSTRAINT) /* another request opened the pair meanwhile */
      return api_reply_problem_detail(
          r, API_E_CONFLICT, "Penduduk ini sudah punya rujukan terbuka ke lowongan ini.",
          "This resident already has an open referral to this vacancy.");
    return api_reply_store(r, rc);
  }
  if (api_engine_refresh(r->app, r->db, API_REC_RESIDENT, rid) != 0)
    fprintf(stderr, "padan: referral %lld: engine refresh of resident %lld failed\n", (long long)id,
            (long long)rid);
  return reply_one(r, id, MHD_HTTP_CREATED);
}

/* ---- Moving a referral -------------------------------------------------------------------- */

static const struct api_field patch_spec[] = {
    {"status", API_F_STRING, API_REQUIRED, 0, 0, 16},
    {"note", API_F_STRING, API_NULLABLE, 0, 0, NOTE_MAX},
    {NULL, 0, 0, 0, 0, 0},
};

/* Whole calendar months from date a to date b (ISO), -1 if unreadable. */
static int months_between(const char *a, const char *b) {
  struct date_ymd from, to;
  if (date_parse(a, strlen(a), &from) != 0 || date_parse(b, strlen(b), &to) != 0)
    return -1;
  return date_months_between(&from, &to);
}

/* 0 when a retention status to may be recorded today, else the 409 is
 * queued and -1 returned. */
static int retention_due(struct api_req *r, int64_t id, const char *to, const char *today) {
  int need = strcmp(to, "retained_3m") == 0 ? 3 : strcmp(to, "retained_6m") == 0 ? 6 : 0;
  char at[21], hired[11], id_text[256], en_text[256];
  if (need == 0)
    return 0;
  int rc = store_referral_reached(r->db, id, "hired", at);
  if (rc != STORE_OK || date_wib_of_stamp(at, hired) != 0) {
    api_reply_store(r, rc);
    return -1;
  }
  if (months_between(hired, today) >= need)
    return 0;
  snprintf(id_text, sizeof id_text,
           "Status '%s' baru dapat dicatat %d bulan setelah diterima bekerja (diterima %s).", to,
           need, hired);
  snprintf(en_text, sizeof en_text,
           "Status '%s' can be recorded only %d months after the hire (hired on %s).", to, need,
           hired);
  api_reply_problem_detail(r, API_E_CONFLICT, id_text, en_text);
  return -1;
}

static enum MHD_Result reply_illegal(struct api_req *r, const char *from, const char *to) {
  char id_text[200], en_text[200];
  snprintf(id_text, sizeof id_text, "Status rujukan tidak dapat berpindah dari '%s' ke '%s'.", from,
           to);
  snprintf(en_text, sizeof en_text, "A referral cannot move from '%s' to '%s'.", from, to);
  return api_reply_problem_detail(r, API_E_CONFLICT, id_text, en_text);
}

/* The move and its side effects, in one transaction.  Confirming first
 * checks the intervention registry (steps.h): a conflict fills why and
 * nothing is written. */
static int apply_move(struct api_req *r, const struct store_referral *f, const char *to,
                      const char *today, struct steps_refusal *why) {
  memset(why, 0, sizeof *why);
  int rc = api_tx_begin(r);
  if (rc != STORE_OK)
    return rc;
  if (strcmp(to, "confirmed") == 0) {
    rc = steps_check_job(r->db, f->resident_id, today, why);
    if (rc == STORE_OK && why->refused) {
      api_tx_abort(r);
      return STORE_OK;
    }
  }
  if (rc == STORE_OK)
    rc = store_referral_move(r->db, f->id, f->status, to, r->who.user_id,
                             api_body_string(r, "note"));
  if (rc == STORE_OK && strcmp(to, "hired") == 0)
    rc = store_placement_start(r->db, f->id, f->resident_id, today, r->who.user_id);
  if (rc == STORE_OK && strcmp(to, "left") == 0)
    rc = store_placement_end(r->db, f->id, today);
  return api_tx_end(r, rc);
}

static enum MHD_Result h_referral_patch(struct api_req *r) {
  const char *to = api_body_string(r, "status");
  char today[11], id_text[200], en_text[200];
  struct store_referral f;
  if (!is_status(to)) {
    json_t *errors = json_array();
    api_field_error(errors, "status", API_FE_ENUM_VALUE, "Status rujukan tidak dikenal.",
                    "Not a referral status.");
    return api_reply_invalid(r, errors != NULL ? STORE_OK : STORE_ENOMEM, errors);
  }
  if (api_authorize(r, API_O_REFERRAL, r->id[0], API_STATUS) != 0)
    return MHD_YES;
  if (!api_may_set_referral_status(r, to)) {
    snprintf(id_text, sizeof id_text, "Hanya petugas Disnaker yang dapat menetapkan status '%s'.",
             to);
    snprintf(en_text, sizeof en_text, "Only Disnaker officers may set status '%s'.", to);
    return api_reply_problem_detail(r, API_E_FORBIDDEN, id_text, en_text);
  }
  int rc = store_referral_get(r->db, r->id[0], &f);
  if (rc != STORE_OK)
    return api_reply_store(r, rc);
  if (!legal_move(f.status, to))
    return reply_illegal(r, f.status, to);
  api_today(today);
  if (retention_due(r, f.id, to, today) != 0)
    return MHD_YES;
  struct steps_refusal why;
  rc = apply_move(r, &f, to, today, &why);
  if (rc == STORE_OK && why.refused)
    return api_reply_problem_detail(r, API_E_CONFLICT, why.detail_id, why.detail_en);
  if (rc == STORE_ENOTFOUND) { /* another request moved it first */
    struct store_referral now;
    return store_referral_get(r->db, f.id, &now) == STORE_OK ? reply_illegal(r, now.status, to)
                                                             : api_reply_problem(r, API_E_INTERNAL);
  }
  if (rc != STORE_OK)
    return api_reply_store(r, rc);
  if (api_engine_refresh(r->app, r->db, API_REC_RESIDENT, f.resident_id) != 0 ||
      api_engine_refresh(r->app, r->db, API_REC_VACANCY, f.vacancy_id) != 0)
    fprintf(stderr, "padan: referral %lld: engine refresh failed\n", (long long)f.id);
  return reply_one(r, f.id, MHD_HTTP_OK);
}

static const char *const list_query[] = {"limit",       "cursor",       "status", "vacancy_id",
                                         "resident_id", "match_run_id", NULL};

const struct api_route api_routes_referrals[] = {
    {.method = "GET",
     .pattern = "/v1/referrals",
     .handler = h_referral_list,
     .roles = AUTH_ANY_ROLE,
     .query = list_query},
    {.method = "POST",
     .pattern = "/v1/referrals",
     .handler = h_referral_create,
     .roles = STAFF | AUTH_DESK,
     .body = create_spec,
     .engine = 1},
    {"GET", "/v1/referrals/{id}", h_referral_get, AUTH_ANY_ROLE, NULL},
    {"PATCH", "/v1/referrals/{id}", h_referral_patch, STAFF | AUTH_EMPLOYER, patch_spec},
    {NULL, NULL, NULL, 0, NULL},
};
