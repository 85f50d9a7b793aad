#pragma once
// One OCR-aggregated price feed on the simulated chain: n Chainlink nodes running the OCR1 protocol
// (models/ocr) over a sim::Network, the OCR aggregator contract, an AggregatorProxy and consumers reading through
// it. It shares the feed-level settings of a per-node feed (FluxFeedConfig: name, asset, oracles, providers,
// deviation threshold, heartbeat, node, consumers) and emits the same signals as FluxFeed, so the feed metrics
// (analysis/feed_metrics.hpp) are computed alike for both aggregation modes:
//
//   answer_changed  the on-chain answer changed (an accepted report), key = phase << 32 | aggregator round
//   triggered       an honest oracle's shouldReport held (deviation, heartbeat, first round, requested); the key is
//                   that of the aggregator round its report would become
//   tx_included     a transmit tx was included (reverted duplicates too), with the LINK it earned
//   consumer_read   a consumer read through the proxy
//
// Each oracle observes the median of its providers' quotes, polled every `observe_poll` (a cache refreshed in the
// background; a quote older than `observe_max_age` is no observation). Simplified: libocr queries the data
// sources on each observe-req; the poll cadence stands for that query's staleness.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/contracts/aggregator_proxy.hpp"
#include "models/contracts/consumer.hpp"
#include "models/contracts/ocr_aggregator.hpp"
#include "models/feeds/flux_feed.hpp"
#include "models/feeds/ocr_settings.hpp"
#include "models/node/node.hpp"
#include "models/ocr/ocr_chain_binding.hpp"
#include "models/ocr/ocr_config.hpp"
#include "models/ocr/ocr_feed.hpp"
#include "models/providers/data_provider.hpp"
#include "models/providers/true_price.hpp"
#include "sim/config_issue.hpp"
#include "sim/network/network.hpp"
#include "sim/signal.hpp"
#include "sim/timer.hpp"

namespace models::feeds {

// The protocol config of feed `feed` with settings `ocr`: n = oracles, f resolved, alpha_ppb from the threshold,
// delta_c = heartbeat.
ocr::OcrConfig resolve_ocr(const FluxFeedConfig& feed, const OcrSettings& ocr);
// The problems of an OCR feed, keys under `path` (e.g. "feeds[0]"; protocol keys under "feeds[0].ocr").
sim::ConfigIssues validate_ocr_feed(const FluxFeedConfig& feed, const OcrSettings& ocr, const std::string& path);

// The aggregator seen through the proxy: latestRoundData from the OCR aggregator's latest transmission.
// Simplified: only the latest round is kept (getRoundData of an older round finds no data).
class OcrRoundReader : public contracts::RoundReader {
 public:
  explicit OcrRoundReader(const contracts::OcrAggregator& agg) : agg_(agg) {}
  std::optional<contracts::RoundData> latest_round_data() const override;
  std::optional<contracts::RoundData> get_round_data(std::uint64_t round_id) const override;

 private:
  const contracts::OcrAggregator& agg_;
};

class OcrPriceFeed {
 public:
  // Builds the nodes, the OCR oracles (network hosts "<name>/node-<i>" in `net`), deploys the aggregator and the
  // proxy. `providers`: the DataProviders of the feed's asset it uses; `truth`: the asset's true price (for the
  // liveness monitor). Throws std::invalid_argument if the configs do not validate.
  OcrPriceFeed(sim::Simulation& sim, chain::Chain& chain, sim::Network& net, const FluxFeedConfig& feed,
               const OcrSettings& ocr, std::vector<providers::DataProvider*> providers,
               const providers::TruePrice* truth = nullptr);
  OcrPriceFeed(const OcrPriceFeed&) = delete;
  OcrPriceFeed& operator=(const OcrPriceFeed&) = delete;

  void start();
  // Closes the liveness monitor's open gap at `t` (call once at the end of the run, before metrics()).
  void finish(sim::Time t) { ocr_->finish(t); }

  const FluxFeedConfig& config() const { return cfg_; }
  const ocr::OcrConfig& protocol() const { return proto_; }
  ocr::OcrFeed& oracles() { return *ocr_; }
  const ocr::OcrChainBinding& binding() const { return *binding_; }
  const contracts::OcrAggregator& aggregator() const { return binding_->aggregator(); }
  const contracts::AggregatorProxy& proxy() const { return *proxy_; }
  std::size_t node_count() const { return nodes_.size(); }
  node::ChainlinkNode& node(std::size_t i) { return *nodes_[i]; }
  ocr::OcrFeedMetrics metrics() const { return ocr_->metrics(); }

  sim::Signal<sim::Time, std::int64_t, std::uint64_t> answer_changed;  // (time, answer, phase << 32 | round)
  sim::Signal<sim::Time, std::uint64_t> triggered;  // (time, update key of the round a report is due for)
  sim::Signal<FeedTx> tx_included;
  sim::Signal<contracts::ConsumerRead> consumer_read;

 private:
  // One oracle's view of its providers: the median of the last poll's quotes.
  struct Observer {
    std::optional<double> median;
    sim::Time at{};
    std::unique_ptr<sim::Timer> timer;
  };
  void poll(std::size_t i);

  sim::Simulation& sim_;
  chain::Chain& chain_;
  FluxFeedConfig cfg_;
  OcrSettings settings_;
  ocr::OcrConfig proto_;
  std::vector<providers::DataProvider*> providers_;
  std::vector<std::unique_ptr<node::ChainlinkNode>> nodes_;
  std::vector<Observer> observers_;
  std::unique_ptr<ocr::OcrChainBinding> binding_;
  std::unique_ptr<ocr::OcrFeed> ocr_;
  chain::Address aggregator_addr_;
  std::unique_ptr<OcrRoundReader> reader_;
  std::unique_ptr<contracts::AggregatorProxy> proxy_;
  std::vector<std::unique_ptr<contracts::FeedConsumer>> consumers_;
  std::vector<sim::Connection> conns_;
  std::uint64_t last_trigger_key_ = 0;  // the key of the last trigger signalled (one signal per round)
};

}  // namespace models::feeds
