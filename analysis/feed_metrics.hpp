#pragma once
// The metrics of one price feed (per-node aggregation or OCR alike), from what the models report:
//
//   updates                         rounds whose answer first changed in the window (a per-node aggregator
//                                   re-computes the median on each later submission: same round, same update)
//   gas_per_update                  gas of every feed transaction (reverted ones too) / updates
//   gas_per_day, gas_per_node_per_day, eth_cost_per_day (gas x effective price), link_paid_per_day
//   gas_total                       gas of every feed transaction included in the window
//   answer_error_bps_mean/_p50/_p99/_max   time-weighted |onchain - true| / true in bps (exact: both series are
//                                   piecewise constant; time before the first on-chain answer is not covered)
//   time_beyond_threshold_frac      share of the covered time with error > the feed's deviation threshold
//   staleness_s_mean/_p99/_max      age (now - updatedAt) of the answer consumers saw, over their reads
//   staleness_s_{mean,p99,max}_{congested,uncongested}   the same over the reads inside / outside the congestion
//                                   windows (only when the scenario has congestion faults)
//   update_latency_s, update_latency_s_p99   from the first trigger of a round (deviation seen or heartbeat due)
//                                   to the inclusion of the transaction that updated the answer
//   due_latency_s, due_latency_s_p99   latency as users feel it: from the moment an update fell due by the TRUE
//                                   price (it first moved `deviation` away from the previous update's answer, or the
//                                   heartbeat passed since that update) to the update reaching the chain; updates made
//                                   before they fell due (on provider noise) are counted in updates_before_due
//   mean_update_interval_s          mean time between consecutive updates in the window
//   mean_update_size_bps            mean |final answer of a round - final answer of the previous round| / previous, bps
//   consumer_failed_reads           consumer reads that found no answer ("No data present")
//
// Window: [warmup_end, end). Events before warmup_end are ignored (per-day rates use the window's length), and
// time-weighted statistics cut the series at warmup_end.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "analysis/metrics.hpp"
#include "analysis/statistics.hpp"
#include "sim/time.hpp"

namespace analysis {

// |answer - truth| / truth in bps, as a piecewise-constant series: a step whenever either input steps, from the
// first answer on. Inputs must be in non-decreasing time order.
std::vector<Step> relative_error_bps(std::span<const Step> truth, std::span<const Step> answer);
// Share of the covered part of [from, to) where the series is > threshold (NaN when nothing is covered).
double time_fraction_above(std::span<const Step> steps, sim::Time from, sim::Time to, double threshold);
// The largest value the series takes during [from, to) (NaN when nothing is covered).
double max_over(std::span<const Step> steps, sim::Time from, sim::Time to);

struct FeedMetricsConfig {
  sim::Time warmup_end{};          // metrics ignore time before it
  sim::Time end{};                 // end of the run (> warmup_end)
  double deviation_threshold = 0.005;  // fraction, for time_beyond_threshold_frac (facts §5: 0.5% for ETH/USD)
  sim::Duration heartbeat = sim::Duration::nanoseconds(3'600'000'000'000);  // the feed's heartbeat, for due_latency_s
  std::uint32_t oracles = 1;       // nodes sharing the gas, for gas_per_node_per_day
};

class FeedMetricsCollector {
 public:
  explicit FeedMetricsCollector(const FeedMetricsConfig& cfg);

  // The true price changed (USD).
  void on_true_price(sim::Time t, double usd);
  // The on-chain answer changed (USD), at the inclusion time of the transaction that changed it; `round` tells
  // which round (update) it belongs to.
  void on_answer(sim::Time t, double usd, std::uint64_t round);
  // A node decided to submit to `round` (deviation beyond the threshold, heartbeat due, first answer, or
  // joining a round another node started); the earliest trigger of a round starts its update latency.
  void on_trigger(sim::Time t, std::uint64_t round);
  // A feed transaction was included: gas used, effective gas price (wei/gas), LINK paid for it (juels).
  void on_transaction(sim::Time t, std::uint64_t gas_used, std::uint64_t effective_price_wei, double juels_paid);
  // A consumer read the feed and saw an answer of this age.
  void on_read(sim::Time t, sim::Duration age);
  // A consumer read found no answer.
  void on_failed_read(sim::Time t);

  // Moves the measurement window (events are kept, so this may be called any time before finish).
  void set_window(sim::Time warmup_end, sim::Time end);
  // Congestion windows [from, to) (the scenario's congestion faults): when not empty, the staleness metrics are also
  // reported for the reads inside them (_congested) and outside them (_uncongested).
  void set_congestion(std::vector<std::pair<sim::Time, sim::Time>> windows) { congestion_ = std::move(windows); }
  // Adds the metrics above to `out`, each name prefixed with `prefix` (e.g. "" or "btc-usd.").
  void finish(MetricSet& out, const std::string& prefix = "") const;

 private:
  bool in_window(sim::Time t) const { return t >= cfg_.warmup_end && t < cfg_.end; }

  FeedMetricsConfig cfg_;
  std::vector<std::pair<sim::Time, sim::Time>> congestion_;
  std::vector<Step> truth_;
  std::vector<Step> answer_;
  struct Update {
    std::uint64_t round;
    sim::Time first;       // first answer change of the round
    double final_usd;      // its last answer
  };
  std::vector<Update> updates_;
  std::map<std::uint64_t, sim::Time> first_trigger_;  // by round
  struct Tx {
    sim::Time t;
    double gas, wei, juels;
  };
  std::vector<Tx> txs_;
  std::vector<std::pair<sim::Time, double>> reads_;  // (time, age s)
  std::vector<sim::Time> failed_reads_at_;
};

}  // namespace analysis
