/*
 * check_hr_clients.c — employer HR systems as clients (issue 16), against
 * the real server: API keys (shown once, scoped, employer-bound, revoked at
 * once, attributed in the audit log and /metrics), and the webhook
 * address allow-list: internal addresses are refused when an endpoint is
 * registered and again when padan connects (this server runs without
 * PADAN_WEBHOOK_ALLOW_PRIVATE).  Deliveries are tested in check_webhooks.c.
 */
#include "seeds.h"
#include "store.h"
#include "testutil.h"
#include "tu_http.h"
#include "webhooks.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <time.h>
#include <unistd.h>

static struct tu_server srv;
static char *officer, *desk, *employer, *admin;
static int64_t own_employer, own_vacancy, other_employer, other_vacancy;

static void setup(void) {
  tu_server_start(&srv, 300, 5);
  officer = tu_login(&srv, "officer");
  desk = tu_login(&srv, "desk");
  employer = tu_login(&srv, "employer");
  admin = tu_login(&srv, "admin");
  struct tu_resp r;
  tu_request(&srv, "GET", "/v1/me", employer, NULL, NULL, 0, &r);
  json_t *me = tu_json(&r);
  own_employer =
      (int64_t)json_integer_value(json_object_get(json_object_get(me, "scope"), "employer_id"));
  json_decref(me);
  tu_resp_free(&r);
  tu_request(&srv, "GET", "/v1/vacancies?limit=200", officer, NULL, NULL, 0, &r);
  json_t *list = tu_json(&r);
  json_t *items = json_object_get(list, "items");
  for (size_t i = 0; i < json_array_size(items); i++) {
    json_t *v = json_array_get(items, i);
    int64_t id = (int64_t)json_integer_value(json_object_get(v, "id"));
    int64_t emp =
        (int64_t)json_integer_value(json_object_get(json_object_get(v, "employer"), "id"));
    if (emp == own_employer && own_vacancy == 0)
      own_vacancy = id;
    if (emp != own_employer && other_vacancy == 0) {
      other_vacancy = id;
      other_employer = emp;
    }
  }
  json_decref(list);
  tu_resp_free(&r);
  ck_assert_int_gt(own_vacancy, 0);
  ck_assert_int_gt(other_vacancy, 0);
}

static void teardown(void) {
  free(officer);
  free(desk);
  free(employer);
  free(admin);
  tu_server_stop(&srv);
}

/* Creates a key for employer_id as token with scopes (a JSON array text);
 * returns the key (caller frees) and its id. */
static char *new_key(const char *token, int64_t employer_id, const char *scopes, int64_t *id) {
  char path[96];
  snprintf(path, sizeof path, "/v1/employers/%lld/api-keys", (long long)employer_id);
  struct tu_resp r;
  json_error_t e;
  json_t *sc = json_loads(scopes, 0, &e);
  tu_json_request(&srv, "POST", path, token,
                  json_pack("{s:s, s:o}", "name", "hr-system", "scopes", sc), &r);
  ck_assert_msg(r.status == 201, "create key: %d %s", r.status, r.body);
  json_t *j = tu_json(&r);
  const char *text = json_string_value(json_object_get(j, "key"));
  ck_assert_ptr_nonnull(text);
  ck_assert_int_eq(strncmp(text, "pdk_", 4), 0);
  ck_assert_uint_eq(strlen(text), 47);
  char *key = strdup(text);
  *id = (int64_t)json_integer_value(json_object_get(j, "id"));
  json_decref(j);
  tu_resp_free(&r);
  tu_track_employer_token(key);
  return key;
}

static int status_of(const char *method, const char *path, const char *token, json_t *body) {
  struct tu_resp r;
  if (body != NULL || strcmp(method, "GET") != 0)
    tu_json_request(&srv, method, path, token, body, &r);
  else
    tu_request(&srv, method, path, token, NULL, NULL, 0, &r);
  int st = r.status;
  tu_resp_free(&r);
  return st;
}

/* A GET with the key in X-Api-Key instead of Authorization. */
static int x_api_key_status(const char *path, const char *key) {
  int fd = tu_dial(srv.port);
  ck_assert_int_ge(fd, 0);
  char req[512];
  int n =
      snprintf(req, sizeof req,
               "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: %s\r\nConnection: close\r\n\r\n",
               path, key);
  tu_send_all(fd, req, (size_t)n);
  struct tu_resp r;
  ck_assert_int_eq(tu_read_response(fd, 0, &r), 0);
  close(fd);
  int st = r.status;
  tu_resp_free(&r);
  return st;
}

START_TEST(key_is_shown_once_and_works_both_ways) {
  int64_t id;
  char *key = new_key(employer, own_employer, "[\"vacancies:read\"]", &id);
  ck_assert_int_eq(status_of("GET", "/v1/vacancies", key, NULL), 200);
  char path[64];
  snprintf(path, sizeof path, "/v1/vacancies/%lld", (long long)own_vacancy);
  ck_assert_int_eq(x_api_key_status(path, key), 200);
  ck_assert_int_eq(x_api_key_status(path, "pdk_notakeyatallnotakeyatallnotakeyatallnotakey"), 401);

  /* the list shows the key's hint, never the key */
  char lpath[96];
  snprintf(lpath, sizeof lpath, "/v1/employers/%lld/api-keys", (long long)own_employer);
  struct tu_resp r;
  tu_request(&srv, "GET", lpath, employer, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_null(strstr(r.body, key));
  ck_assert_ptr_nonnull(strstr(r.body, key + strlen(key) - 4));
  ck_assert_ptr_nonnull(strstr(r.body, "\"vacancies:read\""));
  tu_resp_free(&r);

  /* every use is in the audit log under the key, and counted in /metrics */
  tu_request(&srv, "GET", "/v1/audit?limit=200", admin, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  char who[32];
  snprintf(who, sizeof who, "apikey:%lld", (long long)id);
  ck_assert_ptr_nonnull(strstr(r.body, who));
  ck_assert_ptr_nonnull(strstr(r.body, "api_key_use"));
  ck_assert_ptr_null(strstr(r.body, key));
  tu_resp_free(&r);
  tu_request(&srv, "GET", "/metrics", NULL, NULL, NULL, 0, &r);
  char line[96];
  snprintf(line, sizeof line, "padan_api_key_requests_total{key_id=\"%lld\",result=\"served\"} 2",
           (long long)id);
  ck_assert_msg(strstr(r.body, line) != NULL, "no %s", line);
  ck_assert_ptr_null(strstr(r.body, key));
  tu_resp_free(&r);
  free(key);
}
END_TEST

START_TEST(scope_and_employer_bound_the_key) {
  int64_t id;
  char *reader = new_key(employer, own_employer, "[\"vacancies:read\"]", &id);
  char own[64], other[64], missing[64];
  snprintf(own, sizeof own, "/v1/vacancies/%lld", (long long)own_vacancy);
  snprintf(other, sizeof other, "/v1/vacancies/%lld", (long long)other_vacancy);
  snprintf(missing, sizeof missing, "/v1/vacancies/%d", 999999999);
  /* outside its scope: 403 */
  ck_assert_int_eq(status_of("PATCH", own, reader, json_pack("{s:i}", "openings", 3)), 403);
  ck_assert_int_eq(
      status_of("PATCH", "/v1/referrals/1", reader, json_pack("{s:s}", "status", "hired")), 403);
  /* routes no key may call: key management, logout, staff routes */
  char kpath[96];
  snprintf(kpath, sizeof kpath, "/v1/employers/%lld/api-keys", (long long)own_employer);
  ck_assert_int_eq(status_of("GET", kpath, reader, NULL), 403);
  ck_assert_int_eq(status_of("POST", "/v1/auth/logout", reader, NULL), 403);
  ck_assert_int_eq(status_of("GET", "/v1/residents", reader, NULL), 403);
  /* another employer's vacancy: 404 byte for byte as a missing one */
  struct tu_resp a, b;
  tu_request(&srv, "GET", other, reader, NULL, NULL, 0, &a);
  tu_request(&srv, "GET", missing, reader, NULL, NULL, 0, &b);
  ck_assert_int_eq(a.status, 404);
  ck_assert_int_eq(b.status, 404);
  ck_assert_uint_eq(a.body_len, b.body_len);
  ck_assert_int_eq(memcmp(a.body, b.body, a.body_len), 0);
  tu_resp_free(&a);
  tu_resp_free(&b);

  /* a writer may change its own vacancy, not another's */
  char *writer = new_key(employer, own_employer, "[\"vacancies:write\"]", &id);
  ck_assert_int_eq(status_of("PATCH", own, writer, json_pack("{s:i}", "openings", 3)), 200);
  tu_json_request(&srv, "PATCH", other, writer, json_pack("{s:i}", "openings", 3), &a);
  tu_json_request(&srv, "PATCH", missing, writer, json_pack("{s:i}", "openings", 3), &b);
  ck_assert_int_eq(a.status, 404);
  ck_assert_int_eq(memcmp(a.body, b.body, a.body_len), 0);
  tu_resp_free(&a);
  tu_resp_free(&b);
  /* but cannot read (no vacancies:read) */
  ck_assert_int_eq(status_of("GET", own, writer, NULL), 403);
  free(reader);
  free(writer);
}
END_TEST

START_TEST(who_may_manage_keys) {
  char own[96], other[96];
  snprintf(own, sizeof own, "/v1/employers/%lld/api-keys", (long long)own_employer);
  snprintf(other, sizeof other, "/v1/employers/%lld/api-keys", (long long)other_employer);
  ck_assert_int_eq(status_of("GET", own, officer, NULL), 403);
  ck_assert_int_eq(status_of("GET", own, desk, NULL), 403);
  ck_assert_int_eq(status_of("GET", own, NULL, NULL), 401);
  /* an employer does not see another employer's keys (404, as missing) */
  struct tu_resp a, b;
  tu_request(&srv, "GET", other, employer, NULL, NULL, 0, &a);
  tu_request(&srv, "GET", "/v1/employers/999999999/api-keys", employer, NULL, NULL, 0, &b);
  ck_assert_int_eq(a.status, 404);
  ck_assert_int_eq(memcmp(a.body, b.body, a.body_len), 0);
  tu_resp_free(&a);
  tu_resp_free(&b);
  /* an admin makes keys for any employer */
  int64_t id;
  char *key = new_key(admin, other_employer, "[\"vacancies:read\"]", &id);
  char kp[64];
  snprintf(kp, sizeof kp, "/v1/api-keys/%lld", (long long)id);
  tu_request(&srv, "GET", kp, employer, NULL, NULL, 0, &a);
  tu_request(&srv, "GET", "/v1/api-keys/999999999", employer, NULL, NULL, 0, &b);
  ck_assert_int_eq(a.status, 404);
  ck_assert_int_eq(memcmp(a.body, b.body, a.body_len), 0);
  tu_resp_free(&a);
  tu_resp_free(&b);
  /* bad input names the field */
  tu_json_request(&srv, "POST", own, employer,
                  json_pack("{s:s, s:[s]}", "name", "x", "scopes", "vacancies:delete"), &a);
  tu_expect_problem(&a, 400, "invalid-input");
  ck_assert_ptr_nonnull(strstr(a.body, "scopes[0]"));
  tu_resp_free(&a);
  tu_json_request(&srv, "POST", own, employer,
                  json_pack("{s:s, s:[s], s:s}", "name", "x", "scopes", "vacancies:read",
                            "expires_at", "2001-01-01T00:00:00Z"),
                  &a);
  tu_expect_problem(&a, 400, "invalid-input");
  ck_assert_ptr_nonnull(strstr(a.body, "expires_at"));
  tu_resp_free(&a);
  free(key);
}
END_TEST

START_TEST(revocation_and_rotation_are_immediate) {
  int64_t id;
  char *key = new_key(employer, own_employer, "[\"vacancies:read\", \"referrals:write\"]", &id);
  ck_assert_int_eq(status_of("GET", "/v1/vacancies", key, NULL), 200);
  char kp[64], rp[80];
  snprintf(kp, sizeof kp, "/v1/api-keys/%lld", (long long)id);
  snprintf(rp, sizeof rp, "/v1/api-keys/%lld/rotate", (long long)id);
  /* rotation: the old key stops, the new one works with the same scopes */
  struct tu_resp r;
  tu_request(&srv, "POST", rp, employer, NULL, NULL, 0, &r);
  ck_assert_msg(r.status == 201, "%d %s", r.status, r.body);
  json_t *j = tu_json(&r);
  char *rotated = strdup(json_string_value(json_object_get(j, "key")));
  int64_t new_id = (int64_t)json_integer_value(json_object_get(j, "id"));
  ck_assert_int_ne(new_id, id);
  ck_assert_int_eq(json_array_size(json_object_get(j, "scopes")), 2);
  json_decref(j);
  tu_resp_free(&r);
  tu_track_employer_token(rotated);
  ck_assert_int_eq(status_of("GET", "/v1/vacancies", key, NULL), 401);
  ck_assert_int_eq(status_of("GET", "/v1/vacancies", rotated, NULL), 200);
  /* /v1/me names the key, its scopes and its employer */
  tu_request(&srv, "GET", "/v1/me", rotated, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 200);
  j = tu_json(&r);
  ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "api_key"), "id")),
                   new_id);
  ck_assert_int_eq(json_array_size(json_object_get(json_object_get(j, "api_key"), "scopes")), 2);
  ck_assert_str_eq(json_string_value(json_object_get(j, "role")), "employer");
  ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "scope"), "employer_id")),
                   own_employer);
  ck_assert(json_is_null(json_object_get(j, "token_expires_at")));
  json_decref(j);
  tu_resp_free(&r);
  /* revocation: the very next request is refused */
  snprintf(kp, sizeof kp, "/v1/api-keys/%lld", (long long)new_id);
  tu_request(&srv, "DELETE", kp, employer, NULL, NULL, 0, &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  ck_assert_ptr_nonnull(strstr(r.body, "\"revoked\""));
  tu_resp_free(&r);
  tu_request(&srv, "GET", "/v1/vacancies", rotated, NULL, NULL, 0, &r);
  tu_expect_problem(&r, 401, "unauthenticated");
  tu_resp_free(&r);
  ck_assert_int_eq(x_api_key_status("/v1/vacancies", rotated), 401);
  /* revoking twice is a conflict */
  tu_request(&srv, "DELETE", kp, employer, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 409);
  tu_resp_free(&r);
  free(key);
  free(rotated);
}
END_TEST

START_TEST(url_rules) {
  static const struct {
    const char *url;
    int ok;
  } cases[] = {
      {"https://hr.example.org/padan", 1},
      {"http://203.0.113.7:8080/hook?x=1", 1},
      {"http://172.32.0.1/", 1},
      {"http://[2001:db8::1]/", 1},
      {"http://127.0.0.1/", 0},
      {"http://127.9.9.9:80/", 0},
      {"http://10.1.2.3/", 0},
      {"http://172.16.0.1/", 0},
      {"http://172.31.255.255/", 0},
      {"http://192.168.1.1/", 0},
      {"http://169.254.169.254/latest/meta-data", 0},
      {"http://100.64.0.1/", 0},
      {"http://0.0.0.0/", 0},
      {"http://224.0.0.1/", 0},
      {"http://[::1]/", 0},
      {"http://[::ffff:127.0.0.1]/", 0},
      {"http://[fd00::1]/", 0},
      {"http://[fe80::1]/", 0},
      {"http://localhost:8080/", 0},
      {"http://LOCALHOST./", 0},
      {"http://api.localhost/", 0},
      {"https://user:pw@example.org/", 0},
      {"ftp://example.org/", 0},
      {"file:///etc/passwd", 0},
      {"https:///nohost", 0},
      {"https://exa mple.org/", 0},
  };
  char why[32];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    ck_assert_msg(webhook_url_ok(cases[i].url, 0, why, sizeof why) == cases[i].ok, "%s: %s",
                  cases[i].url, cases[i].ok ? "refused" : "accepted");
  /* the operator may allow internal addresses, never another scheme */
  ck_assert(webhook_url_ok("http://127.0.0.1:9/", 1, why, sizeof why));
  ck_assert(!webhook_url_ok("gopher://127.0.0.1/", 1, why, sizeof why));
  ck_assert_int_eq(webhook_event_parse("vacancy.closing"), WEBHOOK_VACANCY_CLOSING);
  ck_assert_int_eq(webhook_event_parse("vacancy.opened"), 0);
}
END_TEST

/* The signature of a fixed body, computed by hand with the scheme of
 * docs/INTEGRATION.md and compared with webhook_sign(). */
START_TEST(signature_scheme) {
  ck_assert_int_ge(sodium_init(), 0);
  uint8_t secret[32];
  for (int i = 0; i < 32; i++)
    secret[i] = (uint8_t)i;
  char sig[160];
  webhook_sign(secret, 1765000000, "{\"a\":1}", 7, sig, sizeof sig);
  uint8_t mac[32];
  char hex[65], want[160];
  static const char msg[] = "1765000000.{\"a\":1}";
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, secret, 32);
  crypto_auth_hmacsha256_update(&st, (const uint8_t *)msg, sizeof msg - 1);
  crypto_auth_hmacsha256_final(&st, mac);
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  snprintf(want, sizeof want, "t=1765000000,v1=%s", hex);
  ck_assert_str_eq(sig, want);
}
END_TEST

/* A name this machine resolves to a loopback address (its host name, in
 * /etc/hosts), into out; 0 when there is none. */
static int loopback_name(char *out, size_t size) {
  char name[256], url[300], why[32];
  if (gethostname(name, sizeof name) != 0)
    return 0;
  snprintf(url, sizeof url, "http://%s/", name);
  if (!webhook_url_ok(url, 0, why, sizeof why))
    return 0;
  struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *ai = NULL;
  if (getaddrinfo(name, NULL, &hints, &ai) != 0 || ai == NULL)
    return 0;
  uint32_t a = ntohl(((struct sockaddr_in *)(void *)ai->ai_addr)->sin_addr.s_addr);
  freeaddrinfo(ai);
  if ((a >> 24) != 127)
    return 0;
  snprintf(out, size, "%s", name);
  return 1;
}

START_TEST(internal_addresses_are_refused) {
  /* at registration: a literal internal address */
  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  ck_assert_int_eq(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
  ck_assert_int_eq(listen(lfd, 4), 0);
  socklen_t len = sizeof a;
  getsockname(lfd, (struct sockaddr *)&a, &len);
  fcntl(lfd, F_SETFL, O_NONBLOCK);
  char path[96], url[300];
  struct tu_resp r;
  snprintf(path, sizeof path, "/v1/employers/%lld/webhooks", (long long)own_employer);
  snprintf(url, sizeof url, "http://127.0.0.1:%u/hook", (unsigned)ntohs(a.sin_port));
  tu_json_request(&srv, "POST", path, employer,
                  json_pack("{s:s, s:[s]}", "url", url, "events", "referral.confirmed"), &r);
  tu_expect_problem(&r, 400, "invalid-input");
  ck_assert_ptr_nonnull(strstr(r.body, "\"url\""));
  tu_resp_free(&r);

  /* at connection: a name that resolves to loopback passes registration,
   * but padan never connects to it */
  char name[256];
  if (!loopback_name(name, sizeof name)) {
    close(lfd);
    return; /* this machine's name is not a loopback name: nothing to try */
  }
  tu_request(&srv, "POST", "/v1/match-runs", officer, "application/json", "{}", 2, &r);
  ck_assert_msg(r.status == 201, "%d %s", r.status, r.body);
  tu_resp_free(&r);
  tu_request(&srv, "GET", "/v1/referrals?status=proposed&limit=1", officer, NULL, NULL, 0, &r);
  json_t *list = tu_json(&r);
  json_t *f = json_array_get(json_object_get(list, "items"), 0);
  ck_assert_ptr_nonnull(f);
  int64_t referral = (int64_t)json_integer_value(json_object_get(f, "id"));
  int64_t emp = (int64_t)json_integer_value(
      json_object_get(json_object_get(json_object_get(f, "vacancy"), "employer"), "id"));
  json_decref(list);
  tu_resp_free(&r);
  snprintf(path, sizeof path, "/v1/employers/%lld/webhooks", (long long)emp);
  snprintf(url, sizeof url, "http://%s:%u/hook", name, (unsigned)ntohs(a.sin_port));
  tu_json_request(&srv, "POST", path, admin,
                  json_pack("{s:s, s:[s]}", "url", url, "events", "referral.confirmed"), &r);
  ck_assert_msg(r.status == 201, "%s: %d %s", url, r.status, r.body);
  json_t *hook = tu_json(&r);
  int64_t hook_id = (int64_t)json_integer_value(json_object_get(hook, "id"));
  json_decref(hook);
  tu_resp_free(&r);
  char rp[64];
  snprintf(rp, sizeof rp, "/v1/referrals/%lld", (long long)referral);
  tu_json_request(&srv, "PATCH", rp, officer, json_pack("{s:s}", "status", "confirmed"), &r);
  ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
  tu_resp_free(&r);
  snprintf(path, sizeof path, "/v1/webhooks/%lld/deliveries", (long long)hook_id);
  json_t *d = NULL;
  for (int i = 0; i < 300; i++) {
    tu_request(&srv, "GET", path, admin, NULL, NULL, 0, &r);
    json_t *j = tu_json(&r);
    tu_resp_free(&r);
    json_t *item = json_array_get(json_object_get(j, "items"), 0);
    if (item != NULL && json_integer_value(json_object_get(item, "attempts")) >= 1) {
      d = json_incref(item);
      json_decref(j);
      break;
    }
    json_decref(j);
    struct timespec t = {0, 100 * 1000 * 1000};
    nanosleep(&t, NULL);
  }
  ck_assert_ptr_nonnull(d);
  ck_assert_str_eq(json_string_value(json_object_get(d, "status")), "pending");
  ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(d, "last_error")), "internal"));
  json_decref(d);
  ck_assert_int_lt(accept(lfd, NULL, NULL), 0); /* nobody ever connected */
  close(lfd);
}
END_TEST

/* Expiry and revocation in the store, at chosen times (no clock involved). */
START_TEST(expiry_and_revocation_in_the_store) {
  char *dir = tu_tmpdir(), path[4096], err[256];
  snprintf(path, sizeof path, "%s/padan.db", dir);
  struct store *s = NULL;
  ck_assert_msg(store_open(path, &s, err, sizeof err) == STORE_OK, "%s", err);
  int loaded = 0;
  ck_assert_msg(seeds_load(s, &loaded, err, sizeof err) == 0, "%s", err);
  uint8_t hash[32];
  memset(hash, 7, sizeof hash);
  struct store_apikey k = {.employer_id = 1,
                           .created_by = -1,
                           .scopes = 1,
                           .created_at = 100,
                           .expires_at = 1000,
                           .revoked_at = -1,
                           .last_used_at = -1};
  snprintf(k.name, sizeof k.name, "uji");
  snprintf(k.hint, sizeof k.hint, "abcd");
  int64_t id = 0;
  ck_assert_int_eq(store_apikey_add(s, &k, hash, &id), STORE_OK);
  struct store_apikey got;
  ck_assert_int_eq(store_apikey_by_hash(s, hash, 999, &got), STORE_OK);
  ck_assert_int_eq(got.id, id);
  ck_assert_int_eq(store_apikey_by_hash(s, hash, 1000, &got), STORE_ENOTFOUND); /* expired */
  ck_assert_int_eq(store_apikey_revoke(s, id, 500), STORE_OK);
  ck_assert_int_eq(store_apikey_by_hash(s, hash, 501, &got), STORE_ENOTFOUND); /* revoked */
  ck_assert_int_eq(store_apikey_revoke(s, id, 502), STORE_ENOTFOUND);
  /* a second key with the same hash cannot exist */
  ck_assert_int_eq(store_apikey_add(s, &k, hash, &id), STORE_ECONSTRAINT);
  store_close(s);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* Ten live endpoints per employer; deleting one makes room. */
START_TEST(endpoints_per_employer_are_bounded) {
  char path[96], one[64];
  int64_t ids[10];
  struct tu_resp r;
  snprintf(path, sizeof path, "/v1/employers/%lld/webhooks", (long long)own_employer);
  for (int i = 0; i < 11; i++) {
    char url[64];
    snprintf(url, sizeof url, "https://hr-%d.invalid/padan", i);
    tu_json_request(&srv, "POST", path, employer,
                    json_pack("{s:s, s:[s]}", "url", url, "events", "vacancy.closing"), &r);
    if (i < 10) {
      ck_assert_msg(r.status == 201, "%d: %d %s", i, r.status, r.body);
      json_t *j = tu_json(&r);
      ids[i] = (int64_t)json_integer_value(json_object_get(j, "id"));
      json_decref(j);
    } else {
      tu_expect_problem(&r, 409, "conflict");
    }
    tu_resp_free(&r);
  }
  snprintf(one, sizeof one, "/v1/webhooks/%lld", (long long)ids[0]);
  tu_request(&srv, "DELETE", one, employer, NULL, NULL, 0, &r);
  ck_assert_int_eq(r.status, 204);
  tu_resp_free(&r);
  tu_request(&srv, "GET", one, employer, NULL, NULL, 0, &r); /* deleted: gone */
  ck_assert_int_eq(r.status, 404);
  tu_resp_free(&r);
  tu_request(&srv, "GET", path, employer, NULL, NULL, 0, &r);
  json_t *list = tu_json(&r);
  ck_assert_uint_eq(json_array_size(json_object_get(list, "items")), 9);
  ck_assert_ptr_null(strstr(r.body, "secret")); /* secrets are shown once only */
  json_decref(list);
  tu_resp_free(&r);
  for (int i = 1; i < 10; i++) {
    snprintf(one, sizeof one, "/v1/webhooks/%lld", (long long)ids[i]);
    tu_request(&srv, "DELETE", one, employer, NULL, NULL, 0, &r);
    ck_assert_int_eq(r.status, 204);
    tu_resp_free(&r);
  }
}
END_TEST

int main(void) {
  Suite *s = suite_create("hr_clients");
  TCase *tc = tcase_create("api_keys");
  tcase_set_timeout(tc, 240);
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_add_test(tc, key_is_shown_once_and_works_both_ways);
  tcase_add_test(tc, scope_and_employer_bound_the_key);
  tcase_add_test(tc, who_may_manage_keys);
  tcase_add_test(tc, revocation_and_rotation_are_immediate);
  tcase_add_test(tc, internal_addresses_are_refused);
  tcase_add_test(tc, endpoints_per_employer_are_bounded);
  suite_add_tcase(s, tc);
  TCase *unit = tcase_create("webhook_rules");
  tcase_add_test(unit, url_rules);
  tcase_add_test(unit, signature_scheme);
  tcase_add_test(unit, expiry_and_revocation_in_the_store);
  suite_add_tcase(s, unit);
  return tu_run_suite(s);
}
