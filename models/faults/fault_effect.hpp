#pragma once
// What an injected fault did. Every injection gets one FaultEffect; injectors (and the network hooks they
// install) count what they caused: "messages_dropped", "events_suppressed", "messages_delayed", ... A fault
// whose counters all stay zero had no effect and is flagged in the run's output (faults_without_effect).
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/faults/fault_config.hpp"
#include "sim/time.hpp"

namespace models::faults {

struct FaultEffect {
  std::string source;                      // "faults[2]" or "fault_processes[0]/feed/node-3"
  std::string kind;                        // the fault kind
  std::vector<std::string> targets;        // resolved actors (sorted); partition/link: every host involved; an
                                           // injector narrows it to what it hit (crash_leader: the leader)
  sim::Time injected_at;                   // when it was injected
  std::optional<sim::Time> healed_at;      // when it was healed, if it was
  std::map<std::string, std::uint64_t, std::less<>> counters;  // effect name -> count, sorted

  void count(std::string_view what, std::uint64_t n = 1) {
    auto it = counters.find(what);
    if (it == counters.end()) it = counters.emplace(std::string(what), 0).first;
    it->second += n;
  }
  std::uint64_t counter(std::string_view what) const {
    auto it = counters.find(what);
    return it == counters.end() ? 0 : it->second;
  }
  // True if any counter is positive.
  bool had_effect() const {
    for (const auto& [k, v] : counters)
      if (v > 0) return true;
    return false;
  }
};

// A fault at the moment of injection, with its targets resolved to actor names.
struct InjectedFault {
  std::string source;                               // as FaultEffect::source
  const FaultSpec* spec = nullptr;                  // the scenario entry (for params, behaviour); never null
  std::vector<std::string> targets;                 // resolved `target` (sorted)
  std::vector<std::vector<std::string>> groups;     // partition: resolved groups (each sorted)
  std::vector<std::string> from;                    // link: resolved `from` set (sorted)
  std::vector<std::string> to;                      // link: resolved `to` set (sorted)
};

}  // namespace models::faults
