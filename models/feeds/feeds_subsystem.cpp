#include "models/feeds/feeds_subsystem.hpp"

#include <map>
#include <set>
#include <tuple>

#include <fmt/core.h>

#include "models/ocr/ocr_node.hpp"
#include "models/scenario/node_keys.hpp"

namespace models::feeds {

using scenario::Block;
using scenario::Diagnostics;
using scenario::KeySpec;
using scenario::Node;
using scenario::ScenarioConfig;
namespace detail = scenario::detail;

const FeedsConfig& feeds_of(const ScenarioConfig& c) { return c.subsystems.get<FeedsConfig>(kSubsystem); }
FeedsConfig& feeds_of(ScenarioConfig& c) { return c.subsystems.edit<FeedsConfig>(kSubsystem); }

void validate_feeds(const ScenarioConfig& c, sim::ConfigIssues& out) {
  const FeedsConfig& feeds = feeds_of(c);
  std::set<std::string> assets, names;
  for (const auto& a : c.assets) assets.insert(a.name);
  for (std::size_t i = 0; i < feeds.size(); ++i) {
    const auto& f = feeds[i];
    const std::string path = fmt::format("feeds[{}]", i);
    out.append(f.validate(path));
    out.append(node::validate(node::resolve(c.nodes, f.node_override), path + ".node"));
    out.append(check_ocr_chain_minimums(f, c.chain.preset, path));
    if (!f.changes.empty()) {
      const auto confs = configurations(f);
      for (std::size_t j = 0; j < f.changes.size(); ++j) {
        const std::string cp = fmt::format("{}.changes[{}]", path, j);
        if (f.changes[j].at >= c.duration)
          out.add(cp + ".at", fmt::format("must be before the run ends (duration {}; got {})", sim::to_string(c.duration),
                                          sim::to_string(f.changes[j].at)));
        if (!f.is_ocr()) continue;
        FeedConfig next = f;
        next.ocr = confs[j + 1].ocr;
        const sim::ConfigIssues below = check_ocr_chain_minimums(next, c.chain.preset, cp);
        for (const auto& i : below.items())
          if (i.path != cp + ".heartbeat") out.add(i.path, i.message);  // the heartbeat is the feed's, checked above
      }
    }
    if (!names.insert(f.name).second) out.add(path + ".name", fmt::format("duplicate feed '{}'", f.name));
    if (!assets.count(f.asset)) {
      out.add(path + ".asset", fmt::format("unknown asset '{}' (not under assets:)", f.asset));
      continue;
    }
    std::size_t usable = 0;
    for (const auto& p : c.providers) usable += p.asset == f.asset;
    for (std::size_t j = 0; j < f.providers.size(); ++j) {
      bool found = false;
      for (const auto& p : c.providers) found = found || (p.name == f.providers[j] && p.asset == f.asset);
      if (!found) out.add(fmt::format("{}.providers[{}]", path, j), fmt::format("no provider '{}' quoting {}", f.providers[j], f.asset));
    }
    if (usable == 0) out.add(path + ".asset", fmt::format("no provider quotes {}", f.asset));
  }
}

void register_keys(Block<ScenarioConfig>& root) {
  auto fd = root.list_in<FeedConfig>("feeds", "price feeds, per-node and OCR in any mix (models/feeds)",
                                     [](ScenarioConfig& c) -> FeedsConfig& { return feeds_of(c); });
  fd.key("name", &FeedConfig::name, KeySpec::text().required().doc("feed name; nodes are <name>/node-<i>").from("-"));
  fd.key("asset", &FeedConfig::asset, KeySpec::text().required().doc("the asset (under assets:)").from("-"));
  fd.key("aggregation", &FeedConfig::aggregation, KeySpec::choice({"flux", "ocr", "ocr2"})
                                                          .doc("flux: per-node FluxAggregator; ocr: OCR1 (OffchainAggregator); ocr2: OCR2 with "
                                                               "the median plugin (OCR2Aggregator, what deployed feeds run; docs/ocr.md)")
                                                          .from("facts §1: deployed feeds run OCR2; default flux (docs/ocr.md says why)"));
  fd.key("oracles", &FeedConfig::oracles, KeySpec::integer().at_least(1).at_most(77).in("nodes").doc("oracles (nodes) of the feed")
                                                  .from("assumption: 7 (facts §5: not found); MAX_ORACLE_COUNT 77"));
  fd.key("providers", &FeedConfig::providers, KeySpec::text_list().doc("providers every node polls (empty: all of the asset)").from("-"));
  fd.key("deviation", &FeedConfig::deviation, KeySpec::fraction().greater_than(0).less_than(1).doc("deviation threshold")
                                                      .from("facts §5: ETH/USD 0.5%"));
  fd.key("heartbeat", &FeedConfig::heartbeat, KeySpec::duration().greater_than(0).doc("update at least this often")
                                                      .from("facts §5: ETH/USD 3,600 s"));
  fd.key("decimals", &FeedConfig::decimals, KeySpec::integer().at_least(0).at_most(18)
                                                    .doc("decimals of the on-chain answer (answers are int192/int256)")
                                                    .from("AggregatorV3Interface.decimals(): USD feeds 8, ETH-denominated feeds 18"));
  auto fx = fd.block("flux", &FeedConfig::flux, "per-node aggregation (FluxAggregator + flux monitor job)");
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
  auto oc = fd.block("ocr", &FeedConfig::ocr, "OCR parameters (aggregation: ocr or ocr2; models/ocr/ocr_config.hpp)");
  using IntKey = int OcrSettings::*;  // the protocol fields are members of the base ocr::OcrConfig
  using DurationKey = sim::Duration OcrSettings::*;
  using BoolKey = bool OcrSettings::*;
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
  oc.key("allow_below_chain_minimums", &OcrSettings::allow_below_chain_minimums,
         KeySpec::boolean().doc("accept timings below the chain's libocr minimums (for hypothetical studies)")
             .from("facts §1: per-chain minimums are enforced by libocr"));
  // OCR2: the median plugin's offchain config, the plugin-call bounds, juelsPerFeeCoin; the contract's range.
  oc.key("alpha_accept", &OcrSettings::alpha_accept,
         KeySpec::number().at_least(-1).at_most(1000).shows_default("the feed's deviation")
             .doc("ocr2: alphaAcceptPPB as a fraction: a finalized report is transmitted if it deviates this much from the last "
                  "accepted one or nothing accepted is pending (-1: the feed's deviation)")
             .from("assumption: as alphaReportPPB (L offchainreporting2/reportingplugin/median)"));
  oc.key("alpha_report_infinite", BoolKey{&OcrSettings::alpha_report_infinite},
         KeySpec::boolean().doc("ocr2: deviation never triggers a report (heartbeat and requests only)")
             .from("L median.go AlphaReportInfinite; assumption: off"));
  oc.key("alpha_accept_infinite", BoolKey{&OcrSettings::alpha_accept_infinite},
         KeySpec::boolean().doc("ocr2: deviation never makes a report accepted (only when nothing accepted is pending)")
             .from("L median.go AlphaAcceptInfinite; assumption: off"));
  oc.key("max_duration_query", DurationKey{&OcrSettings::max_duration_query},
         KeySpec::duration().greater_than(0).doc("ocr2: bound of the leader's Query (the median plugin's query is empty)")
             .from("assumption: 5 s (no production value found)"));
  oc.key("max_duration_observation", DurationKey{&OcrSettings::max_duration_observation},
         KeySpec::duration().greater_than(0)
             .doc("ocr2: bound of Observation: an oracle waits this long for its providers (replaces observe_timeout)")
             .from("assumption: 5 s (no production value found)"));
  oc.key("max_duration_report", DurationKey{&OcrSettings::max_duration_report},
         KeySpec::duration().greater_than(0).doc("ocr2: bound of Report; query + observation + report < delta_progress")
             .from("L ocr2config/public_config.go; assumption: 5 s"));
  oc.key("max_duration_should_accept", DurationKey{&OcrSettings::max_duration_should_accept},
         KeySpec::duration().greater_than(0).doc("ocr2: bound of ShouldAcceptFinalizedReport (the model's call is instant)")
             .from("assumption: 5 s"));
  oc.key("max_duration_should_transmit", DurationKey{&OcrSettings::max_duration_should_transmit},
         KeySpec::duration().greater_than(0).doc("ocr2: bound of ShouldTransmitAcceptedReport (the model's call is instant)")
             .from("assumption: 5 s"));
  oc.key("link_per_eth", &OcrSettings::link_per_eth,
         KeySpec::number().at_least(0).at_most(1e9).in("LINK/ETH")
             .doc("ocr2: juelsPerFeeCoin every oracle observes; the contract reimburses gas at this rate")
             .from("assumption: 200 (as the OCR1 billing's microLinkPerEth)"));
  oc.key("min_price", &OcrSettings::min_price,
         KeySpec::number().at_least(0).in("price").shows_default("0 (the smallest positive answer)")
             .doc("the contract's minAnswer; ocr2's plugin also declines to report a median outside [min, max]")
             .from("assumption: unbounded"));
  oc.key("max_price", &OcrSettings::max_price,
         KeySpec::number().at_least(0).in("price").shows_default("0 (no bound)").doc("the contract's maxAnswer (0: no bound)")
             .from("assumption: unbounded"));
  oc.key("observe_timeout", &OcrSettings::observe_timeout,
         KeySpec::duration().greater_than(0).doc("ocr: an oracle waits this long for its providers after an observe-req")
             .from("assumption: 5 s (Chainlink OCR.ObservationTimeout; not in the facts)"));
  oc.key("observe_cache", &OcrSettings::observe_cache,
         KeySpec::boolean().doc("answer observe-reqs from a median polled in the background (observe_poll, observe_max_age) "
                                "instead of asking the providers then").from("assumption: off (libocr asks on demand, facts §1)"));
  oc.key("observe_poll", &OcrSettings::observe_poll, KeySpec::duration().greater_than(0).doc("observe_cache: how often each oracle polls its providers")
                                                         .from("assumption: 5 s"));
  oc.key("observe_max_age", &OcrSettings::observe_max_age, KeySpec::duration().greater_than(0)
                                                               .doc("older quotes are no observation").from("assumption: 60 s"));
  oc.key("contract_confirmations", &OcrSettings::contract_confirmations,
         KeySpec::integer().at_least(1).at_most(1000).in("blocks")
             .doc("changes: a node switches to a new configuration once the ConfigSet block has this many confirmations")
             .from("facts §1: CL fallback.toml OCR ContractConfirmations 4"));
  oc.key("config_check", &OcrSettings::config_check,
         KeySpec::duration().greater_than(0).doc("changes: how often a node checks again while a new configuration awaits its confirmations")
             .from("L offchainreporting/internal/managed/track_config.go: min(15 s, ContractConfigTrackerPollInterval)"));
  auto ch = fd.list("changes", &FeedConfig::changes,
                    "configuration changes during the run, in time order: OCR setConfig, per-node changeOracles (docs/ocr.md#configuration-changes)");
  ch.key("at", &FeedChange::at, KeySpec::duration().required().greater_than(0).doc("when the feed's owner sends setConfig (per-node: changeOracles)").from("-"));
  ch.key("oracles", &FeedChange::oracles, KeySpec::integer().at_least(0).at_most(31).in("nodes").shows_default("as before")
                                              .doc("oracles after the change; new members join as <feed>/node-<k>, k counting on (0: as before)")
                                              .from("-"));
  ch.key("replace", &FeedChange::replace, KeySpec::integer().at_least(0).at_most(31).in("nodes")
                                              .doc("oracles of the current set replaced by new members (the last ones of the set)")
                                              .from("-"));
  auto cho = ch.block("ocr", &FeedChange::ocr, "OCR feeds: the protocol settings of the new configuration (unset: as before)");
  cho.key("f", &ChangeOcrSettings::f, KeySpec::integer().at_least(-2).at_most(10).shows_default("as before")
                                          .doc("faulty oracles tolerated after the change, oracles > 3f (-1: the most possible, -2: as before)")
                                          .from("facts §1: n > 3f"));
  using ChangeDuration = sim::Duration ChangeOcrSettings::*;
  for (auto [key, member, what] : {std::tuple{"delta_progress", ChangeDuration{&ChangeOcrSettings::delta_progress}, "DeltaProgress"},
                                   std::tuple{"delta_resend", ChangeDuration{&ChangeOcrSettings::delta_resend}, "DeltaResend"},
                                   std::tuple{"delta_round", ChangeDuration{&ChangeOcrSettings::delta_round}, "DeltaRound"},
                                   std::tuple{"delta_grace", ChangeDuration{&ChangeOcrSettings::delta_grace}, "DeltaGrace"},
                                   std::tuple{"delta_stage", ChangeDuration{&ChangeOcrSettings::delta_stage}, "DeltaStage"}})
    cho.key(key, member, KeySpec::duration().at_least(0).shows_default("as before")
                             .doc(fmt::format("{} of the new configuration (0: as before)", what)).from("-"));
  cho.key("r_max", &ChangeOcrSettings::r_max, KeySpec::integer().at_least(0).at_most(254).in("rounds").shows_default("as before")
                                                  .doc("rounds per epoch of the new configuration (0: as before)").from("-"));
  auto cons = fd.list("consumers", &FeedConfig::consumers, "contracts reading latestRoundData through the proxy");
  cons.key("name", &contracts::ConsumerConfig::name, KeySpec::text().doc("consumer name (unique per feed)").from("-"));
  cons.key("read_every", &contracts::ConsumerConfig::read_every, KeySpec::duration().greater_than(0).doc("time between reads")
                                                                     .from("assumption: 12 s (once a slot)"));
  auto node = fd.block("node", &FeedConfig::node_override, "this feed's nodes: keys that differ from the run's `nodes:`");
  scenario::register_node_keys(node);
  root.validate([](const ScenarioConfig& c, const std::string&, sim::ConfigIssues& out) { validate_feeds(c, out); });
}

void actor_names(const ScenarioConfig& c, std::vector<scenario::ActorName>& out) {
  for (const auto& f : feeds_of(c))
    for (std::uint32_t i = 0, n = member_count(f); i < n; ++i) {
      const bool ocr = f.is_ocr();  // OCR nodes talk over the network; flux nodes only to the chain
      out.push_back({node_name(f, i), ocr ? "ocr-node" : "flux-node", true, ocr});
    }
}

void register_fault_kinds(faults::FaultKindRegistry& registry) { ocr::register_ocr_behaviours(registry); }

FeedsPart::FeedsPart(world::Environment& env, const FeedsConfig& feeds) {
  for (FeedConfig f : feeds) {
    f.node = node::resolve(env.config().nodes, f.node_override);
    std::vector<providers::DataProvider*> mine = env.providers_quoting(f.asset, f.providers);
    if (f.is_ocr())
      feeds_.push_back(std::make_unique<OcrPriceFeed>(env.simulation(), env.chain(), env.network(), f, f.ocr, std::move(mine),
                                                      env.true_price(f.asset)));
    else
      feeds_.push_back(std::make_unique<FluxFeed>(env.simulation(), env.chain(), f, std::move(mine)));
    feeds_.back()->attach_link(env.link());
    env.publish_feed(f.name, &feeds_.back()->proxy());
  }
}

std::string FeedsPart::link_violation() const {
  std::string v;
  for (const auto& f : feeds_) v += f->link_accounting().violation;
  return v;
}

void FeedsPart::start() {
  for (auto& f : feeds_) f->start();
}

void FeedsPart::register_actors(faults::ActorDirectory& directory) {
  for (std::size_t k = 0; k < feeds_.size(); ++k) {
    if (OcrPriceFeed* o = ocr_feed(k)) {
      o->oracles().register_actors(directory);  // OCR oracles own their ActorControl, named node_name(feed, i)
      continue;
    }
    FluxFeed& feed = *flux_feed(k);
    for (std::size_t i = 0; i < feed.node_count(); ++i) {
      node::ChainlinkNode& n = feed.node(i);
      flux_controls_.push_back(std::make_unique<faults::ActorControl>(node_name(feed.config(), i), "flux-node"));
      faults::ActorControl& c = *flux_controls_.back();
      c.on_crash = [&n] { n.crash(); };
      c.on_restart = [&n] { n.restart(); };
      feed.monitor(i).set_control(&c);
      directory.add(c);
    }
  }
}

std::string FeedsPart::leader_among(const std::vector<std::string>& targets) const {
  // The leader as the first target that is up sees it (all up nodes agree outside epoch changes).
  for (std::size_t k = 0; k < feeds_.size(); ++k) {
    auto* o = dynamic_cast<OcrPriceFeed*>(feeds_[k].get());
    if (o == nullptr) continue;
    // The oracles of the configuration in force, by actor name.
    std::map<std::string, int> index;
    for (int i = 0; i < o->oracles().size(); ++i) index[o->oracles().node(i).control().name()] = i;
    for (const std::string& t : targets) {
      auto it = index.find(t);
      if (it == index.end() || !o->oracles().node(it->second).control().up()) continue;
      return o->oracles().node(o->oracles().node(it->second).leader()).control().name();
    }
  }
  return "";
}

std::unique_ptr<world::Part> build(world::Environment& env, const ScenarioConfig& c) {
  if (feeds_of(c).empty()) return nullptr;
  return std::make_unique<FeedsPart>(env, feeds_of(c));
}

}  // namespace models::feeds
