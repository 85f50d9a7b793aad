#include "sim/simulation.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

using namespace sim::literals;
using sim::Time;

TEST(Simulation, SameTimeEventsRunInSchedulingOrder) {
  sim::Simulation s;
  std::vector<int> order;
  for (int i = 0; i < 100; ++i) s.at(Time::zero() + 5_ms, [&order, i] { order.push_back(i); });
  s.run();
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[i], i);
}

TEST(Simulation, PriorityBreaksTiesBeforeSequence) {
  sim::Simulation s;
  std::string order;
  s.at(Time::zero() + 1_s, [&] { order += 'a'; }, {}, 0);
  s.at(Time::zero() + 1_s, [&] { order += 'b'; }, {}, -1);
  s.at(Time::zero() + 1_s, [&] { order += 'c'; }, {}, 1);
  s.at(Time::zero() + 1_s, [&] { order += 'd'; }, {}, -1);
  s.at(Time::zero() + 500_ms, [&] { order += 'e'; }, {}, 5);
  s.run();
  EXPECT_EQ(order, "ebdac");
}

TEST(Simulation, EventsScheduledForNowFromACallbackRunAfterEarlierOnes) {
  sim::Simulation s;
  std::string order;
  s.at(Time::zero() + 1_s, [&] {
    order += 'a';
    s.after(0_s, [&] { order += 'c'; });
  });
  s.at(Time::zero() + 1_s, [&] { order += 'b'; });
  s.run();
  EXPECT_EQ(order, "abc");
}

TEST(Simulation, ClockAdvancesToEachEvent) {
  sim::Simulation s;
  std::vector<Time> seen;
  s.after(3_s, [&] { seen.push_back(s.now()); });
  s.after(1_s, [&] { seen.push_back(s.now()); });
  s.run();
  EXPECT_EQ(seen, (std::vector<Time>{Time::zero() + 1_s, Time::zero() + 3_s}));
  EXPECT_EQ(s.now(), Time::zero() + 3_s);
}

TEST(Simulation, SchedulingInThePastIsAnError) {
  sim::Simulation s;
  s.run_until(Time::zero() + 10_s);
  EXPECT_THROW(s.at(Time::zero() + 9_s, [] {}), sim::SchedulingError);
  EXPECT_THROW(s.after(-(1_ns), [] {}), sim::SchedulingError);
  EXPECT_THROW(s.run_until(Time::zero() + 1_s), sim::SchedulingError);
  EXPECT_NO_THROW(s.at(s.now(), [] {}));
  try {
    s.at(Time::zero() + 9_s, [] {});
    FAIL();
  } catch (const sim::SchedulingError& e) {
    EXPECT_NE(std::string(e.what()).find("t=9s"), std::string::npos) << e.what();
  }
}

TEST(Simulation, CancelBeforeFirePreventsIt) {
  sim::Simulation s;
  int fired = 0;
  auto h = s.after(1_s, [&] { ++fired; });
  EXPECT_TRUE(h.pending());
  EXPECT_TRUE(h.cancel());
  EXPECT_FALSE(h.pending());
  s.run();
  EXPECT_EQ(fired, 0);
  EXPECT_EQ(s.stats().cancelled, 1u);
  EXPECT_EQ(s.stats().executed, 0u);
}

TEST(Simulation, CancelAfterFireAndDoubleCancelAreNoOps) {
  sim::Simulation s;
  int fired = 0;
  auto h = s.after(1_s, [&] { ++fired; });
  auto copy = h;
  s.run();
  EXPECT_EQ(fired, 1);
  EXPECT_FALSE(h.pending());
  EXPECT_FALSE(h.cancel());
  EXPECT_FALSE(h.cancel());
  // The freed slot is reused by a new event; the stale handle must not touch it.
  int other = 0;
  auto h2 = s.after(1_s, [&] { ++other; });
  EXPECT_FALSE(copy.cancel());
  EXPECT_TRUE(h2.pending());
  s.run();
  EXPECT_EQ(other, 1);
}

TEST(Simulation, CancelFromInsideTheRunningEventIsANoOp) {
  sim::Simulation s;
  sim::EventHandle self;
  int fired = 0;
  self = s.after(1_s, [&] {
    ++fired;
    EXPECT_FALSE(self.pending());
    EXPECT_FALSE(self.cancel());
  });
  s.run();
  EXPECT_EQ(fired, 1);
}

TEST(Simulation, EmptyHandleIsSafe) {
  sim::EventHandle h;
  EXPECT_FALSE(h.pending());
  EXPECT_FALSE(h.cancel());
}

TEST(Simulation, ManyCancellationsKeepOrderAndCounts) {
  // Enough cancellations to trigger heap compaction; the survivors must still run in order.
  sim::Simulation s;
  std::vector<sim::EventHandle> handles;
  std::vector<int> ran;
  for (int i = 0; i < 20000; ++i) handles.push_back(s.at(Time::zero() + sim::Duration::nanoseconds(20000 - i), [&ran, i] { ran.push_back(i); }));
  for (int i = 0; i < 20000; ++i)
    if (i % 10 != 0) handles[i].cancel();
  EXPECT_EQ(s.stats().pending, 2000u);
  s.run();
  ASSERT_EQ(ran.size(), 2000u);
  for (std::size_t k = 1; k < ran.size(); ++k) EXPECT_GT(ran[k - 1], ran[k]);  // later i = earlier time
  EXPECT_EQ(s.stats().executed, 2000u);
  EXPECT_EQ(s.stats().pending, 0u);
}

TEST(Simulation, RunUntilStopsAtTheLimitAndAdvancesTheClock) {
  sim::Simulation s;
  int fired = 0;
  s.after(1_s, [&] { ++fired; });
  s.after(2_s, [&] { ++fired; });
  s.after(3_s, [&] { ++fired; });
  s.run_until(Time::zero() + 2_s);
  EXPECT_EQ(fired, 2);  // events at exactly the limit run
  EXPECT_EQ(s.now(), Time::zero() + 2_s);
  s.run_until(Time::zero() + 10_s);
  EXPECT_EQ(fired, 3);
  EXPECT_EQ(s.now(), Time::zero() + 10_s);
}

TEST(Simulation, StopReturnsAfterTheCurrentEventAndRunResumes) {
  sim::Simulation s;
  int fired = 0;
  s.after(1_s, [&] { ++fired; s.stop(); });
  s.after(2_s, [&] { ++fired; });
  s.run();
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(s.now(), Time::zero() + 1_s);
  s.run();
  EXPECT_EQ(fired, 2);
}

TEST(Simulation, CountersTrackExecutedPendingAndPeak) {
  sim::Simulation s;
  for (int i = 0; i < 10; ++i) s.after(sim::Duration::nanoseconds(i + 1), [] {});
  EXPECT_EQ(s.stats().pending, 10u);
  s.run_until(Time::zero() + 5_ns);
  const auto st = s.stats();
  EXPECT_EQ(st.executed, 5u);
  EXPECT_EQ(st.pending, 5u);
  EXPECT_EQ(st.peak_pending, 10u);
  EXPECT_EQ(st.scheduled, 10u);
}

TEST(Simulation, AnExceptionInAnEventPropagatesAndLeavesTheQueueUsable) {
  sim::Simulation s;
  int fired = 0;
  s.after(1_s, [] { throw std::runtime_error("boom"); });
  s.after(2_s, [&] { ++fired; });
  EXPECT_THROW(s.run(), std::runtime_error);
  s.run();
  EXPECT_EQ(fired, 1);
}

TEST(Simulation, LargeCapturesStillWork) {
  sim::Simulation s;
  struct Big {
    char data[200];
  } big{};
  big.data[199] = 7;
  int got = 0;
  s.after(1_s, [big, &got] { got = big.data[199]; });
  s.run();
  EXPECT_EQ(got, 7);
}

TEST(Simulation, IndependentSimulationsInOneProcess) {
  sim::Simulation a(1), b(2);
  int na = 0, nb = 0;
  a.after(1_s, [&] { ++na; });
  b.after(1_s, [&] { ++nb; });
  b.after(2_s, [&] { ++nb; });
  a.run();
  b.run();
  EXPECT_EQ(na, 1);
  EXPECT_EQ(nb, 2);
}
