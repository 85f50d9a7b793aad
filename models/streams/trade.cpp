#include "models/streams/trade.hpp"

#include <algorithm>
#include <utility>

#include "models/providers/price_process.hpp"
#include "models/contracts/link_token.hpp"
#include "sim/distributions.hpp"

namespace models::streams {
namespace {
enum Var : std::uint64_t { kNextId = 1, kPending, kReserve, kExecuted };

chain::SlotKey slot(chain::Address a, std::uint64_t var, std::uint64_t index = 0) {
  return {a, chain::slot_of(var, index & ((std::uint64_t{1} << 48) - 1))};
}

std::uint32_t seconds_of(sim::Time t) { return static_cast<std::uint32_t>(t.ns() / 1'000'000'000); }

// The trade itself, the same on both DEXes: the two pool reserves move, and the price arithmetic.
void swap(chain::ExecContext& c) {
  chain::GasMeter& g = c.gas();
  for (std::uint64_t k = 0; k < 2; ++k) {
    g.sload(slot(c.self(), kReserve, k));
    g.sstore(slot(c.self(), kReserve, k), 2, 3);
  }
  g.charge(TradeGas::swap_compute, "compute");
}

const SignedReport* report_for(const std::vector<SignedReport>& reports, FeedId feed) {
  const auto it =
      std::find_if(reports.begin(), reports.end(), [&](const SignedReport& r) { return r.report.feed_id == feed; });
  return it == reports.end() ? nullptr : &*it;
}
}  // namespace

const char* to_string(TradeKind k) { return k == TradeKind::streams ? "streams" : "push"; }

// ---------------------------------------------------------------------------------------------------------------
// StreamsUpkeep

StreamsUpkeep::StreamsUpkeep(chain::Address registry, chain::Address verifier_proxy, FeedId feed, FeeToken fee_token)
    : registry_(registry), proxy_(verifier_proxy), feed_(feed), fee_token_(fee_token) {}

void StreamsUpkeep::trade(chain::ExecContext& c, std::uint64_t amount) {
  chain::GasMeter& g = c.gas();
  const chain::Address self = address();
  g.charge(TradeGas::entry, "compute");
  c.require(amount > 0, "zero amount");
  g.sload(slot(self, kNextId));
  const std::uint64_t id = state_.next_id;
  g.sstore(slot(self, kNextId), id, id + 1);
  g.sstore(slot(self, kPending, id), 0, 1);
  state_.next_id = id + 1;
  state_.pending[id] = PendingTrade{c.sender(), amount};
  c.emit({.event = "TradeRequested", .topics = 3, .data_bytes = 64,
          .payload = TradeRequested{id, c.sender(), amount, feed_}});
}

std::optional<StreamsLookup> StreamsUpkeep::check_log(const chain::Log& log, const chain::Receipt& receipt) const {
  if (log.emitter != address()) return std::nullopt;
  const auto* req = std::any_cast<TradeRequested>(&log.payload);
  if (req == nullptr) return std::nullopt;
  return StreamsLookup{{feed_}, seconds_of(receipt.block_time), req->id};
}

CheckResult StreamsUpkeep::check_callback(const std::vector<SignedReport>& values, std::uint64_t extra_data) const {
  CheckResult res;
  const SignedReport* r = report_for(values, feed_);
  res.upkeep_needed = r != nullptr && state_.pending.count(extra_data) != 0;
  if (res.upkeep_needed) res.perform_data = PerformData{{*r}, extra_data, 0, std::nullopt};
  return res;
}

void StreamsUpkeep::perform_upkeep(chain::ExecContext& c, const PerformData& data) {
  chain::GasMeter& g = c.gas();
  const chain::Address self = address();
  g.charge(TradeGas::entry, "compute");
  c.require(c.sender() == registry_, "OnlyRegistry");
  g.sload(slot(self, kPending, data.extra_data));
  const auto it = state_.pending.find(data.extra_data);
  c.require(it != state_.pending.end(), "UnknownTrade");
  const SignedReport* report = report_for(data.reports, feed_);
  c.require(report != nullptr, "NoReportForFeed");

  // The docs' StreamsUpkeep: the proxy's FeeManager, its RewardManager and LINK; getFeeAndReward; approve the fee.
  chain::Address fee_manager{};
  c.call(proxy_, [&](chain::ExecContext& cc) { fee_manager = cc.self_as<VerifierProxy>().read_fee_manager(cc); });
  if (!fee_manager.is_zero()) {
    FeeAndReward q;
    chain::Address reward_manager{}, link{};
    c.call(fee_manager, [&](chain::ExecContext& cc) {
      const auto& fm = cc.self_as<FeeManager>();
      reward_manager = fm.reward_manager();  // immutables: no storage read
      link = fm.link_token();
      q = fm.get_fee_and_reward(cc, self, report->report, fee_token_);
    });
    if (fee_token_ == FeeToken::link && q.fee > 0)
      c.call(link, [&](chain::ExecContext& cc) { cc.self_as<contracts::LinkToken>().approve(cc, reward_manager, q.fee); });
  }
  const chain::Gas before = g.used();
  VerifyOutcome out;
  c.call(proxy_, [&](chain::ExecContext& cc) { out = cc.self_as<VerifierProxy>().verify(cc, *report, fee_token_); });
  const chain::Gas verify_gas = g.used() - before;
  c.require(out.report.feed_id == feed_, "WrongFeed");
  c.require(out.report.benchmark_price > 0, "InvalidPrice");

  swap(c);
  const PendingTrade trade = it->second;
  g.sstore(slot(self, kPending, data.extra_data), 1, 0);
  state_.pending.erase(it);
  g.sload(slot(self, kExecuted));
  g.sstore(slot(self, kExecuted), state_.executed + 1, state_.executed + 2);
  ++state_.executed;
  c.emit({.event = "TradeExecuted", .topics = 3, .data_bytes = 96,
          .payload = TradeExecuted{data.extra_data, trade.trader, trade.amount, out.report.benchmark_price,
                                   providers::kAnswerDecimals, out.report.observations_timestamp, verify_gas}});
}

// ---------------------------------------------------------------------------------------------------------------
// PushFeedDex

PushFeedDex::PushFeedDex(const contracts::AggregatorProxy* feed) : feed_(feed) {
  if (feed_ == nullptr) throw std::invalid_argument("PushFeedDex: null feed");
}

void PushFeedDex::trade(chain::ExecContext& c, std::uint64_t amount) {
  chain::GasMeter& g = c.gas();
  const chain::Address self = address();
  g.charge(TradeGas::entry, "compute");
  c.require(amount > 0, "zero amount");
  // latestRoundData through the proxy: the proxy and the aggregator (cold contracts), the proxy's current
  // aggregator slot and the aggregator's latest round and transmission (cold slots).
  g.charge(2 * chain::gas::kColdAccount, "account");
  g.charge(3 * chain::gas::kColdSload, "sload");
  const auto rd = feed_->latest_round_data();
  c.require(rd.has_value() && rd->updated_at != sim::Time{}, "No data present");
  g.sload(slot(self, kNextId));
  const std::uint64_t id = state_.next_id;
  g.sstore(slot(self, kNextId), id, id + 1);
  state_.next_id = id + 1;
  swap(c);
  ++state_.executed;
  c.emit({.event = "TradeExecuted", .topics = 3, .data_bytes = 96,
          .payload = TradeExecuted{id, c.sender(), amount, rd->answer, feed_->decimals(), seconds_of(rd->updated_at), 0}});
}

// ---------------------------------------------------------------------------------------------------------------
// Trader

Trader::Trader(sim::Simulation& sim, chain::Chain& chain, chain::Address upkeep, chain::Address dex,
               const TraderConfig& cfg, std::string name)
    : sim_(sim),
      chain_(chain),
      upkeep_(upkeep),
      dex_(dex),
      cfg_(cfg),
      rng_(sim.stream("streams/trade/arrivals")),
      streams_wallet_(sim, chain, chain.create_account(name + "/streams-wallet", cfg.wallet.eth_balance), cfg.wallet),
      timer_(sim, [this] {
        trade_now();
        schedule();
      }, "streams/trade/arrival") {
  if (!dex_.is_zero()) {
    push_wallet_ = std::make_unique<node::TxManager>(
        sim, chain, chain.create_account(name + "/push-wallet", cfg.wallet.eth_balance), cfg.wallet);
  }
  log_conn_ = chain_.log_emitted.connect([this](const chain::Log& log, const chain::Receipt& r) { on_log(log, r); });
}

void Trader::start() { schedule(); }

void Trader::schedule() { timer_.arm(sim::Duration::from_seconds(sim::exponential(rng_, cfg_.trade_every.seconds()))); }

void Trader::trade_now() {
  const std::uint64_t user_trade = ++user_trades_;
  const sim::Time now = sim_.now();
  const std::uint64_t amount = cfg_.amount;
  const chain::Calldata calldata = chain::CalldataBuilder{}.selector().uint(amount).build();
  streams_wallet_.send(
      node::TxRequest{.to = upkeep_, .gas_limit = TradeGas::trade_tx_limit, .calldata = calldata,
                      .call = [amount](chain::ExecContext& c) { c.self_as<StreamsUpkeep>().trade(c, amount); },
                      .label = "streams/trade/request"},
      [this, user_trade, now](const chain::Receipt& r) {
        for (const auto& l : r.logs) {
          if (const auto* req = std::any_cast<TradeRequested>(&l.payload)) awaiting_[req->id] = {user_trade, now, r.block_number};
        }
      });
  if (!push_wallet_) return;
  push_wallet_->send(
      node::TxRequest{.to = dex_, .gas_limit = TradeGas::trade_tx_limit, .calldata = calldata,
                      .call = [amount](chain::ExecContext& c) { c.self_as<PushFeedDex>().trade(c, amount); },
                      .label = "streams/trade/push"},
      [this, user_trade, now](const chain::Receipt& r) {
        for (const auto& l : r.logs) {
          const auto* ex = std::any_cast<TradeExecuted>(&l.payload);
          if (ex == nullptr || l.emitter != dex_) continue;
          trade_executed.emit(TradeExecution{user_trade, ex->id, TradeKind::push, now, r.block_time,
                                             providers::from_answer(ex->price, ex->decimals), ex->price_timestamp, 0, r.gas_used,
                                             0, r.block_number});
        }
      });
}

void Trader::on_log(const chain::Log& log, const chain::Receipt& r) {
  if (log.emitter != upkeep_) return;
  const auto* ex = std::any_cast<TradeExecuted>(&log.payload);
  if (ex == nullptr) return;
  const auto it = awaiting_.find(ex->id);
  if (it == awaiting_.end()) return;
  const Awaiting a = it->second;
  awaiting_.erase(it);
  trade_executed.emit(TradeExecution{a.user_trade, ex->id, TradeKind::streams, a.requested_at, r.block_time,
                                     providers::from_answer(ex->price, ex->decimals), ex->price_timestamp, ex->verify_gas,
                                     r.gas_used, a.block, r.block_number});
}

// ---------------------------------------------------------------------------------------------------------------
// StreamsTrade

StreamsTrade::StreamsTrade(sim::Simulation& sim, chain::Chain& chain, sim::Network& net, const VerifierStack& verifier,
                           const TradeConfig& cfg, const contracts::AggregatorProxy* baseline, ReportFetcher fetcher) {
  AutomationDonConfig dcfg;
  static_cast<AutomationConfig&>(dcfg) = cfg.automation;
  dcfg.region = cfg.region;
  std::vector<chain::Address> transmitters;
  for (int i = 0; i < dcfg.n; ++i) transmitters.push_back(chain.create_account(automation_actor_name(i) + "/transmitter"));
  auto registry = std::make_shared<AutomationRegistry>(transmitters, dcfg.f);
  registry_ = chain.deploy("streams/automation-registry", registry);
  const FeeToken token = cfg.fee_token == "native" ? FeeToken::native : FeeToken::link;
  upkeep_ = chain.deploy("streams/trade-upkeep",
                         std::make_shared<StreamsUpkeep>(registry_, verifier.proxy, feed_id_of(cfg.feed), token));
  upkeep_id_ = registry->register_upkeep(upkeep_, cfg.perform_gas_limit);
  if (!verifier.fee_manager.is_zero()) {
    if (token == FeeToken::link) chain.contract<contracts::LinkToken>(verifier.link_token)->mint(upkeep_, kUpkeepFeeDeposit);
    else chain.contract<FeeManager>(verifier.fee_manager)->credit_native(upkeep_, kUpkeepFeeDeposit);
  }
  if (baseline != nullptr) dex_ = chain.deploy("streams/push-dex", std::make_shared<PushFeedDex>(baseline));
  don_ = std::make_unique<AutomationDon>(sim, chain, net, registry_, std::move(fetcher), dcfg);
  don_->watch(upkeep_id_, upkeep_);
  TraderConfig tcfg;
  tcfg.trade_every = cfg.trade_every;
  trader_ = std::make_unique<Trader>(sim, chain, upkeep_, dex_, tcfg);
}

}  // namespace models::streams
