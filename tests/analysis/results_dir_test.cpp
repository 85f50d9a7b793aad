// runs.csv and summary.csv as docs/analysis.md describes them: a run without a value for a metric has an empty
// cell (never "nan"), and summary.csv's n counts the replications that had a value.
#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "analysis/results/results_dir.hpp"

namespace res = analysis::results;

// Swept values in a column's unit: short where the value is, every digit where it needs them.
TEST(ResultsFiles, SweptValuesInColumnUnits) {
  using analysis::results::sweep_value_in_unit;
  EXPECT_EQ(sweep_value_in_unit(2e10, "gwei"), "20");
  EXPECT_EQ(sweep_value_in_unit(1000000000001.0, "gwei"), "1000.000000001");
  EXPECT_EQ(sweep_value_in_unit(0.07, "pct"), "7");
  EXPECT_EQ(sweep_value_in_unit(0.005, "pct"), "0.5");
  EXPECT_EQ(sweep_value_in_unit(1800, "s"), "1800");
  EXPECT_EQ(sweep_value_in_unit(0.25, "s"), "0.25");
  EXPECT_EQ(sweep_value_in_unit(1.5e18, "eth"), "1.5");
  EXPECT_EQ(sweep_value_in_unit(1e17, "link"), "0.1");
}

TEST(ResultsFiles, MissingValuesAreEmptyCellsAndNCountsRunsWithAValue) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  res::SweepShape shape;
  shape.swept_keys = {"demo.lps"};
  shape.point_values = {{"4"}};
  shape.units = {""};
  shape.point_numbers = {{4.0}};
  std::vector<res::RunRecord> runs;
  runs.push_back({0, 0, 1, {{"latency_s", 2.0}, {"gap_s", nan}}, 0xa, 10, 0.1});
  runs.push_back({0, 1, 2, {{"latency_s", 4.0}, {"gap_s", 3.0}}, 0xb, 10, 0.1});
  runs.push_back({0, 2, 3, {{"latency_s", nan}, {"gap_s", nan}}, 0xc, 10, 0.1});

  const std::string csv = res::runs_csv(runs, shape);
  EXPECT_EQ(csv.find("nan"), std::string::npos) << csv;
  // Columns: point,replication,seed,demo.lps,gap_s,latency_s,fingerprint,events,wall_s
  EXPECT_NE(csv.find("\n0,0,1,4,,2,0x000000000000000a,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n0,2,3,4,,,0x000000000000000c,"), std::string::npos) << csv;

  const std::string summary = res::summary_csv(runs, shape);
  EXPECT_EQ(summary.find("nan"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\n0,4,gap_s,1,3,"), std::string::npos) << summary;      // one replication had a value
  EXPECT_NE(summary.find("\n0,4,latency_s,2,3,"), std::string::npos) << summary;  // mean of 2 and 4
}
