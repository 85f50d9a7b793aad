#pragma once
// Ordinary least-squares fits y ~ X: coefficients, standard errors, 95% intervals and R^2. Used to fit a
// metric against a swept parameter (e.g. gas per update vs the number of nodes). Eigen stays in fit.cpp.
#include <cstddef>
#include <span>
#include <vector>

namespace analysis {

struct LinearFit {
  std::vector<double> coefficients;     // one per design column, in column order
  std::vector<double> standard_errors;  // sqrt of the diagonal of s^2 (X'X)^-1; NaN when dof == 0
  std::vector<double> ci95_low, ci95_high;  // coefficient -/+ t_{0.975, dof} standard error
  double r_squared = 0;    // 1 - RSS / TSS; TSS about the mean when a column is constant, else about 0
  double residual_sd = 0;  // s = sqrt(RSS / dof); NaN when dof == 0
  std::size_t n = 0;       // observations
  std::size_t dof = 0;     // n - columns
};

// Fits y = X b by least squares (column-scaled, column-pivoting Householder QR, so badly scaled designs such
// as powers of a large x stay accurate). `design` holds n rows of `columns` values, row-major.
// Throws std::invalid_argument when sizes disagree, n < columns, or the columns are linearly dependent
// (e.g. a parameter that takes a single value in the sweep).
LinearFit least_squares(std::span<const double> design, std::size_t columns, std::span<const double> y);

// y = b0 + b1 x (coefficients {b0, b1}).
LinearFit fit_line(std::span<const double> x, std::span<const double> y);
// y = b0 + b1 x + ... + b_d x^d (coefficients {b0, ..., b_d}); degree >= 0.
LinearFit fit_polynomial(std::span<const double> x, std::span<const double> y, int degree);
// b0 + b1 x + ... for the coefficients of fit_polynomial or fit_line (Horner's rule).
double evaluate_polynomial(std::span<const double> coefficients, double x);

}  // namespace analysis
