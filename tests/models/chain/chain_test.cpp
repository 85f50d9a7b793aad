#include "models/chain/chain.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace chain = models::chain;
using namespace sim::literals;

namespace {
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
  void spin(chain::ExecContext& c) {
    ++state_.value;
    for (;;) c.gas().charge(chain::gas::kHigh, "loop");
  }
};

chain::ChainConfig quiet_config() {
  chain::ChainConfig c;
  c.missed_slot_probability = 0;
  return c;
}

struct Fixture {
  explicit Fixture(const chain::ChainConfig& cfg, std::uint64_t seed = 1) : sim(seed), ch(sim, cfg) {
    me = ch.create_account("node-0", 10 * chain::kEther);
    counter = ch.deploy("counter", std::make_shared<Counter>());
    ch.start();
  }
  chain::Transaction inc_tx(std::uint64_t nonce, chain::Wei max_fee = 100 * chain::kGwei,
                            chain::Wei tip = 2 * chain::kGwei) {
    chain::Transaction t;
    t.from = me;
    t.to = counter;
    t.nonce = nonce;
    t.gas_limit = 100'000;
    t.max_fee = max_fee;
    t.max_priority_fee = tip;
    t.calldata = chain::CalldataBuilder{}.selector().build();
    t.call = [](chain::ExecContext& c) { c.self_as<Counter>().inc(c); };
    t.label = "test/inc";
    return t;
  }
  sim::Simulation sim;
  chain::Chain ch;
  chain::Address me;
  chain::Address counter;
};
}  // namespace

TEST(Chain, ValidatesItsConfig) {
  EXPECT_TRUE(chain::validate(chain::ChainConfig{}).empty());
  chain::ChainConfig bad;
  bad.slot = sim::Duration{};
  bad.reorg.max_depth = 60;
  bad.demand.persistence = 1.0;
  const auto issues = chain::validate(bad);
  std::vector<std::string> paths;
  for (const auto& i : issues.items()) paths.push_back(i.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"chain.slot", "chain.demand.persistence", "chain.propagation_delay",
                                             "chain.reorg.max_depth"}));
}

TEST(Chain, ProducesOneBlockPerSlotWithSpecBaseFees) {
  Fixture f(quiet_config());
  std::vector<chain::Block> blocks;
  auto c = f.ch.block_produced.connect([&](const chain::Block& b) { blocks.push_back(b); });
  f.sim.run_until(sim::Time::zero() + 120_s);
  ASSERT_EQ(blocks.size(), 10u);
  EXPECT_EQ(blocks[0].base_fee, chain::kGwei);  // facts §6: initial base fee
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    EXPECT_EQ(blocks[i].number, i + 1);
    EXPECT_EQ(blocks[i].timestamp, sim::Time::zero() + 12_s * static_cast<std::int64_t>(i + 1));
    if (i > 0) {
      EXPECT_EQ(blocks[i].base_fee, chain::next_base_fee(blocks[i - 1].base_fee, blocks[i - 1].gas_used, 30'000'000));
    }
    EXPECT_LE(blocks[i].gas_used, 30'000'000u);
  }
}

TEST(Chain, IncludesATxChargesItAndBurnsTheBaseFee) {
  Fixture f(quiet_config());
  const auto before = f.ch.balance(f.me);
  const auto sub = f.ch.submit(f.inc_tx(0));
  ASSERT_TRUE(sub.accepted) << sub.error;
  std::vector<chain::Receipt> got;
  auto c = f.ch.tx_included.connect([&](const chain::Receipt& r) { got.push_back(r); });
  f.sim.run_until(sim::Time::zero() + 12_s);
  ASSERT_EQ(got.size(), 1u);
  const chain::Receipt& r = got[0];
  EXPECT_EQ(r.hash, sub.hash);
  EXPECT_EQ(r.status, chain::TxStatus::success);
  EXPECT_EQ(r.block_number, 1u);
  EXPECT_EQ(r.gas_used, 21'000u + 4 * 16 + 2'100 + 20'000);
  EXPECT_EQ(r.effective_gas_price, chain::kGwei + 2 * chain::kGwei);
  EXPECT_EQ(f.ch.balance(f.me), before - r.fee());
  EXPECT_EQ(f.ch.nonce(f.me), 1u);
  EXPECT_EQ(f.ch.contract<Counter>(f.counter)->state().value, 1u);
  EXPECT_EQ(f.ch.state(sub.hash), chain::TxState::included);
  EXPECT_EQ(f.ch.burned(), chain::Amount{f.ch.head()->gas_used} * chain::kGwei);
  f.sim.run_until(sim::Time::zero() + 36_s);
  EXPECT_EQ(f.ch.confirmations(sub.hash), 3u);
}

TEST(Chain, OutOfGasRevertsAndStillCosts) {
  Fixture f(quiet_config());
  auto tx = f.inc_tx(0);
  tx.call = [](chain::ExecContext& c) { c.self_as<Counter>().spin(c); };
  const auto sub = f.ch.submit(tx);
  ASSERT_TRUE(sub.accepted);
  const auto before = f.ch.balance(f.me);
  f.sim.run_until(sim::Time::zero() + 12_s);
  const chain::Receipt* r = f.ch.receipt(sub.hash);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->status, chain::TxStatus::out_of_gas);
  EXPECT_EQ(r->gas_used, 100'000u);
  EXPECT_EQ(f.ch.balance(f.me), before - chain::Amount{100'000} * r->effective_gas_price);
  EXPECT_EQ(f.ch.contract<Counter>(f.counter)->state().value, 0u);
  EXPECT_EQ(f.ch.nonce(f.me), 1u);
}

TEST(Chain, RejectsInvalidSubmissions) {
  Fixture f(quiet_config());
  auto low = f.inc_tx(0);
  low.gas_limit = 20'000;
  EXPECT_EQ(f.ch.submit(low).error, "intrinsic gas too low");
  auto poor = f.inc_tx(0);
  poor.from = f.ch.create_account("poor");
  EXPECT_EQ(f.ch.submit(poor).error, "insufficient funds for gas * price");
  EXPECT_EQ(f.ch.submit(f.inc_tx(0, 1, 2)).error, "max priority fee per gas higher than max fee per gas");
  ASSERT_TRUE(f.ch.submit(f.inc_tx(0)).accepted);
  EXPECT_EQ(f.ch.submit(f.inc_tx(0)).error, "replacement transaction underpriced");
  f.sim.run_until(sim::Time::zero() + 12_s);
  EXPECT_EQ(f.ch.submit(f.inc_tx(0, 200 * chain::kGwei, 5 * chain::kGwei)).error, "nonce too low");
}

TEST(Chain, ReplacementDropsTheOldAttempt) {
  Fixture f(quiet_config());
  const auto a = f.ch.submit(f.inc_tx(0, 10 * chain::kGwei, 1));
  std::vector<chain::TxDropped> dropped;
  auto c = f.ch.tx_dropped.connect([&](const chain::TxDropped& d) { dropped.push_back(d); });
  const auto b = f.ch.submit(f.inc_tx(0, 12 * chain::kGwei, 2));
  ASSERT_TRUE(b.accepted);
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(dropped[0].hash, a.hash);
  EXPECT_EQ(dropped[0].replaced_by, b.hash);
  EXPECT_EQ(f.ch.state(a.hash), chain::TxState::replaced);
  f.sim.run_until(sim::Time::zero() + 12_s);
  EXPECT_EQ(f.ch.state(b.hash), chain::TxState::included);
}

TEST(Chain, FeeCapBelowBaseFeeWaits) {
  Fixture f(quiet_config());
  f.ch.spike_base_fee(10.0);
  EXPECT_EQ(f.ch.next_base_fee(), 10 * chain::kGwei);
  const auto sub = f.ch.submit(f.inc_tx(0, 5 * chain::kGwei, 1));
  f.sim.run_until(sim::Time::zero() + 12_s);
  EXPECT_EQ(f.ch.state(sub.hash), chain::TxState::pending);
  EXPECT_EQ(f.ch.head()->base_fee, 10 * chain::kGwei);
}

TEST(Chain, HaltStopsBlocksAndCongestionRaisesTheFee) {
  Fixture f(quiet_config());
  f.sim.run_until(sim::Time::zero() + 60_s);
  EXPECT_EQ(f.ch.head_number(), 5u);
  f.ch.halt();
  f.sim.run_until(sim::Time::zero() + 120_s);
  EXPECT_EQ(f.ch.head_number(), 5u);
  f.ch.resume();
  // Mean log base fee over an hour, calm then congested.
  double sum = 0;
  int n = 0;
  auto c = f.ch.block_produced.connect([&](const chain::Block& b) {
    sum += std::log(static_cast<double>(b.base_fee));
    ++n;
  });
  auto mean_log_over_hour = [&] {
    sum = 0;
    n = 0;
    f.sim.run_until(f.sim.now() + 1_h);
    return sum / n;
  };
  f.sim.run_until(sim::Time::zero() + 1_h);
  const double calm = mean_log_over_hour();
  f.ch.set_demand_multiplier(3.0);
  f.sim.run_until(f.sim.now() + 10_min);  // let the fee climb
  const double congested = mean_log_over_hour();
  // With elasticity 1 the equilibrium fee triples (log 3 = 1.10); allow for the noise.
  EXPECT_GT(congested - calm, std::log(2.0));
  EXPECT_LT(congested - calm, std::log(4.5));
}

TEST(Chain, BaseFeeWandersRealisticallyOverADay) {
  Fixture f(chain::ChainConfig{});
  chain::Wei lo = ~chain::Wei{0}, hi = 0;
  std::uint64_t ups = 0, downs = 0;
  chain::Wei prev = 0;
  auto c = f.ch.block_produced.connect([&](const chain::Block& b) {
    lo = std::min(lo, b.base_fee);
    hi = std::max(hi, b.base_fee);
    if (prev != 0) (b.base_fee > prev ? ups : downs) += 1;
    prev = b.base_fee;
  });
  f.sim.run_until(sim::Time::zero() + 24_h);
  EXPECT_GT(f.ch.produced_blocks(), 7000u);
  EXPECT_GT(f.ch.missed_slots(), 20u);  // ~1% of 7200
  EXPECT_GT(ups, 2000u);
  EXPECT_GT(downs, 2000u);
  EXPECT_GT(lo, chain::kGwei / 4);
  EXPECT_LT(hi, 4 * chain::kGwei);
  EXPECT_GT(hi, lo + lo / 2);  // it does move
}

TEST(Chain, ReorgReincludesTheTx) {
  chain::ChainConfig cfg = quiet_config();
  cfg.reorg.probability = 0.3;
  cfg.reorg.max_depth = 2;
  Fixture f(cfg, 7);
  std::uint64_t includes = 0, undone = 0;
  auto c1 = f.ch.tx_included.connect([&](const chain::Receipt&) { ++includes; });
  auto c2 = f.ch.reorged.connect([&](const chain::Reorg& rg) {
    for (const auto& r : rg.undone) {
      ++undone;
      EXPECT_EQ(f.ch.state(r.hash), chain::TxState::pending);  // back in the mempool
    }
    // Contract state and the account nonce are back to the common ancestor's.
    EXPECT_EQ(f.ch.contract<Counter>(f.counter)->state().value, f.ch.nonce(f.me));
  });
  std::vector<chain::TxHash> sent;
  for (std::uint64_t n = 0; n < 30; ++n) {
    sent.push_back(f.ch.submit(f.inc_tx(n)).hash);
    f.sim.run_until(f.sim.now() + 12_s);
  }
  f.sim.run_until(f.sim.now() + 120_s);
  ASSERT_GT(undone, 0u) << "no reorg hit a tx; pick another seed";
  EXPECT_EQ(includes, sent.size() + undone);  // every undone tx was included again
  chain::Amount fees = 0;
  for (const auto h : sent) {
    EXPECT_EQ(f.ch.state(h), chain::TxState::included);
    fees += f.ch.receipt(h)->fee();
  }
  EXPECT_EQ(f.ch.contract<Counter>(f.counter)->state().value, sent.size());
  EXPECT_EQ(f.ch.nonce(f.me), sent.size());
  EXPECT_EQ(f.ch.fees_paid(f.me), fees);  // undone blocks' fees were refunded
}

TEST(Chain, SameSeedSameChain) {
  auto trace = [](std::uint64_t seed) {
    chain::ChainConfig cfg;
    cfg.reorg.probability = 0.05;
    Fixture f(cfg, seed);
    std::vector<std::uint64_t> out;
    auto c = f.ch.block_produced.connect([&](const chain::Block& b) {
      out.push_back(b.number);
      out.push_back(b.base_fee);
      out.push_back(b.gas_used);
      out.push_back(static_cast<std::uint64_t>(b.timestamp.ns()));
    });
    for (std::uint64_t n = 0; n < 5; ++n) f.ch.submit(f.inc_tx(n));
    f.sim.run_until(sim::Time::zero() + 2_h);
    return out;
  };
  EXPECT_EQ(trace(3), trace(3));
  EXPECT_NE(trace(3), trace(4));
}
