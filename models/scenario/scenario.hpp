#pragma once
// Scenario configuration: the plain structs a scenario file decodes into. Every field has its default, unit
// and a one-line comment; the schema (scenario_schema.cpp) registers the key that sets it. Loading a file
// (extends:, --set, sweep:) lives in study.hpp.
#include <cstdint>
#include <string>
#include <vector>

#include "models/request/request_scenario.hpp"
#include "models/streams/streams_config.hpp"
#include "models/chain/chain_config.hpp"
#include "models/feeds/feed_world.hpp"
#include "models/faults/fault_config.hpp"
#include "sim/network/network_config.hpp"
#include "sim/time.hpp"

namespace models::scenario {

// The engine-level demo workload (PHOLD, models/demo/phold.hpp), built while no feed models exist.
struct DemoConfig {
  bool enabled = true;                                                // build the PHOLD workload
  std::uint32_t lps = 64;                                             // logical processes, >= 1
  std::uint32_t population = 4;                                       // initial events per LP, >= 1
  sim::Duration min_delay = sim::Duration::nanoseconds(100'000);      // lookahead added to every delay, 100 us
  sim::Duration mean_delay = sim::Duration::nanoseconds(1'000'000);   // mean of the exponential part, 1 ms
};

// What to record per run besides scalar metrics.
struct RecordConfig {
  std::vector<std::string> timeseries;                                // series names to write under timeseries/
  sim::Duration every = sim::Duration::nanoseconds(1'000'000'000);    // sampling interval of series, 1 s
};

// What `oraclesim report` shows (analysis/report/report.hpp); an empty list or text means the report's default.
struct ReportConfig {
  std::vector<std::string> metrics;   // metrics to show; default: all
  std::vector<std::string> x;         // swept keys on the x axis; default: every numeric swept key
  std::vector<std::string> series;    // swept keys naming the lines first; default: the other swept keys
  std::vector<std::string> cdf;       // metrics drawn as CDFs across runs; default: names with latency/staleness
  std::vector<std::string> timeline;  // series of the single-run timeline; default: names with price/answer
  std::string paired;                 // swept key compared pairwise by replication; default: first 2-valued key
  std::string baseline;               // baseline value of `paired`; default: its first value
};

struct ScenarioConfig {
  std::string name;                                                   // required; names the results directory
  std::string description;                                            // one line, free text
  std::uint64_t seed = 1;                                             // master seed
  sim::Duration duration = sim::Duration::nanoseconds(3'600'000'000'000);  // simulated time, 1 h
  sim::Duration warmup = sim::Duration::nanoseconds(0);               // metrics ignore events before this
  DemoConfig demo;                                                    // demo workload
  std::vector<feeds::AssetConfig> assets;                             // true-price processes, one per asset
  std::vector<providers::ProviderConfig> providers;                   // data providers (exchanges, aggregators)
  std::vector<feeds::FluxFeedConfig> feeds;                           // price feeds (aggregation: flux)
  sim::NetworkConfig network;                                         // message network between actors
  std::vector<faults::FaultSpec> faults;                              // scheduled faults
  std::vector<faults::RandomCrashProcess> fault_processes;            // random crash/recover processes
  chain::ChainConfig chain;                                           // the simulated chain
  RecordConfig record;                                                // per-run time series

  ReportConfig report;                                                // what `oraclesim report` shows

  request::RequestsConfig requests;                                   // basic request model (requests:)
  streams::StreamsConfig streams;                                     // Data Streams (streams:)
};

// The feed models' part of a scenario (chain, assets, providers, feeds), as models/feeds builds it.
feeds::FeedWorldConfig feed_world_config(const ScenarioConfig& c);

class Schema;
// The scenario schema (immutable, built on first use).
const Schema& scenario_schema();

// Every actor a fault may name (name and model), as the World will build them from `cfg`. Empty while the
// world holds only the PHOLD demo.
struct ActorName {
  std::string name;   // e.g. "eth-usd/node-3"
  std::string model;  // e.g. "ocr-node"
};
std::vector<ActorName> actors_of(const ScenarioConfig& cfg);

// Names of per-run time series that `record.timeseries` accepts (collectors provide them).
const std::vector<std::string>& timeseries_names();

}  // namespace models::scenario
