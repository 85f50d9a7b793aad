#pragma once
// A data provider (exchange or price aggregator API) for one asset.
//
// The provider's published value refreshes every `refresh`: value = true * (1 + bias) * (1 + noise * Z), Z ~ N(0,1),
// noise and bias as fractions (scenario: "2bps", "0.1%"). A query is answered after a sampled latency; the value returned is the one
// published when the query arrived (simplified: no separate request/response legs). A query fails with
// probability error_rate, when the provider is in an outage, or when the caller exceeds the rate limit (a token
// bucket of rate_limit requests/s, burst = max(1, rate_limit)); failures are also delivered after the latency.
// Fault hooks: set_outage, set_stale (freeze the value), set_bad_value (scaled or random values).
//
// Microstructure (all off by default; each draws from its own stream, so turning one on changes no other draw):
// - spread: each refresh publishes the bid or the ask, true * (1 +- spread/2), with probability 1/2 each (the
//   bid-ask bounce of a last-trade price; Roll 1984).
// - noise_scales_with_volatility: the noise sd is noise * (the true price's volatility now / its long-run
//   volatility), so quotes disagree more when the market moves (spreads and cross-exchange deviations widen with
//   volatility); the ratio is 1 for a replayed price.
// - outliers: a refresh publishes a value off by +-size (sign 1/2 each) with the given probability (a print far
//   from the market, e.g. a thin book or a fat finger); a stale episode skips it like any refresh.
// - stale: episodes (exponential gaps and lengths) in which the value stops refreshing but queries are answered
//   as usual, with the old observed_at: a frozen ticker the API does not flag.
// - halts: episodes in which the venue has stopped trading: queries fail with "halted".
// Episodes are decided by time, not by the calls: the same schedule whatever the query pattern.
#include <functional>
#include <optional>
#include <string>

#include "models/faults/actor_control.hpp"
#include "models/faults/fault_effect.hpp"
#include "models/providers/true_price.hpp"
#include "sim/config_issue.hpp"
#include "sim/distributions.hpp"
#include "sim/simulation.hpp"
#include "sim/ticker.hpp"
#include "sim/timer.hpp"

namespace models::providers {

// Query latency: log-normal from its median and 99th percentile, or constant (= median).
struct LatencyConfig {
  std::string dist = "lognormal";   // "lognormal" or "constant"
  sim::Duration median = sim::Duration::nanoseconds(80'000'000);   // 80 ms; assumption
  sim::Duration p99 = sim::Duration::nanoseconds(400'000'000);     // 400 ms; assumption (lognormal only)
  sim::Distribution make() const;   // in seconds
};

// Episodes of a provider state (stale quotes, halts): starts after exponential gaps of mean `mean_interval`, each
// lasting an exponential time of mean `mean_duration`.
struct EpisodeConfig {
  sim::Duration mean_interval{};  // 0: never
  sim::Duration mean_duration = sim::Duration::nanoseconds(60'000'000'000);  // 1 min
  bool enabled() const { return mean_interval.ns() > 0; }
};

struct OutlierConfig {
  double probability = 0;  // per refresh, [0, 1]
  double size = 0.01;      // relative error of an outlier, fraction
};

struct ProviderConfig {
  std::string name;                  // unique, e.g. "exchange-a"
  std::string asset;                 // the asset it quotes, e.g. "ETH/USD"
  double noise = 0.0002;             // sd of the multiplicative quote noise, fraction (2 bps; assumption)
  double bias = 0;                   // constant relative bias, fraction
  sim::Duration refresh = sim::Duration::nanoseconds(1'000'000'000);  // value refresh cadence, default 1 s (assumption)
  LatencyConfig latency;             // query latency
  double error_rate = 0;             // probability a query fails, in [0, 1]
  double rate_limit = 0;             // requests/s allowed (0: unlimited)
  double spread = 0;                 // quoted bid-ask spread, fraction (0: none)
  bool noise_scales_with_volatility = false;
  OutlierConfig outliers;
  EpisodeConfig stale;               // frozen-ticker episodes
  EpisodeConfig halts;               // trading halts

  sim::ConfigIssues validate(const std::string& path) const;
};

// Token bucket (pure): `rate` tokens per second, capacity max(1, rate), starts full.
class TokenBucket {
 public:
  explicit TokenBucket(double rate) : rate_(rate), capacity_(rate > 1 ? rate : 1), tokens_(capacity_) {}
  // Takes a token at time t if one is available (always true when rate == 0).
  bool take(sim::Time t);

 private:
  double rate_;
  double capacity_;
  double tokens_;
  sim::Time last_{};
};

struct Quote {
  bool ok = false;
  double price = 0;          // USD, when ok
  sim::Time observed_at{};   // when the provider's value was published
  std::string error;         // when !ok: "error", "outage", "halted", "rate_limited"
};

// How a bad_value fault distorts the published value.
struct BadValue {
  enum class Mode { scale, random };
  Mode mode = Mode::scale;
  double factor = 1.1;  // scale: value * factor
  double lo = 0.5;      // random: value * U(lo, hi)
  double hi = 1.5;
};

// The schedule of one kind of episode, drawn from its own stream as time passes.
class EpisodeClock {
 public:
  EpisodeClock(const EpisodeConfig& cfg, sim::Rng rng);
  // Whether an episode holds at `now` (now must not decrease between calls).
  bool on(sim::Time now);
  std::uint64_t started() const { return started_; }  // episodes begun so far (as of the last call)

 private:
  void next();
  EpisodeConfig cfg_;
  sim::Rng rng_;
  sim::Time start_{}, end_{};
  std::uint64_t started_ = 0;
  bool counted_ = false;  // the current episode is in started_
};

class DataProvider;

// Asks every provider in `providers` now and calls `done` once with the prices that arrived (in provider order): when
// the last reply arrives, or at `timeout` with the replies that arrived by then (a reply arriving exactly at the
// timeout counts). Every reply is decided at query time (DataProvider::query), so the fetch is one event, at its
// completion, instead of one per reply plus the timeout; `label` names that event. With no provider, `done` runs now.
void fetch_quotes(sim::Simulation& sim, const std::vector<DataProvider*>& providers, sim::Duration timeout,
                  std::function<void(std::vector<double> prices)> done, sim::Label label);

class DataProvider {
 public:
  // Random streams: "providers/<name>/noise", ".../latency", ".../errors", ".../microstructure" (spread and
  // outliers), ".../stale-episodes", ".../halts".
  DataProvider(sim::Simulation& sim, const ProviderConfig& cfg, const TruePrice& truth);
  DataProvider(const DataProvider&) = delete;
  DataProvider& operator=(const DataProvider&) = delete;

  // Publishes the first value now and refreshes every `refresh`: on its own timer, or on `ticker` when given (one
  // event per tick for every provider with the same refresh; sim/ticker.hpp).
  void start(sim::Ticker* ticker = nullptr);
  // Asks for the current quote; on_reply runs after the sampled latency.
  void query(std::function<void(const Quote&)> on_reply);
  // What query() decides when asked now (the quote and when it would arrive), without scheduling the reply: counts
  // and random draws are query()'s, in the same order.
  struct Reply {
    Quote quote;
    sim::Duration latency;
  };
  Reply ask();

  const ProviderConfig& config() const { return cfg_; }
  // The value currently published (for tests and faults).
  double published() const { return value_; }
  std::uint64_t queries() const { return queries_; }
  std::uint64_t failures() const { return failures_; }
  std::uint64_t outliers() const { return outliers_; }
  std::uint64_t stale_episodes() const { return stale_clock_.started(); }
  std::uint64_t halts() const { return halt_clock_.started(); }

  // Fault hooks. An `effect`, when given, counts what the fault caused: queries_failed (outage),
  // refreshes_frozen (stale), values_distorted (bad_value).
  void set_outage(bool on, faults::FaultEffect* effect = nullptr) {
    outage_ = on;
    outage_effect_ = on ? effect : nullptr;
  }
  void set_stale(bool on, faults::FaultEffect* effect = nullptr) {
    stale_ = on;
    stale_effect_ = on ? effect : nullptr;
  }
  void set_bad_value(std::optional<BadValue> bad, faults::FaultEffect* effect = nullptr) {
    bad_ = bad;
    bad_effect_ = bad ? effect : nullptr;
  }
  // The provider's crash state (a crashed provider answers every query with "outage"); may be null.
  void set_control(faults::ActorControl* control) { control_ = control; }

 private:
  void refresh();       // publishes a new value (unless stale)
  void on_own_timer();  // refresh() every `refresh` on refresh_timer_

  sim::Simulation& sim_;
  ProviderConfig cfg_;
  const TruePrice& truth_;
  sim::Rng noise_rng_;
  sim::Rng latency_rng_;
  sim::Rng error_rng_;
  sim::Rng micro_rng_;
  EpisodeClock stale_clock_;
  EpisodeClock halt_clock_;
  std::uint64_t outliers_ = 0;
  sim::Distribution latency_;
  sim::Timer refresh_timer_;
  TokenBucket bucket_;
  double value_ = 0;
  sim::Time value_at_{};
  bool outage_ = false;
  faults::FaultEffect* outage_effect_ = nullptr;
  faults::FaultEffect* stale_effect_ = nullptr;
  faults::FaultEffect* bad_effect_ = nullptr;
  faults::ActorControl* control_ = nullptr;
  bool stale_ = false;
  std::optional<BadValue> bad_;
  std::uint64_t queries_ = 0;
  std::uint64_t failures_ = 0;
};

}  // namespace models::providers
