/*
 * cli_util.c — the helpers every padan subcommand shares (see cli_util.h):
 * errors on stderr, option faults, the data directory and whole-file reads.
 */
#include "cli_util.h"

#include "store.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_die(int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("padan: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return status;
}

void cli_reset_getopt(void) {
  opterr = 0;
  optind = 0; /* GNU getopt: reinitialise */
}

int cli_shared_option(int c, const char **dir, int *dry) {
  if (c == 'd')
    *dir = optarg;
  else if (c == 'n')
    *dry = 1;
  return c == 'd' || c == 'n';
}

/* getopt stays silent (opterr is 0), so the fault is reported here. */
int cli_bad_option(const char *cmd, char **argv, const char *value_opts) {
  if (optopt != 0 && value_opts == NULL)
    return cli_die(CLI_EXIT_USAGE,
                   "%s: option -%c is unknown or needs a value (see padan %s --help)", cmd, optopt,
                   cmd);
  if (optopt != 0)
    return cli_die(CLI_EXIT_USAGE, "%s: option -%c %s (see padan %s --help)", cmd, optopt,
                   strchr(value_opts, optopt) ? "needs a value" : "is unknown", cmd);
  return cli_die(CLI_EXIT_USAGE, "%s: option %s is unknown or needs a value (see padan %s --help)",
                 cmd, argv[optind - 1], cmd);
}

int cli_parse_long(const char *s, long lo, long hi, long *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}

const char *cli_data_dir(const char *opt) {
  if (opt != NULL)
    return opt;
  const char *env = getenv("PADAN_DATA");
  return env != NULL && *env != '\0' ? env : "data";
}

int cli_check_dir(const char *dir, int create) {
  struct stat st;
  if (stat(dir, &st) != 0) {
    if (!create || errno != ENOENT)
      return cli_die(1, "data directory %s: %s", dir, strerror(errno));
    if (mkdir(dir, 0700) != 0)
      return cli_die(1, "cannot create data directory %s: %s", dir, strerror(errno));
    return 0;
  }
  if (!S_ISDIR(st.st_mode))
    return cli_die(1, "data directory %s is not a directory", dir);
  if (access(dir, R_OK | W_OK | X_OK) != 0)
    return cli_die(1, "data directory %s is not readable and writable: %s", dir, strerror(errno));
  return 0;
}

int cli_open_db(const char *dir, int must_exist, struct store **s) {
  char path[PATH_MAX], err[256];
  snprintf(path, sizeof path, "%s/padan.db", dir);
  if (must_exist && access(path, F_OK) != 0)
    return cli_die(1, "no database at %s: run 'padan seed' first", path);
  if (store_open(path, s, err, sizeof err) != STORE_OK)
    return cli_die(1, "%s", err);
  return 0;
}

int cli_slurp(const char *path, char **out, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return -1;
  char *buf = NULL;
  size_t cap = 0, n = 0;
  int rc = 0;
  for (;;) {
    if (n == cap) {
      size_t ncap = cap ? cap * 2 : 1 << 16;
      char *p = realloc(buf, ncap);
      if (p == NULL) {
        rc = -1;
        break;
      }
      buf = p;
      cap = ncap;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) {
      rc = ferror(f) ? -1 : 0;
      break;
    }
  }
  fclose(f);
  if (rc != 0) {
    free(buf);
    return -1;
  }
  *out = buf;
  *len = n;
  return 0;
}
