#pragma once
// The collectors of the feeds subsystem: one per feed, whatever aggregates it (models/feeds/price_feed.hpp), so per-
// node and OCR feeds get the same feed metrics (feed_metrics.hpp), plus, for OCR feeds, the protocol metrics
// (ocr_metrics.hpp) and
//
//   transmissions_reverted   transmit txs included in the window that reverted (mostly later stages' duplicates)
//   gas_wasted_per_day       their gas per day of the window
//
// and, for feeds with configuration changes (feeds[i].changes), per change included in the window:
//
//   reconfigurations                   changes included (OCR: setConfig; per-node: changeOracles)
//   reconfig_switch_s_max              inclusion to the oracles switching (OCR: confirmations and checks; per-node 0)
//   reconfig_unprotected_s_max         inclusion to the first update after it (OCR: none is possible before)
//   reconfig_gap_s_max                 the last update before the inclusion to the first after it
//   transmissions_reverted_old_digest  OCR: transmits that reverted with "configDigest mismatch"
//
// Every metric covers the measurement window [warm-up end, run end); names are prefixed "<feed name>." when the
// scenario has several feeds. Series "true_price" and "onchain_answer" (USD, the answer consumers see through the
// proxy) are the first feed's; "answer_age_s.<feed>" (now - updatedAt of the proxy's latest round) is every feed's.
//
// finish() checks the feed's LINK books (PriceFeed::link_accounting) every run and throws std::runtime_error naming
// the aggregator on a violation: a broken invariant is a model error, never a result.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analysis/collector.hpp"
#include "analysis/feed_metrics.hpp"
#include "analysis/ocr_metrics.hpp"
#include "models/feeds/feed_config.hpp"
#include "models/feeds/price_feed.hpp"
#include "models/providers/data_provider.hpp"
#include "models/providers/true_price.hpp"
#include "models/world/part.hpp"
#include "sim/signal.hpp"

namespace models::scenario {
struct ScenarioConfig;
}

namespace analysis {

struct RunContext;
using CollectorList = std::vector<std::unique_ptr<Collector>>;

// Connects one feed and its asset's true price to a FeedMetricsCollector.
class FeedProbe {
 public:
  // Subscribes now: create it before the true price and the feed start, so the initial price is seen.
  FeedProbe(models::feeds::PriceFeed& feed, models::providers::TruePrice& truth, const FeedMetricsConfig& cfg);
  FeedProbe(const FeedProbe&) = delete;
  FeedProbe& operator=(const FeedProbe&) = delete;
  FeedMetricsCollector& collector() { return collector_; }
  const FeedMetricsCollector& collector() const { return collector_; }

 private:
  FeedMetricsCollector collector_;
  std::vector<sim::Connection> conns_;
};

class FeedCollector : public Collector {
 public:
  // `series`: record this feed's time series (the first feed's).
  // `providers`: those of the feed's asset, whose published values the provider_price.* series shows.
  // `event_series`: answer_updates or feed_gas_price_gwei is recorded (buffered between samples otherwise unused).
  // `congestion`: the run's congestion windows, for the staleness metrics inside and outside them.
  FeedCollector(sim::Simulation& sim, models::feeds::PriceFeed& feed, models::providers::TruePrice& truth,
                std::string prefix, bool series, sim::Time warmup_end, sim::Time end,
                std::vector<const models::providers::DataProvider*> providers = {}, bool event_series = false,
                std::vector<std::pair<sim::Time, sim::Time>> congestion = {});
  void begin_measurement(sim::Time) override {}  // the window is fixed at construction
  void sample(sim::Time t, SeriesRecorder& out) override;
  void flush_series(SeriesRecorder& out) override;
  void finish(sim::Time end, MetricSet& out) override;

 private:
  models::feeds::PriceFeed& feed_;
  models::providers::TruePrice& truth_;
  std::string prefix_;
  bool series_;
  sim::Time warmup_end_;
  FeedProbe probe_;
  std::unique_ptr<OcrProtocolProbe> ocr_;  // OCR feeds only
  std::uint64_t reverted_ = 0;
  std::uint64_t reverted_old_digest_ = 0;
  double wasted_gas_ = 0;
  sim::Connection tx_conn_;
  // Series recorded at the instants things happened (not sampled), handed to the recorder at the next sample.
  std::vector<const models::providers::DataProvider*> providers_;
  std::vector<std::pair<sim::Time, double>> updates_, gas_prices_;  // answer updates; feed txs' gwei per gas
  std::uint64_t last_round_ = ~std::uint64_t{0};  // the round of the last answer update recorded
  sim::Connection update_conn_, gas_conn_;
};

// The collector settings for a feed measured over [warmup_end, end).
FeedMetricsConfig feed_metrics_config(const models::feeds::FeedConfig& feed, sim::Time warmup_end, sim::Time end);

// The windows [at, at + duration) of the scenario's congestion faults, clipped to `end` (a fault without duration
// lasts to the end), in scenario order.
std::vector<std::pair<sim::Time, sim::Time>> congestion_windows(const models::scenario::ScenarioConfig& cfg, sim::Time end);

// The subsystem registration's collectors hook (analysis/subsystems.cpp): one FeedCollector per feed.
void feed_collectors(models::world::Part& part, const RunContext& run, CollectorList& out);

}  // namespace analysis
