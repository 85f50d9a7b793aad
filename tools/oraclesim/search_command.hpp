#pragma once
// `oraclesim search FILE --objective METRIC [--budget RUNS] [--jobs N] [--out DIR] [--resume]`: a chaos search over the
// fault schedules the scenario's `search:` block admits (analysis/search/, docs/search.md). Each trial runs the
// scenario with the trial's schedule as its `faults:` (seed and replication 0 of `oraclesim run`), on a pool of
// --jobs threads; the search asks for its trials in fixed batches, so the results do not depend on --jobs.
//
// The results directory holds:
//   journal.tsv   every finished run, appended and fsynced as it finishes (--resume reruns only what is missing)
//   search.csv    every run: phase, generation/step, objective, the guide metrics, whether it breaks, faults, faulty
//                 actors, fingerprint, events, schedule
//   best.yaml     the best schedule found, as a scenario that extends the searched one
//   shrunk.yaml   the shrunk counterexample (when a schedule broke the objective); `oraclesim run shrunk.yaml`
//                 reproduces it with the same fingerprint (the search checks this before it reports)
//   report.md     objective over the search, the best schedules, the shrinking steps and what the counterexample does
// Nothing is written outside the directory; every file but the journal is written atomically at the end.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace oraclesim {

struct SearchOptions {
  std::string file;
  std::vector<std::string> sets;        // --set key=value
  std::string objective;                // --objective; empty: search.objective
  std::optional<std::uint64_t> budget;  // --budget; unset: search.budget
  unsigned jobs = 1;
  std::string out_dir;                  // empty: results/<name>-search
  bool resume = false;
  bool quiet = false;
};

// A problem with the command's input (no search block, an unknown objective): exit code 2.
struct SearchUsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Runs the search and writes its results; prints a summary on stdout. Throws models::scenario::ScenarioError,
// SearchUsageError, ResumeError (sweep_runner.hpp), Interrupted after SIGINT/SIGTERM (the journal keeps every finished
// run), or std::runtime_error when a run fails.
void run_search_command(const SearchOptions& opt);

}  // namespace oraclesim
