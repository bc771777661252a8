/*
 * match.c — the city-wide match run.  All pairs are scored once, resident
 * block by resident block so that a block stays in cache while every open
 * vacancy passes over it; each eligible resident keeps its best
 * candidates_per_resident vacancies by key (ties by vacancy id) in a small
 * heap, and the best rule any of its pairs reached, which becomes its reason
 * when it ends unmatched.  The sparse lists become an assignment instance in
 * canonical order (residents by id, vacancies by id), solved exactly by
 * mt__assign_exact() or by the greedy baseline, and the selection is turned
 * into proposals, per-vacancy fill and the unmatched list.  Nothing depends
 * on slot order, so two engines holding the same records give the same run.
 */
#include "assign.h"
#include "matcher_int.h"

#include <math.h>
#include <stdlib.h>

/* Per-resident candidate heaps, c entries each, worst at the root. */
struct cands {
  size_t c;
  float *key;    /* [slot * c + k] */
  uint32_t *vac; /* right index: vacancy position in id order */
  uint32_t *n;   /* entries used per slot */
};

static int cand_better(float ka, uint32_t va, float kb, uint32_t vb) {
  return ka > kb || (ka == kb && va < vb);
}

static void cand_offer(struct cands *h, size_t slot, float key, uint32_t vac) {
  float *k = &h->key[slot * h->c];
  uint32_t *v = &h->vac[slot * h->c];
  size_t n = h->n[slot], i;
  if (n < h->c) {
    i = n;
    h->n[slot] = (uint32_t)(n + 1);
    while (i > 0) { /* sift up: the parent must not rank below the new entry */
      size_t p = (i - 1) / 2;
      if (!cand_better(k[p], v[p], key, vac))
        break;
      k[i] = k[p];
      v[i] = v[p];
      i = p;
    }
    k[i] = key;
    v[i] = vac;
    return;
  }
  if (!cand_better(key, vac, k[0], v[0]))
    return;
  i = 0;
  for (;;) { /* sift down from the root, moving the worse child up */
    size_t l = 2 * i + 1, r = l + 1, w = i;
    float wk = key;
    uint32_t wv = vac;
    if (l < n && cand_better(wk, wv, k[l], v[l])) {
      w = l;
      wk = k[l];
      wv = v[l];
    }
    if (r < n && cand_better(wk, wv, k[r], v[r]))
      w = r;
    if (w == i)
      break;
    k[i] = k[w];
    v[i] = v[w];
    i = w;
  }
  k[i] = key;
  v[i] = vac;
}

struct id_slot {
  uint32_t id, slot;
};

static int cmp_id_slot(const void *a, const void *b) {
  uint32_t x = ((const struct id_slot *)a)->id, y = ((const struct id_slot *)b)->id;
  return (x > y) - (x < y);
}

/* Sorts slots by the ids beside them (ids are unique); tmp has room for n. */
static void sort_by_id(uint32_t *slots, const uint32_t *ids, size_t n, struct id_slot *tmp) {
  for (size_t i = 0; i < n; i++)
    tmp[i] = (struct id_slot){ids[i], slots[i]};
  qsort(tmp, n, sizeof *tmp, cmp_id_slot);
  for (size_t i = 0; i < n; i++)
    slots[i] = tmp[i].slot;
}

void mt_match_result_free(struct mt_match_result *r) {
  if (r == NULL)
    return;
  free(r->proposals);
  free(r->fill);
  free(r->unmatched);
  free(r->arcs);
  free(r);
}

/* Sorts the first n entries of one heap by vacancy position (insertion sort:
 * n is candidates_per_resident, a few dozen). */
static void sort_cands(float *k, uint32_t *v, size_t n) {
  for (size_t i = 1; i < n; i++) {
    float kk = k[i];
    uint32_t vv = v[i];
    size_t j = i;
    for (; j > 0 && v[j - 1] > vv; j--) {
      k[j] = k[j - 1];
      v[j] = v[j - 1];
    }
    k[j] = kk;
    v[j] = vv;
  }
}

/* Resident blocks scored together against each vacancy.  The kernel reads
 * a vacancy's record and commute table whole; taking a group of blocks at
 * a time keeps both the group's resident arrays (a few hundred KB) and the
 * vacancy's data in cache, where one block per pass would fetch every
 * vacancy afresh for every block. */
#define SCORE_GROUP 16

/* Scores every resident block against every open vacancy.  Offers reach
 * the candidate heaps in a different order from one grouping to another,
 * but the heaps' order is total, so the lists do not depend on it. */
static void score_all(const struct mt_engine *e, const uint32_t *vorder, size_t n_open,
                      struct cands *h, int32_t *best) {
  float key[MT__BLOCK], fit[MT__BLOCK];
  struct mt__kargs a = {.e = e, .overlay_course = -1.0f, .reasons = 1, .key = key, .fit = fit};
  for (size_t g0 = 0; g0 < e->r.n; g0 += SCORE_GROUP * MT__BLOCK) {
    const size_t g1 = g0 + SCORE_GROUP * MT__BLOCK < e->r.n ? g0 + SCORE_GROUP * MT__BLOCK : e->r.n;
    for (size_t j = 0; j < n_open; j++) {
      a.v = &e->vac[vorder[j]];
      for (size_t i0 = g0; i0 < g1; i0 += MT__BLOCK) {
        a.i0 = i0;
        a.best = best + i0;
        e->kernel(&a);
        if (a.max_key < 0.0f)
          continue;
        /* Ranked lanes are rare and lie in the chunks the kernel marks. */
        for (uint32_t m = a.chunks; m != 0; m &= m - 1) {
          const size_t c0 = (size_t)__builtin_ctz(m) * MT__CHUNK;
          for (size_t i = c0; i < c0 + MT__CHUNK; i++)
            if (key[i] >= 0.0f)
              cand_offer(h, i0 + i, key[i], (uint32_t)j);
        }
      }
    }
  }
}

enum mt_status mt_match_run(const struct mt_engine *e, enum mt_algorithm algo,
                            struct mt_match_result **out) {
  enum mt_status st = MT_OK;
  struct mt_match_result *res = NULL;
  uint32_t *vorder = NULL, *rorder = NULL, *cap = NULL, *fillc = NULL, *ids = NULL;
  struct id_slot *tmp = NULL;
  int32_t *best = NULL;
  struct cands h = {0};
  struct mt__arc *arcs = NULL;
  uint8_t *chosen = NULL;
  size_t n_open = 0, n_elig = 0, n_arcs = 0;

  if (e == NULL || out == NULL || (algo != MT_EXACT && algo != MT_GREEDY_BASELINE))
    return MT_EINVAL;
  *out = NULL;
  res = calloc(1, sizeof *res);
  vorder = malloc((e->n_vac + 1) * sizeof *vorder);
  rorder = malloc((e->r.n + 1) * sizeof *rorder);
  best = malloc(e->r.cap * sizeof *best);
  if (res == NULL || vorder == NULL || rorder == NULL || best == NULL)
    goto nomem;

  /* Open vacancies and eligible residents, each in id order. */
  for (size_t j = 0; j < e->n_vac; j++)
    if (e->vac[j].status == MT_R_ELIGIBLE)
      vorder[n_open++] = (uint32_t)j;
  for (size_t i = 0; i < e->r.n; i++)
    if (e->r.status[i] == MT_R_ELIGIBLE)
      rorder[n_elig++] = (uint32_t)i;
  tmp = malloc((n_open > n_elig ? n_open : n_elig) * sizeof *tmp + 1);
  ids = malloc((n_open > n_elig ? n_open : n_elig) * sizeof *ids + 1);
  if (tmp == NULL || ids == NULL)
    goto nomem;
  for (size_t j = 0; j < n_open; j++)
    ids[j] = e->vac[vorder[j]].id;
  sort_by_id(vorder, ids, n_open, tmp);
  for (size_t l = 0; l < n_elig; l++)
    ids[l] = e->r.id[rorder[l]];
  sort_by_id(rorder, ids, n_elig, tmp);

  h.c = e->cfg.candidates_per_resident < n_open ? e->cfg.candidates_per_resident : n_open;
  if (h.c == 0)
    h.c = 1;
  h.key = malloc(e->r.cap * h.c * sizeof *h.key);
  h.vac = malloc(e->r.cap * h.c * sizeof *h.vac);
  h.n = calloc(e->r.cap, sizeof *h.n);
  cap = malloc((n_open + 1) * sizeof *cap);
  fillc = calloc(n_open + 1, sizeof *fillc);
  if (h.key == NULL || h.vac == NULL || h.n == NULL || cap == NULL || fillc == NULL)
    goto nomem;
  for (size_t i = 0; i < e->r.cap; i++)
    best[i] = mt__order_bits(MT__K_RESIDENT);
  score_all(e, vorder, n_open, &h, best);

  for (size_t j = 0; j < n_open; j++) {
    double c = ceil((double)e->vac[vorder[j]].openings_left * e->cfg.shortlist_factor - 1e-9);
    cap[j] = c >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)c;
  }

  /* The instance in canonical order. */
  for (size_t l = 0; l < n_elig; l++)
    n_arcs += h.n[rorder[l]];
  arcs = malloc((n_arcs + 1) * sizeof *arcs);
  chosen = calloc(n_arcs + 1, 1);
  res->arcs = malloc((n_arcs + 1) * sizeof *res->arcs);
  if (arcs == NULL || chosen == NULL || res->arcs == NULL)
    goto nomem;
  n_arcs = 0;
  for (size_t l = 0; l < n_elig; l++) {
    size_t slot = rorder[l], n = h.n[slot];
    float *k = &h.key[slot * h.c];
    uint32_t *v = &h.vac[slot * h.c];
    sort_cands(k, v, n);
    for (size_t t = 0; t < n; t++) {
      arcs[n_arcs] = (struct mt__arc){(uint32_t)l, v[t], llround((double)k[t] * 1e6)};
      res->arcs[n_arcs] =
          (struct mt_arc){e->r.id[slot], e->vac[vorder[v[t]]].id, arcs[n_arcs].gain};
      n_arcs++;
    }
  }
  res->n_arcs = n_arcs;

  if (algo == MT_EXACT)
    st = mt__assign_exact(n_elig, n_open, cap, arcs, n_arcs, chosen, &res->total_gain);
  else
    st = mt__assign_greedy(n_elig, n_open, cap, arcs, n_arcs, chosen, &res->total_gain);
  if (st != MT_OK)
    goto cleanup;

  /* Proposals (arcs are in resident id order, one chosen per resident at
   * most), fill and the unmatched. */
  size_t n_chosen = 0;
  for (size_t t = 0; t < n_arcs; t++)
    n_chosen += chosen[t] != 0;
  res->proposals = malloc((n_chosen + 1) * sizeof *res->proposals);
  res->fill = malloc((n_open + 1) * sizeof *res->fill);
  res->unmatched =
      malloc((n_elig - (n_chosen < n_elig ? n_chosen : n_elig) + 1) * sizeof *res->unmatched);
  if (res->proposals == NULL || res->fill == NULL || res->unmatched == NULL)
    goto nomem;
  size_t t = 0;
  for (size_t l = 0; l < n_elig; l++) {
    size_t slot = rorder[l];
    int matched = 0;
    for (; t < n_arcs && arcs[t].left == l; t++) {
      if (!chosen[t])
        continue;
      const struct mt__vacancy *v = &e->vac[vorder[arcs[t].right]];
      struct mt__pair p;
      mt__pair_score(e, slot, v, NULL, -1.0f, 0, &p);
      res->proposals[res->n_proposals++] =
          (struct mt_proposal){e->r.id[slot], v->id, p.fit, e->r.prio[slot], p.key};
      res->total_key += p.key;
      fillc[arcs[t].right]++;
      matched = 1;
    }
    if (!matched) {
      enum mt_reason why =
          n_open == 0 ? MT_R_NO_OPENINGS : mt__code_reason(mt__unorder_bits(best[slot]));
      res->unmatched[res->n_unmatched++] = (struct mt_unmatched){e->r.id[slot], why};
    }
  }
  for (size_t j = 0; j < n_open; j++)
    res->fill[j] = (struct mt_fill){e->vac[vorder[j]].id, cap[j], fillc[j]};
  res->n_fill = n_open;
  *out = res;
  res = NULL;
  goto cleanup;
nomem:
  st = MT_ENOMEM;
cleanup:
  mt_match_result_free(res);
  free(vorder);
  free(rorder);
  free(ids);
  free(tmp);
  free(cap);
  free(fillc);
  free(best);
  free(h.key);
  free(h.vac);
  free(h.n);
  free(arcs);
  free(chosen);
  return st;
}
