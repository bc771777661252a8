/*
 * check_api_catalog.c — employers, vacancies, courses, batches and
 * enrolments over HTTP against the real server (tu_http.h): for every route
 * the success case, a validation failure, 401 without a token, 403 for a
 * role the route does not admit, and 404 for an object outside the
 * caller's scope, byte for byte the answer for a missing id.  Writes that
 * are refused are checked to have changed nothing in the database; list
 * pages are walked to the end and compared with counts taken straight from
 * the database; course outcomes are recomputed from the seed CSV files; and the
 * matching engine is checked to see each change in its next ranking
 * (candidates for a vacancy, a resident's recommendations).
 *
 * The server is started once (an unchecked fixture); each test builds what
 * it needs (its own vacancies, courses, batches in its own year, its own
 * residents), so the tests do not depend on each other's order.
 */
#include <check.h>
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

#define RESIDENTS 2000
#define UMK 5399405

enum { ADMIN, OFFICER, EMPLOYER, DESK, N_ROLES, ANON = -1 };
static const char *const role_names[N_ROLES] = {"admin", "officer", "employer", "desk"};

static struct tu_server srv;
static char *tok[N_ROLES];
static int64_t own_employer; /* the demo employer account's */
static int64_t desk_kel;     /* the demo desk's kelurahan */

/* ---- Fixture ------------------------------------------------------------------------ */

static void start(void) {
  tu_server_start(&srv, RESIDENTS, 7);
  for (int i = 0; i < N_ROLES; i++)
    tok[i] = tu_login(&srv, role_names[i]);
  struct tu_resp r;
  tu_request(&srv, "GET", "/v1/me", tok[EMPLOYER], NULL, NULL, 0, &r);
  json_t *me = tu_json(&r);
  own_employer = json_integer_value(json_object_get(json_object_get(me, "scope"), "employer_id"));
  json_decref(me);
  tu_resp_free(&r);
  tu_request(&srv, "GET", "/v1/me", tok[DESK], NULL, NULL, 0, &r);
  me = tu_json(&r);
  desk_kel = json_integer_value(json_object_get(json_object_get(me, "scope"), "kelurahan_id"));
  json_decref(me);
  tu_resp_free(&r);
}

static void stop(void) {
  for (int i = 0; i < N_ROLES; i++)
    free(tok[i]);
  tu_server_stop(&srv);
}

/* ---- Requests ------------------------------------------------------------------------ */

/* A request as role who (ANON: no token) with an optional JSON body; checks
 * the status and returns the body parsed (NULL when empty), the caller's to
 * decref.  path is a printf format. */
static json_t *call(int who, int want, const char *method, const char *body, const char *path, ...)
    __attribute__((format(printf, 5, 6)));
static json_t *call(int who, int want, const char *method, const char *body, const char *path,
                    ...) {
  char p[512];
  va_list ap;
  va_start(ap, path);
  vsnprintf(p, sizeof p, path, ap);
  va_end(ap);
  return tu_call(&srv, method, p, who >= 0 ? tok[who] : NULL, body, want);
}

/* The same for an answer that must be a problem (tu_call_problem) with
 * this status and code; returns it parsed, the caller's to decref. */
static json_t *problem(int who, int status, const char *code, const char *method, const char *body,
                       const char *path, ...) __attribute__((format(printf, 6, 7)));
static json_t *problem(int who, int status, const char *code, const char *method, const char *body,
                       const char *path, ...) {
  char p[512];
  va_list ap;
  va_start(ap, path);
  vsnprintf(p, sizeof p, path, ap);
  va_end(ap);
  return tu_call_problem(&srv, method, p, who >= 0 ? tok[who] : NULL, body, status, code);
}

/* A write only officers and admins may make: the employer and the desk get
 * 403, no token 401, and nothing is written. */
static void staff_only(const char *method, const char *body, const char *path) {
  json_decref(tu_call_problem(&srv, method, path, tok[EMPLOYER], body, 403, "forbidden"));
  json_decref(tu_call_problem(&srv, method, path, tok[DESK], body, 403, "forbidden"));
  json_decref(tu_call_problem(&srv, method, path, NULL, body, 401, "unauthenticated"));
}

/* A hidden object's 404 is byte for byte the missing object's 404. */
static void same_404(int who, const char *hidden, const char *missing) {
  tu_expect_hidden(&srv, "GET", hidden, missing, tok[who], NULL);
}

/* ---- The database, read beside the server ---------------------------------------------- */

static sqlite3 *db_open(void) {
  char path[600];
  sqlite3 *db = NULL;
  snprintf(path, sizeof path, "%s/padan.db", srv.dir);
  ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);
  return db;
}

/* The one integer a query returns (printf format). */
static int64_t db_int(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int64_t db_int(const char *fmt, ...) {
  char sql[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sql, sizeof sql, fmt, ap);
  va_end(ap);
  sqlite3 *db = db_open();
  sqlite3_stmt *q = NULL;
  ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK, "%s: %s", sql,
                sqlite3_errmsg(db));
  ck_assert_msg(sqlite3_step(q) == SQLITE_ROW, "%s: no row", sql);
  int64_t v = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(db);
  return v;
}

static void db_exec(const char *sql) {
  sqlite3 *db = db_open();
  char *err = NULL;
  ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK, "%s: %s", sql, err);
  sqlite3_close(db);
}

/* Up to max resident ids matching a WHERE clause, by id. */
static size_t db_ids(int64_t *out, size_t max, const char *where) {
  char sql[1024];
  snprintf(sql, sizeof sql, "SELECT id FROM residents WHERE erased_at IS NULL AND %s ORDER BY id",
           where);
  sqlite3 *db = db_open();
  sqlite3_stmt *q = NULL;
  ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
  size_t n = 0;
  while (n < max && sqlite3_step(q) == SQLITE_ROW)
    out[n++] = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(db);
  return n;
}

/* ---- Page walks ---------------------------------------------------------------------------- */

/* Walks every page of a list (query: the path's query string without limit
 * and cursor, may be "") as who with page size limit; checks the ids rise
 * strictly across pages and calls check on each item.  Returns the number
 * of items. */
static size_t walk(int who, const char *path, const char *query, int limit,
                   void (*check)(json_t *item, void *arg), void *arg) {
  char cursor[128] = "";
  int64_t last = 0;
  size_t n = 0, pages = 0;
  for (;;) {
    json_t *page = call(who, 200, "GET", NULL, "%s?limit=%d%s%s%s%s", path, limit,
                        query[0] ? "&" : "", query, cursor[0] ? "&cursor=" : "", cursor);
    json_t *items = json_object_get(page, "items");
    ck_assert_uint_le(json_array_size(items), (size_t)limit);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
      int64_t id = json_integer_value(json_object_get(it, "id"));
      ck_assert_msg(id > last, "%s: id %lld after %lld", path, (long long)id, (long long)last);
      last = id;
      if (check != NULL)
        check(it, arg);
      n++;
    }
    pages++;
    ck_assert_uint_lt(pages, 10000);
    const char *next = json_string_value(json_object_get(page, "next_cursor"));
    if (next == NULL) {
      json_decref(page);
      return n;
    }
    ck_assert_uint_eq(json_array_size(items), (size_t)limit); /* only a full page has a next */
    snprintf(cursor, sizeof cursor, "%s", next);
    json_decref(page);
  }
}

static const char *str(json_t *o, const char *path) {
  /* "a.b" looks one level down */
  const char *dot = strchr(path, '.');
  if (dot == NULL)
    return json_string_value(json_object_get(o, path));
  char head[64];
  snprintf(head, sizeof head, "%.*s", (int)(dot - path), path);
  return json_string_value(json_object_get(json_object_get(o, head), dot + 1));
}

static int64_t num(json_t *o, const char *path) {
  const char *dot = strchr(path, '.');
  if (dot == NULL)
    return json_integer_value(json_object_get(o, path));
  char head[64];
  snprintf(head, sizeof head, "%.*s", (int)(dot - path), path);
  return json_integer_value(json_object_get(json_object_get(o, head), dot + 1));
}

/* ---- Employers -------------------------------------------------------------------------- */

static void employer_in_kecamatan(json_t *it, void *arg) {
  ck_assert_str_eq(str(it, "kecamatan.code"), arg);
}

START_TEST(employer_list_scope_filters_and_pages) {
  int64_t all = db_int("SELECT count(*) FROM employers");
  ck_assert_uint_eq(walk(OFFICER, "/v1/employers", "", 50, NULL, NULL), (size_t)all);
  ck_assert_uint_eq(walk(ADMIN, "/v1/employers", "", 500, NULL, NULL), (size_t)all);
  ck_assert_uint_eq(walk(DESK, "/v1/employers", "", 7, NULL, NULL), (size_t)all);
  /* an employer account sees a list of one: itself */
  json_t *page = call(EMPLOYER, 200, "GET", NULL, "/v1/employers");
  json_t *items = json_object_get(page, "items");
  ck_assert_uint_eq(json_array_size(items), 1);
  ck_assert_int_eq(num(json_array_get(items, 0), "id"), own_employer);
  json_decref(page);

  int64_t in_jatiuwung = db_int("SELECT count(*) FROM employers e JOIN kelurahan k ON "
                                "k.id = e.kelurahan_id JOIN kecamatan c ON c.id = k.kecamatan_id "
                                "WHERE c.code = '36.71.02'");
  ck_assert_int_gt(in_jatiuwung, 0);
  ck_assert_uint_eq(
      walk(OFFICER, "/v1/employers", "kecamatan=36.71.02", 10, employer_in_kecamatan, "36.71.02"),
      (size_t)in_jatiuwung);
  ck_assert_uint_eq(walk(OFFICER, "/v1/employers", "sector=garment", 500, NULL, NULL),
                    (size_t)db_int("SELECT count(*) FROM employers WHERE sector = 'garment'"));

  json_t *p =
      problem(OFFICER, 400, "invalid-input", "GET", NULL, "/v1/employers?kelurahan=36.71.99.9999");
  tu_expect_names_field(p, "kelurahan", "unknown_code");
  json_decref(p);
  json_decref(call(OFFICER, 400, "GET", NULL, "/v1/employers?sector=mining"));
  json_decref(call(OFFICER, 400, "GET", NULL, "/v1/employers?colour=red"));
  json_decref(call(OFFICER, 400, "GET", NULL, "/v1/employers?limit=0"));
  p = problem(ANON, 401, "unauthenticated", "GET", NULL, "/v1/employers");
  json_decref(p);
}
END_TEST

START_TEST(employer_get_scope) {
  int64_t other = db_int("SELECT min(id) FROM employers WHERE id <> %lld", (long long)own_employer);
  int64_t missing = db_int("SELECT max(id) + 1000 FROM employers");
  json_t *e = call(EMPLOYER, 200, "GET", NULL, "/v1/employers/%lld", (long long)own_employer);
  ck_assert_int_eq(num(e, "id"), own_employer);
  ck_assert(json_is_integer(json_object_get(json_object_get(e, "vacancies"), "open")));
  json_decref(e);
  json_decref(call(DESK, 200, "GET", NULL, "/v1/employers/%lld", (long long)other));
  json_decref(call(OFFICER, 200, "GET", NULL, "/v1/employers/%lld", (long long)other));
  char hidden[64], absent[64];
  snprintf(hidden, sizeof hidden, "/v1/employers/%lld", (long long)other);
  snprintf(absent, sizeof absent, "/v1/employers/%lld", (long long)missing);
  same_404(EMPLOYER, hidden, absent);
  json_decref(call(ANON, 401, "GET", NULL, "%s", hidden));
}
END_TEST

START_TEST(employer_create_validates_and_refuses_roles) {
  int64_t before = db_int("SELECT count(*) FROM employers");
  const char *good = "{\"name\":\"CV Uji Katalog\",\"sector\":\"retail\","
                     "\"kelurahan\":\"36.71.10.1001\",\"address\":\"Jl. Uji No. 1\","
                     "\"employees\":12}";
  json_t *p = problem(OFFICER, 400, "invalid-input", "POST",
                      "{\"code\":\"lower\",\"name\":\"  \",\"sector\":\"mining\","
                      "\"kelurahan\":\"36.71.99.9999\",\"employees\":-1,\"extra\":1}",
                      "/v1/employers");
  /* the spec refuses employees and extra first; fix those to see the rest */
  tu_expect_names_fields(p, "employees", "out_of_range", "extra", "unknown_field", NULL);
  json_decref(p);
  p = problem(OFFICER, 400, "invalid-input", "POST",
              "{\"code\":\"lower\",\"name\":\"  \",\"sector\":\"mining\","
              "\"kelurahan\":\"36.71.99.9999\"}",
              "/v1/employers");
  tu_expect_names_fields(p, "code", "format", "name", "blank", "sector", "enum_value", "kelurahan",
                         "unknown_code", NULL);
  json_decref(p);
  staff_only("POST", good, "/v1/employers");
  ck_assert_int_eq(db_int("SELECT count(*) FROM employers"), before);

  json_t *e = call(OFFICER, 201, "POST", good, "/v1/employers");
  char want[32];
  snprintf(want, sizeof want, "EMP-%03lld", (long long)before + 1); /* seeded codes run by row */
  ck_assert_str_eq(str(e, "code"), want);
  ck_assert_str_eq(str(e, "name"), "CV Uji Katalog");
  ck_assert_str_eq(str(e, "kelurahan.code"), "36.71.10.1001");
  ck_assert_int_eq(num(e, "employees"), 12);
  ck_assert_int_eq(num(e, "vacancies.total"), 0);
  json_t *again = call(ADMIN, 200, "GET", NULL, "/v1/employers/%lld", (long long)num(e, "id"));
  ck_assert(json_equal(e, again));
  json_decref(again);
  /* a chosen code that is taken: 409, nothing written */
  char dup[256];
  snprintf(dup, sizeof dup,
           "{\"code\":\"%s\",\"name\":\"X\",\"sector\":\"retail\","
           "\"kelurahan\":\"36.71.10.1001\"}",
           want);
  p = problem(ADMIN, 409, "conflict", "POST", dup, "/v1/employers");
  json_decref(p);
  ck_assert_int_eq(db_int("SELECT count(*) FROM employers"), before + 1);
  json_decref(e);
}
END_TEST

START_TEST(employer_patch_own_fields_only) {
  int64_t other = db_int("SELECT min(id) FROM employers WHERE id <> %lld", (long long)own_employer);
  json_t *before = call(OFFICER, 200, "GET", NULL, "/v1/employers/%lld", (long long)own_employer);
  /* an employer may not move its own sector or kelurahan: 403 naming them, nothing changed */
  json_t *p = problem(EMPLOYER, 403, "forbidden", "PATCH", "{\"sector\":\"retail\",\"name\":\"X\"}",
                      "/v1/employers/%lld", (long long)own_employer);
  ck_assert_ptr_nonnull(strstr(str(p, "detail"), "sector"));
  json_decref(p);
  json_t *same = call(OFFICER, 200, "GET", NULL, "/v1/employers/%lld", (long long)own_employer);
  ck_assert(json_equal(before, same));
  json_decref(same);
  /* another employer's record: 404 as if missing */
  json_decref(
      call(EMPLOYER, 404, "PATCH", "{\"name\":\"X\"}", "/v1/employers/%lld", (long long)other));
  json_decref(call(DESK, 403, "PATCH", "{\"name\":\"X\"}", "/v1/employers/%lld", (long long)other));
  json_decref(call(ANON, 401, "PATCH", "{\"name\":\"X\"}", "/v1/employers/%lld", (long long)other));
  /* validation: a blank name, an unknown kelurahan; nothing changed */
  p = problem(OFFICER, 400, "invalid-input", "PATCH", "{\"name\":\"\",\"kelurahan\":\"nope\"}",
              "/v1/employers/%lld", (long long)own_employer);
  tu_expect_names_fields(p, "name", "blank", "kelurahan", "unknown_code", NULL);
  json_decref(p);
  same = call(OFFICER, 200, "GET", NULL, "/v1/employers/%lld", (long long)own_employer);
  ck_assert(json_equal(before, same));
  json_decref(same);

  /* the employer corrects its own name and address */
  json_t *e = call(EMPLOYER, 200, "PATCH",
                   "{\"name\":\"PT Cahaya Plastindo Cisadane Tbk\",\"address\":\"Jl. Baru 2\"}",
                   "/v1/employers/%lld", (long long)own_employer);
  ck_assert_str_eq(str(e, "name"), "PT Cahaya Plastindo Cisadane Tbk");
  ck_assert_str_eq(str(e, "address"), "Jl. Baru 2");
  ck_assert_str_eq(str(e, "sector"), str(before, "sector"));
  json_decref(e);
  /* an officer clears the head count and moves the kelurahan */
  e = call(OFFICER, 200, "PATCH", "{\"employees\":null,\"kelurahan\":\"36.71.02.1002\"}",
           "/v1/employers/%lld", (long long)own_employer);
  ck_assert(json_is_null(json_object_get(e, "employees")));
  ck_assert_str_eq(str(e, "kelurahan.code"), "36.71.02.1002");
  ck_assert_str_eq(str(e, "name"), "PT Cahaya Plastindo Cisadane Tbk");
  json_decref(e);
  json_decref(before);
}
END_TEST

/* ---- Vacancies ------------------------------------------------------------------------------ */

struct vac_check {
  int64_t employer; /* > 0: every item's */
  int open;         /* 1: status open */
  int below;        /* -1 any; else below_umk must equal it */
  int open_today;   /* 1: taking applicants today */
  const char *today;
};

static void vacancy_item(json_t *it, void *arg) {
  const struct vac_check *c = arg;
  int64_t wage = num(it, "wage_monthly");
  ck_assert_int_eq(json_is_true(json_object_get(it, "below_umk")), wage < UMK);
  ck_assert_int_eq(num(it, "openings_left"), num(it, "openings") > num(it, "openings_filled")
                                                 ? num(it, "openings") - num(it, "openings_filled")
                                                 : 0);
  if (c->employer > 0)
    ck_assert_int_eq(num(it, "employer.id"), c->employer);
  if (c->open)
    ck_assert_str_eq(str(it, "status"), "open");
  if (c->below >= 0)
    ck_assert_int_eq(json_is_true(json_object_get(it, "below_umk")), c->below);
  if (c->open_today) {
    ck_assert_str_eq(str(it, "status"), "open");
    ck_assert_int_gt(num(it, "openings_left"), 0);
    const char *d = str(it, "deadline");
    ck_assert(d == NULL || strcmp(d, c->today) >= 0);
  }
}

START_TEST(vacancy_list_scope_filters_and_pages) {
  struct vac_check any = {.below = -1};
  ck_assert_uint_eq(walk(OFFICER, "/v1/vacancies", "", 100, vacancy_item, &any),
                    (size_t)db_int("SELECT count(*) FROM vacancies"));
  struct vac_check own = {.employer = own_employer, .below = -1};
  ck_assert_uint_eq(walk(EMPLOYER, "/v1/vacancies", "", 3, vacancy_item, &own),
                    (size_t)db_int("SELECT count(*) FROM vacancies WHERE employer_id = %lld",
                                   (long long)own_employer));
  struct vac_check open = {.open = 1, .below = -1};
  ck_assert_uint_eq(walk(DESK, "/v1/vacancies", "", 250, vacancy_item, &open),
                    (size_t)db_int("SELECT count(*) FROM vacancies WHERE status = 'open'"));
  struct vac_check below = {.below = 1}, above = {.below = 0};
  ck_assert_uint_eq(walk(ADMIN, "/v1/vacancies", "below_umk=true", 500, vacancy_item, &below),
                    (size_t)db_int("SELECT count(*) FROM vacancies WHERE wage_monthly < %d", UMK));
  ck_assert_uint_eq(walk(ADMIN, "/v1/vacancies", "below_umk=false", 500, vacancy_item, &above),
                    (size_t)db_int("SELECT count(*) FROM vacancies WHERE wage_monthly >= %d", UMK));
  ck_assert_uint_eq(walk(OFFICER, "/v1/vacancies", "vocation=garment&kecamatan=36.71.02", 500,
                         vacancy_item, &any),
                    (size_t)db_int("SELECT count(*) FROM vacancies v JOIN kelurahan k ON k.id = "
                                   "v.kelurahan_id JOIN kecamatan c ON c.id = k.kecamatan_id "
                                   "WHERE v.vocation = 'garment' AND c.code = '36.71.02'"));
  ck_assert_uint_eq(
      walk(OFFICER, "/v1/vacancies", "employer=EMP-002&status=open", 500, vacancy_item, &any),
      (size_t)db_int("SELECT count(*) FROM vacancies v JOIN employers e ON e.id = "
                     "v.employer_id WHERE e.code = 'EMP-002' AND v.status = 'open'"));
  ck_assert_uint_eq(
      walk(OFFICER, "/v1/vacancies", "kelurahan=36.71.08.1003", 500, vacancy_item, &any),
      (size_t)db_int("SELECT count(*) FROM vacancies v JOIN kelurahan k ON k.id = v.kelurahan_id "
                     "WHERE k.code = '36.71.08.1003'"));
  char today[11];
  time_t t = time(NULL) + 7 * 3600;
  strftime(today, sizeof today, "%Y-%m-%d", gmtime(&t));
  struct vac_check taking = {.below = -1, .open_today = 1, .today = today};
  ck_assert_uint_eq(
      walk(OFFICER, "/v1/vacancies", "open_only=true", 500, vacancy_item, &taking),
      (size_t)db_int("SELECT count(*) FROM vacancies v WHERE status = 'open' AND "
                     "coalesce(deadline, '%s') >= '%s' AND openings > (SELECT count(*) FROM "
                     "referrals f WHERE f.vacancy_id = v.id AND f.status IN ('hired', "
                     "'retained_3m', 'retained_6m'))",
                     today, today));
  /* another employer's code in an employer's filter matches nothing */
  json_t *page = call(EMPLOYER, 200, "GET", NULL, "/v1/vacancies?employer=EMP-002");
  ck_assert_uint_eq(json_array_size(json_object_get(page, "items")), 0);
  json_decref(page);

  json_t *p = problem(OFFICER, 400, "invalid-input", "GET", NULL, "/v1/vacancies?status=gone");
  tu_expect_names_field(p, "status", NULL);
  json_decref(p);
  p = problem(OFFICER, 400, "invalid-input", "GET", NULL,
              "/v1/vacancies?employer=EMP-999&kecamatan=x");
  tu_expect_names_fields(p, "employer", "unknown_code", "kecamatan", "unknown_code", NULL);
  json_decref(p);
  json_decref(call(OFFICER, 400, "GET", NULL, "/v1/vacancies?below_umk=maybe"));
  json_decref(call(OFFICER, 400, "GET", NULL, "/v1/vacancies?cursor=bogus"));
  json_decref(call(ANON, 401, "GET", NULL, "/v1/vacancies"));
}
END_TEST

/* A vacancy posted by the officer for employer code (a JSON body's other
 * fields in extra, "" for none); returns its id. */
static int64_t post_vacancy(const char *employer, const char *status, const char *extra) {
  char body[1024];
  snprintf(body, sizeof body,
           "{\"employer\":\"%s\",\"title\":\"Pekerja Produksi Uji\",\"vocation\":\"manufacturing\","
           "\"openings\":4,\"wage_monthly\":5600000,\"status\":\"%s\"%s%s}",
           employer, status, extra[0] ? "," : "", extra);
  json_t *v = call(OFFICER, 201, "POST", body, "/v1/vacancies");
  int64_t id = num(v, "id");
  json_decref(v);
  return id;
}

START_TEST(vacancy_get_scope) {
  int64_t other = db_int("SELECT min(id) FROM vacancies WHERE employer_id <> %lld AND status = "
                         "'open'",
                         (long long)own_employer);
  int64_t own =
      db_int("SELECT min(id) FROM vacancies WHERE employer_id = %lld", (long long)own_employer);
  int64_t missing = db_int("SELECT max(id) + 1000 FROM vacancies");
  json_t *v = call(EMPLOYER, 200, "GET", NULL, "/v1/vacancies/%lld", (long long)own);
  ck_assert_int_eq(num(v, "employer.id"), own_employer);
  json_decref(v);
  char hidden[64], absent[64];
  snprintf(hidden, sizeof hidden, "/v1/vacancies/%lld", (long long)other);
  snprintf(absent, sizeof absent, "/v1/vacancies/%lld", (long long)missing);
  same_404(EMPLOYER, hidden, absent);
  /* a desk reads open vacancies, not drafts */
  json_decref(call(DESK, 200, "GET", NULL, "%s", hidden));
  int64_t draft = post_vacancy("EMP-003", "draft", "");
  snprintf(hidden, sizeof hidden, "/v1/vacancies/%lld", (long long)draft);
  same_404(DESK, hidden, absent);
  json_decref(call(OFFICER, 200, "GET", NULL, "%s", hidden));
  json_decref(call(ANON, 401, "GET", NULL, "%s", hidden));
}
END_TEST

START_TEST(vacancy_create_by_employer_and_officer) {
  int64_t before = db_int("SELECT count(*) FROM vacancies");
  /* an employer posts for itself; naming an employer is refused */
  json_t *p = problem(EMPLOYER, 400, "invalid-input", "POST",
                      "{\"employer\":\"EMP-002\",\"title\":\"Kasir\",\"vocation\":\"retail\","
                      "\"openings\":1,\"wage_monthly\":5000000}",
                      "/v1/vacancies");
  tu_expect_names_field(p, "employer", "not_allowed");
  json_decref(p);
  p = problem(
      OFFICER, 400, "invalid-input", "POST",
      "{\"title\":\"Kasir\",\"vocation\":\"retail\",\"openings\":1,\"wage_monthly\":5000000}",
      "/v1/vacancies");
  tu_expect_names_field(p, "employer", "required");
  json_decref(p);
  /* every rule at once, each named */
  p = problem(
      OFFICER, 400, "invalid-input", "POST",
      "{\"employer\":\"EMP-404\",\"title\":\"\\t\",\"kbji\":\"81a2\",\"vocation\":\"mining\","
      "\"kelurahan\":\"36.71.99.9999\",\"must_skills\":[\"MFG-001\",\"NOPE-1\",\"MFG-001\"],"
      "\"nice_skills\":[\"MFG-001\"],\"min_education\":\"phd\",\"min_age\":14,"
      "\"max_age\":70,\"openings\":3,\"wage_monthly\":5000000,\"shift\":\"evening\","
      "\"deadline\":\"2027-02-29\",\"status\":\"closed\"}",
      "/v1/vacancies");
  const char *fields[][2] = {
      {"employer", "unknown_code"},
      {"title", "blank"},
      {"kbji", "format"},
      {"vocation", "enum_value"},
      {"kelurahan", "unknown_code"},
      {"must_skills[1]", "unknown_code"},
      {"must_skills[2]", "duplicate"},
      {"nice_skills[0]", "overlap"},
      {"min_education", "enum_value"},
      {"min_age", "out_of_range"},
      {"max_age", "out_of_range"},
      {"shift", "enum_value"},
      {"deadline", "date"},
      {"status", "enum_value"},
  };
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
    tu_expect_names_field(p, fields[i][0], fields[i][1]);
  json_decref(p);
  p = problem(
      OFFICER, 400, "invalid-input", "POST",
      "{\"employer\":\"EMP-002\",\"title\":\"Kasir\",\"vocation\":\"retail\",\"openings\":1,"
      "\"wage_monthly\":5000000,\"min_age\":40,\"max_age\":30,\"deadline\":\"2001-01-01\"}",
      "/v1/vacancies");
  tu_expect_names_fields(p, "max_age", "order", "deadline", "before_posted", NULL);
  json_decref(p);
  p = problem(OFFICER, 400, "invalid-input", "POST",
              "{\"employer\":\"EMP-002\",\"title\":\"Kasir\",\"vocation\":\"retail\","
              "\"openings\":10001,\"wage_monthly\":1000000000}",
              "/v1/vacancies");
  tu_expect_names_fields(p, "openings", "out_of_range", "wage_monthly", "out_of_range", NULL);
  json_decref(p);
  p = problem(
      OFFICER, 400, "invalid-input", "POST",
      "{\"employer\":\"EMP-002\",\"title\":\"Kasir\",\"vocation\":\"retail\",\"openings\":1,"
      "\"wage_monthly\":0}",
      "/v1/vacancies");
  tu_expect_names_field(p, "wage_monthly", "out_of_range");
  json_decref(p);
  const char *ok = "{\"title\":\"Kasir\",\"vocation\":\"retail\",\"openings\":1,"
                   "\"wage_monthly\":5399404}";
  json_decref(call(DESK, 403, "POST", ok, "/v1/vacancies"));
  json_decref(call(ANON, 401, "POST", ok, "/v1/vacancies"));
  ck_assert_int_eq(db_int("SELECT count(*) FROM vacancies"), before);
  ck_assert_int_eq(db_int("SELECT count(*) FROM vacancy_skills WHERE vacancy_id > %lld",
                          (long long)db_int("SELECT max(id) FROM vacancies")),
                   0);

  /* one rupiah below the UMK is below it; the UMK itself is not */
  json_t *v = call(EMPLOYER, 201, "POST",
                   "{\"title\":\"Kasir\",\"vocation\":\"retail\",\"openings\":1,"
                   "\"wage_monthly\":5399404,\"must_skills\":[\"RTL-001\"],"
                   "\"nice_skills\":[\"RTL-002\",\"OFC-001\"],\"min_age\":18,\"max_age\":45}",
                   "/v1/vacancies");
  ck_assert_int_eq(num(v, "employer.id"), own_employer);
  ck_assert(json_is_true(json_object_get(v, "below_umk")));
  ck_assert_str_eq(str(v, "status"), "open");
  ck_assert_uint_eq(json_array_size(json_object_get(v, "must_skills")), 1);
  ck_assert_str_eq(str(json_array_get(json_object_get(v, "must_skills"), 0), "code"), "RTL-001");
  ck_assert_ptr_nonnull(str(json_array_get(json_object_get(v, "must_skills"), 0), "name_en"));
  ck_assert_str_eq(str(json_array_get(json_object_get(v, "nice_skills"), 0), "code"), "OFC-001");
  ck_assert_int_eq(num(v, "openings_filled"), 0);
  char code[32];
  snprintf(code, sizeof code, "VAC-%04lld", (long long)before + 1);
  ck_assert_str_eq(str(v, "code"), code);
  /* the workplace defaults to the employer's kelurahan */
  json_t *emp = call(OFFICER, 200, "GET", NULL, "/v1/employers/%lld", (long long)own_employer);
  ck_assert_str_eq(str(v, "kelurahan.code"), str(emp, "kelurahan.code"));
  json_decref(emp);
  json_decref(v);
  v = call(ADMIN, 201, "POST",
           "{\"employer\":\"EMP-002\",\"title\":\"Kasir\",\"vocation\":\"retail\",\"openings\":0,"
           "\"wage_monthly\":5399405,\"kelurahan\":\"36.71.10.1001\",\"status\":\"draft\"}",
           "/v1/vacancies");
  ck_assert(json_is_false(json_object_get(v, "below_umk")));
  ck_assert_str_eq(str(v, "employer.code"), "EMP-002");
  ck_assert_str_eq(str(v, "kelurahan.code"), "36.71.10.1001");
  ck_assert_str_eq(str(v, "status"), "draft");
  json_decref(v);
}
END_TEST

START_TEST(vacancy_patch_scope_and_rules) {
  int64_t own =
      db_int("SELECT min(id) FROM vacancies WHERE employer_id = %lld", (long long)own_employer);
  int64_t other =
      db_int("SELECT min(id) FROM vacancies WHERE employer_id <> %lld", (long long)own_employer);
  json_t *before = call(OFFICER, 200, "GET", NULL, "/v1/vacancies/%lld", (long long)own);
  /* refused edits change nothing */
  json_t *p = problem(EMPLOYER, 400, "invalid-input", "PATCH",
                      "{\"min_age\":50,\"max_age\":20,\"deadline\":\"1999-12-31\","
                      "\"nice_skills\":[\"MFG-001\"],\"must_skills\":[\"MFG-001\"]}",
                      "/v1/vacancies/%lld", (long long)own);
  tu_expect_names_fields(p, "max_age", "order", "deadline", "before_posted", "nice_skills[0]",
                         "overlap", NULL);
  json_decref(p);
  /* nice-to-have only: checked against the stored must-haves */
  json_t *must0 = json_array_get(json_object_get(before, "must_skills"), 0);
  char body[256];
  snprintf(body, sizeof body, "{\"nice_skills\":[\"%s\"]}", str(must0, "code"));
  p = problem(EMPLOYER, 400, "invalid-input", "PATCH", body, "/v1/vacancies/%lld", (long long)own);
  tu_expect_names_field(p, "nice_skills[0]", "overlap");
  json_decref(p);
  p = problem(EMPLOYER, 400, "invalid-input", "PATCH", "{\"employer\":\"EMP-002\"}",
              "/v1/vacancies/%lld", (long long)own);
  tu_expect_names_field(p, "employer", "unknown_field");
  json_decref(p);
  json_t *same = call(OFFICER, 200, "GET", NULL, "/v1/vacancies/%lld", (long long)own);
  ck_assert(json_equal(before, same));
  json_decref(same);
  json_decref(
      call(EMPLOYER, 404, "PATCH", "{\"openings\":2}", "/v1/vacancies/%lld", (long long)other));
  json_decref(call(DESK, 403, "PATCH", "{\"openings\":2}", "/v1/vacancies/%lld", (long long)own));
  json_decref(call(ANON, 401, "PATCH", "{\"openings\":2}", "/v1/vacancies/%lld", (long long)own));

  /* a good edit: fields sent change, the rest stay */
  json_t *v = call(EMPLOYER, 200, "PATCH",
                   "{\"openings\":9,\"wage_monthly\":5000000,\"kbji\":null,\"shift\":\"night\","
                   "\"must_skills\":[\"MFG-002\",\"MFG-001\"],\"nice_skills\":[],"
                   "\"min_age\":null,\"max_age\":null}",
                   "/v1/vacancies/%lld", (long long)own);
  ck_assert_int_eq(num(v, "openings"), 9);
  ck_assert(json_is_true(json_object_get(v, "below_umk")));
  ck_assert(json_is_null(json_object_get(v, "kbji")));
  ck_assert(json_is_null(json_object_get(v, "min_age")));
  ck_assert_str_eq(str(v, "shift"), "night");
  ck_assert_uint_eq(json_array_size(json_object_get(v, "nice_skills")), 0);
  json_t *must = json_object_get(v, "must_skills");
  ck_assert_uint_eq(json_array_size(must), 2);
  ck_assert_str_eq(str(json_array_get(must, 0), "code"), "MFG-001"); /* by code */
  ck_assert_str_eq(str(v, "title"), str(before, "title"));
  ck_assert_str_eq(str(v, "posted_date"), str(before, "posted_date"));
  ck_assert_str_eq(str(v, "code"), str(before, "code"));
  json_decref(v);
  v = call(OFFICER, 200, "PATCH", "{\"status\":\"closed\"}", "/v1/vacancies/%lld", (long long)own);
  ck_assert_str_eq(str(v, "status"), "closed");
  json_decref(v);
  json_decref(before);
}
END_TEST

static size_t candidates(int64_t vacancy) {
  json_t *c =
      call(OFFICER, 200, "GET", NULL, "/v1/vacancies/%lld/candidates?limit=20", (long long)vacancy);
  size_t n = json_array_size(json_object_get(c, "items"));
  json_decref(c);
  return n;
}

START_TEST(engine_sees_every_vacancy_write) {
  /* a new open vacancy anyone fit can take is ranked at once */
  int64_t v = post_vacancy("EMP-004", "open", "");
  ck_assert_int_gt(candidates(v), 0);
  json_decref(
      call(OFFICER, 200, "PATCH", "{\"status\":\"closed\"}", "/v1/vacancies/%lld", (long long)v));
  ck_assert_uint_eq(candidates(v), 0);
  json_decref(
      call(OFFICER, 200, "PATCH", "{\"status\":\"open\"}", "/v1/vacancies/%lld", (long long)v));
  ck_assert_int_gt(candidates(v), 0);
  json_decref(call(OFFICER, 200, "PATCH", "{\"openings\":0}", "/v1/vacancies/%lld", (long long)v));
  ck_assert_uint_eq(candidates(v), 0);
  json_decref(call(OFFICER, 200, "PATCH", "{\"openings\":3}", "/v1/vacancies/%lld", (long long)v));
  ck_assert_int_gt(candidates(v), 0);
  /* a draft is not ranked until it opens */
  int64_t d = post_vacancy("EMP-004", "draft", "");
  ck_assert_uint_eq(candidates(d), 0);
  json_decref(
      call(OFFICER, 200, "PATCH", "{\"status\":\"open\"}", "/v1/vacancies/%lld", (long long)d));
  ck_assert_int_gt(candidates(d), 0);
}
END_TEST

/* ---- Courses: outcomes recomputed from the seed files ------------------------------------------
 */

struct seed_course {
  char code[24];
  int64_t enrolled, completed, certified, placed;
  int64_t sector_sum; /* placements summed over sectors */
};

/* Reads seeds/course_batches.csv and course_outcomes.csv (no quoting in
 * them) into per-course sums; returns how many courses. */
static size_t seed_outcomes(struct seed_course *out, size_t max) {
  char path[600], line[512];
  size_t n = 0;
  snprintf(path, sizeof path, "%s/seeds/course_batches.csv", PADAN_SOURCE_DIR);
  FILE *f = fopen(path, "r");
  ck_assert_ptr_nonnull(f);
  ck_assert_ptr_nonnull(fgets(line, sizeof line, f)); /* header */
  while (fgets(line, sizeof line, f) != NULL) {
    char code[24];
    long long e, c, ce, p;
    int no;
    ck_assert_int_eq(
        sscanf(line, "%23[^,],%d,%*[^,],%*[^,],%lld,%lld,%lld,%lld", code, &no, &e, &c, &ce, &p),
        6);
    size_t i = 0;
    while (i < n && strcmp(out[i].code, code) != 0)
      i++;
    if (i == n) {
      ck_assert_uint_lt(n, max);
      memset(&out[n], 0, sizeof out[n]);
      snprintf(out[n++].code, sizeof out[0].code, "%s", code);
    }
    out[i].enrolled += e;
    out[i].completed += c;
    out[i].certified += ce;
    out[i].placed += p;
  }
  fclose(f);
  snprintf(path, sizeof path, "%s/seeds/course_outcomes.csv", PADAN_SOURCE_DIR);
  f = fopen(path, "r");
  ck_assert_ptr_nonnull(f);
  ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
  while (fgets(line, sizeof line, f) != NULL) {
    char code[24];
    long long placed;
    ck_assert_int_eq(sscanf(line, "%23[^,],%*d,%*[^,],%lld", code, &placed), 2);
    for (size_t i = 0; i < n; i++)
      if (strcmp(out[i].code, code) == 0)
        out[i].sector_sum += placed;
  }
  fclose(f);
  return n;
}

static int64_t sector_total(json_t *figures) {
  int64_t sum = 0;
  const char *k;
  json_t *v;
  json_object_foreach(json_object_get(figures, "placed_by_sector"), k, v) sum +=
      json_integer_value(v);
  return sum;
}

static void figures_equal(json_t *fig, int64_t e, int64_t c, int64_t ce, int64_t p) {
  ck_assert_int_eq(num(fig, "enrolled"), e);
  ck_assert_int_eq(num(fig, "completed"), c);
  ck_assert_int_eq(num(fig, "certified"), ce);
  ck_assert_int_eq(num(fig, "placed_6m"), p);
  json_t *rate = json_object_get(fig, "placement_rate");
  if (e == 0)
    ck_assert(json_is_null(rate));
  else
    ck_assert_msg(fabs(json_real_value(rate) - (double)p / (double)e) <= 0.00005,
                  "placement rate %f for %lld/%lld", json_real_value(rate), (long long)p,
                  (long long)e);
}

static void course_has_skills(json_t *it, void *arg) {
  (void)arg;
  ck_assert_int_gt(json_array_size(json_object_get(it, "skills")), 0);
}

START_TEST(course_outcomes_match_the_seed_files) {
  struct seed_course seeds[64];
  size_t n = seed_outcomes(seeds, 64);
  ck_assert_uint_eq(n, 33);
  /* every role reads courses; pages of 10 cover them all */
  int64_t courses = db_int("SELECT count(*) FROM courses");
  for (int who = 0; who < N_ROLES; who++)
    ck_assert_uint_eq(walk(who, "/v1/courses", "", 10, course_has_skills, NULL), (size_t)courses);
  ck_assert_uint_eq(walk(DESK, "/v1/courses", "vocation=garment", 10, NULL, NULL),
                    (size_t)db_int("SELECT count(*) FROM courses WHERE vocation = 'garment'"));
  for (size_t i = 0; i < n; i++) {
    int64_t id = db_int("SELECT id FROM courses WHERE code = '%s'", seeds[i].code);
    json_t *c = call(EMPLOYER, 200, "GET", NULL, "/v1/courses/%lld", (long long)id);
    json_t *o = json_object_get(c, "outcomes");
    json_t *seeded = json_object_get(json_object_get(o, "seeded"), "total");
    figures_equal(seeded, seeds[i].enrolled, seeds[i].completed, seeds[i].certified,
                  seeds[i].placed);
    ck_assert_int_eq(sector_total(seeded), seeds[i].sector_sum);
    ck_assert_int_eq(seeds[i].sector_sum, seeds[i].placed); /* the README's promise */
    if (json_array_size(json_object_get(json_object_get(o, "measured"), "batches")) == 0)
      ck_assert(json_equal(seeded, json_object_get(json_object_get(o, "in_force"), "total")));
    ck_assert_ptr_nonnull(str(json_object_get(o, "measured"), "label_en"));
    ck_assert_ptr_nonnull(str(json_object_get(o, "seeded"), "label_id"));
    json_decref(c);
  }
  int64_t missing = db_int("SELECT max(id) + 100 FROM courses");
  json_decref(call(DESK, 404, "GET", NULL, "/v1/courses/%lld", (long long)missing));
  json_decref(call(ANON, 401, "GET", NULL, "/v1/courses"));
  json_decref(call(OFFICER, 400, "GET", NULL, "/v1/courses?vocation=space"));
}
END_TEST

/* A course made by the officer over HTTP; returns its id. */
static int64_t post_course(const char *name) {
  char body[512];
  snprintf(body, sizeof body,
           "{\"name\":\"%s\",\"vocation\":\"logistics\",\"hours\":160,\"batch_capacity\":3,"
           "\"schedule\":\"Senin-Jumat 08.00-15.00\",\"skills\":[\"LOG-001\",\"LOG-002\"]}",
           name);
  json_t *c = call(OFFICER, 201, "POST", body, "/v1/courses");
  int64_t id = num(c, "id");
  json_decref(c);
  return id;
}

START_TEST(course_create_and_outcomes_kept_apart) {
  int64_t before = db_int("SELECT count(*) FROM courses");
  json_t *p = problem(OFFICER, 400, "invalid-input", "POST",
                      "{\"code\":\"blk 1\",\"name\":\" \",\"vocation\":\"space\",\"hours\":0,"
                      "\"batch_capacity\":3,\"skills\":[]}",
                      "/v1/courses");
  tu_expect_names_fields(p, "hours", "out_of_range", "skills", "too_few", NULL);
  json_decref(p);
  p = problem(OFFICER, 400, "invalid-input", "POST",
              "{\"code\":\"blk 1\",\"name\":\" \",\"vocation\":\"space\",\"hours\":10,"
              "\"batch_capacity\":3,\"skills\":[\"LOG-001\",\"NOPE\",\"LOG-001\"]}",
              "/v1/courses");
  tu_expect_names_fields(p, "code", "format", "name", "blank", "vocation", "enum_value",
                         "skills[1]", "unknown_code", "skills[2]", "duplicate", NULL);
  json_decref(p);
  const char *ok = "{\"name\":\"Uji\",\"vocation\":\"logistics\",\"hours\":10,"
                   "\"batch_capacity\":3,\"skills\":[\"LOG-001\"]}";
  staff_only("POST", ok, "/v1/courses");
  ck_assert_int_eq(db_int("SELECT count(*) FROM courses"), before);

  int64_t id = post_course("Operator Gudang Uji");
  json_t *c = call(DESK, 200, "GET", NULL, "/v1/courses/%lld", (long long)id);
  char code[32];
  snprintf(code, sizeof code, "BLK-%03lld", (long long)before + 1);
  ck_assert_str_eq(str(c, "code"), code);
  ck_assert_uint_eq(json_array_size(json_object_get(c, "skills")), 2);
  figures_equal(json_object_get(json_object_get(json_object_get(c, "outcomes"), "seeded"), "total"),
                0, 0, 0, 0);
  json_decref(c);
  char dup[256];
  snprintf(dup, sizeof dup,
           "{\"code\":\"%s\",\"name\":\"X\",\"vocation\":\"logistics\","
           "\"hours\":10,\"batch_capacity\":3,\"skills\":[\"LOG-001\"]}",
           code);
  json_decref(call(ADMIN, 409, "POST", dup, "/v1/courses"));

  /* two past batches with seeded outcomes, and a measured one for the
   * first: the sources stay apart, and the engine's sum takes the measured
   * row for batch 1 and the seeded one for batch 2 */
  json_decref(call(OFFICER, 201, "POST",
                   "{\"start_date\":\"2024-01-08\",\"end_date\":\"2024-02-16\",\"status\":"
                   "\"finished\"}",
                   "/v1/courses/%lld/batches", (long long)id));
  json_decref(call(OFFICER, 201, "POST",
                   "{\"start_date\":\"2024-06-03\",\"end_date\":\"2024-07-12\",\"status\":"
                   "\"finished\"}",
                   "/v1/courses/%lld/batches", (long long)id));
  char sql[1024];
  snprintf(sql, sizeof sql,
           "INSERT INTO batch_outcomes SELECT id, 'seeded', 10, 8, 6, 4 FROM batches WHERE "
           "course_id = %lld AND batch_no = 1;"
           "INSERT INTO batch_outcomes SELECT id, 'seeded', 12, 12, 9, 6 FROM batches WHERE "
           "course_id = %lld AND batch_no = 2;"
           "INSERT INTO batch_outcomes SELECT id, 'measured', 10, 9, 7, 5 FROM batches WHERE "
           "course_id = %lld AND batch_no = 1;"
           "INSERT INTO batch_outcome_sectors SELECT id, 'seeded', 'logistics', 4 FROM batches "
           "WHERE course_id = %lld AND batch_no = 1;"
           "INSERT INTO batch_outcome_sectors SELECT id, 'measured', 'airport', 2 FROM batches "
           "WHERE course_id = %lld AND batch_no = 1;"
           "INSERT INTO batch_outcome_sectors SELECT id, 'measured', 'logistics', 3 FROM batches "
           "WHERE course_id = %lld AND batch_no = 1;",
           (long long)id, (long long)id, (long long)id, (long long)id, (long long)id,
           (long long)id);
  db_exec(sql);
  c = call(OFFICER, 200, "GET", NULL, "/v1/courses/%lld", (long long)id);
  json_t *o = json_object_get(c, "outcomes");
  json_t *seeded = json_object_get(o, "seeded"), *measured = json_object_get(o, "measured");
  figures_equal(json_object_get(seeded, "total"), 22, 20, 15, 10);
  figures_equal(json_object_get(measured, "total"), 10, 9, 7, 5);
  figures_equal(json_object_get(json_object_get(o, "in_force"), "total"), 22, 21, 16, 11);
  ck_assert_uint_eq(json_array_size(json_object_get(seeded, "batches")), 2);
  ck_assert_uint_eq(json_array_size(json_object_get(measured, "batches")), 1);
  json_t *s1 = json_array_get(json_object_get(seeded, "batches"), 0);
  json_t *s2 = json_array_get(json_object_get(seeded, "batches"), 1);
  json_t *m1 = json_array_get(json_object_get(measured, "batches"), 0);
  ck_assert_int_eq(num(s1, "batch_no"), 1);
  ck_assert(json_is_false(json_object_get(s1, "in_force")));
  ck_assert(json_is_true(json_object_get(s2, "in_force")));
  ck_assert(json_is_true(json_object_get(m1, "in_force")));
  ck_assert_int_eq(num(json_object_get(m1, "placed_by_sector"), "airport"), 2);
  ck_assert_int_eq(
      num(json_object_get(json_object_get(measured, "total"), "placed_by_sector"), "logistics"), 3);
  ck_assert_int_eq(
      num(json_object_get(json_object_get(seeded, "total"), "placed_by_sector"), "logistics"), 4);
  /* 5 / 10 placed, and the rates of the sum are the sum's */
  ck_assert(
      fabs(json_real_value(json_object_get(json_object_get(measured, "total"), "placement_rate")) -
           0.5) < 1e-9);
  ck_assert(
      fabs(json_real_value(json_object_get(json_object_get(seeded, "total"), "completion_rate")) -
           0.9091) < 1e-9);
  json_decref(c);
}
END_TEST

/* ---- Batches ----------------------------------------------------------------------------------
 */

START_TEST(batch_create_list_patch) {
  int64_t course = post_course("Batch Uji");
  int64_t missing = db_int("SELECT max(id) + 100 FROM courses");
  json_t *p =
      problem(OFFICER, 400, "invalid-input", "POST",
              "{\"start_date\":\"2030-02-30\",\"end_date\":\"2030-1-05\",\"status\":\"done\"}",
              "/v1/courses/%lld/batches", (long long)course);
  tu_expect_names_fields(p, "start_date", "date", "end_date", "date", "status", "enum_value", NULL);
  json_decref(p);
  p = problem(OFFICER, 400, "invalid-input", "POST",
              "{\"start_date\":\"2030-03-02\",\"end_date\":\"2030-03-01\"}",
              "/v1/courses/%lld/batches", (long long)course);
  tu_expect_names_field(p, "end_date", "order");
  json_decref(p);
  p = problem(OFFICER, 400, "invalid-input", "POST", "{\"end_date\":\"2030-03-01\",\"capacity\":0}",
              "/v1/courses/%lld/batches", (long long)course);
  tu_expect_names_fields(p, "start_date", "required", "capacity", "out_of_range", NULL);
  json_decref(p);
  const char *ok = "{\"start_date\":\"2030-03-04\",\"end_date\":\"2030-04-26\"}";
  char batches[64];
  snprintf(batches, sizeof batches, "/v1/courses/%lld/batches", (long long)course);
  staff_only("POST", ok, batches);
  json_decref(call(OFFICER, 404, "POST", ok, "/v1/courses/%lld/batches", (long long)missing));
  ck_assert_int_eq(db_int("SELECT count(*) FROM batches WHERE course_id = %lld", (long long)course),
                   0);

  json_t *b = call(OFFICER, 201, "POST", ok, "/v1/courses/%lld/batches", (long long)course);
  ck_assert_int_eq(num(b, "batch_no"), 1);
  ck_assert_int_eq(num(b, "capacity"), 3); /* the course's */
  ck_assert_str_eq(str(b, "status"), "planned");
  ck_assert_int_eq(num(b, "places_left"), 3);
  int64_t b1 = num(b, "id");
  json_decref(b);
  b = call(ADMIN, 201, "POST",
           "{\"batch_no\":7,\"start_date\":\"2030-06-03\",\"end_date\":\"2030-07-26\","
           "\"capacity\":20,\"status\":\"running\"}",
           "/v1/courses/%lld/batches", (long long)course);
  ck_assert_int_eq(num(b, "batch_no"), 7);
  json_decref(b);
  b = call(OFFICER, 201, "POST", ok, "/v1/courses/%lld/batches", (long long)course);
  ck_assert_int_eq(num(b, "batch_no"), 8); /* after the highest */
  json_decref(b);
  json_decref(call(OFFICER, 409, "POST",
                   "{\"batch_no\":7,\"start_date\":\"2030-06-03\",\"end_date\":\"2030-07-26\"}",
                   "/v1/courses/%lld/batches", (long long)course));

  char path[64];
  snprintf(path, sizeof path, "/v1/courses/%lld/batches", (long long)course);
  for (int who = 0; who < N_ROLES; who++)
    ck_assert_uint_eq(walk(who, path, "", 1, NULL, NULL), 3);
  ck_assert_uint_eq(walk(DESK, path, "status=running", 5, NULL, NULL), 1);
  json_decref(call(OFFICER, 400, "GET", NULL, "%s?status=over", path));
  json_decref(call(OFFICER, 404, "GET", NULL, "/v1/courses/%lld/batches", (long long)missing));
  json_decref(call(ANON, 401, "GET", NULL, "%s", path));
  b = call(EMPLOYER, 200, "GET", NULL, "/v1/batches/%lld", (long long)b1);
  ck_assert_int_eq(num(b, "course.id"), course);
  json_decref(b);

  /* forward only; dates in order; not found; roles */
  b = call(OFFICER, 200, "PATCH", "{\"status\":\"running\",\"capacity\":5}", "/v1/batches/%lld",
           (long long)b1);
  ck_assert_str_eq(str(b, "status"), "running");
  ck_assert_int_eq(num(b, "capacity"), 5);
  json_decref(b);
  p = problem(OFFICER, 409, "conflict", "PATCH", "{\"status\":\"planned\"}", "/v1/batches/%lld",
              (long long)b1);
  json_decref(p);
  p = problem(OFFICER, 400, "invalid-input", "PATCH", "{\"end_date\":\"2030-01-01\"}",
              "/v1/batches/%lld", (long long)b1);
  tu_expect_names_field(p, "end_date", "order");
  json_decref(p);
  json_decref(call(DESK, 403, "PATCH", "{\"capacity\":4}", "/v1/batches/%lld", (long long)b1));
  json_decref(call(EMPLOYER, 403, "PATCH", "{\"capacity\":4}", "/v1/batches/%lld", (long long)b1));
  json_decref(call(OFFICER, 404, "PATCH", "{\"capacity\":4}", "/v1/batches/%lld",
                   (long long)db_int("SELECT max(id) + 100 FROM batches")));
  b = call(OFFICER, 200, "GET", NULL, "/v1/batches/%lld", (long long)b1);
  ck_assert_str_eq(str(b, "status"), "running");
  ck_assert_str_eq(str(b, "end_date"), "2030-04-26");
  ck_assert_int_eq(num(b, "capacity"), 5);
  json_decref(b);
}
END_TEST

/* ---- Enrolments --------------------------------------------------------------------------------
 */

/* A batch of a new course in the officer's hands: dates in year, capacity
 * cap, status planned. */
static int64_t new_batch(int year, int cap) {
  char name[64], body[256];
  snprintf(name, sizeof name, "Kursus Uji %d", year);
  int64_t course = post_course(name);
  snprintf(body, sizeof body,
           "{\"start_date\":\"%d-03-04\",\"end_date\":\"%d-04-26\",\"capacity\":%d}", year, year,
           cap);
  json_t *b = call(OFFICER, 201, "POST", body, "/v1/courses/%lld/batches", (long long)course);
  int64_t id = num(b, "id");
  json_decref(b);
  return id;
}

static int64_t enrol(int who, int want, int64_t batch, int64_t resident) {
  char body[64];
  snprintf(body, sizeof body, "{\"resident_id\":%lld}", (long long)resident);
  json_t *e = call(who, want, "POST", body, "/v1/batches/%lld/enrolments", (long long)batch);
  int64_t id = want == 201 ? num(e, "id") : 0;
  json_decref(e);
  return id;
}

static int64_t count_rows(void) {
  return db_int("SELECT (SELECT count(*) FROM enrolments) * 1000000 + (SELECT count(*) FROM "
                "interventions)");
}

START_TEST(enrol_rules_and_registry) {
  int64_t mine[8], others[4];
  char where[128];
  snprintf(where, sizeof where, "kelurahan_id = %lld", (long long)desk_kel);
  ck_assert_uint_eq(db_ids(mine, 8, where), 8);
  snprintf(where, sizeof where, "kelurahan_id <> %lld", (long long)desk_kel);
  ck_assert_uint_eq(db_ids(others, 4, where), 4);
  int64_t batch = new_batch(2031, 2), missing = db_int("SELECT max(id) + 100 FROM residents");

  int64_t before = count_rows();
  /* refusals that write nothing */
  json_t *p = problem(DESK, 400, "invalid-input", "POST", "{\"resident_id\":0}",
                      "/v1/batches/%lld/enrolments", (long long)batch);
  tu_expect_names_field(p, "resident_id", "out_of_range");
  json_decref(p);
  json_decref(call(DESK, 400, "POST", "{}", "/v1/batches/%lld/enrolments", (long long)batch));
  enrol(DESK, 404, batch, others[0]); /* another kelurahan's resident: as if missing */
  enrol(DESK, 404, batch, missing);
  enrol(OFFICER, 404, batch, missing);
  enrol(OFFICER, 404, db_int("SELECT max(id) + 100 FROM batches"), mine[0]);
  enrol(ADMIN, 403, batch, mine[0]);
  enrol(EMPLOYER, 403, batch, mine[0]);
  enrol(ANON, 401, batch, mine[0]);
  ck_assert_int_eq(count_rows(), before);

  int64_t e1 = enrol(DESK, 201, batch, mine[0]);
  /* the registry records it, marked as the enrolment's mirror */
  ck_assert_int_eq(db_int("SELECT count(*) FROM interventions WHERE enrolment_id = %lld AND "
                          "resident_id = %lld AND kind = 'training' AND office = 'BLK Kota "
                          "Tangerang' AND status = 'active' AND start_date = '2031-03-04' AND "
                          "end_date = '2031-04-26'",
                          (long long)e1, (long long)mine[0]),
                   1);
  ck_assert_int_eq(db_int("SELECT count(*) FROM audit_log WHERE resident_id = %lld AND purpose = "
                          "'enrol'",
                          (long long)mine[0]),
                   1);
  before = count_rows();
  enrol(DESK, 409, batch, mine[0]); /* already in it */
  enrol(OFFICER, 201, batch, others[0]);
  before = count_rows();
  enrol(DESK, 409, batch, mine[1]); /* full: 2 of 2 */
  ck_assert_int_eq(count_rows(), before);

  /* two courses at once: a batch whose dates overlap is refused, a later one is not */
  int64_t overlapping = new_batch(2031, 5), later = new_batch(2032, 5);
  enrol(DESK, 409, overlapping, mine[0]);
  enrol(DESK, 201, later, mine[0]);
  /* a finished batch takes nobody */
  int64_t done = new_batch(2033, 5);
  json_decref(call(OFFICER, 200, "PATCH", "{\"status\":\"finished\"}", "/v1/batches/%lld",
                   (long long)done));
  before = count_rows();
  enrol(OFFICER, 409, done, mine[2]);
  ck_assert_int_eq(count_rows(), before);
}
END_TEST

START_TEST(enrolment_reads_scope_and_audit) {
  int64_t mine[3], others[3];
  char where[128];
  snprintf(where, sizeof where, "kelurahan_id = %lld AND id > 200", (long long)desk_kel);
  ck_assert_uint_eq(db_ids(mine, 3, where), 3);
  snprintf(where, sizeof where, "kelurahan_id <> %lld AND id > 200", (long long)desk_kel);
  ck_assert_uint_eq(db_ids(others, 3, where), 3);
  int64_t batch = new_batch(2034, 10), e_mine[3], e_other[3];
  for (int i = 0; i < 3; i++) {
    e_mine[i] = enrol(DESK, 201, batch, mine[i]);
    e_other[i] = enrol(OFFICER, 201, batch, others[i]);
  }
  char path[64];
  snprintf(path, sizeof path, "/v1/batches/%lld/enrolments", (long long)batch);
  ck_assert_uint_eq(walk(OFFICER, path, "", 2, NULL, NULL), 6);
  ck_assert_uint_eq(walk(ADMIN, path, "status=enrolled", 500, NULL, NULL), 6);
  ck_assert_uint_eq(walk(ADMIN, path, "status=dropped", 500, NULL, NULL), 0);
  /* a desk sees its own residents' enrolments only, each audited */
  int64_t audited = db_int("SELECT count(*) FROM audit_log WHERE purpose = 'enrolments' AND "
                           "username = 'demo-desk'");
  json_t *page = call(DESK, 200, "GET", NULL, "%s", path);
  json_t *items = json_object_get(page, "items");
  ck_assert_uint_eq(json_array_size(items), 3);
  for (size_t i = 0; i < 3; i++) {
    json_t *it = json_array_get(items, i);
    ck_assert_int_eq(num(it, "id"), e_mine[i]);
    ck_assert_int_eq(num(it, "resident.id"), mine[i]);
    ck_assert_str_eq(str(it, "status"), "enrolled");
    ck_assert(json_is_integer(json_object_get(it, "intervention_id")));
  }
  json_decref(page);
  ck_assert_int_eq(db_int("SELECT count(*) FROM audit_log WHERE purpose = 'enrolments' AND "
                          "username = 'demo-desk'"),
                   audited + 3);
  json_decref(call(EMPLOYER, 403, "GET", NULL, "%s", path));
  json_decref(call(ANON, 401, "GET", NULL, "%s", path));
  json_decref(call(DESK, 400, "GET", NULL, "%s?status=lost", path));
  json_decref(call(DESK, 404, "GET", NULL, "/v1/batches/%lld/enrolments",
                   (long long)db_int("SELECT max(id) + 100 FROM batches")));

  /* one enrolment: the desk's own, not another kelurahan's (404 as missing) */
  json_t *e = call(DESK, 200, "GET", NULL, "/v1/enrolments/%lld", (long long)e_mine[0]);
  ck_assert_int_eq(num(e, "batch.id"), batch);
  ck_assert_str_eq(str(e, "resident.kelurahan_code"), "36.71.10.1001");
  json_decref(e);
  char hidden[64], absent[64];
  snprintf(hidden, sizeof hidden, "/v1/enrolments/%lld", (long long)e_other[0]);
  snprintf(absent, sizeof absent, "/v1/enrolments/%lld",
           (long long)db_int("SELECT max(id) + 1000 FROM enrolments"));
  same_404(DESK, hidden, absent);
  json_decref(call(OFFICER, 200, "GET", NULL, "%s", hidden));
  json_decref(call(EMPLOYER, 403, "GET", NULL, "%s", hidden));
  json_decref(call(ANON, 401, "GET", NULL, "%s", hidden));
  /* ... nor may it change it */
  json_decref(call(DESK, 404, "PATCH", "{\"status\":\"dropped\"}", "%s", hidden));
  ck_assert_int_eq(db_int("SELECT count(*) FROM enrolments WHERE id = %lld AND status = "
                          "'enrolled'",
                          (long long)e_other[0]),
                   1);
}
END_TEST

static const char *iv_status(int64_t enrolment) {
  static char out[16];
  int64_t code = db_int("SELECT CASE status WHEN 'active' THEN 1 WHEN 'ended' THEN 2 ELSE 3 END "
                        "FROM interventions WHERE enrolment_id = %lld",
                        (long long)enrolment);
  snprintf(out, sizeof out, "%s", code == 1 ? "active" : code == 2 ? "ended" : "cancelled");
  return out;
}

static void move(int who, int want, int64_t enrolment, const char *status) {
  char body[64];
  snprintf(body, sizeof body, "{\"status\":\"%s\"}", status);
  json_t *e = want == 409
                  ? problem(who, want, "conflict", "PATCH", body, "/v1/enrolments/%lld",
                            (long long)enrolment)
                  : call(who, want, "PATCH", body, "/v1/enrolments/%lld", (long long)enrolment);
  if (want == 200)
    ck_assert_str_eq(str(e, "status"), status);
  json_decref(e);
}

START_TEST(enrolment_life_cycle) {
  int64_t r[4];
  char where[128];
  snprintf(where, sizeof where, "kelurahan_id = %lld AND id > 400", (long long)desk_kel);
  ck_assert_uint_eq(db_ids(r, 4, where), 4);
  int64_t batch = new_batch(2035, 10);
  int64_t a = enrol(DESK, 201, batch, r[0]), b = enrol(DESK, 201, batch, r[1]);
  int64_t c = enrol(OFFICER, 201, batch, r[2]);

  /* illegal moves and refusals change nothing */
  move(DESK, 409, a, "certified"); /* must complete first */
  move(DESK, 409, a, "enrolled");  /* no move */
  move(DESK, 409, a, "completed"); /* the batch has not started */
  json_t *p =
      call(DESK, 400, "PATCH", "{\"status\":\"graduated\"}", "/v1/enrolments/%lld", (long long)a);
  tu_expect_names_field(p, "status", "enum_value");
  json_decref(p);
  json_decref(call(DESK, 400, "PATCH", "{}", "/v1/enrolments/%lld", (long long)a));
  move(ADMIN, 403, a, "dropped");
  move(EMPLOYER, 403, a, "dropped");
  move(ANON, 401, a, "dropped");
  move(OFFICER, 404, db_int("SELECT max(id) + 100 FROM enrolments"), "dropped");
  ck_assert_int_eq(db_int("SELECT count(*) FROM enrolments WHERE batch_id = %lld AND status = "
                          "'enrolled'",
                          (long long)batch),
                   3);
  ck_assert_str_eq(iv_status(a), "active");

  /* dropping out before the start cancels the registry row */
  move(DESK, 200, c, "dropped");
  ck_assert_str_eq(iv_status(c), "cancelled");
  move(DESK, 409, c, "enrolled");
  move(DESK, 409, c, "completed");
  /* a dropped place is free again */
  json_t *bt = call(OFFICER, 200, "GET", NULL, "/v1/batches/%lld", (long long)batch);
  ck_assert_int_eq(num(bt, "places_left"), 8);
  ck_assert_int_eq(num(bt, "enrolments.dropped"), 1);
  json_decref(bt);

  json_decref(call(OFFICER, 200, "PATCH", "{\"status\":\"running\"}", "/v1/batches/%lld",
                   (long long)batch));
  move(DESK, 200, a, "completed");
  ck_assert_str_eq(iv_status(a), "ended");
  move(DESK, 409, a, "dropped");
  move(OFFICER, 200, a, "certified");
  move(DESK, 409, a, "completed");
  move(DESK, 409, a, "dropped");
  /* dropping out of a running course ends the registry row */
  move(OFFICER, 200, b, "dropped");
  ck_assert_str_eq(iv_status(b), "ended");
  ck_assert_int_eq(db_int("SELECT count(*) FROM interventions WHERE enrolment_id = %lld AND "
                          "end_date IS NOT NULL",
                          (long long)b),
                   1);
  bt = call(OFFICER, 200, "GET", NULL, "/v1/batches/%lld", (long long)batch);
  ck_assert_int_eq(num(bt, "enrolments.certified"), 1);
  ck_assert_int_eq(num(bt, "enrolments.dropped"), 2);
  ck_assert_int_eq(num(bt, "places_left"), 9);
  json_decref(bt);
}
END_TEST

/* The code of why the engine does not match the resident now, or "" when
 * it does. */
static void not_matched(int64_t resident, char out[32]) {
  json_t *rec =
      call(OFFICER, 200, "GET", NULL, "/v1/residents/%lld/recommendations", (long long)resident);
  json_t *why = json_object_get(rec, "not_matched_because");
  snprintf(out, 32, "%s", json_is_object(why) ? str(why, "code") : "");
  json_decref(rec);
}

START_TEST(engine_sees_enrolments_and_finished_batches) {
  /* a resident the engine matches today, from the desk's kelurahan */
  int64_t ids[200], who = 0;
  char where[512], why[32];
  snprintf(where, sizeof where,
           "kelurahan_id = %lld AND work_status = 'unemployed' AND school_status = "
           "'not_in_school' AND verified_at >= date('now', '-200 days') AND birth_date BETWEEN "
           "date('now', '-55 years') AND date('now', '-20 years') AND id NOT IN (SELECT "
           "resident_id FROM enrolments) AND id NOT IN (SELECT resident_id FROM referrals)",
           (long long)desk_kel);
  size_t n = db_ids(ids, 200, where);
  for (size_t i = 0; i < n && who == 0; i++) {
    not_matched(ids[i], why);
    if (why[0] == '\0')
      who = ids[i];
  }
  ck_assert_msg(who > 0, "no resident the engine matches among %zu", n);

  int64_t batch = new_batch(2036, 5);
  int64_t e = enrol(DESK, 201, batch, who);
  not_matched(who, why);
  ck_assert_str_eq(why, "in_course");
  /* the batch finishes: the resident is out of the course for matching,
   * and the registry row ends */
  json_decref(call(OFFICER, 200, "PATCH", "{\"status\":\"running\"}", "/v1/batches/%lld",
                   (long long)batch));
  not_matched(who, why);
  ck_assert_str_eq(why, "in_course");
  json_decref(call(OFFICER, 200, "PATCH", "{\"status\":\"finished\"}", "/v1/batches/%lld",
                   (long long)batch));
  not_matched(who, why);
  ck_assert_str_eq(why, "");
  ck_assert_str_eq(iv_status(e), "ended");

  /* and dropping out of a batch that has not finished frees them too */
  int64_t batch2 = new_batch(2037, 5);
  int64_t e2 = enrol(OFFICER, 201, batch2, who);
  not_matched(who, why);
  ck_assert_str_eq(why, "in_course");
  move(DESK, 200, e2, "dropped");
  not_matched(who, why);
  ck_assert_str_eq(why, "");
}
END_TEST

int main(void) {
  Suite *s = suite_create("api_catalog");
  TCase *tc = tcase_create("catalog");
  tcase_add_unchecked_fixture(tc, start, stop);
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, employer_list_scope_filters_and_pages);
  tcase_add_test(tc, employer_get_scope);
  tcase_add_test(tc, employer_create_validates_and_refuses_roles);
  tcase_add_test(tc, employer_patch_own_fields_only);
  tcase_add_test(tc, vacancy_list_scope_filters_and_pages);
  tcase_add_test(tc, vacancy_get_scope);
  tcase_add_test(tc, vacancy_create_by_employer_and_officer);
  tcase_add_test(tc, vacancy_patch_scope_and_rules);
  tcase_add_test(tc, engine_sees_every_vacancy_write);
  tcase_add_test(tc, course_outcomes_match_the_seed_files);
  tcase_add_test(tc, course_create_and_outcomes_kept_apart);
  tcase_add_test(tc, batch_create_list_patch);
  tcase_add_test(tc, enrol_rules_and_registry);
  tcase_add_test(tc, enrolment_reads_scope_and_audit);
  tcase_add_test(tc, enrolment_life_cycle);
  tcase_add_test(tc, engine_sees_enrolments_and_finished_batches);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
