#pragma once
// OCR protocol parameters of one feed, shared by every oracle of the feed: OCR1 (libocr offchainreporting) or OCR2
// (offchainreporting2 with the median reporting plugin). Defaults are the Ethereum minimums of libocr's
// public_config.go (facts §1); the scenario's `feeds[i].ocr` block overrides them, `deviation` maps to alpha_ppb
// (OCR2: alphaReportPPB) and `heartbeat` to delta_c.
#include <cstdint>
#include <string>
#include <vector>

#include "models/ocr/ocr_types.hpp"
#include "sim/config_issue.hpp"
#include "sim/time.hpp"

namespace models::ocr {

inline constexpr int kMaxOracles = 31;  // facts §1: n <= 31 (L offchainreporting/types/constants.go)

struct OcrConfig {
  int n = 4;                                                            // oracles, 1..31 (facts §1)
  int f = 1;                                                            // faulty oracles tolerated, 3f < n (facts §1)
  sim::Duration delta_progress = sim::Duration::nanoseconds(23'000'000'000);  // 23 s: facts §1 Ethereum minimum
  sim::Duration delta_resend = sim::Duration::nanoseconds(10'000'000'000);    // 10 s: facts §1 Ethereum minimum
  sim::Duration delta_round = sim::Duration::nanoseconds(20'000'000'000);     // 20 s: facts §1 Ethereum minimum
  sim::Duration delta_grace = sim::Duration::nanoseconds(1'000'000'000);      // 1 s: facts §1 node default ObservationGracePeriod
  sim::Duration delta_c = sim::Duration::nanoseconds(600'000'000'000);        // 10 min heartbeat: facts §1 Ethereum minimum
  std::uint64_t alpha_ppb = 10'000'000;                                 // deviation threshold, ppb; 1% (facts §1)
  sim::Duration delta_stage = sim::Duration::nanoseconds(10'000'000'000);     // 10 s: facts §1 Ethereum minimum
  int r_max = 6;                                                        // rounds per epoch, 0 < r_max < 255; assumption (scenario sketch)
  std::vector<int> s;                                                   // transmission schedule; empty = [1, 1, ..., 1] (n entries), facts §1 test preset
  std::uint64_t leader_key = 0x6f63722d6c656164ULL;                     // shared leader-selection key (libocr: 16 random bytes)
  std::uint64_t transmission_key = 0x6f63722d74786f72ULL;               // shared transmission-order key (libocr: 16 random bytes)
  std::uint64_t config_digest = 0x0c0f1d1e57ULL;                        // digest of this configuration (contract and nodes agree)

  OcrVersion version = OcrVersion::ocr1;
  // OCR2 only: the median plugin's offchain config (L offchainreporting2/reportingplugin/median/median.go, facts §1).
  // alpha_ppb above is alphaReportPPB; a report is accepted for transmission when it deviates from the last
  // accepted one by alpha_accept_ppb or nothing accepted is pending. Infinite: that deviation never counts.
  bool alpha_report_infinite = false;                                   // assumption: off (deviation reports)
  std::uint64_t alpha_accept_ppb = 10'000'000;                          // assumption: as alphaReportPPB (1%)
  bool alpha_accept_infinite = false;                                   // assumption: off
  // OCR2 only: bounds of the plugin calls (L offchainreporting2plus/internal/ocr2/protocol). Observation bounds the
  // data source; the model's other plugin calls read the contract at once and take no time, so only their sum
  // constraint is checked. Values: 5 s, the chainlink integration-test helper (no production values found).
  sim::Duration max_duration_query = sim::Duration::nanoseconds(5'000'000'000);
  sim::Duration max_duration_observation = sim::Duration::nanoseconds(5'000'000'000);
  sim::Duration max_duration_report = sim::Duration::nanoseconds(5'000'000'000);
  sim::Duration max_duration_should_accept = sim::Duration::nanoseconds(5'000'000'000);
  sim::Duration max_duration_should_transmit = sim::Duration::nanoseconds(5'000'000'000);
  // OCR2 only: the onchain config (min, max) both the plugin and the contract enforce; a median outside is not reported.
  Value min_answer = 1;                                                 // assumption: as the OCR1 aggregator
  Value max_answer = static_cast<Value>(~chain::Amount{0} >> 1);        // assumption: no bound (the 128-bit maximum)
  // OCR2 only: what every oracle's juelsPerFeeCoin data source observes (juels per ETH); assumption: 200 LINK per
  // ETH, the OCR1 billing's micro_link_per_eth default.
  Value juels_per_fee_coin = static_cast<Value>(200) * 1'000'000'000'000'000'000LL;

  // The schedule actually used: `s`, or one oracle per stage when `s` is empty.
  std::vector<int> schedule() const;
};

// Every violated constraint, keys under `path_prefix` (e.g. "feeds[0].ocr" gives "feeds[0].ocr.delta_round").
sim::ConfigIssues validate(const OcrConfig& cfg, const std::string& path_prefix);

}  // namespace models::ocr
