#pragma once
// The scenario's `search:` block: the bounds within which `oraclesim search` generates fault schedules
// (analysis/search/, docs/search.md). Plain structs, decoded by models/scenario/search_keys.cpp and checked
// against the fault kinds and actors of the world by the subsystem registry's cross-check. `run` and `sweep`
// ignore the block.
//
//   search:
//     objective: safety_violations          # the run metric the search maximises
//     max_faults: 3                         # faults per schedule
//     max_faulty: 2                         # distinct actors hit by actor faults in one schedule (e.g. f)
//     faults:                               # what a schedule may contain
//       - { kind: byzantine, behaviour: collude, target: "eth-usd/node-*", max_targets: 3, offset: [1%, 10%] }
//       - { kind: crash, target: "eth-usd/node-*", duration: [30s, 30min] }
//       - { kind: partition, hosts: "eth-usd/node-*", duration: [1min, 20min] }
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/faults/fault_config.hpp"
#include "sim/time.hpp"

namespace models::faults {

// A parameter a schedule's fault takes: fixed (lo alone) or drawn from [lo, hi] (numbers or durations).
struct SearchParam {
  ParamValue lo;
  std::optional<ParamValue> hi;  // set: a range of the same type as lo
};

// One fault kind a schedule may contain, with the actors it may hit and the ranges of its times and params.
struct SearchFault {
  std::string kind;                     // a fault kind (`oraclesim describe fault-kinds`)
  std::string behaviour;                // byzantine: the behaviour
  std::vector<std::string> target;      // globs: the actors it may hit (kinds that take a target)
  std::vector<std::string> hosts;       // globs: partition and link, the network hosts it may split or impair
  std::uint32_t max_targets = 1;        // actors per fault: 1..max_targets (link: hosts on the `from` side)
  std::optional<std::uint32_t> max;     // faults of this entry per schedule; unset: up to max_faults
  std::optional<sim::Duration> duration_lo, duration_hi;  // healed after [lo, hi]; unset: never healed
  std::map<std::string, SearchParam> params;              // the kind's (or behaviour's) params
};

struct SearchConfig {
  std::string objective;                // run metric (a runs.csv column) to maximise; --objective overrides
  std::vector<std::string> guide;       // metrics that rank schedules of equal objective (maximised, in order)
  std::optional<double> threshold;      // a schedule breaks the objective above this; unset: the scenario as written
  std::uint64_t budget = 200;           // runs of the search (random, then guided), in generations
  std::uint32_t generation = 20;        // runs per generation; results do not depend on --jobs
  std::uint64_t shrink_budget = 100;    // runs the shrinker may spend on the best counterexample
  std::uint32_t max_faults = 3;         // faults per schedule
  std::uint32_t max_faulty = 0;         // distinct actors hit by actor faults per schedule; 0: no bound
  sim::Duration start = sim::Duration::nanoseconds(0);  // faults are injected in [start, end)
  std::optional<sim::Duration> end;     // unset: the end of the run
  std::vector<SearchFault> faults;      // the faults a schedule is made of
};

}  // namespace models::faults
