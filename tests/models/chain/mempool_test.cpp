#include "models/chain/mempool.hpp"

#include <gtest/gtest.h>

namespace chain = models::chain;
using chain::Address;
using chain::Mempool;
using chain::PendingTx;

namespace {
std::uint64_t g_seq = 0;
PendingTx ptx(std::uint64_t hash, Address from, std::uint64_t nonce, chain::Wei max_fee, chain::Wei tip,
              chain::Gas gas = 100'000) {
  PendingTx p;
  p.hash = chain::TxHash{hash};
  p.tx.from = from;
  p.tx.nonce = nonce;
  p.tx.max_fee = max_fee;
  p.tx.max_priority_fee = tip;
  p.tx.gas_limit = gas;
  p.seq = ++g_seq;
  return p;
}
std::vector<std::uint64_t> hashes(const std::vector<PendingTx>& v) {
  std::vector<std::uint64_t> out;
  for (const auto& p : v) out.push_back(p.hash.id);
  return out;
}
const auto kZeroNonce = [](Address) -> std::uint64_t { return 0; };
const auto kAlwaysFits = [](const PendingTx&, chain::Gas) { return true; };
}  // namespace

TEST(Mempool, OrdersByEffectiveTipThenArrival) {
  Mempool m;
  const Address a{1}, b{2}, c{3}, d{4};
  ASSERT_TRUE(m.add(ptx(1, a, 0, 10, 5), 0).ok);  // eff tip at base 5: min(5, 5) = 5
  ASSERT_TRUE(m.add(ptx(2, b, 0, 30, 3), 0).ok);  // 3
  ASSERT_TRUE(m.add(ptx(3, c, 0, 8, 8), 0).ok);   // min(8, 3) = 3, arrived after b
  ASSERT_TRUE(m.add(ptx(4, d, 0, 4, 4), 0).ok);   // fee cap below base: waits
  const auto block = m.take_block(5, sim::Time::zero(), kZeroNonce, kAlwaysFits);
  EXPECT_EQ(hashes(block), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(m.size(), 1u);
  EXPECT_NE(m.find(chain::TxHash{4}), nullptr);
  // Once the base fee falls to 4, d is includable.
  EXPECT_EQ(hashes(m.take_block(4, sim::Time::zero(), kZeroNonce, kAlwaysFits)), (std::vector<std::uint64_t>{4}));
}

TEST(Mempool, KeepsPerSenderNonceOrderAndWaitsOnGaps) {
  Mempool m;
  const Address x{1}, y{2}, z{3};
  ASSERT_TRUE(m.add(ptx(11, x, 1, 1000, 100), 0).ok);  // high tip but behind nonce 0
  ASSERT_TRUE(m.add(ptx(10, x, 0, 1000, 1), 0).ok);
  ASSERT_TRUE(m.add(ptx(20, y, 0, 1000, 50), 0).ok);
  ASSERT_TRUE(m.add(ptx(31, z, 1, 1000, 500), 0).ok);  // nonce gap: z's nonce 0 is missing
  const auto block = m.take_block(10, sim::Time::zero(), kZeroNonce, kAlwaysFits);
  EXPECT_EQ(hashes(block), (std::vector<std::uint64_t>{20, 10, 11}));
  EXPECT_EQ(m.pending_nonce(z, 0), 0u);
  EXPECT_EQ(m.pending_nonce(z, 1), 2u);
}

TEST(Mempool, ReplacementNeedsTenPercentOnBothFees) {
  Mempool m(10);
  const Address a{1};
  ASSERT_TRUE(m.add(ptx(1, a, 0, 100, 10), 0).ok);
  EXPECT_EQ(m.add(ptx(2, a, 0, 109, 20), 0).error, "replacement transaction underpriced");  // cap +9%
  EXPECT_EQ(m.add(ptx(3, a, 0, 200, 10), 0).error, "replacement transaction underpriced");  // tip unchanged
  EXPECT_EQ(m.add(ptx(4, a, 0, 100, 10), 0).error, "replacement transaction underpriced");  // identical
  EXPECT_EQ(m.find(chain::TxHash{1})->tx.max_fee, 100u);
  const auto r = m.add(ptx(5, a, 0, 110, 11), 0);
  ASSERT_TRUE(r.ok);
  ASSERT_TRUE(r.replaced.has_value());
  EXPECT_EQ(r.replaced->hash.id, 1u);
  EXPECT_EQ(m.find(chain::TxHash{1}), nullptr);
  EXPECT_EQ(m.find(a, 0)->hash.id, 5u);
  EXPECT_EQ(m.size(), 1u);
  // A 1-wei tip must rise strictly: 1 * 110 / 100 = 1, so 2 wei is the smallest accepted tip.
  ASSERT_TRUE(m.add(ptx(6, a, 1, 100, 1), 0).ok);
  EXPECT_FALSE(m.add(ptx(7, a, 1, 200, 1), 0).ok);
  EXPECT_TRUE(m.add(ptx(8, a, 1, 200, 2), 0).ok);
}

TEST(Mempool, RejectsNonceTooLowAndDropsObsolete) {
  Mempool m;
  const Address a{1};
  EXPECT_EQ(m.add(ptx(1, a, 2, 100, 1), 3).error, "nonce too low");
  ASSERT_TRUE(m.add(ptx(2, a, 3, 100, 1), 3).ok);
  ASSERT_TRUE(m.add(ptx(3, a, 4, 100, 1), 3).ok);
  const auto gone = m.remove_below(a, 4);
  EXPECT_EQ(hashes(gone), (std::vector<std::uint64_t>{2}));
  EXPECT_EQ(m.size(), 1u);
}

TEST(Mempool, SkipsASenderWhoseHeadDoesNotFit) {
  Mempool m;
  const Address a{1}, b{2};
  ASSERT_TRUE(m.add(ptx(1, a, 0, 100, 50, 400'000), 0).ok);
  ASSERT_TRUE(m.add(ptx(2, a, 1, 100, 50, 10'000), 0).ok);
  ASSERT_TRUE(m.add(ptx(3, b, 0, 100, 10, 200'000), 0).ok);
  const auto fits = [](const PendingTx& p, chain::Gas taken) { return taken + p.tx.gas_limit <= 300'000; };
  EXPECT_EQ(hashes(m.take_block(1, sim::Time::zero(), kZeroNonce, fits)), (std::vector<std::uint64_t>{3}));
  EXPECT_EQ(m.size(), 2u);
}

TEST(Mempool, InvisibleUntilPropagated) {
  Mempool m;
  auto p = ptx(1, Address{1}, 0, 100, 1);
  p.visible_at = sim::Time::zero() + sim::Duration::nanoseconds(1'000'000'000);
  ASSERT_TRUE(m.add(p, 0).ok);
  EXPECT_TRUE(m.take_block(1, sim::Time::zero(), kZeroNonce, kAlwaysFits).empty());
  EXPECT_EQ(m.take_block(1, p.visible_at, kZeroNonce, kAlwaysFits).size(), 1u);
}
