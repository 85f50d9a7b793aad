#pragma once
// The metrics of Data Streams: what one Streams Direct client experienced, and what Streams Trade and its
// push-feed baseline achieved. Names (each client's prefixed with "<client>." by the collector):
//
//   report_latency_ms_p50, _p99     observation (the DON round's time) -> acceptance from the WebSocket stream
//   report_latency_from_obs_ms_p50, _p99  the report's observationsTimestamp (whole seconds) -> acceptance from the
//                                   stream: what a user comparing the report's own timestamp with its clock sees
//   client_gap_s_max                largest hole in the observationsTimestamps the client got from the stream, per
//                                   feed (the window's end counts as a point, so a client that never recovers shows it)
//   client_gap_s_max_after_backfill the same over everything the client holds, stream and REST backfill
//   missed_reports                  reports the DON produced for the client's feeds that the stream never delivered
//   missed_reports_after_backfill   those still missing after backfill
//   duplicates_dropped              stream copies the watermark rejected (HA: the second origin's copies)
//   failover_time_s                 per lost socket: next stream report after the loss - last one before it; the max
//                                   (NaN when no socket was lost)
//   socket_losses                   sockets lost
//
//   trades, trade_latency_s (mean; _p50, _p99), trade_price_error_bps (mean; _p50, _p99), verify_gas (mean per
//   performUpkeep), and push_trades, push_trade_latency_s, push_trade_price_error_bps for the baseline trade.
//   Latency: user submits the trade -> the block that executes it. Price error: |execution price - true price at
//   execution| / true price, in bps (what the trader gets against the market when the trade settles).
//   trade_price_error_at_report_bps: Streams only, |execution price - true price at the report's
//   observationsTimestamp|: the report's own error, without the drift while Automation settles.
//   trades_pending_at_end: Streams trades requested and not executed when the run ends (in flight, or given up
//   by Automation); automation_failures: lookups given up and performs that failed or could not be sent;
//   perform_blocks_after_trigger: mean (perform block - trade request block) of the Streams trades.
//
// Window: reports observed at or after the start of measurement and at least `settle` before the end (reports
// observed in the last seconds are still in flight or not yet backfilled); trades requested in the window and at
// least `settle` before the end on both sides (a Streams trade settles blocks after a push trade, so trades
// requested near the end would otherwise be counted for one side only).
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "analysis/metrics.hpp"
#include "models/streams/report.hpp"
#include "sim/time.hpp"

namespace analysis {

// The pure counting part of one client's metrics (no signals), testable alone.
class StreamsClientMetrics {
 public:
  // `feeds`: the feeds the client subscribes; reports of other feeds are ignored.
  StreamsClientMetrics(std::set<models::streams::FeedId> feeds, sim::Duration settle);
  void begin(sim::Time t) { begin_ = t; }
  // The DON attested a report.
  void on_produced(const models::streams::SignedReport& r);
  // The client accepted a report from a WebSocket, or from REST backfill, at time `at`.
  void on_stream(const models::streams::SignedReport& r, sim::Time at);
  void on_backfill(const models::streams::SignedReport& r, sim::Time at);
  // A stream copy was dropped as a duplicate at time `at`.
  void on_duplicate(sim::Time at) {
    if (at >= begin_) ++duplicates_;
  }
  // A socket connected (up) or was lost (!up).
  void on_socket(bool up, sim::Time at);
  void finish(sim::Time end, MetricSet& out, const std::string& prefix) const;

 private:
  struct Key {
    models::streams::FeedId feed;
    std::uint32_t ts;
    friend auto operator<=>(const Key&, const Key&) = default;
  };
  bool counts(const models::streams::SignedReport& r) const;

  std::set<models::streams::FeedId> feeds_;
  sim::Duration settle_;
  sim::Time begin_{};
  std::map<Key, sim::Time> produced_;  // -> observed_at
  std::set<Key> streamed_, held_;
  std::vector<double> latencies_ms_;
  std::vector<double> latencies_from_obs_ms_;
  std::uint64_t duplicates_ = 0;
  std::vector<sim::Time> stream_times_;  // acceptance times of stream reports (any feed), in order
  std::vector<sim::Time> losses_;        // when sockets were lost
};

// Trades of Streams Trade and of the push-feed baseline.
class TradeMetrics {
 public:
  explicit TradeMetrics(sim::Duration settle = sim::Duration::nanoseconds(30'000'000'000)) : settle_(settle) {}
  void begin(sim::Time t) { begin_ = t; }
  // A trade executed: `streams` (false: the push baseline), when the user submitted it, when its block executed
  // it, at what price, the true price at execution and (Streams) at the report's observations timestamp (NaN if
  // unknown). `verify_gas`: Streams, the gas of VerifierProxy.verify in its performUpkeep.
  void on_trade(bool streams, sim::Time requested_at, sim::Time executed_at, double price, double true_price,
                double true_price_at_report = std::numeric_limits<double>::quiet_NaN(), std::uint64_t verify_gas = 0,
                double blocks_after_trigger = std::numeric_limits<double>::quiet_NaN());
  void on_automation_failure(sim::Time at);
  void finish(sim::Time end, std::uint64_t pending_at_end, MetricSet& out) const;

 private:
  struct Trade {
    bool streams;
    sim::Time requested_at;
    double latency_s, error_bps, error_at_report_bps;
    double blocks_after_trigger;  // streams: perform block - request block
    std::uint64_t verify_gas;
  };
  sim::Duration settle_;
  sim::Time begin_{};
  std::vector<Trade> trades_;
  std::uint64_t automation_failures_ = 0;
};

}  // namespace analysis
