#include "models/world/world.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "models/faults/builtin_injectors.hpp"

namespace models::world {

World::World(sim::Simulation& sim, const scenario::ScenarioConfig& cfg, const std::vector<PartBuilder>& builders,
             faults::FaultKindRegistry fault_kinds, const std::vector<scenario::ActorName>& actor_names)
    : sim_(sim), cfg_(cfg), fault_registry_(std::move(fault_kinds)) {
  env_ = std::make_unique<Environment>(sim_, cfg_);
  for (const PartBuilder& b : builders) {
    // Accounts are numbered from 1 in creation order; a chain first built by this part starts with LINK (1).
    const auto first = env_->has_chain() ? env_->chain().contracts().size() : 1;
    auto part = b.build(*env_, cfg_);
    if (!part) continue;
    const auto end = env_->has_chain() ? env_->chain().contracts().size() : 0;
    parts_.push_back({b.name, std::move(part), first + 1, end + 1});
  }
  if (!cfg_.faults.empty() || !cfg_.fault_processes.empty()) build_faults(actor_names);
}

World::~World() = default;

Part* World::part(std::string_view name) const {
  for (const auto& b : parts_)
    if (b.name == name) return b.part.get();
  return nullptr;
}

std::vector<std::string> World::part_names() const {
  std::vector<std::string> out;
  for (const auto& b : parts_) out.push_back(b.name);
  return out;
}

std::string World::subsystem_of(chain::Address a) const {
  for (const auto& b : parts_)
    if (a.id >= b.first_account && a.id < b.end_account) return b.name;
  return "";
}

void World::build_faults(const std::vector<scenario::ActorName>& actor_names) {
  env_->register_actors(actors_);
  for (auto& b : parts_) b.part->register_actors(actors_);
  // One function lists the actors and hosts for validation and the parts build them: they must agree.
  std::vector<std::string> listed, listed_hosts;
  for (const auto& a : actor_names) {
    if (a.actor) listed.push_back(a.name);
    if (a.host) listed_hosts.push_back(a.name);
  }
  std::sort(listed.begin(), listed.end());
  std::sort(listed_hosts.begin(), listed_hosts.end());
  if (listed != actors_.names())
    throw std::logic_error(fmt::format("the built actors ({}) differ from the actors validation listed ({})",
                                       actors_.names().size(), listed.size()));
  sim::Network* net = env_->has_network() ? &env_->network() : nullptr;
  std::vector<faults::ActorInfo> targets = actors_.infos();
  if (net) {
    targets = faults::with_hosts(std::move(targets), *net);
    std::vector<std::string> built_hosts;
    for (const auto& t : targets)
      if (t.host) built_hosts.push_back(t.name);
    if (built_hosts != listed_hosts) {
      std::vector<std::string> only_built, only_listed;
      std::set_difference(built_hosts.begin(), built_hosts.end(), listed_hosts.begin(), listed_hosts.end(),
                          std::back_inserter(only_built));
      std::set_difference(listed_hosts.begin(), listed_hosts.end(), built_hosts.begin(), built_hosts.end(),
                          std::back_inserter(only_listed));
      throw std::logic_error(fmt::format("the built network hosts differ from the hosts validation listed (built only: "
                                         "{}; listed only: {})", fmt::join(only_built, ", "), fmt::join(only_listed, ", ")));
    }
  }
  env_->install_fault_injectors(fault_registry_);
  for (auto& b : parts_) b.part->install_fault_injectors(fault_registry_);
  faults::install_builtin_injectors(fault_registry_, net, actors_, [this](const std::vector<std::string>& targets) {
    return current_leader(targets);
  });
  fault_schedule_ = std::make_unique<faults::FaultSchedule>(
      sim_, faults::FaultsConfig{cfg_.faults, cfg_.fault_processes}, fault_registry_, std::move(targets));
}

std::string World::current_leader(const std::vector<std::string>& targets) const {
  for (const auto& b : parts_)
    if (std::string leader = b.part->leader_among(targets); !leader.empty()) return leader;
  return "";
}

void World::start() {
  env_->start();
  for (auto& b : parts_) b.part->start();
  if (fault_schedule_) fault_schedule_->start();
}

}  // namespace models::world
