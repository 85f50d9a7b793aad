#include "models/scenario/diagnostic.hpp"

#include <fmt/core.h>

namespace models::scenario {

std::string Location::to_string() const {
  if (!known()) return file;
  return fmt::format("{}:{}:{}", file, line, column);
}

std::string Diagnostic::to_string() const {
  if (path.empty()) return fmt::format("{}: {}", where.to_string(), message);
  return fmt::format("{}: {}: {}", where.to_string(), path, message);
}

namespace {
std::string join(const Diagnostics& d) {
  std::string s;
  for (const auto& x : d) {
    if (!s.empty()) s += '\n';
    s += x.to_string();
  }
  return s;
}
}  // namespace

ScenarioError::ScenarioError(Diagnostics d) : std::runtime_error(join(d)), diagnostics_(std::move(d)) {}

}  // namespace models::scenario
