#pragma once
// Observations and reports of OCR1 and OCR2 with their signed forms, the digests that are signed, and the directory
// of the oracles' public identities (libocr OracleIdentities: offchain key, on-chain signing address).
//
// OCR2 (median plugin, L offchainreporting2/reportingplugin/median): an observation also carries its timestamp
// (uint32 seconds) and juelsPerFeeCoin; a report carries observationsTimestamp (the median timestamp),
// juelsPerFeeCoin (the median), the observers and the sorted values; a follower that should not report sends a
// skip; on-chain signatures cover the report and its context (config digest, epoch, round, extraHash, the hash of
// the query and the attributed observations).
#include <cstdint>
#include <memory>
#include <vector>

#include "models/ocr/ocr_types.hpp"
#include "models/ocr/signing.hpp"

namespace models::ocr {

struct AttributedObservation {
  Value value = 0;
  OracleId observer = 0;
  friend bool operator==(const AttributedObservation&, const AttributedObservation&) = default;
};

// An observation signed with the observer's offchain key over (config digest, epoch, round, value); OCR2 signs the
// timestamp and juelsPerFeeCoin too.
struct SignedObservation {
  Value value = 0;
  Signature signature;
  std::uint32_t timestamp = 0;   // OCR2: the observer's clock, unix seconds
  Value juels_per_fee_coin = 0;  // OCR2: juels per ETH
  friend bool operator==(const SignedObservation&, const SignedObservation&) = default;
};

struct AttributedSignedObservation {
  SignedObservation observation;
  OracleId observer = 0;
  friend bool operator==(const AttributedSignedObservation&, const AttributedSignedObservation&) = default;
};

// One follower's on-chain signature over the report (libocr AttestedReportOne), or (OCR2) its skip.
struct AttestedReportOne {
  std::vector<AttributedObservation> observations;  // sorted ascending by value
  Signature signature;
  std::uint32_t observations_timestamp = 0;  // OCR2
  Value juels_per_fee_coin = 0;              // OCR2
  bool skip = false;                         // OCR2: the plugin decided not to report (no content, no signature)
};

// A report with the signatures of more than f oracles (OCR2: exactly f + 1; libocr AttestedReportMany); what is
// transmitted.
struct AttestedReportMany {
  std::vector<AttributedObservation> observations;
  std::vector<Signature> signatures;
  std::uint32_t observations_timestamp = 0;  // OCR2
  Value juels_per_fee_coin = 0;              // OCR2
  std::uint64_t extra_hash = 0;              // OCR2: reportContext[2], the hash of query and observations
  friend bool operator==(const AttestedReportMany&, const AttestedReportMany&) = default;
};

// Digest of a signed observation (libocr signs the report context and the value).
std::uint64_t observation_digest(std::uint64_t config_digest, EpochRound er, Value value);
// Digest of a report: what the on-chain signatures cover (libocr: keccak256 of the ABI-encoded report).
std::uint64_t report_digest(std::uint64_t config_digest, EpochRound er, const std::vector<AttributedObservation>& obs);

// OCR2: the digest an observer signs (value, timestamp, juelsPerFeeCoin, under the report timestamp; the query is
// empty), the extraHash of a report-req's attributed observations, and what the on-chain signatures cover:
// keccak(keccak(report) || configDigest || epochAndRound || extraHash).
std::uint64_t observation_digest_ocr2(std::uint64_t config_digest, EpochRound er, const SignedObservation& o);
std::uint64_t extra_hash_ocr2(const std::vector<AttributedSignedObservation>& observations);
std::uint64_t report_digest_ocr2(std::uint64_t config_digest, EpochRound er, std::uint64_t extra_hash,
                                 const std::vector<AttributedObservation>& obs, std::uint32_t observations_timestamp,
                                 Value juels_per_fee_coin);

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
  // Whether `o` is oracle `id`'s valid signature over its observation in (config digest, er), OCR2's form when `ocr2`.
  // Each oracle's last valid observation is remembered, so the n - 1 followers checking one report-req compute its
  // digest and check its signature once: a cache of a pure function, whose answers are those of checking every time.
  bool verify_observation(OracleId id, std::uint64_t config_digest, EpochRound er, const SignedObservation& o,
                          bool ocr2) const;
  const KeyRegistry& registry() const { return registry_; }

  // Room for report generation's memo of the last report-req its followers checked (report_generation.cpp): the
  // n - 1 followers of a round check, sort and digest the same report-req, so the first does it for all.
  struct ReportReqMemo;
  std::shared_ptr<ReportReqMemo>& report_req_memo() const { return report_req_memo_; }

 private:
  struct Verified {
    std::uint64_t config_digest = 0;
    EpochRound er;
    SignedObservation observation;
    bool ocr2 = false;
    bool valid = false;  // an entry is set
  };
  std::vector<Address> offchain_, onchain_;
  KeyRegistry registry_;
  mutable std::vector<Verified> verified_;  // by oracle: its last observation found valid
  mutable std::shared_ptr<ReportReqMemo> report_req_memo_;
};

}  // namespace models::ocr
