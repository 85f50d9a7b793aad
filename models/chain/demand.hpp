#pragma once
// Background demand for block space (everyone but the simulated oracles): the AR(1) log-normal process with
// price elasticity described at DemandConfig, plus the tips those background transactions pay.
// Pure: the caller passes the random stream ("chain/demand"). Simplified: demand is one number per block and
// its tips a log-normal distribution; individual background transactions are not materialised.
#include <vector>

#include "models/chain/chain_config.hpp"
#include "sim/random.hpp"

namespace models::chain {

class BackgroundDemand {
 public:
  BackgroundDemand(const DemandConfig& cfg, Gas gas_limit, Wei initial_base_fee);

  // Advances the process one block and returns the gas demanded at `base_fee`, times `multiplier` (congestion).
  // Capped at 100 gas limits (a bound only; the block takes at most its limit).
  Gas next(sim::Rng& rng, Wei base_fee, double multiplier);
  // Share of background gas paying a tip strictly above `tip` (log-normal survival function).
  double share_with_tip_above(Wei tip) const;
  // `n` tips drawn from the background tip distribution (for the block's fee history).
  std::vector<Wei> sample_tips(sim::Rng& rng, std::uint32_t n) const;
  // The current log-demand state x_k (for tests and diagnostics).
  double state() const { return x_; }

 private:
  DemandConfig cfg_;
  Gas gas_limit_;
  double reference_fee_;
  double x_ = 0.0;
};

}  // namespace models::chain
