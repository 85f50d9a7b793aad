#include "sim/signal.hpp"

#include <memory>
#include <vector>

#include <gtest/gtest.h>

TEST(Signal, SubscribersRunInConnectionOrder) {
  sim::Signal<int> sig;
  std::vector<int> got;
  auto a = sig.connect([&](int v) { got.push_back(v * 10 + 1); });
  auto b = sig.connect([&](int v) { got.push_back(v * 10 + 2); });
  sig.emit(3);
  EXPECT_EQ(got, (std::vector<int>{31, 32}));
  EXPECT_TRUE(sig.has_subscribers());
}

TEST(Signal, ConnectionsAreScoped) {
  sim::Signal<int> sig;
  int n = 0;
  {
    auto c = sig.connect([&](int) { ++n; });
    sig.emit(1);
  }
  sig.emit(1);
  EXPECT_EQ(n, 1);
  EXPECT_FALSE(sig.has_subscribers());
}

TEST(Signal, SignalMayDieBeforeItsConnection) {
  sim::Connection c;
  {
    sim::Signal<> sig;
    c = sig.connect([] {});
    EXPECT_TRUE(c.connected());
  }
  EXPECT_FALSE(c.connected());
  c.disconnect();  // safe
}

TEST(Signal, DisconnectDuringEmitSkipsTheSlot) {
  sim::Signal<> sig;
  std::vector<int> got;
  sim::Connection second;
  auto first = sig.connect([&] {
    got.push_back(1);
    second.disconnect();
  });
  second = sig.connect([&] { got.push_back(2); });
  sig.emit();
  sig.emit();
  EXPECT_EQ(got, (std::vector<int>{1, 1}));
}

TEST(Signal, ConnectDuringEmitWaitsForTheNextEmit) {
  sim::Signal<> sig;
  int late = 0;
  std::vector<sim::Connection> extra;
  auto c = sig.connect([&] { extra.push_back(sig.connect([&] { ++late; })); });
  sig.emit();
  EXPECT_EQ(late, 0);
  sig.emit();
  EXPECT_EQ(late, 1);
}
