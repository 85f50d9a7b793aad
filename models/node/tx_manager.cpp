#include "models/node/tx_manager.hpp"

#include <utility>

namespace models::node {

TxManager::TxManager(sim::Simulation& /*sim*/, chain::Chain& chain, chain::Address key, const NodeConfig& cfg)
    : chain_(chain), estimator_(cfg.gas), key_(key), cfg_(cfg) {
  block_conn_ = chain_.block_produced.connect([this](const chain::Block& b) { on_block(b); });
  receipt_conn_ = chain_.tx_included_from(key_).connect([this](const chain::Receipt& r) { on_receipt(r); });
  reorg_conn_ = chain_.reorged.connect([this](const chain::Reorg& rg) { on_reorg(rg); });
  next_nonce_ = chain_.pending_nonce(key_);
  load_history();
}

void TxManager::load_history() {
  estimator_.reset();
  const auto& blocks = chain_.recent_blocks();
  const std::size_t n = std::min<std::size_t>(blocks.size(), cfg_.gas.block_history_size);
  for (std::size_t i = blocks.size() - n; i < blocks.size(); ++i)
    estimator_.on_block(blocks[i].number, blocks[i].base_fee, blocks[i].tips);
}

bool TxManager::send(TxRequest req, ReceiptCallback on_included) {
  if (up_ && (!queue_.empty() || unconfirmed() >= cfg_.max_in_flight)) {
    if (queue_.size() >= cfg_.max_queued) {
      send_failed.emit(TxSendError{key_, next_nonce_, req.label, "queue full"});
      return false;
    }
    queue_.emplace_back(std::move(req), std::move(on_included));
    return true;
  }
  return broadcast(std::move(req), std::move(on_included));
}

void TxManager::drain_queue() {
  while (up_ && !queue_.empty() && unconfirmed() < cfg_.max_in_flight) {
    auto [req, cb] = std::move(queue_.front());
    queue_.pop_front();
    broadcast(std::move(req), std::move(cb));
  }
}

bool TxManager::broadcast(TxRequest req, ReceiptCallback on_included) {
  chain::Transaction tx;
  tx.from = key_;
  tx.to = req.to;
  tx.nonce = next_nonce_;
  tx.gas_limit = req.gas_limit != 0 ? req.gas_limit : cfg_.default_gas_limit;
  tx.calldata = req.calldata;
  tx.call = std::move(req.call);
  tx.label = std::move(req.label);
  if (!up_) {
    send_failed.emit(TxSendError{key_, tx.nonce, tx.label, "node is down"});
    return false;
  }
  const Fee fee = estimator_.estimate();
  tx.max_fee = fee.fee_cap;
  tx.max_priority_fee = fee.tip_cap;
  const chain::SubmitResult r = chain_.submit(tx);
  if (!r.accepted) {
    send_failed.emit(TxSendError{key_, tx.nonce, tx.label, r.error});
    return false;
  }
  ++next_nonce_;
  InFlight f{std::move(tx), r.hash, 0, chain_.head_number(), 0, std::move(on_included)};
  attempt_sent.emit(TxAttempt{key_, f.tx.nonce, r.hash, fee, 0, f.broadcast_block, f.tx.label});
  inflight_.emplace(f.tx.nonce, std::move(f));
  return true;
}

std::size_t TxManager::unconfirmed() const {
  std::size_t n = 0;
  for (const auto& [nonce, f] : inflight_) n += f.included_block == 0;
  return n;
}

void TxManager::on_block(const chain::Block& b) {
  if (!up_) return;
  estimator_.on_block(b.number, b.base_fee, b.tips);
  const std::uint64_t finalized = chain_.finalized_number();
  for (auto it = inflight_.begin(); it != inflight_.end();) {
    InFlight& f = it->second;
    if (f.included_block != 0 && f.included_block <= finalized) {
      it = inflight_.erase(it);
      continue;
    }
    if (f.included_block == 0 && cfg_.gas.bump_threshold > 0 && b.number >= f.broadcast_block + cfg_.gas.bump_threshold)
      try_bump(it->first, f);
    ++it;
  }
}

void TxManager::try_bump(std::uint64_t nonce, InFlight& f) {
  const auto bumped = estimator_.bump(Fee{f.tx.max_fee, f.tx.max_priority_fee});
  if (!bumped) return;  // at the fee cap: keep waiting
  chain::Transaction tx = f.tx;
  tx.max_fee = bumped->fee_cap;
  tx.max_priority_fee = bumped->tip_cap;
  const chain::SubmitResult r = chain_.submit(tx);
  if (!r.accepted) {
    // E.g. a capped bump under 10% is underpriced; "nonce too low" means an attempt was just included.
    send_failed.emit(TxSendError{key_, nonce, tx.label, r.error});
    f.broadcast_block = chain_.head_number();
    return;
  }
  f.tx = std::move(tx);
  f.hash = r.hash;
  ++f.bumps;
  f.broadcast_block = chain_.head_number();
  attempt_sent.emit(TxAttempt{key_, nonce, r.hash, *bumped, f.bumps, f.broadcast_block, f.tx.label});
}

void TxManager::on_receipt(const chain::Receipt& r) {
  if (!up_ || r.from != key_) return;
  const auto it = inflight_.find(r.nonce);
  if (it == inflight_.end()) {
    included.emit(r);
    return;
  }
  it->second.included_block = r.block_number;
  it->second.hash = r.hash;
  included.emit(r);
  if (it->second.on_included) {
    const ReceiptCallback cb = it->second.on_included;  // the callback may send more txs
    cb(r);
  }
  drain_queue();
}

void TxManager::on_reorg(const chain::Reorg& rg) {
  if (!up_) return;
  for (const auto& r : rg.undone) {
    if (r.from != key_) continue;
    const auto it = inflight_.find(r.nonce);
    if (it == inflight_.end()) continue;
    it->second.included_block = 0;
    it->second.broadcast_block = rg.common_ancestor;
  }
}

void TxManager::crash() {
  up_ = false;
  inflight_.clear();
  queue_.clear();
  estimator_.reset();
  next_nonce_ = 0;
}

void TxManager::restart() {
  up_ = true;
  next_nonce_ = chain_.pending_nonce(key_);
  load_history();
  inflight_.clear();
  for (const chain::PendingTx* p : chain_.pending_from(key_))
    inflight_.emplace(p->tx.nonce, InFlight{p->tx, p->hash, 0, chain_.head_number(), 0, {}});
}

}  // namespace models::node
