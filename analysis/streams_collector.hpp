#pragma once
// Collects the Data Streams metrics of a run (analysis/streams_metrics.hpp): one StreamsClientMetrics per client
// (metrics prefixed "<client>."), the DON's output (streams_reports, don_rounds), the LB's own 503s
// (lb_answered_503) and Streams Trade with its push-feed baseline. "Produced" reports are those the DON attested (the leader holds f+1 signatures): a report
// lost before any site stored it counts as missed by every client. streams_gas_total: the gas of every streams
// transaction (Streams Trade's user trades on both sides and performs) included in the window.
#include <memory>
#include <utility>
#include <vector>

#include "analysis/collector.hpp"
#include "analysis/streams_metrics.hpp"
#include "models/streams/streams_subsystem.hpp"
#include "sim/signal.hpp"
#include "sim/simulation.hpp"

namespace analysis {

class StreamsCollector : public Collector {
 public:
  // Measures from `begin` (the end of the warm-up; reports observed before it are ignored even though they arrive
  // before begin_measurement). `settle`: reports observed this close to the end do not count as missed.
  StreamsCollector(sim::Simulation& sim, models::streams::StreamsPart& world, sim::Time begin,
                   sim::Duration settle = sim::Duration::nanoseconds(30'000'000'000));
  void begin_measurement(sim::Time t) override;
  void sample(sim::Time, SeriesRecorder&) override {}
  void finish(sim::Time end, MetricSet& out) override;

 private:
  double true_price_at(sim::Time t) const;

  sim::Simulation& sim_;
  models::streams::StreamsPart& world_;
  std::vector<StreamsClientMetrics> clients_;
  TradeMetrics trades_;
  sim::Time begin_{};
  std::uint64_t reports_ = 0;
  std::vector<std::pair<sim::Time, double>> gas_;  // every streams tx: (inclusion time, gas)
  std::uint64_t rounds_at_begin_ = 0;
  std::uint64_t answered_503_at_begin_ = 0;
  std::vector<std::pair<sim::Time, double>> truth_;  // the traded asset's true price changes (time, USD)
  std::vector<sim::Connection> conns_;
};

struct RunContext;
// The streams subsystem's collectors hook (analysis/subsystems.cpp).
void streams_collectors(models::world::Part& part, const RunContext& run, std::vector<std::unique_ptr<Collector>>& out);

}  // namespace analysis
