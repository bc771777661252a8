/*
 * request.h — the bottom of http/: the route row and the request a handler
 * receives (see http.h for the contract around them).  json_io.c,
 * listing.c and metrics.c need only this, not the dispatcher, so the
 * include graph of http/ has no cycle (scripts/check layers).
 */
#ifndef PADAN_REQUEST_H
#define PADAN_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <microhttpd.h>

#include "auth.h"

struct api_field;
struct store;
struct api_metrics;

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
  /* 1: the handler reads the engine's snapshot; until the first one is
   * loaded the dispatcher answers 503 engine-not-ready with Retry-After
   * (app.h: api_engine_ready) and the handler is not called. */
  int engine;
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
  struct api_auditq *auditq;   /* the audit writer (auditq.h); NULL: write on db */
  char ip[48];                 /* client address, for throttling and audit */
  int64_t now;                 /* Unix seconds at arrival */
  /* Slow work (api_defer): the handler's arg, and 1 when the handler runs
   * again after the work is done. */
  void *deferred;
  int resumed;
  /* 1 once the handler's write has committed (api_reply_written sets it):
   * an answer that cannot be encoded then keeps its 2xx (json_io.h). */
  int committed;
  /* Reply state, written by the json_io.h helpers only. */
  unsigned status;
  struct api_header hdr[API_MAX_EXTRA_HEADERS];
  size_t n_hdr;
};

/* A query parameter's value, or NULL. */
const char *api_query(struct api_req *r, const char *name);

/* Hands slow work (a password check) to the server's bounded pool
 * (pool.h) with the request suspended, so that no HTTP worker thread
 * waits on it.  arg (malloc'd) is owned by the request from here on:
 * arg_free(arg) runs when the request completes, whatever happened.  0:
 * the handler returns MHD_YES without replying; once work(arg, db) has run
 * on a pool thread the handler is called again with r->resumed set and
 * r->deferred == arg, and replies then.  -1: the pool is full (arg is
 * freed); the handler answers 503 with Retry-After. */
int api_defer(struct api_req *r, void (*work)(void *arg, struct store *db), void *arg,
              void (*arg_free)(void *arg));

#endif
