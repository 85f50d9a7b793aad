#pragma once
// A problem found while validating a configuration struct, located by its key path in the scenario
// ("feeds[0].ocr.delta_round", "faults[2].target"). Validators collect every issue instead of stopping at the
// first; the scenario loader maps each path back to file:line:column for the message.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sim {

struct ConfigIssue {
  std::string path;     // key path in the scenario, dotted with [i] for list items
  std::string message;  // what is wrong and what was expected, e.g. "must be > 0 (got -3s)"
};

class ConfigIssues {
 public:
  void add(std::string path, std::string message) { issues_.push_back({std::move(path), std::move(message)}); }
  void append(const ConfigIssues& other) { issues_.insert(issues_.end(), other.issues_.begin(), other.issues_.end()); }
  bool empty() const { return issues_.empty(); }
  std::size_t size() const { return issues_.size(); }
  const std::vector<ConfigIssue>& items() const { return issues_; }
  // For constructors handed a config the scenario loader should already have validated: throws
  // std::invalid_argument("<what>:\n  <path>: <message>..." for every issue) if there is any.
  void throw_if_any(std::string_view what) const;

 private:
  std::vector<ConfigIssue> issues_;
};

}  // namespace sim
