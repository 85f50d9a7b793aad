// The Ethereum feed mix: the facts §5 histogram apportioned to N feeds, the named feeds first.
#include "models/feeds/ethereum_mix.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include <gtest/gtest.h>

namespace {

using models::feeds::MixFeed;

std::vector<std::uint32_t> deviation_counts(const std::vector<MixFeed>& mix) {
  const auto& classes = models::feeds::ethereum_deviation_classes();
  std::vector<std::uint32_t> out(classes.size(), 0);
  for (const auto& f : mix)
    for (std::size_t c = 0; c < classes.size(); ++c)
      if (f.deviation == classes[c].value) ++out[c];
  return out;
}

std::vector<std::uint32_t> heartbeat_counts(const std::vector<MixFeed>& mix) {
  const auto& classes = models::feeds::ethereum_heartbeat_classes();
  std::vector<std::uint32_t> out(classes.size(), 0);
  for (const auto& f : mix)
    for (std::size_t c = 0; c < classes.size(); ++c)
      if (f.heartbeat.seconds() == classes[c].value) ++out[c];
  return out;
}

TEST(EthereumMix, ApportionSharesInProportionAndSumsToTheTotal) {
  const auto& dev = models::feeds::ethereum_deviation_classes();
  // The histogram's own size gives the histogram back.
  const auto same = models::feeds::apportion(dev, 174);
  for (std::size_t c = 0; c < dev.size(); ++c) EXPECT_EQ(same[c], dev[c].feeds);
  for (const std::size_t n : {1u, 7u, 40u, 200u, 1000u}) {
    const auto a = models::feeds::apportion(dev, n);
    EXPECT_EQ(std::accumulate(a.begin(), a.end(), std::size_t{0}), n);
    for (std::size_t c = 0; c < dev.size(); ++c)  // within one feed of the exact share
      EXPECT_NEAR(static_cast<double>(a[c]), static_cast<double>(n) * dev[c].feeds / 174.0, 1.0) << n << " class " << c;
  }
  // 40 feeds: 13.79, 11.95, 7.82, 2.76, 1.84, 1.84 -> floors 13, 11, 7, 2, 1, 1 and the five largest remainders.
  EXPECT_EQ(models::feeds::apportion(dev, 40), (std::vector<std::uint32_t>{14, 12, 8, 2, 2, 2}));
}

TEST(EthereumMix, FortyFeedsFollowTheHistogramWithTheNamedFeedsFirst) {
  const auto mix = models::feeds::ethereum_feed_mix(40);
  ASSERT_EQ(mix.size(), 40u);
  EXPECT_EQ(deviation_counts(mix), models::feeds::apportion(models::feeds::ethereum_deviation_classes(), 40));
  EXPECT_EQ(heartbeat_counts(mix), models::feeds::apportion(models::feeds::ethereum_heartbeat_classes(), 40));
  EXPECT_EQ(mix[0].asset, "ETH/USD");
  EXPECT_EQ(mix[0].deviation, 0.005);
  EXPECT_EQ(mix[0].heartbeat.seconds(), 3600);
  EXPECT_EQ(mix[4].asset, "USDC/USD");
  EXPECT_EQ(mix[4].heartbeat.seconds(), 82'800);
  EXPECT_EQ(mix[5].asset, "BTC/ETH");
  EXPECT_EQ(mix[5].decimals, 18u);
  std::set<std::string> names, assets;
  std::size_t flux = 0;
  for (const auto& f : mix) {
    names.insert(f.name);
    assets.insert(f.asset);
    EXPECT_GE(f.oracles, 4u);
    EXPECT_LE(f.oracles, 31u);
    flux += f.aggregation == "flux" ? 1 : 0;
    EXPECT_TRUE(f.aggregation == "flux" || f.aggregation == "ocr2");
  }
  EXPECT_EQ(names.size(), 40u);
  EXPECT_EQ(assets.size(), 40u);
  EXPECT_EQ(flux, 3u);  // 10% of the 34 synthetic feeds, rounded down
  EXPECT_EQ(models::feeds::ethereum_feed_mix(40, 0.0).size(), 40u);
  for (const auto& f : models::feeds::ethereum_feed_mix(40, 0.0)) EXPECT_EQ(f.aggregation, "ocr2");
}

TEST(EthereumMix, LargeMixesFollowTheHistogramAndAreDeterministic) {
  for (const std::size_t n : {200u, 1000u}) {
    const auto mix = models::feeds::ethereum_feed_mix(n);
    EXPECT_EQ(deviation_counts(mix), models::feeds::apportion(models::feeds::ethereum_deviation_classes(), n));
    EXPECT_EQ(heartbeat_counts(mix), models::feeds::apportion(models::feeds::ethereum_heartbeat_classes(), n));
    const auto again = models::feeds::ethereum_feed_mix(n);
    ASSERT_EQ(again.size(), mix.size());
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_EQ(again[i].name, mix[i].name);
      EXPECT_EQ(again[i].oracles, mix[i].oracles);
      EXPECT_EQ(again[i].aggregation, mix[i].aggregation);
    }
    std::set<std::string> names;
    for (const auto& f : mix) names.insert(f.name);
    EXPECT_EQ(names.size(), n);
  }
}

TEST(EthereumMix, FewFeedsAreTheNamedOnes) {
  const auto mix = models::feeds::ethereum_feed_mix(3);
  ASSERT_EQ(mix.size(), 3u);
  EXPECT_EQ(mix[0].asset, "ETH/USD");
  EXPECT_EQ(mix[1].asset, "BTC/USD");
  EXPECT_EQ(mix[2].asset, "LINK/USD");
  EXPECT_TRUE(models::feeds::ethereum_feed_mix(0).empty());
}

}  // namespace

TEST(EthereumMix, OracleCycleFluxSpreadAndHeartbeatPairing) {
  const auto mix = models::feeds::ethereum_feed_mix(40);
  // Positions 6, 7, 8, ...: 7, 4, 31, 16, ... (the cycle indexed by the position in the whole list).
  EXPECT_EQ(mix[6].oracles, 7u);
  EXPECT_EQ(mix[7].oracles, 4u);
  EXPECT_EQ(mix[8].oracles, 31u);
  // With 0.1, the 10th, 20th and 30th synthetic feeds (positions 15, 25, 35) are per node.
  for (std::size_t i = 0; i < mix.size(); ++i)
    EXPECT_EQ(mix[i].aggregation == "flux", i == 15 || i == 25 || i == 35) << i;
  // Shares are counted exactly: 0.29 of 100 synthetic feeds is 29; 1 is all of them.
  const auto share = [](std::size_t n, double s) {
    std::size_t flux = 0;
    for (const auto& f : models::feeds::ethereum_feed_mix(n, s)) flux += f.aggregation == "flux" ? 1 : 0;
    return flux;
  };
  EXPECT_EQ(share(106, 0.29), 29u);
  EXPECT_EQ(share(106, 1.0), 100u);
  EXPECT_EQ(share(106, 0.0), 0u);
  // 200 feeds: 20 of them have a 1 h heartbeat, the named four and sixteen 0.5% feeds; the four 23 h ones are
  // USDC/USD and three 0.25% feeds.
  std::size_t hourly = 0, h23 = 0;
  for (const auto& f : models::feeds::ethereum_feed_mix(200)) {
    if (f.heartbeat.seconds() == 3600) {
      ++hourly;
      EXPECT_TRUE(f.deviation == 0.005 || f.asset == "DAI/USD") << f.name;
    }
    if (f.heartbeat.seconds() == 82'800) {
      ++h23;
      EXPECT_EQ(f.deviation, 0.0025) << f.name;
    }
  }
  EXPECT_EQ(hourly, 20u);
  EXPECT_EQ(h23, 4u);
  // One to six feeds are the named ones, in order.
  for (std::size_t n = 1; n <= 6; ++n) {
    const auto few = models::feeds::ethereum_feed_mix(n);
    ASSERT_EQ(few.size(), n);
    EXPECT_EQ(few.back().name, (std::vector<std::string>{"eth-usd", "btc-usd", "link-usd", "dai-usd", "usdc-usd",
                                                         "btc-eth"}[n - 1]));
  }
}
