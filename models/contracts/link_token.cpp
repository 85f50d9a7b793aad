#include "models/contracts/link_token.hpp"

#include "sim/hash.hpp"

namespace models::contracts {
namespace {
enum Var : std::uint64_t { kBalance = 1, kAllowance };
// A stable non-zero fingerprint of a 128-bit balance (0 for 0), for GasMeter::sstore.
std::uint64_t fp(Juels v) {
  const auto lo = static_cast<std::uint64_t>(v);
  const auto hi = static_cast<std::uint64_t>(v >> 64);
  return v == 0 ? 0 : ((lo ^ (hi * 0x9e3779b97f4a7c15ULL)) | 1);
}
// allowance[owner][spender]: a nested mapping, one slot per pair.
std::uint64_t allowance_slot(chain::Address owner, chain::Address spender) {
  return chain::slot_of(kAllowance, sim::hash_combine(owner.id, spender.id) & ((std::uint64_t{1} << 48) - 1));
}
}  // namespace

void LinkToken::mint(chain::Address to, Juels amount) {
  state_.balances[to] += amount;
  state_.total_supply += amount;
}

Juels LinkToken::balance_of(chain::Address a) const {
  const auto it = state_.balances.find(a);
  return it == state_.balances.end() ? 0 : it->second;
}

Juels LinkToken::allowance(chain::Address owner, chain::Address spender) const {
  const auto it = state_.allowances.find({owner, spender});
  return it == state_.allowances.end() ? 0 : it->second;
}

chain::Calldata LinkToken::approve_calldata() { return chain::CalldataBuilder{}.selector().address().bytes32().build(); }

void LinkToken::approve(chain::ExecContext& c, chain::Address spender, Juels value) {
  const chain::Address owner = c.sender();
  c.gas().charge(kTokenCallOverheadGas, "link/overhead");
  const chain::SlotKey key{address(), allowance_slot(owner, spender)};
  c.gas().sstore(key, fp(allowance(owner, spender)), fp(value));
  state_.allowances[{owner, spender}] = value;
  c.emit({.event = "Approval", .topics = 3, .data_bytes = 32, .payload = ApprovalEvent{owner, spender, value}});
}

void LinkToken::transfer_from(chain::ExecContext& c, chain::Address from, chain::Address to, Juels value) {
  const chain::Address spender = c.sender();
  const chain::SlotKey key{address(), allowance_slot(from, spender)};
  c.gas().sload(key);
  const Juels allowed = allowance(from, spender);
  c.require(allowed >= value, "transfer amount exceeds allowance");
  move(c, from, to, value);
  c.gas().sstore(key, fp(allowed), fp(allowed - value));
  state_.allowances[{from, spender}] = allowed - value;
  c.emit({.event = "Transfer", .topics = 3, .data_bytes = 32, .payload = TransferEvent{from, to, value}});
}

chain::Calldata LinkToken::transfer_calldata() { return chain::CalldataBuilder{}.selector().address().bytes32().build(); }

chain::Calldata LinkToken::transfer_and_call_calldata(std::uint64_t data_bytes) {
  // selector, to, value, offset of bytes, length, the bytes padded to words (assumed mostly non-zero).
  const std::uint64_t padded = (data_bytes + 31) / 32 * 32;
  return chain::CalldataBuilder{}.selector().address().bytes32().uint(96).uint(data_bytes).raw(padded - data_bytes, data_bytes).build();
}

void LinkToken::move(chain::ExecContext& c, chain::Address from, chain::Address to, Juels value) {
  c.gas().charge(kTokenCallOverheadGas, "link/overhead");
  c.require(!to.is_zero(), "transfer to the zero address");
  const chain::SlotKey from_slot{address(), chain::slot_of(kBalance, from.id)};
  const chain::SlotKey to_slot{address(), chain::slot_of(kBalance, to.id)};
  c.gas().sload(from_slot);
  const Juels from_bal = balance_of(from);
  c.require(from_bal >= value, "transfer amount exceeds balance");
  c.gas().sstore(from_slot, fp(from_bal), fp(from_bal - value));
  state_.balances[from] = from_bal - value;
  c.gas().sload(to_slot);
  const Juels to_bal = balance_of(to);
  c.gas().sstore(to_slot, fp(to_bal), fp(to_bal + value));
  state_.balances[to] = to_bal + value;
}

void LinkToken::transfer(chain::ExecContext& c, chain::Address to, Juels value) {
  const chain::Address from = c.sender();
  move(c, from, to, value);
  c.emit({.event = "Transfer", .topics = 3, .data_bytes = 32, .payload = TransferEvent{from, to, value}});
}

Juels LinkToken::read_balance(chain::ExecContext& c, chain::Address a) const {
  c.gas().sload({address(), chain::slot_of(kBalance, a.id)});
  return balance_of(a);
}

void LinkToken::transfer_and_call(chain::ExecContext& c, chain::Address to, Juels value, const TokenCallData& data) {
  const chain::Address from = c.sender();
  // ERC677Token.transferAndCall: super.transfer (the ERC-20 Transfer log), then the ERC-677 Transfer log with data.
  move(c, from, to, value);
  c.emit({.event = "Transfer", .topics = 3, .data_bytes = 32, .payload = TransferEvent{from, to, value}});
  const std::uint64_t padded = (data.size_bytes + 31) / 32 * 32;
  c.emit({.event = "Transfer", .topics = 3, .data_bytes = 32 + 64 + padded, .payload = TransferEvent{from, to, value}});
  // ERC-677 contractFallback (the call charges the account access; no code or no receiver reverts).
  c.call(to, [&](chain::ExecContext& cc) { cc.self_as<TokenReceiver>().on_token_transfer(cc, from, value, data); });
}

}  // namespace models::contracts
