#include "models/scenario/scenario.hpp"

#include <fmt/core.h>

#include "models/scenario/scenario_keys.hpp"
#include "models/scenario/schema.hpp"

// The scenario schema: every key a scenario file may contain. To add a block for a new model, give the model a
// config struct, add it as a member of ScenarioConfig, and register its keys here (see models/README.md).

namespace models::scenario {

namespace {

// chain:, assets:, providers:, feeds: (models/chain, models/providers, models/feeds).
void add_feed_keys(Block<ScenarioConfig>& root) {
  using feeds::AssetConfig;
  using feeds::FluxFeedConfig;
  using feeds::FluxParams;
  using providers::PriceProcessConfig;
  using providers::ProviderConfig;
  root.validate([](const ScenarioConfig& c, const std::string&, sim::ConfigIssues& out) {
    if (c.feeds.empty()) return;
    const sim::ConfigIssues issues = feed_world_config(c).validate();
    for (const auto& i : issues.items())
      if (i.path.rfind("chain", 0) != 0) out.add(i.path, i.message);  // chain: has its own validator
  });

  auto as = root.list("assets", &ScenarioConfig::assets, "true-price processes (models/providers/price_process.hpp)");
  as.key("name", &AssetConfig::name, KeySpec::text().required().doc("asset name, e.g. ETH/USD").from("-"));
  auto proc = as.block("process", &AssetConfig::process, "the price process");
  proc.key_enum("kind", &PriceProcessConfig::kind, {{"gbm", PriceProcessConfig::Kind::gbm}, {"replay", PriceProcessConfig::Kind::replay}},
                KeySpec::text().doc("gbm (with optional jumps and regimes) or replay of a CSV").from("-"));
  proc.key("start", &PriceProcessConfig::start, KeySpec::number().greater_than(0).in("USD").doc("initial price").from("assumption: ETH-like 3000"));
  proc.key("drift", &PriceProcessConfig::drift, KeySpec::fraction().doc("annualised drift").from("assumption: 0"));
  proc.key("volatility", &PriceProcessConfig::volatility, KeySpec::fraction().at_least(0).doc("annualised volatility")
                                                              .from("assumption: 80% (ETH-like)"));
  proc.key("step", &PriceProcessConfig::step, KeySpec::duration().greater_than(0).doc("how often the true price moves")
                                                  .from("assumption: 1 s"));
  proc.key("csv", &PriceProcessConfig::csv, KeySpec::text().doc("replay: CSV of 'timestamp,price' (path from the working directory)").from("-"));
  auto jumps = proc.block("jumps", &PriceProcessConfig::jumps, "Merton jumps");
  jumps.key("intensity", &providers::JumpConfig::intensity, KeySpec::number().at_least(0).in("per year").doc("expected jumps per year").from("assumption: 0"));
  jumps.key("mean", &providers::JumpConfig::mean, KeySpec::number().doc("mean log jump").from("assumption: 0"));
  jumps.key("sd", &providers::JumpConfig::sd, KeySpec::number().at_least(0).doc("sd of the log jump").from("assumption: 0"));
  auto reg = proc.block("regime", &PriceProcessConfig::regime, "two-state volatility regimes");
  reg.key("enabled", &providers::RegimeConfig::enabled, KeySpec::boolean().doc("switch between calm and turbulent volatility").from("assumption: off"));
  reg.key("turbulent_volatility", &providers::RegimeConfig::turbulent_volatility, KeySpec::fraction().at_least(0)
                                                                                      .doc("annualised volatility when turbulent").from("assumption: 160%"));
  reg.key("to_turbulent_rate", &providers::RegimeConfig::to_turbulent_rate, KeySpec::number().at_least(0).in("per year")
                                                                                .doc("calm -> turbulent switches per year").from("assumption: 12"));
  reg.key("to_calm_rate", &providers::RegimeConfig::to_calm_rate, KeySpec::number().at_least(0).in("per year")
                                                                      .doc("turbulent -> calm switches per year").from("assumption: 365"));

  auto pr = root.list("providers", &ScenarioConfig::providers, "data providers (models/providers/data_provider.hpp)");
  pr.key("name", &ProviderConfig::name, KeySpec::text().required().doc("unique provider name").from("-"));
  pr.key("asset", &ProviderConfig::asset, KeySpec::text().required().doc("the asset it quotes").from("-"));
  pr.key("noise", &ProviderConfig::noise, KeySpec::fraction().at_least(0).less_than(1).doc("sd of the relative quote noise")
                                              .from("assumption: 2bps"));
  pr.key("bias", &ProviderConfig::bias, KeySpec::fraction().greater_than(-1).less_than(1).doc("constant relative bias").from("assumption: 0"));
  pr.key("refresh", &ProviderConfig::refresh, KeySpec::duration().greater_than(0).doc("how often its value refreshes").from("assumption: 1 s"));
  pr.key("error_rate", &ProviderConfig::error_rate, KeySpec::fraction().at_least(0).at_most(1).doc("probability a query fails")
                                                        .from("assumption: 0"));
  pr.key("rate_limit", &ProviderConfig::rate_limit, KeySpec::number().at_least(0).in("requests/s").doc("queries allowed per second (0: unlimited)")
                                                        .from("assumption: unlimited"));
  auto lat = pr.block("latency", &ProviderConfig::latency, "query latency");
  lat.key("dist", &providers::LatencyConfig::dist, KeySpec::choice({"lognormal", "constant"}).doc("latency distribution").from("-"));
  lat.key("median", &providers::LatencyConfig::median, KeySpec::duration().at_least(0).doc("median (constant: the value)").from("assumption: 80 ms"));
  lat.key("p99", &providers::LatencyConfig::p99, KeySpec::duration().greater_than(0).doc("99th percentile (lognormal)").from("assumption: 400 ms"));

  auto fd = root.list("feeds", &ScenarioConfig::feeds, "price feeds (models/feeds)");
  fd.key("name", &FluxFeedConfig::name, KeySpec::text().required().doc("feed name; nodes are <name>/node-<i>").from("-"));
  fd.key("asset", &FluxFeedConfig::asset, KeySpec::text().required().doc("the asset (under assets:)").from("-"));
  fd.key("aggregation", &FluxFeedConfig::aggregation, KeySpec::choice({"flux", "ocr"})
                                                          .doc("flux: per-node FluxAggregator; ocr: OCR1 (one report per round); "
                                                               "all feeds of a scenario use one mode").from("-"));
  fd.key("oracles", &FluxFeedConfig::oracles, KeySpec::integer().at_least(1).at_most(77).in("nodes").doc("oracles (nodes) of the feed")
                                                  .from("assumption: 7 (facts §5: not found); MAX_ORACLE_COUNT 77"));
  fd.key("providers", &FluxFeedConfig::providers, KeySpec::text_list().doc("providers every node polls (empty: all of the asset)").from("-"));
  fd.key("deviation", &FluxFeedConfig::deviation, KeySpec::fraction().greater_than(0).less_than(1).doc("deviation threshold")
                                                      .from("facts §5: ETH/USD 0.5%"));
  fd.key("heartbeat", &FluxFeedConfig::heartbeat, KeySpec::duration().greater_than(0).doc("update at least this often")
                                                      .from("facts §5: ETH/USD 3,600 s"));
  auto fx = fd.block("flux", &FluxFeedConfig::flux, "per-node aggregation (FluxAggregator + flux monitor job)");
  fx.key("poll_interval", &FluxParams::poll_interval, KeySpec::duration().greater_than(0).doc("how often each node polls its providers")
                                                          .from("assumption: 1 min"));
  fx.key("provider_timeout", &FluxParams::provider_timeout, KeySpec::duration().greater_than(0).doc("quotes later than this are ignored")
                                                                .from("assumption: 5 s"));
  fx.key("min_quotes", &FluxParams::min_quotes, KeySpec::integer().at_least(1).doc("provider answers needed for a median").from("assumption: 1"));
  fx.key("min_submissions", &FluxParams::min_submissions, KeySpec::integer().at_least(0).at_most(77)
                                                              .doc("answers before a round has an answer (0: oracles/2 + 1)").from("assumption"));
  fx.key("max_submissions", &FluxParams::max_submissions, KeySpec::integer().at_least(0).at_most(77)
                                                              .doc("answers after which a round closes (0: oracles)").from("assumption"));
  fx.key("restart_delay", &FluxParams::restart_delay, KeySpec::integer().at_least(0).in("rounds")
                                                          .doc("rounds between two rounds started by one oracle").from("assumption: 0"));
  fx.key("timeout", &FluxParams::timeout, KeySpec::duration().at_least(0).doc("round timeout").from("assumption: 30 min"));
  fx.key("payment", &FluxParams::payment, KeySpec::token_amount("LINK").doc("LINK paid per submission").from("assumption: 0.1 LINK (facts §3 typical fee)"));
  fx.key("gas_limit", &FluxParams::gas_limit, KeySpec::integer().at_least(0).in("gas").doc("per submit tx (0: node default)").from("assumption"));
  // OCR (aggregation: ocr). n, alpha and delta_c come from oracles, deviation and heartbeat.
  auto oc = fd.block("ocr", &FluxFeedConfig::ocr, "OCR1 parameters (aggregation: ocr; models/ocr/ocr_config.hpp)");
  using feeds::OcrSettings;
  using IntKey = int OcrSettings::*;  // the protocol fields are members of the base ocr::OcrConfig
  using DurationKey = sim::Duration OcrSettings::*;
  oc.key("f", IntKey{&OcrSettings::f}, KeySpec::integer().at_least(-1).at_most(10).shows_default("floor((oracles - 1) / 3)")
                                   .doc("faulty oracles tolerated, oracles > 3f (-1: the most possible)").from("facts §1: n > 3f"));
  oc.key("delta_progress", DurationKey{&OcrSettings::delta_progress}, KeySpec::duration().greater_than(0)
                                                             .doc("epoch without progress before a leader change")
                                                             .from("facts §1: Ethereum minimum 23 s"));
  oc.key("delta_resend", DurationKey{&OcrSettings::delta_resend}, KeySpec::duration().greater_than(0).doc("resend of newepoch")
                                                         .from("facts §1: Ethereum minimum 10 s"));
  oc.key("delta_round", DurationKey{&OcrSettings::delta_round}, KeySpec::duration().greater_than(0).doc("time between rounds of an epoch")
                                                       .from("facts §1: Ethereum minimum 20 s"));
  oc.key("delta_grace", DurationKey{&OcrSettings::delta_grace}, KeySpec::duration().greater_than(0)
                                                       .doc("leader waits this long for late observations")
                                                       .from("facts §1: node default 1 s"));
  oc.key("delta_stage", DurationKey{&OcrSettings::delta_stage}, KeySpec::duration().greater_than(0).doc("between transmission stages")
                                                       .from("facts §1: Ethereum minimum 10 s"));
  oc.key("r_max", IntKey{&OcrSettings::r_max}, KeySpec::integer().at_least(1).at_most(254).in("rounds").doc("rounds per epoch")
                                           .from("assumption: 6 (scenario sketch)"));
  oc.key_with(
      "s", KeySpec::text().in("list of integers").shows_default("[1, 1, ..., 1] (oracles entries)")
               .doc("transmission schedule: oracles per stage").from("facts §1: test preset"),
      [](OcrSettings& o, const Node& v, const std::string& path, Diagnostics& out) {
        if (v.is_null()) return;
        if (!v.is_seq()) {
          out.push_back({v.where, path, fmt::format("expected a list of integers, got {}", v.kind_name())});
          return;
        }
        std::vector<int> s;
        for (std::size_t i = 0; i < v.seq.size(); ++i) {
          const Node& e = v.seq[i];
          const std::string p = fmt::format("{}[{}]", path, i);
          if (auto x = detail::decode_signed(KeySpec::integer().at_least(0).at_most(31), e, 0, 31, p, out)) s.push_back(static_cast<int>(*x));
        }
        o.s = s;
      },
      [](const OcrSettings& o) {
        std::string j = "[";
        for (std::size_t i = 0; i < o.s.size(); ++i) j += (i ? ", " : "") + std::to_string(o.s[i]);
        return j + "]";
      });
  oc.key("observe_poll", &OcrSettings::observe_poll, KeySpec::duration().greater_than(0).doc("how often each oracle polls its providers")
                                                         .from("assumption: 5 s"));
  oc.key("observe_max_age", &OcrSettings::observe_max_age, KeySpec::duration().greater_than(0)
                                                               .doc("older quotes are no observation").from("assumption: 60 s"));
  auto cons = fd.list("consumers", &FluxFeedConfig::consumers, "contracts reading latestRoundData through the proxy");
  cons.key("name", &contracts::ConsumerConfig::name, KeySpec::text().doc("consumer name (unique per feed)").from("-"));
  cons.key("read_every", &contracts::ConsumerConfig::read_every, KeySpec::duration().greater_than(0).doc("time between reads")
                                                                     .from("assumption: 12 s (once a slot)"));
}

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

  add_feed_keys(root);
  register_network_keys(root);
  register_fault_keys(root);
  register_chain_keys(root);
  register_request_keys(root);
  register_streams_keys(root);

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

feeds::FeedWorldConfig feed_world_config(const ScenarioConfig& c) {
  feeds::FeedWorldConfig w;
  w.chain = c.chain;
  w.assets = c.assets;
  w.providers = c.providers;
  w.feeds = c.feeds;
  return w;
}
std::vector<ActorName> actors_of(const ScenarioConfig& cfg) {
  std::vector<ActorName> out;
  for (const auto& p : cfg.providers) out.push_back({p.name, "provider"});
  for (const auto& f : cfg.feeds)
    for (std::uint32_t i = 0; i < f.oracles; ++i)
      out.push_back({f.name + "/node-" + std::to_string(i), f.aggregation == "ocr" ? "ocr-node" : "flux-node"});
  if (cfg.streams.enabled) {
    for (int i = 0; i < cfg.streams.don.n; ++i) out.push_back({"streams/don/node-" + std::to_string(i), "streams-node"});
    for (const auto& s : cfg.streams.sites) out.push_back({"streams/" + s.name, "streams-site"});
    if (cfg.streams.trade.enabled) out.push_back({"streams/automation", "automation-node"});
  }
  return out;
}

const std::vector<std::string>& timeseries_names() {
  static const std::vector<std::string> names = {"onchain_answer", "pending_events", "phold_handled", "true_price"};
  return names;
}

const Schema& scenario_schema() {
  static const Schema s = build();
  return s;
}

}  // namespace models::scenario
