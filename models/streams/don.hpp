#pragma once
// The Streams DON: n nodes that observe their data providers, agree on one report per feed in OCR3-style rounds
// and sign it, then push every attested report to every site of the aggregation network (facts §4). This is the
// actor (timers, messages, crashes, byzantine behaviours); the round's outcome rules are pure functions in
// don_outcome.hpp.
//
//   StreamsDon don(sim, net, cfg.don, {{feed_cfg, {&provider_a, &provider_b}}, ...}, key_seed);
//   don.add_destination(site_host, [&](const SignedReport& r) { site.on_report(r); });
//   don.register_actors(directory);   // crash faults on "streams/don/node-<i>"
//   don.start();
//
// Protocol (one node = one network host "streams/don/node-<i>"):
//   Pacemaker   the OCR pacemaker of models/ocr (leader(e) = hash(leader key, e) mod n, newepoch votes, f+1 to
//               join, 2f+1 to start). No completed round for delta_progress, or r_max rounds in the epoch, moves
//               the DON to the next epoch and leader; newepoch is re-sent every DeltaResend (10 s, facts §4).
//   Round       the epoch's leader waits delta_initial, then every delta_round sends observe-req to every node
//               (itself included). Each node answers with its observation: per feed, the median of its providers'
//               latest quotes, plus the observationsTimestamp it last saw reported per feed and the highest
//               committed sequence number. The leader takes the first 2f+1 observations (quorum); without them
//               within max_duration_observation the round produces nothing.
//   Outcome     observationsTimestamp = floor(seconds of the median observation time); per feed with >= f+1 valid
//               observations, benchmarkPrice = sorted[len/2] (facts §4, DS llo); a feed gets a report only when
//               observationsTimestamp is above the last reported one (about one report per second per feed with
//               250 ms rounds): validFromTimestamp = previous observationsTimestamp + 1 (the first: = itself),
//               expiresAt = observationsTimestamp + expiry, fees from the feed config, bid/ask = benchmark *
//               (1 -/+ spread). Every decided round consumes a sequence number (the report context's seq_nr).
//   Attestation the leader sends the reports to the followers, who check observationsTimestamp is above what they
//               saw reported and sign signed_digest(context, report) with their on-chain key; the leader keeps its
//               own and the first f signatures that arrive (exactly f+1) and emits `attested`.
//   Delivery    the leader sends the final (attested) reports to every node, a round without reports sends an
//               empty final; a final is the round's progress for the pacemaker. Every node that is up sends each
//               attested report to every destination ("streams/report", encoded_size(report) bytes).
//
// Simplifications (documented assumptions):
//   - Observing: each node polls each of its providers every delta_round in the background (random phase per
//     node) and observes from its latest successful quote per provider, if younger than kMaxQuoteAge; the node's
//     value for a feed is the median of those quotes (mean of the two middle ones for an even count). No provider
//     is queried inside the round, which keeps the round short as with Mercury's cached observations.
//   - Observation time = when the node answered the observe-req: observationsTimestamp is the median of the
//     quorum's local clocks; the report's observed_at metadata is the true (simulation) time of the median
//     observation, so clock skew does not leak into measured latencies.
//   - OCR3's proposal / prepare / commit phases are folded into proposal + signatures + final: followers trust the
//     leader's outcome (no byzantine leader is modelled; observations are authenticated by the network sender),
//     so the safety quorums of OCR3 are not checked. A leader waits delta_initial at the start of each epoch,
//     standing for OCR3's epoch-start exchange.
//   - The "last reported observationsTimestamp" per feed is the outcome state OCR3 replicates; here each node
//     learns it from the finals it receives and the leader takes the highest in its quorum (and in its own
//     proposals still being signed).
//   - Crash: a node's timers stop and its quotes and round state are lost; its pacemaker state, the last reported
//     timestamps and the committed sequence number survive (persisted, as in libocr).
//
// Byzantine behaviours of model "streams-node" (register_streams_don_behaviours), as a follower or a leader:
//   lie       its observed prices are scaled by (1 + offset); the median of 2f+1 keeps at most f liars out
//   withhold  sends no observation and no report signature (a leader that withholds still runs rounds)
// A byzantine leader's outcome is not checked by the followers (see above), so no leader-side lie is modelled.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/faults/actor_control.hpp"
#include "models/faults/fault_kind_registry.hpp"
#include "models/ocr/ocr_config.hpp"
#include "models/ocr/signing.hpp"
#include "models/providers/data_provider.hpp"
#include "models/streams/report.hpp"
#include "models/streams/streams_config.hpp"
#include "sim/config_issue.hpp"
#include "sim/network/network.hpp"
#include "sim/signal.hpp"
#include "sim/simulation.hpp"

namespace models::streams {

inline constexpr const char* kStreamsNodeModel = "streams-node";
// A provider quote older than this is not used in an observation (assumption: a few seconds).
inline constexpr sim::Duration kMaxQuoteAge = sim::Duration::nanoseconds(3'000'000'000);
// Re-send period of newepoch messages: DeltaResend 10 s (facts §4, CL docs/Mercury.md).
inline constexpr sim::Duration kDeltaResend = sim::Duration::nanoseconds(10'000'000'000);

// Registers the behaviours above for model "streams-node".
void register_streams_don_behaviours(faults::FaultKindRegistry& registry);

// Every problem of a DON configuration, keys under `path` (e.g. "streams.don").
sim::ConfigIssues validate_don(const DonConfig& cfg, const std::string& path);

struct DonFeed {
  StreamFeedConfig config;
  std::vector<providers::DataProvider*> providers;  // what the nodes observe (non-owning, non-empty)
};

class StreamsDon {
 public:
  // Registers hosts "streams/don/node-<i>" on `net` in cfg.region (or cfg.regions[i % size]). Keys derive from key_seed (and node index).
  // Random streams "streams/don/node-<i>/poll". Throws std::invalid_argument on a bad cfg or feed list.
  StreamsDon(sim::Simulation& sim, sim::Network& net, const DonConfig& cfg, std::vector<DonFeed> feeds,
             std::uint64_t key_seed);
  ~StreamsDon();
  StreamsDon(const StreamsDon&) = delete;
  StreamsDon& operator=(const StreamsDon&) = delete;

  // Each attested report is sent by every node that is up to every destination host (network kind
  // "streams/report", size encoded_size(report)); on_arrival runs at the destination per copy (the site
  // de-duplicates, so a destination gets up to n copies).
  void add_destination(sim::HostId host, std::function<void(const SignedReport&)> on_arrival);
  // Adds every node's ActorControl to `directory` (for crash faults).
  void register_actors(faults::ActorDirectory& directory);
  // Starts provider polling and the pacemaker (epoch 1) on every node.
  void start();

  int n() const { return cfg_.n; }
  int f() const { return cfg_.f; }
  const DonConfig& config() const { return cfg_; }
  std::uint64_t config_digest() const { return cfg_.config_digest; }
  // On-chain signing addresses in node order (for the Verifier's setConfig).
  std::vector<ocr::Address> signers() const;
  // The public keys of the signers: stands for ecrecover in the Verifier.
  const ocr::KeyRegistry& keys() const { return keys_; }
  // Actor "streams/don/node-<i>", model "streams-node".
  faults::ActorControl& control(int node);
  sim::HostId host(int node) const;
  // The feeds in construction order.
  const std::vector<DonFeed>& feeds() const { return feeds_; }
  // Leader of an epoch, and the epoch node `node` is in.
  int leader_of(std::uint32_t epoch) const;
  std::uint32_t epoch(int node) const;

  std::uint64_t rounds() const { return rounds_; }             // rounds started (observe-reqs sent by leaders)
  std::uint64_t rounds_decided() const { return decided_; }    // rounds that reached the observation quorum
  std::uint64_t reports_attested() const { return attested_count_; }

  sim::Signal<SignedReport> attested;  // each report exactly once, when it has f+1 signatures
  sim::Signal<int, std::uint32_t, int> epoch_started;  // (node, epoch, leader)

 private:
  struct Node;
  struct Msg;
  friend struct Node;

  int feed_index(FeedId id) const;  // index into feeds_, -1 if unknown
  void send(int from, int to, std::uint32_t bytes, sim::MessageKind kind, std::function<void(Node&)> handle);
  void broadcast(int from, std::uint32_t bytes, sim::MessageKind kind, std::function<void(Node&)> handle);

  sim::Simulation& sim_;
  sim::Network& net_;
  DonConfig cfg_;
  std::vector<DonFeed> feeds_;
  std::vector<StreamFeedConfig> feed_configs_;       // feeds_[i].config, for the outcome logic (don_outcome.hpp)
  std::vector<FeedId> feed_ids_;
  std::vector<providers::DataProvider*> providers_;  // distinct providers, first-appearance order
  std::vector<std::vector<int>> feed_providers_;     // per feed: indices into providers_
  ocr::KeyRegistry keys_;
  std::uint64_t leader_key_;
  ocr::OcrConfig pacemaker_cfg_;  // what every node's pacemaker holds (after cfg_ and leader_key_)
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<sim::HostId> hosts_;
  struct Destination {
    sim::HostId host;
    std::function<void(const SignedReport&)> on_arrival;
  };
  std::vector<Destination> destinations_;
  sim::MessageKind k_newepoch_, k_observe_req_, k_observation_, k_proposal_, k_signatures_, k_final_, k_report_;
  std::uint64_t rounds_ = 0;
  std::uint64_t decided_ = 0;
  std::uint64_t attested_count_ = 0;
};

}  // namespace models::streams
