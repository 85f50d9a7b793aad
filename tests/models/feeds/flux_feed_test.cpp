#include "models/feeds/feeds_subsystem.hpp"

#include "analysis/subsystems.hpp"

#include <algorithm>
#include <any>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "models/providers/price_process.hpp"

using namespace models;
using namespace models::feeds;
using namespace sim::literals;

namespace {

// The feeds of a scenario on an environment of their own, as the World builds them.
struct FeedWorld {
  scenario::ScenarioConfig cfg;
  world::Environment env;
  FeedsPart part;
  FeedWorld(sim::Simulation& s, const scenario::ScenarioConfig& c) : cfg(c), env(s, cfg), part(env, feeds_of(cfg)) {}
  void start() {
    env.start();
    part.start();
  }
  FluxFeed& feed(std::size_t i) { return *part.flux_feed(i); }
  chain::Chain& chain() { return env.chain(); }
};

scenario::ScenarioConfig small_world(std::uint32_t oracles, double noise_bps) {
  scenario::ScenarioConfig w;
  w.chain.missed_slot_probability = 0;  // the latency bound below counts slots
  providers::AssetConfig a;
  a.name = "ETH/USD";
  a.process.start = 3000;
  a.process.volatility = 0;  // constant unless a test replays a path
  w.assets = {a};
  for (int i = 0; i < 3; ++i) {
    providers::ProviderConfig p;
    p.name = "exchange-" + std::to_string(i);
    p.asset = "ETH/USD";
    p.noise = noise_bps * 1e-4;
    w.providers.push_back(p);
  }
  FeedConfig f;
  f.oracles = oracles;
  f.flux.poll_interval = 30_s;
  f.heartbeat = 1_h;
  f.deviation = 0.005;
  contracts::ConsumerConfig c;
  c.read_every = 12_s;
  f.consumers = {c};
  feeds_of(w) = {f};
  return w;
}

// Round updates seen through the feed: (first answer time, last answer) per update key.
struct Updates {
  std::vector<std::uint64_t> keys;
  std::vector<sim::Time> first;
  std::vector<std::int64_t> answer;
  sim::Connection conn;
  explicit Updates(FluxFeed& f) {
    conn = f.answer_changed.connect([this](sim::Time t, std::int64_t a, std::uint64_t key) {
      if (keys.empty() || keys.back() != key) {
        keys.push_back(key);
        first.push_back(t);
        answer.push_back(a);
      } else {
        answer.back() = a;
      }
    });
  }
};

}  // namespace

TEST(FluxFeed, ConstantPriceGivesExactlyOneUpdatePerHeartbeat) {
  sim::Simulation s(42);
  FeedWorld w(s, small_world(4, 0));
  Updates u(w.feed(0));
  std::map<FluxTrigger, int> reasons;
  std::vector<sim::Connection> conns;
  for (std::size_t i = 0; i < w.feed(0).node_count(); ++i)
    conns.push_back(w.feed(0).monitor(i).triggered.connect([&](sim::Time, FluxTrigger t, std::uint32_t) { ++reasons[t]; }));
  w.start();
  s.run_until(sim::Time::zero() + 6_h + 30_min);
  ASSERT_GE(u.first.size(), 2u);
  // The first round answers at start-up; after that one round per heartbeat (the idle timer runs from the
  // round's start, so each interval is the heartbeat plus the few seconds until the next round's first
  // submission is included).
  for (std::size_t i = 1; i < u.first.size(); ++i) {
    const double gap = (u.first[i] - u.first[i - 1]).seconds();
    EXPECT_GE(gap, 3600) << i;
    EXPECT_LE(gap, 3600 + 60) << i;
  }
  EXPECT_EQ(u.first.size(), 7u);  // t ~ 0 plus one per hour in 6.5 h
  EXPECT_EQ(reasons[FluxTrigger::deviation], 0);
  EXPECT_GT(reasons[FluxTrigger::heartbeat], 0);
  for (auto a : u.answer) EXPECT_EQ(a, providers::to_answer(3000));
}

TEST(FluxFeed, StepBeyondTheThresholdUpdatesWithinTheExpectedLatency) {
  const std::string csv = std::string(ORACLESIM_BINARY_DIR) + "/flux_step_test.csv";
  {
    std::ofstream out(csv);
    out << "timestamp,price\n0,3000\n7200,3060\n";  // +2% at 2 h
  }
  scenario::ScenarioConfig cfg = small_world(4, 1);
  cfg.assets[0].process.kind = providers::PriceProcessConfig::Kind::replay;
  cfg.assets[0].process.csv = csv;
  sim::Simulation s(7);
  FeedWorld w(s, cfg);
  Updates u(w.feed(0));
  w.start();
  s.run_until(sim::Time::zero() + 2_h + 10_min);
  // Expected bound: a poll (30 s) + provider refresh (1 s) + quote fetch (<= 5 s timeout) + propagation (1 s) +
  // up to 2 slots (24 s) for the first submission; the others answer the NewRound log with another fetch,
  // propagation and up to 2 slots before min_submissions (3 of 4) is reached.
  const double bound = 30 + 1 + 5 + 1 + 24 + 5 + 1 + 24;
  std::optional<sim::Time> after;
  std::int64_t answer = 0;
  for (std::size_t i = 0; i < u.first.size(); ++i)
    if (u.first[i] > sim::Time::zero() + 2_h) {
      after = u.first[i];
      answer = u.answer[i];
      break;
    }
  ASSERT_TRUE(after.has_value());
  const double latency = (*after - (sim::Time::zero() + 2_h)).seconds();
  EXPECT_GT(latency, 0);
  EXPECT_LE(latency, bound);
  EXPECT_NEAR(providers::from_answer(answer), 3060, 3060 * 0.001);  // within provider noise
}

TEST(FluxFeed, ProxyPhaseSwitchKeepsConsumersServed) {
  sim::Simulation s(3);
  FeedWorld w(s, small_world(4, 2));
  FluxFeed& f = w.feed(0);
  std::vector<contracts::ConsumerRead> reads;
  auto c = f.consumer_read.connect([&](const contracts::ConsumerRead& r) { reads.push_back(r); });
  w.start();
  s.run_until(sim::Time::zero() + 10_min);  // the first round is answered in phase 1
  ASSERT_EQ(f.proxy().phase_id(), 1);
  const std::size_t before = reads.size();
  f.migrate();
  EXPECT_EQ(f.proxy().phase_id(), 1);  // proposed, not yet confirmed: consumers still read phase 1
  s.run_until(sim::Time::zero() + 40_min);
  EXPECT_EQ(f.proxy().phase_id(), 2);
  ASSERT_GT(reads.size(), before + 100);
  // No read from the first answer on failed, round ids never went backwards, and the phase moved to 2.
  std::size_t first_ok = 0;
  while (first_ok < reads.size() && !reads[first_ok].ok) ++first_ok;
  ASSERT_LT(first_ok, before);
  for (std::size_t i = first_ok; i < reads.size(); ++i) {
    EXPECT_TRUE(reads[i].ok) << i;
    if (i > first_ok) {
      EXPECT_GE(reads[i].round_id, reads[i - 1].round_id) << i;
    }
    EXPECT_NEAR(providers::from_answer(reads[i].answer), 3000, 3);
  }
  EXPECT_EQ(contracts::phase_of(reads.back().round_id), 2);
  EXPECT_EQ(contracts::aggregator_round_of(reads.back().round_id), 1u);
  // The old phase's rounds stay readable through the proxy.
  EXPECT_TRUE(f.proxy().get_round_data(contracts::proxy_round_id(1, 1)).has_value());
  // Both aggregators were funded on the run's LINK token and their books agree with it.
  const auto link = f.link_accounting();
  EXPECT_EQ(link.violation, "");
  EXPECT_TRUE(link.minted == 2 * contracts::Juels{f.aggregator().config().funding_link} * contracts::kJuelsPerLink);
  EXPECT_TRUE(link.balance == link.minted);
  EXPECT_TRUE(link.owed == link.credited);
  EXPECT_GT(link.owed, contracts::Juels{0});
}

TEST(FeedsSubsystem, ValidationFindsUnknownAssetsAndProviders) {
  scenario::ScenarioConfig cfg = small_world(4, 1);
  cfg.providers[1].asset = "BTC/USD";
  feeds_of(cfg)[0].providers = {"exchange-9"};
  feeds_of(cfg)[0].oracles = 100;
  sim::ConfigIssues issues = scenario::validate_environment(cfg);
  validate_feeds(cfg, issues);
  std::vector<std::string> paths;
  for (const auto& i : issues.items()) paths.push_back(i.path);
  EXPECT_NE(std::find(paths.begin(), paths.end(), "providers[1].asset"), paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "feeds[0].providers[0]"), paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "feeds[0].oracles"), paths.end());
  // The scenario's checks (what loading a file runs) find the same problems.
  const auto all = analysis::builtin_registry().validate(cfg);
  EXPECT_EQ(all.size(), issues.size());
}

TEST(FluxFeed, ARestartedNodeComparesWithItsOwnLatestSubmissionAndStartsTheNextRound) {
  // facts §1: the flux monitor measures deviation against the node's own latest submission. Node 3 is down while
  // the price steps +2% and the others update the answer; when it restarts, the on-chain answer is within the
  // threshold of its view but its own last submission is not: at its first poll it starts round r + 1.
  const std::string csv = std::string(ORACLESIM_BINARY_DIR) + "/flux_own_submission_test.csv";
  {
    std::ofstream out(csv);
    out << "timestamp,price\n0,3000\n7200,3060\n";  // +2% at 2 h
  }
  scenario::ScenarioConfig cfg = small_world(4, 0);
  cfg.assets[0].process.kind = providers::PriceProcessConfig::Kind::replay;
  cfg.assets[0].process.csv = csv;
  feeds_of(cfg)[0].flux.max_submissions = 3;  // a round closes with 3 answers, so node 3 cannot join round r late
  sim::Simulation s(3);
  FeedWorld w(s, cfg);
  FluxFeed& feed = w.feed(0);
  struct Started {
    sim::Time at;
    std::uint32_t round;
    chain::Address by;
  };
  std::vector<Started> rounds;
  sim::Connection c = w.chain().log_emitted.connect([&](const chain::Log& l, const chain::Receipt&) {
    if (l.event != "NewRound") return;
    const auto& ev = std::any_cast<const contracts::NewRoundEvent&>(l.payload);
    rounds.push_back({s.now(), ev.round_id, ev.started_by});
  });
  const sim::Time down = sim::Time::zero() + 1_h + 50_min, up = sim::Time::zero() + 2_h + 30_min;
  s.at(down, [&] { feed.node(3).crash(); });
  std::uint32_t round_at_restart = 0;
  s.at(up, [&] {
    feed.node(3).restart();
    const auto& agg = feed.aggregator();
    round_at_restart = agg.latest_round();
    const auto own = agg.oracle_round_state(feed.node(3).address(), s.now()).latest_submission;
    const auto view = providers::to_answer(3060);
    // The premise: the answer is within the threshold of the node's view, its own last submission is not.
    EXPECT_FALSE(deviation_exceeded(agg.latest_answer(), view, 0.005));
    EXPECT_TRUE(deviation_exceeded(own, view, 0.005));
  });
  w.start();
  s.run_until(up + 2_min);
  ASSERT_GT(round_at_restart, 1u);
  const auto first_after = std::find_if(rounds.begin(), rounds.end(), [&](const Started& r) { return r.at > up; });
  ASSERT_NE(first_after, rounds.end()) << "nobody started a round after the restart";
  EXPECT_EQ(first_after->round, round_at_restart + 1);
  EXPECT_EQ(first_after->by, feed.node(3).address());
  EXPECT_LE((first_after->at - up).seconds(), 30 + 5 + 24 + 2);  // a poll, the fetch and inclusion
}
