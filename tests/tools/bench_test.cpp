// oraclesim bench ecosystem: the generated scenario is a valid scenario file, and the benchmark reports its figures;
// the same arguments give the same run (fingerprint).
#include <fstream>
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "tests/tools/cli_run.hpp"

using namespace oraclesim_test;
namespace fs = std::filesystem;

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
  const std::regex fp("fingerprint=(0x[0-9a-f]{16})"), ev("events=([0-9]+)");
  std::smatch ma, mb;
  ASSERT_TRUE(std::regex_search(a.out, ma, fp));
  ASSERT_TRUE(std::regex_search(b.out, mb, fp));
  EXPECT_EQ(ma[1].str(), mb[1].str());
  ASSERT_TRUE(std::regex_search(a.out, ma, ev));
  EXPECT_GT(std::stoull(ma[1].str()), 10'000u);
  // Bad arguments: exit 2 with the range.
  const Result bad = run({"bench", "ecosystem", "--feeds", "0"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("--feeds"), std::string::npos) << bad.err;
}
