/*
 * cli_config.h — the configuration file of `padan serve --config FILE`
 * (docs/OPERATIONS.md): one `key = value` a line, '#' comments, blank
 * lines.  The keys are the long flags' names, and each has its
 * environment variable: data (PADAN_DATA), port (PADAN_PORT), bind
 * (PADAN_BIND), threads (PADAN_THREADS), request-timeout
 * (PADAN_REQUEST_TIMEOUT), max-per-ip (PADAN_MAX_PER_IP), trusted-proxy
 * (PADAN_TRUSTED_PROXIES), max-db-pages (PADAN_MAX_DB_PAGES).  A flag
 * wins over the environment, which wins over the file.
 */
#ifndef PADAN_CLI_CONFIG_H
#define PADAN_CLI_CONFIG_H

#define CLI_CONFIG_KEYS 8

struct cli_config {
  char *values[CLI_CONFIG_KEYS]; /* malloc'd, NULL when the file does not set the key */
};

/* Reads and checks path into *c (zeroed first; cli_config_free).  Every
 * value is checked as its flag would be.  0; CLI_EXIT_USAGE after naming
 * the file, line and key of an unknown key, a key given twice or a bad
 * value; 1 when the file cannot be read. */
int cli_config_load(const char *path, struct cli_config *c);

/* The value of key from the environment (when set and not empty), else
 * from the file; NULL when neither sets it.  Borrowed. */
const char *cli_config_get(const struct cli_config *c, const char *key);

void cli_config_free(struct cli_config *c);

#endif
