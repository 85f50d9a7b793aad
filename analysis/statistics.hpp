#pragma once
// Statistics across replications and over time: summaries with Student-t confidence intervals, sample
// quantiles, time-weighted statistics of piecewise-constant series, and paired comparisons of two sweep
// points under common random numbers.
//
// Missing values are the caller's business: a NaN in the input makes every statistic NaN (n still counts it).
#include <cstddef>
#include <span>
#include <vector>

#include "sim/time.hpp"

namespace analysis {

// Mean, sample standard deviation (n - 1 denominator), two-sided 95% Student-t confidence interval of the
// mean (mean -/+ t_{0.975, n-1} sd / sqrt(n)), minimum and maximum.
// n == 1: sd 0 and CI [mean, mean]; n == 0: n 0 and every other field NaN.
struct Summary {
  std::size_t n = 0;
  double mean = 0, sd = 0, ci95_low = 0, ci95_high = 0, min = 0, max = 0;
};
Summary summarize(std::span<const double> xs);

// The p-quantile (0 <= p <= 1) of a sample by linear interpolation between order statistics: Hyndman and
// Fan's type 7, the default of R's quantile() and numpy.quantile (method "linear"). With sorted x_1..x_n,
// h = (n - 1) p and q = x_{floor(h)+1} + (h - floor(h)) (x_{floor(h)+2} - x_{floor(h)+1}).
// Empty input gives NaN; p outside [0, 1] throws std::invalid_argument.
double quantile(std::span<const double> xs, double p);
// Several quantiles of one sample (sorted once).
std::vector<double> quantiles(std::span<const double> xs, std::span<const double> ps);

// One step of a piecewise-constant series: `value` holds from `at` until the next step's `at`.
struct Step {
  sim::Time at;
  double value = 0;
};

// Time-weighted statistics of a piecewise-constant series over the window [from, to): `from` is the end of
// the warm-up (earlier time is cut), `to` the end of the run. Steps must be in non-decreasing time order
// (std::invalid_argument otherwise); time before the first step is not covered and so not counted.
struct TimeWeighted {
  double mean = 0;          // integral of the series over the covered window / covered time
  sim::Duration covered;    // time of the window the series covers
};
TimeWeighted time_weighted_mean(std::span<const Step> steps, sim::Time from, sim::Time to);
// The time-weighted p-quantile over [from, to): the smallest value v such that the series is <= v for at
// least a fraction p of the covered time (the inverse of the time-weighted distribution function, without
// interpolation). NaN when nothing is covered.
double time_weighted_quantile(std::span<const Step> steps, sim::Time from, sim::Time to, double p);

// A paired comparison of two sweep points measured under common random numbers: a[i] and b[i] come from
// the same replication (the caller pairs them by replication number).
//   difference: summarize(a[i] - b[i]), so its CI is the paired Student-t interval with n - 1 df.
//   ratio: mean(a) / mean(b), with a 95% CI by the delta method: R -/+ t_{0.975, n-1} se, where
//     se = sd(a[i] - R b[i]) / (sqrt(n) |mean(b)|) (first-order Taylor expansion of the ratio of means, using
//     the sample covariance of the pairs). n == 1 gives CI [R, R]; n == 0 or mean(b) == 0 gives NaN.
struct PairedComparison {
  std::size_t n = 0;
  Summary difference;
  double ratio = 0, ratio_ci95_low = 0, ratio_ci95_high = 0;
};
// Throws std::invalid_argument when a and b differ in length.
PairedComparison compare_paired(std::span<const double> a, std::span<const double> b);

}  // namespace analysis
