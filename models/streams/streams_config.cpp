#include "models/streams/streams_config.hpp"

#include <set>

namespace models::streams {
namespace {

void check_unique(const std::set<std::string>& seen, const std::string& name, const std::string& path,
                  sim::ConfigIssues& out) {
  if (seen.count(name) != 0) out.add(path, "duplicate name '" + name + "'");
}

}  // namespace

SdkProfile sdk_profile(Sdk sdk) {
  using sim::Duration;
  SdkProfile p;
  p.connect_timeout = Duration::from_seconds(5);
  p.backoff_min = Duration::from_seconds(1);
  p.backoff_max = Duration::from_seconds(10);
  switch (sdk) {
    case Sdk::go:
      p.ping_every = Duration::from_seconds(2);
      p.pong_timeout = Duration::from_seconds(2);
      break;
    case Sdk::typescript:
      p.ping_every = Duration::from_seconds(30);
      p.pong_timeout = Duration::from_seconds(5);
      p.backoff = BackoffPolicy::doubling;
      p.retry_at_once = false;
      p.ha_min_origins = 2;
      break;
    case Sdk::rust:
      p.backoff = BackoffPolicy::doubling;
      p.limit_only_when_alone = false;
      p.head_discovery = false;
      p.ha_min_origins = 2;
      p.reconnect_to_first_origin = true;
      break;
  }
  return p;
}

const char* sdk_name(Sdk sdk) {
  switch (sdk) {
    case Sdk::go: return "go";
    case Sdk::typescript: return "typescript";
    case Sdk::rust: return "rust";
  }
  return "?";
}

SdkProfile ClientConfig::profile() const {
  SdkProfile p = sdk_profile(sdk);
  if (connect_timeout) p.connect_timeout = *connect_timeout;
  if (ping_every) p.ping_every = *ping_every;
  if (pong_timeout) p.pong_timeout = *pong_timeout;
  if (backoff_min) p.backoff_min = *backoff_min;
  if (backoff_max) p.backoff_max = *backoff_max;
  if (max_reconnect_attempts) p.max_reconnect_attempts = *max_reconnect_attempts;
  return p;
}

sim::ConfigIssues StreamsConfig::validate(const std::string& path) const {
  sim::ConfigIssues out;
  if (!enabled) {
    if (!feeds.empty() || !sites.empty() || !clients.empty() || trade.enabled)
      out.add(path + ".enabled", "is false but the block configures feeds, sites, clients or trade: set enabled: true "
                                 "to build Data Streams, or remove the block");
    return out;
  }
  const std::string don_path = path + ".don";
  if (don.n < 1 || don.n > 31) out.add(don_path + ".nodes", "must be in 1..31 (Verifier: n <= 31), got " + std::to_string(don.n));
  if (don.f < 1) out.add(don_path + ".faulty", "must be at least 1 (the Verifier rejects f = 0)");
  if (don.n <= 3 * don.f)
    out.add(don_path + ".faulty", "need nodes > 3 * faulty (got nodes " + std::to_string(don.n) + ", faulty " +
                                      std::to_string(don.f) + ")");
  if (!don.region.empty() && !don.regions.empty())
    out.add(don_path + ".regions", "give either region (every node) or regions (node i in regions[i % size]), not both");
  if (don.max_duration_observation > don.delta_round)
    out.add(don_path + ".max_duration_observation", "must not exceed delta_round (" + sim::to_string(don.delta_round) + ")");
  if (don.delta_progress <= don.delta_round)
    out.add(don_path + ".delta_progress", "must exceed delta_round (" + sim::to_string(don.delta_round) + ")");

  if (feeds.empty()) out.add(path + ".feeds", "a streams block needs at least one feed");
  std::set<std::string> names;
  for (std::size_t i = 0; i < feeds.size(); ++i) {
    const std::string p = path + ".feeds[" + std::to_string(i) + "]";
    if (feeds[i].name.empty()) out.add(p + ".name", "must not be empty");
    check_unique(names, feeds[i].name, p + ".name", out);
    names.insert(feeds[i].name);
    if (feeds[i].expiry < sim::Duration::nanoseconds(1'000'000'000)) out.add(p + ".expiry", "must be at least 1s");
    if (feeds[i].expiry > sim::Duration::nanoseconds(3650LL * 86'400'000'000'000))
      out.add(p + ".expiry", "must be at most 3650d (expiresAt is a uint32 of seconds)");
  }
  if (sites.empty()) out.add(path + ".sites", "a streams block needs at least one site");
  std::set<std::string> site_names;
  for (std::size_t i = 0; i < sites.size(); ++i) {
    const std::string p = path + ".sites[" + std::to_string(i) + "]";
    if (sites[i].name.empty()) out.add(p + ".name", "must not be empty");
    check_unique(site_names, sites[i].name, p + ".name", out);
    // Sites are hosts and actors "streams/<name>", next to "streams/lb", "streams/client/..." and "streams/don/...".
    if (sites[i].name.find('/') != std::string::npos || sites[i].name == "lb" || sites[i].name == "automation")
      out.add(p + ".name", "'" + sites[i].name + "' is reserved or contains '/' (sites are named streams/<name>)");
    site_names.insert(sites[i].name);
  }
  const LoadBalancerConfig& lb = load_balancer;
  if (lb.health_check_timeout > lb.health_check_interval)
    out.add(path + ".load_balancer.health_check_timeout",
            "must not exceed health_check_interval (" + sim::to_string(lb.health_check_interval) + ")");

  for (std::size_t i = 0; i < lb.steering.size(); ++i) {
    const SteeringConfig& st = lb.steering[i];
    const std::string p = path + ".load_balancer.steering[" + std::to_string(i) + "]";
    if (site_names.count(st.site) == 0) out.add(p + ".site", "unknown site '" + st.site + "' (not in streams.sites)");
    if (i > 0) {
      const SteeringConfig& prev = lb.steering[i - 1];
      if (prev.duration == sim::Duration{} || st.at < prev.at + prev.duration)
        out.add(p + ".at", "steering windows must be in time order and not overlap (the previous one ends at " +
                               (prev.duration == sim::Duration{} ? std::string("the end of the run")
                                                                 : sim::to_string(prev.at + prev.duration)) + ")");
    }
  }

  std::set<std::string> client_names;
  for (std::size_t i = 0; i < clients.size(); ++i) {
    const ClientConfig& c = clients[i];
    const std::string p = path + ".clients[" + std::to_string(i) + "]";
    if (c.name.empty()) out.add(p + ".name", "must not be empty");
    check_unique(client_names, c.name, p + ".name", out);
    if (c.name.find('/') != std::string::npos) out.add(p + ".name", "must not contain '/' (clients are streams/client/<name>)");
    if (trade.enabled && c.name.rfind("automation", 0) == 0)
      out.add(p + ".name", "names starting with 'automation' are the Automation nodes' REST clients (automation-<i>) "
                           "when trade.enabled; choose another name");
    client_names.insert(c.name);
    for (std::size_t j = 0; j < c.feeds.size(); ++j)
      if (names.count(c.feeds[j]) == 0)
        out.add(p + ".feeds[" + std::to_string(j) + "]", "unknown stream '" + c.feeds[j] + "' (not in streams.feeds)");
    if (!c.origin.empty() && site_names.count(c.origin) == 0)
      out.add(p + ".origin", "unknown site '" + c.origin + "' (not in streams.sites)");
    if (!c.origin.empty() && c.mode == "ha") out.add(p + ".origin", "an HA client connects to every origin; origin is for mode single");
    const SdkProfile sdk = c.profile();
    const std::string of_sdk = std::string(" (sdk ") + sdk_name(c.sdk) + ")";
    if (sdk.ping_every > sim::Duration{} && sdk.pong_timeout > sdk.ping_every)
      out.add(p + ".pong_timeout", "must not exceed ping_every (got pong_timeout " + sim::to_string(sdk.pong_timeout) +
                                       ", ping_every " + sim::to_string(sdk.ping_every) + of_sdk + ")");
    if (sdk.ping_every > sim::Duration{} && sdk.pong_timeout <= sim::Duration{})
      out.add(p + ".ping_every", std::string("turns pings on, but sdk ") + sdk_name(c.sdk) +
                                     " has no pong timeout: set pong_timeout too");
    if (c.mode == "ha" && !sdk.head_discovery && sites.size() < 2)
      out.add(p + ".mode", std::string("sdk ") + sdk_name(c.sdk) + " takes its HA origins from configuration and needs two sites (got " +
                               std::to_string(sites.size()) + ")");
    if (c.pong_timeout && sdk.ping_every == sim::Duration{})
      out.add(p + ".pong_timeout", std::string("is set but the client sends no pings (ping_every 0, sdk ") + sdk_name(c.sdk) + ")");
    if (sdk.backoff_min > sdk.backoff_max)
      out.add(p + ".backoff_min", "must not exceed backoff_max (" + sim::to_string(sdk.backoff_max) + of_sdk + ")");
    if (sdk.backoff == BackoffPolicy::doubling && sdk.backoff_min <= sim::Duration{})
      out.add(p + ".backoff_min", std::string("must be > 0: sdk ") + sdk_name(c.sdk) + " doubles it");
  }
  if (trade.enabled && names.count(trade.feed) == 0)
    out.add(path + ".trade.feed", "unknown stream '" + trade.feed + "' (not in streams.feeds)");
  const AutomationConfig& a = trade.automation;
  if (a.n <= 3 * a.f)
    out.add(path + ".trade.automation.nodes", "must be more than 3 x faulty (" + std::to_string(a.f) + "): got " +
                                                  std::to_string(a.n));
  if (a.delta_grace >= a.delta_round)
    out.add(path + ".trade.automation.delta_grace", "must be below delta_round (" + sim::to_string(a.delta_round) + ")");
  return out;
}

}  // namespace models::streams
