#pragma once
// The space of fault schedules a chaos search explores (docs/search.md): what the scenario's `search:` block
// admits (models/faults/search_config.hpp) over the actors and network hosts of its world. Pure: random schedules,
// mutations of a schedule, the simpler neighbours a shrinker tries, and the schedule written as scenario YAML. Every
// draw comes from the Rng it is given, so a schedule depends only on that stream.
//
// A schedule's faults are concrete: targets are actor names (never `any`), partition groups and link ends are host
// names, params are values. Times are drawn on a 1 s grid (1 ms when the range is under 10 s) and numbers with four
// significant digits of their range, so that the YAML text reads back to the same values exactly.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "models/faults/fault_config.hpp"
#include "models/faults/fault_kind_registry.hpp"
#include "models/faults/search_config.hpp"
#include "sim/config_issue.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

namespace analysis::search {

// A fault of a schedule and the search entry (search.faults[entry]) it was drawn from.
struct ScheduledFault {
  std::size_t entry = 0;
  models::faults::FaultSpec fault;
};
using Schedule = std::vector<ScheduledFault>;

// A simpler schedule the shrinker may try, and what was simplified ("drop faults[1] (crash)").
struct ShrinkStep {
  Schedule schedule;
  std::string change;
};

class ScheduleSpace {
 public:
  // `actors`: every actor and network host of the world (the registry's actors_of). The config must be valid
  // (validate_search finds nothing); throws std::invalid_argument when an entry can hit nothing.
  ScheduleSpace(const models::faults::SearchConfig& cfg, sim::Duration run_duration,
                std::span<const models::faults::ActorInfo> actors, const models::faults::FaultKindRegistry& kinds);

  // A schedule of 1..max_faults faults within every bound.
  Schedule random(sim::Rng& rng) const;
  // One or two changes to `s` (add, drop, retime, change a duration, a param or the targets), within the bounds.
  Schedule mutate(const Schedule& s, sim::Rng& rng) const;
  // The simpler neighbours of `s`, each within the bounds, in the order a shrinker tries them: drop a fault, drop an
  // actor or host, shorten a duration, make a param milder (towards the value of its range closest to zero), move a
  // fault earlier; each of the last three first to the end of its range, then halfway there.
  std::vector<ShrinkStep> shrink_steps(const Schedule& s) const;

  // Within every bound, and every fault passes the checks of a scenario's faults: (models/faults).
  bool admissible(const Schedule& s) const;
  // The distinct actors the schedule's actor faults hit (sorted); partitions and link faults hit none.
  std::vector<std::string> faulty_actors(const Schedule& s) const;

 private:
  enum class Shape { none, target, groups, link };
  struct Entry {
    std::size_t index = 0;          // in cfg_.faults
    Shape shape = Shape::none;
    std::vector<std::string> pool;  // actors (target) or hosts (groups, link), sorted
    std::uint32_t max = 1;          // faults of this entry per schedule
  };
  ScheduledFault draw(std::size_t entry, sim::Rng& rng) const;
  void draw_targets(const Entry& e, models::faults::FaultSpec& f, sim::Rng& rng) const;
  bool change_targets(const Entry& e, models::faults::FaultSpec& f, sim::Rng& rng) const;
  sim::Duration draw_time(sim::Duration lo, sim::Duration hi, sim::Rng& rng) const;

  const models::faults::SearchFault& spec(const Entry& e) const { return cfg_.faults[e.index]; }

  models::faults::SearchConfig cfg_;
  sim::Duration start_, end_;
  models::faults::FaultKindRegistry kinds_;
  std::vector<models::faults::ActorInfo> actors_;
  std::vector<Entry> entries_;
};

// The problems of a search block against the fault kinds and actors of the world, with full key paths
// ("search.faults[2].target"): each entry is checked as the faults it may produce (its globs, its params' ends).
// The window (search.start, search.end) is checked with the rest of the block (models/scenario/search_keys.cpp).
sim::ConfigIssues validate_search(const models::faults::SearchConfig& cfg, const models::faults::FaultKindRegistry& kinds,
                                  std::span<const models::faults::ActorInfo> actors);

// One fault as a YAML flow map that the scenario loader reads back to the same FaultSpec.
std::string fault_yaml(const models::faults::FaultSpec& f);
// The schedule as one line: a YAML flow list of fault_yaml (also the key that identifies a schedule).
std::string schedule_yaml(const Schedule& s);
// One fault in words: "at 1h2m3s for 10min: byzantine collude (offset 0.035) on eth-usd/node-1, eth-usd/node-4".
std::string describe_fault(const models::faults::FaultSpec& f);

}  // namespace analysis::search
