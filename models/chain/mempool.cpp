#include "models/chain/mempool.hpp"

#include <set>
#include <tuple>

#include "models/chain/base_fee.hpp"

namespace models::chain {

bool Mempool::can_replace(const Transaction& old, const Transaction& next) const {
  if (next.max_fee <= old.max_fee || next.max_priority_fee <= old.max_priority_fee) return false;
  const Amount fee_threshold = Amount{old.max_fee} * (100 + bump_percent_) / 100;
  const Amount tip_threshold = Amount{old.max_priority_fee} * (100 + bump_percent_) / 100;
  return next.max_fee >= fee_threshold && next.max_priority_fee >= tip_threshold;
}

Mempool::AddResult Mempool::add(PendingTx p, std::uint64_t account_nonce) {
  AddResult r;
  const Address sender = p.tx.from;
  const std::uint64_t nonce = p.tx.nonce;
  if (nonce < account_nonce) {
    r.error = "nonce too low";
    return r;
  }
  auto& queue = by_sender_[sender];
  const auto it = queue.find(nonce);
  if (it != queue.end()) {
    if (!can_replace(it->second.tx, p.tx)) {
      r.error = "replacement transaction underpriced";
      return r;
    }
    index_.erase(it->second.hash);
    r.replaced = std::move(it->second);
    queue.erase(it);
  }
  index_[p.hash] = {sender, nonce};
  queue.emplace(nonce, std::move(p));
  r.ok = true;
  return r;
}

std::vector<PendingTx> Mempool::take_block(Wei base_fee, sim::Time now, const NonceFn& account_nonce,
                                           const FitsFn& fits) {
  // Candidates: (tip desc, seq asc) -> sender. One head per sender at a time.
  using Key = std::tuple<Wei, std::uint64_t, Address>;  // (-tip encoded as max - tip, seq, sender)
  std::set<Key> heads;
  std::map<Address, std::uint64_t> next_nonce;
  auto push_head = [&](Address sender) {
    const auto qit = by_sender_.find(sender);
    if (qit == by_sender_.end()) return;
    const auto eit = qit->second.find(next_nonce[sender]);
    if (eit == qit->second.end()) return;
    const PendingTx& p = eit->second;
    if (p.visible_at > now || p.tx.max_fee < base_fee) return;
    const Wei tip = effective_tip(p.tx.max_fee, p.tx.max_priority_fee, base_fee);
    heads.emplace(~tip, p.seq, sender);
  };
  for (const auto& [sender, queue] : by_sender_) {
    if (queue.empty()) continue;
    next_nonce[sender] = account_nonce(sender);
    push_head(sender);
  }
  std::vector<PendingTx> out;
  Gas taken = 0;
  while (!heads.empty()) {
    const Address sender = std::get<2>(*heads.begin());
    heads.erase(heads.begin());
    auto& queue = by_sender_[sender];
    const auto eit = queue.find(next_nonce[sender]);
    if (!fits(eit->second, taken)) continue;  // this sender is done for this block
    taken += eit->second.tx.gas_limit;
    index_.erase(eit->second.hash);
    out.push_back(std::move(eit->second));
    queue.erase(eit);
    ++next_nonce[sender];
    push_head(sender);
  }
  std::erase_if(by_sender_, [](const auto& kv) { return kv.second.empty(); });
  return out;
}

std::vector<PendingTx> Mempool::remove_below(Address sender, std::uint64_t account_nonce) {
  std::vector<PendingTx> out;
  const auto qit = by_sender_.find(sender);
  if (qit == by_sender_.end()) return out;
  auto& queue = qit->second;
  while (!queue.empty() && queue.begin()->first < account_nonce) {
    index_.erase(queue.begin()->second.hash);
    out.push_back(std::move(queue.begin()->second));
    queue.erase(queue.begin());
  }
  if (queue.empty()) by_sender_.erase(qit);
  return out;
}

std::optional<PendingTx> Mempool::remove(TxHash h) {
  const auto it = index_.find(h);
  if (it == index_.end()) return std::nullopt;
  const auto [sender, nonce] = it->second;
  index_.erase(it);
  auto& queue = by_sender_[sender];
  PendingTx p = std::move(queue.at(nonce));
  queue.erase(nonce);
  if (queue.empty()) by_sender_.erase(sender);
  return p;
}

const PendingTx* Mempool::find(TxHash h) const {
  const auto it = index_.find(h);
  return it == index_.end() ? nullptr : find(it->second.first, it->second.second);
}

const PendingTx* Mempool::find(Address sender, std::uint64_t nonce) const {
  const auto qit = by_sender_.find(sender);
  if (qit == by_sender_.end()) return nullptr;
  const auto eit = qit->second.find(nonce);
  return eit == qit->second.end() ? nullptr : &eit->second;
}

std::vector<const PendingTx*> Mempool::from(Address sender) const {
  std::vector<const PendingTx*> out;
  const auto qit = by_sender_.find(sender);
  if (qit != by_sender_.end())
    for (const auto& [n, p] : qit->second) out.push_back(&p);
  return out;
}

std::uint64_t Mempool::pending_nonce(Address sender, std::uint64_t account_nonce) const {
  std::uint64_t n = account_nonce;
  const auto qit = by_sender_.find(sender);
  if (qit == by_sender_.end()) return n;
  while (qit->second.count(n) != 0) ++n;
  return n;
}

}  // namespace models::chain
