#pragma once
// The subsystem registry: each subsystem of the ecosystem (the engine demo, feeds, requests, Data Streams, ...)
// registers once, with everything a run needs from it:
//
//   keys         its scenario block(s) on the root (models/scenario/schema.hpp), with their validators
//   actors       the names (and models) of the actors faults may target: the one list used by validation and
//                checked against what the builder built
//   fault_kinds  its fault kinds and byzantine behaviours
//   build        the builder: its actors on the shared Environment (models/world), nullptr when unused
//   collectors   the collectors of its metrics (analysis/)
//   metrics      the reference of every metric those collectors report (metric_info.hpp): a run that reports a
//                metric no registration names fails
//   timeseries   the series names its collectors record
//
// The registry turns the registrations into the scenario schema, the fault validation and the World's builders;
// nothing else in the scenario, world or run code names a subsystem. A new subsystem is one `add` (see
// docs/architecture.md, "Adding a subsystem"); builtin_registry() lists the shipped ones in order.
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "analysis/collector.hpp"
#include "analysis/metric_info.hpp"
#include "models/faults/fault_kind_registry.hpp"
#include "models/scenario/scenario.hpp"
#include "models/scenario/schema.hpp"
#include "models/scenario/study.hpp"
#include "models/world/world.hpp"

namespace analysis {

// What a subsystem's collectors see of the run: the world and the measurement window [warmup_end, end).
struct RunContext {
  models::world::World& world;
  const models::scenario::ScenarioConfig& config;
  sim::Time warmup_end;
  sim::Time end;
};

using CollectorList = std::vector<std::unique_ptr<Collector>>;

struct Subsystem {
  std::string name;  // unique; also the name of its part in the World
  std::function<void(models::scenario::Block<models::scenario::ScenarioConfig>&)> keys;
  std::function<void(const models::scenario::ScenarioConfig&, std::vector<models::scenario::ActorName>&)> actors;
  std::function<void(models::faults::FaultKindRegistry&)> fault_kinds;
  std::function<std::unique_ptr<models::world::Part>(models::world::Environment&, const models::scenario::ScenarioConfig&)> build;
  std::function<void(models::world::Part&, const RunContext&, CollectorList&)> collectors;
  std::vector<MetricInfo> metrics;
  std::vector<std::string> timeseries;
};

class Registry {
 public:
  Registry();  // no subsystems: the environment's keys alone
  // Throws std::invalid_argument on an empty or duplicate name or a missing keys or build function.
  void add(Subsystem s);
  const std::vector<Subsystem>& subsystems() const { return subsystems_; }
  const Subsystem* find(const std::string& name) const;

  // The scenario schema with every registered block (rebuilt by add()).
  const models::scenario::Schema& schema() const { return *schema_; }
  // Every actor a fault may name: the providers and each subsystem's actors.
  std::vector<models::scenario::ActorName> actors_of(const models::scenario::ScenarioConfig& c) const;
  // The built-in fault kinds, the chain's and providers', and each subsystem's.
  models::faults::FaultKindRegistry fault_kinds() const;
  // Every metric a run may report: the environment's (engine, chain, faults), then each subsystem's, with their
  // subsystem filled in.
  const std::vector<MetricInfo>& metrics() const { return metrics_; }
  // The entry of a metric column of runs.csv: a metric's name, an entity's column of it ("eth-usd.gas_per_update"),
  // or an instance of a pattern ("chain_gas_feeds" of chain_gas_<subsystem>); nullptr when no entry fits.
  const MetricInfo* find_metric(const std::string& column) const;
  // The World's builders, in registration order.
  std::vector<models::world::PartBuilder> builders() const;
  // Every problem of a config built in C++ (what loading a file checks after decoding), with full key paths.
  sim::ConfigIssues validate(const models::scenario::ScenarioConfig& cfg) const { return schema_->validate(&cfg); }
  // The World of `cfg` built from this registry (what run_one builds; for tests and tools that drive it themselves).
  std::unique_ptr<models::world::World> make_world(sim::Simulation& sim, const models::scenario::ScenarioConfig& cfg) const;
  // Loads a scenario file against this registry's schema (models/scenario/study.hpp).
  models::scenario::Study load_study(const std::string& file, const std::vector<std::string>& sets = {}) const;

 private:
  void rebuild_schema();
  void add_metrics(const std::string& subsystem, const std::vector<MetricInfo>& metrics);
  std::vector<Subsystem> subsystems_;
  std::shared_ptr<const models::scenario::Schema> schema_;
  std::vector<MetricInfo> metrics_;
  // The values a pattern's placeholder may take: "<subsystem>" the subsystems and other, "<counter>" the fault kinds'
  // effects. A placeholder without an entry takes any value.
  std::map<std::string, std::set<std::string>> placeholder_values_;
};

// The shipped subsystems: demo, feeds, requests, streams (in that order).
const Registry& builtin_registry();

}  // namespace analysis
