#include "models/feeds/flux_feed.hpp"

#include "models/feeds/ocr_price_feed.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/core.h>

namespace models::feeds {

FluxFeed::FluxFeed(sim::Simulation& sim, chain::Chain& chain, const FeedConfig& cfg,
                   std::vector<providers::DataProvider*> providers)
    : sim_(sim), chain_(chain), cfg_(cfg), providers_(std::move(providers)) {
  confs_ = configurations(cfg_);
  const std::uint32_t members = member_count(cfg_);
  for (std::uint32_t i = 0; i < members; ++i)
    nodes_.push_back(std::make_unique<node::ChainlinkNode>(sim_, chain_, fmt::format("{}/node-{}", cfg_.name, i), cfg_.node));
  std::vector<chain::Address> first;
  for (int m : confs_.front().members) first.push_back(nodes_[static_cast<std::size_t>(m)]->address());
  deploy_aggregator(first);
  proxy_ = std::make_unique<contracts::AggregatorProxy>(aggregators_.back().get());
  for (std::uint32_t i = 0; i < members; ++i) {
    auto m = std::make_unique<FluxMonitor>(sim_, chain_, *nodes_[i], aggregator_addrs_.back(), providers_, cfg_.monitor_config(),
                                           fmt::format("{}/node-{}", cfg_.name, i));
    node::ChainlinkNode* n = nodes_[i].get();
    conns_.push_back(m->triggered.connect([this](sim::Time t, FluxTrigger, std::uint32_t round) {
      triggered.emit(t, (std::uint64_t{aggregators_.size()} << 32) | round);
    }));
    conns_.push_back(m->submitted.connect([this, n](const chain::Receipt& r) {
      FeedTx tx{r, 0};
      if (r.status == chain::TxStatus::success) {
        // The aggregator that ran the tx paid its round's payment (the configured one: payment is not changed).
        tx.juels_paid = static_cast<double>(cfg_.flux.payment);
        n->credit_link(cfg_.flux.payment);
      }
      tx_included.emit(tx);
    }));
    monitors_.push_back(std::move(m));
  }
  schedule_changes(sim_, chain_, cfg_, "flux/change-oracles", [this](std::size_t j) { return change_tx(j); },
                   [this](std::size_t j, const chain::Receipt& r) { on_change(j, r); });
  for (const auto& c : cfg_.consumers) {
    consumers_.push_back(std::make_unique<contracts::FeedConsumer>(sim_, contracts::ConsumerConfig{cfg_.name + "/" + c.name, c.read_every}, *proxy_));
    conns_.push_back(consumers_.back()->read.connect([this](const contracts::ConsumerRead& r) { consumer_read.emit(r); }));
  }
}

void FluxFeed::deploy_aggregator(const std::vector<chain::Address>& oracles) {
  auto agg = std::make_shared<contracts::FluxAggregator>(cfg_.aggregator_config(), oracles);
  const std::size_t index = aggregators_.size();
  conns_.push_back(agg->answer_updated.connect(
      [this, index](sim::Time t, std::uint32_t round, contracts::Answer answer) { on_answer(index, t, round, answer); }));
  aggregator_addrs_.push_back(chain_.deploy(fmt::format("{}/flux-aggregator-{}", cfg_.name, index + 1), agg));
  if (link_) link_->mint(aggregator_addrs_.back(), contracts::Juels{agg->config().funding_link} * contracts::kJuelsPerLink);
  aggregators_.push_back(std::move(agg));
}

void FluxFeed::attach_link(contracts::LinkToken& link) {
  if (link_) throw std::logic_error("FluxFeed::attach_link: a token is attached already");
  link_ = &link;
  for (std::size_t k = 0; k < aggregators_.size(); ++k)
    link_->mint(aggregator_addrs_[k], contracts::Juels{aggregators_[k]->config().funding_link} * contracts::kJuelsPerLink);
  conns_.push_back(chain_.reorged.connect([this](const chain::Reorg&) { reorged_ = true; }));
}

FeedLinkAccounting FluxFeed::link_accounting() const {
  FeedLinkAccounting a;
  std::string v;
  for (std::size_t k = 0; k < aggregators_.size(); ++k) {
    const contracts::FluxAggregator& agg = *aggregators_[k];
    const std::string name = fmt::format("{}/flux-aggregator-{}", cfg_.name, k + 1);
    const contracts::Juels minted = contracts::Juels{agg.config().funding_link} * contracts::kJuelsPerLink;
    const contracts::Juels withdrawable = agg.total_withdrawable();  // removed oracles keep what they earned
    if (agg.available_funds() + agg.allocated_funds() != minted)
      v += fmt::format("{}: available {} + allocated {} juels differ from its funding {}; ", name,
                       chain::to_string_amount(agg.available_funds()), chain::to_string_amount(agg.allocated_funds()),
                       chain::to_string_amount(minted));
    if (withdrawable != agg.allocated_funds())
      v += fmt::format("{}: the oracles' withdrawable {} juels differ from allocated {}; ", name,
                       chain::to_string_amount(withdrawable), chain::to_string_amount(agg.allocated_funds()));
    if (link_) {
      const contracts::Juels balance = link_->balance_of(aggregator_addrs_[k]);
      if (balance != minted)
        v += fmt::format("{}: holds {} juels of LINK but was minted {}; ", name, chain::to_string_amount(balance),
                         chain::to_string_amount(minted));
      a.minted += minted;
      a.balance += balance;
    }
    a.available += agg.available_funds();
    a.owed += withdrawable;
  }
  for (const auto& n : nodes_) a.credited += n->link_earned();
  if (!reorged_ && a.credited != a.owed)
    v += fmt::format("{}: its nodes were credited {} juels but the aggregators owe them {}; ", cfg_.name,
                     chain::to_string_amount(a.credited), chain::to_string_amount(a.owed));
  a.violation = v;
  return a;
}

void FluxFeed::start() {
  started_.assign(monitors_.size(), false);
  for (int m : confs_.front().members) {
    monitors_[static_cast<std::size_t>(m)]->start();
    started_[static_cast<std::size_t>(m)] = true;
  }
  for (auto& c : consumers_) c->start();
  arm_changes(cfg_);
}

node::TxRequest FluxFeed::change_tx(std::size_t j) const {
  const auto& before = confs_.at(j).members;
  const auto& after = confs_.at(j + 1).members;
  auto address = [this](int m) { return nodes_.at(static_cast<std::size_t>(m))->address(); };
  std::vector<chain::Address> removed, added;
  for (int m : before)
    if (std::find(after.begin(), after.end(), m) == after.end()) removed.push_back(address(m));
  for (int m : after)
    if (std::find(before.begin(), before.end(), m) == before.end()) added.push_back(address(m));
  FeedConfig sized = cfg_;
  sized.oracles = confs_[j + 1].oracles;
  const contracts::FluxAggregatorConfig rounds = sized.aggregator_config();
  const std::uint32_t min = rounds.min_submissions, max = rounds.max_submissions, delay = rounds.restart_delay;
  return node::TxRequest{.to = aggregator_address(), .gas_limit = kChangeOraclesGasLimit,
                           .calldata = contracts::FluxAggregator::change_oracles_calldata(removed.size(), added.size()),
                           .call = [removed, added, min, max, delay](chain::ExecContext& c) {
                             c.self_as<contracts::FluxAggregator>().change_oracles(c, removed, added, min, max, delay);
                           },
                           .label = "flux/change-oracles"};
}

void FluxFeed::on_change(std::size_t j, const chain::Receipt& r) {
  if (!record_change(j, r, aggregator().latest_timestamp())) return;
  Reconfiguration& rc = reconfigs_[j];
  rc.is_switched = true;  // the oracles follow the contract's rounds at once
  rc.switched = r.block_time;
  for (int m : confs_.at(j + 1).members) {  // the jobs of the oracles that joined start
    const auto i = static_cast<std::size_t>(m);
    if (!started_[i]) {
      monitors_[i]->start();
      started_[i] = true;
    }
  }
}

void FluxFeed::migrate() {
  deploy_aggregator(aggregator().oracles());
  for (auto& m : monitors_) m->set_aggregator(aggregator_addrs_.back());
  proxy_->propose_aggregator(aggregators_.back().get());
}

void FluxFeed::on_answer(std::size_t index, sim::Time t, std::uint32_t round, contracts::Answer answer) {
  const contracts::FluxAggregator* agg = aggregators_[index].get();
  if (proxy_->proposed() == agg) proxy_->confirm_aggregator(agg);  // the new aggregator has data: switch phases
  if (proxy_->aggregator() != agg) return;                          // an old phase's late answer: nobody sees it
  answer_changed.emit(t, answer, (std::uint64_t{index + 1} << 32) | round);
  note_answer(t);
}

}  // namespace models::feeds
