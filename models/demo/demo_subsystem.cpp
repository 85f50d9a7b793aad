#include "models/demo/demo_subsystem.hpp"

namespace models::demo {

using scenario::KeySpec;
using scenario::ScenarioConfig;

const DemoConfig& demo_of(const ScenarioConfig& c) { return c.subsystems.get<DemoConfig>(kSubsystem); }
DemoConfig& demo_of(ScenarioConfig& c) { return c.subsystems.edit<DemoConfig>(kSubsystem); }

void register_keys(scenario::Block<ScenarioConfig>& root) {
  auto demo = root.block_in<DemoConfig>("demo", "PHOLD, the engine-level demo workload (models/demo/phold.hpp)",
                                        [](ScenarioConfig& c) -> DemoConfig& { return demo_of(c); });
  demo.key("enabled", &DemoConfig::enabled, KeySpec::boolean().doc("build the PHOLD workload (the engine benchmark; no oracle model uses it)").from("assumption: a scenario builds only what it asks for"));
  demo.key("lps", &DemoConfig::lps, KeySpec::integer().at_least(1).at_most(1'000'000).in("logical processes")
                                        .doc("logical processes").from("assumption: small enough for a quick run"));
  demo.key("population", &DemoConfig::population, KeySpec::integer().at_least(1).at_most(1'000'000).in("events per LP")
                                                       .doc("initial events per LP (constant in-flight population)")
                                                       .from("assumption: small enough for a quick run"));
  demo.key("min_delay", &DemoConfig::min_delay, KeySpec::duration().at_least(0).doc("lookahead added to every event delay")
                                                     .from("assumption: PHOLD convention, 10% of mean_delay"));
  demo.key("mean_delay", &DemoConfig::mean_delay, KeySpec::duration().greater_than(0).doc("mean of the exponential delay part")
                                                       .from("assumption: 1 ms"));
  demo.validate([](const DemoConfig& d, const std::string& path, sim::ConfigIssues& out) {
    if (d.enabled && static_cast<std::uint64_t>(d.lps) * d.population > 100'000'000)
      out.add(path + ".population", "lps * population must be at most 100000000 events in flight");
  });

}

namespace {
PholdConfig phold_config(const DemoConfig& d) {
  PholdConfig p;
  p.lps = d.lps;
  p.population = d.population;
  p.min_delay = d.min_delay;
  p.mean_delay = d.mean_delay;
  return p;
}
}  // namespace

DemoPart::DemoPart(sim::Simulation& sim, const DemoConfig& cfg) : phold_(sim, phold_config(cfg)) {}

std::unique_ptr<world::Part> build(world::Environment& env, const ScenarioConfig& c) {
  const DemoConfig& d = demo_of(c);
  if (!d.enabled) return nullptr;
  return std::make_unique<DemoPart>(env.simulation(), d);
}

}  // namespace models::demo
