#include "sim/distributions.hpp"

#include <limits>
#include <numbers>
#include <stdexcept>

#include <fmt/core.h>

namespace sim {

std::uint64_t uniform_index(Rng& r, std::uint64_t n) {
  if (n == 0) throw std::invalid_argument("uniform_index: n must be positive");
  __extension__ using u128 = unsigned __int128;
  u128 m = static_cast<u128>(r.next()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<u128>(r.next()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

std::int64_t uniform_int(Rng& r, std::int64_t lo, std::int64_t hi) {
  if (lo > hi) throw std::invalid_argument("uniform_int: lo > hi");
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (span == std::numeric_limits<std::uint64_t>::max()) return static_cast<std::int64_t>(r.next());
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + uniform_index(r, span + 1));
}

double normal(Rng& r, double mean, double sd) {
  const double u1 = 1.0 - r.uniform01();  // (0, 1]: log is finite
  const double u2 = r.uniform01();
  return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::size_t weighted_choice(Rng& r, std::span<const double> weights) {
  double total = 0;
  for (double w : weights) {
    if (!(w >= 0) || !std::isfinite(w)) throw std::invalid_argument("weighted_choice: weights must be finite and >= 0");
    total += w;
  }
  if (!(total > 0)) throw std::invalid_argument("weighted_choice: weights must have a positive sum");
  const double x = r.uniform01() * total;
  double acc = 0;
  std::size_t last_positive = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0) continue;
    acc += weights[i];
    last_positive = i;
    if (x < acc) return i;
  }
  return last_positive;  // rounding: x landed on the total
}

namespace {
void require(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(what);
}
bool finite(double x) { return std::isfinite(x); }
}  // namespace

Distribution Distribution::constant(double v) {
  require(finite(v), "constant: value must be finite");
  return {Kind::constant, v, 0};
}
Distribution Distribution::make_uniform(double lo, double hi) {
  require(finite(lo) && finite(hi) && lo <= hi, "uniform: needs finite lo <= hi");
  return {Kind::uniform, lo, hi};
}
Distribution Distribution::make_exponential(double mean) {
  require(finite(mean) && mean > 0, "exponential: mean must be > 0");
  return {Kind::exponential, mean, 0};
}
Distribution Distribution::make_normal(double mean, double sd) {
  require(finite(mean) && finite(sd) && sd >= 0, "normal: needs finite mean and sd >= 0");
  return {Kind::normal, mean, sd};
}
Distribution Distribution::make_lognormal(double mu, double sigma) {
  require(finite(mu) && finite(sigma) && sigma >= 0, "lognormal: needs finite mu and sigma >= 0");
  return {Kind::lognormal, mu, sigma};
}
Distribution Distribution::lognormal_from_quantiles(double median, double p99) {
  require(finite(median) && median > 0, "lognormal: median must be > 0");
  require(finite(p99) && p99 >= median, "lognormal: p99 must be >= median");
  constexpr double z99 = 2.3263478740408408;  // standard normal 0.99 quantile
  return {Kind::lognormal, std::log(median), (std::log(p99) - std::log(median)) / z99};
}
Distribution Distribution::make_pareto(double scale, double shape) {
  require(finite(scale) && scale > 0 && finite(shape) && shape > 0, "pareto: needs scale > 0 and shape > 0");
  return {Kind::pareto, scale, shape};
}

double Distribution::sample(Rng& r) const {
  switch (kind_) {
    case Kind::constant: return a_;
    case Kind::uniform: return uniform(r, a_, b_);
    case Kind::exponential: return exponential(r, a_);
    case Kind::normal: return normal(r, a_, b_);
    case Kind::lognormal: return lognormal(r, a_, b_);
    case Kind::pareto: return pareto(r, a_, b_);
  }
  return a_;
}

double Distribution::mean() const {
  switch (kind_) {
    case Kind::constant: return a_;
    case Kind::uniform: return (a_ + b_) / 2;
    case Kind::exponential: return a_;
    case Kind::normal: return a_;
    case Kind::lognormal: return std::exp(a_ + b_ * b_ / 2);
    case Kind::pareto: return b_ <= 1 ? std::numeric_limits<double>::infinity() : b_ * a_ / (b_ - 1);
  }
  return a_;
}

std::string Distribution::describe() const {
  switch (kind_) {
    case Kind::constant: return fmt::format("constant({})", a_);
    case Kind::uniform: return fmt::format("uniform({}, {})", a_, b_);
    case Kind::exponential: return fmt::format("exponential(mean={})", a_);
    case Kind::normal: return fmt::format("normal(mean={}, sd={})", a_, b_);
    case Kind::lognormal: return fmt::format("lognormal(mu={}, sigma={})", a_, b_);
    case Kind::pareto: return fmt::format("pareto(scale={}, shape={})", a_, b_);
  }
  return "?";
}

}  // namespace sim
