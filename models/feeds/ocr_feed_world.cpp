#include "models/feeds/ocr_feed_world.hpp"

#include <stdexcept>

#include <fmt/core.h>

namespace models::feeds {

OcrFeedWorld::OcrFeedWorld(sim::Simulation& sim, const FeedWorldConfig& cfg, const std::vector<OcrSettings>& ocr,
                           const sim::NetworkConfig& network)
    : sim_(sim), cfg_(cfg) {
  sim::ConfigIssues issues = cfg_.validate();
  for (std::size_t i = 0; i < cfg_.feeds.size(); ++i) {
    const auto path = fmt::format("feeds[{}]", i);
    // The flux-only checks (min/max submissions) do not apply; the OCR ones do.
    sim::ConfigIssues mine;
    for (const auto& it : issues.items())
      if (it.path.rfind(path + ".flux", 0) != 0 && it.path != path + ".aggregation" &&
          (cfg_.feeds[i].aggregation == "ocr" || it.path != path + ".oracles"))
        mine.add(it.path, it.message);
    issues = mine;
    // A feed marked `aggregation: ocr` was checked with its own .ocr settings by validate(); others here.
    if (cfg_.feeds[i].aggregation != "ocr")
      issues.append(validate_ocr_feed(cfg_.feeds[i], i < ocr.size() ? ocr[i] : OcrSettings{}, path));
  }
  issues.throw_if_any("invalid OCR feed world");
  net_ = std::make_unique<sim::Network>(sim_, network);
  chain_ = std::make_unique<chain::Chain>(sim_, cfg_.chain);
  prices_ = make_true_prices(sim_, cfg_.assets);
  for (const auto& p : cfg_.providers) providers_.push_back(std::make_unique<providers::DataProvider>(sim_, p, *prices_.at(p.asset)));
  for (std::size_t i = 0; i < cfg_.feeds.size(); ++i) {
    const auto& f = cfg_.feeds[i];
    std::vector<providers::DataProvider*> mine = providers_for(f, providers_);
    // A feed marked `aggregation: ocr` carries its settings; otherwise ocr[i] (or the defaults).
    const OcrSettings& settings = f.aggregation == "ocr" ? f.ocr : i < ocr.size() ? ocr[i] : OcrSettings{};
    feeds_.push_back(std::make_unique<OcrPriceFeed>(sim_, *chain_, *net_, f, settings,
                                                    std::move(mine), prices_.at(f.asset).get()));
  }
}

void OcrFeedWorld::start() {
  chain_->start();
  for (auto& [name, p] : prices_) p->start();
  for (auto& p : providers_) p->start();
  for (auto& f : feeds_) f->start();
}

}  // namespace models::feeds
