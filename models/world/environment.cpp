#include "models/world/environment.hpp"

#include <stdexcept>

#include "models/chain/chain_faults.hpp"
#include "models/providers/provider_faults.hpp"

namespace models::world {

Environment::Environment(sim::Simulation& sim, const scenario::ScenarioConfig& cfg)
    : sim_(sim), cfg_(cfg), price_ticker_(sim, "providers/true-price"), provider_ticker_(sim, "providers/refresh") {
  if (!cfg_.assets.empty()) chain();
  prices_ = providers::make_true_prices(sim_, cfg_.assets);
  for (const auto& p : cfg_.providers)
    providers_.push_back(std::make_unique<providers::DataProvider>(sim_, p, *prices_.at(p.asset)));
}

Environment::~Environment() = default;

sim::Network& Environment::network() {
  if (!net_) {
    if (started_) throw std::logic_error("Environment::network: first used after the run started");
    net_ = std::make_unique<sim::Network>(sim_, cfg_.network);
  }
  return *net_;
}

chain::Chain& Environment::chain() {
  if (!chain_) {
    if (started_) throw std::logic_error("Environment::chain: first used after the run started");
    chain_ = std::make_unique<chain::Chain>(sim_, cfg_.chain);
    link_ = std::make_shared<contracts::LinkToken>();
    link_address_ = chain_->deploy("link", link_);
  }
  return *chain_;
}

contracts::LinkToken& Environment::link() {
  chain();
  return *link_;
}

chain::Address Environment::link_address() {
  chain();
  return link_address_;
}

void Environment::start() {
  started_ = true;
  if (chain_) chain_->start();
  // Every periodic true price and every provider moves on a shared ticker: one event per tick and period.
  for (auto& [name, p] : prices_) p->start(&price_ticker_);
  price_ticker_.start();
  for (auto& p : providers_) p->start(&provider_ticker_);
  provider_ticker_.start();
}

providers::TruePrice* Environment::true_price(const std::string& asset) const {
  auto it = prices_.find(asset);
  return it == prices_.end() ? nullptr : it->second.get();
}

providers::DataProvider* Environment::provider(const std::string& name) const {
  for (const auto& p : providers_)
    if (p->config().name == name) return p.get();
  return nullptr;
}

std::vector<providers::DataProvider*> Environment::providers_quoting(const std::string& asset,
                                                                     const std::vector<std::string>& names) const {
  return providers::providers_quoting(asset, names, providers_);
}

void Environment::publish_feed(const std::string& name, const contracts::AggregatorProxy* proxy) {
  if (!feeds_.emplace(name, proxy).second) throw std::invalid_argument("feed '" + name + "' published twice");
}

const contracts::AggregatorProxy* Environment::feed_proxy(const std::string& name) const {
  auto it = feeds_.find(name);
  return it == feeds_.end() ? nullptr : it->second;
}

void Environment::register_actors(faults::ActorDirectory& directory) {
  for (auto& p : providers_) {
    provider_controls_.push_back(std::make_unique<faults::ActorControl>(p->config().name, "provider"));
    directory.add(*provider_controls_.back());
    p->set_control(provider_controls_.back().get());
  }
}

void Environment::install_fault_injectors(faults::FaultKindRegistry& registry) {
  if (chain_) chain::set_chain_fault_injectors(registry, *chain_);
  providers::set_provider_fault_injectors(registry, [this](const std::string& name) { return provider(name); });
}

}  // namespace models::world
