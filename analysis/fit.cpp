#include "analysis/fit.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <Eigen/Dense>

#include "analysis/student_t.hpp"

namespace analysis {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

LinearFit least_squares(std::span<const double> design, std::size_t columns, std::span<const double> y) {
  const std::size_t n = y.size();
  if (columns == 0) throw std::invalid_argument("least_squares: expected at least one design column");
  if (design.size() != n * columns) {
    throw std::invalid_argument("least_squares: expected a design of " + std::to_string(n) + " rows x " +
                                std::to_string(columns) + " columns (" + std::to_string(n * columns) +
                                " values), got " + std::to_string(design.size()) + " values");
  }
  if (n < columns) {
    throw std::invalid_argument("least_squares: expected at least as many observations as coefficients (" +
                                std::to_string(columns) + "), got " + std::to_string(n));
  }
  const auto rows = static_cast<Eigen::Index>(n);
  const auto cols = static_cast<Eigen::Index>(columns);
  Eigen::MatrixXd x(rows, cols);
  Eigen::VectorXd yv(rows);
  for (Eigen::Index i = 0; i < rows; ++i) {
    yv(i) = y[static_cast<std::size_t>(i)];
    for (Eigen::Index j = 0; j < cols; ++j) x(i, j) = design[static_cast<std::size_t>(i * cols + j)];
  }
  // Scale each column to unit Euclidean norm: the QR then sees a well-conditioned problem even for
  // polynomial columns spanning many orders of magnitude; coefficients and errors are scaled back below.
  Eigen::VectorXd scale(cols);
  bool has_constant_column = false;
  for (Eigen::Index j = 0; j < cols; ++j) {
    const double norm = x.col(j).norm();
    if (norm == 0) {
      throw std::invalid_argument("least_squares: design column " + std::to_string(j) + " is all zero");
    }
    scale(j) = norm;
    x.col(j) /= norm;
    has_constant_column = has_constant_column || (x.col(j).array() == x(0, j)).all();
  }
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(x);
  if (qr.rank() < cols) {
    throw std::invalid_argument("least_squares: the design columns are linearly dependent (rank " +
                                std::to_string(qr.rank()) + " of " + std::to_string(columns) +
                                "); does every fitted parameter take enough distinct values?");
  }
  const Eigen::VectorXd b = qr.solve(yv);
  const Eigen::VectorXd residuals = yv - x * b;
  const double rss = residuals.squaredNorm();
  const double centre = has_constant_column ? yv.mean() : 0.0;
  const double tss = (yv.array() - centre).square().sum();

  LinearFit fit;
  fit.n = n;
  fit.dof = n - columns;
  fit.r_squared = tss > 0 ? 1.0 - rss / tss : kNaN;
  fit.residual_sd = fit.dof > 0 ? std::sqrt(rss / static_cast<double>(fit.dof)) : kNaN;
  // (X'X)^-1 = P R^-1 R^-T P' for X P = Q R.
  const Eigen::MatrixXd r = qr.matrixR().topLeftCorner(cols, cols).triangularView<Eigen::Upper>();
  const Eigen::MatrixXd r_inv =
      r.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(cols, cols));
  const Eigen::MatrixXd unpermuted = qr.colsPermutation() * (r_inv * r_inv.transpose()) *
                                     qr.colsPermutation().transpose();
  const double t = fit.dof > 0 ? student_t_quantile(0.975, static_cast<double>(fit.dof)) : kNaN;
  for (Eigen::Index j = 0; j < cols; ++j) {
    const double coef = b(j) / scale(j);
    const double se = fit.residual_sd * std::sqrt(unpermuted(j, j)) / scale(j);
    fit.coefficients.push_back(coef);
    fit.standard_errors.push_back(se);
    fit.ci95_low.push_back(coef - t * se);
    fit.ci95_high.push_back(coef + t * se);
  }
  return fit;
}

LinearFit fit_line(std::span<const double> x, std::span<const double> y) { return fit_polynomial(x, y, 1); }

LinearFit fit_polynomial(std::span<const double> x, std::span<const double> y, int degree) {
  if (degree < 0) throw std::invalid_argument("fit_polynomial: expected degree >= 0, got " + std::to_string(degree));
  if (x.size() != y.size()) {
    throw std::invalid_argument("fit_polynomial: expected as many x as y values, got " + std::to_string(x.size()) +
                                " and " + std::to_string(y.size()));
  }
  const auto columns = static_cast<std::size_t>(degree) + 1;
  std::vector<double> design;
  design.reserve(x.size() * columns);
  for (double xi : x) {
    double power = 1.0;
    for (std::size_t j = 0; j < columns; ++j) {
      design.push_back(power);
      power *= xi;
    }
  }
  return least_squares(design, columns, y);
}

double evaluate_polynomial(std::span<const double> coefficients, double x) {
  double acc = 0.0;
  for (auto it = coefficients.rbegin(); it != coefficients.rend(); ++it) acc = acc * x + *it;
  return acc;
}

}  // namespace analysis
