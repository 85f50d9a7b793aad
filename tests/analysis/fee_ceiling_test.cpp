// The node's fee ceiling is PriceMax (facts §6: '100 micro' on Ethereum), not FeeCapDefault (100 gwei): with the
// base fee at 150 gwei and a 10x congestion for an hour, per-node and OCR feeds keep to their heartbeat. With the
// old 100 gwei cap they stopped updating whenever the base fee passed it.
#include <string>

#include <gtest/gtest.h>

#include "analysis/run.hpp"
#include "analysis/subsystems.hpp"
#include "models/scenario/diagnostic.hpp"
#include "models/scenario/tree.hpp"
#include "sim/random.hpp"

using namespace models::scenario;

namespace {

ScenarioConfig decode(const std::string& text) {
  Diagnostics d;
  ScenarioConfig c;
  const auto tree = parse_yaml(text, "fee_ceiling.yaml", d);
  if (tree) analysis::builtin_registry().schema().decode(*tree, &c, d);
  EXPECT_TRUE(d.empty()) << (d.empty() ? "" : d[0].to_string());
  return c;
}

std::string scenario(const std::string& aggregation, const std::string& cap) {
  return R"(name: fee-ceiling
duration: 4h
warmup: 30min
demo: { enabled: false }
chain: { base_fee: 150gwei }
assets: [{ name: ETH/USD, process: { kind: gbm, start: 3000, volatility: 80% } }]
providers:
  - { name: a, asset: ETH/USD }
  - { name: b, asset: ETH/USD }
  - { name: c, asset: ETH/USD }
feeds:
  - { name: eth-usd, asset: ETH/USD, aggregation: )" + aggregation + R"(, oracles: 7, deviation: 0.5%, heartbeat: 1h,
      node: { gas: { price_max: )" + cap + R"( } } }
faults:
  - { at: 1h, kind: congestion, multiplier: 10, duration: 1h }
)";
}

double metric(const analysis::RunResult& r, const std::string& name) {
  const auto v = r.metrics.get(name);
  EXPECT_TRUE(v.has_value()) << name;
  return v.value_or(-1);
}

}  // namespace

TEST(FeeCeiling, FluxFeedKeepsItsHeartbeatAt150GweiAndTenfoldCongestion) {
  const auto cfg = decode(scenario("flux", "100000gwei"));
  const auto r = analysis::run_one(cfg, sim::replication_seed(1, 0), 0);
  EXPECT_LE(metric(r, "staleness_s_max"), 3600 + 120);
  EXPECT_GE(metric(r, "updates"), 3);
}

TEST(FeeCeiling, OcrFeedKeepsItsHeartbeatAt150GweiAndTenfoldCongestion) {
  const auto cfg = decode(scenario("ocr", "100000gwei"));
  const auto r = analysis::run_one(cfg, sim::replication_seed(1, 0), 0);
  EXPECT_LE(metric(r, "staleness_s_max"), 3600 + 120);
  EXPECT_GE(metric(r, "updates"), 3);
}

TEST(FeeCeiling, ACeilingBelowTheBaseFeeStallsTheFeed) {
  // The same feed with price_max at the old 100 gwei: nothing is included while the base fee is above it.
  const auto cfg = decode(scenario("flux", "100gwei"));
  const auto r = analysis::run_one(cfg, sim::replication_seed(1, 0), 0);
  EXPECT_GT(metric(r, "staleness_s_max"), 3600 + 120);
}
