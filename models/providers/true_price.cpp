#include "models/providers/true_price.hpp"

#include <stdexcept>
#include <utility>

namespace models::providers {

TruePrice::TruePrice(sim::Simulation& sim, std::string asset, const PriceProcessConfig& cfg, PricePath replay)
    : sim_(sim),
      asset_(std::move(asset)),
      cfg_(cfg),
      process_(cfg),
      replay_(std::move(replay)),
      rng_(sim.stream("providers/" + asset_ + "/true-price")),
      timer_(sim, [this] { tick(); }, "providers/true-price"),
      price_(cfg.start) {
  if (cfg_.kind == PriceProcessConfig::Kind::replay) {
    if (replay_.times.empty()) throw std::invalid_argument("TruePrice: replay needs a loaded price path for " + asset_);
    price_ = replay_.prices.front();
  }
}

void TruePrice::start(sim::Ticker* ticker) {
  origin_ = sim_.now();
  if (cfg_.kind == PriceProcessConfig::Kind::replay) {
    replay_next_ = 1;
    if (replay_next_ < replay_.times.size()) timer_.arm_at(origin_ + replay_.times[replay_next_].since_start());
  } else if (ticker) {
    ticker->add(cfg_.step, [this] { move(); });
  } else {
    timer_.arm(cfg_.step);
  }
  changed.emit(sim_.now(), price_);
}

void TruePrice::tick() {
  if (cfg_.kind == PriceProcessConfig::Kind::replay) {
    set(replay_.prices[replay_next_]);
    ++replay_next_;
    if (replay_next_ < replay_.times.size()) timer_.arm_at(origin_ + replay_.times[replay_next_].since_start());
    return;
  }
  move();
  timer_.arm(cfg_.step);
}

double TruePrice::volatility_ratio() const {
  if (cfg_.kind == PriceProcessConfig::Kind::replay || !(process_.reference_volatility() > 0)) return 1.0;
  return process_.volatility_now() / process_.reference_volatility();
}

void TruePrice::move() { set(process_.advance(rng_, cfg_.step)); }

void TruePrice::set(double p) {
  if (p == price_) return;
  price_ = p;
  changed.emit(sim_.now(), price_);
}

}  // namespace models::providers
