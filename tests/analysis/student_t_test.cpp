#include "analysis/student_t.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

#include <gtest/gtest.h>

namespace {

TEST(LogGamma, MatchesFactorialsAndHalfIntegers) {
  // Gamma(n) = (n - 1)!, Gamma(1/2) = sqrt(pi), Gamma(3/2) = sqrt(pi) / 2.
  EXPECT_NEAR(analysis::log_gamma(1.0), 0.0, 1e-14);
  EXPECT_NEAR(analysis::log_gamma(5.0), std::log(24.0), 1e-13);
  EXPECT_NEAR(analysis::log_gamma(11.0), std::log(3628800.0), 1e-12);
  EXPECT_NEAR(analysis::log_gamma(0.5), 0.5 * std::log(std::numbers::pi), 1e-14);
  EXPECT_NEAR(analysis::log_gamma(1.5), std::log(std::sqrt(std::numbers::pi) / 2), 1e-14);
  EXPECT_THROW(analysis::log_gamma(0.0), std::invalid_argument);
}

TEST(IncompleteBeta, ClosedForms) {
  // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 - (1 - x)^b; I_{1/2}(a, a) = 1/2.
  for (double x : {0.0, 0.1, 0.37, 0.5, 0.9, 1.0}) {
    EXPECT_NEAR(analysis::regularized_incomplete_beta(1, 1, x), x, 1e-14) << x;
    EXPECT_NEAR(analysis::regularized_incomplete_beta(3.5, 1, x), std::pow(x, 3.5), 1e-14) << x;
    EXPECT_NEAR(analysis::regularized_incomplete_beta(1, 7, x), 1 - std::pow(1 - x, 7), 1e-14) << x;
  }
  EXPECT_NEAR(analysis::regularized_incomplete_beta(4.5, 4.5, 0.5), 0.5, 1e-14);
  EXPECT_THROW(analysis::regularized_incomplete_beta(1, 1, 1.5), std::invalid_argument);
  EXPECT_THROW(analysis::regularized_incomplete_beta(0, 1, 0.5), std::invalid_argument);
}

// Two-sided tables of Student's t (any statistics textbook, e.g. Montgomery & Runger, Applied Statistics and
// Probability for Engineers, Table V), printed to four decimals.
TEST(StudentT, QuantilesMatchTextbookTable) {
  struct Row {
    double p, df, t;
  };
  const Row table[] = {
      {0.975, 1, 12.7062}, {0.975, 2, 4.3027}, {0.975, 3, 3.1824},  {0.975, 4, 2.7764},  {0.975, 5, 2.5706},
      {0.975, 10, 2.2281}, {0.975, 20, 2.0860}, {0.975, 30, 2.0423}, {0.975, 120, 1.9799}, {0.95, 10, 1.8125},
      {0.995, 1, 63.6567}, {0.995, 5, 4.0321}, {0.995, 30, 2.7500}, {0.9, 7, 1.4149},
  };
  for (const Row& r : table) {
    EXPECT_NEAR(analysis::student_t_quantile(r.p, r.df), r.t, 6e-5) << "p=" << r.p << " df=" << r.df;
    EXPECT_NEAR(analysis::student_t_quantile(1 - r.p, r.df), -r.t, 6e-5) << "p=" << 1 - r.p << " df=" << r.df;
  }
}

// Closed forms: df = 1 is the Cauchy distribution, t = tan(pi (p - 1/2)); df = 2 has
// t = (2p - 1) / sqrt(2 p (1 - p)); a large df follows the Cornish-Fisher expansion around the normal
// quantile z_{0.975} = 1.959963984540 (Abramowitz & Stegun 26.7.5): t = z + (z^3 + z) / (4 v) + O(1 / v^2).
TEST(StudentT, QuantilesMatchClosedForms) {
  for (double p : {0.001, 0.05, 0.3, 0.6, 0.9, 0.975, 0.9995}) {
    EXPECT_NEAR(analysis::student_t_quantile(p, 1), std::tan(std::numbers::pi * (p - 0.5)),
                1e-11 * std::max(1.0, std::fabs(std::tan(std::numbers::pi * (p - 0.5)))))
        << p;
    EXPECT_NEAR(analysis::student_t_quantile(p, 2), (2 * p - 1) / std::sqrt(2 * p * (1 - p)), 1e-11) << p;
  }
  const double z = 1.959963984540;
  const double v = 1e5;
  EXPECT_NEAR(analysis::student_t_quantile(0.975, v), z + (z * z * z + z) / (4 * v), 1e-9);
  EXPECT_EQ(analysis::student_t_quantile(0.5, 7), 0.0);
}

TEST(StudentT, CdfInvertsQuantile) {
  for (double df : {1.0, 2.5, 9.0, 29.0, 200.0}) {
    for (double p : {0.01, 0.2, 0.5, 0.8, 0.975, 0.999}) {
      EXPECT_NEAR(analysis::student_t_cdf(analysis::student_t_quantile(p, df), df), p, 1e-12) << df << " " << p;
    }
  }
  EXPECT_NEAR(analysis::student_t_cdf(1.0, 1), 0.75, 1e-14);  // Cauchy: 1/2 + atan(1)/pi
}

TEST(StudentT, RejectsBadArguments) {
  EXPECT_THROW(analysis::student_t_quantile(0.0, 3), std::invalid_argument);
  EXPECT_THROW(analysis::student_t_quantile(1.0, 3), std::invalid_argument);
  EXPECT_THROW(analysis::student_t_quantile(0.9, 0), std::invalid_argument);
  EXPECT_THROW(analysis::student_t_cdf(0.9, -1), std::invalid_argument);
}

}  // namespace
