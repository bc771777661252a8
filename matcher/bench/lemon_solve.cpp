/*
 * lemon_solve.cpp — see lemon_solve.h: the instance as LEMON's min-cost
 * flow network, and timed NetworkSimplex solves of it.
 */
#include "lemon_solve.h"

#include <lemon/list_graph.h>
#include <lemon/network_simplex.h>

#include <chrono>
#include <ctime>
#include <new>
#include <vector>

typedef lemon::ListDigraph Graph;

struct lemon_net {
  Graph g;
  Graph::ArcMap<int> cap;
  Graph::ArcMap<long long> cost;
  Graph::NodeMap<int> supply;
  lemon_net() : cap(g), cost(g), supply(g) {}
};

static double cpu_seconds() {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

extern "C" struct lemon_net *lemon_net_new(size_t n_left, size_t n_right, const uint32_t *cap,
                                           const struct lemon_arc *arcs, size_t n_arcs) {
  try {
    lemon_net *n = new lemon_net;
    Graph &g = n->g;
    Graph::Node s = g.addNode();
    std::vector<Graph::Node> left(n_left), right(n_right);
    for (size_t i = 0; i < n_left; i++)
      left[i] = g.addNode();
    for (size_t j = 0; j < n_right; j++)
      right[j] = g.addNode();
    Graph::Node t = g.addNode();
    for (Graph::NodeIt v(g); v != lemon::INVALID; ++v)
      n->supply[v] = 0;
    n->supply[s] = static_cast<int>(n_left);
    n->supply[t] = -static_cast<int>(n_left);
    for (size_t i = 0; i < n_left; i++) {
      Graph::Arc a = g.addArc(s, left[i]);
      n->cap[a] = 1;
      n->cost[a] = 0;
    }
    for (size_t k = 0; k < n_arcs; k++) {
      if (arcs[k].gain <= 0)
        continue;
      Graph::Arc a = g.addArc(left[arcs[k].left], right[arcs[k].right]);
      n->cap[a] = 1;
      n->cost[a] = -static_cast<long long>(arcs[k].gain);
    }
    for (size_t j = 0; j < n_right; j++) {
      Graph::Arc a = g.addArc(right[j], t);
      n->cap[a] = static_cast<int>(cap[j]);
      n->cost[a] = 0;
    }
    Graph::Arc bypass = g.addArc(s, t);
    n->cap[bypass] = static_cast<int>(n_left);
    n->cost[bypass] = 0;
    return n;
  } catch (const std::bad_alloc &) {
    return nullptr;
  }
}

extern "C" struct lemon_result lemon_net_solve(struct lemon_net *n) {
  lemon_result r = {0.0, 0.0, 0, 0};
  typedef lemon::NetworkSimplex<Graph, int, long long> Simplex;
  auto w0 = std::chrono::steady_clock::now();
  double c0 = cpu_seconds();
  Simplex ns(n->g);
  ns.upperMap(n->cap).costMap(n->cost).supplyMap(n->supply);
  Simplex::ProblemType result = ns.run();
  r.cpu_s = cpu_seconds() - c0;
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
  r.ok = result == Simplex::OPTIMAL;
  r.optimum = r.ok ? -ns.totalCost() : 0;
  return r;
}

extern "C" void lemon_net_free(struct lemon_net *n) {
  delete n;
}
