#pragma once
// The OCR1 aggregator contract (libocr contract/OffchainAggregator.sol + OffchainAggregatorBilling.sol, facts §1-2):
// every check of transmit in the contract's order, the round storage, requestNewRound, billing, and gas metered
// from the actual ABI calldata plus the storage, precompile and log costs the function incurs.
//
// Simplified: addresses and signatures are the models/ocr signature model (ecrecover = KeyRegistry::recover);
// the 16-byte config digest is the 64-bit digest followed by its bitwise complement; r and s bytes are derived
// from the signature tag with every byte forced non-zero (a real zero byte has probability 1/256); execution
// costs that are not storage, precompile or log costs are documented assumptions (see OcrAggregatorGas).
#include <cstdint>
#include <string>
#include <vector>

#include "models/ocr/report.hpp"
#include "models/ocr/should_report.hpp"
#include "sim/config_issue.hpp"
#include "sim/time.hpp"

namespace models::contracts {

// Billing parameters (OffchainAggregatorBilling.setBilling); mainnet values not found: assumptions.
struct OcrBilling {
  std::uint32_t maximum_gas_price_gwei = 1'000;          // reimbursed price cap, gwei; assumption
  std::uint32_t reasonable_gas_price_gwei = 50;          // below it the transmitter keeps half the gap, gwei; assumption
  std::uint32_t micro_link_per_eth = 200'000'000;        // 200 LINK per ETH, in 1e-6 LINK; assumption
  std::uint32_t link_gwei_per_observation = 20'000'000;  // 0.02 LINK per observation in an accepted report; assumption
  std::uint32_t link_gwei_per_transmission = 60'000'000; // 0.06 LINK per accepted transmission; assumption
};

struct OcrAggregatorConfig {
  std::uint64_t config_digest = 0;            // must equal the oracles' OcrConfig::config_digest
  int f = 1;                                  // threshold: reports need > f signatures and > 2f observations
  std::vector<ocr::Address> signers;          // on-chain signing address of oracle i
  std::vector<ocr::Address> transmitters;     // transmitting account of oracle i
  ocr::Value min_answer = 1;                  // medians outside [min_answer, max_answer] revert
  ocr::Value max_answer = INT64_MAX;
  OcrBilling billing;
};

sim::ConfigIssues validate(const OcrAggregatorConfig& cfg, const std::string& path_prefix);

// Gas schedule of transmit. Protocol constants from facts §2 (EIP-2028/2929/1559); the rest are assumptions.
struct OcrAggregatorGas {
  static constexpr std::uint64_t tx_base = 21'000;          // facts §2
  static constexpr std::uint64_t calldata_nonzero = 16;     // facts §2
  static constexpr std::uint64_t calldata_zero = 4;         // facts §2
  static constexpr std::uint64_t cold_sload = 2'100;        // facts §2
  static constexpr std::uint64_t warm_access = 100;         // facts §2
  static constexpr std::uint64_t ecrecover = 3'000;         // facts §2
  static constexpr std::uint64_t sstore_set = 20'000;       // facts §2 (zero -> non-zero)
  static constexpr std::uint64_t sstore_reset = 2'900;      // facts §2 (non-zero -> non-zero)
  static constexpr std::uint64_t accounting = 6'035;        // facts §2: the contract's accountingGasCost
  static constexpr std::uint64_t entry = 700;               // dispatch, length check, ABI decode: assumption
  static constexpr std::uint64_t v_copy = 50;              // per signature: copying v out of rawVs; assumption
  static constexpr std::uint64_t signer_loop = 100;         // per signature: loop, memory, bool[] bookkeeping; assumption
  static constexpr std::uint64_t observer_loop = 60;        // per observation: observer copy and seen[] check; assumption
  static constexpr std::uint64_t sort_loop = 40;            // per observation: sortedness check; assumption
  static constexpr std::uint64_t reward_loop = 100;         // per observation: saturating reward add; assumption
  static constexpr std::uint64_t log_base = 375, log_topic = 375, log_byte = 8;  // yellow paper LOG costs
  static constexpr std::uint64_t keccak_base = 30, keccak_word = 6;              // yellow paper SHA3 costs
};

enum class OcrRevert {
  none,
  config_digest_mismatch,          // "configDigest mismatch"
  stale_report,                    // "stale report"
  not_enough_signatures,           // "not enough signatures"
  too_many_signatures,             // "too many signatures"
  observations_out_of_bounds,      // "num observations out of bounds"
  too_few_values,                  // "too few values to trust median"
  observer_index_out_of_bounds,    // array bounds panic on an observer index >= 31
  observer_index_repeated,         // "observer index repeated"
  unauthorized_transmitter,        // "unauthorized transmitter"
  unauthorized_signer,             // "address not authorized to sign"
  non_unique_signature,            // "non-unique signature"
  observations_not_sorted,         // "observations not sorted"
  median_out_of_range,             // "median is out of min-max range"
};
const char* to_string(OcrRevert r);

// The arguments of transmit(report, rs, ss, rawVs) in model form.
struct OcrTransmitCall {
  std::uint64_t config_digest = 0;
  ocr::EpochRound epoch_round;
  std::vector<ocr::AttributedObservation> observations;  // report order; observer = oracle index
  std::vector<ocr::Signature> signatures;
};

struct OcrTxEnv {
  ocr::Address sender;              // msg.sender / tx.origin
  std::uint64_t gas_price_wei = 0;  // tx.gasprice (the effective price under EIP-1559)
  sim::Time block_time;             // block.timestamp
};

struct OcrTransmitResult {
  OcrRevert revert = OcrRevert::none;
  std::size_t calldata_bytes = 0;
  std::uint64_t calldata_gas = 0;
  std::uint64_t intrinsic_gas = 0;      // 21,000 + calldata gas
  std::uint64_t execution_gas = 0;      // gas spent by the contract's code (up to the revert, if any)
  std::uint64_t reimbursed_gas = 0;     // gasUsed + 16 * len(msg.data) + 6,035 (0 on revert)
  std::uint64_t reimbursement_juels = 0;// LINK-wei credited to the transmitter (gas + linkGweiPerTransmission)
  std::uint32_t aggregator_round = 0;   // the new round id (0 on revert)
  ocr::Value answer = 0;                // the median (on success)
  bool ok() const { return revert == OcrRevert::none; }
  std::uint64_t gas_used() const { return intrinsic_gas + execution_gas; }
};

// ABI calldata of transmit: 356 + 32 * nObs + 64 * nSig bytes (facts §2).
std::vector<std::uint8_t> encode_transmit_calldata(const OcrTransmitCall& call);
// Reimbursed gas price in gwei: tx price plus half the gap below reasonable, capped at maximum (facts §2).
std::uint64_t implied_gas_price_gwei(std::uint64_t tx_gas_price_gwei, const OcrBilling& billing);

class OcrAggregator {
 public:
  // `ecrecover`: the registry standing for signature recovery (public keys only are used).
  OcrAggregator(const OcrAggregatorConfig& cfg, const ocr::KeyRegistry& ecrecover);

  // Executes transmit; on revert no state changes except the wasted-gas counters.
  OcrTransmitResult transmit(const OcrTransmitCall& call, const OcrTxEnv& env);
  void request_new_round() { round_requested_ = true; }

  // latestTransmissionDetails, as the oracles read it.
  ocr::ContractView latest_transmission_details() const;
  std::uint32_t latest_round() const { return static_cast<std::uint32_t>(rounds_.size()); }
  ocr::Value latest_answer() const { return rounds_.empty() ? 0 : rounds_.back().answer; }
  sim::Time latest_timestamp() const { return rounds_.empty() ? sim::Time{} : rounds_.back().timestamp; }

  // Billing state: LINK-wei owed to oracle i (observations rewarded + gas reimbursed + transmission rewards).
  std::uint64_t owed_payment(int oracle) const;
  std::uint32_t observation_count(int oracle) const { return obs_count_.at(static_cast<std::size_t>(oracle)); }

  std::uint64_t accepted() const { return accepted_; }
  std::uint64_t reverted() const { return reverted_; }
  std::uint64_t wasted_gas() const { return wasted_gas_; }  // gas used by reverted transmits

  const OcrAggregatorConfig& config() const { return cfg_; }

 private:
  struct Round {
    ocr::Value answer;
    sim::Time timestamp;
  };
  int signer_index(ocr::Address a) const;
  int transmitter_index(ocr::Address a) const;

  OcrAggregatorConfig cfg_;
  const ocr::KeyRegistry* ecrecover_;
  ocr::EpochRound latest_epoch_round_;
  std::vector<Round> rounds_;
  bool round_requested_ = false;
  std::vector<std::uint32_t> obs_count_;     // uint16 saturating in the contract
  std::vector<std::uint64_t> reimbursed_;    // LINK-wei per oracle
  std::uint64_t accepted_ = 0, reverted_ = 0, wasted_gas_ = 0;
};

}  // namespace models::contracts
