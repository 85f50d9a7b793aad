// The `streams:` block: Data Streams (models/streams): the DON, the aggregation network's sites and load
// balancer, Streams Direct clients and Streams Trade.
#include <set>

#include "models/feeds/feeds_subsystem.hpp"
#include "models/streams/streams_subsystem.hpp"

namespace models::streams {

using scenario::KeySpec;
using scenario::ScenarioConfig;

namespace {

void check_region(const std::string& region, const ScenarioConfig& c, const std::string& path, sim::ConfigIssues& out) {
  if (region.empty()) return;
  const auto& regions = c.network.regions;
  if (regions.empty()) {
    if (region != "default") out.add(path, "unknown region '" + region + "': network.regions is empty (one region 'default')");
    return;
  }
  for (const auto& r : regions)
    if (r == region) return;
  std::string list;
  for (const auto& r : regions) list += (list.empty() ? "" : ", ") + r;
  out.add(path, "unknown region '" + region + "' (network.regions: " + list + ")");
}

// Cross-block checks: streams assets and providers exist, regions exist, the baseline push feed exists.
void validate_streams_world(const ScenarioConfig& c, sim::ConfigIssues& out) {
  const StreamsConfig& s = streams_of(c);
  if (!s.enabled) return;
  std::set<std::string> assets;
  for (const auto& a : c.assets) assets.insert(a.name);
  for (std::size_t i = 0; i < s.feeds.size(); ++i) {
    const auto& f = s.feeds[i];
    const std::string p = "streams.feeds[" + std::to_string(i) + "]";
    if (assets.count(f.asset) == 0) {
      out.add(p + ".asset", "unknown asset '" + f.asset + "' (not in assets)");
      continue;
    }
    std::size_t quoting = 0;
    for (const auto& pr : c.providers) quoting += pr.asset == f.asset ? 1 : 0;
    if (quoting == 0) out.add(p + ".asset", "no provider quotes '" + f.asset + "': the DON has nothing to observe");
    for (std::size_t j = 0; j < f.providers.size(); ++j) {
      bool found = false;
      for (const auto& pr : c.providers) found = found || (pr.name == f.providers[j] && pr.asset == f.asset);
      if (!found)
        out.add(p + ".providers[" + std::to_string(j) + "]",
                "no provider '" + f.providers[j] + "' quoting " + f.asset + " in providers");
    }
  }
  check_region(s.don.region, c, "streams.don.region", out);
  for (std::size_t i = 0; i < s.don.regions.size(); ++i)
    check_region(s.don.regions[i], c, "streams.don.regions[" + std::to_string(i) + "]", out);
  check_region(s.load_balancer.region, c, "streams.load_balancer.region", out);
  check_region(s.trade.region, c, "streams.trade.region", out);
  for (std::size_t i = 0; i < s.sites.size(); ++i)
    check_region(s.sites[i].region, c, "streams.sites[" + std::to_string(i) + "].region", out);
  for (std::size_t i = 0; i < s.clients.size(); ++i)
    check_region(s.clients[i].region, c, "streams.clients[" + std::to_string(i) + "].region", out);
  if (s.trade.enabled && !s.trade.baseline_feed.empty()) {
    bool found = false;
    for (const auto& f : feeds::feeds_of(c)) found = found || f.name == s.trade.baseline_feed;
    if (!found) out.add("streams.trade.baseline_feed", "unknown feed '" + s.trade.baseline_feed + "' (not in feeds)");
  }
}

}  // namespace

void register_keys(scenario::Block<ScenarioConfig>& root) {
  auto s = root.block_in<StreamsConfig>(
      "streams",
      "Data Streams: DON, aggregation network, Streams Direct clients, Verifier, Streams Trade (models/streams; model and simplifications: docs/streams.md)",
      [](ScenarioConfig& c) -> StreamsConfig& { return streams_of(c); });
  s.key("enabled", &StreamsConfig::enabled, KeySpec::boolean().doc("build the Data Streams models").from("-"));

  auto d = s.block("don", &StreamsConfig::don, "the Streams DON (OCR3-style rounds)");
  d.key("nodes", &DonConfig::n, KeySpec::integer().at_least(1).at_most(31).doc("DON nodes").from("facts §4: n <= 31"));
  d.key("faulty", &DonConfig::f, KeySpec::integer().at_least(1).doc("faulty nodes tolerated; nodes > 3 * faulty (the Verifier needs f > 0)").from("facts §4"));
  d.key("region", &DonConfig::region, KeySpec::text().doc("network region of the nodes (default: the first)").from("-"));
  d.key("regions", &DonConfig::regions,
        KeySpec::text_list().doc("or: regions the nodes are spread over, node i in regions[i % size]").from("-"));
  d.key("delta_round", &DonConfig::delta_round, KeySpec::duration().greater_than(0).doc("time between rounds").from("facts §4: 250 ms"));
  d.key("delta_progress", &DonConfig::delta_progress,
        KeySpec::duration().greater_than(0).doc("no report this long: next epoch, next leader").from("facts §4: 2 s"));
  d.key("delta_initial", &DonConfig::delta_initial, KeySpec::duration().greater_than(0).doc("wait before an epoch's first round").from("facts §4: 600 ms"));
  d.key("max_duration_observation", &DonConfig::max_duration_observation,
        KeySpec::duration().greater_than(0).doc("how long the leader waits for observations").from("facts §4: 250 ms"));
  d.key("r_max", &DonConfig::r_max, KeySpec::integer().at_least(1).at_most(254).doc("rounds per epoch").from("facts §4: 25"));

  auto f = s.list("feeds", &StreamsConfig::feeds, "the streams the DON reports on");
  f.key("name", &StreamFeedConfig::name, KeySpec::text().required().doc("stream name; feedId is a hash of it").from("-"));
  f.key("asset", &StreamFeedConfig::asset, KeySpec::text().required().doc("asset whose providers the nodes observe").from("-"));
  f.key("providers", &StreamFeedConfig::providers, KeySpec::text_list().doc("providers observed (empty: all of the asset)").from("-"));
  f.key("spread", &StreamFeedConfig::spread, KeySpec::fraction().at_least(0).less_than(1).doc("bid/ask half-spread around the median").from("assumption: 5bps"));
  f.key("native_fee", &StreamFeedConfig::native_fee, KeySpec::token_amount("ETH").doc("nativeFee of each report").from("assumption"));
  f.key("link_fee", &StreamFeedConfig::link_fee, KeySpec::token_amount("LINK").doc("linkFee of each report").from("assumption: 0.01 LINK"));
  f.key("expiry", &StreamFeedConfig::expiry, KeySpec::duration().greater_than(0).doc("expiresAt - observationsTimestamp").from("assumption: 24 h"));

  auto st = s.list("sites", &StreamsConfig::sites, "origins of the active-active aggregation network; actors streams/<name>");
  st.key("name", &SiteConfig::name, KeySpec::text().required().doc("site name").from("-"));
  st.key("region", &SiteConfig::region, KeySpec::text().doc("network region (default: the first)").from("-"));
  st.key("capacity", &SiteConfig::capacity, KeySpec::number().greater_than(0).in("connections").doc("load = connections / capacity").from("assumption: 1000"));

  auto lb = s.block("load_balancer", &StreamsConfig::load_balancer, "the global load balancer in front of the sites");
  lb.key("health_check_interval", &LoadBalancerConfig::health_check_interval,
         KeySpec::duration().greater_than(0).doc("time between probes of a site").from("assumption: 5 s"));
  lb.key("health_check_timeout", &LoadBalancerConfig::health_check_timeout,
         KeySpec::duration().greater_than(0).doc("a probe unanswered this long fails").from("assumption: 1 s"));
  lb.key("unhealthy_after", &LoadBalancerConfig::unhealthy_after,
         KeySpec::integer().at_least(1).doc("consecutive failed probes to take a site out").from("assumption: 2"));
  lb.key("healthy_after", &LoadBalancerConfig::healthy_after,
         KeySpec::integer().at_least(1).doc("consecutive passed probes to put it back").from("assumption: 2"));
  auto steer = lb.list("steering", &LoadBalancerConfig::steering,
                       "manual steering: new connections without an origin header go to one site for a while");
  steer.key("site", &SteeringConfig::site, KeySpec::text().required().doc("the site to steer to").from("-"));
  steer.key("at", &SteeringConfig::at, KeySpec::duration().at_least(0).doc("start").from("-"));
  steer.key("duration", &SteeringConfig::duration, KeySpec::duration().at_least(0).doc("how long (0: to the end)").from("-"));
  lb.key_enum("dead_backend", &LoadBalancerConfig::dead_backend,
              {{"hang", DeadBackend::hang}, {"reject", DeadBackend::reject}, {"retry", DeadBackend::retry}},
              KeySpec::choice({}).doc("a connection or request forwarded to a site that is down before the health checks "
                                     "take it out: hang (nothing answers), reject (503 at once) or retry (the next site "
                                     "that serves)").from("assumption: hang"));
  lb.key("region", &LoadBalancerConfig::region, KeySpec::text().doc("region of the health-check prober (default: the first)").from("-"));

  auto c = s.list("clients", &StreamsConfig::clients, "Streams Direct clients (SDK behaviour); network hosts streams/client/<name> (partition and link faults)");
  c.key("name", &ClientConfig::name, KeySpec::text().required().doc("client name").from("-"));
  c.key("region", &ClientConfig::region, KeySpec::text().doc("network region (default: the first)").from("-"));
  c.key("mode", &ClientConfig::mode, KeySpec::choice({"single", "ha"}).doc("one socket through the LB, or one per origin (up to 2)").from("facts §4"));
  c.key("feeds", &ClientConfig::feeds, KeySpec::text_list().doc("streams subscribed (empty: all)").from("-"));
  c.key_enum("sdk", &ClientConfig::sdk, {{"go", Sdk::go}, {"typescript", Sdk::typescript}, {"rust", Sdk::rust}},
             KeySpec::choice({}).doc("the SDK whose ping, reconnect, backoff and HA behaviour the client follows; the "
                                     "timing keys below override it (docs/streams.md#sdk-profiles)").from("assumption: go"));
  c.key("origin", &ClientConfig::origin,
        KeySpec::text().doc("single mode: name this site (origin header); the LB serves elsewhere while it is unhealthy").from("-"));
  c.key("backfill", &ClientConfig::backfill, KeySpec::boolean().doc("query REST /reports/page to fill missed reports").from("assumption: off, as in the SDK"));
  c.key("backfill_every", &ClientConfig::backfill_every, KeySpec::duration().greater_than(0).doc("backfill period").from("assumption: 5 s"));
  c.key("connect_timeout", &ClientConfig::connect_timeout,
        KeySpec::duration().greater_than(0).doc("WebSocket connect timeout (default: the SDK's)").from("facts §4: 5 s in every SDK"));
  c.key("ping_every", &ClientConfig::ping_every,
        KeySpec::duration().at_least(0).doc("ping period, 0: no pings (default: the SDK's)").from("facts §4: go 2 s, typescript 30 s, rust none"));
  c.key("pong_timeout", &ClientConfig::pong_timeout,
        KeySpec::duration().greater_than(0).doc("unanswered ping drops the socket (default: the SDK's)").from("facts §4: go 2 s, typescript 5 s"));
  c.key("backoff_min", &ClientConfig::backoff_min,
        KeySpec::duration().at_least(0).doc("reconnect backoff lower bound, or the first of a doubling one (default: the SDK's)").from("facts §4: 1 s"));
  c.key("backoff_max", &ClientConfig::backoff_max,
        KeySpec::duration().greater_than(0).doc("reconnect backoff upper bound (default: the SDK's)").from("facts §4: 10 s"));
  c.key("max_reconnect_attempts", &ClientConfig::max_reconnect_attempts,
        KeySpec::integer().at_least(1).doc("attempts per disconnect; then go and typescript fail the stream if no other socket is up, rust stops that socket (default: the SDK's)").from("facts §4: 5"));
  c.key("rest_rate_limit", &ClientConfig::rest_rate_limit,
        KeySpec::number().greater_than(0).in("requests/s").doc("per endpoint").from("facts §4: 10"));
  c.key("page_size", &ClientConfig::page_size, KeySpec::integer().at_least(1).doc("reports per /reports/page answer").from("assumption: 100"));

  auto api = s.block("api", &StreamsConfig::api, "the API's limits, per user (client) over every site");
  api.key("rate_limit", &ApiConfig::rate_limit,
          KeySpec::number().greater_than(0).in("requests/s").doc("REST requests per user and endpoint before 429").from("docs rate-limits: 10"));
  api.key("max_connections_per_user", &ApiConfig::max_connections_per_user,
          KeySpec::integer().at_least(1).doc("open WebSocket connections per user; past it the handshake gets 429").from("docs rate-limits: 20"));

  auto t = s.block("trade", &StreamsConfig::trade, "Streams Trade through Automation, against a push-feed baseline");
  t.key("enabled", &TradeConfig::enabled, KeySpec::boolean().doc("build the Automation registry, upkeep and trader").from("-"));
  t.key("feed", &TradeConfig::feed, KeySpec::text().doc("stream the upkeep trades on").from("-"));
  t.key("baseline_feed", &TradeConfig::baseline_feed, KeySpec::text().doc("push feed (feeds[i].name) of the baseline trade; empty: none").from("-"));
  t.key("region", &TradeConfig::region, KeySpec::text().doc("region of the Automation nodes and their REST clients").from("-"));
  t.key("trade_every", &TradeConfig::trade_every, KeySpec::duration().greater_than(0).doc("mean time between user trades (Poisson)").from("assumption: 2 min"));
  t.key("perform_gas_limit", &TradeConfig::perform_gas_limit,
        KeySpec::integer().at_least(21'000).in("gas").doc("performUpkeep gas limit").from("facts §4: 5,400,000"));
  t.key("fee_token", &TradeConfig::fee_token, KeySpec::choice({"link", "native"}).doc("how the upkeep pays verification").from("assumption: link"));
  auto a = t.block("automation", &TradeConfig::automation,
                   "the Automation DON: log pollers, mercury lookups with retries, OCR3 rounds (docs/streams.md#automation)");
  a.key("nodes", &AutomationConfig::n, KeySpec::integer().at_least(4).at_most(31).doc("nodes; actors streams/automation/node-<i>").from("assumption: 4"));
  a.key("faulty", &AutomationConfig::f, KeySpec::integer().at_least(1).doc("faults tolerated; nodes > 3 * faulty; a report carries faulty + 1 signatures").from("facts §1: 3f < n"));
  a.key("log_poll_interval", &AutomationConfig::log_poll_interval,
        KeySpec::duration().greater_than(0).doc("log poller period").from("facts §6: LogPollInterval 15 s (Ethereum)"));
  a.key("block_query_delay", &AutomationConfig::block_query_delay,
        KeySpec::integer().at_least(0).in("blocks").doc("the poller reads up to head - this").from("facts §4: RPCBlockQueryDelay 1"));
  a.key("lookback_blocks", &AutomationConfig::lookback_blocks,
        KeySpec::integer().at_least(0).in("blocks").doc("blocks read back after a restart").from("CL v21 logprovider: max(200, finality depth)"));
  a.key("read_interval", &AutomationConfig::read_interval,
        KeySpec::duration().greater_than(0).doc("log provider period").from("CL v21 logprovider ReadInterval 1 s"));
  a.key("check_interval", &AutomationConfig::check_interval,
        KeySpec::duration().greater_than(0).doc("log-trigger check period").from("chainlink-automation LogCheckInterval 1 s"));
  a.key("http_attempts", &AutomationConfig::http_attempts,
        KeySpec::integer().at_least(1).doc("HTTP attempts per mercury request").from("CL v21 mercury/v03 totalAttempt 3"));
  a.key("http_retry_delay", &AutomationConfig::http_retry_delay,
        KeySpec::duration().at_least(0).doc("first wait between attempts, doubled each time").from("CL v21 mercury/v03 retryDelay 500 ms"));
  a.key("http_jitter", &AutomationConfig::http_jitter,
        KeySpec::duration().at_least(0).doc("random jitter added to each wait, up to this").from("retry-go default 100 ms"));
  a.key("request_timeout", &AutomationConfig::request_timeout,
        KeySpec::duration().greater_than(0).doc("a mercury request's time for all its attempts; a timeout is not retried").from("CL mercury.RequestTimeout 10 s"));
  a.key("plugin_retries", &AutomationConfig::plugin_retries,
        KeySpec::integer().at_least(0).doc("checks of a trigger again after a failed request (1 s apart, 5 s before the sixth)").from("CL v21 registry.go: 6"));
  a.key("delta_round", &AutomationConfig::delta_round, KeySpec::duration().greater_than(0).doc("OCR3 round period").from("assumption: 1 s"));
  a.key("delta_grace", &AutomationConfig::delta_grace,
        KeySpec::duration().at_least(0).doc("leader's wait after 2f+1 observations").from("assumption: 100 ms"));
  a.key("lock_timeout", &AutomationConfig::lock_timeout,
        KeySpec::duration().greater_than(0).doc("a result signed into a report is not observed again for this long unless performed").from("assumption: 5 min"));
  a.key("result_ttl", &AutomationConfig::result_ttl,
        KeySpec::duration().greater_than(0).doc("a node drops a result it has held this long without seeing it performed").from("assumption: 10 min"));
  a.key("report_gas_limit", &AutomationConfig::report_gas_limit,
        KeySpec::integer().at_least(1).in("gas").doc("sum of the performs' gas limits in one report (one perform always fits)").from("assumption: GasLimitPerReport 5,300,000"));

  auto fe = s.block("fees", &StreamsConfig::fees, "verification fees (trade.enabled): FeeManager and RewardManager v0.3.0 (docs/streams.md#fees)");
  fe.key("discount", &FeesConfig::discount,
         KeySpec::fraction().at_least(0).at_most(1).doc("the upkeep's discount on its feed and fee token").from("assumption: 0"));
  fe.key("native_surcharge", &FeesConfig::native_surcharge,
         KeySpec::fraction().at_least(0).at_most(1).doc("surcharge on native fees").from("assumption: 0"));
  fe.key("fee_manager_link", &FeesConfig::fee_manager_link,
         KeySpec::token_amount("LINK").doc("LINK the FeeManager holds for the rewards of native fees; short: the LINK deficit grows").from("assumption: 10 LINK"));
  fe.key("payout_every", &FeesConfig::payout_every,
         KeySpec::duration().at_least(0).doc("the owner pays the reward pool's recipients this often; 0: never").from("assumption: 24 h"));

  s.validate([](const StreamsConfig& cfg, const std::string& path, sim::ConfigIssues& out) { out.append(cfg.validate(path)); });
  root.validate([](const ScenarioConfig& cfg, const std::string&, sim::ConfigIssues& out) { validate_streams_world(cfg, out); });
}

}  // namespace models::streams
