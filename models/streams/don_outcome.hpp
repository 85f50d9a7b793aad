#pragma once
// The pure logic of a Streams DON round (no scheduler, no network): what a node observes from its provider quotes,
// what the leader decides from a quorum of observations, and whether a follower signs the proposal. The actor in
// don.cpp runs these at the protocol's steps; the rules are documented in don.hpp ("Outcome", "Attestation").
#include <cstdint>
#include <optional>
#include <vector>

#include "models/streams/report.hpp"
#include "models/streams/streams_config.hpp"
#include "sim/time.hpp"

namespace models::streams {

inline constexpr std::int64_t kNoReport = -1;  // no report yet for a feed

// One node's answer to an observe-req.
struct DonObservation {
  sim::Time at{};                                  // the node's local clock when it observed
  sim::Time true_at{};                             // the simulation time it observed (metadata for latency)
  std::vector<std::optional<std::int64_t>> price;  // per feed, 8 decimals; empty: no fresh quote
  std::vector<std::int64_t> last_ts;               // per feed: last reported observationsTimestamp, kNoReport
  std::uint64_t committed_seq = 0;                 // highest sequence number the node saw finalized
};

// A node's value for one feed: the median of its fresh provider quotes (mean of the two middle ones for an even
// count), or nothing without a quote. `quotes` is reordered.
std::optional<double> median_quote(std::vector<double>& quotes);

// What a node keeps of the outcomes: followers check proposals against last_ts; as a leader it decides from all of
// it (and decide_outcome() updates the proposal fields).
struct OutcomeState {
  std::vector<std::int64_t> last_ts;      // per feed: last reported observationsTimestamp this node knows
  std::vector<std::int64_t> proposed_ts;  // per feed: highest observationsTimestamp this node proposed
  std::uint64_t committed_seq = 0;        // highest sequence number finalized
  std::uint64_t last_proposed_seq = 0;    // highest sequence number this node proposed
};

struct DonOutcome {
  std::uint64_t seq = 0;            // the round's sequence number (every decided round consumes one)
  sim::Time observed_at{};          // true time of the median observation (latency metadata)
  std::vector<ReportV3> reports;    // one per feed whose timestamp advanced with >= f+1 valid observations
};

// The leader's outcome of a round from the quorum's observations (in arrival order): observationsTimestamp is the
// floor of the median observation time in seconds; a feed with at least f+1 valid observations whose timestamp is
// above both the last reported one (the highest in the quorum and in `state`) and the last this leader proposed gets
// a report with benchmarkPrice = sorted[len/2], validFrom = previous + 1 (the first: itself), expiry, fees and
// bid/ask from its config. Updates `state` (proposed timestamps and sequence number).
DonOutcome decide_outcome(const std::vector<const DonObservation*>& quorum, const std::vector<StreamFeedConfig>& feeds,
                          int f, OutcomeState& state);

// A follower signs a proposal only if every report's observationsTimestamp is above what it saw reported for that
// feed. `feed_index` maps a report's feed id to an index of `last_ts` (-1: unknown, refused).
template <class FeedIndex>
bool follower_accepts(const std::vector<ReportV3>& reports, const std::vector<std::int64_t>& last_ts, FeedIndex feed_index) {
  for (const ReportV3& rep : reports) {
    const int k = feed_index(rep.feed_id);
    if (k < 0 || static_cast<std::int64_t>(rep.observations_timestamp) <= last_ts[static_cast<std::size_t>(k)]) return false;
  }
  return true;
}

}  // namespace models::streams
