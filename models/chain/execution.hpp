#pragma once
// How contracts run on the simulated chain.
//
// A contract is a C++ object deriving from Contract (usually StatefulContract<State>, which keeps all persistent
// state in one copyable struct so the chain can undo a failed transaction or a reorged block). A transaction
// carries a `call`: a closure run at inclusion, in block order, with an ExecContext:
//
//   struct AggState { std::uint64_t round = 0; ... };
//   class Aggregator : public chain::StatefulContract<AggState> {
//    public:
//     void submit(chain::ExecContext& c, std::uint64_t round, std::int64_t answer) {
//       c.gas().sload({address(), chain::slot_of(kRound)});
//       c.require(round == state_.round + 1, "invalid round");   // throws Revert
//       c.gas().sstore({address(), chain::slot_of(kRound)}, state_.round, round);
//       state_.round = round;
//       c.emit({.event = "NewRound", .topics = 3, .data_bytes = 32, .payload = NewRound{round}});
//     }
//   };
//   chain::Transaction tx{.from = me, .to = agg, .nonce = n, .gas_limit = 300'000, .max_fee = ..., .max_priority_fee = ...,
//                         .calldata = chain::CalldataBuilder{}.selector().uint(round).int_(answer).build(),
//                         .call = [round, answer](chain::ExecContext& c) { c.self_as<Aggregator>().submit(c, round, answer); },
//                         .label = "flux/submit"};
//
// Rules for contract code: charge gas for what you do before or as you do it; mutate only your own state (other
// contracts only through ExecContext::call); check with require() before effects where you can. If execution
// throws Revert or OutOfGas, every contract the tx entered is restored to its state before the tx and its logs
// are dropped. Off-chain reads (eth_call) use the contract's const methods directly and cost nothing.
//
// Simplified: no ETH value transfers, no 63/64 gas forwarding, one GasMeter shared by nested calls.
#include <any>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/chain/gas.hpp"
#include "models/chain/types.hpp"
#include "sim/time.hpp"

namespace models::chain {

// The block a transaction executes in.
struct BlockInfo {
  std::uint64_t number = 0;
  sim::Time timestamp{};  // block.timestamp (simulated time of the slot)
  Wei base_fee = 0;       // block.basefee, wei per gas
};

// An event (LOG) emitted by a contract. Listeners read `payload` with std::any_cast<TheEvent>(&log.payload).
struct Log {
  Address emitter{};             // filled in by ExecContext::emit
  std::string event;             // event name, e.g. "NewRound"
  std::uint32_t topics = 1;      // indexed topics including the signature (gas: 375 each)
  std::uint64_t data_bytes = 0;  // ABI data size in bytes (gas: 8 each)
  std::any payload;              // the typed event
};

// An opaque saved contract state.
using Snapshot = std::shared_ptr<const void>;

class Contract {
 public:
  virtual ~Contract() = default;
  // Set by the chain at deployment.
  Address address() const { return address_; }
  // Full copy of the persistent state, and its restoration (undo of a failed tx, reorgs).
  virtual Snapshot save() const = 0;
  virtual void restore(const Snapshot& s) = 0;

 private:
  friend class ContractRegistry;
  Address address_{};
};

// A contract whose persistent state is one copyable struct `State` (kept in `state_`).
template <class State>
class StatefulContract : public Contract {
 public:
  Snapshot save() const override { return std::make_shared<const State>(state_); }
  void restore(const Snapshot& s) override { state_ = *static_cast<const State*>(s.get()); }
  const State& state() const { return state_; }

 protected:
  State state_{};
};

// Accounts and contracts by address. Addresses are handed out in creation order starting at 1.
class ContractRegistry {
 public:
  // A plain account (externally owned: a node's key, a consumer's wallet).
  Address create_account(std::string name);
  // Deploys a contract and returns its address.
  Address deploy(std::string name, std::shared_ptr<Contract> contract);
  Contract* find(Address a) const;
  // The contract at `a` as T, or nullptr if there is none or it is another type.
  template <class T>
  T* find_as(Address a) const {
    return dynamic_cast<T*>(find(a));
  }
  const std::string& name(Address a) const;
  std::size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;                 // index = address id - 1
  std::map<Address, std::shared_ptr<Contract>> contracts_;
};

class ExecContext;
using CallFn = std::function<void(ExecContext&)>;

// An EIP-1559 transaction as submitted to the chain.
struct Transaction {
  Address from{};
  Address to{};
  std::uint64_t nonce = 0;
  Gas gas_limit = 0;         // gas units
  Wei max_fee = 0;           // maxFeePerGas, wei per gas
  Wei max_priority_fee = 0;  // maxPriorityFeePerGas, wei per gas
  Calldata calldata{};       // size of the input, priced 4/16 per byte
  CallFn call;               // executed at inclusion; empty means nothing runs beyond the intrinsic cost
  std::string label;         // what the tx is for, e.g. "flux/submit" (for analysis and logs)
  // 21,000 + calldata: what the tx costs before any code runs.
  Gas intrinsic_gas() const { return gas::kTxBase + calldata.cost(); }
};

enum class TxStatus { success, reverted, out_of_gas };
const char* to_string(TxStatus s);

struct ExecResult {
  TxStatus status = TxStatus::success;
  std::string revert_reason;  // empty on success
  Gas gas_used = 0;           // what the sender pays for: after refund on success; the full limit when out of gas
  GasBreakdown breakdown;     // gas by category ("intrinsic", "calldata", "sload", ...) before refunds
  std::vector<Log> logs;      // empty unless success
  // Every contract the tx entered with its state before the tx (for undoing the block in a reorg).
  std::vector<std::pair<Address, Snapshot>> pre_state;
};

// What executing contract code sees: block, msg.sender, the gas meter, logs, nested calls.
class ExecContext {
 public:
  // `gas_price` is tx.gasprice (the effective price per gas, base fee + effective tip).
  ExecContext(const ContractRegistry& reg, GasMeter& gas, const BlockInfo& block, Address origin, Address to,
              Wei gas_price = 0);
  ExecContext(const ExecContext&) = delete;
  ExecContext& operator=(const ExecContext&) = delete;

  const BlockInfo& block() const { return block_; }
  std::uint64_t block_number() const { return block_.number; }
  sim::Time timestamp() const { return block_.timestamp; }
  Address origin() const { return origin_; }                 // tx.origin
  Wei gas_price() const { return gas_price_; }               // tx.gasprice: base fee + effective tip, wei per gas
  Gas gas_left() const { return gas_.remaining(); }          // gasleft()
  Address sender() const { return frames_.back().sender; }   // msg.sender
  Address self() const { return frames_.back().self; }       // address(this)
  GasMeter& gas() { return gas_; }

  // The contract executing now, as T (Revert if it is not a T).
  template <class T>
  T& self_as() {
    T* t = registry_.find_as<T>(self());
    if (t == nullptr) revert("call to an address without the expected contract");
    return *t;
  }
  // Emits an event from the executing contract; charges LOG gas (375 + 375 per topic + 8 per data byte).
  void emit(Log log);
  [[noreturn]] void revert(const std::string& reason) { throw Revert(reason); }
  void require(bool ok, std::string_view reason) {
    if (!ok) revert(std::string(reason));
  }

  struct CallOutcome {
    bool ok = true;
    std::string reason;  // the revert reason when !ok
  };
  // Calls the contract at `callee` (charges account access, 2,600 cold / 100 warm). Inside `fn`, sender() is the
  // caller and self() is the callee. A revert inside propagates, unless catch_revert: then the callee frame's
  // state changes and logs are undone and the outcome reports the reason (Solidity try/catch, low-level call).
  // Out of gas always propagates.
  CallOutcome call(Address callee, const CallFn& fn, bool catch_revert = false);

  // Used by execute_transaction.
  void run_root(const CallFn& fn);
  void undo_all();
  std::vector<Log> take_logs() { return std::move(logs_); }
  std::vector<std::pair<Address, Snapshot>> take_pre_state();

 private:
  struct Frame {
    Address sender;
    Address self;
    std::vector<std::pair<Address, Snapshot>> journal;  // state at the frame's first entry into each contract
    std::size_t log_mark = 0;
  };
  void enter(Address a);
  void undo(Frame& f);
  void merge_into_parent();

  const ContractRegistry& registry_;
  GasMeter& gas_;
  BlockInfo block_;
  Address origin_;
  Wei gas_price_;
  std::vector<Frame> frames_;
  std::vector<Log> logs_;
};

// Runs one transaction in `block`: charges the intrinsic gas, runs tx.call, undoes everything on failure.
// Pure: no scheduler; the chain calls it at inclusion.
ExecResult execute_transaction(const ContractRegistry& reg, const Transaction& tx, const BlockInfo& block);

}  // namespace models::chain
