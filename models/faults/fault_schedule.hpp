#pragma once
// The fault schedule of one run: injects and heals the scenario's faults at their times and runs the random
// crash/recover processes, through the injectors registered in a FaultKindRegistry.
//
// Determinism: start() resolves every target up front. Globs resolve in sorted name order; `any: k` picks
// come from the stream "faults[<i>]/target" (or the spec's own stream name); a random process draws the
// up/down times of actor A from "fault_processes[<i>]/<A>". Nothing depends on creation order or addresses,
// so the same seed gives the same timeline.
//
// Each injection gets a FaultEffect (effects()); the injector counts what the fault did. A fault whose
// counters stayed zero is listed by without_effect() and counted by faults_without_effect(), so a study
// cannot pass silently with no fault applied.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "models/faults/fault_config.hpp"
#include "models/faults/fault_effect.hpp"
#include "models/faults/fault_kind_registry.hpp"
#include "sim/random.hpp"
#include "sim/signal.hpp"
#include "sim/simulation.hpp"

namespace models::faults {

struct FaultEvent {
  sim::Time at;
  std::string source;                // "faults[2]", "fault_processes[0]/feed/node-3#1"
  std::string kind;
  bool heal = false;                 // false: injected, true: healed
  std::vector<std::string> targets;  // resolved targets (partition/link: every host involved)
  friend bool operator==(const FaultEvent&, const FaultEvent&) = default;
};

class FaultSchedule {
 public:
  // `cfg` must pass validate(cfg, registry, ...) (std::invalid_argument listing the issues otherwise);
  // `actors` is every actor a target may match and every network host a partition or link may name
  // (with_hosts()). Every kind used needs an injector in `registry` by
  // the time start() runs (std::logic_error otherwise). `registry` must outlive the schedule.
  FaultSchedule(sim::Simulation& sim, FaultsConfig cfg, const FaultKindRegistry& registry,
                std::vector<ActorInfo> actors);
  ~FaultSchedule();
  FaultSchedule(const FaultSchedule&) = delete;
  FaultSchedule& operator=(const FaultSchedule&) = delete;

  // Resolves targets and schedules every injection, heal and random process. Call once, before running.
  void start();

  // One entry per injection so far, in injection order (stable references).
  const std::deque<FaultEffect>& effects() const { return effects_; }
  // Injected faults whose counters are all zero.
  std::vector<const FaultEffect*> without_effect() const;
  std::size_t faults_without_effect() const { return without_effect().size(); }
  // Injections and heals so far, in the order they happened.
  const std::vector<FaultEvent>& timeline() const { return timeline_; }

  sim::Signal<FaultEffect> injected;  // right after a fault was injected
  sim::Signal<FaultEffect> healed;    // right after a fault was healed

 private:
  struct Process {
    std::string prefix;     // source prefix "fault_processes[i]/<actor>"
    std::string actor;
    sim::Rng rng;
    FaultSpec spec;         // a synthesized crash on `actor`
    double mtbf_ns;
    double mttr_ns;
    std::optional<sim::Time> stop;
    std::uint32_t crashes = 0;
  };

  void inject(const InjectedFault& f, std::optional<sim::Duration> duration);
  void next_crash(Process& p);
  const FaultKindInfo& kind_of(const std::string& kind) const;
  void keep(sim::EventHandle h);

  sim::Simulation& sim_;
  FaultsConfig cfg_;
  const FaultKindRegistry& registry_;
  std::vector<std::string> names_;  // actors, sorted
  std::vector<std::string> hosts_;  // network hosts, sorted
  std::deque<FaultEffect> effects_;
  std::deque<InjectedFault> resolved_;
  std::deque<Process> processes_;
  std::vector<FaultEvent> timeline_;
  std::vector<sim::EventHandle> pending_;  // cancelled on destruction
  std::size_t prune_at_ = 64;
  std::vector<Healer> permanent_;  // healers of faults without a duration (never called)
  bool started_ = false;
};

}  // namespace models::faults
