#include "models/chain/chain_faults.hpp"

#include <gtest/gtest.h>

#include "models/chain/chain.hpp"

namespace chain = models::chain;
namespace faults = models::faults;
using namespace sim::literals;

namespace {
faults::FaultSpec spec(const char* kind, faults::Params params) {
  faults::FaultSpec f;
  f.kind = kind;
  f.params = std::move(params);
  return f;
}
}  // namespace

TEST(ChainFaults, ValidateParams) {
  auto reg = faults::FaultKindRegistry::with_builtin_kinds();
  chain::register_chain_fault_kinds(reg);
  faults::FaultsConfig cfg;
  cfg.faults.push_back(spec("congestion", {{"multiplier", 3.0}}));
  cfg.faults.push_back(spec("congestion", {{"multiplier", -1.0}}));
  cfg.faults.push_back(spec("gas_spike", {}));
  cfg.faults.push_back(spec("halt", {}));
  const auto issues = faults::validate(cfg, reg, {});
  std::vector<std::string> paths;
  for (const auto& i : issues.items()) paths.push_back(i.path);
  EXPECT_EQ(paths.size(), 2u);
  EXPECT_NE(std::find(paths.begin(), paths.end(), "faults[1].multiplier"), paths.end());
  EXPECT_TRUE(std::any_of(paths.begin(), paths.end(), [](const std::string& p) { return p.rfind("faults[2]", 0) == 0; }));
}

TEST(ChainFaults, InjectorsActOnTheChain) {
  sim::Simulation s(1);
  chain::ChainConfig cfg;
  cfg.missed_slot_probability = 0;
  chain::Chain ch(s, cfg);
  ch.start();
  auto reg = faults::FaultKindRegistry::with_builtin_kinds();
  chain::register_chain_fault_kinds(reg);
  chain::set_chain_fault_injectors(reg, ch);

  const auto congestion = spec("congestion", {{"multiplier", 3.0}});
  faults::FaultEffect ce;
  auto heal_c = reg.find_kind("congestion")->inject(faults::InjectedFault{"faults[0]", &congestion, {}, {}, {}, {}}, ce);
  const auto congestion2 = spec("congestion", {{"multiplier", 2.0}});
  faults::FaultEffect ce2;
  auto heal_c2 = reg.find_kind("congestion")->inject(faults::InjectedFault{"faults[1]", &congestion2, {}, {}, {}, {}}, ce2);
  EXPECT_DOUBLE_EQ(ch.demand_multiplier(), 6.0);
  s.run_until(sim::Time::zero() + 60_s);
  heal_c();
  EXPECT_DOUBLE_EQ(ch.demand_multiplier(), 2.0);
  heal_c2();
  EXPECT_DOUBLE_EQ(ch.demand_multiplier(), 1.0);
  EXPECT_EQ(ce.counter("blocks_congested"), 5u);

  const auto halt = spec("halt", {});
  faults::FaultEffect he;
  auto heal_h = reg.find_kind("halt")->inject(faults::InjectedFault{"faults[2]", &halt, {}, {}, {}, {}}, he);
  const auto head = ch.head_number();
  s.run_until(s.now() + 60_s);
  EXPECT_EQ(ch.head_number(), head);
  heal_h();
  EXPECT_EQ(he.counter("slots_halted"), 5u);
  s.run_until(s.now() + 12_s);
  EXPECT_EQ(ch.head_number(), head + 1);

  const auto spike = spec("gas_spike", {{"factor", 4.0}});
  faults::FaultEffect se;
  const auto before = ch.next_base_fee();
  reg.find_kind("gas_spike")->inject(faults::InjectedFault{"faults[3]", &spike, {}, {}, {}, {}}, se);
  EXPECT_EQ(ch.next_base_fee(), before * 4);
  EXPECT_EQ(se.counter("base_fee_raised"), 1u);
}
