/*
 * The per-process token cache (core/tokencache.c) and what the server does
 * with it: a token seen once is served from the cache, and every
 * revocation reaches it at once — the very next request after a logout,
 * and after `padan user disable` run by another process while the server
 * runs, is 401.  The unit steps check the cache alone: hits and misses by
 * key and time, a clear, a value computed before a clear that must not be
 * stored after it, and the revocation file.
 */
#include "testutil.h"
#include "tu_http.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tokencache.h"

struct value {
  int64_t user_id;
  char name[16];
};

START_TEST(cache_hits_misses_clears_and_revocation_file) {
  char *dir = tu_tmpdir(), path[600];
  snprintf(path, sizeof path, "%s/padan.db-revoked", dir);
  struct tokencache *c;
  ck_assert_int_eq(tokencache_create(path, sizeof(struct value), &c), 0);
  uint8_t k1[TOKENCACHE_KEY_BYTES] = {1, 2, 3}, k2[TOKENCACHE_KEY_BYTES] = {1, 2, 4};
  struct value v = {7, "ani"}, got;
  uint64_t gen;
  ck_assert_int_eq(tokencache_get(c, k1, 100, &got, &gen), 0);
  tokencache_put(c, gen, k1, 160, &v);
  ck_assert_int_eq(tokencache_get(c, k1, 159, &got, &gen), 1);
  ck_assert_int_eq(got.user_id, 7);
  ck_assert_str_eq(got.name, "ani");
  ck_assert_int_eq(tokencache_get(c, k1, 160, &got, &gen), 0); /* valid_until is exclusive */
  ck_assert_int_eq(tokencache_get(c, k2, 100, &got, &gen), 0); /* another key */

  tokencache_clear(c);
  ck_assert_int_eq(tokencache_get(c, k1, 100, &got, &gen), 0);

  /* looked up before a clear, stored after it: dropped */
  ck_assert_int_eq(tokencache_get(c, k1, 100, &got, &gen), 0);
  tokencache_clear(c);
  tokencache_put(c, gen, k1, 160, &v);
  ck_assert_int_eq(tokencache_get(c, k1, 100, &got, &gen), 0);

  /* another process writes the revocation file: the next lookup misses */
  tokencache_put(c, gen, k1, 160, &v);
  ck_assert_int_eq(tokencache_get(c, k1, 100, &got, &gen), 1);
  ck_assert_int_eq(tokencache_notify(path), 0);
  ck_assert_int_eq(tokencache_get(c, k1, 100, &got, &gen), 0);
  tokencache_put(c, gen, k1, 160, &v);
  ck_assert_int_eq(tokencache_get(c, k1, 100, &got, &gen), 1);
  ck_assert_int_eq(tokencache_notify(path), 0);
  ck_assert_int_eq(tokencache_get(c, k1, 100, &got, &gen), 0);
  tokencache_free(c);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

static int get_status(struct tu_server *s, const char *token) {
  struct tu_resp r;
  tu_request(s, "GET", "/v1/residents/1", token, NULL, NULL, 0, &r);
  int status = r.status;
  tu_resp_free(&r);
  return status;
}

START_TEST(next_request_after_logout_or_disable_is_401) {
  struct tu_server s;
  tu_server_start(&s, 20, 3);
  char *token = tu_login(&s, "officer");
  ck_assert_int_eq(get_status(&s, token), 200);
  ck_assert_int_eq(get_status(&s, token), 200); /* now from the cache */
  struct tu_resp r;
  tu_request(&s, "POST", "/v1/auth/logout", token, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 204);
  tu_resp_free(&r);
  ck_assert_int_eq(get_status(&s, token), 401);
  free(token);

  /* disabled by another process while the server runs */
  token = tu_login(&s, "officer");
  ck_assert_int_eq(get_status(&s, token), 200);
  ck_assert_int_eq(get_status(&s, token), 200);
  pid_t pid = fork();
  if (pid == 0) {
    execl(PADAN_BIN, "padan", "user", "disable", tu_demo(&s, "officer", "username"), "--data",
          s.dir, (char *)NULL);
    _exit(127);
  }
  int st;
  ck_assert_int_eq(waitpid(pid, &st, 0), pid);
  ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  ck_assert_int_eq(get_status(&s, token), 401);
  free(token);
  tu_server_stop(&s);
}
END_TEST

static Suite *tokencache_suite(void) {
  Suite *suite = suite_create("tokencache");
  TCase *t = tcase_create("tokencache");
  tcase_set_timeout(t, 600);
  tcase_add_test(t, cache_hits_misses_clears_and_revocation_file);
  tcase_add_test(t, next_request_after_logout_or_disable_is_401);
  suite_add_tcase(suite, t);
  return suite;
}

int main(void) {
  return tu_run_suite(tokencache_suite());
}
