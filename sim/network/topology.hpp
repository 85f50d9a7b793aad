#pragma once
// The graph of hosts and links behind sim::Network, built from a NetworkConfig and the registered hosts.
//
// full_mesh: a route is the one direct link of the region pair. edges / random_graph: a Boost.Graph
// adjacency_list with base latencies as weights; Dijkstra runs once per source host (on first use) and its
// predecessor map is cached, so a route costs one walk back along the tree. Boost.Graph stays inside
// topology.cpp (pimpl), so including this header is cheap.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/network/network_config.hpp"
#include "sim/time.hpp"

namespace sim {

using HostId = std::uint32_t;

struct HostSpec {
  std::string name;    // unique host name (the actor's name)
  std::string region;  // full_mesh: one of NetworkConfig::regions ("default" when none are declared)
};

// A route between two hosts: the links it crosses, in order. Empty hops with reachable = true means the
// source is the destination.
struct Route {
  bool reachable = false;
  Duration base;                         // sum of the hops' base latencies
  std::vector<const LinkParams*> hops;   // owned by the Topology
};

class Topology {
 public:
  // Throws std::invalid_argument when an edge names an unknown host or a host names an unknown region.
  Topology(const NetworkConfig& cfg, std::vector<HostSpec> hosts);
  ~Topology();
  Topology(const Topology&) = delete;
  Topology& operator=(const Topology&) = delete;

  std::size_t host_count() const { return hosts_.size(); }
  const HostSpec& host(HostId h) const { return hosts_[h]; }
  // Links in the graph (full_mesh: region pairs with their parameters, not host pairs).
  std::size_t link_count() const;
  // The route from a to b (Dijkstra by base latency, cached per source).
  Route route(HostId a, HostId b) const;
  // Position in the unit square of a random_graph host (for tests and plots); (0, 0) otherwise.
  std::pair<double, double> position(HostId h) const;

 private:
  struct Impl;
  std::vector<HostSpec> hosts_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sim
