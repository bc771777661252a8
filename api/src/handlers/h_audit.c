/*
 * h_audit.c — the audit log over HTTP: the administrator's filtered list of
 * every audited act (GET /v1/audit), and one resident's access record —
 * who read or changed their data, when, through which route and why (GET
 * /v1/residents/{id}/access-record), which UU PDP lets a resident ask for.
 *
 * Both page by the row id, oldest first: the log only grows, so id order is
 * stable and a cursor never skips or repeats a row.  Reading the access
 * record is itself audited (purpose "access_record"), as the export is.
 */
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "dates.h"
#include "http.h"
#include "json_io.h"
#include "listing.h"
#include "nik.h"

#define ROUTE(m, p, h, who, q)                                                                     \
  { .method = m, .pattern = p, .handler = h, .roles = who, .body = NULL, .query = q }

struct audit_page {
  json_t *items;
  int64_t last_id;
};

static int audit_row(void *arg, const struct store_audit_row *a) {
  struct audit_page *p = arg;
  json_t *o = json_pack(
      "{s:I, s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)a->id, "at", a->at,
      "user_id", api_json_opt_int(a->user_id), "username", api_json_opt_string(a->username), "role",
      api_json_opt_string(a->role), "action", a->action, "route", api_json_opt_string(a->route),
      "resident_id", api_json_opt_int(a->resident_id), "purpose", api_json_opt_string(a->purpose),
      "detail", api_json_opt_string(a->detail));
  if (o == NULL || json_array_append_new(p->items, o) != 0)
    return STORE_ENOMEM;
  p->last_id = a->id;
  return 0;
}

/* Runs the query f (after and limit from page) and replies with the page;
 * extra, when not NULL, is merged into the reply (stolen). */
static enum MHD_Result reply_page(struct api_req *r, struct store_audit_filter *f,
                                  const struct api_page *page, json_t *extra) {
  struct audit_page p = {.items = json_array()};
  f->after = page->after;
  f->limit = page->limit;
  int rc = p.items != NULL ? store_audit_each(r->db, f, audit_row, &p) : STORE_ENOMEM;
  if (rc != STORE_OK) {
    json_decref(p.items);
    json_decref(extra);
    return rc == STORE_EBUSY ? api_reply_store(r, rc) : api_reply_problem(r, API_E_INTERNAL);
  }
  json_t *body = api_page_body(p.items, page, p.last_id);
  if (extra != NULL)
    json_object_update(body, extra);
  json_decref(extra);
  return api_reply_json(r, MHD_HTTP_OK, body);
}

/* A time bound: "YYYY-MM-DD" (the start of that day in Kota Tangerang for
 * from, its end for to: calendar days are WIB days) or
 * "YYYY-MM-DDTHH:MM:SSZ".  Into out[21] as UTC; 0 or -1. */
static int time_bound(const char *text, int end_of_day, char out[21]) {
  struct date_ymd d;
  size_t len = strlen(text);
  if (len < 10 || date_parse(text, 10, &d) != 0)
    return -1;
  if (len == 10) {
    int64_t start = date_to_days(&d) * 86400 - DATE_WIB_OFFSET; /* 00:00 WIB */
    api_iso_time(end_of_day ? start + 86399 : start, out);
    return 0;
  }
  int hh, mm, ss;
  char z;
  if (len != 20 || text[10] != 'T' || sscanf(text + 11, "%2d:%2d:%2d%c", &hh, &mm, &ss, &z) != 4 ||
      z != 'Z' || hh > 23 || mm > 59 || ss > 59 || text[13] != ':' || text[16] != ':')
    return -1;
  for (size_t i = 11; i < 19; i++)
    if (i != 13 && i != 16 && (text[i] < '0' || text[i] > '9'))
      return -1;
  memcpy(out, text, 21);
  return 0;
}

static void bound_error(json_t *errors, const char *name) {
  json_array_append_new(
      errors,
      json_pack("{s:s, s:s, s:s, s:s}", "field", name, "code", API_FE_DATE_FORMAT, "detail_id",
                "Harus berupa tanggal YYYY-MM-DD atau waktu YYYY-MM-DDTHH:MM:SSZ.", "detail_en",
                "Must be a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM:SSZ."));
}

static enum MHD_Result h_audit_list(struct api_req *r) {
  struct api_page page;
  struct store_audit_filter f = {.resident_id = -1};
  char from[21], to[21];
  if (api_page_parse(r, &page) != 0 ||
      api_query_int(r, "resident", 1, INT64_MAX, &f.resident_id) != 0)
    return MHD_YES;
  f.username = api_query(r, "user");
  f.action = api_query(r, "action");
  const char *from_text = api_query(r, "from"), *to_text = api_query(r, "to");
  json_t *errors = json_array();
  if (from_text != NULL && time_bound(from_text, 0, from) != 0)
    bound_error(errors, "from");
  if (to_text != NULL && time_bound(to_text, 1, to) != 0)
    bound_error(errors, "to");
  if (json_array_size(errors) > 0)
    return api_reply_problem_errors(r, API_E_INVALID_INPUT, errors);
  json_decref(errors);
  f.from = from_text != NULL ? from : NULL;
  f.to = to_text != NULL ? to : NULL;
  return reply_page(r, &f, &page, NULL);
}

static enum MHD_Result h_access_record(struct api_req *r) {
  struct api_page page;
  struct store_audit_filter f = {.resident_id = r->id[0]};
  if (api_page_parse(r, &page) != 0 || api_authorize(r, API_O_RESIDENT, r->id[0], API_READ) != 0 ||
      api_audit_personal(r, r->id[0], "access_record") != 0)
    return MHD_YES;
  return reply_page(r, &f, &page, json_pack("{s:I}", "resident_id", (json_int_t)r->id[0]));
}

static const char *const audit_query[] = {"limit",  "cursor", "user", "resident",
                                          "action", "from",   "to",   NULL};

const struct api_route api_routes_audit[] = {
    ROUTE("GET", "/v1/audit", h_audit_list, AUTH_ADMIN, audit_query),
    ROUTE("GET", "/v1/residents/{id}/access-record", h_access_record, AUTH_ADMIN | AUTH_OFFICER,
          api_page_query),
    {.method = NULL},
};
