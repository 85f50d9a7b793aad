#include "models/chain/base_fee.hpp"

#include <limits>

namespace models::chain {

Wei next_base_fee(Wei parent_base_fee, Gas parent_gas_used, Gas parent_gas_limit, const BaseFeeRule& rule) {
  const Gas target = parent_gas_limit / rule.elasticity_multiplier;
  if (target == 0 || parent_gas_used == target) return parent_base_fee;
  const Amount base = parent_base_fee;
  if (parent_gas_used > target) {
    const Amount delta = base * (parent_gas_used - target) / target / rule.max_change_denominator;
    const Amount next = base + (delta > 1 ? delta : 1);
    constexpr Amount kMax = std::numeric_limits<Wei>::max();
    return static_cast<Wei>(next > kMax ? kMax : next);
  }
  const Amount delta = base * (target - parent_gas_used) / target / rule.max_change_denominator;
  return static_cast<Wei>(base - delta);
}

}  // namespace models::chain
