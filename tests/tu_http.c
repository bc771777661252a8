/*
 * The real server and a small HTTP client for integration tests (see
 * tu_http.h).
 */
#include "tu_http.h"

#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Employer tokens handed out by tu_login, whose responses are logged. */
#define MAX_EMPLOYER_TOKENS 16
static char employer_tokens[MAX_EMPLOYER_TOKENS][64];
static size_t n_employer_tokens;

int tu_dial(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ck_assert_int_ge(fd, 0);
  struct timeval tv = {.tv_sec = 120};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

void tu_send_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;
    buf += n;
    len -= (size_t)n;
  }
}

int tu_header(const struct tu_resp *r, const char *name, char *out, size_t size) {
  size_t nlen = strlen(name);
  for (const char *line = strstr(r->head, "\r\n"); line != NULL && line[2] != '\0';
       line = strstr(line + 2, "\r\n")) {
    const char *h = line + 2;
    if (strncasecmp(h, name, nlen) == 0 && h[nlen] == ':') {
      const char *v = h + nlen + 1;
      while (*v == ' ')
        v++;
      snprintf(out, size, "%.*s", (int)strcspn(v, "\r"), v);
      return 1;
    }
  }
  return 0;
}

int tu_read_response(int fd, int head_request, struct tu_resp *r) {
  memset(r, 0, sizeof *r);
  size_t used = 0;
  while (strstr(r->head, "\r\n\r\n") == NULL) {
    if (used + 1 >= sizeof r->head)
      return -1;
    ssize_t n = recv(fd, r->head + used, 1, 0);
    if (n <= 0)
      return -1;
    used += (size_t)n;
    r->head[used] = '\0';
  }
  if (sscanf(r->head, "HTTP/1.%*d %d", &r->status) != 1)
    return -1;
  char cl[32];
  int has_length = tu_header(r, "Content-Length", cl, sizeof cl);
  int no_body = head_request || r->status == 204 || r->status == 304;
  size_t want = has_length ? (size_t)strtoull(cl, NULL, 10) : 0;
  size_t cap = no_body ? 1 : has_length ? want + 1 : 1 << 24;
  r->body = malloc(cap);
  ck_assert_ptr_nonnull(r->body);
  while (!no_body && (!has_length || r->body_len < want) && r->body_len + 1 < cap) {
    ssize_t n = recv(fd, r->body + r->body_len, (has_length ? want : cap - 1) - r->body_len, 0);
    if (n <= 0) {
      if (has_length)
        return -1;
      break;
    }
    r->body_len += (size_t)n;
  }
  r->body[r->body_len] = '\0';
  return 0;
}

static int is_employer_token(const char *token) {
  for (size_t i = 0; token != NULL && i < n_employer_tokens; i++)
    if (strcmp(employer_tokens[i], token) == 0)
      return 1;
  return 0;
}

/* Appends line as one line of JSON to file. */
static void append_line(const char *file, json_t *line) {
  char *text = line != NULL ? json_dumps(line, JSON_COMPACT) : NULL;
  ck_assert_msg(text != NULL, "cannot log a response");
  /* Tests run in parallel and append to the same file: each line goes out
   * in one write() on an O_APPEND descriptor, which Linux never interleaves
   * with another writer's, where stdio would split a long line. */
  size_t len = strlen(text);
  text[len] = '\n'; /* replaces the terminator; the length is known */
  int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  ck_assert_msg(fd >= 0, "cannot append to %s", file);
  ssize_t n = write(fd, text, len + 1);
  ck_assert_msg(n == (ssize_t)(len + 1), "short write to %s", file);
  close(fd);
  free(text);
}

/* Appends line to file (nothing when file is unset or empty). */
static void log_to(const char *file, json_t *line) {
  if (file != NULL && *file != '\0')
    append_line(file, line);
}

/* This binary's copy of the employer log (tu_employer_log_copy), or "". */
static char employer_copy[1024];

void tu_employer_log_copy(const char *file) {
  snprintf(employer_copy, sizeof employer_copy, "%s", file);
}

/* One response as a line of the logs: $PADAN_EMPLOYER_LOG gets what an
 * employer was shown, $PADAN_RESPONSE_LOG every response, with its content
 * type, for the OpenAPI check (tests/openapi_validate.mjs). */
static void log_response(const char *method, const char *path, const char *token,
                         const struct tu_resp *r) {
  char ct[128] = "";
  if (!tu_header(r, "Content-Type", ct, sizeof ct))
    ct[0] = '\0';
  json_t *line = json_pack("{s:s, s:s, s:i, s:s, s:s%}", "method", method, "path", path, "status",
                           r->status, "content_type", ct, "body", r->body, r->body_len);
  if (is_employer_token(token)) {
    log_to(getenv("PADAN_EMPLOYER_LOG"), line);
    log_to(employer_copy, line);
  }
  log_to(getenv("PADAN_RESPONSE_LOG"), line);
  json_decref(line);
}

void tu_log_employer(const char *method, const char *path, int status, const char *body,
                     size_t body_len) {
  json_t *line = json_pack("{s:s, s:s, s:i, s:s%}", "method", method, "path", path, "status",
                           status, "body", body, body_len);
  log_to(getenv("PADAN_EMPLOYER_LOG"), line);
  log_to(employer_copy, line);
  json_decref(line);
}

/* Sends one request on a fresh connection and reads its answer, logging
 * nothing. */
static void exchange(struct tu_server *s, const char *method, const char *path, const char *token,
                     const char *content_type, const char *body, size_t len, struct tu_resp *r) {
  char head[2048], auth[128] = "", ctype[160] = "", clen[64] = "";
  if (token != NULL)
    snprintf(auth, sizeof auth, "Authorization: Bearer %s\r\n", token);
  if (content_type != NULL)
    snprintf(ctype, sizeof ctype, "Content-Type: %s\r\n", content_type);
  if (body == NULL)
    len = 0;
  if (len > 0 || strcmp(method, "POST") == 0 || strcmp(method, "PATCH") == 0 ||
      strcmp(method, "PUT") == 0)
    snprintf(clen, sizeof clen, "Content-Length: %zu\r\n", len);
  int n = snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n%s%s%s\r\n", method,
                   path, (unsigned)s->port, auth, ctype, clen);
  ck_assert(n > 0 && (size_t)n < sizeof head);
  int fd = tu_dial(s->port);
  ck_assert_msg(fd >= 0, "cannot connect to port %u", (unsigned)s->port);
  tu_send_all(fd, head, (size_t)n);
  if (len > 0)
    tu_send_all(fd, body, len);
  ck_assert_msg(tu_read_response(fd, strcmp(method, "HEAD") == 0, r) == 0, "%s %s: no response",
                method, path);
  close(fd);
}

void tu_request(struct tu_server *s, const char *method, const char *path, const char *token,
                const char *content_type, const char *body, size_t len, struct tu_resp *r) {
  exchange(s, method, path, token, content_type, body, len, r);
  log_response(method, path, token, r);
}

void tu_request_unlogged(struct tu_server *s, const char *method, const char *path,
                         struct tu_resp *r) {
  exchange(s, method, path, NULL, NULL, NULL, 0, r);
}

void tu_text_request(struct tu_server *s, const char *method, const char *path, const char *token,
                     const char *body, struct tu_resp *r) {
  tu_request(s, method, path, token, body != NULL ? "application/json" : NULL, body,
             body != NULL ? strlen(body) : 0, r);
}

void tu_json_request(struct tu_server *s, const char *method, const char *path, const char *token,
                     json_t *body_stolen, struct tu_resp *r) {
  char *text = body_stolen != NULL ? json_dumps(body_stolen, JSON_COMPACT) : NULL;
  json_decref(body_stolen);
  tu_request(s, method, path, token, text ? "application/json" : NULL, text,
             text ? strlen(text) : 0, r);
  free(text);
}

void tu_resp_free(struct tu_resp *r) {
  free(r->body);
  r->body = NULL;
}

json_t *tu_json(const struct tu_resp *r) {
  json_error_t e;
  json_t *j = json_loadb(r->body, r->body_len, 0, &e);
  ck_assert_msg(j != NULL, "not JSON (%s): %s", e.text, r->body);
  return j;
}

/* The answer r must have: status want; then its JSON, or NULL when empty. */
static json_t *answer(const char *method, const char *path, struct tu_resp *r, int want) {
  ck_assert_msg(r->status == want, "%s %s: %d, expected %d: %s", method, path, r->status, want,
                r->body);
  json_t *j = r->body_len > 0 ? tu_json(r) : NULL;
  tu_resp_free(r);
  return j;
}

json_t *tu_call(struct tu_server *s, const char *method, const char *path, const char *token,
                const char *body, int want) {
  struct tu_resp r;
  tu_text_request(s, method, path, token, body, &r);
  return answer(method, path, &r, want);
}

json_t *tu_call_json(struct tu_server *s, const char *method, const char *path, const char *token,
                     json_t *body_stolen, int want) {
  struct tu_resp r;
  tu_json_request(s, method, path, token, body_stolen, &r);
  return answer(method, path, &r, want);
}

void tu_expect_header(const struct tu_resp *r, const char *name, const char *want) {
  char got[512];
  ck_assert_msg(tu_header(r, name, got, sizeof got), "no %s header", name);
  ck_assert_str_eq(got, want);
}

void tu_expect_problem(const struct tu_resp *r, int status, const char *code) {
  ck_assert_msg(r->status == status, "status %d, expected %d: %s", r->status, status, r->body);
  tu_expect_header(r, "Content-Type", "application/problem+json");
  json_t *j = tu_json(r);
  ck_assert_str_eq(json_string_value(json_object_get(j, "code")), code);
  ck_assert_ptr_nonnull(json_string_value(json_object_get(j, "detail")));
  ck_assert_ptr_nonnull(json_string_value(json_object_get(j, "detail_id")));
  json_decref(j);
}

void tu_expect_names_field(const json_t *problem, const char *field, const char *code) {
  size_t i;
  json_t *e;
  int found = 0;
  json_array_foreach(json_object_get(problem, "errors"), i, e) {
    const char *f = json_string_value(json_object_get(e, "field"));
    const char *c = json_string_value(json_object_get(e, "code"));
    ck_assert_msg(f != NULL && c != NULL, "an error without field or code");
    ck_assert_ptr_nonnull(json_string_value(json_object_get(e, "detail_id")));
    ck_assert_ptr_nonnull(json_string_value(json_object_get(e, "detail_en")));
    found |= strcmp(f, field) == 0 && (code == NULL || strcmp(c, code) == 0);
  }
  if (!found) {
    char *text = json_dumps(problem, JSON_COMPACT);
    ck_abort_msg("no error names %s (%s): %s", field, code != NULL ? code : "any code", text);
    free(text);
  }
}

void tu_expect_names_fields(const json_t *problem, ...) {
  va_list ap;
  va_start(ap, problem);
  for (const char *field = va_arg(ap, const char *); field != NULL;
       field = va_arg(ap, const char *)) {
    const char *code = va_arg(ap, const char *);
    tu_expect_names_field(problem, field, code);
  }
  va_end(ap);
}

int tu_same_answer(const struct tu_resp *a, const struct tu_resp *b) {
  char ta[128] = "", tb[128] = "", la[32] = "", lb[32] = "";
  tu_header(a, "Content-Type", ta, sizeof ta);
  tu_header(b, "Content-Type", tb, sizeof tb);
  tu_header(a, "Content-Length", la, sizeof la);
  tu_header(b, "Content-Length", lb, sizeof lb);
  return a->status == b->status && strcmp(ta, tb) == 0 && strcmp(la, lb) == 0 &&
         a->body_len == b->body_len && memcmp(a->body, b->body, a->body_len) == 0;
}

json_t *tu_call_problem(struct tu_server *s, const char *method, const char *path,
                        const char *token, const char *body, int status, const char *code) {
  struct tu_resp r;
  tu_text_request(s, method, path, token, body, &r);
  ck_assert_msg(r.status == status, "%s %s: %d, expected %d: %s", method, path, r.status, status,
                r.body);
  tu_expect_problem(&r, status, code);
  json_t *j = tu_json(&r);
  tu_resp_free(&r);
  return j;
}

/* The 400 of tu_expect_field_error; when only, field's error is the one
 * error. */
static void field_error(struct tu_server *s, const char *method, const char *path,
                        const char *token, const char *body, const char *field, const char *code,
                        int only) {
  json_t *p = tu_call_problem(s, method, path, token, body, 400, "invalid-input");
  size_t n = json_array_size(json_object_get(p, "errors"));
  if (only && n != 1) {
    char *text = json_dumps(p, JSON_COMPACT);
    ck_abort_msg("%s %s: %zu errors, expected only %s's: %s", method, path, n, field, text);
    free(text);
  }
  tu_expect_names_field(p, field, code);
  json_decref(p);
}

void tu_expect_field_error(struct tu_server *s, const char *method, const char *path,
                           const char *token, const char *body, const char *field,
                           const char *code) {
  field_error(s, method, path, token, body, field, code, 0);
}

void tu_expect_only_field_error(struct tu_server *s, const char *method, const char *path,
                                const char *token, const char *body, const char *field,
                                const char *code) {
  field_error(s, method, path, token, body, field, code, 1);
}

void tu_expect_hidden(struct tu_server *s, const char *method, const char *path,
                      const char *missing_path, const char *token, const char *body) {
  struct tu_resp a, b;
  tu_text_request(s, method, path, token, body, &a);
  tu_text_request(s, method, missing_path, token, body, &b);
  ck_assert_msg(a.status == 404 && b.status == 404, "%s %s: %d / %s: %d", method, path, a.status,
                missing_path, b.status);
  tu_expect_problem(&a, 404, "not-found");
  tu_expect_problem(&b, 404, "not-found");
  char length[32];
  ck_assert_msg(tu_header(&a, "Content-Length", length, sizeof length), "no Content-Length");
  /* a 404 names no path, so the two answers are the same bytes */
  ck_assert_msg(strstr(a.body, path) == NULL, "the 404 names %s: %s", path, a.body);
  ck_assert_msg(tu_same_answer(&a, &b), "%s %s answers unlike the missing %s:\n%s\n%s", method,
                path, missing_path, a.body, b.body);
  tu_resp_free(&a);
  tu_resp_free(&b);
}

const char *tu_demo(struct tu_server *s, const char *role, const char *field) {
  size_t i;
  json_t *acct;
  json_array_foreach(s->demo, i, acct) {
    if (strcmp(json_string_value(json_object_get(acct, "role")), role) == 0)
      return json_string_value(json_object_get(acct, field));
  }
  ck_abort_msg("no demo account with role %s", role);
  return NULL;
}

char *tu_login_as(struct tu_server *s, const char *username, const char *password) {
  struct tu_resp r;
  tu_json_request(s, "POST", "/v1/auth/login", NULL,
                  json_pack("{s:s, s:s}", "username", username, "password", password), &r);
  ck_assert_msg(r.status == 200, "login as %s: %d %s", username, r.status, r.body);
  json_t *j = tu_json(&r);
  char *token = strdup(json_string_value(json_object_get(j, "token")));
  ck_assert_ptr_nonnull(token);
  json_decref(j);
  tu_resp_free(&r);
  return token;
}

char *tu_login(struct tu_server *s, const char *role) {
  char *token = tu_login_as(s, tu_demo(s, role, "username"), tu_demo(s, role, "password"));
  if (strcmp(role, "employer") == 0)
    tu_track_employer_token(token);
  return token;
}

char *tu_add_user(struct tu_server *s, const char *username, const char *role,
                  const char *scope_flag, const char *scope_code) {
  char *argv[] = {PADAN_BIN,    "user",   "add",  (char *)username,   "--role",
                  (char *)role, "--data", s->dir, (char *)scope_flag, (char *)scope_code,
                  NULL};
  struct tu_proc p;
  tu_run(argv, NULL, &p);
  const char *pw = strstr(p.out, "shown once: ");
  ck_assert_msg(p.status == 0 && pw != NULL, "padan user add %s: %d %s", username, p.status, p.err);
  char password[64];
  pw += strlen("shown once: ");
  snprintf(password, sizeof password, "%.*s", (int)strcspn(pw, "\r\n"), pw);
  tu_proc_free(&p);
  char *token = tu_login_as(s, username, password);
  if (strcmp(role, "employer") == 0)
    tu_track_employer_token(token);
  return token;
}

void tu_track_employer_token(const char *token) {
  if (n_employer_tokens < MAX_EMPLOYER_TOKENS)
    snprintf(employer_tokens[n_employer_tokens++], sizeof employer_tokens[0], "%s", token);
}

/* Runs padan with argv, output into DIR/cli.log; its exit status. */
static int run_padan(const char *dir, char *const argv[]) {
  char log[600];
  snprintf(log, sizeof log, "%s/cli.log", dir);
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

static void die_with_log(struct tu_server *s, const char *why) {
  char cmd[1400];
  fprintf(stderr, "tu_server: %s; logs follow\n", why);
  snprintf(cmd, sizeof cmd, "cat %s/cli.log %s/serve.log 1>&2", s->dir, s->dir);
  if (system(cmd) != 0)
    fprintf(stderr, "(no logs)\n");
  if (s->pid > 0)
    kill(s->pid, SIGKILL);
  exit(1);
}

/* Starts `padan serve` on s->dir at a free port and waits until /healthz
 * says the engine is ready. */
static void launch(struct tu_server *s) {
  char port_arg[16], log[4096];
  s->port = (uint16_t)tu_free_port();
  snprintf(port_arg, sizeof port_arg, "%u", (unsigned)s->port);
  snprintf(log, sizeof log, "%s/serve.log", s->dir);
  s->pid = fork();
  if (s->pid == 0) {
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    execl(PADAN_BIN, "padan", "serve", "--data", s->dir, "--port", port_arg, (char *)NULL);
    _exit(127);
  }
  if (s->pid < 0)
    die_with_log(s, "fork failed");
  for (int i = 0; i < 1200; i++) {
    int st;
    if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
      s->pid = -1;
      die_with_log(s, "padan serve exited early");
    }
    int fd = tu_dial(s->port);
    if (fd >= 0) {
      static const char ping[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
      struct tu_resp r;
      tu_send_all(fd, ping, sizeof ping - 1);
      /* ready once the engine has loaded too (it loads after the start,
       * and routes that need it answer 503 until then) */
      int ok = tu_read_response(fd, 0, &r) == 0 && r.status == 200 && r.body != NULL &&
               strstr(r.body, "\"engine\":\"ready\"") != NULL;
      tu_resp_free(&r);
      close(fd);
      if (ok)
        return;
    }
    struct timespec t = {0, 100 * 1000 * 1000};
    nanosleep(&t, NULL);
  }
  die_with_log(s, "padan serve did not answer /healthz within 120 s");
}

void tu_server_restart(struct tu_server *s) {
  launch(s);
}

void tu_server_start(struct tu_server *s, int residents, int seed) {
  char n_arg[16], seed_arg[16], creds[600];
  memset(s, 0, sizeof *s);
  s->dir = tu_tmpdir();
  snprintf(n_arg, sizeof n_arg, "%d", residents);
  snprintf(seed_arg, sizeof seed_arg, "%d", seed);
  char *seed_argv[] = {"padan", "seed",   "--data", s->dir, "--residents",
                       n_arg,   "--seed", seed_arg, NULL};
  if (run_padan(s->dir, seed_argv) != 0)
    die_with_log(s, "padan seed failed");
  char *users[] = {"padan", "user", "demo", "--data", s->dir, NULL};
  if (run_padan(s->dir, users) != 0)
    die_with_log(s, "padan user demo failed");
  snprintf(creds, sizeof creds, "%s/demo-credentials.json", s->dir);
  json_error_t e;
  s->demo = json_load_file(creds, JSON_REJECT_DUPLICATES, &e);
  if (!json_is_array(s->demo))
    die_with_log(s, "demo-credentials.json does not parse");

  launch(s);
}

void tu_server_stop(struct tu_server *s) {
  if (s->pid > 0) {
    int st = 0;
    kill(s->pid, SIGTERM);
    if (waitpid(s->pid, &st, 0) != s->pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
      die_with_log(s, "padan serve did not exit cleanly on SIGTERM");
    s->pid = -1;
  }
  json_decref(s->demo);
  s->demo = NULL;
  tu_rmtree(s->dir);
  free(s->dir);
  s->dir = NULL;
}
