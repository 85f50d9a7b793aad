// The ecosystem day: scenarios/ecosystem_day.yaml writes out the Ethereum feed mix for 40 feeds
// (models/feeds/ethereum_mix.hpp) with requests and Data Streams on one chain, and measures staleness inside and
// outside its congestion. The tests shorten the day and move the congestion into it.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "analysis/feed_collector.hpp"
#include "models/feeds/ethereum_mix.hpp"
#include "models/feeds/feeds_subsystem.hpp"
#include "tests/analysis/scenario_run.hpp"

using scenario_test::metric;

namespace {

const std::string kFile = scenario_test::kScenarios + "ecosystem_day.yaml";

}  // namespace

TEST(EcosystemDay, TheScenarioIsTheEthereumMixForFortyFeeds) {
  const auto cfg = scenario_test::load_study(kFile).base;
  const auto& feeds = models::feeds::feeds_of(cfg);
  const auto mix = models::feeds::ethereum_feed_mix(40);
  ASSERT_EQ(feeds.size(), mix.size());
  for (std::size_t i = 0; i < mix.size(); ++i) {
    SCOPED_TRACE(mix[i].name);
    EXPECT_EQ(feeds[i].name, mix[i].name);
    EXPECT_EQ(feeds[i].asset, mix[i].asset);
    EXPECT_EQ(feeds[i].aggregation, mix[i].aggregation);
    EXPECT_EQ(feeds[i].oracles, mix[i].oracles);
    EXPECT_DOUBLE_EQ(feeds[i].deviation, mix[i].deviation);
    EXPECT_EQ(feeds[i].heartbeat, mix[i].heartbeat);
    EXPECT_EQ(feeds[i].decimals, mix[i].decimals);
    const auto asset = std::find_if(cfg.assets.begin(), cfg.assets.end(), [&](const auto& a) { return a.name == mix[i].asset; });
    ASSERT_NE(asset, cfg.assets.end());
    EXPECT_DOUBLE_EQ(asset->process.volatility, mix[i].volatility);
    EXPECT_DOUBLE_EQ(asset->process.start, mix[i].start_price);
  }
  // The congestion of the issue: 10x background demand at 14 h for an hour.
  ASSERT_EQ(cfg.faults.size(), 1u);
  EXPECT_EQ(cfg.faults[0].kind, "congestion");
  EXPECT_EQ(cfg.faults[0].at, sim::Duration::nanoseconds(14 * 3'600'000'000'000LL));
  const auto windows = analysis::congestion_windows(cfg, sim::Time::zero() + cfg.duration);
  ASSERT_EQ(windows.size(), 1u);
  EXPECT_EQ(windows[0].second - windows[0].first, sim::Duration::nanoseconds(3'600'000'000'000LL));
}

TEST(EcosystemDay, EveryFeedReportsStalenessInsideAndOutsideTheCongestion) {
  const auto study = scenario_test::load_study(
      kFile, {"duration=50min", "warmup=5min", "faults[0].at=20min", "faults[0].duration=15min"});
  const auto& cfg = study.base;
  const auto r = analysis::run_one(cfg, sim::replication_seed(cfg.seed, 0), 0);
  for (const auto& f : models::feeds::feeds_of(cfg)) {
    SCOPED_TRACE(f.name);
    const double in = metric(r, f.name + ".staleness_s_max_congested");
    const double out = metric(r, f.name + ".staleness_s_max_uncongested");
    ASSERT_FALSE(std::isnan(in));  // a consumer reads every slot, inside and outside the window, once an answer is up
    ASSERT_FALSE(std::isnan(out));
    EXPECT_DOUBLE_EQ(std::max(in, out), metric(r, f.name + ".staleness_s_max"));
  }
  EXPECT_GT(metric(r, "fault_blocks_congested"), 0);
  // Block space: the per-block share is a distribution whose mean-by-gas is oracle_gas_share.
  const double p50 = metric(r, "block_oracle_gas_share_p50"), p99 = metric(r, "block_oracle_gas_share_p99");
  const double max = metric(r, "block_oracle_gas_share_max"), share = metric(r, "oracle_gas_share");
  EXPECT_LE(p50, p99);
  EXPECT_LE(p99, max);
  EXPECT_LE(max, 1.0);
  EXPECT_GT(share, 0);
  EXPECT_LE(share, max);
  EXPECT_GT(metric(r, "chain_gas_feeds"), 0);
  EXPECT_GT(metric(r, "chain_gas_requests"), 0);
  EXPECT_GT(metric(r, "chain_gas_streams"), 0);
  EXPECT_GT(metric(r, "requests"), 0);
  EXPECT_GE(metric(r, "expired"), 0);
  EXPECT_GT(metric(r, "trades"), 0);
}

TEST(EcosystemDay, CongestionWindowsComeFromTheCongestionFaultsOnly) {
  const auto cfg = scenario_test::decode(R"(
name: windows
duration: 2h
assets: [{ name: ETH/USD }]
providers: [{ name: ex, asset: ETH/USD }]
faults:
  - { at: 10min, kind: congestion, multiplier: 3, duration: 5min }
  - { at: 20min, kind: outage, target: ex, duration: 5min }
  - { at: 30min, kind: congestion, multiplier: 2 }
)");
  ASSERT_EQ(cfg.faults.size(), 3u);
  const auto end = sim::Time::zero() + cfg.duration;
  const auto w = analysis::congestion_windows(cfg, end);  // the provider outage is no congestion
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].first, sim::Time::from_seconds(600));
  EXPECT_EQ(w[0].second, sim::Time::from_seconds(900));
  EXPECT_EQ(w[1].first, sim::Time::from_seconds(1800));
  EXPECT_EQ(w[1].second, end);  // no duration: to the end of the run
  EXPECT_TRUE(analysis::congestion_windows(cfg, sim::Time::from_seconds(300)).empty());  // clipped away
}
