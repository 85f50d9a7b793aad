#pragma once
// The Ethereum feed mix: N price feeds whose deviation thresholds and heartbeats follow the histogram of Ethereum's
// price feeds (facts §5, DOC feeds-mainnet.json, Mar 2026, over 191 feeds: deviation 2% (60), 0.5% (52), 1% (34),
// 0.3% (12), 0.25% (8), 0.15% (8), the 174 with these six thresholds; heartbeat 86,400 s (167), 3,600 s (19),
// 82,800 s (4), 190 feeds). Each histogram is apportioned over its own total. Pure, no scheduler: the
// ecosystem benchmark (`oraclesim bench ecosystem`) builds its scenario from it, and scenarios/ecosystem_day.yaml
// writes out the mix for N = 40 (a test holds them together).
//
// What is a fact and what is an assumption:
// - The six feeds facts §5 names come first, with their own thresholds: ETH/USD, BTC/USD, LINK/USD (0.5%, 1 h),
//   DAI/USD (0.25%, 1 h), USDC/USD (0.25%, 23 h), BTC/ETH (2%, 24 h; 18 decimals).
// - The class counts of N feeds are the histogram apportioned to N by largest remainders (ties to the larger class),
//   so the mix of any N is the deployed one as closely as whole feeds allow. The named feeds use up their classes'
//   counts first; with few feeds (a class count below the named ones, e.g. N <= 12) they exceed it and the synthetic
//   feeds stop at N, so the last classes in histogram order come short (N = 7 has no 1% feed).
// - Pairing of thresholds and heartbeats is not in the source (assumption): the 23 h heartbeats go to stablecoin-like
//   0.25% feeds first, then 0.15%, 0.3%, 0.5%, 1%, 2%; the 1 h ones to 0.5% feeds first (the majors' class), then
//   0.3%, 1%, 2%, 0.25%, 0.15%; the rest get 24 h.
// - The other feeds are synthetic assets named by class ("ALT-07/USD"); their true-price volatility follows their
//   threshold class (a threshold is chosen for the asset's volatility): 0.15% 10% (fx-like), 0.25% 2% (stablecoins),
//   0.3% 50%, 0.5% 70%, 1% 90%, 2% 100%. Assumption.
// - Oracles per feed (facts §5: not found; assumption): 31 for ETH/USD, BTC/USD and LINK/USD, 16 for DAI/USD,
//   USDC/USD and BTC/ETH; a synthetic feed at position p of the list (from 0) gets cycle[p % 8] of the cycle
//   31, 16, 21, 9, 16, 13, 7, 4 (its mean is 14.6; the first synthetic feed, p = 6, gets 7). The mean over N feeds is
//   about 20 for N = 10 and 15 for N >= 50.
// - Aggregation: OCR2 (what deployed feeds run, facts §1) except floor(flux_share x S) of the S synthetic feeds,
//   spread evenly (synthetic feed j, from 0, when floor((j + 1) flux_share) steps up: with 0.1 the 10th, 20th, ...),
//   as per-node FluxAggregator feeds (legacy feeds, for comparison in the same world). Assumption.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/time.hpp"

namespace models::feeds {

struct MixFeed {
  std::string name;          // feed name, e.g. "eth-usd", "alt-07-usd"
  std::string asset;         // asset name, e.g. "ETH/USD", "ALT-07/USD"
  std::string aggregation;   // "ocr2" or "flux"
  std::uint32_t oracles = 0;
  double deviation = 0;      // fraction
  sim::Duration heartbeat{};
  std::uint32_t decimals = 8;
  double start_price = 0;    // USD (or ETH for /ETH feeds)
  double volatility = 0;     // annualised, fraction
};

// One class of the deviation or heartbeat histogram: its value and the number of Ethereum feeds in it.
struct MixClass {
  double value;              // deviation (fraction) or heartbeat (seconds)
  std::uint32_t feeds;
};
// Facts §5's histograms, largest class first.
const std::vector<MixClass>& ethereum_deviation_classes();
const std::vector<MixClass>& ethereum_heartbeat_classes();

// `total` whole items shared among `classes` in proportion to their counts by largest remainders (ties: the earlier,
// larger class). The result sums to `total`.
std::vector<std::uint32_t> apportion(const std::vector<MixClass>& classes, std::size_t total);

// N feeds in the Ethereum mix (see the header). `flux_share` in [0, 1]: the share of synthetic feeds aggregated per
// node. Deterministic: the same N and share give the same list. A longer list is not an extension of a shorter one:
// a class that gains a feed shifts the positions (oracle counts, per-node choice) of the feeds after it.
std::vector<MixFeed> ethereum_feed_mix(std::size_t n, double flux_share = 0.1);

}  // namespace models::feeds
