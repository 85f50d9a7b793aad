#include "models/faults/fault_kind_registry.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include <fmt/core.h>

#include "models/faults/glob.hpp"

namespace models::faults {

namespace {

// "an outage", "a crash": the kind with its article, for messages.
std::string a_kind(const std::string& kind) {
  const bool vowel = !kind.empty() && std::string_view("aeiou").find(kind[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + kind;
}

std::string_view type_name(ParamType t) {
  switch (t) {
    case ParamType::number: return "a number";
    case ParamType::duration: return "a duration (e.g. 250ms)";
    case ParamType::string: return "a string";
    case ParamType::boolean: return "true or false";
  }
  return "?";
}

bool has_type(const ParamValue& v, ParamType t) {
  switch (t) {
    case ParamType::number: return std::holds_alternative<double>(v);
    case ParamType::duration: return std::holds_alternative<sim::Duration>(v);
    case ParamType::string: return std::holds_alternative<std::string>(v);
    case ParamType::boolean: return std::holds_alternative<bool>(v);
  }
  return false;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

const double* number(const Params& p, const char* key) {
  auto it = p.find(key);
  return it == p.end() ? nullptr : std::get_if<double>(&it->second);
}
const sim::Duration* duration(const Params& p, const char* key) {
  auto it = p.find(key);
  return it == p.end() ? nullptr : std::get_if<sim::Duration>(&it->second);
}

void validate_link(const FaultSpec& f, const std::string& path, sim::ConfigIssues& issues) {
  const double* mult = number(f.params, "multiplier");
  const double* loss = number(f.params, "loss");
  const sim::Duration* added = duration(f.params, "added_latency");
  if (!mult && !loss && !added)
    issues.add(path, "link fault needs at least one of added_latency, multiplier, loss");
  if (mult && !(std::isfinite(*mult) && *mult > 0))
    issues.add(path + ".multiplier", fmt::format("must be > 0 (got {})", *mult));
  if (loss && !(*loss >= 0 && *loss <= 1)) issues.add(path + ".loss", fmt::format("must be in [0, 1] (got {})", *loss));
  if (added && added->ns() < 0) issues.add(path + ".added_latency", fmt::format("must be >= 0 (got {})", *added));
}

void validate_skew(const FaultSpec& f, const std::string& path, sim::ConfigIssues& issues) {
  const double* rate = number(f.params, "rate");
  if (!rate && !f.params.count("offset")) issues.add(path, "clock_skew fault needs offset and/or rate");
  if (rate && !(std::isfinite(*rate) && *rate > 0))
    issues.add(path + ".rate", fmt::format("must be > 0 (local seconds per true second, got {})", *rate));
}

}  // namespace

FaultKindRegistry FaultKindRegistry::with_builtin_kinds() {
  FaultKindRegistry r;
  r.add_kind({.name = "crash", .target = TargetUse::required, .params = {}, .validate = {}, .inject = {}, .target_models = {},
              .one_group = false,
              .doc = "the targets stop: every event they would handle is suppressed and, for network hosts, messages to and "
                     "from them are dropped; at the heal they restart (an OCR node keeps its pacemaker state, a Streams "
                     "node and site lose theirs, a provider answers every query with an error while down)",
              .effects = {"messages_dropped", "events_suppressed"}});
  // The target that leads its protocol (OCR feed, Streams DON) when the fault starts crashes; e.g. "eth-usd/node-*".
  r.add_kind({.name = "crash_leader", .target = TargetUse::required, .params = {}, .validate = {}, .inject = {},
              .target_models = {"ocr-node", "streams-node"}, .one_group = true,
              .doc = "crashes, as crash does, whichever target leads its protocol (one OCR feed or the Streams DON) when "
                     "the fault starts; nothing happens when the leader is not among the targets",
              .effects = {"leaders_crashed", "messages_dropped", "events_suppressed"}});
  r.add_kind({.name = "partition", .target = TargetUse::none, .params = {}, .validate = {}, .inject = {}, .target_models = {},
              .one_group = false,
              .doc = "splits the network hosts named in `groups` (two or more lists of globs): messages between groups are "
                     "dropped when sent and when delivered, so messages in flight are lost too",
              .effects = {"messages_dropped"}});
  r.add_kind({.name = "link",
              .target = TargetUse::none,
              .params = {{"added_latency", ParamType::duration, false, "extra one-way latency"},
                         {"multiplier", ParamType::number, false, "factor on the sampled latency, > 0"},
                         {"loss", ParamType::number, false, "extra loss probability in [0, 1]"}},
              .validate = validate_link,
              .inject = {}, .target_models = {}, .one_group = false,
              .doc = "impairs the messages between the hosts `from` and `to` (both directions): latency x multiplier + "
                     "added_latency, and a loss that reliable channels turn into retransmission delays",
              .effects = {"messages_delayed", "messages_dropped"}});
  r.add_kind({.name = "clock_skew",
              .target = TargetUse::required,
              .params = {{"offset", ParamType::duration, false, "local clock minus true time"},
                         {"rate", ParamType::number, false, "local seconds per true second, > 0"}},
              .validate = validate_skew,
              .inject = {}, .target_models = {}, .one_group = false,
              .doc = "skews the local clock of the targets; of the shipped models only OCR and Streams DON nodes read "
                     "one (on others the fault has no effect and counts in faults_without_effect); a second skew on "
                     "one actor replaces the first, and the first heal clears both",
              .effects = {"skewed_clock_reads"}});
  r.add_kind({.name = "byzantine", .target = TargetUse::required, .params = {}, .validate = {}, .inject = {}, .target_models = {},
              .one_group = false,
              .doc = "the targets follow `behaviour` (see the behaviours per model below) with its params; only models "
                     "that register the behaviour may be targeted; the last behaviour set wins and any heal clears it",
              .effects = {"byzantine_actions"}});
  return r;
}

void FaultKindRegistry::add_kind(FaultKindInfo kind) {
  if (kind.name.empty()) throw std::invalid_argument("fault kind name must not be empty");
  const std::string name = kind.name;
  if (!kinds_.emplace(name, std::move(kind)).second)
    throw std::invalid_argument(fmt::format("fault kind '{}' registered twice", name));
}

void FaultKindRegistry::set_injector(std::string_view kind, Injector inject) {
  auto it = kinds_.find(kind);
  if (it == kinds_.end()) throw std::invalid_argument(fmt::format("unknown fault kind '{}'", kind));
  it->second.inject = std::move(inject);
}

void FaultKindRegistry::add_behaviour(BehaviourInfo b) {
  if (b.model.empty() || b.name.empty()) throw std::invalid_argument("byzantine behaviour needs a model and a name");
  auto key = std::pair{b.model, b.name};
  if (!behaviours_.emplace(key, std::move(b)).second)
    throw std::invalid_argument(fmt::format("behaviour '{}' of model '{}' registered twice", key.second, key.first));
}

const FaultKindInfo* FaultKindRegistry::find_kind(std::string_view name) const {
  auto it = kinds_.find(name);
  return it == kinds_.end() ? nullptr : &it->second;
}

const BehaviourInfo* FaultKindRegistry::find_behaviour(std::string_view model, std::string_view name) const {
  auto it = behaviours_.find(std::pair{std::string(model), std::string(name)});
  return it == behaviours_.end() ? nullptr : &it->second;
}

std::vector<std::string> FaultKindRegistry::kind_names() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : kinds_) out.push_back(k);
  return out;
}

const char* param_type_name(ParamType t) {
  switch (t) {
    case ParamType::number: return "number";
    case ParamType::duration: return "duration";
    case ParamType::string: return "string";
    case ParamType::boolean: return "boolean";
  }
  return "?";
}

std::vector<const BehaviourInfo*> FaultKindRegistry::behaviours() const {
  std::vector<const BehaviourInfo*> out;
  for (const auto& [k, v] : behaviours_) out.push_back(&v);
  return out;
}

std::vector<std::string> FaultKindRegistry::behaviours_of(std::string_view model) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : behaviours_)
    if (k.first == model) out.push_back(k.second);
  return out;
}

void validate_params(const Params& params, std::span<const ParamSpec> specs, const std::string& path,
                     sim::ConfigIssues& issues) {
  for (const ParamSpec& s : specs) {
    auto it = params.find(s.name);
    if (it == params.end()) {
      if (s.required) issues.add(path + "." + s.name, fmt::format("missing: {} ({})", type_name(s.type), s.comment));
    } else if (!has_type(it->second, s.type)) {
      issues.add(path + "." + s.name, fmt::format("must be {} ({})", type_name(s.type), s.comment));
    }
  }
  for (const auto& entry : params) {
    const std::string& key = entry.first;  // a plain reference: lambdas capture it (clang 14 cannot capture bindings)
    const bool known = std::any_of(specs.begin(), specs.end(), [&](const ParamSpec& s) { return s.name == key; });
    if (!known) {
      std::vector<std::string> names;
      for (const auto& s : specs) names.push_back(s.name);
      issues.add(path + "." + key,
                 names.empty() ? std::string("unknown key (this fault takes no parameters)")
                               : fmt::format("unknown key (expected one of: {})", join(names)));
    }
  }
}

namespace {

std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// "'p' matches no actor (closest: a, b, c)": the three names nearest the pattern by edit distance.
std::string matches_nothing(const std::string& pattern, const std::vector<std::string>& names, const char* what) {
  std::vector<std::pair<std::size_t, std::string>> by_distance;
  for (const std::string& n : names) by_distance.emplace_back(distance(pattern, n), n);
  std::sort(by_distance.begin(), by_distance.end());
  std::string closest;
  for (std::size_t i = 0; i < by_distance.size() && i < 3; ++i) closest += (i ? ", " : "") + by_distance[i].second;
  return closest.empty() ? fmt::format("'{}' matches no {} (there are none)", pattern, what)
                         : fmt::format("'{}' matches no {} (closest: {})", pattern, what, closest);
}

void check_target(const TargetSpec& t, const std::vector<std::string>& names, const std::string& path,
                  sim::ConfigIssues& issues) {
  if (t.patterns.empty()) {
    issues.add(path, "missing: a target (actor names or globs, or {any: k, of: pattern})");
    return;
  }
  for (const std::string& p : t.patterns) {
    const std::string one[] = {p};
    if (match_all(one, names).empty()) issues.add(path, matches_nothing(p, names, "actor"));
  }
  const std::size_t n = match_all(t.patterns, names).size();
  if (t.any > 0 && n > 0 && t.any > n)
    issues.add(path + ".any", fmt::format("asks for {} actors but the target matches only {}", t.any, n));
}

// Partition groups and link ends name network hosts. A pattern that matches only actors without a host (flux or
// request nodes, which talk only to the chain) says so: cutting their network would change nothing.
void check_hosts(const std::vector<std::string>& patterns, const std::vector<std::string>& hosts,
                 const std::vector<std::string>& actors, const std::string& path, sim::ConfigIssues& issues) {
  if (patterns.empty()) {
    issues.add(path, "missing: a list of host names or globs");
    return;
  }
  for (const std::string& p : patterns) {
    const std::string one[] = {p};
    if (!match_all(one, hosts).empty()) continue;
    const auto actors_hit = match_all(one, actors);
    if (!actors_hit.empty())
      issues.add(path, fmt::format("'{}' matches actors that are not network hosts ({}{}): they talk only to the chain, "
                                   "so a network fault cannot reach them; crash them instead", p, actors_hit.front(),
                                   actors_hit.size() > 1 ? fmt::format(" and {} more", actors_hit.size() - 1) : ""));
    else
      issues.add(path, matches_nothing(p, hosts, "network host"));
  }
}

}  // namespace

sim::ConfigIssues validate(const FaultsConfig& cfg, const FaultKindRegistry& registry,
                           std::span<const ActorInfo> actors) {
  sim::ConfigIssues issues;
  std::vector<std::string> names, hosts;  // actors; network hosts
  std::map<std::string, std::string> model_of;
  for (const ActorInfo& a : actors) {
    if (a.actor) names.push_back(a.name);
    if (a.host) hosts.push_back(a.name);
    model_of[a.name] = a.model;
  }
  std::sort(names.begin(), names.end());
  std::sort(hosts.begin(), hosts.end());

  for (std::size_t i = 0; i < cfg.faults.size(); ++i) {
    const FaultSpec& f = cfg.faults[i];
    const std::string path = fmt::format("faults[{}]", i);
    if (f.at.ns() < 0) issues.add(path + ".at", fmt::format("must be >= 0 (got {})", f.at));
    if (f.duration && f.duration->ns() <= 0)
      issues.add(path + ".duration", fmt::format("must be > 0 (got {})", *f.duration));

    const FaultKindInfo* kind = registry.find_kind(f.kind);
    if (!kind) {
      issues.add(path + ".kind", f.kind.empty() ? fmt::format("missing (known kinds: {})", join(registry.kind_names()))
                                                : fmt::format("unknown fault kind '{}' (known: {})", f.kind,
                                                              join(registry.kind_names())));
      continue;
    }
    switch (kind->target) {
      case TargetUse::required: check_target(f.target, names, path + ".target", issues); break;
      case TargetUse::optional:
        if (!f.target.empty()) check_target(f.target, names, path + ".target", issues);
        break;
      case TargetUse::none:
        if (!f.target.empty())
          issues.add(path + ".target",
                     fmt::format("{} fault takes no target{}", a_kind(f.kind),
                                 f.kind == "link"        ? " (use from and to)"
                                 : f.kind == "partition" ? " (use groups)"
                                                         : " (it acts on the whole chain)"));
        break;
    }

    if (f.kind == "partition") {
      if (f.groups.size() < 2) issues.add(path + ".groups", "a partition needs at least two groups of hosts");
      std::map<std::string, std::size_t> group_of;
      for (std::size_t g = 0; g < f.groups.size(); ++g) {
        const std::string gp = fmt::format("{}.groups[{}]", path, g);
        check_hosts(f.groups[g], hosts, names, gp, issues);
        for (const std::string& h : match_all(f.groups[g], hosts)) {
          auto [it, fresh] = group_of.emplace(h, g);
          if (!fresh && it->second != g)
            issues.add(gp, fmt::format("host '{}' is also in groups[{}]: groups must not overlap", h, it->second));
        }
      }
    } else if (!f.groups.empty()) {
      issues.add(path + ".groups", fmt::format("only a partition takes groups (kind is {})", f.kind));
    }

    if (f.kind == "link") {
      check_hosts(f.from, hosts, names, path + ".from", issues);
      check_hosts(f.to, hosts, names, path + ".to", issues);
    } else {
      if (!f.from.empty()) issues.add(path + ".from", fmt::format("only a link fault takes from (kind is {})", f.kind));
      if (!f.to.empty()) issues.add(path + ".to", fmt::format("only a link fault takes to (kind is {})", f.kind));
    }

    if (f.kind == "byzantine") {
      if (f.behaviour.empty()) {
        issues.add(path + ".behaviour", "missing: the name of a behaviour the target's model supports");
        continue;
      }
      // Every actor the target may hit must support the behaviour; check each model once, in name order.
      std::set<std::string> models;
      for (const std::string& n : match_all(f.target.patterns, names)) models.insert(model_of[n]);
      const BehaviourInfo* checked = nullptr;
      for (const std::string& m : models) {
        const BehaviourInfo* b = registry.find_behaviour(m, f.behaviour);
        if (!b) {
          const auto known = registry.behaviours_of(m);
          issues.add(path + ".behaviour",
                     fmt::format("model '{}' has no byzantine behaviour '{}' (it supports: {})", m, f.behaviour,
                                 known.empty() ? std::string("none") : join(known)));
          continue;
        }
        if (!checked) {
          checked = b;
          validate_params(f.params, b->params, path, issues);
          if (b->validate) b->validate(f, path, issues);
        }
      }
    } else {
      if (!kind->target_models.empty() || kind->one_group) {
        const auto hit = match_all(f.target.patterns, names);
        for (const std::string& n : hit) {
          const std::string& m = model_of[n];
          if (kind->target_models.empty() ||
              std::find(kind->target_models.begin(), kind->target_models.end(), m) != kind->target_models.end())
            continue;
          issues.add(path + ".target", fmt::format("{} fault needs targets of model {}; '{}' is a {}", a_kind(f.kind),
                                                   join(kind->target_models), n, m.empty() ? "host" : m));
          break;
        }
        std::set<std::string> groups;  // "eth-usd" of "eth-usd/node-3"
        for (const std::string& n : hit) groups.insert(n.substr(0, n.rfind("/node-")));
        if (kind->one_group && groups.size() > 1)
          issues.add(path + ".target", fmt::format("{} fault needs the nodes of one protocol instance; the target "
                                                   "matches {}", a_kind(f.kind), join({groups.begin(), groups.end()})));
      }
      if (!f.behaviour.empty())
        issues.add(path + ".behaviour", fmt::format("only a byzantine fault takes a behaviour (kind is {})", f.kind));
      validate_params(f.params, kind->params, path, issues);
      if (kind->validate) kind->validate(f, path, issues);
    }
  }

  for (std::size_t i = 0; i < cfg.processes.size(); ++i) {
    const RandomCrashProcess& p = cfg.processes[i];
    const std::string path = fmt::format("fault_processes[{}]", i);
    check_target(p.target, names, path + ".target", issues);
    if (p.mtbf.ns() <= 0) issues.add(path + ".mtbf", fmt::format("must be > 0 (got {})", p.mtbf));
    if (p.mttr.ns() <= 0) issues.add(path + ".mttr", fmt::format("must be > 0 (got {})", p.mttr));
    if (p.start.ns() < 0) issues.add(path + ".start", fmt::format("must be >= 0 (got {})", p.start));
    if (p.stop && *p.stop <= p.start)
      issues.add(path + ".stop", fmt::format("must be after start ({} <= {})", *p.stop, p.start));
  }
  return issues;
}

}  // namespace models::faults
