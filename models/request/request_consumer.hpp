#pragma once
// A consumer of the basic request model: a ChainlinkClient contract driven by an off-chain actor (its owner's
// wallet, with its own transaction manager for nonces and gas bumping).
//
// Requests arrive as a Poisson process (rate per hour) or in bursts (burst_size requests every burst_interval),
// drawn from the stream "request/<name>/arrivals"; each arrival sends a request tx (ChainlinkClient.request:
// LINK.transferAndCall to the next operator in round-robin order with the fee). The actor learns the request id
// and expiration from the receipt's OracleRequest log, the fulfilment from the operator's OracleResponse log,
// and once a pending request's expiration <= the head block's timestamp it sends cancelOracleRequest (refund).
// Simplified: a reorg that undoes a fulfilment or cancellation is not tracked by the actor (the contracts'
// state, and so the LINK accounting, stays exact); arrivals continue while the chain is congested.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/contracts/operator.hpp"
#include "models/node/tx_manager.hpp"
#include "sim/config_issue.hpp"
#include "sim/random.hpp"
#include "sim/signal.hpp"
#include "sim/simulation.hpp"
#include "sim/timer.hpp"

namespace models::request {

struct ArrivalConfig {
  enum class Kind { poisson, burst };
  Kind kind = Kind::poisson;
  double rate_per_hour = 60;          // poisson: mean requests per hour; assumption
  sim::Duration burst_interval = sim::Duration::nanoseconds(600'000'000'000);  // burst: time between bursts, default 10 min
  std::uint32_t burst_size = 10;      // burst: requests per burst
  sim::Duration start = sim::Duration::nanoseconds(60'000'000'000);  // first possible arrival after t = 0, default 1 min
};

struct RequestConsumerConfig {
  ArrivalConfig arrivals;
  std::uint64_t fee = 100'000'000'000'000'000ULL;     // juels per request (< 18.4 LINK); facts §3: typical fee 0.1 LINK
  std::string job_id = "eth-usd-get";                // job spec external id (hashed to the specId)
  std::string get = "exchange-a";                    // the API the job queries (a provider name)
  std::string path = "USD";                          // json path (recorded, not interpreted)
  std::int64_t times = 100'000'000;                  // multiplier of the price (8 decimals)
  chain::Gas request_gas_limit = 400'000;            // request tx gas limit; assumption
  chain::Gas cancel_gas_limit = 200'000;             // cancel tx gas limit; assumption
  bool cancel_expired = true;                        // cancel requests past expiry to get the refund

  sim::ConfigIssues validate(const std::string& path) const;
};

std::uint64_t spec_id_of(const std::string& job_id);

class RequestConsumer {
 public:
  // `client` is a deployed ChainlinkClient funded with LINK; `wallet` is the owner account's tx manager.
  RequestConsumer(sim::Simulation& sim, chain::Chain& chain, std::string name, chain::Address client,
                  node::TxManager& wallet, std::vector<chain::Address> operators, const RequestConsumerConfig& cfg);
  RequestConsumer(const RequestConsumer&) = delete;
  RequestConsumer& operator=(const RequestConsumer&) = delete;

  void start();
  void stop() { arrival_timer_.cancel(); }
  // Sends one request now (arrivals call this too).
  void send_request();

  const std::string& name() const { return name_; }
  chain::Address client() const { return client_; }
  std::size_t pending() const { return pending_.size(); }
  std::uint64_t arrivals() const { return arrivals_; }

  // Signals: (consumer, request id, receipt of the request tx).
  sim::Signal<std::string, contracts::RequestId, chain::Receipt> request_included;
  // (consumer, label, reason): a request or cancel tx was rejected or reverted.
  sim::Signal<std::string, std::string, std::string> tx_failed;
  // (consumer, request id, latency from arrival to the fulfilment's block, callback ok, payment, fulfilment receipt).
  sim::Signal<std::string, contracts::RequestId, sim::Duration, bool, contracts::Juels, chain::Receipt> fulfilled;
  // (consumer, request id): the request reached its expiration unfulfilled.
  sim::Signal<std::string, contracts::RequestId> expired;
  // (consumer, request id, refund, receipt of the cancel tx).
  sim::Signal<std::string, contracts::RequestId, contracts::Juels, chain::Receipt> cancelled;

 private:
  struct Pending {
    sim::Time arrived{};
    sim::Time expiration{};
    contracts::Juels payment = 0;
    chain::Address operator_address{};
    bool cancel_sent = false;
  };
  void schedule_next();
  void on_log(const chain::Log& log, const chain::Receipt& r);
  void on_block(const chain::Block& b);

  sim::Simulation& sim_;
  chain::Chain& chain_;
  std::string name_;
  chain::Address client_;
  node::TxManager& wallet_;
  std::vector<chain::Address> operators_;
  RequestConsumerConfig cfg_;
  std::uint64_t spec_id_;
  sim::Rng rng_;
  sim::Timer arrival_timer_;
  std::map<contracts::RequestId, Pending> pending_;
  std::uint64_t arrivals_ = 0;
  std::size_t next_operator_ = 0;
  sim::Connection log_conn_;
  sim::Connection block_conn_;
};

}  // namespace models::request
