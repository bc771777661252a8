/*
 * h_webhooks.c — an employer's webhook endpoints (issue 16): register (the
 * signing secret is in that answer only), list, read, delete; the dead-
 * letter list (and every delivery) of an endpoint and replaying a dead delivery; and the event
 * bodies the delivery worker (webhooks.c) sends.  Like API keys, endpoints
 * are managed by an employer user for its own employer or by an admin;
 * another employer's endpoint answers 404 exactly as a missing one.
 *
 * An event's body carries only what the employer may see when it is
 * rendered: the referral as the employer view of h_referrals.c writes it
 * (pseudonymous candidate id, contact only after acceptance), the vacancy's
 * own fields; never a resident's id, NIK, desil, priority or address.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "http.h"
#include "webhooks.h"

#define HOOK_ROLES (AUTH_ADMIN | AUTH_EMPLOYER)
/* Live endpoints per employer: each event goes to every one of them. */
#define HOOKS_MAX 10

static json_t *events_json(unsigned events) {
  json_t *a = json_array();
  for (unsigned bit = 1; bit <= WEBHOOK_ALL_EVENTS; bit <<= 1)
    if ((events & bit) != 0)
      json_array_append_new(a, json_string(webhook_event_name(bit)));
  return a;
}

static json_t *hook_json(const struct store_webhook *w) {
  char created[21];
  api_iso_time(w->created_at, created);
  return json_pack("{s:I, s:I, s:s, s:o, s:s}", "id", (json_int_t)w->id, "employer_id",
                   (json_int_t)w->employer_id, "url", w->url, "events", events_json(w->events),
                   "created_at", created);
}

static json_t *delivery_json(const struct store_delivery *d) {
  char created[21], next[21], done[21];
  api_iso_time(d->created_at, created);
  api_iso_time(d->next_at, next);
  if (d->done_at >= 0)
    api_iso_time(d->done_at, done);
  return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:o, s:s?, s:s, s:s?}", "id",
                   (json_int_t)d->id, "endpoint_id", (json_int_t)d->endpoint_id, "event_id", d->uid,
                   "event", d->type, "status", d->status, "event_created_at", created, "attempts",
                   (json_int_t)d->attempts, "last_status",
                   d->last_status > 0 ? json_integer(d->last_status) : json_null(), "last_error",
                   d->last_error[0] ? d->last_error : NULL, "next_attempt_at", next, "done_at",
                   d->done_at >= 0 ? done : NULL);
}

static int audit(struct api_req *r, const char *action, int64_t id) {
  char detail[48];
  snprintf(detail, sizeof detail, "webhook %lld", (long long)id);
  return api_audit_action(r, action, detail);
}

static const struct api_field create_spec[] = {
    {"url", API_F_STRING, API_REQUIRED, 0, 0, 2048},
    {"events", API_F_ARRAY, API_REQUIRED, 1, 0, 4},
    {"events[]", API_F_STRING, 0, 0, 0, 40},
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

static enum MHD_Result h_hook_create(struct api_req *r) {
  if (api_authorize(r, API_O_EMPLOYER, r->id[0], API_WRITE) != 0)
    return MHD_YES;
  struct store_webhook w;
  memset(&w, 0, sizeof w);
  w.employer_id = r->id[0];
  json_t *errors = json_array();
  snprintf(w.url, sizeof w.url, "%s", api_body_string(r, "url"));
  struct webhook_opts o;
  webhook_opts_from_env(&o);
  char why[32];
  if (!webhook_url_ok(w.url, o.allow_private, why, sizeof why))
    api_field_error(errors, "url", why,
                    "URL harus http(s) ke alamat publik, tanpa nama pengguna atau sandi.",
                    "The URL must be http(s) to a public address, without user or password.");
  size_t i;
  const json_t *v;
  json_array_foreach(api_body_get(r, "events"), i, v) {
    unsigned bit = webhook_event_parse(json_string_value(v));
    if (bit == 0) {
      char field[32];
      snprintf(field, sizeof field, "events[%zu]", i);
      api_field_error(errors, field, API_FE_ENUM_VALUE,
                      "Peristiwa harus referral.confirmed, referral.withdrawn, "
                      "vacancy.shortlist_changed atau vacancy.closing.",
                      "An event is referral.confirmed, referral.withdrawn, "
                      "vacancy.shortlist_changed or vacancy.closing.");
    }
    w.events |= bit;
  }
  if (json_array_size(errors) > 0)
    return api_reply_invalid(r, STORE_OK, errors);
  json_decref(errors);
  randombytes_buf(w.salt, sizeof w.salt);
  w.created_by = r->who.user_id;
  w.created_at = r->now;
  int64_t live = 0;
  int rc = store_begin(r->db);
  if (rc == STORE_OK)
    rc = store_webhook_count(r->db, w.employer_id, &live);
  if (rc == STORE_OK && live >= HOOKS_MAX) {
    store_rollback(r->db);
    return api_reply_problem_detail(r, API_E_CONFLICT,
                                    "Pemberi kerja ini sudah punya 10 endpoint webhook.",
                                    "This employer already has 10 webhook endpoints.");
  }
  if (rc == STORE_OK)
    rc = store_webhook_add(r->db, &w, &w.id);
  if (rc == STORE_OK)
    rc = audit(r, "webhook_create", w.id);
  if (rc == STORE_OK)
    rc = store_commit(r->db);
  if (rc != STORE_OK) {
    store_rollback(r->db);
    return api_reply_store(r, rc);
  }
  uint8_t secret[32];
  char text[WEBHOOK_SECRET_TEXT_BYTES];
  webhook_secret(r->auth, w.salt, secret, text);
  sodium_memzero(secret, sizeof secret);
  json_t *doc = hook_json(&w);
  if (doc != NULL)
    json_object_set_new(doc, "secret", json_string(text));
  sodium_memzero(text, sizeof text);
  api_reply_header(r, MHD_HTTP_HEADER_LOCATION, "/v1/webhooks/%lld", (long long)w.id);
  api_reply_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  return api_reply_json(r, MHD_HTTP_CREATED, doc);
}

static int add_hook(void *arg, const struct store_webhook *w) {
  return json_array_append_new(arg, hook_json(w)) == 0 ? STORE_OK : STORE_ENOMEM;
}

static enum MHD_Result h_hook_list(struct api_req *r) {
  if (api_authorize(r, API_O_EMPLOYER, r->id[0], API_WRITE) != 0)
    return MHD_YES;
  json_t *items = json_array();
  int rc = items != NULL ? store_webhook_list(r->db, r->id[0], add_hook, items) : STORE_ENOMEM;
  if (rc != STORE_OK) {
    json_decref(items);
    return api_reply_store(r, rc);
  }
  return api_reply_json(r, MHD_HTTP_OK, json_pack("{s:o}", "items", items));
}

/* Endpoint id of the caller's employer, or the reply queued (404 as for a
 * missing one) and -1. */
static int own_hook(struct api_req *r, int64_t id, struct store_webhook *w) {
  int rc = store_webhook_get(r->db, id, w);
  if (rc != STORE_OK) {
    api_reply_store(r, rc); /* 404 for a missing one */
    return -1;
  }
  return api_authorize(r, API_O_EMPLOYER, w->employer_id, API_WRITE);
}

static enum MHD_Result h_hook_get(struct api_req *r) {
  struct store_webhook w;
  if (own_hook(r, r->id[0], &w) != 0)
    return MHD_YES;
  return api_reply_json(r, MHD_HTTP_OK, hook_json(&w));
}

static enum MHD_Result h_hook_delete(struct api_req *r) {
  struct store_webhook w;
  if (own_hook(r, r->id[0], &w) != 0)
    return MHD_YES;
  int rc = store_begin(r->db);
  if (rc == STORE_OK)
    rc = store_webhook_delete(r->db, w.id, r->now);
  if (rc == STORE_OK)
    rc = audit(r, "webhook_delete", w.id);
  if (rc == STORE_OK)
    rc = store_commit(r->db);
  if (rc != STORE_OK) {
    store_rollback(r->db);
    return api_reply_store(r, rc);
  }
  return api_reply_empty(r, MHD_HTTP_NO_CONTENT);
}

static int add_delivery(void *arg, const struct store_delivery *d) {
  return json_array_append_new(arg, delivery_json(d)) == 0 ? STORE_OK : STORE_ENOMEM;
}

static const char *const deliveries_query[] = {"status", NULL};

/* An endpoint's deliveries, newest first; ?status=dead is the dead-letter
 * list. */
static enum MHD_Result h_deliveries(struct api_req *r) {
  const char *status = api_query(r, "status");
  if (status != NULL && strcmp(status, "pending") != 0 && strcmp(status, "delivered") != 0 &&
      strcmp(status, "dead") != 0) {
    json_t *errors = json_array();
    api_field_error(errors, "status", API_FE_ENUM_VALUE,
                    "Status harus pending, delivered atau dead.",
                    "The status is pending, delivered or dead.");
    return api_reply_invalid(r, STORE_OK, errors);
  }
  struct store_webhook w;
  if (own_hook(r, r->id[0], &w) != 0)
    return MHD_YES;
  json_t *items = json_array();
  int rc =
      items != NULL ? store_delivery_list(r->db, w.id, status, add_delivery, items) : STORE_ENOMEM;
  if (rc != STORE_OK) {
    json_decref(items);
    return api_reply_store(r, rc);
  }
  return api_reply_json(r, MHD_HTTP_OK, json_pack("{s:o}", "items", items));
}

static enum MHD_Result h_replay(struct api_req *r) {
  int64_t endpoint = 0;
  int rc = store_delivery_endpoint(r->db, r->id[0], &endpoint);
  if (rc != STORE_OK)
    return rc == STORE_ENOTFOUND ? api_reply_problem(r, API_E_NOT_FOUND) : api_reply_store(r, rc);
  struct store_webhook w;
  if (own_hook(r, endpoint, &w) != 0)
    return MHD_YES;
  rc = store_begin(r->db);
  if (rc == STORE_OK)
    rc = store_delivery_replay(r->db, r->id[0], r->now);
  if (rc == STORE_OK)
    rc = audit(r, "webhook_replay", w.id);
  if (rc == STORE_OK)
    rc = store_commit(r->db);
  if (rc != STORE_OK) {
    store_rollback(r->db);
    if (rc == STORE_ENOTFOUND)
      return api_reply_problem_detail(r, API_E_CONFLICT,
                                      "Hanya pengiriman yang gagal dapat diulang.",
                                      "Only a dead delivery can be replayed.");
    return api_reply_store(r, rc);
  }
  return api_reply_json(r, MHD_HTTP_ACCEPTED,
                        json_pack("{s:I, s:s}", "id", (json_int_t)r->id[0], "status", "pending"));
}

/* ---- Event bodies ------------------------------------------------------------------- */

char *api_webhook_body(void *arg, struct store *s, const struct store_delivery *d, int *gone) {
  struct api_req r;
  memset(&r, 0, sizeof r);
  r.auth = arg;
  r.db = s;
  r.who.role = AUTH_EMPLOYER;
  r.who.employer_id = d->employer_id;
  json_t *data = NULL;
  if (d->referral_id > 0) {
    struct store_referral f;
    int rc = store_referral_get(s, d->referral_id, &f);
    if (rc != STORE_OK || f.employer_id != d->employer_id) {
      *gone = rc == STORE_ENOTFOUND || rc == STORE_OK;
      return NULL;
    }
    json_t *ref = api_referral_employer_json(&r, &f);
    data = json_pack("{s:o, s:{s:I, s:s, s:s}}", "referral", ref, "vacancy", "id",
                     (json_int_t)f.vacancy_id, "code", f.vacancy_code, "title", f.vacancy_title);
  } else {
    struct store_vacancy_row *v = malloc(sizeof *v);
    if (v == NULL)
      return NULL;
    int rc = store_vacancy_get(s, d->vacancy_id, v);
    if (rc != STORE_OK || v->employer_id != d->employer_id) {
      *gone = rc == STORE_ENOTFOUND || rc == STORE_OK;
      free(v);
      return NULL;
    }
    data = json_pack("{s:{s:I, s:s, s:s, s:s, s:s, s:i}}", "vacancy", "id", (json_int_t)v->id,
                     "code", v->code, "title", v->title, "status", v->status, "deadline",
                     v->deadline, "openings", v->openings);
    free(v);
  }
  char created[21];
  api_iso_time(d->created_at, created);
  json_t *doc = json_pack("{s:s, s:s, s:s, s:I, s:o}", "id", d->uid, "type", d->type, "created_at",
                          created, "employer_id", (json_int_t)d->employer_id, "data", data);
  char *text = doc != NULL ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  json_decref(doc);
  return text;
}

const struct api_route api_routes_webhooks[] = {
    {.method = "GET",
     .pattern = "/v1/employers/{id}/webhooks",
     .handler = h_hook_list,
     .roles = HOOK_ROLES},
    {.method = "POST",
     .pattern = "/v1/employers/{id}/webhooks",
     .handler = h_hook_create,
     .roles = HOOK_ROLES,
     .body = create_spec},
    {.method = "GET", .pattern = "/v1/webhooks/{id}", .handler = h_hook_get, .roles = HOOK_ROLES},
    {.method = "DELETE",
     .pattern = "/v1/webhooks/{id}",
     .handler = h_hook_delete,
     .roles = HOOK_ROLES},
    {.method = "GET",
     .pattern = "/v1/webhooks/{id}/deliveries",
     .handler = h_deliveries,
     .roles = HOOK_ROLES,
     .query = deliveries_query},
    {.method = "POST",
     .pattern = "/v1/webhook-deliveries/{id}/replay",
     .handler = h_replay,
     .roles = HOOK_ROLES},
    {NULL, NULL, NULL, 0, NULL},
};
