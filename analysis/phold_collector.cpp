#include "analysis/phold_collector.hpp"

#include "models/demo/demo_subsystem.hpp"

#include <algorithm>
#include <cmath>

namespace analysis {

void PholdCollector::begin_measurement(sim::Time t) {
  start_ = t;
  handled_at_start_ = phold_.handled();
  per_lp_at_start_ = phold_.per_lp();
}

void PholdCollector::sample(sim::Time t, SeriesRecorder& out) {
  out.add("phold_handled", t, static_cast<double>(phold_.handled() - handled_at_start_));
}

void PholdCollector::finish(sim::Time end, MetricSet& out) {
  const auto& lp = phold_.per_lp();
  const double events = static_cast<double>(phold_.handled() - handled_at_start_);
  out.set("phold_events", events);
  const double window = (end - start_).seconds();
  out.set("phold_events_per_s", window > 0 ? events / window : 0.0);
  if (lp.empty()) return;
  double sum = 0, sq = 0, lo = INFINITY, hi = -INFINITY;
  for (std::size_t i = 0; i < lp.size(); ++i) {
    const double x = static_cast<double>(lp[i] - (i < per_lp_at_start_.size() ? per_lp_at_start_[i] : 0));
    sum += x;
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  const double n = static_cast<double>(lp.size());
  const double mean = sum / n;
  for (std::size_t i = 0; i < lp.size(); ++i) {
    const double x = static_cast<double>(lp[i] - (i < per_lp_at_start_.size() ? per_lp_at_start_[i] : 0));
    sq += (x - mean) * (x - mean);
  }
  out.set("phold_lp_events_mean", mean);
  out.set("phold_lp_events_sd", std::sqrt(sq / n));
  out.set("phold_lp_events_min", lo);
  out.set("phold_lp_events_max", hi);
}

void EngineCollector::sample(sim::Time t, SeriesRecorder& out) {
  out.add("pending_events", t, static_cast<double>(sim_.stats().pending));
}

void EngineCollector::finish(sim::Time, MetricSet& out) {
  const auto st = sim_.stats();
  out.set("engine_peak_pending", static_cast<double>(st.peak_pending));
  out.set("engine_scheduled", static_cast<double>(st.scheduled));
}

void phold_collectors(models::world::Part& part, const RunContext&, std::vector<std::unique_ptr<Collector>>& out) {
  out.push_back(std::make_unique<PholdCollector>(dynamic_cast<models::demo::DemoPart&>(part).phold()));
}

}  // namespace analysis
