#include "models/streams/aggregation_network.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include <fmt/core.h>

namespace models::streams {

namespace {

std::uint32_t reports_bytes(const std::vector<SignedReport>& rs) {
  std::uint32_t n = kControlMessageBytes;
  for (const SignedReport& r : rs) n += encoded_size(r);
  return n;
}
}  // namespace

AggregationNetwork::AggregationNetwork(sim::Simulation& sim, sim::Network& net, std::vector<SiteConfig> sites,
                                       LoadBalancerConfig lb, ApiConfig api)
    : sim_(sim),
      net_(net),
      lb_(std::move(lb)),
      api_(api),
      ws_kind_(net.kind("streams/ws")),
      rest_kind_(net.kind("streams/rest")),
      health_kind_(net.kind("streams/health")),
      health_timer_(sim, [this] { probe_all(); }, "streams/lb/health") {
  if (sites.empty()) throw std::invalid_argument("AggregationNetwork: no site");
  std::set<std::string> names;
  for (const SiteConfig& c : sites) {
    if (c.name.empty()) throw std::invalid_argument("AggregationNetwork: a site has no name");
    if (!names.insert(c.name).second) throw std::invalid_argument("AggregationNetwork: duplicate site " + c.name);
    if (!(c.capacity > 0)) throw std::invalid_argument("AggregationNetwork: site " + c.name + " capacity must be > 0");
  }
  for (std::size_t i = 0; i < sites.size(); ++i) {
    auto s = std::make_unique<Site>();
    s->cfg = sites[i];
    s->host = net.add_host(site_actor_name(s->cfg.name), s->cfg.region);
    s->control = std::make_unique<faults::ActorControl>(site_actor_name(s->cfg.name), "streams-site");
    Site* raw = s.get();
    s->control->on_crash = [raw] { raw->subs.clear(); };
    // The crash injector brings the host up when the crash heals; an outage still active keeps it down.
    s->control->on_restart = [this, raw] {
      if (raw->down > 0) net_.set_host_up(raw->host, false);
    };
    s->probe_deadline = std::make_unique<sim::Timer>(
        sim, [this, i] { probe_result(i, sites_[i]->probe_answered); }, "streams/lb/health-deadline");
    sites_.push_back(std::move(s));
  }
  lb_host_ = net.add_host(kLoadBalancerHost, lb_.region);
}

AggregationNetwork::~AggregationNetwork() = default;

void AggregationNetwork::start() { health_timer_.arm(lb_.health_check_interval); }

std::optional<std::size_t> AggregationNetwork::site_index(std::string_view name) const {
  for (std::size_t i = 0; i < sites_.size(); ++i)
    if (sites_[i]->cfg.name == name) return i;
  return std::nullopt;
}

std::optional<std::size_t> AggregationNetwork::site_of_actor(std::string_view actor) const {
  constexpr std::string_view prefix = "streams/";
  if (actor.substr(0, prefix.size()) != prefix) return std::nullopt;
  return site_index(actor.substr(prefix.size()));
}

bool AggregationNetwork::serving(const Site& s) const { return s.down == 0 && s.control->up(); }
bool AggregationNetwork::site_up(std::size_t i) const { return serving(*sites_.at(i)); }

void AggregationNetwork::on_report(std::size_t site, const SignedReport& r) {
  Site& s = *sites_.at(site);
  if (!serving(s)) {
    if (s.down_effect) s.down_effect->count("report_copies_dropped");
    s.control->admit();  // counts the suppressed event while crashed
    return;
  }
  auto& feed = s.store[r.report.feed_id];
  const std::uint32_t ts = r.report.observations_timestamp;
  if (!feed.emplace(ts, r).second) return;
  ++s.stored_total;
  while (!feed.empty() && feed.begin()->first + kSiteRetentionSeconds < ts) feed.erase(feed.begin());
  const std::uint32_t bytes = encoded_size(r);
  for (const auto& [conn, sub] : s.subs) {
    if (std::find(sub.feeds.begin(), sub.feeds.end(), r.report.feed_id) == sub.feeds.end()) continue;
    net_.send(s.host, sub.client, bytes, ws_kind_, [cb = sub.cb, r] { cb->report(r); });
  }
}

void AggregationNetwork::steer(const std::string& site) {
  if (!site.empty() && !site_index(site)) throw std::invalid_argument("steer: unknown site " + site);
  steered_ = site;
}

std::size_t AggregationNetwork::route(const std::string& origin) {
  const std::vector<std::size_t> healthy_first = listed();
  std::size_t pick = healthy_first.front();
  if (!origin.empty() || !steered_.empty()) {
    const std::string& name = origin.empty() ? steered_ : origin;
    auto i = site_index(name);
    if (!i) throw std::invalid_argument("route: unknown origin " + name);
    // Honoured while healthy; when no site is healthy listed() holds them all and the LB fails open to it.
    if (std::find(healthy_first.begin(), healthy_first.end(), *i) != healthy_first.end()) pick = *i;
  }
  ++sites_[pick]->routed;
  return pick;
}

std::optional<std::size_t> AggregationNetwork::forward(std::size_t site) const {
  if (serving(*sites_[site]) || lb_.dead_backend == DeadBackend::hang) return site;
  if (lb_.dead_backend == DeadBackend::retry)
    for (std::size_t i : listed())
      if (serving(*sites_[i])) return i;
  return std::nullopt;
}

void AggregationNetwork::answer_from_lb(sim::HostId to, sim::MessageKind kind, std::function<void()> deliver) {
  ++answered_503_;
  net_.send(to, lb_host_, kControlMessageBytes, kind, [this, to, kind, deliver = std::move(deliver)] {
    net_.send(lb_host_, to, kControlMessageBytes, kind, deliver);
  });
}

std::vector<std::size_t> AggregationNetwork::listed() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < sites_.size(); ++i)
    if (sites_[i]->healthy) out.push_back(i);
  if (out.empty())  // fail open
    for (std::size_t i = 0; i < sites_.size(); ++i) out.push_back(i);
  std::stable_sort(out.begin(), out.end(), [this](std::size_t a, std::size_t b) {
    const double la = load(*sites_[a]), lb = load(*sites_[b]);
    if (la != lb) return la < lb;
    return sites_[a]->cfg.name < sites_[b]->cfg.name;
  });
  return out;
}

// --- wire ---

std::size_t AggregationNetwork::ws_connect(sim::HostId from, std::size_t routed, std::uint64_t conn,
                                           std::vector<FeedId> feeds, WsCallbacks cb, std::uint64_t socket) {
  auto shared = std::make_shared<const WsCallbacks>(std::move(cb));
  const std::optional<std::size_t> to = forward(routed);
  if (!to) {
    answer_from_lb(from, ws_kind_, [shared] {
      if (shared->rejected) shared->rejected(503);
    });
    return routed;
  }
  const std::size_t site = *to;
  net_.send(from, site_host(site), kControlMessageBytes, ws_kind_, [this, from, site, conn, feeds, shared, socket] {
    Site& s = *sites_[site];
    if (!s.control->admit() || s.down > 0) return;
    if (socket != 0) forget_socket(from, socket);
    if (user_connections(from) >= api_.max_connections_per_user) {  // the handshake is refused: 429
      ++s.answered_429;
      net_.send(s.host, from, kControlMessageBytes, ws_kind_, [shared] {
        if (shared->rejected) shared->rejected(429);
      });
      return;
    }
    s.subs[conn] = Subscription{from, socket, feeds, shared};
    net_.send(s.host, from, kControlMessageBytes, ws_kind_, [shared] { shared->opened(); });
  });
  return site;
}

void AggregationNetwork::forget_socket(sim::HostId client, std::uint64_t socket) {
  for (auto& s : sites_)
    for (auto it = s->subs.begin(); it != s->subs.end();)
      it = it->second.client == client && it->second.socket == socket ? s->subs.erase(it) : std::next(it);
}

int AggregationNetwork::user_connections(sim::HostId user) const {
  int n = 0;
  for (const auto& s : sites_)
    for (const auto& [conn, sub] : s->subs) n += sub.client == user ? 1 : 0;
  return n;
}

void AggregationNetwork::ws_ping(sim::HostId from, std::size_t site, std::uint64_t conn,
                                 std::function<void(bool)> pong) {
  net_.send(from, site_host(site), kControlMessageBytes, ws_kind_, [this, from, site, conn, pong = std::move(pong)] {
    Site& s = *sites_[site];
    if (!s.control->admit() || s.down > 0) return;
    const bool known = s.subs.count(conn) != 0;
    net_.send(s.host, from, kControlMessageBytes, ws_kind_, [pong, known] { pong(known); });
  });
}

void AggregationNetwork::ws_close(sim::HostId from, std::size_t site, std::uint64_t conn) {
  net_.send(from, site_host(site), kControlMessageBytes, ws_kind_, [this, site, conn] {
    Site& s = *sites_[site];
    if (!s.control->admit()) return;
    s.subs.erase(conn);
  });
}

bool AggregationNetwork::take_token(Site& s, sim::HostId client, RestEndpoint ep) {
  auto key = std::make_pair(client, static_cast<int>(ep));
  auto it = buckets_.find(key);
  if (it == buckets_.end()) it = buckets_.emplace(key, providers::TokenBucket(api_.rate_limit)).first;
  if (it->second.take(sim_.now())) return true;
  ++s.answered_429;
  return false;
}

void AggregationNetwork::reply_rest(Site& s, sim::HostId to, RestResult r, std::function<void(RestResult)> reply) {
  const std::uint32_t bytes = reports_bytes(r.reports);
  net_.send(s.host, to, bytes, rest_kind_,
            [reply = std::move(reply), r = std::move(r)]() mutable { reply(std::move(r)); });
}

bool AggregationNetwork::rest_forward(sim::HostId from, std::size_t& site, std::function<void(RestResult)>& reply) {
  const std::optional<std::size_t> to = forward(site);
  if (to) {
    site = *to;
    return true;
  }
  answer_from_lb(from, rest_kind_, [reply = std::move(reply)] { reply(RestResult{503, {}}); });
  return false;
}

void AggregationNetwork::rest_page(sim::HostId from, std::size_t site, FeedId feed, std::uint32_t start, int limit,
                                   std::function<void(RestResult)> reply) {
  if (!rest_forward(from, site, reply)) return;
  net_.send(from, site_host(site), kControlMessageBytes, rest_kind_,
            [this, from, site, feed, start, limit, reply = std::move(reply)]() mutable {
              Site& s = *sites_[site];
              if (!s.control->admit() || s.down > 0) return;
              RestResult r;
              if (!take_token(s, from, RestEndpoint::page)) {
                r.status = 429;
              } else {
                r.status = 200;
                auto f = s.store.find(feed);
                if (f != s.store.end())
                  for (auto it = f->second.lower_bound(start);
                       it != f->second.end() && static_cast<int>(r.reports.size()) < limit; ++it)
                    r.reports.push_back(it->second);
              }
              reply_rest(s, from, std::move(r), std::move(reply));
            });
}

void AggregationNetwork::rest_latest(sim::HostId from, std::size_t site, FeedId feed,
                                     std::function<void(RestResult)> reply) {
  if (!rest_forward(from, site, reply)) return;
  net_.send(from, site_host(site), kControlMessageBytes, rest_kind_,
            [this, from, site, feed, reply = std::move(reply)]() mutable {
              Site& s = *sites_[site];
              if (!s.control->admit() || s.down > 0) return;
              RestResult r;
              if (!take_token(s, from, RestEndpoint::latest)) {
                r.status = 429;
              } else if (auto f = s.store.find(feed); f != s.store.end() && !f->second.empty()) {
                r.status = 200;
                r.reports.push_back(f->second.rbegin()->second);
              } else {
                r.status = 404;
              }
              reply_rest(s, from, std::move(r), std::move(reply));
            });
}

void AggregationNetwork::rest_bulk(sim::HostId from, std::size_t site, std::vector<FeedId> feeds,
                                   std::uint32_t timestamp, std::function<void(RestResult)> reply) {
  if (!rest_forward(from, site, reply)) return;
  net_.send(from, site_host(site), kControlMessageBytes, rest_kind_,
            [this, from, site, feeds = std::move(feeds), timestamp, reply = std::move(reply)]() mutable {
              Site& s = *sites_[site];
              if (!s.control->admit() || s.down > 0) return;
              RestResult r;
              if (!take_token(s, from, RestEndpoint::bulk)) {
                r.status = 429;
              } else {
                // Every feed covered: 200; some: 206 with those it has; none: 404 (facts §4 SDKs).
                for (FeedId feed : feeds) {
                  if (auto f = s.store.find(feed); f != s.store.end())
                    if (auto it = f->second.lower_bound(timestamp); it != f->second.end()) r.reports.push_back(it->second);
                }
                r.status = r.reports.size() == feeds.size() ? 200 : r.reports.empty() ? 404 : 206;
              }
              reply_rest(s, from, std::move(r), std::move(reply));
            });
}

void AggregationNetwork::head(sim::HostId from, std::function<void(std::vector<std::string>)> reply) {
  net_.send(from, lb_host_, kControlMessageBytes, rest_kind_, [this, from, reply = std::move(reply)] {
    std::vector<std::string> names;
    for (std::size_t i : listed()) names.push_back(sites_[i]->cfg.name);
    net_.send(lb_host_, from, kControlMessageBytes, rest_kind_, [reply, names] { reply(names); });
  });
}

// --- health checks ---

void AggregationNetwork::probe_all() {
  for (std::size_t i = 0; i < sites_.size(); ++i) {
    Site& s = *sites_[i];
    const std::uint64_t seq = ++s.probe_seq;
    s.probe_answered = false;
    s.probe_deadline->arm(lb_.health_check_timeout);
    net_.send(lb_host_, s.host, kControlMessageBytes, health_kind_, [this, i, seq] {
      Site& site = *sites_[i];
      if (!site.control->admit() || site.down > 0) return;
      if (site.hc_failing > 0) {
        if (site.hc_effect) site.hc_effect->count("health_checks_failed");
        return;
      }
      net_.send(site.host, lb_host_, kControlMessageBytes, health_kind_, [this, i, seq] {
        Site& back = *sites_[i];
        if (back.probe_seq == seq && back.probe_deadline->armed()) back.probe_answered = true;
      });
    });
  }
  health_timer_.arm(lb_.health_check_interval);
}

void AggregationNetwork::probe_result(std::size_t i, bool ok) {
  Site& s = *sites_[i];
  if (ok) {
    s.fail_streak = 0;
    if (++s.ok_streak >= lb_.healthy_after && !s.healthy) {
      s.healthy = true;
      health_changed.emit(i, true);
    }
  } else {
    ++s.checks_failed;
    s.ok_streak = 0;
    if (++s.fail_streak >= lb_.unhealthy_after && s.healthy) {
      s.healthy = false;
      health_changed.emit(i, false);
    }
  }
}

// --- faults ---

void AggregationNetwork::set_site_down(std::size_t site, bool down, faults::FaultEffect* effect) {
  Site& s = *sites_.at(site);
  if (down) {
    if (s.down++ == 0) {
      net_.set_host_up(s.host, false);
      if (effect) effect->count("connections_dropped", s.subs.size());
      s.subs.clear();
    }
    if (effect) s.down_effect = effect;
  } else if (s.down > 0) {
    if (--s.down == 0) {
      if (s.control->up()) net_.set_host_up(s.host, true);  // a crash still active keeps the host down
      s.down_effect = nullptr;
    }
  }
}

sim::ImpairmentId AggregationNetwork::degrade_site(std::size_t site, sim::LinkEffect effect,
                                                   faults::FaultEffect* fault) {
  const sim::HostId h = site_host(site);
  std::vector<sim::HostId> others;
  for (sim::HostId o = 0; o < net_.host_count(); ++o)
    if (o != h) others.push_back(o);
  const std::vector<sim::HostId> self{h};
  sim::Network::ImpairmentHook hook;
  if (fault)
    hook = [fault](const sim::MessageInfo&, bool dropped) {
      fault->count(dropped ? "messages_dropped" : "messages_delayed");
    };
  return net_.add_link_effect(self, others, effect, std::move(hook));
}

void AggregationNetwork::set_health_check_failing(std::size_t site, bool failing, faults::FaultEffect* effect) {
  Site& s = *sites_.at(site);
  if (failing) {
    ++s.hc_failing;
    if (effect) s.hc_effect = effect;
  } else if (s.hc_failing > 0 && --s.hc_failing == 0) {
    s.hc_effect = nullptr;
  }
}

// --- observation ---

const SignedReport* AggregationNetwork::stored(std::size_t i, FeedId feed, std::uint32_t ts) const {
  const Site& s = *sites_.at(i);
  auto f = s.store.find(feed);
  if (f == s.store.end()) return nullptr;
  auto it = f->second.find(ts);
  return it == f->second.end() ? nullptr : &it->second;
}

std::vector<std::uint32_t> AggregationNetwork::stored_timestamps(std::size_t i, FeedId feed) const {
  std::vector<std::uint32_t> out;
  const Site& s = *sites_.at(i);
  auto f = s.store.find(feed);
  if (f != s.store.end())
    for (const auto& [ts, r] : f->second) out.push_back(ts);
  return out;
}

}  // namespace models::streams
