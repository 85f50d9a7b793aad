#pragma once
// One subsystem as built for a run (feeds, requests, streams, ...): the actors it made on the shared Environment.
// The World starts every part, lets each register the actors faults may name and its fault injectors, and asks
// the parts which actor leads its protocol (for crash_leader). Collectors reach a part's models through the
// concrete type the subsystem's builder returned.
#include <string>
#include <vector>

#include "models/faults/actor_control.hpp"
#include "models/faults/fault_kind_registry.hpp"

namespace models::world {

class Part {
 public:
  virtual ~Part() = default;
  // Schedules the part's initial events (after the environment started).
  virtual void start() = 0;
  // Adds the ActorControl of every actor a fault may name: exactly the names the subsystem's actor-name function
  // listed for validation (the World checks that they agree).
  virtual void register_actors(faults::ActorDirectory& directory) { (void)directory; }
  // Sets the injectors of the subsystem's own fault kinds.
  virtual void install_fault_injectors(faults::FaultKindRegistry& registry) { (void)registry; }
  // Among `targets` (actor names), the one that leads its protocol now, as the first target that is up sees it;
  // "" when none of them belongs to a protocol instance of this part.
  virtual std::string leader_among(const std::vector<std::string>& targets) const {
    (void)targets;
    return "";
  }
};

}  // namespace models::world
