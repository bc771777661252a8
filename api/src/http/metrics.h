/*
 * metrics.h — service metrics for GET /metrics (Prometheus text format
 * 0.0.4): requests by route and status, a latency histogram per route,
 * match-run durations, import counts and the database's size.
 *
 * Counters are lock-free atomics updated from MHD's worker threads; a
 * scrape reads them without stopping anyone, so a scrape may see one
 * request's count and not yet its latency, as Prometheus allows.
 */
#ifndef PADAN_METRICS_H
#define PADAN_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct api_route;
struct store;
struct api_metrics;

/* Sized for the current route tables.  *out owned by the caller
 * (api_metrics_free).  0 or -1. */
int api_metrics_create(struct api_metrics **out);
void api_metrics_free(struct api_metrics *m);

/* One finished request; route is NULL when no route matched. */
void api_metrics_request(struct api_metrics *m, const struct api_route *route, unsigned status,
                         double ms);
/* One finished match run. */
/* One request made with API key key_id (never the key) that answered
 * status; 401 and 403 count as refused. */
void api_metrics_key_request(struct api_metrics *m, int64_t key_id, unsigned status);
/* One webhook delivery attempt: 0 delivered, 1 to be retried, 2 dead. */
void api_metrics_webhook(struct api_metrics *m, int result);
void api_metrics_match_run(struct api_metrics *m, double seconds);
/* One import (kind: "dtsen", "interventions") and its result: rows by
 * outcome (counted for a committed import only), and whether it was
 * committed, rejected, or a dry run (whatever it found: nothing is
 * written either way). */
#define API_IMPORT_REJECTED 0
#define API_IMPORT_COMMITTED 1
#define API_IMPORT_DRY_RUN 2
void api_metrics_import(struct api_metrics *m, const char *kind, uint64_t new_rows,
                        uint64_t updated, uint64_t unchanged, int result);

/* The exposition text, malloc'd (caller frees), with the database's size
 * read through s; NULL when out of memory. */
char *api_metrics_render(struct api_metrics *m, struct store *s, size_t *len);

#endif
