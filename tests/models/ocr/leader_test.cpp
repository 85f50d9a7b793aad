#include "models/ocr/leader.hpp"

#include <gtest/gtest.h>

#include <vector>

using models::ocr::leader;

// Expected sequences computed with an independent Python implementation of splitmix64 and
// hash_combine(h, v) = splitmix64(h ^ splitmix64(v)), leader = hash_combine(key, e) mod n.
TEST(Leader, SequenceForDefaultKey) {
  const std::uint64_t key = 0x6f63722d6c656164ULL;
  std::vector<int> got;
  for (models::ocr::Epoch e = 1; e <= 10; ++e) got.push_back(leader(e, 4, key));
  EXPECT_EQ(got, (std::vector<int>{2, 0, 3, 2, 1, 2, 2, 1, 1, 1}));
}

TEST(Leader, SequenceForAnotherKeyAndN) {
  std::vector<int> got;
  for (models::ocr::Epoch e = 1; e <= 10; ++e) got.push_back(leader(e, 7, 42));
  EXPECT_EQ(got, (std::vector<int>{6, 5, 1, 5, 4, 4, 0, 0, 5, 6}));
}

TEST(Leader, RoughlyUniformOverEpochs) {
  const int n = 31;
  std::vector<int> count(n, 0);
  for (models::ocr::Epoch e = 1; e <= 31'000; ++e) {
    int l = leader(e, n, 7);
    ASSERT_GE(l, 0);
    ASSERT_LT(l, n);
    ++count[static_cast<std::size_t>(l)];
  }
  for (int c : count) {
    EXPECT_GT(c, 800);  // mean 1000, sd ~31
    EXPECT_LT(c, 1200);
  }
}
