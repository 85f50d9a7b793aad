#pragma once
// Helpers of the tests that run shipped scenarios (scenarios/<file>) through analysis::run_one.
#include <string>

#include <gtest/gtest.h>

#include "analysis/run.hpp"
#include "analysis/subsystems.hpp"
#include "models/scenario/diagnostic.hpp"
#include "models/scenario/study.hpp"
#include "models/scenario/tree.hpp"
#include "sim/random.hpp"

namespace scenario_test {

inline const std::string kScenarios = std::string(ORACLESIM_SOURCE_DIR) + "/scenarios/";

// A scenario file loaded with the shipped subsystems (what `oraclesim` loads).
inline models::scenario::Study load_study(const std::string& file, const std::vector<std::string>& sets = {}) {
  return analysis::builtin_registry().load_study(file, sets);
}

// A scenario written in the test, decoded and validated with the shipped subsystems; a problem fails the test.
inline models::scenario::ScenarioConfig decode(const std::string& text, const std::string& file = "test.yaml") {
  models::scenario::Diagnostics d;
  models::scenario::ScenarioConfig c;
  const auto tree = models::scenario::parse_yaml(text, file, d);
  if (tree) analysis::builtin_registry().schema().decode(*tree, &c, d);
  EXPECT_TRUE(d.empty()) << (d.empty() ? "" : d[0].to_string());
  return c;
}

// The base run of scenarios/<file> (sweep ignored), replication `rep`, as `oraclesim run` does for rep 0.
inline analysis::RunResult run(const std::string& file, std::uint64_t rep = 0) {
  const auto study = models::scenario::single_run(analysis::builtin_registry().load_study(kScenarios + file));
  const auto& cfg = study.points.at(0).config;
  return analysis::run_one(cfg, sim::replication_seed(cfg.seed, rep), rep);
}

// A metric of a run; a missing metric fails the test (and reads as -1).
inline double metric(const analysis::RunResult& r, const std::string& name) {
  const auto v = r.metrics.get(name);
  EXPECT_TRUE(v.has_value()) << name;
  return v.value_or(-1);
}

}  // namespace scenario_test
