#include "models/scenario/scenario.hpp"

#include "models/scenario/scenario_keys.hpp"
#include "models/scenario/schema.hpp"

// The scenario schema: every key a scenario file may contain. To add a block for a new model, give the model a
// config struct, add it as a member of ScenarioConfig, and register its keys here (see models/README.md).

namespace models::scenario {

namespace {

Schema build() {
  Schema s;
  auto root = s.root<ScenarioConfig>("top-level keys");
  root.key("name", &ScenarioConfig::name,
           KeySpec::text().required().doc("scenario name; the default results directory is results/<name>/").from("-"));
  root.key("description", &ScenarioConfig::description, KeySpec::text().doc("one-line description").from("-"));
  root.key("seed", &ScenarioConfig::seed,
           KeySpec::integer().doc("master seed; replication r runs with replication_seed(seed, r) at every sweep point")
               .from("assumption: any fixed value"));
  root.key("duration", &ScenarioConfig::duration,
           KeySpec::duration().greater_than(0).doc("simulated time of one run").from("assumption: one hour"));
  root.key("warmup", &ScenarioConfig::warmup,
           KeySpec::duration().at_least(0).doc("metrics ignore events before this time (must be < duration)")
               .from("assumption: no warm-up"));
  root.reserved("extends", KeySpec::text().doc("base scenario file (relative to this file); this file's keys override "
                                               "it, maps merge deeply, lists replace").from("-"));
  const std::string sweep_doc =
      "sweep axes: key paths (demo.lps, feeds[0].oracles) and their values; every point is validated like the file";
  root.reserved("sweep.grid", KeySpec::text().in("map: key.path -> [values]")
                                  .doc("cartesian product of the lists (first key varies slowest)").from("-"), sweep_doc);
  root.reserved("sweep.zip", KeySpec::text().in("map: key.path -> [values]")
                                 .doc("lists of equal length varied together, crossed with the grid").from("-"), sweep_doc);
  root.reserved("sweep.replications", KeySpec::integer().at_least(1).at_most(1'000'000).shows_default("1")
                                          .doc("runs per sweep point; replication r uses the same seed at every point")
                                          .from("assumption: 1"), sweep_doc);
  root.validate([](const ScenarioConfig& c, const std::string&, sim::ConfigIssues& out) {
    if (c.warmup >= c.duration)
      out.add("warmup", "must be less than duration (" + sim::to_string(c.duration) + ")");
  });

  auto demo = root.block("demo", &ScenarioConfig::demo, "PHOLD, the engine-level demo workload (models/demo/phold.hpp)");
  demo.key("enabled", &DemoConfig::enabled, KeySpec::boolean().doc("build the PHOLD workload").from("assumption: on until feed models exist"));
  demo.key("lps", &DemoConfig::lps, KeySpec::integer().at_least(1).at_most(1'000'000).in("logical processes")
                                        .doc("logical processes").from("assumption: small enough for a quick run"));
  demo.key("population", &DemoConfig::population, KeySpec::integer().at_least(1).at_most(1'000'000).in("events per LP")
                                                       .doc("initial events per LP (constant in-flight population)")
                                                       .from("assumption: small enough for a quick run"));
  demo.key("min_delay", &DemoConfig::min_delay, KeySpec::duration().at_least(0).doc("lookahead added to every event delay")
                                                     .from("assumption: PHOLD convention, 10% of mean_delay"));
  demo.key("mean_delay", &DemoConfig::mean_delay, KeySpec::duration().greater_than(0).doc("mean of the exponential delay part")
                                                       .from("assumption: 1 ms"));
  demo.validate([](const DemoConfig& d, const std::string& path, sim::ConfigIssues& out) {
    if (d.enabled && static_cast<std::uint64_t>(d.lps) * d.population > 100'000'000)
      out.add(path + ".population", "lps * population must be at most 100000000 events in flight");
  });

  register_network_keys(root);
  register_fault_keys(root);
  register_chain_keys(root);

  auto record = root.block("record", &ScenarioConfig::record, "optional per-run outputs");
  record.key("timeseries", &RecordConfig::timeseries,
             KeySpec::text_list(timeseries_names()).doc("series written to timeseries/p<point>_r<replication>.csv")
                 .from("assumption: none"));
  record.key("every", &RecordConfig::every, KeySpec::duration().greater_than(0).doc("sampling interval of time series")
                                                 .from("assumption: 1 s"));

  // Read back from manifest.json by `oraclesim report`; names are checked there, against the results.
  auto report = root.block("report", &ScenarioConfig::report, "what `oraclesim report` shows (docs/analysis.md)");
  report.key("metrics", &ReportConfig::metrics, KeySpec::text_list().doc("metrics to show (empty: all)").from("-"));
  report.key("x", &ReportConfig::x,
             KeySpec::text_list().doc("swept keys on the x axis (empty: every numeric swept key)").from("-"));
  report.key("series", &ReportConfig::series,
             KeySpec::text_list().doc("swept keys naming the plot lines first (empty: the other swept keys)").from("-"));
  report.key("cdf", &ReportConfig::cdf,
             KeySpec::text_list().doc("metrics drawn as CDFs across runs (empty: names with latency or staleness)")
                 .from("-"));
  report.key("timeline", &ReportConfig::timeline,
             KeySpec::text_list().doc("series of the single-run timeline (empty: names with price or answer)").from("-"));
  report.key("paired", &ReportConfig::paired,
             KeySpec::text().doc("swept key compared pairwise by replication (empty: the first 2-valued key)").from("-"));
  report.key("baseline", &ReportConfig::baseline,
             KeySpec::text().doc("baseline value of the paired key (empty: its first value)").from("-"));
  return s;
}

}  // namespace

std::vector<ActorName> actors_of(const ScenarioConfig&) { return {}; }

const std::vector<std::string>& timeseries_names() {
  static const std::vector<std::string> names = {"phold_handled", "pending_events"};
  return names;
}

const Schema& scenario_schema() {
  static const Schema s = build();
  return s;
}

}  // namespace models::scenario
