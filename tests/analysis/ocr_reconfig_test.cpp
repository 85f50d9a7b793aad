// Configuration changes of an OCR feed end to end (scenarios/ocr_reconfig.yaml, shortened): after setConfig is
// included no report of the old configuration is accepted, the oracles switch once the ConfigSet block has its
// confirmations, the new set (members that joined included) reports, the members left out stop, and the metrics
// measure the gap.
#include <any>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "analysis/ocr_metrics.hpp"
#include "analysis/run.hpp"
#include "analysis/subsystems.hpp"
#include "models/feeds/feeds_subsystem.hpp"
#include "models/feeds/ocr_price_feed.hpp"
#include "models/world/world.hpp"
#include "tests/analysis/scenario_run.hpp"

using namespace models;
using namespace sim::literals;

namespace {

struct Accepted {
  sim::Time at;
  chain::Address transmitter;
  std::vector<int> observers;
};

// The world of `cfg`, built (not started), to drive by hand.
struct Built {
  explicit Built(const scenario::ScenarioConfig& c) : cfg(c), sim(c.seed, 0), world(analysis::builtin_registry().make_world(sim, cfg)) {}
  feeds::FeedsPart& feeds() { return *world->part_as<feeds::FeedsPart>(feeds::kSubsystem); }
  scenario::ScenarioConfig cfg;
  sim::Simulation sim;
  std::unique_ptr<world::World> world;
};

// The base run of scenarios/`file` with `sets` (sweep ignored).
scenario::ScenarioConfig shipped(const std::string& file, std::vector<std::string> sets) {
  return models::scenario::single_run(scenario_test::load_study(scenario_test::kScenarios + file, std::move(sets))).points.at(0).config;
}

// The shipped scenario's base run, 3 h with the change at 1 h, driven by hand with every accepted report recorded.
struct ReconfigRun : Built {
  feeds::OcrPriceFeed* feed = nullptr;
  std::vector<Accepted> accepted;
  std::vector<chain::Receipt> transmits;
  sim::Connection logs, receipts;

  ReconfigRun(const std::string& file, std::vector<std::string> sets) : Built(shipped(file, std::move(sets))) {
    feed = feeds().ocr_feed(0);
    chain::Chain& chain = world->environment().chain();
    logs = chain.log_emitted.connect([this](const chain::Log& log, const chain::Receipt& r) {
      if (log.emitter != feed->aggregator_address()) return;
      if (const auto* ev = std::any_cast<ocr::Ocr2NewTransmission>(&log.payload)) {
        Accepted a{r.block_time, ev->transmitter, {}};
        for (const auto& o : ev->observations) a.observers.push_back(o.observer);
        accepted.push_back(a);
      }
    });
    receipts = chain.tx_included.connect([this](const chain::Receipt& r) {
      if (r.label == "ocr/transmit") transmits.push_back(r);
    });
    world->start();
    sim.run_until(sim::Time::zero() + cfg.duration);
  }
};

const std::vector<std::string> kShort = {"duration=3h", "feeds[0].changes[0].at=1h"};

// A 2 h scenario `name` with two providers of ETH/USD and the one feed `feed` (a YAML flow map).
scenario::ScenarioConfig two_hours_of(const std::string& name, const std::string& feed) {
  return scenario_test::decode("name: " + name + "\nduration: 2h\ndemo: { enabled: false }\nassets: [{ name: ETH/USD }]\n"
                               "providers: [{ name: exchange-a, asset: ETH/USD }, { name: exchange-b, asset: ETH/USD }]\n"
                               "feeds:\n  - " + feed + "\n");
}

}  // namespace

TEST(OcrReconfig, GrowingTheSetSwitchesAfterTheConfirmationsAndOnlyTheNewConfigurationReports) {
  ReconfigRun run("ocr_reconfig.yaml", kShort);  // OCR2, 16 oracles (f = 5) -> 31 (f = 10) at 1 h
  ASSERT_EQ(run.feed->reconfigurations().size(), 1U);
  const auto& rc = run.feed->reconfigurations()[0];
  ASSERT_TRUE(rc.is_included) << rc.failed;
  ASSERT_TRUE(rc.is_switched);
  ASSERT_TRUE(rc.reported);
  EXPECT_EQ(rc.sent, sim::Time::zero() + 1_h);
  // 4 confirmations: the ConfigSet block and 3 more (12 s slots), seen at the first 15 s check after them.
  const double switch_s = (rc.switched - rc.included).seconds();
  EXPECT_GE(switch_s, 36.0);
  EXPECT_LE(switch_s, 36.0 + 15.0 + 12.0);  // a missed slot may add one
  EXPECT_EQ((rc.switched - rc.included).ns() % 15'000'000'000LL, 0);  // on the 15 s check grid
  EXPECT_GT(rc.first_report, rc.switched);
  EXPECT_EQ(run.feed->oracles().size(), 31);
  EXPECT_EQ(run.feed->aggregator().config_count(), 2U);

  // Every report accepted after the inclusion is the new configuration's: f + 1 = 11 signatures are checked by the
  // contract; here, its observers are oracles of the 31 and its transmitter one of their nodes, and none came
  // before the switch.
  std::set<std::uint64_t> new_transmitters;
  for (int i = 0; i < 31; ++i) new_transmitters.insert(run.feed->node(static_cast<std::size_t>(i)).address().id);
  int after = 0;
  std::set<int> observers_after;
  for (const auto& a : run.accepted) {
    if (a.at < rc.included) continue;
    ++after;
    EXPECT_GE(a.at, rc.switched);
    EXPECT_TRUE(new_transmitters.count(a.transmitter.id));
    EXPECT_GT(a.observers.size(), 10U);  // more than f = 10
    for (int o : a.observers) observers_after.insert(o);
  }
  EXPECT_GT(after, 3);
  EXPECT_GT(*observers_after.rbegin(), 15);  // oracles that joined observe
  // No transmission of the old configuration was accepted after the inclusion; any that landed then reverted.
  for (const auto& r : run.transmits) {
    if (r.block_time > rc.included && r.status != chain::TxStatus::success) {
      EXPECT_TRUE(r.revert_reason == "stale report" || r.revert_reason == "configDigest mismatch") << r.revert_reason;
    }
  }
}

TEST(OcrReconfig, ReplacedMembersStopAndTheirReplacementsTakeOver) {
  ReconfigRun run("ocr_reconfig/replace_third.yaml", kShort);  // 16 oracles, the last 5 replaced at 1 h
  const auto& rc = run.feed->reconfigurations().at(0);
  ASSERT_TRUE(rc.reported);
  EXPECT_EQ(run.feed->oracles().size(), 16);
  EXPECT_EQ(run.feed->node_count(), 21U);  // every member there ever is
  // Members 11..15 left: none of their nodes sends a transmission after the switch; members 16..20 joined.
  std::set<std::uint64_t> left, joined;
  for (std::size_t m = 11; m < 16; ++m) left.insert(run.feed->node(m).address().id);
  for (std::size_t m = 16; m < 21; ++m) joined.insert(run.feed->node(m).address().id);
  int by_joined = 0;
  for (const auto& r : run.transmits) {
    if (r.submitted > rc.switched) {
      EXPECT_FALSE(left.count(r.from.id)) << "a retired member transmitted";
    }
    if (joined.count(r.from.id)) {
      EXPECT_GT(r.submitted, rc.switched);
      ++by_joined;
    }
  }
  EXPECT_GT(by_joined, 0);
  for (std::size_t m = 16; m < 21; ++m) EXPECT_GT(run.feed->node(m).link_earned(), chain::Amount{0}) << m;
}

TEST(OcrReconfig, TheMetricsMeasureTheGap) {
  const auto cfg = shipped("ocr_reconfig.yaml", kShort);
  const auto r = analysis::run_one(cfg, sim::replication_seed(cfg.seed, 0), 0);
  EXPECT_EQ(scenario_test::metric(r, "reconfigurations"), 1);
  const double sw = scenario_test::metric(r, "reconfig_switch_s_max");
  const double unprotected = scenario_test::metric(r, "reconfig_unprotected_s_max");
  const double gap = scenario_test::metric(r, "reconfig_gap_s_max");
  EXPECT_GE(sw, 36);
  // The new configuration's first round reports at once (its first report is always due): within DeltaRound of
  // the switch plus a transmission stage and a block.
  EXPECT_GT(unprotected, sw);
  EXPECT_LT(unprotected, sw + 20 + 10 + 24);
  EXPECT_GE(gap, unprotected);
  EXPECT_LE(gap, 3600 + unprotected);  // the heartbeat bounds the age before the change
  EXPECT_EQ(scenario_test::metric(r, "safety_violations"), 0);
  EXPECT_TRUE(r.metrics.get("transmissions_reverted_old_digest").has_value());
}

TEST(OcrReconfig, APerNodeFeedGrowsThroughChangeOracles) {
  Built run(shipped("ocr_reconfig/per_node.yaml", kShort));
  auto* feed = run.feeds().flux_feed(0);
  ASSERT_NE(feed, nullptr);
  std::vector<chain::Receipt> submits;
  sim::Connection c = run.world->environment().chain().tx_included.connect([&](const chain::Receipt& r) {
    if (r.label == "flux/submit") submits.push_back(r);
  });
  run.world->start();
  run.sim.run_until(sim::Time::zero() + run.cfg.duration);
  const auto& rc = feed->reconfigurations().at(0);
  ASSERT_TRUE(rc.is_included) << rc.failed;
  EXPECT_EQ(feed->aggregator().oracle_count(), 31u);
  EXPECT_EQ(feed->aggregator().round_params().min_submissions, 16u);  // 31 / 2 + 1 for rounds started from then on
  std::set<std::uint64_t> joined;
  for (std::size_t m = 16; m < 31; ++m) joined.insert(feed->node(m).address().id);
  int by_joined = 0;
  for (const auto& r : submits) {
    if (!joined.count(r.from.id)) continue;
    EXPECT_GT(r.submitted, rc.included);  // their jobs start once they are oracles
    EXPECT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
    ++by_joined;
  }
  EXPECT_GT(by_joined, 15);
  EXPECT_TRUE(rc.reported);
}

TEST(OcrReconfig, AChangeIncludedWhileAnotherWaitsTakesOverItsWait) {
  // Two changes 20 s apart: the second setConfig is included before the first has its 4 confirmations, so the
  // nodes go straight to the second configuration, and both count as switched then.
  Built run(two_hours_of("two-changes", "{ name: eth-usd, asset: ETH/USD, aggregation: ocr2, oracles: 7, ocr: { f: 2 }, "
                                         "changes: [{ at: 1h, oracles: 10, ocr: { f: 3 } }, { at: 3620s, replace: 2 }] }"));
  auto* feed = run.feeds().ocr_feed(0);
  run.world->start();
  run.sim.run_until(sim::Time::zero() + run.cfg.duration);
  const auto& rcs = feed->reconfigurations();
  ASSERT_EQ(rcs.size(), 2U);
  ASSERT_TRUE(rcs[0].is_included && rcs[1].is_included);
  ASSERT_LT(rcs[1].included - rcs[0].included, 36_s);  // inside the first one's wait
  EXPECT_TRUE(rcs[0].is_switched && rcs[1].is_switched);
  EXPECT_EQ(rcs[0].switched, rcs[1].switched);
  EXPECT_EQ(feed->oracles().configurations(), 2);  // one switch, to the second configuration
  EXPECT_EQ(feed->oracles().size(), 10);
  EXPECT_EQ(feed->oracles().node(9).control().name(), "eth-usd/node-11");  // members 8 and 9 replaced by 10, 11
  EXPECT_TRUE(rcs[1].reported);
}

TEST(OcrReconfig, MembersThatJoinObserveFromTheirCacheToo) {
  // With observe_cache the oracles answer from a median they poll in the background: one that joins starts
  // polling at the switch, and its observations are in the new configuration's reports.
  Built run(two_hours_of("cached-join", "{ name: eth-usd, asset: ETH/USD, aggregation: ocr2, oracles: 4, heartbeat: 10min, "
                                         "ocr: { f: 1, observe_cache: true }, changes: [{ at: 1h, oracles: 7, ocr: { f: 2 } }] }"));
  auto* feed = run.feeds().ocr_feed(0);
  std::set<int> observers_after;
  sim::Time switched = sim::Time::max();
  sim::Connection c = run.world->environment().chain().log_emitted.connect([&](const chain::Log& log, const chain::Receipt& r) {
    if (const auto* ev = std::any_cast<ocr::Ocr2NewTransmission>(&log.payload); ev && r.block_time > switched)
      for (const auto& o : ev->observations) observers_after.insert(o.observer);
  });
  run.world->start();
  run.sim.run_until(sim::Time::zero() + 1_h + 2_min);
  ASSERT_TRUE(feed->reconfigurations().at(0).is_switched);
  switched = feed->reconfigurations().at(0).switched;
  run.sim.run_until(sim::Time::zero() + run.cfg.duration);
  ASSERT_FALSE(observers_after.empty());
  EXPECT_GE(*observers_after.rbegin(), 4);  // oracles 4..6 joined
}
