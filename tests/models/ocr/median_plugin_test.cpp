// The median plugin's decisions (OCR2) at each threshold's edge: Report (deviation inclusive, DeltaC strict, the
// Infinite flags, min/max range, first round, requests), ShouldAcceptFinalizedReport (order, staleness, accept
// deviation, nothing pending) and ShouldTransmitAcceptedReport.
#include "models/ocr/median_plugin.hpp"

#include <gtest/gtest.h>

using namespace models::ocr;
using namespace sim::literals;

namespace {
struct Plugin {
  OcrConfig cfg;
  ContractView view;
  sim::Time now = sim::Time::from_seconds(10'000);
  Plugin() {
    cfg.version = OcrVersion::ocr2;
    cfg.alpha_ppb = 10'000'000;         // 1%
    cfg.alpha_accept_ppb = 20'000'000;  // 2%
    view.config_digest = cfg.config_digest;
    view.latest = {3, 2};
    view.answer = 100'000;
    view.timestamp = now - 5_min;  // delta_c = 10 min
  }
};
}  // namespace

TEST(MedianPluginReport, DeviationIsInclusiveAtAlphaReport) {
  Plugin p;
  EXPECT_TRUE(median_should_report(p.cfg, 101'000, p.view, p.now).report());   // exactly 1%
  EXPECT_FALSE(median_should_report(p.cfg, 100'999, p.view, p.now).report());  // just under
  EXPECT_TRUE(median_should_report(p.cfg, 99'000, p.view, p.now).deviation);
  p.cfg.alpha_report_infinite = true;  // deviation never counts
  EXPECT_FALSE(median_should_report(p.cfg, 200'000, p.view, p.now).report());
}

TEST(MedianPluginReport, HeartbeatIsStrictlyAfterDeltaC) {
  Plugin p;
  p.view.timestamp = p.now - p.cfg.delta_c;  // exactly DeltaC old: not yet (latestTimestamp + DeltaC before now)
  EXPECT_FALSE(median_should_report(p.cfg, 100'000, p.view, p.now).report());
  p.view.timestamp = p.now - p.cfg.delta_c - sim::Duration::nanoseconds(1);
  const auto d = median_should_report(p.cfg, 100'000, p.view, p.now);
  EXPECT_TRUE(d.heartbeat);
  EXPECT_TRUE(d.report());
  p.cfg.alpha_report_infinite = true;  // the heartbeat still reports
  EXPECT_TRUE(median_should_report(p.cfg, 100'000, p.view, p.now).report());
}

TEST(MedianPluginReport, FirstRoundAndRequestsReport) {
  Plugin p;
  p.view.latest = {0, 0};
  EXPECT_TRUE(median_should_report(p.cfg, 100'000, p.view, p.now).initial_round);
  p.view.config_digest += 1;  // the contract is on another config: not our first round
  EXPECT_FALSE(median_should_report(p.cfg, 100'000, p.view, p.now).report());
  Plugin q;
  q.view.round_requested = true;
  EXPECT_TRUE(median_should_report(q.cfg, 100'000, q.view, q.now).report());
}

TEST(MedianPluginReport, OutOfRangeMedianIsNeverReported) {
  Plugin p;
  p.cfg.min_answer = 50'000;
  p.cfg.max_answer = 150'000;
  EXPECT_TRUE(median_should_report(p.cfg, 150'000, p.view, p.now).report());  // the bounds are inclusive
  EXPECT_TRUE(median_should_report(p.cfg, 50'000, p.view, p.now).report());
  auto d = median_should_report(p.cfg, 150'001, p.view, p.now);
  EXPECT_TRUE(d.deviation);
  EXPECT_FALSE(d.in_range);
  EXPECT_FALSE(d.report());
  p.view.latest = {0, 0};  // not even the first round
  EXPECT_FALSE(median_should_report(p.cfg, 49'999, p.view, p.now).report());
}

TEST(MedianPluginAccept, OnlyNewerThanTheLastAcceptedAndTheContract) {
  Plugin p;
  MedianAcceptState s;
  EXPECT_FALSE(median_should_accept(p.cfg, s, {3, 2}, 200'000, p.view));  // not newer than the contract
  EXPECT_TRUE(median_should_accept(p.cfg, s, {3, 3}, 200'000, p.view));   // nothing pending: the contract caught up
  EXPECT_EQ(s.latest_accepted, (EpochRound{3, 3}));
  EXPECT_EQ(s.latest_accepted_median, 200'000);
  EXPECT_FALSE(median_should_accept(p.cfg, s, {3, 3}, 300'000, p.view));  // the same round twice
  ContractView other = p.view;
  other.config_digest += 1;
  EXPECT_FALSE(median_should_accept(p.cfg, s, {3, 5}, 300'000, other));  // another config on chain
}

TEST(MedianPluginAccept, WhilePendingOnlyAnAlphaAcceptDeviation) {
  Plugin p;
  MedianAcceptState s;
  ASSERT_TRUE(median_should_accept(p.cfg, s, {3, 3}, 100'000, p.view));  // accepted, not yet on chain: pending
  EXPECT_FALSE(median_should_accept(p.cfg, s, {3, 4}, 101'999, p.view));  // 1.999% < 2%
  EXPECT_TRUE(median_should_accept(p.cfg, s, {3, 5}, 102'000, p.view));   // exactly 2%
  EXPECT_FALSE(median_should_accept(p.cfg, s, {3, 6}, 102'000, p.view));  // (3, 5) pending, no deviation
  p.view.latest = {3, 5};                                                  // it landed: nothing pending
  EXPECT_TRUE(median_should_accept(p.cfg, s, {3, 6}, 102'000, p.view));
  p.cfg.alpha_accept_infinite = true;  // pending again: no deviation is enough
  EXPECT_FALSE(median_should_accept(p.cfg, s, {4, 1}, 1'000'000, p.view));
}

TEST(MedianPluginTransmit, OnlyWhileTheContractIsOlderOnTheSameConfig) {
  Plugin p;
  EXPECT_TRUE(median_should_transmit(p.cfg, {3, 3}, p.view));
  EXPECT_FALSE(median_should_transmit(p.cfg, {3, 2}, p.view));  // already there
  EXPECT_FALSE(median_should_transmit(p.cfg, {2, 6}, p.view));
  p.view.config_digest += 1;
  EXPECT_FALSE(median_should_transmit(p.cfg, {3, 3}, p.view));
}
