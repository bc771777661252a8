/*
 * lemon_assign.cpp — the reference point for padan's assignment solver: an
 * established min-cost flow solver (LEMON's NetworkSimplex, Debian's
 * liblemon-dev) on the same instance.  Reads the DIMACS min-cost-flow file
 * that bench_matcher writes (source → resident capacity 1, resident →
 * vacancy capacity 1 cost −gain, vacancy → sink its capacity, and a
 * source → sink bypass of capacity n_left so staying unmatched is free),
 * solves it, and prints the solve time (reading excluded) and the optimum,
 * the best total gain (= −minimum cost), as one line of JSON.
 *
 * usage: lemon_assign FILE [RUNS]   (median of RUNS solves, default 3)
 */
#include <lemon/dimacs.h>
#include <lemon/list_graph.h>
#include <lemon/network_simplex.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: lemon_assign FILE [RUNS]\n");
    return 2;
  }
  int runs = argc == 3 ? std::atoi(argv[2]) : 3;
  if (runs < 1)
    runs = 1;
  std::ifstream file(argv[1]);
  if (!file) {
    std::perror(argv[1]);
    return 1;
  }
  typedef lemon::ListDigraph Graph;
  Graph g;
  Graph::ArcMap<int> lower(g), cap(g);
  Graph::ArcMap<long long> cost(g);
  Graph::NodeMap<int> supply(g);
  lemon::readDimacsMin(file, g, lower, cap, cost, supply);

  std::vector<double> times;
  long long optimum = 0;
  for (int r = 0; r < runs; r++) {
    auto t0 = std::chrono::steady_clock::now();
    lemon::NetworkSimplex<Graph, int, long long> ns(g);
    ns.lowerMap(lower).upperMap(cap).costMap(cost).supplyMap(supply);
    auto result = ns.run();
    auto t1 = std::chrono::steady_clock::now();
    if (result != lemon::NetworkSimplex<Graph, int, long long>::OPTIMAL) {
      std::fprintf(stderr, "lemon_assign: NetworkSimplex did not find an optimum (%d)\n",
                   static_cast<int>(result));
      return 1;
    }
    optimum = -ns.totalCost();
    times.push_back(std::chrono::duration<double>(t1 - t0).count());
  }
  std::sort(times.begin(), times.end());
  double med = times.size() % 2 ? times[times.size() / 2]
                                : (times[times.size() / 2 - 1] + times[times.size() / 2]) / 2;
  std::printf("{\"solver\": \"lemon NetworkSimplex\", \"nodes\": %d, \"arcs\": %d, "
              "\"runs\": %d, \"seconds\": %.6f, \"optimum\": %lld}\n",
              lemon::countNodes(g), lemon::countArcs(g), runs, med, optimum);
  return 0;
}
