#include "models/node/fee_estimator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <vector>

namespace chain = models::chain;
using models::node::BlockHistoryEstimator;
using models::node::Fee;
using models::node::GasEstimatorConfig;

TEST(BlockHistoryEstimator, DefaultsWithoutHistory) {
  BlockHistoryEstimator e{GasEstimatorConfig{}};
  EXPECT_EQ(e.tip_estimate(), 1u);  // facts §6: TipCapDefault 1 wei
}

TEST(BlockHistoryEstimator, PercentileOfTipsOverTheLastBlocks) {
  BlockHistoryEstimator e{GasEstimatorConfig{}};
  const std::vector<chain::Wei> a{8, 1, 7, 2}, b{3, 6, 4, 5};
  e.on_block(1, chain::kGwei, a);
  e.on_block(2, chain::kGwei, b);
  EXPECT_EQ(e.tip_estimate(), 4u);  // sorted 1..8, index (8 - 1) * 50 / 100 = 3
  // Only the last 4 blocks count (facts §6: BlockHistorySize 4).
  const std::vector<chain::Wei> high{100};
  for (std::uint64_t n = 3; n <= 6; ++n) e.on_block(n, chain::kGwei, high);
  EXPECT_EQ(e.history(), 4u);
  EXPECT_EQ(e.tip_estimate(), 100u);
}

// Estimators fed the same shared blocks reuse one computation of the tip percentile; each must still answer for its
// own configuration and its own history, whatever another estimator asked just before.
TEST(BlockHistoryEstimator, SharedBlocksAnswerEachEstimatorAsAlone) {
  using Tips = std::shared_ptr<const std::vector<chain::Wei>>;
  const Tips a = std::make_shared<const std::vector<chain::Wei>>(std::vector<chain::Wei>{8, 1, 7, 2});
  const Tips b = std::make_shared<const std::vector<chain::Wei>>(std::vector<chain::Wei>{3, 6, 4, 5});
  const Tips b_copy = std::make_shared<const std::vector<chain::Wei>>(*b);
  GasEstimatorConfig p90;
  p90.transaction_percentile = 90;
  GasEstimatorConfig floor5;
  floor5.tip_cap_min = 5;
  const Tips d = std::make_shared<const std::vector<chain::Wei>>(std::vector<chain::Wei>{50, 60, 70, 80});
  BlockHistoryEstimator median{GasEstimatorConfig{}}, high{p90}, floored{floor5}, shorter{GasEstimatorConfig{}},
      copied{GasEstimatorConfig{}}, other{GasEstimatorConfig{}};
  for (BlockHistoryEstimator* e : {&median, &high, &floored}) {
    e->on_block(1, chain::kGwei, a);
    e->on_block(2, chain::kGwei, b);
  }
  shorter.on_block(2, chain::kGwei, b);
  copied.on_block(1, chain::kGwei, a);
  copied.on_block(2, chain::kGwei, b_copy);
  other.on_block(1, chain::kGwei, b);  // as many blocks and tips as `median`, other tips
  other.on_block(2, chain::kGwei, d);
  // Asked in turns, each gets the answer of its own sorted tips (1..8; 3..6 for `shorter`).
  for (int turn = 0; turn < 2; ++turn) {
    EXPECT_EQ(median.tip_estimate(), 4u);   // index 7 * 50 / 100 = 3
    EXPECT_EQ(high.tip_estimate(), 7u);     // index 7 * 90 / 100 = 6
    EXPECT_EQ(floored.tip_estimate(), 5u);  // 4, raised to the floor
    EXPECT_EQ(shorter.tip_estimate(), 4u);  // 3..6: index 3 * 50 / 100 = 1
    EXPECT_EQ(copied.tip_estimate(), 4u);
    EXPECT_EQ(other.tip_estimate(), 6u);    // 3..6 and 50..80: index 3
    median.on_block(2, chain::kGwei, b);  // replaces block 2 by itself: asks again
  }
  const Tips c = std::make_shared<const std::vector<chain::Wei>>(std::vector<chain::Wei>{100, 100, 100});
  median.on_block(3, chain::kGwei, c);
  EXPECT_EQ(median.tip_estimate(), 6u);  // 1..8 and three 100s: index 10 * 50 / 100 = 5
  EXPECT_EQ(high.tip_estimate(), 7u);
}

// The history is the last block_history_size blocks fed, a block with a lower or equal number replacing the tail (a
// reorg): checked against that rule written plainly, over random runs of blocks with reorgs, for several sizes.
TEST(BlockHistoryEstimator, HistoryFollowsBlocksAndReorgsAsWritten) {
  for (const std::uint32_t size : {1u, 2u, 4u, 7u}) {
    GasEstimatorConfig cfg;
    cfg.block_history_size = size;
    BlockHistoryEstimator e{cfg};
    std::deque<std::pair<std::uint64_t, std::vector<chain::Wei>>> want;  // (number, tips), oldest first
    std::uint64_t number = 0, seed = size;
    for (int step = 0; step < 300; ++step) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      const bool reorg = (seed >> 60) == 0 && number > 3;
      number = reorg ? number - 2 - (seed >> 40) % 2 : number + 1;
      std::vector<chain::Wei> tips{(seed >> 20) % 97 + 1, (seed >> 33) % 89 + 1};
      if (step % 50 == 49) {
        e.reset();
        want.clear();
      }
      e.on_block(number, chain::kGwei + number, tips);
      while (!want.empty() && want.back().first >= number) want.pop_back();
      want.emplace_back(number, tips);
      while (want.size() > size) want.pop_front();
      std::vector<chain::Wei> all;
      for (const auto& [n, t] : want) all.insert(all.end(), t.begin(), t.end());
      std::sort(all.begin(), all.end());
      ASSERT_EQ(e.history(), want.size()) << "size " << size << " step " << step;
      ASSERT_EQ(e.tip_estimate(), all[(all.size() - 1) * 50 / 100]) << "size " << size << " step " << step;
      ASSERT_EQ(e.latest_base_fee(), chain::kGwei + number);
    }
  }
}

TEST(BlockHistoryEstimator, FeeCapCoversBufferBlocksOfBaseFeeGrowth) {
  BlockHistoryEstimator e{GasEstimatorConfig{}};
  const std::vector<chain::Wei> tips{2 * chain::kGwei};
  e.on_block(1, chain::kGwei, tips);
  // buffer = BumpThreshold + 1 = 4: 1e9 * (9/8)^4 with floor at each step = 1,601,806,640
  const Fee f = e.estimate();
  EXPECT_EQ(f.tip_cap, 2 * chain::kGwei);
  EXPECT_EQ(f.fee_cap, 1'601'806'640u + 2 * chain::kGwei);
  // Not capped at FeeCapDefault: 90 gwei of base fee gives a fee cap above 100 gwei (facts §6: PriceMax bounds it).
  e.on_block(2, 90 * chain::kGwei, tips);
  EXPECT_GT(e.estimate().fee_cap, 140 * chain::kGwei);
  // Capped at PriceMax (facts §6: '100 micro' = 100,000 gwei).
  e.on_block(3, 90'000 * chain::kGwei, tips);
  EXPECT_EQ(e.estimate().fee_cap, 100'000 * chain::kGwei);
}

TEST(BlockHistoryEstimator, FixedPriceUsesFeeCapDefaultAndBumpsUpToPriceMax) {
  GasEstimatorConfig c;
  c.mode = models::node::GasEstimatorMode::fixed_price;
  BlockHistoryEstimator e{c};
  const std::vector<chain::Wei> tips{7 * chain::kGwei};
  e.on_block(1, 300 * chain::kGwei, tips);  // neither history nor base fee matters
  EXPECT_EQ(e.estimate(), (Fee{100 * chain::kGwei, 1}));  // facts §6: FeeCapDefault 100 gwei, TipCapDefault 1 wei
  const auto b = e.bump(e.estimate());
  ASSERT_TRUE(b);
  EXPECT_EQ(b->fee_cap, 120 * chain::kGwei);  // BumpPercent 20
  EXPECT_EQ(b->tip_cap, 5 * chain::kGwei + 1);  // BumpMin 5 gwei
  c.bump_threshold = 0;  // bumping off: the fee cap is PriceMax from the start
  EXPECT_EQ(BlockHistoryEstimator{c}.estimate().fee_cap, 100'000 * chain::kGwei);
}

TEST(BlockHistoryEstimator, BumpByTwentyPercentOrBumpMin) {
  BlockHistoryEstimator e{GasEstimatorConfig{}};
  const std::vector<chain::Wei> tips{1};
  e.on_block(1, 1'000'000, tips);  // tiny base fee: the base-fee term does not dominate
  // 20% of 50 gwei = 10 gwei > BumpMin 5 gwei.
  auto b = e.bump(Fee{50 * chain::kGwei, 40 * chain::kGwei});
  ASSERT_TRUE(b);
  EXPECT_EQ(b->fee_cap, 60 * chain::kGwei);
  EXPECT_EQ(b->tip_cap, 48 * chain::kGwei);
  // 20% of 10 gwei = 2 gwei < BumpMin 5 gwei: +5 gwei.
  b = e.bump(Fee{10 * chain::kGwei, 1});
  ASSERT_TRUE(b);
  EXPECT_EQ(b->fee_cap, 15 * chain::kGwei);
  EXPECT_EQ(b->tip_cap, 5 * chain::kGwei + 1);
}

TEST(BlockHistoryEstimator, BumpFollowsTheBaseFeeAndStopsAtTheCap) {
  BlockHistoryEstimator e{GasEstimatorConfig{}};
  const std::vector<chain::Wei> tips{1};
  e.on_block(1, 20 * chain::kGwei, tips);
  // The base fee term: 20 gwei * (9/8)^4 + tip exceeds 1.2 x 10 gwei.
  auto b = e.bump(Fee{10 * chain::kGwei, 1});
  ASSERT_TRUE(b);
  EXPECT_GT(b->fee_cap, 32 * chain::kGwei);
  // 95,000 gwei + 20% -> capped at PriceMax 100,000 gwei; then no further bump.
  b = e.bump(Fee{95'000 * chain::kGwei, 1});
  ASSERT_TRUE(b);
  EXPECT_EQ(b->fee_cap, 100'000 * chain::kGwei);
  EXPECT_FALSE(e.bump(*b).has_value());
}

TEST(NodeConfig, Validates) {
  EXPECT_TRUE(models::node::validate(models::node::NodeConfig{}).empty());
  models::node::NodeConfig bad;
  bad.gas.block_history_size = 0;
  bad.gas.transaction_percentile = 101;
  const auto issues = models::node::validate(bad, "feeds[0].node");
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues.items()[0].path, "feeds[0].node.gas.block_history_size");
  EXPECT_EQ(issues.items()[1].path, "feeds[0].node.gas.transaction_percentile");
}
