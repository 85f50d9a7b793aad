#include "analysis/report/results.hpp"

#include "analysis/results/results_dir.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "analysis/report/csv_table.hpp"

namespace analysis::report {

namespace {

using Json = nlohmann::ordered_json;

const char* const kScenarioKeys[] = {"scenario", "resolved_scenario"};  // the resolved scenario, shown as text
const std::set<std::string> kFixedRunColumns{"point", "replication", "seed", "fingerprint", "events", "wall_s"};

std::string display(const Json& value) {
  constexpr std::size_t kMaxItems = 12;
  constexpr std::size_t kMaxChars = 300;
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array() && std::all_of(value.begin(), value.end(), [](const Json& v) { return v.is_primitive(); })) {
    std::string out;
    std::size_t i = 0;
    for (const Json& v : value) {
      if (i++ == kMaxItems) {
        out += " ... (" + std::to_string(value.size()) + " values)";
        break;
      }
      if (!out.empty()) out += ' ';
      out += v.is_string() ? v.get<std::string>() : v.dump();
    }
    return out;
  }
  std::string text = value.dump();
  if (text.size() > kMaxChars) text = text.substr(0, kMaxChars) + " ...";
  return text;
}

// A list of strings of a typed manifest entry (a missing or null entry is empty).
std::vector<std::string> string_list(const Json& entry, const std::string& key, const std::string& where) {
  std::vector<std::string> out;
  if (!entry.is_object() || !entry.contains(key) || entry.at(key).is_null()) return out;
  const Json& v = entry.at(key);
  if (v.is_array() && std::all_of(v.begin(), v.end(), [](const Json& e) { return e.is_string(); })) {
    for (const Json& e : v) out.push_back(e.get<std::string>());
    return out;
  }
  throw std::runtime_error(where + ": " + key + " must be a list of strings, got " + v.dump());
}

std::string string_of(const Json& entry, const std::string& key) {
  if (!entry.is_object() || !entry.contains(key) || !entry.at(key).is_string()) return {};
  return entry.at(key).get<std::string>();
}

// The manifest's "report" entry: the scenario's report block, as the sweep resolved it.
ReportBlock read_report_block(const Json& report, const std::string& where) {
  ReportBlock r;
  r.metrics = string_list(report, "metrics", where);
  r.x = string_list(report, "x", where);
  r.series = string_list(report, "series", where);
  r.cdf = string_list(report, "cdf", where);
  r.timeline = string_list(report, "timeline", where);
  r.paired = string_of(report, "paired");
  r.baseline = string_of(report, "baseline");
  r.log_scale = string_list(report, "log_scale", where);
  r.compare = string_list(report, "compare", where);
  return r;
}

// The manifest's "fault_windows" entry: seconds, as the sweep wrote them.
std::vector<FaultWindow> read_fault_windows(const Json& windows, const std::string& where) {
  std::vector<FaultWindow> out;
  if (!windows.is_array()) return out;
  for (const Json& w : windows) {
    if (!w.is_object() || !w.contains("at_s") || !w.at("at_s").is_number())
      throw std::runtime_error(where + ": fault_windows: each entry needs a number at_s, got " + w.dump());
    FaultWindow f;
    f.at_s = w.at("at_s").get<double>();
    const bool has_duration = w.contains("duration_s") && w.at("duration_s").is_number();
    f.open_ended = !has_duration;
    f.duration_s = has_duration ? w.at("duration_s").get<double>() : 0.0;
    f.kind = string_of(w, "kind");
    f.target = string_of(w, "target");
    out.push_back(std::move(f));
  }
  return out;
}

// The manifest's sweep numbers: per key, each value as written -> its number in the key's unit.
void read_sweep_numbers(const Json& sweep, Results& results) {
  if (!sweep.contains("keys") || !sweep.contains("points") || !sweep.contains("numbers")) return;
  const Json& keys = sweep.at("keys");
  const Json& points = sweep.at("points");
  const Json& numbers = sweep.at("numbers");
  if (!keys.is_array() || !points.is_array() || !numbers.is_array() || points.size() != numbers.size()) return;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (!keys[k].is_string()) continue;
    const std::string key = keys[k].get<std::string>();
    if (sweep.contains("units") && sweep.at("units").is_array() && k < sweep.at("units").size() &&
        sweep.at("units")[k].is_string())
      results.sweep_units[key] = sweep.at("units")[k].get<std::string>();
    for (std::size_t p = 0; p < points.size(); ++p) {
      if (!points[p].is_array() || !numbers[p].is_array() || k >= points[p].size() || k >= numbers[p].size()) continue;
      if (points[p][k].is_string() && numbers[p][k].is_number())
        results.sweep_numbers[key][points[p][k].get<std::string>()] = numbers[p][k].get<double>();
    }
  }
}

// The manifest's sweep columns (results written with column units): runs.csv names key k's column columns[k]
// and writes its values as numbers in column_units[k].
void read_sweep_columns(const Json& sweep, Results& results) {
  if (!sweep.contains("columns") || !sweep.contains("keys") || !sweep.contains("column_units")) return;
  const Json& columns = sweep.at("columns");
  const Json& keys = sweep.at("keys");
  const Json& units = sweep.at("column_units");
  if (!columns.is_array() || !keys.is_array() || !units.is_array() || columns.size() != keys.size()) return;
  results.sweep_key_hint.clear();
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (!columns[k].is_string() || !keys[k].is_string()) continue;
    const std::string column = columns[k].get<std::string>(), key = keys[k].get<std::string>();
    results.sweep_key_hint.push_back(column);
    results.key_of_column[column] = key;
    if (column != key && k < units.size() && units[k].is_string()) {
      const std::string unit = units[k].get<std::string>();
      results.sweep_units[key] = unit;
      results.sweep_numbers.erase(key);  // the cells are numbers in the column unit, not the values as written
      // A value as the scenario writes it ("20gwei", for report.baseline) -> its cell ("20").
      if (sweep.contains("points") && sweep.contains("numbers") && sweep.at("points").is_array() &&
          sweep.at("numbers").is_array() && sweep.at("points").size() == sweep.at("numbers").size())
        for (std::size_t p = 0; p < sweep.at("points").size(); ++p) {
          const Json& written = sweep.at("points")[p];
          const Json& number = sweep.at("numbers")[p];
          if (written.is_array() && number.is_array() && k < written.size() && k < number.size() &&
              written[k].is_string() && number[k].is_number())
            results.cell_of_written[key][written[k].get<std::string>()] =
                analysis::results::sweep_value_in_unit(number[k].get<double>(), unit);
        }
    }
  }
}

// The resolved scenario as "key.path = value" lines (nested maps flattened into key paths).
void list_scenario(const Json& node, const std::string& path, std::string& out) {
  if (node.is_object() && !node.empty()) {
    for (const auto& [key, value] : node.items()) list_scenario(value, path.empty() ? key : path + "." + key, out);
    return;
  }
  out += path + " = " + node.dump() + "\n";
}

std::string scenario_listing(const Json& scenario) {
  if (!scenario.is_object()) return scenario.dump(2);
  std::string out;
  list_scenario(scenario, "", out);
  return out;
}

void load_manifest(Results& results) {
  const std::filesystem::path file = results.dir / "manifest.json";
  if (!std::filesystem::exists(file)) return;
  std::ifstream in(file);
  Json manifest;
  try {
    manifest = Json::parse(in);
  } catch (const Json::parse_error& e) {
    throw std::runtime_error(file.string() + ": not valid JSON: " + e.what());
  }
  if (!manifest.is_object()) throw std::runtime_error(file.string() + ": expected a JSON object at the top level");
  const Json* scenario = nullptr;
  for (const char* key : kScenarioKeys) {
    if (manifest.contains(key)) scenario = &manifest.at(key);
  }
  for (const auto& [key, value] : manifest.items()) {
    if (scenario != nullptr && &value == scenario) continue;
    if (key == "sweep" && value.is_object()) {
      std::string text;
      if (value.contains("keys")) text += "keys: " + display(value.at("keys"));
      if (value.contains("points") && value.at("points").is_array()) {
        text += (text.empty() ? "" : "; ") + std::to_string(value.at("points").size()) + " points";
      }
      if (value.contains("replications")) text += (text.empty() ? "" : "; ") + display(value.at("replications")) +
                                                  " replications";
      results.provenance.emplace_back(key, text.empty() ? display(value) : text);
      if (value.contains("keys") && value.at("keys").is_array()) {
        results.sweep_keys_listed = true;
        for (const Json& k : value.at("keys")) {
          if (k.is_string()) results.sweep_key_hint.push_back(k.get<std::string>());
        }
      }
      read_sweep_numbers(value, results);
      read_sweep_columns(value, results);
      continue;
    }
    if (key == "report") {
      results.report_block = read_report_block(value, file.string());
      continue;
    }
    if (key == "fault_windows") {
      results.faults = read_fault_windows(value, file.string());
      continue;
    }
    results.provenance.emplace_back(key, display(value));
  }
  if (scenario == nullptr) return;
  if (scenario->is_string()) {
    results.scenario_text = scenario->get<std::string>();
    return;
  }
  results.scenario_text = scenario_listing(*scenario);
  if (!scenario->is_object()) return;
  results.scenario_name = string_of(*scenario, "name");
  results.scenario_description = string_of(*scenario, "description");
}

void find_timeseries(Results& results) {
  const std::filesystem::path dir = results.dir / "timeseries";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    // p<point>_r<replication>.csv
    const std::size_t sep = name.find("_r");
    if (name.size() < 8 || name.front() != 'p' || sep == std::string::npos || name.substr(name.size() - 4) != ".csv") {
      continue;
    }
    const auto point = parse_number(name.substr(1, sep - 1));
    const auto replication = parse_number(name.substr(sep + 2, name.size() - 4 - sep - 2));
    if (!point || !replication || std::isnan(*point) || std::isnan(*replication)) continue;
    results.timeseries.push_back({static_cast<long>(*point), static_cast<long>(*replication), entry.path()});
  }
  std::sort(results.timeseries.begin(), results.timeseries.end(), [](const SeriesFile& a, const SeriesFile& b) {
    return a.point != b.point ? a.point < b.point : a.replication < b.replication;
  });
}

long parse_integer(const CsvTable& table, std::size_t row, std::size_t col) {
  const std::string& cell = table.rows()[row][col];
  const auto v = parse_number(cell);
  if (!v || *v != static_cast<double>(static_cast<long>(*v))) {
    throw std::runtime_error(table.source() + ": data row " + std::to_string(row + 1) + ", column '" +
                             table.header()[col] + "': expected an integer, got '" + cell + "'");
  }
  return static_cast<long>(*v);
}

void load_runs(Results& results) {
  const CsvTable table = CsvTable::read(results.dir / "runs.csv");
  const std::size_t point_col = table.require_column("point");
  const std::size_t replication_col = table.require_column("replication");
  std::vector<std::size_t> swept_cols, metric_cols;
  for (std::size_t c = 0; c < table.header().size(); ++c) {
    const std::string& name = table.header()[c];
    if (kFixedRunColumns.count(name) != 0) continue;
    const bool hinted = std::find(results.sweep_key_hint.begin(), results.sweep_key_hint.end(), name) !=
                        results.sweep_key_hint.end();
    // Without a manifest that lists the sweep keys, a column named like a key path is taken for one (metrics
    // may contain '.' too: per-feed or per-client prefixes, so the manifest's list wins whenever it exists).
    const bool key_path = name.find_first_of(".[") != std::string::npos;
    if (hinted || (!results.sweep_keys_listed && results.sweep_key_hint.empty() && key_path)) {
      swept_cols.push_back(c);
      const auto key = results.key_of_column.find(name);
      results.swept_keys.push_back(key == results.key_of_column.end() ? name : key->second);
    } else {
      metric_cols.push_back(c);
      results.metric_names.push_back(name);
    }
  }
  for (std::size_t r = 0; r < table.rows().size(); ++r) {
    const auto& row = table.rows()[r];
    Run run;
    run.point = parse_integer(table, r, point_col);
    run.replication = parse_integer(table, r, replication_col);
    for (std::size_t c : swept_cols) run.swept.push_back(row[c]);
    for (std::size_t c : metric_cols) {
      const auto v = parse_number(row[c]);
      if (!v) {
        throw std::runtime_error(table.source() + ": data row " + std::to_string(r + 1) + ", metric column '" +
                                 table.header()[c] + "': expected a number, got '" + row[c] + "'");
      }
      run.metrics.push_back(*v);
    }
    results.runs.push_back(std::move(run));
  }
  std::stable_sort(results.runs.begin(), results.runs.end(), [](const Run& a, const Run& b) {
    return a.point != b.point ? a.point < b.point : a.replication < b.replication;
  });
}

void load_summary(Results& results) {
  const std::filesystem::path file = results.dir / "summary.csv";
  if (!std::filesystem::exists(file)) return;
  const CsvTable table = CsvTable::read(file);
  const std::size_t point = table.require_column("point");
  const std::size_t metric = table.require_column("metric");
  const char* const fields[] = {"n", "mean", "sd", "ci95_low", "ci95_high", "min", "max"};
  std::size_t cols[7];
  for (int i = 0; i < 7; ++i) cols[i] = table.require_column(fields[i]);
  for (std::size_t r = 0; r < table.rows().size(); ++r) {
    const auto& row = table.rows()[r];
    SummaryRow s;
    s.point = parse_integer(table, r, point);
    s.metric = row[metric];
    double v[7];
    for (int i = 0; i < 7; ++i) {
      const auto parsed = parse_number(row[cols[i]]);
      if (!parsed) {
        throw std::runtime_error(table.source() + ": data row " + std::to_string(r + 1) + ", column '" + fields[i] +
                                 "': expected a number, got '" + row[cols[i]] + "'");
      }
      v[i] = *parsed;
    }
    s.n = static_cast<std::size_t>(v[0]);
    s.mean = v[1];
    s.sd = v[2];
    s.ci95_low = v[3];
    s.ci95_high = v[4];
    s.min = v[5];
    s.max = v[6];
    results.summary.push_back(std::move(s));
  }
}

}  // namespace

std::vector<std::string> Results::values_of(std::size_t key) const {
  std::vector<std::string> out;
  for (const Run& run : runs) {
    if (std::find(out.begin(), out.end(), run.swept[key]) == out.end()) out.push_back(run.swept[key]);
  }
  return out;
}

std::optional<double> Results::number_of(std::size_t key, const std::string& text) const {
  if (auto it = sweep_numbers.find(swept_keys[key]); it != sweep_numbers.end()) {
    if (auto v = it->second.find(text); v != it->second.end()) return v->second;
  }
  const auto v = parse_number(text);  // a plain number written without a unit
  if (v && !std::isnan(*v)) return v;
  return std::nullopt;
}

bool Results::numeric(std::size_t key) const {
  return !runs.empty() &&
         std::all_of(runs.begin(), runs.end(), [&](const Run& run) { return number_of(key, run.swept[key]).has_value(); });
}

std::string Results::key_label(std::size_t key) const {
  auto it = sweep_units.find(swept_keys[key]);
  return it == sweep_units.end() || it->second.empty() ? swept_keys[key] : swept_keys[key] + " [" + it->second + "]";
}

std::optional<std::size_t> Results::key_index(const std::string& key) const {
  const auto it = std::find(swept_keys.begin(), swept_keys.end(), key);
  if (it == swept_keys.end()) return std::nullopt;
  return static_cast<std::size_t>(it - swept_keys.begin());
}

std::optional<std::size_t> Results::metric_index(const std::string& metric) const {
  const auto it = std::find(metric_names.begin(), metric_names.end(), metric);
  if (it == metric_names.end()) return std::nullopt;
  return static_cast<std::size_t>(it - metric_names.begin());
}

std::vector<NamedSeries> load_series_file(const std::filesystem::path& file) {
  const CsvTable table = CsvTable::read(file);
  const std::size_t series = table.require_column("series");
  const std::size_t t = table.require_column("t_s");
  const std::size_t value = table.require_column("value");
  std::vector<NamedSeries> out;
  for (std::size_t r = 0; r < table.rows().size(); ++r) {
    const auto& row = table.rows()[r];
    const auto tv = parse_number(row[t]);
    const auto vv = parse_number(row[value]);
    if (!tv || !vv) {
      throw std::runtime_error(table.source() + ": data row " + std::to_string(r + 1) +
                               ": expected numbers in t_s and value");
    }
    auto it = std::find_if(out.begin(), out.end(), [&](const NamedSeries& s) { return s.name == row[series]; });
    if (it == out.end()) {
      out.push_back({row[series], {}, {}});
      it = std::prev(out.end());
    }
    it->t_s.push_back(*tv);
    it->value.push_back(*vv);
  }
  return out;
}

Results load_results(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) {
    throw UsageError("report: expected a results directory (with runs.csv), got " + dir.string());
  }
  if (!std::filesystem::exists(dir / "runs.csv")) {
    throw UsageError("report: " + dir.string() + " has no runs.csv; run `oraclesim sweep` into it first");
  }
  Results results;
  results.dir = dir;
  load_manifest(results);
  load_runs(results);
  load_summary(results);
  find_timeseries(results);
  return results;
}

}  // namespace analysis::report
