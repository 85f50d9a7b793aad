#include "models/feeds/feed_world.hpp"

#include <set>
#include <stdexcept>

#include <fmt/core.h>

namespace models::feeds {

sim::ConfigIssues FeedWorldConfig::validate() const {
  sim::ConfigIssues out;
  out.append(chain::validate(chain, "chain"));
  if (assets.empty()) out.add("assets", "at least one asset is needed");
  std::set<std::string> asset_names, provider_names, feed_names;
  for (std::size_t i = 0; i < assets.size(); ++i) {
    const auto& a = assets[i];
    const std::string path = fmt::format("assets[{}]", i);
    if (a.name.empty()) out.add(path + ".name", "an asset needs a name");
    if (!asset_names.insert(a.name).second) out.add(path, "duplicate asset");
    out.append(a.process.validate(path));
  }
  for (std::size_t i = 0; i < providers.size(); ++i) {
    const auto& p = providers[i];
    const std::string path = fmt::format("providers[{}]", i);
    out.append(p.validate(path));
    if (!p.name.empty() && !provider_names.insert(p.name).second) out.add(path + ".name", fmt::format("duplicate provider '{}'", p.name));
    if (!p.asset.empty() && !asset_names.count(p.asset))
      out.add(path + ".asset", fmt::format("unknown asset '{}' (not under assets:)", p.asset));
  }
  for (std::size_t i = 0; i < feeds.size(); ++i) {
    const auto& f = feeds[i];
    const std::string path = fmt::format("feeds[{}]", i);
    out.append(f.validate(path));
    if (i > 0 && f.aggregation != feeds[0].aggregation)
      out.add(path + ".aggregation",
              fmt::format("all feeds of a world use one aggregation mode: feeds[0] is '{}', this one '{}' (mixed modes "
                          "are not supported)", feeds[0].aggregation, f.aggregation));
    if (!feed_names.insert(f.name).second) out.add(path + ".name", fmt::format("duplicate feed '{}'", f.name));
    if (!asset_names.count(f.asset)) out.add(path + ".asset", fmt::format("unknown asset '{}' (not under assets:)", f.asset));
    std::size_t usable = 0;
    for (const auto& p : providers) usable += p.asset == f.asset;
    for (std::size_t j = 0; j < f.providers.size(); ++j) {
      bool found = false;
      for (const auto& p : providers) found = found || (p.name == f.providers[j] && p.asset == f.asset);
      if (!found)
        out.add(fmt::format("{}.providers[{}]", path, j), fmt::format("no provider '{}' quoting {}", f.providers[j], f.asset));
    }
    if (usable == 0) out.add(path + ".asset", fmt::format("no provider quotes {}", f.asset));
  }
  return out;
}

std::map<std::string, std::unique_ptr<providers::TruePrice>> make_true_prices(sim::Simulation& sim,
                                                                             const std::vector<AssetConfig>& assets) {
  std::map<std::string, std::unique_ptr<providers::TruePrice>> prices;
  for (const auto& a : assets) {
    providers::PricePath path;
    if (a.process.kind == providers::PriceProcessConfig::Kind::replay) path = providers::load_price_csv(a.process.csv);
    prices[a.name] = std::make_unique<providers::TruePrice>(sim, a.name, a.process, std::move(path));
  }
  return prices;
}

std::vector<providers::DataProvider*> providers_for(const FluxFeedConfig& feed,
                                                    const std::vector<std::unique_ptr<providers::DataProvider>>& all) {
  std::vector<providers::DataProvider*> mine;
  for (const auto& p : all) {
    const auto& pc = p->config();
    if (pc.asset != feed.asset) continue;
    bool listed = feed.providers.empty();
    for (const auto& name : feed.providers) listed = listed || name == pc.name;
    if (listed) mine.push_back(p.get());
  }
  return mine;
}

FeedWorld::FeedWorld(sim::Simulation& sim, const FeedWorldConfig& cfg) : sim_(sim), cfg_(cfg) {
  auto issues = cfg_.validate();
  for (std::size_t i = 0; i < cfg_.feeds.size(); ++i)
    if (cfg_.feeds[i].aggregation != "flux")
      issues.add(fmt::format("feeds[{}].aggregation", i), "FeedWorld builds flux feeds only (OCR feeds: OcrFeedWorld)");
  issues.throw_if_any("invalid feed world");
  chain_ = std::make_unique<chain::Chain>(sim_, cfg_.chain);
  prices_ = make_true_prices(sim_, cfg_.assets);
  for (const auto& p : cfg_.providers) providers_.push_back(std::make_unique<providers::DataProvider>(sim_, p, *prices_.at(p.asset)));
  for (const auto& f : cfg_.feeds) {
    std::vector<providers::DataProvider*> mine = providers_for(f, providers_);
    feeds_.push_back(std::make_unique<FluxFeed>(sim_, *chain_, f, std::move(mine)));
  }
}

void FeedWorld::start() {
  chain_->start();
  for (auto& [name, p] : prices_) p->start();
  for (auto& p : providers_) p->start();
  for (auto& f : feeds_) f->start();
}

}  // namespace models::feeds
