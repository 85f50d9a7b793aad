#include "models/ocr/should_report.hpp"

namespace models::ocr {
namespace {
__extension__ typedef __int128 I128;
__extension__ typedef unsigned __int128 U128;
U128 abs128(I128 x) { return static_cast<U128>(x < 0 ? -x : x); }
}  // namespace

bool deviates(Value value, Value old, std::uint64_t ppb) {
  if (old == 0) return value != 0;
  const U128 change = abs128(static_cast<I128>(value) - static_cast<I128>(old));
  return change * 1'000'000'000U >= static_cast<U128>(ppb) * abs128(old);
}

ShouldReportDecision should_report(const OcrConfig& cfg, Value median, const ContractView& contract, sim::Time now) {
  ShouldReportDecision d;
  d.initial_round = contract.config_digest == cfg.config_digest && contract.latest == EpochRound{0, 0};
  d.deviation = deviates(median, contract.answer, cfg.alpha_ppb);
  d.heartbeat = contract.timestamp + cfg.delta_c < now;
  d.requested = contract.round_requested;
  return d;
}

}  // namespace models::ocr
