#include "models/streams/dedup.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "sim/random.hpp"

using models::streams::Deduplicator;
using models::streams::FeedId;

TEST(StreamsDedup, AcceptsOnlyAboveTheWatermarkPerFeed) {
  Deduplicator d;
  EXPECT_FALSE(d.watermark(1).has_value());
  EXPECT_TRUE(d.accept(1, 100));
  EXPECT_FALSE(d.accept(1, 100));  // the second copy
  EXPECT_FALSE(d.accept(1, 99));   // older than the watermark
  EXPECT_TRUE(d.accept(2, 50));    // feeds are independent
  EXPECT_TRUE(d.accept(1, 102));
  EXPECT_FALSE(d.accept(1, 101));  // new, but arrived after a newer one: dropped by the SDK rule
  EXPECT_EQ(*d.watermark(1), 102u);
  d.raise(1, 105);
  EXPECT_FALSE(d.accept(1, 105));
  d.raise(1, 90);  // never lowers
  EXPECT_EQ(*d.watermark(1), 105u);
  EXPECT_EQ(d.accepted(), 3u);
  EXPECT_EQ(d.rejected(), 4u);
}

// Two origins stream the same reports of two feeds, each in order (a WebSocket does not reorder) but with its own
// random delays and losses; the client sees the merged stream. Whatever the interleaving, no report is accepted
// twice, and every arrival whose timestamp is above the watermark (the highest accepted so far) is accepted.
TEST(StreamsDedup, PropertyOverRandomInterleavingsOfTwoOrigins) {
  std::uint64_t total_accepted = 0, total_rejected_new = 0;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    sim::Rng rng(seed);
    const double loss[2] = {rng.uniform01() * 0.3, rng.uniform01() * 0.3};
    const double max_delay[2] = {0.05 + rng.uniform01() * 3, 0.05 + rng.uniform01() * 3};
    struct Arrival {
      double t;
      int origin;
      FeedId feed;
      std::uint32_t ts;
    };
    std::vector<Arrival> arrivals;
    const std::vector<FeedId> feeds{11, 22};
    for (int o = 0; o < 2; ++o)
      for (FeedId f : feeds) {
        double last = 0;
        for (std::uint32_t ts = 1; ts <= 150; ++ts) {
          if (rng.uniform01() < loss[o]) continue;
          last = std::max(last, ts + rng.uniform01() * max_delay[o]);  // in order per origin
          arrivals.push_back({last, o, f, ts});
        }
      }
    std::stable_sort(arrivals.begin(), arrivals.end(), [](const Arrival& a, const Arrival& b) { return a.t < b.t; });

    Deduplicator d;
    std::set<std::pair<FeedId, std::uint32_t>> accepted;
    std::map<FeedId, std::uint32_t> reference;  // independent watermark: highest accepted so far
    for (const Arrival& a : arrivals) {
      auto it = reference.find(a.feed);
      const bool above = it == reference.end() || a.ts > it->second;
      const bool ok = d.accept(a.feed, a.ts);
      ASSERT_EQ(ok, above) << "seed " << seed << " feed " << a.feed << " ts " << a.ts;
      if (ok) {
        ASSERT_TRUE(accepted.insert({a.feed, a.ts}).second) << "accepted twice: seed " << seed << " ts " << a.ts;
        reference[a.feed] = a.ts;
      } else if (!accepted.count({a.feed, a.ts})) {
        ++total_rejected_new;  // new but behind a newer report of the other origin
      }
    }
    // Every report that some origin delivered before any newer report of its feed arrived is accepted.
    std::map<FeedId, std::uint32_t> highest_seen;
    std::set<std::pair<FeedId, std::uint32_t>> first_in_time;
    for (const Arrival& a : arrivals) {
      auto& h = highest_seen[a.feed];
      if (a.ts > h) first_in_time.insert({a.feed, a.ts});
      h = std::max(h, a.ts);
    }
    for (const auto& k : first_in_time) ASSERT_TRUE(accepted.count(k)) << "seed " << seed << " dropped a new report";
    total_accepted += accepted.size();
  }
  EXPECT_GT(total_accepted, 200u * 250u);  // most reports get through
  EXPECT_GT(total_rejected_new, 0u);       // the interleavings did exercise late new reports
}
