/*
 * check_access_matrix.c — DESIGN.md §6's access table as a matrix: every
 * route the server dispatches (api_routes_list(), so a route added later is
 * covered at once) × every role (admin, officer, employer, desk, no token)
 * × an object the role owns and one it does not, each cell with the exact
 * status it must answer.  A route without a row in the expectation table
 * below fails the test, as does a row without a route: nobody adds a route
 * without deciding its matrix.  Every cell expected to be 404 is also sent
 * with a non-existent id (999999999) and the two answers must be byte for
 * byte the same, so that a hidden object cannot be told from a missing one.
 *
 * "Own" and "other" are chosen so that one pair of objects of each kind
 * serves every role: the own resident lives in the demo desk's kelurahan
 * (36.71.10.1001), the other one elsewhere; the own employer is the demo
 * employer's, the own vacancy is its open vacancy in the desk's kelurahan,
 * the other vacancy another employer's closed one (a desk reads open
 * vacancies only); the own referral is on the own vacancy for a resident of
 * the desk's kelurahan, the other one on the other vacancy for a resident
 * elsewhere; the own enrolment is of a resident of the desk's kelurahan.
 * Courses, batches and match runs have no owner, so own and other are just
 * two of them.  For a route without an id, "other" points the request at
 * the other scope where the route has a way to (a filter, the resident or
 * kelurahan a body names), else repeats the own request.
 *
 * Three more columns are an employer's API keys, one per scope
 * (vacancies:read, vacancies:write, referrals:write; issue 16): a key is
 * an employer that may call only the routes of key_routes[] below, each
 * within its scope; elsewhere it gets 403.  Where its scope admits it, a
 * key's cell must answer exactly as the employer's (404 for another
 * employer's objects, byte for byte a missing one's), never more.
 *
 * Writes that would spend an object (a referral's move, an enrolment's,
 * an erasure, a logout) work on throwaway objects made for the cell, and
 * match runs, which propose whoever is eligible, run after every other
 * cell.  On a mismatch the whole matrix is printed, one line per route,
 * each wrong cell as got(expected).
 */
#include <check.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "dtsen.h"
#include "http.h"
#include "testutil.h"
#include "tu_http.h"

#define RESIDENTS 1500
#define MISSING_ID 999999999LL
#define MAX_ROUTES 256
#define OTHER_KELURAHAN "36.71.01.1001"

enum role { ADMIN, OFFICER, EMPLOYER, DESK, NONE, KEY_READ, KEY_WRITE, KEY_OUTCOMES, N_ROLES };
#define N_PERSONS KEY_READ /* the columns of the expectation table */
static const char *const role_names[N_ROLES] = {
    "admin", "officer",        "employer",        "desk",
    "none",  "vacancies:read", "vacancies:write", "referrals:write"};
static const char role_letters[N_ROLES + 1] = "aoednRWO";
static const unsigned role_bits[N_ROLES] = {
    AUTH_ADMIN, AUTH_OFFICER,  AUTH_EMPLOYER, AUTH_DESK,
    0,          AUTH_EMPLOYER, AUTH_EMPLOYER, AUTH_EMPLOYER};

/* The key scopes, as bits, of the key columns, and the routes a key may
 * call with the scopes that admit each (decided here, independently of
 * the server's table in http/scopes.c). */
enum { SC_READ = 1, SC_WRITE = 2, SC_OUTCOMES = 4, SC_ANY = 7 };
static const unsigned key_bits[N_ROLES] = {0, 0, 0, 0, 0, SC_READ, SC_WRITE, SC_OUTCOMES};
static const struct {
  const char *method, *pattern;
  unsigned scopes;
} key_routes[] = {
    {"GET", "/v1/me", SC_ANY},
    {"GET", "/v1/kelurahan", SC_ANY},
    {"GET", "/v1/employers", SC_READ},
    {"GET", "/v1/employers/{id}", SC_READ},
    {"GET", "/v1/vacancies", SC_READ},
    {"GET", "/v1/vacancies/{id}", SC_READ},
    {"GET", "/v1/vacancies/{id}/candidates", SC_READ},
    {"GET", "/v1/referrals", SC_READ},
    {"GET", "/v1/referrals/{id}", SC_READ},
    {"POST", "/v1/vacancies", SC_WRITE},
    {"PATCH", "/v1/vacancies/{id}", SC_WRITE},
    {"PATCH", "/v1/referrals/{id}", SC_OUTCOMES},
};

enum side { OWN, OTHER, MISSING };

enum kind {
  K_NONE,
  K_RESIDENT,
  K_EMPLOYER,
  K_VACANCY,
  K_COURSE,
  K_BATCH,
  K_ENROLMENT,
  K_REFERRAL,
  K_MATCH_RUN,
  K_OBJECTION,
  K_APIKEY,
  K_WEBHOOK,
  K_DELIVERY,
  N_KINDS
};

static struct tu_server srv;
static char *tok[N_ROLES]; /* tok[NONE] stays NULL */

/* The objects the cells point at (see the header comment). */
static struct {
  int64_t id[N_KINDS][2];
  char kel[2][16]; /* kelurahan codes: the desk's, another */
  char employer_code[2][32];
  int64_t open_vacancy_other; /* another employer's open vacancy, for new referrals */
  int serial;                 /* NIK serial of the next new resident */
} fx;

/* ---- Requests ----------------------------------------------------------------- */

/* One request of a cell. */
struct call {
  char path[256];
  const char *token;
  char *own_token; /* a throwaway login the cell spends (freed after) */
  json_t *body;    /* JSON body, or NULL */
  char *raw;       /* a CSV body instead (malloc'd) */
};

static void call_free(struct call *c) {
  free(c->own_token);
  json_decref(c->body);
  free(c->raw);
}

/* Sends c; the body is consumed. */
static void send_call(struct call *c, const char *method, struct tu_resp *r) {
  if (c->raw != NULL)
    tu_request(&srv, method, c->path, c->token, "text/csv", c->raw, strlen(c->raw), r);
  else
    tu_json_request(&srv, method, c->path, c->token, c->body, r);
  c->body = NULL;
}

static int64_t id_of(json_t *j) {
  int64_t id = (int64_t)json_integer_value(json_object_get(j, "id"));
  ck_assert_int_gt(id, 0);
  json_decref(j);
  return id;
}

/* ---- Throwaway objects --------------------------------------------------------- */

/* A new resident of the desk's kelurahan (OWN) or another (OTHER): an
 * unemployed woman of 36 wanting office work, with the two skills the
 * fixture's vacancies ask for, so that she fits them; verified when asked
 * (the engine ranks verified residents only).  The NIK (region of its
 * kecamatan, born 3 February 1990) takes the next free serial. */
static int64_t new_resident(enum side side, int verify) {
  const char *kel = fx.kel[side == OWN ? 0 : 1];
  char nik[40], name[48], phone[24], address[64], region[8], path[64];
  snprintf(region, sizeof region, "%.2s%.2s%.2s", kel, kel + 3, kel + 6);
  struct tu_resp r;
  for (;;) {
    int n = ++fx.serial;
    snprintf(nik, sizeof nik, "%s430290%04d", region, n);
    snprintf(name, sizeof name, "Warga Matriks %04d", n);
    snprintf(phone, sizeof phone, "0813-77%02d-%04d", n / 10000, n % 10000);
    snprintf(address, sizeof address, "Jl. Matriks Gg. %d No. %d", n % 7 + 1, n);
    json_t *b = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:[s], s:[{s:s}, {s:s}]}", "nik",
        nik, "name", name, "sex", "P", "birth_date", "1990-02-03", "kelurahan_code", kel, "address",
        address, "phone", phone, "desil", 2, "work_status", "unemployed", "school_status",
        "not_in_school", "education", "sma", "preferred_vocations", "office", "skills", "code",
        "OFC-001", "code", "OFC-002");
    tu_json_request(&srv, "POST", "/v1/residents", tok[OFFICER], b, &r);
    if (r.status != 409) /* a seeded resident holds this NIK: take the next */
      break;
    tu_resp_free(&r);
  }
  ck_assert_msg(r.status == 201, "new resident: %d %s", r.status, r.body);
  int64_t id = id_of(tu_json(&r));
  tu_resp_free(&r);
  if (verify) {
    snprintf(path, sizeof path, "/v1/residents/%lld/verification", (long long)id);
    json_decref(tu_call_json(&srv, "POST", path, tok[OFFICER], json_object(), 200));
  }
  return id;
}

/* A new referral, confirmed (an officer made it): of a new resident of
 * the desk's kelurahan to the own vacancy (OWN), or of a resident elsewhere
 * to another employer's open vacancy (OTHER). */
static int64_t new_referral(enum side side) {
  int64_t rid = new_resident(side, 1);
  int64_t vid = side == OWN ? fx.id[K_VACANCY][OWN] : fx.open_vacancy_other;
  return id_of(tu_call_json(
      &srv, "POST", "/v1/referrals", tok[OFFICER],
      json_pack("{s:I, s:I}", "resident_id", (json_int_t)rid, "vacancy_id", (json_int_t)vid), 201));
}

/* A new enrolment (enrolled) of a new resident of side in the own batch. */
static int64_t new_enrolment(enum side side) {
  char path[64];
  snprintf(path, sizeof path, "/v1/batches/%lld/enrolments", (long long)fx.id[K_BATCH][OWN]);
  int64_t rid = new_resident(side, 0);
  return id_of(tu_call_json(&srv, "POST", path, tok[OFFICER],
                            json_pack("{s:I}", "resident_id", (json_int_t)rid), 201));
}

/* A vacancy for employer code in kelurahan kel that the new residents fit. */
static int64_t new_vacancy(const char *code, const char *kel) {
  return id_of(tu_call_json(
      &srv, "POST", "/v1/vacancies", tok[OFFICER],
      json_pack("{s:s, s:s, s:s, s:s, s:[s, s], s:i, s:i, s:s}", "employer", code, "title",
                "Staf Administrasi Matriks", "vocation", "office", "kelurahan", kel, "nice_skills",
                "OFC-001", "OFC-002", "openings", 50, "wage_monthly", 6000000, "status", "open"),
      201));
}

static int64_t new_batch(int64_t course) {
  char path[64];
  snprintf(path, sizeof path, "/v1/courses/%lld/batches", (long long)course);
  return id_of(tu_call_json(&srv, "POST", path, tok[OFFICER],
                            json_pack("{s:s, s:s, s:i}", "start_date", "2027-03-01", "end_date",
                                      "2027-04-30", "capacity", 200),
                            201));
}

/* ---- Cell builders --------------------------------------------------------------
 * Each fills a cell's query, body or token, or puts a throwaway object in
 * its path.  admitted: the route lets the role through to its handler, so
 * a throwaway object would be spent (else none is made). */

/* The id put in place of {id}: the fixture's, or a throwaway one. */
static void put_id(struct call *c, const char *pattern, int64_t id) {
  const char *at = strstr(pattern, "{id}");
  ck_assert_ptr_nonnull(at);
  snprintf(c->path, sizeof c->path, "%.*s%lld%s", (int)(at - pattern), pattern, (long long)id,
           at + 4);
}

static void add_query(struct call *c, const char *fmt, const char *value) {
  size_t n = strlen(c->path);
  snprintf(c->path + n, sizeof c->path - n, fmt, value);
}

static void other_kelurahan_filter(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)admitted;
  if (side == OTHER)
    add_query(c, "?kelurahan=%s", fx.kel[1]);
}

static void b_login(enum role role, enum side side, int admitted, struct call *c) {
  (void)side;
  (void)admitted;
  const char *as = role == NONE ? "officer" : role_names[role];
  c->body = json_pack("{s:s, s:s}", "username", tu_demo(&srv, as, "username"), "password",
                      tu_demo(&srv, as, "password"));
}

static void b_logout(enum role role, enum side side, int admitted, struct call *c) {
  (void)side;
  if (admitted) /* the cell revokes its token: a throwaway one */
    c->token = c->own_token = tu_login(&srv, role_names[role]);
}

static void b_resident_create(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)admitted;
  const char *kel = fx.kel[side == OWN ? 0 : 1];
  char nik[40], region[8];
  snprintf(region, sizeof region, "%.2s%.2s%.2s", kel, kel + 3, kel + 6);
  /* serials from 5000 up: registered here once, never by new_resident() */
  static int serial = 5000;
  snprintf(nik, sizeof nik, "%s430290%04d", region, ++serial);
  c->body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "nik", nik, "name", "Warga Daftar Matriks",
                      "sex", "P", "birth_date", "1990-02-03", "kelurahan_code", kel, "desil", 3);
}

/* A name every seeded kelurahan has someone of ("a"), in the other
 * kelurahan on the other side: a desk then finds nobody, with 200. */
static void b_resident_search(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)admitted;
  c->body = side == OTHER ? json_pack("{s:s, s:s}", "name", "ana", "kelurahan", fx.kel[1])
                          : json_pack("{s:s}", "name", "ana");
}

/* A page file at the version the HTML names today: {v} of the pattern
 * (already in c->path) replaced. */
static void b_asset(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)side;
  (void)admitted;
  struct tu_resp r;
  tu_request(&srv, "GET", "/", NULL, NULL, NULL, 0, &r);
  const char *a = r.status == 200 ? strstr(r.body, "/assets/") : NULL;
  ck_assert_ptr_nonnull(a);
  a += strlen("/assets/");
  char file[128];
  snprintf(file, sizeof file, "%s", c->path + strlen("/assets/{v}/"));
  snprintf(c->path, sizeof c->path, "/assets/%.*s/%s", (int)strspn(a, "0123456789"), a, file);
  tu_resp_free(&r);
}

static void b_resident_patch(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)side;
  (void)admitted;
  c->body = json_pack("{s:s, s:i}", "reason", "uji matriks akses", "dependants", 1);
}

static void b_resident_erase(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  if (admitted && side != MISSING)
    put_id(c, "/v1/residents/{id}", new_resident(side, 0));
  c->body = json_pack("{s:s}", "reason", "uji matriks akses");
}

static void b_verify(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)side;
  (void)admitted;
  c->body = json_pack("{s:s}", "note", "uji matriks akses");
}

/* An objection (officer) to the desil of the side's fixture resident. */
static int64_t new_objection(enum side side) {
  char path[80];
  snprintf(path, sizeof path, "/v1/residents/%lld/objections", (long long)fx.id[K_RESIDENT][side]);
  return id_of(tu_call_json(&srv, "POST", path, tok[OFFICER],
                            json_pack("{s:s, s:s, s:s}", "field", "desil", "proposed_value", "1",
                                      "reason", "uji matriks akses"),
                            201));
}

static void b_objection(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)side;
  (void)admitted;
  c->body = json_pack("{s:s, s:s, s:s}", "field", "desil", "proposed_value", "1", "reason",
                      "uji matriks akses");
}

/* Resolving spends the objection: a fresh one for each admitted cell. */
static void b_objection_resolve(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  if (admitted)
    put_id(c, "/v1/objections/{id}", new_objection(side));
  c->body = json_pack("{s:s, s:s}", "status", "rejected", "note", "uji matriks akses");
}

static void b_audit_list(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)admitted;
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)fx.id[K_RESIDENT][OTHER]);
  if (side == OTHER)
    add_query(c, "?resident=%s", id);
}

static void b_employer_create(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)admitted;
  c->body = json_pack("{s:s, s:s, s:s}", "name", "PT Uji Matriks", "sector", "office", "kelurahan",
                      fx.kel[side == OWN ? 0 : 1]);
}

static void b_employer_patch(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)side;
  (void)admitted;
  /* the one field every admitted role may change (an employer: name, address) */
  c->body = json_pack("{s:s}", "address", "Jl. Uji Matriks No. 1");
}

static void b_vacancy_list(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)admitted;
  if (side == OTHER)
    add_query(c, "?employer=%s", fx.employer_code[1]);
}

/* An employer posts for itself and may not name an employer, so its
 * "other" cell names another one (400); officers name either. */
static void b_vacancy_create(enum role role, enum side side, int admitted, struct call *c) {
  (void)admitted;
  c->body = json_pack("{s:s, s:s, s:i, s:i}", "title", "Kasir Uji Matriks", "vocation", "retail",
                      "openings", 2, "wage_monthly", 5500000);
  if (role != EMPLOYER || side == OTHER)
    json_object_set_new(c->body, "employer", json_string(fx.employer_code[side == OWN ? 0 : 1]));
}

static void b_vacancy_patch(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)side;
  (void)admitted;
  c->body = json_pack("{s:s}", "title", "Staf Administrasi Matriks"); /* as it is */
}

static void b_course_create(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)side;
  (void)admitted;
  c->body = json_pack("{s:s, s:s, s:i, s:i, s:[s]}", "name", "Kursus Uji Matriks", "vocation",
                      "office", "hours", 40, "batch_capacity", 20, "skills", "OFC-004");
}

static void b_batch_create(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)side;
  (void)admitted;
  c->body = json_pack("{s:s, s:s}", "start_date", "2027-06-01", "end_date", "2027-07-31");
}

static void b_batch_patch(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)side;
  (void)admitted;
  c->body = json_pack("{s:i}", "capacity", 200); /* as it is */
}

/* Enrols a new resident of side (the batch is the path's). */
static void b_enrol(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  int64_t rid = side == MISSING ? MISSING_ID
                : admitted      ? new_resident(side, 0)
                                : fx.id[K_RESIDENT][side];
  c->body = json_pack("{s:I}", "resident_id", (json_int_t)rid);
}

static void b_enrolment_patch(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  if (admitted && side != MISSING)
    put_id(c, "/v1/enrolments/{id}", new_enrolment(side));
  c->body = json_pack("{s:s}", "status", "dropped");
}

static void b_match_run(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)side;
  (void)admitted;
  c->body = json_pack("{s:s}", "algorithm", "exact");
}

static void b_referral_list(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)admitted;
  char id[24];
  snprintf(id, sizeof id, "%lld", (long long)fx.id[K_VACANCY][OTHER]);
  if (side == OTHER)
    add_query(c, "?vacancy_id=%s", id);
}

/* Refers a new eligible resident of side to a vacancy open to everyone. */
static void b_referral_create(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  int64_t rid = side == MISSING ? MISSING_ID
                : admitted      ? new_resident(side, 1)
                                : fx.id[K_RESIDENT][side];
  c->body = json_pack("{s:I, s:I}", "resident_id", (json_int_t)rid, "vacancy_id",
                      (json_int_t)fx.id[K_VACANCY][OWN]);
}

/* confirmed → interviewed: a move the vacancy's employer may make too. */
static void b_referral_patch(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  if (admitted && side != MISSING)
    put_id(c, "/v1/referrals/{id}", new_referral(side));
  c->body = json_pack("{s:s}", "status", "interviewed");
}

/* A pin on the desk's kelurahan (own) or another (other). */
static void b_pin(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)admitted;
  snprintf(c->path, sizeof c->path, "/v1/kelurahan/%s/pin", fx.kel[side == OWN ? 0 : 1]);
}

/* Withdraws a throwaway referral of side in bulk. */
static void b_decisions(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  int64_t id = admitted && side != MISSING ? new_referral(side) : fx.id[K_REFERRAL][OWN];
  c->body = json_pack("{s:[{s:s, s:I, s:s}]}", "decisions", "kind", "referral", "id",
                      (json_int_t)id, "action", "withdraw");
}

/* A one-row DTSEN extract of a new resident, checked but not written. */
static void b_import_dtsen(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)side;
  (void)admitted;
  static const struct {
    const char *column, *value;
  } row[] = {{"nik", "3671104302909990"},
             {"name", "Warga Impor Matriks"},
             {"sex", "P"},
             {"birth_date", "1990-02-03"},
             {"kelurahan_code", "36.71.10.1001"},
             {"desil", "3"},
             {"verified_at", "2026-01-05"},
             {"synthetic", "0"}};
  size_t cap = 4096, used = 0;
  c->raw = calloc(1, cap);
  ck_assert_ptr_nonnull(c->raw);
  for (int line = 0; line < 2; line++)
    for (size_t i = 0; i < DTSEN_N_COLUMNS; i++) {
      const char *v = "";
      for (size_t k = 0; line == 1 && k < sizeof row / sizeof row[0]; k++)
        if (strcmp(row[k].column, dtsen_columns[i]) == 0)
          v = row[k].value;
      used += (size_t)snprintf(c->raw + used, cap - used, "%s%s", line == 0 ? dtsen_columns[i] : v,
                               i + 1 < DTSEN_N_COLUMNS ? "," : "\n");
      ck_assert_uint_lt(used, cap);
    }
  add_query(c, "%s", "?dry_run=true");
}

static void b_import_interventions(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)side;
  (void)admitted;
  char path[64];
  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)fx.id[K_RESIDENT][OWN]);
  json_t *res = tu_call_json(&srv, "GET", path, tok[OFFICER], NULL, 200);
  const char *nik = json_string_value(json_object_get(res, "nik"));
  ck_assert_ptr_nonnull(nik);
  size_t cap = 512;
  c->raw = malloc(cap);
  ck_assert_ptr_nonnull(c->raw);
  snprintf(c->raw, cap,
           "nik,kind,office,start_date,end_date,status,source_ref\n"
           "%s,social_aid,Dinsos,2026-01-05,,active,MATRIKS-1\n",
           nik);
  json_decref(res);
  add_query(c, "%s", "?dry_run=true");
}

/* A throwaway API key (the cell revokes or rotates it) of side's employer,
 * made by the admin. */
static int64_t new_key(enum side side) {
  char path[80];
  snprintf(path, sizeof path, "/v1/employers/%lld/api-keys",
           (long long)fx.id[K_EMPLOYER][side == OWN ? OWN : OTHER]);
  return id_of(
      tu_call_json(&srv, "POST", path, tok[ADMIN],
                   json_pack("{s:s, s:[s]}", "name", "matriks", "scopes", "vacancies:read"), 201));
}

static void b_key_create(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)side;
  (void)admitted;
  c->body = json_pack("{s:s, s:[s]}", "name", "matriks", "scopes", "vacancies:read");
}

static void b_key_spend(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  if (admitted && side != MISSING) {
    int64_t id = new_key(side);
    const char *rotate = strstr(c->path, "/rotate");
    put_id(c, rotate != NULL ? "/v1/api-keys/{id}/rotate" : "/v1/api-keys/{id}", id);
  }
}

/* A webhook endpoint of side's employer at a name that never resolves, so
 * its deliveries stay pending for the whole run. */
static int64_t new_hook(enum side side) {
  char path[80];
  snprintf(path, sizeof path, "/v1/employers/%lld/webhooks",
           (long long)fx.id[K_EMPLOYER][side == OWN ? OWN : OTHER]);
  return id_of(tu_call_json(&srv, "POST", path, tok[ADMIN],
                            json_pack("{s:s, s:[s,s,s]}", "url", "https://hr-matriks.invalid/padan",
                                      "events", "referral.confirmed", "referral.withdrawn",
                                      "vacancy.shortlist_changed"),
                            201));
}

static void b_hook_create(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  (void)side;
  (void)admitted;
  c->body = json_pack("{s:s, s:[s]}", "url", "https://hr-matriks.invalid/padan", "events",
                      "vacancy.closing");
}

static void b_hook_delete(enum role role, enum side side, int admitted, struct call *c) {
  (void)role;
  if (admitted && side != MISSING)
    put_id(c, "/v1/webhooks/{id}", new_hook(side));
}

/* ---- The expectation table ---------------------------------------------------------
 * One row per route: the kind of object its {id} names, the builder, and
 * the status of each cell, {own, other} for admin, officer, employer, desk
 * and no token, from DESIGN.md §6:
 *
 *   residents (NIK, desil, address): admin, officer all; desk own
 *     kelurahan (another's answers 404); employer never (403);
 *   vacancies: admin, officer all; employer own (read, write; another's
 *     404); desk reads open ones (a closed one 404);
 *   candidates: admin, officer; employer own vacancies; desk no (403);
 *   recommendations: admin, officer; desk own kelurahan; employer no;
 *   match runs, training plans: admin, officer;
 *   referrals: admin, officer all; employer own vacancies, status only;
 *     desk creates for and reads its own residents;
 *   reports: everyone in their scope (the targeting report shows poverty
 *     status: not to employers; the overlap and unserved lists name
 *     residents: officers the city, a desk its own kelurahan and no other);
 *   users, audit log: admin (a resident's own access record: admin and
 *     officer, who answer UU PDP requests).
 *
 * Beyond the table, the route tables make these choices, written down
 * here so that changing one is deliberate: registering, verifying and
 * enrolling residents is case work for officers and desks, not for the
 * system administrator (admin 403), while erasure is the administrator's
 * alone; a desk registers residents of its own kelurahan only (another
 * kelurahan's code: 403); employers are catalogue data every role reads;
 * courses and batches are read by every role and written by admin and
 * officer; an employer may change its own name and address. */

/* A row's cells: ROW(admin, officer, employer, desk, no token), each
 * P(own, other) or S2(both). */
#define P(own, other) own, other
#define S2(x) x, x
#define ROW(a, o, e, d, n)                                                                         \
  {                                                                                                \
    {a}, {o}, {e}, {d}, {                                                                          \
      n                                                                                            \
    }                                                                                              \
  }
#define ANYONE ROW(S2(200), S2(200), S2(200), S2(200), S2(401))
#define EVERYONE_NO_TOKEN ROW(S2(200), S2(200), S2(200), S2(200), S2(200))
#define STAFF_ONLY(ok) ROW(S2(ok), S2(ok), S2(403), S2(403), S2(401))
#define ADMIN_ONLY(ok) ROW(S2(ok), S2(403), S2(403), S2(403), S2(401))
/* an employer's API keys and webhooks: its own employer's, or an admin */
#define HR_CLIENTS(ok) ROW(S2(ok), S2(403), P(ok, 404), S2(403), S2(401))
/* residents' personal data: desk own kelurahan, employer never */
#define PERSONAL(ok) ROW(S2(ok), S2(ok), S2(403), P(ok, 404), S2(401))

struct route_case {
  const char *method, *pattern;
  enum kind kind;
  void (*build)(enum role, enum side, int admitted, struct call *);
  int last; /* run after every other route's cells */
  int expect[N_PERSONS][2];
};

static const struct route_case cases[] = {
    {"GET", "/healthz", K_NONE, NULL, 0, EVERYONE_NO_TOKEN},
    {"GET", "/metrics", K_NONE, NULL, 0, EVERYONE_NO_TOKEN},
    {"GET", "/v1/openapi.json", K_NONE, NULL, 0, EVERYONE_NO_TOKEN},
    {"GET", "/", K_NONE, NULL, 0, EVERYONE_NO_TOKEN},
    {"GET", "/assets/{v}/app.js", K_NONE, b_asset, 0, EVERYONE_NO_TOKEN},
    {"GET", "/assets/{v}/api.js", K_NONE, b_asset, 0, EVERYONE_NO_TOKEN},
    {"GET", "/assets/{v}/render.js", K_NONE, b_asset, 0, EVERYONE_NO_TOKEN},
    {"GET", "/assets/{v}/charts.js", K_NONE, b_asset, 0, EVERYONE_NO_TOKEN},
    {"GET", "/assets/{v}/desk.js", K_NONE, b_asset, 0, EVERYONE_NO_TOKEN},
    {"GET", "/assets/{v}/officer.js", K_NONE, b_asset, 0, EVERYONE_NO_TOKEN},
    {"GET", "/assets/{v}/employer.js", K_NONE, b_asset, 0, EVERYONE_NO_TOKEN},
    {"GET", "/assets/{v}/i18n/id.js", K_NONE, b_asset, 0, EVERYONE_NO_TOKEN},
    {"GET", "/assets/{v}/i18n/en.js", K_NONE, b_asset, 0, EVERYONE_NO_TOKEN},
    {"GET", "/assets/{v}/app.css", K_NONE, b_asset, 0, EVERYONE_NO_TOKEN},
    {"GET", "/assets/{v}/print.css", K_NONE, b_asset, 0, EVERYONE_NO_TOKEN},
    {"GET", "/assets/{v}/icon.svg", K_NONE, b_asset, 0, EVERYONE_NO_TOKEN},
    {"POST", "/v1/auth/login", K_NONE, b_login, 0, EVERYONE_NO_TOKEN},
    {"POST", "/v1/auth/logout", K_NONE, b_logout, 0,
     ROW(S2(204), S2(204), S2(204), S2(204), S2(401))},
    {"GET", "/v1/me", K_NONE, NULL, 0, ANYONE},
    {"GET", "/v1/kelurahan", K_NONE, NULL, 0, ANYONE},
    {"POST", "/v1/kelurahan/{code}/pin", K_NONE, b_pin, 0, STAFF_ONLY(200)},
    {"DELETE", "/v1/kelurahan/{code}/pin", K_NONE, b_pin, 0, STAFF_ONLY(200)},

    {"GET", "/v1/residents", K_NONE, other_kelurahan_filter, 0,
     ROW(S2(200), S2(200), S2(403), S2(200), S2(401))},
    {"POST", "/v1/residents", K_NONE, b_resident_create, 0,
     ROW(S2(403), S2(201), S2(403), P(201, 403), S2(401))},
    {"POST", "/v1/residents/search", K_NONE, b_resident_search, 0,
     ROW(S2(200), S2(200), S2(403), S2(200), S2(401))},
    {"GET", "/v1/residents/{id}", K_RESIDENT, NULL, 0, PERSONAL(200)},
    {"PATCH", "/v1/residents/{id}", K_RESIDENT, b_resident_patch, 0, PERSONAL(200)},
    {"DELETE", "/v1/residents/{id}", K_RESIDENT, b_resident_erase, 0, ADMIN_ONLY(204)},
    {"POST", "/v1/residents/{id}/verification", K_RESIDENT, b_verify, 0,
     ROW(S2(403), S2(200), S2(403), P(200, 404), S2(401))},
    {"GET", "/v1/residents/{id}/history", K_RESIDENT, NULL, 0, PERSONAL(200)},
    {"GET", "/v1/residents/{id}/export", K_RESIDENT, NULL, 0, PERSONAL(200)},
    {"GET", "/v1/verification-queue", K_NONE, other_kelurahan_filter, 0,
     ROW(S2(200), S2(200), S2(403), S2(200), S2(401))},
    {"GET", "/v1/audit", K_NONE, b_audit_list, 0, ADMIN_ONLY(200)},
    {"GET", "/v1/residents/{id}/access-record", K_RESIDENT, NULL, 0, STAFF_ONLY(200)},
    {"POST", "/v1/residents/{id}/objections", K_RESIDENT, b_objection, 0,
     ROW(S2(201), S2(201), S2(403), P(201, 404), S2(401))},
    {"GET", "/v1/objections", K_NONE, NULL, 0, ROW(S2(200), S2(200), S2(403), S2(200), S2(401))},
    {"GET", "/v1/objections/{id}", K_OBJECTION, NULL, 0, PERSONAL(200)},
    {"PATCH", "/v1/objections/{id}", K_OBJECTION, b_objection_resolve, 0,
     ROW(S2(200), S2(200), S2(403), S2(403), S2(401))},

    {"GET", "/v1/employers", K_NONE, other_kelurahan_filter, 0, ANYONE},
    {"POST", "/v1/employers", K_NONE, b_employer_create, 0, STAFF_ONLY(201)},
    {"GET", "/v1/employers/{id}", K_EMPLOYER, NULL, 0,
     ROW(S2(200), S2(200), P(200, 404), S2(200), S2(401))},
    {"PATCH", "/v1/employers/{id}", K_EMPLOYER, b_employer_patch, 0,
     ROW(S2(200), S2(200), P(200, 404), S2(403), S2(401))},

    {"GET", "/v1/vacancies", K_NONE, b_vacancy_list, 0, ANYONE},
    {"POST", "/v1/vacancies", K_NONE, b_vacancy_create, 0,
     ROW(S2(201), S2(201), P(201, 400), S2(403), S2(401))},
    {"GET", "/v1/vacancies/{id}", K_VACANCY, NULL, 0,
     ROW(S2(200), S2(200), P(200, 404), P(200, 404), S2(401))},
    {"PATCH", "/v1/vacancies/{id}", K_VACANCY, b_vacancy_patch, 0,
     ROW(S2(200), S2(200), P(200, 404), S2(403), S2(401))},
    {"GET", "/v1/vacancies/{id}/candidates", K_VACANCY, NULL, 0,
     ROW(S2(200), S2(200), P(200, 404), S2(403), S2(401))},
    {"GET", "/v1/residents/{id}/recommendations", K_RESIDENT, NULL, 0,
     ROW(S2(200), S2(200), S2(403), P(200, 404), S2(401))},
    {"GET", "/v1/training-plan", K_NONE, NULL, 0, STAFF_ONLY(200)},

    {"GET", "/v1/courses", K_NONE, NULL, 0, ANYONE},
    {"POST", "/v1/courses", K_NONE, b_course_create, 0, STAFF_ONLY(201)},
    {"GET", "/v1/courses/{id}", K_COURSE, NULL, 0, ANYONE},
    {"GET", "/v1/courses/{id}/batches", K_COURSE, NULL, 0, ANYONE},
    {"POST", "/v1/courses/{id}/batches", K_COURSE, b_batch_create, 0, STAFF_ONLY(201)},
    {"GET", "/v1/batches/{id}", K_BATCH, NULL, 0, ANYONE},
    {"PATCH", "/v1/batches/{id}", K_BATCH, b_batch_patch, 0, STAFF_ONLY(200)},
    {"GET", "/v1/batches/{id}/enrolments", K_BATCH, NULL, 0,
     ROW(S2(200), S2(200), S2(403), S2(200), S2(401))},
    {"POST", "/v1/batches/{id}/enrolments", K_BATCH, b_enrol, 0,
     ROW(S2(403), S2(201), S2(403), P(201, 404), S2(401))},
    {"GET", "/v1/enrolments/{id}", K_ENROLMENT, NULL, 0,
     ROW(S2(200), S2(200), S2(403), P(200, 404), S2(401))},
    {"PATCH", "/v1/enrolments/{id}", K_ENROLMENT, b_enrolment_patch, 0,
     ROW(S2(403), S2(200), S2(403), P(200, 404), S2(401))},

    {"GET", "/v1/match-runs", K_NONE, NULL, 0, STAFF_ONLY(200)},
    {"POST", "/v1/match-runs", K_NONE, b_match_run, 1, STAFF_ONLY(201)},
    {"GET", "/v1/match-runs/{id}", K_MATCH_RUN, NULL, 0, STAFF_ONLY(200)},
    {"GET", "/v1/match-runs/{id}/proposals", K_MATCH_RUN, NULL, 0, STAFF_ONLY(200)},
    {"POST", "/v1/proposals/decisions", K_NONE, b_decisions, 0, STAFF_ONLY(200)},
    {"GET", "/v1/referrals", K_NONE, b_referral_list, 0, ANYONE},
    {"POST", "/v1/referrals", K_NONE, b_referral_create, 0,
     ROW(S2(201), S2(201), S2(403), P(201, 404), S2(401))},
    {"GET", "/v1/referrals/{id}", K_REFERRAL, NULL, 0,
     ROW(S2(200), S2(200), P(200, 404), P(200, 404), S2(401))},
    {"PATCH", "/v1/referrals/{id}", K_REFERRAL, b_referral_patch, 0,
     ROW(S2(200), S2(200), P(200, 404), S2(403), S2(401))},

    {"GET", "/v1/reports/funnel", K_NONE, NULL, 0, ANYONE},
    {"GET", "/v1/reports/course-outcomes", K_NONE, NULL, 0, ANYONE},
    {"GET", "/v1/reports/skills-gap", K_NONE, NULL, 0, ANYONE},
    {"GET", "/v1/reports/targeting", K_NONE, NULL, 0,
     ROW(S2(200), S2(200), S2(403), S2(200), S2(401))},
    {"GET", "/v1/reports/overlaps", K_NONE, other_kelurahan_filter, 0,
     ROW(S2(200), S2(200), S2(403), P(200, 403), S2(401))},
    {"GET", "/v1/reports/unserved", K_NONE, other_kelurahan_filter, 0,
     ROW(S2(200), S2(200), S2(403), P(200, 403), S2(401))},
    {"POST", "/v1/reports/course-outcomes/measure", K_NONE, NULL, 0, STAFF_ONLY(200)},
    {"POST", "/v1/imports/dtsen", K_NONE, b_import_dtsen, 0, STAFF_ONLY(200)},
    {"POST", "/v1/imports/interventions", K_NONE, b_import_interventions, 0, STAFF_ONLY(200)},

    /* API keys and webhooks: an employer its own, an admin any employer's */
    {"GET", "/v1/employers/{id}/api-keys", K_EMPLOYER, NULL, 0, HR_CLIENTS(200)},
    {"POST", "/v1/employers/{id}/api-keys", K_EMPLOYER, b_key_create, 0, HR_CLIENTS(201)},
    {"GET", "/v1/api-keys/{id}", K_APIKEY, NULL, 0, HR_CLIENTS(200)},
    {"DELETE", "/v1/api-keys/{id}", K_APIKEY, b_key_spend, 0, HR_CLIENTS(200)},
    {"POST", "/v1/api-keys/{id}/rotate", K_APIKEY, b_key_spend, 0, HR_CLIENTS(201)},
    {"GET", "/v1/employers/{id}/webhooks", K_EMPLOYER, NULL, 0, HR_CLIENTS(200)},
    {"POST", "/v1/employers/{id}/webhooks", K_EMPLOYER, b_hook_create, 0, HR_CLIENTS(201)},
    {"GET", "/v1/webhooks/{id}", K_WEBHOOK, NULL, 0, HR_CLIENTS(200)},
    {"DELETE", "/v1/webhooks/{id}", K_WEBHOOK, b_hook_delete, 0, HR_CLIENTS(204)},
    {"GET", "/v1/webhooks/{id}/deliveries", K_WEBHOOK, NULL, 0, HR_CLIENTS(200)},
    /* the fixture's deliveries are pending: only a dead one replays */
    {"POST", "/v1/webhook-deliveries/{id}/replay", K_DELIVERY, NULL, 0, HR_CLIENTS(409)},
};
#define N_CASES (sizeof cases / sizeof cases[0])

/* ---- The fixture ------------------------------------------------------------------ */

static void suite_start(void) {
  tu_server_start(&srv, RESIDENTS, 41);
  for (int i = 0; i < NONE; i++)
    tok[i] = tu_login(&srv, role_names[i]);
}

/* The demo employer's key with one scope (role's); the caller frees. */
static char *employer_key(enum role role) {
  json_t *me = tu_call_json(&srv, "GET", "/v1/me", tok[EMPLOYER], NULL, 200);
  char path[80];
  snprintf(
      path, sizeof path, "/v1/employers/%lld/api-keys",
      (long long)json_integer_value(json_object_get(json_object_get(me, "scope"), "employer_id")));
  json_decref(me);
  json_t *k = tu_call_json(
      &srv, "POST", path, tok[EMPLOYER],
      json_pack("{s:s, s:[s]}", "name", role_names[role], "scopes", role_names[role]), 201);
  char *key = strdup(json_string_value(json_object_get(k, "key")));
  json_decref(k);
  ck_assert_ptr_nonnull(key);
  tu_track_employer_token(key);
  return key;
}

static void suite_stop(void) {
  for (int i = 0; i < N_ROLES; i++)
    free(tok[i]);
  tu_server_stop(&srv);
}

/* "kind:value" of a demo account's scope, value into out. */
static void scope_value(const char *role, char *out, size_t size) {
  const char *scope = tu_demo(&srv, role, "scope");
  const char *colon = strchr(scope, ':');
  ck_assert_ptr_nonnull(colon);
  snprintf(out, size, "%s", colon + 1);
}

static void build_fixture(void) {
  memset(&fx, 0, sizeof fx);
  scope_value("desk", fx.kel[0], sizeof fx.kel[0]);
  snprintf(fx.kel[1], sizeof fx.kel[1], "%s", OTHER_KELURAHAN);
  ck_assert_str_ne(fx.kel[0], fx.kel[1]);
  scope_value("employer", fx.employer_code[0], sizeof fx.employer_code[0]);

  /* Match runs first: they propose whoever is eligible then, so that the
   * residents made below stay free for the cells. */
  for (int s = OWN; s <= OTHER; s++)
    fx.id[K_MATCH_RUN][s] =
        id_of(tu_call_json(&srv, "POST", "/v1/match-runs", tok[OFFICER], json_object(), 201));

  json_t *me = tu_call_json(&srv, "GET", "/v1/me", tok[EMPLOYER], NULL, 200);
  fx.id[K_EMPLOYER][OWN] =
      (int64_t)json_integer_value(json_object_get(json_object_get(me, "scope"), "employer_id"));
  json_decref(me);
  json_t *list = tu_call_json(&srv, "GET", "/v1/employers?limit=2", tok[OFFICER], NULL, 200);
  for (size_t i = 0; i < json_array_size(json_object_get(list, "items")); i++) {
    json_t *e = json_array_get(json_object_get(list, "items"), i);
    int64_t id = (int64_t)json_integer_value(json_object_get(e, "id"));
    if (id != fx.id[K_EMPLOYER][OWN] && fx.id[K_EMPLOYER][OTHER] == 0) {
      fx.id[K_EMPLOYER][OTHER] = id;
      snprintf(fx.employer_code[1], sizeof fx.employer_code[1], "%s",
               json_string_value(json_object_get(e, "code")));
    }
  }
  json_decref(list);
  ck_assert_int_gt(fx.id[K_EMPLOYER][OTHER], 0);

  for (int k = KEY_READ; k < N_ROLES; k++)
    tok[k] = employer_key((enum role)k);
  /* keys and webhook endpoints of both employers; the endpoints exist
   * before the referrals below, whose events give them deliveries */
  for (int s = OWN; s <= OTHER; s++) {
    fx.id[K_APIKEY][s] = new_key((enum side)s);
    fx.id[K_WEBHOOK][s] = new_hook((enum side)s);
  }

  fx.id[K_RESIDENT][OWN] = new_resident(OWN, 1);
  fx.id[K_RESIDENT][OTHER] = new_resident(OTHER, 1);

  fx.id[K_VACANCY][OWN] = new_vacancy(fx.employer_code[0], fx.kel[0]);
  fx.open_vacancy_other = new_vacancy(fx.employer_code[1], fx.kel[1]);
  fx.id[K_REFERRAL][OWN] = new_referral(OWN);
  /* the other referral's vacancy is closed afterwards: hidden from desks */
  int64_t closing = new_vacancy(fx.employer_code[1], fx.kel[1]);
  int64_t rid = new_resident(OTHER, 1);
  fx.id[K_REFERRAL][OTHER] = id_of(tu_call_json(
      &srv, "POST", "/v1/referrals", tok[OFFICER],
      json_pack("{s:I, s:I}", "resident_id", (json_int_t)rid, "vacancy_id", (json_int_t)closing),
      201));
  char path[64];
  snprintf(path, sizeof path, "/v1/vacancies/%lld", (long long)closing);
  json_decref(
      tu_call_json(&srv, "PATCH", path, tok[OFFICER], json_pack("{s:s}", "status", "closed"), 200));
  fx.id[K_VACANCY][OTHER] = closing;

  list = tu_call_json(&srv, "GET", "/v1/courses?limit=2", tok[OFFICER], NULL, 200);
  ck_assert_uint_eq(json_array_size(json_object_get(list, "items")), 2);
  for (int s = OWN; s <= OTHER; s++) {
    fx.id[K_COURSE][s] = (int64_t)json_integer_value(
        json_object_get(json_array_get(json_object_get(list, "items"), (size_t)s), "id"));
    fx.id[K_BATCH][s] = new_batch(fx.id[K_COURSE][s]);
  }
  json_decref(list);
  fx.id[K_ENROLMENT][OWN] = new_enrolment(OWN);
  fx.id[K_ENROLMENT][OTHER] = new_enrolment(OTHER);
  fx.id[K_OBJECTION][OWN] = new_objection(OWN);
  fx.id[K_OBJECTION][OTHER] = new_objection(OTHER);
  for (int s = OWN; s <= OTHER; s++) {
    snprintf(path, sizeof path, "/v1/webhooks/%lld/deliveries", (long long)fx.id[K_WEBHOOK][s]);
    list = tu_call_json(&srv, "GET", path, tok[ADMIN], NULL, 200);
    ck_assert_uint_gt(json_array_size(json_object_get(list, "items")), 0);
    fx.id[K_DELIVERY][s] = id_of(json_incref(json_array_get(json_object_get(list, "items"), 0)));
    json_decref(list);
  }
}

/* ---- Running the matrix -------------------------------------------------------------- */

/* 404 cells compared with the missing id's answer, for the summary. */
static int compared;

struct cell {
  int got;
  int same_as_missing; /* a 404 cell: 1 when its bytes equal the missing id's */
};

static const struct route_case *case_of(const struct api_route *rt) {
  for (size_t i = 0; i < N_CASES; i++)
    if (strcmp(cases[i].method, rt->method) == 0 && strcmp(cases[i].pattern, rt->pattern) == 0)
      return &cases[i];
  return NULL;
}

/* The scopes that admit a key to route c (0: none). */
static unsigned key_scopes(const struct route_case *c) {
  for (size_t i = 0; i < sizeof key_routes / sizeof key_routes[0]; i++)
    if (strcmp(key_routes[i].method, c->method) == 0 &&
        strcmp(key_routes[i].pattern, c->pattern) == 0)
      return key_routes[i].scopes;
  return 0;
}

/* The expected status of a cell: the table's for a person or no token;
 * for a key, the employer's where its scope admits it, the anonymous
 * answer on a public route, else 403. */
static int expected(const struct route_case *c, unsigned roles, int role, int side) {
  if (role < N_PERSONS)
    return c->expect[role][side];
  if (roles == API_PUBLIC)
    return c->expect[NONE][side];
  return (key_scopes(c) & key_bits[role]) != 0 ? c->expect[EMPLOYER][side] : 403;
}

/* Sends the cell (role, side) of route c; the answer into r. */
static void run_cell(const struct route_case *c, unsigned roles, enum role role, enum side side,
                     struct tu_resp *r) {
  struct call call = {.token = tok[role]};
  int admitted =
      roles == API_PUBLIC || ((roles & role_bits[role]) != 0 &&
                              (role < N_PERSONS || (key_scopes(c) & key_bits[role]) != 0));
  if (role >= N_PERSONS)
    role = EMPLOYER; /* the builders see a key as the employer it is */
  if (c->kind != K_NONE)
    put_id(&call, c->pattern, side == MISSING ? MISSING_ID : fx.id[c->kind][side]);
  else
    snprintf(call.path, sizeof call.path, "%s", c->pattern);
  if (c->build != NULL)
    c->build(role, side, admitted, &call);
  send_call(&call, c->method, r);
  call_free(&call);
}

static void run_route(const struct route_case *c, unsigned roles, struct cell out[N_ROLES][2]) {
  for (int role = 0; role < N_ROLES; role++)
    for (int side = OWN; side <= OTHER; side++) {
      struct tu_resp r, m;
      struct cell *cell = &out[role][side];
      run_cell(c, roles, (enum role)role, (enum side)side, &r);
      cell->got = r.status;
      cell->same_as_missing = 1;
      if (expected(c, roles, role, side) == 404 && r.status == 404) {
        run_cell(c, roles, (enum role)role, MISSING, &m);
        compared++;
        cell->same_as_missing = tu_same_answer(&r, &m);
        if (!cell->same_as_missing)
          fprintf(stderr, "%s %s as %s (%s): hidden\n  %s\nmissing\n  %s\n", c->method, c->pattern,
                  role_names[role], side == OWN ? "own" : "other", r.body, m.body);
        tu_resp_free(&m);
      }
      tu_resp_free(&r);
    }
}

/* One line of the matrix: each cell's status, a wrong one as got(expected),
 * a 404 that differs from the missing id's marked '#'.  The number of
 * wrong cells. */
static int print_row(const struct route_case *c, unsigned roles, struct cell cells[N_ROLES][2],
                     int print) {
  char line[512];
  int used = snprintf(line, sizeof line, "%-6s %-40s", c->method, c->pattern), wrong = 0;
  for (int role = 0; role < N_ROLES; role++) {
    used += snprintf(line + used, sizeof line - (size_t)used, " %c", role_letters[role]);
    for (int side = OWN; side <= OTHER; side++) {
      const struct cell *x = &cells[role][side];
      int want = expected(c, roles, role, side), bad = x->got != want || !x->same_as_missing;
      wrong += bad;
      if (x->got != want)
        used += snprintf(line + used, sizeof line - (size_t)used, "%s%d(%d)", side ? "/" : " ",
                         x->got, want);
      else
        used += snprintf(line + used, sizeof line - (size_t)used, "%s%d%s", side ? "/" : " ",
                         x->got, x->same_as_missing ? "" : "#");
    }
  }
  if (print)
    fprintf(stderr, "%s%s\n", line, wrong ? "   <--" : "");
  return wrong;
}

START_TEST(every_route_role_and_scope_answers_as_the_access_table_says) {
  const struct api_route *routes[MAX_ROUTES];
  size_t n = api_routes_list(routes, MAX_ROUTES);
  ck_assert_uint_le(n, MAX_ROUTES);
  static struct cell cells[MAX_ROUTES][N_ROLES][2];
  const struct route_case *of[MAX_ROUTES];
  int unlisted = 0;

  /* every route has a row, and every row a route */
  for (size_t i = 0; i < n; i++) {
    of[i] = case_of(routes[i]);
    ck_assert_msg(strstr(routes[i]->pattern, "{id}") == NULL ||
                      strstr(strstr(routes[i]->pattern, "{id}") + 1, "{") == NULL,
                  "%s has more than one id: give the matrix a kind for each", routes[i]->pattern);
    if (of[i] == NULL) {
      fprintf(stderr, "no expectation row for %s %s: decide its matrix in %s\n", routes[i]->method,
              routes[i]->pattern, __FILE__);
      unlisted++;
    }
  }
  for (size_t k = 0; k < N_CASES; k++) {
    int found = 0;
    for (size_t i = 0; i < n; i++)
      found |= of[i] == &cases[k];
    ck_assert_msg(found, "expectation row %s %s has no route", cases[k].method, cases[k].pattern);
  }
  ck_assert_msg(unlisted == 0, "%d routes without an expectation row", unlisted);

  build_fixture();
  for (int last = 0; last <= 1; last++)
    for (size_t i = 0; i < n; i++)
      if (of[i]->last == last)
        run_route(of[i], routes[i]->roles, cells[i]);

  int wrong = 0;
  for (size_t i = 0; i < n; i++)
    wrong += print_row(of[i], routes[i]->roles, cells[i], 0);
  if (wrong > 0) {
    fprintf(stderr, "access matrix (own/other per role, R W O the employer's keys of each scope; "
                    "got(expected); # 404 unlike missing):\n");
    for (size_t i = 0; i < n; i++)
      print_row(of[i], routes[i]->roles, cells[i], 1);
  }
  fprintf(stderr,
          "access matrix: %zu routes x %d roles x 2 = %zu cells, %d wrong; %d answers of 404 "
          "compared with a missing id's\n",
          n, N_ROLES, n * N_ROLES * 2, wrong, compared);
  ck_assert_msg(wrong == 0, "%d cells of the access matrix are wrong (matrix above)", wrong);
}
END_TEST

static Suite *matrix_suite(void) {
  Suite *s = suite_create("access_matrix");
  TCase *tc = tcase_create("matrix");
  tcase_add_unchecked_fixture(tc, suite_start, suite_stop);
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, every_route_role_and_scope_answers_as_the_access_table_says);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  return tu_run_suite(matrix_suite());
}
