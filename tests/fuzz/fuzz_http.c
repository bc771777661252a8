/*
 * fuzz_http.c — libFuzzer harness for the whole request path: raw bytes on
 * a socket to the reply, through libmicrohttpd, the dispatcher, access,
 * the input specs, the handlers and the store.
 *
 * Once: `padan seed` (300 residents) and `padan user demo` into a
 * temporary directory, the real server (server.h) started in this process
 * on a free loopback port, and a login as the demo admin.  Each input is
 * written to a new connection as it is, except that every "@TOKEN" in it
 * becomes that admin's bearer token (so the seeds reach the handlers, not
 * only the 401), and the reply is read (see exchange).  Checked: the
 * server accepts the connection, whatever it answers starts "HTTP/1.", and
 * every 64th input
 * is followed by a GET /healthz that must answer 200.  The database grows
 * with what the writes create; that is part of the test.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <poll.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "log.h"
#include "server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char dir[64], db[96], key[96], token[256];
static volatile sig_atomic_t stop;
static uint16_t port;
static pthread_mutex_t ready_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cond = PTHREAD_COND_INITIALIZER;

static void on_ready(void *arg, uint16_t p) {
  (void)arg;
  pthread_mutex_lock(&ready_lock);
  port = p;
  pthread_cond_signal(&ready_cond);
  pthread_mutex_unlock(&ready_lock);
}

static void *serve(void *arg) {
  (void)arg;
  struct api_server_opts o = {.db_path = db, .key_path = key, .port = 0, .threads = 2};
  if (api_serve(&o, &stop, on_ready, NULL) != 0)
    abort();
  return NULL;
}

/* Sends req (n bytes) and reads the reply into out (cap bytes, NUL-ended;
 * the rest is read and dropped).  libmicrohttpd keeps a connection open
 * until the request deadline (15 s) even when the client shuts its write
 * side, so the reading stops when the server closes, or after 50 ms of
 * silence once
 * something arrived (a kept-alive connection), or first_ms with nothing (a
 * request not yet whole, or a slow handler: the server then sees the
 * client leave, which it must survive too).  Aborts when the server does
 * not take the connection.  Returns the bytes kept. */
static size_t exchange(const char *req, size_t n, char *out, size_t cap, int first_ms) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    fprintf(stderr, "fuzz_http: the server does not accept connections\n");
    abort();
  }
  for (size_t off = 0; off < n;) {
    ssize_t w = send(fd, req + off, n - off, MSG_NOSIGNAL);
    if (w <= 0)
      break; /* the server may close before reading it all */
    off += (size_t)w;
  }
  size_t kept = 0, got = 0;
  char sink[4096];
  for (;;) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, got > 0 ? 50 : first_ms) <= 0)
      break;
    char *to = kept + 1 < cap ? out + kept : sink;
    size_t room = kept + 1 < cap ? cap - 1 - kept : sizeof sink;
    ssize_t r = recv(fd, to, room, 0);
    if (r <= 0)
      break; /* closed, or reset: a refused request */
    got += (size_t)r;
    if (to == out + kept)
      kept += (size_t)r;
  }
  out[kept] = '\0';
  close(fd);
  return kept;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  snprintf(dir, sizeof dir, "/tmp/padan-fuzz-http-XXXXXX");
  if (mkdtemp(dir) == NULL)
    abort();
  char *seed[] = {"padan", "seed", "--data", dir, "--residents", "300", NULL};
  char *demo[] = {"padan", "user", "demo", "--data", dir, NULL};
  if (cli_main(6, seed) != 0 || cli_main(5, demo) != 0)
    abort();
  optind = 1; /* getopt again from the start for any later cli_main */
  snprintf(db, sizeof db, "%s/padan.db", dir);
  snprintf(key, sizeof key, "%s/token.key", dir);
  log_set_quiet(1); /* a line per fuzzed request would drown libFuzzer's own output */
  signal(SIGPIPE, SIG_IGN);
  pthread_t t;
  pthread_mutex_lock(&ready_lock);
  if (pthread_create(&t, NULL, serve, NULL) != 0)
    abort();
  while (port == 0)
    pthread_cond_wait(&ready_cond, &ready_lock);
  pthread_mutex_unlock(&ready_lock);
  pthread_detach(t);

  char creds[128], req[512], reply[8192];
  snprintf(creds, sizeof creds, "%s/demo-credentials.json", dir);
  json_t *all = json_load_file(creds, 0, NULL);
  const char *password = json_string_value(json_object_get(json_array_get(all, 0), "password"));
  if (password == NULL)
    abort();
  char body[128];
  int blen =
      snprintf(body, sizeof body, "{\"username\":\"demo-admin\",\"password\":\"%s\"}", password);
  int n = snprintf(req, sizeof req,
                   "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   "Content-Length: %d\r\nConnection: close\r\n\r\n%s",
                   blen, body);
  json_decref(all);
  exchange(req, (size_t)n, reply, sizeof reply, 30000); /* Argon2id */
  const char *b = strstr(reply, "\r\n\r\n");
  json_t *j = b != NULL ? json_loads(b + 4, 0, NULL) : NULL;
  const char *tok = json_string_value(json_object_get(j, "token"));
  if (tok == NULL) {
    fprintf(stderr, "fuzz_http: login failed: %s\n", reply);
    abort();
  }
  snprintf(token, sizeof token, "%s", tok);
  json_decref(j);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static unsigned long runs;
  static const char marker[] = "@TOKEN";
  size_t tl = strlen(token), ml = sizeof marker - 1;
  char *req = malloc(size * (tl / ml + 1) + 1);
  if (req == NULL)
    return 0;
  size_t n = 0;
  for (size_t i = 0; i < size;) {
    if (i + ml <= size && memcmp(data + i, marker, ml) == 0) {
      memcpy(req + n, token, tl);
      n += tl;
      i += ml;
    } else {
      req[n++] = (char)data[i++];
    }
  }
  char reply[64];
  size_t got = exchange(req, n, reply, sizeof reply, 100);
  free(req);
  if (got > 0 && strncmp(reply, "HTTP/1.", got < 7 ? got : 7) != 0) {
    fprintf(stderr, "fuzz_http: a reply that is not HTTP: %.60s\n", reply);
    abort();
  }
  if (++runs % 64 == 0) {
    static const char health[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    exchange(health, sizeof health - 1, reply, sizeof reply, 5000);
    if (strncmp(reply, "HTTP/1.1 200", 12) != 0) {
      fprintf(stderr, "fuzz_http: /healthz answered: %.60s\n", reply);
      abort();
    }
  }
  return 0;
}
