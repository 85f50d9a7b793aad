#pragma once
// Transmission of OCR1 (facts §1, L protocol/transmission.go): for each (epoch, round) a pseudo-random order pi of
// the oracles; oracle i waits k * delta_stage, k the first stage with pi(i) < S[0] + ... + S[k] (an oracle in no
// stage never transmits). When its timer fires it re-reads the contract and drops the report if the contract is
// already at or past the report's (epoch, round): the staged round-robin fallback. OCR2 (L ocr2/protocol/
// transmission.go) is the same schedule with the median plugin deciding: ShouldAcceptFinalizedReport when a report
// arrives, ShouldTransmitAcceptedReport when the stage comes (median_plugin.hpp).
//
// The order is a keyed Fisher-Yates shuffle: seed = hash_combine over (transmission_key, config_digest, epoch,
// round), step i (from n-1 down to 1) draws j = splitmix64(seed + i) mod (i + 1) (modulo bias < 2^-58).
// libocr derives a 16-byte key with keccak256 and uses its own permutation; the distribution is the same (uniform).
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "models/ocr/median_plugin.hpp"
#include "models/ocr/ocr_config.hpp"
#include "models/ocr/report_generation.hpp"
#include "models/ocr/should_report.hpp"
#include "sim/time.hpp"

namespace models::ocr {

// pi[oracle] = the oracle's position (0-based) in the transmission order of (epoch, round).
std::vector<int> transmission_order(int n, std::uint64_t transmission_key, std::uint64_t config_digest, EpochRound er);

// This oracle's wait before transmitting the report of `er`, or nullopt if it is in no stage.
std::optional<sim::Duration> transmit_delay(const OcrConfig& cfg, OracleId id, EpochRound er);

// One oracle's pending transmissions (libocr transmissionState), pure: the actor arms one timer at next_due().
class TransmissionQueue {
 public:
  // `cfg` is held by reference: it must outlive the queue.
  TransmissionQueue(const OcrConfig& cfg, OracleId self);
  TransmissionQueue(OcrConfig&&, OracleId) = delete;

  // A report reached transmission. Returns true if it was queued (it is newer than what the contract has and than
  // this oracle's latest queued report, or deviates from it / the latest was already accepted, and the oracle is
  // in some stage).
  bool on_transmit_event(const TransmitEvent& ev, const ContractView& contract, sim::Time now);

  struct Fired {
    std::optional<TransmitEvent> send;  // transmit this report now
    bool dropped_stale = false;         // the contract already had this (epoch, round) or a later one
    EpochRound epoch_round;             // of the report taken (sent or dropped)
  };
  // The transmit timer fired at `now`: takes the earliest pending report if due.
  Fired on_timer(const ContractView& contract, sim::Time now);

  std::optional<sim::Time> next_due() const;
  std::size_t pending() const { return pending_.size(); }
  // The oracle restarted after a crash: the pending reports survive (libocr keeps them in its database), the median
  // plugin's in-memory acceptance state does not (the plugin is created anew and compares against the contract).
  void on_restart() { accept_ = {}; }

 private:
  bool should_transmit(const TransmitEvent& ev, const ContractView& contract) const;

  const OcrConfig* cfg_;  // the feed's configuration (outlives the queue)
  OracleId self_;
  std::optional<EpochRound> latest_;  // latest (epoch, round) accepted into the queue
  Value latest_median_ = 0;
  MedianAcceptState accept_;          // OCR2: the median plugin's state
  std::map<std::pair<std::int64_t, std::uint64_t>, TransmitEvent> pending_;  // (due ns, packed epoch-round)
};

}  // namespace models::ocr
