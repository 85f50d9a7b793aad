#pragma once
// Data Streams reports: the v3 (crypto) report schema, the report context the DON signs with it, and the signed
// report that sites store, clients receive and the Verifier checks (facts §4).
//
// Simplified encodings: feedId is a 64-bit hash of the feed's name (real: bytes32); prices are int64 with 8
// decimals like Chainlink USD feeds (real v3: int192 with 18 decimals); digests are 64-bit hashes standing for
// keccak256; signatures are the OCR signature model (models/ocr/signing.hpp). Field order, timestamp units
// (seconds) and the rules the DON and the contracts apply to the fields are the real ones.
#include <cstdint>
#include <string_view>
#include <vector>

#include "models/ocr/signing.hpp"
#include "sim/time.hpp"

namespace models::streams {

using FeedId = std::uint64_t;

// The feedId of a named stream ("ETH/USD" -> a fixed 64-bit hash).
FeedId feed_id_of(std::string_view feed_name);

// Report v3 (facts §4: SDK go/report/v3/data.go), in its field order.
struct ReportV3 {
  FeedId feed_id = 0;
  std::uint32_t valid_from_timestamp = 0;    // s: first second this report covers (previous report's obs ts + 1)
  std::uint32_t observations_timestamp = 0;  // s: when the DON observed (the de-duplication key of clients)
  std::uint64_t native_fee = 0;              // wei of the native token to verify onchain
  std::uint64_t link_fee = 0;                // juels of LINK to verify onchain
  std::uint32_t expires_at = 0;              // s: FeeManager rejects the report after this
  std::int64_t benchmark_price = 0;          // DON median, 8 decimals
  std::int64_t bid = 0;                      // 8 decimals
  std::int64_t ask = 0;                      // 8 decimals
  friend bool operator==(const ReportV3&, const ReportV3&) = default;
};

// What the signatures cover besides the report (OCR3 report context): the config digest and sequence number.
struct ReportContext {
  std::uint64_t config_digest = 0;
  std::uint64_t seq_nr = 0;  // OCR3 sequence number of the round that produced the report
  std::uint32_t epoch = 0;   // epoch of that round (reportContext[1] >> 8; the Verifier keeps the latest per feed)
  friend bool operator==(const ReportContext&, const ReportContext&) = default;
};

struct SignedReport {
  ReportContext context;
  ReportV3 report;
  std::vector<ocr::Signature> signatures;  // f+1 on a valid report (Verifier: exactly f+1)
  // Metadata, not part of the wire format: the simulated time the DON's round observed (for report latency).
  sim::Time observed_at{};
  friend bool operator==(const SignedReport&, const SignedReport&) = default;
};

// keccak(keccak(report) || reportContext): what each signer signs (facts §4 Verifier).
std::uint64_t signed_digest(const ReportContext& ctx, const ReportV3& report);

// Size in bytes of the ABI-encoded signed report as passed to VerifierProxy.verify: reportContext (3 words),
// the report bytes (offset, length, 9 words), rs[] and ss[] (offset, length, one word per signature each) and
// rawVs (1 word). Used for calldata gas and for message sizes on the network.
std::uint32_t encoded_size(const SignedReport& r);
// Calldata bytes of the report payload that are non-zero (timestamps and prices have leading zero bytes); an
// estimate: the byte count of each field's significant part.
std::uint32_t encoded_nonzero_bytes(const SignedReport& r);

}  // namespace models::streams
