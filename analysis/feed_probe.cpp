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
  conns_.push_back(feed.triggered.connect([this](sim::Time t, std::uint64_t round) { collector_.on_trigger(t, round); }));
  conns_.push_back(feed.tx_included.connect([this](const models::feeds::FeedTx& tx) {
    collector_.on_transaction(tx.receipt.block_time, tx.receipt.gas_used, tx.receipt.effective_gas_price, tx.juels_paid);
  }));
  conns_.push_back(feed.consumer_read.connect([this](const models::contracts::ConsumerRead& r) {
    if (r.ok) collector_.on_read(r.at, r.age);
    else collector_.on_failed_read(r.at);
  }));
}

FeedCollector::FeedCollector(models::feeds::FeedWorld& world, std::size_t feed_index, std::string prefix)
    : world_(world),
      index_(feed_index),
      prefix_(std::move(prefix)),
      probe_(world, feed_index,
             FeedMetricsConfig{.warmup_end = sim::Time::zero(), .end = sim::Time::max(),
                               .deviation_threshold = world.feed(feed_index).config().deviation,
                               .oracles = world.feed(feed_index).config().oracles}) {}

void FeedCollector::sample(sim::Time t, SeriesRecorder& out) {
  if (index_ != 0) return;  // series names are per run: the first feed's
  auto& feed = world_.feed(index_);
  if (out.wants("true_price")) out.add("true_price", t, world_.true_price(feed.config().asset).price());
  if (out.wants("onchain_answer")) {
    if (const auto a = feed.proxy().latest_answer()) out.add("onchain_answer", t, models::providers::from_answer(*a));
  }
}

void FeedCollector::finish(sim::Time end, MetricSet& out) {
  if (end <= begin_) return;
  probe_.collector().set_window(begin_, end);
  probe_.finish(out, prefix_);
}

FeedMetricsConfig feed_metrics_config(const models::feeds::FluxFeedConfig& feed, sim::Duration warmup, sim::Duration duration) {
  return FeedMetricsConfig{.warmup_end = sim::Time::zero() + warmup,
                           .end = sim::Time::zero() + duration,
                           .deviation_threshold = feed.deviation,
                           .oracles = feed.oracles};
}

}  // namespace analysis
