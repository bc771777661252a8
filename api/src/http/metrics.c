/*
 * metrics.c — counters and histograms behind GET /metrics (see metrics.h).
 */
#include "metrics.h"

#include <pthread.h>

#include "routes.h"
#include "store.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Statuses padan answers; anything else counts as "other". */
static const unsigned statuses[] = {200, 201, 204, 400, 401, 403, 404, 405,
                                    409, 413, 415, 422, 429, 500, 503};
#define N_STATUS (sizeof statuses / sizeof statuses[0] + 1)

/* Latency bucket upper bounds in seconds (Prometheus convention). */
static const double le[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                            0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
#define N_LE (sizeof le / sizeof le[0])

static const double run_le[] = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
#define N_RUN_LE (sizeof run_le / sizeof run_le[0])

static const char *const import_kinds[] = {"dtsen", "interventions"};
#define N_IMPORT (sizeof import_kinds / sizeof import_kinds[0])
#define METRICS_KEYS 256

struct series {
  atomic_uint_fast64_t by_status[N_STATUS];
  atomic_uint_fast64_t bucket[N_LE]; /* non-cumulative; summed when rendered */
  atomic_uint_fast64_t count, sum_us;
};

struct api_metrics {
  const struct api_route **routes;
  size_t n_routes;
  struct series *series; /* n_routes + 1: the last is "unmatched" */
  atomic_uint_fast64_t run_bucket[N_RUN_LE], run_count, run_sum_us;
  atomic_uint_fast64_t import_rows[N_IMPORT][3], import_runs[N_IMPORT][3];
  /* requests per API key (issue 16): a small table whose least used
   * slot is reused when it is full; keys are few per employer */
  pthread_mutex_t key_lock;
  struct {
    int64_t key_id;
    uint64_t requests, refused;
  } keys[METRICS_KEYS];
  atomic_uint_fast64_t webhook[3]; /* delivered, retried, dead */
};

int api_metrics_create(struct api_metrics **out) {
  struct api_metrics *m = calloc(1, sizeof *m);
  if (m == NULL)
    return -1;
  m->n_routes = api_routes_list(NULL, 0);
  m->routes = calloc(m->n_routes + 1, sizeof *m->routes);
  m->series = calloc(m->n_routes + 1, sizeof *m->series);
  if (m->routes == NULL || m->series == NULL) {
    api_metrics_free(m);
    return -1;
  }
  api_routes_list(m->routes, m->n_routes);
  pthread_mutex_init(&m->key_lock, NULL);
  *out = m;
  return 0;
}

void api_metrics_free(struct api_metrics *m) {
  if (m == NULL)
    return;
  if (m->routes != NULL && m->series != NULL)
    pthread_mutex_destroy(&m->key_lock);
  free(m->routes);
  free(m->series);
  free(m);
}

static size_t status_slot(unsigned status) {
  for (size_t i = 0; i < N_STATUS - 1; i++)
    if (statuses[i] == status)
      return i;
  return N_STATUS - 1;
}

void api_metrics_request(struct api_metrics *m, const struct api_route *route, unsigned status,
                         double ms) {
  size_t i = m->n_routes; /* unmatched */
  for (size_t j = 0; route != NULL && j < m->n_routes; j++)
    if (m->routes[j] == route) {
      i = j;
      break;
    }
  struct series *s = &m->series[i];
  atomic_fetch_add_explicit(&s->by_status[status_slot(status)], 1, memory_order_relaxed);
  double sec = ms / 1e3;
  for (size_t b = 0; b < N_LE; b++)
    if (sec <= le[b]) {
      atomic_fetch_add_explicit(&s->bucket[b], 1, memory_order_relaxed);
      break;
    }
  atomic_fetch_add_explicit(&s->count, 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&s->sum_us, (uint_fast64_t)(ms * 1e3), memory_order_relaxed);
}

void api_metrics_key_request(struct api_metrics *m, int64_t key_id, unsigned status) {
  pthread_mutex_lock(&m->key_lock);
  size_t slot = 0;
  for (size_t i = 0; i < METRICS_KEYS; i++) {
    if (m->keys[i].key_id == key_id || m->keys[i].key_id == 0) {
      slot = i;
      break;
    }
    if (m->keys[i].requests < m->keys[slot].requests)
      slot = i;
  }
  if (m->keys[slot].key_id != key_id) {
    m->keys[slot].key_id = key_id;
    m->keys[slot].requests = 0;
    m->keys[slot].refused = 0;
  }
  m->keys[slot].requests++;
  if (status == 401 || status == 403)
    m->keys[slot].refused++;
  pthread_mutex_unlock(&m->key_lock);
}

void api_metrics_webhook(struct api_metrics *m, int result) {
  if (result >= 0 && result < 3)
    atomic_fetch_add_explicit(&m->webhook[result], 1, memory_order_relaxed);
}

void api_metrics_match_run(struct api_metrics *m, double seconds) {
  for (size_t b = 0; b < N_RUN_LE; b++)
    if (seconds <= run_le[b]) {
      atomic_fetch_add_explicit(&m->run_bucket[b], 1, memory_order_relaxed);
      break;
    }
  atomic_fetch_add_explicit(&m->run_count, 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&m->run_sum_us, (uint_fast64_t)(seconds * 1e6), memory_order_relaxed);
}

void api_metrics_import(struct api_metrics *m, const char *kind, uint64_t new_rows,
                        uint64_t updated, uint64_t unchanged, int result) {
  for (size_t k = 0; k < N_IMPORT; k++) {
    if (strcmp(kind, import_kinds[k]) != 0)
      continue;
    if (result == API_IMPORT_COMMITTED) {
      atomic_fetch_add_explicit(&m->import_rows[k][0], new_rows, memory_order_relaxed);
      atomic_fetch_add_explicit(&m->import_rows[k][1], updated, memory_order_relaxed);
      atomic_fetch_add_explicit(&m->import_rows[k][2], unchanged, memory_order_relaxed);
    }
    int run = result == API_IMPORT_COMMITTED ? 0 : result == API_IMPORT_DRY_RUN ? 2 : 1;
    atomic_fetch_add_explicit(&m->import_runs[k][run], 1, memory_order_relaxed);
  }
}

static uint64_t get(atomic_uint_fast64_t *a) {
  return atomic_load_explicit(a, memory_order_relaxed);
}

/* Writes one route's series; label is the route's method and pattern. */
static void render_series(FILE *f, struct series *s, const char *method, const char *pattern) {
  for (size_t i = 0; i < N_STATUS; i++) {
    uint64_t n = get(&s->by_status[i]);
    if (n == 0)
      continue;
    char code[8];
    if (i < N_STATUS - 1)
      snprintf(code, sizeof code, "%u", statuses[i]);
    else
      snprintf(code, sizeof code, "other");
    fprintf(f, "padan_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} %llu\n", method,
            pattern, code, (unsigned long long)n);
  }
}

static void render_histogram(FILE *f, struct series *s, const char *method, const char *pattern) {
  uint64_t count = get(&s->count);
  if (count == 0)
    return;
  uint64_t cum = 0;
  for (size_t b = 0; b < N_LE; b++) {
    cum += get(&s->bucket[b]);
    fprintf(f,
            "padan_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"%g\"} "
            "%llu\n",
            method, pattern, le[b], (unsigned long long)cum);
  }
  fprintf(f,
          "padan_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"+Inf\"} "
          "%llu\n",
          method, pattern, (unsigned long long)count);
  fprintf(f, "padan_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n", method,
          pattern, (double)get(&s->sum_us) / 1e6);
  fprintf(f, "padan_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %llu\n", method,
          pattern, (unsigned long long)count);
}

char *api_metrics_render(struct api_metrics *m, struct store *s, size_t *len) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  if (f == NULL)
    return NULL;
  fputs("# HELP padan_http_requests_total HTTP requests by route and status.\n"
        "# TYPE padan_http_requests_total counter\n",
        f);
  for (size_t i = 0; i <= m->n_routes; i++)
    render_series(f, &m->series[i], i < m->n_routes ? m->routes[i]->method : "any",
                  i < m->n_routes ? m->routes[i]->pattern : "unmatched");
  fputs("# HELP padan_http_request_duration_seconds Time from request to completed reply.\n"
        "# TYPE padan_http_request_duration_seconds histogram\n",
        f);
  for (size_t i = 0; i <= m->n_routes; i++)
    render_histogram(f, &m->series[i], i < m->n_routes ? m->routes[i]->method : "any",
                     i < m->n_routes ? m->routes[i]->pattern : "unmatched");

  fputs("# HELP padan_match_run_duration_seconds Duration of match runs served by the API.\n"
        "# TYPE padan_match_run_duration_seconds histogram\n",
        f);
  uint64_t cum = 0;
  for (size_t b = 0; b < N_RUN_LE; b++) {
    cum += get(&m->run_bucket[b]);
    fprintf(f, "padan_match_run_duration_seconds_bucket{le=\"%g\"} %llu\n", run_le[b],
            (unsigned long long)cum);
  }
  fprintf(f, "padan_match_run_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
          (unsigned long long)get(&m->run_count));
  fprintf(f, "padan_match_run_duration_seconds_sum %.6f\n", (double)get(&m->run_sum_us) / 1e6);
  fprintf(f, "padan_match_run_duration_seconds_count %llu\n",
          (unsigned long long)get(&m->run_count));

  fputs("# HELP padan_import_rows_total Rows of committed imports by outcome.\n"
        "# TYPE padan_import_rows_total counter\n",
        f);
  static const char *const outcome[] = {"new", "updated", "unchanged"};
  for (size_t k = 0; k < N_IMPORT; k++)
    for (size_t o = 0; o < 3; o++)
      fprintf(f, "padan_import_rows_total{kind=\"%s\",outcome=\"%s\"} %llu\n", import_kinds[k],
              outcome[o], (unsigned long long)get(&m->import_rows[k][o]));
  fputs("# HELP padan_imports_total Imports by result.\n"
        "# TYPE padan_imports_total counter\n",
        f);
  for (size_t k = 0; k < N_IMPORT; k++) {
    fprintf(f, "padan_imports_total{kind=\"%s\",result=\"committed\"} %llu\n", import_kinds[k],
            (unsigned long long)get(&m->import_runs[k][0]));
    fprintf(f, "padan_imports_total{kind=\"%s\",result=\"rejected\"} %llu\n", import_kinds[k],
            (unsigned long long)get(&m->import_runs[k][1]));
    fprintf(f, "padan_imports_total{kind=\"%s\",result=\"dry_run\"} %llu\n", import_kinds[k],
            (unsigned long long)get(&m->import_runs[k][2]));
  }

  fputs("# HELP padan_api_key_requests_total Requests made with each API key (by key id).\n"
        "# TYPE padan_api_key_requests_total counter\n",
        f);
  pthread_mutex_lock(&m->key_lock);
  for (size_t i = 0; i < METRICS_KEYS; i++)
    if (m->keys[i].key_id != 0) {
      fprintf(f, "padan_api_key_requests_total{key_id=\"%lld\",result=\"served\"} %llu\n",
              (long long)m->keys[i].key_id,
              (unsigned long long)(m->keys[i].requests - m->keys[i].refused));
      fprintf(f, "padan_api_key_requests_total{key_id=\"%lld\",result=\"refused\"} %llu\n",
              (long long)m->keys[i].key_id, (unsigned long long)m->keys[i].refused);
    }
  pthread_mutex_unlock(&m->key_lock);
  fputs("# HELP padan_webhook_attempts_total Webhook delivery attempts by outcome.\n"
        "# TYPE padan_webhook_attempts_total counter\n",
        f);
  static const char *const hook_outcome[] = {"delivered", "retry", "dead"};
  for (size_t i = 0; i < 3; i++)
    fprintf(f, "padan_webhook_attempts_total{outcome=\"%s\"} %llu\n", hook_outcome[i],
            (unsigned long long)get(&m->webhook[i]));

  int64_t bytes = -1;
  if (s != NULL && store_database_size(s, &bytes) == STORE_OK) {
    fputs("# HELP padan_database_size_bytes Size of the SQLite database file.\n"
          "# TYPE padan_database_size_bytes gauge\n",
          f);
    fprintf(f, "padan_database_size_bytes %lld\n", (long long)bytes);
  }
  if (fclose(f) != 0) {
    free(buf);
    return NULL;
  }
  return buf;
}
