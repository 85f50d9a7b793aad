#include "models/chain/gas.hpp"

#include <algorithm>
#include <cmath>

namespace models::chain {

std::string to_string_amount(Amount a) {
  if (a == 0) return "0";
  std::string s;
  while (a > 0) {
    s.push_back(static_cast<char>('0' + static_cast<int>(a % 10)));
    a /= 10;
  }
  std::reverse(s.begin(), s.end());
  return s;
}

std::string to_string_signed(SignedWord v) {
  if (v >= 0) return to_string_amount(static_cast<Amount>(v));
  return "-" + to_string_amount(Amount{0} - static_cast<Amount>(v));  // two's complement magnitude (also of the minimum)
}

SignedWord round_signed(double x) {
  constexpr auto kMax = static_cast<SignedWord>(~Amount{0} >> 1);
  if (std::isnan(x)) return 0;
  const double r = std::round(x);
  if (r >= 0x1p127) return kMax;
  if (r <= -0x1p127) return -kMax - 1;
  return static_cast<SignedWord>(r);
}

Calldata Calldata::from_bytes(std::span<const std::uint8_t> bytes) {
  Calldata c;
  for (std::uint8_t b : bytes) (b == 0 ? c.zero_bytes : c.nonzero_bytes) += 1;
  return c;
}

CalldataBuilder& CalldataBuilder::selector() { return raw(0, 4); }

CalldataBuilder& CalldataBuilder::uint(std::uint64_t v) {
  std::uint64_t nonzero = 0;
  for (int i = 0; i < 8; ++i)
    if ((v >> (8 * i)) & 0xff) ++nonzero;
  return raw(32 - nonzero, nonzero);
}

CalldataBuilder& CalldataBuilder::int_(SignedWord v) {
  // The low 16 bytes exactly; sign extension fills the 16 high bytes with 0x00 or (negative) 0xff.
  const auto u = static_cast<Amount>(v);
  std::uint64_t nonzero = v < 0 ? 16 : 0;
  for (int i = 0; i < 16; ++i)
    if ((u >> (8 * i)) & 0xff) ++nonzero;
  return raw(32 - nonzero, nonzero);
}

CalldataBuilder& CalldataBuilder::address() { return raw(12, 20); }
CalldataBuilder& CalldataBuilder::bytes32() { return raw(0, 32); }

CalldataBuilder& CalldataBuilder::words(std::uint64_t n_zero_words, std::uint64_t n_full_words) {
  return raw(32 * n_zero_words, 32 * n_full_words);
}

CalldataBuilder& CalldataBuilder::raw(std::uint64_t zero_bytes, std::uint64_t nonzero_bytes) {
  data_ += Calldata{zero_bytes, nonzero_bytes};
  return *this;
}

CalldataBuilder& CalldataBuilder::uint_array(std::span<const std::uint64_t> values) {
  uint(0x20);  // offset word (a small number: one non-zero byte)
  uint(values.size());
  for (std::uint64_t v : values) uint(v);
  return *this;
}

void GasMeter::add(Gas g, std::string_view what) {
  used_ += g;
  for (auto& [name, total] : breakdown_)
    if (name == what) {
      total += g;
      return;
    }
  breakdown_.emplace_back(std::string(what), g);
}

void GasMeter::charge(Gas g, std::string_view what) {
  if (g > limit_ - used_) {
    exhaust(what);
    throw OutOfGas(std::string(what));
  }
  add(g, what);
}

void GasMeter::exhaust(std::string_view what) {
  if (used_ < limit_) add(limit_ - used_, what);
}

void GasMeter::sload(SlotKey key) {
  const bool cold = warm_slots_.insert(key).second;
  charge(cold ? gas::kColdSload : gas::kWarmAccess, "sload");
}

void GasMeter::sstore(SlotKey key, std::uint64_t current, std::uint64_t next) {
  const bool cold = warm_slots_.insert(key).second;
  const std::uint64_t original = original_.try_emplace(key, current).first->second;
  Gas cost = cold ? gas::kColdSload : 0;
  std::int64_t refund = 0;
  constexpr auto kClears = static_cast<std::int64_t>(gas::kSstoreClearsRefund);
  if (current == next) {
    cost += gas::kWarmAccess;
  } else if (original == current) {
    if (original == 0) {
      cost += gas::kSstoreSet;
    } else {
      cost += gas::kSstoreReset;
      if (next == 0) refund += kClears;
    }
  } else {
    cost += gas::kWarmAccess;
    if (original != 0) {
      if (current == 0) refund -= kClears;
      else if (next == 0) refund += kClears;
    }
    if (original == next)
      refund += static_cast<std::int64_t>(original == 0 ? gas::kSstoreSet - gas::kWarmAccess
                                                        : gas::kSstoreReset - gas::kWarmAccess);
  }
  charge(cost, "sstore");
  refund_ += refund;
}

void GasMeter::account(Address a) {
  const bool cold = warm_accounts_.insert(a).second;
  charge(cold ? gas::kColdAccount : gas::kWarmAccess, "account");
}

void GasMeter::log(std::uint32_t topics, std::uint64_t data_bytes) {
  charge(gas::kLogBase + gas::kLogTopic * topics + gas::kLogDataByte * data_bytes, "log");
}

void GasMeter::keccak(std::uint64_t bytes) {
  charge(gas::kKeccakBase + gas::kKeccakWord * ((bytes + 31) / 32), "keccak");
}

Gas GasMeter::gas_used_after_refund() const {
  const Gas refund = refund_ > 0 ? static_cast<Gas>(refund_) : 0;
  return used_ - std::min(refund, used_ / gas::kMaxRefundQuotient);
}

}  // namespace models::chain
