/*
 * http.h — the contract between the dispatcher (http.c) and the handlers
 * (h_<resource>.c): the route row and the request context a handler
 * receives (request.h), the route tables (routes.h) and the reply helpers
 * (json_io.h), in one include for a handler.
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
#include "request.h"
#include "routes.h"
#include "store.h"

/* A referral as an employer sees it (h_referrals.c): pseudonymous until
 * the resident accepted; r needs auth and an employer principal.  The
 * webhook bodies reuse it (h_webhooks.c).  A new object, NULL on failure. */
struct store_referral;
json_t *api_referral_employer_json(struct api_req *r, const struct store_referral *f);

/* The JSON body of a webhook delivery's event (h_webhooks.c): the
 * render function of webhooks.h, arg the server's struct auth. */
struct store_delivery;
char *api_webhook_body(void *arg, struct store *s, const struct store_delivery *d, int *gone);

/* The OpenAPI document merged from api/openapi/ (h_meta.c); a new
 * reference, NULL if a fragment does not parse. */
json_t *api_openapi_document(void);

#endif
