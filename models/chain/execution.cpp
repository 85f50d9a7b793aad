#include "models/chain/execution.hpp"

#include "models/chain/base_fee.hpp"

#include <algorithm>
#include <stdexcept>

namespace models::chain {

const char* to_string(TxStatus s) {
  switch (s) {
    case TxStatus::success: return "success";
    case TxStatus::reverted: return "reverted";
    case TxStatus::out_of_gas: return "out_of_gas";
  }
  return "?";
}

Address ContractRegistry::create_account(std::string name) {
  names_.push_back(std::move(name));
  return Address{names_.size()};
}

Address ContractRegistry::deploy(std::string name, std::shared_ptr<Contract> contract) {
  if (!contract) throw std::invalid_argument("ContractRegistry::deploy: null contract '" + name + "'");
  const Address a = create_account(std::move(name));
  contract->address_ = a;
  contracts_.emplace(a, std::move(contract));
  return a;
}

Contract* ContractRegistry::find(Address a) const {
  const auto it = contracts_.find(a);
  return it == contracts_.end() ? nullptr : it->second.get();
}

const std::string& ContractRegistry::name(Address a) const {
  static const std::string kUnknown = "<unknown>";
  if (a.id == 0 || a.id > names_.size()) return kUnknown;
  return names_[a.id - 1];
}

ExecContext::ExecContext(const ContractRegistry& reg, GasMeter& gas, const BlockInfo& block, Address origin, Address to,
                         Wei gas_price)
    : registry_(reg), gas_(gas), block_(block), origin_(origin), gas_price_(gas_price) {
  frames_.push_back(Frame{origin, to, {}, 0});
}

void ExecContext::enter(Address a) {
  Contract* c = registry_.find(a);
  if (c == nullptr) return;
  auto& j = frames_.back().journal;
  for (const auto& [addr, snap] : j)
    if (addr == a) return;
  j.emplace_back(a, c->save());
}

void ExecContext::undo(Frame& f) {
  for (auto it = f.journal.rbegin(); it != f.journal.rend(); ++it) registry_.find(it->first)->restore(it->second);
  logs_.resize(std::min(logs_.size(), f.log_mark));
}

void ExecContext::merge_into_parent() {
  Frame child = std::move(frames_.back());
  frames_.pop_back();
  auto& pj = frames_.back().journal;
  for (auto& entry : child.journal) {
    const bool known = std::any_of(pj.begin(), pj.end(), [&](const auto& e) { return e.first == entry.first; });
    if (!known) pj.push_back(std::move(entry));
  }
}

void ExecContext::emit(Log log) {
  gas_.log(log.topics, log.data_bytes);
  log.emitter = self();
  logs_.push_back(std::move(log));
}

ExecContext::CallOutcome ExecContext::call(Address callee, const CallFn& fn, bool catch_revert) {
  gas_.account(callee);
  if (registry_.find(callee) == nullptr) revert("call to an address without code");
  frames_.push_back(Frame{self(), callee, {}, logs_.size()});
  enter(callee);
  try {
    fn(*this);
  } catch (const Revert& r) {
    if (!catch_revert) {
      merge_into_parent();
      throw;
    }
    undo(frames_.back());
    frames_.pop_back();
    return CallOutcome{false, r.what()};
  } catch (...) {
    merge_into_parent();
    throw;
  }
  merge_into_parent();
  return {};
}

void ExecContext::run_root(const CallFn& fn) {
  enter(self());
  fn(*this);
}

void ExecContext::undo_all() {
  while (frames_.size() > 1) merge_into_parent();
  undo(frames_.back());
  logs_.clear();
}

std::vector<std::pair<Address, Snapshot>> ExecContext::take_pre_state() {
  while (frames_.size() > 1) merge_into_parent();
  return std::move(frames_.back().journal);
}

ExecResult execute_transaction(const ContractRegistry& reg, const Transaction& tx, const BlockInfo& block) {
  ExecResult r;
  GasMeter meter(tx.gas_limit);
  try {
    meter.charge(gas::kTxBase, "intrinsic");
    meter.calldata(tx.calldata);
  } catch (const OutOfGas&) {
    // The chain rejects such txs at submission; kept for direct callers.
    r.status = TxStatus::out_of_gas;
    r.revert_reason = "intrinsic gas too low";
    r.gas_used = meter.used();
    r.breakdown = meter.breakdown();
    return r;
  }
  meter.warm_account(tx.from);  // EIP-2929: sender and recipient start warm
  meter.warm_account(tx.to);
  if (tx.call) {
    ExecContext ctx(reg, meter, block, tx.from, tx.to, effective_gas_price(tx.max_fee, tx.max_priority_fee, block.base_fee));
    try {
      ctx.run_root(tx.call);
      r.logs = ctx.take_logs();
    } catch (const ExecutionFailure& f) {
      ctx.undo_all();
      r.status = f.kind() == ExecutionFailure::Kind::out_of_gas ? TxStatus::out_of_gas : TxStatus::reverted;
      r.revert_reason = f.what();
    }
    r.pre_state = ctx.take_pre_state();
  }
  switch (r.status) {
    case TxStatus::success: r.gas_used = meter.gas_used_after_refund(); break;
    case TxStatus::reverted: r.gas_used = meter.used(); break;
    case TxStatus::out_of_gas:
      meter.exhaust("out_of_gas");
      r.gas_used = meter.limit();
      break;
  }
  r.breakdown = meter.breakdown();
  return r;
}

}  // namespace models::chain
