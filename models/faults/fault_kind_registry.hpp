#pragma once
// The registry of fault kinds and byzantine behaviours, and validation of a FaultsConfig against it.
//
// Fault kinds are extensible: each model registers its own (providers: outage/stale/bad_value; chain:
// congestion/halt/gas_spike; streams: site_outage, ...) with its parameters, an optional extra validator and,
// once the world is built, an injector. Byzantine behaviours are registered per actor model ("ocr-node": lie,
// withhold, ...); a byzantine fault whose targets' model lacks the behaviour is a validation issue.
//
//   FaultKindRegistry reg = FaultKindRegistry::with_builtin_kinds();
//   reg.add_kind({.name = "congestion", .target = TargetUse::none,
//                 .params = {{"multiplier", ParamType::number, true, "demand multiplier"}}});
//   reg.add_behaviour({.model = "ocr-node", .name = "lie", .params = {{"offset", ParamType::number, true, "relative"}}});
//   sim::ConfigIssues issues = validate(cfg.faults, reg, actors);   // "faults[2].target: matches no actor ..."
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "models/faults/fault_config.hpp"
#include "models/faults/fault_effect.hpp"
#include "sim/config_issue.hpp"

namespace models::faults {

enum class TargetUse {
  required,  // the fault needs a non-empty `target` (crash, clock_skew, byzantine, provider outage ...)
  optional,  // a target narrows the fault; without one it is global (e.g. chain congestion)
  none,      // `target` must not be given (partition and link use groups / from / to)
};

enum class ParamType { number, duration, string, boolean };

struct ParamSpec {
  std::string name;               // key in the fault entry, e.g. "added_latency"
  ParamType type = ParamType::number;
  bool required = false;          // missing -> issue
  std::string comment;            // one line: meaning and unit, shown in messages and docs
};

// Extra checks beyond presence and type (ranges, combinations). `path` is the fault's path ("faults[2]").
using ExtraValidator = std::function<void(const FaultSpec&, const std::string& path, sim::ConfigIssues&)>;
// Heals an injected fault (may be empty: nothing to undo).
using Healer = std::function<void()>;
// Injects a fault at its time; counts what it causes on `effect` (which outlives the injection) and returns
// what heals it.
using Injector = std::function<Healer(const InjectedFault&, FaultEffect& effect)>;

struct FaultKindInfo {
  std::string name;                         // the `kind` value
  TargetUse target = TargetUse::required;   // whether `target` is needed
  std::vector<ParamSpec> params;            // the keys allowed in `params`
  ExtraValidator validate;                  // optional
  Injector inject;                          // set when the world is built; empty while only validating
  std::vector<std::string> target_models;   // models every matched target must have (empty: any), e.g. "streams-site"
  bool one_group = false;                   // the targets must be one protocol instance: one "<prefix>/node-<i>" family
  std::string doc = {};                     // what it does, for `oraclesim describe fault-kinds`
  std::vector<std::string> effects = {};    // the effect counters it may count (run metrics fault_<counter>)
};

struct BehaviourInfo {
  std::string model;                        // actor model that supports it, e.g. "ocr-node"
  std::string name;                         // the `behaviour` value, e.g. "lie"
  std::vector<ParamSpec> params;            // keys allowed in the fault's `params`
  ExtraValidator validate;                  // optional
  std::string doc = {};                     // what the faulty actor does, for `oraclesim describe fault-kinds`
};

// "number", "duration", "string" or "boolean".
const char* param_type_name(ParamType t);

// Something a fault can name: an actor (crash, clock_skew, byzantine, ... targets) with its unique name
// ("eth-usd/node-3") and model ("ocr-node"), a network host (partition groups, link from/to), or both. An OCR node
// is both; a flux or request node is an actor only (it talks only to the chain); a Data Streams client or the load
// balancer is a host only (model "host").
struct ActorInfo {
  std::string name;
  std::string model;
  bool actor = true;  // a target of crash, clock_skew, byzantine and the models' own kinds
  bool host = false;  // a network host: partition groups and link from/to may name it
};

class FaultKindRegistry {
 public:
  // The registry with crash, partition, link, clock_skew and byzantine (validators, no injectors).
  static FaultKindRegistry with_builtin_kinds();

  // Throws std::invalid_argument on an empty or duplicate name.
  void add_kind(FaultKindInfo kind);
  // Throws std::invalid_argument if the kind is unknown.
  void set_injector(std::string_view kind, Injector inject);
  // Throws std::invalid_argument on an empty or duplicate (model, name).
  void add_behaviour(BehaviourInfo behaviour);

  const FaultKindInfo* find_kind(std::string_view name) const;
  const BehaviourInfo* find_behaviour(std::string_view model, std::string_view name) const;
  std::vector<std::string> kind_names() const;                           // sorted
  std::vector<std::string> behaviours_of(std::string_view model) const;  // sorted
  std::vector<const BehaviourInfo*> behaviours() const;                  // every one, sorted by model and name

 private:
  std::map<std::string, FaultKindInfo, std::less<>> kinds_;
  std::map<std::pair<std::string, std::string>, BehaviourInfo> behaviours_;
};

// Checks presence and type of the kind's params (unknown keys are issues too); `path` is the fault's path.
void validate_params(const Params& params, std::span<const ParamSpec> specs, const std::string& path,
                     sim::ConfigIssues& issues);

// Every problem in `cfg`: unknown kind ("faults[i].kind"), target matching no actor ("faults[i].target"), group or
// link end matching no network host ("faults[i].groups[j]", "faults[i].from"), unknown behaviour for a target's model ("faults[i].behaviour"),
// bad params ("faults[i].<param>"), bad times ("faults[i].at", "faults[i].duration"), and the same for
// "fault_processes[i]". `actors` is every actor and network host a fault may name (any order).
sim::ConfigIssues validate(const FaultsConfig& cfg, const FaultKindRegistry& registry,
                           std::span<const ActorInfo> actors);

}  // namespace models::faults
