/*
 * check_webhooks.c — webhook deliveries end to end (issue 16): the real
 * server, with loopback receivers allowed and short retry settings from
 * the environment, delivers to receivers that are threads of this test.
 * A good receiver checks every signature (HMAC-SHA256 over "<t>.<body>"
 * under the secret shown at registration), the order of events and that
 * the event id header matches the body; a bad one first hangs past the
 * timeout, then answers 500, so its deliveries are retried and land in the
 * dead-letter list while the API keeps answering; a replay then delivers
 * under the same event id.  A vacancy whose deadline has come is announced
 * once, to the endpoint that asked for vacancy.closing only (a slow
 * receiver, delivered all the same).  Finally the server is killed with
 * SIGKILL with deliveries pending and restarted: every event reaches every
 * endpoint at least once, always under its one event id.  Every body
 * received goes to the suite's employer log for check_zz_employer_privacy.
 * Waiting is bounded by a number of polls, never by a measured time.
 */
#include "testutil.h"
#include "tu_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SEEN 256

enum mode { OK_200, HANG_THEN_500, FAIL_500, HANG, SLOW_200 };

struct receiver {
  int fd;
  uint16_t port;
  pthread_t thread;
  atomic_int mode;
  atomic_int stop;
  uint8_t secret[32];
  int have_secret;
  pthread_mutex_t lock;
  int n, bad_signatures, id_mismatch, attempts, private_fields, pseudonyms;
  char ids[MAX_SEEN][64], types[MAX_SEEN][64];
  int64_t vacancy[MAX_SEEN]; /* data.vacancy.id */
  char *bodies[MAX_SEEN];    /* malloc'd; logged as what the employer was shown */
};

static struct tu_server srv;
static char *officer, *admin;
static int64_t own_employer;
static struct receiver good, bad, closing;

static int header_value(const char *head, const char *name, char *out, size_t size) {
  size_t n = strlen(name);
  for (const char *p = head; (p = strstr(p, "\r\n")) != NULL;) {
    p += 2;
    if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
      const char *v = p + n + 1;
      v += strspn(v, " ");
      size_t len = strcspn(v, "\r\n");
      if (len >= size)
        len = size - 1;
      memcpy(out, v, len);
      out[len] = '\0';
      return 1;
    }
  }
  return 0;
}

/* 1 when sig ("t=..,v1=..") is the HMAC of "<t>.<body>" under secret. */
static int signature_ok(const uint8_t secret[32], const char *sig, const char *body, size_t len) {
  long long t;
  char hex[65];
  if (sscanf(sig, "t=%lld,v1=%64s", &t, hex) != 2)
    return 0;
  char ts[24];
  int n = snprintf(ts, sizeof ts, "%lld", t);
  crypto_auth_hmacsha256_state st;
  uint8_t mac[32];
  char want[65];
  crypto_auth_hmacsha256_init(&st, secret, 32);
  crypto_auth_hmacsha256_update(&st, (const uint8_t *)ts, (unsigned long long)n);
  crypto_auth_hmacsha256_update(&st, (const uint8_t *)".", 1);
  crypto_auth_hmacsha256_update(&st, (const uint8_t *)body, len);
  crypto_auth_hmacsha256_final(&st, mac);
  sodium_bin2hex(want, sizeof want, mac, sizeof mac);
  return strcmp(want, hex) == 0;
}

static void serve_one(struct receiver *rc, int c) {
  static char buf[65536];
  size_t got = 0;
  buf[0] = '\0';
  char *end = NULL;
  while (got < sizeof buf - 1 && (end = strstr(buf, "\r\n\r\n")) == NULL) {
    ssize_t k = read(c, buf + got, sizeof buf - 1 - got);
    if (k <= 0)
      return;
    got += (size_t)k;
    buf[got] = '\0';
  }
  if (end == NULL)
    return;
  char cl[32] = "0";
  header_value(buf, "Content-Length", cl, sizeof cl);
  size_t want = (size_t)strtoul(cl, NULL, 10), head = (size_t)(end + 4 - buf);
  while (got < head + want && got < sizeof buf - 1) {
    ssize_t k = read(c, buf + got, sizeof buf - 1 - got);
    if (k <= 0)
      return;
    got += (size_t)k;
  }
  buf[got] = '\0';
  const char *body = buf + head;
  pthread_mutex_lock(&rc->lock);
  rc->attempts++;
  int mode = atomic_load(&rc->mode);
  int attempt = rc->attempts;
  pthread_mutex_unlock(&rc->lock);
  if (mode == HANG || (mode == HANG_THEN_500 && attempt == 1)) {
    /* hold the connection until padan gives up on it */
    char sink[64];
    while (read(c, sink, sizeof sink) > 0)
      ;
    return;
  }
  if (mode == SLOW_200) { /* slow but within padan's timeout: delivered */
    struct timespec t = {0, 400 * 1000 * 1000};
    nanosleep(&t, NULL);
  } else if (mode != OK_200) {
    static const char fail[] =
        "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    if (write(c, fail, sizeof fail - 1) < 0)
      return;
    return;
  }
  char sig[256] = "", id[64] = "", type[64] = "";
  header_value(buf, "X-Padan-Signature", sig, sizeof sig);
  header_value(buf, "X-Padan-Event-Id", id, sizeof id);
  header_value(buf, "X-Padan-Event", type, sizeof type);
  pthread_mutex_lock(&rc->lock);
  if (!rc->have_secret || !signature_ok(rc->secret, sig, body, want)) {
    rc->bad_signatures++;
    fprintf(stderr, "bad signature %s over %zu bytes: %.*s\n", sig, want, (int)want, body);
  }
  json_error_t e;
  json_t *j = json_loadb(body, want, 0, &e);
  int64_t vacancy = (int64_t)json_integer_value(
      json_object_get(json_object_get(json_object_get(j, "data"), "vacancy"), "id"));
  if (j == NULL || strcmp(json_string_value(json_object_get(j, "id"))
                              ? json_string_value(json_object_get(j, "id"))
                              : "",
                          id) != 0)
    rc->id_mismatch++;
  json_decref(j);
  /* only what the employer may see: a pseudonym, never the resident */
  if (strstr(body, "resident") != NULL || strstr(body, "nik") != NULL ||
      strstr(body, "desil") != NULL || strstr(body, "priority") != NULL)
    rc->private_fields++;
  if (strstr(body, "\"candidate_id\":\"c-") != NULL)
    rc->pseudonyms++;
  if (rc->n < MAX_SEEN) {
    snprintf(rc->ids[rc->n], sizeof rc->ids[0], "%s", id);
    snprintf(rc->types[rc->n], sizeof rc->types[0], "%s", type);
    rc->vacancy[rc->n] = vacancy;
    rc->bodies[rc->n] = strndup(body, want);
    rc->n++;
  }
  pthread_mutex_unlock(&rc->lock);
  static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  if (write(c, ok, sizeof ok - 1) < 0)
    return;
}

static void *receive(void *arg) {
  struct receiver *rc = arg;
  while (!atomic_load(&rc->stop)) {
    int c = accept(rc->fd, NULL, NULL);
    if (c < 0)
      continue;
    serve_one(rc, c);
    close(c);
  }
  return NULL;
}

static void receiver_start(struct receiver *rc, enum mode mode) {
  memset(rc, 0, sizeof *rc);
  pthread_mutex_init(&rc->lock, NULL);
  atomic_init(&rc->mode, mode);
  rc->fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  ck_assert_int_eq(bind(rc->fd, (struct sockaddr *)&a, sizeof a), 0);
  ck_assert_int_eq(listen(rc->fd, 16), 0);
  socklen_t len = sizeof a;
  getsockname(rc->fd, (struct sockaddr *)&a, &len);
  rc->port = ntohs(a.sin_port);
  struct timeval tv = {0, 200000};
  setsockopt(rc->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ck_assert_int_eq(pthread_create(&rc->thread, NULL, receive, rc), 0);
}

static void receiver_stop(struct receiver *rc) {
  atomic_store(&rc->stop, 1);
  pthread_join(rc->thread, NULL);
  /* every body the employer received goes to the suite's employer log,
   * which check_zz_employer_privacy reads */
  for (int i = 0; i < rc->n; i++) {
    char path[96];
    snprintf(path, sizeof path, "/webhook/%s", rc->types[i]);
    tu_log_employer("POST", path, 200, rc->bodies[i], strlen(rc->bodies[i]));
    free(rc->bodies[i]);
  }
  close(rc->fd);
  pthread_mutex_destroy(&rc->lock);
}

static void pause_a_little(void) {
  struct timespec t = {0, 100 * 1000 * 1000};
  nanosleep(&t, NULL);
}

/* Registers rc for the referral events, or for vacancy.closing only;
 * returns the endpoint id. */
static int64_t register_for(struct receiver *rc, int closing_only) {
  char path[96], url[96];
  snprintf(path, sizeof path, "/v1/employers/%lld/webhooks", (long long)own_employer);
  snprintf(url, sizeof url, "http://127.0.0.1:%u/hook", (unsigned)rc->port);
  struct tu_resp r;
  tu_json_request(&srv, "POST", path, admin,
                  closing_only
                      ? json_pack("{s:s, s:[s]}", "url", url, "events", "vacancy.closing")
                      : json_pack("{s:s, s:[s,s,s]}", "url", url, "events", "referral.confirmed",
                                  "referral.withdrawn", "vacancy.shortlist_changed"),
                  &r);
  ck_assert_msg(r.status == 201, "register: %d %s", r.status, r.body);
  json_t *j = tu_json(&r);
  const char *secret = json_string_value(json_object_get(j, "secret"));
  ck_assert_ptr_nonnull(secret);
  ck_assert_int_eq(strncmp(secret, "whsec_", 6), 0);
  size_t n = 0;
  ck_assert_int_eq(sodium_hex2bin(rc->secret, 32, secret + 6, 64, NULL, &n, NULL), 0);
  ck_assert_uint_eq(n, 32);
  rc->have_secret = 1;
  int64_t id = (int64_t)json_integer_value(json_object_get(j, "id"));
  json_decref(j);
  tu_resp_free(&r);
  return id;
}

/* Ids of proposed referrals on the own employer's vacancies (at most max). */
static size_t own_proposals(int64_t *ids, size_t max) {
  struct tu_resp r;
  size_t n = 0;
  tu_request(&srv, "GET", "/v1/referrals?status=proposed&limit=500", officer, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  json_t *j = tu_json(&r);
  json_t *items = json_object_get(j, "items");
  for (size_t i = 0; i < json_array_size(items) && n < max; i++) {
    json_t *f = json_array_get(items, i);
    json_t *emp = json_object_get(json_object_get(json_object_get(f, "vacancy"), "employer"), "id");
    if ((int64_t)json_integer_value(emp) == own_employer)
      ids[n++] = (int64_t)json_integer_value(json_object_get(f, "id"));
  }
  json_decref(j);
  tu_resp_free(&r);
  return n;
}

/* Moves referral id to status as the officer; the HTTP status. */
static int move(int64_t id, const char *status) {
  char path[64];
  snprintf(path, sizeof path, "/v1/referrals/%lld", (long long)id);
  struct tu_resp r;
  tu_json_request(&srv, "PATCH", path, officer, json_pack("{s:s}", "status", status), &r);
  int st = r.status;
  tu_resp_free(&r);
  return st;
}

static int count_of(struct receiver *rc) {
  pthread_mutex_lock(&rc->lock);
  int n = rc->n;
  pthread_mutex_unlock(&rc->lock);
  return n;
}

static size_t dead_count(int64_t endpoint, json_t **items_out) {
  char path[80];
  snprintf(path, sizeof path, "/v1/webhooks/%lld/deliveries?status=dead", (long long)endpoint);
  struct tu_resp r;
  tu_request(&srv, "GET", path, admin, NULL, NULL, 0, &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  json_t *j = tu_json(&r);
  size_t n = json_array_size(json_object_get(j, "items"));
  if (items_out != NULL)
    *items_out = json_incref(json_object_get(j, "items"));
  json_decref(j);
  tu_resp_free(&r);
  return n;
}

START_TEST(deliveries_signed_ordered_retried_and_survive_a_kill) {
  setenv("PADAN_WEBHOOK_ALLOW_PRIVATE", "1", 1);
  setenv("PADAN_WEBHOOK_RETRY_BASE_S", "0", 1);
  setenv("PADAN_WEBHOOK_MAX_ATTEMPTS", "3", 1);
  setenv("PADAN_WEBHOOK_TIMEOUT_S", "1", 1);
  setenv("PADAN_WEBHOOK_POLL_MS", "50", 1);
  setenv("PADAN_WEBHOOK_SCAN_S", "0", 1);
  ck_assert_int_ge(sodium_init(), 0);
  tu_server_start(&srv, 600, 11);
  officer = tu_login(&srv, "officer");
  admin = tu_login(&srv, "admin");
  struct tu_resp r;
  /* the endpoints belong to the employer of the run's first proposal; an
   * admin manages them (any employer) */
  tu_request(&srv, "POST", "/v1/match-runs", officer, "application/json", "{}", 2, &r);
  ck_assert_msg(r.status == 201, "match run: %d %s", r.status, r.body);
  tu_resp_free(&r);
  tu_request(&srv, "GET", "/v1/referrals?status=proposed&limit=500", officer, NULL, NULL, 0, &r);
  json_t *list = tu_json(&r);
  for (size_t i = 0, best = 0; i < json_array_size(json_object_get(list, "items")); i++) {
    json_t *f = json_array_get(json_object_get(list, "items"), i);
    int64_t emp = (int64_t)json_integer_value(
        json_object_get(json_object_get(json_object_get(f, "vacancy"), "employer"), "id"));
    size_t same = 0;
    for (size_t k = 0; k < json_array_size(json_object_get(list, "items")); k++) {
      json_t *g = json_array_get(json_object_get(list, "items"), k);
      same += (int64_t)json_integer_value(json_object_get(
                  json_object_get(json_object_get(g, "vacancy"), "employer"), "id")) == emp;
    }
    if (same > best) {
      best = same;
      own_employer = emp;
    }
  }
  json_decref(list);
  tu_resp_free(&r);
  ck_assert_int_gt(own_employer, 0);

  receiver_start(&good, OK_200);
  receiver_start(&bad, HANG_THEN_500);
  register_for(&good, 0);
  int64_t bad_id = register_for(&bad, 0);
  receiver_start(&closing, SLOW_200);
  register_for(&closing, 1);

  /* an internal address is refused unless the operator allows it: here
   * it is allowed, so a malformed URL shows the check instead */
  char path[96];
  snprintf(path, sizeof path, "/v1/employers/%lld/webhooks", (long long)own_employer);
  tu_json_request(
      &srv, "POST", path, admin,
      json_pack("{s:s, s:[s]}", "url", "ftp://example.org/x", "events", "vacancy.closing"), &r);
  tu_expect_problem(&r, 400, "invalid-input");
  ck_assert_ptr_nonnull(strstr(r.body, "\"url\""));
  tu_resp_free(&r);

  int64_t props[8];
  size_t n_props = own_proposals(props, 8);
  ck_assert_uint_ge(n_props, 2);

  /* confirm then withdraw one referral: four events in this order */
  int64_t first = 0;
  for (size_t i = 0; i < n_props && first == 0; i++)
    if (move(props[i], "confirmed") == 200)
      first = props[i];
  ck_assert_int_gt(first, 0);
  ck_assert_int_eq(move(first, "withdrawn"), 200);
  for (int i = 0; i < 600 && count_of(&good) < 4; i++) {
    /* padan keeps answering while the bad receiver hangs and fails */
    tu_request(&srv, "GET", "/healthz", NULL, NULL, NULL, 0, &r);
    ck_assert_int_eq(r.status, 200);
    tu_resp_free(&r);
    pause_a_little();
  }
  ck_assert_int_eq(count_of(&good), 4);
  ck_assert_int_eq(good.bad_signatures, 0);
  ck_assert_int_eq(good.id_mismatch, 0);
  ck_assert_int_eq(good.private_fields, 0);
  ck_assert_int_eq(good.pseudonyms, 4);
  ck_assert_str_eq(good.types[0], "referral.confirmed");
  ck_assert_str_eq(good.types[1], "vacancy.shortlist_changed");
  ck_assert_str_eq(good.types[2], "referral.withdrawn");
  ck_assert_str_eq(good.types[3], "vacancy.shortlist_changed");
  for (int i = 0; i < 4; i++)
    for (int k = 0; k < i; k++)
      ck_assert_str_ne(good.ids[i], good.ids[k]);

  /* a vacancy whose deadline has come: vacancy.closing, once, to the
   * endpoint that asked for it only */
  char vpath[64];
  snprintf(vpath, sizeof vpath, "/v1/referrals/%lld", (long long)first);
  tu_request(&srv, "GET", vpath, officer, NULL, NULL, 0, &r);
  json_t *ref = tu_json(&r);
  int64_t vacancy =
      (int64_t)json_integer_value(json_object_get(json_object_get(ref, "vacancy"), "id"));
  json_decref(ref);
  tu_resp_free(&r);
  snprintf(vpath, sizeof vpath, "/v1/vacancies/%lld", (long long)vacancy);
  tu_request(&srv, "GET", vpath, officer, NULL, NULL, 0, &r);
  json_t *vac = tu_json(&r);
  char posted[16];
  snprintf(posted, sizeof posted, "%s", json_string_value(json_object_get(vac, "posted_date")));
  json_decref(vac);
  tu_resp_free(&r);
  ck_assert_uint_eq(strlen(posted), 10); /* a past date: the deadline comes at once */
  tu_json_request(&srv, "PATCH", vpath, officer, json_pack("{s:s}", "deadline", posted), &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  tu_resp_free(&r);
  int seen = 0;
  for (int i = 0; i < 600 && !seen; i++) {
    pthread_mutex_lock(&closing.lock);
    for (int k = 0; k < closing.n; k++)
      seen |= closing.vacancy[k] == vacancy;
    pthread_mutex_unlock(&closing.lock);
    if (!seen)
      pause_a_little();
  }
  ck_assert_msg(seen, "no vacancy.closing for vacancy %lld", (long long)vacancy);
  pthread_mutex_lock(&closing.lock);
  for (int k = 0; k < closing.n; k++) {
    ck_assert_str_eq(closing.types[k], "vacancy.closing");
    for (int m = 0; m < k; m++)
      ck_assert_int_ne(closing.vacancy[k], closing.vacancy[m]);
  }
  ck_assert_int_eq(closing.bad_signatures, 0);
  ck_assert_int_eq(closing.private_fields, 0);
  pthread_mutex_unlock(&closing.lock);
  for (int k = 0; k < good.n; k++)
    ck_assert_str_ne(good.types[k], "vacancy.closing");

  /* the bad endpoint: every event retried to the limit, then dead */
  for (int i = 0; i < 600 && dead_count(bad_id, NULL) < 4; i++)
    pause_a_little();
  json_t *dead = NULL;
  ck_assert_uint_eq(dead_count(bad_id, &dead), 4);
  ck_assert_int_eq(bad.attempts, 12);
  json_t *d0 = json_array_get(dead, 3); /* newest first: the oldest is last */
  ck_assert_int_eq(json_integer_value(json_object_get(d0, "attempts")), 3);
  ck_assert_str_eq(json_string_value(json_object_get(d0, "event_id")), good.ids[0]);
  /* replay once the receiver is fixed: the same event id arrives */
  atomic_store(&bad.mode, OK_200);
  char rp[80];
  snprintf(rp, sizeof rp, "/v1/webhook-deliveries/%lld/replay",
           (long long)json_integer_value(json_object_get(d0, "id")));
  tu_request(&srv, "POST", rp, admin, NULL, NULL, 0, &r);
  ck_assert_msg(r.status == 202, "%d %s", r.status, r.body);
  tu_resp_free(&r);
  json_decref(dead);
  for (int i = 0; i < 600 && count_of(&bad) < 1; i++)
    pause_a_little();
  ck_assert_int_eq(count_of(&bad), 1);
  ck_assert_str_eq(bad.ids[0], good.ids[0]);
  ck_assert_int_eq(bad.bad_signatures, 0);

  /* kill -9 with deliveries pending (the good receiver holds the first
   * attempt open), then restart: every new event reaches both endpoints
   * under one id */
  atomic_store(&good.mode, HANG);
  int64_t second = 0;
  for (size_t i = 0; i < n_props && second == 0; i++)
    if (props[i] != first && move(props[i], "confirmed") == 200)
      second = props[i];
  ck_assert_int_gt(second, 0);
  kill(srv.pid, SIGKILL);
  int st;
  ck_assert_int_eq(waitpid(srv.pid, &st, 0), srv.pid);
  srv.pid = -1;
  ck_assert_int_eq(count_of(&good), 4);
  atomic_store(&good.mode, OK_200);
  tu_server_restart(&srv);
  for (int i = 0; i < 600 && (count_of(&good) < 6 || count_of(&bad) < 3); i++)
    pause_a_little();
  ck_assert_int_ge(count_of(&good), 6);
  ck_assert_int_ge(count_of(&bad), 3);
  /* the two new events, the same ids at both endpoints, none of the old */
  ck_assert_str_eq(good.types[4], "referral.confirmed");
  ck_assert_str_eq(good.types[5], "vacancy.shortlist_changed");
  ck_assert_str_eq(bad.ids[1], good.ids[4]);
  ck_assert_str_eq(bad.ids[2], good.ids[5]);
  for (int i = 4; i < count_of(&good); i++)
    for (int k = 0; k < 4; k++)
      ck_assert_str_ne(good.ids[i], good.ids[k]);
  ck_assert_int_eq(good.bad_signatures, 0);

  receiver_stop(&good);
  receiver_stop(&bad);
  receiver_stop(&closing);
  free(officer);
  free(admin);
  tu_server_stop(&srv);
}
END_TEST

int main(void) {
  Suite *s = suite_create("webhooks");
  TCase *tc = tcase_create("webhooks");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, deliveries_signed_ordered_retried_and_survive_a_kill);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
