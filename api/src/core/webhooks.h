/*
 * webhooks.h — delivering webhook events to employers' endpoints (issue 16),
 * off the request path.
 *
 * The queue is the database: migration 0008's triggers write an event and
 * one delivery per subscribed endpoint in the same transaction as the
 * change that causes it (a referral confirmed or withdrawn, a shortlist
 * changed), and the worker itself queues vacancy.closing once a vacancy's
 * deadline has come.  One worker thread, started by `padan serve`, with its
 * own database connection, polls for due deliveries, renders an event's
 * body once (through the caller's render function, so the body is the
 * employer's view written by the HTTP layer) and stores it, so that every
 * attempt at every endpoint carries the same bytes under the same event
 * id; signs it (X-Padan-Signature: t=<unix>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>"> under the endpoint's secret) and POSTs it with libcurl:
 * connect timeout 5 s, total 10 s, no redirects, no proxy, http and https
 * only, and no connection to loopback, private, link-local or otherwise
 * internal addresses unless the operator allows them (the address is
 * checked as the socket is opened, so a name that resolves there is caught
 * too).  A 2xx answer delivers; anything else is retried with exponential
 * back-off until the event is a day old (or the attempt limit is reached),
 * then the delivery is dead: the employer reads the dead-letter list and
 * may replay.  An endpoint gets its events in order: a later event waits
 * while an earlier one to the same endpoint is pending.  A kill at any
 * moment loses nothing: a delivery is marked delivered only after its 2xx,
 * so after a restart it is sent again under the same event id (at least
 * once; receivers deduplicate on the id).
 */
#ifndef PADAN_WEBHOOKS_H
#define PADAN_WEBHOOKS_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "store.h"

/* Event type bits, as stored in webhook_endpoints.events. */
enum webhook_event {
  WEBHOOK_REFERRAL_CONFIRMED = 1u << 0,
  WEBHOOK_REFERRAL_WITHDRAWN = 1u << 1,
  WEBHOOK_SHORTLIST_CHANGED = 1u << 2,
  WEBHOOK_VACANCY_CLOSING = 1u << 3,
};
#define WEBHOOK_ALL_EVENTS 15u
/* "whsec_" and 64 hex digits and the NUL. */
#define WEBHOOK_SECRET_TEXT_BYTES 71

/* The bit of an event name ("referral.confirmed" …); 0 when unknown. */
unsigned webhook_event_parse(const char *name);
const char *webhook_event_name(unsigned bit);

/* Tunables; webhook_opts_from_env() fills the defaults (in brackets) and
 * the environment's overrides, which tests use:
 *   PADAN_WEBHOOK_ALLOW_PRIVATE=1   allow loopback and private addresses [0]
 *   PADAN_WEBHOOK_RETRY_BASE_S      first back-off; doubles per attempt [30]
 *   PADAN_WEBHOOK_MAX_AGE_S         retry until an event is this old [86400]
 *   PADAN_WEBHOOK_MAX_ATTEMPTS      and at most this many attempts [30]
 *   PADAN_WEBHOOK_TIMEOUT_S         total time of one attempt [10]
 *   PADAN_WEBHOOK_POLL_MS           idle poll interval [1000]
 *   PADAN_WEBHOOK_SCAN_S            how often to look for deadlines come [30] */
struct webhook_opts {
  int allow_private;
  int64_t retry_base_s, max_age_s;
  int max_attempts;
  long connect_timeout_s, timeout_s;
  unsigned poll_ms;
  int64_t scan_s;
};
void webhook_opts_from_env(struct webhook_opts *o);

/* 1 when url may be registered: http or https, a host, at most 2048 bytes,
 * no credentials in it, and (unless allow_private) not a literal internal
 * address or "localhost".  Otherwise 0 and a reason in why. */
int webhook_url_ok(const char *url, int allow_private, char *why, size_t size);

/* The endpoint's signing secret derived from its salt and the server key;
 * text receives "whsec_" and its hex. */
void webhook_secret(struct auth *a, const uint8_t salt[16], uint8_t secret[32],
                    char text[WEBHOOK_SECRET_TEXT_BYTES]);

/* "t=<t>,v1=<hex>" for body at time t under secret, into out (at least 90
 * bytes). */
void webhook_sign(const uint8_t secret[32], int64_t t, const char *body, size_t len, char *out,
                  size_t size);

/* The body of d's event as JSON text (malloc'd; NULL when the event's
 * objects are gone, *gone then 1, or on a failure such as out of memory,
 * *gone left 0: that delivery is tried again later, never dead-lettered). */
typedef char *(*webhook_render_fn)(void *arg, struct store *s, const struct store_delivery *d,
                                   int *gone);
/* Called after each attempt: 0 delivered, 1 to be retried, 2 dead. */
typedef void (*webhook_count_fn)(void *arg, int outcome);

struct webhook_worker;

/* Starts the delivery thread on its own connection to db_path.  *out is
 * the caller's: webhook_worker_stop().  0 or -1 (a line on stderr). */
int webhook_worker_start(const char *db_path, struct auth *a, const struct webhook_opts *o,
                         webhook_render_fn render, webhook_count_fn count, void *arg,
                         struct webhook_worker **out);
/* Stops the thread (an attempt in flight is aborted) and frees w. */
void webhook_worker_stop(struct webhook_worker *w);

#endif
