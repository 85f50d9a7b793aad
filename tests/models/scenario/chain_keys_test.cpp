#include <gtest/gtest.h>

#include "analysis/subsystems.hpp"
#include "models/scenario/diagnostic.hpp"
#include "models/scenario/scenario.hpp"
#include "models/scenario/schema.hpp"
#include "models/scenario/tree.hpp"

using namespace models::scenario;
using namespace sim::literals;

namespace {
ScenarioConfig decode(const std::string& text, Diagnostics& d) {
  ScenarioConfig c;
  const auto tree = parse_yaml(text, "c.yaml", d);
  if (tree) analysis::builtin_registry().schema().decode(*tree, &c, d);
  return c;
}
}  // namespace

TEST(ChainKeys, DecodeIntoChainConfig) {
  Diagnostics d;
  const ScenarioConfig c = decode(R"(name: c
duration: 24h
chain:
  slot: 2s
  gas_limit: 36000000
  base_fee: 20gwei
  demand: { mean_utilisation: 0.6, volatility: 0.2, reference_base_fee: 10gwei }
  reorg: { probability: 0.01, max_depth: 2 }
faults:
  - { at: 20h, kind: congestion, multiplier: 3, duration: 1h }
  - { at: 21h, kind: gas_spike, factor: 5 }
  - { at: 22h, kind: halt, duration: 5m }
)", d);
  ASSERT_TRUE(d.empty()) << d[0].to_string();
  EXPECT_EQ(c.chain.slot, 2_s);
  EXPECT_EQ(c.chain.gas_limit, 36'000'000u);
  EXPECT_EQ(c.chain.initial_base_fee, 20'000'000'000u);
  EXPECT_DOUBLE_EQ(c.chain.demand.mean_utilisation, 0.6);
  EXPECT_DOUBLE_EQ(c.chain.demand.volatility, 0.2);
  EXPECT_EQ(c.chain.demand.reference_base_fee, 10'000'000'000u);
  EXPECT_DOUBLE_EQ(c.chain.reorg.probability, 0.01);
  EXPECT_EQ(c.chain.reorg.max_depth, 2u);
  EXPECT_EQ(c.chain.finality_depth, 50u);  // default kept
  EXPECT_EQ(c.faults.size(), 3u);
}

TEST(ChainKeys, ErrorsNameTheKey) {
  // Range errors found while decoding.
  Diagnostics d;
  decode("name: c\nchain:\n  slot: 0s\n  demand: { elasticity: -1 }\n", d);
  std::string all;
  for (const auto& x : d) all += x.to_string() + "\n";
  EXPECT_NE(all.find("chain.slot"), std::string::npos) << all;
  EXPECT_NE(all.find("chain.demand.elasticity"), std::string::npos) << all;
  // Cross-field errors from chain::validate and the chain's fault kinds, on a well-typed file.
  Diagnostics v;
  decode("name: c\nduration: 3h\nchain:\n  reorg: { max_depth: 80 }\n  propagation_delay: 20s\n"
         "faults:\n  - { at: 1h, kind: gas_spike }\n  - { at: 2h, kind: congestion, multiplier: 2 }\n", v);
  all.clear();
  for (const auto& x : v) all += x.to_string() + "\n";
  EXPECT_NE(all.find("chain.reorg.max_depth"), std::string::npos) << all;
  EXPECT_NE(all.find("chain.propagation_delay"), std::string::npos) << all;
  EXPECT_NE(all.find("faults[0]"), std::string::npos) << all;  // gas_spike needs a factor
  EXPECT_EQ(all.find("faults[1]"), std::string::npos) << all;  // congestion is a known kind
}
