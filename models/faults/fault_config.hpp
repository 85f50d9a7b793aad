#pragma once
// Fault configuration: the scenario's `faults:` list (scheduled faults) and `fault_processes:` (random
// crash/recover processes), as plain structs. Decoded from YAML by models/scenario, checked by validate() in
// models/faults/fault_kind_registry.hpp against the registered fault kinds and the actors of the world,
// scheduled by models/faults/fault_schedule.hpp.
//
// A scheduled fault, as in the scenario:
//   - { at: 18h, kind: partition, groups: [["feed/node-[0-9]"], ["feed/node-[1-3][0-9]"]], duration: 10m }
//   - { at: 12h, kind: byzantine, behaviour: lie, target: { any: 3, of: "feed/node-*" }, offset: 5% }
// Structural keys (at, duration, kind, target, groups, from, to, behaviour) are typed fields; every other key
// of the entry goes into `params` with an already-parsed value, and the kind's validator checks it.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/time.hpp"

namespace models::faults {

// A kind-specific parameter value. The decoder parses "5ms" as a Duration, "5%" as the double 0.05, a
// number as a double, true/false as a bool and anything else as a string.
using ParamValue = std::variant<double, sim::Duration, std::string, bool>;
using Params = std::map<std::string, ParamValue>;  // key -> value, sorted by key

// Who a fault hits. `patterns` are globs over actor names (`*`, `?`, `[a-z]`, `[!0-9]`); their matches are
// united and sorted by name. With `any` > 0, that many of the matches are chosen by the named RNG stream.
struct TargetSpec {
  std::vector<std::string> patterns;  // globs; a plain string "feed/node-0" is a one-pattern target
  std::uint32_t any = 0;              // 0: every match; k > 0: k distinct matches chosen at random
  std::string stream;                 // RNG stream for `any`; empty: "faults[<index>]/target"
  bool empty() const { return patterns.empty(); }
};

struct FaultSpec {
  sim::Duration at;                        // injection time since the start of the run, >= 0
  std::optional<sim::Duration> duration;   // healed this long after `at`; unset: never healed
  std::string kind;                        // crash | partition | link | clock_skew | byzantine | a registered kind
  TargetSpec target;                       // actors hit (crash, clock_skew, byzantine, model kinds)
  std::vector<std::vector<std::string>> groups;  // partition: host groups, each a list of globs
  std::vector<std::string> from;           // link: one host set (globs)
  std::vector<std::string> to;             // link: the other host set (globs); the effect is symmetric
  std::string behaviour;                   // byzantine: a behaviour the targets' model registered
  Params params;                           // every other key: link added_latency/multiplier/loss,
                                           // clock_skew offset/rate, behaviour and model-kind params
  bool allow_after_end = false;            // accept `at` at or after the end of the run (it never fires)
};

// A random crash/recover process: each actor matched by `target` fails after Exp(mtbf) up time and recovers
// after Exp(mttr) down time, again and again, from its own named stream "<stream>/<actor>".
struct RandomCrashProcess {
  TargetSpec target;                                            // actors with their own independent process
  sim::Duration mtbf = sim::Duration::nanoseconds(86'400'000'000'000);  // mean up time; assumption: 1 day
  sim::Duration mttr = sim::Duration::nanoseconds(600'000'000'000);     // mean down time; assumption: 10 min
  sim::Duration start = sim::Duration::nanoseconds(0);          // the process starts (first up period) here
  std::optional<sim::Duration> stop;                            // no new crash after this time; unset: never stops
  std::string stream;                                           // RNG stream prefix; empty: "fault_processes[<index>]"
};

struct FaultsConfig {
  std::vector<FaultSpec> faults;                // scenario key `faults`
  std::vector<RandomCrashProcess> processes;    // scenario key `fault_processes`
};

}  // namespace models::faults
