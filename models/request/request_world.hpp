#pragma once
// The world of a basic-request-model study, built from plain config structs: the chain, one true price per asset,
// the data providers (the APIs jobs GET), the LINK token, the operators (each an Operator contract, its owner and
// one Chainlink node running a direct-request job authorized on it) and the consumers (a ChainlinkClient funded
// with LINK and its owner's wallet with a transaction manager). Nothing runs until start().
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
#include "models/feeds/feed_world.hpp"
#include "models/node/node.hpp"
#include "models/providers/data_provider.hpp"
#include "models/providers/true_price.hpp"
#include "models/request/chainlink_client.hpp"
#include "models/request/direct_request_job.hpp"
#include "models/request/request_consumer.hpp"
#include "sim/config_issue.hpp"
#include "sim/simulation.hpp"

namespace models::request {

struct OperatorSetup {
  std::string name = "operator-0";      // unique; its node is "<name>/node"
  std::string job_id = "eth-usd-get";   // the external job id its node serves
  node::NodeConfig node;                // the node's funding and gas estimator
  DirectRequestJobConfig job;           // confirmations, HTTP timeouts and retries, gas limit
};

struct ConsumerSetup {
  std::string name = "consumer-0";      // unique
  RequestConsumerConfig request;        // arrivals, fee, job id and parameters
  std::uint64_t link_funding = 10'000;  // LINK minted to its ChainlinkClient; assumption
  chain::Gas callback_gas = 25'000;     // gas of the consumer's fulfill beyond record keeping; assumption
  bool revert_callbacks = false;        // a broken consumer whose callback always reverts
  std::vector<std::string> operators;   // operators it sends to in turn; empty = all
  node::NodeConfig wallet;              // its owner's wallet (ETH funding, fee estimation)
};

struct RequestWorldConfig {
  chain::ChainConfig chain;                          // the simulated chain
  std::vector<feeds::AssetConfig> assets;            // at least one
  std::vector<providers::ProviderConfig> providers;  // the APIs (a request's `get` names one)
  std::vector<OperatorSetup> operators;              // at least one
  std::vector<ConsumerSetup> consumers;              // at least one
  sim::ConfigIssues validate(const std::string& path = "requests") const;
};

// LINK accounting from contract state, in juels.
struct LinkAccounting {
  contracts::Juels spent = 0;      // sent by consumers with requests
  contracts::Juels earned = 0;     // released to operators by fulfilments
  contracts::Juels refunded = 0;   // returned by cancellations
  contracts::Juels escrow = 0;     // still held for pending requests
  // Empty when spent = earned + refunded + escrow and the token balances agree; else what is wrong.
  std::string violation;
};

class RequestWorld {
 public:
  // Throws std::invalid_argument listing the issues if `cfg` does not validate.
  RequestWorld(sim::Simulation& sim, const RequestWorldConfig& cfg);
  RequestWorld(const RequestWorld&) = delete;
  RequestWorld& operator=(const RequestWorld&) = delete;

  void start();
  chain::Chain& chain() { return *chain_; }
  const contracts::LinkToken& link() const { return *link_; }
  std::size_t operator_count() const { return operators_.size(); }
  const contracts::Operator& operator_contract(std::size_t i) const { return *operators_[i].contract; }
  node::ChainlinkNode& node(std::size_t i) { return *operators_[i].node; }
  DirectRequestJob& job(std::size_t i) { return *operators_[i].job; }
  std::size_t consumer_count() const { return consumers_.size(); }
  RequestConsumer& consumer(std::size_t i) { return *consumers_[i].actor; }
  const ChainlinkClient& client(std::size_t i) const { return *consumers_[i].client; }
  providers::DataProvider& provider(const std::string& name) { return *providers_.at(name); }
  LinkAccounting link_accounting() const;
  const RequestWorldConfig& config() const { return cfg_; }

 private:
  struct Op {
    std::shared_ptr<contracts::Operator> contract;
    chain::Address address{};
    std::unique_ptr<node::ChainlinkNode> node;
    std::unique_ptr<DirectRequestJob> job;
  };
  struct Consumer {
    std::shared_ptr<ChainlinkClient> client;
    chain::Address address{};
    contracts::Juels funding = 0;
    std::unique_ptr<node::TxManager> wallet;
    std::unique_ptr<RequestConsumer> actor;
  };
  sim::Simulation& sim_;
  RequestWorldConfig cfg_;
  std::unique_ptr<chain::Chain> chain_;
  std::map<std::string, std::unique_ptr<providers::TruePrice>> prices_;
  std::map<std::string, std::unique_ptr<providers::DataProvider>> providers_;
  std::shared_ptr<contracts::LinkToken> link_;
  chain::Address link_address_{};
  std::vector<Op> operators_;
  std::vector<Consumer> consumers_;
};

}  // namespace models::request
