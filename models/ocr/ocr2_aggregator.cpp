#include "models/ocr/ocr2_aggregator.hpp"

#include <algorithm>

#include <fmt/core.h>

#include "models/ocr/abi_words.hpp"

namespace models::ocr {
namespace {
__extension__ typedef unsigned __int128 U128;
using G = Ocr2AggregatorGas;
// transmit(bytes32[3],bytes,bytes32[],bytes32[],bytes32)
constexpr std::uint8_t kSelector[4] = {0xb1, 0xdc, 0x65, 0xa4};

// Storage variables (slot numbers for EIP-2929 warm/cold tracking).
enum Var : std::uint64_t {
  kHotVars = 1, kTransmitters, kSigners, kLatestConfigDigest, kTransmissions, kValidatorConfig, kRewardFrom, kSignersList,
  kTransmittersList, kConfigCount, kOwner
};
}  // namespace

const char* to_string(Ocr2Revert r) {
  switch (r) {
    case Ocr2Revert::none: return "ok";
    case Ocr2Revert::stale_report: return "stale report";
    case Ocr2Revert::unauthorized_transmitter: return "unauthorized transmitter";
    case Ocr2Revert::config_digest_mismatch: return "configDigest mismatch";
    case Ocr2Revert::calldata_length_mismatch: return "calldata length mismatch";
    case Ocr2Revert::wrong_number_of_signatures: return "wrong number of signatures";
    case Ocr2Revert::signature_error: return "signature error";
    case Ocr2Revert::duplicate_signer: return "duplicate signer";
    case Ocr2Revert::observations_out_of_bounds: return "num observations out of bounds";
    case Ocr2Revert::too_few_values: return "too few values to trust median";
    case Ocr2Revert::median_out_of_range: return "median is out of min-max range";
  }
  return "?";
}

sim::ConfigIssues validate(const Ocr2AggregatorConfig& cfg, const std::string& path_prefix) {
  OcrAggregatorConfig as_ocr1{cfg.config_digest, cfg.f, cfg.signers, cfg.transmitters, cfg.min_answer, cfg.max_answer, {}};
  sim::ConfigIssues issues = validate(as_ocr1, path_prefix);  // the same setConfig constraints (0 < f, 3f < n, ...)
  if (cfg.billing.accounting_gas >= (1u << 24))
    issues.add(path_prefix.empty() ? "accounting_gas" : path_prefix + ".accounting_gas",
               fmt::format("must fit uint24 (got {})", cfg.billing.accounting_gas));
  return issues;
}

std::vector<std::uint8_t> encode_ocr2_transmit_calldata(const Ocr2TransmitCall& call) {
  const std::size_t n_obs = call.observations.size(), n_sig = call.signatures.size();
  const std::uint64_t report_len = ocr2_report_length(n_obs);
  std::vector<std::uint8_t> out(kSelector, kSelector + 4);
  out.reserve(ocr2_transmit_calldata_length(n_obs, n_sig));
  // reportContext: config digest, epoch and round, extraHash.
  abi::put_config_digest(out, call.config_digest, 16);
  abi::put_word(out, call.epoch_round.packed());
  abi::put_sig_word(out, call.extra_hash, 7);  // a hash: no zero bytes to speak of
  // Offsets of report, rs, ss; rawVs.
  const std::uint64_t off_report = 7 * 32;
  const std::uint64_t off_rs = off_report + 32 + report_len;
  const std::uint64_t off_ss = off_rs + 32 + 32 * n_sig;
  abi::put_word(out, off_report);
  abi::put_word(out, off_rs);
  abi::put_word(out, off_ss);
  for (std::size_t i = 0; i < 32; ++i) out.push_back(i < n_sig ? static_cast<std::uint8_t>(call.signatures[i].tag & 1) : 0);
  // report = abi.encode(uint32 observationsTimestamp, bytes32 rawObservers, int192[] observations, int192 juels)
  abi::put_word(out, report_len);
  abi::put_word(out, call.observations_timestamp);
  for (std::size_t i = 0; i < 32; ++i) out.push_back(i < n_obs ? static_cast<std::uint8_t>(call.observations[i].observer) : 0);
  abi::put_word(out, 4 * 32);  // offset of the observations array inside the report
  abi::put_int_word(out, call.juels_per_fee_coin);
  abi::put_word(out, n_obs);
  for (const auto& o : call.observations) abi::put_int_word(out, o.value);
  abi::put_word(out, n_sig);
  for (const auto& s : call.signatures) abi::put_sig_word(out, s.tag, 0);
  abi::put_word(out, n_sig);
  for (const auto& s : call.signatures) abi::put_sig_word(out, s.tag, 1);
  return out;
}

Ocr2Aggregator::Ocr2Aggregator(const Ocr2AggregatorConfig& cfg, const ocr::KeyRegistry& ecrecover)
    : cfg_(cfg), ecrecover_(&ecrecover) {
  state_.payment_juels.fill(0);
  state_.reward_from_round.fill(0);
}

void Ocr2Aggregator::check(chain::ExecContext& c, bool ok, Ocr2Revert why) {
  if (ok) return;
  ++telemetry_.reverted;
  if (why == Ocr2Revert::stale_report) ++telemetry_.stale;
  telemetry_.wasted_gas += c.gas().used();
  c.revert(to_string(why));
}

void Ocr2Aggregator::transmit(chain::ExecContext& c, const Ocr2TransmitCall& call, chain::Wei tx_gas_price) {
  chain::GasMeter& gas = c.gas();
  const chain::Gas initial = gas.used();
  const auto self = c.self();
  auto slot = [&](std::uint64_t var, std::uint64_t index = 0) { return chain::SlotKey{self, chain::slot_of(var, index)}; };
  const std::size_t n_obs = call.observations.size(), n_sig = call.signatures.size();

  gas.charge(G::entry + G::calldata_decode, "compute");
  gas.sload(slot(kHotVars));
  check(c, state_.latest_epoch_round < call.epoch_round, Ocr2Revert::stale_report);
  const auto& tx = config().transmitters;
  const auto tx_it = std::find(tx.begin(), tx.end(), c.sender());
  gas.sload(slot(kTransmitters, c.sender().id));
  check(c, tx_it != tx.end(), Ocr2Revert::unauthorized_transmitter);
  const auto tx_index = static_cast<std::size_t>(tx_it - tx.begin());
  gas.sload(slot(kLatestConfigDigest));
  check(c, call.config_digest == config().config_digest, Ocr2Revert::config_digest_mismatch);
  // The msg.data length check passes by construction (the binding encodes the call it sends).
  check(c, static_cast<int>(n_sig) == config().f + 1, Ocr2Revert::wrong_number_of_signatures);

  // h = keccak256(abi.encode(keccak256(report), reportContext)); one ecrecover and signer read per signature.
  gas.keccak(ocr2_report_length(n_obs));
  gas.keccak(128);
  const std::uint64_t digest = report_digest_ocr2(call.config_digest, call.epoch_round, call.extra_hash, call.observations,
                                                  call.observations_timestamp, call.juels_per_fee_coin);
  std::array<bool, kMaxOracles> signed_by{};
  bool duplicate = false;
  for (const auto& sig : call.signatures) {
    gas.ecrecover();
    gas.charge(chain::gas::kWarmAccess, "staticcall");  // precompiles are warm (EIP-2929)
    gas.charge(G::signer_loop, "compute");
    const auto who = ecrecover_->recover(sig, digest);
    gas.sload(slot(kSigners, who ? who->value : 0));
    const auto it = who ? std::find(config().signers.begin(), config().signers.end(), *who) : config().signers.end();
    check(c, it != config().signers.end(), Ocr2Revert::signature_error);
    const auto i = static_cast<std::size_t>(it - config().signers.begin());
    duplicate = duplicate || signed_by[i];
    signed_by[i] = true;
  }
  check(c, !duplicate, Ocr2Revert::duplicate_signer);  // the bitmask is checked after the loop

  // _report: decode, bounds, median, range (no sortedness or observer uniqueness check in OCR2).
  gas.charge(G::decode + G::observer_copy * n_obs, "compute");
  check(c, n_obs <= static_cast<std::size_t>(kMaxOracles), Ocr2Revert::observations_out_of_bounds);
  check(c, static_cast<int>(n_obs) > config().f, Ocr2Revert::too_few_values);
  const Value median = call.observations[n_obs / 2].value;
  check(c, config().min_answer <= median && median <= config().max_answer, Ocr2Revert::median_out_of_range);

  const std::uint32_t round_id = state_.latest_round + 1;
  gas.sstore(slot(kTransmissions, round_id), 0, 1);  // {answer, observationsTimestamp, transmissionTimestamp}: one slot
  gas.sstore(slot(kHotVars), state_.latest_epoch_round.packed() + 1, call.epoch_round.packed() + 1);
  const std::uint64_t event_bytes = 352 + 32 * static_cast<std::uint64_t>(n_obs);
  gas.sload(slot(kValidatorConfig));  // _validateAnswer: no validator configured

  // _payTransmitter: gas used so far (events included, emitted below), calldata and accounting gas.
  gas.charge(G::billing, "billing");
  const chain::Gas log_gas = 3 * chain::gas::kLogBase + (2 + 3 + 3) * chain::gas::kLogTopic +
                             (event_bytes + 32 + 32) * chain::gas::kLogDataByte;
  Ocr2NewTransmission ev{round_id, median, c.sender(), call.observations_timestamp, call.observations,
                         call.juels_per_fee_coin, call.epoch_round, 0, 0};
  ev.reimbursed_gas = (gas.used() - initial) + log_gas +
                      16 * ocr2_transmit_calldata_length(n_obs, n_sig) + config().billing.accounting_gas;
  if (call.juels_per_fee_coin >= 0) {
    const std::uint64_t price_gwei = implied_gas_price_gwei(
        tx_gas_price / chain::kGwei, OcrBilling{config().billing.maximum_gas_price_gwei, config().billing.reasonable_gas_price_gwei, 0, 0, 0});
    // juels = gas · price · juelsPerFeeCoin / 1e18 with the price in gwei: (gas · gwei) · j / 1e9, split so that
    // no product leaves 128 bits at the largest link_per_eth a scenario accepts (1e9 LINK per ETH).
    const U128 gas_gwei = static_cast<U128>(ev.reimbursed_gas) * price_gwei;
    const U128 j = static_cast<U128>(call.juels_per_fee_coin);
    const U128 juels = gas_gwei * (j / chain::kGwei) + gas_gwei * (j % chain::kGwei) / chain::kGwei;
    ev.payment_juels = static_cast<chain::Amount>(juels) +
                       chain::Amount{config().billing.transmission_payment_gjuels} * chain::kGwei;
    gas.sstore(slot(kTransmitters, c.sender().id), 1, 2);  // paymentJuels shares the slot with active and index
    state_.payment_juels[tx_index] += ev.payment_juels;
  }

  state_.latest_epoch_round = call.epoch_round;
  state_.latest_round = round_id;
  state_.latest_answer = median;
  state_.latest_observations_timestamp = call.observations_timestamp;
  state_.latest_timestamp = c.timestamp();
  state_.round_requested = false;
  ++telemetry_.accepted;
  c.emit({.emitter = {}, .event = "NewTransmission", .topics = 2, .data_bytes = event_bytes, .payload = std::move(ev)});
  c.emit({.emitter = {}, .event = "NewRound", .topics = 3, .data_bytes = 32, .payload = {}});
  c.emit({.emitter = {}, .event = "AnswerUpdated", .topics = 3, .data_bytes = 32, .payload = {}});
}

void Ocr2Aggregator::request_new_round(chain::ExecContext& c) {
  c.gas().charge(G::entry, "compute");
  c.gas().sload({c.self(), chain::slot_of(kHotVars)});
  state_.round_requested = true;
  c.emit({.emitter = {}, .event = "RoundRequested", .topics = 2, .data_bytes = 96,
          .payload = OcrRoundRequested{c.sender(), state_.latest_epoch_round}});
}

void Ocr2Aggregator::set_config(chain::ExecContext& c, const std::vector<Address>& signers,
                                const std::vector<chain::Address>& transmitters, int f) {
  chain::GasMeter& gas = c.gas();
  const auto self = c.self();
  auto slot = [&](std::uint64_t var, std::uint64_t index = 0) { return chain::SlotKey{self, chain::slot_of(var, index)}; };
  const Ocr2AggregatorConfig& old = config();
  const std::size_t n = signers.size(), old_n = old.signers.size();
  gas.charge(G::set_config, "compute");
  gas.sload(slot(kOwner));  // onlyOwner
  check_new_config(c, n, transmitters.size(), f);

  // _payOracles: every old transmitter is paid what it is owed; its reward restarts at the latest round.
  gas.sload(slot(kHotVars));
  chain::Amount paid = 0;
  for (std::size_t i = 0; i < old_n; ++i) {
    gas.sload(slot(kTransmitters, old.transmitters[i].id));
    const chain::Amount owed = owed_payment(static_cast<int>(i));
    if (owed > 0) {
      gas.charge(G::pay_oracle, "link-transfer");
      // paymentJuels = 0 in the transmitter's packed slot: a change only when it held a reimbursement.
      const bool reimbursed = state_.payment_juels[i] > 0;
      gas.sstore(slot(kTransmitters, old.transmitters[i].id), reimbursed ? 2 : 1, 1);
      paid += owed;
    }
  }
  gas.sstore(slot(kRewardFrom), 1, 2);  // the uint32[31] array: one slot per 8 entries, charged as one write
  replace_oracle_sets(c, old.signers, old.transmitters, signers, transmitters,
                      {[&](std::uint64_t a) { return slot(kSigners, a); }, [&](std::uint64_t a) { return slot(kTransmitters, a); },
                       [&](std::uint64_t i) { return slot(kSignersList, i); }, [&](std::uint64_t i) { return slot(kTransmittersList, i); }});
  gas.sstore(slot(kConfigCount), state_.config_count, state_.config_count + 1);
  const std::uint64_t encoded_bytes = 32 * (10 + 2 * static_cast<std::uint64_t>(n));
  gas.keccak(encoded_bytes);  // _configDigestFromConfigData
  gas.sstore(slot(kLatestConfigDigest), 1, 2);
  gas.sstore(slot(kHotVars), state_.latest_epoch_round.packed() + 1, 1);  // f, epoch-round 0

  auto next = std::make_shared<Ocr2AggregatorConfig>(old);
  next->signers = signers;
  next->transmitters = transmitters;
  next->f = f;
  next->config_digest = config_digest_from(self, state_.config_count + 1, signers, transmitters, f);
  state_.paid_juels += paid;
  state_.payment_juels.fill(0);
  state_.reward_from_round.fill(state_.latest_round);
  state_.latest_epoch_round = EpochRound{};
  state_.round_requested = false;
  ++state_.config_count;
  OcrConfigSet ev{state_.config_count, next->config_digest, f, signers, transmitters};
  state_.config = std::move(next);
  c.emit({.emitter = {}, .event = "ConfigSet", .topics = 1, .data_bytes = encoded_bytes, .payload = std::move(ev)});
}

ContractView Ocr2Aggregator::latest_transmission_details() const {
  ContractView v;
  v.config_digest = config().config_digest;
  v.latest = state_.latest_epoch_round;
  v.answer = state_.latest_answer;
  v.timestamp = state_.latest_timestamp;
  v.round_requested = state_.round_requested;
  return v;
}

chain::Amount Ocr2Aggregator::owed_payment(int oracle) const {
  const auto i = static_cast<std::size_t>(oracle);
  const std::uint32_t rounds = state_.latest_round - state_.reward_from_round.at(i);
  return chain::Amount{rounds} * config().billing.observation_payment_gjuels * chain::kGwei + state_.payment_juels.at(i);
}

}  // namespace models::ocr
