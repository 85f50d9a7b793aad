#include "analysis/report/results.hpp"

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

const char* const kScenarioKeys[] = {"scenario", "resolved_scenario"};
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

// A value of the resolved scenario by key path, whether the manifest keeps it flat ("report.x" as one key,
// as `oraclesim sweep` writes it) or nested ({"report": {"x": ...}}, feeds[0] as an array element).
const Json* lookup(const Json& scenario, const std::string& path) {
  if (!scenario.is_object()) return nullptr;
  if (scenario.contains(path)) return &scenario.at(path);
  const Json* node = &scenario;
  std::size_t i = 0;
  while (i < path.size()) {
    const std::size_t end = path.find_first_of(".[", i);
    const std::string name = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
    if (!name.empty()) {
      if (!node->is_object() || !node->contains(name)) return nullptr;
      node = &node->at(name);
    }
    if (end == std::string::npos) break;
    if (path[end] == '[') {
      const std::size_t close = path.find(']', end);
      if (close == std::string::npos) return nullptr;
      const std::size_t index = std::stoul(path.substr(end + 1, close - end - 1));
      if (!node->is_array() || index >= node->size()) return nullptr;
      node = &(*node)[index];
      i = close + 1;
      if (i < path.size() && path[i] == '.') ++i;
    } else {
      i = end + 1;
    }
  }
  return node;
}

std::vector<std::string> string_list(const Json& scenario, const std::string& key, const std::string& where) {
  std::vector<std::string> out;
  const Json* v = lookup(scenario, key);
  if (v == nullptr || v->is_null()) return out;
  if (v->is_string()) {
    if (!v->get<std::string>().empty()) out.push_back(v->get<std::string>());
  } else if (v->is_array() && std::all_of(v->begin(), v->end(), [](const Json& e) { return e.is_string(); })) {
    for (const Json& e : *v) out.push_back(e.get<std::string>());
  } else {
    throw std::runtime_error(where + ": " + key + " must be a string or a list of strings, got " + v->dump());
  }
  return out;
}

std::string text_value(const Json& scenario, const std::string& key) {
  const Json* v = lookup(scenario, key);
  if (v == nullptr || v->is_null()) return {};
  return v->is_string() ? v->get<std::string>() : v->dump();
}

ReportBlock parse_report_block(const Json& scenario, const std::string& where) {
  ReportBlock r;
  r.metrics = string_list(scenario, "report.metrics", where);
  r.x = string_list(scenario, "report.x", where);
  r.series = string_list(scenario, "report.series", where);
  r.cdf = string_list(scenario, "report.cdf", where);
  r.timeline = string_list(scenario, "report.timeline", where);
  r.paired = text_value(scenario, "report.paired");
  r.baseline = text_value(scenario, "report.baseline");
  return r;
}

double seconds_of(const Json* v) {
  if (v == nullptr || v->is_null()) return 0;
  if (v->is_number()) return v->get<double>();
  if (v->is_string()) return parse_duration_seconds(v->get<std::string>()).value_or(0);
  return 0;
}

// A fault target as a short label: "eth-usd/node-0", "a*, b*", "any 3 of eth-usd/node-*" ("" when none).
std::string target_text(const Json* target) {
  if (target == nullptr || target->is_null()) return {};
  auto globs = [](const Json& v) {
    if (v.is_string()) return v.get<std::string>();
    std::string out;
    if (v.is_array()) {
      for (const Json& e : v) out += (out.empty() ? "" : ", ") + (e.is_string() ? e.get<std::string>() : e.dump());
    }
    return out;
  };
  if (target->is_object()) {
    const std::string of = target->contains("of") ? globs(target->at("of")) : std::string();
    const Json* any = target->contains("any") ? &target->at("any") : nullptr;
    if (any != nullptr && any->is_number() && any->get<double>() > 0 && !of.empty()) {
      return "any " + any->dump() + " of " + of;
    }
    return of;
  }
  return globs(*target);
}

std::vector<FaultWindow> parse_faults(const Json& scenario) {
  std::vector<FaultWindow> out;
  for (std::size_t i = 0;; ++i) {
    const std::string base = "faults[" + std::to_string(i) + "]";
    const Json* at = lookup(scenario, base + ".at");
    if (at == nullptr) break;
    FaultWindow f;
    f.at_s = seconds_of(at);
    const Json* duration = lookup(scenario, base + ".duration");
    f.open_ended = duration == nullptr || duration->is_null();
    f.duration_s = seconds_of(duration);
    f.kind = text_value(scenario, base + ".kind");
    f.target = target_text(lookup(scenario, base + ".target"));
    out.push_back(std::move(f));
  }
  return out;
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
  results.scenario_name = text_value(*scenario, "name");
  results.scenario_description = text_value(*scenario, "description");
  results.report_block = parse_report_block(*scenario, file.string());
  results.faults = parse_faults(*scenario);
  if (results.sweep_key_hint.empty()) {
    const Json* grid = lookup(*scenario, "sweep.grid");
    if (grid != nullptr && grid->is_object()) {
      for (const auto& [key, value] : grid->items()) results.sweep_key_hint.push_back(key);
    }
  }
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

std::optional<double> parse_duration_seconds(const std::string& text) {
  static const std::pair<const char*, double> kUnits[] = {{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"min", 60.0}, {"m", 60.0},
                                                          {"s", 1.0},   {"h", 3600.0}, {"d", 86400.0}};
  std::size_t digits = 0;
  while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.' ||
                                  text[digits] == '-' || text[digits] == '+' || text[digits] == 'e')) {
    ++digits;
  }
  const auto number = parse_number(text.substr(0, digits));
  if (digits == 0 || !number || std::isnan(*number)) return std::nullopt;
  const std::string unit = text.substr(digits);
  if (unit.empty()) return *number;
  for (const auto& [name, scale] : kUnits) {
    if (unit == name) return *number * scale;
  }
  return std::nullopt;
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
  find_timeseries(results);
  return results;
}

}  // namespace analysis::report
