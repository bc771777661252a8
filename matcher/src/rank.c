/*
 * rank.c — top-k rankings: the best residents for one vacancy (the kernel's
 * scan mode over every resident, a segment of blocks at a time, returning
 * only ranked pairs) and the best vacancies for one resident (the scalar
 * pair evaluation over every vacancy).  Selection keeps a heap of the k best
 * in the caller's output array, worst at the root, so a ranking costs one
 * pass and no allocation (about 60 KB of stack); ties go to the smaller id,
 * which makes the order total and the result independent of slot order.
 */
#include "matcher_int.h"

#include <stdlib.h>

static float hit_score(const struct mt_hit *h, enum mt_order order) {
  return order == MT_BY_FIT ? h->fit : h->key;
}

/* a ranks before b */
static int better(const struct mt_hit *a, const struct mt_hit *b, enum mt_order order) {
  float sa = hit_score(a, order), sb = hit_score(b, order);
  return sa > sb || (sa == sb && a->id < b->id);
}

static void sift_down(struct mt_hit *h, size_t n, size_t i, enum mt_order order) {
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, worst = i;
    if (l < n && better(&h[worst], &h[l], order))
      worst = l;
    if (r < n && better(&h[worst], &h[r], order))
      worst = r;
    if (worst == i)
      return;
    struct mt_hit t = h[i];
    h[i] = h[worst];
    h[worst] = t;
    i = worst;
  }
}

static void sift_up(struct mt_hit *h, size_t i, enum mt_order order) {
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (!better(&h[parent], &h[i], order))
      return;
    struct mt_hit t = h[i];
    h[i] = h[parent];
    h[parent] = t;
    i = parent;
  }
}

/* Offers a hit to the heap of the k best (worst at the root). */
static void offer(struct mt_hit *h, size_t *n, size_t k, const struct mt_hit *x,
                  enum mt_order order) {
  if (*n < k) {
    h[*n] = *x;
    sift_up(h, (*n)++, order);
  } else if (better(x, &h[0], order)) {
    h[0] = *x;
    sift_down(h, *n, 0, order);
  }
}

/* Turns the heap into a best-first list: repeatedly move the worst to the end. */
static void heap_sort(struct mt_hit *h, size_t n, enum mt_order order) {
  for (size_t m = n; m > 1; m--) {
    struct mt_hit t = h[0];
    h[0] = h[m - 1];
    h[m - 1] = t;
    sift_down(h, m - 1, 0, order);
  }
}

enum mt_status mt_rank_candidates(const struct mt_engine *e, uint32_t vacancy_id,
                                  enum mt_order order, size_t k, struct mt_hit *out,
                                  size_t *n_out) {
  if (e == NULL || n_out == NULL || (k > 0 && out == NULL) ||
      (order != MT_BY_KEY && order != MT_BY_FIT))
    return MT_EINVAL;
  *n_out = 0;
  size_t vslot = mt__idmap_get(&e->vmap, vacancy_id);
  if (vslot == SIZE_MAX)
    return MT_ENOTFOUND;
  const struct mt__vacancy *v = &e->vac[vslot];
  if (v->status != MT_R_ELIGIBLE || k == 0)
    return MT_OK;
  /* The kernel scans SEGMENT slots per call and emits their ranked pairs;
   * the buffer bounds the stack, not the work. */
  enum { SEGMENT = 16 * MT__BLOCK };
  float key[MT__BLOCK], fit[MT__BLOCK];
  struct mt__ranked ranked[SEGMENT];
  struct mt__kargs a = {
      .e = e, .v = v, .overlay_course = -1.0f, .key = key, .fit = fit, .emit = ranked};
  const size_t end = (e->r.n + MT__BLOCK - 1) / MT__BLOCK * MT__BLOCK;
  size_t n = 0;
  for (size_t i0 = 0; i0 < end; i0 += SEGMENT) {
    a.i0 = i0;
    a.i_end = i0 + SEGMENT < end ? i0 + SEGMENT : end;
    e->kernel(&a);
    for (size_t t = 0; t < a.n_emit; t++) {
      const struct mt__ranked *p = &ranked[t];
      const float score = order == MT_BY_FIT ? p->fit : p->key;
      /* A pair below a full heap's worst cannot enter it; the check on the
       * score alone spares building the hit. */
      if (n == k && score < hit_score(&out[0], order))
        continue;
      struct mt_hit h = {
          .id = e->r.id[p->slot], .fit = p->fit, .priority = e->r.prio[p->slot], .key = p->key};
      offer(out, &n, k, &h, order);
    }
  }
  heap_sort(out, n, order);
  *n_out = n;
  return MT_OK;
}

enum mt_status mt_rank_vacancies(const struct mt_engine *e, uint32_t resident_id,
                                 enum mt_order order, size_t k, struct mt_hit *out, size_t *n_out) {
  if (e == NULL || n_out == NULL || (k > 0 && out == NULL) ||
      (order != MT_BY_KEY && order != MT_BY_FIT))
    return MT_EINVAL;
  *n_out = 0;
  size_t slot = mt__idmap_get(&e->rmap, resident_id);
  if (slot == SIZE_MAX)
    return MT_ENOTFOUND;
  if (e->r.status[slot] != MT_R_ELIGIBLE || k == 0)
    return MT_OK;
  size_t n = 0;
  for (size_t j = 0; j < e->n_vac; j++) {
    const struct mt__vacancy *v = &e->vac[j];
    if (v->status != MT_R_ELIGIBLE)
      continue;
    struct mt__pair p;
    if (mt__pair_score(e, slot, v, NULL, -1.0f, 0, &p) != MT_R_ELIGIBLE)
      continue;
    struct mt_hit h = {.id = v->id, .fit = p.fit, .priority = e->r.prio[slot], .key = p.key};
    offer(out, &n, k, &h, order);
  }
  heap_sort(out, n, order);
  *n_out = n;
  return MT_OK;
}
