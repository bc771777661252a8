/*
 * cli_ops.c — padan backup and padan restore (docs/OPERATIONS.md).
 *
 * A backup is taken online, while `padan serve` runs: SQLite's backup API
 * copies the pages under its own locks (store_backup), the copy is
 * integrity-checked before it gets its name, and the erasure key that
 * erased residents' NIK hashes need is copied beside it (FILE.erasure-key):
 * a backup without it would let an erased person be imported again.
 * A restore checks the file first (integrity, a schema version this padan
 * knows) and refuses while a server holds the data directory, which every
 * `padan serve` marks with an exclusive flock on DIR/serve.lock.
 */
#include "cli_ops.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cli_util.h"
#include "dates.h"
#include "store.h"

#define KEY_SUFFIX ".erasure-key"

/* Copies the small file from into to (0600, replaced); 0, 1 when from does
 * not exist, -1 on failure. */
static int copy_key(const char *from, const char *to) {
  unsigned char buf[256];
  int in = open(from, O_RDONLY);
  if (in < 0)
    return errno == ENOENT ? 1 : -1;
  ssize_t n = read(in, buf, sizeof buf);
  close(in);
  if (n <= 0)
    return -1;
  char tmp[PATH_MAX];
  if ((size_t)snprintf(tmp, sizeof tmp, "%s.partial", to) >= sizeof tmp)
    return -1;
  unlink(tmp);
  int out = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (out < 0)
    return -1;
  int ok = write(out, buf, (size_t)n) == n && fsync(out) == 0;
  ok = close(out) == 0 && ok;
  if (!ok || rename(tmp, to) != 0) {
    unlink(tmp);
    return -1;
  }
  return 0;
}

/* DIR/padan.db, its erasure key and FILE's into the PATH_MAX buffers;
 * -1 when one does not fit. */
static int paths(const char *dir, const char *file, char *db, char *key, char *file_key) {
  int a = snprintf(db, PATH_MAX, "%s/padan.db", dir);
  int b = snprintf(key, PATH_MAX, "%s/padan.db" KEY_SUFFIX, dir);
  int c = snprintf(file_key, PATH_MAX, "%s" KEY_SUFFIX, file);
  return a < 0 || b < 0 || c < 0 || a >= PATH_MAX || b >= PATH_MAX || c >= PATH_MAX ? -1 : 0;
}

/* FILE and --data DIR of `padan backup|restore`; 0 or the exit status. */
static int parse_args(const char *cmd, const char *usage, int argc, char **argv, const char **file,
                      const char **dir) {
  static const struct option opts[] = {
      {"data", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  int c;
  *dir = NULL;
  while ((c = getopt_long(argc, argv, ":d:h", opts, NULL)) != -1) {
    if (c == 'd') {
      *dir = optarg;
    } else if (c == 'h') {
      fputs(usage, stdout);
      return -1;
    } else {
      return cli_bad_option(cmd, argv, "d");
    }
  }
  if (optind + 1 != argc)
    return cli_die(CLI_EXIT_USAGE, "%s: give one FILE\n%s", cmd, usage);
  *file = argv[optind];
  *dir = cli_data_dir(*dir);
  return 0;
}

static const char backup_usage[] =
    "usage: padan backup FILE [--data DIR]\n"
    "Copies DIR/padan.db to FILE while the server may run (SQLite's backup API),\n"
    "checks the copy (integrity_check, schema version) and writes the erasure key\n"
    "beside it as FILE" KEY_SUFFIX ". FILE holds personal data: it is created 0600.\n";

int cli_ops_backup(int argc, char **argv) {
  const char *file, *dir;
  int rc = parse_args("backup", backup_usage, argc, argv, &file, &dir);
  if (rc != 0)
    return rc < 0 ? 0 : rc;
  char db[PATH_MAX], key[PATH_MAX], file_key[PATH_MAX], err[512];
  if (paths(dir, file, db, key, file_key) != 0)
    return cli_die(CLI_EXIT_USAGE, "path too long");
  if (access(db, F_OK) != 0)
    return cli_die(1, "backup: no database at %s", db);
  if (store_backup(db, file, err, sizeof err) != STORE_OK)
    return cli_die(1, "backup: %s", err);
  if (copy_key(key, file_key) < 0)
    return cli_die(1, "backup: cannot copy the erasure key to %s", file_key);
  int version = 0;
  store_file_check(file, &version, err, sizeof err);
  printf("backup written to %s (schema %d, integrity ok)\n", file, version);
  return 0;
}

static const char restore_usage[] =
    "usage: padan restore FILE [--data DIR]\n"
    "Replaces DIR/padan.db with the backup FILE after checking it (integrity_check,\n"
    "a schema version this padan knows; an older one is migrated at the next start).\n"
    "Refused while a padan serve holds DIR: stop the server first.  FILE" KEY_SUFFIX "\n"
    "(written by padan backup) becomes the erasure key when present.\n";

int cli_ops_restore(int argc, char **argv) {
  const char *file, *dir;
  int rc = parse_args("restore", restore_usage, argc, argv, &file, &dir);
  if (rc != 0)
    return rc < 0 ? 0 : rc;
  char db[PATH_MAX], key[PATH_MAX], file_key[PATH_MAX], err[512];
  if (paths(dir, file, db, key, file_key) != 0)
    return cli_die(CLI_EXIT_USAGE, "path too long");
  int version = 0;
  if (store_file_check(file, &version, err, sizeof err) != STORE_OK)
    return cli_die(1, "restore: %s is refused: %s", file, err);
  if (cli_check_dir(dir, 0) != 0)
    return 1;
  int lock = cli_serve_lock(dir);
  if (lock < 0)
    return cli_die(1, "restore: refused while a server runs on %s", dir);
  rc = store_restore(file, db, err, sizeof err);
  if (rc == STORE_OK && copy_key(file_key, key) < 0) {
    rc = STORE_EIO;
    snprintf(err, sizeof err, "cannot install the erasure key beside the database");
  }
  close(lock);
  if (rc != STORE_OK)
    return cli_die(1, "restore: %s", err);
  printf("restored %s from %s (schema %d, integrity ok)\n", db, file, version);
  return 0;
}

int cli_serve_lock(const char *dir) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/serve.lock", dir);
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    cli_die(1, "cannot open %s: %s", path, strerror(errno));
    return -1;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    cli_die(1, "another padan serve holds %s (%s)", dir, path);
    close(fd);
    return -1;
  }
  return fd;
}

static const char audit_usage[] =
    "usage: padan audit archive --before YYYY-MM-DD FILE [--data DIR]\n"
    "Moves the audit rows written before the day into the SQLite file FILE (created\n"
    "0600, or added to), in one transaction, and records the archive in the audit\n"
    "log.  Retention: docs/OPERATIONS.md.\n";

int cli_ops_audit(int argc, char **argv) {
  static const struct option opts[] = {{"before", required_argument, NULL, 'B'},
                                       {"data", required_argument, NULL, 'd'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  const char *before = NULL, *dir = NULL;
  int c;
  while ((c = getopt_long(argc, argv, ":d:h", opts, NULL)) != -1) {
    if (c == 'B') {
      before = optarg;
    } else if (c == 'd') {
      dir = optarg;
    } else if (c == 'h') {
      fputs(audit_usage, stdout);
      return 0;
    } else {
      return cli_bad_option("audit", argv, "Bd");
    }
  }
  struct date_ymd day;
  if (optind + 2 != argc || strcmp(argv[optind], "archive") != 0 || before == NULL)
    return cli_die(CLI_EXIT_USAGE, "audit: expected 'archive --before DATE FILE'\n%s", audit_usage);
  if (strlen(before) != 10 || date_parse(before, 10, &day) != 0)
    return cli_die(CLI_EXIT_USAGE, "audit: --before must be a date YYYY-MM-DD, not '%s'", before);
  struct store *s = NULL;
  if (cli_open_db(cli_data_dir(dir), 1, &s) != 0)
    return 1;
  char err[512], detail[96];
  int64_t moved = 0;
  int rc = store_audit_archive(s, before, argv[optind + 1], &moved, err, sizeof err);
  if (rc == STORE_OK) {
    snprintf(detail, sizeof detail, "before %s: %lld rows", before, (long long)moved);
    struct store_audit a = {.user_id = -1,
                            .username = "cli",
                            .role = "admin",
                            .action = "archive_audit",
                            .purpose = "retention",
                            .detail = detail,
                            .resident_id = -1};
    if (store_audit_add(s, &a) != STORE_OK) {
      snprintf(err, sizeof err, "archived, but the archive's own audit row failed");
      rc = -1;
    }
  }
  store_close(s);
  if (rc != STORE_OK)
    return cli_die(1, "audit archive: %s", err);
  printf("moved %lld audit rows written before %s to %s\n", (long long)moved, before,
         argv[optind + 1]);
  return 0;
}
