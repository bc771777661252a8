/*
 * routes.c — the list of every resource's route table (see routes.h).  The
 * dispatcher and the OpenAPI check walk it in this order; a path is matched
 * against all of them, so the order only matters for the Allow header.
 */
#include "routes.h"

extern const struct api_route api_routes_health[], api_routes_auth[], api_routes_kelurahan[],
    api_routes_residents[], api_routes_audit[], api_routes_employers[], api_routes_vacancies[],
    api_routes_courses[], api_routes_matching[], api_routes_match_runs[], api_routes_referrals[],
    api_routes_reports[], api_routes_meta[], api_routes_imports[], api_routes_proposals[],
    api_routes_objections[], api_routes_web[], api_routes_apikeys[], api_routes_webhooks[];

const struct api_route *const api_route_tables[] = {
    api_routes_health,    api_routes_meta,     api_routes_auth,       api_routes_kelurahan,
    api_routes_residents, api_routes_audit,    api_routes_employers,  api_routes_vacancies,
    api_routes_courses,   api_routes_matching, api_routes_match_runs, api_routes_proposals,
    api_routes_referrals, api_routes_reports,  api_routes_imports,    api_routes_objections,
    api_routes_web,       api_routes_apikeys,  api_routes_webhooks,   NULL,
};

/* The routes are the concatenation of every resource's table. */
size_t api_routes_list(const struct api_route **out, size_t max) {
  size_t n = 0;
  for (size_t t = 0; api_route_tables[t] != NULL; t++)
    for (const struct api_route *r = api_route_tables[t]; r->method != NULL; r++) {
      if (n < max)
        out[n] = r;
      n++;
    }
  return n;
}
