/*
 * access.c — DESIGN.md §6's access table as data (see access.h), and the
 * audit of personal-data reads.
 *
 * api_authorize() finds the rule for (object, access, role) in one static
 * table, looks the object's owner up with one store call, and applies the
 * rule.  The order of the checks is what keeps 404 and 403 honest: a
 * missing object and one outside the caller's scope both answer 404 with
 * the default details, so their bytes are the same; 403 is answered only
 * when the role may never use the function (then without a lookup, so it
 * says nothing about the id) or when the caller can see the object but may
 * not do this to it.
 */
#include "access.h"

#include <stdio.h>
#include <string.h>

#include "auditq.h"
#include "http.h"
#include "json_io.h"

/* What a role may do with an object. */
enum rule {
  NONE_403,      /* never: 403 without looking the object up */
  ALL,           /* any existing object */
  OWN_KELURAHAN, /* the object's resident lives in the caller's kelurahan */
  OWN_EMPLOYER,  /* the object belongs to the caller's employer */
  OPEN_ONLY,     /* a vacancy (or a referral's vacancy) that is open */
  HIDDEN_404,    /* the role does not know such objects exist: always 404 */
  SEE_THEN_403,  /* 403 if the caller may read the object, else 404 */
};

/* Columns of a rule row, in the order of enum auth_role's bits. */
enum { R_ADMIN, R_OFFICER, R_EMPLOYER, R_DESK, N_ROLES };

struct rule_row {
  enum api_object object;
  enum api_access access;
  enum rule rule[N_ROLES];
};

/* The table of access.h's comment, one row for every object and access.
 * SEE_THEN_403 marks a function a role may not use on objects it can
 * otherwise see.  API_STATUS is the status workflow of an object (a
 * referral's outcome, a resident's verification, a vacancy's closing) and
 * follows API_WRITE except for referrals, where an employer may move the
 * status of its own vacancies' referrals and nothing else. */
static const struct rule_row rules[] = {
    /*                                       admin  officer employer       desk */
    {API_O_RESIDENT, API_READ, {ALL, ALL, NONE_403, OWN_KELURAHAN}},
    {API_O_RESIDENT, API_WRITE, {ALL, ALL, NONE_403, OWN_KELURAHAN}},
    {API_O_RESIDENT, API_STATUS, {ALL, ALL, NONE_403, OWN_KELURAHAN}},
    {API_O_RESIDENT, API_RECOMMEND, {ALL, ALL, NONE_403, OWN_KELURAHAN}},

    {API_O_EMPLOYER, API_READ, {ALL, ALL, OWN_EMPLOYER, ALL}},
    {API_O_EMPLOYER, API_WRITE, {ALL, ALL, OWN_EMPLOYER, SEE_THEN_403}},
    {API_O_EMPLOYER, API_STATUS, {ALL, ALL, OWN_EMPLOYER, SEE_THEN_403}},
    {API_O_EMPLOYER, API_RECOMMEND, {ALL, ALL, OWN_EMPLOYER, SEE_THEN_403}},

    {API_O_VACANCY, API_READ, {ALL, ALL, OWN_EMPLOYER, OPEN_ONLY}},
    {API_O_VACANCY, API_WRITE, {ALL, ALL, OWN_EMPLOYER, SEE_THEN_403}},
    {API_O_VACANCY, API_STATUS, {ALL, ALL, OWN_EMPLOYER, SEE_THEN_403}},
    {API_O_VACANCY, API_RECOMMEND, {ALL, ALL, OWN_EMPLOYER, SEE_THEN_403}},

    {API_O_COURSE, API_READ, {ALL, ALL, ALL, ALL}},
    {API_O_COURSE, API_WRITE, {ALL, ALL, SEE_THEN_403, SEE_THEN_403}},
    {API_O_COURSE, API_STATUS, {ALL, ALL, SEE_THEN_403, SEE_THEN_403}},
    {API_O_COURSE, API_RECOMMEND, {ALL, ALL, SEE_THEN_403, SEE_THEN_403}},

    {API_O_BATCH, API_READ, {ALL, ALL, ALL, ALL}},
    {API_O_BATCH, API_WRITE, {ALL, ALL, SEE_THEN_403, SEE_THEN_403}},
    {API_O_BATCH, API_STATUS, {ALL, ALL, SEE_THEN_403, SEE_THEN_403}},
    {API_O_BATCH, API_RECOMMEND, {ALL, ALL, SEE_THEN_403, SEE_THEN_403}},

    {API_O_ENROLMENT, API_READ, {ALL, ALL, HIDDEN_404, OWN_KELURAHAN}},
    {API_O_ENROLMENT, API_WRITE, {ALL, ALL, HIDDEN_404, OWN_KELURAHAN}},
    {API_O_ENROLMENT, API_STATUS, {ALL, ALL, HIDDEN_404, OWN_KELURAHAN}},
    {API_O_ENROLMENT, API_RECOMMEND, {ALL, ALL, HIDDEN_404, SEE_THEN_403}},

    {API_O_MATCH_RUN, API_READ, {ALL, ALL, NONE_403, NONE_403}},
    {API_O_MATCH_RUN, API_WRITE, {ALL, ALL, NONE_403, NONE_403}},
    {API_O_MATCH_RUN, API_STATUS, {ALL, ALL, NONE_403, NONE_403}},
    {API_O_MATCH_RUN, API_RECOMMEND, {ALL, ALL, NONE_403, NONE_403}},

    {API_O_REFERRAL, API_READ, {ALL, ALL, OWN_EMPLOYER, OWN_KELURAHAN}},
    {API_O_REFERRAL, API_WRITE, {ALL, ALL, SEE_THEN_403, SEE_THEN_403}},
    {API_O_REFERRAL, API_STATUS, {ALL, ALL, OWN_EMPLOYER, SEE_THEN_403}},
    {API_O_REFERRAL, API_RECOMMEND, {ALL, ALL, SEE_THEN_403, SEE_THEN_403}},
};

static const enum store_object store_kind[] = {
    [API_O_RESIDENT] = STORE_O_RESIDENT,   [API_O_EMPLOYER] = STORE_O_EMPLOYER,
    [API_O_VACANCY] = STORE_O_VACANCY,     [API_O_COURSE] = STORE_O_COURSE,
    [API_O_BATCH] = STORE_O_BATCH,         [API_O_ENROLMENT] = STORE_O_ENROLMENT,
    [API_O_MATCH_RUN] = STORE_O_MATCH_RUN, [API_O_REFERRAL] = STORE_O_REFERRAL,
};

static int role_column(enum auth_role role) {
  switch (role) {
  case AUTH_ADMIN:
    return R_ADMIN;
  case AUTH_OFFICER:
    return R_OFFICER;
  case AUTH_EMPLOYER:
    return R_EMPLOYER;
  case AUTH_DESK:
    return R_DESK;
  }
  return -1;
}

static enum rule rule_for(enum api_object kind, enum api_access access, int column) {
  if (column < 0)
    return NONE_403;
  for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
    if (rules[i].object == kind && rules[i].access == access)
      return rules[i].rule[column];
  return NONE_403;
}

/* 1 when rule admits the caller for an object owned as o. */
static int admits(enum rule rule, const struct auth_principal *who, const struct store_owner *o) {
  switch (rule) {
  case ALL:
    return 1;
  case OWN_KELURAHAN:
    return who->kelurahan_id >= 0 && o->kelurahan_id == who->kelurahan_id;
  case OWN_EMPLOYER:
    return who->employer_id >= 0 && o->employer_id == who->employer_id;
  case OPEN_ONLY:
    return o->open;
  case NONE_403:
  case HIDDEN_404:
  case SEE_THEN_403:
    break;
  }
  return 0;
}

static int fail(struct api_req *r, enum api_error e) {
  api_reply_problem(r, e);
  return -1;
}

struct owner_query {
  struct store *db;
  enum store_object kind;
  int64_t id;
};

static int owner_of(void *arg, struct store_owner *out) {
  const struct owner_query *o = arg;
  return store_object_owner(o->db, o->kind, o->id, out);
}

int api_authorize(struct api_req *r, enum api_object kind, int64_t id, enum api_access access) {
  if ((unsigned)kind >= sizeof store_kind / sizeof store_kind[0])
    return fail(r, API_E_INTERNAL);
  struct owner_query o = {.db = r->db, .kind = store_kind[kind], .id = id};
  enum api_error e;
  return api_access_check(r, kind, access, owner_of, &o, &e) == 0 ? 0 : fail(r, e);
}

/* 1 when rule refuses whatever the object (403, or 404 hidden), with the
 * problem in *error. */
static int refuses(enum rule rule, enum api_error *error) {
  if (rule != NONE_403 && rule != HIDDEN_404)
    return 0;
  *error = rule == NONE_403 ? API_E_FORBIDDEN : API_E_NOT_FOUND;
  return 1;
}

int api_access_refused(const struct api_req *r, enum api_object kind, enum api_access access,
                       enum api_error *error) {
  return refuses(rule_for(kind, access, role_column(r->who.role)), error);
}

int api_access_check(const struct api_req *r, enum api_object kind, enum api_access access,
                     int (*lookup)(void *arg, struct store_owner *out), void *arg,
                     enum api_error *error) {
  int column = role_column(r->who.role);
  enum rule rule = rule_for(kind, access, column);
  if (refuses(rule, error))
    return -1;
  struct store_owner owner;
  switch (lookup(arg, &owner)) {
  case STORE_OK:
    break;
  case STORE_ENOTFOUND:
    *error = API_E_NOT_FOUND;
    return -1;
  case STORE_EBUSY:
    *error = API_E_UNAVAILABLE;
    return -1;
  default:
    *error = API_E_INTERNAL;
    return -1;
  }
  if (rule == SEE_THEN_403)
    *error = admits(rule_for(kind, API_READ, column), &r->who, &owner) ? API_E_FORBIDDEN
                                                                       : API_E_NOT_FOUND;
  else if (admits(rule, &r->who, &owner))
    return 0;
  else
    *error = API_E_NOT_FOUND;
  return -1;
}

void api_scope_of(const struct api_req *r, struct api_scope *out) {
  out->kelurahan_id = r->who.role == AUTH_DESK ? r->who.kelurahan_id : -1;
  out->employer_id = r->who.role == AUTH_EMPLOYER ? r->who.employer_id : -1;
  out->open_vacancies_only = r->who.role == AUTH_DESK;
}

/* The audit row of a personal read by the caller of r. */
static struct store_audit read_row(const struct api_req *r, int64_t resident_id,
                                   const char *purpose) {
  struct store_audit a = {
      .user_id = r->who.user_id,
      .username = r->who.username,
      .role = auth_role_name(r->who.role),
      .action = "read_resident",
      .route = r->route != NULL ? r->route->pattern : r->path,
      .purpose = purpose,
      .detail = NULL,
      .resident_id = resident_id,
  };
  return a;
}

static int audit_failed(struct api_req *r, int rc) {
  fprintf(stderr, "padan: audit write failed (%d): %s\n", rc, store_errmsg(r->db));
  if (rc == STORE_EFULL)
    return fail(r, API_E_INSUFFICIENT_STORAGE);
  if (rc == STORE_EBUSY)
    api_reply_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
  return fail(r, rc == STORE_EBUSY ? API_E_UNAVAILABLE : API_E_INTERNAL);
}

/* Through the audit writer, which commits rows in groups; on the request's
 * own connection when that holds a write transaction (the row joins it, and
 * the writer would only wait for its lock). */
static int audit_write(struct api_req *r, const struct store_audit *a, const int64_t *ids,
                       size_t n) {
  if (r->auditq != NULL && !store_in_write_transaction(r->db))
    return api_auditq_write(r->auditq, a, ids, n);
  return n > 0 ? store_audit_add_each(r->db, a, ids, n) : store_audit_add(r->db, a);
}

int api_audit_personal(struct api_req *r, int64_t resident_id, const char *purpose) {
  struct store_audit a = read_row(r, resident_id, purpose);
  int rc = audit_write(r, &a, NULL, 0);
  return rc == STORE_OK ? 0 : audit_failed(r, rc);
}

int api_audit_personal_read(struct api_req *r, int64_t resident_id, const char *purpose,
                            int (*read)(void *arg, struct store *db), void *arg) {
  struct store_audit a = read_row(r, resident_id, purpose);
  int rc, refused = 0;
  if (r->auditq != NULL && !store_in_write_transaction(r->db)) {
    rc = api_auditq_read(r->auditq, read, arg, &a, &refused);
  } else {
    refused = read(arg, r->db) != 0;
    rc = refused ? STORE_OK : store_audit_add(r->db, &a);
  }
  if (rc != STORE_OK)
    return audit_failed(r, rc);
  return refused;
}

int api_audit_personal_written(struct api_req *r, int64_t resident_id, const char *purpose) {
  struct store_audit a = read_row(r, resident_id, purpose);
  return audit_write(r, &a, NULL, 0);
}

int api_audit_personal_each(struct api_req *r, const int64_t *ids, size_t n, const char *purpose) {
  if (n == 0)
    return 0;
  struct store_audit a = read_row(r, -1, purpose);
  int rc = audit_write(r, &a, ids, n);
  return rc == STORE_OK ? 0 : audit_failed(r, rc);
}

int api_audit_search(struct api_req *r, const char *detail) {
  struct store_audit a = read_row(r, -1, "search");
  a.action = "search_residents";
  a.detail = detail;
  int rc = store_audit_add(r->db, &a);
  return rc == STORE_OK ? 0 : audit_failed(r, rc);
}

int api_audit_action(struct api_req *r, const char *action, const char *detail) {
  struct store_audit a = read_row(r, -1, NULL);
  a.action = action;
  a.detail = detail;
  return store_audit_add(r->db, &a);
}

/* ---- Pseudonyms ------------------------------------------------------------ */

int api_candidate_id(struct api_req *r, int64_t vacancy_id, int64_t resident_id,
                     char out[API_CANDIDATE_ID_SIZE]) {
  char p[AUTH_PSEUDONYM_CHARS + 1];
  if (auth_pseudonym(r->auth, "candidate", vacancy_id, resident_id, p, sizeof p) != 0)
    return -1;
  snprintf(out, API_CANDIDATE_ID_SIZE, "c-%s", p);
  return 0;
}

/* ---- Views and powers ------------------------------------------------------------------ */

enum api_view api_view_of(const struct api_req *r, enum api_object kind) {
  if (r->who.role != AUTH_EMPLOYER)
    return API_VIEW_FULL;
  return kind == API_O_REFERRAL ? API_VIEW_AFTER_ACCEPTANCE : API_VIEW_PSEUDONYMOUS;
}

int api_may(const struct api_req *r, enum api_power p) {
  switch (p) {
  case API_P_CONFIRM_REFERRAL:
  case API_P_DTSEN_FIELDS: /* the routes admit no employer */
    return r->who.role != AUTH_DESK;
  case API_P_EMPLOYER_ALL_FIELDS:
    return r->who.role != AUTH_EMPLOYER;
  }
  return 0;
}

int api_may_set_referral_status(const struct api_req *r, const char *to) {
  if (r->who.role == AUTH_ADMIN || r->who.role == AUTH_OFFICER)
    return 1;
  return r->who.role == AUTH_EMPLOYER && strcmp(to, "confirmed") != 0 &&
         strcmp(to, "withdrawn") != 0;
}

const char *api_scope_kind(const struct auth_principal *who) {
  switch (who->role) {
  case AUTH_EMPLOYER:
    return "employer";
  case AUTH_DESK:
    return "kelurahan";
  case AUTH_ADMIN:
    return "system";
  default:
    return "city";
  }
}
