#pragma once
// Connects one feed of a FeedWorld (and its asset's true price) to a FeedMetricsCollector: the signal wiring
// between models/feeds and analysis/feed_metrics.
#include <vector>

#include "analysis/collector.hpp"
#include "analysis/feed_metrics.hpp"
#include "models/feeds/feed_world.hpp"
#include "sim/signal.hpp"

namespace analysis {

class FeedProbe {
 public:
  // Subscribes now; create it before FeedWorld::start() so the initial true price is seen.
  FeedProbe(models::feeds::FeedWorld& world, std::size_t feed_index, const FeedMetricsConfig& cfg);
  FeedProbe(const FeedProbe&) = delete;
  FeedProbe& operator=(const FeedProbe&) = delete;

  const FeedMetricsCollector& collector() const { return collector_; }
  FeedMetricsCollector& collector() { return collector_; }
  void finish(MetricSet& out, const std::string& prefix = "") const { collector_.finish(out, prefix); }

 private:
  FeedMetricsCollector collector_;
  std::vector<sim::Connection> conns_;
};

// The run-level collector (analysis/run.cpp) for feed `i`: metrics over [warm-up end, run end), named as in
// feed_metrics.hpp (prefixed "<feed name>." when the scenario has several feeds); time series "true_price" and
// "onchain_answer" (USD, the answer consumers see through the proxy) of the first feed.
class FeedCollector : public Collector {
 public:
  FeedCollector(models::feeds::FeedWorld& world, std::size_t feed_index, std::string prefix);
  void begin_measurement(sim::Time t) override { begin_ = t; }
  void sample(sim::Time t, SeriesRecorder& out) override;
  void finish(sim::Time end, MetricSet& out) override;

 private:
  models::feeds::FeedWorld& world_;
  std::size_t index_;
  std::string prefix_;
  FeedProbe probe_;
  sim::Time begin_{};
};

// The collector settings for feed `i` of a world run over [0, end) with the given warm-up.
FeedMetricsConfig feed_metrics_config(const models::feeds::FluxFeedConfig& feed, sim::Duration warmup, sim::Duration duration);

}  // namespace analysis
