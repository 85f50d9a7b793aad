#pragma once
// One OCR-aggregated price feed on the simulated chain: n Chainlink nodes running the OCR1 or OCR2 protocol
// (models/ocr; `aggregation: ocr` or `ocr2`) over a sim::Network, the matching aggregator contract
// (OffchainAggregator or OCR2Aggregator), an AggregatorProxy and consumers reading through it. It shares the feed-level settings of a per-node feed (FeedConfig: name, asset, oracles, providers,
// deviation threshold, heartbeat, node, consumers) and emits the PriceFeed signals (price_feed.hpp): triggered when
// an honest oracle's shouldReport holds, tx_included for every transmit (reverted duplicates too). The protocol's
// own metrics (safety, liveness, epochs) are computed in analysis/ocr_metrics.hpp from oracles()' signals.
//
// Each oracle observes the median of its providers' quotes, asked when the observe-req arrives and waited for at most
// `observe_timeout` (OCR2: max_duration_observation; libocr queries its data source on each observe-req; a late
// observation misses the round). With
// `observe_cache` it answers at once from a median polled in the background every `observe_poll` instead.
//
// Configuration changes (FeedConfig::changes, docs/ocr.md#configuration-changes): at each change's time the feed's
// owner account sends setConfig (the new members' signing keys and Chainlink node accounts, f) through its own
// transaction manager. When it is included the contract runs under the new digest: a transmission of the old
// configuration that lands later reverts ("configDigest mismatch"), and the oracles, still on the old
// configuration, drop their reports at transmission (libocr compares the contract's digest). Every node checks the
// contract when the ConfigSet log arrives and again every ocr.config_check, and switches at the first check at
// which the ConfigSet block has ocr.contract_confirmations; then members left out stop and the new set starts the
// protocol from epoch 0 (new leader and transmission keys, derived per configuration). Every member exists (and
// has its Chainlink node and network host) from the start; one that joins later is idle until then.
// Simplified: every node checks at the same instants (the log reaches them at the block's time); a reorg that
// undoes the setConfig block is not followed by the nodes (a re-inclusion changes nothing); the owner is an
// ordinary funded account (no ownership check); a change included while an earlier one still waits for its
// confirmations takes over its wait (the nodes move straight to the later configuration).
#include <cstdint>
#include <any>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/contracts/aggregator_proxy.hpp"
#include "models/contracts/consumer.hpp"
#include "models/ocr/ocr2_aggregator.hpp"
#include "models/ocr/ocr_aggregator.hpp"
#include "models/feeds/feed_config.hpp"
#include "models/feeds/price_feed.hpp"
#include "models/feeds/ocr_settings.hpp"
#include "models/node/node.hpp"
#include "models/feeds/ocr_chain_binding.hpp"
#include "models/ocr/ocr_config.hpp"
#include "models/ocr/ocr_feed.hpp"
#include "models/providers/data_provider.hpp"
#include "models/providers/true_price.hpp"
#include "sim/config_issue.hpp"
#include "sim/network/network.hpp"
#include "sim/signal.hpp"
#include "sim/timer.hpp"

namespace models::feeds {

// The aggregator seen through the proxy: latestRoundData from the OCR aggregator's latest transmission.
// Simplified: only the latest round is kept (getRoundData of an older round finds no data).
class OcrRoundReader : public contracts::RoundReader {
 public:
  OcrRoundReader(const ocr::AggregatorReadout& agg, int decimals) : agg_(agg), decimals_(decimals) {}
  std::optional<contracts::RoundData> latest_round_data() const override;
  std::optional<contracts::RoundData> get_round_data(std::uint64_t round_id) const override;
  int decimals() const override { return decimals_; }

 private:
  const ocr::AggregatorReadout& agg_;
  int decimals_;
};

// LINK minted to an OCR aggregator at deployment (assumption: as the FluxAggregator's funding_link, well above
// what a run pays).
inline constexpr std::uint64_t kOcrFundingLink = 1'000'000;
// Gas limit of the owner's setConfig (assumption: room for 31 oracles replaced and paid).
inline constexpr chain::Gas kSetConfigGasLimit = 8'000'000;

class OcrPriceFeed : public PriceFeed {
 public:
  // Builds the nodes, the OCR oracles (network hosts "<name>/node-<i>" in `net`), deploys the aggregator and the
  // proxy. `providers`: the DataProviders of the feed's asset it uses; `truth`: the asset's true price (for the
  // liveness monitor). The configs must be valid (validate_ocr_feed): the scenario loader checks them.
  OcrPriceFeed(sim::Simulation& sim, chain::Chain& chain, sim::Network& net, const FeedConfig& feed,
               const OcrSettings& ocr, std::vector<providers::DataProvider*> providers,
               const providers::TruePrice* truth = nullptr);
  OcrPriceFeed(const OcrPriceFeed&) = delete;
  OcrPriceFeed& operator=(const OcrPriceFeed&) = delete;

  void start() override;


  const FeedConfig& config() const override { return cfg_; }
  const ocr::OcrConfig& protocol() const { return proto_; }
  ocr::OcrFeed& oracles() { return *ocr_; }
  const OcrChainBinding& binding() const { return *binding_; }
  const ocr::AggregatorReadout& aggregator() const { return binding_->aggregator(); }
  // The deployed contract as its concrete type (nullptr for the other generation).
  const ocr::OcrAggregator* ocr1_aggregator() const;
  const ocr::Ocr2Aggregator* ocr2_aggregator() const;
  chain::Address aggregator_address() const { return aggregator_addr_; }
  const contracts::AggregatorProxy& proxy() const override { return *proxy_; }
  std::size_t node_count() const override { return nodes_.size(); }
  node::ChainlinkNode& node(std::size_t i) override { return *nodes_[i]; }
  // The aggregator is minted kOcrFundingLink.
  void attach_link(contracts::LinkToken& link) override;
  FeedLinkAccounting link_accounting() const override;

 private:
  // One oracle's view of its providers: the median of the last poll's quotes.
  struct Observer {
    std::optional<double> median;
    sim::Time at{};
    std::unique_ptr<sim::Timer> timer;
  };
  void poll(std::size_t i);
  // Deploys the contract of the configured generation; returns it as what the proxy and binding read.
  std::shared_ptr<ocr::AggregatorReadout> deploy_aggregator(const std::vector<node::ChainlinkNode*>& nodes);
  std::vector<node::ChainlinkNode*> nodes_of(const std::vector<int>& members) const;
  node::TxRequest change_tx(std::size_t j) const;            // the owner's setConfig for change j
  void on_config_set(std::size_t j, const chain::Receipt& r);  // its receipt
  void check_confirmations(std::size_t j);                   // a block came: schedule the switch once confirmed
  void switch_config(std::size_t j);                         // the oracles move to configuration j + 1
  // Credits the nodes what an accepted report earned them; returns the juels the report cost the feed.
  double credit_report(node::ChainlinkNode& transmitter, const std::any& payload);
  // Asks every provider; `done` gets the median of the quotes that answered within `timeout` (nullopt with fewer
  // than min_quotes).
  void fetch(sim::Duration timeout, std::function<void(std::optional<double>)> done);

  sim::Simulation& sim_;
  chain::Chain& chain_;
  FeedConfig cfg_;
  OcrSettings settings_;
  ocr::OcrConfig proto_;
  std::vector<providers::DataProvider*> providers_;
  std::vector<std::unique_ptr<node::ChainlinkNode>> nodes_;
  std::vector<Observer> observers_;
  std::unique_ptr<OcrChainBinding> binding_;
  std::unique_ptr<ocr::OcrFeed> ocr_;
  chain::Address aggregator_addr_;
  std::unique_ptr<OcrRoundReader> reader_;
  std::unique_ptr<contracts::AggregatorProxy> proxy_;
  std::vector<std::unique_ptr<contracts::FeedConsumer>> consumers_;
  std::vector<sim::Connection> conns_;
  std::uint64_t last_trigger_key_ = 0;  // the key of the last trigger signalled (one signal per round)
  std::vector<FeedConfiguration> confs_;   // the first configuration and one per change
  std::vector<int> contract_members_;      // the members of the contract's current configuration (billing)
  std::unique_ptr<sim::Timer> switch_timer_;
  std::size_t pending_switch_ = 0;  // the change switch_timer_ switches to
  sim::Connection block_conn_;
  contracts::LinkToken* link_ = nullptr;
  bool reorged_ = false;  // a reorg happened (node credits no longer match the contract state exactly)
};

}  // namespace models::feeds
