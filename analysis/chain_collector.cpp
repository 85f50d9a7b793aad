#include "analysis/chain_collector.hpp"

#include <cmath>

#include "analysis/statistics.hpp"

namespace analysis {

ChainCollector::ChainCollector(models::world::World& world, sim::Time warmup_end) : world_(world), warmup_end_(warmup_end) {
  models::chain::Chain& chain = world_.environment().chain();
  conns_.push_back(chain.block_produced.connect([this, &chain](const models::chain::Block& b) {
    BlockGas g{b.timestamp, b.gas_used, b.background_gas, {}};
    for (const auto& h : b.txs)
      if (const auto* r = chain.receipt(h)) g.by_subsystem[world_.subsystem_of(r->from)] += r->gas_used;
    blocks_[b.number] = std::move(g);
  }));
  conns_.push_back(chain.reorged.connect([this](const models::chain::Reorg& r) {
    const auto first_dropped = blocks_.upper_bound(r.common_ancestor);
    std::vector<sim::Time> dropped;
    for (auto it = first_dropped; it != blocks_.end(); ++it) dropped.push_back(it->second.timestamp);
    orphaned_.push_back(std::move(dropped));
    blocks_.erase(first_dropped, blocks_.end());
  }));
}

void ChainCollector::sample(sim::Time t, SeriesRecorder& out) {
  if (out.wants("base_fee_gwei"))
    out.add("base_fee_gwei", t, static_cast<double>(world_.environment().chain().next_base_fee()) / 1e9);
}

void ChainCollector::finish(sim::Time end, MetricSet& out) {
  std::uint64_t n = 0, used = 0, background = 0;
  std::map<std::string, std::uint64_t> by;
  for (const auto& name : world_.part_names()) by[name] = 0;
  by[""] = 0;
  for (const auto& [number, b] : blocks_) {
    if (b.timestamp < warmup_end_ || b.timestamp >= end) continue;
    ++n;
    used += b.gas_used;
    background += b.background;
    for (const auto& [who, gas] : b.by_subsystem) by[who] += gas;
  }
  out.set("chain_blocks", static_cast<double>(n));
  out.set("chain_gas_used", static_cast<double>(used));
  out.set("chain_gas_background", static_cast<double>(background));
  for (const auto& [who, gas] : by) out.set("chain_gas_" + (who.empty() ? std::string("other") : who), static_cast<double>(gas));
  std::uint64_t reorgs = 0, orphaned = 0;
  for (const auto& dropped : orphaned_) {
    std::uint64_t in_window = 0;
    for (const sim::Time t : dropped) in_window += t >= warmup_end_ && t < end ? 1 : 0;
    orphaned += in_window;
    if (!dropped.empty() && dropped.back() >= warmup_end_ && dropped.back() < end) ++reorgs;
  }
  out.set("chain_reorgs", static_cast<double>(reorgs));
  out.set("chain_blocks_orphaned", static_cast<double>(orphaned));
  out.set("oracle_gas_share", used > 0 ? static_cast<double>(used - background) / static_cast<double>(used) : 0.0);
  std::vector<double> shares;
  for (const auto& [number, b] : blocks_)
    if (b.timestamp >= warmup_end_ && b.timestamp < end)
      shares.push_back(b.gas_used > 0 ? static_cast<double>(b.gas_used - b.background) / static_cast<double>(b.gas_used) : 0.0);
  const Summary share = summarize(shares);
  out.set("block_oracle_gas_share_p50", quantile(shares, 0.5));
  out.set("block_oracle_gas_share_p99", quantile(shares, 0.99));
  out.set("block_oracle_gas_share_max", share.n ? share.max : std::nan(""));
}

}  // namespace analysis
