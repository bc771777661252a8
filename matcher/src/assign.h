/*
 * assign.h — the engine's capacity-constrained assignment solver, internal to
 * the matcher library (the match run and the benchmark call it; nothing else
 * should).  Left nodes are residents, each usable at most once; right nodes
 * are vacancies, right node r usable at most cap[r] times; every arc carries
 * an integer gain (a ranking key in millionths).  mt__assign_exact() finds a
 * selection of maximum total gain; mt__assign_greedy() is the labelled
 * baseline the product keeps only for comparison.
 *
 * Both functions borrow their arguments and allocate nothing that outlives
 * the call.  Arcs may come in any order, with at most one arc per
 * (left, right) pair; the result does not depend on that order.
 */
#ifndef PADAN_ASSIGN_H
#define PADAN_ASSIGN_H

#include "matcher.h"

#include <stddef.h>
#include <stdint.h>

struct mt__arc {
  uint32_t left;  /* resident index */
  uint32_t right; /* vacancy index */
  int64_t gain;
};

/* Chooses arcs so that each left node is used at most once and right node r
 * at most cap[r] times, maximising the total gain; arcs with gain <= 0 are
 * never chosen.  chosen[i] = 1 for chosen arcs (0 otherwise), *total gets the
 * sum.  Deterministic (same input, same output).  Returns MT_OK, MT_ENOMEM,
 * or MT_EINVAL for an arc whose end is out of range, two arcs on one pair, or
 * a gain above MT__ASSIGN_MAX_GAIN.  On error chosen and *total are left
 * unspecified. */
enum mt_status mt__assign_exact(size_t n_left, size_t n_right, const uint32_t *cap,
                                const struct mt__arc *arcs, size_t n_arcs, uint8_t *chosen,
                                int64_t *total);

/* The labelled baseline: arcs by descending gain (ties by left, then right),
 * each taken when both its ends still have room.  Same contract. */
enum mt_status mt__assign_greedy(size_t n_left, size_t n_right, const uint32_t *cap,
                                 const struct mt__arc *arcs, size_t n_arcs, uint8_t *chosen,
                                 int64_t *total);

/* Largest gain the exact solver accepts: it works on gains scaled by up to
 * the number of residents and keeps every intermediate value in int64. */
#define MT__ASSIGN_MAX_GAIN ((int64_t)1 << 40)

/* What the exact solver reports besides the selection, for tests and the
 * benchmark.  price (caller-allocated, n_right elements, or NULL) receives a
 * certificate of optimality: a dual price per vacancy, >= 0, in units of
 * 1/scale of a gain.  With pi[l] = max(0, max over l's arcs of gain·scale −
 * price[r]), the dual bound D = sum of pi + sum of cap[r]·price[r] is at
 * least scale times the total of any selection (weak duality), and the
 * solver guarantees D < (total + 1)·scale; totals being integers, no
 * selection beats the chosen one.  The counters say how much work it took. */
struct mt__assign_report {
  int64_t *price;                 /* in: where to write the prices, or NULL */
  const int64_t *start;           /* in, tests only: skip the auction and start the finish
                                     from these vacancy prices (n_right, in gains), or NULL */
  int64_t scale;                  /* out */
  uint64_t phases, bids, rbids;   /* auction: phases, bids, reverse bids */
  uint64_t nudged;                /* residents the finish nudged to tight */
  uint64_t repairs, repair_nodes; /* exact finish: searches, nodes settled */
  uint64_t repair_residents, repair_deficit; /* imbalances the auction left */
};

/* mt__assign_exact() that also fills *report (may be NULL). */
enum mt_status mt__assign_exact_report(size_t n_left, size_t n_right, const uint32_t *cap,
                                       const struct mt__arc *arcs, size_t n_arcs, uint8_t *chosen,
                                       int64_t *total, struct mt__assign_report *report);

#endif
