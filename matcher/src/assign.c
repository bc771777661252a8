/*
 * assign.c — the exact solver behind a match run (DESIGN.md §5.4): choose at
 * most one referral per resident and at most cap[v] per vacancy, maximising
 * the total gain.  This is a maximum-weight b-matching with unit supplies on
 * one side (a transportation problem), here with 50,000 residents, 5,000
 * vacancies, ~90,000 places and ~1,000,000 arcs.
 *
 * Choice of method.  Successive shortest paths alone needs one Dijkstra per
 * resident, and late in the run those searches grow large; generic network
 * simplex (LEMON's, the comparison in scripts/bench) pivots over the whole
 * graph.  An ε-scaling auction (Bertsekas) fits the shape better: residents
 * have ~20 arcs, so a bid is a scan of 20 numbers, and scaling keeps the
 * number of bids near-linear.  A vacancy with capacity c is not replicated:
 * it keeps its c places as a min-heap of prices, a bidder pays for the
 * cheapest place, and the bid is set by the second-best option including
 * the vacancy's second-cheapest place (the "similar objects" rule), so every
 * place of a vacancy stays within ε of the others.  Staying unmatched is an
 * explicit option of value 0, so nobody is pushed to a pair with negative
 * net value.  Gains are scaled by S = (places usable + 1): with ε = 1 the
 * auction's duality gap is below one unscaled unit.
 *
 * The auction alone is not exact for this asymmetric problem: between
 * phases a place keeps its price when its holder leaves (otherwise every
 * bidder's ε-conditions would have to be rechecked), and a place left empty
 * at a positive price violates complementary slackness.  So the auction is
 * only a warm start, and the answer is made exact by a successive-shortest-
 * path finish on the equivalent min-cost flow network (residents → vacancies
 * → sink T, resident → T for "unmatched"): from the auction's prices we set
 * potentials with every residual arc non-negative, keep the auction's pairs
 * that are tight, and route each remaining imbalance (a resident whose pair
 * is not tight, a place left empty at a positive price) along a Dijkstra
 * shortest path in reduced costs.  The finish is correct for any starting
 * prices; the auction only makes it short.  Its final potentials are an
 * optimality certificate (mt__assign_exact_report), which the tests check.
 *
 * Determinism: arcs are put in (left, right) order first, every loop runs in
 * index order and ties go to the lower index; nothing depends on addresses,
 * hashing or time.  Overflow: gains are at most 2^40 and scaled gains at
 * most 2^50; prices stay below 2^52 and the finish refuses potentials beyond
 * ±2^60, so reduced costs and path lengths stay below 2^63.
 */
#include "assign.h"

#include <stdlib.h>
#include <string.h>

#ifdef ASSIGN_TRACE
#include <stdio.h>
#include <time.h>
static double trace_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}
#define TRACE(...) fprintf(stderr, __VA_ARGS__)
#else
#define TRACE(...) ((void)0)
#endif

#define NONE UINT32_MAX
#define TO_SINK (UINT32_MAX - 1) /* resident routed to T: left unmatched */
#define SCALED_MAX ((int64_t)1 << 50)
#define POT_LIMIT ((int64_t)1 << 60)
#define PRICE_LIMIT ((int64_t)1 << 58)

/* Scaling schedule: the first ε is this fraction of the largest scaled
 * gain; each phase divides it by ALPHA until it reaches 1. */
#define EPS0_DIV 8
#define ALPHA 6

enum { UNSEEN = 0, QUEUED, SETTLED };

struct arc {
  int64_t g;     /* scaled gain */
  uint32_t v;    /* vacancy */
  uint32_t orig; /* index in the caller's array */
};

struct tarc {
  int64_t g;    /* scaled gain */
  uint32_t res; /* resident */
  uint32_t k;   /* the arc's index in the resident-major table */
};

struct solver {
  size_t nl, nr;
  int64_t scale;
  uint32_t *off; /* nl + 1: resident i's arcs are arc[off[i] .. off[i+1]) */
  struct arc *arc;
  uint32_t *cap; /* usable places: min(cap, number of positive arcs) */

  /* Auction: class c (vacancy c < nr, or null c = nr) keeps its places as a
   * min-heap by price in [soff[c], soff[c + 1]). */
  uint32_t *soff;
  int64_t *sprice;
  uint32_t *sholder; /* holder code, or NONE */
  int64_t *minp;     /* sprice[soff[c]]: what the next bidder pays */
  uint32_t *where;   /* resident's arc, TO_SINK (null) or NONE (bidding) */
  uint32_t *queue;   /* ring of holder codes waiting to bid */
  size_t qhead, qlen, qcap;
  int64_t top;     /* highest price so far */
  int64_t *vprice; /* vacancy prices the finish starts from */

  uint32_t *toff; /* nr + 1: vacancy j's incoming arcs are tin[toff[j] .. toff[j+1]) */
  struct tarc *tin;

  /* Exact finish on the network; nodes are residents [0, nl), vacancies
   * [nl, nl + nr) and the sink T = nl + nr. */
  int64_t *pot;
  uint32_t *asg;          /* resident's arc, TO_SINK or NONE (excess) */
  uint32_t *lnext, *lprev; /* residents on a vacancy (or T) form a list */
  uint32_t *lhead;        /* nr + 1 heads, T's at nr */
  uint32_t *cnt;          /* residents on vacancy j */
  uint32_t *tflow;        /* flow on j → T */
  int64_t t_excess;       /* inflow of T minus nl */
  int64_t *dist;
  uint32_t *pred, *parc, *hpos, *heap, *touched;
  uint8_t *state;
  size_t hlen, ntouched;

  struct mt__assign_report rep;
};

/* ---- input ----------------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* Validates the arcs and builds the resident-major arc table of positive
 * arcs into usable vacancies, in (left, right) order, and the scale. */
static enum mt_status load(struct solver *s, const uint32_t *cap, const struct mt__arc *arcs,
                           size_t n_arcs) {
  enum mt_status st = MT_ENOMEM;
  uint32_t *indeg = NULL, *cur = NULL;
  uint64_t *key = NULL; /* vacancy << 32 | original index, sorted per resident */
  int64_t gmax = 0;

  s->off = calloc(s->nl + 1, sizeof *s->off);
  s->cap = calloc(s->nr ? s->nr : 1, sizeof *s->cap);
  indeg = calloc(s->nr ? s->nr : 1, sizeof *indeg);
  if (!s->off || !s->cap || !indeg)
    goto cleanup;
  for (size_t a = 0; a < n_arcs; a++) {
    const struct mt__arc *x = &arcs[a];
    if (x->left >= s->nl || x->right >= s->nr || x->gain > MT__ASSIGN_MAX_GAIN) {
      st = MT_EINVAL;
      goto cleanup;
    }
    if (x->gain > gmax)
      gmax = x->gain;
    if (x->gain <= 0 || cap[x->right] == 0)
      continue;
    s->off[x->left + 1]++;
    indeg[x->right]++;
  }
  for (size_t i = 0; i < s->nl; i++)
    s->off[i + 1] += s->off[i];
  size_t m = s->off[s->nl];

  uint64_t places = 0;
  for (size_t j = 0; j < s->nr; j++) {
    s->cap[j] = cap[j] < indeg[j] ? cap[j] : indeg[j];
    places += s->cap[j];
  }
  uint64_t usable = places < s->nl ? places : s->nl;
  s->scale = 1;
  if (gmax > 0) {
    int64_t room = SCALED_MAX / gmax;
    s->scale = (int64_t)usable + 1 < room ? (int64_t)usable + 1 : room;
  }
  s->rep.scale = s->scale;

  s->arc = malloc((m ? m : 1) * sizeof *s->arc);
  key = malloc((m ? m : 1) * sizeof *key);
  cur = malloc((s->nl ? s->nl : 1) * sizeof *cur);
  if (!s->arc || !key || !cur)
    goto cleanup;
  memcpy(cur, s->off, s->nl * sizeof *cur);
  for (size_t a = 0; a < n_arcs; a++) {
    const struct mt__arc *x = &arcs[a];
    if (x->gain <= 0 || cap[x->right] == 0)
      continue;
    key[cur[x->left]++] = (uint64_t)x->right << 32 | (uint64_t)a;
  }
  for (size_t i = 0; i < s->nl; i++) {
    uint64_t *seg = key + s->off[i];
    size_t n = s->off[i + 1] - s->off[i];
    if (n > 24) {
      qsort(seg, n, sizeof *seg, cmp_u64);
    } else {
      for (size_t p = 1; p < n; p++) {
        uint64_t x = seg[p];
        size_t q = p;
        for (; q > 0 && seg[q - 1] > x; q--)
          seg[q] = seg[q - 1];
        seg[q] = x;
      }
    }
    for (size_t p = 0; p < n; p++) {
      if (p > 0 && seg[p] >> 32 == seg[p - 1] >> 32) {
        st = MT_EINVAL; /* two arcs on one pair */
        goto cleanup;
      }
      uint32_t a = (uint32_t)(seg[p] & 0xFFFFFFFFu);
      struct arc *y = &s->arc[s->off[i] + p];
      y->v = (uint32_t)(seg[p] >> 32);
      y->orig = a;
      y->g = arcs[a].gain * s->scale;
    }
  }
  st = MT_OK;
cleanup:
  free(indeg);
  free(cur);
  free(key);
  return st;
}

/* ---- auction ----------------------------------------------------------------- */

/* The auction runs on the symmetric form of the problem, so that every
 * phase ends with every place taken and no price is left standing on an
 * empty place.  Objects are the places of each vacancy and a "null" class
 * with one place per active resident (being unmatched); persons are the
 * residents and, for each place of vacancy j, a "dummy of j" that values j
 * and null at 0 (an empty place of j is a place its dummy holds).  Both
 * sides have the same size, so a perfect assignment exists, and prices are
 * meaningful relative to the null price λ only; a phase shifts them so that
 * λ = 0.  Holders and queue entries are codes: a resident's index, or
 * nl + j for a dummy of vacancy j. */

static void enqueue(struct solver *s, uint32_t who) {
  size_t at = s->qhead + s->qlen;
  if (at >= s->qcap)
    at -= s->qcap;
  s->queue[at] = who;
  s->qlen++;
}

/* Restores the heap of one class after its root price rose.  Within a phase
 * prices only rise, and only at the root, so sifting down is enough. */
static void sift_down(struct solver *s, uint32_t base, uint32_t n) {
  int64_t price = s->sprice[base];
  uint32_t holder = s->sholder[base];
  uint32_t x = 0;
  for (;;) {
    uint32_t c = 2 * x + 1;
    if (c >= n)
      break;
    if (c + 1 < n && s->sprice[base + c + 1] < s->sprice[base + c])
      c++;
    if (s->sprice[base + c] >= price)
      break;
    s->sprice[base + x] = s->sprice[base + c];
    s->sholder[base + x] = s->sholder[base + c];
    x = c;
  }
  s->sprice[base + x] = price;
  s->sholder[base + x] = holder;
}

/* Gives the cheapest place of class c to who at the given price; its
 * holder, if any, goes back to the queue. */
static void take(struct solver *s, uint32_t c, int64_t price, uint32_t who) {
  uint32_t base = s->soff[c];
  uint32_t h = s->sholder[base];
  if (h != NONE) {
    if (h < s->nl)
      s->where[h] = NONE;
    enqueue(s, h);
  }
  if (price > s->top)
    s->top = price;
  s->sprice[base] = price;
  s->sholder[base] = who;
  sift_down(s, base, s->soff[c + 1] - base);
  s->minp[c] = s->sprice[base];
  s->rep.bids++;
}

/* A resident bids for the class of its best value v1.  Like Bertsekas's
 * auction for similar objects, the second-best value v2 is taken over the
 * other classes only, so one bid lifts a vacancy's cheapest place straight
 * to where the bidder is indifferent (less ε) to its next option, instead of
 * creeping up place by place. */
static void bid_resident(struct solver *s, uint32_t i, int64_t eps) {
  int64_t v1 = INT64_MIN, v2 = INT64_MIN;
  uint32_t k1 = NONE;
  for (uint32_t k = s->off[i]; k < s->off[i + 1]; k++) {
    int64_t v = s->arc[k].g - s->minp[s->arc[k].v];
    if (v > v1) {
      v2 = v1;
      v1 = v;
      k1 = k;
    } else if (v > v2) {
      v2 = v;
    }
  }
  int64_t vn = -s->minp[s->nr];
  if (v1 >= vn) {
    s->where[i] = k1;
    take(s, s->arc[k1].v, s->arc[k1].g - (v2 > vn ? v2 : vn) + eps, i);
  } else {
    s->where[i] = TO_SINK;
    take(s, (uint32_t)s->nr, -v1 + eps, i);
  }
}

/* A dummy of j takes the cheaper of j's cheapest place and null. */
static void bid_dummy(struct solver *s, uint32_t j, int64_t eps) {
  int64_t qj = s->minp[j], lambda = s->minp[s->nr];
  if (qj < lambda)
    take(s, j, lambda + eps, (uint32_t)s->nl + j);
  else
    take(s, (uint32_t)s->nr, qj + eps, (uint32_t)s->nl + j);
}

/* Starts a phase with a smaller ε: shifts prices so that λ = 0 and releases
 * every holder whose place is no longer within ε of its best other class;
 * the place keeps its price. */
static void next_phase(struct solver *s, int64_t eps) {
  const uint32_t nl = (uint32_t)s->nl, nr = (uint32_t)s->nr;
  int64_t lambda = s->minp[nr];
  for (uint32_t p = 0; p < s->soff[nr + 1]; p++)
    s->sprice[p] -= lambda;
  for (uint32_t c = 0; c <= nr; c++)
    s->minp[c] -= lambda;
  s->top -= lambda;
  for (uint32_t c = 0; c <= nr; c++) {
    for (uint32_t p = s->soff[c]; p < s->soff[c + 1]; p++) {
      uint32_t h = s->sholder[p];
      int64_t profit, alt;
      if (h == NONE)
        continue;
      if (h < nl) {
        uint32_t k0 = s->where[h];
        profit = c < nr ? s->arc[k0].g - s->sprice[p] : -s->sprice[p];
        alt = c < nr ? -s->minp[nr] : INT64_MIN;
        for (uint32_t k = s->off[h]; k < s->off[h + 1]; k++) {
          if (s->arc[k].v == c)
            continue;
          int64_t v = s->arc[k].g - s->minp[s->arc[k].v];
          if (v > alt)
            alt = v;
        }
      } else {
        profit = -s->sprice[p];
        alt = c < nr ? -s->minp[nr] : -s->minp[h - nl];
      }
      if (profit < alt - eps) {
        s->sholder[p] = NONE;
        if (h < nl)
          s->where[h] = NONE;
        enqueue(s, h);
      }
    }
  }
}

/* Runs the ε-scaling auction.  Returns 0 if prices ran out of range (they
 * cannot at any realistic scale); the finish then starts from scratch. */
static int run_auction(struct solver *s) {
  const uint32_t nl = (uint32_t)s->nl, nr = (uint32_t)s->nr;
  int64_t gmax = 0;
  for (size_t k = 0; k < s->off[nl]; k++)
    if (s->arc[k].g > gmax)
      gmax = s->arc[k].g;
  int64_t eps = gmax / EPS0_DIV > 1 ? gmax / EPS0_DIV : 1;
  for (uint32_t i = 0; i < nl; i++)
    if (s->off[i + 1] > s->off[i])
      enqueue(s, i);
  for (;;) {
    s->rep.phases++;
    while (s->qlen > 0) {
      uint32_t who = s->queue[s->qhead];
      s->qhead = s->qhead + 1 == s->qcap ? 0 : s->qhead + 1;
      s->qlen--;
      if (who < nl)
        bid_resident(s, who, eps);
      else
        bid_dummy(s, who - nl, eps);
      if (s->top > PRICE_LIMIT)
        return 0;
    }
#ifdef ASSIGN_TRACE
    TRACE("phase eps=%lld bids=%llu\n", (long long)eps, (unsigned long long)s->rep.bids);
#endif
    if (eps == 1)
      break;
    eps = eps / ALPHA > 1 ? eps / ALPHA : 1;
    next_phase(s, eps);
  }
  return 1;
}

static enum mt_status auction(struct solver *s) {
  const uint32_t nl = (uint32_t)s->nl, nr = (uint32_t)s->nr;
  size_t active = 0;
  for (size_t i = 0; i < nl; i++)
    active += s->off[i + 1] > s->off[i];
  size_t places = 0;
  for (size_t j = 0; j < nr; j++)
    places += s->cap[j];
  size_t objects = places + active;
  s->soff = malloc((nr + 2) * sizeof *s->soff);
  s->sprice = calloc(objects ? objects : 1, sizeof *s->sprice);
  s->sholder = malloc((objects ? objects : 1) * sizeof *s->sholder);
  s->minp = calloc(nr + 1, sizeof *s->minp);
  s->where = malloc((nl ? nl : 1) * sizeof *s->where);
  s->qcap = objects ? objects : 1;
  s->queue = malloc(s->qcap * sizeof *s->queue);
  s->vprice = calloc(nr ? nr : 1, sizeof *s->vprice);
  if (!s->soff || !s->sprice || !s->sholder || !s->minp || !s->where || !s->queue || !s->vprice)
    return MT_ENOMEM;
  s->soff[0] = 0;
  for (uint32_t j = 0; j < nr; j++) {
    s->soff[j + 1] = s->soff[j] + s->cap[j];
    for (uint32_t p = s->soff[j]; p < s->soff[j + 1]; p++)
      s->sholder[p] = nl + j; /* every place starts with its dummy */
  }
  s->soff[nr + 1] = (uint32_t)objects;
  for (uint32_t p = s->soff[nr]; p < objects; p++)
    s->sholder[p] = NONE;
  for (uint32_t i = 0; i < nl; i++)
    s->where[i] = NONE;

  if (run_auction(s)) {
    /* A vacancy's price is its cheapest place over λ, and 0 while a dummy
     * holds one of its places (it is not full). */
    int64_t lambda = s->minp[nr];
    for (uint32_t j = 0; j < nr; j++) {
      int64_t p = s->minp[j] - lambda;
      for (uint32_t q = s->soff[j]; q < s->soff[j + 1] && p > 0; q++)
        if (s->sholder[q] >= nl)
          p = 0;
      s->vprice[j] = p > 0 ? p : 0;
    }
  } else {
    for (uint32_t j = 0; j < nr; j++)
      s->vprice[j] = 0;
    for (uint32_t i = 0; i < nl; i++)
      s->where[i] = NONE;
  }
  return MT_OK;
}

/* ---- exact finish: successive shortest paths ----------------------------------- */

static void list_add(struct solver *s, uint32_t l, uint32_t i) {
  s->lprev[i] = NONE;
  s->lnext[i] = s->lhead[l];
  if (s->lhead[l] != NONE)
    s->lprev[s->lhead[l]] = i;
  s->lhead[l] = i;
}

static void list_remove(struct solver *s, uint32_t l, uint32_t i) {
  if (s->lprev[i] != NONE)
    s->lnext[s->lprev[i]] = s->lnext[i];
  else
    s->lhead[l] = s->lnext[i];
  if (s->lnext[i] != NONE)
    s->lprev[s->lnext[i]] = s->lprev[i];
}

/* Moves resident i's unit of flow to arc k (or to T with TO_SINK). */
static void move_resident(struct solver *s, uint32_t i, uint32_t to) {
  uint32_t from = s->asg[i];
  if (from == TO_SINK) {
    list_remove(s, (uint32_t)s->nr, i);
    s->t_excess--;
  } else if (from != NONE) {
    list_remove(s, s->arc[from].v, i);
    s->cnt[s->arc[from].v]--;
  }
  s->asg[i] = to;
  if (to == TO_SINK) {
    list_add(s, (uint32_t)s->nr, i);
    s->t_excess++;
  } else {
    list_add(s, s->arc[to].v, i);
    s->cnt[s->arc[to].v]++;
  }
}

static void heap_up(struct solver *s, size_t x) {
  uint32_t u = s->heap[x];
  int64_t d = s->dist[u];
  while (x > 0) {
    size_t p = (x - 1) / 2;
    if (s->dist[s->heap[p]] <= d)
      break;
    s->heap[x] = s->heap[p];
    s->hpos[s->heap[x]] = (uint32_t)x;
    x = p;
  }
  s->heap[x] = u;
  s->hpos[u] = (uint32_t)x;
}

static uint32_t heap_pop(struct solver *s) {
  uint32_t top = s->heap[0];
  uint32_t u = s->heap[--s->hlen];
  if (s->hlen > 0) {
    int64_t d = s->dist[u];
    size_t x = 0;
    for (;;) {
      size_t c = 2 * x + 1;
      if (c >= s->hlen)
        break;
      if (c + 1 < s->hlen && s->dist[s->heap[c + 1]] < s->dist[s->heap[c]])
        c++;
      if (s->dist[s->heap[c]] >= d)
        break;
      s->heap[x] = s->heap[c];
      s->hpos[s->heap[x]] = (uint32_t)x;
      x = c;
    }
    s->heap[x] = u;
    s->hpos[u] = (uint32_t)x;
  }
  return top;
}

static void relax(struct solver *s, uint32_t v, int64_t d, uint32_t from, uint32_t k) {
  if (s->state[v] == SETTLED)
    return;
  if (s->state[v] == UNSEEN) {
    s->state[v] = QUEUED;
    s->touched[s->ntouched++] = v;
    s->dist[v] = d;
    s->pred[v] = from;
    s->parc[v] = k;
    s->heap[s->hlen] = v;
    heap_up(s, s->hlen++);
  } else if (d < s->dist[v]) {
    s->dist[v] = d;
    s->pred[v] = from;
    s->parc[v] = k;
    heap_up(s, s->hpos[v]);
  }
}

/* Relaxes the residual arcs out of u (reduced costs are c + pot[u] − pot[v],
 * the costs being −gain on resident → vacancy and 0 on every arc to T). */
static void expand(struct solver *s, uint32_t u) {
  const uint32_t nl = (uint32_t)s->nl, t = (uint32_t)(s->nl + s->nr);
  int64_t du = s->dist[u], pu = s->pot[u];
  if (u < nl) {
    for (uint32_t k = s->off[u]; k < s->off[u + 1]; k++) {
      if (k == s->asg[u])
        continue;
      uint32_t v = nl + s->arc[k].v;
      relax(s, v, du - s->arc[k].g + pu - s->pot[v], u, k);
    }
    if (s->asg[u] != TO_SINK)
      relax(s, t, du + pu - s->pot[t], u, NONE);
  } else if (u < t) {
    uint32_t j = u - nl;
    for (uint32_t i = s->lhead[j]; i != NONE; i = s->lnext[i])
      relax(s, i, du + s->arc[s->asg[i]].g + pu - s->pot[i], u, NONE);
    if (s->tflow[j] < s->cap[j])
      relax(s, t, du + pu - s->pot[t], u, NONE);
  } else {
    for (uint32_t i = s->lhead[s->nr]; i != NONE; i = s->lnext[i])
      relax(s, i, du + pu - s->pot[i], u, NONE);
    for (uint32_t j = 0; j < s->nr; j++)
      if (s->tflow[j] > 0)
        relax(s, nl + j, du + pu - s->pot[nl + j], u, NONE);
  }
}

/* The same search run backwards from a deficit: relaxes the residual arcs
 * into v, distances being lengths of paths that end at the search's root. */
static void expand_back(struct solver *s, uint32_t v) {
  const uint32_t nl = (uint32_t)s->nl, t = (uint32_t)(s->nl + s->nr);
  int64_t dv = s->dist[v], pv = s->pot[v];
  if (v < nl) {
    uint32_t k = s->asg[v];
    if (k == TO_SINK)
      relax(s, t, dv + s->pot[t] - pv, v, NONE);
    else if (k != NONE)
      relax(s, nl + s->arc[k].v, dv + s->arc[k].g + s->pot[nl + s->arc[k].v] - pv, v, NONE);
  } else if (v < t) {
    uint32_t j = v - nl;
    for (uint32_t a = s->toff[j]; a < s->toff[j + 1]; a++) {
      const struct tarc *x = &s->tin[a];
      if (s->asg[x->res] == x->k)
        continue;
      relax(s, x->res, dv - x->g + s->pot[x->res] - pv, v, x->k);
    }
    if (s->tflow[j] > 0)
      relax(s, t, dv + s->pot[t] - pv, v, NONE);
  } else {
    for (uint32_t i = 0; i < nl; i++)
      if (s->asg[i] != TO_SINK)
        relax(s, i, dv + s->pot[i] - pv, v, NONE);
    for (uint32_t j = 0; j < s->nr; j++)
      if (s->tflow[j] < s->cap[j])
        relax(s, nl + j, dv + s->pot[nl + j] - pv, v, NONE);
  }
}

static int is_deficit(const struct solver *s, uint32_t v) {
  const uint32_t nl = (uint32_t)s->nl, t = (uint32_t)(s->nl + s->nr);
  if (v == t)
    return s->t_excess < 0;
  if (v >= nl)
    return s->tflow[v - nl] > s->cnt[v - nl];
  return 0;
}

static int is_excess(const struct solver *s, uint32_t v) {
  const uint32_t nl = (uint32_t)s->nl, t = (uint32_t)(s->nl + s->nr);
  if (v == t)
    return s->t_excess > 0;
  if (v >= nl)
    return s->cnt[v - nl] > s->tflow[v - nl];
  return s->asg[v] == NONE;
}

/* Pushes one unit along the residual arc u → v (k: the arc, for resident →
 * vacancy).  An arc into a resident cancels its old flow, which the move
 * out of that resident, made for the next arc of the path, already did. */
static void push(struct solver *s, uint32_t u, uint32_t v, uint32_t k) {
  const uint32_t nl = (uint32_t)s->nl, t = (uint32_t)(s->nl + s->nr);
  if (u < nl) {
    move_resident(s, u, v == t ? TO_SINK : k);
  } else if (u < t) {
    if (v == t) {
      s->tflow[u - nl]++;
      s->t_excess++;
    }
  } else if (v >= nl) {
    s->tflow[v - nl]--;
    s->t_excess--;
  }
}

/* Moves one unit between src and the nearest node that can take it: from an
 * excess src forward to the nearest deficit, or (backward) from a deficit
 * src to the nearest excess.  Dijkstra in reduced costs, stopped at that
 * node at distance D; every settled node's potential moves by D − dist
 * (down forward, up backward), which keeps every residual arc non-negative
 * and makes the path tight; then the path is augmented.  MT_EINVAL if a
 * potential would leave ±POT_LIMIT. */
static enum mt_status route(struct solver *s, uint32_t src, int backward) {
  enum mt_status st = MT_OK;
  uint32_t target = NONE;
  s->hlen = 0;
  s->ntouched = 0;
  relax(s, src, 0, NONE, NONE);
  while (s->hlen > 0) {
    uint32_t u = heap_pop(s);
    s->state[u] = SETTLED;
    s->rep.repair_nodes++;
    if (u != src && (backward ? is_excess(s, u) : is_deficit(s, u))) {
      target = u;
      break;
    }
    if (backward)
      expand_back(s, u);
    else
      expand(s, u);
  }
  s->rep.repairs++;
  int64_t big = target != NONE ? s->dist[target] : 0;
  for (size_t x = 0; x < s->ntouched; x++) {
    uint32_t v = s->touched[x];
    if (s->state[v] == SETTLED && target != NONE) {
      int64_t p = backward ? s->pot[v] + (big - s->dist[v]) : s->pot[v] - (big - s->dist[v]);
      if (p < -POT_LIMIT || p > POT_LIMIT)
        st = MT_EINVAL;
      s->pot[v] = p;
    }
    s->state[v] = UNSEEN;
  }
  if (target == NONE)
    return MT_EINVAL; /* cannot happen: T or a deficit is always reachable */
  if (st != MT_OK)
    return st;
  if (backward) {
    for (uint32_t u = target; u != src; u = s->pred[u])
      push(s, u, s->pred[u], s->parc[u]);
  } else {
    for (uint32_t v = target; v != src; v = s->pred[v])
      push(s, s->pred[v], v, s->parc[v]);
  }
  return MT_OK;
}

static enum mt_status finish(struct solver *s) {
  const size_t nl = s->nl, nr = s->nr, nodes = nl + nr + 1;
  s->pot = malloc(nodes * sizeof *s->pot);
  s->asg = malloc((nl ? nl : 1) * sizeof *s->asg);
  s->lnext = malloc((nl ? nl : 1) * sizeof *s->lnext);
  s->lprev = malloc((nl ? nl : 1) * sizeof *s->lprev);
  s->lhead = malloc((nr + 1) * sizeof *s->lhead);
  s->cnt = calloc(nr ? nr : 1, sizeof *s->cnt);
  s->tflow = calloc(nr ? nr : 1, sizeof *s->tflow);
  s->dist = malloc(nodes * sizeof *s->dist);
  s->pred = malloc(nodes * sizeof *s->pred);
  s->parc = malloc(nodes * sizeof *s->parc);
  s->hpos = malloc(nodes * sizeof *s->hpos);
  s->heap = malloc(nodes * sizeof *s->heap);
  s->touched = malloc(nodes * sizeof *s->touched);
  s->state = calloc(nodes, sizeof *s->state);
  s->toff = calloc(nr + 1, sizeof *s->toff);
  s->tin = malloc((s->off[nl] ? s->off[nl] : 1) * sizeof *s->tin);
  if (!s->pot || !s->asg || !s->lnext || !s->lprev || !s->lhead || !s->cnt || !s->tflow ||
      !s->dist || !s->pred || !s->parc || !s->hpos || !s->heap || !s->touched || !s->state ||
      !s->toff || !s->tin)
    return MT_ENOMEM;

  /* Incoming arcs per vacancy (residents ascending), for backward searches. */
  for (size_t k = 0; k < s->off[nl]; k++)
    s->toff[s->arc[k].v + 1]++;
  for (size_t j = 0; j < nr; j++)
    s->toff[j + 1] += s->toff[j];
  for (uint32_t i = 0; i < nl; i++)
    for (uint32_t k = s->off[i]; k < s->off[i + 1]; k++)
      s->tin[s->toff[s->arc[k].v]++] = (struct tarc){s->arc[k].g, i, k};
  for (size_t j = nr; j > 0; j--)
    s->toff[j] = s->toff[j - 1];
  s->toff[0] = 0;

  /* Potentials from the auction: vacancy −price, T 0, resident its best
   * value, so that every residual arc has a non-negative reduced cost. */
  const uint32_t t = (uint32_t)(nl + nr);
  for (size_t j = 0; j < nr; j++)
    s->pot[nl + j] = -s->vprice[j];
  s->pot[t] = 0;
  for (size_t l = 0; l <= nr; l++)
    s->lhead[l] = NONE;
  s->t_excess = -(int64_t)nl;
  for (uint32_t i = 0; i < nl; i++) {
    int64_t best = 0;
    for (uint32_t k = s->off[i]; k < s->off[i + 1]; k++) {
      int64_t v = s->arc[k].g + s->pot[nl + s->arc[k].v];
      if (v > best)
        best = v;
    }
    s->pot[i] = best;
    s->asg[i] = NONE;
    uint32_t k = s->where[i];
    if (k < TO_SINK && s->arc[k].g + s->pot[nl + s->arc[k].v] == best)
      move_resident(s, i, k);
    else if (best == 0)
      move_resident(s, i, TO_SINK);
    else
      s->rep.repair_residents++;
  }
  /* A priced vacancy must be full: its arc to T is saturated now and the
   * places nobody holds are deficits for the searches to fill. */
  for (size_t j = 0; j < nr; j++) {
    s->tflow[j] = s->pot[nl + j] < 0 ? s->cap[j] : s->cnt[j];
    s->t_excess += s->tflow[j];
    s->rep.repair_deficit += s->tflow[j] - s->cnt[j];
  }

  /* Deficits first, each searched backwards from its vacancy: that search
   * stays near the vacancy, while a forward search from T would sweep every
   * vacancy at price 0.  Then the residents whose pair was not tight. */
#ifdef ASSIGN_TRACE
  double t0 = trace_now();
#endif
  for (uint32_t j = 0; j < nr; j++) {
    while (s->tflow[j] > s->cnt[j]) {
      enum mt_status st = route(s, (uint32_t)nl + j, 1);
      if (st != MT_OK)
        return st;
    }
  }
#ifdef ASSIGN_TRACE
  TRACE("deficits %llu: %llu nodes %.3fs\n", (unsigned long long)s->rep.repair_deficit,
        (unsigned long long)s->rep.repair_nodes, trace_now() - t0);
  t0 = trace_now();
#endif
  for (uint32_t i = 0; i < nl; i++) {
    if (s->asg[i] != NONE)
      continue;
    enum mt_status st = route(s, i, 0);
    if (st != MT_OK)
      return st;
  }
  while (s->t_excess > 0) {
    enum mt_status st = route(s, t, 0);
    if (st != MT_OK)
      return st;
  }
  TRACE("residents %llu: total %llu nodes %.3fs\n", (unsigned long long)s->rep.repair_residents,
        (unsigned long long)s->rep.repair_nodes, trace_now() - t0);
  return MT_OK;
}

/* ---- public ------------------------------------------------------------------- */

static void solver_free(struct solver *s) {
  free(s->off);
  free(s->arc);
  free(s->cap);
  free(s->soff);
  free(s->sprice);
  free(s->sholder);
  free(s->minp);
  free(s->where);
  free(s->queue);
  free(s->vprice);
  free(s->toff);
  free(s->tin);
  free(s->pot);
  free(s->asg);
  free(s->lnext);
  free(s->lprev);
  free(s->lhead);
  free(s->cnt);
  free(s->tflow);
  free(s->dist);
  free(s->pred);
  free(s->parc);
  free(s->hpos);
  free(s->heap);
  free(s->touched);
  free(s->state);
}

static int sizes_ok(size_t n_left, size_t n_right, size_t n_arcs) {
  /* Node and arc indices are 32-bit, with two values reserved. */
  return n_left < UINT32_MAX / 2 && n_right < UINT32_MAX / 2 && n_arcs < UINT32_MAX - 2;
}

enum mt_status mt__assign_exact_report(size_t n_left, size_t n_right, const uint32_t *cap,
                                       const struct mt__arc *arcs, size_t n_arcs, uint8_t *chosen,
                                       int64_t *total, struct mt__assign_report *report) {
  struct solver s;
  memset(&s, 0, sizeof s);
  enum mt_status st = MT_EINVAL;
  if (!sizes_ok(n_left, n_right, n_arcs))
    goto cleanup;
  s.nl = n_left;
  s.nr = n_right;
  st = load(&s, cap, arcs, n_arcs);
  if (st != MT_OK)
    goto cleanup;
  st = auction(&s);
  if (st != MT_OK)
    goto cleanup;
  st = finish(&s);
  if (st != MT_OK)
    goto cleanup;

  int64_t sum = 0;
  if (n_arcs > 0)
    memset(chosen, 0, n_arcs);
  for (size_t i = 0; i < n_left; i++) {
    if (s.asg[i] < TO_SINK) {
      uint32_t a = s.arc[s.asg[i]].orig;
      chosen[a] = 1;
      sum += arcs[a].gain;
    }
  }
  *total = sum;
  if (report && report->price) {
    /* The certificate: a vacancy's dual is T's potential minus its own.  A
     * vacancy short of its nominal capacity gets 0 (it is either not full,
     * where the dual is 0 already, or holds every resident with an arc to
     * it, who then take the price as their own surplus); a vacancy of
     * capacity 0 gets a price above every gain. */
    int64_t top = 0;
    for (size_t a = 0; a < n_arcs; a++)
      if (arcs[a].gain > top)
        top = arcs[a].gain;
    for (size_t j = 0; j < n_right; j++) {
      int64_t p = s.pot[n_left + n_right] - s.pot[n_left + j];
      if (cap[j] == 0)
        p = top * s.scale;
      else if (s.cnt[j] < cap[j] || p < 0)
        p = 0;
      report->price[j] = p;
    }
  }
  st = MT_OK;
cleanup:
  if (report) {
    int64_t *price = report->price;
    *report = s.rep;
    report->price = price;
    report->scale = s.scale ? s.scale : 1;
  }
  solver_free(&s);
  return st;
}

enum mt_status mt__assign_exact(size_t n_left, size_t n_right, const uint32_t *cap,
                                const struct mt__arc *arcs, size_t n_arcs, uint8_t *chosen,
                                int64_t *total) {
  return mt__assign_exact_report(n_left, n_right, cap, arcs, n_arcs, chosen, total, NULL);
}

/* ---- greedy baseline --------------------------------------------------------------- */

struct gitem {
  int64_t gain;
  uint32_t left, right, idx;
};

static int cmp_gitem(const void *a, const void *b) {
  const struct gitem *x = a, *y = b;
  if (x->gain != y->gain)
    return x->gain > y->gain ? -1 : 1;
  if (x->left != y->left)
    return x->left < y->left ? -1 : 1;
  return (x->right > y->right) - (x->right < y->right);
}

enum mt_status mt__assign_greedy(size_t n_left, size_t n_right, const uint32_t *cap,
                                 const struct mt__arc *arcs, size_t n_arcs, uint8_t *chosen,
                                 int64_t *total) {
  enum mt_status st = MT_EINVAL;
  struct gitem *items = NULL;
  uint8_t *used = NULL;
  uint32_t *room = NULL;
  if (!sizes_ok(n_left, n_right, n_arcs))
    goto cleanup;
  size_t n = 0;
  for (size_t a = 0; a < n_arcs; a++) {
    if (arcs[a].left >= n_left || arcs[a].right >= n_right)
      goto cleanup;
    n += arcs[a].gain > 0;
  }
  st = MT_ENOMEM;
  items = malloc((n ? n : 1) * sizeof *items);
  used = calloc(n_left ? n_left : 1, 1);
  room = malloc((n_right ? n_right : 1) * sizeof *room);
  if (!items || !used || !room)
    goto cleanup;
  n = 0;
  for (size_t a = 0; a < n_arcs; a++)
    if (arcs[a].gain > 0)
      items[n++] = (struct gitem){arcs[a].gain, arcs[a].left, arcs[a].right, (uint32_t)a};
  qsort(items, n, sizeof *items, cmp_gitem);
  if (n_right > 0)
    memcpy(room, cap, n_right * sizeof *room);
  if (n_arcs > 0)
    memset(chosen, 0, n_arcs);
  int64_t sum = 0;
  for (size_t x = 0; x < n; x++) {
    const struct gitem *it = &items[x];
    if (used[it->left] || room[it->right] == 0)
      continue;
    used[it->left] = 1;
    room[it->right]--;
    chosen[it->idx] = 1;
    sum += it->gain;
  }
  *total = sum;
  st = MT_OK;
cleanup:
  free(items);
  free(used);
  free(room);
  return st;
}
