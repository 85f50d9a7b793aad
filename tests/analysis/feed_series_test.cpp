// The feed's event series (answer_updates, feed_gas_price_gwei) hold a point at each thing that happened, at its
// own instant, whatever the sampling interval: the events after the last sample are kept, and answer_updates has
// one point per update, as many as the `updates` metric counts over the same window.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/analysis/scenario_run.hpp"

namespace {

const analysis::TimeSeries* series(const analysis::RunResult& r, const std::string& name) {
  for (const auto& s : r.series)
    if (s.name == name) return &s;
  return nullptr;
}

analysis::RunResult run_with_every(const std::string& every) {
  const auto study = models::scenario::single_run(scenario_test::load_study(
      scenario_test::kScenarios + "feed_flux.yaml",
      {"duration=6h", "warmup=0s", "record.timeseries=[answer_updates, feed_gas_price_gwei]", "record.every=" + every}));
  const auto& cfg = study.points.at(0).config;
  return analysis::run_one(cfg, sim::replication_seed(cfg.seed, 0), 0);
}

}  // namespace

TEST(FeedSeries, EventSeriesHoldEveryEventWhateverTheSampling) {
  const auto sparse = run_with_every("7min");  // 6 h is not a multiple: events after the last sample
  const auto dense = run_with_every("1min");
  const auto* a = series(sparse, "answer_updates");
  const auto* b = series(dense, "answer_updates");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->points, b->points);
  EXPECT_EQ(series(sparse, "feed_gas_price_gwei")->points, series(dense, "feed_gas_price_gwei")->points);
  EXPECT_FALSE(series(sparse, "feed_gas_price_gwei")->points.empty());
  // One point per update (a flux round's answer moves with later submissions; the round counts once).
  ASSERT_TRUE(sparse.metrics.get("updates").has_value());
  EXPECT_EQ(static_cast<double>(a->points.size()), *sparse.metrics.get("updates"));
  // Recording changes nothing of the run.
  EXPECT_EQ(sparse.fingerprint, dense.fingerprint);
  // Instants in exact seconds (ns / 1e9, no float noise from ns * 1e-9).
  for (const auto& [t, v] : a->points) EXPECT_EQ(t, std::round(t * 1e9) / 1e9) << t;
}
