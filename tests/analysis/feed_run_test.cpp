// One simulated day of an ETH/USD-like per-node-aggregation feed, configured in C++ and run by analysis::run_one:
// the metrics exist and sit in plausible ranges derived from the configuration.
#include <cmath>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "analysis/run.hpp"
#include "models/demo/demo_subsystem.hpp"
#include "models/feeds/feeds_subsystem.hpp"
#include "models/scenario/scenario.hpp"

using namespace models;
using namespace models::feeds;
using namespace sim::literals;

namespace {
scenario::ScenarioConfig eth_usd_day(std::uint32_t oracles) {
  scenario::ScenarioConfig w;
  w.name = "feed-run";
  w.duration = 1_d;
  w.warmup = 1_h;
  demo::demo_of(w).enabled = false;
  providers::AssetConfig a;
  a.name = "ETH/USD";
  a.process.start = 3000;
  a.process.volatility = 0.8;  // annualised
  w.assets = {a};
  const double noise[] = {2, 3, 5, 4};
  for (int i = 0; i < 4; ++i) {
    providers::ProviderConfig p;
    p.name = "exchange-" + std::to_string(i);
    p.asset = "ETH/USD";
    p.noise = noise[i] * 1e-4;
    p.error_rate = 0.005;
    w.providers.push_back(p);
  }
  FeedConfig f;
  f.oracles = oracles;
  f.deviation = 0.005;
  f.heartbeat = 1_h;
  feeds_of(w) = {f};
  return w;
}

analysis::MetricSet run_day(std::uint64_t seed, std::uint32_t oracles) {
  const auto r = analysis::run_one(eth_usd_day(oracles), seed, 0);
  analysis::MetricSet m = r.metrics;
  m.set("fingerprint_low32", static_cast<double>(r.fingerprint & 0xffffffff));
  return m;
}

double get(const analysis::MetricSet& m, const char* name) { return m.get(name).value_or(NAN); }
}  // namespace

TEST(FeedRun, OneSimulatedDayOfAnEthUsdLikeFluxFeed) {
  const analysis::MetricSet m = run_day(42, 7);
  for (const auto& [k, v] : m.values()) std::printf("  %-28s %.6g\n", k.c_str(), v);
  const double updates = get(m, "updates");
  // 23 hours after the warm-up: at least one heartbeat per hour; 80% annual volatility moves the price by
  // 0.5% about every ~10 minutes, so far fewer than one update per minute.
  EXPECT_GE(updates, 22);
  EXPECT_LE(updates, 23 * 60);
  // 7 submissions per round (the round closes at max = 7), each a ~60k-200k gas transaction.
  EXPECT_GT(get(m, "gas_per_update"), 7 * 60'000);
  EXPECT_LT(get(m, "gas_per_update"), 7 * 200'000);
  EXPECT_NEAR(get(m, "gas_per_node_per_day"), get(m, "gas_per_day") / 7, 1e-6 * get(m, "gas_per_day"));
  EXPECT_GT(get(m, "eth_cost_per_day"), 0);
  // LINK: 0.1 LINK per submission, ~7 submissions per update, over 23 h of a day.
  EXPECT_NEAR(get(m, "link_paid_per_day"), updates * 7 * 0.1 * 24 / 23, updates * 0.1 * 24 / 23 * 1.5);
  // The on-chain answer tracks the price to about the threshold: mean well below 50 bps, p50 <= p99 <= max.
  EXPECT_LT(get(m, "answer_error_bps_mean"), 50);
  EXPECT_LE(get(m, "answer_error_bps_p50"), get(m, "answer_error_bps_p99"));
  EXPECT_LE(get(m, "answer_error_bps_p99"), get(m, "answer_error_bps_max"));
  EXPECT_LT(get(m, "time_beyond_threshold_frac"), 0.2);
  // Consumers never see an answer older than the heartbeat plus a few minutes.
  EXPECT_LE(get(m, "staleness_s_max"), 3600 + 300);
  EXPECT_LT(get(m, "staleness_s_mean"), get(m, "staleness_s_max"));
  EXPECT_EQ(get(m, "consumer_failed_reads"), 0);
  EXPECT_GT(get(m, "update_latency_s"), 0);
  EXPECT_LT(get(m, "update_latency_s"), 120);
  EXPECT_NEAR(get(m, "mean_update_interval_s"), 23 * 3600 / updates, 3600);
  EXPECT_GT(get(m, "mean_update_size_bps"), 0);
}

TEST(FeedRun, SameSeedSameResultsOtherSeedOtherResults) {
  const analysis::MetricSet a = run_day(5, 4), b = run_day(5, 4), c = run_day(6, 4);
  EXPECT_EQ(a.values(), b.values());
  EXPECT_NE(a.values(), c.values());
}
