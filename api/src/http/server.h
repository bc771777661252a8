/*
 * server.h — starting and stopping padan's HTTP API; the one entry point
 * the CLI (`padan serve`) needs.  Everything else about the server lives
 * behind it in http.c.
 */
#ifndef PADAN_SERVER_H
#define PADAN_SERVER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct mt_config;

/* Zero in any limit field means its default (in brackets). */
struct api_server_opts {
  const char *db_path;        /* an existing database (padan seed / import made it) */
  const char *key_path;       /* token key; created (32 random bytes, 0600) when missing */
  const char *bind;           /* numeric IPv4 or IPv6 address; NULL = 127.0.0.1 */
  uint16_t port;              /* 0 = any free port (on_ready says which) */
  unsigned threads;           /* worker threads, each with its own database connection [2] */
  unsigned max_connections;   /* [512] */
  unsigned max_per_ip;        /* connections from one address [32]; off behind proxies */
  unsigned timeout_s;         /* idle connection timeout [30] */
  unsigned request_timeout_s; /* a request's head and body must arrive within [15] */
  /* Reverse proxies whose X-Forwarded-For is believed (numeric addresses,
   * NULL-terminated; NULL: none, the peer address is the client's). */
  const char *const *trusted_proxies;
  long max_db_pages;              /* cap on the database's size in pages for API writes; 0: none */
  size_t max_body;                /* request body cap in bytes [64 KiB] */
  const struct mt_config *config; /* engine configuration; NULL = defaults, today */
};

/* Serves until *stop becomes non-zero (the caller sets it from a signal
 * handler), then finishes the requests in flight and shuts down.  Runs the
 * webhook delivery thread meanwhile (webhooks.h; its settings come from
 * the PADAN_WEBHOOK_* environment variables).  on_ready
 * (may be NULL) is called once the socket listens, with the actual port.
 * Returns 0 after a clean shutdown, or -1 after writing a one-line reason
 * to stderr ("port 8080 is in use", "cannot open database ..."). */
int api_serve(const struct api_server_opts *o, volatile sig_atomic_t *stop,
              void (*on_ready)(void *arg, uint16_t port), void *arg);

#endif
