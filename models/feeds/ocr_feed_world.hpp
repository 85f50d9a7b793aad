#pragma once
// The world of an OCR feed study built from the same plain config as FeedWorld (chain, assets, providers,
// feeds), with every feed aggregated by OCR (OcrPriceFeed) over one sim::Network: the counterpart of FeedWorld
// for `aggregation: ocr`. The same seed gives the same price paths and provider quotes as a FeedWorld (the
// random streams have the same names), so the two modes compare with common random numbers.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/feeds/feed_world.hpp"
#include "models/feeds/ocr_price_feed.hpp"
#include "sim/network/network.hpp"

namespace models::feeds {

class OcrFeedWorld {
 public:
  // `ocr[i]` are feed i's OCR settings (missing entries: defaults; a feed with aggregation "ocr" uses its own
  // `ocr` member instead); `network` the oracles' network (default: a
  // full mesh with the NetworkConfig defaults). Throws std::invalid_argument listing the issues if a config
  // does not validate.
  OcrFeedWorld(sim::Simulation& sim, const FeedWorldConfig& cfg, const std::vector<OcrSettings>& ocr,
               const sim::NetworkConfig& network = {});
  OcrFeedWorld(const OcrFeedWorld&) = delete;
  OcrFeedWorld& operator=(const OcrFeedWorld&) = delete;

  void start();

  chain::Chain& chain() { return *chain_; }
  sim::Network& network() { return *net_; }
  providers::TruePrice& true_price(const std::string& asset) { return *prices_.at(asset); }
  std::size_t provider_count() const { return providers_.size(); }
  providers::DataProvider& provider(std::size_t i) { return *providers_[i]; }
  std::size_t feed_count() const { return feeds_.size(); }
  OcrPriceFeed& feed(std::size_t i) { return *feeds_[i]; }

 private:
  sim::Simulation& sim_;
  FeedWorldConfig cfg_;
  std::unique_ptr<sim::Network> net_;
  std::unique_ptr<chain::Chain> chain_;
  std::map<std::string, std::unique_ptr<providers::TruePrice>> prices_;
  std::vector<std::unique_ptr<providers::DataProvider>> providers_;
  std::vector<std::unique_ptr<OcrPriceFeed>> feeds_;
};

}  // namespace models::feeds
