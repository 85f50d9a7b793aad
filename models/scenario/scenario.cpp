#include "models/scenario/scenario.hpp"

#include <fmt/core.h>
#include <yaml-cpp/yaml.h>

namespace models::scenario {

namespace {
sim::Duration parse_duration(const YAML::Node& n, const std::string& path) {
  const std::string s = n.as<std::string>();
  std::size_t pos = 0;
  double v = 0;
  try {
    v = std::stod(s, &pos);
  } catch (const std::exception&) {
    pos = 0;
  }
  const std::string unit = s.substr(pos);
  double scale = 0;
  if (unit == "ms") scale = 1e-3;
  else if (unit == "s") scale = 1;
  else if (unit == "min") scale = 60;
  else if (unit == "h") scale = 3600;
  else if (unit == "d") scale = 86400;
  if (pos == 0 || scale == 0 || v < 0)
    throw ScenarioError(fmt::format("{}:{}:{}: duration: expected a non-negative number with a unit (ms, s, min, h, d), got '{}'",
                                    path, n.Mark().line + 1, n.Mark().column + 1, s));
  return sim::Duration::from_seconds(v * scale);
}
}  // namespace

ScenarioConfig load_scenario(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    throw ScenarioError(fmt::format("{}: cannot open scenario file", path));
  } catch (const YAML::Exception& e) {
    throw ScenarioError(fmt::format("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  ScenarioConfig cfg;
  cfg.name = root["name"].as<std::string>("");
  cfg.description = root["description"].as<std::string>("");
  if (root["seed"]) cfg.seed = root["seed"].as<std::uint64_t>();
  if (root["duration"]) cfg.duration = parse_duration(root["duration"], path);
  if (auto d = root["demo"]) {
    if (d["lps"]) cfg.phold.lps = d["lps"].as<std::uint32_t>();
    if (d["population"]) cfg.phold.population = d["population"].as<std::uint32_t>();
  }
  return cfg;
}

}  // namespace models::scenario
