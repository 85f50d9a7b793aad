#include "analysis/streams_metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace {

using analysis::MetricSet;
using analysis::StreamsClientMetrics;
using analysis::TradeMetrics;
using models::streams::SignedReport;
using namespace sim::literals;

const models::streams::FeedId kEth = models::streams::feed_id_of("ETH/USD");
const models::streams::FeedId kBtc = models::streams::feed_id_of("BTC/USD");

SignedReport report(models::streams::FeedId feed, std::uint32_t ts) {
  SignedReport r;
  r.report.feed_id = feed;
  r.report.observations_timestamp = ts;
  r.observed_at = sim::Time() + sim::Duration::from_seconds(ts);
  return r;
}

sim::Time at(double s) { return sim::Time::from_seconds(s); }

TEST(StreamsClientMetrics, CountsMissedReportsBeforeAndAfterBackfill) {
  StreamsClientMetrics m({kEth}, 5_s);
  // The DON reports every second for 60 s; the stream misses 20..29, backfill recovers 20..24.
  for (std::uint32_t ts = 0; ts < 60; ++ts) {
    m.on_produced(report(kEth, ts));
    m.on_produced(report(kBtc, ts));  // not subscribed: ignored
    if (ts < 20 || ts >= 30) m.on_stream(report(kEth, ts), at(ts + 0.1));
    if (ts >= 20 && ts < 25) m.on_backfill(report(kEth, ts), at(35));
  }
  MetricSet out;
  m.finish(at(60), out, "c.");
  EXPECT_EQ(out.get("c.missed_reports"), 10);
  EXPECT_EQ(out.get("c.missed_reports_after_backfill"), 5);
  EXPECT_EQ(out.get("c.client_gap_s_max"), 11);                  // 19 -> 30
  EXPECT_EQ(out.get("c.client_gap_s_max_after_backfill"), 6);    // 24 -> 30
  EXPECT_NEAR(*out.get("c.report_latency_ms_p50"), 100, 1e-6);
  EXPECT_TRUE(std::isnan(*out.get("c.failover_time_s")));
}

TEST(StreamsClientMetrics, ReportsProducedWithinTheSettleTimeDoNotCountAsMissed) {
  StreamsClientMetrics m({kEth}, 5_s);
  for (std::uint32_t ts = 0; ts < 60; ++ts) m.on_produced(report(kEth, ts));
  for (std::uint32_t ts = 0; ts < 57; ++ts) m.on_stream(report(kEth, ts), at(ts + 0.2));
  MetricSet out;
  m.finish(at(60), out, "");
  EXPECT_EQ(out.get("missed_reports"), 0);  // 57..59 are after end - settle
}

TEST(StreamsClientMetrics, FailoverSpansTheLastReportBeforeALossToTheFirstAfter) {
  StreamsClientMetrics m({kEth}, 5_s);
  for (std::uint32_t ts = 0; ts < 100; ++ts) {
    m.on_produced(report(kEth, ts));
    if (ts <= 40 || ts >= 52) m.on_stream(report(kEth, ts), at(ts + 0.5));
  }
  m.on_socket(false, at(44));  // the loss is noticed a few seconds after the last report
  m.on_socket(true, at(51));
  m.on_duplicate(at(45));
  MetricSet out;
  m.finish(at(100), out, "");
  EXPECT_NEAR(*out.get("failover_time_s"), 52.5 - 40.5, 1e-9);
  EXPECT_EQ(out.get("socket_losses"), 1);
  EXPECT_EQ(out.get("duplicates_dropped"), 1);
}

TEST(StreamsClientMetrics, AClientThatNeverRecoversShowsTheGapToTheEnd) {
  StreamsClientMetrics m({kEth}, 5_s);
  for (std::uint32_t ts = 0; ts < 100; ++ts) {
    m.on_produced(report(kEth, ts));
    if (ts <= 30) m.on_stream(report(kEth, ts), at(ts + 0.5));
  }
  m.on_socket(false, at(33));
  MetricSet out;
  m.finish(at(100), out, "");
  EXPECT_EQ(out.get("client_gap_s_max"), 95 - 30);
  EXPECT_NEAR(*out.get("failover_time_s"), 100 - 30.5, 1e-9);
  EXPECT_EQ(out.get("missed_reports"), 95 - 30);  // 31..95
}

TEST(StreamsClientMetrics, IgnoresReportsObservedBeforeTheWindow) {
  StreamsClientMetrics m({kEth}, 5_s);
  m.begin(at(10));
  m.on_duplicate(at(5));  // before the window: not counted
  for (std::uint32_t ts = 0; ts < 30; ++ts) {
    m.on_produced(report(kEth, ts));
    if (ts >= 10) m.on_stream(report(kEth, ts), at(ts + 0.3));
  }
  MetricSet out;
  m.finish(at(30), out, "");
  EXPECT_EQ(out.get("missed_reports"), 0);
  EXPECT_EQ(out.get("client_gap_s_max"), 1);
  EXPECT_EQ(out.get("duplicates_dropped"), 0);
}

TEST(TradeMetrics, LatencyAndPriceErrorPerSide) {
  TradeMetrics m(30_s);
  m.begin(at(100));
  m.on_trade(true, at(50), at(70), 3000, 3000);  // before the window: ignored
  m.on_trade(true, at(100), at(124), 3003, 3000, 3003, 200'000);
  m.on_trade(true, at(200), at(236), 2997, 3000, 2994, 220'000);
  m.on_trade(false, at(100), at(112), 2970, 3000);
  m.on_trade(false, at(200), at(212), 3000, 3000);
  // Requested within the settle time before the end: left out on both sides (the push side settles sooner).
  m.on_trade(false, at(980), at(992), 3300, 3000);
  m.on_automation_failure(at(50));
  m.on_automation_failure(at(500));
  MetricSet out;
  m.finish(at(1000), 1, out);
  EXPECT_EQ(out.get("trades"), 2);
  EXPECT_NEAR(*out.get("trade_latency_s"), 30, 1e-9);
  EXPECT_NEAR(*out.get("trade_price_error_bps"), 10, 1e-9);
  EXPECT_NEAR(*out.get("trade_price_error_at_report_bps"), (0 + 3.0 / 2994 * 1e4) / 2, 1e-9);
  EXPECT_EQ(out.get("push_trades"), 2);
  EXPECT_NEAR(*out.get("push_trade_price_error_bps"), 50, 1e-9);
  EXPECT_NEAR(*out.get("push_trade_latency_s"), 12, 1e-9);
  EXPECT_EQ(out.get("verify_gas"), 210'000);
  EXPECT_EQ(out.get("trades_pending_at_end"), 1);
  EXPECT_EQ(out.get("automation_failures"), 1);
}

}  // namespace
