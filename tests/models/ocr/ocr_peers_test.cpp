// OcrPeers: the oracles of a feed on the network. A newepoch copy to an oracle that says it would change nothing there
// is accounted on the network but not delivered; every other message reaches every oracle.
#include "models/ocr/ocr_peers.hpp"

#include <vector>

#include <gtest/gtest.h>

using namespace models::ocr;

namespace {

struct Fixture {
  sim::Simulation sim{3};
  sim::Network net{sim, sim::NetworkConfig{}};
  OcrPeers peers{sim, net, OcrVersion::ocr2};
  std::vector<std::vector<OracleId>> heard_from = std::vector<std::vector<OracleId>>(4);  // per receiver
  Fixture() {
    for (int i = 0; i < 4; ++i) {
      const auto host = net.add_host("o" + std::to_string(i));
      peers.add(i, host, [this, i](OracleId from, const Message&) { heard_from[static_cast<std::size_t>(i)].push_back(from); });
    }
    up_to_date({0, 5, 0, 5});
  }
  // Receiver i heard newepoch(e[i]) from every oracle, so it ignores newepoch(e) when e <= e[i]; all listen.
  void up_to_date(const std::vector<Epoch>& e) {
    for (int to = 0; to < 4; ++to) {
      peers.set_listening(to, true);
      for (int from = 0; from < 4; ++from) peers.set_heard(to, from, e[static_cast<std::size_t>(to)]);
    }
  }
  // Messages of a kind delivered over the network, and accounted (sent) on it.
  std::uint64_t wire(const char* kind) {
    for (const auto& c : net.counters())
      if (c.kind == kind) return c.delivered;
    return 0;
  }
  std::uint64_t accounted(const char* kind) {
    for (const auto& c : net.counters())
      if (c.kind == kind) return c.sent;
    return 0;
  }
};

}  // namespace

TEST(OcrPeers, NewepochCopiesThatChangeNothingStayOffTheWire) {
  Fixture f;
  f.peers.send(0, {kBroadcast, NewEpochMsg{5}});  // oracles 1 and 3 heard epoch 5 already
  f.sim.run();
  EXPECT_EQ(f.heard_from[0], std::vector<OracleId>{0});  // its own copy
  EXPECT_TRUE(f.heard_from[1].empty());
  EXPECT_EQ(f.heard_from[2], std::vector<OracleId>{0});
  EXPECT_TRUE(f.heard_from[3].empty());
  EXPECT_EQ(f.wire("ocr/newepoch"), 1u);       // only 0 -> 2 was delivered over the network
  EXPECT_EQ(f.accounted("ocr/newepoch"), 3u);  // but 0 -> 1 and 0 -> 3 drew their latencies like sent ones
  EXPECT_EQ(f.peers.sent()[0], 4u);            // every copy counts as sent, as libocr sends them
  // A later epoch is news to everyone.
  f.peers.send(1, {kBroadcast, NewEpochMsg{6}});
  f.sim.run();
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(f.heard_from[i].back(), 1) << i;
  EXPECT_EQ(f.wire("ocr/newepoch"), 1u + 3u);
  // A resend that changes nothing anywhere sends nothing at all.
  f.up_to_date({6, 6, 6, 6});
  f.peers.send(2, {kBroadcast, NewEpochMsg{6}});
  f.sim.run();
  EXPECT_EQ(f.wire("ocr/newepoch"), 4u);
  EXPECT_EQ(f.accounted("ocr/newepoch"), 9u);
  EXPECT_EQ(f.heard_from[2].size(), 2u);
}

TEST(OcrPeers, OtherBroadcastsReachEveryOracle) {
  Fixture f;
  f.up_to_date({100, 100, 100, 100});  // concerns newepoch only
  f.peers.send(3, {kBroadcast, ObserveReqMsg{}});
  f.sim.run();
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(f.heard_from[i], std::vector<OracleId>{3}) << i;
  EXPECT_EQ(f.wire("ocr/observe-req"), 3u);
  f.peers.send(3, {1, ObserveMsg{}});  // and a unicast on its channel
  f.sim.run();
  EXPECT_EQ(f.heard_from[1].back(), 3);
  EXPECT_EQ(f.wire("ocr/observe"), 1u);
}

// An oracle that does not listen (down, or not yet in the configuration) gets every newepoch copy, whatever it heard:
// the network then drops or delivers it as it would any message.
TEST(OcrPeers, OnlyListeningOraclesIgnoreNewepochCopies) {
  Fixture f;
  EXPECT_TRUE(f.peers.ignores_newepoch(1, 0, 5));
  EXPECT_FALSE(f.peers.ignores_newepoch(1, 0, 6));  // news
  f.peers.set_listening(1, false);
  EXPECT_FALSE(f.peers.ignores_newepoch(1, 0, 5));
  f.peers.send(0, {kBroadcast, NewEpochMsg{5}});
  f.sim.run();
  EXPECT_EQ(f.heard_from[1], std::vector<OracleId>{0});
  EXPECT_TRUE(f.heard_from[3].empty());
  // What one receiver heard from one sender: other pairs are untouched.
  f.peers.set_heard(2, 3, 9);
  EXPECT_TRUE(f.peers.ignores_newepoch(2, 3, 9));
  EXPECT_FALSE(f.peers.ignores_newepoch(2, 1, 9));
  EXPECT_FALSE(f.peers.ignores_newepoch(3, 3, 9));
}
