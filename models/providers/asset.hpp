#pragma once
// An asset of the run and its true price: the `assets:` entries a scenario lists, each a PriceProcessConfig, and
// the TruePrice actors built from them (one per asset; replay assets load their CSV here).
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/providers/data_provider.hpp"
#include "models/providers/price_process.hpp"
#include "models/providers/true_price.hpp"
#include "sim/simulation.hpp"

namespace models::providers {

struct AssetConfig {
  std::string name = "ETH/USD";  // asset name, e.g. "ETH/USD" (scenario: assets[i].name)
  PriceProcessConfig process;    // its true-price process
};

// One true-price actor per asset, keyed by asset name; replay assets load their CSV here.
std::map<std::string, std::unique_ptr<TruePrice>> make_true_prices(sim::Simulation& sim, const std::vector<AssetConfig>& assets);

// The providers quoting `asset`, restricted to `names` when that list is not empty, in the order of `all`.
std::vector<DataProvider*> providers_quoting(const std::string& asset, const std::vector<std::string>& names,
                                             const std::vector<std::unique_ptr<DataProvider>>& all);

}  // namespace models::providers
