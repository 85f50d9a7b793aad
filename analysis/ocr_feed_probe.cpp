#include "analysis/ocr_feed_probe.hpp"

#include "analysis/feed_probe.hpp"
#include "models/providers/price_process.hpp"

namespace analysis {

OcrFeedProbe::OcrFeedProbe(models::providers::TruePrice& truth, models::feeds::OcrPriceFeed& feed,
                           const FeedMetricsConfig& cfg)
    : cfg_(cfg), feed_(feed), collector_(cfg) {
  conns_.push_back(truth.changed.connect([this](sim::Time t, double usd) { collector_.on_true_price(t, usd); }));
  conns_.push_back(feed.answer_changed.connect([this](sim::Time t, std::int64_t answer, std::uint64_t round) {
    collector_.on_answer(t, models::providers::from_answer(answer), round);
  }));
  conns_.push_back(feed.triggered.connect([this](sim::Time t, std::uint64_t round) { collector_.on_trigger(t, round); }));
  conns_.push_back(feed.tx_included.connect([this](const models::feeds::FeedTx& tx) {
    const auto& r = tx.receipt;
    collector_.on_transaction(r.block_time, r.gas_used, r.effective_gas_price, tx.juels_paid);
    if (r.status != models::chain::TxStatus::success && r.block_time >= cfg_.warmup_end && r.block_time < cfg_.end) {
      ++reverted_;
      wasted_gas_ += static_cast<double>(r.gas_used);
    }
  }));
  conns_.push_back(feed.consumer_read.connect([this](const models::contracts::ConsumerRead& r) {
    if (r.ok) collector_.on_read(r.at, r.age);
    else collector_.on_failed_read(r.at);
  }));
}

void OcrFeedProbe::finish(MetricSet& out) {
  collector_.finish(out);
  feed_.finish(cfg_.end);
  const auto m = feed_.metrics();
  const double days = (cfg_.end - cfg_.warmup_end).seconds() / 86'400.0;
  out.set("safety_violations", static_cast<double>(m.safety_violations));
  out.set("liveness_gap_s_max", m.liveness_gap_s_max);
  out.set("epochs", static_cast<double>(m.epochs));
  out.set("leader_changes", static_cast<double>(m.leader_changes));
  out.set("round_latency_s", m.round_latency_s_mean);
  out.set("round_latency_s_max", m.round_latency_s_max);
  out.set("transmissions_reverted", static_cast<double>(reverted_));
  out.set("gas_wasted_per_day", days > 0 ? wasted_gas_ / days : 0.0);
}

OcrFeedCollector::OcrFeedCollector(models::feeds::OcrFeedWorld& world, std::size_t feed_index, std::string prefix,
                                   sim::Duration warmup, sim::Duration duration)
    : world_(world),
      index_(feed_index),
      prefix_(std::move(prefix)),
      probe_(world.true_price(world.feed(feed_index).config().asset), world.feed(feed_index),
             feed_metrics_config(world.feed(feed_index).config(), warmup, duration)) {}

void OcrFeedCollector::sample(sim::Time t, SeriesRecorder& out) {
  if (index_ != 0) return;  // series names are per run: the first feed's
  auto& feed = world_.feed(index_);
  if (out.wants("true_price")) out.add("true_price", t, world_.true_price(feed.config().asset).price());
  if (out.wants("onchain_answer")) {
    if (const auto a = feed.proxy().latest_answer()) out.add("onchain_answer", t, models::providers::from_answer(*a));
  }
}

void OcrFeedCollector::finish(sim::Time, MetricSet& out) {
  MetricSet mine;
  probe_.finish(mine);
  for (const auto& [name, value] : mine.values()) out.set(prefix_ + name, value);
}

}  // namespace analysis
