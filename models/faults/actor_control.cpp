#include "models/faults/actor_control.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include <fmt/core.h>

#include "sim/network/network.hpp"

namespace models::faults {

void ActorControl::crash(FaultEffect* effect) {
  const bool was_up = crashes_.empty();
  crashes_.push_back(effect);
  if (was_up && on_crash) on_crash();
}

void ActorControl::restart(FaultEffect* effect) {
  auto it = std::find(crashes_.begin(), crashes_.end(), effect);
  if (it == crashes_.end()) return;
  crashes_.erase(it);
  if (crashes_.empty() && on_restart) on_restart();
}

void ActorControl::set_clock(sim::Duration offset, double rate, sim::Time since, FaultEffect* effect) {
  skew_offset_ = offset;
  skew_rate_ = rate;
  skew_since_ = since;
  skew_effect_ = effect;
}

void ActorControl::clear_clock() {
  skew_effect_ = nullptr;
  skew_offset_ = {};
  skew_rate_ = 1.0;
}

void ActorControl::set_byzantine(std::string behaviour, Params params, FaultEffect* effect) {
  behaviour_ = std::move(behaviour);
  behaviour_params_ = std::move(params);
  byz_effect_ = effect;
  if (on_byzantine) on_byzantine(behaviour_, behaviour_params_);
}

void ActorControl::clear_byzantine() {
  behaviour_.clear();
  behaviour_params_.clear();
  byz_effect_ = nullptr;
  if (on_byzantine) on_byzantine(behaviour_, behaviour_params_);
}

void ActorDirectory::add(ActorControl& actor) {
  if (!actors_.emplace(actor.name(), &actor).second)
    throw std::invalid_argument(fmt::format("actor '{}' registered twice", actor.name()));
}

ActorControl* ActorDirectory::find(const std::string& name) const {
  auto it = actors_.find(name);
  return it == actors_.end() ? nullptr : it->second;
}

std::vector<std::string> ActorDirectory::names() const {
  std::vector<std::string> out;
  for (const auto& [n, a] : actors_) out.push_back(n);
  return out;
}

std::vector<ActorInfo> ActorDirectory::infos() const {
  std::vector<ActorInfo> out;
  for (const auto& [n, a] : actors_) out.push_back({n, a->model()});
  return out;
}

std::vector<ActorInfo> with_hosts(std::vector<ActorInfo> actors, const sim::Network& net) {
  std::set<std::string> hosts;
  for (sim::HostId h = 0; h < net.host_count(); ++h) hosts.insert(net.host_name(h));
  for (ActorInfo& a : actors)
    if (hosts.erase(a.name) != 0) a.host = true;
  for (const std::string& h : hosts) actors.push_back({h, "host", false, true});
  std::sort(actors.begin(), actors.end(), [](const ActorInfo& a, const ActorInfo& b) { return a.name < b.name; });
  return actors;
}

}  // namespace models::faults
