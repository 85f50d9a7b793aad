#include "models/feeds/flux_monitor.hpp"

#include <gtest/gtest.h>

using namespace models::feeds;

TEST(FluxMonitorDecide, ThresholdIsInclusive) {
  EXPECT_TRUE(deviation_exceeded(100'000, 100'500, 0.005));   // exactly 0.5%
  EXPECT_FALSE(deviation_exceeded(100'000, 100'499, 0.005));
  EXPECT_TRUE(deviation_exceeded(100'000, 99'500, 0.005));    // both directions
  EXPECT_TRUE(deviation_exceeded(0, 1, 0.005));               // never submitted: infinitely far
  EXPECT_FALSE(deviation_exceeded(0, 0, 0.005));              // undefined: cannot satisfy the threshold
}

TEST(FluxMonitorDecide, ReasonsInOrder) {
  FluxObservation o;
  o.eligible = true;
  o.round_id = 5;
  o.latest_submission = 300'000;
  o.proposed = 300'100;  // 0.03%: no deviation
  EXPECT_EQ(decide(o), FluxTrigger::none);
  o.proposed = 302'000;
  EXPECT_EQ(decide(o), FluxTrigger::deviation);
  o.heartbeat_due = true;
  EXPECT_EQ(decide(o), FluxTrigger::heartbeat);
  o.other_started_round = true;
  EXPECT_EQ(decide(o), FluxTrigger::new_round);
  o.round_id = 1;
  EXPECT_EQ(decide(o), FluxTrigger::first_answer);
  o.eligible = false;
  EXPECT_EQ(decide(o), FluxTrigger::none);  // never submit when the contract would revert
}

TEST(FluxMonitorDecide, DeviationIsMeasuredAgainstTheNodesOwnLatestSubmission) {
  // facts §1: roundState.LatestSubmission is the reference, not the on-chain answer.
  FluxObservation o;
  o.eligible = true;
  o.round_id = 8;
  o.proposed = 300'000;
  o.latest_submission = 300'000 * 102 / 100;  // its own last submission is 2% away
  EXPECT_EQ(decide(o), FluxTrigger::deviation);
  o.latest_submission = 300'000;  // within the threshold of its own submission: nothing, whatever the answer
  EXPECT_EQ(decide(o), FluxTrigger::none);
  // Round 1 needs no deviation: a fresh aggregator's first round is answered as soon as the node is eligible.
  o.round_id = 1;
  EXPECT_EQ(decide(o), FluxTrigger::first_answer);
}

TEST(FluxMonitorDecide, MedianOfQuotes) {
  EXPECT_FALSE(median_price({}).has_value());
  EXPECT_DOUBLE_EQ(*median_price({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(*median_price({4, 1, 3, 2}), 2.5);
}

TEST(FluxMonitorConfig, Validation) {
  FluxMonitorConfig c;
  EXPECT_TRUE(c.validate("f").empty());
  c.threshold = 0;
  c.poll_interval = sim::Duration{};
  const auto issues = c.validate("feeds[0]");
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues.items()[0].path, "feeds[0].deviation");
  EXPECT_EQ(issues.items()[1].path, "feeds[0].poll_interval");
}
