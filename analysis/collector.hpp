#pragma once
// The interface between a run and its analysis: a collector subscribes to model signals (in its constructor)
// and turns them into scalar metrics and, when the scenario asks, time series. Metrics cover the measurement
// window only: events at or after `warmup` (begin_measurement is called at that instant).
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "analysis/metrics.hpp"
#include "sim/time.hpp"

namespace analysis {

// One named series of (time, value) samples.
struct TimeSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (simulated seconds, value)
};

// A fault injected or healed during a run, with what it hit (the picks of `any: k`, the leader a crash_leader
// crashed, every host of a partition or link).
struct FaultRecord {
  std::int64_t at_ns = 0;     // simulated time, exact
  std::string source;         // "faults[2]", "fault_processes[0]/feed/node-3#1"
  std::string kind;
  bool heal = false;          // false: injected, true: healed
  std::vector<std::string> targets;
};

// Keeps only the series a scenario asked for (record.timeseries), in name order.
class SeriesRecorder {
 public:
  explicit SeriesRecorder(const std::vector<std::string>& wanted);
  bool active() const { return !series_.empty() || !families_.empty(); }
  // A family (a name ending in ".*", e.g. "provider_price.*") is a series per member: "provider_price.eth-a".
  bool wants(const std::string& name) const { return series_.count(name) != 0 || families_.count(name) != 0; }
  void add(const std::string& name, sim::Time t, double value);
  void add_member(const std::string& family, const std::string& member, sim::Time t, double value);
  std::vector<TimeSeries> take();

 private:
  std::map<std::string, TimeSeries> series_;
  std::set<std::string> families_;  // wanted families, without their ".*"
};

class Collector {
 public:
  virtual ~Collector() = default;
  // The warm-up is over: count from `t` on (called once; at t = 0 when there is no warm-up).
  virtual void begin_measurement(sim::Time t) = 0;
  // A sampling instant of the time series (every record.every while any series is recorded).
  virtual void sample(sim::Time t, SeriesRecorder& out) = 0;
  // The run is over: series recorded at the instants things happened (not sampled) since the last sample.
  virtual void flush_series(SeriesRecorder&) {}
  // The run is over at `end`: write this collector's metrics.
  virtual void finish(sim::Time end, MetricSet& out) = 0;
};

}  // namespace analysis
