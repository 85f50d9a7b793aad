#pragma once
// The de-duplicator of a Streams Direct client (facts §4, SDK go/stream.go): one watermark per feed, the highest
// observationsTimestamp accepted so far; a report is accepted iff its observationsTimestamp is above the watermark,
// which then rises to it. A client in HA mode feeds the reports of both its origins' sockets through one
// Deduplicator, so the first copy of each report wins and later copies are dropped.
//
// Consequence of the rule (kept on purpose, as in the SDK): a report that is new but arrives after a newer one of
// the same feed is dropped as well; the client's backfill (models/streams/client.hpp) recovers such reports.
// Pure: no scheduler, no network.
#include <cstdint>
#include <map>
#include <optional>

#include "models/streams/report.hpp"

namespace models::streams {

class Deduplicator {
 public:
  // Accepts iff observations_timestamp > watermark(feed) (any timestamp when the feed has none yet); raises the
  // watermark on acceptance.
  bool accept(FeedId feed, std::uint32_t observations_timestamp);
  bool accept(const ReportV3& r) { return accept(r.feed_id, r.observations_timestamp); }
  // Raises the watermark to `observations_timestamp` if that is higher (a report accepted by another path, e.g.
  // a REST backfill, so that a later stream copy of it is dropped).
  void raise(FeedId feed, std::uint32_t observations_timestamp);
  // The feed's watermark; nullopt before its first report.
  std::optional<std::uint32_t> watermark(FeedId feed) const;

  std::uint64_t accepted() const { return accepted_; }  // accept() calls that returned true
  std::uint64_t rejected() const { return rejected_; }  // accept() calls that returned false

 private:
  std::map<FeedId, std::uint32_t> watermark_;
  std::uint64_t accepted_ = 0;
  std::uint64_t rejected_ = 0;
};

}  // namespace models::streams
