#pragma once
// A sweep's results directory loaded for reporting: manifest.json (provenance and the resolved scenario),
// runs.csv (one row per run) and summary.csv (one row per point and metric, optional), plus what to show
// (the scenario's `report:` block, command-line overrides, and defaults).
//
// runs.csv columns: point, replication, seed, one column per swept key path (e.g. feeds[0].oracles), one
// per metric, then fingerprint, events, wall_s. Swept columns are the manifest's sweep keys when it lists
// them, else the columns between seed and the metrics whose names are key paths (contain '.' or '[').
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace analysis::report {

// A problem with what the user asked for (a results directory that is not one, an option naming a metric or key
// the results do not have): `oraclesim report` exits 2 on it, as on any usage error.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Run {
  long point = 0;
  long replication = 0;
  std::vector<std::string> swept;  // one per Results::swept_keys, as written in runs.csv
  std::vector<double> metrics;     // one per Results::metric_names; NaN where missing
};

struct SummaryRow {
  long point = 0;
  std::string metric;
  std::size_t n = 0;
  double mean = 0, sd = 0, ci95_low = 0, ci95_high = 0, min = 0, max = 0;
};

// The scenario's `report:` block as far as it is given (all optional).
struct ReportBlock {
  std::vector<std::string> metrics;      // metrics to show (default: all)
  std::vector<std::string> x;            // swept keys for the x axis (default: every numeric swept key)
  std::vector<std::string> series;       // swept keys whose values give one line each (default: the rest)
  std::vector<std::string> cdf;          // metrics drawn as CDFs across runs (default: latency/staleness)
  std::string paired;                    // swept key compared pairwise (default: the first 2-valued key)
  std::string baseline;                  // its baseline value (default: its first value in sweep order)
  std::vector<std::string> timeline;     // series of the single-run timeline (default: *price*, *answer*)
  std::vector<std::string> log_scale;    // metrics drawn on a log axis
  std::vector<std::string> compare;      // per-entity metrics compared entity by entity (default: all, one point)
};

// A fault of the resolved scenario (keys faults[i].at, .duration, .kind, .target), for the timeline.
struct FaultWindow {
  double at_s = 0;
  double duration_s = 0;  // 0 for an instantaneous fault
  bool open_ended = false;  // no duration given: the fault lasts until the end of the run
  std::string kind;
  std::string target;
};

// One per-run series file, timeseries/p<point>_r<replication>.csv (long format: series,t_s,value).
struct SeriesFile {
  long point = 0;
  long replication = 0;
  std::filesystem::path file;
};

struct Results {
  std::filesystem::path dir;
  // manifest.json (empty when absent): top-level entries other than the scenario as (key, display text),
  // and the resolved scenario as indented JSON text.
  std::vector<std::pair<std::string, std::string>> provenance;
  std::string scenario_text;
  std::string scenario_name;
  std::string scenario_description;
  ReportBlock report_block;   // the manifest's "report" entry (the scenario's `report:` block)
  std::vector<std::string> sweep_key_hint;  // the manifest's sweep keys, when it lists them
  bool sweep_keys_listed = false;           // the manifest lists its sweep keys (possibly none: replications only)
  std::vector<FaultWindow> faults;          // the manifest's "fault_windows", in order
  // The manifest's typed sweep entries: per swept key, its unit and each value as written -> its number.
  // Results written with column units (manifest "columns"): the runs.csv column of each key ("chain.base_fee_gwei"
  // -> "chain.base_fee"); its cells are numbers in that unit, which sweep_units then holds.
  std::map<std::string, std::string> sweep_units;
  std::map<std::string, std::map<std::string, double>> sweep_numbers;
  std::map<std::string, std::string> key_of_column;
  std::map<std::string, std::map<std::string, std::string>> cell_of_written;  // per key: "20gwei" -> "20"
  std::vector<SeriesFile> timeseries;       // sorted by (point, replication)

  std::vector<std::string> swept_keys;
  std::vector<std::string> metric_names;
  std::vector<Run> runs;
  std::vector<SummaryRow> summary;  // empty when summary.csv is absent

  // The distinct values of a swept key in sweep order (order of first appearance by point).
  std::vector<std::string> values_of(std::size_t key) const;
  // Whether every value of the swept key is a number.
  bool numeric(std::size_t key) const;
  // Swept key `key`'s value `text` as a number (the manifest's typed value, or a plain number); nullopt otherwise.
  std::optional<double> number_of(std::size_t key, const std::string& text) const;
  // "chain.base_fee (wei)": the key with its unit, for axis labels.
  std::string key_label(std::size_t key) const;
  std::optional<std::size_t> key_index(const std::string& key) const;
  std::optional<std::size_t> metric_index(const std::string& metric) const;
};

// A series file as name -> (t_s, value) samples, names in first-appearance order.
struct NamedSeries {
  std::string name;
  std::vector<double> t_s, value;
};
std::vector<NamedSeries> load_series_file(const std::filesystem::path& file);


// Loads RESULTS_DIR. runs.csv is required; manifest.json and summary.csv are optional.
// Throws std::runtime_error naming the file and what was expected on malformed input.
Results load_results(const std::filesystem::path& dir);

}  // namespace analysis::report
