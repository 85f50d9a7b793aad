// The Streams DON's round outcome as pure functions (models/streams/don_outcome.hpp), without a scheduler.
#include "models/streams/don_outcome.hpp"

#include <gtest/gtest.h>

using namespace models::streams;
using namespace sim::literals;

namespace {

StreamFeedConfig feed(const std::string& name) {
  StreamFeedConfig f;
  f.name = name;
  f.asset = name;
  f.spread = 0.001;
  f.expiry = 1_h;
  return f;
}

DonObservation obs(double at_s, std::vector<std::optional<std::int64_t>> price, std::vector<std::int64_t> last_ts,
                   std::uint64_t committed = 0) {
  DonObservation o;
  o.at = sim::Time::zero() + sim::Duration::from_seconds(at_s);
  o.true_at = o.at;
  o.price = std::move(price);
  o.last_ts = std::move(last_ts);
  o.committed_seq = committed;
  return o;
}

OutcomeState fresh(std::size_t feeds) {
  OutcomeState s;
  s.last_ts.assign(feeds, kNoReport);
  s.proposed_ts.assign(feeds, kNoReport);
  return s;
}

}  // namespace

TEST(DonOutcome, MedianQuoteOfOddAndEvenCounts) {
  std::vector<double> none;
  EXPECT_FALSE(median_quote(none).has_value());
  std::vector<double> odd{3, 1, 2};
  EXPECT_EQ(*median_quote(odd), 2.0);
  std::vector<double> even{4, 1, 3, 2};
  EXPECT_EQ(*median_quote(even), 2.5);
}

TEST(DonOutcome, BenchmarkIsSortedMiddleOfAtLeastFPlusOneValidObservations) {
  const std::vector<StreamFeedConfig> feeds{feed("ETH/USD"), feed("BTC/USD")};
  // f = 1, quorum 2f+1 = 3. ETH: three values; BTC: only one valid (< f+1 = 2): no BTC report.
  const auto a = obs(100.2, {300, std::nullopt}, {kNoReport, kNoReport}, 4);
  const auto b = obs(100.9, {100, 7}, {kNoReport, kNoReport}, 5);
  const auto c = obs(101.4, {200, std::nullopt}, {kNoReport, kNoReport}, 3);
  auto st = fresh(2);
  const DonOutcome out = decide_outcome({&a, &b, &c}, feeds, 1, st);
  EXPECT_EQ(out.seq, 6u);  // above every committed sequence number the quorum reports
  ASSERT_EQ(out.reports.size(), 1u);
  const ReportV3& r = out.reports[0];
  EXPECT_EQ(r.feed_id, feed_id_of("ETH/USD"));
  EXPECT_EQ(r.benchmark_price, 200);                 // sorted [100, 200, 300][1]
  EXPECT_EQ(r.observations_timestamp, 100u);         // floor of the median observation time 100.9 s
  EXPECT_EQ(r.valid_from_timestamp, 100u);           // the first report: itself
  EXPECT_EQ(r.expires_at, 100u + 3600u);
  EXPECT_EQ(r.bid, 200);                             // llround(200 * 0.999)
  EXPECT_EQ(out.observed_at, b.true_at);
  EXPECT_EQ(st.proposed_ts[0], 100);
  EXPECT_EQ(st.proposed_ts[1], kNoReport);
}

TEST(DonOutcome, ATimestampIsReportedOnceAndValidFromChainsToTheLastReported) {
  const std::vector<StreamFeedConfig> feeds{feed("ETH/USD")};
  auto st = fresh(1);
  const auto a = obs(100.1, {10}, {kNoReport}), b = obs(100.2, {11}, {kNoReport}), c = obs(100.3, {12}, {kNoReport});
  ASSERT_EQ(decide_outcome({&a, &b, &c}, feeds, 1, st).reports.size(), 1u);
  // Same second again: nothing (the leader already proposed 100), but the round still consumes a sequence number.
  const auto again = decide_outcome({&a, &b, &c}, feeds, 1, st);
  EXPECT_TRUE(again.reports.empty());
  EXPECT_EQ(again.seq, 2u);
  // One node has seen 100 reported; the next second chains to it.
  const auto d = obs(101.1, {10}, {100}), e = obs(101.2, {11}, {kNoReport}), g = obs(101.3, {12}, {kNoReport});
  const auto next = decide_outcome({&d, &e, &g}, feeds, 1, st);
  ASSERT_EQ(next.reports.size(), 1u);
  EXPECT_EQ(next.reports[0].valid_from_timestamp, 101u);
  EXPECT_EQ(next.reports[0].observations_timestamp, 101u);
}

TEST(DonOutcome, FollowersSignOnlyAdvancingTimestampsOfKnownFeeds) {
  ReportV3 r;
  r.feed_id = feed_id_of("ETH/USD");
  r.observations_timestamp = 100;
  const auto index = [](FeedId id) { return id == feed_id_of("ETH/USD") ? 0 : -1; };
  EXPECT_TRUE(follower_accepts({r}, {99}, index));
  EXPECT_FALSE(follower_accepts({r}, {100}, index));  // already reported
  r.feed_id = feed_id_of("BTC/USD");
  EXPECT_FALSE(follower_accepts({r}, {99}, index));   // unknown feed
}
