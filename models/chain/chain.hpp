#pragma once
// The simulated Ethereum chain actor: a block every slot (unless missed or halted), EIP-1559 base fee,
// background demand, a mempool, contract execution at inclusion in block order, receipts, confirmations,
// finality, optional shallow reorgs, and the fault hooks `congestion`, `halt`, `gas_spike`.
//
// Block building at a slot: the base fee was fixed by the parent; background demand D is drawn; our pending
// txs are taken in effective-tip order while  ours_so_far + gas_limit(tx) + D * share(background tips > tip)
// <= block gas limit  (background gas paying a higher tip goes first); the txs execute in that order; the
// background fills what is left up to D. gas_used = ours (actual) + background; the next base fee follows.
// Simplified: packing budgets our txs by gas limit; background txs are not materialised (only their gas and a
// tip sample for fee estimators); priority fees go to an anonymous builder; no uncles, one block per slot.
//
// A node submits with submit(tx) and learns the outcome from the signals (tx_included carries the receipt,
// tx_dropped a replacement or invalidation, reorged the receipts that were undone) or by polling receipt().
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/chain/base_fee.hpp"
#include "models/chain/chain_config.hpp"
#include "models/chain/demand.hpp"
#include "models/chain/execution.hpp"
#include "models/chain/mempool.hpp"
#include "sim/random.hpp"
#include "sim/signal.hpp"
#include "sim/simulation.hpp"
#include "sim/timer.hpp"

namespace models::chain {

struct Block {
  std::uint64_t number = 0;
  sim::Time timestamp{};
  Wei base_fee = 0;            // wei per gas
  Gas gas_limit = 0;
  Gas gas_used = 0;            // ours + background
  Gas background_gas = 0;      // included background gas
  Gas background_demand = 0;   // background gas wanted (may exceed what fit)
  std::vector<TxHash> txs;     // our txs in execution order
  // Priority fees paid in the block (ours + a background sample), for fee estimators; shared, never changed, so that
  // every node's estimator keeps the same list instead of a copy.
  std::shared_ptr<const std::vector<Wei>> tips = std::make_shared<const std::vector<Wei>>();
  Amount burned = 0;           // base fee * gas_used, wei
};

struct Receipt {
  TxHash hash{};
  Address from{};
  Address to{};
  std::uint64_t nonce = 0;
  std::string label;
  std::uint64_t block_number = 0;
  sim::Time block_time{};
  std::uint32_t index = 0;        // position among our txs in the block
  sim::Time submitted{};          // when this hash was submitted
  TxStatus status = TxStatus::success;
  std::string revert_reason;
  Gas gas_limit = 0;
  Gas gas_used = 0;
  Wei base_fee = 0;
  Wei effective_gas_price = 0;    // base + tip, wei per gas
  Wei priority_fee = 0;           // effective tip, wei per gas
  GasBreakdown breakdown;
  std::vector<Log> logs;
  Amount fee() const { return Amount{gas_used} * effective_gas_price; }
};

enum class TxState { unknown, pending, included, replaced, dropped };

struct TxDropped {
  TxHash hash{};
  Address from{};
  std::uint64_t nonce = 0;
  std::string reason;        // "replaced", "nonce too low", "insufficient funds"
  TxHash replaced_by{};      // for "replaced"
};

struct Reorg {
  std::uint64_t old_head = 0;
  std::uint64_t common_ancestor = 0;      // last block kept
  std::vector<Receipt> undone;            // receipts of the dropped blocks (their txs are pending again)
};

struct SubmitResult {
  bool accepted = false;
  TxHash hash{};
  std::string error;          // why it was rejected
  std::optional<TxHash> replaced;
};

struct Account {
  std::uint64_t nonce = 0;    // next nonce to be included
  Amount balance = 0;         // wei
  Amount fees_paid = 0;       // wei spent on gas, total
};

class Chain {
 public:
  Chain(sim::Simulation& sim, const ChainConfig& cfg);
  Chain(const Chain&) = delete;
  Chain& operator=(const Chain&) = delete;

  // Schedules the first slot (block 1 at t = slot). Call once before running.
  void start();

  // Accounts and contracts.
  Address create_account(std::string name, Amount balance = 0);
  Address deploy(std::string name, std::shared_ptr<Contract> contract);
  void fund(Address a, Amount wei);
  ContractRegistry& contracts() { return registry_; }
  const ContractRegistry& contracts() const { return registry_; }
  template <class T>
  T* contract(Address a) const { return registry_.find_as<T>(a); }
  Amount balance(Address a) const;
  std::uint64_t nonce(Address a) const;          // next nonce to be included (eth_getTransactionCount latest)
  std::uint64_t pending_nonce(Address a) const;  // after the sender's consecutive pending txs ("pending")
  Amount fees_paid(Address a) const;
  const std::map<Address, Account>& accounts() const { return accounts_; }

  // Submits a tx (validated now, visible to builders after propagation_delay). Rejections: fee cap below tip,
  // gas limit below intrinsic or above the block limit, nonce too low, insufficient funds for gas_limit *
  // max_fee, underpriced replacement.
  SubmitResult submit(Transaction tx);
  TxState state(TxHash h) const;
  const Receipt* receipt(TxHash h) const;
  const PendingTx* pending(TxHash h) const { return mempool_.find(h); }
  std::vector<const PendingTx*> pending_from(Address a) const { return mempool_.from(a); }
  std::size_t mempool_size() const { return mempool_.size(); }

  // Chain state.
  std::uint64_t head_number() const { return blocks_.empty() ? 0 : blocks_.back().number; }
  const Block* head() const { return blocks_.empty() ? nullptr : &blocks_.back(); }
  const Block* block(std::uint64_t number) const;      // kept for the last `history` blocks
  const std::deque<Block>& recent_blocks() const { return blocks_; }
  Wei next_base_fee() const { return next_base_fee_; } // base fee of the next block
  std::uint64_t confirmations(TxHash h) const;          // 0 if not included; 1 in the head block
  std::uint64_t finalized_number() const;              // highest final block
  Amount burned() const { return burned_; }
  Amount priority_fees() const { return priority_fees_; }
  std::uint64_t produced_blocks() const { return produced_; }
  std::uint64_t missed_slots() const { return missed_; }
  const ChainConfig& config() const { return cfg_; }

  // Fault hooks (registered as fault kinds by chain_faults.hpp).
  void set_demand_multiplier(double m);        // baseline background demand factor (1 = normal)
  // congestion: multiplies demand by m until remove_congestion(id); overlapping congestions multiply.
  std::uint64_t add_congestion(double m);
  void remove_congestion(std::uint64_t id);
  double demand_multiplier() const;            // baseline x every active congestion
  void halt() { ++halt_depth_; }               // no blocks until as many resume() calls
  void resume() { if (halt_depth_ > 0) --halt_depth_; }
  bool halted() const { return halt_depth_ > 0; }
  std::uint64_t halted_slots() const { return halted_slots_; }
  void spike_base_fee(double factor);          // gas_spike: the next base fee x factor (then EIP-1559 as usual)

  // Signals (emitted synchronously during block production / submission).
  sim::Signal<Block> block_produced;
  sim::Signal<Receipt> tx_included;
  // The receipts of one sender's transactions, emitted right after tx_included: a wallet listens to its own instead
  // of being called for every transaction of the block.
  sim::Signal<Receipt>& tx_included_from(Address from) { return included_from_[from]; }
  sim::Signal<TxDropped> tx_dropped;
  sim::Signal<Reorg> reorged;
  sim::Signal<Log, Receipt> log_emitted;       // every log of a successful tx, in block order
  sim::Signal<std::uint64_t> block_finalized;  // block number that just became final

 private:
  std::map<Address, sim::Signal<Receipt>> included_from_;  // looked up by sender, never iterated
  struct BlockUndo {
    std::map<Address, Account> accounts;
    std::vector<std::pair<Address, Snapshot>> contracts;  // first pre-state per contract in the block
    Amount burned = 0;
    Amount priority_fees = 0;
    Wei base_fee = 0;
    std::vector<PendingTx> txs;  // as they were in the mempool, for re-inclusion
  };
  void on_slot();
  void produce_block(sim::Time timestamp);
  void undo_blocks(std::uint32_t k);
  void drop(const PendingTx& p, std::string reason, TxHash by = {});
  Account& account(Address a) { return accounts_[a]; }

  sim::Simulation& sim_;
  ChainConfig cfg_;
  BaseFeeRule rule_;
  ContractRegistry registry_;
  Mempool mempool_;
  BackgroundDemand demand_;
  sim::Rng demand_rng_;
  sim::Rng slot_rng_;
  sim::Rng reorg_rng_;
  sim::Timer slot_timer_;
  std::map<Address, Account> accounts_;
  std::deque<Block> blocks_;                      // recent canonical blocks
  std::deque<BlockUndo> undo_;                    // one per recent block while reorgs are enabled
  std::map<TxHash, Receipt> receipts_;            // included txs (canonical chain)
  std::map<TxHash, TxState> states_;
  Wei next_base_fee_;
  std::uint64_t next_number_ = 1;
  std::uint64_t slot_index_ = 0;
  std::uint64_t next_hash_ = 1;
  std::uint64_t next_seq_ = 1;
  std::uint64_t produced_ = 0;
  std::uint64_t missed_ = 0;
  std::uint64_t finalized_ = 0;
  Amount burned_ = 0;
  Amount priority_fees_ = 0;
  double demand_multiplier_ = 1.0;
  std::map<std::uint64_t, double> congestion_;
  std::uint64_t next_congestion_ = 1;
  std::uint32_t halt_depth_ = 0;
  std::uint64_t halted_slots_ = 0;
  bool started_ = false;
};

}  // namespace models::chain
