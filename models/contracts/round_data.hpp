#pragma once
// The answer of one aggregator round as latestRoundData/getRoundData return it, and the read-only interface
// every aggregator offers to the proxy (eth_call: no gas).
#include <cstdint>
#include <optional>

#include "sim/time.hpp"

namespace models::contracts {

// roundId is uint80 on chain: through a proxy, phaseId << 64 | aggregatorRoundId.
__extension__ using RoundId = unsigned __int128;

struct RoundData {
  RoundId round_id = 0;
  std::int64_t answer = 0;               // 8-decimal fixed point (models/providers/price_process.hpp)
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
};

}  // namespace models::contracts
