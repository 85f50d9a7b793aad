#pragma once
// A Chainlink node's chain-facing identity: its key (an account funded on the chain), the ETH it spends on gas,
// the LINK it has earned, and its transaction manager. Jobs (flux monitor, OCR transmission, direct request)
// hold a ChainlinkNode& and send through txm(); contracts' payouts are credited with credit_link().
//
// crash(): the node stops (its tx manager loses in-memory state; jobs should check up()). restart(): the tx
// manager recovers from chain state.
#include <string>

#include "models/chain/chain.hpp"
#include "models/node/node_config.hpp"
#include "models/node/tx_manager.hpp"
#include "sim/signal.hpp"

namespace models::node {

class ChainlinkNode {
 public:
  // Creates the node's account on `chain`, funded with cfg.eth_balance.
  ChainlinkNode(sim::Simulation& sim, chain::Chain& chain, std::string name, const NodeConfig& cfg);
  ChainlinkNode(const ChainlinkNode&) = delete;
  ChainlinkNode& operator=(const ChainlinkNode&) = delete;

  const std::string& name() const { return name_; }
  chain::Address address() const { return address_; }
  TxManager& txm() { return txm_; }
  const TxManager& txm() const { return txm_; }
  const NodeConfig& config() const { return cfg_; }

  chain::Amount eth_balance() const { return chain_.balance(address_); }  // wei
  chain::Amount eth_spent() const { return chain_.fees_paid(address_); }  // wei paid for gas (canonical chain)
  chain::Amount link_earned() const { return link_earned_; }              // juels
  // Records LINK paid to this node (juels), e.g. when an aggregator pays for a submission.
  void credit_link(chain::Amount juels);

  void crash();
  void restart();
  bool up() const { return up_; }

  sim::Signal<std::string, chain::Amount> link_credited;  // (node name, juels)
  sim::Signal<std::string> crashed;                       // node name
  sim::Signal<std::string> restarted;                     // node name

 private:
  std::string name_;
  NodeConfig cfg_;
  chain::Chain& chain_;
  chain::Address address_;
  TxManager txm_;
  chain::Amount link_earned_ = 0;
  bool up_ = true;
};

}  // namespace models::node
