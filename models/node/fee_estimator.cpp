#include "models/node/fee_estimator.hpp"

#include <algorithm>

namespace models::node {

namespace {
chain::Wei add_percent(chain::Wei v, std::uint32_t pct) {
  const chain::Amount r = chain::Amount{v} * (100 + pct) / 100;
  return r > ~chain::Wei{0} ? ~chain::Wei{0} : static_cast<chain::Wei>(r);
}
chain::Wei sat_add(chain::Wei a, chain::Wei b) { return a > ~chain::Wei{0} - b ? ~chain::Wei{0} : a + b; }
}  // namespace

void BlockHistoryEstimator::on_block(std::uint64_t number, chain::Wei base_fee,
                                     std::shared_ptr<const std::vector<chain::Wei>> tips) {
  tip_estimate_.reset();
  while (size_ != 0 && at(size_ - 1).number >= number) at(--size_).tips.reset();  // a reorg replaces the tail
  if (ring_.empty()) return;  // no history kept
  if (size_ == ring_.size()) {  // full: the oldest goes
    head_ = static_cast<std::uint32_t>((head_ + 1) % ring_.size());
    --size_;
  }
  at(size_++) = Entry{number, base_fee, std::move(tips)};
}

chain::Wei BlockHistoryEstimator::tip_estimate() const {
  if (!tip_estimate_) tip_estimate_ = compute_tip_estimate();  // the history changes only in on_block() and reset()
  return *tip_estimate_;
}

namespace {
// The last tip estimate computed on this thread, with what it was computed from: every node's estimator holds the same
// few blocks (their tip lists are shared and immutable, and the memo holds them, so the same lists are the same tips)
// and asks the same question after each block. A cache of a pure function: a hit answers what computing would.
struct TipMemo {
  std::vector<std::shared_ptr<const std::vector<chain::Wei>>> tips;
  std::uint32_t percentile = 0;
  chain::Wei tip_cap_min = 0, tip_cap_default = 0;
  chain::Wei estimate = 0;
};
thread_local TipMemo tip_memo;
}  // namespace

chain::Wei BlockHistoryEstimator::compute_tip_estimate() const {
  TipMemo& m = tip_memo;
  bool hit = m.tips.size() == size_ && m.percentile == cfg_.transaction_percentile &&
             m.tip_cap_min == cfg_.tip_cap_min && m.tip_cap_default == cfg_.tip_cap_default;
  for (std::size_t i = 0; i < size_ && hit; ++i) hit = at(i).tips == m.tips[i];
  if (hit) return m.estimate;
  std::vector<chain::Wei> all;
  for (std::size_t i = 0; i < size_; ++i) all.insert(all.end(), at(i).tips->begin(), at(i).tips->end());
  chain::Wei estimate;
  if (all.empty()) {
    estimate = std::max(cfg_.tip_cap_default, cfg_.tip_cap_min);
  } else {
    // The element at the percentile's index of the sorted tips; a partial selection gives the one the sort would.
    const auto pick = all.begin() + static_cast<std::ptrdiff_t>((all.size() - 1) * cfg_.transaction_percentile / 100);
    std::nth_element(all.begin(), pick, all.end());
    estimate = std::max(*pick, cfg_.tip_cap_min);
  }
  m.tips.clear();
  for (std::size_t i = 0; i < size_; ++i) m.tips.push_back(at(i).tips);
  m.percentile = cfg_.transaction_percentile;
  m.tip_cap_min = cfg_.tip_cap_min;
  m.tip_cap_default = cfg_.tip_cap_default;
  m.estimate = estimate;
  return estimate;
}

chain::Wei BlockHistoryEstimator::fee_cap_for(chain::Wei tip) const {
  // Integer form of base * 1.125^k: multiply by 9/8 k times (rounding down each time).
  chain::Amount base = latest_base_fee();
  for (std::uint32_t i = 0; i < cfg_.effective_buffer_blocks() && base <= cfg_.price_max; ++i) base = base * 9 / 8;
  const chain::Amount cap = base + tip;
  return cap > cfg_.price_max ? cfg_.price_max : static_cast<chain::Wei>(cap);
}

Fee BlockHistoryEstimator::estimate() const {
  if (cfg_.mode == GasEstimatorMode::fixed_price) {
    const chain::Wei cap = cfg_.bump_threshold == 0 ? cfg_.price_max : std::min(cfg_.fee_cap_default, cfg_.price_max);
    return Fee{cap, std::min(cfg_.tip_cap_default, cap)};
  }
  const chain::Wei tip = std::min(tip_estimate(), cfg_.price_max);
  return Fee{std::max(fee_cap_for(tip), tip), tip};
}

std::optional<Fee> BlockHistoryEstimator::bump(const Fee& original) const {
  if (original.fee_cap >= cfg_.price_max) return std::nullopt;
  const bool history = cfg_.mode == GasEstimatorMode::block_history;
  chain::Wei tip = std::max(add_percent(original.tip_cap, cfg_.bump_percent), sat_add(original.tip_cap, cfg_.bump_min));
  if (history) tip = std::max(tip, tip_estimate());
  chain::Wei cap = std::max(add_percent(original.fee_cap, cfg_.bump_percent), sat_add(original.fee_cap, cfg_.bump_min));
  if (history) cap = std::max(cap, fee_cap_for(tip));
  cap = std::min(cap, cfg_.price_max);
  tip = std::min(tip, cap);
  return Fee{cap, tip};
}

}  // namespace models::node
