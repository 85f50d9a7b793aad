#include "models/faults/builtin_injectors.hpp"

#include <algorithm>
#include <map>
#include <memory>

namespace models::faults {

namespace {

std::vector<sim::HostId> hosts_of(const sim::Network* net, const std::vector<std::string>& names) {
  std::vector<sim::HostId> out;
  if (!net) return out;
  for (const std::string& n : names)
    if (auto h = net->find_host(n)) out.push_back(*h);
  return out;
}

double number_or(const Params& p, const char* key, double fallback) {
  auto it = p.find(key);
  if (it == p.end()) return fallback;
  const double* v = std::get_if<double>(&it->second);
  return v ? *v : fallback;
}

sim::Duration duration_or(const Params& p, const char* key, sim::Duration fallback) {
  auto it = p.find(key);
  if (it == p.end()) return fallback;
  const sim::Duration* v = std::get_if<sim::Duration>(&it->second);
  return v ? *v : fallback;
}

}  // namespace

void install_builtin_injectors(FaultKindRegistry& registry, sim::Network* net, ActorDirectory& actors,
                               LeaderResolver leader) {
  // Hosts taken down by overlapping crashes come up when the last one heals.
  auto down_depth = std::make_shared<std::map<sim::HostId, int>>();

  // Crashes the actors named `names` (and takes their hosts down); the healer brings them back.
  auto crash = [net, &actors, down_depth](const std::vector<std::string>& names, FaultEffect& effect) -> Healer {
    std::vector<ActorControl*> hit;
    for (const std::string& n : names)
      if (ActorControl* a = actors.find(n)) hit.push_back(a);
    const std::vector<sim::HostId> hosts = hosts_of(net, names);
    std::shared_ptr<sim::Connection> conn;
    if (net) {
      for (sim::HostId h : hosts)
        if ((*down_depth)[h]++ == 0) net->set_host_up(h, false);
      auto is_target = std::make_shared<std::vector<char>>(net->host_count(), 0);
      for (sim::HostId h : hosts) (*is_target)[h] = 1;
      FaultEffect* e = &effect;
      conn = std::make_shared<sim::Connection>(
          net->dropped.connect([e, is_target](const sim::MessageInfo& m, sim::DropReason r) {
            const auto& t = *is_target;
            const bool mine = (r == sim::DropReason::receiver_down && m.to < t.size() && t[m.to]) ||
                              (r == sim::DropReason::sender_down && m.from < t.size() && t[m.from]);
            if (mine) e->count("messages_dropped");
          }));
    }
    for (ActorControl* a : hit) a->crash(&effect);
    FaultEffect* e = &effect;
    return [net, hit, hosts, conn, down_depth, e] {
      if (conn) conn->disconnect();
      if (net)
        for (sim::HostId h : hosts)
          if (--(*down_depth)[h] == 0) net->set_host_up(h, true);
      for (ActorControl* a : hit) a->restart(e);
    };
  };
  registry.set_injector("crash", [crash](const InjectedFault& f, FaultEffect& effect) { return crash(f.targets, effect); });
  if (leader) {
    registry.set_injector("crash_leader", [crash, leader](const InjectedFault& f, FaultEffect& effect) -> Healer {
      const std::string who = leader(f.targets);
      if (who.empty() || !std::binary_search(f.targets.begin(), f.targets.end(), who)) {
        effect.targets.clear();  // no leader among the targets: nothing was hit
        return {};
      }
      effect.targets = {who};
      effect.count("leaders_crashed");
      return crash({who}, effect);
    });
  }

  registry.set_injector("partition", [net](const InjectedFault& f, FaultEffect& effect) -> Healer {
    if (!net) return {};
    std::vector<std::vector<sim::HostId>> groups;
    for (const auto& g : f.groups) groups.push_back(hosts_of(net, g));
    FaultEffect* e = &effect;
    const sim::ImpairmentId id = net->add_partition(groups, [e](const sim::MessageInfo&, bool) {
      e->count("messages_dropped");
    });
    return [net, id] { net->remove_impairment(id); };
  });

  registry.set_injector("link", [net](const InjectedFault& f, FaultEffect& effect) -> Healer {
    if (!net) return {};
    sim::LinkEffect le;
    le.added_latency = duration_or(f.spec->params, "added_latency", sim::Duration{});
    le.multiplier = number_or(f.spec->params, "multiplier", 1.0);
    le.loss = number_or(f.spec->params, "loss", 0.0);
    const auto a = hosts_of(net, f.from), b = hosts_of(net, f.to);
    FaultEffect* e = &effect;
    const sim::ImpairmentId id = net->add_link_effect(a, b, le, [e](const sim::MessageInfo&, bool dropped) {
      e->count(dropped ? "messages_dropped" : "messages_delayed");
    });
    return [net, id] { net->remove_impairment(id); };
  });

  registry.set_injector("clock_skew", [&actors](const InjectedFault& f, FaultEffect& effect) -> Healer {
    const sim::Duration offset = duration_or(f.spec->params, "offset", sim::Duration{});
    const double rate = number_or(f.spec->params, "rate", 1.0);
    std::vector<ActorControl*> hit;
    for (const std::string& n : f.targets)
      if (ActorControl* a = actors.find(n)) hit.push_back(a);
    for (ActorControl* a : hit) a->set_clock(offset, rate, effect.injected_at, &effect);
    return [hit] {
      for (ActorControl* a : hit) a->clear_clock();
    };
  });

  registry.set_injector("byzantine", [&actors](const InjectedFault& f, FaultEffect& effect) -> Healer {
    std::vector<ActorControl*> hit;
    for (const std::string& n : f.targets)
      if (ActorControl* a = actors.find(n)) hit.push_back(a);
    for (ActorControl* a : hit) a->set_byzantine(f.spec->behaviour, f.spec->params, &effect);
    return [hit] {
      for (ActorControl* a : hit) a->clear_byzantine();
    };
  });
}

}  // namespace models::faults
