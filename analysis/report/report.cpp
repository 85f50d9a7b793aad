#include "analysis/report/report.hpp"

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "analysis/report/report_model.hpp"

namespace analysis::report {

namespace {

std::string esc(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string num(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.6g}", v); }
std::string ci(double lo, double hi) { return fmt::format("[{}, {}]", num(lo), num(hi)); }

constexpr const char* kStyle = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2em auto; max-width: 1100px;
       padding: 0 1em; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; display: block; max-width: 100%;
        overflow-x: auto; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; vertical-align: top; white-space: nowrap; }
th { background: #f3f3f3; } td.text, th.text { text-align: left; white-space: normal; overflow-wrap: anywhere; }
figure { margin: 1.5em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { font-size: 0.9em; color: #555; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
code { background: #f3f3f3; padding: 0 0.2em; } .note { color: #666; font-size: 0.9em; }
nav ul { columns: 2; }
)";

// Sets data-images="ok" on <body> once every image has loaded with a non-zero size, or "missing:<srcs>".
constexpr const char* kImageCheck = R"(
window.addEventListener('load', function () {
  var bad = [];
  for (var i = 0; i < document.images.length; i++) {
    var img = document.images[i];
    if (!img.complete || img.naturalWidth === 0) bad.push(img.getAttribute('src'));
  }
  document.body.setAttribute('data-image-count', String(document.images.length));
  document.body.setAttribute('data-images', bad.length === 0 ? 'ok' : 'missing:' + bad.join(','));
});
)";

void provenance_section(std::ostream& h, const Results& r) {
  h << "<h2 id=\"provenance\">Provenance</h2>\n";
  if (r.provenance.empty()) {
    h << "<p class=\"note\">No manifest.json in the results directory: provenance unknown.</p>\n";
    return;
  }
  h << "<table>\n";
  for (const auto& [key, value] : r.provenance) {
    h << "<tr><th class=\"text\">" << esc(key) << "</th><td class=\"text\"><code>" << esc(value)
      << "</code></td></tr>\n";
  }
  h << "</table>\n";
}

void sweep_section(std::ostream& h, const Results& r, const ReportSpec& spec) {
  std::size_t points = 0;
  long max_replication = -1;
  for (std::size_t i = 0; i < r.runs.size(); ++i) {
    if (i == 0 || r.runs[i].point != r.runs[i - 1].point) ++points;
    max_replication = std::max(max_replication, r.runs[i].replication);
  }
  h << "<h2 id=\"sweep\">Sweep</h2>\n<p>" << r.runs.size() << " runs: " << points << " sweep points &times; "
    << max_replication + 1 << " replications (common random numbers: replication <i>r</i> uses the same seed at "
    << "every point).</p>\n";
  if (!r.swept_keys.empty()) {
    h << "<table><tr><th class=\"text\">swept key</th><th class=\"text\">values</th></tr>\n";
    for (std::size_t k = 0; k < r.swept_keys.size(); ++k) {
      std::string values;
      for (const std::string& v : r.values_of(k)) values += (values.empty() ? "" : ", ") + v;
      h << "<tr><td class=\"text\"><code>" << esc(r.swept_keys[k]) << "</code></td><td class=\"text\">"
        << esc(values) << "</td></tr>\n";
    }
    h << "</table>\n";
  }
  std::string metrics;
  for (std::size_t m : spec.metrics) metrics += (metrics.empty() ? "" : ", ") + r.metric_names[m];
  h << "<p>Metrics shown: " << esc(metrics.empty() ? "(none)" : metrics) << ".</p>\n";
}

void figures_section(std::ostream& h, const std::vector<Figure>& figures) {
  if (figures.empty()) return;
  h << "<h2 id=\"plots\">Plots</h2>\n";
  for (const Figure& f : figures) {
    h << "<figure><img src=\"" << esc(f.file) << "\" alt=\"" << esc(f.title) << "\"><figcaption><b>" << esc(f.title)
      << ".</b> " << esc(f.caption) << "</figcaption></figure>\n";
  }
}

void paired_section(std::ostream& h, const std::vector<PairedTable>& tables) {
  if (tables.empty()) return;
  h << "<h2 id=\"paired\">Paired comparisons</h2>\n"
    << "<p>Runs of the same replication share their seed (common random numbers), so each alternative is compared "
       "with the baseline replication by replication. Saving = baseline &minus; alternative, with the paired "
       "Student-t 95% CI; ratio = mean(alternative) / mean(baseline), with a delta-method 95% CI.</p>\n";
  for (const PairedTable& t : tables) {
    h << "<h3>" << esc(t.metric) << ": <code>" << esc(t.key) << "</code> vs baseline " << esc(t.baseline)
      << "</h3>\n<table><tr>";
    for (const std::string& k : t.group_keys) h << "<th class=\"text\">" << esc(k) << "</th>";
    h << "<th class=\"text\">alternative</th><th>pairs</th><th>baseline mean</th><th>alternative mean</th>"
      << "<th>saving</th><th>saving 95% CI</th><th>ratio</th><th>ratio 95% CI</th></tr>\n";
    for (const PairedRow& row : t.rows) {
      h << "<tr>";
      for (const std::string& v : row.group) h << "<td class=\"text\">" << esc(v) << "</td>";
      h << "<td class=\"text\">" << esc(row.alternative) << "</td><td>" << row.saving.n << "</td><td>"
        << num(row.baseline_mean) << "</td><td>" << num(row.alternative_mean) << "</td><td>" << num(row.saving.mean)
        << "</td><td>" << ci(row.saving.ci95_low, row.saving.ci95_high) << "</td><td>" << num(row.ratio)
        << "</td><td>" << ci(row.ratio_ci95_low, row.ratio_ci95_high) << "</td></tr>\n";
    }
    h << "</table>\n";
  }
}

void fits_section(std::ostream& h, const std::vector<FitRow>& fits) {
  if (fits.empty()) return;
  h << "<h2 id=\"fits\">Straight-line fits</h2>\n<p>Least squares over all runs of a line: metric = a + b x. "
       "Standard errors assume independent, equal-variance residuals.</p>\n<table><tr><th class=\"text\">metric"
       "</th><th class=\"text\">x</th><th class=\"text\">line</th><th>runs</th><th>a</th><th>se(a)</th><th>b</th>"
       "<th>se(b)</th><th>b 95% CI</th><th>R&sup2;</th></tr>\n";
  for (const FitRow& f : fits) {
    h << "<tr><td class=\"text\">" << esc(f.metric) << "</td><td class=\"text\"><code>" << esc(f.x_key)
      << "</code></td><td class=\"text\">" << esc(f.label) << "</td><td>" << f.fit.n << "</td><td>"
      << num(f.fit.coefficients[0]) << "</td><td>" << num(f.fit.standard_errors[0]) << "</td><td>"
      << num(f.fit.coefficients[1]) << "</td><td>" << num(f.fit.standard_errors[1]) << "</td><td>"
      << ci(f.fit.ci95_low[1], f.fit.ci95_high[1]) << "</td><td>" << num(f.fit.r_squared) << "</td></tr>\n";
  }
  h << "</table>\n";
}

void summary_section(std::ostream& h, const Results& r, const ReportSpec& spec) {
  h << "<h2 id=\"summary\">Summary per sweep point</h2>\n<p>Across replications: mean, sample standard deviation, "
       "Student-t 95% confidence interval of the mean, minimum and maximum"
    << (r.summary.empty() ? " (computed from runs.csv)" : " (from summary.csv)") << ".</p>\n";
  for (std::size_t m : spec.metrics) {
    h << "<h3>" << esc(r.metric_names[m]) << "</h3>\n<table><tr><th>point</th>";
    for (const std::string& k : r.swept_keys) h << "<th class=\"text\">" << esc(k) << "</th>";
    h << "<th>n</th><th>mean</th><th>sd</th><th>95% CI</th><th>min</th><th>max</th></tr>\n";
    for (const PointSummary& p : point_summaries(r, m)) {
      h << "<tr><td>" << p.point << "</td>";
      for (const std::string& v : p.swept) h << "<td class=\"text\">" << esc(v) << "</td>";
      const Summary& s = p.summary;
      h << "<td>" << s.n << "</td><td>" << num(s.mean) << "</td><td>" << num(s.sd) << "</td><td>"
        << ci(s.ci95_low, s.ci95_high) << "</td><td>" << num(s.min) << "</td><td>" << num(s.max) << "</td></tr>\n";
    }
    h << "</table>\n";
  }
}

}  // namespace

void write_report(const std::filesystem::path& results_dir, const ReportOptions& options) {
  const Results results = load_results(results_dir);
  const ReportSpec spec = resolve_spec(results, options.overrides);
  const std::filesystem::path out_dir = options.output_dir.empty() ? results_dir : options.output_dir;
  std::filesystem::create_directories(out_dir);
  const std::vector<Figure> figures = draw_plots(results, spec, out_dir, options.gnuplot, options.format);
  const std::vector<PairedTable> paired = paired_tables(results, spec);
  const std::vector<FitRow> fits = line_fits(results, spec);

  const std::string title =
      results.scenario_name.empty() ? results_dir.filename().string() : results.scenario_name;
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<title>oraclesim report: " << esc(title) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n"
    << "<h1>" << esc(title) << "</h1>\n";
  if (!results.scenario_description.empty()) h << "<p>" << esc(results.scenario_description) << "</p>\n";
  h << "<nav><ul><li><a href=\"#provenance\">Provenance</a></li><li><a href=\"#sweep\">Sweep</a></li>";
  if (!figures.empty()) h << "<li><a href=\"#plots\">Plots</a></li>";
  if (!paired.empty()) h << "<li><a href=\"#paired\">Paired comparisons</a></li>";
  if (!fits.empty()) h << "<li><a href=\"#fits\">Straight-line fits</a></li>";
  h << "<li><a href=\"#summary\">Summary per sweep point</a></li><li><a href=\"#scenario\">Scenario</a></li></ul>"
    << "</nav>\n";
  provenance_section(h, results);
  sweep_section(h, results, spec);
  figures_section(h, figures);
  paired_section(h, paired);
  fits_section(h, fits);
  summary_section(h, results, spec);
  h << "<h2 id=\"scenario\">Scenario</h2>\n";
  if (results.scenario_text.empty()) {
    h << "<p class=\"note\">The manifest holds no resolved scenario.</p>\n";
  } else {
    h << "<details open><summary>Resolved scenario, as run</summary><pre>" << esc(results.scenario_text)
      << "</pre></details>\n";
  }
  h << "<script>" << kImageCheck << "</script>\n</body>\n</html>\n";

  const std::filesystem::path file = out_dir / "report.html";
  std::ofstream out(file, std::ios::binary);
  out << h.str();
  if (!out) throw std::runtime_error("report: cannot write " + file.string());
}

}  // namespace analysis::report
