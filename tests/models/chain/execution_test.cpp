#include "models/chain/execution.hpp"

#include <gtest/gtest.h>

namespace chain = models::chain;

namespace {
struct CounterState {
  std::uint64_t value = 0;
};
struct Incremented {
  std::uint64_t value;
};
// A minimal contract: increments a stored counter, optionally reverting afterwards.
class Counter : public chain::StatefulContract<CounterState> {
 public:
  void inc(chain::ExecContext& c, bool fail) {
    const chain::SlotKey k{address(), chain::slot_of(1)};
    c.gas().sload(k);
    c.gas().sstore(k, state_.value, state_.value + 1);
    ++state_.value;
    c.emit({.event = "Incremented", .topics = 1, .data_bytes = 32, .payload = Incremented{state_.value}});
    c.require(!fail, "asked to fail");
  }
  // Burns gas in a loop.
  void spin(chain::ExecContext& c, int n) {
    ++state_.value;
    for (int i = 0; i < n; ++i) c.gas().charge(chain::gas::kHigh, "loop");
  }
};

chain::Transaction tx_to(chain::Address from, chain::Address to, chain::Gas limit, chain::CallFn fn) {
  chain::Transaction t;
  t.from = from;
  t.to = to;
  t.gas_limit = limit;
  t.calldata = chain::CalldataBuilder{}.selector().uint(1).build();
  t.call = std::move(fn);
  return t;
}
}  // namespace

TEST(Execution, SuccessChargesIntrinsicCalldataAndWork) {
  chain::ContractRegistry reg;
  const auto me = reg.create_account("node-0");
  const auto ctr = reg.deploy("counter", std::make_shared<Counter>());
  const auto tx = tx_to(me, ctr, 100'000, [](chain::ExecContext& c) { c.self_as<Counter>().inc(c, false); });
  const auto r = chain::execute_transaction(reg, tx, {.number = 1});
  ASSERT_EQ(r.status, chain::TxStatus::success);
  const chain::Gas expected = 21'000 + tx.calldata.cost() + 2'100 + 20'000 + (375 + 375 + 32 * 8);
  EXPECT_EQ(r.gas_used, expected);
  ASSERT_EQ(r.logs.size(), 1u);
  EXPECT_EQ(r.logs[0].emitter, ctr);
  EXPECT_EQ(std::any_cast<Incremented>(r.logs[0].payload).value, 1u);
  EXPECT_EQ(reg.find_as<Counter>(ctr)->state().value, 1u);
}

TEST(Execution, RevertUndoesStateDropsLogsAndPaysGasUsed) {
  chain::ContractRegistry reg;
  const auto me = reg.create_account("node-0");
  const auto ctr = reg.deploy("counter", std::make_shared<Counter>());
  const auto tx = tx_to(me, ctr, 100'000, [](chain::ExecContext& c) { c.self_as<Counter>().inc(c, true); });
  const auto r = chain::execute_transaction(reg, tx, {.number = 1});
  EXPECT_EQ(r.status, chain::TxStatus::reverted);
  EXPECT_EQ(r.revert_reason, "asked to fail");
  EXPECT_TRUE(r.logs.empty());
  EXPECT_EQ(reg.find_as<Counter>(ctr)->state().value, 0u);
  EXPECT_EQ(r.gas_used, 21'000 + tx.calldata.cost() + 2'100 + 20'000 + (375 + 375 + 32 * 8));
}

TEST(Execution, OutOfGasRevertsAndCostsTheWholeLimit) {
  chain::ContractRegistry reg;
  const auto me = reg.create_account("node-0");
  const auto ctr = reg.deploy("counter", std::make_shared<Counter>());
  const auto tx = tx_to(me, ctr, 30'000, [](chain::ExecContext& c) { c.self_as<Counter>().spin(c, 100'000); });
  const auto r = chain::execute_transaction(reg, tx, {.number = 1});
  EXPECT_EQ(r.status, chain::TxStatus::out_of_gas);
  EXPECT_EQ(r.gas_used, 30'000u);
  EXPECT_EQ(reg.find_as<Counter>(ctr)->state().value, 0u);
  // The same work with enough gas succeeds and costs what the loop ran.
  const auto ok = tx_to(me, ctr, 100'000, [](chain::ExecContext& c) { c.self_as<Counter>().spin(c, 100); });
  const auto r2 = chain::execute_transaction(reg, ok, {.number = 2});
  EXPECT_EQ(r2.status, chain::TxStatus::success);
  EXPECT_EQ(r2.gas_used, 21'000 + ok.calldata.cost() + 100u * 10);
}

TEST(Execution, ContextSeesGasPriceAndGasLeft) {
  chain::ContractRegistry reg;
  const auto me = reg.create_account("node-0");
  const auto ctr = reg.deploy("counter", std::make_shared<Counter>());
  auto tx = tx_to(me, ctr, 100'000, [](chain::ExecContext& c) {
    c.require(c.gas_price() == 50 + 7, "tx.gasprice is base fee + effective tip");
    c.require(c.gas_left() == c.gas().limit() - c.gas().used(), "gasleft");
    c.require(c.timestamp() == sim::Time::from_seconds(24), "block.timestamp");
  });
  tx.max_fee = 1'000;
  tx.max_priority_fee = 7;
  const auto r = chain::execute_transaction(reg, tx, {.number = 2, .timestamp = sim::Time::from_seconds(24), .base_fee = 50});
  EXPECT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
}

TEST(Execution, NestedCallSenderAndCaughtRevert) {
  chain::ContractRegistry reg;
  const auto me = reg.create_account("node-0");
  const auto a = reg.deploy("a", std::make_shared<Counter>());
  const auto b = reg.deploy("b", std::make_shared<Counter>());
  chain::Address seen_sender{};
  const auto tx = tx_to(me, a, 200'000, [&](chain::ExecContext& c) {
    c.self_as<Counter>().inc(c, false);
    const auto out = c.call(b, [&](chain::ExecContext& in) {
      seen_sender = in.sender();
      in.self_as<Counter>().inc(in, true);
    }, /*catch_revert=*/true);
    c.require(!out.ok && out.reason == "asked to fail", "expected a caught revert");
  });
  const auto r = chain::execute_transaction(reg, tx, {.number = 1});
  ASSERT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
  EXPECT_EQ(seen_sender, a);
  EXPECT_EQ(reg.find_as<Counter>(a)->state().value, 1u);
  EXPECT_EQ(reg.find_as<Counter>(b)->state().value, 0u);  // callee undone
  EXPECT_EQ(r.logs.size(), 1u);                            // only a's event
  EXPECT_EQ(r.pre_state.size(), 1u);                       // b's change was undone inside the tx
}

TEST(Execution, UncaughtNestedRevertUndoesBothContracts) {
  chain::ContractRegistry reg;
  const auto me = reg.create_account("node-0");
  const auto a = reg.deploy("a", std::make_shared<Counter>());
  const auto b = reg.deploy("b", std::make_shared<Counter>());
  const auto tx = tx_to(me, a, 200'000, [&](chain::ExecContext& c) {
    c.self_as<Counter>().inc(c, false);
    c.call(b, [&](chain::ExecContext& in) { in.self_as<Counter>().inc(in, false); });
    c.revert("late failure");
  });
  const auto r = chain::execute_transaction(reg, tx, {.number = 1});
  EXPECT_EQ(r.status, chain::TxStatus::reverted);
  EXPECT_EQ(reg.find_as<Counter>(a)->state().value, 0u);
  EXPECT_EQ(reg.find_as<Counter>(b)->state().value, 0u);
}
