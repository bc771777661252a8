/*
 * match.c — the city-wide match run.  Every ranked pair is found and scored
 * once, through a skill index that skips the pairs a missing must-have skill
 * rules out (or by the kernel, block by block, where the index would not
 * pay); each eligible resident keeps its best candidates_per_resident
 * vacancies by key (ties by vacancy id) in a small heap, and the best rule
 * any of its pairs reached, which becomes its reason when it ends
 * unmatched.  The sparse lists become an assignment instance in
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
#include <pthread.h>
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

/* A ranked pair found by either path below: to the resident's heap, or
 * counted when the pair is banned. */
static void offer(struct cands *h, const struct bans *b, size_t slot, float key, uint32_t pos) {
  if (b->has != NULL && b->has[slot] && banned(b, slot, pos)) {
    b->ranked[slot]++;
    return;
  }
  cand_offer(h, slot, key, pos);
}

/* Resident blocks scored together against each vacancy.  The kernel reads
 * a vacancy's record and commute table whole; taking a group of blocks at
 * a time keeps both the group's resident arrays (a few hundred KB) and the
 * vacancy's data in cache, where one block per pass would fetch every
 * vacancy afresh for every block. */
#define SCORE_GROUP 16

/* Scores every resident block of e against the open vacancies at the
 * positions pos[0..n_pos) of vorder with the kernel, raising best[] to the
 * closest rule each resident reaches and offering the ranked pairs (none
 * when h is NULL).  Offers reach the candidate heaps in a different order
 * from one grouping to another, but the heaps' order is total, so the
 * lists do not depend on it. */
static void score_blocks(const struct mt_engine *e, const uint32_t *vorder, const uint32_t *pos,
                         size_t n_pos, struct cands *h, int32_t *best, const struct bans *b) {
  float key[MT__BLOCK], fit[MT__BLOCK];
  struct mt__kargs a = {.e = e, .overlay_course = -1.0f, .reasons = 1, .key = key, .fit = fit};
  for (size_t g0 = 0; g0 < e->r.n; g0 += SCORE_GROUP * MT__BLOCK) {
    const size_t g1 = g0 + SCORE_GROUP * MT__BLOCK < e->r.n ? g0 + SCORE_GROUP * MT__BLOCK : e->r.n;
    for (size_t t = 0; t < n_pos; t++) {
      const uint32_t j = pos[t];
      a.v = &e->vac[vorder[j]];
      for (size_t i0 = g0; i0 < g1; i0 += MT__BLOCK) {
        a.i0 = i0;
        a.best = best + i0;
        e->kernel(&a);
        if (a.max_key < 0.0f || h == NULL)
          continue;
        /* Ranked lanes are rare and lie in the chunks the kernel marks. */
        for (uint32_t m = a.chunks; m != 0; m &= m - 1) {
          const size_t c0 = (size_t)__builtin_ctz(m) * MT__CHUNK;
          for (size_t i = c0; i < c0 + MT__CHUNK; i++)
            if (key[i] >= 0.0f)
              offer(h, b, i0 + i, key[i], j);
        }
      }
    }
  }
}

/* ---- scoring through the skill index ---------------------------------------------- */

/* A pair can be ranked only if the resident holds every must-have skill of
 * the vacancy, and most residents hold few skills.  So each vacancy is
 * listed under one of its must-have skills, the one the fewest residents of
 * the run hold (its pivot), and each resident is scored only against the
 * vacancies listed under the skills it holds: at city scale two of every
 * hundred pairs, each one exactly once.  Residents are taken one at a time,
 * so a resident's record and candidate heap stay in cache while its
 * vacancies pass, and each pair is scored with mt__pair_eval on the inputs
 * the kernel gives it, so the keys are the kernel's to the bit.  A vacancy
 * without must-have skills, or whose pivot more than 1/INDEX_SHARE of the
 * residents hold, goes through the kernel instead.
 *
 * The kernel also records, per resident, the closest rule any pair reached
 * (the reason of an unmatched resident).  For a resident with a ranked pair
 * that is "eligible" whatever else it reached; only the residents the index
 * found no ranked pair for need the rest, and they are few, so they are
 * copied into blocks of their own (mt__residents_gather) and passed through
 * the kernel against the indexed vacancies. */
#define INDEX_SHARE 8

struct pivots {
  uint32_t *off;         /* n_skills + 1: skill k's vacancies are entries off[k] .. off[k+1] */
  uint32_t *pos;         /* entry t: the vacancy's position in vorder, ascending per skill */
  struct mt__vacancy *v; /* entry t: a copy of its record, so that a list is contiguous */
  uint32_t *rule;        /* entry t: min_edu | min_age << 8 | (max_age or 255) << 16 */
  size_t n;              /* entries */
};

static void pivots_free(struct pivots *x) {
  free(x->off);
  free(x->pos);
  free(x->v);
  free(x->rule);
}

/* held[k] = how many taken residents hold skill k. */
static void count_held(const struct mt_engine *e, const uint8_t *take, uint32_t *held) {
  const struct mt__residents *r = &e->r;
  for (size_t i = 0; i < r->n; i++)
    if (take[i])
      for (size_t w = 0; w < e->w; w++)
        for (uint64_t m = r->skills[w][i]; m != 0; m &= m - 1)
          held[w * 64 + (size_t)__builtin_ctzll(m)]++;
}

/* The must-have skill of v held by the fewest, or SIZE_MAX if v has none. */
static size_t rarest_must(const struct mt__vacancy *v, const uint32_t *held) {
  size_t best = SIZE_MAX;
  for (size_t j = 0; j < v->n_rel; j++) {
    const size_t w = v->rel[j];
    for (uint64_t m = v->must[w]; m != 0; m &= m - 1) {
      const size_t k = w * 64 + (size_t)__builtin_ctzll(m);
      if (best == SIZE_MAX || held[k] < held[best])
        best = k;
    }
  }
  return best;
}

/* Lists each open vacancy under its pivot, or in kpos[0..*n_kernel) when
 * the kernel should score it. */
static enum mt_status pivots_make(const struct mt_engine *e, const uint32_t *vorder, size_t n_open,
                                  const uint32_t *held, size_t n_taken, struct pivots *x,
                                  uint32_t *kpos, size_t *n_kernel) {
  uint32_t *pivot = malloc((n_open + 1) * sizeof *pivot);
  x->off = calloc(e->n_skills + 2, sizeof *x->off);
  x->pos = malloc((n_open + 1) * sizeof *x->pos);
  x->v = malloc((n_open + 1) * sizeof *x->v);
  x->rule = malloc((n_open + 1) * sizeof *x->rule);
  if (pivot == NULL || x->off == NULL || x->pos == NULL || x->v == NULL || x->rule == NULL) {
    free(pivot);
    return MT_ENOMEM;
  }
  *n_kernel = 0;
  for (uint32_t j = 0; j < n_open; j++) {
    const size_t k = rarest_must(&e->vac[vorder[j]], held);
    pivot[j] = UINT32_MAX;
    if (k == SIZE_MAX ||
        (e->scoring == MT__SCORE_AUTO && (size_t)held[k] * INDEX_SHARE > n_taken)) {
      kpos[(*n_kernel)++] = j;
      continue;
    }
    pivot[j] = (uint32_t)k;
    x->off[k + 2]++;
  }
  for (size_t k = 0; k < e->n_skills; k++)
    x->off[k + 2] += x->off[k + 1];
  /* off[k + 1] is skill k's cursor while filling, its end afterwards */
  for (uint32_t j = 0; j < n_open; j++) {
    if (pivot[j] == UINT32_MAX)
      continue;
    const uint32_t t = x->off[pivot[j] + 1]++;
    const struct mt__vacancy *v = &e->vac[vorder[j]];
    x->pos[t] = j;
    x->v[t] = *v;
    x->rule[t] =
        (uint32_t)v->min_edu | (uint32_t)v->min_age << 8 | (v->max_age ? v->max_age : 255u) << 16;
  }
  x->n = x->off[e->n_skills];
  free(pivot);
  return MT_OK;
}

/* Scores resident slot against every vacancy listed under a skill it
 * holds (commute: entry t's commute value from the resident's kelurahan);
 * returns 1 if any pair is ranked.  The rules are the kernel's
 * (resident status aside: only eligible residents are taken; an unknown
 * minimum education is 0, which every level meets), the cheapest first. */
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__)) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
static int
score_resident(const struct mt_engine *e, const struct pivots *x, const float *commute, size_t slot,
               struct cands *h, const struct bans *b, int32_t *best) {
  const struct mt__residents *r = &e->r;
  uint64_t s[MT__MAXW], c[MT__MAXW];
  for (size_t w = 0; w < e->w; w++) {
    s[w] = r->skills[w][slot];
    c[w] = r->cert[w][slot];
  }
  const uint32_t edu = r->edu[slot], age = r->age[slot], smk = r->smk[slot];
  const uint32_t pref = r->pref[slot], shifts = r->shifts[slot];
  const float mult = r->mult[slot];
  /* Without a completed course every sector's course value is -1 (see
   * resident_derive()); most residents have none, and the sixteen sector
   * arrays would cost a cache line each. */
  int completed = 0;
  for (size_t w = 0; w < e->cw; w++)
    completed |= r->courses[slot * e->cw + w] != 0;
  int any = 0;
  for (size_t w = 0; w < e->w; w++)
    for (uint64_t m = s[w]; m != 0; m &= m - 1) {
      const size_t k = w * 64 + (size_t)__builtin_ctzll(m);
      for (uint32_t t = x->off[k]; t < x->off[k + 1]; t++) {
        const uint32_t rule = x->rule[t];
        if (edu < (rule & 0xFFu) || age < ((rule >> 8) & 0xFFu) || age > rule >> 16)
          continue;
        const struct mt__vacancy *v = &x->v[t];
        uint32_t miss = 0, mc = 0, nm = 0, nc = 0;
        for (size_t j = 0; j < v->n_rel; j++) {
          const size_t rw = v->rel[j];
          miss |= (uint32_t)((v->must[rw] & ~s[rw]) != 0);
          mc += mt__popcount(v->must[rw] & c[rw]);
          nm += mt__popcount(v->nice[rw] & s[rw]);
          nc += mt__popcount(v->nice[rw] & c[rw]);
        }
        if (miss)
          continue;
        struct mt__pair p;
        float course = completed ? r->course[v->vocation][slot] : -1.0f;
        course = mt__fsel(course > -1.0f, course, -1.0f);
        mt__pair_eval(e, v, 0, mc, nm, nc, edu, smk, commute[t], course, pref, shifts, mult, &p);
        if (p.fit < e->min_fit)
          continue;
        any = 1;
        const int32_t ob = mt__order_bits(p.key);
        best[slot] = ob > best[slot] ? ob : best[slot];
        offer(h, b, slot, p.key, x->pos[t]);
      }
    }
  return any;
}

/* One share of score_listed()'s residents: the kelurahan [k0, k1), whose
 * residents are by_kel[end[k - 1] .. end[k]), with its own commute array
 * (x->n values).  Shares write to disjoint residents' heaps, best and
 * ranked entries only. */
struct listed_share {
  const struct mt_engine *e;
  const struct pivots *x;
  const uint32_t *by_kel, *end;
  size_t k0, k1;
  float *commute;
  struct cands *h;
  const struct bans *b;
  int32_t *best;
  uint8_t *ranked;
};

static void *listed_share_run(void *arg) {
  const struct listed_share *p = arg;
  size_t u = p->k0 > 0 ? p->end[p->k0 - 1] : 0;
  for (size_t k = p->k0; k < p->k1; k++) {
    if (u == p->end[k])
      continue;
    for (size_t t = 0; t < p->x->n; t++)
      p->commute[t] = p->x->v[t].commute[k];
    for (; u < p->end[k]; u++)
      p->ranked[p->by_kel[u]] =
          (uint8_t)score_resident(p->e, p->x, p->commute, p->by_kel[u], p->h, p->b, p->best);
  }
  return NULL;
}

/* Below this many residents a second thread costs more than it saves. */
#define THREAD_MIN_RESIDENTS 4096

/* Scores every taken resident through the index, kelurahan by kelurahan so
 * that the commute values of the listed vacancies are one small array;
 * marks in ranked[] the residents with a ranked pair.  A large run splits
 * the kelurahan in two shares of about as many residents and scores the
 * second on a thread of its own (or after the first, if none can start);
 * the heaps' order being total, the result is the same either way. */
static enum mt_status score_listed(const struct mt_engine *e, const uint8_t *take,
                                   const struct pivots *x, struct cands *h, const struct bans *b,
                                   int32_t *best, uint8_t *ranked) {
  const struct mt__residents *r = &e->r;
  const size_t nk = e->n_kel + 1; /* n_kel: unknown */
  enum mt_status st = MT_ENOMEM;
  uint32_t *end = calloc(nk + 1, sizeof *end);
  uint32_t *by_kel = malloc((r->n + 1) * sizeof *by_kel);
  float *commute = malloc((2 * x->n + 1) * sizeof *commute);
  if (end == NULL || by_kel == NULL || commute == NULL)
    goto cleanup;
  for (size_t i = 0; i < r->n; i++)
    if (take[i])
      end[r->kel[i] + 1]++;
  for (size_t k = 0; k < nk; k++)
    end[k + 1] += end[k];
  for (size_t i = 0; i < r->n; i++)
    if (take[i])
      by_kel[end[r->kel[i]]++] = (uint32_t)i;
  /* end[k] is now the end of kelurahan k's residents */
  const size_t n = nk > 0 ? end[nk - 1] : 0;
  size_t split = nk;
  if (n >= THREAD_MIN_RESIDENTS)
    for (split = 0; split < nk && end[split] < n / 2; split++)
      ;
  struct listed_share a = {e, x, by_kel, end, 0, split, commute, h, b, best, ranked};
  struct listed_share c = {e, x, by_kel, end, split, nk, commute + x->n, h, b, best, ranked};
  pthread_t th;
  const int threaded = split < nk && pthread_create(&th, NULL, listed_share_run, &c) == 0;
  listed_share_run(&a);
  if (threaded)
    pthread_join(th, NULL);
  else
    listed_share_run(&c);
  st = MT_OK;
cleanup:
  free(end);
  free(by_kel);
  free(commute);
  return st;
}

/* The closest rule reached by the residents the index ranked nothing for:
 * those of rorder[0..n_elig) without a mark in ranked[], over the indexed
 * vacancies (the others already raised best[]). */
static enum mt_status unranked_best(const struct mt_engine *e, const uint32_t *vorder,
                                    const uint32_t *pos, size_t n_pos, const uint32_t *rorder,
                                    size_t n_elig, const uint8_t *ranked, int32_t *best) {
  enum mt_status st = MT_ENOMEM;
  struct mt__residents sub = {0};
  int32_t *sub_best = NULL;
  size_t n = 0;
  uint32_t *slots = malloc((n_elig + 1) * sizeof *slots);
  if (slots == NULL)
    return MT_ENOMEM;
  for (size_t l = 0; l < n_elig; l++)
    if (!ranked[rorder[l]])
      slots[n++] = rorder[l];
  if (n == 0 || n_pos == 0) {
    st = MT_OK;
    goto cleanup;
  }
  if (mt__residents_gather(e, slots, n, &sub) != MT_OK)
    goto cleanup;
  sub_best = malloc(sub.cap * sizeof *sub_best);
  if (sub_best == NULL)
    goto cleanup;
  for (size_t k = 0; k < sub.cap; k++)
    sub_best[k] = k < n ? best[slots[k]] : mt__order_bits(MT__K_RESIDENT);
  struct mt_engine few = *e;
  few.r = sub;
  score_blocks(&few, vorder, pos, n_pos, NULL, sub_best, NULL);
  for (size_t k = 0; k < n; k++)
    best[slots[k]] = sub_best[k];
  st = MT_OK;
cleanup:
  mt__residents_free(e, &sub);
  free(sub_best);
  free(slots);
  return st;
}

/* Scores the run's residents (take[slot] set; rorder[0..n_elig) the same
 * slots by id) against the open vacancies vorder[0..n_open): the candidate
 * heaps and best[] as score_blocks() over every pair would leave them, for
 * the residents taken. */
static enum mt_status score_indexed(const struct mt_engine *e, const uint32_t *vorder,
                                    size_t n_open, const uint32_t *rorder, size_t n_elig,
                                    const uint8_t *take, struct cands *h, int32_t *best,
                                    const struct bans *b) {
  enum mt_status st = MT_ENOMEM;
  struct pivots x = {0};
  uint32_t *held = calloc(e->n_skills + 1, sizeof *held);
  uint32_t *kpos = calloc(n_open + 1, sizeof *kpos);
  uint32_t *ipos = calloc(n_open + 1, sizeof *ipos);
  uint8_t *ranked = calloc(e->r.cap, 1);
  size_t n_kernel = 0, n_indexed = 0;
  if (held == NULL || kpos == NULL || ipos == NULL || ranked == NULL)
    goto cleanup;
  count_held(e, take, held);
  if (pivots_make(e, vorder, n_open, held, n_elig, &x, kpos, &n_kernel) != MT_OK)
    goto cleanup;
  if (score_listed(e, take, &x, h, b, best, ranked) != MT_OK)
    goto cleanup;
  score_blocks(e, vorder, kpos, n_kernel, h, best, b);
  if (n_kernel > 0)
    for (size_t i = 0; i < e->r.n; i++)
      ranked[i] |= best[i] >= 0; /* a key, not a rule's code */
  for (size_t t = 0; t < x.n; t++)
    ipos[n_indexed++] = x.pos[t];
  st = unranked_best(e, vorder, ipos, n_indexed, rorder, n_elig, ranked, best);
cleanup:
  pivots_free(&x);
  free(held);
  free(kpos);
  free(ipos);
  free(ranked);
  return st;
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

/* Everything one run holds while it builds, solves and reads out its
 * instance; the phases below fill it in order and run_free() releases it. */
struct run {
  const struct mt_engine *e;
  const struct mt_run_input *in;
  int ex; /* the caller passed a run input: tie codes and unmatched detail */
  struct mt_match_result *res;
  uint32_t *vorder, *rorder, *cap, *fillc, *ids, *vpos, *reach, *unl, *n_course_arcs, *vid;
  uint64_t *vtie;
  struct id_slot *tmp;
  int32_t *best;
  struct cands h;
  struct bans bn;
  struct offer *offers;
  uint8_t *skip, *want;
  struct mt__arc *arcs;
  uint8_t *chosen;
  size_t n_open, n_elig, n_arcs, n_offers;
};

static void run_free(struct run *r) {
  mt_match_result_free(r->res);
  free(r->vorder);
  free(r->vpos);
  free(r->vid);
  free(r->vtie);
  free(r->rorder);
  free(r->ids);
  free(r->tmp);
  free(r->cap);
  free(r->fillc);
  free(r->best);
  free(r->skip);
  free(r->want);
  free(r->offers);
  free(r->reach);
  free(r->unl);
  free(r->n_course_arcs);
  free(r->bn.pair);
  free(r->bn.has);
  free(r->bn.ranked);
  free(r->h.key);
  free(r->h.vac);
  free(r->h.n);
  free(r->arcs);
  free(r->chosen);
}

/* Open vacancies and eligible residents, each in id order; residents who
 * already have an open step sit this run out. */
static enum mt_status order_open(struct run *r) {
  const struct mt_engine *e = r->e;
  const struct mt_run_input *in = r->in;
  r->res = calloc(1, sizeof *r->res);
  r->vorder = malloc((e->n_vac + 1) * sizeof *r->vorder);
  r->vpos = malloc((e->n_vac + 1) * sizeof *r->vpos);
  r->rorder = malloc((e->r.n + 1) * sizeof *r->rorder);
  r->best = malloc(e->r.cap * sizeof *r->best);
  r->skip = calloc(e->r.cap + 1, 1);
  r->offers = malloc((in->n_batches + 1) * sizeof *r->offers);
  if (r->res == NULL || r->vorder == NULL || r->vpos == NULL || r->rorder == NULL ||
      r->best == NULL || r->skip == NULL || r->offers == NULL)
    return MT_ENOMEM;
  for (size_t k = 0; k < in->n_busy; k++) {
    size_t slot = mt__idmap_get(&e->rmap, in->busy[k]);
    if (slot != SIZE_MAX)
      r->skip[slot] = 1;
  }
  for (size_t j = 0; j < e->n_vac; j++)
    if (e->vac[j].status == MT_R_ELIGIBLE && !in->no_jobs)
      r->vorder[r->n_open++] = (uint32_t)j;
  for (size_t i = 0; i < e->r.n; i++)
    if (e->r.status[i] == MT_R_ELIGIBLE && !r->skip[i])
      r->rorder[r->n_elig++] = (uint32_t)i;
  const size_t most = r->n_open > r->n_elig ? r->n_open : r->n_elig;
  r->tmp = malloc(most * sizeof *r->tmp + 1);
  r->ids = malloc(most * sizeof *r->ids + 1);
  if (r->tmp == NULL || r->ids == NULL)
    return MT_ENOMEM;
  for (size_t j = 0; j < r->n_open; j++)
    r->ids[j] = e->vac[r->vorder[j]].id;
  sort_by_id(r->vorder, r->ids, r->n_open, r->tmp);
  for (size_t l = 0; l < r->n_elig; l++)
    r->ids[l] = e->r.id[r->rorder[l]];
  sort_by_id(r->rorder, r->ids, r->n_elig, r->tmp);
  for (size_t j = 0; j < e->n_vac; j++)
    r->vpos[j] = UINT32_MAX;
  for (size_t j = 0; j < r->n_open; j++)
    r->vpos[r->vorder[j]] = (uint32_t)j;
  return MT_OK;
}

/* Pairs that ended recently, as (slot, position), sorted for banned(). */
static enum mt_status collect_bans(struct run *r) {
  const struct mt_engine *e = r->e;
  const struct mt_run_input *in = r->in;
  struct bans *bn = &r->bn;
  if (in->n_bans == 0)
    return MT_OK;
  bn->pair = malloc(in->n_bans * sizeof *bn->pair);
  bn->has = calloc(e->r.cap, 1);
  if (bn->pair == NULL || bn->has == NULL)
    return MT_ENOMEM;
  for (size_t k = 0; k < in->n_bans; k++) {
    size_t slot = mt__idmap_get(&e->rmap, in->bans[k].resident_id);
    size_t j = mt__idmap_get(&e->vmap, in->bans[k].vacancy_id);
    if (slot == SIZE_MAX || j == SIZE_MAX || r->vpos[j] == UINT32_MAX)
      continue;
    bn->pair[bn->n++] = (uint64_t)slot << 32 | r->vpos[j];
    bn->has[slot] = 1;
  }
  qsort(bn->pair, bn->n, sizeof *bn->pair, cmp_u64);
  return MT_OK;
}

/* Each resident's candidate heap and best rule reached, over every open
 * vacancy; also allocates the room and fill counts of every right node. */
static enum mt_status score_candidates(struct run *r) {
  const struct mt_engine *e = r->e;
  const size_t n_right = r->n_open + r->in->n_batches + 1;
  struct cands *h = &r->h;
  r->bn.ranked = calloc(e->r.cap, sizeof *r->bn.ranked);
  h->c = e->cfg.candidates_per_resident < r->n_open ? e->cfg.candidates_per_resident : r->n_open;
  if (h->c == 0)
    h->c = 1;
  h->key = malloc(e->r.cap * h->c * sizeof *h->key);
  h->vac = malloc(e->r.cap * h->c * sizeof *h->vac);
  h->n = calloc(e->r.cap, sizeof *h->n);
  r->cap = malloc(n_right * sizeof *r->cap);
  r->fillc = calloc(n_right, sizeof *r->fillc);
  if (r->bn.ranked == NULL || h->key == NULL || h->vac == NULL || h->n == NULL || r->cap == NULL ||
      r->fillc == NULL)
    return MT_ENOMEM;
  for (size_t i = 0; i < e->r.cap; i++)
    r->best[i] = mt__order_bits(MT__K_RESIDENT);
  enum mt_status st = MT_OK;
  if (e->scoring == MT__SCORE_KERNEL) {
    uint32_t *all = calloc(r->n_open + 1, sizeof *all);
    if (all == NULL)
      return MT_ENOMEM;
    for (size_t j = 0; j < r->n_open; j++)
      all[j] = (uint32_t)j;
    score_blocks(e, r->vorder, all, r->n_open, h, r->best, &r->bn);
    free(all);
  } else {
    uint8_t *take = calloc(e->r.cap, 1);
    if (take == NULL)
      return MT_ENOMEM;
    for (size_t l = 0; l < r->n_elig; l++)
      take[r->rorder[l]] = 1;
    st = score_indexed(e, r->vorder, r->n_open, r->rorder, r->n_elig, take, h, r->best, &r->bn);
    free(take);
  }
  for (size_t i = 0; i < e->r.cap; i++)
    if (r->skip[i])
      h->n[i] = 0; /* busy residents may have been scored with the rest; they take no arc */
  return st;
}

/* A vacancy's room is its cap less the open referrals it already holds; a
 * batch with seats and a course that places anyone becomes an offer. */
static void set_rooms(struct run *r) {
  const struct mt_engine *e = r->e;
  const struct mt_run_input *in = r->in;
  for (size_t j = 0; j < r->n_open; j++) {
    double c = ceil((double)e->vac[r->vorder[j]].openings_left * e->cfg.shortlist_factor - 1e-9);
    r->cap[j] = c >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)c;
  }
  for (size_t k = 0; k < in->n_loads; k++) {
    size_t j = mt__idmap_get(&e->vmap, in->loads[k].vacancy_id);
    if (j == SIZE_MAX || r->vpos[j] == UINT32_MAX)
      continue;
    uint32_t *c = &r->cap[r->vpos[j]];
    *c = *c > in->loads[k].open ? *c - in->loads[k].open : 0;
  }
  for (size_t k = 0; k < in->n_batches; k++) {
    const struct mt_batch_seats *b = &in->batches[k];
    for (size_t c = 0; b->seats > 0 && c < e->n_courses; c++)
      if (e->courses[c].id == b->course_id && e->courses[c].placement_rate > 0.0) {
        r->offers[r->n_offers] = (struct offer){b, (uint32_t)c};
        r->cap[r->n_open + r->n_offers++] = b->seats;
        break;
      }
  }
}

/* Only residents no vacancy ranks are offered seats or told which course
 * would help, so only they need the (costly) course reach. */
static enum mt_status reach_courses(struct run *r) {
  const struct mt_engine *e = r->e;
  if (e->n_courses == 0 || !r->ex)
    return MT_OK;
  r->reach = calloc(e->r.cap * e->n_courses + 1, sizeof *r->reach);
  r->want = malloc(e->r.cap + 1);
  if (r->reach == NULL || r->want == NULL)
    return MT_ENOMEM;
  for (size_t i = 0; i < e->r.cap; i++)
    r->want[i] = e->r.status[i] == MT_R_ELIGIBLE && !r->skip[i] && !has_room(&r->h, i, r->cap);
  return mt__course_reach(e, r->reach, r->want);
}

/* Counts the arcs of the instance: each resident's ranked vacancies and,
 * for a resident no vacancy with room ranks, the batches that help it. */
static void count_arcs(struct run *r) {
  const struct mt_engine *e = r->e;
  for (size_t l = 0; l < r->n_elig; l++) {
    const size_t slot = r->rorder[l];
    r->n_arcs += r->h.n[slot];
    if (r->reach == NULL || has_room(&r->h, slot, r->cap))
      continue;
    for (size_t k = 0; k < r->n_offers; k++)
      if (r->reach[slot * e->n_courses + r->offers[k].course] > 0 &&
          !course_done(e, slot, r->offers[k].course))
        r->n_course_arcs[l]++;
    r->n_arcs += r->n_course_arcs[l];
  }
}

/* Appends one arc to the instance and to the result's copy of it. */
static void add_arc(struct run *r, uint32_t l, uint32_t right, int64_t g, struct mt_arc out) {
  r->arcs[r->n_arcs] = (struct mt__arc){l, right, g};
  out.gain = g;
  r->res->arcs[r->n_arcs++] = out;
}

/* The instance in canonical order: per resident its vacancies, then (for
 * a resident no vacancy ranks) its batches. */
static enum mt_status build_arcs(struct run *r) {
  const struct mt_engine *e = r->e;
  r->n_course_arcs = calloc(r->n_elig + 1, sizeof *r->n_course_arcs);
  if (r->n_course_arcs == NULL)
    return MT_ENOMEM;
  count_arcs(r);
  r->arcs = malloc((r->n_arcs + 1) * sizeof *r->arcs);
  r->chosen = calloc(r->n_arcs + 1, 1);
  r->res->arcs = malloc((r->n_arcs + 1) * sizeof *r->res->arcs);
  if (r->arcs == NULL || r->chosen == NULL || r->res->arcs == NULL)
    return MT_ENOMEM;
  /* each open vacancy's id and tie hash, by position */
  r->vid = malloc((r->n_open + 1) * sizeof *r->vid);
  r->vtie = malloc((r->n_open + 1) * sizeof *r->vtie);
  if (r->vid == NULL || r->vtie == NULL)
    return MT_ENOMEM;
  for (size_t j = 0; j < r->n_open; j++) {
    r->vid[j] = e->vac[r->vorder[j]].id;
    r->vtie[j] = mt__tie_right(r->vid[j], 0);
  }
  r->n_arcs = 0;
  for (size_t l = 0; l < r->n_elig; l++) {
    size_t slot = r->rorder[l], n = r->h.n[slot];
    float *k = &r->h.key[slot * r->h.c];
    uint32_t *v = &r->h.vac[slot * r->h.c];
    sort_cands(k, v, n);
    const int64_t bits = mt__tie_bits(e, slot);
    const uint64_t tkey = mt__tie_key(e, slot);
    for (size_t t = 0; t < n; t++) {
      int64_t g = llround((double)k[t] * 1e6);
      if (r->ex)
        g = mt__tied_gain(g, mt__tie_join(bits, tkey, r->vtie[v[t]]));
      add_arc(r, (uint32_t)l, v[t], g, (struct mt_arc){e->r.id[slot], r->vid[v[t]], 0, 0});
    }
    if (r->n_course_arcs[l] == 0)
      continue;
    for (size_t b = 0; b < r->n_offers; b++) {
      const uint32_t c = r->offers[b].course;
      const uint32_t x = r->reach[slot * e->n_courses + c];
      if (x == 0 || course_done(e, slot, c))
        continue;
      const double val = step_value(e, &e->courses[c], r->offers[b].b, x);
      const float key = (float)(100.0 * val) * e->r.mult[slot];
      const int64_t g = mt__tied_gain(llround((double)key * 1e6),
                                      mt__tie_code(e, slot, r->offers[b].b->batch_id, 1));
      add_arc(r, (uint32_t)l, (uint32_t)(r->n_open + b), g,
              (struct mt_arc){e->r.id[slot], 0, r->offers[b].b->batch_id, 0});
    }
  }
  r->res->n_arcs = r->n_arcs;
  return MT_OK;
}

/* Allocates the result's lists for the chosen arcs. */
static enum mt_status alloc_results(struct run *r) {
  struct mt_match_result *res = r->res;
  size_t n_chosen = 0, n_chosen_steps = 0;
  for (size_t t = 0; t < r->n_arcs; t++) {
    n_chosen += r->chosen[t] != 0;
    n_chosen_steps += r->chosen[t] != 0 && r->arcs[t].right >= r->n_open;
  }
  res->proposals = malloc((n_chosen + 1) * sizeof *res->proposals);
  res->steps = calloc(n_chosen_steps + 1, sizeof *res->steps);
  res->fill = malloc((r->n_open + 1) * sizeof *res->fill);
  res->batch_fill = malloc((r->n_offers + 1) * sizeof *res->batch_fill);
  res->unmatched =
      calloc(r->n_elig - (n_chosen < r->n_elig ? n_chosen : r->n_elig) + 1, sizeof *res->unmatched);
  r->unl = malloc((r->e->n_vac + 1) * sizeof *r->unl);
  if (res->proposals == NULL || res->steps == NULL || res->fill == NULL ||
      res->batch_fill == NULL || res->unmatched == NULL || r->unl == NULL)
    return MT_ENOMEM;
  return MT_OK;
}

/* The course step of a chosen batch arc, with the vacancies it unlocks. */
static enum mt_status add_course_step(struct run *r, size_t slot, const struct offer *o) {
  const struct mt_engine *e = r->e;
  struct mt_match_result *res = r->res;
  const struct mt__course *co = &e->courses[o->course];
  const uint32_t x = r->reach[slot * e->n_courses + o->course];
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
  s->n_unlocked = mt__course_unlocked(e, slot, o->course, r->unl);
  s->unlocked = malloc((s->n_unlocked + 1) * sizeof *s->unlocked);
  if (s->unlocked == NULL)
    return MT_ENOMEM;
  memcpy(s->unlocked, r->unl, s->n_unlocked * sizeof *r->unl);
  res->n_steps++;
  res->total_key += s->key;
  return MT_OK;
}

/* The proposal of a chosen vacancy arc. */
static void add_proposal(struct run *r, size_t slot, uint32_t right) {
  const struct mt_engine *e = r->e;
  struct mt_match_result *res = r->res;
  const struct mt__vacancy *v = &e->vac[r->vorder[right]];
  struct mt__pair p;
  mt__pair_score(e, slot, v, NULL, -1.0f, 0, &p);
  res->proposals[res->n_proposals++] =
      (struct mt_proposal){e->r.id[slot], v->id, p.fit, e->r.prio[slot], p.key};
  res->total_key += p.key;
}

/* What one resident's arcs say when none was chosen: the batch arcs it had
 * and the course that would open most to it. */
struct missed {
  uint32_t course_arcs, best_course;
  double best_x;
};

/* Reads out the arcs of resident l starting at *t: its proposal or course
 * step, its targeting counts, and its unmatched entry when nothing was
 * chosen.  Advances *t past them. */
static enum mt_status read_resident(struct run *r, size_t l, size_t *t, const uint64_t *taught) {
  const struct mt_engine *e = r->e;
  struct mt_match_result *res = r->res;
  const size_t slot = r->rorder[l];
  int matched = 0;
  struct missed m = {0, 0, -1.0};
  const unsigned groups = mt_resident_groups(e, e->r.id[slot]);
  const size_t steps_before = res->n_steps, props_before = res->n_proposals;
  for (; *t < r->n_arcs && r->arcs[*t].left == l; (*t)++) {
    const uint32_t right = r->arcs[*t].right;
    if (right >= r->n_open) {
      /* the course that would open most to it: reach × rate, neither
       * capped nor discounted, so that the suggestion is not simply the
       * batch that ends first */
      const struct offer *o = &r->offers[right - r->n_open];
      const double x =
          r->reach[slot * e->n_courses + o->course] * e->courses[o->course].placement_rate;
      m.course_arcs++;
      if (x > m.best_x) {
        m.best_x = x;
        m.best_course = o->b->course_id;
      }
    }
    if (!r->chosen[*t])
      continue;
    r->fillc[right]++;
    matched = 1;
    if (right >= r->n_open) {
      if (add_course_step(r, slot, &r->offers[right - r->n_open]) != MT_OK)
        return MT_ENOMEM;
      continue;
    }
    add_proposal(r, slot, right);
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
        r->n_open == 0 ? MT_R_NO_OPENINGS : mt__code_reason(mt__unorder_bits(r->best[slot]));
    struct mt_unmatched *u = &res->unmatched[res->n_unmatched++];
    *u = (struct mt_unmatched){.resident_id = e->r.id[slot], .reason = why};
    if (r->ex) {
      u->n_full = r->h.n[slot];
      u->n_banned = r->bn.ranked[slot];
      u->n_full_batches = m.course_arcs;
      u->course_id = m.best_course;
      unmatched_detail(e, slot, r->reach, taught, u);
    }
  }
  return MT_OK;
}

/* Proposals and course steps (arcs are in resident id order, one chosen
 * per resident at most), fill and the unmatched. */
static enum mt_status read_out(struct run *r) {
  const struct mt_engine *e = r->e;
  struct mt_match_result *res = r->res;
  if (alloc_results(r) != MT_OK)
    return MT_ENOMEM;
  uint64_t taught[MT__MAXW] = {0}; /* skills some course teaches */
  for (size_t c = 0; c < e->n_courses; c++)
    for (size_t w = 0; w < e->w; w++)
      taught[w] |= e->courses[c].skills[w];
  size_t t = 0;
  for (size_t l = 0; l < r->n_elig; l++)
    if (read_resident(r, l, &t, taught) != MT_OK)
      return MT_ENOMEM;
  for (size_t j = 0; j < r->n_open; j++)
    res->fill[j] = (struct mt_fill){e->vac[r->vorder[j]].id, r->cap[j], r->fillc[j]};
  res->n_fill = r->n_open;
  for (size_t b = 0; b < r->n_offers; b++)
    res->batch_fill[b] =
        (struct mt_fill){r->offers[b].b->batch_id, r->cap[r->n_open + b], r->fillc[r->n_open + b]};
  res->n_batch_fill = r->n_offers;
  return MT_OK;
}

enum mt_status mt_match_run_ex(const struct mt_engine *e, enum mt_algorithm algo,
                               const struct mt_run_input *in, struct mt_match_result **out) {
  static const struct mt_run_input none = {0};
  struct run r = {0};
  enum mt_status st;

  if (e == NULL || out == NULL || (algo != MT_EXACT && algo != MT_GREEDY_BASELINE))
    return MT_EINVAL;
  *out = NULL;
  r.e = e;
  r.ex = in != NULL;
  r.in = in != NULL ? in : &none;
  st = order_open(&r);
  if (st == MT_OK)
    st = collect_bans(&r);
  if (st == MT_OK)
    st = score_candidates(&r);
  if (st == MT_OK) {
    set_rooms(&r);
    st = reach_courses(&r);
  }
  if (st == MT_OK)
    st = build_arcs(&r);
  if (st == MT_OK && algo == MT_EXACT)
    st = mt__assign_exact(r.n_elig, r.n_open + r.n_offers, r.cap, r.arcs, r.n_arcs, r.chosen,
                          &r.res->total_gain);
  else if (st == MT_OK)
    st = mt__assign_greedy(r.n_elig, r.n_open + r.n_offers, r.cap, r.arcs, r.n_arcs, r.chosen,
                           &r.res->total_gain);
  if (st == MT_OK)
    st = read_out(&r);
  if (st == MT_OK) {
    *out = r.res;
    r.res = NULL;
  }
  run_free(&r);
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
