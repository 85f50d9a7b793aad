#pragma once
// True-price processes for one asset, as pure step functions (no scheduler).
//
// Prices are double USD inside the models. On chain they become fixed-point integers with the feed's decimals (8
// by default, as Chainlink USD feeds use; 18 as ETH-denominated feeds): answer = round(price * 10^decimals)
// (to_answer), price = answer / 10^decimals (from_answer). Answers are 128-bit (int192/int256 on chain); they carry
// the double's precision (about 16 significant digits), so an 18-decimal answer's last digits are rounding.
//
// Models (kind):
// - gbm: S(t+dt) = S(t) * exp((mu - sigma^2/2 - lambda*kappa) dt + sigma sqrt(dt) Z + J), exact for any dt.
//   mu and sigma are annualised (a year is 365 days of 86,400 s).
// - garch: GARCH(1,1) variance on a fixed period P (Bollerslev 1986): within a period the log price diffuses with
//   the period's conditional variance h_k; at its end h_{k+1} = omega + alpha eps_k^2 + beta h_k, eps_k the period's
//   diffusion return. omega is not given: it follows from `volatility`, the unconditional annualised volatility
//   (omega = volatility^2 * P * (1 - alpha - beta), P in years), so switching kind keeps the average variance.
//   The first period starts at the unconditional variance. Simplified: eps_k excludes jumps (jumps do not feed the
//   variance) and is measured before the seasonal and regime multipliers (as intraday GARCH is fitted to
//   deseasonalised returns: Andersen and Bollerslev 1997); the period must be a whole number of steps.
// - heston: stochastic variance dv = kappa (theta - v) dt + xi sqrt(v) dW_v, d ln S = (mu - v/2) dt + sqrt(v) dW_S,
//   corr(dW_S, dW_v) = rho (Heston 1993), theta = volatility^2, v(0) = theta. Discretised by full-truncation Euler
//   per step (Lord, Koekkoek and van Dijk 2010: v may go below 0, the drift and diffusion use max(v, 0)); the price
//   step is exact given the step's variance. Steps should be short against 1/kappa (1 s against months).
// Layers on any of the three:
// - Merton jumps (optional): the number of jumps in dt is Poisson(lambda dt); each log jump is N(m, s);
//   kappa = exp(m + s^2/2) - 1 compensates the drift so that E[S(t)] = S(0) exp(mu t) still holds.
// - Regime switch (optional): a two-state Markov chain (calm: volatility, turbulent: turbulent_volatility) with
//   switching rates per year. Simplified: the state at the end of a step is drawn exactly (closed form of the
//   two-state chain), but the whole step uses the volatility of the state at its start, so steps should be short
//   compared with the mean sojourn time. For garch and heston the turbulent state multiplies the variance by
//   (turbulent_volatility / volatility)^2.
// - Seasonality (optional): the diffusion variance is multiplied by a weight per UTC hour of the day and per day
//   of the week (each profile normalised to mean 1, so a day's and a week's variance are unchanged), averaged
//   exactly over each step; the run starts at `start_hour` on `start_weekday`.
// - Replay: a timestamped CSV (see PricePath); the price is piecewise constant, the last row at or before t.
#include <cstdint>
#include <string>
#include <vector>

#include "models/chain/types.hpp"
#include "sim/config_issue.hpp"
#include "sim/random.hpp"
#include "sim/time.hpp"

namespace models::providers {

inline constexpr int kAnswerDecimals = 8;            // Chainlink USD feeds report 8 decimals
inline constexpr int kMaxAnswerDecimals = 18;        // ETH-denominated feeds report 18
inline constexpr double kAnswerScale = 100'000'000;  // 10^kAnswerDecimals
inline constexpr double kSecondsPerYear = 365.0 * 86'400.0;

// Price in USD -> on-chain integer answer with `decimals` (0..18) decimals, rounded half away from zero. Throws
// std::out_of_range if the value is not finite or its magnitude reaches 1e36 (far inside the 128-bit range).
chain::SignedWord to_answer(double usd, int decimals = kAnswerDecimals);
double from_answer(chain::SignedWord answer, int decimals = kAnswerDecimals);

struct JumpConfig {
  double intensity = 0;  // expected jumps per year (0: no jumps)
  double mean = 0;       // mean of the log jump size
  double sd = 0;         // standard deviation of the log jump size, >= 0
};

struct RegimeConfig {
  bool enabled = false;               // off: a single volatility
  double turbulent_volatility = 1.6;  // annualised volatility in the turbulent state (assumption: 2x calm ETH)
  double to_turbulent_rate = 12;      // calm -> turbulent switches per year of calm (assumption)
  double to_calm_rate = 365;          // turbulent -> calm switches per year of turbulence (assumption: ~1 day)
};

// GARCH(1,1) on a fixed period. Defaults: ETH's daily GARCH(1,1) in a Finance Research Letters paper (PubMed
// Central PMC8856899, Table 4: alpha 0.169, beta 0.739; Bitcoin 0.167, 0.765). They are daily estimates, so the
// period is a day: daily parameters on a shorter period would overstate the clustering (GARCH does not keep its
// parameters under temporal aggregation; Drost and Nijman 1993).
struct GarchConfig {
  sim::Duration period = sim::Duration::nanoseconds(86'400'000'000'000);  // 1 d: the variance updates once per period
  double alpha = 0.169;  // ARCH term (reaction to the last period's shock), >= 0
  double beta = 0.739;   // GARCH term (persistence), >= 0; alpha + beta < 1
};

// Heston stochastic variance; theta = volatility^2. No published Heston estimate for ETH or BTC returns was found
// to cite; the defaults match the GARCH defaults' moments instead (docs/price-processes.md): the same persistence,
// kappa = -ln(alpha + beta) per day = 35.2 per year (half-life 7.2 days), and the same variance of the variance,
// Var(v) / theta^2 = 2 alpha^2 / (1 - (alpha + beta)^2 - 2 alpha^2) = 0.482, so xi^2 = 2 kappa theta 0.482: 4.66 at
// the default volatility 80% (scale xi with volatility for another). Feller's 2 kappa theta > xi^2 holds (45 > 21.8).
struct HestonConfig {
  double mean_reversion = 35.2;  // kappa, per year, > 0
  double vol_of_vol = 4.66;      // xi, annualised, >= 0
  double correlation = 0;        // rho between price and variance shocks, in [-1, 1] (assumption: no leverage)
};

enum class Weekday { monday, tuesday, wednesday, thursday, friday, saturday, sunday };

// Intraday and weekly variance profiles (relative weights, normalised to mean 1; empty: flat).
struct SeasonalityConfig {
  std::vector<double> hourly;   // 24 weights, UTC hours 0..23
  std::vector<double> weekday;  // 7 weights, Monday..Sunday
  double start_hour = 0;        // UTC hour of day at the run's start, [0, 24)
  Weekday start_weekday = Weekday::monday;  // day of the week at the run's start
  bool enabled = true;           // false: the profiles are ignored (to sweep a scenario with and without them)
  bool active() const { return enabled && (!hourly.empty() || !weekday.empty()); }
  // The mean variance weight over [t, t + dt] (t since the run's start), exactly: the profiles are piecewise
  // constant by hour and by day. 1 when no profile is given.
  double mean_weight(sim::Duration t, sim::Duration dt) const;
};

struct PriceProcessConfig {
  enum class Kind { gbm, garch, heston, replay };
  Kind kind = Kind::gbm;
  double start = 3000;       // USD, initial price (gbm), > 0
  double drift = 0;          // annualised drift mu
  double volatility = 0.8;   // annualised volatility sigma (gbm: calm state; garch, heston: long-run), >= 0
  GarchConfig garch;         // kind garch
  HestonConfig heston;       // kind heston
  JumpConfig jumps;          // optional Merton jumps
  RegimeConfig regime;       // optional volatility regimes
  SeasonalityConfig seasonality;  // optional intraday and weekly variance profiles
  std::string csv;           // replay: the CSV file as written (relative to the scenario file that names it)
  std::string csv_path;      // replay: where to read it (set by the scenario loader; empty: `csv` as is)
  sim::Duration step = sim::Duration::nanoseconds(1'000'000'000);  // how often the true price moves, default 1 s

  // Problems with this config, located under `path` (e.g. "assets.ETH/USD").
  sim::ConfigIssues validate(const std::string& path) const;
};

// One step of the process (+ jumps + regimes + seasonality). Pure: the state is the price, the variance and the
// regime; randomness comes from the caller's stream.
class PriceProcess {
 public:
  explicit PriceProcess(const PriceProcessConfig& cfg);
  // Advances by dt (> 0) and returns the new price.
  double advance(sim::Rng& rng, sim::Duration dt);
  double price() const { return price_; }
  bool turbulent() const { return turbulent_; }
  // The annualised volatility the next step diffuses with (the variance, regime and season of now), and the
  // process's reference volatility (`volatility`, or the turbulent one for a gbm with volatility 0).
  double volatility_now() const;
  double reference_volatility() const { return cfg_.volatility; }
  // garch: the conditional annualised variance of the current period; heston: the variance v; gbm: sigma^2.
  double variance() const { return variance_; }
  sim::Duration elapsed() const { return elapsed_; }

 private:
  double base_variance() const;          // annualised, before season and regime
  double regime_multiplier() const;      // variance multiplier of the current regime state
  void switch_regime(sim::Rng& rng, double t_years);

  PriceProcessConfig cfg_;
  double price_;
  bool turbulent_ = false;
  double kappa_;          // E[e^J] - 1
  double variance_;       // see variance()
  double period_shock_ = 0;  // garch: the current period's diffusion return so far (before multipliers)
  sim::Duration period_elapsed_{};
  sim::Duration elapsed_{};
};

// Poisson(mean) by Knuth's multiplication method for mean <= 30, else by splitting the mean into chunks; uses
// only uniform01, so it is portable.
std::uint64_t poisson(sim::Rng& rng, double mean);

// A replayed price path: times (since the run start) and prices, strictly increasing times, first at t = 0.
struct PricePath {
  std::vector<sim::Time> times;
  std::vector<double> prices;
  // Price at t: the last point at or before t (the first point before it).
  double at(sim::Time t) const;
};

// Parses "timestamp,price" lines (a header line is allowed; '#' starts a comment). Timestamps are seconds,
// absolute (e.g. Unix) or relative; they are shifted so the first row is t = 0. Throws std::runtime_error naming
// the file and line on bad input: a malformed row, a timestamp or price that is not a finite number, a price <= 0,
// timestamps not strictly increasing, more than kMaxPriceRows rows.
PricePath parse_price_csv(const std::string& text, const std::string& source_name);
// Reads a regular file of at most kMaxPriceCsvBytes and parses it.
PricePath load_price_csv(const std::string& path);
inline constexpr std::uintmax_t kMaxPriceCsvBytes = 256u << 20;  // 256 MiB
inline constexpr std::size_t kMaxPriceRows = 10'000'000;

}  // namespace models::providers
