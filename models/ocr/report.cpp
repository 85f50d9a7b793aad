#include "models/ocr/report.hpp"

#include "sim/hash.hpp"

namespace models::ocr {
namespace {
constexpr std::uint64_t kObservationDomain = 0x6f62736572766521ULL;  // "observe!"
constexpr std::uint64_t kReportDomain = 0x7265706f72742121ULL;       // "report!!"
}  // namespace

// A value in a digest: its low word, and its high word too when it does not fit 64 bits.
std::uint64_t hash_value(std::uint64_t h, Value v) {
  const auto lo = static_cast<std::uint64_t>(v);
  h = sim::hash_combine(h, lo);
  if (v != static_cast<std::int64_t>(lo)) h = sim::hash_combine(h, static_cast<std::uint64_t>(static_cast<chain::Amount>(v) >> 64));
  return h;
}

std::uint64_t observation_digest(std::uint64_t config_digest, EpochRound er, Value value) {
  std::uint64_t h = sim::hash_combine(kObservationDomain, config_digest);
  h = sim::hash_combine(h, er.packed());
  return hash_value(h, value);
}

std::uint64_t report_digest(std::uint64_t config_digest, EpochRound er, const std::vector<AttributedObservation>& obs) {
  std::uint64_t h = sim::hash_combine(kReportDomain, config_digest);
  h = sim::hash_combine(h, er.packed());
  h = sim::hash_combine(h, obs.size());
  for (const auto& o : obs) {
    h = hash_value(h, o.value);
    h = sim::hash_combine(h, static_cast<std::uint64_t>(o.observer));
  }
  return h;
}

std::uint64_t observation_digest_ocr2(std::uint64_t config_digest, EpochRound er, const SignedObservation& o) {
  std::uint64_t h = sim::hash_combine(kObservationDomain ^ 2, config_digest);
  h = sim::hash_combine(h, er.packed());
  h = hash_value(h, o.value);
  h = sim::hash_combine(h, o.timestamp);
  return hash_value(h, o.juels_per_fee_coin);
}

std::uint64_t extra_hash_ocr2(const std::vector<AttributedSignedObservation>& observations) {
  std::uint64_t h = sim::hash_combine(kReportDomain ^ 3, 0);  // the query: empty
  h = sim::hash_combine(h, observations.size());
  for (const auto& a : observations) {
    h = hash_value(h, a.observation.value);
    h = sim::hash_combine(h, a.observation.timestamp);
    h = hash_value(h, a.observation.juels_per_fee_coin);
    h = sim::hash_combine(h, static_cast<std::uint64_t>(a.observer));
  }
  return h;
}

std::uint64_t report_digest_ocr2(std::uint64_t config_digest, EpochRound er, std::uint64_t extra_hash,
                                 const std::vector<AttributedObservation>& obs, std::uint32_t observations_timestamp,
                                 Value juels_per_fee_coin) {
  std::uint64_t h = sim::hash_combine(kReportDomain ^ 2, config_digest);
  h = sim::hash_combine(h, er.packed());
  h = sim::hash_combine(h, extra_hash);
  h = sim::hash_combine(h, observations_timestamp);
  h = hash_value(h, juels_per_fee_coin);
  h = sim::hash_combine(h, obs.size());
  for (const auto& o : obs) {
    h = hash_value(h, o.value);
    h = sim::hash_combine(h, static_cast<std::uint64_t>(o.observer));
  }
  return h;
}

Value report_median(const std::vector<AttributedObservation>& obs) { return obs[obs.size() / 2].value; }

void OracleDirectory::add_oracle(const SecretKey& offchain, const SecretKey& onchain) {
  offchain_.push_back(offchain.address());
  onchain_.push_back(onchain.address());
  registry_.add(offchain);
  registry_.add(onchain);
  verified_.assign(offchain_.size(), Verified{});  // keys changed: nothing is known valid
}

OracleId OracleDirectory::recover_onchain(const Signature& sig, std::uint64_t digest) const {
  auto a = registry_.recover(sig, digest);
  if (!a) return -1;
  for (std::size_t i = 0; i < onchain_.size(); ++i) {
    if (onchain_[i] == *a) return static_cast<OracleId>(i);
  }
  return -1;
}

bool OracleDirectory::verify_offchain(OracleId id, const Signature& sig, std::uint64_t digest) const {
  if (id < 0 || id >= size()) return false;
  return registry_.verify(sig, digest, offchain_[static_cast<std::size_t>(id)]);
}

bool OracleDirectory::verify_observation(OracleId id, std::uint64_t config_digest, EpochRound er,
                                         const SignedObservation& o, bool ocr2) const {
  if (id < 0 || id >= size()) return false;
  Verified& last = verified_[static_cast<std::size_t>(id)];
  if (last.valid && last.config_digest == config_digest && last.er == er && last.ocr2 == ocr2 && last.observation == o)
    return true;
  const std::uint64_t digest = ocr2 ? observation_digest_ocr2(config_digest, er, o) : observation_digest(config_digest, er, o.value);
  if (!verify_offchain(id, o.signature, digest)) return false;
  last = Verified{config_digest, er, o, ocr2, true};
  return true;
}

}  // namespace models::ocr
