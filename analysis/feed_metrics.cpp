#include "analysis/feed_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Calls fn(value, duration) for each piece of the series inside [from, to).
template <class F>
void pieces(std::span<const Step> steps, sim::Time from, sim::Time to, F&& fn) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const sim::Time a = std::max(steps[i].at, from);
    const sim::Time b = std::min(i + 1 < steps.size() ? steps[i + 1].at : to, to);
    if (b > a) fn(steps[i].value, b - a);
  }
}

}  // namespace

std::vector<Step> relative_error_bps(std::span<const Step> truth, std::span<const Step> answer) {
  std::vector<Step> out;
  std::size_t i = 0, j = 0;
  std::optional<double> t, a;
  while (i < truth.size() || j < answer.size()) {
    // Next time at which either series steps; apply every step at that time before emitting.
    sim::Time now = sim::Time::max();
    if (i < truth.size()) now = std::min(now, truth[i].at);
    if (j < answer.size()) now = std::min(now, answer[j].at);
    while (i < truth.size() && truth[i].at == now) t = truth[i++].value;
    while (j < answer.size() && answer[j].at == now) a = answer[j++].value;
    if (!t || !a) continue;
    const double err = std::fabs(*a - *t) / *t * 1e4;
    if (!out.empty() && out.back().at == now) out.back().value = err;
    else out.push_back({now, err});
  }
  return out;
}

double time_fraction_above(std::span<const Step> steps, sim::Time from, sim::Time to, double threshold) {
  std::int64_t above = 0, total = 0;
  pieces(steps, from, to, [&](double v, sim::Duration d) {
    total += d.ns();
    if (v > threshold) above += d.ns();
  });
  return total > 0 ? static_cast<double>(above) / static_cast<double>(total) : kNaN;
}

double max_over(std::span<const Step> steps, sim::Time from, sim::Time to) {
  double m = kNaN;
  pieces(steps, from, to, [&](double v, sim::Duration) { m = std::isnan(m) ? v : std::max(m, v); });
  return m;
}

FeedMetricsCollector::FeedMetricsCollector(const FeedMetricsConfig& cfg) : cfg_(cfg) {
  set_window(cfg.warmup_end, cfg.end);
  if (cfg_.oracles == 0) throw std::invalid_argument("FeedMetricsCollector: oracles must be >= 1");
}

void FeedMetricsCollector::set_window(sim::Time warmup_end, sim::Time end) {
  if (!(end > warmup_end)) throw std::invalid_argument("FeedMetricsCollector: end must be after warmup_end");
  cfg_.warmup_end = warmup_end;
  cfg_.end = end;
}

void FeedMetricsCollector::on_true_price(sim::Time t, double usd) { truth_.push_back({t, usd}); }

void FeedMetricsCollector::on_answer(sim::Time t, double usd, std::uint64_t round) {
  answer_.push_back({t, usd});
  if (!updates_.empty() && updates_.back().round == round) {
    updates_.back().final_usd = usd;
    return;
  }
  updates_.push_back({round, t, usd});
}

void FeedMetricsCollector::on_trigger(sim::Time t, std::uint64_t round) { first_trigger_.emplace(round, t); }

void FeedMetricsCollector::on_transaction(sim::Time t, std::uint64_t gas_used, std::uint64_t price_wei, double juels) {
  txs_.push_back({t, static_cast<double>(gas_used), static_cast<double>(gas_used) * static_cast<double>(price_wei), juels});
}

void FeedMetricsCollector::on_read(sim::Time t, sim::Duration age) { reads_.emplace_back(t, age.seconds()); }

void FeedMetricsCollector::on_failed_read(sim::Time t) { failed_reads_at_.push_back(t); }

void FeedMetricsCollector::finish(MetricSet& metrics, const std::string& prefix) const {
  struct Prefixed {
    MetricSet& m;
    const std::string& p;
    void set(const std::string& name, double v) { m.set(p + name, v); }
  } out{metrics, prefix};
  double gas = 0, wei = 0, juels = 0;
  for (const Tx& tx : txs_)
    if (in_window(tx.t)) {
      gas += tx.gas;
      wei += tx.wei;
      juels += tx.juels;
    }
  std::vector<double> ages_s;
  for (const auto& [t, age] : reads_)
    if (in_window(t)) ages_s.push_back(age);
  std::uint64_t failed_reads = 0;
  for (sim::Time t : failed_reads_at_) failed_reads += in_window(t);
  const double window_s = (cfg_.end - cfg_.warmup_end).seconds();
  const double per_day = 86'400.0 / window_s;
  std::vector<double> sizes_bps, latencies_s;
  std::vector<sim::Time> times;
  for (std::size_t i = 0; i < updates_.size(); ++i) {
    const Update& u = updates_[i];
    if (!in_window(u.first)) continue;
    times.push_back(u.first);
    if (const auto it = first_trigger_.find(u.round); it != first_trigger_.end() && it->second <= u.first)
      latencies_s.push_back((u.first - it->second).seconds());
    if (i > 0) sizes_bps.push_back(std::fabs(u.final_usd - updates_[i - 1].final_usd) / updates_[i - 1].final_usd * 1e4);
  }
  const double updates = static_cast<double>(times.size());
  out.set("updates", updates);
  out.set("gas_per_update", updates > 0 ? gas / updates : kNaN);
  out.set("gas_per_day", gas * per_day);
  out.set("gas_total", gas);
  out.set("gas_per_node_per_day", gas * per_day / cfg_.oracles);
  out.set("eth_cost_per_day", wei / 1e18 * per_day);
  out.set("link_paid_per_day", juels / 1e18 * per_day);

  const std::vector<Step> err = relative_error_bps(truth_, answer_);
  out.set("answer_error_bps_mean", time_weighted_mean(err, cfg_.warmup_end, cfg_.end).mean);
  out.set("answer_error_bps_p50", time_weighted_quantile(err, cfg_.warmup_end, cfg_.end, 0.5));
  out.set("answer_error_bps_p99", time_weighted_quantile(err, cfg_.warmup_end, cfg_.end, 0.99));
  out.set("answer_error_bps_max", max_over(err, cfg_.warmup_end, cfg_.end));
  out.set("time_beyond_threshold_frac", time_fraction_above(err, cfg_.warmup_end, cfg_.end, cfg_.deviation_threshold * 1e4));

  const auto staleness = [&](const std::string& suffix, const std::vector<double>& ages) {
    const Summary s = summarize(ages);
    out.set("staleness_s_mean" + suffix, s.n ? s.mean : kNaN);
    out.set("staleness_s_p99" + suffix, quantile(ages, 0.99));
    out.set("staleness_s_max" + suffix, s.n ? s.max : kNaN);
  };
  staleness("", ages_s);
  if (!congestion_.empty()) {
    // The same reads split by whether a congestion window holds their time.
    std::vector<double> inside, outside;
    for (const auto& [t, a] : reads_) {
      if (!in_window(t)) continue;
      const bool congested = std::any_of(congestion_.begin(), congestion_.end(),
                                         [t = t](const auto& w) { return t >= w.first && t < w.second; });
      (congested ? inside : outside).push_back(a);
    }
    staleness("_congested", inside);
    staleness("_uncongested", outside);
  }

  out.set("consumer_failed_reads", static_cast<double>(failed_reads));
  // Due latency: for each update in the window after an earlier one, the first instant the true price left the
  // previous update's answer by the threshold, or the heartbeat since that update, whichever came first.
  std::vector<double> due_s;
  std::uint64_t before_due = 0;
  std::size_t ti = 0;
  for (std::size_t i = 1; i < updates_.size(); ++i) {
    const Update& prev = updates_[i - 1];
    const Update& u = updates_[i];
    sim::Time due = prev.first + cfg_.heartbeat;
    while (ti < truth_.size() && truth_[ti].at < prev.first) ++ti;
    // The truth in force at prev.first is the last step at or before it.
    std::size_t k = ti > 0 ? ti - 1 : 0;
    for (; k < truth_.size() && truth_[k].at < due; ++k) {
      const sim::Time at = std::max(truth_[k].at, prev.first);
      if (std::fabs(truth_[k].value - prev.final_usd) / prev.final_usd >= cfg_.deviation_threshold) {
        due = at;
        break;
      }
    }
    if (!in_window(u.first)) continue;
    if (due <= u.first) due_s.push_back((u.first - due).seconds());
    else ++before_due;
  }
  out.set("due_latency_s", due_s.empty() ? kNaN : summarize(due_s).mean);
  out.set("due_latency_s_p99", quantile(due_s, 0.99));
  out.set("updates_before_due", static_cast<double>(before_due));
  out.set("update_latency_s", latencies_s.empty() ? kNaN : summarize(latencies_s).mean);
  out.set("update_latency_s_p99", quantile(latencies_s, 0.99));
  out.set("mean_update_interval_s", times.size() >= 2 ? (times.back() - times.front()).seconds() / (updates - 1) : kNaN);
  out.set("mean_update_size_bps", sizes_bps.empty() ? kNaN : summarize(sizes_bps).mean);
}

}  // namespace analysis
