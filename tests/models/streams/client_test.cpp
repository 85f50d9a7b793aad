#include "models/streams/client.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/streams/aggregation_network.hpp"
#include "models/streams/streams_config.hpp"
#include "sim/timer.hpp"

using namespace models::streams;
using namespace sim::literals;

namespace {

sim::NetworkConfig net_config(bool jitter) {
  sim::NetworkConfig c;
  c.regions = {"us-east", "eu-west", "ap-south"};
  c.latency["us-east"]["eu-west"] = 40_ms;
  c.latency["us-east"]["ap-south"] = 90_ms;
  c.latency["eu-west"]["ap-south"] = 70_ms;
  if (jitter) {
    c.jitter.dist = sim::JitterDist::lognormal;
    c.jitter.scale = 0.2;
  }
  return c;
}

SignedReport report(FeedId feed, std::uint32_t ts, sim::Time at) {
  SignedReport r;
  r.report.feed_id = feed;
  r.report.valid_from_timestamp = ts;  // previous observationsTimestamp + 1
  r.report.observations_timestamp = ts;
  r.observed_at = at;
  return r;
}

constexpr std::uint32_t kBase = 1'700'000'000;

// Sites fed one ETH/USD report per second (observationsTimestamp kBase + second), a client in us-east.
struct ClientWorld {
  ClientWorld(std::vector<SiteConfig> sites, ClientConfig cfg, std::uint64_t seed = 3, bool jitter = false,
              bool start_client = true, ApiConfig api = {})
      : sim(seed), net(sim, net_config(jitter)), agg(sim, net, std::move(sites), LoadBalancerConfig{}, api),
        feeder(sim, [this] { tick(); }) {
    cfg.region = "us-east";
    client = std::make_unique<StreamsClient>(sim, net, agg, cfg, std::vector<FeedId>{eth});
    conn = client->accepted.connect([this](const SignedReport& r, StreamsClient::Source src) {
      ++times_accepted[r.report.observations_timestamp];
      if (src == StreamsClient::Source::stream) stream_arrivals.push_back(sim.now());
    });
    agg.start();
    if (start_client) client->start();
    feeder.arm(1_s);
  }
  void tick() {
    const std::uint32_t ts = kBase + static_cast<std::uint32_t>(sim.now().seconds());
    for (std::size_t i = 0; i < agg.site_count(); ++i) agg.on_report(i, report(eth, ts, sim.now()));
    feeder.arm(1_s);
  }
  // Longest time between two consecutive stream acceptances after `from`.
  sim::Duration max_gap(sim::Time from) const {
    sim::Duration g;
    for (std::size_t i = 1; i < stream_arrivals.size(); ++i)
      if (stream_arrivals[i - 1] >= from) g = std::max(g, stream_arrivals[i] - stream_arrivals[i - 1]);
    return g;
  }
  void expect_each_accepted_at_most_once() const {
    for (const auto& [ts, n] : times_accepted) ASSERT_EQ(n, 1) << "report " << ts << " accepted " << n << " times";
  }
  sim::Simulation sim;
  sim::Network net;
  AggregationNetwork agg;
  sim::Timer feeder;
  FeedId eth = feed_id_of("ETH/USD");
  std::unique_ptr<StreamsClient> client;
  sim::Connection conn;
  std::map<std::uint32_t, int> times_accepted;
  std::vector<sim::Time> stream_arrivals;
};

std::vector<SiteConfig> two_sites() { return {{"origin-a", "us-east", 1000}, {"origin-b", "eu-west", 1000}}; }

ClientConfig client_cfg(std::string name, std::string mode = "single") {
  ClientConfig c;
  c.name = std::move(name);
  c.mode = std::move(mode);
  return c;
}

sim::Time at(sim::Duration d) { return sim::Time::zero() + d; }

}  // namespace

TEST(StreamsClient, StreamsEveryReportOnceWithoutFaults) {
  ClientWorld w(two_sites(), client_cfg("plain"));
  w.sim.run_until(at(120_s) + 500_ms);
  ASSERT_TRUE(w.client->socket_up(0));
  EXPECT_EQ(w.client->socket_site(0), 0u);  // tie on load, then name: origin-a
  EXPECT_EQ(w.client->accepted_stream(), 120u);
  EXPECT_EQ(w.client->duplicates_dropped(), 0u);
  EXPECT_EQ(*w.client->watermark(w.eth), kBase + 120);
  EXPECT_EQ(*w.client->contiguous(w.eth), kBase + 120);
  EXPECT_EQ(w.client->connect_attempts(), 1u);
  EXPECT_EQ(w.net.host_name(w.client->host()), "streams/client/plain");
}

// A single-origin client loses its site for 10 minutes. It notices (missing pong) within ping_every +
// pong_timeout and re-attempts at once, but through the LB, which still routes to the dead site until its health
// checks take it out (interval * unhealthy_after + timeout, later than the client notices): that attempt, and any
// other started before the LB's decision, times out after connect_timeout and is followed by a backoff of up to
// backoff_max; the first attempt after the decision goes to origin-b. So the gap is bounded by the LB's detection
// + connect_timeout + backoff_max, plus one report period and the latency. The client's own detection does not
// add to it: it ends before the LB's.
TEST(StreamsClient, SingleOriginGapDuringOutageIsBounded) {
  const LoadBalancerConfig lb;
  const ClientConfig cfg = client_cfg("single");
  const sim::Duration bound = lb.health_check_interval * lb.unhealthy_after + lb.health_check_timeout +
                              cfg.profile().backoff_max + cfg.profile().connect_timeout + 1_s + 200_ms;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    ClientWorld w(two_sites(), cfg, seed);
    std::vector<std::pair<sim::Time, bool>> states;
    auto c = w.client->socket_state.connect([&](std::size_t, bool up) { states.emplace_back(w.sim.now(), up); });
    w.sim.run_until(at(60_s));
    ASSERT_EQ(w.client->socket_site(0), 0u);
    w.agg.set_site_down(0, true);
    w.sim.run_until(at(660_s));
    w.agg.set_site_down(0, false);
    w.sim.run_until(at(700_s));
    const sim::Duration gap = w.max_gap(at(10_s));
    EXPECT_LE(gap, bound) << "seed " << seed;
    EXPECT_GT(gap, cfg.profile().connect_timeout + cfg.profile().backoff_min) << "seed " << seed;  // the attempt to the dead site
    EXPECT_EQ(w.client->socket_site(0), 1u) << "seed " << seed;
    EXPECT_TRUE(w.client->socket_up(0));
    EXPECT_EQ(w.client->reconnects(), 1u);
    ASSERT_GE(states.size(), 3u);
    EXPECT_FALSE(states[1].second);
    EXPECT_LE(states[1].first - at(60_s), cfg.profile().ping_every + cfg.profile().pong_timeout);  // the loss is noticed in time
    w.expect_each_accepted_at_most_once();
  }
}

// HA: HEAD lists origin-a and origin-b (of three), so two sockets, naming them. When origin-a dies the other
// socket keeps delivering, so the client sees no gap beyond the report period and jitter. The lost socket
// re-attempts with its origin header; once the LB has taken origin-a out it serves the socket elsewhere (manual
// steering "will succeed even if the specified origin is unavailable", facts §4): on the least-loaded healthy
// origin, origin-c. It stays there after origin-a returns (the LB routes new connections only).
TEST(StreamsClient, HaSocketNamingADeadOriginIsServedElsewhereAndStaysThere) {
  std::vector<SiteConfig> sites{{"origin-a", "us-east", 1000}, {"origin-b", "eu-west", 1000}, {"origin-c", "us-east", 1000}};
  const ClientConfig cfg = client_cfg("ha", "ha");
  const LoadBalancerConfig lb;
  ClientWorld w(sites, cfg, 5, /*jitter=*/true);
  std::vector<std::pair<sim::Time, bool>> states0;
  auto c = w.client->socket_state.connect([&](std::size_t i, bool up) {
    if (i == 0) states0.emplace_back(w.sim.now(), up);
  });
  w.sim.run_until(at(60_s));
  ASSERT_EQ(w.client->socket_count(), 2u);
  EXPECT_EQ(w.client->socket_site(0), 0u);
  EXPECT_EQ(w.client->socket_site(1), 1u);
  w.agg.set_site_down(0, true);
  w.sim.run_until(at(200_s));
  EXPECT_TRUE(w.client->socket_up(0));
  EXPECT_EQ(w.client->socket_site(0), 2u);  // served by origin-c
  EXPECT_EQ(w.client->gave_up(), 0u);
  ASSERT_GE(states0.size(), 3u);  // up, lost, up again
  // Back within the LB's detection + connect_timeout + backoff_max of the loss.
  const sim::Duration detect = lb.health_check_interval * lb.unhealthy_after + lb.health_check_timeout;
  EXPECT_LE(states0[2].first - at(60_s), detect + cfg.profile().connect_timeout + cfg.profile().backoff_max + 1_s);
  w.agg.set_site_down(0, false);
  w.sim.run_until(at(400_s) + 500_ms);
  EXPECT_LE(w.max_gap(at(5_s)), 1_s + 200_ms);
  // Every report from the first one on, exactly once, all from the stream.
  EXPECT_EQ(w.client->accepted_stream(), 400u);
  EXPECT_EQ(w.times_accepted.size(), 400u);
  w.expect_each_accepted_at_most_once();
  EXPECT_EQ(w.client->socket_site(0), 2u);  // still on origin-c
  EXPECT_EQ(w.client->socket_site(1), 1u);
  EXPECT_FALSE(w.client->failed());
  EXPECT_EQ(states0.size(), 3u);
}

// The origin header is a preference: a single client naming origin-a loses it and is served by origin-b once the
// LB has taken origin-a out, with the same bound as an unpinned client, instead of retrying a dead origin until
// its attempts run out.
TEST(StreamsClient, PinnedClientIsServedElsewhereWhenItsOriginIsDown) {
  const LoadBalancerConfig lb;
  ClientConfig cfg = client_cfg("pinned");
  cfg.origin = "origin-a";
  const SdkProfile p = cfg.profile();
  const sim::Duration bound = lb.health_check_interval * lb.unhealthy_after + lb.health_check_timeout +
                              p.backoff_max + p.connect_timeout + 1_s + 200_ms;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    ClientWorld w(two_sites(), cfg, seed);
    w.sim.run_until(at(60_s));
    ASSERT_EQ(w.client->socket_site(0), 0u);
    w.agg.set_site_down(0, true);
    w.sim.run_until(at(660_s));
    EXPECT_TRUE(w.client->socket_up(0)) << "seed " << seed;
    EXPECT_EQ(w.client->socket_site(0), 1u) << "seed " << seed;
    EXPECT_FALSE(w.client->failed()) << "seed " << seed;
    EXPECT_LE(w.max_gap(at(10_s)), bound) << "seed " << seed;
  }
}

// HA socket count follows HEAD: a HEAD listing one origin gives one socket.
TEST(StreamsClient, HaOpensOneSocketPerOriginHeadLists) {
  ClientWorld w(two_sites(), client_cfg("ha1", "ha"), 6, false, /*start_client=*/false);
  w.agg.set_health_check_failing(1, true);  // the LB takes origin-b out; HEAD lists origin-a only
  w.sim.run_until(at(30_s));
  ASSERT_FALSE(w.agg.healthy(1));
  w.client->start();
  EXPECT_EQ(w.client->socket_count(), 0u);  // HEAD is on its way
  w.sim.run_until(at(60_s));
  ASSERT_EQ(w.client->socket_count(), 1u);
  EXPECT_EQ(w.client->socket_site(0), 0u);
  EXPECT_TRUE(w.client->socket_up(0));
  EXPECT_GE(w.client->accepted_stream(), 29u);

  ClientWorld both(two_sites(), client_cfg("ha2", "ha"), 6);
  both.sim.run_until(at(10_s));
  EXPECT_EQ(both.client->socket_count(), 2u);
}

// HA with both origins down: no socket is up, so the give-up rule applies to each; the first socket to run out
// of attempts fails the whole stream and every socket stops.
TEST(StreamsClient, HaStreamFailsWhenNoSocketIsUpAndAttemptsRunOut) {
  const ClientConfig cfg = client_cfg("ha", "ha");
  ClientWorld w(two_sites(), cfg, 8);
  w.sim.run_until(at(30_s));
  ASSERT_EQ(w.client->socket_count(), 2u);
  w.agg.set_site_down(0, true);
  w.agg.set_site_down(1, true);
  w.sim.run_until(at(400_s));
  EXPECT_TRUE(w.client->failed());
  EXPECT_TRUE(w.client->socket_gave_up(0));
  EXPECT_TRUE(w.client->socket_gave_up(1));
  EXPECT_EQ(w.client->gave_up(), 2u);
  const auto max = static_cast<std::uint64_t>(cfg.profile().max_reconnect_attempts);
  EXPECT_GE(w.client->connect_attempts(), 2u + max);      // one socket made all its attempts
  EXPECT_LE(w.client->connect_attempts(), 2u + 2u * max);  // neither more
  const std::uint64_t attempts = w.client->connect_attempts();
  w.agg.set_site_down(0, false);
  w.agg.set_site_down(1, false);
  w.sim.run_until(at(500_s));
  EXPECT_EQ(w.client->connect_attempts(), attempts);  // a failed stream stays closed
  EXPECT_FALSE(w.client->any_socket_up());
}

// pong_timeout must not exceed ping_every (a pong timer outliving the next ping would leave it uncovered).
TEST(StreamsClient, PongTimeoutAbovePingPeriodIsRejected) {
  StreamsConfig sc;
  sc.enabled = true;
  sc.feeds.push_back({});
  sc.feeds.back().name = "ETH/USD";
  sc.sites = two_sites();
  ClientConfig c = client_cfg("app");
  c.ping_every = 2_s;
  c.pong_timeout = 3_s;
  sc.clients.push_back(c);
  const sim::ConfigIssues issues = sc.validate("streams");
  bool found = false;
  for (const auto& i : issues.items())
    if (i.path == "streams.clients[0].pong_timeout") {
      found = true;
      EXPECT_NE(i.message.find("3s"), std::string::npos) << i.message;
      EXPECT_NE(i.message.find("2s"), std::string::npos) << i.message;
    }
  EXPECT_TRUE(found);
  c.pong_timeout = 2_s;
  sc.clients[0] = c;
  const sim::ConfigIssues fixed = sc.validate("streams");
  for (const auto& i : fixed.items()) EXPECT_NE(i.path, "streams.clients[0].pong_timeout");

  ClientWorld w(two_sites(), client_cfg("ok"), 1, false, false);
  c.pong_timeout = 3_s;
  EXPECT_THROW(StreamsClient(w.sim, w.net, w.agg, c, {w.eth}), std::invalid_argument);
}

// With backfill, a client that lost its socket for a while ends with every report the surviving site stored.
TEST(StreamsClient, BackfillRestoresEveryReportMissedDuringADisconnect) {
  ClientConfig cfg = client_cfg("filler");
  cfg.backfill = true;
  ClientWorld w(two_sites(), cfg, 11);
  w.sim.run_until(at(60_s));
  w.agg.set_site_down(0, true);
  w.sim.run_until(at(240_s));
  w.agg.set_site_down(0, false);
  w.sim.run_until(at(300_s) + 500_ms);
  const std::vector<std::uint32_t> stored = w.agg.stored_timestamps(1, w.eth);
  ASSERT_EQ(stored.size(), 300u);
  for (std::uint32_t ts : stored) EXPECT_TRUE(w.client->has(w.eth, ts)) << "missing " << ts;
  EXPECT_GT(w.client->accepted_backfill(), 0u);
  EXPECT_EQ(w.client->accepted_stream() + w.client->accepted_backfill(), 300u);
  w.expect_each_accepted_at_most_once();
  EXPECT_EQ(*w.client->contiguous(w.eth), kBase + 300);

  // The same disconnect without backfill leaves a hole.
  ClientWorld bare(two_sites(), client_cfg("bare"), 11);
  bare.sim.run_until(at(60_s));
  bare.agg.set_site_down(0, true);
  bare.sim.run_until(at(300_s) + 500_ms);
  EXPECT_LT(bare.client->accepted_stream(), 295u);
  EXPECT_LT(*bare.client->contiguous(bare.eth), kBase + 70);
}

// When the stream fails the application stops asking: a backfilling client sends no more REST requests.
TEST(StreamsClient, AFailedStreamStopsBackfilling) {
  ClientConfig cfg = client_cfg("pinned-backfill");
  cfg.origin = "origin-b";
  cfg.backfill = true;
  ClientWorld w(two_sites(), cfg, 2);
  w.sim.run_until(at(30_s));
  w.agg.set_site_down(0, true);
  w.agg.set_site_down(1, true);
  w.sim.run_until(at(400_s));
  ASSERT_TRUE(w.client->failed());
  const auto requests = w.client->rest_requests();
  w.sim.run_until(at(600_s));
  EXPECT_EQ(w.client->rest_requests(), requests);
}

// With no origin serving, a client gives up after 5 reconnect attempts (facts §4: at most 5 attempts) and, having
// no other socket, fails its stream. An unknown origin is refused at construction.
TEST(StreamsClient, AtMostFiveReconnectAttemptsWhenNoOriginServes) {
  ClientConfig cfg = client_cfg("pinned");
  cfg.origin = "origin-b";
  ClientWorld w(two_sites(), cfg, 2);
  w.sim.run_until(at(30_s));
  EXPECT_EQ(w.client->socket_site(0), 1u);
  EXPECT_TRUE(w.client->socket_up(0));
  w.agg.set_site_down(0, true);
  w.agg.set_site_down(1, true);
  w.sim.run_until(at(400_s));
  EXPECT_TRUE(w.client->socket_gave_up(0));
  EXPECT_TRUE(w.client->failed());  // no other socket: the stream fails
  EXPECT_EQ(w.client->gave_up(), 1u);
  EXPECT_EQ(w.client->connect_attempts(), 1u + 5u);
  EXPECT_THROW(StreamsClient(w.sim, w.net, w.agg, [] {
                 ClientConfig c = client_cfg("bad");
                 c.origin = "origin-z";
                 return c;
               }(), {w.eth}),
               std::invalid_argument);
}

TEST(StreamsClient, FetchBulkRetriesUntilARouteAnswers) {
  ClientWorld w(two_sites(), client_cfg("trader"), 4);
  w.sim.run_until(at(30_s));
  // origin-a (the LB's choice by name) goes down; the LB still routes to it until health checks notice.
  w.agg.set_site_down(0, true);
  std::vector<SignedReport> got;
  sim::Time done_at;
  w.client->fetch_bulk({w.eth}, kBase + 20, [&](std::vector<SignedReport> rs) {
    got = std::move(rs);
    done_at = w.sim.now();
  });
  w.sim.run_until(at(120_s));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].report.observations_timestamp, kBase + 20);
  EXPECT_GE(done_at - at(30_s), 5_s);  // at least one request timed out
  EXPECT_GE(w.client->rest_requests(), 2u);
  EXPECT_EQ(w.client->rest_failures(), 0u);
}

TEST(StreamsClient, RestRequestsKeepToTenPerSecondPerEndpoint) {
  ClientWorld w(two_sites(), client_cfg("burst"), 4);
  w.sim.run_until(at(30_s));
  std::vector<sim::Time> answers;
  for (int i = 0; i < 25; ++i)
    w.client->fetch_bulk({w.eth}, kBase + 5 + i, [&](std::vector<SignedReport> rs) {
      EXPECT_EQ(rs.size(), 1u);
      answers.push_back(w.sim.now());
    });
  w.sim.run_until(at(40_s));
  ASSERT_EQ(answers.size(), 25u);
  EXPECT_EQ(w.client->rate_limited(), 15u);       // 10 at once (the bucket's burst), 15 waited
  EXPECT_EQ(w.agg.rate_limited(0), 0u);           // so the site never answered 429
  EXPECT_GE(answers.back() - at(30_s), 1_s + 400_ms);  // the last of 15 waits ~1.5 s
  EXPECT_EQ(w.client->rest_requests(), 25u);
}

// A site that restarts between two pings has forgotten the connection: the next pong says so and the client
// reconnects at once (no backoff before the first attempt) instead of waiting for a pong timeout.
TEST(StreamsClient, ReconnectsWhenTheSiteForgotTheConnection) {
  ClientWorld w(two_sites(), client_cfg("restart"), 9);
  std::vector<std::pair<sim::Time, bool>> states;
  auto c = w.client->socket_state.connect([&](std::size_t, bool up) { states.emplace_back(w.sim.now(), up); });
  w.sim.run_until(at(60_s) + 200_ms);
  w.agg.set_site_down(0, true);
  w.sim.run_until(at(60_s) + 500_ms);
  w.agg.set_site_down(0, false);
  w.sim.run_until(at(90_s));
  ASSERT_EQ(states.size(), 3u);  // up, lost, up again
  EXPECT_FALSE(states[1].second);
  EXPECT_LT(states[1].first, at(62_s) + 100_ms);  // the ping after the restart, not a pong timeout
  EXPECT_LT(states[2].first - states[1].first, 50_ms);  // one round trip in us-east: no backoff first
  EXPECT_EQ(w.client->disconnects(), 1u);
  EXPECT_EQ(w.client->reconnects(), 1u);
  EXPECT_EQ(w.client->socket_site(0), 0u);  // the LB never saw origin-a fail
  EXPECT_EQ(w.agg.connections(0), 1u);
}

namespace {

ClientConfig sdk_client(std::string name, Sdk sdk, std::string mode = "single") {
  ClientConfig c = client_cfg(std::move(name), std::move(mode));
  c.sdk = sdk;
  return c;
}

// The time from a silent site outage at `down_at` to the client's notice of the loss, nullopt if it never notices.
std::optional<sim::Duration> detection(Sdk sdk, sim::Duration down_at, std::uint64_t seed) {
  ClientWorld w(two_sites(), sdk_client("detect", sdk), seed);
  std::optional<sim::Time> lost;
  auto c = w.client->socket_state.connect([&](std::size_t, bool up) {
    if (!up && !lost) lost = w.sim.now();
  });
  w.sim.run_until(at(down_at));
  EXPECT_TRUE(w.client->socket_up(0));
  w.agg.set_site_down(0, true);
  w.sim.run_until(at(down_at + 300_s));
  if (!lost) return std::nullopt;
  return *lost - at(down_at);
}

}  // namespace

// Each SDK notices a silently vanished site within its ping period plus its pong timeout: Go 2 s + 2 s,
// TypeScript 30 s + 5 s. The outage falls at different phases of the ping period.
TEST(StreamsClientSdk, GoAndTypeScriptNoticeALostSiteWithinPingAndPongTimeout) {
  for (Sdk sdk : {Sdk::go, Sdk::typescript}) {
    const SdkProfile p = sdk_profile(sdk);
    sim::Duration longest;
    for (int k = 0; k < 8; ++k) {
      const sim::Duration down_at = 60_s + p.ping_every * k / 8 + 100_ms;
      const auto d = detection(sdk, down_at, 11 + static_cast<std::uint64_t>(k));
      ASSERT_TRUE(d.has_value()) << sdk_name(sdk) << " phase " << k;
      EXPECT_GE(*d, p.pong_timeout) << sdk_name(sdk);
      EXPECT_LE(*d, p.ping_every + p.pong_timeout + 100_ms) << sdk_name(sdk);
      longest = std::max(longest, *d);
    }
    EXPECT_GT(longest, p.ping_every / 2 + p.pong_timeout) << sdk_name(sdk);  // the phase matters
  }
  EXPECT_EQ(sdk_profile(Sdk::typescript).ping_every, 30_s);
  EXPECT_EQ(sdk_profile(Sdk::typescript).pong_timeout, 5_s);
}

// The Rust SDK sends no pings and has no read timeout: a site that vanishes silently is never noticed, and the
// stream stays dead even after the site comes back (it no longer knows the connection).
TEST(StreamsClientSdk, RustNeverNoticesASilentlyLostSite) {
  EXPECT_FALSE(detection(Sdk::rust, 60_s, 3).has_value());
  ClientWorld w(two_sites(), sdk_client("rusty", Sdk::rust), 3);
  w.sim.run_until(at(60_s));
  const auto before = w.client->accepted_stream();
  w.agg.set_site_down(0, true);
  w.sim.run_until(at(120_s));
  w.agg.set_site_down(0, false);
  w.sim.run_until(at(400_s));
  EXPECT_TRUE(w.client->socket_up(0));  // as far as the client knows
  EXPECT_LE(w.client->accepted_stream(), before + 1);
  EXPECT_EQ(w.client->connect_attempts(), 1u);
}

// TypeScript waits before its first re-attempt and doubles the wait: 1, 2, 4, 8, 10 s (constants.ts,
// connection-manager.ts); after 5 attempts with no other connection up the stream fails.
TEST(StreamsClientSdk, TypeScriptBacksOffDoublingFromOneToTenSeconds) {
  ClientWorld w(two_sites(), sdk_client("ts", Sdk::typescript), 4);
  w.sim.run_until(at(30_s));
  w.agg.set_site_down(0, true);
  w.agg.set_site_down(1, true);
  std::vector<sim::Time> attempts;
  std::uint64_t seen = w.client->connect_attempts();
  std::function<void()> poll = [&] {  // samples the attempt counter every 10 ms
    if (w.client->connect_attempts() != seen) {
      seen = w.client->connect_attempts();
      attempts.push_back(w.sim.now());
    }
    if (w.sim.now() < at(200_s)) w.sim.after(10_ms, [&] { poll(); });
  };
  w.sim.after(10_ms, [&] { poll(); });
  w.sim.run_until(at(200_s));
  ASSERT_EQ(attempts.size(), 5u);
  EXPECT_TRUE(w.client->failed());
  // Between attempts: the connect timeout (5 s) and then the doubling backoff.
  const std::vector<double> backoffs{2, 4, 8};
  for (std::size_t i = 1; i + 1 < attempts.size(); ++i)
    EXPECT_NEAR((attempts[i] - attempts[i - 1]).seconds(), 5 + backoffs[i - 1], 0.05) << i;
  EXPECT_NEAR((attempts[4] - attempts[3]).seconds(), 5 + 10, 0.05);  // 16 s capped at 10 s
}

// When HEAD goes unanswered, Go and TypeScript fall back to one connection through the LB (go client.go: no
// origins, "not running in HA mode"); TypeScript runs HA only with more than one origin.
TEST(StreamsClientSdk, HaFallsBackToOneConnectionWithoutEnoughOrigins) {
  for (Sdk sdk : {Sdk::go, Sdk::typescript}) {
    ClientWorld w(two_sites(), sdk_client("ha", sdk, "ha"), 6, false, /*start_client=*/false);
    w.net.set_host_up(w.agg.lb_host(), false);  // HEAD is never answered
    w.client->start();
    w.sim.run_until(at(30_s));
    EXPECT_EQ(w.client->head_failures(), 1u) << sdk_name(sdk);
    ASSERT_EQ(w.client->socket_count(), 1u) << sdk_name(sdk);
    EXPECT_TRUE(w.client->socket_up(0)) << sdk_name(sdk);
    EXPECT_GE(w.client->accepted_stream(), 20u) << sdk_name(sdk);
  }
  // HEAD listing one origin: Go opens one socket naming it, TypeScript one LB-routed socket.
  for (Sdk sdk : {Sdk::go, Sdk::typescript}) {
    ClientWorld w(two_sites(), sdk_client("ha1", sdk, "ha"), 6, false, /*start_client=*/false);
    w.agg.set_health_check_failing(1, true);
    w.sim.run_until(at(30_s));
    w.client->start();
    w.sim.run_until(at(40_s));
    ASSERT_EQ(w.client->socket_count(), 1u) << sdk_name(sdk);
    EXPECT_EQ(w.client->socket_site(0), 0u) << sdk_name(sdk);
    EXPECT_EQ(w.client->socket_origin(0), sdk == Sdk::go ? "origin-a" : "") << sdk_name(sdk);
  }
}

// Rust HA takes its origins from configuration (no HEAD) and sends every re-attempt to the first origin: with
// pings turned on so that it notices, a lost second socket comes back on origin-a, next to the first. (Any other
// SDK's socket would name origin-b, and the LB would serve it from the least-loaded healthy site, origin-c.)
TEST(StreamsClientSdk, RustReattemptsGoToTheFirstOrigin) {
  ClientConfig cfg = sdk_client("rust_ha", Sdk::rust, "ha");
  cfg.ping_every = 2_s;
  cfg.pong_timeout = 2_s;
  ClientWorld w({{"origin-a", "us-east", 1000}, {"origin-b", "eu-west", 1000}, {"origin-c", "us-east", 1000}}, cfg, 9);
  w.sim.run_until(at(30_s));
  ASSERT_EQ(w.client->socket_count(), 2u);
  EXPECT_EQ(w.client->socket_site(0), 0u);
  EXPECT_EQ(w.client->socket_site(1), 1u);
  w.agg.set_site_down(1, true);
  w.sim.run_until(at(60_s));
  EXPECT_TRUE(w.client->socket_up(1));
  EXPECT_EQ(w.client->socket_site(1), 0u);  // on the first origin, not its own
  EXPECT_LE(w.max_gap(at(5_s)), 1_s + 200_ms);
}

// Doubling stops at backoff_max however long a socket keeps retrying (TypeScript HA retries without limit while
// the other socket is up), so a large backoff_min cannot overflow. One connection per user: the second socket's
// handshakes all get 429 while the first streams.
TEST(StreamsClientSdk, DoublingBackoffStaysAtItsCapOverManyAttempts) {
  ClientConfig cfg = sdk_client("ts_ha", Sdk::typescript, "ha");
  cfg.backoff_min = 9_s;
  cfg.backoff_max = 600_s;
  ApiConfig api;
  api.max_connections_per_user = 1;
  ClientWorld w(two_sites(), cfg, 12, false, true, api);
  w.sim.run_until(at(30_s));
  ASSERT_EQ(w.client->socket_count(), 2u);
  ASSERT_NE(w.client->socket_up(0), w.client->socket_up(1));
  const std::uint64_t early = w.client->connect_attempts();
  w.sim.run_until(at(30_s) + 4'000_s);  // 9, 18, 36, ... 576 s: past the cap
  const std::uint64_t capped = w.client->connect_attempts();
  w.sim.run_until(at(30_s) + 4'000_s + 40 * 600_s);
  EXPECT_FALSE(w.client->failed());
  EXPECT_GE(w.client->rejected(), early);
  EXPECT_GE(w.client->connect_attempts() - capped, 39u);  // one attempt per 600 s (and its answer), no faster
  EXPECT_LE(w.client->connect_attempts() - capped, 41u);
}
