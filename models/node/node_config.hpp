#pragma once
// Configuration of a Chainlink node's chain side (scenario keys under a feed's node settings, e.g.
// "feeds[0].node"): funding and the EIP-1559 gas estimator / bumping of its transaction manager.
// Defaults cite the facts file (../shared/reference/chainlink-facts.md) or say "assumption".
#include <cstdint>
#include <optional>
#include <string>

#include "models/chain/types.hpp"
#include "sim/config_issue.hpp"

namespace models::node {

// The Chainlink node's fee estimator mode (GasEstimator.Mode; facts §6: 'BlockHistory' on Ethereum).
enum class GasEstimatorMode {
  block_history,  // fee cap from the latest base fee x 1.125^N + tip, tip from past blocks
  fixed_price,    // fee cap = FeeCapDefault, tip = TipCapDefault
};

struct GasEstimatorConfig {
  GasEstimatorMode mode = GasEstimatorMode::block_history;  // facts §6: Mode 'BlockHistory' (Ethereum)
  std::uint32_t block_history_size = 4;           // blocks; facts §6: BlockHistorySize 4 on Ethereum
  std::uint32_t transaction_percentile = 50;      // percentile of recent tips; facts §6: TransactionPercentile 50
  chain::Wei tip_cap_default = 1;                 // wei, tip when no history; facts §6: TipCapDefault 1 wei
  chain::Wei tip_cap_min = 1;                     // wei, floor of the tip; facts §6: TipCapMinimum 1 wei
  // wei, the ceiling of every fee cap and bump; facts §6: PriceMax '100 micro' (100 micro-ETH = 100,000 gwei).
  chain::Wei price_max = 100'000 * chain::kGwei;
  chain::Wei fee_cap_default = 100 * chain::kGwei;  // wei, the fee cap of fixed_price only (at most price_max); facts §6: FeeCapDefault 100 gwei
  std::uint32_t bump_percent = 20;                // %, facts §6: BumpPercent 20
  chain::Wei bump_min = 5 * chain::kGwei;         // wei, facts §6: BumpMin 5 gwei
  std::uint32_t bump_threshold = 3;               // blocks unconfirmed before a bump; facts §6: BumpThreshold 3
  // Blocks of worst-case base fee growth (x1.125 each) built into the initial fee cap; 0 = bump_threshold + 1
  // (assumption: Chainlink's EIP1559FeeCapBufferBlocks default, release notes v1.1.1).
  std::uint32_t fee_cap_buffer_blocks = 0;
  std::uint32_t effective_buffer_blocks() const { return fee_cap_buffer_blocks != 0 ? fee_cap_buffer_blocks : bump_threshold + 1; }
};

struct NodeConfig {
  chain::Amount eth_balance = 10 * chain::kEther;  // wei funded at start; assumption
  chain::Gas default_gas_limit = 500'000;          // gas limit when a job gives none; facts §6: LimitDefault 500,000
  std::uint32_t max_in_flight = 16;                // unconfirmed txs at once; facts §6: MaxInFlightTransactions 16
  std::uint32_t max_queued = 250;                  // txs waiting for a slot; facts §6: MaxQueuedTransactions 250
  GasEstimatorConfig gas;                          // fee estimation and bumping
};

// A node's settings that override the run's defaults (scenario `nodes:`) for one feed or operator: unset fields
// keep the default.
struct GasEstimatorOverride {
  std::optional<GasEstimatorMode> mode;
  std::optional<std::uint32_t> block_history_size, transaction_percentile, bump_percent, bump_threshold,
      fee_cap_buffer_blocks;
  std::optional<chain::Wei> tip_cap_default, tip_cap_min, price_max, fee_cap_default, bump_min;
};
struct NodeOverride {
  std::optional<chain::Gas> default_gas_limit;
  std::optional<std::uint32_t> max_in_flight, max_queued;
  GasEstimatorOverride gas;
};
// `base` with every field `o` sets replaced.
NodeConfig resolve(NodeConfig base, const NodeOverride& o);

sim::ConfigIssues validate(const GasEstimatorConfig& c, const std::string& path);
sim::ConfigIssues validate(const NodeConfig& c, const std::string& path = "node");

}  // namespace models::node
