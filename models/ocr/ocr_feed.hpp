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
//
// Members and configurations: the feed is built with every oracle it will ever have (its members); the
// configuration in force uses some of them, in order (OracleId i is the i-th member of the set). reconfigure()
// switches to a new configuration: a new directory and new peers (the old peers drop what is still in flight), the
// members left out retire, the others restart the protocol as their place in the new set; `reconfigured` tells the
// monitors. Keys belong to members, so a member keeps its signing key across configurations.
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
  // empty: only the honest oracles' shouldReport decisions mark a report as due. `oracles` holds every member; the
  // first cfg.n of them form the first configuration (more than cfg.n: the rest join in a later one).
  OcrFeed(sim::Simulation& sim, sim::Network& net, const OcrConfig& cfg, std::vector<OcrOracleSpec> oracles,
          OcrChainPort& chain, std::uint64_t key_seed, OcrNode::Observe truth = {});
  OcrFeed(const OcrFeed&) = delete;
  OcrFeed& operator=(const OcrFeed&) = delete;

  void register_actors(faults::ActorDirectory& directory);
  void start();
  // Switches to `cfg` with members `members` (member indices, in OracleId order; cfg.n == members.size()).
  void reconfigure(const OcrConfig& cfg, const std::vector<int>& members);
  // An accepted report (the aggregator's NewTransmission) included at block time `t`: emits `accepted`.
  void on_accepted(EpochRound er, Value answer, sim::Time t);

  // The oracles of the configuration in force.
  int size() const { return static_cast<int>(current().members.size()); }
  OcrNode& node(OracleId id) { return *members_.at(static_cast<std::size_t>(current().members.at(static_cast<std::size_t>(id)))); }
  const OracleDirectory& directory() const { return current().directory; }
  std::vector<Address> signer_addresses() const { return signer_addresses(current().members); }
  std::vector<Address> signer_addresses(const std::vector<int>& members) const;
  const OcrPeers& peers() const { return *current().peers; }
  const OcrConfig& config() const { return cfg_; }
  // Configurations so far (1 before any reconfigure).
  int configurations() const { return static_cast<int>(instances_.size()); }
  // Every member, in or out of the configuration in force.
  int member_count() const { return static_cast<int>(members_.size()); }
  OcrNode& member(int i) { return *members_.at(static_cast<std::size_t>(i)); }
  // Every member's on-chain key, for the contract's ecrecover (a key outside the configuration recovers to an
  // address the contract does not authorise).
  const KeyRegistry& key_registry() const { return all_keys_.registry(); }

  sim::Signal<EpochRound, Value, sim::Time> accepted;  // per accepted report: answer, inclusion time
  // Every delta_round while a truth is given: whether the reference value makes a report due against the contract
  // (deviation or heartbeat); a "not due" sample ends an open liveness gap.
  sim::Signal<sim::Time, bool> reference_due;
  // A new configuration is in force (its index: 1 for the first reconfigure); emitted after the members switched.
  sim::Signal<int> reconfigured;

 private:
  // One configuration: its directory, its peers and its members in OracleId order.
  struct Instance {
    OcrConfig cfg;  // what its nodes hold (one copy per configuration)
    OracleDirectory directory;
    std::unique_ptr<OcrPeers> peers;
    std::vector<int> members;
  };
  const Instance& current() const { return *instances_.back(); }
  // A new configuration's directory and peers (the previous one's peers close); members join with enlist().
  Instance& add_instance(const OcrConfig& cfg);
  void enlist(Instance& inst, const std::vector<int>& members);
  void sample_truth();

  sim::Simulation& sim_;
  sim::Network& net_;
  OcrConfig cfg_;
  OcrChainPort& chain_;
  OcrNode::Observe truth_;
  std::vector<SecretKey> offchain_, onchain_;   // per member
  std::vector<sim::HostId> hosts_;              // per member
  OracleDirectory all_keys_;                    // every member's keys (for ecrecover)
  std::vector<std::unique_ptr<OcrNode>> members_;
  std::vector<std::unique_ptr<Instance>> instances_;  // every configuration so far (old peers still deliver-drop)
  sim::Timer sampler_;
};

}  // namespace models::ocr
