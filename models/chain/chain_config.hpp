#pragma once
// Configuration of the simulated Ethereum chain (scenario key `chain:`). Every field has a default, a unit and
// a comment citing the facts file (../shared/reference/chainlink-facts.md) or saying it is an assumption.
#include <cstdint>
#include <optional>

#include "models/chain/types.hpp"
#include "sim/config_issue.hpp"
#include "sim/time.hpp"

namespace models::chain {

// Background demand: the gas that everyone else wants in a block, a stochastic process per block.
//   x_k = persistence * x_(k-1) + volatility * sqrt(1 - persistence^2) * N(0,1)        (AR(1), stationary sd = volatility)
//   demand_k = gas_limit * mean_utilisation * multiplier * exp(x_k - volatility^2/2) * (reference / base_fee)^elasticity
// The elasticity term (users send less when gas is dear) makes the base fee mean-revert around the reference
// fee instead of drifting like a pure random walk; a congestion multiplier m moves the equilibrium fee to
// reference * m^(1/elasticity). Calibration (assumption, not in the facts): at the defaults the base fee moves a few
// percent per block and its extremes over a day are about 0.4x and 2.2x the reference, as mainnet's wander.
struct DemandConfig {
  double mean_utilisation = 0.5;   // demand / gas limit at the reference fee (0.5 = the EIP-1559 target); assumption
  double volatility = 0.3;         // stationary standard deviation of log demand; assumption
  double persistence = 0.9;        // AR(1) coefficient per block, in [0, 1); assumption
  double elasticity = 1.0;         // price elasticity of demand (>= 0; 0 = none); assumption
  Wei reference_base_fee = 0;      // wei; fee at which demand equals mean_utilisation; 0 = the initial base fee
  Wei tip_median = kGwei;          // wei; median priority fee of background txs (log-normal); assumption
  double tip_sigma = 1.0;          // log-space sd of background tips; assumption
  std::uint32_t tip_samples = 8;   // background tips reported per block for fee estimators; assumption
};

// Shallow reorganisations: at a slot, with `probability`, the last k blocks (k uniform in 1..max_depth) are
// replaced by new blocks at the same heights; their transactions return to the mempool and are re-included.
struct ReorgConfig {
  double probability = 0.0;        // per produced block; 0 disables reorgs (mainnet post-merge reorgs are rare); assumption
  std::uint32_t max_depth = 1;     // blocks, >= 1 and < finality_depth; assumption
};

// The kind of chain (scenario `chain.preset`): its slot time when `slot` is unset, and the OCR minimums libocr's
// public_config.go enforces for it (models/feeds/feed_config.hpp): Ethereum is a "slow updates" chain, Arbitrum,
// Base, Polygon and other L2s are "fast updates" chains (facts §1).
enum class ChainPreset { ethereum, fast };

struct ChainConfig {
  ChainPreset preset = ChainPreset::ethereum;  // facts §1, §6: the deployed feeds under study are mostly Ethereum's
  // Block time; unset: the preset's (ethereum: facts §6 slot 12 s; fast: 2 s, assumption: Base's and Polygon's
  // block time, Arbitrum's is shorter).
  std::optional<sim::Duration> slot;
  double missed_slot_probability = 0.01;     // probability a slot has no block; assumption (~1% on mainnet)
  Gas gas_limit = 30'000'000;                // gas per block; facts §6: block gas limit 30 M (2021 to Feb 2025)
  Wei initial_base_fee = kGwei;              // wei; facts §6: initial base fee 1 gwei
  std::uint64_t elasticity_multiplier = 2;   // facts §6: target = gas limit / 2
  std::uint64_t base_fee_max_change_denominator = 8;  // facts §6: base fee changes at most 12.5% per block
  DemandConfig demand;                       // background demand (see above)
  sim::Duration propagation_delay = sim::Duration::nanoseconds(1'000'000'000);  // submission to builder visibility; assumption
  std::uint32_t finality_depth = 50;         // blocks until final; facts §3: node FinalityDepth 50
  ReorgConfig reorg;                         // optional shallow reorgs
  std::uint32_t replacement_bump_percent = 10;  // % both fee cap and tip must rise to replace; assumption (geth txpool PriceBump 10)

  sim::Duration slot_time() const;  // `slot`, or the preset's
};

// The slot time of a preset.
sim::Duration preset_slot(ChainPreset p);

// Checks ranges; `path` is the scenario key of the struct ("chain").
sim::ConfigIssues validate(const ChainConfig& c, const std::string& path = "chain");

}  // namespace models::chain
