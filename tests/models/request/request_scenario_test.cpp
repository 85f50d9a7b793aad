#include "models/request/request_scenario.hpp"

#include <gtest/gtest.h>

#include "analysis/request_metrics.hpp"

using namespace models;
using namespace models::request;
using namespace sim::literals;

namespace {
RequestsConfig two_by_two() {
  RequestsConfig r;
  r.enabled = true;
  r.price_volatility = 0;
  for (int i = 0; i < 2; ++i) {
    OperatorSetup o;
    o.name = "operator-" + std::to_string(i);
    r.operators.push_back(o);
    ConsumerSetup c;
    c.name = "consumer-" + std::to_string(i);
    c.request.arrivals.rate_per_hour = 60;
    r.consumers.push_back(c);
  }
  return r;
}
}  // namespace

TEST(RequestScenario, DefaultsBuildAWorld) {
  RequestsConfig r;
  r.enabled = true;
  EXPECT_TRUE(r.validate().empty());
  const auto w = r.world();
  EXPECT_EQ(w.providers.size(), 1u);
  EXPECT_EQ(w.operators.size(), 1u);
  EXPECT_EQ(w.consumers.size(), 1u);
}

TEST(RequestScenario, EpisodeTargetsAreChecked) {
  auto r = two_by_two();
  r.episodes.push_back({RequestEpisode::Kind::node_down, "operator-9", 10_min, 10_min, 1});
  r.episodes.push_back({RequestEpisode::Kind::api_outage, "nowhere", 10_min, 10_min, 1});
  const auto issues = r.validate();
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues.items()[0].path, "requests.episodes[0].target");
  EXPECT_EQ(issues.items()[1].path, "requests.episodes[1].target");
}

TEST(RequestScenario, NodeDownEpisodeExpiresItsRequestsAndMetricsAccountForThem) {
  auto r = two_by_two();
  r.episodes.push_back({RequestEpisode::Kind::node_down, "operator-0", 20_min, 10_min, 1});
  r.episodes.push_back({RequestEpisode::Kind::congestion, "", 40_min, 10_min, 4});
  sim::Simulation sim(21);
  RequestWorld w(sim, r.world());
  schedule_episodes(sim, w, r.episodes);
  analysis::RequestMetricsCollector col(w, analysis::RequestMetricsConfig{r.link_eth});
  col.begin_measurement(sim::Time::zero());
  w.start();
  sim.run_until(sim::Time::zero() + 70_min);
  analysis::MetricSet m;
  col.finish(sim.now(), m);  // throws if LINK is not conserved
  EXPECT_GT(*m.get("requests"), 100);
  EXPECT_GT(*m.get("expired"), 3);
  EXPECT_EQ(*m.get("cancelled"), *m.get("expired"));
  EXPECT_GT(*m.get("fulfilled"), *m.get("requests") * 0.8);
  EXPECT_GT(*m.get("fulfillment_latency_s"), 36);  // at least 3 blocks
  EXPECT_GT(*m.get("gas_per_request"), 150'000);
  EXPECT_NEAR(*m.get("link_fees"), 0.1 * *m.get("fulfilled"), 1e-9);
  EXPECT_LT(*m.get("node_profit_link"), *m.get("link_fees"));
  EXPECT_EQ(w.link_accounting().violation, "");
}
