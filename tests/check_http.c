/*
 * check_http.c — the real server end to end.  Seeds a small database with
 * `padan seed`, creates the demo accounts with `padan user demo`, starts
 * `padan serve` on a free loopback port as a child process and talks HTTP/1.1
 * to it over plain sockets with the client parts of tests/tu_http.c.  Each test is one
 * labelled step and states the status it expects.  The server is started
 * once for the suite (an unchecked fixture) and stopped with SIGTERM, which
 * must end it cleanly.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "tu_http.h"

#define RESIDENTS 2000
#define BODY_CAP (64 * 1024)

static char *data_dir;
static uint16_t port;
static pid_t server = -1;
static json_t *demo; /* the demo credentials file, parsed */

/* ---- Requests (the client is tests/tu_http.c) --------------------------------- */

static void format_request(char *out, size_t size, const char *method, const char *path,
                           const char *token, const char *content_type, size_t body_len,
                           const char *extra) {
  char auth[128] = "", ctype[128] = "";
  if (token != NULL)
    snprintf(auth, sizeof auth, "Authorization: Bearer %s\r\n", token);
  if (content_type != NULL)
    snprintf(ctype, sizeof ctype, "Content-Type: %s\r\n", content_type);
  int n = snprintf(out, size, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n%s%s%s", method, path,
                   (unsigned)port, auth, ctype, extra != NULL ? extra : "");
  ck_assert(n > 0 && (size_t)n < size);
  if (body_len > 0 || strcmp(method, "POST") == 0)
    snprintf(out + n, size - (size_t)n, "Content-Length: %zu\r\n\r\n", body_len);
  else
    snprintf(out + n, size - (size_t)n, "\r\n");
}

/* One request on a fresh connection; body may be NULL. */
static void request(const char *method, const char *path, const char *token, const char *body,
                    struct tu_resp *r) {
  char head[1024];
  size_t blen = body != NULL ? strlen(body) : 0;
  format_request(head, sizeof head, method, path, token, body != NULL ? "application/json" : NULL,
                 blen, NULL);
  int fd = tu_dial(port);
  ck_assert_msg(fd >= 0, "cannot connect to port %u", (unsigned)port);
  tu_send_all(fd, head, strlen(head));
  tu_send_all(fd, body, blen);
  ck_assert_msg(tu_read_response(fd, strcmp(method, "HEAD") == 0, r) == 0, "%s %s: no response",
                method, path);
  close(fd);
}

/* The body as JSON (the caller json_decref's it); fails the test if not. */
static json_t *body_json(const struct tu_resp *r) {
  json_error_t e;
  json_t *j = json_loads(r->body, 0, &e);
  ck_assert_msg(j != NULL, "not JSON (%s): %s", e.text, r->body);
  return j;
}

static void expect_problem(const struct tu_resp *r, int status, const char *code) {
  char ct[128];
  ck_assert_msg(r->status == status, "status %d, expected %d: %s", r->status, status, r->body);
  ck_assert(tu_header(r, "Content-Type", ct, sizeof ct));
  ck_assert_str_eq(ct, "application/problem+json");
  json_t *j = body_json(r);
  ck_assert_int_eq(json_integer_value(json_object_get(j, "status")), status);
  ck_assert_str_eq(json_string_value(json_object_get(j, "code")), code);
  ck_assert_ptr_nonnull(json_string_value(json_object_get(j, "detail")));
  ck_assert_ptr_nonnull(json_string_value(json_object_get(j, "detail_id")));
  json_decref(j);
}

/* ---- Demo accounts ----------------------------------------------------------- */

static const char *demo_field(const char *role, const char *field) {
  size_t i;
  json_t *acct;
  json_array_foreach(demo, i, acct) {
    if (strcmp(json_string_value(json_object_get(acct, "role")), role) == 0)
      return json_string_value(json_object_get(acct, field));
  }
  ck_abort_msg("no demo account with role %s", role);
  return NULL;
}

static char *login_body(const char *username, const char *password) {
  json_t *j = json_pack("{s:s, s:s}", "username", username, "password", password);
  char *s = json_dumps(j, JSON_COMPACT);
  json_decref(j);
  ck_assert_ptr_nonnull(s);
  return s;
}

/* Logs in as the demo account of role; returns the token (caller frees). */
static char *login_as(const char *role) {
  struct tu_resp r;
  char *body = login_body(demo_field(role, "username"), demo_field(role, "password"));
  request("POST", "/v1/auth/login", NULL, body, &r);
  free(body);
  ck_assert_msg(r.status == 200, "login as %s: %d %s", role, r.status, r.body);
  json_t *j = body_json(&r);
  const char *token = json_string_value(json_object_get(j, "token"));
  ck_assert_ptr_nonnull(token);
  ck_assert_uint_eq(strlen(token), 43);
  ck_assert_str_eq(json_string_value(json_object_get(j, "token_type")), "Bearer");
  char *copy = strdup(token);
  json_decref(j);
  tu_resp_free(&r);
  return copy;
}

/* ---- Server lifecycle (unchecked fixture) -------------------------------------- */

/* Runs PADAN_BIN with argv, output appended to DIR/cli.log; returns the
 * exit status (or -1). */
static int run_padan(char *const argv[]) {
  char log[600];
  snprintf(log, sizeof log, "%s/cli.log", data_dir);
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    execv(PADAN_BIN, argv);
    _exit(127);
  }
  int st;
  if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
    return -1;
  return WEXITSTATUS(st);
}

static uint16_t free_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
      getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
    fprintf(stderr, "check_http: cannot find a free port\n");
    exit(1);
  }
  close(fd);
  return ntohs(sa.sin_port);
}

static void die_with_log(const char *why) {
  char cmd[700];
  fprintf(stderr, "check_http: %s; logs follow\n", why);
  snprintf(cmd, sizeof cmd, "cat %s/cli.log %s/serve.log 1>&2", data_dir, data_dir);
  if (system(cmd) != 0)
    fprintf(stderr, "(no logs)\n");
  if (server > 0)
    kill(server, SIGKILL);
  exit(1);
}

static void server_start(void) {
  char dir_arg[512], n_arg[16], port_arg[8], log[600], creds[600];
  data_dir = tu_tmpdir();
  snprintf(dir_arg, sizeof dir_arg, "%s", data_dir);
  snprintf(n_arg, sizeof n_arg, "%d", RESIDENTS);
  char *seed[] = {"padan", "seed", "--data", dir_arg, "--residents", n_arg, "--seed", "7", NULL};
  if (run_padan(seed) != 0)
    die_with_log("padan seed failed");
  char *users[] = {"padan", "user", "demo", "--data", dir_arg, NULL};
  if (run_padan(users) != 0)
    die_with_log("padan user demo failed");

  snprintf(creds, sizeof creds, "%s/demo-credentials.json", data_dir);
  struct stat st;
  if (stat(creds, &st) != 0 || (st.st_mode & 0777) != 0600)
    die_with_log("demo-credentials.json is missing or not mode 0600");
  json_error_t e;
  demo = json_load_file(creds, JSON_REJECT_DUPLICATES, &e);
  if (!json_is_array(demo) || json_array_size(demo) < 4)
    die_with_log("demo-credentials.json is not an array of four or more accounts");

  port = free_port();
  snprintf(port_arg, sizeof port_arg, "%u", (unsigned)port);
  snprintf(log, sizeof log, "%s/serve.log", data_dir);
  server = fork();
  if (server == 0) {
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    execl(PADAN_BIN, "padan", "serve", "--data", dir_arg, "--port", port_arg, (char *)NULL);
    _exit(127);
  }
  if (server < 0)
    die_with_log("fork failed");
  /* Ready when /healthz answers; the child must not have died meanwhile. */
  for (int i = 0; i < 600; i++) {
    int st2;
    if (waitpid(server, &st2, WNOHANG) == server) {
      server = -1;
      die_with_log("padan serve exited early");
    }
    int fd = tu_dial(port);
    if (fd >= 0) {
      static const char ping[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
      struct tu_resp r;
      tu_send_all(fd, ping, sizeof ping - 1);
      int ok = tu_read_response(fd, 0, &r) == 0 && r.status == 200;
      tu_resp_free(&r);
      close(fd);
      if (ok)
        return;
    }
    struct timespec t = {0, 100 * 1000 * 1000};
    nanosleep(&t, NULL);
  }
  die_with_log("padan serve did not answer /healthz within 60 s");
}

static void server_stop(void) {
  int st = 0;
  if (server > 0) {
    kill(server, SIGTERM);
    if (waitpid(server, &st, 0) != server || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
      die_with_log("padan serve did not exit cleanly on SIGTERM");
  }
  json_decref(demo);
  tu_rmtree(data_dir);
  free(data_dir);
}

/* ---- Steps ------------------------------------------------------------------------ */

START_TEST(healthz_200) {
  struct tu_resp r;
  request("GET", "/healthz", NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  json_t *j = body_json(&r);
  ck_assert_str_eq(json_string_value(json_object_get(j, "status")), "ok");
  json_decref(j);
  tu_resp_free(&r);
  request("HEAD", "/healthz", NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_uint_eq(r.body_len, 0);
  tu_resp_free(&r);
}
END_TEST

START_TEST(keep_alive_serves_two_requests_on_one_connection) {
  char req[512];
  struct tu_resp r;
  format_request(req, sizeof req, "GET", "/healthz", NULL, NULL, 0, NULL);
  int fd = tu_dial(port);
  ck_assert_int_ge(fd, 0);
  for (int i = 0; i < 2; i++) {
    tu_send_all(fd, req, strlen(req));
    ck_assert_msg(tu_read_response(fd, 0, &r) == 0, "request %d got no answer", i + 1);
    ck_assert_int_eq(r.status, 200);
    char conn[32];
    ck_assert(!tu_header(&r, "Connection", conn, sizeof conn) || strcasecmp(conn, "close") != 0);
    tu_resp_free(&r);
  }
  close(fd);
}
END_TEST

START_TEST(login_wrong_password_401) {
  struct tu_resp r;
  char *body = login_body(demo_field("officer", "username"), "salah-sama-sekali");
  request("POST", "/v1/auth/login", NULL, body, &r);
  expect_problem(&r, 401, "login-failed");
  ck_assert_ptr_null(strstr(r.body, "token\""));
  tu_resp_free(&r);
  free(body);
}
END_TEST

START_TEST(login_then_me_200) {
  struct tu_resp r;
  char *token = login_as("officer");
  request("GET", "/v1/me", token, NULL, &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  json_t *j = body_json(&r);
  ck_assert_str_eq(json_string_value(json_object_get(j, "role")), "officer");
  ck_assert_str_eq(json_string_value(json_object_get(j, "username")),
                   demo_field("officer", "username"));
  ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "scope"), "kind")), "city");
  const char *exp = json_string_value(json_object_get(j, "token_expires_at"));
  ck_assert_ptr_nonnull(exp);
  ck_assert_uint_eq(strlen(exp), 20);
  json_decref(j);
  tu_resp_free(&r);
  free(token);
}
END_TEST

START_TEST(me_without_or_with_bad_token_401) {
  struct tu_resp r;
  char www[128];
  request("GET", "/v1/me", NULL, NULL, &r);
  expect_problem(&r, 401, "unauthenticated");
  ck_assert(tu_header(&r, "WWW-Authenticate", www, sizeof www));
  ck_assert_int_eq(strncmp(www, "Bearer", 6), 0);
  tu_resp_free(&r);
  request("GET", "/v1/me", "garbage", NULL, &r);
  expect_problem(&r, 401, "unauthenticated");
  tu_resp_free(&r);
  request("GET", "/v1/me", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, &r);
  expect_problem(&r, 401, "unauthenticated");
  tu_resp_free(&r);
  /* A token is accepted from the Authorization header only, never the URL. */
  char *token = login_as("officer");
  char path[128];
  snprintf(path, sizeof path, "/v1/me?access_token=%s", token);
  request("GET", path, NULL, NULL, &r);
  expect_problem(&r, 401, "unauthenticated");
  tu_resp_free(&r);
  free(token);
}
END_TEST

START_TEST(kelurahan_lists_104_with_consistent_counts) {
  struct tu_resp r;
  char *token = login_as("desk");
  request("GET", "/v1/kelurahan", token, NULL, &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  json_t *j = body_json(&r);
  json_t *items = json_object_get(j, "items");
  ck_assert_uint_eq(json_array_size(items), 104);
  ck_assert_int_eq(json_integer_value(json_object_get(j, "total")), 104);
  long long residents = 0;
  double min_priority_index = 101, max_other_index = -1;
  int priority = 0;
  const char *prev = "";
  size_t i;
  json_t *k;
  json_array_foreach(items, i, k) {
    const char *code = json_string_value(json_object_get(k, "code"));
    ck_assert_ptr_nonnull(code);
    ck_assert_msg(strcmp(prev, code) < 0, "codes not sorted and unique: %s then %s", prev, code);
    prev = code;
    ck_assert_int_eq(strncmp(code, "36.71.", 6), 0);
    json_t *kec = json_object_get(k, "kecamatan");
    ck_assert_int_eq(strncmp(code, json_string_value(json_object_get(kec, "code")), 8), 0);
    ck_assert_ptr_nonnull(json_string_value(json_object_get(k, "name")));
    json_t *c = json_object_get(k, "counts");
    long long n = json_integer_value(json_object_get(c, "residents"));
    long long poor = json_integer_value(json_object_get(c, "poor"));
    long long neet = json_integer_value(json_object_get(c, "neet"));
    ck_assert(n >= 0 && poor >= 0 && neet >= 0 && poor <= n && neet <= n);
    residents += n;
    ck_assert_int_le(json_integer_value(json_object_get(c, "extreme_poor")), poor);
    /* Unless pinned, priority goes to the kelurahan with the highest index. */
    int flag = json_is_true(json_object_get(k, "priority"));
    double index = json_number_value(json_object_get(k, "priority_index"));
    ck_assert(index >= 0 && index <= 100);
    priority += flag;
    if (strcmp(json_string_value(json_object_get(k, "priority_source")), "index") == 0) {
      if (flag && index < min_priority_index)
        min_priority_index = index;
      if (!flag && index > max_other_index)
        max_other_index = index;
    }
  }
  ck_assert_int_eq(residents, RESIDENTS);
  ck_assert_int_gt(priority, 0);
  ck_assert_int_lt(priority, 104);
  ck_assert_msg(min_priority_index >= max_other_index,
                "a priority kelurahan has a lower index (%g) than a non-priority one (%g)",
                min_priority_index, max_other_index);
  json_decref(j);
  tu_resp_free(&r);
  free(token);
}
END_TEST

START_TEST(logout_204_then_token_401) {
  struct tu_resp r;
  char *token = login_as("admin");
  request("GET", "/v1/me", token, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  tu_resp_free(&r);
  request("POST", "/v1/auth/logout", token, NULL, &r);
  ck_assert_msg(r.status == 204, "%d %s", r.status, r.body);
  tu_resp_free(&r);
  request("GET", "/v1/me", token, NULL, &r);
  expect_problem(&r, 401, "unauthenticated");
  tu_resp_free(&r);
  request("POST", "/v1/auth/logout", token, NULL, &r);
  expect_problem(&r, 401, "unauthenticated");
  tu_resp_free(&r);
  free(token);
}
END_TEST

START_TEST(unknown_path_404) {
  static const char *const paths[] = {"/nope",   "/v1",   "/v1/me/", "/v1/kelurahan/abc",
                                      "//v1/me", "/V1/ME"};
  struct tu_resp r;
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
    request("GET", paths[i], NULL, NULL, &r);
    expect_problem(&r, 404, "not-found");
    tu_resp_free(&r);
  }
}
END_TEST

START_TEST(wrong_method_405_with_allow) {
  struct tu_resp r;
  char allow[128];
  request("DELETE", "/v1/me", NULL, NULL, &r);
  expect_problem(&r, 405, "method-not-allowed");
  ck_assert(tu_header(&r, "Allow", allow, sizeof allow));
  ck_assert_str_eq(allow, "GET, HEAD");
  tu_resp_free(&r);
  request("GET", "/v1/auth/login", NULL, NULL, &r);
  expect_problem(&r, 405, "method-not-allowed");
  ck_assert(tu_header(&r, "Allow", allow, sizeof allow));
  ck_assert_str_eq(allow, "POST");
  tu_resp_free(&r);
}
END_TEST

START_TEST(oversized_body_413) {
  struct tu_resp r;
  char head[1024];
  /* Declared too large: answered as soon as the headers arrive. */
  format_request(head, sizeof head, "POST", "/v1/auth/login", NULL, "application/json",
                 BODY_CAP + 1, NULL);
  int fd = tu_dial(port);
  ck_assert_int_ge(fd, 0);
  tu_send_all(fd, head, strlen(head));
  tu_send_all(fd, "{\"username\":\"", 13);
  ck_assert(tu_read_response(fd, 0, &r) == 0);
  expect_problem(&r, 413, "body-too-large");
  tu_resp_free(&r);
  close(fd);

  /* Chunked, so only the arriving bytes show it: the server stops reading
   * at the cap and closes the connection (MHD 0.9.75 cannot answer
   * mid-upload); no reply, and nothing past the cap is read. */
  fd = tu_dial(port);
  ck_assert_int_ge(fd, 0);
  snprintf(head, sizeof head,
           "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Transfer-Encoding: chunked\r\n\r\n");
  tu_send_all(fd, head, strlen(head));
  char chunk[4096 + 16];
  memset(chunk, 'a', sizeof chunk);
  memcpy(chunk, "1000\r\n", 6);
  memcpy(chunk + 6 + 4096, "\r\n", 2);
  for (int i = 0; i < 17; i++) /* 17 × 4 KiB > 64 KiB */
    tu_send_all(fd, chunk, 6 + 4096 + 2);
  tu_send_all(fd, "0\r\n\r\n", 5);
  ck_assert(tu_read_response(fd, 0, &r) != 0);
  tu_resp_free(&r);
  close(fd);
}
END_TEST

START_TEST(malformed_json_400) {
  static const char *const bodies[] = {
      "{\"username\": \"a\",", "[1, 2]", "\"text\"",
      "{\"username\":\"a\",\"username\":\"b\",\"password\":\"c\"}"};
  struct tu_resp r;
  for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
    request("POST", "/v1/auth/login", NULL, bodies[i], &r);
    expect_problem(&r, 400, "malformed-json");
    tu_resp_free(&r);
  }
}
END_TEST

START_TEST(unknown_field_and_bad_types_400_name_every_field) {
  struct tu_resp r;
  request("POST", "/v1/auth/login", NULL,
          "{\"username\": \"ani\", \"password\": 12, \"remember_me\": true}", &r);
  expect_problem(&r, 400, "invalid-input");
  json_t *j = body_json(&r);
  json_t *errors = json_object_get(j, "errors");
  ck_assert_uint_eq(json_array_size(errors), 2);
  json_t *e0 = json_array_get(errors, 0), *e1 = json_array_get(errors, 1);
  ck_assert_str_eq(json_string_value(json_object_get(e0, "field")), "password");
  ck_assert_str_eq(json_string_value(json_object_get(e0, "code")), "type");
  ck_assert_str_eq(json_string_value(json_object_get(e1, "field")), "remember_me");
  ck_assert_str_eq(json_string_value(json_object_get(e1, "code")), "unknown_field");
  ck_assert_ptr_nonnull(json_string_value(json_object_get(e1, "detail_id")));
  ck_assert_ptr_nonnull(json_string_value(json_object_get(e1, "detail_en")));
  json_decref(j);
  tu_resp_free(&r);

  request("POST", "/v1/auth/login", NULL, "{}", &r);
  expect_problem(&r, 400, "invalid-input");
  ck_assert_ptr_nonnull(strstr(r.body, "\"field\":\"username\""));
  ck_assert_ptr_nonnull(strstr(r.body, "\"field\":\"password\""));
  tu_resp_free(&r);

  /* A route without a body spec takes no fields either. */
  char *token = login_as("officer");
  request("POST", "/v1/auth/logout", token, "{\"all\": true}", &r);
  expect_problem(&r, 400, "invalid-input");
  tu_resp_free(&r);
  free(token);
}
END_TEST

START_TEST(body_must_be_application_json_415) {
  char head[512];
  struct tu_resp r;
  static const char body[] = "{\"username\":\"a\",\"password\":\"b\"}";
  format_request(head, sizeof head, "POST", "/v1/auth/login", NULL, "text/plain", sizeof body - 1,
                 NULL);
  int fd = tu_dial(port);
  ck_assert_int_ge(fd, 0);
  tu_send_all(fd, head, strlen(head));
  tu_send_all(fd, body, sizeof body - 1);
  ck_assert(tu_read_response(fd, 0, &r) == 0);
  expect_problem(&r, 415, "unsupported-media-type");
  tu_resp_free(&r);
  close(fd);
}
END_TEST

START_TEST(every_demo_role_logs_in) {
  static const char *const roles[] = {"admin", "officer", "employer", "desk"};
  static const char *const scopes[] = {"system", "city", "employer", "kelurahan"};
  struct tu_resp r;
  for (size_t i = 0; i < 4; i++) {
    char *token = login_as(roles[i]);
    request("GET", "/v1/me", token, NULL, &r);
    ck_assert_msg(r.status == 200, "%s: %d %s", roles[i], r.status, r.body);
    json_t *j = body_json(&r);
    ck_assert_str_eq(json_string_value(json_object_get(j, "role")), roles[i]);
    json_t *scope = json_object_get(j, "scope");
    ck_assert_str_eq(json_string_value(json_object_get(scope, "kind")), scopes[i]);
    if (i == 2)
      ck_assert_int_gt(json_integer_value(json_object_get(scope, "employer_id")), 0);
    if (i == 3)
      ck_assert_int_gt(json_integer_value(json_object_get(scope, "kelurahan_id")), 0);
    json_decref(j);
    tu_resp_free(&r);
    free(token);
  }
}
END_TEST

START_TEST(repeated_failures_429_with_retry_after) {
  struct tu_resp r;
  char *body = login_body("tidak-ada-orangnya", "tebakan");
  for (int i = 0; i < 5; i++) {
    request("POST", "/v1/auth/login", NULL, body, &r);
    expect_problem(&r, 401, "login-failed");
    tu_resp_free(&r);
  }
  request("POST", "/v1/auth/login", NULL, body, &r);
  expect_problem(&r, 429, "too-many-attempts");
  char retry[32];
  ck_assert(tu_header(&r, "Retry-After", retry, sizeof retry));
  long s = strtol(retry, NULL, 10);
  ck_assert(s > 0 && s <= 300);
  tu_resp_free(&r);
  free(body);
}
END_TEST

START_TEST(log_holds_no_password_or_token) {
  char *token = login_as("employer");
  struct tu_resp r;
  request("GET", "/v1/me?x=1", token, NULL, &r);
  ck_assert_int_eq(r.status, 400); /* x is no parameter of /v1/me */
  tu_resp_free(&r);
  char path[600];
  snprintf(path, sizeof path, "%s/serve.log", data_dir);
  FILE *fp = fopen(path, "r");
  ck_assert_ptr_nonnull(fp);
  char line[1024];
  int lines = 0, saw_me = 0;
  while (fgets(line, sizeof line, fp) != NULL) {
    lines++;
    ck_assert_msg(strstr(line, token) == NULL, "token in log: %s", line);
    for (size_t i = 0; i < json_array_size(demo); i++) {
      const char *pw = json_string_value(json_object_get(json_array_get(demo, i), "password"));
      ck_assert_msg(strstr(line, pw) == NULL, "password in log: %s", line);
    }
    ck_assert_msg(strstr(line, "x=1") == NULL, "query string in log: %s", line);
    saw_me += strstr(line, "\"method\":\"GET\",\"route\":\"/v1/me\"") != NULL;
  }
  fclose(fp);
  ck_assert_int_gt(lines, 10);
  ck_assert_int_gt(saw_me, 0);
  free(token);
}
END_TEST

static Suite *http_suite(void) {
  Suite *s = suite_create("http");
  TCase *tc = tcase_create("server");
  tcase_add_unchecked_fixture(tc, server_start, server_stop);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, healthz_200);
  tcase_add_test(tc, keep_alive_serves_two_requests_on_one_connection);
  tcase_add_test(tc, login_wrong_password_401);
  tcase_add_test(tc, login_then_me_200);
  tcase_add_test(tc, me_without_or_with_bad_token_401);
  tcase_add_test(tc, kelurahan_lists_104_with_consistent_counts);
  tcase_add_test(tc, logout_204_then_token_401);
  tcase_add_test(tc, unknown_path_404);
  tcase_add_test(tc, wrong_method_405_with_allow);
  tcase_add_test(tc, oversized_body_413);
  tcase_add_test(tc, malformed_json_400);
  tcase_add_test(tc, unknown_field_and_bad_types_400_name_every_field);
  tcase_add_test(tc, body_must_be_application_json_415);
  tcase_add_test(tc, every_demo_role_logs_in);
  tcase_add_test(tc, repeated_failures_429_with_retry_after);
  tcase_add_test(tc, log_holds_no_password_or_token);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  return tu_run_suite(http_suite());
}
