#pragma once
// The chain's fault kinds for the scenario's `faults:` list:
//   - { at: 20h, kind: congestion, multiplier: 3, duration: 1h }   # background demand x 3 while active
//   - { at: 6h, kind: halt, duration: 5m }                         # no blocks while active
//   - { at: 9h, kind: gas_spike, factor: 10 }                      # next base fee x 10, then EIP-1559 decay
// They take no `target` (there is one chain). Overlapping congestions multiply; overlapping halts nest.
// Effect counters: congestion "blocks_congested" (blocks produced while active), halt "halted" (1) and "slots_halted" (counted when healed),
// gas_spike "base_fee_raised" (1 when the spike raised the fee).
#include "models/faults/fault_kind_registry.hpp"

namespace models::chain {

class Chain;

// Adds the three kinds with their parameters and validators (no injectors): enough to validate a scenario.
void register_chain_fault_kinds(faults::FaultKindRegistry& registry);
// Sets the injectors that act on `chain` (the kinds must be registered). `chain` must outlive the run.
void set_chain_fault_injectors(faults::FaultKindRegistry& registry, Chain& chain);

}  // namespace models::chain
