/*
 * lemon_solve.h — LEMON's NetworkSimplex (Debian's liblemon-dev) on a
 * padan assignment instance, callable from C, so that bench_matcher can
 * time it in the same process, alternating with the match run it is the
 * reference for: on a shared machine whose speed swings from one second to
 * the next, alternating is what makes the two figures comparable.  The
 * network is the one lemon_assign reads from the DIMACS file bench_matcher
 * writes (source → resident capacity 1, resident → vacancy capacity 1 cost
 * −gain for every arc with a positive gain, vacancy → sink its capacity, and
 * a source → sink bypass of capacity n_left so that staying unmatched is
 * free), built in the same order.
 */
#ifndef PADAN_LEMON_SOLVE_H
#define PADAN_LEMON_SOLVE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct lemon_arc {
  uint32_t left, right;
  int64_t gain;
};

/* One solve: wall and CPU seconds of NetworkSimplex's run() alone (building
 * the network excluded, as reading the file is in lemon_assign) and the
 * optimum, the best total gain; ok = 0 if LEMON found no optimum. */
struct lemon_result {
  double wall_s, cpu_s;
  long long optimum;
  int ok;
};

struct lemon_net;

/* Builds the network of an instance (cap: n_right capacities); NULL when
 * out of memory.  Freed with lemon_net_free(). */
struct lemon_net *lemon_net_new(size_t n_left, size_t n_right, const uint32_t *cap,
                                const struct lemon_arc *arcs, size_t n_arcs);
struct lemon_result lemon_net_solve(struct lemon_net *net);
void lemon_net_free(struct lemon_net *net);

#ifdef __cplusplus
}
#endif

#endif
