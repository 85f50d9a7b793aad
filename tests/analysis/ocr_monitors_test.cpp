#include "analysis/ocr_monitors.hpp"

#include <gtest/gtest.h>

using namespace sim::literals;
using sim::Time;

TEST(LivenessMonitor, AGapRunsFromDueToTheNextUpdate) {
  analysis::LivenessMonitor m;
  m.on_due(Time::zero() + 10_s, true);
  m.on_due(Time::zero() + 20_s, true);  // still due: the gap keeps its start
  m.on_update(Time::zero() + 45_s);
  EXPECT_EQ(m.max_gap(), 35_s);
  EXPECT_EQ(m.total_gap(), 35_s);
  EXPECT_FALSE(m.pending());
}

TEST(LivenessMonitor, AGapEndsWhenTheReferenceSaysNothingIsDueAnyMore) {
  // Due at 10 s, the deviation recedes by 30 s, the next update comes at 100 s: 20 s without progress, not 90 s.
  analysis::LivenessMonitor m;
  m.on_due(Time::zero() + 10_s, true);
  m.on_resolved(Time::zero() + 30_s);
  m.on_update(Time::zero() + 100_s);
  EXPECT_EQ(m.max_gap(), 20_s);
  m.on_due(Time::zero() + 200_s, true);
  m.finish(Time::zero() + 205_s);  // an open gap is closed at the end of the run
  EXPECT_EQ(m.max_gap(), 20_s);
  EXPECT_EQ(m.total_gap(), 25_s);
}

TEST(LivenessMonitor, NotDueSamplesDoNotOpenAGap) {
  analysis::LivenessMonitor m;
  m.on_due(Time::zero() + 10_s, false);
  m.on_resolved(Time::zero() + 20_s);
  m.on_update(Time::zero() + 30_s);
  EXPECT_EQ(m.max_gap(), 0_s);
  EXPECT_FALSE(m.pending());
}

TEST(LivenessMonitor, GapsAreClippedToTheMeasurementWindow) {
  // Window [100 s, 200 s): a gap due since 50 s counts from 100 s; one still open at 190 s ends at 200 s.
  analysis::LivenessMonitor m(Time::zero() + 100_s, Time::zero() + 200_s);
  m.on_due(Time::zero() + 50_s, true);
  m.on_update(Time::zero() + 130_s);
  EXPECT_EQ(m.max_gap(), 30_s);
  m.on_due(Time::zero() + 190_s, true);
  m.finish(Time::zero() + 250_s);
  EXPECT_EQ(m.total_gap(), 40_s);
  // A gap entirely before the window does not count.
  analysis::LivenessMonitor early(Time::zero() + 100_s, Time::zero() + 200_s);
  early.on_due(Time::zero() + 10_s, true);
  early.on_update(Time::zero() + 20_s);
  EXPECT_EQ(early.max_gap(), 0_s);
}

// An accepted answer is safe when it lies within the honest observations of its own (epoch, round), whatever order
// the rounds' observations came in; accepting a round forgets it and every earlier one.
TEST(SafetyMonitor, AnAnswerMustLieWithinItsRoundsHonestRange) {
  analysis::SafetyMonitor s;
  using models::ocr::EpochRound;
  s.on_honest_observation({2, 1}, 100);
  s.on_honest_observation({2, 1}, 120);
  s.on_honest_observation({3, 1}, 500);
  s.on_honest_observation({1, 4}, 10);  // an older round, late
  s.on_honest_observation({2, 2}, 200);  // between two kept rounds
  s.on_honest_observation({2, 1}, 90);
  EXPECT_FALSE(s.on_accepted({2, 1}, 90));
  EXPECT_FALSE(s.on_accepted({2, 2}, 200));
  EXPECT_TRUE(s.on_accepted({1, 4}, 10));  // forgotten with (2, 1)
  EXPECT_TRUE(s.on_accepted({3, 1}, 501));  // outside [500, 500]
  EXPECT_TRUE(s.on_accepted({3, 1}, 500));  // forgotten by the previous acceptance
  EXPECT_TRUE(s.on_accepted({4, 1}, 7));  // never observed
  s.on_honest_observation({5, 1}, 7);
  EXPECT_FALSE(s.on_accepted({5, 1}, 7));
}
