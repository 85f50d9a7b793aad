#include "models/providers/price_process.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "sim/random.hpp"

using namespace models::providers;
using namespace sim::literals;

namespace {
struct Moments {
  double mean = 0, var = 0;
};
// Moments of the log return over `steps` steps of dt, over `paths` independent paths.
Moments log_return_moments(const PriceProcessConfig& cfg, sim::Duration dt, int steps, int paths) {
  sim::Rng rng = sim::RngFactory(7, 0).stream("gbm-test");
  double m = 0, m2 = 0;
  for (int p = 1; p <= paths; ++p) {
    PriceProcess proc(cfg);
    for (int i = 0; i < steps; ++i) proc.advance(rng, dt);
    const double x = std::log(proc.price() / cfg.start);
    const double d = x - m;
    m += d / p;
    m2 += d * (x - m);
  }
  return {m, m2 / (paths - 1)};
}
}  // namespace

TEST(Answer, FixedPointRoundTrip) {
  EXPECT_EQ(to_answer(3000.0), 300'000'000'000);
  EXPECT_EQ(to_answer(1.234567891), 123'456'789);  // rounds to 8 decimals
  EXPECT_EQ(to_answer(0.000000005), 1);             // half away from zero
  EXPECT_DOUBLE_EQ(from_answer(300'012'345'678), 3000.12345678);
  EXPECT_THROW(to_answer(1e29), std::out_of_range);  // 1e37 with 8 decimals
  EXPECT_THROW(to_answer(NAN), std::out_of_range);
}

TEST(Answer, EighteenDecimalAnswersExceedSixtyFourBits) {
  // 3,000 USD with 18 decimals is 3e21, past int64 (9.2e18): int192 on chain, 128 bits here.
  const models::chain::SignedWord a = to_answer(3000.0, 18);
  EXPECT_EQ(a, models::chain::SignedWord{3000} * 1'000'000'000'000'000'000);
  EXPECT_DOUBLE_EQ(from_answer(a, 18), 3000.0);
  EXPECT_EQ(to_answer(-2.5, 18), -models::chain::SignedWord{2'500'000'000'000'000'000});
  EXPECT_EQ(models::chain::to_string_signed(to_answer(123.5, 18)), "123500000000000000000");
  EXPECT_EQ(to_answer(1.5, 0), 2);
  EXPECT_THROW(to_answer(1.0, 19), std::out_of_range);
  EXPECT_THROW(to_answer(1.0, -1), std::out_of_range);
}

TEST(PriceProcess, GbmLogReturnMomentsOverManySteps) {
  PriceProcessConfig cfg;
  cfg.start = 3000;
  cfg.drift = 0.5;
  cfg.volatility = 0.8;
  const sim::Duration dt = 1_h;
  const int steps = 24 * 30;  // 30 days in hourly steps
  const Moments mo = log_return_moments(cfg, dt, steps, 4000);
  const double t = 30.0 / 365.0;
  const double want_mean = (0.5 - 0.5 * 0.8 * 0.8) * t;
  const double want_var = 0.8 * 0.8 * t;
  // Standard error of the mean: sqrt(var / n) ~ 0.0035; of the variance ~ var * sqrt(2/n) ~ 0.0012.
  EXPECT_NEAR(mo.mean, want_mean, 4 * std::sqrt(want_var / 4000));
  EXPECT_NEAR(mo.var, want_var, 4 * want_var * std::sqrt(2.0 / 4000));
}

TEST(PriceProcess, GbmStepIsExactForAnyDt) {
  // One 30-day step has the same log-return law as 720 hourly steps.
  PriceProcessConfig cfg;
  cfg.volatility = 0.6;
  const Moments one = log_return_moments(cfg, 30_d, 1, 20000);
  const double t = 30.0 / 365.0;
  EXPECT_NEAR(one.mean, -0.5 * 0.36 * t, 4 * std::sqrt(0.36 * t / 20000));
  EXPECT_NEAR(one.var, 0.36 * t, 4 * 0.36 * t * std::sqrt(2.0 / 20000));
}

TEST(PriceProcess, MertonJumpsAddVarianceAndKeepTheMean) {
  PriceProcessConfig cfg;
  cfg.volatility = 0.2;
  cfg.jumps = {50, -0.01, 0.03};  // 50 jumps a year
  const double t = 30.0 / 365.0;
  const Moments mo = log_return_moments(cfg, 1_h, 24 * 30, 4000);
  // Var[log S_t] = sigma^2 t + lambda t (m^2 + s^2).
  const double want_var = 0.04 * t + 50 * t * (0.0001 + 0.0009);
  EXPECT_NEAR(mo.var, want_var, 4 * want_var * std::sqrt(2.0 / 4000));
  // Mean of log return: (mu - sigma^2/2 - lambda kappa) t + lambda t m.
  const double kappa = std::exp(-0.01 + 0.5 * 0.0009) - 1;
  const double want_mean = (-0.02 - 50 * kappa) * t + 50 * t * -0.01;
  EXPECT_NEAR(mo.mean, want_mean, 4 * std::sqrt(want_var / 4000));
}

TEST(PriceProcess, RegimeSwitchSpendsTheStationaryShareTurbulent) {
  PriceProcessConfig cfg;
  cfg.regime.enabled = true;
  cfg.regime.to_turbulent_rate = 100;  // per year
  cfg.regime.to_calm_rate = 300;
  PriceProcess proc(cfg);
  sim::Rng rng = sim::RngFactory(3, 0).stream("regime");
  int turbulent = 0;
  const int steps = 200'000;
  for (int i = 0; i < steps; ++i) {
    proc.advance(rng, 10_min);
    turbulent += proc.turbulent();
  }
  EXPECT_NEAR(static_cast<double>(turbulent) / steps, 0.25, 0.02);  // 100 / (100 + 300)
}

TEST(Poisson, MeanAndVariance) {
  sim::Rng rng = sim::RngFactory(1, 0).stream("poisson");
  for (double lambda : {0.3, 4.0, 75.0}) {
    double m = 0, m2 = 0;
    const int n = 100'000;
    for (int i = 1; i <= n; ++i) {
      const double x = static_cast<double>(poisson(rng, lambda));
      const double d = x - m;
      m += d / i;
      m2 += d * (x - m);
    }
    EXPECT_NEAR(m, lambda, 4 * std::sqrt(lambda / n)) << lambda;
    EXPECT_NEAR(m2 / (n - 1), lambda, 0.05 * lambda) << lambda;
  }
}

TEST(PricePath, ParsesShiftsAndSteps) {
  const PricePath p = parse_price_csv("timestamp,price\n1700000000,3000.5\n1700000060,3010\n# c\n1700000120,2990.25\n", "x.csv");
  ASSERT_EQ(p.times.size(), 3u);
  EXPECT_EQ(p.times[1], sim::Time::zero() + 60_s);
  EXPECT_DOUBLE_EQ(p.at(sim::Time::zero()), 3000.5);
  EXPECT_DOUBLE_EQ(p.at(sim::Time::zero() + 59_s), 3000.5);
  EXPECT_DOUBLE_EQ(p.at(sim::Time::zero() + 60_s), 3010);
  EXPECT_DOUBLE_EQ(p.at(sim::Time::zero() + 1_d), 2990.25);
}

TEST(PricePath, BadInputNamesTheLine) {
  try {
    parse_price_csv("0,1\n10,abc\n", "bad.csv");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv:2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_price_csv("0,1\n0,2\n", "dup.csv"), std::runtime_error);
  EXPECT_THROW(parse_price_csv("0,-1\n", "neg.csv"), std::runtime_error);
  EXPECT_THROW(parse_price_csv("", "empty.csv"), std::runtime_error);
}

TEST(PriceProcessConfig, ValidateFindsProblems) {
  PriceProcessConfig cfg;
  cfg.start = -1;
  cfg.volatility = -0.1;
  cfg.step = sim::Duration{};
  const auto issues = cfg.validate("assets.ETH/USD");
  ASSERT_EQ(issues.size(), 3u);
  EXPECT_EQ(issues.items()[0].path, "assets.ETH/USD.start");
  EXPECT_TRUE(PriceProcessConfig{}.validate("a").empty());
}

namespace {
// Log returns of one path of `n` steps of dt.
std::vector<double> log_returns(const PriceProcessConfig& cfg, sim::Duration dt, std::size_t n, const char* stream) {
  sim::Rng rng = sim::RngFactory(11, 0).stream(stream);
  PriceProcess proc(cfg);
  std::vector<double> r;
  r.reserve(n);
  double prev = proc.price();
  for (std::size_t i = 0; i < n; ++i) {
    const double p = proc.advance(rng, dt);
    r.push_back(std::log(p / prev));
    prev = p;
  }
  return r;
}

double mean_of(const std::vector<double>& x) {
  double s = 0;
  for (double v : x) s += v;
  return s / static_cast<double>(x.size());
}

// Sample autocorrelation of x at `lag`.
double autocorrelation(const std::vector<double>& x, std::size_t lag) {
  const double m = mean_of(x);
  double num = 0, den = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    den += (x[i] - m) * (x[i] - m);
    if (i + lag < x.size()) num += (x[i] - m) * (x[i + lag] - m);
  }
  return num / den;
}

std::vector<double> squares(const std::vector<double>& x) {
  std::vector<double> s;
  s.reserve(x.size());
  for (double v : x) s.push_back(v * v);
  return s;
}

// The first prices of a path, to pin a process's exact output for a seed.
std::vector<double> first_prices(const PriceProcessConfig& cfg, int n) {
  sim::Rng rng = sim::RngFactory(42, 0).stream("pinned");
  PriceProcess proc(cfg);
  std::vector<double> p;
  for (int i = 0; i < n; ++i) p.push_back(proc.advance(rng, cfg.step));
  return p;
}
}  // namespace

// GARCH(1,1) with Gaussian shocks, one step per period: E[r^2] = omega / (1 - alpha - beta), kurtosis
// 3 (1 - (a+b)^2) / (1 - (a+b)^2 - 2 a^2), and the autocorrelation of r^2 at lag k is
// rho_1 (a+b)^(k-1), rho_1 = a (1 - a b - b^2) / (1 - 2 a b - b^2) (Bollerslev 1986; He and Terasvirta 1999).
TEST(PriceProcess, GarchSquaredReturnsClusterAsTheModelSays) {
  PriceProcessConfig cfg;
  cfg.kind = PriceProcessConfig::Kind::garch;
  cfg.volatility = 0.8;
  cfg.step = 1_h;
  cfg.garch.period = 1_h;
  const double a = 0.05, b = 0.9;
  cfg.garch.alpha = a;
  cfg.garch.beta = b;
  const auto r = log_returns(cfg, 1_h, 400'000, "garch-moments");
  const double period = 3600.0 / kSecondsPerYear;
  const auto r2 = squares(r);
  EXPECT_NEAR(mean_of(r2) / (0.64 * period), 1.0, 0.015);
  const double m4 = mean_of(squares(r2));
  const double kurtosis = m4 / (mean_of(r2) * mean_of(r2));
  const double p = a + b;
  EXPECT_NEAR(kurtosis, 3 * (1 - p * p) / (1 - p * p - 2 * a * a), 0.04);
  const double rho1 = a * (1 - a * b - b * b) / (1 - 2 * a * b - b * b);
  EXPECT_NEAR(autocorrelation(r2, 1), rho1, 0.012);
  EXPECT_NEAR(autocorrelation(r2, 2), rho1 * p, 0.012);
  EXPECT_NEAR(autocorrelation(r2, 10), rho1 * std::pow(p, 9), 0.012);
  // A GBM of the same volatility has no clustering.
  cfg.kind = PriceProcessConfig::Kind::gbm;
  EXPECT_NEAR(autocorrelation(squares(log_returns(cfg, 1_h, 400'000, "garch-moments")), 1), 0.0, 0.008);
}

// Within a period the variance is fixed; it moves only at period ends, from the period's whole return.
TEST(PriceProcess, GarchVarianceUpdatesOncePerPeriod) {
  PriceProcessConfig cfg;
  cfg.kind = PriceProcessConfig::Kind::garch;
  cfg.volatility = 0.6;
  cfg.step = 1_s;
  cfg.garch.period = 1_min;
  cfg.garch.alpha = 0.1;
  cfg.garch.beta = 0.85;
  sim::Rng rng = sim::RngFactory(3, 0).stream("garch-period");
  PriceProcess proc(cfg);
  EXPECT_DOUBLE_EQ(proc.variance(), 0.36);  // starts at the long-run variance
  const double start = proc.price();
  for (int i = 0; i < 59; ++i) proc.advance(rng, 1_s);
  EXPECT_DOUBLE_EQ(proc.variance(), 0.36);
  proc.advance(rng, 1_s);
  const double eps = std::log(proc.price() / start) + 0.5 * 0.36 * 60 / kSecondsPerYear;  // the drift correction
  const double period = 60 / kSecondsPerYear;
  EXPECT_NEAR(proc.variance(), 0.36 * (1 - 0.1 - 0.85) + 0.1 * eps * eps / period + 0.85 * 0.36, 1e-9);
}

// Heston with rho = 0: the variance is a CIR process (mean theta, variance theta xi^2 / (2 kappa), autocorrelation
// exp(-kappa tau)), and squared returns over D correlate at lag k D as
// Var(v) ((1 - e^{-kD}) / k)^2 e^{-k (tau - D)} / (3 Var(IV) + 2 theta^2 D^2), Var(IV) = Var(v) 2 (kD - 1 + e^{-kD}) / k^2.
TEST(PriceProcess, HestonVarianceAndSquaredReturnsMatchTheirAnalyticMoments) {
  PriceProcessConfig cfg;
  cfg.kind = PriceProcessConfig::Kind::heston;
  cfg.volatility = 0.8;  // theta = 0.64
  cfg.step = 1_h;
  cfg.heston.mean_reversion = 5;
  cfg.heston.vol_of_vol = 1.5;
  cfg.heston.correlation = 0;
  const double kappa = 5, theta = 0.64, xi = 1.5;
  sim::Rng rng = sim::RngFactory(5, 0).stream("heston-moments");
  PriceProcess proc(cfg);
  const std::size_t days = 200 * 365;
  std::vector<double> daily_v, daily_r;
  double prev = proc.price();
  for (std::size_t d = 0; d < days; ++d) {
    for (int h = 0; h < 24; ++h) proc.advance(rng, 1_h);
    daily_v.push_back(proc.variance());
    daily_r.push_back(std::log(proc.price() / prev));
    prev = proc.price();
  }
  const double var_v = theta * xi * xi / (2 * kappa);
  const double m = mean_of(daily_v);
  double s2 = 0;
  for (double v : daily_v) s2 += (v - m) * (v - m);
  EXPECT_NEAR(m / theta, 1.0, 0.03);
  EXPECT_NEAR(s2 / static_cast<double>(daily_v.size()) / var_v, 1.0, 0.1);
  EXPECT_NEAR(autocorrelation(daily_v, 36), std::exp(-kappa * 36 / 365.0), 0.05);  // tau = 36 days

  const double D = 1 / 365.0;
  const double var_iv = var_v * 2 * (kappa * D - 1 + std::exp(-kappa * D)) / (kappa * kappa);
  const double denom = 3 * var_iv + 2 * theta * theta * D * D;
  const auto r2 = squares(daily_r);
  for (int k : {1, 5, 20}) {
    const double cov = var_v * std::pow((1 - std::exp(-kappa * D)) / kappa, 2) * std::exp(-kappa * (k - 1) * D);
    // Over 200 years the estimate scatters by about 0.006 between seeds (squared returns are heavy-tailed).
    EXPECT_NEAR(autocorrelation(r2, static_cast<std::size_t>(k)), cov / denom, 0.025) << "lag " << k << " days";
  }
  EXPECT_NEAR(mean_of(r2) / (theta * D), 1.0, 0.03);
}

TEST(PriceProcess, SeasonalWeightsAverageExactlyOverEachStep) {
  SeasonalityConfig s;
  s.hourly.assign(24, 1.0);
  s.hourly[0] = 2.0;   // 00:00-01:00 UTC
  s.hourly[23] = 0.0;  // mean (22 + 2 + 0) / 24 = 1
  EXPECT_DOUBLE_EQ(s.mean_weight(0_s, 1_h), 2.0);
  EXPECT_DOUBLE_EQ(s.mean_weight(23_h, 1_h), 0.0);
  EXPECT_DOUBLE_EQ(s.mean_weight(23_h + 30_min, 1_h), 1.0);  // half at 0, half at 2
  EXPECT_DOUBLE_EQ(s.mean_weight(5_h, 24_h), 1.0);           // a whole day averages to 1
  s.start_hour = 23.5;
  EXPECT_DOUBLE_EQ(s.mean_weight(0_s, 30_min), 0.0);
  EXPECT_DOUBLE_EQ(s.mean_weight(30_min, 1_h), 2.0);
  s.hourly.clear();
  s.weekday = {2, 2, 2, 2, 2, 1, 1};  // mean 12/7
  s.start_weekday = Weekday::friday;
  s.start_hour = 0;
  EXPECT_DOUBLE_EQ(s.mean_weight(0_s, 24_h), 2 / (12 / 7.0));
  EXPECT_DOUBLE_EQ(s.mean_weight(24_h, 48_h), 1 / (12 / 7.0));  // the weekend
  EXPECT_NEAR(s.mean_weight(3_h, 7 * 24_h), 1.0, 1e-12);
}

// The hourly variance profile of the simulated returns is the configured one (normalised), and the weekly one too.
TEST(PriceProcess, SeasonalityShapesTheHourlyAndWeekdayVariance) {
  PriceProcessConfig cfg;
  cfg.volatility = 0.8;
  cfg.step = 5_min;
  for (int h = 0; h < 24; ++h) cfg.seasonality.hourly.push_back(1.0 + 0.6 * std::sin(2 * M_PI * h / 24.0));
  cfg.seasonality.weekday = {1.1, 1.1, 1.1, 1.1, 1.1, 0.75, 0.75};
  cfg.seasonality.start_hour = 6;
  cfg.seasonality.start_weekday = Weekday::wednesday;
  const std::size_t per_day = 288, days = 7 * 300;
  const auto r = log_returns(cfg, 5_min, per_day * days, "seasonal");
  std::vector<double> by_hour(24, 0.0), by_day(7, 0.0);
  for (std::size_t i = 0; i < r.size(); ++i) {
    const std::size_t minutes = 6 * 60 + 2 * 24 * 60 + i * 5;  // since Monday 00:00 of the first week
    by_hour[(minutes / 60) % 24] += r[i] * r[i];
    by_day[(minutes / (24 * 60)) % 7] += r[i] * r[i];
  }
  const double year_var = 0.64, step = 300 / kSecondsPerYear;
  const double weekday_mean = (5 * 1.1 + 2 * 0.75) / 7;
  for (int h = 0; h < 24; ++h) {
    const double expected = year_var * step * 12 * static_cast<double>(days) * cfg.seasonality.hourly[static_cast<std::size_t>(h)];
    EXPECT_NEAR(by_hour[static_cast<std::size_t>(h)] / expected, 1.0, 0.04) << "hour " << h;
  }
  for (int d = 0; d < 7; ++d) {
    const double expected = year_var * step * per_day * (static_cast<double>(days) / 7) *
                            cfg.seasonality.weekday[static_cast<std::size_t>(d)] / weekday_mean;
    EXPECT_NEAR(by_day[static_cast<std::size_t>(d)] / expected, 1.0, 0.03) << "day " << d;
  }
}

// The exact output for a seed: a change to a process's arithmetic or draw order shows here first.
TEST(PriceProcess, FirstValuesForAFixedSeedArePinned) {
  PriceProcessConfig garch;
  garch.kind = PriceProcessConfig::Kind::garch;
  garch.garch = {2_s, 0.1, 0.85};
  const auto g = first_prices(garch, 4);
  PriceProcessConfig heston;
  heston.kind = PriceProcessConfig::Kind::heston;
  heston.heston = {5, 1.5, -0.3};
  const auto h = first_prices(heston, 3);
  PriceProcessConfig seasonal;
  seasonal.seasonality.hourly.assign(24, 1.0);
  seasonal.seasonality.hourly[0] = 3.0;
  const auto s = first_prices(seasonal, 3);
  EXPECT_EQ(g, (std::vector<double>{3000.0819048084754, 2999.5783128642129, 2999.5999921806338, 2998.9939894932422}));
  EXPECT_EQ(h, (std::vector<double>{2999.4950375560743, 2998.8948281156559, 2998.518661542571}));
  EXPECT_EQ(s, (std::vector<double>{3000.1362654323657, 2999.298235674315, 2999.3352370492617}));
}
