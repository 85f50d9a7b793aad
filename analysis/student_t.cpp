#include "analysis/student_t.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace analysis {

double log_gamma(double x) {
  if (!(x > 0)) throw std::invalid_argument("log_gamma: expected x > 0, got " + std::to_string(x));
  // Reflection keeps the series in its accurate range: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
  if (x < 0.5) return std::log(std::numbers::pi / std::sin(std::numbers::pi * x)) - log_gamma(1.0 - x);
  // Lanczos coefficients for g = 7, n = 9 (Godfrey).
  static constexpr double kCoef[9] = {0.99999999999980993,  676.5203681218851,     -1259.1392167224028,
                                      771.32342877765313,   -176.61502916214059,   12.507343278686905,
                                      -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
  constexpr double kG = 7.0;
  const double z = x - 1.0;
  double sum = kCoef[0];
  for (int i = 1; i < 9; ++i) sum += kCoef[i] / (z + i);
  const double t = z + kG + 0.5;
  return 0.5 * std::log(2.0 * std::numbers::pi) + (z + 0.5) * std::log(t) - t + std::log(sum);
}

namespace {

// The continued fraction for I_x(a, b) (converges fast for x < (a + 1) / (a + b + 2)), evaluated with the
// modified Lentz method. Returns the fraction only; the caller multiplies by the front factor.
double beta_continued_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEps = 1e-16;
  constexpr int kMaxIterations = 10'000;
  double c = 1.0;
  double d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double f = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    const double m2 = 2.0 * m;
    // Even step: d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m)).
    double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 + num * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + num / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    f *= d * c;
    // Odd step: d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)).
    num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 + num * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + num / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    f *= delta;
    if (std::fabs(delta - 1.0) < kEps) return f;
  }
  throw std::runtime_error("regularized_incomplete_beta: continued fraction did not converge");
}

}  // namespace

double regularized_incomplete_beta(double a, double b, double x) {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) {
    throw std::invalid_argument("regularized_incomplete_beta: expected a > 0, b > 0, 0 <= x <= 1, got a=" +
                                std::to_string(a) + " b=" + std::to_string(b) + " x=" + std::to_string(x));
  }
  if (x == 0.0) return 0.0;
  if (x == 1.0) return 1.0;
  const double log_front =
      log_gamma(a + b) - log_gamma(a) - log_gamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double front = std::exp(log_front);
  // Symmetry I_x(a, b) = 1 - I_{1-x}(b, a) keeps the fraction in its fast-converging region.
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_continued_fraction(a, b, x) / a;
  return 1.0 - front * beta_continued_fraction(b, a, 1.0 - x) / b;
}

double student_t_cdf(double t, double df) {
  if (!(df > 0)) throw std::invalid_argument("student_t_cdf: expected df > 0, got " + std::to_string(df));
  if (std::isnan(t)) return t;
  if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
  const double x = df / (df + t * t);
  const double tail = 0.5 * regularized_incomplete_beta(0.5 * df, 0.5, x);  // P(T > |t|)
  return t >= 0 ? 1.0 - tail : tail;
}

double student_t_quantile(double p, double df) {
  if (!(df > 0)) throw std::invalid_argument("student_t_quantile: expected df > 0, got " + std::to_string(df));
  if (!(p > 0 && p < 1)) throw std::invalid_argument("student_t_quantile: expected 0 < p < 1, got " + std::to_string(p));
  if (p == 0.5) return 0.0;
  // Solve I_x(df/2, 1/2) = 2 min(p, 1 - p) for x; I_x is increasing in x, and x = df / (df + t^2).
  const double target = 2.0 * (p < 0.5 ? p : 1.0 - p);
  double lo = 0.0;
  double hi = 1.0;
  for (int i = 0; i < 2000 && hi - lo > 1e-17 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (mid == lo || mid == hi) break;
    if (regularized_incomplete_beta(0.5 * df, 0.5, mid) < target) lo = mid; else hi = mid;
  }
  const double x = 0.5 * (lo + hi);
  const double t = std::sqrt(df * (1.0 - x) / x);
  return p < 0.5 ? -t : t;
}

}  // namespace analysis
