#include "sim/network/topology.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <fmt/core.h>

#include "sim/distributions.hpp"
#include "sim/random.hpp"

namespace sim {

namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                                    boost::property<boost::edge_weight_t, std::int64_t,
                                                    boost::property<boost::edge_index_t, std::uint32_t>>>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;

}  // namespace

struct Topology::Impl {
  TopologyKind kind = TopologyKind::full_mesh;
  // full_mesh
  std::vector<std::size_t> region_of;  // per host
  std::size_t regions = 0;
  std::vector<LinkParams> mesh;        // regions x regions
  // graphs
  Graph graph;
  std::vector<LinkParams> links;       // by edge index
  std::vector<std::pair<double, double>> pos;
  mutable std::vector<std::vector<Vertex>> pred;  // per source, empty until computed
  mutable std::vector<std::vector<std::int64_t>> dist;

  void add_edge(HostId a, HostId b, const LinkParams& p) {
    const auto idx = static_cast<std::uint32_t>(links.size());
    links.push_back(p);
    boost::add_edge(a, b, {p.latency.ns(), idx}, graph);
  }
};

Topology::Topology(const NetworkConfig& cfg, std::vector<HostSpec> hosts)
    : hosts_(std::move(hosts)), impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.kind = cfg.topology;
  const std::size_t n = hosts_.size();
  std::map<std::string, HostId, std::less<>> by_name;
  for (HostId h = 0; h < n; ++h)
    if (!by_name.emplace(hosts_[h].name, h).second)
      throw std::invalid_argument(fmt::format("network: host '{}' added twice", hosts_[h].name));

  if (cfg.topology == TopologyKind::full_mesh) {
    std::vector<std::string> names = cfg.regions.empty() ? std::vector<std::string>{"default"} : cfg.regions;
    std::map<std::string, std::size_t, std::less<>> idx;
    for (std::size_t i = 0; i < names.size(); ++i) idx.emplace(names[i], i);
    m.regions = names.size();
    LinkParams base;
    base.jitter = cfg.jitter;
    base.bandwidth_bps = cfg.bandwidth_bps;
    base.loss = cfg.loss;
    m.mesh.assign(m.regions * m.regions, base);
    for (std::size_t i = 0; i < m.regions; ++i) m.mesh[i * m.regions + i].latency = cfg.intra_region_latency;
    for (const auto& [a, row] : cfg.latency)
      for (const auto& [b, d] : row) {
        auto ia = idx.find(a), ib = idx.find(b);
        if (ia == idx.end() || ib == idx.end() || a == b) continue;  // reported by validate()
        m.mesh[ia->second * m.regions + ib->second].latency = d;
        m.mesh[ib->second * m.regions + ia->second].latency = d;
      }
    for (const RegionLinkConfig& rl : cfg.region_links) {
      auto ia = idx.find(rl.a), ib = idx.find(rl.b);
      if (ia == idx.end() || ib == idx.end()) continue;
      for (LinkParams* p : {&m.mesh[ia->second * m.regions + ib->second], &m.mesh[ib->second * m.regions + ia->second]}) {
        if (rl.jitter) p->jitter = *rl.jitter;
        if (rl.bandwidth_bps) p->bandwidth_bps = *rl.bandwidth_bps;
        if (rl.loss) p->loss = *rl.loss;
      }
    }
    m.region_of.resize(n);
    for (HostId h = 0; h < n; ++h) {
      const std::string& r = hosts_[h].region.empty() ? names.front() : hosts_[h].region;
      auto it = idx.find(r);
      if (it == idx.end())
        throw std::invalid_argument(fmt::format("network: host '{}' is in unknown region '{}'", hosts_[h].name, r));
      m.region_of[h] = it->second;
    }
    return;
  }

  m.graph = Graph(n);
  m.pred.assign(n, {});
  m.dist.assign(n, {});
  if (cfg.topology == TopologyKind::edges) {
    for (std::size_t i = 0; i < cfg.edges.size(); ++i) {
      const EdgeConfig& e = cfg.edges[i];
      auto a = by_name.find(e.a), b = by_name.find(e.b);
      if (a == by_name.end())
        throw std::invalid_argument(fmt::format("network.edges[{}].a: unknown host '{}'", i, e.a));
      if (b == by_name.end())
        throw std::invalid_argument(fmt::format("network.edges[{}].b: unknown host '{}'", i, e.b));
      m.add_edge(a->second, b->second, e.link);
    }
    return;
  }

  // random_graph: positions drawn in sorted name order from the graph's own seed.
  const RandomGraphConfig& g = cfg.random_graph;
  Rng rng = RngFactory(g.seed).stream("network/random-graph");
  m.pos.assign(n, {0.0, 0.0});
  std::vector<HostId> order;  // sorted by name
  for (const auto& [name, h] : by_name) order.push_back(h);
  for (HostId h : order) {
    const double x = rng.uniform01();
    const double y = rng.uniform01();
    m.pos[h] = {x, y};
  }
  auto distance = [&](HostId a, HostId b) { return std::hypot(m.pos[a].first - m.pos[b].first, m.pos[a].second - m.pos[b].second); };
  auto params = [&](double d) {
    LinkParams p;
    p.latency = g.min_latency + Duration::from_seconds(g.latency_per_unit.seconds() * d);
    p.jitter = cfg.jitter;
    p.bandwidth_bps = cfg.bandwidth_bps;
    p.loss = cfg.loss;
    return p;
  };
  std::vector<std::size_t> comp(n);
  std::iota(comp.begin(), comp.end(), 0);
  auto find = [&](std::size_t x) {
    while (comp[x] != x) x = comp[x] = comp[comp[x]];
    return x;
  };
  const double max_d = std::sqrt(2.0);
  for (std::size_t i = 0; i < order.size(); ++i)
    for (std::size_t j = i + 1; j < order.size(); ++j) {
      const HostId a = order[i], b = order[j];
      const double d = distance(a, b);
      bool edge = false;
      if (g.model == RandomGraphModel::waxman) edge = bernoulli(rng, g.beta * std::exp(-d / (g.alpha * max_d)));
      else edge = d <= g.radius;
      if (edge) {
        m.add_edge(a, b, params(d));
        comp[find(a)] = find(b);
      }
    }
  if (g.connect_components && n > 1) {
    // Join components: repeatedly link the component of the first host (sorted order) to its closest outsider.
    for (;;) {
      const std::size_t root = find(order[0]);
      double best = std::numeric_limits<double>::infinity();
      HostId ba = 0, bb = 0;
      for (HostId a : order) {
        if (find(a) != root) continue;
        for (HostId b : order) {
          if (find(b) == root) continue;
          const double d = distance(a, b);
          if (d < best) {
            best = d;
            ba = a;
            bb = b;
          }
        }
      }
      if (!std::isfinite(best)) break;
      m.add_edge(ba, bb, params(best));
      comp[find(bb)] = root;
    }
  }
}

Topology::~Topology() = default;

std::size_t Topology::link_count() const {
  return impl_->kind == TopologyKind::full_mesh ? impl_->mesh.size() : impl_->links.size();
}

std::pair<double, double> Topology::position(HostId h) const {
  return h < impl_->pos.size() ? impl_->pos[h] : std::pair{0.0, 0.0};
}

Route Topology::route(HostId a, HostId b) const {
  const Impl& m = *impl_;
  Route r;
  if (a == b) {
    r.reachable = true;
    return r;
  }
  if (m.kind == TopologyKind::full_mesh) {
    const LinkParams& p = m.mesh[m.region_of[a] * m.regions + m.region_of[b]];
    r.reachable = true;
    r.base = p.latency;
    r.hops.push_back(&p);
    return r;
  }
  if (m.pred[a].empty()) {
    const std::size_t n = boost::num_vertices(m.graph);
    m.pred[a].resize(n);
    m.dist[a].assign(n, 0);
    boost::dijkstra_shortest_paths(
        m.graph, static_cast<Vertex>(a),
        boost::predecessor_map(boost::make_iterator_property_map(m.pred[a].begin(), boost::get(boost::vertex_index, m.graph)))
            .distance_map(boost::make_iterator_property_map(m.dist[a].begin(), boost::get(boost::vertex_index, m.graph)))
            .distance_inf(std::numeric_limits<std::int64_t>::max()));
  }
  const auto& pred = m.pred[a];
  if (pred[b] == b) return r;  // unreachable (Dijkstra leaves the vertex its own predecessor)
  std::vector<const LinkParams*> rev;
  for (Vertex v = b; v != a; v = pred[v]) {
    const Vertex u = pred[v];
    // The cheapest of possibly parallel edges u-v.
    const LinkParams* best = nullptr;
    for (auto [it, end] = boost::out_edges(u, m.graph); it != end; ++it) {
      if (boost::target(*it, m.graph) != v) continue;
      const LinkParams& p = m.links[boost::get(boost::edge_index, m.graph, *it)];
      if (!best || p.latency < best->latency) best = &p;
    }
    rev.push_back(best);
  }
  r.reachable = true;
  r.hops.assign(rev.rbegin(), rev.rend());
  r.base = Duration::nanoseconds(m.dist[a][b]);
  return r;
}

}  // namespace sim
