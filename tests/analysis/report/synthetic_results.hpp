#pragma once
// A small synthetic results directory in the format `oraclesim sweep` writes (runs.csv, summary.csv,
// manifest.json), for report tests: feeds[0].oracles in {4, 7, 10, 13} x feeds[0].aggregation in
// {flux, ocr} x 5 replications.
//
// gas_per_update = flux: 50000 n + 1000 r + e_r;  ocr: 200000 + 3000 n + 1000 r
// (the 1000 r term is shared by both modes of a replication, as common random numbers would make it;
// e = {0, 30, -20, 10, -20} is flux-only), so the paired saving flux - ocr is 47000 n - 200000 + e_r.
// latency_s = 0.5 + 0.1 r + 0.01 n (+ 0.2 for ocr); replication 2 of point 0 has latency_s missing.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analysis/statistics.hpp"

namespace report_test {

inline constexpr int kOracles[] = {4, 7, 10, 13};
inline constexpr const char* kModes[] = {"flux", "ocr"};
inline constexpr double kFluxExtra[] = {0, 30, -20, 10, -20};
inline constexpr int kReplications = 5;

inline double gas(int n, int mode, int r) {
  return mode == 0 ? 50000.0 * n + 1000.0 * r + kFluxExtra[r] : 200000.0 + 3000.0 * n + 1000.0 * r;
}
inline double latency(int n, int mode, int r) { return 0.5 + 0.1 * r + 0.01 * n + (mode == 1 ? 0.2 : 0.0); }

inline std::filesystem::path fresh_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(ORACLESIM_BINARY_DIR) / "test-output" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Writes the three files (and timeseries/p0_r0.csv) into `dir`; `with_report_block` adds a report: block to
// the resolved scenario; `nested_manifest` writes a minimal manifest with nested maps instead of the flat form.
inline void write_synthetic_results(const std::filesystem::path& dir, bool with_report_block = false,
                                    bool nested_manifest = false) {
  std::ofstream runs(dir / "runs.csv");
  runs << "point,replication,seed,feeds[0].oracles,feeds[0].aggregation,gas_per_update,latency_s,fingerprint,"
          "events,wall_s\n";
  std::ofstream summary(dir / "summary.csv");
  summary << "point,feeds[0].oracles,feeds[0].aggregation,metric,n,mean,sd,ci95_low,ci95_high,min,max\n";
  int point = 0;
  for (int n : kOracles) {
    for (int mode = 0; mode < 2; ++mode, ++point) {
      std::vector<double> g, l;
      for (int r = 0; r < kReplications; ++r) {
        const bool missing = point == 0 && r == 2;
        g.push_back(gas(n, mode, r));
        if (!missing) l.push_back(latency(n, mode, r));
        runs << fmt::format("{},{},{},{},{},{},{},{:016x},{},{}\n", point, r, 1000 + r, n, kModes[mode], g.back(),
                            missing ? std::string() : fmt::format("{}", latency(n, mode, r)),
                            0x1234u * (point + 1) + r, 1000 * n, 0.01);
      }
      for (const auto& [name, xs] : {std::pair{"gas_per_update", g}, std::pair{"latency_s", l}}) {
        const analysis::Summary s = analysis::summarize(xs);
        summary << fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", point, n, kModes[mode], name, s.n, s.mean, s.sd,
                               s.ci95_low, s.ci95_high, s.min, s.max);
      }
    }
  }
  std::ofstream manifest(dir / "manifest.json");
  if (nested_manifest) {
    // A hand-written manifest keeping the scenario as nested maps, with the typed entries the report reads.
    manifest << R"({ "version": "0.1.0", "scenario": { "name": "nested" },
      "sweep": { "keys": ["feeds[0].oracles", "feeds[0].aggregation"], "points": [["4", "flux"]], "replications": 5 },
      "fault_windows": [ { "kind": "crash", "target": "any 3 of n-*", "at_s": 90, "duration_s": null },
                         { "kind": "partition", "target": "a*, b*", "at_s": 120 } ],
      "report": { "x": ["feeds[0].oracles"], "paired": "feeds[0].aggregation", "baseline": "ocr" } })";
    return;
  }
  // The flat form `oraclesim sweep` writes: the resolved scenario as key path -> value.
  manifest << R"({
  "oraclesim_version": "0.1.0",
  "git_commit": "0123456789ab",
  "command_line": ["oraclesim", "sweep", "scenarios/ocr_vs_flux_gas.yaml", "--out", "results <&>"],
  "scenario_file": "scenarios/ocr_vs_flux_gas.yaml",
  "scenario": {
    "name": "ocr-vs-flux-gas",
    "description": "Gas per update of OCR vs per-node submission as the number of oracles grows.",
    "seed": 1,
    "duration": "1h",
    "faults[0].at": "10min",
    "faults[0].kind": "crash",
    "faults[0].target": "eth-usd/node-0",
    "faults[0].duration": "5min",
    "faults[1].at": "40min",
    "faults[1].kind": "congestion",
    "faults[1].duration": "10min")";
  manifest << R"(
  },
  "sweep": { "keys": ["feeds[0].oracles", "feeds[0].aggregation"],
             "points": [["4", "flux"], ["4", "ocr"], ["7", "flux"], ["7", "ocr"], ["10", "flux"], ["10", "ocr"],
                        ["13", "flux"], ["13", "ocr"]],
             "units": ["nodes", ""],
             "numbers": [[4, null], [4, null], [7, null], [7, null], [10, null], [10, null], [13, null], [13, null]],
             "replications": 5 },
  "fault_windows": [ { "kind": "crash", "target": "eth-usd/node-0", "at_s": 600, "duration_s": 300 },
                     { "kind": "congestion", "target": "", "at_s": 2400, "duration_s": 600 } ],)";
  if (with_report_block) {
    manifest << R"(
  "report": { "metrics": ["gas_per_update"], "x": ["feeds[0].oracles"], "series": ["feeds[0].aggregation"],
              "cdf": [], "timeline": [], "paired": "feeds[0].aggregation", "baseline": "ocr" },)";
  } else {
    manifest << R"(
  "report": { "metrics": [], "x": [], "series": [], "cdf": [], "timeline": [], "paired": "", "baseline": "" },)";
  }
  manifest << R"(
  "master_seed": 1,
  "seeds": [1000, 1001, 1002, 1003, 1004],
  "started_at": "2026-11-22T14:00:00Z",
  "finished_at": "2026-11-22T14:01:00Z",
  "host": "test-host",
  "threads": 2
}
)";
  // One run's time series: a price stepping up and the on-chain answer following it 30 s late.
  std::filesystem::create_directories(dir / "timeseries");
  std::ofstream series(dir / "timeseries" / "p0_r0.csv");
  series << "series,t_s,value\n";
  for (int t = 0; t <= 3600; t += 60) series << "true_price," << t << "," << 3000 + (t / 600) * 5 << "\n";
  for (int t = 30; t <= 3600; t += 600) series << "onchain_answer," << t << "," << 3000 + (t / 600) * 5 << "\n";
  for (int t = 0; t <= 3600; t += 600) series << "pending_events," << t << "," << 100 + t / 60 << "\n";
  // What a feed records besides (the feed figure): providers, the deviation band, updates; the gas figure's series.
  for (int t = 0; t <= 3600; t += 60) {
    series << "provider_price.exchange-a," << t << "," << 3000.5 + (t / 600) * 5 << "\n";
    series << "answer_band_low," << t << "," << (3000 + (t / 600) * 5) * 0.995 << "\n";
    series << "answer_band_high," << t << "," << (3000 + (t / 600) * 5) * 1.005 << "\n";
    series << "base_fee_gwei," << t << "," << 20 + (t % 600) / 100 << "\n";
  }
  for (int t = 30; t <= 3600; t += 600) series << "answer_updates," << t << "," << 3000 + (t / 600) * 5 << "\n";
  for (int t = 30; t <= 3600; t += 600) series << "feed_gas_price_gwei," << t << "," << 21 + (t / 600) << "\n";
}

}  // namespace report_test
