#include "models/feeds/ethereum_mix.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <numeric>

#include <fmt/core.h>

namespace models::feeds {

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

// What the header assumes for a deviation class: synthetic asset prefix, volatility, start price.
struct ClassTraits {
  double deviation;
  const char* prefix;
  double volatility;
  double start_price;
};
constexpr std::array<ClassTraits, 6> kTraits{{
    {0.02, "SMALL", 1.00, 1.0},
    {0.005, "MAJOR", 0.70, 100.0},
    {0.01, "ALT", 0.90, 10.0},
    {0.003, "LST", 0.50, 3000.0},
    {0.0025, "STABLE", 0.02, 1.0},
    {0.0015, "FX", 0.10, 1.1},
}};

// The feeds facts §5 names, with their thresholds (volatility and price: assumptions).
struct Named {
  const char* asset;
  double deviation;
  std::int64_t heartbeat_s;
  std::uint32_t decimals;
  double start_price, volatility;
};
constexpr std::array<Named, 6> kNamed{{
    {"ETH/USD", 0.005, 3'600, 8, 3'000.0, 0.80},
    {"BTC/USD", 0.005, 3'600, 8, 60'000.0, 0.60},
    {"LINK/USD", 0.005, 3'600, 8, 15.0, 1.00},
    {"DAI/USD", 0.0025, 3'600, 8, 1.0, 0.02},
    {"USDC/USD", 0.0025, 82'800, 8, 1.0, 0.02},
    {"BTC/ETH", 0.02, 86'400, 18, 20.0, 0.50},
}};

constexpr std::array<std::uint32_t, 8> kOracleCycle{31, 16, 21, 9, 16, 13, 7, 4};

std::string feed_name_of(const std::string& asset) {
  std::string s;
  for (const char c : asset) s += c == '/' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::size_t class_index(const std::vector<MixClass>& classes, double value) {
  for (std::size_t i = 0; i < classes.size(); ++i)
    if (std::abs(classes[i].value - value) < 1e-12) return i;
  return classes.size();
}

}  // namespace

const std::vector<MixClass>& ethereum_deviation_classes() {
  static const std::vector<MixClass> c{{0.02, 60}, {0.005, 52}, {0.01, 34}, {0.003, 12}, {0.0025, 8}, {0.0015, 8}};
  return c;
}

const std::vector<MixClass>& ethereum_heartbeat_classes() {
  static const std::vector<MixClass> c{{86'400, 167}, {3'600, 19}, {82'800, 4}};
  return c;
}

std::vector<std::uint32_t> apportion(const std::vector<MixClass>& classes, std::size_t total) {
  const std::uint64_t sum = std::accumulate(classes.begin(), classes.end(), std::uint64_t{0},
                                            [](std::uint64_t a, const MixClass& c) { return a + c.feeds; });
  std::vector<std::uint32_t> out(classes.size(), 0);
  if (sum == 0) return out;
  // Integer arithmetic: quota_i = total * feeds_i / sum, remainders compared exactly.
  std::vector<std::uint64_t> remainder(classes.size());
  std::uint64_t given = 0;
  for (std::size_t i = 0; i < classes.size(); ++i) {
    const std::uint64_t num = static_cast<std::uint64_t>(total) * classes[i].feeds;
    out[i] = static_cast<std::uint32_t>(num / sum);
    remainder[i] = num % sum;
    given += out[i];
  }
  std::vector<std::size_t> order(classes.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; given < total; ++k, ++given) ++out[order[k % order.size()]];
  return out;
}

std::vector<MixFeed> ethereum_feed_mix(std::size_t n, double flux_share) {
  const auto& dev_classes = ethereum_deviation_classes();
  const auto& hb_classes = ethereum_heartbeat_classes();
  std::vector<std::int64_t> dev_left(dev_classes.size()), hb_left(hb_classes.size());
  {
    const auto d = apportion(dev_classes, n), h = apportion(hb_classes, n);
    std::copy(d.begin(), d.end(), dev_left.begin());
    std::copy(h.begin(), h.end(), hb_left.begin());
  }
  std::vector<MixFeed> out;
  out.reserve(n);
  for (std::size_t i = 0; i < kNamed.size() && out.size() < n; ++i) {
    const Named& m = kNamed[i];
    MixFeed f{.name = feed_name_of(m.asset), .asset = m.asset, .aggregation = "ocr2", .oracles = 31,
              .deviation = m.deviation, .heartbeat = sim::Duration::nanoseconds(m.heartbeat_s * kSecond),
              .decimals = m.decimals, .start_price = m.start_price, .volatility = m.volatility};
    if (i >= 3) f.oracles = 16;  // the named stablecoins and the cross rate: fewer oracles than the majors (assumption)
    --dev_left[class_index(dev_classes, m.deviation)];
    --hb_left[class_index(hb_classes, static_cast<double>(m.heartbeat_s))];
    out.push_back(std::move(f));
  }
  // Synthetic feeds, class by class in histogram order.
  std::vector<MixFeed> synthetic;
  for (std::size_t c = 0; c < dev_classes.size(); ++c) {
    const ClassTraits& t = kTraits[c];
    for (std::int64_t k = 0; k < dev_left[c] && out.size() + synthetic.size() < n; ++k) {
      const std::string asset = fmt::format("{}-{:02}/USD", t.prefix, k + 1);
      synthetic.push_back(MixFeed{.name = feed_name_of(asset), .asset = asset, .aggregation = "ocr2", .oracles = 0,
                                  .deviation = t.deviation, .heartbeat = sim::Duration::nanoseconds(86'400 * kSecond),
                                  .decimals = 8, .start_price = t.start_price, .volatility = t.volatility});
    }
  }
  // Heartbeats: 23 h to stablecoin-like thresholds first, 1 h to the tightest non-stable ones first.
  const auto give = [&](std::int64_t& left, std::int64_t seconds, std::initializer_list<double> preference) {
    for (const double dev : preference)
      for (MixFeed& f : synthetic)
        if (left > 0 && std::abs(f.deviation - dev) < 1e-12 && f.heartbeat.ns() == 86'400 * kSecond) {
          f.heartbeat = sim::Duration::nanoseconds(seconds * kSecond);
          --left;
        }
  };
  give(hb_left[2], 82'800, {0.0025, 0.0015, 0.003, 0.005, 0.01, 0.02});
  give(hb_left[1], 3'600, {0.005, 0.003, 0.01, 0.02, 0.0025, 0.0015});
  // Synthetic feed j is per node when floor((j + 1) share) steps up: floor(S share) of the S, spread evenly. The share
  // counts in millionths, so no rounding error of a binary fraction decides a feed (0.29 x 100 is 29, not 28.99...).
  constexpr std::uint64_t kMillion = 1'000'000;
  const auto ppm = static_cast<std::uint64_t>(std::llround(std::clamp(flux_share, 0.0, 1.0) * kMillion));
  for (std::uint64_t j = 0; j < synthetic.size(); ++j) {
    MixFeed& f = synthetic[j];
    f.oracles = kOracleCycle[out.size() % kOracleCycle.size()];  // by the feed's position in the whole list
    if ((j + 1) * ppm / kMillion > j * ppm / kMillion) f.aggregation = "flux";
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace models::feeds
