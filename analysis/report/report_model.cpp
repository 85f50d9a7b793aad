#include "analysis/report/report_model.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/core.h>

#include "analysis/report/csv_table.hpp"

namespace analysis::report {

namespace {

// The names as a list for a message; a long one (a scenario of many feeds has thousands of columns) is cut after
// `limit` names with how many more there are.
std::string joined(const std::vector<std::string>& names, std::size_t limit = 40) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < limit; ++i) out += (out.empty() ? "" : ", ") + names[i];
  if (names.size() > limit) out += fmt::format(", ... ({} more; the header of runs.csv lists them all)", names.size() - limit);
  return out.empty() ? "(none)" : out;
}

std::size_t require_metric(const Results& results, const std::string& name, const char* what) {
  if (auto i = results.metric_index(name)) return *i;
  throw UsageError("report: " + std::string(what) + " names metric '" + name +
                           "', which runs.csv does not have; its metrics are: " + joined(results.metric_names));
}

std::size_t require_key(const Results& results, const std::string& name, const char* what) {
  if (auto i = results.key_index(name)) return *i;
  throw UsageError("report: " + std::string(what) + " names '" + name +
                           "', which is not a swept key; the swept keys are: " + joined(results.swept_keys));
}

bool contains(const std::vector<std::size_t>& v, std::size_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }


std::vector<std::size_t> other_keys(const ReportSpec& spec, std::size_t except) {
  std::vector<std::size_t> out;
  for (std::size_t k : spec.series_order) {
    if (k != except) out.push_back(k);
  }
  return out;
}

std::vector<double> present(std::vector<double> xs) {
  xs.erase(std::remove_if(xs.begin(), xs.end(), [](double v) { return std::isnan(v); }), xs.end());
  return xs;
}

}  // namespace

std::string label_of(const Results& results, const std::vector<std::size_t>& keys,
                     const std::vector<std::string>& swept) {
  std::string out;
  for (std::size_t k : keys) out += (out.empty() ? "" : ", ") + results.swept_keys[k] + "=" + swept[k];
  return out;
}

ReportSpec resolve_spec(const Results& results, const ReportBlock& overrides) {
  const ReportBlock& scenario = results.report_block;
  auto pick = [](const auto& over, const auto& scen) -> const auto& { return over.empty() ? scen : over; };
  ReportSpec spec;

  const auto& metrics = pick(overrides.metrics, scenario.metrics);
  if (metrics.empty()) {
    for (std::size_t m = 0; m < results.metric_names.size(); ++m) spec.metrics.push_back(m);
  } else {
    for (const std::string& m : metrics) spec.metrics.push_back(require_metric(results, m, "report.metrics"));
  }

  const auto& xs = pick(overrides.x, scenario.x);
  if (xs.empty()) {
    for (std::size_t k = 0; k < results.swept_keys.size(); ++k) {
      if (results.numeric(k) && results.values_of(k).size() >= 2) spec.x_keys.push_back(k);
    }
  } else {
    for (const std::string& x : xs) {
      const std::size_t k = require_key(results, x, "report.x");
      if (!results.numeric(k)) {
        throw UsageError("report: report.x names '" + x + "', whose values are not all numbers");
      }
      spec.x_keys.push_back(k);
    }
  }

  for (const std::string& s : pick(overrides.series, scenario.series)) {
    const std::size_t k = require_key(results, s, "report.series");
    if (!contains(spec.series_order, k)) spec.series_order.push_back(k);
  }
  for (std::size_t k = 0; k < results.swept_keys.size(); ++k) {
    if (!contains(spec.series_order, k)) spec.series_order.push_back(k);
  }

  const auto& cdf = pick(overrides.cdf, scenario.cdf);
  if (cdf.empty()) {
    for (std::size_t m : spec.metrics) {
      const std::string& name = results.metric_names[m];
      if (name.find("latency") != std::string::npos || name.find("staleness") != std::string::npos) {
        spec.cdf_metrics.push_back(m);
      }
    }
  } else {
    for (const std::string& m : cdf) spec.cdf_metrics.push_back(require_metric(results, m, "report.cdf"));
  }

  const std::string& paired = overrides.paired.empty() ? scenario.paired : overrides.paired;
  if (!paired.empty()) {
    spec.paired_key = require_key(results, paired, "report.paired");
    spec.has_paired = true;
  } else {
    for (std::size_t k = 0; k < results.swept_keys.size() && !spec.has_paired; ++k) {
      if (results.values_of(k).size() == 2) {
        spec.paired_key = k;
        spec.has_paired = true;
      }
    }
  }
  if (spec.has_paired) {
    const std::vector<std::string> values = results.values_of(spec.paired_key);
    std::string baseline = overrides.baseline.empty() ? scenario.baseline : overrides.baseline;
    // Written as in the scenario ("20gwei") while runs.csv holds the key in its column unit ("20").
    if (const auto key = results.cell_of_written.find(results.swept_keys[spec.paired_key]);
        key != results.cell_of_written.end())
      if (const auto cell = key->second.find(baseline); cell != key->second.end()) baseline = cell->second;
    if (baseline.empty()) {
      spec.baseline = values.front();
    } else if (std::find(values.begin(), values.end(), baseline) != values.end()) {
      spec.baseline = baseline;
    } else {
      throw UsageError("report: report.baseline '" + baseline + "' is not a value of " +
                               results.swept_keys[spec.paired_key] + " (its values: " + joined(values) + ")");
    }
  }
  spec.timeline = pick(overrides.timeline, scenario.timeline);

  // A log axis for a column, or for every column of a per-feed or per-client metric named without its entity.
  const std::vector<ReportSpec::Comparison> entities = entity_metrics(results);
  for (const std::string& m : pick(overrides.log_scale, scenario.log_scale)) {
    const auto per_entity = std::find_if(entities.begin(), entities.end(), [&](const auto& c) { return c.metric == m; });
    if (!results.metric_index(m) && per_entity != entities.end())
      spec.log_metrics.insert(spec.log_metrics.end(), per_entity->columns.begin(), per_entity->columns.end());
    else
      spec.log_metrics.push_back(require_metric(results, m, "report.log_scale"));
  }

  // Entity by entity: what is asked for, else, with a single point (replications only), every per-entity metric
  // among those shown, in place of CDFs of a single point's runs.
  const auto& compare = pick(overrides.compare, scenario.compare);
  if (compare.empty()) {
    std::set<long> points;
    for (const Run& run : results.runs) points.insert(run.point);
    if (points.size() == 1) {
      for (const auto& c : entities)
        if (std::any_of(c.columns.begin(), c.columns.end(), [&](std::size_t m) { return contains(spec.metrics, m); }))
          spec.comparisons.push_back(c);
      if (cdf.empty() && !spec.comparisons.empty()) {
        std::vector<std::size_t> kept;
        for (std::size_t m : spec.cdf_metrics) {
          bool compared = false;
          for (const auto& c : spec.comparisons) compared = compared || contains(c.columns, m);
          if (!compared) kept.push_back(m);
        }
        spec.cdf_metrics = kept;
      }
    }
  } else {
    for (const std::string& name : compare) {
      const auto it = std::find_if(entities.begin(), entities.end(), [&](const auto& c) { return c.metric == name; });
      if (it == entities.end()) {
        std::vector<std::string> names;
        for (const auto& c : entities) names.push_back(c.metric);
        throw UsageError("report: report.compare names '" + name + "', which is not a metric of two feeds or clients "
                         "or more in runs.csv; those are: " + joined(names));
      }
      spec.comparisons.push_back(*it);
    }
  }
  return spec;
}

std::vector<ReportSpec::Comparison> entity_metrics(const Results& results) {
  std::map<std::string, ReportSpec::Comparison> by_name;
  std::vector<std::string> order;
  for (std::size_t m = 0; m < results.metric_names.size(); ++m) {
    const std::string& column = results.metric_names[m];
    const auto dot = column.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == column.size()) continue;
    const std::string name = column.substr(dot + 1);
    auto [it, fresh] = by_name.try_emplace(name);
    if (fresh) order.push_back(name);
    it->second.metric = name;
    it->second.entities.push_back(column.substr(0, dot));
    it->second.columns.push_back(m);
  }
  std::vector<ReportSpec::Comparison> out;
  for (const std::string& name : order)
    if (by_name[name].columns.size() >= 2) out.push_back(by_name[name]);
  return out;
}

std::vector<PointSummary> point_summaries(const Results& results, std::size_t metric) {
  std::vector<PointSummary> out;
  std::map<long, const SummaryRow*> rows;  // this metric's summary.csv rows by point
  for (const SummaryRow& s : results.summary) {
    if (s.metric == results.metric_names[metric]) rows.emplace(s.point, &s);
  }
  std::vector<double> values;
  for (std::size_t i = 0; i < results.runs.size(); ++i) {
    const Run& run = results.runs[i];
    values.push_back(run.metrics[metric]);
    if (i + 1 < results.runs.size() && results.runs[i + 1].point == run.point) continue;
    PointSummary ps;
    ps.point = run.point;
    ps.swept = run.swept;
    const auto found = rows.find(run.point);
    if (found != rows.end()) {
      const SummaryRow& row = *found->second;
      ps.summary = {row.n, row.mean, row.sd, row.ci95_low, row.ci95_high, row.min, row.max};
    } else {
      ps.summary = summarize(present(values));
    }
    out.push_back(std::move(ps));
    values.clear();
  }
  return out;
}

std::vector<Line> lines_against(const Results& results, const ReportSpec& spec, std::size_t metric,
                                std::size_t x_key) {
  const std::vector<std::size_t> others = other_keys(spec, x_key);
  std::vector<Line> lines;
  std::vector<std::map<double, std::vector<double>>> by_x;  // per line: x -> values
  for (const Run& run : results.runs) {
    const std::string label = label_of(results, others, run.swept);
    auto it = std::find_if(lines.begin(), lines.end(), [&](const Line& l) { return l.label == label; });
    if (it == lines.end()) {
      lines.push_back(Line{label, {}, {}, {}, {}});
      by_x.emplace_back();
      it = std::prev(lines.end());
    }
    const auto i = static_cast<std::size_t>(it - lines.begin());
    const double x = results.number_of(x_key, run.swept[x_key]).value_or(std::nan(""));
    const double y = run.metrics[metric];
    auto& bucket = by_x[i][x];
    if (!std::isnan(y)) {
      bucket.push_back(y);
      it->run_x.push_back(x);
      it->run_y.push_back(y);
    }
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    for (const auto& [x, ys] : by_x[i]) {
      if (ys.empty()) continue;
      lines[i].x.push_back(x);
      lines[i].at.push_back(summarize(ys));
    }
  }
  return lines;
}

std::vector<Curve> cdf_curves(const Results& results, const ReportSpec& spec, std::size_t metric,
                              std::size_t max_curves) {
  std::size_t points = 0;
  for (std::size_t i = 0; i < results.runs.size(); ++i) {
    if (i == 0 || results.runs[i].point != results.runs[i - 1].point) ++points;
  }
  // Per point when few, else per line label (the keys other than the first x key) pooling x.
  std::vector<std::size_t> keys = spec.series_order;
  if (points > max_curves && !spec.x_keys.empty()) keys = other_keys(spec, spec.x_keys.front());
  std::vector<Curve> curves;
  for (const Run& run : results.runs) {
    const std::string label = keys.empty() ? "all runs" : label_of(results, keys, run.swept);
    auto it = std::find_if(curves.begin(), curves.end(), [&](const Curve& c) { return c.label == label; });
    if (it == curves.end()) {
      curves.push_back(Curve{label, {}});
      it = std::prev(curves.end());
    }
    if (!std::isnan(run.metrics[metric])) it->sorted.push_back(run.metrics[metric]);
  }
  for (Curve& c : curves) std::sort(c.sorted.begin(), c.sorted.end());
  curves.erase(std::remove_if(curves.begin(), curves.end(), [](const Curve& c) { return c.sorted.empty(); }),
               curves.end());
  return curves;
}

std::vector<PairedTable> paired_tables(const Results& results, const ReportSpec& spec) {
  std::vector<PairedTable> tables;
  if (!spec.has_paired) return tables;
  const std::size_t key = spec.paired_key;
  const std::vector<std::size_t> group_keys = other_keys(spec, key);
  // Groups in sweep order; within a group, value -> replication -> run index.
  std::vector<std::vector<std::string>> groups;
  std::vector<std::map<std::string, std::map<long, std::size_t>>> members;
  for (std::size_t i = 0; i < results.runs.size(); ++i) {
    const Run& run = results.runs[i];
    std::vector<std::string> group;
    for (std::size_t k : group_keys) group.push_back(run.swept[k]);
    auto it = std::find(groups.begin(), groups.end(), group);
    if (it == groups.end()) {
      groups.push_back(group);
      members.emplace_back();
      it = std::prev(groups.end());
    }
    members[static_cast<std::size_t>(it - groups.begin())][run.swept[key]][run.replication] = i;
  }
  const std::vector<std::string> values = results.values_of(key);
  for (std::size_t m : spec.metrics) {
    PairedTable table;
    table.metric = results.metric_names[m];
    table.key = results.swept_keys[key];
    table.baseline = spec.baseline;
    for (std::size_t k : group_keys) table.group_keys.push_back(results.swept_keys[k]);
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const auto base = members[g].find(spec.baseline);
      if (base == members[g].end()) continue;
      for (const std::string& alternative : values) {
        if (alternative == spec.baseline) continue;
        const auto alt = members[g].find(alternative);
        if (alt == members[g].end()) continue;
        std::vector<double> b, a;
        for (const auto& [replication, run_index] : base->second) {
          const auto other = alt->second.find(replication);
          if (other == alt->second.end()) continue;
          const double vb = results.runs[run_index].metrics[m];
          const double va = results.runs[other->second].metrics[m];
          if (std::isnan(vb) || std::isnan(va)) continue;
          b.push_back(vb);
          a.push_back(va);
        }
        if (b.empty()) continue;
        PairedRow row;
        row.group = groups[g];
        row.alternative = alternative;
        row.baseline_mean = summarize(b).mean;
        row.alternative_mean = summarize(a).mean;
        row.saving = compare_paired(b, a).difference;
        const PairedComparison ratio = compare_paired(a, b);
        row.ratio = ratio.ratio;
        row.ratio_ci95_low = ratio.ratio_ci95_low;
        row.ratio_ci95_high = ratio.ratio_ci95_high;
        table.rows.push_back(std::move(row));
      }
    }
    if (!table.rows.empty()) tables.push_back(std::move(table));
  }
  return tables;
}

std::vector<FitRow> line_fits(const Results& results, const ReportSpec& spec) {
  std::vector<FitRow> out;
  for (std::size_t m : spec.metrics) {
    for (std::size_t x_key : spec.x_keys) {
      for (const Line& line : lines_against(results, spec, m, x_key)) {
        if (line.x.size() < 3) continue;
        FitRow row{results.metric_names[m], results.swept_keys[x_key], line.label, {}};
        try {
          row.fit = fit_line(line.run_x, line.run_y);
        } catch (const std::invalid_argument&) {
          continue;  // degenerate line (e.g. constant design); nothing to report
        }
        out.push_back(std::move(row));
      }
    }
  }
  return out;
}

}  // namespace analysis::report
