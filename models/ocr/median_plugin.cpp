#include "models/ocr/median_plugin.hpp"

namespace models::ocr {

ShouldReportDecision median_should_report(const OcrConfig& cfg, Value answer, const ContractView& contract, sim::Time now) {
  ShouldReportDecision d;
  d.in_range = cfg.min_answer <= answer && answer <= cfg.max_answer;
  d.initial_round = contract.config_digest == cfg.config_digest && contract.latest == EpochRound{0, 0};
  d.deviation = !cfg.alpha_report_infinite && deviates(answer, contract.answer, cfg.alpha_ppb);
  d.heartbeat = contract.timestamp + cfg.delta_c < now;
  d.requested = contract.round_requested;
  return d;
}

bool median_should_accept(const OcrConfig& cfg, MedianAcceptState& state, EpochRound report, Value report_median,
                          const ContractView& contract) {
  if (!(state.latest_accepted < report)) return false;
  if (contract.config_digest != cfg.config_digest || !(contract.latest < report)) return false;
  const bool deviation = !cfg.alpha_accept_infinite && deviates(report_median, state.latest_accepted_median, cfg.alpha_accept_ppb);
  const bool nothing_pending = !(contract.latest < state.latest_accepted);
  if (!deviation && !nothing_pending) return false;
  state.latest_accepted = report;
  state.latest_accepted_median = report_median;
  return true;
}

bool median_should_transmit(const OcrConfig& cfg, EpochRound report, const ContractView& contract) {
  return contract.config_digest == cfg.config_digest && contract.latest < report;
}

}  // namespace models::ocr
