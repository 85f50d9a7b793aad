#pragma once
// True-price processes for one asset, as pure step functions (no scheduler).
//
// Prices are double USD inside the models. On chain they become fixed-point integers with the feed's decimals (8
// by default, as Chainlink USD feeds use; 18 as ETH-denominated feeds): answer = round(price * 10^decimals)
// (to_answer), price = answer / 10^decimals (from_answer). Answers are 128-bit (int192/int256 on chain); they carry
// the double's precision (about 16 significant digits), so an 18-decimal answer's last digits are rounding.
//
// Models:
// - GBM: S(t+dt) = S(t) * exp((mu - sigma^2/2 - lambda*kappa) dt + sigma sqrt(dt) Z + J), exact for any dt.
//   mu and sigma are annualised (a year is 365 days of 86,400 s).
// - Merton jumps (optional): the number of jumps in dt is Poisson(lambda dt); each log jump is N(m, s);
//   kappa = exp(m + s^2/2) - 1 compensates the drift so that E[S(t)] = S(0) exp(mu t) still holds.
// - Regime switch (optional): a two-state Markov chain (calm: volatility, turbulent: turbulent_volatility) with
//   switching rates per year. Simplified: the state at the end of a step is drawn exactly (closed form of the
//   two-state chain), but the whole step uses the volatility of the state at its start, so steps should be short
//   compared with the mean sojourn time.
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

struct PriceProcessConfig {
  enum class Kind { gbm, replay };
  Kind kind = Kind::gbm;
  double start = 3000;       // USD, initial price (gbm), > 0
  double drift = 0;          // annualised drift mu
  double volatility = 0.8;   // annualised volatility sigma (calm state), >= 0 (ETH-like, assumption)
  JumpConfig jumps;          // optional Merton jumps
  RegimeConfig regime;       // optional volatility regimes
  std::string csv;           // replay: the CSV file as written (relative to the scenario file that names it)
  std::string csv_path;      // replay: where to read it (set by the scenario loader; empty: `csv` as is)
  sim::Duration step = sim::Duration::nanoseconds(1'000'000'000);  // how often the true price moves, default 1 s

  // Problems with this config, located under `path` (e.g. "assets.ETH/USD").
  sim::ConfigIssues validate(const std::string& path) const;
};

// One step of GBM (+ jumps + regimes). Pure: the state is the price and the regime; randomness comes from the
// caller's stream.
class PriceProcess {
 public:
  explicit PriceProcess(const PriceProcessConfig& cfg);
  // Advances by dt (> 0) and returns the new price.
  double advance(sim::Rng& rng, sim::Duration dt);
  double price() const { return price_; }
  bool turbulent() const { return turbulent_; }

 private:
  PriceProcessConfig cfg_;
  double price_;
  bool turbulent_ = false;
  double kappa_;  // E[e^J] - 1
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
