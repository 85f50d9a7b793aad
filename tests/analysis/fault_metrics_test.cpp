#include "analysis/fault_metrics.hpp"

#include <gtest/gtest.h>

#include "models/faults/fault_schedule.hpp"
#include "sim/simulation.hpp"

using namespace sim::literals;
namespace mf = models::faults;

namespace {
// A world with one actor and a custom fault kind whose injector counts `hits` pokes.
struct PokeWorld {
  sim::Simulation sim{7};
  mf::FaultKindRegistry registry = mf::FaultKindRegistry::with_builtin_kinds();
  std::vector<mf::ActorInfo> actors{{"a/node-0", "test"}};
  PokeWorld() {
    mf::FaultKindInfo poke;
    poke.name = "poke";
    poke.target = mf::TargetUse::required;
    poke.params = {{"hits", mf::ParamType::number, true, "how many pokes land"}};
    registry.add_kind(poke);
    registry.set_injector("poke", [](const mf::InjectedFault& f, mf::FaultEffect& e) -> mf::Healer {
      const auto hits = static_cast<std::uint64_t>(std::get<double>(f.spec->params.at("hits")));
      if (hits > 0) e.count("pokes", hits);
      return {};
    });
  }
  mf::FaultSpec poke(sim::Duration at, double hits) {
    mf::FaultSpec s;
    s.at = at;
    s.kind = "poke";
    s.target.patterns = {"a/node-*"};
    s.params["hits"] = hits;
    return s;
  }
};
}  // namespace

TEST(FaultCollector, CountsInjectionsEffectsAndFaultsWithoutEffect) {
  PokeWorld w;
  mf::FaultsConfig cfg;
  cfg.faults = {w.poke(1_s, 3), w.poke(2_s, 0), w.poke(3_s, 2)};
  mf::FaultSchedule sched(w.sim, cfg, w.registry, w.actors);
  sched.start();
  analysis::FaultCollector collector(sched);
  w.sim.run_until(sim::Time::zero() + 10_s);
  analysis::MetricSet m;
  collector.finish(w.sim.now(), m);
  EXPECT_EQ(m.get("faults_injected"), 3.0);
  EXPECT_EQ(m.get("faults_without_effect"), 1.0);
  EXPECT_EQ(m.get("fault_pokes"), 5.0);
}

TEST(FaultCollector, NoFaultsGivesZeroCounts) {
  PokeWorld w;
  mf::FaultSchedule sched(w.sim, mf::FaultsConfig{}, w.registry, w.actors);
  sched.start();
  analysis::FaultCollector collector(sched);
  w.sim.run_until(sim::Time::zero() + 1_s);
  analysis::MetricSet m;
  collector.finish(w.sim.now(), m);
  EXPECT_EQ(m.get("faults_injected"), 0.0);
  EXPECT_EQ(m.get("faults_without_effect"), 0.0);
  EXPECT_FALSE(m.get("fault_pokes").has_value());
}
