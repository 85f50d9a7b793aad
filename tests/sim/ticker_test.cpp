// sim::Ticker: periodic actions sharing one timer per period run in the order, and at the places among other
// events, that one self-rearming timer per action would give them.
#include "sim/ticker.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/timer.hpp"

using namespace sim::literals;

namespace {

struct Log {
  std::vector<std::string> lines;
  void add(sim::Simulation& s, const std::string& what) { lines.push_back(std::to_string(s.now().ns()) + " " + what); }
};

// Periodic actions a..e with periods 1 s, 250 ms, 1 s, 3 s, 250 ms, and a few one-off events at tick instants,
// scheduled before and after the periodic ones start.
std::vector<std::string> run(bool shared) {
  sim::Simulation s(1);
  Log log;
  const std::vector<std::pair<std::string, sim::Duration>> actions{
      {"a", 1_s}, {"b", 250_ms}, {"c", 1_s}, {"d", 3_s}, {"e", 250_ms}};
  s.at(sim::Time::zero() + 1_s, [&] { log.add(s, "early one-off"); });
  sim::Ticker ticker(s, "test/tick");
  std::vector<std::unique_ptr<sim::Timer>> timers(actions.size());
  for (std::size_t i = 0; i < actions.size(); ++i) {
    auto act = [&s, &log, n = actions[i].first] { log.add(s, n); };
    if (shared)
      ticker.add(actions[i].second, act);
    else
      timers[i] = std::make_unique<sim::Timer>(s, [&timers, i, act, p = actions[i].second] {
        timers[i]->arm(p);
        act();
      }, "test/tick");
  }
  if (shared) ticker.start();
  else
    for (std::size_t i = 0; i < timers.size(); ++i) timers[i]->arm(actions[i].second);
  s.at(sim::Time::zero() + 3_s, [&] { log.add(s, "late one-off"); });
  s.at(sim::Time::zero() + 2500_ms, [&] { s.at(sim::Time::zero() + 3_s, [&] { log.add(s, "scheduled at 2.5 s"); }); });
  s.run_until(sim::Time::zero() + 6_s);
  return log.lines;
}

}  // namespace

TEST(Ticker, RunsActionsInTheOrderOneTimerEachWouldRunThem) {
  const auto each = run(false);
  const auto shared = run(true);
  ASSERT_GT(each.size(), 40u);
  EXPECT_EQ(shared, each);
}

TEST(Ticker, OneEventPerTickAndPeriod) {
  sim::Simulation s(1);
  sim::Ticker ticker(s, "test/tick");
  int count = 0;
  for (int i = 0; i < 100; ++i) ticker.add(1_s, [&] { ++count; });
  ticker.add(2_s, [&] { ++count; });
  EXPECT_EQ(ticker.periods(), 2u);
  ticker.start();
  s.run_until(sim::Time::zero() + 10_s);
  EXPECT_EQ(count, 100 * 10 + 5);
  EXPECT_EQ(s.stats().executed, 10u + 5u);
}
