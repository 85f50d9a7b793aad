// Saved expected runs: every scenario shipped in scenarios/ and its sub-folders (the variant families) runs (its base
// scenario, sweep ignored, replication 0, as `oraclesim run` does) and must reproduce the fingerprint of its event
// sequence and its event count, saved in tests/data/golden/<path with '/' as '__'>.golden. A deliberate model change updates them in the same commit, saying why:
//   ORACLESIM_UPDATE_GOLDEN=1 build/release/tests/tools_tests --gtest_filter='Golden.*'
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

std::string run_record(const fs::path& file) {
  const auto study = models::scenario::single_run(models::scenario::load_study(file.string()));
  const auto& cfg = study.points.at(0).config;
  const auto r = analysis::run_one(cfg, sim::replication_seed(cfg.seed, 0), 0);
  return fmt::format("fingerprint {:016x}\nevents {}\n", r.fingerprint, r.events);
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
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
    const std::string got = run_record(file);
    if (update) {
      std::ofstream(golden) << got;
      continue;
    }
    ASSERT_TRUE(fs::exists(golden)) << "no saved run for " << file
                                    << "; create it with ORACLESIM_UPDATE_GOLDEN=1 (see this test's header)";
    EXPECT_EQ(got, read(golden)) << "the run of " << file
                                 << " changed; if the change is deliberate, update the saved run and say why";
  }
  fs::current_path(cwd);
}
