#pragma once
// Configuration of a Chainlink node's chain side (scenario keys under a feed's node settings, e.g.
// "feeds[0].node"): funding and the EIP-1559 gas estimator / bumping of its transaction manager.
// Defaults cite the facts file (../shared/reference/chainlink-facts.md) or say "assumption".
#include <cstdint>
#include <string>

#include "models/chain/types.hpp"
#include "sim/config_issue.hpp"

namespace models::node {

struct GasEstimatorConfig {
  std::uint32_t block_history_size = 4;           // blocks; facts §6: BlockHistorySize 4 on Ethereum
  std::uint32_t transaction_percentile = 50;      // percentile of recent tips; facts §6: percentile 50
  chain::Wei tip_cap_default = 1;                 // wei, tip when no history; facts §6: TipCapDefault 1 wei
  chain::Wei tip_cap_min = 1;                     // wei, floor of the tip; assumption (go-ethereum needs >= 1 wei)
  chain::Wei fee_cap_max = 100 * chain::kGwei;    // wei, ceiling of fee cap and bumps; facts §6: FeeCapDefault 100 gwei
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
  chain::Gas default_gas_limit = 500'000;          // gas limit when a job gives none; assumption (Chainlink DefaultGasLimit 500,000)
  GasEstimatorConfig gas;                          // fee estimation and bumping
};

sim::ConfigIssues validate(const GasEstimatorConfig& c, const std::string& path);
sim::ConfigIssues validate(const NodeConfig& c, const std::string& path = "node");

}  // namespace models::node
