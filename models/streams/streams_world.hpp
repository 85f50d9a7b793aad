#pragma once
// The Data Streams part of a run: the DON, the aggregation network's sites and load balancer, the Streams Direct
// clients, and (when trade.enabled) the Verifier stack (VerifierProxy, Verifier configured with the DON's signers,
// FeeManager) and Streams Trade with its push-feed baseline, built from a StreamsConfig on the chain, providers and
// network the rest of the world already has. The Automation node fetches reports over REST through the load
// balancer from host "streams/client/automation" in trade.region.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/contracts/aggregator_proxy.hpp"
#include "models/providers/data_provider.hpp"
#include "models/providers/true_price.hpp"
#include "models/streams/aggregation_network.hpp"
#include "models/streams/client.hpp"
#include "models/streams/don.hpp"
#include "models/streams/streams_config.hpp"
#include "models/streams/trade.hpp"
#include "models/contracts/streams_verifier.hpp"
#include "sim/network/network.hpp"
#include "sim/simulation.hpp"

namespace models::streams {

// What the streams models use from the rest of the world (all non-owning; they must outlive the StreamsWorld).
struct StreamsEnvironment {
  std::vector<providers::DataProvider*> providers;                          // every provider of the run
  std::function<providers::TruePrice*(const std::string& asset)> true_price;  // nullptr for an unknown asset
  sim::Network* network = nullptr;                                          // shared network; null: build one
  sim::NetworkConfig network_config;                                        // used when network is null
  chain::Chain* chain = nullptr;                                            // for the Verifier and Streams Trade
  // The push feed named `feed` (feeds[i].name) as consumers read it, for the Streams Trade baseline; nullptr if none.
  std::function<const contracts::AggregatorProxy*(const std::string& feed)> push_feed_proxy;
};

class StreamsWorld {
 public:
  // Throws std::invalid_argument listing the issues if `cfg` does not validate.
  StreamsWorld(sim::Simulation& sim, const StreamsConfig& cfg, StreamsEnvironment env);
  ~StreamsWorld();
  StreamsWorld(const StreamsWorld&) = delete;
  StreamsWorld& operator=(const StreamsWorld&) = delete;

  void start();

  const StreamsConfig& config() const { return cfg_; }
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
  // The true price of a stream's asset (for trade price errors).
  providers::TruePrice* true_price_of(const std::string& feed) const;

 private:
  void build_trade();

  sim::Simulation& sim_;
  StreamsConfig cfg_;
  StreamsEnvironment env_;
  std::unique_ptr<sim::Network> own_net_;
  sim::Network* net_ = nullptr;
  std::unique_ptr<StreamsDon> don_;
  std::unique_ptr<AggregationNetwork> agg_;
  std::vector<std::unique_ptr<StreamsClient>> clients_;
  std::vector<std::vector<FeedId>> client_feeds_;
  VerifierStack verifier_;
  std::unique_ptr<StreamsClient> automation_client_;  // the Automation node's REST client (never subscribes)
  std::unique_ptr<StreamsTrade> trade_;
};

}  // namespace models::streams
