#pragma once
// Student's t distribution (CDF and quantile) and the special functions beneath it, written here so that
// confidence intervals do not depend on a statistics library and give the same digits on every platform.
//
// The CDF goes through the regularized incomplete beta function,
//   F(t; v) = 1 - I_x(v/2, 1/2) / 2  for t >= 0, with x = v / (v + t^2),
// evaluated by its continued fraction; the quantile inverts that relation by bisection on x, which is
// monotone and converges to full double precision without needing a starting guess.

namespace analysis {

// ln Gamma(x) for x > 0 (Lanczos approximation, g = 7, nine terms; relative error below 1e-14).
// Thread-safe, unlike std::lgamma on glibc, which writes the global `signgam`.
double log_gamma(double x);

// The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 <= x <= 1.
// Throws std::invalid_argument outside that domain.
double regularized_incomplete_beta(double a, double b, double x);

// P(T <= t) for T ~ Student-t with `df` > 0 degrees of freedom (df need not be an integer).
double student_t_cdf(double t, double df);

// The p-quantile of Student's t with `df` > 0 degrees of freedom, for 0 < p < 1: the t with
// student_t_cdf(t, df) == p. Throws std::invalid_argument for p outside (0, 1) or df <= 0.
double student_t_quantile(double p, double df);

}  // namespace analysis
