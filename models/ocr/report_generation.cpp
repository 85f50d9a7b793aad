#include "models/ocr/report_generation.hpp"

#include <algorithm>

namespace models::ocr {
namespace {
std::size_t idx(OracleId id) { return static_cast<std::size_t>(id); }
}  // namespace

ReportGeneration::ReportGeneration(const OcrConfig& cfg, OracleId self, Epoch epoch, OracleId leader,
                                   const OracleDirectory& directory, const SecretKey& offchain_key,
                                   const SecretKey& onchain_key)
    : cfg_(cfg), self_(self), e_(epoch), leader_(leader), dir_(&directory), offchain_key_(offchain_key),
      onchain_key_(onchain_key) {
  lead_.observe.assign(idx(cfg_.n), std::nullopt);
  lead_.report.assign(idx(cfg_.n), std::nullopt);
  follow_.received_echo.assign(idx(cfg_.n), false);
}

RepGenOutput ReportGeneration::start() {
  if (!is_leader()) return {};
  return start_round();
}

RepGenOutput ReportGeneration::start_round() {
  RepGenOutput out;
  if (lead_.r >= 255) return out;  // round overflow (uint8): no new round
  lead_.r += 1;
  lead_.observe.assign(idx(cfg_.n), std::nullopt);
  lead_.report.assign(idx(cfg_.n), std::nullopt);
  lead_.phase = Phase::observe;
  out.send.push_back({kBroadcast, ObserveReqMsg{e_, lead_.r}});
  out.arm_round_timer = cfg_.delta_round;
  out.observe_req_sent = lead_.r;
  return out;
}

RepGenOutput ReportGeneration::on_round_timeout() {
  if (!is_leader()) return {};
  return start_round();
}

RepGenOutput ReportGeneration::on_observe(OracleId sender, const ObserveMsg& msg) {
  RepGenOutput out;
  if (msg.epoch != e_ || !is_leader() || msg.round != lead_.r) return out;
  if (lead_.phase != Phase::observe && lead_.phase != Phase::grace) return out;
  if (sender < 0 || sender >= cfg_.n || lead_.observe[idx(sender)]) return out;
  const auto digest = observation_digest(cfg_.config_digest, {e_, lead_.r}, msg.observation.value);
  if (!dir_->verify_offchain(sender, msg.observation.signature, digest)) return out;
  lead_.observe[idx(sender)] = msg.observation;
  if (lead_.phase == Phase::observe) {
    const auto count = std::count_if(lead_.observe.begin(), lead_.observe.end(), [](const auto& o) { return o.has_value(); });
    if (count > 2 * cfg_.f) {
      lead_.phase = Phase::grace;
      out.arm_grace_timer = cfg_.delta_grace;
    }
  }
  return out;
}

RepGenOutput ReportGeneration::on_grace_timeout() {
  RepGenOutput out;
  if (!is_leader() || lead_.phase != Phase::grace) return out;
  ReportReqMsg req{e_, lead_.r, {}};
  for (OracleId i = 0; i < cfg_.n; ++i) {
    if (lead_.observe[idx(i)]) req.observations.push_back({*lead_.observe[idx(i)], i});
  }
  // Ascending by value; ties by observer id so the order is deterministic (libocr leaves ties unspecified).
  std::sort(req.observations.begin(), req.observations.end(), [](const auto& a, const auto& b) {
    if (a.observation.value != b.observation.value) return a.observation.value < b.observation.value;
    return a.observer < b.observer;
  });
  out.send.push_back({kBroadcast, std::move(req)});
  lead_.phase = Phase::report;
  return out;
}

RepGenOutput ReportGeneration::on_report(OracleId sender, const ReportMsg& msg) {
  RepGenOutput out;
  if (msg.epoch != e_ || !is_leader() || msg.round != lead_.r || lead_.phase != Phase::report) return out;
  if (sender < 0 || sender >= cfg_.n || lead_.report[idx(sender)]) return out;
  const auto digest = report_digest(cfg_.config_digest, {e_, lead_.r}, msg.report.observations);
  if (dir_->recover_onchain(msg.report.signature, digest) != sender) return out;
  lead_.report[idx(sender)] = msg.report;

  AttestedReportMany many{msg.report.observations, {}};
  for (const auto& r : lead_.report) {
    if (r && r->observations == msg.report.observations) many.signatures.push_back(r->signature);
  }
  if (static_cast<int>(many.signatures.size()) > cfg_.f) {
    out.send.push_back({kBroadcast, FinalMsg{e_, lead_.r, std::move(many)}});
    lead_.phase = Phase::final;
  }
  return out;
}

RepGenOutput ReportGeneration::on_observation_ready(Epoch epoch, Round round, Value observation) {
  RepGenOutput out;
  if (epoch != e_ || round != follow_.r || follow_.r > cfg_.r_max) return out;
  const auto digest = observation_digest(cfg_.config_digest, {e_, follow_.r}, observation);
  out.send.push_back({leader_, ObserveMsg{e_, follow_.r, SignedObservation{observation, offchain_key_.sign(digest)}}});
  return out;
}

RepGenOutput ReportGeneration::on_observe_req(OracleId sender, const ObserveReqMsg& msg,
                                              std::optional<Value> observation) {
  RepGenOutput out;
  if (msg.epoch != e_ || sender != leader_ || msg.round <= follow_.r) return out;
  if (msg.round > cfg_.r_max + 1) return out;  // out of bounds: ignore
  follow_.r = msg.round;
  if (follow_.r > cfg_.r_max) {
    out.change_leader = true;
    return out;
  }
  follow_.sent_echo.reset();
  follow_.sent_report = false;
  follow_.completed_round = false;
  follow_.received_echo.assign(idx(cfg_.n), false);
  if (!observation) return out;
  const auto digest = observation_digest(cfg_.config_digest, {e_, follow_.r}, *observation);
  out.send.push_back({leader_, ObserveMsg{e_, follow_.r, SignedObservation{*observation, offchain_key_.sign(digest)}}});
  return out;
}

const char* ReportGeneration::check_report_req(const ReportReqMsg& msg) const {
  const auto& obs = msg.observations;
  for (std::size_t i = 1; i < obs.size(); ++i) {
    if (obs[i].observation.value < obs[i - 1].observation.value) return "observations not sorted by value";
  }
  std::vector<bool> counted(idx(cfg_.n), false);
  for (const auto& o : obs) {
    if (o.observer < 0 || o.observer >= cfg_.n) return "observer id out of bounds";
    if (counted[idx(o.observer)]) return "duplicate observation by one oracle";
    counted[idx(o.observer)] = true;
    const auto digest = observation_digest(cfg_.config_digest, {e_, follow_.r}, o.observation.value);
    if (!dir_->verify_offchain(o.observer, o.observation.signature, digest)) return "invalid signed observation";
  }
  if (static_cast<int>(obs.size()) <= 2 * cfg_.f) return "not enough observations (need more than 2f)";
  return "";
}

RepGenOutput ReportGeneration::on_report_req(OracleId sender, const ReportReqMsg& msg, const ContractView& contract,
                                             sim::Time now) {
  RepGenOutput out;
  if (msg.epoch != e_ || sender != leader_ || msg.round != follow_.r) return out;
  if (follow_.sent_report || follow_.completed_round) return out;
  if (*check_report_req(msg) != '\0') return out;

  const Value median = msg.observations[msg.observations.size() / 2].observation.value;
  const auto decision = should_report(cfg_, median, contract, now);
  out.decision = decision;
  if (!decision.report()) {
    complete_round(out);
    return out;
  }
  AttestedReportOne report;
  report.observations.reserve(msg.observations.size());
  for (const auto& o : msg.observations) report.observations.push_back({o.observation.value, o.observer});
  report.signature = onchain_key_.sign(report_digest(cfg_.config_digest, {e_, follow_.r}, report.observations));
  follow_.sent_report = true;
  out.send.push_back({leader_, ReportMsg{e_, follow_.r, std::move(report)}});
  return out;
}

bool ReportGeneration::check_attested_report(const AttestedReportMany& report) const {
  if (static_cast<int>(report.signatures.size()) <= cfg_.f) return false;
  const auto digest = report_digest(cfg_.config_digest, {e_, follow_.r}, report.observations);
  std::vector<bool> signed_by(idx(cfg_.n), false);
  for (const auto& sig : report.signatures) {
    const OracleId who = dir_->recover_onchain(sig, digest);
    if (who < 0 || signed_by[idx(who)]) return false;
    signed_by[idx(who)] = true;
  }
  return true;
}

RepGenOutput ReportGeneration::on_final(OracleId sender, const FinalMsg& msg) {
  RepGenOutput out;
  if (msg.epoch != e_ || msg.round != follow_.r || sender != leader_) return out;
  if (follow_.sent_echo || !check_attested_report(msg.report)) return out;
  follow_.sent_echo = msg.report;
  out.send.push_back({kBroadcast, FinalEchoMsg{msg}});
  return out;
}

RepGenOutput ReportGeneration::on_final_echo(OracleId sender, const FinalEchoMsg& msg) {
  RepGenOutput out;
  const FinalMsg& fin = msg.final;
  if (fin.epoch != e_ || fin.round != follow_.r) return out;
  if (sender < 0 || sender >= cfg_.n || follow_.received_echo[idx(sender)] || follow_.completed_round) return out;
  if (!check_attested_report(fin.report)) return out;
  follow_.received_echo[idx(sender)] = true;
  if (!follow_.sent_echo) {
    follow_.sent_echo = fin.report;
    out.send.push_back({kBroadcast, msg});
  }
  const auto count = std::count(follow_.received_echo.begin(), follow_.received_echo.end(), true);
  if (count > cfg_.f) {
    out.transmit = TransmitEvent{e_, follow_.r, *follow_.sent_echo};
    complete_round(out);
  }
  return out;
}

void ReportGeneration::complete_round(RepGenOutput& out) {
  follow_.completed_round = true;
  out.progress = true;
}

}  // namespace models::ocr
