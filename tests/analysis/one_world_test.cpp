// One world: scenarios/one_world.yaml puts a per-node feed and an OCR feed on different assets, two request
// consumers and the Data Streams failover set-up (with Streams Trade) on one chain. The chain's block space is
// shared and accounted for; a congestion fault reaches every subsystem at once.
#include <algorithm>
#include <limits>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "analysis/chain_collector.hpp"
#include "analysis/feed_collector.hpp"
#include "analysis/run.hpp"
#include "analysis/subsystems.hpp"
#include "models/feeds/feeds_subsystem.hpp"
#include "models/providers/price_process.hpp"
#include "models/request/requests_subsystem.hpp"
#include "models/streams/streams_subsystem.hpp"
#include "sim/random.hpp"
#include "tests/analysis/scenario_run.hpp"

using scenario_test::metric;

using namespace sim::literals;

namespace {

const std::string kFile = std::string(ORACLESIM_SOURCE_DIR) + "/scenarios/one_world.yaml";

// The tests shorten the day; the file's faults after the shortened end are kept on purpose (allow_after_end).
models::scenario::ScenarioConfig base(std::vector<std::string> sets = {}) {
  sets.insert(sets.end(), {"faults[0].allow_after_end=true", "faults[1].allow_after_end=true"});
  return analysis::builtin_registry().load_study(kFile, sets).base;
}

}  // namespace

TEST(OneWorld, EverySubsystemIsBuiltOnTheSameChain) {
  const auto cfg = base({"duration=20min"});
  sim::Simulation sim(sim::replication_seed(cfg.seed, 0), 0);
  auto world = analysis::builtin_registry().make_world(sim, cfg);
  EXPECT_EQ(world->part_names(), (std::vector<std::string>{"feeds", "requests", "streams"}));
  auto& feeds = *world->part_as<models::feeds::FeedsPart>("feeds");
  ASSERT_EQ(feeds.feed_count(), 2u);
  EXPECT_NE(feeds.flux_feed(0), nullptr);  // eth-usd: per node
  EXPECT_NE(feeds.ocr_feed(1), nullptr);   // btc-usd: OCR
  auto& requests = *world->part_as<models::request::RequestsPart>("requests");
  EXPECT_EQ(&requests.chain(), &world->environment().chain());
  // The LINK the request model pays with is the environment's token.
  EXPECT_EQ(&requests.link(), &world->environment().link());
  // Streams Trade's baseline is the per-node feed's proxy, published by the feeds subsystem.
  EXPECT_EQ(world->environment().feed_proxy("eth-usd"), &feeds.feed(0).proxy());
}

TEST(OneWorld, BlockGasIsAccountedBySubsystemAndEachCollectorMatchesItsReceipts) {
  const auto cfg = base({"duration=40min", "warmup=0s"});
  // Per block: the receipts' gas, summed by the subsystem that created the sender, is the block's gas used minus
  // its background gas, and no transaction comes from an account no subsystem created.
  {
    sim::Simulation sim(sim::replication_seed(cfg.seed, 0), 0);
    auto world = analysis::builtin_registry().make_world(sim, cfg);
    analysis::ChainCollector chain(*world, sim::Time::zero());
    world->start();
    sim.run_until(sim::Time::zero() + cfg.duration);
    ASSERT_GT(chain.blocks().size(), 150u);
    std::map<std::string, std::uint64_t> used;
    for (const auto& [number, b] : chain.blocks()) {
      std::uint64_t ours = 0;
      for (const auto& [who, gas] : b.by_subsystem) {
        EXPECT_NE(who, "") << "block " << number << " has gas from an account no subsystem created";
        ours += gas;
        used[who] += gas;
      }
      EXPECT_EQ(ours, b.gas_used - b.background) << "block " << number;
    }
    EXPECT_GT(used["feeds"], 0u);
    EXPECT_GT(used["requests"], 0u);
    EXPECT_GT(used["streams"], 0u);
  }
  // Each collector's gas total is the sum of its subsystem's receipts.
  const auto r = analysis::run_one(cfg, sim::replication_seed(cfg.seed, 0), 0);
  EXPECT_DOUBLE_EQ(metric(r, "eth-usd.gas_total") + metric(r, "btc-usd.gas_total"), metric(r, "chain_gas_feeds"));
  EXPECT_DOUBLE_EQ(metric(r, "request_gas_total"), metric(r, "chain_gas_requests"));
  EXPECT_DOUBLE_EQ(metric(r, "streams_gas_total"), metric(r, "chain_gas_streams"));
  EXPECT_EQ(metric(r, "chain_gas_other"), 0);
  EXPECT_DOUBLE_EQ(metric(r, "chain_gas_feeds") + metric(r, "chain_gas_requests") + metric(r, "chain_gas_streams"),
                   metric(r, "chain_gas_used") - metric(r, "chain_gas_background"));
}

TEST(OneWorld, CongestionReachesEverySubsystemInsideItsWindow) {
  // Measure exactly the congestion window (1 h to 2 h), with and without the congestion, same seed. Nodes price
  // up to PriceMax (facts §6), so the feeds keep updating through a 10x demand and pay for it instead: their
  // staleness stays within the heartbeat, their ETH cost rises; the requests' consumers wait longer; oracle
  // traffic's share of the blocks falls as background demand crowds them.
  auto with = base({"warmup=1h", "duration=2h"});
  auto without = with;
  const auto congestion = std::find_if(without.faults.begin(), without.faults.end(),
                                       [](const auto& f) { return f.kind == "congestion"; });
  ASSERT_NE(congestion, without.faults.end());
  EXPECT_EQ(std::get<double>(congestion->params.at("multiplier")), 10.0);
  EXPECT_EQ(congestion->duration, 1_h);
  without.faults.erase(congestion);
  const auto seed = sim::replication_seed(with.seed, 0);
  const auto a = analysis::run_one(with, seed, 0), b = analysis::run_one(without, seed, 0);
  for (const std::string feed : {"eth-usd", "btc-usd"}) {
    EXPECT_GT(metric(a, feed + ".eth_cost_per_day"), 5 * metric(b, feed + ".eth_cost_per_day")) << feed;
    EXPECT_LE(metric(a, feed + ".staleness_s_max"), 3600 + 120) << feed;  // heartbeat 1 h
    EXPECT_GE(metric(a, feed + ".updates"), 1) << feed;
  }
  EXPECT_GT(metric(a, "fulfillment_latency_s_p99"), metric(b, "fulfillment_latency_s_p99"));
  EXPECT_LT(metric(a, "oracle_gas_share"), metric(b, "oracle_gas_share"));
}

TEST(OneWorld, FeedLinkBooksBalanceAndABreakFailsTheRun) {
  const auto cfg = base({"duration=2h", "warmup=0s"});
  sim::Simulation sim(sim::replication_seed(cfg.seed, 0), 0);
  auto world = analysis::builtin_registry().make_world(sim, cfg);
  auto& feeds = *world->part_as<models::feeds::FeedsPart>("feeds");
  models::feeds::PriceFeed& flux = feeds.feed(0);
  analysis::FeedCollector collector(sim, flux, *world->environment().true_price(flux.config().asset), "", false,
                                    sim::Time::zero(), sim::Time::zero() + cfg.duration);
  world->start();
  sim.run_until(sim::Time::zero() + cfg.duration);

  // Both feeds' books agree: the token minted to each aggregator is what it holds, split into available and owed,
  // and what the contracts owe is what their nodes were credited from the receipts.
  for (std::size_t i = 0; i < feeds.feed_count(); ++i) {
    const auto a = feeds.feed(i).link_accounting();
    const std::string name = feeds.feed(i).config().name;
    EXPECT_EQ(a.violation, "") << name;
    EXPECT_GT(a.owed, models::chain::Amount{0}) << name;
    EXPECT_TRUE(a.credited == a.owed) << name;
    EXPECT_TRUE(a.balance == a.minted) << name;
    EXPECT_TRUE(a.available + a.owed == a.balance) << name;
  }
  EXPECT_EQ(feeds.link_violation(), "");
  analysis::MetricSet ok;
  EXPECT_NO_THROW(collector.finish(sim::Time::zero() + cfg.duration, ok));

  // One juel more on each aggregator than was minted: both are named, and the collector fails the run.
  auto& link = world->environment().link();
  link.mint(feeds.flux_feed(0)->aggregator_address(), 1);
  link.mint(feeds.ocr_feed(1)->aggregator_address(), 1);
  const std::string v = feeds.link_violation();
  EXPECT_NE(v.find("eth-usd/flux-aggregator-1: holds"), std::string::npos) << v;
  EXPECT_NE(v.find("btc-usd/ocr2-aggregator: holds"), std::string::npos) << v;
  analysis::MetricSet broken;
  try {
    collector.finish(sim::Time::zero() + cfg.duration, broken);
    ADD_FAILURE() << "a broken feed LINK book did not fail the run";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("LINK conservation violated: eth-usd/flux-aggregator-1"), std::string::npos) << e.what();
  }
}

TEST(OneWorld, EighteenDecimalFeedsReportTheSamePricesInWiderAnswers) {
  // The same run with both feeds at 8 and at 18 decimals: answers past int64 reach the chain and the consumers
  // unchanged in value; the feeds update alike; the wider answers cost calldata gas (more non-zero bytes).
  const std::vector<std::string> sets{"duration=3h", "warmup=0s"};
  auto wide_sets = sets;
  wide_sets.push_back("feeds[0].decimals=18");
  wide_sets.push_back("feeds[1].decimals=18");
  const auto narrow = base(sets), wide = base(wide_sets);
  ASSERT_EQ(models::feeds::feeds_of(wide)[1].decimals, 18u);
  const auto seed = sim::replication_seed(narrow.seed, 0);
  std::vector<std::optional<models::contracts::Answer>> answers[2];
  for (int k = 0; k < 2; ++k) {
    sim::Simulation sim(seed, 0);
    auto world = analysis::builtin_registry().make_world(sim, k == 0 ? narrow : wide);
    world->start();
    sim.run_until(sim::Time::zero() + narrow.duration);
    auto& feeds = *world->part_as<models::feeds::FeedsPart>("feeds");
    for (std::size_t i = 0; i < feeds.feed_count(); ++i) {
      answers[k].push_back(feeds.feed(i).proxy().latest_answer());
      EXPECT_EQ(feeds.feed(i).proxy().decimals(), k == 0 ? 8 : 18);
    }
  }
  for (std::size_t i = 0; i < 2; ++i) {
    ASSERT_TRUE(answers[0][i].has_value() && answers[1][i].has_value()) << i;
    EXPECT_GT(*answers[1][i], models::contracts::Answer{std::numeric_limits<std::int64_t>::max()}) << i;
    EXPECT_NEAR(models::providers::from_answer(*answers[1][i], 18), models::providers::from_answer(*answers[0][i], 8),
                1e-6 * models::providers::from_answer(*answers[0][i], 8)) << i;
  }
  const auto a = analysis::run_one(narrow, seed, 0), b = analysis::run_one(wide, seed, 0);
  for (const std::string feed : {"eth-usd", "btc-usd"}) {
    EXPECT_NEAR(metric(b, feed + ".updates"), metric(a, feed + ".updates"), 0.05 * metric(a, feed + ".updates")) << feed;
    EXPECT_NEAR(metric(b, feed + ".answer_error_bps_mean"), metric(a, feed + ".answer_error_bps_mean"), 0.5) << feed;
    EXPECT_GT(metric(b, feed + ".gas_per_update"), metric(a, feed + ".gas_per_update")) << feed;
  }
}
