#pragma once
// The LINK token (ERC-20 + ERC-677, after the LinkToken contract), a models::chain contract. Balances in juels
// (1 LINK = 1e18 juels). transferAndCall(to, value, data) moves the tokens and then, in the same transaction, calls
// onTokenTransfer(sender, value, data) on `to`; a revert in the receiver
// propagates and the chain undoes the whole transaction (both the transfer and the receiver's effects).
//
// Gas: each balance is one storage slot (SLOAD/SSTORE with EIP-2929/2200 rules through the GasMeter), a Transfer
// log (3 topics, 32 data bytes; transferAndCall's ERC-677 Transfer adds the data bytes), a call overhead, and the
// receiver call's account access. ERC-20 allowances: approve(spender, value) sets one slot and emits Approval;
// transferFrom(from, to, value) by the spender spends the allowance (always, as LINK's StandardToken does, even
// from the largest allowance, `kUnlimited`).
// Simplified: transferAndCall to an address that is not a TokenReceiver contract reverts (the original just
// transfers to an account without code); the supply is minted to accounts at set-up (mint(), not a transaction);
// `data` is a typed payload with its ABI size rather than raw bytes.
#include <any>
#include <cstdint>
#include <map>
#include <utility>

#include "models/chain/execution.hpp"

namespace models::contracts {

using Juels = chain::Amount;  // LINK amounts in juels (1 LINK = 1e18 juels)

// The `bytes data` of transferAndCall: a typed payload the receiver understands, and its ABI-encoded size.
struct TokenCallData {
  std::any payload;              // e.g. an OracleRequestCall for the Operator
  std::uint64_t size_bytes = 0;  // encoded size of the bytes (calldata + log data gas)
};

// A contract that accepts ERC-677 transfers (onTokenTransfer). Throw chain::Revert to refuse.
class TokenReceiver {
 public:
  virtual ~TokenReceiver() = default;
  virtual void on_token_transfer(chain::ExecContext& c, chain::Address from, Juels amount, const TokenCallData& data) = 0;
};

struct TransferEvent {
  chain::Address from{};
  chain::Address to{};
  Juels value = 0;
};

struct ApprovalEvent {
  chain::Address owner{};
  chain::Address spender{};
  Juels value = 0;
};

struct LinkState {
  std::map<chain::Address, Juels> balances;
  std::map<std::pair<chain::Address, chain::Address>, Juels> allowances;  // (owner, spender) -> juels
  Juels total_supply = 0;
};

// Execution cost of a token function beyond its storage, logs and calls (assumption: dispatch, ABI decoding,
// SafeMath and jumps of the original, not measured).
inline constexpr chain::Gas kTokenCallOverheadGas = 1'500;

class LinkToken : public chain::StatefulContract<LinkState> {
 public:
  // The largest allowance (type(uint256).max in the contract; juels are 128-bit in the model).
  static constexpr Juels kUnlimited = ~Juels{0};

  // Set-up only (not a transaction): creates `amount` juels on `to`.
  void mint(chain::Address to, Juels amount);
  // Set-up only (not a transaction): owner approves spender (a constructor's approve, e.g. the FeeManager's).
  void set_allowance(chain::Address owner, chain::Address spender, Juels value) { state_.allowances[{owner, spender}] = value; }
  // approve(spender, value) by msg.sender: replaces the allowance.
  void approve(chain::ExecContext& c, chain::Address spender, Juels value);
  // transferFrom(from, to, value) by msg.sender (the spender): reverts if the allowance or the balance is short.
  void transfer_from(chain::ExecContext& c, chain::Address from, chain::Address to, Juels value);
  static chain::Calldata approve_calldata();

  // transfer(to, value) from msg.sender. Reverts on insufficient balance or to == 0.
  void transfer(chain::ExecContext& c, chain::Address to, Juels value);
  // transferAndCall(to, value, data): transfer, then onTokenTransfer(msg.sender, value, data) on `to` (which must
  // be a TokenReceiver). Any revert reverts the whole call.
  void transfer_and_call(chain::ExecContext& c, chain::Address to, Juels value, const TokenCallData& data);

  static chain::Calldata transfer_calldata();
  static chain::Calldata transfer_and_call_calldata(std::uint64_t data_bytes);

  // Views (eth_call).
  Juels balance_of(chain::Address a) const;
  Juels allowance(chain::Address owner, chain::Address spender) const;
  // balanceOf(a) as a call: charges the read of its balance slot.
  Juels read_balance(chain::ExecContext& c, chain::Address a) const;
  Juels total_supply() const { return state_.total_supply; }

 private:
  void move(chain::ExecContext& c, chain::Address from, chain::Address to, Juels value);
};

}  // namespace models::contracts
