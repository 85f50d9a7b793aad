#pragma once
// One per-node-aggregation (FluxAggregator-style) price feed on the simulated chain: the aggregator contract,
// n Chainlink nodes each running a flux monitor job on its providers, an AggregatorProxy with phases, and the
// consumers reading through it. migrate() swaps in a fresh aggregator mid-run: the nodes move to it at once, the
// proxy is proposed the new one and confirms it when it has its first answer, so consumers are served
// throughout.
//
// Signals (PriceFeed): answer_changed (update key: phase << 32 | round; phase = 1 + the aggregator's index in
// deployment order), triggered (a node decided to submit), tx_included (a submit tx was included, with the LINK it
// earned) and consumer_read.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/contracts/aggregator_proxy.hpp"
#include "models/contracts/consumer.hpp"
#include "models/contracts/flux_aggregator.hpp"
#include "models/feeds/flux_monitor.hpp"
#include "models/feeds/feed_config.hpp"
#include "models/feeds/price_feed.hpp"
#include "models/node/node.hpp"
#include "models/providers/data_provider.hpp"
#include "sim/config_issue.hpp"
#include "sim/signal.hpp"

namespace models::feeds {

// Configuration changes (FeedConfig::changes: `oracles`, `replace`; docs/ocr.md#configuration-changes): at each
// change's time the feed's owner account sends changeOracles (the members leaving, those joining, and min/max
// submissions and restartDelay resolved for the new count as for the first). The nodes follow the contract's
// round rules through oracleRoundState: a removed oracle may still report up to the round after the reporting one,
// an added one from then on. Every member's node exists from the start; the flux monitor job of one that joins is
// started when changeOracles is included (its operator adds the job once it is an oracle).
class FluxFeed : public PriceFeed {
 public:
  // Gas limit of the owner's changeOracles (assumption: room for dozens of oracles removed and added).
  static constexpr chain::Gas kChangeOraclesGasLimit = 5'000'000;
  // Creates the nodes (funded accounts), deploys the aggregator and wires the jobs; `providers` are the
  // DataProviders the nodes poll (already filtered for this feed).
  FluxFeed(sim::Simulation& sim, chain::Chain& chain, const FeedConfig& cfg,
           std::vector<providers::DataProvider*> providers);
  FluxFeed(const FluxFeed&) = delete;
  FluxFeed& operator=(const FluxFeed&) = delete;

  void start() override;
  // Deploys a fresh aggregator with the same oracles, moves the jobs to it and proposes it to the proxy.
  void migrate();

  const FeedConfig& config() const override { return cfg_; }
  const contracts::AggregatorProxy& proxy() const override { return *proxy_; }
  const contracts::FluxAggregator& aggregator() const { return *aggregators_.back(); }
  chain::Address aggregator_address() const { return aggregator_addrs_.back(); }
  std::size_t node_count() const override { return nodes_.size(); }
  node::ChainlinkNode& node(std::size_t i) override { return *nodes_[i]; }
  FluxMonitor& monitor(std::size_t i) { return *monitors_[i]; }
  const std::vector<std::unique_ptr<contracts::FeedConsumer>>& consumers() const { return consumers_; }
  // Each aggregator is minted its FluxAggregatorConfig::funding_link.
  void attach_link(contracts::LinkToken& link) override;
  FeedLinkAccounting link_accounting() const override;

 private:
  void deploy_aggregator(const std::vector<chain::Address>& oracles);
  node::TxRequest change_tx(std::size_t j) const;  // changeOracles for change j
  void on_change(std::size_t j, const chain::Receipt& r);
  void on_answer(std::size_t index, sim::Time t, std::uint32_t round, contracts::Answer answer);

  sim::Simulation& sim_;
  chain::Chain& chain_;
  FeedConfig cfg_;
  std::vector<providers::DataProvider*> providers_;
  std::vector<std::unique_ptr<node::ChainlinkNode>> nodes_;
  std::vector<std::shared_ptr<contracts::FluxAggregator>> aggregators_;
  std::vector<chain::Address> aggregator_addrs_;
  std::vector<std::unique_ptr<FluxMonitor>> monitors_;
  std::unique_ptr<contracts::AggregatorProxy> proxy_;
  std::vector<std::unique_ptr<contracts::FeedConsumer>> consumers_;
  std::vector<sim::Connection> conns_;
  contracts::LinkToken* link_ = nullptr;
  bool reorged_ = false;  // a reorg happened (node credits no longer match the contract state exactly)
  std::vector<FeedConfiguration> confs_;   // the first set of oracles and one per change
  std::vector<bool> started_;              // per member: its monitor runs
};

}  // namespace models::feeds
