#include "analysis/collector.hpp"

namespace analysis {

SeriesRecorder::SeriesRecorder(const std::vector<std::string>& wanted) {
  for (const auto& n : wanted) series_[n].name = n;
}

void SeriesRecorder::add(const std::string& name, sim::Time t, double value) {
  auto it = series_.find(name);
  if (it != series_.end()) it->second.points.emplace_back(t.seconds(), value);
}

std::vector<TimeSeries> SeriesRecorder::take() {
  std::vector<TimeSeries> r;
  for (auto& [n, s] : series_) r.push_back(std::move(s));
  series_.clear();
  return r;
}

}  // namespace analysis
