#include "analysis/report/report_model.hpp"

#include <iterator>

#include <cmath>
#include <fstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "analysis/report/report.hpp"
#include "tests/analysis/report/synthetic_results.hpp"

namespace {

using namespace analysis::report;

TEST(ReportResults, LoadsRunsSummaryAndManifest) {
  const auto dir = report_test::fresh_dir("ReportResults.Loads");
  report_test::write_synthetic_results(dir);
  const Results r = load_results(dir);
  EXPECT_EQ(r.swept_keys, (std::vector<std::string>{"feeds[0].oracles", "feeds[0].aggregation"}));
  EXPECT_EQ(r.metric_names, (std::vector<std::string>{"gas_per_update", "latency_s"}));
  EXPECT_EQ(r.runs.size(), 40u);
  EXPECT_EQ(r.summary.size(), 16u);
  EXPECT_EQ(r.scenario_name, "ocr-vs-flux-gas");
  EXPECT_EQ(r.values_of(1), (std::vector<std::string>{"flux", "ocr"}));
  EXPECT_TRUE(r.numeric(0));
  EXPECT_FALSE(r.numeric(1));
  EXPECT_TRUE(std::isnan(r.runs[2].metrics[1]));  // the missing latency
  bool has_commit = false;
  for (const auto& [k, v] : r.provenance) has_commit = has_commit || (k == "git_commit" && v == "0123456789ab");
  EXPECT_TRUE(has_commit);
  ASSERT_EQ(r.faults.size(), 2u);
  EXPECT_EQ(r.faults[0].at_s, 600.0);
  EXPECT_EQ(r.faults[0].duration_s, 300.0);
  EXPECT_FALSE(r.faults[0].open_ended);
  EXPECT_EQ(r.faults[0].kind, "crash");
  EXPECT_EQ(r.faults[0].target, "eth-usd/node-0");
  EXPECT_EQ(r.faults[1].kind, "congestion");
  ASSERT_EQ(r.timeseries.size(), 1u);
  EXPECT_EQ(r.timeseries[0].point, 0);
  const std::vector<NamedSeries> series = load_series_file(r.timeseries[0].file);
  ASSERT_EQ(series.size(), 9u);
  EXPECT_EQ(series[0].name, "true_price");
  EXPECT_EQ(series[1].name, "onchain_answer");
  EXPECT_EQ(series[1].t_s[1], 630.0);
  EXPECT_EQ(series[1].value[1], 3005.0);
}

TEST(ReportResults, NestedManifest) {
  const auto dir = report_test::fresh_dir("ReportResults.Nested");
  report_test::write_synthetic_results(dir, false, /*nested_manifest=*/true);
  const Results r = load_results(dir);
  EXPECT_EQ(r.scenario_name, "nested");
  EXPECT_EQ(r.sweep_key_hint, (std::vector<std::string>{"feeds[0].oracles", "feeds[0].aggregation"}));
  EXPECT_EQ(r.swept_keys, r.sweep_key_hint);
  EXPECT_EQ(r.report_block.x, (std::vector<std::string>{"feeds[0].oracles"}));
  EXPECT_EQ(r.report_block.baseline, "ocr");
  ASSERT_EQ(r.faults.size(), 2u);
  EXPECT_EQ(r.faults[0].at_s, 90.0);
  EXPECT_EQ(r.faults[0].target, "any 3 of n-*");
  EXPECT_TRUE(r.faults[0].open_ended);
  EXPECT_EQ(r.faults[1].at_s, 120.0);
  EXPECT_EQ(r.faults[1].target, "a*, b*");
  EXPECT_TRUE(r.faults[1].open_ended);
}

TEST(ReportResults, PrefixedMetricsOfAReplicationsOnlySweepAreMetrics) {
  // A sweep with replications only lists no keys; per-client metric names contain '.' but are metrics.
  const auto dir = report_test::fresh_dir("ReportResults.PrefixedMetrics");
  std::ofstream(dir / "runs.csv") << "point,replication,seed,ha.client_gap_s_max,streams_reports,fingerprint,events,wall_s\n"
                                  << "0,0,11,1,6600,00000000000000aa,100,0.1\n"
                                  << "0,1,12,2,6601,00000000000000bb,100,0.1\n";
  std::ofstream(dir / "manifest.json") << R"({"sweep": {"keys": [], "points": [[]], "replications": 2}})";
  const Results r = load_results(dir);
  EXPECT_TRUE(r.swept_keys.empty());
  EXPECT_EQ(r.metric_names, (std::vector<std::string>{"ha.client_gap_s_max", "streams_reports"}));
}

TEST(ReportResults, SweptValuesWithUnitsAreNumbersFromTheManifest) {
  // The sweep wrote each value as a number in its key's unit: "5gwei" is 5e9 wei, with no parsing here.
  const auto dir = report_test::fresh_dir("ReportResults.Units");
  std::ofstream(dir / "runs.csv") << "point,replication,seed,chain.base_fee,gas_per_update,fingerprint,events,wall_s\n"
                                  << "0,0,11,5gwei,1,00000000000000aa,100,0.1\n"
                                  << "1,0,11,50gwei,2,00000000000000bb,100,0.1\n";
  std::ofstream(dir / "manifest.json") << R"({"sweep": {"keys": ["chain.base_fee"], "points": [["5gwei"], ["50gwei"]],
    "units": ["wei"], "numbers": [[5e9], [5e10]], "replications": 1}})";
  const Results r = load_results(dir);
  ASSERT_EQ(r.swept_keys.size(), 1u);
  EXPECT_TRUE(r.numeric(0));
  EXPECT_EQ(r.number_of(0, "50gwei"), 5e10);
  EXPECT_EQ(r.key_label(0), "chain.base_fee [wei]");
  // Without the typed entry a value with a unit is text: the report never parses the scenario language.
  std::ofstream(dir / "manifest.json") << R"({"sweep": {"keys": ["chain.base_fee"], "points": [["5gwei"], ["50gwei"]],
    "replications": 1}})";
  EXPECT_FALSE(load_results(dir).numeric(0));
}

TEST(ReportResults, ColumnsInAUnitAreTheirKeysInThatUnit) {
  // Today's sweeps write chain.base_fee swept over 5gwei and 50gwei as the column chain.base_fee_gwei (5, 50).
  const auto dir = report_test::fresh_dir("ReportResults.ColumnUnits");
  std::ofstream(dir / "runs.csv") << "point,replication,seed,chain.base_fee_gwei,gas_per_update,fingerprint,events,wall_s\n"
                                  << "0,0,11,5,1,00000000000000aa,100,0.1\n"
                                  << "1,0,11,50,2,00000000000000bb,100,0.1\n";
  std::ofstream(dir / "manifest.json") << R"({"sweep": {"keys": ["chain.base_fee"], "points": [["5gwei"], ["50gwei"]],
    "units": ["wei"], "numbers": [[5e9], [5e10]], "column_units": ["gwei"], "columns": ["chain.base_fee_gwei"],
    "replications": 1}})";
  const Results r = load_results(dir);
  ASSERT_EQ(r.swept_keys, (std::vector<std::string>{"chain.base_fee"}));
  EXPECT_EQ(r.metric_names, (std::vector<std::string>{"gas_per_update"}));
  EXPECT_TRUE(r.numeric(0));
  EXPECT_EQ(r.number_of(0, "50"), 50.0);
  EXPECT_EQ(r.key_label(0), "chain.base_fee [gwei]");
  EXPECT_EQ(r.key_index("chain.base_fee"), 0u);
}

TEST(ReportResults, MissingRunsIsAClearError) {
  const auto dir = report_test::fresh_dir("ReportResults.Missing");
  try {
    load_results(dir);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no runs.csv"), std::string::npos) << e.what();
  }
}

TEST(ReportSpec, DefaultsAndScenarioBlockAndOverrides) {
  const auto dir = report_test::fresh_dir("ReportSpec.Defaults");
  report_test::write_synthetic_results(dir);
  Results r = load_results(dir);
  const ReportSpec d = resolve_spec(r, {});
  EXPECT_EQ(d.metrics, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(d.x_keys, (std::vector<std::size_t>{0}));
  EXPECT_EQ(d.cdf_metrics, (std::vector<std::size_t>{1}));
  ASSERT_TRUE(d.has_paired);
  EXPECT_EQ(d.paired_key, 1u);
  EXPECT_EQ(d.baseline, "flux");

  report_test::write_synthetic_results(dir, /*with_report_block=*/true);
  r = load_results(dir);
  const ReportSpec s = resolve_spec(r, {});
  EXPECT_EQ(s.metrics, (std::vector<std::size_t>{0}));
  EXPECT_EQ(s.baseline, "ocr");

  ReportBlock bad;
  bad.metrics = {"no_such_metric"};
  try {
    resolve_spec(r, bad);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("gas_per_update, latency_s"), std::string::npos) << e.what();
  }
  ReportBlock bad_x;
  bad_x.x = {"feeds[0].aggregation"};
  EXPECT_THROW(resolve_spec(r, bad_x), std::runtime_error);
}

// A replications-only sweep of two feeds: their per-feed metrics are compared feed by feed (instead of CDFs of a
// single point's runs); report.compare and report.log_scale are checked against runs.csv.
TEST(ReportSpec, ReplicationsOnlyComparesEntitiesSideBySide) {
  const auto dir = report_test::fresh_dir("ReportSpec.Compare");
  std::ofstream(dir / "runs.csv") << "point,replication,seed,a.gas_per_update,a.update_latency_s,b.gas_per_update,"
                                     "b.update_latency_s,chain_blocks,fingerprint,events,wall_s\n"
                                  << "0,0,11,100,2,150,3,10,0x00000000000000aa,100,0.1\n"
                                  << "0,1,12,110,2.5,160,3.5,10,0x00000000000000bb,100,0.1\n";
  std::ofstream(dir / "manifest.json") << R"({"sweep": {"keys": [], "points": [[]], "replications": 2}})";
  const Results r = load_results(dir);
  const ReportSpec spec = resolve_spec(r, {});
  ASSERT_EQ(spec.comparisons.size(), 2u);
  EXPECT_EQ(spec.comparisons[0].metric, "gas_per_update");
  EXPECT_EQ(spec.comparisons[0].entities, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(spec.comparisons[1].metric, "update_latency_s");
  EXPECT_TRUE(spec.cdf_metrics.empty()) << "one point's CDFs are replaced by the comparison";
  ReportBlock only;
  only.compare = {"update_latency_s"};
  only.log_scale = {"a.gas_per_update"};
  const ReportSpec asked = resolve_spec(r, only);
  ASSERT_EQ(asked.comparisons.size(), 1u);
  EXPECT_EQ(asked.log_metrics, (std::vector<std::size_t>{*r.metric_index("a.gas_per_update")}));
  only.compare = {"chain_blocks"};
  EXPECT_THROW(resolve_spec(r, only), std::runtime_error);
  only.compare = {};
  only.log_scale = {"gas_per_update"};  // a per-entity metric without its entity: every entity's column
  EXPECT_EQ(resolve_spec(r, only).log_metrics,
            (std::vector<std::size_t>{*r.metric_index("a.gas_per_update"), *r.metric_index("b.gas_per_update")}));
  only.log_scale = {"no_such_metric"};
  EXPECT_THROW(resolve_spec(r, only), std::runtime_error);
  // Draws: a figure per comparison, with the entities on the x axis and the unit from the reference.
  write_report(dir, {});
  std::ifstream in(dir / "report_plots.gp");
  const std::string script((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(script.find("set xtics ('a' 0, 'b' 1)"), std::string::npos) << script.substr(0, 2000);
  EXPECT_NE(script.find("set ylabel 'gas_per_update [gas]'"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir / "compare_gas_per_update.png"));
}

TEST(ReportModel, LinesAgainstSweptParameter) {
  const auto dir = report_test::fresh_dir("ReportModel.Lines");
  report_test::write_synthetic_results(dir);
  const Results r = load_results(dir);
  const ReportSpec spec = resolve_spec(r, {});
  const std::vector<Line> lines = lines_against(r, spec, 0, 0);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].label, "feeds[0].aggregation=flux");
  EXPECT_EQ(lines[0].x, (std::vector<double>{4, 7, 10, 13}));
  // ocr at n = 7: 200000 + 21000 + 1000 * mean(r) = 223000.
  EXPECT_DOUBLE_EQ(lines[1].at[1].mean, 223000.0);
  EXPECT_EQ(lines[1].run_x.size(), 20u);
}

// The saving flux - ocr at each n is 47000 n - 200000 + e_r with e = {0, 30, -20, 10, -20}: mean
// 47000 n - 200000, sd sqrt(1800 / 4) = 21.2132; with t_{0.975, 4} = 2.7764 (table) the CI half-width is
// 2.7764 * 21.2132 / sqrt(5) = 26.339.
TEST(ReportModel, PairedSavingPerN) {
  const auto dir = report_test::fresh_dir("ReportModel.Paired");
  report_test::write_synthetic_results(dir);
  const Results r = load_results(dir);
  const std::vector<PairedTable> tables = paired_tables(r, resolve_spec(r, {}));
  ASSERT_EQ(tables.size(), 2u);  // gas_per_update and latency_s
  const PairedTable& gas = tables[0];
  EXPECT_EQ(gas.metric, "gas_per_update");
  EXPECT_EQ(gas.group_keys, (std::vector<std::string>{"feeds[0].oracles"}));
  ASSERT_EQ(gas.rows.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    const double n = report_test::kOracles[i];
    const PairedRow& row = gas.rows[i];
    EXPECT_EQ(row.group, (std::vector<std::string>{std::to_string(report_test::kOracles[i])}));
    EXPECT_EQ(row.alternative, "ocr");
    EXPECT_EQ(row.saving.n, 5u);
    EXPECT_NEAR(row.saving.mean, 47000 * n - 200000, 1e-6);
    EXPECT_NEAR(row.saving.sd, 21.2132, 1e-4);
    EXPECT_NEAR(row.saving.ci95_high - row.saving.mean, 26.339, 2e-3);
    EXPECT_NEAR(row.ratio, (200000 + 3000 * n + 2000) / (50000 * n + 2000), 1e-12);
  }
  // latency_s at n = 4 pairs only the 4 replications where flux has a value.
  EXPECT_EQ(tables[1].rows[0].saving.n, 4u);
  EXPECT_NEAR(tables[1].rows[0].saving.mean, -0.2, 1e-12);
}

TEST(ReportModel, FitsAndCdfs) {
  const auto dir = report_test::fresh_dir("ReportModel.Fits");
  report_test::write_synthetic_results(dir);
  const Results r = load_results(dir);
  const ReportSpec spec = resolve_spec(r, {});
  const std::vector<FitRow> fits = line_fits(r, spec);
  ASSERT_EQ(fits.size(), 4u);  // 2 metrics x 2 lines
  // ocr gas = 200000 + 3000 n + 1000 r: slope 3000, intercept 202000 (mean of 1000 r).
  EXPECT_EQ(fits[1].label, "feeds[0].aggregation=ocr");
  EXPECT_NEAR(fits[1].fit.coefficients[1], 3000.0, 1e-6);
  EXPECT_NEAR(fits[1].fit.coefficients[0], 202000.0, 1e-6);
  const std::vector<Curve> curves = cdf_curves(r, spec, 1);
  ASSERT_EQ(curves.size(), 8u);  // one per point
  EXPECT_EQ(curves[0].sorted.size(), 4u);
  EXPECT_TRUE(std::is_sorted(curves[0].sorted.begin(), curves[0].sorted.end()));
  EXPECT_EQ(cdf_curves(r, spec, 1, 4).size(), 2u);  // too many points: one curve per aggregation mode
}

}  // namespace
