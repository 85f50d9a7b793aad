#pragma once
// Streams Trade (facts §4): a DEX-like upkeep that executes a user's trade at a Data Streams report's price,
// against a baseline DEX that executes at once at a pushed Data Feed's price.
//
//   user --trade(amount)--> StreamsUpkeep: TradeRequested{id} log
//   AutomationDon (automation.hpp): each node's log poller and checkLog -> StreamsLookup({feed}, log block
//                   timestamp, id) -> its REST client -> checkCallback(reports, id); an OCR3 round agrees on the
//                   perform and its leader transmits it to the AutomationRegistry
//   StreamsUpkeep.performUpkeep: FeeManager.getFeeAndReward, LINK.approve(RewardManager, fee) (LINK fees),
//                   VerifierProxy.verify (pays the fee) -> TradeExecuted{id, benchmarkPrice}
//   user --trade(amount)--> PushFeedDex: executes at the AggregatorProxy's latestRoundData answer in the same tx.
//
// The Trader submits both trades of a user trade at the same instant (Poisson arrivals, stream
// "streams/trade/arrivals"), from two wallets so one side's pending tx never holds up the other's nonce, and
// publishes a TradeExecution per executed trade (the latency and price error metrics come from it).
//
// Simplified: the trade itself (pool reserves, token transfers) is two reserve slot updates and an event on both
// DEXes (same cost, so only the price source differs); the trade amount is recorded, never settled; one feed per
// upkeep; reorgs are not followed (a reorged trade is not reported again); the push DEX reads the AggregatorProxy
// (a view object, not a chain contract) and charges the gas of that read (two cold contracts, three cold slots).
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/contracts/aggregator_proxy.hpp"
#include "models/streams/verifier.hpp"
#include "models/node/tx_manager.hpp"
#include "models/streams/automation.hpp"
#include "models/streams/report.hpp"
#include "models/streams/streams_config.hpp"
#include "sim/random.hpp"
#include "sim/signal.hpp"
#include "sim/simulation.hpp"
#include "sim/timer.hpp"

namespace models::streams {

// Compute costs of the trade contracts beyond storage, calls and logs (assumptions, not measured).
struct TradeGas {
  static constexpr chain::Gas entry = 1'000;         // dispatch and argument decoding; assumption
  static constexpr chain::Gas swap_compute = 3'000;  // price arithmetic, amount out; assumption
  static constexpr chain::Gas trade_tx_limit = 300'000;  // gas limit of a user's trade tx; assumption
};

// --- StreamsUpkeep ----------------------------------------------------------------------------------------------

struct PendingTrade {
  chain::Address trader{};
  std::uint64_t amount = 0;
};

struct StreamsUpkeepState {
  std::uint64_t next_id = 1;
  std::map<std::uint64_t, PendingTrade> pending;  // requested, not executed
  std::uint64_t executed = 0;
};

// TradeRequested(id, trader, amount, feedId).
struct TradeRequested {
  std::uint64_t id = 0;
  chain::Address trader{};
  std::uint64_t amount = 0;
  FeedId feed_id = 0;
};

// TradeExecuted(id, price) of the StreamsUpkeep, and of the PushFeedDex.
struct TradeExecuted {
  std::uint64_t id = 0;
  chain::Address trader{};
  std::uint64_t amount = 0;
  chain::SignedWord price = 0;              // fixed point with `decimals`
  int decimals = 8;                         // streams reports: 8 (report.hpp); push: the feed's decimals()
  std::uint32_t price_timestamp = 0;        // s: the report's observationsTimestamp / the round's updatedAt
  chain::Gas verify_gas = 0;                // StreamsUpkeep: gas of the VerifierProxy.verify call; push: 0
};

class StreamsUpkeep : public chain::StatefulContract<StreamsUpkeepState>, public StreamsLookupUpkeep {
 public:
  // Trades `feed`; performs come from `registry`; reports are verified by `verifier_proxy`, paid in `fee_token`.
  StreamsUpkeep(chain::Address registry, chain::Address verifier_proxy, FeedId feed, FeeToken fee_token);

  // trade(amount) by a user: records the request and emits TradeRequested.
  void trade(chain::ExecContext& c, std::uint64_t amount);

  // ILogAutomation / StreamsLookupCompatibleInterface.
  std::optional<StreamsLookup> check_log(const chain::Log& log, const chain::Receipt& receipt) const override;
  CheckResult check_callback(const std::vector<SignedReport>& values, std::uint64_t extra_data) const override;
  // Only the registry: verifies the report of the upkeep's feed through the proxy and executes the pending trade
  // `extra_data` at its benchmarkPrice. Reverts (and nothing trades) if verification fails.
  void perform_upkeep(chain::ExecContext& c, const PerformData& data) override;

  FeedId feed() const { return feed_; }
  FeeToken fee_token() const { return fee_token_; }

 private:
  chain::Address registry_;
  chain::Address proxy_;
  FeedId feed_;
  FeeToken fee_token_;
};

// --- PushFeedDex ------------------------------------------------------------------------------------------------

struct PushFeedDexState {
  std::uint64_t next_id = 1;
  std::uint64_t executed = 0;
};

class PushFeedDex : public chain::StatefulContract<PushFeedDexState> {
 public:
  // `feed` (not null) must outlive the contract.
  explicit PushFeedDex(const contracts::AggregatorProxy* feed);

  // trade(amount): executes at once at latestRoundData's answer ("No data present" before the first round).
  void trade(chain::ExecContext& c, std::uint64_t amount);

 private:
  const contracts::AggregatorProxy* feed_;
};

// --- Trader -----------------------------------------------------------------------------------------------------

enum class TradeKind { streams, push };
const char* to_string(TradeKind k);

// One executed trade, for metrics.
struct TradeExecution {
  std::uint64_t user_trade = 0;        // the user trade both sides belong to (1, 2, ...)
  std::uint64_t trade_id = 0;          // the contract's trade id
  TradeKind kind = TradeKind::streams;
  sim::Time requested_at{};            // when the user submitted the trade tx
  sim::Time executed_at{};             // timestamp of the block that executed it
  double price = 0;                    // USD
  std::uint32_t price_timestamp = 0;   // s: streams: the report's observationsTimestamp; push: the round's updatedAt
  chain::Gas verify_gas = 0;           // streams: gas of VerifierProxy.verify inside performUpkeep
  chain::Gas tx_gas = 0;               // gas used by the executing tx (performUpkeep / the push trade)
  std::uint64_t trigger_block = 0;     // streams: the block of the trade request (the log trigger); push: 0
  std::uint64_t executed_block = 0;    // the block that executed it
};

struct TraderConfig {
  sim::Duration trade_every = sim::Duration::nanoseconds(120'000'000'000);  // mean, TradeConfig::trade_every
  std::uint64_t amount = 1;            // units per trade (recorded only); assumption
  node::NodeConfig wallet = AutomationDonConfig::funded_node();  // each wallet: 1,000 ETH (assumption: ample)
};

class Trader {
 public:
  // `dex` may be zero (no baseline).
  Trader(sim::Simulation& sim, chain::Chain& chain, chain::Address upkeep, chain::Address dex, const TraderConfig& cfg,
         std::string name = "streams/trader");
  Trader(const Trader&) = delete;
  Trader& operator=(const Trader&) = delete;

  // Schedules the first trade (after an exponential gap).
  void start();
  // Submits one user trade now (both sides).
  void trade_now();

  sim::Signal<TradeExecution> trade_executed;
  std::uint64_t user_trades() const { return user_trades_; }
  std::size_t awaiting() const { return awaiting_.size(); }   // streams trades requested, not executed
  node::TxManager& streams_wallet() { return streams_wallet_; }
  node::TxManager* push_wallet() { return push_wallet_.get(); }  // nullptr without a baseline

 private:
  struct Awaiting {
    std::uint64_t user_trade = 0;
    sim::Time requested_at{};
    std::uint64_t block = 0;  // the request's block
  };
  void schedule();
  void on_log(const chain::Log& log, const chain::Receipt& r);

  sim::Simulation& sim_;
  chain::Chain& chain_;
  chain::Address upkeep_;
  chain::Address dex_;
  TraderConfig cfg_;
  sim::Rng rng_;
  node::TxManager streams_wallet_;
  std::unique_ptr<node::TxManager> push_wallet_;
  sim::Timer timer_;
  std::map<std::uint64_t, Awaiting> awaiting_;   // streams trade id -> the user trade
  std::uint64_t user_trades_ = 0;
  sim::Connection log_conn_;
};

// --- The assembled model ----------------------------------------------------------------------------------------

// Everything Streams Trade needs on a chain that already has the verification contracts: the registry, the
// upkeep (funded with kUpkeepFeeDeposit of LINK, or of wrapped native, for its fees), the push DEX (if `baseline`
// is given), the Automation DON (its nodes on `net`) and the Trader.
class StreamsTrade {
 public:
  StreamsTrade(sim::Simulation& sim, chain::Chain& chain, sim::Network& net, const VerifierStack& verifier,
               const TradeConfig& cfg, const contracts::AggregatorProxy* baseline, ReportFetcher fetcher);

  void start() {
    don_->start();
    trader_->start();
  }

  Trader& trader() { return *trader_; }
  AutomationDon& don() { return *don_; }
  chain::Address registry() const { return registry_; }
  chain::Address upkeep() const { return upkeep_; }
  chain::Address dex() const { return dex_; }
  std::uint64_t upkeep_id() const { return upkeep_id_; }

 private:
  chain::Address registry_, upkeep_, dex_;
  std::uint64_t upkeep_id_ = 0;
  std::unique_ptr<AutomationDon> don_;
  std::unique_ptr<Trader> trader_;
};

// LINK (or wrapped native) the StreamsTrade constructor gives the upkeep for its fees (assumption: ample for a run).
inline constexpr chain::Amount kUpkeepFeeDeposit = chain::Amount{1'000'000} * chain::kEther;

}  // namespace models::streams
