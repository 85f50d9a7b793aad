#pragma once
// Injectors of the built-in fault kinds, acting on the world's actors (ActorControl) and network:
//   crash:      each target's ActorControl crashes (on_crash; admit() false) and its host goes down; on heal
//               the host comes up and the actor restarts (on_restart). Effect: messages_dropped (to or from
//               the crashed hosts), events_suppressed.
//   crash_leader: as crash, for the one target that leads its protocol at injection time (an OCR feed's epoch
//               leader, the Streams DON's leader), found by the world's LeaderResolver; nothing if no target leads.
//               Effect: leaders_crashed, and those of crash.
//   partition:  Network::add_partition over the groups' hosts. Effect: messages_dropped.
//   link:       Network::add_link_effect between `from` and `to` with added_latency / multiplier / loss.
//               Effect: messages_delayed, messages_dropped.
//   clock_skew: ActorControl::set_clock(offset, rate). Effect: skewed_clock_reads.
//   byzantine:  ActorControl::set_byzantine(behaviour, params) -> the actor's on_byzantine hook.
//               Effect: byzantine_actions (counted by the actor through byzantine_acted()).
// Actor names that are not network hosts are skipped for network effects; hosts that are not actors are
// still taken down by a crash.
#include <functional>
#include <string>
#include <vector>

#include "models/faults/actor_control.hpp"
#include "models/faults/fault_kind_registry.hpp"
#include "sim/network/network.hpp"

namespace models::faults {

// The name of the actor among `targets` (sorted) that currently leads its protocol, or "" if none does.
using LeaderResolver = std::function<std::string(const std::vector<std::string>& targets)>;

// Sets the injectors of crash, crash_leader (when `leader` is given), partition, link, clock_skew and byzantine.
// `network` may be null (a world without a network: partition and link faults then do nothing). Both must outlive
// the registry's use.
void install_builtin_injectors(FaultKindRegistry& registry, sim::Network* network, ActorDirectory& actors,
                               LeaderResolver leader = {});

}  // namespace models::faults
