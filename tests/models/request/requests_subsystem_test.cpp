// The requests subsystem's configuration: defaults, checks against the shared world's providers, and the actor
// names faults address.
#include "models/request/requests_subsystem.hpp"

#include <gtest/gtest.h>

using namespace models;
using namespace models::request;

namespace {
std::vector<providers::ProviderConfig> one_provider(const std::string& name) {
  providers::ProviderConfig p;
  p.name = name;
  p.asset = "ETH/USD";
  return {p};
}
}  // namespace

TEST(RequestsSubsystem, DefaultsNeedTheDefaultProviderAmongTheTopLevelOnes) {
  RequestsConfig r;
  r.enabled = true;
  EXPECT_TRUE(r.validate(one_provider("exchange-a")).empty());
  EXPECT_EQ(r.operators_or_default().size(), 1u);
  EXPECT_EQ(r.consumers_or_default().size(), 1u);
  // A request's `get` names a top-level provider; there is no block-local one any more.
  const auto issues = r.validate(one_provider("exchange-b"));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues.items()[0].path, "requests.consumers[0].request.get");
}

TEST(RequestsSubsystem, NamesMustBeUnique) {
  RequestsConfig r;
  r.enabled = true;
  r.operators = {OperatorSetup{}, OperatorSetup{}};
  r.consumers = {ConsumerSetup{}, ConsumerSetup{}};
  const auto issues = r.validate(one_provider("exchange-a"));
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues.items()[0].path, "requests.operators[1].name");
  EXPECT_EQ(issues.items()[1].path, "requests.consumers[1].name");
}

TEST(RequestsSubsystem, EachOperatorNodeIsAnActor) {
  scenario::ScenarioConfig c;
  std::vector<scenario::ActorName> actors;
  actor_names(c, actors);
  EXPECT_TRUE(actors.empty());  // not enabled: nothing to target
  auto& r = requests_of(c);
  r.enabled = true;
  OperatorSetup a, b;
  a.name = "op-a";
  b.name = "op-b";
  r.operators = {a, b};
  actor_names(c, actors);
  ASSERT_EQ(actors.size(), 2u);
  EXPECT_EQ(actors[0].name, "op-a/node");
  EXPECT_EQ(actors[1].name, "op-b/node");
  EXPECT_EQ(actors[1].model, "request-node");
}
