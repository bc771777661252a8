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
 * what we want.  (A chunked body that outgrows the cap is cut off there: the
 * connection is closed.)  The context is created by the URI callback, which
 * sees the URI before MHD decodes it, and freed in one place, the
 * completion callback, which also writes the request's log line (method,
 * route pattern, status, milliseconds; never the path, headers, bodies or
 * tokens).
 *
 * Edges refused from the head alone, answered at once and the connection
 * closed: %00 or a control byte anywhere in the URI, a NUL inside a header
 * value, both Content-Length and Transfer-Encoding (400); a URI past
 * URI_MAX (414); headers past HEAD_MAX (431).
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
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "apikeys.h"
#include "auditq.h"
#include "log.h"
#include "app.h"
#include "scopes.h"
#include "metrics.h"
#include "json_io.h"
#include "listing.h"
#include "pool.h"
#include "server.h"
#include "webhooks.h"

/* The longest request URI (path and query) and the most header bytes
 * (names, values and separators) a request may have; larger ones are
 * answered 414 and 431 as problem+json.  Both sit well inside the
 * connection's memory (CONNECTION_MEMORY), so that libmicrohttpd's own bare
 * HTML refusal only meets heads that outgrow even that. */
#define URI_MAX 4096
#define HEAD_MAX (12 * 1024)
#define CONNECTION_MEMORY (32 * 1024)
/* Logins waiting for a password check beyond those being checked; more
 * are answered 503 with Retry-After at once. */
#define LOGIN_QUEUE 32
/* A request must arrive whole — head and body — within this many seconds
 * of its connection opening or of the previous response (libmicrohttpd's
 * own timeout counts only silence, so a client dripping one byte every few
 * seconds would hold its slot for ever); a raw upload (a 64 MiB CSV) gets
 * UPLOAD_FACTOR times as long. */
#define REQUEST_TIMEOUT_DEFAULT 15
#define UPLOAD_FACTOR 10
/* Connections from one address, unless a trusted proxy forwards them all. */
#define PER_IP_DEFAULT 32
/* How long a stop waits for the requests in flight (drain). */
#define SHUTDOWN_GRACE_S 30
#define TRUSTED_PROXIES_MAX 8

/* ---- Server and request state ----------------------------------------------- */

struct api_server {
  struct MHD_Daemon *daemon;
  struct auth *auth;
  struct api_app *app;
  struct api_metrics *metrics;
  struct api_pool *pool; /* slow work: password checks */
  struct api_auditq *auditq;
  const char *db_path;
  unsigned request_timeout_s;
  long max_db_pages;
  pthread_mutex_t watch_lock;                           /* guards the watch list */
  struct conn_watch *watching;                          /* every open connection */
  struct sockaddr_storage proxies[TRUSTED_PROXIES_MAX]; /* trusted reverse proxies */
  size_t n_proxies;
  size_t max_body;
  pthread_key_t db_key;
  pthread_mutex_t db_lock; /* guards dbs */
  struct store **dbs;      /* every connection a worker opened */
  size_t n_dbs, cap_dbs;
  struct webhook_worker *webhooks; /* the delivery thread (webhooks.h) */
  atomic_int in_flight;            /* requests whose head arrived and that are not complete */
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
  int begun;                        /* the access handler has seen the headers */
  void (*deferred_free)(void *arg); /* frees pub.deferred (api_defer) */
  int raw_bad;                      /* the raw URI holds %00 or a control byte */
  size_t uri_len;                   /* the raw URI's length */
};

/* ---- Request deadlines -------------------------------------------------------- */

/* One open connection and the moment its request must have arrived by (0:
 * none now: a handler is running or a response is going out). */
struct conn_watch {
  struct conn_watch *prev, *next;
  int fd;
  int64_t deadline_ms;
};

static int64_t now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* MHD tells us of every connection opening and closing (before it closes
 * the socket, so a descriptor in the list is never another connection's). */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code) {
  struct api_server *srv = cls;
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    struct conn_watch *w = calloc(1, sizeof *w);
    if (w == NULL || ci == NULL) {
      free(w);
      return;
    }
    w->fd = ci->connect_fd;
    w->deadline_ms = now_ms() + 1000 * (int64_t)srv->request_timeout_s;
    pthread_mutex_lock(&srv->watch_lock);
    w->next = srv->watching;
    if (w->next != NULL)
      w->next->prev = w;
    srv->watching = w;
    pthread_mutex_unlock(&srv->watch_lock);
    *socket_context = w;
  } else if (*socket_context != NULL) {
    struct conn_watch *w = *socket_context;
    pthread_mutex_lock(&srv->watch_lock);
    if (w->prev != NULL)
      w->prev->next = w->next;
    else
      srv->watching = w->next;
    if (w->next != NULL)
      w->next->prev = w->prev;
    pthread_mutex_unlock(&srv->watch_lock);
    free(w);
    *socket_context = NULL;
  }
}

/* Sets conn's deadline to seconds from its request's start (0: none). */
static void watch_set(struct api_server *srv, struct MHD_Connection *conn, int64_t deadline_ms) {
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  if (ci == NULL || ci->socket_context == NULL)
    return;
  pthread_mutex_lock(&srv->watch_lock);
  ((struct conn_watch *)ci->socket_context)->deadline_ms = deadline_ms;
  pthread_mutex_unlock(&srv->watch_lock);
}

/* Cuts off every connection past its deadline: shutdown() makes MHD see
 * the end of the stream and close it on its own thread. */
static void watch_sweep(struct api_server *srv) {
  int64_t now = now_ms();
  pthread_mutex_lock(&srv->watch_lock);
  for (struct conn_watch *w = srv->watching; w != NULL; w = w->next)
    if (w->deadline_ms != 0 && now > w->deadline_ms) {
      shutdown(w->fd, SHUT_RDWR);
      w->deadline_ms = 0;
    }
  pthread_mutex_unlock(&srv->watch_lock);
}

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
  if (srv->max_db_pages > 0 && store_set_max_pages(s, srv->max_db_pages) != STORE_OK) {
    fprintf(stderr, "padan: cannot cap the database size\n");
    store_close(s);
    return NULL;
  }
  store_autocheckpoint(s, 0); /* the serve loop checkpoints (auditq.h) */
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

/* 1 when sa is one of the configured reverse proxies. */
static int trusted_proxy(const struct api_server *srv, const struct sockaddr *sa) {
  for (size_t i = 0; i < srv->n_proxies; i++) {
    const struct sockaddr *p = (const struct sockaddr *)&srv->proxies[i];
    if (p->sa_family != sa->sa_family)
      continue;
    if (sa->sa_family == AF_INET &&
        memcmp(&((const struct sockaddr_in *)(const void *)p)->sin_addr,
               &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4) == 0)
      return 1;
    if (sa->sa_family == AF_INET6 &&
        memcmp(&((const struct sockaddr_in6 *)(const void *)p)->sin6_addr,
               &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16) == 0)
      return 1;
  }
  return 0;
}

/* Parses a numeric address into ss; 0 or -1. */
static int parse_addr(const char *text, struct sockaddr_storage *ss) {
  memset(ss, 0, sizeof *ss);
  struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
  struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
  if (inet_pton(AF_INET, text, &in4->sin_addr) == 1) {
    in4->sin_family = AF_INET;
    return 0;
  }
  if (inet_pton(AF_INET6, text, &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    return 0;
  }
  return -1;
}

/* Behind trusted proxies the client is the right-most X-Forwarded-For entry
 * that is not itself a trusted proxy (each proxy appends the address it
 * saw; anything left of that the client could have written).  1 with the
 * address in buf, 0 when there is none to take. */
static int forwarded_ip(const struct api_server *srv, struct MHD_Connection *conn, char *buf,
                        size_t size) {
  const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
  if (xff == NULL)
    return 0;
  size_t end = strlen(xff);
  while (end > 0) {
    size_t start = end;
    while (start > 0 && xff[start - 1] != ',')
      start--;
    size_t a = start, b = end;
    while (a < b && (xff[a] == ' ' || xff[a] == '\t'))
      a++;
    while (b > a && (xff[b - 1] == ' ' || xff[b - 1] == '\t'))
      b--;
    char one[48]; /* INET6_ADDRSTRLEN and its NUL fit */
    struct sockaddr_storage ss;
    if (b - a == 0 || b - a >= sizeof one)
      return 0;
    memcpy(one, xff + a, b - a);
    one[b - a] = '\0';
    if (parse_addr(one, &ss) != 0)
      return 0; /* not an address: trust nothing further left */
    if (!trusted_proxy(srv, (const struct sockaddr *)&ss)) {
      snprintf(buf, size, "%s", one);
      return 1;
    }
    end = start > 0 ? start - 1 : 0;
  }
  return 0;
}

static void client_ip(const struct api_server *srv, struct MHD_Connection *conn, char *buf,
                      size_t size) {
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  snprintf(buf, size, "?");
  if (ci == NULL || ci->client_addr == NULL)
    return;
  const struct sockaddr *sa = ci->client_addr;
  if (trusted_proxy(srv, sa) && forwarded_ip(srv, conn, buf, size))
    return;
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

/* MHD hands the URI here before it decodes it (a decoded %00 would cut the
 * path short unseen), so the request's context starts here. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn) {
  (void)cls;
  (void)conn;
  struct request *q = calloc(1, sizeof *q);
  if (q == NULL)
    return NULL;
  clock_gettime(CLOCK_MONOTONIC, &q->started);
  q->uri_len = strlen(uri);
  for (const char *p = uri; *p != '\0'; p++)
    if ((unsigned char)*p < 0x21 || *p == 0x7f || (p[0] == '%' && p[1] == '0' && p[2] == '0'))
      q->raw_bad = 1;
  return q;
}

/* Walks the request's headers in arrival order.  MHD 0.9.75 cuts a value at
 * an embedded NUL byte (it measures values with strlen) but leaves the line
 * where it was read, NUL-terminated in place: so the bytes between the end
 * of one value and the next header's name are only the line's end (now
 * NULs) and blanks, and after the last value come at least two NULs (its
 * line end and the empty line).  Anything else there is the rest of a
 * value that held a NUL. */
struct head_walk {
  const char *end; /* just past the previous value */
  size_t bytes;
  int nul;
};

static int blank_gap(const char *from, const char *to) {
  for (; from < to; from++)
    if (*from != '\0' && *from != ' ' && *from != '\t')
      return 0;
  return 1;
}

static enum MHD_Result head_step(void *cls, enum MHD_ValueKind kind, const char *key,
                                 size_t key_size, const char *value, size_t value_size) {
  (void)kind;
  struct head_walk *w = cls;
  w->bytes += key_size + value_size + 4;
  /* a gap more than a line end wide is not two neighbouring lines (a folded
   * header is copied elsewhere): nothing to judge */
  if (w->end != NULL && key > w->end && key - w->end <= 64 && !blank_gap(w->end, key))
    w->nul = 1;
  w->end = value != NULL ? value + value_size : NULL;
  return MHD_YES;
}

/* The refusal a request's head alone earns (an api_error), or -1. */
static int head_problem(struct request *q) {
  struct MHD_Connection *conn = q->pub.conn;
  if (q->raw_bad)
    return API_E_BAD_REQUEST;
  if (q->uri_len > URI_MAX)
    return API_E_URI_TOO_LONG;
  struct head_walk w = {0};
  MHD_get_connection_values_n(conn, MHD_HEADER_KIND, head_step, &w);
  if (w.end != NULL) {
    const char *p = w.end;
    while (*p == ' ' || *p == '\t')
      p++;
    if (p[0] != '\0' || p[1] != '\0')
      w.nul = 1;
  }
  if (w.nul)
    return API_E_BAD_REQUEST;
  if (w.bytes > HEAD_MAX)
    return API_E_HEADERS_TOO_LARGE;
  /* both framings at once is how requests are smuggled past a proxy */
  if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH) != NULL &&
      MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) !=
          NULL) {
    api_reply_header(&q->pub, MHD_HTTP_HEADER_CONNECTION, "close");
    return API_E_BAD_REQUEST;
  }
  return -1;
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
  const char *key = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Api-Key");
  const char *bearer = authz != NULL && strncasecmp(authz, "Bearer ", 7) == 0 ? authz + 7 : "";
  bearer += strspn(bearer, " ");
  int rc = key != NULL || apikey_is_key(bearer)
               ? apikey_authenticate(r->auth, r->db, key != NULL ? key : bearer, r->now, &r->who)
               : auth_authenticate(r->auth, r->db, authz, r->now, &r->who);
  switch (rc) {
  case AUTH_OK:
    if ((r->route->roles & r->who.role) == 0 || !api_key_admits(r))
      refuse(q, API_E_FORBIDDEN);
    if (r->who.key_id > 0 && api_key_audit(r, q->refused) != 0)
      refuse(q, API_E_UNAVAILABLE);
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

/* 1 when the route needs a body: a PATCH, or a POST whose spec has a
 * required top-level field. */
static int body_required(const struct api_req *r) {
  if (r->route->body == NULL)
    return 0;
  if (strcmp(r->method, "PATCH") == 0)
    return 1;
  for (const struct api_field *f = r->route->body; f->name != NULL; f++)
    if ((f->flags & API_REQUIRED) && strpbrk(f->name, ".[") == NULL)
      return 1;
  return 0;
}

static enum MHD_Result request_finish(struct request *q) {
  struct api_req *r = &q->pub;
  if (r->deferred != NULL) {
    /* resumed: the slow work is done, the handler replies now */
    r->resumed = 1;
    enum MHD_Result ret = r->route->handler(r);
    if (r->status == 0)
      return api_reply_problem(r, API_E_INTERNAL);
    return ret;
  }
  if (q->refused)
    return api_reply_problem(r, q->error);
  if (r->route->engine && !api_engine_ready(r->app)) {
    /* the one place that holds a route back while the engine loads */
    api_reply_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    return api_reply_problem(r, API_E_ENGINE_NOT_READY);
  }
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
  if (q->upload.len == 0 && body_required(r)) {
    /* an empty body is not "{}": a PATCH or a POST with a required field
     * that arrives without one was cut off or sent by mistake */
    return api_reply_problem_detail(r, API_E_MALFORMED_JSON,
                                    "Permintaan ini wajib berisi satu objek JSON.",
                                    "This request needs a JSON object as its body.");
  }
  if (q->upload.len > 0 || r->route->body != NULL) {
    static const struct api_field no_fields[] = {{NULL, API_F_STRING, 0, 0, 0, 0}};
    const struct api_field *spec = r->route->body != NULL ? r->route->body : no_fields;
    if (api_body_load(r, q->upload.data, q->upload.len, spec) != 0)
      return r->status != 0 ? MHD_YES : MHD_NO;
  }
  api_upload_free(&q->upload);
  enum MHD_Result ret = r->route->handler(r);
  if (r->status == 0 && r->deferred != NULL)
    return MHD_YES; /* suspended until the pool resumes it */
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
  if (q == NULL || !q->begun) {
    if (q == NULL) {
      q = calloc(1, sizeof *q);
      if (q == NULL)
        return MHD_NO;
      clock_gettime(CLOCK_MONOTONIC, &q->started);
    }
    q->begun = 1;
    atomic_fetch_add(&srv->in_flight, 1);
    q->srv = srv;
    q->pub.conn = conn;
    q->pub.method = method;
    q->pub.path = url;
    q->pub.auth = srv->auth;
    q->pub.app = srv->app;
    q->pub.metrics = srv->metrics;
    q->pub.auditq = srv->auditq;
    q->pub.now = (int64_t)time(NULL);
    client_ip(srv, conn, q->pub.ip, sizeof q->pub.ip);
    *con_cls = q;
    int edge = head_problem(q);
    if (edge >= 0) {
      /* answered at once: MHD then closes the connection, as it should */
      refuse(q, (enum api_error)edge);
      return api_reply_problem(&q->pub, q->error);
    }
    request_begin(q);
    if (q->pub.route != NULL && q->pub.route->raw_type != NULL) /* a long upload */
      watch_set(srv, conn, now_ms() + 1000 * (int64_t)srv->request_timeout_s * UPLOAD_FACTOR);
    if (declared_too_large(q)) {
      if (!q->refused)
        refuse(q, API_E_BODY_TOO_LARGE);
      return api_reply_problem(&q->pub, q->error);
    }
    return MHD_YES;
  }
  if (*upload_data_size > 0) {
    /* MHD 0.9.75 cannot queue a reply mid-upload, so a refused body
     * within the cap is read and dropped to answer at its end; a body past
     * the cap (only a chunked one gets here: a declared length over it was
     * answered 413 at the head) is not read further: the connection is
     * closed at the cap. */
    q->seen += *upload_data_size;
    if (q->seen > body_cap(q))
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
  watch_set(srv, conn, 0); /* arrived whole: no deadline while it is answered */
  return request_finish(q);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode why) {
  struct api_server *srv = cls; /* q->srv is unset when MHD refused the head itself */
  struct request *q = *con_cls;
  /* the next request on a kept-alive connection has its own deadline */
  watch_set(srv, conn, now_ms() + 1000 * (int64_t)srv->request_timeout_s);
  if (q == NULL)
    return;
  if (q->begun)
    atomic_fetch_sub(&srv->in_flight, 1);
  struct timespec end;
  clock_gettime(CLOCK_MONOTONIC, &end);
  double ms = (double)(end.tv_sec - q->started.tv_sec) * 1e3 +
              (double)(end.tv_nsec - q->started.tv_nsec) / 1e6;
  api_metrics_request(srv->metrics, q->pub.route, q->pub.status, ms);
  if (q->pub.who.key_id > 0)
    api_metrics_key_request(srv->metrics, q->pub.who.key_id, q->pub.status);
  /* the route's pattern, never the path itself: a path may carry a NIK or
   * a token (GET /v1/residents/3671…), and the log must not */
  const char *path = q->pub.route != NULL ? q->pub.route->pattern : "(no route)";
  char id[LOG_REQUEST_ID_SIZE];
  log_request_id(id);
  log_request(id, q->pub.method, path, q->pub.status, ms,
              why != MHD_REQUEST_TERMINATED_COMPLETED_OK);
  json_decref(q->pub.body);
  api_upload_free(&q->upload);
  if (q->pub.deferred != NULL)
    q->deferred_free(q->pub.deferred);
  free(q);
  *con_cls = NULL;
}

/* A graceful stop (SIGTERM): no new connection is accepted, and the
 * requests in flight (a handler running, a login waiting for its password
 * check, a body still arriving within its deadline) are finished and
 * answered, for at most SHUTDOWN_GRACE_S; MHD_stop_daemon then closes the
 * idle kept-alive connections. */
static void drain(struct api_server *srv) {
  MHD_socket listen_fd = MHD_quiesce_daemon(srv->daemon);
  if (listen_fd != MHD_INVALID_SOCKET)
    close(listen_fd);
  char msg[96];
  snprintf(msg, sizeof msg, "stopping: %d requests in flight", atomic_load(&srv->in_flight));
  log_event("info", msg);
  for (unsigned ticks = 0; atomic_load(&srv->in_flight) > 0 && ticks < SHUTDOWN_GRACE_S * 20;
       ticks++) {
    struct timespec tick = {0, 50 * 1000 * 1000};
    nanosleep(&tick, NULL);
    if (ticks % 5 == 0)
      watch_sweep(srv);
  }
}

int api_defer(struct api_req *r, void (*work)(void *arg, struct store *db), void *arg,
              void (*arg_free)(void *arg)) {
  struct request *q = (struct request *)(void *)r;
  /* set before the submit: the pool may finish and resume at once */
  r->deferred = arg;
  q->deferred_free = arg_free;
  if (q->srv->pool == NULL || api_pool_submit(q->srv->pool, r->conn, work, arg) != 0) {
    r->deferred = NULL;
    arg_free(arg);
    return -1;
  }
  return 0;
}

/* ---- Start and stop ------------------------------------------------------------ */

static void mhd_log(void *cls, const char *fmt, va_list ap) {
  (void)cls;
  char line[512];
  vsnprintf(line, sizeof line, fmt, ap);
  line[strcspn(line, "\n")] = '\0';
  /* MHD quotes the request's path as `...' ("Failed to send the response
   * headers for the request for `/v1/residents/1393'"): a path may hold an
   * id, a NIK or a token, so the quoted part is cut out */
  char *open_q = strchr(line, '`');
  char *close_q = open_q != NULL ? strchr(open_q + 1, '\'') : NULL;
  if (close_q != NULL)
    memmove(open_q + 1, close_q, strlen(close_q) + 1);
  log_event("warn", line); /* libmicrohttpd's own words, as a JSON line */
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

/* The webhook worker's hooks into the HTTP layer. */
static char *webhook_render(void *arg, struct store *s, const struct store_delivery *d, int *gone) {
  return api_webhook_body(((struct api_server *)arg)->auth, s, d, gone);
}

static void webhook_count(void *arg, int outcome) {
  api_metrics_webhook(((struct api_server *)arg)->metrics, outcome);
}

/* The server's parts that hold no thread or socket: the token key and
 * signer, the engine, the audit writer, the metrics and the login
 * threads.  On failure it says why on stderr; the caller frees what was
 * made (close_parts). */
static int open_parts(struct api_server *srv, const struct api_server_opts *o) {
  uint8_t key[AUTH_KEY_BYTES];
  char err[512];
  if (auth_load_or_create_key(o->key_path, key, err, sizeof err) != 0) {
    fprintf(stderr, "padan: %s\n", err);
    return -1;
  }
  int created = auth_create(key, &srv->auth);
  memset(key, 0, sizeof key);
  if (created != 0 || auth_cache_enable(srv->auth, o->db_path) != 0) {
    fprintf(stderr, "padan: out of memory\n");
    return -1;
  }
  struct mt_config cfg;
  mt_config_default(&cfg);
  if (o->config != NULL)
    cfg = *o->config;
  if (api_app_create(o->db_path, &cfg, &srv->app, err, sizeof err) != 0 ||
      api_auditq_create(o->db_path, &srv->auditq, err, sizeof err) != 0) {
    fprintf(stderr, "padan: %s\n", err);
    return -1;
  }
  if (api_metrics_create(&srv->metrics) != 0) {
    fprintf(stderr, "padan: out of memory\n");
    return -1;
  }
  /* password checks: as many threads as Argon2id slots, a short queue */
  srv->pool = api_pool_create(o->db_path, AUTH_HASH_SLOTS, LOGIN_QUEUE);
  if (srv->pool == NULL) {
    fprintf(stderr, "padan: cannot start the login threads\n");
    return -1;
  }
  return 0;
}

/* Which of the server's thread key and locks exist, so that the cleanup
 * destroys only those. */
struct serve_sync {
  int key, db_lock, watch_lock;
};

static int init_sync(struct api_server *srv, struct serve_sync *made) {
  if (pthread_key_create(&srv->db_key, NULL) != 0)
    return -1;
  made->key = 1;
  if (pthread_mutex_init(&srv->db_lock, NULL) != 0)
    return -1;
  made->db_lock = 1;
  if (pthread_mutex_init(&srv->watch_lock, NULL) != 0)
    return -1;
  made->watch_lock = 1;
  return 0;
}

/* The --trusted-proxy addresses, numeric only (a name would need a lookup
 * per request). */
static int read_proxies(struct api_server *srv, const char *const *list) {
  for (size_t i = 0; list != NULL && list[i] != NULL; i++) {
    if (srv->n_proxies == TRUSTED_PROXIES_MAX ||
        parse_addr(list[i], &srv->proxies[srv->n_proxies]) != 0) {
      fprintf(stderr, "padan: trusted proxy '%s' is not a numeric address (at most %d)\n", list[i],
              TRUSTED_PROXIES_MAX);
      return -1;
    }
    srv->n_proxies++;
  }
  return 0;
}

/* Starts libmicrohttpd's workers on the socket fd (which the daemon owns
 * from then on). */
static int start_daemon(struct api_server *srv, const struct api_server_opts *o, int fd,
                        uint16_t port, const char *bind_addr) {
  unsigned threads = o->threads != 0 ? o->threads : 2;
  /* behind a proxy every client arrives from its address: the proxy caps
   * connections per client, MHD only the total */
  unsigned max_conn = o->max_connections != 0 ? o->max_connections : 512u;
  unsigned per_ip = srv->n_proxies > 0   ? max_conn
                    : o->max_per_ip != 0 ? o->max_per_ip
                                         : PER_IP_DEFAULT;
  /* MHD_USE_ITC lets MHD_stop_daemon wake the workers at once. */
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                   MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
  struct MHD_OptionItem options[] = {
      {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL}, /* first, to see later errors */
      {MHD_OPTION_LISTEN_SOCKET, fd, NULL},
      {MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s != 0 ? o->timeout_s : 30u, NULL},
      {MHD_OPTION_CONNECTION_LIMIT, max_conn, NULL},
      {MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip, NULL},
      {MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONNECTION_MEMORY, NULL},
      {MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, NULL},
      {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, srv},
      {MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, srv},
      /* one worker means no pool: MHD warns about a pool of size 1 */
      {threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, threads, NULL},
      {MHD_OPTION_END, 0, NULL},
  };
  srv->daemon = MHD_start_daemon(flags, port, NULL, NULL, on_request, srv, MHD_OPTION_ARRAY,
                                 options, MHD_OPTION_END);
  if (srv->daemon == NULL) {
    fprintf(stderr, "padan: cannot start the HTTP server on %s port %u\n", bind_addr,
            (unsigned)port);
    return -1;
  }
  return 0;
}

static int start_webhooks(struct api_server *srv) {
  struct webhook_opts hooks;
  webhook_opts_from_env(&hooks);
  return webhook_worker_start(srv->db_path, srv->auth, &hooks, webhook_render, webhook_count, srv,
                              &srv->webhooks);
}

/* Undoes what api_serve made, whatever step it reached (every pointer in
 * srv is NULL or owned; fd is -1 once the daemon owns the socket). */
static void close_parts(struct api_server *srv, int fd, const struct serve_sync *made) {
  api_pool_free(srv->pool); /* first: it resumes connections of the daemon */
  webhook_worker_stop(srv->webhooks);
  if (srv->daemon != NULL)
    MHD_stop_daemon(srv->daemon);
  if (fd >= 0)
    close(fd);
  api_auditq_free(srv->auditq); /* after the daemon: no request waits on it now */
  for (size_t i = 0; i < srv->n_dbs; i++)
    store_close(srv->dbs[i]);
  free(srv->dbs);
  if (made->db_lock)
    pthread_mutex_destroy(&srv->db_lock);
  if (made->watch_lock)
    pthread_mutex_destroy(&srv->watch_lock);
  if (made->key)
    pthread_key_delete(srv->db_key);
  auth_free(srv->auth);
  api_app_free(srv->app);
  api_metrics_free(srv->metrics);
}

int api_serve(const struct api_server_opts *o, volatile sig_atomic_t *stop,
              void (*on_ready)(void *arg, uint16_t port), void *arg) {
  struct api_server srv = {.db_path = o->db_path,
                           .max_body = o->max_body != 0 ? o->max_body : API_BODY_MAX_DEFAULT,
                           .max_db_pages = o->max_db_pages,
                           .request_timeout_s = o->request_timeout_s != 0
                                                    ? o->request_timeout_s
                                                    : REQUEST_TIMEOUT_DEFAULT};
  struct serve_sync made = {0};
  int rc = -1, fd = -1;
  uint16_t port = 0;
  const char *bind_addr = o->bind != NULL ? o->bind : "127.0.0.1";

  if (auth_init() != 0) {
    fprintf(stderr, "padan: libsodium failed to initialise\n");
    return -1;
  }
  if (check_database(o->db_path) != 0)
    return -1;
  /* the port first: one that is taken ends the start before the database is
   * migrated or the engine's load begins */
  if (listen_on(bind_addr, o->port, &fd, &port) != 0 || open_parts(&srv, o) != 0 ||
      init_sync(&srv, &made) != 0 || read_proxies(&srv, o->trusted_proxies) != 0)
    goto cleanup;
  if (start_daemon(&srv, o, fd, port, bind_addr) != 0)
    goto cleanup;
  fd = -1; /* the daemon closes it */
  if (start_webhooks(&srv) != 0)
    goto cleanup;
  if (on_ready != NULL)
    on_ready(arg, port);
  for (unsigned ticks = 0; !*stop; ticks++) {
    struct timespec tick = {0, 50 * 1000 * 1000};
    nanosleep(&tick, NULL);
    if (ticks % 5 == 0)
      watch_sweep(&srv);
    /* every second: keeps the WAL short (auditq.h); not once stopping,
     * where api_auditq_free checkpoints last */
    if (ticks % 20 == 0 && !*stop) {
      api_auditq_checkpoint(srv.auditq);
      api_app_tick(srv.app);
    }
  }
  api_app_stop(srv.app); /* an engine still loading is not waited for */
  drain(&srv);
  rc = 0;
cleanup:
  close_parts(&srv, fd, &made);
  return rc;
}
