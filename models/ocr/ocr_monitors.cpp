#include "models/ocr/ocr_monitors.hpp"

#include <algorithm>

namespace models::ocr {

void SafetyMonitor::on_honest_observation(EpochRound er, Value v) {
  auto [it, inserted] = range_.try_emplace(er.packed(), v, v);
  if (!inserted) {
    it->second.first = std::min(it->second.first, v);
    it->second.second = std::max(it->second.second, v);
  }
}

bool SafetyMonitor::on_accepted(EpochRound er, Value answer) {
  ++checked_;
  auto it = range_.find(er.packed());
  const bool violation = it == range_.end() || answer < it->second.first || answer > it->second.second;
  if (violation) ++violations_;
  range_.erase(range_.begin(), range_.upper_bound(er.packed()));
  return violation;
}

void LivenessMonitor::on_due(sim::Time t, bool due) {
  if (due && !due_since_) due_since_ = t;
}

void LivenessMonitor::close(sim::Time t) {
  if (!due_since_) return;
  const sim::Duration gap = t - *due_since_;
  max_gap_ = std::max(max_gap_, gap);
  total_gap_ += gap;
  due_since_.reset();
}

void LivenessMonitor::on_resolved(sim::Time t) { close(t); }
void LivenessMonitor::on_update(sim::Time t) { close(t); }
void LivenessMonitor::finish(sim::Time t) { close(t); }

}  // namespace models::ocr
