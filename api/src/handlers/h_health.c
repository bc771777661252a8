/*
 * h_health.c — GET /healthz: a liveness and readiness probe for load
 * balancers and scripts.  It needs no token and reveals nothing but the
 * version and whether this worker's database connection answers.
 */
#include "http.h"
#include "json_io.h"

static enum MHD_Result h_healthz(struct api_req *r) {
  int version = 0;
  if (store_schema_version(r->db, &version) != STORE_OK)
    return api_reply_problem(r, API_E_UNAVAILABLE);
  return api_reply_json(
      r, MHD_HTTP_OK,
      json_pack("{s:s, s:s, s:i}", "status", "ok", "version", PADAN_VERSION, "schema", version));
}

const struct api_route api_routes_health[] = {
    {"GET", "/healthz", h_healthz, API_PUBLIC, NULL},
    {NULL, NULL, NULL, 0, NULL},
};
