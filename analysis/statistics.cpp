#include "analysis/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "analysis/student_t.hpp"

namespace analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool any_nan(std::span<const double> xs) {
  return std::any_of(xs.begin(), xs.end(), [](double x) { return std::isnan(x); });
}

}  // namespace

Summary summarize(std::span<const double> xs) {
  Summary s;
  s.n = xs.size();
  if (xs.empty() || any_nan(xs)) {
    s.mean = s.sd = s.ci95_low = s.ci95_high = s.min = s.max = kNaN;
    return s;
  }
  const double n = static_cast<double>(xs.size());
  // Two passes: the mean first, then squared deviations from it (no cancellation as in sum(x^2) - n m^2).
  double sum = 0;
  for (double x : xs) sum += x;
  s.mean = sum / n;
  double ss = 0;
  double correction = 0;  // the second-pass correction of the mean's rounding error
  for (double x : xs) {
    ss += (x - s.mean) * (x - s.mean);
    correction += x - s.mean;
  }
  s.min = *std::min_element(xs.begin(), xs.end());
  s.max = *std::max_element(xs.begin(), xs.end());
  if (xs.size() == 1) {
    s.sd = 0;
    s.ci95_low = s.ci95_high = s.mean;
    return s;
  }
  s.sd = std::sqrt(std::max(0.0, (ss - correction * correction / n) / (n - 1)));
  const double half = student_t_quantile(0.975, n - 1) * s.sd / std::sqrt(n);
  s.ci95_low = s.mean - half;
  s.ci95_high = s.mean + half;
  return s;
}

namespace {

void check_probability(double p, const char* who) {
  if (!(p >= 0 && p <= 1)) {
    throw std::invalid_argument(std::string(who) + ": expected 0 <= p <= 1, got " + std::to_string(p));
  }
}

double sorted_quantile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return kNaN;
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

}  // namespace

double quantile(std::span<const double> xs, double p) {
  const double ps[] = {p};
  return quantiles(xs, ps).front();
}

std::vector<double> quantiles(std::span<const double> xs, std::span<const double> ps) {
  for (double p : ps) check_probability(p, "quantile");
  std::vector<double> out;
  out.reserve(ps.size());
  if (any_nan(xs)) {
    out.assign(ps.size(), kNaN);
    return out;
  }
  std::vector<double> sorted(xs.begin(), xs.end());
  std::sort(sorted.begin(), sorted.end());
  for (double p : ps) out.push_back(sorted_quantile(sorted, p));
  return out;
}

namespace {

// Calls visit(value, duration) for each piece of the series inside [from, to).
template <typename Visit>
void for_each_piece(std::span<const Step> steps, sim::Time from, sim::Time to, Visit visit) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (i > 0 && steps[i].at < steps[i - 1].at) {
      throw std::invalid_argument("time-weighted statistics: steps must be in time order (step " +
                                  std::to_string(i) + " at " + sim::to_string(steps[i].at) + " precedes step " +
                                  std::to_string(i - 1) + " at " + sim::to_string(steps[i - 1].at) + ")");
    }
  }
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const sim::Time begin = std::max(steps[i].at, from);
    const sim::Time end = std::min(i + 1 < steps.size() ? steps[i + 1].at : to, to);
    if (end > begin) visit(steps[i].value, end - begin);
  }
}

}  // namespace

TimeWeighted time_weighted_mean(std::span<const Step> steps, sim::Time from, sim::Time to) {
  TimeWeighted out;
  double integral = 0;  // value x seconds
  for_each_piece(steps, from, to, [&](double value, sim::Duration d) {
    integral += value * d.seconds();
    out.covered += d;
  });
  out.mean = out.covered > sim::Duration() ? integral / out.covered.seconds() : kNaN;
  return out;
}

double time_weighted_quantile(std::span<const Step> steps, sim::Time from, sim::Time to, double p) {
  check_probability(p, "time_weighted_quantile");
  struct Piece {
    double value;
    std::int64_t ns;
  };
  std::vector<Piece> pieces;
  std::int64_t total = 0;
  bool nan = false;
  for_each_piece(steps, from, to, [&](double value, sim::Duration d) {
    nan = nan || std::isnan(value);
    pieces.push_back({value, d.ns()});
    total += d.ns();
  });
  if (total == 0 || nan) return kNaN;
  std::sort(pieces.begin(), pieces.end(), [](const Piece& a, const Piece& b) { return a.value < b.value; });
  // Integer nanoseconds make the comparison exact: smallest v with covered(<= v) >= p * total.
  const long double need = static_cast<long double>(p) * static_cast<long double>(total);
  std::int64_t acc = 0;
  for (const Piece& piece : pieces) {
    acc += piece.ns;
    if (static_cast<long double>(acc) >= need) return piece.value;
  }
  return pieces.back().value;
}

PairedComparison compare_paired(std::span<const double> a, std::span<const double> b) {
  if (a.size() != b.size()) {
    throw std::invalid_argument("compare_paired: expected as many values in a as in b (one per replication), got " +
                                std::to_string(a.size()) + " and " + std::to_string(b.size()));
  }
  PairedComparison out;
  out.n = a.size();
  std::vector<double> diff(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) diff[i] = a[i] - b[i];
  out.difference = summarize(diff);
  const Summary sa = summarize(a);
  const Summary sb = summarize(b);
  if (out.n == 0 || std::isnan(sa.mean) || std::isnan(sb.mean) || sb.mean == 0) {
    out.ratio = out.ratio_ci95_low = out.ratio_ci95_high = kNaN;
    return out;
  }
  out.ratio = sa.mean / sb.mean;
  // Delta method: Var(mean(a)/mean(b)) ~ Var(mean(a - R b)) / mean(b)^2, i.e. the linearised residuals
  // a_i - R b_i (whose mean is zero) carry the sampling error of the ratio.
  std::vector<double> linearised(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) linearised[i] = a[i] - out.ratio * b[i];
  const Summary sl = summarize(linearised);
  if (out.n == 1) {
    out.ratio_ci95_low = out.ratio_ci95_high = out.ratio;
    return out;
  }
  const double n = static_cast<double>(out.n);
  const double se = sl.sd / (std::sqrt(n) * std::fabs(sb.mean));
  const double half = student_t_quantile(0.975, n - 1) * se;
  out.ratio_ci95_low = out.ratio - half;
  out.ratio_ci95_high = out.ratio + half;
  return out;
}

}  // namespace analysis
