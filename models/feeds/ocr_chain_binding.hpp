#pragma once
// Connects an OCR feed to the simulated chain: oracles read the aggregator directly (eth_call) and transmit
// through their Chainlink node's transaction manager; accepted reports (the aggregator's NewTransmission logs in
// canonical blocks) are handed to the feed's monitors. Counts the feed's on-chain cost. Either generation of the
// contract can be bound: OffchainAggregator (OCR1 transmit) or OCR2Aggregator (OCR2 transmit with report context).
//
// The contract's billing reads tx.gasprice (the transaction's effective price), as OffchainAggregatorBilling does.
// Reorgs are not propagated to the feed's monitors (an undone-then-redone report counts once per inclusion).
#include <cstdint>
#include <vector>

#include "models/chain/chain.hpp"
#include "models/ocr/aggregator_readout.hpp"
#include "models/node/node.hpp"
#include "models/ocr/ocr_chain_port.hpp"
#include "models/ocr/ocr_feed.hpp"

namespace models::feeds {

struct OcrChainCost {
  std::uint64_t transmits_included = 0;  // transmit txs included (success or revert)
  std::uint64_t transmits_reverted = 0;  // of which reverted (mostly "stale report": a later stage's duplicate)
  std::uint64_t transmits_reverted_config_digest = 0;  // of those, "configDigest mismatch": sent under a replaced configuration
  chain::Gas gas_accepted = 0;           // gas of the successful transmits
  chain::Gas gas_reverted = 0;           // gas burnt by reverted transmits
  chain::Amount fees_wei = 0;            // ETH paid for all transmits
};

class OcrChainBinding : public ocr::OcrChainPort {
 public:
  // `nodes[i]` is oracle i's Chainlink node (its account is the contract's transmitter i). The feed is built with
  // this port, then the aggregator is deployed (it needs the feed's signer addresses) and bound.
  OcrChainBinding(chain::Chain& chain, std::vector<node::ChainlinkNode*> nodes, chain::Gas transmit_gas_limit = 0);
  // Uses the OcrAggregator or Ocr2Aggregator at `aggregator` and forwards its accepted reports to `feed`. Call
  // before running.
  void bind(chain::Address aggregator, ocr::OcrFeed& feed);

  // A new configuration: oracle i is now `nodes[i]`'s (call when the oracles switch).
  void set_nodes(std::vector<node::ChainlinkNode*> nodes) { nodes_ = std::move(nodes); }

  ocr::ContractView read_contract() const override;
  void transmit(ocr::OracleId from, const ocr::TransmitEvent& report) override;

  const OcrChainCost& cost() const { return cost_; }
  const ocr::AggregatorReadout& aggregator() const { return *readout_; }
  bool ocr2() const { return ocr2_; }

 private:
  chain::Chain& chain_;
  chain::Address aggregator_;
  const ocr::AggregatorReadout* readout_ = nullptr;
  bool ocr2_ = false;
  std::vector<node::ChainlinkNode*> nodes_;
  chain::Gas gas_limit_;
  OcrChainCost cost_;
  sim::Connection log_conn_;
};

}  // namespace models::feeds
