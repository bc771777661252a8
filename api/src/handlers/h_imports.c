/*
 * h_imports.c — officers upload files: POST /v1/imports/dtsen (a DTSEN
 * extract, docs/DTSEN-FORMAT.md) and POST /v1/imports/interventions (other
 * offices' interventions, docs/INTERVENTIONS-FORMAT.md).  The body is the
 * CSV itself (text/csv), up to IMPORT_MAX_BODY; larger extracts go through
 * `padan import`.  Both are all or nothing: 200 with the report when
 * every row was valid (and written, unless ?dry_run=true), 422 with the
 * report listing every bad row and field when not — nothing written.  After
 * a committed import the matching snapshot is rebuilt, since any number of
 * residents may have changed.
 */
#include "http.h"

#include "app.h"
#include "dtsen.h"
#include "gov.h"
#include "listing.h"
#include "metrics.h"

#define IMPORT_MAX_BODY (64u * 1024 * 1024)

/* ?dry_run=true|false; 0, or -1 with the 400 queued. */
static int dry_run(struct api_req *r, int *dry) {
  *dry = 0;
  return api_query_bool(r, "dry_run", dry);
}

/* Replies with a report: 200 with the report when valid; 422, a problem
 * whose "report" member lists every issue, when rows were refused; 503 when
 * the store failed, 500 when memory ran out (then the issue list may be
 * incomplete: never a 422 that names only some of them). */
static enum MHD_Result reply_report(struct api_req *r, int ok, int committed, int store_failed,
                                    int no_memory, json_t *report) {
  if (store_failed || no_memory) {
    json_decref(report);
    return api_reply_problem(r, no_memory ? API_E_INTERNAL : API_E_UNAVAILABLE);
  }
  r->committed = committed;
  if (report == NULL && ok && committed) /* written: never a failure (json_io.h) */
    return api_reply_json(r, MHD_HTTP_OK, NULL);
  if (report == NULL)
    return api_reply_problem(r, API_E_INTERNAL);
  if (!ok)
    return api_reply_problem_member(
        r, API_E_UNPROCESSABLE,
        "Ada baris yang tidak dapat diimpor; tidak ada yang ditulis. Laporan menyebut setiap "
        "masalah.",
        "Some rows cannot be imported; nothing was written. The report lists every issue.",
        "report", report);
  return api_reply_json(r, MHD_HTTP_OK, report);
}

static enum MHD_Result h_import_dtsen(struct api_req *r) {
  int dry;
  if (dry_run(r, &dry) != 0)
    return MHD_YES;
  char today[11];
  api_today(today);
  const char *extract_date = api_query(r, "extract_date");
  if (extract_date != NULL && !api_date_ok(extract_date)) {
    json_t *e = json_pack("[{s:s, s:s, s:s, s:s}]", "field", "extract_date", "code", "date",
                          "detail_id", "Harus berupa tanggal YYYY-MM-DD.", "detail_en",
                          "Must be a date written YYYY-MM-DD.");
    return api_reply_problem_errors(r, API_E_INVALID_INPUT, e);
  }
  struct dtsen_options o = {.dry_run = dry, .today = today, .extract_date = extract_date};
  struct dtsen_report rep;
  enum dtsen_result rc = dtsen_import(r->db, r->raw, r->raw_len, &o, &rep);
  api_metrics_import(r->metrics, "dtsen", rep.new_rows, rep.updated, rep.unchanged,
                     rep.dry_run ? API_IMPORT_DRY_RUN : rep.committed);
  if (rep.committed && (rep.new_rows > 0 || rep.updated > 0))
    api_engine_rebuild(r->app, r->db);
  char detail[128];
  snprintf(detail, sizeof detail, "rows=%zu new=%zu updated=%zu dry_run=%d status=%d", rep.rows,
           rep.new_rows, rep.updated, dry, (int)rc);
  struct store_audit a = {.user_id = r->who.user_id,
                          .username = r->who.username,
                          .role = auth_role_name(r->who.role),
                          .action = "import_dtsen",
                          .route = r->route->pattern,
                          .resident_id = -1,
                          .detail = detail};
  store_audit_add(r->db, &a);
  json_t *body = dtsen_report_json(&rep);
  int committed = rep.committed;
  dtsen_report_free(&rep);
  return reply_report(r, rc == DTSEN_OK, committed, rc == DTSEN_ESTORE, rc == DTSEN_ENOMEM, body);
}

static enum MHD_Result h_import_interventions(struct api_req *r) {
  int dry;
  if (dry_run(r, &dry) != 0)
    return MHD_YES;
  struct gov_import_options o = {.dry_run = dry};
  struct gov_actor by = {.user_id = r->who.user_id,
                         .username = r->who.username,
                         .role = auth_role_name(r->who.role),
                         .route = r->route->pattern,
                         .kelurahan_id = -1};
  struct gov_report rep;
  int rc = gov_interventions_import(r->db, r->raw, r->raw_len, &o, &by, &rep);
  api_metrics_import(r->metrics, "interventions", rep.new_rows, rep.updated, rep.unchanged,
                     rep.dry_run ? API_IMPORT_DRY_RUN : rep.committed);
  /* active interventions change who may be proposed */
  if (rep.committed && rep.new_rows + rep.updated > 0)
    api_engine_rebuild(r->app, r->db);
  json_t *body = gov_report_json(&rep);
  int committed = rep.committed;
  gov_report_free(&rep);
  return reply_report(r, rc == GOV_OK, committed, rc == GOV_ESTORE, rc == GOV_ENOMEM, body);
}

static const char *const import_query[] = {"dry_run", NULL};
static const char *const dtsen_query[] = {"dry_run", "extract_date", NULL};

const struct api_route api_routes_imports[] = {
    {.method = "POST",
     .pattern = "/v1/imports/dtsen",
     .handler = h_import_dtsen,
     .roles = AUTH_ADMIN | AUTH_OFFICER,
     .query = dtsen_query,
     .raw_type = "text/csv",
     .max_body = IMPORT_MAX_BODY},
    {.method = "POST",
     .pattern = "/v1/imports/interventions",
     .handler = h_import_interventions,
     .roles = AUTH_ADMIN | AUTH_OFFICER,
     .query = import_query,
     .raw_type = "text/csv",
     .max_body = IMPORT_MAX_BODY},
    {.method = NULL},
};
