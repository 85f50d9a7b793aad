#pragma once
// Internal to models/scenario: the registration functions of the scenario schema's blocks, one per file
// (scenario.cpp calls them in order; that order is the order of docs/scenarios.md).
#include <string>
#include <vector>

#include "models/faults/fault_config.hpp"
#include "models/scenario/scenario.hpp"
#include "models/scenario/schema.hpp"

namespace models::scenario {

void register_network_keys(Block<ScenarioConfig>& root);  // network_keys.cpp
void register_fault_keys(Block<ScenarioConfig>& root);    // fault_keys.cpp
void register_chain_keys(Block<ScenarioConfig>& root);    // chain_keys.cpp
void register_search_keys(Block<ScenarioConfig>& root);   // search_keys.cpp

// Shared by the fault and search keys (fault_keys.cpp).
// A glob or a list of globs into `out_globs`; false (with a diagnostic) when it is neither.
bool decode_globs(std::vector<std::string>& out_globs, const Node& v, const std::string& path, Diagnostics& out);
// A kind-specific parameter: "5ms" a duration, "5%" a fraction, a number, true/false, else text.
faults::ParamValue param_value(const std::string& s);
// A parameter as a JSON literal, and a list of texts as one.
std::string param_json(const faults::ParamValue& v);
std::string json_list(const std::vector<std::string>& v);

}  // namespace models::scenario
