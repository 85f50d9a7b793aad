#include "models/ocr/ocr_monitors.hpp"

#include <gtest/gtest.h>

using namespace sim::literals;
using sim::Time;

TEST(LivenessMonitor, AGapRunsFromDueToTheNextUpdate) {
  models::ocr::LivenessMonitor m;
  m.on_due(Time::zero() + 10_s, true);
  m.on_due(Time::zero() + 20_s, true);  // still due: the gap keeps its start
  m.on_update(Time::zero() + 45_s);
  EXPECT_EQ(m.max_gap(), 35_s);
  EXPECT_EQ(m.total_gap(), 35_s);
  EXPECT_FALSE(m.pending());
}

TEST(LivenessMonitor, AGapEndsWhenTheReferenceSaysNothingIsDueAnyMore) {
  // Due at 10 s, the deviation recedes by 30 s, the next update comes at 100 s: 20 s without progress, not 90 s.
  models::ocr::LivenessMonitor m;
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
  models::ocr::LivenessMonitor m;
  m.on_due(Time::zero() + 10_s, false);
  m.on_resolved(Time::zero() + 20_s);
  m.on_update(Time::zero() + 30_s);
  EXPECT_EQ(m.max_gap(), 0_s);
  EXPECT_FALSE(m.pending());
}
