// The `faults:` and `fault_processes:` lists: models::faults::FaultSpec / RandomCrashProcess
// (models/faults/fault_config.hpp). Their targets and kinds are checked against every registered subsystem's
// actors and fault kinds by the subsystem registry's cross-check (analysis/subsystems.hpp).
#include <fmt/core.h>

#include "models/faults/fault_kind_registry.hpp"
#include "models/scenario/scenario_keys.hpp"
#include "models/scenario/units.hpp"

namespace models::scenario {

using faults::FaultSpec;
using faults::RandomCrashProcess;
using faults::TargetSpec;

std::string json_list(const std::vector<std::string>& v) { return detail::json_of(v, KeySpec::text_list()); }

bool decode_globs(std::vector<std::string>& out_globs, const Node& v, const std::string& path, Diagnostics& out) {
  if (v.is_scalar()) {
    out_globs = {v.scalar};
    return true;
  }
  std::vector<std::string> g;
  const std::size_t before = out.size();
  detail::decode(g, KeySpec::text_list(), v, path, out);
  if (out.size() != before) return false;
  out_globs = std::move(g);
  return true;
}

namespace {

// "feed/node-0" | [globs...] | { any: 3, of: glob-or-globs, stream: name }
void decode_target(TargetSpec& t, const Node& v, const std::string& path, Diagnostics& out) {
  if (!v.is_map()) {
    if (!v.is_scalar() && !v.is_seq()) {
      out.push_back({v.where, path, fmt::format("expected a glob, a list of globs or {{any: k, of: globs}}, got {}", v.kind_name())});
      return;
    }
    decode_globs(t.patterns, v, path, out);
    return;
  }
  for (const auto& e : v.map) {
    const std::string p = path + "." + e.key;
    if (e.key == "of") decode_globs(t.patterns, e.value, p, out);
    else if (e.key == "any") detail::decode_into(t.any, KeySpec::integer().at_least(1), e.value, p, out);
    else if (e.key == "stream") detail::decode_into(t.stream, KeySpec::text(), e.value, p, out);
    else {
      const std::string hint = did_you_mean(e.key, {"of", "any", "stream"});
      out.push_back({e.key_where, p, fmt::format("unknown key '{}' ({})", e.key, hint.empty() ? "valid keys here: of, any, stream" : hint)});
    }
  }
  if (!v.find("of")) out.push_back({v.where, path + ".of", "required key 'of' is missing"});
}

std::string target_json(const TargetSpec& t) {
  return fmt::format("{{\"of\":{},\"any\":{},\"stream\":{}}}", json_list(t.patterns), t.any, detail::json_string(t.stream));
}

}  // namespace

faults::ParamValue param_value(const std::string& s) {
  if (s == "true") return true;
  if (s == "false") return false;
  if (auto n = parse_number(s); n.ok()) return n.value();
  if (auto f = parse_fraction(s); f.ok()) return f.value();
  if (auto d = parse_duration(s); d.ok()) return d.value();
  return s;
}

std::string param_json(const faults::ParamValue& v) {
  if (const auto* d = std::get_if<double>(&v)) return format_number(*d);
  if (const auto* t = std::get_if<sim::Duration>(&v)) return detail::json_string(format_duration(*t));
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return detail::json_string(std::get<std::string>(v));
}

void register_fault_keys(Block<ScenarioConfig>& root) {
  auto f = root.list("faults", &ScenarioConfig::faults,
                     "scheduled faults; keys not listed here are the kind's parameters (e.g. link: added_latency, "
                     "multiplier, loss; byzantine: the behaviour's parameters)");
  f.key("at", &FaultSpec::at, KeySpec::duration().at_least(0).doc("injection time since the start of the run").from("-"));
  f.key("duration", &FaultSpec::duration, KeySpec::duration().greater_than(0).doc("healed this long after `at`; unset: never").from("-"));
  f.key("kind", &FaultSpec::kind, KeySpec::text().required().doc("a fault kind: `oraclesim describe fault-kinds` (docs/fault-kinds.md) lists every kind with its targets, params and effect metrics").from("-"));
  f.key_with("target", KeySpec::text().in("glob | [globs] | {any, of, stream}").doc("actors hit (crash, crash_leader: the leading one of them, clock_skew, byzantine, model kinds)").from("-"),
             [](FaultSpec& s, const Node& v, const std::string& path, Diagnostics& out) { decode_target(s.target, v, path, out); },
             [](const FaultSpec& s) { return target_json(s.target); });
  f.key_with("groups", KeySpec::text().in("[[globs], [globs], ...]").doc("partition: host groups").from("-"),
             [](FaultSpec& s, const Node& v, const std::string& path, Diagnostics& out) {
               if (!v.is_seq()) {
                 out.push_back({v.where, path, fmt::format("expected a list of host groups ([[globs], ...]), got {}", v.kind_name())});
                 return;
               }
               s.groups.clear();
               for (std::size_t i = 0; i < v.seq.size(); ++i) {
                 std::vector<std::string> g;
                 if (decode_globs(g, v.seq[i], fmt::format("{}[{}]", path, i), out)) s.groups.push_back(std::move(g));
               }
             },
             [](const FaultSpec& s) {
               std::string j = "[";
               for (std::size_t i = 0; i < s.groups.size(); ++i) {
                 if (i) j += ',';
                 j += json_list(s.groups[i]);
               }
               return j + "]";
             });
  f.key_with("from", KeySpec::text().in("glob | [globs]").doc("link: one host set").from("-"),
             [](FaultSpec& s, const Node& v, const std::string& path, Diagnostics& out) { decode_globs(s.from, v, path, out); },
             [](const FaultSpec& s) { return json_list(s.from); });
  f.key_with("to", KeySpec::text().in("glob | [globs]").doc("link: the other host set").from("-"),
             [](FaultSpec& s, const Node& v, const std::string& path, Diagnostics& out) { decode_globs(s.to, v, path, out); },
             [](const FaultSpec& s) { return json_list(s.to); });
  f.key("allow_after_end", &FaultSpec::allow_after_end,
        KeySpec::boolean().doc("accept an `at` at or after the end of the run (the fault never fires), e.g. in a sweep over "
                               "duration; otherwise such a fault is an error").from("-"));
  f.key("behaviour", &FaultSpec::behaviour, KeySpec::text().doc("byzantine: a behaviour the targets' model registered").from("-"));
  f.key_with("params", KeySpec::text().in("map: name -> value").doc("the kind's parameters (may also be written directly in the entry)").from("-"),
             [](FaultSpec& s, const Node& v, const std::string& path, Diagnostics& out) {
               if (!v.is_map()) {
                 out.push_back({v.where, path, fmt::format("expected a map of parameters, got {}", v.kind_name())});
                 return;
               }
               for (const auto& e : v.map) {
                 if (e.value.is_scalar()) s.params[e.key] = param_value(e.value.scalar);
                 else out.push_back({e.value.where, path + "." + e.key, fmt::format("expected a parameter value, got {}", e.value.kind_name())});
               }
             },
             [](const FaultSpec& s) {
               std::string j = "{";
               for (const auto& [k, v] : s.params) {
                 if (j.size() > 1) j += ',';
                 j += detail::json_string(k);
                 j += ':';
                 j += param_json(v);
               }
               return j + "}";
             });
  f.other_keys([](FaultSpec& s, const Entry& e, const std::string& path, Diagnostics& out) {
    if (!e.value.is_scalar()) {
      out.push_back({e.value.where, path, fmt::format("expected a parameter value (number, 5%, 5ms, true/false or text), got {}", e.value.kind_name())});
      return;
    }
    s.params[e.key] = param_value(e.value.scalar);
  });

  root.validate([](const ScenarioConfig& c, const std::string&, sim::ConfigIssues& out) {
    for (std::size_t i = 0; i < c.faults.size(); ++i) {
      const FaultSpec& s = c.faults[i];
      if (s.at >= c.duration && !s.allow_after_end)
        out.add(fmt::format("faults[{}].at", i),
                fmt::format("{} is at or after the end of the run (duration {}): the fault can never fire (set "
                            "allow_after_end: true to keep it)", format_duration(s.at), format_duration(c.duration)));
    }
    for (std::size_t i = 0; i < c.fault_processes.size(); ++i) {
      const RandomCrashProcess& p = c.fault_processes[i];
      if (p.start >= c.duration)
        out.add(fmt::format("fault_processes[{}].start", i),
                fmt::format("{} is at or after the end of the run (duration {}): the process can never crash anything",
                            format_duration(p.start), format_duration(c.duration)));
      if (p.stop && *p.stop <= p.start)
        out.add(fmt::format("fault_processes[{}].stop", i), fmt::format("must be after start ({})", format_duration(p.start)));
    }
  });

  auto p = root.list("fault_processes", &ScenarioConfig::fault_processes, "random crash/recover processes, one per matched actor");
  p.key_with("target", KeySpec::text().in("glob | [globs] | {any, of, stream}").doc("actors with their own process").from("-"),
             [](RandomCrashProcess& s, const Node& v, const std::string& path, Diagnostics& out) { decode_target(s.target, v, path, out); },
             [](const RandomCrashProcess& s) { return target_json(s.target); });
  p.key("mtbf", &RandomCrashProcess::mtbf, KeySpec::duration().greater_than(0).doc("mean up time (exponential)").from("assumption: 1 day"));
  p.key("mttr", &RandomCrashProcess::mttr, KeySpec::duration().greater_than(0).doc("mean down time (exponential)").from("assumption: 10 min"));
  p.key("start", &RandomCrashProcess::start, KeySpec::duration().at_least(0).doc("the process starts here").from("assumption: at 0"));
  p.key("stop", &RandomCrashProcess::stop, KeySpec::duration().at_least(0).doc("no new crash after this; unset: never").from("-"));
  p.key("stream", &RandomCrashProcess::stream, KeySpec::text().doc("RNG stream prefix; empty: fault_processes[<index>]").from("-"));
}

}  // namespace models::scenario
