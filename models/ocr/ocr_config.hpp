#pragma once
// OCR1 protocol parameters of one feed (libocr offchainreporting), shared by every oracle of the feed.
// Defaults are the Ethereum minimums of libocr's public_config.go (facts §1); the scenario's `feeds[i].ocr`
// block overrides them, `deviation` maps to alpha_ppb and `heartbeat` to delta_c.
#include <cstdint>
#include <string>
#include <vector>

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

  // The schedule actually used: `s`, or one oracle per stage when `s` is empty.
  std::vector<int> schedule() const;
};

// Every violated constraint, keys under `path_prefix` (e.g. "feeds[0].ocr" gives "feeds[0].ocr.delta_round").
sim::ConfigIssues validate(const OcrConfig& cfg, const std::string& path_prefix);

}  // namespace models::ocr
