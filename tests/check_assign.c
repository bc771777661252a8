/*
 * check_assign.c — the match run's assignment solver (matcher/src/assign.c)
 * on its own: the exact solver against a brute force that enumerates every
 * feasible selection of small random instances, against an independent
 * exact method (successive shortest paths with Bellman-Ford, written here)
 * on larger ones, its optimality certificate, its exact finish alone from
 * arbitrary prices, hand-built cases with the numbers worked out in the
 * comments, the greedy baseline, argument checks, allocation failure and
 * determinism.  The solver's header is internal to the engine, hence the
 * relative include.
 */
#include "../matcher/src/assign.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- helpers --------------------------------------------------------------- */

/* A small deterministic generator (xorshift64*), so every run sees the same
 * instances. */
static uint64_t rng_state;

static void rng_seed(uint64_t s) {
  rng_state = s * 2654435761u + 0x9E3779B97F4A7C15ull;
}

static uint64_t rng_next(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Dull;
}

/* Uniform in [lo, hi]. */
static int64_t rng_range(int64_t lo, int64_t hi) {
  return lo + (int64_t)(rng_next() % (uint64_t)(hi - lo + 1));
}

struct instance {
  size_t nl, nr, n;
  uint32_t *cap;
  struct mt__arc *arcs;
};

static void instance_free(struct instance *in) {
  free(in->cap);
  free(in->arcs);
}

/* Every (left, right) pair gets an arc with probability pct/100; gains are
 * drawn from [glo, ghi] and multiplied by mult (ties, zeros and negatives
 * when the range allows them). */
static struct instance random_instance(size_t nl, size_t nr, uint32_t maxcap, int pct, int64_t glo,
                                       int64_t ghi, int64_t mult) {
  struct instance in = {nl, nr, 0, NULL, NULL};
  in.cap = malloc((nr + 1) * sizeof *in.cap);
  in.arcs = malloc((nl * nr + 1) * sizeof *in.arcs);
  ck_assert_ptr_nonnull(in.cap);
  ck_assert_ptr_nonnull(in.arcs);
  for (size_t j = 0; j < nr; j++)
    in.cap[j] = (uint32_t)rng_range(0, maxcap);
  for (size_t i = 0; i < nl; i++)
    for (size_t j = 0; j < nr; j++)
      if (rng_range(1, 100) <= pct)
        in.arcs[in.n++] = (struct mt__arc){(uint32_t)i, (uint32_t)j, rng_range(glo, ghi) * mult};
  return in;
}

/* Each resident gets deg distinct vacancies, popular ones more often. */
static struct instance sparse_instance(size_t nl, size_t nr, size_t deg, uint32_t maxcap,
                                       int64_t glo, int64_t ghi) {
  struct instance in = {nl, nr, 0, NULL, NULL};
  in.cap = malloc(nr * sizeof *in.cap);
  in.arcs = malloc(nl * deg * sizeof *in.arcs);
  uint8_t *seen = calloc(nr, 1);
  ck_assert_ptr_nonnull(in.cap);
  ck_assert_ptr_nonnull(in.arcs);
  ck_assert_ptr_nonnull(seen);
  for (size_t j = 0; j < nr; j++)
    in.cap[j] = (uint32_t)rng_range(1, maxcap);
  for (size_t i = 0; i < nl; i++) {
    size_t first = in.n;
    while (in.n - first < deg) {
      size_t j = rng_range(0, 1) ? (size_t)rng_range(0, (int64_t)nr / 10)
                                 : (size_t)rng_range(0, (int64_t)nr - 1);
      if (seen[j])
        continue;
      seen[j] = 1;
      in.arcs[in.n++] = (struct mt__arc){(uint32_t)i, (uint32_t)j, rng_range(glo, ghi)};
    }
    for (size_t a = first; a < in.n; a++)
      seen[in.arcs[a].right] = 0;
  }
  free(seen);
  return in;
}

/* The chosen arcs form a feasible selection of positive arcs summing to
 * total. */
static void assert_feasible(const struct instance *in, const uint8_t *chosen, int64_t total) {
  uint32_t *used_r = calloc(in->nr + 1, sizeof *used_r);
  uint8_t *used_l = calloc(in->nl + 1, 1);
  ck_assert_ptr_nonnull(used_r);
  ck_assert_ptr_nonnull(used_l);
  int64_t sum = 0;
  for (size_t a = 0; a < in->n; a++) {
    ck_assert_msg(chosen[a] <= 1, "chosen[%zu] = %u", a, chosen[a]);
    if (!chosen[a])
      continue;
    const struct mt__arc *x = &in->arcs[a];
    ck_assert_msg(x->gain > 0, "arc %zu with gain %lld chosen", a, (long long)x->gain);
    ck_assert_msg(!used_l[x->left], "left %u used twice", x->left);
    used_l[x->left] = 1;
    used_r[x->right]++;
    ck_assert_msg(used_r[x->right] <= in->cap[x->right], "right %u over capacity %u", x->right,
                  in->cap[x->right]);
    sum += x->gain;
  }
  ck_assert_int_eq(sum, total);
  free(used_r);
  free(used_l);
}

/* The certificate proves the total optimal: with pi from the prices, the
 * dual bound D satisfies total·scale <= D < (total + 1)·scale. */
static void assert_certificate(const struct instance *in, const int64_t *price, int64_t scale,
                               int64_t total) {
  ck_assert_int_ge(scale, 1);
  int64_t *pi = calloc(in->nl + 1, sizeof *pi);
  ck_assert_ptr_nonnull(pi);
  for (size_t a = 0; a < in->n; a++) {
    int64_t v = in->arcs[a].gain * scale - price[in->arcs[a].right];
    if (v > pi[in->arcs[a].left])
      pi[in->arcs[a].left] = v;
  }
  int64_t dual = 0;
  for (size_t j = 0; j < in->nr; j++) {
    ck_assert_int_ge(price[j], 0);
    dual += (int64_t)in->cap[j] * price[j];
  }
  for (size_t i = 0; i < in->nl; i++)
    dual += pi[i];
  ck_assert_int_ge(dual, total * scale);
  ck_assert_int_lt(dual, (total + 1) * scale);
  free(pi);
}

/* Exact solve with the certificate checked; returns the total. */
static int64_t solve_checked(const struct instance *in, uint8_t *chosen) {
  int64_t *price = malloc((in->nr + 1) * sizeof *price);
  ck_assert_ptr_nonnull(price);
  struct mt__assign_report rep = {.price = price};
  int64_t total = -1;
  ck_assert_int_eq(
      mt__assign_exact_report(in->nl, in->nr, in->cap, in->arcs, in->n, chosen, &total, &rep),
      MT_OK);
  assert_feasible(in, chosen, total);
  assert_certificate(in, price, rep.scale, total);
  free(price);
  return total;
}

/* ---- brute force ------------------------------------------------------------- */

struct brute {
  const struct instance *in;
  uint32_t *room;
  int64_t best;
};

/* Tries every option of resident i (nothing, or one of its positive arcs
 * into a vacancy with room), then the next resident. */
static void brute_rec(struct brute *b, size_t i, int64_t sum) {
  if (i == b->in->nl) {
    if (sum > b->best)
      b->best = sum;
    return;
  }
  brute_rec(b, i + 1, sum);
  for (size_t a = 0; a < b->in->n; a++) {
    const struct mt__arc *x = &b->in->arcs[a];
    if (x->left != i || x->gain <= 0 || b->room[x->right] == 0)
      continue;
    b->room[x->right]--;
    brute_rec(b, i + 1, sum + x->gain);
    b->room[x->right]++;
  }
}

static int64_t brute_force(const struct instance *in) {
  struct brute b = {in, malloc((in->nr + 1) * sizeof *b.room), 0};
  ck_assert_ptr_nonnull(b.room);
  if (in->nr > 0)
    memcpy(b.room, in->cap, in->nr * sizeof *b.room);
  brute_rec(&b, 0, 0);
  free(b.room);
  return b.best;
}

/* ---- independent exact method: successive shortest paths, Bellman-Ford ------
 * Residents are inserted one at a time; each sends its unit to the sink T
 * along a cheapest path in the residual graph (costs −gain forward, +gain
 * back, 0 into T), found by queue-based Bellman-Ford.  The flow stays
 * optimal for the residents inserted so far, so the residual graph has no
 * negative cycle and the search is well defined. */

struct ssp {
  const struct instance *in;
  size_t *roff, *rarc; /* arcs by resident: rarc[roff[i] .. roff[i+1]) */
  int64_t *asg;        /* resident's arc, or -1 (at T) */
  size_t *moff, *mcnt; /* residents on vacancy j: mem[moff[j] .. + mcnt[j]) */
  size_t *mem;
};

static int64_t ssp_solve(const struct instance *in) {
  const size_t nl = in->nl, nr = in->nr, t = nl + nr, nodes = nl + nr + 1;
  struct ssp s = {in,
                  calloc(nl + 1, sizeof(size_t)),
                  malloc((in->n + 1) * sizeof(size_t)),
                  malloc((nl + 1) * sizeof(int64_t)),
                  calloc(nr + 1, sizeof(size_t)),
                  calloc(nr + 1, sizeof(size_t)),
                  NULL};
  int64_t *dist = malloc(nodes * sizeof *dist);
  int64_t *parc = malloc(nodes * sizeof *parc); /* arc used to enter a vacancy */
  size_t *pred = malloc(nodes * sizeof *pred);
  size_t *queue = malloc(nodes * sizeof *queue);
  uint8_t *inq = calloc(nodes, 1);
  size_t places = 0;
  for (size_t j = 0; j < nr; j++) {
    s.moff[j] = places;
    places += in->cap[j];
  }
  s.mem = malloc((places + 1) * sizeof *s.mem);
  ck_assert(s.roff && s.rarc && s.asg && s.moff && s.mcnt && s.mem && dist && parc && pred &&
            queue && inq);
  for (size_t i = 0; i < nl; i++)
    s.asg[i] = -1;
  for (size_t a = 0; a < in->n; a++)
    s.roff[in->arcs[a].left + 1]++;
  for (size_t i = 0; i < nl; i++)
    s.roff[i + 1] += s.roff[i];
  size_t *fill = calloc(nl + 1, sizeof *fill);
  ck_assert_ptr_nonnull(fill);
  for (size_t a = 0; a < in->n; a++) {
    size_t i = in->arcs[a].left;
    s.rarc[s.roff[i] + fill[i]++] = a;
  }
  free(fill);

  for (size_t src = 0; src < nl; src++) {
    for (size_t v = 0; v < nodes; v++)
      dist[v] = INT64_MAX;
    size_t qh = 0, ql = 0;
    dist[src] = 0;
    queue[ql++] = src;
    inq[src] = 1;
    while (ql > 0) {
      size_t u = queue[qh];
      qh = (qh + 1) % nodes;
      ql--;
      inq[u] = 0;
      /* relax u → v with cost c */
#define RELAX(v, c, arcidx)                                                                        \
  do {                                                                                             \
    size_t v_ = (v);                                                                               \
    int64_t d_ = dist[u] + (c);                                                                    \
    if (d_ < dist[v_]) {                                                                           \
      dist[v_] = d_;                                                                               \
      pred[v_] = u;                                                                                \
      parc[v_] = (arcidx);                                                                         \
      if (!inq[v_] && v_ != t) {                                                                   \
        queue[(qh + ql) % nodes] = v_;                                                             \
        ql++;                                                                                      \
        inq[v_] = 1;                                                                               \
      }                                                                                            \
    }                                                                                              \
  } while (0)
      if (u < nl) {
        for (size_t p = s.roff[u]; p < s.roff[u + 1]; p++) {
          size_t a = s.rarc[p];
          const struct mt__arc *x = &in->arcs[a];
          if (x->gain <= 0 || in->cap[x->right] == 0 || (int64_t)a == s.asg[u])
            continue;
          RELAX(nl + x->right, -x->gain, (int64_t)a);
        }
        if (u == src || s.asg[u] >= 0)
          RELAX(t, 0, -1);
      } else if (u < t) {
        size_t j = u - nl;
        for (size_t p = 0; p < s.mcnt[j]; p++) {
          size_t i = s.mem[s.moff[j] + p];
          RELAX(i, in->arcs[s.asg[i]].gain, -1);
        }
        if (s.mcnt[j] < in->cap[j])
          RELAX(t, 0, -1);
      }
#undef RELAX
    }
    /* Augment along the path to T, from its end: each resident on it moves
     * to the vacancy (or to T) after it. */
    size_t v = t;
    while (v != src) {
      size_t u = pred[v];
      if (u < nl) {
        if (s.asg[u] >= 0) {
          size_t j = in->arcs[s.asg[u]].right;
          for (size_t p = 0; p < s.mcnt[j]; p++)
            if (s.mem[s.moff[j] + p] == u) {
              s.mem[s.moff[j] + p] = s.mem[s.moff[j] + --s.mcnt[j]];
              break;
            }
        }
        if (v == t) {
          s.asg[u] = -1;
        } else {
          s.asg[u] = parc[v];
          s.mem[s.moff[v - nl] + s.mcnt[v - nl]++] = u;
        }
      }
      v = u;
    }
  }
  int64_t total = 0;
  for (size_t i = 0; i < nl; i++)
    if (s.asg[i] >= 0)
      total += in->arcs[s.asg[i]].gain;
  free(s.roff);
  free(s.rarc);
  free(s.asg);
  free(s.moff);
  free(s.mcnt);
  free(s.mem);
  free(dist);
  free(parc);
  free(pred);
  free(queue);
  free(inq);
  return total;
}

/* ---- random small instances against the brute force ---------------------- */

START_TEST(exact_matches_brute_force_on_small_random_instances) {
  rng_seed(1);
  int nontrivial = 0;
  for (int round = 0; round < 1200; round++) {
    size_t nl = (size_t)rng_range(0, 6), nr = (size_t)rng_range(0, 4);
    int64_t mult = round % 5 == 4 ? 1000003 : 1; /* large gains with ties too */
    struct instance in = random_instance(nl, nr, 3, (int)rng_range(20, 90), -3, 9, mult);
    if (round % 97 == 0) /* gains near the accepted maximum */
      for (size_t a = 0; a < in.n; a++)
        in.arcs[a].gain = MT__ASSIGN_MAX_GAIN - rng_range(0, 3);
    uint8_t *chosen = malloc(in.n + 1);
    ck_assert_ptr_nonnull(chosen);
    int64_t best = brute_force(&in);
    int64_t total = solve_checked(&in, chosen);
    ck_assert_msg(total == best, "round %d: exact %lld, brute force %lld", round, (long long)total,
                  (long long)best);
    nontrivial += best > 0;

    int64_t gtotal = -1;
    ck_assert_int_eq(mt__assign_greedy(in.nl, in.nr, in.cap, in.arcs, in.n, chosen, &gtotal),
                     MT_OK);
    assert_feasible(&in, chosen, gtotal);
    ck_assert_int_le(gtotal, best);
    free(chosen);
    instance_free(&in);
  }
  ck_assert_int_gt(nontrivial, 600);
}
END_TEST

START_TEST(finish_alone_matches_brute_force) {
  /* The auction only shortens the exact finish; started from arbitrary
   * prices with nothing assigned, the finish must reach the optimum by
   * itself, routing every resident and every priced vacancy. */
  rng_seed(2);
  for (int round = 0; round < 1500; round++) {
    size_t nl = (size_t)rng_range(0, 6), nr = (size_t)rng_range(0, 4);
    struct instance in = random_instance(nl, nr, 3, (int)rng_range(20, 90), -3, 9, 1);
    int64_t start[4], price[4];
    for (size_t j = 0; j < nr; j++)
      start[j] = rng_range(0, 1) ? 0 : rng_range(0, 12);
    uint8_t *chosen = malloc(in.n + 1);
    ck_assert_ptr_nonnull(chosen);
    struct mt__assign_report rep = {.price = price, .start = start};
    int64_t total = -1;
    ck_assert_int_eq(
        mt__assign_exact_report(in.nl, in.nr, in.cap, in.arcs, in.n, chosen, &total, &rep), MT_OK);
    ck_assert_int_eq(total, brute_force(&in));
    assert_feasible(&in, chosen, total);
    assert_certificate(&in, price, rep.scale, total);
    free(chosen);
    instance_free(&in);
  }
}
END_TEST

START_TEST(finish_alone_matches_ssp) {
  rng_seed(4);
  struct instance in = sparse_instance(800, 80, 10, 6, 1, 40);
  int64_t *start = malloc(in.nr * sizeof *start), *price = malloc(in.nr * sizeof *price);
  uint8_t *chosen = malloc(in.n);
  ck_assert(start && price && chosen);
  for (size_t j = 0; j < in.nr; j++)
    start[j] = rng_range(0, 40);
  struct mt__assign_report rep = {.price = price, .start = start};
  int64_t total = -1;
  ck_assert_int_eq(
      mt__assign_exact_report(in.nl, in.nr, in.cap, in.arcs, in.n, chosen, &total, &rep), MT_OK);
  ck_assert_int_gt(rep.repairs, 100); /* the finish did the work */
  ck_assert_int_eq(total, ssp_solve(&in));
  assert_feasible(&in, chosen, total);
  assert_certificate(&in, price, rep.scale, total);
  free(start);
  free(price);
  free(chosen);
  instance_free(&in);
}
END_TEST

/* ---- hand-built cases ------------------------------------------------------------ */

START_TEST(empty_instance) {
  int64_t total = -1;
  ck_assert_int_eq(mt__assign_exact(0, 0, NULL, NULL, 0, NULL, &total), MT_OK);
  ck_assert_int_eq(total, 0);
  total = -1;
  ck_assert_int_eq(mt__assign_greedy(0, 0, NULL, NULL, 0, NULL, &total), MT_OK);
  ck_assert_int_eq(total, 0);
  /* residents and vacancies but no arcs */
  uint32_t cap[2] = {1, 2};
  total = -1;
  ck_assert_int_eq(mt__assign_exact(3, 2, cap, NULL, 0, NULL, &total), MT_OK);
  ck_assert_int_eq(total, 0);
}
END_TEST

START_TEST(gains_not_positive_are_never_chosen) {
  uint32_t cap[2] = {2, 1};
  struct mt__arc arcs[] = {{0, 0, 0}, {0, 1, -5}, {1, 0, -1}, {1, 1, 0}, {2, 0, INT64_MIN / 4}};
  uint8_t chosen[5] = {9, 9, 9, 9, 9};
  int64_t total = -1;
  ck_assert_int_eq(mt__assign_exact(3, 2, cap, arcs, 5, chosen, &total), MT_OK);
  ck_assert_int_eq(total, 0);
  for (int a = 0; a < 5; a++)
    ck_assert_int_eq(chosen[a], 0);
  memset(chosen, 9, sizeof chosen);
  ck_assert_int_eq(mt__assign_greedy(3, 2, cap, arcs, 5, chosen, &total), MT_OK);
  ck_assert_int_eq(total, 0);
  for (int a = 0; a < 5; a++)
    ck_assert_int_eq(chosen[a], 0);
}
END_TEST

START_TEST(capacity_zero_takes_nobody) {
  /* Vacancy 0 has no room; the best the residents can do is 4 + 3 at
   * vacancy 1 (capacity 2), not 100 + 90 at vacancy 0. */
  uint32_t cap[2] = {0, 2};
  struct mt__arc arcs[] = {{0, 0, 100}, {1, 0, 90}, {0, 1, 4}, {1, 1, 3}};
  uint8_t chosen[4];
  int64_t total = -1;
  ck_assert_int_eq(mt__assign_exact(2, 2, cap, arcs, 4, chosen, &total), MT_OK);
  ck_assert_int_eq(total, 7);
  ck_assert_int_eq(chosen[0] + chosen[1], 0);
  ck_assert_int_eq(chosen[2] + chosen[3], 2);
  ck_assert_int_eq(mt__assign_greedy(2, 2, cap, arcs, 4, chosen, &total), MT_OK);
  ck_assert_int_eq(total, 7);
}
END_TEST

START_TEST(one_resident_wanted_by_two_vacancies) {
  /* Resident 0 is the best candidate of both vacancies (5 at vacancy 0, 7 at
   * vacancy 1, two places) but can take one.  At vacancy 1: 7, plus resident
   * 1 at vacancy 0 (2) and resident 2 at vacancy 1 (1) = 10.  At vacancy 0:
   * 5, plus residents 1 and 2 at vacancy 1 (1 + 1) = 7.  Resident 0 and 1
   * both at vacancy 1: 7 + 1 = 8.  So 10, and only one way. */
  uint32_t cap[2] = {1, 2};
  struct mt__arc arcs[] = {{0, 0, 5}, {0, 1, 7}, {1, 0, 2}, {1, 1, 1}, {2, 1, 1}};
  uint8_t chosen[5];
  int64_t total = -1;
  ck_assert_int_eq(mt__assign_exact(3, 2, cap, arcs, 5, chosen, &total), MT_OK);
  ck_assert_int_eq(total, 10);
  ck_assert_int_eq(chosen[0], 0);
  ck_assert_int_eq(chosen[1], 1);
  ck_assert_int_eq(chosen[2], 1);
  ck_assert_int_eq(chosen[3], 0);
  ck_assert_int_eq(chosen[4], 1);
}
END_TEST

START_TEST(greedy_is_strictly_worse_here) {
  /* Residents A = 0, B = 1; vacancies X = 0, Y = 1, one place each.
   * A–X 10, A–Y 9, B–X 8, B–Y 1.  Greedy takes the largest arc A–X (10),
   * then B can only go to Y (1): 11.  The optimum sends A to Y and B to X:
   * 9 + 8 = 17. */
  uint32_t cap[2] = {1, 1};
  struct mt__arc arcs[] = {{0, 0, 10}, {0, 1, 9}, {1, 0, 8}, {1, 1, 1}};
  uint8_t chosen[4];
  int64_t total = -1;
  ck_assert_int_eq(mt__assign_greedy(2, 2, cap, arcs, 4, chosen, &total), MT_OK);
  ck_assert_int_eq(total, 11);
  ck_assert(chosen[0] && !chosen[1] && !chosen[2] && chosen[3]);
  ck_assert_int_eq(mt__assign_exact(2, 2, cap, arcs, 4, chosen, &total), MT_OK);
  ck_assert_int_eq(total, 17);
  ck_assert(!chosen[0] && chosen[1] && chosen[2] && !chosen[3]);
}
END_TEST

START_TEST(greedy_breaks_ties_by_left_then_right) {
  /* All gains equal, one place each: greedy takes (0,0) first (lowest left,
   * then lowest right), then (1,1); (0,1) and (1,0) find an end taken. */
  uint32_t cap[2] = {1, 1};
  struct mt__arc arcs[] = {{1, 1, 4}, {1, 0, 4}, {0, 1, 4}, {0, 0, 4}};
  uint8_t chosen[4];
  int64_t total = -1;
  ck_assert_int_eq(mt__assign_greedy(2, 2, cap, arcs, 4, chosen, &total), MT_OK);
  ck_assert_int_eq(total, 8);
  ck_assert(chosen[0] && !chosen[1] && !chosen[2] && chosen[3]);
}
END_TEST

START_TEST(unmatched_beats_a_crowded_vacancy) {
  /* Three residents want the one place of vacancy 0 (6, 5, 4); resident 2
   * also has vacancy 1 (3).  Optimum: resident 0 at vacancy 0 (6), resident
   * 2 at vacancy 1 (3), resident 1 unmatched: 9. */
  uint32_t cap[2] = {1, 1};
  struct mt__arc arcs[] = {{0, 0, 6}, {1, 0, 5}, {2, 0, 4}, {2, 1, 3}};
  uint8_t chosen[4];
  int64_t total = -1;
  ck_assert_int_eq(mt__assign_exact(3, 2, cap, arcs, 4, chosen, &total), MT_OK);
  ck_assert_int_eq(total, 9);
  ck_assert(chosen[0] && !chosen[1] && !chosen[2] && chosen[3]);
}
END_TEST

START_TEST(capacity_above_demand) {
  /* Capacity far above the number of residents who want the vacancy. */
  uint32_t cap[1] = {1000000};
  struct mt__arc arcs[] = {{0, 0, 3}, {1, 0, 4}, {2, 0, 5}};
  uint8_t chosen[3];
  int64_t total = -1;
  struct instance in = {3, 1, 3, cap, arcs};
  int64_t price[1];
  struct mt__assign_report rep = {.price = price};
  ck_assert_int_eq(mt__assign_exact_report(3, 1, cap, arcs, 3, chosen, &total, &rep), MT_OK);
  ck_assert_int_eq(total, 12);
  assert_feasible(&in, chosen, total);
  assert_certificate(&in, price, rep.scale, total);
}
END_TEST

START_TEST(bad_arguments_are_refused) {
  uint32_t cap[2] = {1, 1};
  uint8_t chosen[2];
  int64_t total;
  struct mt__arc left_out[] = {{0, 0, 1}, {2, 1, 1}};
  ck_assert_int_eq(mt__assign_exact(2, 2, cap, left_out, 2, chosen, &total), MT_EINVAL);
  ck_assert_int_eq(mt__assign_greedy(2, 2, cap, left_out, 2, chosen, &total), MT_EINVAL);
  struct mt__arc right_out[] = {{0, 2, 1}};
  ck_assert_int_eq(mt__assign_exact(2, 2, cap, right_out, 1, chosen, &total), MT_EINVAL);
  ck_assert_int_eq(mt__assign_greedy(2, 2, cap, right_out, 1, chosen, &total), MT_EINVAL);
  struct mt__arc twice[] = {{1, 0, 3}, {1, 0, 4}};
  ck_assert_int_eq(mt__assign_exact(2, 2, cap, twice, 2, chosen, &total), MT_EINVAL);
  struct mt__arc huge[] = {{0, 0, MT__ASSIGN_MAX_GAIN + 1}};
  ck_assert_int_eq(mt__assign_exact(2, 2, cap, huge, 1, chosen, &total), MT_EINVAL);
  struct mt__arc top[] = {{0, 0, MT__ASSIGN_MAX_GAIN}, {1, 0, MT__ASSIGN_MAX_GAIN - 1}};
  ck_assert_int_eq(mt__assign_exact(2, 2, cap, top, 2, chosen, &total), MT_OK);
  ck_assert_int_eq(total, MT__ASSIGN_MAX_GAIN);
}
END_TEST

/* ---- determinism --------------------------------------------------------------- */

START_TEST(same_input_same_selection) {
  rng_seed(7);
  /* Few distinct gains: many optimal selections to choose between. */
  struct instance in = sparse_instance(3000, 300, 12, 6, 1, 4);
  uint8_t *a = malloc(in.n), *b = malloc(in.n);
  ck_assert(a && b);
  int64_t ta = solve_checked(&in, a);
  int64_t tb = solve_checked(&in, b);
  ck_assert_int_eq(ta, tb);
  ck_assert_mem_eq(a, b, in.n);
  free(a);
  free(b);
  instance_free(&in);
}
END_TEST

START_TEST(arc_order_does_not_matter) {
  rng_seed(11);
  struct instance in = sparse_instance(2000, 200, 10, 5, 1, 6);
  uint8_t *a = malloc(in.n), *b = malloc(in.n);
  size_t *perm = malloc(in.n * sizeof *perm);
  struct mt__arc *shuffled = malloc(in.n * sizeof *shuffled);
  ck_assert(a && b && perm && shuffled);
  for (size_t x = 0; x < in.n; x++)
    perm[x] = x;
  for (size_t x = in.n - 1; x > 0; x--) {
    size_t y = (size_t)rng_range(0, (int64_t)x);
    size_t tmp = perm[x];
    perm[x] = perm[y];
    perm[y] = tmp;
  }
  for (size_t x = 0; x < in.n; x++)
    shuffled[x] = in.arcs[perm[x]];
  int64_t ta = solve_checked(&in, a);
  struct instance sh = {in.nl, in.nr, in.n, in.cap, shuffled};
  int64_t tb = solve_checked(&sh, b);
  ck_assert_int_eq(ta, tb);
  /* not only the same total: the same pairs */
  for (size_t x = 0; x < in.n; x++)
    ck_assert_int_eq(b[x], a[perm[x]]);
  free(a);
  free(b);
  free(perm);
  free(shuffled);
  free(in.cap);
  free(in.arcs);
}
END_TEST

/* ---- larger instances against the independent method ---------------------------- */

START_TEST(exact_matches_ssp_on_larger_instances) {
  static const struct {
    size_t nl, nr, deg;
    uint32_t maxcap;
    int64_t glo, ghi;
  } cases[] = {
      {2000, 200, 20, 12, 20000000, 150000000}, /* keys in millionths, city-like */
      {2000, 200, 20, 3, 1, 5},                 /* scarce places, heavy ties */
      {1500, 300, 8, 2, 1, 1000},
  };
  rng_seed(3);
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    struct instance in = sparse_instance(cases[c].nl, cases[c].nr, cases[c].deg, cases[c].maxcap,
                                         cases[c].glo, cases[c].ghi);
    uint8_t *chosen = malloc(in.n);
    ck_assert_ptr_nonnull(chosen);
    int64_t total = solve_checked(&in, chosen);
    int64_t ref = ssp_solve(&in);
    ck_assert_msg(total == ref, "case %zu: exact %lld, ssp %lld", c, (long long)total,
                  (long long)ref);
    int64_t gtotal = -1;
    ck_assert_int_eq(mt__assign_greedy(in.nl, in.nr, in.cap, in.arcs, in.n, chosen, &gtotal),
                     MT_OK);
    assert_feasible(&in, chosen, gtotal);
    ck_assert_int_le(gtotal, total);
    free(chosen);
    instance_free(&in);
  }
}
END_TEST

START_TEST(ssp_reference_agrees_with_brute_force) {
  /* The reference method is itself checked, so a disagreement above points
   * at the solver. */
  rng_seed(5);
  for (int round = 0; round < 300; round++) {
    struct instance in =
        random_instance((size_t)rng_range(0, 6), (size_t)rng_range(0, 4), 3, 60, -2, 7, 1);
    ck_assert_int_eq(ssp_solve(&in), brute_force(&in));
    instance_free(&in);
  }
}
END_TEST

/* ---- allocation failure ----------------------------------------------------------- */

START_TEST(allocation_failure_is_reported) {
  /* Caps the address space a little above what the process holds, at
   * growing margins, so that the solver's allocations fail at different
   * points: each call must report MT_ENOMEM or solve correctly (leaks are
   * the sanitizer build's and valgrind's to find).  Under AddressSanitizer
   * or valgrind the cap would starve the tool itself, so the test does
   * nothing there. */
  if (tu_under_memory_tool())
    return;
  rng_seed(9);
  struct instance in = sparse_instance(20000, 2000, 20, 12, 1, 1000000);
  uint8_t *chosen = malloc(in.n);
  int64_t *totals = malloc(40 * sizeof *totals);
  enum mt_status *sts = malloc(40 * sizeof *sts);
  ck_assert(chosen && totals && sts);
  for (int x = 0; x < 40; x++) {
    tu_cap_address_space((size_t)x * (1u << 20));
    totals[x] = -1;
    sts[x] = mt__assign_exact(in.nl, in.nr, in.cap, in.arcs, in.n, chosen, &totals[x]);
    tu_cap_address_space(SIZE_MAX);
  }
  int64_t want = solve_checked(&in, chosen);
  int failed = 0, solved = 0;
  for (int x = 0; x < 40; x++) {
    if (sts[x] == MT_ENOMEM) {
      failed++;
      continue;
    }
    ck_assert_int_eq(sts[x], MT_OK);
    ck_assert_int_eq(totals[x], want);
    solved++;
  }
  ck_assert_int_gt(failed, 0);
  ck_assert_int_gt(solved, 0);
  free(chosen);
  free(totals);
  free(sts);
  instance_free(&in);
}
END_TEST

static Suite *assign_suite(void) {
  Suite *s = suite_create("assign");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, exact_matches_brute_force_on_small_random_instances);
  tcase_add_test(tc, finish_alone_matches_brute_force);
  tcase_add_test(tc, finish_alone_matches_ssp);
  tcase_add_test(tc, empty_instance);
  tcase_add_test(tc, gains_not_positive_are_never_chosen);
  tcase_add_test(tc, capacity_zero_takes_nobody);
  tcase_add_test(tc, one_resident_wanted_by_two_vacancies);
  tcase_add_test(tc, greedy_is_strictly_worse_here);
  tcase_add_test(tc, greedy_breaks_ties_by_left_then_right);
  tcase_add_test(tc, unmatched_beats_a_crowded_vacancy);
  tcase_add_test(tc, capacity_above_demand);
  tcase_add_test(tc, bad_arguments_are_refused);
  tcase_add_test(tc, same_input_same_selection);
  tcase_add_test(tc, arc_order_does_not_matter);
  tcase_add_test(tc, ssp_reference_agrees_with_brute_force);
  tcase_add_test(tc, exact_matches_ssp_on_larger_instances);
  tcase_add_test(tc, allocation_failure_is_reported);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return tu_run_suite(assign_suite());
}
