// The feed scenarios in scenarios/ load through the scenario framework and run through analysis::run_one.
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "analysis/run.hpp"
#include "models/scenario/diagnostic.hpp"
#include "analysis/subsystems.hpp"
#include "models/demo/demo_subsystem.hpp"
#include "models/feeds/feeds_subsystem.hpp"
#include "models/request/requests_subsystem.hpp"
#include "models/scenario/study.hpp"
#include "tests/analysis/scenario_run.hpp"

using namespace models::scenario;
using scenario_test::load_study;

namespace {
const std::string kDir = std::string(ORACLESIM_SOURCE_DIR) + "/scenarios/";
}

TEST(FeedScenario, FeedFluxLoadsAsWritten) {
  const Study st = load_study(kDir + "feed_flux.yaml");
  const ScenarioConfig& c = st.base;
  ASSERT_EQ(models::feeds::feeds_of(c).size(), 1u);
  EXPECT_EQ(models::feeds::feeds_of(c)[0].oracles, 7u);
  EXPECT_DOUBLE_EQ(models::feeds::feeds_of(c)[0].deviation, 0.005);
  EXPECT_EQ(models::feeds::feeds_of(c)[0].heartbeat, sim::Duration::nanoseconds(3'600'000'000'000));
  EXPECT_EQ(models::feeds::feeds_of(c)[0].flux.payment, 100'000'000'000'000'000ULL);
  ASSERT_EQ(c.providers.size(), 4u);
  EXPECT_DOUBLE_EQ(c.providers[0].noise, 0.0002);
  EXPECT_DOUBLE_EQ(c.providers[1].error_rate, 0.005);
  EXPECT_DOUBLE_EQ(c.assets[0].process.volatility, 0.8);
  EXPECT_FALSE(models::demo::demo_of(c).enabled);
}

TEST(FeedScenario, QuickstartRunsAndReportsEveryFeedMetric) {
  const Study st = load_study(kDir + "quickstart.yaml",
                              {"assets[0].process.csv=" + kDir + "data/eth_usd_synthetic_1d.csv", "duration=3h"});
  const auto a = analysis::run_one(st.base, 42, 0);
  for (const char* name : {"updates", "gas_per_update", "gas_per_day", "gas_per_node_per_day", "eth_cost_per_day",
                           "link_paid_per_day", "answer_error_bps_mean", "answer_error_bps_p50", "answer_error_bps_p99",
                           "answer_error_bps_max", "staleness_s_mean", "staleness_s_p99", "staleness_s_max",
                           "time_beyond_threshold_frac", "update_latency_s", "mean_update_interval_s",
                           "mean_update_size_bps"}) {
    const auto v = a.metrics.get(name);
    ASSERT_TRUE(v.has_value()) << name;
    EXPECT_TRUE(std::isfinite(*v)) << name;
  }
  EXPECT_GE(*a.metrics.get("updates"), 2);  // at least the heartbeats of 2.5 measured hours
  const auto b = analysis::run_one(st.base, 42, 0);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.metrics.values(), b.metrics.values());
}

TEST(FeedScenario, UnknownAssetIsReportedAtItsKey) {
  try {
    load_study(kDir + "feed_flux.yaml", {"feeds[0].asset=BTC/USD"});
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("feeds[0].asset"), std::string::npos) << e.what();
  }
}
