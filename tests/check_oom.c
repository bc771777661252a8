/*
 * check_oom.c — out of memory everywhere (issue 15, point 7).  An
 * allocator hook fails one allocation at a time, the Nth, through one
 * representative request of EVERY route in the route table and through a
 * DTSEN import, on the real server started in this process over a seeded
 * database.
 *
 * Three allocators are hooked: padan's own malloc, calloc and realloc
 * (padan_core and the engine, wrapped at link time), jansson's
 * (json_set_alloc_funcs) and SQLite's (sqlite3_config(SQLITE_CONFIG_MALLOC)
 * before SQLite starts).  libmicrohttpd's, libsodium's, libcurl's and
 * libc's own internal allocations are not (shared libraries with no hook).
 * For each request a first run counts its allocations; then every N of
 * padan's and jansson's allocations (together, in the order made) is
 * failed in turn until a run completes without reaching N, and SQLite's at
 * most SQLITE_POINTS evenly spaced N (all of them when there are fewer).
 * An engine rebuild's allocations (five write routes rebuild alike after
 * their commit) are told apart and spaced: REBUILD_POINTS the first time,
 * SQLITE_POINTS after (every N with OOM_FULL=1).  docs/RELIABILITY.md says
 * what that covers and how long it takes.
 *
 * Every answer must be the normal one or a 5xx problem+json (or, when even
 * the error could not be built, no answer: the connection closed); the
 * server must answer /healthz after each; and whatever the answer, unless
 * it is a 2xx nothing may have changed in the database but the audit log
 * and the tokens (a fingerprint of every other table's rows, before and
 * after): a validation that an allocation failure skipped, or a committed
 * write that answered an error, fails here.  An import must be all or
 * nothing with integrity_check ok after every failure.  The sanitizers see
 * no crash or leak.  A new route without a case here fails the test.
 */
#include <arpa/inet.h>
#include <check.h>
#include <jansson.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <execinfo.h>
#include <unistd.h>

#include "cli.h"
#include "dtsen.h"
#include "jsonmem.h"
#include "log.h"
#include "routes.h"
#include "server.h"
#include "testutil.h"

/* SQLite's allocations tried per request at most (evenly spaced), and an
 * engine rebuild's the first time one is seen (each run of a rebuilding
 * route costs a whole rebuild). */
#define SQLITE_POINTS 24
#define REBUILD_POINTS 256

/* ---- The allocator hook --------------------------------------------------------
 * Two classes fail apart: padan's and jansson's allocations (every N is
 * tried) and SQLite's (spaced).  Only the server's threads count: the
 * test's own thread (Check, the client, the fingerprint) is exempt. */

enum source { SRC_PADAN, SRC_SQLITE, N_SOURCES };
/* K_REBUILD: padan's allocations inside an engine rebuild (snapshot_create,
 * wrapped at link time too), which five write routes repeat alike */
enum klass { K_OWN, K_SQL, K_REBUILD, N_CLASSES };

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

static atomic_int armed, failed;
static atomic_long made[N_CLASSES], fail_at[N_CLASSES] = {-1, -1, -1}, by_source[N_SOURCES];
static _Thread_local int exempt, in_rebuild;
static long trace;

/* Where the last failure happened, printed when a check fails. */
static void *fail_frames[40];
static int fail_depth;

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
static void print_stack(void) {
  __sanitizer_print_stack_trace();
}
static void print_failure(void) {
  for (int i = 0; i < fail_depth; i++) {
    char line[512];
    __sanitizer_symbolize_pc(fail_frames[i], "%F %L", line, sizeof line);
    fprintf(stderr, "    failed at #%d %s\n", i, line);
  }
}
#else
static void print_stack(void) {
}
static void print_failure(void) {
}
#endif

static int fail_now(enum source src) {
  if (exempt || !atomic_load(&armed))
    return 0;
  atomic_fetch_add(&by_source[src], 1);
  enum klass k = src == SRC_SQLITE ? K_SQL : in_rebuild ? K_REBUILD : K_OWN;
  long at = atomic_load(&fail_at[k]);
  if (atomic_fetch_add(&made[k], 1) != at || at < 0)
    return 0;
  atomic_store(&failed, 1);
  fail_depth = backtrace(fail_frames, 40);
  if (trace == at + 1) /* OOM_TRACE=N+1: where failure N happens (while debugging) */
    print_stack();
  return 1;
}

struct snapshot;
struct store;
struct mt_config;
int __real_snapshot_create(struct store *s, const struct mt_config *cfg, struct snapshot **out,
                           char *err, size_t errlen);
int __wrap_snapshot_create(struct store *s, const struct mt_config *cfg, struct snapshot **out,
                           char *err, size_t errlen);
int __wrap_snapshot_create(struct store *s, const struct mt_config *cfg, struct snapshot **out,
                           char *err, size_t errlen) {
  in_rebuild++;
  int rc = __real_snapshot_create(s, cfg, out, err, errlen);
  in_rebuild--;
  return rc;
}

void *__wrap_malloc(size_t n) {
  return fail_now(SRC_PADAN) ? NULL : __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t size) {
  return fail_now(SRC_PADAN) ? NULL : __real_calloc(n, size);
}
void *__wrap_realloc(void *p, size_t n) {
  return fail_now(SRC_PADAN) ? NULL : __real_realloc(p, n);
}

static sqlite3_mem_methods sql_default;
static void *sql_malloc(int n) {
  return fail_now(SRC_SQLITE) ? NULL : sql_default.xMalloc(n);
}
static void sql_free(void *p) {
  sql_default.xFree(p);
}
static void *sql_realloc(void *p, int n) {
  return fail_now(SRC_SQLITE) ? NULL : sql_default.xRealloc(p, n);
}
static int sql_size(void *p) {
  return sql_default.xSize(p);
}
static int sql_roundup(int n) {
  return sql_default.xRoundup(n);
}
static int sql_init(void *app) {
  (void)app;
  return sql_default.xInit(sql_default.pAppData);
}
static void sql_shutdown(void *app) {
  (void)app;
  sql_default.xShutdown(sql_default.pAppData);
}

/* Before anything starts SQLite or jansson. */
static void hooks_install(void) {
  static const sqlite3_mem_methods m = {sql_malloc,  sql_free, sql_realloc,  sql_size,
                                        sql_roundup, sql_init, sql_shutdown, NULL};
  if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sql_default) != SQLITE_OK ||
      sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK) {
    fprintf(stderr, "check_oom: SQLite's allocator cannot be hooked\n");
    exit(1);
  }
  /* jansson allocates through padan's jsonmem.c, so its allocations are
   * padan's: wrapped and failed in turn with them */
  jsonmem_install();
}

/* Counts from zero and fails the own-th own allocation, the sql-th
 * SQLite one and the rebuild-th one of an engine rebuild (-1: none). */
static void arm3(long own, long sql, long rebuild) {
  for (int k = 0; k < N_CLASSES; k++)
    atomic_store(&made[k], 0);
  for (int s = 0; s < N_SOURCES; s++)
    atomic_store(&by_source[s], 0);
  atomic_store(&fail_at[K_OWN], own);
  atomic_store(&fail_at[K_SQL], sql);
  atomic_store(&fail_at[K_REBUILD], rebuild);
  atomic_store(&failed, 0);
  atomic_store(&armed, 1);
}

static void arm(long own, long sql) {
  arm3(own, sql, -1);
}

static void disarm(void) {
  atomic_store(&armed, 0);
  atomic_store(&fail_at[K_OWN], -1);
  atomic_store(&fail_at[K_SQL], -1);
  atomic_store(&fail_at[K_REBUILD], -1);
}

/* ---- The server and a client ---------------------------------------------------- */

static char *dir;
static char db[512], key[512];
static volatile sig_atomic_t stop;
static atomic_int port;
static pthread_t server;
static sqlite3 *peek; /* the test's own read connection */

enum role { ADMIN, OFFICER, EMPLOYER, DESK, NONE };
static char token[NONE][256];
static char creds[2][128]; /* the officer's username and password */

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
static int exchange(const char *req, size_t n, char *out, size_t cap) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atomic_load(&port))};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
  ck_assert_int_eq(send(fd, req, n, MSG_NOSIGNAL), (ssize_t)n);
  size_t got = 0;
  for (;;) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    ck_assert_msg(poll(&p, 1, 60000) == 1, "no answer in 60 s");
    char sink[4096];
    int full = got + 1 >= cap;
    ssize_t r = full ? recv(fd, sink, sizeof sink, 0) : recv(fd, out + got, cap - 1 - got, 0);
    if (r <= 0)
      break;
    if (!full)
      got += (size_t)r;
  }
  out[got] = '\0';
  close(fd);
  int status = -1;
  if (sscanf(out, "HTTP/1.1 %d", &status) != 1)
    return -1;
  return status;
}

static char reply[1 << 20];

/* One request as who; the status, the answer in reply. */
static int request_as(const char *tok, const char *method, const char *path, const char *ctype,
                      const char *body) {
  static char req[1 << 16];
  size_t blen = body != NULL ? strlen(body) : 0;
  char auth[300] = "";
  if (tok != NULL)
    snprintf(auth, sizeof auth, "Authorization: Bearer %s\r\n", tok);
  int n = snprintf(req, sizeof req,
                   "%s %s HTTP/1.1\r\nHost: x\r\n%sConnection: close\r\n"
                   "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n%s",
                   method, path, auth, ctype != NULL ? ctype : "application/json", blen,
                   body != NULL ? body : "");
  ck_assert_int_lt(n, (int)sizeof req);
  return exchange(req, (size_t)n, reply, sizeof reply);
}

static int request(enum role who, const char *method, const char *path, const char *ctype,
                   const char *body) {
  return request_as(who != NONE ? token[who] : NULL, method, path, ctype, body);
}

/* A request that must answer want; its JSON body (the caller releases). */
static json_t *must(enum role who, const char *method, const char *path, const char *body,
                    int want) {
  int st = request(who, method, path, NULL, body);
  ck_assert_msg(st == want, "%s %s: %d, not %d\n%.600s", method, path, st, want, reply);
  const char *b = strstr(reply, "\r\n\r\n");
  return b != NULL ? json_loads(b + 4, 0, NULL) : NULL;
}

static int64_t id_of(json_t *j) {
  ck_assert_ptr_nonnull(j);
  int64_t id = (int64_t)json_integer_value(json_object_get(j, "id"));
  json_decref(j);
  ck_assert_int_gt(id, 0);
  return id;
}

static void login(enum role who, const char *user, const char *pw) {
  char body[300];
  snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, pw);
  json_t *j = must(NONE, "POST", "/v1/auth/login", body, 200);
  snprintf(token[who], sizeof token[who], "%s", json_string_value(json_object_get(j, "token")));
  json_decref(j);
}

/* The seeded demo accounts' tokens, in the order `padan user demo` writes
 * them (admin, officer, employer, desk). */
static void login_all(void) {
  char path[600];
  snprintf(path, sizeof path, "%s/demo-credentials.json", dir);
  json_t *all = json_load_file(path, 0, NULL);
  ck_assert_ptr_nonnull(all);
  for (int i = ADMIN; i < NONE; i++) {
    json_t *a = json_array_get(all, (size_t)i);
    const char *user = json_string_value(json_object_get(a, "username"));
    const char *pw = json_string_value(json_object_get(a, "password"));
    login((enum role)i, user, pw);
    if (i == OFFICER) {
      snprintf(creds[0], sizeof creds[0], "%s", user);
      snprintf(creds[1], sizeof creds[1], "%s", pw);
    }
  }
  json_decref(all);
}

static void server_start(void) {
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
  stop = 0;
  atomic_store(&port, 0);
  ck_assert_int_eq(pthread_create(&server, NULL, serve, NULL), 0);
  while (atomic_load(&port) == 0)
    usleep(10000);
  /* the engine's first snapshot may still be loading */
  for (int i = 0; i < 600; i++) {
    json_t *h = must(NONE, "GET", "/healthz", NULL, 200);
    const char *e = json_string_value(json_object_get(h, "engine"));
    int ready = e == NULL || strcmp(e, "ready") == 0;
    json_decref(h);
    if (ready)
      break;
    usleep(50000);
  }
  login_all();
  ck_assert_int_eq(sqlite3_open_v2(db, &peek, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  sqlite3_busy_timeout(peek, 10000);
}

static void server_stop(void) {
  sqlite3_close(peek);
  peek = NULL;
  stop = 1;
  pthread_join(server, NULL);
  tu_rmtree(dir);
  free(dir);
}

/* ---- The database's fingerprint ------------------------------------------------------
 * A hash of every row of every table but those a refused or failed
 * request may still write, or a background thread: the audit log (a
 * refusal is audited), the tokens (a login's bookkeeping), the webhook
 * deliveries and events (the delivery thread's attempts and bodies). */

static const char *const unfingerprinted[] = {"audit_log", "tokens", "webhook_deliveries",
                                              "webhook_events", NULL};

static uint64_t mix(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++)
    h = (h ^ b[i]) * 1099511628211ull;
  return h;
}

static uint64_t table_hash(uint64_t h, const char *table) {
  char sql[160];
  snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", table);
  sqlite3_stmt *st;
  ck_assert_int_eq(sqlite3_prepare_v2(peek, sql, -1, &st, NULL), SQLITE_OK);
  h = mix(h, table, strlen(table) + 1);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    for (int c = 0; c < sqlite3_column_count(st); c++) {
      const void *v = sqlite3_column_blob(st, c);
      int n = sqlite3_column_bytes(st, c);
      h = mix(h, v != NULL ? v : "", (size_t)n);
      h = mix(h, "\x1f", 1);
    }
  ck_assert_int_eq(rc, SQLITE_DONE);
  sqlite3_finalize(st);
  return h;
}

static uint64_t fingerprint(void) {
  ck_assert_int_eq(sqlite3_exec(peek, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_stmt *st;
  ck_assert_int_eq(sqlite3_prepare_v2(peek,
                                      "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                      "name NOT LIKE 'sqlite_%' ORDER BY name",
                                      -1, &st, NULL),
                   SQLITE_OK);
  uint64_t h = 14695981039346656037ull;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *t = (const char *)sqlite3_column_text(st, 0);
    int skip = 0;
    for (size_t i = 0; unfingerprinted[i] != NULL; i++)
      skip |= strcmp(t, unfingerprinted[i]) == 0;
    if (!skip)
      h = table_hash(h, t);
  }
  sqlite3_finalize(st);
  ck_assert_int_eq(sqlite3_exec(peek, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
  return h;
}

static void integrity_ok(void) {
  sqlite3_stmt *st;
  ck_assert_int_eq(sqlite3_prepare_v2(peek, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
  ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
  ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
  sqlite3_finalize(st);
}

/* ---- The fixture: objects the requests name ----------------------------------------- */

enum kind {
  K_NONE,
  K_RESIDENT,
  K_EMPLOYER,
  K_VACANCY,
  K_COURSE,
  K_BATCH,
  K_ENROLMENT,
  K_MATCH_RUN,
  K_REFERRAL,
  K_OBJECTION,
  K_APIKEY,
  K_WEBHOOK,
  K_DELIVERY,
  N_KINDS
};

static struct {
  int64_t id[N_KINDS];
  char kel[24];           /* the demo desk's kelurahan */
  char employer_code[24]; /* the demo employer's */
  char asset_version[24];
} fx;

/* A new resident of the desk's kelurahan (verified: eligible for a
 * referral), through the API as the officer; its id. */
static int64_t new_resident(int verified) {
  static long serial;
  char region[8], body[1024];
  snprintf(region, sizeof region, "%.2s%.2s%.2s", fx.kel, fx.kel + 3, fx.kel + 6);
  for (;;) {
    long k = serial++;
    int day = 1 + (int)(k / 9000) % 28, sn = 1000 + (int)(k % 9000);
    snprintf(body, sizeof body,
             "{\"nik\":\"%s%02d0290%04d\",\"name\":\"Warga Uji Memori\",\"sex\":\"P\","
             "\"birth_date\":\"1990-02-%02d\",\"kelurahan_code\":\"%s\",\"address\":\"Jl. Uji "
             "No. %ld\",\"phone\":\"0813-55%02d-%04d\",\"desil\":2,\"work_status\":\"unemployed\","
             "\"school_status\":\"not_in_school\",\"education\":\"sma\",\"preferred_vocations\":"
             "[\"office\"],\"skills\":[{\"code\":\"OFC-001\"},{\"code\":\"OFC-002\"}]}",
             region, day + 40, sn, day, fx.kel, k, day, sn);
    int st = request(OFFICER, "POST", "/v1/residents", NULL, body);
    if (st == 409) /* a seeded resident holds this NIK: take the next */
      continue;
    ck_assert_msg(st == 201, "new resident: %d %.400s", st, reply);
    break;
  }
  int64_t id = id_of(json_loads(strstr(reply, "\r\n\r\n") + 4, 0, NULL));
  if (verified) {
    char path[80];
    snprintf(path, sizeof path, "/v1/residents/%lld/verification", (long long)id);
    json_decref(must(OFFICER, "POST", path, "{}", 200));
  }
  return id;
}

static int64_t new_referral(void) {
  char body[128];
  snprintf(body, sizeof body, "{\"resident_id\":%lld,\"vacancy_id\":%lld}",
           (long long)new_resident(1), (long long)fx.id[K_VACANCY]);
  return id_of(must(OFFICER, "POST", "/v1/referrals", body, 201));
}

static int64_t new_objection(void) {
  char path[80];
  snprintf(path, sizeof path, "/v1/residents/%lld/objections", (long long)new_resident(0));
  return id_of(must(OFFICER, "POST", path,
                    "{\"field\":\"desil\",\"proposed_value\":\"1\",\"reason\":\"uji memori\"}",
                    201));
}

static int64_t new_enrolment(void) {
  char path[64], body[64];
  snprintf(path, sizeof path, "/v1/batches/%lld/enrolments", (long long)fx.id[K_BATCH]);
  snprintf(body, sizeof body, "{\"resident_id\":%lld}", (long long)new_resident(0));
  return id_of(must(OFFICER, "POST", path, body, 201));
}

static int64_t new_key(void) {
  char path[80];
  snprintf(path, sizeof path, "/v1/employers/%lld/api-keys", (long long)fx.id[K_EMPLOYER]);
  return id_of(
      must(ADMIN, "POST", path, "{\"name\":\"uji memori\",\"scopes\":[\"vacancies:read\"]}", 201));
}

static int64_t new_hook(void) {
  char path[80];
  snprintf(path, sizeof path, "/v1/employers/%lld/webhooks", (long long)fx.id[K_EMPLOYER]);
  return id_of(must(ADMIN, "POST", path,
                    "{\"url\":\"https://hr-memori.invalid/padan\",\"events\":"
                    "[\"referral.confirmed\",\"referral.withdrawn\"]}",
                    201));
}

static void build_fixture(void) {
  memset(&fx, 0, sizeof fx);
  char path[600];
  snprintf(path, sizeof path, "%s/demo-credentials.json", dir);
  json_t *all = json_load_file(path, 0, NULL);
  const char *scope = json_string_value(json_object_get(json_array_get(all, DESK), "scope"));
  ck_assert_ptr_nonnull(strchr(scope, ':'));
  snprintf(fx.kel, sizeof fx.kel, "%s", strchr(scope, ':') + 1);
  scope = json_string_value(json_object_get(json_array_get(all, EMPLOYER), "scope"));
  ck_assert_ptr_nonnull(strchr(scope, ':'));
  snprintf(fx.employer_code, sizeof fx.employer_code, "%s", strchr(scope, ':') + 1);
  json_decref(all);

  ck_assert_int_eq(request(NONE, "GET", "/", NULL, NULL), 200);
  const char *a = strstr(reply, "/assets/");
  ck_assert_ptr_nonnull(a);
  a += strlen("/assets/");
  snprintf(fx.asset_version, sizeof fx.asset_version, "%.*s", (int)strspn(a, "0123456789"), a);

  fx.id[K_MATCH_RUN] = id_of(must(OFFICER, "POST", "/v1/match-runs", "{}", 201));
  json_t *me = must(EMPLOYER, "GET", "/v1/me", NULL, 200);
  fx.id[K_EMPLOYER] =
      (int64_t)json_integer_value(json_object_get(json_object_get(me, "scope"), "employer_id"));
  json_decref(me);
  fx.id[K_APIKEY] = new_key();
  fx.id[K_WEBHOOK] = new_hook();
  fx.id[K_RESIDENT] = new_resident(1);
  char body[512];
  snprintf(body, sizeof body,
           "{\"employer\":\"%s\",\"title\":\"Staf Administrasi Memori\",\"vocation\":\"office\","
           "\"kelurahan\":\"%s\",\"nice_skills\":[\"OFC-001\",\"OFC-002\"],\"openings\":5000,"
           "\"wage_monthly\":6000000,\"status\":\"open\"}",
           fx.employer_code, fx.kel);
  fx.id[K_VACANCY] = id_of(must(OFFICER, "POST", "/v1/vacancies", body, 201));
  fx.id[K_REFERRAL] = new_referral();
  json_t *list = must(OFFICER, "GET", "/v1/courses?limit=1", NULL, 200);
  fx.id[K_COURSE] = (int64_t)json_integer_value(
      json_object_get(json_array_get(json_object_get(list, "items"), 0), "id"));
  json_decref(list);
  snprintf(path, sizeof path, "/v1/courses/%lld/batches", (long long)fx.id[K_COURSE]);
  fx.id[K_BATCH] = id_of(
      must(OFFICER, "POST", path,
           "{\"start_date\":\"2027-03-01\",\"end_date\":\"2027-04-30\",\"capacity\":1000}", 201));
  fx.id[K_ENROLMENT] = new_enrolment();
  fx.id[K_OBJECTION] = new_objection();
  snprintf(path, sizeof path, "/v1/webhooks/%lld/deliveries", (long long)fx.id[K_WEBHOOK]);
  list = must(ADMIN, "GET", path, NULL, 200);
  ck_assert_uint_gt(json_array_size(json_object_get(list, "items")), 0);
  fx.id[K_DELIVERY] = id_of(json_incref(json_array_get(json_object_get(list, "items"), 0)));
  json_decref(list);
}

/* ---- The cases: one request per route ---------------------------------------------- */

struct call {
  char path[256];
  char body[4096];
  const char *ctype; /* NULL: JSON */
  char token[256];   /* the caller's token ("": none) */
};

/* Builders for requests that spend an object, or must differ each time
 * (n counts the runs). */
static void put_id(struct call *c, const char *pattern, int64_t id) {
  const char *at = strstr(pattern, "{id}");
  snprintf(c->path, sizeof c->path, "%.*s%lld%s", (int)(at - pattern), pattern, (long long)id,
           at + 4);
}
static void b_logout(struct call *c, long n) {
  (void)n;
  char body[300];
  snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", creds[0], creds[1]);
  json_t *j = must(NONE, "POST", "/v1/auth/login", body, 200);
  /* the call revokes its token: a throwaway one */
  snprintf(c->token, sizeof c->token, "%s", json_string_value(json_object_get(j, "token")));
  json_decref(j);
}
/* A resident of its own for each run: its export, history and access
 * record list every read and write of it, so the fixture's would grow from
 * run to run; its recommendations would come from the cache. */
static void b_fresh(struct call *c, long n) {
  (void)n;
  char pattern[128];
  const char *tail = strrchr(c->path, '/');
  snprintf(pattern, sizeof pattern, "/v1/residents/{id}%s", tail);
  int64_t id = new_resident(strcmp(tail, "/recommendations") == 0);
  if (strcmp(tail, "/history") == 0) { /* one correction in it */
    char path[64];
    snprintf(path, sizeof path, "/v1/residents/%lld", (long long)id);
    json_decref(
        must(OFFICER, "PATCH", path, "{\"phone\":\"0812-0000-0002\",\"reason\":\"uji\"}", 200));
  }
  put_id(c, pattern, id);
}
static void b_erase(struct call *c, long n) {
  (void)n;
  put_id(c, "/v1/residents/{id}", new_resident(0));
}
static void b_objection(struct call *c, long n) {
  (void)n;
  put_id(c, "/v1/residents/{id}/objections", new_resident(0));
}
static void b_resolve(struct call *c, long n) {
  (void)n;
  put_id(c, "/v1/objections/{id}", new_objection());
}
static void b_enrol(struct call *c, long n) {
  (void)n;
  snprintf(c->body, sizeof c->body, "{\"resident_id\":%lld}", (long long)new_resident(0));
}
static void b_enrolment_patch(struct call *c, long n) {
  (void)n;
  put_id(c, "/v1/enrolments/{id}", new_enrolment());
}
static void b_referral(struct call *c, long n) {
  (void)n;
  snprintf(c->body, sizeof c->body, "{\"resident_id\":%lld,\"vacancy_id\":%lld}",
           (long long)new_resident(1), (long long)fx.id[K_VACANCY]);
}
static void b_referral_patch(struct call *c, long n) {
  (void)n;
  put_id(c, "/v1/referrals/{id}", new_referral());
}
static void b_decisions(struct call *c, long n) {
  (void)n;
  snprintf(c->body, sizeof c->body,
           "{\"decisions\":[{\"kind\":\"referral\",\"id\":%lld,\"action\":\"withdraw\"}]}",
           (long long)new_referral());
}
static void b_key_delete(struct call *c, long n) {
  (void)n;
  put_id(c, "/v1/api-keys/{id}", new_key());
}
static void b_key_rotate(struct call *c, long n) {
  (void)n;
  put_id(c, "/v1/api-keys/{id}/rotate", new_key());
}
static void drop_run_hooks(void);
static void b_hook_delete(struct call *c, long n) {
  (void)n;
  drop_run_hooks();
  put_id(c, "/v1/webhooks/{id}", new_hook());
}
/* A new endpoint with one delivery (a new referral's): the fixture's
 * collects one for every referral the runs make. */
static void b_deliveries(struct call *c, long n) {
  (void)n;
  drop_run_hooks();
  int64_t hook = new_hook();
  new_referral();
  char pattern[64];
  snprintf(pattern, sizeof pattern, "%s", "/v1/webhooks/{id}/deliveries");
  put_id(c, pattern, hook);
}
static void b_batch_patch(struct call *c, long n) {
  snprintf(c->body, sizeof c->body, "{\"capacity\":%ld}", 500 + n % 500);
}
/* An employer has at most 10 webhook endpoints: the runs' own go first. */
static void drop_run_hooks(void) {
  char path[80];
  snprintf(path, sizeof path, "/v1/employers/%lld/webhooks", (long long)fx.id[K_EMPLOYER]);
  json_t *list = must(ADMIN, "GET", path, NULL, 200);
  json_t *items = json_is_array(list) ? list : json_object_get(list, "items");
  for (size_t i = 0; i < json_array_size(items); i++) {
    int64_t id = (int64_t)json_integer_value(json_object_get(json_array_get(items, i), "id"));
    if (id != fx.id[K_WEBHOOK]) {
      snprintf(path, sizeof path, "/v1/webhooks/%lld", (long long)id);
      ck_assert_int_eq(request(ADMIN, "DELETE", path, NULL, NULL), 204);
    }
  }
  json_decref(list);
}
static void b_hook_create(struct call *c, long n) {
  (void)n;
  drop_run_hooks();
  snprintf(c->body, sizeof c->body, "%s",
           "{\"url\":\"https://hr-memori.invalid/padan\",\"events\":[\"vacancy.closing\"]}");
}
static void b_vacancy(struct call *c, long n) {
  snprintf(c->body, sizeof c->body,
           "{\"employer\":\"%s\",\"title\":\"Kasir Memori %ld\",\"vocation\":\"retail\","
           "\"openings\":2,\"wage_monthly\":5500000}",
           fx.employer_code, n);
}
static void b_employer(struct call *c, long n) {
  snprintf(c->body, sizeof c->body,
           "{\"name\":\"PT Uji Memori %ld\",\"sector\":\"office\",\"kelurahan\":\"%s\"}", n,
           fx.kel);
}
static void b_resident(struct call *c, long n) {
  (void)n;
  /* a series of NIKs of its own (birth dates in March 1991) */
  static long serial;
  char region[8];
  snprintf(region, sizeof region, "%.2s%.2s%.2s", fx.kel, fx.kel + 3, fx.kel + 6);
  long k = serial++;
  snprintf(c->body, sizeof c->body,
           "{\"nik\":\"%s%02d0391%04ld\",\"name\":\"Warga Daftar Memori\",\"sex\":\"P\","
           "\"birth_date\":\"1991-03-%02d\",\"kelurahan_code\":\"%s\",\"desil\":3}",
           region, 41 + (int)(k / 9000) % 28, 1000 + k % 9000, 1 + (int)(k / 9000) % 28, fx.kel);
}
/* A one-row DTSEN extract of a new resident, imported. */
static void b_import_dtsen(struct call *c, long n) {
  static long serial;
  long k = serial++;
  char region[8];
  snprintf(region, sizeof region, "%.2s%.2s%.2s", fx.kel, fx.kel + 3, fx.kel + 6);
  size_t used = 0;
  for (size_t i = 0; i < DTSEN_N_COLUMNS; i++)
    used += (size_t)snprintf(c->body + used, sizeof c->body - used, "%s%s", dtsen_columns[i],
                             i + 1 < DTSEN_N_COLUMNS ? "," : "\n");
  char row[DTSEN_N_COLUMNS][64];
  memset(row, 0, sizeof row);
  for (size_t i = 0; i < DTSEN_N_COLUMNS; i++) {
    const char *col = dtsen_columns[i];
    if (strcmp(col, "nik") == 0)
      snprintf(row[i], sizeof row[i], "%s%02d0492%04ld", region, 41 + (int)(k / 9000) % 28,
               1000 + k % 9000);
    else if (strcmp(col, "name") == 0)
      snprintf(row[i], sizeof row[i], "Warga Impor Memori %ld", n);
    else if (strcmp(col, "sex") == 0)
      snprintf(row[i], sizeof row[i], "P");
    else if (strcmp(col, "birth_date") == 0)
      snprintf(row[i], sizeof row[i], "1992-04-%02d", 1 + (int)(k / 9000) % 28);
    else if (strcmp(col, "kelurahan_code") == 0)
      snprintf(row[i], sizeof row[i], "%s", fx.kel);
    else if (strcmp(col, "desil") == 0)
      snprintf(row[i], sizeof row[i], "3");
    else if (strcmp(col, "synthetic") == 0)
      snprintf(row[i], sizeof row[i], "1");
  }
  for (size_t i = 0; i < DTSEN_N_COLUMNS; i++)
    used += (size_t)snprintf(c->body + used, sizeof c->body - used, "%s%s", row[i],
                             i + 1 < DTSEN_N_COLUMNS ? "," : "\n");
  c->ctype = "text/csv";
}
static void b_import_interventions(struct call *c, long n) {
  char path[64];
  snprintf(path, sizeof path, "/v1/residents/%lld", (long long)fx.id[K_RESIDENT]);
  json_t *res = must(OFFICER, "GET", path, NULL, 200);
  snprintf(c->body, sizeof c->body,
           "nik,kind,office,start_date,end_date,status,source_ref\n"
           "%s,social_aid,Dinsos,2026-01-05,,active,MEMORI-%ld\n",
           json_string_value(json_object_get(res, "nik")), n);
  json_decref(res);
  c->ctype = "text/csv";
}

struct oom_case {
  const char *method, *pattern;
  enum role who;
  enum kind kind; /* what {id} names */
  /* the body, a format given the run's number n as a long (may ignore it) */
  const char *body;
  void (*build)(struct call *c, long n);
  int want; /* the answer without a failure */
};

#define ASSET(f)                                                                                   \
  { "GET", "/assets/{v}/" f, NONE, K_NONE, NULL, NULL, 200 }

static const struct oom_case cases[] = {
    {"GET", "/healthz", NONE, K_NONE, NULL, NULL, 200},
    {"GET", "/metrics", NONE, K_NONE, NULL, NULL, 200},
    {"GET", "/v1/openapi.json", NONE, K_NONE, NULL, NULL, 200},
    {"GET", "/", NONE, K_NONE, NULL, NULL, 200},
    ASSET("app.js"),
    ASSET("api.js"),
    ASSET("render.js"),
    ASSET("charts.js"),
    ASSET("desk.js"),
    ASSET("officer.js"),
    ASSET("employer.js"),
    ASSET("i18n/id.js"),
    ASSET("i18n/en.js"),
    ASSET("app.css"),
    ASSET("print.css"),
    ASSET("icon.svg"),
    {"POST", "/v1/auth/login", NONE, K_NONE, NULL, NULL, 200},
    {"POST", "/v1/auth/logout", NONE, K_NONE, NULL, b_logout, 204},
    {"GET", "/v1/me", OFFICER, K_NONE, NULL, NULL, 200},
    {"GET", "/v1/kelurahan", OFFICER, K_NONE, NULL, NULL, 200},
    {"POST", "/v1/kelurahan/{code}/pin", OFFICER, K_NONE, NULL, NULL, 200},
    {"DELETE", "/v1/kelurahan/{code}/pin", OFFICER, K_NONE, NULL, NULL, 200},

    {"GET", "/v1/residents", OFFICER, K_NONE, NULL, NULL, 200},
    {"POST", "/v1/residents", OFFICER, K_NONE, NULL, b_resident, 201},
    {"POST", "/v1/residents/search", OFFICER, K_NONE, "{\"name\":\"Uji Memori\"}", NULL, 200},
    {"GET", "/v1/residents/{id}", OFFICER, K_RESIDENT, NULL, NULL, 200},
    {"PATCH", "/v1/residents/{id}", OFFICER, K_RESIDENT,
     "{\"phone\":\"0812-%04ld-0001\",\"reason\":\"uji memori\"}", NULL, 200},
    {"DELETE", "/v1/residents/{id}", ADMIN, K_RESIDENT, "{\"reason\":\"uji memori\"}", b_erase,
     204},
    {"POST", "/v1/residents/{id}/verification", OFFICER, K_RESIDENT, "{\"note\":\"uji memori\"}",
     NULL, 200},
    {"GET", "/v1/residents/{id}/history", OFFICER, K_RESIDENT, NULL, b_fresh, 200},
    {"GET", "/v1/residents/{id}/export", OFFICER, K_RESIDENT, NULL, b_fresh, 200},
    {"GET", "/v1/verification-queue", OFFICER, K_NONE, NULL, NULL, 200},
    {"GET", "/v1/audit", ADMIN, K_NONE, NULL, NULL, 200},
    {"GET", "/v1/residents/{id}/access-record", OFFICER, K_RESIDENT, NULL, b_fresh, 200},
    {"POST", "/v1/residents/{id}/objections", OFFICER, K_RESIDENT,
     "{\"field\":\"desil\",\"proposed_value\":\"1\",\"reason\":\"uji memori\"}", b_objection, 201},
    {"GET", "/v1/objections", OFFICER, K_NONE, NULL, NULL, 200},
    {"GET", "/v1/objections/{id}", OFFICER, K_OBJECTION, NULL, NULL, 200},
    {"PATCH", "/v1/objections/{id}", OFFICER, K_OBJECTION,
     "{\"status\":\"rejected\",\"note\":\"uji memori\"}", b_resolve, 200},

    {"GET", "/v1/employers", OFFICER, K_NONE, NULL, NULL, 200},
    {"POST", "/v1/employers", OFFICER, K_NONE, NULL, b_employer, 201},
    {"GET", "/v1/employers/{id}", OFFICER, K_EMPLOYER, NULL, NULL, 200},
    {"PATCH", "/v1/employers/{id}", EMPLOYER, K_EMPLOYER, "{\"address\":\"Jl. Memori No. %ld\"}",
     NULL, 200},

    {"GET", "/v1/vacancies", OFFICER, K_NONE, NULL, NULL, 200},
    {"POST", "/v1/vacancies", OFFICER, K_NONE, NULL, b_vacancy, 201},
    {"GET", "/v1/vacancies/{id}", EMPLOYER, K_VACANCY, NULL, NULL, 200},
    {"PATCH", "/v1/vacancies/{id}", OFFICER, K_VACANCY, "{\"wage_monthly\":5%06ld}", NULL, 200},
    {"GET", "/v1/vacancies/{id}/candidates", EMPLOYER, K_VACANCY, NULL, NULL, 200},
    {"GET", "/v1/residents/{id}/recommendations", OFFICER, K_RESIDENT, NULL, b_fresh, 200},
    {"GET", "/v1/training-plan", OFFICER, K_NONE, NULL, NULL, 200},

    {"GET", "/v1/courses", OFFICER, K_NONE, NULL, NULL, 200},
    {"POST", "/v1/courses", OFFICER, K_NONE,
     "{\"name\":\"Kursus Memori %ld\",\"vocation\":\"office\",\"hours\":40,\"batch_capacity\":20,"
     "\"skills\":[\"OFC-004\"]}",
     NULL, 201},
    {"GET", "/v1/courses/{id}", OFFICER, K_COURSE, NULL, NULL, 200},
    {"GET", "/v1/courses/{id}/batches", OFFICER, K_COURSE, NULL, NULL, 200},
    {"POST", "/v1/courses/{id}/batches", OFFICER, K_COURSE,
     "{\"start_date\":\"2027-06-01\",\"end_date\":\"2027-07-31\"}", NULL, 201},
    {"GET", "/v1/batches/{id}", OFFICER, K_BATCH, NULL, NULL, 200},
    {"PATCH", "/v1/batches/{id}", OFFICER, K_BATCH, NULL, b_batch_patch, 200},
    {"GET", "/v1/batches/{id}/enrolments", OFFICER, K_BATCH, NULL, NULL, 200},
    {"POST", "/v1/batches/{id}/enrolments", OFFICER, K_BATCH, NULL, b_enrol, 201},
    {"GET", "/v1/enrolments/{id}", OFFICER, K_ENROLMENT, NULL, NULL, 200},
    {"PATCH", "/v1/enrolments/{id}", OFFICER, K_ENROLMENT, "{\"status\":\"dropped\"}",
     b_enrolment_patch, 200},

    {"GET", "/v1/match-runs", OFFICER, K_NONE, NULL, NULL, 200},
    {"GET", "/v1/match-runs/{id}", OFFICER, K_MATCH_RUN, NULL, NULL, 200},
    {"GET", "/v1/match-runs/{id}/proposals", OFFICER, K_MATCH_RUN, NULL, NULL, 200},
    {"POST", "/v1/proposals/decisions", OFFICER, K_NONE, NULL, b_decisions, 200},
    {"GET", "/v1/referrals", OFFICER, K_NONE, NULL, NULL, 200},
    {"POST", "/v1/referrals", OFFICER, K_NONE, NULL, b_referral, 201},
    {"GET", "/v1/referrals/{id}", EMPLOYER, K_REFERRAL, NULL, NULL, 200},
    {"PATCH", "/v1/referrals/{id}", OFFICER, K_REFERRAL, "{\"status\":\"interviewed\"}",
     b_referral_patch, 200},

    {"GET", "/v1/reports/funnel", OFFICER, K_NONE, NULL, NULL, 200},
    {"GET", "/v1/reports/course-outcomes", OFFICER, K_NONE, NULL, NULL, 200},
    {"GET", "/v1/reports/skills-gap", OFFICER, K_NONE, NULL, NULL, 200},
    {"GET", "/v1/reports/targeting", OFFICER, K_NONE, NULL, NULL, 200},
    {"GET", "/v1/reports/overlaps", OFFICER, K_NONE, NULL, NULL, 200},
    {"GET", "/v1/reports/unserved", OFFICER, K_NONE, NULL, NULL, 200},
    {"POST", "/v1/reports/course-outcomes/measure", OFFICER, K_NONE, NULL, NULL, 200},
    {"POST", "/v1/imports/dtsen", OFFICER, K_NONE, NULL, b_import_dtsen, 200},
    {"POST", "/v1/imports/interventions", OFFICER, K_NONE, NULL, b_import_interventions, 200},

    {"GET", "/v1/employers/{id}/api-keys", ADMIN, K_EMPLOYER, NULL, NULL, 200},
    {"POST", "/v1/employers/{id}/api-keys", EMPLOYER, K_EMPLOYER,
     "{\"name\":\"uji memori\",\"scopes\":[\"vacancies:read\"]}", NULL, 201},
    {"GET", "/v1/api-keys/{id}", ADMIN, K_APIKEY, NULL, NULL, 200},
    {"DELETE", "/v1/api-keys/{id}", ADMIN, K_APIKEY, NULL, b_key_delete, 200},
    {"POST", "/v1/api-keys/{id}/rotate", ADMIN, K_APIKEY, NULL, b_key_rotate, 201},
    {"GET", "/v1/employers/{id}/webhooks", ADMIN, K_EMPLOYER, NULL, NULL, 200},
    {"POST", "/v1/employers/{id}/webhooks", ADMIN, K_EMPLOYER, NULL, b_hook_create, 201},
    {"GET", "/v1/webhooks/{id}", ADMIN, K_WEBHOOK, NULL, NULL, 200},
    {"DELETE", "/v1/webhooks/{id}", ADMIN, K_WEBHOOK, NULL, b_hook_delete, 204},
    {"GET", "/v1/webhooks/{id}/deliveries", ADMIN, K_WEBHOOK, NULL, b_deliveries, 200},
    /* the fixture's delivery is pending: only a dead one replays */
    {"POST", "/v1/webhook-deliveries/{id}/replay", ADMIN, K_DELIVERY, NULL, NULL, 409},
    /* last: a run proposes whoever is eligible then */
    {"POST", "/v1/match-runs", OFFICER, K_NONE, "{\"algorithm\":\"exact\"}", NULL, 201},
};
#define N_CASES (sizeof cases / sizeof cases[0])

/* Lists and reports asked for a short page or one slice: the allocations
 * per item repeat, and a short answer keeps the run time down. */
static const struct {
  const char *method, *pattern, *query;
} narrow[] = {
    {"GET", "/v1/residents", "?limit=2"},
    {"GET", "/v1/verification-queue", "?limit=2"},
    {"GET", "/v1/audit", "?limit=2"},
    {"GET", "/v1/objections", "?limit=2"},
    {"GET", "/v1/employers", "?limit=2"},
    {"GET", "/v1/vacancies", "?limit=2"},
    {"GET", "/v1/courses", "?limit=2"},
    {"GET", "/v1/courses/{id}/batches", "?limit=2"},
    {"GET", "/v1/batches/{id}/enrolments", "?limit=2"},
    {"GET", "/v1/referrals", "?limit=2"},
    {"GET", "/v1/match-runs", "?limit=2"},
    {"GET", "/v1/match-runs/{id}/proposals", "?limit=2"},
    {"GET", "/v1/vacancies/{id}/candidates", "?limit=2"},
    {"GET", "/v1/residents/{id}/recommendations", "?limit=2"},
    {"GET", "/v1/reports/skills-gap", "?vocation=office"},
};

/* The request of case c for run n into *call. */
static void prepare(const struct oom_case *c, long n, struct call *call) {
  memset(call, 0, sizeof *call);
  if (c->who != NONE)
    snprintf(call->token, sizeof call->token, "%s", token[c->who]);
  const char *p = c->pattern;
  size_t used = 0;
  while (*p != '\0' && used + 1 < sizeof call->path) {
    const char *sub = NULL;
    size_t skip = 0;
    char id[24];
    if (strncmp(p, "{id}", 4) == 0) {
      snprintf(id, sizeof id, "%lld", (long long)fx.id[c->kind]);
      sub = id, skip = 4;
    } else if (strncmp(p, "{code}", 6) == 0) {
      sub = fx.kel, skip = 6;
    } else if (strncmp(p, "{v}", 3) == 0) {
      sub = fx.asset_version, skip = 3;
    }
    if (sub != NULL) {
      used += (size_t)snprintf(call->path + used, sizeof call->path - used, "%s", sub);
      p += skip;
    } else {
      call->path[used++] = *p++;
    }
  }
  call->path[used] = '\0';
  for (size_t i = 0; i < sizeof narrow / sizeof narrow[0]; i++)
    if (strcmp(narrow[i].method, c->method) == 0 && strcmp(narrow[i].pattern, c->pattern) == 0)
      snprintf(call->path + used, sizeof call->path - used, "%s", narrow[i].query);
  if (strcmp(c->pattern, "/v1/auth/login") == 0)
    snprintf(call->body, sizeof call->body, "{\"username\":\"%s\",\"password\":\"%s\"}", creds[0],
             creds[1]);
  else if (c->body != NULL)
    snprintf(call->body, sizeof call->body, c->body, n % 10000);
  if (c->build != NULL)
    c->build(call, n);
}

/* The case of route rt, or NULL. */
static const struct oom_case *case_of(const struct api_route *rt) {
  for (size_t i = 0; i < N_CASES; i++)
    if (strcmp(cases[i].method, rt->method) == 0 && strcmp(cases[i].pattern, rt->pattern) == 0)
      return &cases[i];
  return NULL;
}

START_TEST(every_route_has_a_case) {
  const struct api_route *all[512];
  size_t n = api_routes_list(all, 512);
  ck_assert_uint_le(n, 512);
  for (size_t i = 0; i < n; i++)
    ck_assert_msg(case_of(all[i]) != NULL, "%s %s has no out-of-memory case in check_oom.c",
                  all[i]->method, all[i]->pattern);
  ck_assert_uint_eq(n, N_CASES);
}
END_TEST

/* One run of case c with the own-th own and sql-th SQLite allocation
 * failing (-1: none); the status.  Checks the answer and that nothing was
 * written unless it is a 2xx.  *hit: the failure happened. */
static int run_once(const struct oom_case *c, long n, long own, long sql, long rebuild, int *hit) {
  struct call call;
  prepare(c, n, &call);
  const char *body = call.body[0] != '\0' || strcmp(c->method, "GET") != 0 ? call.body : NULL;
  if (strcmp(c->method, "DELETE") == 0 && call.body[0] == '\0')
    body = NULL;
  /* a read never writes but its audit rows: only writes are compared */
  int write = strcmp(c->method, "GET") != 0;
  uint64_t before = write ? fingerprint() : 0;
  arm3(own, sql, rebuild);
  int st =
      request_as(call.token[0] != '\0' ? call.token : NULL, c->method, call.path, call.ctype, body);
  disarm();
  *hit = atomic_load(&failed);
  const char *what = c->pattern;
  ck_assert_msg(st == c->want || (st >= 500 && st <= 599) || (st == -1 && *hit),
                "%s %s, allocation own %ld / sqlite %ld failed: %d\n%.600s", c->method, what, own,
                sql, st, reply);
  if (st >= 500)
    ck_assert_msg(strstr(reply, "application/problem+json") != NULL, "%s %s, %ld/%ld: %.400s",
                  c->method, what, own, sql, reply);
  if (write && (st < 200 || st > 299) && fingerprint() != before)
    print_failure();
  if (write && (st < 200 || st > 299))
    ck_assert_msg(fingerprint() == before,
                  "%s %s answered %d with own %ld / sqlite %ld failing, but wrote", c->method, what,
                  st, own, sql);
  /* still serving */
  if (st != c->want)
    ck_assert_int_eq(request(NONE, "GET", "/healthz", NULL, NULL), 200);
  return st;
}

static long runs;
static int hit_once;
static int rebuild_covered; /* one route's rebuild had every N failed */

START_TEST(every_allocation_fails_in_turn) {
  const struct oom_case *c = &cases[_i];
  /* OOM_ONLY="METHOD pattern" (or a part of it) runs those routes' cases, OOM_AT=N fails its
   * Nth own allocation only (while debugging) */
  const char *only = getenv("OOM_ONLY"), *at = getenv("OOM_AT");
  char name[300];
  snprintf(name, sizeof name, "%s %s", c->method, c->pattern);
  if (only != NULL && strstr(name, only) == NULL)
    return;
  if (at != NULL) {
    run_once(c, runs++, strtol(at, NULL, 10), -1, -1, &hit_once);
    return;
  }
  int hit;
  /* the count */
  int st = run_once(c, runs++, -1, -1, -1, &hit);
  ck_assert_msg(st == c->want, "%s %s: %d without a failure\n%.600s", c->method, c->pattern, st,
                reply);
  long own_count = atomic_load(&made[K_OWN]), sql_count = atomic_load(&made[K_SQL]);
  long rebuild_count = atomic_load(&made[K_REBUILD]);
  if (getenv("OOM_COUNT") != NULL) { /* OOM_COUNT=1: only count (while tuning) */
    fprintf(stderr, "%-6s %-38s own+jansson %5ld; sqlite %5ld; rebuild %5ld\n", c->method,
            c->pattern, own_count, sql_count, rebuild_count);
    return;
  }
  long own;
  for (own = 0;; own++) {
    st = run_once(c, runs++, own, -1, -1, &hit);
    if (!hit) {
      ck_assert_msg(st == c->want, "%s %s: %d, the failure not reached\n%.600s", c->method,
                    c->pattern, st, reply);
      break;
    }
    ck_assert_msg(own < 4 * own_count + 100, "%s %s: no end", c->method, c->pattern);
  }
  long step = sql_count > SQLITE_POINTS ? (sql_count + SQLITE_POINTS - 1) / SQLITE_POINTS : 1;
  long sql_tried = 0;
  for (long k = 0; k < sql_count; k += step, sql_tried++)
    run_once(c, runs++, -1, k, -1, &hit);
  /* an engine rebuild (it grows with each write, so the N counted are
   * tried, not "until the end"): REBUILD_POINTS spaced N the first time
   * (every N with OOM_FULL=1), SQLITE_POINTS after that */
  long rebuild_tried = 0;
  long points = rebuild_covered ? SQLITE_POINTS : getenv("OOM_FULL") ? LONG_MAX : REBUILD_POINTS;
  step = rebuild_count > points ? (rebuild_count + points - 1) / points : 1;
  for (long k = 0; k < rebuild_count; k += step, rebuild_tried++)
    run_once(c, runs++, -1, -1, k, &hit);
  rebuild_covered |= rebuild_count > 0;
  fprintf(stderr,
          "%-6s %-38s own+jansson %4ld, failed in turn %4ld; sqlite %5ld, tried %2ld; "
          "rebuild %4ld, tried %4ld\n",
          c->method, c->pattern, own_count, own, sql_count, sql_tried, rebuild_count,
          rebuild_tried);
}
END_TEST

/* ---- An import, all or nothing ------------------------------------------------------ */

#define IMPORT_NEW 3
#define IMPORT_OLD 2

/* An extract of IMPORT_OLD residents imported before (their phone set from
 * n) and IMPORT_NEW new ones (NIKs from n). */
static void extract(char *out, size_t cap, long n) {
  size_t used = 0;
  char region[8];
  snprintf(region, sizeof region, "%.2s%.2s%.2s", fx.kel, fx.kel + 3, fx.kel + 6);
  for (size_t i = 0; i < DTSEN_N_COLUMNS; i++)
    used += (size_t)snprintf(out + used, cap - used, "%s%s", dtsen_columns[i],
                             i + 1 < DTSEN_N_COLUMNS ? "," : "\n");
  for (int r = 0; r < IMPORT_OLD + IMPORT_NEW; r++) {
    long k = r < IMPORT_OLD ? r : IMPORT_OLD + n * IMPORT_NEW + (r - IMPORT_OLD);
    int day = 1 + (int)(k / 9000) % 28, sn = 1000 + (int)(k % 9000);
    used += (size_t)snprintf(
        out + used, cap - used,
        "%s%02d0593%04d,Warga Impor Memori,P,1993-05-%02d,islam,kawin,%s,\"Jl. Impor No. %d\","
        "0815-%04ld-%04d,sma,,4,unemployed,not_in_school,6,1,none,day,office,OFC-001;OFC-002,"
        "2026-07-01,1\n",
        region, day + 40, sn, day, fx.kel, r, n % 10000, r);
    ck_assert_uint_lt(used, cap);
  }
}

/* How many of the extract's rows the database holds as the extract says. */
static int imported(long n) {
  char region[8];
  snprintf(region, sizeof region, "%.2s%.2s%.2s", fx.kel, fx.kel + 3, fx.kel + 6);
  int found = 0;
  for (int r = 0; r < IMPORT_OLD + IMPORT_NEW; r++) {
    long k = r < IMPORT_OLD ? r : IMPORT_OLD + n * IMPORT_NEW + (r - IMPORT_OLD);
    int day = 1 + (int)(k / 9000) % 28, sn = 1000 + (int)(k % 9000);
    char nik[20], phone[20];
    snprintf(nik, sizeof nik, "%s%02d0593%04d", region, day + 40, sn);
    snprintf(phone, sizeof phone, "0815-%04ld-%04d", n % 10000, r);
    sqlite3_stmt *st;
    ck_assert_int_eq(
        sqlite3_prepare_v2(peek, "SELECT count(*) FROM residents WHERE nik = ? AND phone = ?", -1,
                           &st, NULL),
        SQLITE_OK);
    sqlite3_bind_text(st, 1, nik, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, phone, -1, SQLITE_STATIC);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    found += sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
  }
  return found;
}

static char csv[16384];

/* Run n of the import with the own-th / sql-th allocation failing. */
static void import_once(long n, long own, long sql, int *hit) {
  extract(csv, sizeof csv, n);
  uint64_t before = fingerprint();
  arm(own, sql);
  int st = request(OFFICER, "POST", "/v1/imports/dtsen", "text/csv", csv);
  disarm();
  *hit = atomic_load(&failed);
  ck_assert_msg(st == 200 || (st >= 500 && st <= 599) || (st == -1 && *hit),
                "import, allocation own %ld / sqlite %ld failed: %d\n%.600s", own, sql, st, reply);
  if (st >= 500)
    ck_assert_msg(strstr(reply, "application/problem+json") != NULL, "import: %.400s", reply);
  integrity_ok();
  int rows = imported(n);
  if (st == 200)
    ck_assert_msg(rows == IMPORT_OLD + IMPORT_NEW, "import %ld/%ld answered 200 with %d rows", own,
                  sql, rows);
  else {
    if (fingerprint() != before)
      print_failure();
    ck_assert_msg(fingerprint() == before, "import %ld/%ld answered %d but wrote (%d rows)", own,
                  sql, st, rows);
  }
  ck_assert_int_eq(request(NONE, "GET", "/healthz", NULL, NULL), 200);
}

START_TEST(an_import_is_all_or_nothing) {
  long n = 0;
  int hit;
  import_once(n++, -1, -1, &hit); /* the two old rows are in from here on */
  import_once(n++, -1, -1, &hit); /* the count, with two updates */
  long own_count = atomic_load(&made[K_OWN]), sql_count = atomic_load(&made[K_SQL]);
  long own;
  for (own = 0;; own++) {
    import_once(n++, own, -1, &hit);
    if (!hit)
      break;
    ck_assert_msg(own < 4 * own_count + 100, "import: no end");
  }
  /* every SQLite allocation of a small import is tried too */
  long step = sql_count > 40 * SQLITE_POINTS
                  ? (sql_count + 40 * SQLITE_POINTS - 1) / (40 * SQLITE_POINTS)
                  : 1;
  long tried = 0;
  for (long k = 0; k < sql_count; k += step, tried++)
    import_once(n++, -1, k, &hit);
  fprintf(stderr, "import: own+jansson %ld failed in turn: %ld; sqlite %ld, tried %ld\n", own_count,
          own, sql_count, tried);
}
END_TEST

static void setup(void) {
  server_start();
  build_fixture();
}

int main(void) {
  hooks_install();
  fail_depth = backtrace(fail_frames, 40); /* loads what backtrace needs, now */
  trace = getenv("OOM_TRACE") != NULL ? strtol(getenv("OOM_TRACE"), NULL, 10) : 0;
  /* the server runs in this process: the test must too, or the counters
   * it sets would be a forked child's */
  setenv("CK_FORK", "no", 1);
  Suite *s = suite_create("oom");
  TCase *tc = tcase_create("routes");
  tcase_set_timeout(tc, 1800);
  tcase_add_test(tc, every_route_has_a_case);
  tcase_add_unchecked_fixture(tc, setup, server_stop);
  tcase_add_loop_test(tc, every_allocation_fails_in_turn, 0, (int)N_CASES);
  suite_add_tcase(s, tc);
  TCase *imp = tcase_create("import");
  tcase_set_timeout(imp, 1800);
  tcase_add_unchecked_fixture(imp, setup, server_stop);
  tcase_add_test(imp, an_import_is_all_or_nothing);
  suite_add_tcase(s, imp);
  return tu_run_suite(s);
}
