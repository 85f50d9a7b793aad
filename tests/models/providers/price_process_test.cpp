#include "models/providers/price_process.hpp"

#include <cmath>
#include <stdexcept>

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
