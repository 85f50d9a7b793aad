#pragma once
// Safety and liveness monitors of an OCR feed and its protocol counters (pure; fed by the feed's and its nodes'
// signals through OcrProtocolProbe in ocr_metrics.hpp).
//
// Safety: an answer accepted on chain for (epoch, round) must lie within the range of the honest oracles'
// observations of that round; OCR guarantees it while at most f oracles are faulty. An accepted answer with no
// recorded honest observation of its round counts as a violation too (nothing honest supports it).
// Liveness: the time during which a report was due (the honest oracles' median deviated from the on-chain answer
// by alpha_ppb, or the heartbeat delta_c passed) while nothing new reached the chain; the longest such gap. Gaps
// are clipped to the measurement window [begin, end): a gap open at `begin` counts from `begin`.
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "models/ocr/ocr_types.hpp"
#include "sim/time.hpp"

namespace analysis {

class SafetyMonitor {
 public:
  void on_honest_observation(models::ocr::EpochRound er, models::ocr::Value v);
  // Returns true if the accepted answer is a violation. Forgets the rounds up to `er`.
  bool on_accepted(models::ocr::EpochRound er, models::ocr::Value answer);

 private:
  struct Range {
    std::uint64_t er;  // packed (epoch, round)
    models::ocr::Value min, max;
  };
  // By (epoch, round), which mostly arrive in order: the current round is the last entry.
  std::vector<Range> range_;
  std::vector<Range>::iterator find(std::uint64_t er);  // the first entry at or after er
};

class LivenessMonitor {
 public:
  explicit LivenessMonitor(sim::Time begin = sim::Time::zero(), sim::Time end = sim::Time::max())
      : begin_(begin), end_(end) {}
  // A sample at `t`: whether a report is due according to the honest oracles.
  void on_due(sim::Time t, bool due);
  // The reference says no report is due at `t` (the deviation receded before anything reached the chain): an
  // open gap ends here. Node decisions open gaps; only the reference sample closes one without an update.
  void on_resolved(sim::Time t);
  // A new answer reached the chain at `t`.
  void on_update(sim::Time t);
  // Closes an open gap at the end of the window.
  void finish(sim::Time t);
  sim::Duration max_gap() const { return max_gap_; }
  sim::Duration total_gap() const { return total_gap_; }
  bool pending() const { return due_since_.has_value(); }

 private:
  void close(sim::Time t);
  sim::Time begin_, end_;
  std::optional<sim::Time> due_since_;
  sim::Duration max_gap_{}, total_gap_{};
};

}  // namespace analysis
