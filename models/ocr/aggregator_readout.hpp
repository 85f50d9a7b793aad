#pragma once
// What the off-chain side reads from an OCR aggregator, whichever generation is deployed: OffchainAggregator (OCR1,
// ocr_aggregator.hpp) or OCR2Aggregator (ocr2_aggregator.hpp). The oracles' eth_call of latestTransmissionDetails,
// the proxy's latestRoundData, the feed's LINK books and the gas telemetry go through it.
#include <cstdint>

#include "models/chain/types.hpp"
#include "models/ocr/should_report.hpp"
#include "sim/time.hpp"

namespace models::ocr {

// Telemetry outside the contract state (not undone with a reverted tx): transmits that reverted in the contract's
// checks and the gas they burnt (intrinsic + execution up to the revert), and accepted ones.
struct AggregatorTelemetry {
  std::uint64_t accepted = 0;
  std::uint64_t reverted = 0;
  std::uint64_t stale = 0;  // of which "stale report" (a duplicate transmission of an accepted report)
  chain::Gas wasted_gas = 0;
};

class AggregatorReadout {
 public:
  virtual ~AggregatorReadout() = default;
  // Off-chain reads (eth_call; free).
  virtual ContractView latest_transmission_details() const = 0;
  virtual std::uint32_t latest_round() const = 0;
  virtual Value latest_answer() const = 0;
  virtual sim::Time latest_timestamp() const = 0;
  // LINK-wei the contract owes oracle i (owedPayment of its transmitter).
  virtual chain::Amount owed_payment(int oracle) const = 0;
  virtual std::uint64_t config_digest() const = 0;
  // s_configCount: 1 for the deployment's configuration, + 1 per setConfig.
  virtual std::uint32_t config_count() const = 0;
  // The oracles in the current configuration (owed_payment takes 0 .. oracles() - 1).
  virtual int oracles() const = 0;
  // LINK-wei paid to oracles by setConfig (payOracles) so far: what they were owed under earlier configurations.
  virtual chain::Amount paid_juels() const = 0;
  virtual const AggregatorTelemetry& telemetry() const = 0;
};

}  // namespace models::ocr
