/*
 * http.c — the HTTP daemon: listening socket, libmicrohttpd limits, the
 * route table, the per-request context and the dispatcher (see http.h for
 * what a handler may assume).
 *
 * MHD calls the access handler several times per request: once when the
 * headers have arrived, once per chunk of body, and once more with no
 * data.  The first call allocates the request context, matches the route
 * and authenticates, so that a request that will be refused never has its
 * body buffered; the reply is queued on the last call only (answering on
 * the first call makes MHD 0.9.75 close a keep-alive connection), except
 * when a declared Content-Length is already over the cap, where closing is
 * what we want.  (A chunked body that outgrows the cap is dropped as it
 * arrives and answered with 413 at its end, or cut off far past the cap.)  The context is freed in
 * one place, the completion callback, which also writes the request's log line (method, path
 * without query, status, milliseconds; never headers, bodies or tokens).
 *
 * Each worker thread of MHD's pool opens its own SQLite connection on first
 * use (SQLite connections must not be shared across threads mid-
 * statement); the server keeps a list of them and closes them after the
 * daemon has stopped and joined its threads.
 */
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "auditq.h"
#include "metrics.h"
#include "json_io.h"
#include "listing.h"
#include "server.h"

/* A refused body is read and dropped up to this many times the cap. */
#define DISCARD_FACTOR 16

/* ---- Server and request state ----------------------------------------------- */

struct api_server {
  struct MHD_Daemon *daemon;
  struct auth *auth;
  struct api_app *app;
  struct api_metrics *metrics;
  struct api_auditq *auditq;
  const char *db_path;
  size_t max_body;
  pthread_key_t db_key;
  pthread_mutex_t db_lock; /* guards dbs */
  struct store **dbs;      /* every connection a worker opened */
  size_t n_dbs, cap_dbs;
};

/* What the dispatcher decided before the body arrived. */
struct request {
  struct api_req pub; /* first, so a handler's pointer is also ours */
  struct api_server *srv;
  int refused;              /* answer with error instead of running the handler */
  enum api_error error;     /* valid when refused */
  struct api_upload upload; /* body so far, when it will be used */
  size_t seen;              /* body bytes received, used or not */
  struct timespec started;
};

/* ---- Per-thread database ------------------------------------------------------ */

static struct store *thread_db(struct api_server *srv) {
  struct store *s = pthread_getspecific(srv->db_key);
  if (s != NULL)
    return s;
  char err[256];
  if (store_open(srv->db_path, &s, err, sizeof err) != STORE_OK) {
    fprintf(stderr, "padan: %s\n", err);
    return NULL;
  }
  store_autocheckpoint(s, 0); /* the audit writer's thread checkpoints */
  pthread_mutex_lock(&srv->db_lock);
  if (srv->n_dbs == srv->cap_dbs) {
    size_t cap = srv->cap_dbs == 0 ? 8 : 2 * srv->cap_dbs;
    struct store **grown = realloc(srv->dbs, cap * sizeof *grown);
    if (grown == NULL) {
      pthread_mutex_unlock(&srv->db_lock);
      store_close(s);
      return NULL;
    }
    srv->dbs = grown;
    srv->cap_dbs = cap;
  }
  srv->dbs[srv->n_dbs++] = s;
  pthread_mutex_unlock(&srv->db_lock);
  pthread_setspecific(srv->db_key, s);
  return s;
}

/* ---- Routing ------------------------------------------------------------------ */

/* A {..} segment: a positive decimal int64 without sign or leading zero. */
static int parse_id(const char *seg, size_t len, int64_t *out) {
  if (len == 0 || len > 19 || seg[0] == '0')
    return 0;
  int64_t v = 0;
  for (size_t i = 0; i < len; i++) {
    if (seg[i] < '0' || seg[i] > '9')
      return 0;
    int d = seg[i] - '0';
    if (v > (INT64_MAX - d) / 10)
      return 0;
    v = v * 10 + d;
  }
  *out = v;
  return 1;
}

/* A {code} segment: a reference-data code (a kelurahan's "36.71.10.1001"),
 * digits, ASCII letters, '.' and '-', at most API_PATH_CODE_MAX bytes. */
static int parse_code(const char *seg, size_t len, char code[API_PATH_CODE_MAX + 1]) {
  if (len == 0 || len > API_PATH_CODE_MAX)
    return 0;
  for (size_t i = 0; i < len; i++) {
    char c = seg[i];
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' ||
          c == '-'))
      return 0;
  }
  memcpy(code, seg, len);
  code[len] = '\0';
  return 1;
}

/* 1 when path fits pattern; ids receives the {..} segments, code the
 * {code} segment. */
static int path_match(const char *pattern, const char *path, int64_t ids[API_MAX_PATH_IDS],
                      size_t *n_ids, char code[API_PATH_CODE_MAX + 1]) {
  *n_ids = 0;
  const char *p = pattern, *u = path;
  while (*p == '/' && *u == '/') {
    p++;
    u++;
    size_t plen = strcspn(p, "/"), ulen = strcspn(u, "/");
    if (plen == 6 && memcmp(p, "{code}", 6) == 0) {
      if (!parse_code(u, ulen, code))
        return 0;
    } else if (p[0] == '{') {
      if (*n_ids == API_MAX_PATH_IDS || !parse_id(u, ulen, &ids[*n_ids]))
        return 0;
      (*n_ids)++;
    } else if (plen != ulen || memcmp(p, u, plen) != 0) {
      return 0;
    }
    p += plen;
    u += ulen;
  }
  return *p == '\0' && *u == '\0';
}

/* Appends method to the comma-separated list in allow unless present. */
static void allow_add(char *allow, size_t size, const char *method) {
  size_t mlen = strlen(method);
  for (const char *s = allow; *s != '\0';) {
    size_t n = strcspn(s, ",");
    if (n == mlen && memcmp(s, method, n) == 0)
      return;
    s += n;
    while (*s == ',' || *s == ' ')
      s++;
  }
  size_t used = strlen(allow);
  snprintf(allow + used, size - used, "%s%s", used > 0 ? ", " : "", method);
}

/* Finds the route for method and path.  Returns it, or NULL with *error
 * set to 404, or to 405 with the Allow header added to r. */
static const struct api_route *route_find(struct api_req *r, enum api_error *error) {
  const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
  char allow[96] = "";
  const struct api_route *hit = NULL;
  int64_t ids[API_MAX_PATH_IDS];
  size_t n_ids;
  char code[API_PATH_CODE_MAX + 1] = "";
  for (size_t t = 0; api_route_tables[t] != NULL; t++) {
    for (const struct api_route *rt = api_route_tables[t]; rt->method != NULL; rt++) {
      if (!path_match(rt->pattern, r->path, ids, &n_ids, code))
        continue;
      allow_add(allow, sizeof allow, rt->method);
      if (strcmp(rt->method, "GET") == 0)
        allow_add(allow, sizeof allow, "HEAD");
      if (hit == NULL && strcmp(rt->method, method) == 0) {
        hit = rt;
        memcpy(r->id, ids, sizeof ids);
        r->n_id = n_ids;
        memcpy(r->code, code, sizeof code);
      }
    }
  }
  if (hit == NULL) {
    *error = allow[0] == '\0' ? API_E_NOT_FOUND : API_E_METHOD_NOT_ALLOWED;
    if (allow[0] != '\0')
      api_reply_header(r, MHD_HTTP_HEADER_ALLOW, "%s", allow);
  }
  return hit;
}

/* ---- The request's life ------------------------------------------------------- */

static void client_ip(struct MHD_Connection *conn, char *buf, size_t size) {
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  snprintf(buf, size, "?");
  if (ci == NULL || ci->client_addr == NULL)
    return;
  const struct sockaddr *sa = ci->client_addr;
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
              (socklen_t)size);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
              (socklen_t)size);
}

static void refuse(struct request *q, enum api_error e) {
  q->refused = 1;
  q->error = e;
}

/* Everything decided from the headers alone. */
static void request_begin(struct request *q) {
  struct api_req *r = &q->pub;
  enum api_error e;
  r->route = route_find(r, &e);
  if (r->route == NULL) {
    refuse(q, e);
    return;
  }
  r->db = thread_db(q->srv);
  if (r->db == NULL) {
    refuse(q, API_E_UNAVAILABLE);
    return;
  }
  if (r->route->roles == API_PUBLIC)
    return;
  const char *authz =
      MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
  switch (auth_authenticate(r->auth, r->db, authz, r->now, &r->who)) {
  case AUTH_OK:
    if ((r->route->roles & r->who.role) == 0)
      refuse(q, API_E_FORBIDDEN);
    break;
  case AUTH_EDENIED:
    api_reply_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"padan\"");
    refuse(q, API_E_UNAUTHENTICATED);
    break;
  case AUTH_EBUSY:
    refuse(q, API_E_UNAVAILABLE);
    break;
  default:
    refuse(q, API_E_INTERNAL);
    break;
  }
}

/* The body cap for this request: its route's own (a CSV upload) or the
 * server's. */
static size_t body_cap(const struct request *q) {
  const struct api_route *rt = q->pub.route;
  return rt != NULL && rt->max_body != 0 ? rt->max_body : q->srv->max_body;
}

/* 1 when the declared Content-Length is over the cap. */
static int declared_too_large(struct request *q) {
  const char *cl =
      MHD_lookup_connection_value(q->pub.conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
  if (cl == NULL)
    return 0;
  char *end;
  errno = 0;
  unsigned long long n = strtoull(cl, &end, 10);
  return errno != 0 || end == cl || n > body_cap(q);
}

static int is_json_type(const char *ct) {
  static const char json[] = "application/json";
  if (ct == NULL || strncasecmp(ct, json, sizeof json - 1) != 0)
    return 0;
  char next = ct[sizeof json - 1];
  return next == '\0' || next == ';' || next == ' ';
}

static enum MHD_Result request_finish(struct request *q) {
  struct api_req *r = &q->pub;
  if (q->refused)
    return api_reply_problem(r, q->error);
  if (api_query_check(r, r->route->query) != 0)
    return r->status != 0 ? MHD_YES : MHD_NO;
  const char *ct =
      MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
  if (r->route->raw_type != NULL) {
    /* a raw upload (CSV): handed over as bytes, of its declared type only */
    if (ct == NULL || strncasecmp(ct, r->route->raw_type, strlen(r->route->raw_type)) != 0)
      return api_reply_problem(r, API_E_UNSUPPORTED_MEDIA_TYPE);
    r->raw = q->upload.data != NULL ? q->upload.data : "";
    r->raw_len = q->upload.len;
    enum MHD_Result ret = r->route->handler(r);
    if (r->status == 0)
      return api_reply_problem(r, API_E_INTERNAL);
    return ret;
  }
  if (q->upload.len > 0 && !is_json_type(ct))
    return api_reply_problem(r, API_E_UNSUPPORTED_MEDIA_TYPE);
  if (q->upload.len > 0 || r->route->body != NULL) {
    static const struct api_field no_fields[] = {{NULL, API_F_STRING, 0, 0, 0, 0}};
    const struct api_field *spec = r->route->body != NULL ? r->route->body : no_fields;
    if (api_body_load(r, q->upload.data, q->upload.len, spec) != 0)
      return r->status != 0 ? MHD_YES : MHD_NO;
  }
  api_upload_free(&q->upload);
  enum MHD_Result ret = r->route->handler(r);
  if (r->status == 0) {
    fprintf(stderr, "padan: %s %s: handler did not reply\n", r->method, r->route->pattern);
    return api_reply_problem(r, API_E_INTERNAL);
  }
  return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls) {
  (void)version;
  struct api_server *srv = cls;
  struct request *q = *con_cls;
  if (q == NULL) {
    q = calloc(1, sizeof *q);
    if (q == NULL)
      return MHD_NO;
    clock_gettime(CLOCK_MONOTONIC, &q->started);
    q->srv = srv;
    q->pub.conn = conn;
    q->pub.method = method;
    q->pub.path = url;
    q->pub.auth = srv->auth;
    q->pub.app = srv->app;
    q->pub.metrics = srv->metrics;
    q->pub.auditq = srv->auditq;
    q->pub.now = (int64_t)time(NULL);
    client_ip(conn, q->pub.ip, sizeof q->pub.ip);
    *con_cls = q;
    request_begin(q);
    if (declared_too_large(q)) {
      if (!q->refused)
        refuse(q, API_E_BODY_TOO_LARGE);
      return api_reply_problem(&q->pub, q->error);
    }
    return MHD_YES;
  }
  if (*upload_data_size > 0) {
    /* MHD 0.9.75 cannot queue a reply mid-upload, so a refused body is
     * read and dropped to answer at its end; one far past the cap (which
     * only a chunked upload can get to) is not worth reading: close. */
    q->seen += *upload_data_size;
    if (q->seen > DISCARD_FACTOR * body_cap(q))
      return MHD_NO;
    if (!q->refused) {
      int rc = api_upload_add(&q->upload, upload_data, *upload_data_size, body_cap(q));
      if (rc != 0) {
        api_upload_free(&q->upload);
        refuse(q, rc == -1 ? API_E_BODY_TOO_LARGE : API_E_UNAVAILABLE);
      }
    }
    *upload_data_size = 0;
    return MHD_YES;
  }
  return request_finish(q);
}

/* Writes path to stderr with anything unprintable as '?', so a request
 * cannot forge log lines. */
static void log_path(char *out, size_t size, const char *path) {
  size_t i = 0;
  for (; path != NULL && path[i] != '\0' && i + 1 < size; i++)
    out[i] = (path[i] >= 0x20 && path[i] < 0x7f) ? path[i] : '?';
  out[i] = '\0';
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode why) {
  (void)cls;
  (void)conn;
  struct request *q = *con_cls;
  if (q == NULL)
    return;
  struct timespec end;
  clock_gettime(CLOCK_MONOTONIC, &end);
  double ms = (double)(end.tv_sec - q->started.tv_sec) * 1e3 +
              (double)(end.tv_nsec - q->started.tv_nsec) / 1e6;
  api_metrics_request(q->srv->metrics, q->pub.route, q->pub.status, ms);
  char path[160];
  log_path(path, sizeof path, q->pub.path);
  fprintf(stderr, "padan: %s %s %u %.2f ms%s\n", q->pub.method, path, q->pub.status, ms,
          why == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (connection closed early)");
  json_decref(q->pub.body);
  api_upload_free(&q->upload);
  free(q);
  *con_cls = NULL;
}

/* ---- Start and stop ------------------------------------------------------------ */

static void mhd_log(void *cls, const char *fmt, va_list ap) {
  (void)cls;
  char line[512];
  vsnprintf(line, sizeof line, fmt, ap);
  line[strcspn(line, "\n")] = '\0';
  fprintf(stderr, "padan: http: %s\n", line);
}

/* Creates the listening socket ourselves so that a failure can be named
 * ("port 8080 is in use") and port 0 can report the port it got. */
static int listen_on(const char *bind_addr, uint16_t port, int *fd_out, uint16_t *actual) {
  struct addrinfo hints = {.ai_family = AF_UNSPEC,
                           .ai_socktype = SOCK_STREAM,
                           .ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV};
  struct addrinfo *ai = NULL;
  char portstr[8];
  int fd = -1, rc = -1;
  snprintf(portstr, sizeof portstr, "%u", (unsigned)port);
  if (getaddrinfo(bind_addr, portstr, &hints, &ai) != 0 || ai == NULL) {
    fprintf(stderr, "padan: bind address %s is not a numeric IPv4 or IPv6 address\n", bind_addr);
    return -1;
  }
  fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
  if (fd < 0) {
    fprintf(stderr, "padan: cannot create a socket: %s\n", strerror(errno));
    goto cleanup;
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
    if (errno == EADDRINUSE)
      fprintf(stderr, "padan: port %u is in use on %s\n", (unsigned)port, bind_addr);
    else if (errno == EACCES)
      fprintf(stderr, "padan: no permission to listen on port %u\n", (unsigned)port);
    else if (errno == EADDRNOTAVAIL)
      fprintf(stderr, "padan: address %s does not belong to this machine\n", bind_addr);
    else
      fprintf(stderr, "padan: cannot bind %s port %u: %s\n", bind_addr, (unsigned)port,
              strerror(errno));
    goto cleanup;
  }
  if (listen(fd, SOMAXCONN) != 0) {
    fprintf(stderr, "padan: cannot listen on port %u: %s\n", (unsigned)port, strerror(errno));
    goto cleanup;
  }
  struct sockaddr_storage ss;
  socklen_t sslen = sizeof ss;
  if (getsockname(fd, (struct sockaddr *)&ss, &sslen) != 0) {
    fprintf(stderr, "padan: cannot read the bound port: %s\n", strerror(errno));
    goto cleanup;
  }
  *actual = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                                     : ntohs(((struct sockaddr_in *)&ss)->sin_port);
  *fd_out = fd;
  fd = -1;
  rc = 0;
cleanup:
  if (fd >= 0)
    close(fd);
  freeaddrinfo(ai);
  return rc;
}

/* The database must exist (serve never creates an empty one by mistake)
 * and open cleanly at the schema this binary knows. */
static int check_database(const char *path) {
  char err[256];
  struct store *s = NULL;
  if (access(path, R_OK | W_OK) != 0) {
    fprintf(stderr, "padan: cannot open database %s: %s (create it with padan seed or import)\n",
            path, strerror(errno));
    return -1;
  }
  if (store_open(path, &s, err, sizeof err) != STORE_OK) {
    fprintf(stderr, "padan: cannot open database %s: %s\n", path, err);
    return -1;
  }
  store_close(s);
  return 0;
}

int api_serve(const struct api_server_opts *o, volatile sig_atomic_t *stop,
              void (*on_ready)(void *arg, uint16_t port), void *arg) {
  struct api_server srv = {.db_path = o->db_path,
                           .max_body = o->max_body != 0 ? o->max_body : API_BODY_MAX_DEFAULT};
  uint8_t key[AUTH_KEY_BYTES];
  char err[512];
  int rc = -1, fd = -1, have_key = 0, have_lock = 0;
  uint16_t port = 0;
  const char *bind_addr = o->bind != NULL ? o->bind : "127.0.0.1";
  unsigned threads = o->threads != 0 ? o->threads : 2;

  if (auth_init() != 0) {
    fprintf(stderr, "padan: libsodium failed to initialise\n");
    return -1;
  }
  if (check_database(o->db_path) != 0)
    return -1;
  if (auth_load_or_create_key(o->key_path, key, err, sizeof err) != 0) {
    fprintf(stderr, "padan: %s\n", err);
    return -1;
  }
  int created = auth_create(key, &srv.auth);
  memset(key, 0, sizeof key);
  if (created != 0 || auth_cache_enable(srv.auth, o->db_path) != 0) {
    fprintf(stderr, "padan: out of memory\n");
    goto cleanup;
  }
  struct mt_config cfg;
  mt_config_default(&cfg);
  if (o->config != NULL)
    cfg = *o->config;
  if (api_app_create(o->db_path, &cfg, &srv.app, err, sizeof err) != 0) {
    fprintf(stderr, "padan: %s\n", err);
    goto cleanup;
  }
  if (api_auditq_create(o->db_path, &srv.auditq, err, sizeof err) != 0) {
    fprintf(stderr, "padan: %s\n", err);
    goto cleanup;
  }
  if (api_metrics_create(&srv.metrics) != 0) {
    fprintf(stderr, "padan: out of memory\n");
    goto cleanup;
  }
  if (pthread_key_create(&srv.db_key, NULL) != 0)
    goto cleanup;
  have_key = 1;
  if (pthread_mutex_init(&srv.db_lock, NULL) != 0)
    goto cleanup;
  have_lock = 1;
  if (listen_on(bind_addr, o->port, &fd, &port) != 0)
    goto cleanup;

  /* MHD_USE_ITC lets MHD_stop_daemon wake the workers at once. */
  unsigned flags =
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
  struct MHD_OptionItem options[] = {
      {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL}, /* first, to see later errors */
      {MHD_OPTION_LISTEN_SOCKET, fd, NULL},
      {MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s != 0 ? o->timeout_s : 30u, NULL},
      {MHD_OPTION_CONNECTION_LIMIT, o->max_connections != 0 ? o->max_connections : 512u, NULL},
      {MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->max_per_ip != 0 ? o->max_per_ip : 128u, NULL},
      {MHD_OPTION_CONNECTION_MEMORY_LIMIT, 32 * 1024, NULL},
      {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, &srv},
      /* one worker means no pool: MHD warns about a pool of size 1 */
      {threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, threads, NULL},
      {MHD_OPTION_END, 0, NULL},
  };
  srv.daemon = MHD_start_daemon(flags, port, NULL, NULL, on_request, &srv, MHD_OPTION_ARRAY,
                                options, MHD_OPTION_END);
  if (srv.daemon == NULL) {
    fprintf(stderr, "padan: cannot start the HTTP server on %s port %u\n", bind_addr,
            (unsigned)port);
    goto cleanup;
  }
  fd = -1; /* the daemon closes it */
  if (on_ready != NULL)
    on_ready(arg, port);
  while (!*stop) {
    struct timespec tick = {0, 50 * 1000 * 1000};
    nanosleep(&tick, NULL);
  }
  rc = 0;
cleanup:
  if (srv.daemon != NULL)
    MHD_stop_daemon(srv.daemon);
  if (fd >= 0)
    close(fd);
  api_auditq_free(srv.auditq); /* after the daemon: no request waits on it now */
  for (size_t i = 0; i < srv.n_dbs; i++)
    store_close(srv.dbs[i]);
  free(srv.dbs);
  if (have_lock)
    pthread_mutex_destroy(&srv.db_lock);
  if (have_key)
    pthread_key_delete(srv.db_key);
  auth_free(srv.auth);
  api_app_free(srv.app);
  api_metrics_free(srv.metrics);
  return rc;
}
