// Saved expected runs: every scenario shipped in scenarios/ and its sub-folders (the variant families) runs (its base
// scenario, sweep ignored, replication 0, as `oraclesim run` does) and must reproduce the fingerprint of its event
// sequence, its event count and every metric of that run (each value printed with 17 significant digits, so any
// change shows), saved in tests/data/golden/<path with '/' as '__'>.golden. A deliberate model change updates them
// in the same commit, saying why:
//   ORACLESIM_UPDATE_GOLDEN=1 build/release/tests/tools_tests --gtest_filter='Golden.*'
// A long scenario's saved run may be a shorter one: its golden file starts with `set key.path=value` lines, applied
// as `oraclesim run --set` would (e.g. `set duration=90min` for ecosystem_day.yaml); updating keeps them.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <gtest/gtest.h>

#include "analysis/run.hpp"
#include "analysis/subsystems.hpp"
#include "models/scenario/study.hpp"
#include "sim/random.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kSource = ORACLESIM_SOURCE_DIR;

std::vector<fs::path> shipped_scenarios() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(kSource / "scenarios"))
    if (e.is_regular_file() && e.path().extension() == ".yaml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// "ocr_faults/partition.yaml" -> "ocr_faults__partition.yaml.golden"
std::string golden_name(const fs::path& file) {
  std::string rel = fs::relative(file, kSource / "scenarios").generic_string();
  for (std::size_t i = rel.find('/'); i != std::string::npos; i = rel.find('/', i)) rel.replace(i, 1, "__");
  return rel + ".golden";
}

std::string run_record(const fs::path& file, const std::vector<std::string>& sets) {
  const auto study = models::scenario::single_run(analysis::builtin_registry().load_study(file.string(), sets));
  const auto& cfg = study.points.at(0).config;
  const auto r = analysis::run_one(cfg, sim::replication_seed(cfg.seed, 0), 0);
  std::string out;
  for (const auto& s : sets) out += "set " + s + "\n";
  out += fmt::format("fingerprint {:016x}\nevents {}\n", r.fingerprint, r.events);
  for (const auto& [name, value] : r.metrics.values()) out += fmt::format("metric {} {:.17g}\n", name, value);
  return out;
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// The lines only one side has, as "- saved" / "+ now" (the records are sorted by metric name).
std::string line_diff(const std::string& saved, const std::string& now) {
  const auto a = lines(saved), b = lines(now);
  std::string out;
  for (const auto& l : a)
    if (std::find(b.begin(), b.end(), l) == b.end()) out += "  - " + l + "\n";
  for (const auto& l : b)
    if (std::find(a.begin(), a.end(), l) == a.end()) out += "  + " + l + "\n";
  return out;
}

}  // namespace

TEST(Golden, EveryShippedScenarioReproducesItsSavedRun) {
  // Scenarios name data files relative to the repository root (as `tools/dev run` runs them).
  const fs::path cwd = fs::current_path();
  fs::current_path(kSource);
  const bool update = std::getenv("ORACLESIM_UPDATE_GOLDEN") != nullptr;
  const auto files = shipped_scenarios();
  ASSERT_FALSE(files.empty());
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const fs::path golden = kSource / "tests/data/golden" / golden_name(file);
    std::vector<std::string> sets;  // the saved run's `set` lines
    if (fs::exists(golden))
      for (const auto& l : lines(read(golden)))
        if (l.rfind("set ", 0) == 0) sets.push_back(l.substr(4));
    const std::string got = run_record(file, sets);
    if (update) {
      std::ofstream(golden) << got;
      continue;
    }
    ASSERT_TRUE(fs::exists(golden)) << "no saved run for " << file
                                    << "; create it with ORACLESIM_UPDATE_GOLDEN=1 (see this test's header)";
    const std::string want = read(golden);
    EXPECT_EQ(got, want) << "the run of " << file << " changed:\n" << line_diff(want, got)
                         << "if the change is deliberate, update the saved run and say why";
  }
  fs::current_path(cwd);
}
