// oraclesim sweep under MPI. In an MPI build (Release only: the sanitizer build is built without MPI): a sweep run
// by `mpirun -np 3` writes what a `--jobs 1` sweep writes (wall-clock fields aside), for several layouts of ranks and
// threads; a rank killed part-way fails the sweep with a message and the finished runs written, and the sweep
// resumed with threads ends as if never stopped, running no journaled run again; a sweep killed under threads
// resumes under MPI; bad input stops every rank with exit 2 and one message. In a build without MPI: started by an
// MPI launcher, `sweep` refuses with how to get MPI instead of running N copies of the sweep.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "tests/tools/cli_run.hpp"

namespace fs = std::filesystem;
using namespace oraclesim_test;

namespace {

const std::string kSweep = source("tests/data/good/sweep.yaml");  // 2 x 2 points x 3 replications

std::vector<std::string> sweep_args(const fs::path& out, const std::vector<std::string>& extra,
                                    const std::string& file = kSweep) {
  std::vector<std::string> args = {"sweep", file, "--out", out.string(), "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

#if ORACLESIM_HAVE_MPI

namespace {

// mpirun with `ranks` processes on this machine; `forward` names environment variables every rank receives. Shared
// memory without cross-memory attach, which containers and hardened kernels often forbid (results of a few KiB
// would otherwise fail there).
std::string mpirun(int ranks, const std::vector<std::string>& forward = {}) {
  std::string l = quote(ORACLESIM_MPIRUN) + " --allow-run-as-root --oversubscribe --mca btl_vader_single_copy_mechanism none -np " +
                  std::to_string(ranks) + " ";
  for (const auto& v : forward) l += "-x " + v + " ";
  return l;
}

// Runs long enough (a few tenths of a second each) that a rank killed after its first run leaves work unfinished.
const std::vector<std::string> kSlow = {"--set", "duration=10s", "--set", "demo.mean_delay=10us", "--set",
                                        "demo.min_delay=1us"};

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

void expect_same_results(const fs::path& got, const fs::path& want) {
  EXPECT_EQ(without_wall(read_file(got / "runs.csv")), without_wall(read_file(want / "runs.csv"))) << got;
  EXPECT_EQ(read_file(got / "summary.csv"), read_file(want / "summary.csv")) << got;
}

}  // namespace

TEST(MpiSweep, AnyLayoutOfRanksAndThreadsEqualsOneThread) {
  TempDir t;
  ASSERT_EQ(run(sweep_args(t.path / "j1", {"--jobs", "1"})).code, 0);
  const Result three = run(sweep_args(t.path / "np3", {}), "", mpirun(3));
  ASSERT_EQ(three.code, 0) << three.err;
  const Result hybrid = run(sweep_args(t.path / "np2j2", {"--jobs", "2"}), "", mpirun(2));
  ASSERT_EQ(hybrid.code, 0) << hybrid.err;
  for (const char* d : {"np3", "np2j2"}) {
    expect_same_results(t.path / d, t.path / "j1");
    for (const auto& f : fs::directory_iterator(t.path / "j1" / "timeseries"))
      EXPECT_EQ(read_file(f.path()), read_file(t.path / d / "timeseries" / f.path().filename())) << d << f.path();
  }
  const std::string manifest = read_file(t.path / "np3" / "manifest.json");
  EXPECT_NE(manifest.find("\"mpi_ranks\": 3"), std::string::npos) << manifest;
  EXPECT_NE(manifest.find("\"threads\": 1"), std::string::npos) << manifest;
  EXPECT_EQ(read_file(t.path / "j1" / "manifest.json").find("mpi_ranks"), std::string::npos);
  // Only rank 0 speaks: one completion line, not one per rank.
  const Result loud = run({"sweep", kSweep, "--out", (t.path / "loud").string()}, "", mpirun(3));
  ASSERT_EQ(loud.code, 0) << loud.err;
  const std::string said = loud.out + loud.err;
  std::size_t n = 0;
  for (auto p = said.find("MPI ranks"); p != std::string::npos; p = said.find("MPI ranks", p + 1)) ++n;
  EXPECT_EQ(n, 1u) << said;
}

// The scenario: rank 1 dies after its first run; mpirun tears the job down; rank 0 writes what finished.
TEST(MpiSweep, ARankKilledPartWayFailsCleanlyAndResumesWithThreads) {
  TempDir t;
  ASSERT_EQ(run(sweep_args(t.path / "full", with({"--jobs", "2"}, kSlow))).code, 0);
  const fs::path log = t.path / "runs.log";
  const std::string env = "ORACLESIM_TEST_RUN_LOG=" + quote(log.string()) +
                          " ORACLESIM_TEST_KILL_AFTER=1 ORACLESIM_TEST_KILL_RANK=1 ";
  const Result killed = run(sweep_args(t.path / "r", kSlow), env,
                            mpirun(3, {"ORACLESIM_TEST_RUN_LOG", "ORACLESIM_TEST_KILL_AFTER", "ORACLESIM_TEST_KILL_RANK"}));
  EXPECT_NE(killed.code, 0);
  EXPECT_NE(killed.err.find("the MPI sweep stopped"), std::string::npos) << killed.err;
  EXPECT_NE(killed.err.find("--resume"), std::string::npos) << killed.err;
  const auto journal = lines_of(read_file(t.path / "r" / "runs.jsonl"));
  ASSERT_GE(journal.size(), 1u) << killed.err;  // rank 1's run reached rank 0 before rank 1 died
  ASSERT_LT(journal.size(), 12u) << "the sweep finished before the kill took effect; make the runs slower";
  // Everything finished is in the results, not only in the journal.
  EXPECT_EQ(lines_of(read_file(t.path / "r" / "runs.csv")).size(), 1 + journal.size());
  EXPECT_TRUE(fs::exists(t.path / "r" / "summary.csv"));
  const auto before = lines_of(read_file(log));

  const Result resumed = run(sweep_args(t.path / "r", with({"--jobs", "2", "--resume"}, kSlow)),
                             "ORACLESIM_TEST_RUN_LOG=" + quote(log.string()) + " ");
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  expect_same_results(t.path / "r", t.path / "full");
  // The resume ran exactly the runs the journal lacked.
  const auto all = lines_of(read_file(log));
  EXPECT_EQ(all.size() - before.size(), 12u - journal.size());
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), 12u);
}

TEST(MpiSweep, KilledWithThreadsResumesUnderMpi) {
  TempDir t;
  ASSERT_EQ(run(sweep_args(t.path / "full", {"--jobs", "1"})).code, 0);
  ASSERT_EQ(run(sweep_args(t.path / "r", {"--jobs", "1"}), "ORACLESIM_TEST_KILL_AFTER=5 ").code, 128 + 9);
  const Result resumed = run(sweep_args(t.path / "r", {"--resume"}), "", mpirun(2));
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  expect_same_results(t.path / "r", t.path / "full");
}

TEST(MpiSweep, BadInputStopsEveryRankWithOneMessage) {
  TempDir t;
  ASSERT_EQ(run(sweep_args(t.path / "r", {}, source("tests/data/good/sweep_other.yaml"))).code, 0);
  const std::string before = read_file(t.path / "r" / "runs.csv");
  // Resuming a directory of another scenario: rank 0 refuses, every rank leaves with 2.
  const Result other = run(sweep_args(t.path / "r", {"--resume"}), "", mpirun(3));
  EXPECT_EQ(other.code, 2) << other.err;
  EXPECT_NE(other.err.find("resume"), std::string::npos) << other.err;
  EXPECT_EQ(read_file(t.path / "r" / "runs.csv"), before);
  // A scenario that does not load: the error once, with its location, and nothing written.
  const Result bad = run(sweep_args(t.path / "b", {}, source("tests/data/bad/duration_without_unit.yaml")), "", mpirun(3));
  EXPECT_EQ(bad.code, 2) << bad.err;
  const std::string where = "duration_without_unit.yaml:4:21: demo.mean_delay";
  ASSERT_NE(bad.err.find(where), std::string::npos) << bad.err;
  EXPECT_EQ(bad.err.find(where, bad.err.find(where) + 1), std::string::npos) << "said more than once:\n" << bad.err;
  EXPECT_FALSE(fs::exists(t.path / "b"));
  // Under mpirun only `sweep` shares work: `run` would run the same run N times.
  const Result one = run({"run", kSweep, "--quiet"}, "", mpirun(2));
  EXPECT_EQ(one.code, 2) << one.err;
  const std::string why = "only `oraclesim sweep` runs under MPI";
  ASSERT_NE(one.err.find(why), std::string::npos) << one.err;
  EXPECT_EQ(one.err.find(why, one.err.find(why) + 1), std::string::npos) << "said by every rank:\n" << one.err;
}

#else

// Without MPI, N copies of one sweep would each write the whole sweep into one directory: refused, with the way out.
TEST(MpiSweep, WithoutMpiALaunchedSweepIsRefused) {
  TempDir t;
  const Result r = run(sweep_args(t.path / "r", {}), "OMPI_COMM_WORLD_SIZE=3 OMPI_COMM_WORLD_RANK=0 ");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("built without MPI"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("libopenmpi-dev"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(t.path / "r"));
  const Result help = run({"sweep", "--help"});
  EXPECT_NE(help.out.find("built without MPI"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("libopenmpi-dev"), std::string::npos) << help.out;
}

#endif

// Either build: under a launcher of several processes, commands other than sweep refuse; --help says how MPI runs.
TEST(MpiSweep, OnlySweepRunsUnderALauncherOfManyProcesses) {
  const Result r = run({"run", kSweep, "--quiet"}, "OMPI_COMM_WORLD_SIZE=3 OMPI_COMM_WORLD_RANK=0 ");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("only `oraclesim sweep` runs under MPI"), std::string::npos) << r.err;
  const Result other = run({"run", kSweep, "--quiet"}, "OMPI_COMM_WORLD_SIZE=3 OMPI_COMM_WORLD_RANK=1 ");
  EXPECT_EQ(other.code, 2);
  EXPECT_EQ(other.err, "") << "only rank 0 says why";
  const Result help = run({"sweep", "--help"});
  EXPECT_NE(help.out.find("mpirun -np N"), std::string::npos) << help.out;
}
