#include "models/streams/trade.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <any>
#include <cstdio>
#include <string>
#include <memory>
#include <optional>
#include <vector>

#include "models/contracts/link_token.hpp"
#include "sim/network/network.hpp"
#include "sim/simulation.hpp"
#include "tests/models/chain/flat_chain.hpp"

using namespace models::streams;
namespace chain = models::chain;
namespace contracts = models::contracts;
namespace ocr = models::ocr;

namespace {

using chain_test::flat_chain;

constexpr std::uint64_t kDigest = 0x5354524541d1ULL;

// A push feed whose latest answer the test sets.
class FakeFeed : public contracts::RoundReader {
 public:
  void set(std::int64_t answer, sim::Time at) {
    ++round_;
    d_ = contracts::RoundData{round_, answer, at, at, round_};
  }
  std::optional<contracts::RoundData> latest_round_data() const override {
    if (round_ == 0) return std::nullopt;
    return d_;
  }
  std::optional<contracts::RoundData> get_round_data(std::uint64_t) const override { return std::nullopt; }
  int decimals() const override { return 8; }

 private:
  std::uint64_t round_ = 0;
  contracts::RoundData d_;
};

// The DON's price for a timestamp: distinct per second, so a trade's price names the report it used.
std::int64_t don_price(std::uint32_t ts) { return 3'000'00000000 + static_cast<std::int64_t>(ts) * 1'000'000; }

struct World {
  sim::Simulation sim{1};
  chain::Chain ch{sim, flat_chain()};
  sim::Network net{sim, sim::NetworkConfig{}};
  std::vector<ocr::SecretKey> keys;
  ocr::KeyRegistry ecrecover;
  VerifierStack stack;
  FakeFeed feed;
  std::unique_ptr<contracts::AggregatorProxy> proxy;
  std::unique_ptr<StreamsTrade> trade;
  std::vector<TradeExecution> executions;
  std::vector<std::uint32_t> fetched_ts;  // every fetch's timestamp
  std::vector<int> fetched_by;            // and the node that made it
  std::vector<sim::Time> fetched_at;
  std::vector<AutomationEvent> events;
  std::vector<chain::Receipt> performs;
  int fail_first = 0;                     // the first k fetches (all nodes) answer nothing
  bool tamper = false;                    // change the price after signing
  bool hang = false;                      // fetches never answer
  int hang_node = -1;                     // this node's fetches never answer
  sim::Connection c1, c2, c3;

  explicit World(chain::Gas perform_gas_limit = 5'400'000, AutomationConfig automation = {},
                 std::string fee_token = "link") {
    std::vector<ocr::Address> signers;
    for (int i = 0; i < 4; ++i) {
      keys.emplace_back(500 + static_cast<std::uint64_t>(i));
      ecrecover.add(keys.back());
      signers.push_back(keys.back().address());
    }
    stack = deploy_verifier_stack(ch, {.config_digest = kDigest, .signers = signers, .f = 1, .with_fee_manager = true,
                                       .link_token = {}, .fee_manager_link = 0, .payees = {}},
                                  &ecrecover);
    feed.set(2'990'00000000, sim::Time::from_seconds(1));
    proxy = std::make_unique<contracts::AggregatorProxy>(&feed);
    TradeConfig cfg;
    cfg.enabled = true;
    cfg.trade_every = sim::Duration::from_seconds(1e9);  // the tests trade by hand
    cfg.perform_gas_limit = perform_gas_limit;
    cfg.automation = automation;
    cfg.fee_token = fee_token;
    trade = std::make_unique<StreamsTrade>(
        sim, ch, net, stack, cfg, proxy.get(),
        [this](int node, const std::vector<FeedId>& feeds, std::uint32_t ts,
               std::function<void(std::vector<SignedReport>)> done) {
          fetched_ts.push_back(ts);
          fetched_by.push_back(node);
          fetched_at.push_back(sim.now());
          if (hang || node == hang_node) return;
          std::vector<SignedReport> out;
          if (static_cast<int>(fetched_ts.size()) > fail_first) {
            for (FeedId f : feeds) out.push_back(sign(f, ts));
          }
          sim.after(sim::Duration::from_seconds(0.2), [done, out] { done(out); });
        });
    c1 = trade->trader().trade_executed.connect([this](const TradeExecution& e) { executions.push_back(e); });
    c2 = trade->don().event.connect([this](const AutomationEvent& e) { events.push_back(e); });
    c3 = trade->don().perform_included.connect([this](const chain::Receipt& r) { performs.push_back(r); });
    ch.start();
    trade->don().start();
  }

  SignedReport sign(FeedId f, std::uint32_t ts) const {
    SignedReport r;
    r.context = {kDigest, ts};
    r.report.feed_id = f;
    r.report.valid_from_timestamp = ts;
    r.report.observations_timestamp = ts;
    r.report.native_fee = 1'000;
    r.report.link_fee = 2'000;
    r.report.expires_at = ts + 86'400;
    r.report.benchmark_price = don_price(ts);
    r.report.bid = r.report.benchmark_price - 1;
    r.report.ask = r.report.benchmark_price + 1;
    const std::uint64_t d = signed_digest(r.context, r.report);
    for (int i = 0; i < 2; ++i) r.signatures.push_back(keys[static_cast<std::size_t>(i)].sign(d));
    if (tamper) r.report.benchmark_price += 100;
    return r;
  }

  void trade_at(double seconds) {
    sim.at(sim::Time::from_seconds(seconds), [this] { trade->trader().trade_now(); });
  }
  std::vector<TradeExecution> of(TradeKind k) const {
    std::vector<TradeExecution> v;
    for (const auto& e : executions)
      if (e.kind == k) v.push_back(e);
    return v;
  }
  // The block that included the user's request to the upkeep.
  const chain::Receipt* request_receipt() const {
    for (const auto& b : ch.recent_blocks())
      for (auto h : b.txs)
        if (const auto* r = ch.receipt(h); r != nullptr && r->label == "streams/trade/request") return r;
    return nullptr;
  }
  FeeManager& fee_manager() { return *ch.contract<FeeManager>(stack.fee_manager); }
  chain::Amount upkeep_link() const { return ch.contract<contracts::LinkToken>(stack.link_token)->balance_of(trade->upkeep()); }
  int fetches_by(int node) const { return static_cast<int>(std::count(fetched_by.begin(), fetched_by.end(), node)); }
  StreamsUpkeep& upkeep() { return *ch.contract<StreamsUpkeep>(trade->upkeep()); }
};

template <class T>
const T* find_payload(const chain::Receipt& r) {
  for (const auto& l : r.logs)
    if (const auto* p = std::any_cast<T>(&l.payload)) return p;
  return nullptr;
}

}  // namespace

TEST(StreamsTrade, OneExecutionAtThePriceOfTheReportForTheLogTimestamp) {
  World w;
  w.trade_at(30);
  w.sim.run_until(sim::Time::from_seconds(300));

  const auto streams = w.of(TradeKind::streams);
  ASSERT_EQ(streams.size(), 1u);  // exactly one execution, though the node saw many blocks after the log
  const chain::Receipt* req = w.request_receipt();
  ASSERT_NE(req, nullptr);
  const auto log_ts = static_cast<std::uint32_t>(req->block_time.ns() / 1'000'000'000);
  // Each node looked the trigger up itself (at least f+1 = 2 to agree), for the log's block timestamp.
  ASSERT_GE(w.fetched_ts.size(), 2u);
  ASSERT_LE(w.fetched_ts.size(), 4u);
  for (const auto ts : w.fetched_ts) EXPECT_EQ(ts, log_ts);
  const TradeExecution& e = streams[0];
  EXPECT_EQ(e.price_timestamp, log_ts);
  EXPECT_DOUBLE_EQ(e.price, static_cast<double>(don_price(log_ts)) / 1e8);
  EXPECT_EQ(e.requested_at, sim::Time::from_seconds(30));
  EXPECT_GT(e.executed_at, req->block_time);  // performed in a later block than the request
  EXPECT_EQ(e.user_trade, 1u);
  EXPECT_EQ(w.upkeep().state().pending.size(), 0u);
  EXPECT_EQ(w.upkeep().state().executed, 1u);
  EXPECT_EQ(w.trade->don().reports_sent(), 1u);
  EXPECT_EQ(w.trade->trader().awaiting(), 0u);
  // The upkeep paid the LINK fee of the report (getFeeAndReward, approve, verify), into the DON's reward pool.
  EXPECT_EQ(w.upkeep_link(), kUpkeepFeeDeposit - 2'000);
  const auto* rm = w.ch.contract<RewardManager>(w.stack.reward_manager);
  ASSERT_NE(rm->pool(kDigest), nullptr);
  EXPECT_EQ(rm->pool(kDigest)->total_fees, chain::Amount{2'000});
  EXPECT_TRUE(audit_fees(w.ch.contracts(), w.stack.fee_manager).problem.empty());
}

TEST(StreamsTrade, PerformReceiptShowsTheVerifyGas) {
  World w;
  w.trade_at(30);
  w.sim.run_until(sim::Time::from_seconds(120));
  ASSERT_EQ(w.performs.size(), 1u);
  const chain::Receipt& r = w.performs[0];
  ASSERT_EQ(r.status, chain::TxStatus::success);
  const auto* performed = find_payload<UpkeepPerformed>(r);
  ASSERT_NE(performed, nullptr);
  EXPECT_TRUE(performed->success) << performed->revert_reason;
  const auto* ex = find_payload<TradeExecuted>(r);
  ASSERT_NE(ex, nullptr);
  // verify = f+1 = 2 ecrecovers and their cold signer reads at least, and part of the upkeep's gas.
  EXPECT_GT(ex->verify_gas, 2u * (3'000u + 2'100u));
  EXPECT_LT(ex->verify_gas, performed->gas_used);
  EXPECT_LT(performed->gas_used, r.gas_used);
  ASSERT_EQ(w.executions.size(), 2u);
  for (const auto& e : w.executions) {
    if (e.kind == TradeKind::streams) {
      EXPECT_EQ(e.verify_gas, ex->verify_gas);
      EXPECT_EQ(e.tx_gas, r.gas_used);
    }
  }
  chain::Gas ecrecover = 0;
  for (const auto& [what, g] : r.breakdown)
    if (what == "ecrecover") ecrecover += g;
  EXPECT_EQ(ecrecover, 2u * 3'000u);
  std::printf("[streams trade, f=1, LINK fee] performUpkeep tx %llu gas, upkeep %llu, verify %llu\n",
              static_cast<unsigned long long>(r.gas_used), static_cast<unsigned long long>(performed->gas_used),
              static_cast<unsigned long long>(ex->verify_gas));
}

TEST(StreamsTrade, FailedVerificationRevertsThePerformAndNothingTrades) {
  World w;
  w.tamper = true;
  w.trade_at(30);
  w.sim.run_until(sim::Time::from_seconds(300));
  EXPECT_TRUE(w.of(TradeKind::streams).empty());
  ASSERT_EQ(w.performs.size(), 1u);
  const auto* performed = find_payload<UpkeepPerformed>(w.performs[0]);
  ASSERT_NE(performed, nullptr);
  EXPECT_FALSE(performed->success);
  EXPECT_EQ(performed->revert_reason, "BadVerification");
  EXPECT_EQ(find_payload<TradeExecuted>(w.performs[0]), nullptr);
  EXPECT_EQ(w.upkeep().state().executed, 0u);
  EXPECT_EQ(w.upkeep().state().pending.size(), 1u);                             // the trade is still pending
  EXPECT_EQ(w.upkeep_link(), kUpkeepFeeDeposit);  // no fee was taken
  ASSERT_EQ(w.events.size(), 1u);
  EXPECT_EQ(w.events[0].what, "perform_failed");
  // The push side is unaffected.
  EXPECT_EQ(w.of(TradeKind::push).size(), 1u);
}

TEST(StreamsTrade, PushBaselineExecutesAtTheProxysCurrentAnswer) {
  World w;
  w.sim.at(sim::Time::from_seconds(20), [&] { w.feed.set(3'100'00000000, sim::Time::from_seconds(20)); });
  w.trade_at(30);
  w.sim.at(sim::Time::from_seconds(70), [&] { w.feed.set(2'800'00000000, sim::Time::from_seconds(70)); });
  w.trade_at(80);
  w.sim.run_until(sim::Time::from_seconds(200));
  const auto push = w.of(TradeKind::push);
  ASSERT_EQ(push.size(), 2u);
  EXPECT_DOUBLE_EQ(push[0].price, 3'100.0);
  EXPECT_EQ(push[0].price_timestamp, 20u);
  EXPECT_DOUBLE_EQ(push[1].price, 2'800.0);
  EXPECT_EQ(push[1].price_timestamp, 70u);
  for (const auto& e : push) {
    EXPECT_EQ(e.verify_gas, 0u);
    EXPECT_GT(e.executed_at, e.requested_at);
    EXPECT_LE(e.executed_at - e.requested_at, sim::Duration::from_seconds(24));  // the next block or so
  }
  EXPECT_EQ(push[0].user_trade, 1u);
  EXPECT_EQ(push[1].user_trade, 2u);
  // Both user trades also executed through the upkeep, each at its own report.
  const auto streams = w.of(TradeKind::streams);
  ASSERT_EQ(streams.size(), 2u);
  EXPECT_NE(streams[0].price, streams[1].price);
}

TEST(StreamsTrade, EmptyAnswersAreRetriedThenGivenUp) {
  World w;
  w.fail_first = 2;
  w.trade_at(30);
  w.sim.run_until(sim::Time::from_seconds(300));
  EXPECT_EQ(w.of(TradeKind::streams).size(), 1u);

  // A lookup that never succeeds: per node 3 HTTP attempts per request (500 ms, then 1 s apart, plus up to 100 ms
  // jitter), the first request and 6 plugin retries (1 s apart, 5 s before the last): 21 fetches, then given up.
  World never;
  never.fail_first = 1'000'000;
  never.trade_at(30);
  never.sim.run_until(sim::Time::from_seconds(300));
  for (int node = 0; node < 4; ++node) EXPECT_EQ(never.fetches_by(node), 21) << "node " << node;
  ASSERT_EQ(never.events.size(), 1u);  // once for the trigger, whichever node gave up first
  EXPECT_EQ(never.events[0].what, "lookup_failed");
  EXPECT_TRUE(never.of(TradeKind::streams).empty());
  // Node 0's fetch times: answers take 0.2 s, so attempts are 0.7-0.8 s, then 1.2-1.3 s apart within a request.
  std::vector<double> t;
  for (std::size_t i = 0; i < never.fetched_by.size(); ++i)
    if (never.fetched_by[i] == 0) t.push_back(never.fetched_at[i].seconds());
  ASSERT_EQ(t.size(), 21u);
  EXPECT_GE(t[1] - t[0], 0.7);
  EXPECT_LT(t[1] - t[0], 0.8);
  EXPECT_GE(t[2] - t[1], 1.2);
  EXPECT_LT(t[2] - t[1], 1.3);
  EXPECT_NEAR(t[3] - t[2], 1.2, 1e-9);    // plugin retry 1: the answer's 0.2 s, then 1 s
  EXPECT_NEAR(t[18] - t[17], 5.2, 1e-9);  // plugin retry 6: 5 s
}

TEST(StreamsTrade, AHangingRequestTimesOutAndIsNotRetried) {
  World w;
  w.hang = true;  // answers never come: the 10 s request timeout ends the lookup, and a timeout is not retried
  w.trade_at(30);
  w.sim.run_until(sim::Time::from_seconds(300));
  for (int node = 0; node < 4; ++node) EXPECT_EQ(w.fetches_by(node), 1) << "node " << node;
  ASSERT_EQ(w.events.size(), 1u);
  EXPECT_EQ(w.events[0].what, "lookup_failed");
  EXPECT_TRUE(w.of(TradeKind::streams).empty());

  // The requests of the node that looks first hang: it gives up, the others perform, and the DON reports no
  // failure (same seed, same node phases: the first to look in a normal run is the first here too).
  World normal;
  normal.trade_at(30);
  normal.sim.run_until(sim::Time::from_seconds(300));
  ASSERT_FALSE(normal.fetched_by.empty());
  World one;
  one.hang_node = normal.fetched_by.front();
  one.trade_at(30);
  one.sim.run_until(sim::Time::from_seconds(300));
  EXPECT_EQ(one.fetches_by(one.hang_node), 1);
  EXPECT_EQ(one.of(TradeKind::streams).size(), 1u);
  EXPECT_TRUE(one.events.empty());
}

TEST(StreamsTrade, UpkeepGasLimitIsEnforced) {
  World w(/*perform_gas_limit=*/100'000);  // below what verification with its LINK fee needs
  w.trade_at(30);
  w.sim.run_until(sim::Time::from_seconds(200));
  EXPECT_TRUE(w.of(TradeKind::streams).empty());
  ASSERT_EQ(w.performs.size(), 1u);
  const auto* performed = find_payload<UpkeepPerformed>(w.performs[0]);
  ASSERT_NE(performed, nullptr) << to_string(w.performs[0].status) << " " << w.performs[0].revert_reason;
  EXPECT_FALSE(performed->success);
  EXPECT_EQ(performed->gas_used, 100'000u);
}

TEST(StreamsTrade, PerformLandsAtLeastTwoBlocksAfterItsTrigger) {
  World w;
  for (int i = 0; i < 20; ++i) w.trade_at(30 + 37.0 * i);
  w.sim.run_until(sim::Time::from_seconds(1'200));
  const auto streams = w.of(TradeKind::streams);
  ASSERT_EQ(streams.size(), 20u);
  std::uint64_t min_lag = ~std::uint64_t{0};
  for (const auto& e : streams) {
    ASSERT_GT(e.trigger_block, 0u);
    EXPECT_GE(e.executed_block, e.trigger_block + 2) << "trade " << e.user_trade;
    min_lag = std::min(min_lag, e.executed_block - e.trigger_block);
  }
  EXPECT_EQ(min_lag, 2u);  // the poller reads the trigger's block once the next one exists; then a transaction
}

TEST(StreamsTrade, AFourNodeDonToleratesOneCrashedNode) {
  for (int down = 0; down < 4; ++down) {
    World w;
    models::faults::FaultEffect effect;
    w.sim.at(sim::Time::from_seconds(1), [&] { w.trade->don().control(down).crash(&effect); });
    for (int i = 0; i < 5; ++i) w.trade_at(30 + 40.0 * i);
    w.sim.run_until(sim::Time::from_seconds(400));
    EXPECT_EQ(w.of(TradeKind::streams).size(), 5u) << "node " << down << " down";
    EXPECT_EQ(w.fetches_by(down), 0);
    EXPECT_TRUE(w.events.empty());
  }
  // Two of four down: fewer than 2f+1 observations, nothing is performed.
  World two;
  models::faults::FaultEffect e1, e2;
  two.sim.at(sim::Time::from_seconds(1), [&] {
    two.trade->don().control(0).crash(&e1);
    two.trade->don().control(1).crash(&e2);
  });
  two.trade_at(30);
  two.sim.run_until(sim::Time::from_seconds(300));
  EXPECT_TRUE(two.of(TradeKind::streams).empty());
  EXPECT_GT(two.fetches_by(2), 0);  // the two others found the trigger and looked it up
  EXPECT_GT(two.fetches_by(3), 0);
  EXPECT_GT(two.trade->don().rounds(), 0u);  // and rounds ran, without 2f+1 observations
  EXPECT_EQ(two.trade->don().reports_sent(), 0u);
}

TEST(StreamsTrade, AReportCarriesThePerformsWhoseGasLimitsFit) {
  World w;  // perform gas limit 5.4 M > report_gas_limit 5.3 M: one perform per report
  w.sim.at(sim::Time::from_seconds(30), [&] {
    for (int i = 0; i < 3; ++i) w.trade->trader().trade_now();
  });
  w.sim.run_until(sim::Time::from_seconds(300));
  EXPECT_EQ(w.of(TradeKind::streams).size(), 3u);
  ASSERT_EQ(w.performs.size(), 3u);
  for (const auto& r : w.performs) {
    int performed = 0;
    for (const auto& l : r.logs) performed += std::any_cast<UpkeepPerformed>(&l.payload) != nullptr ? 1 : 0;
    EXPECT_EQ(performed, 1);
  }
  AutomationConfig roomy;
  roomy.report_gas_limit = 20'000'000;  // all three in one report
  World b(5'400'000, roomy);
  b.sim.at(sim::Time::from_seconds(30), [&] {
    for (int i = 0; i < 3; ++i) b.trade->trader().trade_now();
  });
  b.sim.run_until(sim::Time::from_seconds(300));
  EXPECT_EQ(b.of(TradeKind::streams).size(), 3u);
  EXPECT_EQ(b.performs.size(), 1u);
}

TEST(StreamsTrade, WholeDonDownLosesNoTrigger) {
  World w;
  // Every node down from before the request until well after it: the log poller reads back on restart.
  std::vector<models::faults::FaultEffect> effects(4);
  w.sim.at(sim::Time::from_seconds(25), [&] {
    for (int i = 0; i < 4; ++i) w.trade->don().control(i).crash(&effects[static_cast<std::size_t>(i)]);
  });
  w.trade_at(30);
  w.sim.at(sim::Time::from_seconds(90), [&] {
    for (int i = 0; i < 4; ++i) w.trade->don().control(i).restart(&effects[static_cast<std::size_t>(i)]);
  });
  w.sim.run_until(sim::Time::from_seconds(300));
  const auto streams = w.of(TradeKind::streams);
  ASSERT_EQ(streams.size(), 1u);
  EXPECT_GT(streams[0].executed_at, sim::Time::from_seconds(90));
}

TEST(StreamsTrade, BlockQueryDelayDelaysThePerform) {
  AutomationConfig three;
  three.block_query_delay = 3;
  World fast;
  World slow(5'400'000, three);
  for (World* w : {&fast, &slow}) {
    for (int i = 0; i < 10; ++i) w->trade_at(30 + 41.0 * i);
    w->sim.run_until(sim::Time::from_seconds(800));
  }
  const auto a = fast.of(TradeKind::streams), b = slow.of(TradeKind::streams);
  ASSERT_EQ(a.size(), 10u);
  ASSERT_EQ(b.size(), 10u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_GE(a[i].executed_block, a[i].trigger_block + 2);
    EXPECT_GE(b[i].executed_block, b[i].trigger_block + 4);  // read 3 blocks late, then a transaction
    EXPECT_EQ(a[i].price_timestamp, b[i].price_timestamp);   // the report asked for is still the log's block's
  }
}

TEST(StreamsTrade, RegistryTakesExactlyFPlusOneSignaturesFromItsTransmitters) {
  World w;
  const auto* reg = w.ch.contract<AutomationRegistry>(w.trade->registry());
  ASSERT_EQ(reg->f(), 1);
  auto transmit = [&](chain::Address from, std::vector<int> signers) {
    chain::Transaction tx{.from = from, .to = w.trade->registry(), .nonce = 0, .gas_limit = 1'000'000, .max_fee = 0,
                          .max_priority_fee = 0, .calldata = {},
                          .call = [signers](chain::ExecContext& c) { c.self_as<AutomationRegistry>().transmit(c, {}, signers); },
                          .label = "test"};
    return chain::execute_transaction(w.ch.contracts(), tx, chain::BlockInfo{}).revert_reason;
  };
  const chain::Address t0 = reg->transmitters()[0];
  EXPECT_EQ(transmit(t0, {0, 1}), "");
  EXPECT_EQ(transmit(t0, {0}), "IncorrectNumberOfSignatures");
  EXPECT_EQ(transmit(t0, {0, 1, 2}), "IncorrectNumberOfSignatures");
  EXPECT_EQ(transmit(t0, {1, 1}), "DuplicateSigners");
  EXPECT_EQ(transmit(t0, {0, 7}), "OnlyActiveSigners");
  EXPECT_EQ(transmit(w.trade->upkeep(), {0, 1}), "OnlyActiveTransmitters");
}
