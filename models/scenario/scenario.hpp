#pragma once
// Scenario configuration: plain structs decoded from YAML by load_scenario (the only yaml-cpp user).
#include <cstdint>
#include <stdexcept>
#include <string>

#include "models/demo/phold.hpp"
#include "sim/time.hpp"

namespace models::scenario {

struct ScenarioConfig {
  std::string name;                 // required
  std::string description;
  std::uint64_t seed = 1;           // master seed
  sim::Duration duration = sim::Duration::nanoseconds(3'600'000'000'000);  // simulated time, default 1 h
  demo::PholdConfig phold;          // engine-level demo workload
};

class ScenarioError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

ScenarioConfig load_scenario(const std::string& path);

}  // namespace models::scenario
