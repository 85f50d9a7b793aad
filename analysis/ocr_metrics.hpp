#pragma once
// The protocol metrics of one OCR feed (models/ocr/ocr_feed.hpp), computed from its nodes' and its own signals
// over a measurement window [begin, end), like every other collector:
//
//   safety_violations      accepted answers (included in the window) outside the honest observations of their round
//   liveness_gap_s_max     longest time in the window a report was due (at honest oracles or by the reference
//                          value) with nothing reaching the chain; _total: their sum
//   epochs                 highest epoch any oracle started before the end of the window (with configuration
//                          changes: the sum over the configurations, each counting its epochs from 0)
//   leader_changes         epochs first started in the window, the run's first epoch excluded (a new
//                          configuration's first epoch counts)
//   rounds                 observe-reqs sent by leaders in the window
//   reports_accepted       reports included in the window
//   transmissions, transmissions_dropped   transmit txs submitted; staged transmissions dropped because the
//                          contract already had the report (in the window)
//   round_latency_s_mean/_max   first observe-req of a round to the inclusion of its report, over accepted reports
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "analysis/ocr_monitors.hpp"
#include "models/ocr/ocr_feed.hpp"
#include "sim/signal.hpp"
#include "sim/simulation.hpp"

namespace analysis {

struct OcrFeedMetrics {
  std::uint64_t safety_violations = 0;
  double liveness_gap_s_max = 0;
  double liveness_gap_s_total = 0;
  std::uint64_t epochs = 0;
  std::uint64_t leader_changes = 0;
  std::uint64_t rounds = 0;
  std::uint64_t reports_accepted = 0;
  std::uint64_t transmissions = 0;
  std::uint64_t transmissions_dropped = 0;
  double round_latency_s_mean = 0;
  double round_latency_s_max = 0;
};

class OcrProtocolProbe {
 public:
  // Subscribes now: create it before the feed starts.
  OcrProtocolProbe(sim::Simulation& sim, models::ocr::OcrFeed& feed, sim::Time begin = sim::Time::zero(),
                   sim::Time end = sim::Time::max());
  OcrProtocolProbe(const OcrProtocolProbe&) = delete;
  OcrProtocolProbe& operator=(const OcrProtocolProbe&) = delete;

  // The metrics so far; an open liveness gap counts up to min(now, end).
  OcrFeedMetrics metrics(sim::Time now) const;

 private:
  bool in_window(sim::Time t) const { return t >= begin_ && t < end_; }

  sim::Simulation& sim_;
  sim::Time begin_, end_;
  SafetyMonitor safety_;
  LivenessMonitor liveness_;
  std::uint64_t config_ = 0;                              // configurations before the one in force
  std::map<std::uint64_t, sim::Time> epoch_first_;       // (configuration << 32 | epoch) -> first start
  std::map<std::uint64_t, sim::Time> round_start_;       // packed (epoch, round) -> first observe-req
  std::uint64_t violations_ = 0, rounds_ = 0, accepted_ = 0, transmissions_ = 0, dropped_ = 0;
  double latency_sum_ = 0, latency_max_ = 0;
  std::uint64_t latency_n_ = 0;
  std::vector<sim::Connection> conns_;
};

}  // namespace analysis
