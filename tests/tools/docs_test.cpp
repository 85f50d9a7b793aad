// The docs' examples work as written. Every ```yaml block in README.md and docs/*.md carries a marker line before
// it (docs/analysis.md, "Examples that are tested"):
//   <!-- doc-test: scenario -->                  the block is a whole scenario: `oraclesim validate` accepts it
//   <!-- doc-test: scenario extends FILE -->     the block is part of one: `extends: FILE` (from the repository
//                                                root) and the block validate
// and each marked block is checked here. The Python blocks marked `<!-- doc-test: python -->` run in
// tests/tools/pandas_test.py.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/tools/cli_run.hpp"

namespace fs = std::filesystem;
using namespace oraclesim_test;

namespace {

struct Block {
  std::string where;   // file:line of the fence
  std::string marker;  // the marker's text after "doc-test:", "" when unmarked
  std::string language;
  std::string text;
};

std::vector<Block> blocks_of(const fs::path& file) {
  std::vector<Block> out;
  const auto lines = lines_of(read_file(file));
  const std::string open = "<!-- doc-test:", close = "-->";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("```", 0) != 0 || lines[i].size() == 3) continue;
    Block b;
    b.where = file.filename().string() + ":" + std::to_string(i + 1);
    b.language = lines[i].substr(3);
    if (i > 0 && lines[i - 1].rfind(open, 0) == 0 && lines[i - 1].find(close) != std::string::npos) {
      b.marker = lines[i - 1].substr(open.size(), lines[i - 1].find(close) - open.size());
      while (!b.marker.empty() && b.marker.front() == ' ') b.marker.erase(0, 1);
      while (!b.marker.empty() && b.marker.back() == ' ') b.marker.pop_back();
    }
    std::size_t j = i + 1;
    for (; j < lines.size() && lines[j].rfind("```", 0) != 0; ++j) b.text += lines[j] + "\n";
    out.push_back(std::move(b));
    i = j;
  }
  return out;
}

std::vector<fs::path> doc_files() {
  std::vector<fs::path> files{source("README.md")};
  for (const auto& e : fs::directory_iterator(source("docs")))
    if (e.path().extension() == ".md") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST(Docs, EveryYamlBlockIsAMarkedScenarioThatValidates) {
  TempDir t;
  std::size_t checked = 0;
  for (const auto& file : doc_files()) {
    for (const auto& b : blocks_of(file)) {
      if (b.language != "yaml") continue;
      if (b.marker.rfind("scenario", 0) != 0) {
        ADD_FAILURE() << b.where << ": a yaml block without a `<!-- doc-test: scenario [extends FILE] -->` line before it";
        continue;
      }
      std::string text = b.text;
      const std::string extends = "scenario extends ";
      if (b.marker.rfind(extends, 0) == 0) text = "extends: " + source(b.marker.substr(extends.size())) + "\n" + text;
      else if (b.marker != "scenario") ADD_FAILURE() << b.where << ": unknown marker '" << b.marker << "'";
      const fs::path f = t.path / ("block" + std::to_string(++checked) + ".yaml");
      std::ofstream(f) << text;
      const Result r = run({"validate", f.string()});
      EXPECT_EQ(r.code, 0) << b.where << " does not validate:\n" << r.out << r.err << "\nthe block as checked:\n" << text;
    }
  }
  EXPECT_GE(checked, 2u);
}

TEST(Docs, PythonBlocksAreMarkedForThePandasTest) {
  std::size_t marked = 0;
  for (const auto& file : doc_files())
    for (const auto& b : blocks_of(file)) {
      if (b.language != "python") continue;
      EXPECT_EQ(b.marker, "python") << b.where << ": a python block the pandas test does not run; mark it "
                                    << "`<!-- doc-test: python -->`";
      marked += b.marker == "python";
    }
  EXPECT_GE(marked, 1u);
}
