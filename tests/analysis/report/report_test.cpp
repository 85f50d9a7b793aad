#include "analysis/report/report.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "analysis/report/gnuplot.hpp"
#include "tests/analysis/report/synthetic_results.hpp"

namespace {

using namespace analysis::report;

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> image_sources(const std::string& html) {
  std::vector<std::string> out;
  const std::string open = "<img src=\"";
  for (std::size_t at = html.find(open); at != std::string::npos; at = html.find(open, at)) {
    at += open.size();
    const std::size_t end = html.find('"', at);
    out.push_back(html.substr(at, end - at));
  }
  return out;
}

TEST(Report, WritesHtmlAndPngPlots) {
  const auto dir = report_test::fresh_dir("Report.Png");
  report_test::write_synthetic_results(dir);
  write_report(dir);
  const std::string html = slurp(dir / "report.html");
  EXPECT_NE(html.find("<h1>ocr-vs-flux-gas</h1>"), std::string::npos);
  EXPECT_NE(html.find("0123456789ab"), std::string::npos);                   // provenance
  EXPECT_NE(html.find("&lt;&amp;&gt;"), std::string::npos);                  // escaped command line
  EXPECT_NE(html.find("Paired comparisons"), std::string::npos);
  EXPECT_NE(html.find("vs baseline flux"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);  // self-contained: nothing fetched from a network
  EXPECT_EQ(html.find("https://"), std::string::npos);
  // gas_per_update and latency_s vs oracles, the latency CDF, and the recorded run's feed, gas and remaining series.
  const std::vector<std::string> images = image_sources(html);
  EXPECT_EQ(images, (std::vector<std::string>{"plot_gas_per_update_vs_feeds_0_oracles.png",
                                              "plot_latency_s_vs_feeds_0_oracles.png", "cdf_latency_s.png",
                                              "feed_p0_r0.png", "gas_p0_r0.png", "timeline_p0_r0.png"}));
  for (const std::string& image : images) {
    const std::string bytes = slurp(dir / image);
    ASSERT_GT(bytes.size(), 1000u) << image;
    EXPECT_EQ(bytes.substr(1, 3), "PNG") << image;
  }
  EXPECT_TRUE(std::filesystem::exists(dir / "report_plots.gp"));
}

TEST(Report, SvgPlotsIntoAnotherDirectoryWithScenarioBlock) {
  const auto dir = report_test::fresh_dir("Report.Svg");
  report_test::write_synthetic_results(dir, /*with_report_block=*/true);
  ReportOptions options;
  options.output_dir = dir / "out";
  options.format = ImageFormat::svg;
  write_report(dir, options);
  const std::string html = slurp(dir / "out" / "report.html");
  const std::vector<std::string> images = image_sources(html);
  ASSERT_EQ(images, (std::vector<std::string>{"plot_gas_per_update_vs_feeds_0_oracles.svg", "feed_p0_r0.svg",
                                              "gas_p0_r0.svg", "timeline_p0_r0.svg"}));
  const std::string svg = slurp(dir / "out" / images[0]);
  EXPECT_NE(svg.find("gas_per_update [gas]"), std::string::npos);  // the metric's unit from the reference
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("feeds[0].aggregation=ocr"), std::string::npos);  // the legend names both lines
  EXPECT_NE(svg.find("feeds[0].aggregation=flux"), std::string::npos);
  EXPECT_NE(html.find("vs baseline ocr"), std::string::npos);
  EXPECT_EQ(html.find("<h3>latency_s</h3>"), std::string::npos);  // metrics limited by the report block
  // The feed figure draws the true price, the provider, the answer with its band and updates, and labels both
  // faults; the gas figure the base fee and the feed's gas price; the timeline what is left (pending_events).
  const std::string feed = slurp(dir / "out" / images[1]);
  for (const char* text : {"true price", "exchange-a", "on-chain answer", "deviation band", "answer updates",
                           "crash eth-usd/node-0", "congestion", "price [USD]", "simulated time [min]"})
    EXPECT_NE(feed.find(text), std::string::npos) << text;
  const std::string gas = slurp(dir / "out" / images[2]);
  for (const char* text : {"base fee", "feed transactions", "gas price [gwei]"})
    EXPECT_NE(gas.find(text), std::string::npos) << text;
  const std::string timeline = slurp(dir / "out" / images[3]);
  EXPECT_NE(timeline.find("pending_events"), std::string::npos);
  EXPECT_EQ(timeline.find("true_price"), std::string::npos);
}

TEST(Report, TimelineSeriesMustExist) {
  const auto dir = report_test::fresh_dir("Report.TimelineSeries");
  report_test::write_synthetic_results(dir);
  ReportOptions options;
  options.overrides.timeline = {"no_such_series"};
  try {
    write_report(dir, options);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("true_price, onchain_answer, pending_events"), std::string::npos) << e.what();
  }
}

TEST(Report, MissingGnuplotNamesThePackage) {
  const auto dir = report_test::fresh_dir("Report.NoGnuplot");
  report_test::write_synthetic_results(dir);
  ReportOptions options;
  options.gnuplot = "gnuplot-that-does-not-exist";
  try {
    write_report(dir, options);
    FAIL() << "expected an error";
  } catch (const GnuplotError& e) {
    EXPECT_NE(std::string(e.what()).find("gnuplot-nox"), std::string::npos) << e.what();
  }
}

}  // namespace
