#pragma once
// The metrics of the basic request model, from what the consumers and direct-request jobs report.
//
// Counts follow one rule: the cohort of requests made in the window. A request is made when its request tx is
// first included on chain (a request tx that reverts or is never included is no request); it belongs to the
// cohort when that inclusion is at or after begin_measurement. A reorg that re-includes a request (or its
// fulfilment) does not count it again: a request is one (consumer, request id). Each request of the cohort ends
// the run in exactly one state, so requests = fulfilled + expired + cancelled + pending:
//
//   requests                  the cohort
//   fulfilled                 answered (OracleResponse), even after its expiration if the answer came before the
//                             refund; failed_callbacks those whose callback reverted
//   cancelled                 reached their expiration unanswered and refunded (cancelOracleRequest included)
//   expired                   reached their expiration unanswered, not refunded by the end
//   pending                   neither answered nor expired at the end of the run
//   fulfillment_latency_s (_mean = the plain name, _p50, _p99)   arrival at the consumer -> fulfilment block, of
//                             the cohort's fulfilled requests
//   link_fees                 LINK paid for the cohort's fulfilled requests
//   gas_per_request           (gas of the cohort's request txs + fulfilment txs included in the window, reverted
//                             ones too) / requests
//   request_gas_total         gas of every request-model tx included in the window (requests, fulfilments, cancels,
//                             reverted ones too), by inclusion time
//   node_profit_link          link_fees - the nodes' fulfilment gas cost in LINK at link_eth (ETH per LINK)
//
// LINK accounting (spent = earned + refunds + escrow, token balances agreeing) is checked at finish over the whole
// run: a violation throws std::runtime_error.
#include <cstdint>
#include <map>
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

// The pure counting part (no signals), testable alone. Requests are keyed by (consumer index, request id); events
// for a request outside the cohort, or repeated by a reorg, are ignored.
class RequestMetrics {
 public:
  using Key = std::pair<std::size_t, models::contracts::RequestId>;
  explicit RequestMetrics(const RequestMetricsConfig& cfg) : cfg_(cfg) {}
  // A request's tx was included; in_window: at or after the start of measurement. Only its first inclusion counts.
  void on_request(const Key& k, bool in_window, std::uint64_t gas_used);
  void on_fulfilment_tx(std::uint64_t gas_used, std::uint64_t effective_price_wei);
  void on_fulfilled(const Key& k, double latency_s, bool callback_ok, double link_paid);
  void on_expired(const Key& k);
  void on_cancelled(const Key& k);
  void finish(MetricSet& out) const;

 private:
  enum class State { pending, fulfilled, expired, cancelled };
  struct Request {
    bool in_cohort = false;
    State state = State::pending;
  };
  Request* cohort_request(const Key& k);

  RequestMetricsConfig cfg_;
  std::map<Key, Request> requests_;  // every request seen (in the cohort or not), so a re-inclusion is recognised
  std::uint64_t failed_callbacks_ = 0;
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
