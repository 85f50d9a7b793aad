#include "models/faults/fault_schedule.hpp"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "models/faults/builtin_injectors.hpp"
#include "sim/timer.hpp"

using namespace models::faults;
using namespace sim::literals;

namespace {

// A minimal actor: a network host with a heartbeat timer and volatile state.
struct Node {
  Node(sim::Simulation& s, sim::Network& net, std::string name)
      : sim(s), net(net), control(name, "test-node"), host(net.add_host(name)), tick(s, [this] { on_tick(); }) {
    control.on_crash = [this] {
      volatile_state = 0;
      tick.cancel();
    };
    control.on_restart = [this] {
      ++restarts;
      tick.arm(1_s);
    };
  }
  void on_tick() {
    if (!control.admit()) return;
    ++ticks;
    ++volatile_state;
    tick.arm(1_s);
  }
  void receive() {
    if (!control.admit()) return;
    ++received;
  }
  sim::Simulation& sim;
  sim::Network& net;
  ActorControl control;
  sim::HostId host;
  sim::Timer tick;
  int ticks = 0, volatile_state = 0, restarts = 0, received = 0;
};

struct World {
  explicit World(std::uint64_t seed, int n = 6) : sim(seed), net(sim, sim::NetworkConfig{}) {
    for (int i = 0; i < n; ++i) {
      nodes.push_back(std::make_unique<Node>(sim, net, fmt::format("f/node-{}", i)));
      dir.add(nodes.back()->control);
    }
    registry.add_behaviour({.model = "test-node", .name = "lie", .params = {{"offset", ParamType::number, true, ""}}, .validate = {}});
    install_builtin_injectors(registry, &net, dir);
  }
  // What a fault may name: the nodes, as actors and hosts, and any host added that is no actor.
  std::vector<ActorInfo> targets() const { return with_hosts(dir.infos(), net); }
  sim::Simulation sim;
  sim::Network net;
  std::vector<std::unique_ptr<Node>> nodes;
  ActorDirectory dir;
  FaultKindRegistry registry = FaultKindRegistry::with_builtin_kinds();
};

FaultSpec spec(sim::Duration at, std::string kind, std::optional<sim::Duration> d = std::nullopt) {
  FaultSpec f;
  f.at = at;
  f.kind = std::move(kind);
  f.duration = d;
  return f;
}

}  // namespace

TEST(FaultSchedule, PartitionDropsExactlyCrossGroupMessagesAndHealsOnTime) {
  World w(1);
  FaultsConfig cfg;
  FaultSpec p = spec(10_s, "partition", 5_s);
  p.groups = {{"f/node-[0-2]"}, {"f/node-[3-4]"}};  // node-5 in no group
  cfg.faults = {p};
  FaultSchedule sched(w.sim, cfg, w.registry, w.targets());
  sched.start();
  const sim::MessageKind k = w.net.kind("m");
  // Every second, every node sends to every other; record (send second, from, to) of what arrives.
  std::set<std::tuple<int, int, int>> got;
  for (int t = 0; t < 30; ++t)
    w.sim.at(sim::Time::zero() + 1_s * t + 100_ms, [&, t] {
      for (int a = 0; a < 6; ++a)
        w.net.broadcast(w.nodes[a]->host, 10, k, [&, t, a](sim::HostId to) { got.insert({t, a, int(to)}); });
    });
  w.sim.run_until(sim::Time::zero() + 40_s);
  auto side = [](int x) { return x <= 2 ? 0 : x <= 4 ? 1 : -1; };
  int expected_drops = 0;
  for (int t = 0; t < 30; ++t)
    for (int a = 0; a < 6; ++a)
      for (int b = 0; b < 6; ++b) {
        if (a == b) continue;
        const bool cross = side(a) >= 0 && side(b) >= 0 && side(a) != side(b);
        const bool during = t >= 10 && t < 15;
        expected_drops += cross && during;
        EXPECT_EQ(got.count({t, a, b}), cross && during ? 0u : 1u) << t << " " << a << "->" << b;
      }
  ASSERT_EQ(sched.effects().size(), 1u);
  const FaultEffect& e = sched.effects()[0];
  EXPECT_EQ(e.counter("messages_dropped"), static_cast<std::uint64_t>(expected_drops));
  EXPECT_EQ(expected_drops, 5 * 12);
  EXPECT_EQ(e.injected_at, sim::Time::zero() + 10_s);
  EXPECT_EQ(e.healed_at, sim::Time::zero() + 15_s);
  EXPECT_EQ(sched.faults_without_effect(), 0u);
}

TEST(FaultSchedule, CrashedActorReceivesNothingAndRestarts) {
  World w(2, 3);
  FaultsConfig cfg;
  FaultSpec c = spec(5_s + 500_ms, "crash", 10_s);
  c.target.patterns = {"f/node-1"};
  cfg.faults = {c};
  FaultSchedule sched(w.sim, cfg, w.registry, w.dir.infos());
  sched.start();
  for (auto& n : w.nodes) n->tick.arm(1_s);
  const sim::MessageKind k = w.net.kind("m");
  std::vector<int> received_at;  // seconds at which node-1 received
  for (int t = 0; t < 30; ++t)
    w.sim.at(sim::Time::zero() + 1_s * t, [&, t] {
      w.net.send(w.nodes[0]->host, w.nodes[1]->host, 10, k, [&, t] {
        w.nodes[1]->receive();
        if (w.nodes[1]->control.up()) received_at.push_back(t);
      });
    });
  int state_at_crash_end = -1;
  w.sim.at(sim::Time::zero() + 15_s + 400_ms, [&] { state_at_crash_end = w.nodes[1]->volatile_state; });
  w.sim.run_until(sim::Time::zero() + 30_s + 500_ms);
  const Node& n1 = *w.nodes[1];
  // Crash 5.5 s .. 15.5 s: messages sent at 6..15 s never arrive (sent at 5 s arrived at 5.001 s).
  for (int t = 0; t < 30; ++t)
    EXPECT_EQ(std::count(received_at.begin(), received_at.end(), t), (t >= 6 && t <= 15) ? 0 : 1) << t;
  EXPECT_EQ(n1.received, 20);
  EXPECT_EQ(n1.restarts, 1);
  EXPECT_EQ(state_at_crash_end, 0);  // volatile state lost
  // Ticks at 1..5 s, then after restart at 16.5 .. 30.5 s.
  EXPECT_EQ(n1.ticks, 5 + 15);
  EXPECT_EQ(n1.volatile_state, 15);
  EXPECT_EQ(w.nodes[0]->ticks, 30);
  const FaultEffect& e = sched.effects()[0];
  EXPECT_EQ(e.counter("messages_dropped"), 10u);
  EXPECT_EQ(e.targets, std::vector<std::string>{"f/node-1"});
  ASSERT_EQ(sched.timeline().size(), 2u);
  EXPECT_EQ(sched.timeline()[1].at, sim::Time::zero() + 15_s + 500_ms);
  EXPECT_TRUE(sched.timeline()[1].heal);
}

TEST(FaultSchedule, FaultWithNoEffectIsFlagged) {
  World w(3, 2);
  FaultsConfig cfg;
  FaultSpec idle = spec(1_s, "crash", 1_s);
  idle.target.patterns = {"f/node-0"};
  FaultSpec skew = spec(1_s, "clock_skew");
  skew.target.patterns = {"f/node-1"};
  skew.params["offset"] = sim::Duration(2_s);
  cfg.faults = {idle, skew};
  FaultSchedule sched(w.sim, cfg, w.registry, w.dir.infos());
  sched.start();
  w.sim.run_until(sim::Time::zero() + 5_s);
  EXPECT_EQ(sched.faults_without_effect(), 2u);
  // Reading the skewed clock is the skew's effect.
  EXPECT_EQ(w.nodes[1]->control.local_time(w.sim.now()), w.sim.now() + 2_s);
  EXPECT_EQ(sched.faults_without_effect(), 1u);
  EXPECT_EQ(sched.without_effect()[0]->source, "faults[0]");
}

TEST(FaultSchedule, ClockSkewRateAndByzantineDispatch) {
  World w(4, 3);
  std::vector<std::string> seen;
  w.nodes[2]->control.on_byzantine = [&](const std::string& b, const Params& p) {
    seen.push_back(b.empty() ? "honest" : fmt::format("{}:{}", b, std::get<double>(p.at("offset"))));
  };
  FaultsConfig cfg;
  FaultSpec skew = spec(10_s, "clock_skew", 10_s);
  skew.target.patterns = {"f/node-0"};
  skew.params["rate"] = 1.5;
  FaultSpec byz = spec(2_s, "byzantine", 3_s);
  byz.target.patterns = {"f/node-2"};
  byz.behaviour = "lie";
  byz.params["offset"] = 0.05;
  cfg.faults = {skew, byz};
  FaultSchedule sched(w.sim, cfg, w.registry, w.dir.infos());
  sched.start();
  sim::Time local_at_14{};
  sim::Duration true_span{};
  w.sim.at(sim::Time::zero() + 14_s, [&] {
    local_at_14 = w.nodes[0]->control.local_time(w.sim.now());
    true_span = w.nodes[0]->control.true_duration(3_s);
  });
  w.sim.at(sim::Time::zero() + 3_s, [&] {
    EXPECT_EQ(w.nodes[2]->control.byzantine(), "lie");
    w.nodes[2]->control.byzantine_acted();
  });
  w.sim.run_until(sim::Time::zero() + 30_s);
  EXPECT_EQ(local_at_14, sim::Time::zero() + 16_s);  // 4 s at rate 1.5
  EXPECT_EQ(true_span, 2_s);
  EXPECT_EQ(w.nodes[0]->control.true_duration(3_s), 3_s);  // healed
  EXPECT_EQ(w.nodes[0]->control.local_time(w.sim.now()), w.sim.now());  // healed
  EXPECT_EQ(seen, (std::vector<std::string>{"lie:0.05", "honest"}));
  EXPECT_EQ(sched.effects()[0].counter("byzantine_actions"), 1u);
  EXPECT_EQ(sched.faults_without_effect(), 0u);
}

TEST(FaultSchedule, LinkFaultDelaysMessagesBetweenSets) {
  World w(5, 3);
  FaultsConfig cfg;
  FaultSpec l = spec(0_s, "link", 10_s);
  l.from = {"f/node-0"};
  l.to = {"f/node-[12]"};
  l.params["added_latency"] = sim::Duration(100_ms);
  cfg.faults = {l};
  FaultSchedule sched(w.sim, cfg, w.registry, w.targets());
  sched.start();
  std::vector<sim::Time> at;
  const auto k = w.net.kind("m");
  w.sim.at(sim::Time::zero() + 1_s, [&] {
    w.net.send(w.nodes[2]->host, w.nodes[0]->host, 1, k, [&] { at.push_back(w.sim.now()); });
    w.net.send(w.nodes[1]->host, w.nodes[2]->host, 1, k, [&] { at.push_back(w.sim.now()); });
  });
  w.sim.run();
  EXPECT_EQ(at, (std::vector<sim::Time>{sim::Time::zero() + 1_s + 1_ms, sim::Time::zero() + 1_s + 101_ms}));
  EXPECT_EQ(sched.effects()[0].counter("messages_delayed"), 1u);
}

namespace {

std::vector<FaultEvent> timeline_for(std::uint64_t seed) {
  World w(seed, 10);
  FaultsConfig cfg;
  FaultSpec byz = spec(1_h, "crash", 10_min);
  byz.target = {{"f/node-*"}, 3, ""};
  cfg.faults = {byz};
  RandomCrashProcess p;
  p.target.patterns = {"f/node-[0-4]"};
  p.mtbf = 2_h;
  p.mttr = 15_min;
  cfg.processes = {p};
  FaultSchedule sched(w.sim, cfg, w.registry, w.dir.infos());
  sched.start();
  w.sim.run_until(sim::Time::zero() + 1_d);
  return sched.timeline();
}

}  // namespace

TEST(FaultSchedule, SameSeedSameTimeline) {
  const auto a = timeline_for(42), b = timeline_for(42), c = timeline_for(43);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  // About 5 actors * 24 h / 2.25 h cycles of crash + heal, plus the scheduled fault.
  EXPECT_GT(a.size(), 40u);
  EXPECT_LT(a.size(), 200u);
  // The any-3 pick hit three distinct nodes.
  auto it = std::find_if(a.begin(), a.end(), [](const FaultEvent& e) { return e.source == "faults[0]"; });
  ASSERT_NE(it, a.end());
  EXPECT_EQ(it->targets.size(), 3u);
  // Every crash heals before the same actor crashes again.
  std::map<std::string, bool> down;
  for (const FaultEvent& e : a) {
    if (e.source.rfind("fault_processes", 0) != 0) continue;
    EXPECT_NE(down[e.targets[0]], !e.heal) << e.source;
    down[e.targets[0]] = !e.heal;
  }
}

TEST(FaultSchedule, InvalidConfigAndMissingInjector) {
  World w(6, 2);
  FaultsConfig bad;
  FaultSpec f = spec(1_s, "crash");
  f.target.patterns = {"nobody"};
  bad.faults = {f};
  try {
    FaultSchedule s(w.sim, bad, w.registry, w.dir.infos());
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("faults[0].target"), std::string::npos) << e.what();
  }
  FaultKindRegistry reg = FaultKindRegistry::with_builtin_kinds();  // no injectors
  FaultsConfig ok;
  f.target.patterns = {"f/node-0"};
  ok.faults = {f};
  FaultSchedule s(w.sim, ok, reg, w.dir.infos());
  EXPECT_THROW(s.start(), std::logic_error);
}

TEST(FaultSchedule, APartitionReachesAHostThatIsNoActor) {
  // A load balancer or a client is a network host with no ActorControl: a partition still cuts it off, and the
  // timeline records it among the hosts the fault involved.
  World w(3, 2);
  const sim::HostId lb = w.net.add_host("f/lb");
  FaultsConfig cfg;
  FaultSpec p = spec(5_s, "partition", 10_s);
  p.groups = {{"f/lb"}, {"f/node-*"}};
  cfg.faults = {p};
  FaultSchedule sched(w.sim, cfg, w.registry, w.targets());
  sched.start();
  const auto k = w.net.kind("m");
  std::vector<int> arrived;  // the seconds at which lb's message to node-0 arrived
  for (int t = 0; t < 20; ++t)
    w.sim.at(sim::Time::zero() + 1_s * t, [&, t] { w.net.send(lb, w.nodes[0]->host, 1, k, [&, t] { arrived.push_back(t); }); });
  w.sim.run();
  EXPECT_EQ(arrived.size(), 10u);  // 5 s .. 14 s cut off
  EXPECT_EQ(std::count_if(arrived.begin(), arrived.end(), [](int t) { return t >= 5 && t < 15; }), 0);
  ASSERT_FALSE(sched.timeline().empty());
  EXPECT_EQ(sched.timeline()[0].targets, (std::vector<std::string>{"f/lb", "f/node-0", "f/node-1"}));
}
