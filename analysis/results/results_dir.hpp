#pragma once
// The results directory of a run or sweep, written crash-safely:
//   runs.jsonl     the journal: one complete JSON line per finished run, appended with write + fsync, so a
//                  killed process loses at most the runs in flight (a torn last line is ignored on reading);
//                  `--resume` reads it to run only what is missing.
//   runs.csv       one row per run, sorted by (point, replication); rewritten from the journal
//   summary.csv    one row per (point, metric): n, mean, sd, ci95_low, ci95_high, min, max
//   manifest.json  version, commit, command line, resolved scenario and its hash, seeds, times, host, threads, and
//                  typed entries: the sweep keys' units and numeric values, the fault windows, the report settings
//   timeseries/p<point>_r<replication>.csv   optional per-run series (series,t_s,value)
//   faults/p<point>_r<replication>.csv       per run with faults: each injection and heal and what it hit
//                                            (at_s,source,kind,event,targets; targets separated by spaces)
// Every file except the journal is written to a temporary name, fsynced and renamed into place.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/collector.hpp"

namespace analysis::results {

struct RunRecord {
  std::uint64_t point = 0;
  std::uint64_t replication = 0;
  std::uint64_t seed = 0;
  std::map<std::string, double> metrics;  // name order
  std::uint64_t fingerprint = 0;
  std::uint64_t events = 0;
  double wall_s = 0;
};

// The sweep's shape, for column names and per-point key values.
struct SweepShape {
  std::vector<std::string> swept_keys;               // column names (key paths)
  std::vector<std::vector<std::string>> point_values;  // [point][key] value as written
  std::vector<std::string> units;                    // per key: the unit of point_numbers ("" for none)
  std::vector<std::vector<std::optional<double>>> point_numbers;  // [point][key] the value as a number, or none
  // per key: the unit runs.csv and summary.csv write it in (KeySpec::column_unit(); "" or missing: as written)
  std::vector<std::string> column_units;
};

// The swept keys' columns in runs.csv and summary.csv: "<key>_<unit>" for a key written in a column unit (every
// point's value a number), the key path otherwise; chain.base_fee swept over 20gwei and 50gwei is the column
// chain.base_fee_gwei holding 20 and 50. The values as written stay in the manifest.
std::vector<std::string> sweep_columns(const SweepShape& shape);
// The cell of swept key `k` at `point` (the number in the column unit, or the value as written).
std::string sweep_cell(const SweepShape& shape, std::uint64_t point, std::size_t k);
// A number in its key's base unit (s, wei, juels, fraction) written in a column unit (s, gwei, eth, link, pct).
std::string sweep_value_in_unit(double base, const std::string& unit);

// A fault of the scenario as a window in simulated time (the report's timeline).
struct FaultWindowEntry {
  std::string kind;
  std::string target;                // as a short label ("" when none)
  double at_s = 0;
  std::optional<double> duration_s;  // nullopt: until the end of the run
};

// The scenario's `report:` block (what `oraclesim report` shows).
struct ReportEntry {
  std::vector<std::string> metrics, x, series, cdf, timeline;
  std::string paired, baseline;
  std::vector<std::string> log_scale, compare;
};

// One JSON line (with the trailing newline) and back. parse returns nullopt for a torn or foreign line.
std::string journal_line(const RunRecord& r);
std::optional<RunRecord> parse_journal_line(const std::string& line);

// Appends whole lines durably (write + fsync per line). Thread-safe calls are the caller's job.
class Journal {
 public:
  explicit Journal(const std::filesystem::path& path);  // creates or appends; throws std::runtime_error
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  void append(const RunRecord& r);
  // Appends one line (a newline is added) and fsyncs: what another journal (oraclesim search) records.
  void append_line(const std::string& line);

 private:
  int fd_ = -1;
  std::filesystem::path path_;
};

// Every complete record of the journal (first record wins for a repeated (point, replication)).
std::vector<RunRecord> read_journal(const std::filesystem::path& path);

// The complete lines of a journal written with append_line (a torn last line is left out); none if it is missing.
std::vector<std::string> read_journal_lines(const std::filesystem::path& path);

// Writes `content` to path via a temporary file, fsync and rename (then fsyncs the directory).
void write_atomic(const std::filesystem::path& path, const std::string& content);

// runs.csv / summary.csv text for `records` (sorted here by point, replication).
std::string runs_csv(std::vector<RunRecord> records, const SweepShape& shape);
std::string summary_csv(const std::vector<RunRecord>& records, const SweepShape& shape);
// A per-run series file (long format: series,t_s,value).
std::string timeseries_csv(const std::vector<TimeSeries>& series);
// A per-run fault timeline (at_s,source,kind,event,targets): event is inject or heal, targets the names it hit.
std::string fault_timeline_csv(const std::vector<FaultRecord>& faults);

struct Manifest {
  std::string version;
  std::string git_commit;
  std::vector<std::string> command_line;
  std::string scenario_file;
  std::string scenario_hash;
  std::vector<std::pair<std::string, std::string>> resolved;  // key path -> JSON literal
  std::string sweep_json;  // the resolved sweep block (JSON literal), stored as scenario["sweep"]; may be empty
  SweepShape shape;
  // Typed entries for readers (report, merge), so that none parses the scenario language again.
  std::vector<FaultWindowEntry> fault_windows;
  ReportEntry report;
  std::uint64_t master_seed = 0;
  std::uint64_t replications = 1;
  std::vector<std::uint64_t> seeds;  // per replication
  std::string started_at, finished_at;  // ISO 8601 UTC; finished_at empty while running
  std::string host;
  unsigned threads = 1;     // per process
  unsigned mpi_ranks = 0;   // processes of an MPI sweep (0: not run under MPI; no "mpi_ranks" entry)
  std::uint64_t runs_total = 0, runs_done = 0;
  bool resumed = false;
  // A shard of a sweep (`--shard I/N`: the runs k = point * replications + replication with k mod N = I);
  // shard_count 0 when the sweep is not sharded (no "shard" entry).
  std::uint64_t shard_index = 0, shard_count = 0;
};

std::string manifest_json(const Manifest& m);
// The scenario_hash recorded in an existing manifest.json; nullopt if it cannot be read.
std::optional<std::string> read_manifest_hash(const std::filesystem::path& path);
// The shard (index, count) recorded in an existing manifest.json: (0, 0) when it has none; nullopt if unreadable.
std::optional<std::pair<std::uint64_t, std::uint64_t>> read_manifest_shard(const std::filesystem::path& path);

// "2026-11-22T14:03:56Z" for now (for manifests only, never for results).
std::string utc_now_iso();
std::string host_name();

}  // namespace analysis::results
