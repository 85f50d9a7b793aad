#pragma once
// The oracles of one OCR feed, built and wired together: keys and directory, network hosts and peers, one
// OcrNode per oracle, the safety and liveness monitors and the feed-level counters.
//
//   OcrFeed feed(sim, net, cfg, {{"eth-usd/node-0", "us-east", observe0}, ...}, chain_port, seed);
//   feed.register_actors(actor_directory);         // for crash / byzantine faults
//   feed.start();
//   ... the chain wiring calls feed.on_accepted(er, answer, block_time) for every accepted report ...
//   feed.finish(sim.now());  feed.metrics();
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/faults/actor_control.hpp"
#include "models/ocr/ocr_monitors.hpp"
#include "models/ocr/ocr_node.hpp"
#include "models/ocr/ocr_peers.hpp"

namespace models::ocr {

struct OcrOracleSpec {
  std::string name;           // actor and host name, e.g. "eth-usd/node-3"
  std::string region;         // network region (empty: the network's default)
  OcrNode::Observe observe;   // the oracle's view of the value
};

struct OcrFeedMetrics {
  std::uint64_t safety_violations = 0;   // accepted answers outside the honest observations of their round
  double liveness_gap_s_max = 0;         // longest time a report was due with nothing reaching the chain
  double liveness_gap_s_total = 0;
  std::uint64_t epochs = 0;              // highest epoch any oracle started
  std::uint64_t leader_changes = 0;      // epochs started after the first (distinct epochs - 1)
  std::uint64_t rounds = 0;              // observe-reqs sent by leaders
  std::uint64_t reports_accepted = 0;    // on-chain updates
  std::uint64_t transmissions = 0;       // transmit txs submitted (all oracles)
  std::uint64_t transmissions_dropped = 0;  // staged transmissions dropped because the contract had the report
  double round_latency_s_mean = 0;       // observe-req to inclusion, over accepted reports
  double round_latency_s_max = 0;
};

class OcrFeed {
 public:
  // `truth`: the reference value for the liveness monitor (e.g. the true price), sampled every delta_round;
  // empty: only the honest oracles' shouldReport decisions mark a report as due.
  OcrFeed(sim::Simulation& sim, sim::Network& net, const OcrConfig& cfg, std::vector<OcrOracleSpec> oracles,
          OcrChainPort& chain, std::uint64_t key_seed, OcrNode::Observe truth = {});
  OcrFeed(const OcrFeed&) = delete;
  OcrFeed& operator=(const OcrFeed&) = delete;

  void register_actors(faults::ActorDirectory& directory);
  void start();
  // An accepted report (the aggregator's NewTransmission) included at block time `t`.
  void on_accepted(EpochRound er, Value answer, sim::Time t);
  void finish(sim::Time t);

  int size() const { return static_cast<int>(nodes_.size()); }
  OcrNode& node(OracleId id) { return *nodes_.at(static_cast<std::size_t>(id)); }
  const OracleDirectory& directory() const { return directory_; }
  std::vector<Address> signer_addresses() const;
  const OcrPeers& peers() const { return peers_; }
  OcrFeedMetrics metrics() const;

  sim::Signal<EpochRound, double> round_latency_s;   // per accepted report: observe-req to inclusion, seconds
  sim::Signal<EpochRound, Value, bool> accepted;     // per accepted report: answer, safety violation

 private:
  void sample_truth();

  sim::Simulation& sim_;
  OcrConfig cfg_;
  OcrChainPort& chain_;
  OcrNode::Observe truth_;
  OracleDirectory directory_;
  std::vector<SecretKey> offchain_, onchain_;
  OcrPeers peers_;
  std::vector<std::unique_ptr<OcrNode>> nodes_;
  std::vector<sim::Connection> connections_;
  SafetyMonitor safety_;
  LivenessMonitor liveness_;
  sim::Timer sampler_;
  std::map<std::uint64_t, sim::Time> round_start_;  // packed (epoch, round) -> first observe-req
  std::map<Epoch, bool> epochs_seen_;
  std::uint64_t rounds_ = 0, accepted_ = 0, transmissions_ = 0, dropped_ = 0;
  double latency_sum_ = 0, latency_max_ = 0;
  std::uint64_t latency_n_ = 0;
};

}  // namespace models::ocr
