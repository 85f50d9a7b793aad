#include "analysis/feed_metrics.hpp"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

using namespace analysis;
using namespace sim::literals;

namespace {
sim::Time at(sim::Duration d) { return sim::Time::zero() + d; }

// Truth 100 -> 110 at 10 s -> 100 at 20 s; answer 100 at 5 s -> 110 at 15 s. Worked by hand, the error in bps:
//   [5, 10): 0; [10, 15): 10/110 = 909.0909...; [15, 20): 0; [20, ...): 10/100 = 1000.
const std::vector<Step> kTruth{{at(0_s), 100}, {at(10_s), 110}, {at(20_s), 100}};
const std::vector<Step> kAnswer{{at(5_s), 100}, {at(15_s), 110}};
constexpr double kE1 = 1e4 * 10.0 / 110.0;

double get(const MetricSet& m, const char* name) {
  const auto v = m.get(name);
  EXPECT_TRUE(v.has_value()) << name;
  return v.value_or(NAN);
}
}  // namespace

TEST(RelativeError, MergesBothSeriesFromTheFirstAnswer) {
  const auto err = relative_error_bps(kTruth, kAnswer);
  ASSERT_EQ(err.size(), 4u);
  EXPECT_EQ(err[0].at, at(5_s));
  EXPECT_DOUBLE_EQ(err[0].value, 0);
  EXPECT_EQ(err[1].at, at(10_s));
  EXPECT_DOUBLE_EQ(err[1].value, kE1);
  EXPECT_EQ(err[2].at, at(15_s));
  EXPECT_DOUBLE_EQ(err[2].value, 0);
  EXPECT_EQ(err[3].at, at(20_s));
  EXPECT_DOUBLE_EQ(err[3].value, 1000);
  // Simultaneous steps of both series give one step.
  const std::vector<Step> t2{{at(0_s), 100}, {at(5_s), 200}};
  const std::vector<Step> a2{{at(5_s), 150}};
  const auto e2 = relative_error_bps(t2, a2);
  ASSERT_EQ(e2.size(), 1u);
  EXPECT_DOUBLE_EQ(e2[0].value, 2500);
}

TEST(RelativeError, FractionAboveAndMaxByHand) {
  const auto err = relative_error_bps(kTruth, kAnswer);
  // Covered [5, 30) = 25 s; above 50 bps during [10, 15) and [20, 30): 15 s.
  EXPECT_DOUBLE_EQ(time_fraction_above(err, at(0_s), at(30_s), 50), 15.0 / 25.0);
  EXPECT_DOUBLE_EQ(time_fraction_above(err, at(12_s), at(30_s), 50), 13.0 / 18.0);
  EXPECT_DOUBLE_EQ(time_fraction_above(err, at(0_s), at(30_s), 1000), 0.0);  // strictly above
  EXPECT_DOUBLE_EQ(max_over(err, at(0_s), at(30_s)), 1000);
  EXPECT_DOUBLE_EQ(max_over(err, at(0_s), at(20_s)), kE1);  // the 1000 bps piece starts at the window's end
  EXPECT_TRUE(std::isnan(max_over(err, at(0_s), at(5_s))));
}

TEST(FeedMetricsCollector, EveryMetricByHand) {
  FeedMetricsCollector c({.warmup_end = at(0_s), .end = at(30_s), .deviation_threshold = 0.005, .oracles = 4});
  for (const auto& s : kTruth) c.on_true_price(s.at, s.value);
  c.on_trigger(at(3_s), 1);
  c.on_trigger(at(4_s), 1);  // a second trigger of the same round does not move its start
  c.on_transaction(at(5_s), 100'000, 10'000'000'000, 1e17);
  c.on_answer(at(5_s), 100, 1);
  c.on_trigger(at(14_s), 2);
  c.on_transaction(at(15_s), 50'000, 20'000'000'000, 2e17);
  c.on_answer(at(15_s), 110, 2);
  for (int age : {1, 2, 3, 100}) c.on_read(at(20_s), sim::Duration::from_seconds(age));
  MetricSet m;
  c.finish(m);
  EXPECT_DOUBLE_EQ(get(m, "updates"), 2);
  EXPECT_DOUBLE_EQ(get(m, "gas_per_update"), 75'000);
  EXPECT_DOUBLE_EQ(get(m, "gas_per_day"), 150'000.0 * 2880);   // 30 s window: x2880 per day
  EXPECT_DOUBLE_EQ(get(m, "gas_per_node_per_day"), 150'000.0 * 2880 / 4);
  EXPECT_NEAR(get(m, "eth_cost_per_day"), 0.002 * 2880, 1e-12);  // 1e15 + 1e15 wei
  EXPECT_NEAR(get(m, "link_paid_per_day"), 0.3 * 2880, 1e-9);
  // Time-weighted over the covered 25 s: (0*5 + e1*5 + 0*5 + 1000*10) / 25.
  EXPECT_NEAR(get(m, "answer_error_bps_mean"), (kE1 * 5 + 10'000) / 25, 1e-9);
  EXPECT_DOUBLE_EQ(get(m, "answer_error_bps_p50"), kE1);  // 0 covers 10 s, e1 the next 5 s: crosses 12.5 s
  EXPECT_DOUBLE_EQ(get(m, "answer_error_bps_p99"), 1000);
  EXPECT_DOUBLE_EQ(get(m, "answer_error_bps_max"), 1000);
  EXPECT_DOUBLE_EQ(get(m, "time_beyond_threshold_frac"), 0.6);
  EXPECT_DOUBLE_EQ(get(m, "staleness_s_mean"), 26.5);
  EXPECT_NEAR(get(m, "staleness_s_p99"), 3 + 0.97 * 97, 1e-9);  // type 7: h = 3 * 0.99
  EXPECT_DOUBLE_EQ(get(m, "staleness_s_max"), 100);
  EXPECT_DOUBLE_EQ(get(m, "update_latency_s"), 1.5);  // 5 - 3 and 15 - 14
  EXPECT_DOUBLE_EQ(get(m, "mean_update_interval_s"), 10);
  EXPECT_DOUBLE_EQ(get(m, "mean_update_size_bps"), 1000);
}

TEST(FeedMetricsCollector, WarmupIsIgnored) {
  FeedMetricsCollector c({.warmup_end = at(12_s), .end = at(30_s), .deviation_threshold = 0.005, .oracles = 1});
  for (const auto& s : kTruth) c.on_true_price(s.at, s.value);
  c.on_trigger(at(3_s), 1);
  c.on_transaction(at(5_s), 100'000, 10'000'000'000, 1e17);  // before the warm-up ends: not counted
  c.on_answer(at(5_s), 100, 1);
  c.on_read(at(6_s), 1_s);
  c.on_trigger(at(14_s), 2);
  c.on_transaction(at(15_s), 50'000, 20'000'000'000, 2e17);
  c.on_answer(at(15_s), 110, 2);
  MetricSet m;
  c.finish(m);
  EXPECT_DOUBLE_EQ(get(m, "updates"), 1);
  EXPECT_DOUBLE_EQ(get(m, "gas_per_update"), 50'000);
  EXPECT_DOUBLE_EQ(get(m, "gas_per_day"), 50'000.0 * 86'400 / 18);
  // Covered [12, 30): e1 for 3 s, 0 for 5 s, 1000 for 10 s.
  EXPECT_NEAR(get(m, "answer_error_bps_mean"), (kE1 * 3 + 10'000) / 18, 1e-9);
  EXPECT_DOUBLE_EQ(get(m, "time_beyond_threshold_frac"), 13.0 / 18.0);
  EXPECT_DOUBLE_EQ(get(m, "update_latency_s"), 1);
  EXPECT_DOUBLE_EQ(get(m, "mean_update_size_bps"), 1000);  // the update at 15 s moved 100 -> 110
  EXPECT_TRUE(std::isnan(get(m, "mean_update_interval_s")));
  EXPECT_TRUE(std::isnan(get(m, "staleness_s_mean")));  // the only read was in the warm-up
}

TEST(FeedMetricsCollector, LaterAnswersOfTheSameRoundAreOneUpdate) {
  FeedMetricsCollector c({.warmup_end = at(0_s), .end = at(100_s), .deviation_threshold = 0.005, .oracles = 3});
  c.on_true_price(at(0_s), 100);
  c.on_trigger(at(1_s), 1);
  c.on_answer(at(10_s), 100, 1);
  c.on_trigger(at(40_s), 2);
  c.on_trigger(at(55_s), 2);  // a late joiner of round 2
  c.on_trigger(at(70_s), 2);  // and one after its last answer: neither moves the latency
  c.on_answer(at(50_s), 104, 2);  // the median moves as more submissions arrive
  c.on_answer(at(62_s), 102, 2);
  c.on_failed_read(at(5_s));
  MetricSet m;
  c.finish(m);
  EXPECT_DOUBLE_EQ(get(m, "updates"), 2);
  EXPECT_DOUBLE_EQ(get(m, "mean_update_interval_s"), 40);
  EXPECT_DOUBLE_EQ(get(m, "mean_update_size_bps"), 200);  // final 102 vs 100
  EXPECT_DOUBLE_EQ(get(m, "update_latency_s"), 9.5);      // (10 - 1 + 50 - 40) / 2
  EXPECT_DOUBLE_EQ(get(m, "consumer_failed_reads"), 1);
  // Error: 0 on [10, 50), 400 bps on [50, 62), 200 bps on [62, 100): mean (4800 + 7600) / 90.
  EXPECT_NEAR(get(m, "answer_error_bps_mean"), 12'400.0 / 90, 1e-9);
  EXPECT_DOUBLE_EQ(get(m, "answer_error_bps_max"), 400);
}

TEST(FeedMetricsCollector, DueLatencyRunsFromWhenTheTruePriceMadeAnUpdateDue) {
  // Threshold 1%, heartbeat 100 s. Update 1 at 0 s (100). The truth reaches 102 at 10 s (due), update 2 lands at
  // 25 s: 15 s. Nothing moves after; the heartbeat falls due at 125 s, update 3 lands at 130 s: 5 s. Update 4 at
  // 140 s comes before anything was due (provider noise): counted apart.
  FeedMetricsCollector c({.warmup_end = at(0_s), .end = at(200_s), .deviation_threshold = 0.01, .heartbeat = 100_s,
                          .oracles = 1});
  c.on_true_price(at(0_s), 100);
  c.on_true_price(at(5_s), 100.5);   // within the threshold: not due
  c.on_true_price(at(10_s), 102);
  c.on_answer(at(0_s), 100, 1);
  c.on_answer(at(25_s), 102, 2);
  c.on_answer(at(130_s), 102, 3);
  c.on_answer(at(140_s), 102.1, 4);
  MetricSet m;
  c.finish(m);
  EXPECT_DOUBLE_EQ(get(m, "due_latency_s"), (15.0 + 5.0) / 2);
  EXPECT_DOUBLE_EQ(get(m, "updates_before_due"), 1);
  EXPECT_GE(get(m, "due_latency_s_p99"), 5.0);
}

TEST(FeedMetricsCollector, StalenessIsSplitByTheCongestionWindows) {
  FeedMetricsCollector c({.warmup_end = at(10_s), .end = at(100_s), .deviation_threshold = 0.005, .oracles = 1});
  c.set_congestion({{at(20_s), at(30_s)}, {at(90_s), at(100_s)}});
  c.on_read(at(5_s), 50_s);   // warm-up: in neither
  c.on_read(at(15_s), 1_s);   // outside
  c.on_read(at(20_s), 7_s);   // inside (a window includes its start)
  c.on_read(at(29_s), 9_s);   // inside
  c.on_read(at(30_s), 2_s);   // outside (and excludes its end)
  c.on_read(at(95_s), 4_s);   // inside the second window
  MetricSet m;
  c.finish(m);
  EXPECT_DOUBLE_EQ(get(m, "staleness_s_mean_congested"), (7.0 + 9.0 + 4.0) / 3);
  EXPECT_DOUBLE_EQ(get(m, "staleness_s_max_congested"), 9);
  EXPECT_NEAR(get(m, "staleness_s_p99_congested"), 7 + 0.98 * 2, 1e-9);  // type 7 over {4, 7, 9}: h = 1.98
  EXPECT_DOUBLE_EQ(get(m, "staleness_s_mean_uncongested"), 1.5);
  EXPECT_DOUBLE_EQ(get(m, "staleness_s_max_uncongested"), 2);
  EXPECT_DOUBLE_EQ(get(m, "staleness_s_max"), 9);  // the unsplit metric keeps every read of the window
  // Without congestion windows the split metrics are not reported at all.
  FeedMetricsCollector plain({.warmup_end = at(10_s), .end = at(100_s), .deviation_threshold = 0.005, .oracles = 1});
  plain.on_read(at(20_s), 7_s);
  MetricSet p;
  plain.finish(p);
  EXPECT_FALSE(p.get("staleness_s_max_congested").has_value());
  EXPECT_FALSE(p.get("staleness_s_max_uncongested").has_value());
}
