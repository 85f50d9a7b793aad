#include "models/contracts/ocr_aggregator.hpp"

#include <algorithm>

#include <fmt/core.h>

#include "sim/hash.hpp"

namespace models::contracts {
namespace {
__extension__ typedef unsigned __int128 U128;
using G = OcrAggregatorGas;
constexpr int kMaxOracles = 31;                                    // maxNumOracles
constexpr std::uint8_t kSelector[4] = {0xc9, 0x80, 0x75, 0x39};   // transmit(bytes,bytes32[],bytes32[],bytes32)

// Gas arithmetic in one place, to be switched to models/chain/gas.hpp's GasMeter once it is available.
struct Meter {
  std::uint64_t used = 0;
  void charge(std::uint64_t g) { used += g; }
};

void put_word(std::vector<std::uint8_t>& out, std::uint64_t v) {  // uint256 big-endian from a 64-bit value
  out.insert(out.end(), 24, 0);
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void put_int_word(std::vector<std::uint8_t>& out, std::int64_t v) {  // int192/int256 two's complement
  out.insert(out.end(), 24, v < 0 ? 0xff : 0x00);
  const auto u = static_cast<std::uint64_t>(v);
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
}

// 32 bytes derived from a signature tag, every byte non-zero (see the header).
void put_sig_word(std::vector<std::uint8_t>& out, std::uint64_t tag, std::uint64_t which) {
  for (std::uint64_t k = 0; k < 4; ++k) {
    const std::uint64_t w = sim::splitmix64(tag ^ (which * 4 + k));
    for (int i = 7; i >= 0; --i) {
      auto b = static_cast<std::uint8_t>(w >> (8 * i));
      out.push_back(b == 0 ? 1 : b);
    }
  }
}

std::uint64_t log_gas(std::uint64_t topics, std::uint64_t data_bytes) {
  return G::log_base + G::log_topic * topics + G::log_byte * data_bytes;
}
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
  auto unique = [](std::vector<ocr::Address> v) {
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
  out.insert(out.end(), 11, 0);
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(call.config_digest >> (8 * i)));
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(~call.config_digest >> (8 * i)));
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
    : cfg_(cfg), ecrecover_(&ecrecover), obs_count_(kMaxOracles, 0), reimbursed_(kMaxOracles, 0) {}

int OcrAggregator::signer_index(ocr::Address a) const {
  for (std::size_t i = 0; i < cfg_.signers.size(); ++i) {
    if (cfg_.signers[i] == a) return static_cast<int>(i);
  }
  return -1;
}

int OcrAggregator::transmitter_index(ocr::Address a) const {
  for (std::size_t i = 0; i < cfg_.transmitters.size(); ++i) {
    if (cfg_.transmitters[i] == a) return static_cast<int>(i);
  }
  return -1;
}

OcrTransmitResult OcrAggregator::transmit(const OcrTransmitCall& call, const OcrTxEnv& env) {
  OcrTransmitResult res;
  const auto calldata = encode_transmit_calldata(call);
  res.calldata_bytes = calldata.size();
  for (auto b : calldata) res.calldata_gas += b == 0 ? G::calldata_zero : G::calldata_nonzero;
  res.intrinsic_gas = G::tx_base + res.calldata_gas;

  Meter gas;
  auto fail = [&](OcrRevert why) {
    res.revert = why;
    res.execution_gas = gas.used;
    ++reverted_;
    wasted_gas_ += res.gas_used();
    return res;
  };
  const int n_obs = static_cast<int>(call.observations.size());
  const int n_sig = static_cast<int>(call.signatures.size());

  gas.charge(G::entry);
  gas.charge(G::cold_sload);  // s_hotVars
  if (call.config_digest != cfg_.config_digest) return fail(OcrRevert::config_digest_mismatch);
  if (!(latest_epoch_round_ < call.epoch_round)) return fail(OcrRevert::stale_report);
  if (n_sig <= cfg_.f) return fail(OcrRevert::not_enough_signatures);
  if (n_sig > kMaxOracles) return fail(OcrRevert::too_many_signatures);
  if (n_obs > kMaxOracles) return fail(OcrRevert::observations_out_of_bounds);
  if (n_obs <= 2 * cfg_.f) return fail(OcrRevert::too_few_values);

  gas.charge(G::v_copy * static_cast<std::uint64_t>(n_sig));
  std::vector<bool> seen(kMaxOracles, false);
  for (const auto& o : call.observations) {
    gas.charge(G::observer_loop);
    if (o.observer < 0 || o.observer >= kMaxOracles) return fail(OcrRevert::observer_index_out_of_bounds);
    if (seen[static_cast<std::size_t>(o.observer)]) return fail(OcrRevert::observer_index_repeated);
    seen[static_cast<std::size_t>(o.observer)] = true;
  }
  gas.charge(3 * G::cold_sload);  // s_oracles[msg.sender], s_transmitters.length, s_transmitters[index]
  const int tx_index = transmitter_index(env.sender);
  if (tx_index < 0) return fail(OcrRevert::unauthorized_transmitter);

  const std::uint64_t report_words = 4 + static_cast<std::uint64_t>(n_obs);
  gas.charge(G::keccak_base + G::keccak_word * report_words);
  const std::uint64_t digest = ocr::report_digest(call.config_digest, call.epoch_round, call.observations);
  std::vector<bool> signed_by(kMaxOracles, false);
  for (const auto& sig : call.signatures) {
    gas.charge(G::ecrecover + G::warm_access + G::cold_sload + G::signer_loop);  // precompile, call, s_oracles[signer]
    const auto who = ecrecover_->recover(sig, digest);
    const int idx = who ? signer_index(*who) : -1;
    if (idx < 0) return fail(OcrRevert::unauthorized_signer);
    if (signed_by[static_cast<std::size_t>(idx)]) return fail(OcrRevert::non_unique_signature);
    signed_by[static_cast<std::size_t>(idx)] = true;
  }
  for (int i = 0; i < n_obs; ++i) {
    gas.charge(G::sort_loop);
    if (i + 1 < n_obs && call.observations[static_cast<std::size_t>(i + 1)].value <
                             call.observations[static_cast<std::size_t>(i)].value) {
      return fail(OcrRevert::observations_not_sorted);
    }
  }
  const ocr::Value median = ocr::report_median(call.observations);
  if (median < cfg_.min_answer || median > cfg_.max_answer) return fail(OcrRevert::median_out_of_range);

  // Success: record the round, emit the events, store the hot variables, then reward and reimburse.
  gas.charge(G::cold_sload + G::sstore_set);  // s_transmissions[roundId] (zero -> non-zero, cold)
  gas.charge(log_gas(2, 256 + 32 * static_cast<std::uint64_t>(n_obs)));  // NewTransmission
  gas.charge(log_gas(3, 32));  // NewRound
  gas.charge(log_gas(3, 32));  // AnswerUpdated
  gas.charge(G::cold_sload);   // s_validatorConfig (no validator)
  gas.charge(G::sstore_reset); // s_hotVars (warm)
  gas.charge(G::warm_access + G::cold_sload);  // s_oracles[msg.sender] again, s_billing
  gas.charge(2 * G::cold_sload);               // s_oracleObservationsCounts: 31 x uint16 in two slots
  bool slot_changed[2] = {false, false};
  for (const auto& o : call.observations) {
    gas.charge(G::reward_loop);
    auto& c = obs_count_[static_cast<std::size_t>(o.observer)];
    if (c < 0xffff) {
      ++c;
      slot_changed[o.observer < 16 ? 0 : 1] = true;
    }
  }
  for (bool changed : slot_changed) gas.charge(changed ? G::sstore_reset : G::warm_access);

  res.reimbursed_gas = gas.used + 16 * calldata.size() + G::accounting;
  gas.charge(G::accounting);
  res.execution_gas = gas.used;

  const std::uint64_t price_gwei = implied_gas_price_gwei(env.gas_price_wei / 1'000'000'000ULL, cfg_.billing);
  const U128 cost_eth_wei = static_cast<U128>(res.reimbursed_gas) * price_gwei * 1'000'000'000ULL;
  const U128 cost_link_wei = cost_eth_wei * cfg_.billing.micro_link_per_eth / 1'000'000U;
  res.reimbursement_juels = static_cast<std::uint64_t>(cost_link_wei) +
                            static_cast<std::uint64_t>(cfg_.billing.link_gwei_per_transmission) * 1'000'000'000ULL;
  reimbursed_[static_cast<std::size_t>(tx_index)] += res.reimbursement_juels;

  latest_epoch_round_ = call.epoch_round;
  rounds_.push_back({median, env.block_time});
  round_requested_ = false;
  ++accepted_;
  res.aggregator_round = latest_round();
  res.answer = median;
  return res;
}

ocr::ContractView OcrAggregator::latest_transmission_details() const {
  ocr::ContractView v;
  v.config_digest = cfg_.config_digest;
  v.latest = latest_epoch_round_;
  v.answer = latest_answer();
  v.timestamp = latest_timestamp();
  v.round_requested = round_requested_;
  return v;
}

std::uint64_t OcrAggregator::owed_payment(int oracle) const {
  const auto i = static_cast<std::size_t>(oracle);
  return static_cast<std::uint64_t>(obs_count_.at(i)) * cfg_.billing.link_gwei_per_observation * 1'000'000'000ULL +
         reimbursed_.at(i);
}

}  // namespace models::contracts
