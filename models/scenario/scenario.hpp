#pragma once
// Scenario configuration: the plain structs a scenario file decodes into. The shared environment of a run (chain,
// assets, providers, network) and the fault schedule are typed members; every subsystem (feeds, requests, streams,
// the engine demo, ...) keeps its own block in `subsystems`, registered by the subsystem itself (see
// docs/architecture.md, "Adding a subsystem"). Every field has its default, unit and a one-line comment; the schema
// registers the key that sets it. Loading a file (extends:, --set, sweep:) lives in study.hpp.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/chain/chain_config.hpp"
#include "models/faults/fault_config.hpp"
#include "models/faults/search_config.hpp"
#include "models/node/node_config.hpp"
#include "models/providers/asset.hpp"
#include "models/providers/data_provider.hpp"
#include "models/scenario/subsystem_configs.hpp"
#include "sim/config_issue.hpp"
#include "sim/network/network_config.hpp"
#include "sim/time.hpp"

namespace models::scenario {

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
  std::vector<std::string> log_scale;  // metrics drawn on a log axis
  std::vector<std::string> compare;    // per-entity metrics compared side by side; default: all, with one point
};

struct ScenarioConfig {
  std::string name = "scenario";  // required in a file; names the results directory (configs built in code get this)
  std::string description;                                            // one line, free text
  std::uint64_t seed = 1;                                             // master seed
  sim::Duration duration = sim::Duration::nanoseconds(3'600'000'000'000);  // simulated time, 1 h
  sim::Duration warmup = sim::Duration::nanoseconds(0);               // metrics ignore events before this
  // The environment every subsystem shares (models/world/environment.hpp).
  std::vector<providers::AssetConfig> assets;                         // true-price processes, one per asset
  std::vector<providers::ProviderConfig> providers;                   // data providers (exchanges, aggregators)
  sim::NetworkConfig network;                                         // message network between actors
  chain::ChainConfig chain;                                           // the one simulated chain
  node::NodeConfig nodes;                                             // defaults of every Chainlink node of the run
  std::vector<faults::FaultSpec> faults;                              // scheduled faults
  std::vector<faults::RandomCrashProcess> fault_processes;            // random crash/recover processes
  faults::SearchConfig search;                                        // `oraclesim search` only; run ignores it
  RecordConfig record;                                                // per-run time series
  ReportConfig report;                                                // what `oraclesim report` shows
  SubsystemConfigs subsystems;                                        // each registered subsystem's block
};

// Something a fault may name: an actor (crash and the other actor faults) with its unique name and model, a
// network host (partition and link faults), or both (models/faults/fault_kind_registry.hpp, ActorInfo).
struct ActorName {
  std::string name;   // e.g. "eth-usd/node-3"
  std::string model;  // e.g. "ocr-node"; "host" for a host that is no actor
  bool actor = true;
  bool host = false;  // the world adds a network host of this name
};

template <class T>
class Block;
class Schema;

// What the registered subsystems add to the scenario language (the subsystem registry assembles it).
struct LanguageParts {
  // Each subsystem's keys on the root block, in registration order (the order of docs/scenarios.md).
  std::vector<std::function<void(Block<ScenarioConfig>&)>> blocks;
  // Checks across blocks that need the whole registry (the fault schedule against every actor and fault kind).
  std::function<void(const ScenarioConfig&, sim::ConfigIssues&)> cross_check;
  // Names `record.timeseries` accepts.
  std::vector<std::string> timeseries;
};

// The scenario schema: the top-level keys, the environment's blocks (assets, providers, network, chain), the
// fault schedule, record and report, and the subsystems' blocks. Immutable once built.
std::shared_ptr<const Schema> make_schema(const LanguageParts& parts);

// The problems of the environment blocks alone: assets and providers (names unique, every provider quotes a known
// asset). Paths are full key paths ("providers[2].asset").
sim::ConfigIssues validate_environment(const ScenarioConfig& c);

// Empty when `s` is one safe path component (1..100 of letters, digits, '.', '_', '-'; not "." or ".."); else what
// is wrong ("is empty", "contains '/'", ...). Scenario names become directory names.
std::string path_component_problem(const std::string& s);

}  // namespace models::scenario
