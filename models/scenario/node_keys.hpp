#pragma once
// The keys of a Chainlink node's gas and transaction settings (models/node/node_config.hpp), one registration for
// the run's defaults (`nodes:`, NodeConfig) and for the per-feed or per-operator overrides (`feeds[i].node`,
// `requests.operators[i].node`: NodeOverride, whose unset keys keep the default).
#include <optional>
#include <type_traits>

#include <fmt/core.h>

#include "models/node/node_config.hpp"
#include "models/scenario/schema.hpp"

namespace models::scenario {

namespace detail {
inline const char* mode_name(node::GasEstimatorMode m) {
  return m == node::GasEstimatorMode::fixed_price ? "fixed_price" : "block_history";
}
}  // namespace detail

// N is node::NodeConfig (with its GasEstimatorConfig) or node::NodeOverride (with its GasEstimatorOverride).
template <class N>
void register_node_keys(Block<N>& n) {
  using G = std::remove_reference_t<decltype(std::declval<N&>().gas)>;
  n.key("default_gas_limit", &N::default_gas_limit,
        KeySpec::integer().at_least(21'000).in("gas").doc("gas limit when a job gives none").from("facts §6: LimitDefault 500,000"));
  n.key("max_in_flight", &N::max_in_flight, KeySpec::integer().at_least(1).at_most(100'000).in("txs")
                                                 .doc("unconfirmed transactions at once; more wait in the queue")
                                                 .from("facts §6: MaxInFlightTransactions 16"));
  n.key("max_queued", &N::max_queued, KeySpec::integer().at_least(0).at_most(1'000'000).in("txs")
                                           .doc("transactions waiting for a slot; a send beyond fails")
                                           .from("facts §6: MaxQueuedTransactions 250"));
  auto g = n.block("gas", &N::gas, "the node's fee estimator and gas bumping (models/node/fee_estimator.hpp)");
  g.key_with(
      "mode", KeySpec::choice({"block_history", "fixed_price"}).doc("block_history: fee cap from the base fee x 1.125^N, tip from past blocks; fixed_price: fee_cap_default")
                  .from("facts §6: Mode 'BlockHistory'"),
      [](G& c, const Node& v, const std::string& path, Diagnostics& out) {
        if (v.is_scalar() && (v.scalar == "block_history" || v.scalar == "fixed_price")) {
          c.mode = v.scalar == "fixed_price" ? node::GasEstimatorMode::fixed_price : node::GasEstimatorMode::block_history;
          return;
        }
        detail::unknown_choice(KeySpec::choice({"block_history", "fixed_price"}), v, path, out);
      },
      [](const G& c) -> std::string {
        if constexpr (std::is_same_v<decltype(G::mode), std::optional<node::GasEstimatorMode>>) {
          return c.mode ? detail::json_string(detail::mode_name(*c.mode)) : std::string("null");
        } else {
          return detail::json_string(detail::mode_name(c.mode));
        }
      });
  g.key("price_max", &G::price_max, KeySpec::gas_price().greater_than(0).doc("ceiling of every fee cap and bump")
                                         .from("facts §6: PriceMax '100 micro' = 100,000 gwei"));
  g.key("fee_cap_default", &G::fee_cap_default, KeySpec::gas_price().greater_than(0).doc("the fee cap of fixed_price mode")
                                                     .from("facts §6: FeeCapDefault 100 gwei"));
  g.key("tip_cap_default", &G::tip_cap_default, KeySpec::gas_price().greater_than(0).doc("tip without block history")
                                                     .from("facts §6: TipCapDefault 1 wei"));
  g.key("tip_cap_min", &G::tip_cap_min, KeySpec::gas_price().greater_than(0).doc("floor of the tip").from("facts §6: TipCapMinimum 1 wei"));
  g.key("block_history_size", &G::block_history_size, KeySpec::integer().at_least(1).at_most(1024).in("blocks")
                                                           .doc("blocks of tips the estimate reads").from("facts §6: BlockHistorySize 4"));
  g.key("transaction_percentile", &G::transaction_percentile, KeySpec::integer().at_least(0).at_most(100).in("%")
                                                                   .doc("tip = this percentile of recent tips")
                                                                   .from("facts §6: TransactionPercentile 50"));
  g.key("bump_percent", &G::bump_percent, KeySpec::integer().at_least(0).at_most(1000).in("%")
                                               .doc("a bump raises tip and fee cap by at least this").from("facts §6: BumpPercent 20"));
  g.key("bump_min", &G::bump_min, KeySpec::gas_price().at_least(0).doc("a bump raises tip and fee cap by at least this")
                                       .from("facts §6: BumpMin 5 gwei"));
  g.key("bump_threshold", &G::bump_threshold, KeySpec::integer().at_least(0).at_most(1000).in("blocks")
                                                   .doc("blocks unconfirmed before a bump (0: never bump)").from("facts §6: BumpThreshold 3"));
  g.key("fee_cap_buffer_blocks", &G::fee_cap_buffer_blocks, KeySpec::integer().at_least(0).at_most(100).in("blocks")
                                                                 .doc("initial fee cap = base fee x 1.125^this + tip (0: bump_threshold + 1)")
                                                                 .from("facts §6: EIP1559FeeCapBufferBlocks, default BumpThreshold + 1"));
}

}  // namespace models::scenario
