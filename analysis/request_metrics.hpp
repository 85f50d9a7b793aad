#pragma once
// The metrics of the basic request model, from what the consumers and direct-request jobs report:
//
//   requests                  request txs included (a request exists on chain)
//   fulfilled                 requests answered (OracleResponse), failed_callbacks those whose callback reverted
//   expired, cancelled        requests that reached their expiration unanswered; refunds the consumers received
//   fulfillment_latency_s (_mean = the plain name, _p50, _p99)   arrival at the consumer -> fulfilment block
//   gas_per_request           (gas of request txs + fulfilment txs, reverted ones too) / requests
//   request_gas_total         gas of every request-model tx included in the window (requests, fulfilments, cancels,
//                             reverted ones too), by inclusion time
//   link_fees                 LINK paid for fulfilled requests
//   node_profit_link          link_fees - the nodes' fulfilment gas cost in LINK at link_eth (ETH per LINK)
//
// Window: events at or after begin_measurement. LINK accounting (spent = earned + refunds + escrow, token balances
// agreeing) is checked at finish over the whole run: a violation throws std::runtime_error.
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "analysis/collector.hpp"
#include "models/request/requests_subsystem.hpp"
#include "sim/signal.hpp"

namespace analysis {

struct RequestMetricsConfig {
  double link_eth = 0.005;  // ETH per LINK, for node_profit_link; assumption (scenario parameter)
};

// The pure counting part (no signals), testable alone.
class RequestMetrics {
 public:
  explicit RequestMetrics(const RequestMetricsConfig& cfg) : cfg_(cfg) {}
  void on_request(std::uint64_t gas_used);
  void on_fulfilment_tx(std::uint64_t gas_used, std::uint64_t effective_price_wei);
  void on_fulfilled(double latency_s, bool callback_ok, double link_paid);
  void on_expired() { ++expired_; }
  void on_cancelled() { ++cancelled_; }
  void finish(MetricSet& out) const;

 private:
  RequestMetricsConfig cfg_;
  std::uint64_t requests_ = 0, fulfilled_ = 0, failed_callbacks_ = 0, expired_ = 0, cancelled_ = 0;
  double gas_ = 0;
  double node_cost_eth_ = 0;
  double link_fees_ = 0;
  std::vector<double> latencies_;
};

class RequestMetricsCollector : public Collector {
 public:
  RequestMetricsCollector(models::request::RequestsPart& world, const RequestMetricsConfig& cfg);
  void begin_measurement(sim::Time t) override;
  void sample(sim::Time, SeriesRecorder&) override {}
  void finish(sim::Time end, MetricSet& out) override;

 private:
  models::request::RequestsPart& world_;
  RequestMetrics m_;
  bool measuring_ = false;
  sim::Time begin_{};
  std::vector<std::pair<sim::Time, double>> gas_;  // every request-model tx: (inclusion time, gas)
  std::vector<sim::Connection> conns_;
};

struct RunContext;
// The requests subsystem's collectors hook (analysis/subsystems.cpp).
void request_collectors(models::world::Part& part, const RunContext& run, std::vector<std::unique_ptr<Collector>>& out);

}  // namespace analysis
