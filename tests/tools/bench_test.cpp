// oraclesim bench ecosystem: the generated scenario is a valid scenario file, and the benchmark reports its figures;
// the same arguments give the same run (fingerprint).
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/tools/cli_run.hpp"

using namespace oraclesim_test;
namespace fs = std::filesystem;

namespace {
// The value of `key=` in a bench line (up to the next space), "" if absent.
std::string field(const std::string& line, const std::string& key) {
  const auto at = line.find(" " + key + "=");
  if (at == std::string::npos) return "";
  const auto begin = at + key.size() + 2;
  return line.substr(begin, line.find_first_of(" \n", begin) - begin);
}
}  // namespace

TEST(BenchEcosystem, PrintsAScenarioThatValidatesAndRuns) {
  TempDir t;
  const Result printed = run({"bench", "ecosystem", "--feeds", "16", "--hours", "0.5", "--print-scenario"});
  ASSERT_EQ(printed.code, 0) << printed.err;
  EXPECT_NE(printed.out.find("name: bench-ecosystem-16"), std::string::npos);
  EXPECT_NE(printed.out.find("duration: 1800s"), std::string::npos);
  EXPECT_NE(printed.out.find("aggregation: flux"), std::string::npos);  // one in ten synthetic feeds (the tenth of 10)
  const fs::path file = t.path / "eco.yaml";
  { std::ofstream(file) << printed.out; }
  const Result valid = run({"validate", file.string()});
  EXPECT_EQ(valid.code, 0) << valid.err;
  EXPECT_NE(valid.out.find("ok (1 point x 1 replication = 1 runs)"), std::string::npos) << valid.out;
}

TEST(BenchEcosystem, ReportsItsFiguresAndIsDeterministic) {
  const std::vector<std::string> args{"bench", "ecosystem", "--feeds", "8", "--hours", "0.05", "--quiet"};
  const Result a = run(args), b = run(args);
  ASSERT_EQ(a.code, 0) << a.err;
  ASSERT_EQ(b.code, 0) << b.err;
  for (const char* field : {"feeds=8 (ocr2 8, flux 0;", "hours=0.05 ", "events=", "cpu_s=", "events_per_cpu_s=",
                            "simulated_per_cpu=", "peak_rss_mib=", "fingerprint=0x"})
    EXPECT_NE(a.out.find(field), std::string::npos) << field << " in " << a.out;
  const std::string fp = field(a.out, "fingerprint");
  ASSERT_EQ(fp.size(), 18u) << a.out;  // 0x and 16 hex digits
  EXPECT_EQ(fp.rfind("0x", 0), 0u);
  EXPECT_EQ(fp, field(b.out, "fingerprint"));
  const std::string events = field(a.out, "events");
  ASSERT_FALSE(events.empty()) << a.out;
  EXPECT_GT(std::stoull(events), 10'000u);
  // Bad arguments: exit 2 with the range.
  const Result bad = run({"bench", "ecosystem", "--feeds", "0"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("--feeds"), std::string::npos) << bad.err;
}
