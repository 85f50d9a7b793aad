#pragma once
// Connects one OCR-aggregated feed (models/feeds/ocr_price_feed.hpp) and its asset's true price to a
// FeedMetricsCollector, so an OCR feed gets the same metrics as a per-node one, and adds the OCR metrics:
//
//   safety_violations        accepted answers outside the honest observations of their round
//   liveness_gap_s_max       longest time a report was due (at honest oracles or by the true price) with nothing
//                            reaching the chain
//   epochs, leader_changes   highest epoch started; distinct epochs started after the first
//   round_latency_s          mean observe-req to inclusion over accepted reports (round_latency_s_max: the largest)
//   transmissions_reverted   transmit txs that reverted (mostly later stages' duplicates of an accepted report)
//   gas_wasted_per_day       gas of the reverted transmits per day of the window
//
// The OCR metrics cover the whole run (the protocol monitors have no warm-up), except gas_wasted_per_day and
// transmissions_reverted, which count inclusions in the window.
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/collector.hpp"
#include "analysis/feed_metrics.hpp"
#include "models/feeds/ocr_feed_world.hpp"
#include "models/feeds/ocr_price_feed.hpp"
#include "models/providers/true_price.hpp"
#include "sim/signal.hpp"

namespace analysis {

class OcrFeedProbe {
 public:
  // Subscribes now: create it before the true price and the feed start so the initial price is seen.
  OcrFeedProbe(models::providers::TruePrice& truth, models::feeds::OcrPriceFeed& feed, const FeedMetricsConfig& cfg);
  OcrFeedProbe(const OcrFeedProbe&) = delete;
  OcrFeedProbe& operator=(const OcrFeedProbe&) = delete;

  const FeedMetricsCollector& collector() const { return collector_; }
  // Closes the feed's liveness monitor at the end of the window and adds every metric to `out`.
  void finish(MetricSet& out);

 private:
  FeedMetricsConfig cfg_;
  models::feeds::OcrPriceFeed& feed_;
  FeedMetricsCollector collector_;
  std::vector<sim::Connection> conns_;
  std::uint64_t reverted_ = 0;
  double wasted_gas_ = 0;
};

// The run-level collector (analysis/run.cpp) for OCR feed `i` of a scenario's OcrFeedWorld: the metrics above over
// [warmup, duration), prefixed "<feed name>." when there are several feeds; time series "true_price" and
// "onchain_answer" of the first feed, as FeedCollector.
class OcrFeedCollector : public Collector {
 public:
  OcrFeedCollector(models::feeds::OcrFeedWorld& world, std::size_t feed_index, std::string prefix, sim::Duration warmup,
                   sim::Duration duration);
  void begin_measurement(sim::Time) override {}  // the window is [warmup, duration), fixed at construction
  void sample(sim::Time t, SeriesRecorder& out) override;
  void finish(sim::Time end, MetricSet& out) override;

 private:
  models::feeds::OcrFeedWorld& world_;
  std::size_t index_;
  std::string prefix_;
  OcrFeedProbe probe_;
};

}  // namespace analysis
