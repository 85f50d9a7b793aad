#pragma once
// One per-node-aggregation (FluxAggregator-style) price feed on the simulated chain: the aggregator contract,
// n Chainlink nodes each running a flux monitor job on its providers, an AggregatorProxy with phases, and the
// consumers reading through it. migrate() swaps in a fresh aggregator mid-run: the nodes move to it at once, the
// proxy is proposed the new one and confirms it when it has its first answer, so consumers are served
// throughout.
//
// Signals for collectors: answer_changed (the answer consumers see changed), triggered (a node decided to
// submit), tx_included (a submit tx was included, with the LINK it earned) and consumer_read.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/contracts/aggregator_proxy.hpp"
#include "models/contracts/consumer.hpp"
#include "models/contracts/flux_aggregator.hpp"
#include "models/feeds/flux_monitor.hpp"
#include "models/feeds/ocr_settings.hpp"
#include "models/node/node.hpp"
#include "models/providers/data_provider.hpp"
#include "sim/config_issue.hpp"
#include "sim/signal.hpp"

namespace models::feeds {

// The per-node aggregation parameters of a feed (scenario block feeds[i].flux).
struct FluxParams {
  sim::Duration poll_interval = sim::Duration::nanoseconds(60'000'000'000);   // provider polling; assumption: 1 min
  sim::Duration provider_timeout = sim::Duration::nanoseconds(5'000'000'000); // quotes later are ignored; assumption
  std::uint32_t min_quotes = 1;             // provider answers needed for a median; assumption
  std::uint32_t min_submissions = 0;        // 0: floor(oracles / 2) + 1 (assumption)
  std::uint32_t max_submissions = 0;        // 0: oracles
  std::uint32_t restart_delay = 0;          // rounds between two rounds started by one oracle; assumption
  sim::Duration timeout = sim::Duration::nanoseconds(1'800'000'000'000);      // round timeout; assumption: 30 min
  std::uint64_t payment = 100'000'000'000'000'000ULL;  // juels per submission; assumption: 0.1 LINK (facts §3 typical fee)
  chain::Gas gas_limit = 0;                 // per submit tx; 0: the node's default_gas_limit
};

struct FluxFeedConfig {
  std::string name = "eth-usd";             // feed name; nodes are "<name>/node-<i>"
  std::string asset = "ETH/USD";            // the asset its providers quote
  std::string aggregation = "flux";         // "flux" (FluxFeed) or "ocr" (OcrPriceFeed, settings in `ocr`)
  std::uint32_t oracles = 7;                // nodes (1..77); oracles per feed: facts §5 "not found", assumption
  std::vector<std::string> providers;       // providers every node polls; empty: all providers of the asset
  double deviation = 0.005;                 // relative deviation threshold; facts §5: ETH/USD 0.5%
  sim::Duration heartbeat = sim::Duration::nanoseconds(3'600'000'000'000);  // facts §5: ETH/USD 3,600 s
  FluxParams flux;                          // per-node aggregation parameters (aggregation: flux)
  OcrSettings ocr;                          // OCR parameters (aggregation: ocr)
  node::NodeConfig node;                    // each node's funding and gas estimator
  std::vector<contracts::ConsumerConfig> consumers{contracts::ConsumerConfig{}};  // readers through the proxy

  FluxMonitorConfig monitor_config() const;
  contracts::FluxAggregatorConfig aggregator_config() const;  // min/max resolved
  sim::ConfigIssues validate(const std::string& path) const;
};

// A submit tx of the feed, included on chain.
struct FeedTx {
  chain::Receipt receipt;
  double juels_paid = 0;  // LINK earned by the submitter for it (0 if it reverted)
};

class FluxFeed {
 public:
  // Creates the nodes (funded accounts), deploys the aggregator and wires the jobs; `providers` are the
  // DataProviders the nodes poll (already filtered for this feed).
  FluxFeed(sim::Simulation& sim, chain::Chain& chain, const FluxFeedConfig& cfg,
           std::vector<providers::DataProvider*> providers);
  FluxFeed(const FluxFeed&) = delete;
  FluxFeed& operator=(const FluxFeed&) = delete;

  void start();
  // Deploys a fresh aggregator with the same oracles, moves the jobs to it and proposes it to the proxy.
  void migrate();

  const FluxFeedConfig& config() const { return cfg_; }
  const contracts::AggregatorProxy& proxy() const { return *proxy_; }
  const contracts::FluxAggregator& aggregator() const { return *aggregators_.back(); }
  chain::Address aggregator_address() const { return aggregator_addrs_.back(); }
  std::size_t node_count() const { return nodes_.size(); }
  node::ChainlinkNode& node(std::size_t i) { return *nodes_[i]; }
  FluxMonitor& monitor(std::size_t i) { return *monitors_[i]; }
  const std::vector<std::unique_ptr<contracts::FeedConsumer>>& consumers() const { return consumers_; }

  // (time, answer, update key: phase << 32 | round; phase = 1 + the aggregator's index in deployment order)
  sim::Signal<sim::Time, std::int64_t, std::uint64_t> answer_changed;
  sim::Signal<sim::Time, std::uint64_t> triggered;  // (time, update key of the round a node decided to submit to)
  sim::Signal<FeedTx> tx_included;
  sim::Signal<contracts::ConsumerRead> consumer_read;

 private:
  void deploy_aggregator();
  void on_answer(std::size_t index, sim::Time t, std::uint32_t round, std::int64_t answer);

  sim::Simulation& sim_;
  chain::Chain& chain_;
  FluxFeedConfig cfg_;
  std::vector<providers::DataProvider*> providers_;
  std::vector<std::unique_ptr<node::ChainlinkNode>> nodes_;
  std::vector<std::shared_ptr<contracts::FluxAggregator>> aggregators_;
  std::vector<chain::Address> aggregator_addrs_;
  std::vector<std::unique_ptr<FluxMonitor>> monitors_;
  std::unique_ptr<contracts::AggregatorProxy> proxy_;
  std::vector<std::unique_ptr<contracts::FeedConsumer>> consumers_;
  std::vector<sim::Connection> conns_;
};

}  // namespace models::feeds
