#pragma once
// Connects one feed of a FeedWorld (and its asset's true price) to a FeedMetricsCollector: the signal wiring
// between models/feeds and analysis/feed_metrics.
#include <vector>

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
  void finish(MetricSet& out) const { collector_.finish(out); }

 private:
  FeedMetricsCollector collector_;
  std::vector<sim::Connection> conns_;
};

// The collector settings for feed `i` of a world run over [0, end) with the given warm-up.
FeedMetricsConfig feed_metrics_config(const models::feeds::FluxFeedConfig& feed, sim::Duration warmup, sim::Duration duration);

}  // namespace analysis
