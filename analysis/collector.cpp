#include "analysis/collector.hpp"

namespace analysis {

namespace {
// Seconds as the nearest double to ns / 1e9 (3816 s is 3816, not 3816.0000000000005 as ns * 1e-9 gives).
double exact_seconds(sim::Time t) { return static_cast<double>(t.ns()) / 1e9; }
}  // namespace

SeriesRecorder::SeriesRecorder(const std::vector<std::string>& wanted) {
  for (const auto& n : wanted) {
    if (n.size() > 2 && n.compare(n.size() - 2, 2, ".*") == 0) families_.insert(n.substr(0, n.size() - 2));
    else series_[n].name = n;
  }
}

void SeriesRecorder::add_member(const std::string& family, const std::string& member, sim::Time t, double value) {
  if (families_.count(family) == 0) return;
  const std::string name = family + "." + member;
  auto& s = series_[name];
  s.name = name;
  s.points.emplace_back(exact_seconds(t), value);
}

void SeriesRecorder::add(const std::string& name, sim::Time t, double value) {
  auto it = series_.find(name);
  if (it != series_.end()) it->second.points.emplace_back(exact_seconds(t), value);
}

std::vector<TimeSeries> SeriesRecorder::take() {
  std::vector<TimeSeries> r;
  for (auto& [n, s] : series_) r.push_back(std::move(s));
  series_.clear();
  return r;
}

}  // namespace analysis
