#include "models/contracts/median.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "sim/distributions.hpp"
#include "sim/random.hpp"

using models::contracts::median_in_place;

TEST(Median, SmallCasesByHand) {
  std::vector<models::contracts::Answer> one{7};
  EXPECT_EQ(median_in_place(one).median, 7);
  std::vector<models::contracts::Answer> two{10, 3};
  EXPECT_EQ(median_in_place(two).median, 6);  // (3 + 10) / 2 rounded toward zero
  std::vector<models::contracts::Answer> neg{-3, -10};
  EXPECT_EQ(median_in_place(neg).median, -6);
  std::vector<models::contracts::Answer> three{5, 1, 9};
  EXPECT_EQ(median_in_place(three).median, 5);
  std::vector<models::contracts::Answer> empty;
  EXPECT_THROW(median_in_place(empty), std::invalid_argument);
}

TEST(Median, MatchesSortingForRandomListsOfEverySize) {
  sim::Rng rng = sim::RngFactory(5, 0).stream("median");
  for (int n = 1; n <= 77; ++n) {
    for (int rep = 0; rep < 20; ++rep) {
      std::vector<models::contracts::Answer> v(static_cast<std::size_t>(n));
      for (auto& x : v) x = sim::uniform_int(rng, 290'000'000'000, 310'000'000'000);
      if (rep % 5 == 0) for (auto& x : v) x = 300'000'000'000 + (x % 3);  // many ties
      std::vector<models::contracts::Answer> sorted = v;
      std::sort(sorted.begin(), sorted.end());
      const std::size_t m = sorted.size() / 2;
      const std::int64_t want = n % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
      EXPECT_EQ(median_in_place(v).median, want) << "n=" << n << " rep=" << rep;
    }
  }
}

TEST(Median, WorkGrowsWithTheNumberOfValues) {
  sim::Rng rng = sim::RngFactory(9, 0).stream("median-work");
  auto mean_compares = [&](int n) {
    double total = 0;
    for (int rep = 0; rep < 200; ++rep) {
      std::vector<models::contracts::Answer> v(static_cast<std::size_t>(n));
      for (auto& x : v) x = sim::uniform_int(rng, 0, 1'000'000);
      total += static_cast<double>(median_in_place(v).compares);
    }
    return total / 200;
  };
  EXPECT_EQ(mean_compares(7), 16);  // one pass of the 7-input network
  EXPECT_LT(mean_compares(7), mean_compares(15));
  EXPECT_LT(mean_compares(15), mean_compares(31));
  EXPECT_LT(mean_compares(31), mean_compares(77));
}
