// scenarios/request_model.yaml loads through the scenario framework and runs through analysis::run_one.
#include <string>

#include <gtest/gtest.h>

#include "analysis/run.hpp"
#include "models/scenario/study.hpp"

using namespace models::scenario;

namespace {
const std::string kDir = std::string(ORACLESIM_SOURCE_DIR) + "/scenarios/";
}

TEST(RequestScenario, LoadsAsWritten) {
  const Study st = load_study(kDir + "request_model.yaml");
  const auto& r = st.base.requests;
  EXPECT_TRUE(r.enabled);
  ASSERT_EQ(r.operators.size(), 2u);
  ASSERT_EQ(r.consumers.size(), 4u);
  EXPECT_EQ(r.consumers[3].request.arrivals.kind, models::request::ArrivalConfig::Kind::burst);
  EXPECT_EQ(r.consumers[0].request.fee, 100'000'000'000'000'000ULL);
  ASSERT_EQ(r.episodes.size(), 3u);
  EXPECT_EQ(r.episodes[1].kind, models::request::RequestEpisode::Kind::node_down);
  EXPECT_EQ(st.points.size(), 3u);
}

TEST(RequestScenario, NodeOutageRequestsExpireAndLinkIsAccounted) {
  const Study st = load_study(kDir + "request_model.yaml", {"duration=100m"});
  const auto a = analysis::run_one(st.base, 7, 0);  // throws if LINK is not conserved
  const auto& m = a.metrics;
  EXPECT_GT(*m.get("requests"), 100);
  EXPECT_GE(*m.get("expired"), 2);  // operator-0 is down 80m..90m: its requests expire
  EXPECT_EQ(*m.get("cancelled"), *m.get("expired"));
  EXPECT_GT(*m.get("fulfilled"), 0.8 * *m.get("requests"));
  EXPECT_GT(*m.get("fulfillment_latency_s_p99"), *m.get("fulfillment_latency_s_p50"));
  EXPECT_GT(*m.get("link_fees"), 0);
}

TEST(RequestScenario, UnknownEpisodeTargetIsAnError) {
  EXPECT_ANY_THROW(load_study(kDir + "request_model.yaml", {"requests.episodes[1].target=operator-7"}));
}
