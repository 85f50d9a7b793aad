#include "models/contracts/flux_aggregator.hpp"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

using namespace models;
using namespace models::contracts;
using namespace sim::literals;

namespace {

struct Bench {
  chain::ContractRegistry reg;
  std::vector<chain::Address> nodes;
  std::shared_ptr<FluxAggregator> agg;
  chain::Address agg_addr;
  chain::Address stranger;

  Bench(int n, FluxAggregatorConfig cfg) {
    for (int i = 0; i < n; ++i) nodes.push_back(reg.create_account("node-" + std::to_string(i)));
    stranger = reg.create_account("stranger");
    agg = std::make_shared<FluxAggregator>(cfg, nodes);
    agg_addr = reg.deploy("flux", agg);
  }
  chain::ExecResult submit_from(chain::Address from, std::uint32_t rid, std::int64_t answer, sim::Time at) {
    chain::Transaction tx{.from = from, .to = agg_addr, .nonce = 0, .gas_limit = 2'000'000, .max_fee = 0, .max_priority_fee = 0,
                          .calldata = FluxAggregator::submit_calldata(rid, answer),
                          .call = [rid, answer](chain::ExecContext& c) { c.self_as<FluxAggregator>().submit(c, rid, answer); },
                          .label = "flux/submit"};
    return chain::execute_transaction(reg, tx, chain::BlockInfo{.number = 1, .timestamp = at, .base_fee = 0});
  }
  chain::ExecResult submit(int i, std::uint32_t rid, std::int64_t answer, sim::Time at) {
    return submit_from(nodes[static_cast<std::size_t>(i)], rid, answer, at);
  }
  chain::ExecResult change(std::vector<chain::Address> removed, std::vector<chain::Address> added, std::uint32_t min,
                           std::uint32_t max, std::uint32_t delay = 0) {
    chain::Transaction tx{.from = stranger, .to = agg_addr, .nonce = 0, .gas_limit = 5'000'000, .max_fee = 0, .max_priority_fee = 0,
                          .calldata = FluxAggregator::change_oracles_calldata(removed.size(), added.size()),
                          .call = [removed, added, min, max, delay](chain::ExecContext& c) {
                            c.self_as<FluxAggregator>().change_oracles(c, removed, added, min, max, delay);
                          },
                          .label = "flux/change-oracles"};
    return chain::execute_transaction(reg, tx, chain::BlockInfo{.number = 1, .timestamp = at_(100), .base_fee = 0});
  }
  static sim::Time at_(int s) { return sim::Time::from_seconds(s); }
};

FluxAggregatorConfig cfg_of(std::uint32_t min, std::uint32_t max, std::uint32_t delay = 0) {
  FluxAggregatorConfig c;
  c.min_submissions = min;
  c.max_submissions = max;
  c.restart_delay = delay;
  c.timeout = 10_min;
  return c;
}

sim::Time at(sim::Duration d) { return sim::Time::zero() + d; }

chain::Gas category(const chain::ExecResult& r, const std::string& name) {
  for (const auto& [n, g] : r.breakdown)
    if (n == name) return g;
  return 0;
}

}  // namespace

TEST(FluxAggregator, RoundCompletesWithTheMedianAndPaysEachSubmitter) {
  Bench b(3, cfg_of(3, 3));
  EXPECT_FALSE(b.agg->latest_round_data().has_value());
  const auto r0 = b.submit(0, 1, 300'000'000'000, at(1_s));
  ASSERT_EQ(r0.status, chain::TxStatus::success) << r0.revert_reason;
  EXPECT_EQ(b.agg->reporting_round(), 1u);
  EXPECT_FALSE(b.agg->latest_round_data().has_value());  // 1 of min 3
  EXPECT_EQ(b.submit(1, 1, 302'000'000'000, at(2_s)).status, chain::TxStatus::success);
  const auto r2 = b.submit(2, 1, 299'000'000'000, at(3_s));
  ASSERT_EQ(r2.status, chain::TxStatus::success) << r2.revert_reason;
  const auto rd = b.agg->latest_round_data();
  ASSERT_TRUE(rd.has_value());
  EXPECT_EQ(static_cast<std::uint64_t>(rd->round_id), 1u);
  EXPECT_EQ(rd->answer, 300'000'000'000);
  EXPECT_EQ(rd->started_at, at(1_s));
  EXPECT_EQ(rd->updated_at, at(3_s));
  EXPECT_EQ(static_cast<std::uint64_t>(rd->answered_in_round), 1u);
  for (auto n : b.nodes) EXPECT_EQ(b.agg->withdrawable(n), Juels{100'000'000'000'000'000ULL});
  EXPECT_EQ(b.agg->available_funds(), Juels{1'000'000} * kJuelsPerLink - Juels{300'000'000'000'000'000ULL});
  EXPECT_EQ(b.agg->submissions_in(1), 0u);  // closed at maxSubmissions
}

TEST(FluxAggregator, EligibilityRulesRevertWithTheOriginalReasons) {
  Bench b(4, cfg_of(2, 4));
  EXPECT_EQ(b.submit_from(b.stranger, 1, 100, at(1_s)).revert_reason, "not enabled oracle");
  EXPECT_EQ(b.submit(0, 2, 100, at(1_s)).revert_reason, "invalid round to report");
  EXPECT_EQ(b.submit(0, 1, 0, at(1_s)).revert_reason, "value below minSubmissionValue");
  ASSERT_EQ(b.submit(0, 1, 100, at(1_s)).status, chain::TxStatus::success);
  EXPECT_EQ(b.submit(0, 1, 100, at(2_s)).revert_reason, "cannot report on previous rounds");
  EXPECT_EQ(b.submit(1, 2, 100, at(2_s)).revert_reason, "previous round not supersedable");  // round 1 unanswered
  const auto failed = b.submit(1, 2, 100, at(2_s));
  EXPECT_EQ(failed.status, chain::TxStatus::reverted);
  EXPECT_GT(failed.gas_used, 21'000u);  // a revert still costs gas
  EXPECT_EQ(b.agg->reporting_round(), 1u);  // and changes nothing
  ASSERT_EQ(b.submit(1, 1, 110, at(3_s)).status, chain::TxStatus::success);
  EXPECT_EQ(b.agg->latest_answer(), 105);  // even count: mean of the two middles
  // Round 1 is answered, so it is supersedable: oracle 2 may start round 2 although round 1 is still open.
  const auto r = b.submit(2, 2, 120, at(4_s));
  ASSERT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
  EXPECT_EQ(b.agg->reporting_round(), 2u);
  // Oracle 3 may still report in round 1 (the previous round, while round 2 is unanswered).
  EXPECT_EQ(b.submit(3, 1, 130, at(5_s)).status, chain::TxStatus::success);
  EXPECT_EQ(b.agg->get_round_data(1)->answer, 110);  // median of 100, 110, 130
}

TEST(FluxAggregator, RestartDelayStopsAnOracleStartingRoundsBackToBack) {
  Bench b(3, cfg_of(1, 3, 1));
  ASSERT_EQ(b.submit(0, 1, 100, at(1_s)).status, chain::TxStatus::success);  // starts round 1, answers it
  EXPECT_EQ(b.submit(0, 2, 100, at(2_s)).revert_reason, "round not accepting submissions");
  ASSERT_EQ(b.submit(1, 2, 101, at(3_s)).status, chain::TxStatus::success);  // another oracle may start it
  EXPECT_EQ(b.agg->reporting_round(), 2u);
  ASSERT_EQ(b.submit(0, 2, 102, at(4_s)).status, chain::TxStatus::success);  // and oracle 0 joins
  ASSERT_EQ(b.submit(0, 3, 103, at(5_s)).status, chain::TxStatus::success);  // two rounds later it may start again
  EXPECT_EQ(b.agg->reporting_round(), 3u);
}

TEST(FluxAggregator, TimedOutRoundIsClosedWithThePreviousAnswer) {
  Bench b(3, cfg_of(2, 3));
  ASSERT_EQ(b.submit(0, 1, 100, at(1_s)).status, chain::TxStatus::success);
  ASSERT_EQ(b.submit(1, 1, 102, at(2_s)).status, chain::TxStatus::success);  // round 1 answered: 101
  ASSERT_EQ(b.submit(0, 2, 200, at(1_min)).status, chain::TxStatus::success);  // round 2: 1 of min 2
  EXPECT_EQ(b.submit(1, 3, 300, at(5_min)).revert_reason, "previous round not supersedable");
  const auto r = b.submit(1, 3, 300, at(12_min));  // round 2 started at 1 min, timeout 10 min
  ASSERT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
  const auto r2 = b.agg->get_round_data(2);
  ASSERT_TRUE(r2.has_value());
  EXPECT_EQ(r2->answer, 101);
  EXPECT_EQ(static_cast<std::uint64_t>(r2->answered_in_round), 1u);
  EXPECT_EQ(r2->updated_at, at(12_min));
  EXPECT_EQ(b.agg->latest_round(), 1u);  // round 3 has 1 of min 2
}

TEST(FluxAggregator, OracleRoundStateSuggestsTheRoundToSubmitTo) {
  Bench b(3, cfg_of(2, 3));
  auto s = b.agg->oracle_round_state(b.nodes[0], at(0_s));
  EXPECT_TRUE(s.eligible);
  EXPECT_EQ(s.round_id, 1u);
  ASSERT_EQ(b.submit(0, 1, 100, at(1_s)).status, chain::TxStatus::success);
  s = b.agg->oracle_round_state(b.nodes[0], at(2_s));
  EXPECT_FALSE(s.eligible);  // already reported in the open round 1
  EXPECT_EQ(s.round_id, 1u);
  s = b.agg->oracle_round_state(b.nodes[1], at(2_s));
  EXPECT_TRUE(s.eligible);
  EXPECT_EQ(s.round_id, 1u);
  EXPECT_EQ(s.started_at, at(1_s));
  ASSERT_EQ(b.submit(1, 1, 100, at(3_s)).status, chain::TxStatus::success);
  s = b.agg->oracle_round_state(b.nodes[0], at(4_s));
  EXPECT_TRUE(s.eligible);  // round 1 answered: oracle 0 may start round 2
  EXPECT_EQ(s.round_id, 2u);
  EXPECT_FALSE(b.agg->oracle_round_state(b.stranger, at(4_s)).eligible);
}

TEST(FluxAggregator, SubmitGasGrowsWithSubmissionsAlreadyInTheRound) {
  const int n = 31;
  // Answers spread around 3000 USD (varied) or all equal (so only the count changes from one submit to the next).
  for (const bool equal : {true, false}) {
    Bench b(n, cfg_of(1, n));
    std::vector<chain::Gas> gas, median;
    for (int i = 0; i < n - 1; ++i) {  // the last submission (which deletes the round details) is left out
      const std::int64_t answer = equal ? 300'000'000'000 : 300'000'000'000 + (i * 7919) % 1000;
      const auto r = b.submit(i, 1, answer, at(1_s * (i + 1)));
      ASSERT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
      gas.push_back(r.gas_used);
      median.push_back(category(r, "median"));
    }
    EXPECT_GT(gas[0], gas[1]);  // the first submission also starts the round (new storage)
    const std::size_t last = gas.size() - 1;
    if (equal) {
      // Each joining submission costs at least one more cold SLOAD (2,100) per stored submission: they are
      // copied to memory for the median. Even counts select two middles (more compares) than odd ones, so
      // compare counts of the same parity.
      // (An odd count after an even one may cost less: one middle to select instead of two, as the measured
      // contract shows.)
      for (std::size_t k = 3; k <= last; ++k) EXPECT_GE(gas[k], gas[k - 2] + 2 * 2'100) << "k=" << k;
    } else {
      // The median's compute depends on the values, and an unchanged answer is a cheaper store, so single steps
      // vary; the growth over the round is at least the reads.
      for (std::size_t k = 3; k <= last; ++k) EXPECT_GT(gas[k], gas[k - 2]) << "k=" << k;
      EXPECT_GE(gas[last] - gas[1], (last - 1) * 2'100);
    }
    EXPECT_LT(median[1], median[last]);
    // Order of magnitude: a 30th submission costs well above 100k gas (30 reads of submissions alone: ~61k).
    EXPECT_GT(gas[last], 100'000u);
    EXPECT_LT(gas[last], 250'000u);
  }
}

TEST(FluxAggregator, OutOfGasRevertsEverything) {
  Bench b(3, cfg_of(1, 3));
  chain::Transaction tx{.from = b.nodes[0], .to = b.agg_addr, .nonce = 0, .gas_limit = 40'000, .max_fee = 0, .max_priority_fee = 0,
                        .calldata = FluxAggregator::submit_calldata(1, 100),
                        .call = [](chain::ExecContext& c) { c.self_as<FluxAggregator>().submit(c, 1, 100); },
                        .label = "flux/submit"};
  const auto r = chain::execute_transaction(b.reg, tx, chain::BlockInfo{.number = 1, .timestamp = at(1_s), .base_fee = 0});
  EXPECT_EQ(r.status, chain::TxStatus::out_of_gas);
  EXPECT_EQ(r.gas_used, 40'000u);
  EXPECT_EQ(b.agg->reporting_round(), 0u);
  EXPECT_FALSE(b.agg->latest_round_data().has_value());
}

TEST(FluxAggregatorConfig, ValidationNamesTheKey) {
  FluxAggregatorConfig c = cfg_of(3, 2, 5);
  const auto issues = c.validate("feeds[0].flux", 4);
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues.items()[0].path, "feeds[0].flux.max_submissions");
  EXPECT_EQ(issues.items()[1].path, "feeds[0].flux.restart_delay");
  EXPECT_FALSE(cfg_of(1, 1).validate("x", 78).empty());  // MAX_ORACLE_COUNT 77
  EXPECT_THROW(FluxAggregator(cfg_of(1, 5), {chain::Address{1}}), std::invalid_argument);
}

TEST(FluxAggregator, ChangeOraclesFollowsTheRoundRules) {
  Bench b(3, cfg_of(2, 3));  // oracles 0..2; the stranger joins later
  const chain::Address newcomer = b.reg.create_account("newcomer");
  ASSERT_EQ(b.submit(0, 1, 100, at(1_s)).status, chain::TxStatus::success);  // round 1 is reporting
  const auto r = b.change({b.nodes[2]}, {newcomer}, 2, 3);
  ASSERT_EQ(r.status, chain::TxStatus::success) << r.revert_reason;
  EXPECT_EQ(b.agg->oracle_count(), 3u);
  EXPECT_EQ(b.agg->oracles(), (std::vector<chain::Address>{b.nodes[0], b.nodes[1], newcomer}));  // the last took its place
  // The newcomer starts at the round after the reporting one; the removed oracle ends there.
  EXPECT_EQ(b.submit_from(newcomer, 1, 100, at(2_s)).revert_reason, "not yet enabled oracle");
  ASSERT_EQ(b.submit(1, 1, 110, at(3_s)).status, chain::TxStatus::success);  // round 1 answered (min 2)
  ASSERT_EQ(b.submit(2, 1, 120, at(4_s)).status, chain::TxStatus::success);  // removed, still allowed in round 1
  ASSERT_EQ(b.submit_from(newcomer, 2, 130, at(5_s)).status, chain::TxStatus::success);  // starts round 2
  ASSERT_EQ(b.submit(2, 2, 140, at(6_s)).status, chain::TxStatus::success);  // and round 2 (reporting + 1 at removal)
  ASSERT_EQ(b.submit(0, 2, 150, at(7_s)).status, chain::TxStatus::success);
  ASSERT_EQ(b.submit(1, 3, 160, at(8_s)).status, chain::TxStatus::success);  // round 3
  EXPECT_EQ(b.submit(2, 3, 170, at(9_s)).revert_reason, "no longer allowed oracle");
  EXPECT_FALSE(b.agg->oracle_round_state(b.nodes[2], at(9_s)).eligible);
  EXPECT_TRUE(b.agg->oracle_round_state(newcomer, at(9_s)).eligible);
  // What the removed oracle earned stays owed to it.
  EXPECT_EQ(b.agg->withdrawable(b.nodes[2]), Juels{200'000'000'000'000'000ULL});
  EXPECT_EQ(b.agg->total_withdrawable(), b.agg->allocated_funds());
}

TEST(FluxAggregator, ChangeOraclesSetsFutureRoundsAndRefusesWhatTheContractRefuses) {
  Bench b(3, cfg_of(2, 3));
  const chain::Address a = b.reg.create_account("a"), c = b.reg.create_account("c");
  EXPECT_EQ(b.change({b.stranger}, {}, 2, 3).revert_reason, "oracle not enabled");
  EXPECT_EQ(b.change({}, {b.nodes[0]}, 2, 4).revert_reason, "oracle already enabled");
  EXPECT_EQ(b.change({}, {a}, 3, 2).revert_reason, "max must equal/exceed min");
  EXPECT_EQ(b.change({}, {a}, 2, 5).revert_reason, "max cannot exceed total");
  EXPECT_EQ(b.change({}, {a}, 2, 4, 4).revert_reason, "delay cannot exceed total");
  EXPECT_EQ(b.change({}, {a}, 0, 4).revert_reason, "min must be greater than 0");
  EXPECT_EQ(b.agg->oracle_count(), 3u);  // a revert changes nothing
  ASSERT_EQ(b.change({}, {a, c}, 3, 5, 1).status, chain::TxStatus::success);
  EXPECT_EQ(b.agg->round_params().min_submissions, 3u);
  EXPECT_EQ(b.agg->round_params().max_submissions, 5u);
  EXPECT_EQ(b.agg->round_params().restart_delay, 1u);
  // A round started now needs three submissions for an answer.
  ASSERT_EQ(b.submit(0, 1, 100, at(1_s)).status, chain::TxStatus::success);
  ASSERT_EQ(b.submit_from(a, 1, 110, at(2_s)).status, chain::TxStatus::success);
  EXPECT_FALSE(b.agg->latest_round_data().has_value());
  ASSERT_EQ(b.submit_from(c, 1, 120, at(3_s)).status, chain::TxStatus::success);
  EXPECT_EQ(b.agg->latest_answer(), 110);
}
