#include "models/ocr/transmission.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "tests/models/ocr/ocr_test_util.hpp"

using namespace models::ocr;
using namespace sim::literals;

// Expected permutations from an independent Python implementation of the documented keyed Fisher-Yates shuffle.
TEST(TransmissionOrder, PinnedPermutations) {
  OcrConfig cfg;
  EXPECT_EQ(transmission_order(4, cfg.transmission_key, cfg.config_digest, {1, 1}), (std::vector<int>{3, 0, 1, 2}));
  EXPECT_EQ(transmission_order(7, cfg.transmission_key, cfg.config_digest, {3, 2}),
            (std::vector<int>{3, 2, 4, 1, 5, 0, 6}));
}

TEST(TransmissionOrder, IsAPermutationAndChangesWithTheRound) {
  OcrConfig cfg;
  int differ = 0;
  auto prev = transmission_order(31, cfg.transmission_key, cfg.config_digest, {1, 1});
  for (Round r = 2; r <= 20; ++r) {
    auto pi = transmission_order(31, cfg.transmission_key, cfg.config_digest, {1, r});
    auto sorted = pi;
    std::sort(sorted.begin(), sorted.end());
    std::vector<int> expect(31);
    std::iota(expect.begin(), expect.end(), 0);
    EXPECT_EQ(sorted, expect);
    if (pi != prev) ++differ;
    prev = pi;
  }
  EXPECT_EQ(differ, 19);
  // First-stage transmitter is spread over the oracles.
  std::vector<int> first(31, 0);
  for (Epoch e = 1; e <= 3100; ++e) {
    auto pi = transmission_order(31, cfg.transmission_key, cfg.config_digest, {e, 1});
    ++first[static_cast<std::size_t>(std::find(pi.begin(), pi.end(), 0) - pi.begin())];
  }
  for (int c : first) {
    EXPECT_GT(c, 50);
    EXPECT_LT(c, 160);
  }
}

// pi for (1, 1), n = 4 is [3, 0, 1, 2] (oracle 0 at position 3, ...), delta_stage = 10 s.
TEST(TransmitDelay, StagesFromTheSchedule) {
  OcrConfig cfg = test_util::small_config();
  // S = [1, 1, 1, 1]: oracle i waits pi(i) stages.
  EXPECT_EQ(transmit_delay(cfg, 0, {1, 1}), 30_s);
  EXPECT_EQ(transmit_delay(cfg, 1, {1, 1}), 0_s);
  EXPECT_EQ(transmit_delay(cfg, 2, {1, 1}), 10_s);
  EXPECT_EQ(transmit_delay(cfg, 3, {1, 1}), 20_s);
  // S = [2, 2]: positions 0, 1 in stage 0; 2, 3 in stage 1.
  cfg.s = {2, 2};
  EXPECT_EQ(transmit_delay(cfg, 0, {1, 1}), 10_s);
  EXPECT_EQ(transmit_delay(cfg, 1, {1, 1}), 0_s);
  EXPECT_EQ(transmit_delay(cfg, 2, {1, 1}), 0_s);
  EXPECT_EQ(transmit_delay(cfg, 3, {1, 1}), 10_s);
  // S = [0, 2]: nobody in stage 0; positions 0, 1 wait one stage; positions 2, 3 never transmit.
  cfg.s = {0, 2};
  EXPECT_EQ(transmit_delay(cfg, 1, {1, 1}), 10_s);
  EXPECT_EQ(transmit_delay(cfg, 2, {1, 1}), 10_s);
  EXPECT_FALSE(transmit_delay(cfg, 0, {1, 1}).has_value());
  EXPECT_FALSE(transmit_delay(cfg, 3, {1, 1}).has_value());
}

namespace {
TransmitEvent event(Epoch e, Round r, Value median) {
  TransmitEvent ev{e, r, {}};
  ev.report.observations = {{median - 1, 0}, {median, 1}, {median + 1, 2}};
  return ev;
}
}  // namespace

TEST(TransmissionQueue, WaitsItsStageThenSendsUnlessTheContractHasIt) {
  OcrConfig cfg = test_util::small_config();
  ContractView view;
  view.config_digest = cfg.config_digest;
  const sim::Time t0 = sim::Time::from_seconds(50);
  TransmissionQueue q(cfg, 3);  // oracle 3: stage 2 for (1, 1)
  ASSERT_TRUE(q.on_transmit_event(event(1, 1, 100), view, t0));
  EXPECT_EQ(q.next_due(), t0 + 20_s);
  EXPECT_FALSE(q.on_timer(view, t0 + 19_s).send.has_value());  // not due yet
  auto fired = q.on_timer(view, t0 + 20_s);
  ASSERT_TRUE(fired.send.has_value());
  EXPECT_EQ(fired.send->epoch_round(), (EpochRound{1, 1}));
  EXPECT_EQ(q.pending(), 0U);

  // Same again, but an earlier-stage oracle's transmission landed first: dropped.
  TransmissionQueue q2(cfg, 3);
  q2.on_transmit_event(event(1, 1, 100), view, t0);
  view.latest = {1, 1};
  auto late = q2.on_timer(view, t0 + 20_s);
  EXPECT_FALSE(late.send.has_value());
  EXPECT_TRUE(late.dropped_stale);
}

TEST(TransmissionQueue, RejectsStaleAndOlderReports) {
  OcrConfig cfg = test_util::small_config();
  ContractView view;
  view.config_digest = cfg.config_digest;
  view.latest = {2, 1};
  const sim::Time t0 = sim::Time::from_seconds(50);
  TransmissionQueue q(cfg, 1);
  EXPECT_FALSE(q.on_transmit_event(event(2, 1, 100), view, t0));  // contract already at (2, 1)
  EXPECT_FALSE(q.on_transmit_event(event(1, 5, 100), view, t0));  // older
  EXPECT_TRUE(q.on_transmit_event(event(2, 2, 100), view, t0));
  EXPECT_FALSE(q.on_transmit_event(event(2, 2, 100), view, t0));  // the same report twice
  // (2, 2) is still pending (contract at (2, 1)): a newer report is queued only if it deviates.
  EXPECT_FALSE(q.on_transmit_event(event(2, 3, 100), view, t0));
  EXPECT_TRUE(q.on_transmit_event(event(2, 4, 102), view, t0));  // 2% away from 100
  // Once the contract has caught up, a newer report is queued even without deviation.
  view.latest = {2, 4};
  EXPECT_TRUE(q.on_transmit_event(event(2, 5, 102), view, t0));
  // A different config on the contract: nothing.
  view.config_digest += 1;
  EXPECT_FALSE(q.on_transmit_event(event(3, 1, 500), view, t0));
}
