/*
 * h_objections.c — objections to what DTSEN owns (issue 15).  A desk may not
 * change a resident's NIK, desil, birth date or sex (h_residents.c answers
 * 403 naming the field); when a walk-in resident disputes one, the desk
 * files an objection with the value the resident claims, and an officer
 * resolves it:
 *
 *   POST  /v1/residents/{id}/objections   desk (own kelurahan), officer, admin
 *   GET   /v1/objections                  desk (own kelurahan), officer, admin
 *   GET   /v1/objections/{id}             the same scope
 *   PATCH /v1/objections/{id}             officer, admin: accepted | rejected
 *
 * Filing commits the objection with its audit row.  Accepting corrects the
 * field through gov_correct (validated by the DTSEN rules, with history and
 * its own audit row) and then marks the objection with another audit row;
 * should the second step fail, the correction is already stored and a retry
 * of the same PATCH finds the field unchanged and only marks the objection,
 * so a retry never records anything twice.  An objection names a resident,
 * so every read of one is audited like a read of the record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "app.h"
#include "gov.h"
#include "http.h"
#include "json_io.h"
#include "listing.h"

#define STAFF (AUTH_ADMIN | AUTH_OFFICER | AUTH_DESK)

static const char *const fields[] = {"nik", "desil", "birth_date", "sex", NULL};
static const char *const outcomes[] = {"accepted", "rejected", NULL};
static const char *const statuses[] = {"open", "accepted", "rejected", NULL};

static const struct api_field spec_file[] = {
    {"field", API_F_STRING, API_REQUIRED, 0, 0, 16},
    {"proposed_value", API_F_STRING, API_REQUIRED, 0, 0, 32},
    {"reason", API_F_STRING, API_REQUIRED, 0, 0, 1000},
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

static const struct api_field spec_resolve[] = {
    {"status", API_F_STRING, API_REQUIRED, 0, 0, 16},
    {"note", API_F_STRING, 0, 0, 0, 1000},
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

static const char *const list_query[] = {"limit", "cursor", "status", NULL};

static int in_list(const char *const *list, const char *s) {
  for (size_t i = 0; s != NULL && list[i] != NULL; i++)
    if (strcmp(list[i], s) == 0)
      return 1;
  return 0;
}

static json_t *objection_json(const struct store_objection *o) {
  return json_pack("{s:I, s:I, s:s, s:s?, s:s?, s:s, s:o, s:s, s:o, s:s?, s:s?}", "id",
                   (json_int_t)o->id, "resident_id", (json_int_t)o->resident_id, "field", o->field,
                   "proposed_value", o->proposed_value[0] ? o->proposed_value : NULL, "reason",
                   o->reason[0] ? o->reason : NULL, "status", o->status, "filed_by",
                   api_json_opt_int(o->filed_by), "filed_at", o->filed_at, "resolved_by",
                   api_json_opt_int(o->resolved_by), "resolved_at",
                   o->resolved_at[0] ? o->resolved_at : NULL, "note", o->note[0] ? o->note : NULL);
}

/* The value's form for its field; 1 when acceptable. */
static int value_ok(const char *field, const char *v) {
  size_t n = strlen(v);
  if (strcmp(field, "nik") == 0)
    return n == 16 && strspn(v, "0123456789") == 16;
  if (strcmp(field, "desil") == 0)
    return (n == 1 && v[0] >= '1' && v[0] <= '9') || strcmp(v, "10") == 0;
  if (strcmp(field, "sex") == 0)
    return strcmp(v, "L") == 0 || strcmp(v, "P") == 0;
  return api_date_ok(v);
}

static int audit(struct api_req *r, const char *action, int64_t resident_id, int64_t objection) {
  char detail[48];
  snprintf(detail, sizeof detail, "objection %lld", (long long)objection);
  struct store_audit a = {.user_id = r->who.user_id,
                          .username = r->who.username,
                          .role = auth_role_name(r->who.role),
                          .action = action,
                          .route = r->route->pattern,
                          .resident_id = resident_id,
                          .detail = detail};
  return store_audit_add(r->db, &a);
}

static enum MHD_Result one_error(struct api_req *r, const char *field, const char *code,
                                 const char *id, const char *en) {
  return api_reply_problem_errors(r, API_E_INVALID_INPUT,
                                  json_pack("[{s:s, s:s, s:s, s:s}]", "field", field, "code", code,
                                            "detail_id", id, "detail_en", en));
}

static enum MHD_Result h_file(struct api_req *r) {
  int64_t resident = r->id[0];
  if (api_authorize(r, API_O_RESIDENT, resident, API_WRITE) != 0)
    return MHD_YES;
  const char *field = api_body_string(r, "field");
  const char *value = api_body_string(r, "proposed_value");
  const char *reason = api_body_string(r, "reason");
  if (!in_list(fields, field))
    return one_error(r, "field", "enum_value",
                     "Harus salah satu dari: nik, desil, birth_date, sex.",
                     "Must be one of: nik, desil, birth_date, sex.");
  if (!value_ok(field, value))
    return one_error(r, "proposed_value", "format", "Nilai ini tidak sah untuk kolomnya.",
                     "This value is not valid for its field.");
  if (!api_text_ok(reason))
    return one_error(r, "reason", "invalid_text", "Alasan wajib diisi, satu baris teks.",
                     "A reason is required, one line of text.");
  int64_t id = 0;
  int rc = store_begin(r->db);
  if (rc == STORE_OK)
    rc = store_objection_add(r->db, resident, field, value, reason, r->who.user_id, &id);
  if (rc == STORE_OK)
    rc = audit(r, "file_objection", resident, id);
  if (rc == STORE_OK)
    rc = store_commit(r->db);
  if (rc != STORE_OK) {
    store_rollback(r->db);
    return api_reply_store(r, rc);
  }
  struct store_objection o;
  if (store_objection_get(r->db, id, &o) != STORE_OK)
    return api_reply_json(r, MHD_HTTP_CREATED,
                          json_pack("{s:I, s:b}", "id", (json_int_t)id, "stored", 1));
  api_reply_header(r, MHD_HTTP_HEADER_LOCATION, "/v1/objections/%lld", (long long)id);
  return api_reply_json(r, MHD_HTTP_CREATED, objection_json(&o));
}

struct list_state {
  json_t *items;
  int64_t ids[API_LIST_MAX];
  size_t n;
  int64_t last;
};

static int list_row(void *arg, const struct store_objection *o) {
  struct list_state *l = arg;
  if (l->n >= API_LIST_MAX || json_array_append_new(l->items, objection_json(o)) != 0)
    return STORE_ENOMEM;
  l->ids[l->n++] = o->resident_id;
  l->last = o->id;
  return STORE_OK;
}

static enum MHD_Result h_list(struct api_req *r) {
  struct api_page page;
  int status = -1;
  if (api_page_parse(r, &page) != 0 || api_query_enum(r, "status", statuses, &status) != 0)
    return MHD_YES;
  struct list_state *l = calloc(1, sizeof *l);
  if (l == NULL || (l->items = json_array()) == NULL) {
    free(l);
    return api_reply_problem(r, API_E_INTERNAL);
  }
  struct api_scope scope;
  api_scope_of(r, &scope);
  int rc = store_objection_each(r->db, status >= 0 ? statuses[status] : NULL, scope.kelurahan_id,
                                page.after, page.limit, list_row, l);
  enum MHD_Result ret;
  if (rc != STORE_OK) {
    json_decref(l->items);
    ret = api_reply_store(r, rc);
  } else if (api_audit_personal_each(r, l->ids, l->n, "objections") != 0) {
    json_decref(l->items);
    ret = MHD_YES;
  } else {
    ret = api_reply_json(r, MHD_HTTP_OK, api_page_body(l->items, &page, l->last));
  }
  free(l);
  return ret;
}

/* The objection of the path, when the caller may see its resident; else
 * the reply (404 exactly as for a missing one) is queued and -1 returned. */
static int load(struct api_req *r, enum api_access access, struct store_objection *o) {
  int rc = store_objection_get(r->db, r->id[0], o);
  if (rc != STORE_OK) {
    api_reply_store(r, rc);
    return -1;
  }
  return api_authorize(r, API_O_RESIDENT, o->resident_id, access) != 0 ? -1 : 0;
}

static enum MHD_Result h_get(struct api_req *r) {
  struct store_objection o;
  if (load(r, API_READ, &o) != 0)
    return MHD_YES;
  if (api_audit_personal(r, o.resident_id, "objection") != 0)
    return MHD_YES;
  return api_reply_json(r, MHD_HTTP_OK, objection_json(&o));
}

static enum MHD_Result h_resolve(struct api_req *r) {
  struct store_objection o;
  if (load(r, API_WRITE, &o) != 0)
    return MHD_YES;
  const char *outcome = api_body_string(r, "status");
  const char *note = api_body_string(r, "note");
  if (!in_list(outcomes, outcome))
    return one_error(r, "status", "enum_value", "Harus accepted atau rejected.",
                     "Must be accepted or rejected.");
  if (note != NULL && note[0] != '\0' && !api_text_ok(note))
    return one_error(r, "note", "invalid_text", "Satu baris teks.", "One line of text.");
  if (strcmp(o.status, "open") != 0)
    return api_reply_problem_detail(r, API_E_CONFLICT, "Keberatan ini sudah diputuskan.",
                                    "This objection was already resolved.");
  if (strcmp(outcome, "accepted") == 0) {
    /* the correction first, by the officer, with history and audit */
    char reason[1100];
    snprintf(reason, sizeof reason, "keberatan/objection %lld: %s", (long long)o.id, o.reason);
    struct gov_change change = {.field = o.field, .value = o.proposed_value};
    struct gov_actor by = {.user_id = r->who.user_id,
                           .username = r->who.username,
                           .role = auth_role_name(r->who.role),
                           .route = r->route->pattern,
                           .kelurahan_id = -1};
    struct gov_report rep = {0};
    int status = gov_correct(r->db, o.resident_id, &by, &change, 1, reason, &rep);
    json_t *errors = json_array();
    for (size_t i = 0; errors != NULL && i < rep.n_issues; i++)
      if (!rep.issues[i].warning)
        json_array_append_new(errors,
                              json_pack("{s:s, s:s, s:s, s:s}", "field", "proposed_value", "code",
                                        rep.issues[i].code, "detail_id", rep.issues[i].message_id,
                                        "detail_en", rep.issues[i].message_en));
    gov_report_free(&rep);
    if (status == GOV_OK && rep.committed)
      api_engine_refresh(r->app, r->db, API_REC_RESIDENT, o.resident_id);
    if (status == GOV_EINVALID || status == GOV_EREFUSED)
      return api_reply_problem_errors(r, API_E_UNPROCESSABLE, errors);
    json_decref(errors);
    if (status == GOV_EFULL)
      return api_reply_problem(r, API_E_INSUFFICIENT_STORAGE);
    if (status == GOV_ENOTFOUND)
      return api_reply_problem(r, API_E_NOT_FOUND);
    if (status != GOV_OK) {
      api_reply_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
      return api_reply_problem(r, API_E_UNAVAILABLE);
    }
  }
  int rc = store_begin(r->db);
  if (rc == STORE_OK)
    rc = store_objection_resolve(r->db, o.id, outcome, r->who.user_id, note);
  if (rc == STORE_OK)
    rc = audit(r, "resolve_objection", o.resident_id, o.id);
  if (rc == STORE_OK)
    rc = store_commit(r->db);
  if (rc != STORE_OK) {
    store_rollback(r->db);
    if (rc == STORE_ENOTFOUND) /* resolved by someone else meanwhile */
      return api_reply_problem_detail(r, API_E_CONFLICT, "Keberatan ini sudah diputuskan.",
                                      "This objection was already resolved.");
    return api_reply_store(r, rc);
  }
  if (store_objection_get(r->db, o.id, &o) != STORE_OK)
    return api_reply_json(r, MHD_HTTP_OK,
                          json_pack("{s:I, s:b}", "id", (json_int_t)o.id, "stored", 1));
  return api_reply_json(r, MHD_HTTP_OK, objection_json(&o));
}

const struct api_route api_routes_objections[] = {
    {.method = "POST",
     .pattern = "/v1/residents/{id}/objections",
     .handler = h_file,
     .roles = STAFF,
     .body = spec_file},
    {.method = "GET",
     .pattern = "/v1/objections",
     .handler = h_list,
     .roles = STAFF,
     .query = list_query},
    {.method = "GET", .pattern = "/v1/objections/{id}", .handler = h_get, .roles = STAFF},
    {.method = "PATCH",
     .pattern = "/v1/objections/{id}",
     .handler = h_resolve,
     .roles = AUTH_ADMIN | AUTH_OFFICER,
     .body = spec_resolve},
    {.method = NULL},
};
