#include "models/chain/demand.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace chain = models::chain;

TEST(BackgroundDemand, MeanUtilisationAtTheReferenceFee) {
  chain::DemandConfig cfg;
  chain::BackgroundDemand d(cfg, 30'000'000, chain::kGwei);
  sim::Rng rng(42);
  double sum = 0;
  const int n = 20'000;
  for (int i = 0; i < n; ++i) sum += static_cast<double>(d.next(rng, chain::kGwei, 1.0));
  EXPECT_NEAR(sum / n / 30'000'000, 0.5, 0.02);
}

TEST(BackgroundDemand, ElasticityAndMultiplierScaleDemand) {
  chain::DemandConfig cfg;
  cfg.volatility = 0;  // deterministic
  chain::BackgroundDemand d(cfg, 30'000'000, chain::kGwei);
  sim::Rng rng(1);
  EXPECT_EQ(d.next(rng, chain::kGwei, 1.0), 15'000'000u);
  EXPECT_EQ(d.next(rng, 2 * chain::kGwei, 1.0), 7'500'000u);   // twice the fee, half the demand
  EXPECT_EQ(d.next(rng, chain::kGwei, 3.0), 45'000'000u);      // congestion x 3
  cfg.elasticity = 0;
  chain::BackgroundDemand flat(cfg, 30'000'000, chain::kGwei);
  EXPECT_EQ(flat.next(rng, 10 * chain::kGwei, 1.0), 15'000'000u);
}

TEST(BackgroundDemand, PersistenceCorrelatesSuccessiveBlocks) {
  chain::DemandConfig cfg;
  cfg.elasticity = 0;
  chain::BackgroundDemand d(cfg, 30'000'000, chain::kGwei);
  sim::Rng rng(9);
  double prev = d.state(), sxy = 0, sxx = 0;
  for (int i = 0; i < 20'000; ++i) {
    d.next(rng, chain::kGwei, 1.0);
    sxy += prev * d.state();
    sxx += prev * prev;
    prev = d.state();
  }
  EXPECT_NEAR(sxy / sxx, cfg.persistence, 0.02);
}

TEST(BackgroundDemand, TipShareIsALogNormalSurvival) {
  chain::DemandConfig cfg;  // median 1 gwei, sigma 1
  chain::BackgroundDemand d(cfg, 30'000'000, chain::kGwei);
  EXPECT_DOUBLE_EQ(d.share_with_tip_above(0), 1.0);
  EXPECT_NEAR(d.share_with_tip_above(chain::kGwei), 0.5, 1e-12);
  EXPECT_NEAR(d.share_with_tip_above(static_cast<chain::Wei>(std::exp(1.0) * 1e9)), 0.158655, 1e-5);
  EXPECT_GT(d.share_with_tip_above(1), 0.999);  // a 1-wei tip queues behind almost all background gas
  EXPECT_LT(d.share_with_tip_above(100 * chain::kGwei), 1e-5);
  sim::Rng rng(3);
  const auto tips = d.sample_tips(rng, 8);
  EXPECT_EQ(tips.size(), 8u);
}
