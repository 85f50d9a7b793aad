// An OCR feed on the simulated chain: Chainlink nodes' tx managers transmit, blocks include, logs feed back.
#include "models/feeds/ocr_chain_binding.hpp"
#include "models/ocr/ocr_aggregator.hpp"

#include <gtest/gtest.h>

#include "analysis/ocr_metrics.hpp"

#include <memory>

#include "sim/network/network.hpp"

using namespace models::ocr;
using namespace models::feeds;
using namespace sim::literals;
namespace chain = models::chain;
namespace ocr = models::ocr;
namespace node = models::node;

namespace {

struct ChainWorld {
  static constexpr Value kPrice = 300'000'000'000;
  sim::Simulation sim{11};
  sim::Network net{sim, sim::NetworkConfig{}};
  chain::Chain chain{sim, chain_config()};
  OcrConfig cfg;  // Ethereum defaults: delta_round 20 s, delta_progress 23 s, delta_stage 10 s, delta_c 10 min
  std::vector<std::unique_ptr<node::ChainlinkNode>> nodes;
  std::unique_ptr<OcrFeed> feed;
  std::unique_ptr<analysis::OcrProtocolProbe> probe;  // the protocol metrics (analysis/ocr_metrics.hpp)
  std::unique_ptr<OcrChainBinding> binding;

  static chain::ChainConfig chain_config() {
    chain::ChainConfig c;
    c.missed_slot_probability = 0;
    return c;
  }

  explicit ChainWorld(int n, int f) {
    cfg.n = n;
    cfg.f = f;
    cfg.delta_grace = 1_s;
    std::vector<OcrOracleSpec> specs;
    for (int i = 0; i < n; ++i) {
      specs.push_back({"eth-usd/node-" + std::to_string(i), "", [i](sim::Time t) -> std::optional<Value> {
                         // +1% every 15 minutes; oracle i sees it i units higher.
                         return kPrice + (t.ns() / 900'000'000'000) * (kPrice / 100) + i;
                       }, {}});
      nodes.push_back(std::make_unique<node::ChainlinkNode>(sim, chain, "eth-usd/node-" + std::to_string(i), node::NodeConfig{}));
    }
    std::vector<node::ChainlinkNode*> raw;
    for (auto& nd : nodes) raw.push_back(nd.get());
    binding = std::make_unique<OcrChainBinding>(chain, raw);
    feed = std::make_unique<OcrFeed>(sim, net, cfg, std::move(specs), *binding, 11);
    probe = std::make_unique<analysis::OcrProtocolProbe>(sim, *feed);
    ocr::OcrAggregatorConfig c;
    c.config_digest = cfg.config_digest;
    c.f = f;
    c.signers = feed->signer_addresses();
    for (auto& nd : nodes) c.transmitters.push_back(nd->address());
    const auto agg = chain.deploy("eth-usd/ocr-aggregator", std::make_shared<ocr::OcrAggregator>(c, feed->directory().registry()));
    binding->bind(agg, *feed);
  }
  analysis::OcrFeedMetrics run(sim::Duration d) {
    chain.start();
    feed->start();
    sim.run_until(sim::Time{} + d);
    return probe->metrics(sim.now());
  }
};

}  // namespace

TEST(OcrChainBinding, FeedUpdatesThroughTxManagersAndBlocks) {
  ChainWorld w(4, 1);
  auto m = w.run(1_h);
  const auto& cost = w.binding->cost();
  // The first round, then one update per 1% step (every 15 min), heartbeats in between (10 min): about 4 to 10.
  EXPECT_GE(m.reports_accepted, 4U);
  EXPECT_LE(m.reports_accepted, 12U);
  EXPECT_EQ(m.safety_violations, 0U);
  EXPECT_EQ(w.binding->aggregator().latest_round(), m.reports_accepted);
  EXPECT_EQ(cost.transmits_included - cost.transmits_reverted, m.reports_accepted);
  // A 4-oracle transmit with 3 or 4 observations and 2 signatures costs about 129 k gas (see the contract tests;
  // the real contract: 127.6 k and 129.1 k, tests/data/gas/measured.csv).
  const double per_update = static_cast<double>(cost.gas_accepted) / static_cast<double>(m.reports_accepted);
  EXPECT_GT(per_update, 118'000.0);
  EXPECT_LT(per_update, 140'000.0);
  // Reverted duplicates cost little each.
  if (cost.transmits_reverted > 0) {
    EXPECT_LT(static_cast<double>(cost.gas_reverted) / static_cast<double>(cost.transmits_reverted), 35'000.0);
  }
  EXPECT_EQ(w.binding->aggregator().telemetry().wasted_gas, cost.gas_reverted);
  EXPECT_GT(cost.fees_wei, chain::Amount{0});
  // Round latency: observe-req to inclusion, a few seconds to a few slots.
  EXPECT_GT(m.round_latency_s_mean, 1.0);
  EXPECT_LT(m.round_latency_s_mean, 60.0);
}
