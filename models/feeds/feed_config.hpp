#pragma once
// The configuration of one price feed (scenario `feeds[i]`), shared by both aggregation modes: per-node
// (FluxAggregator + flux monitor job, `flux:` parameters) and OCR1 (`ocr:` parameters).
#include <cstdint>
#include <string>
#include <vector>

#include "models/chain/chain_config.hpp"
#include "models/contracts/consumer.hpp"
#include "models/contracts/flux_aggregator.hpp"
#include "models/feeds/flux_monitor.hpp"
#include "models/feeds/ocr_settings.hpp"
#include "models/node/node_config.hpp"
#include "models/ocr/ocr_config.hpp"
#include "sim/config_issue.hpp"
#include "sim/time.hpp"

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

// The protocol settings a configuration change may set (feeds[i].changes[j].ocr); what is not set is as before.
struct ChangeOcrSettings {
  int f = -2;                       // -2: as before; -1: the most the new oracle count tolerates, floor((n - 1) / 3)
  sim::Duration delta_progress{};   // 0: as before (the same for the other durations)
  sim::Duration delta_resend{};
  sim::Duration delta_round{};
  sim::Duration delta_grace{};
  sim::Duration delta_stage{};
  int r_max = 0;                    // 0: as before
};

// A configuration change of a feed (feeds[i].changes[j]): at `at` the feed's owner sends setConfig (OCR: a new
// oracle set, f or timing; the nodes switch once the ConfigSet event has ocr.contract_confirmations) or
// changeOracles (per-node: a new oracle set; the contract's round rules apply) (docs/ocr.md#configuration-changes).
struct FeedChange {
  sim::Duration at{};          // when the owner sends setConfig, since the run's start
  std::uint32_t oracles = 0;   // oracles after the change (0: as before); new members join as node-<k>, k counting on
  std::uint32_t replace = 0;   // oracles of the current set replaced by new members (the last ones of the set)
  ChangeOcrSettings ocr;
};

struct FeedConfig {
  std::string name = "eth-usd";             // feed name; nodes are "<name>/node-<i>"
  std::string asset = "ETH/USD";            // the asset its providers quote
  std::string aggregation = "flux";         // "flux" (FluxFeed), "ocr" (OCR1) or "ocr2" (OcrPriceFeed, settings in `ocr`)
  std::uint32_t oracles = 7;                // nodes (1..77); oracles per feed: facts §5 "not found", assumption
  std::vector<std::string> providers;       // providers every node polls; empty: all providers of the asset
  double deviation = 0.005;                 // relative deviation threshold; facts §5: ETH/USD 0.5%
  sim::Duration heartbeat = sim::Duration::nanoseconds(3'600'000'000'000);  // facts §5: ETH/USD 3,600 s
  std::uint32_t decimals = 8;               // answer decimals (AggregatorV3Interface.decimals): USD feeds 8, ETH-denominated 18
  FluxParams flux;                          // per-node aggregation parameters (aggregation: flux)
  OcrSettings ocr;                          // OCR parameters (aggregation: ocr or ocr2)
  node::NodeOverride node_override;         // this feed's nodes' settings that differ from the run's `nodes:`
  node::NodeConfig node;                    // each node's funding and gas estimator: `nodes:` with node_override applied
  std::vector<contracts::ConsumerConfig> consumers{contracts::ConsumerConfig{}};  // readers through the proxy
  std::vector<FeedChange> changes;          // configuration changes during the run, in time order

  // An OCR feed (OCR1 or OCR2): its oracles run the OCR protocol over the network.
  bool is_ocr() const { return aggregation == "ocr" || aggregation == "ocr2"; }
  FluxMonitorConfig monitor_config() const;
  contracts::FluxAggregatorConfig aggregator_config() const;  // min/max resolved
  // The feed's own problems (keys under `path`, e.g. "feeds[0]"), for its aggregation mode.
  sim::ConfigIssues validate(const std::string& path) const;
};

// The actor (and network host) name of node `i` of a feed: "<feed>/node-<i>".
std::string node_name(const FeedConfig& feed, std::size_t i);

// One configuration of a feed: its oracle count, its OCR settings (f resolved) and its members (indices k of
// node-<k>, in OracleId order).
struct FeedConfiguration {
  std::uint32_t oracles = 0;
  OcrSettings ocr;
  std::vector<int> members;
};
// The feed's configurations: the first (members 0 .. oracles - 1), then one per change in order. A change replaces
// the last `replace` members of the set by new ones, then grows the set with new members or shrinks it from the
// end to `oracles`. Counts are clamped to the maximum (OCR 31, per-node 77), so call it on a feed that validates for
// exact results.
std::vector<FeedConfiguration> configurations(const FeedConfig& feed);
// The members a feed ever has: its oracles plus every new member of its changes.
std::uint32_t member_count(const FeedConfig& feed);

// The protocol config of an OCR feed with settings `ocr`: n = oracles, f resolved, alpha_ppb from the threshold,
// delta_c = heartbeat, the version from `aggregation`.
ocr::OcrConfig resolve_ocr(const FeedConfig& feed, const OcrSettings& ocr);
// The problems of an OCR feed, keys under `path` (e.g. "feeds[0]"; protocol keys under "feeds[0].ocr").
sim::ConfigIssues validate_ocr_feed(const FeedConfig& feed, const OcrSettings& ocr, const std::string& path);

// The problems of a feed's changes (keys under `path`.changes[j]): times in order after the run's start, a `replace`
// within the set, and each resulting configuration valid as the first is checked (OCR: validate_ocr_feed;
// per-node: changeOracles' updateFutureRounds checks).
sim::ConfigIssues validate_changes(const FeedConfig& feed, const std::string& path);

// libocr's per-chain minimums of an OCR1 configuration (L offchainreporting/internal/config/public_config.go,
// facts §1): slow-updates chains (Ethereum) 10 min / 10 s / 20 s / 23 s / 10 s, fast-updates chains 10 s / 5 s /
// 5 s / 8 s / 5 s.
struct OcrChainMinimums {
  sim::Duration delta_c, delta_stage, delta_round, delta_progress, delta_resend;
};
OcrChainMinimums ocr_chain_minimums(chain::ChainPreset preset);
// The feed's timings below the chain's minimums (nothing when ocr.allow_below_chain_minimums), keys under `path`.
// OCR1 only: libocr's OCR2 config checks have no per-chain minimums (ocr2config/public_config.go).
sim::ConfigIssues check_ocr_chain_minimums(const FeedConfig& feed, chain::ChainPreset preset, const std::string& path);

}  // namespace models::feeds
