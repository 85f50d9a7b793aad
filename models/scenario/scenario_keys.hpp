#pragma once
// Internal to models/scenario: the registration functions of the scenario schema's blocks, one per file
// (scenario.cpp calls them in order; that order is the order of docs/scenarios.md).
#include "models/scenario/scenario.hpp"
#include "models/scenario/schema.hpp"

namespace models::scenario {

void register_network_keys(Block<ScenarioConfig>& root);  // network_keys.cpp
void register_fault_keys(Block<ScenarioConfig>& root);    // fault_keys.cpp
void register_chain_keys(Block<ScenarioConfig>& root);    // chain_keys.cpp

}  // namespace models::scenario
