#pragma once
// The requests subsystem: the basic request model (scenario key `requests:`) on the shared environment. It uses
// the environment's chain and LINK token, and the top-level providers as the APIs jobs GET (a request's `get`
// names one). It builds the operators (each an Operator contract, its owner and one Chainlink node running a
// direct-request job authorized on it; the node is the actor "<operator>/node", model request-node, which `crash`
// faults take down) and the consumers (a ChainlinkClient funded with LINK and its owner's wallet with a
// transaction manager). Stress comes from ordinary faults: `congestion` on the chain, `crash` of a request node,
// `outage` of a provider. Nothing runs until start().
//
// link_accounting() checks, from contract state (exact under reorgs), that every juel consumers sent is
// accounted for: spent = operator earnings + refunds + escrow, and that the token balances agree with it.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/contracts/link_token.hpp"
#include "models/contracts/operator.hpp"
#include "models/faults/actor_control.hpp"
#include "models/node/node.hpp"
#include "models/providers/data_provider.hpp"
#include "models/request/chainlink_client.hpp"
#include "models/request/direct_request_job.hpp"
#include "models/request/request_consumer.hpp"
#include "models/scenario/scenario.hpp"
#include "models/scenario/schema.hpp"
#include "models/world/environment.hpp"
#include "models/world/part.hpp"
#include "sim/config_issue.hpp"
#include "sim/simulation.hpp"

namespace models::request {

struct OperatorSetup {
  std::string name = "operator-0";      // unique; its node is "<name>/node"
  std::string job_id = "eth-usd-get";   // the external job id its node serves
  node::NodeOverride node_override;     // its node's settings that differ from the run's `nodes:`
  node::NodeConfig node;                // the node's funding and gas estimator: `nodes:` with node_override applied
  DirectRequestJobConfig job;           // confirmations, HTTP timeouts and retries, gas limit
};

struct ConsumerSetup {
  std::string name = "consumer-0";      // unique
  RequestConsumerConfig request;        // arrivals, fee, job id and parameters
  std::uint64_t link_funding = 10'000;  // LINK minted to its ChainlinkClient; assumption
  chain::Gas callback_gas = 22'136;     // the consumer's fulfill beyond record keeping: one answer in a fresh slot (ChainlinkClient)
  bool revert_callbacks = false;        // a broken consumer whose callback always reverts
  std::vector<std::string> operators;   // operators it sends to in turn; empty = all
  node::NodeConfig wallet;              // its owner's wallet (ETH funding, fee estimation)
};

struct RequestsConfig {
  bool enabled = false;                    // build the request model
  double link_eth = 0.005;                 // ETH per LINK, for node_profit_link; assumption
  std::vector<OperatorSetup> operators;    // empty: one default "operator-0"
  std::vector<ConsumerSetup> consumers;    // empty: one default "consumer-0"

  // The operators and consumers with the defaults filled in for empty lists.
  std::vector<OperatorSetup> operators_or_default() const;
  std::vector<ConsumerSetup> consumers_or_default() const;
  // Problems of the block against the scenario's providers (a request's `get`); keys under `path`.
  sim::ConfigIssues validate(const std::vector<providers::ProviderConfig>& providers,
                             const std::string& path = "requests", const node::NodeConfig& nodes = {}) const;
};

inline constexpr const char* kSubsystem = "requests";
// The scenario's `requests:` block.
const RequestsConfig& requests_of(const scenario::ScenarioConfig& c);
RequestsConfig& requests_of(scenario::ScenarioConfig& c);
// Registration (analysis/subsystems.cpp): the keys (request_keys.cpp), the actors "<operator>/node", the builder.
void register_keys(scenario::Block<scenario::ScenarioConfig>& root);
void actor_names(const scenario::ScenarioConfig& c, std::vector<scenario::ActorName>& out);
std::unique_ptr<world::Part> build(world::Environment& env, const scenario::ScenarioConfig& c);
// The actor name of an operator's node.
std::string node_name(const OperatorSetup& op);

// LINK accounting from contract state, in juels.
struct LinkAccounting {
  contracts::Juels spent = 0;      // sent by consumers with requests
  contracts::Juels earned = 0;     // released to operators by fulfilments
  contracts::Juels refunded = 0;   // returned by cancellations
  contracts::Juels escrow = 0;     // still held for pending requests
  // Empty when spent = earned + refunded + escrow and the token balances agree; else what is wrong.
  std::string violation;
};

class RequestsPart : public world::Part {
 public:
  // `cfg` must be valid against the environment's providers (RequestsConfig::validate; the scenario loader checks it).
  RequestsPart(world::Environment& env, const RequestsConfig& cfg);
  RequestsPart(const RequestsPart&) = delete;
  RequestsPart& operator=(const RequestsPart&) = delete;

  void start() override;
  void register_actors(faults::ActorDirectory& directory) override;
  chain::Chain& chain() { return chain_; }
  const contracts::LinkToken& link() const { return *link_; }
  std::size_t operator_count() const { return operators_.size(); }
  const contracts::Operator& operator_contract(std::size_t i) const { return *operators_[i].contract; }
  node::ChainlinkNode& node(std::size_t i) { return *operators_[i].node; }
  DirectRequestJob& job(std::size_t i) { return *operators_[i].job; }
  std::size_t consumer_count() const { return consumers_.size(); }
  RequestConsumer& consumer(std::size_t i) { return *consumers_[i].actor; }
  const ChainlinkClient& client(std::size_t i) const { return *consumers_[i].client; }
  LinkAccounting link_accounting() const;
  const RequestsConfig& config() const { return cfg_; }

  // Every transaction of the request model that was included (consumers' requests and cancels, nodes'
  // fulfilments; reverted ones too), with its receipt.
  sim::Signal<chain::Receipt> tx_included;

 private:
  struct Op {
    std::shared_ptr<contracts::Operator> contract;
    chain::Address address{};
    std::unique_ptr<node::ChainlinkNode> node;
    std::unique_ptr<DirectRequestJob> job;
    std::unique_ptr<faults::ActorControl> control;
  };
  struct Consumer {
    std::shared_ptr<ChainlinkClient> client;
    chain::Address address{};
    contracts::Juels funding = 0;
    std::unique_ptr<node::TxManager> wallet;
    std::unique_ptr<RequestConsumer> actor;
  };
  sim::Simulation& sim_;
  RequestsConfig cfg_;
  chain::Chain& chain_;
  contracts::LinkToken* link_ = nullptr;
  chain::Address link_address_{};
  std::vector<Op> operators_;
  std::vector<Consumer> consumers_;
  std::vector<sim::Connection> conns_;
};

}  // namespace models::request
