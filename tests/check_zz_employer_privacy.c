/*
 * check_zz_employer_privacy.c — what employers are shown, checked across
 * the whole test suite (DESIGN.md §6, issue 4 item 3): employers see
 * candidates pseudonymously — a candidate id stable per vacancy, age band,
 * kecamatan, education, skills, fit and its explanation — and never a
 * resident's NIK, name, address, desil, priority or disability; once
 * Disnaker has accepted a referral, its employer sees the resident's name
 * and phone and nothing more.
 *
 * tests/tu_http.c appends every response an employer token receives, in
 * every test binary, to $PADAN_EMPLOYER_LOG (one JSON object per line:
 * method, path, status, body), and tests/CMakeLists.txt runs this test after
 * all the others.  It first adds its own part: as the demo employer it calls
 * every route the employer role is admitted to (api_routes_list(), so a new
 * one is covered, or fails here until it has a request), on its own and on
 * other objects, and walks a referral through its life, checking the
 * contact appears at acceptance and goes at rejection.  Then it reads the
 * whole log and fails on any of these in any body:
 *
 * Keys (in a body parsed as JSON; "owner" is the key an object or array
 * sits under, "" at the top):
 *   - never: nik, nik_flag, desil, priority_parts, priority_components,
 *     disability, birth_date, religion, marital_status, sex, age,
 *     resident, resident_id, work_status, school_status,
 *     months_without_work, dependants, verification, verified_at;
 *   - name: only for a place, employer or course — owner employer,
 *     kelurahan, kecamatan or course, or the top object or items of
 *     /v1/employers[/{id}], /v1/kelurahan and /v1/courses[/{id}], an API
 *     key's (its employer's label for it) — or in the
 *     contact of an accepted referral;
 *   - address: only an employer's (top object or items of
 *     /v1/employers[/{id}]);
 *   - phone: only in the contact of an accepted referral;
 *   - priority: only a kelurahan's priority flag (items of /v1/kelurahan),
 *     an area's policy status, not a person's;
 *   - an object with a candidate_id (a candidate, or a referral as its
 *     employer sees it) holds only candidate_id, age_band, kecamatan,
 *     education, skills, fit, explanation (a candidate) or id, status,
 *     vacancy, fit, created_at, updated_at, contact (a referral); an
 *     explanation only fit_components, matched_skills, missing_skills,
 *     commute_band;
 *   - nothing finer than the commute band that locates a home: no
 *     commute_km or commute_cost_monthly key; a commute component's value
 *     a multiple of 0.25 and its reasons without a figure other than the
 *     band's (no kilometres to a decimal, no rupiah); a referral's fit a
 *     multiple of 5.
 * A referral is accepted when its status is confirmed, interviewed, hired,
 * retained_3m, retained_6m or left (h_referrals.c: confirmed by Disnaker
 * and not ended in rejected or withdrawn); the contact of any other must be
 * null.
 *
 * Values (in the raw body, or in the JSON with accepted contacts' name and
 * phone taken out):
 *   - a run of exactly 16 digits standing alone: not after a decimal point
 *     (a fraction's) and not inside a longer word of letters and digits (a
 *     random hex id or secret: an event id, a signing secret): a NIK;
 *   - a name, address or phone of a resident of this test's server (read
 *     from its database): as a whole string value, or inside a text
 *     between word boundaries — except one-word names, which match whole
 *     string values only (a one-word name inside a text is too often some
 *     other word), and values that occur in the server's reference data
 *     (kelurahan, kecamatan, employer, course, skill names, employer
 *     addresses, vacancy titles), which cannot tell a resident apart.
 * GET /v1/openapi.json is exempt: it is public, the same bytes for every
 * caller (checked here), and describes fields with examples but holds no
 * record.
 *
 * The log must hold this test's lines and at least one candidates answer
 * with candidates in it, so the test cannot pass on an empty log.
 */
#include <check.h>
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "http.h"
#include "testutil.h"
#include "tu_http.h"

#define RESIDENTS 1500
#define MAX_ROUTES 256
#define OTHER_KELURAHAN "36.71.01.1001"
#define MAX_VIOLATIONS 40

static struct tu_server srv;
static char *tok_employer, *tok_officer, *tok_desk, *tok_admin;

static struct {
  char kel[2][16];
  char employer_code[2][32];
  int64_t employer[2];
  int64_t vacancy[2]; /* the demo employer's open one; another employer's */
  int64_t twin;       /* a second own vacancy just like vacancy[0] */
  int64_t course, batch;
  int64_t referral[2]; /* an accepted one on the own vacancy; another employer's */
  int64_t hook[2];     /* webhook endpoints of the demo employer and another */
  int64_t delivery[2]; /* a pending delivery of each */
  int serial;
} fx;

/* ---- Requests ---------------------------------------------------------------------- */

/* method path as token with body (stolen, may be NULL); expects status and
 * returns the parsed answer (caller decrefs; null for an empty body). */
static json_t *must(const char *method, const char *path, const char *token, json_t *body,
                    int status) {
  json_t *j = tu_call_json(&srv, method, path, token, body, status);
  return j != NULL ? j : json_null();
}

static int64_t id_of(json_t *j) {
  int64_t id = (int64_t)json_integer_value(json_object_get(j, "id"));
  ck_assert_int_gt(id, 0);
  json_decref(j);
  return id;
}

static const char *str(const json_t *o, const char *key) {
  return json_string_value(json_object_get(o, key));
}

/* A new verified resident of the desk's kelurahan (or another) who fits
 * the fixture's vacancies; her name and phone into name/phone when not
 * NULL (48 and 24 bytes). */
static int64_t new_resident(int own, char *name_out, char *phone_out) {
  const char *kel = fx.kel[own ? 0 : 1];
  char nik[40], name[48], phone[24], address[64], region[8], path[64];
  snprintf(region, sizeof region, "%.2s%.2s%.2s", kel, kel + 3, kel + 6);
  struct tu_resp r;
  for (;;) {
    int n = ++fx.serial;
    snprintf(nik, sizeof nik, "%s520391%04d", region, n); /* a woman born 12 March 1991 */
    snprintf(name, sizeof name, "Rahasia Pelamar %04d", n);
    snprintf(phone, sizeof phone, "0857-31%02d-%04d", n / 10000, n % 10000);
    snprintf(address, sizeof address, "Jl. Privasi Blok %c No. %d", 'A' + n % 5, n);
    json_t *b = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:[s], s:[{s:s}, {s:s}]}",
        "nik", nik, "name", name, "sex", "P", "birth_date", "1991-03-12", "kelurahan_code", kel,
        "address", address, "phone", phone, "desil", 1, "work_status", "unemployed",
        "school_status", "not_in_school", "education", "sma", "disability", "physical",
        "preferred_vocations", "office", "skills", "code", "OFC-001", "code", "OFC-002");
    tu_json_request(&srv, "POST", "/v1/residents", tok_officer, b, &r);
    if (r.status != 409) /* a seeded resident holds this NIK */
      break;
    tu_resp_free(&r);
  }
  ck_assert_msg(r.status == 201, "new resident: %d %s", r.status, r.body);
  int64_t id = id_of(tu_json(&r));
  tu_resp_free(&r);
  snprintf(path, sizeof path, "/v1/residents/%lld/verification", (long long)id);
  json_decref(must("POST", path, tok_officer, json_object(), 200));
  if (name_out != NULL)
    snprintf(name_out, 48, "%s", name);
  if (phone_out != NULL)
    snprintf(phone_out, 24, "%s", phone);
  return id;
}

static int64_t new_vacancy(const char *code, const char *kel) {
  return id_of(must("POST", "/v1/vacancies", tok_officer,
                    json_pack("{s:s, s:s, s:s, s:s, s:[s, s], s:i, s:i, s:s}", "employer", code,
                              "title", "Staf Arsip Privasi", "vocation", "office", "kelurahan", kel,
                              "nice_skills", "OFC-001", "OFC-002", "openings", 30, "wage_monthly",
                              6100000, "status", "open"),
                    201));
}

static int64_t refer(const char *token, int64_t resident, int64_t vacancy) {
  return id_of(must("POST", "/v1/referrals", token,
                    json_pack("{s:I, s:I}", "resident_id", (json_int_t)resident, "vacancy_id",
                              (json_int_t)vacancy),
                    201));
}

static void scope_value(const char *role, char *out, size_t size) {
  const char *colon = strchr(tu_demo(&srv, role, "scope"), ':');
  ck_assert_ptr_nonnull(colon);
  snprintf(out, size, "%s", colon + 1);
}

/* A new API key (key 1) or webhook endpoint (key 0) of the demo employer
 * (own 1, made by it) or another (own 0, made by the admin); its id. */
static int64_t new_hr(int key, int own) {
  char path[96];
  snprintf(path, sizeof path, "/v1/employers/%lld/%s", (long long)fx.employer[own ? 0 : 1],
           key ? "api-keys" : "webhooks");
  json_t *body =
      key ? json_pack("{s:s, s:[s]}", "name", "privasi", "scopes", "vacancies:read")
          : json_pack("{s:s, s:[s,s,s]}", "url", "https://hr-privasi.invalid/padan", "events",
                      "referral.confirmed", "referral.withdrawn", "vacancy.shortlist_changed");
  json_t *j = must("POST", path, own ? tok_employer : tok_admin, body, 201);
  int64_t id = (int64_t)json_integer_value(json_object_get(j, "id"));
  json_decref(j);
  return id;
}

static void suite_start(void) {
  tu_server_start(&srv, RESIDENTS, 43);
  tok_employer = tu_login(&srv, "employer");
  tok_officer = tu_login(&srv, "officer");
  tok_admin = tu_login(&srv, "admin");
  tok_desk = tu_login(&srv, "desk");

  scope_value("desk", fx.kel[0], sizeof fx.kel[0]);
  snprintf(fx.kel[1], sizeof fx.kel[1], "%s", OTHER_KELURAHAN);
  scope_value("employer", fx.employer_code[0], sizeof fx.employer_code[0]);
  json_t *me = must("GET", "/v1/me", tok_employer, NULL, 200);
  fx.employer[0] =
      (int64_t)json_integer_value(json_object_get(json_object_get(me, "scope"), "employer_id"));
  json_decref(me);
  json_t *list = must("GET", "/v1/employers?limit=2", tok_officer, NULL, 200);
  for (size_t i = 0; i < json_array_size(json_object_get(list, "items")); i++) {
    json_t *e = json_array_get(json_object_get(list, "items"), i);
    int64_t id = (int64_t)json_integer_value(json_object_get(e, "id"));
    if (id != fx.employer[0] && fx.employer[1] == 0) {
      fx.employer[1] = id;
      snprintf(fx.employer_code[1], sizeof fx.employer_code[1], "%s", str(e, "code"));
    }
  }
  json_decref(list);
  ck_assert_int_gt(fx.employer[1], 0);

  /* webhook endpoints first, so that the referrals below give them
   * deliveries (pending: the name never resolves) */
  for (int k = 0; k < 2; k++)
    fx.hook[k] = new_hr(0, k == 0);

  fx.vacancy[0] = new_vacancy(fx.employer_code[0], fx.kel[0]);
  fx.twin = new_vacancy(fx.employer_code[0], fx.kel[0]);
  fx.vacancy[1] = new_vacancy(fx.employer_code[1], fx.kel[1]);
  /* residents who top the own vacancies' candidates: near, skilled, willing */
  for (int i = 0; i < 6; i++)
    new_resident(1, NULL, NULL);
  fx.referral[0] = refer(tok_officer, new_resident(1, NULL, NULL), fx.vacancy[0]);
  fx.referral[1] = refer(tok_officer, new_resident(0, NULL, NULL), fx.vacancy[1]);
  list = must("GET", "/v1/courses?limit=1", tok_officer, NULL, 200);
  fx.course = (int64_t)json_integer_value(
      json_object_get(json_array_get(json_object_get(list, "items"), 0), "id"));
  json_decref(list);
  char path[64];
  snprintf(path, sizeof path, "/v1/courses/%lld/batches?limit=1", (long long)fx.course);
  list = must("GET", path, tok_officer, NULL, 200);
  fx.batch = (int64_t)json_integer_value(
      json_object_get(json_array_get(json_object_get(list, "items"), 0), "id"));
  json_decref(list);
  ck_assert(fx.course > 0 && fx.batch > 0);
  for (int k = 0; k < 2; k++) {
    snprintf(path, sizeof path, "/v1/webhooks/%lld/deliveries", (long long)fx.hook[k]);
    list = must("GET", path, tok_admin, NULL, 200);
    fx.delivery[k] = (int64_t)json_integer_value(
        json_object_get(json_array_get(json_object_get(list, "items"), 0), "id"));
    json_decref(list);
    ck_assert_int_gt(fx.delivery[k], 0);
  }
}

static void suite_stop(void) {
  free(tok_admin);
  free(tok_employer);
  free(tok_officer);
  free(tok_desk);
  tu_server_stop(&srv);
}

/* ---- Part one: everything an employer may call ------------------------------------------ */

/* One request the employer sends for a route: own or other object. */
struct ask {
  char path[256];
  json_t *body;
  const char *token;
  char *own_token; /* a login the request spends */
};

static void put_id(struct ask *a, const char *pattern, int64_t id, const char *query) {
  const char *at = strstr(pattern, "{id}");
  if (at == NULL)
    snprintf(a->path, sizeof a->path, "%s%s", pattern, query);
  else
    snprintf(a->path, sizeof a->path, "%.*s%lld%s%s", (int)(at - pattern), pattern, (long long)id,
             at + 4, query);
}

/* Fills a's path, body and token for the employer's own (own 1) or other
 * request on route rt.  Returns 1 when the other request names another
 * employer's object or scope (which must not succeed, unless the route is a
 * list, which comes back narrowed), 0 when it is just a second request
 * (objects nobody owns, such as courses), -1 when this test does not know
 * the route. */
static int employer_ask(const struct api_route *rt, int own, struct ask *a) {
  const char *m = rt->method, *p = rt->pattern;
  char q[96];
  a->token = tok_employer;
  if (strcmp(p, "/v1/auth/logout") == 0) {
    a->token = a->own_token = tu_login(&srv, "employer");
    put_id(a, p, 0, "");
    return 0;
  } else if (strcmp(p, "/v1/me") == 0 || strcmp(p, "/v1/kelurahan") == 0) {
    put_id(a, p, 0, ""); /* they take no parameter: both calls alike */
    return 0;
  } else if (strcmp(p, "/v1/courses") == 0) {
    put_id(a, p, 0, own ? "" : "?limit=5");
    return 0;
  } else if (strcmp(p, "/v1/employers") == 0) {
    snprintf(q, sizeof q, "?kelurahan=%s", fx.kel[1]);
    put_id(a, p, 0, own ? "" : q);
  } else if (strcmp(p, "/v1/employers/{id}") == 0) {
    put_id(a, p, fx.employer[own ? 0 : 1], "");
    if (strcmp(m, "PATCH") == 0)
      a->body = json_pack("{s:s}", "address", "Jl. Industri Privasi No. 9");
  } else if (strcmp(p, "/v1/vacancies") == 0 && strcmp(m, "GET") == 0) {
    snprintf(q, sizeof q, "?employer=%s", fx.employer_code[1]);
    put_id(a, p, 0, own ? "" : q);
  } else if (strcmp(p, "/v1/vacancies") == 0) {
    put_id(a, p, 0, "");
    a->body = json_pack("{s:s, s:s, s:i, s:i}", "title", "Pramuniaga Privasi", "vocation", "retail",
                        "openings", 1, "wage_monthly", 5400000);
    if (!own)
      json_object_set_new(a->body, "employer", json_string(fx.employer_code[1]));
  } else if (strcmp(p, "/v1/vacancies/{id}") == 0) {
    put_id(a, p, fx.vacancy[own ? 0 : 1], "");
    if (strcmp(m, "PATCH") == 0)
      a->body = json_pack("{s:s}", "title", "Staf Arsip Privasi");
  } else if (strcmp(p, "/v1/vacancies/{id}/candidates") == 0) {
    put_id(a, p, fx.vacancy[own ? 0 : 1], "?limit=100");
  } else if (strcmp(p, "/v1/courses/{id}") == 0 || strcmp(p, "/v1/courses/{id}/batches") == 0) {
    put_id(a, p, fx.course, "");
    return 0;
  } else if (strcmp(p, "/v1/batches/{id}") == 0) {
    put_id(a, p, fx.batch, "");
    return 0;
  } else if (strcmp(p, "/v1/referrals") == 0) {
    snprintf(q, sizeof q, "?vacancy_id=%lld", (long long)fx.vacancy[1]);
    put_id(a, p, 0, own ? "" : q);
  } else if (strcmp(p, "/v1/referrals/{id}") == 0) {
    put_id(a, p, fx.referral[own ? 0 : 1], "");
    if (strcmp(m, "PATCH") == 0) /* the accepted one moves on; the other is not its own */
      a->body = json_pack("{s:s}", "status", "interviewed");
  } else if (strcmp(p, "/v1/employers/{id}/api-keys") == 0) {
    put_id(a, p, fx.employer[own ? 0 : 1], "");
    if (strcmp(m, "POST") == 0)
      a->body = json_pack("{s:s, s:[s]}", "name", "privasi", "scopes", "vacancies:read");
  } else if (strcmp(p, "/v1/employers/{id}/webhooks") == 0) {
    put_id(a, p, fx.employer[own ? 0 : 1], "");
    if (strcmp(m, "POST") == 0)
      a->body = json_pack("{s:s, s:[s]}", "url", "https://hr-privasi.invalid/x", "events",
                          "vacancy.closing");
  } else if (strncmp(p, "/v1/api-keys/{id}", 17) == 0) {
    put_id(a, p, new_hr(1, own), ""); /* a fresh key: revoking or rotating spends it */
  } else if (strcmp(p, "/v1/webhooks/{id}") == 0 && strcmp(m, "DELETE") == 0) {
    put_id(a, p, new_hr(0, own), "");
  } else if (strncmp(p, "/v1/webhooks/{id}", 17) == 0) {
    put_id(a, p, fx.hook[own ? 0 : 1], "");
  } else if (strcmp(p, "/v1/webhook-deliveries/{id}/replay") == 0) {
    put_id(a, p, fx.delivery[own ? 0 : 1], "");
  } else if (strncmp(p, "/v1/reports/", 12) == 0 && strcmp(m, "GET") == 0) {
    put_id(a, p, 0, own ? "" : "?format=csv");
  } else {
    return -1;
  }
  return 1;
}

/* What the employer must get for its own request (its other one must not
 * succeed, except for lists, which only come back narrowed). */
static int own_status(const struct api_route *rt) {
  if (strcmp(rt->method, "POST") == 0 && strcmp(rt->pattern, "/v1/auth/logout") == 0)
    return 204;
  if (strcmp(rt->method, "DELETE") == 0 && strcmp(rt->pattern, "/v1/webhooks/{id}") == 0)
    return 204;
  if (strcmp(rt->pattern, "/v1/webhook-deliveries/{id}/replay") == 0) /* pending: not dead */
    return 409;
  if (strcmp(rt->method, "POST") == 0)
    return 201;
  if (strcmp(rt->pattern, "/v1/reports/targeting") == 0) /* shows poverty status */
    return 403;
  return 200;
}

static int is_list(const struct api_route *rt) {
  return strstr(rt->pattern, "{id}") == NULL && strcmp(rt->method, "GET") == 0;
}

START_TEST(employer_calls_every_route_it_is_admitted_to) {
  const struct api_route *routes[MAX_ROUTES];
  size_t n = api_routes_list(routes, MAX_ROUTES), called = 0;
  ck_assert_uint_le(n, MAX_ROUTES);
  for (size_t i = 0; i < n; i++) {
    if ((routes[i]->roles & AUTH_EMPLOYER) == 0)
      continue;
    for (int own = 1; own >= 0; own--) {
      struct ask a = {0};
      int owned = employer_ask(routes[i], own, &a);
      ck_assert_msg(owned >= 0, "%s %s admits employers: add its requests to %s", routes[i]->method,
                    routes[i]->pattern, __FILE__);
      struct tu_resp r;
      tu_json_request(&srv, routes[i]->method, a.path, a.token, a.body, &r);
      if (own || !owned)
        ck_assert_msg(r.status == own_status(routes[i]), "%s %s: %d %s", routes[i]->method, a.path,
                      r.status, r.body);
      else if (!is_list(routes[i]))
        ck_assert_msg(r.status == 400 || r.status == 403 || r.status == 404,
                      "%s %s (another's): %d %s", routes[i]->method, a.path, r.status, r.body);
      tu_resp_free(&r);
      free(a.own_token);
      called++;
    }
  }
  ck_assert_uint_ge(called, 2 * 15);

  /* public routes too, and the OpenAPI document is the same for everyone */
  struct tu_resp a, b;
  tu_request(&srv, "GET", "/v1/openapi.json", tok_employer, NULL, NULL, 0, &a);
  tu_request(&srv, "GET", "/v1/openapi.json", NULL, NULL, NULL, 0, &b);
  ck_assert_int_eq(a.status, 200);
  ck_assert(a.body_len == b.body_len && memcmp(a.body, b.body, a.body_len) == 0);
  tu_resp_free(&a);
  tu_resp_free(&b);
  tu_request(&srv, "GET", "/metrics", tok_employer, NULL, NULL, 0, &a);
  ck_assert_int_eq(a.status, 200);
  tu_resp_free(&a);
  tu_request(&srv, "GET", "/healthz", tok_employer, NULL, NULL, 0, &a);
  ck_assert_int_eq(a.status, 200);
  tu_resp_free(&a);
}
END_TEST

static int by_text(const void *a, const void *b) {
  return strcmp(a, b);
}

/* The candidate ids of vacancy (as the employer), sorted into ids; how many. */
static size_t candidate_ids(int64_t vacancy, char ids[][32], size_t max) {
  char path[96];
  snprintf(path, sizeof path, "/v1/vacancies/%lld/candidates?limit=100", (long long)vacancy);
  json_t *j = must("GET", path, tok_employer, NULL, 200);
  ck_assert_str_eq(str(j, "order"), "fit");
  json_t *items = json_object_get(j, "items");
  size_t n = json_array_size(items);
  ck_assert_uint_le(n, max);
  for (size_t i = 0; i < n; i++) {
    const char *id = str(json_array_get(items, i), "candidate_id");
    ck_assert_ptr_nonnull(id);
    snprintf(ids[i], 32, "%s", id);
  }
  json_decref(j);
  qsort(ids, n, 32, by_text);
  return n;
}

START_TEST(candidate_ids_are_stable_per_vacancy_and_differ_across_vacancies) {
  static char a[100][32], again[100][32], twin[100][32];
  size_t n = candidate_ids(fx.vacancy[0], a, 100);
  ck_assert_uint_ge(n, 6); /* at least the six residents made to fit it */
  ck_assert_uint_eq(candidate_ids(fx.vacancy[0], again, 100), n);
  for (size_t i = 0; i < n; i++)
    ck_assert_str_eq(a[i], again[i]);
  /* the twin vacancy ranks the same people, under other names */
  ck_assert_uint_eq(candidate_ids(fx.twin, twin, 100), n);
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < n; k++)
      ck_assert_str_ne(a[i], twin[k]);
}
END_TEST

/* Checks the employer's view of referral id: its status, and a contact
 * that is null (name NULL) or exactly {name, phone} with these values. */
static void employer_sees(int64_t id, const char *status, const char *name, const char *phone) {
  char path[64];
  snprintf(path, sizeof path, "/v1/referrals/%lld", (long long)id);
  json_t *j = must("GET", path, tok_employer, NULL, 200);
  ck_assert_str_eq(str(j, "status"), status);
  ck_assert_ptr_nonnull(str(j, "candidate_id"));
  json_t *contact = json_object_get(j, "contact");
  if (name == NULL) {
    ck_assert_msg(json_is_null(contact), "%s referral shows a contact", status);
  } else {
    ck_assert_uint_eq(json_object_size(contact), 2);
    ck_assert_str_eq(str(contact, "name"), name);
    ck_assert_str_eq(str(contact, "phone"), phone);
  }
  json_decref(j);
}

START_TEST(referral_shows_name_and_phone_only_while_accepted) {
  char name[48], phone[24], path[64];
  int64_t resident = new_resident(1, name, phone);
  /* a desk's referral waits for Disnaker: proposed, no contact */
  int64_t id = refer(tok_desk, resident, fx.vacancy[0]);
  employer_sees(id, "proposed", NULL, NULL);
  snprintf(path, sizeof path, "/v1/referrals?vacancy_id=%lld", (long long)fx.vacancy[0]);
  json_decref(must("GET", path, tok_employer, NULL, 200));
  /* the employer may not accept it itself */
  snprintf(path, sizeof path, "/v1/referrals/%lld", (long long)id);
  json_decref(must("PATCH", path, tok_employer, json_pack("{s:s}", "status", "confirmed"), 403));
  employer_sees(id, "proposed", NULL, NULL);
  /* accepted by an officer: name and phone */
  json_decref(must("PATCH", path, tok_officer, json_pack("{s:s}", "status", "confirmed"), 200));
  employer_sees(id, "confirmed", name, phone);
  json_t *moved =
      must("PATCH", path, tok_employer, json_pack("{s:s}", "status", "interviewed"), 200);
  ck_assert_str_eq(str(json_object_get(moved, "contact"), "name"), name);
  json_decref(moved);
  employer_sees(id, "interviewed", name, phone);
  json_decref(must("GET", "/v1/referrals", tok_employer, NULL, 200));
  /* rejected: the contact goes again */
  json_decref(must("PATCH", path, tok_employer, json_pack("{s:s}", "status", "rejected"), 200));
  employer_sees(id, "rejected", NULL, NULL);
  json_decref(must("GET", "/v1/referrals", tok_employer, NULL, 200));
}
END_TEST

/* ---- Part two: the whole suite's log ------------------------------------------------------ */

/* One logged response. */
struct logged {
  const char *method, *path;
  char route[256]; /* the path without its query, numbers as {id} */
  int status;
  size_t lineno;
};

static char findings[MAX_VIOLATIONS][600];
static int n_findings;

static void finding(const struct logged *l, const char *fmt, const char *a, const char *b) {
  if (n_findings < MAX_VIOLATIONS) {
    char what[400];
    /* long paths are cut, visibly: a finding only has to say where to look */
    if (snprintf(what, sizeof what, fmt, a, b) >= (int)sizeof what)
      memcpy(what + sizeof what - 4, "...", 4);
    if (snprintf(findings[n_findings], sizeof findings[0], "line %zu, %s %s (%d): %s", l->lineno,
                 l->method, l->path, l->status, what) >= (int)sizeof findings[0])
      memcpy(findings[n_findings] + sizeof findings[0] - 4, "...", 4);
  }
  n_findings++;
}

static void route_of(const char *path, char *out, size_t size) {
  size_t o = 0, n = strcspn(path, "?");
  for (size_t i = 0; i < n && o + 5 < size;) {
    size_t seg = strcspn(path + i, "/?");
    if (seg > n - i)
      seg = n - i;
    int number = seg > 0 && strspn(path + i, "0123456789") == seg;
    if (number) {
      memcpy(out + o, "{id}", 4);
      o += 4;
    } else {
      for (size_t k = 0; k < seg && o + 2 < size; k++)
        out[o++] = path[i + k];
    }
    i += seg;
    if (i < n && o + 2 < size)
      out[o++] = path[i++]; /* the '/' */
  }
  out[o] = '\0';
}

static int in(const char *const *list, const char *s) {
  for (size_t i = 0; s != NULL && list[i] != NULL; i++)
    if (strcmp(list[i], s) == 0)
      return 1;
  return 0;
}

static const char *const never_keys[] = {
    "nik",        "nik_flag",     "desil",       "priority_parts",      "priority_components",
    "disability", "birth_date",   "religion",    "marital_status",      "sex",
    "age",        "resident",     "resident_id", "work_status",         "school_status",
    "dependants", "verification", "verified_at", "months_without_work", NULL};
static const char *const pseudonymous_keys[] = {
    "candidate_id", "age_band", "kecamatan", "education",  "skills",     "fit",     "explanation",
    "id",           "status",   "vacancy",   "created_at", "updated_at", "contact", NULL};
static const char *const explanation_keys[] = {"fit_components", "matched_skills", "missing_skills",
                                               "commute_band", NULL};
static const char *const accepted_statuses[] = {
    "confirmed", "interviewed", "hired", "retained_3m", "retained_6m", "left", NULL};
static const char *const name_owners[] = {"employer", "kelurahan", "kecamatan", "course", NULL};
/* the catalogues of places, employers and courses, and the employer's own
 * API keys (a key's name is the employer's label for it) */
static const char *const named_catalogues[] = {
    "/v1/employers",     "/v1/employers/{id}",       "/v1/kelurahan",
    "/v1/courses",       "/v1/courses/{id}",         "/v1/employers/{id}/api-keys",
    "/v1/api-keys/{id}", "/v1/api-keys/{id}/rotate", NULL};
static const char *const employer_records[] = {"/v1/employers", "/v1/employers/{id}", NULL};

static int accepted_referral(const json_t *o) {
  return json_is_object(o) && json_object_get(o, "candidate_id") != NULL &&
         in(accepted_statuses, str(o, "status"));
}

/* The top object, or an item of the list, of one of routes. */
static int record_of(const struct logged *l, const char *owner, const char *const *routes) {
  return (owner[0] == '\0' || strcmp(owner, "items") == 0) && in(routes, l->route);
}

static int key_allowed(const struct logged *l, const char *key, const char *owner,
                       const json_t *holder) {
  int in_contact = strcmp(owner, "contact") == 0 && accepted_referral(holder);
  if (in(never_keys, key))
    return 0;
  if (strcmp(key, "name") == 0)
    return in(name_owners, owner) || record_of(l, owner, named_catalogues) || in_contact;
  if (strcmp(key, "address") == 0)
    return record_of(l, owner, employer_records);
  if (strcmp(key, "phone") == 0)
    return in_contact;
  if (strcmp(key, "priority") == 0)
    return strcmp(l->route, "/v1/kelurahan") == 0 && strcmp(owner, "items") == 0;
  return 1;
}

/* 1 when x is a whole multiple of unit (to rounding). */
static int multiple_of(double x, double unit) {
  double q = x / unit;
  return fabs(q - round(q)) < 1e-6;
}

/* A commute reason may hold no figure but a band's: "2", "5", "10" in
 * "under 2 km", "2–5 km", "5–10 km", "over 10 km". */
static int commute_text_coarse(const char *t) {
  if (t == NULL || strstr(t, "Rp") != NULL)
    return t == NULL;
  for (const char *p = t; *p != '\0';) {
    if (!isdigit((unsigned char)*p)) {
      p++;
      continue;
    }
    char *end;
    long n = strtol(p, &end, 10);
    if ((n != 2 && n != 5 && n != 10) || *end == '.' || *end == ',')
      return 0;
    p = end;
  }
  return 1;
}

/* The commute as an employer sees it: a band, nothing finer. */
static void check_commute(const struct logged *l, const json_t *v, const char *at) {
  const char *component = str(v, "component");
  if (component != NULL && strcmp(component, "commute") == 0) {
    if (!multiple_of(json_number_value(json_object_get(v, "value")), 0.25))
      finding(l, "a commute value finer than a quarter (at %s)%s", at, "");
    if (!commute_text_coarse(str(v, "reason_id")) || !commute_text_coarse(str(v, "reason_en")))
      finding(l, "a commute figure finer than the band (at %s): %s", at,
              str(v, "reason_en") != NULL ? str(v, "reason_en") : "-");
  }
  if (json_object_get(v, "candidate_id") != NULL && json_object_get(v, "status") != NULL &&
      json_is_number(json_object_get(v, "fit")) &&
      !multiple_of(json_number_value(json_object_get(v, "fit")), 5.0))
    finding(l, "a referral's fit finer than 5 (at %s)%s", at, "");
}

/* Checks the keys of v, which sits under owner in holder, at JSON path at. */
static void walk_keys(const struct logged *l, const json_t *v, const char *owner,
                      const json_t *holder, const char *at) {
  char sub[512];
  if (json_is_array(v)) {
    size_t i;
    const json_t *el;
    json_array_foreach(v, i, el) {
      snprintf(sub, sizeof sub, "%s[%zu]", at, i);
      walk_keys(l, el, owner, holder, sub);
    }
    return;
  }
  if (!json_is_object(v))
    return;
  int pseudonymous = json_object_get(v, "candidate_id") != NULL;
  check_commute(l, v, at);
  if (strcmp(owner, "contact") == 0 && !accepted_referral(holder))
    finding(l, "a contact at %s in a referral that is %s", at,
            str(holder, "status") ? str(holder, "status") : "not a referral");
  const char *key;
  const json_t *child;
  json_object_foreach((json_t *)v, key, child) {
    if (snprintf(sub, sizeof sub, "%s.%s", at, key) >= (int)sizeof sub)
      memcpy(sub + sizeof sub - 4, "...", 4);
    if (!key_allowed(l, key, owner, holder))
      finding(l, "key %s (at %s)", key, sub);
    else if (pseudonymous && !in(pseudonymous_keys, key))
      finding(l, "key %s in a pseudonymous object (at %s)", key, sub);
    else if (strcmp(owner, "explanation") == 0 && !in(explanation_keys, key))
      finding(l, "key %s in an employer's explanation (at %s)", key, sub);
    walk_keys(l, child, key, v, sub);
  }
}

/* Takes the allowed contacts' name and phone out of v (in place); how many
 * accepted contacts there were. */
static int scrub(json_t *v) {
  int n = 0;
  if (json_is_array(v)) {
    size_t i;
    json_t *el;
    json_array_foreach(v, i, el) n += scrub(el);
  } else if (json_is_object(v)) {
    json_t *contact = json_object_get(v, "contact");
    if (accepted_referral(v) && json_is_object(contact)) {
      json_object_del(contact, "name");
      json_object_del(contact, "phone");
      n++;
    }
    const char *key;
    json_t *child;
    json_object_foreach(v, key, child) n += scrub(child);
  }
  return n;
}

/* ---- Residents' values ---- */

struct needle {
  char *text;
  size_t len;
  int whole_only; /* matches a whole string value only */
  const char *what;
};

static struct {
  struct needle *slot;
  size_t cap, n, max_len;
} hay;

static uint64_t fnv(const char *s, size_t len) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < len; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  return h;
}

static void needle_add(const char *text, int whole_only, const char *what) {
  size_t len = strlen(text);
  size_t i = (size_t)fnv(text, len) & (hay.cap - 1);
  for (; hay.slot[i].text != NULL; i = (i + 1) & (hay.cap - 1))
    if (hay.slot[i].len == len && memcmp(hay.slot[i].text, text, len) == 0) {
      hay.slot[i].whole_only &= whole_only;
      return;
    }
  hay.slot[i] = (struct needle){strdup(text), len, whole_only, what};
  ck_assert_ptr_nonnull(hay.slot[i].text);
  hay.n++;
  if (len > hay.max_len)
    hay.max_len = len;
}

static const struct needle *needle_find(const char *s, size_t len) {
  for (size_t i = (size_t)fnv(s, len) & (hay.cap - 1); hay.slot[i].text != NULL;
       i = (i + 1) & (hay.cap - 1))
    if (hay.slot[i].len == len && memcmp(hay.slot[i].text, s, len) == 0)
      return &hay.slot[i];
  return NULL;
}

static int is_word(unsigned char c) {
  return isalnum(c) || c >= 0x80;
}

/* Every resident value in text s[0..len) between word boundaries. */
static void scan_text(const struct logged *l, const char *s, size_t len) {
  for (size_t i = 0; i < len; i++) {
    if (!is_word((unsigned char)s[i]) || (i > 0 && is_word((unsigned char)s[i - 1])))
      continue;
    for (size_t j = i + 1; j <= len && j - i <= hay.max_len; j++) {
      if (!is_word((unsigned char)s[j - 1]) || (j < len && is_word((unsigned char)s[j])))
        continue;
      const struct needle *hit = needle_find(s + i, j - i);
      if (hit != NULL && (!hit->whole_only || (i == 0 && j == len)))
        finding(l, "a resident's %s (%s)", hit->what, hit->text);
    }
  }
}

static void scan_strings(const struct logged *l, const json_t *v) {
  if (json_is_string(v)) {
    scan_text(l, json_string_value(v), json_string_length(v));
  } else if (json_is_array(v) || json_is_object(v)) {
    size_t i;
    const char *key;
    const json_t *child;
    if (json_is_array(v))
      json_array_foreach(v, i, child) scan_strings(l, child);
    else
      json_object_foreach((json_t *)v, key, child) scan_strings(l, child);
  }
}

/* A run of exactly 16 digits standing alone: a NIK. Random hex tokens (32
 * hex digits of an event id, 64 of a signing secret) hold a run of 16
 * decimal digits now and then; such a run has a letter beside it. */
static void scan_niks(const struct logged *l, const char *s, size_t len) {
  for (size_t i = 0; i < len;) {
    if (!isdigit((unsigned char)s[i])) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < len && isdigit((unsigned char)s[j]))
      j++;
    int alone = (i == 0 || (s[i - 1] != '.' && !isalpha((unsigned char)s[i - 1]))) &&
                (j == len || !isalpha((unsigned char)s[j]));
    if (j - i == 16 && alone) {
      char masked[24];
      snprintf(masked, sizeof masked, "%.6s...", s + i);
      finding(l, "a 16-digit number %s%s", masked, "");
    }
    i = j;
  }
}

static int is_reference(char **refs, size_t n_refs, const char *v) {
  for (size_t i = 0; i < n_refs; i++)
    if (strstr(refs[i], v) != NULL)
      return 1;
  return 0;
}

/* The server's residents' names, addresses and phones as needles. */
static void load_residents(void) {
  char path[600];
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  snprintf(path, sizeof path, "%s/padan.db", srv.dir);
  ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);

  size_t n_refs = 0, cap_refs = 4096;
  char **refs = calloc(cap_refs, sizeof *refs);
  ck_assert_ptr_nonnull(refs);
  ck_assert_int_eq(
      sqlite3_prepare_v2(db,
                         "SELECT name FROM kelurahan UNION SELECT name FROM kecamatan "
                         "UNION SELECT name FROM employers UNION SELECT address FROM employers "
                         "UNION SELECT name FROM courses UNION SELECT name_id FROM skills "
                         "UNION SELECT name_en FROM skills UNION SELECT title FROM vacancies",
                         -1, &st, NULL),
      SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *t = (const char *)sqlite3_column_text(st, 0);
    if (t == NULL)
      continue;
    ck_assert_uint_lt(n_refs, cap_refs);
    refs[n_refs] = strdup(t);
    ck_assert_ptr_nonnull(refs[n_refs++]);
  }
  sqlite3_finalize(st);

  size_t residents = 0;
  ck_assert_int_eq(
      sqlite3_prepare_v2(db, "SELECT name, address, phone FROM residents", -1, &st, NULL),
      SQLITE_OK);
  hay.cap = 1u << 15;
  hay.slot = calloc(hay.cap, sizeof *hay.slot);
  ck_assert_ptr_nonnull(hay.slot);
  static const char *const what[] = {"name", "address", "phone"};
  while (sqlite3_step(st) == SQLITE_ROW) {
    residents++;
    for (int c = 0; c < 3; c++) {
      const char *v = (const char *)sqlite3_column_text(st, c);
      if (v == NULL || strlen(v) < 3 || is_reference(refs, n_refs, v))
        continue;
      ck_assert_uint_lt(hay.n, hay.cap / 2);
      needle_add(v, c == 0 && strchr(v, ' ') == NULL, what[c]);
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  for (size_t i = 0; i < n_refs; i++)
    free(refs[i]);
  free(refs);
  ck_assert_uint_ge(residents, RESIDENTS);
  ck_assert_uint_ge(hay.n, RESIDENTS); /* the names alone */
}

static void free_residents(void) {
  for (size_t i = 0; i < hay.cap; i++)
    free(hay.slot[i].text);
  free(hay.slot);
  memset(&hay, 0, sizeof hay);
}

/* The NIK rule itself: a NIK in a JSON string, a CSV field or a text is
 * found; a fraction's digits and a run inside a random hex id are not. The
 * findings it makes here are taken back, so the log scan below starts from
 * none. */
START_TEST(nik_scan_finds_a_nik_and_not_a_hex_id) {
  static const struct {
    const char *text;
    int niks;
  } cases[] = {
      {"{\"nik\":\"3671012345678901\"}", 1},
      {"id,nik\n7,3671012345678901\n", 1},
      {"NIK 3671012345678901 tercatat", 1},
      {"{\"score\":0.3671012345678901}", 0},
      {"{\"event_id\":\"a3671012345678901b00c0ffee0000000\"}", 0},
      {"{\"event_id\":\"3671012345678901abcdef0123456789\"}", 0},
      {"{\"n\":36710123456789012}", 0},
  };
  struct logged l = {.method = "GET", .path = "/self-test", .status = 200};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int before = n_findings;
    scan_niks(&l, cases[i].text, strlen(cases[i].text));
    ck_assert_msg(n_findings - before == cases[i].niks, "%s: %d NIKs found, %d expected",
                  cases[i].text, n_findings - before, cases[i].niks);
    n_findings = before;
  }
}
END_TEST

START_TEST(no_employer_was_ever_shown_a_residents_personal_data) {
  const char *file = getenv("PADAN_EMPLOYER_LOG");
  ck_assert_msg(file != NULL && *file != '\0', "PADAN_EMPLOYER_LOG is not set");
  FILE *f = fopen(file, "r");
  ck_assert_msg(f != NULL, "cannot read %s", file);
  load_residents();

  char *line = NULL;
  size_t cap = 0, lines = 0, candidates = 0, contacts = 0, checked = 0;
  ssize_t got;
  while ((got = getline(&line, &cap, f)) > 0) {
    json_error_t e;
    json_t *entry = json_loadb(line, (size_t)got, JSON_REJECT_DUPLICATES, &e);
    ck_assert_msg(json_is_object(entry), "log line %zu is not a JSON object: %s", lines + 1,
                  e.text);
    struct logged l = {.method = str(entry, "method"),
                       .path = str(entry, "path"),
                       .status = (int)json_integer_value(json_object_get(entry, "status")),
                       .lineno = ++lines};
    const json_t *raw = json_object_get(entry, "body");
    ck_assert(l.method != NULL && l.path != NULL && json_is_string(raw));
    route_of(l.path, l.route, sizeof l.route);
    if (strcmp(l.route, "/v1/openapi.json") == 0) {
      json_decref(entry);
      continue;
    }
    checked++;
    const char *text = json_string_value(raw);
    size_t len = json_string_length(raw);
    scan_niks(&l, text, len);
    json_t *body = json_loadb(text, len, 0, NULL);
    if (body == NULL) { /* CSV, metrics, an empty answer */
      scan_text(&l, text, len);
    } else {
      walk_keys(&l, body, "", NULL, "$");
      contacts += (size_t)scrub(body);
      scan_strings(&l, body);
      if (l.status == 200 && strcmp(l.route, "/v1/vacancies/{id}/candidates") == 0 &&
          json_array_size(json_object_get(body, "items")) > 0)
        candidates++;
    }
    json_decref(body);
    json_decref(entry);
  }
  free(line);
  fclose(f);
  free_residents();

  for (int i = 0; i < n_findings && i < MAX_VIOLATIONS; i++)
    fprintf(stderr, "employer privacy: %s\n", findings[i]);
  fprintf(stderr,
          "employer privacy: %zu responses checked (%zu candidates answers, %zu accepted "
          "contacts), %d findings\n",
          checked, candidates, contacts, n_findings);
  ck_assert_msg(n_findings == 0, "%d things employers must not see (listed above)", n_findings);
  ck_assert_msg(checked > 0, "the employer log %s is empty", file);
  ck_assert_msg(candidates > 0, "the employer log holds no candidates answer with candidates");
  ck_assert_msg(contacts > 0, "the employer log holds no accepted referral's contact");
}
END_TEST

static Suite *privacy_suite(void) {
  Suite *s = suite_create("employer_privacy");
  TCase *tc = tcase_create("privacy");
  tcase_add_unchecked_fixture(tc, suite_start, suite_stop);
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, nik_scan_finds_a_nik_and_not_a_hex_id);
  tcase_add_test(tc, employer_calls_every_route_it_is_admitted_to);
  tcase_add_test(tc, candidate_ids_are_stable_per_vacancy_and_differ_across_vacancies);
  tcase_add_test(tc, referral_shows_name_and_phone_only_while_accepted);
  tcase_add_test(tc, no_employer_was_ever_shown_a_residents_personal_data);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  return tu_run_suite(privacy_suite());
}
