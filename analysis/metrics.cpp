#include "analysis/metrics.hpp"

namespace analysis {

std::optional<double> MetricSet::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

}  // namespace analysis
