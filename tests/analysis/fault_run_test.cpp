// Faults declared in a scenario reach the models in a run, and their effects show in the run's metrics.
#include <gtest/gtest.h>

#include "analysis/subsystems.hpp"
#include "analysis/run.hpp"
#include "models/scenario/diagnostic.hpp"
#include "models/scenario/scenario.hpp"
#include "models/scenario/schema.hpp"
#include "models/scenario/tree.hpp"

using namespace models::scenario;

namespace {
ScenarioConfig decode(const std::string& text) {
  Diagnostics d;
  ScenarioConfig c;
  const auto tree = parse_yaml(text, "f.yaml", d);
  if (tree) analysis::builtin_registry().schema().decode(*tree, &c, d);
  EXPECT_TRUE(d.empty()) << (d.empty() ? "" : d[0].to_string());
  return c;
}

const char* kFeed = R"(name: f
duration: 2h
demo: { enabled: false }
assets: [{ name: ETH/USD, process: { kind: gbm, start: 3000, volatility: 80% } }]
providers:
  - { name: exchange-a, asset: ETH/USD, noise: 2bps }
  - { name: exchange-b, asset: ETH/USD, noise: 2bps }
  - { name: exchange-c, asset: ETH/USD, noise: 2bps }
feeds:
  - { name: eth-usd, asset: ETH/USD, aggregation: flux, oracles: 4, deviation: 0.5%, heartbeat: 1h,
      flux: { poll_interval: 30s } }
)";
}  // namespace

TEST(FaultRun, ScenarioFaultsActOnProvidersNodesAndChain) {
  const std::string text = std::string(kFeed) + R"(faults:
  - { at: 10m, kind: outage, target: exchange-a, duration: 10m }
  - { at: 20m, kind: stale, target: exchange-b, duration: 10m }
  - { at: 30m, kind: bad_value, target: exchange-c, factor: 1.2, duration: 5m }
  - { at: 40m, kind: crash, target: "eth-usd/node-[01]", duration: 10m }
  - { at: 50m, kind: congestion, multiplier: 3, duration: 10m }
)";
  const auto r = analysis::run_one(decode(text), 1, 0);
  EXPECT_EQ(r.metrics.get("faults_injected"), 5.0);
  EXPECT_EQ(r.metrics.get("faults_without_effect"), 0.0);
  // Every poll of exchange-a for 10 min fails: 4 nodes x ~20 polls.
  EXPECT_GE(r.metrics.get("fault_queries_failed").value_or(0), 60.0);
  EXPECT_GT(r.metrics.get("fault_refreshes_frozen").value_or(0), 0.0);
  EXPECT_GT(r.metrics.get("fault_values_distorted").value_or(0), 0.0);
  // Two crashed nodes skip ~20 polls each.
  EXPECT_GE(r.metrics.get("fault_events_suppressed").value_or(0), 30.0);
}

TEST(FaultRun, AFaultThatTouchesNothingIsFlagged) {
  // A provider outage after the run ends is injected never; one during a window in which nobody polls is
  // injected but has no effect.
  const std::string text = std::string(kFeed) + R"(faults:
  - { at: 30m, kind: outage, target: exchange-a, duration: 1ms }
)";
  const auto r = analysis::run_one(decode(text), 1, 0);
  EXPECT_EQ(r.metrics.get("faults_injected"), 1.0);
  EXPECT_EQ(r.metrics.get("faults_without_effect"), 1.0);
}

TEST(FaultRun, SameSeedSameFaultedRun) {
  const std::string text = std::string(kFeed) + R"(faults:
  - { at: 10m, kind: crash, target: { any: 2, of: "eth-usd/node-*" }, duration: 20m }
fault_processes:
  - { target: "exchange-*", mtbf: 30m, mttr: 2m }
)";
  const auto cfg = decode(text);
  const auto a = analysis::run_one(cfg, 5, 0);
  const auto b = analysis::run_one(cfg, 5, 0);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.metrics.values(), b.metrics.values());
  EXPECT_GT(a.metrics.get("faults_injected").value_or(0), 2.0);
}
