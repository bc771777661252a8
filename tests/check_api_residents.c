/*
 * check_api_residents.c — the resident and audit endpoints over HTTP
 * against the real server (tu_http.h): for every route, success,
 * validation failures of each kind, no token (401), a role the route does
 * not admit (403) and an object outside the caller's scope (404, the same
 * bytes as a missing one); reads audited (checked through GET /v1/audit);
 * rejected writes change nothing; pagination walks every page without a
 * gap, a repeat or a change of order.
 *
 * One server serves the whole suite; the steps run in order and each
 * registers its own residents with NIKs of its own serial range, so no step
 * depends on another's writes.
 */
#include <check.h>
#include <jansson.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tu_http.h"

#define RESIDENTS 700

static struct tu_server srv;
static char *tok_admin, *tok_officer, *tok_employer, *tok_desk;
static int64_t desk_kelurahan_id;
static char desk_kelurahan[32], other_kelurahan[32];

/* ---- Helpers ------------------------------------------------------------------ */

static const char *str(const json_t *o, const char *key) {
  return json_string_value(json_object_get(o, key));
}

static int64_t num(const json_t *o, const char *key) {
  return (int64_t)json_integer_value(json_object_get(o, key));
}

/* Every page of a list: ids in order into ids (at most max), returns how
 * many; also the items of every page appended to all when not NULL. */
static size_t walk(const char *path, const char *token, int limit, int64_t *ids, size_t max,
                   json_t *all) {
  char url[512], cursor[128] = "";
  size_t n = 0;
  for (int pages = 0;; pages++) {
    ck_assert_int_lt(pages, 10000);
    snprintf(url, sizeof url, "%s%slimit=%d%s%s", path, strchr(path, '?') ? "&" : "?", limit,
             cursor[0] ? "&cursor=" : "", cursor);
    json_t *page = tu_call(&srv, "GET", url, token, NULL, 200);
    json_t *items = json_object_get(page, "items");
    ck_assert_uint_le(json_array_size(items), (size_t)limit);
    for (size_t i = 0; i < json_array_size(items); i++) {
      ck_assert_uint_lt(n, max);
      ids[n++] = num(json_array_get(items, i), "id");
      if (all != NULL)
        json_array_append(all, json_array_get(items, i));
    }
    json_t *next = json_object_get(page, "next_cursor");
    if (json_is_null(next)) {
      ck_assert_uint_lt(json_array_size(items), (size_t)limit + 1);
      json_decref(page);
      return n;
    }
    ck_assert_uint_eq(json_array_size(items), (size_t)limit); /* only a full page goes on */
    snprintf(cursor, sizeof cursor, "%s", json_string_value(next));
    json_decref(page);
  }
}

/* Residents not erased, from the kelurahan overview (a different query). */
static int64_t resident_total(void) {
  json_t *j = tu_call(&srv, "GET", "/v1/kelurahan", tok_officer, NULL, 200);
  int64_t total = 0;
  for (size_t i = 0; i < json_array_size(json_object_get(j, "items")); i++)
    total +=
        num(json_object_get(json_array_get(json_object_get(j, "items"), i), "counts"), "residents");
  json_decref(j);
  return total;
}

/* Audit rows matching query (admin), counted over every page. */
static size_t audit_count(const char *query) {
  static int64_t ids[200000];
  char path[256];
  snprintf(path, sizeof path, "/v1/audit?%s", query);
  return walk(path, tok_admin, 500, ids, sizeof ids / sizeof ids[0], NULL);
}

/* A new resident's body: a valid record in kelurahan code with NIK serial
 * serial (born 1999-01-01, a woman), plus the members in extra. */
static char *resident_body(int serial, const char *kelurahan, const char *extra) {
  char *b = malloc(1024);
  ck_assert_ptr_nonnull(b);
  snprintf(b, 1024,
           "{\"nik\": \"367101410199%04d\", \"name\": \"Uji Penduduk %d\", \"sex\": \"P\", "
           "\"birth_date\": \"1999-01-01\", \"kelurahan_code\": \"%s\", \"desil\": 2, "
           "\"work_status\": \"unemployed\", \"school_status\": \"not_in_school\"%s%s}",
           serial, serial, kelurahan, extra != NULL ? ", " : "", extra != NULL ? extra : "");
  return b;
}

#define FULL_EXTRA                                                                                 \
  "\"education\": \"smk\", \"smk_vocation\": \"garment\", \"skills\": [{\"code\": "                \
  "\"GAR-001\", \"certified\": true}, {\"code\": \"GAR-004\"}], \"shifts\": [\"day\"]"

/* Registers a resident (as token) with education, skills and shifts, and
 * returns its id. */
static int64_t create(int serial, const char *kelurahan, const char *token) {
  struct tu_resp r;
  char *body = resident_body(serial, kelurahan, FULL_EXTRA);
  tu_text_request(&srv, "POST", "/v1/residents", token, body, &r);
  free(body);
  ck_assert_msg(r.status == 201, "create: %d %s", r.status, r.body);
  json_t *j = tu_json(&r);
  int64_t id = num(j, "id");
  char loc[64], want[64];
  ck_assert(tu_header(&r, "Location", loc, sizeof loc));
  snprintf(want, sizeof want, "/v1/residents/%lld", (long long)id);
  ck_assert_str_eq(loc, want);
  json_decref(j);
  tu_resp_free(&r);
  return id;
}

/* The first resident of the desk's kelurahan and the first of another one. */
static void two_residents(int64_t *own, int64_t *other) {
  char path[128];
  json_t *j = tu_call(&srv, "GET", "/v1/residents?limit=1", tok_desk, NULL, 200);
  *own = num(json_array_get(json_object_get(j, "items"), 0), "id");
  json_decref(j);
  snprintf(path, sizeof path, "/v1/residents?limit=1&kelurahan=%s", other_kelurahan);
  j = tu_call(&srv, "GET", path, tok_officer, NULL, 200);
  *other = num(json_array_get(json_object_get(j, "items"), 0), "id");
  json_decref(j);
  ck_assert(*own > 0 && *other > 0);
}

/* Asserts that a 404 for path (out of scope) has exactly the bytes of the
 * 404 for the same route with a missing id of as many digits put in its
 * place (tu_expect_hidden). */
static void expect_hidden(const char *method, const char *path_fmt, int64_t id, const char *token,
                          const char *body) {
  char path[128], missing[128];
  char digits[24];
  snprintf(path, sizeof path, path_fmt, (long long)id);
  int n = snprintf(digits, sizeof digits, "%lld", (long long)id);
  /* a missing id with as many digits, so that the lengths agree */
  long long absent = 9;
  for (int i = 1; i < n; i++)
    absent = absent * 10 + 9;
  snprintf(missing, sizeof missing, path_fmt, absent);
  tu_expect_hidden(&srv, method, path, missing, token, body);
}

/* ---- Fixture ------------------------------------------------------------------------ */

static void suite_start(void) {
  tu_server_start(&srv, RESIDENTS, 11);
  tok_admin = tu_login(&srv, "admin");
  tok_officer = tu_login(&srv, "officer");
  tok_employer = tu_login(&srv, "employer");
  tok_desk = tu_login(&srv, "desk");
  json_t *me = tu_call(&srv, "GET", "/v1/me", tok_desk, NULL, 200);
  desk_kelurahan_id = num(json_object_get(me, "scope"), "kelurahan_id");
  json_decref(me);
  json_t *k = tu_call(&srv, "GET", "/v1/kelurahan", tok_officer, NULL, 200);
  json_t *items = json_object_get(k, "items");
  /* the desk's kelurahan code, and another kelurahan with residents */
  json_t *own = tu_call(&srv, "GET", "/v1/residents?limit=1", tok_desk, NULL, 200);
  snprintf(desk_kelurahan, sizeof desk_kelurahan, "%s",
           str(json_array_get(json_object_get(own, "items"), 0), "kelurahan_code"));
  json_decref(own);
  for (size_t i = 0; i < json_array_size(items) && other_kelurahan[0] == '\0'; i++) {
    json_t *it = json_array_get(items, i);
    if (strcmp(str(it, "code"), desk_kelurahan) != 0 &&
        num(json_object_get(it, "counts"), "residents") > 3)
      snprintf(other_kelurahan, sizeof other_kelurahan, "%s", str(it, "code"));
  }
  json_decref(k);
}

static void suite_stop(void) {
  free(tok_admin);
  free(tok_officer);
  free(tok_employer);
  free(tok_desk);
  tu_server_stop(&srv);
}

/* ---- Every route: no token, roles ------------------------------------------------------ */

struct route_case {
  const char *method, *path;
  const char *admitted; /* roles admitted, by first letter: a o e d */
};

static const struct route_case routes[] = {
    {"GET", "/v1/residents", "aod"},
    {"POST", "/v1/residents", "od"},
    {"GET", "/v1/residents/1", "aod"},
    {"PATCH", "/v1/residents/1", "aod"},
    {"DELETE", "/v1/residents/1", "a"},
    {"POST", "/v1/residents/1/verification", "od"},
    {"GET", "/v1/residents/1/history", "aod"},
    {"GET", "/v1/residents/1/export", "aod"},
    {"GET", "/v1/verification-queue", "aod"},
    {"GET", "/v1/audit", "a"},
    {"GET", "/v1/residents/1/access-record", "ao"},
};

START_TEST(every_route_401_without_token_403_for_other_roles) {
  const char *tokens[] = {tok_admin, tok_officer, tok_employer, tok_desk};
  const char letters[] = "aoed";
  for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
    struct tu_resp r;
    tu_text_request(&srv, routes[i].method, routes[i].path, NULL, NULL, &r);
    tu_expect_problem(&r, 401, "unauthenticated");
    tu_resp_free(&r);
    tu_text_request(&srv, routes[i].method, routes[i].path, "not-a-token", NULL, &r);
    tu_expect_problem(&r, 401, "unauthenticated");
    tu_resp_free(&r);
    for (size_t k = 0; k < 4; k++) {
      if (strchr(routes[i].admitted, letters[k]) != NULL)
        continue;
      tu_text_request(&srv, routes[i].method, routes[i].path, tokens[k], "{}", &r);
      ck_assert_msg(r.status == 403, "%s %s as %c: %d", routes[i].method, routes[i].path,
                    letters[k], r.status);
      tu_expect_problem(&r, 403, "forbidden");
      tu_resp_free(&r);
    }
  }
}
END_TEST

/* ---- Lists -------------------------------------------------------------------------------- */

START_TEST(list_pages_cover_every_resident_once_in_stable_order) {
  static int64_t a[5000], b[5000], c[5000];
  int64_t total = resident_total();
  size_t na = walk("/v1/residents", tok_officer, 37, a, 5000, NULL);
  size_t nb = walk("/v1/residents", tok_officer, 500, b, 5000, NULL);
  size_t nc = walk("/v1/residents", tok_officer, 37, c, 5000, NULL);
  ck_assert_int_eq((int64_t)na, total);
  ck_assert_uint_eq(na, nb);
  ck_assert_uint_eq(na, nc);
  for (size_t i = 0; i < na; i++) {
    ck_assert_int_eq(a[i], b[i]);
    ck_assert_int_eq(a[i], c[i]);
    if (i > 0)
      ck_assert_int_gt(a[i], a[i - 1]); /* ascending: no repeat */
  }
  /* default limit is 50 */
  json_t *j = tu_call(&srv, "GET", "/v1/residents", tok_officer, NULL, 200);
  ck_assert_uint_eq(json_array_size(json_object_get(j, "items")), 50);
  json_t *first = json_array_get(json_object_get(j, "items"), 0);
  /* a summary, not the record: no address, phone or skills */
  ck_assert_ptr_nonnull(str(first, "nik"));
  ck_assert_ptr_nonnull(str(first, "kelurahan_code"));
  ck_assert_ptr_null(json_object_get(first, "address"));
  ck_assert_ptr_null(json_object_get(first, "skills"));
  json_decref(j);
}
END_TEST

START_TEST(list_filters_select_what_they_say) {
  static int64_t ids[5000];
  char path[256];
  json_t *all = json_array();
  /* kelurahan and kecamatan */
  snprintf(path, sizeof path, "/v1/residents?kelurahan=%s", other_kelurahan);
  size_t n = walk(path, tok_officer, 100, ids, 5000, all);
  ck_assert_uint_gt(n, 0);
  for (size_t i = 0; i < n; i++)
    ck_assert_str_eq(str(json_array_get(all, i), "kelurahan_code"), other_kelurahan);
  json_array_clear(all);
  char kecamatan[16];
  snprintf(kecamatan, sizeof kecamatan, "%.8s", other_kelurahan);
  snprintf(path, sizeof path, "/v1/residents?kecamatan=%s", kecamatan);
  size_t nk = walk(path, tok_officer, 100, ids, 5000, all);
  ck_assert_uint_ge(nk, n);
  for (size_t i = 0; i < nk; i++)
    ck_assert_int_eq(strncmp(str(json_array_get(all, i), "kelurahan_code"), kecamatan, 8), 0);
  json_array_clear(all);

  /* verification: the three states partition the list */
  static const char *const states[] = {"verified", "expired", "never"};
  size_t sum = 0;
  for (size_t s = 0; s < 3; s++) {
    snprintf(path, sizeof path, "/v1/residents?verification=%s", states[s]);
    size_t ns = walk(path, tok_officer, 500, ids, 5000, all);
    for (size_t i = 0; i < ns; i++)
      ck_assert_str_eq(str(json_array_get(all, i), "verification"), states[s]);
    json_array_clear(all);
    sum += ns;
  }
  ck_assert_int_eq((int64_t)sum, resident_total());
  size_t due = walk("/v1/residents?verification=due", tok_officer, 500, ids, 5000, NULL);
  size_t verified = walk("/v1/residents?verification=verified", tok_officer, 500, ids, 5000, NULL);
  ck_assert_int_eq((int64_t)(due + verified), resident_total());

  /* priority: true and false partition, and follow GET /v1/kelurahan */
  json_t *k = tu_call(&srv, "GET", "/v1/kelurahan", tok_officer, NULL, 200);
  size_t np = walk("/v1/residents?priority=true", tok_officer, 500, ids, 5000, all);
  for (size_t i = 0; i < np; i++) {
    const char *code = str(json_array_get(all, i), "kelurahan_code");
    int flag = -1;
    for (size_t j = 0; j < json_array_size(json_object_get(k, "items")); j++) {
      json_t *it = json_array_get(json_object_get(k, "items"), j);
      if (strcmp(str(it, "code"), code) == 0)
        flag = json_is_true(json_object_get(it, "priority"));
    }
    ck_assert_int_eq(flag, 1);
  }
  json_array_clear(all);
  size_t nn = walk("/v1/residents?priority=false", tok_officer, 500, ids, 5000, NULL);
  ck_assert_uint_gt(np, 0);
  ck_assert_int_eq((int64_t)(np + nn), resident_total());
  json_decref(k);

  /* status: check the records of the first few of each */
  static const char *const statuses[] = {"neet", "working", "in_school", "unemployed"};
  for (size_t s = 0; s < 4; s++) {
    snprintf(path, sizeof path, "/v1/residents?status=%s&limit=8", statuses[s]);
    json_t *page = tu_call(&srv, "GET", path, tok_officer, NULL, 200);
    json_t *items = json_object_get(page, "items");
    ck_assert_uint_gt(json_array_size(items), 0);
    for (size_t i = 0; i < json_array_size(items); i++) {
      snprintf(path, sizeof path, "/v1/residents/%lld",
               (long long)num(json_array_get(items, i), "id"));
      json_t *rec = tu_call(&srv, "GET", path, tok_officer, NULL, 200);
      const char *work = str(rec, "work_status"), *school = str(rec, "school_status");
      if (s == 0) {
        int64_t age = num(rec, "age");
        ck_assert(age >= 15 && age <= 64);
        ck_assert_str_eq(school, "not_in_school");
        ck_assert(strcmp(work, "unemployed") == 0 || strcmp(work, "not_in_labour_force") == 0);
      } else if (s == 1) {
        ck_assert_str_eq(work, "working");
      } else if (s == 2) {
        ck_assert_str_eq(school, "in_school");
      } else {
        ck_assert_str_eq(work, "unemployed");
      }
      json_decref(rec);
    }
    json_decref(page);
  }
  json_decref(all);
}
END_TEST

START_TEST(list_refuses_bad_parameters_naming_them) {
  static const struct {
    const char *query, *field, *code;
  } bad[] = {
      {"status=idle", "status", "enum_value"},
      {"verification=yes", "verification", "enum_value"},
      {"priority=maybe", "priority", "type"},
      {"priority", "priority", "type"},
      {"kelurahan=36.71.99.9999", "kelurahan", "unknown_code"},
      {"kecamatan=36.71.99", "kecamatan", "unknown_code"},
      {"limit=0", "limit", "out_of_range"},
      {"limit=501", "limit", "out_of_range"},
      {"limit=ten", "limit", "type"},
      {"limit", "limit", "type"},
      {"cursor=", "cursor", "invalid_cursor"},
      {"cursor=bm9wZQ", "cursor", "invalid_cursor"},
      {"q=siti", "q", "unknown_parameter"}, /* no free-text search on names */
      {"name=Siti", "name", "unknown_parameter"},
      {"limit=5&limit=6", "limit", "repeated_parameter"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char path[160];
    snprintf(path, sizeof path, "/v1/residents?%s", bad[i].query);
    tu_expect_field_error(&srv, "GET", path, tok_officer, NULL, bad[i].field, bad[i].code);
  }
}
END_TEST

START_TEST(list_reads_are_audited_once_per_listed_resident) {
  json_t *page = tu_call(&srv, "GET", "/v1/residents?limit=3", tok_officer, NULL, 200);
  json_t *items = json_object_get(page, "items");
  ck_assert_uint_eq(json_array_size(items), 3);
  size_t before[3];
  char q[160];
  for (size_t i = 0; i < 3; i++) {
    snprintf(q, sizeof q, "resident=%lld&action=read_resident&user=demo-officer",
             (long long)num(json_array_get(items, i), "id"));
    before[i] = audit_count(q);
  }
  json_t *again = tu_call(&srv, "GET", "/v1/residents?limit=3", tok_officer, NULL, 200);
  for (size_t i = 0; i < 3; i++) {
    snprintf(q, sizeof q, "resident=%lld&action=read_resident&user=demo-officer",
             (long long)num(json_array_get(items, i), "id"));
    ck_assert_uint_eq(audit_count(q), before[i] + 1);
  }
  /* the row says who, role, route and purpose */
  snprintf(q, sizeof q, "/v1/audit?resident=%lld&action=read_resident&limit=500",
           (long long)num(json_array_get(items, 0), "id"));
  json_t *rows = tu_call(&srv, "GET", q, tok_admin, NULL, 200);
  json_t *items2 = json_object_get(rows, "items");
  json_t *last = json_array_get(items2, json_array_size(items2) - 1);
  ck_assert_str_eq(str(last, "username"), "demo-officer");
  ck_assert_str_eq(str(last, "role"), "officer");
  ck_assert_str_eq(str(last, "route"), "/v1/residents");
  ck_assert_str_eq(str(last, "purpose"), "list");
  ck_assert_uint_eq(strlen(str(last, "at")), 20);
  json_decref(rows);
  json_decref(again);
  json_decref(page);
}
END_TEST

/* ---- One record and scope ------------------------------------------------------------------ */

START_TEST(get_record_is_full_and_audited) {
  int64_t own, other;
  two_residents(&own, &other);
  char path[64], q[128];
  snprintf(q, sizeof q, "resident=%lld&action=read_resident", (long long)other);
  size_t before = audit_count(q);
  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)other);
  json_t *rec = tu_call(&srv, "GET", path, tok_officer, NULL, 200);
  ck_assert_int_eq(num(rec, "id"), other);
  ck_assert_uint_eq(strlen(str(rec, "nik")), 16);
  ck_assert_str_eq(str(rec, "kelurahan_code"), other_kelurahan);
  ck_assert(json_is_array(json_object_get(rec, "skills")));
  ck_assert(json_is_array(json_object_get(rec, "interventions")));
  ck_assert(json_is_object(json_object_get(rec, "services")));
  json_t *v = json_object_get(rec, "verification");
  const char *status = str(v, "status");
  ck_assert(strcmp(status, "verified") == 0 || strcmp(status, "expired") == 0 ||
            strcmp(status, "never") == 0);
  ck_assert_int_eq(json_is_null(json_object_get(v, "verified_at")), strcmp(status, "never") == 0);
  for (size_t i = 0; i < json_array_size(json_object_get(rec, "skills")); i++) {
    json_t *s = json_array_get(json_object_get(rec, "skills"), i);
    ck_assert_ptr_nonnull(str(s, "code"));
    ck_assert_ptr_nonnull(str(s, "name_id"));
    ck_assert_ptr_nonnull(str(s, "name_en"));
    ck_assert(json_is_boolean(json_object_get(s, "certified")));
  }
  json_decref(rec);
  ck_assert_uint_eq(audit_count(q), before + 1);
  /* admin reads too; a query parameter is refused */
  json_decref(tu_call(&srv, "GET", path, tok_admin, NULL, 200));
  snprintf(path, sizeof path, "/v1/residents/%lld?fields=nik", (long long)other);
  tu_expect_field_error(&srv, "GET", path, tok_officer, NULL, "fields", "unknown_parameter");
}
END_TEST

/* Runs sql on the server's database through a connection of its own, as
 * the command line (padan import, padan erase) would. */
static void other_writer(const char *sql) {
  char path[600];
  snprintf(path, sizeof path, "%s/padan.db", srv.dir);
  sqlite3 *h = NULL;
  ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
  sqlite3_busy_timeout(h, 10000);
  char *err = NULL;
  int rc = sqlite3_exec(h, sql, NULL, NULL, &err);
  ck_assert_msg(rc == SQLITE_OK, "%s", err != NULL ? err : "?");
  sqlite3_close(h);
}

START_TEST(get_record_is_what_jansson_writes_and_shows_other_writers_at_once) {
  /* The record is written without jansson (jbuf.h): its bytes must be the
   * ones json_dumps writes for the same document, in the same member
   * order, escapes included; and it is read where the audit's group
   * reads it, which must still see another process's writes at once. */
  int64_t id = create(901, other_kelurahan, tok_officer);
  char sql[2048], path[64], q[128];
  snprintf(sql, sizeof sql,
           "INSERT INTO interventions (resident_id, kind, office, start_date, end_date, status, "
           "created_at) VALUES (%lld, 'course', 'Disnaker', '2026-01-05', NULL, 'active', 'x'), "
           "(%lld, 'job_referral', 'Dinkop \"UKM\" / \xC3\xA9' || char(9), '2026-03-01', "
           "'2026-06-01', 'ended', 'x'), "
           "(%lld, 'business_capital', 'Dinsos', '2026-03-01', NULL, 'cancelled', 'x');"
           "INSERT INTO referrals (resident_id, vacancy_id, status, created_at, updated_at) "
           "SELECT %lld, id, CASE WHEN id = (SELECT min(id) FROM vacancies) THEN 'proposed' "
           "ELSE 'hired' END, 'x', 'x' FROM vacancies ORDER BY id LIMIT 3;"
           "INSERT INTO enrolments (batch_id, resident_id, status, created_at, updated_at) "
           "SELECT id, %lld, 'completed', 'x', 'x' FROM batches ORDER BY id LIMIT 2;"
           "UPDATE residents SET phone = '0812 \\ 77', verification_note = 'line' || char(10) "
           "|| 'two' WHERE id = %lld;",
           (long long)id, (long long)id, (long long)id, (long long)id, (long long)id,
           (long long)id);
  other_writer(sql);
  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)id);
  struct tu_resp r;
  tu_request(&srv, "GET", path, tok_officer, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  json_t *rec = tu_json(&r);
  char *again = json_dumps(rec, JSON_COMPACT | JSON_REAL_PRECISION(12));
  ck_assert_str_eq(r.body, again);
  free(again);
  ck_assert_str_eq(str(rec, "phone"), "0812 \\ 77");
  ck_assert_str_eq(str(json_object_get(rec, "verification"), "note"), "line\ntwo");
  json_t *iv = json_object_get(rec, "interventions");
  ck_assert_uint_eq(json_array_size(iv), 3);
  /* newest start first, then the higher id */
  ck_assert_str_eq(str(json_array_get(iv, 0), "kind"), "business_capital");
  ck_assert_str_eq(str(json_array_get(iv, 1), "office"), "Dinkop \"UKM\" / \xC3\xA9\t");
  ck_assert(json_is_null(json_object_get(json_array_get(iv, 2), "end_date")));
  json_t *services = json_object_get(rec, "services");
  ck_assert_int_eq(num(json_object_get(services, "referrals"), "hired"), 2);
  ck_assert_int_eq(num(json_object_get(services, "referrals"), "proposed"), 1);
  ck_assert_int_eq(num(json_object_get(services, "enrolments"), "completed"), 2);
  json_t *skills = json_object_get(rec, "skills");
  ck_assert_uint_eq(json_array_size(skills), 2);
  ck_assert_str_eq(str(json_array_get(skills, 0), "code"), "GAR-001");
  ck_assert(json_is_true(json_object_get(json_array_get(skills, 0), "certified")));
  json_decref(rec);
  tu_resp_free(&r);

  /* erased by another process: the very next read is a 404, not audited */
  snprintf(q, sizeof q, "resident=%lld&action=read_resident", (long long)id);
  size_t before = audit_count(q);
  snprintf(sql, sizeof sql,
           "UPDATE residents SET erased_at = '2026-01-01T00:00:00Z', phone = NULL WHERE id = %lld",
           (long long)id);
  other_writer(sql);
  json_decref(tu_call_problem(&srv, "GET", path, tok_officer, NULL, 404, "not-found"));
  ck_assert_uint_eq(audit_count(q), before);
}
END_TEST

START_TEST(desk_sees_own_kelurahan_and_others_are_404_like_missing) {
  static int64_t ids[5000];
  json_t *all = json_array();
  size_t n = walk("/v1/residents", tok_desk, 50, ids, 5000, all);
  ck_assert_uint_gt(n, 0);
  for (size_t i = 0; i < n; i++)
    ck_assert_str_eq(str(json_array_get(all, i), "kelurahan_code"), desk_kelurahan);
  json_decref(all);
  /* filtering on another kelurahan finds nobody */
  char path[128];
  snprintf(path, sizeof path, "/v1/residents?kelurahan=%s", other_kelurahan);
  json_t *j = tu_call(&srv, "GET", path, tok_desk, NULL, 200);
  ck_assert_uint_eq(json_array_size(json_object_get(j, "items")), 0);
  ck_assert(json_is_null(json_object_get(j, "next_cursor")));
  json_decref(j);

  int64_t own, other;
  two_residents(&own, &other);
  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)own);
  json_decref(tu_call(&srv, "GET", path, tok_desk, NULL, 200));
  expect_hidden("GET", "/v1/residents/%lld", other, tok_desk, NULL);
  expect_hidden("GET", "/v1/residents/%lld/history", other, tok_desk, NULL);
  expect_hidden("GET", "/v1/residents/%lld/export", other, tok_desk, NULL);
  expect_hidden("PATCH", "/v1/residents/%lld", other, tok_desk,
                "{\"desil\": 3, \"reason\": \"coba\"}");
  expect_hidden("POST", "/v1/residents/%lld/verification", other, tok_desk, "{}");
  /* and for an officer, a missing id is the same 404 */
  expect_hidden("GET", "/v1/residents/%lld", 123456, tok_officer, NULL);
  expect_hidden("GET", "/v1/residents/%lld/access-record", 123456, tok_officer, NULL);
  /* the desk's queue holds its own residents only */
  all = json_array();
  n = walk("/v1/verification-queue", tok_desk, 50, ids, 5000, all);
  for (size_t i = 0; i < n; i++) {
    json_t *it = json_array_get(all, i);
    ck_assert_str_eq(str(it, "kelurahan_code"), desk_kelurahan);
    ck_assert(strcmp(str(it, "verification"), "expired") == 0 ||
              strcmp(str(it, "verification"), "never") == 0);
  }
  json_decref(all);
}
END_TEST

/* ---- Registration -------------------------------------------------------------------------- */

START_TEST(create_201_then_409_for_the_same_nik) {
  int64_t total = resident_total();
  int64_t id = create(101, other_kelurahan, tok_officer);
  ck_assert_int_eq(resident_total(), total + 1);
  char path[64];
  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)id);
  json_t *rec = tu_call(&srv, "GET", path, tok_officer, NULL, 200);
  ck_assert_str_eq(str(rec, "nik"), "3671014101990101");
  ck_assert_str_eq(str(rec, "sex"), "P");
  ck_assert_int_eq(num(rec, "desil"), 2);
  ck_assert_str_eq(str(rec, "kelurahan_code"), other_kelurahan);
  ck_assert_str_eq(str(json_object_get(rec, "verification"), "status"), "never");
  ck_assert(json_is_null(json_object_get(rec, "nik_flag")));
  json_t *skills = json_object_get(rec, "skills");
  ck_assert_uint_eq(json_array_size(skills), 2);
  ck_assert_str_eq(str(json_array_get(skills, 0), "code"), "GAR-001");
  ck_assert(json_is_true(json_object_get(json_array_get(skills, 0), "certified")));
  ck_assert(json_is_false(json_object_get(json_array_get(skills, 1), "certified")));
  json_decref(rec);

  char *body = resident_body(101, desk_kelurahan, NULL);
  json_t *p = tu_call_problem(&srv, "POST", "/v1/residents", tok_officer, body, 409, "conflict");
  free(body);
  tu_expect_names_field(p, "nik", "nik_exists");
  json_decref(p);
  ck_assert_int_eq(resident_total(), total + 1);
  /* the creation is in the resident's access record */
  char q[96];
  snprintf(q, sizeof q, "resident=%lld&action=create_resident", (long long)id);
  ck_assert_uint_eq(audit_count(q), 1);
}
END_TEST

START_TEST(create_refuses_each_kind_of_bad_input_and_writes_nothing) {
  int64_t total = resident_total();
  static const struct {
    const char *extra, *field, *code;
  } bad[] = {
      {"\"hobby\": \"catur\"", "hobby", "unknown_field"},
      {"\"dependants\": \"3\"", "dependants", "type"},
      {"\"months_without_work\": 601", "months_without_work", "out_of_range"},
      {"\"address\": "
       "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aa"
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "a"
       "aaaaaaaaaaaaaaaaaaaaaa\"",
       "address", "too_long"},
      {"\"religion\": \"jedi\"", "religion", "enum_value"},
      {"\"disability\": \"none\", \"shifts\": [\"day\", \"dawn\"]", "shifts", "enum_value"},
      {"\"preferred_vocations\": [\"garment;retail\"]", "preferred_vocations[0]", "enum_value"},
      {"\"phone\": \"12ab\"", "phone", "phone_format"},
      {"\"skills\": [{\"code\": \"GAR-001\", \"level\": 3}]", "skills[0].level", "unknown_field"},
      {"\"skills\": [{\"certified\": true}]", "skills[0].code", "required"},
      {"\"skills\": [{\"code\": \"XYZ-999\"}]", "skills", "skill_unknown"},
      {"\"education\": \"sma\", \"smk_vocation\": \"garment\"", "smk_vocation",
       "smk_vocation_education"},
      {"\"verified_at\": \"2026-01-01\"", "verified_at", "unknown_field"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct tu_resp r;
    char *body = resident_body(200 + (int)i, other_kelurahan, bad[i].extra);
    tu_text_request(&srv, "POST", "/v1/residents", tok_officer, body, &r);
    free(body);
    if (r.status == 400 && strstr(r.body, "malformed-json") != NULL)
      ck_abort_msg("case %zu: the test body repeats a key", i);
    tu_expect_problem(&r, 400, "invalid-input");
    json_t *p = tu_json(&r);
    tu_expect_names_field(p, bad[i].field, bad[i].code);
    json_decref(p);
    tu_resp_free(&r);
  }
  /* NIK rules, required fields, ranges of the record itself */
  static const struct {
    const char *body, *field, *code;
  } whole[] = {
      {"{\"nik\": \"367101410199\", \"name\": \"A\", \"sex\": \"P\", \"birth_date\": "
       "\"1999-01-01\", \"kelurahan_code\": \"%s\", \"desil\": 2}",
       "nik", "nik_length"},
      {"{\"nik\": \"3671010001990001\", \"name\": \"A\", \"sex\": \"L\", \"birth_date\": "
       "\"1999-01-01\", \"kelurahan_code\": \"%s\", \"desil\": 2}",
       "nik", "nik_day"},
      {"{\"nik\": 3671014101990001, \"name\": \"A\", \"sex\": \"P\", \"birth_date\": "
       "\"1999-01-01\", \"kelurahan_code\": \"%s\", \"desil\": 2}",
       "nik", "type"},
      {"{\"nik\": \"3671014101990301\", \"name\": \"A\", \"sex\": \"P\", \"birth_date\": "
       "\"1999-01-01\", \"kelurahan_code\": \"%s\", \"desil\": 11}",
       "desil", "out_of_range"},
      {"{\"nik\": \"3671014101990302\", \"name\": \"A\", \"sex\": \"W\", \"birth_date\": "
       "\"1999-01-01\", \"kelurahan_code\": \"%s\", \"desil\": 2}",
       "sex", "enum_value"},
      {"{\"nik\": \"3671014101990303\", \"name\": \"A\", \"sex\": \"P\", \"birth_date\": "
       "\"2999-01-01\", \"kelurahan_code\": \"%s\", \"desil\": 2}",
       "birth_date", "date_future"},
      {"{\"nik\": \"3671014101990304\", \"name\": \"A\", \"sex\": \"P\", \"birth_date\": "
       "\"1999-01-01\", \"kelurahan_code\": \"36.71.99.9999\", \"desil\": 2%s}",
       "kelurahan_code", "kelurahan_unknown"},
      {"{\"nik\": \"3671014101990305\", \"sex\": \"P\", \"birth_date\": "
       "\"1999-01-01\", \"kelurahan_code\": \"%s\", \"desil\": 2}",
       "name", "required"},
  };
  for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++) {
    char body[1024];
    snprintf(body, sizeof body, whole[i].body,
             strstr(whole[i].body, "99.9999") ? "" : other_kelurahan);
    tu_expect_field_error(&srv, "POST", "/v1/residents", tok_officer, body, whole[i].field,
                          whole[i].code);
  }
  /* strict JSON: a repeated key, nesting past the cap, not an object */
  static const char *const malformed[] = {
      "{\"nik\": \"3671014101990306\", \"nik\": \"3671014101990307\"}",
      "{\"skills\": [[[[[[[[[[1]]]]]]]]]]}",
      "[1, 2]",
      "{\"nik\": \"36710141019903",
  };
  for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
    struct tu_resp r;
    tu_text_request(&srv, "POST", "/v1/residents", tok_officer, malformed[i], &r);
    tu_expect_problem(&r, 400, "malformed-json");
    tu_resp_free(&r);
  }
  ck_assert_int_eq(resident_total(), total);
}
END_TEST

START_TEST(create_by_desk_in_own_kelurahan_only_and_nik_mismatch_flagged) {
  int64_t total = resident_total();
  int64_t id = create(401, desk_kelurahan, tok_desk);
  char path[64];
  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)id);
  json_decref(tu_call(&srv, "GET", path, tok_desk, NULL, 200));
  struct tu_resp r;
  char *body = resident_body(402, other_kelurahan, NULL);
  tu_text_request(&srv, "POST", "/v1/residents", tok_desk, body, &r);
  free(body);
  tu_expect_problem(&r, 403, "forbidden");
  tu_resp_free(&r);
  ck_assert_int_eq(resident_total(), total + 1);
  /* a NIK whose date disagrees with the birth date: accepted, flagged */
  char mismatch[256];
  snprintf(mismatch, sizeof mismatch,
           "{\"nik\": \"3671014202990403\", \"name\": \"Beda Tanggal\", \"sex\": \"P\", "
           "\"birth_date\": \"1999-01-01\", \"kelurahan_code\": \"%s\", \"desil\": 4}",
           other_kelurahan);
  tu_text_request(&srv, "POST", "/v1/residents", tok_officer, mismatch, &r);
  ck_assert_msg(r.status == 201, "%d %s", r.status, r.body);
  json_t *j = tu_json(&r);
  ck_assert_str_eq(str(j, "nik_flag"), "birth_date_mismatch");
  json_decref(j);
  tu_resp_free(&r);
}
END_TEST

/* ---- Corrections ------------------------------------------------------------------------------
 */

START_TEST(patch_corrects_with_history_and_a_rejected_patch_changes_nothing) {
  int64_t id = create(501, desk_kelurahan, tok_officer);
  char path[64], hist[80];
  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)id);
  snprintf(hist, sizeof hist, "/v1/residents/%lld/history", (long long)id);
  struct tu_resp r;
  /* desil is DTSEN's: an officer corrects it (a desk may not, issue 15) */
  tu_text_request(
      &srv, "PATCH", path, tok_officer,
      "{\"desil\": 3, \"phone\": \"0812-3456-7890\", \"skills\": [{\"code\": \"GAR-004\", "
      "\"certified\": true}], \"reason\": \"Datang ke loket, KTP diperiksa\"}",
      &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  char changed[16];
  ck_assert(tu_header(&r, "X-Padan-Changed-Fields", changed, sizeof changed));
  ck_assert_str_eq(changed, "3");
  json_t *rec = tu_json(&r);
  ck_assert_int_eq(num(rec, "desil"), 3);
  ck_assert_str_eq(str(rec, "phone"), "0812-3456-7890");
  ck_assert_uint_eq(json_array_size(json_object_get(rec, "skills")), 1);
  json_decref(rec);
  tu_resp_free(&r);
  json_t *h = tu_call(&srv, "GET", hist, tok_officer, NULL, 200);
  json_t *items = json_object_get(h, "items");
  ck_assert_uint_eq(json_array_size(items), 3);
  int saw_desil = 0;
  for (size_t i = 0; i < 3; i++) {
    json_t *e = json_array_get(items, i);
    ck_assert_str_eq(str(e, "reason"), "Datang ke loket, KTP diperiksa");
    ck_assert_str_eq(str(e, "by_username"), "demo-officer");
    if (strcmp(str(e, "field"), "desil") == 0) {
      saw_desil = 1;
      ck_assert_str_eq(str(e, "old_value"), "2");
      ck_assert_str_eq(str(e, "new_value"), "3");
    }
  }
  ck_assert(saw_desil);
  json_decref(h);

  /* rejected: one good change and one bad one; nothing is written */
  int64_t own, other;
  two_residents(&own, &other);
  char other_path[64], dup[160];
  snprintf(other_path, sizeof other_path, "/v1/residents/%lld", (long long)other);
  json_t *o = tu_call(&srv, "GET", other_path, tok_officer, NULL, 200);
  snprintf(dup, sizeof dup, "{\"desil\": 5, \"nik\": \"%s\", \"reason\": \"x\"}", str(o, "nik"));
  json_decref(o);
  json_t *before = tu_call(&srv, "GET", path, tok_officer, NULL, 200);
  const struct {
    const char *body, *field, *code;
    int status;
  } bad[] = {
      {"{\"desil\": 5, \"religion\": \"jedi\", \"reason\": \"x\"}", "religion", "enum_value", 400},
      {"{\"desil\": 5, \"colour\": \"red\", \"reason\": \"x\"}", "colour", "unknown_field", 400},
      {"{\"desil\": 5}", "reason", "required", 400},
      {"{\"desil\": 0, \"reason\": \"x\"}", "desil", "out_of_range", 400},
      {"{\"desil\": 5, \"name\": null, \"reason\": \"x\"}", "name", "type", 400},
      {"{\"desil\": 5, \"nik\": \"3671014101991234X\", \"reason\": \"x\"}", "nik", "nik_length",
       400},
      {"{\"desil\": 5, \"work_status\": \"working\", \"months_without_work\": 7, \"reason\": "
       "\"x\"}",
       "months_without_work", "months_while_working", 400},
      {dup, "nik", "nik_duplicate", 409},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    json_t *p = tu_call_problem(&srv, "PATCH", path, tok_officer, bad[i].body, bad[i].status,
                                bad[i].status == 409 ? "conflict" : "invalid-input");
    tu_expect_names_field(p, bad[i].field, bad[i].code);
    json_decref(p);
  }
  tu_text_request(&srv, "PATCH", path, tok_officer,
                  "{\"desil\": 5, \"desil\": 6, \"reason\": \"x\"}", &r);
  tu_expect_problem(&r, 400, "malformed-json");
  tu_resp_free(&r);
  json_t *after = tu_call(&srv, "GET", path, tok_officer, NULL, 200);
  ck_assert_msg(json_equal(before, after), "a rejected PATCH changed the record");
  json_decref(before);
  json_decref(after);
  h = tu_call(&srv, "GET", hist, tok_officer, NULL, 200);
  ck_assert_uint_eq(json_array_size(json_object_get(h, "items")), 3);
  json_decref(h);
  /* a desk may not move a resident away */
  char body[160];
  snprintf(body, sizeof body, "{\"kelurahan_code\": \"%s\", \"reason\": \"pindah\"}",
           other_kelurahan);
  tu_text_request(&srv, "PATCH", path, tok_desk, body, &r);
  tu_expect_problem(&r, 403, "forbidden");
  tu_resp_free(&r);
}
END_TEST

/* ---- Verification ------------------------------------------------------------------------------
 */

/* 1 when id is in the desk's verification queue. */
static int in_queue(int64_t id) {
  static int64_t ids[5000];
  size_t n = walk("/v1/verification-queue", tok_desk, 40, ids, 5000, NULL);
  for (size_t i = 0; i < n; i++)
    if (ids[i] == id)
      return 1;
  return 0;
}

START_TEST(verification_takes_a_resident_out_of_the_queue) {
  /* a resident of the desk's kelurahan whose verification is expired or
   * missing: the engine does not match them */
  json_t *page =
      tu_call(&srv, "GET", "/v1/residents?verification=due&limit=1", tok_desk, NULL, 200);
  json_t *items = json_object_get(page, "items");
  ck_assert_uint_eq(json_array_size(items), 1);
  int64_t id = num(json_array_get(items, 0), "id");
  json_decref(page);
  ck_assert(in_queue(id));
  char path[96], rec_path[64];
  snprintf(path, sizeof path, "/v1/residents/%lld/verification", (long long)id);
  snprintf(rec_path, sizeof rec_path, "/v1/residents/%lld", (long long)id);
  json_t *before = tu_call(&srv, "GET", rec_path, tok_officer, NULL, 200);

  struct tu_resp r;
  static const struct {
    const char *body, *field, *code;
  } bad[] = {
      {"{\"date\": \"2999-01-01\"}", "date", "date_future"},
      {"{\"date\": \"1900-01-01\"}", "date", "verified_before_birth"},
      {"{\"date\": \"31-12-2025\"}", "date", "date_format"},
      {"{\"date\": 20260101}", "date", "type"},
      {"{\"by\": \"me\"}", "by", "unknown_field"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    tu_expect_field_error(&srv, "POST", path, tok_desk, bad[i].body, bad[i].field, bad[i].code);
  }
  json_t *same = tu_call(&srv, "GET", rec_path, tok_officer, NULL, 200);
  ck_assert(json_equal(before, same));
  json_decref(same);
  json_decref(before);
  ck_assert(in_queue(id));

  tu_text_request(&srv, "POST", path, tok_desk, "{\"note\": \"KTP dan KK dicocokkan\"}", &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  json_t *rec = tu_json(&r);
  json_t *v = json_object_get(rec, "verification");
  ck_assert_str_eq(str(v, "status"), "verified");
  ck_assert_int_eq(num(v, "days_since"), 0);
  ck_assert_str_eq(str(v, "note"), "KTP dan KK dicocokkan");
  json_decref(rec);
  tu_resp_free(&r);
  ck_assert(!in_queue(id));
  json_t *list =
      tu_call(&srv, "GET", "/v1/residents?verification=verified&limit=500", tok_desk, NULL, 200);
  int listed = 0;
  for (size_t i = 0; i < json_array_size(json_object_get(list, "items")); i++)
    listed |= num(json_array_get(json_object_get(list, "items"), i), "id") == id;
  json_decref(list);
  ck_assert(listed);
  /* the verification is in the history and the audit log */
  snprintf(path, sizeof path, "/v1/residents/%lld/history", (long long)id);
  json_t *h = tu_call(&srv, "GET", path, tok_officer, NULL, 200);
  json_t *last =
      json_array_get(json_object_get(h, "items"), json_array_size(json_object_get(h, "items")) - 1);
  ck_assert_str_eq(str(last, "field"), "verified_at");
  json_decref(h);
  char q[96];
  snprintf(q, sizeof q, "resident=%lld&action=verify_resident&user=demo-desk", (long long)id);
  ck_assert_uint_eq(audit_count(q), 1);
  /* officers filter the queue by kelurahan; a bad code is named */
  snprintf(path, sizeof path, "/v1/verification-queue?kelurahan=%s&limit=5", other_kelurahan);
  json_t *oq = tu_call(&srv, "GET", path, tok_officer, NULL, 200);
  for (size_t i = 0; i < json_array_size(json_object_get(oq, "items")); i++)
    ck_assert_str_eq(str(json_array_get(json_object_get(oq, "items"), i), "kelurahan_code"),
                     other_kelurahan);
  json_decref(oq);
  tu_expect_field_error(&srv, "GET", "/v1/verification-queue?kelurahan=nope", tok_officer, NULL,
                        "kelurahan", "unknown_code");
}
END_TEST

/* not_matched_because.code of the resident's recommendations, "" when
 * the engine finds no rule about the resident against them. */
static void engine_reason(int64_t id, char *out, size_t size) {
  char path[96];
  snprintf(path, sizeof path, "/v1/residents/%lld/recommendations", (long long)id);
  json_t *j = tu_call(&srv, "GET", path, tok_officer, NULL, 200);
  json_t *why = json_object_get(j, "not_matched_because");
  snprintf(out, size, "%s", json_is_object(why) ? str(why, "code") : "");
  json_decref(j);
}

START_TEST(writes_reach_the_engine_at_once) {
  /* registered by the desk: never verified, so not matched */
  int64_t id = create(801, desk_kelurahan, tok_desk);
  char why[64], path[96];
  engine_reason(id, why, sizeof why);
  ck_assert_str_eq(why, "unverified");
  snprintf(path, sizeof path, "/v1/residents/%lld/verification", (long long)id);
  struct tu_resp r;
  tu_text_request(&srv, "POST", path, tok_desk, "{}", &r);
  ck_assert_int_eq(r.status, 200);
  tu_resp_free(&r);
  engine_reason(id, why, sizeof why);
  ck_assert_str_eq(why, "");
  /* a correction to "working" shows in the next ranking */
  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)id);
  tu_text_request(&srv, "PATCH", path, tok_desk,
                  "{\"work_status\": \"working\", \"reason\": \"Sudah bekerja di pabrik\"}", &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  tu_resp_free(&r);
  engine_reason(id, why, sizeof why);
  ck_assert_str_eq(why, "employed");
  /* an expired verification is matched again once verified anew */
  tu_text_request(&srv, "PATCH", path, tok_desk,
                  "{\"work_status\": \"unemployed\", \"reason\": \"PHK\"}", &r);
  ck_assert_int_eq(r.status, 200);
  tu_resp_free(&r);
  snprintf(path, sizeof path, "/v1/residents/%lld/verification", (long long)id);
  tu_text_request(&srv, "POST", path, tok_desk, "{\"date\": \"2024-01-02\"}", &r);
  ck_assert_int_eq(r.status, 200);
  tu_resp_free(&r);
  engine_reason(id, why, sizeof why);
  ck_assert_str_eq(why, "verification_expired");
  tu_text_request(&srv, "POST", path, tok_desk, "{}", &r);
  ck_assert_int_eq(r.status, 200);
  tu_resp_free(&r);
  engine_reason(id, why, sizeof why);
  ck_assert_str_eq(why, "");
  /* erased: gone from the engine and the API */
  snprintf(path, sizeof path, "/v1/residents/%lld?reason=uji", (long long)id);
  tu_text_request(&srv, "DELETE", path, tok_admin, NULL, &r);
  ck_assert_int_eq(r.status, 204);
  tu_resp_free(&r);
  snprintf(path, sizeof path, "/v1/residents/%lld/recommendations", (long long)id);
  tu_text_request(&srv, "GET", path, tok_officer, NULL, &r);
  tu_expect_problem(&r, 404, "not-found");
  tu_resp_free(&r);
}
END_TEST

/* ---- Rights: export and erasure
 * ------------------------------------------------------------------ */

START_TEST(export_holds_everything_and_is_audited) {
  int64_t id = create(601, desk_kelurahan, tok_officer);
  char path[96];
  snprintf(path, sizeof path, "/v1/residents/%lld/export", (long long)id);
  struct tu_resp r;
  tu_text_request(&srv, "GET", path, tok_desk, NULL, &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  char cd[128];
  ck_assert(tu_header(&r, "Content-Disposition", cd, sizeof cd));
  ck_assert_ptr_nonnull(strstr(cd, "attachment"));
  json_t *doc = tu_json(&r);
  tu_resp_free(&r);
  ck_assert_str_eq(str(doc, "format"), "padan-resident-export/1");
  ck_assert_str_eq(str(json_object_get(doc, "resident"), "nik"), "3671014101990601");
  ck_assert_uint_eq(json_array_size(json_object_get(doc, "skills")), 2);
  json_t *access = json_object_get(doc, "access_record");
  int saw_export = 0, saw_create = 0;
  for (size_t i = 0; i < json_array_size(access); i++) {
    const char *action = str(json_array_get(access, i), "action");
    saw_export |= strcmp(action, "export_resident") == 0;
    saw_create |= strcmp(action, "create_resident") == 0;
  }
  ck_assert(saw_export && saw_create);
  json_decref(doc);
}
END_TEST

START_TEST(erase_needs_admin_and_a_reason_then_the_resident_is_gone) {
  int64_t id = create(701, other_kelurahan, tok_officer);
  int64_t total = resident_total();
  char path[96];
  struct tu_resp r;
  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)id);
  tu_expect_field_error(&srv, "DELETE", path, tok_admin, NULL, "reason", "required");
  snprintf(path, sizeof path, "/v1/residents/%lld?reason=a&reason=b", (long long)id);
  tu_expect_field_error(&srv, "DELETE", path, tok_admin, NULL, "reason", "repeated_parameter");
  snprintf(path, sizeof path, "/v1/residents/%lld?why=x", (long long)id);
  tu_expect_field_error(&srv, "DELETE", path, tok_admin, NULL, "why", "unknown_parameter");
  ck_assert_int_eq(resident_total(), total);

  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)id);
  tu_text_request(&srv, "DELETE", path, tok_admin,
                  "{\"reason\": \"Permintaan penghapusan oleh penduduk\"}", &r);
  ck_assert_msg(r.status == 204, "%d %s", r.status, r.body);
  tu_resp_free(&r);
  ck_assert_int_eq(resident_total(), total - 1);
  tu_text_request(&srv, "GET", path, tok_officer, NULL, &r);
  tu_expect_problem(&r, 404, "not-found");
  tu_resp_free(&r);
  tu_text_request(&srv, "DELETE", path, tok_admin, "{\"reason\": \"lagi\"}", &r);
  tu_expect_problem(&r, 404, "not-found");
  tu_resp_free(&r);
  /* the erased record holds no NIK, but the person is not registered
   * again (issue 15: erasure stays erased; only a keyed hash is kept) */
  char *again_body = resident_body(701, other_kelurahan, FULL_EXTRA);
  tu_text_request(&srv, "POST", "/v1/residents", tok_officer, again_body, &r);
  free(again_body);
  tu_expect_problem(&r, 409, "conflict");
  ck_assert_msg(strstr(r.body, "nik_erased") != NULL, "%s", r.body);
  tu_resp_free(&r);
  char q[96];
  snprintf(q, sizeof q, "resident=%lld&action=erase_resident", (long long)id);
  ck_assert_uint_eq(audit_count(q), 1);
}
END_TEST

/* ---- The audit log ------------------------------------------------------------------------------
 */

START_TEST(audit_list_filters_and_pages) {
  static int64_t ids[200000], again[200000];
  json_t *all = json_array();
  size_t n = walk("/v1/audit?user=demo-desk", tok_admin, 7, ids, 200000, all);
  ck_assert_uint_gt(n, 0);
  for (size_t i = 0; i < n; i++) {
    ck_assert_str_eq(str(json_array_get(all, i), "username"), "demo-desk");
    if (i > 0)
      ck_assert_int_gt(ids[i], ids[i - 1]);
  }
  json_decref(all);
  /* the same rows with a larger page */
  size_t m = walk("/v1/audit?user=demo-desk", tok_admin, 500, again, 200000, NULL);
  ck_assert_uint_ge(m, n); /* the walk itself adds no rows: admin's reads are not personal */
  for (size_t i = 0; i < n; i++)
    ck_assert_int_eq(ids[i], again[i]);

  all = json_array();
  n = walk("/v1/audit?action=login", tok_admin, 500, ids, 200000, all);
  ck_assert_uint_ge(n, 4);
  for (size_t i = 0; i < n; i++)
    ck_assert_str_eq(str(json_array_get(all, i), "action"), "login");
  json_decref(all);
  ck_assert_uint_eq(audit_count("from=2999-01-01"), 0);
  ck_assert_uint_eq(audit_count("to=2000-01-01T00:00:00Z"), 0);
  ck_assert_uint_gt(audit_count("from=2000-01-01&to=2999-12-31"), 0);

  static const struct {
    const char *query, *field, *code;
  } bad[] = {
      {"from=yesterday", "from", "date_format"},        {"to=2026-13-01", "to", "date_format"},
      {"to=2026-01-01T25:00:00Z", "to", "date_format"}, {"resident=abc", "resident", "type"},
      {"resident=0", "resident", "out_of_range"},       {"who=x", "who", "unknown_parameter"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char path[128];
    snprintf(path, sizeof path, "/v1/audit?%s", bad[i].query);
    tu_expect_field_error(&srv, "GET", path, tok_admin, NULL, bad[i].field, bad[i].code);
  }
}
END_TEST

START_TEST(access_record_lists_the_residents_rows_only) {
  int64_t own, other;
  two_residents(&own, &other);
  char path[96];
  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)own);
  json_decref(tu_call(&srv, "GET", path, tok_desk, NULL, 200));
  static int64_t ids[20000];
  json_t *all = json_array();
  snprintf(path, sizeof path, "/v1/residents/%lld/access-record", (long long)own);
  size_t n = walk(path, tok_officer, 3, ids, 20000, all);
  ck_assert_uint_gt(n, 1);
  int saw_desk = 0;
  for (size_t i = 0; i < n; i++) {
    json_t *row = json_array_get(all, i);
    ck_assert_int_eq(num(row, "resident_id"), own);
    saw_desk |= strcmp(str(row, "username"), "demo-desk") == 0 &&
                strcmp(str(row, "route"), "/v1/residents/{id}") == 0;
    if (i > 0)
      ck_assert_int_gt(ids[i], ids[i - 1]);
  }
  ck_assert(saw_desk);
  json_decref(all);
  /* reading the access record is itself recorded */
  char q[96];
  snprintf(q, sizeof q, "resident=%lld&action=read_resident", (long long)own);
  size_t before = audit_count(q);
  json_decref(tu_call(&srv, "GET", path, tok_admin, NULL, 200));
  ck_assert_uint_eq(audit_count(q), before + 1);
}
END_TEST

static Suite *residents_suite(void) {
  Suite *s = suite_create("api_residents");
  TCase *tc = tcase_create("residents");
  tcase_add_unchecked_fixture(tc, suite_start, suite_stop);
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, every_route_401_without_token_403_for_other_roles);
  tcase_add_test(tc, list_pages_cover_every_resident_once_in_stable_order);
  tcase_add_test(tc, list_filters_select_what_they_say);
  tcase_add_test(tc, list_refuses_bad_parameters_naming_them);
  tcase_add_test(tc, list_reads_are_audited_once_per_listed_resident);
  tcase_add_test(tc, get_record_is_full_and_audited);
  tcase_add_test(tc, get_record_is_what_jansson_writes_and_shows_other_writers_at_once);
  tcase_add_test(tc, desk_sees_own_kelurahan_and_others_are_404_like_missing);
  tcase_add_test(tc, create_201_then_409_for_the_same_nik);
  tcase_add_test(tc, create_refuses_each_kind_of_bad_input_and_writes_nothing);
  tcase_add_test(tc, create_by_desk_in_own_kelurahan_only_and_nik_mismatch_flagged);
  tcase_add_test(tc, patch_corrects_with_history_and_a_rejected_patch_changes_nothing);
  tcase_add_test(tc, verification_takes_a_resident_out_of_the_queue);
  tcase_add_test(tc, writes_reach_the_engine_at_once);
  tcase_add_test(tc, export_holds_everything_and_is_audited);
  tcase_add_test(tc, erase_needs_admin_and_a_reason_then_the_resident_is_gone);
  tcase_add_test(tc, audit_list_filters_and_pages);
  tcase_add_test(tc, access_record_lists_the_residents_rows_only);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  return tu_run_suite(residents_suite());
}
