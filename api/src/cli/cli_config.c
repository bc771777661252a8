/*
 * cli_config.c — the serve configuration file (cli_config.h).
 *
 * The file is checked whole before the server starts: an operator's typo
 * ("max_per_ip", "port = 80800") stops the start with the line that holds
 * it instead of being ignored, since a silently ignored limit is worse
 * than none.  The checks are the ones the flags get.
 */
#include "cli_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"

static const struct key {
  const char *name, *env;
  long lo, hi; /* an integer within [lo, hi]; lo > hi: any text up to max_len */
  size_t max_len;
} keys[CLI_CONFIG_KEYS] = {
    {"data", "PADAN_DATA", 1, 0, 1024},
    {"port", "PADAN_PORT", 0, 65535, 0},
    {"bind", "PADAN_BIND", 1, 0, 64},
    {"threads", "PADAN_THREADS", 1, 64, 0},
    {"request-timeout", "PADAN_REQUEST_TIMEOUT", 1, 3600, 0},
    {"max-per-ip", "PADAN_MAX_PER_IP", 1, 10000, 0},
    {"trusted-proxy", "PADAN_TRUSTED_PROXIES", 1, 0, 500},
    {"max-db-pages", "PADAN_MAX_DB_PAGES", 1, 2147483647L, 0},
};

static int key_index(const char *name) {
  for (int i = 0; i < CLI_CONFIG_KEYS; i++)
    if (strcmp(keys[i].name, name) == 0)
      return i;
  return -1;
}

/* s without leading and trailing blanks (in place). */
static char *trim(char *s) {
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
    s[--n] = '\0';
  return s;
}

/* Checks one line; 0 or the exit status after saying why. */
static int take_line(struct cli_config *c, const char *path, int lineno, char *line) {
  char *s = trim(line);
  if (*s == '\0' || *s == '#')
    return 0;
  char *eq = strchr(s, '=');
  if (eq == NULL)
    return cli_die(CLI_EXIT_USAGE, "%s:%d: expected 'key = value'", path, lineno);
  *eq = '\0';
  char *name = trim(s), *value = trim(eq + 1);
  int k = key_index(name);
  if (k < 0)
    return cli_die(CLI_EXIT_USAGE, "%s:%d: unknown key '%s'", path, lineno, name);
  if (c->values[k] != NULL)
    return cli_die(CLI_EXIT_USAGE, "%s:%d: key '%s' given twice", path, lineno, name);
  long n;
  if (keys[k].lo <= keys[k].hi) {
    if (cli_parse_long(value, keys[k].lo, keys[k].hi, &n) != 0)
      return cli_die(CLI_EXIT_USAGE, "%s:%d: %s must be %ld-%ld, not '%s'", path, lineno, name,
                     keys[k].lo, keys[k].hi, value);
  } else if (*value == '\0' || strlen(value) > keys[k].max_len) {
    return cli_die(CLI_EXIT_USAGE, "%s:%d: %s must be 1-%zu characters", path, lineno, name,
                   keys[k].max_len);
  }
  if ((c->values[k] = strdup(value)) == NULL)
    return cli_die(1, "out of memory");
  return 0;
}

int cli_config_load(const char *path, struct cli_config *c) {
  memset(c, 0, sizeof *c);
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return cli_die(1, "cannot read the configuration file %s", path);
  char line[2048];
  int lineno = 0, rc = 0;
  while (rc == 0 && fgets(line, sizeof line, f) != NULL) {
    lineno++;
    if (strchr(line, '\n') == NULL && !feof(f))
      rc = cli_die(CLI_EXIT_USAGE, "%s:%d: line too long", path, lineno);
    else
      rc = take_line(c, path, lineno, line);
  }
  fclose(f);
  if (rc != 0)
    cli_config_free(c);
  return rc;
}

const char *cli_config_get(const struct cli_config *c, const char *key) {
  int k = key_index(key);
  if (k < 0)
    return NULL;
  const char *env = getenv(keys[k].env);
  if (env != NULL && *env != '\0')
    return env;
  return c != NULL ? c->values[k] : NULL;
}

void cli_config_free(struct cli_config *c) {
  for (int i = 0; i < CLI_CONFIG_KEYS; i++) {
    free(c->values[i]);
    c->values[i] = NULL;
  }
}
