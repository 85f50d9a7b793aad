#include "analysis/report/plots.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <fstream>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "analysis/metric_info.hpp"
#include "analysis/report/gnuplot.hpp"
#include "analysis/subsystems.hpp"

namespace analysis::report {

namespace {

bool contains_index(const std::vector<std::size_t>& v, std::size_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// A metric's axis label with its unit from the metric reference ("gas_per_update [gas]").
std::string metric_axis(const std::string& column) {
  return metric_label(column, builtin_registry().find_metric(column));
}

constexpr const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                    "#ff7f0e", "#17becf", "#8c564b", "#e377c2"};
constexpr std::size_t kColourCount = sizeof(kColours) / sizeof(kColours[0]);

std::string slug(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (keep) out += c;
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "x" : out;
}

// The series the feed figure draws, and those the gas figure draws (analysis/feed_collector.hpp, chain_collector.hpp).
bool feed_series(const std::string& name) {
  return name == "true_price" || name == "onchain_answer" || name == "answer_updates" || name == "answer_band_low" ||
         name == "answer_band_high" || name.rfind("provider_price.", 0) == 0;
}
bool gas_series(const std::string& name) { return name == "base_fee_gwei" || name == "feed_gas_price_gwei"; }
// Every feed's answer age (analysis/feed_collector.hpp), drawn by the staleness figure.
constexpr const char* kAgePrefix = "answer_age_s.";
bool age_series(const std::string& name) { return name.rfind(kAgePrefix, 0) == 0; }

// One planned figure with what it draws.
struct Plan {
  Figure figure;
  bool cdf = false;
  bool timeline = false;
  bool feed = false;  // the first feed of one run: true price, providers, answer, band, updates, faults
  bool gas = false;   // the chain's base fee and the gas price the feed's transactions paid
  bool staleness = false;  // every feed's answer age over time, one row per feed, faults outlined
  bool compare = false;  // spec.comparisons[comparison], entity by entity
  std::size_t comparison = 0;
  std::size_t metric = 0;
  std::size_t x_key = 0;
  std::shared_ptr<const std::vector<NamedSeries>> series;  // feed, gas, timeline: the run's series, read once
};

std::vector<Plan> plan(const Results& results, const ReportSpec& spec, ImageFormat format) {
  const char* ext = format == ImageFormat::png ? ".png" : ".svg";
  std::vector<Plan> plans;
  std::set<std::string> used;
  auto unique = [&](std::string base) {
    std::string name = base + ext;
    for (int i = 2; used.count(name) != 0; ++i) name = base + "_" + std::to_string(i) + ext;
    used.insert(name);
    return name;
  };
  for (std::size_t m : spec.metrics) {
    const std::string& metric = results.metric_names[m];
    for (std::size_t k : spec.x_keys) {
      const std::string& key = results.swept_keys[k];
      Plan p;
      p.metric = m;
      p.x_key = k;
      p.figure.file = unique("plot_" + slug(metric) + "_vs_" + slug(key));
      p.figure.title = metric + " vs " + key;
      p.figure.caption = "Mean of " + metric + " across replications against " + key +
                         ", with its Student-t 95% confidence band; one line per combination of the other "
                         "swept parameters.";
      plans.push_back(std::move(p));
    }
  }
  for (std::size_t c = 0; c < spec.comparisons.size(); ++c) {
    const auto& cmp = spec.comparisons[c];
    Plan p;
    p.compare = true;
    p.comparison = c;
    p.figure.file = unique("compare_" + slug(cmp.metric));
    const MetricInfo* info = builtin_registry().find_metric(cmp.metric);
    const bool clients = info != nullptr && info->entity == MetricEntity::kStreamsClient;
    const bool feeds = info != nullptr && info->entity == MetricEntity::kFeed;
    p.figure.title = cmp.metric + " by " + (clients ? "client" : feeds ? "feed" : "entity");
    p.figure.caption = "Mean of " + cmp.metric + " across replications for each feed or client, with its Student-t "
                       "95% confidence interval; one colour per sweep point (the first 8).";
    plans.push_back(std::move(p));
  }
  for (std::size_t m : spec.cdf_metrics) {
    const std::string& metric = results.metric_names[m];
    Plan p;
    p.cdf = true;
    p.metric = m;
    p.figure.file = unique("cdf_" + slug(metric));
    p.figure.title = "CDF of " + metric + " across runs";
    p.figure.caption = "Empirical distribution function of the per-run values of " + metric + ".";
    plans.push_back(std::move(p));
  }
  if (!results.timeseries.empty()) {
    const SeriesFile& run = results.timeseries.front();
    const std::string which = " (point " + std::to_string(run.point) + ", replication " + std::to_string(run.replication) + ")";
    const std::string suffix = "_p" + std::to_string(run.point) + "_r" + std::to_string(run.replication);
    const auto series = std::make_shared<const std::vector<NamedSeries>>(load_series_file(run.file));
    const std::vector<NamedSeries>& all = *series;
    const auto has = [&](bool (*pred)(const std::string&)) {
      return std::any_of(all.begin(), all.end(), [&](const NamedSeries& s) { return pred(s.name); });
    };
    if (has(feed_series) && has([](const std::string& n) { return n == "onchain_answer" || n == "true_price"; })) {
      Plan f;
      f.feed = true;
      f.series = series;
      f.figure.file = unique("feed" + suffix);
      f.figure.title = "The feed over one run" + which;
      f.figure.caption = "The true price, each provider's published value, the on-chain answer (steps) with its "
                         "deviation band, and each answer update (dots), as recorded; the scenario's faults shaded.";
      plans.push_back(std::move(f));
    }
    if (has(gas_series)) {
      Plan g;
      g.gas = true;
      g.series = series;
      g.figure.file = unique("gas" + suffix);
      g.figure.title = "Base fee and the feed's gas price over one run" + which;
      g.figure.caption = "The chain's base fee for the next block (sampled) and the effective gas price each "
                         "transaction of the feed paid (dots), in gwei.";
      plans.push_back(std::move(g));
    }
    if (has(age_series)) {
      Plan a;
      a.staleness = true;
      a.series = series;
      a.figure.file = unique("staleness" + suffix);
      a.figure.title = "Answer age of every feed over one run" + which;
      a.figure.caption = "Age of each feed's on-chain answer (now - updatedAt, sampled every record.every; log colour "
                         "scale, blank before a feed's first answer), one row per feed; the scenario's faults outlined "
                         "and labelled.";
      plans.push_back(std::move(a));
    }
    // The timeline shows what those figures do not (unless report.timeline names series).
    const bool rest = std::any_of(all.begin(), all.end(), [](const NamedSeries& s) {
      return !feed_series(s.name) && !gas_series(s.name) && !age_series(s.name);
    });
    if (!spec.timeline.empty() || rest || all.empty()) {
      Plan p;
      p.timeline = true;
      p.series = series;
      p.figure.file = unique("timeline" + suffix);
      p.figure.title = "Timeline of one run" + which;
      p.figure.caption = "Recorded time series of this run";
      if (!results.faults.empty()) p.figure.caption += ", with the scenario's faults shaded and labelled";
      p.figure.caption += ".";
      plans.push_back(std::move(p));
    }
  }
  return plans;
}

std::string num(double v) { return fmt::format("{:.17g}", v); }

void write_lines_plot(std::ostream& out, const Results& results, const ReportSpec& spec, const Plan& p,
                      std::size_t& block) {
  const std::vector<Line> lines = lines_against(results, spec, p.metric, p.x_key);
  // A log axis leaves out values <= 0 (a band's lower edge too); with none above 0 it stays linear.
  bool log = contains_index(spec.log_metrics, p.metric);
  if (log) {
    bool positive = false;
    for (const Line& line : lines)
      for (const Summary& s : line.at) positive = positive || s.mean > 0;
    log = positive;
  }
  const auto value = [&](double v) { return log && !(v > 0) ? std::string("NaN") : num(v); };
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    const std::string name = fmt::format("$d{}", block++);
    out << name << " << EOD\n";
    std::size_t rows = 0;
    for (std::size_t j = 0; j < line.x.size(); ++j) {
      const Summary& s = line.at[j];
      if (!std::isfinite(s.mean)) continue;
      const double lo = std::isfinite(s.ci95_low) ? s.ci95_low : s.mean;
      const double hi = std::isfinite(s.ci95_high) ? s.ci95_high : s.mean;
      out << num(line.x[j]) << ' ' << value(s.mean) << ' ' << value(lo) << ' ' << value(hi) << '\n';
      ++rows;
    }
    out << "EOD\n";
    if (rows == 0) continue;
    const char* colour = kColours[i % kColourCount];
    const std::string title = line.label.empty() ? results.metric_names[p.metric] : line.label;
    parts.push_back(fmt::format("{} using 1:3:4 with filledcurves fc rgb '{}' fs transparent solid 0.18 noborder "
                                "notitle",
                                name, colour));
    parts.push_back(fmt::format("{} using 1:2 with linespoints lw 2 pt 7 ps 0.8 lc rgb '{}' title {}", name, colour,
                                gnuplot_quote(title)));
  }
  out << "set output " << gnuplot_quote(p.figure.file) << '\n';
  out << "set title " << gnuplot_quote(p.figure.title) << '\n';
  out << "set xlabel " << gnuplot_quote(results.key_label(p.x_key)) << '\n';
  out << "set ylabel " << gnuplot_quote(metric_axis(results.metric_names[p.metric])) << '\n';
  if (parts.empty()) {
    out << "set label 1 'no data' at graph 0.5, graph 0.5 center\nplot [0:1][0:1] NaN notitle\nunset label 1\n";
    return;
  }
  if (log) out << "set logscale y\n";
  out << "plot ";
  for (std::size_t i = 0; i < parts.size(); ++i) out << (i ? ", \\\n     " : "") << parts[i];
  out << "\n";
  if (log) out << "unset logscale y\n";
}

// A per-entity metric entity by entity: mean and 95% CI per feed or client, one colour per sweep point.
void write_compare_plot(std::ostream& out, const Results& results, const ReportSpec& spec, const Plan& p,
                        std::size_t& block) {
  const auto& cmp = spec.comparisons[p.comparison];
  std::vector<std::vector<PointSummary>> per_entity;
  for (std::size_t column : cmp.columns) per_entity.push_back(point_summaries(results, column));
  const std::size_t points = std::min<std::size_t>(per_entity.empty() ? 0 : per_entity[0].size(), kColourCount);
  bool log = std::any_of(cmp.columns.begin(), cmp.columns.end(),
                         [&](std::size_t m) { return contains_index(spec.log_metrics, m); });
  if (log) {  // values <= 0 left out; linear when none is above 0
    bool positive = false;
    for (const auto& entity : per_entity)
      for (const PointSummary& s : entity) positive = positive || s.summary.mean > 0;
    log = positive;
  }
  const auto value = [&](double v) { return log && !(v > 0) ? std::string("NaN") : num(v); };
  std::vector<std::string> parts;
  for (std::size_t pt = 0; pt < points; ++pt) {
    const std::string name = fmt::format("$d{}", block++);
    out << name << " << EOD\n";
    const double offset = points > 1 ? (static_cast<double>(pt) - (static_cast<double>(points) - 1) / 2) * 0.6 /
                                           static_cast<double>(points)
                                     : 0.0;
    for (std::size_t e = 0; e < per_entity.size(); ++e) {
      if (pt >= per_entity[e].size()) continue;
      const Summary& s = per_entity[e][pt].summary;
      if (std::isnan(s.mean)) continue;
      const double lo = std::isfinite(s.ci95_low) ? s.ci95_low : s.mean;
      const double hi = std::isfinite(s.ci95_high) ? s.ci95_high : s.mean;
      out << num(static_cast<double>(e) + offset) << ' ' << value(s.mean) << ' ' << value(lo) << ' ' << value(hi) << '\n';
    }
    out << "EOD\n";
    std::string title = points == 1 ? std::string("mean, 95% CI") : "point " + std::to_string(per_entity[0][pt].point);
    if (points > 1 && !results.swept_keys.empty())
      title = label_of(results, spec.series_order, per_entity[0][pt].swept);
    parts.push_back(fmt::format("{} using 1:2:3:4 with yerrorbars pt 7 ps 1 lw 1.5 lc rgb '{}' title {}", name,
                                kColours[pt % kColourCount], gnuplot_quote(title)));
  }
  out << "set output " << gnuplot_quote(p.figure.file) << '\n';
  out << "set title " << gnuplot_quote(p.figure.title) << '\n';
  out << "set xlabel ''\nset xtics (";
  for (std::size_t e = 0; e < cmp.entities.size(); ++e) out << (e ? ", " : "") << gnuplot_quote(cmp.entities[e]) << ' ' << e;
  out << ")\n";
  const bool many = cmp.entities.size() > 10;  // names side by side would overlap: turned on end
  if (many) out << "set xtics rotate by 60 right font 'Sans,7'\n";
  out << fmt::format("set xrange [-0.6:{}]\n", num(static_cast<double>(cmp.entities.size()) - 0.4));
  const MetricInfo* info = builtin_registry().find_metric(cmp.metric);
  out << "set ylabel " << gnuplot_quote(metric_label(cmp.metric, info)) << '\n';
  if (log) out << "set logscale y\n";
  if (parts.empty()) {
    out << "set label 1 'no data' at graph 0.5, graph 0.5 center\nplot [0:1][0:1] NaN notitle\nunset label 1\n";
  } else {
    out << "plot ";
    for (std::size_t i = 0; i < parts.size(); ++i) out << (i ? ", \\\n     " : "") << parts[i];
    out << "\n";
  }
  if (log) out << "unset logscale y\n";
  out << "set xtics autofreq\nset xrange [*:*]\n";
  if (many) out << "set xtics norotate font ''\n";
}

void write_cdf_plot(std::ostream& out, const Results& results, const ReportSpec& spec, const Plan& p,
                    std::size_t& block) {
  const std::vector<Curve> curves = cdf_curves(results, spec, p.metric);
  bool log = contains_index(spec.log_metrics, p.metric);  // values <= 0 left out; linear when none is above 0
  if (log) {
    bool positive = false;
    for (const Curve& c : curves) positive = positive || (!c.sorted.empty() && c.sorted.back() > 0);
    log = positive;
  }
  const auto value = [&](double v) { return log && !(v > 0) ? std::string("NaN") : num(v); };
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < curves.size(); ++i) {
    const Curve& c = curves[i];
    const std::string name = fmt::format("$d{}", block++);
    out << name << " << EOD\n" << value(c.sorted.front()) << " 0\n";
    const double n = static_cast<double>(c.sorted.size());
    for (std::size_t j = 0; j < c.sorted.size(); ++j) {
      out << value(c.sorted[j]) << ' ' << num(static_cast<double>(j + 1) / n) << '\n';
    }
    out << "EOD\n";
    parts.push_back(fmt::format("{} using 1:2 with steps lw 2 lc rgb '{}' title {}", name,
                                kColours[i % kColourCount], gnuplot_quote(c.label)));
  }
  out << "set output " << gnuplot_quote(p.figure.file) << '\n';
  out << "set title " << gnuplot_quote(p.figure.title) << '\n';
  out << "set xlabel " << gnuplot_quote(metric_axis(results.metric_names[p.metric])) << '\n';
  out << "set ylabel 'fraction of runs'\nset yrange [0:1.02]\n";
  if (log) out << "set logscale x\n";
  if (parts.empty()) {
    out << "set label 1 'no data' at graph 0.5, graph 0.5 center\nplot [0:1][0:1] NaN notitle\nunset label 1\n";
  } else {
    out << "plot ";
    for (std::size_t i = 0; i < parts.size(); ++i) out << (i ? ", \\\n     " : "") << parts[i];
    out << "\n";
  }
  out << "set yrange [*:*]\n";
  if (log) out << "unset logscale x\n";
}

bool default_timeline_series(const std::string& name) {
  return name.find("price") != std::string::npos || name.find("answer") != std::string::npos;
}

// The scenario's faults as shaded, labelled windows (gnuplot objects and labels 1..n); returns n + 1. `outline`:
// drawn in front as red outlines instead (over an image, which would hide a shaded window).
std::size_t draw_fault_windows(std::ostream& out, const Results& results, double t_max, double scale, bool outline = false) {
  std::size_t object = 1;
  for (const FaultWindow& f : results.faults) {
    const double from = f.at_s / scale;
    // Instant faults stay visible as a thin band; open-ended ones last to the end of the plot.
    const double to = (f.open_ended ? std::max(t_max, f.at_s + t_max * 0.002)
                                    : f.at_s + std::max(f.duration_s, t_max * 0.002)) / scale;
    if (outline)
      out << fmt::format("set object {} rect from {}, graph 0 to {}, graph 1 front fs empty border lc rgb '#d62728' lw 2\n",
                         object, num(from), num(to));
    else
      out << fmt::format("set object {} rect from {}, graph 0 to {}, graph 1 behind fc rgb '#f4a582' "
                         "fs transparent solid 0.35 noborder\n",
                         object, num(from), num(to));
    out << fmt::format("set label {} {} at {}, graph 0.97 left front font 'Sans,8' offset 0.3,0\n", object,
                       gnuplot_quote(f.target.empty() ? f.kind : f.kind + " " + f.target), num(from));
    ++object;
  }
  return object;
}

// Simulated seconds shown in h, min or s, whichever suits the run's length.
std::pair<double, const char*> time_scale(double t_max) {
  const double scale = t_max >= 7200 ? 3600 : t_max >= 120 ? 60 : 1;
  return {scale, scale == 3600 ? "h" : scale == 60 ? "min" : "s"};
}

// One data block of columns (t, then one value per series), rows at the first series' times.
std::string data_block(std::ostream& out, std::size_t& block, const std::vector<const NamedSeries*>& cols, double scale) {
  const std::string name = fmt::format("$d{}", block++);
  out << name << " << EOD\n";
  for (std::size_t j = 0; j < cols[0]->t_s.size(); ++j) {
    out << num(cols[0]->t_s[j] / scale);
    for (const NamedSeries* c : cols) out << ' ' << (j < c->value.size() ? num(c->value[j]) : std::string("NaN"));
    out << '\n';
  }
  out << "EOD\n";
  return name;
}

void finish_plot(std::ostream& out, const Plan& p, const char* unit, const std::string& ylabel,
                 const std::vector<std::string>& parts, std::size_t objects) {
  out << "set output " << gnuplot_quote(p.figure.file) << '\n';
  out << "set title " << gnuplot_quote(p.figure.title) << '\n';
  out << "set xlabel " << gnuplot_quote(std::string("simulated time [") + unit + "]") << '\n';
  out << "set ylabel " << gnuplot_quote(ylabel) << '\n';
  if (parts.empty()) {
    out << "set label 999 'no data' at graph 0.5, graph 0.5 center\nplot [0:1][0:1] NaN notitle\nunset label 999\n";
  } else {
    out << "plot ";
    for (std::size_t i = 0; i < parts.size(); ++i) out << (i ? ", \\\n     " : "") << parts[i];
    out << "\n";
  }
  for (std::size_t i = 1; i < objects; ++i) out << "unset object " << i << "\nunset label " << i << '\n';
}

const NamedSeries* find_series(const std::vector<NamedSeries>& all, const std::string& name) {
  const auto it = std::find_if(all.begin(), all.end(), [&](const NamedSeries& s) { return s.name == name; });
  return it == all.end() ? nullptr : &*it;
}

double last_time(const std::vector<NamedSeries>& all, const Results& results) {
  double t_max = 0;
  for (const NamedSeries& s : all)
    for (double t : s.t_s) t_max = std::max(t_max, t);
  for (const FaultWindow& f : results.faults) t_max = std::max(t_max, f.at_s + (f.open_ended ? 0 : f.duration_s));
  return t_max;
}

// The feed figure: deviation band (filled), providers (thin), true price, on-chain answer (steps), updates (dots).
void write_feed_plot(std::ostream& out, const Results& results, const Plan& p, std::size_t& block) {
  const std::vector<NamedSeries>& all = *p.series;
  const double t_max = last_time(all, results);
  const auto [scale, unit] = time_scale(t_max);
  std::vector<std::string> parts;
  const NamedSeries* low = find_series(all, "answer_band_low");
  const NamedSeries* high = find_series(all, "answer_band_high");
  if (low && high && !low->t_s.empty())
    parts.push_back(data_block(out, block, {low, high}, scale) +
                    " using 1:2:3 with filledcurves fc rgb '#9ecae1' fs transparent solid 0.35 noborder title 'deviation band'");
  std::size_t colour = 2;
  for (const NamedSeries& s : all) {
    if (s.name.rfind("provider_price.", 0) != 0 || s.t_s.empty()) continue;
    parts.push_back(data_block(out, block, {&s}, scale) +
                    fmt::format(" using 1:2 with lines lw 0.8 lc rgb '{}' title {}", kColours[colour++ % kColourCount],
                                gnuplot_quote(s.name.substr(std::string("provider_price.").size()))));
  }
  if (const NamedSeries* t = find_series(all, "true_price"); t && !t->t_s.empty())
    parts.push_back(data_block(out, block, {t}, scale) + " using 1:2 with lines lw 1.5 lc rgb '#222222' title 'true price'");
  if (const NamedSeries* a = find_series(all, "onchain_answer"); a && !a->t_s.empty())
    parts.push_back(data_block(out, block, {a}, scale) +
                    " using 1:2 with steps lw 2 lc rgb '#1f77b4' title 'on-chain answer'");
  if (const NamedSeries* u = find_series(all, "answer_updates"); u && !u->t_s.empty())
    parts.push_back(data_block(out, block, {u}, scale) +
                    " using 1:2 with points pt 7 ps 0.6 lc rgb '#d62728' title 'answer updates'");
  const std::size_t objects = draw_fault_windows(out, results, t_max, scale);
  finish_plot(out, p, unit, "price [USD]", parts, objects);
}

// The gas figure: the base fee (line) and the gas price the feed's transactions paid (dots), in gwei.
void write_gas_plot(std::ostream& out, const Results& results, const Plan& p, std::size_t& block) {
  const std::vector<NamedSeries>& all = *p.series;
  const double t_max = last_time(all, results);
  const auto [scale, unit] = time_scale(t_max);
  std::vector<std::string> parts;
  if (const NamedSeries* b = find_series(all, "base_fee_gwei"); b && !b->t_s.empty())
    parts.push_back(data_block(out, block, {b}, scale) + " using 1:2 with steps lw 1.5 lc rgb '#2ca02c' title 'base fee'");
  if (const NamedSeries* g = find_series(all, "feed_gas_price_gwei"); g && !g->t_s.empty())
    parts.push_back(data_block(out, block, {g}, scale) +
                    " using 1:2 with points pt 7 ps 0.5 lc rgb '#9467bd' title 'feed transactions'");
  const std::size_t objects = draw_fault_windows(out, results, t_max, scale);
  finish_plot(out, p, unit, "gas price [gwei]", parts, objects);
}

// The staleness figure: a heat map of every feed's answer age, time on x, one row per feed (the members of
// answer_age_s.*, in file order), colour on a log scale; the faults outlined in front of it.
void write_staleness_plot(std::ostream& out, const Results& results, const Plan& p, std::size_t& block) {
  const std::vector<NamedSeries>& all = *p.series;
  std::vector<const NamedSeries*> rows;
  for (const NamedSeries& s : all)
    if (age_series(s.name)) rows.push_back(&s);
  const double t_max = last_time(all, results);
  const auto [scale, unit] = time_scale(t_max);
  // A regular grid: every sample time of any row; a row without a value there (before its first answer) is NaN.
  std::set<double> times;
  for (const NamedSeries* r : rows) times.insert(r->t_s.begin(), r->t_s.end());
  const std::string name = fmt::format("$d{}", block++);
  out << name << " << EOD\n";
  double lo = 0, hi = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::size_t j = 0;
    for (const double t : times) {
      const NamedSeries& r = *rows[i];
      while (j < r.t_s.size() && r.t_s[j] < t) ++j;
      const bool has = j < r.t_s.size() && r.t_s[j] == t && j < r.value.size();
      const double age = has ? std::max(1.0, r.value[j]) : std::nan("");
      if (has) {
        lo = lo == 0 ? age : std::min(lo, age);
        hi = std::max(hi, age);
      }
      out << num(t / scale) << ' ' << i << ' ' << (has ? num(age) : std::string("NaN")) << '\n';
    }
    out << '\n';
  }
  out << "EOD\n";
  const std::size_t objects = draw_fault_windows(out, results, t_max, scale, true);
  out << "set output " << gnuplot_quote(p.figure.file) << '\n';
  out << "set title " << gnuplot_quote(p.figure.title) << '\n';
  out << "set xlabel " << gnuplot_quote(std::string("simulated time [") + unit + "]") << '\n';
  out << "set ylabel ''\n";
  if (rows.size() <= 80) {
    out << "set ytics font 'Sans,7' (";
    for (std::size_t i = 0; i < rows.size(); ++i)
      out << (i ? ", " : "") << gnuplot_quote(rows[i]->name.substr(std::string(kAgePrefix).size())) << ' ' << i;
    out << ")\n";
  }
  out << fmt::format("set yrange [-0.5:{}]\n", num(static_cast<double>(rows.size()) - 0.5));
  if (!times.empty()) out << fmt::format("set xrange [{}:{}]\n", num(*times.begin() / scale), num(*times.rbegin() / scale));
  out << "set palette defined (0 '#ffffcc', 1 '#fd8d3c', 2 '#bd0026', 3 '#3f007d')\nset cblabel 'answer age [s]'\n";
  if (hi > lo && lo > 0) out << "set logscale cb\n" << fmt::format("set cbrange [{}:{}]\n", num(lo), num(hi));
  if (rows.empty() || times.empty())
    out << "set label 999 'no data' at graph 0.5, graph 0.5 center\nplot [0:1][0:1] NaN notitle\nunset label 999\n";
  else
    out << "plot " << name << " using 1:2:3 with image notitle\n";
  out << "unset logscale cb\nset cbrange [*:*]\nset xrange [*:*]\nset yrange [*:*]\nset ytics autofreq font ''\nset ylabel ''\n"
         "unset cblabel\nset palette defined\n";
  for (std::size_t i = 1; i < objects; ++i) out << "unset object " << i << "\nunset label " << i << '\n';
}

void write_timeline_plot(std::ostream& out, const Results& results, const ReportSpec& spec, const Plan& p,
                         std::size_t& block) {
  const SeriesFile& run = results.timeseries.front();
  const std::vector<NamedSeries>& all = *p.series;
  std::vector<NamedSeries> chosen;
  if (!spec.timeline.empty()) {
    for (const std::string& name : spec.timeline) {
      auto it = std::find_if(all.begin(), all.end(), [&](const NamedSeries& s) { return s.name == name; });
      if (it == all.end()) {
        std::string names;
        for (const NamedSeries& s : all) names += (names.empty() ? "" : ", ") + s.name;
        throw std::runtime_error("report: report.timeline names series '" + name + "', which " + run.file.string() +
                                 " does not hold (it has: " + (names.empty() ? "none" : names) + ")");
      }
      chosen.push_back(*it);
    }
  } else {
    // What the feed and gas figures do not show; prices and answers first.
    for (const NamedSeries& s : all)
      if (!feed_series(s.name) && !gas_series(s.name) && !age_series(s.name) && default_timeline_series(s.name))
        chosen.push_back(s);
    if (chosen.empty())
      for (const NamedSeries& s : all)
        if (!feed_series(s.name) && !gas_series(s.name) && !age_series(s.name)) chosen.push_back(s);
    if (chosen.empty()) chosen = all;
  }
  const double t_max = last_time(chosen, results);
  const auto [scale, unit] = time_scale(t_max);
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < chosen.size(); ++i)
    parts.push_back(data_block(out, block, {&chosen[i]}, scale) +
                    fmt::format(" using 1:2 with steps lw 1.5 lc rgb '{}' title {}", kColours[i % kColourCount],
                                gnuplot_quote(chosen[i].name)));
  const std::size_t object = draw_fault_windows(out, results, t_max, scale);
  finish_plot(out, p, unit, "value", parts, object);
}

}  // namespace

std::vector<Figure> plan_figures(const Results& results, const ReportSpec& spec, ImageFormat format) {
  std::vector<Figure> out;
  for (Plan& p : plan(results, spec, format)) out.push_back(std::move(p.figure));
  return out;
}

std::vector<Figure> draw_plots(const Results& results, const ReportSpec& spec, const std::filesystem::path& out_dir,
                               const std::string& gnuplot, ImageFormat format) {
  const std::vector<Plan> plans = plan(results, spec, format);
  std::vector<Figure> figures;
  if (plans.empty()) return figures;
  const std::filesystem::path program = find_gnuplot(gnuplot);
  const std::filesystem::path script = out_dir / "report_plots.gp";
  {
    std::ofstream out(script);
    if (!out) throw GnuplotError("report: cannot write " + script.string());
    out << "# Generated by oraclesim report: run `gnuplot report_plots.gp` in this directory to redraw.\n";
    if (format == ImageFormat::png) {
      out << "set terminal pngcairo size 900,560 noenhanced font 'Sans,10' background '#ffffff'\n";
    } else {
      out << "set terminal svg size 900,560 noenhanced font 'Sans,10' background '#ffffff'\n";
    }
    out << "set encoding utf8\nset grid lc rgb '#dddddd'\nset key outside top center horizontal\nset border lc rgb '#444444'\n";
    std::size_t block = 0;
    for (const Plan& p : plans) {
      out << "\n# " << p.figure.title << '\n';
      if (p.compare) write_compare_plot(out, results, spec, p, block);
      else if (p.feed) write_feed_plot(out, results, p, block);
      else if (p.gas) write_gas_plot(out, results, p, block);
      else if (p.staleness) write_staleness_plot(out, results, p, block);
      else if (p.timeline) write_timeline_plot(out, results, spec, p, block);
      else if (p.cdf) write_cdf_plot(out, results, spec, p, block);
      else write_lines_plot(out, results, spec, p, block);
    }
    out << "unset output\n";
    if (!out) throw GnuplotError("report: cannot write " + script.string());
  }
  const std::filesystem::path log = out_dir / "report_plots.log";
  for (const Plan& p : plans) std::filesystem::remove(out_dir / p.figure.file);
  run_gnuplot(program, script, out_dir, log);
  std::error_code ec;
  if (std::filesystem::file_size(log, ec) == 0) std::filesystem::remove(log, ec);
  for (const Plan& p : plans) {
    const std::filesystem::path image = out_dir / p.figure.file;
    if (!std::filesystem::exists(image) || std::filesystem::file_size(image) == 0) {
      throw GnuplotError("report: gnuplot did not write " + image.string() + " (see " + script.string() + ")");
    }
    figures.push_back(p.figure);
  }
  return figures;
}

}  // namespace analysis::report
