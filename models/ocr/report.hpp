#pragma once
// Observations and reports of OCR1 with their signed forms, the digests that are signed, and the directory of
// the oracles' public identities (libocr OracleIdentities: offchain key, on-chain signing address).
#include <cstdint>
#include <vector>

#include "models/ocr/ocr_types.hpp"
#include "models/ocr/signing.hpp"

namespace models::ocr {

struct AttributedObservation {
  Value value = 0;
  OracleId observer = 0;
  friend bool operator==(const AttributedObservation&, const AttributedObservation&) = default;
};

// An observation signed with the observer's offchain key over (config digest, epoch, round, value).
struct SignedObservation {
  Value value = 0;
  Signature signature;
  friend bool operator==(const SignedObservation&, const SignedObservation&) = default;
};

struct AttributedSignedObservation {
  SignedObservation observation;
  OracleId observer = 0;
  friend bool operator==(const AttributedSignedObservation&, const AttributedSignedObservation&) = default;
};

// One follower's on-chain signature over the report (libocr AttestedReportOne).
struct AttestedReportOne {
  std::vector<AttributedObservation> observations;  // sorted ascending by value
  Signature signature;
};

// A report with the signatures of more than f oracles (libocr AttestedReportMany); what is transmitted.
struct AttestedReportMany {
  std::vector<AttributedObservation> observations;
  std::vector<Signature> signatures;
  friend bool operator==(const AttestedReportMany&, const AttestedReportMany&) = default;
};

// Digest of a signed observation (libocr signs the report context and the value).
std::uint64_t observation_digest(std::uint64_t config_digest, EpochRound er, Value value);
// Digest of a report: what the on-chain signatures cover (libocr: keccak256 of the ABI-encoded report).
std::uint64_t report_digest(std::uint64_t config_digest, EpochRound er, const std::vector<AttributedObservation>& obs);

// The median the contract takes: obs[len/2] of the sorted values (facts §1). Precondition: !obs.empty().
Value report_median(const std::vector<AttributedObservation>& obs);

// The feed's public identities, indexed by OracleId, and the verifier of their signatures.
class OracleDirectory {
 public:
  void add_oracle(const SecretKey& offchain, const SecretKey& onchain);
  int size() const { return static_cast<int>(offchain_.size()); }
  Address offchain_address(OracleId id) const { return offchain_.at(static_cast<std::size_t>(id)); }
  Address onchain_address(OracleId id) const { return onchain_.at(static_cast<std::size_t>(id)); }
  // The oracle whose on-chain key made `sig` over `digest`, or -1 when the signature is invalid or unknown.
  OracleId recover_onchain(const Signature& sig, std::uint64_t digest) const;
  bool verify_offchain(OracleId id, const Signature& sig, std::uint64_t digest) const;
  const KeyRegistry& registry() const { return registry_; }

 private:
  std::vector<Address> offchain_, onchain_;
  KeyRegistry registry_;
};

}  // namespace models::ocr
