// scenarios/request_model.yaml loads through the scenario framework and runs through analysis::run_one.
#include <string>

#include <gtest/gtest.h>

#include "analysis/run.hpp"
#include "analysis/subsystems.hpp"
#include "models/demo/demo_subsystem.hpp"
#include "models/feeds/feeds_subsystem.hpp"
#include "models/request/requests_subsystem.hpp"
#include "models/scenario/study.hpp"
#include "tests/analysis/scenario_run.hpp"

using namespace models::scenario;
using scenario_test::load_study;

namespace {
const std::string kDir = std::string(ORACLESIM_SOURCE_DIR) + "/scenarios/";
}

TEST(RequestScenario, LoadsAsWritten) {
  const Study st = load_study(kDir + "request_model.yaml");
  const auto& r = models::request::requests_of(st.base);
  EXPECT_TRUE(r.enabled);
  ASSERT_EQ(r.operators.size(), 2u);
  ASSERT_EQ(r.consumers.size(), 4u);
  EXPECT_EQ(r.consumers[3].request.arrivals.kind, models::request::ArrivalConfig::Kind::burst);
  EXPECT_EQ(r.consumers[0].request.fee, 100'000'000'000'000'000ULL);
  ASSERT_EQ(st.base.faults.size(), 3u);  // the stress is ordinary faults on the shared world
  EXPECT_EQ(st.base.faults[1].kind, "crash");
  EXPECT_EQ(st.base.faults[1].target.patterns, std::vector<std::string>{"operator-0/node"});
  EXPECT_EQ(st.points.size(), 3u);
}

TEST(RequestScenario, NodeOutageRequestsExpireAndLinkIsAccounted) {
  const Study st = load_study(kDir + "request_model.yaml", {"duration=100m", "faults[2].allow_after_end=true"});
  const auto a = analysis::run_one(st.base, 7, 0);  // throws if LINK is not conserved
  const auto& m = a.metrics;
  EXPECT_GT(*m.get("requests"), 100);
  EXPECT_GE(*m.get("expired"), 2);  // operator-0 is down 80m..90m: its requests expire
  EXPECT_EQ(*m.get("cancelled"), *m.get("expired"));
  EXPECT_GT(*m.get("fulfilled"), 0.8 * *m.get("requests"));
  EXPECT_GT(*m.get("fulfillment_latency_s_p99"), *m.get("fulfillment_latency_s_p50"));
  EXPECT_GT(*m.get("link_fees"), 0);
}

TEST(RequestScenario, ACrashOfAnUnknownRequestNodeIsAnError) {
  try {
    load_study(kDir + "request_model.yaml", {"faults[1].target=operator-7/node"});
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("'operator-7/node' matches no actor"), std::string::npos) << e.what();
  }
}

TEST(RequestScenario, TheRequestNodeCrashSuppressesItsWork) {
  const Study st = load_study(kDir + "request_model.yaml", {"duration=100m", "faults[2].allow_after_end=true"});
  const auto a = analysis::run_one(st.base, 7, 0);
  EXPECT_GT(*a.metrics.get("fault_events_suppressed"), 0);  // blocks the crashed node did not handle
  EXPECT_EQ(*a.metrics.get("faults_without_effect"), 0);
}
