#pragma once
// Executes a study into a results directory (analysis/results/results_dir.hpp): a pool of `jobs` threads feeding
// one SweepSession (sweep_session.hpp; under mpirun, mpi_sweep.hpp feeds it from ranks instead), each run
// single-threaded; finished runs are journaled as they complete; runs.csv, summary.csv and the manifest are written
// at the end. Nothing is written before the first run finishes (a study that fails at once
// leaves no manifest or journal stub); a fresh sweep then clears the directory's old results and report. With `resume`, runs already in the directory's journal are kept (after
// checking the directory was produced by the same resolved scenario) and only the missing ones run. With a shard,
// only the shard's runs run (and resume), and the manifest records the shard for `oraclesim merge`
// (analysis/results/merge.hpp).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/results/results_dir.hpp"
#include "analysis/run.hpp"
#include "models/scenario/study.hpp"

namespace oraclesim {

struct SweepOptions {
  std::string out_dir;
  unsigned jobs = 1;
  bool resume = false;
  bool quiet = false;
  // --shard I/N: only the runs k = point * replications + replication with k mod N = I (shard_count 0: all).
  std::uint64_t shard_index = 0, shard_count = 0;
  std::vector<std::string> command_line;
  // Given to every run (oraclesim run's progress bar); empty for sweeps.
  analysis::RunProgress run_progress;
};

// Thrown when --out cannot be a results directory (exit code 2).
struct OutDirError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws OutDirError unless `dir` and every directory above it that exists are directories (results go into a
// directory, never a file). Every command that writes a results directory (run, sweep, merge, search) calls it first.
void check_out_dir(const std::string& dir);

// Thrown when a results directory cannot be resumed (exit code 2).
struct ResumeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Thrown after SIGINT/SIGTERM stopped a sweep: the runs that finished are written (journal, runs.csv,
// summary.csv, manifest with runs_done < runs_total), so `report` works on them and --resume completes the rest.
struct Interrupted : std::runtime_error {
  Interrupted(int sig, std::uint64_t done, std::uint64_t total)
      : std::runtime_error("interrupted"), signal(sig), runs_done(done), runs_total(total) {}
  int signal;
  std::uint64_t runs_done, runs_total;
};

// Returns every run record of the study (sorted by point, replication). Throws ResumeError, or
// std::runtime_error when a run fails (the finished runs stay in the journal).
std::vector<analysis::results::RunRecord> execute(const models::scenario::Study& study, const SweepOptions& opt);

}  // namespace oraclesim
