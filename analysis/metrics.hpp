#pragma once
// The scalar results of one run: metric name -> value, kept in name order so that every writer emits
// columns in the same order whatever the order in which collectors reported.
#include <map>
#include <optional>
#include <string>

namespace analysis {

class MetricSet {
 public:
  // Sets (or overwrites) a metric. Names are snake_case, with a unit suffix where one applies (_s, _bps).
  void set(const std::string& name, double value) { values_[name] = value; }
  std::optional<double> get(const std::string& name) const;
  const std::map<std::string, double>& values() const { return values_; }
  bool empty() const { return values_.empty(); }

 private:
  std::map<std::string, double> values_;
};

}  // namespace analysis
