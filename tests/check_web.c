/*
 * The pages' static files over HTTP against the real server (h_web.c): the
 * HTML at / with its asset version, every embedded file at its versioned
 * URL with the right media type and a year's cache, the security headers on
 * every page answer, HEAD, and 404 for unknown files and old versions.
 */
#include "embedded.h"
#include "http.h"
#include "testutil.h"
#include "tu_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct tu_server srv;

static void setup(void) {
  tu_server_start(&srv, 50, 1);
}
static void teardown(void) {
  tu_server_stop(&srv);
}

static void expect_page_headers(const struct tu_resp *r, const char *cache) {
  tu_expect_header(
      r, "Content-Security-Policy",
      "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  tu_expect_header(r, "X-Content-Type-Options", "nosniff");
  tu_expect_header(r, "Referrer-Policy", "no-referrer");
  tu_expect_header(r, "Cache-Control", cache);
}

/* The version the HTML names in its first /assets/ URL, into v. */
static void page_version(char *v, size_t size) {
  struct tu_resp r;
  tu_request(&srv, "GET", "/", NULL, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  const char *a = strstr(r.body, "/assets/");
  ck_assert_ptr_nonnull(a);
  a += strlen("/assets/");
  size_t n = strspn(a, "0123456789");
  ck_assert_uint_gt(n, 0);
  ck_assert_uint_lt(n, size);
  memcpy(v, a, n);
  v[n] = '\0';
  ck_assert_ptr_null(strstr(r.body, "@VERSION@"));
  tu_resp_free(&r);
}

START_TEST(index_is_html_with_headers_and_no_cache) {
  struct tu_resp r;
  tu_request(&srv, "GET", "/", NULL, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  tu_expect_header(&r, "Content-Type", "text/html; charset=utf-8");
  expect_page_headers(&r, "no-cache");
  ck_assert_ptr_nonnull(strstr(r.body, "<html lang=\"id\">"));
  /* no inline script or style: every script names its source */
  ck_assert_ptr_null(strstr(r.body, "<script>"));
  ck_assert_ptr_null(strstr(r.body, "<style"));
  ck_assert_ptr_null(strstr(r.body, "style="));
  ck_assert_ptr_null(strstr(r.body, "http://"));
  ck_assert_ptr_null(strstr(r.body, "https://"));
  tu_resp_free(&r);
}
END_TEST

START_TEST(every_file_is_served_with_its_type_and_a_long_cache) {
  char v[32], path[256];
  page_version(v, sizeof v);
  size_t files = 0;
  for (const struct api_embedded *f = api_web; f->name != NULL; f++) {
    if (strcmp(f->name, "index.html") == 0)
      continue;
    const char *ext = strrchr(f->name, '.');
    ck_assert_ptr_nonnull(ext);
    const char *want = strcmp(ext, ".js") == 0    ? "text/javascript; charset=utf-8"
                       : strcmp(ext, ".css") == 0 ? "text/css; charset=utf-8"
                       : strcmp(ext, ".svg") == 0 ? "image/svg+xml"
                                                  : NULL;
    ck_assert_msg(want != NULL, "api/web/%s has a type the server does not serve", f->name);
    snprintf(path, sizeof path, "/assets/%s/%s", v, f->name);
    struct tu_resp r;
    tu_request(&srv, "GET", path, NULL, NULL, NULL, 0, &r);
    ck_assert_msg(r.status == 200, "%s: %d", path, r.status);
    tu_expect_header(&r, "Content-Type", want);
    expect_page_headers(&r, "public, max-age=31536000, immutable");
    ck_assert_uint_eq(r.body_len, f->len);
    ck_assert_int_eq(memcmp(r.body, f->data, f->len), 0);
    /* nothing is fetched from another host */
    ck_assert_msg(strstr(r.body, "https://") == NULL, "%s names an internet address", f->name);
    /* data reaches the DOM as text only, and no style is set from script
     * (the CSP forbids it); the token is never put in localStorage */
    const char *banned[] = {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                            ".style.",   "eval(",     "new Function",       "localStorage."};
    for (size_t b = 0; b < sizeof banned / sizeof banned[0]; b++)
      ck_assert_msg(strstr(r.body, banned[b]) == NULL, "api/web/%s uses %s", f->name, banned[b]);
    tu_resp_free(&r);
    files++;
  }
  ck_assert_uint_ge(files, 6); /* css, print css, modules, both texts files, icon */
  snprintf(path, sizeof path, "/assets/%s/i18n/id.js", v);
  struct tu_resp r;
  tu_request(&srv, "GET", path, NULL, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  tu_resp_free(&r);
}
END_TEST

START_TEST(head_answers_headers_without_a_body) {
  char v[32], path[256], len[32];
  page_version(v, sizeof v);
  snprintf(path, sizeof path, "/assets/%s/app.js", v);
  struct tu_resp r;
  tu_request_unlogged(&srv, "HEAD", path, &r);
  ck_assert_int_eq(r.status, 200);
  tu_expect_header(&r, "Content-Type", "text/javascript; charset=utf-8");
  expect_page_headers(&r, "public, max-age=31536000, immutable");
  ck_assert(tu_header(&r, "Content-Length", len, sizeof len));
  ck_assert_uint_eq(strtoul(len, NULL, 10), api_embedded_find(api_web, "app.js")->len);
  ck_assert_uint_eq(r.body_len, 0);
  tu_resp_free(&r);
}
END_TEST

/* Every file but index.html has exactly one route, and every route one file. */
START_TEST(every_file_has_a_route_and_every_route_a_file) {
  const struct api_route *routes[256];
  size_t n = api_routes_list(routes, 256);
  const char *prefix = "/assets/{v}/";
  size_t rows = 0;
  for (size_t i = 0; i < n; i++) {
    if (strncmp(routes[i]->pattern, prefix, strlen(prefix)) != 0)
      continue;
    const char *name = routes[i]->pattern + strlen(prefix);
    ck_assert_msg(api_embedded_find(api_web, name) != NULL, "route for %s, which is no file", name);
    rows++;
  }
  size_t files = 0;
  for (const struct api_embedded *f = api_web; f->name != NULL; f++) {
    if (strcmp(f->name, "index.html") == 0)
      continue;
    int found = 0;
    for (size_t i = 0; i < n; i++)
      found += strncmp(routes[i]->pattern, prefix, strlen(prefix)) == 0 &&
               strcmp(routes[i]->pattern + strlen(prefix), f->name) == 0;
    ck_assert_msg(found == 1, "api/web/%s has %d routes in h_web.c", f->name, found);
    files++;
  }
  ck_assert_uint_eq(rows, files);
}
END_TEST

START_TEST(unknown_files_and_old_versions_are_404) {
  char v[32], path[256];
  page_version(v, sizeof v);
  const char *names[] = {"nope.js", "index.html", "../index.html", "i18n/xx.js", "app.js/"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(path, sizeof path, "/assets/%s/%s", v, names[i]);
    struct tu_resp r;
    tu_request_unlogged(&srv, "GET", path, &r);
    ck_assert_msg(r.status == 404, "%s: %d", path, r.status);
    tu_expect_problem(&r, 404, "not-found");
    tu_resp_free(&r);
  }
  /* the same file under another version is not served as today's */
  snprintf(path, sizeof path, "/assets/%s1/app.js", v);
  struct tu_resp r;
  tu_request(&srv, "GET", path, NULL, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 404);
  tu_resp_free(&r);
  tu_request(&srv, "GET", "/assets/1/app.js", NULL, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 404);
  tu_resp_free(&r);
  tu_request_unlogged(&srv, "GET", "/desk", &r);
  ck_assert_int_eq(r.status, 404);
  tu_resp_free(&r);
  /* the API is unchanged next to the pages */
  tu_request_unlogged(&srv, "POST", "/", &r);
  ck_assert_int_eq(r.status, 405);
  tu_resp_free(&r);
}
END_TEST

int main(void) {
  Suite *s = suite_create("web");
  TCase *tc = tcase_create("web");
  tcase_set_timeout(tc, 120);
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_add_test(tc, index_is_html_with_headers_and_no_cache);
  tcase_add_test(tc, every_file_is_served_with_its_type_and_a_long_cache);
  tcase_add_test(tc, head_answers_headers_without_a_body);
  tcase_add_test(tc, every_file_has_a_route_and_every_route_a_file);
  tcase_add_test(tc, unknown_files_and_old_versions_are_404);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
