#pragma once
// A Streams Direct client (facts §4): WebSocket subscriptions to feeds through the aggregation network, a local
// report cache, REST backfill of missed reports and the HA mode, with the wire behaviour of one of the SDKs
// (cfg.sdk, SdkProfile in streams_config.hpp; data-streams-sdk go/stream.go, typescript/src/stream/
// connection-manager.ts, rust/.../establish_connection.rs).
//
// Sockets. Single mode opens one WebSocket, routed by the LB (or naming cfg.origin: the origin header, which the LB
// honours while that origin is healthy). HA mode with HEAD discovery (go, typescript) first sends HEAD to the LB,
// which lists the healthy origins; unanswered within connect_timeout, the client falls back to one LB-routed socket,
// as the Go and TypeScript SDKs do. It opens one socket per listed origin, up to two, each naming its origin for good
// (HEAD is not sent again); fewer origins than the SDK's ha_min_origins (go 1, typescript 2) give one LB-routed
// socket. The Rust SDK sends no HEAD: its origins are the configured URLs, here the first two sites. A socket
// connects (connect_timeout for the answer; a refusal, 503 from the LB or 429 from the site, fails the attempt at
// once) and, if the SDK pings (go every 2 s, typescript every 30 s; rust never), pings every ping_every: an
// unanswered ping for pong_timeout, or a pong saying the site no longer knows the connection, drops it. A client
// that sends no pings never notices a site that vanished silently (an outage): its socket stays "up" with nothing
// arriving. A dropped connection is re-attempted at once (go, rust) or after the first backoff (typescript), to
// the same origin (the Rust SDK: to the first origin); after a failed attempt the socket waits a backoff, drawn
// U(backoff_min, backoff_max) (go) or doubling from backoff_min up to backoff_max (typescript, rust). Before each
// retry it checks the give-up rule: max_reconnect_attempts attempts made since the connection dropped; go and
// typescript then fail the whole stream if no other socket of the client is up (the SDK closes it and returns an
// error: the model stops every socket, failed() turns true and gave_up() counts the stopped sockets) and keep
// retrying otherwise; rust stops that socket whatever the others do, and the stream fails with the last one.
//
// Acceptance. Every stream report goes through the per-feed watermark (Deduplicator, facts §4): accepted iff its
// observationsTimestamp is above the watermark and it is not in the cache. Accepted reports go into the cache,
// keyed by (feed, observationsTimestamp), and are emitted once, in order of acceptance.
//
// Backfill (cfg.backfill). Reports are about one per second per feed and a v3 report names its predecessor
// (validFromTimestamp = previous observationsTimestamp + 1), so the client knows, per feed, the last timestamp up
// to which it holds every report (contiguous()). Every backfill_every and after each reconnect it queries
// /reports/page?feedID&startTimestamp=contiguous+1 through the LB, follows full pages at once, and accepts the
// reports it has not seen (Source::backfill; they bypass the watermark, which they raise). While a socket is up a
// backfill runs only when the contiguous mark lags the watermark and takes only reports below the watermark
// (newer ones are still on their way over the stream); with no socket up it takes everything. If a page skips a
// report the answering site does not have, the client accepts the loss and moves its contiguous mark past it.
// Backfill starts from the first report the client holds for a feed: a client that never received one asks for
// nothing.
//
// REST. Requests (page, bulk, latest) pass a client-side token bucket of rest_rate_limit per endpoint (facts §4:
// 10/s; a request without a token waits for one) and are routed by the LB; a request unanswered within
// connect_timeout, or answered 429 or 503, is retried after U(backoff_min, backoff_max), a 404 or a bulk 206 (a
// report is not there yet) after backoff_min; at most max_reconnect_attempts retries, then the request fails
// (fetch_bulk hands an empty vector, fetch_latest nullopt).
//
// When the stream fails the client stops backfilling too (the application has the stream's error).
//
// Simplifications: a first connect that fails counts as the first attempt of the same rule, so a backoff follows it
// (the SDK's HA mode retries it at once in the background, its single mode returns the error); in HA mode the SDK
// fails at once only if every first connect fails, and an origin whose background retries run out just stops
// without closing the stream, where the model applies the give-up rule above to every socket; the Rust SDK's
// origins are URLs of their own, here origin headers through the LB; the cache keeps each feed's last kClientCacheSeconds of reports (older ones are
// forgotten, and the contiguous mark never lags the newest report by more than that); the request timeout reuses
// connect_timeout (assumption); message sizes are kControlMessageBytes for control and encoded_size per report.
// Lifetime: network answers and site subscriptions call back into the client, so it must live as long as the
// simulation runs (the World owns it for the whole run).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/providers/data_provider.hpp"
#include "models/streams/aggregation_network.hpp"
#include "models/streams/dedup.hpp"
#include "models/streams/report.hpp"
#include "models/streams/streams_config.hpp"
#include "sim/network/network.hpp"
#include "sim/random.hpp"
#include "sim/signal.hpp"
#include "sim/simulation.hpp"
#include "sim/timer.hpp"

namespace models::streams {

// How long the client's cache keeps a feed's reports, seconds of observationsTimestamp (assumption: 1 h).
inline constexpr std::uint32_t kClientCacheSeconds = 3600;

class StreamsClient {
 public:
  enum class Source { stream, backfill };

  // Registers host "streams/client/<name>" in cfg.region. Random streams "streams/client/<name>/...".
  // Throws std::invalid_argument on an empty name, no feed, an unknown cfg.origin, or pong_timeout > ping_every
  // (a pong timer must not outlive the next ping).
  StreamsClient(sim::Simulation& sim, sim::Network& net, AggregationNetwork& agg, const ClientConfig& cfg,
                std::vector<FeedId> feeds);
  ~StreamsClient();
  StreamsClient(const StreamsClient&) = delete;
  StreamsClient& operator=(const StreamsClient&) = delete;

  // Opens the socket (single), or sends HEAD and opens the sockets from its answer (HA; Rust: the configured
  // origins, no HEAD); starts the backfill timer.
  void start();

  // Every report accepted by the client (first time seen, stream or backfill), in order of acceptance.
  sim::Signal<SignedReport, Source> accepted;
  // A stream copy rejected by the watermark or the cache.
  sim::Signal<SignedReport> duplicate_dropped;
  // A WebSocket connected (true) or was lost (false).
  sim::Signal<std::size_t, bool> socket_state;

  // REST: fetch reports of `feeds` at `timestamp` (/reports/bulk) through the LB with retry on failure; `done`
  // gets one report per feed, or an empty vector when every attempt failed.
  // A 206 (some feed has no report yet) is retried as a 404 is: the caller needs every feed.
  void fetch_bulk(const std::vector<FeedId>& feeds, std::uint32_t timestamp,
                  std::function<void(std::vector<SignedReport>)> done);
  // REST /reports/latest for one feed, with the same retries; nullopt when every attempt failed.
  void fetch_latest(FeedId feed, std::function<void(std::optional<SignedReport>)> done);

  const ClientConfig& config() const { return cfg_; }
  sim::HostId host() const { return host_; }
  const std::vector<FeedId>& feeds() const { return feeds_; }

  // --- sockets ---
  std::size_t socket_count() const { return sockets_.size(); }
  bool socket_up(std::size_t i) const { return sockets_.at(i)->up; }
  bool any_socket_up() const;
  // The site socket i is connected or connecting to, or last tried while it backs off.
  std::optional<std::size_t> socket_site(std::size_t i) const { return sockets_.at(i)->site; }
  // The origin socket i names (origin header), "" when the LB routes it.
  const std::string& socket_origin(std::size_t i) const { return sockets_.at(i)->origin; }
  bool socket_gave_up(std::size_t i) const { return sockets_.at(i)->gave_up; }
  // The stream failed: a socket ran out of attempts with no other socket up (Rust: the last socket ran out).
  bool failed() const { return failed_; }

  // --- cache and watermark ---
  bool has(FeedId feed, std::uint32_t ts) const;
  std::optional<std::uint32_t> watermark(FeedId feed) const { return dedup_.watermark(feed); }
  // The last observationsTimestamp up to which the client holds every report of the feed (see above).
  std::optional<std::uint32_t> contiguous(FeedId feed) const;

  // --- counters ---
  std::uint64_t accepted_stream() const { return accepted_stream_; }
  std::uint64_t accepted_backfill() const { return accepted_backfill_; }
  std::uint64_t duplicates_dropped() const { return duplicates_dropped_; }
  std::uint64_t reconnects() const { return reconnects_; }          // connections re-established after a loss
  std::uint64_t connect_attempts() const { return connect_attempts_; }
  std::uint64_t disconnects() const { return disconnects_; }        // established connections lost
  std::uint64_t gave_up() const { return gave_up_; }                // sockets stopped (all when the stream failed; Rust: one by one)
  std::uint64_t rest_requests() const { return rest_requests_; }    // REST requests sent (retries included)
  std::uint64_t rest_failures() const { return rest_failures_; }    // REST calls that exhausted their retries
  std::uint64_t rate_limited() const { return rate_limited_; }      // requests delayed by the bucket or answered 429
  std::uint64_t backfill_holes() const { return backfill_holes_; }  // holes (runs of reports) the answering site lacked
  std::uint64_t rejected() const { return rejected_; }              // WebSocket handshakes refused (503 or 429)
  std::uint64_t head_failures() const { return head_failures_; }    // HEADs unanswered (the client fell back to one socket)
  const SdkProfile& profile() const { return p_; }

 private:
  struct Socket {
    std::size_t index = 0;
    bool up = false;
    bool gave_up = false;
    bool ever_up = false;
    std::string origin;                // pinned origin ("" = let the LB route)
    std::optional<std::size_t> site;   // connected or connecting to
    std::uint64_t conn = 0;            // current connection id (0: none)
    int attempts = 0;                  // attempts since the connection dropped (or since start)
    int backoffs = 0;                  // backoffs waited since then (a doubling backoff's exponent)
    std::unique_ptr<sim::Timer> connect_timer;
    std::unique_ptr<sim::Timer> ping_timer;
    std::unique_ptr<sim::Timer> pong_timer;
    std::unique_ptr<sim::Timer> backoff_timer;
  };
  struct FeedState {
    std::map<std::uint32_t, SignedReport> cache;  // by observationsTimestamp
    std::optional<std::uint32_t> contiguous;
    bool page_in_flight = false;
  };
  struct RestCall {
    RestEndpoint endpoint = RestEndpoint::page;
    std::function<void(std::size_t site, std::function<void(RestResult)> reply)> send;
    std::function<void(RestResult)> done;  // status 200, or status 0 after the last retry failed
    int retries = 0;
    std::uint64_t attempt = 0;
    sim::EventHandle timeout;
    sim::EventHandle retry;
  };
  struct Endpoint {
    providers::TokenBucket bucket;
    std::deque<std::uint64_t> waiting;  // call ids
    std::unique_ptr<sim::Timer> pump;
  };

  Socket& make_socket(std::string origin);
  void attempt(Socket& s);
  void connect_to(Socket& s, std::size_t site);
  void opened(Socket& s, std::uint64_t conn);
  void close_attempt(Socket& s);
  void attempt_failed(Socket& s);
  void retry(Socket& s);
  void dropped(Socket& s);
  void fail_stream();
  void give_up(Socket& s);
  void head_failed();
  sim::Duration socket_backoff(Socket& s);
  bool other_up(const Socket& s) const;
  void send_head();
  void open_ha(const std::vector<std::string>& names);
  void ping(Socket& s);
  void on_stream(Socket& s, std::uint64_t conn, const SignedReport& r);
  bool accept(const SignedReport& r, Source src);
  void advance(FeedId feed, FeedState& f);
  void backfill_all();
  void backfill(FeedId feed);
  void rest(RestEndpoint ep, std::function<void(std::size_t, std::function<void(RestResult)>)> send,
            std::function<void(RestResult)> done);
  void enqueue(std::uint64_t call);
  void pump(RestEndpoint ep);
  void send_call(std::uint64_t call);
  void call_failed(std::uint64_t call, sim::Duration wait);
  sim::Duration backoff();

  sim::Simulation& sim_;
  AggregationNetwork& agg_;
  ClientConfig cfg_;
  SdkProfile p_;  // cfg_.profile(): the SDK's wire behaviour with the client's overrides
  std::vector<FeedId> feeds_;
  sim::HostId host_ = 0;
  sim::Rng backoff_rng_;
  std::vector<std::unique_ptr<Socket>> sockets_;
  Deduplicator dedup_;
  std::map<FeedId, FeedState> feed_state_;
  std::map<std::uint64_t, RestCall> calls_;
  std::uint64_t next_call_ = 0;
  std::map<int, Endpoint> endpoints_;
  sim::Timer backfill_timer_;
  sim::Timer head_timeout_;
  std::uint64_t head_seq_ = 0;
  std::string first_origin_;  // the first origin of HA (or the single socket's); the Rust SDK re-attempts to it
  bool failed_ = false;

  std::uint64_t accepted_stream_ = 0;
  std::uint64_t accepted_backfill_ = 0;
  std::uint64_t duplicates_dropped_ = 0;
  std::uint64_t reconnects_ = 0;
  std::uint64_t connect_attempts_ = 0;
  std::uint64_t disconnects_ = 0;
  std::uint64_t gave_up_ = 0;
  std::uint64_t rest_requests_ = 0;
  std::uint64_t rest_failures_ = 0;
  std::uint64_t rate_limited_ = 0;
  std::uint64_t backfill_holes_ = 0;
  std::uint64_t rejected_ = 0;
  std::uint64_t head_failures_ = 0;
};

}  // namespace models::streams
