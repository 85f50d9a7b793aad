// The `search:` block: models::faults::SearchConfig (models/faults/search_config.hpp), the bounds of
// `oraclesim search`. Its fault entries are checked against the registered fault kinds and actors by the subsystem
// registry's cross-check (analysis/subsystems.cpp), like `faults:`.
#include <fmt/core.h>

#include <variant>

#include "models/scenario/scenario_keys.hpp"
#include "models/scenario/units.hpp"

namespace models::scenario {

namespace {

using faults::ParamValue;
using faults::SearchConfig;
using faults::SearchFault;
using faults::SearchParam;

std::string range_json(const SearchParam& p) {
  if (!p.hi) return param_json(p.lo);
  return "[" + param_json(p.lo) + "," + param_json(*p.hi) + "]";
}

bool orderable(const ParamValue& v) {
  return std::holds_alternative<double>(v) || std::holds_alternative<sim::Duration>(v);
}

bool less(const ParamValue& a, const ParamValue& b) {
  if (const auto* x = std::get_if<double>(&a)) return *x < std::get<double>(b);
  return std::get<sim::Duration>(a) < std::get<sim::Duration>(b);
}

// A value, or [lo, hi] of two numbers (5%, 0.3) or two durations.
void decode_range(SearchParam& p, const Node& v, const std::string& path, Diagnostics& out) {
  if (v.is_scalar()) {
    p = {param_value(v.scalar), std::nullopt};
    return;
  }
  if (!v.is_seq() || v.seq.size() != 2 || !v.seq[0].is_scalar() || !v.seq[1].is_scalar()) {
    out.push_back({v.where, path, fmt::format("expected a value or a range [lo, hi] of two numbers or two durations, got {}",
                                              v.is_seq() ? fmt::format("a list of {}", v.seq.size()) : v.kind_name())});
    return;
  }
  const ParamValue lo = param_value(v.seq[0].scalar), hi = param_value(v.seq[1].scalar);
  if (!orderable(lo) || lo.index() != hi.index()) {
    out.push_back({v.where, path, fmt::format("a range is two numbers (0.5, 5%) or two durations (10s, 5min); got '{}' and '{}'",
                                              v.seq[0].scalar, v.seq[1].scalar)});
    return;
  }
  if (less(hi, lo)) {
    out.push_back({v.seq[1].where, path, fmt::format("the range's upper end {} is below its lower end {}", v.seq[1].scalar, v.seq[0].scalar)});
    return;
  }
  p = {lo, hi};
}

}  // namespace

void register_search_keys(Block<ScenarioConfig>& root) {
  auto s = root.block("search", &ScenarioConfig::search,
                      "the bounds of `oraclesim search` (docs/search.md): the fault schedules it may generate and the metric it "
                      "maximises; `run` and `sweep` ignore this block");
  s.key("objective", &SearchConfig::objective,
        KeySpec::text().doc("the run metric (a runs.csv column, e.g. safety_violations, single.client_gap_s_max) the search "
                            "maximises; --objective overrides").from("-"));
  s.key("guide", &SearchConfig::guide,
        KeySpec::text_list().doc("metrics that rank schedules of equal objective, each maximised, in order (e.g. "
                                 "liveness_gap_s_max while no schedule breaks safety): they guide the search, never "
                                 "what breaks").from("-"));
  s.key("threshold", &SearchConfig::threshold,
        KeySpec::number().doc("a schedule breaks the objective when its value is above this; unset: above the value of the "
                              "scenario as written (its own faults:)").from("-"));
  s.key("budget", &SearchConfig::budget,
        KeySpec::integer().at_least(1).at_most(1'000'000).in("runs").doc("runs of the search: a random generation, then guided "
                                                                          "ones; --budget overrides").from("assumption: ten generations"));
  s.key("generation", &SearchConfig::generation,
        KeySpec::integer().at_least(1).at_most(10'000).in("runs").doc("runs per generation: each generation is drawn from the "
                                                                       "results of the ones before, so results do not depend on --jobs").from("assumption: enough runs that its generation/4 parents (5) vary"));
  s.key("shrink_budget", &SearchConfig::shrink_budget,
        KeySpec::integer().at_least(0).at_most(1'000'000).in("runs").doc("runs the shrinker may spend reducing the best "
                                                                          "counterexample; 0: no shrinking").from("assumption: about ten shrink steps of 8 runs"));
  s.key("max_faults", &SearchConfig::max_faults,
        KeySpec::integer().at_least(1).at_most(64).doc("faults per schedule").from("assumption: small enough to read"));
  s.key("max_faulty", &SearchConfig::max_faulty,
        KeySpec::integer().at_least(0).at_most(100'000).doc("distinct actors that actor faults (crash, byzantine, a model's "
                                                            "kinds) hit in one schedule, over the whole run; 0: no bound. "
                                                            "Partitions and link faults hit no actor").from("-"));
  s.key("start", &SearchConfig::start, KeySpec::duration().at_least(0).doc("faults are injected at or after this").from("-"));
  s.key("end", &SearchConfig::end, KeySpec::duration().greater_than(0).doc("faults are injected before this; unset: the end of the run").from("-"));

  auto f = s.list("faults", &SearchConfig::faults,
                  "the faults a schedule is made of; keys not listed here are the kind's params, each a value or a range "
                  "[lo, hi] the search draws from");
  f.key("kind", &SearchFault::kind, KeySpec::text().required().doc("a fault kind (`oraclesim describe fault-kinds`)").from("-"));
  f.key("behaviour", &SearchFault::behaviour, KeySpec::text().doc("byzantine: the behaviour").from("-"));
  f.key_with("target", KeySpec::text().in("glob | [globs]").doc("the actors it may hit (kinds that take a target)").from("-"),
             [](SearchFault& t, const Node& v, const std::string& path, Diagnostics& out) { decode_globs(t.target, v, path, out); },
             [](const SearchFault& t) { return json_list(t.target); });
  f.key_with("hosts", KeySpec::text().in("glob | [globs]").doc("partition and link: the network hosts it may split or impair").from("-"),
             [](SearchFault& t, const Node& v, const std::string& path, Diagnostics& out) { decode_globs(t.hosts, v, path, out); },
             [](const SearchFault& t) { return json_list(t.hosts); });
  f.key("max_targets", &SearchFault::max_targets,
        KeySpec::integer().at_least(1).at_most(100'000).doc("actors one fault hits, 1..max_targets (link: hosts on one side)").from("assumption: 1"));
  f.key("max", &SearchFault::max, KeySpec::integer().at_least(1).at_most(64).doc("faults of this entry per schedule; unset: up to max_faults").from("-"));
  f.key_with("duration", KeySpec::text().in("duration | [lo, hi]").doc("healed after a duration drawn from [lo, hi] (or this one); unset: never healed").from("-"),
             [](SearchFault& t, const Node& v, const std::string& path, Diagnostics& out) {
               SearchParam p{0.0, std::nullopt};
               const std::size_t before = out.size();
               decode_range(p, v, path, out);
               if (out.size() != before) return;
               const auto* lo = std::get_if<sim::Duration>(&p.lo);
               if (lo == nullptr || *lo <= sim::Duration{}) {
                 out.push_back({v.where, path, "expected a duration > 0 or a range [lo, hi] of durations > 0 (e.g. [30s, 10min])"});
                 return;
               }
               t.duration_lo = *lo;
               t.duration_hi = p.hi ? std::get<sim::Duration>(*p.hi) : *lo;
             },
             [](const SearchFault& t) {
               if (!t.duration_lo) return std::string("null");
               return "[" + detail::json_string(format_duration(*t.duration_lo)) + "," +
                      detail::json_string(format_duration(*t.duration_hi)) + "]";
             });
  f.key_with("params", KeySpec::text().in("map: name -> value | [lo, hi]").doc("the kind's parameters (may also be written directly in the entry)").from("-"),
             [](SearchFault& t, const Node& v, const std::string& path, Diagnostics& out) {
               if (!v.is_map()) {
                 out.push_back({v.where, path, fmt::format("expected a map of parameters, got {}", v.kind_name())});
                 return;
               }
               for (const auto& e : v.map) decode_range(t.params[e.key], e.value, path + "." + e.key, out);
             },
             [](const SearchFault& t) {
               std::string j = "{";
               for (const auto& [k, v] : t.params) {
                 if (j.size() > 1) j += ',';
                 j += detail::json_string(k) + ":" + range_json(v);
               }
               return j + "}";
             });
  f.other_keys([](SearchFault& t, const Entry& e, const std::string& path, Diagnostics& out) {
    decode_range(t.params[e.key], e.value, path, out);
  });

  root.validate([](const ScenarioConfig& c, const std::string&, sim::ConfigIssues& out) {
    const SearchConfig& sc = c.search;
    const sim::Duration end = sc.end.value_or(c.duration);
    if (sc.end && *sc.end > c.duration)
      out.add("search.end", fmt::format("{} is after the end of the run (duration {})", format_duration(*sc.end), format_duration(c.duration)));
    if (sc.start >= end)
      out.add("search.start", fmt::format("{} leaves no time to inject faults: it must be before {} ({})", format_duration(sc.start),
                                          format_duration(end), sc.end ? "search.end" : "the end of the run"));
    for (std::size_t i = 0; i < sc.faults.size(); ++i)
      if (sc.faults[i].max && *sc.faults[i].max > sc.max_faults)
        out.add(fmt::format("search.faults[{}].max", i),
                fmt::format("{} is more than search.max_faults ({}), which bounds every schedule", *sc.faults[i].max, sc.max_faults));
  });
}

}  // namespace models::scenario
