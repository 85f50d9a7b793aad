#include "models/feeds/price_feed.hpp"

namespace models::feeds {

void PriceFeed::schedule_changes(sim::Simulation& sim, chain::Chain& chain, const FeedConfig& cfg, sim::Label label,
                                 std::function<node::TxRequest(std::size_t)> make_tx,
                                 std::function<void(std::size_t, const chain::Receipt&)> on_receipt) {
  if (cfg.changes.empty()) return;
  owner_ = std::make_unique<node::TxManager>(sim, chain, chain.create_account(cfg.name + "/owner", cfg.node.eth_balance),
                                             cfg.node);
  make_change_tx_ = std::move(make_tx);
  on_change_receipt_ = std::move(on_receipt);
  reconfigs_.resize(cfg.changes.size());
  for (std::size_t j = 0; j < cfg.changes.size(); ++j)
    change_timers_.push_back(std::make_unique<sim::Timer>(sim, [this, &sim, j] { send_change(sim, j); }, label));
}

void PriceFeed::arm_changes(const FeedConfig& cfg) {
  for (std::size_t j = 0; j < change_timers_.size(); ++j) change_timers_[j]->arm_at(sim::Time::zero() + cfg.changes[j].at);
}

void PriceFeed::send_change(sim::Simulation& sim, std::size_t j) {
  reconfigs_[j].sent = sim.now();
  if (!owner_->send(make_change_tx_(j), [this, j](const chain::Receipt& r) { on_change_receipt_(j, r); }))
    reconfigs_[j].failed = "the owner's transaction was not accepted";
}

}  // namespace models::feeds
