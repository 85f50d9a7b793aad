// End-to-end OCR feed on sim::Network with the aggregator contract executed on the chain's execution interface.
// The chain is a stand-in: a transmit is included in the next 12 s slot boundary (no mempool, no fees market).
#include "models/ocr/ocr_feed.hpp"

#include <gtest/gtest.h>

#include "analysis/ocr_metrics.hpp"

#include <memory>

#include "models/chain/execution.hpp"
#include "models/ocr/ocr2_aggregator.hpp"
#include "models/ocr/ocr_aggregator.hpp"
#include "models/faults/builtin_injectors.hpp"
#include "models/faults/fault_effect.hpp"
#include "models/faults/fault_schedule.hpp"
#include "sim/network/network.hpp"

using namespace models::ocr;
using namespace sim::literals;
namespace chain = models::chain;
namespace ocr = models::ocr;

namespace {

constexpr Value kPrice = 300'000'000'000;  // 3,000 with 8 decimals

// Includes transmits at the next slot boundary, in submission order, and reports accepted ones to the feed.
class SlotChain : public OcrChainPort {
 public:
  SlotChain(sim::Simulation& sim, int n, const OcrConfig& cfg) : sim_(sim), cfg_(cfg) {
    for (int i = 0; i < n; ++i) transmitters_.push_back(reg_.create_account("tx-" + std::to_string(i)));
  }
  void deploy(OcrFeed& feed) {
    feed_ = &feed;
    if (cfg_.version == OcrVersion::ocr2) {
      ocr::Ocr2AggregatorConfig c;
      c.config_digest = cfg_.config_digest;
      c.f = cfg_.f;
      c.signers = feed.signer_addresses();
      c.transmitters = transmitters_;
      agg_ = reg_.deploy("ocr2-aggregator", std::make_shared<ocr::Ocr2Aggregator>(c, feed.directory().registry()));
      return;
    }
    ocr::OcrAggregatorConfig c;
    c.config_digest = cfg_.config_digest;
    c.f = cfg_.f;
    c.signers = feed.signer_addresses();
    c.transmitters = transmitters_;
    agg_ = reg_.deploy("ocr-aggregator", std::make_shared<ocr::OcrAggregator>(c, feed.directory().registry()));
  }
  ContractView read_contract() const override { return agg().latest_transmission_details(); }
  void transmit(OracleId from, const TransmitEvent& ev) override {
    chain::CallFn call_fn;
    chain::Calldata calldata;
    if (cfg_.version == OcrVersion::ocr2) {
      const auto& r = ev.report;
      ocr::Ocr2TransmitCall call{cfg_.config_digest, ev.epoch_round(), r.extra_hash, r.observations_timestamp,
                                 r.observations, r.juels_per_fee_coin, r.signatures};
      calldata = ocr::ocr2_transmit_calldata(call);
      call_fn = [call](chain::ExecContext& c) { c.self_as<ocr::Ocr2Aggregator>().transmit(c, call, 30 * chain::kGwei); };
    } else {
      ocr::OcrTransmitCall call{cfg_.config_digest, ev.epoch_round(), ev.report.observations, ev.report.signatures};
      calldata = ocr::transmit_calldata(call);
      call_fn = [call](chain::ExecContext& c) { c.self_as<ocr::OcrAggregator>().transmit(c, call, 30 * chain::kGwei); };
    }
    const sim::Time slot = sim::Time::from_ns(((sim_.now().ns() / kSlot.ns()) + 1) * kSlot.ns());
    const EpochRound er = ev.epoch_round();
    sim_.at(slot, [this, from, er, call_fn, calldata] {
      chain::Transaction tx{.from = transmitters_[static_cast<std::size_t>(from)], .to = agg_, .nonce = nonce_++,
                            .gas_limit = 1'000'000, .max_fee = 30 * chain::kGwei, .max_priority_fee = 30 * chain::kGwei,
                            .calldata = calldata, .call = call_fn, .label = "ocr/transmit"};
      auto r = chain::execute_transaction(reg_, tx, {.number = ++block_, .timestamp = sim_.now(), .base_fee = 0});
      gas_ += r.gas_used;
      if (r.status == chain::TxStatus::success) {
        ++ok_;
        feed_->on_accepted(er, agg().latest_answer(), sim_.now());
      }
    });
  }
  const ocr::AggregatorReadout& agg() const { return *reg_.find_as<ocr::AggregatorReadout>(agg_); }
  std::uint64_t ok() const { return ok_; }
  chain::Gas gas() const { return gas_; }

 private:
  static constexpr sim::Duration kSlot = sim::Duration::nanoseconds(12'000'000'000);
  sim::Simulation& sim_;
  OcrConfig cfg_;
  chain::ContractRegistry reg_;
  std::vector<chain::Address> transmitters_;
  chain::Address agg_;
  OcrFeed* feed_ = nullptr;
  std::uint64_t nonce_ = 0, block_ = 0, ok_ = 0;
  chain::Gas gas_ = 0;
};

OcrConfig fast_config(int n, int f) {
  OcrConfig cfg;
  cfg.n = n;
  cfg.f = f;
  cfg.delta_progress = 8_s;
  cfg.delta_resend = 5_s;
  cfg.delta_round = 5_s;
  cfg.delta_grace = 500_ms;
  cfg.delta_stage = 15_s;  // longer than a slot: the first transmission is normally in before the next stage
  cfg.delta_c = 60_s;
  cfg.r_max = 6;
  return cfg;
}

// A world: one simulation, a network, a feed of n oracles observing `price(t)` (+ oracle id, to tell them apart).
struct World {
  sim::Simulation sim;
  sim::Network net;
  OcrConfig cfg;
  SlotChain chain;
  std::function<Value(sim::Time)> price = [](sim::Time) { return kPrice; };
  std::unique_ptr<OcrFeed> feed;
  std::unique_ptr<analysis::OcrProtocolProbe> probe;  // the protocol metrics (analysis/ocr_metrics.hpp)

  World(int n, int f, const std::function<void(OcrConfig&)>& tweak = {}, std::uint64_t seed = 7)
      : sim(seed), net(sim, network_config()), cfg(make_config(n, f, tweak)), chain(sim, n, cfg) {
    std::vector<OcrOracleSpec> specs;
    for (int i = 0; i < n; ++i) {
      specs.push_back({"feed/node-" + std::to_string(i), "",
                       [this, i](sim::Time t) -> std::optional<Value> { return price(t) + i; }, {}});
    }
    feed = std::make_unique<OcrFeed>(sim, net, cfg, std::move(specs), chain, seed,
                                     [this](sim::Time t) -> std::optional<Value> { return price(t); });
    chain.deploy(*feed);
    probe = std::make_unique<analysis::OcrProtocolProbe>(sim, *feed);
  }
  static OcrConfig make_config(int n, int f, const std::function<void(OcrConfig&)>& tweak) {
    OcrConfig c = fast_config(n, f);
    if (tweak) tweak(c);
    return c;
  }
  static sim::NetworkConfig network_config() {
    sim::NetworkConfig c;
    c.intra_region_latency = 50_ms;
    return c;
  }
  analysis::OcrFeedMetrics run(sim::Duration d) {
    feed->start();
    sim.run_until(sim::Time{} + d);
    return probe->metrics(sim.now());
  }
};

}  // namespace

TEST(OcrFeed, HonestFeedReportsOnHeartbeatAndDeviation) {
  World w(4, 1);
  w.price = [](sim::Time t) { return t < sim::Time::from_seconds(300) ? kPrice : kPrice + kPrice / 20; };  // +5% at 300 s
  auto m = w.run(10_min);
  EXPECT_GE(m.reports_accepted, 9U);
  EXPECT_LE(m.reports_accepted, 14U);
  EXPECT_EQ(m.safety_violations, 0U);
  // The last answer is one of the oracles' views of the new price (kPrice * 1.05 + oracle id).
  EXPECT_GE(w.chain.agg().latest_answer(), kPrice + kPrice / 20);
  EXPECT_LE(w.chain.agg().latest_answer(), kPrice + kPrice / 20 + 3);
  EXPECT_GT(m.rounds, 100U);  // a round every 5 s
  EXPECT_LT(m.liveness_gap_s_max, 40.0);
  EXPECT_GT(m.round_latency_s_mean, 0.5);
  EXPECT_LT(m.round_latency_s_max, 30.0);
  // delta_stage 15 s > slot 12 s: the later stages see the report on chain and drop it.
  EXPECT_EQ(w.chain.agg().telemetry().stale, 0U);
  EXPECT_EQ(m.transmissions, m.reports_accepted);
  EXPECT_GT(m.transmissions_dropped, 0U);
}

namespace {
void make_byzantine(OcrFeed& feed, OracleId id, const std::string& behaviour, models::faults::Params params,
                    models::faults::FaultEffect& effect) {
  feed.node(id).control().set_byzantine(behaviour, std::move(params), &effect);
}
}  // namespace

// OCR2 runs with the plugin-call bounds inside the fast config's delta_progress (query + observation + report < 8 s).
void as_version(OcrConfig& c, OcrVersion v) {
  c.version = v;
  if (v == OcrVersion::ocr2) c.max_duration_query = c.max_duration_observation = c.max_duration_report = 2_s;
}
const char* name(OcrVersion v) { return v == OcrVersion::ocr2 ? "ocr2" : "ocr1"; }
constexpr OcrVersion kVersions[] = {OcrVersion::ocr1, OcrVersion::ocr2};

TEST(OcrFeed, LeaderCrashRecoversWithinAboutDeltaProgress) {
  for (OcrVersion v : kVersions)
  for (bool crash : {false, true}) {
    SCOPED_TRACE(name(v));
    World w(4, 1, [v](OcrConfig& c) {  // no scheduled leader change: only the crash moves the epoch
      c.r_max = 200;
      as_version(c, v);
    });
    w.price = [](sim::Time t) { return t < sim::Time::from_seconds(25) ? kPrice : kPrice + kPrice / 20; };
    models::faults::FaultEffect effect;
    const OracleId leader1 = w.feed->node(0).leader();
    if (crash) {
      w.sim.at(sim::Time::from_seconds(20), [&] { w.feed->node(leader1).control().crash(&effect); });
      w.sim.at(sim::Time::from_seconds(320), [&] { w.feed->node(leader1).control().restart(&effect); });
    }
    auto m = w.run(10_min);
    EXPECT_EQ(m.safety_violations, 0U);
    EXPECT_GE(m.reports_accepted, 9U) << "crash " << crash;
    // The jump at 25 s is reported within about delta_progress (8 s) + a round (5 s) + grace + a slot (12 s).
    EXPECT_LT(m.liveness_gap_s_max, 40.0) << "crash " << crash;
    if (crash) {
      EXPECT_GT(effect.counter("events_suppressed"), 0U);
      EXPECT_GE(m.leader_changes, 1U);
    }
  }
}

TEST(OcrFeed, FLyingOraclesCauseNoViolation) {
  for (OcrVersion v : kVersions) {
  SCOPED_TRACE(name(v));
  World w(7, 2, [v](OcrConfig& c) { as_version(c, v); });
  models::faults::FaultEffect effect;
  make_byzantine(*w.feed, 1, "lie", {{"offset", 0.5}}, effect);
  make_byzantine(*w.feed, 4, "lie", {{"offset", -0.5}}, effect);
  auto m = w.run(10_min);
  EXPECT_GT(effect.counter("byzantine_actions"), 0U);
  EXPECT_GE(m.reports_accepted, 9U);
  EXPECT_EQ(m.safety_violations, 0U);
  }
}

TEST(OcrFeed, FColludersCannotMoveTheMedianButFPlusOneCan) {
  for (OcrVersion v : kVersions)
  for (int colluders : {1, 2}) {
    SCOPED_TRACE(name(v));
    World w(4, 1, [v](OcrConfig& c) { as_version(c, v); });
    models::faults::FaultEffect effect;
    for (int i = 0; i < colluders; ++i) make_byzantine(*w.feed, i, "collude", {{"offset", 0.5}}, effect);
    auto m = w.run(10_min);
    EXPECT_GT(m.reports_accepted, 0U);
    if (colluders <= w.cfg.f) {
      EXPECT_EQ(m.safety_violations, 0U) << colluders << " colluders";
    } else {
      // Whenever a colluder leads (epoch 2's leader is oracle 0), the report median is the colluders' value.
      EXPECT_GT(m.safety_violations, 0U) << colluders << " colluders";
      EXPECT_GT(w.chain.agg().latest_answer(), kPrice + kPrice / 4);
    }
  }
}

TEST(OcrFeed, WithholdEquivocateAndSpamByFNodesKeepTheFeedLive) {
  for (OcrVersion v : kVersions)
  for (const char* behaviour : {"withhold", "equivocate", "newepoch_spam"}) {
    SCOPED_TRACE(name(v));
    World w(7, 2, [v](OcrConfig& c) { as_version(c, v); });
    w.price = [](sim::Time t) { return kPrice + (t.ns() / 100'000'000'000) * (kPrice / 50); };  // +2% every 100 s
    models::faults::FaultEffect effect;
    make_byzantine(*w.feed, 0, behaviour, {}, effect);
    make_byzantine(*w.feed, 3, behaviour, {}, effect);
    auto m = w.run(10_min);
    EXPECT_GT(effect.counter("byzantine_actions"), 0U) << behaviour;
    EXPECT_GE(m.reports_accepted, 9U) << behaviour;
    EXPECT_EQ(m.safety_violations, 0U) << behaviour;
    EXPECT_LT(m.liveness_gap_s_max, 60.0) << behaviour;
    EXPECT_LT(m.epochs, 1000U) << behaviour;  // spam never moves honest oracles to the spammed epochs
  }
}

TEST(OcrFeed, PartitionBelowQuorumStopsReportsUntilHealed) {
  for (OcrVersion v : kVersions) {
  SCOPED_TRACE(name(v));
  World w(4, 1, [v](OcrConfig& c) { as_version(c, v); });
  w.price = [](sim::Time t) { return t < sim::Time::from_seconds(150) ? kPrice : kPrice + kPrice / 20; };
  std::vector<double> accepted_at;
  auto conn = w.feed->accepted.connect([&](EpochRound, Value, sim::Time) { accepted_at.push_back(w.sim.now().seconds()); });
  const auto& p = w.feed->peers();
  sim::ImpairmentId cut = 0;
  w.sim.at(sim::Time::from_seconds(100), [&] { cut = w.net.add_partition({{p.host(0), p.host(1)}, {p.host(2), p.host(3)}}); });
  w.sim.at(sim::Time::from_seconds(300), [&] { w.net.remove_impairment(cut); });
  auto m = w.run(10_min);
  // Reports already in flight at 100 s may still land in the next slot or stage; none after that until the heal.
  for (double t : accepted_at) EXPECT_FALSE(t > 130.0 && t < 300.0) << "report accepted at " << t << " s";
  EXPECT_TRUE(std::any_of(accepted_at.begin(), accepted_at.end(), [](double t) { return t > 300.0 && t < 360.0; }));
  EXPECT_GT(m.liveness_gap_s_max, 140.0);  // due from 150 s to after 300 s
  EXPECT_EQ(m.safety_violations, 0U);
  }
}

TEST(OcrFeed, SameSeedSameRun) {
  auto once = [] {
    World w(7, 2);
    w.price = [](sim::Time t) { return kPrice + (t.ns() / 100'000'000'000) * (kPrice / 50); };
    auto m = w.run(5_min);
    return std::tuple{w.sim.fingerprint(), m.reports_accepted, m.rounds, m.transmissions, w.chain.gas()};
  };
  EXPECT_EQ(once(), once());
}

TEST(OcrFeed, BehavioursAreRegisteredForTheFaultFramework) {
  auto reg = models::faults::FaultKindRegistry::with_builtin_kinds();
  register_ocr_behaviours(reg);
  EXPECT_EQ(reg.behaviours_of(kOcrNodeModel),
            (std::vector<std::string>{"collude", "equivocate", "lie", "newepoch_spam", "withhold"}));
  const std::vector<models::faults::ActorInfo> actors{{"feed/node-0", kOcrNodeModel}, {"feed/node-1", kOcrNodeModel}};
  models::faults::FaultsConfig cfg;
  models::faults::FaultSpec lie;
  lie.kind = "byzantine";
  lie.behaviour = "lie";
  lie.target.patterns = {"feed/node-1"};
  lie.params["offset"] = 0.05;
  cfg.faults.push_back(lie);
  EXPECT_TRUE(validate(cfg, reg, actors).empty());
  cfg.faults[0].params.clear();  // offset is required
  EXPECT_FALSE(validate(cfg, reg, actors).empty());
  cfg.faults[0].behaviour = "sleepwalk";
  EXPECT_FALSE(validate(cfg, reg, actors).empty());
}

// Crash of the epoch-1 leader and a lying oracle, injected by the fault framework's schedule.
TEST(OcrFeed, FaultScheduleCrashesTheLeaderAndMakesANodeLie) {
  World w(4, 1, [](OcrConfig& c) { c.r_max = 200; });
  w.price = [](sim::Time t) { return t < sim::Time::from_seconds(65) ? kPrice : kPrice + kPrice / 20; };
  models::faults::ActorDirectory actors;
  w.feed->register_actors(actors);
  auto reg = models::faults::FaultKindRegistry::with_builtin_kinds();
  register_ocr_behaviours(reg);
  models::faults::install_builtin_injectors(reg, &w.net, actors);
  const OracleId leader1 = w.feed->node(0).leader();
  models::faults::FaultsConfig cfg;
  models::faults::FaultSpec crash;
  crash.at = 60_s;
  crash.duration = 5_min;
  crash.kind = "crash";
  crash.target.patterns = {"feed/node-" + std::to_string(leader1)};
  cfg.faults.push_back(crash);
  models::faults::FaultSpec lie;
  lie.at = 0_s;
  lie.kind = "byzantine";
  lie.behaviour = "lie";
  lie.target.patterns = {"feed/node-" + std::to_string((leader1 + 1) % 4)};
  lie.params["offset"] = 0.2;
  cfg.faults.push_back(lie);
  models::faults::FaultSchedule schedule(w.sim, cfg, reg, actors.infos());
  schedule.start();
  auto m = w.run(10_min);
  ASSERT_EQ(schedule.effects().size(), 2U);
  EXPECT_EQ(schedule.faults_without_effect(), 0U);
  EXPECT_GE(m.leader_changes, 1U);
  EXPECT_EQ(m.safety_violations, 0U);
  EXPECT_LT(m.liveness_gap_s_max, 40.0);  // the jump at 65 s, 5 s after the crash, still lands quickly
}
