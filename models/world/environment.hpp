#pragma once
// What every subsystem of a run shares, built once: the simulation, the message network, the one chain (one gas
// market and mempool) with the LINK token deployed on it, the assets' true prices and the data providers. Every
// subsystem takes it by reference, so feeds, requests and Data Streams compete for the same block space and read
// the same prices.
//
// The chain (with LINK) is built when the scenario has assets (an oracle world) or on first use; the network on
// first use (per-node feeds never send messages). Both run for the whole run once built. Subsystems publish
// what other subsystems may use (a push feed's proxy for the Streams Trade baseline) through publish_feed().
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/contracts/aggregator_proxy.hpp"
#include "models/contracts/link_token.hpp"
#include "models/faults/actor_control.hpp"
#include "models/faults/fault_kind_registry.hpp"
#include "models/providers/asset.hpp"
#include "models/providers/data_provider.hpp"
#include "models/providers/true_price.hpp"
#include "models/scenario/scenario.hpp"
#include "sim/network/network.hpp"
#include "sim/simulation.hpp"

namespace models::world {

class Environment {
 public:
  // Builds the true prices and providers (replay assets load their CSV here), and the chain when there are assets.
  // `cfg` must be valid (scenario::validate_environment is part of the schema's checks).
  Environment(sim::Simulation& sim, const scenario::ScenarioConfig& cfg);
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;
  ~Environment();

  // Starts the chain, the true prices and the providers (before any subsystem starts).
  void start();

  sim::Simulation& simulation() { return sim_; }
  const scenario::ScenarioConfig& config() const { return cfg_; }
  sim::Network& network();
  bool has_network() const { return net_ != nullptr; }
  chain::Chain& chain();
  bool has_chain() const { return chain_ != nullptr; }
  // The LINK token on the chain, and its address.
  contracts::LinkToken& link();
  chain::Address link_address();

  // The true price of `asset`, or nullptr for an asset the scenario does not list.
  providers::TruePrice* true_price(const std::string& asset) const;
  // Every provider, in scenario order.
  const std::vector<std::unique_ptr<providers::DataProvider>>& providers() const { return providers_; }
  // The provider named `name`, or nullptr.
  providers::DataProvider* provider(const std::string& name) const;
  // The providers quoting `asset`, restricted to `names` when that list is not empty.
  std::vector<providers::DataProvider*> providers_quoting(const std::string& asset,
                                                          const std::vector<std::string>& names = {}) const;

  // A push feed's proxy as consumers read it, published by the subsystem that built the feed.
  void publish_feed(const std::string& name, const contracts::AggregatorProxy* proxy);
  const contracts::AggregatorProxy* feed_proxy(const std::string& name) const;

  // The providers' ActorControls (model "provider"), and the chain's and providers' fault injectors.
  void register_actors(faults::ActorDirectory& directory);
  void install_fault_injectors(faults::FaultKindRegistry& registry);

 private:
  sim::Simulation& sim_;
  const scenario::ScenarioConfig& cfg_;
  std::unique_ptr<sim::Network> net_;
  std::unique_ptr<chain::Chain> chain_;
  std::shared_ptr<contracts::LinkToken> link_;
  chain::Address link_address_{};
  std::map<std::string, std::unique_ptr<providers::TruePrice>> prices_;
  std::vector<std::unique_ptr<providers::DataProvider>> providers_;
  sim::Ticker price_ticker_;     // the periodic true prices' moves (Environment::start)
  sim::Ticker provider_ticker_;  // the providers' refreshes
  std::vector<std::unique_ptr<faults::ActorControl>> provider_controls_;
  std::map<std::string, const contracts::AggregatorProxy*> feeds_;
  bool started_ = false;
};

}  // namespace models::world
