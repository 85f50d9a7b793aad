#include "analysis/statistics.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

using namespace sim::literals;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Hand-worked: {2, 4, 4, 4, 5, 5, 7, 9} has mean 5 and sum of squared deviations 32, so the sample sd is
// sqrt(32 / 7) = 2.1380899; t_{0.975, 7} = 2.3646 (textbook table) gives the half-width
// 2.3646 * 2.1380899 / sqrt(8) = 1.78748.
TEST(Summarize, MeanSdAndStudentTInterval) {
  const std::vector<double> xs{2, 4, 4, 4, 5, 5, 7, 9};
  const analysis::Summary s = analysis::summarize(xs);
  EXPECT_EQ(s.n, 8u);
  EXPECT_DOUBLE_EQ(s.mean, 5.0);
  EXPECT_NEAR(s.sd, 2.1380899, 1e-7);
  EXPECT_NEAR(s.ci95_low, 5.0 - 1.78748, 1e-4);
  EXPECT_NEAR(s.ci95_high, 5.0 + 1.78748, 1e-4);
  EXPECT_EQ(s.min, 2.0);
  EXPECT_EQ(s.max, 9.0);
}

// Large offsets must not cancel: the same sample shifted by 1e9 has the same sd.
TEST(Summarize, StableUnderLargeOffsets) {
  std::vector<double> xs{2, 4, 4, 4, 5, 5, 7, 9};
  for (double& x : xs) x += 1e9;
  EXPECT_NEAR(analysis::summarize(xs).sd, 2.1380899, 1e-6);
}

TEST(Summarize, SingleAndEmptyAndNaN) {
  const std::vector<double> one{3.5};
  const analysis::Summary s1 = analysis::summarize(one);
  EXPECT_EQ(s1.n, 1u);
  EXPECT_EQ(s1.mean, 3.5);
  EXPECT_EQ(s1.sd, 0.0);
  EXPECT_EQ(s1.ci95_low, 3.5);
  EXPECT_EQ(s1.ci95_high, 3.5);
  EXPECT_EQ(s1.min, 3.5);
  EXPECT_EQ(s1.max, 3.5);

  const analysis::Summary s0 = analysis::summarize({});
  EXPECT_EQ(s0.n, 0u);
  for (double v : {s0.mean, s0.sd, s0.ci95_low, s0.ci95_high, s0.min, s0.max}) EXPECT_TRUE(std::isnan(v));

  const std::vector<double> with_nan{1, kNaN, 3};
  const analysis::Summary sn = analysis::summarize(with_nan);
  EXPECT_EQ(sn.n, 3u);
  EXPECT_TRUE(std::isnan(sn.mean));
  EXPECT_TRUE(std::isnan(sn.max));
}

// Hand-worked type 7: sorted {1, 3, 7, 10}; p = 0.5 -> h = 1.5 -> 3 + 0.5 * 4 = 5; p = 0.9 -> h = 2.7 ->
// 7 + 0.7 * 3 = 9.1; p = 0.25 -> h = 0.75 -> 1 + 0.75 * 2 = 2.5. R: quantile(c(7, 1, 10, 3), c(.5, .9, .25))
// gives 5.0 9.1 2.5.
TEST(Quantile, Type7LinearInterpolation) {
  const std::vector<double> xs{7, 1, 10, 3};
  EXPECT_DOUBLE_EQ(analysis::quantile(xs, 0.5), 5.0);
  EXPECT_DOUBLE_EQ(analysis::quantile(xs, 0.9), 9.1);
  EXPECT_DOUBLE_EQ(analysis::quantile(xs, 0.25), 2.5);
  EXPECT_EQ(analysis::quantile(xs, 0.0), 1.0);
  EXPECT_EQ(analysis::quantile(xs, 1.0), 10.0);
  const std::vector<double> ps{0.0, 0.5, 1.0};
  EXPECT_EQ(analysis::quantiles(xs, ps), (std::vector<double>{1.0, 5.0, 10.0}));
  EXPECT_TRUE(std::isnan(analysis::quantile({}, 0.5)));
  EXPECT_THROW(analysis::quantile(xs, 1.5), std::invalid_argument);
}

// Hand-worked: value 1 from 0 s, 3 from 10 s, 2 from 30 s; window [5 s, 40 s) holds 1 for 5 s, 3 for 20 s
// and 2 for 10 s: mean (5 + 60 + 20) / 35 = 2.4285714. Time-weighted distribution: <= 1 for 5/35, <= 2 for
// 15/35, <= 3 for 35/35, so the median is 3 and the 0.4-quantile is 2.
TEST(TimeWeighted, MeanAndQuantilesWithWarmupCut) {
  const std::vector<analysis::Step> steps{{sim::Time::zero(), 1.0},
                                          {sim::Time::zero() + 10_s, 3.0},
                                          {sim::Time::zero() + 30_s, 2.0}};
  const sim::Time from = sim::Time::zero() + 5_s;
  const sim::Time to = sim::Time::zero() + 40_s;
  const analysis::TimeWeighted tw = analysis::time_weighted_mean(steps, from, to);
  EXPECT_NEAR(tw.mean, 85.0 / 35.0, 1e-12);
  EXPECT_EQ(tw.covered, 35_s);
  EXPECT_EQ(analysis::time_weighted_quantile(steps, from, to, 0.5), 3.0);
  EXPECT_EQ(analysis::time_weighted_quantile(steps, from, to, 0.4), 2.0);
  EXPECT_EQ(analysis::time_weighted_quantile(steps, from, to, 0.1), 1.0);
  // Without the warm-up cut the first value weighs 10 s: (10 + 60 + 20) / 40.
  EXPECT_NEAR(analysis::time_weighted_mean(steps, sim::Time::zero(), to).mean, 90.0 / 40.0, 1e-12);
}

TEST(TimeWeighted, UncoveredAndUnordered) {
  const std::vector<analysis::Step> late{{sim::Time::zero() + 20_s, 4.0}};
  const analysis::TimeWeighted tw = analysis::time_weighted_mean(late, sim::Time::zero(), sim::Time::zero() + 30_s);
  EXPECT_EQ(tw.mean, 4.0);  // only [20 s, 30 s) is covered
  EXPECT_EQ(tw.covered, 10_s);
  EXPECT_TRUE(std::isnan(analysis::time_weighted_mean(late, sim::Time::zero(), sim::Time::zero() + 10_s).mean));
  const std::vector<analysis::Step> unordered{{sim::Time::zero() + 2_s, 1.0}, {sim::Time::zero() + 1_s, 2.0}};
  EXPECT_THROW(analysis::time_weighted_mean(unordered, sim::Time::zero(), sim::Time::zero() + 3_s),
               std::invalid_argument);
}

// Hand-worked: a = {10, 12, 14}, b = {5, 6, 8}. Differences {5, 6, 6}: mean 17/3, sd 1/sqrt(3); with
// t_{0.975, 2} = 0.95 / sqrt(2 * 0.975 * 0.025) = 4.3026527 the CI is 17/3 -/+ 1.4342176.
// Ratio 12 / (19/3) = 1.8947368; delta method: Var = (s_a^2 - 2 R s_ab + R^2 s_b^2) / (n mean(b)^2) with
// s_a^2 = 4, s_b^2 = 7/3, s_ab = 3 gives se = 0.0915400 and CI [1.5008782, 2.2885955].
TEST(ComparePaired, DifferenceAndDeltaMethodRatio) {
  const std::vector<double> a{10, 12, 14};
  const std::vector<double> b{5, 6, 8};
  const analysis::PairedComparison c = analysis::compare_paired(a, b);
  EXPECT_EQ(c.n, 3u);
  EXPECT_NEAR(c.difference.mean, 17.0 / 3.0, 1e-12);
  EXPECT_NEAR(c.difference.ci95_low, 4.2324491, 1e-6);
  EXPECT_NEAR(c.difference.ci95_high, 7.1008842, 1e-6);
  EXPECT_NEAR(c.ratio, 1.8947368, 1e-7);
  EXPECT_NEAR(c.ratio_ci95_low, 1.5008782, 1e-6);
  EXPECT_NEAR(c.ratio_ci95_high, 2.2885955, 1e-6);
}

TEST(ComparePaired, EdgeCases) {
  const std::vector<double> one_a{4}, one_b{2};
  const analysis::PairedComparison c1 = analysis::compare_paired(one_a, one_b);
  EXPECT_EQ(c1.ratio, 2.0);
  EXPECT_EQ(c1.ratio_ci95_low, 2.0);
  EXPECT_EQ(c1.ratio_ci95_high, 2.0);
  const std::vector<double> zero_b{0, 0};
  const std::vector<double> two_a{1, 2};
  EXPECT_TRUE(std::isnan(analysis::compare_paired(two_a, zero_b).ratio));
  EXPECT_THROW(analysis::compare_paired(two_a, one_b), std::invalid_argument);
}

}  // namespace
