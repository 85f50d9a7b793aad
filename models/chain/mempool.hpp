#pragma once
// The pending-transaction pool: per-sender nonce order, ordering by effective tip, replacement of a pending
// (sender, nonce) only by a sufficiently higher fee. Pure: no scheduler; the chain calls it.
//
// Rules (go-ethereum's txpool, cited as assumptions where the facts file is silent):
// - A tx whose nonce is below the sender's account nonce is rejected ("nonce too low").
// - Replacing a pending (sender, nonce) needs a strictly higher fee cap and tip, each at least
//   old * (100 + bump) / 100 (geth PriceBump 10%: assumption); otherwise "replacement transaction underpriced".
// - A tx is includable when its nonce is the sender's next, it is visible to the builder, and
//   max_fee >= base fee. Block building repeatedly takes the includable tx with the highest effective tip
//   (ties: earliest submission), skipping a sender whose head does not fit.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/chain/execution.hpp"
#include "sim/time.hpp"

namespace models::chain {

struct PendingTx {
  TxHash hash{};
  Transaction tx;
  sim::Time submitted{};   // when this hash was first submitted
  sim::Time visible_at{};  // when the block builder first sees it
  std::uint64_t seq = 0;   // arrival order, breaks tip ties
};

class Mempool {
 public:
  explicit Mempool(std::uint32_t replacement_bump_percent = 10) : bump_percent_(replacement_bump_percent) {}

  struct AddResult {
    bool ok = false;
    std::string error;                 // why it was rejected
    std::optional<PendingTx> replaced; // the tx it replaced, if any
  };
  // Adds `p` given the sender's current account nonce.
  AddResult add(PendingTx p, std::uint64_t account_nonce);

  // Whether `next` may replace `old` under the bump rule.
  bool can_replace(const Transaction& old, const Transaction& next) const;

  // Tells whether a candidate fits in the block: (tx, gas already taken by earlier selected txs).
  using FitsFn = std::function<bool(const PendingTx&, Gas taken)>;
  using NonceFn = std::function<std::uint64_t(Address)>;
  // Removes and returns, in inclusion order, the txs for a block with `base_fee` built at `now`.
  // Gas is budgeted by each tx's gas limit.
  std::vector<PendingTx> take_block(Wei base_fee, sim::Time now, const NonceFn& account_nonce, const FitsFn& fits);

  // Removes every tx of `sender` with nonce < account_nonce (made obsolete by an inclusion) and returns them.
  std::vector<PendingTx> remove_below(Address sender, std::uint64_t account_nonce);
  // Removes one tx by hash (returns it if present).
  std::optional<PendingTx> remove(TxHash h);

  const PendingTx* find(TxHash h) const;
  const PendingTx* find(Address sender, std::uint64_t nonce) const;
  // Pending txs of `sender` in nonce order.
  std::vector<const PendingTx*> from(Address sender) const;
  // The next nonce after the sender's consecutive pending txs starting at account_nonce (eth "pending" nonce).
  std::uint64_t pending_nonce(Address sender, std::uint64_t account_nonce) const;
  std::size_t size() const { return index_.size(); }

 private:
  std::uint32_t bump_percent_;
  std::map<Address, std::map<std::uint64_t, PendingTx>> by_sender_;
  std::map<TxHash, std::pair<Address, std::uint64_t>> index_;
};

}  // namespace models::chain
