/*
 * assign.c — the exact solver behind a match run (DESIGN.md §5.4): at most
 * one referral per resident, at most cap[v] per vacancy, maximum total gain.
 * This is a maximum-weight b-matching with unit supplies on one side (a
 * transportation problem); at city scale 50,000 residents, 5,000 vacancies,
 * ~90,000 places and ~1,000,000 arcs.
 *
 * Choice of method.  Successive shortest paths alone needs a Dijkstra per
 * resident, and the searches grow large as vacancies fill; network simplex
 * (LEMON's, which scripts/bench compares against) pivots over the whole
 * graph; cost-scaling push-relabel fits, but every refine has to push
 * through the sink's 55,000 arcs.  An ε-scaling auction (Bertsekas) fits the
 * shape best: a resident has ~20 arcs, so a bid is a scan of 20 numbers, and
 * scaling keeps the number of bids near-linear.  What this problem needs on
 * top of the textbook auction:
 *  - capacities without replication: a vacancy keeps its places in a
 *    min-heap of prices and a bidder takes the cheapest; the bidder's second-
 *    best value is taken over the other vacancies (Bertsekas's "similar
 *    objects"), so one bid lifts the price to where the bidder is indifferent
 *    instead of creeping up place by place.  A vacancy's price, in the dual
 *    sense, is the price of its cheapest place;
 *  - staying unmatched is an explicit option of value 0;
 *  - asymmetry: a vacancy may stay part-empty, and then its price must be 0,
 *    but forward bids only raise prices.  So after each phase a vacancy with
 *    an empty place at a positive price bids in reverse (Bertsekas,
 *    Castañon and Tsaknakis) for the resident who gains most by moving
 *    there, lowering the price, until every empty place is free;
 *  - reverse bids make vacancies cheaper on the strength of each resident's
 *    surplus against its vacancy's cheapest place; a resident that paid more
 *    than that would lose surplus when the cheap place is taken, and the
 *    ε-conditions would silently break (measured: a price war of two billion
 *    bids between two identical vacancies).  So before reverse bids every
 *    place is lowered to its vacancy's cheapest (clamp()), which changes
 *    nobody's options;
 *  - gains scaled by S = active residents + 1, ending at ε = 1.
 *
 * Exactness does not rest on the auction.  Its end state goes to a
 * successive-shortest-path finish on the equivalent min-cost flow network
 * (residents → vacancies → sink T, resident → T for "unmatched"), with
 * potentials from the auction's prices so that every residual arc has a
 * non-negative reduced cost.  Residents left within ε = 1 of tight are made
 * tight by nudging a gain by at most 1 (finish() explains why that cannot
 * change which selection is best); any other imbalance is routed along a
 * Dijkstra shortest path, searched backwards from a vacancy short of its
 * places or forwards from a resident.  At city scale the finish routes a
 * handful of units.  Its final potentials are an optimality certificate
 * (mt__assign_exact_report) that the tests check.
 *
 * Determinism: arcs are put in (left, right) order first, every loop runs in
 * index order and ties go to the lower index; nothing depends on addresses,
 * hashing or time.  Overflow: gains are at most 2^40, scaled gains at most
 * 2^50, prices stay in [0, 2^51) and the finish refuses potentials beyond
 * ±2^60, so reduced costs and path lengths stay below 2^63.
 */
#include "assign.h"

#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX
#define TO_SINK (UINT32_MAX - 1) /* resident routed to T: left unmatched */
#define SCALED_MAX ((int64_t)1 << 50)
#define POT_LIMIT ((int64_t)1 << 60)
/* Largest slack the finish absorbs by nudging a gain: the final ε. */
#define NUDGE 1

/* Scaling schedule: the first ε is this fraction of the largest scaled
 * gain; each phase divides it by ALPHA until it reaches 1. */
#define EPS0_DIV 64
#define ALPHA 12

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

/* A resident's place.  Where its surplus matters to others (reverse bids),
 * it is g − minp[v], against the cheapest place of its vacancy: after
 * clamp() that is what it pays. */
struct rstate {
  int64_t g;     /* scaled gain of the arc to its place */
  uint32_t v;    /* its vacancy */
  uint32_t slot; /* its place, or NONE */
};

struct solver {
  size_t nl, nr;
  int64_t scale;
  uint32_t *off; /* nl + 1: resident i's arcs are arc[off[i] .. off[i+1]) */
  struct arc *arc;
  uint32_t *cap; /* usable places: min(cap, number of positive arcs) */

  /* Auction: vacancy j keeps its places as a min-heap by price in
   * [soff[j], soff[j] + cap[j]). */
  uint32_t *soff;
  int64_t *sprice;
  uint32_t *sholder; /* resident holding the place, or NONE */
  int64_t *minp;     /* sprice[soff[j]]: what the next bidder pays */
  struct rstate *res;
  uint32_t *rk;    /* resident's arc to its place */
  uint32_t *queue; /* ring of residents waiting to bid */
  size_t qhead, qlen;
  uint32_t *rqueue; /* ring of vacancies with an empty place at a positive price */
  uint8_t *inrq;
  size_t rqhead, rqlen;

  uint32_t *toff; /* nr + 1: vacancy j's incoming arcs are tin[toff[j] .. toff[j+1]) */
  struct tarc *tin;

  /* Exact finish on the network; nodes are residents [0, nl), vacancies
   * [nl, nl + nr) and the sink T = nl + nr. */
  int64_t *pot;
  uint32_t *asg;           /* resident's arc, TO_SINK or NONE (excess) */
  uint32_t *lnext, *lprev; /* residents on a vacancy (or T) form a list */
  uint32_t *lhead;         /* nr + 1 heads, T's at nr */
  uint32_t *cnt;           /* residents on vacancy j */
  uint32_t *tflow;         /* flow on j → T */
  int64_t t_excess;        /* inflow of T minus nl */
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

  for (size_t j = 0; j < s->nr; j++)
    s->cap[j] = cap[j] < indeg[j] ? cap[j] : indeg[j];
  uint64_t active = 0;
  for (size_t i = 0; i < s->nl; i++)
    active += s->off[i + 1] > s->off[i];
  s->scale = 1;
  if (gmax > 0) {
    int64_t room = SCALED_MAX / gmax;
    s->scale = (int64_t)active + 1 < room ? (int64_t)active + 1 : room;
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

static void enqueue(struct solver *s, uint32_t i) {
  size_t at = s->qhead + s->qlen;
  if (at >= s->nl)
    at -= s->nl;
  s->queue[at] = i;
  s->qlen++;
}

static void renqueue(struct solver *s, uint32_t j) {
  if (s->inrq[j])
    return;
  s->inrq[j] = 1;
  size_t at = s->rqhead + s->rqlen;
  if (at >= s->nr)
    at -= s->nr;
  s->rqueue[at] = j;
  s->rqlen++;
}

static void place_set(struct solver *s, uint32_t p, int64_t price, uint32_t holder) {
  s->sprice[p] = price;
  s->sholder[p] = holder;
  if (holder != NONE)
    s->res[holder].slot = p;
}

/* Restores vacancy j's heap after the price at position x rose. */
static void sift_down(struct solver *s, uint32_t j, uint32_t x) {
  uint32_t base = s->soff[j], n = s->cap[j];
  int64_t price = s->sprice[base + x];
  uint32_t holder = s->sholder[base + x];
  for (;;) {
    uint32_t c = 2 * x + 1;
    if (c >= n)
      break;
    if (c + 1 < n && s->sprice[base + c + 1] < s->sprice[base + c])
      c++;
    if (s->sprice[base + c] >= price)
      break;
    place_set(s, base + x, s->sprice[base + c], s->sholder[base + c]);
    x = c;
  }
  place_set(s, base + x, price, holder);
  s->minp[j] = s->sprice[base];
}

/* Restores vacancy j's heap after the price at position x fell. */
static void sift_up(struct solver *s, uint32_t j, uint32_t x) {
  uint32_t base = s->soff[j];
  int64_t price = s->sprice[base + x];
  uint32_t holder = s->sholder[base + x];
  while (x > 0) {
    uint32_t q = (x - 1) / 2;
    if (s->sprice[base + q] <= price)
      break;
    place_set(s, base + x, s->sprice[base + q], s->sholder[base + q]);
    x = q;
  }
  place_set(s, base + x, price, holder);
  s->minp[j] = s->sprice[base];
}

/* Empties resident i's place (it keeps its price) and marks i unplaced. */
static void unplace(struct solver *s, uint32_t i) {
  uint32_t p = s->res[i].slot;
  s->sholder[p] = NONE;
  s->res[i].slot = NONE;
  if (s->sprice[p] > 0)
    renqueue(s, s->res[i].v);
}

/* Forward bid: resident i bids for the vacancy of its best value v1.  Like
 * Bertsekas's auction for similar objects, the second-best value v2 is taken
 * over the other vacancies (and 0, staying unmatched), not over the other
 * places of the same vacancy: one bid lifts the cheapest place straight to
 * where i is indifferent, less ε, to its next option, instead of creeping up
 * place by place.  A resident whose best value is not positive stays out. */
static void bid(struct solver *s, uint32_t i, int64_t eps) {
  int64_t v1 = INT64_MIN, v2 = 0;
  uint32_t k1 = NONE;
  for (uint32_t k = s->off[i]; k < s->off[i + 1]; k++) {
    int64_t v = s->arc[k].g - s->minp[s->arc[k].v];
    if (v > v1) {
      if (v1 > v2)
        v2 = v1;
      v1 = v;
      k1 = k;
    } else if (v > v2) {
      v2 = v;
    }
  }
  if (k1 == NONE || v1 <= 0)
    return;
  uint32_t j = s->arc[k1].v, root = s->soff[j];
  uint32_t h = s->sholder[root];
  if (h != NONE) {
    s->res[h].slot = NONE;
    enqueue(s, h);
  }
  s->rk[i] = k1;
  s->res[i].v = j;
  s->res[i].g = s->arc[k1].g;
  place_set(s, root, s->arc[k1].g - v2 + eps, i);
  sift_down(s, j, 0);
  s->rep.bids++;
}

/* Reverse bid (Bertsekas, Castañon and Tsaknakis): an empty place of
 * vacancy j that still has a positive price lowers it to attract the
 * resident who gains most by moving there.  With β1 and β2 the best and
 * second-best of gain − surplus over residents not already at j (and 0, the
 * place staying empty), the place goes to the best at price β2 − ε (at
 * least 0), or drops to 0 if nobody would pay a positive price.  Every other
 * resident stays within ε of its best option, and the mover gains. */
static void reverse_bid(struct solver *s, uint32_t j, uint32_t p, int64_t eps) {
  int64_t b1 = 0, b2 = 0;
  uint32_t best = NONE;
  for (uint32_t a = s->toff[j]; a < s->toff[j + 1]; a++) {
    const struct tarc *x = &s->tin[a];
    const struct rstate *r = &s->res[x->res];
    int64_t w = x->g;
    if (r->slot != NONE) {
      if (r->v == j)
        continue;
      w -= r->g - s->minp[r->v];
    }
    if (w > b1) {
      b2 = b1;
      b1 = w;
      best = a;
    } else if (w > b2) {
      b2 = w;
    }
  }
  uint32_t x = p - s->soff[j];
  s->rep.rbids++;
  if (best == NONE) {
    s->sprice[p] = 0;
    sift_up(s, j, x);
    return;
  }
  uint32_t i = s->tin[best].res;
  int64_t price = b2 - eps > 0 ? b2 - eps : 0;
  if (s->res[i].slot != NONE)
    unplace(s, i);
  s->rk[i] = s->tin[best].k;
  s->res[i].v = j;
  s->res[i].g = s->tin[best].g;
  place_set(s, p, price, i);
  sift_up(s, j, x);
}

/* Lowers every place of vacancy j to the price of its cheapest.  Nobody's
 * options change (the cheapest price stays), holders pay what the dual
 * solution charges, and a holder's surplus can then no longer drop when a
 * cheap place of its vacancy is taken: the auction's ε-conditions keep
 * holding when reverse bids have made other vacancies cheaper. */
static void clamp(struct solver *s, uint32_t j) {
  int64_t q = s->minp[j];
  for (uint32_t p = s->soff[j]; p < s->soff[j + 1]; p++)
    if (s->sprice[p] > q)
      s->sprice[p] = q;
}

/* Lets every vacancy with a priced empty place bid until none is left. */
static void reverse_round(struct solver *s, int64_t eps) {
  for (uint32_t j = 0; j < s->nr; j++)
    clamp(s, j);
  while (s->rqlen > 0) {
    uint32_t j = s->rqueue[s->rqhead];
    s->rqhead = s->rqhead + 1 == s->nr ? 0 : s->rqhead + 1;
    s->rqlen--;
    s->inrq[j] = 0;
    for (;;) {
      uint32_t p = NONE;
      for (uint32_t q = s->soff[j]; q < s->soff[j + 1]; q++)
        if (s->sholder[q] == NONE && s->sprice[q] > 0 && (p == NONE || s->sprice[q] > s->sprice[p]))
          p = q;
      if (p == NONE)
        break;
      reverse_bid(s, j, p, eps);
      clamp(s, j);
    }
  }
}

/* Starts a phase with a smaller ε: releases every placed resident whose
 * place is no longer within ε of its best option (the place keeps its
 * price, and bids in reverse if nobody takes it), and sends back to bidding
 * every unplaced resident that some vacancy now offers more than ε. */
static void release_violators(struct solver *s, int64_t eps) {
  for (uint32_t i = 0; i < s->nl; i++) {
    uint32_t slot = s->res[i].slot;
    uint32_t j0 = slot != NONE ? s->res[i].v : NONE;
    int64_t alt = 0;
    for (uint32_t k = s->off[i]; k < s->off[i + 1]; k++) {
      if (s->arc[k].v == j0)
        continue;
      int64_t v = s->arc[k].g - s->minp[s->arc[k].v];
      if (v > alt)
        alt = v;
    }
    if (slot == NONE) {
      if (alt > eps)
        enqueue(s, i);
    } else if (s->res[i].g - s->sprice[slot] < alt - eps) {
      unplace(s, i);
      enqueue(s, i);
    }
  }
}

/* Runs the auction, or with start (tests only) just sets those prices, so
 * that the finish has to do all the work. */
static enum mt_status auction(struct solver *s, const int64_t *start) {
  const uint32_t nl = (uint32_t)s->nl, nr = (uint32_t)s->nr;
  size_t places = 0;
  for (size_t j = 0; j < nr; j++)
    places += s->cap[j];
  s->soff = malloc((nr + 1) * sizeof *s->soff);
  s->sprice = calloc(places ? places : 1, sizeof *s->sprice);
  s->sholder = malloc((places ? places : 1) * sizeof *s->sholder);
  s->minp = calloc(nr ? nr : 1, sizeof *s->minp);
  s->res = malloc((nl ? nl : 1) * sizeof *s->res);
  s->rk = malloc((nl ? nl : 1) * sizeof *s->rk);
  s->queue = malloc((nl ? nl : 1) * sizeof *s->queue);
  s->rqueue = malloc((nr ? nr : 1) * sizeof *s->rqueue);
  s->inrq = calloc(nr ? nr : 1, 1);
  s->toff = calloc(nr + 1, sizeof *s->toff);
  s->tin = malloc((s->off[nl] ? s->off[nl] : 1) * sizeof *s->tin);
  if (!s->soff || !s->sprice || !s->sholder || !s->minp || !s->res || !s->rk || !s->queue ||
      !s->rqueue || !s->inrq || !s->toff || !s->tin)
    return MT_ENOMEM;
  s->soff[0] = 0;
  for (uint32_t j = 0; j < nr; j++)
    s->soff[j + 1] = s->soff[j] + s->cap[j];
  for (size_t p = 0; p < places; p++)
    s->sholder[p] = NONE;
  for (uint32_t i = 0; i < nl; i++)
    s->res[i] = (struct rstate){0, NONE, NONE};

  /* Incoming arcs per vacancy, residents ascending: reverse bids scan them,
   * and so do the finish's backward searches. */
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

  if (start != NULL) {
    for (uint32_t j = 0; j < nr; j++)
      for (uint32_t p = s->soff[j]; p < s->soff[j + 1]; p++)
        s->sprice[p] = start[j] > 0 && start[j] <= MT__ASSIGN_MAX_GAIN ? start[j] * s->scale : 0;
    for (uint32_t j = 0; j < nr; j++)
      s->minp[j] = s->cap[j] > 0 ? s->sprice[s->soff[j]] : 0;
    return MT_OK;
  }

  int64_t gmax = 0;
  for (size_t k = 0; k < s->off[nl]; k++)
    if (s->arc[k].g > gmax)
      gmax = s->arc[k].g;
  int64_t eps = gmax / EPS0_DIV > 1 ? gmax / EPS0_DIV : 1;
  for (uint32_t i = 0; i < nl; i++)
    enqueue(s, i);
  for (;;) {
    s->rep.phases++;
    while (s->qlen > 0) {
      uint32_t i = s->queue[s->qhead];
      s->qhead = s->qhead + 1 == s->nl ? 0 : s->qhead + 1;
      s->qlen--;
      if (s->qlen > 0) {
        /* The next bidder's arcs are a random place in a large table:
         * fetching them now hides most of the wait. */
        const struct arc *a = &s->arc[s->off[s->queue[s->qhead]]];
        const struct arc *end = &s->arc[s->off[s->queue[s->qhead] + 1]];
        for (; a < end; a += 4)
          __builtin_prefetch(a);
      }
      bid(s, i, eps);
    }
    reverse_round(s, eps);
    if (eps == 1)
      break;
    eps = eps / ALPHA > 1 ? eps / ALPHA : 1;
    release_violators(s, eps);
  }
  return MT_OK;
}

/* ---- exact finish: successive shortest paths -----------------------------------
 * The network: each resident has supply 1 and arcs to its vacancies (cost
 * −gain, capacity 1) and to T (cost 0: unmatched); each vacancy an arc to T
 * of its capacity.  T takes everything.  Potentials keep every residual arc
 * at a non-negative reduced cost, so each imbalance is settled along a
 * Dijkstra shortest path and the flow stays optimal for the routed part. */

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
  }
  /* T is never expanded forwards: forward searches run once every vacancy
   * is balanced, so T holds the whole deficit and ends any search. */
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

/* The finish's arrays, sized by the instance. */
static enum mt_status finish_alloc(struct solver *s) {
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
  if (!s->pot || !s->asg || !s->lnext || !s->lprev || !s->lhead || !s->cnt || !s->tflow ||
      !s->dist || !s->pred || !s->parc || !s->hpos || !s->heap || !s->touched || !s->state)
    return MT_ENOMEM;
  return MT_OK;
}

/* Potentials from the auction: vacancy −price, T 0, resident its best
 * value, so that every residual arc has a non-negative reduced cost.  The
 * auction leaves many residents within ε = 1 of tight rather than tight;
 * instead of rerouting each of them, the finish solves a nudged instance
 * where such a resident's own arc gains its slack (or, if unplaced, its
 * arcs lose their small positive value).  A resident's nudge changes the
 * total of any selection by at most its size, and the nudges add up to at
 * most the budget S − 1, so a best selection of the nudged instance is
 * within S − 1 of the true optimum in true gain; true totals being
 * multiples of S, it is a true optimum.  Residents beyond the budget (or
 * further than 1 from tight) are rerouted instead. */
static void seed_potentials(struct solver *s) {
  const size_t nl = s->nl, nr = s->nr;
  const uint32_t t = (uint32_t)(nl + nr);
  for (size_t j = 0; j < nr; j++)
    s->pot[nl + j] = s->cap[j] > 0 ? -s->minp[j] : 0;
  s->pot[t] = 0;
  for (size_t l = 0; l <= nr; l++)
    s->lhead[l] = NONE;
  s->t_excess = -(int64_t)nl;
  int64_t budget = s->scale - 1;
  for (uint32_t i = 0; i < nl; i++) {
    int64_t best = 0;
    for (uint32_t k = s->off[i]; k < s->off[i + 1]; k++) {
      int64_t v = s->arc[k].g + s->pot[nl + s->arc[k].v];
      if (v > best)
        best = v;
    }
    s->asg[i] = NONE;
    uint32_t k0 = s->res[i].slot != NONE ? s->rk[i] : NONE;
    int64_t slack = k0 != NONE ? best - (s->arc[k0].g + s->pot[nl + s->arc[k0].v]) : best;
    if (slack > 0 && slack <= NUDGE && slack <= budget) {
      budget -= slack;
      s->rep.nudged++;
      if (k0 != NONE) {
        s->arc[k0].g += slack;
      } else {
        for (uint32_t k = s->off[i]; k < s->off[i + 1]; k++) {
          int64_t v = s->arc[k].g + s->pot[nl + s->arc[k].v];
          if (v > 0)
            s->arc[k].g -= v;
        }
        best = 0;
      }
      slack = 0;
    }
    s->pot[i] = best;
    if (slack == 0 && k0 != NONE)
      move_resident(s, i, k0);
    else if (best == 0)
      move_resident(s, i, TO_SINK);
    else
      s->rep.repair_residents++;
  }
  for (size_t a = 0; a < s->off[nl]; a++)
    s->tin[a].g = s->arc[s->tin[a].k].g;
  /* A priced vacancy must be full: its arc to T is saturated now and the
   * places nobody holds are deficits for the searches to fill. */
  for (size_t j = 0; j < nr; j++) {
    s->tflow[j] = s->pot[nl + j] < 0 ? s->cap[j] : s->cnt[j];
    s->t_excess += s->tflow[j];
    s->rep.repair_deficit += s->tflow[j] - s->cnt[j];
  }
}

/* Deficits first, each searched backwards from its vacancy: that search
 * stays near the vacancy, while a forward search from T would sweep every
 * vacancy at price 0.  Then the residents whose pair was not tight. */
static enum mt_status reroute(struct solver *s) {
  const size_t nl = s->nl, nr = s->nr;
  for (uint32_t j = 0; j < nr; j++) {
    while (s->tflow[j] > s->cnt[j]) {
      enum mt_status st = route(s, (uint32_t)nl + j, 1);
      if (st != MT_OK)
        return st;
    }
  }
  for (uint32_t i = 0; i < nl; i++) {
    if (s->asg[i] != NONE)
      continue;
    enum mt_status st = route(s, i, 0);
    if (st != MT_OK)
      return st;
  }
  return MT_OK;
}

static enum mt_status finish(struct solver *s) {
  enum mt_status st = finish_alloc(s);
  if (st != MT_OK)
    return st;
  seed_potentials(s);
  return reroute(s);
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
  free(s->res);
  free(s->rk);
  free(s->queue);
  free(s->rqueue);
  free(s->inrq);
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
  st = auction(&s, report ? report->start : NULL);
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
    const int64_t *start = report->start;
    *report = s.rep;
    report->price = price;
    report->start = start;
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
