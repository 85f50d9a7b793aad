#pragma once
// `oraclesim report RESULTS_DIR`: the command-line face of analysis::report::write_report.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace oraclesim {

struct ReportArgs {
  std::string results_dir;
  std::string out;                   // output directory (default: RESULTS_DIR)
  std::string format = "png";        // png | svg
  std::string gnuplot = "gnuplot";
  std::vector<std::string> metrics, x, series, cdf, timeline;
  std::string paired, baseline;
  std::vector<std::string> log_scale, compare;
};

// Registers the `report` subcommand on `app`, filling `args` when parsed.
CLI::App* add_report_command(CLI::App& app, ReportArgs& args);
// Writes the report and prints where it is. Throws std::runtime_error on failure.
int run_report_command(const ReportArgs& args);

}  // namespace oraclesim
