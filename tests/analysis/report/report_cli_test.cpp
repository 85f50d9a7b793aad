// `oraclesim report` end to end through the real binary: a sweep written by `oraclesim sweep` (the real
// runs.csv / summary.csv / manifest.json / timeseries format) turned into a report, and errors on bad input.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/wait.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/analysis/report/synthetic_results.hpp"

namespace {

const std::filesystem::path kBinary = std::filesystem::path(ORACLESIM_BINARY_DIR) / "tools" / "oraclesim";

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs the binary with `args`, returning its exit status; output goes to `log`.
int oraclesim(const std::string& args, const std::filesystem::path& log) {
  const std::string command = fmt::format("'{}' {} > '{}' 2>&1", kBinary.string(), args, log.string());
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ReportCli, SweepThenReport) {
  ASSERT_TRUE(std::filesystem::exists(kBinary)) << "build the oraclesim target first: " << kBinary;
  const auto dir = report_test::fresh_dir("ReportCli.SweepThenReport");
  std::ofstream(dir / "sweep.yaml") << R"(name: report-cli
description: a small PHOLD sweep for the report test
seed: 3
duration: 2s
warmup: 500ms
demo: { enabled: true, lps: 8, population: 2 }
record: { timeseries: [pending_events], every: 250ms }
sweep:
  grid:
    demo.lps: [4, 8, 16]
    demo.population: [1, 2]
  replications: 2
report:
  metrics: [phold_events, engine_peak_pending]
  paired: demo.population
  baseline: "2"
)";
  const std::filesystem::path results = dir / "results";
  ASSERT_EQ(oraclesim("sweep '" + (dir / "sweep.yaml").string() + "' --out '" + results.string() + "' -j 1 --quiet",
                      dir / "sweep.log"),
            0)
      << slurp(dir / "sweep.log");
  ASSERT_EQ(oraclesim("report '" + results.string() + "' --format svg", dir / "report.log"), 0)
      << slurp(dir / "report.log");
  EXPECT_NE(slurp(dir / "report.log").find("report.html"), std::string::npos);
  const std::string html = slurp(results / "report.html");
  EXPECT_NE(html.find("<h1>report-cli</h1>"), std::string::npos);
  EXPECT_NE(html.find("vs baseline 2"), std::string::npos);        // the scenario's report: block, via the manifest
  EXPECT_NE(html.find("<h3>phold_events</h3>"), std::string::npos);
  EXPECT_EQ(html.find("<h3>phold_events_per_s</h3>"), std::string::npos);
  EXPECT_NE(html.find("timeline_p0_r0.svg"), std::string::npos);
  std::size_t images = 0;
  for (const auto& entry : std::filesystem::directory_iterator(results)) {
    if (entry.path().extension() != ".svg") continue;
    ++images;
    EXPECT_GT(std::filesystem::file_size(entry.path()), 500u) << entry.path();
    EXPECT_NE(html.find(entry.path().filename().string()), std::string::npos) << entry.path();
  }
  EXPECT_GE(images, 3u);
}

// A base-fee sweep: the swept gas price is a number of gwei in runs.csv, and the report plots gas per update against
// it with both units on the axes.
TEST(ReportCli, ABaseFeeSweepPlotsAgainstGwei) {
  const auto dir = report_test::fresh_dir("ReportCli.BaseFee");
  std::ofstream(dir / "base_fee.yaml") << R"(name: base-fee
seed: 5
duration: 1h
warmup: 5min
chain: { slot: 12s, base_fee: 20gwei }
assets: [{ name: ETH/USD, process: { kind: gbm, start: 3000, volatility: 80% } }]
providers: [{ name: a, asset: ETH/USD }, { name: b, asset: ETH/USD }]
feeds: [{ name: eth-usd, asset: ETH/USD, aggregation: flux, oracles: 4, deviation: 0.5%, heartbeat: 1h }]
sweep:
  grid:
    chain.base_fee: [20gwei, 50gwei, 150gwei]
  replications: 2
report:
  metrics: [gas_per_update, eth_cost_per_day, chain_blocks_orphaned]
  x: [chain.base_fee]
  paired: chain.base_fee
  baseline: 20gwei
  log_scale: [eth_cost_per_day, chain_blocks_orphaned]
)";
  const std::filesystem::path results = dir / "results";
  ASSERT_EQ(oraclesim("sweep '" + (dir / "base_fee.yaml").string() + "' --out '" + results.string() + "' -j 1 --quiet",
                      dir / "sweep.log"),
            0)
      << slurp(dir / "sweep.log");
  const std::string runs = slurp(results / "runs.csv");
  EXPECT_EQ(runs.rfind("point,replication,seed,chain.base_fee_gwei,", 0), 0u) << runs.substr(0, 200);
  for (const char* row : {"\n0,0,", "\n1,0,", "\n2,0,"}) EXPECT_NE(runs.find(row), std::string::npos) << row;
  EXPECT_NE(runs.find(",150,"), std::string::npos);
  EXPECT_EQ(runs.find("gwei", runs.find('\n')), std::string::npos) << "a value still written with its unit";
  ASSERT_EQ(oraclesim("report '" + results.string() + "' --format svg", dir / "report.log"), 0) << slurp(dir / "report.log");
  EXPECT_TRUE(std::filesystem::exists(results / "plot_gas_per_update_vs_chain_base_fee.svg"));
  const std::string script = slurp(results / "report_plots.gp");
  EXPECT_NE(script.find("set xlabel 'chain.base_fee [gwei]'"), std::string::npos);
  EXPECT_NE(script.find("set ylabel 'gas_per_update [gas]'"), std::string::npos);
  EXPECT_NE(script.find("set ylabel 'eth_cost_per_day [ETH/day]'"), std::string::npos);
  // The baseline as the scenario writes it (20gwei) is the column's 20; a log axis leaves the all-zero metric
  // linear instead of failing the report.
  EXPECT_NE(slurp(results / "report.html").find("vs baseline 20"), std::string::npos);
  const auto eth = script.find("set ylabel 'eth_cost_per_day [ETH/day]'");
  EXPECT_NE(script.find("set logscale y", eth), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(results / "plot_chain_blocks_orphaned_vs_chain_base_fee.svg"));
}

TEST(ReportCli, OptionsAndErrors) {
  ASSERT_TRUE(std::filesystem::exists(kBinary)) << "build the oraclesim target first: " << kBinary;
  const auto dir = report_test::fresh_dir("ReportCli.Errors");
  report_test::write_synthetic_results(dir);
  EXPECT_EQ(oraclesim("report '" + dir.string() + "' --metric gas_per_update --baseline ocr --out '" +
                          (dir / "out").string() + "'",
                      dir / "ok.log"),
            0)
      << slurp(dir / "ok.log");
  const std::string html = slurp(dir / "out" / "report.html");
  EXPECT_NE(html.find("vs baseline ocr"), std::string::npos);
  EXPECT_EQ(html.find("<h3>latency_s</h3>"), std::string::npos);

  EXPECT_NE(oraclesim("report '" + (dir / "missing").string() + "'", dir / "missing.log"), 0);
  EXPECT_NE(slurp(dir / "missing.log").find("expected a results directory"), std::string::npos);
  EXPECT_NE(oraclesim("report '" + dir.string() + "' --metric nope", dir / "metric.log"), 0);
  EXPECT_NE(slurp(dir / "metric.log").find("gas_per_update, latency_s"), std::string::npos);
  EXPECT_NE(oraclesim("report '" + dir.string() + "' --gnuplot /nonexistent/gnuplot", dir / "gp.log"), 0);
  EXPECT_NE(slurp(dir / "gp.log").find("gnuplot-nox"), std::string::npos);
}

}  // namespace
