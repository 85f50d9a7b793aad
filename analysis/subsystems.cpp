#include "analysis/subsystems.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/core.h>

#include "analysis/feed_collector.hpp"
#include "analysis/metric_catalogue.hpp"
#include "analysis/phold_collector.hpp"
#include "analysis/request_metrics.hpp"
#include "analysis/search/schedule_space.hpp"
#include "analysis/streams_collector.hpp"
#include "models/chain/chain_faults.hpp"
#include "models/demo/demo_subsystem.hpp"
#include "models/feeds/feeds_subsystem.hpp"
#include "models/providers/provider_faults.hpp"
#include "models/request/requests_subsystem.hpp"
#include "models/streams/streams_subsystem.hpp"

namespace analysis {

namespace sc = models::scenario;

void Registry::add(Subsystem s) {
  if (s.name.empty()) throw std::invalid_argument("a subsystem needs a name");
  if (find(s.name) != nullptr) throw std::invalid_argument("subsystem '" + s.name + "' registered twice");
  if (!s.keys || !s.build) throw std::invalid_argument("subsystem '" + s.name + "' needs keys and build functions");
  add_metrics(s.name, s.metrics);
  subsystems_.push_back(std::move(s));
  rebuild_schema();
}

void Registry::add_metrics(const std::string& subsystem, const std::vector<MetricInfo>& metrics) {
  for (MetricInfo m : metrics) {
    for (const auto& known : metrics_)
      if (known.name == m.name)
        throw std::invalid_argument("metric '" + m.name + "' registered by " + known.subsystem + " and " + subsystem);
    m.subsystem = subsystem;
    metrics_.push_back(std::move(m));
  }
}

namespace {

bool is_pattern(const std::string& name) { return name.find('<') != std::string::npos; }

using PlaceholderValues = std::map<std::string, std::set<std::string>>;

// Whether `column` is an instance of the pattern `name`: the text before '<' and after '>' around a part that is
// one of the placeholder's values (any non-empty text when `values` has none for it).
bool matches_pattern(const std::string& name, const std::string& column, const PlaceholderValues& values) {
  const auto open = name.find('<'), close = name.find('>');
  if (open == std::string::npos || close == std::string::npos || close < open) return false;
  const std::string head = name.substr(0, open), tail = name.substr(close + 1);
  if (column.size() <= head.size() + tail.size() || column.compare(0, head.size(), head) != 0 ||
      column.compare(column.size() - tail.size(), tail.size(), tail) != 0)
    return false;
  const auto allowed = values.find(name.substr(open, close - open + 1));
  return allowed == values.end() ||
         allowed->second.count(column.substr(head.size(), column.size() - head.size() - tail.size())) != 0;
}

const MetricInfo* find_base(const std::vector<MetricInfo>& metrics, const std::string& name,
                            const PlaceholderValues& values) {
  for (const auto& m : metrics)
    if (!is_pattern(m.name) && m.name == name) return &m;
  for (const auto& m : metrics)
    if (is_pattern(m.name) && matches_pattern(m.name, name, values)) return &m;
  return nullptr;
}

// A metric's name, an entity's column of it ("eth-usd.gas_per_update") or an instance of a pattern.
const MetricInfo* find_column(const std::vector<MetricInfo>& metrics, const std::string& column, const PlaceholderValues& values) {
  if (const auto* m = find_base(metrics, column, values)) return m;
  const auto dot = column.rfind('.');
  if (dot == std::string::npos || dot == 0) return nullptr;
  const auto* m = find_base(metrics, column.substr(dot + 1), values);
  return m != nullptr && m->entity != MetricEntity::kRun ? m : nullptr;
}

}  // namespace

const MetricInfo* Registry::find_metric(const std::string& column) const {
  return find_column(metrics_, column, placeholder_values_);
}

const Subsystem* Registry::find(const std::string& name) const {
  for (const auto& s : subsystems_)
    if (s.name == name) return &s;
  return nullptr;
}

namespace {

std::vector<sc::ActorName> actors_of(const std::vector<Subsystem>& subsystems, const sc::ScenarioConfig& c) {
  std::vector<sc::ActorName> out;
  for (const auto& p : c.providers) out.push_back({p.name, "provider"});
  for (const auto& s : subsystems)
    if (s.actors) s.actors(c, out);
  return out;
}

models::faults::FaultKindRegistry fault_kinds_of(const std::vector<Subsystem>& subsystems) {
  auto registry = models::faults::FaultKindRegistry::with_builtin_kinds();
  models::chain::register_chain_fault_kinds(registry);
  models::providers::register_provider_fault_kinds(registry);
  for (const auto& s : subsystems)
    if (s.fault_kinds) s.fault_kinds(registry);
  return registry;
}

}  // namespace

Registry::Registry() {
  add_metrics("engine", engine_metrics());
  add_metrics("chain", chain_metrics());
  add_metrics("faults", fault_metrics());
  rebuild_schema();
}

std::vector<sc::ActorName> Registry::actors_of(const sc::ScenarioConfig& c) const {
  return analysis::actors_of(subsystems_, c);
}

models::faults::FaultKindRegistry Registry::fault_kinds() const { return fault_kinds_of(subsystems_); }

std::vector<models::world::PartBuilder> Registry::builders() const {
  std::vector<models::world::PartBuilder> out;
  for (const auto& s : subsystems_) out.push_back({s.name, s.build});
  return out;
}

void Registry::rebuild_schema() {
  // What the metric patterns' placeholders may stand for.
  auto& subsystems = placeholder_values_["<subsystem>"];
  subsystems = {"other"};
  for (const auto& s : subsystems_) subsystems.insert(s.name);
  auto& counters = placeholder_values_["<counter>"];
  counters.clear();
  const auto kinds = fault_kinds();
  for (const auto& name : kinds.kind_names())
    for (const auto& effect : kinds.find_kind(name)->effects) counters.insert(effect);

  sc::LanguageParts parts;
  for (const auto& s : subsystems_) {
    parts.blocks.push_back(s.keys);
    parts.timeseries.insert(parts.timeseries.end(), s.timeseries.begin(), s.timeseries.end());
  }
  parts.timeseries.push_back("pending_events");  // the engine's (EngineCollector)
  parts.timeseries.push_back("base_fee_gwei");   // the chain's (ChainCollector)
  std::sort(parts.timeseries.begin(), parts.timeseries.end());
  // The fault schedule against every registered actor and fault kind. The registrations are copied into the check,
  // so a schema stays valid whatever happens to this Registry later.
  // The search block's entries the same way, and its objective against the metric reference.
  parts.cross_check = [subs = subsystems_, metrics = metrics_, placeholders = placeholder_values_](const sc::ScenarioConfig& c,
                                                                                                   sim::ConfigIssues& out) {
    if (!c.search.objective.empty() && find_column(metrics, c.search.objective, placeholders) == nullptr)
      out.add("search.objective", fmt::format("'{}' is not a metric (`oraclesim describe metrics` lists them; a per-entity metric "
                                              "is written entity.metric, e.g. single.client_gap_s_max)", c.search.objective));
    for (std::size_t i = 0; i < c.search.guide.size(); ++i)
      if (find_column(metrics, c.search.guide[i], placeholders) == nullptr)
        out.add(fmt::format("search.guide[{}]", i), fmt::format("'{}' is not a metric (`oraclesim describe metrics` lists them)",
                                                                c.search.guide[i]));
    if (c.faults.empty() && c.fault_processes.empty() && c.search.faults.empty()) return;
    std::vector<models::faults::ActorInfo> actors;
    for (const auto& a : analysis::actors_of(subs, c)) actors.push_back({a.name, a.model, a.actor, a.host});
    const auto kinds = fault_kinds_of(subs);
    out.append(models::faults::validate(models::faults::FaultsConfig{c.faults, c.fault_processes}, kinds, actors));
    out.append(search::validate_search(c.search, kinds, actors));
  };
  schema_ = sc::make_schema(parts);
}

std::unique_ptr<models::world::World> Registry::make_world(sim::Simulation& sim, const sc::ScenarioConfig& cfg) const {
  return std::make_unique<models::world::World>(sim, cfg, builders(), fault_kinds(), actors_of(cfg));
}

sc::Study Registry::load_study(const std::string& file, const std::vector<std::string>& sets) const {
  return sc::load_study(*schema_, file, sets);
}

namespace {

Registry make_builtin() {
  Registry r;
  r.add({.name = models::demo::kSubsystem,
         .keys = models::demo::register_keys,
         .actors = {},
         .fault_kinds = {},
         .build = models::demo::build,
         .collectors = phold_collectors,
         .metrics = demo_metrics(),
         .timeseries = {"phold_handled"}});
  r.add({.name = models::feeds::kSubsystem,
         .keys = models::feeds::register_keys,
         .actors = models::feeds::actor_names,
         .fault_kinds = models::feeds::register_fault_kinds,
         .build = models::feeds::build,
         .collectors = feed_collectors,
         .metrics = feed_metrics(),
         .timeseries = {"onchain_answer", "true_price", "provider_price.*", "answer_updates", "answer_band_low",
                        "answer_band_high", "feed_gas_price_gwei", "answer_age_s.*"}});
  r.add({.name = models::request::kSubsystem,
         .keys = models::request::register_keys,
         .actors = models::request::actor_names,
         .fault_kinds = {},
         .build = models::request::build,
         .collectors = request_collectors,
         .metrics = request_metrics(),
         .timeseries = {}});
  r.add({.name = models::streams::kSubsystem,
         .keys = models::streams::register_keys,
         .actors = models::streams::actor_names,
         .fault_kinds = models::streams::register_fault_kinds,
         .build = models::streams::build,
         .collectors = streams_collectors,
         .metrics = streams_metrics(),
         .timeseries = {}});
  return r;
}

}  // namespace

const Registry& builtin_registry() {
  static const Registry r = make_builtin();
  return r;
}

}  // namespace analysis
