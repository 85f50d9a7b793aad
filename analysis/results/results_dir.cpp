#include "analysis/results/results_dir.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "analysis/statistics.hpp"

namespace analysis::results {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

void write_all(int fd, const std::string& s, const fs::path& path) {
  std::size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
    }
    done += static_cast<std::size_t>(n);
  }
}

void fsync_dir(const fs::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string r = "\"";
  for (char c : s) r += c == '"' ? std::string("\"\"") : std::string(1, c);
  return r + "\"";
}

// A CSV cell: empty when there is no value (NaN), as docs/analysis.md says.
std::string num(double x) {
  if (std::isnan(x)) return "";
  return fmt::format("{}", x);
}

// Whether swept key `k` is written in its column unit: it has one, and every point's value is a number.
bool in_column_unit(const SweepShape& shape, std::size_t k) {
  if (k >= shape.column_units.size() || shape.column_units[k].empty()) return false;
  for (const auto& row : shape.point_numbers)
    if (k >= row.size() || !row[k]) return false;
  return !shape.point_numbers.empty();
}

}  // namespace

// A base-unit number (s, wei, juels, fraction) in a column unit, without the conversion's float noise (7%: 7, not
// 7.000000000000001) yet exact where the value needs every digit (1000000000001wei: 1000.000000001 gwei).
std::string sweep_value_in_unit(double base, const std::string& unit) {
  double factor = 1;  // column value = base / factor
  if (unit == "gwei") factor = 1e9;
  else if (unit == "eth" || unit == "link") factor = 1e18;
  else if (unit == "pct") factor = 0.01;
  const double v = base / factor;
  const std::string short_form = fmt::format("{:.12g}", v);
  const double back = std::strtod(short_form.c_str(), nullptr) * factor;
  return std::fabs(back - base) <= 1e-15 * std::fabs(base) ? short_form : fmt::format("{}", v);
}

namespace {

std::string values_of(const SweepShape& shape, std::uint64_t point) {
  std::string s;
  for (std::size_t k = 0; k < shape.swept_keys.size(); ++k) s += "," + csv_field(sweep_cell(shape, point, k));
  return s;
}

std::string columns_of(const SweepShape& shape) {
  std::string s;
  for (const auto& c : sweep_columns(shape)) s += "," + csv_field(c);
  return s;
}

}  // namespace

std::vector<std::string> sweep_columns(const SweepShape& shape) {
  std::vector<std::string> out;
  for (std::size_t k = 0; k < shape.swept_keys.size(); ++k)
    out.push_back(in_column_unit(shape, k) ? shape.swept_keys[k] + "_" + shape.column_units[k] : shape.swept_keys[k]);
  return out;
}

std::string sweep_cell(const SweepShape& shape, std::uint64_t point, std::size_t k) {
  if (point >= shape.point_values.size() || k >= shape.point_values[point].size()) return "";
  if (in_column_unit(shape, k)) return sweep_value_in_unit(*shape.point_numbers[point][k], shape.column_units[k]);
  return shape.point_values[point][k];
}

std::string journal_line(const RunRecord& r) {
  json j;
  j["point"] = r.point;
  j["replication"] = r.replication;
  j["seed"] = r.seed;
  j["fingerprint"] = fmt::format("{:016x}", r.fingerprint);
  j["events"] = r.events;
  j["wall_s"] = r.wall_s;
  json m = json::object();
  for (const auto& [k, v] : r.metrics) m[k] = v;  // NaN is written as null
  j["metrics"] = m;
  return j.dump() + "\n";
}

std::optional<RunRecord> parse_journal_line(const std::string& line) {
  try {
    const json j = json::parse(line);
    RunRecord r;
    r.point = j.at("point").get<std::uint64_t>();
    r.replication = j.at("replication").get<std::uint64_t>();
    r.seed = j.at("seed").get<std::uint64_t>();
    r.fingerprint = std::stoull(j.at("fingerprint").get<std::string>(), nullptr, 16);
    r.events = j.at("events").get<std::uint64_t>();
    r.wall_s = j.at("wall_s").get<double>();
    for (const auto& [k, v] : j.at("metrics").items()) r.metrics[k] = v.is_null() ? NAN : v.get<double>();
    return r;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

Journal::Journal(const fs::path& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error(fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  // A torn last line (killed mid-write) must not glue onto the next record.
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (in && in.tellg() > 0) {
    in.seekg(-1, std::ios::end);
    char c = 0;
    in.get(c);
    if (c != '\n') write_all(fd_, "\n", path_);
  }
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::append(const RunRecord& r) {
  write_all(fd_, journal_line(r), path_);
  if (::fsync(fd_) != 0) throw std::runtime_error(fmt::format("cannot fsync {}: {}", path_.string(), std::strerror(errno)));
}

void Journal::append_line(const std::string& line) {
  write_all(fd_, line + "\n", path_);
  if (::fsync(fd_) != 0) throw std::runtime_error(fmt::format("cannot fsync {}: {}", path_.string(), std::strerror(errno)));
}

std::vector<std::string> read_journal_lines(const fs::path& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (in.eof()) break;  // no trailing newline: torn write
    out.push_back(line);
  }
  return out;
}

std::vector<RunRecord> read_journal(const fs::path& path) {
  std::vector<RunRecord> out;
  std::ifstream in(path);
  std::set<std::pair<std::uint64_t, std::uint64_t>> seen;
  std::string line;
  while (std::getline(in, line)) {
    if (in.eof()) break;  // no trailing newline: torn write
    if (auto r = parse_journal_line(line))
      if (seen.insert({r->point, r->replication}).second) out.push_back(std::move(*r));
  }
  return out;
}

void write_atomic(const fs::path& path, const std::string& content) {
  const fs::path tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(fmt::format("cannot create {}: {}", tmp.string(), std::strerror(errno)));
  try {
    write_all(fd, content, tmp);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::fsync(fd);
  ::close(fd);
  fs::rename(tmp, path);
  fsync_dir(path.parent_path());
}

std::string runs_csv(std::vector<RunRecord> records, const SweepShape& shape) {
  std::sort(records.begin(), records.end(), [](const RunRecord& a, const RunRecord& b) {
    return std::tie(a.point, a.replication) < std::tie(b.point, b.replication);
  });
  std::set<std::string> metric_names;
  for (const auto& r : records)
    for (const auto& [k, v] : r.metrics) metric_names.insert(k);
  std::string s = "point,replication,seed";
  s += columns_of(shape);
  for (const auto& m : metric_names) s += "," + csv_field(m);
  s += ",fingerprint,events,wall_s\n";
  for (const auto& r : records) {
    s += fmt::format("{},{},{}", r.point, r.replication, r.seed) + values_of(shape, r.point);
    for (const auto& m : metric_names) {
      auto it = r.metrics.find(m);
      s += "," + (it == r.metrics.end() ? std::string() : num(it->second));
    }
    s += fmt::format(",0x{:016x},{},{:.6f}\n", r.fingerprint, r.events, r.wall_s);
  }
  return s;
}

std::string summary_csv(const std::vector<RunRecord>& records, const SweepShape& shape) {
  std::map<std::uint64_t, std::map<std::string, std::vector<std::pair<std::uint64_t, double>>>> by_point;
  for (const auto& r : records)
    for (const auto& [k, v] : r.metrics) by_point[r.point][k].emplace_back(r.replication, v);
  std::string s = "point" + columns_of(shape) + ",metric,n,mean,sd,ci95_low,ci95_high,min,max\n";
  for (auto& [point, metrics] : by_point) {
    for (auto& [name, values] : metrics) {
      std::sort(values.begin(), values.end());  // replication order: sums do not depend on finishing order
      std::vector<double> xs;  // the replications that produced a value (n counts them)
      for (const auto& [rep, v] : values)
        if (!std::isnan(v)) xs.push_back(v);
      s += fmt::format("{}", point) + values_of(shape, point) + "," + csv_field(name);
      if (xs.empty()) {
        s += ",0,,,,,,\n";
        continue;
      }
      const analysis::Summary st = analysis::summarize(xs);
      s += fmt::format(",{},{},{},{},{},{},{}\n", st.n, num(st.mean), num(st.sd), num(st.ci95_low), num(st.ci95_high),
                       num(st.min), num(st.max));
    }
  }
  return s;
}

std::string timeseries_csv(const std::vector<TimeSeries>& series) {
  std::string s = "series,t_s,value\n";
  for (const auto& ts : series)
    for (const auto& [t, v] : ts.points) s += fmt::format("{},{},{}\n", csv_field(ts.name), num(t), num(v));
  return s;
}

std::string fault_timeline_csv(const std::vector<FaultRecord>& faults) {
  std::string s = "at_s,source,kind,event,targets\n";
  for (const auto& f : faults) {
    std::string targets;
    for (const auto& t : f.targets) targets += (targets.empty() ? "" : " ") + t;
    // Seconds written exactly from the nanoseconds (960, 0.25, 1.000000001), never through a double.
    std::string at = fmt::format("{}.{:09}", f.at_ns / 1'000'000'000, f.at_ns % 1'000'000'000);
    while (at.back() == '0') at.pop_back();
    if (at.back() == '.') at.pop_back();
    s += fmt::format("{},{},{},{},{}\n", at, csv_field(f.source), csv_field(f.kind), f.heal ? "heal" : "inject",
                     csv_field(targets));
  }
  return s;
}

std::string manifest_json(const Manifest& m) {
  json j;
  j["oraclesim_version"] = m.version;
  j["git_commit"] = m.git_commit;
  j["command_line"] = m.command_line;
  j["scenario_file"] = m.scenario_file;
  j["scenario_hash"] = m.scenario_hash;
  json resolved = json::object();
  for (const auto& [k, v] : m.resolved) resolved[k] = json::parse(v);
  if (!m.sweep_json.empty()) resolved["sweep"] = json::parse(m.sweep_json);
  j["scenario"] = resolved;
  json sweep;
  sweep["keys"] = m.shape.swept_keys;
  sweep["points"] = m.shape.point_values;
  sweep["units"] = m.shape.units;
  sweep["column_units"] = m.shape.column_units;
  sweep["columns"] = sweep_columns(m.shape);
  json numbers = json::array();
  for (const auto& row : m.shape.point_numbers) {
    json r = json::array();
    for (const auto& v : row) r.push_back(v ? json(*v) : json(nullptr));
    numbers.push_back(r);
  }
  sweep["numbers"] = numbers;
  sweep["replications"] = m.replications;
  j["sweep"] = sweep;
  json faults = json::array();
  for (const auto& f : m.fault_windows)
    faults.push_back({{"kind", f.kind}, {"target", f.target}, {"at_s", f.at_s},
                      {"duration_s", f.duration_s ? json(*f.duration_s) : json(nullptr)}});
  j["fault_windows"] = faults;
  j["report"] = {{"metrics", m.report.metrics}, {"x", m.report.x}, {"series", m.report.series}, {"cdf", m.report.cdf},
                 {"timeline", m.report.timeline}, {"paired", m.report.paired}, {"baseline", m.report.baseline},
                 {"log_scale", m.report.log_scale}, {"compare", m.report.compare}};
  j["master_seed"] = m.master_seed;
  j["seeds"] = m.seeds;
  j["started_at"] = m.started_at;
  j["finished_at"] = m.finished_at.empty() ? json(nullptr) : json(m.finished_at);
  j["host"] = m.host;
  j["threads"] = m.threads;
  if (m.mpi_ranks > 0) j["mpi_ranks"] = m.mpi_ranks;
  j["runs_total"] = m.runs_total;
  j["runs_done"] = m.runs_done;
  j["resumed"] = m.resumed;
  if (m.shard_count > 0) j["shard"] = {{"index", m.shard_index}, {"count", m.shard_count}};
  return j.dump(2) + "\n";
}

std::optional<std::string> read_manifest_hash(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  try {
    const json j = json::parse(in);
    return j.at("scenario_hash").get<std::string>();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<std::pair<std::uint64_t, std::uint64_t>> read_manifest_shard(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  try {
    const json j = json::parse(in);
    if (!j.contains("shard")) return std::pair<std::uint64_t, std::uint64_t>{0, 0};
    return std::pair{j.at("shard").at("index").get<std::uint64_t>(), j.at("shard").at("count").get<std::uint64_t>()};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string utc_now_iso() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

}  // namespace analysis::results
