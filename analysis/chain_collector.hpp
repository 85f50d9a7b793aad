#pragma once
// The chain's share of a run: who used the one chain's block space, over the blocks produced in the measurement
// window (blocks undone by a reorg are not counted):
//
//   chain_blocks               canonical blocks in the window
//   chain_gas_used             their gas used (our transactions + background demand)
//   chain_gas_background       the background demand's part
//   chain_gas_<subsystem>      gas of the receipts sent from accounts the subsystem created (chain_gas_feeds, ...),
//                              one per built subsystem (0 when it sent nothing); chain_gas_other: any other sender
//   oracle_gas_share           (chain_gas_used - chain_gas_background) / chain_gas_used
//   block_oracle_gas_share_p50/_p99/_max   the same share block by block, its median, 99th percentile, maximum
//   chain_reorgs               reorgs whose dropped head block was in the window
//   chain_blocks_orphaned      blocks in the window that a reorg dropped
//
// For every block, the receipts' gas summed over the subsystems equals gas used minus background gas.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analysis/collector.hpp"
#include "models/world/world.hpp"
#include "sim/signal.hpp"

namespace analysis {

class ChainCollector : public Collector {
 public:
  ChainCollector(models::world::World& world, sim::Time warmup_end);
  void begin_measurement(sim::Time) override {}
  void sample(sim::Time t, SeriesRecorder& out) override;  // base_fee_gwei: the next block's base fee
  void finish(sim::Time end, MetricSet& out) override;

  struct BlockGas {
    sim::Time timestamp;
    std::uint64_t gas_used = 0, background = 0;
    std::map<std::string, std::uint64_t> by_subsystem;  // "" for senders no subsystem created
  };
  // Every canonical block seen so far (for tests), by number.
  const std::map<std::uint64_t, BlockGas>& blocks() const { return blocks_; }

 private:
  models::world::World& world_;
  sim::Time warmup_end_;
  std::map<std::uint64_t, BlockGas> blocks_;
  std::vector<std::vector<sim::Time>> orphaned_;  // per reorg: the timestamps of the blocks it dropped
  std::vector<sim::Connection> conns_;
};

}  // namespace analysis
