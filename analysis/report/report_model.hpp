#pragma once
// What a report shows, computed from loaded results and independent of how it is drawn: the resolved
// choice of metrics and parameters, per-point summaries, lines of a metric against a swept parameter,
// CDFs across runs, paired comparisons under common random numbers, and least-squares fits.
#include <cstddef>
#include <string>
#include <vector>

#include "analysis/fit.hpp"
#include "analysis/report/results.hpp"
#include "analysis/statistics.hpp"

namespace analysis::report {

// The report block resolved against the results: indices into Results::metric_names / swept_keys.
struct ReportSpec {
  std::vector<std::size_t> metrics;
  std::vector<std::size_t> x_keys;      // numeric swept keys with at least two values
  std::vector<std::size_t> series_order;  // swept keys in the order they name a line (requested first)
  std::vector<std::size_t> cdf_metrics;
  bool has_paired = false;
  std::size_t paired_key = 0;
  std::string baseline;
  std::vector<std::string> timeline;  // series for the single-run timeline (empty: *price* and *answer*)
  std::vector<std::size_t> log_metrics;  // metrics drawn on a log axis
  // Per-entity metrics drawn entity by entity: the name without the entity, and its columns (metric indices).
  struct Comparison {
    std::string metric;
    std::vector<std::string> entities;
    std::vector<std::size_t> columns;
  };
  std::vector<Comparison> comparisons;
};

// The per-entity metrics of the results: "gas_per_update" -> its columns "eth-usd.gas_per_update",
// "btc-usd.gas_per_update" (metric indices, in column order), for names with two entities or more.
std::vector<ReportSpec::Comparison> entity_metrics(const Results& results);

// Non-empty fields of `overrides` replace the scenario's report block; unknown metric or key names throw
// std::runtime_error listing the valid ones. Defaults: all metrics; every numeric swept key with >= 2 values
// as x; lines named by the other swept keys; CDFs of metrics whose name contains "latency" or "staleness";
// paired: the first swept key with exactly two values, baseline its first value in sweep order.
ReportSpec resolve_spec(const Results& results, const ReportBlock& overrides);

// The per-point summary of one metric (from summary.csv when it has the row, else computed from runs.csv
// without the missing values).
struct PointSummary {
  long point = 0;
  std::vector<std::string> swept;
  Summary summary;
};
std::vector<PointSummary> point_summaries(const Results& results, std::size_t metric);

// One line of a metric against swept key x: the runs whose other swept keys have the values in `label`.
struct Line {
  std::string label;                 // "feeds[0].aggregation=ocr", or "" when x is the only swept key
  std::vector<double> x;             // distinct x values, ascending
  std::vector<Summary> at;           // the metric's summary across replications at each x
  std::vector<double> run_x, run_y;  // every run's (x, value), missing values dropped
};
std::vector<Line> lines_against(const Results& results, const ReportSpec& spec, std::size_t metric,
                                std::size_t x_key);

// The empirical distribution of a metric across runs: one curve per sweep point when there are at most
// `max_curves` points, else one per value of the lines' labels (pooling x).
struct Curve {
  std::string label;
  std::vector<double> sorted;
};
std::vector<Curve> cdf_curves(const Results& results, const ReportSpec& spec, std::size_t metric,
                              std::size_t max_curves = 12);

// Paired comparison of `alternative` against the baseline value of the paired key, at each combination of
// the other swept keys (`group`), pairing runs by replication (common random numbers).
struct PairedRow {
  std::vector<std::string> group;     // values of PairedTable::group_keys
  std::string alternative;
  double baseline_mean = 0, alternative_mean = 0;
  Summary saving;                     // baseline - alternative, per replication
  double ratio = 0, ratio_ci95_low = 0, ratio_ci95_high = 0;  // mean(alternative) / mean(baseline), delta method
};
struct PairedTable {
  std::string metric;
  std::string key;
  std::string baseline;
  std::vector<std::string> group_keys;
  std::vector<PairedRow> rows;
};
std::vector<PairedTable> paired_tables(const Results& results, const ReportSpec& spec);

// A straight-line fit of a metric against x over all runs of one line (needs three distinct x values).
struct FitRow {
  std::string metric, x_key, label;
  LinearFit fit;
};
std::vector<FitRow> line_fits(const Results& results, const ReportSpec& spec);

// "key=value, key=value" for the given keys of a run's swept values.
std::string label_of(const Results& results, const std::vector<std::size_t>& keys,
                     const std::vector<std::string>& swept);

}  // namespace analysis::report
