#include "models/chain/demand.hpp"

#include <algorithm>
#include <cmath>

#include "sim/distributions.hpp"

namespace models::chain {

BackgroundDemand::BackgroundDemand(const DemandConfig& cfg, Gas gas_limit, Wei initial_base_fee)
    : cfg_(cfg),
      gas_limit_(gas_limit),
      reference_fee_(static_cast<double>(cfg.reference_base_fee != 0 ? cfg.reference_base_fee : initial_base_fee)) {}

Gas BackgroundDemand::next(sim::Rng& rng, Wei base_fee, double multiplier) {
  const double sigma = cfg_.volatility;
  const double phi = cfg_.persistence;
  x_ = phi * x_ + sigma * std::sqrt(1.0 - phi * phi) * sim::normal(rng, 0.0, 1.0);
  double u = cfg_.mean_utilisation * multiplier * std::exp(x_ - 0.5 * sigma * sigma);
  if (cfg_.elasticity > 0 && base_fee > 0)
    u *= std::pow(reference_fee_ / static_cast<double>(base_fee), cfg_.elasticity);
  u = std::clamp(u, 0.0, 100.0);
  return static_cast<Gas>(std::llround(u * static_cast<double>(gas_limit_)));
}

double BackgroundDemand::share_with_tip_above(Wei tip) const {
  if (tip == 0) return 1.0;
  const double z = (std::log(static_cast<double>(tip)) - std::log(static_cast<double>(cfg_.tip_median))) / cfg_.tip_sigma;
  return 0.5 * std::erfc(z / std::sqrt(2.0));
}

std::vector<Wei> BackgroundDemand::sample_tips(sim::Rng& rng, std::uint32_t n) const {
  std::vector<Wei> tips;
  tips.reserve(n);
  const double mu = std::log(static_cast<double>(cfg_.tip_median));
  for (std::uint32_t i = 0; i < n; ++i) tips.push_back(static_cast<Wei>(std::llround(sim::lognormal(rng, mu, cfg_.tip_sigma))));
  return tips;
}

}  // namespace models::chain
