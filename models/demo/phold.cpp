#include "models/demo/phold.hpp"

#include <stdexcept>
#include <string>

#include "sim/distributions.hpp"

namespace models::demo {

Phold::Phold(sim::Simulation& sim, const PholdConfig& cfg)
    : sim_(sim), cfg_(cfg), per_lp_(cfg.lps, 0),
      min_delay_ns_(cfg.min_delay.ns()),
      mean_delay_ns_(static_cast<double>(cfg.mean_delay.ns())) {
  if (cfg.lps == 0 || cfg.population == 0) throw std::invalid_argument("phold: lps and population must be >= 1");
  if (cfg.min_delay.ns() < 0 || cfg.mean_delay.ns() <= 0)
    throw std::invalid_argument("phold: min_delay must be >= 0 and mean_delay > 0");
  rng_.reserve(cfg.lps);
  for (std::uint32_t i = 0; i < cfg.lps; ++i) rng_.push_back(sim.stream("phold/lp-" + std::to_string(i)));
}

void Phold::start() {
  for (std::uint32_t lp = 0; lp < cfg_.lps; ++lp)
    for (std::uint32_t k = 0; k < cfg_.population; ++k) schedule_from(lp);
}

namespace {
constexpr sim::Label kEventLabel{"phold/event"};  // hashed at compile time
}  // namespace

void Phold::schedule_from(std::uint32_t lp) {
  sim::Rng& r = rng_[lp];
  const auto target = static_cast<std::uint32_t>(sim::uniform_index(r, cfg_.lps));
  const auto delay = min_delay_ns_ + static_cast<std::int64_t>(sim::exponential(r, mean_delay_ns_));
  sim_.after(sim::Duration::nanoseconds(delay), [this, target] { handle(target); }, kEventLabel);
}

void Phold::handle(std::uint32_t lp) {
  ++handled_;
  ++per_lp_[lp];
  if (cfg_.max_events != 0 && handled_ >= cfg_.max_events) {
    sim_.stop();
    return;
  }
  schedule_from(lp);
}

}  // namespace models::demo
