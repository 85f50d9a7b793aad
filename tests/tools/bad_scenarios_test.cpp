// The corpus of broken scenarios (tests/data/bad/*.yaml): each names, in "# expect: [file:]line:col [key]"
// and "# expect-text: ..." comment lines, what the error message must contain. `validate` and `sweep` must
// exit 2 with those messages, and a failed `sweep` (or `run`, `search`) must not create its output directory.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <sstream>

#include "tests/tools/cli_run.hpp"

namespace fs = std::filesystem;
using namespace oraclesim_test;

namespace {

struct Expectation {
  std::vector<std::string> located;  // "<dir>/<file>:L:C: key"
  std::vector<std::string> texts;
};

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "# expect: [file:]L:C [key]" -> "<file>:L:C:[ key:]"; nullopt when the line is not of that form.
std::optional<std::string> located_of(const fs::path& file, const std::string& line) {
  const std::string prefix = "# expect: ";
  if (line.rfind(prefix, 0) != 0) return std::nullopt;
  std::istringstream words(line.substr(prefix.size()));
  std::string where, key, extra;
  if (!(words >> where)) return std::nullopt;
  words >> key;
  if (words >> extra) return std::nullopt;
  const auto col_colon = where.rfind(':');
  if (col_colon == std::string::npos || col_colon == 0) return std::nullopt;
  const auto line_colon = where.rfind(':', col_colon - 1);
  const std::string l = where.substr(line_colon == std::string::npos ? 0 : line_colon + 1,
                                     col_colon - (line_colon == std::string::npos ? 0 : line_colon + 1));
  const std::string c = where.substr(col_colon + 1);
  if (!all_digits(l) || !all_digits(c)) return std::nullopt;
  const fs::path path = line_colon == std::string::npos
                            ? file
                            : (file.parent_path() / where.substr(0, line_colon)).lexically_normal();
  std::string s = path.string() + ":" + l + ":" + c + ":";
  if (!key.empty()) s += " " + key + ":";
  return s;
}

Expectation expectations_of(const fs::path& file) {
  Expectation e;
  std::istringstream in(read_file(file));
  std::string line;
  const std::string text = "# expect-text: ";
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.pop_back();
    if (const auto loc = located_of(file, line)) e.located.push_back(*loc);
    else if (line.rfind(text, 0) == 0 && line.size() > text.size()) e.texts.push_back(line.substr(text.size()));
  }
  return e;
}

std::vector<fs::path> corpus() {
  std::vector<fs::path> files;
  for (const auto& f : fs::directory_iterator(source("tests/data/bad")))
    if (f.path().extension() == ".yaml") files.push_back(f.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST(BadScenarios, CorpusIsLargeAndEveryFileHasAnExpectation) {
  const auto files = corpus();
  EXPECT_GE(files.size(), 20u);
  for (const auto& f : files) EXPECT_FALSE(expectations_of(f).located.empty()) << f << " has no '# expect:' line";
}

TEST(BadScenarios, ValidateReportsEachErrorWithItsLocationAndKey) {
  for (const auto& f : corpus()) {
    SCOPED_TRACE(f.string());
    const auto e = expectations_of(f);
    const Result r = run({"validate", f.string()});
    EXPECT_EQ(r.code, 2) << r.err;
    for (const auto& s : e.located) EXPECT_NE(r.err.find(s), std::string::npos) << "missing '" << s << "' in:\n" << r.err;
    for (const auto& s : e.texts) EXPECT_NE(r.err.find(s), std::string::npos) << "missing '" << s << "' in:\n" << r.err;
    // Exactly as many errors as expected locations: nothing unexpected is reported.
    const auto lines = static_cast<std::size_t>(std::count(r.err.begin(), r.err.end(), '\n'));
    EXPECT_EQ(lines, e.located.size() + 1) << r.err;
  }
}

TEST(BadScenarios, SweepRunAndSearchFailWithoutWritingAnything) {
  for (const auto& f : corpus()) {
    SCOPED_TRACE(f.string());
    TempDir t;
    const fs::path out = t.path / "out";
    const Result s = run({"sweep", f.string(), "--out", out.string(), "--quiet"});
    EXPECT_EQ(s.code, 2) << s.err;
    EXPECT_FALSE(fs::exists(out));
    const Result r = run({"run", f.string(), "--out", out.string()});
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_FALSE(fs::exists(out));
    const Result q = run({"search", f.string(), "--objective", "engine_scheduled", "--out", out.string(), "--quiet"});
    EXPECT_EQ(q.code, 2) << q.err;
    EXPECT_FALSE(fs::exists(out));
  }
}

TEST(BadScenarios, NothingIsWrittenIntoTheWorkingDirectoryWithoutOut) {
  // Without --out, results go to results/<name> under the working directory: a bad scenario (a name such as
  // "../../x" among them) or a run that fails at run time leaves that directory as it was.
  TempDir t;
  const std::string cd = "cd " + quote(t.path.string()) + " && ";
  for (const auto& f : corpus()) {
    SCOPED_TRACE(f.string());
    EXPECT_EQ(run({"sweep", f.string(), "--quiet"}, cd).code, 2);
    EXPECT_EQ(run({"run", f.string()}, cd).code, 2);
    EXPECT_TRUE(fs::is_empty(t.path));
  }
  EXPECT_EQ(run({"run", source("tests/data/good/small.yaml")}, cd + "ORACLESIM_TEST_FAIL_RUN=1 ").code, 1);
  EXPECT_TRUE(fs::is_empty(t.path));
}

TEST(BadScenarios, BadSetArgumentsAreNamed) {
  const std::string good = source("tests/data/good/small.yaml");
  struct Case {
    std::string set, must_contain;
  };
  const std::vector<Case> cases = {
      {"demo.lps=abc", "--set demo.lps=abc: demo.lps: expected a non-negative integer, got 'abc'"},
      {"demo.lsp=4", "--set demo.lsp=4: demo.lsp: unknown key path 'demo.lsp' (did you mean 'demo.lps'?)"},
      {"demo.lps", "--set demo.lps: expected key.path=value"},
      {"duration=[1s", "--set duration=[1s:"},
      {"duration=5", "--set duration=5: duration: expected a duration with a unit"},
      {"sweep.grid.demo.lps=[1, 2]", "--set sweep.grid.demo.lps=[1, 2]: sweep.grid.demo.lps: only sweep.replications can be set"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.set);
    TempDir t;
    const fs::path out = t.path / "out";
    const Result v = run({"validate", good, "--set", c.set});
    EXPECT_EQ(v.code, 2);
    EXPECT_NE(v.err.find(c.must_contain), std::string::npos) << v.err;
    const Result r = run({"run", good, "--set", c.set, "--out", out.string()});
    EXPECT_EQ(r.code, 2);
    EXPECT_FALSE(fs::exists(out));
  }
}

TEST(BadScenarios, MissingFileAndUsageErrorsExitTwo) {
  EXPECT_EQ(run({"validate", "/nonexistent/x.yaml"}).code, 2);
  EXPECT_EQ(run({"sweep"}).code, 2);
  EXPECT_EQ(run({"frobnicate"}).code, 2);
  EXPECT_EQ(run({"sweep", source("tests/data/good/sweep.yaml"), "--jobs", "0"}).code, 2);
  const Result d = run({"describe", "demo.lsp"});
  EXPECT_EQ(d.code, 2);
  EXPECT_NE(d.err.find("did you mean 'demo.lps'?"), std::string::npos);
}
