#pragma once
// The world of one run: the shared Environment plus every registered subsystem built on it, and the fault
// schedule acting on all of them. The World knows no subsystem: it gets their builders (in registration order,
// analysis/subsystems.hpp), starts the environment and then each part, registers every actor a fault may name and
// every fault injector, and schedules the scenario's faults. It never writes files.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/faults/actor_control.hpp"
#include "models/faults/fault_kind_registry.hpp"
#include "models/faults/fault_schedule.hpp"
#include "models/scenario/scenario.hpp"
#include "models/world/environment.hpp"
#include "models/world/part.hpp"
#include "sim/simulation.hpp"

namespace models::world {

// Builds one subsystem on the environment; returns nullptr when the scenario does not use it.
struct PartBuilder {
  std::string name;  // the subsystem's registered name ("feeds", "requests", ...)
  std::function<std::unique_ptr<Part>(Environment&, const scenario::ScenarioConfig&)> build;
};

class World {
 public:
  // Builds the environment and every part from `cfg`, which must be valid: the scenario loader validates a config
  // once (analysis::Registry::load_study, or Registry::validate for a config built in C++); nothing here checks it
  // again. Nothing is scheduled until start().
  // `fault_kinds` holds every registered kind (injectors are added here); `actor_names` is what validation
  // checked the faults against: the built actors must be exactly these (std::logic_error otherwise).
  World(sim::Simulation& sim, const scenario::ScenarioConfig& cfg, const std::vector<PartBuilder>& builders,
        faults::FaultKindRegistry fault_kinds, const std::vector<scenario::ActorName>& actor_names);
  World(const World&) = delete;
  World& operator=(const World&) = delete;
  ~World();

  // Starts the environment, then every part in registration order, then the fault schedule.
  void start();

  sim::Simulation& simulation() { return sim_; }
  const scenario::ScenarioConfig& config() const { return cfg_; }
  Environment& environment() { return *env_; }
  // The part built by subsystem `name`, or nullptr when it was not built.
  Part* part(std::string_view name) const;
  template <class P>
  P* part_as(std::string_view name) const {
    return dynamic_cast<P*>(part(name));
  }
  // The names of the parts that were built, in registration order.
  std::vector<std::string> part_names() const;
  // The subsystem whose build created chain account `a` ("" for the environment's own accounts, e.g. LINK, and
  // for accounts created while running).
  std::string subsystem_of(chain::Address a) const;
  // The fault schedule, or nullptr when the scenario has no faults or fault processes.
  const faults::FaultSchedule* fault_schedule() const { return fault_schedule_.get(); }

 private:
  struct Built {
    std::string name;
    std::unique_ptr<Part> part;
    std::uint64_t first_account = 0, end_account = 0;  // [first, end) address ids created by its build
  };
  void build_faults(const std::vector<scenario::ActorName>& actor_names);
  std::string current_leader(const std::vector<std::string>& targets) const;

  sim::Simulation& sim_;
  const scenario::ScenarioConfig& cfg_;
  std::unique_ptr<Environment> env_;
  std::vector<Built> parts_;
  // Fault wiring (declared after the actors: destroyed first, so no fault outlives what it targets).
  faults::FaultKindRegistry fault_registry_;
  faults::ActorDirectory actors_;
  std::unique_ptr<faults::FaultSchedule> fault_schedule_;
};

}  // namespace models::world
