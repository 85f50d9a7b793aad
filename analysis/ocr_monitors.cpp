#include "analysis/ocr_monitors.hpp"

#include <algorithm>

namespace analysis {

std::vector<SafetyMonitor::Range>::iterator SafetyMonitor::find(std::uint64_t er) {
  if (!range_.empty() && range_.back().er < er) return range_.end();
  if (!range_.empty() && range_.back().er == er) return range_.end() - 1;
  return std::lower_bound(range_.begin(), range_.end(), er, [](const Range& r, std::uint64_t k) { return r.er < k; });
}

void SafetyMonitor::on_honest_observation(models::ocr::EpochRound er, models::ocr::Value v) {
  const std::uint64_t key = er.packed();
  const auto it = find(key);
  if (it != range_.end() && it->er == key) {
    it->min = std::min(it->min, v);
    it->max = std::max(it->max, v);
  } else {
    range_.insert(it, Range{key, v, v});
  }
}

bool SafetyMonitor::on_accepted(models::ocr::EpochRound er, models::ocr::Value answer) {
  const std::uint64_t key = er.packed();
  auto it = find(key);
  const bool violation = it == range_.end() || it->er != key || answer < it->min || answer > it->max;
  if (it != range_.end() && it->er == key) ++it;
  range_.erase(range_.begin(), it);  // every round up to er
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
