#pragma once
// The answer of one aggregator round as latestRoundData/getRoundData return it, and the read-only interface
// every aggregator offers to the proxy (eth_call: no gas).
#include <cstdint>
#include <optional>

#include "models/chain/types.hpp"
#include "sim/time.hpp"

namespace models::contracts {

// roundId is uint80 on chain: through a proxy, phaseId << 64 | aggregatorRoundId.
__extension__ using RoundId = unsigned __int128;
// An answer: int256 in the FluxAggregator, int192 in OCR aggregators; fixed point with the feed's decimals
// (models/providers/price_process.hpp).
using Answer = chain::SignedWord;
inline constexpr Answer kAnswerMax = static_cast<Answer>(~chain::Amount{0} >> 1);
inline constexpr Answer kAnswerMin = -kAnswerMax - 1;

struct RoundData {
  RoundId round_id = 0;
  Answer answer = 0;                     // fixed point with the feed's decimals
  sim::Time started_at{};
  sim::Time updated_at{};                // zero: not answered
  RoundId answered_in_round = 0;
};

class RoundReader {
 public:
  virtual ~RoundReader() = default;
  // nullopt where the contract reverts with "No data present".
  virtual std::optional<RoundData> latest_round_data() const = 0;
  virtual std::optional<RoundData> get_round_data(std::uint64_t round_id) const = 0;
  // decimals(): the answers' fixed-point decimals.
  virtual int decimals() const = 0;
};

}  // namespace models::contracts
