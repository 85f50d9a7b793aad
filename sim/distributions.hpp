#pragma once
// Portable distributions. Never std::*_distribution: their algorithms differ between standard libraries,
// so the same seed would give different results on another platform. Each function here documents its
// algorithm; tests pin the first values for a fixed seed.
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <utility>

#include "sim/random.hpp"

namespace sim {

// Uniform in [lo, hi).
inline double uniform(Rng& r, double lo, double hi) { return lo + (hi - lo) * r.uniform01(); }

// Uniform integer in [0, n), unbiased (Lemire 2019, multiply-and-reject). n > 0.
std::uint64_t uniform_index(Rng& r, std::uint64_t n);
// Uniform integer in [lo, hi] (inclusive), unbiased. lo <= hi.
std::int64_t uniform_int(Rng& r, std::int64_t lo, std::int64_t hi);

// Exponential with the given mean, by inversion: -mean * ln(1 - U).
inline double exponential(Rng& r, double mean) { return -mean * std::log1p(-r.uniform01()); }

// Normal by Box-Muller (one value per call, two uniforms; no cached state, so streams stay simple).
double normal(Rng& r, double mean, double sd);

// Log-normal: exp(N(mu, sigma)).
inline double lognormal(Rng& r, double mu, double sigma) { return std::exp(normal(r, mu, sigma)); }

// Pareto (type I) with scale x_m > 0 and shape alpha > 0, by inversion: x_m * (1 - U)^(-1/alpha).
inline double pareto(Rng& r, double scale, double shape) { return scale * std::pow(1.0 - r.uniform01(), -1.0 / shape); }

// True with probability p.
inline bool bernoulli(Rng& r, double p) { return r.uniform01() < p; }

// Index i with probability weights[i] / sum(weights), by a linear scan of the cumulative sum. Weights must be
// non-negative with a positive sum.
std::size_t weighted_choice(Rng& r, std::span<const double> weights);

// Fisher-Yates shuffle (Durstenfeld), from the back, using uniform_index.
template <class T>
void shuffle(Rng& r, std::span<T> items) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(uniform_index(r, i));
    using std::swap;
    swap(items[i - 1], items[j]);
  }
}

// A distribution chosen by configuration (e.g. a latency or jitter model). Values are plain doubles in the
// caller's unit. Parameters are validated by make_* (they throw std::invalid_argument with the reason).
class Distribution {
 public:
  enum class Kind { constant, uniform, exponential, normal, lognormal, pareto };

  Distribution() = default;  // constant 0
  static Distribution constant(double v);
  static Distribution make_uniform(double lo, double hi);
  static Distribution make_exponential(double mean);
  static Distribution make_normal(double mean, double sd);
  static Distribution make_lognormal(double mu, double sigma);
  // Log-normal with the given median and 99th percentile (p99 > median > 0).
  static Distribution lognormal_from_quantiles(double median, double p99);
  static Distribution make_pareto(double scale, double shape);

  double sample(Rng& r) const;
  // The analytic mean (infinite for Pareto with shape <= 1).
  double mean() const;
  Kind kind() const { return kind_; }
  double a() const { return a_; }
  double b() const { return b_; }
  std::string describe() const;

 private:
  Distribution(Kind k, double a, double b) : kind_(k), a_(a), b_(b) {}
  Kind kind_ = Kind::constant;
  double a_ = 0;
  double b_ = 0;
};

}  // namespace sim
