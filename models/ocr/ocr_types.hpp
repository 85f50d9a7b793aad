#pragma once
// Basic OCR vocabulary: the protocol generation, oracle ids, epochs, rounds, observations and the (epoch, round)
// order.
#include <compare>
#include <cstdint>

#include "models/chain/types.hpp"

namespace models::ocr {

// The protocol and contract generation: OCR1 (OffchainAggregator) or OCR2 (OCR2Aggregator, median plugin).
enum class OcrVersion { ocr1, ocr2 };

using OracleId = int;          // index of an oracle in the feed's configuration, 0..n-1
using Epoch = std::uint32_t;   // libocr: uint32
using Round = int;             // libocr: uint8; 1..r_max (+1 for the leader-change request)
using Value = models::chain::SignedWord;  // an observation or answer, fixed point (the feed's decimals); libocr: int192

inline constexpr OracleId kBroadcast = -1;  // destination meaning "every oracle, including the sender"

// (epoch, round) ordered lexicographically; the contract stores it packed as epoch * 256 + round.
struct EpochRound {
  Epoch epoch = 0;
  Round round = 0;
  constexpr std::uint64_t packed() const { return (static_cast<std::uint64_t>(epoch) << 8) | static_cast<std::uint8_t>(round); }
  friend constexpr auto operator<=>(const EpochRound&, const EpochRound&) = default;
};

}  // namespace models::ocr
