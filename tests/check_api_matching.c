/*
 * check_api_matching.c — the matching endpoints over HTTP against the real
 * server: candidates (full and pseudonymous views), recommendations with
 * train-then-apply, the training plan, match runs with officer
 * confirmation, and referrals through their whole life cycle.
 *
 * The fixture seeds 3,000 residents, starts `padan serve`, finds the
 * vacancy with the most candidates (VA) and one of another employer with
 * candidates (VB), and adds accounts scoped to them: emp-a and emp-b (the
 * employers of VA and VB), desk-a (the kelurahan of one of VA's
 * candidates) and desk-b (another kelurahan).  Tests then run in order
 * against that one server; each uses its own candidates of VA, so the
 * state one test leaves behind does not decide another's outcome.  Every
 * answer an employer account receives goes to the suite's employer log
 * ($PADAN_EMPLOYER_LOG) and to this binary's copy of it
 * (tu_employer_log_copy), which the last test checks for personal data.  The database is read
 * directly (SQLite) for facts the API must not or does not show, and
 * written once to backdate a hire for the retention rules.
 */
#include <check.h>
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"
#include "tu_http.h"

#define RESIDENTS 3000
#define MAX_CAND 100
#define NEEDED_CAND 6

static char *data_dir; /* the server's, owned by srv */
/* What this binary's employers were shown (tu_employer_log_copy): read by
 * the last test. */
static char employer_log[600];

/* Found by the fixture. */
static char *tok_admin, *tok_officer, *tok_emp_a, *tok_emp_b, *tok_desk_a, *tok_desk_b;
static int64_t va, vb, emp_a, emp_b, kel_a, kel_b, officer_id;
static int64_t cand[MAX_CAND], vb_cand[MAX_CAND];
static size_t n_cand, n_vb_cand;

static const char *const all_statuses[] = {"proposed",    "confirmed", "interviewed",
                                           "hired",       "rejected",  "retained_3m",
                                           "retained_6m", "left",      "withdrawn"};
#define N_STATUSES (sizeof all_statuses / sizeof all_statuses[0])

/* ---- Requests (tests/tu_http.h) ------------------------------------------------------- */

static struct tu_server srv;

static char *pathf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static char *pathf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return buf;
}

/* ---- The database, read behind the API's back --------------------------------------- */

static sqlite3 *db_open(void) {
  char path[600];
  sqlite3 *db = NULL;
  snprintf(path, sizeof path, "%s/padan.db", data_dir);
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(1);
  }
  sqlite3_busy_timeout(db, 10000);
  return db;
}

static sqlite3_stmt *sql_prepare(sqlite3 *db, const char *fmt, va_list ap) {
  char sql[1024];
  sqlite3_stmt *q = NULL;
  vsnprintf(sql, sizeof sql, fmt, ap);
  if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
    fprintf(stderr, "bad test SQL %s: %s\n", sql, sqlite3_errmsg(db));
    exit(1);
  }
  return q;
}

/* The first column of the first row as an integer, -1 without a row or
 * for NULL. */
static int64_t sql_int(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int64_t sql_int(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sqlite3 *db = db_open();
  sqlite3_stmt *q = sql_prepare(db, fmt, ap);
  va_end(ap);
  int64_t v = -1;
  if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
    v = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(db);
  return v;
}

/* The first column of the first row as text into out ("" for none). */
static void sql_text(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void sql_text(char *out, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sqlite3 *db = db_open();
  sqlite3_stmt *q = sql_prepare(db, fmt, ap);
  va_end(ap);
  out[0] = '\0';
  if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) != NULL)
    snprintf(out, size, "%s", (const char *)sqlite3_column_text(q, 0));
  sqlite3_finalize(q);
  sqlite3_close(db);
}

static void sql_exec(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sql_exec(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sqlite3 *db = db_open();
  sqlite3_stmt *q = sql_prepare(db, fmt, ap);
  va_end(ap);
  ck_assert_int_eq(sqlite3_step(q), SQLITE_DONE);
  sqlite3_finalize(q);
  sqlite3_close(db);
}

/* ---- Fixture -------------------------------------------------------------------------- */

static void die(const char *why) {
  fprintf(stderr, "check_api_matching: %s\n", why);
  exit(1);
}

/* The officer's candidates of vacancy v, by key, into ids; their number. */
static size_t officer_candidates(int64_t v, int64_t *ids) {
  char path[128];
  snprintf(path, sizeof path, "/v1/vacancies/%lld/candidates?limit=100", (long long)v);
  json_t *j = tu_call(&srv, "GET", path, tok_officer, NULL, 200);
  json_t *items = json_object_get(j, "items");
  size_t n = json_array_size(items);
  for (size_t i = 0; ids != NULL && i < n; i++)
    ids[i] = json_integer_value(json_object_get(json_array_get(items, i), "resident_id"));
  json_decref(j);
  return n;
}

/* VA: the vacancy with the most candidates among those with three or more
 * openings (the life-cycle tests hire twice); VB: the first vacancy of
 * another employer with a candidate. */
static void find_vacancies(void) {
  int64_t n_vac = sql_int("SELECT max(id) FROM vacancies");
  size_t best = 0;
  for (int64_t v = 1; v <= n_vac; v++) {
    size_t n = officer_candidates(v, NULL);
    if (n > best && sql_int("SELECT openings FROM vacancies WHERE id = %lld", (long long)v) >= 3) {
      best = n;
      va = v;
    }
  }
  if (best < NEEDED_CAND)
    die("no vacancy has enough candidates in the seeded city");
  emp_a = sql_int("SELECT employer_id FROM vacancies WHERE id = %lld", (long long)va);
  for (int64_t v = 1; v <= n_vac && vb == 0; v++)
    if (sql_int("SELECT employer_id FROM vacancies WHERE id = %lld", (long long)v) != emp_a &&
        officer_candidates(v, NULL) > 0)
      vb = v;
  if (vb == 0)
    die("no second employer's vacancy has candidates");
  emp_b = sql_int("SELECT employer_id FROM vacancies WHERE id = %lld", (long long)vb);
  n_cand = officer_candidates(va, cand);
  n_vb_cand = officer_candidates(vb, vb_cand);
}

static void server_start(void) {
  char code[64];
  tu_server_start(&srv, RESIDENTS, 7);
  data_dir = srv.dir;
  snprintf(employer_log, sizeof employer_log, "%s/employer-responses.jsonl", data_dir);
  tu_employer_log_copy(employer_log);
  tok_admin = tu_login(&srv, "admin");
  tok_officer = tu_login(&srv, "officer");
  officer_id = sql_int("SELECT id FROM users WHERE username = 'demo-officer'");
  find_vacancies();
  sql_text(code, sizeof code, "SELECT code FROM employers WHERE id = %lld", (long long)emp_a);
  tok_emp_a = tu_add_user(&srv, "emp-a", "employer", "--employer", code);
  sql_text(code, sizeof code, "SELECT code FROM employers WHERE id = %lld", (long long)emp_b);
  tok_emp_b = tu_add_user(&srv, "emp-b", "employer", "--employer", code);
  kel_a = sql_int("SELECT kelurahan_id FROM residents WHERE id = %lld", (long long)cand[3]);
  kel_b =
      sql_int("SELECT id FROM kelurahan WHERE id <> %lld ORDER BY id LIMIT 1", (long long)kel_a);
  sql_text(code, sizeof code, "SELECT code FROM kelurahan WHERE id = %lld", (long long)kel_a);
  tok_desk_a = tu_add_user(&srv, "desk-a", "desk", "--kelurahan", code);
  sql_text(code, sizeof code, "SELECT code FROM kelurahan WHERE id = %lld", (long long)kel_b);
  tok_desk_b = tu_add_user(&srv, "desk-b", "desk", "--kelurahan", code);
}

static void server_stop(void) {
  char *tokens[] = {tok_admin, tok_officer, tok_emp_a, tok_emp_b, tok_desk_a, tok_desk_b};
  for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++)
    free(tokens[i]);
  tu_server_stop(&srv);
}

/* ---- Helpers over the API -------------------------------------------------------------- */

static int contains_id(const int64_t *ids, size_t n, int64_t id) {
  for (size_t i = 0; i < n; i++)
    if (ids[i] == id)
      return 1;
  return 0;
}

static size_t candidates_now(int64_t v, int64_t *ids) {
  char path[128];
  json_t *j =
      tu_call(&srv, "GET",
              pathf(path, sizeof path, "/v1/vacancies/%lld/candidates?limit=100", (long long)v),
              tok_officer, NULL, 200);
  json_t *items = json_object_get(j, "items");
  size_t n = json_array_size(items);
  for (size_t i = 0; i < n; i++)
    ids[i] = json_integer_value(json_object_get(json_array_get(items, i), "resident_id"));
  json_decref(j);
  return n;
}

/* Makes a referral as token and returns its id (expects 201). */
static int64_t refer(const char *token, int64_t resident, int64_t vacancy, const char *status) {
  char body[128];
  struct tu_resp r;
  snprintf(body, sizeof body, "{\"resident_id\": %lld, \"vacancy_id\": %lld}", (long long)resident,
           (long long)vacancy);
  tu_text_request(&srv, "POST", "/v1/referrals", token, body, &r);
  ck_assert_msg(r.status == 201, "refer: %d %s", r.status, r.body);
  json_t *j = tu_json(&r);
  int64_t id = json_integer_value(json_object_get(j, "id"));
  char loc[64], want[64];
  ck_assert(tu_header(&r, "Location", loc, sizeof loc));
  ck_assert_str_eq(loc, pathf(want, sizeof want, "/v1/referrals/%lld", (long long)id));
  ck_assert_str_eq(json_string_value(json_object_get(j, "status")), status);
  json_decref(j);
  tu_resp_free(&r);
  return id;
}

/* PATCHes referral id to status as token and expects http. */
static json_t *move(const char *token, int64_t id, const char *status, int http_status) {
  char path[64], body[128];
  snprintf(path, sizeof path, "/v1/referrals/%lld", (long long)id);
  snprintf(body, sizeof body, "{\"status\": \"%s\", \"note\": \"test %s\"}", status, status);
  return tu_call(&srv, "PATCH", path, token, body, http_status);
}

static int legal(const char *from, const char *to) {
  static const char *const moves[][2] = {
      {"proposed", "confirmed"},      {"proposed", "withdrawn"}, {"confirmed", "interviewed"},
      {"confirmed", "withdrawn"},     {"interviewed", "hired"},  {"interviewed", "rejected"},
      {"interviewed", "withdrawn"},   {"hired", "retained_3m"},  {"hired", "left"},
      {"retained_3m", "retained_6m"}, {"retained_3m", "left"},
  };
  for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
    if (strcmp(moves[i][0], from) == 0 && strcmp(moves[i][1], to) == 0)
      return 1;
  return 0;
}

/* Every move the life cycle does not allow from the referral's status
 * answers 409 naming both statuses, and changes nothing. */
static void illegal_moves_409(int64_t id, const char *from) {
  char path[64], body[96];
  int64_t events =
      sql_int("SELECT count(*) FROM referral_events WHERE referral_id = %lld", (long long)id);
  snprintf(path, sizeof path, "/v1/referrals/%lld", (long long)id);
  for (size_t i = 0; i < N_STATUSES; i++) {
    if (legal(from, all_statuses[i]))
      continue;
    snprintf(body, sizeof body, "{\"status\": \"%s\"}", all_statuses[i]);
    json_t *p = tu_call_problem(&srv, "PATCH", path, tok_officer, body, 409, "conflict");
    const char *detail = json_string_value(json_object_get(p, "detail"));
    char want[96];
    snprintf(want, sizeof want, "'%s' to '%s'", from, all_statuses[i]);
    ck_assert_msg(strstr(detail, want) != NULL, "%s does not name %s", detail, want);
    json_decref(p);
  }
  char now[32];
  sql_text(now, sizeof now, "SELECT status FROM referrals WHERE id = %lld", (long long)id);
  ck_assert_str_eq(now, from);
  ck_assert_int_eq(
      sql_int("SELECT count(*) FROM referral_events WHERE referral_id = %lld", (long long)id),
      events);
}

/* The events of referral id as the officer sees them. */
static json_t *events_of(int64_t id) {
  char path[64];
  json_t *j = tu_call(&srv, "GET", pathf(path, sizeof path, "/v1/referrals/%lld", (long long)id),
                      tok_officer, NULL, 200);
  json_t *ev = json_incref(json_object_get(j, "events"));
  json_decref(j);
  return ev;
}

static int64_t audit_rows(const char *purpose, int64_t resident) {
  return sql_int("SELECT count(*) FROM audit_log WHERE purpose = '%s' AND resident_id = %lld",
                 purpose, (long long)resident);
}

/* Moves the hire of referral id days into the past. */
static void backdate_hire(int64_t id, int days) {
  time_t t = time(NULL) - (time_t)days * 86400;
  struct tm tm;
  char at[32];
  gmtime_r(&t, &tm);
  strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
  sql_exec("UPDATE referral_events SET at = '%s' WHERE referral_id = %lld AND to_status = 'hired'",
           at, (long long)id);
}

/* ---- Candidates ------------------------------------------------------------------------------ */

START_TEST(candidates_officer_full_view_by_key_and_audited) {
  char path[128];
  int64_t before = audit_rows("candidates", cand[0]);
  json_t *j =
      tu_call(&srv, "GET",
              pathf(path, sizeof path, "/v1/vacancies/%lld/candidates?limit=100", (long long)va),
              tok_officer, NULL, 200);
  ck_assert_str_eq(json_string_value(json_object_get(j, "order")), "key");
  json_t *items = json_object_get(j, "items");
  ck_assert_uint_ge(json_array_size(items), NEEDED_CAND);
  double prev = 1e9;
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) {
    double key = json_real_value(json_object_get(it, "key"));
    double fit = json_real_value(json_object_get(it, "fit"));
    double prio = json_real_value(json_object_get(it, "priority"));
    ck_assert(key <= prev + 1e-9);
    prev = key;
    /* key = fit × (1 + λ·priority/100) ≥ fit, with the default λ */
    ck_assert(key + 0.01 >= fit && fit > 0 && fit <= 100 && prio >= 0 && prio <= 100);
    int64_t rid = json_integer_value(json_object_get(it, "resident_id"));
    char name[256];
    sql_text(name, sizeof name, "SELECT name FROM residents WHERE id = %lld", (long long)rid);
    ck_assert_str_eq(json_string_value(json_object_get(it, "name")), name);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(it, "kelurahan"), "id")),
                     sql_int("SELECT kelurahan_id FROM residents WHERE id = %lld", (long long)rid));
    json_t *x = json_object_get(it, "explanation");
    ck_assert_uint_eq(json_array_size(json_object_get(x, "fit_components")), 5);
    ck_assert_uint_eq(json_array_size(json_object_get(x, "priority_components")), 5);
    size_t k;
    json_t *part;
    json_array_foreach(json_object_get(x, "priority_components"), k, part) {
      ck_assert(strlen(json_string_value(json_object_get(part, "reason_id"))) > 0);
      ck_assert(strlen(json_string_value(json_object_get(part, "reason_en"))) > 0);
    }
    /* fit is the weighted mean of the known fit components, in points */
    double num = 0, den = 0;
    json_array_foreach(json_object_get(x, "fit_components"), k, part) {
      ck_assert(strlen(json_string_value(json_object_get(part, "reason_id"))) > 0);
      ck_assert(strlen(json_string_value(json_object_get(part, "reason_en"))) > 0);
      if (json_is_true(json_object_get(part, "known"))) {
        num += json_real_value(json_object_get(part, "weight")) *
               json_real_value(json_object_get(part, "value"));
        den += json_real_value(json_object_get(part, "weight"));
      }
    }
    ck_assert_msg(fabs(100.0 * num / den - fit) < 0.2, "fit %f vs components %f", fit,
                  100.0 * num / den);
  }
  /* one audit row per resident shown */
  ck_assert_int_eq(audit_rows("candidates", cand[0]), before + 1);
  json_decref(j);
}
END_TEST

/* The employer's view of its own vacancy: the same candidates as the
 * officer's, by fit, with nothing that names them. */
START_TEST(candidates_employer_pseudonymous_same_people_by_fit) {
  char path[128], birth[16], kec[64];
  pathf(path, sizeof path, "/v1/vacancies/%lld/candidates?limit=100", (long long)va);
  json_t *off = tu_call(&srv, "GET", path, tok_officer, NULL, 200);
  json_t *emp = tu_call(&srv, "GET", path, tok_emp_a, NULL, 200);
  json_t *again = tu_call(&srv, "GET", path, tok_emp_a, NULL, 200);
  json_t *oi = json_object_get(off, "items"), *ei = json_object_get(emp, "items");
  ck_assert_str_eq(json_string_value(json_object_get(emp, "order")), "fit");
  ck_assert_uint_eq(json_array_size(oi), json_array_size(ei));
  size_t n = json_array_size(ei);

  /* the same multiset of fits and age bands and kecamatan */
  double ofit[MAX_CAND], efit[MAX_CAND];
  char oband[MAX_CAND][16], okec[MAX_CAND][64];
  int matched[MAX_CAND] = {0};
  for (size_t i = 0; i < n; i++) {
    json_t *o = json_array_get(oi, i);
    int64_t rid = json_integer_value(json_object_get(o, "resident_id"));
    /* the employer sees the fit with the commute value cut to a quarter
     * (h_matching.c): computed here from the officer's components */
    double wsum = 0.0, wc = 0.0, vc = 0.0;
    json_t *parts = json_object_get(json_object_get(o, "explanation"), "fit_components");
    for (size_t p = 0; p < json_array_size(parts); p++) {
      json_t *part = json_array_get(parts, p);
      if (!json_is_true(json_object_get(part, "known")))
        continue;
      double w = json_number_value(json_object_get(part, "weight"));
      wsum += w;
      if (strcmp(json_string_value(json_object_get(part, "component")), "commute") == 0) {
        wc = w;
        vc = json_number_value(json_object_get(part, "value"));
      }
    }
    double fit = json_real_value(json_object_get(o, "fit"));
    if (wsum > 0.0)
      fit += 100.0 * wc * (round(vc * 4.0) / 4.0 - vc) / wsum;
    ofit[i] = round(fit * 100.0) / 100.0;
    sql_text(birth, sizeof birth, "SELECT birth_date FROM residents WHERE id = %lld",
             (long long)rid);
    sql_text(kec, sizeof kec,
             "SELECT c.name FROM residents r JOIN kelurahan k ON k.id = r.kelurahan_id JOIN "
             "kecamatan c ON c.id = k.kecamatan_id WHERE r.id = %lld",
             (long long)rid);
    time_t t = time(NULL) + 7 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    int by, bm, bd;
    ck_assert_int_eq(sscanf(birth, "%d-%d-%d", &by, &bm, &bd), 3);
    int age =
        tm.tm_year + 1900 - by - (tm.tm_mon + 1 < bm || (tm.tm_mon + 1 == bm && tm.tm_mday < bd));
    static const int lo[] = {15, 18, 25, 35, 45, 55}, hi[] = {17, 24, 34, 44, 54, 64};
    oband[i][0] = '\0';
    for (size_t b = 0; b < 6; b++)
      if (age >= lo[b] && age <= hi[b])
        snprintf(oband[i], sizeof oband[i], "%d-%d", lo[b], hi[b]);
    ck_assert_msg(oband[i][0] != '\0', "age %d outside 15-64", age);
    snprintf(okec[i], sizeof okec[i], "%s", kec);
  }
  double prev = 1e9;
  for (size_t i = 0; i < n; i++) {
    json_t *e = json_array_get(ei, i);
    efit[i] = json_real_value(json_object_get(e, "fit"));
    ck_assert(efit[i] <= prev + 1e-9);
    prev = efit[i];
    /* exactly these keys */
    ck_assert_uint_eq(json_object_size(e), 7);
    const char *keys[] = {"candidate_id", "age_band", "kecamatan",  "education",
                          "skills",       "fit",      "explanation"};
    for (size_t k = 0; k < 7; k++)
      ck_assert_msg(json_object_get(e, keys[k]) != NULL, "no %s", keys[k]);
    json_t *x = json_object_get(e, "explanation");
    ck_assert_ptr_null(json_object_get(x, "priority_components"));
    ck_assert_uint_eq(json_array_size(json_object_get(x, "fit_components")), 5);
    const char *cid = json_string_value(json_object_get(e, "candidate_id"));
    ck_assert_uint_eq(strlen(cid), 26);
    ck_assert(strncmp(cid, "c-", 2) == 0 &&
              strspn(cid + 2, "abcdefghijklmnopqrstuvwxyz234567") == 24);
    /* stable: the second read gives the same id to the same place */
    ck_assert_str_eq(cid, json_string_value(json_object_get(
                              json_array_get(json_object_get(again, "items"), i), "candidate_id")));
    for (size_t k = 0; k < i; k++)
      ck_assert_str_ne(cid,
                       json_string_value(json_object_get(json_array_get(ei, k), "candidate_id")));
    /* a match among the officer's rows with the same fit, band and kecamatan */
    int found = 0;
    for (size_t k = 0; k < n && !found; k++)
      if (!matched[k] && fabs(ofit[k] - efit[i]) < 0.0101 &&
          strcmp(oband[k], json_string_value(json_object_get(e, "age_band"))) == 0 &&
          strcmp(okec[k], json_string_value(json_object_get(e, "kecamatan"))) == 0)
        matched[k] = found = 1;
    ck_assert_msg(found, "employer row %zu matches no officer row", i);
  }
  json_decref(off);
  json_decref(emp);
  json_decref(again);
}
END_TEST

START_TEST(candidates_scope_roles_and_validation) {
  char path[128], missing[128];
  pathf(path, sizeof path, "/v1/vacancies/%lld/candidates", (long long)va);
  pathf(missing, sizeof missing, "/v1/vacancies/%d/candidates", 99999999);
  /* another employer's vacancy looks missing, both ways round */
  tu_expect_hidden(&srv, "GET", path, missing, tok_emp_b, NULL);
  char pb[128];
  pathf(pb, sizeof pb, "/v1/vacancies/%lld/candidates", (long long)vb);
  tu_expect_hidden(&srv, "GET", pb, missing, tok_emp_a, NULL);
  json_decref(tu_call(&srv, "GET", pb, tok_emp_b, NULL, 200));
  json_decref(tu_call_problem(&srv, "GET", missing, tok_officer, NULL, 404, "not-found"));
  json_decref(tu_call_problem(&srv, "GET", path, tok_desk_a, NULL, 403, "forbidden"));
  json_decref(tu_call_problem(&srv, "GET", path, NULL, NULL, 401, "unauthenticated"));
  json_decref(tu_call_problem(&srv, "GET", path, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                              NULL, 401, "unauthenticated"));
  char q[160];
  tu_expect_field_error(&srv, "GET", pathf(q, sizeof q, "%s?limit=0", path), tok_officer, NULL,
                        "limit", NULL);
  tu_expect_field_error(&srv, "GET", pathf(q, sizeof q, "%s?limit=101", path), tok_officer, NULL,
                        "limit", NULL);
  tu_expect_field_error(&srv, "GET", pathf(q, sizeof q, "%s?limit=x", path), tok_emp_a, NULL,
                        "limit", NULL);
  tu_expect_field_error(&srv, "GET", pathf(q, sizeof q, "%s?order=fit", path), tok_officer, NULL,
                        "order", NULL);
  /* limit caps the list, best first */
  json_t *j = tu_call(&srv, "GET", pathf(q, sizeof q, "%s?limit=2", path), tok_officer, NULL, 200);
  ck_assert_uint_eq(json_array_size(json_object_get(j, "items")), 2);
  ck_assert_int_eq(json_integer_value(json_object_get(
                       json_array_get(json_object_get(j, "items"), 0), "resident_id")),
                   cand[0]);
  json_decref(j);
}
END_TEST

/* Writes through the residents' and vacancies' own endpoints reach the
 * engine: the next ranking shows them. */
START_TEST(candidates_follow_resident_and_vacancy_patches) {
  int64_t ids[MAX_CAND], before[MAX_CAND], rid = cand[5];
  char path[96];
  ck_assert(contains_id(ids, candidates_now(va, ids), rid));
  char months[16], body[160];
  sql_text(months, sizeof months, "SELECT months_without_work FROM residents WHERE id = %lld",
           (long long)rid);
  pathf(path, sizeof path, "/v1/residents/%lld", (long long)rid);
  json_decref(tu_call(&srv, "PATCH", path, tok_officer,
                      "{\"work_status\": \"working\", \"months_without_work\": 0, "
                      "\"reason\": \"found a job\"}",
                      200));
  ck_assert(!contains_id(ids, candidates_now(va, ids), rid));
  snprintf(body, sizeof body,
           "{\"work_status\": \"unemployed\", \"months_without_work\": %s, \"reason\": "
           "\"lost it again\"}",
           months[0] != '\0' ? months : "null");
  json_decref(tu_call(&srv, "PATCH", path, tok_officer, body, 200));
  ck_assert(contains_id(ids, candidates_now(va, ids), rid));

  size_t n = candidates_now(vb, before);
  ck_assert_uint_gt(n, 0);
  pathf(path, sizeof path, "/v1/vacancies/%lld", (long long)vb);
  json_decref(tu_call(&srv, "PATCH", path, tok_officer, "{\"status\": \"closed\"}", 200));
  ck_assert_uint_eq(candidates_now(vb, ids), 0);
  json_decref(tu_call(&srv, "PATCH", path, tok_officer, "{\"status\": \"open\"}", 200));
  ck_assert_uint_eq(candidates_now(vb, ids), n);
  ck_assert_int_eq(memcmp(ids, before, n * sizeof *ids), 0);
}
END_TEST

/* ---- Recommendations and the training plan ----------------------------------------------------
 */

START_TEST(recommendations_agree_with_candidates_and_audited) {
  char path[128];
  int64_t rid = cand[4];
  int64_t before = audit_rows("recommendations", rid);
  json_t *c =
      tu_call(&srv, "GET",
              pathf(path, sizeof path, "/v1/vacancies/%lld/candidates?limit=100", (long long)va),
              tok_officer, NULL, 200);
  double fit_in_list = -1;
  size_t i;
  json_t *it;
  json_array_foreach(json_object_get(c, "items"), i, it) {
    if (json_integer_value(json_object_get(it, "resident_id")) == rid)
      fit_in_list = json_real_value(json_object_get(it, "fit"));
  }
  ck_assert(fit_in_list > 0);
  json_t *j = tu_call(
      &srv, "GET",
      pathf(path, sizeof path, "/v1/residents/%lld/recommendations?limit=100", (long long)rid),
      tok_officer, NULL, 200);
  ck_assert(json_is_null(json_object_get(j, "not_matched_because")));
  int found = 0;
  double prev = 1e9;
  json_array_foreach(json_object_get(j, "vacancies"), i, it) {
    double key = json_real_value(json_object_get(it, "key"));
    ck_assert(key <= prev + 1e-9);
    prev = key;
    ck_assert_uint_eq(
        json_array_size(json_object_get(json_object_get(it, "explanation"), "fit_components")), 5);
    if (json_integer_value(json_object_get(it, "vacancy_id")) == va) {
      found = 1;
      ck_assert(fabs(json_real_value(json_object_get(it, "fit")) - fit_in_list) < 1e-6);
      ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(it, "employer"), "id")),
                       emp_a);
    }
  }
  ck_assert_msg(found, "VA is missing from its candidate's recommendations");
  json_array_foreach(json_object_get(j, "train_then_apply"), i, it) {
    double rate = json_real_value(json_object_get(it, "placement_rate"));
    double reach = (double)json_integer_value(json_object_get(it, "openings_reachable"));
    ck_assert(rate >= 0 && rate <= 1);
    ck_assert(fabs(json_real_value(json_object_get(it, "expected_placements")) - reach * rate) <
              0.02);
    ck_assert(json_array_size(json_object_get(it, "unlocked_vacancies")) <=
              (size_t)json_integer_value(json_object_get(it, "n_unlocked")));
    char code[32];
    sql_text(code, sizeof code, "SELECT code FROM courses WHERE id = %lld",
             (long long)json_integer_value(json_object_get(it, "course_id")));
    ck_assert_str_eq(json_string_value(json_object_get(it, "code")), code);
  }
  ck_assert_int_eq(audit_rows("recommendations", rid), before + 1);
  json_decref(j);
  json_decref(c);
}
END_TEST

START_TEST(recommendations_scope_roles_and_reasons) {
  char path[128], missing[128], q[160];
  pathf(path, sizeof path, "/v1/residents/%lld/recommendations", (long long)cand[3]);
  pathf(missing, sizeof missing, "/v1/residents/%d/recommendations", 99999999);
  json_decref(tu_call(&srv, "GET", path, tok_desk_a, NULL, 200));
  tu_expect_hidden(&srv, "GET", path, missing, tok_desk_b, NULL);
  json_decref(tu_call_problem(&srv, "GET", path, tok_emp_a, NULL, 403, "forbidden"));
  json_decref(tu_call_problem(&srv, "GET", path, NULL, NULL, 401, "unauthenticated"));
  tu_expect_field_error(&srv, "GET", pathf(q, sizeof q, "%s?limit=0", path), tok_officer, NULL,
                        "limit", NULL);
  tu_expect_field_error(&srv, "GET", pathf(q, sizeof q, "%s?courses=41", path), tok_officer, NULL,
                        "courses", NULL);
  tu_expect_field_error(&srv, "GET", pathf(q, sizeof q, "%s?nik=1", path), tok_officer, NULL, "nik",
                        NULL);
  /* a working resident is matched to nothing, and the reply says why */
  int64_t worker = sql_int("SELECT min(id) FROM residents WHERE work_status = 'working'");
  json_t *j = tu_call(&srv, "GET",
                      pathf(q, sizeof q, "/v1/residents/%lld/recommendations", (long long)worker),
                      tok_admin, NULL, 200);
  ck_assert_uint_eq(json_array_size(json_object_get(j, "vacancies")), 0);
  json_t *why = json_object_get(j, "not_matched_because");
  ck_assert_str_eq(json_string_value(json_object_get(why, "code")), "employed");
  ck_assert(strlen(json_string_value(json_object_get(why, "reason_id"))) > 0);
  json_decref(j);
}
END_TEST

START_TEST(training_plan_within_capacities) {
  /* the run with course steps only: each batch within its seats left, each
   * resident in one batch at most and without an open step, best first */
  json_t *j = tu_call(&srv, "GET", "/v1/training-plan?max_batches=5", tok_officer, NULL, 200);
  json_t *batches = json_object_get(j, "batches");
  ck_assert_uint_le(json_array_size(batches), 5);
  ck_assert_uint_gt(json_array_size(batches), 0); /* the seeds plan batches for 2027 */
  double sum = 0, prev = 1e9;
  size_t i, k;
  json_t *b, *who;
  int64_t seen[512];
  size_t n_seen = 0;
  json_array_foreach(batches, i, b) {
    int64_t batch = json_integer_value(json_object_get(b, "batch_id"));
    size_t n = json_array_size(json_object_get(b, "residents"));
    ck_assert_int_eq((int64_t)n, json_integer_value(json_object_get(b, "n_residents")));
    ck_assert_int_gt((int64_t)n, 0);
    ck_assert_int_le((int64_t)n, sql_int("SELECT capacity - (SELECT count(*) FROM enrolments e "
                                         "WHERE e.batch_id = b.id AND e.status <> 'dropped') "
                                         "FROM batches b WHERE id = %lld",
                                         (long long)batch));
    ck_assert_int_eq(sql_int("SELECT course_id FROM batches WHERE id = %lld", (long long)batch),
                     json_integer_value(json_object_get(b, "course_id")));
    json_array_foreach(json_object_get(b, "residents"), k, who) {
      int64_t rid = json_integer_value(who);
      ck_assert(!contains_id(seen, n_seen, rid));
      ck_assert_uint_lt(n_seen, sizeof seen / sizeof seen[0]);
      seen[n_seen++] = rid;
      ck_assert_int_eq(sql_int("SELECT count(*) FROM referrals WHERE resident_id = %lld AND status "
                               "IN ('proposed', 'confirmed', 'interviewed')",
                               (long long)rid),
                       0);
    }
    double x = json_real_value(json_object_get(b, "expected_placements"));
    ck_assert(x <= prev + 1e-9);
    prev = x;
    sum += x;
  }
  ck_assert(fabs(sum - json_real_value(json_object_get(j, "expected_placements"))) < 0.05);
  json_decref(j);
  tu_expect_field_error(&srv, "GET", "/v1/training-plan?max_batches=0", tok_officer, NULL,
                        "max_batches", NULL);
  tu_expect_field_error(&srv, "GET", "/v1/training-plan?max_batches=41", tok_admin, NULL,
                        "max_batches", NULL);
  json_decref(tu_call_problem(&srv, "GET", "/v1/training-plan", tok_emp_a, NULL, 403, "forbidden"));
  json_decref(
      tu_call_problem(&srv, "GET", "/v1/training-plan", tok_desk_a, NULL, 403, "forbidden"));
  json_decref(
      tu_call_problem(&srv, "GET", "/v1/training-plan", NULL, NULL, 401, "unauthenticated"));
}
END_TEST

/* ---- Referrals ------------------------------------------------------------------------------ */

/* A referral takes the resident out of every ranking at once; withdrawing
 * it brings them back: the engine is refreshed on each write. */
START_TEST(referral_rules_and_engine_refresh) {
  int64_t rid = cand[1], ids[MAX_CAND];
  char body[160], path[96];
  ck_assert(contains_id(ids, candidates_now(va, ids), rid));
  int64_t id = refer(tok_officer, rid, va, "confirmed");
  ck_assert(!contains_id(ids, candidates_now(va, ids), rid));
  json_t *rec = tu_call(
      &srv, "GET", pathf(path, sizeof path, "/v1/residents/%lld/recommendations", (long long)rid),
      tok_officer, NULL, 200);
  ck_assert_str_eq(
      json_string_value(json_object_get(json_object_get(rec, "not_matched_because"), "code")),
      "intervention");
  json_decref(rec);

  /* one open referral per pair */
  snprintf(body, sizeof body, "{\"resident_id\": %lld, \"vacancy_id\": %lld}", (long long)rid,
           (long long)va);
  json_decref(tu_call_problem(&srv, "POST", "/v1/referrals", tok_officer, body, 409, "conflict"));
  /* an open referral elsewhere makes the resident ineligible for another vacancy */
  snprintf(body, sizeof body, "{\"resident_id\": %lld, \"vacancy_id\": %lld}", (long long)rid,
           (long long)vb);
  json_t *p =
      tu_call_problem(&srv, "POST", "/v1/referrals", tok_officer, body, 422, "unprocessable");
  json_t *e0 = json_array_get(json_object_get(p, "errors"), 0);
  ck_assert_str_eq(json_string_value(json_object_get(e0, "code")), "intervention");
  ck_assert_str_eq(json_string_value(json_object_get(e0, "field")), "resident_id");
  ck_assert(strlen(json_string_value(json_object_get(e0, "detail_id"))) > 0);
  ck_assert(strlen(json_string_value(json_object_get(e0, "detail_en"))) > 0);
  json_decref(p);
  /* an ineligible resident: 422 with the engine's reason; nothing written */
  int64_t worker = sql_int("SELECT min(id) FROM residents WHERE work_status = 'working'");
  int64_t count = sql_int("SELECT count(*) FROM referrals");
  snprintf(body, sizeof body, "{\"resident_id\": %lld, \"vacancy_id\": %lld}", (long long)worker,
           (long long)va);
  p = tu_call_problem(&srv, "POST", "/v1/referrals", tok_officer, body, 422, "unprocessable");
  ck_assert_str_eq(
      json_string_value(json_object_get(json_array_get(json_object_get(p, "errors"), 0), "code")),
      "employed");
  json_decref(p);
  ck_assert_int_eq(sql_int("SELECT count(*) FROM referrals"), count);

  /* validation, roles, scope */
  tu_expect_field_error(&srv, "POST", "/v1/referrals", tok_officer, "{}", "resident_id", NULL);
  tu_expect_field_error(&srv, "POST", "/v1/referrals", tok_officer, "{}", "vacancy_id", NULL);
  tu_expect_field_error(&srv, "POST", "/v1/referrals", tok_officer,
                        "{\"resident_id\": 0, \"vacancy_id\": 1}", "resident_id", NULL);
  tu_expect_field_error(&srv, "POST", "/v1/referrals", tok_officer,
                        "{\"resident_id\": \"1\", \"vacancy_id\": 1}", "resident_id", NULL);
  tu_expect_field_error(&srv, "POST", "/v1/referrals", tok_officer,
                        "{\"resident_id\": 1, \"vacancy_id\": 1, \"status\": \"hired\"}", "status",
                        NULL);
  json_decref(tu_call_problem(&srv, "POST", "/v1/referrals", tok_emp_a, body, 403, "forbidden"));
  json_decref(tu_call_problem(&srv, "POST", "/v1/referrals", NULL, body, 401, "unauthenticated"));
  ck_assert_int_eq(sql_int("SELECT count(*) FROM referrals"), count);

  /* withdrawn: back in the pool */
  json_decref(move(tok_officer, id, "withdrawn", 200));
  ck_assert(contains_id(ids, candidates_now(va, ids), rid));
  illegal_moves_409(id, "withdrawn");
  /* a closed referral does not block a new one for the pair */
  int64_t again = refer(tok_officer, rid, va, "confirmed");
  ck_assert_int_ne(again, id);
  json_decref(move(tok_admin, again, "withdrawn", 200));
}
END_TEST

/* proposed → confirmed → interviewed → hired → retained_3m → retained_6m,
 * every illegal move at every step, who may do what, the employer's view,
 * the events, the job placement, the retention dates. */
START_TEST(referral_life_cycle_to_retained_6m) {
  int64_t rid = cand[0], ids[MAX_CAND];
  char path[96];
  /* a desk may not move referrals; an employer may not confirm */
  int64_t id = refer(tok_officer, rid, va, "confirmed");
  illegal_moves_409(id, "confirmed");
  pathf(path, sizeof path, "/v1/referrals/%lld", (long long)id);
  json_decref(tu_call_problem(&srv, "PATCH", path, tok_desk_a, "{\"status\": \"interviewed\"}", 403,
                              "forbidden"));
  json_decref(tu_call_problem(&srv, "PATCH", path, tok_emp_a, "{\"status\": \"withdrawn\"}", 403,
                              "forbidden"));
  json_decref(tu_call_problem(&srv, "PATCH", path, NULL, "{\"status\": \"interviewed\"}", 401,
                              "unauthenticated"));
  tu_expect_field_error(&srv, "PATCH", path, tok_officer, "{\"status\": \"done\"}", "status", NULL);
  tu_expect_field_error(&srv, "PATCH", path, tok_officer, "{}", "status", NULL);
  tu_expect_field_error(&srv, "PATCH", path, tok_officer, "{\"status\": \"hired\", \"by\": 1}",
                        "by", NULL);
  char missing[64];
  pathf(missing, sizeof missing, "/v1/referrals/%d", 99999999);
  tu_expect_hidden(&srv, "PATCH", path, missing, tok_emp_b, "{\"status\": \"interviewed\"}");
  tu_expect_hidden(&srv, "GET", path, missing, tok_emp_b, NULL);

  /* the employer sees who it is once Disnaker has confirmed */
  json_t *v = tu_call(&srv, "GET", path, tok_emp_a, NULL, 200);
  char name[256], phone[64];
  sql_text(name, sizeof name, "SELECT name FROM residents WHERE id = %lld", (long long)rid);
  sql_text(phone, sizeof phone, "SELECT phone FROM residents WHERE id = %lld", (long long)rid);
  json_t *contact = json_object_get(v, "contact");
  ck_assert_str_eq(json_string_value(json_object_get(contact, "name")), name);
  if (phone[0] != '\0')
    ck_assert_str_eq(json_string_value(json_object_get(contact, "phone")), phone);
  ck_assert_uint_eq(json_object_size(contact), 2);
  ck_assert_ptr_null(json_object_get(v, "events"));
  json_decref(v);
  int64_t before = audit_rows("referral_contact", rid);

  json_decref(move(tok_emp_a, id, "interviewed", 200));
  ck_assert_int_eq(audit_rows("referral_contact", rid), before + 1);
  illegal_moves_409(id, "interviewed");
  json_decref(move(tok_emp_a, id, "hired", 200));
  ck_assert_int_eq(
      sql_int(
          "SELECT count(*) FROM interventions WHERE referral_id = %lld AND kind = 'job_placement' "
          "AND office = 'Disnaker' AND status = 'active' AND resident_id = %lld",
          (long long)id, (long long)rid),
      1);
  ck_assert(!contains_id(ids, candidates_now(va, ids), rid));
  json_t *rec = tu_call(
      &srv, "GET", pathf(path, sizeof path, "/v1/residents/%lld/recommendations", (long long)rid),
      tok_officer, NULL, 200);
  ck_assert_str_eq(
      json_string_value(json_object_get(json_object_get(rec, "not_matched_because"), "code")),
      "already_hired");
  json_decref(rec);
  pathf(path, sizeof path, "/v1/referrals/%lld", (long long)id);

  /* retention needs its months */
  json_t *p = tu_call_problem(&srv, "PATCH", path, tok_emp_a, "{\"status\": \"retained_3m\"}", 409,
                              "conflict");
  ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(p, "detail")), "3 months"));
  json_decref(p);
  illegal_moves_409(id, "hired");
  backdate_hire(id, 100);
  json_decref(move(tok_emp_a, id, "retained_3m", 200));
  p = tu_call_problem(&srv, "PATCH", path, tok_officer, "{\"status\": \"retained_6m\"}", 409,
                      "conflict");
  ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(p, "detail")), "6 months"));
  json_decref(p);
  illegal_moves_409(id, "retained_3m");
  backdate_hire(id, 200);
  json_t *last = move(tok_officer, id, "retained_6m", 200);
  ck_assert_int_eq(json_integer_value(json_object_get(last, "updated_by")), officer_id);
  json_decref(last);
  illegal_moves_409(id, "retained_6m");

  /* every change stamped: who, when, from, to, note */
  json_t *ev = events_of(id);
  static const char *const path_taken[] = {"confirmed", "interviewed", "hired", "retained_3m",
                                           "retained_6m"};
  ck_assert_uint_eq(json_array_size(ev), 5);
  json_t *first = json_array_get(ev, 0);
  ck_assert(json_is_null(json_object_get(first, "from")));
  ck_assert_str_eq(json_string_value(json_object_get(first, "to")), "confirmed");
  ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(first, "by"), "id")),
                   officer_id);
  for (size_t i = 1; i < 5; i++) {
    json_t *e = json_array_get(ev, i);
    ck_assert_str_eq(json_string_value(json_object_get(e, "from")), path_taken[i - 1]);
    ck_assert_str_eq(json_string_value(json_object_get(e, "to")), path_taken[i]);
    ck_assert_uint_eq(strlen(json_string_value(json_object_get(e, "at"))), 20);
  }
  ck_assert_str_eq(
      json_string_value(json_object_get(json_object_get(json_array_get(ev, 1), "by"), "username")),
      "emp-a");
  ck_assert_str_eq(
      json_string_value(json_object_get(json_object_get(json_array_get(ev, 4), "by"), "username")),
      "demo-officer");
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(ev, 1), "note")),
                   "test interviewed");
  json_decref(ev);
}
END_TEST

/* hired → left ends the placement and puts the resident back; a desk's
 * referral starts proposed; rejected hides the contact again. */
START_TEST(referral_left_desk_proposal_and_rejection) {
  int64_t ids[MAX_CAND];
  char path[96];
  int64_t id = refer(tok_admin, cand[2], va, "confirmed");
  json_decref(move(tok_officer, id, "interviewed", 200));
  json_decref(move(tok_officer, id, "hired", 200));
  ck_assert(!contains_id(ids, candidates_now(va, ids), cand[2]));
  json_decref(move(tok_emp_a, id, "left", 200));
  illegal_moves_409(id, "left");
  ck_assert_int_eq(sql_int("SELECT count(*) FROM interventions WHERE referral_id = %lld AND status "
                           "= 'ended' AND end_date IS NOT NULL",
                           (long long)id),
                   1);
  ck_assert(contains_id(ids, candidates_now(va, ids), cand[2]));

  /* desk: own residents only, starts proposed, officer confirms */
  char body[128], other[128];
  snprintf(body, sizeof body,
           "{\"resident_id\": %lld, \"vacancy_id\": %lld, \"note\": \"walk-in\"}",
           (long long)cand[3], (long long)va);
  snprintf(other, sizeof other, "{\"resident_id\": %d, \"vacancy_id\": %lld}", 99999999,
           (long long)va);
  struct tu_resp a, b;
  tu_text_request(&srv, "POST", "/v1/referrals", tok_desk_b, body, &a);
  tu_text_request(&srv, "POST", "/v1/referrals", tok_desk_b, other, &b);
  ck_assert_int_eq(a.status, 404);
  ck_assert_str_eq(a.body, b.body); /* same path, so byte-identical */
  tu_resp_free(&a);
  tu_resp_free(&b);
  int64_t rid = cand[3];
  int64_t did = refer(tok_desk_a, rid, va, "proposed");
  illegal_moves_409(did, "proposed");
  json_t *v = tu_call(&srv, "GET", pathf(path, sizeof path, "/v1/referrals/%lld", (long long)did),
                      tok_emp_a, NULL, 200);
  ck_assert(json_is_null(json_object_get(v, "contact"))); /* not yet accepted */
  json_decref(v);
  json_decref(tu_call(&srv, "GET", path, tok_desk_a, NULL, 200));
  json_decref(tu_call_problem(&srv, "PATCH", path, tok_emp_a, "{\"status\": \"confirmed\"}", 403,
                              "forbidden"));
  json_decref(move(tok_officer, did, "confirmed", 200));
  v = tu_call(&srv, "GET", path, tok_emp_a, NULL, 200);
  ck_assert(json_is_object(json_object_get(v, "contact")));
  json_decref(v);
  json_decref(move(tok_emp_a, did, "interviewed", 200));
  json_decref(move(tok_emp_a, did, "rejected", 200));
  illegal_moves_409(did, "rejected");
  v = tu_call(&srv, "GET", path, tok_emp_a, NULL, 200);
  ck_assert(json_is_null(json_object_get(v, "contact")));
  json_decref(v);
}
END_TEST

START_TEST(referral_lists_scoped_and_paged) {
  /* officer: every referral of VA, paged one by one through the cursor */
  char path[160], cursor_path[256];
  int64_t total = sql_int("SELECT count(*) FROM referrals WHERE vacancy_id = %lld", (long long)va);
  ck_assert_int_ge(total, 4);
  pathf(path, sizeof path, "/v1/referrals?vacancy_id=%lld&limit=1", (long long)va);
  int64_t seen = 0, last = 0;
  snprintf(cursor_path, sizeof cursor_path, "%s", path);
  for (;;) {
    json_t *j = tu_call(&srv, "GET", cursor_path, tok_officer, NULL, 200);
    json_t *items = json_object_get(j, "items");
    if (json_array_size(items) == 1) {
      int64_t id = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
      ck_assert_int_gt(id, last);
      last = id;
      seen++;
    }
    json_t *next = json_object_get(j, "next_cursor");
    if (json_is_null(next)) {
      json_decref(j);
      break;
    }
    snprintf(cursor_path, sizeof cursor_path, "%s&cursor=%s", path, json_string_value(next));
    json_decref(j);
  }
  ck_assert_int_eq(seen, total);

  /* desk: its kelurahan's residents only; the other desk sees none of them */
  json_t *j = tu_call(&srv, "GET", "/v1/referrals?limit=500", tok_desk_a, NULL, 200);
  size_t i;
  json_t *it;
  ck_assert_uint_ge(json_array_size(json_object_get(j, "items")), 1);
  json_array_foreach(json_object_get(j, "items"), i, it) {
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_object_get(json_object_get(it, "resident"), "kelurahan"), "id")),
                     kel_a);
  }
  json_decref(j);
  j = tu_call(&srv, "GET", "/v1/referrals?limit=500", tok_desk_b, NULL, 200);
  json_array_foreach(json_object_get(j, "items"), i, it) {
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_object_get(json_object_get(it, "resident"), "kelurahan"), "id")),
                     kel_b);
  }
  json_decref(j);

  /* employer: its vacancies only, status only */
  j = tu_call(&srv, "GET", "/v1/referrals?limit=500", tok_emp_a, NULL, 200);
  ck_assert_uint_ge(json_array_size(json_object_get(j, "items")), 4);
  json_array_foreach(json_object_get(j, "items"), i, it) {
    int64_t vid = json_integer_value(json_object_get(json_object_get(it, "vacancy"), "id"));
    ck_assert_int_eq(sql_int("SELECT employer_id FROM vacancies WHERE id = %lld", (long long)vid),
                     emp_a);
    ck_assert_ptr_null(json_object_get(it, "resident"));
    ck_assert_ptr_null(json_object_get(it, "priority"));
  }
  json_decref(j);
  j = tu_call(&srv, "GET", pathf(path, sizeof path, "/v1/referrals?vacancy_id=%lld", (long long)va),
              tok_emp_b, NULL, 200);
  ck_assert_uint_eq(json_array_size(json_object_get(j, "items")), 0);
  json_decref(j);
  tu_expect_field_error(
      &srv, "GET", pathf(path, sizeof path, "/v1/referrals?resident_id=%lld", (long long)cand[0]),
      tok_emp_a, NULL, "resident_id", NULL);
  tu_expect_field_error(&srv, "GET", "/v1/referrals?status=done", tok_officer, NULL, "status",
                        NULL);
  tu_expect_field_error(&srv, "GET", "/v1/referrals?cursor=nope", tok_officer, NULL, "cursor",
                        NULL);
  json_decref(tu_call_problem(&srv, "GET", "/v1/referrals", NULL, NULL, 401, "unauthenticated"));
  j = tu_call(&srv, "GET", "/v1/referrals?status=retained_6m", tok_officer, NULL, 200);
  json_array_foreach(json_object_get(j, "items"), i, it) {
    ck_assert_str_eq(json_string_value(json_object_get(it, "status")), "retained_6m");
  }
  ck_assert_uint_ge(json_array_size(json_object_get(j, "items")), 1);
  json_decref(j);

  /* the employer's candidate id in a referral is the one of its candidates list */
  j = tu_call(&srv, "GET",
              pathf(path, sizeof path, "/v1/vacancies/%lld/candidates?limit=100", (long long)va),
              tok_emp_a, NULL, 200);
  json_t *refs =
      tu_call(&srv, "GET",
              pathf(path, sizeof path, "/v1/referrals?vacancy_id=%lld&status=left", (long long)va),
              tok_emp_a, NULL, 200);
  const char *cid = json_string_value(
      json_object_get(json_array_get(json_object_get(refs, "items"), 0), "candidate_id"));
  ck_assert_ptr_nonnull(cid);
  int found = 0;
  json_array_foreach(json_object_get(j, "items"), i, it) {
    found |= strcmp(json_string_value(json_object_get(it, "candidate_id")), cid) == 0;
  }
  ck_assert_msg(found, "the left resident (back in the pool) has another candidate id");
  json_decref(refs);
  json_decref(j);
}
END_TEST

/* ---- Match runs ------------------------------------------------------------------------------ */

START_TEST(match_run_proposes_then_officer_confirms) {
  char path[160], cursor_path[256];
  json_decref(tu_call_problem(&srv, "POST", "/v1/match-runs", tok_emp_a, "{}", 403, "forbidden"));
  json_decref(tu_call_problem(&srv, "POST", "/v1/match-runs", tok_desk_a, "{}", 403, "forbidden"));
  json_decref(tu_call_problem(&srv, "POST", "/v1/match-runs", NULL, "{}", 401, "unauthenticated"));
  tu_expect_field_error(&srv, "POST", "/v1/match-runs", tok_officer, "{\"algorithm\": \"greedy\"}",
                        "algorithm", NULL);
  tu_expect_field_error(&srv, "POST", "/v1/match-runs", tok_officer, "{\"date\": \"2026-01-01\"}",
                        "date", NULL);
  ck_assert_int_eq(sql_int("SELECT count(*) FROM match_runs"), 0);

  struct tu_resp r;
  tu_text_request(&srv, "POST", "/v1/match-runs", tok_officer, "{\"algorithm\": \"exact\"}", &r);
  ck_assert_msg(r.status == 201, "%d %s", r.status, r.body);
  json_t *run = tu_json(&r);
  int64_t run_id = json_integer_value(json_object_get(run, "id"));
  char loc[64], want[64];
  ck_assert(tu_header(&r, "Location", loc, sizeof loc));
  ck_assert_str_eq(loc, pathf(want, sizeof want, "/v1/match-runs/%lld", (long long)run_id));
  tu_resp_free(&r);
  int64_t n_prop = json_integer_value(json_object_get(run, "n_proposals"));
  ck_assert_int_gt(n_prop, 0);
  int64_t unmatched = 0;
  size_t i;
  json_t *it;
  json_array_foreach(json_object_get(run, "unmatched_by_reason"), i, it) {
    unmatched += json_integer_value(json_object_get(it, "count"));
  }
  ck_assert_int_eq(unmatched, json_integer_value(json_object_get(run, "n_unmatched")));
  ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(run, "fill"), "proposed")),
                   n_prop);
  ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(run, "created_by"), "id")),
                   officer_id);
  /* the targeting figures: six groups, the whole city's row adds up, each
   * share recomputed from the counts */
  json_t *tg = json_object_get(run, "targeting");
  ck_assert_uint_eq(json_array_size(tg), 6);
  json_t *all = json_array_get(tg, 5);
  ck_assert_str_eq(json_string_value(json_object_get(all, "group")), "all");
  ck_assert_int_eq(json_integer_value(json_object_get(all, "job_steps")), n_prop);
  int64_t steps_proposed = json_integer_value(
      json_object_get(json_object_get(run, "course_steps_by_status"), "proposed"));
  ck_assert_int_eq(json_integer_value(json_object_get(all, "course_steps")), steps_proposed);
  ck_assert_int_eq(
      sql_int("SELECT count(*) FROM course_steps WHERE match_run_id = %lld", (long long)run_id),
      steps_proposed);
  json_array_foreach(tg, i, it) {
    int64_t e = json_integer_value(json_object_get(it, "eligible"));
    int64_t st = json_integer_value(json_object_get(it, "job_steps")) +
                 json_integer_value(json_object_get(it, "course_steps"));
    int64_t ea = json_integer_value(json_object_get(all, "eligible"));
    int64_t sa = n_prop + steps_proposed;
    ck_assert_double_eq_tol(json_number_value(json_object_get(it, "share_eligible")),
                            (double)e / (double)ea, 1e-4);
    ck_assert_double_eq_tol(json_number_value(json_object_get(it, "share_steps")),
                            (double)st / (double)sa, 1e-4);
    if (e > 0)
      ck_assert_double_eq_tol(json_number_value(json_object_get(it, "ratio")),
                              ((double)st / (double)sa) / ((double)e / (double)ea), 0.02);
  }
  ck_assert(json_is_array(json_object_get(run, "priority_kelurahan_reasons")));
  /* a resident the run left without a step, whom nothing fits, is told the
   * run's reason by the recommendations too */
  int64_t nothing = sql_int(
      "SELECT coalesce(min(resident_id), 0) FROM match_run_reasons WHERE match_run_id = %lld AND "
      "code IN ('education', 'missing_skills', 'vacancy_age_limit', 'below_min_fit')",
      (long long)run_id);
  if (nothing > 0) {
    json_t *rec =
        tu_call(&srv, "GET",
                pathf(path, sizeof path, "/v1/residents/%lld/recommendations", (long long)nothing),
                tok_officer, NULL, 200);
    json_t *why = json_object_get(rec, "not_matched_because");
    if (json_array_size(json_object_get(rec, "vacancies")) == 0 &&
        json_array_size(json_object_get(rec, "train_then_apply")) == 0) {
      ck_assert_int_eq(json_integer_value(json_object_get(why, "match_run_id")), run_id);
      ck_assert_ptr_nonnull(json_string_value(json_object_get(why, "reason_en")));
    }
    json_decref(rec);
  }
  /* every proposal carries the explanation it was made with */
  ck_assert_int_eq(sql_int("SELECT count(*) FROM referrals WHERE match_run_id = %lld AND "
                           "json_extract(explanation, '$.fit_components[0].component') = 'skills' "
                           "AND json_type(explanation, '$.priority_components') = 'array'",
                           (long long)run_id),
                   n_prop);
  /* the outcome is stored: the same figures from the tables, and later from GET */
  ck_assert_int_eq(sql_int("SELECT sum(n) FROM match_run_unmatched WHERE match_run_id = %lld",
                           (long long)run_id),
                   json_integer_value(json_object_get(run, "n_unmatched")));
  ck_assert_int_eq(sql_int("SELECT sum(proposed) FROM match_run_fill WHERE match_run_id = %lld",
                           (long long)run_id),
                   n_prop);
  ck_assert_int_eq(
      sql_int("SELECT count(*) FROM match_run_fill WHERE match_run_id = %lld", (long long)run_id),
      json_integer_value(json_object_get(json_object_get(run, "fill"), "vacancies")));
  ck_assert_int_eq(
      sql_int("SELECT count(*) FROM match_run_fill WHERE match_run_id = %lld AND proposed > "
              "capacity",
              (long long)run_id),
      0);
  json_t *stored_outcome =
      json_pack("{s:O, s:O}", "fill", json_object_get(run, "fill"), "unmatched_by_reason",
                json_object_get(run, "unmatched_by_reason"));
  json_array_foreach(json_object_get(run, "unmatched_by_reason"), i, it) {
    ck_assert_ptr_nonnull(json_string_value(json_object_get(it, "reason_id")));
    ck_assert_ptr_nonnull(json_string_value(json_object_get(it, "reason_en")));
  }
  json_decref(run);
  /* all recorded, each with its creation event */
  ck_assert_int_eq(
      sql_int("SELECT count(*) FROM referrals WHERE match_run_id = %lld AND status = 'proposed'",
              (long long)run_id),
      n_prop);
  ck_assert_int_eq(
      sql_int("SELECT count(*) FROM referral_events e JOIN referrals f ON f.id = e.referral_id "
              "WHERE f.match_run_id = %lld AND e.from_status IS NULL AND e.to_status = 'proposed'",
              (long long)run_id),
      n_prop);

  /* the proposals, paged: each resident once, within each vacancy's cap */
  int64_t *seen = calloc((size_t)n_prop, sizeof *seen), count = 0, first = 0;
  pathf(path, sizeof path, "/v1/match-runs/%lld/proposals?limit=7&kind=referral",
        (long long)run_id);
  snprintf(cursor_path, sizeof cursor_path, "%s", path);
  for (;;) {
    json_t *j = tu_call(&srv, "GET", cursor_path, tok_officer, NULL, 200);
    json_array_foreach(json_object_get(j, "items"), i, it) {
      int64_t rid = json_integer_value(json_object_get(json_object_get(it, "resident"), "id"));
      ck_assert(!contains_id(seen, (size_t)count, rid));
      ck_assert_int_lt(count, n_prop);
      seen[count++] = rid;
      if (first == 0)
        first = json_integer_value(json_object_get(it, "id"));
      ck_assert_str_eq(json_string_value(json_object_get(it, "status")), "proposed");
      ck_assert_str_eq(json_string_value(json_object_get(it, "kind")), "referral");
    }
    json_t *next = json_object_get(j, "next_cursor");
    if (json_is_null(next)) {
      json_decref(j);
      break;
    }
    snprintf(cursor_path, sizeof cursor_path, "%s&cursor=%s", path, json_string_value(next));
    json_decref(j);
  }
  ck_assert_int_eq(count, n_prop);
  json_t *g =
      tu_call(&srv, "GET", pathf(path, sizeof path, "/v1/match-runs/%lld", (long long)run_id),
              tok_admin, NULL, 200);
  ck_assert_int_eq(
      json_integer_value(json_object_get(json_object_get(g, "proposals_by_status"), "proposed")),
      n_prop);
  int64_t sum = 0;
  json_array_foreach(json_object_get(g, "vacancies"), i, it) {
    int64_t p = json_integer_value(json_object_get(it, "proposals"));
    sum += p;
    ck_assert_int_le(p, 3 * json_integer_value(json_object_get(it, "openings")));
    ck_assert_int_le(p, json_integer_value(json_object_get(it, "capacity")));
  }
  ck_assert_int_eq(sum, n_prop);
  ck_assert(json_equal(json_object_get(g, "fill"), json_object_get(stored_outcome, "fill")));
  ck_assert(json_equal(json_object_get(g, "unmatched_by_reason"),
                       json_object_get(stored_outcome, "unmatched_by_reason")));
  json_decref(stored_outcome);
  json_decref(g);
  /* a run recorded before outcomes were stored shows them as unknown */
  sql_exec("INSERT INTO match_runs (created_at, algorithm, run_date, total_key, total_gain, "
           "n_proposals, n_unmatched, duration_ms) VALUES ('2025-01-01T00:00:00Z', 'exact', "
           "'2025-01-01', 0, 0, 0, 5, 1)");
  int64_t old_run = sql_int("SELECT max(id) FROM match_runs");
  g = tu_call(&srv, "GET", pathf(path, sizeof path, "/v1/match-runs/%lld", (long long)old_run),
              tok_officer, NULL, 200);
  ck_assert(json_is_null(json_object_get(g, "fill")));
  ck_assert(json_is_null(json_object_get(g, "unmatched_by_reason")));
  ck_assert(json_is_null(json_object_get(g, "targeting")));
  ck_assert_int_eq(json_integer_value(json_object_get(g, "n_unmatched")), 5);
  json_decref(g);
  sql_exec("DELETE FROM match_runs WHERE id = %lld", (long long)old_run);

  /* proposed residents left the rankings: a second run proposes others */
  json_t *run2 = tu_call(&srv, "POST", "/v1/match-runs", tok_admin, "{}", 201);
  int64_t run2_id = json_integer_value(json_object_get(run2, "id"));
  json_decref(run2);
  ck_assert_int_eq(sql_int("SELECT count(*) FROM referrals a JOIN referrals b ON a.resident_id = "
                           "b.resident_id WHERE a.match_run_id = %lld AND b.match_run_id = %lld",
                           (long long)run_id, (long long)run2_id),
                   0);

  /* confirm one proposal */
  json_t *c = move(tok_officer, first, "confirmed", 200);
  ck_assert_str_eq(json_string_value(json_object_get(c, "status")), "confirmed");
  json_decref(c);
  g = tu_call(&srv, "GET", pathf(path, sizeof path, "/v1/match-runs/%lld", (long long)run_id),
              tok_officer, NULL, 200);
  ck_assert_int_eq(
      json_integer_value(json_object_get(json_object_get(g, "proposals_by_status"), "confirmed")),
      1);
  ck_assert_int_eq(
      json_integer_value(json_object_get(json_object_get(g, "proposals_by_status"), "proposed")),
      n_prop - 1);
  json_decref(g);
  g = tu_call(
      &srv, "GET",
      pathf(path, sizeof path, "/v1/match-runs/%lld/proposals?status=confirmed", (long long)run_id),
      tok_officer, NULL, 200);
  ck_assert_uint_eq(json_array_size(json_object_get(g, "items")), 1);
  json_decref(g);

  /* the list, roles, missing runs */
  g = tu_call(&srv, "GET", "/v1/match-runs", tok_officer, NULL, 200);
  ck_assert_uint_eq(json_array_size(json_object_get(g, "items")), 2);
  json_decref(g);
  json_decref(tu_call_problem(&srv, "GET", "/v1/match-runs", tok_emp_a, NULL, 403, "forbidden"));
  json_decref(
      tu_call_problem(&srv, "GET", "/v1/match-runs/99999", tok_officer, NULL, 404, "not-found"));
  json_decref(tu_call_problem(&srv, "GET", "/v1/match-runs/99999/proposals", tok_officer, NULL, 404,
                              "not-found"));
  json_decref(tu_call_problem(&srv, "GET",
                              pathf(path, sizeof path, "/v1/match-runs/%lld", (long long)run_id),
                              tok_desk_a, NULL, 403, "forbidden"));
  json_decref(tu_call_problem(
      &srv, "GET", pathf(path, sizeof path, "/v1/match-runs/%lld/proposals", (long long)run_id),
      tok_emp_a, NULL, 403, "forbidden"));
  json_decref(tu_call_problem(&srv, "GET",
                              pathf(path, sizeof path, "/v1/match-runs/%lld", (long long)run_id),
                              NULL, NULL, 401, "unauthenticated"));
  tu_expect_field_error(
      &srv, "GET",
      pathf(path, sizeof path, "/v1/match-runs/%lld/proposals?status=x", (long long)run_id),
      tok_officer, NULL, "status", NULL);
  tu_expect_field_error(&srv, "GET", "/v1/match-runs?limit=0", tok_officer, NULL, "limit", NULL);
  free(seen);
}
END_TEST

/* ---- What employers received ------------------------------------------------------------------
 */

struct values {
  char **v;
  size_t n, cap;
};

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void values_add(struct values *s, const char *v) {
  if (v == NULL || v[0] == '\0')
    return;
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 1024;
    s->v = realloc(s->v, s->cap * sizeof *s->v);
    ck_assert_ptr_nonnull(s->v);
  }
  s->v[s->n++] = strdup(v);
}

static int values_has(const struct values *s, const char *v) {
  return bsearch(&v, s->v, s->n, sizeof *s->v, cmp_str) != NULL;
}

struct secrets {
  struct values nik, name, address, phone; /* every resident's, sorted */
  char (*watch)[4][512];                   /* the candidates' and referred residents' */
  size_t n_watch;
};

static int has_16_digits(const char *s) {
  for (size_t run = 0; *s != '\0'; s++) {
    run = isdigit((unsigned char)*s) ? run + 1 : 0;
    if (run >= 16)
      return 1;
  }
  return 0;
}

static void check_text(const struct secrets *z, const char *s, int in_contact, const char *body) {
  ck_assert_msg(!has_16_digits(s), "a NIK-like number reached an employer: %s", body);
  ck_assert_msg(!values_has(&z->nik, s) && !values_has(&z->address, s), "NIK or address: %s", s);
  if (!in_contact)
    ck_assert_msg(!values_has(&z->name, s) && !values_has(&z->phone, s), "name or phone: %s in %s",
                  s, body);
  for (size_t i = 0; i < z->n_watch; i++)
    for (int k = 0; k < 4; k++)
      if (z->watch[i][k][0] != '\0' && (k == 0 || k == 2 || !in_contact))
        ck_assert_msg(strstr(s, z->watch[i][k]) == NULL, "'%s' inside '%s'", z->watch[i][k], s);
  static const char *const words[] = {"desil", "disab", "priorit", "miskin", "poor"};
  for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
    ck_assert_msg(strcasestr(s, words[w]) == NULL, "'%s' in '%s'", words[w], s);
}

static void walk(const struct secrets *z, json_t *j, int in_contact, const char *body) {
  static const char *const keys[] = {
      "nik",         "address",  "phone",       "desil",      "priority",
      "disability",  "resident", "resident_id", "key",        "priority_components",
      "kelurahan",   "name",     "events",      "created_by", "updated_by",
      "match_run_id"};
  const char *k;
  json_t *v;
  size_t i;
  if (json_is_object(j)) {
    json_t *contact = json_object_get(j, "contact");
    if (json_is_object(contact)) {
      const char *status = json_string_value(json_object_get(j, "status"));
      ck_assert_msg(strcmp(status, "proposed") && strcmp(status, "rejected") &&
                        strcmp(status, "withdrawn"),
                    "contact shown at %s", status);
      char name[256];
      sql_text(name, sizeof name,
               "SELECT r.name FROM referrals f JOIN residents r ON r.id = f.resident_id WHERE f.id "
               "= %lld",
               (long long)json_integer_value(json_object_get(j, "id")));
      ck_assert_str_eq(json_string_value(json_object_get(contact, "name")), name);
      ck_assert_uint_le(json_object_size(contact), 2);
    }
    json_object_foreach(j, k, v) {
      int contact_field = in_contact && (strcmp(k, "name") == 0 || strcmp(k, "phone") == 0);
      for (size_t n = 0; n < sizeof keys / sizeof keys[0] && !contact_field; n++)
        ck_assert_msg(strcmp(k, keys[n]) != 0, "key %s reached an employer: %s", k, body);
      walk(z, v, in_contact || strcmp(k, "contact") == 0, body);
    }
  } else if (json_is_array(j)) {
    json_array_foreach(j, i, v) walk(z, v, in_contact, body);
  } else if (json_is_string(j)) {
    check_text(z, json_string_value(j), in_contact, body);
  }
}

static void load_secrets(struct secrets *z) {
  sqlite3 *db = db_open();
  sqlite3_stmt *q;
  ck_assert_int_eq(
      sqlite3_prepare_v2(db, "SELECT nik, name, address, phone, id FROM residents", -1, &q, NULL),
      SQLITE_OK);
  size_t cap = 0;
  while (sqlite3_step(q) == SQLITE_ROW) {
    const char *col[4];
    for (int k = 0; k < 4; k++)
      col[k] = (const char *)sqlite3_column_text(q, k);
    values_add(&z->nik, col[0]);
    values_add(&z->name, col[1]);
    values_add(&z->address, col[2]);
    values_add(&z->phone, col[3]);
    int64_t id = sqlite3_column_int64(q, 4);
    int watched = contains_id(cand, n_cand, id) || contains_id(vb_cand, n_vb_cand, id);
    if (!watched)
      continue;
    if (z->n_watch == cap) {
      cap = cap ? 2 * cap : 64;
      z->watch = realloc(z->watch, cap * sizeof *z->watch);
      ck_assert_ptr_nonnull(z->watch);
    }
    for (int k = 0; k < 4; k++)
      snprintf(z->watch[z->n_watch][k], 512, "%s", col[k] != NULL ? col[k] : "");
    z->n_watch++;
  }
  sqlite3_finalize(q);
  sqlite3_close(db);
  struct values *all[] = {&z->nik, &z->name, &z->address, &z->phone};
  for (size_t k = 0; k < 4; k++)
    qsort(all[k]->v, all[k]->n, sizeof *all[k]->v, cmp_str);
}

static void values_free(struct values *s) {
  for (size_t i = 0; i < s->n; i++)
    free(s->v[i]);
  free(s->v);
}

START_TEST(employer_bodies_hold_no_personal_data) {
  struct secrets z = {0};
  char *line = NULL;
  size_t cap = 0, n = 0, with_candidates = 0, with_contact = 0;
  load_secrets(&z);
  ck_assert_uint_ge(z.n_watch, NEEDED_CAND);
  FILE *f = fopen(employer_log, "r");
  ck_assert_ptr_nonnull(f);
  while (getline(&line, &cap, f) > 0) {
    json_t *entry = json_loads(line, 0, NULL);
    ck_assert_msg(entry != NULL, "not a log line: %s", line);
    const char *body = json_string_value(json_object_get(entry, "body"));
    json_t *j = json_loads(body, 0, NULL);
    ck_assert_msg(j != NULL, "not JSON: %s", body);
    walk(&z, j, 0, body);
    with_candidates +=
        json_array_size(json_object_get(j, "items")) > 0 &&
        json_object_get(json_array_get(json_object_get(j, "items"), 0), "age_band") != NULL;
    with_contact += strstr(body, "\"contact\":{") != NULL;
    json_decref(j);
    json_decref(entry);
    n++;
  }
  free(line);
  fclose(f);
  /* the suite did show employers candidates and contacts to check */
  ck_assert_uint_ge(n, 20);
  ck_assert_uint_ge(with_candidates, 3);
  ck_assert_uint_ge(with_contact, 2);
  values_free(&z.nik);
  values_free(&z.name);
  values_free(&z.address);
  values_free(&z.phone);
  free(z.watch);
}
END_TEST

static Suite *matching_suite(void) {
  Suite *s = suite_create("api_matching");
  TCase *tc = tcase_create("http");
  tcase_add_unchecked_fixture(tc, server_start, server_stop);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, candidates_officer_full_view_by_key_and_audited);
  tcase_add_test(tc, candidates_employer_pseudonymous_same_people_by_fit);
  tcase_add_test(tc, candidates_scope_roles_and_validation);
  tcase_add_test(tc, candidates_follow_resident_and_vacancy_patches);
  tcase_add_test(tc, recommendations_agree_with_candidates_and_audited);
  tcase_add_test(tc, recommendations_scope_roles_and_reasons);
  tcase_add_test(tc, training_plan_within_capacities);
  tcase_add_test(tc, referral_rules_and_engine_refresh);
  tcase_add_test(tc, referral_life_cycle_to_retained_6m);
  tcase_add_test(tc, referral_left_desk_proposal_and_rejection);
  tcase_add_test(tc, referral_lists_scoped_and_paged);
  tcase_add_test(tc, match_run_proposes_then_officer_confirms);
  tcase_add_test(tc, employer_bodies_hold_no_personal_data);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return tu_run_suite(matching_suite());
}
