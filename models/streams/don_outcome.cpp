#include "models/streams/don_outcome.hpp"

#include <algorithm>
#include <cmath>

namespace models::streams {

namespace {
std::int64_t floor_seconds(sim::Time t) {
  const std::int64_t ns = t.ns();
  return ns < 0 ? 0 : ns / 1'000'000'000;
}
}  // namespace

std::optional<double> median_quote(std::vector<double>& quotes) {
  if (quotes.empty()) return std::nullopt;
  std::sort(quotes.begin(), quotes.end());
  const std::size_t m = quotes.size() / 2;
  return quotes.size() % 2 == 1 ? quotes[m] : (quotes[m - 1] + quotes[m]) / 2;
}

DonOutcome decide_outcome(const std::vector<const DonObservation*>& quorum, const std::vector<StreamFeedConfig>& feeds,
                          int f, OutcomeState& state) {
  DonOutcome out;
  std::vector<sim::Time> times, true_times;
  std::uint64_t seq = std::max(state.committed_seq, state.last_proposed_seq);
  for (const DonObservation* o : quorum) {
    times.push_back(o->at);
    true_times.push_back(o->true_at);
    seq = std::max(seq, o->committed_seq);
  }
  out.seq = ++seq;
  state.last_proposed_seq = seq;
  std::sort(times.begin(), times.end());
  std::sort(true_times.begin(), true_times.end());
  // observationsTimestamp comes from the nodes' clocks (median, so up to f skewed clocks cannot move it far); the
  // latency metadata uses the true time of the same median observation.
  const std::int64_t obs_ts = floor_seconds(times[times.size() / 2]);
  out.observed_at = true_times[true_times.size() / 2];

  std::vector<std::int64_t> values;
  for (std::size_t k = 0; k < feeds.size(); ++k) {
    values.clear();
    // validFrom chains to the last reported (finalized) timestamp the quorum knows; a timestamp this node proposed
    // but that never finalized only keeps it from proposing that second again.
    std::int64_t prev = state.last_ts[k];
    for (const DonObservation* o : quorum) {
      if (o->price[k]) values.push_back(*o->price[k]);
      prev = std::max(prev, o->last_ts[k]);
    }
    if (static_cast<int>(values.size()) < f + 1 || obs_ts <= std::max(prev, state.proposed_ts[k])) continue;
    std::sort(values.begin(), values.end());
    const std::int64_t bench = values[values.size() / 2];
    const StreamFeedConfig& fc = feeds[k];
    ReportV3 rep;
    rep.feed_id = feed_id_of(fc.name);
    rep.valid_from_timestamp = static_cast<std::uint32_t>(prev == kNoReport ? obs_ts : prev + 1);
    rep.observations_timestamp = static_cast<std::uint32_t>(obs_ts);
    rep.native_fee = fc.native_fee;
    rep.link_fee = fc.link_fee;
    rep.expires_at = static_cast<std::uint32_t>(obs_ts + fc.expiry.ns() / 1'000'000'000);
    rep.benchmark_price = bench;
    rep.bid = std::llround(static_cast<double>(bench) * (1.0 - fc.spread));
    rep.ask = std::llround(static_cast<double>(bench) * (1.0 + fc.spread));
    out.reports.push_back(rep);
    state.proposed_ts[k] = obs_ts;
  }
  return out;
}

}  // namespace models::streams
