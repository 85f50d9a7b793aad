// `oraclesim search` end to end (docs/search.md): the shipped searches find what they claim with the seeds they ship,
// the shrunk counterexample replays with the same fingerprint and equals the checked-in one, results do not depend on
// --jobs, a search resumes from a journal torn by a crash, and bad input exits 2 without writing anything. The long
// searches run in the Release build only (the sanitizer build runs the quick ones).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "tests/tools/cli_run.hpp"

namespace fs = std::filesystem;
using namespace oraclesim_test;

namespace {

#if ORACLESIM_SANITIZED
#define RELEASE_ONLY() GTEST_SKIP() << "a long search: Release build only"
#else
#define RELEASE_ONLY() (void)0
#endif

Result search(const std::string& scenario, const fs::path& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"search", source(scenario), "--out", out.string(), "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run(args);
}

// The `faults:` section of a written scenario (the lines from "faults:" on).
std::string faults_of(const std::string& yaml) {
  const auto at = yaml.find("\nfaults:\n");
  return at == std::string::npos ? std::string() : yaml.substr(at + 1);
}

std::set<std::string> targets_in(const std::string& faults) {
  std::set<std::string> out;
  const std::regex target(R"(target: \[([^\]]*)\])"), name("\"([^\"]+)\"");
  for (std::sregex_iterator it(faults.begin(), faults.end(), target), end; it != end; ++it) {
    const std::string list = (*it)[1];
    for (std::sregex_iterator n(list.begin(), list.end(), name); n != end; ++n) out.insert((*n)[1]);
  }
  return out;
}

std::string fingerprint_in(const std::string& text) {
  std::smatch m;
  return std::regex_search(text, m, std::regex(R"(fingerprint\s+(0x[0-9a-f]{16}))")) ? m[1].str() : std::string();
}

const char* kOutputs[] = {"search.csv", "report.md", "best.yaml", "shrunk.yaml"};

TEST(Search, WithAtMostFFaultyOraclesFindsNoSafetyViolation) {
  RELEASE_ONLY();
  TempDir t;
  const Result r = search("scenarios/search_ocr_safety.yaml", t.path / "s", {"--jobs", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("no schedule broke the objective"), std::string::npos) << r.out;
  ASSERT_EQ(search("scenarios/search_ocr_safety.yaml", t.path / "j1", {"--jobs", "1"}).code, 0);
  for (const char* f : {"search.csv", "report.md", "best.yaml"}) EXPECT_EQ(read_file(t.path / "s" / f), read_file(t.path / "j1" / f)) << f;
  const auto rows = lines_of(read_file(t.path / "s" / "search.csv"));
  ASSERT_EQ(rows.size(), 301u);  // header + the 300 runs of search.budget
  ASSERT_EQ(rows[0].rfind("phase,round,index,origin,objective,liveness_gap_s_max,breaks,", 0), 0u) << rows[0];
  const std::regex unbroken(R"(^search,\d+,\d+,[^,]+,0,[0-9.]+,0,)");  // objective 0, a guide value, breaks 0
  for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_TRUE(std::regex_search(rows[i], unbroken)) << rows[i];
  EXPECT_FALSE(fs::exists(t.path / "s" / "shrunk.yaml"));
}

TEST(Search, WithFPlusOneFindsAViolationShrinksAndReplaysIt) {
  RELEASE_ONLY();
  TempDir t;
  const Result one = search("scenarios/search_ocr_safety/f_plus_1.yaml", t.path / "j1", {"--jobs", "1"});
  ASSERT_EQ(one.code, 0) << one.err;
  const Result two = search("scenarios/search_ocr_safety/f_plus_1.yaml", t.path / "j2", {"--jobs", "2"});
  ASSERT_EQ(two.code, 0) << two.err;
  for (const char* f : kOutputs) EXPECT_EQ(read_file(t.path / "j1" / f), read_file(t.path / "j2" / f)) << f;

  const std::string shrunk = read_file(t.path / "j1" / "shrunk.yaml");
  const auto faulty = targets_in(faults_of(shrunk));
  EXPECT_GE(faulty.size(), 3u) << shrunk;  // f + 1: fewer cannot move the median out of the honest range
  EXPECT_LE(faulty.size(), 3u) << shrunk;
  // The written scenario replays the run: same fingerprint, and the violation.
  const Result replay = run({"run", (t.path / "j1" / "shrunk.yaml").string(), "--out", (t.path / "run").string(), "--quiet"});
  ASSERT_EQ(replay.code, 0) << replay.err;
  EXPECT_EQ(fingerprint_in(replay.out), fingerprint_in(shrunk));
  EXPECT_FALSE(fingerprint_in(shrunk).empty());
  EXPECT_TRUE(std::regex_search(replay.out, std::regex(R"(safety_violations\s+[1-9])"))) << replay.out;
  // The checked-in counterexample is this search's.
  EXPECT_EQ(faults_of(read_file(source("scenarios/search_ocr_safety/f_plus_1_shrunk.yaml"))), faults_of(shrunk));
  EXPECT_EQ(fingerprint_in(read_file(source("scenarios/search_ocr_safety/f_plus_1_shrunk.yaml"))), fingerprint_in(shrunk));
}

TEST(Search, StreamsFailoverFindsALongerGapThanTheShippedOutage) {
  RELEASE_ONLY();
  TempDir t;
  const Result r = search("scenarios/search_streams_gap.yaml", t.path / "s", {"--jobs", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::smatch threshold, best;
  ASSERT_TRUE(std::regex_search(r.out, threshold, std::regex(R"(threshold ([0-9.]+): the scenario as written)"))) << r.out;
  ASSERT_TRUE(std::regex_search(r.out, best, std::regex(R"(best: single.client_gap_s_max = ([0-9.]+))"))) << r.out;
  EXPECT_GT(std::stod(best[1]), std::stod(threshold[1]));
  const std::string shrunk = read_file(t.path / "s" / "shrunk.yaml");
  ASSERT_FALSE(shrunk.empty()) << r.out;
  const Result one = search("scenarios/search_streams_gap.yaml", t.path / "j1", {"--jobs", "1"});
  ASSERT_EQ(one.code, 0) << one.err;
  for (const char* f : kOutputs) EXPECT_EQ(read_file(t.path / "s" / f), read_file(t.path / "j1" / f)) << f;
  EXPECT_EQ(faults_of(read_file(source("scenarios/search_streams_gap/shrunk.yaml"))), faults_of(shrunk));
  EXPECT_EQ(fingerprint_in(read_file(source("scenarios/search_streams_gap/shrunk.yaml"))), fingerprint_in(shrunk));
  // At most one outage of at most 10 minutes, and at most two other faults.
  const auto faults = lines_of(faults_of(shrunk));
  EXPECT_LE(faults.size(), 4u);
}

// A crash leaves finished runs in the journal and may tear its last line; --resume runs only what is missing and
// writes what an uninterrupted search writes.
TEST(Search, ResumesFromATornJournal) {
  TempDir t;
  const std::vector<std::string> small = {"--budget", "10", "--jobs", "2"};
  ASSERT_EQ(search("scenarios/search_ocr_safety/f_plus_1.yaml", t.path / "whole", small).code, 0);
  const auto journal = lines_of(read_file(t.path / "whole" / "journal.tsv"));
  ASSERT_GT(journal.size(), 8u);
  fs::create_directories(t.path / "torn");
  {
    std::ofstream out(t.path / "torn" / "journal.tsv", std::ios::binary);
    for (std::size_t i = 0; i < 8; ++i) out << journal[i] << "\n";  // the header and six runs
    out << journal[8].substr(0, journal[8].size() / 2);             // torn mid-line
  }
  const Result resumed = search("scenarios/search_ocr_safety/f_plus_1.yaml", t.path / "torn",
                                {"--budget", "10", "--jobs", "2", "--resume"});
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("(6 reused from the journal)"), std::string::npos) << resumed.out;
  for (const char* f : kOutputs) EXPECT_EQ(read_file(t.path / "whole" / f), read_file(t.path / "torn" / f)) << f;

  // Resumed with a budget too small to find a violation: no shrunk.yaml of the earlier search stays behind.
  const Result smaller = search("scenarios/search_ocr_safety/f_plus_1.yaml", t.path / "torn", {"--budget", "1", "--resume"});
  ASSERT_EQ(smaller.code, 0) << smaller.err;
  EXPECT_EQ(fs::exists(t.path / "torn" / "shrunk.yaml"), smaller.out.find("shrunk counterexample") != std::string::npos) << smaller.out;

  // Another search's journal is refused.
  const Result other = search("scenarios/search_ocr_safety.yaml", t.path / "torn", {"--budget", "10", "--resume"});
  EXPECT_EQ(other.code, 2);
  EXPECT_NE(other.err.find("different search"), std::string::npos) << other.err;
}

// Killed or interrupted, a search keeps every finished run; --resume completes it as if nothing happened.
TEST(Search, KilledOrInterruptedAndResumedEqualsUninterrupted) {
  TempDir t;
  const std::string scenario = "scenarios/search_ocr_safety/f_plus_1.yaml";
  const std::vector<std::string> small = {"--budget", "10", "--jobs", "2"};
  ASSERT_EQ(search(scenario, t.path / "whole", small).code, 0);
  const auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), small.begin(), small.end());
    return args;
  };
  for (const bool kill : {true, false}) {
    const std::string hook = kill ? "ORACLESIM_TEST_KILL_AFTER=7 " : "ORACLESIM_TEST_SIGINT_AFTER=7 ";
    SCOPED_TRACE(hook);
    const fs::path dir = t.path / (kill ? "killed" : "interrupted");
    std::vector<std::string> args = {"search", source(scenario), "--out", dir.string()};
    const auto first = run(with(args), hook);
    EXPECT_EQ(first.code, kill ? 128 + 9 : 128 + 2) << first.err;
    if (!kill) {
      EXPECT_NE(first.err.find("--resume"), std::string::npos) << first.err;
    }
    EXPECT_FALSE(fs::exists(dir / "report.md"));
    args.push_back("--resume");
    args.push_back("--quiet");
    const auto resumed = run(with(args));
    ASSERT_EQ(resumed.code, 0) << resumed.err;
    EXPECT_NE(resumed.out.find("reused from the journal"), std::string::npos);
    EXPECT_EQ(resumed.out.find("(0 reused"), std::string::npos) << resumed.out;
    for (const char* f : kOutputs) EXPECT_EQ(read_file(t.path / "whole" / f), read_file(dir / f)) << f;
  }
}

TEST(Search, BadInputExitsTwoWithoutWritingAnything) {
  TempDir t;
  const fs::path out = t.path / "out";
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"search", source("scenarios/quickstart.yaml"), "--objective", "engine_scheduled"}, "no search.faults"},
      {{"search", source("scenarios/search_ocr_safety.yaml"), "--objective", "safety_violation"}, "'safety_violation' is not a metric"},
      {{"search", source("scenarios/search_ocr_safety.yaml"), "--objective", "single.client_gap_s_max"},
       "this scenario's runs do not report 'single.client_gap_s_max'"},
      {{"search", source("scenarios/search_ocr_safety.yaml"), "--budget", "0"}, "--budget"},
      {{"search", source("scenarios/search_ocr_safety.yaml"), "--jobs", "0"}, "--jobs"},
  };
  for (const auto& c : cases) {
    auto args = c.args;
    args.insert(args.end(), {"--out", out.string(), "--quiet"});
    const Result r = run(args);
    EXPECT_EQ(r.code, 2) << c.says << "\n" << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out)) << c.says;
  }
  std::ofstream(t.path / "file") << "x";
  for (const fs::path& bad : {t.path / "file", t.path / "file" / "sub"}) {
    const Result r = run({"search", source("scenarios/search_ocr_safety.yaml"), "--out", bad.string()});
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("is not a directory"), std::string::npos) << r.err;
  }
}

}  // namespace
