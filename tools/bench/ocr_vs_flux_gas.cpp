// The OCR vs per-node (flux) gas study from a scenario built in C++ and run by analysis::run_one: for each oracle
// count n, R replications of an ETH/USD-like feed (0.5% deviation, 1 h heartbeat, 80% annual volatility, 4
// providers, Ethereum-like chain) aggregated per node, by OCR1 and by OCR2 (facts §1 Ethereum-minimum timing).
// Replication r uses the same seed in every mode and at every n (common random numbers: same price path and
// quotes). Prints, per n, the mean over replications of gas per update of the three modes and the savings in
// percent (OCR1 and OCR2 over flux, OCR2 over OCR1), plus updates per day, update latency, staleness and the gas
// the OCR generations waste per day on reverted duplicate transmissions.
//   ocr_vs_flux_gas [simulated hours = 6] [replications = 3] [n ...  = 4 7 10 13 16 19 25 31]
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "analysis/run.hpp"
#include "analysis/subsystems.hpp"
#include "models/demo/demo_subsystem.hpp"
#include "models/feeds/feeds_subsystem.hpp"
#include "models/scenario/scenario.hpp"

using namespace sim::literals;
namespace feeds = models::feeds;

namespace {

models::scenario::ScenarioConfig world(std::uint32_t oracles, const std::string& mode, sim::Duration duration,
                                      sim::Duration warmup) {
  models::scenario::ScenarioConfig w;
  w.name = "ocr-vs-flux-gas";
  w.duration = duration;
  w.warmup = warmup;
  models::demo::demo_of(w).enabled = false;
  models::providers::AssetConfig a;
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
  feeds::FeedConfig f;
  f.aggregation = mode;
  f.oracles = oracles;
  f.deviation = 0.005;
  f.heartbeat = 1_h;
  feeds::feeds_of(w) = {f};
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

  std::printf("OCR1 and OCR2 vs per-node aggregation, %.1f h simulated (10 min warm-up), %d replications, means\n", hours, reps);
  std::printf("%4s %10s %10s %10s %9s %9s %9s %9s %9s %9s %9s %9s %9s %11s %11s\n", "n", "flux_gas", "ocr_gas",
              "ocr2_gas", "ocr_sav%", "ocr2_sav%", "2_vs_1%", "flux_upd", "ocr_upd", "ocr2_upd", "flux_lat", "ocr_lat",
              "ocr2_lat", "ocr_waste", "ocr2_waste");
  const char* modes[] = {"flux", "ocr", "ocr2"};
  for (std::uint32_t n : ns) {
    Sums s[3];
    for (int r = 0; r < reps; ++r) {
      const auto rep = static_cast<std::uint64_t>(r);
      for (int m = 0; m < 3; ++m) {
        const auto w = world(n, modes[m], duration, warmup);
        if (r == 0) analysis::builtin_registry().validate(w).throw_if_any("invalid study");
        s[m].add(analysis::run_one(w, kMaster, rep).metrics, days);
      }
    }
    const double k = 1.0 / reps;
    auto saving = [](double alt, double base) { return 100.0 * (1.0 - alt / base); };
    std::printf("%4u %10.0f %10.0f %10.0f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %11.0f %11.0f\n", n,
                s[0].gas_per_update * k, s[1].gas_per_update * k, s[2].gas_per_update * k,
                saving(s[1].gas_per_update, s[0].gas_per_update), saving(s[2].gas_per_update, s[0].gas_per_update),
                saving(s[2].gas_per_update, s[1].gas_per_update), s[0].updates_per_day * k, s[1].updates_per_day * k,
                s[2].updates_per_day * k, s[0].latency_s * k, s[1].latency_s * k, s[2].latency_s * k,
                s[1].wasted_per_day * k, s[2].wasted_per_day * k);
    std::fflush(stdout);
  }
  return 0;
}
