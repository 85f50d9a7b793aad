#include "analysis/streams_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/statistics.hpp"

namespace analysis {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double mean_of(const std::vector<double>& v) { return v.empty() ? kNaN : summarize(v).mean; }
}  // namespace

StreamsClientMetrics::StreamsClientMetrics(std::set<models::streams::FeedId> feeds, sim::Duration settle)
    : feeds_(std::move(feeds)), settle_(settle) {}

bool StreamsClientMetrics::counts(const models::streams::SignedReport& r) const {
  return feeds_.count(r.report.feed_id) != 0 && r.observed_at >= begin_;
}

void StreamsClientMetrics::on_produced(const models::streams::SignedReport& r) {
  if (counts(r)) produced_.emplace(Key{r.report.feed_id, r.report.observations_timestamp}, r.observed_at);
}

void StreamsClientMetrics::on_stream(const models::streams::SignedReport& r, sim::Time at) {
  if (feeds_.count(r.report.feed_id) == 0) return;
  if (at >= begin_) stream_times_.push_back(at);
  if (!counts(r)) return;
  const Key k{r.report.feed_id, r.report.observations_timestamp};
  streamed_.insert(k);
  held_.insert(k);
  latencies_ms_.push_back((at - r.observed_at).millis());
  // From the report's own observationsTimestamp (whole seconds of the DON's clocks), as a user of the API sees it.
  latencies_from_obs_ms_.push_back((at - sim::Time::from_seconds(r.report.observations_timestamp)).millis());
}

void StreamsClientMetrics::on_backfill(const models::streams::SignedReport& r, sim::Time) {
  if (counts(r)) held_.insert(Key{r.report.feed_id, r.report.observations_timestamp});
}

void StreamsClientMetrics::on_socket(bool up, sim::Time at) {
  if (!up && at >= begin_) losses_.push_back(at);
}

void StreamsClientMetrics::finish(sim::Time end, MetricSet& out, const std::string& prefix) const {
  const sim::Time cutoff = end - settle_;
  // Reports that count: produced in [begin, end - settle].
  std::uint64_t missed = 0, missed_after = 0;
  for (const auto& [k, observed] : produced_) {
    if (observed > cutoff) continue;
    missed += streamed_.count(k) == 0 ? 1 : 0;
    missed_after += held_.count(k) == 0 ? 1 : 0;
  }
  // Largest hole per feed in the observations timestamps held; the window's bounds count as points.
  const auto max_gap = [&](const std::set<Key>& held) {
    double gap = 0;
    const auto lo = static_cast<double>(static_cast<std::int64_t>(begin_.seconds()));
    const auto hi = static_cast<double>(static_cast<std::int64_t>(cutoff.seconds()));
    for (models::streams::FeedId f : feeds_) {
      double prev = lo;
      for (auto it = held.lower_bound(Key{f, 0}); it != held.end() && it->feed == f; ++it) {
        const double ts = it->ts;
        if (ts > hi) break;
        gap = std::max(gap, ts - prev);
        prev = ts;
      }
      gap = std::max(gap, hi - prev);
    }
    return gap;
  };
  // Failover: for each lost socket, the time from the last stream report before the loss to the first after it.
  double failover = kNaN;
  for (sim::Time lost : losses_) {
    const auto after = std::lower_bound(stream_times_.begin(), stream_times_.end(), lost);
    const sim::Time before = after == stream_times_.begin() ? begin_ : *(after - 1);
    const sim::Time next = after == stream_times_.end() ? end : *after;
    const double s = (next - before).seconds();
    failover = std::isnan(failover) ? s : std::max(failover, s);
  }
  out.set(prefix + "report_latency_ms_p50", quantile(latencies_ms_, 0.5));
  out.set(prefix + "report_latency_ms_p99", quantile(latencies_ms_, 0.99));
  out.set(prefix + "report_latency_from_obs_ms_p50", quantile(latencies_from_obs_ms_, 0.5));
  out.set(prefix + "report_latency_from_obs_ms_p99", quantile(latencies_from_obs_ms_, 0.99));
  out.set(prefix + "client_gap_s_max", max_gap(streamed_));
  out.set(prefix + "client_gap_s_max_after_backfill", max_gap(held_));
  out.set(prefix + "missed_reports", static_cast<double>(missed));
  out.set(prefix + "missed_reports_after_backfill", static_cast<double>(missed_after));
  out.set(prefix + "duplicates_dropped", static_cast<double>(duplicates_));
  out.set(prefix + "failover_time_s", failover);
  out.set(prefix + "socket_losses", static_cast<double>(losses_.size()));
}

void TradeMetrics::on_trade(bool streams, sim::Time requested_at, sim::Time executed_at, double price, double true_price,
                            double true_price_at_report, std::uint64_t verify_gas, double blocks_after_trigger) {
  if (requested_at < begin_) return;
  const auto bps = [price](double truth) { return truth > 0 ? std::fabs(price - truth) / truth * 1e4 : kNaN; };
  trades_.push_back({streams, requested_at, (executed_at - requested_at).seconds(), bps(true_price),
                     bps(true_price_at_report), blocks_after_trigger, verify_gas});
}

void TradeMetrics::on_automation_failure(sim::Time at) {
  if (at >= begin_) ++automation_failures_;
}

void TradeMetrics::finish(sim::Time end, std::uint64_t pending_at_end, MetricSet& out) const {
  const sim::Time cutoff = end - settle_;
  const auto side = [&](bool streams, const std::string& p) {
    std::vector<double> latency, error, at_report, gas, blocks;
    for (const Trade& t : trades_) {
      if (t.streams != streams || t.requested_at > cutoff) continue;
      latency.push_back(t.latency_s);
      error.push_back(t.error_bps);
      if (!std::isnan(t.error_at_report_bps)) at_report.push_back(t.error_at_report_bps);
      if (t.verify_gas > 0) gas.push_back(static_cast<double>(t.verify_gas));
      if (!std::isnan(t.blocks_after_trigger)) blocks.push_back(t.blocks_after_trigger);
    }
    out.set(p + "trades", static_cast<double>(latency.size()));
    out.set(p + "trade_latency_s", mean_of(latency));
    out.set(p + "trade_latency_s_p50", quantile(latency, 0.5));
    out.set(p + "trade_latency_s_p99", quantile(latency, 0.99));
    out.set(p + "trade_price_error_bps", mean_of(error));
    out.set(p + "trade_price_error_bps_p50", quantile(error, 0.5));
    out.set(p + "trade_price_error_bps_p99", quantile(error, 0.99));
    if (streams) {
      out.set("trade_price_error_at_report_bps", mean_of(at_report));
      out.set("verify_gas", mean_of(gas));
      out.set("perform_blocks_after_trigger", mean_of(blocks));
    }
  };
  side(true, "");
  side(false, "push_");
  out.set("trades_pending_at_end", static_cast<double>(pending_at_end));
  out.set("automation_failures", static_cast<double>(automation_failures_));
}

}  // namespace analysis
