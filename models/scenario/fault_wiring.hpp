#pragma once
// The fault kinds a scenario may use, one registry for validating a scenario and for running it: the built-in
// kinds (crash, partition, link, clock_skew, byzantine), the chain's (congestion, halt, gas_spike) and the
// providers' (outage, stale, bad_value). Models with byzantine behaviours add them here too.
#include "models/faults/fault_kind_registry.hpp"

namespace models::scenario {

faults::FaultKindRegistry scenario_fault_registry();

}  // namespace models::scenario
