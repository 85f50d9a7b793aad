#include "analysis/fault_metrics.hpp"

#include <cstdint>
#include <map>
#include <string>

#include "models/faults/fault_schedule.hpp"

namespace analysis {

void FaultCollector::finish(sim::Time, MetricSet& out) {
  std::map<std::string, std::uint64_t> totals;
  for (const auto& effect : schedule_.effects())
    for (const auto& [name, n] : effect.counters) totals[name] += n;
  out.set("faults_injected", static_cast<double>(schedule_.effects().size()));
  out.set("faults_without_effect", static_cast<double>(schedule_.faults_without_effect()));
  for (const auto& [name, n] : totals) out.set("fault_" + name, static_cast<double>(n));
}

}  // namespace analysis
