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

namespace {
constexpr std::int64_t kNsPerHour = 3'600'000'000'000;
constexpr std::int64_t kNsPerDay = 24 * kNsPerHour;

// The mean of `w` (not empty, all >= 0 and finite).
double mean_of(const std::vector<double>& w) {
  double sum = 0;
  for (double x : w) sum += x;
  return sum / static_cast<double>(w.size());
}

void check_profile(const std::vector<double>& w, std::size_t n, const std::string& path, const char* what,
                   sim::ConfigIssues& out) {
  if (w.empty()) return;
  if (w.size() != n) {
    out.add(path, fmt::format("needs {} weights ({}), got {}", n, what, w.size()));
    return;
  }
  for (std::size_t i = 0; i < w.size(); ++i)
    if (!(w[i] >= 0) || !std::isfinite(w[i])) {
      out.add(path, fmt::format("weight {} must be a finite number >= 0 (got {})", i, w[i]));
      return;
    }
  if (!(mean_of(w) > 0)) out.add(path, "needs at least one weight > 0");
}
}  // namespace

double SeasonalityConfig::mean_weight(sim::Duration t, sim::Duration dt) const {
  if (!active() || dt.ns() <= 0) return 1.0;
  const double hourly_mean = hourly.empty() ? 1.0 : mean_of(hourly);
  const double weekday_mean = weekday.empty() ? 1.0 : mean_of(weekday);
  // Time since Monday 00:00 UTC of the first week, in ns.
  const auto offset = static_cast<std::int64_t>(std::llround(start_hour * 3600.0 * 1e9)) +
                      static_cast<std::int64_t>(static_cast<int>(start_weekday)) * kNsPerDay;
  std::int64_t from = offset + t.ns();
  const std::int64_t to = from + dt.ns();
  double integral = 0;  // weight x ns
  while (from < to) {
    const std::int64_t hour_end = (from / kNsPerHour + 1) * kNsPerHour;
    const std::int64_t seg_end = std::min(hour_end, to);
    const auto hour = static_cast<std::size_t>((from / kNsPerHour) % 24);
    const auto day = static_cast<std::size_t>((from / kNsPerDay) % 7);
    const double w = (hourly.empty() ? 1.0 : hourly[hour] / hourly_mean) * (weekday.empty() ? 1.0 : weekday[day] / weekday_mean);
    integral += w * static_cast<double>(seg_end - from);
    from = seg_end;
  }
  return integral / static_cast<double>(dt.ns());
}

sim::ConfigIssues PriceProcessConfig::validate(const std::string& path) const {
  sim::ConfigIssues out;
  if (kind != Kind::replay) {
    if (!(start > 0) || !std::isfinite(start)) out.add(path + ".start", fmt::format("must be > 0 USD (got {})", start));
    if (!std::isfinite(drift)) out.add(path + ".drift", "must be finite");
    if (!(volatility >= 0) || !std::isfinite(volatility))
      out.add(path + ".volatility", fmt::format("must be >= 0 (got {})", volatility));
    if ((kind == Kind::garch || kind == Kind::heston) && !(volatility > 0))
      out.add(path + ".volatility", fmt::format("must be > 0 for {}: it is the long-run volatility (got {})",
                                                kind == Kind::garch ? "garch" : "heston", volatility));
    if (!(jumps.intensity >= 0)) out.add(path + ".jumps.intensity", fmt::format("must be >= 0 per year (got {})", jumps.intensity));
    if (!(jumps.sd >= 0)) out.add(path + ".jumps.sd", fmt::format("must be >= 0 (got {})", jumps.sd));
    if (regime.enabled) {
      if (!(regime.turbulent_volatility >= 0))
        out.add(path + ".regime.turbulent_volatility", "must be >= 0");
      if (!(regime.to_turbulent_rate >= 0)) out.add(path + ".regime.to_turbulent_rate", "must be >= 0 per year");
      if (!(regime.to_calm_rate >= 0)) out.add(path + ".regime.to_calm_rate", "must be >= 0 per year");
    }
    if (kind == Kind::garch) {
      if (!(garch.alpha >= 0)) out.add(path + ".garch.alpha", fmt::format("must be >= 0 (got {})", garch.alpha));
      if (!(garch.beta >= 0)) out.add(path + ".garch.beta", fmt::format("must be >= 0 (got {})", garch.beta));
      if (!(garch.alpha + garch.beta < 1))
        out.add(path + ".garch.beta", fmt::format("alpha + beta must be < 1 for a finite long-run variance (got {} + {})",
                                                  garch.alpha, garch.beta));
      if (garch.period.ns() <= 0) {
        out.add(path + ".garch.period", fmt::format("must be > 0 (got {})", garch.period));
      } else if (step.ns() > 0 && garch.period.ns() % step.ns() != 0) {
        out.add(path + ".garch.period", fmt::format("must be a whole number of steps (step {}, got {})", step, garch.period));
      }
    }
    if (kind == Kind::heston) {
      if (!(heston.mean_reversion > 0))
        out.add(path + ".heston.mean_reversion", fmt::format("must be > 0 per year (got {})", heston.mean_reversion));
      if (!(heston.vol_of_vol >= 0)) out.add(path + ".heston.vol_of_vol", fmt::format("must be >= 0 (got {})", heston.vol_of_vol));
      if (!(heston.correlation >= -1 && heston.correlation <= 1))
        out.add(path + ".heston.correlation", fmt::format("must be in [-1, 1] (got {})", heston.correlation));
    }
    check_profile(seasonality.hourly, 24, path + ".seasonality.hourly", "UTC hours 0..23", out);
    check_profile(seasonality.weekday, 7, path + ".seasonality.weekday", "Monday..Sunday", out);
    if (!(seasonality.start_hour >= 0 && seasonality.start_hour < 24))
      out.add(path + ".seasonality.start_hour", fmt::format("must be in [0, 24) (got {})", seasonality.start_hour));
  } else if (csv.empty()) {
    out.add(path + ".csv", "replay needs a CSV file path");
  }
  if (step.ns() <= 0) out.add(path + ".step", fmt::format("must be > 0 (got {})", step));
  return out;
}

PriceProcess::PriceProcess(const PriceProcessConfig& cfg)
    : cfg_(cfg),
      price_(cfg.start),
      kappa_(std::exp(cfg.jumps.mean + 0.5 * cfg.jumps.sd * cfg.jumps.sd) - 1.0),
      variance_(cfg.volatility * cfg.volatility) {}

double PriceProcess::regime_multiplier() const {
  if (!turbulent_) return 1.0;
  const double r = cfg_.regime.turbulent_volatility / cfg_.volatility;
  return r * r;
}

double PriceProcess::base_variance() const { return cfg_.kind == PriceProcessConfig::Kind::heston ? std::max(variance_, 0.0) : variance_; }

double PriceProcess::volatility_now() const {
  const double season = cfg_.seasonality.mean_weight(elapsed_, cfg_.step);
  if (cfg_.kind == PriceProcessConfig::Kind::gbm) {
    const double sigma = turbulent_ ? cfg_.regime.turbulent_volatility : cfg_.volatility;
    return sigma * std::sqrt(season);
  }
  return std::sqrt(base_variance() * regime_multiplier() * season);
}

void PriceProcess::switch_regime(sim::Rng& rng, double t) {
  // Two-state chain: P(other state at t | state now) = r_out / (r_out + r_in) * (1 - exp(-(r_out + r_in) t)).
  const double r_out = turbulent_ ? cfg_.regime.to_calm_rate : cfg_.regime.to_turbulent_rate;
  const double r_in = turbulent_ ? cfg_.regime.to_turbulent_rate : cfg_.regime.to_calm_rate;
  const double sum = r_out + r_in;
  const double p_other = sum > 0 ? r_out / sum * (1.0 - std::exp(-sum * t)) : 0.0;
  if (sim::bernoulli(rng, p_other)) turbulent_ = !turbulent_;
}

double PriceProcess::advance(sim::Rng& rng, sim::Duration dt) {
  if (dt.ns() <= 0) throw std::invalid_argument("PriceProcess::advance: dt must be > 0");
  const double t = dt.seconds() / kSecondsPerYear;
  const double lambda = cfg_.jumps.intensity;
  const bool seasonal = cfg_.seasonality.active();
  const double season = seasonal ? cfg_.seasonality.mean_weight(elapsed_, dt) : 1.0;
  double log_return = 0;
  switch (cfg_.kind) {
    case PriceProcessConfig::Kind::gbm:
    case PriceProcessConfig::Kind::replay: {
      double sigma = turbulent_ ? cfg_.regime.turbulent_volatility : cfg_.volatility;
      if (seasonal) sigma *= std::sqrt(season);
      log_return = (cfg_.drift - 0.5 * sigma * sigma - lambda * kappa_) * t + sigma * std::sqrt(t) * sim::normal(rng, 0, 1);
      break;
    }
    case PriceProcessConfig::Kind::garch: {
      const double shock = std::sqrt(variance_ * t) * sim::normal(rng, 0, 1);  // before the multipliers
      const double scale = std::sqrt(regime_multiplier() * season);
      const double v = variance_ * regime_multiplier() * season;
      log_return = (cfg_.drift - 0.5 * v - lambda * kappa_) * t + scale * shock;
      period_shock_ += shock;
      period_elapsed_ += dt;
      if (period_elapsed_ >= cfg_.garch.period) {
        // h_{k+1} = omega + alpha eps^2 + beta h_k, in annualised variance: divide by the period in years.
        const double period = cfg_.garch.period.seconds() / kSecondsPerYear;
        const double long_run = cfg_.volatility * cfg_.volatility;
        variance_ = long_run * (1.0 - cfg_.garch.alpha - cfg_.garch.beta) +
                    cfg_.garch.alpha * period_shock_ * period_shock_ / period + cfg_.garch.beta * variance_;
        period_shock_ = 0;
        period_elapsed_ = period_elapsed_ - cfg_.garch.period;
      }
      break;
    }
    case PriceProcessConfig::Kind::heston: {
      const double v = std::max(variance_, 0.0);
      const double z_v = sim::normal(rng, 0, 1);
      const double z_s = cfg_.heston.correlation * z_v +
                         std::sqrt(1.0 - cfg_.heston.correlation * cfg_.heston.correlation) * sim::normal(rng, 0, 1);
      const double m = regime_multiplier() * season;
      log_return = (cfg_.drift - 0.5 * v * m - lambda * kappa_) * t + std::sqrt(v * m * t) * z_s;
      const double theta = cfg_.volatility * cfg_.volatility;
      variance_ += cfg_.heston.mean_reversion * (theta - v) * t + cfg_.heston.vol_of_vol * std::sqrt(v * t) * z_v;
      break;
    }
  }
  if (lambda > 0) {
    const std::uint64_t n = poisson(rng, lambda * t);
    // The sum of n N(m, s) draws is N(n m, n s^2).
    if (n > 0) log_return += sim::normal(rng, static_cast<double>(n) * cfg_.jumps.mean, std::sqrt(static_cast<double>(n)) * cfg_.jumps.sd);
  }
  price_ *= std::exp(log_return);
  if (cfg_.regime.enabled) switch_regime(rng, t);
  elapsed_ += dt;
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
