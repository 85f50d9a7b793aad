#include "models/feeds/ocr_chain_binding.hpp"

#include <any>
#include <stdexcept>

#include "models/ocr/ocr2_aggregator.hpp"
#include "models/ocr/ocr_aggregator.hpp"

namespace models::feeds {

OcrChainBinding::OcrChainBinding(chain::Chain& chain, std::vector<node::ChainlinkNode*> nodes, chain::Gas transmit_gas_limit)
    : chain_(chain), nodes_(std::move(nodes)), gas_limit_(transmit_gas_limit) {}

void OcrChainBinding::bind(chain::Address aggregator, ocr::OcrFeed& feed) {
  readout_ = chain_.contract<ocr::AggregatorReadout>(aggregator);
  if (readout_ == nullptr) {
    throw std::invalid_argument("OcrChainBinding::bind: no OCR aggregator deployed at the given address");
  }
  ocr2_ = chain_.contract<ocr::Ocr2Aggregator>(aggregator) != nullptr;
  aggregator_ = aggregator;
  log_conn_ = chain_.log_emitted.connect([this, &feed](const chain::Log& log, const chain::Receipt& r) {
    if (log.emitter != aggregator_) return;
    if (const auto* ev = std::any_cast<ocr::OcrNewTransmission>(&log.payload)) {
      feed.on_accepted(ev->epoch_round, ev->answer, r.block_time);
    } else if (const auto* ev2 = std::any_cast<ocr::Ocr2NewTransmission>(&log.payload)) {
      feed.on_accepted(ev2->epoch_round, ev2->answer, r.block_time);
    }
  });
}

ocr::ContractView OcrChainBinding::read_contract() const { return aggregator().latest_transmission_details(); }

void OcrChainBinding::transmit(ocr::OracleId from, const ocr::TransmitEvent& report) {
  node::ChainlinkNode& n = *nodes_.at(static_cast<std::size_t>(from));
  // Billing reads tx.gasprice: the transaction's effective price (base fee + effective tip).
  node::TxRequest req{.to = aggregator_, .gas_limit = gas_limit_, .calldata = {}, .call = {}, .label = "ocr/transmit"};
  if (ocr2_) {
    const ocr::AttestedReportMany& r = report.report;
    ocr::Ocr2TransmitCall call{aggregator().config_digest(), report.epoch_round(), r.extra_hash, r.observations_timestamp,
                               r.observations, r.juels_per_fee_coin, r.signatures};
    req.calldata = ocr::ocr2_transmit_calldata(call);
    req.call = [call](chain::ExecContext& c) { c.self_as<ocr::Ocr2Aggregator>().transmit(c, call, c.gas_price()); };
  } else {
    ocr::OcrTransmitCall call{aggregator().config_digest(), report.epoch_round(), report.report.observations,
                              report.report.signatures};
    req.calldata = ocr::transmit_calldata(call);
    req.call = [call](chain::ExecContext& c) { c.self_as<ocr::OcrAggregator>().transmit(c, call, c.gas_price()); };
  }
  n.txm().send(std::move(req), [this](const chain::Receipt& r) {
    ++cost_.transmits_included;
    cost_.fees_wei += r.fee();
    if (r.status == chain::TxStatus::success) {
      cost_.gas_accepted += r.gas_used;
    } else {
      ++cost_.transmits_reverted;
      if (r.revert_reason == "configDigest mismatch") ++cost_.transmits_reverted_config_digest;
      cost_.gas_reverted += r.gas_used;
    }
  });
}

}  // namespace models::feeds
