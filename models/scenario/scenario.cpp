#include "models/scenario/scenario.hpp"

#include <set>
#include <tuple>

#include <fmt/core.h>

#include "models/scenario/node_keys.hpp"
#include "models/scenario/scenario_keys.hpp"
#include "models/scenario/schema.hpp"
#include "models/scenario/units.hpp"

// The scenario schema: the top-level keys, the environment's blocks and the fault schedule; the subsystems add
// their own blocks through LanguageParts (see docs/architecture.md, "Adding a subsystem").

namespace models::scenario {

namespace {

// Where the price-process defaults come from (docs/price-processes.md has the tables).
constexpr const char* kGarchSource = "ETH daily GARCH(1,1): Finance Research Letters (PMC8856899) Table 4";
constexpr const char* kHestonSource = "moment-matched to the GARCH defaults (docs/price-processes.md); rho: assumption 0";
constexpr const char* kSeasonSource = "assumption: flat (shipped profile and sources: docs/price-processes.md)";
constexpr const char* kSpreadSource = "assumption: 0 (BTC medians 1-3 bps: Bitwise 2019, docs/price-processes.md)";

// A list of `n` numbers >= 0 (variance weights), each error located at its item.
void decode_weights(std::vector<double>& target, std::size_t n, const Node& v, const std::string& path, Diagnostics& out) {
  if (v.is_null()) {
    target.clear();
    return;
  }
  if (!v.is_seq()) {
    out.push_back({v.where, path, fmt::format("expected a list of {} numbers, got {}", n, v.kind_name())});
    return;
  }
  if (v.seq.size() != n && !v.seq.empty()) {
    out.push_back({v.where, path, fmt::format("expected {} numbers, got {}", n, v.seq.size())});
    return;
  }
  std::vector<double> w;
  for (std::size_t i = 0; i < v.seq.size(); ++i) {
    const Node& item = v.seq[i];
    const auto p = item.is_scalar() ? parse_number(item.scalar) : Parsed<double>{std::string("expected a number")};
    if (!p.ok() || !(p.value() >= 0)) {
      out.push_back({item.where, fmt::format("{}[{}]", path, i),
                     p.ok() ? fmt::format("must be >= 0 (got {})", item.scalar) : p.error()});
      return;
    }
    w.push_back(p.value());
  }
  target = std::move(w);
}

std::string weights_json(const std::vector<double>& w) {
  std::string s = "[";
  for (std::size_t i = 0; i < w.size(); ++i) s += (i ? ", " : "") + format_number(w[i]);
  return s + "]";
}

// assets: and providers: (models/providers): the true prices and data providers every subsystem shares.
void add_environment_keys(Block<ScenarioConfig>& root) {
  using providers::AssetConfig;
  using providers::PriceProcessConfig;
  using providers::ProviderConfig;
  root.validate([](const ScenarioConfig& c, const std::string&, sim::ConfigIssues& out) { out.append(validate_environment(c)); });

  auto as = root.list("assets", &ScenarioConfig::assets, "true-price processes (models/providers/price_process.hpp)");
  as.key("name", &AssetConfig::name, KeySpec::text().required().doc("asset name, e.g. ETH/USD").from("-"));
  auto proc = as.block("process", &AssetConfig::process, "the price process");
  proc.key_enum("kind", &PriceProcessConfig::kind,
                {{"gbm", PriceProcessConfig::Kind::gbm}, {"garch", PriceProcessConfig::Kind::garch},
                 {"heston", PriceProcessConfig::Kind::heston}, {"replay", PriceProcessConfig::Kind::replay}},
                KeySpec::text().doc("gbm (constant volatility), garch (GARCH(1,1) clustering), heston (stochastic "
                                    "volatility), each with optional jumps, regimes and seasonality; or replay of a CSV "
                                    "(docs/price-processes.md)").from("-"));
  proc.key("start", &PriceProcessConfig::start, KeySpec::number().greater_than(0).in("USD").doc("initial price").from("assumption: ETH-like 3000"));
  proc.key("drift", &PriceProcessConfig::drift, KeySpec::fraction().doc("annualised drift").from("assumption: 0"));
  proc.key("volatility", &PriceProcessConfig::volatility,
           KeySpec::fraction().at_least(0).doc("annualised volatility (garch, heston: the long-run volatility)")
               .from("assumption: 80% (ETH-like)"));
  proc.key("step", &PriceProcessConfig::step, KeySpec::duration().greater_than(0).doc("how often the true price moves")
                                                  .from("assumption: 1 s"));
  proc.key_with("csv", KeySpec::text().in("file").doc("replay: CSV of 'timestamp,price', relative to the scenario file that "
                                                      "names it (from --set: to the working directory); read and checked "
                                                      "when the scenario is loaded").from("-"),
                [](PriceProcessConfig& p, const Node& v, const std::string& path, Diagnostics& out) {
                  if (!v.is_scalar() || v.scalar.empty()) {
                    out.push_back({v.where, path, fmt::format("expected a file name, got {}", v.kind_name())});
                    return;
                  }
                  p.csv = v.scalar;
                  p.csv_path = resolve_relative(v.scalar, v.where);
                  try {
                    (void)providers::load_price_csv(p.csv_path);
                  } catch (const std::exception& e) {
                    out.push_back({v.where, path, e.what()});
                  }
                },
                [](const PriceProcessConfig& p) { return detail::json_string(p.csv); });
  auto jumps = proc.block("jumps", &PriceProcessConfig::jumps, "Merton jumps");
  jumps.key("intensity", &providers::JumpConfig::intensity, KeySpec::number().at_least(0).in("per year").doc("expected jumps per year").from("assumption: 0"));
  jumps.key("mean", &providers::JumpConfig::mean, KeySpec::number().doc("mean log jump").from("assumption: 0"));
  jumps.key("sd", &providers::JumpConfig::sd, KeySpec::number().at_least(0).doc("sd of the log jump").from("assumption: 0"));
  auto garch = proc.block("garch", &PriceProcessConfig::garch,
                          "kind garch: GARCH(1,1) variance per period; omega follows from volatility");
  garch.key("period", &providers::GarchConfig::period,
            KeySpec::duration().greater_than(0).doc("the GARCH time step (a whole number of steps)").from(kGarchSource));
  garch.key("alpha", &providers::GarchConfig::alpha,
            KeySpec::number().at_least(0).less_than(1).doc("ARCH term: weight of the last period's squared shock")
                .from(kGarchSource));
  garch.key("beta", &providers::GarchConfig::beta,
            KeySpec::number().at_least(0).less_than(1).doc("GARCH term: persistence (alpha + beta < 1)").from(kGarchSource));
  auto heston = proc.block("heston", &PriceProcessConfig::heston,
                           "kind heston: stochastic variance; its long-run level is volatility^2");
  heston.key("mean_reversion", &providers::HestonConfig::mean_reversion,
             KeySpec::number().greater_than(0).in("per year").doc("kappa: speed the variance returns to volatility^2")
                 .from(kHestonSource));
  heston.key("vol_of_vol", &providers::HestonConfig::vol_of_vol,
             KeySpec::number().at_least(0).doc("xi: volatility of the variance (annualised)").from(kHestonSource));
  heston.key("correlation", &providers::HestonConfig::correlation,
             KeySpec::number().at_least(-1).at_most(1).doc("rho: correlation of price and variance shocks")
                 .from(kHestonSource));
  auto season = proc.block("seasonality", &PriceProcessConfig::seasonality,
                           "intraday and weekly variance profiles (any kind but replay); each normalised to mean 1");
  season.key("enabled", &providers::SeasonalityConfig::enabled,
             KeySpec::boolean().doc("false ignores the profiles (to sweep with and without them)").from("-"));
  season.key_with("hourly", KeySpec::text().in("24 numbers >= 0").doc("relative variance by UTC hour 0..23 (empty: flat)")
                                .from(kSeasonSource),
                  [](providers::SeasonalityConfig& c, const Node& v, const std::string& path, Diagnostics& out) {
                    decode_weights(c.hourly, 24, v, path, out);
                  },
                  [](const providers::SeasonalityConfig& c) { return weights_json(c.hourly); });
  season.key_with("weekday", KeySpec::text().in("7 numbers >= 0").doc("relative variance Monday..Sunday (empty: flat)")
                                 .from(kSeasonSource),
                  [](providers::SeasonalityConfig& c, const Node& v, const std::string& path, Diagnostics& out) {
                    decode_weights(c.weekday, 7, v, path, out);
                  },
                  [](const providers::SeasonalityConfig& c) { return weights_json(c.weekday); });
  season.key("start_hour", &providers::SeasonalityConfig::start_hour,
             KeySpec::number().at_least(0).less_than(24).in("h UTC").doc("hour of day at the run's start")
                 .from("assumption: 0 (midnight UTC)"));
  season.key_enum("start_weekday", &providers::SeasonalityConfig::start_weekday,
                  {{"monday", providers::Weekday::monday}, {"tuesday", providers::Weekday::tuesday},
                   {"wednesday", providers::Weekday::wednesday}, {"thursday", providers::Weekday::thursday},
                   {"friday", providers::Weekday::friday}, {"saturday", providers::Weekday::saturday},
                   {"sunday", providers::Weekday::sunday}},
                  KeySpec::text().doc("day of the week at the run's start").from("assumption: monday"));
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
  pr.key("spread", &ProviderConfig::spread, KeySpec::fraction().at_least(0).less_than(1)
                                                .doc("quoted bid-ask spread: each refresh publishes the bid or the ask")
                                                .from(kSpreadSource));
  pr.key("noise_scales_with_volatility", &ProviderConfig::noise_scales_with_volatility,
         KeySpec::boolean().doc("noise sd x (volatility now / long-run volatility)").from("assumption: off"));
  auto outl = pr.block("outliers", &ProviderConfig::outliers, "published values far from the market");
  outl.key("probability", &providers::OutlierConfig::probability,
           KeySpec::fraction().at_least(0).at_most(1).doc("chance a refresh is an outlier").from("assumption: 0"));
  outl.key("size", &providers::OutlierConfig::size,
           KeySpec::fraction().at_least(0).less_than(1).doc("relative error of an outlier (either sign)").from("assumption: 1%"));
  for (auto [name, member, doc] : {std::tuple{"stale", &ProviderConfig::stale, "episodes of a frozen value, answered as usual"},
                                   std::tuple{"halts", &ProviderConfig::halts, "trading halts: queries fail with 'halted'"}}) {
    auto ep = pr.block(name, member, doc);
    ep.key("mean_interval", &providers::EpisodeConfig::mean_interval,
           KeySpec::duration().at_least(0).doc("mean time between episodes (exponential; 0: none)").from("assumption: none"));
    ep.key("mean_duration", &providers::EpisodeConfig::mean_duration,
           KeySpec::duration().greater_than(0).doc("mean length of an episode (exponential)").from("assumption: 1 min"));
  }
  auto lat = pr.block("latency", &ProviderConfig::latency, "query latency");
  lat.key("dist", &providers::LatencyConfig::dist, KeySpec::choice({"lognormal", "constant"}).doc("latency distribution").from("-"));
  lat.key("median", &providers::LatencyConfig::median, KeySpec::duration().at_least(0).doc("median (constant: the value)").from("assumption: 80 ms"));
  lat.key("p99", &providers::LatencyConfig::p99, KeySpec::duration().greater_than(0).doc("99th percentile (lognormal)").from("assumption: 400 ms"));
}

std::shared_ptr<Schema> build(const LanguageParts& parts) {
  auto s = std::make_shared<Schema>();
  auto root = s->root<ScenarioConfig>("top-level keys");
  root.key("name", &ScenarioConfig::name,
           KeySpec::text().required().in("one path component: letters, digits, '.', '_', '-'")
               .doc("scenario name; the default results directory is results/<name>/").from("-"));
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
    if (const std::string why = path_component_problem(c.name); !why.empty())
      out.add("name", fmt::format("'{}' {}: the name is the results directory's name (results/<name>/), so it is one "
                                  "path component of letters, digits, '.', '_' and '-'", c.name, why));
    if (c.warmup >= c.duration)
      out.add("warmup", "must be less than duration (" + sim::to_string(c.duration) + ")");
  });

  add_environment_keys(root);
  register_network_keys(root);
  register_fault_keys(root);
  register_search_keys(root);
  register_chain_keys(root);
  auto nodes = root.block("nodes", &ScenarioConfig::nodes,
                          "defaults of every Chainlink node of the run (feeds' oracles, request operators); a feed's or "
                          "operator's `node:` overrides single keys (models/node/node_config.hpp)");
  register_node_keys(nodes);
  nodes.validate([](const node::NodeConfig& n, const std::string& path, sim::ConfigIssues& out) { out.append(node::validate(n, path)); });
  for (const auto& block : parts.blocks) block(root);
  if (parts.cross_check) root.validate([check = parts.cross_check](const ScenarioConfig& c, const std::string&, sim::ConfigIssues& out) { check(c, out); });

  auto record = root.block("record", &ScenarioConfig::record, "optional per-run outputs");
  record.key("timeseries", &RecordConfig::timeseries,
             KeySpec::text_list(parts.timeseries).doc("series written to timeseries/p<point>_r<replication>.csv")
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
  report.key("log_scale", &ReportConfig::log_scale,
             KeySpec::text_list().doc("metrics whose plots use a log axis (values <= 0 are left out); a per-feed or per-client metric named without its entity (staleness_s_p99) means every entity's column").from("-"));
  report.key("compare", &ReportConfig::compare,
             KeySpec::text_list()
                 .doc("per-feed or per-client metrics (name without the entity, e.g. gas_per_update) drawn entity "
                      "by entity side by side (empty: every such metric when the sweep has one point)")
                 .from("-"));
  return s;
}

}  // namespace

sim::ConfigIssues validate_environment(const ScenarioConfig& c) {
  sim::ConfigIssues out;
  std::set<std::string> asset_names, provider_names;
  for (std::size_t i = 0; i < c.assets.size(); ++i) {
    const auto& a = c.assets[i];
    const std::string path = fmt::format("assets[{}]", i);
    if (a.name.empty()) out.add(path + ".name", "an asset needs a name");
    else if (!asset_names.insert(a.name).second) out.add(path + ".name", fmt::format("duplicate asset '{}'", a.name));
    out.append(a.process.validate(path + ".process"));
  }
  for (std::size_t i = 0; i < c.providers.size(); ++i) {
    const auto& p = c.providers[i];
    const std::string path = fmt::format("providers[{}]", i);
    out.append(p.validate(path));
    if (!p.name.empty() && !provider_names.insert(p.name).second) out.add(path + ".name", fmt::format("duplicate provider '{}'", p.name));
    if (!p.asset.empty() && !asset_names.count(p.asset))
      out.add(path + ".asset", fmt::format("unknown asset '{}' (not under assets:)", p.asset));
  }
  return out;
}

std::shared_ptr<const Schema> make_schema(const LanguageParts& parts) { return build(parts); }

std::string path_component_problem(const std::string& s) {
  if (s.empty()) return "is empty";
  if (s == "." || s == "..") return "is a relative directory";
  if (s.size() > 100) return fmt::format("is {} characters long (at most 100)", s.size());
  for (const char ch : s) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
                    ch == '_' || ch == '-';
    if (!ok) {
      if (ch == ' ') return "contains a space";
      if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) >= 0x7f) return "contains a character outside letters and digits";
      return fmt::format("contains '{}'", ch);
    }
  }
  return "";
}

}  // namespace models::scenario
