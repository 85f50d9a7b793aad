#include "analysis/request_metrics.hpp"

#include <cmath>

#include <gtest/gtest.h>

using namespace analysis;

namespace {
double count(const MetricSet& m, const char* name) { return *m.get(name); }
}  // namespace

TEST(RequestMetrics, CountsGasFeesAndProfit) {
  RequestMetrics m(RequestMetricsConfig{.link_eth = 0.01});
  for (std::uint64_t id = 1; id <= 4; ++id) m.on_request({0, id}, true, 150'000);
  m.on_fulfilment_tx(100'000, 10'000'000'000);  // 100k gas at 10 gwei = 0.001 ETH = 0.1 LINK
  m.on_fulfilled({0, 1}, 40, true, 0.1);
  m.on_fulfilled({0, 2}, 60, false, 0.1);
  m.on_expired({0, 3});
  m.on_expired({0, 4});
  m.on_cancelled({0, 4});
  MetricSet out;
  m.finish(out);
  EXPECT_EQ(count(out, "requests"), 4);
  EXPECT_EQ(count(out, "fulfilled"), 2);
  EXPECT_EQ(count(out, "failed_callbacks"), 1);
  EXPECT_EQ(count(out, "expired"), 1);    // expired, no refund yet
  EXPECT_EQ(count(out, "cancelled"), 1);  // expired and refunded
  EXPECT_EQ(count(out, "pending"), 0);
  EXPECT_DOUBLE_EQ(*out.get("fulfillment_latency_s"), 50);
  EXPECT_DOUBLE_EQ(*out.get("fulfillment_latency_s_p50"), 50);
  EXPECT_NEAR(*out.get("fulfillment_latency_s_p99"), 59.8, 1e-9);
  EXPECT_DOUBLE_EQ(*out.get("gas_per_request"), (4 * 150'000 + 100'000) / 4.0);
  EXPECT_NEAR(*out.get("link_fees"), 0.2, 1e-12);
  EXPECT_NEAR(*out.get("node_profit_link"), 0.1, 1e-12);
}

TEST(RequestMetrics, CountsFollowTheCohortOfRequestsMadeInTheWindow) {
  RequestMetrics m(RequestMetricsConfig{});
  m.on_request({0, 1}, false, 150'000);  // made in the warm-up: not in the cohort
  m.on_request({0, 2}, true, 150'000);
  m.on_request({1, 2}, true, 150'000);   // the same id at another consumer is another request
  m.on_request({0, 3}, true, 150'000);
  m.on_fulfilled({0, 1}, 10, true, 0.1);  // the warm-up request's answer is not counted
  m.on_fulfilled({0, 2}, 20, true, 0.1);
  // A reorg re-includes request 2 and its fulfilment: counted once.
  m.on_request({0, 2}, true, 150'000);
  m.on_fulfilled({0, 2}, 30, true, 0.1);
  // Request {1,2} expires, is answered before the refund lands: fulfilled (the cancel reverts).
  m.on_expired({1, 2});
  m.on_fulfilled({1, 2}, 400, true, 0.1);
  m.on_cancelled({1, 2});
  MetricSet out;
  m.finish(out);
  EXPECT_EQ(count(out, "requests"), 3);
  EXPECT_EQ(count(out, "fulfilled"), 2);
  EXPECT_EQ(count(out, "pending"), 1);  // {0,3}
  EXPECT_EQ(count(out, "expired") + count(out, "cancelled"), 0);
  EXPECT_DOUBLE_EQ(*out.get("fulfillment_latency_s"), 210);  // (20 + 400) / 2: the first answer of each
  EXPECT_NEAR(*out.get("link_fees"), 0.2, 1e-12);
  EXPECT_DOUBLE_EQ(*out.get("gas_per_request"), 150'000);  // first inclusions of the cohort only
}

TEST(RequestMetrics, EmptyRunHasNaNLatency) {
  RequestMetrics m(RequestMetricsConfig{});
  MetricSet out;
  m.finish(out);
  EXPECT_EQ(*out.get("requests"), 0);
  EXPECT_TRUE(std::isnan(*out.get("fulfillment_latency_s")));
  EXPECT_TRUE(std::isnan(*out.get("gas_per_request")));
}
