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
  // operator-0 is down 80m..90m: its requests expire, and the consumers cancel them for the refund.
  EXPECT_GE(*m.get("cancelled"), 2);
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

TEST(RequestScenario, EveryRequestOfTheCohortEndsInExactlyOneStateWithAndWithoutReorgs) {
  // requests = fulfilled + expired + cancelled + pending, where requests are those first included in the window
  // (analysis/request_metrics.hpp). Reorgs re-include request and fulfilment txs: each request still counts once,
  // so the count stays that of the run without reorgs (the arrivals are drawn from their own streams, the same in
  // both runs; only requests near the window's edges or reverted may differ).
  const std::vector<std::string> base = {"duration=100m", "faults[2].allow_after_end=true"};
  std::vector<std::string> reorgs = base;
  reorgs.insert(reorgs.end(), {"chain.reorg.probability=0.2", "chain.reorg.max_depth=3"});
  double requests[2] = {0, 0};
  for (int with_reorgs = 0; with_reorgs < 2; ++with_reorgs) {
    SCOPED_TRACE(with_reorgs ? "with reorgs" : "without reorgs");
    const Study st = load_study(kDir + "request_model.yaml", with_reorgs ? reorgs : base);
    const auto a = analysis::run_one(st.base, 7, 0);
    const auto& m = a.metrics;
    requests[with_reorgs] = *m.get("requests");
    EXPECT_GT(requests[with_reorgs], 100);
    EXPECT_EQ(*m.get("requests"), *m.get("fulfilled") + *m.get("expired") + *m.get("cancelled") + *m.get("pending"));
    EXPECT_GE(*m.get("cancelled"), 2);
    if (with_reorgs) EXPECT_GT(*m.get("chain_reorgs"), 5);
    else EXPECT_EQ(*m.get("chain_reorgs"), 0);
  }
  EXPECT_NEAR(requests[1], requests[0], 0.03 * requests[0]);
}
