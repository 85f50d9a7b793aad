#include "analysis/ocr_feed_probe.hpp"

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

}  // namespace analysis
