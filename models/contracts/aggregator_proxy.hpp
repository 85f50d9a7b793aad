#pragma once
// AggregatorProxy with phases (after CL AggregatorProxy.sol): consumers read one stable address while the
// aggregator behind it is replaced. Each confirmed aggregator is a phase (ids from 1); round ids seen through
// the proxy are phaseId << 64 | aggregatorRoundId, so they keep increasing across a swap and getRoundData of an
// old round still reaches the old aggregator.
//
// Replacement is two-step as in the original: propose_aggregator (consumers still read the current phase;
// proposed_latest_round_data lets the operator check the new one), then confirm_aggregator. View calls only
// (no gas); the proxy holds non-owning pointers to aggregators that must outlive it.
#include <cstdint>
#include <optional>
#include <vector>

#include "models/contracts/round_data.hpp"

namespace models::contracts {

inline constexpr RoundId kPhaseOffset = RoundId{1} << 64;

// Builds / splits a proxy round id.
inline RoundId proxy_round_id(std::uint16_t phase, std::uint64_t aggregator_round) {
  return (RoundId{phase} << 64) | aggregator_round;
}
inline std::uint16_t phase_of(RoundId id) { return static_cast<std::uint16_t>(id >> 64); }
inline std::uint64_t aggregator_round_of(RoundId id) { return static_cast<std::uint64_t>(id); }

class AggregatorProxy {
 public:
  // The first phase's aggregator (not null).
  explicit AggregatorProxy(const RoundReader* aggregator);

  std::optional<RoundData> latest_round_data() const;
  std::optional<RoundData> get_round_data(RoundId round_id) const;
  std::optional<Answer> latest_answer() const;
  int decimals() const { return phases_.back()->decimals(); }  // the current aggregator's

  void propose_aggregator(const RoundReader* aggregator);
  std::optional<RoundData> proposed_latest_round_data() const;
  // Makes the proposed aggregator the next phase; throws std::logic_error if none (or another) was proposed.
  void confirm_aggregator(const RoundReader* aggregator);

  std::uint16_t phase_id() const { return static_cast<std::uint16_t>(phases_.size()); }
  const RoundReader* aggregator() const { return phases_.back(); }
  const RoundReader* proposed() const { return proposed_; }

 private:
  static std::optional<RoundData> with_phase(std::optional<RoundData> d, std::uint16_t phase);
  std::vector<const RoundReader*> phases_;  // phases_[i] is phase i + 1
  const RoundReader* proposed_ = nullptr;
};

}  // namespace models::contracts
