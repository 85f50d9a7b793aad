#pragma once
// The direct-request job of one Chainlink node for one Operator contract (after Chainlink's directrequest job
// type, simplified).
//
// The job listens for OracleRequest logs of its operator carrying its spec id, ignores requests paying less
// than min_contract_payment, and acts once a log has min_incoming_confirmations (RequestLogTracker: reorgs
// before that make it wait for re-inclusion; a request is never run twice). Before running it checks the
// request is still pending on the operator (eth_call; a cancelled request is skipped). The pipeline:
//   http GET  -> the provider named by the request's `get` parameter (latency and errors from the provider
//                model); an attempt that does not answer within http_timeout or fails is retried up to
//                http_retries times after retry_backoff;
//   jsonparse -> the quote's price (the request's `path` is recorded, not interpreted);
//   multiply  -> price x `times` (default 1), rounded to an integer;
//   ethabiencode + ethtx -> fulfillOracleRequest through the node's transaction manager (fees, bumping).
// A crashed node (node.up() false) does not run pipelines; logs seen while down are kept (the node's log
// backfill on restart) and processed on the first block after the restart.
// Simplified: one fulfilment tx per request (no resubmission after a revert); no job-level rate limiting; the
// pipeline's CPU time is zero.
#include <cstdint>
#include <map>
#include <string>

#include "models/chain/chain.hpp"
#include "models/faults/actor_control.hpp"
#include "models/contracts/operator.hpp"
#include "models/node/node.hpp"
#include "models/providers/data_provider.hpp"
#include "models/request/request_log_tracker.hpp"
#include "sim/config_issue.hpp"
#include "sim/signal.hpp"
#include "sim/simulation.hpp"

namespace models::request {

struct DirectRequestJobConfig {
  std::uint32_t min_incoming_confirmations = 3;  // blocks; facts §3: MinIncomingConfirmations 3
  contracts::Juels min_contract_payment = 100'000'000'000'000'000ULL;  // juels; facts §3: MinContractPayment 0.1 LINK
  sim::Duration http_timeout = sim::Duration::nanoseconds(5'000'000'000);  // per HTTP attempt; assumption: 5 s
  std::uint32_t http_retries = 2;   // extra attempts after a failure or timeout; assumption
  sim::Duration retry_backoff = sim::Duration::nanoseconds(1'000'000'000);  // wait before a retry; assumption: 1 s
  chain::Gas gas_limit = 500'000;   // fulfilment tx gas limit; assumption (Chainlink default gas limit 500,000)

  sim::ConfigIssues validate(const std::string& path) const;
};

// Parses the request's `times` parameter (an integer, default 1 when absent); nullopt when malformed.
std::optional<std::int64_t> parse_times(const contracts::RequestData& data);
// price x times rounded to the nearest integer; nullopt on overflow or a non-finite price.
std::optional<std::int64_t> multiply(double price, std::int64_t times);

// Why a run ended without a fulfilment tx.
enum class RunFailure { below_min_payment, not_pending, unknown_source, bad_params, http_failed, send_failed };
const char* to_string(RunFailure f);

class DirectRequestJob {
 public:
  // The node's fault handle (model request-node): a crash fault suppresses the job's block handling.
  void set_control(faults::ActorControl* control) { control_ = control; }
  // `providers` maps a request's `get` value to a provider (the "URL" of its API).
  DirectRequestJob(sim::Simulation& sim, chain::Chain& chain, node::ChainlinkNode& node, chain::Address operator_address,
                   std::uint64_t spec_id, std::map<std::string, providers::DataProvider*> providers,
                   const DirectRequestJobConfig& cfg, std::string name);
  DirectRequestJob(const DirectRequestJob&) = delete;
  DirectRequestJob& operator=(const DirectRequestJob&) = delete;

  const std::string& name() const { return name_; }
  node::ChainlinkNode& node() { return node_; }
  chain::Address operator_address() const { return operator_; }
  const RequestLogTracker& tracker() const { return tracker_; }
  std::uint64_t runs_started() const { return started_; }
  std::uint64_t fulfilments_sent() const { return sent_; }

  // (time, request id): confirmations reached, the pipeline starts.
  sim::Signal<sim::Time, contracts::RequestId> run_started;
  // (time, request id, reason): the run ended without sending.
  sim::Signal<sim::Time, contracts::RequestId, RunFailure> run_failed;
  // (request id, receipt): the fulfilment tx was included (success or revert).
  sim::Signal<contracts::RequestId, chain::Receipt> fulfilment_included;

 private:
  void on_log(const chain::Log& log, const chain::Receipt& r);
  void on_block(const chain::Block& b);
  void run(const contracts::OracleRequestEvent& ev);
  void fetch(const contracts::OracleRequestEvent& ev, providers::DataProvider* p, std::uint32_t attempt);
  void send(const contracts::OracleRequestEvent& ev, std::int64_t value);
  void fail(const contracts::OracleRequestEvent& ev, RunFailure f);

  sim::Simulation& sim_;
  chain::Chain& chain_;
  node::ChainlinkNode& node_;
  chain::Address operator_;
  std::uint64_t spec_id_;
  std::map<std::string, providers::DataProvider*> providers_;
  DirectRequestJobConfig cfg_;
  std::string name_;
  RequestLogTracker tracker_;
  std::uint64_t started_ = 0;
  std::uint64_t sent_ = 0;
  sim::Connection log_conn_;
  sim::Connection block_conn_;
  sim::Connection reorg_conn_;
  faults::ActorControl* control_ = nullptr;
};

}  // namespace models::request
