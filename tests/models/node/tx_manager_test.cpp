#include "models/node/tx_manager.hpp"

#include <gtest/gtest.h>

#include "models/node/node.hpp"
#include "tests/models/chain/flat_chain.hpp"

namespace chain = models::chain;
namespace node = models::node;
using namespace sim::literals;

namespace {

using chain_test::flat_chain;

struct CounterState {
  std::uint64_t value = 0;
};
class Counter : public chain::StatefulContract<CounterState> {
 public:
  void inc(chain::ExecContext& c) {
    const chain::SlotKey k{address(), chain::slot_of(1)};
    c.gas().sload(k);
    c.gas().sstore(k, state_.value, state_.value + 1);
    ++state_.value;
  }
};

struct World {
  World() : sim(1), ch(sim, flat_chain()) {
    counter = ch.deploy("counter", std::make_shared<Counter>());
    ch.start();
    n = std::make_unique<node::ChainlinkNode>(sim, ch, "node-0", node::NodeConfig{});
    conn = n->txm().attempt_sent.connect([this](const node::TxAttempt& a) { attempts.push_back(a); });
  }
  node::TxRequest inc() {
    return node::TxRequest{counter, 100'000, chain::CalldataBuilder{}.selector().build(),
                           [](chain::ExecContext& c) { c.self_as<Counter>().inc(c); }, "test/inc"};
  }
  sim::Simulation sim;
  chain::Chain ch;
  chain::Address counter;
  std::unique_ptr<node::ChainlinkNode> n;
  std::vector<node::TxAttempt> attempts;
  sim::Connection conn;
};
}  // namespace

TEST(TxManager, SendsWithNoncesAndReportsTheReceipt) {
  World w;
  w.sim.run_until(sim::Time::zero() + 13_s);
  std::vector<chain::Receipt> got;
  ASSERT_TRUE(w.n->txm().send(w.inc(), [&](const chain::Receipt& r) { got.push_back(r); }));
  ASSERT_TRUE(w.n->txm().send(w.inc(), [&](const chain::Receipt& r) { got.push_back(r); }));
  EXPECT_EQ(w.n->txm().next_nonce(), 2u);
  w.sim.run_until(sim::Time::zero() + 25_s);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].nonce, 0u);
  EXPECT_EQ(got[1].nonce, 1u);
  EXPECT_EQ(got[0].block_number, 2u);
  EXPECT_EQ(w.n->eth_spent(), got[0].fee() + got[1].fee());
  EXPECT_EQ(w.n->eth_balance(), node::NodeConfig{}.eth_balance - w.n->eth_spent());
  EXPECT_EQ(w.attempts.size(), 2u);
}

TEST(TxManager, BumpsAStuckTxAfterThreeBlocks) {
  World w;
  w.sim.run_until(sim::Time::zero() + 13_s);  // head = block 1
  std::vector<chain::Receipt> got;
  ASSERT_TRUE(w.n->txm().send(w.inc(), [&](const chain::Receipt& r) { got.push_back(r); }));
  ASSERT_EQ(w.attempts.size(), 1u);
  const node::TxAttempt first = w.attempts[0];
  EXPECT_LT(first.fee.fee_cap, 10 * chain::kGwei);
  w.ch.spike_base_fee(10.0);  // the base fee jumps above the tx's fee cap: stuck
  w.sim.run_until(sim::Time::zero() + 37_s);  // blocks 2, 3: no bump yet
  EXPECT_EQ(w.attempts.size(), 1u);
  w.sim.run_until(sim::Time::zero() + 49_s);  // block 4 = broadcast block 1 + BumpThreshold 3
  ASSERT_EQ(w.attempts.size(), 2u);
  const node::TxAttempt second = w.attempts[1];
  EXPECT_EQ(second.nonce, first.nonce);
  EXPECT_EQ(second.bump, 1u);
  EXPECT_EQ(second.broadcast_block, 4u);
  EXPECT_GE(second.fee.fee_cap, first.fee.fee_cap * 12 / 10);           // BumpPercent 20
  EXPECT_GE(second.fee.tip_cap, first.fee.tip_cap + 5 * chain::kGwei);  // BumpMin 5 gwei
  EXPECT_EQ(w.ch.state(first.hash), chain::TxState::replaced);
  w.sim.run_until(sim::Time::zero() + 61_s);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].hash, second.hash);
  EXPECT_EQ(got[0].base_fee, w.ch.block(got[0].block_number)->base_fee);
  EXPECT_GE(got[0].effective_gas_price, 10 * chain::kGwei);
}

TEST(TxManager, ABaseFeeAboveFeeCapDefaultIsPaid) {
  // facts §6: nothing caps a BlockHistory node's fees at FeeCapDefault (100 gwei); it bumps until included.
  World w;
  w.sim.run_until(sim::Time::zero() + 13_s);
  std::vector<chain::Receipt> got;
  ASSERT_TRUE(w.n->txm().send(w.inc(), [&](const chain::Receipt& r) { got.push_back(r); }));
  w.ch.spike_base_fee(150.0);  // the flat chain's 1 gwei -> 150 gwei
  w.sim.run_until(sim::Time::zero() + 5_min);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_GT(got[0].base_fee, 100 * chain::kGwei);
}

TEST(TxManager, BumpingStopsAtPriceMax) {
  World w;
  w.sim.run_until(sim::Time::zero() + 13_s);
  std::vector<chain::Receipt> got;
  ASSERT_TRUE(w.n->txm().send(w.inc(), [&](const chain::Receipt& r) { got.push_back(r); }));
  w.ch.spike_base_fee(200'000.0);  // 1 gwei -> 200,000 gwei, above PriceMax 100,000 gwei
  w.sim.run_until(sim::Time::zero() + 60_min);
  ASSERT_GE(w.attempts.size(), 2u);
  EXPECT_EQ(w.attempts.back().fee.fee_cap, 100'000 * chain::kGwei);  // facts §6: PriceMax '100 micro' 
  for (std::size_t i = 1; i < w.attempts.size(); ++i) EXPECT_GT(w.attempts[i].fee.fee_cap, w.attempts[i - 1].fee.fee_cap);
  const std::size_t n_attempts = w.attempts.size();
  EXPECT_TRUE(got.empty());
  w.ch.spike_base_fee(1.0 / 200'000.0);  // back to 1 gwei
  w.sim.run_until(sim::Time::zero() + 61_min);
  EXPECT_EQ(w.attempts.size(), n_attempts);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].hash, w.attempts.back().hash);
}

TEST(TxManager, RecoversNonceAndPendingTxsAfterACrash) {
  World w;
  w.sim.run_until(sim::Time::zero() + 13_s);
  ASSERT_TRUE(w.n->txm().send(w.inc()));
  w.sim.run_until(sim::Time::zero() + 25_s);  // nonce 0 included
  w.ch.spike_base_fee(200.0);                 // what follows gets stuck
  ASSERT_TRUE(w.n->txm().send(w.inc()));
  ASSERT_TRUE(w.n->txm().send(w.inc()));
  EXPECT_EQ(w.n->txm().in_flight(), 3u);
  w.n->crash();
  EXPECT_FALSE(w.n->up());
  EXPECT_EQ(w.n->txm().in_flight(), 0u);
  EXPECT_FALSE(w.n->txm().send(w.inc()));  // down
  w.sim.run_until(sim::Time::zero() + 2_min);
  w.n->restart();
  EXPECT_EQ(w.n->txm().next_nonce(), 3u);  // account nonce 1 + two pending in the mempool
  EXPECT_EQ(w.n->txm().unconfirmed(), 2u);
  EXPECT_EQ(w.n->txm().estimator().history(), 4u);
  w.ch.spike_base_fee(0.01);
  ASSERT_TRUE(w.n->txm().send(w.inc()));
  w.sim.run_until(sim::Time::zero() + 10_min);
  EXPECT_EQ(w.ch.nonce(w.n->address()), 4u);
  EXPECT_EQ(w.ch.contract<Counter>(w.counter)->state().value, 4u);
}

TEST(ChainlinkNode, CreditsLink) {
  World w;
  std::vector<chain::Amount> credited;
  auto c = w.n->link_credited.connect([&](const std::string&, const chain::Amount& a) { credited.push_back(a); });
  w.n->credit_link(100'000'000'000'000'000);  // 0.1 LINK in juels
  w.n->credit_link(100'000'000'000'000'000);
  EXPECT_EQ(w.n->link_earned(), chain::Amount{200'000'000'000'000'000});
  EXPECT_EQ(credited.size(), 2u);
}

TEST(TxManager, AtMostMaxInFlightUnconfirmedTheRestQueuedInOrder) {
  // facts §6: MaxInFlightTransactions 16, MaxQueuedTransactions 250 (here 2 and 3, to see both).
  sim::Simulation sim(1);
  chain::Chain ch(sim, flat_chain());
  const chain::Address counter = ch.deploy("counter", std::make_shared<Counter>());
  ch.start();
  node::NodeConfig cfg;
  cfg.max_in_flight = 2;
  cfg.max_queued = 3;
  node::ChainlinkNode n(sim, ch, "node-0", cfg);
  auto inc = [&] {
    return node::TxRequest{counter, 100'000, chain::CalldataBuilder{}.selector().build(),
                           [](chain::ExecContext& c) { c.self_as<Counter>().inc(c); }, "test/inc"};
  };
  std::vector<std::uint64_t> included;
  std::vector<std::string> errors;
  sim::Connection e = n.txm().send_failed.connect([&](const node::TxSendError& err) { errors.push_back(err.error); });
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(n.txm().send(inc(), [&](const chain::Receipt& r) { included.push_back(r.nonce); }));
  EXPECT_EQ(n.txm().unconfirmed(), 2u);
  EXPECT_EQ(n.txm().queued(), 3u);
  EXPECT_FALSE(n.txm().send(inc()));  // the queue is full
  ASSERT_EQ(errors, std::vector<std::string>{"queue full"});
  sim.run_until(sim::Time::zero() + 2_min);
  EXPECT_EQ(included, (std::vector<std::uint64_t>{0, 1, 2, 3, 4}));  // every queued tx, in order
  EXPECT_EQ(n.txm().queued(), 0u);
}
