/*
 * check_oom.c — out of memory through the request path (issue 15, point
 * 7, in part): padan's own allocations (malloc, calloc, realloc in
 * padan_core, wrapped at link time) fail one at a time, the Nth for every
 * N, through one representative request of several routes, on the real
 * server started in this process over a seeded database.  Every answer
 * must be the normal one or a 5xx problem+json, the server must keep
 * answering, and the sanitizers see no crash or leak.  Not covered: the
 * allocations inside SQLite, jansson and libmicrohttpd (shared libraries,
 * which the link-time wrap does not reach).
 */
#include <arpa/inet.h>
#include <check.h>
#include <getopt.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "server.h"
#include "testutil.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
static atomic_long fail_at = -1, allocations;
static atomic_int failed;

/* the test's own thread (Check, the client) never fails: only the
 * server's threads do */
static _Thread_local int exempt;

static int fail_now(void) {
  if (exempt)
    return 0;
  long at = atomic_load(&fail_at);
  if (at < 0 || atomic_fetch_add(&allocations, 1) != at)
    return 0;
  atomic_store(&failed, 1);
  return 1;
}
void *__wrap_malloc(size_t n) {
  return fail_now() ? NULL : __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t size) {
  return fail_now() ? NULL : __real_calloc(n, size);
}
void *__wrap_realloc(void *p, size_t n) {
  return fail_now() ? NULL : __real_realloc(p, n);
}

static char *dir;
static char db[512], key[512], token[256];
static volatile sig_atomic_t stop;
static atomic_int port;
static pthread_t server;

static void on_ready(void *arg, uint16_t p) {
  (void)arg;
  atomic_store(&port, p);
}

static void *serve(void *arg) {
  (void)arg;
  struct api_server_opts o = {.db_path = db, .key_path = key, .threads = 2};
  api_serve(&o, &stop, on_ready, NULL);
  return NULL;
}

/* Sends req on a new connection, reads the answer until the server closes
 * it (every request says Connection: close); the status, -1 for none. */
static int exchange(const char *req, char *out, size_t cap) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atomic_load(&port))};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
  size_t n = strlen(req);
  ck_assert_int_eq(send(fd, req, n, MSG_NOSIGNAL), (ssize_t)n);
  size_t got = 0;
  for (;;) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    ck_assert_msg(poll(&p, 1, 30000) == 1, "no answer in 30 s");
    ssize_t r = recv(fd, out + got, cap - 1 - got, 0);
    if (r <= 0)
      break;
    got += (size_t)r;
    if (got + 1 == cap)
      break;
  }
  out[got] = '\0';
  close(fd);
  int status = -1;
  if (sscanf(out, "HTTP/1.1 %d", &status) != 1)
    return -1;
  return status;
}

static void setup(void) {
  exempt = 1;
  dir = tu_tmpdir();
  char *seed[] = {"padan", "seed", "--data", dir, "--residents", "50", NULL};
  char *demo[] = {"padan", "user", "demo", "--data", dir, NULL};
  ck_assert_int_eq(cli_main(6, seed), 0);
  ck_assert_int_eq(cli_main(5, demo), 0);
  snprintf(db, sizeof db, "%s/padan.db", dir);
  snprintf(key, sizeof key, "%s/token.key", dir);
  log_set_quiet(1);
  signal(SIGPIPE, SIG_IGN);
  ck_assert_int_eq(pthread_create(&server, NULL, serve, NULL), 0);
  while (atomic_load(&port) == 0)
    usleep(10000);
  char creds[600], req[512], reply[16384], body[160];
  snprintf(creds, sizeof creds, "%s/demo-credentials.json", dir);
  json_t *all = json_load_file(creds, 0, NULL);
  const char *pw = json_string_value(json_object_get(json_array_get(all, 1), "password"));
  const char *user = json_string_value(json_object_get(json_array_get(all, 1), "username"));
  int blen = snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, pw);
  snprintf(req, sizeof req,
           "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Content-Length: %d\r\nConnection: close\r\n\r\n%s",
           blen, body);
  json_decref(all);
  ck_assert_int_eq(exchange(req, reply, sizeof reply), 200);
  json_t *j = json_loads(strstr(reply, "\r\n\r\n") + 4, 0, NULL);
  snprintf(token, sizeof token, "%s", json_string_value(json_object_get(j, "token")));
  json_decref(j);
}

static void teardown(void) {
  stop = 1;
  pthread_join(server, NULL);
  tu_rmtree(dir);
  free(dir);
}

/* One request per route, as an officer. */
static const struct {
  const char *method, *path, *body;
  int status; /* the answer without a failure */
} reqs[] = {
    {"GET", "/v1/me", NULL, 200},
    {"GET", "/v1/residents?limit=5", NULL, 200},
    {"GET", "/v1/residents/3", NULL, 200},
    {"GET", "/v1/residents/3/history", NULL, 200},
    {"GET", "/v1/vacancies?limit=5", NULL, 200},
    {"GET", "/v1/vacancies/1/candidates?limit=5", NULL, 200},
    {"GET", "/v1/residents/4/recommendations", NULL, 200},
    {"GET", "/v1/kelurahan", NULL, 200},
    {"GET", "/v1/courses?limit=5", NULL, 200},
    {"GET", "/v1/reports/funnel", NULL, 200},
    {"PATCH", "/v1/residents/5", "{\"phone\":\"0812-0000-0001\",\"reason\":\"oom\"}", 200},
    {"GET", "/metrics", NULL, 200},
};

START_TEST(every_allocation_fails_in_turn) {
  char req[1024], reply[65536];
  const char *m = reqs[_i].method, *path = reqs[_i].path, *body = reqs[_i].body;
  long n;
  for (n = 0;; n++) {
    /* the PATCH changes its phone each time, so that it always writes */
    char b[128];
    if (body != NULL)
      snprintf(b, sizeof b, "{\"phone\":\"0812-%04ld-%04d\",\"reason\":\"oom\"}", n % 10000, _i);
    snprintf(req, sizeof req,
             "%s %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nConnection: close\r\n"
             "%s%s%s%s",
             m, path, token, body != NULL ? "Content-Type: application/json\r\n" : "",
             body != NULL ? "Content-Length: " : "\r\n", "", "");
    if (body != NULL) {
      size_t len = strlen(req);
      snprintf(req + len, sizeof req - len, "%zu\r\n\r\n%s", strlen(b), b);
    }
    atomic_store(&failed, 0);
    atomic_store(&allocations, 0);
    atomic_store(&fail_at, n);
    int st = exchange(req, reply, sizeof reply);
    atomic_store(&fail_at, -1);
    int hit = atomic_load(&failed);
    if (!hit) {
      ck_assert_msg(st == reqs[_i].status, "%s %s: %d without a failure", m, path, st);
      break;
    }
    ck_assert_msg(st == reqs[_i].status || (st >= 500 && st <= 599) || st == -1,
                  "%s %s, allocation %ld failed: %d\n%.300s", m, path, n, st, reply);
    if (st >= 500)
      ck_assert_msg(strstr(reply, "application/problem+json") != NULL, "%s %s, %ld: %.300s", m,
                    path, n, reply);
    /* still serving */
    ck_assert_int_eq(exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                              reply, sizeof reply),
                     200);
  }
  fprintf(stderr, "%s %s: %ld allocations failed in turn\n", m, path, n);
}
END_TEST

int main(void) {
  /* the server runs in this process: the test must too, or the counters
   * it sets would be a forked child's */
  setenv("CK_FORK", "no", 1);
  Suite *s = suite_create("oom");
  TCase *tc = tcase_create("requests");
  tcase_set_timeout(tc, 900);
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_add_loop_test(tc, every_allocation_fails_in_turn, 0, sizeof reqs / sizeof reqs[0]);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
