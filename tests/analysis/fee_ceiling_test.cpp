// The node's fee ceiling is PriceMax (facts §6: '100 micro' on Ethereum), not FeeCapDefault (100 gwei): with the
// base fee at 150 gwei and a 10x congestion for an hour, per-node and OCR feeds keep to their heartbeat. With the
// old 100 gwei cap they stopped updating whenever the base fee passed it.
#include <string>

#include <gtest/gtest.h>

#include "analysis/run.hpp"
#include "sim/random.hpp"
#include "tests/analysis/scenario_run.hpp"

using scenario_test::decode;
using scenario_test::metric;

namespace {

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
