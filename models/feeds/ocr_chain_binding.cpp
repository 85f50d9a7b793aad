#include "models/feeds/ocr_chain_binding.hpp"

#include <any>
#include <stdexcept>

namespace models::feeds {

OcrChainBinding::OcrChainBinding(chain::Chain& chain, std::vector<node::ChainlinkNode*> nodes, chain::Gas transmit_gas_limit)
    : chain_(chain), nodes_(std::move(nodes)), gas_limit_(transmit_gas_limit) {}

const ocr::OcrAggregator& OcrChainBinding::aggregator() const {
  return *chain_.contract<ocr::OcrAggregator>(aggregator_);
}

void OcrChainBinding::bind(chain::Address aggregator, ocr::OcrFeed& feed) {
  if (chain_.contract<ocr::OcrAggregator>(aggregator) == nullptr) {
    throw std::invalid_argument("OcrChainBinding::bind: no OcrAggregator deployed at the given address");
  }
  aggregator_ = aggregator;
  log_conn_ = chain_.log_emitted.connect([this, &feed](const chain::Log& log, const chain::Receipt& r) {
    if (log.emitter != aggregator_) return;
    if (const auto* ev = std::any_cast<ocr::OcrNewTransmission>(&log.payload)) {
      feed.on_accepted(ev->epoch_round, ev->answer, r.block_time);
    }
  });
}

ocr::ContractView OcrChainBinding::read_contract() const { return aggregator().latest_transmission_details(); }

void OcrChainBinding::transmit(ocr::OracleId from, const ocr::TransmitEvent& report) {
  node::ChainlinkNode& n = *nodes_.at(static_cast<std::size_t>(from));
  ocr::OcrTransmitCall call{aggregator().config().config_digest, report.epoch_round(), report.report.observations,
                                  report.report.signatures};
  // Billing reads tx.gasprice: the transaction's effective price (base fee + effective tip).
  node::TxRequest req{.to = aggregator_, .gas_limit = gas_limit_, .calldata = ocr::transmit_calldata(call),
                      .call = [call](chain::ExecContext& c) { c.self_as<ocr::OcrAggregator>().transmit(c, call, c.gas_price()); },
                      .label = "ocr/transmit"};
  n.txm().send(std::move(req), [this](const chain::Receipt& r) {
    ++cost_.transmits_included;
    cost_.fees_wei += r.fee();
    if (r.status == chain::TxStatus::success) {
      cost_.gas_accepted += r.gas_used;
    } else {
      ++cost_.transmits_reverted;
      cost_.gas_reverted += r.gas_used;
    }
  });
}

}  // namespace models::feeds
