// The Streams DON end to end on sim::Network: report cadence and v3 fields, signatures, delivery to every
// destination, liveness under crashes, determinism.
#include "models/streams/don.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "models/streams/verifier.hpp"
#include "models/providers/price_process.hpp"

using namespace models;
using namespace models::streams;
using namespace sim::literals;

namespace {

providers::PriceProcessConfig flat(double price) {
  providers::PriceProcessConfig c;
  c.start = price;
  c.volatility = 0;
  return c;
}

// Two feeds: ETH/USD from three noiseless providers with biases -1%, 0, +0.5% (every node's median is the true
// 2000 exactly), BTC/USD from three providers with 2 bps noise around 60000.
struct World {
  explicit World(std::uint64_t seed, DonConfig cfg = {}, int destinations = 2, sim::NetworkConfig netcfg = {})
      : sim(seed), net(sim, netcfg), eth(sim, "ETH/USD", flat(2000)), btc(sim, "BTC/USD", flat(60000)) {
    const double biases[] = {-0.01, 0.0, 0.005};
    for (int i = 0; i < 3; ++i) {
      providers::ProviderConfig p;
      p.name = "eth-" + std::to_string(i);
      p.asset = "ETH/USD";
      p.noise = 0;
      p.bias = biases[i];
      provs.push_back(std::make_unique<providers::DataProvider>(sim, p, eth));
    }
    for (int i = 0; i < 3; ++i) {
      providers::ProviderConfig p;
      p.name = "btc-" + std::to_string(i);
      p.asset = "BTC/USD";
      p.noise = 0.0002;
      provs.push_back(std::make_unique<providers::DataProvider>(sim, p, btc));
    }
    DonFeed f1;
    f1.config.name = "ETH/USD";
    f1.config.asset = "ETH/USD";
    f1.providers = {provs[0].get(), provs[1].get(), provs[2].get()};
    DonFeed f2;
    f2.config.name = "BTC/USD";
    f2.config.asset = "BTC/USD";
    f2.config.spread = 0.001;
    f2.config.native_fee = 7;
    f2.config.link_fee = 11;
    f2.config.expiry = 3600_s;
    f2.providers = {provs[3].get(), provs[4].get(), provs[5].get()};
    don = std::make_unique<StreamsDon>(sim, net, cfg, std::vector<DonFeed>{f1, f2}, 42);
    for (int d = 0; d < destinations; ++d) {
      sim::HostId h = net.add_host("site-" + std::to_string(d));
      received.emplace_back();
      don->add_destination(h, [this, d](const SignedReport& r) { received[static_cast<std::size_t>(d)].push_back(r); });
    }
    conn = don->attested.connect([this](const SignedReport& r) {
      reports.push_back(r);
      attested_at.push_back(sim.now());
    });
  }
  void start() {
    eth.start();
    btc.start();
    for (auto& p : provs) p->start();
    don->start();
  }
  // As the crash injector does: the actor stops and its host goes down.
  void crash(int node) {
    don->control(node).crash(nullptr);
    net.set_host_up(don->host(node), false);
  }
  std::vector<SignedReport> of_feed(const std::string& name) const {
    std::vector<SignedReport> out;
    for (const auto& r : reports)
      if (r.report.feed_id == feed_id_of(name)) out.push_back(r);
    return out;
  }
  // The current epoch: the highest any node is in.
  std::uint32_t epoch() const {
    std::uint32_t e = 0;
    for (int i = 0; i < don->n(); ++i) e = std::max(e, don->epoch(i));
    return e;
  }

  sim::Simulation sim;
  sim::Network net;
  providers::TruePrice eth, btc;
  std::vector<std::unique_ptr<providers::DataProvider>> provs;
  std::unique_ptr<StreamsDon> don;
  std::vector<std::vector<SignedReport>> received;  // per destination, every copy
  std::vector<SignedReport> reports;                // attested
  std::vector<sim::Time> attested_at;
  sim::Connection conn;
};

}  // namespace

TEST(StreamsDon, ReportsAboutOncePerSecondPerFeedWithV3Fields) {
  World w(1);
  w.start();
  w.sim.run_until(sim::Time::zero() + 60_s);

  const auto eth = w.of_feed("ETH/USD");
  const auto btc = w.of_feed("BTC/USD");
  // 250 ms rounds, one report per feed per new second; epoch changes every r_max rounds cost some seconds.
  for (const auto* feed : {&eth, &btc}) {
    EXPECT_GE(feed->size(), 50u);
    EXPECT_LE(feed->size(), 60u);
  }
  for (std::size_t i = 0; i < eth.size(); ++i) {
    const ReportV3& r = eth[i].report;
    if (i == 0) {
      EXPECT_EQ(r.valid_from_timestamp, r.observations_timestamp);
    } else {
      const ReportV3& prev = eth[i - 1].report;
      EXPECT_GT(r.observations_timestamp, prev.observations_timestamp);
      EXPECT_EQ(r.valid_from_timestamp, prev.observations_timestamp + 1);  // coverage without gaps or overlaps
    }
    // The provider median is the true price exactly, and the DON median of equal values is that value.
    EXPECT_EQ(r.benchmark_price, providers::to_answer(2000));
    EXPECT_EQ(r.bid, providers::to_answer(2000 * (1 - 0.0005)));
    EXPECT_EQ(r.ask, providers::to_answer(2000 * (1 + 0.0005)));
    EXPECT_EQ(r.native_fee, StreamFeedConfig{}.native_fee);
    EXPECT_EQ(r.link_fee, StreamFeedConfig{}.link_fee);
    EXPECT_EQ(r.expires_at, r.observations_timestamp + 86'400u);
    EXPECT_EQ(static_cast<std::int64_t>(r.observations_timestamp), eth[i].observed_at.ns() / 1'000'000'000);
  }
  for (std::size_t i = 0; i < btc.size(); ++i) {
    const ReportV3& r = btc[i].report;
    if (i > 0) {
      EXPECT_EQ(r.valid_from_timestamp, btc[i - 1].report.observations_timestamp + 1);
    }
    EXPECT_NEAR(providers::from_answer(r.benchmark_price) / 60000 - 1, 0, 6e-4);  // 2 bps noise, medians of medians
    EXPECT_NEAR(static_cast<double>(r.bid), static_cast<double>(r.benchmark_price) * (1 - 0.001), 1.0);
    EXPECT_NEAR(static_cast<double>(r.ask), static_cast<double>(r.benchmark_price) * (1 + 0.001), 1.0);
    EXPECT_EQ(r.native_fee, 7u);
    EXPECT_EQ(r.link_fee, 11u);
    EXPECT_EQ(r.expires_at, r.observations_timestamp + 3600u);
  }
  // Noise makes the BTC benchmark move between reports.
  std::set<std::int64_t> distinct;
  for (const auto& r : btc) distinct.insert(r.report.benchmark_price);
  EXPECT_GT(distinct.size(), btc.size() / 2);
  EXPECT_EQ(w.don->reports_attested(), w.reports.size());
  EXPECT_GT(w.don->rounds(), 200u);  // about 4 rounds per second
}

TEST(StreamsDon, ReportLatencyIsSubSecond) {
  World w(2);
  w.start();
  w.sim.run_until(sim::Time::zero() + 30_s);
  ASSERT_FALSE(w.reports.empty());
  for (std::size_t i = 0; i < w.reports.size(); ++i) {
    const sim::Duration lag = w.attested_at[i] - w.reports[i].observed_at;
    EXPECT_GE(lag, sim::Duration{});
    EXPECT_LT(lag, 100_ms);  // 1 ms links inside a region: a few message hops
  }
}

// A DON spread over regions (don.regions) pays the inter-region latency in every message hop of a round: its
// reports take longer from observation to attestation than a DON in one region, and an unknown region is refused.
TEST(StreamsDon, ADonSpreadOverRegionsAttestsLater) {
  sim::NetworkConfig nc;
  nc.regions = {"us-east", "eu-west"};
  nc.latency["us-east"]["eu-west"] = 40_ms;
  const auto median_lag = [&](DonConfig cfg) {
    World w(2, cfg, 2, nc);
    w.start();
    w.sim.run_until(sim::Time::zero() + 60_s);
    std::vector<sim::Duration> lags;
    for (std::size_t i = 0; i < w.reports.size(); ++i) lags.push_back(w.attested_at[i] - w.reports[i].observed_at);
    EXPECT_GT(lags.size(), 100u);
    std::sort(lags.begin(), lags.end());
    return lags[lags.size() / 2];
  };
  DonConfig one;
  one.region = "us-east";
  DonConfig spread;
  spread.regions = {"us-east", "eu-west"};
  const sim::Duration local = median_lag(one), wide = median_lag(spread);
  EXPECT_GE(wide, local + 40_ms);  // at least one more inter-region hop
  EXPECT_LT(wide, 1_s);
  DonConfig bad;
  bad.regions = {"us-east", "mars"};
  EXPECT_THROW(World(2, bad, 2, nc), std::invalid_argument);
}

TEST(StreamsDon, EachReportHasExactlyFPlusOneValidSignatures) {
  DonConfig cfg;
  cfg.n = 7;
  cfg.f = 2;
  World w(3, cfg);
  w.start();
  w.sim.run_until(sim::Time::zero() + 20_s);
  ASSERT_GT(w.reports.size(), 20u);
  const auto signers = w.don->signers();
  ASSERT_EQ(signers.size(), 7u);
  EXPECT_EQ(std::set<ocr::Address>(signers.begin(), signers.end()).size(), 7u);
  std::uint64_t last_seq = 0;
  for (const auto& r : w.reports) {
    EXPECT_EQ(r.context.config_digest, w.don->config_digest());
    EXPECT_GE(r.context.seq_nr, last_seq);
    last_seq = r.context.seq_nr;
    ASSERT_EQ(r.signatures.size(), 3u);
    std::set<ocr::Address> seen;
    const std::uint64_t digest = signed_digest(r.context, r.report);
    for (const auto& sig : r.signatures) {
      EXPECT_TRUE(std::find(signers.begin(), signers.end(), sig.signer) != signers.end());
      EXPECT_TRUE(w.don->keys().verify(sig, digest, sig.signer));
      seen.insert(sig.signer);
    }
    EXPECT_EQ(seen.size(), 3u);
    // A changed price no longer matches the signatures.
    ReportV3 forged = r.report;
    forged.benchmark_price += 1;
    EXPECT_FALSE(w.don->keys().verify(r.signatures[0], signed_digest(r.context, forged), r.signatures[0].signer));
  }
}

TEST(StreamsDon, SingleNodeWithoutFaultToleranceSignsAlone) {
  DonConfig cfg;
  cfg.n = 1;
  cfg.f = 0;
  World w(11, cfg);
  w.start();
  w.sim.run_until(sim::Time::zero() + 10_s);
  ASSERT_GE(w.reports.size(), 16u);
  for (const auto& r : w.reports) {
    ASSERT_EQ(r.signatures.size(), 1u);
    EXPECT_EQ(r.signatures[0].signer, w.don->signers()[0]);
  }
}

TEST(StreamsDon, ReportsPassTheOnchainVerifier) {
  DonConfig cfg;
  cfg.n = 7;
  cfg.f = 2;
  World w(12, cfg);
  w.start();
  w.sim.run_until(sim::Time::zero() + 10_s);
  ASSERT_GT(w.reports.size(), 10u);

  chain::ContractRegistry reg;
  const VerifierStack stack = deploy_verifier_stack(
      reg, {.config_digest = w.don->config_digest(), .signers = w.don->signers(), .f = w.don->f(),
            .with_fee_manager = false, .link_token = {}, .fee_manager_link = 0, .payees = {}},
      &w.don->keys());
  const chain::Address subscriber = reg.create_account("subscriber");
  std::uint64_t nonce = 0;
  auto verify = [&](const SignedReport& r) {
    chain::Transaction tx{.from = subscriber, .to = stack.proxy, .nonce = nonce++, .gas_limit = 2'000'000,
                          .max_fee = 0, .max_priority_fee = 0, .calldata = verify_calldata(r, FeeToken::link),
                          .call = [r](chain::ExecContext& c) {
                            c.self_as<VerifierProxy>().verify(c, r, FeeToken::link);
                          },
                          .label = "streams/verify"};
    return chain::execute_transaction(reg, tx, {.number = 1, .timestamp = w.sim.now(), .base_fee = 0});
  };
  for (const auto& r : w.reports) {
    const auto res = verify(r);
    EXPECT_EQ(res.status, chain::TxStatus::success) << res.revert_reason;
  }
  // One signature short: the Verifier wants exactly f + 1.
  SignedReport short_one = w.reports.back();
  short_one.signatures.pop_back();
  EXPECT_EQ(verify(short_one).status, chain::TxStatus::reverted);
}

TEST(StreamsDon, EveryDestinationGetsEveryReportFromEveryNode) {
  World w(4, DonConfig{}, 3);
  w.start();
  w.sim.run_until(sim::Time::zero() + 20_s);
  ASSERT_GT(w.reports.size(), 20u);
  for (const auto& copies : w.received) {
    std::map<std::pair<FeedId, std::uint32_t>, int> count;
    for (const auto& r : copies) {
      ++count[{r.report.feed_id, r.report.observations_timestamp}];
      EXPECT_TRUE(std::find(w.reports.begin(), w.reports.end(), r) != w.reports.end());  // byte-identical copies
    }
    for (std::size_t i = 0; i < w.reports.size(); ++i) {
      if (w.attested_at[i] > w.sim.now() - 100_ms) continue;  // still in flight
      const auto& r = w.reports[i].report;
      EXPECT_EQ((count[{r.feed_id, r.observations_timestamp}]), 4) << "every up node sends its copy";
    }
  }
}

TEST(StreamsDon, LeaderCrashCausesAGapOfAboutDeltaProgressThenRecovery) {
  World w(5);
  const DonConfig& cfg = w.don->config();
  w.start();
  w.sim.run_until(sim::Time::zero() + 10_s);
  const std::uint32_t e = w.epoch();
  const int leader = w.don->leader_of(e);
  const sim::Time crash_at = w.sim.now();
  w.crash(leader);
  const std::size_t before = w.reports.size();
  w.sim.run_until(sim::Time::zero() + 40_s);
  ASSERT_GT(w.reports.size(), before);

  // Epochs e+1, e+2, ... until one whose leader is up: each costs delta_progress.
  int k = 1;
  while (w.don->leader_of(e + static_cast<std::uint32_t>(k)) == leader) ++k;
  const sim::Duration gap = w.attested_at[before] - crash_at;
  EXPECT_GE(gap, cfg.delta_progress - cfg.delta_round);
  EXPECT_LE(gap, cfg.delta_progress * k + cfg.delta_initial + 1_s + 200_ms);
  // The first report after the gap covers the seconds nobody reported: validFrom is the previous report's
  // observationsTimestamp + 1, below its own.
  const SignedReport& first = w.reports[before];
  const SignedReport* prev = nullptr;
  for (std::size_t i = 0; i < before; ++i)
    if (w.reports[i].report.feed_id == first.report.feed_id) prev = &w.reports[i];
  ASSERT_NE(prev, nullptr);
  EXPECT_EQ(first.report.valid_from_timestamp, prev->report.observations_timestamp + 1);
  EXPECT_LT(first.report.valid_from_timestamp, first.report.observations_timestamp);
  // After recovery: about one report per second per feed again (the crashed node costs an extra delta_progress
  // whenever it is elected leader again).
  std::size_t late = 0;
  for (std::size_t i = 0; i < w.reports.size(); ++i)
    if (w.attested_at[i] >= sim::Time::zero() + 20_s) ++late;
  EXPECT_GE(late, 2u * 14u);
}

TEST(StreamsDon, FCrashedNodesStillReport) {
  DonConfig cfg;
  cfg.n = 7;
  cfg.f = 2;
  World w(6, cfg);
  // Two nodes that do not lead epoch 1 are down from the start.
  std::vector<int> down;
  for (int i = 0; i < 7 && down.size() < 2; ++i)
    if (i != w.don->leader_of(1)) down.push_back(i);
  for (int i : down) w.crash(i);
  w.start();
  w.sim.run_until(sim::Time::zero() + 30_s);
  EXPECT_GE(w.of_feed("ETH/USD").size(), 15u);
  EXPECT_GE(w.of_feed("BTC/USD").size(), 15u);
  for (const auto& r : w.reports)
    for (const auto& sig : r.signatures)
      for (int i : down) EXPECT_NE(sig.signer, w.don->signers()[static_cast<std::size_t>(i)]);
}

TEST(StreamsDon, WithoutAnObservationQuorumNothingIsReported) {
  DonConfig cfg;
  cfg.n = 7;
  cfg.f = 2;
  World w(7, cfg);
  for (int i : {1, 3, 5}) w.crash(i);  // 4 up < 2f + 1 = 5
  w.start();
  w.sim.run_until(sim::Time::zero() + 30_s);
  EXPECT_TRUE(w.reports.empty());
  EXPECT_EQ(w.don->rounds_decided(), 0u);
  for (const auto& copies : w.received) EXPECT_TRUE(copies.empty());
}

TEST(StreamsDon, CrashedNodeRejoinsAfterRestart) {
  World w(8);
  w.start();
  // Two of four down: no quorum for 10 s, then one comes back.
  w.sim.run_until(sim::Time::zero() + 5_s);
  w.crash(0);
  w.crash(1);
  w.sim.run_until(sim::Time::zero() + 15_s);
  const std::size_t during = w.reports.size();
  w.sim.run_until(sim::Time::zero() + 16_s);
  EXPECT_EQ(w.reports.size(), during);  // nothing while down
  w.don->control(1).restart(nullptr);
  w.net.set_host_up(w.don->host(1), true);
  w.sim.run_until(sim::Time::zero() + 45_s);
  EXPECT_GT(w.reports.size(), during + 20);
  // The restarted node's last reported timestamps survived: no second report for a second already reported.
  std::set<std::pair<FeedId, std::uint32_t>> keys;
  for (const auto& r : w.reports) EXPECT_TRUE(keys.insert({r.report.feed_id, r.report.observations_timestamp}).second);
}

TEST(StreamsDon, TheMedianOutvotesFLiarsButNotMore) {
  auto run = [](std::vector<int> liars) {
    World w(13);
    for (int i : liars) w.don->control(i).set_byzantine("lie", {{"offset", 0.1}}, nullptr);
    w.start();
    w.sim.run_until(sim::Time::zero() + 20_s);
    return w.of_feed("ETH/USD");
  };
  // Honest nodes all observe exactly 2000 (noiseless providers): with one liar among the 2f+1 observations the
  // median is honest; with two, some quorums have the liars in the majority above the median.
  const auto one = run({2});
  ASSERT_GE(one.size(), 15u);
  for (const auto& r : one) EXPECT_EQ(r.report.benchmark_price, providers::to_answer(2000));
  const auto two = run({1, 2});
  ASSERT_GE(two.size(), 15u);
  int lied = 0;
  for (const auto& r : two) lied += r.report.benchmark_price == providers::to_answer(2200) ? 1 : 0;
  EXPECT_GT(lied, 0);
}

TEST(StreamsDon, WithholdingNodesCountAsMissing) {
  auto run = [](std::vector<int> withholders) {
    World w(14);
    for (int i : withholders) w.don->control(i).set_byzantine("withhold", {}, nullptr);
    w.start();
    w.sim.run_until(sim::Time::zero() + 20_s);
    return w.reports.size();
  };
  EXPECT_GE(run({3}), 2u * 12u);  // f = 1 withholder: reports go on (as leader it still runs rounds)
  EXPECT_EQ(run({0, 3}), 0u);     // f + 1: no observation quorum
}

TEST(StreamsDon, SameSeedSameReports) {
  auto run = [](std::uint64_t seed) {
    World w(seed);
    w.start();
    w.sim.run_until(sim::Time::zero() + 15_s);
    return std::make_pair(w.reports, w.attested_at);
  };
  const auto a = run(9);
  const auto b = run(9);
  const auto c = run(10);
  ASSERT_FALSE(a.first.empty());
  EXPECT_EQ(a.first, b.first);
  EXPECT_EQ(a.second, b.second);
  EXPECT_NE(a.first, c.first);
}

TEST(StreamsDon, RejectsBadConfiguration) {
  DonConfig bad;
  bad.n = 3;  // not > 3f
  EXPECT_THROW(World(1, bad), std::invalid_argument);
  DonConfig slow;
  slow.delta_progress = 100_ms;  // not above delta_round
  EXPECT_THROW(World(1, slow), std::invalid_argument);
  EXPECT_EQ(validate_don(DonConfig{}, "don").size(), 0u);
  sim::Simulation s(1);
  sim::Network net(s, sim::NetworkConfig{});
  EXPECT_THROW(StreamsDon(s, net, DonConfig{}, {}, 1), std::invalid_argument);
  DonFeed empty;
  EXPECT_THROW(StreamsDon(s, net, DonConfig{}, {empty}, 1), std::invalid_argument);
}
