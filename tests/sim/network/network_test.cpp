#include "sim/network/network.hpp"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace sim;
using namespace sim::literals;

namespace {

NetworkConfig regions3() {
  NetworkConfig c;
  c.regions = {"us-east", "eu-west", "ap-south"};
  c.latency["us-east"]["eu-west"] = 40_ms;
  c.latency["us-east"]["ap-south"] = 110_ms;
  c.latency["eu-west"]["ap-south"] = 70_ms;
  return c;
}

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

}  // namespace

TEST(Network, FullMeshLatencyFromRegionMatrix) {
  Simulation s(1);
  Network net(s, regions3());
  const HostId a = net.add_host("a", "us-east");
  const HostId b = net.add_host("b", "ap-south");
  const HostId c = net.add_host("c", "ap-south");
  const MessageKind k = net.kind("ping");
  std::vector<std::pair<char, Time>> got;
  net.send(a, b, 100, k, [&] { got.emplace_back('b', s.now()); });
  net.send(b, c, 100, k, [&] { got.emplace_back('c', s.now()); });
  s.run();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], std::make_pair('c', Time::zero() + 1_ms));  // intra-region default
  EXPECT_EQ(got[1], std::make_pair('b', Time::zero() + 110_ms));
  EXPECT_EQ(net.base_latency(b, a), 110_ms);
  EXPECT_THROW(net.add_host("d", "mars"), std::invalid_argument);
  EXPECT_THROW(net.add_host("a", "us-east"), std::invalid_argument);
}

TEST(Network, InvalidConfigThrowsWithPaths) {
  Simulation s(1);
  NetworkConfig c = regions3();
  c.latency.erase("eu-west");
  try {
    Network net(s, c);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("network.latency.ap-south.eu-west"), std::string::npos) << e.what();
  }
}

TEST(Network, BandwidthAddsSerializationDelay) {
  Simulation s(1);
  NetworkConfig c;
  c.intra_region_latency = 10_ms;
  c.bandwidth_bps = 8'000'000;  // 1 MB/s
  Network net(s, c);
  const HostId a = net.add_host("a"), b = net.add_host("b");
  Time at;
  net.send(a, b, 500'000, net.kind("blob"), [&] { at = s.now(); });
  s.run();
  EXPECT_EQ(at, Time::zero() + 10_ms + 500_ms);
}

TEST(Network, LognormalJitterMatchesConfiguredDistribution) {
  Simulation s(3);
  NetworkConfig c = regions3();
  c.jitter = {JitterDist::lognormal, 0.2, 0.5, 2.5};
  Network net(s, c);
  const HostId a = net.add_host("a", "us-east"), b = net.add_host("b", "eu-west");
  std::vector<double> j;  // jitter in ms
  for (int i = 0; i < 20000; ++i) j.push_back((net.sample_latency(a, b, 0) - 40_ms).millis());
  // J = 40 ms * 0.2 * exp(N(0, 0.5)): median 8 ms, p90 = 8 * exp(0.5 * 1.28155) ms.
  EXPECT_NEAR(quantile(j, 0.5), 8.0, 8.0 * 0.03);
  EXPECT_NEAR(quantile(j, 0.9), 8.0 * std::exp(0.5 * 1.2815516), 15.17 * 0.04);
  EXPECT_GT(*std::min_element(j.begin(), j.end()), 0.0);
  double mean_log = 0;
  for (double v : j) mean_log += std::log(v / 8.0);
  EXPECT_NEAR(mean_log / static_cast<double>(j.size()), 0.0, 0.02);
}

TEST(Network, ParetoJitterHasTheConfiguredTail) {
  Simulation s(4);
  NetworkConfig c;
  c.intra_region_latency = 10_ms;
  c.jitter = {JitterDist::pareto, 0.5, 0.3, 2.0};
  Network net(s, c);
  const HostId a = net.add_host("a"), b = net.add_host("b");
  const int n = 40000;
  int over5 = 0, over20 = 0;
  for (int i = 0; i < n; ++i) {
    const double jm = (net.sample_latency(a, b, 0) - 10_ms).millis();
    ASSERT_GE(jm, 0.0);
    over5 += jm > 5.0;
    over20 += jm > 20.0;
  }
  // Lomax with scale 5 ms, alpha 2: P(J > x) = (1 + x / 5)^-2.
  EXPECT_NEAR(over5 / double(n), 0.25, 0.01);
  EXPECT_NEAR(over20 / double(n), 0.04, 0.004);
}

TEST(Network, PairStreamsDoNotDependOnOtherHosts) {
  auto draw = [](bool extra) {
    Simulation s(9);
    NetworkConfig c;
    c.jitter.dist = JitterDist::lognormal;
    Network net(s, c);
    if (extra) net.add_host("zzz");
    const HostId a = net.add_host("a"), b = net.add_host("b");
    if (extra) (void)net.sample_latency(b, a, 0);
    std::vector<Duration> v;
    for (int i = 0; i < 5; ++i) v.push_back(net.sample_latency(a, b, 0));
    return v;
  };
  EXPECT_EQ(draw(false), draw(true));
}

TEST(Network, ReliableOrderedNeverReordersBestEffortMay) {
  for (Delivery d : {Delivery::reliable_ordered, Delivery::best_effort}) {
    Simulation s(5);
    NetworkConfig c;
    c.intra_region_latency = 20_ms;
    c.jitter = {JitterDist::pareto, 1.0, 0.3, 1.2};
    c.default_delivery = d;
    Network net(s, c);
    const HostId a = net.add_host("a"), b = net.add_host("b");
    const MessageKind k = net.kind("seq");
    std::vector<int> order;
    for (int i = 0; i < 200; ++i) s.at(Time::zero() + 1_ms * i, [&, i] { net.send(a, b, 10, k, [&, i] { order.push_back(i); }); });
    s.run();
    ASSERT_EQ(order.size(), 200u);
    if (d == Delivery::reliable_ordered) EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
    else EXPECT_FALSE(std::is_sorted(order.begin(), order.end()));
  }
}

TEST(Network, LossDropsBestEffortAndDelaysReliable) {
  Simulation s(6);
  NetworkConfig c;
  c.intra_region_latency = 10_ms;
  c.loss = 0.2;
  c.channels["udp"] = Delivery::best_effort;
  Network net(s, c);
  const HostId a = net.add_host("a"), b = net.add_host("b");
  const MessageKind udp = net.kind("udp"), tcp = net.kind("tcp");
  int got_udp = 0, got_tcp = 0, late_tcp = 0;
  std::map<DropReason, int> reasons;
  auto conn = net.dropped.connect([&](const MessageInfo&, DropReason r) { ++reasons[r]; });
  const int n = 5000;
  for (int i = 0; i < n; ++i) {
    // Spaced far apart, so that head-of-line blocking behind a retransmission does not delay the next one.
    s.at(Time::zero() + 1_min * i, [&, i] {
      net.send(a, b, 10, udp, [&] { ++got_udp; });
      net.send(a, b, 10, tcp, [&, i] { ++got_tcp; late_tcp += s.now() > Time::zero() + 1_min * i + 10_ms; });
    });
  }
  s.run();
  EXPECT_EQ(got_tcp, n);
  EXPECT_NEAR(late_tcp / double(n), 0.2, 0.02);  // one or more retransmissions
  EXPECT_NEAR(got_udp / double(n), 0.8, 0.02);
  EXPECT_EQ(reasons[DropReason::loss], n - got_udp);
  const auto counters = net.counters();
  ASSERT_EQ(counters.size(), 2u);
  EXPECT_EQ(counters[0].kind, "tcp");
  EXPECT_EQ(counters[0].delivered, static_cast<std::uint64_t>(n));
  EXPECT_EQ(counters[1].kind, "udp");
  EXPECT_EQ(counters[1].sent_bytes, 10u * n);
  EXPECT_EQ(counters[1].dropped + counters[1].delivered, static_cast<std::uint64_t>(n));
}

TEST(Network, PartitionDropsExactlyCrossGroupMessages) {
  Simulation s(7);
  Network net(s, NetworkConfig{});
  std::vector<HostId> h;
  for (int i = 0; i < 6; ++i) h.push_back(net.add_host(fmt::format("n{}", i)));
  const MessageKind k = net.kind("m");
  // Groups {0,1,2} and {3,4}; host 5 in no group (unaffected).
  const ImpairmentId p = net.add_partition({{h[0], h[1], h[2]}, {h[3], h[4]}});
  std::set<std::pair<HostId, HostId>> got, lost;
  auto conn = net.dropped.connect([&](const MessageInfo& m, DropReason r) {
    EXPECT_EQ(r, DropReason::partition);
    lost.insert({m.from, m.to});
  });
  for (HostId a : h) net.broadcast(a, 10, k, [&, a](HostId to) { got.insert({a, to}); });
  s.run();
  auto side = [](HostId x) { return x <= 2 ? 0 : x <= 4 ? 1 : -1; };
  for (HostId a : h)
    for (HostId b : h) {
      if (a == b) continue;
      const bool cross = side(a) >= 0 && side(b) >= 0 && side(a) != side(b);
      EXPECT_EQ(lost.count({a, b}), cross ? 1u : 0u) << a << "->" << b;
      EXPECT_EQ(got.count({a, b}), cross ? 0u : 1u) << a << "->" << b;
    }
  EXPECT_EQ(lost.size(), 12u);
  net.remove_impairment(p);
  got.clear();
  net.send(h[0], h[3], 10, k, [&] { got.insert({h[0], h[3]}); });
  s.run();
  EXPECT_EQ(got.size(), 1u);
}

TEST(Network, PartitionStartingMidFlightDropsAtDelivery) {
  Simulation s(7);
  NetworkConfig c;
  c.intra_region_latency = 100_ms;
  Network net(s, c);
  const HostId a = net.add_host("a"), b = net.add_host("b");
  int got = 0;
  net.send(a, b, 1, net.kind("m"), [&] { ++got; });
  s.at(Time::zero() + 50_ms, [&] { net.add_partition({{a}, {b}}); });
  s.run();
  EXPECT_EQ(got, 0);
}

TEST(Network, DownHostReceivesNothingAndSendsNothing) {
  Simulation s(8);
  Network net(s, NetworkConfig{});
  const HostId a = net.add_host("a"), b = net.add_host("b"), c = net.add_host("c");
  const MessageKind k = net.kind("m");
  std::map<DropReason, int> reasons;
  auto conn = net.dropped.connect([&](const MessageInfo&, DropReason r) { ++reasons[r]; });
  int to_b = 0, to_c = 0;
  net.set_host_up(b, false);
  net.send(a, b, 1, k, [&] { ++to_b; });
  net.send(b, c, 1, k, [&] { ++to_c; });
  net.send(a, c, 1, k, [&] { ++to_c; });
  // Crash while in flight: dropped at delivery.
  s.at(Time::zero() + 500_us, [&] { net.set_host_up(c, false); });
  s.run();
  EXPECT_EQ(to_b, 0);
  EXPECT_EQ(to_c, 0);
  EXPECT_EQ(reasons[DropReason::receiver_down], 2);
  EXPECT_EQ(reasons[DropReason::sender_down], 1);
  net.set_host_up(b, true);
  net.set_host_up(c, true);
  net.send(a, b, 1, k, [&] { ++to_b; });
  s.run();
  EXPECT_EQ(to_b, 1);
}

TEST(Network, LinkEffectAddsLatencyAndCountsHits) {
  Simulation s(8);
  NetworkConfig c;
  c.intra_region_latency = 10_ms;
  Network net(s, c);
  const HostId a = net.add_host("a"), b = net.add_host("b"), x = net.add_host("x");
  const MessageKind k = net.kind("m");
  int hits = 0;
  const HostId sa[] = {a}, sb[] = {b};
  const ImpairmentId e = net.add_link_effect(sa, sb, {5_ms, 3.0, 0.0}, [&](const MessageInfo&, bool dropped) {
    EXPECT_FALSE(dropped);
    ++hits;
  });
  std::vector<Duration> lat;
  net.send(a, b, 1, k, [&] { lat.push_back(s.now().since_start()); });
  s.run();
  const Time t1 = s.now();
  net.send(b, a, 1, k, [&] { lat.push_back(s.now() - t1); });
  net.send(a, x, 1, k, [&] { lat.push_back(s.now() - t1); });  // not affected
  s.run();
  net.remove_impairment(e);
  const Time t2 = s.now();
  net.send(a, b, 1, k, [&] { lat.push_back(s.now() - t2); });
  s.run();
  EXPECT_EQ(lat, (std::vector<Duration>{35_ms, 10_ms, 35_ms, 10_ms}));
  EXPECT_EQ(hits, 2);
}

TEST(Network, EdgeListRoutesByShortestPath) {
  Simulation s(1);
  NetworkConfig c;
  c.topology = TopologyKind::edges;
  auto edge = [](std::string a, std::string b, Duration d) {
    EdgeConfig e{std::move(a), std::move(b), {}};
    e.link.latency = d;
    return e;
  };
  c.edges = {edge("a", "b", 10_ms), edge("b", "c", 10_ms), edge("a", "c", 50_ms), edge("c", "d", 5_ms)};
  Network net(s, c);
  const HostId a = net.add_host("a"), b = net.add_host("b"), cc = net.add_host("c"), d = net.add_host("d");
  const HostId lonely = net.add_host("e");
  EXPECT_EQ(net.base_latency(a, d), 25_ms);
  EXPECT_EQ(net.base_latency(d, a), 25_ms);
  EXPECT_EQ(net.base_latency(b, cc), 10_ms);
  EXPECT_FALSE(net.base_latency(a, lonely).has_value());
  std::map<DropReason, int> reasons;
  auto conn = net.dropped.connect([&](const MessageInfo&, DropReason r) { ++reasons[r]; });
  Time at;
  net.send(a, d, 1, net.kind("m"), [&] { at = s.now(); });
  net.send(a, lonely, 1, net.kind("m"), [] {});
  s.run();
  EXPECT_EQ(at, Time::zero() + 25_ms);
  EXPECT_EQ(reasons[DropReason::no_route], 1);
}

TEST(Network, EdgeToUnknownHostIsAnError) {
  Simulation s(1);
  NetworkConfig c;
  c.topology = TopologyKind::edges;
  c.edges = {EdgeConfig{"a", "ghost", {}}};
  Network net(s, c);
  const HostId a = net.add_host("a");
  try {
    (void)net.base_latency(a, a);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("network.edges[0].b"), std::string::npos);
  }
}

TEST(Network, RandomGraphIsSeededAndConnected) {
  for (RandomGraphModel model : {RandomGraphModel::waxman, RandomGraphModel::geometric}) {
    auto latencies = [&](std::uint64_t seed) {
      Simulation s(1);
      NetworkConfig c;
      c.topology = TopologyKind::random_graph;
      c.random_graph.model = model;
      c.random_graph.seed = seed;
      c.random_graph.beta = 0.2;
      c.random_graph.radius = 0.15;
      Network net(s, c);
      for (int i = 0; i < 30; ++i) net.add_host(fmt::format("h{}", i));
      std::vector<Duration> v;
      for (HostId a = 0; a < 30; ++a)
        for (HostId b = 0; b < 30; ++b) {
          auto l = net.base_latency(a, b);
          EXPECT_TRUE(l.has_value());
          v.push_back(l.value_or(Duration{}));
          if (a != b && l) {
            EXPECT_GE(*l, c.random_graph.min_latency);
          }
          if (l) {
            EXPECT_EQ(*l, net.base_latency(b, a).value_or(Duration{}));
          }
        }
      return v;
    };
    EXPECT_EQ(latencies(11), latencies(11));
    EXPECT_NE(latencies(11), latencies(12));
  }
}

// A channel held by the sender is the pair's state itself: sending on it draws the same latencies, in the same order,
// as sending by host ids, and a broadcast on channels reaches the same receivers at the same times.
TEST(Network, ChannelsAreThePairsSendsByHostIdsUse) {
  const auto deliveries = [](bool channels) {
    Simulation s(7);
    NetworkConfig cfg = regions3();
    cfg.jitter = {JitterDist::lognormal, 0.2, 0.5, 2.5};
    Network net(s, cfg);
    const HostId a = net.add_host("a", "us-east"), b = net.add_host("b", "eu-west"), c = net.add_host("c", "ap-south");
    const MessageKind k = net.kind("ping");
    std::vector<std::pair<HostId, std::int64_t>> got;
    Network::Channel& ab = net.channel(a, b);
    Network::Channel& ac = net.channel(a, c);
    for (int i = 0; i < 20; ++i) {
      if (channels) {
        net.send(ab, 100, k, [&] { got.emplace_back(b, s.now().ns()); });
        const std::vector<Network::Channel*> both{&ab, &ac};
        net.broadcast(both, 100, k, [&](HostId to) { got.emplace_back(to, s.now().ns()); });
      } else {
        net.send(a, b, 100, k, [&] { got.emplace_back(b, s.now().ns()); });
        const std::vector<HostId> both{b, c};
        net.broadcast(a, both, 100, k, [&](HostId to) { got.emplace_back(to, s.now().ns()); });
      }
      s.run();
    }
    return got;
  };
  const auto by_ids = deliveries(false);
  ASSERT_EQ(by_ids.size(), 60u);
  EXPECT_EQ(deliveries(true), by_ids);
  std::set<std::int64_t> distinct;
  for (const auto& [to, at] : by_ids) distinct.insert(at);
  EXPECT_GT(distinct.size(), 30u);  // jitter: the comparison is not between constants
}

// A message sent undelivered draws from the pair's stream and takes its FIFO place as a sent one does, so the pair's
// later messages arrive exactly when they would have; it counts as sent, never as delivered.
TEST(Network, SendUndeliveredLeavesThePairAsSendingWould) {
  const auto later = [](bool undelivered) {
    Simulation s(9);
    NetworkConfig cfg = regions3();
    cfg.jitter = {JitterDist::lognormal, 0.2, 0.5, 2.5};
    Network net(s, cfg);
    const HostId a = net.add_host("a", "us-east"), b = net.add_host("b", "eu-west");
    const MessageKind k = net.kind("ping");
    Network::Channel& ab = net.channel(a, b);
    std::vector<std::int64_t> got;
    for (int i = 0; i < 10; ++i) {
      if (undelivered) net.send_undelivered(ab, 100, k);
      else net.send(ab, 100, k, [] {});
      net.send(ab, 100, k, [&] { got.push_back(s.now().ns()); });
      s.run();
    }
    const auto c = net.counters().at(0);
    EXPECT_EQ(c.sent, 20u);
    EXPECT_EQ(c.delivered, undelivered ? 10u : 20u);
    return got;
  };
  EXPECT_EQ(later(true), later(false));
}

namespace {
// regions3() with a lognormal jitter (scale 0.3, sigma 0.8), this loss on every link and this delivery by default.
NetworkConfig jittery_regions3(Delivery delivery, double loss) {
  NetworkConfig cfg = regions3();
  cfg.jitter = {JitterDist::lognormal, 0.3, 0.8, 2.5};
  cfg.loss = loss;
  cfg.default_delivery = delivery;
  return cfg;
}
}  // namespace

// An undelivered message's latency is drawn only when something needs it (a later reliable message that could arrive
// before it, a drop for loss); a link effect that changes nothing makes the network draw every one at once. Both give
// the same deliveries, drops and planned arrivals for any mix of gaps (shorter and longer than a latency), channels
// (reliable and best-effort) and loss (with and without).
TEST(Network, UndeliveredLatencyDrawnLazilyAsAtOnce) {
  for (const Delivery delivery : {Delivery::reliable_ordered, Delivery::best_effort}) {
    for (const double loss : {0.2, 0.0}) {  // lossless: send_undelivered's short path
      const auto trace = [delivery, loss](bool eager) {
        Simulation s(17);
        Network net(s, jittery_regions3(delivery, loss));
        const HostId a = net.add_host("a", "us-east"), b = net.add_host("b", "ap-south");
        if (eager) {
          const std::vector<HostId> from{a}, to{b};
          net.add_link_effect(from, to, LinkEffect{});  // multiplier 1, nothing added, no loss
        }
        const MessageKind k = net.kind("ping");
        Network::Channel& ab = net.channel(a, b);
        std::vector<std::string> out;
        auto conn = net.dropped.connect([&](const MessageInfo& m, DropReason r) {
          out.push_back(fmt::format("drop {} {} {}", m.id, to_string(r), m.deliver_at.ns()));
        });
        sim::Rng gaps(5);
        for (int i = 0; i < 400; ++i) {
          // Gaps from 0 to ~1 s around a base latency of 110 ms: some messages follow an undelivered one closely.
          const auto gap = Duration::nanoseconds(static_cast<std::int64_t>(gaps.uniform01() * gaps.uniform01() * 1e9));
          s.run_until(s.now() + gap);
          if (i == 200) net.add_host("late", "eu-west");  // the topology is rebuilt: owed arrivals are settled first
          if (gaps.uniform01() < 0.7) net.send_undelivered(ab, 200, k);
          else net.send(ab, 100, k, [&, i] { out.push_back(fmt::format("deliver {} {}", i, s.now().ns())); });
        }
        s.run();
        const auto c = net.counters().at(0);
        out.push_back(fmt::format("sent {} delivered {} dropped {}", c.sent, c.delivered, c.dropped));
        return out;
      };
      const auto lazy = trace(false);
      EXPECT_GT(lazy.size(), 100u);
      EXPECT_EQ(lazy, trace(true)) << to_string(delivery) << " loss " << loss;
    }
  }
}

// A batch's undelivered messages are counted at once and drawn on each channel when it is next read; every delivery,
// drop, message id and counter must be what sending them one by one gives, whatever comes in between: messages on
// the batch's channels soon after (before the copies' latest arrival) and long after, a receiver going down and up
// (the batch falls back to one by one meanwhile), a host added (the topology is rebuilt), reliable and best-effort
// channels, with and without loss (lossy links never batch).
TEST(Network, BatchedUndeliveredMessagesAsSentOneByOne) {
  for (const Delivery delivery : {Delivery::reliable_ordered, Delivery::best_effort}) {
    for (const double loss : {0.0, 0.2}) {
      std::uint64_t batched = 0;
      const auto trace = [&](bool batch) {
        Simulation s(23);
        Network net(s, jittery_regions3(delivery, loss));
        const HostId a = net.add_host("a", "us-east");
        const std::vector<HostId> to{net.add_host("b", "ap-south"), net.add_host("c", "eu-west"),
                                     net.add_host("d", "ap-south")};
        const MessageKind k = net.kind("newepoch"), other = net.kind("report");
        std::vector<Network::Channel*> row;
        for (const HostId h : to) row.push_back(&net.channel(a, h));
        const Network::BatchId id = batch ? net.make_batch(row) : Network::kNoBatch;
        if (batch) {
          EXPECT_NE(id, Network::kNoBatch);
          EXPECT_EQ(net.make_batch(std::vector<Network::Channel*>{row[1]}), Network::kNoBatch) << "already in a batch";
        }
        std::vector<std::string> out;
        auto drops = net.dropped.connect([&](const MessageInfo& m, DropReason r) {
          out.push_back(fmt::format("drop {} {} {} {}", m.id, m.to, to_string(r), m.deliver_at.ns()));
        });
        auto deliveries = net.delivered.connect([&](const MessageInfo& m) {
          out.push_back(fmt::format("deliver {} {} {}", m.id, m.to, s.now().ns()));
        });
        sim::Rng ops(9);
        int up_again = -1;  // a receiver is down for a few steps
        std::size_t down = 0;
        for (int i = 0; i < 600; ++i) {
          if (i == up_again) net.set_host_up(to[down], true);
          // Gaps from 0 to ~3 s around base latencies of 40 to 110 ms.
          s.run_until(s.now() + Duration::nanoseconds(static_cast<std::int64_t>(ops.uniform01() * ops.uniform01() * 3e9)));
          if (i == 300) net.add_host("late", "eu-west");
          const double u = ops.uniform01();
          const std::size_t pick = static_cast<std::size_t>(ops.uniform01() * 3.0);
          if (u < 0.55) {
            if (batch && net.send_undelivered(id, 150, k)) ++batched;
            else
              for (Network::Channel* ch : row) net.send_undelivered(*ch, 150, k);
          } else if (u < 0.85) {
            net.send(*row[pick], 300, u < 0.7 ? k : other, [] {});
          } else if (u < 0.9) {
            net.send(to[pick], a, 100, other, [] {});  // the reverse channel, never batched
          } else if (u < 0.92 && i > up_again) {
            down = pick;
            net.set_host_up(to[down], false);
            up_again = i + 4;
          } else {
            out.push_back(fmt::format("sample {}", net.sample_latency(a, to[pick], 64).ns()));
          }
        }
        if (batch) net.close_batch(id);
        for (Network::Channel* ch : row) net.send(*ch, 10, k, [] {});
        s.run();
        for (const auto& c : net.counters())
          out.push_back(fmt::format("{} sent {} {} delivered {} dropped {}", c.kind, c.sent, c.sent_bytes, c.delivered,
                                    c.dropped));
        return out;
      };
      const auto one_by_one = trace(false);
      EXPECT_GT(one_by_one.size(), 200u);
      EXPECT_EQ(trace(true), one_by_one) << to_string(delivery) << " loss " << loss;
      if (loss == 0.0) EXPECT_GT(batched, 100u) << "the batch path was taken";
      else EXPECT_EQ(batched, 0u) << "lossy links are never batched";
    }
  }
}
