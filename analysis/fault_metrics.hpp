#pragma once
// Turns a run's fault schedule into metrics, so that a study never passes silently with no fault applied:
//   faults_injected         injections during the run (scheduled faults and random-process crashes)
//   faults_without_effect   injections whose effect counters all stayed zero (also warned about by the CLI)
//   fault_<counter>         each effect counter summed over all injections, e.g. fault_messages_dropped
// Faults are counted over the whole run, warm-up included: a fault's effect is a property of the scenario,
// not of the measurement window.
#include "analysis/collector.hpp"

namespace models::faults {
class FaultSchedule;
}

namespace analysis {

class FaultCollector final : public Collector {
 public:
  explicit FaultCollector(const models::faults::FaultSchedule& schedule) : schedule_(schedule) {}
  void begin_measurement(sim::Time) override {}
  void sample(sim::Time, SeriesRecorder&) override {}
  void finish(sim::Time end, MetricSet& out) override;

 private:
  const models::faults::FaultSchedule& schedule_;
};

}  // namespace analysis
