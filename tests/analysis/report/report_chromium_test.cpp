// Renders report.html in headless Chromium (Debian package chromium, installed by tools/install-deps.sh) and
// checks that the page loads without console messages and that every plot image loads with a non-zero size.
// The page itself records the image check in <body data-images="ok">, read back with --dump-dom.
// Missing Chromium is a failure, not a skip: the test setup installs it.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>

#include "analysis/report/report.hpp"
#include "tests/analysis/report/synthetic_results.hpp"

namespace {

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / program;
    if (std::filesystem::is_regular_file(candidate) && ::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

struct Rendered {
  int status = -1;
  std::string dom;
  std::string console;  // the console lines of Chromium's log
};

Rendered render(const std::filesystem::path& html, const std::filesystem::path& work) {
  const std::string chromium = find_on_path("chromium");
  if (chromium.empty()) {
    ADD_FAILURE() << "chromium is not on PATH; install the Debian package chromium (tools/install-deps.sh does)";
    return {};
  }
  const std::filesystem::path profile = work / "chromium-profile";
  std::filesystem::remove_all(profile);
  std::filesystem::create_directories(profile);
  const std::filesystem::path dom = work / "dom.html";
  const std::filesystem::path log = work / "chromium.log";
  const std::string command =
      "timeout 120 '" + chromium +
      "' --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
      "--disable-sync --no-first-run --user-data-dir='" + profile.string() +
      "' --enable-logging=stderr --v=0 --virtual-time-budget=5000 --dump-dom 'file://" +
      std::filesystem::absolute(html).string() + "' > '" + dom.string() + "' 2> '" + log.string() + "'";
  Rendered r;
  r.status = std::system(command.c_str());
  r.dom = slurp(dom);
  std::istringstream lines(slurp(log));
  for (std::string line; std::getline(lines, line);) {
    if (line.find(":CONSOLE") != std::string::npos) r.console += line + "\n";
  }
  std::filesystem::remove_all(profile);
  return r;
}

TEST(ReportChromium, PageLoadsWithoutConsoleErrorsAndAllPlotsShow) {
  const auto dir = report_test::fresh_dir("ReportChromium.Loads");
  report_test::write_synthetic_results(dir);
  analysis::report::write_report(dir);
  const Rendered r = render(dir / "report.html", dir);
  ASSERT_EQ(r.status, 0) << "chromium failed; see " << (dir / "chromium.log");
  EXPECT_NE(r.dom.find("data-images=\"ok\""), std::string::npos) << "images did not all load:\n" << r.dom.substr(0, 400);
  // Two metric plots, a CDF, the feed figure, the gas figure and the timeline, each loaded.
  EXPECT_NE(r.dom.find("data-image-count=\"6\""), std::string::npos);
  EXPECT_NE(r.dom.find("feed_p0_r0.png"), std::string::npos);
  EXPECT_NE(r.dom.find("gas_p0_r0.png"), std::string::npos);
  EXPECT_EQ(r.console, "") << "console messages while loading the report";
  // The axes name their units: the metric's from the reference, the swept key's, simulated time's.
  const std::string script = slurp(dir / "report_plots.gp");
  for (const char* label : {"set ylabel 'gas_per_update [gas]'", "set xlabel 'feeds[0].oracles [nodes]'",
                            "set ylabel 'price [USD]'", "set xlabel 'simulated time [min]'"})
    EXPECT_NE(script.find(label), std::string::npos) << label;
}

// The same check must notice a broken page: a missing image and a script error.
TEST(ReportChromium, NoticesMissingImageAndScriptError) {
  const auto dir = report_test::fresh_dir("ReportChromium.Broken");
  report_test::write_synthetic_results(dir);
  analysis::report::write_report(dir);
  std::string html = slurp(dir / "report.html");
  const std::string figure = "<figure>";
  html.insert(html.find(figure), "<img src=\"no_such_plot.png\" alt=\"missing\"><script>notAFunction();</script>");
  std::ofstream(dir / "broken.html") << html;
  const Rendered r = render(dir / "broken.html", dir);
  ASSERT_EQ(r.status, 0);
  EXPECT_NE(r.dom.find("data-images=\"missing:no_such_plot.png\""), std::string::npos) << r.dom.substr(0, 400);
  EXPECT_NE(r.console.find("notAFunction"), std::string::npos) << r.console;
}

}  // namespace
