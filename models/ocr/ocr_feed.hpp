#pragma once
// The oracles of one OCR feed, built and wired together: keys and directory, network hosts and peers, one
// OcrNode per oracle, and the reference sampler the liveness monitor compares against. The feed computes no
// statistics: the safety and liveness monitors and the protocol counters live in analysis/ocr_metrics.hpp,
// fed by the nodes' signals and the two below.
//
//   OcrFeed feed(sim, net, cfg, {{"eth-usd/node-0", "us-east", observe0}, ...}, chain_port, seed);
//   feed.register_actors(actor_directory);         // for crash / byzantine faults
//   feed.start();
//   ... the chain wiring calls feed.on_accepted(er, answer, block_time) for every accepted report ...
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/faults/actor_control.hpp"
#include "models/ocr/ocr_node.hpp"
#include "models/ocr/ocr_peers.hpp"
#include "sim/signal.hpp"
#include "sim/timer.hpp"

namespace models::ocr {

struct OcrOracleSpec {
  std::string name;           // actor and host name, e.g. "eth-usd/node-3"
  std::string region;         // network region (empty: the network's default)
  OcrNode::Observe observe;   // the oracle's view of the value
  OcrNode::ObserveAsync observe_async;  // if set: the data source asked at each observe-req (`observe` unused)
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
  // An accepted report (the aggregator's NewTransmission) included at block time `t`: emits `accepted`.
  void on_accepted(EpochRound er, Value answer, sim::Time t);

  int size() const { return static_cast<int>(nodes_.size()); }
  OcrNode& node(OracleId id) { return *nodes_.at(static_cast<std::size_t>(id)); }
  const OracleDirectory& directory() const { return directory_; }
  std::vector<Address> signer_addresses() const;
  const OcrPeers& peers() const { return peers_; }

  sim::Signal<EpochRound, Value, sim::Time> accepted;  // per accepted report: answer, inclusion time
  // Every delta_round while a truth is given: whether the reference value makes a report due against the contract
  // (deviation or heartbeat); a "not due" sample ends an open liveness gap.
  sim::Signal<sim::Time, bool> reference_due;

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
  sim::Timer sampler_;
};

}  // namespace models::ocr
