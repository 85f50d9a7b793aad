#pragma once
// The feeds subsystem: every price feed of a scenario (`feeds:`), per-node (FluxFeed) or OCR (OcrPriceFeed) in any
// mix and on any asset, built on the shared environment's chain, providers and network. Registered once in
// analysis/subsystems.cpp; this file gives the registration its scenario keys, the actor names faults may
// target ("<feed>/node-<i>", model flux-node or ocr-node), the OCR byzantine behaviours and the builder.
#include <memory>
#include <string>
#include <vector>

#include "models/faults/actor_control.hpp"
#include "models/faults/fault_kind_registry.hpp"
#include "models/feeds/feed_config.hpp"
#include "models/feeds/flux_feed.hpp"
#include "models/feeds/ocr_price_feed.hpp"
#include "models/feeds/price_feed.hpp"
#include "models/scenario/scenario.hpp"
#include "models/scenario/schema.hpp"
#include "models/world/environment.hpp"
#include "models/world/part.hpp"

namespace models::feeds {

inline constexpr const char* kSubsystem = "feeds";
using FeedsConfig = std::vector<FeedConfig>;

// The scenario's feeds (`feeds:`).
const FeedsConfig& feeds_of(const scenario::ScenarioConfig& c);
FeedsConfig& feeds_of(scenario::ScenarioConfig& c);

// Registration: the `feeds:` keys (with the checks against assets and providers), the actors, the fault kinds.
void register_keys(scenario::Block<scenario::ScenarioConfig>& root);
void actor_names(const scenario::ScenarioConfig& c, std::vector<scenario::ActorName>& out);
void register_fault_kinds(faults::FaultKindRegistry& registry);
// Each feed's own checks and those against the environment (names unique, the asset listed, providers quoting it).
void validate_feeds(const scenario::ScenarioConfig& c, sim::ConfigIssues& out);

// Every feed of a run, in scenario order. Each feed's proxy is published in the environment under its name.
class FeedsPart : public world::Part {
 public:
  FeedsPart(world::Environment& env, const FeedsConfig& feeds);
  void start() override;
  void register_actors(faults::ActorDirectory& directory) override;
  std::string leader_among(const std::vector<std::string>& targets) const override;

  std::size_t feed_count() const { return feeds_.size(); }
  PriceFeed& feed(std::size_t i) { return *feeds_[i]; }
  // The feed as its concrete type, or nullptr for the other aggregation mode.
  FluxFeed* flux_feed(std::size_t i) { return dynamic_cast<FluxFeed*>(feeds_[i].get()); }
  OcrPriceFeed* ocr_feed(std::size_t i) { return dynamic_cast<OcrPriceFeed*>(feeds_[i].get()); }
  // What disagrees in the feeds' LINK books (PriceFeed::link_accounting), or empty.
  std::string link_violation() const;

 private:
  std::vector<std::unique_ptr<PriceFeed>> feeds_;
  std::vector<std::unique_ptr<faults::ActorControl>> flux_controls_;
};

// The builder: nullptr when the scenario has no feeds.
std::unique_ptr<world::Part> build(world::Environment& env, const scenario::ScenarioConfig& c);

}  // namespace models::feeds
