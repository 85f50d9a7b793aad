#include "models/ocr/should_report.hpp"

namespace models::ocr {
namespace {
__extension__ typedef __int128 I128;
__extension__ typedef unsigned __int128 U128;
U128 abs128(I128 x) { return x < 0 ? U128{0} - static_cast<U128>(x) : static_cast<U128>(x); }  // also of the minimum
}  // namespace

bool deviates(Value value, Value old, std::uint64_t ppb) {
  if (old == 0) return value != 0;
  // |value - old| * 1e9 >= ppb * |old|: exact while both products fit 128 bits (the libocr comparison is on
  // big integers); when only one overflows it is the larger; when both do (answers beyond ~1e29), in double.
  const U128 v = abs128(value), o = abs128(old);
  const U128 change = (value < 0) == (old < 0) ? (v > o ? v - o : o - v) : v + o;  // |value - old|, no overflow
  U128 lhs = 0, rhs = 0;
  const bool lhs_big = __builtin_mul_overflow(change, U128{1'000'000'000}, &lhs);
  const bool rhs_big = __builtin_mul_overflow(static_cast<U128>(ppb), o, &rhs);
  if (!lhs_big && !rhs_big) return lhs >= rhs;
  if (lhs_big != rhs_big) return lhs_big;
  return static_cast<double>(change) * 1e9 >= static_cast<double>(ppb) * static_cast<double>(o);
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
