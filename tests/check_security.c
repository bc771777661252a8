/*
 * check_security.c — the edges an attacker or a careless client reaches
 * (issue 15, point 5), against the real server over raw sockets where the
 * protocol itself is the subject: %00 or a NUL byte anywhere → 400; both
 * Content-Length and Transfer-Encoding → 400 and the connection closed; a
 * long URI or large headers → 414 / 431 as problem+json; a chunked body is
 * cut off at the cap; an empty body where one is required → 400 and "" is
 * not null; no path reaches the log; the database files are 0600; every
 * CSV cell a spreadsheet would run as a formula is neutralised.
 */
#include "csv.h"
#include <sqlite3.h>
#include "testutil.h"
#include "tu_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static struct tu_server srv;
static char *officer;

/* A request must arrive whole within this many seconds on the test
 * servers (the default is 15). */
#define REQUEST_TIMEOUT "4"

static void setup(void) {
  setenv("PADAN_REQUEST_TIMEOUT", REQUEST_TIMEOUT, 1);
  tu_server_start(&srv, 300, 15);
  unsetenv("PADAN_REQUEST_TIMEOUT");
  officer = tu_login(&srv, "officer");
}

static void teardown(void) {
  free(officer);
  tu_server_stop(&srv);
}

/* Sends raw bytes on a fresh connection and reads one response; the
 * connection is returned open in *fd_out when fd_out is not NULL. */
static void raw(const char *bytes, size_t len, struct tu_resp *r, int *fd_out) {
  int fd = tu_dial(srv.port);
  ck_assert_int_ge(fd, 0);
  tu_send_all(fd, bytes, len);
  ck_assert_msg(tu_read_response(fd, 0, r) == 0, "no response");
  if (fd_out != NULL)
    *fd_out = fd;
  else
    close(fd);
}

/* 1 when the server has closed fd: a read ends (EOF or reset) within ten
 * seconds, far below the server's 30-second idle timeout. */
static int closed_by_server(int fd) {
  struct timeval tv = {10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char c;
  ssize_t n = recv(fd, &c, 1, 0);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

#define RAW(s) s, sizeof s - 1

START_TEST(nul_anywhere_is_400) {
  static const struct {
    const char *req;
    size_t len;
  } bad[] = {
      {RAW("GET /healthz%00x HTTP/1.1\r\nHost: x\r\n\r\n")},
      {RAW("GET /heal%00thz HTTP/1.1\r\nHost: x\r\n\r\n")},
      {RAW("GET /v1/kelurahan?limit=%00 HTTP/1.1\r\nHost: x\r\n\r\n")},
      {RAW("GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: ab\0cd\r\n\r\n")},
      {RAW("GET /healthz HTTP/1.1\r\nX-A: ab\0cd\r\nHost: x\r\n\r\n")},
      {RAW("GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: ab\0cd\n\n")},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct tu_resp r;
    int fd;
    raw(bad[i].req, bad[i].len, &r, &fd);
    ck_assert_msg(r.status == 400, "case %zu: %d", i, r.status);
    tu_expect_problem(&r, 400, "bad-request");
    ck_assert_msg(closed_by_server(fd), "case %zu: connection kept", i);
    close(fd);
    tu_resp_free(&r);
  }
  /* the same heads without the NUL are served: LF line ends, trailing
   * blanks, the NUL-free header last */
  static const struct {
    const char *req;
    size_t len;
  } good[] = {
      {RAW("GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: ab\r\n\r\n")},
      {RAW("GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: ab\n\n")},
      {RAW("GET /healthz HTTP/1.1\r\nX-A: ab  \r\nHost: x\r\n\r\n")},
      {RAW("GET /healthz%2F HTTP/1.1\r\nHost: x\r\n\r\n")},
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    struct tu_resp r;
    raw(good[i].req, good[i].len, &r, NULL);
    ck_assert_msg(r.status == (i == 3 ? 404 : 200), "good case %zu: %d", i, r.status);
    tu_resp_free(&r);
  }
}
END_TEST

START_TEST(content_length_with_transfer_encoding_400_closed) {
  static const char req[] = "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                            "Content-Type: application/json\r\nContent-Length: 5\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
  struct tu_resp r;
  int fd;
  raw(req, sizeof req - 1, &r, &fd);
  tu_expect_problem(&r, 400, "bad-request");
  char v[64];
  ck_assert(tu_header(&r, "Connection", v, sizeof v));
  ck_assert_str_eq(v, "close");
  ck_assert(closed_by_server(fd));
  close(fd);
  tu_resp_free(&r);
}
END_TEST

START_TEST(long_uri_414_large_head_431_as_problem_json) {
  size_t n = 6000;
  char *req = malloc(n + 200);
  ck_assert_ptr_nonnull(req);
  int len = snprintf(req, n + 200, "GET /%0*d HTTP/1.1\r\nHost: x\r\n\r\n", (int)n, 7);
  struct tu_resp r;
  raw(req, (size_t)len, &r, NULL);
  tu_expect_problem(&r, 414, "uri-too-long");
  tu_resp_free(&r);

  char *pad = malloc(16001);
  ck_assert_ptr_nonnull(pad);
  memset(pad, 'a', 16000);
  pad[16000] = '\0';
  char *big = malloc(16200);
  ck_assert_ptr_nonnull(big);
  len = snprintf(big, 16200, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: %s\r\n\r\n", pad);
  raw(big, (size_t)len, &r, NULL);
  tu_expect_problem(&r, 431, "headers-too-large");
  tu_resp_free(&r);
  free(big);
  free(pad);
  free(req);
}
END_TEST

START_TEST(chunked_body_cut_off_at_the_cap) {
  static const char head[] = "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                             "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  int fd = tu_dial(srv.port);
  ck_assert_int_ge(fd, 0);
  tu_send_all(fd, head, sizeof head - 1);
  char chunk[4096 + 16];
  memset(chunk, 'a', sizeof chunk);
  memcpy(chunk, "1000\r\n", 6);
  memcpy(chunk + 6 + 4096, "\r\n", 2);
  for (int i = 0; i < 17; i++) /* 17 × 4 KiB > the 64 KiB cap; no last chunk */
    tu_send_all(fd, chunk, 6 + 4096 + 2);
  /* the server stops reading at the cap instead of waiting for the end */
  ck_assert(closed_by_server(fd));
  close(fd);
  /* and is still there */
  struct tu_resp r;
  raw(RAW("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"), &r, NULL);
  ck_assert_int_eq(r.status, 200);
  tu_resp_free(&r);
}
END_TEST

START_TEST(empty_body_400_and_empty_string_is_not_null) {
  struct tu_resp r;
  tu_request(&srv, "PATCH", "/v1/residents/1", officer, "application/json", "", 0, &r);
  tu_expect_problem(&r, 400, "malformed-json");
  tu_resp_free(&r);
  tu_request(&srv, "POST", "/v1/auth/login", NULL, "application/json", "", 0, &r);
  tu_expect_problem(&r, 400, "malformed-json");
  tu_resp_free(&r);

  /* "" for a field that may be cleared is refused by name; null clears */
  tu_json_request(&srv, "PATCH", "/v1/residents/1", officer,
                  json_pack("{s:s, s:s}", "education", "", "reason", "uji"), &r);
  tu_expect_problem(&r, 400, "invalid-input");
  json_t *doc = tu_json(&r);
  json_t *e0 = json_array_get(json_object_get(doc, "errors"), 0);
  ck_assert_str_eq(json_string_value(json_object_get(e0, "field")), "education");
  ck_assert_str_eq(json_string_value(json_object_get(e0, "code")), "empty");
  json_decref(doc);
  tu_resp_free(&r);
  tu_json_request(&srv, "PATCH", "/v1/residents/1", officer,
                  json_pack("{s:s, s:s}", "phone", "", "reason", "uji"), &r);
  tu_expect_problem(&r, 400, "invalid-input");
  tu_resp_free(&r);
  tu_json_request(&srv, "PATCH", "/v1/residents/1", officer,
                  json_pack("{s:n, s:s}", "phone", "reason", "uji"), &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  tu_resp_free(&r);
}
END_TEST

/* GET path as officer; the page's next_cursor into cur (may be ""), or on
 * a 400 the name of the first refused parameter. */
static int list_page(const char *path, char *cur, size_t size) {
  struct tu_resp r;
  tu_request(&srv, "GET", path, officer, NULL, NULL, 0, &r);
  int status = r.status;
  cur[0] = '\0';
  if (status == 200) {
    json_t *doc = tu_json(&r);
    const char *c = json_string_value(json_object_get(doc, "next_cursor"));
    snprintf(cur, size, "%s", c != NULL ? c : "");
    json_decref(doc);
  } else if (status == 400) {
    /* the refused parameter's name instead */
    json_t *doc = tu_json(&r);
    json_t *e0 = json_array_get(json_object_get(doc, "errors"), 0);
    const char *f = json_string_value(json_object_get(e0, "field"));
    snprintf(cur, size, "%s", f != NULL ? f : "");
    json_decref(doc);
  }
  tu_resp_free(&r);
  return status;
}

START_TEST(cursors_are_bound_to_their_list) {
  char cur[128], other[128], path[256];
  ck_assert_int_eq(list_page("/v1/residents?limit=2", cur, sizeof cur), 200);
  ck_assert(cur[0] != '\0');
  /* its own list takes it */
  snprintf(path, sizeof path, "/v1/residents?limit=2&cursor=%s", cur);
  ck_assert_int_eq(list_page(path, other, sizeof other), 200);
  /* another list, or the same list with other filters, refuses it */
  snprintf(path, sizeof path, "/v1/vacancies?limit=2&cursor=%s", cur);
  ck_assert_int_eq(list_page(path, other, sizeof other), 400);
  ck_assert_str_eq(other, "cursor");
  snprintf(path, sizeof path, "/v1/residents?limit=2&kelurahan=%s&cursor=%s", "3671011001", cur);
  ck_assert_int_eq(list_page(path, other, sizeof other), 400);
  ck_assert_str_eq(other, "cursor");
  /* a cursor of the old unsigned form ("v1:2") is refused */
  ck_assert_int_eq(list_page("/v1/residents?limit=2&cursor=djE6Mg", other, sizeof other), 400);
  ck_assert_str_eq(other, "cursor");
  /* the vacancies list with a filter: its cursor works there only */
  ck_assert_int_eq(list_page("/v1/vacancies?limit=1&status=open", cur, sizeof cur), 200);
  ck_assert(cur[0] != '\0');
  snprintf(path, sizeof path, "/v1/vacancies?status=open&limit=1&cursor=%s", cur);
  ck_assert_int_eq(list_page(path, other, sizeof other), 200);
  snprintf(path, sizeof path, "/v1/vacancies?limit=1&cursor=%s", cur);
  ck_assert_int_eq(list_page(path, other, sizeof other), 400);
  ck_assert_str_eq(other, "cursor");
}
END_TEST

/* A connection to the server from loopback address 127.0.0.<host>, or -1. */
static int dial_from(int host) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ck_assert_int_ge(fd, 0);
  struct timeval tv = {.tv_sec = 120};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  struct sockaddr_in me = {.sin_family = AF_INET};
  me.sin_addr.s_addr = htonl(0x7f000000u | (uint32_t)host);
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(srv.port)};
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&me, sizeof me) != 0 ||
      connect(fd, (struct sockaddr *)&to, sizeof to) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

/* 1 when fd has something to read (an answer) right now. */
static int answered(int fd) {
  struct pollfd p = {.fd = fd, .events = POLLIN};
  return poll(&p, 1, 0) == 1;
}

#define LOGINS 64
#define ME_CALLS 10

/* Point 2: 64 logins with unknown names from 64 addresses (so no throttle
 * stops them before the password check) are in flight; a client holding a
 * token is answered every time meanwhile, with most logins still
 * unanswered when its last answer came: the password checks run on their
 * own pool, not on the HTTP worker threads.  Logins beyond the pool's
 * queue are answered 503 with Retry-After at once. */
START_TEST(logins_do_not_stall_token_holders) {
  int fds[LOGINS];
  for (int i = 0; i < LOGINS; i++) {
    char body[128], req[512];
    int blen = snprintf(body, sizeof body, "{\"username\":\"tidak-ada-%d\",\"password\":\"x\"}", i);
    int len = snprintf(req, sizeof req,
                       "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
                       "application/json\r\nContent-Length: %d\r\n\r\n%s",
                       blen, body);
    fds[i] = dial_from(2 + i);
    ck_assert_msg(fds[i] >= 0, "cannot connect from 127.0.0.%d", 2 + i);
    tu_send_all(fds[i], req, (size_t)len);
  }
  for (int k = 0; k < ME_CALLS; k++) {
    struct tu_resp r;
    tu_request(&srv, "GET", "/v1/me", officer, NULL, NULL, 0, &r);
    ck_assert_int_eq(r.status, 200);
    tu_resp_free(&r);
  }
  int pending = 0;
  for (int i = 0; i < LOGINS; i++)
    pending += !answered(fds[i]);
  ck_assert_msg(pending >= 8, "only %d of %d logins were still in flight", pending, LOGINS);

  int denied = 0, busy = 0;
  for (int i = 0; i < LOGINS; i++) {
    struct tu_resp r;
    ck_assert_msg(tu_read_response(fds[i], 0, &r) == 0, "login %d unanswered", i);
    if (r.status == 401) {
      tu_expect_problem(&r, 401, "login-failed");
      denied++;
    } else {
      char v[16];
      tu_expect_problem(&r, 503, "unavailable");
      ck_assert(tu_header(&r, "Retry-After", v, sizeof v));
      busy++;
    }
    tu_resp_free(&r);
    close(fds[i]);
  }
  ck_assert_int_ge(denied, 8); /* the pool checked passwords */
  ck_assert_int_eq(denied + busy, LOGINS);
}
END_TEST

#define DRIP_ADDRESSES 6
#define DRIP_PER_ADDRESS 40
#define DRIP_ROUNDS 16

/* Point 3: 240 sockets from six addresses (127.0.1.1-6) drip one byte of
 * a request head every half second while another client asks for
 * /healthz once a round: that client is answered every time, and every
 * dripping socket is cut off — those over the per-address cap (32) at
 * once, the others when the request deadline (4 s here) passes, although
 * they never fell silent. */
START_TEST(drip_feeders_cannot_take_the_server) {
  static const char head[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Drip: "
                             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  enum { N = DRIP_ADDRESSES * DRIP_PER_ADDRESS };
  int fds[N];
  int open_n = 0;
  for (int a = 0; a < DRIP_ADDRESSES; a++)
    for (int k = 0; k < DRIP_PER_ADDRESS; k++) {
      int fd = dial_from(256 + 1 + a); /* 127.0.1.(1+a) */
      fds[a * DRIP_PER_ADDRESS + k] = fd;
      if (fd >= 0) {
        open_n++;
        send(fd, head, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
      }
    }
  ck_assert_int_gt(open_n, 0);
  int served = 0;
  for (int round = 1; round <= DRIP_ROUNDS; round++) {
    struct timespec half = {0, 500 * 1000 * 1000};
    nanosleep(&half, NULL);
    for (int i = 0; i < N; i++) {
      if (fds[i] < 0)
        continue;
      char c;
      ssize_t got = recv(fds[i], &c, 1, MSG_DONTWAIT);
      if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK) ||
          send(fds[i], head + (size_t)round % (sizeof head - 1), 1, MSG_NOSIGNAL | MSG_DONTWAIT) <
              0) {
        close(fds[i]); /* cut off by the server */
        fds[i] = -1;
      }
    }
    struct tu_resp r;
    tu_request(&srv, "GET", "/healthz", NULL, NULL, NULL, 0, &r);
    served += r.status == 200;
    tu_resp_free(&r);
  }
  int still = 0;
  for (int i = 0; i < N; i++)
    if (fds[i] >= 0) {
      still++;
      close(fds[i]);
    }
  ck_assert_int_eq(served, DRIP_ROUNDS);
  ck_assert_msg(still == 0, "%d dripping sockets still open after %d s", still, DRIP_ROUNDS / 2);
}
END_TEST

/* The whole of the server's log so far (malloc'd). */
static char *server_log(void) {
  char path[600];
  snprintf(path, sizeof path, "%s/serve.log", srv.dir);
  FILE *f = fopen(path, "rb");
  ck_assert_ptr_nonnull(f);
  char *buf = malloc(1 << 22);
  ck_assert_ptr_nonnull(buf);
  size_t n = fread(buf, 1, (1 << 22) - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

START_TEST(no_path_reaches_the_log) {
  static const char nik[] = "3671011203900001";
  struct tu_resp r;
  char path[128];
  snprintf(path, sizeof path, "/v1/residents/%s", nik);
  tu_request(&srv, "GET", path, officer, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 404);
  tu_resp_free(&r);
  snprintf(path, sizeof path, "/v1/residents/%s/history", "7000001");
  tu_request(&srv, "GET", path, officer, NULL, NULL, 0, &r);
  tu_resp_free(&r);
  snprintf(path, sizeof path, "/x/%s", officer);
  tu_request(&srv, "GET", path, officer, NULL, NULL, 0, &r);
  tu_resp_free(&r);
  char *log = server_log();
  ck_assert_msg(strstr(log, nik) == NULL, "a NIK in the log");
  ck_assert_msg(strstr(log, "7000001") == NULL, "a path id in the log");
  ck_assert_msg(strstr(log, officer) == NULL, "a token in the log");
  ck_assert_msg(
      strstr(log, "\"method\":\"GET\",\"route\":\"/v1/residents/{id}/history\",\"status\":404") !=
          NULL,
      "no route pattern: %s", log);
  free(log);
}
END_TEST

START_TEST(database_files_are_0600) {
  /* a write so that the -wal and -shm files exist */
  struct tu_resp r;
  tu_json_request(&srv, "PATCH", "/v1/residents/2", officer,
                  json_pack("{s:s, s:s}", "phone", "081234567890", "reason", "uji"), &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  tu_resp_free(&r);
  static const char *const names[] = {"padan.db", "padan.db-wal", "padan.db-shm"};
  for (size_t i = 0; i < 3; i++) {
    char path[600];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", srv.dir, names[i]);
    ck_assert_msg(stat(path, &st) == 0, "%s missing", names[i]);
    ck_assert_msg((st.st_mode & 0777) == 0600, "%s is %o", names[i], st.st_mode & 0777);
  }
}
END_TEST

/* Writes one field with csv_write_field and returns what came out. */
static char *cell(const char *s) {
  static char out[256];
  memset(out, 0, sizeof out);
  FILE *f = fmemopen(out, sizeof out, "w");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(csv_write_field(f, s), 0);
  fclose(f);
  return out;
}

START_TEST(csv_formula_cells_neutralised) {
  ck_assert_str_eq(cell("=HYPERLINK(\"http://x\",\"klik\")"),
                   "\"'=HYPERLINK(\"\"http://x\"\",\"\"klik\"\")\"");
  ck_assert_str_eq(cell("=1+1"), "'=1+1");
  ck_assert_str_eq(cell("+62 812"), "'+62 812");
  ck_assert_str_eq(cell("-cmd"), "'-cmd");
  ck_assert_str_eq(cell("@SUM(A1)"), "'@SUM(A1)");
  ck_assert_str_eq(cell("\tx"), "'\tx");
  ck_assert_str_eq(cell("\rx"), "\"'\rx\"");
  ck_assert_str_eq(cell("-1+2"), "'-1+2");
  /* plain numbers and ordinary text are left alone */
  ck_assert_str_eq(cell("-3"), "-3");
  ck_assert_str_eq(cell("+2.5"), "+2.5");
  ck_assert_str_eq(cell("0.25"), "0.25");
  ck_assert_str_eq(cell("PT Maju, Tbk"), "\"PT Maju, Tbk\"");
  ck_assert_str_eq(cell("a=b"), "a=b");
  ck_assert_str_eq(cell(""), "");
  /* the data writer (files a program reads back) keeps the text */
  static char out[64];
  FILE *f = fmemopen(out, sizeof out, "w");
  ck_assert_int_eq(csv_write_data_field(f, "=1+1"), 0);
  fclose(f);
  ck_assert_str_eq(out, "=1+1");
}
END_TEST

/* ---- Behind a reverse proxy ---------------------------------------------------- */

static struct tu_server psrv;

/* The second server also holds its database at its size for the API's
 * writes (PADAN_MAX_DB_PAGES=1), as a full disk would: logins write on the
 * login pool's own connection, which the cap leaves alone. */
static void proxy_setup(void) {
  setenv("PADAN_TRUSTED_PROXIES", "127.0.0.9", 1);
  setenv("PADAN_MAX_DB_PAGES", "1", 1);
  tu_server_start(&psrv, 100, 16);
  unsetenv("PADAN_TRUSTED_PROXIES");
  unsetenv("PADAN_MAX_DB_PAGES");
}

static void proxy_teardown(void) {
  tu_server_stop(&psrv);
}

/* A login through a connection from 127.0.0.<host> with X-Forwarded-For
 * xff (NULL: none); the status. */
static int login_via(int host, const char *xff, const char *user, const char *password) {
  char body[256], req[1024], fwd[160] = "";
  int blen =
      snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, password);
  if (xff != NULL)
    snprintf(fwd, sizeof fwd, "X-Forwarded-For: %s\r\n", xff);
  int len = snprintf(req, sizeof req,
                     "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\n%sContent-Type: "
                     "application/json\r\nContent-Length: %d\r\n\r\n%s",
                     fwd, blen, body);
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ck_assert_int_ge(fd, 0);
  struct sockaddr_in me = {.sin_family = AF_INET};
  me.sin_addr.s_addr = htonl(0x7f000000u | (uint32_t)host);
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(psrv.port)};
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ck_assert(bind(fd, (struct sockaddr *)&me, sizeof me) == 0);
  ck_assert(connect(fd, (struct sockaddr *)&to, sizeof to) == 0);
  tu_send_all(fd, req, (size_t)len);
  struct tu_resp r;
  ck_assert(tu_read_response(fd, 0, &r) == 0);
  close(fd);
  int status = r.status;
  tu_resp_free(&r);
  return status;
}

/* The address the last failed login was audited from. */
static void last_failed_login_from(char *out, size_t size) {
  char path[600];
  snprintf(path, sizeof path, "%s/padan.db", psrv.dir);
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(db,
                                      "SELECT detail FROM audit_log WHERE action = "
                                      "'login_failed' ORDER BY id DESC LIMIT 1",
                                      -1, &st, NULL),
                   SQLITE_OK);
  ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
  const char *d = (const char *)sqlite3_column_text(st, 0);
  const char *from = d != NULL ? strstr(d, " from ") : NULL;
  snprintf(out, size, "%s", from != NULL ? from + 6 : "");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

START_TEST(client_address_from_trusted_proxies_only) {
  char from[64];
  /* through the trusted proxy: the right-most address it did not add */
  ck_assert_int_eq(login_via(9, "198.51.100.1, 203.0.113.7", "tidak-ada", "x"), 401);
  last_failed_login_from(from, sizeof from);
  ck_assert_str_eq(from, "203.0.113.7");
  ck_assert_int_eq(login_via(9, "203.0.113.8, 127.0.0.9", "tidak-ada", "x"), 401);
  last_failed_login_from(from, sizeof from);
  ck_assert_str_eq(from, "203.0.113.8");
  /* a header that is not an address: the proxy's own */
  ck_assert_int_eq(login_via(9, "bukan-alamat", "tidak-ada", "x"), 401);
  last_failed_login_from(from, sizeof from);
  ck_assert_str_eq(from, "127.0.0.9");
  /* anyone else's X-Forwarded-For is ignored */
  ck_assert_int_eq(login_via(10, "203.0.113.9", "tidak-ada", "x"), 401);
  last_failed_login_from(from, sizeof from);
  ck_assert_str_eq(from, "127.0.0.10");
}
END_TEST

/* A stranger behind the proxy fails an officer's password until held back;
 * the officer, behind the same proxy, still logs in. */
START_TEST(a_stranger_cannot_lock_staff_out) {
  const char *user = tu_demo(&psrv, "officer", "username");
  const char *pass = tu_demo(&psrv, "officer", "password");
  int held = 0;
  for (int i = 0; i < 8; i++)
    held += login_via(9, "203.0.113.66", user, "salah-sama-sekali") == 429;
  ck_assert_int_ge(held, 3); /* the 6th attempt on is held back */
  ck_assert_int_eq(login_via(9, "198.51.100.20", user, pass), 200);
  /* and from the stranger's address the right password is held back too */
  ck_assert_int_eq(login_via(9, "203.0.113.66", user, pass), 429);
}
END_TEST

/* A resident's address as the API shows it (malloc'd). */
static char *address_of(struct tu_server *sv, const char *token, int64_t id) {
  char path[64];
  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)id);
  struct tu_resp r;
  tu_request(sv, "GET", path, token, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  json_t *doc = tu_json(&r);
  const char *a = json_string_value(json_object_get(doc, "address"));
  char *out = strdup(a != NULL ? a : "");
  json_decref(doc);
  tu_resp_free(&r);
  return out;
}

/* Point 4: corrections until the (capped) database is full: each is
 * answered 200 (stored) or 507 (nothing stored) — never 503 or 500 — and
 * after the 507 the record still holds the last stored value. */
START_TEST(full_disk_is_507_and_nothing_stored) {
  char *token = tu_login(&psrv, "officer");
  char last[256] = "", address[256];
  int full = 0;
  for (int i = 0; i < 2000 && !full; i++) {
    struct tu_resp r;
    snprintf(address, sizeof address,
             "Jalan Percobaan Penyimpanan Penuh Nomor %d, RT 001 RW 002, dekat pasar lama", i);
    tu_json_request(&psrv, "PATCH", "/v1/residents/1", token,
                    json_pack("{s:s, s:s}", "address", address, "reason", "uji disk penuh"), &r);
    if (r.status == 200) {
      snprintf(last, sizeof last, "%s", address);
    } else {
      tu_expect_problem(&r, 507, "insufficient-storage");
      char v[16];
      ck_assert(!tu_header(&r, "Retry-After", v, sizeof v));
      full = 1;
    }
    tu_resp_free(&r);
  }
  ck_assert_msg(full, "the capped database never filled");
  ck_assert(last[0] != '\0');
  char *now = address_of(&psrv, token, 1);
  ck_assert_str_eq(now, last);
  free(now);
  free(token);
}
END_TEST

/* Point 4: a database held locked by another writer past the busy timeout:
 * 503 with Retry-After, and nothing stored. */
START_TEST(busy_is_503_with_retry_after_and_nothing_stored) {
  char *before = address_of(&srv, officer, 3);
  char path[600];
  snprintf(path, sizeof path, "%s/padan.db", srv.dir);
  sqlite3 *db = NULL;
  ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
  ck_assert_int_eq(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
  struct tu_resp r;
  tu_json_request(&srv, "PATCH", "/v1/residents/3", officer,
                  json_pack("{s:s, s:s}", "address", "Jalan Sibuk 1", "reason", "uji sibuk"), &r);
  sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close(db);
  tu_expect_problem(&r, 503, "unavailable");
  char v[16];
  ck_assert(tu_header(&r, "Retry-After", v, sizeof v));
  tu_resp_free(&r);
  char *after = address_of(&srv, officer, 3);
  ck_assert_str_eq(after, before);
  free(before);
  free(after);
}
END_TEST

/* One text value from the main server's database ("" when none; malloc'd). */
static char *db_text(const char *sql, long long arg) {
  char path[600];
  snprintf(path, sizeof path, "%s/padan.db", srv.dir);
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
  sqlite3_bind_int64(st, 1, arg);
  const char *v = sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
  char *out = strdup(v != NULL ? v : "");
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

static long long db_count_nik(const char *nik) {
  char path[600];
  snprintf(path, sizeof path, "%s/padan.db", srv.dir);
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  ck_assert_int_eq(
      sqlite3_prepare_v2(db, "SELECT count(*) FROM residents WHERE nik = ?1", -1, &st, NULL),
      SQLITE_OK);
  sqlite3_bind_text(st, 1, nik, -1, SQLITE_TRANSIENT);
  ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
  long long n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

#define DTSEN_HEADER                                                                               \
  "nik,name,sex,birth_date,religion,marital_status,kelurahan_code,address,phone,education,"        \
  "smk_vocation,desil,work_status,school_status,months_without_work,dependants,disability,"        \
  "shifts,preferred_vocations,skills,verified_at,synthetic\n"

/* Point 1: an erased resident's NIK, in a later extract, is refused and
 * reported by its line — through the upload route and through padan import
 * dtsen — and the person is never created again; the database keeps no
 * NIK of theirs, only a keyed hash, with the key in a 0600 file beside
 * it. */
START_TEST(erasure_stays_erased) {
  char *admin = tu_login(&srv, "admin");
  /* the first resident without a service in progress */
  int64_t id = 0;
  char nik[17] = "";
  for (int64_t cand = 20; cand < 300 && id == 0; cand++) {
    char *n = db_text("SELECT nik FROM residents WHERE id = ?1", (long long)cand);
    char path[96];
    snprintf(path, sizeof path, "/v1/residents/%lld?reason=permintaan%%20warga", (long long)cand);
    struct tu_resp r;
    tu_request(&srv, "DELETE", path, admin, NULL, NULL, 0, &r);
    if (r.status == 200 || r.status == 204) {
      id = cand;
      snprintf(nik, sizeof nik, "%s", n);
    }
    tu_resp_free(&r);
    free(n);
  }
  ck_assert_msg(id != 0, "no resident could be erased");
  ck_assert_uint_eq(strlen(nik), 16);
  ck_assert_int_eq(db_count_nik(nik), 0);
  char *kept = db_text("SELECT count(*) FROM erased_niks", 0);
  ck_assert_str_ne(kept, "0");
  free(kept);
  char keyfile[600];
  struct stat st;
  snprintf(keyfile, sizeof keyfile, "%s/padan.db.erasure-key", srv.dir);
  ck_assert_int_eq(stat(keyfile, &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0600);
  ck_assert_int_eq(st.st_size, 32);

  /* an extract with the erased NIK on line 3, between two new people */
  char csv[2048];
  int len =
      snprintf(csv, sizeof csv,
               DTSEN_HEADER "3671101203900091,Baru Satu,L,1990-03-12,islam,kawin,36.71.10.1001,"
                            ",,sma,,2,unemployed,not_in_school,,0,,,,,,1\n"
                            "%s,Orang Terhapus,L,1990-03-12,islam,kawin,36.71.10.1001,"
                            ",,sma,,2,unemployed,not_in_school,,0,,,,,,1\n"
                            "3671101203900092,Baru Dua,L,1990-03-12,islam,kawin,36.71.10.1001,"
                            ",,sma,,2,unemployed,not_in_school,,0,,,,,,1\n",
               nik);
  struct tu_resp r;
  tu_request(&srv, "POST", "/v1/imports/dtsen", admin, "text/csv", csv, (size_t)len, &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  json_t *doc = tu_json(&r);
  ck_assert_int_eq(json_integer_value(json_object_get(doc, "erased")), 1);
  ck_assert_int_eq(json_integer_value(json_object_get(doc, "new")), 2);
  json_t *is = json_array_get(json_object_get(doc, "issues"), 0);
  ck_assert_str_eq(json_string_value(json_object_get(is, "code")), "nik_erased");
  ck_assert_int_eq(json_integer_value(json_object_get(is, "line")), 3);
  ck_assert_msg(strstr(r.body, nik) == NULL, "the report repeats the erased NIK");
  json_decref(doc);
  tu_resp_free(&r);
  ck_assert_int_eq(db_count_nik(nik), 0);
  ck_assert_int_eq(db_count_nik("3671101203900092"), 1);

  /* the same through the command line */
  char file[600];
  snprintf(file, sizeof file, "%s/extract.csv", srv.dir);
  FILE *f = fopen(file, "w");
  ck_assert_ptr_nonnull(f);
  fputs(csv, f);
  fclose(f);
  char *argv[] = {PADAN_BIN, "import", "dtsen", file, "--data", srv.dir, NULL};
  struct tu_proc p;
  tu_run(argv, NULL, &p);
  ck_assert_msg(p.status == 0, "padan import: %d %s", p.status, p.err);
  ck_assert_msg(strstr(p.out, "nik_erased") != NULL, "%s", p.out);
  ck_assert_msg(strstr(p.out, nik) == NULL, "the report repeats the erased NIK");
  tu_proc_free(&p);
  ck_assert_int_eq(db_count_nik(nik), 0);
  free(admin);
}
END_TEST

/* Point 1: a desk cannot change what DTSEN owns (desil, NIK, birth date,
 * sex): 403 naming each such field, and nothing changes; other fields it
 * may still correct, and an officer may correct desil. */
START_TEST(desk_cannot_edit_dtsen_fields) {
  char *desk = tu_login(&srv, "desk");
  struct tu_resp r;
  tu_request(&srv, "GET", "/v1/residents?limit=1", desk, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  json_t *doc = tu_json(&r);
  json_int_t id =
      json_integer_value(json_object_get(json_array_get(json_object_get(doc, "items"), 0), "id"));
  json_decref(doc);
  tu_resp_free(&r);
  ck_assert(id > 0);
  char path[64];
  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)id);
  char *before =
      db_text("SELECT desil || '/' || birth_date || '/' || sex FROM residents WHERE id = ?1",
              (long long)id);
  tu_json_request(&srv, "PATCH", path, desk,
                  json_pack("{s:i, s:s, s:s, s:s}", "desil", 9, "sex", "L", "phone", "081234567891",
                            "reason", "pengakuan warga"),
                  &r);
  tu_expect_problem(&r, 403, "forbidden");
  doc = tu_json(&r);
  json_t *errs = json_object_get(doc, "errors");
  ck_assert_uint_eq(json_array_size(errs), 2);
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errs, 0), "field")), "desil");
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errs, 1), "field")), "sex");
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errs, 0), "code")),
                   "dtsen_owned");
  json_decref(doc);
  tu_resp_free(&r);
  char *after =
      db_text("SELECT desil || '/' || birth_date || '/' || sex FROM residents WHERE id = ?1",
              (long long)id);
  ck_assert_str_eq(after, before);
  /* the phone alone is the desk's to correct */
  tu_json_request(&srv, "PATCH", path, desk,
                  json_pack("{s:s, s:s}", "phone", "081234567891", "reason", "warga datang"), &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  tu_resp_free(&r);
  /* an officer may correct desil */
  tu_json_request(&srv, "PATCH", path, officer,
                  json_pack("{s:i, s:s}", "desil", 3, "reason", "keputusan dinas"), &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  tu_resp_free(&r);
  free(before);
  free(after);
  free(desk);
}
END_TEST

/* The extract the test server was seeded from (malloc'd, *len bytes). */
static char *seed_extract(size_t *len) {
  char file[600];
  snprintf(file, sizeof file, "%s/seed-extract.csv", srv.dir);
  char *argv[] = {PADAN_BIN, "seed", "--residents", "300", "--seed", "15", "--out", file, NULL};
  struct tu_proc p;
  tu_run(argv, NULL, &p);
  ck_assert_msg(p.status == 0, "padan seed --out: %s", p.err);
  tu_proc_free(&p);
  FILE *f = fopen(file, "rb");
  ck_assert_ptr_nonnull(f);
  char *buf = malloc(1 << 22);
  ck_assert_ptr_nonnull(buf);
  *len = fread(buf, 1, (1 << 22) - 1, f);
  buf[*len] = '\0';
  fclose(f);
  return buf;
}

/* The line of the extract that holds nik (the header is line 1). */
static long line_of(const char *csv, const char *nik) {
  const char *at = strstr(csv, nik);
  ck_assert_ptr_nonnull(at);
  long line = 1;
  for (const char *p = csv; p < at; p++)
    line += *p == '\n';
  return line;
}

/* Point 1: a correction survives a re-import of an older extract (kept,
 * reported by line and field); an extract made after it wins, and the
 * field it changes is in the resident's history. */
START_TEST(corrections_survive_a_reimport) {
  char *admin = tu_login(&srv, "admin");
  /* the newest resident with a phone: no other test of this suite touches
   * it, so its phone in the database is still the extract's */
  char *idtext = db_text("SELECT max(id) FROM residents WHERE phone IS NOT NULL AND ?1 > 0", 1LL);
  const long long id = strtoll(idtext, NULL, 10);
  free(idtext);
  char *nik = db_text("SELECT nik FROM residents WHERE id = ?1", id);
  char *phone = db_text("SELECT coalesce(phone, '') FROM residents WHERE id = ?1", id);
  size_t len;
  char *csv = seed_extract(&len);
  long line = line_of(csv, nik);
  char path[64];
  snprintf(path, sizeof path, "/v1/residents/%lld", id);
  struct tu_resp r;
  tu_json_request(&srv, "PATCH", path, officer,
                  json_pack("{s:s, s:s}", "phone", "0812-7777-4141", "reason", "warga datang"), &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  tu_resp_free(&r);

  /* an extract made before the correction: the correction stays */
  tu_request(&srv, "POST", "/v1/imports/dtsen?extract_date=2026-01-01", admin, "text/csv", csv, len,
             &r);
  ck_assert_msg(r.status == 200, "%d %.300s", r.status, r.body);
  json_t *doc = tu_json(&r);
  ck_assert_int_ge(json_integer_value(json_object_get(doc, "kept_corrections")), 1);
  int found = 0;
  json_t *issues = json_object_get(doc, "issues");
  for (size_t i = 0; i < json_array_size(issues); i++) {
    json_t *is = json_array_get(issues, i);
    if (json_integer_value(json_object_get(is, "line")) == line &&
        strcmp(json_string_value(json_object_get(is, "code")), "corrected_after_extract") == 0) {
      found = 1;
      /* the fields kept, ';'-separated: phone among them (another test of
       * this suite may have corrected more of the same resident) */
      char fields[128];
      snprintf(fields, sizeof fields, ";%s;", json_string_value(json_object_get(is, "value")));
      ck_assert_msg(strstr(fields, ";phone;") != NULL, "kept %s", fields);
    }
  }
  ck_assert_msg(found, "no corrected_after_extract on line %ld", line);
  json_decref(doc);
  tu_resp_free(&r);
  char *now = db_text("SELECT phone FROM residents WHERE id = ?1", id);
  ck_assert_str_eq(now, "0812-7777-4141");
  free(now);

  /* an extract made after it: the extract's value, with a history row */
  tu_request(&srv, "POST", "/v1/imports/dtsen?extract_date=2099-01-01", admin, "text/csv", csv, len,
             &r);
  ck_assert_msg(r.status == 200, "%d %.300s", r.status, r.body);
  tu_resp_free(&r);
  now = db_text("SELECT coalesce(phone, '') FROM residents WHERE id = ?1", id);
  ck_assert_str_eq(now, phone);
  free(now);
  char *hist = db_text("SELECT coalesce(old_value, '') || '>' || coalesce(new_value, '') || '/' || "
                       "reason FROM resident_history WHERE resident_id = ?1 AND field = 'phone' "
                       "AND source = 'import' ORDER BY id DESC LIMIT 1",
                       id);
  char want[160];
  snprintf(want, sizeof want, "0812-7777-4141>%s/DTSEN import", phone);
  ck_assert_str_eq(hist, want);
  free(hist);
  free(csv);
  free(nik);
  free(phone);
  free(admin);
}
END_TEST

/* Point 1: a desk files an objection to a DTSEN field; the desk cannot
 * resolve it; an officer accepts it and the field is corrected with history
 * and audit; a resolved objection cannot be resolved again; a rejected one
 * changes nothing. */
START_TEST(objections_filed_by_a_desk_resolved_by_an_officer) {
  char *desk = tu_login(&srv, "desk");
  struct tu_resp r;
  tu_request(&srv, "GET", "/v1/residents?limit=3", desk, NULL, NULL, 0, &r);
  json_t *doc = tu_json(&r);
  json_int_t id =
      json_integer_value(json_object_get(json_array_get(json_object_get(doc, "items"), 2), "id"));
  json_decref(doc);
  tu_resp_free(&r);
  ck_assert(id > 0);
  char *desil = db_text("SELECT desil FROM residents WHERE id = ?1", (long long)id);
  const char *claim = strcmp(desil, "1") == 0 ? "2" : "1";
  char path[80], opath[64];
  snprintf(path, sizeof path, "/v1/residents/%lld/objections", (long long)id);
  tu_json_request(&srv, "POST", path, desk,
                  json_pack("{s:s, s:s, s:s}", "field", "desil", "proposed_value", claim, "reason",
                            "warga menunjukkan surat keterangan"),
                  &r);
  ck_assert_msg(r.status == 201, "%d %s", r.status, r.body);
  doc = tu_json(&r);
  json_int_t oid = json_integer_value(json_object_get(doc, "id"));
  ck_assert_str_eq(json_string_value(json_object_get(doc, "status")), "open");
  json_decref(doc);
  tu_resp_free(&r);
  snprintf(opath, sizeof opath, "/v1/objections/%lld", (long long)oid);

  /* a bad field or value is refused by name */
  tu_json_request(
      &srv, "POST", path, desk,
      json_pack("{s:s, s:s, s:s}", "field", "phone", "proposed_value", "1", "reason", "x"), &r);
  tu_expect_problem(&r, 400, "invalid-input");
  tu_resp_free(&r);
  tu_json_request(
      &srv, "POST", path, desk,
      json_pack("{s:s, s:s, s:s}", "field", "desil", "proposed_value", "11", "reason", "x"), &r);
  tu_expect_problem(&r, 400, "invalid-input");
  tu_resp_free(&r);

  /* the desk cannot resolve it; the officer sees it among the open ones */
  tu_json_request(&srv, "PATCH", opath, desk, json_pack("{s:s}", "status", "accepted"), &r);
  tu_expect_problem(&r, 403, "forbidden");
  tu_resp_free(&r);
  tu_request(&srv, "GET", "/v1/objections?status=open&limit=500", officer, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert(strstr(r.body, "warga menunjukkan surat keterangan") != NULL);
  tu_resp_free(&r);

  tu_json_request(&srv, "PATCH", opath, officer,
                  json_pack("{s:s, s:s}", "status", "accepted", "note", "sesuai surat"), &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  doc = tu_json(&r);
  ck_assert_str_eq(json_string_value(json_object_get(doc, "status")), "accepted");
  json_decref(doc);
  tu_resp_free(&r);
  char *now = db_text("SELECT desil FROM residents WHERE id = ?1", (long long)id);
  ck_assert_str_eq(now, claim);
  free(now);
  char *hist = db_text("SELECT reason FROM resident_history WHERE resident_id = ?1 AND field = "
                       "'desil' ORDER BY id DESC LIMIT 1",
                       (long long)id);
  ck_assert_msg(strstr(hist, "objection") != NULL, "%s", hist);
  free(hist);
  char *audited = db_text("SELECT count(*) FROM audit_log WHERE resident_id = ?1 AND action IN "
                          "('file_objection', 'resolve_objection', 'correct_resident')",
                          (long long)id);
  ck_assert_str_eq(audited, "3");
  free(audited);
  /* resolved once only */
  tu_json_request(&srv, "PATCH", opath, officer, json_pack("{s:s}", "status", "rejected"), &r);
  tu_expect_problem(&r, 409, "conflict");
  tu_resp_free(&r);

  /* a rejected objection changes nothing */
  tu_json_request(
      &srv, "POST", path, desk,
      json_pack("{s:s, s:s, s:s}", "field", "sex", "proposed_value", "P", "reason", "salah ketik"),
      &r);
  ck_assert_int_eq(r.status, 201);
  doc = tu_json(&r);
  oid = json_integer_value(json_object_get(doc, "id"));
  json_decref(doc);
  tu_resp_free(&r);
  char *sex = db_text("SELECT sex FROM residents WHERE id = ?1", (long long)id);
  snprintf(opath, sizeof opath, "/v1/objections/%lld", (long long)oid);
  tu_json_request(&srv, "PATCH", opath, officer, json_pack("{s:s}", "status", "rejected"), &r);
  ck_assert_int_eq(r.status, 200);
  tu_resp_free(&r);
  char *sex_after = db_text("SELECT sex FROM residents WHERE id = ?1", (long long)id);
  ck_assert_str_eq(sex_after, sex);
  free(sex);
  free(sex_after);
  free(desil);
  free(desk);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("security");
  TCase *unit = tcase_create("unit");
  tcase_add_test(unit, csv_formula_cells_neutralised);
  suite_add_tcase(s, unit);
  TCase *tc = tcase_create("server");
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_add_test(tc, nul_anywhere_is_400);
  tcase_add_test(tc, content_length_with_transfer_encoding_400_closed);
  tcase_add_test(tc, long_uri_414_large_head_431_as_problem_json);
  tcase_add_test(tc, chunked_body_cut_off_at_the_cap);
  tcase_add_test(tc, empty_body_400_and_empty_string_is_not_null);
  tcase_add_test(tc, cursors_are_bound_to_their_list);
  tcase_add_test(tc, logins_do_not_stall_token_holders);
  tcase_add_test(tc, drip_feeders_cannot_take_the_server);
  tcase_add_test(tc, busy_is_503_with_retry_after_and_nothing_stored);
  tcase_add_test(tc, erasure_stays_erased);
  tcase_add_test(tc, desk_cannot_edit_dtsen_fields);
  tcase_add_test(tc, corrections_survive_a_reimport);
  tcase_add_test(tc, objections_filed_by_a_desk_resolved_by_an_officer);
  tcase_add_test(tc, no_path_reaches_the_log);
  tcase_add_test(tc, database_files_are_0600);
  suite_add_tcase(s, tc);
  TCase *proxy = tcase_create("proxy");
  tcase_add_unchecked_fixture(proxy, proxy_setup, proxy_teardown);
  tcase_add_test(proxy, client_address_from_trusted_proxies_only);
  tcase_add_test(proxy, a_stranger_cannot_lock_staff_out);
  tcase_add_test(proxy, full_disk_is_507_and_nothing_stored);
  suite_add_tcase(s, proxy);
  return s;
}

int main(void) {
  return tu_run_suite(suite());
}
