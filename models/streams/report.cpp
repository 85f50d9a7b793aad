#include "models/streams/report.hpp"

#include "sim/hash.hpp"

namespace models::streams {
namespace {
constexpr std::uint64_t kFeedDomain = 0x73747265616d2121ULL;    // "stream!!"
constexpr std::uint64_t kReportDomain = 0x7265706f72743376ULL;  // "report3v"

std::uint32_t significant_bytes(std::uint64_t v) {
  std::uint32_t n = 0;
  while (v != 0) {
    ++n;
    v >>= 8;
  }
  return n;
}
}  // namespace

FeedId feed_id_of(std::string_view feed_name) { return sim::hash_combine(kFeedDomain, sim::fnv1a64(feed_name)); }

std::uint64_t signed_digest(const ReportContext& ctx, const ReportV3& r) {
  std::uint64_t inner = sim::hash_combine(kReportDomain, r.feed_id);
  for (std::uint64_t v : {std::uint64_t{r.valid_from_timestamp}, std::uint64_t{r.observations_timestamp}, r.native_fee,
                          r.link_fee, std::uint64_t{r.expires_at}, static_cast<std::uint64_t>(r.benchmark_price),
                          static_cast<std::uint64_t>(r.bid), static_cast<std::uint64_t>(r.ask)}) {
    inner = sim::hash_combine(inner, v);
  }
  std::uint64_t h = sim::hash_combine(inner, ctx.config_digest);
  h = sim::hash_combine(h, ctx.seq_nr);
  return sim::hash_combine(h, ctx.epoch);
}

std::uint32_t encoded_size(const SignedReport& r) {
  const auto sigs = static_cast<std::uint32_t>(r.signatures.size());
  // context (3) + report offset/length (2) + 9 report words + rs offset/length (2) + ss offset/length (2) + rawVs (1)
  return 32 * (3 + 2 + 9 + 2 + 2 + 1) + 32 * 2 * sigs;
}

std::uint32_t encoded_nonzero_bytes(const SignedReport& r) {
  const ReportV3& p = r.report;
  std::uint32_t n = 32 * 3;  // the context words are hashes: every byte counts as non-zero
  n += 32;                   // feedId (bytes32)
  n += significant_bytes(p.valid_from_timestamp) + significant_bytes(p.observations_timestamp);
  n += significant_bytes(p.native_fee) + significant_bytes(p.link_fee) + significant_bytes(p.expires_at);
  // int192 prices with 18 decimals in the real encoding: 10 more decimal digits ~ 4 more bytes than ours.
  for (std::int64_t v : {p.benchmark_price, p.bid, p.ask}) n += significant_bytes(static_cast<std::uint64_t>(v)) + 4;
  n += 2 * 32 * static_cast<std::uint32_t>(r.signatures.size());  // r and s words are random
  n += 2 + 2 + 2 + 2 + 1;  // offsets and lengths, and rawVs
  return n;
}

}  // namespace models::streams
