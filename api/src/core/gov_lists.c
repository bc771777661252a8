/*
 * gov_lists.c — the inclusion- and exclusion-error lists: residents served
 * by overlapping interventions, and eligible residents no service reaches,
 * ranked (see gov.h and docs/GOVERNANCE.md).
 */
#include "gov_int.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- Reports
 * --------------------------------------------------------------------------------------- */

struct counted_overlaps {
  int (*fn)(void *arg, const struct store_gov_overlap *o);
  void *arg;
  size_t n;
};

static int count_overlap(void *arg, const struct store_gov_overlap *o) {
  struct counted_overlaps *c = arg;
  c->n++;
  return c->fn(c->arg, o);
}

int gov_overlaps(struct store *s, const struct gov_actor *by, int64_t kelurahan_id,
                 int (*fn)(void *arg, const struct store_gov_overlap *o), void *arg) {
  struct counted_overlaps c = {fn, arg, 0};
  int rc = store_gov_overlaps(s, kelurahan_id, count_overlap, &c);
  if (rc == STORE_OK && by != NULL) {
    char detail[96];
    snprintf(detail, sizeof detail, "kelurahan %lld: %zu pairs", (long long)kelurahan_id, c.n);
    rc = gov__audit(s, by, "report_overlaps", -1, NULL, detail);
  }
  return rc < 0 ? gov__rc(rc) : rc;
}

struct unserved_walk {
  int (*fn)(void *arg, const struct priority_kelurahan *k, const struct store_gov_unserved *u);
  void *arg;
  const struct priority_kelurahan *k;
  size_t n;
};

static int each_unserved(void *arg, const struct store_gov_unserved *u) {
  struct unserved_walk *w = arg;
  w->n++;
  return w->fn(w->arg, w->k, u);
}

static int by_rank(const void *a, const void *b) {
  const struct priority_kelurahan *x = *(struct priority_kelurahan *const *)a;
  const struct priority_kelurahan *y = *(struct priority_kelurahan *const *)b;
  return (x->rank > y->rank) - (x->rank < y->rank);
}

int gov_unserved(struct store *s, const struct gov_actor *by, const char *today,
                 const struct mt_config *cfg, int64_t kelurahan_id,
                 int (*fn)(void *arg, const struct priority_kelurahan *k,
                           const struct store_gov_unserved *u),
                 void *arg) {
  char day[11];
  gov__day_or_today(day, today);
  struct priority_kelurahan *rows = NULL, **order = NULL;
  size_t n = 0;
  int rc = priority_compute(s, cfg, day, &rows, &n);
  if (rc != STORE_OK)
    goto cleanup;
  order = malloc((n ? n : 1) * sizeof *order);
  if (order == NULL) {
    rc = STORE_ENOMEM;
    goto cleanup;
  }
  for (size_t i = 0; i < n; i++)
    order[i] = &rows[i];
  qsort(order, n, sizeof *order, by_rank);

  struct store_gov_target t = {.today = day,
                               .min_age = cfg->min_age,
                               .max_age = cfg->max_age,
                               .validity_days = cfg->verification_valid_days,
                               .poor_max = cfg->desil_poor};
  struct unserved_walk w = {fn, arg, NULL, 0};
  for (size_t i = 0; rc == STORE_OK && i < n; i++) {
    if (!order[i]->priority || (kelurahan_id >= 0 && order[i]->k.id != kelurahan_id))
      continue;
    w.k = order[i];
    rc = store_gov_unserved_each(s, order[i]->k.id, &t, each_unserved, &w);
  }
  if (rc == STORE_OK && by != NULL) {
    char detail[96];
    snprintf(detail, sizeof detail, "kelurahan %lld on %s: %zu residents", (long long)kelurahan_id,
             day, w.n);
    rc = gov__audit(s, by, "report_unserved", -1, NULL, detail);
  }

cleanup:
  free(order);
  free(rows);
  return rc < 0 ? gov__rc(rc) : rc;
}
