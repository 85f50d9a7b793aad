#pragma once
// A study: one scenario file loaded with its `extends:` chain and `--set` overrides, and expanded into sweep
// points. Every point is a complete ScenarioConfig, decoded and validated with its overrides applied, so a bad
// sweep value is reported at the place it was written. Loading reports every problem at once (ScenarioError).
//
// sweep:
//   grid: { demo.lps: [16, 64], demo.population: [1, 4] }   # cartesian product, first key varies slowest
//   zip:  { duration: [1s, 2s], warmup: [0s, 1s] }          # varied together; crossed with the grid (zip fastest)
//   replications: 5                                          # replication r: seed replication_seed(seed, r)
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/scenario/scenario.hpp"
#include "models/scenario/schema.hpp"

namespace models::scenario {

struct SweepPoint {
  std::vector<std::string> values;            // per swept key (Study::swept_keys order): the value as written
  std::vector<std::optional<double>> numbers;  // the same values as numbers in the key's unit (nullopt: text)
  ScenarioConfig config;                      // the full scenario at this point
};

// A fault of the base scenario as a window in simulated time, for readers of the results (the report's timeline).
struct FaultWindow {
  std::string kind;
  std::string target;                  // "eth-usd/node-0", "a*, b*", "any 3 of eth-usd/node-*" ("" when none)
  double at_s = 0;                     // injection time, seconds
  std::optional<double> duration_s;    // nullopt: lasts until the end of the run
};

struct Study {
  std::string file;
  ScenarioConfig base;                      // the scenario without sweep overrides (with --set applied)
  std::vector<std::pair<std::string, std::string>> resolved;  // base: every key -> JSON literal
  bool has_sweep = false;
  std::vector<std::string> swept_keys;      // key paths, grid keys (file order) then zip keys
  std::vector<std::string> sweep_units;     // per swept key: the unit of SweepPoint::numbers ("" for none)
  std::vector<std::string> sweep_column_units;  // per swept key: KeySpec::column_unit() ("" for none)
  std::vector<FaultWindow> fault_windows;   // the base scenario's faults, in order
  std::vector<SweepPoint> points;           // at least one; without a sweep, the base alone
  // The sweep block as resolved (values as written), for manifests: {"grid": {...}, "zip": {...},
  // "replications": R} as a JSON literal; empty without a sweep.
  std::string sweep_json;
  std::uint64_t replications = 1;
  std::string hash;                         // 32 hex digits over every point's resolved scenario (not replications)
};

// Loads `file` against `schema` (the registry's: analysis/subsystems.hpp). `sets` are "key.path=value" strings (YAML
// values: 7, 250ms, [a, b]). Throws ScenarioError listing every problem.
Study load_study(const Schema& schema, const std::string& file, const std::vector<std::string>& sets = {});

// The same for a scenario written in memory (a generated one: `oraclesim bench ecosystem`); `origin` names it in
// errors and as the study's file. It may not use `extends:`.
Study load_study_text(const Schema& schema, const std::string& text, const std::string& origin);

// The study of `oraclesim run`: the base scenario alone (one point, one replication), sweep ignored.
Study single_run(const Study& s);

}  // namespace models::scenario
