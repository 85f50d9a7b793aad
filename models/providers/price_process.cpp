#include "models/providers/price_process.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <fmt/core.h>

#include "sim/distributions.hpp"
#include "sim/file_check.hpp"

namespace models::providers {

namespace {
double scale_of(int decimals) {
  if (decimals < 0 || decimals > kMaxAnswerDecimals)
    throw std::out_of_range(fmt::format("answer decimals must be 0..{}, got {}", kMaxAnswerDecimals, decimals));
  double s = 1;
  for (int i = 0; i < decimals; ++i) s *= 10;  // exact: 10^18 < 2^53 * 2^18 is a double without rounding
  return s;
}
}  // namespace

chain::SignedWord to_answer(double usd, int decimals) {
  const double scaled = std::round(usd * scale_of(decimals));
  if (!std::isfinite(scaled) || std::fabs(scaled) >= 1e36)
    throw std::out_of_range(fmt::format("price {} USD does not fit a {}-decimal answer", usd, decimals));
  return static_cast<chain::SignedWord>(scaled);
}

double from_answer(chain::SignedWord answer, int decimals) { return static_cast<double>(answer) / scale_of(decimals); }

sim::ConfigIssues PriceProcessConfig::validate(const std::string& path) const {
  sim::ConfigIssues out;
  if (kind == Kind::gbm) {
    if (!(start > 0) || !std::isfinite(start)) out.add(path + ".start", fmt::format("must be > 0 USD (got {})", start));
    if (!std::isfinite(drift)) out.add(path + ".drift", "must be finite");
    if (!(volatility >= 0) || !std::isfinite(volatility))
      out.add(path + ".volatility", fmt::format("must be >= 0 (got {})", volatility));
    if (!(jumps.intensity >= 0)) out.add(path + ".jumps.intensity", fmt::format("must be >= 0 per year (got {})", jumps.intensity));
    if (!(jumps.sd >= 0)) out.add(path + ".jumps.sd", fmt::format("must be >= 0 (got {})", jumps.sd));
    if (regime.enabled) {
      if (!(regime.turbulent_volatility >= 0))
        out.add(path + ".regime.turbulent_volatility", "must be >= 0");
      if (!(regime.to_turbulent_rate >= 0)) out.add(path + ".regime.to_turbulent_rate", "must be >= 0 per year");
      if (!(regime.to_calm_rate >= 0)) out.add(path + ".regime.to_calm_rate", "must be >= 0 per year");
    }
  } else if (csv.empty()) {
    out.add(path + ".csv", "replay needs a CSV file path");
  }
  if (step.ns() <= 0) out.add(path + ".step", fmt::format("must be > 0 (got {})", step));
  return out;
}

PriceProcess::PriceProcess(const PriceProcessConfig& cfg)
    : cfg_(cfg), price_(cfg.start), kappa_(std::exp(cfg.jumps.mean + 0.5 * cfg.jumps.sd * cfg.jumps.sd) - 1.0) {}

double PriceProcess::advance(sim::Rng& rng, sim::Duration dt) {
  if (dt.ns() <= 0) throw std::invalid_argument("PriceProcess::advance: dt must be > 0");
  const double t = dt.seconds() / kSecondsPerYear;
  const double sigma = turbulent_ ? cfg_.regime.turbulent_volatility : cfg_.volatility;
  const double lambda = cfg_.jumps.intensity;
  double log_return = (cfg_.drift - 0.5 * sigma * sigma - lambda * kappa_) * t + sigma * std::sqrt(t) * sim::normal(rng, 0, 1);
  if (lambda > 0) {
    const std::uint64_t n = poisson(rng, lambda * t);
    // The sum of n N(m, s) draws is N(n m, n s^2).
    if (n > 0) log_return += sim::normal(rng, static_cast<double>(n) * cfg_.jumps.mean, std::sqrt(static_cast<double>(n)) * cfg_.jumps.sd);
  }
  price_ *= std::exp(log_return);
  if (cfg_.regime.enabled) {
    // Two-state chain: P(other state at t | state now) = r_out / (r_out + r_in) * (1 - exp(-(r_out + r_in) t)).
    const double r_out = turbulent_ ? cfg_.regime.to_calm_rate : cfg_.regime.to_turbulent_rate;
    const double r_in = turbulent_ ? cfg_.regime.to_turbulent_rate : cfg_.regime.to_calm_rate;
    const double sum = r_out + r_in;
    const double p_other = sum > 0 ? r_out / sum * (1.0 - std::exp(-sum * t)) : 0.0;
    if (sim::bernoulli(rng, p_other)) turbulent_ = !turbulent_;
  }
  return price_;
}

std::uint64_t poisson(sim::Rng& rng, double mean) {
  if (!(mean >= 0)) throw std::invalid_argument("poisson: mean must be >= 0");
  std::uint64_t total = 0;
  while (mean > 30) {  // Poisson is additive: split large means into chunks Knuth's method handles well
    total += poisson(rng, 30);
    mean -= 30;
  }
  const double limit = std::exp(-mean);
  double p = rng.uniform01();
  while (p > limit) {
    ++total;
    p *= rng.uniform01();
  }
  return total;
}

double PricePath::at(sim::Time t) const {
  auto it = std::upper_bound(times.begin(), times.end(), t);
  if (it == times.begin()) return prices.front();
  return prices[static_cast<std::size_t>(it - times.begin()) - 1];
}

PricePath parse_price_csv(const std::string& text, const std::string& source) {
  PricePath path;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  double first_ts = 0;
  bool header_seen = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (const auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty()) continue;
    const auto comma = line.find(',');
    if (comma == std::string::npos)
      throw std::runtime_error(fmt::format("{}:{}: expected 'timestamp,price', got '{}'", source, line_no, line));
    double ts = 0, price = 0;
    try {
      std::size_t used_ts = 0, used_p = 0;
      const std::string a = line.substr(0, comma), b = line.substr(comma + 1);
      ts = std::stod(a, &used_ts);
      price = std::stod(b, &used_p);
      if (used_ts != a.size() || used_p != b.size()) throw std::invalid_argument("trailing characters");
    } catch (const std::exception&) {
      if (path.times.empty() && !header_seen && !std::isdigit(static_cast<unsigned char>(line[0]))) {
        header_seen = true;  // a header line before the first row
        continue;
      }
      throw std::runtime_error(fmt::format("{}:{}: expected numbers 'timestamp,price', got '{}'", source, line_no, line));
    }
    if (!std::isfinite(ts))
      throw std::runtime_error(fmt::format("{}:{}: the timestamp must be a finite number of seconds (got {})", source, line_no, ts));
    if (path.times.size() >= kMaxPriceRows)
      throw std::runtime_error(fmt::format("{}:{}: more than {} price rows", source, line_no, kMaxPriceRows));
    if (!(price > 0) || !std::isfinite(price))
      throw std::runtime_error(fmt::format("{}:{}: price must be > 0 (got {})", source, line_no, price));
    if (path.times.empty()) first_ts = ts;
    const sim::Time t = sim::Time::from_seconds(ts - first_ts);
    if (!path.times.empty() && t <= path.times.back())
      throw std::runtime_error(fmt::format("{}:{}: timestamps must be strictly increasing", source, line_no));
    path.times.push_back(t);
    path.prices.push_back(price);
  }
  if (path.times.empty()) throw std::runtime_error(fmt::format("{}: no price rows", source));
  return path;
}

PricePath load_price_csv(const std::string& file) {
  if (const std::string why = sim::regular_file_problem(file, kMaxPriceCsvBytes); !why.empty())
    throw std::runtime_error(fmt::format("price CSV '{}': {}", file, why));
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot open price CSV '{}'", file));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_price_csv(ss.str(), file);
}

}  // namespace models::providers
