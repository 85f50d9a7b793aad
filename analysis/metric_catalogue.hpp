#pragma once
// The built-in collectors' metrics (metric_catalogue.cpp): the environment's (engine, chain, faults) and each
// shipped subsystem's, registered with the subsystem registry (subsystems.cpp).
#include <vector>

#include "analysis/metric_info.hpp"

namespace analysis {

std::vector<MetricInfo> engine_metrics();   // phold_collector.cpp's EngineCollector
std::vector<MetricInfo> chain_metrics();    // chain_collector.cpp
std::vector<MetricInfo> fault_metrics();    // fault_metrics.cpp
std::vector<MetricInfo> demo_metrics();     // phold_collector.cpp's PholdCollector
std::vector<MetricInfo> feed_metrics();     // feed_metrics.cpp, feed_collector.cpp
std::vector<MetricInfo> request_metrics();  // request_metrics.cpp
std::vector<MetricInfo> streams_metrics();  // streams_metrics.cpp, streams_collector.cpp

}  // namespace analysis
