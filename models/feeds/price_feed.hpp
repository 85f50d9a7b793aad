#pragma once
// What every price feed is to the rest of the world, whatever aggregates it (per-node FluxFeed or OCR
// OcrPriceFeed): its config, the proxy consumers read, its Chainlink nodes, and one set of signals, so the feed
// metrics (analysis/feed_collector.hpp) are computed alike for both modes:
//
//   answer_changed  the answer consumers see changed, at the inclusion time of the transaction that changed it;
//                   key = phase << 32 | aggregator round (one key per update)
//   triggered       a node decided a report is due (deviation, heartbeat, first round, requested); the key of the
//                   round its report would become
//   tx_included     one of the feed's transactions was included (reverted ones too), with the LINK it earned
//   consumer_read   a consumer read through the proxy
//
// LINK: attach_link() mints each aggregator's funding on the run's LINK token (now and at any later deployment);
// link_accounting() checks the feed's books against the token after a run (analysis/feed_collector.cpp runs it
// every run and fails the run on a violation, like the request model's check).
#include <cstdint>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/contracts/aggregator_proxy.hpp"
#include "models/contracts/consumer.hpp"
#include "models/contracts/link_token.hpp"
#include "models/feeds/feed_config.hpp"
#include "models/node/node.hpp"
#include "sim/signal.hpp"
#include "sim/time.hpp"
#include "sim/timer.hpp"

namespace models::feeds {

// A transaction of a feed, included on chain.
struct FeedTx {
  chain::Receipt receipt;
  double juels_paid = 0;  // LINK earned by the submitter for it, juels (0 if it reverted)
};

// A feed's LINK books, in juels, over all its aggregators. Conservation: the token minted to the aggregators is what
// they hold (the model has no withdrawals), the contracts' books split it into available + owed to oracles, and
// what the oracles were credited from their receipts equals what the contracts owe them (that last check is skipped
// after a reorg: receipts of undone blocks were credited, the contract state was rolled back).
struct FeedLinkAccounting {
  chain::Amount minted = 0;     // funding minted to the aggregators (0 with no token attached)
  chain::Amount balance = 0;    // the aggregators' token balances
  chain::Amount available = 0;  // not owed to anyone (FluxAggregator recordedFunds.available; OCR: balance - owed)
  chain::Amount owed = 0;       // owed to the oracles (withdrawable / owedPayment)
  chain::Amount credited = 0;   // credited to the feed's nodes from the receipts of their transactions
  std::string violation;        // empty when the books agree; else what disagrees
};

// One configuration change of a feed (FeedConfig::changes): the owner's transaction (OCR: setConfig; per-node:
// changeOracles), when it was sent and included, when the oracles switched (OCR; a per-node feed's oracles follow
// the contract at once) and when the first answer after it came; the answer's timestamp before it.
struct Reconfiguration {
  sim::Time sent{}, included{}, switched{}, first_report{}, last_update_before{};
  bool is_included = false, is_switched = false, reported = false;
  std::string failed;              // why the change did not happen (a revert reason), if it did not
  std::uint32_t config_count = 0;  // OCR: the contract's configCount after it
  std::uint64_t config_digest = 0; // OCR: its new digest
  std::uint64_t block = 0;         // the block that holds it
};

class PriceFeed {
 public:
  virtual ~PriceFeed() = default;
  virtual void start() = 0;
  virtual const FeedConfig& config() const = 0;
  virtual const contracts::AggregatorProxy& proxy() const = 0;
  virtual std::size_t node_count() const = 0;
  virtual node::ChainlinkNode& node(std::size_t i) = 0;
  // Mints the aggregators' funding on `link` (once per aggregator, including later deployments).
  virtual void attach_link(contracts::LinkToken& link) = 0;
  virtual FeedLinkAccounting link_accounting() const = 0;
  // One per FeedConfig::changes entry, in order (is_included false until its transaction is included).
  const std::vector<Reconfiguration>& reconfigurations() const { return reconfigs_; }

  sim::Signal<sim::Time, contracts::Answer, std::uint64_t> answer_changed;  // (time, answer, phase << 32 | round)
  sim::Signal<sim::Time, std::uint64_t> triggered;                     // (time, key of the round due)
  sim::Signal<FeedTx> tx_included;
  sim::Signal<contracts::ConsumerRead> consumer_read;

 protected:
  // The owner's side of FeedConfig::changes, alike for both kinds of feed: an owner account ("<feed>/owner", funded
  // as the feed's nodes) with its transaction manager and one timer per change (labelled `label`); at a change's
  // time `make_tx(j)` builds the owner's transaction (setConfig, changeOracles), which is sent, and
  // `on_receipt(j, r)` gets its receipt. Nothing is created without changes. arm_changes() from start().
  void schedule_changes(sim::Simulation& sim, chain::Chain& chain, const FeedConfig& cfg, sim::Label label,
                        std::function<node::TxRequest(std::size_t)> make_tx,
                        std::function<void(std::size_t, const chain::Receipt&)> on_receipt);
  void arm_changes(const FeedConfig& cfg);
  // Change j's transaction came back in `r`: records its inclusion (with the answer's timestamp before it) and
  // returns true, or records why it failed and returns false; false too when it was recorded already (re-included
  // after a reorg: the nodes follow the first inclusion).
  bool record_change(std::size_t j, const chain::Receipt& r, sim::Time last_update) {
    Reconfiguration& rc = reconfigs_.at(j);
    if (rc.is_included) return false;
    if (r.status != chain::TxStatus::success) {
      rc.failed = r.revert_reason.empty() ? "reverted" : r.revert_reason;
      return false;
    }
    rc.is_included = true;
    rc.included = r.block_time;
    rc.block = r.block_number;
    rc.last_update_before = last_update;
    return true;
  }
  // Records the first answer after each included change (call on every answer update, at its time).
  void note_answer(sim::Time t) {
    for (auto& rc : reconfigs_)
      if (rc.is_included && !rc.reported && t >= rc.included) {
        rc.reported = true;
        rc.first_report = t;
      }
  }
  std::vector<Reconfiguration> reconfigs_;

 private:
  void send_change(sim::Simulation& sim, std::size_t j);

  std::unique_ptr<node::TxManager> owner_;
  std::vector<std::unique_ptr<sim::Timer>> change_timers_;
  std::function<node::TxRequest(std::size_t)> make_change_tx_;
  std::function<void(std::size_t, const chain::Receipt&)> on_change_receipt_;
};

}  // namespace models::feeds
