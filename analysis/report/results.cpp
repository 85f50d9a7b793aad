#include "analysis/report/results.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "analysis/report/csv_table.hpp"

namespace analysis::report {

namespace {

using Json = nlohmann::ordered_json;

const char* const kScenarioKeys[] = {"scenario", "resolved_scenario"};
const std::set<std::string> kFixedRunColumns{"point", "replication", "seed", "fingerprint", "events", "wall_s"};

std::string display(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array() && std::all_of(value.begin(), value.end(), [](const Json& v) { return v.is_primitive(); })) {
    std::string out;
    for (const Json& v : value) {
      if (!out.empty()) out += ' ';
      out += v.is_string() ? v.get<std::string>() : v.dump();
    }
    return out;
  }
  return value.dump();
}

std::vector<std::string> string_list(const Json& block, const char* key, const std::string& where) {
  std::vector<std::string> out;
  if (!block.contains(key)) return out;
  const Json& v = block.at(key);
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
  } else if (v.is_array() && std::all_of(v.begin(), v.end(), [](const Json& e) { return e.is_string(); })) {
    for (const Json& e : v) out.push_back(e.get<std::string>());
  } else {
    throw std::runtime_error(where + ": report." + key + " must be a string or a list of strings, got " + v.dump());
  }
  return out;
}

ReportBlock parse_report_block(const Json& block, const std::string& where) {
  ReportBlock r;
  if (!block.is_object()) throw std::runtime_error(where + ": the scenario's report block must be a mapping");
  r.metrics = string_list(block, "metrics", where);
  r.x = string_list(block, "x", where);
  r.series = string_list(block, "series", where);
  r.cdf = string_list(block, "cdf", where);
  if (block.contains("paired")) r.paired = display(block.at("paired"));
  if (block.contains("baseline")) r.baseline = display(block.at("baseline"));
  return r;
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
    results.provenance.emplace_back(key, display(value));
  }
  if (scenario == nullptr) return;
  if (scenario->is_string()) {
    results.scenario_text = scenario->get<std::string>();
    return;
  }
  results.scenario_text = scenario->dump(2);
  if (!scenario->is_object()) return;
  if (scenario->contains("name")) results.scenario_name = display(scenario->at("name"));
  if (scenario->contains("description")) results.scenario_description = display(scenario->at("description"));
  if (scenario->contains("report")) results.report_block = parse_report_block(scenario->at("report"), file.string());
  if (scenario->contains("sweep") && scenario->at("sweep").is_object() && scenario->at("sweep").contains("grid") &&
      scenario->at("sweep").at("grid").is_object()) {
    for (const auto& [key, value] : scenario->at("sweep").at("grid").items()) results.sweep_key_hint.push_back(key);
  }
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
    const bool key_path = name.find_first_of(".[") != std::string::npos;
    if (hinted || (results.sweep_key_hint.empty() && key_path)) {
      swept_cols.push_back(c);
      results.swept_keys.push_back(name);
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

bool Results::numeric(std::size_t key) const {
  return !runs.empty() && std::all_of(runs.begin(), runs.end(), [&](const Run& run) {
    const auto v = parse_number(run.swept[key]);
    return v && !std::isnan(*v);
  });
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

Results load_results(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) {
    throw std::runtime_error("report: expected a results directory (with runs.csv), got " + dir.string());
  }
  if (!std::filesystem::exists(dir / "runs.csv")) {
    throw std::runtime_error("report: " + dir.string() + " has no runs.csv; run `oraclesim sweep` into it first");
  }
  Results results;
  results.dir = dir;
  load_manifest(results);
  load_runs(results);
  load_summary(results);
  return results;
}

}  // namespace analysis::report
