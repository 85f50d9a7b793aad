#pragma once
// A Chainlink node's transaction manager: assigns nonces, prices transactions with the BlockHistoryEstimator,
// re-submits a transaction with the same nonce and a bumped fee when it has stayed unconfirmed for
// bump_threshold blocks, and tells the job its receipt. At most max_in_flight transactions are unconfirmed at
// once (MaxInFlightTransactions); more wait in a queue of at most max_queued (MaxQueuedTransactions), broadcast
// in order as earlier ones are included; a send beyond a full queue fails ("queue full").
//
//   TxManager& txm = node.txm();
//   txm.send({.to = aggregator, .gas_limit = 0 /*default*/, .calldata = cd, .call = fn, .label = "flux/submit"},
//            [](const chain::Receipt& r) { /* included: r.status, r.gas_used, r.block_number ... */ });
//
// The callback runs once per inclusion (again if a reorg undid the first one and the tx was re-included).
// crash() drops all in-memory state (queued work, attempts, callbacks); restart() rebuilds the nonce and the
// in-flight set from chain state (account nonce + the sender's pending mempool txs) and the fee history from
// the chain's recent blocks, as a node reloading from its RPC. Txs adopted on restart have no callback.
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/node/fee_estimator.hpp"
#include "models/node/node_config.hpp"
#include "sim/signal.hpp"

namespace models::node {

struct TxRequest {
  chain::Address to{};
  chain::Gas gas_limit = 0;      // 0: the node's default_gas_limit
  chain::Calldata calldata{};
  chain::CallFn call;            // runs at inclusion (see models/chain/execution.hpp)
  std::string label;             // e.g. "flux/submit"
};

using ReceiptCallback = std::function<void(const chain::Receipt&)>;

struct TxAttempt {
  chain::Address from{};
  std::uint64_t nonce = 0;
  chain::TxHash hash{};
  Fee fee{};
  std::uint32_t bump = 0;        // 0 for the first broadcast
  std::uint64_t broadcast_block = 0;
  std::string label;
};

struct TxSendError {
  chain::Address from{};
  std::uint64_t nonce = 0;
  std::string label;
  std::string error;
};

class TxManager {
 public:
  TxManager(sim::Simulation& sim, chain::Chain& chain, chain::Address key, const NodeConfig& cfg);
  TxManager(const TxManager&) = delete;
  TxManager& operator=(const TxManager&) = delete;

  // Prices and submits a tx with the next nonce, or queues it while max_in_flight txs are unconfirmed. Returns
  // false (and emits send_failed) if the chain rejected it (e.g. insufficient funds), the queue is full or the
  // node is down; the nonce is then not consumed.
  bool send(TxRequest req, ReceiptCallback on_included = {});

  void crash();
  void restart();
  bool up() const { return up_; }

  chain::Address address() const { return key_; }
  std::uint64_t next_nonce() const { return next_nonce_; }
  // Transactions sent and not yet final (pending or included in a reorgable block).
  std::size_t in_flight() const { return inflight_.size(); }
  std::size_t unconfirmed() const;
  std::size_t queued() const { return queue_.size(); }
  const BlockHistoryEstimator& estimator() const { return estimator_; }

  sim::Signal<TxAttempt> attempt_sent;       // every broadcast, first or bump
  sim::Signal<TxSendError> send_failed;      // a broadcast the chain rejected
  sim::Signal<chain::Receipt> included;      // our receipts (also delivered to the per-tx callback)

 private:
  struct InFlight {
    chain::Transaction tx;                   // the latest attempt's fields
    chain::TxHash hash{};                    // latest attempt
    std::uint32_t bumps = 0;
    std::uint64_t broadcast_block = 0;       // head when the latest attempt was sent
    std::uint64_t included_block = 0;        // 0 while pending
    ReceiptCallback on_included;
  };
  void on_block(const chain::Block& b);
  void on_receipt(const chain::Receipt& r);
  void on_reorg(const chain::Reorg& rg);
  void try_bump(std::uint64_t nonce, InFlight& f);
  bool broadcast(TxRequest req, ReceiptCallback on_included);
  void drain_queue();
  void load_history();

  // What on_block() reads (every node takes every block) in the first lines: the chain, whether it is up, its
  // transactions in flight and the estimator's history.
  chain::Chain& chain_;
  bool up_ = true;
  std::map<std::uint64_t, InFlight> inflight_;  // by nonce
  BlockHistoryEstimator estimator_;
  chain::Address key_;
  NodeConfig cfg_;
  std::deque<std::pair<TxRequest, ReceiptCallback>> queue_;  // waiting for an in-flight slot, in order
  std::uint64_t next_nonce_ = 0;
  sim::Connection block_conn_;
  sim::Connection receipt_conn_;
  sim::Connection reorg_conn_;
};

}  // namespace models::node
