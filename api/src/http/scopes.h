/*
 * scopes.h — what an API key's scopes admit (scopes.c): the dispatcher asks
 * it after the role check.  Kept apart from access.h so that the
 * dispatcher (http.c) needs nothing from the access rules above it.
 */
#ifndef PADAN_SCOPES_H
#define PADAN_SCOPES_H

#include "request.h"

/* API keys (scopes.c): the scope bits (apikeys.h) of which a key needs one
 * to call route, 0 when keys may not call it; and 1 when the caller of r
 * is a person or a key whose scopes admit r's route.  The dispatcher
 * answers 403 otherwise, after the role check. */
struct api_route;
unsigned api_key_scopes_for(const struct api_route *route);
int api_key_admits(const struct api_req *r);
/* Writes the audit row of one request made with a key ("api_key_use": the
 * key as username, the route, the method, whether the scope refused it);
 * 0 or -1 (logged). */
int api_key_audit(struct api_req *r, int refused);

#endif
