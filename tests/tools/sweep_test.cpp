// oraclesim sweep/run end to end: results are byte-identical for any --jobs, a sweep killed part-way and
// resumed ends with the same runs.csv with no run executed twice, and added replications reuse finished runs.
// runs.csv is compared on every column except wall_s (the only nondeterministic one).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "tests/tools/cli_run.hpp"

namespace fs = std::filesystem;
using namespace oraclesim_test;

namespace {

const std::string kSweep = source("tests/data/good/sweep.yaml");  // 2 x 2 points x 3 replications

Result sweep(const fs::path& out, std::vector<std::string> extra = {}, const std::string& env = "",
             const std::string& file = kSweep) {
  std::vector<std::string> args = {"sweep", file, "--out", out.string(), "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run(args, env);
}

}  // namespace

TEST(Sweep, WritesRunsSummaryManifestAndSeries) {
  TempDir t;
  const Result r = sweep(t.path / "a", {"--jobs", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto runs = lines_of(read_file(t.path / "a" / "runs.csv"));
  ASSERT_EQ(runs.size(), 1u + 12u);
  EXPECT_EQ(runs[0].rfind("point,replication,seed,demo.lps,demo.population,warmup_s,engine_peak_pending,", 0), 0u) << runs[0];
  EXPECT_EQ(runs[1].rfind("0,0,", 0), 0u);
  EXPECT_EQ(runs[12].rfind("3,2,", 0), 0u);
  // Common random numbers: replication r has the same seed at every point.
  std::map<std::string, std::set<std::string>> seeds_by_rep;
  for (std::size_t i = 1; i < runs.size(); ++i) {
    std::istringstream in(runs[i]);
    std::string point, rep, seed;
    std::getline(in, point, ',');
    std::getline(in, rep, ',');
    std::getline(in, seed, ',');
    seeds_by_rep[rep].insert(seed);
  }
  ASSERT_EQ(seeds_by_rep.size(), 3u);
  for (const auto& [rep, seeds] : seeds_by_rep) EXPECT_EQ(seeds.size(), 1u) << "replication " << rep;
  EXPECT_NE(*seeds_by_rep["0"].begin(), *seeds_by_rep["1"].begin());

  const auto summary = lines_of(read_file(t.path / "a" / "summary.csv"));
  // A swept duration is a number of seconds in a column that says so; the value as written is in the manifest.
  EXPECT_EQ(summary[0], "point,demo.lps,demo.population,warmup_s,metric,n,mean,sd,ci95_low,ci95_high,min,max");
  EXPECT_NE(read_file(t.path / "a" / "summary.csv").find("\n3,8,2,0.05,phold_events,3,"), std::string::npos);
  const std::string manifest = read_file(t.path / "a" / "manifest.json");
  for (const char* key : {"\"git_commit\"", "\"scenario_hash\"", "\"seeds\"", "\"started_at\"", "\"finished_at\"",
                          "\"host\"", "\"threads\": 2", "\"command_line\"", "\"demo.lps\": 8",
                          "\"sweep\": {", "\"grid\": {", "\"zip\": {", "\"50ms\"", "\"warmup_s\""})
    EXPECT_NE(manifest.find(key), std::string::npos) << key;
  EXPECT_TRUE(fs::exists(t.path / "a" / "timeseries" / "p3_r2.csv"));
  EXPECT_EQ(lines_of(read_file(t.path / "a" / "timeseries" / "p0_r0.csv"))[0], "series,t_s,value");
}

TEST(Sweep, ByteIdenticalForAnyJobs) {
  TempDir t;
  ASSERT_EQ(sweep(t.path / "j1", {"--jobs", "1"}).code, 0);
  ASSERT_EQ(sweep(t.path / "j2", {"--jobs", "2"}).code, 0);
  ASSERT_EQ(sweep(t.path / "j3", {"--jobs", "3"}).code, 0);
  const std::string a = without_wall(read_file(t.path / "j1" / "runs.csv"));
  EXPECT_EQ(lines_of(a).size(), 13u);
  EXPECT_EQ(a, without_wall(read_file(t.path / "j2" / "runs.csv")));
  EXPECT_EQ(a, without_wall(read_file(t.path / "j3" / "runs.csv")));
  EXPECT_EQ(read_file(t.path / "j1" / "summary.csv"), read_file(t.path / "j2" / "summary.csv"));
  EXPECT_EQ(read_file(t.path / "j1" / "summary.csv"), read_file(t.path / "j3" / "summary.csv"));
  for (const auto& f : fs::directory_iterator(t.path / "j1" / "timeseries"))
    EXPECT_EQ(read_file(f.path()), read_file(t.path / "j2" / "timeseries" / f.path().filename())) << f.path();
}

TEST(Sweep, KilledAndResumedEqualsUninterruptedAndRunsEachOnce) {
  TempDir t;
  ASSERT_EQ(sweep(t.path / "full", {"--jobs", "1"}).code, 0);
  const fs::path log = t.path / "runs.log";
  const std::string env = "ORACLESIM_TEST_RUN_LOG=" + quote(log.string()) + " ";
  const Result killed = sweep(t.path / "r", {"--jobs", "1"}, env + "ORACLESIM_TEST_KILL_AFTER=5 ");
  EXPECT_EQ(killed.code, 128 + 9) << killed.err;  // SIGKILL
  EXPECT_FALSE(fs::exists(t.path / "r" / "runs.csv"));
  EXPECT_EQ(lines_of(read_file(log)).size(), 5u);

  const Result resumed = sweep(t.path / "r", {"--jobs", "2", "--resume"}, env);
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_EQ(without_wall(read_file(t.path / "r" / "runs.csv")), without_wall(read_file(t.path / "full" / "runs.csv")));
  EXPECT_EQ(read_file(t.path / "r" / "summary.csv"), read_file(t.path / "full" / "summary.csv"));
  const auto started = lines_of(read_file(log));
  EXPECT_EQ(started.size(), 12u);
  EXPECT_EQ(std::set<std::string>(started.begin(), started.end()).size(), 12u) << "a run was executed twice";

  // Resuming a finished sweep runs nothing.
  ASSERT_EQ(sweep(t.path / "r", {"--resume"}, env).code, 0);
  EXPECT_EQ(lines_of(read_file(log)).size(), 12u);
}

TEST(Sweep, TornJournalLineIsIgnoredOnResume) {
  TempDir t;
  ASSERT_EQ(sweep(t.path / "full", {"--jobs", "2"}).code, 0);
  ASSERT_EQ(sweep(t.path / "r", {"--jobs", "1"}, "ORACLESIM_TEST_KILL_AFTER=3 ").code, 128 + 9);
  {
    std::ofstream j(t.path / "r" / "runs.jsonl", std::ios::app);
    j << "{\"point\":3,\"replication\":";  // a write cut short by a crash
  }
  ASSERT_EQ(sweep(t.path / "r", {"--resume"}).code, 0);
  EXPECT_EQ(without_wall(read_file(t.path / "r" / "runs.csv")), without_wall(read_file(t.path / "full" / "runs.csv")));
}

TEST(Sweep, AddedReplicationsReuseFinishedRuns) {
  TempDir t;
  ASSERT_EQ(sweep(t.path / "full", {"--jobs", "2"}).code, 0);
  const fs::path log = t.path / "runs.log";
  const std::string env = "ORACLESIM_TEST_RUN_LOG=" + quote(log.string()) + " ";
  ASSERT_EQ(sweep(t.path / "r", {"--jobs", "2"}, env, source("tests/data/good/sweep_r2.yaml")).code, 0);
  EXPECT_EQ(lines_of(read_file(t.path / "r" / "runs.csv")).size(), 1u + 8u);
  ASSERT_EQ(sweep(t.path / "r", {"--jobs", "2", "--resume"}, env).code, 0);
  const auto started = lines_of(read_file(log));
  EXPECT_EQ(started.size(), 12u);  // 8 + the 4 runs of replication 2
  EXPECT_EQ(std::set<std::string>(started.begin(), started.end()).size(), 12u);
  EXPECT_EQ(without_wall(read_file(t.path / "r" / "runs.csv")), without_wall(read_file(t.path / "full" / "runs.csv")));
}

TEST(Sweep, ResumeRefusesADifferentScenario) {
  TempDir t;
  ASSERT_EQ(sweep(t.path / "r", {}, "", source("tests/data/good/sweep_r2.yaml")).code, 0);
  const std::string before = read_file(t.path / "r" / "runs.csv");
  const Result r = sweep(t.path / "r", {"--resume"}, "", source("tests/data/good/sweep_other.yaml"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("different scenario"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(t.path / "r" / "runs.csv"), before);
  const Result s = sweep(t.path / "r", {"--resume", "--set", "duration=300ms"});
  EXPECT_EQ(s.code, 2);
}

TEST(Run, PrintsMetricsAndWritesOneRun) {
  TempDir t;
  const Result r = run({"run", source("tests/data/good/small.yaml"), "--out", (t.path / "o").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("phold_events_per_s"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fingerprint"), std::string::npos);
  const auto runs = lines_of(read_file(t.path / "o" / "runs.csv"));
  ASSERT_EQ(runs.size(), 2u);
  // The same run with --seed differs; with --set of the same seed it is identical.
  const Result again = run({"run", source("tests/data/good/small.yaml"), "--out", (t.path / "o2").string(), "--set", "seed=7"});
  ASSERT_EQ(again.code, 0);
  EXPECT_EQ(without_wall(read_file(t.path / "o2" / "runs.csv")), without_wall(read_file(t.path / "o" / "runs.csv")));
  const Result other = run({"run", source("tests/data/good/small.yaml"), "--out", (t.path / "o3").string(), "--seed", "8"});
  ASSERT_EQ(other.code, 0);
  EXPECT_NE(without_wall(read_file(t.path / "o3" / "runs.csv")), without_wall(read_file(t.path / "o" / "runs.csv")));
}

TEST(Cli, VersionHelpDescribe) {
  const Result v = run({"--version"});
  EXPECT_EQ(v.code, 0);
  EXPECT_EQ(v.out.rfind("oraclesim 0.", 0), 0u) << v.out;
  EXPECT_NE(v.out.find("commit"), std::string::npos);
  for (const char* cmd : {"run", "sweep", "merge", "validate", "describe", "bench"}) {
    const Result h = run({cmd, "--help"});
    EXPECT_EQ(h.code, 0) << cmd;
    EXPECT_NE(h.out.find("Usage"), std::string::npos) << cmd;
  }
  const Result d = run({"describe", "demo.lps"});
  EXPECT_EQ(d.code, 0);
  EXPECT_NE(d.out.find("default: 64"), std::string::npos) << d.out;
  // A list's key without its [] is understood: feeds.ocr is feeds[].ocr.
  const Result bare = run({"describe", "feeds.ocr"});
  EXPECT_EQ(bare.code, 0) << bare.err;
  EXPECT_EQ(bare.out, run({"describe", "feeds[].ocr"}).out);
  EXPECT_NE(bare.out.find("feeds[].ocr.link_per_eth"), std::string::npos) << bare.out;
  EXPECT_EQ(run({"describe", "feeds.nonsense"}).code, 2);
  const Result ok = run({"validate", kSweep});
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.out.find("4 points x 3 replications = 12 runs"), std::string::npos) << ok.out;
}

TEST(Sweep, TheOneWorldScenarioSweepsEveryPointAndReplication) {
  // scenarios/one_world.yaml (feeds, requests and streams on one chain): its 2 points x 2 replications, shortened.
  TempDir t;
  const Result r = sweep(t.path / "w", {"--jobs", "2", "--set", "duration=20min", "--set", "warmup=5min", "--set",
                          "faults[0].allow_after_end=true", "--set", "faults[1].allow_after_end=true"}, "",
                         source("scenarios/one_world.yaml"));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto runs = lines_of(read_file(t.path / "w" / "runs.csv"));
  ASSERT_EQ(runs.size(), 1u + 4u);
  EXPECT_NE(runs[0].find("feeds[1].oracles"), std::string::npos);
  for (const char* m : {"eth-usd.updates", "btc-usd.epochs", "requests", "ha.client_gap_s_max", "chain_gas_streams"})
    EXPECT_NE(runs[0].find(m), std::string::npos) << m;
  // The manifest carries typed entries for readers: the swept key's unit and numbers, the fault windows in seconds.
  const std::string manifest = read_file(t.path / "w" / "manifest.json");
  for (const char* entry : {R"("units": [)", R"("nodes")", R"("numbers": [)", R"("fault_windows": [)", R"("at_s": 1200.0)",
                            R"("duration_s": 3600.0)", R"("kind": "congestion")", R"("report": {)"})
    EXPECT_NE(manifest.find(entry), std::string::npos) << entry;
}

namespace {

// manifest.json without the fields that differ between a single sweep and a merge by design (wall clock, host,
// threads, the command line), line by line.
std::string manifest_without_wall(const std::string& json) {
  std::string out;
  bool in_command = false;
  for (const auto& line : lines_of(json)) {
    if (line.find("\"command_line\"") != std::string::npos) in_command = line.find(']') == std::string::npos;
    else if (in_command) {
      if (line.find(']') != std::string::npos) in_command = false;
    } else if (line.find("\"started_at\"") == std::string::npos && line.find("\"finished_at\"") == std::string::npos &&
               line.find("\"host\"") == std::string::npos && line.find("\"threads\"") == std::string::npos) {
      out += line + "\n";
    }
  }
  return out;
}

Result merge(const std::vector<fs::path>& shards, const fs::path& out) {
  std::vector<std::string> args{"merge"};
  for (const auto& s : shards) args.push_back(s.string());
  args.insert(args.end(), {"--out", out.string(), "--quiet"});
  return run(args);
}

}  // namespace

// Three shards of a sweep (a job array's tasks), one of them killed and resumed, merge into exactly what one
// sweep writes: runs.csv (wall_s aside), summary.csv, the per-run series and the manifest (wall-clock fields aside).
TEST(Shards, ThreeShardsMergedEqualTheSingleSweep) {
  TempDir t;
  ASSERT_EQ(sweep(t.path / "full", {"--jobs", "1"}).code, 0);
  std::vector<fs::path> shards;
  for (int i = 0; i < 3; ++i) shards.push_back(t.path / ("shard-" + std::to_string(i)));
  ASSERT_EQ(sweep(shards[0], {"--shard", "0/3", "--jobs", "2"}).code, 0);
  const Result killed = sweep(shards[1], {"--shard", "1/3", "--jobs", "1"}, "ORACLESIM_TEST_KILL_AFTER=2 ");
  EXPECT_EQ(killed.code, 128 + 9);
  const Result early = merge(shards, t.path / "early");  // shard 2 is missing, shard 1 unfinished
  EXPECT_EQ(early.code, 2);
  EXPECT_NE(early.err.find("not finished (2 of 4 runs)"), std::string::npos) << early.err;
  EXPECT_FALSE(fs::exists(t.path / "early"));
  // A shard resumes as itself only.
  const Result wrong = sweep(shards[1], {"--shard", "2/3", "--resume"});
  EXPECT_EQ(wrong.code, 2);
  EXPECT_NE(wrong.err.find("it holds shard 1/3, this sweep is shard 2/3"), std::string::npos) << wrong.err;
  ASSERT_EQ(sweep(shards[1], {"--shard", "1/3", "--resume"}).code, 0);
  const Result missing = merge({shards[0], shards[1]}, t.path / "m2");
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("shard(s) 2 of 3 missing"), std::string::npos) << missing.err;
  ASSERT_EQ(sweep(shards[2], {"--shard", "2/3"}).code, 0);

  const Result ok = merge(shards, t.path / "merged");
  ASSERT_EQ(ok.code, 0) << ok.err;
  const fs::path full = t.path / "full", merged = t.path / "merged";
  EXPECT_EQ(without_wall(read_file(merged / "runs.csv")), without_wall(read_file(full / "runs.csv")));
  EXPECT_EQ(read_file(merged / "summary.csv"), read_file(full / "summary.csv"));
  EXPECT_EQ(manifest_without_wall(read_file(merged / "manifest.json")), manifest_without_wall(read_file(full / "manifest.json")));
  std::size_t series = 0;
  for (const auto& f : fs::directory_iterator(full / "timeseries")) {
    EXPECT_EQ(read_file(f.path()), read_file(merged / "timeseries" / f.path().filename())) << f.path();
    ++series;
  }
  EXPECT_EQ(series, 12u);
  // The merged directory reports and resumes as a single sweep's.
  EXPECT_EQ(sweep(merged, {"--resume"}).code, 0);
  EXPECT_EQ(without_wall(read_file(merged / "runs.csv")), without_wall(read_file(full / "runs.csv")));
  // Merging again into a directory with results is refused.
  EXPECT_EQ(merge(shards, merged).code, 2);
}

// Shards of different sweeps are refused, and so are a shard given twice and a directory that is no shard.
TEST(Shards, MismatchedShardsAreRefused) {
  TempDir t;
  ASSERT_EQ(sweep(t.path / "a0", {"--shard", "0/2"}).code, 0);
  ASSERT_EQ(sweep(t.path / "a1", {"--shard", "1/2"}).code, 0);
  ASSERT_EQ(sweep(t.path / "b1", {"--shard", "1/2", "--set", "seed=99"}).code, 0);
  ASSERT_EQ(sweep(t.path / "c1", {"--shard", "1/3"}).code, 0);
  ASSERT_EQ(sweep(t.path / "whole", {}).code, 0);
  const Result seed = merge({t.path / "a0", t.path / "b1"}, t.path / "m1");
  EXPECT_EQ(seed.code, 2);
  EXPECT_NE(seed.err.find("shards of different sweeps"), std::string::npos) << seed.err;
  const Result count = merge({t.path / "a0", t.path / "c1"}, t.path / "m2");
  EXPECT_EQ(count.code, 2);
  EXPECT_NE(count.err.find("shard counts differ"), std::string::npos) << count.err;
  const Result twice = merge({t.path / "a0", t.path / "a0", t.path / "a1"}, t.path / "m3");
  EXPECT_EQ(twice.code, 2);
  EXPECT_NE(twice.err.find("given twice"), std::string::npos) << twice.err;
  const Result whole = merge({t.path / "whole"}, t.path / "m4");
  EXPECT_EQ(whole.code, 2);
  EXPECT_NE(whole.err.find("not a shard"), std::string::npos) << whole.err;
  for (const char* m : {"m1", "m2", "m3", "m4"}) EXPECT_FALSE(fs::exists(t.path / m)) << m;
  for (const char* bad : {"3/3", "1", "a/2", "0/0", "-1/2"}) {
    const Result r = sweep(t.path / "x", {"--shard", bad});
    EXPECT_EQ(r.code, 2) << bad;
    EXPECT_NE(r.err.find("--shard: expected I/N"), std::string::npos) << bad << ": " << r.err;
  }
  // A directory with leftovers of other results is no place to merge into.
  fs::create_directories(t.path / "stale");
  { std::ofstream(t.path / "stale" / "summary.csv") << "old\n"; }
  EXPECT_EQ(merge({t.path / "a0", t.path / "a1"}, t.path / "stale").code, 2);
  // Only the journaled runs' files are merged: a stray file in a shard is left behind.
  { std::ofstream(t.path / "a0" / "timeseries" / "p99_r99.csv") << "series,t_s,value\n"; }
  EXPECT_EQ(merge({t.path / "a0", t.path / "a1"}, t.path / "ok").code, 0);
  EXPECT_TRUE(fs::exists(t.path / "ok" / "timeseries" / "p0_r0.csv"));
  EXPECT_FALSE(fs::exists(t.path / "ok" / "timeseries" / "p99_r99.csv"));
}

TEST(Sweep, TheEcosystemDaySweepsAndItsReportShowsStalenessPerFeedWithTheCongestion) {
  // scenarios/ecosystem_day.yaml shortened to 40 minutes with its congestion moved into them: both gas limits, one
  // replication each, then the report.
  TempDir t;
  const fs::path out = t.path / "eco";
  const Result r = sweep(out, {"--jobs", "2", "--set", "duration=40min", "--set", "warmup=5min", "--set",
                               "faults[0].at=20min", "--set", "faults[0].duration=10min", "--set", "sweep.replications=1"},
                         "", source("scenarios/ecosystem_day.yaml"));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto runs = lines_of(read_file(out / "runs.csv"));
  ASSERT_EQ(runs.size(), 1u + 2u);
  for (const char* m : {"eth-usd.staleness_s_p99_congested", "fx-02-usd.staleness_s_max_uncongested",
                        "block_oracle_gas_share_p99", "expired", "trade_latency_s", "small-10-usd.gas_per_update"})
    EXPECT_NE(runs[0].find(m), std::string::npos) << m;
  const Result rep = run({"report", out.string()});
  ASSERT_EQ(rep.code, 0) << rep.err;
  const std::string html = read_file(out / "report.html");
  EXPECT_NE(html.find("staleness_p0_r0.png"), std::string::npos);
  EXPECT_NE(html.find("Answer age of every feed"), std::string::npos);
  EXPECT_TRUE(fs::file_size(out / "staleness_p0_r0.png") > 0);
  // Every feed is a row of the heat map, and the congestion is outlined and labelled on it.
  const std::string gp = read_file(out / "report_plots.gp");
  const auto at = gp.find("# Answer age of every feed");
  ASSERT_NE(at, std::string::npos);
  const std::string staleness = gp.substr(at, gp.find("\n# ", at + 1) - at);
  EXPECT_NE(staleness.find("with image"), std::string::npos);
  EXPECT_NE(staleness.find("front fs empty border"), std::string::npos);
  EXPECT_NE(staleness.find("'congestion'"), std::string::npos);
  for (const char* feed : {"'eth-usd'", "'usdc-usd'", "'fx-02-usd'", "'small-10-usd'"})
    EXPECT_NE(staleness.find(feed), std::string::npos) << feed;
}
