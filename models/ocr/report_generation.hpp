#pragma once
// Report generation of one OCR1 epoch as a pure state machine (libocr protocol/report_generation*.go, facts §1).
//
// Leader part: observe-req every delta_round (rounds 1, 2, ...; a round past r_max makes followers ask for a new
// leader); with more than 2f valid signed observations it waits delta_grace, sorts them and sends report-req; with
// more than f matching signatures it sends final. Follower part: answers observe-req with a signed observation,
// checks report-req (sorted, distinct valid observers, more than 2f observations), runs shouldReport and signs or
// completes the round, echoes a valid final, and with more than f final-echoes hands the report to transmission.
// Every oracle runs both parts (the leader is also a follower of itself). Inputs return what to send and which
// timers to arm; a new epoch means a new object.
//
// OCR2 (cfg.version, L offchainreporting2plus/internal/ocr2/protocol/report_generation_*.go): the leader starts a
// round only when the previous one completed and delta_round passed (the first at once), rounds 1..r_max + 1;
// observations carry a timestamp and juelsPerFeeCoin; a follower runs the median plugin's Report
// (median_plugin.hpp) and sends its signed report or a skip; with f + 1 equal reports the leader sends final with
// exactly f + 1 signatures (or, for f + 1 skips, nothing) and the round is complete; a follower hands a valid final
// to finalization (the node: one valid echo suffices there, see OcrNode).
#include <optional>
#include <vector>

#include "models/ocr/messages.hpp"
#include "models/ocr/ocr_config.hpp"
#include "models/ocr/report.hpp"
#include "models/ocr/should_report.hpp"
#include "sim/time.hpp"

namespace models::ocr {

// A report accepted by more than f final-echoes, handed to transmission (libocr EventTransmit).
struct TransmitEvent {
  Epoch epoch = 0;
  Round round = 0;
  AttestedReportMany report;
  EpochRound epoch_round() const { return {epoch, round}; }
};

struct RepGenOutput {
  std::vector<Outgoing> send;
  std::optional<sim::Duration> arm_round_timer;  // leader: (re)start the round timer
  std::optional<sim::Duration> arm_grace_timer;  // leader: (re)start the grace timer
  bool progress = false;                         // to the pacemaker: a round completed
  bool change_leader = false;                    // to the pacemaker: the leader went past r_max
  std::optional<TransmitEvent> transmit;         // to transmission
  std::optional<Round> observe_req_sent;         // leader: a round started (for latency metrics)
  std::optional<ShouldReportDecision> decision;  // follower: shouldReport ran on a valid report-req
};

class ReportGeneration {
 public:
  // `cfg` and `directory` are held by reference: they must outlive the epoch.
  ReportGeneration(const OcrConfig& cfg, OracleId self, Epoch epoch, OracleId leader, const OracleDirectory& directory,
                   const SecretKey& offchain_key, const SecretKey& onchain_key);
  ReportGeneration(OcrConfig&&, OracleId, Epoch, OracleId, const OracleDirectory&, const SecretKey&,
                   const SecretKey&) = delete;

  RepGenOutput start();  // the leader starts round 1
  RepGenOutput on_round_timeout();
  RepGenOutput on_grace_timeout();
  // A (byzantine) leader changed the report-req on_grace_timeout returned before sending it: the report context
  // it expects signatures over (OCR2's extraHash) follows the observations actually sent.
  void report_req_rewritten(const ReportReqMsg& sent);
  // `observation`: this oracle's current value, or nullopt when its data source failed (it then stays silent);
  // `now`: the oracle's clock (OCR2 observations carry it).
  RepGenOutput on_observe_req(OracleId sender, const ObserveReqMsg& msg, std::optional<Value> observation,
                              sim::Time now = {});
  RepGenOutput on_observe(OracleId sender, const ObserveMsg& msg);
  // An observation that was not ready when the observe-req of (epoch, round) arrived (it was passed as nullopt to
  // on_observe_req): sends it to the leader if the follower is still in that round, else nothing.
  RepGenOutput on_observation_ready(Epoch epoch, Round round, Value observation, sim::Time now = {});
  RepGenOutput on_report_req(OracleId sender, const ReportReqMsg& msg, const ContractView& contract, sim::Time now);
  RepGenOutput on_report(OracleId sender, const ReportMsg& msg);
  RepGenOutput on_final(OracleId sender, const FinalMsg& msg);
  RepGenOutput on_final_echo(OracleId sender, const FinalEchoMsg& msg);

  Epoch epoch() const { return e_; }
  OracleId leader() const { return leader_; }
  bool is_leader() const { return leader_ == self_; }
  Round leader_round() const { return lead_.r; }
  Round follower_round() const { return follow_.r; }

  // Checks of a report-req (libocr verifyReportReq); empty string when valid, else the reason.
  const char* check_report_req(const ReportReqMsg& msg) const;
  // Checks of a final report (libocr verifyAttestedReport): more than f valid signatures of distinct oracles (OCR2:
  // exactly f + 1, verify_final_ocr2).
  bool check_attested_report(const AttestedReportMany& report) const;
  // OCR2: a final report of (epoch, round) carries exactly f + 1 valid signatures of distinct oracles.
  static bool verify_final_ocr2(const OcrConfig& cfg, const OracleDirectory& dir, EpochRound er,
                                const AttestedReportMany& report);

 private:
  // check_report_req and the report's observations for `msg` in this follower's round, from the directory's memo.
  OracleDirectory::ReportReqMemo& report_req_memo(const ReportReqMsg& msg) const;
  enum class Phase { observe, grace, report, final };
  RepGenOutput start_round();
  void complete_round(RepGenOutput& out);
  bool ocr2() const { return cfg_->version == OcrVersion::ocr2; }
  SignedObservation sign_observation(Round round, Value value, sim::Time now) const;
  std::uint64_t observation_digest_of(Round round, const SignedObservation& o) const;
  RepGenOutput on_report_ocr2(OracleId sender, const ReportMsg& msg);
  void leader_round_done(RepGenOutput& out);  // OCR2: the next round may start once delta_round has passed

  const OcrConfig* cfg_;  // the feed's configuration (outlives the epoch)
  OracleId self_;
  Epoch e_;
  OracleId leader_;
  const OracleDirectory* dir_;
  SecretKey offchain_key_, onchain_key_;

  struct LeaderState {
    Round r = 0;
    Phase phase = Phase::observe;
    std::vector<std::optional<SignedObservation>> observe;
    std::vector<std::optional<AttestedReportOne>> report;
    std::uint64_t extra_hash = 0;  // OCR2: of the report-req sent
    bool timer_fired = false;      // OCR2: delta_round passed since the round started
    bool round_done = false;       // OCR2: the round completed (final sent or f + 1 skips)
  } lead_;
  struct FollowerState {
    Round r = 0;
    std::optional<AttestedReportMany> sent_echo;
    bool sent_report = false;
    bool completed_round = false;
    std::vector<bool> received_echo;
  } follow_;
};

}  // namespace models::ocr
