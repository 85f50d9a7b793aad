#pragma once
// The OCR settings of a feed (`feeds[i].ocr`), kept light so FluxFeedConfig can hold them.
#include "models/ocr/ocr_config.hpp"
#include "sim/time.hpp"

namespace models::feeds {

// The protocol parameters of ocr::OcrConfig (defaults: facts §1 Ethereum minimums) plus how oracles observe.
// n, alpha_ppb and delta_c are not read from here: they come from the feed's `oracles`, `deviation` and
// `heartbeat` (see resolve_ocr in ocr_price_feed.hpp).
struct OcrSettings : ocr::OcrConfig {
  OcrSettings() { f = -1; }  // -1: f = floor((oracles - 1) / 3), the most OCR tolerates
  // How an oracle observes: by default it queries its providers when the observe-req arrives (libocr asks its data
  // source then, facts §1), waiting at most observe_timeout; with observe_cache it answers from a median polled in
  // the background every observe_poll (at most observe_max_age old).
  sim::Duration observe_timeout = sim::Duration::nanoseconds(5'000'000'000);  // data-source timeout; assumption: 5 s (Chainlink OCR.ObservationTimeout, not in the facts)
  bool observe_cache = false;                                                  // answer from the background cache; assumption: off
  sim::Duration observe_poll = sim::Duration::nanoseconds(5'000'000'000);     // cache: provider polling per oracle; assumption: 5 s
  sim::Duration observe_max_age = sim::Duration::nanoseconds(60'000'000'000); // cache: older quotes are no observation; assumption
  bool allow_below_chain_minimums = false;  // accept timings under the chain's libocr minimums (hypothetical studies)
  // Configuration changes (feeds[i].changes): a node switches once the ConfigSet block has this many confirmations
  // (libocr track_config.go: block height >= config block + confirmations - 1) and checks again every config_check
  // while it waits (track_config.go: min(15 s, ContractConfigTrackerPollInterval)).
  std::uint32_t contract_confirmations = 4;  // facts §1: CL fallback.toml OCR ContractConfirmations 4
  sim::Duration config_check = sim::Duration::nanoseconds(15'000'000'000);  // L track_config.go: 15 s
  // OCR2 (median plugin) settings in the feed's units, resolved into ocr::OcrConfig by resolve_ocr:
  double alpha_accept = -1;  // alphaAcceptPPB as a fraction; -1: the feed's deviation (alphaReportPPB); assumption
  double link_per_eth = 200; // juelsPerFeeCoin observed by every oracle, in LINK per ETH; assumption (as OCR1 billing)
  // The contract's [minAnswer, maxAnswer] (both generations; OCR2's plugin also declines to report outside), in the
  // asset's price: 0 for min_price is the smallest positive answer, 0 for max_price no bound. Assumption: unbounded.
  double min_price = 0;
  double max_price = 0;
};

}  // namespace models::feeds
