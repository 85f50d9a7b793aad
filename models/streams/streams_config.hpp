#pragma once
// Configuration of the Data Streams models: the DON, the aggregation network (sites and load balancer), the
// Streams Direct clients, the onchain verification contracts and Streams Trade. The scenario's `streams:` block
// decodes into StreamsConfig. Defaults cite chainlink-facts.md (facts §N) or say "assumption".
#include <cstdint>
#include <string>
#include <vector>

#include "sim/config_issue.hpp"
#include "sim/time.hpp"

namespace models::streams {

// One stream (feed) the DON reports on.
struct StreamFeedConfig {
  std::string name = "ETH/USD";          // feed name; feedId = feed_id_of(name)
  std::string asset = "ETH/USD";         // the asset whose providers the nodes observe
  std::vector<std::string> providers;    // provider names to observe; empty = every provider of the asset
  double spread = 0.0005;                // bid/ask half-spread around the median, fraction (5 bps; assumption)
  std::uint64_t native_fee = 30'000'000'000'000;      // wei per verification (assumption)
  std::uint64_t link_fee = 10'000'000'000'000'000;    // juels per verification, 0.01 LINK (assumption)
  sim::Duration expiry = sim::Duration::nanoseconds(86'400'000'000'000);  // expiresAt - observationsTimestamp, 24 h (assumption)
};

// The Streams DON: OCR3-style rounds (facts §4, CL docs/Mercury.md example config).
struct DonConfig {
  int n = 4;                                  // nodes, 1..31, n > 3f (facts §4 Verifier)
  int f = 1;                                  // faulty nodes tolerated, >= 1 (Verifier); assumption: the largest f for n = 4
  std::string region;                         // network region of the nodes (empty: the network's first)
  sim::Duration delta_round = sim::Duration::nanoseconds(250'000'000);       // 250 ms (facts §4 Mercury.md)
  sim::Duration delta_progress = sim::Duration::nanoseconds(2'000'000'000);  // 2 s (facts §4 Mercury.md)
  sim::Duration delta_initial = sim::Duration::nanoseconds(600'000'000);     // 600 ms (facts §4 Mercury.md)
  sim::Duration max_duration_observation = sim::Duration::nanoseconds(250'000'000);  // 250 ms (facts §4 Mercury.md)
  int r_max = 25;                                                            // rounds per epoch (facts §4 Mercury.md)
  std::uint64_t config_digest = 0x5354524541d1ULL;                           // active config digest (nodes and Verifier agree); arbitrary label
};

// One site (origin) of the aggregation network.
struct SiteConfig {
  std::string name;                // unique, e.g. "origin-a"; actor name "streams/<name>" for faults
  std::string region;              // network region
  double capacity = 1000;          // connections it serves before it counts as loaded (assumption)
};

// Manual steering by the operator: from `at`, every new connection without an origin header goes to `site`.
struct SteeringConfig {
  std::string site;                                   // a site name
  sim::Duration at{};                                 // start, from the beginning of the run
  sim::Duration duration{};                           // how long; 0 = to the end of the run
};

// The global load balancer in front of the sites.
struct LoadBalancerConfig {
  sim::Duration health_check_interval = sim::Duration::nanoseconds(5'000'000'000);  // 5 s (assumption)
  sim::Duration health_check_timeout = sim::Duration::nanoseconds(1'000'000'000);   // 1 s (assumption)
  int unhealthy_after = 2;         // consecutive failed checks before a site is taken out (assumption)
  int healthy_after = 2;           // consecutive passed checks before it is put back (assumption)
  std::string region;              // region of the health-check prober (empty: the network's first)
  std::vector<SteeringConfig> steering;  // manual steering windows, in time order, not overlapping
};

// A Streams Direct client (SDK go/stream.go behaviour, facts §4).
struct ClientConfig {
  std::string name;                            // unique, e.g. "single"
  std::string region;                          // network region
  std::string mode = "single";                 // "single": one WebSocket through the LB; "ha": one per origin (up to 2); assumption: the SDK default
  std::vector<std::string> feeds;              // feed names to subscribe; empty = every feed
  std::string origin;                          // single mode: pin this site (origin header); empty = let the LB route
  bool backfill = false;                       // periodically query REST to fill missed reports; assumption: off, as in the SDK
  sim::Duration backfill_every = sim::Duration::nanoseconds(5'000'000'000);   // backfill period, 5 s (assumption)
  sim::Duration connect_timeout = sim::Duration::nanoseconds(5'000'000'000);  // 5 s (facts §4 SDK)
  sim::Duration ping_every = sim::Duration::nanoseconds(2'000'000'000);       // 2 s (facts §4 SDK)
  sim::Duration pong_timeout = sim::Duration::nanoseconds(2'000'000'000);     // a ping unanswered this long drops the socket (assumption: the SDK pings with a 2 s context)
  sim::Duration backoff_min = sim::Duration::nanoseconds(1'000'000'000);      // 1 s (facts §4 SDK)
  sim::Duration backoff_max = sim::Duration::nanoseconds(10'000'000'000);     // 10 s (facts §4 SDK)
  int max_reconnect_attempts = 5;              // per disconnect (facts §4 SDK); spent with no other socket up: the stream fails
  double rest_rate_limit = 10;                 // requests/s per endpoint (facts §4 API)
  int page_size = 100;                         // reports per /reports/page answer (assumption)
};

// Streams Trade: an Automation-driven DEX upkeep, against a trade at a pushed Data Feed's price.
struct TradeConfig {
  bool enabled = false;
  std::string feed = "ETH/USD";                // the stream the upkeep trades on
  std::string baseline_feed;                   // the push feed (feeds[i].name) for the baseline trade; empty = none
  std::string region;                          // network region of the Automation node
  sim::Duration trade_every = sim::Duration::nanoseconds(120'000'000'000);  // mean time between user trades, 2 min (assumption)
  std::uint64_t perform_gas_limit = 5'400'000; // Automation OCR2 gas limit default (facts §4)
  std::string fee_token = "link";              // "link" or "native": how the upkeep pays verification; assumption: LINK
};

struct StreamsConfig {
  bool enabled = false;                        // set when the scenario has a `streams:` block
  DonConfig don;
  std::vector<StreamFeedConfig> feeds;         // at least one when enabled
  std::vector<SiteConfig> sites;               // at least one when enabled
  LoadBalancerConfig load_balancer;
  std::vector<ClientConfig> clients;
  TradeConfig trade;

  // Every problem, with key paths under `path` ("streams").
  sim::ConfigIssues validate(const std::string& path) const;
};

// The actor (and network host) names the streams models use, one definition for building and for validation.
inline std::string don_node_name(int i) { return "streams/don/node-" + std::to_string(i); }
inline std::string site_actor_name(const std::string& site) { return "streams/" + site; }
inline constexpr const char* kAutomationActor = "streams/automation";
// Network hosts that are no actors (a partition or link fault may name them; nothing crashes them).
inline constexpr const char* kLoadBalancerHost = "streams/lb";
inline constexpr const char* kAutomationClient = "automation";  // the Automation node's REST client (trade.enabled)
inline std::string client_host_name(const std::string& client) { return "streams/client/" + client; }

}  // namespace models::streams
