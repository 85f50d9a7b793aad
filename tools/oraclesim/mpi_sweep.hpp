#pragma once
// Sweeps under MPI (`mpirun -np N oraclesim sweep FILE --out DIR`): the ranks share the runs dynamically, since run
// costs differ by orders of magnitude. Rank 0 is the writing rank: it owns the results directory (resume check,
// journal, runs.csv, summary.csv, manifest, progress display) and runs tasks on its own --jobs threads besides; every
// other rank runs --jobs threads that ask rank 0 for one task at a time and send each finished run back. Only rank
// 0's main thread and the other ranks' main threads call MPI (MPI_THREAD_FUNNELED).
//
// The results equal a `--jobs 1` sweep byte for byte (wall-clock fields aside), whatever the number of ranks and
// threads: every run depends only on its scenario point and replication seed, and the tables are sorted. A stop
// signal on rank 0 (Ctrl-C on mpirun, scancel, or mpirun tearing the job down because a rank died) writes the
// finished runs (runs.csv, summary.csv, manifest; the journal holds them already) and ends the process at once:
// the runs in flight are lost and `--resume` (under mpirun or with threads) runs them again.
//
// MPI is initialised only when the process was started by an MPI launcher (launched()). The MPI part is built when
// CMake finds an MPI implementation (ORACLESIM_HAVE_MPI); launched() is always built, so that a binary without MPI
// refuses to run N copies of one sweep.
#include <optional>
#include <string>
#include <vector>

#include "analysis/results/results_dir.hpp"
#include "models/scenario/study.hpp"
#include "tools/oraclesim/sweep_runner.hpp"

namespace oraclesim::mpi {

// The number of processes an MPI launcher started (OpenMPI's mpirun: OMPI_COMM_WORLD_SIZE; MPICH's hydra and
// PMI-1: PMI_SIZE), 0 when started by a PMIx launcher that does not say (srun --mpi=pmix: PMIX_RANK), nullopt when
// this process was not started by an MPI launcher.
std::optional<unsigned> launched();
// This process's rank as the launcher says (0 when it does not), before MPI is initialised: only rank 0 prints
// errors that every rank meets alike.
unsigned launched_rank();

// Whether this binary was built with MPI.
inline constexpr bool kBuilt = ORACLESIM_HAVE_MPI != 0;

// How to get an MPI build, for --help and errors.
inline constexpr const char* kHowToGetMpi =
    "install OpenMPI (Debian: apt install libopenmpi-dev openmpi-bin; tools/dev test does) and rebuild";

#if ORACLESIM_HAVE_MPI

// The MPI world of this process: MPI_Init_thread on construction, MPI_Finalize on destruction.
class World {
 public:
  World();
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }
  // Collective: every rank says whether its step went well; returns, on every rank, the ranks that failed.
  std::vector<int> failed_ranks(bool ok) const;
  // Collective: rank 0's `text`, on every rank.
  std::string root_text(const std::string& text) const;
  // Collective: the distinct host names of the ranks, comma-separated (meaningful on rank 0).
  std::string hosts() const;

 private:
  int rank_ = 0, size_ = 1;
};

// A non-zero rank leaves the sweep without a message of its own: rank 0 reports (exit `code`).
struct QuietExit {
  int code;
};

// Collective. Rank 0 opens the results directory (throws ResumeError, which the other ranks learn of and leave
// through QuietExit{2}), runs the sweep with the other ranks and returns every record (throws as execute() does).
// The other ranks run what rank 0 hands them and return nothing.
std::vector<analysis::results::RunRecord> execute(const World& world, const models::scenario::Study& study,
                                                  const SweepOptions& opt);

#endif

}  // namespace oraclesim::mpi
