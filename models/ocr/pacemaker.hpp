#pragma once
// The OCR1 pacemaker as a pure state machine (libocr protocol/pacemaker.go, facts §1).
//
// It keeps the current epoch e, the highest epoch ne this oracle has asked for, and the highest newepoch heard from
// every oracle. Without progress for DeltaProgress (or when report generation asks, after r_max rounds) it
// broadcasts newepoch(max(ne, e + 1)) and re-broadcasts ne every DeltaResend. Once more than f oracles asked for an
// epoch above ne it adopts the (f+1)-th highest of those; once more than 2f asked for one above e it starts the
// (2f+1)-th highest, whose leader is leader(e'). Inputs are timer expiries and messages; each returns what to do.
// Simplified: no persistence to a database, no restoring ne from the contract (start() takes it as an argument).
#include <optional>
#include <vector>

#include "models/ocr/ocr_config.hpp"
#include "models/ocr/ocr_types.hpp"

namespace models::ocr {

struct PacemakerOutput {
  std::optional<Epoch> broadcast_newepoch;  // send NewEpochMsg{epoch} to every oracle (including itself)
  bool arm_resend = false;                  // (re)start the resend timer: fires after delta_resend
  bool arm_progress = false;                // (re)start the progress timer: fires after delta_progress
  bool cancel_progress = false;             // stop the progress timer
  std::optional<Epoch> started_epoch;       // a new epoch begins: run report generation with leader()
};

class Pacemaker {
 public:
  // `cfg` is held by reference: it must outlive the pacemaker (the feed keeps one per configuration).
  Pacemaker(const OcrConfig& cfg, OracleId self);
  Pacemaker(OcrConfig&&, OracleId) = delete;

  // Begins in epoch 1 (libocr). `ne_floor`: the contract's latest epoch + 1, if known (libocr restoreNe).
  PacemakerOutput start(Epoch ne_floor = 0);
  // After a crash: keeps e, ne and what it heard (libocr restores them from its database), restarts the current
  // epoch's report generation and timers, and re-broadcasts ne.
  PacemakerOutput resume();
  PacemakerOutput on_progress_timeout();
  PacemakerOutput on_resend_timeout();
  // Report generation completed a round (libocr EventProgress): the progress timer restarts.
  PacemakerOutput on_progress();
  // Report generation saw an observe-req past r_max (libocr EventChangeLeader).
  PacemakerOutput on_change_leader();
  PacemakerOutput on_newepoch(OracleId sender, Epoch epoch);

  Epoch epoch() const { return e_; }
  Epoch ne() const { return ne_; }
  OracleId current_leader() const { return leader_; }
  const std::vector<Epoch>& heard() const { return newepoch_; }

 private:
  void send_newepoch(Epoch epoch, PacemakerOutput& out);

  const OcrConfig* cfg_;  // the feed's configuration (outlives the pacemaker)
  Epoch e_ = 1;
  Epoch ne_ = 0;
  OracleId leader_ = 0;
  std::vector<Epoch> newepoch_;  // highest newepoch received from each oracle
  std::vector<Epoch> scratch_;   // on_newepoch's candidates
};

}  // namespace models::ocr
