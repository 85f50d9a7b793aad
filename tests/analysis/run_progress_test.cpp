// A run's progress callback (analysis::RunProgress, oraclesim run's progress bar) sees the run advance in about a
// thousand slices of simulated time and leaves the run exactly as it is without one.
#include <gtest/gtest.h>

#include <vector>

#include "tests/analysis/scenario_run.hpp"

TEST(RunProgress, SlicesTheRunWithoutChangingIt) {
  const auto study = models::scenario::single_run(scenario_test::load_study(scenario_test::kScenarios + "one_world.yaml",
                                                                             {"duration=2h", "warmup=5min"}));
  const auto& cfg = study.points.at(0).config;
  const std::uint64_t seed = sim::replication_seed(cfg.seed, 0);
  const auto plain = analysis::run_one(cfg, seed, 0);

  std::vector<std::pair<sim::Time, std::uint64_t>> seen;
  const auto watched = analysis::run_one(cfg, seed, 0, analysis::builtin_registry(),
                                         [&](sim::Time now, std::uint64_t events) { seen.emplace_back(now, events); });
  EXPECT_EQ(watched.fingerprint, plain.fingerprint);
  EXPECT_EQ(watched.events, plain.events);
  EXPECT_EQ(watched.metrics.values(), plain.metrics.values());

  ASSERT_GE(seen.size(), 990u);
  ASSERT_LE(seen.size(), 1000u);
  for (std::size_t i = 1; i < seen.size(); ++i) {
    EXPECT_LT(seen[i - 1].first, seen[i].first);
    EXPECT_LE(seen[i - 1].second, seen[i].second);
  }
  EXPECT_LE(seen.back().first, sim::Time::zero() + cfg.duration);
  EXPECT_GT(seen.back().second, plain.events / 2);
}
