#pragma once
// The Data Streams subsystem (scenario key `streams:`): the DON, the aggregation network's sites and load balancer,
// the Streams Direct clients, and (when trade.enabled) the Verifier stack (VerifierProxy, Verifier configured with
// the DON's signers, FeeManager and RewardManager on the environment's LINK token) and Streams Trade with its
// push-feed baseline (a feed another subsystem published in the environment), built from a StreamsConfig on the
// environment's chain, providers and network. Automation node i fetches reports over REST through the load
// balancer from host "streams/client/automation-<i>" in trade.region; with fees.payout_every the FeeManager's
// owner pays the reward pool's recipients periodically. Actors faults may name: "streams/don/node-<i>"
// (streams-node), "streams/<site>" (streams-site) and "streams/automation/node-<i>" (automation-node).
#include <memory>
#include <string>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/contracts/aggregator_proxy.hpp"
#include "models/faults/actor_control.hpp"
#include "models/faults/fault_kind_registry.hpp"
#include "models/providers/data_provider.hpp"
#include "models/providers/true_price.hpp"
#include "models/streams/aggregation_network.hpp"
#include "models/streams/client.hpp"
#include "models/streams/don.hpp"
#include "models/streams/streams_config.hpp"
#include "models/streams/trade.hpp"
#include "models/streams/verifier.hpp"
#include "models/scenario/scenario.hpp"
#include "models/scenario/schema.hpp"
#include "models/world/environment.hpp"
#include "models/world/part.hpp"
#include "sim/network/network.hpp"
#include "sim/simulation.hpp"
#include "sim/timer.hpp"

namespace models::streams {

inline constexpr const char* kSubsystem = "streams";
// The scenario's `streams:` block.
const StreamsConfig& streams_of(const scenario::ScenarioConfig& c);
StreamsConfig& streams_of(scenario::ScenarioConfig& c);
// Registration (analysis/subsystems.cpp): keys (streams_keys.cpp), actors, fault kinds and behaviours, builder.
void register_keys(scenario::Block<scenario::ScenarioConfig>& root);
void actor_names(const scenario::ScenarioConfig& c, std::vector<scenario::ActorName>& out);
void register_fault_kinds(faults::FaultKindRegistry& registry);
std::unique_ptr<world::Part> build(world::Environment& env, const scenario::ScenarioConfig& c);

class StreamsPart : public world::Part {
 public:
  // `cfg` must be valid (StreamsConfig::validate; the scenario loader checks it).
  StreamsPart(world::Environment& env, const StreamsConfig& cfg);
  ~StreamsPart() override;
  StreamsPart(const StreamsPart&) = delete;
  StreamsPart& operator=(const StreamsPart&) = delete;

  void start() override;
  void register_actors(faults::ActorDirectory& directory) override;
  void install_fault_injectors(faults::FaultKindRegistry& registry) override;
  std::string leader_among(const std::vector<std::string>& targets) const override;

  const StreamsConfig& config() const { return cfg_; }
  world::Environment& env() { return env_; }
  sim::Network& network() { return *net_; }
  StreamsDon& don() { return *don_; }
  AggregationNetwork& aggregation() { return *agg_; }
  std::size_t client_count() const { return clients_.size(); }
  StreamsClient& client(std::size_t i) { return *clients_[i]; }
  // The feeds client i subscribes to.
  const std::vector<FeedId>& client_feeds(std::size_t i) const { return client_feeds_[i]; }
  // Streams Trade with its push-feed baseline, or nullptr unless trade.enabled.
  StreamsTrade* trade() { return trade_.get(); }
  // The Verifier stack on the chain (deployed with Streams Trade; all zero otherwise).
  const VerifierStack& verifier() const { return verifier_; }
  // Every transaction of the streams models that was included (Streams Trade: user trades on both sides and the
  // Automation node's performs; reverted ones too), with its receipt.
  sim::Signal<chain::Receipt> tx_included;
  // The true price of a stream's asset (for trade price errors).
  providers::TruePrice* true_price_of(const std::string& feed) const;

 private:
  void build_trade();
  void pay_recipients();

  sim::Simulation& sim_;
  world::Environment& env_;
  StreamsConfig cfg_;
  sim::Network* net_ = nullptr;
  std::unique_ptr<StreamsDon> don_;
  std::unique_ptr<AggregationNetwork> agg_;
  std::vector<std::unique_ptr<StreamsClient>> clients_;
  std::vector<std::vector<FeedId>> client_feeds_;
  VerifierStack verifier_;
  std::vector<std::unique_ptr<StreamsClient>> automation_clients_;  // the Automation nodes' REST clients
  std::unique_ptr<StreamsTrade> trade_;
  std::unique_ptr<node::TxManager> fee_owner_;     // the FeeManager owner's key (payouts)
  std::unique_ptr<sim::Timer> payout_timer_;
  std::vector<sim::Connection> conns_;
};

}  // namespace models::streams
