#pragma once
// shouldReport of OCR1 (facts §1, L observation.go / report_generation_follower.go): a follower signs a report only
// if this is the first round of the configuration, the report's median deviates from the on-chain answer by at
// least alpha_ppb, the on-chain answer is older than delta_c, or a requestNewRound is still unfulfilled.
#include <cstdint>

#include "models/ocr/ocr_config.hpp"
#include "models/ocr/ocr_types.hpp"
#include "sim/time.hpp"

namespace models::ocr {

// What an oracle reads from the aggregator contract (libocr latestTransmissionDetails, plus the request flag).
struct ContractView {
  std::uint64_t config_digest = 0;  // the contract's current configuration
  EpochRound latest;                // (epoch, round) of the latest accepted report; (0, 0) before the first
  Value answer = 0;                 // its median
  sim::Time timestamp;              // block time at which it was accepted
  bool round_requested = false;     // a requestNewRound arrived after the latest report
};

struct ShouldReportDecision {
  bool initial_round = false;
  bool deviation = false;
  bool heartbeat = false;
  bool requested = false;
  bool in_range = true;  // OCR2: the median is within the onchain config's [min, max] (else never reported)
  bool report() const { return in_range && (initial_round || deviation || heartbeat || requested); }
};

// |value - old| / |old| >= ppb / 1e9 in exact integer arithmetic; from 0, any non-zero value deviates (libocr).
bool deviates(Value value, Value old, std::uint64_t ppb);

ShouldReportDecision should_report(const OcrConfig& cfg, Value median, const ContractView& contract, sim::Time now);

}  // namespace models::ocr
