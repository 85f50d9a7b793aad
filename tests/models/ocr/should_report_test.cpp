#include "models/ocr/should_report.hpp"

#include <gtest/gtest.h>

using namespace models::ocr;
using namespace sim::literals;

TEST(Deviates, ThresholdIsInclusiveAndRelativeToTheOldValue) {
  const std::uint64_t one_percent = 10'000'000;
  EXPECT_TRUE(deviates(101'000, 100'000, one_percent));   // exactly 1%
  EXPECT_FALSE(deviates(100'999, 100'000, one_percent));  // 0.999%
  EXPECT_TRUE(deviates(99'000, 100'000, one_percent));    // -1%
  EXPECT_FALSE(deviates(99'001, 100'000, one_percent));
  EXPECT_TRUE(deviates(-101, -100, one_percent));         // negative answers use |old|
  EXPECT_FALSE(deviates(0, 0, one_percent));
  EXPECT_TRUE(deviates(1, 0, one_percent));               // anything moves away from 0
  // Large fixed-point prices (3,000 USD with 8 decimals) do not overflow: 0.5% of 3e11 is 1.5e9.
  EXPECT_TRUE(deviates(301'500'000'000, 300'000'000'000, 5'000'000));
  EXPECT_FALSE(deviates(301'499'999'999, 300'000'000'000, 5'000'000));
}

namespace {
struct Case {
  OcrConfig cfg;
  ContractView view;
  sim::Time now = sim::Time::from_seconds(10'000);
  Case() {
    view.config_digest = cfg.config_digest;
    view.latest = {3, 2};
    view.answer = 100'000;
    view.timestamp = now - 5_min;  // delta_c = 10 min: not yet stale
  }
};
}  // namespace

TEST(ShouldReport, NothingToReport) {
  Case c;
  EXPECT_FALSE(should_report(c.cfg, 100'500, c.view, c.now).report());
}

TEST(ShouldReport, FirstRoundOfTheConfig) {
  Case c;
  c.view.latest = {0, 0};
  auto d = should_report(c.cfg, 100'000, c.view, c.now);
  EXPECT_TRUE(d.initial_round);
  EXPECT_TRUE(d.report());
  c.view.config_digest = c.cfg.config_digest + 1;  // the contract holds another config: not our first round
  EXPECT_FALSE(should_report(c.cfg, 100'000, c.view, c.now).initial_round);
}

TEST(ShouldReport, Deviation) {
  Case c;
  auto d = should_report(c.cfg, 101'000, c.view, c.now);
  EXPECT_TRUE(d.deviation);
  EXPECT_FALSE(d.heartbeat);
  EXPECT_TRUE(d.report());
}

TEST(ShouldReport, HeartbeatIsStrictlyAfterDeltaC) {
  Case c;
  c.view.timestamp = c.now - 10_min;  // timestamp + delta_c == now: not yet
  EXPECT_FALSE(should_report(c.cfg, 100'000, c.view, c.now).heartbeat);
  c.view.timestamp = c.now - 10_min - 1_ns;
  EXPECT_TRUE(should_report(c.cfg, 100'000, c.view, c.now).heartbeat);
}

TEST(ShouldReport, UnfulfilledRequestNewRound) {
  Case c;
  c.view.round_requested = true;
  auto d = should_report(c.cfg, 100'000, c.view, c.now);
  EXPECT_TRUE(d.requested);
  EXPECT_TRUE(d.report());
}
