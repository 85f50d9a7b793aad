#include "tools/oraclesim/sweep_session.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <tuple>

#include <fmt/core.h>

#include "analysis/run.hpp"
#include "analysis/subsystems.hpp"
#include "sim/random.hpp"
#include "tools/oraclesim/git_commit.hpp"

namespace oraclesim {

namespace fs = std::filesystem;
namespace res = analysis::results;

// Test hooks (environment, for the crash-safety tests only):
//   ORACLESIM_TEST_RUN_LOG=FILE      append "point,replication" to FILE when a run starts
//   ORACLESIM_TEST_KILL_AFTER=K      SIGKILL this process right after its K-th run is journaled (an MPI rank other
//                                    than 0: right after it sent its K-th run)
//   ORACLESIM_TEST_KILL_RANK=R       under MPI, only rank R kills itself (default: every rank)
//   ORACLESIM_TEST_SIGINT_AFTER=K    SIGINT this process right after its K-th run is journaled
//   ORACLESIM_TEST_FAIL_RUN=K        the K-th run started in this process (1-based) throws, as a run failing at
//                                    run time would
std::uint64_t test_hook(const char* name) {
  const char* k = std::getenv(name);
  return k && *k ? std::strtoull(k, nullptr, 10) : 0;
}

std::uint64_t kill_after(std::optional<int> mpi_rank) {
  const char* r = std::getenv("ORACLESIM_TEST_KILL_RANK");
  const bool armed = !mpi_rank || !r || !*r || std::strtoull(r, nullptr, 10) == static_cast<unsigned long long>(*mpi_rank);
  return armed ? test_hook("ORACLESIM_TEST_KILL_AFTER") : 0;
}

namespace {

void log_run_start(const Task& t) {
  const char* path = std::getenv("ORACLESIM_TEST_RUN_LOG");
  if (!path || !*path) return;
  const int fd = ::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  const std::string line = fmt::format("{},{}\n", t.point, t.replication);
  [[maybe_unused]] const auto n = ::write(fd, line.data(), line.size());
  ::close(fd);
}

res::SweepShape shape_of(const models::scenario::Study& st) {
  res::SweepShape s;
  s.swept_keys = st.swept_keys;
  s.units = st.sweep_units;
  s.column_units = st.sweep_column_units;
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

std::atomic<int> g_stop_signal{0};
std::atomic<bool> g_stop_immediate{false};
extern "C" void on_stop_signal(int sig) {
  static const char kWait[] = "\noraclesim: stopping once the running runs finish (signal again to stop now; finished "
                              "runs are kept)\n";
  static const char kNow[] = "\noraclesim: stop signal: writing the finished runs and stopping now\n";
  const bool now = g_stop_immediate.load();
  int expected = 0;
  const bool first = g_stop_signal.compare_exchange_strong(expected, sig);
  // Waiting for running runs: a second signal takes the default action (stop at once). Stopping now: the finished
  // runs are being written and further signals are ignored (a launcher may signal the process and its group).
  if (!now) std::signal(sig, SIG_DFL);
  if (!first) return;
  [[maybe_unused]] const auto n = ::write(STDERR_FILENO, now ? kNow : kWait, (now ? sizeof kNow : sizeof kWait) - 1);
}

void (*g_prev_int)(int) = SIG_DFL;
void (*g_prev_term)(int) = SIG_DFL;


}  // namespace

StopSignals::StopSignals(bool immediate) {
  g_stop_signal.store(0);
  g_stop_immediate.store(immediate);
  g_prev_int = std::signal(SIGINT, on_stop_signal);
  g_prev_term = std::signal(SIGTERM, on_stop_signal);
}

StopSignals::~StopSignals() {
  std::signal(SIGINT, g_prev_int);
  std::signal(SIGTERM, g_prev_term);
}

int StopSignals::stop_signal() { return g_stop_signal.load(); }

FinishedRun run_task(const models::scenario::Study& study, const Task& t, const analysis::RunProgress& progress) {
  static std::atomic<std::uint64_t> started{0};
  static const std::uint64_t fail_run = test_hook("ORACLESIM_TEST_FAIL_RUN");
  const auto& cfg = study.points.at(t.point).config;
  const std::uint64_t seed = sim::replication_seed(cfg.seed, t.replication);
  log_run_start(t);
  if (started.fetch_add(1) + 1 == fail_run) throw std::runtime_error("failure injected by ORACLESIM_TEST_FAIL_RUN");
  analysis::RunResult rr = analysis::run_one(cfg, seed, t.replication, analysis::builtin_registry(), progress);
  FinishedRun out;
  out.record = res::RunRecord{t.point, t.replication, seed, rr.metrics.values(), rr.fingerprint, rr.events, rr.wall_s};
  if (!rr.series.empty()) out.timeseries_csv = res::timeseries_csv(rr.series);
  if (!rr.faults.empty()) out.faults_csv = res::fault_timeline_csv(rr.faults);
  return out;
}

SweepSession::SweepSession(const models::scenario::Study& study, const SweepOptions& opt, unsigned ranks)
    : study_(study), opt_(opt), dir_(opt.out_dir), manifest_path_((fs::path(opt.out_dir) / "manifest.json").string()),
      journal_path_((fs::path(opt.out_dir) / "runs.jsonl").string()) {
  const std::uint64_t points = study.points.size(), reps = study.replications;
  if (opt.resume && fs::exists(manifest_path_)) {
    const auto hash = res::read_manifest_hash(manifest_path_);
    if (!hash) throw ResumeError(fmt::format("cannot resume {}: manifest.json is unreadable", dir_));
    if (*hash != study.hash)
      throw ResumeError(fmt::format("cannot resume {}: it was produced by a different scenario (hash {}, this scenario "
                                    "resolves to {}); use another --out, or drop --resume to start over",
                                    dir_, *hash, study.hash));
    const auto shard = res::read_manifest_shard(manifest_path_);
    if (!shard || shard->first != opt.shard_index || shard->second != opt.shard_count) {
      const auto name = [](std::uint64_t i, std::uint64_t n) {
        return n == 0 ? std::string("the whole sweep") : fmt::format("shard {}/{}", i, n);
      };
      throw ResumeError(fmt::format("cannot resume {}: it holds {}, this sweep is {}{}", dir_,
                                    shard ? name(shard->first, shard->second) : std::string("an unreadable shard entry"),
                                    name(opt.shard_index, opt.shard_count),
                                    shard && shard->second > 0
                                        ? fmt::format(" (resume it with --shard {}/{})", shard->first, shard->second)
                                        : std::string()));
    }
    for (auto& r : res::read_journal(journal_path_))
      if (r.point < points && r.replication < reps) done_.push_back(std::move(r));
    resumed_ = true;
  } else if (opt.resume && fs::exists(journal_path_)) {
    throw ResumeError(fmt::format("cannot resume {}: runs.jsonl exists but manifest.json is missing", dir_));
  }

  man_.version = ORACLESIM_VERSION;
  man_.git_commit = oraclesim_git_commit();
  man_.command_line = opt.command_line;
  man_.scenario_file = study.file;
  man_.scenario_hash = study.hash;
  man_.resolved = study.resolved;
  man_.sweep_json = study.sweep_json;
  man_.shape = shape_of(study);
  for (const auto& f : study.fault_windows) man_.fault_windows.push_back({f.kind, f.target, f.at_s, f.duration_s});
  const auto& rc = study.base.report;
  man_.report = {rc.metrics, rc.x, rc.series, rc.cdf, rc.timeline, rc.paired, rc.baseline, rc.log_scale, rc.compare};
  man_.master_seed = study.base.seed;
  man_.replications = reps;
  for (std::uint64_t r = 0; r < reps; ++r) man_.seeds.push_back(sim::replication_seed(study.base.seed, r));
  man_.started_at = res::utc_now_iso();
  man_.host = res::host_name();
  man_.threads = opt.jobs;
  man_.mpi_ranks = ranks;
  man_.shard_index = opt.shard_index;
  man_.shard_count = opt.shard_count;
  const auto in_shard = [&](std::uint64_t p, std::uint64_t r) {
    return opt.shard_count == 0 || (p * reps + r) % opt.shard_count == opt.shard_index;
  };
  std::set<std::pair<std::uint64_t, std::uint64_t>> have;
  for (const auto& r : done_) have.insert({r.point, r.replication});
  for (std::uint64_t p = 0; p < points; ++p)
    for (std::uint64_t r = 0; r < reps; ++r) {
      if (!in_shard(p, r)) continue;
      ++man_.runs_total;
      if (!have.count({p, r})) tasks_.push_back({p, r});
    }
  man_.runs_done = done_.size();
  man_.resumed = resumed_;
  kill_at_ = kill_after(ranks == 0 ? std::nullopt : std::optional<int>(0));  // under MPI this is rank 0
  sigint_at_ = test_hook("ORACLESIM_TEST_SIGINT_AFTER");

  // Nothing is written until a run has finished: a study whose first run fails leaves the directory as it was (no
  // manifest, no journal stub). A resumed directory is already started.
  if (resumed_) {
    std::lock_guard lock(mu_);
    start_writing();
  }
  // Under mpirun a rank's stderr is a pipe to mpirun even when mpirun's is a terminal; mpirun then gives the rank's
  // stdout a pseudo-terminal, which tells that the bar (drawn on stderr) reaches one.
  const bool terminal = isatty(STDERR_FILENO) != 0 || (ranks > 0 && isatty(STDOUT_FILENO) != 0);
  progress_.emplace(man_.runs_total, done_.size(), opt.quiet, terminal);
}

SweepSession::~SweepSession() = default;

void SweepSession::start_writing() {
  fs::create_directories(dir_);
  if (!resumed_) clear_results(dir_);
  res::write_atomic(manifest_path_, res::manifest_json(man_));
  journal_.emplace(journal_path_);
}

void SweepSession::record(FinishedRun run) {
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    if (!journal_) start_writing();
  }
  // The run's own files, written (and fsynced) outside the lock; the journal line, under it, comes last.
  const auto& rec = run.record;
  const std::string run_file = fmt::format("p{}_r{}.csv", rec.point, rec.replication);
  const auto write_run_file = [&](const char* sub, const std::string& content) {
    fs::create_directories(fs::path(dir_) / sub);
    res::write_atomic(fs::path(dir_) / sub / run_file, content);
  };
  if (!run.timeseries_csv.empty()) write_run_file("timeseries", run.timeseries_csv);
  if (!run.faults_csv.empty()) write_run_file("faults", run.faults_csv);
  const std::uint64_t events = rec.events;
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    journal_->append(rec);
    done_.push_back(std::move(run.record));
    ++journaled_here_;
    if (kill_at_ != 0 && journaled_here_ == kill_at_) std::raise(SIGKILL);
    if (sigint_at_ != 0 && journaled_here_ == sigint_at_) std::raise(SIGINT);
  }
  progress_->run_finished(events);
}

void SweepSession::fail(const Task& t, const std::string& what) {
  std::lock_guard lock(mu_);
  if (!failed_.exchange(true))
    first_error_ = fmt::format("run failed at point {} replication {} (seed {}): {}", t.point, t.replication,
                               sim::replication_seed(study_.points.at(t.point).config.seed, t.replication), what);
}

void SweepSession::fail(const std::string& what) {
  std::lock_guard lock(mu_);
  if (!failed_.exchange(true)) first_error_ = what;
}

void SweepSession::write_tables(std::vector<res::RunRecord> records, bool finished) {
  std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
    return std::tie(a.point, a.replication) < std::tie(b.point, b.replication);
  });
  const auto shape = shape_of(study_);
  res::write_atomic(fs::path(dir_) / "runs.csv", res::runs_csv(records, shape));
  res::write_atomic(fs::path(dir_) / "summary.csv", res::summary_csv(records, shape));
  res::Manifest m = man_;
  if (finished) m.finished_at = res::utc_now_iso();
  m.runs_done = records.size();
  res::write_atomic(manifest_path_, res::manifest_json(m));
}

std::uint64_t SweepSession::write_partial() {
  std::vector<res::RunRecord> records;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    if (!journal_) return 0;  // nothing finished: the directory was never started
    records = done_;
  }
  const std::uint64_t n = records.size();
  write_tables(std::move(records), false);
  return n;
}

std::vector<res::RunRecord> SweepSession::finish() {
  progress_->finish();
  std::lock_guard lock(mu_);
  if (failed_) {
    if (journal_)
      throw std::runtime_error(fmt::format("{}; the {} finished run(s) are kept in {} (resume with --resume)", first_error_,
                                           done_.size(), journal_path_));
    throw std::runtime_error(first_error_ + "; nothing was written");
  }
  if (!journal_) start_writing();  // every run was journaled already (a resume with nothing left) or none ran
  std::sort(done_.begin(), done_.end(), [](const auto& a, const auto& b) {
    return std::tie(a.point, a.replication) < std::tie(b.point, b.replication);
  });
  write_tables(done_, true);
  man_.runs_done = done_.size();
  if (const int sig = StopSignals::stop_signal(); sig != 0) throw Interrupted(sig, done_.size(), man_.runs_total);
  return done_;
}

}  // namespace oraclesim
