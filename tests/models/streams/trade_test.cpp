#include "models/streams/trade.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

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
  std::vector<ocr::SecretKey> keys;
  ocr::KeyRegistry ecrecover;
  VerifierStack stack;
  FakeFeed feed;
  std::unique_ptr<contracts::AggregatorProxy> proxy;
  std::unique_ptr<StreamsTrade> trade;
  std::vector<TradeExecution> executions;
  std::vector<std::uint32_t> fetched_ts;  // every fetch's timestamp
  std::vector<AutomationEvent> events;
  std::vector<chain::Receipt> performs;
  int fail_first = 0;                     // the first k fetches answer nothing
  bool tamper = false;                    // change the price after signing
  sim::Connection c1, c2, c3;

  explicit World(chain::Gas perform_gas_limit = 5'400'000, AutomationNodeConfig node_cfg = {}) {
    std::vector<ocr::Address> signers;
    for (int i = 0; i < 4; ++i) {
      keys.emplace_back(500 + static_cast<std::uint64_t>(i));
      ecrecover.add(keys.back());
      signers.push_back(keys.back().address());
    }
    stack = deploy_verifier_stack(ch, {.config_digest = kDigest, .signers = signers, .f = 1, .with_fee_manager = true,
                                       .link_token = {}},
                                  &ecrecover);
    feed.set(2'990'00000000, sim::Time::from_seconds(1));
    proxy = std::make_unique<contracts::AggregatorProxy>(&feed);
    TradeConfig cfg;
    cfg.enabled = true;
    cfg.trade_every = sim::Duration::from_seconds(1e9);  // the tests trade by hand
    cfg.perform_gas_limit = perform_gas_limit;
    trade = std::make_unique<StreamsTrade>(
        sim, ch, stack, cfg, proxy.get(),
        [this](const std::vector<FeedId>& feeds, std::uint32_t ts,
               std::function<void(std::vector<SignedReport>)> done) {
          fetched_ts.push_back(ts);
          std::vector<SignedReport> out;
          if (static_cast<int>(fetched_ts.size()) > fail_first) {
            for (FeedId f : feeds) out.push_back(sign(f, ts));
          }
          sim.after(sim::Duration::from_seconds(0.2), [done, out] { done(out); });
        },
        node_cfg);
    c1 = trade->trader().trade_executed.connect([this](const TradeExecution& e) { executions.push_back(e); });
    c2 = trade->node().event.connect([this](const AutomationEvent& e) { events.push_back(e); });
    c3 = trade->node().perform_included.connect([this](const chain::Receipt& r) { performs.push_back(r); });
    ch.start();
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
  ASSERT_EQ(w.fetched_ts.size(), 1u);
  EXPECT_EQ(w.fetched_ts[0], log_ts);  // StreamsLookup asked for the log's block timestamp
  const TradeExecution& e = streams[0];
  EXPECT_EQ(e.price_timestamp, log_ts);
  EXPECT_DOUBLE_EQ(e.price, static_cast<double>(don_price(log_ts)) / 1e8);
  EXPECT_EQ(e.requested_at, sim::Time::from_seconds(30));
  EXPECT_GT(e.executed_at, req->block_time);  // performed in a later block than the request
  EXPECT_EQ(e.user_trade, 1u);
  EXPECT_EQ(w.upkeep().state().pending.size(), 0u);
  EXPECT_EQ(w.upkeep().state().executed, 1u);
  EXPECT_EQ(w.trade->node().performs_sent(), 1u);
  EXPECT_EQ(w.trade->trader().awaiting(), 0u);
  // The upkeep paid the LINK fee of the report.
  EXPECT_EQ(w.fee_manager().link_deposit(w.trade->upkeep()), kUpkeepFeeDeposit - 2'000);
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
  EXPECT_EQ(w.fee_manager().link_deposit(w.trade->upkeep()), kUpkeepFeeDeposit);  // no fee was taken
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
  EXPECT_EQ(w.fetched_ts.size(), 3u);
  EXPECT_EQ(w.of(TradeKind::streams).size(), 1u);

  World never;
  never.fail_first = 1'000;
  never.trade_at(30);
  never.sim.run_until(sim::Time::from_seconds(300));
  EXPECT_EQ(never.fetched_ts.size(), 10u);  // AutomationNodeConfig::max_attempts
  ASSERT_EQ(never.events.size(), 1u);
  EXPECT_EQ(never.events[0].what, "lookup_failed");
  EXPECT_TRUE(never.of(TradeKind::streams).empty());
}

TEST(StreamsTrade, UpkeepGasLimitIsEnforced) {
  World w(/*perform_gas_limit=*/20'000);  // below what verification needs
  w.trade_at(30);
  w.sim.run_until(sim::Time::from_seconds(200));
  EXPECT_TRUE(w.of(TradeKind::streams).empty());
  ASSERT_EQ(w.performs.size(), 1u);
  const auto* performed = find_payload<UpkeepPerformed>(w.performs[0]);
  ASSERT_NE(performed, nullptr) << to_string(w.performs[0].status) << " " << w.performs[0].revert_reason;
  EXPECT_FALSE(performed->success);
  EXPECT_EQ(performed->gas_used, 20'000u);
}

TEST(StreamsTrade, AutomationNodeCrashLosesNoTrigger) {
  World w;
  // Down from before the request until well after it: the log arrives while the node is crashed.
  models::faults::FaultEffect effect;
  w.sim.at(sim::Time::from_seconds(25), [&] { w.trade->node().control().crash(&effect); });
  w.trade_at(30);
  w.sim.at(sim::Time::from_seconds(90), [&] { w.trade->node().control().restart(&effect); });
  w.sim.run_until(sim::Time::from_seconds(300));
  const auto streams = w.of(TradeKind::streams);
  ASSERT_EQ(streams.size(), 1u);
  EXPECT_GT(streams[0].executed_at, sim::Time::from_seconds(90));
}

TEST(StreamsTrade, ConfirmationsDelayTheLookup) {
  AutomationNodeConfig three;
  three.confirmations = 3;
  World fast;
  World slow(5'400'000, three);
  for (World* w : {&fast, &slow}) {
    w->trade_at(30);
    w->sim.run_until(sim::Time::from_seconds(300));
  }
  const auto a = fast.of(TradeKind::streams), b = slow.of(TradeKind::streams);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  // Two more blocks (12 s slots) before checkLog; the report asked for is still the log's block timestamp.
  EXPECT_EQ(b[0].executed_at - a[0].executed_at, sim::Duration::from_seconds(24));
  EXPECT_EQ(a[0].price_timestamp, b[0].price_timestamp);
}
