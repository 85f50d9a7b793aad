#include "models/node/fee_estimator.hpp"

#include <gtest/gtest.h>

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
