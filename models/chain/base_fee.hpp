#pragma once
// EIP-1559 fee arithmetic, exactly as the EIP specifies it (integer division, in this order):
//   target = gas_limit / elasticity                                      (facts §6: target = gas limit / 2)
//   used == target: base unchanged
//   used >  target: base + max(base * (used - target) / target / 8, 1)  (facts §6)
//   used <  target: base - base * (target - used) / target / 8           (facts §6)
// and the per-transaction price: tip = min(maxPriorityFee, maxFee - base); price = base + tip (facts §6).
#include "models/chain/types.hpp"

namespace models::chain {

struct BaseFeeRule {
  std::uint64_t elasticity_multiplier = 2;           // facts §6: target = gas limit / 2
  std::uint64_t max_change_denominator = 8;          // facts §6: at most 12.5% per block
};

// The base fee of the child of a block with `parent_base_fee`, `parent_gas_used` and `parent_gas_limit`.
// Intermediate products are 128-bit, so no overflow for any 64-bit inputs; the result saturates at 2^64 - 1.
Wei next_base_fee(Wei parent_base_fee, Gas parent_gas_used, Gas parent_gas_limit, const BaseFeeRule& rule = {});

// The tip a transaction pays per gas in a block with `base_fee`: min(max_priority_fee, max_fee - base_fee).
// Requires max_fee >= base_fee (otherwise the tx is not includable; returns 0).
constexpr Wei effective_tip(Wei max_fee, Wei max_priority_fee, Wei base_fee) {
  if (max_fee < base_fee) return 0;
  const Wei headroom = max_fee - base_fee;
  return max_priority_fee < headroom ? max_priority_fee : headroom;
}
// base_fee + effective_tip: what the sender pays per gas.
constexpr Wei effective_gas_price(Wei max_fee, Wei max_priority_fee, Wei base_fee) {
  return base_fee + effective_tip(max_fee, max_priority_fee, base_fee);
}

}  // namespace models::chain
