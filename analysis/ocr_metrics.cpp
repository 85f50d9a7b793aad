#include "analysis/ocr_metrics.hpp"

#include <algorithm>

namespace analysis {

namespace ocr = models::ocr;

OcrProtocolProbe::OcrProtocolProbe(sim::Simulation& sim, ocr::OcrFeed& feed, sim::Time begin, sim::Time end)
    : sim_(sim), begin_(begin), end_(end), liveness_(begin, end) {
  for (int i = 0; i < feed.member_count(); ++i) {  // every member: one that joins later reports once it does
    ocr::OcrNode& node = feed.member(i);
    conns_.push_back(node.epoch_started.connect([this](ocr::OracleId, ocr::Epoch e, ocr::OracleId) {
      epoch_first_.try_emplace(config_ << 32 | e, sim_.now());
    }));
    conns_.push_back(node.round_started.connect([this](ocr::OracleId, ocr::EpochRound er) {
      if (in_window(sim_.now())) ++rounds_;
      round_start_.try_emplace(er.packed(), sim_.now());
    }));
    conns_.push_back(node.observed.connect([this](ocr::OracleId, ocr::EpochRound er, ocr::Value v, bool honest) {
      if (honest) safety_.on_honest_observation(er, v);
    }));
    conns_.push_back(node.decided.connect([this, &node](ocr::OracleId, const ocr::ShouldReportDecision& d) {
      if (node.honest()) liveness_.on_due(sim_.now(), d.report());
    }));
    conns_.push_back(node.transmitted.connect([this](ocr::OracleId, ocr::EpochRound) {
      if (in_window(sim_.now())) ++transmissions_;
    }));
    conns_.push_back(node.dropped_stale.connect([this](ocr::OracleId, ocr::EpochRound) {
      if (in_window(sim_.now())) ++dropped_;
    }));
  }
  // A new configuration: its epochs and rounds start over, so what was kept per (epoch, round) is done with.
  conns_.push_back(feed.reconfigured.connect([this](int) {
    ++config_;
    safety_ = SafetyMonitor{};
    round_start_.clear();
  }));
  conns_.push_back(feed.reference_due.connect([this](sim::Time t, bool due) {
    if (due) liveness_.on_due(t, true);
    else liveness_.on_resolved(t);
  }));
  conns_.push_back(feed.accepted.connect([this](ocr::EpochRound er, ocr::Value answer, sim::Time t) {
    const bool violation = safety_.on_accepted(er, answer);
    liveness_.on_update(t);
    const auto start = round_start_.find(er.packed());
    if (in_window(t)) {
      ++accepted_;
      if (violation) ++violations_;
      if (start != round_start_.end()) {
        const double s = (t - start->second).seconds();
        latency_sum_ += s;
        latency_max_ = std::max(latency_max_, s);
        ++latency_n_;
      }
    }
    round_start_.erase(round_start_.begin(), round_start_.upper_bound(er.packed()));
  }));
}

OcrFeedMetrics OcrProtocolProbe::metrics(sim::Time now) const {
  const sim::Time stop = std::min(now, end_);
  LivenessMonitor live = liveness_;
  live.finish(stop);
  OcrFeedMetrics m;
  m.safety_violations = violations_;
  m.liveness_gap_s_max = live.max_gap().seconds();
  m.liveness_gap_s_total = live.total_gap().seconds();
  bool first = true;
  std::map<std::uint64_t, std::uint64_t> highest;  // configuration -> highest epoch started
  for (const auto& [key, at] : epoch_first_) {
    if (at >= end_) continue;
    auto& h = highest[key >> 32];
    h = std::max<std::uint64_t>(h, key & 0xffffffffULL);
    if (!first && at >= begin_) ++m.leader_changes;
    first = false;
  }
  for (const auto& [config, e] : highest) m.epochs += e;
  m.rounds = rounds_;
  m.reports_accepted = accepted_;
  m.transmissions = transmissions_;
  m.transmissions_dropped = dropped_;
  m.round_latency_s_mean = latency_n_ ? latency_sum_ / static_cast<double>(latency_n_) : 0.0;
  m.round_latency_s_max = latency_max_;
  return m;
}

}  // namespace analysis
