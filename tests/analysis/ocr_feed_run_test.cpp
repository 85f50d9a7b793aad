// A small OCR feed on the simulated chain through OcrPriceFeed and OcrFeedProbe: it produces updates, the feed
// metrics shared with per-node feeds and the OCR metrics, in ranges derived from the configuration.
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "analysis/feed_probe.hpp"
#include "analysis/ocr_feed_probe.hpp"
#include "models/feeds/ocr_feed_world.hpp"
#include "models/feeds/ocr_price_feed.hpp"

using namespace models;
using namespace models::feeds;
using namespace sim::literals;

namespace {

struct OcrRun {
  sim::Simulation sim;
  std::unique_ptr<sim::Network> net;
  std::unique_ptr<chain::Chain> chain;
  std::unique_ptr<providers::TruePrice> price;
  std::vector<std::unique_ptr<providers::DataProvider>> providers;
  std::unique_ptr<OcrPriceFeed> feed;
  std::unique_ptr<analysis::OcrFeedProbe> probe;

  OcrRun(std::uint64_t seed, std::uint32_t oracles, sim::Duration duration) : sim(seed) {
    net = std::make_unique<sim::Network>(sim, sim::NetworkConfig{});
    chain = std::make_unique<chain::Chain>(sim, chain::ChainConfig{});
    providers::PriceProcessConfig pc;
    pc.start = 3000;
    pc.volatility = 0.8;
    price = std::make_unique<providers::TruePrice>(sim, "ETH/USD", pc, providers::PricePath{});
    std::vector<providers::DataProvider*> raw;
    for (int i = 0; i < 3; ++i) {
      providers::ProviderConfig p;
      p.name = "exchange-" + std::to_string(i);
      p.asset = "ETH/USD";
      providers.push_back(std::make_unique<providers::DataProvider>(sim, p, *price));
      raw.push_back(providers.back().get());
    }
    FluxFeedConfig f;
    f.oracles = oracles;
    f.deviation = 0.005;
    f.heartbeat = 10_min;
    OcrSettings ocr;
    ocr.delta_stage = 15_s;
    feed = std::make_unique<OcrPriceFeed>(sim, *chain, *net, f, ocr, raw, price.get());
    analysis::FeedMetricsConfig mc{.warmup_end = sim::Time::zero() + 5_min, .end = sim::Time::zero() + duration,
                                   .deviation_threshold = 0.005, .oracles = oracles};
    probe = std::make_unique<analysis::OcrFeedProbe>(*price, *feed, mc);
    chain->start();
    price->start();
    for (auto& p : providers) p->start();
    feed->start();
    sim.run_until(sim::Time::zero() + duration);
  }
  analysis::MetricSet metrics() {
    analysis::MetricSet m;
    probe->finish(m);
    return m;
  }
};

double get(const analysis::MetricSet& m, const char* name) { return m.get(name).value_or(NAN); }

}  // namespace

TEST(OcrFeedRun, AnHourOfAFourOracleFeedHasTheFeedAndOcrMetrics) {
  OcrRun run(7, 4, 1_h);
  const analysis::MetricSet m = run.metrics();
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
  EXPECT_EQ(run.feed->aggregator().latest_round(), run.feed->metrics().reports_accepted);
  EXPECT_TRUE(run.feed->proxy().latest_answer().has_value());
}

TEST(OcrFeedRun, FIsResolvedFromTheOracleCountAndNGreaterThan3FIsChecked) {
  FluxFeedConfig f;
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

namespace {
FeedWorldConfig small_world(std::uint32_t oracles) {
  FeedWorldConfig w;
  AssetConfig a;
  a.process.start = 3000;
  a.process.volatility = 0.8;
  w.assets = {a};
  for (int i = 0; i < 3; ++i) {
    providers::ProviderConfig p;
    p.name = "exchange-" + std::to_string(i);
    p.asset = a.name;
    w.providers.push_back(p);
  }
  FluxFeedConfig f;
  f.oracles = oracles;
  f.heartbeat = 10_min;
  w.feeds = {f};
  return w;
}
}  // namespace

TEST(OcrFeedRun, OcrWorldSharesThePricePathWithTheFluxWorldAndCostsLessGasPerUpdate) {
  const FeedWorldConfig cfg = small_world(7);
  const auto mc = analysis::feed_metrics_config(cfg.feeds[0], 5_min, 1_h);
  std::vector<double> flux_prices, ocr_prices;
  analysis::MetricSet flux, ocr;
  {
    sim::Simulation s(5, 1);
    FeedWorld w(s, cfg);
    analysis::FeedProbe probe(w, 0, mc);
    auto c = w.true_price("ETH/USD").changed.connect([&](sim::Time, double p) { flux_prices.push_back(p); });
    w.start();
    s.run_until(sim::Time::zero() + 1_h);
    probe.finish(flux);
  }
  {
    sim::Simulation s(5, 1);
    OcrFeedWorld w(s, cfg, {});
    analysis::OcrFeedProbe probe(w.true_price("ETH/USD"), w.feed(0), mc);
    auto c = w.true_price("ETH/USD").changed.connect([&](sim::Time, double p) { ocr_prices.push_back(p); });
    w.start();
    s.run_until(sim::Time::zero() + 1_h);
    probe.finish(ocr);
    EXPECT_EQ(w.feed(0).protocol().f, 2);
  }
  ASSERT_GT(flux_prices.size(), 10U);
  EXPECT_EQ(flux_prices, ocr_prices);
  // Per-node: ~7 submissions per update; OCR: one transmit of 7 observations and 3 signatures.
  EXPECT_GE(get(ocr, "updates"), 5);
  EXPECT_LT(get(ocr, "gas_per_update"), 0.5 * get(flux, "gas_per_update"));
}
