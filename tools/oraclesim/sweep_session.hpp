#pragma once
// The writing side of a sweep, shared by the threaded runner (sweep_runner.cpp) and the MPI one (mpi_sweep.cpp):
// the resume check, the task list, the journal, the per-run files, the progress display and the final
// runs.csv / summary.csv / manifest. Whoever runs a task (a local thread, or another MPI rank that sends it back)
// hands the finished run to record(); the order in which runs finish never shows in the results, which are sorted
// by (point, replication).
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "analysis/results/results_dir.hpp"
#include "models/scenario/study.hpp"
#include "tools/oraclesim/progress.hpp"
#include "tools/oraclesim/sweep_runner.hpp"

namespace oraclesim {

struct Task {
  std::uint64_t point = 0, replication = 0;
};

// A run and the files it writes besides its journal line ("" for none).
struct FinishedRun {
  analysis::results::RunRecord record;
  std::string timeseries_csv, faults_csv;
};

// Runs one task of the study (single-threaded, on whichever thread or rank calls it). Throws on a run failure.
// Honours ORACLESIM_TEST_RUN_LOG and ORACLESIM_TEST_FAIL_RUN (see sweep_session.cpp).
FinishedRun run_task(const models::scenario::Study& study, const Task& task, const analysis::RunProgress& progress = {});

// An environment number for the test hooks (0 when unset).
std::uint64_t test_hook(const char* name);
// ORACLESIM_TEST_KILL_AFTER for this process: 0 (unarmed) under MPI when ORACLESIM_TEST_KILL_RANK names a rank other
// than `mpi_rank`; without MPI (nullopt) always armed.
std::uint64_t kill_after(std::optional<int> mpi_rank);

// SIGINT/SIGTERM while a sweep runs: the first signal is recorded (stop_signal()) and the runs in flight may
// finish; a second one ends the process at once. Restores the previous handlers when destroyed. `immediate` only
// changes the note printed on the signal: the caller writes what finished and ends at once (an MPI job).
class StopSignals {
 public:
  explicit StopSignals(bool immediate = false);
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  static int stop_signal();  // 0 while no signal came
};

class SweepSession {
 public:
  // Reads the journal to resume (throws ResumeError) and lists the tasks left to run. Writes nothing yet: the
  // directory is started (cleared unless resumed, manifest, journal) when the first run is recorded.
  // `ranks` is the number of MPI processes (0 when the sweep does not run under MPI).
  SweepSession(const models::scenario::Study& study, const SweepOptions& opt, unsigned ranks = 0);
  ~SweepSession();
  SweepSession(const SweepSession&) = delete;
  SweepSession& operator=(const SweepSession&) = delete;

  const std::vector<Task>& tasks() const { return tasks_; }
  // The manifest's host entry (an MPI sweep names every host); call before the first record().
  void set_host(std::string host) { man_.host = std::move(host); }
  std::uint64_t runs_total() const { return man_.runs_total; }

  // Thread-safe. Writes the run's files, then its journal line (durably), then counts it in the progress display.
  // ORACLESIM_TEST_KILL_AFTER / ORACLESIM_TEST_SIGINT_AFTER fire here (see sweep_session.cpp).
  void record(FinishedRun run);
  // Thread-safe: the first failure is kept; no new task should start once failed() is true.
  void fail(const Task& task, const std::string& what);
  void fail(const std::string& what);  // a failure that is not a run's
  bool failed() const { return failed_.load(); }
  // Whether new tasks should still start: no failure and no stop signal.
  bool accepting() const { return !failed() && StopSignals::stop_signal() == 0; }

  // Once every runner has stopped: stops the progress display, writes runs.csv, summary.csv and the finished
  // manifest, and returns every record sorted. Throws std::runtime_error after a failure, Interrupted after a stop
  // signal (the finished runs written either way).
  std::vector<analysis::results::RunRecord> finish();

  // While runners may still be running (an MPI job that is being torn down): closes the journal (a run recorded
  // later is dropped, so the tables and the journal hold the same runs), writes runs.csv, summary.csv and the
  // manifest for the runs recorded so far and returns how many. The journal already holds them.
  std::uint64_t write_partial();

  const std::string& journal_path() const { return journal_path_; }

 private:
  void start_writing();  // under mu_
  void write_tables(std::vector<analysis::results::RunRecord> records, bool finished);

  const models::scenario::Study& study_;
  SweepOptions opt_;
  std::string dir_, manifest_path_, journal_path_;
  analysis::results::Manifest man_;
  bool resumed_ = false;
  std::vector<Task> tasks_;

  std::mutex mu_;  // journal_, done_, first_error_, journaled_here_, closed_
  std::optional<analysis::results::Journal> journal_;
  bool closed_ = false;  // write_partial() ran: nothing more is journaled
  std::vector<analysis::results::RunRecord> done_;
  std::uint64_t journaled_here_ = 0;
  std::atomic<bool> failed_{false};
  std::string first_error_;
  std::uint64_t kill_at_ = 0, sigint_at_ = 0;
  std::optional<Progress> progress_;
};

}  // namespace oraclesim
