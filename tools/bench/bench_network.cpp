// Network benchmarks (Google Benchmark): broadcast among 31 hosts, the size of a large OCR DON.
// One iteration is one round: each of the 31 hosts broadcasts a 256-byte message to the 30 others
// (930 messages), then the simulation runs until every message was delivered. The `msgs/s` counter is
// messages sent and delivered (callback run) per second of wall time.
//   BM_Broadcast31/0  full mesh, one region, no jitter, reliable-ordered channel
//   BM_Broadcast31/1  three regions, lognormal jitter, 1 Gbit/s links, reliable-ordered channel
//   BM_Broadcast31/2  as 1 on a best-effort channel with 1% loss
//   BM_Broadcast31/3  as 1 with a partition and a crash active (drops at send)
//   BM_Broadcast31Edges  a 31-host Waxman random graph (multi-hop Dijkstra routes, cached)
#include <cstdint>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/core.h>

#include "sim/network/network.hpp"
#include "sim/simulation.hpp"

namespace {

using namespace sim::literals;

constexpr int kHosts = 31;
constexpr std::uint32_t kBytes = 256;

sim::NetworkConfig config(int variant) {
  sim::NetworkConfig c;
  if (variant == 0) return c;
  c.regions = {"us-east", "eu-west", "ap-south"};
  c.latency["us-east"]["eu-west"] = 40_ms;
  c.latency["us-east"]["ap-south"] = 110_ms;
  c.latency["eu-west"]["ap-south"] = 70_ms;
  c.jitter.dist = sim::JitterDist::lognormal;
  c.bandwidth_bps = 1'000'000'000;
  if (variant == 2) {
    c.default_delivery = sim::Delivery::best_effort;
    c.loss = 0.01;
  }
  return c;
}

void run_rounds(benchmark::State& state, sim::Simulation& s, sim::Network& net) {
  const sim::MessageKind k = net.kind("bench/broadcast");
  std::uint64_t delivered = 0;
  std::uint64_t sent = 0;
  for (auto _ : state) {
    for (sim::HostId h = 0; h < kHosts; ++h) net.broadcast(h, kBytes, k, [&delivered](sim::HostId) { ++delivered; });
    sent += kHosts * (kHosts - 1);
    s.run();
  }
  benchmark::DoNotOptimize(delivered);
  state.counters["msgs/s"] = benchmark::Counter(static_cast<double>(sent), benchmark::Counter::kIsRate);
  state.counters["delivered"] = static_cast<double>(delivered) / static_cast<double>(sent);
}

void BM_Broadcast31(benchmark::State& state) {
  const int variant = static_cast<int>(state.range(0));
  sim::Simulation s(1);
  sim::Network net(s, config(variant));
  static const char* regions[] = {"us-east", "eu-west", "ap-south"};
  for (int i = 0; i < kHosts; ++i) net.add_host(fmt::format("don/node-{}", i), variant == 0 ? "" : regions[i % 3]);
  if (variant == 3) {
    std::vector<sim::HostId> a, b;
    for (sim::HostId h = 0; h < kHosts; ++h) (h < 10 ? a : b).push_back(h);
    net.add_partition({a, b});
    net.set_host_up(30, false);
  }
  run_rounds(state, s, net);
}
BENCHMARK(BM_Broadcast31)->Arg(0)->Arg(1)->Arg(2)->Arg(3)->Unit(benchmark::kMicrosecond);

void BM_Broadcast31Edges(benchmark::State& state) {
  sim::Simulation s(1);
  sim::NetworkConfig c;
  c.topology = sim::TopologyKind::random_graph;
  c.jitter.dist = sim::JitterDist::lognormal;
  sim::Network net(s, c);
  for (int i = 0; i < kHosts; ++i) net.add_host(fmt::format("don/node-{}", i));
  run_rounds(state, s, net);
}
BENCHMARK(BM_Broadcast31Edges)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
