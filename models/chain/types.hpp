#pragma once
// Basic chain vocabulary: addresses, gas, wei, transaction hashes. Integers only (house rule: money and gas are
// integers). Per-transaction quantities (gas prices, fees of one tx) fit in 64 bits; balances and running totals
// (burned fees over a day, an account's ETH balance) use the 128-bit `Amount`.
#include <compare>
#include <cstdint>
#include <string>

namespace models::chain {

// Gas units.
using Gas = std::uint64_t;
// Wei per gas (prices) or wei of one transaction's fee. 2^64 wei = 18.4 ETH, ample for one transaction.
using Wei = std::uint64_t;
// Balances and totals in wei (or juels for LINK): 128-bit, so a day of burned base fees cannot overflow.
__extension__ using Amount = unsigned __int128;

inline constexpr Wei kGwei = 1'000'000'000;              // 1 gwei = 1e9 wei
inline constexpr Amount kEther = Amount{1'000'000'000} * 1'000'000'000;  // 1 ETH = 1e18 wei

// An amount in units of 1e18 (ETH for wei, LINK for juels), for reporting only (never fed back into results).
inline double to_units_1e18(Amount a) { return static_cast<double>(a) / 1e18; }
// Signed on-chain values (int192/int256 answers, observations): 128 bits, which hold an 18-decimal fixed-point
// price up to 1.7e20. Simplified: values beyond 128 bits, valid on chain, are not represented.
__extension__ using SignedWord = __int128;

// Decimal text of a 128-bit amount (fmt formats it too; this avoids pulling fmt/format.h into headers).
std::string to_string_amount(Amount a);
std::string to_string_signed(SignedWord v);
// x rounded half away from zero, saturating at the 128-bit range (NaN: 0).
SignedWord round_signed(double x);

// An account or contract address. Assigned by the chain in creation order (deterministic); 0 is "no address".
struct Address {
  std::uint64_t id = 0;
  constexpr bool is_zero() const { return id == 0; }
  friend constexpr auto operator<=>(Address, Address) = default;
};

// A transaction's identity, assigned by the chain at submission (a replacement gets a new hash).
struct TxHash {
  std::uint64_t id = 0;
  friend constexpr auto operator<=>(TxHash, TxHash) = default;
};

// A storage slot of a contract, for EIP-2929 warm/cold tracking. `slot` is any stable number the contract picks
// per storage variable and index (see slot_key()).
struct SlotKey {
  Address contract;
  std::uint64_t slot = 0;
  friend constexpr auto operator<=>(const SlotKey&, const SlotKey&) = default;
};

// A stable slot number for variable `var` (a small constant per storage variable) at index/key `index`
// (array index, mapping key such as an oracle's address id, round id). Distinct (var, index) pairs map to
// distinct slots for all indices < 2^48.
constexpr std::uint64_t slot_of(std::uint64_t var, std::uint64_t index = 0) { return (var << 48) ^ index; }

}  // namespace models::chain
