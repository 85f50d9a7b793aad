#pragma once
// Network configuration: plain structs for the topology, the links and the delivery channels, matching the
// scenario's `network:` block. Decoded from YAML by models/scenario, checked by validate(), consumed by
// sim::Network (sim/network/network.hpp).
//
// Three topologies:
//  - full_mesh (default): every host talks directly to every other; the one-way base latency of a pair is
//    the region-to-region `latency` matrix entry (symmetric; either order may be given), or
//    `intra_region_latency` inside one region.
//  - edges: an explicit undirected edge list between hosts; messages follow the Dijkstra shortest path by
//    base latency.
//  - random_graph: a seeded Waxman or random-geometric graph over the hosts (placed uniformly in the unit
//    square); edge base latency grows with Euclidean distance; shortest paths as for `edges`.
//
// A message's latency is  sum over hops of (base + jitter) + bytes * 8 / bottleneck bandwidth,
// plus retransmission delays on reliable channels. Jitter J >= 0 is added to the hop's base latency B:
//   lognormal: J = B * scale * exp(N(0, sigma))         (median B * scale)
//   pareto:    J = B * scale * (Pareto(1, alpha) - 1)   (Lomax: 0 at minimum, heavy tail of index alpha)
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config_issue.hpp"
#include "sim/time.hpp"

namespace sim {

enum class JitterDist { none, lognormal, pareto };

struct JitterConfig {
  JitterDist dist = JitterDist::none;  // none | lognormal | pareto; off unless the scenario sets it
  double scale = 0.1;                  // median (lognormal) or scale (pareto) of J as a fraction of the base latency; assumption
  double sigma = 0.3;                  // lognormal shape (sd of ln J), > 0; scenario sketch value
  double alpha = 2.5;                  // pareto tail index, > 0 (> 1 for a finite mean); assumption
};

// The parameters of one hop (a direct host-to-host link).
struct LinkParams {
  Duration latency = Duration::nanoseconds(50'000'000);  // one-way base latency, >= 0; assumption: 50 ms
  JitterConfig jitter;                                    // random extra delay per message
  std::uint64_t bandwidth_bps = 0;                        // bits per second for serialization delay; 0 = infinite
  double loss = 0.0;                                      // probability a transmission is lost, in [0, 1)
};

// Overrides for the links between two regions (full_mesh); unset fields keep the network-wide value.
struct RegionLinkConfig {
  std::string a;                                 // region name
  std::string b;                                 // region name (may equal a: links inside one region)
  std::optional<JitterConfig> jitter;            // replaces network.jitter for this pair
  std::optional<std::uint64_t> bandwidth_bps;    // replaces network.bandwidth_bps (bits/s, 0 = infinite)
  std::optional<double> loss;                    // replaces network.loss, in [0, 1)
};

// One undirected edge of an explicit topology.
struct EdgeConfig {
  std::string a;    // host name
  std::string b;    // host name, != a
  LinkParams link;  // the edge's latency, jitter, bandwidth and loss
};

enum class RandomGraphModel { waxman, geometric };

struct RandomGraphConfig {
  RandomGraphModel model = RandomGraphModel::waxman;  // waxman | geometric
  std::uint64_t seed = 1;                              // the graph's own seed: the same graph in every replication
  double alpha = 0.4;                                  // waxman: distance decay (0, 1]: P(edge) = beta * exp(-d / (alpha * sqrt 2))
  double beta = 0.4;                                   // waxman: edge probability at distance 0, (0, 1]
  double radius = 0.3;                                 // geometric: connect hosts within this distance (unit square), (0, 1.5]
  Duration latency_per_unit = Duration::nanoseconds(100'000'000);  // base latency added per unit of distance; assumption: 100 ms
  Duration min_latency = Duration::nanoseconds(1'000'000);         // base latency of an edge of length 0; assumption: 1 ms
  bool connect_components = true;  // join disconnected components through their closest host pairs
};

enum class TopologyKind { full_mesh, edges, random_graph };

// How a channel (a message kind) reacts to loss.
enum class Delivery {
  reliable_ordered,  // TCP-like: never reorders between a pair; a lost transmission costs a retransmission timeout
  best_effort,       // UDP-like: a lost message is dropped; messages may overtake each other
};

struct NetworkConfig {
  TopologyKind topology = TopologyKind::full_mesh;  // full_mesh | edges | random_graph

  // full_mesh
  std::vector<std::string> regions;  // region names; empty: one implicit region "default"
  std::map<std::string, std::map<std::string, Duration>> latency;  // one-way base latency per region pair (symmetric)
  Duration intra_region_latency = Duration::nanoseconds(1'000'000);  // base latency inside a region; assumption: 1 ms
  JitterConfig jitter;                // network-wide jitter (full_mesh links, random_graph edges)
  std::uint64_t bandwidth_bps = 0;    // network-wide link bandwidth, bits/s; 0 = infinite
  double loss = 0.0;                  // network-wide loss probability per transmission, [0, 1)
  std::vector<RegionLinkConfig> region_links;  // per-region-pair overrides of jitter, bandwidth, loss

  // edges
  std::vector<EdgeConfig> edges;  // explicit undirected edges between host names

  // random_graph
  RandomGraphConfig random_graph;

  // channels
  Delivery default_delivery = Delivery::reliable_ordered;  // for message kinds not in `channels`
  std::map<std::string, Delivery> channels;                // per message kind (e.g. "ocr/observe": best_effort)
  Duration retransmit_timeout = Duration::nanoseconds(200'000'000);  // reliable: delay per lost transmission (doubles each retry); assumption: Linux TCP_RTO_MIN 200 ms
  std::uint32_t max_retransmissions = 15;  // reliable: give up (drop, reason loss) after this many; assumption: Linux tcp_retries2
};

std::string_view to_string(JitterDist d);
std::string_view to_string(TopologyKind k);
std::string_view to_string(Delivery d);
std::string_view to_string(RandomGraphModel m);

// Every problem in the configuration, by key path under "network" ("network.latency.us-east.eu-west",
// "network.edges[3].b"). Host names in `edges` are checked against the hosts only when the network is built.
ConfigIssues validate(const NetworkConfig& cfg);
// Checks of one jitter block, with `path` the key of the block ("network.jitter").
void validate(const JitterConfig& j, const std::string& path, ConfigIssues& issues);

}  // namespace sim
