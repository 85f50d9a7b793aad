#pragma once
// The decisions of OCR2's median reporting plugin (L offchainreporting2/reportingplugin/median/median.go, facts §1),
// pure functions of the plugin's config (OcrConfig's OCR2 fields), what the contract shows and the plugin's own
// state, so that each threshold's edge can be tested alone:
//
//   Report                       report when the median is within [min_answer, max_answer] and this is the first
//                                round of the configuration, or it deviates from the on-chain answer by at least
//                                alphaReportPPB (unless alphaReportInfinite), or the on-chain answer is older than
//                                DeltaC (strictly), or a round was requested; otherwise the follower sends a skip.
//   ShouldAcceptFinalizedReport  once per finalized report: newer than the last accepted one (plugin state) and
//                                than the contract, the contract on the same config; then accepted when it deviates
//                                from the last accepted median by alphaAcceptPPB (unless alphaAcceptInfinite) or
//                                nothing accepted is pending on chain (the contract caught up).
//   ShouldTransmitAcceptedReport when the oracle's stage comes: the contract is on the same config and still older
//                                than the report (no deviation check).
//
// Query is empty; Observation is the data source's value, the oracle's clock and juelsPerFeeCoin (OcrNode).
// Deviation is exact: |new - old| / |old| >= ppb / 1e9, and from 0 any non-zero value deviates (deviates()).
#include "models/ocr/ocr_config.hpp"
#include "models/ocr/should_report.hpp"

namespace models::ocr {

// Report's decision for the report's median `answer` at local time `now`.
ShouldReportDecision median_should_report(const OcrConfig& cfg, Value answer, const ContractView& contract, sim::Time now);

// The plugin's memory of what it accepted (latestAcceptedEpochRound, latestAcceptedMedian; both start at zero).
struct MedianAcceptState {
  EpochRound latest_accepted;
  Value latest_accepted_median = 0;
};

// ShouldAcceptFinalizedReport; updates `state` when it accepts.
bool median_should_accept(const OcrConfig& cfg, MedianAcceptState& state, EpochRound report, Value report_median,
                          const ContractView& contract);

// ShouldTransmitAcceptedReport.
bool median_should_transmit(const OcrConfig& cfg, EpochRound report, const ContractView& contract);

}  // namespace models::ocr
