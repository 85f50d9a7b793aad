#pragma once
// `oraclesim bench ecosystem --feeds N --hours H`: the cost of simulating Ethereum's oracle traffic. One chain carries
// N price feeds in the Ethereum mix (models/feeds/ethereum_mix.hpp: facts §5 thresholds and heartbeats, OCR2 at
// Ethereum's minimum timing, DeltaRound 20 s, with a share of per-node feeds), three data providers per asset,
// ChainlinkClient request traffic through one operator, and one Data Streams DON with two origins, two clients and
// Streams Trade against the first push feed, under background demand. The scenario is generated (print it with
// --print-scenario) and loaded like a file, so it is validated like one; the run is replication 0, as `oraclesim run`
// of the printed scenario runs it (same fingerprint). Prints events, CPU seconds, events per CPU
// second, simulated time per CPU time and the peak resident memory of the process (docs/performance.md).
#include <cstddef>
#include <cstdint>
#include <string>

namespace oraclesim {

struct EcosystemBenchOptions {
  std::size_t feeds = 200;     // price feeds in the Ethereum mix
  double hours = 24;           // simulated hours
  double flux_share = 0.1;     // share of the synthetic feeds aggregated per node (FluxAggregator)
  std::uint64_t seed = 1;      // master seed
};

// The generated scenario, as YAML.
std::string ecosystem_scenario_text(const EcosystemBenchOptions& opt);

// Runs the benchmark and prints its line; `print_scenario`: print the scenario instead of running it.
int run_ecosystem_bench(const EcosystemBenchOptions& opt, bool print_scenario, bool quiet);

}  // namespace oraclesim
