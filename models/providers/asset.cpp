#include "models/providers/asset.hpp"

namespace models::providers {

std::map<std::string, std::unique_ptr<TruePrice>> make_true_prices(sim::Simulation& sim, const std::vector<AssetConfig>& assets) {
  std::map<std::string, std::unique_ptr<TruePrice>> prices;
  for (const auto& a : assets) {
    PricePath path;
    if (a.process.kind == PriceProcessConfig::Kind::replay) path = load_price_csv(a.process.csv_path.empty() ? a.process.csv : a.process.csv_path);
    prices[a.name] = std::make_unique<TruePrice>(sim, a.name, a.process, std::move(path));
  }
  return prices;
}

std::vector<DataProvider*> providers_quoting(const std::string& asset, const std::vector<std::string>& names,
                                             const std::vector<std::unique_ptr<DataProvider>>& all) {
  std::vector<DataProvider*> mine;
  for (const auto& p : all) {
    const auto& pc = p->config();
    if (pc.asset != asset) continue;
    bool listed = names.empty();
    for (const auto& name : names) listed = listed || name == pc.name;
    if (listed) mine.push_back(p.get());
  }
  return mine;
}

}  // namespace models::providers
