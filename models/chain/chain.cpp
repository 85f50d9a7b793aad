#include "models/chain/chain.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "sim/distributions.hpp"

namespace models::chain {

namespace {
constexpr std::size_t kMinBlockHistory = 256;  // blocks kept for lookups (fee history, confirmations)
}

Chain::Chain(sim::Simulation& sim, const ChainConfig& cfg)
    : sim_(sim),
      cfg_(cfg),
      rule_{cfg.elasticity_multiplier, cfg.base_fee_max_change_denominator},
      mempool_(cfg.replacement_bump_percent),
      demand_(cfg.demand, cfg.gas_limit, cfg.initial_base_fee),
      demand_rng_(sim.stream("chain/demand")),
      slot_rng_(sim.stream("chain/slots")),
      reorg_rng_(sim.stream("chain/reorg")),
      slot_timer_(sim, [this] { on_slot(); }, "chain/slot"),
      next_base_fee_(cfg.initial_base_fee) {}

void Chain::start() {
  if (started_) return;
  started_ = true;
  slot_timer_.arm_at(sim::Time::zero() + cfg_.slot_time());
}

Address Chain::create_account(std::string name, Amount balance) {
  const Address a = registry_.create_account(std::move(name));
  accounts_[a].balance = balance;
  return a;
}

Address Chain::deploy(std::string name, std::shared_ptr<Contract> contract) {
  const Address a = registry_.deploy(std::move(name), std::move(contract));
  accounts_[a];
  return a;
}

void Chain::fund(Address a, Amount wei) { account(a).balance += wei; }

Amount Chain::balance(Address a) const {
  const auto it = accounts_.find(a);
  return it == accounts_.end() ? 0 : it->second.balance;
}

std::uint64_t Chain::nonce(Address a) const {
  const auto it = accounts_.find(a);
  return it == accounts_.end() ? 0 : it->second.nonce;
}

std::uint64_t Chain::pending_nonce(Address a) const { return mempool_.pending_nonce(a, nonce(a)); }

Amount Chain::fees_paid(Address a) const {
  const auto it = accounts_.find(a);
  return it == accounts_.end() ? 0 : it->second.fees_paid;
}

SubmitResult Chain::submit(Transaction tx) {
  SubmitResult r;
  if (tx.max_priority_fee > tx.max_fee) {
    r.error = "max priority fee per gas higher than max fee per gas";
  } else if (tx.gas_limit < tx.intrinsic_gas()) {
    r.error = "intrinsic gas too low";
  } else if (tx.gas_limit > cfg_.gas_limit) {
    r.error = "exceeds block gas limit";
  } else if (balance(tx.from) < Amount{tx.gas_limit} * tx.max_fee) {
    r.error = "insufficient funds for gas * price";
  }
  if (!r.error.empty()) return r;
  const std::uint64_t account_nonce = nonce(tx.from);
  PendingTx p{TxHash{next_hash_}, std::move(tx), sim_.now(), sim_.now() + cfg_.propagation_delay, next_seq_};
  auto added = mempool_.add(std::move(p), account_nonce);
  if (!added.ok) {
    r.error = std::move(added.error);
    return r;
  }
  r.accepted = true;
  r.hash = TxHash{next_hash_++};
  ++next_seq_;
  states_[r.hash] = TxState::pending;
  if (added.replaced) {
    r.replaced = added.replaced->hash;
    drop(*added.replaced, "replaced", r.hash);
  }
  return r;
}

void Chain::drop(const PendingTx& p, std::string reason, TxHash by) {
  states_[p.hash] = reason == "replaced" ? TxState::replaced : TxState::dropped;
  tx_dropped.emit(TxDropped{p.hash, p.tx.from, p.tx.nonce, std::move(reason), by});
}

TxState Chain::state(TxHash h) const {
  const auto it = states_.find(h);
  return it == states_.end() ? TxState::unknown : it->second;
}

const Receipt* Chain::receipt(TxHash h) const {
  const auto it = receipts_.find(h);
  return it == receipts_.end() ? nullptr : &it->second;
}

const Block* Chain::block(std::uint64_t number) const {
  if (blocks_.empty() || number < blocks_.front().number || number > blocks_.back().number) return nullptr;
  return &blocks_[number - blocks_.front().number];
}

std::uint64_t Chain::confirmations(TxHash h) const {
  const Receipt* r = receipt(h);
  return r == nullptr ? 0 : head_number() - r->block_number + 1;
}

std::uint64_t Chain::finalized_number() const { return finalized_; }

void Chain::set_demand_multiplier(double m) { demand_multiplier_ = m < 0 ? 0 : m; }

std::uint64_t Chain::add_congestion(double m) {
  congestion_[next_congestion_] = m < 0 ? 0 : m;
  return next_congestion_++;
}

void Chain::remove_congestion(std::uint64_t id) { congestion_.erase(id); }

double Chain::demand_multiplier() const {
  double m = demand_multiplier_;
  for (const auto& [id, f] : congestion_) m *= f;
  return m;
}

void Chain::spike_base_fee(double factor) {
  const double v = std::round(static_cast<double>(next_base_fee_) * factor);
  next_base_fee_ = v < 1 ? 1 : (v > 1.8e19 ? static_cast<Wei>(1.8e19) : static_cast<Wei>(v));
}

void Chain::on_slot() {
  ++slot_index_;
  slot_timer_.arm_at(sim::Time::zero() + cfg_.slot_time() * static_cast<std::int64_t>(slot_index_ + 1));
  if (halted()) {
    ++halted_slots_;
    return;
  }
  if (sim::bernoulli(slot_rng_, cfg_.missed_slot_probability)) {
    ++missed_;
    return;
  }
  if (cfg_.reorg.probability > 0 && !undo_.empty() && sim::bernoulli(reorg_rng_, cfg_.reorg.probability)) {
    const auto depth = static_cast<std::size_t>(sim::uniform_int(reorg_rng_, 1, cfg_.reorg.max_depth));
    const std::size_t k = std::min(depth, undo_.size());
    std::vector<sim::Time> stamps;
    for (std::size_t i = blocks_.size() - k; i < blocks_.size(); ++i) stamps.push_back(blocks_[i].timestamp);
    undo_blocks(static_cast<std::uint32_t>(k));
    for (sim::Time t : stamps) produce_block(t);
  }
  produce_block(sim_.now());
}

void Chain::produce_block(sim::Time timestamp) {
  const bool keep_undo = cfg_.reorg.probability > 0;
  const Wei base = next_base_fee_;
  const BlockInfo info{next_number_, timestamp, base};
  Block b;
  b.number = next_number_;
  b.timestamp = timestamp;
  b.base_fee = base;
  b.gas_limit = cfg_.gas_limit;
  BlockUndo u;
  if (keep_undo) u = BlockUndo{accounts_, {}, burned_, priority_fees_, base, {}};

  const Gas demand = demand_.next(demand_rng_, base, demand_multiplier());
  b.background_demand = demand;
  const auto fits = [&](const PendingTx& p, Gas taken) {
    const Wei tip = effective_tip(p.tx.max_fee, p.tx.max_priority_fee, base);
    const double ahead_d = std::ceil(static_cast<double>(demand) * demand_.share_with_tip_above(tip));
    const Gas ahead = ahead_d >= static_cast<double>(cfg_.gas_limit) ? cfg_.gas_limit : static_cast<Gas>(ahead_d);
    return taken + p.tx.gas_limit + ahead <= cfg_.gas_limit;
  };
  std::vector<PendingTx> txs =
      mempool_.take_block(base, sim_.now(), [this](Address a) { return nonce(a); }, fits);

  std::vector<Receipt> receipts;
  std::vector<Wei> tips;
  Gas ours = 0;
  for (PendingTx& p : txs) {
    Account& acc = account(p.tx.from);
    if (acc.balance < Amount{p.tx.gas_limit} * p.tx.max_fee) {
      drop(p, "insufficient funds");
      continue;
    }
    if (acc.nonce != p.tx.nonce) {  // an earlier nonce of this sender was dropped: wait again
      const std::uint64_t n = acc.nonce;
      mempool_.add(std::move(p), n);
      continue;
    }
    ExecResult r = execute_transaction(registry_, p.tx, info);
    const Wei tip = effective_tip(p.tx.max_fee, p.tx.max_priority_fee, base);
    const Amount fee = Amount{r.gas_used} * (base + tip);
    acc.balance -= fee;
    acc.fees_paid += fee;
    ++acc.nonce;
    priority_fees_ += Amount{r.gas_used} * tip;
    ours += r.gas_used;
    if (keep_undo)
      for (auto& [addr, snap] : r.pre_state) {
        const Address a = addr;
        if (std::none_of(u.contracts.begin(), u.contracts.end(), [&](const auto& e) { return e.first == a; }))
          u.contracts.emplace_back(addr, std::move(snap));
      }
    Receipt rc;
    rc.hash = p.hash;
    rc.from = p.tx.from;
    rc.to = p.tx.to;
    rc.nonce = p.tx.nonce;
    rc.label = p.tx.label;
    rc.block_number = b.number;
    rc.block_time = timestamp;
    rc.index = static_cast<std::uint32_t>(b.txs.size());
    rc.submitted = p.submitted;
    rc.status = r.status;
    rc.revert_reason = std::move(r.revert_reason);
    rc.gas_limit = p.tx.gas_limit;
    rc.gas_used = r.gas_used;
    rc.base_fee = base;
    rc.effective_gas_price = base + tip;
    rc.priority_fee = tip;
    rc.breakdown = std::move(r.breakdown);
    rc.logs = std::move(r.logs);
    b.txs.push_back(p.hash);
    tips.push_back(tip);
    states_[p.hash] = TxState::included;
    receipts_[p.hash] = rc;
    receipts.push_back(std::move(rc));
    if (keep_undo) u.txs.push_back(std::move(p));
  }
  b.background_gas = std::min(demand, cfg_.gas_limit - std::min(ours, cfg_.gas_limit));
  b.gas_used = ours + b.background_gas;
  b.burned = Amount{b.gas_used} * base;
  burned_ += b.burned;
  if (b.background_gas > 0) {
    const auto sample = demand_.sample_tips(demand_rng_, cfg_.demand.tip_samples);
    tips.insert(tips.end(), sample.begin(), sample.end());
  }
  b.tips = std::make_shared<const std::vector<Wei>>(std::move(tips));
  next_base_fee_ = models::chain::next_base_fee(base, b.gas_used, b.gas_limit, rule_);
  ++next_number_;
  ++produced_;
  blocks_.push_back(std::move(b));
  while (blocks_.size() > std::max<std::size_t>(kMinBlockHistory, cfg_.finality_depth + 1)) blocks_.pop_front();
  if (keep_undo) {
    undo_.push_back(std::move(u));
    while (undo_.size() > cfg_.reorg.max_depth) undo_.pop_front();
  }

  for (const Receipt& rc : receipts) {
    tx_included.emit(rc);
    if (auto it = included_from_.find(rc.from); it != included_from_.end()) it->second.emit(rc);
    if (rc.status == TxStatus::success)
      for (const Log& l : rc.logs) log_emitted.emit(l, rc);
  }
  block_produced.emit(blocks_.back());
  const std::uint64_t head = head_number();
  while (head > cfg_.finality_depth && finalized_ < head - cfg_.finality_depth) block_finalized.emit(++finalized_);
}

void Chain::undo_blocks(std::uint32_t k) {
  Reorg rg;
  rg.old_head = head_number();
  for (std::uint32_t i = 0; i < k; ++i) {
    Block b = std::move(blocks_.back());
    BlockUndo u = std::move(undo_.back());
    blocks_.pop_back();
    undo_.pop_back();
    for (const auto& [addr, snap] : u.contracts) registry_.find(addr)->restore(snap);
    accounts_ = std::move(u.accounts);
    burned_ = u.burned;
    priority_fees_ = u.priority_fees;
    next_base_fee_ = u.base_fee;
    for (auto it = b.txs.rbegin(); it != b.txs.rend(); ++it) {
      const auto rit = receipts_.find(*it);
      rg.undone.push_back(std::move(rit->second));
      receipts_.erase(rit);
      states_[*it] = TxState::pending;
    }
    for (PendingTx& p : u.txs) {
      if (const PendingTx* clash = mempool_.find(p.tx.from, p.tx.nonce)) {
        const PendingTx gone = *clash;
        mempool_.remove(gone.hash);
        drop(gone, "replaced", p.hash);
      }
      const std::uint64_t n = nonce(p.tx.from);
      mempool_.add(std::move(p), n);
    }
    --next_number_;
  }
  std::reverse(rg.undone.begin(), rg.undone.end());
  rg.common_ancestor = head_number();
  reorged.emit(rg);
}

}  // namespace models::chain
