#include "models/chain/chain_config.hpp"

#include <fmt/format.h>

namespace models::chain {

sim::Duration preset_slot(ChainPreset p) {
  return p == ChainPreset::fast ? sim::Duration::nanoseconds(2'000'000'000) : sim::Duration::nanoseconds(12'000'000'000);
}

sim::Duration ChainConfig::slot_time() const { return slot.value_or(preset_slot(preset)); }

sim::ConfigIssues validate(const ChainConfig& c, const std::string& path) {
  sim::ConfigIssues out;
  auto key = [&](const char* k) { return path + "." + k; };
  if (c.slot && c.slot->ns() <= 0) out.add(key("slot"), fmt::format("must be > 0 (got {})", *c.slot));
  if (!(c.missed_slot_probability >= 0 && c.missed_slot_probability < 1))
    out.add(key("missed_slot_probability"), fmt::format("must be in [0, 1) (got {})", c.missed_slot_probability));
  if (c.elasticity_multiplier == 0)
    out.add(key("elasticity_multiplier"), "must be >= 1 (the EIP-1559 value is 2)");
  else if (c.gas_limit / c.elasticity_multiplier == 0)
    out.add(key("gas_limit"), fmt::format("must give a positive target gas_limit / {} (got {})",
                                          c.elasticity_multiplier, c.gas_limit));
  if (c.gas_limit < 21'000) out.add(key("gas_limit"), fmt::format("must be >= 21000 (got {})", c.gas_limit));
  if (c.base_fee_max_change_denominator == 0)
    out.add(key("base_fee_max_change_denominator"), "must be >= 1 (the EIP-1559 value is 8)");
  if (c.initial_base_fee == 0) out.add(key("base_fee"), "must be > 0 wei (EIP-1559 starts at 1 gwei)");
  const DemandConfig& d = c.demand;
  if (!(d.mean_utilisation >= 0 && d.mean_utilisation <= 10))
    out.add(key("demand.mean_utilisation"), fmt::format("must be in [0, 10] (got {})", d.mean_utilisation));
  if (!(d.volatility >= 0 && d.volatility <= 5))
    out.add(key("demand.volatility"), fmt::format("must be in [0, 5] (got {})", d.volatility));
  if (!(d.persistence >= 0 && d.persistence < 1))
    out.add(key("demand.persistence"), fmt::format("must be in [0, 1) (got {})", d.persistence));
  if (!(d.elasticity >= 0 && d.elasticity <= 10))
    out.add(key("demand.elasticity"), fmt::format("must be in [0, 10] (got {})", d.elasticity));
  if (d.tip_median == 0) out.add(key("demand.tip_median"), "must be > 0 wei");
  if (!(d.tip_sigma > 0 && d.tip_sigma <= 5))
    out.add(key("demand.tip_sigma"), fmt::format("must be in (0, 5] (got {})", d.tip_sigma));
  if (c.propagation_delay.ns() < 0 || c.propagation_delay >= c.slot_time())
    out.add(key("propagation_delay"), fmt::format("must be in [0, slot) (got {})", c.propagation_delay));
  if (c.finality_depth == 0) out.add(key("finality_depth"), "must be >= 1 block");
  if (!(c.reorg.probability >= 0 && c.reorg.probability < 1))
    out.add(key("reorg.probability"), fmt::format("must be in [0, 1) (got {})", c.reorg.probability));
  if (c.reorg.max_depth == 0 || c.reorg.max_depth >= c.finality_depth)
    out.add(key("reorg.max_depth"),
            fmt::format("must be in [1, finality_depth - 1] = [1, {}] (got {})", c.finality_depth - 1, c.reorg.max_depth));
  if (c.replacement_bump_percent == 0 || c.replacement_bump_percent > 1000)
    out.add(key("replacement_bump_percent"), fmt::format("must be in [1, 1000] (got {})", c.replacement_bump_percent));
  return out;
}

}  // namespace models::chain
