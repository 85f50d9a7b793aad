#include "analysis/request_metrics.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "analysis/statistics.hpp"

namespace analysis {

void RequestMetrics::on_request(const Key& k, bool in_window, std::uint64_t gas_used) {
  const auto [it, fresh] = requests_.try_emplace(k, Request{in_window, State::pending});
  if (fresh && in_window) gas_ += static_cast<double>(gas_used);
}

RequestMetrics::Request* RequestMetrics::cohort_request(const Key& k) {
  const auto it = requests_.find(k);
  return it == requests_.end() || !it->second.in_cohort ? nullptr : &it->second;
}

void RequestMetrics::on_fulfilment_tx(std::uint64_t gas_used, std::uint64_t effective_price_wei) {
  gas_ += static_cast<double>(gas_used);
  node_cost_eth_ += static_cast<double>(gas_used) * static_cast<double>(effective_price_wei) / 1e18;
}

void RequestMetrics::on_fulfilled(const Key& k, double latency_s, bool callback_ok, double link_paid) {
  Request* r = cohort_request(k);
  if (r == nullptr || (r->state != State::pending && r->state != State::expired)) return;
  r->state = State::fulfilled;
  if (!callback_ok) ++failed_callbacks_;
  latencies_.push_back(latency_s);
  link_fees_ += link_paid;
}

void RequestMetrics::on_expired(const Key& k) {
  Request* r = cohort_request(k);
  if (r != nullptr && r->state == State::pending) r->state = State::expired;
}

void RequestMetrics::on_cancelled(const Key& k) {
  Request* r = cohort_request(k);
  if (r != nullptr && (r->state == State::pending || r->state == State::expired)) r->state = State::cancelled;
}

void RequestMetrics::finish(MetricSet& out) const {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::uint64_t requests = 0, by_state[4] = {0, 0, 0, 0};
  for (const auto& [k, r] : requests_) {
    if (!r.in_cohort) continue;
    ++requests;
    ++by_state[static_cast<int>(r.state)];
  }
  out.set("requests", static_cast<double>(requests));
  out.set("fulfilled", static_cast<double>(by_state[static_cast<int>(State::fulfilled)]));
  out.set("expired", static_cast<double>(by_state[static_cast<int>(State::expired)]));
  out.set("cancelled", static_cast<double>(by_state[static_cast<int>(State::cancelled)]));
  out.set("pending", static_cast<double>(by_state[static_cast<int>(State::pending)]));
  out.set("failed_callbacks", static_cast<double>(failed_callbacks_));
  double sum = 0;
  for (double l : latencies_) sum += l;
  out.set("fulfillment_latency_s", latencies_.empty() ? nan : sum / static_cast<double>(latencies_.size()));
  out.set("fulfillment_latency_s_p50", latencies_.empty() ? nan : quantile(latencies_, 0.5));
  out.set("fulfillment_latency_s_p99", latencies_.empty() ? nan : quantile(latencies_, 0.99));
  out.set("gas_per_request", requests == 0 ? nan : gas_ / static_cast<double>(requests));
  out.set("link_fees", link_fees_);
  out.set("node_profit_link", link_fees_ - node_cost_eth_ / cfg_.link_eth);
}

RequestMetricsCollector::RequestMetricsCollector(models::request::RequestsPart& world, const RequestMetricsConfig& cfg)
    : world_(world), m_(cfg) {
  if (!(cfg.link_eth > 0)) throw std::invalid_argument("request metrics: link_eth must be > 0 (ETH per LINK)");
  for (std::size_t i = 0; i < world_.consumer_count(); ++i) {
    auto& c = world_.consumer(i);
    conns_.push_back(c.request_included.connect([this, i](const std::string&, models::contracts::RequestId id,
                                                          const models::chain::Receipt& r) {
      m_.on_request({i, id}, measuring_ && r.block_time >= begin_, r.gas_used);
    }));
    conns_.push_back(c.fulfilled.connect([this, i](const std::string&, models::contracts::RequestId id, sim::Duration latency,
                                                   bool ok, models::contracts::Juels payment, const models::chain::Receipt&) {
      m_.on_fulfilled({i, id}, latency.seconds(), ok, models::chain::to_units_1e18(payment));
    }));
    conns_.push_back(c.expired.connect([this, i](const std::string&, models::contracts::RequestId id) { m_.on_expired({i, id}); }));
    conns_.push_back(c.cancelled.connect([this, i](const std::string&, models::contracts::RequestId id, models::contracts::Juels,
                                                   const models::chain::Receipt&) { m_.on_cancelled({i, id}); }));
  }
  conns_.push_back(world_.tx_included.connect([this](const models::chain::Receipt& r) {
    gas_.emplace_back(r.block_time, static_cast<double>(r.gas_used));
  }));
  for (std::size_t i = 0; i < world_.operator_count(); ++i) {
    conns_.push_back(world_.job(i).fulfilment_included.connect([this](models::contracts::RequestId, const models::chain::Receipt& r) {
      if (measuring_) m_.on_fulfilment_tx(r.gas_used, r.effective_gas_price);
    }));
  }
}

void RequestMetricsCollector::begin_measurement(sim::Time t) {
  measuring_ = true;
  begin_ = t;
}

void RequestMetricsCollector::finish(sim::Time end, MetricSet& out) {
  const auto acc = world_.link_accounting();
  if (!acc.violation.empty()) throw std::runtime_error("LINK conservation violated: " + acc.violation);
  m_.finish(out);
  double gas = 0;
  for (const auto& [t, g] : gas_)
    if (measuring_ && t >= begin_ && t < end) gas += g;
  out.set("request_gas_total", gas);
}

void request_collectors(models::world::Part& part, const RunContext& run, std::vector<std::unique_ptr<Collector>>& out) {
  auto& requests = dynamic_cast<models::request::RequestsPart&>(part);
  out.push_back(std::make_unique<RequestMetricsCollector>(requests, RequestMetricsConfig{requests.config().link_eth}));
  (void)run;
}

}  // namespace analysis
