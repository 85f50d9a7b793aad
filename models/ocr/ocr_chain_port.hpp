#pragma once
// What an OCR oracle needs from the chain: read the aggregator (eth_call latestTransmissionDetails, free and
// immediate) and submit a transmit transaction from its transmitter account. The world wires it to the chain and
// the node's transaction manager; tests use a small stand-in.
#include "models/ocr/report_generation.hpp"
#include "models/ocr/should_report.hpp"

namespace models::ocr {

class OcrChainPort {
 public:
  virtual ~OcrChainPort() = default;
  virtual ContractView read_contract() const = 0;
  // Submits transmit(report) from oracle `from`'s transmitter account (fire and forget; the chain decides).
  virtual void transmit(OracleId from, const TransmitEvent& report) = 0;
};

}  // namespace models::ocr
