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
 *
 * mt_match_run_ex() adds what a repeatable run of next steps needs
 * (docs/MATCHING.md §7.1–7.4): busy residents sit out, banned pairs never
 * enter a heap, open referrals shrink a vacancy's room, and offered batches
 * become more right nodes, with an arc from each resident no vacancy ranks
 * to each batch whose course unlocks something for them.  Gains carry the
 * tie code below them; each unmatched resident gets what would change it.
 */
#include "assign.h"
#include "matcher_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
  for (size_t i = 0; i < r->n_steps; i++)
    free(r->steps[i].unlocked);
  free(r->steps);
  free(r->fill);
  free(r->batch_fill);
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
/* Pairs that must not be proposed: (slot, vacancy position) sorted, and a
 * per-slot flag so that the common case costs one byte read. */
struct bans {
  uint64_t *pair; /* slot << 32 | position */
  size_t n;
  uint8_t *has;     /* per slot */
  uint32_t *ranked; /* per slot: banned pairs that would have been ranked */
};

static int banned(const struct bans *b, size_t slot, uint32_t pos) {
  const uint64_t x = (uint64_t)slot << 32 | pos;
  size_t lo = 0, hi = b->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (b->pair[mid] < x)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < b->n && b->pair[lo] == x;
}

static void score_all(const struct mt_engine *e, const uint32_t *vorder, size_t n_open,
                      struct cands *h, int32_t *best, const struct bans *b) {
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
            if (key[i] >= 0.0f) {
              if (b->has != NULL && b->has[i0 + i] && banned(b, i0 + i, (uint32_t)j)) {
                b->ranked[i0 + i]++;
                continue;
              }
              cand_offer(h, i0 + i, key[i], (uint32_t)j);
            }
        }
      }
    }
  }
}

/* ---- next steps ------------------------------------------------------------------- */

/* A batch the run can offer: its input record and its course index. */
struct offer {
  const struct mt_batch_seats *b;
  uint32_t course;
};

/* Does any of slot's candidate vacancies have room in this run?  A
 * resident whose every ranked vacancy is full cannot get a job step, so a
 * seat offered to them takes no place from anyone (docs/MATCHING.md §7.1). */
static int has_room(const struct cands *h, size_t slot, const uint32_t *cap) {
  for (size_t t = 0; t < h->n[slot]; t++)
    if (cap[h->vac[slot * h->c + t]] > 0)
      return 1;
  return 0;
}

/* Worth of a course step (docs/MATCHING.md §7.1): the chance of a
 * placement, min(1, openings reachable × measured rate), discounted per
 * month until the batch ends (the wait plus the training). */
static double step_value(const struct mt_engine *e, const struct mt__course *co,
                         const struct mt_batch_seats *b, uint32_t reach) {
  double p = (double)reach * co->placement_rate;
  p = p > 1.0 ? 1.0 : p;
  double days;
  const double train_days = (double)co->hours / 6.0 * 7.0 / 5.0; /* 6 h a weekday */
  if (b->end_day != MT_UNKNOWN_DAY)
    days = (double)b->end_day - (double)e->cfg.today;
  else if (b->start_day != MT_UNKNOWN_DAY)
    days = (double)b->start_day - (double)e->cfg.today + train_days;
  else
    days = train_days;
  days = days > 0.0 ? days : 0.0;
  return p * pow(e->cfg.course_month_discount, days / 30.44);
}

static int course_done(const struct mt_engine *e, size_t slot, size_t k) {
  return e->cw > 0 && ((e->r.courses[slot * e->cw + k / 64] >> (k % 64)) & 1u);
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* The detail of an unmatched resident that names what would change it. */
static void unmatched_detail(const struct mt_engine *e, size_t slot, const uint32_t *reach,
                             const uint64_t *taught, struct mt_unmatched *u) {
  if (reach != NULL && u->course_id == 0) {
    uint32_t bestr = 0;
    for (size_t c = 0; c < e->n_courses; c++) {
      const uint32_t x = reach[slot * e->n_courses + c];
      if (x > bestr && e->courses[c].placement_rate > 0.0 && !course_done(e, slot, c)) {
        bestr = x;
        u->course_id = e->courses[c].id;
      }
    }
  }
  const uint8_t edu = e->r.edu[slot];
  if (u->reason == MT_R_EDUCATION && edu != MT_EDU_UNKNOWN) {
    uint8_t need = 0;
    for (size_t j = 0; j < e->n_vac; j++) {
      const struct mt__vacancy *v = &e->vac[j];
      if (v->status == MT_R_ELIGIBLE && v->min_edu > edu && v->min_edu > MT_EDU_NONE &&
          (need == 0 || v->min_edu < need))
        need = v->min_edu;
    }
    u->need_education = need;
  }
  if (u->reason == MT_R_MISSING_SKILLS && u->course_id == 0) {
    uint32_t fewest = UINT32_MAX;
    for (size_t j = 0; j < e->n_vac; j++) {
      const struct mt__vacancy *v = &e->vac[j];
      if (v->status != MT_R_ELIGIBLE || (v->min_edu != MT_EDU_UNKNOWN && edu < v->min_edu))
        continue;
      uint32_t miss = 0, first = UINT32_MAX;
      for (size_t w = 0; w < e->w; w++) {
        const uint64_t m = v->must[w] & ~e->r.skills[w][slot];
        miss += mt__popcount(m);
        const uint64_t u_m = m & ~taught[w]; /* a missing skill no course teaches */
        if (u_m != 0 && first == UINT32_MAX)
          first = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(u_m));
      }
      if (first == UINT32_MAX)
        continue; /* every skill it lacks is taught somewhere */
      if (miss > 0 && miss < fewest) {
        fewest = miss;
        u->skill_plus1 = (uint16_t)(first + 1);
      }
    }
  }
}

enum mt_status mt_match_run(const struct mt_engine *e, enum mt_algorithm algo,
                            struct mt_match_result **out) {
  return mt_match_run_ex(e, algo, NULL, out);
}

enum mt_status mt_match_run_ex(const struct mt_engine *e, enum mt_algorithm algo,
                               const struct mt_run_input *in, struct mt_match_result **out) {
  enum mt_status st = MT_OK;
  struct mt_match_result *res = NULL;
  uint32_t *vorder = NULL, *rorder = NULL, *cap = NULL, *fillc = NULL, *ids = NULL;
  uint32_t *vpos = NULL, *reach = NULL, *unl = NULL, *n_course_arcs = NULL;
  struct id_slot *tmp = NULL;
  int32_t *best = NULL;
  struct cands h = {0};
  struct bans bn = {0};
  struct offer *offers = NULL;
  uint8_t *skip = NULL, *want = NULL;
  struct mt__arc *arcs = NULL;
  uint8_t *chosen = NULL;
  size_t n_open = 0, n_elig = 0, n_arcs = 0, n_offers = 0;
  const struct mt_run_input none = {0};

  if (e == NULL || out == NULL || (algo != MT_EXACT && algo != MT_GREEDY_BASELINE))
    return MT_EINVAL;
  if (in == NULL)
    in = &none;
  *out = NULL;
  res = calloc(1, sizeof *res);
  vorder = malloc((e->n_vac + 1) * sizeof *vorder);
  vpos = malloc((e->n_vac + 1) * sizeof *vpos);
  rorder = malloc((e->r.n + 1) * sizeof *rorder);
  best = malloc(e->r.cap * sizeof *best);
  skip = calloc(e->r.cap + 1, 1);
  offers = malloc((in->n_batches + 1) * sizeof *offers);
  if (res == NULL || vorder == NULL || vpos == NULL || rorder == NULL || best == NULL ||
      skip == NULL || offers == NULL)
    goto nomem;

  /* Residents who already have an open step sit this run out. */
  for (size_t k = 0; k < in->n_busy; k++) {
    size_t slot = mt__idmap_get(&e->rmap, in->busy[k]);
    if (slot != SIZE_MAX)
      skip[slot] = 1;
  }
  /* Open vacancies and eligible residents, each in id order. */
  for (size_t j = 0; j < e->n_vac; j++)
    if (e->vac[j].status == MT_R_ELIGIBLE && !in->no_jobs)
      vorder[n_open++] = (uint32_t)j;
  for (size_t i = 0; i < e->r.n; i++)
    if (e->r.status[i] == MT_R_ELIGIBLE && !skip[i])
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
  for (size_t j = 0; j < e->n_vac; j++)
    vpos[j] = UINT32_MAX;
  for (size_t j = 0; j < n_open; j++)
    vpos[vorder[j]] = (uint32_t)j;

  /* Pairs that ended recently, as (slot, position). */
  if (in->n_bans > 0) {
    bn.pair = malloc(in->n_bans * sizeof *bn.pair);
    bn.has = calloc(e->r.cap, 1);
    if (bn.pair == NULL || bn.has == NULL)
      goto nomem;
    for (size_t k = 0; k < in->n_bans; k++) {
      size_t slot = mt__idmap_get(&e->rmap, in->bans[k].resident_id);
      size_t j = mt__idmap_get(&e->vmap, in->bans[k].vacancy_id);
      if (slot == SIZE_MAX || j == SIZE_MAX || vpos[j] == UINT32_MAX)
        continue;
      bn.pair[bn.n++] = (uint64_t)slot << 32 | vpos[j];
      bn.has[slot] = 1;
    }
    qsort(bn.pair, bn.n, sizeof *bn.pair, cmp_u64);
  }
  bn.ranked = calloc(e->r.cap, sizeof *bn.ranked);

  h.c = e->cfg.candidates_per_resident < n_open ? e->cfg.candidates_per_resident : n_open;
  if (h.c == 0)
    h.c = 1;
  h.key = malloc(e->r.cap * h.c * sizeof *h.key);
  h.vac = malloc(e->r.cap * h.c * sizeof *h.vac);
  h.n = calloc(e->r.cap, sizeof *h.n);
  cap = malloc((n_open + in->n_batches + 1) * sizeof *cap);
  fillc = calloc(n_open + in->n_batches + 1, sizeof *fillc);
  if (bn.ranked == NULL || h.key == NULL || h.vac == NULL || h.n == NULL || cap == NULL ||
      fillc == NULL)
    goto nomem;
  for (size_t i = 0; i < e->r.cap; i++)
    best[i] = mt__order_bits(MT__K_RESIDENT);
  score_all(e, vorder, n_open, &h, best, &bn);
  for (size_t i = 0; i < e->r.cap; i++)
    if (skip[i])
      h.n[i] = 0; /* busy residents were scored with the rest; they take no arc */

  /* A vacancy's room is its cap less the open referrals it already holds. */
  for (size_t j = 0; j < n_open; j++) {
    double c = ceil((double)e->vac[vorder[j]].openings_left * e->cfg.shortlist_factor - 1e-9);
    cap[j] = c >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)c;
  }
  for (size_t k = 0; k < in->n_loads; k++) {
    size_t j = mt__idmap_get(&e->vmap, in->loads[k].vacancy_id);
    if (j == SIZE_MAX || vpos[j] == UINT32_MAX)
      continue;
    uint32_t *c = &cap[vpos[j]];
    *c = *c > in->loads[k].open ? *c - in->loads[k].open : 0;
  }

  /* Batches with seats, and what each course opens to each resident. */
  for (size_t k = 0; k < in->n_batches; k++) {
    const struct mt_batch_seats *b = &in->batches[k];
    for (size_t c = 0; b->seats > 0 && c < e->n_courses; c++)
      if (e->courses[c].id == b->course_id && e->courses[c].placement_rate > 0.0) {
        offers[n_offers] = (struct offer){b, (uint32_t)c};
        cap[n_open + n_offers++] = b->seats;
        break;
      }
  }
  /* Only residents no vacancy ranks are offered seats or told which course
   * would help, so only they need the (costly) course reach. */
  if (e->n_courses > 0 && in != &none) {
    reach = calloc(e->r.cap * e->n_courses + 1, sizeof *reach);
    want = malloc(e->r.cap + 1);
    if (reach == NULL || want == NULL)
      goto nomem;
    for (size_t i = 0; i < e->r.cap; i++)
      want[i] = e->r.status[i] == MT_R_ELIGIBLE && !skip[i] && !has_room(&h, i, cap);
    st = mt__course_reach(e, reach, want);
    if (st != MT_OK)
      goto cleanup;
  }

  /* The instance in canonical order: per resident its vacancies, then (for
   * a resident no vacancy ranks) its batches. */
  n_course_arcs = calloc(n_elig + 1, sizeof *n_course_arcs);
  if (n_course_arcs == NULL)
    goto nomem;
  for (size_t l = 0; l < n_elig; l++) {
    const size_t slot = rorder[l];
    n_arcs += h.n[slot];
    if (reach == NULL || has_room(&h, slot, cap))
      continue;
    for (size_t k = 0; k < n_offers; k++)
      if (reach[slot * e->n_courses + offers[k].course] > 0 &&
          !course_done(e, slot, offers[k].course))
        n_course_arcs[l]++;
    n_arcs += n_course_arcs[l];
  }
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
      const uint32_t vid = e->vac[vorder[v[t]]].id;
      int64_t g = llround((double)k[t] * 1e6);
      if (in != &none)
        g = mt__tied_gain(g, mt__tie_code(e, slot, vid, 0));
      arcs[n_arcs] = (struct mt__arc){(uint32_t)l, v[t], g};
      res->arcs[n_arcs++] = (struct mt_arc){e->r.id[slot], vid, 0, g};
    }
    if (n_course_arcs[l] == 0)
      continue;
    for (size_t b = 0; b < n_offers; b++) {
      const uint32_t c = offers[b].course;
      const uint32_t x = reach[slot * e->n_courses + c];
      if (x == 0 || course_done(e, slot, c))
        continue;
      const double val = step_value(e, &e->courses[c], offers[b].b, x);
      const float key = (float)(100.0 * val) * e->r.mult[slot];
      const int64_t g = mt__tied_gain(llround((double)key * 1e6),
                                      mt__tie_code(e, slot, offers[b].b->batch_id, 1));
      arcs[n_arcs] = (struct mt__arc){(uint32_t)l, (uint32_t)(n_open + b), g};
      res->arcs[n_arcs++] = (struct mt_arc){e->r.id[slot], 0, offers[b].b->batch_id, g};
    }
  }
  res->n_arcs = n_arcs;

  if (algo == MT_EXACT)
    st = mt__assign_exact(n_elig, n_open + n_offers, cap, arcs, n_arcs, chosen, &res->total_gain);
  else
    st = mt__assign_greedy(n_elig, n_open + n_offers, cap, arcs, n_arcs, chosen, &res->total_gain);
  if (st != MT_OK)
    goto cleanup;

  /* Proposals and course steps (arcs are in resident id order, one chosen
   * per resident at most), fill and the unmatched. */
  size_t n_chosen = 0, n_chosen_steps = 0;
  for (size_t t = 0; t < n_arcs; t++) {
    n_chosen += chosen[t] != 0;
    n_chosen_steps += chosen[t] != 0 && arcs[t].right >= n_open;
  }
  res->proposals = malloc((n_chosen + 1) * sizeof *res->proposals);
  res->steps = calloc(n_chosen_steps + 1, sizeof *res->steps);
  res->fill = malloc((n_open + 1) * sizeof *res->fill);
  res->batch_fill = malloc((n_offers + 1) * sizeof *res->batch_fill);
  res->unmatched =
      calloc(n_elig - (n_chosen < n_elig ? n_chosen : n_elig) + 1, sizeof *res->unmatched);
  unl = malloc((e->n_vac + 1) * sizeof *unl);
  if (res->proposals == NULL || res->steps == NULL || res->fill == NULL ||
      res->batch_fill == NULL || res->unmatched == NULL || unl == NULL)
    goto nomem;
  uint64_t taught[MT__MAXW] = {0}; /* skills some course teaches */
  for (size_t c = 0; c < e->n_courses; c++)
    for (size_t w = 0; w < e->w; w++)
      taught[w] |= e->courses[c].skills[w];
  size_t t = 0;
  for (size_t l = 0; l < n_elig; l++) {
    size_t slot = rorder[l];
    int matched = 0;
    uint32_t course_arcs = 0, best_course = 0;
    double best_x = -1.0;
    const unsigned groups = mt_resident_groups(e, e->r.id[slot]);
    const size_t steps_before = res->n_steps, props_before = res->n_proposals;
    for (; t < n_arcs && arcs[t].left == l; t++) {
      if (arcs[t].right >= n_open) {
        /* the course that would open most to it: reach × rate, neither
         * capped nor discounted, so that the suggestion is not simply the
         * batch that ends first */
        const struct offer *o = &offers[arcs[t].right - n_open];
        const double x =
            reach[slot * e->n_courses + o->course] * e->courses[o->course].placement_rate;
        course_arcs++;
        if (x > best_x) {
          best_x = x;
          best_course = o->b->course_id;
        }
      }
      if (!chosen[t])
        continue;
      fillc[arcs[t].right]++;
      matched = 1;
      if (arcs[t].right >= n_open) {
        const struct offer *o = &offers[arcs[t].right - n_open];
        const struct mt__course *co = &e->courses[o->course];
        const uint32_t x = reach[slot * e->n_courses + o->course];
        const double val = step_value(e, co, o->b, x);
        struct mt_course_step *s = &res->steps[res->n_steps];
        *s = (struct mt_course_step){e->r.id[slot],
                                     o->b->batch_id,
                                     co->id,
                                     e->r.prio[slot],
                                     (float)(100.0 * val) * e->r.mult[slot],
                                     val,
                                     x,
                                     NULL,
                                     0};
        s->n_unlocked = mt__course_unlocked(e, slot, o->course, unl);
        s->unlocked = malloc((s->n_unlocked + 1) * sizeof *s->unlocked);
        if (s->unlocked == NULL)
          goto nomem;
        memcpy(s->unlocked, unl, s->n_unlocked * sizeof *unl);
        res->n_steps++;
        res->total_key += s->key;
        continue;
      }
      const struct mt__vacancy *v = &e->vac[vorder[arcs[t].right]];
      struct mt__pair p;
      mt__pair_score(e, slot, v, NULL, -1.0f, 0, &p);
      res->proposals[res->n_proposals++] =
          (struct mt_proposal){e->r.id[slot], v->id, p.fit, e->r.prio[slot], p.key};
      res->total_key += p.key;
    }
    for (int g = 0; g < MT_N_GROUPS; g++) {
      if (!(groups >> g & 1u))
        continue;
      res->targeting[g].eligible++;
      res->targeting[g].job_steps += (uint32_t)(res->n_proposals - props_before);
      res->targeting[g].course_steps += (uint32_t)(res->n_steps - steps_before);
    }
    if (!matched) {
      enum mt_reason why =
          n_open == 0 ? MT_R_NO_OPENINGS : mt__code_reason(mt__unorder_bits(best[slot]));
      struct mt_unmatched *u = &res->unmatched[res->n_unmatched++];
      *u = (struct mt_unmatched){.resident_id = e->r.id[slot], .reason = why};
      if (in != &none) {
        u->n_full = h.n[slot];
        u->n_banned = bn.ranked[slot];
        u->n_full_batches = course_arcs;
        u->course_id = best_course;
        unmatched_detail(e, slot, reach, taught, u);
      }
    }
  }
  for (size_t j = 0; j < n_open; j++)
    res->fill[j] = (struct mt_fill){e->vac[vorder[j]].id, cap[j], fillc[j]};
  res->n_fill = n_open;
  for (size_t b = 0; b < n_offers; b++)
    res->batch_fill[b] =
        (struct mt_fill){offers[b].b->batch_id, cap[n_open + b], fillc[n_open + b]};
  res->n_batch_fill = n_offers;
  *out = res;
  res = NULL;
  goto cleanup;
nomem:
  st = MT_ENOMEM;
cleanup:
  mt_match_result_free(res);
  free(vorder);
  free(vpos);
  free(rorder);
  free(ids);
  free(tmp);
  free(cap);
  free(fillc);
  free(best);
  free(skip);
  free(want);
  free(offers);
  free(reach);
  free(unl);
  free(n_course_arcs);
  free(bn.pair);
  free(bn.has);
  free(bn.ranked);
  free(h.key);
  free(h.vac);
  free(h.n);
  free(arcs);
  free(chosen);
  return st;
}

/* ---- what would change it ---------------------------------------------------------- */

static const char *edu_need_text(uint8_t edu, int english) {
  switch (edu) {
  case MT_EDU_SD:
    return english ? "primary school (SD) or paket A" : "SD atau paket A";
  case MT_EDU_SMP:
    return english ? "junior secondary (SMP) or paket B" : "SMP atau paket B";
  case MT_EDU_SMA:
    return english ? "senior secondary (SMA/SMK) or paket C" : "SMA/SMK atau paket C";
  default:
    return mt__education_name(edu, english);
  }
}

static const struct mt__course *course_by_id(const struct mt_engine *e, uint32_t id) {
  for (size_t c = 0; c < e->n_courses; c++)
    if (e->courses[c].id == id)
      return &e->courses[c];
  return NULL;
}

/* Up to three codes of the skills a course teaches. */
static void taught(struct mt__sbuf *b, const struct mt_engine *e, const struct mt__course *co) {
  size_t n = 0;
  for (size_t k = 0; k < e->n_skills && n < 3; k++)
    if ((co->skills[k / 64] >> (k % 64)) & 1u)
      mt__sb_printf(b, "%s%s", n++ ? ", " : "", e->skills[k].code);
}

void mt_unmatched_text(const struct mt_engine *e, const struct mt_unmatched *u, int english,
                       char *buf, size_t cap) {
  struct mt__sbuf b;
  mt__sb_init(&b, buf, cap);
  const struct mt__course *co = u->course_id ? course_by_id(e, u->course_id) : NULL;
  if (u->n_full > 0) {
    mt__sb_printf(&b,
                  english ? "All %u fitting vacancies are full; a new opening would change it."
                          : "Semua %u lowongan yang cocok sudah penuh; lowongan baru akan "
                            "mengubahnya.",
                  u->n_full);
  } else if (u->n_full_batches > 0 && co != NULL) {
    mt__sb_printf(&b,
                  english ? "Every seat of the %u planned batches that fit was taken; more "
                            "seats of %s would change it."
                          : "Semua kursi di %u angkatan terencana yang cocok sudah terisi; "
                            "tambahan kursi %s akan mengubahnya.",
                  u->n_full_batches, co->name);
  } else if (u->n_banned > 0) {
    mt__sb_printf(&b,
                  english ? "The %u vacancies that fit were proposed in the last %d days and "
                            "ended rejected or withdrawn; a new vacancy would change it."
                          : "%u lowongan yang cocok sudah diusulkan dalam %d hari terakhir dan "
                            "berakhir ditolak atau ditarik; lowongan baru akan mengubahnya.",
                  u->n_banned, (int)e->cfg.repropose_days);
  } else if (co != NULL) {
    mt__sb_printf(&b,
                  english
                      ? "No planned batch with a free seat of %s (teaches "
                      : "Tidak ada angkatan terencana dengan kursi kosong untuk %s (mengajarkan ",
                  co->name);
    taught(&b, e, co);
    mt__sb_printf(&b, english ? "), which would open vacancies to them."
                              : "), yang akan membuka lowongan baginya.");
  } else if (u->reason == MT_R_EDUCATION && u->need_education == 0) {
    mt__sb_printf(&b, "%s",
                  english ? "Schooling not recorded: recording it (or a paket A/B/C certificate) "
                            "would change it."
                          : "Pendidikan belum tercatat: mencatatnya (atau ijazah paket A/B/C) akan "
                            "mengubahnya.");
  } else if (u->reason == MT_R_EDUCATION && u->need_education != 0) {
    mt__sb_printf(&b,
                  english ? "Needs %s: no open vacancy accepts their schooling."
                          : "Perlu ijazah %s: tidak ada lowongan terbuka yang menerima "
                            "pendidikannya.",
                  edu_need_text(u->need_education, english));
  } else if (u->reason == MT_R_MISSING_SKILLS && u->skill_plus1 != 0 &&
             u->skill_plus1 <= e->n_skills) {
    const struct mt__skill *k = &e->skills[u->skill_plus1 - 1];
    mt__sb_printf(&b,
                  english ? "Lacks %s (%s), which the nearest vacancy requires and no BLK "
                            "course teaches."
                          : "Belum menguasai %s (%s) yang diwajibkan lowongan terdekat dan "
                            "tidak diajarkan kursus BLK mana pun.",
                  english ? k->name_en : k->name_id, k->code);
  } else {
    mt__sb_printf(&b, "%s", english ? mt_reason_text_en(u->reason) : mt_reason_text_id(u->reason));
  }
}
