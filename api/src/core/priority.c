/*
 * priority.c — the priority-kelurahan index (see priority.h and
 * docs/PRIORITY.md).  Counts say where most poor people are, shares say where
 * poverty is densest; the paper's three kecamatan lead on counts, so counts
 * weigh a little more than shares.
 */
#include "priority.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Weights of the six parts; they sum to 1. */
#define W_POOR 0.25
#define W_EXTREME 0.15
#define W_NEET 0.20
#define W_POOR_SHARE 0.15
#define W_EXTREME_SHARE 0.10
#define W_NEET_SHARE 0.15

struct rows {
  struct priority_kelurahan *v;
  size_t n, cap;
};

static int collect(void *arg, const struct store_kelurahan_row *k) {
  struct rows *r = arg;
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 128;
    struct priority_kelurahan *p = realloc(r->v, cap * sizeof *p);
    if (p == NULL)
      return STORE_ENOMEM;
    r->v = p;
    r->cap = cap;
  }
  memset(&r->v[r->n], 0, sizeof r->v[r->n]);
  r->v[r->n++].k = *k;
  return 0;
}

static double share(int64_t part, int64_t whole) {
  return whole > 0 ? (double)part / (double)whole : 0.0;
}

static double rel(double v, double max) {
  return max > 0 ? v / max : 0.0;
}

/* Orders by index, highest first, then by code. */
static int by_index_desc(const void *a, const void *b) {
  const struct priority_kelurahan *x = *(struct priority_kelurahan *const *)a;
  const struct priority_kelurahan *y = *(struct priority_kelurahan *const *)b;
  if (x->index != y->index)
    return x->index < y->index ? 1 : -1;
  return strcmp(x->k.code, y->k.code);
}

int priority_compute(struct store *s, const struct mt_config *cfg, const char *today,
                     struct priority_kelurahan **out, size_t *n) {
  struct rows r = {0};
  struct priority_kelurahan **order = NULL;
  struct store_poverty p = {.today = today,
                            .extreme_max = cfg->desil_extreme,
                            .poor_max = cfg->desil_poor,
                            .min_age = cfg->min_age,
                            .max_age = cfg->max_age};
  int rc = store_kelurahan_poverty(s, &p, collect, &r);
  if (rc != STORE_OK)
    goto fail;

  double max[6] = {0};
  for (size_t i = 0; i < r.n; i++) {
    const struct store_kelurahan_row *k = &r.v[i].k;
    double parts[6] = {(double)k->poor,
                       (double)k->extreme,
                       (double)k->neet,
                       share(k->poor, k->residents),
                       share(k->extreme, k->residents),
                       share(k->neet, k->residents)};
    for (int j = 0; j < 6; j++)
      max[j] = fmax(max[j], parts[j]);
  }
  static const double w[6] = {W_POOR,       W_EXTREME,       W_NEET,
                              W_POOR_SHARE, W_EXTREME_SHARE, W_NEET_SHARE};
  for (size_t i = 0; i < r.n; i++) {
    const struct store_kelurahan_row *k = &r.v[i].k;
    double parts[6] = {(double)k->poor,
                       (double)k->extreme,
                       (double)k->neet,
                       share(k->poor, k->residents),
                       share(k->extreme, k->residents),
                       share(k->neet, k->residents)};
    double idx = 0;
    for (int j = 0; j < 6; j++)
      idx += w[j] * rel(parts[j], max[j]);
    r.v[i].index = round(idx * 1e4) / 1e2; /* two decimals, so ties are real ties */
  }

  order = malloc((r.n ? r.n : 1) * sizeof *order);
  if (order == NULL) {
    rc = STORE_ENOMEM;
    goto fail;
  }
  for (size_t i = 0; i < r.n; i++)
    order[i] = &r.v[i];
  qsort(order, r.n, sizeof *order, by_index_desc);
  size_t top = (size_t)ceil(PRIORITY_SHARE * (double)r.n);
  for (size_t i = 0; i < r.n; i++) {
    struct priority_kelurahan *k = order[i];
    k->rank = (int)i + 1;
    /* a kelurahan with no poor resident is never a priority by index */
    k->by_index = i < top && k->k.poor > 0;
    k->priority = k->k.pinned >= 0 ? k->k.pinned : k->by_index;
  }
  free(order);
  *out = r.v;
  *n = r.n;
  return STORE_OK;

fail:
  free(r.v);
  *out = NULL;
  *n = 0;
  return rc;
}

int priority_pin(struct store *s, const char *code, int value, const struct store_audit *by,
                 char *detail, size_t size) {
  int64_t kel = -1;
  int rc = store_id_by_code(s, STORE_T_KELURAHAN, code, &kel);
  if (rc != STORE_OK)
    return rc;
  snprintf(detail, size, "kelurahan %s pinned %s", code,
           value < 0 ? "none (index decides)"
           : value   ? "on"
                     : "off");
  struct store_audit a = *by;
  a.action = "priority_pin";
  a.resident_id = -1;
  a.detail = detail;
  rc = store_begin(s);
  if (rc == STORE_OK)
    rc = store_kelurahan_pin(s, kel, value);
  if (rc == STORE_OK)
    rc = store_audit_add(s, &a);
  if (rc == STORE_OK)
    rc = store_commit(s);
  if (rc != STORE_OK)
    store_rollback(s);
  return rc;
}
