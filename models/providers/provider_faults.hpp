#pragma once
// The data providers' fault kinds, registered with the fault framework:
//   outage     the provider answers every query with an error        (effect: queries_failed)
//   stale      the provider's published value stops refreshing       (effect: refreshes_frozen)
//   bad_value  published values are scaled by `factor`, or, with `random_low`/`random_high`, multiplied by a
//              uniform draw in that range                            (effect: values_distorted)
// Targets are provider names (model "provider"). Each fault heals after its `duration`, or never.
#include <functional>
#include <string>

#include "models/faults/fault_kind_registry.hpp"

namespace models::providers {

class DataProvider;

void register_provider_fault_kinds(faults::FaultKindRegistry& registry);
// Installs the injectors; `find` maps a target name to its provider (nullptr: not a provider, ignored).
void set_provider_fault_injectors(faults::FaultKindRegistry& registry,
                                  std::function<DataProvider*(const std::string&)> find);

}  // namespace models::providers
