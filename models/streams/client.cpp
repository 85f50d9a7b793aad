#include "models/streams/client.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace models::streams {

StreamsClient::StreamsClient(sim::Simulation& sim, sim::Network& net, AggregationNetwork& agg,
                             const ClientConfig& cfg, std::vector<FeedId> feeds)
    : sim_(sim),
      agg_(agg),
      cfg_(cfg),
      p_(cfg.profile()),
      feeds_(std::move(feeds)),
      backoff_rng_(sim.stream("streams/client/" + cfg.name + "/backoff")),
      backfill_timer_(sim, [this] { backfill_all(); }, "streams/client/backfill"),
      head_timeout_(sim, [this] { head_failed(); }, "streams/client/head-timeout") {
  if (cfg_.name.empty()) throw std::invalid_argument("StreamsClient: empty name");
  if (feeds_.empty()) throw std::invalid_argument("StreamsClient " + cfg_.name + ": no feed");
  if (!cfg_.origin.empty() && !agg_.site_index(cfg_.origin))
    throw std::invalid_argument("StreamsClient " + cfg_.name + ": unknown origin " + cfg_.origin);
  if (p_.ping_every > sim::Duration{} && (p_.pong_timeout > p_.ping_every || p_.pong_timeout <= sim::Duration{}))
    throw std::invalid_argument("StreamsClient " + cfg_.name + ": pong_timeout must be in (0, ping_every]");
  std::sort(feeds_.begin(), feeds_.end());
  feeds_.erase(std::unique(feeds_.begin(), feeds_.end()), feeds_.end());
  host_ = net.add_host(client_host_name(cfg_.name), cfg_.region);
  for (FeedId f : feeds_) feed_state_[f];
  for (RestEndpoint ep : {RestEndpoint::page, RestEndpoint::bulk, RestEndpoint::latest}) {
    Endpoint e{providers::TokenBucket(cfg_.rest_rate_limit), {}, nullptr};
    e.pump = std::make_unique<sim::Timer>(sim, [this, ep] { pump(ep); }, "streams/client/rate-limit");
    endpoints_.emplace(static_cast<int>(ep), std::move(e));
  }
}

StreamsClient::~StreamsClient() {
  for (auto& [id, call] : calls_) {
    call.timeout.cancel();
    call.retry.cancel();
  }
}

void StreamsClient::start() {
  if (cfg_.mode != "ha") {
    first_origin_ = cfg_.origin;
    attempt(make_socket(cfg_.origin));
  } else if (p_.head_discovery) {
    send_head();
  } else {
    // The Rust SDK: the origins are the configured URLs (the model: the first two sites), no HEAD.
    std::vector<std::string> names;
    for (std::size_t i = 0; i < agg_.site_count() && i < 2; ++i) names.push_back(agg_.site_name(i));
    open_ha(names);
  }
  if (cfg_.backfill) backfill_timer_.arm(cfg_.backfill_every);
}

// HA: ask the LB which origins are available; the answer decides how many sockets open and where.
void StreamsClient::send_head() {
  const std::uint64_t seq = ++head_seq_;
  head_timeout_.arm(p_.connect_timeout);
  agg_.head(host_, [this, seq](const std::vector<std::string>& names) {
    if (seq != head_seq_ || !sockets_.empty()) return;  // a late answer to a timed-out HEAD
    head_timeout_.cancel();
    open_ha(names);
  });
}

// HEAD went unanswered: as the Go and TypeScript SDKs, fall back to one connection through the LB.
void StreamsClient::head_failed() {
  ++head_seq_;
  ++head_failures_;
  if (sockets_.empty()) open_ha({});
}

void StreamsClient::open_ha(const std::vector<std::string>& names) {
  const std::size_t n = std::min<std::size_t>(2, names.size());
  if (n == 0 || n < p_.ha_min_origins) {
    make_socket({});  // not enough origins for HA: one connection, routed by the LB
  } else {
    for (std::size_t i = 0; i < n; ++i) make_socket(names[i]);
    first_origin_ = names[0];
  }
  for (auto& s : sockets_) attempt(*s);
}

StreamsClient::Socket& StreamsClient::make_socket(std::string origin) {
  auto s = std::make_unique<Socket>();
  s->index = sockets_.size();
  s->origin = std::move(origin);
  Socket* raw = s.get();
  s->connect_timer =
      std::make_unique<sim::Timer>(sim_, [this, raw] { attempt_failed(*raw); }, "streams/client/connect-timeout");
  s->ping_timer = std::make_unique<sim::Timer>(sim_, [this, raw] { ping(*raw); }, "streams/client/ping");
  s->pong_timer = std::make_unique<sim::Timer>(sim_, [this, raw] { dropped(*raw); }, "streams/client/pong-timeout");
  s->backoff_timer = std::make_unique<sim::Timer>(sim_, [this, raw] { retry(*raw); }, "streams/client/backoff");
  sockets_.push_back(std::move(s));
  return *raw;
}

sim::Duration StreamsClient::backoff() {
  const double lo = p_.backoff_min.seconds(), hi = p_.backoff_max.seconds();
  return sim::Duration::from_seconds(lo + (hi - lo) * backoff_rng_.uniform01());
}

sim::Duration StreamsClient::socket_backoff(Socket& s) {
  if (p_.backoff == BackoffPolicy::uniform) return backoff();
  // Doubling: backoff_min, 2 backoff_min, 4 backoff_min, ... capped at backoff_max (doubling stops there).
  sim::Duration d = std::min(p_.backoff_min, p_.backoff_max);
  for (int k = 0; k < s.backoffs && d < p_.backoff_max; ++k) d = std::min(d * 2, p_.backoff_max);
  ++s.backoffs;
  return d;
}

// --- sockets ---

void StreamsClient::attempt(Socket& s) {
  ++connect_attempts_;
  // The Rust SDK sends every re-attempt to the first origin; the others keep their socket's origin ("": the LB's).
  const bool first = p_.reconnect_to_first_origin && s.ever_up;
  ++s.attempts;
  s.conn = agg_.new_connection_id();
  s.connect_timer->arm(p_.connect_timeout);
  connect_to(s, agg_.route(first ? first_origin_ : s.origin));
}

void StreamsClient::connect_to(Socket& s, std::size_t routed) {
  const std::uint64_t conn = s.conn;
  auto site = std::make_shared<std::size_t>(routed);  // where the LB forwards it, known once ws_connect returns
  WsCallbacks cb;
  cb.opened = [this, &s, conn, site] {
    if (s.conn != conn || s.up) {
      agg_.ws_close(host_, *site, conn);  // a late answer to an abandoned attempt
      return;
    }
    opened(s, conn);
  };
  cb.report = [this, &s, conn](const SignedReport& r) { on_stream(s, conn, r); };
  cb.rejected = [this, &s, conn](int) {
    if (s.conn != conn || s.up) return;
    ++rejected_;
    attempt_failed(s);  // as a timed-out attempt, only sooner
  };
  *site = agg_.ws_connect(host_, routed, conn, feeds_, std::move(cb), s.index + 1);
  s.site = *site;
}

void StreamsClient::opened(Socket& s, std::uint64_t) {
  s.up = true;
  s.attempts = 0;
  s.backoffs = 0;
  s.connect_timer->cancel();
  if (p_.ping_every > sim::Duration{}) s.ping_timer->arm(p_.ping_every);
  const bool again = s.ever_up;
  s.ever_up = true;
  if (again) ++reconnects_;
  socket_state.emit(s.index, true);
  if (again && cfg_.backfill) backfill_all();
}

// Abandons the current connection or attempt (the site forgets it if it still can hear us).
void StreamsClient::close_attempt(Socket& s) {
  if (s.site && s.conn != 0) agg_.ws_close(host_, *s.site, s.conn);
  s.conn = 0;
  s.connect_timer->cancel();
  s.ping_timer->cancel();
  s.pong_timer->cancel();
}

// An attempt got no answer within connect_timeout: back off, then retry (or give up).
void StreamsClient::attempt_failed(Socket& s) {
  if (s.conn == 0 || s.up) return;
  close_attempt(s);
  s.backoff_timer->arm(socket_backoff(s));
}

void StreamsClient::retry(Socket& s) {
  if (s.gave_up || s.up) return;
  if (s.attempts >= p_.max_reconnect_attempts) {
    if (!p_.limit_only_when_alone) {
      give_up(s);  // the Rust SDK: this connection's task ends; the stream fails with the last one
      bool any_left = false;
      for (const auto& o : sockets_) any_left = any_left || !o->gave_up;
      if (!any_left) fail_stream();
      return;
    }
    if (!other_up(s)) {
      fail_stream();
      return;
    }
  }
  attempt(s);
}

void StreamsClient::give_up(Socket& s) {
  if (s.gave_up) return;
  close_attempt(s);
  s.backoff_timer->cancel();
  s.gave_up = true;
  s.site.reset();
  ++gave_up_;
}

// An established connection dropped: re-attempt at once, to the same origin.
void StreamsClient::dropped(Socket& s) {
  if (s.conn == 0 || !s.up) return;
  s.up = false;
  ++disconnects_;
  close_attempt(s);
  s.attempts = 0;
  s.backoffs = 0;
  socket_state.emit(s.index, false);
  if (s.gave_up || s.backoff_timer->armed()) return;
  if (p_.retry_at_once)
    attempt(s);
  else
    s.backoff_timer->arm(socket_backoff(s));  // the TypeScript SDK waits its first backoff
}

// A socket ran out of attempts with no other socket up: the stream closes, every socket stops.
void StreamsClient::fail_stream() {
  failed_ = true;
  backfill_timer_.cancel();  // the application got the stream's error: it stops asking for reports
  for (auto& o : sockets_) give_up(*o);
}

bool StreamsClient::other_up(const Socket& s) const {
  for (const auto& o : sockets_)
    if (o.get() != &s && o->up) return true;
  return false;
}

void StreamsClient::ping(Socket& s) {
  if (!s.up || !s.site) return;
  const std::uint64_t conn = s.conn;
  agg_.ws_ping(host_, *s.site, conn, [this, &s, conn](bool known) {
    if (s.conn != conn || !s.up) return;
    if (!known) {
      dropped(s);
      return;
    }
    s.pong_timer->cancel();
  });
  s.pong_timer->arm_if_idle(p_.pong_timeout);
  s.ping_timer->arm(p_.ping_every);
}

void StreamsClient::on_stream(Socket& s, std::uint64_t conn, const SignedReport& r) {
  if (s.conn != conn || !s.up) return;
  accept(r, Source::stream);
}

// --- acceptance and cache ---

bool StreamsClient::accept(const SignedReport& r, Source src) {
  auto fs = feed_state_.find(r.report.feed_id);
  if (fs == feed_state_.end()) return false;
  FeedState& f = fs->second;
  const std::uint32_t ts = r.report.observations_timestamp;
  if (src == Source::stream) {
    if (f.cache.count(ts) || !dedup_.accept(r.report)) {
      ++duplicates_dropped_;
      duplicate_dropped.emit(r);
      return false;
    }
    ++accepted_stream_;
  } else {
    if (f.cache.count(ts)) return false;
    if (!f.cache.empty() && ts + kClientCacheSeconds < f.cache.rbegin()->first) return false;  // beyond the horizon
    dedup_.raise(r.report.feed_id, ts);
    ++accepted_backfill_;
  }
  f.cache.emplace(ts, r);
  const std::uint32_t newest = f.cache.rbegin()->first;
  while (f.cache.begin()->first + kClientCacheSeconds < newest) f.cache.erase(f.cache.begin());
  accepted.emit(r, src);
  advance(r.report.feed_id, f);
  return true;
}

void StreamsClient::advance(FeedId, FeedState& f) {
  if (f.cache.empty()) return;
  if (!f.contiguous) f.contiguous = f.cache.begin()->first;
  if (*f.contiguous < f.cache.begin()->first) f.contiguous = f.cache.begin()->first;  // cache horizon
  for (auto it = f.cache.upper_bound(*f.contiguous); it != f.cache.end(); ++it) {
    if (it->second.report.valid_from_timestamp > *f.contiguous + 1) break;  // its predecessor is missing
    f.contiguous = it->first;
  }
}

bool StreamsClient::any_socket_up() const {
  for (const auto& s : sockets_)
    if (s->up) return true;
  return false;
}

bool StreamsClient::has(FeedId feed, std::uint32_t ts) const {
  auto fs = feed_state_.find(feed);
  return fs != feed_state_.end() && fs->second.cache.count(ts) != 0;
}

std::optional<std::uint32_t> StreamsClient::contiguous(FeedId feed) const {
  auto fs = feed_state_.find(feed);
  return fs == feed_state_.end() ? std::nullopt : fs->second.contiguous;
}

// --- backfill ---

void StreamsClient::backfill_all() {
  if (failed_) return;
  for (FeedId feed : feeds_) backfill(feed);
  if (cfg_.backfill) backfill_timer_.arm(cfg_.backfill_every);
}

void StreamsClient::backfill(FeedId feed) {
  FeedState& f = feed_state_.at(feed);
  if (!f.contiguous || f.page_in_flight) return;
  // While a socket streams, only holes below the watermark are missing; newer reports are on their way.
  const auto mark = dedup_.watermark(feed);
  if (any_socket_up() && mark && *f.contiguous >= *mark) return;
  const std::uint32_t start = *f.contiguous + 1;
  f.page_in_flight = true;
  rest(
      RestEndpoint::page,
      [this, feed, start](std::size_t site, std::function<void(RestResult)> reply) {
        agg_.rest_page(host_, site, feed, start, cfg_.page_size, std::move(reply));
      },
      [this, feed](RestResult r) {
        FeedState& st = feed_state_.at(feed);
        st.page_in_flight = false;
        if (r.status != 200 || r.reports.empty()) return;
        // With a socket up, leave reports above the watermark to the stream (taking them here would turn the
        // stream's copies into duplicates); with none up, REST is the only source and takes everything.
        const bool streaming = any_socket_up();
        const auto mark = dedup_.watermark(feed);
        for (const SignedReport& rep : r.reports)
          if (!streaming || !mark || rep.report.observations_timestamp < *mark) accept(rep, Source::backfill);
        // The answering site lacks the report after our contiguous mark: accept the loss and move past it.
        const std::uint32_t first = r.reports.front().report.observations_timestamp;
        if (st.contiguous && *st.contiguous < first && has(feed, first)) {
          ++backfill_holes_;
          st.contiguous = first;
          advance(feed, st);
        }
        if (static_cast<int>(r.reports.size()) >= cfg_.page_size) backfill(feed);  // a full page: more to come
      });
}

// --- REST with rate limit and retries ---

void StreamsClient::rest(RestEndpoint ep, std::function<void(std::size_t, std::function<void(RestResult)>)> send,
                         std::function<void(RestResult)> done) {
  const std::uint64_t id = ++next_call_;
  RestCall& c = calls_[id];
  c.endpoint = ep;
  c.send = std::move(send);
  c.done = std::move(done);
  enqueue(id);
}

void StreamsClient::enqueue(std::uint64_t call) {
  const RestEndpoint ep = calls_.at(call).endpoint;
  Endpoint& e = endpoints_.at(static_cast<int>(ep));
  e.waiting.push_back(call);
  pump(ep);
  if (!e.waiting.empty() && e.waiting.back() == call) ++rate_limited_;
}

void StreamsClient::pump(RestEndpoint ep) {
  Endpoint& e = endpoints_.at(static_cast<int>(ep));
  while (!e.waiting.empty()) {
    if (!e.bucket.take(sim_.now())) {
      if (!e.pump->armed()) e.pump->arm(sim::Duration::from_seconds(1.0 / cfg_.rest_rate_limit));
      return;
    }
    const std::uint64_t id = e.waiting.front();
    e.waiting.pop_front();
    send_call(id);
  }
}

void StreamsClient::send_call(std::uint64_t id) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  RestCall& c = it->second;
  const std::uint64_t attempt = ++c.attempt;
  ++rest_requests_;
  c.timeout = sim_.after(p_.connect_timeout, [this, id, attempt] {
    auto k = calls_.find(id);
    if (k != calls_.end() && k->second.attempt == attempt) call_failed(id, backoff());
  });
  c.send(agg_.route(), [this, id, attempt](RestResult r) {
    auto k = calls_.find(id);
    if (k == calls_.end() || k->second.attempt != attempt) return;
    if (r.status == 200) {
      k->second.timeout.cancel();
      auto done = std::move(k->second.done);
      calls_.erase(k);
      done(std::move(r));
      return;
    }
    if (r.status == 429) ++rate_limited_;
    // 404 and 206: the report (or some feed's) is not there yet, ask again soon; 429 and 503: back off.
    const bool soon = r.status == 404 || r.status == 206;
    call_failed(id, soon ? p_.backoff_min : backoff());
  });
}

void StreamsClient::call_failed(std::uint64_t id, sim::Duration wait) {
  RestCall& c = calls_.at(id);
  c.timeout.cancel();
  ++c.attempt;  // answers to the failed attempt are ignored
  if (++c.retries > p_.max_reconnect_attempts) {
    ++rest_failures_;
    auto done = std::move(c.done);
    calls_.erase(id);
    done(RestResult{});
    return;
  }
  c.retry = sim_.after(wait, [this, id] {
    if (calls_.count(id)) enqueue(id);
  });
}

void StreamsClient::fetch_latest(FeedId feed, std::function<void(std::optional<SignedReport>)> done) {
  rest(
      RestEndpoint::latest,
      [this, feed](std::size_t site, std::function<void(RestResult)> reply) {
        agg_.rest_latest(host_, site, feed, std::move(reply));
      },
      [done = std::move(done)](RestResult r) {
        done(r.status == 200 && !r.reports.empty() ? std::optional<SignedReport>(r.reports.front()) : std::nullopt);
      });
}

void StreamsClient::fetch_bulk(const std::vector<FeedId>& feeds, std::uint32_t timestamp,
                               std::function<void(std::vector<SignedReport>)> done) {
  rest(
      RestEndpoint::bulk,
      [this, feeds, timestamp](std::size_t site, std::function<void(RestResult)> reply) {
        agg_.rest_bulk(host_, site, feeds, timestamp, std::move(reply));
      },
      [done = std::move(done)](RestResult r) { done(r.status == 200 ? std::move(r.reports) : std::vector<SignedReport>{}); });
}

}  // namespace models::streams
