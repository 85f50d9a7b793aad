#include "tools/oraclesim/report_command.hpp"

#include <filesystem>

#include <fmt/core.h>

#include "analysis/report/report.hpp"

namespace oraclesim {

CLI::App* add_report_command(CLI::App& app, ReportArgs& args) {
  auto* cmd = app.add_subcommand(
      "report", "Write RESULTS_DIR/report.html: provenance, summary tables, paired comparisons, fits and gnuplot "
                "plots (needs gnuplot-nox). What to show comes from the scenario's report: block; options override it");
  cmd->add_option("results_dir", args.results_dir, "Results directory of `oraclesim sweep` or `run`")->required();
  cmd->add_option("--out", args.out, "Directory for report.html and its images (default: RESULTS_DIR)");
  cmd->add_option("--format", args.format, "Image format")->check(CLI::IsMember({"png", "svg"}));
  cmd->add_option("--gnuplot", args.gnuplot, "gnuplot executable");
  cmd->add_option("--metric", args.metrics, "Metric to show (repeatable; default: all)");
  cmd->add_option("--x", args.x, "Swept key on the x axis (repeatable; default: every numeric swept key)");
  cmd->add_option("--series", args.series, "Swept key naming the lines (repeatable; default: the others)");
  cmd->add_option("--cdf", args.cdf, "Metric drawn as a CDF across runs (repeatable; default: latency/staleness)");
  cmd->add_option("--timeline", args.timeline, "Series of the single-run timeline (repeatable)");
  cmd->add_option("--paired", args.paired, "Swept key compared pairwise by replication (default: first 2-valued)");
  cmd->add_option("--baseline", args.baseline, "Baseline value of the paired key (default: its first value)");
  cmd->add_option("--log-scale", args.log_scale, "Metric drawn on a log axis (repeatable; a per-feed or per-client metric without its entity: all of its columns)");
  cmd->add_option("--compare", args.compare,
                  "Per-feed or per-client metric (without the entity prefix) drawn entity by entity (repeatable; "
                  "default: all of them when the sweep has one point)");
  return cmd;
}

int run_report_command(const ReportArgs& args) {
  analysis::report::ReportOptions options;
  options.output_dir = args.out;
  options.gnuplot = args.gnuplot;
  options.format = args.format == "svg" ? analysis::report::ImageFormat::svg : analysis::report::ImageFormat::png;
  options.overrides.metrics = args.metrics;
  options.overrides.x = args.x;
  options.overrides.series = args.series;
  options.overrides.cdf = args.cdf;
  options.overrides.timeline = args.timeline;
  options.overrides.paired = args.paired;
  options.overrides.baseline = args.baseline;
  options.overrides.log_scale = args.log_scale;
  options.overrides.compare = args.compare;
  analysis::report::write_report(args.results_dir, options);
  const std::filesystem::path dir(args.out.empty() ? args.results_dir : args.out);
  fmt::print("report: {}\n", (dir / "report.html").string());
  return 0;
}

}  // namespace oraclesim
