#include "models/streams/aggregation_network.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/faults/builtin_injectors.hpp"
#include "models/faults/fault_schedule.hpp"
#include "models/streams/streams_faults.hpp"
#include "sim/timer.hpp"

using namespace models::streams;
using namespace sim::literals;

namespace {

sim::NetworkConfig net_config() {
  sim::NetworkConfig c;
  c.regions = {"us-east", "eu-west", "ap-south"};
  c.latency["us-east"]["eu-west"] = 40_ms;
  c.latency["us-east"]["ap-south"] = 90_ms;
  c.latency["eu-west"]["ap-south"] = 70_ms;
  return c;
}

std::vector<SiteConfig> three_sites() {
  return {{"origin-a", "us-east", 1000}, {"origin-b", "eu-west", 1000}, {"origin-c", "ap-south", 1000}};
}

SignedReport report(FeedId feed, std::uint32_t ts, sim::Time at) {
  SignedReport r;
  r.report.feed_id = feed;
  r.report.valid_from_timestamp = ts;  // the previous report's observationsTimestamp + 1
  r.report.observations_timestamp = ts;
  r.report.benchmark_price = 3000'00000000;
  r.observed_at = at;
  return r;
}

// Three sites fed one report per second per feed, a client host in us-east that opens raw WebSockets.
struct AggWorld {
  explicit AggWorld(LoadBalancerConfig lb = {}, std::uint64_t seed = 7, ApiConfig api = {})
      : sim(seed), net(sim, net_config()), agg(sim, net, three_sites(), lb, api), feeder(sim, [this] { tick(); }) {
    client = net.add_host("test/client", "us-east");
  }
  void tick() {
    for (FeedId f : {eth, btc}) {
      const SignedReport r = report(f, next_ts, sim.now());
      for (std::size_t i = 0; i < agg.site_count(); ++i) agg.on_report(i, r);
    }
    ++next_ts;
    feeder.arm(1_s);
  }
  // Opens a socket routed by the LB (or pinned) and records what it receives.
  struct Socket {
    std::size_t site = 0;
    bool open = false;
    int rejected = 0;  // the status of a refused handshake
    std::vector<std::pair<sim::Time, SignedReport>> got;
  };
  Socket& connect(std::vector<FeedId> feeds, const std::string& origin = {}) {
    sockets.push_back(std::make_unique<Socket>());
    Socket* s = sockets.back().get();
    s->site = agg.route(origin);
    WsCallbacks cb;
    cb.opened = [s] { s->open = true; };
    cb.report = [this, s](const SignedReport& r) { s->got.emplace_back(sim.now(), r); };
    cb.rejected = [s](int status) { s->rejected = status; };
    s->site = agg.ws_connect(client, s->site, agg.new_connection_id(), std::move(feeds), std::move(cb));
    return *s;
  }
  sim::Simulation sim;
  sim::Network net;
  AggregationNetwork agg;
  sim::Timer feeder;
  sim::HostId client = 0;
  FeedId eth = feed_id_of("ETH/USD");
  FeedId btc = feed_id_of("BTC/USD");
  std::uint32_t next_ts = 1'700'000'000;
  std::vector<std::unique_ptr<Socket>> sockets;
};

models::faults::FaultSpec fault(sim::Duration at, std::string kind, std::string target, sim::Duration d) {
  models::faults::FaultSpec f;
  f.at = at;
  f.kind = std::move(kind);
  f.target.patterns = {std::move(target)};
  f.duration = d;
  return f;
}

std::vector<models::faults::ActorInfo> actors(AggregationNetwork& agg) {
  std::vector<models::faults::ActorInfo> out;
  for (std::size_t i = 0; i < agg.site_count(); ++i) out.push_back({agg.control(i).name(), agg.control(i).model()});
  return out;
}

}  // namespace

TEST(StreamsAggregationNetwork, RegistersHostsAndActors) {
  AggWorld w;
  ASSERT_EQ(w.agg.site_count(), 3u);
  EXPECT_EQ(w.net.host_name(w.agg.site_host(1)), "streams/origin-b");
  EXPECT_EQ(w.net.host_name(w.agg.lb_host()), "streams/lb");
  EXPECT_EQ(w.agg.control(2).name(), "streams/origin-c");
  EXPECT_EQ(w.agg.control(2).model(), "streams-site");
  EXPECT_EQ(w.agg.site_of_actor("streams/origin-c"), 2u);
  EXPECT_FALSE(w.agg.site_of_actor("origin-c").has_value());
  sim::Simulation s;
  sim::Network n(s, net_config());
  EXPECT_THROW(AggregationNetwork(s, n, {}, {}), std::invalid_argument);
  EXPECT_THROW(AggregationNetwork(s, n, {{"x", "us-east", 1}, {"x", "eu-west", 1}}, {}), std::invalid_argument);
}

TEST(StreamsAggregationNetwork, StoresOncePushesSubscribedFeedsOnly) {
  AggWorld w;
  auto& eth_only = w.connect({w.eth});
  w.sim.run_until(sim::Time::zero() + 500_ms);
  ASSERT_TRUE(eth_only.open);
  w.feeder.arm_at(sim::Time::zero() + 1_s);
  w.sim.run_until(sim::Time::zero() + 10_s + 500_ms);
  // Reports at 1..10 s: ten per feed stored at every site, the socket got the ten ETH ones.
  EXPECT_EQ(w.agg.reports_stored(0), 20u);
  ASSERT_EQ(eth_only.got.size(), 10u);
  for (const auto& [t, r] : eth_only.got) EXPECT_EQ(r.report.feed_id, w.eth);
  // A second copy of a stored report is neither stored nor pushed again.
  w.agg.on_report(eth_only.site, eth_only.got.front().second);
  w.sim.run_until(sim::Time::zero() + 10_s + 900_ms);
  EXPECT_EQ(w.agg.reports_stored(eth_only.site), 20u);
  EXPECT_EQ(eth_only.got.size(), 10u);
  // Region latency applies: site a is in the client's region (1 ms), pushes arrive within a few ms.
  EXPECT_LT((eth_only.got.back().first - eth_only.got.back().second.observed_at).millis(), 5.0);
}

TEST(StreamsAggregationNetwork, RoutesByLoadThenNameAndHonoursOriginAndSteering) {
  AggWorld w;
  // Equal load: ties by name; each connection then loads its site.
  EXPECT_EQ(w.connect({w.eth}).site, 0u);
  w.sim.run_until(sim::Time::zero() + 1_s);
  EXPECT_EQ(w.connect({w.eth}).site, 1u);
  w.sim.run_until(sim::Time::zero() + 2_s);
  EXPECT_EQ(w.connect({w.eth}).site, 2u);
  w.sim.run_until(sim::Time::zero() + 3_s);
  EXPECT_EQ(w.agg.connections(0), 1u);
  EXPECT_EQ(w.agg.connections(2), 1u);
  // The origin header overrides the choice.
  EXPECT_EQ(w.connect({w.eth}, "origin-c").site, 2u);
  w.sim.run_until(sim::Time::zero() + 4_s);
  // Manual steering sends every new unpinned connection to one site, until cleared.
  w.agg.steer("origin-c");
  EXPECT_EQ(w.agg.route(), 2u);
  EXPECT_EQ(w.agg.route(), 2u);
  EXPECT_EQ(w.agg.route("origin-a"), 0u);
  w.agg.steer("");
  EXPECT_EQ(w.agg.route(), 0u);  // a and b hold 1 connection, c 2: a by name
  EXPECT_THROW(w.agg.steer("origin-z"), std::invalid_argument);
  // A capacity weighs the load: HEAD lists healthy origins by connections / capacity.
  const auto listed = w.agg.listed();
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed.back(), 2u);
}

TEST(StreamsAggregationNetwork, HealthChecksTakeADownSiteOutAndBackIn) {
  LoadBalancerConfig lb;  // 5 s interval, 1 s timeout, 2 failures / 2 successes
  AggWorld w(lb);
  w.agg.start();
  std::vector<std::pair<sim::Time, bool>> changes;
  auto c = w.agg.health_changed.connect([&](std::size_t i, bool up) {
    if (i == 0) changes.emplace_back(w.sim.now(), up);
  });
  w.sim.run_until(sim::Time::zero() + 12_s);
  w.agg.set_site_down(0, true);
  EXPECT_FALSE(w.agg.site_up(0));
  w.sim.run_until(sim::Time::zero() + 60_s);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_FALSE(changes[0].second);
  // Down at 12 s; probes at 15 and 20 s fail at their 1 s deadlines: out at 21 s (<= 12 + 2*5 + 1).
  EXPECT_EQ(changes[0].first, sim::Time::zero() + 21_s);
  EXPECT_EQ(w.agg.listed(), (std::vector<std::size_t>{1, 2}));
  for (int i = 0; i < 5; ++i) EXPECT_NE(w.agg.route(), 0u);
  w.agg.set_site_down(0, false);
  w.sim.run_until(sim::Time::zero() + 80_s);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_TRUE(changes[1].second);
  // Probes at 65 s and 70 s pass; a probe's result counts at its deadline (probe + 1 s timeout).
  EXPECT_EQ(changes[1].first, sim::Time::zero() + 71_s);
  EXPECT_TRUE(w.agg.healthy(0));
}

TEST(StreamsAggregationNetwork, RestPageBulkAndRateLimit) {
  AggWorld w;
  w.feeder.arm(0_s);
  w.sim.run_until(sim::Time::zero() + 20_s + 500_ms);  // timestamps base .. base+20
  const std::uint32_t base = 1'700'000'000;
  std::optional<RestResult> page, bulk, missing;
  w.agg.rest_page(w.client, 1, w.eth, base + 5, 4, [&](RestResult r) { page = std::move(r); });
  w.agg.rest_bulk(w.client, 1, {w.eth, w.btc}, base + 7, [&](RestResult r) { bulk = std::move(r); });
  w.agg.rest_bulk(w.client, 1, {w.eth}, base + 100, [&](RestResult r) { missing = std::move(r); });
  w.sim.run_until(sim::Time::zero() + 21_s);
  ASSERT_TRUE(page && bulk && missing);
  EXPECT_EQ(page->status, 200);
  ASSERT_EQ(page->reports.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(page->reports[i].report.observations_timestamp, base + 5 + i);
  ASSERT_EQ(bulk->status, 200);
  ASSERT_EQ(bulk->reports.size(), 2u);
  EXPECT_EQ(bulk->reports[1].report.feed_id, w.btc);
  EXPECT_EQ(bulk->reports[1].report.observations_timestamp, base + 7);
  EXPECT_EQ(missing->status, 404);
  // 10 requests/s per client and endpoint: a burst of 25 page queries gets 10 answers and 15 429s
  // (the bulk endpoint has its own budget).
  int ok = 0, limited = 0;
  for (int i = 0; i < 25; ++i)
    w.agg.rest_page(w.client, 2, w.eth, base, 1, [&](RestResult r) { (r.status == 200 ? ok : limited)++; });
  w.sim.run_until(sim::Time::zero() + 22_s);
  EXPECT_EQ(ok, 10);
  EXPECT_EQ(limited, 15);
  EXPECT_EQ(w.agg.rate_limited(2), 15u);
}

TEST(StreamsAggregationNetwork, FailsOpenWhenEverySiteFailsHealthChecks) {
  AggWorld w;
  w.agg.start();
  for (std::size_t i = 0; i < 3; ++i) w.agg.set_health_check_failing(i, true);
  w.sim.run_until(sim::Time::zero() + 30_s);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_FALSE(w.agg.healthy(i));
  EXPECT_EQ(w.agg.listed().size(), 3u);  // fail open: route among all
  EXPECT_EQ(w.agg.route(), 0u);
}

TEST(StreamsAggregationNetwork, FaultKindsValidateAndInject) {
  models::faults::FaultKindRegistry reg = models::faults::FaultKindRegistry::with_builtin_kinds();
  register_streams_fault_kinds(reg);
  models::faults::FaultsConfig bad;
  auto deg = fault(1_s, "site_degraded", "streams/origin-b", 1_s);
  bad.faults.push_back(deg);  // no parameter
  deg.params["loss"] = 1.5;
  bad.faults.push_back(deg);
  const std::vector<models::faults::ActorInfo> names{{"streams/origin-a", "streams-site"},
                                                     {"streams/origin-b", "streams-site"}};
  const auto issues = models::faults::validate(bad, reg, names);
  EXPECT_EQ(issues.size(), 2u);

  AggWorld w;
  set_streams_fault_injectors(reg, w.agg);
  models::faults::FaultsConfig cfg;
  cfg.faults.push_back(fault(30_s, "lb_health_check_failure", "streams/origin-a", 60_s));
  auto slow = fault(30_s, "site_degraded", "streams/origin-b", 60_s);
  slow.params["added_latency"] = sim::Duration(500_ms);
  slow.params["loss"] = 0.2;
  cfg.faults.push_back(slow);
  cfg.faults.push_back(fault(30_s, "site_outage", "streams/origin-c", 60_s));
  models::faults::FaultSchedule sched(w.sim, cfg, reg, actors(w.agg));
  sched.start();
  w.agg.start();
  auto& on_a = w.connect({w.eth});             // a serving connection on origin-a
  auto& on_b = w.connect({w.eth}, "origin-b");
  auto& on_c = w.connect({w.eth}, "origin-c");
  w.feeder.arm(1_s);
  w.sim.run_until(sim::Time::zero() + 50_s);
  // Health checks of a fail at the LB: it is taken out and new connections go elsewhere, though it still serves.
  EXPECT_FALSE(w.agg.healthy(0));
  EXPECT_TRUE(w.agg.site_up(0));
  EXPECT_NE(w.connect({w.eth}).site, 0u);
  const std::size_t got_a = on_a.got.size();
  w.sim.run_until(sim::Time::zero() + 60_s);
  EXPECT_EQ(on_a.got.size(), got_a + 10);  // the existing connection keeps receiving
  EXPECT_EQ(w.agg.connections(2), 0u);     // the outage dropped c's connection
  w.sim.run_until(sim::Time::zero() + 200_s);
  EXPECT_TRUE(w.agg.healthy(0));  // healed at 90 s, back after two good checks
  // Degraded b: +500 ms each way while active, with retransmissions on loss; normal latency otherwise.
  double before = 0, during = 0;
  int n_before = 0, n_during = 0;
  for (const auto& [t, r] : on_b.got) {
    const double ms = (t - r.observed_at).millis();
    if (r.observed_at < sim::Time::zero() + 29_s) before += ms, ++n_before;
    if (r.observed_at > sim::Time::zero() + 31_s && r.observed_at < sim::Time::zero() + 89_s) during += ms, ++n_during;
  }
  ASSERT_GT(n_before, 0);
  ASSERT_GT(n_during, 0);
  EXPECT_LT(before / n_before, 50.0);   // 40 ms us-east <-> eu-west
  EXPECT_GT(during / n_during, 540.0);  // 40 + 500 ms, plus retransmissions
  // Effects were counted on each fault.
  ASSERT_EQ(sched.effects().size(), 3u);
  for (const auto& e : sched.effects()) {
    if (e.kind == "lb_health_check_failure") {
      EXPECT_GT(e.counter("health_checks_failed"), 0u);
    }
    if (e.kind == "site_degraded") {
      EXPECT_GT(e.counter("messages_delayed"), 0u);
    }
    if (e.kind == "site_outage") {
      EXPECT_EQ(e.counter("connections_dropped"), 1u);
      EXPECT_GE(e.counter("report_copies_dropped"), 59u);
    }
  }
  EXPECT_EQ(sched.faults_without_effect(), 0u);
  EXPECT_EQ(on_c.got.size(), 29u);  // reports at 1..29 s; the socket died with the outage
}

TEST(StreamsAggregationNetwork, BuiltinCrashOfASiteActsAsAnOutage) {
  models::faults::FaultKindRegistry reg = models::faults::FaultKindRegistry::with_builtin_kinds();
  AggWorld w;
  models::faults::ActorDirectory dir;
  for (std::size_t i = 0; i < w.agg.site_count(); ++i) dir.add(w.agg.control(i));
  models::faults::install_builtin_injectors(reg, &w.net, dir);
  models::faults::FaultsConfig cfg;
  cfg.faults.push_back(fault(20_s, "crash", "streams/origin-a", 30_s));
  models::faults::FaultSchedule sched(w.sim, cfg, reg, actors(w.agg));
  sched.start();
  w.agg.start();
  auto& s = w.connect({w.eth});
  w.feeder.arm(1_s);
  w.sim.run_until(sim::Time::zero() + 45_s);
  EXPECT_EQ(s.site, 0u);
  EXPECT_FALSE(w.agg.site_up(0));
  EXPECT_FALSE(w.agg.healthy(0));
  EXPECT_EQ(w.agg.connections(0), 0u);
  EXPECT_EQ(s.got.size(), 19u);  // reports at 1..19 s
  w.sim.run_until(sim::Time::zero() + 80_s);
  EXPECT_TRUE(w.agg.site_up(0));
  // Reports that reached it while crashed were not stored.
  EXPECT_EQ(w.agg.stored(0, w.eth, w.next_ts - 40), nullptr);
  EXPECT_NE(w.agg.stored(1, w.eth, w.next_ts - 40), nullptr);
  EXPECT_NE(w.agg.stored(0, w.eth, w.next_ts - 1), nullptr);
}

// A crash and an outage of the same site overlap: the host is up only when neither is active, whichever ends
// first. Report transmissions that a down site never receives count as the outage's report_copies_dropped.
TEST(StreamsAggregationNetwork, OverlappingCrashAndOutageKeepTheSiteDownUntilBothEnd) {
  models::faults::FaultKindRegistry reg = models::faults::FaultKindRegistry::with_builtin_kinds();
  register_streams_fault_kinds(reg);
  AggWorld w;
  models::faults::ActorDirectory dir;
  for (std::size_t i = 0; i < w.agg.site_count(); ++i) dir.add(w.agg.control(i));
  models::faults::install_builtin_injectors(reg, &w.net, dir);
  set_streams_fault_injectors(reg, w.agg);
  models::faults::FaultsConfig cfg;
  cfg.faults.push_back(fault(20_s, "site_outage", "streams/origin-a", 30_s));  // 20..50 s
  cfg.faults.push_back(fault(30_s, "crash", "streams/origin-a", 40_s));        // 30..70 s
  cfg.faults.push_back(fault(20_s, "crash", "streams/origin-b", 30_s));        // 20..50 s
  cfg.faults.push_back(fault(30_s, "site_outage", "streams/origin-b", 40_s));  // 30..70 s
  models::faults::FaultSchedule sched(w.sim, cfg, reg, actors(w.agg));
  sched.start();
  // A DON-like sender transmits one report per second to origin-a as "streams/report" messages.
  const sim::HostId don = w.net.add_host("test/don", "us-east");
  const sim::MessageKind kind = w.net.kind("streams/report");
  sim::Timer sender(w.sim, [&] {
    const SignedReport r = report(w.eth, w.next_ts++, w.sim.now());
    w.net.send(don, w.agg.site_host(0), encoded_size(r), kind, [&w, r] { w.agg.on_report(0, r); });
    sender.arm(1_s);
  });
  sender.arm(500_ms);
  const sim::HostId a = w.agg.site_host(0), b = w.agg.site_host(1);
  w.sim.run_until(sim::Time::zero() + 10_s);
  EXPECT_TRUE(w.net.host_up(a));
  EXPECT_TRUE(w.net.host_up(b));
  w.sim.run_until(sim::Time::zero() + 60_s);  // a: outage over, crash on; b: crash over, outage on
  EXPECT_FALSE(w.net.host_up(a));
  EXPECT_FALSE(w.agg.site_up(0));
  EXPECT_FALSE(w.net.host_up(b));
  EXPECT_FALSE(w.agg.site_up(1));
  w.sim.run_until(sim::Time::zero() + 80_s);
  EXPECT_TRUE(w.net.host_up(a));
  EXPECT_TRUE(w.agg.site_up(0));
  EXPECT_TRUE(w.net.host_up(b));
  EXPECT_TRUE(w.agg.site_up(1));
  int checked = 0;
  for (const auto& e : sched.effects())
    if (e.kind == "site_outage" && e.targets == std::vector<std::string>{"streams/origin-a"}) {
      EXPECT_EQ(e.counter("report_copies_dropped"), 30u);  // one transmission a second, 20..50 s
      ++checked;
    }
  EXPECT_EQ(checked, 1);
}

// The origin header names a site; the LB honours it while the site is healthy and serves the request elsewhere
// once its health checks took the site out ("a request will succeed even if the specified origin is
// unavailable", facts §4). Operator steering follows the same rule. With every site unhealthy it fails open.
TEST(StreamsAggregationNetwork, AnUnhealthyNamedOriginIsServedElsewhere) {
  AggWorld w;
  w.agg.start();
  EXPECT_EQ(w.agg.route("origin-c"), 2u);
  w.agg.set_site_down(2, true);
  EXPECT_EQ(w.agg.route("origin-c"), 2u);  // the LB has not noticed yet
  w.sim.run_until(sim::Time::zero() + 12_s);
  ASSERT_FALSE(w.agg.healthy(2));
  EXPECT_EQ(w.agg.route("origin-c"), 0u);  // least loaded healthy, then name
  w.agg.steer("origin-c");
  EXPECT_EQ(w.agg.route(), 0u);
  w.agg.steer("");
  for (std::size_t i = 0; i < 2; ++i) w.agg.set_health_check_failing(i, true);
  w.sim.run_until(sim::Time::zero() + 30_s);
  EXPECT_EQ(w.agg.route("origin-c"), 2u);  // nothing healthy: fail open, the header decides again
}

// dead_backend: a connection the LB forwards to a site that is down, before the health checks notice. hang: no
// answer; reject: 503 from the LB after the client's round trip to it; retry: served by the next site that serves.
TEST(StreamsAggregationNetwork, DeadBackendHangsRejectsOrRetries) {
  for (DeadBackend mode : {DeadBackend::hang, DeadBackend::reject, DeadBackend::retry}) {
    LoadBalancerConfig lb;
    lb.dead_backend = mode;
    AggWorld w(lb);
    w.agg.start();
    w.feeder.arm(1_s);
    w.agg.set_site_down(0, true);
    auto& s = w.connect({w.eth});  // routed to origin-a: still healthy in the LB's view
    std::optional<RestResult> page;
    w.agg.rest_page(w.client, w.agg.route(), w.eth, 0, 5, [&](RestResult r) { page = std::move(r); });
    w.sim.run_until(sim::Time::zero() + 3_s);
    ASSERT_TRUE(w.agg.healthy(0));
    switch (mode) {
      case DeadBackend::hang:
        EXPECT_FALSE(s.open);
        EXPECT_EQ(s.rejected, 0);
        EXPECT_FALSE(page.has_value());
        break;
      case DeadBackend::reject:
        EXPECT_FALSE(s.open);
        EXPECT_EQ(s.rejected, 503);
        ASSERT_TRUE(page.has_value());
        EXPECT_EQ(page->status, 503);
        EXPECT_EQ(w.agg.answered_503(), 2u);
        break;
      case DeadBackend::retry:
        EXPECT_TRUE(s.open);
        EXPECT_EQ(s.site, 1u);  // origin-b, the next by load then name
        EXPECT_FALSE(s.got.empty());
        ASSERT_TRUE(page.has_value());
        EXPECT_EQ(page->status, 200);
        break;
    }
  }
}

// The API's limits are per user over every site (docs rate-limits: 20 connections, 10 requests/s per endpoint).
TEST(StreamsAggregationNetwork, LimitsArePerUserAcrossSites) {
  ApiConfig api;
  api.max_connections_per_user = 2;
  AggWorld w({}, 7, api);
  auto& a = w.connect({w.eth}, "origin-a");
  auto& b = w.connect({w.eth}, "origin-b");
  auto& c = w.connect({w.eth}, "origin-c");  // a third connection, on a third site: refused
  w.sim.run_until(sim::Time::zero() + 1_s);
  EXPECT_TRUE(a.open);
  EXPECT_TRUE(b.open);
  EXPECT_FALSE(c.open);
  EXPECT_EQ(c.rejected, 429);
  EXPECT_EQ(w.agg.user_connections(w.client), 2);
  // 15 page requests spread over two sites in one instant: the user's budget of 10 holds over both.
  int ok = 0, limited = 0;
  for (int i = 0; i < 15; ++i)
    w.agg.rest_page(w.client, static_cast<std::size_t>(i % 2), w.eth, 0, 1, [&](RestResult r) { (r.status == 200 ? ok : limited)++; });
  w.sim.run_until(sim::Time::zero() + 2_s);
  EXPECT_EQ(ok, 10);
  EXPECT_EQ(limited, 5);
}

// /reports/latest gives a feed's newest report; /reports/bulk answers 206 with the feeds it has when some are
// missing (facts §4), 404 when it has none.
TEST(StreamsAggregationNetwork, LatestAndPartialBulk) {
  AggWorld w;
  const FeedId sol = feed_id_of("SOL/USD");  // never reported
  w.feeder.arm(1_s);
  w.sim.run_until(sim::Time::zero() + 10_s + 500_ms);
  const std::uint32_t newest = w.next_ts - 1;
  std::optional<RestResult> latest, none, partial, empty;
  w.agg.rest_latest(w.client, 0, w.eth, [&](RestResult r) { latest = std::move(r); });
  w.agg.rest_latest(w.client, 0, sol, [&](RestResult r) { none = std::move(r); });
  w.agg.rest_bulk(w.client, 0, {w.eth, sol, w.btc}, 1'700'000'003, [&](RestResult r) { partial = std::move(r); });
  w.agg.rest_bulk(w.client, 0, {sol}, 1'700'000'003, [&](RestResult r) { empty = std::move(r); });
  w.sim.run_until(sim::Time::zero() + 10_s + 900_ms);
  ASSERT_TRUE(latest && none && partial && empty);
  EXPECT_EQ(latest->status, 200);
  ASSERT_EQ(latest->reports.size(), 1u);
  EXPECT_EQ(latest->reports[0].report.observations_timestamp, newest);
  EXPECT_EQ(none->status, 404);
  EXPECT_EQ(partial->status, 206);
  ASSERT_EQ(partial->reports.size(), 2u);
  EXPECT_EQ(partial->reports[0].report.feed_id, w.eth);
  EXPECT_EQ(partial->reports[1].report.feed_id, w.btc);
  EXPECT_EQ(empty->status, 404);
}

// A close that never arrives leaves the site holding a half-open connection; when the same client socket connects
// again it is forgotten, so it stops counting against the user's connection limit.
TEST(StreamsAggregationNetwork, AReconnectingSocketReleasesItsHalfOpenConnection) {
  ApiConfig api;
  api.max_connections_per_user = 1;
  AggWorld w({}, 7, api);
  std::vector<int> opened;
  for (int k = 0; k < 3; ++k) {  // socket 1 connects three times and never closes
    WsCallbacks cb;
    cb.opened = [&opened, k] { opened.push_back(k); };
    w.agg.ws_connect(w.client, static_cast<std::size_t>(k % 2), w.agg.new_connection_id(), {w.eth}, std::move(cb), 1);
    w.sim.run_until(sim::Time::zero() + sim::Duration::from_seconds(k + 1));
  }
  EXPECT_EQ(opened, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(w.agg.user_connections(w.client), 1);
  EXPECT_EQ(w.agg.connections(0) + w.agg.connections(1), 1u);
}
