#include "analysis/feed_probe.hpp"

#include "models/providers/price_process.hpp"

namespace analysis {

FeedProbe::FeedProbe(models::feeds::FeedWorld& world, std::size_t feed_index, const FeedMetricsConfig& cfg)
    : collector_(cfg) {
  auto& feed = world.feed(feed_index);
  conns_.push_back(world.true_price(feed.config().asset).changed.connect(
      [this](sim::Time t, double usd) { collector_.on_true_price(t, usd); }));
  conns_.push_back(feed.answer_changed.connect([this](sim::Time t, std::int64_t answer, std::uint64_t round) {
    collector_.on_answer(t, models::providers::from_answer(answer), round);
  }));
  conns_.push_back(feed.triggered.connect([this](sim::Time t) { collector_.on_trigger(t); }));
  conns_.push_back(feed.tx_included.connect([this](const models::feeds::FeedTx& tx) {
    collector_.on_transaction(tx.receipt.block_time, tx.receipt.gas_used, tx.receipt.effective_gas_price, tx.juels_paid);
  }));
  conns_.push_back(feed.consumer_read.connect([this](const models::contracts::ConsumerRead& r) {
    if (r.ok) collector_.on_read(r.at, r.age);
    else collector_.on_failed_read(r.at);
  }));
}

FeedMetricsConfig feed_metrics_config(const models::feeds::FluxFeedConfig& feed, sim::Duration warmup, sim::Duration duration) {
  return FeedMetricsConfig{.warmup_end = sim::Time::zero() + warmup,
                           .end = sim::Time::zero() + duration,
                           .deviation_threshold = feed.monitor.threshold,
                           .oracles = feed.oracles};
}

}  // namespace analysis
