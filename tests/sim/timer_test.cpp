#include "sim/timer.hpp"

#include <memory>
#include <vector>

#include <gtest/gtest.h>

using namespace sim::literals;
using sim::Time;

TEST(Timer, FiresOnceAtItsExpiry) {
  sim::Simulation s;
  std::vector<Time> fired;
  sim::Timer t(s, [&] { fired.push_back(s.now()); });
  t.arm(5_s);
  EXPECT_TRUE(t.armed());
  EXPECT_EQ(t.expiry(), Time::zero() + 5_s);
  s.run();
  EXPECT_EQ(fired, std::vector<Time>{Time::zero() + 5_s});
  EXPECT_FALSE(t.armed());
}

TEST(Timer, RearmingReplacesTheEarlierExpiry) {
  sim::Simulation s;
  std::vector<Time> fired;
  sim::Timer t(s, [&] { fired.push_back(s.now()); });
  t.arm(5_s);
  s.after(2_s, [&] { t.arm(10_s); });  // now expires at 12 s, not 5 s
  s.run();
  EXPECT_EQ(fired, std::vector<Time>{Time::zero() + 12_s});
  EXPECT_EQ(s.stats().cancelled, 1u);
}

TEST(Timer, ArmIfIdleDoesNotPostpone) {
  sim::Simulation s;
  std::vector<Time> fired;
  sim::Timer t(s, [&] { fired.push_back(s.now()); });
  t.arm_if_idle(5_s);
  s.after(1_s, [&] { t.arm_if_idle(10_s); });
  s.run();
  EXPECT_EQ(fired, std::vector<Time>{Time::zero() + 5_s});
}

TEST(Timer, CallbackMayRearmForPeriodicWork) {
  sim::Simulation s;
  int ticks = 0;
  sim::Timer t(s, [&] {});
  sim::Timer periodic(s, [&] {
    ++ticks;
    if (ticks < 5) periodic.arm(1_s);
  });
  periodic.arm(1_s);
  s.run();
  EXPECT_EQ(ticks, 5);
  EXPECT_EQ(s.now(), Time::zero() + 5_s);
}

TEST(Timer, DestructionCancelsThePendingExpiry) {
  sim::Simulation s;
  int fired = 0;
  {
    auto t = std::make_unique<sim::Timer>(s, [&] { ++fired; });
    t->arm(1_s);
    EXPECT_EQ(s.stats().pending, 1u);
  }
  EXPECT_EQ(s.stats().pending, 0u);
  s.run();  // under ASan a dangling callback would be a use-after-free
  EXPECT_EQ(fired, 0);
}

TEST(Timer, ExplicitCancelAndCancelWhenIdleAreSafe) {
  sim::Simulation s;
  int fired = 0;
  sim::Timer t(s, [&] { ++fired; });
  t.cancel();
  t.arm(1_s);
  t.cancel();
  t.cancel();
  s.run();
  EXPECT_EQ(fired, 0);
}
