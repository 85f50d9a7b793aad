#include "models/faults/fault_kind_registry.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace models::faults;
using namespace sim::literals;

namespace {

bool has_issue(const sim::ConfigIssues& is, const std::string& path, const std::string& text = "") {
  return std::any_of(is.items().begin(), is.items().end(), [&](const sim::ConfigIssue& i) {
    return i.path == path && i.message.find(text) != std::string::npos;
  });
}

std::vector<ActorInfo> actors() {
  std::vector<ActorInfo> a;
  for (int i = 0; i < 31; ++i) a.push_back({"eth-usd/node-" + std::to_string(i), "ocr-node", true, true});
  a.push_back({"chain", "chain"});
  for (int i = 0; i < 3; ++i) a.push_back({"link-usd/node-" + std::to_string(i), "flux-node", true, false});  // no host
  a.push_back({"streams/client/ha", "host", false, true});                                             // no actor
  return a;
}

FaultKindRegistry registry() {
  FaultKindRegistry r = FaultKindRegistry::with_builtin_kinds();
  r.add_behaviour({.model = "ocr-node",
                   .name = "lie",
                   .params = {{"offset", ParamType::number, true, "relative error of reported values"}},
                   .validate = {}});
  r.add_kind({.name = "congestion",
              .target = TargetUse::optional,
              .params = {{"multiplier", ParamType::number, true, "demand multiplier"}},
              .validate = {},
              .inject = {}, .target_models = {}, .one_group = false});
  return r;
}

FaultSpec fault(sim::Duration at, std::string kind) {
  FaultSpec f;
  f.at = at;
  f.kind = std::move(kind);
  return f;
}

}  // namespace

TEST(FaultConfig, SketchFaultsAreValid) {
  FaultsConfig c;
  FaultSpec crash = fault(6_h, "crash");
  crash.target.patterns = {"eth-usd/node-0"};
  crash.duration = 30_min;
  FaultSpec byz = fault(12_h, "byzantine");
  byz.behaviour = "lie";
  byz.target = {{"eth-usd/node-*"}, 3, ""};
  byz.params["offset"] = 0.05;
  FaultSpec part = fault(18_h, "partition");
  part.groups = {{"eth-usd/node-[0-9]"}, {"eth-usd/node-[1-3][0-9]"}};
  part.duration = 10_min;
  FaultSpec cong = fault(20_h, "congestion");
  cong.params["multiplier"] = 3.0;
  c.faults = {crash, byz, part, cong};
  const auto is = validate(c, registry(), actors());
  for (const auto& i : is.items()) ADD_FAILURE() << i.path << ": " << i.message;
}

TEST(FaultConfig, EmptyTargetMatchIsAnIssueAtItsPath) {
  FaultsConfig c;
  FaultSpec ok = fault(1_h, "crash");
  ok.target.patterns = {"chain"};
  FaultSpec none = fault(1_h, "crash");
  none.target.patterns = {"btc-usd/node-*"};
  FaultSpec missing = fault(1_h, "crash");
  c.faults = {ok, ok, none, missing};
  const auto is = validate(c, registry(), actors());
  EXPECT_EQ(is.size(), 2u);
  EXPECT_TRUE(has_issue(is, "faults[2].target", "'btc-usd/node-*' matches no actor"));
  EXPECT_TRUE(has_issue(is, "faults[3].target", "missing"));
}

TEST(FaultConfig, UnknownKindAndBehaviour) {
  FaultsConfig c;
  FaultSpec k = fault(1_h, "meteor");
  k.target.patterns = {"chain"};
  FaultSpec b = fault(1_h, "byzantine");
  b.target.patterns = {"eth-usd/node-1", "chain"};
  b.behaviour = "lie";
  b.params["offset"] = 0.01;
  c.faults = {k, b};
  const auto is = validate(c, registry(), actors());
  EXPECT_TRUE(has_issue(is, "faults[0].kind", "unknown fault kind 'meteor'"));
  EXPECT_TRUE(has_issue(is, "faults[1].behaviour", "model 'chain' has no byzantine behaviour 'lie'"));
  EXPECT_EQ(is.size(), 2u);
}

TEST(FaultConfig, ParamsAreTypedAndKnown) {
  FaultsConfig c;
  FaultSpec l = fault(1_h, "link");
  l.from = {"eth-usd/node-1"};
  l.to = {"eth-usd/node-2"};
  l.params["added_latency"] = 0.5;  // a number where a duration is expected
  l.params["lossy"] = true;         // unknown key
  l.params["loss"] = 1.5;           // out of range
  FaultSpec cong = fault(1_h, "congestion");  // required param missing
  FaultSpec skew = fault(1_h, "clock_skew");
  skew.target.patterns = {"eth-usd/node-3"};
  skew.params["rate"] = -1.0;
  c.faults = {l, cong, skew};
  const auto is = validate(c, registry(), actors());
  EXPECT_TRUE(has_issue(is, "faults[0].added_latency", "duration"));
  EXPECT_TRUE(has_issue(is, "faults[0].lossy", "unknown key"));
  EXPECT_TRUE(has_issue(is, "faults[0].loss"));
  EXPECT_TRUE(has_issue(is, "faults[1].multiplier", "missing"));
  EXPECT_TRUE(has_issue(is, "faults[2].rate"));
}

TEST(FaultConfig, PartitionGroupsMustMatchAndBeDisjoint) {
  FaultsConfig c;
  FaultSpec p = fault(1_h, "partition");
  p.groups = {{"eth-usd/node-*"}, {"eth-usd/node-1"}, {"nobody"}};
  p.target.patterns = {"chain"};
  c.faults = {p};
  const auto is = validate(c, registry(), actors());
  EXPECT_TRUE(has_issue(is, "faults[0].groups[1]", "also in groups[0]"));
  EXPECT_TRUE(has_issue(is, "faults[0].groups[2]", "'nobody' matches no network host (closest: "));
  EXPECT_TRUE(has_issue(is, "faults[0].target", "no target"));
}

TEST(FaultConfig, NetworkFaultsNameHostsAndActorFaultsNameActors) {
  FaultsConfig c;
  FaultSpec p = fault(1_h, "partition");  // a host that is no actor (a Streams client) can be cut off
  p.groups = {{"streams/client/ha"}, {"eth-usd/node-*"}};
  FaultSpec l = fault(1_h, "link");  // flux nodes talk only to the chain: a network fault cannot reach them
  l.from = {"link-usd/node-*"};
  l.to = {"eth-usd/node-1"};
  l.params["loss"] = 0.5;
  FaultSpec crash = fault(1_h, "crash");  // a host only is not an actor
  crash.target.patterns = {"streams/client/ha"};
  c.faults = {p, l, crash};
  const auto is = validate(c, registry(), actors());
  EXPECT_FALSE(has_issue(is, "faults[0].groups[0]"));
  EXPECT_FALSE(has_issue(is, "faults[0].groups[1]"));
  EXPECT_TRUE(has_issue(is, "faults[1].from", "'link-usd/node-*' matches actors that are not network hosts "
                                              "(link-usd/node-0 and 2 more): they talk only to the chain"));
  EXPECT_FALSE(has_issue(is, "faults[1].to"));
  EXPECT_TRUE(has_issue(is, "faults[2].target", "'streams/client/ha' matches no actor"));
  EXPECT_EQ(is.size(), 2u);
}

TEST(FaultConfig, TimesAndProcesses) {
  FaultsConfig c;
  FaultSpec f = fault(-(1_s), "crash");
  f.target.patterns = {"chain"};
  f.duration = 0_s;
  c.faults = {f};
  RandomCrashProcess p;
  p.target = {{"eth-usd/node-*"}, 40, ""};
  p.mttr = 0_s;
  c.processes = {p};
  const auto is = validate(c, registry(), actors());
  EXPECT_TRUE(has_issue(is, "faults[0].at"));
  EXPECT_TRUE(has_issue(is, "faults[0].duration"));
  EXPECT_TRUE(has_issue(is, "fault_processes[0].target.any", "only 31"));
  EXPECT_TRUE(has_issue(is, "fault_processes[0].mttr"));
}

TEST(FaultConfig, RegistryRejectsDuplicates) {
  FaultKindRegistry r = FaultKindRegistry::with_builtin_kinds();
  EXPECT_THROW(r.add_kind({.name = "crash", .target = TargetUse::required, .params = {}, .validate = {}, .inject = {}, .target_models = {}, .one_group = false}),
               std::invalid_argument);
  EXPECT_THROW(r.set_injector("meteor", {}), std::invalid_argument);
  EXPECT_EQ(r.kind_names(), (std::vector<std::string>{"byzantine", "clock_skew", "crash", "crash_leader", "link", "partition"}));
}
