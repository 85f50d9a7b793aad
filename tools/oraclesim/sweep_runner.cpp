#include "tools/oraclesim/sweep_runner.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <fmt/core.h>

#include "analysis/run.hpp"
#include "sim/random.hpp"
#include "tools/oraclesim/git_commit.hpp"
#include "tools/oraclesim/progress.hpp"

namespace oraclesim {

namespace fs = std::filesystem;
namespace res = analysis::results;

namespace {

struct Task {
  std::uint64_t point, replication;
};

// Test hooks (environment, for the crash-safety tests only):
//   ORACLESIM_TEST_RUN_LOG=FILE      append "point,replication" to FILE when a run starts
//   ORACLESIM_TEST_KILL_AFTER=K      SIGKILL this process right after its K-th run is journaled
//   ORACLESIM_TEST_SIGINT_AFTER=K    SIGINT this process right after its K-th run is journaled
//   ORACLESIM_TEST_FAIL_RUN=K        the K-th run started (1-based) throws, as a run failing at run time would
void log_run_start(const Task& t) {
  const char* path = std::getenv("ORACLESIM_TEST_RUN_LOG");
  if (!path || !*path) return;
  const int fd = ::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  const std::string line = fmt::format("{},{}\n", t.point, t.replication);
  [[maybe_unused]] const auto n = ::write(fd, line.data(), line.size());
  ::close(fd);
}

std::uint64_t test_hook(const char* name) {
  const char* k = std::getenv(name);
  return k && *k ? std::strtoull(k, nullptr, 10) : 0;
}

res::SweepShape shape_of(const models::scenario::Study& st) {
  res::SweepShape s;
  s.swept_keys = st.swept_keys;
  s.units = st.sweep_units;
  for (const auto& p : st.points) {
    s.point_values.push_back(p.values);
    s.point_numbers.push_back(p.numbers);
  }
  return s;
}

// Our files in a results directory, and the report's (they would describe the old results): a fresh, non-resumed
// sweep removes them when its first run is journaled.
void clear_results(const fs::path& dir) {
  for (const char* f : {"runs.jsonl", "runs.csv", "summary.csv", "manifest.json", "report.html", "report_plots.gp",
                        "report_plots.log"})
    fs::remove(dir / f);
  fs::remove_all(dir / "timeseries");
  fs::remove_all(dir / "faults");
  std::error_code ec;
  std::vector<fs::path> images;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    const std::string ext = e.path().extension().string();
    const bool ours = name.rfind("plot_", 0) == 0 || name.rfind("cdf_", 0) == 0 || name.rfind("timeline_", 0) == 0;
    if (ours && (ext == ".png" || ext == ".svg") && e.is_regular_file()) images.push_back(e.path());
  }
  for (const auto& f : images) fs::remove(f);
}

// SIGINT/SIGTERM during a sweep: stop starting runs, let the running ones finish, write what finished. A second
// signal ends the process at once (the journal keeps every finished run).
std::atomic<int> g_stop_signal{0};
extern "C" void on_stop_signal(int sig) {
  g_stop_signal.store(sig);
  std::signal(sig, SIG_DFL);
  static const char kMsg[] = "\noraclesim: stopping once the running runs finish (signal again to stop now; finished runs "
                             "are kept)\n";
  [[maybe_unused]] const auto n = ::write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
}

class StopSignals {
 public:
  StopSignals() {
    g_stop_signal.store(0);
    int_ = std::signal(SIGINT, on_stop_signal);
    term_ = std::signal(SIGTERM, on_stop_signal);
  }
  ~StopSignals() {
    std::signal(SIGINT, int_);
    std::signal(SIGTERM, term_);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  void (*int_)(int) = SIG_DFL;
  void (*term_)(int) = SIG_DFL;
};

}  // namespace

std::vector<res::RunRecord> execute(const models::scenario::Study& study, const SweepOptions& opt) {
  const fs::path dir = opt.out_dir;
  const fs::path manifest_path = dir / "manifest.json";
  const fs::path journal_path = dir / "runs.jsonl";
  const std::uint64_t points = study.points.size(), reps = study.replications;

  std::vector<res::RunRecord> done;
  bool resumed = false;
  if (opt.resume && fs::exists(manifest_path)) {
    const auto hash = res::read_manifest_hash(manifest_path);
    if (!hash)
      throw ResumeError(fmt::format("cannot resume {}: manifest.json is unreadable", dir.string()));
    if (*hash != study.hash)
      throw ResumeError(fmt::format("cannot resume {}: it was produced by a different scenario (hash {}, this scenario "
                                    "resolves to {}); use another --out, or drop --resume to start over",
                                    dir.string(), *hash, study.hash));
    const auto shard = res::read_manifest_shard(manifest_path);
    if (!shard || shard->first != opt.shard_index || shard->second != opt.shard_count) {
      const auto name = [](std::uint64_t i, std::uint64_t n) {
        return n == 0 ? std::string("the whole sweep") : fmt::format("shard {}/{}", i, n);
      };
      throw ResumeError(fmt::format("cannot resume {}: it holds {}, this sweep is {}{}", dir.string(),
                                    shard ? name(shard->first, shard->second) : std::string("an unreadable shard entry"),
                                    name(opt.shard_index, opt.shard_count),
                                    shard && shard->second > 0
                                        ? fmt::format(" (resume it with --shard {}/{})", shard->first, shard->second)
                                        : std::string()));
    }
    for (auto& r : res::read_journal(journal_path))
      if (r.point < points && r.replication < reps) done.push_back(std::move(r));
    resumed = true;
  } else if (opt.resume && fs::exists(journal_path)) {
    throw ResumeError(fmt::format("cannot resume {}: runs.jsonl exists but manifest.json is missing", dir.string()));
  }

  res::Manifest man;
  man.version = ORACLESIM_VERSION;
  man.git_commit = oraclesim_git_commit();
  man.command_line = opt.command_line;
  man.scenario_file = study.file;
  man.scenario_hash = study.hash;
  man.resolved = study.resolved;
  man.sweep_json = study.sweep_json;
  man.shape = shape_of(study);
  for (const auto& f : study.fault_windows) man.fault_windows.push_back({f.kind, f.target, f.at_s, f.duration_s});
  const auto& rc = study.base.report;
  man.report = {rc.metrics, rc.x, rc.series, rc.cdf, rc.timeline, rc.paired, rc.baseline};
  man.master_seed = study.base.seed;
  man.replications = reps;
  for (std::uint64_t r = 0; r < reps; ++r) man.seeds.push_back(sim::replication_seed(study.base.seed, r));
  man.started_at = res::utc_now_iso();
  man.host = res::host_name();
  man.threads = opt.jobs;
  man.shard_index = opt.shard_index;
  man.shard_count = opt.shard_count;
  const auto in_shard = [&](std::uint64_t p, std::uint64_t r) {
    return opt.shard_count == 0 || (p * reps + r) % opt.shard_count == opt.shard_index;
  };
  std::uint64_t runs_total = 0;
  for (std::uint64_t p = 0; p < points; ++p)
    for (std::uint64_t r = 0; r < reps; ++r) runs_total += in_shard(p, r) ? 1 : 0;
  man.runs_total = runs_total;
  man.runs_done = done.size();
  man.resumed = resumed;

  std::set<std::pair<std::uint64_t, std::uint64_t>> have;
  for (const auto& r : done) have.insert({r.point, r.replication});
  std::vector<Task> tasks;
  for (std::uint64_t p = 0; p < points; ++p)
    for (std::uint64_t r = 0; r < reps; ++r)
      if (in_shard(p, r) && !have.count({p, r})) tasks.push_back({p, r});

  // Nothing is written until a run has finished: a study whose first run fails leaves the directory as it was (no
  // manifest, no journal stub). A resumed directory is already started.
  std::optional<res::Journal> journal;
  const auto start_writing = [&] {
    fs::create_directories(dir);
    if (!resumed) clear_results(dir);
    res::write_atomic(manifest_path, res::manifest_json(man));
    journal.emplace(journal_path);
  };
  if (resumed) start_writing();

  Progress progress(runs_total, done.size(), opt.quiet);
  std::mutex mu;  // journal, done, first_error
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::string first_error;
  std::uint64_t journaled_here = 0;
  const std::uint64_t kill_at = test_hook("ORACLESIM_TEST_KILL_AFTER");
  const std::uint64_t sigint_at = test_hook("ORACLESIM_TEST_SIGINT_AFTER");
  const std::uint64_t fail_run = test_hook("ORACLESIM_TEST_FAIL_RUN");
  std::atomic<std::uint64_t> started{0};
  const StopSignals signals;

  auto worker = [&] {
    while (!failed.load() && g_stop_signal.load() == 0) {
      const std::size_t i = next.fetch_add(1);
      if (i >= tasks.size()) return;
      const Task t = tasks[i];
      const auto& cfg = study.points[t.point].config;
      const std::uint64_t seed = sim::replication_seed(cfg.seed, t.replication);
      log_run_start(t);
      try {
        if (started.fetch_add(1) + 1 == fail_run) throw std::runtime_error("failure injected by ORACLESIM_TEST_FAIL_RUN");
        analysis::RunResult rr = analysis::run_one(cfg, seed, t.replication);
        res::RunRecord rec{t.point, t.replication, seed, rr.metrics.values(), rr.fingerprint, rr.events, rr.wall_s};
        {
          std::lock_guard lock(mu);
          if (!journal) start_writing();
        }
        // The run's own files, written (and fsynced) outside the lock; the journal line, under it, comes last.
        const std::string run_file = fmt::format("p{}_r{}.csv", t.point, t.replication);
        const auto write_run_file = [&](const char* sub, const std::string& content) {
          fs::create_directories(dir / sub);
          res::write_atomic(dir / sub / run_file, content);
        };
        if (!rr.series.empty()) write_run_file("timeseries", res::timeseries_csv(rr.series));
        if (!rr.faults.empty()) write_run_file("faults", res::fault_timeline_csv(rr.faults));
        {
          std::lock_guard lock(mu);
          journal->append(rec);
          done.push_back(std::move(rec));
          ++journaled_here;
          if (kill_at != 0 && journaled_here == kill_at) std::raise(SIGKILL);
          if (sigint_at != 0 && journaled_here == sigint_at) std::raise(SIGINT);
        }
        progress.run_finished(rr.events);
      } catch (const std::exception& e) {
        std::lock_guard lock(mu);
        if (!failed.exchange(true))
          first_error = fmt::format("run failed at point {} replication {} (seed {}): {}", t.point, t.replication, seed, e.what());
      }
    }
  };
  const unsigned n = std::max(1u, std::min<unsigned>(opt.jobs, static_cast<unsigned>(std::max<std::size_t>(1, tasks.size()))));
  std::vector<std::thread> pool;
  for (unsigned k = 1; k < n; ++k) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  progress.finish();
  if (failed) {
    if (journal)
      throw std::runtime_error(fmt::format("{}; the {} finished run(s) are kept in {} (resume with --resume)", first_error,
                                           done.size(), journal_path.string()));
    throw std::runtime_error(first_error + "; nothing was written");
  }

  std::sort(done.begin(), done.end(), [](const auto& a, const auto& b) {
    return std::tie(a.point, a.replication) < std::tie(b.point, b.replication);
  });
  if (!journal) start_writing();  // every run was journaled already (a resume with nothing left) or none ran
  const auto shape = shape_of(study);
  res::write_atomic(dir / "runs.csv", res::runs_csv(done, shape));
  res::write_atomic(dir / "summary.csv", res::summary_csv(done, shape));
  man.finished_at = res::utc_now_iso();
  man.runs_done = done.size();
  res::write_atomic(manifest_path, res::manifest_json(man));
  if (const int sig = g_stop_signal.load(); sig != 0)
    throw Interrupted(sig, done.size(), runs_total);
  return done;
}

}  // namespace oraclesim
