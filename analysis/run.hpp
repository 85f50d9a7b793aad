#pragma once
// One run of a scenario: build the world, attach the collectors, run to `duration` (marking the end of the
// warm-up and the sampling instants between events, so recording never changes the event sequence), and
// return the metrics. Single-threaded and deterministic: the same (config, seed, replication) gives the same
// result, bit for bit, except wall_s.
#include <cstdint>
#include <functional>
#include <vector>

#include "analysis/collector.hpp"
#include "analysis/metrics.hpp"
#include "models/scenario/scenario.hpp"

namespace analysis {

struct RunResult {
  MetricSet metrics;                // every collector's scalar metrics
  std::uint64_t fingerprint = 0;    // hash of the executed event sequence
  std::uint64_t events = 0;         // events executed (including the warm-up)
  double wall_s = 0;                // wall-clock seconds (the only nondeterministic field)
  std::vector<TimeSeries> series;   // the series record.timeseries asked for, in name order
  std::vector<FaultRecord> faults;  // every injection and heal, in the order they happened
};

class Registry;

// Called as a run advances, between events, about every thousandth of the simulated duration: the simulated time
// reached and the events executed so far. For progress displays: it sees no model state and cannot change the
// run (stepping the run in slices leaves the event sequence as it is).
using RunProgress = std::function<void(sim::Time now, std::uint64_t events)>;

// Runs `cfg` with the random streams of (seed, replication). `cfg` must be valid: loaded through the registry (which
// validates it) or checked with Registry::validate; it is not validated again here. Builds the World
// from the registry's subsystems, attaches the environment's collectors (engine, chain, faults) and each built
// subsystem's. Throws what the models throw.
RunResult run_one(const models::scenario::ScenarioConfig& cfg, std::uint64_t seed, std::uint64_t replication,
                  const Registry& registry, const RunProgress& progress = {});
// The same with the built-in subsystems (builtin_registry()).
RunResult run_one(const models::scenario::ScenarioConfig& cfg, std::uint64_t seed, std::uint64_t replication);

}  // namespace analysis
