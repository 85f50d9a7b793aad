// One simulated day of a 31-oracle OCR feed (f = 10) with DeltaRound 1 s on the simulated chain: a hypothetical
// stress timing, far below libocr's minimums (Ethereum 20 s, fast chains 5 s; facts §1), chosen to load the engine
// with protocol traffic, not to describe a deployed feed. The OCR
// protocol's messages over a full-mesh network, Chainlink nodes' tx managers, the OCR aggregator, 4 providers,
// a consumer. Prints events, CPU seconds (std::clock: the build machine is shared, so wall time is unreliable),
// events per CPU second and simulated time per CPU time. See docs/performance.md.
//   bench_ocr_feed [simulated hours = 24] [seed = 1]
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "analysis/ocr_metrics.hpp"
#include "models/feeds/ocr_price_feed.hpp"

using namespace sim::literals;
namespace feeds = models::feeds;
namespace providers = models::providers;

int main(int argc, char** argv) {
  const double hours = argc > 1 ? std::atof(argv[1]) : 24.0;
  const std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  const sim::Duration duration = sim::Duration::nanoseconds(static_cast<std::int64_t>(hours * 3600e9));

  sim::Simulation sim(seed);
  sim::Network net(sim, sim::NetworkConfig{});
  models::chain::Chain chain(sim, models::chain::ChainConfig{});
  providers::PriceProcessConfig pc;
  pc.start = 3000;
  pc.volatility = 0.8;
  providers::TruePrice price(sim, "ETH/USD", pc);
  std::vector<std::unique_ptr<providers::DataProvider>> provs;
  std::vector<providers::DataProvider*> raw;
  for (int i = 0; i < 4; ++i) {
    providers::ProviderConfig p;
    p.name = "exchange-" + std::to_string(i);
    p.asset = "ETH/USD";
    provs.push_back(std::make_unique<providers::DataProvider>(sim, p, price));
    raw.push_back(provs.back().get());
  }
  feeds::FeedConfig f;
  f.oracles = 31;
  f.deviation = 0.005;
  f.heartbeat = 1_h;
  feeds::OcrSettings ocr;
  ocr.delta_round = 1_s;
  ocr.delta_grace = 500_ms;
  ocr.delta_stage = 15_s;
  feeds::OcrPriceFeed feed(sim, chain, net, f, ocr, raw, &price);
  analysis::OcrProtocolProbe probe(sim, feed.oracles());

  const std::clock_t c0 = std::clock();
  chain.start();
  price.start();
  for (auto& p : provs) p->start();
  feed.start();
  sim.run_until(sim::Time::zero() + duration);
  const double cpu_s = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;

  const auto m = probe.metrics(sim.now());
  const double events = static_cast<double>(sim.stats().executed);
  std::printf("simulated        %.1f h (31 oracles, f = %d, DeltaRound 1 s: a stress timing below libocr's chain minimums)\n",
              hours, feed.protocol().f);
  std::printf("events           %.0f\n", events);
  std::printf("cpu_s            %.2f\n", cpu_s);
  std::printf("events_per_cpu_s %.0f\n", events / cpu_s);
  std::printf("sim_over_cpu     %.0f x\n", duration.seconds() / cpu_s);
  std::printf("rounds           %llu\n", static_cast<unsigned long long>(m.rounds));
  std::printf("reports_accepted %llu\n", static_cast<unsigned long long>(m.reports_accepted));
  std::printf("epochs           %llu\n", static_cast<unsigned long long>(m.epochs));
  std::printf("safety_violations %llu\n", static_cast<unsigned long long>(m.safety_violations));
  std::printf("fingerprint      %016llx\n", static_cast<unsigned long long>(sim.fingerprint()));
  return 0;
}
