#include "models/feeds/flux_monitor.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/core.h>

#include "models/providers/price_process.hpp"
#include "sim/distributions.hpp"

namespace models::feeds {

sim::ConfigIssues FluxMonitorConfig::validate(const std::string& path) const {
  sim::ConfigIssues out;
  if (!(threshold > 0 && threshold < 1)) out.add(path + ".deviation", fmt::format("must be in (0, 1) (got {})", threshold));
  if (heartbeat.ns() <= 0) out.add(path + ".heartbeat", fmt::format("must be > 0 (got {})", heartbeat));
  if (poll_interval.ns() <= 0) out.add(path + ".poll_interval", fmt::format("must be > 0 (got {})", poll_interval));
  if (provider_timeout.ns() <= 0) out.add(path + ".provider_timeout", fmt::format("must be > 0 (got {})", provider_timeout));
  if (min_quotes == 0) out.add(path + ".min_quotes", "must be >= 1");
  return out;
}

const char* to_string(FluxTrigger t) {
  switch (t) {
    case FluxTrigger::none: return "none";
    case FluxTrigger::first_answer: return "first_answer";
    case FluxTrigger::new_round: return "new_round";
    case FluxTrigger::heartbeat: return "heartbeat";
    case FluxTrigger::deviation: return "deviation";
  }
  return "?";
}

bool deviation_exceeded(contracts::Answer reference, contracts::Answer proposed, double threshold) {
  if (reference == 0) return proposed != 0;
  const double diff = std::fabs(static_cast<double>(proposed) - static_cast<double>(reference));
  return diff / std::fabs(static_cast<double>(reference)) >= threshold;
}

FluxTrigger decide(const FluxObservation& o) {
  if (!o.eligible) return FluxTrigger::none;
  if (o.round_id <= 1) return FluxTrigger::first_answer;  // no deviation check in round 1
  if (o.other_started_round) return FluxTrigger::new_round;
  if (o.heartbeat_due) return FluxTrigger::heartbeat;     // the idle poll: zero threshold
  if (deviation_exceeded(o.latest_submission, o.proposed, o.threshold)) return FluxTrigger::deviation;
  return FluxTrigger::none;
}

std::optional<double> median_price(std::vector<double> p) {
  if (p.empty()) return std::nullopt;
  std::sort(p.begin(), p.end());
  const std::size_t m = p.size() / 2;
  return p.size() % 2 ? p[m] : 0.5 * (p[m - 1] + p[m]);
}

FluxMonitor::FluxMonitor(sim::Simulation& sim, chain::Chain& chain, node::ChainlinkNode& node, chain::Address aggregator,
                         std::vector<providers::DataProvider*> providers, const FluxMonitorConfig& cfg, std::string job_name)
    : sim_(sim),
      chain_(chain),
      node_(node),
      aggregator_(aggregator),
      providers_(std::move(providers)),
      cfg_(cfg),
      name_(std::move(job_name)),
      phase_rng_(sim.stream("feeds/" + name_ + "/poll-phase")),
      poll_timer_(sim, [this] { poll(); }, "flux/poll"),
      idle_timer_(sim, [this] { check(); }, "flux/idle") {}

contracts::FluxAggregator* FluxMonitor::contract() const { return chain_.contract<contracts::FluxAggregator>(aggregator_); }

void FluxMonitor::start() {
  log_conn_ = chain_.log_emitted.connect([this](const chain::Log& l, const chain::Receipt&) { on_log(l); });
  poll_timer_.arm(sim::Duration::nanoseconds(
      static_cast<std::int64_t>(sim::uniform_index(phase_rng_, static_cast<std::uint64_t>(cfg_.poll_interval.ns())))));
  arm_idle_timer();
}

void FluxMonitor::set_aggregator(chain::Address aggregator) {
  aggregator_ = aggregator;
  in_flight_round_.reset();
  other_round_ = 0;
  idle_timer_.cancel();
  arm_idle_timer();
}

void FluxMonitor::arm_idle_timer() {
  const auto* agg = contract();
  if (agg == nullptr || agg->reporting_round() == 0) return;
  idle_timer_.arm_at(std::max(sim_.now(), agg->reporting_round_started_at() + cfg_.heartbeat));
}

void FluxMonitor::poll() {
  poll_timer_.arm(cfg_.poll_interval);
  check();
}

void FluxMonitor::check() {
  if (control_ && !control_->admit()) return;
  if (!node_.up()) return;
  providers::fetch_quotes(sim_, providers_, cfg_.provider_timeout, [this](std::vector<double> prices) {
    evaluate(prices.size() >= cfg_.min_quotes ? median_price(std::move(prices)) : std::nullopt);
  }, "flux/fetch");
}

void FluxMonitor::evaluate(std::optional<double> median) {
  if (!node_.up() || !median) return;
  auto* agg = contract();
  if (agg == nullptr) return;
  const sim::Time now = sim_.now();
  const auto rs = agg->oracle_round_state(node_.address(), now);
  FluxObservation o;
  o.eligible = rs.eligible && !(in_flight_round_ && *in_flight_round_ == rs.round_id);
  o.round_id = rs.round_id;
  o.latest_submission = rs.latest_submission;
  o.proposed = providers::to_answer(*median, cfg_.decimals);
  o.heartbeat_due = agg->reporting_round() > 0 && now >= agg->reporting_round_started_at() + cfg_.heartbeat;
  o.other_started_round = other_round_ != 0 && other_round_ == rs.round_id;
  o.threshold = cfg_.threshold;
  const FluxTrigger t = decide(o);
  if (t == FluxTrigger::none) return;

  const std::uint32_t rid = rs.round_id;
  const contracts::Answer answer = o.proposed;
  node::TxRequest req{.to = aggregator_,
                      .gas_limit = cfg_.gas_limit,
                      .calldata = contracts::FluxAggregator::submit_calldata(rid, answer),
                      .call = [rid, answer](chain::ExecContext& c) { c.self_as<contracts::FluxAggregator>().submit(c, rid, answer); },
                      .label = "flux/submit"};
  triggered.emit(now, t, rid);
  in_flight_round_ = rid;
  const bool ok = node_.txm().send(std::move(req), [this, rid](const chain::Receipt& r) {
    if (in_flight_round_ && *in_flight_round_ == rid) in_flight_round_.reset();
    submitted.emit(r);
  });
  if (ok) ++sent_;
  else in_flight_round_.reset();
}

void FluxMonitor::on_log(const chain::Log& log) {
  if (log.emitter != aggregator_ || log.event != "NewRound") return;
  const auto* ev = std::any_cast<contracts::NewRoundEvent>(&log.payload);
  if (ev == nullptr) return;
  idle_timer_.arm_at(std::max(sim_.now(), ev->started_at + cfg_.heartbeat));
  if (ev->started_by != node_.address()) {
    other_round_ = ev->round_id;
    check();
  }
}

}  // namespace models::feeds
