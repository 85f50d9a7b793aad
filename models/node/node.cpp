#include "models/node/node.hpp"

#include <utility>

namespace models::node {

ChainlinkNode::ChainlinkNode(sim::Simulation& sim, chain::Chain& chain, std::string name, const NodeConfig& cfg)
    : name_(std::move(name)),
      cfg_(cfg),
      chain_(chain),
      address_(chain.create_account(name_, cfg.eth_balance)),
      txm_(sim, chain, address_, cfg) {}

void ChainlinkNode::credit_link(chain::Amount juels) {
  link_earned_ += juels;
  link_credited.emit(name_, juels);
}

void ChainlinkNode::crash() {
  if (!up_) return;
  up_ = false;
  txm_.crash();
  crashed.emit(name_);
}

void ChainlinkNode::restart() {
  if (up_) return;
  up_ = true;
  txm_.restart();
  restarted.emit(name_);
}

}  // namespace models::node
