#pragma once
// The Data Streams aggregation network, active-active: several sites (origins) in different regions, each storing
// the DON's reports and serving Streams Direct clients on its own, behind a global load balancer (LB).
//
// Sites. Each site is a host "streams/<name>" in its region and an actor of the same name (model "streams-site").
// A report arriving at a site (on_report) is stored once per (feed, observationsTimestamp) and pushed to every
// WebSocket subscribed to its feed. A site answers the REST endpoints of facts §4: /reports/latest (a feed's
// newest report), /reports/page (reports of one feed from a start timestamp, ascending, up to a limit) and
// /reports/bulk (per feed, the report covering a timestamp: the first with observationsTimestamp >= it; 206 with
// the feeds it has when some are missing, 404 when it has none). Limits are per user (a client host), whichever
// site serves it (streams.api): beyond api.rate_limit requests/s per endpoint the site answers 429, and a
// WebSocket handshake past api.max_connections_per_user open connections is refused with 429.
//
// Load balancer. A prober host "streams/lb" sends a health check to every site each health_check_interval; a
// check unanswered within health_check_timeout fails; a site is marked unhealthy after `unhealthy_after`
// consecutive failures and healthy again after `healthy_after` successes. Each new connection or REST request is
// routed (route()) to the healthy site with the least load, load = connections / capacity, ties by name; when
// no site is healthy the LB fails open and routes among all. An origin header (a client's `origin`, an HA
// socket's origin) names the site, and operator steering (steer) sends every new connection without one to a
// site; either is honoured while the LB holds that site healthy, and otherwise the LB chooses as above: a request
// that names an origin "will succeed even if the specified origin is unavailable" (facts §4, manual traffic
// steering). A HEAD to the LB host lists the healthy origins (HA clients, facts §4). Between a site's failure and
// the health checks' verdict the LB still routes to it; what happens then is lb.dead_backend: the connection hangs
// (nothing answers; the client's timeout decides), is rejected with 503 at once, or is retried on the next site
// that serves (the LB's own connect to the dead backend is taken to fail at once: an L7 balancer's refused
// connection; a backend host that vanished silently would cost the LB its connect timeout).
//
// Wire. Every client-site exchange is a message over sim::Network (kinds "streams/ws", "streams/rest",
// "streams/health"), so region latency, link faults and host failures apply; the client side lives in
// models/streams/client.hpp and calls the ws_* / rest_* / head functions here, which send the request from the
// client's host and deliver the answer back to it.
//
// Faults (models/streams/streams_faults.hpp): site outage (host down, connections lost, reports arriving
// meanwhile are never stored there), degradation (a link effect between the site and every
// other host), and health checks of a site failing at the LB (the site still serves its connections).
//
// Simplifications: the LB's routing decision is instantaneous and uses the connection counts the sites hold
// (a real LB learns load with some delay); the LB itself never fails; sites do not replicate reports between
// each other (each stores what reached it), and keep each feed's last kSiteRetentionSeconds of reports.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/faults/actor_control.hpp"
#include "models/faults/fault_effect.hpp"
#include "models/providers/data_provider.hpp"
#include "models/streams/report.hpp"
#include "models/streams/streams_config.hpp"
#include "sim/network/network.hpp"
#include "sim/signal.hpp"
#include "sim/simulation.hpp"
#include "sim/timer.hpp"

namespace models::streams {

// How long a site keeps a feed's reports, seconds of observationsTimestamp behind its newest (assumption: 1 h).
inline constexpr std::uint32_t kSiteRetentionSeconds = 3600;
// Size of a request or control message (connect, ping, close, query, health check), bytes (assumption).
inline constexpr std::uint32_t kControlMessageBytes = 200;

// The answer of a site's REST endpoint.
struct RestResult {
  int status = 0;                     // 200 ok, 206 bulk with some feeds, 404 nothing covers the request, 429 rate limited, 503 no backend
  std::vector<SignedReport> reports;  // page: ascending by observationsTimestamp; bulk: one per requested feed it has; latest: one
};

// The client's end of one WebSocket: what runs at the client's host when the site's messages arrive.
struct WsCallbacks {
  std::function<void()> opened;                     // the site accepted the connection
  std::function<void(const SignedReport&)> report;  // the site pushed a report
  std::function<void(int status)> rejected;         // the handshake was refused (503 by the LB, 429 by the site)
};

enum class RestEndpoint { page, bulk, latest };

class AggregationNetwork {
 public:
  // Registers a host "streams/<site name>" per site (in its region) and the prober "streams/lb" in lb.region.
  // Throws std::invalid_argument on no site, an empty or duplicate site name or a non-positive capacity.
  AggregationNetwork(sim::Simulation& sim, sim::Network& net, std::vector<SiteConfig> sites, LoadBalancerConfig lb,
                     ApiConfig api = {});
  ~AggregationNetwork();
  AggregationNetwork(const AggregationNetwork&) = delete;
  AggregationNetwork& operator=(const AggregationNetwork&) = delete;

  // Starts the health checks (first round one interval after now).
  void start();

  std::size_t site_count() const { return sites_.size(); }
  // The host of site i: the destination the DON sends reports to.
  sim::HostId site_host(std::size_t i) const { return sites_.at(i)->host; }
  const std::string& site_name(std::size_t i) const { return sites_.at(i)->cfg.name; }
  // The index of the site with this name.
  std::optional<std::size_t> site_index(std::string_view name) const;
  // The health-check prober, also the host answering HEAD.
  sim::HostId lb_host() const { return lb_host_; }
  const LoadBalancerConfig& lb_config() const { return lb_; }
  // The index of the site whose actor name ("streams/<name>") this is.
  std::optional<std::size_t> site_of_actor(std::string_view actor) const;
  sim::Network& network() { return net_; }

  // A report arrived at site i: stored unless the site is down or already has (feed, observationsTimestamp);
  // a newly stored report is pushed to the site's WebSockets subscribed to its feed.
  void on_report(std::size_t site, const SignedReport& r);

  // Manual steering: every new connection without an origin goes to this site (by name), while the LB holds it
  // healthy, until cleared ("").
  // Throws std::invalid_argument on an unknown name.
  void steer(const std::string& site);
  // The steered site's name ("" when not steering).
  const std::string& steered() const { return steered_; }

  // The fault handle of site i: actor "streams/<name>", model "streams-site". A crash of it acts as an outage.
  faults::ActorControl& control(std::size_t site) { return *sites_.at(site)->control; }

  // --- load balancer ---
  // The site for a new connection or request: `origin` if given (origin header; std::invalid_argument if
  // unknown), else the steered site, as long as the LB holds it healthy; else the least-loaded healthy site (all
  // sites when none is healthy).
  std::size_t route(const std::string& origin = {});
  // What HEAD answers: the healthy sites by load then name (every site when none is healthy).
  std::vector<std::size_t> listed() const;

  // --- the wire (each call sends the request from `from`; answers arrive back at `from`) ---
  // A fresh connection id (unique across clients).
  std::uint64_t new_connection_id() { return ++next_connection_; }
  // Opens WebSocket `conn` to the site route() chose, subscribed to `feeds`; cb.opened runs at the client when
  // accepted, cb.rejected when refused. Returns the site the LB forwards it to (lb.dead_backend may pick another).
  // `socket` (non-zero) names the client's socket: when a site accepts it, any older connection of the same client
  // socket still held at any site is forgotten (a server times such half-open connections out; the model does it
  // when the socket connects again), so a close lost on the way never counts against the user's limit for good.
  std::size_t ws_connect(sim::HostId from, std::size_t routed, std::uint64_t conn, std::vector<FeedId> feeds,
                         WsCallbacks cb, std::uint64_t socket = 0);
  // A ping on `conn`; pong(known) runs at the client, known = false if the site has no such connection (it
  // restarted or dropped it: the client should reconnect).
  void ws_ping(sim::HostId from, std::size_t site, std::uint64_t conn, std::function<void(bool known)> pong);
  // The client closes `conn` (the site forgets it when the message arrives).
  void ws_close(sim::HostId from, std::size_t site, std::uint64_t conn);
  // /reports/page?feedID&startTimestamp: up to `limit` reports with observationsTimestamp >= start.
  void rest_page(sim::HostId from, std::size_t site, FeedId feed, std::uint32_t start, int limit,
                 std::function<void(RestResult)> reply);
  // /reports/latest?feedID: the feed's newest report; 404 if none.
  void rest_latest(sim::HostId from, std::size_t site, FeedId feed, std::function<void(RestResult)> reply);
  // /reports/bulk?feedIDs&timestamp: per feed the report covering `timestamp`; 206 with those it has when some
  // feed has none yet, 404 when no feed has one.
  void rest_bulk(sim::HostId from, std::size_t site, std::vector<FeedId> feeds, std::uint32_t timestamp,
                 std::function<void(RestResult)> reply);
  // HEAD on the WebSocket URL (sent to the LB host): the names of listed().
  void head(sim::HostId from, std::function<void(std::vector<std::string>)> reply);

  // --- fault hooks (models/streams/streams_faults.cpp) ---
  // Takes site i down (host down, every connection dropped) or back up; nests. The host is
  // up only while neither an outage nor a crash of the site is active.
  void set_site_down(std::size_t site, bool down, faults::FaultEffect* effect = nullptr);
  // Added latency, latency multiplier and loss between site i and every other host; returns the impairment.
  sim::ImpairmentId degrade_site(std::size_t site, sim::LinkEffect effect, faults::FaultEffect* fault = nullptr);
  void restore_site(sim::ImpairmentId id) { net_.remove_impairment(id); }
  // Health checks of site i fail at the LB while set (nests).
  void set_health_check_failing(std::size_t site, bool failing, faults::FaultEffect* effect = nullptr);

  // --- observation ---
  bool healthy(std::size_t i) const { return sites_.at(i)->healthy; }      // the LB's current view
  bool site_up(std::size_t i) const;                                       // not in an outage or crash
  std::size_t connections(std::size_t i) const { return sites_.at(i)->subs.size(); }
  std::uint64_t reports_stored(std::size_t i) const { return sites_.at(i)->stored_total; }
  // The stored report of (feed, observationsTimestamp) at site i, or null.
  const SignedReport* stored(std::size_t i, FeedId feed, std::uint32_t ts) const;
  // Observations timestamps of feed stored at site i (within retention), ascending.
  std::vector<std::uint32_t> stored_timestamps(std::size_t i, FeedId feed) const;
  std::uint64_t health_checks_failed(std::size_t i) const { return sites_.at(i)->checks_failed; }
  std::uint64_t rate_limited(std::size_t i) const { return sites_.at(i)->answered_429; }  // 429 answers
  std::uint64_t routed(std::size_t i) const { return sites_.at(i)->routed; }              // route() picks
  std::uint64_t answered_503() const { return answered_503_; }  // the LB's own 503s (lb.dead_backend)
  const ApiConfig& api() const { return api_; }
  // WebSocket connections user (client host) `user` holds over all sites.
  int user_connections(sim::HostId user) const;

  sim::Signal<std::size_t, bool> health_changed;  // the LB marked site i healthy (true) or unhealthy (false)

 private:
  struct Subscription {
    sim::HostId client = 0;
    std::uint64_t socket = 0;  // the client's socket (0: unnamed)
    std::vector<FeedId> feeds;
    std::shared_ptr<const WsCallbacks> cb;
  };
  struct Site {
    SiteConfig cfg;
    sim::HostId host = 0;
    std::unique_ptr<faults::ActorControl> control;
    std::map<FeedId, std::map<std::uint32_t, SignedReport>> store;
    std::uint64_t stored_total = 0;
    std::map<std::uint64_t, Subscription> subs;  // by connection id
    int down = 0;
    faults::FaultEffect* down_effect = nullptr;
    int hc_failing = 0;
    faults::FaultEffect* hc_effect = nullptr;
    // The LB's view of the site.
    bool healthy = true;
    int ok_streak = 0;
    int fail_streak = 0;
    std::uint64_t probe_seq = 0;
    bool probe_answered = false;
    std::unique_ptr<sim::Timer> probe_deadline;
    std::uint64_t checks_failed = 0;
    std::uint64_t answered_429 = 0;
    std::uint64_t routed = 0;
  };

  bool serving(const Site& s) const;  // up and not crashed: handles messages
  void forget_socket(sim::HostId client, std::uint64_t socket);  // drops the client socket's connections everywhere
  // Where the LB forwards what it routed to `site` (lb.dead_backend): the site itself, another site that serves
  // (retry), or nowhere (reject; retry with no site serving): the LB answers 503 itself.
  std::optional<std::size_t> forward(std::size_t site) const;
  // The LB's own 503 to `to`, after the request's trip to the LB.
  void answer_from_lb(sim::HostId to, sim::MessageKind kind, std::function<void()> deliver);
  double load(const Site& s) const { return static_cast<double>(s.subs.size()) / s.cfg.capacity; }
  void probe_all();
  void probe_result(std::size_t i, bool ok);
  bool take_token(Site& s, sim::HostId client, RestEndpoint ep);
  void reply_rest(Site& s, sim::HostId to, RestResult r, std::function<void(RestResult)> reply);
  // Forwards a REST request routed to `site` (updated to where it goes); false when the LB answered 503 itself.
  bool rest_forward(sim::HostId from, std::size_t& site, std::function<void(RestResult)>& reply);

  sim::Simulation& sim_;
  sim::Network& net_;
  LoadBalancerConfig lb_;
  ApiConfig api_;
  std::vector<std::unique_ptr<Site>> sites_;
  std::map<std::pair<sim::HostId, int>, providers::TokenBucket> buckets_;  // per (user, endpoint), over all sites
  std::uint64_t answered_503_ = 0;
  sim::HostId lb_host_ = 0;
  sim::MessageKind ws_kind_;
  sim::MessageKind rest_kind_;
  sim::MessageKind health_kind_;
  sim::Timer health_timer_;
  std::string steered_;
  std::uint64_t next_connection_ = 0;
};

}  // namespace models::streams
