#include "models/ocr/ocr_aggregator.hpp"

#include <algorithm>
#include <set>

#include <fmt/core.h>

#include "models/ocr/abi_words.hpp"
#include "sim/hash.hpp"

namespace models::ocr {
namespace {
using abi::put_int_word;
using abi::put_sig_word;
using abi::put_word;
__extension__ typedef unsigned __int128 U128;
using G = OcrAggregatorGas;
constexpr std::uint8_t kSelector[4] = {0xc9, 0x80, 0x75, 0x39};   // transmit(bytes,bytes32[],bytes32[],bytes32)

// Storage variables (slot numbers for EIP-2929 warm/cold tracking).
enum Var : std::uint64_t {
  kHotVars = 1, kOracles, kTransmittersLength, kTransmitters, kTransmissions, kValidatorConfig, kBilling,
  kObservationCounts, kGasReimbursements, kSigners, kConfigCount, kOwner
};
}  // namespace

const char* to_string(OcrRevert r) {
  switch (r) {
    case OcrRevert::none: return "ok";
    case OcrRevert::config_digest_mismatch: return "configDigest mismatch";
    case OcrRevert::stale_report: return "stale report";
    case OcrRevert::not_enough_signatures: return "not enough signatures";
    case OcrRevert::too_many_signatures: return "too many signatures";
    case OcrRevert::observations_out_of_bounds: return "num observations out of bounds";
    case OcrRevert::too_few_values: return "too few values to trust median";
    case OcrRevert::observer_index_out_of_bounds: return "observer index out of bounds";
    case OcrRevert::observer_index_repeated: return "observer index repeated";
    case OcrRevert::unauthorized_transmitter: return "unauthorized transmitter";
    case OcrRevert::unauthorized_signer: return "address not authorized to sign";
    case OcrRevert::non_unique_signature: return "non-unique signature";
    case OcrRevert::observations_not_sorted: return "observations not sorted";
    case OcrRevert::median_out_of_range: return "median is out of min-max range";
  }
  return "?";
}

sim::ConfigIssues validate(const OcrAggregatorConfig& cfg, const std::string& path_prefix) {
  sim::ConfigIssues issues;
  auto key = [&](const char* name) { return path_prefix.empty() ? std::string(name) : path_prefix + "." + name; };
  const int n = static_cast<int>(cfg.signers.size());
  if (n > kMaxOracles) issues.add(key("signers"), fmt::format("at most {} signers (got {})", kMaxOracles, n));
  if (cfg.transmitters.size() != cfg.signers.size()) {
    issues.add(key("transmitters"), fmt::format("one transmitter per signer (got {} transmitters, {} signers)",
                                                cfg.transmitters.size(), cfg.signers.size()));
  }
  if (cfg.f <= 0 || 3 * cfg.f >= n) {
    issues.add(key("f"), fmt::format("threshold must satisfy 0 < f and 3f < n (got f = {}, n = {})", cfg.f, n));
  }
  if (cfg.min_answer > cfg.max_answer) {
    issues.add(key("min_answer"), fmt::format("must be <= max_answer (got {} > {})", cfg.min_answer, cfg.max_answer));
  }
  auto unique = [](auto v) {
    std::sort(v.begin(), v.end());
    return std::adjacent_find(v.begin(), v.end()) == v.end();
  };
  if (!unique(cfg.signers)) issues.add(key("signers"), "repeated signer address");
  if (!unique(cfg.transmitters)) issues.add(key("transmitters"), "repeated transmitter address");
  return issues;
}

std::vector<std::uint8_t> encode_transmit_calldata(const OcrTransmitCall& call) {
  const std::size_t n_obs = call.observations.size(), n_sig = call.signatures.size();
  const std::uint64_t report_len = 128 + 32 * n_obs;
  std::vector<std::uint8_t> out;
  out.reserve(356 + 32 * n_obs + 64 * n_sig);
  out.insert(out.end(), kSelector, kSelector + 4);
  // Head: offsets of report, rs, ss, then rawVs.
  const std::uint64_t off_report = 4 * 32;
  const std::uint64_t off_rs = off_report + 32 + report_len;
  const std::uint64_t off_ss = off_rs + 32 + 32 * n_sig;
  put_word(out, off_report);
  put_word(out, off_rs);
  put_word(out, off_ss);
  for (std::size_t i = 0; i < 32; ++i) {
    out.push_back(i < n_sig ? static_cast<std::uint8_t>(call.signatures[i].tag & 1) : 0);  // v parity bytes
  }
  // report = abi.encode(bytes32 rawReportContext, bytes32 rawObservers, int192[] observations)
  put_word(out, report_len);
  abi::put_config_digest(out, call.config_digest, 11);
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(call.epoch_round.epoch >> (8 * i)));
  out.push_back(static_cast<std::uint8_t>(call.epoch_round.round));
  for (std::size_t i = 0; i < 32; ++i) {
    out.push_back(i < n_obs ? static_cast<std::uint8_t>(call.observations[i].observer) : 0);
  }
  put_word(out, 3 * 32);  // offset of the observations array inside the report
  put_word(out, n_obs);
  for (const auto& o : call.observations) put_int_word(out, o.value);
  put_word(out, n_sig);
  for (const auto& s : call.signatures) put_sig_word(out, s.tag, 0);
  put_word(out, n_sig);
  for (const auto& s : call.signatures) put_sig_word(out, s.tag, 1);
  return out;
}

std::uint64_t implied_gas_price_gwei(std::uint64_t tx_gas_price_gwei, const OcrBilling& billing) {
  std::uint64_t price = tx_gas_price_gwei;
  if (tx_gas_price_gwei < billing.reasonable_gas_price_gwei) price += (billing.reasonable_gas_price_gwei - tx_gas_price_gwei) / 2;
  return std::min<std::uint64_t>(price, billing.maximum_gas_price_gwei);
}

OcrAggregator::OcrAggregator(const OcrAggregatorConfig& cfg, const ocr::KeyRegistry& ecrecover)
    : cfg_(cfg), ecrecover_(&ecrecover) {
  state_.observation_counts.fill(0);
  state_.reimbursed_juels.fill(0);
}

int OcrAggregator::signer_index(Address a) const {
  for (std::size_t i = 0; i < config().signers.size(); ++i) {
    if (config().signers[i] == a) return static_cast<int>(i);
  }
  return -1;
}

int OcrAggregator::transmitter_index(chain::Address a) const {
  for (std::size_t i = 0; i < config().transmitters.size(); ++i) {
    if (config().transmitters[i] == a) return static_cast<int>(i);
  }
  return -1;
}

void OcrAggregator::check(chain::ExecContext& c, bool ok, OcrRevert why) {
  if (ok) return;
  ++telemetry_.reverted;
  if (why == OcrRevert::stale_report) ++telemetry_.stale;
  telemetry_.wasted_gas += c.gas().used();  // the chain bills a reverted tx exactly what its meter used
  c.revert(to_string(why));
}

void OcrAggregator::transmit(chain::ExecContext& c, const OcrTransmitCall& call, chain::Wei tx_gas_price) {
  chain::GasMeter& gas = c.gas();
  const chain::Gas initial = gas.used();  // gasleft() at entry, as a count of what was used before
  const auto self = c.self();
  auto slot = [&](std::uint64_t var, std::uint64_t index = 0) { return chain::SlotKey{self, chain::slot_of(var, index)}; };
  const int n_obs = static_cast<int>(call.observations.size());
  const int n_sig = static_cast<int>(call.signatures.size());

  gas.charge(G::entry + G::calldata_decode, "compute");
  gas.sload(slot(kHotVars));
  check(c, call.config_digest == config().config_digest, OcrRevert::config_digest_mismatch);
  check(c, state_.latest_epoch_round < call.epoch_round, OcrRevert::stale_report);
  check(c, n_sig > config().f, OcrRevert::not_enough_signatures);
  check(c, n_sig <= kMaxOracles, OcrRevert::too_many_signatures);
  check(c, n_obs <= kMaxOracles, OcrRevert::observations_out_of_bounds);
  check(c, n_obs > 2 * config().f, OcrRevert::too_few_values);

  gas.charge(G::report_decode, "compute");
  gas.charge(G::v_copy * static_cast<chain::Gas>(n_sig), "compute");
  std::array<bool, kMaxOracles> seen{};
  for (const auto& o : call.observations) {
    gas.charge(G::observer_loop, "compute");
    check(c, o.observer >= 0 && o.observer < kMaxOracles, OcrRevert::observer_index_out_of_bounds);
    check(c, !seen[static_cast<std::size_t>(o.observer)], OcrRevert::observer_index_repeated);
    seen[static_cast<std::size_t>(o.observer)] = true;
  }
  const int tx_index = transmitter_index(c.sender());
  gas.sload(slot(kOracles, c.sender().id));
  gas.sload(slot(kTransmittersLength));
  gas.sload(slot(kTransmitters, tx_index < 0 ? 0 : static_cast<std::uint64_t>(tx_index)));
  check(c, tx_index >= 0, OcrRevert::unauthorized_transmitter);

  gas.keccak(128 + 32 * static_cast<std::uint64_t>(n_obs));  // keccak256(_report)
  const std::uint64_t digest = ocr::report_digest(call.config_digest, call.epoch_round, call.observations);
  std::array<bool, kMaxOracles> signed_by{};
  for (const auto& sig : call.signatures) {
    gas.ecrecover();
    gas.charge(chain::gas::kWarmAccess, "staticcall");  // precompiles are warm (EIP-2929)
    gas.charge(G::signer_loop, "compute");
    const auto who = ecrecover_->recover(sig, digest);
    gas.sload(slot(kOracles, who ? who->value : 0));  // s_oracles[signer]
    const int idx = who ? signer_index(*who) : -1;
    check(c, idx >= 0, OcrRevert::unauthorized_signer);
    check(c, !signed_by[static_cast<std::size_t>(idx)], OcrRevert::non_unique_signature);
    signed_by[static_cast<std::size_t>(idx)] = true;
  }
  for (int i = 0; i < n_obs; ++i) {
    gas.charge(G::sort_loop, "compute");
    const bool in_order = i + 1 >= n_obs || call.observations[static_cast<std::size_t>(i)].value <=
                                                call.observations[static_cast<std::size_t>(i + 1)].value;
    check(c, in_order, OcrRevert::observations_not_sorted);
  }
  const Value median = ocr::report_median(call.observations);
  check(c, config().min_answer <= median && median <= config().max_answer, OcrRevert::median_out_of_range);

  // Record the round, emit the events, store the hot variables.
  const std::uint32_t round_id = state_.latest_round + 1;
  gas.sstore(slot(kTransmissions, round_id), 0, 1);
  OcrNewTransmission ev{round_id, median, c.sender(), call.epoch_round, call.observations, 0, 0};
  const std::uint64_t event_bytes = 256 + 32 * static_cast<std::uint64_t>(n_obs);
  gas.sload(slot(kValidatorConfig));  // validateAnswer: no validator configured
  const std::uint64_t old_hot = state_.latest_epoch_round.packed() + 1, new_hot = call.epoch_round.packed() + 1;
  gas.sstore(slot(kHotVars), old_hot, new_hot);

  // reimburseAndRewardOracles.
  gas.sload(slot(kOracles, c.sender().id));
  gas.sload(slot(kBilling));
  gas.sload(slot(kObservationCounts, 0));
  gas.sload(slot(kObservationCounts, 1));
  bool changed[2] = {false, false};
  for (const auto& o : call.observations) {
    gas.charge(G::reward_loop, "compute");
    auto& count = state_.observation_counts[static_cast<std::size_t>(o.observer)];
    if (count < 0xffff) {
      ++count;
      changed[o.observer < 16 ? 0 : 1] = true;
    }
  }
  for (std::uint64_t s = 0; s < 2; ++s) gas.sstore(slot(kObservationCounts, s), 1, changed[s] ? 2 : 1);

  // gasUsed up to the contract's gasleft() includes the three events, which the contract emits before rewarding;
  // they are charged below (by emit) after the accounting, which changes no total.
  const chain::Gas log_gas = 3 * chain::gas::kLogBase + (2 + 3 + 3) * chain::gas::kLogTopic +
                             (event_bytes + 32 + 32) * chain::gas::kLogDataByte;
  ev.reimbursed_gas = (gas.used() - initial) + log_gas +
                      16 * transmit_calldata_length(call.observations.size(), call.signatures.size()) + G::accounting;
  gas.charge(G::accounting, "billing");
  const std::uint64_t price_gwei = implied_gas_price_gwei(tx_gas_price / chain::kGwei, config().billing);
  const U128 cost_eth_wei = static_cast<U128>(ev.reimbursed_gas) * price_gwei * chain::kGwei;
  const U128 cost_link_wei = cost_eth_wei * config().billing.micro_link_per_eth / 1'000'000U;
  ev.reimbursement_juels = static_cast<std::uint64_t>(cost_link_wei) +
                           static_cast<std::uint64_t>(config().billing.link_gwei_per_transmission) * chain::kGwei;
  state_.reimbursed_juels[static_cast<std::size_t>(tx_index)] += ev.reimbursement_juels;

  state_.latest_epoch_round = call.epoch_round;
  state_.latest_round = round_id;
  state_.latest_answer = median;
  state_.latest_timestamp = c.timestamp();
  state_.round_requested = false;
  ++telemetry_.accepted;
  c.emit({.emitter = {}, .event = "NewTransmission", .topics = 2, .data_bytes = event_bytes, .payload = std::move(ev)});
  c.emit({.emitter = {}, .event = "NewRound", .topics = 3, .data_bytes = 32, .payload = {}});
  c.emit({.emitter = {}, .event = "AnswerUpdated", .topics = 3, .data_bytes = 32, .payload = {}});
}

void OcrAggregator::request_new_round(chain::ExecContext& c) {
  c.gas().charge(G::entry, "compute");
  c.gas().sload({c.self(), chain::slot_of(kHotVars)});
  state_.round_requested = true;
  c.emit({.emitter = {}, .event = "RoundRequested", .topics = 2, .data_bytes = 96,
          .payload = OcrRoundRequested{c.sender(), state_.latest_epoch_round}});
}

void check_new_config(chain::ExecContext& c, std::size_t signers, std::size_t transmitters, int f) {
  c.require(signers <= static_cast<std::size_t>(kMaxOracles), "too many oracles");
  c.require(signers == transmitters, "oracle length mismatch");
  c.require(3 * static_cast<std::size_t>(std::max(f, 0)) < signers, "faulty-oracle f too high");
  c.require(f > 0, "f must be positive");
}

void replace_oracle_sets(chain::ExecContext& c, const std::vector<Address>& old_signers,
                         const std::vector<chain::Address>& old_transmitters, const std::vector<Address>& signers,
                         const std::vector<chain::Address>& transmitters, const OracleSetSlots& slots) {
  chain::GasMeter& gas = c.gas();
  const std::size_t n = signers.size(), old_n = old_signers.size();
  // A list element's stored value: the address (never 0 in a written slot).
  const auto element = [](std::uint64_t address) { return address == 0 ? std::uint64_t{1} : address; };
  // The contracts pop every old element (deleting its mapping entries) and push the new ones: an entry or element
  // that ends as it started (an oracle kept at its index) is restored and refunded (EIP-2200).
  for (std::size_t i = old_n; i-- > 0;) {
    gas.sstore(slots.signer(old_signers[i].value), 1, 0);
    gas.sstore(slots.transmitter(old_transmitters[i].id), 1, 0);
    gas.sstore(slots.signer_list(i), element(old_signers[i].value), 0);
    gas.sstore(slots.transmitter_list(i), element(old_transmitters[i].id), 0);
  }
  std::set<std::uint64_t> seen_signers, seen_transmitters;
  for (std::size_t i = 0; i < n; ++i) {
    gas.sload(slots.signer(signers[i].value));
    c.require(seen_signers.insert(signers[i].value).second, "repeated signer address");
    gas.sload(slots.transmitter(transmitters[i].id));
    c.require(seen_transmitters.insert(transmitters[i].id).second, "repeated transmitter address");
    gas.sstore(slots.signer(signers[i].value), 0, 1);
    gas.sstore(slots.transmitter(transmitters[i].id), 0, 1);
    gas.sstore(slots.signer_list(i), 0, element(signers[i].value));
    gas.sstore(slots.transmitter_list(i), 0, element(transmitters[i].id));
  }
}

chain::Calldata set_config_calldata(std::size_t n, bool ocr2) {
  const std::uint64_t words = ocr2 ? 10 : 8, addresses = 2 * static_cast<std::uint64_t>(n);
  return chain::Calldata{words * 28 + addresses * 12, 4 + words * 4 + addresses * 20};
}

std::uint64_t config_digest_from(chain::Address contract, std::uint32_t config_count, const std::vector<Address>& signers,
                                 const std::vector<chain::Address>& transmitters, int f) {
  std::uint64_t h = sim::hash_combine(sim::hash_combine(0x636f6e666967ULL, contract.id), config_count);
  for (const auto& s : signers) h = sim::hash_combine(h, s.value);
  for (const auto& t : transmitters) h = sim::hash_combine(h, t.id);
  return sim::hash_combine(h, static_cast<std::uint64_t>(f));
}

void OcrAggregator::set_config(chain::ExecContext& c, const std::vector<Address>& signers,
                               const std::vector<chain::Address>& transmitters, int f) {
  chain::GasMeter& gas = c.gas();
  const auto self = c.self();
  auto slot = [&](std::uint64_t var, std::uint64_t index = 0) { return chain::SlotKey{self, chain::slot_of(var, index)}; };
  const OcrAggregatorConfig& old = config();
  const std::size_t n = signers.size(), old_n = old.signers.size();
  gas.charge(G::set_config, "compute");
  gas.sload(slot(kOwner));  // onlyOwner
  check_new_config(c, n, transmitters.size(), f);

  // payOracles: every transmitter of the old configuration is paid what it is owed; the counts restart.
  gas.sload(slot(kBilling));
  chain::Amount paid = 0;
  for (std::size_t i = 0; i < old_n; ++i) {
    gas.sload(slot(kTransmitters, i));
    gas.sload(slot(kObservationCounts, i / 16));
    gas.sload(slot(kGasReimbursements, i));
    const chain::Amount owed = owed_payment(static_cast<int>(i));
    if (owed > 0) {
      gas.charge(G::pay_oracle, "link-transfer");
      gas.sstore(slot(kGasReimbursements, i), 2, 1);
      paid += owed;
    }
  }
  for (std::uint64_t s = 0; s < 2; ++s) gas.sstore(slot(kObservationCounts, s), 2, 1);
  // Remove the old signers and transmitters, add the new ones (s_oracles entries and the two lists).
  replace_oracle_sets(c, old.signers, old.transmitters, signers, transmitters,
                      {[&](std::uint64_t a) { return slot(kOracles, a); }, [&](std::uint64_t a) { return slot(kOracles, a); },
                       [&](std::uint64_t i) { return slot(kSigners, i); }, [&](std::uint64_t i) { return slot(kTransmitters, i); }});
  gas.sstore(slot(kTransmittersLength), old_n + 1, n + 1);
  gas.sstore(slot(kConfigCount), state_.config_count, state_.config_count + 1);
  const std::uint64_t encoded_bytes = 32 * (7 + 2 * static_cast<std::uint64_t>(n));
  gas.keccak(encoded_bytes);  // configDigestFromConfigData
  gas.sstore(slot(kHotVars), state_.latest_epoch_round.packed() + 1, 1);  // new digest and threshold, epoch-round 0

  auto next = std::make_shared<OcrAggregatorConfig>(old);
  next->signers = signers;
  next->transmitters = transmitters;
  next->f = f;
  next->config_digest = config_digest_from(self, state_.config_count + 1, signers, transmitters, f);
  state_.paid_juels += paid;
  state_.observation_counts.fill(0);
  state_.reimbursed_juels.fill(0);
  state_.latest_epoch_round = EpochRound{};
  state_.round_requested = false;
  ++state_.config_count;
  OcrConfigSet ev{state_.config_count, next->config_digest, f, signers, transmitters};
  state_.config = std::move(next);
  c.emit({.emitter = {}, .event = "ConfigSet", .topics = 1, .data_bytes = encoded_bytes, .payload = std::move(ev)});
}

ContractView OcrAggregator::latest_transmission_details() const {
  ContractView v;
  v.config_digest = config().config_digest;
  v.latest = state_.latest_epoch_round;
  v.answer = state_.latest_answer;
  v.timestamp = state_.latest_timestamp;
  v.round_requested = state_.round_requested;
  return v;
}

chain::Amount OcrAggregator::owed_payment(int oracle) const {
  const auto i = static_cast<std::size_t>(oracle);
  return chain::Amount{state_.observation_counts.at(i)} * config().billing.link_gwei_per_observation * chain::kGwei +
         state_.reimbursed_juels.at(i);
}

}  // namespace models::ocr
