#pragma once
// The engine demo as a subsystem (scenario key `demo:`): PHOLD (phold.hpp) on the run's simulation, for scenarios
// that exercise the engine alone. Registered in analysis/subsystems.cpp like every other subsystem.
#include <cstdint>
#include <memory>
#include <vector>

#include "models/demo/phold.hpp"
#include "models/scenario/scenario.hpp"
#include "models/scenario/schema.hpp"
#include "models/world/environment.hpp"
#include "models/world/part.hpp"

namespace models::demo {

struct DemoConfig {
  bool enabled = false;                                               // build the PHOLD workload
  std::uint32_t lps = 64;                                             // logical processes, >= 1
  std::uint32_t population = 4;                                       // initial events per LP, >= 1
  sim::Duration min_delay = sim::Duration::nanoseconds(100'000);      // lookahead added to every delay, 100 us
  sim::Duration mean_delay = sim::Duration::nanoseconds(1'000'000);   // mean of the exponential part, 1 ms
};

inline constexpr const char* kSubsystem = "demo";
const DemoConfig& demo_of(const scenario::ScenarioConfig& c);
DemoConfig& demo_of(scenario::ScenarioConfig& c);
void register_keys(scenario::Block<scenario::ScenarioConfig>& root);
std::unique_ptr<world::Part> build(world::Environment& env, const scenario::ScenarioConfig& c);

class DemoPart : public world::Part {
 public:
  DemoPart(sim::Simulation& sim, const DemoConfig& cfg);
  void start() override { phold_.start(); }
  const Phold& phold() const { return phold_; }

 private:
  Phold phold_;
};

}  // namespace models::demo
