/*
 * The desk's resident search over HTTP against the real server
 * (POST /v1/residents/search): by exact NIK and by part of a name, a desk
 * within its own kelurahan only, hits without NIK, desil or full address,
 * one audit row per search (never the criteria), paging, bad criteria named
 * by field, and no NIK in a URL or in the server's log.
 */
#include "testutil.h"
#include "tu_http.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RESIDENTS 1500

static struct tu_server srv;
static char *tok_admin, *tok_officer, *tok_desk, *tok_employer;
static char own_kel[16], other_kel[16];
/* one resident of the desk's kelurahan and one of another, as an officer
 * sees them (with NIK) */
static char own_nik[17], own_name[128], other_nik[17], other_name[128];
static long long own_id, other_id;

static const char *str(json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  ck_assert_msg(s != NULL, "no string %s", k);
  return s;
}

/* The first resident of kelurahan code (officer's list): NIK, name, id. */
static void first_of(const char *code, char nik[17], char *name, size_t name_size, long long *id) {
  char path[128];
  snprintf(path, sizeof path, "/v1/residents?kelurahan=%s&limit=1", code);
  json_t *j = tu_call(&srv, "GET", path, tok_officer, NULL, 200);
  json_t *it = json_array_get(json_object_get(j, "items"), 0);
  ck_assert_ptr_nonnull(it);
  snprintf(nik, 17, "%s", str(it, "nik"));
  snprintf(name, name_size, "%s", str(it, "name"));
  *id = (long long)json_integer_value(json_object_get(it, "id"));
  json_decref(j);
}

static void suite_start(void) {
  tu_server_start(&srv, RESIDENTS, 3);
  tok_admin = tu_login(&srv, "admin");
  tok_officer = tu_login(&srv, "officer");
  tok_desk = tu_login(&srv, "desk");
  tok_employer = tu_login(&srv, "employer");
  json_t *own = tu_call(&srv, "GET", "/v1/residents?limit=1", tok_desk, NULL, 200);
  snprintf(own_kel, sizeof own_kel, "%s",
           str(json_array_get(json_object_get(own, "items"), 0), "kelurahan_code"));
  json_decref(own);
  json_t *k = tu_call(&srv, "GET", "/v1/kelurahan", tok_officer, NULL, 200);
  json_t *items = json_object_get(k, "items");
  for (size_t i = 0; i < json_array_size(items) && other_kel[0] == '\0'; i++) {
    json_t *it = json_array_get(items, i);
    if (strcmp(str(it, "code"), own_kel) != 0 &&
        json_integer_value(json_object_get(json_object_get(it, "counts"), "residents")) > 3)
      snprintf(other_kel, sizeof other_kel, "%s", str(it, "code"));
  }
  json_decref(k);
  ck_assert(other_kel[0] != '\0');
  first_of(own_kel, own_nik, own_name, sizeof own_name, &own_id);
  first_of(other_kel, other_nik, other_name, sizeof other_name, &other_id);
}

static void suite_stop(void) {
  tu_server_stop(&srv);
  free(tok_admin);
  free(tok_officer);
  free(tok_desk);
  free(tok_employer);
}

/* The search's path with query ("" or "?..."), into a static buffer. */
static const char *search_path(const char *query) {
  static char path[128];
  snprintf(path, sizeof path, "/v1/residents/search%s", query);
  return path;
}

/* POST /v1/residents/search?query with body (stolen); the response. */
static void search(const char *tok, const char *query, json_t *body, struct tu_resp *r) {
  tu_json_request(&srv, "POST", search_path(query), tok, body, r);
}

/* The hits of a search that must answer 200 (caller decrefs). */
static json_t *hits(const char *tok, const char *query, json_t *body) {
  return tu_call_json(&srv, "POST", search_path(query), tok, body, 200);
}

/* Audit rows of action search_residents so far. */
static size_t search_audits(json_t **last) {
  json_t *j =
      tu_call(&srv, "GET", "/v1/audit?action=search_residents&limit=500", tok_admin, NULL, 200);
  json_t *items = json_object_get(j, "items");
  size_t n = json_array_size(items);
  if (last != NULL)
    *last = json_incref(json_array_get(items, n - 1));
  json_decref(j);
  return n;
}

START_TEST(desk_finds_own_resident_by_nik_with_only_what_picks_them) {
  struct tu_resp r;
  search(tok_desk, "", json_pack("{s:s}", "nik", own_nik), &r);
  ck_assert_int_eq(r.status, 200);
  /* the NIK searched for is not echoed anywhere in the answer */
  ck_assert_ptr_null(strstr(r.body, own_nik));
  json_t *j = tu_json(&r);
  json_t *items = json_object_get(j, "items");
  ck_assert_uint_eq(json_array_size(items), 1);
  json_t *h = json_array_get(items, 0);
  ck_assert_int_eq(json_integer_value(json_object_get(h, "id")), own_id);
  ck_assert_str_eq(str(h, "name"), own_name);
  ck_assert(json_is_integer(json_object_get(h, "age")));
  ck_assert_str_eq(str(json_object_get(h, "kelurahan"), "code"), own_kel);
  ck_assert_ptr_nonnull(
      json_string_value(json_object_get(json_object_get(h, "kelurahan"), "name")));
  /* exactly these keys: no nik, desil, address, phone */
  const char *keys[] = {"id", "name", "age", "rt_rw", "address_hint", "kelurahan"};
  ck_assert_uint_eq(json_object_size(h), sizeof keys / sizeof keys[0]);
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    ck_assert_msg(json_object_get(h, keys[i]) != NULL, "hit has no %s", keys[i]);
  /* the seeded address "Jl. X No. n, RT 00a/RW 00b": RT/RW and the street only */
  char path[64];
  snprintf(path, sizeof path, "/v1/residents/%lld", own_id);
  json_t *rec = tu_call(&srv, "GET", path, tok_officer, NULL, 200);
  const char *addr = str(rec, "address"), *rt = strstr(addr, "RT "), *rw = strstr(addr, "RW ");
  ck_assert_ptr_nonnull(rt);
  char want_rt_rw[16], want_hint[128];
  snprintf(want_rt_rw, sizeof want_rt_rw, "%.3s/%.3s", rt + 3, rw + 3);
  snprintf(want_hint, sizeof want_hint, "%.*s", (int)(strstr(addr, " No.") - addr), addr);
  ck_assert_str_eq(str(h, "rt_rw"), want_rt_rw);
  ck_assert_str_eq(str(h, "address_hint"), want_hint);
  ck_assert_ptr_null(strstr(r.body, addr));
  json_decref(rec);
  json_decref(j);
  tu_resp_free(&r);
}
END_TEST

START_TEST(desk_cannot_find_another_kelurahans_resident) {
  /* by NIK */
  json_t *j = hits(tok_desk, "", json_pack("{s:s}", "nik", other_nik));
  ck_assert_uint_eq(json_array_size(json_object_get(j, "items")), 0);
  ck_assert(json_is_null(json_object_get(j, "next_cursor")));
  json_decref(j);
  /* by name, with or without naming the other kelurahan */
  j = hits(tok_desk, "", json_pack("{s:s}", "name", other_name));
  size_t i;
  json_t *h;
  json_array_foreach(json_object_get(j, "items"), i, h) {
    ck_assert_str_eq(str(json_object_get(h, "kelurahan"), "code"), own_kel);
    ck_assert_int_ne(json_integer_value(json_object_get(h, "id")), other_id);
  }
  json_decref(j);
  j = hits(tok_desk, "", json_pack("{s:s, s:s}", "name", other_name, "kelurahan", other_kel));
  ck_assert_uint_eq(json_array_size(json_object_get(j, "items")), 0);
  json_decref(j);
  /* an officer finds the same resident city-wide */
  j = hits(tok_officer, "", json_pack("{s:s}", "nik", other_nik));
  ck_assert_uint_eq(json_array_size(json_object_get(j, "items")), 1);
  ck_assert_int_eq(
      json_integer_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "id")),
      other_id);
  json_decref(j);
}
END_TEST

/* Every resident of own_kel whose name holds part (any case), from the
 * officer's full list: the count a name search must find. */
static size_t brute_count(const char *part) {
  size_t n = 0;
  char path[200], cursor[128] = "";
  for (;;) {
    snprintf(path, sizeof path, "/v1/residents?kelurahan=%s&limit=500%s%s", own_kel,
             cursor[0] ? "&cursor=" : "", cursor);
    json_t *j = tu_call(&srv, "GET", path, tok_officer, NULL, 200);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(j, "items"), i, it) {
      const char *name = str(it, "name");
      for (const char *p = name; *p != '\0'; p++)
        if (strncasecmp(p, part, strlen(part)) == 0) {
          n++;
          break;
        }
    }
    const char *next = json_string_value(json_object_get(j, "next_cursor"));
    if (next == NULL) {
      json_decref(j);
      break;
    }
    snprintf(cursor, sizeof cursor, "%s", next);
    json_decref(j);
  }
  return n;
}

START_TEST(name_search_is_a_case_insensitive_part_and_pages) {
  /* three letters from inside the first name, in upper case */
  char part[4];
  for (size_t i = 0; i < 3; i++)
    part[i] = (char)(own_name[i + 1] >= 'a' && own_name[i + 1] <= 'z' ? own_name[i + 1] - 32
                                                                      : own_name[i + 1]);
  part[3] = '\0';
  size_t want = brute_count(part);
  ck_assert_uint_ge(want, 1);
  size_t got = 0, pages = 0;
  char query[160] = "?limit=2";
  int found_own = 0;
  for (;;) {
    json_t *j = hits(tok_desk, query, json_pack("{s:s}", "name", part));
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(j, "items"), i, h) {
      ck_assert_str_eq(str(json_object_get(h, "kelurahan"), "code"), own_kel);
      found_own |= json_integer_value(json_object_get(h, "id")) == own_id;
      got++;
    }
    pages++;
    const char *next = json_string_value(json_object_get(j, "next_cursor"));
    if (next == NULL) {
      json_decref(j);
      break;
    }
    snprintf(query, sizeof query, "?limit=2&cursor=%s", next);
    json_decref(j);
  }
  ck_assert_uint_eq(got, want);
  ck_assert_uint_ge(pages, (want + 1) / 2);
  ck_assert(found_own);
}
END_TEST

/* Three letters that most names of the desk's residents hold (lower case,
 * no space), into part. */
static void common_part(char part[4]) {
  json_t *j = tu_call(&srv, "GET", "/v1/residents?limit=500", tok_desk, NULL, 200);
  json_t *items = json_object_get(j, "items");
  size_t best = 0;
  for (size_t i = 0; i < json_array_size(items); i++) {
    const char *name = str(json_array_get(items, i), "name");
    for (size_t k = 0; name[k] != '\0' && name[k + 1] != '\0' && name[k + 2] != '\0'; k++) {
      char cand[4] = {(char)tolower((unsigned char)name[k]),
                      (char)tolower((unsigned char)name[k + 1]),
                      (char)tolower((unsigned char)name[k + 2]), '\0'};
      if (strchr(cand, ' ') != NULL)
        continue;
      size_t n = 0;
      for (size_t m = 0; m < json_array_size(items); m++)
        n += strcasestr(str(json_array_get(items, m), "name"), cand) != NULL;
      if (n > best) {
        best = n;
        memcpy(part, cand, 4);
      }
    }
  }
  json_decref(j);
  ck_assert_uint_gt(best, 1);
}

START_TEST(one_audit_row_per_search_without_the_criteria) {
  size_t before = search_audits(NULL);
  char part[4];
  common_part(part);
  json_t *j = hits(tok_desk, "?limit=500", json_pack("{s:s}", "name", part));
  size_t n_hits = json_array_size(json_object_get(j, "items"));
  json_decref(j);
  ck_assert_uint_gt(n_hits, 1); /* many hits, still one row */
  json_t *last = NULL;
  ck_assert_uint_eq(search_audits(&last), before + 1);
  char want[64];
  snprintf(want, sizeof want, "by name, %zu hits", n_hits);
  ck_assert_str_eq(str(last, "detail"), want);
  ck_assert_str_eq(str(last, "route"), "/v1/residents/search");
  json_decref(last);
  j = hits(tok_desk, "", json_pack("{s:s}", "nik", own_nik));
  json_decref(j);
  ck_assert_uint_eq(search_audits(&last), before + 2);
  ck_assert_str_eq(str(last, "detail"), "by nik, 1 hit");
  json_decref(last);
  /* no audit row anywhere quotes the NIK searched for */
  json_t *all =
      tu_call(&srv, "GET", "/v1/audit?action=search_residents&limit=500", tok_admin, NULL, 200);
  char *text = json_dumps(all, 0);
  ck_assert_ptr_null(strstr(text, own_nik));
  free(text);
  json_decref(all);
}
END_TEST

START_TEST(bad_criteria_are_named_and_roles_refused) {
  struct {
    json_t *body;
    const char *field;
  } bad[] = {
      {json_pack("{}"), "nik"},
      {json_pack("{s:s, s:s}", "nik", own_nik, "name", "Ani"), "name"},
      {json_pack("{s:s}", "nik", "367101"), "nik"},
      {json_pack("{s:s}", "nik", "36710112345678x9"), "nik"},
      {json_pack("{s:s}", "name", "An"), "name"},
      {json_pack("{s:s, s:s}", "nik", own_nik, "kelurahan", own_kel), "kelurahan"},
      {json_pack("{s:s, s:s}", "name", "Ani", "kelurahan", "99.99.99.9999"), "kelurahan"},
      {json_pack("{s:s, s:i}", "name", "Ani", "desil", 1), "desil"},
  };
  size_t before = search_audits(NULL);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char *body = json_dumps(bad[i].body, JSON_COMPACT);
    json_decref(bad[i].body);
    tu_expect_only_field_error(&srv, "POST", search_path(""), tok_officer, body, bad[i].field,
                               NULL);
    free(body);
  }
  ck_assert_uint_eq(search_audits(NULL), before); /* a refused search is no search */
  struct tu_resp r;
  search(tok_employer, "", json_pack("{s:s}", "name", "Ani"), &r);
  tu_expect_problem(&r, 403, "forbidden");
  tu_resp_free(&r);
  search(NULL, "", json_pack("{s:s}", "name", "Ani"), &r);
  tu_expect_problem(&r, 401, "unauthenticated");
  tu_resp_free(&r);
  /* criteria in the query string are refused: they do not belong in a URL */
  char q[64];
  snprintf(q, sizeof q, "?nik=%s", own_nik);
  json_t *p = tu_call_problem(&srv, "POST", search_path(q), tok_desk, "{\"name\": \"Ani\"}", 400,
                              "invalid-input");
  tu_expect_names_field(p, "nik", "unknown_parameter");
  json_decref(p);
}
END_TEST

/* Runs last: everything the server logged so far holds no NIK searched
 * for (the log names method, path, status and time only). */
START_TEST(no_nik_in_the_servers_log) {
  json_t *j = hits(tok_desk, "", json_pack("{s:s}", "nik", own_nik));
  json_decref(j);
  j = hits(tok_officer, "", json_pack("{s:s}", "nik", other_nik));
  json_decref(j);
  char path[600];
  snprintf(path, sizeof path, "%s/serve.log", srv.dir);
  FILE *f = fopen(path, "r");
  ck_assert_ptr_nonnull(f);
  char line[4096];
  size_t lines = 0, searches = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    lines++;
    searches +=
        strstr(line, "\"method\":\"POST\",\"route\":\"/v1/residents/search\",\"status\":200") !=
        NULL;
    ck_assert_msg(strstr(line, own_nik) == NULL && strstr(line, other_nik) == NULL,
                  "a NIK in the log: %s", line);
  }
  fclose(f);
  ck_assert_uint_gt(lines, 0);
  ck_assert_uint_ge(searches, 2); /* the log is the server's, and it logged the searches */
}
END_TEST

int main(void) {
  Suite *s = suite_create("api_search");
  TCase *tc = tcase_create("search");
  tcase_set_timeout(tc, 300);
  tcase_add_unchecked_fixture(tc, suite_start, suite_stop);
  tcase_add_test(tc, desk_finds_own_resident_by_nik_with_only_what_picks_them);
  tcase_add_test(tc, desk_cannot_find_another_kelurahans_resident);
  tcase_add_test(tc, name_search_is_a_case_insensitive_part_and_pages);
  tcase_add_test(tc, one_audit_row_per_search_without_the_criteria);
  tcase_add_test(tc, bad_criteria_are_named_and_roles_refused);
  tcase_add_test(tc, no_nik_in_the_servers_log);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
