#pragma once
// The handle through which faults act on one actor, and the directory of all of them.
//
// An actor owns an ActorControl, sets its hooks, registers it in the world's ActorDirectory and consults it:
//   if (!control_.admit()) return;                   // first line of every event handler: a crashed actor
//                                                    // handles nothing (counted as events_suppressed)
//   sim::Time t = control_.local_time(sim_.now());   // clock skew: the actor's own clock
//   if (control_.byzantine() == "lie") { control_.byzantine_acted(); ... }
// Crash: on_crash must drop volatile state and cancel the actor's timers; on_restart recovers as the model
// defines. Overlapping crashes nest: the actor is up again when the last one heals.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/faults/fault_config.hpp"
#include "models/faults/fault_effect.hpp"
#include "models/faults/fault_kind_registry.hpp"
#include "sim/time.hpp"

namespace sim {
class Network;
}

namespace models::faults {

class ActorControl {
  // What every event handler reads (admit(), byzantine()) first, so that it shares the actor's first cache lines.
  std::vector<FaultEffect*> crashes_;  // active crashes, innermost last
  std::string behaviour_;

 public:
  ActorControl(std::string name, std::string model) : name_(std::move(name)), model_(std::move(model)) {}
  ActorControl(const ActorControl&) = delete;
  ActorControl& operator=(const ActorControl&) = delete;

  const std::string& name() const { return name_; }
  const std::string& model() const { return model_; }

  // --- hooks the actor sets ---
  std::function<void()> on_crash;    // lose volatile state, cancel timers
  std::function<void()> on_restart;  // recover after the crash healed
  // A byzantine behaviour started (behaviour non-empty) or stopped (behaviour empty).
  std::function<void(const std::string& behaviour, const Params& params)> on_byzantine;

  // --- what the actor consults ---
  bool up() const { return crashes_.empty(); }
  // True if the actor may handle an event now; false (and one suppressed event counted) while crashed.
  bool admit() {
    if (crashes_.empty()) return true;
    if (crashes_.back()) crashes_.back()->count("events_suppressed");
    return false;
  }
  // The actor's local clock at true time t: t + offset + (rate - 1) * (t - skew start). Reads while skewed
  // count as the clock_skew fault's effect.
  sim::Time local_time(sim::Time t) {
    if (!skew_effect_) return t;
    skew_effect_->count("skewed_clock_reads");
    const double drift = (skew_rate_ - 1.0) * static_cast<double>((t - skew_since_).ns());
    return t + skew_offset_ + sim::Duration::nanoseconds(static_cast<std::int64_t>(drift));
  }
  // How long a span of `local` on the actor's clock takes in true time (local / rate while skewed), for
  // arming timers in local time: timer.arm(control.true_duration(10_s)).
  sim::Duration true_duration(sim::Duration local) const {
    if (!skew_effect_ || skew_rate_ == 1.0) return local;
    return sim::Duration::nanoseconds(static_cast<std::int64_t>(static_cast<double>(local.ns()) / skew_rate_));
  }
  // The active byzantine behaviour ("" when honest) and its params.
  const std::string& byzantine() const { return behaviour_; }
  const Params& byzantine_params() const { return behaviour_params_; }
  // Call whenever the actor deviates from the protocol because of its behaviour (counted as the effect).
  void byzantine_acted(std::uint64_t n = 1) {
    if (byz_effect_) byz_effect_->count("byzantine_actions", n);
  }

  // --- used by the fault injectors ---
  void crash(FaultEffect* effect);
  void restart(FaultEffect* effect);
  void set_clock(sim::Duration offset, double rate, sim::Time since, FaultEffect* effect);
  void clear_clock();
  void set_byzantine(std::string behaviour, Params params, FaultEffect* effect);
  void clear_byzantine();

 private:
  std::string name_;
  std::string model_;
  FaultEffect* skew_effect_ = nullptr;
  sim::Duration skew_offset_;
  double skew_rate_ = 1.0;
  sim::Time skew_since_;
  Params behaviour_params_;
  FaultEffect* byz_effect_ = nullptr;
};

// Every ActorControl of a world, by name. Does not own them.
class ActorDirectory {
 public:
  // Throws std::invalid_argument on a duplicate name.
  void add(ActorControl& actor);
  ActorControl* find(const std::string& name) const;
  std::vector<std::string> names() const;  // sorted
  std::vector<ActorInfo> infos() const;    // sorted by name, for validate()

 private:
  std::map<std::string, ActorControl*, std::less<>> actors_;
};

// `actors` with the network's hosts: an actor whose name is a host is marked host, and every other host is added
// as a host only (model "host"). Sorted by name.
std::vector<ActorInfo> with_hosts(std::vector<ActorInfo> actors, const sim::Network& net);

}  // namespace models::faults
