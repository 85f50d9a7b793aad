// The OCR vs per-node (flux) gas study through the C++ world builders: for each oracle count n, R replications
// of an ETH/USD-like feed (0.5% deviation, 1 h heartbeat, 80% annual volatility, 4 providers, Ethereum-like
// chain) aggregated per node (FeedWorld) and by OCR (OcrFeedWorld, facts §1 Ethereum-minimum timing). Replication
// r uses the same seed in both modes and at every n (common random numbers: same price path and quotes).
// Prints, per n, the mean over replications of gas per update for both modes and OCR's saving in percent, plus
// updates per day, update latency and staleness.
//   ocr_vs_flux_gas [simulated hours = 6] [replications = 3] [n ...  = 4 7 10 13 16 19 25 31]
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "analysis/feed_probe.hpp"
#include "analysis/ocr_feed_probe.hpp"
#include "models/feeds/feed_world.hpp"
#include "models/feeds/ocr_feed_world.hpp"

using namespace sim::literals;
namespace feeds = models::feeds;

namespace {

feeds::FeedWorldConfig world(std::uint32_t oracles) {
  feeds::FeedWorldConfig w;
  feeds::AssetConfig a;
  a.name = "ETH/USD";
  a.process.start = 3000;
  a.process.volatility = 0.8;
  w.assets = {a};
  for (int i = 0; i < 4; ++i) {
    models::providers::ProviderConfig p;
    p.name = "exchange-" + std::to_string(i);
    p.asset = "ETH/USD";
    p.noise = (2 + i) * 1e-4;
    w.providers.push_back(p);
  }
  feeds::FluxFeedConfig f;
  f.oracles = oracles;
  f.deviation = 0.005;
  f.heartbeat = 1_h;
  w.feeds = {f};
  return w;
}

struct Sums {
  double gas_per_update = 0, updates_per_day = 0, latency_s = 0, staleness_s = 0, wasted_per_day = 0;
  void add(const analysis::MetricSet& m, double days) {
    auto v = [&](const char* k) { return m.get(k).value_or(NAN); };
    gas_per_update += v("gas_per_update");
    updates_per_day += v("updates") / days;
    latency_s += v("update_latency_s");
    staleness_s += v("staleness_s_mean");
    wasted_per_day += m.get("gas_wasted_per_day").value_or(0);
  }
};

}  // namespace

int main(int argc, char** argv) {
  const double hours = argc > 1 ? std::atof(argv[1]) : 6.0;
  const int reps = argc > 2 ? std::atoi(argv[2]) : 3;
  std::vector<std::uint32_t> ns;
  for (int i = 3; i < argc; ++i) ns.push_back(static_cast<std::uint32_t>(std::atoi(argv[i])));
  if (ns.empty()) ns = {4, 7, 10, 13, 16, 19, 25, 31};
  const sim::Duration duration = sim::Duration::nanoseconds(static_cast<std::int64_t>(hours * 3600e9));
  const sim::Duration warmup = 10_min;
  const double days = (duration - warmup).seconds() / 86'400.0;
  constexpr std::uint64_t kMaster = 2024;

  std::printf("OCR vs per-node aggregation, %.1f h simulated (10 min warm-up), %d replications, means\n", hours, reps);
  std::printf("%4s %16s %16s %9s %12s %12s %11s %11s %11s %11s %14s\n", "n", "flux_gas/update", "ocr_gas/update",
              "saving_%", "flux_upd/day", "ocr_upd/day", "flux_lat_s", "ocr_lat_s", "flux_stale", "ocr_stale",
              "ocr_wasted/day");
  for (std::uint32_t n : ns) {
    Sums flux, ocr;
    for (int r = 0; r < reps; ++r) {
      const feeds::FeedWorldConfig cfg = world(n);
      {
        sim::Simulation s(kMaster, static_cast<std::uint64_t>(r));
        feeds::FeedWorld w(s, cfg);
        analysis::FeedProbe probe(w, 0, analysis::feed_metrics_config(cfg.feeds[0], warmup, duration));
        w.start();
        s.run_until(sim::Time::zero() + duration);
        analysis::MetricSet m;
        probe.finish(m);
        flux.add(m, days);
      }
      {
        sim::Simulation s(kMaster, static_cast<std::uint64_t>(r));
        feeds::OcrFeedWorld w(s, cfg, {feeds::OcrSettings{}});
        analysis::OcrFeedProbe probe(w.true_price("ETH/USD"), w.feed(0),
                                     analysis::feed_metrics_config(cfg.feeds[0], warmup, duration));
        w.start();
        s.run_until(sim::Time::zero() + duration);
        analysis::MetricSet m;
        probe.finish(m);
        ocr.add(m, days);
      }
    }
    const double k = 1.0 / reps;
    std::printf("%4u %16.0f %16.0f %9.1f %12.1f %12.1f %11.1f %11.1f %11.1f %11.1f %14.0f\n", n,
                flux.gas_per_update * k, ocr.gas_per_update * k, 100.0 * (1.0 - ocr.gas_per_update / flux.gas_per_update),
                flux.updates_per_day * k, ocr.updates_per_day * k, flux.latency_s * k, ocr.latency_s * k,
                flux.staleness_s * k, ocr.staleness_s * k, ocr.wasted_per_day * k);
    std::fflush(stdout);
  }
  return 0;
}
