#include "models/contracts/aggregator_proxy.hpp"

#include <stdexcept>

namespace models::contracts {

AggregatorProxy::AggregatorProxy(const RoundReader* aggregator) {
  if (aggregator == nullptr) throw std::invalid_argument("AggregatorProxy: the first aggregator must not be null");
  phases_.push_back(aggregator);
}

std::optional<RoundData> AggregatorProxy::with_phase(std::optional<RoundData> d, std::uint16_t phase) {
  if (!d) return d;
  d->round_id = proxy_round_id(phase, static_cast<std::uint64_t>(d->round_id));
  d->answered_in_round = proxy_round_id(phase, static_cast<std::uint64_t>(d->answered_in_round));
  return d;
}

std::optional<RoundData> AggregatorProxy::latest_round_data() const {
  return with_phase(phases_.back()->latest_round_data(), phase_id());
}

std::optional<RoundData> AggregatorProxy::get_round_data(RoundId round_id) const {
  const std::uint16_t phase = phase_of(round_id);
  if (phase == 0 || phase > phases_.size()) return std::nullopt;
  return with_phase(phases_[phase - 1]->get_round_data(aggregator_round_of(round_id)), phase);
}

std::optional<Answer> AggregatorProxy::latest_answer() const {
  const auto d = latest_round_data();
  if (!d) return std::nullopt;
  return d->answer;
}

void AggregatorProxy::propose_aggregator(const RoundReader* aggregator) { proposed_ = aggregator; }

std::optional<RoundData> AggregatorProxy::proposed_latest_round_data() const {
  if (proposed_ == nullptr) return std::nullopt;
  return proposed_->latest_round_data();
}

void AggregatorProxy::confirm_aggregator(const RoundReader* aggregator) {
  if (aggregator == nullptr || aggregator != proposed_)
    throw std::logic_error("AggregatorProxy: confirm_aggregator needs the proposed aggregator");
  if (phases_.size() >= 0xffff) throw std::logic_error("AggregatorProxy: phase id overflow");
  phases_.push_back(aggregator);
  proposed_ = nullptr;
}

}  // namespace models::contracts
