#include "models/chain/base_fee.hpp"

#include <gtest/gtest.h>

#include <limits>

using models::chain::effective_gas_price;
using models::chain::effective_tip;
using models::chain::next_base_fee;

// Hand-computed against the EIP-1559 formula with a 30 M limit (target 15 M).
TEST(BaseFee, FullBlockRaisesByOneEighth) {
  EXPECT_EQ(next_base_fee(1'000'000'000, 30'000'000, 30'000'000), 1'125'000'000u);
}

TEST(BaseFee, EmptyBlockLowersByOneEighth) {
  EXPECT_EQ(next_base_fee(1'000'000'000, 0, 30'000'000), 875'000'000u);
}

TEST(BaseFee, ExactlyTargetKeepsIt) {
  EXPECT_EQ(next_base_fee(1'000'000'000, 15'000'000, 30'000'000), 1'000'000'000u);
  EXPECT_EQ(next_base_fee(7, 15'000'000, 30'000'000), 7u);
}

TEST(BaseFee, SmallIncreaseRoundsUpToOneWei) {
  // 7 * 1 / 15,000,000 / 8 = 0 -> max(0, 1) = 1
  EXPECT_EQ(next_base_fee(7, 15'000'001, 30'000'000), 8u);
  // A decrease has no minimum: 7 * 1 / 15,000,000 / 8 = 0
  EXPECT_EQ(next_base_fee(7, 14'999'999, 30'000'000), 7u);
}

TEST(BaseFee, PartialBlocksUseIntegerDivisionInOrder) {
  // 100 gwei, 20 M used: 1e11 * 5e6 / 15e6 = 33,333,333,333; / 8 = 4,166,666,666
  EXPECT_EQ(next_base_fee(100'000'000'000, 20'000'000, 30'000'000), 104'166'666'666u);
  // 100 gwei, 10 M used: decrease by the same 4,166,666,666
  EXPECT_EQ(next_base_fee(100'000'000'000, 10'000'000, 30'000'000), 95'833'333'334u);
  // 3 wei, 29 M used: 3 * 14e6 / 15e6 = 2; / 8 = 0 -> +1
  EXPECT_EQ(next_base_fee(3, 29'000'000, 30'000'000), 4u);
}

TEST(BaseFee, LargeValuesDoNotOverflow) {
  const auto big = std::numeric_limits<std::uint64_t>::max() / 2;
  EXPECT_EQ(next_base_fee(big, 30'000'000, 30'000'000), big + big / 8);
  EXPECT_EQ(next_base_fee(std::numeric_limits<std::uint64_t>::max(), 30'000'000, 30'000'000),
            std::numeric_limits<std::uint64_t>::max());
}

TEST(BaseFee, EffectiveTipAndPrice) {
  EXPECT_EQ(effective_tip(100, 2, 50), 2u);     // tip below headroom
  EXPECT_EQ(effective_tip(51, 2, 50), 1u);      // headroom below tip
  EXPECT_EQ(effective_tip(40, 2, 50), 0u);      // not includable
  EXPECT_EQ(effective_gas_price(51, 2, 50), 51u);
  EXPECT_EQ(effective_gas_price(100, 2, 50), 52u);
}
