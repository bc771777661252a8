/*
 * webhooks.c — the delivery worker, URL checks and signatures (see
 * webhooks.h for the model).  The worker never holds a database
 * transaction while it talks to a receiver: it reads a batch of due
 * deliveries, then for each one renders (once), sends, and records the
 * outcome in its own short write.
 */
#include "webhooks.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "deadline.h"

#define BATCH 16
#define BACKOFF_CAP_S (6 * 3600)
/* Deadlines are local dates in Kota Tangerang (UTC+7). */
#define LOCAL_OFFSET_S (7 * 3600)

static const char *const event_names[] = {"referral.confirmed", "referral.withdrawn",
                                          "vacancy.shortlist_changed", "vacancy.closing"};
static const char personal[16] = "padan:webhook";

unsigned webhook_event_parse(const char *name) {
  for (size_t i = 0; i < sizeof event_names / sizeof event_names[0]; i++)
    if (strcmp(name, event_names[i]) == 0)
      return 1u << i;
  return 0;
}

const char *webhook_event_name(unsigned bit) {
  for (size_t i = 0; i < sizeof event_names / sizeof event_names[0]; i++)
    if (bit == 1u << i)
      return event_names[i];
  return NULL;
}

static int64_t env_int(const char *name, int64_t fallback, int64_t min, int64_t max) {
  const char *v = getenv(name);
  if (v == NULL || *v == '\0')
    return fallback;
  char *end;
  errno = 0;
  long long n = strtoll(v, &end, 10);
  if (errno != 0 || *end != '\0' || n < min || n > max)
    return fallback;
  return (int64_t)n;
}

void webhook_opts_from_env(struct webhook_opts *o) {
  o->allow_private = (int)env_int("PADAN_WEBHOOK_ALLOW_PRIVATE", 0, 0, 1);
  o->retry_base_s = env_int("PADAN_WEBHOOK_RETRY_BASE_S", 30, 0, 3600);
  o->max_age_s = env_int("PADAN_WEBHOOK_MAX_AGE_S", 86400, 0, 7 * 86400);
  o->max_attempts = (int)env_int("PADAN_WEBHOOK_MAX_ATTEMPTS", 30, 1, 1000);
  o->connect_timeout_s = 5;
  o->timeout_s = (long)env_int("PADAN_WEBHOOK_TIMEOUT_S", 10, 1, 10);
  if (o->connect_timeout_s > o->timeout_s)
    o->connect_timeout_s = o->timeout_s;
  o->poll_ms = (unsigned)env_int("PADAN_WEBHOOK_POLL_MS", 1000, 10, 60000);
  o->scan_s = env_int("PADAN_WEBHOOK_SCAN_S", 30, 0, 3600);
}

/* ---- Addresses ---------------------------------------------------------------------- */

/* 1 when an IPv4 address (host order) is internal: this network, loopback,
 * private, carrier-grade NAT, link-local, benchmarking, multicast and
 * reserved. */
static int internal_v4(uint32_t a) {
  return (a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 || (a >> 22) == (100u << 2 | 1) ||
         (a >> 16) == (169u << 8 | 254) || (a >> 20) == (172u << 4 | 1) ||
         (a >> 16) == (192u << 8 | 168) || (a >> 17) == (198u << 7 | 9) || (a >> 28) >= 14;
}

static int internal_addr(const struct sockaddr *sa) {
  if (sa->sa_family == AF_INET) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
    return internal_v4(ntohl(in->sin_addr.s_addr));
  }
  if (sa->sa_family == AF_INET6) {
    const uint8_t *b = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr;
    static const uint8_t zero[10] = {0};
    if (memcmp(b, zero, 10) == 0 &&
        ((b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0)))
      return internal_v4((uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 |
                         b[15]); /* mapped, compatible, ::1 and :: */
    return (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || b[0] == 0xff;
  }
  return 1;
}

int webhook_url_ok(const char *url, int allow_private, char *why, size_t size) {
  const char *host;
  if (strlen(url) > 2048) {
    snprintf(why, size, "too long");
    return 0;
  }
  if (strncasecmp(url, "https://", 8) == 0)
    host = url + 8;
  else if (strncasecmp(url, "http://", 7) == 0)
    host = url + 7;
  else {
    snprintf(why, size, "scheme");
    return 0;
  }
  size_t n = strcspn(host, "/?#");
  if (n == 0 || memchr(host, '@', n) != NULL) {
    snprintf(why, size, "host");
    return 0;
  }
  for (const char *p = url; *p; p++)
    if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
      snprintf(why, size, "characters");
      return 0;
    }
  if (allow_private)
    return 1;
  char name[256];
  if (n >= sizeof name) {
    snprintf(why, size, "host");
    return 0;
  }
  memcpy(name, host, n);
  name[n] = '\0';
  char *h = name;
  if (*h == '[') { /* [v6]:port */
    h++;
    char *close = strchr(h, ']');
    if (close != NULL)
      *close = '\0';
  } else {
    char *colon = strrchr(h, ':');
    if (colon != NULL)
      *colon = '\0';
  }
  size_t hl = strlen(h);
  if (hl > 0 && h[hl - 1] == '.') /* "localhost." is localhost */
    h[--hl] = '\0';
  static const char sub[] = ".localhost";
  int local_name = strcasecmp(h, "localhost") == 0 ||
                   (hl > sizeof sub - 1 && strcasecmp(h + hl - (sizeof sub - 1), sub) == 0);
  struct sockaddr_in in4 = {.sin_family = AF_INET};
  struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
  if (local_name ||
      (inet_pton(AF_INET, h, &in4.sin_addr) == 1 && internal_addr((struct sockaddr *)&in4)) ||
      (inet_pton(AF_INET6, h, &in6.sin6_addr) == 1 && internal_addr((struct sockaddr *)&in6))) {
    snprintf(why, size, "internal");
    return 0;
  }
  return 1;
}

/* ---- Secrets and signatures --------------------------------------------------------- */

void webhook_secret(struct auth *a, const uint8_t salt[16], uint8_t secret[32],
                    char text[WEBHOOK_SECRET_TEXT_BYTES]) {
  auth_keyed_hash(a, personal, salt, 16, secret);
  memcpy(text, "whsec_", 6);
  sodium_bin2hex(text + 6, WEBHOOK_SECRET_TEXT_BYTES - 6, secret, 32);
}

void webhook_sign(const uint8_t secret[32], int64_t t, const char *body, size_t len, char *out,
                  size_t size) {
  crypto_auth_hmacsha256_state st;
  uint8_t mac[crypto_auth_hmacsha256_BYTES];
  char ts[24], hex[2 * crypto_auth_hmacsha256_BYTES + 1];
  int n = snprintf(ts, sizeof ts, "%lld", (long long)t);
  crypto_auth_hmacsha256_init(&st, secret, 32);
  crypto_auth_hmacsha256_update(&st, (const uint8_t *)ts, (unsigned long long)n);
  crypto_auth_hmacsha256_update(&st, (const uint8_t *)".", 1);
  crypto_auth_hmacsha256_update(&st, (const uint8_t *)body, len);
  crypto_auth_hmacsha256_final(&st, mac);
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  snprintf(out, size, "t=%s,v1=%s", ts, hex);
  sodium_memzero(&st, sizeof st);
}

/* ---- The worker ------------------------------------------------------------------------ */

struct webhook_worker {
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  atomic_int stop;
  struct store *db;
  struct auth *auth;
  struct webhook_opts o;
  webhook_render_fn render;
  webhook_count_fn count;
  void *arg;
  int64_t last_scan;
};

/* A due delivery, copied out of the store's walk. */
struct job {
  struct store_delivery d;
  char *body; /* owned */
};

struct batch {
  struct job jobs[BATCH];
  size_t n;
};

static int collect(void *arg, const struct store_delivery *d) {
  struct batch *b = arg;
  if (b->n == BATCH)
    return 1;
  struct job *j = &b->jobs[b->n];
  j->d = *d;
  j->d.body = NULL;
  j->body = d->body != NULL ? strdup(d->body) : NULL;
  if (d->body != NULL && j->body == NULL)
    return STORE_ENOMEM;
  b->n++;
  return STORE_OK;
}

static curl_socket_t open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a) {
  const struct webhook_worker *w = arg;
  (void)purpose;
  if (!w->o.allow_private && internal_addr(&a->addr))
    return CURL_SOCKET_BAD;
  return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

static int progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un) {
  (void)dt;
  (void)dn;
  (void)ut;
  (void)un;
  const struct webhook_worker *w = arg;
  return atomic_load(&w->stop) ? 1 : 0;
}

static size_t discard(char *p, size_t size, size_t n, void *arg) {
  (void)p;
  (void)arg;
  return size * n;
}

/* POSTs body to d's endpoint; the HTTP status (0 when none) and a short
 * error text. */
static int post(struct webhook_worker *w, const struct store_delivery *d, const char *body,
                char *err, size_t errlen) {
  uint8_t secret[32];
  char text[WEBHOOK_SECRET_TEXT_BYTES], sig[160], h_sig[192], h_id[80], h_type[80], h_try[48];
  webhook_secret(w->auth, d->salt, secret, text);
  sodium_memzero(text, sizeof text);
  size_t len = strlen(body);
  webhook_sign(secret, (int64_t)time(NULL), body, len, sig, sizeof sig);
  sodium_memzero(secret, sizeof secret);
  snprintf(h_sig, sizeof h_sig, "X-Padan-Signature: %s", sig);
  snprintf(h_id, sizeof h_id, "X-Padan-Event-Id: %s", d->uid);
  snprintf(h_type, sizeof h_type, "X-Padan-Event: %s", d->type);
  snprintf(h_try, sizeof h_try, "X-Padan-Attempt: %lld", (long long)d->attempts + 1);
  CURL *c = curl_easy_init();
  struct curl_slist *hdr = NULL;
  const char *lines[] = {"Content-Type: application/json",
                         "User-Agent: padan-webhooks/1",
                         "Expect:",
                         h_sig,
                         h_id,
                         h_type,
                         h_try};
  for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
    struct curl_slist *more = curl_slist_append(hdr, lines[i]);
    if (more == NULL)
      break;
    hdr = more;
  }
  long status = 0;
  char curl_err[CURL_ERROR_SIZE] = "";
  if (c == NULL) {
    snprintf(err, errlen, "out of memory");
    curl_slist_free_all(hdr);
    return 0;
  }
  curl_easy_setopt(c, CURLOPT_URL, d->url);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, w->o.connect_timeout_s);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, w->o.timeout_s);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, w);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, w);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    snprintf(err, errlen, "HTTP %ld", status);
  } else if (rc == CURLE_COULDNT_CONNECT && !w->o.allow_private) {
    snprintf(err, errlen, "cannot connect (internal addresses are not allowed)");
  } else {
    snprintf(err, errlen, "%s", curl_err[0] ? curl_err : curl_easy_strerror(rc));
  }
  curl_easy_cleanup(c);
  curl_slist_free_all(hdr);
  return (int)status;
}

/* The body of job i: its stored one, one rendered for the same event
 * earlier in the batch, or a new rendering, stored for every later
 * attempt.  NULL when it cannot be rendered. */
static const char *body_of(struct webhook_worker *w, struct batch *b, size_t i, int *gone) {
  struct job *j = &b->jobs[i];
  if (j->body != NULL)
    return j->body;
  for (size_t k = 0; k < i; k++)
    if (b->jobs[k].d.event_id == j->d.event_id && b->jobs[k].body != NULL) {
      j->body = strdup(b->jobs[k].body);
      return j->body;
    }
  j->body = w->render(w->arg, w->db, &j->d, gone);
  if (j->body != NULL && store_event_set_body(w->db, j->d.event_id, j->body) != STORE_OK)
    fprintf(stderr, "padan: webhooks: cannot store an event body: %s\n", store_errmsg(w->db));
  return j->body;
}

static void attempt(struct webhook_worker *w, struct batch *b, size_t i) {
  struct job *j = &b->jobs[i];
  char err[128];
  int gone = 0;
  const char *body = body_of(w, b, i, &gone);
  int status = 0;
  if (body == NULL)
    snprintf(err, sizeof err, gone ? "the event's objects are gone" : "cannot render the body");
  else
    status = post(w, &j->d, body, err, sizeof err);
  if (atomic_load(&w->stop))
    return; /* aborted: stays pending, sent again after a restart */
  int64_t now = (int64_t)time(NULL);
  const char *outcome;
  int64_t next = now;
  int counted;
  if (status >= 200 && status < 300) {
    outcome = "delivered";
    counted = 0;
  } else if (gone || j->d.attempts + 1 >= w->o.max_attempts ||
             now - j->d.created_at >= w->o.max_age_s) {
    outcome = "dead";
    counted = 2;
  } else {
    int64_t delay = w->o.retry_base_s;
    for (int64_t k = 0; k < j->d.attempts && delay < BACKOFF_CAP_S; k++)
      delay *= 2;
    next = now + (delay < BACKOFF_CAP_S ? delay : BACKOFF_CAP_S);
    outcome = "pending";
    counted = 1;
  }
  if (store_delivery_result(w->db, j->d.id, outcome, next, status, err, now) != STORE_OK)
    fprintf(stderr, "padan: webhooks: cannot record an attempt: %s\n", store_errmsg(w->db));
  if (w->count != NULL)
    w->count(w->arg, counted);
}

static void scan_closing(struct webhook_worker *w, int64_t now) {
  if (now - w->last_scan < w->o.scan_s && w->last_scan != 0)
    return;
  w->last_scan = now;
  time_t local = (time_t)(now + LOCAL_OFFSET_S);
  struct tm tm;
  char today[11];
  gmtime_r(&local, &tm);
  strftime(today, sizeof today, "%Y-%m-%d", &tm);
  int64_t added = 0;
  int rc = store_begin(w->db);
  if (rc == STORE_OK)
    rc = store_event_closing_scan(w->db, today, now, &added);
  if (rc == STORE_OK)
    rc = store_commit(w->db);
  if (rc != STORE_OK) {
    store_rollback(w->db);
    fprintf(stderr, "padan: webhooks: cannot queue closing vacancies: %s\n", store_errmsg(w->db));
  }
}

/* One round: 1 when something was due (look again at once). */
static int round_once(struct webhook_worker *w) {
  int64_t now = (int64_t)time(NULL);
  scan_closing(w, now);
  struct batch b;
  b.n = 0;
  int rc = store_delivery_due(w->db, now, BATCH, collect, &b);
  if (rc != STORE_OK && rc != 1)
    fprintf(stderr, "padan: webhooks: cannot read the queue: %s\n", store_errmsg(w->db));
  for (size_t i = 0; i < b.n && !atomic_load(&w->stop); i++)
    attempt(w, &b, i);
  for (size_t i = 0; i < b.n; i++)
    free(b.jobs[i].body);
  return b.n > 0;
}

static void *run(void *arg) {
  struct webhook_worker *w = arg;
  while (!atomic_load(&w->stop)) {
    if (round_once(w))
      continue;
    struct timespec until;
    deadline_in_ms(&until, (long)w->o.poll_ms);
    pthread_mutex_lock(&w->lock);
    if (!atomic_load(&w->stop))
      pthread_cond_timedwait(&w->wake, &w->lock, &until);
    pthread_mutex_unlock(&w->lock);
  }
  return NULL;
}

int webhook_worker_start(const char *db_path, struct auth *a, const struct webhook_opts *o,
                         webhook_render_fn render, webhook_count_fn count, void *arg,
                         struct webhook_worker **out) {
  char err[256];
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    fprintf(stderr, "padan: webhooks: libcurl failed to initialise\n");
    return -1;
  }
  struct webhook_worker *w = calloc(1, sizeof *w);
  if (w == NULL) {
    fprintf(stderr, "padan: out of memory\n");
    return -1;
  }
  w->auth = a;
  w->o = *o;
  w->render = render;
  w->count = count;
  w->arg = arg;
  atomic_init(&w->stop, 0);
  if (store_open(db_path, &w->db, err, sizeof err) != STORE_OK) {
    fprintf(stderr, "padan: webhooks: %s\n", err);
    free(w);
    return -1;
  }
  pthread_mutex_init(&w->lock, NULL);
  pthread_cond_init(&w->wake, NULL);
  if (pthread_create(&w->thread, NULL, run, w) != 0) {
    fprintf(stderr, "padan: webhooks: cannot start the delivery thread\n");
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    store_close(w->db);
    free(w);
    return -1;
  }
  *out = w;
  return 0;
}

void webhook_worker_stop(struct webhook_worker *w) {
  if (w == NULL)
    return;
  pthread_mutex_lock(&w->lock);
  atomic_store(&w->stop, 1);
  pthread_cond_signal(&w->wake);
  pthread_mutex_unlock(&w->lock);
  pthread_join(w->thread, NULL);
  pthread_cond_destroy(&w->wake);
  pthread_mutex_destroy(&w->lock);
  store_close(w->db);
  free(w);
  curl_global_cleanup();
}
