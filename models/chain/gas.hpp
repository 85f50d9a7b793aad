#pragma once
// EVM gas costs and the GasMeter that contracts charge as they execute.
//
// Contracts do not use flat per-call constants: they charge what the function actually does (storage reads and
// writes with EIP-2929 warm/cold tracking, ecrecover calls, loop iterations, logs) and the calldata is priced
// from what it carries (CalldataBuilder). The chain charges the intrinsic cost (21,000 + calldata) itself.
//
//   GasMeter g{200'000};
//   g.sload(slot);                    // 2,100 cold, 100 once warm
//   g.sstore(slot, current, next);    // EIP-2200/2929/3529 rules from the slot's value in this tx
//   g.ecrecover();                    // 3,000
//   g.charge(gas::kLow * n, "median");   // compute
// A charge beyond the limit throws OutOfGas: the tx fails and pays its whole gas limit (EVM semantics).
//
// Simplified: memory expansion is charged only where a contract asks (memory_words), no 63/64 rule for calls.
#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/chain/types.hpp"

namespace models::chain {

namespace gas {
inline constexpr Gas kTxBase = 21'000;              // facts §2: tx base 21,000
inline constexpr Gas kCalldataZeroByte = 4;         // facts §2: calldata 4 gas per zero byte
inline constexpr Gas kCalldataNonZeroByte = 16;     // facts §2: calldata 16 gas per non-zero byte
inline constexpr Gas kEcrecover = 3'000;            // facts §2: ecrecover 3,000
inline constexpr Gas kColdSload = 2'100;            // facts §2: cold SLOAD 2,100 (EIP-2929)
inline constexpr Gas kWarmAccess = 100;             // facts §2: warm 100 (warm SLOAD / account / no-op SSTORE)
inline constexpr Gas kColdAccount = 2'600;          // facts §2: cold account 2,600 (EIP-2929)
inline constexpr Gas kSstoreSet = 20'000;           // facts §2: SSTORE set (zero -> non-zero) 20,000
inline constexpr Gas kSstoreReset = 2'900;          // facts §2: SSTORE reset (non-zero -> other) 2,900
// Not in the facts (assumption: values of EIP-3529 and the Yellow Paper / go-ethereum protocol_params.go).
inline constexpr Gas kSstoreClearsRefund = 4'800;   // assumption: EIP-3529 refund for clearing a slot
inline constexpr Gas kMaxRefundQuotient = 5;        // assumption: EIP-3529 refund capped at gas used / 5
inline constexpr Gas kLogBase = 375;                // assumption: LOG base cost (Yellow Paper)
inline constexpr Gas kLogTopic = 375;               // assumption: per LOG topic (Yellow Paper)
inline constexpr Gas kLogDataByte = 8;              // assumption: per byte of LOG data (Yellow Paper)
inline constexpr Gas kKeccakBase = 30;              // assumption: KECCAK256 base (Yellow Paper)
inline constexpr Gas kKeccakWord = 6;               // assumption: KECCAK256 per 32-byte word (Yellow Paper)
inline constexpr Gas kVeryLow = 3;                  // assumption: ADD/SUB/LT/MLOAD/PUSH... (Yellow Paper W_verylow)
inline constexpr Gas kLow = 5;                      // assumption: MUL/DIV (Yellow Paper W_low)
inline constexpr Gas kMid = 8;                      // assumption: JUMP/ADDMOD (Yellow Paper W_mid)
inline constexpr Gas kHigh = 10;                    // assumption: JUMPI (Yellow Paper W_high)
inline constexpr Gas kMemoryWord = 3;               // assumption: linear memory cost per 32-byte word
inline constexpr Gas kCallValue = 9'000;            // assumption: CALL that transfers ETH value
}  // namespace gas

// Calldata size split into zero and non-zero bytes (what the 4/16 gas pricing needs).
struct Calldata {
  std::uint64_t zero_bytes = 0;
  std::uint64_t nonzero_bytes = 0;
  std::uint64_t size() const { return zero_bytes + nonzero_bytes; }
  Gas cost() const { return zero_bytes * gas::kCalldataZeroByte + nonzero_bytes * gas::kCalldataNonZeroByte; }
  static Calldata from_bytes(std::span<const std::uint8_t> bytes);
  Calldata& operator+=(const Calldata& o) {
    zero_bytes += o.zero_bytes;
    nonzero_bytes += o.nonzero_bytes;
    return *this;
  }
};

// Builds the calldata of an ABI-encoded call from what it carries, counting zero bytes exactly:
//   CalldataBuilder{}.selector().uint(round_id).int(answer).build()
// Each argument is one 32-byte word, big-endian; small numbers are mostly zero bytes.
class CalldataBuilder {
 public:
  // The 4-byte function selector (assumed all non-zero, as typical).
  CalldataBuilder& selector();
  CalldataBuilder& uint(std::uint64_t v);             // uint256 holding v
  CalldataBuilder& int_(SignedWord v);               // int256 (two's complement: negatives are 0xff-filled)
  CalldataBuilder& address();                         // 12 zero + 20 non-zero bytes
  CalldataBuilder& bytes32();                         // a hash/signature word: 32 non-zero bytes
  CalldataBuilder& words(std::uint64_t n_zero_words, std::uint64_t n_full_words);
  CalldataBuilder& raw(std::uint64_t zero_bytes, std::uint64_t nonzero_bytes);
  // A dynamic array of n uint256 values: offset word + length word + the values.
  CalldataBuilder& uint_array(std::span<const std::uint64_t> values);
  Calldata build() const { return data_; }

 private:
  Calldata data_;
};

// Why a transaction's execution failed; thrown inside execution, caught by the chain.
class ExecutionFailure : public std::runtime_error {
 public:
  enum class Kind { revert, out_of_gas };
  ExecutionFailure(Kind k, const std::string& reason) : std::runtime_error(reason), kind_(k) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};
class OutOfGas : public ExecutionFailure {
 public:
  explicit OutOfGas(const std::string& what) : ExecutionFailure(Kind::out_of_gas, "out of gas: " + what) {}
};
class Revert : public ExecutionFailure {
 public:
  explicit Revert(const std::string& reason) : ExecutionFailure(Kind::revert, reason) {}
};

// Gas charged per category, in the order categories were first charged (deterministic).
using GasBreakdown = std::vector<std::pair<std::string, Gas>>;

// Counts the gas of one transaction against its limit, with EIP-2929 access lists and EIP-2200/3529 SSTORE.
class GasMeter {
 public:
  explicit GasMeter(Gas limit) : limit_(limit) {}

  // Charges `g` under category `what`; throws OutOfGas (and sets used() = limit()) if it exceeds the limit.
  void charge(Gas g, std::string_view what);
  // SLOAD: 2,100 if the slot is cold in this tx, else 100. Warms the slot.
  void sload(SlotKey key);
  // SSTORE of `next` into a slot holding `current` (contracts pass the value, or any stable non-zero
  // fingerprint of it; 0 means zero). Applies EIP-2929 cold surcharge, EIP-2200 dirty-slot pricing relative to
  // the slot's value at its first write in this tx, and EIP-3529 refunds.
  void sstore(SlotKey key, std::uint64_t current, std::uint64_t next);
  // Shorthand when only zero-ness is known: a non-zero -> non-zero write counts as a change.
  void sstore_zero(SlotKey key, bool current_zero, bool next_zero) {
    sstore(key, current_zero ? 0 : 1, next_zero ? 0 : (current_zero ? 1 : 2));
  }
  // Access to another account (CALL/BALANCE/EXTCODE*): 2,600 cold, 100 warm. Warms it.
  void account(Address a);
  // Marks an account warm without charging (tx sender and recipient are warm from the start, EIP-2929).
  void warm_account(Address a) { warm_accounts_.insert(a); }
  void ecrecover() { charge(gas::kEcrecover, "ecrecover"); }
  void calldata(const Calldata& c) { charge(c.cost(), "calldata"); }
  void calldata(std::span<const std::uint8_t> bytes) { calldata(Calldata::from_bytes(bytes)); }
  void calldata(std::uint64_t zero_bytes, std::uint64_t nonzero_bytes) { calldata(Calldata{zero_bytes, nonzero_bytes}); }
  // LOG with `topics` topics (including the event signature) and `data_bytes` bytes of data.
  void log(std::uint32_t topics, std::uint64_t data_bytes);
  // KECCAK256 over `bytes` bytes.
  void keccak(std::uint64_t bytes);
  // Linear memory cost of `words` 32-byte words (simplified: no quadratic term).
  void memory_words(std::uint64_t words) { charge(words * gas::kMemoryWord, "memory"); }

  Gas limit() const { return limit_; }
  Gas used() const { return used_; }
  Gas remaining() const { return limit_ - used_; }
  // Refund counter (may be negative transiently; EIP-2200 rules).
  std::int64_t refund_counter() const { return refund_; }
  // Gas the tx pays if it succeeds: used - min(refund, used / 5) (EIP-3529).
  Gas gas_used_after_refund() const;
  const GasBreakdown& breakdown() const { return breakdown_; }
  bool is_warm(SlotKey key) const { return warm_slots_.count(key) != 0; }
  bool is_warm(Address a) const { return warm_accounts_.count(a) != 0; }
  // Marks the whole limit as used (out of gas), keeping the breakdown consistent. Used by the chain.
  void exhaust(std::string_view what);

 private:
  void add(Gas g, std::string_view what);
  Gas limit_;
  Gas used_ = 0;
  std::int64_t refund_ = 0;
  GasBreakdown breakdown_;
  std::set<SlotKey> warm_slots_;
  std::set<Address> warm_accounts_;
  std::map<SlotKey, std::uint64_t> original_;  // slot value at its first write in this tx
};

}  // namespace models::chain
