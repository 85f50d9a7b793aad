#include "models/streams/streams_world.hpp"

#include <stdexcept>

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

StreamsWorld::StreamsWorld(sim::Simulation& sim, const StreamsConfig& cfg, StreamsEnvironment env)
    : sim_(sim), cfg_(cfg), env_(std::move(env)) {
  cfg_.validate("streams").throw_if_any("invalid streams configuration");
  if (env_.network == nullptr) {
    own_net_ = std::make_unique<sim::Network>(sim_, env_.network_config);
    net_ = own_net_.get();
  } else {
    net_ = env_.network;
  }
  // Keys derive from the run seed so that replications sign differently but reproducibly.
  const std::uint64_t key_seed = sim::hash_combine(sim_.rng().seed(), sim::fnv1a64("streams/don/keys"));
  don_ = std::make_unique<StreamsDon>(sim_, *net_, cfg_.don, don_feeds(cfg_, env_.providers), key_seed);
  agg_ = std::make_unique<AggregationNetwork>(sim_, *net_, cfg_.sites, cfg_.load_balancer);
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

void StreamsWorld::build_trade() {
  if (env_.chain == nullptr) throw std::invalid_argument("streams.trade needs a chain");
  VerifierStackConfig vc;
  vc.config_digest = don_->config_digest();
  vc.signers = don_->signers();
  vc.f = don_->f();
  verifier_ = deploy_verifier_stack(*env_.chain, vc, &don_->keys());
  const contracts::AggregatorProxy* baseline = nullptr;
  if (!cfg_.trade.baseline_feed.empty()) {
    baseline = env_.push_feed_proxy ? env_.push_feed_proxy(cfg_.trade.baseline_feed) : nullptr;
    if (baseline == nullptr) throw std::invalid_argument("streams.trade.baseline_feed: no push feed " + cfg_.trade.baseline_feed);
  }
  ClientConfig rest;
  rest.name = "automation";
  rest.region = cfg_.trade.region;
  automation_client_ = std::make_unique<StreamsClient>(sim_, *net_, *agg_, rest, std::vector<FeedId>{feed_id_of(cfg_.trade.feed)});
  StreamsClient* client = automation_client_.get();
  ReportFetcher fetch = [client](const std::vector<FeedId>& feeds, std::uint32_t ts,
                                 std::function<void(std::vector<SignedReport>)> done) {
    client->fetch_bulk(feeds, ts, std::move(done));
  };
  trade_ = std::make_unique<StreamsTrade>(sim_, *env_.chain, verifier_, cfg_.trade, baseline, std::move(fetch));
}

StreamsWorld::~StreamsWorld() = default;

void StreamsWorld::start() {
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
}

providers::TruePrice* StreamsWorld::true_price_of(const std::string& feed) const {
  for (const auto& f : cfg_.feeds)
    if (f.name == feed) return env_.true_price ? env_.true_price(f.asset) : nullptr;
  return nullptr;
}

}  // namespace models::streams
