#include "models/providers/provider_faults.hpp"

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "models/providers/data_provider.hpp"

using namespace models;
using namespace models::providers;
using namespace sim::literals;

namespace {
faults::FaultSpec spec(const std::string& kind, const std::string& target, faults::Params params = {}) {
  faults::FaultSpec f;
  f.at = 1_s;
  f.kind = kind;
  f.target.patterns = {target};
  f.params = std::move(params);
  return f;
}
bool has_issue(const sim::ConfigIssues& is, const std::string& path) {
  for (const auto& i : is.items())
    if (i.path == path) return true;
  return false;
}
}  // namespace

TEST(ProviderFaults, KindsValidate) {
  auto reg = faults::FaultKindRegistry::with_builtin_kinds();
  register_provider_fault_kinds(reg);
  const std::vector<faults::ActorInfo> actors{{"exchange-a", "provider"}, {"exchange-b", "provider"}};
  faults::FaultsConfig ok{{spec("outage", "exchange-a"), spec("stale", "exchange-*"),
                           spec("bad_value", "exchange-b", {{"factor", 1.1}}),
                           spec("bad_value", "exchange-b", {{"mode", std::string("random")}, {"lo", 0.9}, {"hi", 1.2}})},
                          {}};
  EXPECT_TRUE(faults::validate(ok, reg, actors).empty());
  faults::FaultsConfig bad{{spec("bad_value", "exchange-a"), spec("bad_value", "exchange-a", {{"mode", std::string("wild")}}),
                            spec("outage", "exchange-z")},
                           {}};
  const auto issues = faults::validate(bad, reg, actors);
  EXPECT_TRUE(has_issue(issues, "faults[0].factor"));
  EXPECT_TRUE(has_issue(issues, "faults[1].mode"));
  EXPECT_TRUE(has_issue(issues, "faults[2].target"));
}

TEST(ProviderFaults, InjectorsActOnTheTargetsAndHeal) {
  sim::Simulation s(1);
  PriceProcessConfig flat;
  flat.start = 100;
  flat.volatility = 0;
  TruePrice truth(s, "X", flat);
  ProviderConfig cfg;
  cfg.name = std::string("exchange-a");
  cfg.asset = std::string("X");
  cfg.noise = 0;
  cfg.latency.dist = "constant";
  cfg.latency.median = 10_ms;
  DataProvider p(s, cfg, truth);
  truth.start();
  p.start();
  auto reg = faults::FaultKindRegistry::with_builtin_kinds();
  register_provider_fault_kinds(reg);
  set_provider_fault_injectors(reg, [&](const std::string& name) { return name == "exchange-a" ? &p : nullptr; });

  std::vector<Quote> quotes;
  auto ask = [&] { p.query([&](const Quote& q) { quotes.push_back(q); }); };

  const faults::FaultSpec outage = spec("outage", "exchange-a");
  faults::FaultEffect effect;
  faults::Healer heal = reg.find_kind("outage")->inject(faults::InjectedFault{"faults[0]", &outage, {"exchange-a"}, {}, {}, {}}, effect);
  ask();
  ask();
  s.run_until(sim::Time::zero() + 1_s);
  heal();
  ask();
  s.run_until(sim::Time::zero() + 2_s);
  ASSERT_EQ(quotes.size(), 3u);
  EXPECT_EQ(quotes[0].error, "outage");
  EXPECT_TRUE(quotes[2].ok);
  EXPECT_EQ(effect.counter("queries_failed"), 2u);

  const faults::FaultSpec bad = spec("bad_value", "exchange-a", {{"factor", 1.5}});
  faults::FaultEffect bad_effect;
  heal = reg.find_kind("bad_value")->inject(faults::InjectedFault{"faults[1]", &bad, {"exchange-a"}, {}, {}, {}}, bad_effect);
  s.run_until(sim::Time::zero() + 3_s + 500_ms);  // a refresh applies the factor
  ask();
  s.run_until(sim::Time::zero() + 4_s);
  heal();
  EXPECT_DOUBLE_EQ(quotes.back().price, 150);
  EXPECT_EQ(bad_effect.counter("queries_served"), 1u);
}
