/*
 * h_auth.c — the caller's session: POST /v1/auth/login (username and
 * password for a bearer token), POST /v1/auth/logout (revokes the token the
 * request came with) and GET /v1/me (who the token belongs to, with role,
 * scope and expiry).  The work is in auth.c; this file maps its results to
 * HTTP.  A login's password check (Argon2id) runs on the server's login
 * pool with the request suspended (api_defer), so that logins cannot stall
 * the HTTP worker threads.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "apikeys.h"
#include "http.h"
#include "json_io.h"

static const struct api_field spec_login[] = {
    {"username", API_F_STRING, API_REQUIRED, 0, 0, AUTH_USERNAME_MAX},
    {"password", API_F_STRING, API_REQUIRED, 0, 0, AUTH_PASSWORD_MAX},
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

/* {id, username, role, scope} of who; scope says which records the role
 * reaches: the system (admin), the whole city (officer), one employer or
 * one kelurahan. */
static json_t *user_json(const struct auth_principal *who) {
  json_t *scope;
  const char *kind = api_scope_kind(who);
  if (strcmp(kind, "employer") == 0)
    scope = json_pack("{s:s, s:I}", "kind", kind, "employer_id", (json_int_t)who->employer_id);
  else if (strcmp(kind, "kelurahan") == 0)
    scope = json_pack("{s:s, s:I}", "kind", kind, "kelurahan_id", (json_int_t)who->kelurahan_id);
  else
    scope = json_pack("{s:s}", "kind", kind);
  return json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)who->user_id, "username",
                   who->username, "role", auth_role_name(who->role), "scope", scope);
}

/* A login's work, done on the password pool (api_defer): copies of what
 * it needs, since it runs after the handler returned. */
struct login_job {
  struct auth *auth;
  char username[AUTH_USERNAME_MAX + 1];
  char password[AUTH_PASSWORD_MAX + 1];
  char ip[48];
  int64_t now;
  int rc;
  struct auth_login out;
};

static void login_work(void *arg, struct store *db) {
  struct login_job *j = arg;
  j->rc = db == NULL ? AUTH_EBUSY
                     : auth_login(j->auth, db, j->username, j->password, j->ip,
                                  "POST /v1/auth/login", j->now, &j->out);
  sodium_memzero(j->password, sizeof j->password);
}

static void login_job_free(void *arg) {
  sodium_memzero(arg, sizeof(struct login_job));
  free(arg);
}

static enum MHD_Result login_busy(struct api_req *r) {
  api_reply_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
  return api_reply_problem(r, API_E_UNAVAILABLE);
}

/* The password check runs on the login pool, never on an HTTP worker
 * thread: first call queues it (or answers 503 when the queue is full),
 * the second, after the pool resumed the request, replies. */
static enum MHD_Result h_login(struct api_req *r) {
  if (!r->resumed) {
    struct login_job *j = calloc(1, sizeof *j);
    if (j == NULL)
      return api_reply_problem(r, API_E_INTERNAL);
    j->auth = r->auth;
    snprintf(j->username, sizeof j->username, "%s", api_body_string(r, "username"));
    snprintf(j->password, sizeof j->password, "%s", api_body_string(r, "password"));
    snprintf(j->ip, sizeof j->ip, "%s", r->ip);
    j->now = r->now;
    if (api_defer(r, login_work, j, login_job_free) != 0)
      return login_busy(r);
    return MHD_YES;
  }
  struct login_job *j = r->deferred;
  struct auth_login *out = &j->out;
  char expires[21];
  switch (j->rc) {
  case AUTH_OK:
    api_iso_time(out->who.token_expires_at, expires);
    return api_reply_json(r, MHD_HTTP_OK,
                          json_pack("{s:s, s:s, s:s, s:I, s:o}", "token", out->token, "token_type",
                                    "Bearer", "expires_at", expires, "expires_in",
                                    (json_int_t)(out->who.token_expires_at - r->now), "user",
                                    user_json(&out->who)));
  case AUTH_EDENIED:
    return api_reply_problem(r, API_E_LOGIN_FAILED);
  case AUTH_ETHROTTLED:
    api_reply_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "%lld", (long long)out->retry_after);
    return api_reply_problem(r, API_E_TOO_MANY_ATTEMPTS);
  case AUTH_EBUSY:
    return login_busy(r);
  default:
    return api_reply_problem(r, API_E_INTERNAL);
  }
}

static enum MHD_Result h_logout(struct api_req *r) {
  switch (auth_logout(r->auth, r->db, &r->who, "POST /v1/auth/logout", r->now)) {
  case AUTH_OK:
    return api_reply_empty(r, MHD_HTTP_NO_CONTENT);
  case AUTH_EDENIED: /* revoked by a concurrent request */
    return api_reply_problem(r, API_E_UNAUTHENTICATED);
  case AUTH_EBUSY:
    api_reply_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    return api_reply_problem(r, API_E_UNAVAILABLE);
  default:
    return api_reply_problem(r, API_E_INTERNAL);
  }
}

static enum MHD_Result h_me(struct api_req *r) {
  char expires[21];
  api_iso_time(r->who.token_expires_at, expires);
  json_t *me = user_json(&r->who);
  json_object_set_new(me, "token_expires_at",
                      r->who.token_expires_at >= 0 ? json_string(expires) : json_null());
  if (r->who.key_id > 0) { /* an API key (never expiring: null above) and its scopes */
    json_t *scopes = json_array();
    for (unsigned bit = 1; bit <= APIKEY_ALL_SCOPES; bit <<= 1)
      if ((r->who.key_scopes & bit) != 0)
        json_array_append_new(scopes, json_string(apikey_scope_name(bit)));
    json_object_set_new(me, "api_key",
                        json_pack("{s:I, s:o}", "id", (json_int_t)r->who.key_id, "scopes", scopes));
  }
  return api_reply_json(r, MHD_HTTP_OK, me);
}

const struct api_route api_routes_auth[] = {
    {"POST", "/v1/auth/login", h_login, API_PUBLIC, spec_login},
    {"POST", "/v1/auth/logout", h_logout, AUTH_ANY_ROLE, NULL},
    {"GET", "/v1/me", h_me, AUTH_ANY_ROLE, NULL},
    {NULL, NULL, NULL, 0, NULL},
};
