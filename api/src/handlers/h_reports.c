/*
 * h_reports.c — GET /v1/reports/{kind} (funnel, course-outcomes, skills-gap,
 * targeting) as JSON or CSV, over the caller's scope; GET
 * /v1/reports/overlaps and /v1/reports/unserved, the governance lists of
 * residents served twice at once and of target residents nobody serves
 * (docs/GOVERNANCE.md), the same way for officers (the city, or one
 * kelurahan) and desks (their own kelurahan), audited as the command
 * line's are; and
 * POST /v1/reports/course-outcomes/measure, which writes measured BLK
 * outcomes and rebuilds the matching snapshot so the next ranking uses
 * them (docs/REPORTS.md).
 *
 * The scope is the caller's, never a parameter: officers and admins see the
 * city, a desk its kelurahan's residents, an employer its own vacancies
 * (and not the targeting report, which would show poverty status).  An
 * employer's funnel is grouped by kecamatan, by default and at most: its
 * candidates are pseudonymous down to the kecamatan, and a kelurahan row
 * holding one or two of them would say where they live.
 */
#include "http.h"

#include "access.h"
#include "app.h"
#include "gov.h"
#include "listing.h"
#include "reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The {kind} segment is not an id, so each kind is its own route; this
 * maps the route back to the report. */
static int kind_of(const struct api_req *r, enum rep_kind *kind) {
  const char *name = strrchr(r->route->pattern, '/') + 1;
  return rep_kind_parse(name, kind);
}

static enum MHD_Result reply_rep_error(struct api_req *r, int rc, const struct rep_error *err) {
  if (rc == REP_EFORBIDDEN)
    return api_reply_problem_detail(r, API_E_FORBIDDEN,
                                    "Laporan ini tidak tersedia untuk perusahaan: laporan ini "
                                    "menunjukkan status kemiskinan.",
                                    "This report is not available to employers: it shows poverty "
                                    "status.");
  if (rc == REP_EINVAL) {
    json_t *errors = json_pack("[{s:s, s:s, s:s, s:s}]", "field", err->field, "code", err->code,
                               "detail_id", err->message_id, "detail_en", err->message_en);
    return api_reply_problem_errors(r, API_E_INVALID_INPUT, errors);
  }
  return api_reply_problem(r, rc == REP_ENOMEM ? API_E_INTERNAL : API_E_UNAVAILABLE);
}

/* Sends t as CSV (an attachment) or JSON; frees t. */
static enum MHD_Result reply_table(struct api_req *r, struct rep_table *t, int csv) {
  enum MHD_Result ret;
  if (!csv) {
    json_t *body = rep_table_json(t);
    ret =
        body != NULL ? api_reply_json(r, MHD_HTTP_OK, body) : api_reply_problem(r, API_E_INTERNAL);
  } else {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int ok = f != NULL && rep_table_csv(t, f) == 0;
    if (f != NULL && fclose(f) != 0)
      ok = 0;
    if (!ok) {
      free(buf);
      ret = api_reply_problem(r, API_E_INTERNAL);
    } else {
      api_reply_header(r, "Content-Disposition", "attachment; filename=\"%s.csv\"",
                       rep_table_name(t));
      ret = api_reply_bytes(r, MHD_HTTP_OK, "text/csv; charset=utf-8", buf, len);
    }
  }
  rep_table_free(t);
  return ret;
}

static enum MHD_Result h_report(struct api_req *r) {
  static const char *const formats[] = {"json", "csv", NULL};
  static const char *const bys[] = {"kelurahan", "kecamatan", "course", "sector", "employer", NULL};
  enum rep_kind kind;
  struct api_scope scope;
  api_scope_of(r, &scope);
  int employer = scope.employer_id >= 0; /* its own vacancies, by kecamatan at most */
  int format = 0, by = employer ? REP_BY_KECAMATAN : REP_BY_KELURAHAN;
  if (kind_of(r, &kind) != 0)
    return api_reply_problem(r, API_E_NOT_FOUND);
  if (api_query_enum(r, "format", formats, &format) != 0 || api_query_enum(r, "by", bys, &by) != 0)
    return MHD_YES;
  if (employer && by == REP_BY_KELURAHAN)
    return api_reply_problem_detail(
        r, API_E_FORBIDDEN,
        "Perusahaan tidak dapat melihat laporan per kelurahan; pakai by=kecamatan.",
        "Employers cannot see reports by kelurahan; use by=kecamatan.");

  struct mt_config cfg = api_config(r->app);
  struct rep_query q;
  rep_query_init(&q);
  q.scope.kelurahan_id = scope.kelurahan_id;
  q.scope.employer_id = scope.employer_id;
  q.by = (enum rep_by)by; /* bys is in enum rep_by order */
  q.from = api_query(r, "from");
  q.to = api_query(r, "to");
  q.vocation = api_query(r, "vocation");
  q.course = api_query(r, "course");
  q.cfg = &cfg;
  struct rep_table *t = NULL;
  struct rep_error err = {0};
  int rc = rep_run(r->db, kind, &q, &t, &err);
  if (rc != REP_OK)
    return reply_rep_error(r, rc, &err);
  return reply_table(r, t, format == 1);
}

/* overlaps and unserved: lists of residents, so never for employers (the
 * route table), and audited through gov.c with the caller as the actor. */
static enum MHD_Result h_gov_report(struct api_req *r) {
  static const char *const formats[] = {"json", "csv", NULL};
  int format = 0;
  int64_t kel = -1;
  if (api_query_enum(r, "format", formats, &format) != 0)
    return MHD_YES;
  json_t *errors = json_array();
  int rc = api_query_code(r, "kelurahan", STORE_T_KELURAHAN, &kel, errors);
  if (rc != STORE_OK || json_array_size(errors) > 0)
    return api_reply_invalid(r, rc, errors);
  json_decref(errors);
  struct api_scope scope;
  api_scope_of(r, &scope);
  if (scope.kelurahan_id >= 0 && kel >= 0 && kel != scope.kelurahan_id)
    return api_reply_problem_detail(r, API_E_FORBIDDEN,
                                    "Meja kelurahan hanya melihat laporan kelurahannya sendiri.",
                                    "A kelurahan desk sees its own kelurahan's report only.");
  struct mt_config cfg = api_config(r->app);
  struct rep_query q;
  rep_query_init(&q);
  q.scope.kelurahan_id = scope.kelurahan_id >= 0 ? scope.kelurahan_id : kel;
  q.cfg = &cfg;
  struct gov_actor by = {.user_id = r->who.user_id,
                         .username = r->who.username,
                         .role = auth_role_name(r->who.role),
                         .route = r->route->pattern,
                         .kelurahan_id = scope.kelurahan_id};
  struct rep_table *t = NULL;
  rc = strstr(r->route->pattern, "overlaps") != NULL ? rep_overlaps(r->db, &q, &by, &t)
                                                     : rep_unserved(r->db, &q, &by, &t);
  if (rc != REP_OK)
    return reply_rep_error(r, rc, NULL);
  return reply_table(r, t, format == 1);
}

static enum MHD_Result h_measure(struct api_req *r) {
  char today[11];
  api_today(today);
  struct rep_table *t = NULL;
  int rc = rep_outcomes_measure(r->db, today, &t);
  if (rc != REP_OK)
    return reply_rep_error(r, rc, NULL);
  /* the engine's course component reads outcomes: rebuild so the next
   * ranking uses what was just measured */
  if (api_engine_rebuild(r->app, r->db) != 0) {
    rep_table_free(t);
    return api_reply_problem(r, API_E_INTERNAL);
  }
  return reply_table(r, t, 0);
}

#define EVERYONE (AUTH_ADMIN | AUTH_OFFICER | AUTH_EMPLOYER | AUTH_DESK)

/* Every report takes format, from and to; each adds its own grouping or
 * filter (docs/REPORTS.md). */
static const char *const funnel_query[] = {"format", "from", "to", "by", NULL};
static const char *const outcomes_query[] = {"format", "from", "to", "course", NULL};
static const char *const skills_query[] = {"format", "from", "to", "vocation", NULL};
static const char *const targeting_query[] = {"format", "from", "to", NULL};
static const char *const gov_query[] = {"format", "kelurahan", NULL};

const struct api_route api_routes_reports[] = {
    {.method = "GET",
     .pattern = "/v1/reports/funnel",
     .handler = h_report,
     .roles = EVERYONE,
     .query = funnel_query},
    {.method = "GET",
     .pattern = "/v1/reports/course-outcomes",
     .handler = h_report,
     .roles = EVERYONE,
     .query = outcomes_query},
    {.method = "GET",
     .pattern = "/v1/reports/skills-gap",
     .handler = h_report,
     .roles = EVERYONE,
     .query = skills_query},
    {.method = "GET",
     .pattern = "/v1/reports/targeting",
     .handler = h_report,
     .roles = EVERYONE,
     .query = targeting_query},
    {.method = "GET",
     .pattern = "/v1/reports/overlaps",
     .handler = h_gov_report,
     .roles = AUTH_ADMIN | AUTH_OFFICER | AUTH_DESK,
     .query = gov_query},
    {.method = "GET",
     .pattern = "/v1/reports/unserved",
     .handler = h_gov_report,
     .roles = AUTH_ADMIN | AUTH_OFFICER | AUTH_DESK,
     .query = gov_query},
    {"POST", "/v1/reports/course-outcomes/measure", h_measure, AUTH_ADMIN | AUTH_OFFICER, NULL},
    {NULL, NULL, NULL, 0, NULL},
};
