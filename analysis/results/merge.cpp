#include "analysis/results/merge.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <utility>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "analysis/results/results_dir.hpp"

namespace analysis::results {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Shard {
  fs::path dir;
  json manifest;
  std::uint64_t index = 0, count = 0;
};

json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw MergeError(fmt::format("{}: no manifest.json (not a results directory)", path.parent_path().string()));
  try {
    return json::parse(in);
  } catch (const std::exception& e) {
    throw MergeError(fmt::format("{}: unreadable ({})", path.string(), e.what()));
  }
}

Shard load(const fs::path& dir) {
  Shard s;
  s.dir = dir;
  s.manifest = read_json(dir / "manifest.json");
  const json& m = s.manifest;
  if (!m.contains("shard"))
    throw MergeError(fmt::format("{}: not a shard (made without --shard I/N); merge joins the shards of one sweep", dir.string()));
  try {
    s.index = m.at("shard").at("index").get<std::uint64_t>();
    s.count = m.at("shard").at("count").get<std::uint64_t>();
  } catch (const std::exception&) {
    throw MergeError(fmt::format("{}/manifest.json: malformed \"shard\" entry", dir.string()));
  }
  if (s.count == 0 || s.index >= s.count)
    throw MergeError(fmt::format("{}/manifest.json: malformed \"shard\" entry (index {}, count {})", dir.string(),
                                 s.index, s.count));
  if (m.value("finished_at", json()).is_null() || m.value("runs_done", 0ULL) != m.value("runs_total", 0ULL))
    throw MergeError(fmt::format("{}: shard {} of {} is not finished ({} of {} runs); complete it with oraclesim sweep "
                                 "{} --shard {}/{} --out {} --resume",
                                 dir.string(), s.index, s.count, read_journal(dir / "runs.jsonl").size(), m.value("runs_total", 0ULL),
                                 m.value("scenario_file", std::string("FILE")), s.index, s.count, dir.string()));
  return s;
}

// The manifest entries every shard of one sweep shares: the scenario, its seeds and the binary.
void check_same(const Shard& ref, const Shard& s) {
  const std::pair<const char*, const char*> fields[] = {{"scenario_hash", "scenario (hash)"},
                                                        {"master_seed", "master seed"},
                                                        {"seeds", "replication seeds"},
                                                        {"oraclesim_version", "oraclesim version"},
                                                        {"git_commit", "binary (git commit)"},
                                                        {"sweep", "sweep"}};
  for (const auto& [key, what] : fields) {
    const json a = ref.manifest.value(key, json()), b = s.manifest.value(key, json());
    if (a != b)
      throw MergeError(fmt::format("{} and {} are shards of different sweeps: their {} differ ({} vs {})",
                                   ref.dir.string(), s.dir.string(), what, a.dump(), b.dump()));
  }
  if (s.count != ref.count)
    throw MergeError(fmt::format("{} is shard {}/{} but {} is shard {}/{}: the shard counts differ", ref.dir.string(),
                                 ref.index, ref.count, s.dir.string(), s.index, s.count));
}

SweepShape shape_of(const json& m) {
  SweepShape shape;
  const json& sw = m.at("sweep");
  shape.swept_keys = sw.at("keys").get<std::vector<std::string>>();
  shape.point_values = sw.at("points").get<std::vector<std::vector<std::string>>>();
  shape.units = sw.at("units").get<std::vector<std::string>>();
  if (sw.contains("column_units")) shape.column_units = sw.at("column_units").get<std::vector<std::string>>();
  for (const json& row : sw.at("numbers")) {
    std::vector<std::optional<double>> r;
    for (const json& v : row) r.push_back(v.is_null() ? std::nullopt : std::optional<double>(v.get<double>()));
    shape.point_numbers.push_back(std::move(r));
  }
  return shape;
}

// The per-run files (timeseries/, faults/) of the journaled runs `runs` of shard directory `from`.
void copy_run_files(const fs::path& from, const std::vector<RunRecord>& runs, const fs::path& to, const char* sub) {
  for (const RunRecord& r : runs) {
    const std::string name = fmt::format("p{}_r{}.csv", r.point, r.replication);
    const fs::path f = from / sub / name;
    std::error_code ec;
    if (!fs::is_regular_file(f, ec)) continue;
    std::ifstream in(f, std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) throw MergeError(fmt::format("{}: cannot be read", f.string()));
    fs::create_directories(to / sub);
    write_atomic(to / sub / name, content);
  }
}

}  // namespace

MergeSummary merge_shards(const std::vector<fs::path>& dirs, const fs::path& out, const std::vector<std::string>& command_line) {
  if (dirs.empty()) throw MergeError("merge needs the shard directories (e.g. results/sweep/shard-*)");
  std::error_code ec;
  for (const auto& d : dirs)
    if (fs::exists(out, ec) && fs::exists(d, ec) && fs::equivalent(out, d, ec))
      throw MergeError(fmt::format("--out {} is one of the shards; merge into another directory", out.string()));
  for (const char* f : {"manifest.json", "runs.jsonl", "runs.csv", "summary.csv", "timeseries", "faults", "report.html"})
    if (fs::exists(out / f))
      throw MergeError(fmt::format("--out {} already holds results ({}); merge into an empty or new directory",
                                   out.string(), f));

  std::vector<Shard> shards;
  for (const auto& d : dirs) shards.push_back(load(d));
  std::sort(shards.begin(), shards.end(), [](const Shard& a, const Shard& b) { return a.index < b.index; });
  const Shard& ref = shards.front();
  std::map<std::uint64_t, fs::path> seen;
  for (const Shard& s : shards) {
    check_same(ref, s);
    if (auto [it, fresh] = seen.emplace(s.index, s.dir); !fresh)
      throw MergeError(fmt::format("shard {}/{} is given twice ({} and {})", s.index, s.count, it->second.string(),
                                   s.dir.string()));
  }
  std::vector<std::uint64_t> missing;
  for (std::uint64_t i = 0; i < ref.count; ++i)
    if (!seen.count(i)) missing.push_back(i);
  if (!missing.empty()) {
    std::string list;
    for (auto i : missing) list += (list.empty() ? "" : ", ") + std::to_string(i);
    throw MergeError(fmt::format("shard(s) {} of {} missing: merge needs every shard of the sweep", list, ref.count));
  }

  SweepShape shape;
  std::uint64_t reps = 0;
  try {
    shape = shape_of(ref.manifest);
    reps = ref.manifest.at("sweep").at("replications").get<std::uint64_t>();
  } catch (const std::exception& e) {
    throw MergeError(fmt::format("{}/manifest.json: malformed \"sweep\" entry ({})", ref.dir.string(), e.what()));
  }
  const std::uint64_t points = shape.point_values.size();
  std::vector<RunRecord> runs;
  std::vector<std::vector<RunRecord>> per_shard;
  for (const Shard& s : shards) {
    const std::uint64_t total = points * reps;
    const std::uint64_t expected = total / s.count + (s.index < total % s.count ? 1 : 0);
    std::vector<RunRecord> mine = read_journal(s.dir / "runs.jsonl");
    for (const RunRecord& r : mine) {
      const std::uint64_t k = r.point * reps + r.replication;
      if (r.point >= points || r.replication >= reps || k % s.count != s.index)
        throw MergeError(fmt::format("{}: its journal holds run (point {}, replication {}), which is not shard {}/{}'s",
                                     s.dir.string(), r.point, r.replication, s.index, s.count));
    }
    if (mine.size() != expected)
      throw MergeError(fmt::format("{}: its journal holds {} runs, shard {}/{} has {}", s.dir.string(), mine.size(),
                                   s.index, s.count, expected));
    runs.insert(runs.end(), mine.begin(), mine.end());
    per_shard.push_back(std::move(mine));
  }
  std::sort(runs.begin(), runs.end(),
            [](const RunRecord& a, const RunRecord& b) { return std::tie(a.point, a.replication) < std::tie(b.point, b.replication); });

  // Every check passed: write the run files, the journal and the tables, then the manifest.
  fs::create_directories(out);
  for (std::size_t i = 0; i < shards.size(); ++i) {
    copy_run_files(shards[i].dir, per_shard[i], out, "timeseries");
    copy_run_files(shards[i].dir, per_shard[i], out, "faults");
  }
  std::string journal;
  for (const RunRecord& r : runs) journal += journal_line(r);
  write_atomic(out / "runs.jsonl", journal);
  write_atomic(out / "runs.csv", runs_csv(runs, shape));
  write_atomic(out / "summary.csv", summary_csv(runs, shape));

  json m = ref.manifest;
  m.erase("shard");
  std::string started, finished;
  std::set<std::string> hosts;
  std::uint64_t threads = 0, ranks = 0;
  for (const Shard& s : shards) {
    const std::string a = s.manifest.value("started_at", std::string());
    const std::string b = s.manifest.value("finished_at", std::string());
    if (started.empty() || a < started) started = a;
    if (b > finished) finished = b;
    hosts.insert(s.manifest.value("host", std::string()));
    threads = std::max<std::uint64_t>(threads, s.manifest.value("threads", 1ULL));
    ranks = std::max<std::uint64_t>(ranks, s.manifest.value("mpi_ranks", 0ULL));
  }
  std::string host;
  for (const auto& h : hosts) host += (host.empty() ? "" : ",") + h;
  m["command_line"] = command_line;
  m["started_at"] = started;
  m["finished_at"] = finished;
  m["host"] = host;
  m["threads"] = threads;
  m.erase("mpi_ranks");
  if (ranks > 0) m["mpi_ranks"] = ranks;
  m["runs_total"] = points * reps;
  m["runs_done"] = runs.size();
  m["resumed"] = false;
  write_atomic(out / "manifest.json", m.dump(2) + "\n");
  return {shards.size(), runs.size()};
}

}  // namespace analysis::results
