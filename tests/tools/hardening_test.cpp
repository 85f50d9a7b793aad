// What a researcher cannot see must not go wrong silently: command-line mistakes exit 2 with a message that says
// what to do, nothing is written outside --out, a failed study leaves no stub, an interrupted one leaves what
// finished.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/core.h>

#include "tests/tools/cli_run.hpp"

namespace fs = std::filesystem;
using namespace oraclesim_test;

namespace {

const std::string kSmall = source("tests/data/good/small.yaml");
const std::string kSweep = source("tests/data/good/sweep.yaml");  // 2 x 2 points x 3 replications

void expect_usage(const Result& r, const std::string& must_contain) {
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find(must_contain), std::string::npos) << r.err;
}

std::size_t lines_in(const fs::path& p) {
  const std::string s = read_file(p);
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

}  // namespace

TEST(Hardening, CommandLineMistakesExitTwoWithAClearMessage) {
  expect_usage(run({"frobnicate"}), "unknown command 'frobnicate' (the commands are run, sweep, search, merge, validate");
  expect_usage(run({"sweep", kSweep, "--jobs", "0"}), "--jobs: Value 0 not in range 1 to 1024");
  expect_usage(run({"validate", kSmall, "--set", "duration=1e3s"}), "scientific notation is not accepted here");
  expect_usage(run({"validate", kSmall, "--set", "duration=300000d"}), "'300000d' is too long (at most 106751d");
  expect_usage(run({"validate", kSmall, "--set", "seed=99999999999999999999999"}), "has too many digits");
  expect_usage(run({"validate", kSmall, "--set", "sweep.grid.demo.lps=[1, 2]"}),
               "only sweep.replications can be set from the command line");
  TempDir t;
  std::ofstream(t.path / "a-file") << "x";
  expect_usage(run({"run", kSmall, "--out", (t.path / "a-file").string()}), "exists and is not a directory");
  expect_usage(run({"sweep", kSweep, "--out", (t.path / "a-file").string(), "--quiet"}), "exists and is not a directory");
  expect_usage(run({"run", kSmall, "--out", (t.path / "a-file" / "sub").string()}), "which is not a directory");
  expect_usage(run({"sweep", kSweep, "--out", (t.path / "a-file" / "sub").string(), "--quiet"}), "which is not a directory");
  expect_usage(run({"report", (t.path / "missing").string()}), "expected a results directory");
}

TEST(Hardening, SetOnASweptKeyIsAnErrorAndSweepReplicationsCanBeSet) {
  const Result clash = run({"validate", kSweep, "--set", "demo.lps=16"});
  expect_usage(clash, "--set demo.lps=16: demo.lps: 'demo.lps' is also swept (sweep.grid.demo.lps at");
  // sweep.replications works with or without a sweep: block in the file.
  const Result with = run({"validate", kSweep, "--set", "sweep.replications=6"});
  EXPECT_EQ(with.code, 0) << with.err;
  EXPECT_NE(with.out.find("(4 points x 6 replications = 24 runs)"), std::string::npos) << with.out;
  const Result without = run({"validate", kSmall, "--set", "sweep.replications=6"});
  EXPECT_EQ(without.code, 0) << without.err;
  EXPECT_NE(without.out.find("(1 point x 6 replications = 6 runs)"), std::string::npos) << without.out;
}

TEST(Hardening, ReportUsageErrorsExitTwo) {
  TempDir t;
  const fs::path out = t.path / "out";
  ASSERT_EQ(run({"sweep", kSweep, "--out", out.string(), "--quiet"}).code, 0);
  expect_usage(run({"report", out.string(), "--metric", "no_such_metric"}), "names metric 'no_such_metric'");
  expect_usage(run({"report", out.string(), "--x", "no.such.key"}), "names 'no.such.key', which is not a swept key");
  expect_usage(run({"report", t.path.string()}), "has no runs.csv");
}

TEST(Hardening, AStudyWhoseFirstRunFailsWritesNothing) {
  TempDir t;
  const fs::path out = t.path / "out";
  const Result r = run({"sweep", kSweep, "--out", out.string(), "--quiet", "--jobs", "1"}, "ORACLESIM_TEST_FAIL_RUN=1 ");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("nothing was written"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  // A later failure keeps the finished runs, resumable.
  const Result late = run({"sweep", kSweep, "--out", out.string(), "--quiet", "--jobs", "1"}, "ORACLESIM_TEST_FAIL_RUN=4 ");
  EXPECT_EQ(late.code, 1) << late.err;
  EXPECT_NE(late.err.find("the 3 finished run(s) are kept"), std::string::npos) << late.err;
  EXPECT_EQ(lines_in(out / "runs.jsonl"), 3u);
  EXPECT_TRUE(fs::exists(out / "manifest.json"));
  EXPECT_EQ(run({"sweep", kSweep, "--out", out.string(), "--quiet", "--resume"}).code, 0);
  EXPECT_EQ(lines_in(out / "runs.csv"), 1u + 12u);
}

TEST(Hardening, AnInterruptedSweepWritesWhatFinishedAndSaysHowToResume) {
  TempDir t;
  const fs::path out = t.path / "out";
  const Result r = run({"sweep", kSweep, "--out", out.string(), "--jobs", "1"}, "ORACLESIM_TEST_SIGINT_AFTER=5 ");
  EXPECT_EQ(r.code, 130) << r.err;
  EXPECT_NE(r.err.find("interrupted (SIGINT): 5 of 12 runs finished"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--resume"), std::string::npos) << r.err;
  EXPECT_EQ(lines_in(out / "runs.csv"), 1u + 5u);  // header + the finished runs, readable by `report`
  EXPECT_TRUE(fs::exists(out / "summary.csv"));
  EXPECT_NE(read_file(out / "manifest.json").find("\"runs_done\": 5"), std::string::npos);
  EXPECT_EQ(run({"sweep", kSweep, "--out", out.string(), "--quiet", "--resume"}).code, 0);
  EXPECT_EQ(lines_in(out / "runs.csv"), 1u + 12u);
}

TEST(Hardening, AFreshSweepClearsTheOldReport) {
  TempDir t;
  const fs::path out = t.path / "out";
  fs::create_directories(out);
  for (const char* stale : {"report.html", "plot_x_vs_y.png", "cdf_z.svg", "notes.txt"}) std::ofstream(out / stale) << "old";
  ASSERT_EQ(run({"sweep", kSweep, "--out", out.string(), "--quiet"}).code, 0);
  EXPECT_FALSE(fs::exists(out / "report.html"));
  EXPECT_FALSE(fs::exists(out / "plot_x_vs_y.png"));
  EXPECT_FALSE(fs::exists(out / "cdf_z.svg"));
  EXPECT_TRUE(fs::exists(out / "notes.txt"));  // not ours: kept
}

TEST(Hardening, NetworkFaultsReachEveryHostAndTheRunRecordsWhatEachFaultHit) {
  // tests/data/good/faults_on_hosts.yaml: a partition of a Streams client and the load balancer (hosts, no actors)
  // from the origins, a link fault towards the single-origin client, a crash of {any: 2} OCR nodes.
  TempDir t;
  const fs::path out = t.path / "out";
  const Result r = run({"run", source("tests/data/good/faults_on_hosts.yaml"), "--out", out.string(), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("had no effect"), std::string::npos) << r.err;  // each of the three did something
  const std::string timeline = read_file(out / "faults" / "p0_r0.csv");
  const auto rows = [&] {
    std::vector<std::string> v;
    std::istringstream in(timeline);
    for (std::string line; std::getline(in, line);) v.push_back(line);
    return v;
  }();
  ASSERT_EQ(rows.size(), 1u + 6u) << timeline;  // header, three injections, three heals
  EXPECT_EQ(rows[0], "at_s,source,kind,event,targets");
  EXPECT_EQ(rows[1], "900,faults[0],partition,inject,streams/client/ha streams/lb streams/origin-a streams/origin-b");
  // The two OCR nodes the crash picked, by name (from the stream "faults[1]/target": the same every run).
  const std::string crash = "960,faults[1],crash,inject,btc-usd/node-";
  ASSERT_EQ(rows[2].rfind(crash, 0), 0u) << rows[2];
  EXPECT_EQ(std::count(rows[2].begin(), rows[2].end(), ' '), 1) << rows[2];
  EXPECT_EQ(rows[3], "1020,faults[2],link,inject,streams/client/single streams/origin-a streams/origin-b");
  EXPECT_NE(timeline.find("1200,faults[0],partition,heal,"), std::string::npos) << timeline;
  // The same scenario twice gives the same picks.
  const fs::path again = t.path / "again";
  ASSERT_EQ(run({"run", source("tests/data/good/faults_on_hosts.yaml"), "--out", again.string(), "--quiet"}).code, 0);
  EXPECT_EQ(read_file(again / "faults" / "p0_r0.csv"), timeline);
}

TEST(Hardening, FilesAScenarioNamesAreBoundedAndRegular) {
  // The documented limits (docs/scenarios.md): a scenario file is at most 4 MiB, extends chains at most 16 deep,
  // a replay CSV at most 256 MiB; only regular files are read. Sizes are checked before reading (the large files
  // here are sparse: they take no disk).
  TempDir t;
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(t.path / name) << text;
    return (t.path / name).string();
  };
  const std::string big = write("big.yaml", "name: big\n");
  fs::resize_file(big, (4u << 20) + 1);
  expect_usage(run({"validate", big}), "4194305 bytes, above the limit of 4194304");
  fs::create_directories(t.path / "a-dir.yaml");
  expect_usage(run({"validate", (t.path / "a-dir.yaml").string()}), "is a directory");
  expect_usage(run({"validate", write("dev.yaml", "extends: /dev/zero\nname: dev\n")}), "not a regular file");
  // A chain of 18 files: each extends the next.
  for (int i = 0; i < 18; ++i) write(fmt::format("chain{}.yaml", i), fmt::format("extends: chain{}.yaml\nname: c\n", i + 1));
  write("chain18.yaml", "name: c\n");
  expect_usage(run({"validate", (t.path / "chain0.yaml").string()}), "more than 16 files deep in extends chains");
  const std::string huge_csv = write("huge.csv", "timestamp,price\n0,1\n");
  fs::resize_file(huge_csv, (256u << 20) + 1);
  const std::string replay = "name: r\nassets: [{ name: A, process: { kind: replay, csv: ";
  expect_usage(run({"validate", write("huge.yaml", replay + "huge.csv } }]\n")}), "above the limit of 268435456");
  fs::create_directories(t.path / "dir.csv");
  expect_usage(run({"validate", write("dircsv.yaml", replay + "dir.csv } }]\n")}), "is a directory");
}
