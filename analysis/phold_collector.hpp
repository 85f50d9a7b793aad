#pragma once
// Metrics of the PHOLD demo workload (models/demo/phold.hpp), counted in the measurement window:
//   phold_events            events handled
//   phold_events_per_s      events handled per simulated second
//   phold_lp_events_mean/sd/min/max   events handled per logical process (sd: population standard deviation)
// Series: phold_handled (events handled since the measurement began).
// Simplified: PHOLD publishes no signals, so this collector reads its counters at window boundaries.
#include <cstdint>
#include <memory>
#include <vector>

#include "analysis/collector.hpp"
#include "models/demo/phold.hpp"
#include "models/world/part.hpp"

namespace analysis {

class PholdCollector : public Collector {
 public:
  explicit PholdCollector(const models::demo::Phold& phold) : phold_(phold) {}
  void begin_measurement(sim::Time t) override;
  void sample(sim::Time t, SeriesRecorder& out) override;
  void finish(sim::Time end, MetricSet& out) override;

 private:
  const models::demo::Phold& phold_;
  sim::Time start_;
  std::uint64_t handled_at_start_ = 0;
  std::vector<std::uint64_t> per_lp_at_start_;
};

// Engine metrics of any run: engine_peak_pending (most events pending at once), engine_scheduled.
// Series: pending_events.
class EngineCollector : public Collector {
 public:
  explicit EngineCollector(const sim::Simulation& sim) : sim_(sim) {}
  void begin_measurement(sim::Time) override {}
  void sample(sim::Time t, SeriesRecorder& out) override;
  void finish(sim::Time end, MetricSet& out) override;

 private:
  const sim::Simulation& sim_;
};

struct RunContext;
// The demo subsystem's collectors hook (analysis/subsystems.cpp).
void phold_collectors(models::world::Part& part, const RunContext& run, std::vector<std::unique_ptr<Collector>>& out);

}  // namespace analysis
