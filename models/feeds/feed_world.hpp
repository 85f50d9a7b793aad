#pragma once
// The world of a per-node-aggregation feed study, built from plain config structs (the scenario decoder fills
// them from the `chain:`, `assets:`, `providers:` and `feeds:` keys): the chain, one true price per asset, the
// data providers, and every flux feed with its nodes, proxy and consumers. Nothing runs until start().
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/feeds/flux_feed.hpp"
#include "models/providers/data_provider.hpp"
#include "models/providers/true_price.hpp"
#include "sim/config_issue.hpp"
#include "sim/simulation.hpp"

namespace models::feeds {

struct AssetConfig {
  std::string name = "ETH/USD";                  // asset name, e.g. "ETH/USD" (scenario: assets[i].name)
  providers::PriceProcessConfig process;         // its true-price process
};

struct FeedWorldConfig {
  chain::ChainConfig chain;                      // the simulated chain
  std::vector<AssetConfig> assets;               // at least one
  std::vector<providers::ProviderConfig> providers;  // each quotes one asset
  std::vector<FluxFeedConfig> feeds;             // aggregation: flux

  // Every problem: unknown assets or providers, duplicate names, feeds without providers, and the nested checks.
  sim::ConfigIssues validate() const;
};

// One true-price actor per asset, keyed by asset name; replay assets load their CSV here.
std::map<std::string, std::unique_ptr<providers::TruePrice>> make_true_prices(sim::Simulation& sim,
                                                                             const std::vector<AssetConfig>& assets);
// The providers a feed polls: those quoting its asset, restricted to feed.providers when that list is not empty.
std::vector<providers::DataProvider*> providers_for(const FluxFeedConfig& feed,
                                                    const std::vector<std::unique_ptr<providers::DataProvider>>& all);

class FeedWorld {
 public:
  // Throws std::invalid_argument listing the issues if `cfg` does not validate. Replay assets load their CSV here.
  FeedWorld(sim::Simulation& sim, const FeedWorldConfig& cfg);
  FeedWorld(const FeedWorld&) = delete;
  FeedWorld& operator=(const FeedWorld&) = delete;

  void start();

  chain::Chain& chain() { return *chain_; }
  providers::TruePrice& true_price(const std::string& asset) { return *prices_.at(asset); }
  std::size_t feed_count() const { return feeds_.size(); }
  FluxFeed& feed(std::size_t i) { return *feeds_[i]; }
  providers::DataProvider& provider(std::size_t i) { return *providers_[i]; }
  std::size_t provider_count() const { return providers_.size(); }

 private:
  sim::Simulation& sim_;
  FeedWorldConfig cfg_;
  std::unique_ptr<chain::Chain> chain_;
  std::map<std::string, std::unique_ptr<providers::TruePrice>> prices_;
  std::vector<std::unique_ptr<providers::DataProvider>> providers_;
  std::vector<std::unique_ptr<FluxFeed>> feeds_;
};

}  // namespace models::feeds
