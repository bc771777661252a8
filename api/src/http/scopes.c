/*
 * scopes.c — what an API key's scopes admit (issue 16): the one table that
 * maps a route to the key scope it needs.  A key's caller is an employer
 * principal, so the route must also admit the employer role and every
 * object check of access.c still applies; this table only narrows.  A
 * route that is not here is closed to keys (403), so a route added later
 * is closed to them until someone decides otherwise; managing keys and
 * webhooks, logging out and reading the audit log need a person's token.
 */
#include "scopes.h"

#include <stdio.h>
#include <string.h>

#include "apikeys.h"
#include "auth.h"
#include "store.h"

static const struct {
  const char *method, *pattern;
  unsigned scope;
} scope_table[] = {
    {"GET", "/v1/me", APIKEY_ALL_SCOPES},
    {"GET", "/v1/kelurahan", APIKEY_ALL_SCOPES},
    {"GET", "/v1/employers", APIKEY_VACANCIES_READ},
    {"GET", "/v1/employers/{id}", APIKEY_VACANCIES_READ},
    {"GET", "/v1/vacancies", APIKEY_VACANCIES_READ},
    {"GET", "/v1/vacancies/{id}", APIKEY_VACANCIES_READ},
    {"GET", "/v1/vacancies/{id}/candidates", APIKEY_VACANCIES_READ},
    {"GET", "/v1/referrals", APIKEY_VACANCIES_READ},
    {"GET", "/v1/referrals/{id}", APIKEY_VACANCIES_READ},
    {"POST", "/v1/vacancies", APIKEY_VACANCIES_WRITE},
    {"PATCH", "/v1/vacancies/{id}", APIKEY_VACANCIES_WRITE},
    {"PATCH", "/v1/referrals/{id}", APIKEY_REFERRALS_WRITE},
};

unsigned api_key_scopes_for(const struct api_route *route) {
  if (route == NULL)
    return 0;
  const char *method = route->method;
  for (size_t i = 0; i < sizeof scope_table / sizeof scope_table[0]; i++)
    if (strcmp(scope_table[i].method, method) == 0 &&
        strcmp(scope_table[i].pattern, route->pattern) == 0)
      return scope_table[i].scope;
  return 0;
}

int api_key_admits(const struct api_req *r) {
  if (r->who.key_id <= 0)
    return 1;
  return (api_key_scopes_for(r->route) & r->who.key_scopes) != 0;
}

int api_key_audit(struct api_req *r, int refused) {
  char detail[64];
  snprintf(detail, sizeof detail, "%s%s", r->method, refused ? " refused: scope" : "");
  struct store_audit a = {
      .user_id = r->who.user_id,
      .username = r->who.username,
      .role = auth_role_name(r->who.role),
      .action = "api_key_use",
      .route = r->route != NULL ? r->route->pattern : r->path,
      .detail = detail,
      .resident_id = -1,
  };
  int rc = store_audit_add(r->db, &a);
  if (rc != STORE_OK)
    fprintf(stderr, "padan: audit write failed (%d): %s\n", rc, store_errmsg(r->db));
  return rc == STORE_OK ? 0 : -1;
}
