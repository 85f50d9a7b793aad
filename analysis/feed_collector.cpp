#include "analysis/feed_collector.hpp"

#include <algorithm>

#include <stdexcept>

#include "analysis/subsystems.hpp"
#include "models/feeds/feeds_subsystem.hpp"
#include "models/providers/price_process.hpp"

namespace analysis {

FeedProbe::FeedProbe(models::feeds::PriceFeed& feed, models::providers::TruePrice& truth, const FeedMetricsConfig& cfg)
    : collector_(cfg) {
  conns_.push_back(truth.changed.connect([this](sim::Time t, double usd) { collector_.on_true_price(t, usd); }));
  const int decimals = static_cast<int>(feed.config().decimals);
  conns_.push_back(feed.answer_changed.connect([this, decimals](sim::Time t, models::contracts::Answer answer, std::uint64_t round) {
    collector_.on_answer(t, models::providers::from_answer(answer, decimals), round);
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

FeedMetricsConfig feed_metrics_config(const models::feeds::FeedConfig& feed, sim::Time warmup_end, sim::Time end) {
  return FeedMetricsConfig{.warmup_end = warmup_end, .end = end, .deviation_threshold = feed.deviation,
                           .heartbeat = feed.heartbeat, .oracles = feed.oracles};
}

FeedCollector::FeedCollector(sim::Simulation& sim, models::feeds::PriceFeed& feed, models::providers::TruePrice& truth,
                             std::string prefix, bool series, sim::Time warmup_end, sim::Time end,
                             std::vector<const models::providers::DataProvider*> providers, bool event_series,
                             std::vector<std::pair<sim::Time, sim::Time>> congestion)
    : feed_(feed),
      truth_(truth),
      prefix_(std::move(prefix)),
      series_(series),
      warmup_end_(warmup_end),
      probe_(feed, truth, feed_metrics_config(feed.config(), warmup_end, end)),
      providers_(std::move(providers)) {
  probe_.collector().set_congestion(std::move(congestion));
  if (series_ && event_series) {
    const int decimals = static_cast<int>(feed.config().decimals);
    // One point per update: a round's first answer (a flux round's median moves again with later submissions).
    update_conn_ = feed.answer_changed.connect([this, decimals](sim::Time t, models::contracts::Answer a, std::uint64_t round) {
      if (round == last_round_) return;
      last_round_ = round;
      updates_.emplace_back(t, models::providers::from_answer(a, decimals));
    });
    gas_conn_ = feed.tx_included.connect([this](const models::feeds::FeedTx& tx) {
      gas_prices_.emplace_back(tx.receipt.block_time, static_cast<double>(tx.receipt.effective_gas_price) / 1e9);
    });
  }
  if (auto* ocr = dynamic_cast<models::feeds::OcrPriceFeed*>(&feed)) {
    ocr_ = std::make_unique<OcrProtocolProbe>(sim, ocr->oracles(), warmup_end, end);
    tx_conn_ = feed.tx_included.connect([this, end](const models::feeds::FeedTx& tx) {
      const auto& r = tx.receipt;
      if (r.status != models::chain::TxStatus::success && r.block_time >= warmup_end_ && r.block_time < end) {
        ++reverted_;
        wasted_gas_ += static_cast<double>(r.gas_used);
        if (r.revert_reason == "configDigest mismatch") ++reverted_old_digest_;
      }
    });
  }
}

void FeedCollector::sample(sim::Time t, SeriesRecorder& out) {
  if (out.wants("answer_age_s")) {  // every feed: the age of the answer a reader would see now (nothing before one)
    if (const auto r = feed_.proxy().latest_round_data(); r && r->updated_at > sim::Time::zero())
      out.add_member("answer_age_s", feed_.config().name, t, (t - r->updated_at).seconds());
  }
  if (!series_) return;
  if (out.wants("true_price")) out.add("true_price", t, truth_.price());
  if (out.wants("onchain_answer")) {
    if (const auto a = feed_.proxy().latest_answer()) out.add("onchain_answer", t, models::providers::from_answer(*a, static_cast<int>(feed_.config().decimals)));
  }
  if (out.wants("answer_band_low") || out.wants("answer_band_high")) {
    if (const auto a = feed_.proxy().latest_answer()) {
      const double v = models::providers::from_answer(*a, static_cast<int>(feed_.config().decimals));
      out.add("answer_band_low", t, v * (1 - feed_.config().deviation));
      out.add("answer_band_high", t, v * (1 + feed_.config().deviation));
    }
  }
  if (out.wants("provider_price"))
    for (const auto* p : providers_) out.add_member("provider_price", p->config().name, t, p->published());
  flush_series(out);
}

// The events since the last sample, at their own instants.
void FeedCollector::flush_series(SeriesRecorder& out) {
  if (out.wants("answer_updates"))
    for (const auto& [at, v] : updates_) out.add("answer_updates", at, v);
  if (out.wants("feed_gas_price_gwei"))
    for (const auto& [at, v] : gas_prices_) out.add("feed_gas_price_gwei", at, v);
  updates_.clear();
  gas_prices_.clear();
}

void FeedCollector::finish(sim::Time end, MetricSet& out) {
  // Every run: the feed's LINK books agree with the token (a violation is a model error, never a result).
  const auto link = feed_.link_accounting();
  if (!link.violation.empty()) throw std::runtime_error("LINK conservation violated: " + link.violation);
  if (end <= warmup_end_) return;
  probe_.collector().set_window(warmup_end_, end);
  MetricSet mine;
  probe_.collector().finish(mine);
  if (ocr_) {
    const OcrFeedMetrics m = ocr_->metrics(end);
    const double days = (end - warmup_end_).seconds() / 86'400.0;
    mine.set("safety_violations", static_cast<double>(m.safety_violations));
    mine.set("liveness_gap_s_max", m.liveness_gap_s_max);
    mine.set("epochs", static_cast<double>(m.epochs));
    mine.set("leader_changes", static_cast<double>(m.leader_changes));
    mine.set("round_latency_s", m.round_latency_s_mean);
    mine.set("round_latency_s_max", m.round_latency_s_max);
    mine.set("transmissions_reverted", static_cast<double>(reverted_));
    mine.set("gas_wasted_per_day", days > 0 ? wasted_gas_ / days : 0.0);
    if (!feed_.config().changes.empty())
      mine.set("transmissions_reverted_old_digest", static_cast<double>(reverted_old_digest_));
  }
  if (!feed_.config().changes.empty()) {
    // Per change included in the window; what has not happened by the end counts up to the end.
    double count = 0, switch_max = 0, unprotected_max = 0, gap_max = 0;
    for (const auto& rc : feed_.reconfigurations()) {
      if (!rc.is_included || rc.included < warmup_end_ || rc.included >= end) continue;
      ++count;
      const sim::Time switched = rc.is_switched ? std::min(rc.switched, end) : end;
      const sim::Time reported = rc.reported ? std::min(rc.first_report, end) : end;
      const sim::Time before = rc.last_update_before > sim::Time::zero() ? rc.last_update_before : rc.included;
      switch_max = std::max(switch_max, (switched - rc.included).seconds());
      unprotected_max = std::max(unprotected_max, (reported - rc.included).seconds());
      gap_max = std::max(gap_max, (reported - before).seconds());
    }
    mine.set("reconfigurations", count);
    mine.set("reconfig_switch_s_max", switch_max);
    mine.set("reconfig_unprotected_s_max", unprotected_max);
    mine.set("reconfig_gap_s_max", gap_max);
  }
  for (const auto& [name, value] : mine.values()) out.set(prefix_ + name, value);
}

std::vector<std::pair<sim::Time, sim::Time>> congestion_windows(const models::scenario::ScenarioConfig& cfg, sim::Time end) {
  std::vector<std::pair<sim::Time, sim::Time>> out;
  for (const auto& f : cfg.faults) {
    if (f.kind != "congestion") continue;
    const sim::Time from = sim::Time::zero() + f.at;
    const sim::Time to = f.duration ? std::min(end, from + *f.duration) : end;
    if (from < to) out.emplace_back(from, to);
  }
  return out;
}

void feed_collectors(models::world::Part& part, const RunContext& run, CollectorList& out) {
  auto& feeds = dynamic_cast<models::feeds::FeedsPart&>(part);
  const auto congestion = congestion_windows(run.config, run.end);
  for (std::size_t i = 0; i < feeds.feed_count(); ++i) {
    models::feeds::PriceFeed& f = feeds.feed(i);
    models::providers::TruePrice* truth = run.world.environment().true_price(f.config().asset);
    const std::string prefix = feeds.feed_count() == 1 ? "" : f.config().name + ".";
    std::vector<const models::providers::DataProvider*> providers;
    for (const auto& p : run.world.environment().providers())
      if (p->config().asset == f.config().asset) providers.push_back(p.get());
    const auto& wanted = run.config.record.timeseries;
    const bool events = std::any_of(wanted.begin(), wanted.end(), [](const std::string& s) {
      return s == "answer_updates" || s == "feed_gas_price_gwei";
    });
    out.push_back(std::make_unique<FeedCollector>(run.world.simulation(), f, *truth, prefix, i == 0, run.warmup_end,
                                                  run.end, std::move(providers), events, congestion));
  }
}

}  // namespace analysis
