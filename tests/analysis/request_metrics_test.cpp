#include "analysis/request_metrics.hpp"

#include <cmath>

#include <gtest/gtest.h>

using namespace analysis;

TEST(RequestMetrics, CountsGasFeesAndProfit) {
  RequestMetrics m(RequestMetricsConfig{.link_eth = 0.01});
  m.on_request(150'000);
  m.on_request(150'000);
  m.on_fulfilment_tx(100'000, 10'000'000'000);  // 100k gas at 10 gwei = 0.001 ETH = 0.1 LINK
  m.on_fulfilled(40, true, 0.1);
  m.on_fulfilled(60, false, 0.1);
  m.on_expired();
  m.on_cancelled();
  MetricSet out;
  m.finish(out);
  EXPECT_EQ(*out.get("requests"), 2);
  EXPECT_EQ(*out.get("fulfilled"), 2);
  EXPECT_EQ(*out.get("failed_callbacks"), 1);
  EXPECT_EQ(*out.get("expired"), 1);
  EXPECT_EQ(*out.get("cancelled"), 1);
  EXPECT_DOUBLE_EQ(*out.get("fulfillment_latency_s"), 50);
  EXPECT_DOUBLE_EQ(*out.get("fulfillment_latency_s_p50"), 50);
  EXPECT_NEAR(*out.get("fulfillment_latency_s_p99"), 59.8, 1e-9);
  EXPECT_DOUBLE_EQ(*out.get("gas_per_request"), 200'000);
  EXPECT_NEAR(*out.get("link_fees"), 0.2, 1e-12);
  EXPECT_NEAR(*out.get("node_profit_link"), 0.1, 1e-12);
}

TEST(RequestMetrics, EmptyRunHasNaNLatency) {
  RequestMetrics m(RequestMetricsConfig{});
  MetricSet out;
  m.finish(out);
  EXPECT_EQ(*out.get("requests"), 0);
  EXPECT_TRUE(std::isnan(*out.get("fulfillment_latency_s")));
  EXPECT_TRUE(std::isnan(*out.get("gas_per_request")));
}
