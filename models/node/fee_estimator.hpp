#pragma once
// A Chainlink node's EIP-1559 fee estimation and gas bumping (after Chainlink's BlockHistoryEstimator and
// FixedPriceEstimator; facts §6). Pure: fed with blocks, no scheduler.
//
// block_history mode:
//   estimate(): tip = the `transaction_percentile` of the tips paid in the last `block_history_size` blocks
//     (index (n - 1) * p / 100 of the sorted tips), at least tip_cap_min, tip_cap_default when there is no
//     history; fee cap = latest base fee * 1.125^buffer_blocks + tip, at most price_max (PriceMax).
//   bump(): tip' = max(tip * (1 + bump%), tip + bump_min, current estimate); fee cap' = max(fee cap * (1 + bump%),
//     fee cap + bump_min, latest base * 1.125^buffer + tip'); both capped at price_max. nullopt when already there.
// fixed_price mode: fee cap = fee_cap_default (FeeCapDefault; price_max when bumping is off), tip = tip_cap_default;
//   bump() raises both by max(bump%, bump_min), capped at price_max.
// Nothing caps fees at FeeCapDefault in block_history mode: a node keeps up with a base fee up to PriceMax.
// Simplified: the history uses effective tips paid (what blocks expose here), not the txs' tip caps.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "models/chain/types.hpp"
#include "models/node/node_config.hpp"

namespace models::node {

struct Fee {
  chain::Wei fee_cap = 0;  // maxFeePerGas
  chain::Wei tip_cap = 0;  // maxPriorityFeePerGas
  friend bool operator==(const Fee&, const Fee&) = default;
};

class BlockHistoryEstimator {
 public:
  explicit BlockHistoryEstimator(const GasEstimatorConfig& cfg) : ring_(cfg.block_history_size), cfg_(cfg) {}

  // Adds a block (in increasing number; a lower or equal number replaces the tail, as after a reorg).
  void on_block(std::uint64_t number, chain::Wei base_fee, std::shared_ptr<const std::vector<chain::Wei>> tips);
  void on_block(std::uint64_t number, chain::Wei base_fee, std::span<const chain::Wei> tips) {
    on_block(number, base_fee, std::make_shared<const std::vector<chain::Wei>>(tips.begin(), tips.end()));
  }
  void reset() {
    for (std::size_t i = 0; i < size_; ++i) at(i).tips.reset();
    head_ = size_ = 0;
    tip_estimate_.reset();
  }

  chain::Wei tip_estimate() const;
  // The initial fee for a new transaction.
  Fee estimate() const;
  // A replacement fee for a transaction stuck at `original`, or nullopt if it cannot rise (at the cap).
  std::optional<Fee> bump(const Fee& original) const;
  // The fee cap that covers `buffer_blocks` of maximal base fee growth from the latest base fee, plus `tip`.
  chain::Wei fee_cap_for(chain::Wei tip) const;
  chain::Wei latest_base_fee() const { return size_ == 0 ? 0 : at(size_ - 1).base_fee; }
  std::size_t history() const { return size_; }
  const GasEstimatorConfig& config() const { return cfg_; }

 private:
  struct Entry {
    std::uint64_t number;
    chain::Wei base_fee;
    std::shared_ptr<const std::vector<chain::Wei>> tips;  // the block's, shared with every other estimator
  };
  // What on_block() touches first, in one cache line (every node's estimator takes every block).
  mutable std::optional<chain::Wei> tip_estimate_;  // tip_estimate() of the current history, once asked
  // The last block_history_size blocks, oldest first, in a ring (one allocation, no chunks per block): the i-th is
  // at(i), from head_.
  std::vector<Entry> ring_;
  std::uint32_t head_ = 0, size_ = 0;
  GasEstimatorConfig cfg_;
  Entry& at(std::size_t i) { return ring_[(head_ + i) % ring_.size()]; }
  const Entry& at(std::size_t i) const { return ring_[(head_ + i) % ring_.size()]; }
  chain::Wei compute_tip_estimate() const;
};

}  // namespace models::node
