/*
 * http.h — the contract between the dispatcher (http.c) and the handlers
 * (h_<resource>.c): the route row, the request context a handler receives,
 * and the handlers the route table names.
 *
 * A route is one row of a resource's table: method, path pattern, handler,
 * the roles admitted, the body's input spec and the query parameters it
 * accepts.  Before a handler runs, the dispatcher has answered on its
 * behalf every request that does not reach it: unknown path (404), wrong
 * method (405 with Allow), missing or bad token (401), role not admitted
 * (403), oversized body (413), a query parameter the route does not accept
 * or repeats (400), body that is not JSON, not application/json or not
 * within its spec (400, 415).  The handler then sees an authenticated
 * principal, the numeric path ids, a validated body and only the query
 * parameters its route names; it checks the object's scope (answering 404
 * exactly as for a missing object), calls the store or the engine, and
 * replies once through json_io.h.  Adding an endpoint is one handler here
 * and one row in the table.
 */
#ifndef PADAN_HTTP_H
#define PADAN_HTTP_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <jansson.h>
#include <microhttpd.h>

#include "auth.h"
#include "errors.h"
#include "json_io.h"
#include "store.h"

/* roles value of a route anyone may call without a token. */
#define API_PUBLIC 0u
/* At most this many {id} segments in a pattern. */
#define API_MAX_PATH_IDS 4
#define API_MAX_EXTRA_HEADERS 4
/* A {code} segment (a kelurahan code) holds at most this many bytes. */
#define API_PATH_CODE_MAX 23

struct api_req;
struct api_app;

struct api_route {
  const char *method; /* "GET", "POST", "PATCH", ...; HEAD is served by GET */
  /* "/v1/residents/{id}": a {name} segment is a positive int64, except
   * {code}: a reference-data code (digits, letters, '.', '-') */
  const char *pattern;
  enum MHD_Result (*handler)(struct api_req *r);
  unsigned roles;               /* enum auth_role bits admitted, or API_PUBLIC */
  const struct api_field *body; /* input spec; NULL: the body must be empty or {} */
  /* The query parameters the route accepts, NULL-terminated (list routes
   * name "limit" and "cursor" too); NULL: none.  The dispatcher answers any
   * other parameter, or a repeated one, with a 400 naming it. */
  const char *const *query;
  /* A raw upload instead of JSON: its media type ("text/csv") and size cap.
   * The handler reads r->raw / r->raw_len. */
  const char *raw_type;
  size_t max_body; /* 0: the server's cap */
};

struct api_header {
  const char *name; /* a string literal */
  char value[128];
};

/* One request, as a handler sees it.  Everything in it is owned by the
 * dispatcher and lives until the request completes. */
struct api_req {
  struct MHD_Connection *conn;
  const struct api_route *route;
  const char *method, *path;    /* path has no query string */
  int64_t id[API_MAX_PATH_IDS]; /* the {..} segments, left to right */
  size_t n_id;
  char code[API_PATH_CODE_MAX + 1]; /* the {code} segment, "" when none */
  struct auth_principal who;        /* the caller, unless route->roles is API_PUBLIC */
  json_t *body;                     /* the validated body object, or NULL */
  const char *raw;                  /* a raw upload's bytes (route->raw_type), else NULL */
  size_t raw_len;
  struct store *db; /* this worker thread's database connection */
  struct auth *auth;
  struct api_app *app;         /* engine snapshot and configuration (app.h) */
  struct api_metrics *metrics; /* counters for GET /metrics (metrics.h) */
  char ip[48];                 /* client address, for throttling and audit */
  int64_t now;                 /* Unix seconds at arrival */
  /* Reply state, written by the json_io.h helpers only. */
  unsigned status;
  struct api_header hdr[API_MAX_EXTRA_HEADERS];
  size_t n_hdr;
};

/* A query parameter's value, or NULL. */
const char *api_query(struct api_req *r, const char *name);

/* ---- Shared between handlers ------------------------------------------------
 * The explanation object of the candidates and recommendations routes
 * (h_matching.c), full view (fit and priority components), for each of xs
 * (a NULL entry gives null): a new array of n items, NULL when out of
 * memory or the store fails.  The review of a run's proposals prints the
 * same object (h_proposals.c). */
struct mt_explanation;
json_t *api_explanations_json(struct store *s, const struct mt_explanation *const *xs, size_t n);

/* A referral as an employer sees it (h_referrals.c): pseudonymous until
 * the resident accepted; r needs auth and an employer principal.  The
 * webhook bodies reuse it (h_webhooks.c).  A new object, NULL on failure. */
struct store_referral;
json_t *api_referral_employer_json(struct api_req *r, const struct store_referral *f);

/* The JSON body of a webhook delivery's event (h_webhooks.c): the
 * render function of webhooks.h, arg the server's struct auth. */
struct store_delivery;
char *api_webhook_body(void *arg, struct store *s, const struct store_delivery *d);

/* ---- Route tables -----------------------------------------------------------
 * Each resource file h_<resource>.c defines its table, ending with a row
 * whose method is NULL; routes.c lists the tables in dispatch order. */
extern const struct api_route *const api_route_tables[];

/* Copies pointers to every route (at most max) into out; returns how many
 * routes there are.  For the OpenAPI check. */
size_t api_routes_list(const struct api_route **out, size_t max);

/* The OpenAPI document merged from api/openapi/ (h_meta.c); a new
 * reference, NULL if a fragment does not parse. */
json_t *api_openapi_document(void);

#endif
