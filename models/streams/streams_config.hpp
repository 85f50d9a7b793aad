#pragma once
// Configuration of the Data Streams models: the DON, the aggregation network (sites and load balancer), the
// Streams Direct clients, the onchain verification contracts and Streams Trade. The scenario's `streams:` block
// decodes into StreamsConfig. Defaults cite chainlink-facts.md (facts §N) or say "assumption".
#include <cstddef>
#include <cstdint>
#include <optional>
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
  std::vector<std::string> regions;           // or: node i in regions[i % size] (a DON spread over regions); excludes `region`
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

// What the load balancer does with a connection or request it forwards to a site that is down (before its health
// checks take the site out): "hang" forwards it and nothing answers (the client's timeout decides), "reject"
// answers 503 at once (an L7 balancer whose connect to the backend is refused), "retry" forwards it to the next
// site that serves (an L7 balancer's retry on another backend).
enum class DeadBackend { hang, reject, retry };

// The global load balancer in front of the sites.
struct LoadBalancerConfig {
  sim::Duration health_check_interval = sim::Duration::nanoseconds(5'000'000'000);  // 5 s (assumption)
  sim::Duration health_check_timeout = sim::Duration::nanoseconds(1'000'000'000);   // 1 s (assumption)
  int unhealthy_after = 2;         // consecutive failed checks before a site is taken out (assumption)
  int healthy_after = 2;           // consecutive passed checks before it is put back (assumption)
  std::string region;              // region of the health-check prober (empty: the network's first)
  std::vector<SteeringConfig> steering;  // manual steering windows, in time order, not overlapping
  DeadBackend dead_backend = DeadBackend::hang;  // assumption: the plain forwarding of a network balancer
};

// The API's limits, enforced per user (API key; here a client host) over every site. Source: the Data Streams
// rate-limit page (https://docs.chain.link/data-streams/rate-limits, self-service subscriptions): "20 concurrent
// WebSocket connections", "10 requests per second per endpoint on the REST service", "These limits apply per user
// ID", over the limit HTTP 429.
struct ApiConfig {
  double rate_limit = 10;                // REST requests/s per user and endpoint before 429 (docs rate-limits: 10)
  int max_connections_per_user = 20;     // open WebSocket connections per user; past it the handshake gets 429 (docs rate-limits: 20)
};

// The Streams SDK whose wire behaviour a client follows (facts §4 SDKs; data-streams-sdk at 815637d).
enum class Sdk { go, typescript, rust };
enum class BackoffPolicy {
  uniform,   // U(backoff_min, backoff_max) after each failed attempt (go/stream.go: rand.Intn(9000) + 1000 ms)
  doubling,  // backoff_min * 2^k capped at backoff_max, k = backoffs already waited since the loss (typescript, rust)
};

// What an SDK does on the wire. Each field names the SDK source it comes from.
struct SdkProfile {
  sim::Duration connect_timeout;   // go stream.go, typescript constants.ts, rust stream.rs: 5 s each
  sim::Duration ping_every;        // go: 2 s (stream.go:169); typescript: 30 s (constants.ts); rust: none (0: never pings)
  sim::Duration pong_timeout;      // go: 2 s (the ping's context); typescript: 5 s (constants.ts); rust: -
  BackoffPolicy backoff = BackoffPolicy::uniform;
  sim::Duration backoff_min;       // go: 1 s; typescript: RECONNECT_DELAY 1 s; rust: 1 s (stream.rs:29)
  sim::Duration backoff_max;       // go: 10 s; typescript: MAX_RECONNECT_INTERVAL 10 s; rust: 10 s (stream.rs:30)
  bool retry_at_once = true;       // a lost connection is re-attempted at once (go, rust) or after the first backoff
                                   // (typescript, connection-manager.ts scheduleReconnect)
  int max_reconnect_attempts = 5;  // go WsMaxReconnect, typescript MAX_RECONNECTS, rust ws_max_reconnect: 5
  bool limit_only_when_alone = true;   // the attempt limit binds only with no other connection up (go stream.go:281,
                                       // typescript :526); rust: always, per connection (establish_connection.rs:145)
  bool head_discovery = true;          // HA origins from HEAD X-Cll-Available-Origins (go, typescript); rust: the
                                       // configured URLs (here the first two sites), no HEAD
  std::size_t ha_min_origins = 1;      // HA needs this many origins, else one connection (go 1; typescript, rust 2)
  bool reconnect_to_first_origin = false;  // rust: every re-attempt goes to the first origin (establish_connection.rs:128)
};

// The profile of an SDK, before a client's explicit overrides.
SdkProfile sdk_profile(Sdk sdk);
const char* sdk_name(Sdk sdk);

// A Streams Direct client. `sdk` chooses the wire behaviour (SdkProfile); the timing keys below override it.
struct ClientConfig {
  std::string name;                            // unique, e.g. "single"
  std::string region;                          // network region
  std::string mode = "single";                 // "single": one WebSocket through the LB; "ha": one per origin (up to 2); assumption: the SDK default
  Sdk sdk = Sdk::go;                           // assumption: the Go SDK, the reference implementation
  std::vector<std::string> feeds;              // feed names to subscribe; empty = every feed
  std::string origin;                          // single mode: name this site (origin header); empty = let the LB route
  bool backfill = false;                       // periodically query REST to fill missed reports; assumption: off, as in the SDK
  sim::Duration backfill_every = sim::Duration::nanoseconds(5'000'000'000);   // backfill period, 5 s (assumption)
  std::optional<sim::Duration> connect_timeout;  // override of the SDK's (facts §4: 5 s)
  std::optional<sim::Duration> ping_every;       // override; 0 turns pings off
  std::optional<sim::Duration> pong_timeout;     // override
  std::optional<sim::Duration> backoff_min;      // override
  std::optional<sim::Duration> backoff_max;      // override
  std::optional<int> max_reconnect_attempts;     // override
  double rest_rate_limit = 10;                 // requests/s per endpoint, the client's own pacing (facts §4 API)
  int page_size = 100;                         // reports per /reports/page answer (assumption)

  // The SDK's profile with this client's overrides applied.
  SdkProfile profile() const;
};

// The Automation DON that performs Streams Trade's upkeep (models/streams/automation.hpp).
struct AutomationConfig {
  int n = 4;                            // nodes; assumption (DON sizes per chain are not in the facts)
  int f = 1;                            // faults tolerated, n > 3f
  sim::Duration log_poll_interval = sim::Duration::nanoseconds(15'000'000'000);  // facts §6 LogPollInterval (Ethereum)
  std::uint32_t block_query_delay = 1;  // facts §4 RPCBlockQueryDelay: the poller reads up to head - this
  std::uint32_t lookback_blocks = 200;  // read back after a restart (CL v21 logprovider: max(200, finality depth))
  sim::Duration read_interval = sim::Duration::nanoseconds(1'000'000'000);   // log provider ReadInterval (CL v21 factory.go)
  sim::Duration check_interval = sim::Duration::nanoseconds(1'000'000'000);  // LogCheckInterval (chainlink-automation v3)
  int http_attempts = 3;                // mercury totalAttempt (CL v21 mercury/v03/request.go)
  sim::Duration http_retry_delay = sim::Duration::nanoseconds(500'000'000);  // retryDelay, doubled per attempt (retry-go)
  sim::Duration http_jitter = sim::Duration::nanoseconds(100'000'000);       // retry-go default max jitter
  sim::Duration request_timeout = sim::Duration::nanoseconds(10'000'000'000); // mercury.RequestTimeout; not retried
  int plugin_retries = 6;               // CL v21 registry.go: retries 1-5 after 1 s, the 6th after 5 s, then given up
  sim::Duration delta_round = sim::Duration::nanoseconds(1'000'000'000);  // OCR3 DeltaRound; assumption: 1 s
  sim::Duration delta_grace = sim::Duration::nanoseconds(100'000'000);    // wait after 2f+1 observations; assumption
  sim::Duration lock_timeout = sim::Duration::nanoseconds(300'000'000'000);  // a signed result is not observed again
                                        // for this long unless seen performed; assumption: 5 min
  sim::Duration result_ttl = sim::Duration::nanoseconds(600'000'000'000);    // a node drops a result it has held
                                        // this long without seeing it performed; assumption: 10 min
  std::uint64_t report_gas_limit = 5'300'000;  // gas limits of the performs in one report, at most (one perform
                                        // always fits); assumption: the offchain config's GasLimitPerReport
};

// Streams Trade: an Automation-driven DEX upkeep, against a trade at a pushed Data Feed's price.
struct TradeConfig {
  bool enabled = false;
  std::string feed = "ETH/USD";                // the stream the upkeep trades on
  std::string baseline_feed;                   // the push feed (feeds[i].name) for the baseline trade; empty = none
  std::string region;                          // network region of the Automation nodes
  sim::Duration trade_every = sim::Duration::nanoseconds(120'000'000'000);  // mean time between user trades, 2 min (assumption)
  std::uint64_t perform_gas_limit = 5'400'000; // Automation OCR2 gas limit default (facts §4)
  std::string fee_token = "link";              // "link" or "native": how the upkeep pays verification; assumption: LINK
  AutomationConfig automation;
};

// Verification fees (models/streams/fees.hpp), with trade.enabled: the FeeManager and RewardManager v0.3.0.
struct FeesConfig {
  double discount = 0;                         // the upkeep's discount on its feed and fee token, 0..1 (1e18 = 1)
  double native_surcharge = 0;                 // on native fees, 0..1; assumption: none
  std::uint64_t fee_manager_link = 10'000'000'000'000'000'000ULL;  // juels the FeeManager holds for the rewards of
                                               // native fees, 10 LINK (assumption); short: the LINK deficit grows
  sim::Duration payout_every = sim::Duration::nanoseconds(86'400'000'000'000);  // owner's payRecipients period;
                                               // 0: never (assumption: daily)
};

struct StreamsConfig {
  bool enabled = false;                        // set when the scenario has a `streams:` block
  DonConfig don;
  std::vector<StreamFeedConfig> feeds;         // at least one when enabled
  std::vector<SiteConfig> sites;               // at least one when enabled
  LoadBalancerConfig load_balancer;
  ApiConfig api;
  std::vector<ClientConfig> clients;
  TradeConfig trade;
  FeesConfig fees;

  // Every problem, with key paths under `path` ("streams").
  sim::ConfigIssues validate(const std::string& path) const;
};

// The actor (and network host) names the streams models use, one definition for building and for validation.
inline std::string don_node_name(int i) { return "streams/don/node-" + std::to_string(i); }
inline std::string site_actor_name(const std::string& site) { return "streams/" + site; }
inline std::string automation_actor_name(int i) { return "streams/automation/node-" + std::to_string(i); }
// Network hosts that are no actors (a partition or link fault may name them; nothing crashes them).
inline constexpr const char* kLoadBalancerHost = "streams/lb";
// The REST client of Automation node i (trade.enabled); client names starting with "automation" are reserved.
inline std::string automation_client_name(int i) { return "automation-" + std::to_string(i); }
inline std::string client_host_name(const std::string& client) { return "streams/client/" + client; }

}  // namespace models::streams
