/*
 * h_health.c — GET /healthz: a liveness and readiness probe for load
 * balancers and scripts.  It needs no token and reveals nothing but the
 * version, whether this worker's database connection answers and whether
 * the matching engine has loaded ("engine": "loading" or "ready"; until it
 * is ready the routes that need it answer 503 engine-not-ready).
 */
#include "http.h"
#include "json_io.h"

#include "app.h"

static enum MHD_Result h_healthz(struct api_req *r) {
  int version = 0;
  if (store_schema_version(r->db, &version) != STORE_OK)
    return api_reply_problem(r, API_E_UNAVAILABLE);
  return api_reply_json(r, MHD_HTTP_OK,
                        json_pack("{s:s, s:s, s:i, s:s}", "status", "ok", "version", PADAN_VERSION,
                                  "schema", version, "engine",
                                  api_engine_ready(r->app) ? "ready" : "loading"));
}

const struct api_route api_routes_health[] = {
    {"GET", "/healthz", h_healthz, API_PUBLIC, NULL},
    {NULL, NULL, NULL, 0, NULL},
};
