#include "analysis/fit.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace {

void expect_relative(double actual, double expected, double tolerance, const char* what) {
  EXPECT_NEAR(actual, expected, tolerance * std::fabs(expected)) << what;
}

// Hand-worked: x = 1..5, y = {2, 4, 5, 4, 5}. Sxx = 10, Sxy = 6, so b1 = 0.6 and b0 = 4 - 0.6 * 3 = 2.2;
// residuals {-0.8, 0.6, 1.0, -0.6, -0.2}, RSS = 2.4, s^2 = 0.8, se(b1) = sqrt(0.8 / 10), se(b0) =
// sqrt(0.8 (1/5 + 9/10)); TSS = 6, R^2 = 0.6. t_{0.975, 3} = 3.1824 (table) for the interval of b1.
TEST(LeastSquares, HandWorkedLine) {
  const std::vector<double> x{1, 2, 3, 4, 5};
  const std::vector<double> y{2, 4, 5, 4, 5};
  const analysis::LinearFit fit = analysis::fit_line(x, y);
  ASSERT_EQ(fit.coefficients.size(), 2u);
  EXPECT_NEAR(fit.coefficients[0], 2.2, 1e-12);
  EXPECT_NEAR(fit.coefficients[1], 0.6, 1e-12);
  EXPECT_NEAR(fit.standard_errors[0], std::sqrt(0.88), 1e-12);
  EXPECT_NEAR(fit.standard_errors[1], std::sqrt(0.08), 1e-12);
  EXPECT_NEAR(fit.r_squared, 0.6, 1e-12);
  EXPECT_NEAR(fit.residual_sd, std::sqrt(0.8), 1e-12);
  EXPECT_EQ(fit.n, 5u);
  EXPECT_EQ(fit.dof, 3u);
  EXPECT_NEAR(fit.ci95_low[1], 0.6 - 3.1824 * std::sqrt(0.08), 1e-4);
  EXPECT_NEAR(fit.ci95_high[1], 0.6 + 3.1824 * std::sqrt(0.08), 1e-4);
  EXPECT_NEAR(analysis::evaluate_polynomial(fit.coefficients, 10.0), 8.2, 1e-12);
}

// NIST StRD linear regression dataset "Norris" (lower difficulty; Norris, J., NIST, calibration of ozone
// monitors), https://www.itl.nist.gov/div898/strd/lls/data/Norris.shtml, with its certified values.
TEST(LeastSquares, NistNorris) {
  const std::vector<double> y{0.1,   338.8, 118.1, 888.0, 9.2,   228.1, 668.5, 998.5, 449.1, 778.9, 559.2, 0.3,
                              0.1,   778.1, 668.8, 339.3, 448.9, 10.8,  557.7, 228.3, 998.0, 888.8, 119.6, 0.3,
                              0.6,   557.6, 339.3, 888.0, 998.5, 778.9, 10.2,  117.6, 228.9, 668.4, 449.2, 0.2};
  const std::vector<double> x{0.2,   337.4, 118.2, 884.6, 10.1,  226.5, 666.3, 996.3, 448.6, 777.0, 558.2, 0.4,
                              0.6,   775.5, 666.9, 338.0, 447.5, 11.6,  556.0, 228.1, 995.8, 887.6, 120.2, 0.3,
                              0.3,   556.8, 339.1, 887.2, 999.0, 779.0, 11.1,  118.3, 229.2, 669.1, 448.9, 0.5};
  const analysis::LinearFit fit = analysis::fit_line(x, y);
  expect_relative(fit.coefficients[0], -0.262323073774029, 1e-10, "b0");
  expect_relative(fit.coefficients[1], 1.00211681802045, 1e-12, "b1");
  expect_relative(fit.standard_errors[0], 0.232818234301152, 1e-10, "se b0");
  expect_relative(fit.standard_errors[1], 0.429796848199937E-03, 1e-10, "se b1");
  expect_relative(fit.residual_sd, 0.884796396144373, 1e-10, "residual sd");
  expect_relative(fit.r_squared, 0.999993745883712, 1e-12, "R^2");
  EXPECT_EQ(fit.dof, 34u);
}

// NIST StRD "Pontius" (average difficulty; Pontius, P., NIST, load cell calibration): a quadratic in x up to
// 3e6, so x^2 reaches 9e12 and the design is badly scaled. Certified coefficients and standard deviations.
TEST(LeastSquares, NistPontiusQuadratic) {
  const std::vector<double> y{.11019,  .21956,  .32949,  .43899,  .54803,  .65694,  .76562,  .87487,
                              .98292,  1.09146, 1.20001, 1.30822, 1.41599, 1.52399, 1.63194, 1.73947,
                              1.84646, 1.95392, 2.06128, 2.16844, .11052,  .22018,  .32939,  .43886,
                              .54798,  .65739,  .76596,  .87474,  .98300,  1.09150, 1.20004, 1.30818,
                              1.41613, 1.52408, 1.63159, 1.73965, 1.84696, 1.95445, 2.06177, 2.16829};
  std::vector<double> x;
  for (int rep = 0; rep < 2; ++rep) {
    for (int i = 1; i <= 20; ++i) x.push_back(150000.0 * i);
  }
  const analysis::LinearFit fit = analysis::fit_polynomial(x, y, 2);
  expect_relative(fit.coefficients[0], 0.673565789473684E-03, 1e-8, "b0");
  expect_relative(fit.coefficients[1], 0.732059160401003E-06, 1e-8, "b1");
  expect_relative(fit.coefficients[2], -0.316081871345029E-14, 1e-8, "b2");
  expect_relative(fit.standard_errors[0], 0.107938612033077E-03, 1e-8, "se b0");
  expect_relative(fit.standard_errors[1], 0.157817399981659E-09, 1e-8, "se b1");
  expect_relative(fit.standard_errors[2], 0.486652849992036E-16, 1e-8, "se b2");
}

// NIST StRD "Eberhardt": y = b1 x without intercept; certified b1 = 2.07438016528926,
// sd 0.165289256198347E-01. Exercises a design without a constant column.
TEST(LeastSquares, NistEberhardtThroughOrigin) {
  std::vector<double> x, y;
  for (int i = 0; i <= 10; ++i) {
    x.push_back(60 + i);
    y.push_back(130 + i);
  }
  const analysis::LinearFit fit = analysis::least_squares(x, 1, y);
  expect_relative(fit.coefficients[0], 2.07438016528926, 1e-12, "b1");
  expect_relative(fit.standard_errors[0], 0.165289256198347E-01, 1e-10, "se b1");
}

// NIST StRD "Wampler1": y = 1 + x + x^2 + x^3 + x^4 + x^5 exactly at x = 0..20; certified coefficients 1 and
// standard deviations 0.
TEST(LeastSquares, NistWampler1ExactQuintic) {
  std::vector<double> x, y;
  for (int i = 0; i <= 20; ++i) {
    x.push_back(i);
    double v = 0, p = 1;
    for (int k = 0; k <= 5; ++k, p *= i) v += p;
    y.push_back(v);
  }
  const analysis::LinearFit fit = analysis::fit_polynomial(x, y, 5);
  for (std::size_t k = 0; k < 6; ++k) {
    EXPECT_NEAR(fit.coefficients[k], 1.0, 1e-7) << k;
    EXPECT_NEAR(fit.standard_errors[k], 0.0, 1e-7) << k;
  }
  EXPECT_NEAR(fit.r_squared, 1.0, 1e-12);
}

TEST(LeastSquares, RejectsBadDesigns) {
  const std::vector<double> x{3, 3, 3};
  const std::vector<double> y{1, 2, 3};
  EXPECT_THROW(analysis::fit_line(x, y), std::invalid_argument);  // single x value: dependent columns
  const std::vector<double> short_y{1, 2};
  EXPECT_THROW(analysis::fit_line(x, short_y), std::invalid_argument);
  const std::vector<double> one{1};
  EXPECT_THROW(analysis::fit_line(one, one), std::invalid_argument);  // fewer observations than coefficients
  EXPECT_THROW(analysis::least_squares(x, 2, y), std::invalid_argument);  // 3 values are not 3 rows x 2
  // An exact fit with no residual degrees of freedom has NaN errors but exact coefficients.
  const std::vector<double> x2{1, 2};
  const std::vector<double> y2{3, 5};
  const analysis::LinearFit exact = analysis::fit_line(x2, y2);
  EXPECT_NEAR(exact.coefficients[1], 2.0, 1e-12);
  EXPECT_TRUE(std::isnan(exact.standard_errors[1]));
}

}  // namespace
