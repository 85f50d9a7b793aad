#include "models/chain/gas.hpp"

#include <gtest/gtest.h>

#include <array>

namespace chain = models::chain;
using chain::Gas;
using chain::GasMeter;
using chain::SlotKey;

namespace {
const chain::Address kC{7};
SlotKey slot(std::uint64_t i) { return {kC, chain::slot_of(1, i)}; }
Gas total(const chain::GasBreakdown& b, const std::string& what) {
  for (const auto& [k, v] : b)
    if (k == what) return v;
  return 0;
}
}  // namespace

TEST(Calldata, CountsZeroAndNonZeroBytes) {
  const std::array<std::uint8_t, 6> bytes{0, 1, 0, 0, 255, 3};
  const auto c = chain::Calldata::from_bytes(bytes);
  EXPECT_EQ(c.zero_bytes, 3u);
  EXPECT_EQ(c.nonzero_bytes, 3u);
  EXPECT_EQ(c.cost(), 3u * 4 + 3u * 16);
}

TEST(Calldata, BuilderPricesWhatTheCallCarries) {
  // submit(uint256 roundId = 5, int256 answer = 0x0102) : selector + 2 words
  const auto c = chain::CalldataBuilder{}.selector().uint(5).int_(0x0102).build();
  EXPECT_EQ(c.size(), 4u + 64u);
  EXPECT_EQ(c.nonzero_bytes, 4u + 1u + 2u);
  EXPECT_EQ(c.cost(), (4u + 3u) * 16 + (64u - 3u) * 4);
  // A negative int256 is sign-extended with 0xff bytes.
  const auto n = chain::CalldataBuilder{}.int_(-1).build();
  EXPECT_EQ(n.nonzero_bytes, 32u);
  // An 18-decimal answer past 64 bits: 3000e18 = 0xa2a15d09519be00000 has 7 non-zero bytes; its negation
  // 0xff...ff5d5ea2f6ae64200000 has 30 (two zero bytes at the end).
  const chain::SignedWord wide = chain::SignedWord{3000} * 1'000'000'000'000'000'000;
  EXPECT_EQ(chain::CalldataBuilder{}.int_(wide).build().nonzero_bytes, 7u);
  EXPECT_EQ(chain::CalldataBuilder{}.int_(-wide).build().nonzero_bytes, 30u);
  // An array grows the calldata by one word per element.
  const std::array<std::uint64_t, 3> v{1, 2, 3};
  const auto a = chain::CalldataBuilder{}.uint_array(v).build();
  EXPECT_EQ(a.size(), 32u * 5);
}

TEST(GasMeter, SloadColdThenWarm) {
  GasMeter g(100'000);
  g.sload(slot(1));
  EXPECT_EQ(g.used(), 2'100u);
  g.sload(slot(1));
  EXPECT_EQ(g.used(), 2'200u);
  g.sload(slot(2));
  EXPECT_EQ(g.used(), 4'300u);
  EXPECT_EQ(total(g.breakdown(), "sload"), 4'300u);
}

TEST(GasMeter, SstoreSetResetNoopAndDirty) {
  GasMeter g(1'000'000);
  g.sstore(slot(1), 0, 5);  // cold + set
  EXPECT_EQ(g.used(), 2'100u + 20'000u);
  g.sstore(slot(1), 5, 6);  // dirty slot (original 0): warm
  EXPECT_EQ(g.used(), 2'100u + 20'000u + 100u);
  GasMeter h(1'000'000);
  h.sload(slot(2));         // warms
  h.sstore(slot(2), 3, 4);  // warm reset
  EXPECT_EQ(h.used(), 2'100u + 2'900u);
  h.sstore(slot(3), 9, 9);  // cold no-op write
  EXPECT_EQ(h.used(), 2'100u + 2'900u + 2'100u + 100u);
}

TEST(GasMeter, ClearingRefundIsCappedAtOneFifth) {
  GasMeter g(1'000'000);
  g.charge(21'000, "intrinsic");
  g.sstore(slot(1), 7, 0);  // cold reset to zero: refund 4,800
  EXPECT_EQ(g.used(), 21'000u + 2'100u + 2'900u);
  EXPECT_EQ(g.refund_counter(), 4'800);
  EXPECT_EQ(g.gas_used_after_refund(), 26'000u - 4'800u);
  GasMeter h(1'000'000);
  for (std::uint64_t i = 0; i < 4; ++i) h.sstore(slot(i), 7, 0);  // 4 x 5,000 used, 19,200 refund
  EXPECT_EQ(h.gas_used_after_refund(), 20'000u - 4'000u);
}

TEST(GasMeter, AccountAccessAndLogs) {
  GasMeter g(100'000);
  g.warm_account(chain::Address{1});
  g.account(chain::Address{1});
  g.account(chain::Address{2});
  g.account(chain::Address{2});
  EXPECT_EQ(g.used(), 100u + 2'600u + 100u);
  g.log(3, 64);
  EXPECT_EQ(total(g.breakdown(), "log"), 375u + 3u * 375 + 64u * 8);
  g.ecrecover();
  EXPECT_EQ(total(g.breakdown(), "ecrecover"), 3'000u);
}

TEST(GasMeter, OutOfGasThrowsAndUsesTheWholeLimit) {
  GasMeter g(25'000);
  g.charge(21'000, "intrinsic");
  g.sload(slot(1));
  EXPECT_THROW(g.sstore(slot(1), 0, 1), chain::OutOfGas);
  EXPECT_EQ(g.used(), 25'000u);
  EXPECT_EQ(g.remaining(), 0u);
  Gas sum = 0;
  for (const auto& [k, v] : g.breakdown()) sum += v;
  EXPECT_EQ(sum, 25'000u);
}
