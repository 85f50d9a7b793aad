// The `chain:` block: models::chain::ChainConfig (models/chain/chain_config.hpp), checked by chain::validate.
#include "models/chain/chain_config.hpp"
#include "models/scenario/scenario_keys.hpp"

namespace models::scenario {

void register_chain_keys(Block<ScenarioConfig>& root) {
  using chain::ChainConfig;
  using chain::DemandConfig;
  using chain::ReorgConfig;
  auto c = root.block("chain", &ScenarioConfig::chain,
                      "the simulated Ethereum chain: slots, EIP-1559 gas market, mempool (models/chain/chain_config.hpp)");
  c.key_enum("preset", &ChainConfig::preset, {{"ethereum", chain::ChainPreset::ethereum}, {"fast", chain::ChainPreset::fast}},
             KeySpec::choice({}).doc("the chain's kind: its slot time (when slot is unset) and the OCR minimums its feeds "
                                     "must respect (ethereum: libocr's slow-updates chains; fast: Arbitrum, Base, Polygon...)")
                 .from("facts §1 per-chain minimums; facts §6"));
  c.key("slot", &ChainConfig::slot, KeySpec::duration().greater_than(0).doc("one block per slot; unset: the preset's (ethereum 12 s, fast 2 s)")
                                        .from("facts §6: slot 12 s on Ethereum; assumption: 2 s on a fast chain"));
  c.key("missed_slot_probability", &ChainConfig::missed_slot_probability,
        KeySpec::number().at_least(0).less_than(1).doc("probability that a slot has no block").from("assumption: ~1% on mainnet"));
  c.key("gas_limit", &ChainConfig::gas_limit,
        KeySpec::integer().at_least(21'000).in("gas").doc("block gas limit; the EIP-1559 target is half of it")
            .from("facts §6: 30 M (2021 to Feb 2025)"));
  c.key("base_fee", &ChainConfig::initial_base_fee,
        KeySpec::gas_price().greater_than(0).doc("base fee of the first block").from("facts §6: initial base fee 1 gwei"));
  c.key("elasticity_multiplier", &ChainConfig::elasticity_multiplier,
        KeySpec::integer().at_least(1).at_most(1'000).doc("target = gas_limit / elasticity_multiplier").from("facts §6: target = gas limit / 2"));
  c.key("base_fee_max_change_denominator", &ChainConfig::base_fee_max_change_denominator,
        KeySpec::integer().at_least(1).at_most(1'000'000).doc("base fee changes by at most 1/denominator per block")
            .from("facts §6: at most 12.5% per block"));
  c.key("propagation_delay", &ChainConfig::propagation_delay,
        KeySpec::duration().at_least(0).doc("a submitted tx reaches block builders after this (must be < slot)").from("assumption: 1 s"));
  c.key("finality_depth", &ChainConfig::finality_depth,
        KeySpec::integer().at_least(1).at_most(100'000).in("blocks").doc("confirmations after which a block is final")
            .from("facts §3: node FinalityDepth 50"));
  c.key("replacement_bump_percent", &ChainConfig::replacement_bump_percent,
        KeySpec::integer().at_least(1).at_most(1'000).in("%").doc("a replacement must raise fee cap and tip by at least this")
            .from("assumption: geth txpool PriceBump 10"));

  auto d = c.block("demand", &ChainConfig::demand,
                   "background demand for block space: AR(1) log-normal, price-elastic (models/chain/chain_config.hpp)");
  d.key("mean_utilisation", &DemandConfig::mean_utilisation,
        KeySpec::number().at_least(0).at_most(10).in("fraction of gas_limit").doc("mean background demand at the reference base fee")
            .from("assumption: 0.5, the EIP-1559 target"));
  d.key("volatility", &DemandConfig::volatility,
        KeySpec::number().at_least(0).at_most(5).doc("stationary standard deviation of log demand").from("assumption"));
  d.key("persistence", &DemandConfig::persistence,
        KeySpec::number().at_least(0).less_than(1).doc("AR(1) coefficient of log demand per block").from("assumption"));
  d.key("elasticity", &DemandConfig::elasticity,
        KeySpec::number().at_least(0).at_most(10).doc("demand ~ (reference / base fee)^elasticity; 0: inelastic").from("assumption"));
  d.key("reference_base_fee", &DemandConfig::reference_base_fee,
        KeySpec::gas_price().at_least(0).doc("base fee at which demand is mean_utilisation; 0: chain.base_fee").from("assumption"));
  d.key("tip_median", &DemandConfig::tip_median,
        KeySpec::gas_price().greater_than(0).doc("median priority fee of background transactions").from("assumption: 1 gwei"));
  d.key("tip_sigma", &DemandConfig::tip_sigma,
        KeySpec::number().greater_than(0).at_most(5).doc("log-space sd of background priority fees").from("assumption"));
  d.key("tip_samples", &DemandConfig::tip_samples,
        KeySpec::integer().at_least(0).at_most(1'000).doc("background tips per block seen by fee estimators").from("assumption"));

  auto r = c.block("reorg", &ChainConfig::reorg, "shallow reorganisations: the last blocks are replaced and their txs re-included");
  r.key("probability", &ReorgConfig::probability,
        KeySpec::number().at_least(0).less_than(1).doc("probability per produced block; 0 disables reorgs").from("assumption: off"));
  r.key("max_depth", &ReorgConfig::max_depth,
        KeySpec::integer().at_least(1).in("blocks").doc("deepest reorg (uniform in 1..max_depth), < finality_depth").from("assumption"));

  c.validate([](const ChainConfig& cfg, const std::string& path, sim::ConfigIssues& out) {
    out.append(chain::validate(cfg, path.empty() ? "chain" : path));
  });
}

}  // namespace models::scenario
