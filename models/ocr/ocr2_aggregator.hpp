#pragma once
// The OCR2 aggregator contract (libocr contract2/OCR2Aggregator.sol, facts §1-2) on the simulated chain: transmit
// with its checks in the contract's order and revert strings, its storage layout (one hot-variables slot, one
// slot per round's transmission, one payment slot per transmitter), lazy per-round billing and reimbursement at
// the transaction's gas price in juelsPerFeeCoin, with gas charged on the tx's GasMeter for what it executes.
//
//   transmit(bytes32[3] reportContext, bytes report, bytes32[] rs, bytes32[] ss, bytes32 rawVs)
//   report = abi.encode(uint32 observationsTimestamp, bytes32 rawObservers, int192[] observations, int192 juelsPerFeeCoin)
//
// Order of checks: stale report (epoch and round not newer), unauthorized transmitter, configDigest mismatch, the
// calldata length (324 + report + 64 (f + 1) bytes), exactly f + 1 signatures ("wrong number of signatures"),
// each signer authorized ("signature error") and no duplicate signer, at most 31 observations, more than f
// ("too few values to trust median"), the median obs[k/2] within [min_answer, max_answer]. Unlike OCR1 the
// contract does not check that observations are sorted or observers unique.
//
// Billing (lazy): an oracle is owed observation_payment for every round since it was added, whether it observed
// or not (the contract's stated assumption), plus what it earned transmitting: (gas used + 16 * calldata bytes +
// accounting_gas) at the reimbursed price (tx price plus half the gap below reasonable, capped at maximum)
// converted with the report's juelsPerFeeCoin, plus transmission_payment. Nothing per observer is written.
//
// Simplified as the OCR1 model (ocr_aggregator.hpp): the signature model, the config digest's bytes, r/s bytes
// non-zero, compute costs that are not storage, precompile, hash or log costs are documented assumptions
// (Ocr2AggregatorGas), no validator configured, no LINK paid out (owed_payment is the accounting).
//
// setConfig (set_config) as OCR1's (ocr_aggregator.hpp): the same checks and reset of latestEpochAndRound, the
// oracles paid (payOracles) and every new oracle's reward counted from the latest aggregator round.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/chain/execution.hpp"
#include "models/ocr/ocr_aggregator.hpp"
#include "models/ocr/report.hpp"
#include "models/ocr/should_report.hpp"
#include "sim/config_issue.hpp"

namespace models::ocr {

// setBilling of OCR2Aggregator; mainnet values not found: assumptions as OCR1's (OcrBilling).
struct Ocr2Billing {
  std::uint32_t maximum_gas_price_gwei = 1'000;          // assumption (as OCR1)
  std::uint32_t reasonable_gas_price_gwei = 50;          // assumption (as OCR1)
  std::uint32_t observation_payment_gjuels = 20'000'000; // 0.02 LINK per oracle per round; assumption (OCR1's per observation)
  std::uint32_t transmission_payment_gjuels = 60'000'000;// 0.06 LINK per accepted transmission; assumption (as OCR1)
  std::uint32_t accounting_gas = 6'035;                  // uint24 in s_hotVars; assumption: OCR1's accountingGasCost
};

struct Ocr2AggregatorConfig {
  std::uint64_t config_digest = 0;
  int f = 1;                                   // reports carry exactly f + 1 signatures and more than f observations
  std::vector<Address> signers;
  std::vector<chain::Address> transmitters;
  Value min_answer = 1;                        // immutable; the onchain config the plugin also reads
  Value max_answer = static_cast<Value>(~chain::Amount{0} >> 1);
  Ocr2Billing billing;
};

sim::ConfigIssues validate(const Ocr2AggregatorConfig& cfg, const std::string& path_prefix);

// Compute costs of transmit beyond storage, ecrecover, keccak and logs. "Calibrated": fitted by least squares to
// the receipts of libocr's OCR2Aggregator compiled with solc 0.8.19 and run in @ethereumjs/vm at Cancun
// (tests/data/gas/measured.csv, tools/gas-calibration; as OcrAggregatorGas), about 12% above the assumptions before.
struct Ocr2AggregatorGas {
  static constexpr chain::Gas entry = 700;          // dispatch, length check (request_new_round, set_config); assumption
  static constexpr chain::Gas calldata_decode = 1'030;  // transmit: ABI decoding of the context and calldata; calibrated
  static constexpr chain::Gas signer_loop = 834;    // per signature: v from rawVs, loop, bitmask update; calibrated
  static constexpr chain::Gas decode = 8'464;       // abi.decode of the report and the transmission's bookkeeping; calibrated
  static constexpr chain::Gas observer_copy = 243;  // per observation: decoded into memory; calibrated
  static constexpr chain::Gas billing = 400;        // reimbursement arithmetic (in `decode`'s fit)
  // setConfig, calibrated as OCR1's (ocr_aggregator.hpp, OcrAggregatorGas::set_config) against OCR2Aggregator.setConfig.
  static constexpr chain::Gas set_config = 50'642;  // dispatch, checks, the onchain config, reward array; calibrated
  static constexpr chain::Gas pay_oracle = 18'440;  // per oracle paid: LINK transfer, OraclePaid; calibrated
};

enum class Ocr2Revert {
  none,
  stale_report,               // "stale report"
  unauthorized_transmitter,   // "unauthorized transmitter"
  config_digest_mismatch,     // "configDigest mismatch"
  calldata_length_mismatch,   // "calldata length mismatch"
  wrong_number_of_signatures, // "wrong number of signatures"
  signature_error,            // "signature error"
  duplicate_signer,           // "duplicate signer"
  observations_out_of_bounds, // "num observations out of bounds"
  too_few_values,             // "too few values to trust median"
  median_out_of_range,        // "median is out of min-max range"
};
const char* to_string(Ocr2Revert r);

// The arguments of transmit in model form.
struct Ocr2TransmitCall {
  std::uint64_t config_digest = 0;
  EpochRound epoch_round;
  std::uint64_t extra_hash = 0;                     // reportContext[2]
  std::uint32_t observations_timestamp = 0;
  std::vector<AttributedObservation> observations;  // report order (the protocol sorts them)
  Value juels_per_fee_coin = 0;
  std::vector<Signature> signatures;
};

struct Ocr2NewTransmission {  // NewTransmission (+ NewRound, AnswerUpdated)
  std::uint32_t aggregator_round = 0;
  Value answer = 0;
  chain::Address transmitter;
  std::uint32_t observations_timestamp = 0;
  std::vector<AttributedObservation> observations;
  Value juels_per_fee_coin = 0;
  EpochRound epoch_round;
  chain::Gas reimbursed_gas = 0;      // gas used + 16 * len(msg.data) + accounting_gas
  chain::Amount payment_juels = 0;    // credited to the transmitter (reimbursement + transmission payment)
};

// Report bytes (160 + 32 k) and the calldata: 324 + report + 64 (f + 1) bytes.
inline std::uint64_t ocr2_report_length(std::size_t n_obs) { return 160 + 32 * n_obs; }
inline std::uint64_t ocr2_transmit_calldata_length(std::size_t n_obs, std::size_t n_sig) {
  return 324 + ocr2_report_length(n_obs) + 64 * n_sig;
}
std::vector<std::uint8_t> encode_ocr2_transmit_calldata(const Ocr2TransmitCall& call);
inline chain::Calldata ocr2_transmit_calldata(const Ocr2TransmitCall& call) {
  return chain::Calldata::from_bytes(encode_ocr2_transmit_calldata(call));
}

struct Ocr2AggregatorState {
  EpochRound latest_epoch_round;                     // s_hotVars.latestEpochAndRound
  std::uint32_t latest_round = 0;                    // s_hotVars.latestAggregatorRoundId
  Value latest_answer = 0;                           // s_transmissions[latest].answer
  std::uint32_t latest_observations_timestamp = 0;   // s_transmissions[latest].observationsTimestamp
  sim::Time latest_timestamp{};                      // s_transmissions[latest].transmissionTimestamp
  bool round_requested = false;
  std::array<chain::Amount, 31> payment_juels{};     // s_transmitters[i].paymentJuels (uint96)
  std::array<std::uint32_t, 31> reward_from_round{}; // s_rewardFromAggregatorRoundId (0: since deployment)
  std::shared_ptr<const Ocr2AggregatorConfig> config; // set by setConfig (null: the deployment's configuration)
  std::uint32_t config_count = 1;                     // s_configCount
  chain::Amount paid_juels = 0;                       // paid to the oracles by every setConfig (payOracles)
};

class Ocr2Aggregator : public chain::StatefulContract<Ocr2AggregatorState>, public AggregatorReadout {
 public:
  Ocr2Aggregator(const Ocr2AggregatorConfig& cfg, const ocr::KeyRegistry& ecrecover);

  void transmit(chain::ExecContext& c, const Ocr2TransmitCall& call, chain::Wei tx_gas_price);
  void request_new_round(chain::ExecContext& c);
  // setConfig(signers, transmitters, f, onchainConfig, ...): the OCR1 checks and effects (ocr_aggregator.hpp).
  void set_config(chain::ExecContext& c, const std::vector<Address>& signers, const std::vector<chain::Address>& transmitters,
                  int f);

  ContractView latest_transmission_details() const override;
  std::uint32_t latest_round() const override { return state_.latest_round; }
  Value latest_answer() const override { return state_.latest_answer; }
  sim::Time latest_timestamp() const override { return state_.latest_timestamp; }
  // (rounds since the oracle's reward start) * observation payment + its transmission payments.
  chain::Amount owed_payment(int oracle) const override;
  std::uint64_t config_digest() const override { return config().config_digest; }
  // The current configuration (the deployment's until a setConfig).
  const Ocr2AggregatorConfig& config() const { return state_.config ? *state_.config : cfg_; }
  std::uint32_t config_count() const override { return state_.config_count; }
  int oracles() const override { return static_cast<int>(config().signers.size()); }
  chain::Amount paid_juels() const override { return state_.paid_juels; }
  const AggregatorTelemetry& telemetry() const override { return telemetry_; }

 private:
  void check(chain::ExecContext& c, bool ok, Ocr2Revert why);

  Ocr2AggregatorConfig cfg_;
  const ocr::KeyRegistry* ecrecover_;
  AggregatorTelemetry telemetry_;
};

}  // namespace models::ocr
