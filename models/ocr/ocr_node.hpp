#pragma once
// One OCR oracle as an actor: the pure pacemaker, report generation and transmission queue wired to sim::Timer's,
// the feed's peers on sim::Network and the chain port, with the fault framework's ActorControl (crash, clock
// skew, byzantine behaviours of model "ocr-node": lie, withhold, equivocate, newepoch_spam, collude).
//
// Byzantine behaviours (see register_ocr_behaviours):
//   lie           its observations are scaled by (1 + offset)
//   withhold      sends no observation and no report signature
//   equivocate    as leader, sends report-reqs without its highest observation to odd-numbered followers
//   newepoch_spam broadcasts newepoch(ne + jump * k) instead of ne on every resend (k = 1, 2, ...)
//   collude       observes value * (1 + offset) like the other colluders; as leader builds the report-req from
//                 every colluder's observation plus just enough honest ones to reach 2f + 1
// Crash: timers stop and the epoch's report generation is lost; on restart the pacemaker state and pending
// transmissions survive (libocr persists them) and the current epoch's report generation restarts.
//
// OCR2 (cfg.version): report finalization is the node's, across epochs (L ocr2/protocol/report_finalization.go): a
// valid final from the leader or one valid final-echo from anyone finalizes (epoch, round) once: the node echoes it
// and hands it to transmission (the median plugin's ShouldAccept there, ShouldTransmit at its stage).
// Simplified: the finalized set keeps the latest kFinalizedKept (epoch, round)s instead of libocr's expiry window;
// a final-echo at or below the newest one dropped is ignored. The set is in memory and lost on a crash, as libocr's.
//
// Configuration changes (libocr managed oracle, configChanged): reconfigure() closes the running protocol instance
// (timers, report generation, pending transmissions, the finalized set) and starts a new one for the new
// configuration, as oracle `id` of it, from epoch 0; retire() closes it for a node left out. A node that is crashed
// when its configuration changes starts the new instance when it restarts.
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "models/faults/actor_control.hpp"
#include "models/faults/fault_kind_registry.hpp"
#include "models/ocr/ocr_chain_port.hpp"
#include "models/ocr/ocr_config.hpp"
#include "models/ocr/ocr_peers.hpp"
#include "models/ocr/pacemaker.hpp"
#include "models/ocr/report_generation.hpp"
#include "models/ocr/transmission.hpp"
#include "sim/signal.hpp"
#include "sim/simulation.hpp"
#include "sim/timer.hpp"

namespace models::ocr {

inline constexpr const char* kOcrNodeModel = "ocr-node";

// Registers the behaviours above for model "ocr-node".
void register_ocr_behaviours(faults::FaultKindRegistry& registry);

class OcrNode {
 public:
  // The oracle's current view of the value (its providers, or its own price feed); nullopt when unavailable.
  using Observe = std::function<std::optional<Value>(sim::Time now)>;
  // The same, fetched when an observe-req arrives (libocr asks its data source then): `done` runs once, later.
  using ObserveAsync = std::function<void(std::function<void(std::optional<Value>)> done)>;
  // Who else colludes (ids whose behaviour is "collude"); only colluders ask.
  using Colluders = std::function<std::vector<OracleId>()>;

  // `cfg`, `peers` and `directory` are held by reference (the feed keeps them per configuration, shared by its nodes).
  OcrNode(sim::Simulation& sim, OcrPeers& peers, const OcrConfig& cfg, OracleId id, const OracleDirectory& directory,
          const SecretKey& offchain_key, const SecretKey& onchain_key, OcrChainPort& chain, Observe observe,
          std::string name);
  OcrNode(sim::Simulation&, OcrPeers&, OcrConfig&&, OracleId, const OracleDirectory&, const SecretKey&, const SecretKey&,
          OcrChainPort&, Observe, std::string) = delete;
  OcrNode(const OcrNode&) = delete;
  OcrNode& operator=(const OcrNode&) = delete;

  void start();
  // A new configuration: see the header. `cfg`, `peers` and `directory` must outlive the node (or its next
  // reconfigure).
  void reconfigure(const OcrConfig& cfg, OracleId id, OcrPeers& peers, const OracleDirectory& directory);
  void reconfigure(OcrConfig&&, OracleId, OcrPeers&, const OracleDirectory&) = delete;
  // Left out of the current configuration: the instance closes and the node ignores everything until reconfigured.
  void retire();
  // In the current configuration (a node built for a later one is inactive until its reconfigure).
  bool active() const { return active_; }
  void set_active(bool a) { active_ = a; }
  // A message from oracle `from`. The node keeps its peers told whether it listens (up, in the configuration) and
  // what its pacemaker heard, so that they leave newepoch copies that would change nothing here off the wire
  // (OcrPeers::ignores_newepoch).
  void receive(OracleId from, const Message& m);
  void set_colluders(Colluders c) { colluders_ = std::move(c); }
  // Observe through the asynchronous data source instead of the synchronous view given at construction.
  void set_observe_async(ObserveAsync o) { observe_async_ = std::move(o); }

  OracleId id() const { return id_; }
  Epoch epoch() const { return pace_.epoch(); }
  OracleId leader() const { return pace_.current_leader(); }
  bool honest() const { return control_.byzantine().empty(); }
  faults::ActorControl& control() { return control_; }

  // --- signals ---
  sim::Signal<OracleId, Epoch, OracleId> epoch_started;     // (self, epoch, leader)
  sim::Signal<OracleId, EpochRound> round_started;          // (leader, (epoch, round)): observe-req sent
  sim::Signal<OracleId, EpochRound, Value, bool> observed;  // (self, round, value sent, honest)
  sim::Signal<OracleId, ShouldReportDecision> decided;      // follower ran shouldReport
  sim::Signal<OracleId, EpochRound> report_final;           // > f final-echoes: report handed to transmission
  sim::Signal<OracleId, EpochRound> transmitted;            // submitted transmit
  sim::Signal<OracleId, EpochRound> dropped_stale;          // its stage came, the contract already had it

 private:
  void apply(const PacemakerOutput& out);
  void apply(RepGenOutput out);
  void close_instance();  // stops the running protocol instance (crash, reconfigure, retire)
  void start_epoch(Epoch e);
  void send(Outgoing out);
  void on_transmit_timer();
  void finalize(const TransmitEvent& ev);  // OCR2
  void arm_transmit_timer();
  std::optional<Value> observation();
  std::optional<Value> distort(std::optional<Value> v);  // a lying or colluding node scales what it observed
  void collude_report_req(RepGenOutput& out);  // a colluding leader rewrites its report-req
  sim::Time now() { return control_.local_time(sim_.now()); }
  double param(const char* key, double fallback) const;

  // What receiving a message reads first (whether it is active and up, its report generation), together.
  sim::Simulation& sim_;
  OcrPeers* peers_;
  OracleId id_;
  bool active_ = true;    // in the current configuration
  bool started_ = false;  // the current configuration's instance was started (a crashed node starts it on restart)
  std::unique_ptr<ReportGeneration> rg_;
  faults::ActorControl control_;
  const OcrConfig* cfg_;  // its configuration's, kept by the feed (one per configuration, shared by its nodes)
  const OracleDirectory* directory_;
  SecretKey offchain_key_, onchain_key_;
  OcrChainPort& chain_;
  Observe observe_;
  ObserveAsync observe_async_;
  std::uint64_t generation_ = 0;  // bumped on crash: a data-source answer to an earlier request is dropped
  Colluders colluders_;

  Pacemaker pace_;
  TransmissionQueue tq_;
  sim::Timer progress_timer_, resend_timer_, round_timer_, grace_timer_, transmit_timer_;
  std::uint64_t spam_count_ = 0;
  static constexpr std::size_t kFinalizedKept = 1000;
  std::set<EpochRound> finalized_;  // OCR2: (epoch, round)s finalized here
  EpochRound finalized_floor_{};    // OCR2: the newest (epoch, round) dropped from finalized_; older ones are ignored
};

}  // namespace models::ocr
