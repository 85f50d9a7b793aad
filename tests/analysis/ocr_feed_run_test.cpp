// A small OCR feed on the simulated chain, configured in C++: it produces updates, the feed metrics shared with
// per-node feeds and the OCR metrics, in ranges derived from the configuration.
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "analysis/feed_collector.hpp"
#include "analysis/ocr_metrics.hpp"
#include "analysis/run.hpp"
#include "analysis/subsystems.hpp"
#include "models/demo/demo_subsystem.hpp"
#include "models/feeds/feeds_subsystem.hpp"
#include "models/feeds/ocr_price_feed.hpp"

using namespace models;
using namespace models::feeds;
using namespace sim::literals;

namespace {

// An ETH/USD-like asset quoted by three providers and one feed of `oracles` nodes, aggregated by `mode`.
scenario::ScenarioConfig small_world(std::uint32_t oracles, const std::string& mode, sim::Duration duration) {
  scenario::ScenarioConfig w;
  w.name = "ocr-feed-run";
  w.duration = duration;
  w.warmup = 5_min;
  demo::demo_of(w).enabled = false;
  providers::AssetConfig a;
  a.process.start = 3000;
  a.process.volatility = 0.8;
  w.assets = {a};
  for (int i = 0; i < 3; ++i) {
    providers::ProviderConfig p;
    p.name = "exchange-" + std::to_string(i);
    p.asset = a.name;
    w.providers.push_back(p);
  }
  FeedConfig f;
  f.aggregation = mode;
  f.oracles = oracles;
  f.deviation = 0.005;
  f.heartbeat = 10_min;
  f.ocr.delta_stage = 15_s;
  feeds_of(w) = {f};
  return w;
}

// The world of `cfg` with an OcrProtocolProbe over the whole run on its (OCR) feed.
struct OcrRun {
  scenario::ScenarioConfig cfg;
  sim::Simulation sim;
  std::unique_ptr<world::World> world;
  OcrPriceFeed* feed = nullptr;
  std::unique_ptr<analysis::OcrProtocolProbe> probe;

  OcrRun(std::uint64_t seed, const scenario::ScenarioConfig& c) : cfg(c), sim(seed, 0) {
    world = analysis::builtin_registry().make_world(sim, cfg);
    feed = world->part_as<FeedsPart>(kSubsystem)->ocr_feed(0);
    probe = std::make_unique<analysis::OcrProtocolProbe>(sim, feed->oracles());
    world->start();
    sim.run_until(sim::Time::zero() + cfg.duration);
  }
};

double get(const analysis::MetricSet& m, const char* name) { return m.get(name).value_or(NAN); }

}  // namespace

TEST(OcrFeedRun, AnHourOfAFourOracleFeedHasTheFeedAndOcrMetrics) {
  const auto cfg = small_world(4, "ocr", 1_h);
  const analysis::MetricSet m = analysis::run_one(cfg, 7, 0).metrics;
  OcrRun run(7, cfg);  // the same run, driven by hand
  for (const auto& [k, v] : m.values()) std::printf("  %-28s %.6g\n", k.c_str(), v);
  // 55 minutes after the warm-up with a 10-minute heartbeat: at least 5 updates; with DeltaRound 20 s at most
  // one per round.
  EXPECT_GE(get(m, "updates"), 5);
  EXPECT_LE(get(m, "updates"), 55 * 3);
  // One transmit per update (~80-110k gas for 4 oracles, f = 1), plus cheap reverted duplicates.
  EXPECT_GT(get(m, "gas_per_update"), 80'000);
  EXPECT_LT(get(m, "gas_per_update"), 200'000);
  EXPECT_NEAR(get(m, "gas_per_node_per_day"), get(m, "gas_per_day") / 4, 1e-6 * get(m, "gas_per_day"));
  EXPECT_GT(get(m, "link_paid_per_day"), 0);
  EXPECT_GT(get(m, "eth_cost_per_day"), 0);
  EXPECT_LT(get(m, "staleness_s_max"), 10 * 60 + 120);  // heartbeat + a round and inclusion
  EXPECT_GT(get(m, "update_latency_s"), 0);
  EXPECT_EQ(get(m, "safety_violations"), 0);
  EXPECT_GE(get(m, "epochs"), 1);
  EXPECT_GT(get(m, "round_latency_s"), 0);
  EXPECT_LT(get(m, "round_latency_s"), 60);
  EXPECT_LT(get(m, "liveness_gap_s_max"), 120);
  EXPECT_GE(get(m, "transmissions_reverted"), 0);
  EXPECT_EQ(run.feed->aggregator().latest_round(), run.probe->metrics(run.sim.now()).reports_accepted);
  EXPECT_TRUE(run.feed->proxy().latest_answer().has_value());
  // What the nodes were credited is what the contract owes them: the transmitter its gas (at the transaction's
  // price) and reward, every observer its observation reward.
  models::chain::Amount earned = 0, owed = 0;
  for (std::size_t i = 0; i < run.feed->node_count(); ++i) {
    earned += run.feed->node(i).link_earned();
    owed += run.feed->aggregator().owed_payment(static_cast<int>(i));
    EXPECT_GT(run.feed->ocr1_aggregator()->observation_count(static_cast<int>(i)), 0u) << i;
    EXPECT_TRUE(run.feed->node(i).link_earned() == run.feed->aggregator().owed_payment(static_cast<int>(i))) << i;
  }
  EXPECT_TRUE(earned == owed);
}

TEST(OcrFeedRun, FIsResolvedFromTheOracleCountAndNGreaterThan3FIsChecked) {
  FeedConfig f;
  f.oracles = 31;
  OcrSettings s;
  EXPECT_EQ(resolve_ocr(f, s).f, 10);
  f.oracles = 4;
  EXPECT_EQ(resolve_ocr(f, s).f, 1);
  s.f = 2;
  const auto issues = validate_ocr_feed(f, s, "feeds[0]");
  ASSERT_FALSE(issues.empty());
  EXPECT_EQ(issues.items()[0].path, "feeds[0].ocr.f");
  f.oracles = 32;
  const auto too_many = validate_ocr_feed(f, OcrSettings{}, "feeds[0]");
  ASSERT_FALSE(too_many.empty());
  EXPECT_EQ(too_many.items()[0].path, "feeds[0].oracles");
}

TEST(OcrFeedRun, OcrWorldSharesThePricePathWithTheFluxWorldAndCostsLessGasPerUpdate) {
  std::vector<double> flux_prices, ocr_prices;
  analysis::MetricSet flux, ocr;
  for (const std::string mode : {"flux", "ocr"}) {
    const auto cfg = small_world(7, mode, 1_h);
    sim::Simulation s(5, 1);
    auto w = analysis::builtin_registry().make_world(s, cfg);
    auto& feeds = *w->part_as<FeedsPart>(kSubsystem);
    providers::TruePrice& truth = *w->environment().true_price("ETH/USD");
    analysis::FeedProbe probe(feeds.feed(0), truth, analysis::feed_metrics_config(feeds_of(cfg)[0], s.now() + 5_min, s.now() + 1_h));
    auto& prices = mode == "flux" ? flux_prices : ocr_prices;
    auto c = truth.changed.connect([&](sim::Time, double p) { prices.push_back(p); });
    w->start();
    s.run_until(sim::Time::zero() + 1_h);
    probe.collector().finish(mode == "flux" ? flux : ocr);
    if (mode == "ocr") {
      EXPECT_EQ(feeds.ocr_feed(0)->protocol().f, 2);
    }
  }
  ASSERT_GT(flux_prices.size(), 10U);
  EXPECT_EQ(flux_prices, ocr_prices);
  // Per-node: ~7 submissions per update; OCR: one transmit of 7 observations and 3 signatures.
  EXPECT_GE(get(ocr, "updates"), 5);
  EXPECT_LT(get(ocr, "gas_per_update"), 0.5 * get(flux, "gas_per_update"));
}

// An OCR2 feed in the world: the OCR2Aggregator is deployed, every report carries exactly f + 1 signatures, and the
// LINK each node was credited is what the contract owes it under lazy billing (a round's observation payment to
// every oracle, the transmitter its gas and transmission payment).
TEST(OcrFeedRun, AnOcr2FeedTransmitsFPlusOneSignaturesAndItsNodesAreCreditedWhatTheContractOwes) {
  const auto cfg = small_world(7, "ocr2", 1_h);
  OcrRun run(7, cfg);
  ASSERT_NE(run.feed->ocr2_aggregator(), nullptr);
  EXPECT_EQ(run.feed->ocr1_aggregator(), nullptr);
  EXPECT_EQ(run.feed->protocol().version, models::ocr::OcrVersion::ocr2);
  const auto m = run.probe->metrics(run.sim.now());
  EXPECT_GE(m.reports_accepted, 5U);
  EXPECT_EQ(m.safety_violations, 0U);
  EXPECT_EQ(run.feed->aggregator().latest_round(), m.reports_accepted);
  const std::uint32_t rounds = run.feed->aggregator().latest_round();
  const models::chain::Amount per_round = models::chain::Amount{20'000'000} * models::chain::kGwei;
  for (std::size_t i = 0; i < run.feed->node_count(); ++i) {
    const auto owed = run.feed->aggregator().owed_payment(static_cast<int>(i));
    EXPECT_TRUE(run.feed->node(i).link_earned() == owed) << i;
    EXPECT_TRUE(owed >= per_round * rounds) << i;  // every oracle, every round
  }
  EXPECT_EQ(run.feed->link_accounting().violation, "");
}

// The gas study's claim at both ends of the oracle range: per update, OCR2 costs less than OCR1, which costs less
// than per-node aggregation, on the same price path (common random numbers).
TEST(OcrFeedRun, GasPerUpdateIsOcr2BelowOcr1BelowFluxAtFourAndThirtyOneOracles) {
  for (std::uint32_t n : {4u, 31u}) {
    double gas[3];
    int k = 0;
    for (const char* mode : {"flux", "ocr", "ocr2"}) gas[k++] = get(analysis::run_one(small_world(n, mode, 1_h), 11, 0).metrics, "gas_per_update");
    EXPECT_LT(gas[2], gas[1]) << "n = " << n;
    EXPECT_LT(gas[1], gas[0]) << "n = " << n;
  }
}
