#pragma once
// What a metric is: the entry of the metric reference (`oraclesim describe metrics`, docs/metrics.md, the report's
// axis labels). Every metric a collector reports has one; the subsystem registry (subsystems.hpp) assembles them.
#include <string>
#include <vector>

namespace analysis {

// Whom one value of the metric describes. A per-entity metric's column is "<entity>.<name>" (a streams client's
// always; a feed's when the scenario has more than one feed, plain "<name>" otherwise).
enum class MetricEntity { kRun, kFeed, kStreamsClient };

struct MetricInfo {
  std::string name;        // as reported; a pattern names its variable part in angle brackets: chain_gas_<subsystem>
  std::string unit;        // count, s, ms, bps, fraction, gas, gas/day, ETH/day, LINK, LINK/day, events, blocks, ...
  MetricEntity entity = MetricEntity::kRun;
  std::string window;      // which part of the run it measures (after warm-up, whole run, ...)
  std::string definition;  // exactly what is counted or averaged, including what a reader may not expect
  std::string subsystem;   // filled by the registry: engine, chain, faults, or the subsystem's name
};

// "gas_per_update [gas]"; the column alone when the unit is a plain count or unknown (info null).
std::string metric_label(const std::string& column, const MetricInfo* info);

// How the metric's columns are named, e.g. "one per feed: <feed>.gas_per_update when the scenario has several feeds".
std::string entity_text(const MetricInfo& m);

// The reference as `oraclesim describe metrics` prints it: every metric, grouped by subsystem, or `only` alone.
std::string describe_metrics_text(const std::vector<MetricInfo>& metrics);
std::string describe_metric_text(const MetricInfo& m);
// The reference as docs/metrics.md holds it (`oraclesim describe metrics --markdown`).
std::string describe_metrics_markdown(const std::vector<MetricInfo>& metrics);

}  // namespace analysis
