#include "models/streams/streams_subsystem.hpp"

#include <cmath>
#include <stdexcept>

#include "models/streams/don.hpp"
#include "models/streams/streams_faults.hpp"

#include "sim/hash.hpp"

namespace models::streams {
namespace {

std::vector<DonFeed> don_feeds(const StreamsConfig& cfg, const std::vector<providers::DataProvider*>& all) {
  std::vector<DonFeed> out;
  for (const StreamFeedConfig& f : cfg.feeds) {
    DonFeed d{f, {}};
    for (providers::DataProvider* p : all) {
      if (p->config().asset != f.asset) continue;
      bool listed = f.providers.empty();
      for (const auto& name : f.providers) listed = listed || name == p->config().name;
      if (listed) d.providers.push_back(p);
    }
    if (d.providers.empty()) throw std::invalid_argument("streams feed " + f.name + ": no provider quotes " + f.asset);
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

const StreamsConfig& streams_of(const scenario::ScenarioConfig& c) { return c.subsystems.get<StreamsConfig>(kSubsystem); }
StreamsConfig& streams_of(scenario::ScenarioConfig& c) { return c.subsystems.edit<StreamsConfig>(kSubsystem); }

void actor_names(const scenario::ScenarioConfig& c, std::vector<scenario::ActorName>& out) {
  const StreamsConfig& s = streams_of(c);
  if (!s.enabled) return;
  for (int i = 0; i < s.don.n; ++i) out.push_back({don_node_name(i), "streams-node", true, true});
  for (const auto& site : s.sites) out.push_back({site_actor_name(site.name), "streams-site", true, true});
  out.push_back({std::string(kLoadBalancerHost), "host", false, true});
  for (const auto& client : s.clients) out.push_back({client_host_name(client.name), "host", false, true});
  if (s.trade.enabled) {
    for (int i = 0; i < s.trade.automation.n; ++i) {
      out.push_back({automation_actor_name(i), "automation-node", true, true});
      out.push_back({client_host_name(automation_client_name(i)), "host", false, true});  // its REST client
    }
  }
}

void register_fault_kinds(faults::FaultKindRegistry& registry) {
  register_streams_fault_kinds(registry);
  register_streams_don_behaviours(registry);
}

std::unique_ptr<world::Part> build(world::Environment& env, const scenario::ScenarioConfig& c) {
  const StreamsConfig& s = streams_of(c);
  if (!s.enabled) return nullptr;
  return std::make_unique<StreamsPart>(env, s);
}

StreamsPart::StreamsPart(world::Environment& env, const StreamsConfig& cfg)
    : sim_(env.simulation()), env_(env), cfg_(cfg) {
  net_ = &env_.network();
  // Keys derive from the run seed so that replications sign differently but reproducibly.
  const std::uint64_t key_seed = sim::hash_combine(sim_.rng().seed(), sim::fnv1a64("streams/don/keys"));
  std::vector<providers::DataProvider*> all;
  for (const auto& p : env_.providers()) all.push_back(p.get());
  don_ = std::make_unique<StreamsDon>(sim_, *net_, cfg_.don, don_feeds(cfg_, all), key_seed);
  agg_ = std::make_unique<AggregationNetwork>(sim_, *net_, cfg_.sites, cfg_.load_balancer, cfg_.api);
  for (std::size_t i = 0; i < agg_->site_count(); ++i)
    don_->add_destination(agg_->site_host(i), [agg = agg_.get(), i](const SignedReport& r) { agg->on_report(i, r); });
  for (const ClientConfig& c : cfg_.clients) {
    std::vector<FeedId> feeds;
    if (c.feeds.empty())
      for (const auto& f : cfg_.feeds) feeds.push_back(feed_id_of(f.name));
    else
      for (const auto& name : c.feeds) feeds.push_back(feed_id_of(name));
    client_feeds_.push_back(feeds);
    clients_.push_back(std::make_unique<StreamsClient>(sim_, *net_, *agg_, c, feeds));
  }
  if (cfg_.trade.enabled) build_trade();
}

void StreamsPart::build_trade() {
  VerifierStackConfig vc;
  vc.config_digest = don_->config_digest();
  vc.signers = don_->signers();
  vc.f = don_->f();
  vc.link_token = env_.link_address();
  vc.fee_manager_link = cfg_.fees.fee_manager_link;
  verifier_ = deploy_verifier_stack(env_.chain(), vc, &don_->keys());
  const contracts::AggregatorProxy* baseline = nullptr;
  if (!cfg_.trade.baseline_feed.empty()) {
    baseline = env_.feed_proxy(cfg_.trade.baseline_feed);
    if (baseline == nullptr) throw std::invalid_argument("streams.trade.baseline_feed: no push feed " + cfg_.trade.baseline_feed);
  }
  // One REST client per Automation node, in trade.region.
  for (int i = 0; i < cfg_.trade.automation.n; ++i) {
    ClientConfig rest;
    rest.name = automation_client_name(i);
    rest.region = cfg_.trade.region;
    automation_clients_.push_back(
        std::make_unique<StreamsClient>(sim_, *net_, *agg_, rest, std::vector<FeedId>{feed_id_of(cfg_.trade.feed)}));
  }
  ReportFetcher fetch = [this](int node, const std::vector<FeedId>& feeds, std::uint32_t ts,
                               std::function<void(std::vector<SignedReport>)> done) {
    automation_clients_[static_cast<std::size_t>(node)]->fetch_bulk(feeds, ts, std::move(done));
  };
  trade_ = std::make_unique<StreamsTrade>(sim_, env_.chain(), *net_, verifier_, cfg_.trade, baseline, std::move(fetch));
  auto forward = [this](const chain::Receipt& r) { tx_included.emit(r); };
  for (int i = 0; i < trade_->don().n(); ++i) conns_.push_back(trade_->don().txm(i).included.connect(forward));
  conns_.push_back(trade_->trader().streams_wallet().included.connect(forward));
  if (node::TxManager* push = trade_->trader().push_wallet()) conns_.push_back(push->included.connect(forward));

  // The fee settings are the FeeManager owner's transactions at set-up.
  auto& registry = env_.chain().contracts();
  const FeeToken token = cfg_.trade.fee_token == "native" ? FeeToken::native : FeeToken::link;
  const auto scaled = [](double fraction) {
    return static_cast<std::uint64_t>(std::llround(fraction * 1e6)) * (kPercentageScalar / 1'000'000);
  };
  if (cfg_.fees.discount > 0)
    run_setup_call(registry, verifier_.owner, verifier_.fee_manager, [&](chain::ExecContext& c) {
      c.self_as<FeeManager>().update_subscriber_discount(c, trade_->upkeep(), feed_id_of(cfg_.trade.feed), token,
                                                         scaled(cfg_.fees.discount));
    });
  if (cfg_.fees.native_surcharge > 0)
    run_setup_call(registry, verifier_.owner, verifier_.fee_manager, [&](chain::ExecContext& c) {
      c.self_as<FeeManager>().set_native_surcharge(c, scaled(cfg_.fees.native_surcharge));
    });
  if (cfg_.fees.payout_every > sim::Duration{}) {
    fee_owner_ = std::make_unique<node::TxManager>(sim_, env_.chain(), verifier_.owner, AutomationDonConfig::funded_node());
    env_.chain().fund(verifier_.owner, AutomationDonConfig::funded_node().eth_balance);
    conns_.push_back(fee_owner_->included.connect(forward));
    payout_timer_ = std::make_unique<sim::Timer>(sim_, [this] { pay_recipients(); }, "streams/fees/payout");
  }
}

void StreamsPart::pay_recipients() {
  // The owner's payRecipients(configDigest, payees): every payee's share of the DON's pool so far.
  const std::uint64_t pool = don_->config_digest();
  const std::vector<chain::Address> payees = verifier_.payees;
  const chain::Calldata calldata = chain::CalldataBuilder{}.selector().bytes32().uint(64).uint(payees.size()).raw(0, 32 * payees.size()).build();
  fee_owner_->send(node::TxRequest{.to = verifier_.reward_manager, .gas_limit = 100'000 + 60'000 * payees.size(),
                                   .calldata = calldata,
                                   .call = [pool, payees](chain::ExecContext& c) {
                                     c.self_as<RewardManager>().pay_recipients(c, pool, payees);
                                   },
                                   .label = "streams/fees/payout"});
  payout_timer_->arm(cfg_.fees.payout_every);
}

StreamsPart::~StreamsPart() = default;

void StreamsPart::start() {
  for (const SteeringConfig& st : cfg_.load_balancer.steering) {
    if (st.at == sim::Duration{})
      agg_->steer(st.site);  // before the clients' first connections
    else
      sim_.at(sim_.now() + st.at, [agg = agg_.get(), site = st.site] { agg->steer(site); }, "streams/lb/steer");
    if (st.duration > sim::Duration{})
      sim_.at(sim_.now() + st.at + st.duration, [agg = agg_.get()] { agg->steer(""); }, "streams/lb/steer");
  }
  agg_->start();
  don_->start();
  for (auto& c : clients_) c->start();
  if (trade_) trade_->start();
  if (payout_timer_) payout_timer_->arm(cfg_.fees.payout_every);
}

providers::TruePrice* StreamsPart::true_price_of(const std::string& feed) const {
  for (const auto& f : cfg_.feeds)
    if (f.name == feed) return env_.true_price(f.asset);
  return nullptr;
}

void StreamsPart::register_actors(faults::ActorDirectory& directory) {
  for (int i = 0; i < don_->n(); ++i) directory.add(don_->control(i));
  for (std::size_t i = 0; i < agg_->site_count(); ++i) directory.add(agg_->control(i));
  if (trade_)
    for (int i = 0; i < trade_->don().n(); ++i) directory.add(trade_->don().control(i));
}

void StreamsPart::install_fault_injectors(faults::FaultKindRegistry& registry) { set_streams_fault_injectors(registry, *agg_); }

std::string StreamsPart::leader_among(const std::vector<std::string>& targets) const {
  // The leader as the first DON node among the targets that is up sees it.
  for (const std::string& t : targets)
    for (int i = 0; i < don_->n(); ++i)
      if (t == don_node_name(i) && don_->control(i).up()) return don_node_name(don_->leader_of(don_->epoch(i)));
  return "";
}

}  // namespace models::streams
