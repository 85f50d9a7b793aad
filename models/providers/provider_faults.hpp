#pragma once
// The data providers' fault kinds for the scenario's `faults:` list (targets are provider names):
//   - { at: 3h, kind: outage, target: exchange-a, duration: 20m }          # every query fails ("outage")
//   - { at: 5h, kind: stale, target: "exchange-*", duration: 1h }          # the published value freezes
//   - { at: 8h, kind: bad_value, target: exchange-b, factor: 1.1, duration: 10m }       # values x 1.1
//   - { at: 9h, kind: bad_value, target: exchange-c, mode: random, lo: 0.5, hi: 1.5 }    # values x U(lo, hi)
// Effect counters: outage "queries_failed", stale and bad_value "queries_served" (queries the fault touched),
// counted when the fault heals (or at the end of the run for an unhealed one: not counted).
#include <functional>
#include <string>

#include "models/faults/fault_kind_registry.hpp"

namespace models::providers {

class DataProvider;

// Adds outage, stale and bad_value with their parameters and validators (no injectors).
void register_provider_fault_kinds(faults::FaultKindRegistry& registry);
// Sets their injectors; `find` maps a provider name to the provider (nullptr if unknown). Providers must
// outlive the run.
void set_provider_fault_injectors(faults::FaultKindRegistry& registry, std::function<DataProvider*(const std::string&)> find);

}  // namespace models::providers
