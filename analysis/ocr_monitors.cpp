#include "analysis/ocr_monitors.hpp"

#include <algorithm>

namespace analysis {

void SafetyMonitor::on_honest_observation(models::ocr::EpochRound er, models::ocr::Value v) {
  auto [it, inserted] = range_.try_emplace(er.packed(), v, v);
  if (!inserted) {
    it->second.first = std::min(it->second.first, v);
    it->second.second = std::max(it->second.second, v);
  }
}

bool SafetyMonitor::on_accepted(models::ocr::EpochRound er, models::ocr::Value answer) {
  auto it = range_.find(er.packed());
  const bool violation = it == range_.end() || answer < it->second.first || answer > it->second.second;
  range_.erase(range_.begin(), range_.upper_bound(er.packed()));
  return violation;
}

void LivenessMonitor::on_due(sim::Time t, bool due) {
  if (due && !due_since_) due_since_ = t;
}

void LivenessMonitor::close(sim::Time t) {
  if (!due_since_) return;
  const sim::Time from = std::max(*due_since_, begin_), to = std::min(t, end_);
  if (to > from) {
    const sim::Duration gap = to - from;
    max_gap_ = std::max(max_gap_, gap);
    total_gap_ += gap;
  }
  due_since_.reset();
}

void LivenessMonitor::on_resolved(sim::Time t) { close(t); }
void LivenessMonitor::on_update(sim::Time t) { close(t); }
void LivenessMonitor::finish(sim::Time t) { close(t); }

}  // namespace analysis
