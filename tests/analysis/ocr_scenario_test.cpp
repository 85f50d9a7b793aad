// An OCR feed declared in a scenario (`aggregation: ocr`, `feeds[i].ocr`) is built by the World, measured by
// the OCR collector, and its oracles are fault targets ("ocr-node").
#include <gtest/gtest.h>

#include "analysis/run.hpp"
#include "analysis/subsystems.hpp"
#include "models/feeds/feeds_subsystem.hpp"
#include "models/scenario/diagnostic.hpp"
#include "models/scenario/scenario.hpp"
#include "models/scenario/schema.hpp"
#include "models/scenario/tree.hpp"

using namespace models::scenario;

namespace {
Diagnostics decode_into(const std::string& text, ScenarioConfig& c) {
  Diagnostics d;
  const auto tree = parse_yaml(text, "f.yaml", d);
  if (tree) analysis::builtin_registry().schema().decode(*tree, &c, d);
  return d;
}

ScenarioConfig decode(const std::string& text) {
  ScenarioConfig c;
  const Diagnostics d = decode_into(text, c);
  EXPECT_TRUE(d.empty()) << (d.empty() ? "" : d[0].to_string());
  return c;
}

const char* kOcr = R"(name: f
duration: 3h
warmup: 5min
demo: { enabled: false }
assets: [{ name: ETH/USD, process: { kind: gbm, start: 3000, volatility: 80% } }]
providers:
  - { name: exchange-a, asset: ETH/USD, noise: 2bps }
  - { name: exchange-b, asset: ETH/USD, noise: 2bps }
  - { name: exchange-c, asset: ETH/USD, noise: 2bps }
feeds:
  - { name: eth-usd, asset: ETH/USD, aggregation: ocr, oracles: 4, deviation: 0.5%, heartbeat: 1h,
      ocr: { delta_round: 20s, delta_progress: 23s, observe_poll: 5s, s: [1, 1, 1, 1] } }
)";
}  // namespace

TEST(OcrScenario, KeysDecodeIntoTheFeedsOcrSettings) {
  const auto c = decode(std::string(kOcr));
  ASSERT_EQ(models::feeds::feeds_of(c).size(), 1u);
  EXPECT_EQ(models::feeds::feeds_of(c)[0].aggregation, "ocr");
  EXPECT_EQ(models::feeds::feeds_of(c)[0].ocr.delta_round, sim::Duration::nanoseconds(20'000'000'000));
  EXPECT_EQ(models::feeds::feeds_of(c)[0].ocr.s, (std::vector<int>{1, 1, 1, 1}));
  EXPECT_EQ(models::feeds::feeds_of(c)[0].ocr.f, -1);  // unset: floor((n - 1) / 3)
  const auto actors = analysis::builtin_registry().actors_of(c);
  ASSERT_FALSE(actors.empty());
  EXPECT_EQ(actors.back().name, "eth-usd/node-3");
  EXPECT_EQ(actors.back().model, "ocr-node");
}

TEST(OcrScenario, TooLargeFIsReportedAtItsKey) {
  std::string text(kOcr);
  text.replace(text.find("ocr: {"), 6, "ocr: { f: 2,");
  ScenarioConfig c;
  const Diagnostics d = decode_into(text, c);
  ASSERT_FALSE(d.empty());
  EXPECT_NE(d[0].to_string().find("feeds[0].ocr.f"), std::string::npos) << d[0].to_string();
}

TEST(OcrScenario, PerNodeAndOcrFeedsShareOneChain) {
  std::string text(kOcr);
  text += R"(  - { name: eth-usd-flux, asset: ETH/USD, aggregation: flux, oracles: 4 }
)";
  ScenarioConfig c;
  const Diagnostics d = decode_into(text, c);
  ASSERT_TRUE(d.empty()) << d[0].to_string();
  const auto r = analysis::run_one(c, 7, 0);
  // Both feeds update, each measured under its own name, and their gas adds up on the one chain.
  const auto feed = models::feeds::feeds_of(c)[0].name;
  EXPECT_GE(r.metrics.get(feed + ".updates").value_or(0), 2.0);
  EXPECT_GE(r.metrics.get("eth-usd-flux.updates").value_or(0), 2.0);
  EXPECT_TRUE(r.metrics.get(feed + ".epochs").has_value());       // OCR metrics for the OCR feed only
  EXPECT_FALSE(r.metrics.get("eth-usd-flux.epochs").has_value());
  EXPECT_DOUBLE_EQ(*r.metrics.get(feed + ".gas_total") + *r.metrics.get("eth-usd-flux.gas_total"),
                   *r.metrics.get("chain_gas_feeds"));
}

TEST(OcrScenario, RunYieldsUpdatesAndOcrMetrics) {
  const auto r = analysis::run_one(decode(std::string(kOcr)), 7, 0);
  // At least one update per heartbeat over the ~3 h window, one report (not n submissions) per update.
  EXPECT_GE(r.metrics.get("updates").value_or(0), 2.0);
  ASSERT_TRUE(r.metrics.get("epochs").has_value());
  EXPECT_GE(*r.metrics.get("epochs"), 1.0);
  EXPECT_EQ(r.metrics.get("safety_violations"), 0.0);
  EXPECT_TRUE(r.metrics.get("round_latency_s").has_value());
  EXPECT_TRUE(r.metrics.get("gas_wasted_per_day").has_value());
  EXPECT_GT(r.metrics.get("gas_per_update").value_or(0), 0.0);
}

TEST(OcrScenario, CrashOfAnOracleIsAValidTargetAndHasAnEffect) {
  const std::string text = std::string(kOcr) + R"(faults:
  - { at: 30m, kind: crash, target: eth-usd/node-0, duration: 1h }
)";
  ScenarioConfig c;
  const Diagnostics d = decode_into(text, c);
  ASSERT_TRUE(d.empty()) << d[0].to_string();
  const auto faulted = analysis::run_one(c, 7, 0);
  EXPECT_EQ(faulted.metrics.get("faults_injected"), 1.0);
  EXPECT_EQ(faulted.metrics.get("faults_without_effect"), 0.0);
  // The feed keeps reporting with one of four oracles down (f = 1).
  EXPECT_GE(faulted.metrics.get("updates").value_or(0), 2.0);
  const auto clean = analysis::run_one(decode(std::string(kOcr)), 7, 0);
  EXPECT_NE(faulted.fingerprint, clean.fingerprint);
}

TEST(OcrScenario, TimingsBelowTheChainsMinimumsAreRejectedUnlessAllowed) {
  // facts §1: libocr refuses DeltaRound < 20 s on Ethereum; a fast chain allows 5 s.
  const std::string base = std::string(kOcr);
  auto with = [&](const std::string& from, const std::string& to) {
    std::string t = base;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  ScenarioConfig c;
  const Diagnostics d = decode_into(with("delta_round: 20s", "delta_round: 5s"), c);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].path, "feeds[0].ocr.delta_round");
  EXPECT_NE(d[0].message.find("DeltaRound 5s is below the minimum 20s on Ethereum"), std::string::npos) << d[0].message;
  // The opt-out runs.
  ScenarioConfig allowed;
  ASSERT_TRUE(decode_into(with("delta_round: 20s", "delta_round: 5s, allow_below_chain_minimums: true"), allowed).empty());
  const auto r = analysis::run_one(allowed, 7, 0);
  EXPECT_GE(r.metrics.get("updates").value_or(0), 2.0);
  // On a fast chain 5 s is the minimum, and its slots are 2 s.
  ScenarioConfig fast;
  ASSERT_TRUE(decode_into(with("delta_round: 20s, delta_progress: 23s", "delta_round: 5s, delta_progress: 8s") + "chain: { preset: fast }\n", fast).empty());
  EXPECT_EQ(fast.chain.slot_time(), sim::Duration::nanoseconds(2'000'000'000));
}

TEST(OcrScenario, OraclesAskTheirProvidersOnDemandWithinTheDataSourceTimeout) {
  // Providers answering after 2 s: with a 1 s data-source timeout no oracle has an observation and nothing is
  // reported; with 5 s (the default) the feed updates; with the background cache it updates too.
  std::string text(kOcr);
  for (const char* p : {"exchange-a", "exchange-b", "exchange-c"}) {
    const std::string from = std::string("{ name: ") + p + ", asset: ETH/USD, noise: 2bps }";
    text.replace(text.find(from), from.size(),
                 std::string("{ name: ") + p + ", asset: ETH/USD, noise: 2bps, latency: { dist: constant, median: 2s } }");
  }
  auto run = [&](const std::string& ocr_extra) {
    std::string t = text;
    const std::string key = "observe_poll: 5s";
    t.replace(t.find(key), key.size(), key + ocr_extra);
    ScenarioConfig c;
    const auto d = decode_into(t, c);
    EXPECT_TRUE(d.empty()) << (d.empty() ? "" : d[0].to_string());
    return analysis::run_one(c, 7, 0);
  };
  EXPECT_EQ(run(", observe_timeout: 1s").metrics.get("updates"), 0.0);
  EXPECT_GE(run("").metrics.get("updates").value_or(0), 2.0);
  EXPECT_GE(run(", observe_cache: true").metrics.get("updates").value_or(0), 2.0);
}
