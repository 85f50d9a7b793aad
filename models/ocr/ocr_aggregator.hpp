#pragma once
// The OCR1 aggregator contract (libocr contract/OffchainAggregator.sol + OffchainAggregatorBilling.sol, facts §1-2)
// on the simulated chain (models/chain/execution.hpp): every check of transmit in the contract's order with its
// revert string, the round storage, requestNewRound, billing, and gas charged on the tx's GasMeter for what the
// function does (EIP-2929 storage reads/writes, ecrecover, keccak, logs, loops); the calldata is priced by the
// chain from encode_transmit_calldata (356 + 32 nObs + 64 nSig bytes, zero bytes counted from the content).
//
//   chain::Transaction tx{..., .calldata = transmit_calldata(call),
//                         .call = [call, price](chain::ExecContext& c) { c.self_as<OcrAggregator>().transmit(c, call, price); },
//                         .label = "ocr/transmit"};
//
// Simplified: signatures are the models/ocr signature model (ecrecover = KeyRegistry::recover); the 16-byte config
// digest is the 64-bit digest followed by its bitwise complement; r and s bytes are derived from the signature tag
// with every byte forced non-zero (a real zero byte has probability 1/256); compute costs that are not storage,
// precompile, hash or log costs are documented assumptions (OcrAggregatorGas); the contract pays no LINK out
// (owed_payment is the accounting); no validator contract is configured.
//
// setConfig (set_config) as the contract runs it: the checks with their revert strings, latestEpochAndRound reset to
// 0 (so the new configuration's epochs start over), the oracles paid what they are owed (payOracles: the model adds
// it to paid_juels instead of transferring LINK, and restarts the counts), the signer and transmitter sets replaced,
// configCount + 1 and a new config digest: a report signed under the old digest reverts with "configDigest
// mismatch" from then on. Simplified: no owner check (the scenario's change is the owner's); the digest is a 64-bit
// hash of (contract, configCount, signers, transmitters, f) instead of keccak over the ABI encoding with the
// offchain config; setConfig's gas is storage, hashing and the event priced by models/chain/gas.hpp plus an
// assumed constant per oracle paid (OcrAggregatorGas::pay_oracle).
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/chain/execution.hpp"
#include "models/ocr/aggregator_readout.hpp"
#include "models/ocr/report.hpp"
#include "models/ocr/should_report.hpp"
#include "sim/config_issue.hpp"
#include "sim/time.hpp"

namespace models::ocr {

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
  std::vector<Address> signers;          // on-chain signing address of oracle i
  std::vector<chain::Address> transmitters;   // transmitting account of oracle i
  Value min_answer = 1;                  // medians outside [min_answer, max_answer] revert
  Value max_answer = static_cast<Value>(~chain::Amount{0} >> 1);  // assumption: no bound (the 128-bit maximum)
  OcrBilling billing;
};

sim::ConfigIssues validate(const OcrAggregatorConfig& cfg, const std::string& path_prefix);

// Compute costs of transmit beyond storage, ecrecover, keccak and logs (which models/chain/gas.hpp prices). The
// entries marked "calibrated" were fitted by least squares to the receipts of the real contract
// (tests/data/gas/measured.csv, tools/gas-calibration: libocr's OffchainAggregator compiled with solc 0.7.6, run
// in @ethereumjs/vm at Cancun) over n = 4..31, f + 1 and 2f + 1 signatures, 2f + 1 and n observations: the
// calldata decoding before the first check (from the stale reverts), and after the checks the decoding of the
// report into memory, the per-signature and per-observation work, which the per-opcode assumptions before
// underpriced by about 25% in all (tests/models/contracts/gas_calibration_test.cpp holds every row within 2%).
struct OcrAggregatorGas {
  static constexpr chain::Gas accounting = 6'035;        // facts §2: the contract's accountingGasCost (charged as is)
  static constexpr chain::Gas entry = 700;               // dispatch, length check (request_new_round, set_config): assumption
  static constexpr chain::Gas calldata_decode = 1'343;   // transmit: ABI decoding of the calldata; calibrated
  static constexpr chain::Gas report_decode = 26'034;    // transmit: the report into memory, the transmission's bookkeeping; calibrated
  static constexpr chain::Gas v_copy = 50;               // per signature: copying v out of rawVs
  static constexpr chain::Gas signer_loop = 999;         // per signature: loop, memory, bool[] bookkeeping; calibrated (with v_copy)
  static constexpr chain::Gas observer_loop = 920;       // per observation: observer copy and seen[] check; calibrated (with the next two)
  static constexpr chain::Gas sort_loop = 40;            // per observation: sortedness check
  static constexpr chain::Gas reward_loop = 100;         // per observation: saturating reward add
  // setConfig, calibrated against OffchainAggregator.setConfig replacing a configuration of the same n (n = 4, 7, 16,
  // 31; none or n/3 of the oracles replaced; every old oracle owed and paid, payees already holding LINK): least
  // squares of a fixed part and a part per oracle paid, every row within 1%.
  static constexpr chain::Gas set_config = 12'042;       // setConfig: dispatch, checks, argument copies; calibrated
  static constexpr chain::Gas pay_oracle = 17'109;       // setConfig: per oracle paid: payee read, LINK transfer, OraclePaid; calibrated
};

// setConfig's calldata without the offchain config's bytes (simplified: the simulator does not model them): the
// head, the two address arrays (12 zero bytes per address) and, for OCR2, the onchain config's two words.
chain::Calldata set_config_calldata(std::size_t n, bool ocr2);

// The ConfigSet event of either generation (chain::Log payload): what a node's config tracker reads.
struct OcrConfigSet {
  std::uint32_t config_count = 0;   // 1 for the deployment's configuration
  std::uint64_t config_digest = 0;
  int f = 0;
  std::vector<Address> signers;
  std::vector<chain::Address> transmitters;
};

// setConfig's part common to both generations (libocr contract/ and contract2/): the checks on the new oracle sets
// ("too many oracles", "oracle length mismatch", "faulty-oracle f too high", "f must be positive") ...
void check_new_config(chain::ExecContext& c, std::size_t signers, std::size_t transmitters, int f);
// ... and the storage writes that delete the old sets and record the new ones ("repeated signer address",
// "repeated transmitter address"), at the slots each generation keeps them in.
struct OracleSetSlots {
  std::function<chain::SlotKey(std::uint64_t)> signer, transmitter;            // mapping entry by address
  std::function<chain::SlotKey(std::uint64_t)> signer_list, transmitter_list;  // list element by index
};
void replace_oracle_sets(chain::ExecContext& c, const std::vector<Address>& old_signers,
                         const std::vector<chain::Address>& old_transmitters, const std::vector<Address>& signers,
                         const std::vector<chain::Address>& transmitters, const OracleSetSlots& slots);

// The new digest setConfig computes (both generations): a hash of (contract, configCount, signers, transmitters, f).
std::uint64_t config_digest_from(chain::Address contract, std::uint32_t config_count, const std::vector<Address>& signers,
                                 const std::vector<chain::Address>& transmitters, int f);

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
  EpochRound epoch_round;
  std::vector<AttributedObservation> observations;  // report order; observer = oracle index
  std::vector<Signature> signatures;
};

// Events (chain::Log payloads).
struct OcrNewTransmission {       // NewTransmission (+ the legacy NewRound / AnswerUpdated)
  std::uint32_t aggregator_round = 0;
  Value answer = 0;
  chain::Address transmitter;
  EpochRound epoch_round;
  std::vector<AttributedObservation> observations;
  chain::Gas reimbursed_gas = 0;          // gasUsed + 16 * len(msg.data) + 6,035
  std::uint64_t reimbursement_juels = 0;  // LINK-wei credited to the transmitter (gas + linkGweiPerTransmission)
};
struct OcrRoundRequested { chain::Address requester; EpochRound latest; };

// ABI calldata of transmit: 356 + 32 * nObs + 64 * nSig bytes (facts §2).
std::vector<std::uint8_t> encode_transmit_calldata(const OcrTransmitCall& call);
inline chain::Calldata transmit_calldata(const OcrTransmitCall& call) {
  return chain::Calldata::from_bytes(encode_transmit_calldata(call));
}
// The bytes of msg.data the contract expects (expectedMsgDataLength).
inline std::uint64_t transmit_calldata_length(std::size_t n_obs, std::size_t n_sig) { return 356 + 32 * n_obs + 64 * n_sig; }
// Reimbursed gas price in gwei: tx price plus half the gap below reasonable, capped at maximum (facts §2).
std::uint64_t implied_gas_price_gwei(std::uint64_t tx_gas_price_gwei, const OcrBilling& billing);

struct OcrAggregatorState {
  EpochRound latest_epoch_round;     // s_hotVars.latestEpochAndRound
  std::uint32_t latest_round = 0;         // s_hotVars.latestAggregatorRoundId
  Value latest_answer = 0;           // s_transmissions[latest].answer
  sim::Time latest_timestamp{};           // s_transmissions[latest].timestamp
  bool round_requested = false;           // a RoundRequested since the latest report (what the oracles watch)
  std::array<std::uint32_t, 31> observation_counts{};  // uint16 saturating in the contract
  std::array<chain::Amount, 31> reimbursed_juels{};    // gas reimbursements + transmission rewards (juels exceed 64 bits)
  std::shared_ptr<const OcrAggregatorConfig> config;   // set by setConfig (null: the deployment's configuration)
  std::uint32_t config_count = 1;                      // s_configCount
  chain::Amount paid_juels = 0;                        // paid to the oracles by every setConfig (payOracles)
};

class OcrAggregator : public chain::StatefulContract<OcrAggregatorState>, public AggregatorReadout {
 public:
  // `ecrecover`: the registry standing for signature recovery (only public checks are used).
  OcrAggregator(const OcrAggregatorConfig& cfg, const ocr::KeyRegistry& ecrecover);

  // transmit(report, rs, ss, rawVs) sent with effective gas price `tx_gas_price` (tx.gasprice, wei per gas).
  // Reverts (chain::Revert with the contract's reason string) on any failed check.
  void transmit(chain::ExecContext& c, const OcrTransmitCall& call, chain::Wei tx_gas_price);
  void request_new_round(chain::ExecContext& c);
  // setConfig(signers, transmitters, f, ...): see the header. Reverts "too many oracles", "oracle length mismatch",
  // "faulty-oracle f too high", "f must be positive", "repeated signer address", "repeated transmitter address".
  void set_config(chain::ExecContext& c, const std::vector<Address>& signers, const std::vector<chain::Address>& transmitters,
                  int f);

  // Off-chain reads (eth_call; free).
  ContractView latest_transmission_details() const override;
  std::uint32_t latest_round() const override { return state_.latest_round; }
  Value latest_answer() const override { return state_.latest_answer; }
  sim::Time latest_timestamp() const override { return state_.latest_timestamp; }
  // LINK-wei owed to oracle i: observation rewards + gas reimbursement + transmission rewards.
  chain::Amount owed_payment(int oracle) const override;
  std::uint64_t config_digest() const override { return config().config_digest; }
  std::uint32_t observation_count(int oracle) const { return state_.observation_counts.at(static_cast<std::size_t>(oracle)); }
  // The current configuration (the deployment's until a setConfig).
  const OcrAggregatorConfig& config() const { return state_.config ? *state_.config : cfg_; }
  std::uint32_t config_count() const override { return state_.config_count; }
  chain::Amount paid_juels() const override { return state_.paid_juels; }
  int oracles() const override { return static_cast<int>(config().signers.size()); }

  using Telemetry = AggregatorTelemetry;
  const Telemetry& telemetry() const override { return telemetry_; }

 private:
  void check(chain::ExecContext& c, bool ok, OcrRevert why);
  int signer_index(Address a) const;
  int transmitter_index(chain::Address a) const;

  OcrAggregatorConfig cfg_;
  const ocr::KeyRegistry* ecrecover_;
  Telemetry telemetry_;
};

}  // namespace models::ocr
