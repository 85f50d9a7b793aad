#pragma once
// `oraclesim report RESULTS_DIR`: a self-contained report.html of a sweep (inline CSS, no network), with the
// scenario, the manifest's provenance, summary tables, paired comparisons, straight-line fits, and gnuplot
// plots saved as files beside it.
//
// What it shows comes from the resolved scenario's `report:` block in manifest.json, overridden by
// ReportOptions::overrides, with defaults for whatever neither gives (see resolve_spec in report_model.hpp):
//   report:
//     metrics: [gas_per_update]          # metrics to show (default: all)
//     x: [feeds[0].oracles]              # swept key(s) on the x axis (default: every numeric swept key)
//     series: [feeds[0].aggregation]     # swept key(s) naming the lines (default: the other swept keys)
//     cdf: [latency_s]                   # metrics drawn as CDFs across runs (default: *latency*, *staleness*)
//     paired: feeds[0].aggregation       # key compared pairwise by replication (default: first 2-valued key)
//     baseline: flux                     # its baseline value (default: its first value)
#include <filesystem>
#include <string>

#include "analysis/report/plots.hpp"
#include "analysis/report/results.hpp"

namespace analysis::report {

struct ReportOptions {
  std::filesystem::path output_dir;  // where report.html and the images go; empty: the results directory
  std::string gnuplot = "gnuplot";   // gnuplot executable, searched on PATH unless it contains '/'
  ImageFormat format = ImageFormat::png;
  ReportBlock overrides;             // non-empty fields replace the scenario's report block
};

// Writes OUTPUT_DIR/report.html and its images. Throws std::runtime_error (GnuplotError when gnuplot is
// missing, naming the package to install) with a message fit for the command line.
void write_report(const std::filesystem::path& results_dir, const ReportOptions& options = {});

}  // namespace analysis::report
