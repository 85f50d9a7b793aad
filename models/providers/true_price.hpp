#pragma once
// The true price of one asset as a thin actor: it advances a PriceProcess every `step` (or replays a PricePath at
// its timestamps) and publishes each change. Between changes the price is constant, so time-weighted statistics
// of it are exact.
#include <memory>
#include <string>

#include "models/providers/price_process.hpp"
#include "sim/signal.hpp"
#include "sim/simulation.hpp"
#include "sim/ticker.hpp"
#include "sim/timer.hpp"

namespace models::providers {

class TruePrice {
 public:
  // Random stream: "providers/<asset>/true-price". A replay config needs `path` loaded already (see
  // load_price_csv); pass it in `replay` (ignored for gbm).
  TruePrice(sim::Simulation& sim, std::string asset, const PriceProcessConfig& cfg, PricePath replay = {});
  TruePrice(const TruePrice&) = delete;
  TruePrice& operator=(const TruePrice&) = delete;

  // Publishes the initial price at now() and schedules the moves: on its own timer, or for a periodic process, on
  // `ticker` when given (one event per tick for every price with the same step; sim/ticker.hpp).
  void start(sim::Ticker* ticker = nullptr);
  double price() const { return price_; }
  // The annualised volatility the process diffuses with now, and its reference (long-run) volatility; providers
  // whose noise scales with volatility use their ratio (1 for a replayed path).
  double volatility_ratio() const;
  const std::string& asset() const { return asset_; }

  // (time, new price in USD): every change, including the initial value at start().
  sim::Signal<sim::Time, double> changed;

 private:
  void tick();
  void move();  // one step of the process
  void set(double p);

  sim::Simulation& sim_;
  std::string asset_;
  PriceProcessConfig cfg_;
  PriceProcess process_;
  PricePath replay_;
  std::size_t replay_next_ = 0;
  sim::Rng rng_;
  sim::Timer timer_;
  sim::Time origin_{};
  double price_;
};

}  // namespace models::providers
