/*
 * cli.c — padan's subcommands (see cli.h).
 *
 * Every subcommand parses its own options with getopt_long, answers --help
 * with its usage, and reports a bad command line or a failure in one line on
 * stderr that names the problem, with exit status 2 or 1.  The data
 * directory holds everything an instance keeps: padan.db, the token key and
 * the demo credentials.
 */
#include "cli.h"

#include "auth.h"
#include "cli_config.h"
#include "cli_gov.h"
#include "cli_ops.h"
#include "cli_util.h"
#include "dates.h"
#include "dtsen.h"
#include "jsonmem.h"
#include "runs.h"
#include "seedgen.h"
#include "seeds.h"
#include "server.h"
#include "snapshot.h"
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_PORT 8080
#define DEFAULT_RESIDENTS 50000

/* ---- Shared helpers ------------------------------------------------------- */

static void join(char *out, size_t cap, const char *dir, const char *file) {
  snprintf(out, cap, "%s/%s", dir, file);
}

/* ---- serve ------------------------------------------------------------------ */

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig) {
  (void)sig;
  stop_flag = 1;
}

struct ready {
  const char *bind, *dir;
};

static void on_ready(void *arg, uint16_t port) {
  const struct ready *r = arg;
  printf("padan listening on http://%s:%u\n", r->bind, (unsigned)port);
  printf("demo accounts (if created): %s/demo-credentials.json\n", r->dir);
  fflush(stdout);
}

static const char serve_usage[] =
    "usage: padan serve [--config FILE] [--data DIR] [--port N] [--bind ADDR] [--threads N]\n"
    "                   [--request-timeout S] [--max-per-ip N] [--trusted-proxy ADDR,...]\n"
    "Serves the JSON API on DIR/padan.db.\n"
    "  --data DIR     data directory (default $PADAN_DATA or ./data)\n"
    "  --port N       TCP port (default $PADAN_PORT or 8080; 0 picks a free one)\n"
    "  --bind ADDR    IPv4 address to listen on (default $PADAN_BIND or 127.0.0.1)\n"
    "  --threads N    worker threads (default $PADAN_THREADS or 2)\n"
    "  --config FILE  'key = value' lines named as these flags (data, port, bind,\n"
    "                 threads, request-timeout, max-per-ip, trusted-proxy,\n"
    "                 max-db-pages); a flag wins over $PADAN_*, which wins over FILE\n"
    "  --request-timeout S  a request's head and body must arrive within S seconds\n"
    "                 (default $PADAN_REQUEST_TIMEOUT or 15; uploads get 10 times as long)\n"
    "  --max-per-ip N connections from one address (default $PADAN_MAX_PER_IP or 32)\n"
    "  --trusted-proxy ADDR,...  reverse proxies whose X-Forwarded-For names the client\n"
    "                 (default $PADAN_TRUSTED_PROXIES or none; at most 8)\n"
    "Environment: PADAN_MAX_DB_PAGES caps the database at that many pages for the\n"
    "API's writes (a write past it answers 507, as on a full disk).\n";

/* Splits a comma-separated list of addresses into out (at most max - 1
 * entries, NULL-terminated) inside buf; -1 when there are too many. */
static int split_addresses(const char *list, char *buf, size_t size, const char **out, size_t max) {
  size_t n = 0;
  snprintf(buf, size, "%s", list);
  for (char *p = buf; *p != '\0';) {
    char *comma = strchr(p, ',');
    if (comma != NULL)
      *comma = '\0';
    if (*p != '\0') {
      if (n + 1 >= max)
        return -1;
      out[n++] = p;
    }
    if (comma == NULL)
      break;
    p = comma + 1;
  }
  out[n] = NULL;
  return 0;
}

static int serve_with(int argc, char **argv, const char *dir, const char *port_s, const char *bind,
                      const char *threads_s, const char *timeout_s, const char *per_ip_s,
                      const char *proxies_s, const char *pages_s);

static int cmd_serve(int argc, char **argv) {
  static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                       {"port", required_argument, NULL, 'p'},
                                       {"bind", required_argument, NULL, 'b'},
                                       {"threads", required_argument, NULL, 't'},
                                       {"request-timeout", required_argument, NULL, 'T'},
                                       {"max-per-ip", required_argument, NULL, 'I'},
                                       {"trusted-proxy", required_argument, NULL, 'P'},
                                       {"config", required_argument, NULL, 'C'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  /* the file first, so that the environment and then the flags win over it */
  struct cli_config cfg = {0};
  for (int i = 1; i < argc; i++) {
    const char *file = strncmp(argv[i], "--config=", 9) == 0 ? argv[i] + 9
                       : strcmp(argv[i], "--config") == 0    ? argv[i + 1]
                                                             : NULL;
    if (file != NULL) {
      int rc = cli_config_load(file, &cfg);
      if (rc != 0)
        return rc;
      break;
    }
  }
  const char *dir = getenv("PADAN_DATA") == NULL ? cfg.values[0] : NULL;
  const char *port_s = cli_config_get(&cfg, "port"), *bind = cli_config_get(&cfg, "bind");
  const char *timeout_s = cli_config_get(&cfg, "request-timeout");
  const char *per_ip_s = cli_config_get(&cfg, "max-per-ip");
  const char *proxies_s = cli_config_get(&cfg, "trusted-proxy");
  const char *pages_s = cli_config_get(&cfg, "max-db-pages");
  const char *threads_s = cli_config_get(&cfg, "threads");
  int c;
  while ((c = getopt_long(argc, argv, ":d:p:b:t:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd':
      dir = optarg;
      break;
    case 'p':
      port_s = optarg;
      break;
    case 'b':
      bind = optarg;
      break;
    case 't':
      threads_s = optarg;
      break;
    case 'C':
      break; /* read above */
    case 'T':
      timeout_s = optarg;
      break;
    case 'I':
      per_ip_s = optarg;
      break;
    case 'P':
      proxies_s = optarg;
      break;
    case 'h':
      fputs(serve_usage, stdout);
      return 0;
    default:
      cli_config_free(&cfg);
      return cli_bad_option("serve", argv, "pdbtTIPC");
    }
  }
  int status =
      serve_with(argc, argv, dir, port_s, bind, threads_s, timeout_s, per_ip_s, proxies_s, pages_s);
  cli_config_free(&cfg);
  return status;
}

/* The rest of cmd_serve, once the settings' texts are chosen (the config
 * file's values are freed after it returns). */
static int serve_with(int argc, char **argv, const char *dir, const char *port_s, const char *bind,
                      const char *threads_s, const char *timeout_s, const char *per_ip_s,
                      const char *proxies_s, const char *pages_s) {
  long pages = 0;
  long port = DEFAULT_PORT, threads = 2, timeout = 0, per_ip = 0;
  if (optind < argc)
    return cli_die(CLI_EXIT_USAGE, "serve: unexpected argument '%s'", argv[optind]);
  if (threads_s != NULL && *threads_s != '\0' && cli_parse_long(threads_s, 1, 64, &threads) != 0)
    return cli_die(CLI_EXIT_USAGE, "serve: threads must be 1-64, not '%s'", threads_s);
  if (port_s != NULL && *port_s != '\0' && cli_parse_long(port_s, 0, 65535, &port) != 0)
    return cli_die(CLI_EXIT_USAGE, "serve: port must be 0-65535, not '%s'", port_s);
  if (bind == NULL || *bind == '\0')
    bind = "127.0.0.1";
  if (timeout_s != NULL && *timeout_s != '\0' && cli_parse_long(timeout_s, 1, 3600, &timeout) != 0)
    return cli_die(CLI_EXIT_USAGE, "serve: request timeout must be 1-3600 seconds, not '%s'",
                   timeout_s);
  if (per_ip_s != NULL && *per_ip_s != '\0' && cli_parse_long(per_ip_s, 1, 10000, &per_ip) != 0)
    return cli_die(CLI_EXIT_USAGE, "serve: max per ip must be 1-10000, not '%s'", per_ip_s);
  if (pages_s != NULL && *pages_s != '\0' && cli_parse_long(pages_s, 1, 2147483647L, &pages) != 0)
    return cli_die(CLI_EXIT_USAGE, "serve: PADAN_MAX_DB_PAGES must be a page count, not '%s'",
                   pages_s);
  char proxy_buf[512];
  const char *proxies[10];
  proxies[0] = NULL;
  if (proxies_s != NULL &&
      split_addresses(proxies_s, proxy_buf, sizeof proxy_buf, proxies, 10) != 0)
    return cli_die(CLI_EXIT_USAGE, "serve: at most 8 trusted proxies");
  dir = cli_data_dir(dir);
  if (cli_check_dir(dir, 0) != 0)
    return 1;

  char db[PATH_MAX], key[PATH_MAX];
  join(db, sizeof db, dir, "padan.db");
  join(key, sizeof key, dir, "token.key");
  if (access(db, F_OK) != 0)
    return cli_die(1, "no database at %s: run 'padan seed' first", db);
  int lock = cli_serve_lock(dir); /* padan restore refuses while it is held */
  if (lock < 0)
    return 1;

  struct sigaction sa = {.sa_handler = on_signal};
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  struct api_server_opts o = {.db_path = db,
                              .key_path = key,
                              .bind = bind,
                              .port = (uint16_t)port,
                              .threads = (unsigned)threads,
                              .request_timeout_s = (unsigned)timeout,
                              .max_per_ip = (unsigned)per_ip,
                              .trusted_proxies = proxies,
                              .max_db_pages = pages};
  struct ready r = {.bind = bind, .dir = dir};
  int rc = api_serve(&o, &stop_flag, on_ready, &r) == 0 ? 0 : 1;
  close(lock);
  return rc;
}

/* ---- seed ---------------------------------------------------------------------- */

static const char seed_usage[] =
    "usage: padan seed [--data DIR] [--residents N] [--seed S] [--out FILE]\n"
    "Creates DIR/padan.db from the built-in seeds (Kota Tangerang's kecamatan and\n"
    "kelurahan, skills, BLK courses, fictional employers and vacancies) and adds N\n"
    "synthetic DTSEN-like residents made deterministically from S.\n"
    "With --out, writes the residents as a DTSEN extract CSV to FILE ('-' for\n"
    "stdout) instead, and touches no database.\n"
    "  --residents N  number of synthetic residents (default 50000)\n"
    "  --seed S       generator seed (default 1)\n";

static int cmd_seed(int argc, char **argv) {
  static const struct option opts[] = {
      {"data", required_argument, NULL, 'd'}, {"residents", required_argument, NULL, 'r'},
      {"seed", required_argument, NULL, 's'}, {"out", required_argument, NULL, 'o'},
      {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
  const char *dir = NULL, *out = NULL;
  long n = DEFAULT_RESIDENTS, seed = 1;
  int c;
  while ((c = getopt_long(argc, argv, ":d:r:s:o:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd':
      dir = optarg;
      break;
    case 'o':
      out = optarg;
      break;
    case 'r':
      if (cli_parse_long(optarg, 0, 5000000, &n) != 0)
        return cli_die(CLI_EXIT_USAGE, "seed: --residents must be 0-5000000, not '%s'", optarg);
      break;
    case 's':
      if (cli_parse_long(optarg, 0, LONG_MAX, &seed) != 0)
        return cli_die(CLI_EXIT_USAGE, "seed: --seed must be a non-negative integer, not '%s'",
                       optarg);
      break;
    case 'h':
      fputs(seed_usage, stdout);
      return 0;
    default:
      return cli_bad_option("seed", argv, "pdrsotek");
    }
  }
  if (optind < argc)
    return cli_die(CLI_EXIT_USAGE, "seed: unexpected argument '%s'", argv[optind]);

  if (out != NULL) {
    FILE *f = strcmp(out, "-") == 0 ? stdout : fopen(out, "w");
    if (f == NULL)
      return cli_die(1, "seed: cannot write %s: %s", out, strerror(errno));
    int rc = seedgen_write_default(f, (size_t)n, (uint64_t)seed);
    if (f != stdout && fclose(f) != 0)
      rc = -1;
    return rc == 0 ? 0 : cli_die(1, "seed: cannot write %s", out);
  }

  dir = cli_data_dir(dir);
  struct store *s = NULL;
  char *buf = NULL;
  size_t len = 0;
  int status = 1, loaded = 0;
  char err[512];
  if (cli_check_dir(dir, 1) != 0 || cli_open_db(dir, 0, &s) != 0)
    goto cleanup;
  if (seeds_load(s, &loaded, err, sizeof err) != 0) {
    cli_die(1, "seed: %s", err);
    goto cleanup;
  }
  FILE *mem = open_memstream(&buf, &len);
  if (mem == NULL || seedgen_write_default(mem, (size_t)n, (uint64_t)seed) != 0) {
    if (mem != NULL)
      fclose(mem);
    cli_die(1, "seed: cannot generate residents (out of memory)");
    goto cleanup;
  }
  fclose(mem);
  /* generated verification dates run up to the generator's reference day;
   * on a machine whose clock is behind it they must not count as future */
  char today[11];
  date_wib_iso(time(NULL), today);
  if (strcmp(today, SEEDGEN_REFERENCE_DATE) < 0)
    snprintf(today, sizeof today, "%s", SEEDGEN_REFERENCE_DATE);
  struct dtsen_options o = {.dry_run = 0, .today = today};
  struct dtsen_report rep;
  int rc = dtsen_import(s, buf, len, &o, &rep);
  if (rc != 0) {
    dtsen_report_print(stderr, &rep);
    dtsen_report_free(&rep);
    cli_die(1, "seed: the generated residents did not import");
    goto cleanup;
  }
  printf("seeded %s/padan.db: reference data %s; residents %zu new, %zu updated, %zu unchanged\n",
         dir, loaded ? "loaded" : "already present", rep.new_rows, rep.updated, rep.unchanged);
  dtsen_report_free(&rep);
  status = 0;

cleanup:
  free(buf);
  store_close(s);
  return status;
}

/* ---- import --------------------------------------------------------------------- */

static const char import_usage[] =
    "usage: padan import dtsen FILE [--data DIR] [--dry-run] [--extract-date YYYY-MM-DD]\n"
    "       padan import interventions FILE [--data DIR] [--dry-run]  (padan import interventions "
    "--help)\n"
    "Validates a DTSEN extract (CSV, see docs/DTSEN-FORMAT.md) and, when every row is\n"
    "valid, upserts it by NIK in one transaction.  Any bad row: nothing is written and\n"
    "every bad row and field is reported.\n"
    "  --dry-run      validate and report without writing\n"
    "  --extract-date the day the extract was made: fields corrected in padan after it\n"
    "                 keep the correction (default: unknown, every correction is kept)\n";

static int cmd_import(int argc, char **argv) {
  static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                       {"dry-run", no_argument, NULL, 'n'},
                                       {"extract-date", required_argument, NULL, 'e'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  const char *extract_date = NULL;
  /* the intervention registry's import has options of its own */
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "interventions") == 0)
      return cli_gov_interventions(argc, argv);
  const char *dir = NULL;
  int dry = 0, c;
  while ((c = getopt_long(argc, argv, ":d:nh", opts, NULL)) != -1) {
    if (cli_shared_option(c, &dir, &dry))
      continue;
    switch (c) {
    case 'e':
      extract_date = optarg;
      break;
    case 'h':
      fputs(import_usage, stdout);
      return 0;
    default:
      return cli_bad_option("import", argv, "pdrsotek");
    }
  }
  if (optind + 2 != argc || strcmp(argv[optind], "dtsen") != 0)
    return cli_die(CLI_EXIT_USAGE, "import: expected 'dtsen FILE' (see padan import --help)");
  const char *file = argv[optind + 1];
  dir = cli_data_dir(dir);

  char *buf = NULL;
  size_t len = 0;
  struct store *s = NULL;
  int status = 1;
  if (cli_slurp(file, &buf, &len) != 0) {
    cli_die(1, "import: cannot read %s: %s", file, strerror(errno));
    goto cleanup;
  }
  if (cli_check_dir(dir, 0) != 0 || cli_open_db(dir, 1, &s) != 0)
    goto cleanup;
  struct dtsen_options o = {.dry_run = dry, .extract_date = extract_date};
  struct dtsen_report rep;
  int rc = dtsen_import(s, buf, len, &o, &rep);
  dtsen_report_print(rc == 0 ? stdout : stderr, &rep);
  dtsen_report_free(&rep);
  status = rc == 0 ? 0 : 1;
  if (rc != 0)
    cli_die(1, "import: %s rejected, nothing was written", file);

cleanup:
  store_close(s);
  free(buf);
  return status;
}

/* ---- user -------------------------------------------------------------------------- */

static const char user_usage[] =
    "usage: padan user add USERNAME --role ROLE [--employer CODE] [--kelurahan CODE]\n"
    "                      [--password-stdin] [--data DIR]\n"
    "       padan user list [--data DIR]\n"
    "       padan user disable USERNAME [--data DIR]\n"
    "       padan user demo [--data DIR]\n"
    "Roles: admin, officer, employer (needs --employer), desk (needs --kelurahan).\n"
    "add reads the password from stdin with --password-stdin, otherwise generates one\n"
    "and prints it once.  demo creates one account per role and writes their random\n"
    "passwords to DIR/demo-credentials.json (mode 0600).\n";

static int valid_username(const char *u) {
  size_t n = strlen(u);
  if (n < 3 || n > 64)
    return 0;
  for (; *u; u++)
    if (!((*u >= 'a' && *u <= 'z') || (*u >= '0' && *u <= '9') || *u == '-' || *u == '_' ||
          *u == '.'))
      return 0;
  return 1;
}

/* Creates one user; the caller has checked role and scope codes. */
static int create_user(struct store *s, const char *username, const char *password,
                       const char *role, int64_t employer_id, int64_t kelurahan_id) {
  char hash[AUTH_PASSWORD_HASH_BYTES];
  if (auth_hash_password(password, hash) != 0)
    return cli_die(1, "user: cannot hash the password (out of memory)");
  int rc = store_user_add(s, username, hash, role, employer_id, kelurahan_id, NULL);
  if (rc == STORE_ECONSTRAINT)
    return cli_die(1, "user: username '%s' is taken", username);
  if (rc != STORE_OK)
    return cli_die(1, "user: cannot save: %s", store_errmsg(s));
  return 0;
}

static int user_add(struct store *s, const char *username, const char *role, const char *employer,
                    const char *kelurahan, int password_stdin) {
  int64_t employer_id = -1, kelurahan_id = -1;
  if (!valid_username(username))
    return cli_die(CLI_EXIT_USAGE, "user add: username must be 3-64 of a-z 0-9 . _ -");
  if (strcmp(role, "admin") && strcmp(role, "officer") && strcmp(role, "employer") &&
      strcmp(role, "desk"))
    return cli_die(CLI_EXIT_USAGE, "user add: --role must be admin, officer, employer or desk");
  if ((strcmp(role, "employer") == 0) != (employer != NULL))
    return cli_die(CLI_EXIT_USAGE,
                   "user add: --employer is required for, and only for, role employer");
  if ((strcmp(role, "desk") == 0) != (kelurahan != NULL))
    return cli_die(CLI_EXIT_USAGE,
                   "user add: --kelurahan is required for, and only for, role desk");
  if (employer && store_id_by_code(s, STORE_T_EMPLOYERS, employer, &employer_id) != STORE_OK)
    return cli_die(1, "user add: no employer with code %s", employer);
  if (kelurahan && store_id_by_code(s, STORE_T_KELURAHAN, kelurahan, &kelurahan_id) != STORE_OK)
    return cli_die(1, "user add: no kelurahan with code %s", kelurahan);

  char password[AUTH_PASSWORD_MAX + 2];
  if (password_stdin) {
    if (fgets(password, sizeof password, stdin) == NULL)
      return cli_die(1, "user add: no password on stdin");
    password[strcspn(password, "\r\n")] = '\0';
    if (strlen(password) < 10 || strlen(password) > AUTH_PASSWORD_MAX)
      return cli_die(1, "user add: the password must be 10-%d characters", AUTH_PASSWORD_MAX);
  } else {
    auth_random_password(password, 21);
  }
  int rc = create_user(s, username, password, role, employer_id, kelurahan_id);
  if (rc == 0 && !password_stdin)
    printf("created %s (%s); password, shown once: %s\n", username, role, password);
  else if (rc == 0)
    printf("created %s (%s)\n", username, role);
  sodium_memzero(password, sizeof password);
  return rc;
}

static int print_user(void *arg, const struct store_user *u) {
  (void)arg;
  printf("%-24s %-9s %-8s", u->username, u->role, u->disabled ? "disabled" : "active");
  if (u->employer_id >= 0)
    printf(" employer #%lld", (long long)u->employer_id);
  if (u->kelurahan_id >= 0)
    printf(" kelurahan #%lld", (long long)u->kelurahan_id);
  putchar('\n');
  return 0;
}

/* The demo desk sits in kelurahan Neglasari (Kec. Neglasari), one of the
 * three kecamatan the policy paper names. */
#define DEMO_DESK_KELURAHAN "36.71.10.1001"

static int user_demo(struct store *s, const char *dir) {
  char path[PATH_MAX], employer_code[32];
  int64_t employer_id, kelurahan_id;
  join(path, sizeof path, dir, "demo-credentials.json");
  if (store_employer_first(s, &employer_id, employer_code) != STORE_OK ||
      store_id_by_code(s, STORE_T_KELURAHAN, DEMO_DESK_KELURAHAN, &kelurahan_id) != STORE_OK)
    return cli_die(1, "user demo: the database has no seed data: run 'padan seed' first");

  struct {
    const char *username, *role;
    int64_t employer_id, kelurahan_id;
    char scope[64];
  } demo[] = {{"demo-admin", "admin", -1, -1, "system"},
              {"demo-officer", "officer", -1, -1, "city"},
              {"demo-employer", "employer", employer_id, -1, ""},
              {"demo-desk", "desk", -1, kelurahan_id, "kelurahan:" DEMO_DESK_KELURAHAN}};
  snprintf(demo[2].scope, sizeof demo[2].scope, "employer:%s", employer_code);

  json_t *arr = json_array();
  int status = 1;
  FILE *f = NULL;
  if (arr == NULL || store_begin(s) != STORE_OK)
    goto cleanup;
  for (size_t i = 0; i < sizeof demo / sizeof demo[0]; i++) {
    char password[22];
    auth_random_password(password, sizeof password);
    if (create_user(s, demo[i].username, password, demo[i].role, demo[i].employer_id,
                    demo[i].kelurahan_id) != 0) {
      store_rollback(s);
      goto cleanup;
    }
    json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "username", demo[i].username,
                                         "password", password, "role", demo[i].role, "scope",
                                         demo[i].scope));
    sodium_memzero(password, sizeof password);
  }
  /* the file is created 0600 before any secret is written to it */
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || fchmod(fd, 0600) != 0 || (f = fdopen(fd, "w")) == NULL) {
    if (fd >= 0)
      close(fd);
    store_rollback(s);
    cli_die(1, "user demo: cannot write %s: %s", path, strerror(errno));
    goto cleanup;
  }
  if (json_dumpf(arr, f, JSON_INDENT(2)) != 0 || fputc('\n', f) == EOF) {
    store_rollback(s);
    cli_die(1, "user demo: cannot write %s", path);
    goto cleanup;
  }
  if (store_commit(s) != STORE_OK) {
    cli_die(1, "user demo: cannot save the accounts: %s", store_errmsg(s));
    goto cleanup;
  }
  printf("created demo accounts; credentials in %s\n", path);
  status = 0;

cleanup:
  if (f != NULL && fclose(f) != 0 && status == 0)
    status = cli_die(1, "user demo: cannot write %s", path);
  json_decref(arr);
  return status;
}

static int cmd_user(int argc, char **argv) {
  static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                       {"role", required_argument, NULL, 'r'},
                                       {"employer", required_argument, NULL, 'e'},
                                       {"kelurahan", required_argument, NULL, 'k'},
                                       {"password-stdin", no_argument, NULL, 'P'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  const char *dir = NULL, *role = NULL, *employer = NULL, *kelurahan = NULL;
  int pw_stdin = 0, c;
  while ((c = getopt_long(argc, argv, ":d:r:e:k:Ph", opts, NULL)) != -1) {
    switch (c) {
    case 'd':
      dir = optarg;
      break;
    case 'r':
      role = optarg;
      break;
    case 'e':
      employer = optarg;
      break;
    case 'k':
      kelurahan = optarg;
      break;
    case 'P':
      pw_stdin = 1;
      break;
    case 'h':
      fputs(user_usage, stdout);
      return 0;
    default:
      return cli_bad_option("user", argv, "pdrsotek");
    }
  }
  if (optind >= argc)
    return cli_die(CLI_EXIT_USAGE,
                   "user: expected add, list, disable or demo (see padan user --help)");
  const char *action = argv[optind];
  int nargs = argc - optind - 1;
  int wants_name = strcmp(action, "add") == 0 || strcmp(action, "disable") == 0;
  if (!wants_name && strcmp(action, "list") != 0 && strcmp(action, "demo") != 0)
    return cli_die(CLI_EXIT_USAGE, "user: unknown action '%s' (see padan user --help)", action);
  if (nargs != (wants_name ? 1 : 0))
    return cli_die(CLI_EXIT_USAGE, "user %s: expected %s", action,
                   wants_name ? "one USERNAME" : "no argument");
  if (strcmp(action, "add") == 0 && role == NULL)
    return cli_die(CLI_EXIT_USAGE, "user add: --role is required");

  dir = cli_data_dir(dir);
  struct store *s = NULL;
  if (auth_init() != 0)
    return cli_die(1, "user: cannot initialise libsodium");
  if (cli_check_dir(dir, 0) != 0 || cli_open_db(dir, 1, &s) != 0)
    return 1;
  int status;
  if (strcmp(action, "add") == 0) {
    status = user_add(s, argv[optind + 1], role, employer, kelurahan, pw_stdin);
  } else if (strcmp(action, "list") == 0) {
    status = store_user_each(s, print_user, NULL) == STORE_OK ? 0 : cli_die(1, "user list failed");
  } else if (strcmp(action, "disable") == 0) {
    /* a disabled user's tokens die with the account, so re-enabling it
     * later does not bring old sessions back */
    struct store_user u;
    int rc = store_user_by_name(s, argv[optind + 1], &u);
    if (rc == STORE_OK)
      rc = store_user_set_disabled(s, argv[optind + 1], 1);
    if (rc == STORE_OK)
      rc = store_token_revoke_user(s, u.id, (int64_t)time(NULL));
    char db[PATH_MAX]; /* a running server's token cache forgets them now */
    join(db, sizeof db, dir, "padan.db");
    if (rc == STORE_OK && auth_revoked_notify(db) != 0)
      fprintf(stderr,
              "padan: user disable: cannot notify a running server; its cached tokens "
              "of this user live at most %d s more\n",
              AUTH_CACHE_TTL_S);
    status = rc == STORE_OK          ? 0
             : rc == STORE_ENOTFOUND ? cli_die(1, "user disable: no user '%s'", argv[optind + 1])
                                     : cli_die(1, "user disable: %s", store_errmsg(s));
  } else {
    status = user_demo(s, dir);
  }
  store_close(s);
  return status;
}

/* ---- match ----------------------------------------------------------------------------- */

static const char match_usage[] =
    "usage: padan match [--data DIR] [--date YYYY-MM-DD] [--config FILE] [--greedy]\n"
    "                   [--export FILE] [--dry-run] [--courses-only]\n"
    "Runs a city-wide match run: at most one next step per eligible resident without\n"
    "an open step, a vacancy (at most openings x shortlist factor proposals per\n"
    "vacancy, open referrals included) or a seat in a planned BLK batch, maximising\n"
    "the total key exactly (docs/MATCHING.md).  Proposals are recorded as referrals\n"
    "and course steps with status 'proposed' for an officer to confirm; the\n"
    "targeting figures are printed and recorded.\n"
    "  --date D       run date (default today)\n"
    "  --config FILE  engine configuration, 'key = value' lines over the defaults\n"
    "  --greedy       the greedy baseline instead of the exact solver (comparison only)\n"
    "  --export FILE  also write the solved instance (every eligible pair with its\n"
    "                 gain, every capacity) and the chosen proposals as JSON\n"
    "  --dry-run      compute and report, record nothing\n"
    "  --courses-only course steps only (the training plan)\n";

/* Loads the configuration: defaults, then FILE, then the run date. */
static int load_config(const char *file, const char *date, struct mt_config *cfg) {
  mt_config_default(cfg);
  if (file != NULL) {
    char *text = NULL, err[256] = "";
    size_t len = 0;
    if (cli_slurp(file, &text, &len) != 0)
      return cli_die(1, "cannot read configuration %s: %s", file, strerror(errno));
    enum mt_status st = mt_config_parse(cfg, text, len, err, sizeof err);
    free(text);
    if (st != MT_OK)
      return cli_die(1, "configuration %s: %s", file, err);
  }
  char today[11];
  if (date == NULL) {
    date_wib_iso(time(NULL), today); /* the day in Kota Tangerang */
    date = today;
  }
  cfg->today = snapshot_day(date);
  if (cfg->today == MT_UNKNOWN_DAY)
    return cli_die(CLI_EXIT_USAGE, "match: --date must be a real date YYYY-MM-DD, not '%s'", date);
  return 0;
}

/* Writes the instance and the solution for an independent optimality check. */
static int export_instance(const char *path, const char *date, const char *algo,
                           const struct mt_match_result *r) {
  FILE *f = fopen(path, "w");
  if (f == NULL)
    return cli_die(1, "match: cannot write %s: %s", path, strerror(errno));
  fprintf(f, "{\n  \"run_date\": \"%s\",\n  \"algorithm\": \"%s\",\n", date, algo);
  fprintf(f, "  \"objective\": \"maximise the sum of gain over chosen arcs; each resident at "
             "most once, each vacancy at most its capacity\",\n");
  fprintf(f, "  \"gain_unit\": \"ranking key x 1e6, rounded, x 64 plus a tie code below 64\",\n"
             "  \"nodes\": \"a vacancy id, or minus a batch id for a course seat\",\n"
             "  \"capacities\": [");
  for (size_t i = 0; i < r->n_fill; i++)
    fprintf(f, "%s\n    {\"vacancy\": %u, \"capacity\": %u}", i ? "," : "", r->fill[i].vacancy_id,
            r->fill[i].capacity);
  for (size_t i = 0; i < r->n_batch_fill; i++)
    fprintf(f, "%s\n    {\"vacancy\": -%u, \"capacity\": %u}", i || r->n_fill ? "," : "",
            r->batch_fill[i].vacancy_id, r->batch_fill[i].capacity);
  fprintf(f, "\n  ],\n  \"arcs\": [");
  for (size_t i = 0; i < r->n_arcs; i++)
    fprintf(f, "%s\n    [%u, %s%u, %lld]", i ? "," : "", r->arcs[i].resident_id,
            r->arcs[i].batch_id ? "-" : "",
            r->arcs[i].batch_id ? r->arcs[i].batch_id : r->arcs[i].vacancy_id,
            (long long)r->arcs[i].gain);
  fprintf(f, "\n  ],\n  \"chosen\": [");
  for (size_t i = 0; i < r->n_proposals; i++)
    fprintf(f, "%s\n    [%u, %u]", i ? "," : "", r->proposals[i].resident_id,
            r->proposals[i].vacancy_id);
  for (size_t i = 0; i < r->n_steps; i++)
    fprintf(f, "%s\n    [%u, -%u]", i || r->n_proposals ? "," : "", r->steps[i].resident_id,
            r->steps[i].batch_id);
  fprintf(f, "\n  ],\n  \"total_gain\": %lld\n}\n", (long long)r->total_gain);
  if (fclose(f) != 0)
    return cli_die(1, "match: cannot write %s", path);
  return 0;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The targeting figures: each group's share of the eligible, of the job
 * steps, of the course steps and of all next steps, and the ratio of the
 * last two shares (docs/MATCHING.md "Reaching the poorest"). */
static void print_targeting(const struct mt_match_result *r) {
  const struct mt_targeting *all = &r->targeting[MT_G_ALL];
  printf("%-20s %9s %8s %8s %8s %8s %6s\n", "group", "eligible", "share", "jobs", "courses",
         "steps", "ratio");
  for (int g = 0; g < MT_N_GROUPS; g++) {
    const struct mt_targeting *t = &r->targeting[g];
    double se = all->eligible ? (double)t->eligible / all->eligible : 0.0;
    double sj = all->job_steps ? (double)t->job_steps / all->job_steps : 0.0;
    double sc = all->course_steps ? (double)t->course_steps / all->course_steps : 0.0;
    uint32_t st = all->job_steps + all->course_steps;
    double ss = st ? (double)(t->job_steps + t->course_steps) / st : 0.0;
    printf("%-20s %9u %7.1f%% %7.1f%% %7.1f%% %7.1f%% %6.2f\n", runs_group_name((enum mt_group)g),
           t->eligible, 100.0 * se, 100.0 * sj, 100.0 * sc, 100.0 * ss, se > 0 ? ss / se : 0.0);
  }
}

/* For each group short of a ratio of 1: the steps it lacks, what blocked
 * its residents and which course seats would close the gap, as recorded. */
static void print_gaps(struct store *s, int64_t run_id) {
  json_t *t = NULL;
  if (runs_targeting_json(s, run_id, &t) != STORE_OK || !json_is_array(t)) {
    json_decref(t);
    return;
  }
  size_t i, k;
  json_t *g, *x;
  json_array_foreach(t, i, g) {
    json_int_t gap = json_integer_value(json_object_get(g, "steps_to_parity"));
    if (gap <= 0)
      continue;
    printf("%s: %lld more steps for a ratio of 1;", json_string_value(json_object_get(g, "group")),
           (long long)gap);
    json_array_foreach(json_object_get(g, "blocked_by"), k, x) {
      printf("%s %s %lld", k ? "," : " blocked by", json_string_value(json_object_get(x, "code")),
             (long long)json_integer_value(json_object_get(x, "count")));
    }
    json_array_foreach(json_object_get(g, "more_seats"), k, x) {
      printf("%s %lld seats of %s", k ? "," : "; more",
             (long long)json_integer_value(json_object_get(x, "more_seats")),
             json_string_value(json_object_get(x, "course_name")));
    }
    printf("\n");
  }
  json_decref(t);
}

static int cmd_match(int argc, char **argv) {
  static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                       {"date", required_argument, NULL, 'D'},
                                       {"config", required_argument, NULL, 'c'},
                                       {"export", required_argument, NULL, 'e'},
                                       {"greedy", no_argument, NULL, 'g'},
                                       {"dry-run", no_argument, NULL, 'n'},
                                       {"help", no_argument, NULL, 'h'},
                                       {"courses-only", no_argument, NULL, 'C'},
                                       {NULL, 0, NULL, 0}};
  const char *dir = NULL, *date = NULL, *config = NULL, *export = NULL;
  int greedy = 0, dry = 0, no_jobs = 0, c;
  while ((c = getopt_long(argc, argv, ":d:D:c:e:gnhC", opts, NULL)) != -1) {
    if (cli_shared_option(c, &dir, &dry))
      continue;
    switch (c) {
    case 'D':
      date = optarg;
      break;
    case 'c':
      config = optarg;
      break;
    case 'e':
      export = optarg;
      break;
    case 'g':
      greedy = 1;
      break;
    case 'C':
      no_jobs = 1;
      break;
    case 'h':
      fputs(match_usage, stdout);
      return 0;
    default:
      return cli_bad_option("match", argv, "pdrsotek");
    }
  }
  if (optind < argc)
    return cli_die(CLI_EXIT_USAGE, "match: unexpected argument '%s'", argv[optind]);
  struct mt_config cfg;
  int rc = load_config(config, date, &cfg);
  if (rc != 0)
    return rc;
  char day[11];
  snapshot_iso_day(cfg.today, day);
  dir = cli_data_dir(dir);

  struct store *s = NULL;
  struct snapshot *snap = NULL;
  struct runs_plan plan = {0};
  int status = 1;
  char err[256];
  const char *algo = greedy ? "greedy_baseline" : "exact";
  if (cli_check_dir(dir, 0) != 0 || cli_open_db(dir, 1, &s) != 0)
    goto cleanup;
  double t0 = now_ms();
  if (snapshot_create(s, &cfg, &snap, err, sizeof err) != 0) {
    cli_die(1, "match: %s", err);
    goto cleanup;
  }
  double t1 = now_ms();
  int st = runs_execute(s, snapshot_engine(snap), greedy ? MT_GREEDY_BASELINE : MT_EXACT, no_jobs,
                        &plan);
  double t2 = now_ms();
  if (st != STORE_OK) {
    cli_die(1, "match: the match run failed (%s)",
            st == STORE_ENOMEM ? "out of memory" : "engine or database error");
    goto cleanup;
  }
  const struct mt_match_result *res = plan.res;
  int64_t run_id = 0;
  if (!dry && runs_record(s, &plan, algo, day, t2 - t1, -1, &run_id) != STORE_OK) {
    cli_die(1, "match: cannot record the run: %s", store_errmsg(s));
    goto cleanup;
  }
  if (export != NULL && export_instance(export, day, algo, res) != 0)
    goto cleanup;
  char label[32] = "(dry run)";
  if (!dry)
    snprintf(label, sizeof label, "#%lld", (long long)run_id);
  printf("match run %s on %s (%s): %zu proposals, %zu course steps, total key %.3f (gain "
         "%lld), %zu eligible residents unmatched, %zu pairs in the instance; snapshot %.0f ms, "
         "solve %.0f ms\n",
         label, day, algo, res->n_proposals, res->n_steps, res->total_key,
         (long long)res->total_gain, res->n_unmatched, res->n_arcs, t1 - t0, t2 - t1);
  print_targeting(res);
  if (!dry)
    print_gaps(s, run_id);
  status = 0;

cleanup:
  runs_plan_free(&plan);
  snapshot_free(snap);
  store_close(s);
  return status;
}

/* ---- dispatch ------------------------------------------------------------------------ */

static const char main_usage[] =
    "usage: padan COMMAND [OPTIONS]   (padan COMMAND --help for each)\n"
    "  serve     serve the JSON API\n"
    "  seed      create the database from the built-in seeds and synthetic residents\n"
    "  import    import a DTSEN extract (all or nothing)\n"
    "  match     run a city-wide match run and record its proposals\n"
    "  report    overlapping interventions, unserved residents, verification queue\n"
    "  resident  export, correct, verify or erase one resident's record\n"
    "  priority  list the priority-kelurahan index; pin or unpin a kelurahan\n"
    "  user      add, list or disable users; create the demo accounts\n"
    "  backup    copy the database while the server runs, and check the copy\n"
    "  restore   check a backup and put it in place of the database (server stopped)\n"
    "  audit     archive the audit rows older than a day into a file\n"
    "  version   print the version\n";

static int cmd_version(int argc, char **argv) {
  (void)argv;
  if (argc > 1 && strcmp(argv[1], "--help") == 0) {
    puts("usage: padan version\nPrints padan's version and schema version.");
    return 0;
  }
  if (argc > 1)
    return cli_die(CLI_EXIT_USAGE, "version: unexpected argument '%s'", argv[1]);
  printf("padan %s (schema %d)\n", PADAN_VERSION, store_latest_version());
  return 0;
}

int cli_main(int argc, char **argv) {
  static const struct {
    const char *name;
    int (*fn)(int, char **);
  } cmds[] = {{"serve", cmd_serve},
              {"seed", cmd_seed},
              {"import", cmd_import},
              {"match", cmd_match},
              {"user", cmd_user},
              {"version", cmd_version},
              {"backup", cli_ops_backup},
              {"restore", cli_ops_restore},
              {"audit", cli_ops_audit},
              {"report", cli_gov_report},
              {"resident", cli_gov_resident},
              {"priority", cli_gov_priority}};
  jsonmem_install(); /* before any JSON: a parse must survive running out of memory */
  if (argc < 2)
    return cli_die(CLI_EXIT_USAGE, "no command given\n%s", main_usage);
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
    fputs(main_usage, stdout);
    return 0;
  }
  if (strcmp(argv[1], "--version") == 0)
    return cmd_version(1, argv + 1);
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
    if (strcmp(argv[1], cmds[i].name) == 0) {
      cli_reset_getopt();
      return cmds[i].fn(argc - 1, argv + 1);
    }
  }
  return cli_die(CLI_EXIT_USAGE, "unknown command '%s'\n%s", argv[1], main_usage);
}
