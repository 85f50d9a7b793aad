#include "models/ocr/transmission.hpp"

#include <numeric>

#include "sim/hash.hpp"

namespace models::ocr {

std::vector<int> transmission_order(int n, std::uint64_t transmission_key, std::uint64_t config_digest, EpochRound er) {
  std::uint64_t seed = sim::hash_combine(transmission_key, config_digest);
  seed = sim::hash_combine(seed, er.epoch);
  seed = sim::hash_combine(seed, static_cast<std::uint64_t>(er.round));
  std::vector<int> order(static_cast<std::size_t>(n));  // order[position] = oracle
  std::iota(order.begin(), order.end(), 0);
  for (int i = n - 1; i >= 1; --i) {
    const auto j = sim::splitmix64(seed + static_cast<std::uint64_t>(i)) % static_cast<std::uint64_t>(i + 1);
    std::swap(order[static_cast<std::size_t>(i)], order[j]);
  }
  std::vector<int> pi(static_cast<std::size_t>(n));
  for (int pos = 0; pos < n; ++pos) pi[static_cast<std::size_t>(order[static_cast<std::size_t>(pos)])] = pos;
  return pi;
}

std::optional<sim::Duration> transmit_delay(const OcrConfig& cfg, OracleId id, EpochRound er) {
  const auto pi = transmission_order(cfg.n, cfg.transmission_key, cfg.config_digest, er);
  const int position = pi.at(static_cast<std::size_t>(id));
  int sum = 0;
  const auto stages = cfg.schedule();
  for (std::size_t k = 0; k < stages.size(); ++k) {
    sum += stages[k];
    if (position < sum) return cfg.delta_stage * static_cast<std::int64_t>(k);
  }
  return std::nullopt;
}

TransmissionQueue::TransmissionQueue(const OcrConfig& cfg, OracleId self) : cfg_(&cfg), self_(self) {}

bool TransmissionQueue::should_transmit(const TransmitEvent& ev, const ContractView& contract) const {
  const EpochRound er = ev.epoch_round();
  if (!(contract.latest < er)) return false;  // stale
  if (!latest_) return true;
  if (er <= *latest_) return false;  // older than (or the same as) what this oracle already queued
  const bool nothing_pending = *latest_ <= contract.latest;
  return nothing_pending || deviates(latest_median_, report_median(ev.report.observations), cfg_->alpha_ppb);
}

bool TransmissionQueue::on_transmit_event(const TransmitEvent& ev, const ContractView& contract, sim::Time now) {
  if (contract.config_digest != cfg_->config_digest || ev.report.observations.empty()) return false;
  if (cfg_->version == OcrVersion::ocr2) {
    if (!median_should_accept(*cfg_, accept_, ev.epoch_round(), report_median(ev.report.observations), contract)) return false;
  } else if (!should_transmit(ev, contract)) {
    return false;
  }
  latest_ = ev.epoch_round();
  latest_median_ = report_median(ev.report.observations);
  const auto delay = transmit_delay(*cfg_, self_, ev.epoch_round());
  if (!delay) return false;
  pending_[{(now + *delay).ns(), ev.epoch_round().packed()}] = ev;
  return true;
}

TransmissionQueue::Fired TransmissionQueue::on_timer(const ContractView& contract, sim::Time now) {
  Fired fired;
  if (pending_.empty() || pending_.begin()->first.first > now.ns()) return fired;
  TransmitEvent ev = std::move(pending_.begin()->second);
  pending_.erase(pending_.begin());
  fired.epoch_round = ev.epoch_round();
  if (!median_should_transmit(*cfg_, ev.epoch_round(), contract)) {  // OCR1 drops a stale report the same way
    fired.dropped_stale = true;
    return fired;
  }
  fired.send = std::move(ev);
  return fired;
}

std::optional<sim::Time> TransmissionQueue::next_due() const {
  if (pending_.empty()) return std::nullopt;
  return sim::Time::from_ns(pending_.begin()->first.first);
}

}  // namespace models::ocr
